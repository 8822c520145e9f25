//! Event series and their sessions: reads and all-or-nothing writes with
//! history, like every area. A session's topics and join details are
//! tables (`event_session_topic`, `event_session_private`); join details
//! are read only by [`join_details`], for confirmed registrants, and appear
//! in the history as a fingerprint, never in clear.
//!
//! A saved session raises its `sequence` (iCalendar `SEQUENCE`) when its
//! time, status or text changes; a new time or a cancellation schedules the
//! notices to its registrants in the same transaction (see `registrations`).

use crate::changes::{self, Actor, Fields};
use crate::entity::event_session::{self, Column, Entity};
use crate::list::{self, Sql};
use crate::{Result, Store, StoreError};
use faro_domain::events::{Figure, Presenter, Series, Session};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait, Value,
};
use std::collections::HashMap;

pub const RECORD_TYPE: &str = "session";
pub const SERIES_RECORD_TYPE: &str = "series";

fn to_domain(m: event_session::Model) -> Session {
    Session {
        id: m.id,
        series: m.series,
        number: m.number.max(0) as u32,
        date: m.date,
        title_es: m.title_es,
        title_en: m.title_en,
        title_pt: m.title_pt,
        original_language: m.original_language,
        channels: m
            .channels
            .split(';')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        notes: m.notes,
        start_time: m.start_time,
        time_zone: m.time_zone,
        duration_minutes: m.duration_minutes.max(0) as u32,
        description_es: m.description_es,
        description_en: m.description_en,
        description_pt: m.description_pt,
        topics: Vec::new(),
        capacity: m.capacity.map(|c| c.max(1) as u32),
        status: m.status,
        zoom_url: String::new(),
        zoom_meeting_id: String::new(),
        zoom_passcode: String::new(),
        facebook_url: m.facebook_url,
        sequence: m.sequence.max(0) as u32,
    }
}

/// A secret's trace in the history: shows that it changed, not what it is.
fn fingerprint(v: &str) -> String {
    if v.is_empty() {
        String::new()
    } else {
        format!("private:{}", &crate::accounts::sha256_hex(v)[..8])
    }
}

fn fields(s: &Session) -> Fields {
    vec![
        ("series", Some(s.series.clone())),
        ("number", Some(s.number.to_string())),
        ("date", Some(s.date.clone())),
        ("start_time", Some(s.start_time.clone())),
        ("time_zone", Some(s.time_zone.clone())),
        ("duration_minutes", Some(s.duration_minutes.to_string())),
        ("title_es", Some(s.title_es.clone())),
        ("title_en", Some(s.title_en.clone())),
        ("title_pt", Some(s.title_pt.clone())),
        ("description_es", Some(s.description_es.clone())),
        ("description_en", Some(s.description_en.clone())),
        ("description_pt", Some(s.description_pt.clone())),
        ("original_language", Some(s.original_language.clone())),
        ("topics", Some(s.topics.join(";"))),
        ("capacity", s.capacity.map(|c| c.to_string())),
        ("status", Some(s.status.clone())),
        ("channels", Some(s.channels.join(";"))),
        ("facebook_url", Some(s.facebook_url.clone())),
        ("zoom_url", Some(fingerprint(&s.zoom_url))),
        ("zoom_meeting_id", Some(fingerprint(&s.zoom_meeting_id))),
        ("zoom_passcode", Some(fingerprint(&s.zoom_passcode))),
        ("notes", Some(s.notes.clone())),
    ]
}

/// Fields whose change makes calendars update their copy (`SEQUENCE`).
const CALENDAR_FIELDS: &[&str] = &[
    "date",
    "start_time",
    "time_zone",
    "duration_minutes",
    "title_es",
    "title_en",
    "title_pt",
    "description_es",
    "description_en",
    "description_pt",
    "status",
];

async fn with_topics<C: ConnectionTrait>(db: &C, mut items: Vec<Session>) -> Result<Vec<Session>> {
    if items.is_empty() {
        return Ok(items);
    }
    let ids: Vec<String> = items.iter().map(|s| s.id.clone()).collect();
    let mut topics: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("SELECT session_id, code FROM event_session_topic WHERE session_id IN ")
            .bind_list(chunk.iter().cloned())
            .push(" ORDER BY session_id, pos");
        for row in db.query_all_raw(sql.statement()).await? {
            topics
                .entry(row.try_get("", "session_id")?)
                .or_default()
                .push(row.try_get("", "code")?);
        }
    }
    for s in &mut items {
        s.topics = topics.remove(&s.id).unwrap_or_default();
    }
    Ok(items)
}

