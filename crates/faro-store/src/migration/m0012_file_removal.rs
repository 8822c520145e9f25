//! Files detached from a resource are kept (bytes and row), marked removed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ResourceFile {
    Table,
    RemovedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ResourceFile::Table)
                .add_column(timestamp_with_time_zone_null(ResourceFile::RemovedAt))
                .to_owned(),
        )
        .await
    }
}
