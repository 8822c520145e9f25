//! The course finder's courses and their runs: reads, the finder's list
//! (facets counted in SQL, availability computed from the runs' dates at a
//! day the caller passes, so tests can move the clock) and all-or-nothing
//! writes with history.

use crate::changes::{self, Actor, Fields};
use crate::entity::course::{self, Column, Entity};
use crate::entity::course_run;
use crate::list;
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use faro_domain::courses::{Course, CourseRun};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait, Value,
};
use std::collections::HashMap;

pub const RECORD_TYPE: &str = "course";

/// A course with the times it was created and last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub course: Course,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// The course's own multi-valued fields in `course_value`, by facet name;
/// the derived facets (`Course::derived_facets`) sit beside them.
const VALUE_FACETS: [&str; 4] = ["language", "subject", "topic", "target_group"];

/// Availability of a course at `{today}` (`{soon}`: today + 30 days) as
/// range conditions on the course's own date columns (migration m0022,
/// written with the course: [`date_values`]), the rules of
/// `CourseRun::status` (tests check both agree). Only when today falls in
/// the last window slot of a course with more windows than slots do its
/// runs decide (an indexed probe of that course's runs).
const AVAILABILITY: &[(&str, &str)] = &[
    (
        "open_now",
        "((t.av_open1_from <= {today} AND {today} <= t.av_open1_until) \
         OR (t.av_open2_from <= {today} AND {today} <= t.av_open2_until) \
         OR (t.av_open3_from <= {today} AND {today} <= t.av_open3_until \
         AND (t.av_open_more = FALSE OR EXISTS (SELECT 1 FROM course_run r \
         WHERE r.course_id = t.id AND (r.run_end = '' OR r.run_end >= {today}) \
         AND ((r.pacing = 'self_paced' AND (r.run_start = '' OR r.run_start <= {today})) \
         OR (r.pacing <> 'self_paced' AND r.run_start <> '' \
         AND (r.enrolment_start = '' OR r.enrolment_start <= {today}) \
         AND {today} <= CASE WHEN r.enrolment_end <> '' THEN r.enrolment_end ELSE r.run_start END)) LIMIT 1))))",
    ),
    (
        "starting_soon",
        "((t.av_soon1_from <= {today} AND {today} <= t.av_soon1_until) \
         OR (t.av_soon2_from <= {today} AND {today} <= t.av_soon2_until) \
         OR (t.av_soon3_from <= {today} AND {today} <= t.av_soon3_until \
         AND (t.av_soon_more = FALSE OR EXISTS (SELECT 1 FROM course_run r \
         WHERE r.course_id = t.id AND r.run_start >= {today} AND r.run_start <= {soon} LIMIT 1))))",
    ),
    ("self_paced", "t.av_self_paced_until >= {today}"),
    ("archived", "t.av_last_end < {today}"),
];

/// The columns of the course's availability dates and their values, in
/// the order of [`date_columns`]: what the write path stores with a course.
pub(crate) fn date_values(c: &Course) -> (Vec<String>, Vec<Value>) {
    use faro_domain::courses::WINDOW_SLOTS;
    let d = c.availability_dates();
    let mut vals: Vec<Value> = Vec::new();
    let day = |v: Option<&String>| Value::from(v.cloned());
    for w in [&d.open, &d.soon] {
        for i in 0..WINDOW_SLOTS {
            let slot = w.slots.get(i);
            vals.push(day(slot.map(|s| &s.0)));
            vals.push(day(slot.map(|s| &s.1)));
        }
    }
    vals.push(day(d.self_paced_until.as_ref()));
    vals.push(day(d.last_end.as_ref()));
    for i in 0..WINDOW_SLOTS {
        vals.push(day(d.starts.get(i)));
    }
    vals.push(d.open.more.into());
    vals.push(d.soon.more.into());
    vals.push(d.starts_more.into());
    (date_columns(), vals)
}

/// The availability date columns of `course` (day columns, then flags).
pub(crate) fn date_columns() -> Vec<String> {
    let mut cols = crate::migration::m0022_day_columns();
    cols.extend(
        crate::migration::M0022_FLAG_COLUMNS
            .iter()
            .map(|s| s.to_string()),
    );
    cols
}