async fn with_private<C: ConnectionTrait>(db: &C, s: &mut Session) -> Result<()> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT zoom_url, zoom_meeting_id, zoom_passcode FROM event_session_private WHERE session_id = ",
    )
    .bind(s.id.clone());
    if let Some(row) = db.query_one_raw(sql.statement()).await? {
        s.zoom_url = row.try_get("", "zoom_url")?;
        s.zoom_meeting_id = row.try_get("", "zoom_meeting_id")?;
        s.zoom_passcode = row.try_get("", "zoom_passcode")?;
    }
    Ok(())
}

/// Every session, by date then number (the sitemap, the search rebuild and
/// the resource form: a few hundred rows at most; lists of a series use
/// [`for_series`]).
pub async fn all(store: &Store) -> Result<Vec<Session>> {
    let items: Vec<Session> = Entity::find()
        .order_by_asc(Column::Date)
        .order_by_asc(Column::Number)
        .all(store.read())
        .await?
        .into_iter()
        .map(to_domain)
        .collect();
    with_topics(store.read(), items).await
}

/// The sessions of one series, by number.
pub async fn for_series(store: &Store, series: &str) -> Result<Vec<Session>> {
    let items: Vec<Session> = Entity::find()
        .filter(Column::Series.eq(series))
        .order_by_asc(Column::Number)
        .all(store.read())
        .await?
        .into_iter()
        .map(to_domain)
        .collect();
    with_topics(store.read(), items).await
}

/// The next `limit` sessions starting after `now` (not cancelled), by start.
pub async fn upcoming(
    store: &Store,
    now: chrono::DateTime<chrono::Utc>,
    limit: u64,
) -> Result<Vec<Session>> {
    let items: Vec<Session> = Entity::find()
        .filter(Column::StartAt.gt(now))
        .filter(Column::Status.ne("cancelled"))
        .order_by_asc(Column::StartAt)
        .limit(limit)
        .all(store.read())
        .await?
        .into_iter()
        .map(to_domain)
        .collect();
    with_topics(store.read(), items).await
}

/// A session without its join details.
pub async fn get(store: &Store, id: &str) -> Result<Session> {
    let s = Entity::find_by_id(id.to_string())
        .one(store.read())
        .await?
        .map(to_domain)
        .ok_or(StoreError::NotFound)?;
    Ok(with_topics(store.read(), vec![s]).await?.remove(0))
}

/// A session with its join details: for coordinators' forms and for the
/// e-mails and personal pages of confirmed registrants only.
pub async fn get_with_join_details(store: &Store, id: &str) -> Result<Session> {
    let mut s = get(store, id).await?;
    with_private(store.read(), &mut s).await?;
    Ok(s)
}

/// When the session last changed and its `sequence`.
pub async fn stamp(store: &Store, id: &str) -> Result<(chrono::DateTime<chrono::Utc>, u32)> {
    Entity::find_by_id(id.to_string())
        .one(store.read())
        .await?
        .map(|m| (m.updated_at, m.sequence.max(0) as u32))
        .ok_or(StoreError::NotFound)
}

/// Creates or updates sessions in one transaction; unchanged ones are left
/// alone (no history), so loading the same file twice changes nothing.
/// Sessions read from a file without join details keep the stored ones.
pub async fn upsert_all(
    store: &Store,
    items: &[Session],
    actor: &Actor,
) -> Result<crate::institutions::ImportReport> {
    upsert(store, items, actor, None, true).await
}

/// Saves one session based on the version `expected` (its `updated_at` as
/// RFC 3339, or `changes::NEW_RECORD` for a create): a session saved since
/// is [`StoreError::Conflict`] and nothing is written. The join details are
/// the ones given (a coordinator's form shows them).
pub async fn save(
    store: &Store,
    item: &Session,
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    upsert(store, std::slice::from_ref(item), actor, expected, false).await
}

