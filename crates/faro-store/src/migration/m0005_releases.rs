//! Frozen data releases: the open-data files as they were, byte for byte.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DataReleaseFile {
    Table,
    Release,
    Name,
    Content,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(DataReleaseFile::Table)
                .if_not_exists()
                .col(string_len(DataReleaseFile::Release, 64))
                .col(string_len(DataReleaseFile::Name, 64))
                .col(text(DataReleaseFile::Content))
                .col(timestamp_with_time_zone(DataReleaseFile::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(DataReleaseFile::Release)
                        .col(DataReleaseFile::Name),
                )
                .to_owned(),
        )
        .await
    }
}
