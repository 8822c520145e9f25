//! The observatory's measures: reads, filters with facet counts, and
//! all-or-nothing writes that record every changed field.

use crate::changes::{self, Actor, Fields};
use crate::entity::measure::{self, Column, Entity};
use crate::list;
use crate::{Result, Store, StoreError};
use faro_domain::observatory::{self as obs, Measure};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait, Value,
};
use std::collections::HashMap;

pub const RECORD_TYPE: &str = "measure";

/// The list of measures: published (not drafts), not deleted, by id.
pub const AREA: list::Area = list::Area {
    table: "measure",
    base: "t.deleted_at IS NULL AND t.status <> 'draft'",
    facets: &[
        list::Facet {
            name: "country",
            source: list::Source::Text {
                column: "country",
                none: Some("none"),
            },
        },
        list::Facet {
            name: "institution",
            source: list::Source::Text {
                column: "institution",
                none: None,
            },
        },
        list::Facet {
            name: "category",
            source: list::Source::Values {
                table: "measure_value",
                owner: "measure_id",
                facet: "category",
                prefix: true,
            },
        },
        list::Facet {
            name: "target_group",
            source: list::Source::Values {
                table: "measure_value",
                owner: "measure_id",
                facet: "target_group",
                prefix: false,
            },
        },
        list::Facet {
            name: "status",
            source: list::Source::Text {
                column: "status",
                none: None,
            },
        },
        list::Facet {
            name: "year",
            source: list::Source::Int {
                column: "start_year",
                none: "unknown",
            },
        },
    ],
    order: "t.id",
};

fn to_domain(m: measure::Model, values: Vec<(String, String)>) -> Measure {
    let pick = |facet: &str| -> Vec<String> {
        values
            .iter()
            .filter(|(k, _)| k == facet)
            .map(|(_, v)| v.clone())
            .collect()
    };
    Measure {
        categories: pick("category"),
        target_groups: pick("target_group"),
        id: m.id,
        institution: m.institution,
        country: m.country,
        crisis: m.crisis,
        log_type: m.log_type,
        announced_date: m.announced_date,
        start_date: m.start_date,
        end_date: m.end_date,
        scope_level: m.scope_level,
        scope_targeting: m.scope_targeting,
        original_language: m.original_language,
        title_es: m.title_es,
        title_en: m.title_en,
        title_pt: m.title_pt,
        description_es: m.description_es,
        description_en: m.description_en,
        description_pt: m.description_pt,
        source_url: m.source_url,
        source_type: m.source_type,
        source_title: m.source_title,
        source_accessed: m.source_accessed,
        status: m.status,
        notes: m.notes,
        entered_by: m.entered_by,
        reviewed_by: m.reviewed_by,
        last_reviewed: m.last_reviewed,
    }
}

/// Rows and their multi-valued fields, loaded together (one query each).
async fn load<C: ConnectionTrait>(db: &C, models: Vec<measure::Model>) -> Result<Vec<Measure>> {
    let ids: Vec<String> = models.iter().map(|m| m.id.clone()).collect();
    let mut values = list::values_of(
        db,
        "measure_value",
        "measure_id",
        "value",
        Some("facet"),
        &ids,
    )
    .await?;
    Ok(models
        .into_iter()
        .map(|m| {
            let v = values.remove(&m.id).unwrap_or_default();
            to_domain(m, v)
        })
        .collect())
}