/// Sets the availability date columns on a course row.
fn set_dates(am: &mut course::ActiveModel, c: &Course) {
    use sea_orm::ActiveModelTrait;
    use std::str::FromStr;
    let (cols, vals) = date_values(c);
    for (col, v) in cols.iter().zip(vals) {
        if let Ok(col) = Column::from_str(col) {
            am.set(col, v);
        }
    }
}

const fn values(facet: &'static str) -> list::Source {
    list::Source::Values {
        table: "course_value",
        owner: "course_id",
        facet,
        prefix: false,
    }
}

/// The facets of the finder, by name, in the order pages show them.
pub const FACETS: [&str; 12] = [
    "availability",
    "cost",
    "language",
    "country",
    "provider",
    "subject",
    "modality",
    "certificate",
    "workload",
    "target_group",
    "light",
    "level",
];

/// The finder: live courses, newest first (or by next start, [`Sort`]).
pub const AREA: list::Area = list::Area {
    table: "course",
    base: "t.deleted_at IS NULL",
    facets: &[
        list::Facet {
            name: "availability",
            source: list::Source::Cases {
                cases: AVAILABILITY,
            },
        },
        list::Facet {
            name: "cost",
            source: values("cost"),
        },
        list::Facet {
            name: "language",
            source: values("language"),
        },
        list::Facet {
            name: "country",
            source: list::Source::Via {
                link: "course_provider",
                owner: "course_id",
                key: "institution_id",
                target: "institution",
                column: "country",
            },
        },
        list::Facet {
            name: "provider",
            source: list::Source::Link {
                table: "course_provider",
                owner: "course_id",
                other: "institution_id",
            },
        },
        list::Facet {
            name: "subject",
            source: values("subject"),
        },
        list::Facet {
            name: "modality",
            source: values("modality"),
        },
        list::Facet {
            name: "certificate",
            source: values("certificate"),
        },
        list::Facet {
            name: "workload",
            source: values("workload"),
        },
        list::Facet {
            name: "target_group",
            source: values("target_group"),
        },
        list::Facet {
            name: "light",
            source: values("light"),
        },
        list::Facet {
            name: "level",
            source: list::Source::Text {
                column: "level",
                none: Some("unstated"),
            },
        },
    ],
    order: "t.created_at DESC, t.id",
};

/// The finder's orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Newest course first.
    #[default]
    Newest,
    /// The next start (today or later) first; courses without one last.
    Start,
    /// By how well a course matches the text (the search index's order;
    /// without text, newest).
    Relevance,
}

impl Sort {
    pub fn code(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Start => "start",
            Sort::Relevance => "relevance",
        }
    }
    pub fn from_code(s: &str) -> Option<Sort> {
        match s {
            "newest" => Some(Sort::Newest),
            "start" => Some(Sort::Start),
            "relevance" => Some(Sort::Relevance),
            _ => None,
        }
    }
}

/// The next start today or later, from the latest starts kept on the
/// course; only a course with more starts than slots whose oldest kept
/// start is still ahead asks its runs.
const START_ORDER: &str = "CASE \
     WHEN t.av_start1 IS NULL OR t.av_start1 < {today} THEN '9999-12-31' \
     WHEN t.av_start2 IS NULL OR t.av_start2 < {today} THEN t.av_start1 \
     WHEN t.av_start3 IS NULL OR t.av_start3 < {today} THEN t.av_start2 \
     WHEN t.av_start_more = FALSE THEN t.av_start3 \
     ELSE (SELECT MIN(r.run_start) FROM course_run r \
     WHERE r.course_id = t.id AND r.run_start >= {today}) END, t.id";

/// The `{today}`/`{soon}` values of the finder's SQL at `today`.
pub fn opts(today: NaiveDate, sort: Sort) -> list::Opts {
    let soon = today + chrono::Duration::days(faro_domain::courses::SOON_DAYS);
    list::Opts {
        vars: vec![
            ("today", today.format("%Y-%m-%d").to_string()),
            ("soon", soon.format("%Y-%m-%d").to_string()),
        ],
        order: match sort {
            Sort::Newest | Sort::Relevance => None,
            Sort::Start => Some(START_ORDER),
        },
        one_pass: true,
        filter_first: false,
    }
}

