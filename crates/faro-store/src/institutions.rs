//! The network directory: queries and writes for institutions.

use crate::changes::{self, Actor, Fields};
use crate::entity::institution::{self, Column, Entity};
use crate::{Result, Store, StoreError};
use faro_domain::{Institution, InstitutionKind};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use std::collections::HashMap;

pub const RECORD_TYPE: &str = "institution";

/// Directory filters. Every field narrows the list; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub country: Option<String>,
    pub kind: Option<InstitutionKind>,
    pub member: Option<bool>,
    pub presenter: Option<bool>,
    /// Case-insensitive substring of the acronym or any name.
    pub q: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FacetValue {
    /// `None` stands for "no country" (international bodies, unknown).
    pub value: Option<String>,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Facets {
    pub country: Vec<FacetValue>,
    pub kind: Vec<FacetValue>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub organisations: u64,
    pub members: u64,
    pub member_countries: u64,
    pub presenters: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Conditions for `filter`, leaving out the facet named in `except` so that
/// a facet's counts show what choosing each of its values would give.
fn condition(filter: &Filter, except: Option<&str>, q_ids: Option<&[String]>) -> Condition {
    let mut cond = Condition::all().add(Column::DeletedAt.is_null());
    if except != Some("country")
        && let Some(c) = &filter.country
    {
        cond = if c == "none" {
            cond.add(Column::Country.is_null())
        } else {
            cond.add(Column::Country.eq(c.as_str()))
        };
    }
    if except != Some("kind")
        && let Some(k) = filter.kind
    {
        cond = cond.add(Column::Kind.eq(k.code()));
    }
    if let Some(m) = filter.member {
        cond = cond.add(Column::Member.eq(m));
    }
    if let Some(p) = filter.presenter {
        cond = cond.add(Column::Presenter.eq(p));
    }
    if let Some(ids) = q_ids {
        cond = cond.add(Column::Id.is_in(ids.iter().cloned()));
    }
    cond
}

pub fn to_domain(m: institution::Model) -> Institution {
    Institution {
        id: m.id,
        acronym: m.acronym,
        name_es: m.name_es,
        name_en: m.name_en,
        name_pt: m.name_pt,
        country: m.country,
        kind: InstitutionKind::from_code(&m.kind).unwrap_or(InstitutionKind::Other),
        member: m.member,
        presenter: m.presenter,
        website: m.website,
        note: m.note,
        description_es: m.description_es,
        description_en: m.description_en,
        description_pt: m.description_pt,
        contact_email: m.contact_email,
    }
}

/// The record as history sees it: every editable field, as text.
pub fn fields(i: &Institution) -> Fields {
    vec![
        ("acronym", Some(i.acronym.clone())),
        ("name_es", Some(i.name_es.clone())),
        ("name_en", Some(i.name_en.clone())),
        ("name_pt", Some(i.name_pt.clone())),
        ("country", i.country.clone()),
        ("kind", Some(i.kind.code().to_string())),
        ("member", Some(i.member.to_string())),
        ("presenter", Some(i.presenter.to_string())),
        ("website", i.website.clone()),
        ("note", i.note.clone()),
        ("description_es", i.description_es.clone()),
        ("description_en", i.description_en.clone()),
        ("description_pt", i.description_pt.clone()),
        ("contact_email", i.contact_email.clone()),
    ]
}

/// A page of institutions sorted by acronym, and the total matching.
pub async fn list(
    store: &Store,
    filter: &Filter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<Institution>, u64)> {
    let q_ids = matching_ids(store, filter).await?;
    let query = Entity::find()
        .filter(condition(filter, None, q_ids.as_deref()))
        .order_by_asc(Expr::expr(Func::lower(Expr::col(Column::Acronym))))
        .order_by_asc(Column::Id);
    let paginator = query.paginate(store.read(), Ord::max(per_page, 1));
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page.saturating_sub(1)).await?;
    Ok((items.into_iter().map(to_domain).collect(), total))
}

/// Every institution not deleted, sorted by id (stable order for exports).
pub async fn all(store: &Store) -> Result<Vec<Institution>> {
    Ok(Entity::find()
        .filter(Column::DeletedAt.is_null())
        .order_by_asc(Column::Id)
        .all(store.read())
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

/// Acronyms of the given institutions (deleted ones too, so old records
/// still show a name): an indexed lookup of only what a page shows.
pub async fn acronyms(
    store: &Store,
    ids: &[String],
) -> Result<std::collections::HashMap<String, String>> {
    let mut out = std::collections::HashMap::new();
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    for chunk in ids.chunks(500) {
        for m in Entity::find()
            .filter(Column::Id.is_in(chunk.to_vec()))
            .all(store.read())
            .await?
        {
            out.insert(m.id, m.acronym);
        }
    }
    Ok(out)
}

/// The given institutions (deleted ones too, so old records still show a
/// name), by id: an indexed lookup of only what a page shows.
pub async fn many(store: &Store, ids: &[String]) -> Result<Vec<Institution>> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            Entity::find()
                .filter(Column::Id.is_in(chunk.to_vec()))
                .order_by_asc(Column::Id)
                .all(store.read())
                .await?
                .into_iter()
                .map(to_domain),
        );
    }
    Ok(out)
}

