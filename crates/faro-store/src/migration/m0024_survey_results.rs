//! A survey's results kept reduced (issue 14's speed goal): the
//! unfiltered results page reads `survey_results.data` (the JSON of
//! `surveys::Reduced`: per question the counts per choice, per month, the
//! first texts, the statistics and histogram of numbers) instead of
//! reducing every kept count on each request.
//!
//! Derived and checked like `series_audience` (m0023): a submit or a
//! reopen raises `rev` in its own transaction; the data is used only while
//! `stamp = rev` and `version` is the survey's current version (a new
//! version can change what a question is); a reader that finds it stale
//! reduces again and stores the result with the `rev` it read before.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "CREATE TABLE survey_results (
                    survey_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES survey (id),
                    rev BIGINT NOT NULL DEFAULT 0,
                    stamp BIGINT NULL,
                    version INTEGER NULL,
                    data TEXT NULL,
                    computed_at VARCHAR(40) NULL)",
            )
            .await?;
        Ok(())
    }
}
