//! The knowledge base's resources: reads, facet filtering and all-or-nothing
//! writes with history.

use crate::changes::{self, Actor, Fields};
use crate::entity::resource::{self, Column, Entity};
use crate::list;
use crate::{Result, Store, StoreError};
use faro_domain::knowledge::Resource;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait, Value,
};
use std::collections::HashMap;

pub const RECORD_TYPE: &str = "resource";

/// A resource with the time it last changed (for feeds and sitemaps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub resource: Resource,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Multi-valued fields kept in `resource_value`, by facet name.
const VALUE_FACETS: [&str; 5] = ["country", "language", "topic", "audience", "identifier"];
/// Links to other records: (table, column of the other record).
const LINKS: [(&str, &str); 3] = [
    ("resource_institution", "institution_id"),
    ("resource_measure", "measure_id"),
    ("resource_session", "session_id"),
];

fn to_stored(
    m: resource::Model,
    mut values: Vec<(String, String)>,
    links: [Vec<String>; 3],
) -> Stored {
    let mut pick = |facet: &str| -> Vec<String> {
        let (mine, rest): (Vec<_>, Vec<_>) = values.drain(..).partition(|(k, _)| k == facet);
        values = rest;
        mine.into_iter().map(|(_, v)| v).collect()
    };
    let countries = pick("country");
    let languages = pick("language");
    let topics = pick("topic");
    let audience = pick("audience");
    let identifiers = pick("identifier");
    let [institutions, related_measures, related_sessions] = links;
    Stored {
        created_at: m.created_at,
        updated_at: m.updated_at,
        resource: Resource {
            id: m.id,
            resource_type: m.resource_type,
            institutions,
            countries,
            languages,
            topics,
            audience,
            license: m.license,
            published: m.published,
            url: m.url,
            title_es: m.title_es,
            title_en: m.title_en,
            title_pt: m.title_pt,
            description_es: m.description_es,
            description_en: m.description_en,
            description_pt: m.description_pt,
            original_language: m.original_language,
            notes: m.notes,
            identifiers,
            related_measures,
            related_sessions,
        },
    }
}

/// Rows with their multi-valued fields and links (one query per table).
async fn load<C: ConnectionTrait>(
    db: &C,
    models: Vec<resource::Model>,
) -> Result<Vec<(Stored, Option<chrono::DateTime<chrono::Utc>>)>> {
    let ids: Vec<String> = models.iter().map(|m| m.id.clone()).collect();
    let mut values = list::values_of(
        db,
        "resource_value",
        "resource_id",
        "value",
        Some("facet"),
        &ids,
    )
    .await?;
    let mut links = Vec::new();
    for (table, col) in LINKS {
        links.push(list::values_of(db, table, "resource_id", col, None, &ids).await?);
    }
    Ok(models
        .into_iter()
        .map(|m| {
            let deleted = m.deleted_at;
            let v = values.remove(&m.id).unwrap_or_default();
            let mut l = links.iter_mut().map(|map| {
                map.remove(&m.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(_, v)| v)
                    .collect::<Vec<_>>()
            });
            let three = [
                l.next().unwrap_or_default(),
                l.next().unwrap_or_default(),
                l.next().unwrap_or_default(),
            ];
            (to_stored(m, v, three), deleted)
        })
        .collect())
}

async fn load_live<C: ConnectionTrait>(
    db: &C,
    models: Vec<resource::Model>,
) -> Result<Vec<Stored>> {
    Ok(load(db, models)
        .await?
        .into_iter()
        .map(|(s, _)| s)
        .collect())
}

