//! Registration for sessions, without an account: double opt-in, capacity
//! with a waiting list, a personal page reached by a one-time link, and
//! erasure that keeps the counts but not the person.
//!
//! States of a registration: `pending` (registered, e-mail not confirmed;
//! expires after [`PENDING_HOURS`]), `confirmed` (holds a seat), `waiting`
//! (confirmed when the session was full, in order of `waiting_since`),
//! `cancelled`, `expired`. A seat is taken at confirmation, inside a
//! transaction that first locks the session row (`FOR UPDATE` on
//! PostgreSQL; SQLite's single writer serialises), so the count of
//! confirmed registrations never exceeds the capacity. One registration per
//! person and session (`UNIQUE (registrant_id, session_id)`), one person
//! per e-mail (`UNIQUE (email)`), so registering twice changes nothing.
//!
//! Personal data never leaves this module's tables: the history records
//! state changes by registration id only, jobs name the registrant by id.
//! E-mails are jobs (`jobs`), rendered and sent by the web crate's runner.

use crate::list::Sql;
use crate::{Result, Store, StoreError, jobs};
use chrono::{DateTime, Duration, Utc};
use faro_domain::events::{Registrant, Session};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, TransactionTrait, Value};

pub const PENDING_HOURS: i64 = 48;
/// How long a personal link stays valid.
pub const LINK_DAYS: i64 = 30;
/// The version of the consent text shown with the form.
pub const CONSENT_VERSION: &str = "2026-12";
pub const STATES: &[&str] = &["pending", "confirmed", "waiting", "cancelled", "expired"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub registrant: i64,
    /// The personal link's token (sent by e-mail only).
    pub token: String,
    /// Sessions and their state after this request.
    pub sessions: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub data: Registrant,
    pub registrations: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub pending: i64,
    pub confirmed: i64,
    pub waiting: i64,
    pub cancelled: i64,
    pub expired: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    pub registration: i64,
    pub state: String,
    pub name: String,
    pub email: String,
    pub institution: String,
    pub institution_text: String,
    pub country: String,
    pub role: String,
    pub lang: String,
    pub registered_at: String,
}

fn mail(template: &str, registrant: i64, session: &str) -> serde_json::Value {
    serde_json::json!({"mail": template, "registrant": registrant, "session": session})
}

async fn history<C: ConnectionTrait>(
    db: &C,
    registration: i64,
    old: &str,
    new: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    // No personal data: the record is the registration's number.
    crate::changes::insert_row(
        db,
        "registration",
        &registration.to_string(),
        "updated",
        "state",
        (!old.is_empty()).then(|| old.to_string()),
        Some(new.to_string()),
        actor,
        now,
    )
    .await
}

/// Locks a session for the rest of the transaction (PostgreSQL) and returns
/// its capacity; `NotFound` when it does not exist.
async fn lock_session(txn: &DatabaseTransaction, id: &str) -> Result<Option<i64>> {
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("SELECT capacity FROM event_session WHERE id = ")
        .bind(id.to_string());
    if txn.get_database_backend() == DbBackend::Postgres {
        sql.push(" FOR UPDATE");
    }
    let row = txn
        .query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(row.try_get::<Option<i32>>("", "capacity")?.map(i64::from))
}

async fn count_state<C: ConnectionTrait>(db: &C, session: &str, state: &str) -> Result<i64> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS n FROM registration WHERE session_id = ")
        .bind(session.to_string())
        .push(" AND state = ")
        .bind(state.to_string());
    Ok(db
        .query_one_raw(sql.statement())
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0))
}

async fn set_state<C: ConnectionTrait>(
    db: &C,
    id: i64,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<()> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("UPDATE registration SET state = ")
        .bind(to.to_string())
        .push(", updated_at = ")
        .bind(now);
    match to {
        "confirmed" => {
            sql.push(", confirmed_at = ").bind(now);
        }
        "waiting" => {
            sql.push(", waiting_since = ").bind(now);
        }
        "cancelled" => {
            sql.push(", cancelled_at = ").bind(now);
        }
        "pending" => {
            sql.push(", created_at = ").bind(now);
        }
        _ => {}
    }
    sql.push(" WHERE id = ")
        .bind(id)
        .push(" AND state = ")
        .bind(from.to_string());
    if db.execute_raw(sql.statement()).await?.rows_affected() != 1 {
        return Err(StoreError::Conflict);
    }
    history(db, id, from, to, actor, now).await
}

