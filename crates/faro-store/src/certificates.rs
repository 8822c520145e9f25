//! Certificates of attendance (migration 18): the series' rule, issuing
//! from the attendance, revocation and reissue, and the lookups behind the
//! public verification page and the attendee's personal page.
//!
//! A series' rule ([`Rule`]): a session certificate for attending at least
//! `min_share` % of the session's duration (merged minutes, see
//! `attendance`), and, when `series_sessions` > 0, a series certificate for
//! at least that many sessions so earned. Only attendees matched to a
//! registrant get one (their name and language come from the registration).
//!
//! Statuses: `valid`, `revoked` (by a coordinator, with a reason),
//! `replaced` (reissued: `replaced_by` names the new code, which the
//! verification page points to). One valid certificate per person and
//! scope (a session id, or `series:{id}`) — a partial unique index.
//! Issuing twice issues nothing new: a person who already has a
//! certificate of a scope (in any status) gets no other automatically.
//! History rows name the code and the status, never the person.

use crate::list::{PageReq, Sql};
use crate::{Result, Store, StoreError, jobs};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait, Value};

pub const STATUSES: &[&str] = &["valid", "revoked", "replaced"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    /// Percent of the session's duration, 1–100.
    pub min_share: u32,
    /// Sessions for a series certificate; 0 for none.
    pub series_sessions: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Certificate {
    pub code: String,
    pub registrant: Option<i64>,
    pub series: String,
    /// None for a series certificate.
    pub session: Option<String>,
    /// The name as printed; empty once the person's data was erased.
    pub name: String,
    pub lang: String,
    pub minutes: i64,
    pub sessions: i64,
    pub status: String,
    pub replaced_by: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub reason: String,
}

/// Codes like `K7QX-3MPA-9TZC`: 12 characters of an alphabet without
/// look-alikes (about 60 bits).
pub fn new_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut buf = [0u8; 12];
    getrandom::fill(&mut buf).expect("operating system random source");
    let chars: Vec<char> = buf
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed by a person: upper case, spaces dropped.
pub fn normalise_code(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

pub fn series_scope(series: &str) -> String {
    format!("series:{series}")
}

async fn history<C: ConnectionTrait>(
    db: &C,
    code: &str,
    field: &str,
    old: Option<String>,
    new: Option<String>,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    crate::changes::insert_row(
        db,
        "certificate",
        code,
        "updated",
        field,
        old,
        new,
        actor,
        now,
    )
    .await
}

pub async fn rule(store: &Store, series: &str) -> Result<Option<Rule>> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT min_share, series_sessions FROM certificate_rule WHERE series_id = ")
        .bind(series.to_string());
    store
        .read()
        .query_one_raw(sql.statement())
        .await?
        .map(|r| {
            Ok(Rule {
                min_share: r.try_get::<i32>("", "min_share")? as u32,
                series_sessions: r.try_get::<i32>("", "series_sessions")? as u32,
            })
        })
        .transpose()
}

/// Sets a series' rule (history on the series: `certificate_rule`).
pub async fn set_rule(
    store: &Store,
    series: &str,
    rule: Rule,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    if !(1..=100).contains(&rule.min_share) || rule.series_sessions > 1000 {
        return Err(StoreError::Invalid(format!(
            "{series}: min_share must be 1–100 and series_sessions 0–1000"
        )));
    }
    let old = rule_of(store, series).await?;
    let txn = store.write().begin().await?;
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT id FROM event_series WHERE id = ")
        .bind(series.to_string());
    txn.query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut sql = Sql::new(store.backend());
    sql.push("DELETE FROM certificate_rule WHERE series_id = ")
        .bind(series.to_string());
    txn.execute_raw(sql.statement()).await?;
    crate::list::insert_rows(
        &txn,
        "certificate_rule",
        &["series_id", "min_share", "series_sessions", "updated_at"],
        &[vec![
            series.to_string().into(),
            (rule.min_share as i32).into(),
            (rule.series_sessions as i32).into(),
            now.into(),
        ]],
    )
    .await?;
    if old != Some(rule) {
        crate::changes::insert_row(
            &txn,
            "series",
            series,
            "updated",
            "certificate_rule",
            old.map(|r| format!("{}% / {}", r.min_share, r.series_sessions)),
            Some(format!("{}% / {}", rule.min_share, rule.series_sessions)),
            actor,
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn rule_of(store: &Store, series: &str) -> Result<Option<Rule>> {
    rule(store, series).await
}

const SELECT: &str = "SELECT code, registrant_id, series_id, session_id, name, lang, minutes, \
    sessions, status, replaced_by, issued_at, revoked_at, reason FROM certificate";

fn from_row(r: &sea_orm::QueryResult) -> Result<Certificate> {
    Ok(Certificate {
        code: r.try_get("", "code")?,
        registrant: r.try_get("", "registrant_id")?,
        series: r.try_get("", "series_id")?,
        session: r.try_get("", "session_id")?,
        name: r.try_get("", "name")?,
        lang: r.try_get("", "lang")?,
        minutes: r.try_get::<i32>("", "minutes")? as i64,
        sessions: r.try_get::<i32>("", "sessions")? as i64,
        status: r.try_get("", "status")?,
        replaced_by: r.try_get("", "replaced_by")?,
        issued_at: r.try_get("", "issued_at")?,
        revoked_at: r.try_get("", "revoked_at")?,
        reason: r.try_get("", "reason")?,
    })
}

async fn get_in<C: ConnectionTrait>(db: &C, code: &str) -> Result<Certificate> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(SELECT)
        .push(" WHERE code = ")
        .bind(normalise_code(code));
    from_row(
        &db.query_one_raw(sql.statement())
            .await?
            .ok_or(StoreError::NotFound)?,
    )
}

pub async fn get(store: &Store, code: &str) -> Result<Certificate> {
    get_in(store.read(), code).await
}

/// A person's certificates, newest first.
pub async fn for_registrant(store: &Store, registrant: i64) -> Result<Vec<Certificate>> {
    let mut sql = Sql::new(store.backend());
    sql.push(SELECT)
        .push(" WHERE registrant_id = ")
        .bind(registrant)
        .push(" ORDER BY id DESC LIMIT 500");
    store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// A series' certificates for coordinators, a page at a time.
pub async fn for_series(
    store: &Store,
    series: &str,
    page: PageReq,
) -> Result<(Vec<Certificate>, u64)> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT COUNT(*) AS n FROM certificate WHERE series_id = ")
        .bind(series.to_string());
    let total: i64 = store
        .read()
        .query_one_raw(sql.statement())
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let mut sql = Sql::new(store.backend());
    sql.push(SELECT)
        .push(" WHERE series_id = ")
        .bind(series.to_string())
        .push(" ORDER BY id DESC LIMIT ")
        .bind(page.limit() as i64)
        .push(" OFFSET ")
        .bind(page.offset() as i64);
    let rows = store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<Vec<_>>>()?;
    Ok((rows, total as u64))
}

#[allow(clippy::too_many_arguments)]
async fn insert_in<C: ConnectionTrait>(
    db: &C,
    registrant: i64,
    series: &str,
    session: Option<&str>,
    name: &str,
    lang: &str,
    minutes: i64,
    sessions: i64,
    now: DateTime<Utc>,
) -> Result<String> {
    let code = new_code();
    let scope = session
        .map(str::to_string)
        .unwrap_or_else(|| series_scope(series));
    crate::list::insert_rows(
        db,
        "certificate",
        &[
            "code",
            "registrant_id",
            "series_id",
            "session_id",
            "scope",
            "name",
            "lang",
            "minutes",
            "sessions",
            "status",
            "issued_at",
            "reason",
        ],
        &[vec![
            code.clone().into(),
            registrant.into(),
            series.to_string().into(),
            session.map(str::to_string).into(),
            scope.into(),
            name.to_string().into(),
            lang.to_string().into(),
            minutes.into(),
            sessions.into(),
            "valid".to_string().into(),
            now.into(),
            String::new().into(),
        ]],
    )
    .await?;
    Ok(code)
}

/// Issues the certificates the rule earns and nobody has yet; returns the
/// new codes. `Rule("no_certificate_rule")` without a rule.
pub async fn issue(
    store: &Store,
    series: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    let rule = rule(store, series)
        .await?
        .ok_or(StoreError::Rule("no_certificate_rule"))?;
    let txn = store.write().begin().await?;
    // Sessions earned: attended at least the share of a known duration.
    let earned = |sql: &mut Sql| {
        sql.push(
            " FROM attendance a JOIN event_session s ON s.id = a.session_id \
             JOIN registrant p ON p.id = a.registrant_id \
             WHERE a.attended = 1 AND a.erased_at IS NULL AND p.erased_at IS NULL \
             AND s.duration_minutes > 0 AND s.series = ",
        )
        .bind(series.to_string())
        .push(" AND a.seconds * 100 >= s.duration_minutes * 60 * ")
        .bind(rule.min_share as i64);
    };
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT a.registrant_id, a.session_id, a.minutes, p.name, p.lang");
    earned(&mut sql);
    sql.push(
        " AND NOT EXISTS (SELECT 1 FROM certificate c WHERE c.registrant_id = a.registrant_id \
         AND c.scope = a.session_id) ORDER BY a.registrant_id, a.session_id",
    );
    let rows = txn.query_all_raw(sql.statement()).await?;
    let mut codes = Vec::new();
    for r in rows {
        let code = insert_in(
            &txn,
            r.try_get("", "registrant_id")?,
            series,
            Some(&r.try_get::<String>("", "session_id")?),
            &r.try_get::<String>("", "name")?,
            &r.try_get::<String>("", "lang")?,
            r.try_get::<i32>("", "minutes")? as i64,
            1,
            now,
        )
        .await?;
        history(
            &txn,
            &code,
            "status",
            None,
            Some("valid".into()),
            actor,
            now,
        )
        .await?;
        codes.push(code);
    }
    if rule.series_sessions > 0 {
        let mut sql = Sql::new(store.backend());
        sql.push(
            "SELECT a.registrant_id, MAX(p.name) AS name, MAX(p.lang) AS lang, \
             COUNT(*) AS n, SUM(a.minutes) AS m",
        );
        earned(&mut sql);
        sql.push(" AND NOT EXISTS (SELECT 1 FROM certificate c WHERE c.registrant_id = a.registrant_id AND c.scope = ")
            .bind(series_scope(series))
            .push(") GROUP BY a.registrant_id HAVING COUNT(*) >= ")
            .bind(rule.series_sessions as i64)
            .push(" ORDER BY a.registrant_id");
        for r in txn.query_all_raw(sql.statement()).await? {
            let code = insert_in(
                &txn,
                r.try_get("", "registrant_id")?,
                series,
                None,
                &r.try_get::<String>("", "name")?,
                &r.try_get::<String>("", "lang")?,
                r.try_get::<i64>("", "m")?,
                r.try_get::<i64>("", "n")?,
                now,
            )
            .await?;
            history(
                &txn,
                &code,
                "status",
                None,
                Some("valid".into()),
                actor,
                now,
            )
            .await?;
            codes.push(code);
        }
    }
    txn.commit().await?;
    Ok(codes)
}

/// Revokes a valid certificate (`Rule("not_valid")` otherwise).
pub async fn revoke(
    store: &Store,
    code: &str,
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let txn = store.write().begin().await?;
    let c = get_in(&txn, code).await?;
    if c.status != "valid" {
        return Err(StoreError::Rule("not_valid"));
    }
    let mut sql = Sql::new(store.backend());
    sql.push("UPDATE certificate SET status = 'revoked', revoked_at = ")
        .bind(now)
        .push(", reason = ")
        .bind(reason.trim().to_string())
        .push(" WHERE status = 'valid' AND code = ")
        .bind(c.code.clone());
    if txn.execute_raw(sql.statement()).await?.rows_affected() != 1 {
        return Err(StoreError::Conflict);
    }
    history(
        &txn,
        &c.code,
        "status",
        Some("valid".into()),
        Some("revoked".into()),
        actor,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces a certificate (valid or revoked) by a new one with the
/// person's current name and language; the old one is `replaced` and
/// names the new code. Returns the new code.
pub async fn reissue(store: &Store, code: &str, actor: &str, now: DateTime<Utc>) -> Result<String> {
    let txn = store.write().begin().await?;
    let new = reissue_in(&txn, code, actor, now).await?;
    txn.commit().await?;
    Ok(new)
}

async fn reissue_in(
    txn: &DatabaseTransaction,
    code: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    let c = get_in(txn, code).await?;
    if c.status == "replaced" {
        return Err(StoreError::Rule("already_replaced"));
    }
    let registrant = c.registrant.ok_or(StoreError::Rule("not_valid"))?;
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("SELECT name, lang FROM registrant WHERE erased_at IS NULL AND id = ")
        .bind(registrant);
    let p = txn
        .query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::Rule("person_erased"))?;
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("UPDATE certificate SET status = 'replaced', revoked_at = ")
        .bind(now)
        .push(" WHERE status = ")
        .bind(c.status.clone())
        .push(" AND code = ")
        .bind(c.code.clone());
    if txn.execute_raw(sql.statement()).await?.rows_affected() != 1 {
        return Err(StoreError::Conflict);
    }
    let new = insert_in(
        txn,
        registrant,
        &c.series,
        c.session.as_deref(),
        &p.try_get::<String>("", "name")?,
        &p.try_get::<String>("", "lang")?,
        c.minutes,
        c.sessions,
        now,
    )
    .await?;
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("UPDATE certificate SET replaced_by = ")
        .bind(new.clone())
        .push(" WHERE code = ")
        .bind(c.code.clone());
    txn.execute_raw(sql.statement()).await?;
    history(
        txn,
        &c.code,
        "status",
        Some(c.status.clone()),
        Some(format!("replaced by {new}")),
        actor,
        now,
    )
    .await?;
    history(
        txn,
        &new,
        "status",
        None,
        Some(format!("valid (replaces {})", c.code)),
        actor,
        now,
    )
    .await?;
    Ok(new)
}

/// After a person corrects their name: every valid certificate printed
/// with another name is reissued (in the correction's transaction).
pub async fn reissue_renamed_in(
    txn: &DatabaseTransaction,
    registrant: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("SELECT code FROM certificate WHERE status = 'valid' AND registrant_id = ")
        .bind(registrant)
        .push(" AND name <> ")
        .bind(name.to_string());
    let codes: Vec<String> = txn
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| r.try_get("", "code").map_err(Into::into))
        .collect::<Result<_>>()?;
    let mut out = Vec::new();
    for c in codes {
        out.push(reissue_in(txn, &c, &format!("registrant:{registrant}"), now).await?);
    }
    Ok(out)
}

/// Seconds between two e-mails of a batch.
pub const MAIL_SPACING_MS: i64 = 200;

/// Queues one e-mail per valid certificate of the series not yet sent,
/// spaced [`MAIL_SPACING_MS`] apart; at most one batch per series every
/// ten minutes (`Rule("throttled")`). Returns how many were queued.
pub async fn mail_batch(
    store: &Store,
    series: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<u64> {
    let txn = store.write().begin().await?;
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT COUNT(*) AS n FROM change_log WHERE record_type = 'series' AND field = 'certificate_mail' AND record_id = ")
        .bind(series.to_string())
        .push(" AND at > ")
        .bind(now - Duration::minutes(10));
    let recent: i64 = txn
        .query_one_raw(sql.statement())
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    if recent > 0 {
        return Err(StoreError::Rule("throttled"));
    }
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT code, registrant_id FROM certificate WHERE status = 'valid' AND mailed_at IS NULL AND series_id = ")
        .bind(series.to_string())
        .push(" ORDER BY id");
    let rows: Vec<(String, Option<i64>)> = txn
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "code")?, r.try_get("", "registrant_id")?)))
        .collect::<Result<_>>()?;
    for (i, (code, registrant)) in rows.iter().enumerate() {
        jobs::enqueue_in(
            &txn,
            "certificate",
            &serde_json::json!({"code": code}),
            now + Duration::milliseconds(MAIL_SPACING_MS * i as i64),
            Some(format!("certificate:{code}")),
            *registrant,
        )
        .await?;
    }
    let mut sql = Sql::new(store.backend());
    sql.push("UPDATE certificate SET mailed_at = ")
        .bind(now)
        .push(" WHERE status = 'valid' AND mailed_at IS NULL AND series_id = ")
        .bind(series.to_string());
    txn.execute_raw(sql.statement()).await?;
    crate::changes::insert_row(
        &txn,
        "series",
        series,
        "updated",
        "certificate_mail",
        None,
        Some(format!("{} certificates queued", rows.len())),
        actor,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(rows.len() as u64)
}

/// Values for tests and benchmarks that need the raw row count.
pub async fn count(store: &Store, series: &str, status: &str) -> Result<i64> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT COUNT(*) AS n FROM certificate WHERE series_id = ")
        .bind(series.to_string())
        .push(" AND status = ")
        .bind(Value::from(status.to_string()));
    Ok(store
        .read()
        .query_one_raw(sql.statement())
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0))
}
