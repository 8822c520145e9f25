//! Reports generated from the data (migration `m0021_reports`).
//!
//! - A report is its markup in es/en/pt (see `faro_formats::report_markup`)
//!   with the titles read from it; coordinators save it through [`save`]
//!   (compare-and-set on `updated_at`, the history field by field).
//! - An edition ([`publish`]) freezes what was published: the three sources,
//!   the figures of its blocks as JSON (what the diff between editions
//!   compares) and its files — the HTML and the PDF in each language and one
//!   CSV per data block — as bytes that are never updated. The edition's
//!   number is the report's `editions` + 1, taken with a compare-and-set on
//!   that counter, so two publishers at once never share a number.

use crate::changes::{self, Actor, Fields};
use crate::list::Sql;
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait, Value};
use sha2::{Digest, Sha256};

pub const RECORD_TYPE: &str = "report";
pub const KINDS: &[&str] = &["custom", "series", "observatory", "survey"];
/// At most this many characters of markup per language.
pub const MAX_SOURCE: usize = 200_000;

/// Report ids: lowercase letters, digits and hyphens, at most 64.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    pub id: String,
    pub kind: String,
    /// es, en, pt.
    pub titles: [String; 3],
    /// es, en, pt.
    pub sources: [String; 3],
    pub editions: i32,
    pub updated_at: DateTime<Utc>,
}