/// Measures by id (any status, deleted or not), in the order of `ids`.
async fn by_ids<C: ConnectionTrait>(db: &C, ids: &[String]) -> Result<Vec<Measure>> {
    let mut models = Vec::new();
    for chunk in ids.chunks(500) {
        models.extend(
            Entity::find()
                .filter(Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    let mut by: HashMap<String, Measure> = load(db, models)
        .await?
        .into_iter()
        .map(|m| (m.id.clone(), m))
        .collect();
    Ok(ids.iter().filter_map(|id| by.remove(id)).collect())
}

/// The record as history sees it: every field, in the CSV's column order.
pub fn fields(m: &Measure) -> Fields {
    let values = faro_formats::measures_csv::row(m);
    faro_formats::measures_csv::COLUMNS
        .iter()
        .zip(values)
        .skip(1)
        .map(|(k, v)| (*k, Some(v)))
        .collect()
}

fn active(m: &Measure, now: chrono::DateTime<chrono::Utc>) -> measure::ActiveModel {
    measure::ActiveModel {
        id: Set(m.id.clone()),
        institution: Set(m.institution.clone()),
        country: Set(m.country.clone()),
        crisis: Set(m.crisis.clone()),
        log_type: Set(m.log_type.clone()),
        announced_date: Set(m.announced_date.clone()),
        start_date: Set(m.start_date.clone()),
        end_date: Set(m.end_date.clone()),
        scope_level: Set(m.scope_level.clone()),
        scope_targeting: Set(m.scope_targeting.clone()),
        original_language: Set(m.original_language.clone()),
        title_es: Set(m.title_es.clone()),
        title_en: Set(m.title_en.clone()),
        title_pt: Set(m.title_pt.clone()),
        description_es: Set(m.description_es.clone()),
        description_en: Set(m.description_en.clone()),
        description_pt: Set(m.description_pt.clone()),
        source_url: Set(m.source_url.clone()),
        source_type: Set(m.source_type.clone()),
        source_title: Set(m.source_title.clone()),
        source_accessed: Set(m.source_accessed.clone()),
        status: Set(m.status.clone()),
        notes: Set(m.notes.clone()),
        entered_by: Set(m.entered_by.clone()),
        reviewed_by: Set(m.reviewed_by.clone()),
        last_reviewed: Set(m.last_reviewed.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: NotSet,
        start_year: Set(m.start_year()),
    }
}

/// `listed`: the measure is published and not deleted (see `list`).
fn value_rows(m: &Measure, listed: bool) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    for (facet, list) in [
        ("category", &m.categories),
        ("target_group", &m.target_groups),
    ] {
        let mut seen: Vec<&String> = Vec::new();
        for v in list {
            if seen.contains(&v) {
                continue;
            }
            rows.push(vec![
                m.id.clone().into(),
                facet.into(),
                v.clone().into(),
                (seen.len() as i32).into(),
                listed.into(),
            ]);
            seen.push(v);
        }
    }
    rows
}

/// The newest changed published measures under `f`, at most `limit`, with
/// when each was created and last changed (the observatory's Atom feed):
/// the list's query ordered by `updated_at DESC, id DESC`
/// (`idx_measure_updated_id`).
pub async fn newest(
    store: &Store,
    f: &Filter,
    limit: u64,
) -> Result<
    Vec<(
        Measure,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
    )>,
> {
    let opts = list::Opts {
        order: Some("t.updated_at DESC, t.id DESC"),
        ..Default::default()
    };
    let listed = list::run_with(
        store,
        &AREA,
        &f.pairs(),
        list::PageReq::new(1, limit.clamp(1, 200)),
        &opts,
    )
    .await?;
    let mut times = HashMap::new();
    for chunk in listed.ids.chunks(500) {
        for m in Entity::find()
            .filter(Column::Id.is_in(chunk.to_vec()))
            .all(store.read())
            .await?
        {
            times.insert(m.id.clone(), (m.created_at, m.updated_at));
        }
    }
    Ok(by_ids(store.read(), &listed.ids)
        .await?
        .into_iter()
        .filter_map(|m| times.get(&m.id).copied().map(|(c, u)| (m, c, u)))
        .collect())
}

/// A page of published measures and the total, without facet counts
/// (related records on another area's page).
pub async fn related(
    store: &Store,
    f: &Filter,
    page: list::PageReq,
) -> Result<(Vec<Measure>, u64)> {
    let (ids, total) = list::page_only(store, &AREA, &f.pairs(), page, true).await?;
    Ok((by_ids(store.read(), &ids).await?, total))
}

/// A page of published measures with its total and facet counts (each facet
/// counted without its own filter), in SQL.
pub async fn list(store: &Store, f: &Filter, page: list::PageReq) -> Result<Listed> {
    let listed = list::run(store, &AREA, &f.pairs(), page).await?;
    Ok(Listed {
        items: by_ids(store.read(), &listed.ids).await?,
        total: listed.total,
        facets: listed.facets,
    })
}

/// One page of a list: its records, the total and the facet counts.
#[derive(Debug, Clone)]
pub struct Listed {
    pub items: Vec<Measure>,
    pub total: u64,
    pub facets: FacetCounts,
}

/// Published measures after `after` (by id), at most `limit`: the seek that
/// streams downloads, exports and index rebuilds without loading the table.
pub async fn walk(store: &Store, after: Option<&str>, limit: u64) -> Result<Vec<Measure>> {
    let mut q = Entity::find()
        .filter(Column::DeletedAt.is_null())
        .filter(Column::Status.ne("draft"));
    if let Some(a) = after {
        q = q.filter(Column::Id.gt(a));
    }
    let models = q
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(store.read())
        .await?;
    load(store.read(), models).await
}

/// Every published measure, in pages of 1,000 (operator tools and tests;
/// requests use [`list`] or [`walk`]).
pub async fn all(store: &Store) -> Result<Vec<Measure>> {
    let mut out: Vec<Measure> = Vec::new();
    loop {
        let batch = walk(store, out.last().map(|m| m.id.as_str()), 1000).await?;
        if batch.is_empty() {
            return Ok(out);
        }
        out.extend(batch);
    }
}

/// Published measures by id, in the order of `ids` (the observatory's page
/// when the search index answers it).
pub async fn many(store: &Store, ids: &[String]) -> Result<Vec<Measure>> {
    let live = list::live_ids(store.read(), "measure", true, ids).await?;
    Ok(by_ids(store.read(), ids)
        .await?
        .into_iter()
        .filter(|m| m.status != "draft" && live.contains(&m.id))
        .collect())
}

/// Published measures with these ids (related records), by id.
pub async fn published_with_ids(store: &Store, ids: &[String]) -> Result<Vec<Measure>> {
    let mut v: Vec<Measure> = by_ids(store.read(), ids)
        .await?
        .into_iter()
        .filter(|m| m.status != "draft")
        .collect();
    let live = list::live_ids(store.read(), "measure", true, ids).await?;
    v.retain(|m| live.contains(&m.id));
    v.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(v)
}

/// A published measure.
pub async fn get(store: &Store, id: &str) -> Result<Measure> {
    get_any(store, id)
        .await?
        .filter(|m| m.status != "draft")
        .ok_or(StoreError::NotFound)
}

/// A live measure whatever its status (drafts included), for its editors.
pub async fn get_any(store: &Store, id: &str) -> Result<Option<Measure>> {
    let Some(m) = Entity::find_by_id(id.to_string())
        .one(store.read())
        .await?
        .filter(|m| m.deleted_at.is_none())
    else {
        return Ok(None);
    };
    Ok(load(store.read(), vec![m]).await?.pop())
}

/// When a measure last changed (the version an edit form was opened at).
pub async fn version(store: &Store, id: &str) -> Result<Option<String>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(store.read())
        .await?
        .map(|m| m.updated_at.to_rfc3339()))
}

/// Live measures in the editorial workflow: drafts and submitted ones, for
/// the given institutions (`None`: all, for coordinators), each with its
/// version (`updated_at`, which a review decision carries back).
pub async fn in_workflow(
    store: &Store,
    institutions: Option<&[String]>,
) -> Result<Vec<(Measure, String)>> {
    let mut q = Entity::find()
        .filter(Column::DeletedAt.is_null())
        .filter(Column::Status.is_in(["draft", "submitted"]));
    if let Some(list) = institutions {
        q = q.filter(Column::Institution.is_in(list.to_vec()));
    }
    let models = q
        .order_by_asc(Column::Id)
        .limit(list::MAX_PER_PAGE * 10)
        .all(store.read())
        .await?;
    let versions: HashMap<String, String> = models
        .iter()
        .map(|m| (m.id.clone(), m.updated_at.to_rfc3339()))
        .collect();
    Ok(load(store.read(), models)
        .await?
        .into_iter()
        .map(|m| {
            let v = versions.get(&m.id).cloned().unwrap_or_default();
            (m, v)
        })
        .collect())
}

/// A coordinator's decision on a measure, as its editors are told of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionNotice {
    pub measure_id: String,
    /// `verified`, or `draft` (sent back).
    pub status: String,
    pub reason: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// The latest decisions (verified, sent back) on live measures of these
/// institutions, newest first, at most `limit`: from the history's status
/// changes, one indexed query joined to the measures.
pub async fn decisions_for(
    store: &Store,
    institutions: &[String],
    limit: u64,
) -> Result<Vec<DecisionNotice>> {
    if institutions.is_empty() {
        return Ok(vec![]);
    }
    let db = store.read();
    let mut sql = list::Sql::new(db.get_database_backend());
    sql.push(
        "SELECT c.record_id AS id, c.new_value AS status, c.reason AS reason, c.at AS at \
         FROM change_log c JOIN measure m ON m.id = c.record_id \
         WHERE c.record_type = 'measure' AND c.field = 'status' \
         AND c.old_value = 'submitted' AND c.new_value IN ('verified', 'draft') \
         AND m.deleted_at IS NULL AND m.institution IN ",
    )
    .bind_list(institutions.iter().take(500).cloned())
    .push(" ORDER BY c.id DESC LIMIT ")
    .push(&limit.min(100).to_string());
    let mut out = Vec::new();
    for row in db.query_all_raw(sql.statement()).await? {
        out.push(DecisionNotice {
            measure_id: row.try_get("", "id")?,
            status: row.try_get("", "status")?,
            reason: row.try_get("", "reason")?,
            at: row.try_get("", "at")?,
        });
    }
    Ok(out)
}

/// Deletes a *draft* (its editors' or a coordinator's; the caller checks
/// who): a soft delete (`deleted_at`), recorded in the history, in one
/// transaction that checks the state it reads — a measure submitted,
/// verified or deleted meanwhile is [`StoreError::Rule`]`("not_draft")`,
/// and the write is a compare-and-set on the version read.
pub async fn delete_draft(store: &Store, id: &str, actor: &Actor) -> Result<()> {
    let txn = store.write().begin().await?;
    let Some(model) = Entity::find_by_id(id.to_string())
        .one(&txn)
        .await?
        .filter(|m| m.deleted_at.is_none())
    else {
        return Err(StoreError::NotFound);
    };
    if model.status != "draft" {
        return Err(StoreError::Rule("not_draft"));
    }
    let seen = model.updated_at;
    let now = chrono::Utc::now();
    let am = measure::ActiveModel {
        id: Set(model.id.clone()),
        deleted_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    };
    changes::update_if_unchanged(
        &txn,
        Entity::update(am)
            .validate()?
            .filter(Column::UpdatedAt.eq(seen)),
    )
    .await?;
    // Drafts are not listed; their value rows stay as they are (unlisted).
    let change = changes::FieldChange {
        field: "deleted_at",
        old: None,
        new: Some(now.to_rfc3339()),
    };
    changes::record(&txn, actor, RECORD_TYPE, id, "deleted", &[change]).await?;
    txn.commit().await?;
    Ok(())
}

/// What the observatory's charts count, from two `GROUP BY` queries over
/// published measures: per country, and per (country, start month as
/// `YYYY-MM` when the start date has one, category letter) the number of
/// measures (a measure with C1 and C2 counts once for C).
#[derive(Debug, Clone, Default)]
pub struct ChartCounts {
    pub per_country: std::collections::BTreeMap<String, u64>,
    pub cells: Vec<(String, Option<String>, String, u64)>,
    /// Measures with no known start month.
    pub undated: u64,
}

fn month_of(v: &str) -> Option<String> {
    v.get(..7)
        .filter(|s| s.len() == 7 && s.as_bytes()[4] == b'-')
        .map(String::from)
}

pub async fn chart_counts(store: &Store) -> Result<ChartCounts> {
    let db = store.read();
    let backend = db.get_database_backend();
    let mut out = ChartCounts::default();
    let q = format!(
        "SELECT t.country AS country, substr(t.start_date, 1, 7) AS month, COUNT(*) AS n \
         FROM measure t WHERE {} GROUP BY t.country, substr(t.start_date, 1, 7)",
        AREA.base
    );
    for row in db
        .query_all_raw(sea_orm::Statement::from_string(backend, q))
        .await?
    {
        let country: Option<String> = row.try_get("", "country")?;
        let month: Option<String> = row.try_get("", "month")?;
        let n = row.try_get::<i64>("", "n")? as u64;
        *out.per_country
            .entry(country.unwrap_or_else(|| "none".into()))
            .or_default() += n;
        if month.as_deref().and_then(month_of).is_none() {
            out.undated += n;
        }
    }
    let q = format!(
        "SELECT t.country AS country, substr(t.start_date, 1, 7) AS month, \
         substr(v.value, 1, 1) AS letter, COUNT(DISTINCT t.id) AS n \
         FROM measure t JOIN measure_value v ON v.measure_id = t.id AND v.facet = 'category' \
         WHERE {} GROUP BY t.country, substr(t.start_date, 1, 7), substr(v.value, 1, 1)",
        AREA.base
    );
    for row in db
        .query_all_raw(sea_orm::Statement::from_string(backend, q))
        .await?
    {
        let country: Option<String> = row.try_get("", "country")?;
        let month: Option<String> = row.try_get("", "month")?;
        let letter: String = row.try_get("", "letter")?;
        out.cells.push((
            country.unwrap_or_else(|| "none".into()),
            month.as_deref().and_then(month_of),
            letter,
            row.try_get::<i64>("", "n")? as u64,
        ));
    }
    Ok(out)
}

/// The latest `last_reviewed` date of an institution's published measures.
pub async fn last_reviewed(store: &Store, institution: &str) -> Result<Option<String>> {
    let db = store.read();
    let mut sql = list::Sql::new(db.get_database_backend());
    sql.push("SELECT MAX(last_reviewed) AS d FROM measure t WHERE ")
        .push(AREA.base)
        .push(" AND t.institution = ")
        .bind(institution.to_string())
        .push(" AND t.last_reviewed <> ''");
    Ok(db
        .query_one_raw(sql.statement())
        .await?
        .map(|r| r.try_get::<Option<String>>("", "d"))
        .transpose()?
        .flatten())
}

/// An institution's published measures: the first `limit` by id and how
/// many there are (an indexed lookup).
pub async fn for_institution(
    store: &Store,
    institution: &str,
    limit: u64,
) -> Result<(Vec<Measure>, u64)> {
    let wanted = vec![("institution".to_string(), institution.to_string())];
    let listed = list::run(store, &AREA, &wanted, list::PageReq::new(1, limit)).await?;
    Ok((by_ids(store.read(), &listed.ids).await?, listed.total))
}

/// Observatory filters: each narrows; values within one facet are alternatives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub country: Vec<String>,
    pub institution: Vec<String>,
    /// Codes (`C2`) or whole categories (`C`).
    pub category: Vec<String>,
    pub target_group: Vec<String>,
    pub status: Vec<String>,
    /// Start year, or `unknown`.
    pub year: Vec<String>,
}

