//! The directory's text filter in SQL: `institution.search_text` holds the
//! folded (lower case, no accents) id, acronym and names, kept by every
//! write, so `q` is a `LIKE` instead of reading every institution.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Institution {
    Table,
    SearchText,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Institution::Table)
                .add_column(text_null(Institution::SearchText))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, acronym, name_es, name_en, name_pt FROM institution",
            ))
            .await?;
        for row in rows {
            let id: String = row.try_get("", "id")?;
            let parts: Vec<String> = ["id", "acronym", "name_es", "name_en", "name_pt"]
                .iter()
                .map(|c| row.try_get::<String>("", c))
                .collect::<Result<_, _>>()?;
            let text = crate::institutions::search_text(
                &parts.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            let sql = match backend {
                DbBackend::Postgres => "UPDATE institution SET search_text = $1 WHERE id = $2",
                _ => "UPDATE institution SET search_text = ? WHERE id = ?",
            };
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [text.into(), id.into()],
            ))
            .await?;
        }
        Ok(())
    }
}