async fn new_token<C: ConnectionTrait>(
    db: &C,
    registrant: i64,
    now: DateTime<Utc>,
) -> Result<String> {
    let token = crate::accounts::random_token();
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("INSERT INTO registrant_token (hash, registrant_id, created_at, expires_at) VALUES ")
        .bind_list::<Value>([
            crate::accounts::sha256_hex(&token).into(),
            registrant.into(),
            now.into(),
            (now + Duration::days(LINK_DAYS)).into(),
        ]);
    db.execute_raw(sql.statement()).await?;
    Ok(token)
}

/// A fresh personal link for a registrant (each e-mail carries one).
pub async fn issue_link(store: &Store, registrant: i64, now: DateTime<Utc>) -> Result<String> {
    new_token(store.write(), registrant, now).await
}

/// Registers a person for `sessions` (one, or every session of a series):
/// all of them or none. A session that is cancelled, held or already
/// started is [`StoreError::Rule`]`("registration_closed")`.
pub async fn register(
    store: &Store,
    sessions: &[Session],
    person: &Registrant,
    now: DateTime<Utc>,
) -> Result<Registered> {
    if sessions.is_empty() {
        return Err(StoreError::Rule("registration_closed"));
    }
    for s in sessions {
        if !s.open_for_registration(now) {
            return Err(StoreError::Rule("registration_closed"));
        }
    }
    let txn = store.write().begin().await?;
    let inst: Option<String> = (!person.institution.is_empty()).then(|| person.institution.clone());
    if let Some(i) = &inst
        && crate::list::live_ids(&txn, "institution", true, std::slice::from_ref(i))
            .await?
            .is_empty()
    {
        return Err(StoreError::Reference {
            record: person.email.clone(),
            field: "institution",
            target: i.clone(),
        });
    }
    // A returning attendee whose country, role or institution changes
    // changes the figures of the series they attended.
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT id, institution_id, country, role FROM registrant WHERE email = ")
        .bind(person.email.clone());
    if let Some(r) = txn.query_one_raw(sql.statement()).await? {
        let before: (Option<String>, String, String) = (
            r.try_get("", "institution_id")?,
            r.try_get("", "country")?,
            r.try_get("", "role")?,
        );
        if before != (inst.clone(), person.country.clone(), person.role.clone()) {
            crate::audience::touch_registrant_in(&txn, r.try_get("", "id")?).await?;
        }
    }
    let mut sql = Sql::new(store.backend());
    sql.push(
        "INSERT INTO registrant (email, name, institution_id, institution_text, country, role, \
         lang, consent_at, consent_version, created_at, updated_at) VALUES ",
    )
    .bind_list::<Value>([
        person.email.clone().into(),
        person.name.clone().into(),
        inst.into(),
        person.institution_text.clone().into(),
        person.country.clone().into(),
        person.role.clone().into(),
        person.lang.clone().into(),
        now.into(),
        CONSENT_VERSION.into(),
        now.into(),
        now.into(),
    ])
    .push(
        " ON CONFLICT (email) DO UPDATE SET name = excluded.name, institution_id = \
         excluded.institution_id, institution_text = excluded.institution_text, country = \
         excluded.country, role = excluded.role, lang = excluded.lang, consent_at = \
         excluded.consent_at, consent_version = excluded.consent_version, updated_at = \
         excluded.updated_at RETURNING id",
    );
    let id: i64 = txn
        .query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::NotFound)?
        .try_get("", "id")?;
    let mut out = Vec::new();
    for s in sessions {
        let mut sql = Sql::new(store.backend());
        sql.push(
            "INSERT INTO registration (registrant_id, session_id, state, created_at, updated_at) \
             VALUES ",
        )
        .bind_list::<Value>([
            id.into(),
            s.id.clone().into(),
            "pending".into(),
            now.into(),
            now.into(),
        ])
        .push(" ON CONFLICT (registrant_id, session_id) DO NOTHING");
        let inserted = txn.execute_raw(sql.statement()).await?.rows_affected() == 1;
        let (rid, state) = registration_of(&txn, id, &s.id).await?;
        if inserted {
            history(&txn, rid, "", "pending", &format!("registrant:{rid}"), now).await?;
        } else if state == "cancelled" || state == "expired" {
            set_state(
                &txn,
                rid,
                &state,
                "pending",
                now,
                &format!("registrant:{rid}"),
            )
            .await?;
        }
        out.push((s.id.clone(), registration_of(&txn, id, &s.id).await?.1));
    }
    let token = new_token(&txn, id, now).await?;
    // One confirmation e-mail per person and ten minutes, however often
    // the form is sent.
    let mut payload = mail("confirm", id, &sessions[0].id);
    payload["token"] = token.clone().into();
    jobs::enqueue_in(
        &txn,
        "mail",
        &payload,
        now,
        Some(format!("confirm:{id}:{}", now.timestamp() / 600)),
        Some(id),
    )
    .await?;
    txn.commit().await?;
    Ok(Registered {
        registrant: id,
        token,
        sessions: out,
    })
}

