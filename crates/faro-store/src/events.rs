//! Event series sessions: reads and all-or-nothing writes with history.

use crate::changes::{self, Actor, Fields};
use crate::entity::event_session::{self, Column, Entity};
use crate::{Result, Store, StoreError};
use faro_domain::events::Session;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use std::collections::HashMap;

pub const RECORD_TYPE: &str = "session";

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
    }
}

fn fields(s: &Session) -> Fields {
    vec![
        ("series", Some(s.series.clone())),
        ("number", Some(s.number.to_string())),
        ("date", Some(s.date.clone())),
        ("title_es", Some(s.title_es.clone())),
        ("title_en", Some(s.title_en.clone())),
        ("title_pt", Some(s.title_pt.clone())),
        ("original_language", Some(s.original_language.clone())),
        ("channels", Some(s.channels.join(";"))),
        ("notes", Some(s.notes.clone())),
    ]
}

/// Every session, by date then number.
pub async fn all(store: &Store) -> Result<Vec<Session>> {
    Ok(Entity::find()
        .order_by_asc(Column::Date)
        .order_by_asc(Column::Number)
        .all(store.read())
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

pub async fn get(store: &Store, id: &str) -> Result<Session> {
    Entity::find_by_id(id.to_string())
        .one(store.read())
        .await?
        .map(to_domain)
        .ok_or(StoreError::NotFound)
}

/// Creates or updates sessions in one transaction; unchanged ones are left
/// alone (no history), so loading the same file twice changes nothing.
pub async fn upsert_all(
    store: &Store,
    items: &[Session],
    actor: &Actor,
) -> Result<crate::institutions::ImportReport> {
    upsert(store, items, actor, None).await
}

/// Saves one session based on the version `expected` (its `updated_at` as
/// RFC 3339, or `changes::NEW_RECORD` for a create): a session saved since
/// is [`StoreError::Conflict`] and nothing is written.
pub async fn save(
    store: &Store,
    item: &Session,
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    upsert(store, std::slice::from_ref(item), actor, expected).await
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
) -> Result<crate::institutions::ImportReport> {
    crate::refuse_invalid(items, |s| (&s.id, s.validate()))?;
    let txn = store.write().begin().await?;
    let ids: Vec<String> = items.iter().map(|s| s.id.clone()).collect();
    let mut existing: HashMap<String, (Session, chrono::DateTime<chrono::Utc>)> = HashMap::new();
    for chunk in ids.chunks(500) {
        for m in Entity::find()
            .filter(Column::Id.is_in(chunk.to_vec()))
            .all(&txn)
            .await?
        {
            let at = m.updated_at;
            existing.insert(m.id.clone(), (to_domain(m), at));
        }
    }
    let mut report = crate::institutions::ImportReport::default();
    let now = chrono::Utc::now();
    let mut batch = changes::Batch::default();
    for s in items {
        let seen = existing.get(&s.id).map(|(_, at)| *at);
        changes::check_version(expected, seen)?;
        let old = existing.get(&s.id).map(|(s, _)| s);
        let diff = changes::diff(old.map(fields).as_ref(), &fields(s));
        if old.is_some() && diff.is_empty() {
            report.unchanged += 1;
            continue;
        }
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
        };
        if let Some(seen) = seen {
            // Only over the version read above (see `changes::update_if_unchanged`).
            changes::update_if_unchanged(
                &txn,
                Entity::update(am)
                    .validate()?
                    .filter(Column::UpdatedAt.eq(seen)),
            )
            .await?;
            report.updated += 1;
            batch.add(actor, RECORD_TYPE, &s.id, "updated", &diff);
        } else {
            Entity::insert(am).exec(&txn).await?;
            report.created += 1;
            batch.add(actor, RECORD_TYPE, &s.id, "created", &diff);
        }
    }
    batch.flush(&txn).await?;
    txn.commit().await?;
    Ok(report)
}
