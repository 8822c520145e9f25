//! The search outbox: one row per changed record, written in the same
//! transaction as the change, followed by every server's search indexer.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SearchOutbox {
    Table,
    Id,
    RecordType,
    RecordId,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SearchOutbox::Table)
                .if_not_exists()
                .col(big_pk_auto(SearchOutbox::Id))
                .col(string_len(SearchOutbox::RecordType, 40))
                .col(string_len(SearchOutbox::RecordId, 64))
                .col(timestamp_with_time_zone(SearchOutbox::At))
                .to_owned(),
        )
        .await
    }
}