async fn registration_of<C: ConnectionTrait>(
    db: &C,
    registrant: i64,
    session: &str,
) -> Result<(i64, String)> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT id, state FROM registration WHERE registrant_id = ")
        .bind(registrant)
        .push(" AND session_id = ")
        .bind(session.to_string());
    let row = db
        .query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((row.try_get("", "id")?, row.try_get("", "state")?))
}

/// The registrant a personal link belongs to (not expired, not erased).
pub async fn by_token<C: ConnectionTrait>(db: &C, token: &str, now: DateTime<Utc>) -> Result<i64> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT t.registrant_id AS id FROM registrant_token t JOIN registrant r ON r.id = \
         t.registrant_id WHERE r.erased_at IS NULL AND t.hash = ",
    )
    .bind(crate::accounts::sha256_hex(token))
    .push(" AND t.expires_at > ")
    .bind(now);
    db.query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::NotFound)?
        .try_get("", "id")
        .map_err(Into::into)
}

/// Confirms the person's pending registrations (the link in the e-mail
/// proves the address): each takes a seat, or a place on the waiting list
/// when the session is full. Pending registrations older than
/// [`PENDING_HOURS`] expire instead.
pub async fn confirm(
    store: &Store,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(String, String)>> {
    let txn = store.write().begin().await?;
    let id = by_token(&txn, token, now).await?;
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT id, session_id, created_at FROM registration WHERE state = 'pending' AND registrant_id = ")
        .bind(id)
        .push(" ORDER BY session_id");
    let pending: Vec<(i64, String, DateTime<Utc>)> = txn
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("", "id")?,
                r.try_get("", "session_id")?,
                r.try_get("", "created_at")?,
            ))
        })
        .collect::<Result<_>>()?;
    let mut out = Vec::new();
    let actor = format!("registrant:{id}");
    for (rid, session, created) in pending {
        if created < now - Duration::hours(PENDING_HOURS) {
            set_state(&txn, rid, "pending", "expired", now, &actor).await?;
            out.push((session, "expired".to_string()));
            continue;
        }
        let capacity = lock_session(&txn, &session).await?;
        let full = match capacity {
            Some(c) => count_state(&txn, &session, "confirmed").await? >= c,
            None => false,
        };
        let to = if full { "waiting" } else { "confirmed" };
        set_state(&txn, rid, "pending", to, now, &actor).await?;
        jobs::enqueue_in(
            &txn,
            "mail",
            &mail(to, id, &session),
            now,
            Some(format!("{to}:{rid}:{}", now.timestamp())),
            Some(id),
        )
        .await?;
        out.push((session, to.to_string()));
    }
    txn.commit().await?;
    Ok(out)
}

/// Cancels the person's registration for `session`. A freed seat goes to
/// the first person on the waiting list, who is told.
pub async fn cancel(store: &Store, token: &str, session: &str, now: DateTime<Utc>) -> Result<()> {
    let txn = store.write().begin().await?;
    let id = by_token(&txn, token, now).await?;
    cancel_in(&txn, id, session, now, &format!("registrant:{id}")).await?;
    txn.commit().await?;
    Ok(())
}

