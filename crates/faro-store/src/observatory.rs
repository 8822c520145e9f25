//! The observatory's measures: reads, filters with facet counts, and
//! all-or-nothing writes that record every changed field.

use crate::changes::{self, Actor, Fields};
use crate::entity::measure::{self, Column, Entity};
use crate::{Result, Store, StoreError};
use faro_domain::observatory::{self as obs, Measure};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use std::collections::HashMap;

pub const RECORD_TYPE: &str = "measure";

fn split(v: &str) -> Vec<String> {
    v.split(';')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

pub fn to_domain(m: measure::Model) -> Measure {
    Measure {
        id: m.id,
        institution: m.institution,
        country: m.country,
        crisis: m.crisis,
        categories: split(&m.categories),
        log_type: m.log_type,
        announced_date: m.announced_date,
        start_date: m.start_date,
        end_date: m.end_date,
        target_groups: split(&m.target_groups),
        scope_level: m.scope_level,
        scope_targeting: m.scope_targeting,
        original_language: m.original_language,
        title_es: m.title_es,
        title_en: m.title_en,
        title_pt: m.title_pt,
        description_es: m.description_es,
        description_en: m.description_en,
        description_pt: m.description_pt,
        source_url: m.source_url,
        source_type: m.source_type,
        source_title: m.source_title,
        source_accessed: m.source_accessed,
        status: m.status,
        notes: m.notes,
        entered_by: m.entered_by,
        reviewed_by: m.reviewed_by,
        last_reviewed: m.last_reviewed,
    }
}

/// The record as history sees it: every field, in the CSV's column order.
pub fn fields(m: &Measure) -> Fields {
    let values = faro_formats::measures_csv::row(m);
    faro_formats::measures_csv::COLUMNS
        .iter()
        .zip(values)
        .skip(1)
        .map(|(k, v)| (*k, Some(v)))
        .collect()
}

fn active(m: &Measure, now: chrono::DateTime<chrono::Utc>) -> measure::ActiveModel {
    measure::ActiveModel {
        id: Set(m.id.clone()),
        institution: Set(m.institution.clone()),
        country: Set(m.country.clone()),
        crisis: Set(m.crisis.clone()),
        categories: Set(m.categories.join(";")),
        log_type: Set(m.log_type.clone()),
        announced_date: Set(m.announced_date.clone()),
        start_date: Set(m.start_date.clone()),
        end_date: Set(m.end_date.clone()),
        target_groups: Set(m.target_groups.join(";")),
        scope_level: Set(m.scope_level.clone()),
        scope_targeting: Set(m.scope_targeting.clone()),
        original_language: Set(m.original_language.clone()),
        title_es: Set(m.title_es.clone()),
        title_en: Set(m.title_en.clone()),
        title_pt: Set(m.title_pt.clone()),
        description_es: Set(m.description_es.clone()),
        description_en: Set(m.description_en.clone()),
        description_pt: Set(m.description_pt.clone()),
        source_url: Set(m.source_url.clone()),
        source_type: Set(m.source_type.clone()),
        source_title: Set(m.source_title.clone()),
        source_accessed: Set(m.source_accessed.clone()),
        status: Set(m.status.clone()),
        notes: Set(m.notes.clone()),
        entered_by: Set(m.entered_by.clone()),
        reviewed_by: Set(m.reviewed_by.clone()),
        last_reviewed: Set(m.last_reviewed.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: NotSet,
    }
}

/// Every published measure (not deleted, not a draft), by id: what
/// visitors, the API, exports and search see.
pub async fn all(store: &Store) -> Result<Vec<Measure>> {
    Ok(Entity::find()
        .filter(Column::DeletedAt.is_null())
        .filter(Column::Status.ne("draft"))
        .order_by_asc(Column::Id)
        .all(store.read())
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

/// A published measure.
pub async fn get(store: &Store, id: &str) -> Result<Measure> {
    get_any(store, id)
        .await?
        .filter(|m| m.status != "draft")
        .ok_or(StoreError::NotFound)
}

/// A live measure whatever its status (drafts included), for its editors.
pub async fn get_any(store: &Store, id: &str) -> Result<Option<Measure>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(store.read())
        .await?
        .filter(|m| m.deleted_at.is_none())
        .map(to_domain))
}

/// When a measure last changed (the version an edit form was opened at).
pub async fn version(store: &Store, id: &str) -> Result<Option<String>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(store.read())
        .await?
        .map(|m| m.updated_at.to_rfc3339()))
}