/// When a session last changed (the version a save is based on).
pub async fn version(store: &Store, id: &str) -> Result<Option<String>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(store.read())
        .await?
        .map(|m| m.updated_at.to_rfc3339()))
}

async fn upsert(
    store: &Store,
    items: &[Session],
    actor: &Actor,
    expected: Option<&str>,
    keep_private: bool,
) -> Result<crate::institutions::ImportReport> {
    crate::refuse_invalid(items, |s| (&s.id, s.validate()))?;
    let txn = store.write().begin().await?;
    let report = upsert_in(&txn, items, actor, expected, keep_private).await?;
    txn.commit().await?;
    Ok(report)
}

/// The write path of sessions, in the caller's transaction.
pub async fn upsert_in(
    txn: &DatabaseTransaction,
    items: &[Session],
    actor: &Actor,
    expected: Option<&str>,
    keep_private: bool,
) -> Result<crate::institutions::ImportReport> {
    let ids: Vec<String> = items.iter().map(|s| s.id.clone()).collect();
    crate::audience::touch_sessions_in(txn, &ids).await?;
    let mut existing: HashMap<String, (Session, chrono::DateTime<chrono::Utc>)> = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut found = Vec::new();
        let mut seen_at = HashMap::new();
        for m in Entity::find()
            .filter(Column::Id.is_in(chunk.to_vec()))
            .all(txn)
            .await?
        {
            seen_at.insert(m.id.clone(), m.updated_at);
            found.push(to_domain(m));
        }
        for mut s in with_topics(txn, found).await? {
            with_private(txn, &mut s).await?;
            let at = seen_at[&s.id];
            existing.insert(s.id.clone(), (s, at));
        }
    }
    // Every session's series must exist.
    let mut series: Vec<String> = items.iter().map(|s| s.series.clone()).collect();
    series.sort();
    series.dedup();
    let live = list::live_ids(txn, "event_series", false, &series).await?;
    for s in items {
        if !live.contains(&s.series) {
            return Err(StoreError::Reference {
                record: s.id.clone(),
                field: "series",
                target: s.series.clone(),
            });
        }
    }
    let mut report = crate::institutions::ImportReport::default();
    let now = chrono::Utc::now();
    let mut batch = changes::Batch::default();
    for given in items {
        let mut s = given.clone();
        if s.status.is_empty() {
            s.status = "scheduled".into();
        }
        let seen = existing.get(&s.id).map(|(_, at)| *at);
        changes::check_version(expected, seen)?;
        let old = existing.get(&s.id).map(|(s, _)| s);
        if let (true, Some(o)) = (keep_private, old)
            && s.zoom_url.is_empty()
            && s.zoom_meeting_id.is_empty()
            && s.zoom_passcode.is_empty()
        {
            s.zoom_url = o.zoom_url.clone();
            s.zoom_meeting_id = o.zoom_meeting_id.clone();
            s.zoom_passcode = o.zoom_passcode.clone();
        }
        let diff = changes::diff(old.map(fields).as_ref(), &fields(&s));
        if old.is_some() && diff.is_empty() {
            report.unchanged += 1;
            continue;
        }
        let calendar_change = diff.iter().any(|c| CALENDAR_FIELDS.contains(&c.field));
        s.sequence = match old {
            Some(o) if calendar_change => o.sequence + 1,
            Some(o) => o.sequence,
            None => 0,
        };
        let am = event_session::ActiveModel {
            id: Set(s.id.clone()),
            series: Set(s.series.clone()),
            number: Set(s.number as i32),
            date: Set(s.date.clone()),
            title_es: Set(s.title_es.clone()),
            title_en: Set(s.title_en.clone()),
            title_pt: Set(s.title_pt.clone()),
            original_language: Set(s.original_language.clone()),
            channels: Set(s.channels.join(";")),
            notes: Set(s.notes.clone()),
            created_at: if old.is_some() { NotSet } else { Set(now) },
            updated_at: Set(now),
            start_time: Set(s.start_time.clone()),
            time_zone: Set(s.time_zone.clone()),
            start_at: Set(s.start_utc()),
            duration_minutes: Set(s.duration_minutes as i32),
            description_es: Set(s.description_es.clone()),
            description_en: Set(s.description_en.clone()),
            description_pt: Set(s.description_pt.clone()),
            capacity: Set(s.capacity.map(|c| c as i32)),
            status: Set(s.status.clone()),
            facebook_url: Set(s.facebook_url.clone()),
            sequence: Set(s.sequence as i32),
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
            batch.add(actor, RECORD_TYPE, &s.id, "updated", &diff);
        } else {
            Entity::insert(am).exec(txn).await?;
            report.created += 1;
            batch.add(actor, RECORD_TYPE, &s.id, "created", &diff);
        }
        let one = std::slice::from_ref(&s.id).to_vec();
        list::delete_owned(txn, "event_session_topic", "session_id", &one).await?;
        let topic_rows: Vec<Vec<Value>> = s
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| vec![s.id.clone().into(), t.clone().into(), (i as i32).into()])
            .collect();
        list::insert_rows(
            txn,
            "event_session_topic",
            &["session_id", "code", "pos"],
            &topic_rows,
        )
        .await?;
        list::delete_owned(txn, "event_session_private", "session_id", &one).await?;
        if !(s.zoom_url.is_empty() && s.zoom_meeting_id.is_empty() && s.zoom_passcode.is_empty()) {
            list::insert_rows(
                txn,
                "event_session_private",
                &["session_id", "zoom_url", "zoom_meeting_id", "zoom_passcode"],
                &[vec![
                    s.id.clone().into(),
                    s.zoom_url.clone().into(),
                    s.zoom_meeting_id.clone().into(),
                    s.zoom_passcode.clone().into(),
                ]],
            )
            .await?;
        }
        if let Some(o) = old {
            crate::registrations::session_changed(txn, o, &s, now).await?;
        } else {
            crate::registrations::schedule_reminders(txn, &s).await?;
        }
    }
    batch.flush(txn).await?;
    // The series' kept audience figures name sessions and numbers (a
    // session may also move to another series): both sides are stale.
    crate::audience::touch_sessions_in(txn, &ids).await?;
    Ok(report)
}