async fn cancel_in(
    txn: &DatabaseTransaction,
    registrant: i64,
    session: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<()> {
    let capacity = lock_session(txn, session).await?;
    let (rid, state) = registration_of(txn, registrant, session).await?;
    if !matches!(state.as_str(), "pending" | "confirmed" | "waiting") {
        return Ok(());
    }
    set_state(txn, rid, &state, "cancelled", now, actor).await?;
    if state == "confirmed" {
        jobs::enqueue_in(
            txn,
            "mail",
            &mail("cancelled", registrant, session),
            now,
            Some(format!("cancelled:{rid}:{}", now.timestamp())),
            Some(registrant),
        )
        .await?;
        if let Some(c) = capacity {
            promote(txn, session, c, now).await?;
        }
    }
    Ok(())
}

/// Moves people from the waiting list to free seats, first come first.
async fn promote(
    txn: &DatabaseTransaction,
    session: &str,
    capacity: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let confirmed = count_state(txn, session, "confirmed").await?;
    let free = capacity - confirmed;
    if free <= 0 {
        return Ok(());
    }
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push(
        "SELECT id, registrant_id FROM registration WHERE state = 'waiting' AND session_id = ",
    )
    .bind(session.to_string())
    .push(" ORDER BY waiting_since, id LIMIT ")
    .push(&free.to_string());
    let next: Vec<(i64, i64)> = txn
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "registrant_id")?)))
        .collect::<Result<_>>()?;
    for (rid, who) in next {
        set_state(txn, rid, "waiting", "confirmed", now, "waiting-list").await?;
        jobs::enqueue_in(
            txn,
            "mail",
            &mail("promoted", who, session),
            now,
            Some(format!("promoted:{rid}:{}", now.timestamp())),
            Some(who),
        )
        .await?;
    }
    Ok(())
}

/// Marks pending registrations older than [`PENDING_HOURS`] as expired.
pub async fn expire_pending(store: &Store, now: DateTime<Utc>) -> Result<u64> {
    let mut sql = Sql::new(store.backend());
    sql.push("UPDATE registration SET state = 'expired', updated_at = ")
        .bind(now)
        .push(" WHERE state = 'pending' AND created_at < ")
        .bind(now - Duration::hours(PENDING_HOURS));
    Ok(store
        .write()
        .execute_raw(sql.statement())
        .await?
        .rows_affected())
}

async fn load_person<C: ConnectionTrait>(db: &C, id: i64) -> Result<Person> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT name, email, institution_id, institution_text, country, role, lang FROM \
         registrant WHERE erased_at IS NULL AND id = ",
    )
    .bind(id);
    let r = db
        .query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::NotFound)?;
    let data = Registrant {
        name: r.try_get("", "name")?,
        email: r.try_get("", "email")?,
        institution: r
            .try_get::<Option<String>>("", "institution_id")?
            .unwrap_or_default(),
        institution_text: r.try_get("", "institution_text")?,
        country: r.try_get("", "country")?,
        role: r.try_get("", "role")?,
        lang: r.try_get("", "lang")?,
        consent: true,
    };
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT r.session_id, r.state FROM registration r JOIN event_session s ON s.id = \
         r.session_id WHERE r.registrant_id = ",
    )
    .bind(id)
    .push(" ORDER BY s.date, s.number");
    let registrations = db
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "session_id")?, r.try_get("", "state")?)))
        .collect::<Result<_>>()?;
    Ok(Person {
        id,
        data,
        registrations,
    })
}

/// The person a personal link belongs to, with their registrations.
pub async fn person(store: &Store, token: &str, now: DateTime<Utc>) -> Result<Person> {
    let id = by_token(store.read(), token, now).await?;
    load_person(store.read(), id).await
}

/// The person by id (the mail runner; erased people are `NotFound`).
pub async fn person_by_id(store: &Store, id: i64) -> Result<Person> {
    load_person(store.read(), id).await
}

/// A new personal link for `email`, sent by e-mail; `None` (and nothing
/// sent) when no one registered with it — the page says the same either
/// way, so the form tells no one who registered.
pub async fn request_link(store: &Store, email: &str, now: DateTime<Utc>) -> Result<Option<i64>> {
    let txn = store.write().begin().await?;
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT id FROM registrant WHERE erased_at IS NULL AND email = ")
        .bind(email.to_string());
    let Some(row) = txn.query_one_raw(sql.statement()).await? else {
        return Ok(None);
    };
    let id: i64 = row.try_get("", "id")?;
    let token = new_token(&txn, id, now).await?;
    let mut payload = mail("link", id, "");
    payload["token"] = token.into();
    jobs::enqueue_in(
        &txn,
        "mail",
        &payload,
        now,
        Some(format!("link:{id}:{}", now.timestamp() / 600)),
        Some(id),
    )
    .await?;
    txn.commit().await?;
    Ok(Some(id))
}

