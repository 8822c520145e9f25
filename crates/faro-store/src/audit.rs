//! The audit log: the shared change history, filtered for coordinators.

use crate::entity::change_log::{self, Column, Entity};
use crate::{Result, Store};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Exact actor name (e.g. `user:ana@example.org`, `demo`).
    pub actor: Option<String>,
    pub record_type: Option<String>,
    /// Inclusive start and exclusive end.
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
}

pub async fn search(
    store: &Store,
    f: &AuditFilter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<change_log::Model>, u64)> {
    let mut cond = Condition::all();
    if let Some(a) = &f.actor {
        cond = cond.add(Column::Actor.eq(a.as_str()));
    }
    if let Some(t) = &f.record_type {
        cond = cond.add(Column::RecordType.eq(t.as_str()));
    }
    if let Some(d) = f.from {
        cond = cond.add(Column::At.gte(d));
    }
    if let Some(d) = f.until {
        cond = cond.add(Column::At.lt(d));
    }
    let p = Entity::find()
        .filter(cond)
        .order_by_desc(Column::Id)
        .paginate(store.read(), per_page.max(1));
    let total = p.num_items().await?;
    Ok((
        crate::changes::expand(p.fetch_page(page.saturating_sub(1)).await?),
        total,
    ))
}

/// Distinct actors and record types, for the filter form.
pub async fn facets(store: &Store) -> Result<(Vec<String>, Vec<String>)> {
    use sea_orm::QuerySelect;
    let actors: Vec<String> = Entity::find()
        .select_only()
        .column(Column::Actor)
        .distinct()
        .order_by_asc(Column::Actor)
        .into_tuple()
        .all(store.read())
        .await?;
    let types: Vec<String> = Entity::find()
        .select_only()
        .column(Column::RecordType)
        .distinct()
        .order_by_asc(Column::RecordType)
        .into_tuple()
        .all(store.read())
        .await?;
    Ok((actors, types))
}
