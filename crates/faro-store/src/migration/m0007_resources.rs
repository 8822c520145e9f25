//! The knowledge base's resources (multi-values `;`-separated, as in the CSV).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
#[allow(clippy::enum_variant_names)]
enum Resource {
    Table,
    Id,
    ResourceType,
    Institutions,
    Countries,
    Languages,
    Topics,
    Audience,
    License,
    Published,
    Url,
    TitleEs,
    TitleEn,
    TitlePt,
    DescriptionEs,
    DescriptionEn,
    DescriptionPt,
    OriginalLanguage,
    Notes,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Resource::Table)
                .if_not_exists()
                .col(string_len(Resource::Id, 64).primary_key())
                .col(string_len(Resource::ResourceType, 40))
                .col(text(Resource::Institutions))
                .col(text(Resource::Countries))
                .col(text(Resource::Languages))
                .col(text(Resource::Topics))
                .col(text(Resource::Audience))
                .col(string_len(Resource::License, 64))
                .col(string_len(Resource::Published, 10))
                .col(text(Resource::Url))
                .col(text(Resource::TitleEs))
                .col(text(Resource::TitleEn))
                .col(text(Resource::TitlePt))
                .col(text(Resource::DescriptionEs))
                .col(text(Resource::DescriptionEn))
                .col(text(Resource::DescriptionPt))
                .col(string_len(Resource::OriginalLanguage, 8))
                .col(text(Resource::Notes))
                .col(timestamp_with_time_zone(Resource::CreatedAt))
                .col(timestamp_with_time_zone(Resource::UpdatedAt))
                .col(timestamp_with_time_zone_null(Resource::DeletedAt))
                .to_owned(),
        )
        .await
    }
}