impl Report {
    pub fn version(&self) -> String {
        self.updated_at.to_rfc3339()
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Edition {
    pub report_id: String,
    pub number: i32,
    pub titles: [String; 3],
    /// JSON: `{"es": "...", "en": "...", "pt": "..."}`.
    pub sources: String,
    /// JSON: the figures of the edition's blocks (key → shown value).
    pub figures: String,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

/// One frozen file of an edition.
#[derive(Debug, Clone, PartialEq)]
pub struct EditionFile {
    pub name: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

fn report_from(r: &sea_orm::QueryResult) -> Result<Report> {
    Ok(Report {
        id: r.try_get("", "id")?,
        kind: r.try_get("", "kind")?,
        titles: [
            r.try_get("", "title_es")?,
            r.try_get("", "title_en")?,
            r.try_get("", "title_pt")?,
        ],
        sources: [
            r.try_get("", "source_es")?,
            r.try_get("", "source_en")?,
            r.try_get("", "source_pt")?,
        ],
        editions: r.try_get("", "editions")?,
        updated_at: r.try_get("", "updated_at")?,
    })
}

const COLUMNS: &str =
    "id, kind, title_es, title_en, title_pt, source_es, source_en, source_pt, editions, updated_at";

async fn get_in<C: ConnectionTrait>(db: &C, id: &str) -> Result<Report> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT ")
        .push(COLUMNS)
        .push(" FROM report WHERE id = ")
        .bind(id.to_string());
    match db.query_one_raw(sql.statement()).await? {
        Some(r) => report_from(&r),
        None => Err(StoreError::NotFound),
    }
}

pub async fn get(store: &Store, id: &str) -> Result<Report> {
    get_in(store.read(), id).await
}

/// A page of reports by id, and the total.
pub async fn list(store: &Store, offset: u64, limit: u64) -> Result<(Vec<Report>, u64)> {
    let limit = limit.clamp(1, 100);
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT ")
        .push(COLUMNS)
        .push(" FROM report ORDER BY id LIMIT ")
        .bind(limit as i64)
        .push(" OFFSET ")
        .bind(offset as i64);
    let rows = store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(report_from)
        .collect::<Result<Vec<_>>>()?;
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT COUNT(*) AS n FROM report");
    let total: i64 = match store.read().query_one_raw(sql.statement()).await? {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    };
    Ok((rows, total as u64))
}

fn fields(r: &Report) -> Fields {
    vec![
        ("kind", Some(r.kind.clone())),
        ("title_es", Some(r.titles[0].clone())),
        ("title_en", Some(r.titles[1].clone())),
        ("title_pt", Some(r.titles[2].clone())),
        ("source_es", Some(r.sources[0].clone())),
        ("source_en", Some(r.sources[1].clone())),
        ("source_pt", Some(r.sources[2].clone())),
    ]
}

/// Creates (`version` = [`changes::NEW_RECORD`]) or updates a report's
/// markup; an update over another version than `version` is
/// [`StoreError::Conflict`]. Returns the new version.
pub async fn save(store: &Store, r: &Report, version: Option<&str>, actor: &str) -> Result<String> {
    if !valid_id(&r.id) {
        return Err(StoreError::Invalid(format!(
            "report id {:?}: use lowercase letters, digits and hyphens",
            r.id
        )));
    }
    if !KINDS.contains(&r.kind.as_str()) {
        return Err(StoreError::Invalid(format!("report kind {:?}", r.kind)));
    }
    if r.sources.iter().any(|s| s.chars().count() > MAX_SOURCE) {
        return Err(StoreError::Invalid(format!(
            "a report's text is at most {MAX_SOURCE} characters per language"
        )));
    }
    let now = Utc::now();
    let txn = store.write().begin().await?;
    let backend = txn.get_database_backend();
    let old = match get_in(&txn, &r.id).await {
        Ok(o) => Some(o),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let actor = Actor::new(actor, None);
    match &old {
        None => {
            if version.is_some_and(|v| v != changes::NEW_RECORD) {
                return Err(StoreError::NotFound);
            }
            let mut sql = Sql::new(backend);
            sql.push("INSERT INTO report (id, kind, title_es, title_en, title_pt, source_es, source_en, source_pt, editions, created_at, updated_at) VALUES (")
                .bind(r.id.clone());
            for v in [&r.kind]
                .into_iter()
                .chain(r.titles.iter())
                .chain(r.sources.iter())
            {
                sql.push(", ").bind(v.clone());
            }
            sql.push(", 0, ").bind(now).push(", ").bind(now).push(")");
            txn.execute_raw(sql.statement()).await?;
            let diff = changes::diff(None, &fields(r));
            changes::record(&txn, &actor, RECORD_TYPE, &r.id, "created", &diff).await?;
        }
        Some(o) => {
            if version == Some(changes::NEW_RECORD) {
                return Err(StoreError::Conflict);
            }
            changes::check_version(version, Some(o.updated_at))?;
            let diff = changes::diff(Some(&fields(o)), &fields(r));
            if diff.is_empty() {
                txn.rollback().await?;
                return Ok(o.version());
            }
            let mut sql = Sql::new(backend);
            sql.push("UPDATE report SET kind = ").bind(r.kind.clone());
            for (c, v) in [
                ("title_es", &r.titles[0]),
                ("title_en", &r.titles[1]),
                ("title_pt", &r.titles[2]),
                ("source_es", &r.sources[0]),
                ("source_en", &r.sources[1]),
                ("source_pt", &r.sources[2]),
            ] {
                sql.push(", ").push(c).push(" = ").bind(v.clone());
            }
            sql.push(", updated_at = ")
                .bind(now)
                .push(" WHERE id = ")
                .bind(r.id.clone())
                .push(" AND updated_at = ")
                .bind(o.updated_at);
            if txn.execute_raw(sql.statement()).await?.rows_affected() != 1 {
                return Err(StoreError::Conflict);
            }
            changes::record(&txn, &actor, RECORD_TYPE, &r.id, "updated", &diff).await?;
        }
    }
    txn.commit().await?;
    Ok(now.to_rfc3339())
}

/// What a new edition holds (made before the write transaction).
#[derive(Debug, Clone)]
pub struct NewEdition {
    pub titles: [String; 3],
    pub sources: String,
    pub figures: String,
    pub files: Vec<EditionFile>,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Publishes the next edition of a report made from the version `version`
/// of its markup (another version is [`StoreError::Conflict`]): edition
/// row, files, the report's counter and a history row, in one transaction.
pub async fn publish(
    store: &Store,
    id: &str,
    version: &str,
    edition: NewEdition,
    actor: &str,
) -> Result<i32> {
    let now = Utc::now();
    let txn = store.write().begin().await?;
    let backend = txn.get_database_backend();
    let r = get_in(&txn, id).await?;
    changes::check_version(Some(version), Some(r.updated_at))?;
    let number = r.editions + 1;
    let mut sql = Sql::new(backend);
    sql.push("UPDATE report SET editions = ")
        .bind(number)
        .push(" WHERE id = ")
        .bind(id.to_string())
        .push(" AND editions = ")
        .bind(r.editions);
    if txn.execute_raw(sql.statement()).await?.rows_affected() != 1 {
        return Err(StoreError::Conflict);
    }
    let mut sql = Sql::new(backend);
    sql.push("INSERT INTO report_edition (report_id, number, title_es, title_en, title_pt, sources, figures, published_at, published_by) VALUES (")
        .bind(id.to_string())
        .push(", ")
        .bind(number);
    for v in edition.titles.iter() {
        sql.push(", ").bind(v.clone());
    }
    sql.push(", ")
        .bind(edition.sources.clone())
        .push(", ")
        .bind(edition.figures.clone())
        .push(", ")
        .bind(now)
        .push(", ")
        .bind(actor.to_string())
        .push(")");
    txn.execute_raw(sql.statement()).await?;
    for f in &edition.files {
        let mut sql = Sql::new(backend);
        sql.push(
            "INSERT INTO report_edition_file (report_id, number, name, media_type, sha256, content) VALUES (",
        )
        .bind(id.to_string())
        .push(", ")
        .bind(number)
        .push(", ")
        .bind(f.name.clone())
        .push(", ")
        .bind(f.media_type.clone())
        .push(", ")
        .bind(hex(&Sha256::digest(&f.content)))
        .push(", ")
        .bind(Value::Bytes(Some(f.content.clone())))
        .push(")");
        txn.execute_raw(sql.statement()).await?;
    }
    let actor = Actor::new(actor, None);
    changes::record(
        &txn,
        &actor,
        RECORD_TYPE,
        id,
        "published",
        &[changes::FieldChange {
            field: "edition",
            old: (r.editions > 0).then(|| r.editions.to_string()),
            new: Some(number.to_string()),
        }],
    )
    .await?;
    txn.commit().await?;
    Ok(number)
}

fn edition_from(r: &sea_orm::QueryResult) -> Result<Edition> {
    Ok(Edition {
        report_id: r.try_get("", "report_id")?,
        number: r.try_get("", "number")?,
        titles: [
            r.try_get("", "title_es")?,
            r.try_get("", "title_en")?,
            r.try_get("", "title_pt")?,
        ],
        sources: r.try_get("", "sources")?,
        figures: r.try_get("", "figures")?,
        published_at: r.try_get("", "published_at")?,
        published_by: r.try_get("", "published_by")?,
    })
}

const EDITION_COLUMNS: &str =
    "report_id, number, title_es, title_en, title_pt, sources, figures, published_at, published_by";

/// A report's editions, newest first (at most `limit`).
pub async fn editions(store: &Store, id: &str, limit: u64) -> Result<Vec<Edition>> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT ")
        .push(EDITION_COLUMNS)
        .push(" FROM report_edition WHERE report_id = ")
        .bind(id.to_string())
        .push(" ORDER BY number DESC LIMIT ")
        .bind(limit.clamp(1, 500) as i64);
    store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(edition_from)
        .collect()
}

pub async fn edition(store: &Store, id: &str, number: i32) -> Result<Edition> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT ")
        .push(EDITION_COLUMNS)
        .push(" FROM report_edition WHERE report_id = ")
        .bind(id.to_string())
        .push(" AND number = ")
        .bind(number);
    match store.read().query_one_raw(sql.statement()).await? {
        Some(r) => edition_from(&r),
        None => Err(StoreError::NotFound),
    }
}

/// The names and media types of an edition's files.
pub async fn edition_files(store: &Store, id: &str, number: i32) -> Result<Vec<(String, String)>> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT name, media_type FROM report_edition_file WHERE report_id = ")
        .bind(id.to_string())
        .push(" AND number = ")
        .bind(number)
        .push(" ORDER BY name LIMIT 1000");
    store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "name")?, r.try_get("", "media_type")?)))
        .collect()
}

/// One frozen file, byte for byte.
pub async fn edition_file(store: &Store, id: &str, number: i32, name: &str) -> Result<EditionFile> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT name, media_type, content FROM report_edition_file WHERE report_id = ")
        .bind(id.to_string())
        .push(" AND number = ")
        .bind(number)
        .push(" AND name = ")
        .bind(name.to_string());
    match store.read().query_one_raw(sql.statement()).await? {
        Some(r) => Ok(EditionFile {
            name: r.try_get("", "name")?,
            media_type: r.try_get("", "media_type")?,
            content: r.try_get("", "content")?,
        }),
        None => Err(StoreError::NotFound),
    }
}

/// How many records of a type changed after `at` (the history; an index
/// on `(record_type, at)`).
pub async fn changed_since(store: &Store, record_type: &str, at: DateTime<Utc>) -> Result<i64> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT COUNT(DISTINCT record_id) AS n FROM change_log WHERE record_type = ")
        .bind(record_type.to_string())
        .push(" AND at > ")
        .bind(at);
    Ok(match store.read().query_one_raw(sql.statement()).await? {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    })
}