/// One page of the finder: its courses, the total and the facet counts.
#[derive(Debug, Clone)]
pub struct Listed {
    pub items: Vec<Stored>,
    pub total: u64,
    pub facets: list::FacetCounts,
}

/// A page of the finder at `today` with its total and facet counts, in SQL.
pub async fn list(
    store: &Store,
    wanted: &[(String, String)],
    page: list::PageReq,
    today: NaiveDate,
    sort: Sort,
) -> Result<Listed> {
    let listed = list::run_with(store, &AREA, wanted, page, &opts(today, sort)).await?;
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

fn to_run(m: course_run::Model) -> CourseRun {
    CourseRun {
        run_id: m.run_id,
        run_start: m.run_start,
        run_end: m.run_end,
        enrolment_start: m.enrolment_start,
        enrolment_end: m.enrolment_end,
        pacing: m.pacing,
        modality: m.modality,
        hours_total: m.hours_total,
        hours_week: m.hours_week,
        cost: m.cost,
        price: m.price,
        currency: m.currency,
        certificate: m.certificate,
        seats: m.seats,
    }
}

pub(crate) type Loaded = (Stored, Option<chrono::DateTime<chrono::Utc>>);

/// Rows with their values, providers and runs (one query per table).
async fn load<C: ConnectionTrait>(db: &C, models: Vec<course::Model>) -> Result<Vec<Loaded>> {
    let ids: Vec<String> = models.iter().map(|m| m.id.clone()).collect();
    let mut values = list::values_of(
        db,
        "course_value",
        "course_id",
        "value",
        Some("facet"),
        &ids,
    )
    .await?;
    let mut providers = list::values_of(
        db,
        "course_provider",
        "course_id",
        "institution_id",
        None,
        &ids,
    )
    .await?;
    let mut runs: HashMap<String, Vec<CourseRun>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for r in course_run::Entity::find()
            .filter(course_run::Column::CourseId.is_in(chunk.to_vec()))
            .order_by_asc(course_run::Column::CourseId)
            .order_by_asc(course_run::Column::Pos)
            .all(db)
            .await?
        {
            runs.entry(r.course_id.clone()).or_default().push(to_run(r));
        }
    }
    Ok(models
        .into_iter()
        .map(|m| {
            let v = values.remove(&m.id).unwrap_or_default();
            let pick = |facet: &str| -> Vec<String> {
                v.iter()
                    .filter(|(k, _)| k == facet)
                    .map(|(_, x)| x.clone())
                    .collect()
            };
            let course = Course {
                title_es: m.title_es,
                title_en: m.title_en,
                title_pt: m.title_pt,
                description_es: m.description_es,
                description_en: m.description_en,
                description_pt: m.description_pt,
                original_language: m.original_language,
                providers: providers
                    .remove(&m.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(_, p)| p)
                    .collect(),
                languages: pick("language"),
                subjects: pick("subject"),
                topics: pick("topic"),
                target_groups: pick("target_group"),
                level: m.level,
                url: m.url,
                mobile_friendly: m.mobile_friendly,
                downloadable: m.downloadable,
                offline: m.offline,
                broadcast: m.broadcast,
                data_mb: m.data_mb,
                notes: m.notes,
                runs: runs.remove(&m.id).unwrap_or_default(),
                id: m.id,
            };
            (
                Stored {
                    course,
                    created_at: m.created_at,
                    updated_at: m.updated_at,
                },
                m.deleted_at,
            )
        })
        .collect())
}

