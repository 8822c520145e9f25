//! Accounts, sessions, API tokens, one-time links, login throttling, and
//! the editable profile fields and soft delete of institutions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Institution {
    Table,
    DescriptionEs,
    DescriptionEn,
    DescriptionPt,
    ContactEmail,
    DeletedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Email,
    PasswordHash,
    Role,
    Disabled,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UserInstitution {
    Table,
    UserId,
    InstitutionId,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    IdHash,
    UserId,
    Csrf,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum OneTimeLink {
    Table,
    TokenHash,
    UserId,
    Purpose,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginFailure {
    Table,
    Id,
    Account,
    Client,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite can add only one column per ALTER TABLE: one statement each.
        for col in [
            text_null(Institution::DescriptionEs),
            text_null(Institution::DescriptionEn),
            text_null(Institution::DescriptionPt),
            string_len_null(Institution::ContactEmail, 254),
            timestamp_with_time_zone_null(Institution::DeletedAt),
        ] {
            let mut col = col;
            m.alter_table(
                Table::alter()
                    .table(Institution::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(AppUser::Table)
                .if_not_exists()
                .col(big_pk_auto(AppUser::Id))
                .col(string_len_uniq(AppUser::Email, 254))
                .col(text_null(AppUser::PasswordHash))
                .col(string_len(AppUser::Role, 20))
                .col(boolean(AppUser::Disabled).default(false))
                .col(timestamp_with_time_zone(AppUser::CreatedAt))
                .col(timestamp_with_time_zone(AppUser::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(UserInstitution::Table)
                .if_not_exists()
                .col(big_integer(UserInstitution::UserId))
                .col(string_len(UserInstitution::InstitutionId, 64))
                .primary_key(
                    Index::create()
                        .col(UserInstitution::UserId)
                        .col(UserInstitution::InstitutionId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(UserInstitution::Table, UserInstitution::UserId)
                        .to(AppUser::Table, AppUser::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(UserInstitution::Table, UserInstitution::InstitutionId)
                        .to(Institution::Table, Alias::new("id")),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Session::Table)
                .if_not_exists()
                .col(string_len(Session::IdHash, 64).primary_key())
                .col(big_integer(Session::UserId))
                .col(string_len(Session::Csrf, 64))
                .col(timestamp_with_time_zone(Session::CreatedAt))
                .col(timestamp_with_time_zone(Session::LastSeenAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Session::Table, Session::UserId)
                        .to(AppUser::Table, AppUser::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ApiToken::Table)
                .if_not_exists()
                .col(big_pk_auto(ApiToken::Id))
                .col(big_integer(ApiToken::UserId))
                .col(string_len(ApiToken::Name, 100))
                .col(string_len_uniq(ApiToken::TokenHash, 64))
                .col(timestamp_with_time_zone(ApiToken::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiToken::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiToken::RevokedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ApiToken::Table, ApiToken::UserId)
                        .to(AppUser::Table, AppUser::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OneTimeLink::Table)
                .if_not_exists()
                .col(string_len(OneTimeLink::TokenHash, 64).primary_key())
                .col(big_integer(OneTimeLink::UserId))
                .col(string_len(OneTimeLink::Purpose, 20))
                .col(timestamp_with_time_zone(OneTimeLink::CreatedAt))
                .col(timestamp_with_time_zone(OneTimeLink::ExpiresAt))
                .col(timestamp_with_time_zone_null(OneTimeLink::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(OneTimeLink::Table, OneTimeLink::UserId)
                        .to(AppUser::Table, AppUser::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LoginFailure::Table)
                .if_not_exists()
                .col(big_pk_auto(LoginFailure::Id))
                .col(string_len(LoginFailure::Account, 254))
                .col(string_len(LoginFailure::Client, 64))
                .col(timestamp_with_time_zone(LoginFailure::At))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_login_failure_account", LoginFailure::Account),
            ("idx_login_failure_client", LoginFailure::Client),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(LoginFailure::Table)
                    .col(col)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
