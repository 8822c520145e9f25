//! Backend-neutral export and import of a whole site (`faro export all` /
//! `faro import all`): one JSON Lines file per table and a manifest. Moving a
//! site between SQLite and PostgreSQL goes through this, never through a
//! database-specific dump (ENGINEERING.md pitfall 2).

use crate::entity::accounts::{api_token, app_user, user_institution};
use crate::entity::{
    change_log, correction, data_release_file, event_session, institution, measure, meta, resource,
    resource_file,
};
use crate::{Result, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseTransaction, DbBackend,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

pub const FORMAT: &str = "faro-dump";
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub tables: Vec<TableInfo>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct TableInfo {
    pub name: String,
    pub file: String,
    pub rows: u64,
}

fn write_jsonl<T: Serialize>(dir: &Path, name: &str, rows: &[T]) -> Result<TableInfo> {
    let file = format!("{name}.jsonl");
    let mut w = BufWriter::new(std::fs::File::create(dir.join(&file))?);
    for r in rows {
        serde_json::to_writer(&mut w, r).map_err(std::io::Error::other)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    Ok(TableInfo {
        name: name.to_string(),
        file,
        rows: rows.len() as u64,
    })
}

/// Writes every table to `dir` (created if needed).
pub async fn export_all(store: &Store, dir: &Path) -> Result<Manifest> {
    std::fs::create_dir_all(dir)?;
    let db = store.read();
    let tables = vec![
        write_jsonl(
            dir,
            "institution",
            &institution::Entity::find()
                .order_by_asc(institution::Column::Id)
                .all(db)
                .await?,
        )?,
        write_jsonl(
            dir,
            "measure",
            &measure::Entity::find()
                .order_by_asc(measure::Column::Id)
                .all(db)
                .await?,
        )?,
        write_jsonl(
            dir,
            "change_log",
            &change_log::Entity::find()
                .order_by_asc(change_log::Column::Id)
                .all(db)
                .await?,
        )?,
        write_jsonl(
            dir,
            "app_user",
            &app_user::Entity::find()
                .order_by_asc(app_user::Column::Id)
                .all(db)
                .await?,
        )?,
        write_jsonl(
            dir,
            "user_institution",
            &user_institution::Entity::find()
                .order_by_asc(user_institution::Column::UserId)
                .order_by_asc(user_institution::Column::InstitutionId)
                .all(db)
                .await?,
        )?,
        write_jsonl(
            dir,
            "api_token",
            &api_token::Entity::find()
                .order_by_asc(api_token::Column::Id)
                .all(db)
                .await?,
        )?,
        write_jsonl(
            dir,
            "event_session",
            &event_session::Entity::find()
                .order_by_asc(event_session::Column::Id)
                .all(db)
                .await?,
        )?,
        write_jsonl(
            dir,
            "resource",
            &resource::Entity::find()
                .order_by_asc(resource::Column::Id)
                .all(db)
                .await?,
        )?,
        write_jsonl(
            dir,
            "resource_file",
            &resource_file::Entity::find()
                .order_by_asc(resource_file::Column::ResourceId)
                .order_by_asc(resource_file::Column::Sha256)
                .all(db)
                .await?,
        )?,
        write_jsonl(
            dir,
            "correction",
            &correction::Entity::find()
                .order_by_asc(correction::Column::Id)
                .all(db)
                .await?,
        )?,
        write_jsonl(
            dir,
            "data_release_file",
            &data_release_file::Entity::find()
                .order_by_asc(data_release_file::Column::Release)
                .order_by_asc(data_release_file::Column::Name)
                .all(db)
                .await?,
        )?,
        write_jsonl(
            dir,
            "faro_meta",
            &meta::Entity::find()
                .order_by_asc(meta::Column::Key)
                .all(db)
                .await?,
        )?,
    ];
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        tables,
    };
    let text = serde_json::to_string_pretty(&manifest).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("manifest.json"), text + "\n")?;
    Ok(manifest)
}

fn read_jsonl<T: DeserializeOwned>(dir: &Path, info: &TableInfo) -> Result<Vec<T>> {
    if info.file.contains('/') || info.file.contains('\\') || info.file.starts_with('.') {
        return Err(StoreError::Invalid(format!(
            "bad file name {:?} in manifest",
            info.file
        )));
    }
    let f = std::fs::File::open(dir.join(&info.file))?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(&line)
                .map_err(|e| StoreError::Invalid(format!("{} line {}: {e}", info.file, n + 1)))?,
        );
    }
    if out.len() as u64 != info.rows {
        return Err(StoreError::Invalid(format!(
            "{}: manifest says {} rows, file has {}",
            info.file,
            info.rows,
            out.len()
        )));
    }
    Ok(out)
}

