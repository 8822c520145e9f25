//! Numbered data releases: a frozen copy of every open-data file, stored in
//! the database (so every process serves the same bytes) and never changed.

use crate::entity::data_release_file::{self, Column, Entity};
use crate::{Result, Store, StoreError};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

/// Release names: lowercase letters, digits, dots and hyphens (e.g. `2026.1`).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && !name.starts_with('.')
}

/// Freezes `files` as release `name`. Refuses an existing name: a release
/// is never overwritten.
pub async fn create(store: &Store, name: &str, files: &[(String, String)]) -> Result<()> {
    if !valid_name(name) {
        return Err(StoreError::Invalid(format!(
            "release name {name:?}: use lowercase letters, digits, dots and hyphens"
        )));
    }
    let txn = store.write().begin().await?;
    if Entity::find()
        .filter(Column::Release.eq(name))
        .count(&txn)
        .await?
        > 0
    {
        return Err(StoreError::Invalid(format!(
            "release {name:?} already exists and is never changed"
        )));
    }
    let now = chrono::Utc::now();
    for (file, content) in files {
        Entity::insert(data_release_file::ActiveModel {
            release: Set(name.to_string()),
            name: Set(file.clone()),
            content: Set(content.clone()),
            created_at: Set(now),
        })
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Release names with their creation time, newest first.
pub async fn list(store: &Store) -> Result<Vec<(String, chrono::DateTime<chrono::Utc>)>> {
    let rows: Vec<(String, chrono::DateTime<chrono::Utc>)> = Entity::find()
        .select_only()
        .column(Column::Release)
        .column(Column::CreatedAt)
        .distinct()
        .order_by_desc(Column::CreatedAt)
        .order_by_asc(Column::Release)
        .into_tuple()
        .all(store.read())
        .await?;
    Ok(rows)
}

pub async fn file(store: &Store, release: &str, name: &str) -> Result<String> {
    Entity::find_by_id((release.to_string(), name.to_string()))
        .one(store.read())
        .await?
        .map(|m| m.content)
        .ok_or(StoreError::NotFound)
}

/// The files of the newest `limit` releases with their sizes in bytes
/// (counted by the database, contents not read): (release, file, bytes),
/// newest release first, files by name.
pub async fn sizes(store: &Store, limit: u64) -> Result<Vec<(String, String, i64)>> {
    use sea_orm::ConnectionTrait;
    let names: Vec<String> = list(store)
        .await?
        .into_iter()
        .take(limit as usize)
        .map(|(n, _)| n)
        .collect();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let backend = store.backend();
    let len = match backend {
        sea_orm::DbBackend::Postgres => "CAST(OCTET_LENGTH(content) AS BIGINT)",
        // SQLite: the length of the text as UTF-8 bytes.
        _ => "LENGTH(CAST(content AS BLOB))",
    };
    let mut sql = crate::list::Sql::new(backend);
    sql.push(&format!(
        "SELECT \"release\" AS rel, name, {len} AS bytes FROM data_release_file \
         WHERE \"release\" IN ("
    ));
    for (n, r) in names.iter().enumerate() {
        if n > 0 {
            sql.push(", ");
        }
        sql.bind(r.clone());
    }
    sql.push(") ORDER BY name");
    let mut rows: Vec<(String, String, i64)> = store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("", "rel")?,
                r.try_get("", "name")?,
                r.try_get("", "bytes")?,
            ))
        })
        .collect::<Result<_>>()?;
    rows.sort_by_key(|(r, _, _)| names.iter().position(|n| n == r).unwrap_or(usize::MAX));
    Ok(rows)
}