/// Courses by id (deleted ones too), in the order of `ids`.
pub(crate) async fn by_ids<C: ConnectionTrait>(db: &C, ids: &[String]) -> Result<Vec<Loaded>> {
    let mut models = Vec::new();
    for chunk in ids.chunks(500) {
        models.extend(
            Entity::find()
                .filter(Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    let mut by: HashMap<String, Loaded> = load(db, models)
        .await?
        .into_iter()
        .map(|s| (s.0.course.id.clone(), s))
        .collect();
    Ok(ids.iter().filter_map(|id| by.remove(id)).collect())
}

/// Live courses after `after` (by id), at most `limit`: the seek behind
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
    Ok(load(store.read(), models)
        .await?
        .into_iter()
        .map(|(s, _)| s)
        .collect())
}

/// A course whether or not it is deleted, with its deletion time.
pub async fn get_any(store: &Store, id: &str) -> Result<Option<Loaded>> {
    Ok(by_ids(store.read(), &[id.to_string()]).await?.pop())
}

/// A live course.
pub async fn get(store: &Store, id: &str) -> Result<Stored> {
    match get_any(store, id).await? {
        Some((s, None)) => Ok(s),
        _ => Err(StoreError::NotFound),
    }
}

/// Live courses by id, in the order of `ids` (ids of deleted or unknown
/// courses are left out): the page of a finder answered by the search index.
pub async fn many(store: &Store, ids: &[String]) -> Result<Vec<Stored>> {
    Ok(by_ids(store.read(), ids)
        .await?
        .into_iter()
        .filter(|(_, deleted)| deleted.is_none())
        .map(|(s, _)| s)
        .collect())
}

/// Search outbox rows for every course `institution` provides, inside the
/// caller's transaction: a course's search document carries its providers'
/// countries, so a provider's new country re-indexes its courses.
pub(crate) async fn notify_provided_by<C: ConnectionTrait>(
    db: &C,
    institution: &str,
) -> Result<()> {
    let mut sql = list::Sql::new(db.get_database_backend());
    sql.push("SELECT DISTINCT course_id AS id FROM course_provider WHERE institution_id = ")
        .bind(institution.to_string());
    for row in db.query_all_raw(sql.statement()).await? {
        let id: String = row.try_get("", "id")?;
        crate::outbox::notify(db, RECORD_TYPE, &id).await?;
    }
    Ok(())
}

/// The countries of institutions, by id (institutions without one left
/// out): what a course's search document needs of its providers.
pub async fn provider_countries(store: &Store, ids: &[String]) -> Result<HashMap<String, String>> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    let db = store.read();
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut sql = list::Sql::new(db.get_database_backend());
        sql.push("SELECT id, country FROM institution WHERE country IS NOT NULL AND country <> '' AND id IN ")
            .bind_list(chunk.iter().cloned());
        for row in db.query_all_raw(sql.statement()).await? {
            out.insert(
                row.try_get::<String>("", "id")?,
                row.try_get::<String>("", "country")?,
            );
        }
    }
    Ok(out)
}

/// Live courses an institution provides: the first `limit`, newest first,
/// and how many there are (an indexed lookup on `course_provider`).
pub async fn for_institution(
    store: &Store,
    institution: &str,
    limit: u64,
) -> Result<(Vec<Stored>, u64)> {
    let db = store.read();
    let from = " FROM course_provider l JOIN course t ON t.id = l.course_id \
                WHERE t.deleted_at IS NULL AND l.institution_id = ";
    let mut sql = list::Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS n")
        .push(from)
        .bind(institution.to_string());
    let total = db
        .query_one_raw(sql.statement())
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0) as u64;
    let mut sql = list::Sql::new(db.get_database_backend());
    sql.push("SELECT t.id AS id")
        .push(from)
        .bind(institution.to_string())
        .push(" ORDER BY t.created_at DESC, t.id LIMIT ")
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

/// The history's view of a course: one field per column, the lists
/// `;`-joined and the runs as JSON.
pub fn fields(c: &Course) -> Fields {
    let flag = |b: bool| Some(b.to_string());
    vec![
        ("title_es", Some(c.title_es.clone())),
        ("title_en", Some(c.title_en.clone())),
        ("title_pt", Some(c.title_pt.clone())),
        ("description_es", Some(c.description_es.clone())),
        ("description_en", Some(c.description_en.clone())),
        ("description_pt", Some(c.description_pt.clone())),
        ("original_language", Some(c.original_language.clone())),
        ("providers", Some(c.providers.join(";"))),
        ("subjects", Some(c.subjects.join(";"))),
        ("topics", Some(c.topics.join(";"))),
        ("level", Some(c.level.clone())),
        ("target_groups", Some(c.target_groups.join(";"))),
        ("languages", Some(c.languages.join(";"))),
        ("url", Some(c.url.clone())),
        ("mobile_friendly", flag(c.mobile_friendly)),
        ("downloadable", flag(c.downloadable)),
        ("offline", flag(c.offline)),
        ("broadcast", flag(c.broadcast)),
        ("data_mb", c.data_mb.map(|d| d.to_string())),
        ("notes", Some(c.notes.clone())),
        (
            "runs",
            Some(serde_json::to_string(&c.runs).unwrap_or_default()),
        ),
    ]
}