fn table<'a>(m: &'a Manifest, name: &str) -> Result<&'a TableInfo> {
    m.tables
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| StoreError::Invalid(format!("manifest lists no table {name:?}")))
}

/// Models as active models, every field as it was.
fn plain<M: IntoActiveModel<A>, A: ActiveModelTrait>(models: Vec<M>) -> impl Iterator<Item = A> {
    models.into_iter().map(IntoActiveModel::into_active_model)
}

/// Inserts rows in batches (bounded statement size on both backends).
async fn insert_all<A>(txn: &DatabaseTransaction, rows: impl Iterator<Item = A>) -> Result<()>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(200).collect();
        A::Entity::insert_many(batch).exec(txn).await?;
    }
    Ok(())
}

/// Loads a dump into an empty site, all or nothing.
pub async fn import_all(store: &Store, dir: &Path) -> Result<Manifest> {
    let text = std::fs::read_to_string(dir.join("manifest.json"))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| StoreError::Invalid(format!("manifest.json: {e}")))?;
    if manifest.format != FORMAT || manifest.version != VERSION {
        return Err(StoreError::Invalid(format!(
            "unsupported dump {} v{} (this Faro reads {FORMAT} v{VERSION})",
            manifest.format, manifest.version
        )));
    }
    // Read and parse everything before touching the database.
    let institutions: Vec<institution::Model> = read_jsonl(dir, table(&manifest, "institution")?)?;
    let changes: Vec<change_log::Model> = read_jsonl(dir, table(&manifest, "change_log")?)?;
    let measures: Vec<measure::Model> = read_jsonl(dir, table(&manifest, "measure")?)?;
    let corrections: Vec<correction::Model> = read_jsonl(dir, table(&manifest, "correction")?)?;
    // Tables added after the first dumps: absent means empty.
    let sessions: Vec<event_session::Model> =
        match manifest.tables.iter().find(|t| t.name == "event_session") {
            Some(info) => read_jsonl(dir, info)?,
            None => Vec::new(),
        };
    let resources: Vec<resource::Model> = read_jsonl(dir, table(&manifest, "resource")?)?;
    let resource_files: Vec<resource_file::Model> =
        read_jsonl(dir, table(&manifest, "resource_file")?)?;
    let releases: Vec<data_release_file::Model> =
        read_jsonl(dir, table(&manifest, "data_release_file")?)?;
    let metas: Vec<meta::Model> = read_jsonl(dir, table(&manifest, "faro_meta")?)?;
    let users: Vec<app_user::Model> = read_jsonl(dir, table(&manifest, "app_user")?)?;
    let scopes: Vec<user_institution::Model> =
        read_jsonl(dir, table(&manifest, "user_institution")?)?;
    let tokens: Vec<api_token::Model> = read_jsonl(dir, table(&manifest, "api_token")?)?;

    let txn = store.write().begin().await?;
    let present = institution::Entity::find().count(&txn).await?
        + change_log::Entity::find().count(&txn).await?
        + app_user::Entity::find().count(&txn).await?;
    if present > 0 {
        return Err(StoreError::Invalid(
            "the target database already holds data; import a whole site only into an empty one"
                .into(),
        ));
    }
    // Demo data may have been flagged by a previous start: the dump's meta wins.
    meta::Entity::delete_many().exec(&txn).await?;
    // Parents before children (foreign keys); ids of auto-increment tables
    // are kept as they were, so history and tokens stay linked.
    insert_all(&txn, plain(institutions)).await?;
    insert_all(&txn, plain(measures)).await?;
    insert_all(&txn, plain(sessions)).await?;
    insert_all(&txn, plain(resources)).await?;
    insert_all(&txn, plain(resource_files)).await?;
    insert_all(
        &txn,
        corrections.into_iter().map(|m| {
            let id = m.id;
            correction::ActiveModel {
                id: Set(id),
                ..m.into_active_model()
            }
        }),
    )
    .await?;
    insert_all(&txn, plain(releases)).await?;
    insert_all(
        &txn,
        changes.into_iter().map(|m| {
            let id = m.id;
            change_log::ActiveModel {
                id: Set(id),
                ..m.into_active_model()
            }
        }),
    )
    .await?;
    insert_all(&txn, plain(metas)).await?;
    insert_all(
        &txn,
        users.into_iter().map(|m| {
            let id = m.id;
            app_user::ActiveModel {
                id: Set(id),
                ..m.into_active_model()
            }
        }),
    )
    .await?;
    insert_all(&txn, plain(scopes)).await?;
    insert_all(
        &txn,
        tokens.into_iter().map(|m| {
            let id = m.id;
            api_token::ActiveModel {
                id: Set(id),
                ..m.into_active_model()
            }
        }),
    )
    .await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        for table in ["change_log", "app_user", "api_token", "correction"] {
            txn.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .await?;
        }
    }
    txn.commit().await?;
    Ok(manifest)
}