/// Resources by id (deleted ones too), in the order of `ids`.
async fn by_ids<C: ConnectionTrait>(
    db: &C,
    ids: &[String],
) -> Result<Vec<(Stored, Option<chrono::DateTime<chrono::Utc>>)>> {
    let mut models = Vec::new();
    for chunk in ids.chunks(500) {
        models.extend(
            Entity::find()
                .filter(Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    let mut by: HashMap<String, (Stored, Option<chrono::DateTime<chrono::Utc>>)> = load(db, models)
        .await?
        .into_iter()
        .map(|s| (s.0.resource.id.clone(), s))
        .collect();
    Ok(ids.iter().filter_map(|id| by.remove(id)).collect())
}

/// `listed`: the resource is not deleted (kept on `resource_value` and
/// `resource_institution`, the tables facets count).
fn value_rows(r: &Resource, listed: bool) -> (Vec<Vec<Value>>, [Vec<Vec<Value>>; 3]) {
    fn rows(
        id: &str,
        list: &[String],
        facet: Option<&str>,
        listed: Option<bool>,
        out: &mut Vec<Vec<Value>>,
    ) {
        let mut seen: Vec<&String> = Vec::new();
        for v in list {
            if seen.contains(&v) {
                continue;
            }
            let mut row: Vec<Value> = vec![id.to_string().into()];
            if let Some(f) = facet {
                row.push(f.into());
            }
            row.push(v.clone().into());
            row.push((seen.len() as i32).into());
            if let Some(l) = listed {
                row.push(l.into());
            }
            out.push(row);
            seen.push(v);
        }
    }
    let mut values = Vec::new();
    for (facet, list) in VALUE_FACETS.iter().zip([
        &r.countries,
        &r.languages,
        &r.topics,
        &r.audience,
        &r.identifiers,
    ]) {
        rows(&r.id, list, Some(facet), Some(listed), &mut values);
    }
    let mut links: [Vec<Vec<Value>>; 3] = Default::default();
    for (k, list) in [&r.institutions, &r.related_measures, &r.related_sessions]
        .into_iter()
        .enumerate()
    {
        rows(&r.id, list, None, (k == 0).then_some(listed), &mut links[k]);
    }
    (values, links)
}

pub fn fields(r: &Resource) -> Fields {
    vec![
        ("type", Some(r.resource_type.clone())),
        ("institutions", Some(r.institutions.join(";"))),
        ("countries", Some(r.countries.join(";"))),
        ("languages", Some(r.languages.join(";"))),
        ("topics", Some(r.topics.join(";"))),
        ("audience", Some(r.audience.join(";"))),
        ("license", Some(r.license.clone())),
        ("published", Some(r.published.clone())),
        ("url", Some(r.url.clone())),
        ("title_es", Some(r.title_es.clone())),
        ("title_en", Some(r.title_en.clone())),
        ("title_pt", Some(r.title_pt.clone())),
        ("description_es", Some(r.description_es.clone())),
        ("description_en", Some(r.description_en.clone())),
        ("description_pt", Some(r.description_pt.clone())),
        ("original_language", Some(r.original_language.clone())),
        ("notes", Some(r.notes.clone())),
        ("identifiers", Some(r.identifiers.join(";"))),
        ("related_measures", Some(r.related_measures.join(";"))),
        ("related_sessions", Some(r.related_sessions.join(";"))),
    ]
}

/// The facets of the resource list, by name.
pub const FACETS: [&str; 7] = [
    "type",
    "topic",
    "institution",
    "country",
    "language",
    "license",
    "year",
];

/// The list of resources: live ones, newest change first.
pub const AREA: list::Area = list::Area {
    table: "resource",
    base: "t.deleted_at IS NULL",
    facets: &[
        list::Facet {
            name: "type",
            source: list::Source::Text {
                column: "resource_type",
                none: None,
            },
        },
        list::Facet {
            name: "topic",
            source: list::Source::Values {
                table: "resource_value",
                owner: "resource_id",
                facet: "topic",
                prefix: false,
            },
        },
        list::Facet {
            name: "institution",
            source: list::Source::Link {
                table: "resource_institution",
                owner: "resource_id",
                other: "institution_id",
            },
        },
        list::Facet {
            name: "country",
            source: list::Source::Values {
                table: "resource_value",
                owner: "resource_id",
                facet: "country",
                prefix: false,
            },
        },
        list::Facet {
            name: "language",
            source: list::Source::Values {
                table: "resource_value",
                owner: "resource_id",
                facet: "language",
                prefix: false,
            },
        },
        list::Facet {
            name: "license",
            source: list::Source::Text {
                column: "license",
                none: Some("unknown"),
            },
        },
        list::Facet {
            name: "year",
            source: list::Source::Int {
                column: "year",
                none: "unknown",
            },
        },
    ],
    order: "t.updated_at DESC, t.id",
};

/// One page of a list: its records, the total and the facet counts.
#[derive(Debug, Clone)]
pub struct Listed {
    pub items: Vec<Stored>,
    pub total: u64,
    pub facets: crate::list::FacetCounts,
}

/// A page of live resources (newest change first) with its total and facet
/// counts, in SQL.
/// A page of resources and the total, without facet counts (related
/// records on another area's page with `filter_first`, a feed).
pub async fn page_only(
    store: &Store,
    wanted: &[(String, String)],
    page: list::PageReq,
    filter_first: bool,
) -> Result<(Vec<Stored>, u64)> {
    let (ids, total) = list::page_only(store, &AREA, wanted, page, filter_first).await?;
    Ok((
        by_ids(store.read(), &ids)
            .await?
            .into_iter()
            .map(|(s, _)| s)
            .collect(),
        total,
    ))
}

pub async fn list(
    store: &Store,
    wanted: &[(String, String)],
    page: list::PageReq,
) -> Result<Listed> {
    let listed = list::run(store, &AREA, wanted, page).await?;
    Ok(Listed {
        items: by_ids(store.read(), &listed.ids)
            .await?
            .into_iter()
            .map(|(s, _)| s)
            .collect(),
        total: listed.total,
        facets: listed.facets,
    })
}

/// Live resources after `after` (by id), at most `limit`: the seek behind
/// streamed downloads, exports and index rebuilds.
pub async fn walk(store: &Store, after: Option<&str>, limit: u64) -> Result<Vec<Stored>> {
    let mut q = Entity::find().filter(Column::DeletedAt.is_null());
    if let Some(a) = after {
        q = q.filter(Column::Id.gt(a));
    }
    let models = q
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(store.read())
        .await?;
    load_live(store.read(), models).await
}

/// Every live resource by id, in pages of 1,000 (operator tools and tests;
/// requests use [`list`] or [`walk`]).
pub async fn all(store: &Store) -> Result<Vec<Stored>> {
    let mut out: Vec<Stored> = Vec::new();
    loop {
        let batch = walk(store, out.last().map(|s| s.resource.id.as_str()), 1000).await?;
        if batch.is_empty() {
            return Ok(out);
        }
        out.extend(batch);
    }
}

/// A harvest position: the datestamp and id of the last record sent.
pub type Cursor = (chrono::DateTime<chrono::Utc>, String);

/// Which resources an OAI-PMH request covers: a datestamp range and a set
/// (`type`, `topic` or `institution`, alone for every resource that has
/// one, or with `:value`).
#[derive(Debug, Clone, Default)]
pub struct HarvestFilter {
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    pub set: Option<(String, Option<String>)>,
}

fn harvest_condition(sql: &mut list::Sql, f: &HarvestFilter) {
    sql.push(" WHERE 1 = 1");
    if let Some(from) = f.from {
        sql.push(" AND t.updated_at >= ").bind(from);
    }
    if let Some(until) = f.until {
        sql.push(" AND t.updated_at <= ").bind(until);
    }
    match &f.set {
        None => {}
        Some((kind, value)) => {
            match (kind.as_str(), value) {
                ("type", None) => {}
                ("type", Some(v)) => {
                    sql.push(" AND t.resource_type = ").bind(v.clone());
                }
                ("topic", v) => {
                    sql.push(" AND EXISTS (SELECT 1 FROM resource_value v WHERE v.resource_id = t.id AND v.facet = 'topic'");
                    if let Some(v) = v {
                        sql.push(" AND v.value = ").bind(v.clone());
                    }
                    sql.close_exists();
                }
                ("institution", v) => {
                    sql.push(" AND EXISTS (SELECT 1 FROM resource_institution v WHERE v.resource_id = t.id");
                    if let Some(v) = v {
                        sql.push(" AND v.institution_id = ").bind(v.clone());
                    }
                    sql.close_exists();
                }
                _ => {
                    sql.push(" AND 1 = 0");
                }
            }
        }
    }
}

/// Resources for OAI-PMH harvesters, deleted ones included (with their
/// deletion time), oldest change first, after `after` — a seek on the
/// indexed `(updated_at, id)`, so each page costs the same however deep —
/// at most `limit`.
pub async fn harvest(
    store: &Store,
    f: &HarvestFilter,
    after: Option<&Cursor>,
    limit: u64,
) -> Result<Vec<(Stored, Option<chrono::DateTime<chrono::Utc>>)>> {
    let db = store.read();
    let mut sql = list::Sql::new(db.get_database_backend());
    sql.push("SELECT t.id AS id FROM resource t");
    harvest_condition(&mut sql, f);
    if let Some((at, id)) = after {
        sql.push(" AND (t.updated_at > ")
            .bind(*at)
            .push(" OR (t.updated_at = ")
            .bind(*at)
            .push(" AND t.id > ")
            .bind(id.clone())
            .push("))");
    }
    sql.push(" ORDER BY t.updated_at, t.id LIMIT ")
        .bind(limit as i64);
    let ids: Vec<String> = db
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "id"))
        .collect::<std::result::Result<_, _>>()?;
    by_ids(db, &ids).await
}

/// How many resources a harvest covers (`completeListSize`).
pub async fn harvest_count(store: &Store, f: &HarvestFilter) -> Result<u64> {
    let db = store.read();
    let mut sql = list::Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS n FROM resource t");
    harvest_condition(&mut sql, f);
    Ok(db
        .query_one_raw(sql.statement())
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0) as u64)
}

