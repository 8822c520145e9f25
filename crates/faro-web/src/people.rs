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
