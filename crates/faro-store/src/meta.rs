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

/// A random identity of this database, made once. The search index records
/// it, so an index built from another database is recognised as stale.
pub async fn site_id(store: &Store) -> Result<String> {
    if let Some(id) = get(store, "site_id").await? {
        return Ok(id);
    }
    let id = crate::accounts::random_token()[..16].to_string();
    // Insert-if-absent: with several processes starting at once, one wins.
    meta::Entity::insert(meta::ActiveModel {
        key: Set("site_id".to_string()),
        value: Set(id),
    })
    .on_conflict_do_nothing_on([meta::Column::Key])
    .exec(store.write())
    .await?;
    Ok(get(store, "site_id").await?.unwrap_or_default())
}
