//! Course harvests (issue 15): an institution's catalogue read from its
//! own site and merged into its courses through the courses' one write
//! path (`courses::upsert_in`: validation, providers, history, outbox).
//!
//! - A **source** (`course_source`) names the catalogue: `sitemap` (pages
//!   with schema.org `Course` JSON-LD, listed by a sitemap), `urls` (such
//!   pages, one URL a line), `csv` or `json` (a file in Faro's layout), its
//!   default language and an optional schedule (`every_hours`).
//! - A harvested course is found again by its URL (the key kept in
//!   `course_harvest.page_url`, else a course of the institution with that
//!   URL typed by hand): a catalogue read twice creates nothing twice.
//! - **An editor's change wins**: `course_harvest.snapshot` holds each field
//!   as the harvest last gave it. A stored field equal to its snapshot is
//!   the harvest's and takes the new value; one that differs was changed by
//!   hand after the harvest and is kept (counted in the report). A course
//!   typed by hand and never harvested only has its empty fields filled. A
//!   course an editor deleted stays deleted.
//! - One transaction per run; a course the catalogue gives that breaks the
//!   domain rules is skipped with its reason, the others are stored.
//!   Nothing is deleted when a course leaves the catalogue.

use crate::changes::{Actor, FieldChange};
use crate::list::Sql;
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use faro_domain::courses::Course;
use sea_orm::{ConnectionTrait, DbBackend, TransactionTrait};
use std::collections::HashMap;

/// What a source reads.
pub const KINDS: &[&str] = &["sitemap", "urls", "csv", "json"];

/// The history's record type of a source.
pub const SOURCE_RECORD: &str = "course_source";

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub institution_id: String,
    /// One of [`KINDS`].
    pub kind: String,
    /// The sitemap or file URL; for `urls`, the page URLs one a line.
    pub url: String,
    /// `es`, `en` or `pt`: the pages' language when they do not say.
    pub lang: String,
    /// Harvested again this many hours after each run; `None`: on demand.
    pub every_hours: Option<i32>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_outcome: String,
}

impl Source {
    /// The URLs a source names (one for all kinds but `urls`).
    pub fn urls(&self) -> Vec<&str> {
        self.url
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// Problems with a source, in English, each naming its field.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !faro_domain::institutions::is_slug(&self.id) {
            out.push(format!(
                "id {:?}: lowercase letters, digits and hyphens",
                self.id
            ));
        }
        if !KINDS.contains(&self.kind.as_str()) {
            out.push(format!("kind {:?}: one of {}", self.kind, KINDS.join(", ")));
        }
        if !["es", "en", "pt"].contains(&self.lang.as_str()) {
            out.push(format!("lang {:?}: es, en or pt", self.lang));
        }
        if self.every_hours.is_some_and(|h| !(1..=8760).contains(&h)) {
            out.push("every_hours: from 1 to 8760".into());
        }
        let urls = self.urls();
        if urls.is_empty() {
            out.push("url: missing".into());
        }
        if self.kind != "urls" && urls.len() > 1 {
            out.push("url: one URL for this kind".into());
        }
        for u in urls {
            if !faro_domain::courses::is_http_url(u) {
                out.push(format!("url {u:?}: an http(s) address"));
            }
        }
        out
    }
}

/// A course as a catalogue gave it: `course.id` and `providers` are set
/// here; `supplied` names the fields the catalogue gave (as in the
/// history's field map); `key` is its URL, how it is found next time.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub course: Course,
    pub supplied: Vec<String>,
    pub key: String,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// (course id, field) kept because an editor changed it by hand.
    pub kept_fields: Vec<(String, String)>,
    /// Courses in the catalogue that an editor deleted: left deleted.
    pub kept_deleted: Vec<String>,
    /// (URL, why): not stored.
    pub skipped: Vec<(String, String)>,
}