pub use crate::list::FacetCounts;

pub const FACETS: [&str; 6] = [
    "country",
    "institution",
    "category",
    "target_group",
    "status",
    "year",
];

impl Filter {
    /// The filter as (facet, value) pairs.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let lists: [(&str, &Vec<String>); 6] = [
            ("country", &self.country),
            ("institution", &self.institution),
            ("category", &self.category),
            ("target_group", &self.target_group),
            ("status", &self.status),
            ("year", &self.year),
        ];
        lists
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.to_string(), v.clone())))
            .collect()
    }
}

/// Creates or updates `items` in one transaction (all or nothing),
/// recording every changed field. Institutions must exist.
/// Creates or updates measures in one transaction (imports, demo data,
/// reviews): all or nothing, history per field, unchanged ones untouched.
pub async fn upsert_all(
    store: &Store,
    items: &[Measure],
    actor: &Actor,
) -> Result<crate::institutions::ImportReport> {
    upsert(store, items, actor, None).await
}

/// Saves one measure from an edit form. With `expected` (the version the
/// editor started from) a measure changed since is refused with
/// [`StoreError::Conflict`].
pub async fn save(
    store: &Store,
    item: &Measure,
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    upsert(store, std::slice::from_ref(item), actor, expected).await
}

/// A coordinator's decision on a submitted measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Verify,
    SendBack,
}

