//! Site facts in the `faro_meta` table.

use crate::entity::meta;
use crate::{Result, Store};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};

pub async fn get(store: &Store, key: &str) -> Result<Option<String>> {
    Ok(meta::Entity::find_by_id(key.to_string())
        .one(store.read())
        .await?
        .map(|m| m.value))
}

pub async fn set<C: ConnectionTrait>(db: &C, key: &str, value: &str) -> Result<()> {
    meta::Entity::insert(meta::ActiveModel {
        key: Set(key.to_string()),
        value: Set(value.to_string()),
    })
    .on_conflict(
        OnConflict::column(meta::Column::Key)
            .update_column(meta::Column::Value)
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}
