//! Files attached to knowledge-base resources; the bytes live under the data
//! folder, named by their SHA-256.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ResourceFile {
    Table,
    ResourceId,
    Sha256,
    Name,
    MediaType,
    Size,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ResourceFile::Table)
                .if_not_exists()
                .col(string_len(ResourceFile::ResourceId, 64))
                .col(string_len(ResourceFile::Sha256, 64))
                .col(string_len(ResourceFile::Name, 200))
                .col(string_len(ResourceFile::MediaType, 120))
                .col(big_integer(ResourceFile::Size))
                .col(timestamp_with_time_zone(ResourceFile::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(ResourceFile::ResourceId)
                        .col(ResourceFile::Sha256),
                )
                .to_owned(),
        )
        .await
    }
}
