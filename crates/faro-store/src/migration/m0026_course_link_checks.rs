//! Course link checks (issue 15): `faro check-links` checks each course's
//! page too and keeps the latest outcome with `failures`, the number of
//! checks in a row that found it gone (reset by a working check or a new
//! address). At three the course is flagged to its editors.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let ts = match db.get_database_backend() {
            DbBackend::Postgres => "TIMESTAMPTZ",
            _ => "timestamp_with_timezone_text",
        };
        db.execute_unprepared(&format!(
            "CREATE TABLE course_link_check (
                course_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES course (id),
                url TEXT NOT NULL,
                outcome VARCHAR(20) NOT NULL,
                status_code INTEGER NULL,
                detail TEXT NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0,
                checked_at {ts} NOT NULL)"
        ))
        .await?;
        Ok(())
    }
}
