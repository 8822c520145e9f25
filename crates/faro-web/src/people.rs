//! People as the public sees them: the history keeps who did what as it was
//! written (`user:ana@example.org`), and every public output maps those
//! actors, and a measure's `entered_by` / `reviewed_by`, to the name the
//! person chose or their role at output time (never an e-mail address).
//! Only coordinators' audit log shows the stored actors.

use crate::i18n;
use faro_domain::Lang;
use faro_domain::accounts::{self, AccountRef, PublicPerson, Role};
use faro_domain::observatory::Measure;
use std::collections::HashMap;

/// Fields of a measure that name a person (their history values too).
pub const PERSON_FIELDS: [&str; 2] = ["entered_by", "reviewed_by"];

/// The public names of the accounts behind the actors of one page (or one
/// part of a file), looked up in one query.
#[derive(Debug, Default)]
pub struct People(HashMap<AccountRef, PublicPerson>);

impl People {
    /// Looks up the accounts these actors name (others need no lookup).
    pub async fn of<'a>(
        store: &faro_store::Store,
        actors: impl IntoIterator<Item = &'a str>,
    ) -> Result<People, faro_store::StoreError> {
        let refs: Vec<AccountRef> = actors
            .into_iter()
            .filter_map(|a| accounts::actor_account(a).map(|(r, _)| r))
            .collect();
        if refs.is_empty() {
            return Ok(People::default());
        }
        Ok(People(
            faro_store::accounts::public_people(store, &refs).await?,
        ))
    }

    /// For measures: the people in `entered_by` and `reviewed_by`.
    pub async fn of_measures(
        store: &faro_store::Store,
        items: &[Measure],
    ) -> Result<People, faro_store::StoreError> {
        People::of(
            store,
            items
                .iter()
                .flat_map(|m| [m.entered_by.as_str(), m.reviewed_by.as_str()]),
        )
        .await
    }

    /// For history rows: their actors, and the values of person fields.
    pub async fn of_changes(
        store: &faro_store::Store,
        rows: &[faro_store::entity::change_log::Model],
    ) -> Result<People, faro_store::StoreError> {
        People::of(
            store,
            rows.iter().flat_map(|c| {
                let person = PERSON_FIELDS.contains(&c.field.as_str());
                [
                    Some(c.actor.as_str()),
                    c.old_value.as_deref().filter(|_| person),
                    c.new_value.as_deref().filter(|_| person),
                ]
                .into_iter()
                .flatten()
            }),
        )
        .await
    }

    /// An actor's public name in `lang` (open-data files and the API use
    /// English role words).
    pub fn name(&self, lang: Lang, actor: &str) -> String {
        accounts::public_actor(actor, |a| self.0.get(a).cloned(), |r| role_label(lang, r))
    }

    /// A history value of `field`: mapped if the field names a person.
    pub fn value(&self, lang: Lang, field: &str, v: Option<String>) -> Option<String> {
        match v {
            Some(v) if PERSON_FIELDS.contains(&field) => Some(self.name(lang, &v)),
            v => v,
        }
    }

    /// The measure with its people replaced by their public names.
    pub fn measure(&self, lang: Lang, mut m: Measure) -> Measure {
        m.entered_by = self.name(lang, &m.entered_by);
        m.reviewed_by = self.name(lang, &m.reviewed_by);
        m
    }

    /// A history row with its actor and person values replaced.
    pub fn change(
        &self,
        lang: Lang,
        mut c: faro_store::entity::change_log::Model,
    ) -> faro_store::entity::change_log::Model {
        c.actor = self.name(lang, &c.actor);
        c.old_value = self.value(lang, &c.field, c.old_value.take());
        c.new_value = self.value(lang, &c.field, c.new_value.take());
        c
    }
}

/// A role as the public reads it; `None`: staff whose account is unknown.
pub fn role_label(lang: Lang, role: Option<Role>) -> String {
    i18n::t(
        lang,
        match role {
            Some(Role::Coordinator) => "actor-coordinator",
            Some(Role::Editor) => "actor-editor",
            None => "actor-staff",
        },
    )
}