/// `course_value` rows (own fields and derived facets) and `course_provider`
/// rows; `listed`: the course is not deleted.
fn value_rows(c: &Course, listed: bool) -> (Vec<Vec<Value>>, Vec<Vec<Value>>) {
    let mut values = Vec::new();
    let own = [&c.languages, &c.subjects, &c.topics, &c.target_groups];
    let derived = c.derived_facets();
    let all = VALUE_FACETS
        .iter()
        .copied()
        .zip(own.into_iter().cloned())
        .chain(derived);
    for (facet, list) in all {
        let mut seen: Vec<&String> = Vec::new();
        for v in &list {
            if seen.contains(&v) {
                continue;
            }
            values.push(vec![
                c.id.clone().into(),
                facet.into(),
                v.clone().into(),
                (seen.len() as i32).into(),
                listed.into(),
            ]);
            seen.push(v);
        }
    }
    let mut providers = Vec::new();
    let mut seen: Vec<&String> = Vec::new();
    for p in &c.providers {
        if !seen.contains(&p) {
            providers.push(vec![
                c.id.clone().into(),
                p.clone().into(),
                (seen.len() as i32).into(),
                listed.into(),
            ]);
            seen.push(p);
        }
    }
    (values, providers)
}

fn run_rows(c: &Course) -> Vec<Vec<Value>> {
    c.runs
        .iter()
        .enumerate()
        .map(|(pos, r)| {
            vec![
                c.id.clone().into(),
                r.run_id.clone().into(),
                (pos as i32).into(),
                r.run_start.clone().into(),
                r.run_end.clone().into(),
                r.enrolment_start.clone().into(),
                r.enrolment_end.clone().into(),
                r.pacing.clone().into(),
                r.modality.clone().into(),
                r.cost.clone().into(),
                r.certificate.clone().into(),
                r.price.clone().into(),
                r.currency.clone().into(),
                r.hours_total.into(),
                r.hours_week.into(),
                r.seats.into(),
            ]
        })
        .collect()
}

const RUN_COLUMNS: [&str; 16] = [
    "course_id",
    "run_id",
    "pos",
    "run_start",
    "run_end",
    "enrolment_start",
    "enrolment_end",
    "pacing",
    "modality",
    "cost",
    "certificate",
    "price",
    "currency",
    "hours_total",
    "hours_week",
    "seats",
];

/// Creates or updates courses in one transaction (imports, demo data): all
/// or nothing, history per field, unchanged ones untouched.
pub async fn upsert_all(
    store: &Store,
    items: &[Course],
    actor: &Actor,
) -> Result<crate::institutions::ImportReport> {
    let txn = store.write().begin().await?;
    let report = upsert_in(&txn, items, actor, None).await?;
    txn.commit().await?;
    Ok(report)
}

/// Saves one course from an edit form or the API. With `expected` (the
/// version the editor started from, or `changes::NEW_RECORD` for a create)
/// a course changed since is refused with [`StoreError::Conflict`].
pub async fn save(
    store: &Store,
    item: &Course,
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    let txn = store.write().begin().await?;
    let report = upsert_in(&txn, std::slice::from_ref(item), actor, expected).await?;
    txn.commit().await?;
    Ok(report)
}

/// Records written per round of statements inside a batch's transaction.
const CHUNK: usize = 2000;

/// The courses' write path inside the caller's transaction: validation,
/// providers that are live institutions (one the stored version already had
/// stays allowed), compare-and-set on the version read here, runs, value
/// rows, history and outbox rows, all in batches.
pub async fn upsert_in(
    txn: &DatabaseTransaction,
    items: &[Course],
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    let codebook = faro_domain::observatory::current();
    crate::refuse_invalid(items, |c| (&c.id, c.validate(codebook)))?;
    let mut report = crate::institutions::ImportReport::default();
    for chunk in items.chunks(CHUNK) {
        upsert_chunk(txn, chunk, actor, expected, &mut report).await?;
    }
    Ok(report)
}

