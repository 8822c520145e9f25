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
/// Measure rows as dumps carry them: the table's columns and the
/// multi-valued fields `;`-joined, as in every dump since the first (the
/// derived `start_year` is left out and recomputed on import).
async fn measure_rows<C: ConnectionTrait>(db: &C) -> Result<Vec<serde_json::Value>> {
    let models = measure::Entity::find()
        .order_by_asc(measure::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<String> = models.iter().map(|m| m.id.clone()).collect();
    let mut values = crate::list::values_of(
        db,
        "measure_value",
        "measure_id",
        "value",
        Some("facet"),
        &ids,
    )
    .await?;
    models
        .into_iter()
        .map(|m| {
            let v = values.remove(&m.id).unwrap_or_default();
            let mut row = serde_json::to_value(&m).map_err(std::io::Error::other)?;
            if let Some(o) = row.as_object_mut() {
                o.remove("start_year");
                for (key, facet) in MEASURE_MULTI {
                    o.insert(key.into(), join(&v, facet).into());
                }
            }
            Ok(row)
        })
        .collect()
}

const MEASURE_MULTI: [(&str, &str); 2] = [
    ("categories", "category"),
    ("target_groups", "target_group"),
];
const RESOURCE_MULTI: [(&str, &str); 5] = [
    ("countries", "country"),
    ("languages", "language"),
    ("topics", "topic"),
    ("audience", "audience"),
    ("identifiers", "identifier"),
];
const RESOURCE_LINKS: [(&str, &str, &str); 3] = [
    ("institutions", "resource_institution", "institution_id"),
    ("related_measures", "resource_measure", "measure_id"),
    ("related_sessions", "resource_session", "session_id"),
];

fn join(values: &[(String, String)], facet: &str) -> String {
    values
        .iter()
        .filter(|(k, _)| k == facet)
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

async fn resource_rows<C: ConnectionTrait>(db: &C) -> Result<Vec<serde_json::Value>> {
    let models = resource::Entity::find()
        .order_by_asc(resource::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<String> = models.iter().map(|m| m.id.clone()).collect();
    let mut values = crate::list::values_of(
        db,
        "resource_value",
        "resource_id",
        "value",
        Some("facet"),
        &ids,
    )
    .await?;
    let mut links = Vec::new();
    for (_, table, col) in RESOURCE_LINKS {
        links.push(crate::list::values_of(db, table, "resource_id", col, None, &ids).await?);
    }
    models
        .into_iter()
        .map(|m| {
            let v = values.remove(&m.id).unwrap_or_default();
            let mut row = serde_json::to_value(&m).map_err(std::io::Error::other)?;
            if let Some(o) = row.as_object_mut() {
                o.remove("year");
                for (key, facet) in RESOURCE_MULTI {
                    o.insert(key.into(), join(&v, facet).into());
                }
                for (k, (key, _, _)) in RESOURCE_LINKS.iter().enumerate() {
                    let l = links[k].remove(&m.id).unwrap_or_default();
                    let ids: Vec<&str> = l.iter().map(|(_, v)| v.as_str()).collect();
                    o.insert(key.to_string(), ids.join(";").into());
                }
            }
            Ok(row)
        })
        .collect()
}

/// Splits a dump row's `;`-joined field into relation rows `(id, [facet,] value, pos)`.
fn split_rows(
    o: &mut serde_json::Map<String, serde_json::Value>,
    id: &str,
    key: &str,
    facet: Option<&str>,
    out: &mut Vec<Vec<sea_orm::Value>>,
) {
    let text = o
        .remove(key)
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    let mut seen: Vec<&str> = Vec::new();
    for v in text.split(';').filter(|s| !s.is_empty()) {
        if seen.contains(&v) {
            continue;
        }
        let mut row: Vec<sea_orm::Value> = vec![id.to_string().into()];
        if let Some(f) = facet {
            row.push(f.into());
        }
        row.push(v.to_string().into());
        row.push((seen.len() as i32).into());
        out.push(row);
        seen.push(v);
    }
}

/// All tables are read in one read-only transaction (REPEATABLE READ on
/// PostgreSQL, one WAL snapshot on SQLite), so the dump is the site at one
/// moment even while a server keeps writing (`faro backup`).
pub async fn export_all(store: &Store, dir: &Path) -> Result<Manifest> {
    std::fs::create_dir_all(dir)?;
    let txn = match store.backend() {
        DbBackend::Postgres => {
            store
                .read()
                .begin_with_config(
                    Some(sea_orm::IsolationLevel::RepeatableRead),
                    Some(sea_orm::AccessMode::ReadOnly),
                )
                .await?
        }
        _ => store.read().begin().await?,
    };
    let db = &txn;
    let tables = vec![
        write_jsonl(
            dir,
            "institution",
            &institution::Entity::find()
                .order_by_asc(institution::Column::Id)
                .all(db)
                .await?,
        )?,
        write_jsonl(dir, "measure", &measure_rows(db).await?)?,
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
        write_jsonl(dir, "resource", &resource_rows(db).await?)?,
        write_jsonl(dir, "course", &crate::courses::dump_rows(db).await?)?,
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
    let mut tables = tables;
    for t in RAW_TABLES.iter().chain(RAW_AFTER_COURSES) {
        tables.push(write_raw(db, dir, t).await?);
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        tables,
    };
    txn.rollback().await?;
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

#[derive(Clone, Copy)]
enum Col {
    Text,
    OptText,
    Int,
    OptInt,
    Big,
    OptBig,
    Bool,
    /// Bytes, written as lowercase hexadecimal.
    Blob,
    Ts,
    OptTs,
}

/// A table dumped column by column (tables added with the event series,
/// written in SQL rather than as entities): name, columns, order, and
/// whether its `id` is an auto-increment key.
struct RawTable {
    name: &'static str,
    cols: &'static [(&'static str, Col)],
    order: &'static str,
    serial: bool,
}

/// Parents before children. Personal links (`registrant_token`) are
/// transient like sign-in sessions and not moved. A site dump holds
/// registrants' personal data as it holds accounts: it moves a site and is
/// never published.
const RAW_TABLES: &[RawTable] = &[
    RawTable {
        name: "event_series",
        cols: &[
            ("id", Col::Text),
            ("title_es", Col::Text),
            ("title_en", Col::Text),
            ("title_pt", Col::Text),
            ("description_es", Col::Text),
            ("description_en", Col::Text),
            ("description_pt", Col::Text),
            ("original_language", Col::Text),
            ("organiser", Col::OptText),
            ("hashtag", Col::Text),
            ("certificate_policy", Col::Text),
            ("created_at", Col::Ts),
            ("updated_at", Col::Ts),
        ],
        order: "id",
        serial: false,
    },
    RawTable {
        name: "event_series_figure",
        cols: &[
            ("series_id", Col::Text),
            ("key", Col::Text),
            ("value", Col::Text),
            ("source", Col::Text),
            ("pos", Col::Int),
        ],
        order: "series_id, pos",
        serial: false,
    },
    RawTable {
        name: "event_session_topic",
        cols: &[
            ("session_id", Col::Text),
            ("code", Col::Text),
            ("pos", Col::Int),
        ],
        order: "session_id, pos",
        serial: false,
    },
    RawTable {
        name: "event_session_private",
        cols: &[
            ("session_id", Col::Text),
            ("zoom_url", Col::Text),
            ("zoom_meeting_id", Col::Text),
            ("zoom_passcode", Col::Text),
        ],
        order: "session_id",
        serial: false,
    },
    RawTable {
        name: "event_presenter",
        cols: &[
            ("id", Col::Big),
            ("series_id", Col::Text),
            ("session_id", Col::OptText),
            ("institution_id", Col::OptText),
            ("name", Col::Text),
            ("role", Col::Text),
            ("source", Col::Text),
            ("pos", Col::Int),
        ],
        order: "id",
        serial: true,
    },
    RawTable {
        name: "registrant",
        cols: &[
            ("id", Col::Big),
            ("email", Col::Text),
            ("name", Col::Text),
            ("institution_id", Col::OptText),
            ("institution_text", Col::Text),
            ("country", Col::Text),
            ("role", Col::Text),
            ("lang", Col::Text),
            ("consent_at", Col::Ts),
            ("consent_version", Col::Text),
            ("created_at", Col::Ts),
            ("updated_at", Col::Ts),
            ("erased_at", Col::OptTs),
        ],
        order: "id",
        serial: true,
    },
    RawTable {
        name: "registration",
        cols: &[
            ("id", Col::Big),
            ("registrant_id", Col::Big),
            ("session_id", Col::Text),
            ("state", Col::Text),
            ("created_at", Col::Ts),
            ("confirmed_at", Col::OptTs),
            ("waiting_since", Col::OptTs),
            ("cancelled_at", Col::OptTs),
            ("updated_at", Col::Ts),
        ],
        order: "id",
        serial: true,
    },
    RawTable {
        name: "job",
        cols: &[
            ("id", Col::Big),
            ("kind", Col::Text),
            ("payload", Col::Text),
            ("run_at", Col::Ts),
            ("state", Col::Text),
            ("attempts", Col::Int),
            ("last_error", Col::Text),
            ("locked_by", Col::OptText),
            ("locked_until", Col::OptTs),
            ("dedupe", Col::OptText),
            ("registrant_id", Col::OptBig),
            ("created_at", Col::Ts),
            ("done_at", Col::OptTs),
        ],
        order: "id",
        serial: true,
    },
    // Attendance (m0018): imports before the rows that name them.
    RawTable {
        name: "attendance_import",
        cols: &[
            ("id", Col::Big),
            ("session_id", Col::Text),
            ("sha256", Col::Text),
            ("kind", Col::Text),
            ("time_zone", Col::Text),
            ("rows_read", Col::Int),
            ("people", Col::Int),
            ("added", Col::Int),
            ("changed", Col::Int),
            ("removed", Col::Int),
            ("actor", Col::Text),
            ("imported_at", Col::Ts),
        ],
        order: "id",
        serial: true,
    },
    RawTable {
        name: "attendance",
        cols: &[
            ("id", Col::Big),
            ("session_id", Col::Text),
            ("person_key", Col::Text),
            ("registrant_id", Col::OptBig),
            ("name", Col::Text),
            ("email", Col::Text),
            ("attended", Col::Int),
            ("seconds", Col::Int),
            ("minutes", Col::Int),
            ("first_join", Col::OptTs),
            ("last_leave", Col::OptTs),
            ("file_rows", Col::Int),
            ("guest", Col::Int),
            ("country", Col::Text),
            ("import_id", Col::Big),
            ("erased_at", Col::OptTs),
        ],
        order: "id",
        serial: true,
    },
    RawTable {
        name: "session_facebook",
        cols: &[
            ("session_id", Col::Text),
            ("peak_live", Col::OptInt),
            ("total_views", Col::OptInt),
            ("unique_viewers", Col::OptInt),
            ("minutes_viewed", Col::OptBig),
            ("read_on", Col::Text),
            ("source", Col::Text),
            ("updated_at", Col::Ts),
        ],
        order: "session_id",
        serial: false,
    },
    RawTable {
        name: "certificate_rule",
        cols: &[
            ("series_id", Col::Text),
            ("min_share", Col::Int),
            ("series_sessions", Col::Int),
            ("updated_at", Col::Ts),
        ],
        order: "series_id",
        serial: false,
    },
    RawTable {
        name: "certificate",
        cols: &[
            ("id", Col::Big),
            ("code", Col::Text),
            ("registrant_id", Col::OptBig),
            ("series_id", Col::Text),
            ("session_id", Col::OptText),
            ("scope", Col::Text),
            ("name", Col::Text),
            ("lang", Col::Text),
            ("minutes", Col::Int),
            ("sessions", Col::Int),
            ("status", Col::Text),
            ("replaced_by", Col::OptText),
            ("issued_at", Col::Ts),
            ("revoked_at", Col::OptTs),
            ("mailed_at", Col::OptTs),
            ("reason", Col::Text),
        ],
        order: "id",
        serial: true,
    },
    // Member surveys (m0019).
    RawTable {
        name: "survey",
        cols: &[
            ("id", Col::Text),
            ("title", Col::Text),
            ("state", Col::Text),
            ("deadline", Col::OptTs),
            ("results_public", Col::Bool),
            ("answers_public", Col::Bool),
            ("reminder_days", Col::Int),
            ("current_version", Col::Int),
            ("revision", Col::Int),
            ("created_at", Col::Ts),
            ("updated_at", Col::Ts),
        ],
        order: "id",
        serial: false,
    },
    RawTable {
        name: "survey_version",
        cols: &[
            ("survey_id", Col::Text),
            ("version", Col::Int),
            ("form_version", Col::Text),
            ("sha256", Col::Text),
            ("file_name", Col::Text),
            ("xlsform", Col::Blob),
            ("form_json", Col::Text),
            ("created_at", Col::Ts),
        ],
        order: "survey_id, version",
        serial: false,
    },
    RawTable {
        name: "survey_invitation",
        cols: &[
            ("id", Col::Big),
            ("survey_id", Col::Text),
            ("institution_id", Col::Text),
            ("code_hash", Col::Text),
            ("invited_at", Col::Ts),
            ("emailed_at", Col::OptTs),
            ("reminded_at", Col::OptTs),
        ],
        order: "id",
        serial: true,
    },
    RawTable {
        name: "survey_response",
        cols: &[
            ("id", Col::Big),
            ("uuid", Col::Text),
            ("survey_id", Col::Text),
            ("institution_id", Col::Text),
            ("version", Col::Int),
            ("state", Col::Text),
            ("revision", Col::Int),
            ("answered", Col::Int),
            ("total", Col::Int),
            ("opened_at", Col::Ts),
            ("updated_at", Col::Ts),
            ("submitted_at", Col::OptTs),
        ],
        order: "id",
        serial: true,
    },
    RawTable {
        name: "survey_answer",
        cols: &[
            ("response_id", Col::Big),
            ("question", Col::Text),
            ("instance", Col::Int),
            ("value", Col::Text),
        ],
        order: "response_id, question, instance",
        serial: false,
    },
    // Reports (m0021): published editions are kept byte for byte, so a
    // site move carries their files as they are.
    RawTable {
        name: "report",
        cols: &[
            ("id", Col::Text),
            ("kind", Col::Text),
            ("title_es", Col::Text),
            ("title_en", Col::Text),
            ("title_pt", Col::Text),
            ("source_es", Col::Text),
            ("source_en", Col::Text),
            ("source_pt", Col::Text),
            ("editions", Col::Int),
            ("created_at", Col::Ts),
            ("updated_at", Col::Ts),
        ],
        order: "id",
        serial: false,
    },
    RawTable {
        name: "report_edition",
        cols: &[
            ("report_id", Col::Text),
            ("number", Col::Int),
            ("title_es", Col::Text),
            ("title_en", Col::Text),
            ("title_pt", Col::Text),
            ("sources", Col::Text),
            ("figures", Col::Text),
            ("published_at", Col::Ts),
            ("published_by", Col::Text),
        ],
        order: "report_id, number",
        serial: false,
    },
    RawTable {
        name: "report_edition_file",
        cols: &[
            ("report_id", Col::Text),
            ("number", Col::Int),
            ("name", Col::Text),
            ("media_type", Col::Text),
            ("sha256", Col::Text),
            ("content", Col::Blob),
        ],
        order: "report_id, number, name",
        serial: false,
    },
];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

async fn write_raw<C: ConnectionTrait>(db: &C, dir: &Path, t: &RawTable) -> Result<TableInfo> {
    let names: Vec<&str> = t.cols.iter().map(|(n, _)| *n).collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        names.join(", "),
        t.name,
        t.order
    );
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut o = serde_json::Map::new();
        for (n, kind) in t.cols {
            let v = match kind {
                Col::Text => serde_json::Value::from(r.try_get::<String>("", n)?),
                Col::OptText => serde_json::Value::from(r.try_get::<Option<String>>("", n)?),
                Col::Int => serde_json::Value::from(r.try_get::<i32>("", n)?),
                Col::OptInt => serde_json::Value::from(r.try_get::<Option<i32>>("", n)?),
                Col::Bool => serde_json::Value::from(r.try_get::<bool>("", n)?),
                Col::Blob => serde_json::Value::from(hex(&r.try_get::<Vec<u8>>("", n)?)),
                Col::Big => serde_json::Value::from(r.try_get::<i64>("", n)?),
                Col::OptBig => serde_json::Value::from(r.try_get::<Option<i64>>("", n)?),
                Col::Ts => serde_json::Value::from(
                    r.try_get::<chrono::DateTime<chrono::Utc>>("", n)?
                        .to_rfc3339(),
                ),
                Col::OptTs => serde_json::Value::from(
                    r.try_get::<Option<chrono::DateTime<chrono::Utc>>>("", n)?
                        .map(|t| t.to_rfc3339()),
                ),
            };
            o.insert(n.to_string(), v);
        }
        out.push(serde_json::Value::Object(o));
    }
    write_jsonl(dir, t.name, &out)
}

fn raw_values(t: &RawTable, rows: Vec<serde_json::Value>) -> Result<Vec<Vec<sea_orm::Value>>> {
    let bad = |n: &str| StoreError::Invalid(format!("{}.jsonl: bad value in {n}", t.name));
    let ts = |v: &serde_json::Value, n: &str| -> Result<chrono::DateTime<chrono::Utc>> {
        v.as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.with_timezone(&chrono::Utc))
            .ok_or_else(|| bad(n))
    };
    rows.into_iter()
        .map(|row| {
            t.cols
                .iter()
                .map(|(n, kind)| {
                    let v = row.get(*n).cloned().unwrap_or(serde_json::Value::Null);
                    Ok(match kind {
                        Col::Text => v.as_str().ok_or_else(|| bad(n))?.to_string().into(),
                        Col::OptText => v.as_str().map(String::from).into(),
                        Col::Int => (v.as_i64().ok_or_else(|| bad(n))? as i32).into(),
                        Col::OptInt => v.as_i64().map(|i| i as i32).into(),
                        Col::Bool => v.as_bool().ok_or_else(|| bad(n))?.into(),
                        Col::Blob => unhex(v.as_str().ok_or_else(|| bad(n))?)
                            .ok_or_else(|| bad(n))?
                            .into(),
                        Col::Big => v.as_i64().ok_or_else(|| bad(n))?.into(),
                        Col::OptBig => v.as_i64().into(),
                        Col::Ts => ts(&v, n)?.into(),
                        Col::OptTs => {
                            if v.is_null() {
                                None::<chrono::DateTime<chrono::Utc>>.into()
                            } else {
                                Some(ts(&v, n)?).into()
                            }
                        }
                    })
                })
                .collect()
        })
        .collect()
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
    let mut institutions: Vec<institution::Model> =
        read_jsonl(dir, table(&manifest, "institution")?)?;
    // Derived: recomputed, so dumps from before it existed load too.
    for i in &mut institutions {
        i.search_text = Some(crate::institutions::search_text(&[
            &i.id, &i.acronym, &i.name_es, &i.name_en, &i.name_pt,
        ]));
    }
    let changes: Vec<change_log::Model> = read_jsonl(dir, table(&manifest, "change_log")?)?;
    let mut measure_values = Vec::new();
    let measures: Vec<measure::Model> =
        read_jsonl::<serde_json::Value>(dir, table(&manifest, "measure")?)?
            .into_iter()
            .map(|mut row| {
                let o = row.as_object_mut().ok_or_else(|| {
                    StoreError::Invalid("measure.jsonl: a row is not an object".into())
                })?;
                let id = o
                    .get("id")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                let mut rows = Vec::new();
                for (key, facet) in MEASURE_MULTI {
                    split_rows(o, &id, key, Some(facet), &mut rows);
                }
                let mut m: measure::Model = serde_json::from_value(row)
                    .map_err(|e| StoreError::Invalid(format!("measure.jsonl: {e}")))?;
                m.start_year = m.start_date.get(..4).and_then(|y| y.parse().ok());
                let listed = m.status != "draft" && m.deleted_at.is_none();
                measure_values.extend(rows.into_iter().map(|mut r| {
                    r.push(listed.into());
                    r
                }));
                Ok(m)
            })
            .collect::<Result<_>>()?;
    let corrections: Vec<correction::Model> = read_jsonl(dir, table(&manifest, "correction")?)?;
    // Tables added after the first dumps: absent means empty.
    // The event series' tables: absent in dumps made before them. When the
    // dump has sessions but no series, each series is created from its slug
    // (as migration 17 does).
    let mut raw: Vec<(&RawTable, Vec<Vec<sea_orm::Value>>)> = Vec::new();
    for t in RAW_TABLES.iter().chain(RAW_AFTER_COURSES) {
        if let Some(info) = manifest.tables.iter().find(|i| i.name == t.name) {
            let rows: Vec<serde_json::Value> = read_jsonl(dir, info)?;
            raw.push((t, raw_values(t, rows)?));
        }
    }
    let sessions: Vec<event_session::Model> =
        match manifest.tables.iter().find(|t| t.name == "event_session") {
            Some(info) => read_jsonl(dir, info)?,
            None => Vec::new(),
        };
    let mut resource_values = Vec::new();
    let mut resource_links: [Vec<Vec<sea_orm::Value>>; 3] = Default::default();
    let resources: Vec<resource::Model> =
        read_jsonl::<serde_json::Value>(dir, table(&manifest, "resource")?)?
            .into_iter()
            .map(|mut row| {
                let o = row.as_object_mut().ok_or_else(|| {
                    StoreError::Invalid("resource.jsonl: a row is not an object".into())
                })?;
                let id = o
                    .get("id")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                let mut values = Vec::new();
                let mut links: [Vec<Vec<sea_orm::Value>>; 3] = Default::default();
                for (key, facet) in RESOURCE_MULTI {
                    split_rows(o, &id, key, Some(facet), &mut values);
                }
                for (k, (key, _, _)) in RESOURCE_LINKS.iter().enumerate() {
                    split_rows(o, &id, key, None, &mut links[k]);
                }
                let mut m: resource::Model = serde_json::from_value(row)
                    .map_err(|e| StoreError::Invalid(format!("resource.jsonl: {e}")))?;
                m.year = m.published.get(..4).and_then(|y| y.parse().ok());
                let listed = m.deleted_at.is_none();
                resource_values.extend(values.into_iter().map(|mut r| {
                    r.push(listed.into());
                    r
                }));
                for (k, rows) in links.into_iter().enumerate() {
                    resource_links[k].extend(rows.into_iter().map(|mut r| {
                        if k == 0 {
                            r.push(listed.into());
                        }
                        r
                    }));
                }
                Ok(m)
            })
            .collect::<Result<_>>()?;
    let resource_files: Vec<resource_file::Model> =
        read_jsonl(dir, table(&manifest, "resource_file")?)?;
    // Courses (a table added later): each with its runs, as the API shows it.
    let courses = match manifest.tables.iter().find(|t| t.name == "course") {
        Some(info) => read_jsonl(dir, info)?,
        None => Vec::new(),
    };
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
    let dumped_series = raw.iter().any(|(t, _)| t.name == "event_series");
    let mut slugs: Vec<String> = sessions.iter().map(|s| s.series.clone()).collect();
    slugs.sort();
    slugs.dedup();
    insert_all(&txn, plain(sessions)).await?;
    if !dumped_series {
        let now = chrono::Utc::now();
        let rows: Vec<Vec<sea_orm::Value>> = slugs
            .into_iter()
            .map(|s| vec![s.clone().into(), s.into(), now.into(), now.into()])
            .collect();
        crate::list::insert_rows(
            &txn,
            "event_series",
            &["id", "title_en", "created_at", "updated_at"],
            &rows,
        )
        .await?;
    }
    let after_courses = |t: &RawTable| RAW_AFTER_COURSES.iter().any(|a| a.name == t.name);
    for (t, rows) in raw.iter().filter(|(t, _)| !after_courses(t)) {
        let names: Vec<&str> = t.cols.iter().map(|(n, _)| *n).collect();
        crate::list::insert_rows(&txn, t.name, &names, rows).await?;
    }
    crate::surveys::rebuild_tally(&txn).await?;
    insert_all(&txn, plain(resources)).await?;
    crate::list::insert_rows(
        &txn,
        "measure_value",
        &["measure_id", "facet", "value", "pos", "listed"],
        &measure_values,
    )
    .await?;
    crate::list::insert_rows(
        &txn,
        "resource_value",
        &["resource_id", "facet", "value", "pos", "listed"],
        &resource_values,
    )
    .await?;
    for (k, (_, table, col)) in RESOURCE_LINKS.iter().enumerate() {
        let cols: &[&str] = if k == 0 {
            &["resource_id", col, "pos", "listed"]
        } else {
            &["resource_id", col, "pos"]
        };
        crate::list::insert_rows(&txn, table, cols, &resource_links[k]).await?;
    }
    insert_all(&txn, plain(resource_files)).await?;
    crate::courses::restore(&txn, courses).await?;
    for (t, rows) in raw.iter().filter(|(t, _)| after_courses(t)) {
        let names: Vec<&str> = t.cols.iter().map(|(n, _)| *n).collect();
        crate::list::insert_rows(&txn, t.name, &names, rows).await?;
    }
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
        let serial = RAW_TABLES.iter().filter(|t| t.serial).map(|t| t.name);
        for table in ["change_log", "app_user", "api_token", "correction"]
            .into_iter()
            .chain(serial)
        {
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

/// Raw tables that name courses, restored after them: the harvests'
/// sources and what each harvested course last looked like (no personal
/// data: institutions' catalogue addresses).
const RAW_AFTER_COURSES: &[RawTable] = &[
    RawTable {
        name: "course_source",
        cols: &[
            ("id", Col::Text),
            ("institution_id", Col::Text),
            ("kind", Col::Text),
            ("url", Col::Text),
            ("lang", Col::Text),
            ("every_hours", Col::OptInt),
            ("created_at", Col::Ts),
            ("updated_at", Col::Ts),
            ("last_run_at", Col::OptTs),
            ("last_outcome", Col::Text),
        ],
        order: "id",
        serial: false,
    },
    RawTable {
        name: "course_harvest",
        cols: &[
            ("course_id", Col::Text),
            ("source_id", Col::Text),
            ("page_url", Col::Text),
            ("harvested_at", Col::Ts),
            ("snapshot", Col::Text),
        ],
        order: "course_id",
        serial: false,
    },
];

/// Tables whose rows a dump carries inside their parent's rows (a measure's
/// or a resource's multi-valued fields, a course's runs and values).
pub const FOLDED_TABLES: &[&str] = &[
    "measure_value",
    "resource_value",
    "resource_institution",
    "resource_measure",
    "resource_session",
    "course_run",
    "course_value",
    "course_provider",
];

/// Tables a dump leaves out on purpose, each with why: state that is
/// rebuilt or expires, never a record. A test checks that every table of
/// the schema is dumped, folded or listed here, so a new table cannot be
/// forgotten.
pub const NOT_DUMPED: &[(&str, &str)] = &[
    ("seaql_migrations", "written by the migrations themselves"),
    (
        "search_outbox",
        "the search index is rebuilt from the records",
    ),
    ("session", "sign-in sessions expire; people sign in again"),
    ("login_failure", "throttling state, expires in minutes"),
    ("one_time_link", "reset and invitation links expire"),
    ("registrant_token", "personal links are re-sent on request"),
    ("link_check", "link checks are re-run by the checker"),
    ("course_link_check", "link checks are re-run by the checker"),
    (
        "survey_tally",
        "derived counts, rebuilt from the answers on import",
    ),
    (
        "series_audience",
        "derived figures, recomputed from the attendance on first read",
    ),
    (
        "survey_results",
        "derived results, reduced again from the counts on first read",
    ),
];

/// Tables a dump given to others leaves empty: accounts and their tokens,
/// registrants and their registrations, the job queue (it holds e-mail
/// addresses) and sessions' join details.
pub const PERSONAL_TABLES: &[&str] = &[
    "app_user",
    "user_institution",
    "api_token",
    "registrant",
    "registration",
    "job",
    "event_session_private",
    // Who attended (names, e-mails), who imported, certificates' names.
    "attendance_import",
    "attendance",
    "certificate",
    // Institutions' answers (public only as results above the small-count
    // threshold) and the hashes of their access codes.
    "survey_invitation",
    "survey_response",
    "survey_answer",
];

/// Record types whose history names people (accounts, registrations).
const PERSONAL_RECORD_TYPES: &[&str] = &["user", "registration", "registrant"];

/// Fields that hold a person (an account or a typed e-mail address).
const PERSON_FIELDS: &[&str] = &["entered_by", "reviewed_by", "decided_by"];

/// Replaces every e-mail-like span (`local@domain.tld`) with `with`.
fn scrub_addresses(s: &str, with: &str) -> String {
    let ok = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            let mut start = i;
            while start > 0 && ok(chars[start - 1]) {
                start -= 1;
            }
            let mut end = i + 1;
            while end < chars.len() && ok(chars[end]) {
                end += 1;
            }
            let domain: String = chars[i + 1..end].iter().collect();
            if start < i && domain.contains('.') {
                // Drop what was already copied of the local part.
                for _ in start..i {
                    out.pop();
                }
                out.push_str(with);
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// How accounts appear in a dump given to others: `user:EMAIL…` and
/// `user-link:ID` become the name the person chose, else their role.
struct PublicNames {
    /// (needle, replacement), longest needle first.
    pairs: Vec<(String, String)>,
}

impl PublicNames {
    fn apply(&self, s: &str) -> String {
        let mut s = s.to_string();
        for (needle, with) in &self.pairs {
            if s.contains(needle.as_str()) {
                s = s.replace(needle.as_str(), with);
            }
        }
        s
    }

    fn value(&self, v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => *s = self.apply(s),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| self.value(x)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|x| self.value(x)),
            _ => {}
        }
    }
}

/// A dump to give to others (`faro export all DIR --without-personal-data`):
/// the same layout `import_all` reads, with [`PERSONAL_TABLES`] empty, the
/// history of accounts and registrations left out, people in the history,
/// measures and corrections shown by the name they chose or their role
/// (never an e-mail address), corrections without their sender's contact
/// or address. The full dump is written to a private temporary folder
/// first and only the cleaned files reach `dir`.
pub async fn export_public(store: &Store, dir: &Path) -> Result<Manifest> {
    let tmp = tempfile::tempdir()?;
    let full = export_all(store, tmp.path()).await?;
    std::fs::create_dir_all(dir)?;
    // Who the accounts are, as the public sees them.
    let users: Vec<app_user::Model> = read_jsonl(tmp.path(), table(&full, "app_user")?)?;
    let mut pairs = Vec::new();
    for u in &users {
        let label = match (&u.display_name, u.role.as_str()) {
            (Some(n), _) if !n.trim().is_empty() => n.clone(),
            (_, "coordinator") => "Coordinator".to_string(),
            (_, "editor") => "Editor".to_string(),
            _ => "Staff".to_string(),
        };
        pairs.push((format!("user:{}", u.email), label.clone()));
        pairs.push((format!("user-link:{}", u.id), label.clone()));
        pairs.push((u.email.clone(), label));
    }
    pairs.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    let names = PublicNames { pairs };
    let mut tables = Vec::new();
    for info in &full.tables {
        let src = tmp.path().join(&info.file);
        let mut w = BufWriter::new(std::fs::File::create(dir.join(&info.file))?);
        let mut rows = 0u64;
        if !PERSONAL_TABLES.contains(&info.name.as_str()) {
            let f = std::fs::File::open(&src)?;
            for line in std::io::BufReader::new(f).lines() {
                let line = line?;
                if line.trim().is_empty() {
                    continue;
                }
                let mut v: serde_json::Value =
                    serde_json::from_str(&line).map_err(std::io::Error::other)?;
                if !clean_row(&info.name, &mut v, &names) {
                    continue;
                }
                serde_json::to_writer(&mut w, &v).map_err(std::io::Error::other)?;
                w.write_all(b"\n")?;
                rows += 1;
            }
        }
        w.flush()?;
        tables.push(TableInfo {
            name: info.name.clone(),
            file: info.file.clone(),
            rows,
        });
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        tables,
    };
    let text = serde_json::to_string_pretty(&manifest).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("manifest.json"), text + "\n")?;
    Ok(manifest)
}

/// Cleans one row of a public dump in place; `false` leaves it out.
fn clean_row(table: &str, v: &mut serde_json::Value, names: &PublicNames) -> bool {
    let staff = "Staff";
    let text = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
    match table {
        "change_log" => {
            let kind = text(v, "record_type").unwrap_or_default();
            if PERSONAL_RECORD_TYPES.contains(&kind.as_str()) {
                return false;
            }
            names.value(v);
            let field = text(v, "field").unwrap_or_default();
            let person = PERSON_FIELDS.contains(&field.as_str())
                || (field == crate::changes::WHOLE_RECORD && kind == "measure");
            let o = v.as_object_mut().expect("change_log rows are objects");
            if let Some(serde_json::Value::String(a)) = o.get_mut("actor") {
                *a = scrub_addresses(a, staff);
            }
            if person {
                for k in ["old_value", "new_value"] {
                    if let Some(serde_json::Value::String(s)) = o.get_mut(k) {
                        *s = scrub_addresses(s, staff);
                    }
                }
            }
        }
        "measure" => {
            names.value(v);
            if let Some(o) = v.as_object_mut() {
                for k in PERSON_FIELDS {
                    if let Some(serde_json::Value::String(s)) = o.get_mut(*k) {
                        *s = scrub_addresses(s, staff);
                    }
                }
            }
        }
        "report_edition" => {
            names.value(v);
            if let Some(serde_json::Value::String(s)) =
                v.as_object_mut().and_then(|o| o.get_mut("published_by"))
            {
                *s = scrub_addresses(s, staff);
            }
        }
        "correction" => {
            names.value(v);
            if let Some(o) = v.as_object_mut() {
                o.insert("contact".into(), serde_json::Value::from(""));
                o.insert("client".into(), serde_json::Value::from(""));
                if let Some(serde_json::Value::String(s)) = o.get_mut("decided_by") {
                    *s = scrub_addresses(s, staff);
                }
            }
        }
        _ => names.value(v),
    }
    true
}

#[cfg(test)]
mod public_tests {
    #[test]
    fn addresses_are_scrubbed_and_other_text_kept() {
        assert_eq!(
            super::scrub_addresses("by ana.p@example.org (api)", "Staff"),
            "by Staff (api)"
        );
        assert_eq!(super::scrub_addresses("a @ b, x@y", "S"), "a @ b, x@y");
        assert_eq!(super::scrub_addresses("no address", "S"), "no address");
    }
}
