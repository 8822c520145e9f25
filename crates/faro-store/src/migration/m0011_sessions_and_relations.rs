//! Event sessions, and the knowledge base's identifiers and relations
//! (resources ↔ measures, resources ↔ sessions; `;`-separated ids as in the CSV).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Resource {
    Table,
    Identifiers,
    RelatedMeasures,
    RelatedSessions,
}

#[derive(DeriveIden)]
enum EventSession {
    Table,
    Id,
    Series,
    Number,
    Date,
    TitleEs,
    TitleEn,
    TitlePt,
    OriginalLanguage,
    Channels,
    Notes,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for col in [
            Resource::Identifiers,
            Resource::RelatedMeasures,
            Resource::RelatedSessions,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Resource::Table)
                    .add_column(text(col).default(""))
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(EventSession::Table)
                .if_not_exists()
                .col(string_len(EventSession::Id, 64).primary_key())
                .col(string_len(EventSession::Series, 64))
                .col(integer(EventSession::Number))
                .col(string_len(EventSession::Date, 10))
                .col(text(EventSession::TitleEs))
                .col(text(EventSession::TitleEn))
                .col(text(EventSession::TitlePt))
                .col(string_len(EventSession::OriginalLanguage, 8))
                .col(text(EventSession::Channels))
                .col(text(EventSession::Notes))
                .col(timestamp_with_time_zone(EventSession::CreatedAt))
                .col(timestamp_with_time_zone(EventSession::UpdatedAt))
                .to_owned(),
        )
        .await
    }
}