/// Verifies or sends back a measure in one transaction with its own check:
/// only a *submitted* measure can be decided (a draft, a verified measure or
/// one sent back meanwhile is [`StoreError::Rule`]`("not_submitted")`);
/// with `expected` (the version the reviewer saw), a measure changed since
/// (sent back and submitted again, edited) is [`StoreError::Conflict`]; the
/// write is a compare-and-set on the version read in that transaction.
pub async fn review(
    store: &Store,
    id: &str,
    decision: Decision,
    reviewer: &str,
    actor: &Actor,
    expected: Option<&str>,
) -> Result<()> {
    let txn = store.write().begin().await?;
    let Some(model) = Entity::find_by_id(id.to_string())
        .one(&txn)
        .await?
        .filter(|m| m.deleted_at.is_none())
    else {
        return Err(StoreError::NotFound);
    };
    if model.status != "submitted" {
        return Err(StoreError::Rule("not_submitted"));
    }
    changes::check_version(expected, Some(model.updated_at))?;
    let version = model.updated_at.to_rfc3339();
    let mut m = load(&txn, vec![model])
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    match decision {
        Decision::Verify => {
            m.status = "verified".into();
            m.reviewed_by = reviewer.to_string();
            m.last_reviewed = chrono::Utc::now().format("%Y-%m-%d").to_string();
        }
        Decision::SendBack => m.status = "draft".into(),
    }
    upsert_in(&txn, std::slice::from_ref(&m), actor, Some(&version)).await?;
    txn.commit().await?;
    Ok(())
}