/// Measures with public names, for one page or one part of a file.
pub async fn public_measures(
    store: &faro_store::Store,
    lang: Lang,
    items: Vec<Measure>,
) -> Result<Vec<Measure>, faro_store::StoreError> {
    let people = People::of_measures(store, &items).await?;
    Ok(items.into_iter().map(|m| people.measure(lang, m)).collect())
}

/// A frozen release file as the public may see it. Releases frozen before
/// public names held e-mail addresses in person columns (`entered_by`,
/// `reviewed_by`, the changes' `actor` and person values); those cells are
/// mapped at output time like the live files, and the stored bytes never
/// change. A file with no such cell is served byte for byte.
pub async fn public_release_file(
    store: &faro_store::Store,
    name: &str,
    text: String,
) -> Result<String, faro_store::StoreError> {
    if !text.contains('@') {
        return Ok(text);
    }
    match name {
        "measures.csv" | "measures-changes.csv" => public_csv(store, text).await,
        "measures.json" => public_json(store, text).await,
        _ => Ok(text),
    }
}

/// The cells of a measures or changes CSV record that name a person.
fn person_cells(header: &csv::StringRecord, row: &csv::StringRecord) -> Vec<usize> {
    let col = |n: &str| header.iter().position(|h| h == n);
    let mut cells: Vec<usize> = ["entered_by", "reviewed_by", "actor"]
        .iter()
        .filter_map(|n| col(n))
        .collect();
    if let Some(f) = col("field")
        && row.get(f).is_some_and(|v| PERSON_FIELDS.contains(&v))
    {
        cells.extend(["old_value", "new_value"].iter().filter_map(|n| col(n)));
    }
    cells
}

async fn public_csv(
    store: &faro_store::Store,
    text: String,
) -> Result<String, faro_store::StoreError> {
    let bad = |e: csv::Error| faro_store::StoreError::Invalid(e.to_string());
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .map_err(bad)?;
    let Some(header) = records.first().cloned() else {
        return Ok(text);
    };
    let mut named = std::collections::BTreeSet::new();
    for r in &records[1..] {
        for i in person_cells(&header, r) {
            if let Some(v) = r.get(i).filter(|v| v.contains('@')) {
                named.insert(v.to_string());
            }
        }
    }
    if named.is_empty() {
        return Ok(text);
    }
    let people = People::of(store, named.iter().map(String::as_str)).await?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    w.write_record(&header).map_err(bad)?;
    for r in &records[1..] {
        let cells = person_cells(&header, r);
        let row: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, v)| {
                if cells.contains(&i) && v.contains('@') {
                    people.name(Lang::En, v)
                } else {
                    v.to_string()
                }
            })
            .collect();
        w.write_record(&row).map_err(bad)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| faro_store::StoreError::Invalid(e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

async fn public_json(
    store: &faro_store::Store,
    text: String,
) -> Result<String, faro_store::StoreError> {
    let Ok(items) = serde_json::from_str::<Vec<serde_json::Value>>(&text) else {
        return Ok(text);
    };
    let named: std::collections::BTreeSet<String> = items
        .iter()
        .flat_map(|m| PERSON_FIELDS.iter().filter_map(move |f| m[*f].as_str()))
        .filter(|v| v.contains('@'))
        .map(String::from)
        .collect();
    if named.is_empty() {
        return Ok(text);
    }
    let people = People::of(store, named.iter().map(String::as_str)).await?;
    let mut out = text;
    for v in &named {
        let (Ok(from), Ok(to)) = (
            serde_json::to_string(v),
            serde_json::to_string(&people.name(Lang::En, v)),
        ) else {
            continue;
        };
        // Whole JSON strings only (a person field's value, quotes included).
        out = out.replace(&from, &to);
    }
    Ok(out)
}