fn row_source(r: &sea_orm::QueryResult) -> Result<Source> {
    Ok(Source {
        id: r.try_get("", "id")?,
        institution_id: r.try_get("", "institution_id")?,
        kind: r.try_get("", "kind")?,
        url: r.try_get("", "url")?,
        lang: r.try_get("", "lang")?,
        every_hours: r.try_get("", "every_hours")?,
        last_run_at: r.try_get("", "last_run_at")?,
        last_outcome: r.try_get("", "last_outcome")?,
    })
}

const SOURCE_COLUMNS: &str =
    "id, institution_id, kind, url, lang, every_hours, last_run_at, last_outcome";

pub async fn source(store: &Store, id: &str) -> Result<Option<Source>> {
    let mut sql = Sql::new(store.backend());
    sql.push(&format!(
        "SELECT {SOURCE_COLUMNS} FROM course_source WHERE id = "
    ))
    .bind(id.to_string());
    match store.read().query_one_raw(sql.statement()).await? {
        Some(r) => Ok(Some(row_source(&r)?)),
        None => Ok(None),
    }
}

/// Sources, of one institution or all, by id.
pub async fn sources(store: &Store, institution: Option<&str>) -> Result<Vec<Source>> {
    let mut sql = Sql::new(store.backend());
    sql.push(&format!("SELECT {SOURCE_COLUMNS} FROM course_source"));
    if let Some(i) = institution {
        sql.push(" WHERE institution_id = ").bind(i.to_string());
    }
    sql.push(" ORDER BY id LIMIT 1000");
    store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(row_source)
        .collect()
}

