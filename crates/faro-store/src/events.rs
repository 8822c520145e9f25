//! Event series sessions: reads and all-or-nothing writes with history.

use crate::changes::{self, Actor, Fields};
use crate::entity::event_session::{self, Column, Entity};
use crate::{Result, Store, StoreError};
use faro_domain::events::Session;
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, EntityTrait, QueryOrder, TransactionTrait};
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
    crate::refuse_invalid(items, |s| (&s.id, s.validate()))?;
    let txn = store.write().begin().await?;
    let existing: HashMap<String, Session> = Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| (m.id.clone(), to_domain(m)))
        .collect();
    let mut report = crate::institutions::ImportReport::default();
    let now = chrono::Utc::now();
    for s in items {
        let old = existing.get(&s.id);
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
        if old.is_some() {
            Entity::update(am).exec(&txn).await?;
            report.updated += 1;
            changes::record(&txn, actor, RECORD_TYPE, &s.id, "updated", &diff).await?;
        } else {
            Entity::insert(am).exec(&txn).await?;
            report.created += 1;
            changes::record(&txn, actor, RECORD_TYPE, &s.id, "created", &diff).await?;
        }
    }
    txn.commit().await?;
    Ok(report)
}
