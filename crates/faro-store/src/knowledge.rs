//! The knowledge base's resources: reads, facet filtering and all-or-nothing
//! writes with history.

use crate::changes::{self, Actor, Fields};
use crate::entity::resource::{self, Column, Entity};
use crate::{Result, Store, StoreError};
use faro_domain::knowledge::Resource;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use std::collections::HashMap;

pub const RECORD_TYPE: &str = "resource";

fn split(v: &str) -> Vec<String> {
    v.split(';')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// A resource with the time it last changed (for feeds and sitemaps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub resource: Resource,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

fn to_stored(m: resource::Model) -> Stored {
    Stored {
        created_at: m.created_at,
        updated_at: m.updated_at,
        resource: Resource {
            id: m.id,
            resource_type: m.resource_type,
            institutions: split(&m.institutions),
            countries: split(&m.countries),
            languages: split(&m.languages),
            topics: split(&m.topics),
            audience: split(&m.audience),
            license: m.license,
            published: m.published,
            url: m.url,
            title_es: m.title_es,
            title_en: m.title_en,
            title_pt: m.title_pt,
            description_es: m.description_es,
            description_en: m.description_en,
            description_pt: m.description_pt,
            original_language: m.original_language,
            notes: m.notes,
            identifiers: split(&m.identifiers),
            related_measures: split(&m.related_measures),
            related_sessions: split(&m.related_sessions),
        },
    }
}

pub fn fields(r: &Resource) -> Fields {
    vec![
        ("type", Some(r.resource_type.clone())),
        ("institutions", Some(r.institutions.join(";"))),
        ("countries", Some(r.countries.join(";"))),
        ("languages", Some(r.languages.join(";"))),
        ("topics", Some(r.topics.join(";"))),
        ("audience", Some(r.audience.join(";"))),
        ("license", Some(r.license.clone())),
        ("published", Some(r.published.clone())),
        ("url", Some(r.url.clone())),
        ("title_es", Some(r.title_es.clone())),
        ("title_en", Some(r.title_en.clone())),
        ("title_pt", Some(r.title_pt.clone())),
        ("description_es", Some(r.description_es.clone())),
        ("description_en", Some(r.description_en.clone())),
        ("description_pt", Some(r.description_pt.clone())),
        ("original_language", Some(r.original_language.clone())),
        ("notes", Some(r.notes.clone())),
        ("identifiers", Some(r.identifiers.join(";"))),
        ("related_measures", Some(r.related_measures.join(";"))),
        ("related_sessions", Some(r.related_sessions.join(";"))),
    ]
}

/// Every live resource, newest change first.
pub async fn all(store: &Store) -> Result<Vec<Stored>> {
    Ok(Entity::find()
        .filter(Column::DeletedAt.is_null())
        .order_by_desc(Column::UpdatedAt)
        .order_by_asc(Column::Id)
        .all(store.read())
        .await?
        .into_iter()
        .map(to_stored)
        .collect())
}

/// Every resource including deleted ones (with their deletion time), oldest
/// change first: what OAI-PMH harvesters see (deletedRecord=persistent).
pub async fn all_for_harvest(
    store: &Store,
) -> Result<Vec<(Stored, Option<chrono::DateTime<chrono::Utc>>)>> {
    Ok(Entity::find()
        .order_by_asc(Column::UpdatedAt)
        .order_by_asc(Column::Id)
        .all(store.read())
        .await?
        .into_iter()
        .map(|m| {
            let deleted = m.deleted_at;
            (to_stored(m), deleted)
        })
        .collect())
}

/// Soft-deletes (`deleted == true`) or restores a resource. A deleted
/// resource stays for harvesters as a deleted record. Recorded in the history.
pub async fn set_deleted(store: &Store, id: &str, deleted: bool, actor: &Actor) -> Result<()> {
    let txn = store.write().begin().await?;
    let m = Entity::find_by_id(id.to_string())
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    if m.deleted_at.is_some() == deleted {
        return Ok(());
    }
    let now = chrono::Utc::now();
    let old = m.deleted_at.map(|d| d.to_rfc3339());
    let mut am: resource::ActiveModel = m.into();
    am.deleted_at = Set(deleted.then_some(now));
    am.updated_at = Set(now);
    Entity::update(am).exec(&txn).await?;
    let change = changes::FieldChange {
        field: "deleted_at",
        old,
        new: deleted.then(|| now.to_rfc3339()),
    };
    let action = if deleted { "deleted" } else { "restored" };
    changes::record(&txn, actor, RECORD_TYPE, id, action, &[change]).await?;
    txn.commit().await?;
    Ok(())
}

/// A resource whether or not it is deleted (editors, restore), with its
/// deletion time.
pub async fn get_any(
    store: &Store,
    id: &str,
) -> Result<Option<(Stored, Option<chrono::DateTime<chrono::Utc>>)>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(store.read())
        .await?
        .map(|m| {
            let deleted = m.deleted_at;
            (to_stored(m), deleted)
        }))
}

/// Deleted resources, most recently deleted first (coordinators restore them).
pub async fn deleted(store: &Store) -> Result<Vec<(Stored, chrono::DateTime<chrono::Utc>)>> {
    Ok(Entity::find()
        .filter(Column::DeletedAt.is_not_null())
        .order_by_desc(Column::DeletedAt)
        .all(store.read())
        .await?
        .into_iter()
        .filter_map(|m| {
            let d = m.deleted_at?;
            Some((to_stored(m), d))
        })
        .collect())
}