// ---------------------------------------------------------------- series

fn series_fields(s: &Series, presenters: &[Presenter]) -> Fields {
    vec![
        ("title_es", Some(s.title_es.clone())),
        ("title_en", Some(s.title_en.clone())),
        ("title_pt", Some(s.title_pt.clone())),
        ("description_es", Some(s.description_es.clone())),
        ("description_en", Some(s.description_en.clone())),
        ("description_pt", Some(s.description_pt.clone())),
        ("original_language", Some(s.original_language.clone())),
        ("organiser", Some(s.organiser.clone())),
        ("hashtag", Some(s.hashtag.clone())),
        ("certificate_policy", Some(s.certificate_policy.clone())),
        (
            "figures",
            Some(
                s.figures
                    .iter()
                    .map(|f| format!("{}={} ({})", f.key, f.value, f.source))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ),
        (
            "presenters",
            Some(
                presenters
                    .iter()
                    .map(|p| format!("{}|{}|{}|{}", p.session, p.institution, p.name, p.role))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ),
    ]
}

fn series_from_row(row: &sea_orm::QueryResult) -> Result<(Series, chrono::DateTime<chrono::Utc>)> {
    Ok((
        Series {
            id: row.try_get("", "id")?,
            title_es: row.try_get("", "title_es")?,
            title_en: row.try_get("", "title_en")?,
            title_pt: row.try_get("", "title_pt")?,
            description_es: row.try_get("", "description_es")?,
            description_en: row.try_get("", "description_en")?,
            description_pt: row.try_get("", "description_pt")?,
            original_language: row.try_get("", "original_language")?,
            organiser: row
                .try_get::<Option<String>>("", "organiser")?
                .unwrap_or_default(),
            hashtag: row.try_get("", "hashtag")?,
            certificate_policy: row.try_get("", "certificate_policy")?,
            figures: Vec::new(),
        },
        row.try_get("", "updated_at")?,
    ))
}

const SERIES_COLUMNS: &str = "id, title_es, title_en, title_pt, description_es, description_en, \
     description_pt, original_language, organiser, hashtag, certificate_policy, updated_at";

async fn load_series<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<(Series, chrono::DateTime<chrono::Utc>)>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT ")
        .push(SERIES_COLUMNS)
        .push(" FROM event_series WHERE id = ")
        .bind(id.to_string());
    let Some(row) = db.query_one_raw(sql.statement()).await? else {
        return Ok(None);
    };
    let (mut s, at) = series_from_row(&row)?;
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT key, value, source FROM event_series_figure WHERE series_id = ")
        .bind(id.to_string())
        .push(" ORDER BY pos");
    for r in db.query_all_raw(sql.statement()).await? {
        s.figures.push(Figure {
            key: r.try_get("", "key")?,
            value: r.try_get("", "value")?,
            source: r.try_get("", "source")?,
        });
    }
    Ok(Some((s, at)))
}

pub async fn get_series(store: &Store, id: &str) -> Result<Series> {
    load_series(store.read(), id)
        .await?
        .map(|(s, _)| s)
        .ok_or(StoreError::NotFound)
}

pub async fn series_version(store: &Store, id: &str) -> Result<Option<String>> {
    Ok(load_series(store.read(), id)
        .await?
        .map(|(_, at)| at.to_rfc3339()))
}

/// Every series, newest first (a network runs a handful).
/// The newest series that carries reported figures (the home page shows
/// them with their source), if any.
pub async fn series_with_figures(store: &Store) -> Result<Option<Series>> {
    let mut sql = Sql::new(store.backend());
    sql.push(
        "SELECT s.id AS id FROM event_series s WHERE EXISTS (SELECT 1 FROM event_series_figure f \
         WHERE f.series_id = s.id) ORDER BY s.created_at DESC, s.id LIMIT 1",
    );
    match store.read().query_one_raw(sql.statement()).await? {
        Some(r) => {
            let id: String = r.try_get("", "id")?;
            Ok(Some(get_series(store, &id).await?))
        }
        None => Ok(None),
    }
}

pub async fn list_series(store: &Store) -> Result<Vec<Series>> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT ")
        .push(SERIES_COLUMNS)
        .push(" FROM event_series ORDER BY created_at DESC, id LIMIT 500");
    store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| series_from_row(r).map(|(s, _)| s))
        .collect()
}