/// Every set a resource belongs to (`type:…`, `topic:…`, `institution:…`),
/// sorted, from three `DISTINCT` queries.
pub async fn sets(store: &Store) -> Result<Vec<String>> {
    let db = store.read();
    let mut out = Vec::new();
    for (prefix, q) in [
        (
            "institution",
            "SELECT DISTINCT institution_id AS v FROM resource_institution",
        ),
        ("type", "SELECT DISTINCT resource_type AS v FROM resource"),
        (
            "topic",
            "SELECT DISTINCT value AS v FROM resource_value WHERE facet = 'topic'",
        ),
    ] {
        for row in db
            .query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                q,
            ))
            .await?
        {
            out.push(format!("{prefix}:{}", row.try_get::<String>("", "v")?));
        }
    }
    out.sort();
    Ok(out)
}

/// The oldest datestamp of any resource (OAI-PMH `earliestDatestamp`).
pub async fn earliest(store: &Store) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    Ok(Entity::find()
        .order_by_asc(Column::UpdatedAt)
        .one(store.read())
        .await?
        .map(|m| m.updated_at))
}

/// Live resources linked to a record (`institution`, `measure` or
/// `session`): the first `limit`, newest change first, and how many there
/// are — an indexed lookup on the link table.
pub async fn related(
    store: &Store,
    field: &str,
    id: &str,
    limit: u64,
) -> Result<(Vec<Stored>, u64)> {
    let (table, col) = match field {
        "institution" => LINKS[0],
        "measure" => LINKS[1],
        "session" => LINKS[2],
        _ => return Ok((Vec::new(), 0)),
    };
    let db = store.read();
    let mut sql = list::Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS n FROM ")
        .push(table)
        .push(" l JOIN resource t ON t.id = l.resource_id WHERE t.deleted_at IS NULL AND l.")
        .push(col)
        .push(" = ")
        .bind(id.to_string());
    let total = db
        .query_one_raw(sql.statement())
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0) as u64;
    let mut sql = list::Sql::new(db.get_database_backend());
    sql.push("SELECT t.id AS id FROM ")
        .push(table)
        .push(" l JOIN resource t ON t.id = l.resource_id WHERE t.deleted_at IS NULL AND l.")
        .push(col)
        .push(" = ")
        .bind(id.to_string())
        .push(" ORDER BY t.updated_at DESC, t.id LIMIT ")
        .bind(limit as i64);
    let ids: Vec<String> = db
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "id"))
        .collect::<std::result::Result<_, _>>()?;
    let items = by_ids(db, &ids)
        .await?
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    Ok((items, total))
}

