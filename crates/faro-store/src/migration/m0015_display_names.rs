//! Accounts get a public name the person chooses (`app_user.display_name`):
//! public pages and open data show it, or the account's role, never the
//! e-mail address. Empty (NULL) until the person sets one.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppUser {
    Table,
    DisplayName,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(AppUser::Table)
                .add_column(string_null(AppUser::DisplayName))
                .to_owned(),
        )
        .await
    }
}