async fn upsert(
    store: &Store,
    items: &[Measure],
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    let txn = store.write().begin().await?;
    let report = upsert_in(&txn, items, actor, expected).await?;
    txn.commit().await?;
    Ok(report)
}

/// The measures' write path inside the caller's transaction (imports, forms,
/// reviews and accepted corrections, each with its own decision in the same
/// transaction): validation, references to live institutions (a reference
/// the stored version already had stays allowed), compare-and-set on the
/// version read here, history and search outbox rows, all in batches.
pub async fn upsert_in(
    txn: &DatabaseTransaction,
    items: &[Measure],
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    let codebook = obs::current();
    crate::refuse_invalid(items, |m| (&m.id, m.validate(codebook)))?;
    let mut report = crate::institutions::ImportReport::default();
    // In chunks: memory holds one chunk's rows and history, however large
    // the batch; one transaction, so a failure anywhere writes nothing.
    for chunk in items.chunks(CHUNK) {
        upsert_chunk(txn, chunk, actor, expected, &mut report).await?;
    }
    Ok(report)
}

/// Records written per round of statements inside a batch's transaction.
const CHUNK: usize = 2000;

async fn upsert_chunk(
    txn: &DatabaseTransaction,
    items: &[Measure],
    actor: &Actor,
    expected: Option<&str>,
    report: &mut crate::institutions::ImportReport,
) -> Result<()> {
    let ids: Vec<String> = items.iter().map(|m| m.id.clone()).collect();
    let mut seen_at: HashMap<String, chrono::DateTime<chrono::Utc>> = HashMap::new();
    let mut deleted = std::collections::HashSet::new();
    let mut models = Vec::new();
    for chunk in ids.chunks(500) {
        for m in Entity::find()
            .filter(Column::Id.is_in(chunk.to_vec()))
            .all(txn)
            .await?
        {
            seen_at.insert(m.id.clone(), m.updated_at);
            if m.deleted_at.is_some() {
                deleted.insert(m.id.clone());
            }
            models.push(m);
        }
    }
    let existing: HashMap<String, Measure> = load(txn, models)
        .await?
        .into_iter()
        .map(|m| (m.id.clone(), m))
        .collect();
    let mut wanted: Vec<String> = items.iter().map(|m| m.institution.clone()).collect();
    wanted.sort();
    wanted.dedup();
    let live = list::live_ids(txn, "institution", true, &wanted).await?;
    for m in items {
        let kept = existing
            .get(&m.id)
            .is_some_and(|o| o.institution == m.institution);
        if !live.contains(&m.institution) && !kept {
            return Err(StoreError::Reference {
                record: m.id.clone(),
                field: "institution",
                target: m.institution.clone(),
            });
        }
    }
    let now = chrono::Utc::now();
    let mut batch = changes::Batch::default();
    let mut new_rows = Vec::new();
    let mut value_rows_new: Vec<Vec<Value>> = Vec::new();
    let mut replaced: Vec<String> = Vec::new();
    for m in items {
        let seen = seen_at.get(&m.id).copied();
        changes::check_version(expected, seen)?;
        let old = existing.get(&m.id);
        let mut m = m.clone();
        if m.entered_by.is_empty() {
            m.entered_by = old
                .map(|o| o.entered_by.clone())
                .unwrap_or_else(|| actor.name.clone());
        }
        let diff = changes::diff(old.map(fields).as_ref(), &fields(&m));
        if old.is_some() && diff.is_empty() {
            report.unchanged += 1;
            continue;
        }
        let mut am = active(&m, now);
        if let Some(seen) = seen {
            am.created_at = NotSet;
            // Only over the version read above: a concurrent save in between
            // makes this whole write fail instead of being overwritten.
            crate::changes::update_if_unchanged(
                txn,
                Entity::update(am)
                    .validate()?
                    .filter(Column::UpdatedAt.eq(seen)),
            )
            .await?;
            report.updated += 1;
            replaced.push(m.id.clone());
            batch.add(actor, RECORD_TYPE, &m.id, "updated", &diff);
        } else {
            new_rows.push(am);
            report.created += 1;
            batch.add(actor, RECORD_TYPE, &m.id, "created", &diff);
        }
        let listed = m.status != "draft" && !deleted.contains(&m.id);
        value_rows_new.extend(value_rows(&m, listed));
    }
    list::insert_models(txn, new_rows).await?;
    list::delete_owned(txn, "measure_value", "measure_id", &replaced).await?;
    list::insert_rows(
        txn,
        "measure_value",
        &["measure_id", "facet", "value", "pos", "listed"],
        &value_rows_new,
    )
    .await?;
    batch.flush(txn).await?;
    Ok(())
}
