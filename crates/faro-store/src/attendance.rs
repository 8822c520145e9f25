//! Attendance of sessions, read from Zoom reports (migration 18).
//!
//! One row per person and session (`UNIQUE (session_id, person_key)`): the
//! person's merged minutes, their first join and last leave, and the
//! registrant they were matched to — by e-mail (registrant e-mails are
//! stored in lower case), else by normalised name among the session's
//! registrants when exactly one has that name — or none (a guest).
//!
//! An import is one transaction and a diff: rows of people new to the
//! session are added, changed ones updated, people no longer in the file
//! removed (the newest report of a session is its attendance). When nothing
//! differs nothing is written, not even the import's row, so re-importing a
//! file changes nothing. Each import that changes something leaves an
//! `attendance_import` row and a history row with its counts and the
//! file's SHA-256 — never a person.
//!
//! Personal data: name, e-mail and Zoom's country are erased with the
//! registrant (`erase_registrant_in`, called by `registrations::erase_in`)
//! and for guests of old sessions by `purge_guests` (called by
//! `registrations::purge`). An erased row keeps its numbers and, instead of
//! its key, `x:` + SHA-256 of the key, so a later import of the same file
//! updates the numbers without bringing the person back. Attendance is in
//! no search index, open-data file, sitemap or dump.

use crate::list::{PageReq, Sql};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use faro_formats::zoom::{Report, name_key};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait, Value};
use sha2::Digest;
use std::collections::{HashMap, HashSet};

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Imported {
    /// None when nothing changed (no import row written).
    pub import_id: Option<i64>,
    pub unchanged: bool,
    pub rows: u32,
    pub people: u32,
    pub attended: u32,
    pub no_shows: u32,
    pub added: u32,
    pub changed: u32,
    pub removed: u32,
    pub matched_by_email: u32,
    pub matched_by_name: u32,
    pub guests: u32,
}

/// One attendance row as coordinators see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    pub name: String,
    pub email: String,
    pub registrant: Option<i64>,
    pub attended: bool,
    pub minutes: i64,
    pub first_join: Option<DateTime<Utc>>,
    pub last_leave: Option<DateTime<Utc>>,
    pub rows: i64,
    pub guest: bool,
    pub country: String,
    pub erased: bool,
}

/// One past import of a session.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportRow {
    pub id: i64,
    pub sha256: String,
    pub kind: String,
    pub time_zone: String,
    pub rows: i64,
    pub people: i64,
    pub added: i64,
    pub changed: i64,
    pub removed: i64,
    pub actor: String,
    pub at: DateTime<Utc>,
}

impl ImportRow {
    /// The first 12 hex digits of the file's hash, for people.
    pub fn short_sha(&self) -> &str {
        self.sha256.get(..12).unwrap_or(&self.sha256)
    }
}

/// The key an erased row keeps instead of its person key.
pub fn erased_key(key: &str) -> String {
    format!(
        "x:{}",
        crate::accounts::hex_digest(&sha2::Sha256::digest(key.as_bytes()))
    )
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::accounts::hex_digest(&sha2::Sha256::digest(bytes))
}

#[derive(Debug, Clone, PartialEq)]
struct Stored {
    id: i64,
    key: String,
    registrant: Option<i64>,
    name: String,
    email: String,
    attended: i32,
    seconds: i64,
    minutes: i64,
    first_join: Option<DateTime<Utc>>,
    last_leave: Option<DateTime<Utc>>,
    file_rows: i64,
    guest: i32,
    country: String,
    erased: bool,
}

const COLUMNS: [&str; 15] = [
    "session_id",
    "person_key",
    "registrant_id",
    "name",
    "email",
    "attended",
    "seconds",
    "minutes",
    "first_join",
    "last_leave",
    "file_rows",
    "guest",
    "country",
    "import_id",
    "erased_at",
];

async fn session_exists<C: ConnectionTrait>(db: &C, session: &str) -> Result<()> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT id FROM event_session WHERE id = ")
        .bind(session.to_string());
    db.query_one_raw(sql.statement())
        .await?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

/// Registrants by e-mail, for the e-mails given (batched `IN` lookups on
/// the unique e-mail index).
async fn registrants_by_email<C: ConnectionTrait>(
    db: &C,
    emails: &[String],
) -> Result<HashMap<String, i64>> {
    let mut out = HashMap::new();
    for chunk in emails.chunks(500) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("SELECT id, email FROM registrant WHERE erased_at IS NULL AND email IN ");
        sql.bind_list(chunk.iter().cloned());
        for r in db.query_all_raw(sql.statement()).await? {
            out.insert(r.try_get::<String>("", "email")?, r.try_get("", "id")?);
        }
    }
    Ok(out)
}

