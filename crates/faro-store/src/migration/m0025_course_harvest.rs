//! Course harvests (issue 15): where an institution's catalogue is read
//! from, and what each harvested course last looked like in it.
//!
//! `course_source`: one catalogue of one institution — a sitemap whose
//! pages carry schema.org `Course` JSON-LD, a list of such page URLs, or a
//! CSV or JSON file in Faro's layout — with its default language, an
//! optional schedule (`every_hours`) and the outcome of its last run.
//!
//! `course_harvest`: per harvested course, its source, the page it was read
//! from, when, and `snapshot`: the JSON object of the fields as the harvest
//! last gave them. A field whose stored value differs from the snapshot was
//! changed by an editor after that harvest, and the next harvest keeps it.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &[
    "CREATE TABLE course_source (
        id VARCHAR(64) NOT NULL PRIMARY KEY,
        institution_id VARCHAR(64) NOT NULL REFERENCES institution (id),
        kind VARCHAR(16) NOT NULL,
        url TEXT NOT NULL,
        lang VARCHAR(8) NOT NULL,
        every_hours INTEGER NULL,
        created_at {TS} NOT NULL,
        updated_at {TS} NOT NULL,
        last_run_at {TS} NULL,
        last_outcome TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX course_source_institution ON course_source (institution_id)",
    "CREATE TABLE course_harvest (
        course_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES course (id),
        source_id VARCHAR(64) NOT NULL REFERENCES course_source (id),
        page_url TEXT NOT NULL,
        harvested_at {TS} NOT NULL,
        snapshot TEXT NOT NULL)",
    "CREATE INDEX course_harvest_source ON course_harvest (source_id)",
];

fn ddl(backend: DbBackend, sql: &str) -> String {
    let ts = match backend {
        DbBackend::Postgres => "TIMESTAMPTZ",
        _ => "timestamp_with_timezone_text",
    };
    sql.replace("{TS}", ts)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        for sql in TABLES {
            db.execute_unprepared(&ddl(backend, sql)).await?;
        }
        Ok(())
    }
}