async fn upsert_chunk(
    txn: &DatabaseTransaction,
    items: &[Course],
    actor: &Actor,
    expected: Option<&str>,
    report: &mut crate::institutions::ImportReport,
) -> Result<()> {
    let ids: Vec<String> = items.iter().map(|c| c.id.clone()).collect();
    let mut deleted = std::collections::HashSet::new();
    let existing: HashMap<String, Stored> = by_ids(txn, &ids)
        .await?
        .into_iter()
        .map(|(s, d)| {
            if d.is_some() {
                deleted.insert(s.course.id.clone());
            }
            (s.course.id.clone(), s)
        })
        .collect();
    let mut wanted: Vec<String> = items.iter().flat_map(|c| c.providers.clone()).collect();
    wanted.sort();
    wanted.dedup();
    let live = list::live_ids(txn, "institution", true, &wanted).await?;
    for c in items {
        let old = existing.get(&c.id).map(|s| &s.course.providers);
        if let Some(bad) = c
            .providers
            .iter()
            .find(|p| !live.contains(*p) && !old.is_some_and(|o| o.contains(p)))
        {
            return Err(StoreError::Reference {
                record: c.id.clone(),
                field: "provider",
                target: bad.clone(),
            });
        }
    }
    let now = chrono::Utc::now();
    let mut batch = changes::Batch::default();
    let mut new_rows = Vec::new();
    let mut replaced: Vec<String> = Vec::new();
    let mut values = Vec::new();
    let mut providers = Vec::new();
    let mut runs = Vec::new();
    for c in items {
        let seen = existing.get(&c.id).map(|s| s.updated_at);
        changes::check_version(expected, seen)?;
        let old = existing.get(&c.id).map(|s| &s.course);
        let diff = changes::diff(old.map(fields).as_ref(), &fields(c));
        if old.is_some() && diff.is_empty() {
            report.unchanged += 1;
            continue;
        }
        let am = course::ActiveModel {
            id: Set(c.id.clone()),
            title_es: Set(c.title_es.clone()),
            title_en: Set(c.title_en.clone()),
            title_pt: Set(c.title_pt.clone()),
            description_es: Set(c.description_es.clone()),
            description_en: Set(c.description_en.clone()),
            description_pt: Set(c.description_pt.clone()),
            url: Set(c.url.clone()),
            notes: Set(c.notes.clone()),
            original_language: Set(c.original_language.clone()),
            level: Set(c.level.clone()),
            mobile_friendly: Set(c.mobile_friendly),
            downloadable: Set(c.downloadable),
            offline: Set(c.offline),
            broadcast: Set(c.broadcast),
            data_mb: Set(c.data_mb),
            created_at: if old.is_some() { NotSet } else { Set(now) },
            updated_at: Set(now),
            deleted_at: NotSet,
            ..Default::default()
        };
        let mut am = am;
        set_dates(&mut am, c);
        if let Some(seen) = seen {
            changes::update_if_unchanged(
                txn,
                Entity::update(am)
                    .validate()?
                    .filter(Column::UpdatedAt.eq(seen)),
            )
            .await?;
            report.updated += 1;
            replaced.push(c.id.clone());
            batch.add(actor, RECORD_TYPE, &c.id, "updated", &diff);
        } else {
            new_rows.push(am);
            report.created += 1;
            batch.add(actor, RECORD_TYPE, &c.id, "created", &diff);
        }
        let (v, p) = value_rows(c, !deleted.contains(&c.id));
        values.extend(v);
        providers.extend(p);
        runs.extend(run_rows(c));
    }
    list::insert_models(txn, new_rows).await?;
    for table in ["course_value", "course_provider", "course_run"] {
        list::delete_owned(txn, table, "course_id", &replaced).await?;
    }
    list::insert_rows(
        txn,
        "course_value",
        &["course_id", "facet", "value", "pos", "listed"],
        &values,
    )
    .await?;
    list::insert_rows(
        txn,
        "course_provider",
        &["course_id", "institution_id", "pos", "listed"],
        &providers,
    )
    .await?;
    list::insert_rows(txn, "course_run", &RUN_COLUMNS, &runs).await?;
    batch.flush(txn).await?;
    Ok(())
}

