//! A series' audience figures kept computed (issue 13's speed goal): the
//! series analytics and audience pages read `series_audience.stats` (the
//! JSON of `audience::SeriesStats`) instead of grouping every attendance
//! row of the series on each request.
//!
//! It is derived and checked, never trusted blindly: every write that can
//! change the figures (an attendance import, Facebook figures, a
//! registrant's country, role or institution, an erasure) raises `rev` in
//! its own transaction; the figures are used only while `stamp = rev`, and
//! a reader that finds them stale computes them and stores them with the
//! `rev` it read before computing (so a write in between leaves them stale).

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "CREATE TABLE series_audience (
                    series VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES event_series (id),
                    rev BIGINT NOT NULL DEFAULT 0,
                    stamp BIGINT NULL,
                    stats TEXT NULL,
                    computed_at VARCHAR(40) NULL)",
            )
            .await?;
        Ok(())
    }
}
