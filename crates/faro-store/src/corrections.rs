//! Public corrections: anyone suggests, a coordinator accepts (the change is
//! applied and its history rows cite the suggestion) or rejects with a
//! reason. Nothing changes on a rejection.

use crate::changes::Actor;
use crate::entity::correction::{self, Column, Entity};
use crate::{Result, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};

pub const MAX_WHAT: usize = 3000;

/// [`StoreError::Rule`]: the suggestion is no longer pending.
pub const ALREADY_DECIDED: &str = "correction_already_decided";
/// [`StoreError::Rule`]: the change applied is to another measure.
pub const OTHER_MEASURE: &str = "correction_other_measure";

/// Corrections from one client allowed per hour.
pub const PER_CLIENT_PER_HOUR: u64 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuggestError {
    /// A field is missing or wrong: (field, code).
    Invalid(&'static str, &'static str),
    TooMany,
    NoSuchMeasure,
}

pub async fn suggest(
    store: &Store,
    measure_id: &str,
    what: &str,
    source_url: &str,
    contact: &str,
    client: &str,
) -> Result<std::result::Result<i64, SuggestError>> {
    let what = what.trim();
    if what.chars().count() < 10 || what.chars().count() > MAX_WHAT {
        return Ok(Err(SuggestError::Invalid("what", "correction_length")));
    }
    if what
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Ok(Err(SuggestError::Invalid("what", "control_chars")));
    }
    let url = source_url.trim();
    let lower = url.to_ascii_lowercase();
    if !url.is_empty()
        && (!(lower.starts_with("https://") || lower.starts_with("http://"))
            || url.len() > 500
            || url.chars().any(char::is_whitespace))
    {
        return Ok(Err(SuggestError::Invalid("source_url", "invalid_url")));
    }
    let contact = contact.trim();
    if contact.chars().count() > 254 || contact.chars().any(char::is_control) {
        return Ok(Err(SuggestError::Invalid("contact", "too_long")));
    }
    if crate::observatory::get(store, measure_id).await.is_err() {
        return Ok(Err(SuggestError::NoSuchMeasure));
    }
    let recent = Entity::find()
        .filter(Column::Client.eq(client))
        .filter(Column::CreatedAt.gt(chrono::Utc::now() - chrono::Duration::hours(1)))
        .count(store.read())
        .await?;
    if recent >= PER_CLIENT_PER_HOUR {
        return Ok(Err(SuggestError::TooMany));
    }
    let m = correction::ActiveModel {
        id: NotSet,
        measure_id: Set(measure_id.to_string()),
        what: Set(what.to_string()),
        source_url: Set(url.to_string()),
        contact: Set(contact.to_string()),
        client: Set(client.chars().take(64).collect()),
        status: Set("pending".into()),
        decision: Set(String::new()),
        decided_by: Set(String::new()),
        created_at: Set(chrono::Utc::now()),
        decided_at: Set(None),
    }
    .insert(store.write())
    .await?;
    Ok(Ok(m.id))
}

/// One page of the public log, newest first: `limit` corrections after
/// `offset`, with `status` (`pending`, `accepted`, `rejected`) or all, and
/// how many there are in all (an index on `(status, id)` behind both).
pub async fn page(
    store: &Store,
    status: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<correction::Model>, u64)> {
    use sea_orm::QuerySelect;
    let mut q = Entity::find();
    if let Some(s) = status {
        q = q.filter(Column::Status.eq(s));
    }
    let total = q.clone().count(store.read()).await?;
    let rows = q
        .order_by_desc(Column::Id)
        .offset(offset)
        .limit(limit.clamp(1, 500))
        .all(store.read())
        .await?;
    Ok((rows, total))
}

/// Every correction, newest first (tests and the dump; pages use [`page`]).
pub async fn list(store: &Store) -> Result<Vec<correction::Model>> {
    Ok(Entity::find()
        .order_by_desc(Column::Id)
        .all(store.read())
        .await?)
}

/// The newest `limit` corrections decided with `status` (`accepted` or
/// `rejected`), newest decision first (the corrections feed).
pub async fn decided(store: &Store, status: &str, limit: u64) -> Result<Vec<correction::Model>> {
    use sea_orm::QuerySelect;
    Ok(Entity::find()
        .filter(Column::Status.eq(status))
        .filter(Column::DecidedAt.is_not_null())
        .order_by_desc(Column::DecidedAt)
        .order_by_desc(Column::Id)
        .limit(limit.min(500))
        .all(store.read())
        .await?)
}

pub async fn get(store: &Store, id: i64) -> Result<correction::Model> {
    Entity::find_by_id(id)
        .one(store.read())
        .await?
        .ok_or(StoreError::NotFound)
}

/// Marks a pending correction decided, inside the caller's transaction: a
/// compare-and-set on `status = 'pending'`, so two decisions cannot both win.
async fn decide_in<C: sea_orm::ConnectionTrait>(
    db: &C,
    id: i64,
    status: &str,
    decision: &str,
    by: &str,
) -> Result<()> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let res = correction::Entity::update_many()
        .col_expr(
            correction::Column::Status,
            sea_orm::sea_query::Expr::value(status),
        )
        .col_expr(
            correction::Column::Decision,
            sea_orm::sea_query::Expr::value(decision),
        )
        .col_expr(
            correction::Column::DecidedBy,
            sea_orm::sea_query::Expr::value(by),
        )
        .col_expr(
            correction::Column::DecidedAt,
            sea_orm::sea_query::Expr::value(Some(chrono::Utc::now())),
        )
        .filter(correction::Column::Id.eq(id))
        .filter(correction::Column::Status.eq("pending"))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Rule(ALREADY_DECIDED));
    }
    Ok(())
}

/// Rejects with a reason; the measure is not touched.
pub async fn reject(store: &Store, id: i64, reason: &str, by: &str) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(StoreError::Invalid("a rejection needs a reason".into()));
    }
    get(store, id).await?;
    decide_in(store.write(), id, "rejected", reason.trim(), by).await
}

/// Accepts: in one transaction, marks the suggestion accepted (only if still
/// pending) and applies `changed` (the corrected measure, derived from the
/// version `expected`) through the measures' write path, with the history
/// citing the suggestion. A measure saved since `expected` is a
/// [`StoreError::Conflict`] and nothing changes.
pub async fn accept(
    store: &Store,
    id: i64,
    changed: &faro_domain::observatory::Measure,
    expected: Option<&str>,
    note: &str,
    by: &str,
) -> Result<()> {
    use sea_orm::TransactionTrait;
    let c = get(store, id).await?;
    if c.measure_id != changed.id {
        return Err(StoreError::Rule(OTHER_MEASURE));
    }
    let actor = Actor::new(by, Some(format!("correction #{id}: {}", note.trim())));
    let txn = store.write().begin().await?;
    decide_in(&txn, id, "accepted", note.trim(), by).await?;
    crate::observatory::upsert_in(&txn, std::slice::from_ref(changed), &actor, expected).await?;
    txn.commit().await?;
    Ok(())
}