/// Soft-deletes (`deleted == true`) or restores a course; recorded in the
/// history. A deleted course leaves the finder and its counts.
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
    let seen = m.updated_at;
    let mut am: course::ActiveModel = m.into();
    am.deleted_at = Set(deleted.then_some(now));
    am.updated_at = Set(now);
    changes::update_if_unchanged(
        &txn,
        Entity::update(am)
            .validate()?
            .filter(Column::UpdatedAt.eq(seen)),
    )
    .await?;
    for table in ["course_value", "course_provider"] {
        let mut sql = list::Sql::new(txn.get_database_backend());
        sql.push("UPDATE ")
            .push(table)
            .push(" SET listed = ")
            .bind(!deleted)
            .push(" WHERE course_id = ")
            .bind(id.to_string());
        txn.execute_raw(sql.statement()).await?;
    }
    let change = changes::FieldChange {
        field: "deleted_at",
        old,
        new: deleted.then(|| now.to_rfc3339()),
    };
    let action = if deleted { "deleted" } else { "restored" };
    changes::record(&txn, actor, RECORD_TYPE, id, action, &[change]).await?;
    txn.commit().await?;
    Ok(())
}

/// A course as a site dump carries it: the course with its runs (the API's
/// JSON) and its times; value, provider and run rows are rebuilt on import.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct DumpRow {
    #[serde(flatten)]
    course: Course,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
    deleted_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Every course, deleted ones too, by id, read in pages of 1,000.
pub(crate) async fn dump_rows<C: ConnectionTrait>(db: &C) -> Result<Vec<DumpRow>> {
    let mut out: Vec<DumpRow> = Vec::new();
    loop {
        let mut q = Entity::find();
        if let Some(last) = out.last() {
            q = q.filter(Column::Id.gt(last.course.id.clone()));
        }
        let models = q.order_by_asc(Column::Id).limit(1000).all(db).await?;
        if models.is_empty() {
            return Ok(out);
        }
        out.extend(load(db, models).await?.into_iter().map(|(s, d)| DumpRow {
            course: s.course,
            created_at: s.created_at,
            updated_at: s.updated_at,
            deleted_at: d,
        }));
    }
}

/// Writes dumped courses into an empty site inside the import's transaction.
pub(crate) async fn restore(txn: &DatabaseTransaction, rows: Vec<DumpRow>) -> Result<()> {
    for chunk in rows.chunks(CHUNK) {
        let mut models = Vec::new();
        let (mut values, mut providers, mut runs) = (Vec::new(), Vec::new(), Vec::new());
        for r in chunk {
            let c = &r.course;
            let mut am = course::ActiveModel {
                id: Set(c.id.clone()),
                title_es: Set(c.title_es.clone()),
                title_en: Set(c.title_en.clone()),
                title_pt: Set(c.title_pt.clone()),
                description_es: Set(c.description_es.clone()),
                description_en: Set(c.description_en.clone()),
                description_pt: Set(c.description_pt.clone()),
                url: Set(c.url.clone()),
                notes: Set(c.notes.clone()),
                original_language: Set(c.original_language.clone()),
                level: Set(c.level.clone()),
                mobile_friendly: Set(c.mobile_friendly),
                downloadable: Set(c.downloadable),
                offline: Set(c.offline),
                broadcast: Set(c.broadcast),
                data_mb: Set(c.data_mb),
                created_at: Set(r.created_at),
                updated_at: Set(r.updated_at),
                deleted_at: Set(r.deleted_at),
                ..Default::default()
            };
            set_dates(&mut am, c);
            models.push(am);
            let (v, p) = value_rows(c, r.deleted_at.is_none());
            values.extend(v);
            providers.extend(p);
            runs.extend(run_rows(c));
        }
        list::insert_models(txn, models).await?;
        list::insert_rows(
            txn,
            "course_value",
            &["course_id", "facet", "value", "pos", "listed"],
            &values,
        )
        .await?;
        list::insert_rows(
            txn,
            "course_provider",
            &["course_id", "institution_id", "pos", "listed"],
            &providers,
        )
        .await?;
        list::insert_rows(txn, "course_run", &RUN_COLUMNS, &runs).await?;
    }
    Ok(())
}
