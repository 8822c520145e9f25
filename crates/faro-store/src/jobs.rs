//! The job queue, kept in the database (table `job`): e-mails to
//! registrants and session reminders. It survives restarts; several `faro
//! serve` processes on one PostgreSQL database share it, and a job is
//! claimed by one of them at a time (`FOR UPDATE SKIP LOCKED`; on SQLite the
//! single writer makes the claim atomic). A claim is a lease: a process that
//! dies while holding a job lets it go when the lease ends, and another
//! process runs it then — so a job runs once unless its process died after
//! doing the work and before recording it (at-least-once at that edge).
//! Failures are retried with exponential backoff, up to [`MAX_ATTEMPTS`].
//!
//! Jobs carrying a registrant's data name the registrant (`registrant_id`),
//! so erasing the person withdraws their pending jobs.

use crate::list::Sql;
use crate::{Result, Store};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbBackend};

pub const MAX_ATTEMPTS: i32 = 6;

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub attempts: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub state: String,
    pub run_at: DateTime<Utc>,
    pub attempts: i32,
    pub last_error: String,
    pub done_at: Option<DateTime<Utc>>,
}

/// Adds a job in the caller's transaction. With a `dedupe` key, a job with
/// the same key (pending, running or done) makes this a no-op, so
/// scheduling the same reminder twice schedules it once.
pub async fn enqueue_in<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    payload: &serde_json::Value,
    run_at: DateTime<Utc>,
    dedupe: Option<String>,
    registrant: Option<i64>,
) -> Result<()> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "INSERT INTO job (kind, payload, run_at, state, attempts, last_error, dedupe, \
         registrant_id, created_at) VALUES (",
    )
    .bind(kind.to_string())
    .push(", ")
    .bind(payload.to_string())
    .push(", ")
    .bind(run_at)
    .push(", 'pending', 0, '', ")
    .bind(dedupe)
    .push(", ")
    .bind(registrant)
    .push(", ")
    .bind(Utc::now())
    .push(") ON CONFLICT (dedupe) DO NOTHING");
    db.execute_raw(sql.statement()).await?;
    Ok(())
}

/// Claims the next due job for `worker` (a pending job whose time has come,
/// or a running one whose lease ended), holding it for `lease`.
pub async fn claim(
    store: &Store,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<Job>> {
    let backend = store.backend();
    let mut sql = Sql::new(backend);
    sql.push("UPDATE job SET state = 'running', locked_by = ")
        .bind(worker.to_string())
        .push(", locked_until = ")
        .bind(now + lease)
        .push(", attempts = attempts + 1 WHERE id = (SELECT id FROM job WHERE (state = 'pending' AND run_at <= ")
        .bind(now)
        .push(") OR (state = 'running' AND locked_until < ")
        .bind(now)
        .push(") ORDER BY run_at, id LIMIT 1");
    if backend == DbBackend::Postgres {
        sql.push(" FOR UPDATE SKIP LOCKED");
    }
    sql.push(") RETURNING id, kind, payload, attempts");
    let Some(row) = store.write().query_one_raw(sql.statement()).await? else {
        return Ok(None);
    };
    let payload: String = row.try_get("", "payload")?;
    Ok(Some(Job {
        id: row.try_get("", "id")?,
        kind: row.try_get("", "kind")?,
        payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
        attempts: row.try_get("", "attempts")?,
    }))
}

/// Records a claimed job as done; `note` says how (e.g. "written to the
/// log"). The payload is replaced by `{}` when it carried a secret (a
/// one-time link), so a done job keeps no token. Returns false when the
/// lease was lost to another worker (nothing is recorded then).
pub async fn complete(
    store: &Store,
    id: i64,
    worker: &str,
    now: DateTime<Utc>,
    note: &str,
    forget_payload: bool,
) -> Result<bool> {
    let mut sql = Sql::new(store.backend());
    sql.push("UPDATE job SET state = 'done', done_at = ")
        .bind(now)
        .push(", locked_by = NULL, locked_until = NULL, last_error = ")
        .bind(note.to_string());
    if forget_payload {
        sql.push(", payload = '{}'");
    }
    sql.push(" WHERE id = ")
        .bind(id)
        .push(" AND state = 'running' AND locked_by = ")
        .bind(worker.to_string());
    Ok(store
        .write()
        .execute_raw(sql.statement())
        .await?
        .rows_affected()
        == 1)
}

/// Records a failure: retried after 1, 2, 4, … minutes, failed for good
/// after [`MAX_ATTEMPTS`].
pub async fn fail(
    store: &Store,
    job: &Job,
    worker: &str,
    now: DateTime<Utc>,
    error: &str,
) -> Result<()> {
    let retry = job.attempts < MAX_ATTEMPTS;
    let backoff = Duration::minutes(1i64 << (job.attempts.clamp(1, 10) - 1));
    let mut sql = Sql::new(store.backend());
    sql.push("UPDATE job SET state = ")
        .bind(if retry { "pending" } else { "failed" })
        .push(", run_at = ")
        .bind(now + backoff)
        .push(", locked_by = NULL, locked_until = NULL, last_error = ")
        .bind(error.chars().take(500).collect::<String>())
        .push(" WHERE id = ")
        .bind(job.id)
        .push(" AND locked_by = ")
        .bind(worker.to_string());
    store.write().execute_raw(sql.statement()).await?;
    Ok(())
}

/// Jobs by state for coordinators: counts of every state and the newest
/// `limit` jobs (optionally of one state).
pub async fn overview(
    store: &Store,
    state: Option<&str>,
    limit: u64,
) -> Result<(Vec<(String, i64)>, Vec<JobRow>)> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT state, COUNT(*) AS n FROM job GROUP BY state ORDER BY state");
    let counts = store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "state")?, r.try_get("", "n")?)))
        .collect::<Result<Vec<_>>>()?;
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT id, kind, state, run_at, attempts, last_error, done_at FROM job");
    if let Some(s) = state {
        sql.push(" WHERE state = ").bind(s.to_string());
    }
    sql.push(" ORDER BY id DESC LIMIT ")
        .push(&limit.min(500).to_string());
    let rows = store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| {
            Ok(JobRow {
                id: r.try_get("", "id")?,
                kind: r.try_get("", "kind")?,
                state: r.try_get("", "state")?,
                run_at: r.try_get("", "run_at")?,
                attempts: r.try_get("", "attempts")?,
                last_error: r.try_get("", "last_error")?,
                done_at: r.try_get("", "done_at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((counts, rows))
}

/// Withdraws the pending jobs that carry a registrant's data.
pub async fn withdraw_for_registrant<C: ConnectionTrait>(db: &C, registrant: i64) -> Result<()> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("UPDATE job SET state = 'withdrawn', payload = '{}' WHERE registrant_id = ")
        .bind(registrant)
        .push(" AND state IN ('pending', 'running', 'failed')");
    db.execute_raw(sql.statement()).await?;
    Ok(())
}