/// Creates or changes a source (history kept); with a schedule, its first
/// run is queued now (job `course_harvest`).
pub async fn save_source(store: &Store, src: &Source, actor: &Actor) -> Result<()> {
    let problems = src.problems();
    if !problems.is_empty() {
        return Err(StoreError::Invalid(format!(
            "{}: {}",
            src.id,
            problems.join("; ")
        )));
    }
    let txn = store.write().begin().await?;
    let live = crate::list::live_ids(
        &txn,
        "institution",
        true,
        std::slice::from_ref(&src.institution_id),
    )
    .await?;
    if !live.contains(&src.institution_id) {
        return Err(StoreError::Reference {
            record: src.id.clone(),
            field: "institution",
            target: src.institution_id.clone(),
        });
    }
    let backend = txn.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push(&format!(
        "SELECT {SOURCE_COLUMNS} FROM course_source WHERE id = "
    ))
    .bind(src.id.clone());
    let old = match txn.query_one_raw(sql.statement()).await? {
        Some(r) => Some(row_source(&r)?),
        None => None,
    };
    let fields = |s: &Source| -> crate::changes::Fields {
        vec![
            ("institution_id", Some(s.institution_id.clone())),
            ("kind", Some(s.kind.clone())),
            ("url", Some(s.url.clone())),
            ("lang", Some(s.lang.clone())),
            ("every_hours", s.every_hours.map(|h| h.to_string())),
        ]
    };
    let diff: Vec<FieldChange> =
        crate::changes::diff(old.as_ref().map(fields).as_ref(), &fields(src));
    if old.is_some() && diff.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let mut sql = Sql::new(backend);
    if old.is_some() {
        sql.push("UPDATE course_source SET institution_id = ")
            .bind(src.institution_id.clone())
            .push(", kind = ")
            .bind(src.kind.clone())
            .push(", url = ")
            .bind(src.url.clone())
            .push(", lang = ")
            .bind(src.lang.clone())
            .push(", every_hours = ")
            .bind(src.every_hours)
            .push(", updated_at = ")
            .bind(now)
            .push(" WHERE id = ")
            .bind(src.id.clone());
    } else {
        sql.push(
            "INSERT INTO course_source (id, institution_id, kind, url, lang, every_hours, \
             created_at, updated_at, last_outcome) VALUES (",
        )
        .bind(src.id.clone())
        .push(", ")
        .bind(src.institution_id.clone())
        .push(", ")
        .bind(src.kind.clone())
        .push(", ")
        .bind(src.url.clone())
        .push(", ")
        .bind(src.lang.clone())
        .push(", ")
        .bind(src.every_hours)
        .push(", ")
        .bind(now)
        .push(", ")
        .bind(now)
        .push(", '')");
    }
    txn.execute_raw(sql.statement()).await?;
    let action = if old.is_some() { "updated" } else { "created" };
    crate::changes::record(&txn, actor, SOURCE_RECORD, &src.id, action, &diff).await?;
    if src.every_hours.is_some() {
        schedule_in(&txn, &src.id, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Queues a harvest of `source` at `at` (once per source and second).
pub async fn schedule_in<C: ConnectionTrait>(
    db: &C,
    source: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    crate::jobs::enqueue_in(
        db,
        "course_harvest",
        &serde_json::json!({ "source": source }),
        at,
        Some(format!("course_harvest:{source}:{}", at.timestamp())),
        None,
    )
    .await
}

/// Queues a harvest of `source` now (an editor's "harvest now"; twice in
/// the same second queues it once).
pub async fn queue_now(store: &Store, source: &str) -> Result<()> {
    schedule_in(store.write(), source, Utc::now()).await
}

/// Records a run's outcome; with a schedule, queues the next run.
pub async fn finish_run(store: &Store, id: &str, at: DateTime<Utc>, outcome: &str) -> Result<()> {
    let txn = store.write().begin().await?;
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("UPDATE course_source SET last_run_at = ")
        .bind(at)
        .push(", last_outcome = ")
        .bind(outcome.chars().take(4000).collect::<String>())
        .push(" WHERE id = ")
        .bind(id.to_string());
    txn.execute_raw(sql.statement()).await?;
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("SELECT every_hours FROM course_source WHERE id = ")
        .bind(id.to_string());
    let every: Option<i32> = match txn.query_one_raw(sql.statement()).await? {
        Some(r) => r.try_get("", "every_hours")?,
        None => None,
    };
    if let Some(h) = every {
        schedule_in(&txn, id, at + chrono::Duration::hours(i64::from(h))).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Where and when a course was last gathered from: (page URL, time,
/// source id); `None` for a course never harvested.
pub async fn provenance(
    store: &Store,
    course_id: &str,
) -> Result<Option<(String, DateTime<Utc>, String)>> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT page_url, harvested_at, source_id FROM course_harvest WHERE course_id = ")
        .bind(course_id.to_string());
    match store.read().query_one_raw(sql.statement()).await? {
        Some(r) => Ok(Some((
            r.try_get("", "page_url")?,
            r.try_get("", "harvested_at")?,
            r.try_get("", "source_id")?,
        ))),
        None => Ok(None),
    }
}

/// A new course's id: its title as a slug and a short hash of its URL.
fn new_id(title: &str, key: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 48 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let hash = &crate::accounts::sha256_hex(key)[..8];
    if slug.is_empty() {
        format!("course-{hash}")
    } else {
        format!("{slug}-{hash}")
    }
}

/// Latin letters without their accents (for ids only).
fn fold(c: char) -> Vec<char> {
    let s = match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' | 'Á' | 'À' | 'Â' | 'Ã' | 'Ä' => "a",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => "i",
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ö' => "o",
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => "u",
        'ñ' | 'Ñ' => "n",
        'ç' | 'Ç' => "c",
        _ => return vec![c],
    };
    s.chars().collect()
}

/// Whether a field's value is empty (nothing typed).
fn empty(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null => true,
        serde_json::Value::String(s) => s.is_empty(),
        serde_json::Value::Array(a) => a.is_empty(),
        serde_json::Value::Bool(b) => !b,
        _ => false,
    }
}

/// Merges a catalogue's courses into `source`'s institution's courses, in
/// one transaction (see the module's rules).
pub async fn apply(
    store: &Store,
    source: &Source,
    items: Vec<Incoming>,
    actor: &Actor,
) -> Result<Report> {
    let mut report = Report::default();
    let codebook = faro_domain::observatory::current();
    // One course per key: the first wins.
    let mut seen = std::collections::HashSet::new();
    let mut items: Vec<Incoming> = items
        .into_iter()
        .filter(|i| {
            let first = seen.insert(i.key.clone());
            if !first {
                report.skipped.push((
                    i.key.clone(),
                    "the catalogue gives this course twice".into(),
                ));
            }
            first
        })
        .collect();
    let txn = store.write().begin().await?;
    let backend = txn.get_database_backend();
    let keys: Vec<String> = items.iter().map(|i| i.key.clone()).collect();
    // key → (course id, snapshot): harvested before from this source.
    let mut harvested: HashMap<String, (String, Option<serde_json::Value>)> = HashMap::new();
    for chunk in keys.chunks(500) {
        let mut sql = Sql::new(backend);
        sql.push("SELECT course_id, page_url, snapshot FROM course_harvest WHERE source_id = ")
            .bind(source.id.clone())
            .push(" AND page_url IN (");
        for (n, k) in chunk.iter().enumerate() {
            if n > 0 {
                sql.push(", ");
            }
            sql.bind(k.clone());
        }
        sql.push(")");
        for r in txn.query_all_raw(sql.statement()).await? {
            let snapshot: String = r.try_get("", "snapshot")?;
            harvested.insert(
                r.try_get("", "page_url")?,
                (
                    r.try_get("", "course_id")?,
                    serde_json::from_str(&snapshot).ok(),
                ),
            );
        }
        // Else a course of the institution with that URL, typed by hand.
        let mut sql = Sql::new(backend);
        sql.push(
            "SELECT c.id, c.url FROM course c JOIN course_provider p ON p.course_id = c.id \
             WHERE p.institution_id = ",
        )
        .bind(source.institution_id.clone())
        .push(" AND c.url IN (");
        for (n, k) in chunk.iter().enumerate() {
            if n > 0 {
                sql.push(", ");
            }
            sql.bind(k.clone());
        }
        sql.push(") ORDER BY c.id");
        for r in txn.query_all_raw(sql.statement()).await? {
            let url: String = r.try_get("", "url")?;
            let id: String = r.try_get("", "id")?;
            harvested.entry(url).or_insert((id, None));
        }
    }
    let mut ids: Vec<String> = harvested.values().map(|(id, _)| id.clone()).collect();
    ids.sort();
    ids.dedup();
    if backend == DbBackend::Postgres && !ids.is_empty() {
        // Editors' saves of these courses wait for this run (and this run
        // reads what they saved before it).
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new(backend);
            sql.push("SELECT id FROM course WHERE id IN (");
            for (n, id) in chunk.iter().enumerate() {
                if n > 0 {
                    sql.push(", ");
                }
                sql.bind(id.clone());
            }
            sql.push(") FOR UPDATE");
            txn.query_all_raw(sql.statement()).await?;
        }
    }
    let stored: HashMap<String, (Course, bool)> = crate::courses::by_ids(&txn, &ids)
        .await?
        .into_iter()
        .map(|(s, deleted)| (s.course.id.clone(), (s.course, deleted.is_some())))
        .collect();
    // New ids must not meet an existing course.
    let mut wanted: Vec<String> = items
        .iter()
        .filter(|i| !harvested.contains_key(&i.key))
        .map(|i| new_id(i.course.original_title(), &i.key))
        .collect();
    wanted.sort();
    let taken: std::collections::HashSet<String> = crate::courses::by_ids(&txn, &wanted)
        .await?
        .into_iter()
        .map(|(s, _)| s.course.id)
        .collect();
    let mut to_write: Vec<Course> = Vec::new();
    let mut snapshots: Vec<(String, String, String)> = Vec::new();
    for item in items.iter_mut() {
        let theirs =
            serde_json::to_value(&item.course).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let snapshot: serde_json::Map<String, serde_json::Value> = item
            .supplied
            .iter()
            .filter_map(|f| theirs.get(f).map(|v| (f.clone(), v.clone())))
            .collect();
        let merged = match harvested.get(&item.key) {
            None => {
                let mut c = item.course.clone();
                c.id = new_id(c.original_title(), &item.key);
                if taken.contains(&c.id) || to_write.iter().any(|w| w.id == c.id) {
                    report.skipped.push((
                        item.key.clone(),
                        format!("course id {} is taken by another course", c.id),
                    ));
                    continue;
                }
                c.providers = vec![source.institution_id.clone()];
                c
            }
            Some((id, snap)) => {
                let Some((ours, deleted)) = stored.get(id) else {
                    continue;
                };
                if *deleted {
                    report.kept_deleted.push(id.clone());
                    continue;
                }
                let mut value =
                    serde_json::to_value(ours).map_err(|e| StoreError::Invalid(e.to_string()))?;
                for f in &item.supplied {
                    let (Some(new), Some(obj)) = (theirs.get(f), value.as_object_mut()) else {
                        continue;
                    };
                    let current = obj.get(f).cloned().unwrap_or(serde_json::Value::Null);
                    let harvest_owns = match snap {
                        Some(s) => s.get(f).is_some_and(|last| *last == current),
                        None => empty(&current),
                    };
                    if harvest_owns {
                        obj.insert(f.clone(), new.clone());
                    } else if current != *new {
                        report.kept_fields.push((id.clone(), f.clone()));
                    }
                }
                let mut c: Course = serde_json::from_value(value)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                c.id = id.clone();
                c
            }
        };
        let problems = merged.validate(codebook);
        if !problems.is_empty() {
            let msgs: Vec<String> = problems.iter().map(|e| e.to_string()).collect();
            report.skipped.push((item.key.clone(), msgs.join("; ")));
            continue;
        }
        snapshots.push((
            merged.id.clone(),
            item.key.clone(),
            serde_json::Value::Object(snapshot).to_string(),
        ));
        to_write.push(merged);
    }
    let written = crate::courses::upsert_in(&txn, &to_write, actor, None).await?;
    report.created = written.created;
    report.updated = written.updated;
    report.unchanged = written.unchanged;
    let now = Utc::now();
    let written_ids: Vec<String> = snapshots.iter().map(|(id, _, _)| id.clone()).collect();
    crate::list::delete_owned(&txn, "course_harvest", "course_id", &written_ids).await?;
    let rows: Vec<Vec<sea_orm::Value>> = snapshots
        .into_iter()
        .map(|(id, key, snap)| {
            vec![
                id.into(),
                source.id.clone().into(),
                key.into(),
                now.into(),
                snap.into(),
            ]
        })
        .collect();
    crate::list::insert_rows(
        &txn,
        "course_harvest",
        &[
            "course_id",
            "source_id",
            "page_url",
            "harvested_at",
            "snapshot",
        ],
        &rows,
    )
    .await?;
    txn.commit().await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_slugs_from_the_title_and_the_url() {
        let id = new_id(
            "Formación de formadores: aprendizaje basado en proyectos",
            "https://x.example/c/1",
        );
        assert!(faro_domain::institutions::is_slug(&id), "{id}");
        assert!(
            id.starts_with("formacion-de-formadores-aprendizaje-basado-en"),
            "{id}"
        );
        assert_ne!(
            id,
            new_id(
                "Formación de formadores: aprendizaje basado en proyectos",
                "https://x.example/c/2"
            )
        );
        assert!(new_id("!!!", "u").starts_with("course-"));
        assert!(faro_domain::institutions::is_slug(&new_id(
            &"ç".repeat(300),
            "u"
        )));
    }
}
