//! The index behind the public corrections log's pages (issue 11): newest
//! first, all of them or one status (the coordinators' pending queue).

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX IF NOT EXISTS idx_correction_status_id ON correction (status, id)",
            )
            .await?;
        Ok(())
    }
}