/// The person corrects their data (the e-mail stays: it is who they are).
pub async fn correct(
    store: &Store,
    token: &str,
    data: &Registrant,
    now: DateTime<Utc>,
) -> Result<()> {
    let txn = store.write().begin().await?;
    let id = by_token(&txn, token, now).await?;
    crate::audience::touch_registrant_in(&txn, id).await?;
    let inst: Option<String> = (!data.institution.is_empty()).then(|| data.institution.clone());
    if let Some(i) = &inst
        && crate::list::live_ids(&txn, "institution", true, std::slice::from_ref(i))
            .await?
            .is_empty()
    {
        return Err(StoreError::Reference {
            record: id.to_string(),
            field: "institution",
            target: i.clone(),
        });
    }
    let mut sql = Sql::new(store.backend());
    sql.push("UPDATE registrant SET name = ")
        .bind(data.name.clone())
        .push(", institution_id = ")
        .bind(inst)
        .push(", institution_text = ")
        .bind(data.institution_text.clone())
        .push(", country = ")
        .bind(data.country.clone())
        .push(", role = ")
        .bind(data.role.clone())
        .push(", lang = ")
        .bind(data.lang.clone())
        .push(", updated_at = ")
        .bind(now)
        .push(" WHERE id = ")
        .bind(id);
    txn.execute_raw(sql.statement()).await?;
    // A corrected name reissues the certificates printed with the old one.
    crate::certificates::reissue_renamed_in(&txn, id, &data.name, now).await?;
    txn.commit().await?;
    Ok(())
}

async fn erase_in(
    txn: &DatabaseTransaction,
    id: i64,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<()> {
    // Open registrations for sessions still to come are cancelled (their
    // seats pass on); those of sessions already held stay as they are, so
    // erasure changes no count.
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push(
        "SELECT r.session_id FROM registration r JOIN event_session s ON s.id = r.session_id \
         WHERE r.state IN ('pending', 'confirmed', 'waiting') AND s.date >= ",
    )
    .bind(now.date_naive().format("%Y-%m-%d").to_string())
    .push(" AND r.registrant_id = ")
    .bind(id);
    let open: Vec<String> = txn
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| r.try_get("", "session_id").map_err(Into::into))
        .collect::<Result<_>>()?;
    for s in open {
        cancel_in(txn, id, &s, now, actor).await?;
    }
    jobs::withdraw_for_registrant(txn, id).await?;
    crate::attendance::erase_registrant_in(txn, id, now).await?;
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("DELETE FROM registrant_token WHERE registrant_id = ")
        .bind(id);
    txn.execute_raw(sql.statement()).await?;
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("UPDATE registrant SET name = '', email = ")
        .bind(format!("erased-{id}"))
        .push(", institution_id = NULL, institution_text = '', role = '', updated_at = ")
        .bind(now)
        .push(", erased_at = ")
        .bind(now)
        .push(" WHERE id = ")
        .bind(id);
    txn.execute_raw(sql.statement()).await?;
    Ok(())
}

/// Erases the person: their name, e-mail, institution and role are gone,
/// open registrations cancelled (seats passed on), pending e-mails
/// withdrawn; the registrations stay as numbers (with country and
/// language, which identify no one), so counts do not change.
pub async fn erase(store: &Store, token: &str, now: DateTime<Utc>) -> Result<()> {
    let txn = store.write().begin().await?;
    let id = by_token(&txn, token, now).await?;
    erase_in(&txn, id, now, &format!("registrant:{id}")).await?;
    txn.commit().await?;
    Ok(())
}

/// Erases everyone whose registrations are all for sessions before
/// `before` (`faro events purge`). Returns how many people were erased.
pub async fn purge(store: &Store, before: chrono::NaiveDate, now: DateTime<Utc>) -> Result<u64> {
    let mut sql = Sql::new(store.backend());
    sql.push(
        "SELECT p.id FROM registrant p WHERE p.erased_at IS NULL AND NOT EXISTS (SELECT 1 FROM \
         registration r JOIN event_session s ON s.id = r.session_id WHERE r.registrant_id = p.id \
         AND s.date >= ",
    )
    .bind(before.format("%Y-%m-%d").to_string())
    .push(")");
    let ids: Vec<i64> = store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| r.try_get("", "id").map_err(Into::into))
        .collect::<Result<_>>()?;
    for chunk in ids.chunks(200) {
        let txn = store.write().begin().await?;
        for id in chunk {
            erase_in(&txn, *id, now, "retention").await?;
        }
        txn.commit().await?;
    }
    // Attendees of those sessions who were never registrants.
    crate::attendance::purge_guests(store, before, now).await?;
    Ok(ids.len() as u64)
}