/// Live measures in the editorial workflow: drafts and submitted ones, for
/// the given institutions (`None`: all, for coordinators).
pub async fn in_workflow(store: &Store, institutions: Option<&[String]>) -> Result<Vec<Measure>> {
    let mut q = Entity::find()
        .filter(Column::DeletedAt.is_null())
        .filter(Column::Status.is_in(["draft", "submitted"]));
    if let Some(list) = institutions {
        q = q.filter(Column::Institution.is_in(list.to_vec()));
    }
    Ok(q.order_by_asc(Column::Id)
        .all(store.read())
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

pub async fn for_institution(store: &Store, institution: &str) -> Result<Vec<Measure>> {
    Ok(Entity::find()
        .filter(Column::DeletedAt.is_null())
        .filter(Column::Status.ne("draft"))
        .filter(Column::Institution.eq(institution))
        .order_by_asc(Column::Id)
        .all(store.read())
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

/// Observatory filters: each narrows; values within one facet are alternatives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub country: Vec<String>,
    pub institution: Vec<String>,
    /// Codes (`C2`) or whole categories (`C`).
    pub category: Vec<String>,
    pub target_group: Vec<String>,
    pub status: Vec<String>,
    /// Start year, or `unknown`.
    pub year: Vec<String>,
}

pub use crate::facets::FacetCounts;

pub const FACETS: [&str; 6] = [
    "country",
    "institution",
    "category",
    "target_group",
    "status",
    "year",
];

fn facet_values(m: &Measure, facet: &str) -> Vec<String> {
    match facet {
        "country" => vec![m.country.clone().unwrap_or_else(|| "none".into())],
        "institution" => vec![m.institution.clone()],
        "category" => m.categories.clone(),
        "target_group" => m.target_groups.clone(),
        "status" => vec![m.status.clone()],
        "year" => vec![
            m.start_year()
                .map(|y| y.to_string())
                .unwrap_or_else(|| "unknown".into()),
        ],
        _ => vec![],
    }
}

impl Filter {
    /// The filter as (facet, value) pairs.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let lists: [(&str, &Vec<String>); 6] = [
            ("country", &self.country),
            ("institution", &self.institution),
            ("category", &self.category),
            ("target_group", &self.target_group),
            ("status", &self.status),
            ("year", &self.year),
        ];
        lists
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.to_string(), v.clone())))
            .collect()
    }
}

/// A category letter (`C`) selects every code in it (`C1`…`C6`).
fn category_match(facet: &str, wanted: &str, have: &str) -> bool {
    wanted == have || (facet == "category" && wanted.len() == 1 && have.starts_with(wanted))
}

const MEASURE_FACETS: crate::facets::Facets<Measure> = crate::facets::Facets {
    names: &FACETS,
    values: facet_values,
    matches: category_match,
};

/// The matching measures and, per facet, counts computed without that
/// facet's own filter. Filtering runs in memory: the network's measures
/// number in the thousands, not millions (full text goes through search).
pub fn filter(all: &[Measure], f: &Filter) -> (Vec<Measure>, FacetCounts) {
    MEASURE_FACETS.filter(all, &f.pairs())
}

/// Creates or updates `items` in one transaction (all or nothing),
/// recording every changed field. Institutions must exist.
/// Creates or updates measures in one transaction (imports, demo data,
/// reviews): all or nothing, history per field, unchanged ones untouched.
pub async fn upsert_all(
    store: &Store,
    items: &[Measure],
    actor: &Actor,
) -> Result<crate::institutions::ImportReport> {
    upsert(store, items, actor, None).await
}

/// Saves one measure from an edit form. With `expected` (the version the
/// editor started from) a measure changed since is refused with
/// [`StoreError::Conflict`].
pub async fn save(
    store: &Store,
    item: &Measure,
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    upsert(store, std::slice::from_ref(item), actor, expected).await
}

async fn upsert(
    store: &Store,
    items: &[Measure],
    actor: &Actor,
    expected: Option<&str>,
) -> Result<crate::institutions::ImportReport> {
    let codebook = obs::current();
    crate::refuse_invalid(items, |m| (&m.id, m.validate(codebook)))?;
    let txn = store.write().begin().await?;
    let known = crate::ids_in(&txn, "institution").await?;
    for m in items {
        if !known.contains(&m.institution) {
            return Err(StoreError::Invalid(format!(
                "{}: unknown institution {:?}",
                m.id, m.institution
            )));
        }
    }
    let existing: HashMap<String, (Measure, chrono::DateTime<chrono::Utc>)> = Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| {
            let at = m.updated_at;
            (m.id.clone(), (to_domain(m), at))
        })
        .collect();
    let mut report = crate::institutions::ImportReport::default();
    let now = chrono::Utc::now();
    for m in items {
        let seen = existing.get(&m.id).map(|(_, at)| *at);
        changes::check_version(expected, seen)?;
        let old = existing.get(&m.id).map(|(m, _)| m);
        let mut m = m.clone();
        if m.entered_by.is_empty() {
            m.entered_by = old
                .map(|o| o.entered_by.clone())
                .unwrap_or_else(|| actor.name.clone());
        }
        let diff = changes::diff(old.map(fields).as_ref(), &fields(&m));
        if old.is_some() && diff.is_empty() {
            report.unchanged += 1;
            continue;
        }
        let mut am = active(&m, now);
        if let Some(seen) = seen {
            am.created_at = NotSet;
            // Only over the version read above: a concurrent save in between
            // makes this whole write fail instead of being overwritten.
            crate::changes::update_if_unchanged(
                &txn,
                Entity::update(am)
                    .validate()?
                    .filter(Column::UpdatedAt.eq(seen)),
            )
            .await?;
            report.updated += 1;
            changes::record(&txn, actor, RECORD_TYPE, &m.id, "updated", &diff).await?;
        } else {
            Entity::insert(am).exec(&txn).await?;
            report.created += 1;
            changes::record(&txn, actor, RECORD_TYPE, &m.id, "created", &diff).await?;
        }
    }
    txn.commit().await?;
    Ok(report)
}