/// Soft-deletes (`deleted == true`) or restores a resource. A deleted
/// resource stays for harvesters as a deleted record. Recorded in the history.
pub async fn set_deleted(store: &Store, id: &str, deleted: bool, actor: &Actor) -> Result<()> {
    let txn = store.write().begin().await?;
    let m = Entity::find_by_id(id.to_string())
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    if m.deleted_at.is_some() == deleted {
        return Ok(());
    }
    let now = chrono::Utc::now();
    let old = m.deleted_at.map(|d| d.to_rfc3339());
    let mut am: resource::ActiveModel = m.into();
    am.deleted_at = Set(deleted.then_some(now));
    am.updated_at = Set(now);
    Entity::update(am).exec(&txn).await?;
    let change = changes::FieldChange {
        field: "deleted_at",
        old,
        new: deleted.then(|| now.to_rfc3339()),
    };
    for table in ["resource_value", "resource_institution"] {
        let mut sql = list::Sql::new(txn.get_database_backend());
        sql.push("UPDATE ")
            .push(table)
            .push(" SET listed = ")
            .bind(!deleted)
            .push(" WHERE resource_id = ")
            .bind(id.to_string());
        txn.execute_raw(sql.statement()).await?;
    }
    let action = if deleted { "deleted" } else { "restored" };
    changes::record(&txn, actor, RECORD_TYPE, id, action, &[change]).await?;
    txn.commit().await?;
    Ok(())
}

