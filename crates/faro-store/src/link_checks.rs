//! Results of `faro check-links`: the latest check per resource, and per
//! course with how many checks in a row found its page gone.

use crate::entity::link_check::{self, Entity};
use crate::{Result, Store};
use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};

pub async fn record(
    store: &Store,
    resource_id: &str,
    url: &str,
    outcome: &str,
    status: Option<u16>,
    detail: &str,
) -> Result<()> {
    Entity::insert(link_check::ActiveModel {
        resource_id: Set(resource_id.to_string()),
        url: Set(url.to_string()),
        outcome: Set(outcome.to_string()),
        status_code: Set(status.map(i32::from)),
        detail: Set(detail.chars().take(500).collect()),
        checked_at: Set(chrono::Utc::now()),
    })
    .on_conflict(
        OnConflict::column(link_check::Column::ResourceId)
            .update_columns([
                link_check::Column::Url,
                link_check::Column::Outcome,
                link_check::Column::StatusCode,
                link_check::Column::Detail,
                link_check::Column::CheckedAt,
            ])
            .to_owned(),
    )
    .exec(store.write())
    .await?;
    Ok(())
}

pub async fn get(store: &Store, resource_id: &str) -> Result<Option<link_check::Model>> {
    Ok(Entity::find_by_id(resource_id.to_string())
        .one(store.read())
        .await?)
}

/// Checks in a row that found a course's page gone before it is flagged
/// to its editors.
pub const FLAG_AFTER: i32 = 3;

/// The latest check of a course's page.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseCheck {
    pub url: String,
    /// `ok`, `broken` (an HTTP error) or `unreachable`.
    pub outcome: String,
    pub status_code: Option<i32>,
    pub detail: String,
    /// Checks in a row that found the page gone (at this address).
    pub failures: i32,
    pub checked_at: chrono::DateTime<chrono::Utc>,
}

impl CourseCheck {
    pub fn flagged(&self) -> bool {
        self.failures >= FLAG_AFTER
    }
}

/// Records a check of a course's page: a working one resets the count of
/// failures, so does a new address; any other adds one.
pub async fn record_course(
    store: &Store,
    course_id: &str,
    url: &str,
    outcome: &str,
    status: Option<u16>,
    detail: &str,
) -> Result<CourseCheck> {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let txn = store.write().begin().await?;
    let before = course_in(&txn, course_id).await?;
    let failures = match (&before, outcome) {
        (_, "ok") => 0,
        (Some(b), _) if b.url == url => b.failures.saturating_add(1),
        _ => 1,
    };
    let check = CourseCheck {
        url: url.to_string(),
        outcome: outcome.to_string(),
        status_code: status.map(i32::from),
        detail: detail.chars().take(500).collect(),
        failures,
        checked_at: chrono::Utc::now(),
    };
    let backend = txn.get_database_backend();
    let mut sql = crate::list::Sql::new(backend);
    sql.push("DELETE FROM course_link_check WHERE course_id = ")
        .bind(course_id.to_string());
    txn.execute_raw(sql.statement()).await?;
    let mut sql = crate::list::Sql::new(backend);
    sql.push(
        "INSERT INTO course_link_check (course_id, url, outcome, status_code, detail, failures, \
         checked_at) VALUES (",
    )
    .bind(course_id.to_string())
    .push(", ")
    .bind(check.url.clone())
    .push(", ")
    .bind(check.outcome.clone())
    .push(", ")
    .bind(check.status_code)
    .push(", ")
    .bind(check.detail.clone())
    .push(", ")
    .bind(check.failures)
    .push(", ")
    .bind(check.checked_at)
    .push(")");
    txn.execute_raw(sql.statement()).await?;
    txn.commit().await?;
    Ok(check)
}

async fn course_in<C: sea_orm::ConnectionTrait>(
    db: &C,
    course_id: &str,
) -> Result<Option<CourseCheck>> {
    let mut sql = crate::list::Sql::new(db.get_database_backend());
    sql.push(
        "SELECT url, outcome, status_code, detail, failures, checked_at FROM course_link_check \
         WHERE course_id = ",
    )
    .bind(course_id.to_string());
    match db.query_one_raw(sql.statement()).await? {
        Some(r) => Ok(Some(CourseCheck {
            url: r.try_get("", "url")?,
            outcome: r.try_get("", "outcome")?,
            status_code: r.try_get("", "status_code")?,
            detail: r.try_get("", "detail")?,
            failures: r.try_get("", "failures")?,
            checked_at: r.try_get("", "checked_at")?,
        })),
        None => Ok(None),
    }
}

/// The latest check of a course's page, if any.
pub async fn course(store: &Store, course_id: &str) -> Result<Option<CourseCheck>> {
    course_in(store.read(), course_id).await
}

/// Flagged courses among `institutions`' courses (for their editors'
/// account page): (course id, failures), at most `limit`.
pub async fn flagged_courses(
    store: &Store,
    institutions: &[String],
    limit: u64,
) -> Result<Vec<(String, i32)>> {
    use sea_orm::ConnectionTrait;
    if institutions.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = crate::list::Sql::new(store.backend());
    sql.push(
        "SELECT DISTINCT k.course_id, k.failures FROM course_link_check k \
         JOIN course_provider p ON p.course_id = k.course_id \
         WHERE p.listed = ",
    )
    .bind(true)
    .push(" AND k.failures >= ")
    .bind(FLAG_AFTER)
    .push(" AND p.institution_id IN (");
    for (n, i) in institutions.iter().take(500).enumerate() {
        if n > 0 {
            sql.push(", ");
        }
        sql.bind(i.clone());
    }
    sql.push(") ORDER BY k.course_id LIMIT ")
        .push(&limit.min(500).to_string());
    store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "course_id")?, r.try_get("", "failures")?)))
        .collect()
}