/// A live (not deleted) institution.
pub async fn get(store: &Store, id: &str) -> Result<Institution> {
    match get_with_state(store, id).await? {
        (i, None) => Ok(i),
        (_, Some(_)) => Err(StoreError::NotFound),
    }
}

/// When an institution last changed (the version an edit form was opened at).
pub async fn version(store: &Store, id: &str) -> Result<Option<String>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(store.read())
        .await?
        .map(|m| m.updated_at.to_rfc3339()))
}

/// An institution and, if it was deleted, when.
pub async fn get_with_state(
    store: &Store,
    id: &str,
) -> Result<(Institution, Option<chrono::DateTime<chrono::Utc>>)> {
    let m = Entity::find_by_id(id.to_string())
        .one(store.read())
        .await?
        .ok_or(StoreError::NotFound)?;
    let deleted = m.deleted_at;
    Ok((to_domain(m), deleted))
}

/// Deleted institutions, newest deletion first (for coordinators).
pub async fn deleted(store: &Store) -> Result<Vec<(Institution, chrono::DateTime<chrono::Utc>)>> {
    Ok(Entity::find()
        .filter(Column::DeletedAt.is_not_null())
        .order_by_desc(Column::DeletedAt)
        .all(store.read())
        .await?
        .into_iter()
        .filter_map(|m| {
            let at = m.deleted_at?;
            Some((to_domain(m), at))
        })
        .collect())
}

/// Saves one edited institution (it must exist). Returns the changed fields;
/// nothing is written when nothing changed.
/// Saves an edited institution. With `expected` (the `version` the editor
/// started from), a record changed since then is refused with
/// [`StoreError::Conflict`], atomically on both backends: the update only
/// applies where `updated_at` is still the one read in this transaction.
pub async fn update(
    store: &Store,
    item: &Institution,
    actor: &Actor,
    expected: Option<&str>,
) -> Result<Vec<changes::FieldChange>> {
    // A profile saved by a person: a name in at least one language too.
    let errs = item.validate_profile();
    if !errs.is_empty() {
        let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        return Err(StoreError::Invalid(msgs.join("; ")));
    }
    let txn = store.write().begin().await?;
    let old = Entity::find_by_id(item.id.clone())
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let seen = old.updated_at;
    changes::check_version(expected, Some(seen))?;
    let diff = changes::diff(Some(&fields(&to_domain(old))), &fields(item));
    if diff.is_empty() {
        return Ok(diff);
    }
    let mut am = active(item, chrono::Utc::now());
    am.created_at = sea_orm::ActiveValue::NotSet;
    changes::update_if_unchanged(
        &txn,
        Entity::update(am)
            .validate()?
            .filter(Column::UpdatedAt.eq(seen)),
    )
    .await?;
    changes::record(&txn, actor, RECORD_TYPE, &item.id, "updated", &diff).await?;
    if diff.iter().any(|d| d.field == "country") {
        crate::courses::notify_provided_by(&txn, &item.id).await?;
    }
    txn.commit().await?;
    Ok(diff)
}

/// Soft delete (`deleted == true`) or restore. Recorded in the history.
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
    let new_value = deleted.then(|| now.to_rfc3339());
    let mut am: institution::ActiveModel = m.into();
    am.deleted_at = Set(deleted.then_some(now));
    am.updated_at = Set(now);
    Entity::update(am).exec(&txn).await?;
    let change = changes::FieldChange {
        field: "deleted_at",
        old,
        new: new_value,
    };
    let action = if deleted { "deleted" } else { "restored" };
    changes::record(&txn, actor, RECORD_TYPE, id, action, &[change]).await?;
    txn.commit().await?;
    Ok(())
}

