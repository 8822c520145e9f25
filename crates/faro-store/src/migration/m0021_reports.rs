//! Reports generated from the data (issue 16): a report is its markup in
//! es/en/pt (Markdown plus data blocks), edited by coordinators; an
//! edition is a published, frozen copy: the sources as published, the
//! figures of its blocks (for the diff between editions), and its files —
//! the HTML and the PDF in each language and one CSV per data block —
//! stored byte for byte and never changed.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &[
    "CREATE TABLE report (
        id VARCHAR(64) NOT NULL PRIMARY KEY,
        kind VARCHAR(16) NOT NULL DEFAULT 'custom',
        title_es TEXT NOT NULL DEFAULT '',
        title_en TEXT NOT NULL DEFAULT '',
        title_pt TEXT NOT NULL DEFAULT '',
        source_es TEXT NOT NULL DEFAULT '',
        source_en TEXT NOT NULL DEFAULT '',
        source_pt TEXT NOT NULL DEFAULT '',
        editions INTEGER NOT NULL DEFAULT 0,
        created_at {TS} NOT NULL,
        updated_at {TS} NOT NULL)",
    "CREATE TABLE report_edition (
        report_id VARCHAR(64) NOT NULL REFERENCES report (id),
        number INTEGER NOT NULL,
        title_es TEXT NOT NULL,
        title_en TEXT NOT NULL,
        title_pt TEXT NOT NULL,
        sources TEXT NOT NULL,
        figures TEXT NOT NULL,
        published_at {TS} NOT NULL,
        published_by TEXT NOT NULL,
        PRIMARY KEY (report_id, number))",
    "CREATE TABLE report_edition_file (
        report_id VARCHAR(64) NOT NULL,
        number INTEGER NOT NULL,
        name VARCHAR(64) NOT NULL,
        media_type VARCHAR(64) NOT NULL,
        sha256 VARCHAR(64) NOT NULL,
        content {BLOB} NOT NULL,
        PRIMARY KEY (report_id, number, name),
        FOREIGN KEY (report_id, number) REFERENCES report_edition (report_id, number))",
    // "What changed since the last data release": records of a type
    // changed after a time.
    "CREATE INDEX change_log_type_at ON change_log (record_type, at)",
];

fn ddl(backend: DbBackend, sql: &str) -> String {
    let (ts, blob) = match backend {
        DbBackend::Postgres => ("TIMESTAMPTZ", "BYTEA"),
        _ => ("timestamp_with_timezone_text", "BLOB"),
    };
    sql.replace("{TS}", ts).replace("{BLOB}", blob)
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