/// Registrations of a session by state.
pub async fn counts(store: &Store, session: &str) -> Result<Counts> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT state, COUNT(*) AS n FROM registration WHERE session_id = ")
        .bind(session.to_string())
        .push(" GROUP BY state");
    let mut c = Counts::default();
    for r in store.read().query_all_raw(sql.statement()).await? {
        let n: i64 = r.try_get("", "n")?;
        match r.try_get::<String>("", "state")?.as_str() {
            "pending" => c.pending = n,
            "confirmed" => c.confirmed = n,
            "waiting" => c.waiting = n,
            "cancelled" => c.cancelled = n,
            "expired" => c.expired = n,
            _ => {}
        }
    }
    Ok(c)
}

/// Registrants of a session for coordinators, a page at a time, filtered by
/// state and by a text in name, e-mail or institution.
pub async fn registrants(
    store: &Store,
    session: &str,
    state: Option<&str>,
    q: &str,
    page: crate::list::PageReq,
) -> Result<(Vec<Row>, u64)> {
    let filter = |sql: &mut Sql| {
        sql.push(" FROM registration g JOIN registrant p ON p.id = g.registrant_id WHERE g.session_id = ")
            .bind(session.to_string());
        if let Some(s) = state {
            sql.push(" AND g.state = ").bind(s.to_string());
        }
        let q = q.trim().to_lowercase();
        if !q.is_empty() {
            let like = format!("%{}%", q.replace(['%', '_'], ""));
            sql.push(" AND (LOWER(p.name) LIKE ")
                .bind(like.clone())
                .push(" OR p.email LIKE ")
                .bind(like.clone())
                .push(" OR LOWER(p.institution_text) LIKE ")
                .bind(like.clone())
                .push(" OR p.institution_id LIKE ")
                .bind(like)
                .push(")");
        }
    };
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT COUNT(*) AS n");
    filter(&mut sql);
    let total: i64 = store
        .read()
        .query_one_raw(sql.statement())
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let mut sql = Sql::new(store.backend());
    sql.push(
        "SELECT g.id, g.state, g.created_at, p.name, p.email, p.institution_id, \
         p.institution_text, p.country, p.role, p.lang",
    );
    filter(&mut sql);
    sql.push(" ORDER BY g.id LIMIT ")
        .push(&page.limit().to_string())
        .push(" OFFSET ")
        .push(&page.offset().to_string());
    let rows = store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| {
            Ok(Row {
                registration: r.try_get("", "id")?,
                state: r.try_get("", "state")?,
                name: r.try_get("", "name")?,
                email: r.try_get("", "email")?,
                institution: r
                    .try_get::<Option<String>>("", "institution_id")?
                    .unwrap_or_default(),
                institution_text: r.try_get("", "institution_text")?,
                country: r.try_get("", "country")?,
                role: r.try_get("", "role")?,
                lang: r.try_get("", "lang")?,
                registered_at: r
                    .try_get::<DateTime<Utc>>("", "created_at")?
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            })
        })
        .collect::<Result<_>>()?;
    Ok((rows, total.max(0) as u64))
}

/// Records that a coordinator exported a session's registrants (audit).
pub async fn log_export(store: &Store, session: &str, actor: &str, rows: u64) -> Result<()> {
    crate::changes::insert_row(
        store.write(),
        "registrants",
        session,
        "exported",
        "rows",
        None,
        Some(rows.to_string()),
        actor,
        Utc::now(),
    )
    .await
}