fn active(item: &Institution, now: chrono::DateTime<chrono::Utc>) -> institution::ActiveModel {
    institution::ActiveModel {
        id: Set(item.id.clone()),
        acronym: Set(item.acronym.clone()),
        name_es: Set(item.name_es.clone()),
        name_en: Set(item.name_en.clone()),
        name_pt: Set(item.name_pt.clone()),
        country: Set(item.country.clone()),
        kind: Set(item.kind.code().to_string()),
        member: Set(item.member),
        presenter: Set(item.presenter),
        website: Set(item.website.clone()),
        note: Set(item.note.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        description_es: Set(item.description_es.clone()),
        description_en: Set(item.description_en.clone()),
        description_pt: Set(item.description_pt.clone()),
        contact_email: Set(item.contact_email.clone()),
        deleted_at: sea_orm::ActiveValue::NotSet,
        search_text: Set(Some(search_text(&[
            &item.id,
            &item.acronym,
            &item.name_es,
            &item.name_en,
            &item.name_pt,
        ]))),
    }
}

#[derive(Debug, FromQueryResult)]
struct Bucket {
    value: Option<String>,
    count: i64,
}

/// The ids whose acronym, id or a name contains the text filter, compared
/// without case or accents ("formacao" finds "Formação"); `None` without one.
/// The directory holds hundreds of rows, so this runs in memory.
/// The folded text the directory's `q` filter searches: id, acronym and
/// names, lower case without accents, separated by newlines.
pub fn search_text(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| faro_domain::fold(p))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Ids of live institutions whose folded id, acronym or names contain the
/// folded `q`: a `LIKE` on `search_text` (wildcards in `q` are escaped).
async fn matching_ids(store: &Store, filter: &Filter) -> Result<Option<Vec<String>>> {
    let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    let q = faro_domain::fold(q);
    let escaped: String = q
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    use sea_orm::ConnectionTrait;
    let db = store.read();
    let mut sql = crate::list::Sql::new(db.get_database_backend());
    sql.push("SELECT id FROM institution WHERE deleted_at IS NULL AND search_text LIKE ")
        .bind(format!("%{escaped}%"))
        .push(" ESCAPE '\\'");
    Ok(Some(
        db.query_all_raw(sql.statement())
            .await?
            .iter()
            .map(|r| r.try_get::<String>("", "id"))
            .collect::<std::result::Result<_, _>>()?,
    ))
}

async fn facet(
    store: &Store,
    filter: &Filter,
    q_ids: Option<&[String]>,
    name: &str,
    col: Column,
) -> Result<Vec<FacetValue>> {
    let rows = Entity::find()
        .select_only()
        .column_as(col, "value")
        .column_as(Expr::col(Column::Id).count(), "count")
        .filter(condition(filter, Some(name), q_ids))
        .group_by(col)
        .into_model::<Bucket>()
        .all(store.read())
        .await?;
    let mut out: Vec<FacetValue> = rows
        .into_iter()
        .map(|b| FacetValue {
            value: b.value,
            count: u64::try_from(b.count).unwrap_or(0),
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    Ok(out)
}

/// Counts per facet value, each facet computed without its own filter.
pub async fn facets(store: &Store, filter: &Filter) -> Result<Facets> {
    let q_ids = matching_ids(store, filter).await?;
    Ok(Facets {
        country: facet(store, filter, q_ids.as_deref(), "country", Column::Country).await?,
        kind: facet(store, filter, q_ids.as_deref(), "kind", Column::Kind).await?,
    })
}

pub async fn summary(store: &Store) -> Result<Summary> {
    let db = store.read();
    let organisations = Entity::find().count(db).await?;
    let members = Entity::find()
        .filter(Column::Member.eq(true))
        .count(db)
        .await?;
    let presenters = Entity::find()
        .filter(Column::Presenter.eq(true))
        .count(db)
        .await?;
    let member_countries = Entity::find()
        .select_only()
        .column(Column::Country)
        .filter(Column::Member.eq(true))
        .filter(Column::Country.is_not_null())
        .distinct()
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .len() as u64;
    Ok(Summary {
        organisations,
        members,
        member_countries,
        presenters,
    })
}

/// Creates or updates `items` (keyed by id) in one transaction, recording
/// every changed field. Items must already be validated. Items absent from
/// the batch are left alone: an import never deletes.
pub async fn upsert_all(
    store: &Store,
    items: &[Institution],
    actor: &Actor,
) -> Result<ImportReport> {
    for i in items {
        let errs = i.validate();
        if !errs.is_empty() {
            let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
            return Err(StoreError::Invalid(format!(
                "{}: {}",
                i.id,
                msgs.join("; ")
            )));
        }
    }
    let txn = store.write().begin().await?;
    let existing: HashMap<String, Institution> = Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| (m.id.clone(), to_domain(m)))
        .collect();
    let mut report = ImportReport::default();
    let now = chrono::Utc::now();
    for item in items {
        let old = existing.get(&item.id);
        let new_fields = fields(item);
        let old_fields = old.map(fields);
        let diff = changes::diff(old_fields.as_ref(), &new_fields);
        if old.is_some() && diff.is_empty() {
            report.unchanged += 1;
            continue;
        }
        let mut model = active(item, now);
        if old.is_some() {
            model.created_at = sea_orm::ActiveValue::NotSet;
        }
        if old.is_some() {
            Entity::update(model).exec(&txn).await?;
            report.updated += 1;
            changes::record(&txn, actor, RECORD_TYPE, &item.id, "updated", &diff).await?;
            if diff.iter().any(|d| d.field == "country") {
                crate::courses::notify_provided_by(&txn, &item.id).await?;
            }
        } else {
            Entity::insert(model).exec(&txn).await?;
            report.created += 1;
            changes::record(&txn, actor, RECORD_TYPE, &item.id, "created", &diff).await?;
        }
    }
    txn.commit().await?;
    Ok(report)
}
