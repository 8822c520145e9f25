//! The search outbox. Writers add a row per changed record inside their
//! transaction ([`notify`], called by `changes::record`); each server's
//! indexer reads rows after its cursor ([`since`]). Several processes on one
//! PostgreSQL database each follow it for their own index.

use crate::entity::search_outbox::{self, Column, Entity};
use crate::{Result, Store};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub async fn notify<C: ConnectionTrait>(db: &C, record_type: &str, record_id: &str) -> Result<()> {
    Entity::insert(search_outbox::ActiveModel {
        id: NotSet,
        record_type: Set(record_type.to_string()),
        record_id: Set(record_id.to_string()),
        at: Set(chrono::Utc::now()),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Rows after `cursor`, oldest first, at most `limit`.
pub async fn since(store: &Store, cursor: i64, limit: u64) -> Result<Vec<search_outbox::Model>> {
    Ok(Entity::find()
        .filter(Column::Id.gt(cursor))
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(store.read())
        .await?)
}

/// The newest row id (0 when empty).
pub async fn max_id(store: &Store) -> Result<i64> {
    Ok(Entity::find()
        .order_by_desc(Column::Id)
        .one(store.read())
        .await?
        .map(|m| m.id)
        .unwrap_or(0))
}

/// The newest row (the data version) and when it was written: `(0, None)`
/// when empty. Every committed write adds a row, so open-data files built
/// from the database are the same while this is.
pub async fn newest(store: &Store) -> Result<(i64, Option<chrono::DateTime<chrono::Utc>>)> {
    Ok(Entity::find()
        .order_by_desc(Column::Id)
        .one(store.read())
        .await?
        .map(|m| (m.id, Some(m.at)))
        .unwrap_or((0, None)))
}

/// Forgets rows older than `keep` (indexers behind that rebuild instead).
pub async fn prune(store: &Store, before_id: i64) -> Result<u64> {
    Ok(Entity::delete_many()
        .filter(Column::Id.lt(before_id))
        .exec(store.write())
        .await?
        .rows_affected)
}
