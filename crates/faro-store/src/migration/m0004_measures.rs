//! The observatory's measures. Multi-valued fields (categories, target
//! groups) are stored `;`-separated, as in the open-data CSV.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Measure {
    Table,
    Id,
    Institution,
    Country,
    Crisis,
    Categories,
    LogType,
    AnnouncedDate,
    StartDate,
    EndDate,
    TargetGroups,
    ScopeLevel,
    ScopeTargeting,
    OriginalLanguage,
    TitleEs,
    TitleEn,
    TitlePt,
    DescriptionEs,
    DescriptionEn,
    DescriptionPt,
    SourceUrl,
    SourceType,
    SourceTitle,
    SourceAccessed,
    Status,
    Notes,
    EnteredBy,
    ReviewedBy,
    LastReviewed,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Measure::Table)
                .if_not_exists()
                .col(string_len(Measure::Id, 64).primary_key())
                .col(string_len(Measure::Institution, 64))
                .col(string_len_null(Measure::Country, 2))
                .col(string_len(Measure::Crisis, 64))
                .col(string_len(Measure::Categories, 200))
                .col(string_len(Measure::LogType, 20))
                .col(string_len(Measure::AnnouncedDate, 10))
                .col(string_len(Measure::StartDate, 10))
                .col(string_len(Measure::EndDate, 10))
                .col(string_len(Measure::TargetGroups, 400))
                .col(string_len(Measure::ScopeLevel, 20))
                .col(string_len(Measure::ScopeTargeting, 20))
                .col(string_len(Measure::OriginalLanguage, 8))
                .col(text(Measure::TitleEs))
                .col(text(Measure::TitleEn))
                .col(text(Measure::TitlePt))
                .col(text(Measure::DescriptionEs))
                .col(text(Measure::DescriptionEn))
                .col(text(Measure::DescriptionPt))
                .col(text(Measure::SourceUrl))
                .col(string_len(Measure::SourceType, 20))
                .col(text(Measure::SourceTitle))
                .col(string_len(Measure::SourceAccessed, 10))
                .col(string_len(Measure::Status, 20))
                .col(text(Measure::Notes))
                .col(string_len(Measure::EnteredBy, 200))
                .col(string_len(Measure::ReviewedBy, 200))
                .col(string_len(Measure::LastReviewed, 10))
                .col(timestamp_with_time_zone(Measure::CreatedAt))
                .col(timestamp_with_time_zone(Measure::UpdatedAt))
                .col(timestamp_with_time_zone_null(Measure::DeletedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Measure::Table, Measure::Institution)
                        .to(Alias::new("institution"), Alias::new("id")),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_measure_institution")
                .table(Measure::Table)
                .col(Measure::Institution)
                .if_not_exists()
                .to_owned(),
        )
        .await
    }
}