async fn load_presenters<C: ConnectionTrait>(db: &C, series: &str) -> Result<Vec<Presenter>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT series_id, session_id, institution_id, name, role, source FROM event_presenter \
         WHERE series_id = ",
    )
    .bind(series.to_string())
    .push(" ORDER BY pos");
    db.query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| {
            Ok(Presenter {
                series: r.try_get("", "series_id")?,
                session: r
                    .try_get::<Option<String>>("", "session_id")?
                    .unwrap_or_default(),
                institution: r
                    .try_get::<Option<String>>("", "institution_id")?
                    .unwrap_or_default(),
                name: r.try_get("", "name")?,
                role: r.try_get("", "role")?,
                source: r.try_get("", "source")?,
            })
        })
        .collect()
}

/// The presenters of a series (of the series itself and of its sessions).
pub async fn presenters(store: &Store, series: &str) -> Result<Vec<Presenter>> {
    load_presenters(store.read(), series).await
}

/// Sessions an institution presented in (directly, or as a presenter of
/// the whole series): `(series id, session id or "")`, at most `limit`.
pub async fn presented_by(
    store: &Store,
    institution: &str,
    limit: u64,
) -> Result<Vec<(String, String)>> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT series_id, session_id FROM event_presenter WHERE institution_id = ")
        .bind(institution.to_string())
        .push(" ORDER BY series_id, session_id LIMIT ")
        .push(&limit.to_string());
    store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("", "series_id")?,
                r.try_get::<Option<String>>("", "session_id")?
                    .unwrap_or_default(),
            ))
        })
        .collect()
}

/// Creates or updates a series with its presenters, one transaction,
/// history like every record; `expected` as in [`save`].
pub async fn save_series(
    store: &Store,
    s: &Series,
    presenters: &[Presenter],
    actor: &Actor,
    expected: Option<&str>,
) -> Result<bool> {
    let mut errs = s.validate();
    for p in presenters {
        errs.extend(p.validate());
        if p.series != s.id {
            errs.push(faro_domain::FieldError::new(
                "presenters",
                "not_allowed",
                &p.series,
            ));
        }
    }
    crate::refuse_invalid(std::slice::from_ref(&(s.id.clone(), errs)), |(id, e)| {
        (id.as_str(), e.clone())
    })?;
    let txn = store.write().begin().await?;
    let changed = save_series_in(&txn, s, presenters, actor, expected).await?;
    txn.commit().await?;
    Ok(changed)
}

