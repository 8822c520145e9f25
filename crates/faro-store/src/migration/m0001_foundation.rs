use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Institution {
    Table,
    Id,
    Acronym,
    NameEs,
    NameEn,
    NamePt,
    Country,
    Kind,
    Member,
    Presenter,
    Website,
    Note,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Id,
    ChangeSet,
    RecordType,
    RecordId,
    Action,
    Field,
    OldValue,
    NewValue,
    Actor,
    Reason,
    At,
}

#[derive(DeriveIden)]
enum FaroMeta {
    Table,
    Key,
    Value,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Institution::Table)
                    .if_not_exists()
                    .col(string_len(Institution::Id, 64).primary_key())
                    .col(string_len(Institution::Acronym, 120))
                    .col(string_len(Institution::NameEs, 300))
                    .col(string_len(Institution::NameEn, 300))
                    .col(string_len(Institution::NamePt, 300))
                    .col(string_len_null(Institution::Country, 2))
                    .col(string_len(Institution::Kind, 40))
                    .col(boolean(Institution::Member))
                    .col(boolean(Institution::Presenter))
                    .col(string_len_null(Institution::Website, 500))
                    .col(text_null(Institution::Note))
                    .col(timestamp_with_time_zone(Institution::CreatedAt))
                    .col(timestamp_with_time_zone(Institution::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_institution_country", Institution::Country),
            ("idx_institution_kind", Institution::Kind),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Institution::Table)
                        .col(col)
                        .if_not_exists()
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ChangeLog::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ChangeLog::Id))
                    .col(string_len(ChangeLog::ChangeSet, 64))
                    .col(string_len(ChangeLog::RecordType, 40))
                    .col(string_len(ChangeLog::RecordId, 64))
                    .col(string_len(ChangeLog::Action, 16))
                    .col(string_len(ChangeLog::Field, 64))
                    .col(text_null(ChangeLog::OldValue))
                    .col(text_null(ChangeLog::NewValue))
                    .col(string_len(ChangeLog::Actor, 200))
                    .col(text_null(ChangeLog::Reason))
                    .col(timestamp_with_time_zone(ChangeLog::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_change_log_record")
                    .table(ChangeLog::Table)
                    .col(ChangeLog::RecordType)
                    .col(ChangeLog::RecordId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FaroMeta::Table)
                    .if_not_exists()
                    .col(string_len(FaroMeta::Key, 100).primary_key())
                    .col(text(FaroMeta::Value))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
