//! The text extracted from uploaded PDFs, for search.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ResourceFile {
    Table,
    Text,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ResourceFile::Table)
                .add_column(text_null(ResourceFile::Text))
                .to_owned(),
        )
        .await
    }
}