pub async fn save_series_in(
    txn: &DatabaseTransaction,
    s: &Series,
    presenters: &[Presenter],
    actor: &Actor,
    expected: Option<&str>,
) -> Result<bool> {
    let old = load_series(txn, &s.id).await?;
    changes::check_version(expected, old.as_ref().map(|(_, at)| *at))?;
    let old_presenters = if old.is_some() {
        load_presenters(txn, &s.id).await?
    } else {
        Vec::new()
    };
    // References: the organiser and presenting institutions are live
    // directory records, sessions belong to this series.
    let mut inst: Vec<String> = presenters
        .iter()
        .map(|p| p.institution.clone())
        .chain(std::iter::once(s.organiser.clone()))
        .filter(|i| !i.is_empty())
        .collect();
    inst.sort();
    inst.dedup();
    let live = list::live_ids(txn, "institution", true, &inst).await?;
    if let Some(missing) = inst.iter().find(|i| !live.contains(*i)) {
        return Err(StoreError::Reference {
            record: s.id.clone(),
            field: if *missing == s.organiser {
                "organiser"
            } else {
                "institution"
            },
            target: missing.clone(),
        });
    }
    let mut sess: Vec<String> = presenters
        .iter()
        .map(|p| p.session.clone())
        .filter(|i| !i.is_empty())
        .collect();
    sess.sort();
    sess.dedup();
    if !sess.is_empty() {
        let mut sql = Sql::new(txn.get_database_backend());
        sql.push("SELECT id FROM event_session WHERE series = ")
            .bind(s.id.clone())
            .push(" AND id IN ")
            .bind_list(sess.iter().cloned());
        let found: std::collections::HashSet<String> = txn
            .query_all_raw(sql.statement())
            .await?
            .iter()
            .filter_map(|r| r.try_get::<String>("", "id").ok())
            .collect();
        if let Some(missing) = sess.iter().find(|i| !found.contains(*i)) {
            return Err(StoreError::Reference {
                record: s.id.clone(),
                field: "session",
                target: missing.clone(),
            });
        }
    }
    let diff = changes::diff(
        old.as_ref()
            .map(|(o, _)| series_fields(o, &old_presenters))
            .as_ref(),
        &series_fields(s, presenters),
    );
    if old.is_some() && diff.is_empty() {
        return Ok(false);
    }
    let now = chrono::Utc::now();
    let organiser: Option<String> = (!s.organiser.is_empty()).then(|| s.organiser.clone());
    let backend = txn.get_database_backend();
    let mut sql = Sql::new(backend);
    match &old {
        Some((_, seen)) => {
            sql.push("UPDATE event_series SET title_es = ")
                .bind(s.title_es.clone())
                .push(", title_en = ")
                .bind(s.title_en.clone())
                .push(", title_pt = ")
                .bind(s.title_pt.clone())
                .push(", description_es = ")
                .bind(s.description_es.clone())
                .push(", description_en = ")
                .bind(s.description_en.clone())
                .push(", description_pt = ")
                .bind(s.description_pt.clone())
                .push(", original_language = ")
                .bind(s.original_language.clone())
                .push(", organiser = ")
                .bind(organiser)
                .push(", hashtag = ")
                .bind(s.hashtag.clone())
                .push(", certificate_policy = ")
                .bind(s.certificate_policy.clone())
                .push(", updated_at = ")
                .bind(now)
                .push(" WHERE id = ")
                .bind(s.id.clone())
                .push(" AND updated_at = ")
                .bind(*seen);
            if txn.execute_raw(sql.statement()).await?.rows_affected() != 1 {
                return Err(StoreError::Conflict);
            }
        }
        None => {
            sql.push(
                "INSERT INTO event_series (id, title_es, title_en, title_pt, description_es, \
                 description_en, description_pt, original_language, organiser, hashtag, \
                 certificate_policy, created_at, updated_at) VALUES ",
            )
            .bind_list::<Value>([
                s.id.clone().into(),
                s.title_es.clone().into(),
                s.title_en.clone().into(),
                s.title_pt.clone().into(),
                s.description_es.clone().into(),
                s.description_en.clone().into(),
                s.description_pt.clone().into(),
                s.original_language.clone().into(),
                organiser.into(),
                s.hashtag.clone().into(),
                s.certificate_policy.clone().into(),
                now.into(),
                now.into(),
            ]);
            txn.execute_raw(sql.statement()).await?;
        }
    }
    let one = vec![s.id.clone()];
    list::delete_owned(txn, "event_series_figure", "series_id", &one).await?;
    let rows: Vec<Vec<Value>> = s
        .figures
        .iter()
        .enumerate()
        .map(|(i, f)| {
            vec![
                s.id.clone().into(),
                f.key.clone().into(),
                f.value.clone().into(),
                f.source.clone().into(),
                (i as i32).into(),
            ]
        })
        .collect();
    list::insert_rows(
        txn,
        "event_series_figure",
        &["series_id", "key", "value", "source", "pos"],
        &rows,
    )
    .await?;
    list::delete_owned(txn, "event_presenter", "series_id", &one).await?;
    let rows: Vec<Vec<Value>> = presenters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let opt = |v: &str| -> Value { (!v.is_empty()).then(|| v.to_string()).into() };
            vec![
                s.id.clone().into(),
                opt(&p.session),
                opt(&p.institution),
                p.name.clone().into(),
                p.role.clone().into(),
                p.source.clone().into(),
                (i as i32).into(),
            ]
        })
        .collect();
    list::insert_rows(
        txn,
        "event_presenter",
        &[
            "series_id",
            "session_id",
            "institution_id",
            "name",
            "role",
            "source",
            "pos",
        ],
        &rows,
    )
    .await?;
    let mut batch = changes::Batch::default();
    batch.add(
        actor,
        SERIES_RECORD_TYPE,
        &s.id,
        if old.is_some() { "updated" } else { "created" },
        &diff,
    );
    batch.flush(txn).await?;
    Ok(true)
}