/// The session's registrants by normalised name; a name two people share
/// maps to none (`None`), so it never matches.
async fn registrants_by_name<C: ConnectionTrait>(
    db: &C,
    session: &str,
) -> Result<HashMap<String, Option<i64>>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT p.id, p.name FROM registration g JOIN registrant p ON p.id = g.registrant_id \
         WHERE p.erased_at IS NULL AND g.session_id = ",
    )
    .bind(session.to_string());
    let mut out: HashMap<String, Option<i64>> = HashMap::new();
    for r in db.query_all_raw(sql.statement()).await? {
        let key = name_key(&r.try_get::<String>("", "name")?);
        let id: i64 = r.try_get("", "id")?;
        out.entry(key)
            .and_modify(|v| {
                if *v != Some(id) {
                    *v = None
                }
            })
            .or_insert(Some(id));
    }
    Ok(out)
}

async fn stored_rows<C: ConnectionTrait>(db: &C, session: &str) -> Result<Vec<Stored>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT id, person_key, registrant_id, name, email, attended, seconds, minutes, \
         first_join, last_leave, file_rows, guest, country, erased_at FROM attendance \
         WHERE session_id = ",
    )
    .bind(session.to_string());
    db.query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| {
            Ok(Stored {
                id: r.try_get("", "id")?,
                key: r.try_get("", "person_key")?,
                registrant: r.try_get("", "registrant_id")?,
                name: r.try_get("", "name")?,
                email: r.try_get("", "email")?,
                attended: r.try_get("", "attended")?,
                seconds: r.try_get::<i32>("", "seconds")? as i64,
                minutes: r.try_get::<i32>("", "minutes")? as i64,
                first_join: r.try_get("", "first_join")?,
                last_leave: r.try_get("", "last_leave")?,
                file_rows: r.try_get::<i32>("", "file_rows")? as i64,
                guest: r.try_get("", "guest")?,
                country: r.try_get("", "country")?,
                erased: r
                    .try_get::<Option<DateTime<Utc>>>("", "erased_at")?
                    .is_some(),
            })
        })
        .collect()
}

