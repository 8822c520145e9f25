//! The latest link check of each resource (`faro check-links`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LinkCheck {
    Table,
    ResourceId,
    Url,
    Outcome,
    StatusCode,
    Detail,
    CheckedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LinkCheck::Table)
                .if_not_exists()
                .col(string_len(LinkCheck::ResourceId, 64).primary_key())
                .col(text(LinkCheck::Url))
                .col(string_len(LinkCheck::Outcome, 20))
                .col(integer_null(LinkCheck::StatusCode))
                .col(text(LinkCheck::Detail))
                .col(timestamp_with_time_zone(LinkCheck::CheckedAt))
                .to_owned(),
        )
        .await
    }
}