/// A resource whether or not it is deleted (editors, restore), with its
/// deletion time.
pub async fn get_any(
    store: &Store,
    id: &str,
) -> Result<Option<(Stored, Option<chrono::DateTime<chrono::Utc>>)>> {
    let Some(m) = Entity::find_by_id(id.to_string()).one(store.read()).await? else {
        return Ok(None);
    };
    Ok(load(store.read(), vec![m]).await?.pop())
}

/// Deleted resources, most recently deleted first (coordinators restore them).
pub async fn deleted(store: &Store) -> Result<Vec<(Stored, chrono::DateTime<chrono::Utc>)>> {
    let models = Entity::find()
        .filter(Column::DeletedAt.is_not_null())
        .order_by_desc(Column::DeletedAt)
        .limit(list::MAX_PER_PAGE * 10)
        .all(store.read())
        .await?;
    Ok(load(store.read(), models)
        .await?
        .into_iter()
        .filter_map(|(s, d)| Some((s, d?)))
        .collect())
}

pub async fn get(store: &Store, id: &str) -> Result<Stored> {
    match get_any(store, id).await? {
        Some((s, None)) => Ok(s),
        _ => Err(StoreError::NotFound),
    }
}

/// Creates or updates resources in one transaction (imports, demo data):
/// all or nothing, history per field, unchanged ones untouched.
pub async fn upsert_all(
    store: &Store,
    items: &[Resource],
    actor: &Actor,
) -> Result<crate::institutions::ImportReport> {
    upsert(store, items, actor, None).await
}

/// Saves one resource from an edit form. With `expected` (the version the
/// editor started from) a resource changed since is refused with
/// [`StoreError::Conflict`].
pub async fn save(
    store: &Store,
    item: &Resource,
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    upsert(store, std::slice::from_ref(item), actor, expected).await
}

async fn upsert(
    store: &Store,
    items: &[Resource],
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    let txn = store.write().begin().await?;
    let report = upsert_in(&txn, items, actor, expected).await?;
    txn.commit().await?;
    Ok(report)
}

/// The resources' write path inside the caller's transaction: validation,
/// references to live institutions, measures and sessions (one the stored
/// version already had stays allowed), compare-and-set on the version read
/// here, history and outbox rows, all in batches.
pub async fn upsert_in(
    txn: &DatabaseTransaction,
    items: &[Resource],
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    let codebook = faro_domain::observatory::current();
    crate::refuse_invalid(items, |r| (&r.id, r.validate(codebook)))?;
    let mut report = crate::institutions::ImportReport::default();
    // In chunks: memory holds one chunk's rows and history, however large
    // the batch; one transaction, so a failure anywhere writes nothing.
    for chunk in items.chunks(CHUNK) {
        upsert_chunk(txn, chunk, actor, expected, &mut report).await?;
    }
    Ok(report)
}

/// A reference a resource makes: (field, table, soft-deleted?, its ids).
type Reference = (
    &'static str,
    &'static str,
    bool,
    fn(&Resource) -> &Vec<String>,
);

/// Records written per round of statements inside a batch's transaction.
const CHUNK: usize = 2000;