/// Live resources that name `measure` or `session` among their relations.
pub fn related_to<'a>(all: &'a [Stored], field: &str, id: &str) -> Vec<&'a Stored> {
    all.iter()
        .filter(|s| match field {
            "measure" => s.resource.related_measures.iter().any(|m| m == id),
            "session" => s.resource.related_sessions.iter().any(|m| m == id),
            "institution" => s.resource.institutions.iter().any(|m| m == id),
            _ => false,
        })
        .collect()
}

pub async fn get(store: &Store, id: &str) -> Result<Stored> {
    Entity::find_by_id(id.to_string())
        .one(store.read())
        .await?
        .filter(|m| m.deleted_at.is_none())
        .map(to_stored)
        .ok_or(StoreError::NotFound)
}

pub const FACETS: [&str; 7] = [
    "type",
    "topic",
    "institution",
    "country",
    "language",
    "license",
    "year",
];

pub fn facet_values(r: &Resource, facet: &str) -> Vec<String> {
    match facet {
        "type" => vec![r.resource_type.clone()],
        "topic" => r.topics.clone(),
        "institution" => r.institutions.clone(),
        "country" => r.countries.clone(),
        "language" => r.languages.clone(),
        "license" => vec![if r.license.is_empty() {
            "unknown".into()
        } else {
            r.license.clone()
        }],
        "year" => vec![
            r.year()
                .map(|y| y.to_string())
                .unwrap_or_else(|| "unknown".into()),
        ],
        _ => vec![],
    }
}

const RESOURCE_FACETS: crate::facets::Facets<Stored> = crate::facets::Facets {
    names: &FACETS,
    values: |s, f| facet_values(&s.resource, f),
    matches: crate::facets::equal,
};

/// Matching resources and per-facet counts (each without its own filter).
pub fn filter(
    all: &[Stored],
    wanted: &[(String, String)],
) -> (Vec<Stored>, crate::facets::FacetCounts) {
    RESOURCE_FACETS.filter(all, wanted)
}

/// Creates or updates resources in one transaction (imports, demo data):
/// all or nothing, history per field, unchanged ones untouched.
pub async fn upsert_all(
    store: &Store,
    items: &[Resource],
    actor: &Actor,
) -> Result<crate::institutions::ImportReport> {
    upsert(store, items, actor, None).await
}

/// Saves one resource from an edit form. With `expected` (the version the
/// editor started from) a resource changed since is refused with
/// [`StoreError::Conflict`].
pub async fn save(
    store: &Store,
    item: &Resource,
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    upsert(store, std::slice::from_ref(item), actor, expected).await
}

async fn upsert(
    store: &Store,
    items: &[Resource],
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    let codebook = faro_domain::observatory::current();
    crate::refuse_invalid(items, |r| (&r.id, r.validate(codebook)))?;
    let txn = store.write().begin().await?;
    let known = crate::ids_in(&txn, "institution").await?;
    let measures = crate::ids_in(&txn, "measure").await?;
    let sessions = crate::ids_in(&txn, "event_session").await?;
    for r in items {
        if let Some(bad) = r.institutions.iter().find(|i| !known.contains(*i)) {
            return Err(StoreError::Invalid(format!(
                "{}: unknown institution {bad:?}",
                r.id
            )));
        }
        if let Some(bad) = r.related_measures.iter().find(|m| !measures.contains(*m)) {
            return Err(StoreError::Invalid(format!(
                "{}: unknown measure {bad:?}",
                r.id
            )));
        }
        if let Some(bad) = r.related_sessions.iter().find(|s| !sessions.contains(*s)) {
            return Err(StoreError::Invalid(format!(
                "{}: unknown session {bad:?}",
                r.id
            )));
        }
    }
    let existing: HashMap<String, Stored> = Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| (m.id.clone(), to_stored(m)))
        .collect();
    let mut report = crate::institutions::ImportReport::default();
    let now = chrono::Utc::now();
    for r in items {
        let seen = existing.get(&r.id).map(|s| s.updated_at);
        changes::check_version(expected, seen)?;
        let old = existing.get(&r.id).map(|s| &s.resource);
        let diff = changes::diff(old.map(fields).as_ref(), &fields(r));
        if old.is_some() && diff.is_empty() {
            report.unchanged += 1;
            continue;
        }
        let am = resource::ActiveModel {
            id: Set(r.id.clone()),
            resource_type: Set(r.resource_type.clone()),
            institutions: Set(r.institutions.join(";")),
            countries: Set(r.countries.join(";")),
            languages: Set(r.languages.join(";")),
            topics: Set(r.topics.join(";")),
            audience: Set(r.audience.join(";")),
            license: Set(r.license.clone()),
            published: Set(r.published.clone()),
            url: Set(r.url.clone()),
            title_es: Set(r.title_es.clone()),
            title_en: Set(r.title_en.clone()),
            title_pt: Set(r.title_pt.clone()),
            description_es: Set(r.description_es.clone()),
            description_en: Set(r.description_en.clone()),
            description_pt: Set(r.description_pt.clone()),
            original_language: Set(r.original_language.clone()),
            notes: Set(r.notes.clone()),
            identifiers: Set(r.identifiers.join(";")),
            related_measures: Set(r.related_measures.join(";")),
            related_sessions: Set(r.related_sessions.join(";")),
            created_at: if old.is_some() { NotSet } else { Set(now) },
            updated_at: Set(now),
            deleted_at: NotSet,
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
            changes::record(&txn, actor, RECORD_TYPE, &r.id, "updated", &diff).await?;
        } else {
            Entity::insert(am).exec(&txn).await?;
            report.created += 1;
            changes::record(&txn, actor, RECORD_TYPE, &r.id, "created", &diff).await?;
        }
    }
    txn.commit().await?;
    Ok(report)
}
