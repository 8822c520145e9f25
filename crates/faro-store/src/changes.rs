//! The change history every area shares: one row per changed field.
//! Areas describe their records as `(field, value)` pairs; this module diffs
//! them and writes the rows inside the caller's transaction.

use crate::Result;
use crate::entity::change_log;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

pub type Fields = Vec<(&'static str, Option<String>)>;

/// One field's difference between two versions of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Fields whose value differs. `old` is `None` for a record being created.
pub fn diff(old: Option<&Fields>, new: &Fields) -> Vec<FieldChange> {
    new.iter()
        .filter_map(|(field, new_v)| {
            let old_v = old.and_then(|o| {
                o.iter()
                    .find(|(f, _)| f == field)
                    .and_then(|(_, v)| v.clone())
            });
            let new_v = new_v.clone().filter(|v| !v.is_empty());
            let old_v = old_v.filter(|v| !v.is_empty());
            (old_v != new_v).then_some(FieldChange {
                field,
                old: old_v,
                new: new_v,
            })
        })
        .collect()
}

/// Who did something and why; attached to every change row.
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: String,
    pub reason: Option<String>,
    pub change_set: String,
}

impl Actor {
    pub fn new(name: impl Into<String>, reason: Option<String>) -> Self {
        let now = chrono::Utc::now();
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Actor {
            name: name.into(),
            reason,
            change_set: format!(
                "{}-{}-{seq}",
                now.format("%Y%m%dT%H%M%S%.6f"),
                std::process::id()
            ),
        }
    }
}

pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    record_type: &str,
    record_id: &str,
    action: &str,
    changes: &[FieldChange],
) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let at = chrono::Utc::now();
    let rows = changes.iter().map(|c| change_log::ActiveModel {
        id: NotSet,
        change_set: Set(actor.change_set.clone()),
        record_type: Set(record_type.to_string()),
        record_id: Set(record_id.to_string()),
        action: Set(action.to_string()),
        field: Set(c.field.to_string()),
        old_value: Set(c.old.clone()),
        new_value: Set(c.new.clone()),
        actor: Set(actor.name.clone()),
        reason: Set(actor.reason.clone()),
        at: Set(at),
    });
    change_log::Entity::insert_many(rows).exec(db).await?;
    // Same transaction: search learns of every committed change, never of
    // a rolled-back one.
    crate::outbox::notify(db, record_type, record_id).await?;
    Ok(())
}

/// History rows and outbox rows of many records, written in batches inside
/// the caller's transaction ([`Batch::flush`]): an import of 100,000 records
/// costs a few hundred statements, not 200,000.
#[derive(Default)]
pub struct Batch {
    rows: Vec<Vec<sea_orm::Value>>,
    outbox: Vec<Vec<sea_orm::Value>>,
}

const HISTORY_COLUMNS: [&str; 10] = [
    "change_set",
    "record_type",
    "record_id",
    "action",
    "field",
    "old_value",
    "new_value",
    "actor",
    "reason",
    "at",
];

/// The `field` of a history row that holds a whole created record: its
/// fields as a JSON array of `[field, value]` pairs, in order. Readers
/// ([`history`], [`of_type_after`], the audit log) expand it into one row
/// per field, so the history shows a creation exactly as before; an import
/// of 100,000 records writes 100,000 history rows instead of millions.
pub const WHOLE_RECORD: &str = "*";

/// Expands compact creation rows into one row per field.
pub fn expand(rows: Vec<change_log::Model>) -> Vec<change_log::Model> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        if r.field != WHOLE_RECORD {
            out.push(r);
            continue;
        }
        let pairs: Vec<(String, Option<String>)> = r
            .new_value
            .as_deref()
            .and_then(|v| serde_json::from_str(v).ok())
            .unwrap_or_default();
        for (field, value) in pairs {
            out.push(change_log::Model {
                field,
                old_value: None,
                new_value: value,
                ..r.clone()
            });
        }
    }
    out
}

impl Batch {
    pub fn add(
        &mut self,
        actor: &Actor,
        record_type: &str,
        record_id: &str,
        action: &str,
        changes: &[FieldChange],
    ) {
        if changes.is_empty() {
            return;
        }
        let at = chrono::Utc::now();
        if action == "created" {
            let pairs: Vec<(&str, &Option<String>)> =
                changes.iter().map(|c| (c.field, &c.new)).collect();
            self.rows.push(vec![
                actor.change_set.clone().into(),
                record_type.into(),
                record_id.into(),
                action.into(),
                WHOLE_RECORD.into(),
                None::<String>.into(),
                serde_json::to_string(&pairs).ok().into(),
                actor.name.clone().into(),
                actor.reason.clone().into(),
                at.into(),
            ]);
            self.outbox
                .push(vec![record_type.into(), record_id.into(), at.into()]);
            return;
        }
        self.rows.extend(changes.iter().map(|c| {
            vec![
                actor.change_set.clone().into(),
                record_type.into(),
                record_id.into(),
                action.into(),
                c.field.into(),
                c.old.clone().into(),
                c.new.clone().into(),
                actor.name.clone().into(),
                actor.reason.clone().into(),
                at.into(),
            ]
        }));
        self.outbox
            .push(vec![record_type.into(), record_id.into(), at.into()]);
    }

