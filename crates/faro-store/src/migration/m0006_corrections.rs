//! Public corrections suggested on observatory measures.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Correction {
    Table,
    Id,
    MeasureId,
    What,
    SourceUrl,
    Contact,
    Client,
    Status,
    Decision,
    DecidedBy,
    CreatedAt,
    DecidedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Correction::Table)
                .if_not_exists()
                .col(big_pk_auto(Correction::Id))
                .col(string_len(Correction::MeasureId, 64))
                .col(text(Correction::What))
                .col(text(Correction::SourceUrl))
                .col(string_len(Correction::Contact, 254))
                .col(string_len(Correction::Client, 64))
                .col(string_len(Correction::Status, 20))
                .col(text(Correction::Decision))
                .col(string_len(Correction::DecidedBy, 200))
                .col(timestamp_with_time_zone(Correction::CreatedAt))
                .col(timestamp_with_time_zone_null(Correction::DecidedAt))
                .to_owned(),
        )
        .await
    }
}