/// Imports a read report for a session; see the module's documentation.
pub async fn import(
    store: &Store,
    session: &str,
    report: &Report,
    sha256: &str,
    time_zone: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Imported> {
    let txn = store.write().begin().await?;
    let out = import_in(&txn, session, report, sha256, time_zone, actor, now).await?;
    if out.unchanged {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
pub async fn import_in(
    txn: &DatabaseTransaction,
    session: &str,
    report: &Report,
    sha256: &str,
    time_zone: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Imported> {
    session_exists(txn, session).await?;
    let emails: Vec<String> = report
        .people
        .iter()
        .filter(|p| !p.email.is_empty())
        .map(|p| p.email.clone())
        .collect();
    let by_email = registrants_by_email(txn, &emails).await?;
    let by_name = registrants_by_name(txn, session).await?;
    let stored = stored_rows(txn, session).await?;
    let index: HashMap<&str, usize> = stored
        .iter()
        .enumerate()
        .map(|(i, s)| (s.key.as_str(), i))
        .collect();

    let mut out = Imported {
        rows: report.rows,
        people: report.people.len() as u32,
        attended: report.attended() as u32,
        no_shows: report.no_shows() as u32,
        ..Default::default()
    };
    let mut seen: HashSet<usize> = HashSet::new();
    let mut taken: HashSet<i64> = HashSet::new();
    let mut inserts: Vec<Stored> = Vec::new();
    let mut updates: Vec<Stored> = Vec::new();
    // E-mail matches first, so a name match never takes a registrant
    // another row names by e-mail.
    let mut matched: Vec<Option<i64>> = report
        .people
        .iter()
        .map(|p| by_email.get(&p.email).copied())
        .collect();
    for m in matched.iter().flatten() {
        taken.insert(*m);
    }
    for (p, m) in report.people.iter().zip(matched.iter_mut()) {
        if m.is_some() {
            out.matched_by_email += 1;
            continue;
        }
        if let Some(Some(id)) = by_name.get(&name_key(&p.name))
            && taken.insert(*id)
        {
            *m = Some(*id);
            out.matched_by_name += 1;
            continue;
        }
        out.guests += 1;
    }
    for (p, registrant) in report.people.iter().zip(matched) {
        let mut row = Stored {
            id: 0,
            key: p.key.clone(),
            registrant,
            name: p.name.clone(),
            email: p.email.clone(),
            attended: p.attended as i32,
            seconds: p.seconds,
            minutes: p.minutes(),
            first_join: p.first_join(),
            last_leave: p.last_leave(),
            file_rows: p.rows as i64,
            guest: p.guest as i32,
            country: p.country.clone(),
            erased: false,
        };
        let found = index
            .get(p.key.as_str())
            .or_else(|| index.get(erased_key(&p.key).as_str()))
            .copied();
        match found {
            Some(i) => {
                seen.insert(i);
                let old = &stored[i];
                row.id = old.id;
                if old.erased {
                    // The numbers may change; the person stays erased.
                    row.key = old.key.clone();
                    row.name = String::new();
                    row.email = String::new();
                    row.country = String::new();
                    row.registrant = old.registrant;
                    row.erased = true;
                }
                if &row != old {
                    updates.push(row);
                }
            }
            None => inserts.push(row),
        }
    }
    let removed: Vec<i64> = stored
        .iter()
        .enumerate()
        .filter(|(i, _)| !seen.contains(i))
        .map(|(_, s)| s.id)
        .collect();
    out.added = inserts.len() as u32;
    out.changed = updates.len() as u32;
    out.removed = removed.len() as u32;
    if inserts.is_empty() && updates.is_empty() && removed.is_empty() {
        out.unchanged = true;
        return Ok(out);
    }

    let backend = txn.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push(
        "INSERT INTO attendance_import (session_id, sha256, kind, time_zone, rows_read, people, \
         added, changed, removed, actor, imported_at) VALUES ",
    )
    .bind_list([
        Value::from(session.to_string()),
        sha256.to_string().into(),
        report.kind.as_str().to_string().into(),
        time_zone.to_string().into(),
        (out.rows as i64).into(),
        (out.people as i64).into(),
        (out.added as i64).into(),
        (out.changed as i64).into(),
        (out.removed as i64).into(),
        actor.to_string().into(),
        now.into(),
    ])
    .push(" RETURNING id");
    let import_id: i64 = txn
        .query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::NotFound)?
        .try_get("", "id")?;
    out.import_id = Some(import_id);

    for chunk in removed.chunks(500) {
        let mut sql = Sql::new(backend);
        sql.push("DELETE FROM attendance WHERE id IN ");
        sql.bind_list(chunk.iter().copied());
        txn.execute_raw(sql.statement()).await?;
    }
    for r in &updates {
        let mut sql = Sql::new(backend);
        sql.push("UPDATE attendance SET registrant_id = ")
            .bind(r.registrant)
            .push(", name = ")
            .bind(r.name.clone())
            .push(", email = ")
            .bind(r.email.clone())
            .push(", attended = ")
            .bind(r.attended)
            .push(", seconds = ")
            .bind(r.seconds)
            .push(", minutes = ")
            .bind(r.minutes)
            .push(", first_join = ")
            .bind(r.first_join)
            .push(", last_leave = ")
            .bind(r.last_leave)
            .push(", file_rows = ")
            .bind(r.file_rows)
            .push(", guest = ")
            .bind(r.guest)
            .push(", country = ")
            .bind(r.country.clone())
            .push(", import_id = ")
            .bind(import_id)
            .push(" WHERE id = ")
            .bind(r.id);
        txn.execute_raw(sql.statement()).await?;
    }
    let rows: Vec<Vec<Value>> = inserts
        .iter()
        .map(|r| {
            vec![
                session.to_string().into(),
                r.key.clone().into(),
                r.registrant.into(),
                r.name.clone().into(),
                r.email.clone().into(),
                r.attended.into(),
                r.seconds.into(),
                r.minutes.into(),
                r.first_join.into(),
                r.last_leave.into(),
                r.file_rows.into(),
                r.guest.into(),
                r.country.clone().into(),
                import_id.into(),
                None::<DateTime<Utc>>.into(),
            ]
        })
        .collect();
    crate::list::insert_rows(txn, "attendance", &COLUMNS, &rows).await?;
    crate::audience::touch_sessions_in(txn, &[session.to_string()]).await?;
    // The history names the file and the counts, never a person.
    crate::changes::insert_row(
        txn,
        "attendance_import",
        &import_id.to_string(),
        "created",
        "import",
        None,
        Some(format!(
            "session={session}; sha256={sha256}; kind={}; time_zone={time_zone}; rows={}; \
             people={}; added={}; changed={}; removed={}",
            report.kind.as_str(),
            out.rows,
            out.people,
            out.added,
            out.changed,
            out.removed
        )),
        actor,
        now,
    )
    .await?;
    Ok(out)
}

/// A session's attendance for coordinators, a page at a time (most
/// minutes first).
pub async fn rows(store: &Store, session: &str, page: PageReq) -> Result<(Vec<Row>, u64)> {
    let db = store.read();
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT COUNT(*) AS n FROM attendance WHERE session_id = ")
        .bind(session.to_string());
    let total: i64 = db
        .query_one_raw(sql.statement())
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let mut sql = Sql::new(store.backend());
    sql.push(
        "SELECT name, email, registrant_id, attended, minutes, first_join, last_leave, file_rows, \
         guest, country, erased_at FROM attendance WHERE session_id = ",
    )
    .bind(session.to_string())
    .push(" ORDER BY attended DESC, minutes DESC, id LIMIT ")
    .bind(page.limit() as i64)
    .push(" OFFSET ")
    .bind(page.offset() as i64);
    let rows = db
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| {
            Ok(Row {
                name: r.try_get("", "name")?,
                email: r.try_get("", "email")?,
                registrant: r.try_get("", "registrant_id")?,
                attended: r.try_get::<i32>("", "attended")? != 0,
                minutes: r.try_get::<i32>("", "minutes")? as i64,
                first_join: r.try_get("", "first_join")?,
                last_leave: r.try_get("", "last_leave")?,
                rows: r.try_get::<i32>("", "file_rows")? as i64,
                guest: r.try_get::<i32>("", "guest")? != 0,
                country: r.try_get("", "country")?,
                erased: r
                    .try_get::<Option<DateTime<Utc>>>("", "erased_at")?
                    .is_some(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((rows, total as u64))
}

/// The imports of a session, newest first (at most `limit`).
pub async fn imports(store: &Store, session: &str, limit: u64) -> Result<Vec<ImportRow>> {
    let mut sql = Sql::new(store.backend());
    sql.push(
        "SELECT id, sha256, kind, time_zone, rows_read, people, added, changed, removed, actor, \
         imported_at FROM attendance_import WHERE session_id = ",
    )
    .bind(session.to_string())
    .push(" ORDER BY id DESC LIMIT ")
    .bind(limit as i64);
    store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| {
            Ok(ImportRow {
                id: r.try_get("", "id")?,
                sha256: r.try_get("", "sha256")?,
                kind: r.try_get("", "kind")?,
                time_zone: r.try_get("", "time_zone")?,
                rows: r.try_get::<i32>("", "rows_read")? as i64,
                people: r.try_get::<i32>("", "people")? as i64,
                added: r.try_get::<i32>("", "added")? as i64,
                changed: r.try_get::<i32>("", "changed")? as i64,
                removed: r.try_get::<i32>("", "removed")? as i64,
                actor: r.try_get("", "actor")?,
                at: r.try_get("", "imported_at")?,
            })
        })
        .collect()
}

async fn erase_rows_in<C: ConnectionTrait>(
    db: &C,
    rows: Vec<(i64, String)>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let n = rows.len() as u64;
    // The series' kept figures count people by key: they are recomputed.
    for chunk in rows.chunks(500) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push(
            "INSERT INTO series_audience (series, rev) SELECT DISTINCT s.series, 1 FROM \
             attendance a JOIN event_session s ON s.id = a.session_id WHERE a.id IN ",
        )
        .bind_list(chunk.iter().map(|(id, _)| *id))
        .push(" ON CONFLICT (series) DO UPDATE SET rev = series_audience.rev + 1");
        db.execute_raw(sql.statement()).await?;
    }
    for (id, key) in rows {
        let key = if key.starts_with("x:") {
            key
        } else {
            erased_key(&key)
        };
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("UPDATE attendance SET name = '', email = '', country = '', person_key = ")
            .bind(key)
            .push(", erased_at = ")
            .bind(now)
            .push(" WHERE id = ")
            .bind(id);
        db.execute_raw(sql.statement()).await?;
    }
    Ok(n)
}

/// Erases a registrant's attendance rows (name, e-mail, Zoom country) and
/// the name on their certificates, in the erasure's transaction.
pub async fn erase_registrant_in<C: ConnectionTrait>(
    db: &C,
    registrant: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT id, person_key FROM attendance WHERE erased_at IS NULL AND registrant_id = ")
        .bind(registrant);
    let rows = db
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "person_key")?)))
        .collect::<Result<Vec<_>>>()?;
    erase_rows_in(db, rows, now).await?;
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("UPDATE certificate SET name = '' WHERE registrant_id = ")
        .bind(registrant);
    db.execute_raw(sql.statement()).await?;
    Ok(())
}

/// Erases the guests (attendees matched to no registrant) of sessions
/// before `before`; returns how many rows were erased.
pub async fn purge_guests(
    store: &Store,
    before: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut total = 0;
    loop {
        let mut sql = Sql::new(store.backend());
        sql.push(
            "SELECT a.id, a.person_key FROM attendance a JOIN event_session s ON s.id = a.session_id \
             WHERE a.erased_at IS NULL AND a.registrant_id IS NULL AND s.date < ",
        )
        .bind(before.format("%Y-%m-%d").to_string())
        .push(" LIMIT 500");
        let rows = store
            .read()
            .query_all_raw(sql.statement())
            .await?
            .iter()
            .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "person_key")?)))
            .collect::<Result<Vec<(i64, String)>>>()?;
        if rows.is_empty() {
            return Ok(total);
        }
        let txn = store.write().begin().await?;
        total += erase_rows_in(&txn, rows, now).await?;
        txn.commit().await?;
    }
}
