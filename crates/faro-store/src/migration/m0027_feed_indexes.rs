//! Indexes behind the observatory's Atom feeds (issue 11 item 14): the
//! newest changed measures (`updated_at DESC, id DESC` under the list's
//! filters) and the newest decided corrections.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE INDEX IF NOT EXISTS idx_measure_updated_id ON measure (updated_at, id)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX IF NOT EXISTS idx_correction_status_decided \
             ON correction (status, decided_at, id)",
        )
        .await?;
        Ok(())
    }
}