async fn upsert_chunk(
    txn: &DatabaseTransaction,
    items: &[Resource],
    actor: &Actor,
    expected: Option<&str>,
    report: &mut crate::institutions::ImportReport,
) -> Result<()> {
    let ids: Vec<String> = items.iter().map(|r| r.id.clone()).collect();
    let mut deleted = std::collections::HashSet::new();
    let existing: HashMap<String, Stored> = by_ids(txn, &ids)
        .await?
        .into_iter()
        .map(|(s, d)| {
            if d.is_some() {
                deleted.insert(s.resource.id.clone());
            }
            (s.resource.id.clone(), s)
        })
        .collect();
    let refs: [Reference; 3] = [
        ("institution", "institution", true, |r| &r.institutions),
        ("measure", "measure", true, |r| &r.related_measures),
        ("session", "event_session", false, |r| &r.related_sessions),
    ];
    for (field, table, soft, get) in refs {
        let mut wanted: Vec<String> = items.iter().flat_map(|r| get(r).iter().cloned()).collect();
        wanted.sort();
        wanted.dedup();
        let live = list::live_ids(txn, table, soft, &wanted).await?;
        for r in items {
            let old = existing.get(&r.id).map(|s| get(&s.resource));
            if let Some(bad) = get(r)
                .iter()
                .find(|x| !live.contains(*x) && !old.is_some_and(|o| o.contains(x)))
            {
                return Err(StoreError::Reference {
                    record: r.id.clone(),
                    field,
                    target: bad.clone(),
                });
            }
        }
    }
    let now = chrono::Utc::now();
    let mut batch = changes::Batch::default();
    let mut new_rows = Vec::new();
    let mut replaced: Vec<String> = Vec::new();
    let mut values: Vec<Vec<Value>> = Vec::new();
    let mut links: [Vec<Vec<Value>>; 3] = Default::default();
    for r in items {
        let seen = existing.get(&r.id).map(|s| s.updated_at);
        changes::check_version(expected, seen)?;
        let old = existing.get(&r.id).map(|s| &s.resource);
        let diff = changes::diff(old.map(fields).as_ref(), &fields(r));
        if old.is_some() && diff.is_empty() {
            report.unchanged += 1;
            continue;
        }
        let am = resource::ActiveModel {
            id: Set(r.id.clone()),
            resource_type: Set(r.resource_type.clone()),
            license: Set(r.license.clone()),
            published: Set(r.published.clone()),
            url: Set(r.url.clone()),
            title_es: Set(r.title_es.clone()),
            title_en: Set(r.title_en.clone()),
            title_pt: Set(r.title_pt.clone()),
            description_es: Set(r.description_es.clone()),
            description_en: Set(r.description_en.clone()),
            description_pt: Set(r.description_pt.clone()),
            original_language: Set(r.original_language.clone()),
            notes: Set(r.notes.clone()),
            created_at: if old.is_some() { NotSet } else { Set(now) },
            updated_at: Set(now),
            deleted_at: NotSet,
            year: Set(r.year()),
        };
        if let Some(seen) = seen {
            // Only over the version read above (see `changes::update_if_unchanged`).
            changes::update_if_unchanged(
                txn,
                Entity::update(am)
                    .validate()?
                    .filter(Column::UpdatedAt.eq(seen)),
            )
            .await?;
            report.updated += 1;
            replaced.push(r.id.clone());
            batch.add(actor, RECORD_TYPE, &r.id, "updated", &diff);
        } else {
            new_rows.push(am);
            report.created += 1;
            batch.add(actor, RECORD_TYPE, &r.id, "created", &diff);
        }
        let (v, l) = value_rows(r, !deleted.contains(&r.id));
        values.extend(v);
        for (k, rows) in l.into_iter().enumerate() {
            links[k].extend(rows);
        }
    }
    list::insert_models(txn, new_rows).await?;
    list::delete_owned(txn, "resource_value", "resource_id", &replaced).await?;
    list::insert_rows(
        txn,
        "resource_value",
        &["resource_id", "facet", "value", "pos", "listed"],
        &values,
    )
    .await?;
    for (k, (table, col)) in LINKS.iter().enumerate() {
        list::delete_owned(txn, table, "resource_id", &replaced).await?;
        let cols: &[&str] = if k == 0 {
            &["resource_id", col, "pos", "listed"]
        } else {
            &["resource_id", col, "pos"]
        };
        list::insert_rows(txn, table, cols, &links[k]).await?;
    }
    batch.flush(txn).await?;
    Ok(())
}