    pub async fn flush<C: ConnectionTrait>(self, db: &C) -> Result<()> {
        crate::list::insert_rows(db, "change_log", &HISTORY_COLUMNS, &self.rows).await?;
        crate::list::insert_rows(
            db,
            "search_outbox",
            &["record_type", "record_id", "at"],
            &self.outbox,
        )
        .await
    }
}

/// One history row written as is (no outbox: records that are not
/// searchable, e.g. a registration's state or an export in the audit log).
#[allow(clippy::too_many_arguments)]
pub async fn insert_row<C: ConnectionTrait>(
    db: &C,
    record_type: &str,
    record_id: &str,
    action: &str,
    field: &str,
    old: Option<String>,
    new: Option<String>,
    actor: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    crate::list::insert_rows(
        db,
        "change_log",
        &HISTORY_COLUMNS,
        &[vec![
            crate::accounts::random_token().into(),
            record_type.into(),
            record_id.into(),
            action.into(),
            field.into(),
            old.into(),
            new.into(),
            actor.into(),
            None::<String>.into(),
            at.into(),
        ]],
    )
    .await
}

/// The history of one record, oldest first.
pub async fn history(
    store: &crate::Store,
    record_type: &str,
    record_id: &str,
) -> Result<Vec<change_log::Model>> {
    Ok(expand(
        change_log::Entity::find()
            .filter(change_log::Column::RecordType.eq(record_type))
            .filter(change_log::Column::RecordId.eq(record_id))
            .order_by_asc(change_log::Column::Id)
            .all(store.read())
            .await?,
    ))
}

/// One record's changes recorded with a reason that starts with `prefix`
/// (e.g. `correction #12:`), oldest first: the record's history, narrowed
/// in the query.
pub async fn history_with_reason(
    store: &crate::Store,
    record_type: &str,
    record_id: &str,
    prefix: &str,
) -> Result<Vec<change_log::Model>> {
    Ok(expand(
        change_log::Entity::find()
            .filter(change_log::Column::RecordType.eq(record_type))
            .filter(change_log::Column::RecordId.eq(record_id))
            .filter(change_log::Column::Reason.starts_with(prefix))
            .order_by_asc(change_log::Column::Id)
            .all(store.read())
            .await?,
    ))
}

/// Changes to records of one type after the change `after` (by id), at most
/// `limit`, oldest first: the seek behind the streamed changes file.
pub async fn of_type_after(
    store: &crate::Store,
    record_type: &str,
    after: i64,
    limit: u64,
) -> Result<Vec<change_log::Model>> {
    use sea_orm::QuerySelect;
    Ok(expand(
        change_log::Entity::find()
            .filter(change_log::Column::RecordType.eq(record_type))
            .filter(change_log::Column::Id.gt(after))
            .order_by_asc(change_log::Column::Id)
            .limit(limit)
            .all(store.read())
            .await?,
    ))
}

/// The version a *create* passes: no stored version equals it, so if the
/// id was taken between choosing it and writing (another create won the
/// race), the write is [`crate::StoreError::Conflict`] instead of an update
/// of someone else's record.
pub const NEW_RECORD: &str = "new";

/// The version (`updated_at` as RFC 3339) an editor started from, against
/// the one just read: a different one is [`crate::StoreError::Conflict`].
/// No expectation, or no record yet, passes.
pub fn check_version(
    expected: Option<&str>,
    seen: Option<chrono::DateTime<chrono::Utc>>,
) -> crate::Result<()> {
    match (expected, seen) {
        (Some(v), Some(at)) if v != at.to_rfc3339() => Err(crate::StoreError::Conflict),
        _ => Ok(()),
    }
}

/// Runs an update filtered on the `updated_at` a transaction read; no row
/// updated means someone saved in between: [`StoreError::Conflict`].
pub async fn update_if_unchanged<A>(
    txn: &sea_orm::DatabaseTransaction,
    update: sea_orm::ValidatedUpdateOne<A>,
) -> crate::Result<()>
where
    A: sea_orm::ActiveModelTrait + Send,
    <A::Entity as sea_orm::EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    match update.exec(txn).await {
        Ok(_) => Ok(()),
        Err(sea_orm::DbErr::RecordNotUpdated) => Err(crate::StoreError::Conflict),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_ignores_equal_and_empty_vs_none() {
        let old: Fields = vec![
            ("a", Some("1".into())),
            ("b", None),
            ("c", Some("x".into())),
        ];
        let new: Fields = vec![
            ("a", Some("1".into())),
            ("b", Some(String::new())),
            ("c", Some("y".into())),
        ];
        let d = diff(Some(&old), &new);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field, "c");
        assert_eq!(diff(None, &new).len(), 2);
    }
}