/// Series (with their figures and presenters) in the layout of
/// `data/demo/series.json`: `{"series": [{…, "presenters": […]}]}`.
#[derive(serde::Deserialize)]
pub struct SeriesFile {
    pub series: Vec<SeriesEntry>,
}

#[derive(serde::Deserialize)]
pub struct SeriesEntry {
    #[serde(flatten)]
    pub series: Series,
    #[serde(default)]
    pub presenters: Vec<Presenter>,
}

/// Imports series from JSON in the layout of [`SeriesFile`]: every series
/// and presenter validated first (every problem listed), then one
/// transaction — all or nothing, idempotent (an unchanged series writes
/// nothing), history like every save. Presenters may name only sessions
/// the series already has (import the sessions first).
pub async fn import_series(
    store: &Store,
    json: &[u8],
    actor: &Actor,
) -> Result<crate::institutions::ImportReport> {
    let file: SeriesFile = serde_json::from_slice(json)
        .map_err(|e| StoreError::Invalid(format!("line {}: {e}", e.line())))?;
    let mut problems = Vec::new();
    for e in &file.series {
        let mut errs = e.series.validate();
        for p in &e.presenters {
            let mut p = p.clone();
            p.series = e.series.id.clone();
            errs.extend(p.validate());
        }
        for f in errs {
            problems.push(format!("{}: {f}", e.series.id));
        }
    }
    if !problems.is_empty() {
        return Err(StoreError::Invalid(problems.join("; ")));
    }
    let mut report = crate::institutions::ImportReport::default();
    let txn = store.write().begin().await?;
    for e in &file.series {
        let presenters: Vec<Presenter> = e
            .presenters
            .iter()
            .cloned()
            .map(|mut p| {
                p.series = e.series.id.clone();
                p
            })
            .collect();
        let existed = load_series(&txn, &e.series.id).await?.is_some();
        let changed = save_series_in(&txn, &e.series, &presenters, actor, None).await?;
        match (existed, changed) {
            (false, _) => report.created += 1,
            (true, true) => report.updated += 1,
            (true, false) => report.unchanged += 1,
        }
    }
    txn.commit().await?;
    Ok(report)
}