/// A coordinator's message to every confirmed registrant of a session: one
/// e-mail job each, at most one message per session every ten minutes
/// (`Rule("throttled")`), kept in the session's history.
pub async fn message(
    store: &Store,
    session: &str,
    subject: &str,
    body: &str,
    actor: &crate::changes::Actor,
    now: DateTime<Utc>,
) -> Result<u64> {
    let txn = store.write().begin().await?;
    lock_session(&txn, session).await?;
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT COUNT(*) AS n FROM change_log WHERE record_type = 'session' AND field = 'message' AND record_id = ")
        .bind(session.to_string())
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
    sql.push("SELECT registrant_id FROM registration WHERE state = 'confirmed' AND session_id = ")
        .bind(session.to_string());
    let who: Vec<i64> = txn
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| r.try_get("", "registrant_id").map_err(Into::into))
        .collect::<Result<_>>()?;
    let key = crate::accounts::random_token();
    for id in &who {
        let mut payload = mail("message", *id, session);
        payload["subject"] = subject.into();
        payload["body"] = body.into();
        jobs::enqueue_in(
            &txn,
            "mail",
            &payload,
            now,
            Some(format!("message:{key}:{id}")),
            Some(*id),
        )
        .await?;
    }
    crate::changes::record(
        &txn,
        actor,
        crate::events::RECORD_TYPE,
        session,
        "updated",
        &[crate::changes::FieldChange {
            field: "message",
            old: None,
            new: Some(format!("{subject} ({} recipients)", who.len())),
        }],
    )
    .await?;
    txn.commit().await?;
    Ok(who.len() as u64)
}

/// Reminders 24 h and 1 h before a session with a known start, for its
/// current `sequence` (a rescheduled session gets new ones; the runner
/// drops reminders of an older sequence).
pub async fn schedule_reminders<C: ConnectionTrait>(db: &C, s: &Session) -> Result<()> {
    let Some(start) = s.start_utc() else {
        return Ok(());
    };
    if s.status == "cancelled" {
        return Ok(());
    }
    for (offset, before) in [("24h", Duration::hours(24)), ("1h", Duration::hours(1))] {
        jobs::enqueue_in(
            db,
            "reminders",
            &serde_json::json!({"session": s.id, "offset": offset, "sequence": s.sequence}),
            start - before,
            Some(format!("reminders:{}:{offset}:{}", s.id, s.sequence)),
            None,
        )
        .await?;
    }
    Ok(())
}

/// A saved session changed: people with a seat or on the waiting list are
/// told of a new time or a cancellation, and reminders follow the time.
pub async fn session_changed<C: ConnectionTrait>(
    db: &C,
    old: &Session,
    new: &Session,
    now: DateTime<Utc>,
) -> Result<()> {
    let moved = old.start_utc() != new.start_utc() || old.date != new.date;
    let cancelled = new.status == "cancelled" && old.status != "cancelled";
    if new.sequence != old.sequence {
        schedule_reminders(db, new).await?;
    }
    let template = if cancelled {
        "session_cancelled"
    } else if moved {
        "rescheduled"
    } else {
        return Ok(());
    };
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT registrant_id FROM registration WHERE state IN ('confirmed', 'waiting') AND session_id = ")
        .bind(new.id.clone());
    for r in db.query_all_raw(sql.statement()).await? {
        let who: i64 = r.try_get("", "registrant_id")?;
        jobs::enqueue_in(
            db,
            "mail",
            &mail(template, who, &new.id),
            now,
            Some(format!("{template}:{}:{}:{who}", new.id, new.sequence)),
            Some(who),
        )
        .await?;
    }
    Ok(())
}

/// Fans a due reminder out to one e-mail job per confirmed registrant;
/// a reminder of an older `sequence`, or of a cancelled session, is dropped.
/// Returns how many e-mails were queued.
pub async fn fan_out_reminder(
    store: &Store,
    session: &str,
    offset: &str,
    sequence: u32,
    now: DateTime<Utc>,
) -> Result<u64> {
    let s = match crate::events::get(store, session).await {
        Ok(s) => s,
        Err(StoreError::NotFound) => return Ok(0),
        Err(e) => return Err(e),
    };
    if s.sequence != sequence || s.status == "cancelled" {
        return Ok(0);
    }
    let txn = store.write().begin().await?;
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT registrant_id FROM registration WHERE state = 'confirmed' AND session_id = ")
        .bind(session.to_string());
    let who: Vec<i64> = txn
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| r.try_get("", "registrant_id").map_err(Into::into))
        .collect::<Result<_>>()?;
    for id in &who {
        let mut payload = mail("reminder", *id, session);
        payload["offset"] = offset.into();
        jobs::enqueue_in(
            &txn,
            "mail",
            &payload,
            now,
            Some(format!("reminder:{offset}:{session}:{sequence}:{id}")),
            Some(*id),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(who.len() as u64)
}
