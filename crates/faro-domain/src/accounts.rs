//! Who may do what: roles, the signed-in principal and its permissions.
//! The rules live here so that HTML forms, the JSON API and the CLI agree.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The network's secretariat: everything.
    Coordinator,
    /// Staff of one or more member institutions: only those records.
    Editor,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::Editor => "editor",
        }
    }
    pub fn from_code(s: &str) -> Option<Role> {
        match s {
            "coordinator" => Some(Role::Coordinator),
            "editor" => Some(Role::Editor),
            _ => None,
        }
    }
}

/// A signed-in user (by session or API token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: i64,
    pub email: String,
    pub role: Role,
    /// Institutions an editor may change (empty for coordinators: all).
    pub institutions: Vec<String>,
}

impl Principal {
    pub fn is_coordinator(&self) -> bool {
        self.role == Role::Coordinator
    }

    /// May create and change event series and sessions, see registrants and
    /// write to them: the network's coordinators (a series belongs to the
    /// network, not to one institution).
    pub fn can_manage_events(&self) -> bool {
        self.is_coordinator()
    }

    /// May change the records of institution `id` (its profile and, later,
    /// its measures, resources and courses).
    pub fn can_edit_institution(&self, id: &str) -> bool {
        self.is_coordinator() || self.institutions.iter().any(|i| i == id)
    }

    /// May list, add and change the course catalogues harvested for
    /// institution `id` and queue a harvest: its editors, coordinators.
    pub fn can_manage_catalogues(&self, id: &str) -> bool {
        self.can_edit_institution(id)
    }

    /// May edit knowledge-base resource `r`: coordinators, and editors of one
    /// of its institutions.
    pub fn can_edit_resource(&self, r: &crate::knowledge::Resource) -> bool {
        self.is_coordinator() || r.institutions.iter().any(|i| self.can_edit_institution(i))
    }

    /// May save a resource naming these institutions: an editor keeps at
    /// least one of their own on the record (otherwise they could not have
    /// created it, nor edit it again); coordinators name any.
    pub fn may_assign_institutions(&self, institutions: &[String]) -> bool {
        self.is_coordinator() || institutions.iter().any(|i| self.can_edit_institution(i))
    }

    /// May edit course `c`: coordinators, and editors of one of its
    /// providers (saving it must still keep one of theirs:
    /// [`Principal::may_assign_institutions`]).
    pub fn can_edit_course(&self, c: &crate::courses::Course) -> bool {
        self.is_coordinator() || c.providers.iter().any(|i| self.can_edit_institution(i))
    }

    /// May edit observatory measure `m` (its institution's editors, coordinators).
    pub fn can_edit_measure(&self, m: &crate::observatory::Measure) -> bool {
        self.can_edit_institution(&m.institution)
    }

    /// May create measures and resources: coordinators, and editors with at
    /// least one institution.
    pub fn can_create_records(&self) -> bool {
        self.is_coordinator() || !self.institutions.is_empty()
    }

    /// May change institution field `field` (see [`DIRECTORY_FIELDS`]).
    pub fn may_change_institution_field(&self, field: &str) -> bool {
        self.is_coordinator() || !DIRECTORY_FIELDS.contains(&field)
    }

    /// May change every institution field in `fields`.
    pub fn may_change_institution_fields<'a>(
        &self,
        fields: impl IntoIterator<Item = &'a str>,
    ) -> bool {
        fields
            .into_iter()
            .all(|f| self.may_change_institution_field(f))
    }

    /// The directory facts: fields of an institution only coordinators change
    /// (editors change names, website, descriptions and contact).
    pub fn may_change_directory_facts(&self) -> bool {
        self.may_change_institution_fields(DIRECTORY_FIELDS.iter().copied())
    }

    /// The name written in the change history.
    pub fn actor_name(&self) -> String {
        format!("user:{}", self.email)
    }
}

/// Institution fields only coordinators may change.
pub const DIRECTORY_FIELDS: &[&str] =
    &["acronym", "country", "kind", "member", "presenter", "note"];

pub const MIN_PASSWORD: usize = 10;
pub const MAX_PASSWORD: usize = 1024;

/// Password policy: long enough, not absurdly long (hashing cost).
pub fn check_password(p: &str) -> Result<(), &'static str> {
    let n = p.chars().count();
    if n < MIN_PASSWORD {
        Err("password_too_short")
    } else if n > MAX_PASSWORD {
        Err("password_too_long")
    } else {
        Ok(())
    }
}

/// A plausible e-mail address, normalised to lower case.
pub fn normalize_email(e: &str) -> Result<String, &'static str> {
    let e = e.trim().to_lowercase();
    let ok = e.len() <= 254
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == '"')
        && matches!(e.split_once('@'), Some((l, d)) if !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && !d.contains('@'));
    if ok { Ok(e) } else { Err("invalid_email") }
}

/// The longest display name, in characters.
pub const MAX_DISPLAY_NAME: usize = 80;

/// The public name a person chooses for their account, tidied (spaces
/// collapsed); empty means none (public pages then show the role). An
/// e-mail address is refused: the point of the name is not to publish one.
pub fn normalize_display_name(s: &str) -> Result<Option<String>, &'static str> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        Ok(None)
    } else if s.chars().count() > MAX_DISPLAY_NAME {
        Err("display_name_too_long")
    } else if s.contains('@') {
        Err("display_name_email")
    } else if s.chars().any(|c| c.is_control() || c == '<' || c == '>') {
        Err("display_name_invalid")
    } else {
        Ok(Some(s))
    }
}

/// An account named in the history's `actor` or a measure's `entered_by` /
/// `reviewed_by`: by e-mail (`user:ana@example.org`) or by id
/// (`user-link:7`, a one-time link).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountRef {
    Email(String),
    Id(i64),
}

/// The account an actor name refers to, and what follows it (e.g.
/// `" (api)"`); `None` for actors that are no account (`demo`, `cli:…`).
pub fn actor_account(actor: &str) -> Option<(AccountRef, &str)> {
    if let Some(rest) = actor.strip_prefix("user:") {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (email, tail) = rest.split_at(end);
        return (!email.is_empty()).then(|| (AccountRef::Email(email.to_lowercase()), tail));
    }
    if let Some(rest) = actor.strip_prefix("user-link:") {
        let end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (id, tail) = rest.split_at(end);
        return id.parse().ok().map(|id| (AccountRef::Id(id), tail));
    }
    None
}

/// How a person appears to the public: the name they chose, else their role;
/// `None` when nothing is known (an account that no longer exists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicPerson {
    pub display_name: Option<String>,
    pub role: Role,
}

/// An actor as the public sees it. `lookup` gives the person behind an
/// account; `role_label` names a role (`None`: staff of unknown role).
/// Accounts become their display name or role; any other text that holds
/// an `@` (an address typed into an imported file) becomes the staff label;
/// system actors (`demo`, `cli:…`) stay as they are.
pub fn public_actor(
    actor: &str,
    lookup: impl Fn(&AccountRef) -> Option<PublicPerson>,
    role_label: impl Fn(Option<Role>) -> String,
) -> String {
    match actor_account(actor) {
        Some((account, tail)) => {
            let name = match lookup(&account) {
                Some(PublicPerson {
                    display_name: Some(n),
                    ..
                }) => n,
                Some(p) => role_label(Some(p.role)),
                None => role_label(None),
            };
            if tail.contains('@') || tail.trim().is_empty() {
                name
            } else {
                format!("{name}{tail}")
            }
        }
        None if actor.contains('@') => role_label(None),
        None => actor.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions() {
        let ed = Principal {
            user_id: 1,
            email: "a@sena.edu.co".into(),
            role: Role::Editor,
            institutions: vec!["sena".into()],
        };
        assert!(ed.can_edit_institution("sena"));
        assert!(!ed.can_edit_institution("senai"));
        let co = Principal {
            role: Role::Coordinator,
            institutions: vec![],
            ..ed
        };
        assert!(co.can_edit_institution("senai"));
    }

    #[test]
    fn resource_measure_and_field_rules() {
        let ed = Principal {
            user_id: 1,
            email: "a@sena.edu.co".into(),
            role: Role::Editor,
            institutions: vec!["sena".into()],
        };
        let co = Principal {
            role: Role::Coordinator,
            institutions: vec![],
            ..ed.clone()
        };
        let nobody = Principal {
            institutions: vec![],
            ..ed.clone()
        };
        let mut r = crate::knowledge::Resource {
            institutions: vec!["senai".into(), "sena".into()],
            ..Default::default()
        };
        assert!(ed.can_edit_resource(&r));
        assert!(co.can_edit_resource(&r));
        r.institutions = vec!["senai".into()];
        assert!(!ed.can_edit_resource(&r));
        assert!(co.can_edit_resource(&r));
        r.institutions.clear();
        assert!(
            !ed.can_edit_resource(&r),
            "no institution: coordinators only"
        );
        assert!(co.can_edit_resource(&r));

        assert!(ed.may_assign_institutions(&["sena".into(), "inadeh".into()]));
        assert!(!ed.may_assign_institutions(&["inadeh".into()]));
        assert!(!ed.may_assign_institutions(&[]));
        assert!(co.may_assign_institutions(&[]));

        let m = crate::observatory::Measure {
            institution: "sena".into(),
            ..Default::default()
        };
        assert!(ed.can_edit_measure(&m));
        assert!(co.can_edit_measure(&m));
        assert!(!nobody.can_edit_measure(&m));

        assert!(ed.can_create_records());
        assert!(co.can_create_records());
        assert!(!nobody.can_create_records());

        for f in DIRECTORY_FIELDS {
            assert!(!ed.may_change_institution_field(f), "{f}");
            assert!(co.may_change_institution_field(f), "{f}");
        }
        assert!(ed.may_change_institution_fields(["name_es", "website", "description_pt"]));
        assert!(!ed.may_change_institution_fields(["name_es", "acronym"]));
        assert!(!ed.may_change_directory_facts());
        assert!(co.may_change_directory_facts());
    }

    #[test]
    fn emails_and_passwords() {
        assert_eq!(
            normalize_email(" Ana@Example.ORG ").unwrap(),
            "ana@example.org"
        );
        for bad in [
            "", "a", "a@b", "a@@b.c", "<a@b.c>", "a b@c.d", "a@.b", "a@b.",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
        assert!(check_password("short").is_err());
        assert!(check_password("long enough pass").is_ok());
        assert!(check_password(&"x".repeat(2000)).is_err());
    }

    #[test]
    fn display_names() {
        assert_eq!(normalize_display_name("  "), Ok(None));
        assert_eq!(
            normalize_display_name("  Ana   María "),
            Ok(Some("Ana María".into()))
        );
        assert_eq!(
            normalize_display_name("ana@example.org"),
            Err("display_name_email")
        );
        assert_eq!(
            normalize_display_name(&"x".repeat(81)),
            Err("display_name_too_long")
        );
        assert_eq!(normalize_display_name("a<b>"), Err("display_name_invalid"));
    }

    #[test]
    fn actors_never_show_an_address() {
        let lookup = |a: &AccountRef| match a {
            AccountRef::Email(e) if e == "ana@x.org" => Some(PublicPerson {
                display_name: Some("Ana".into()),
                role: Role::Editor,
            }),
            AccountRef::Email(e) if e == "bo@x.org" => Some(PublicPerson {
                display_name: None,
                role: Role::Coordinator,
            }),
            AccountRef::Id(7) => Some(PublicPerson {
                display_name: None,
                role: Role::Editor,
            }),
            _ => None,
        };
        let label = |r: Option<Role>| r.map(|r| r.code()).unwrap_or("staff").to_string();
        let show = |a: &str| public_actor(a, lookup, label);
        assert_eq!(show("user:ana@x.org"), "Ana");
        assert_eq!(show("user:ANA@x.org (api)"), "Ana (api)");
        assert_eq!(show("user:bo@x.org"), "coordinator");
        assert_eq!(show("user-link:7"), "editor");
        assert_eq!(show("user:gone@x.org"), "staff");
        assert_eq!(show("someone@x.org"), "staff");
        assert_eq!(show("demo"), "demo");
        assert_eq!(show(""), "");
        assert_eq!(
            actor_account("user:ana@x.org (api)"),
            Some((AccountRef::Email("ana@x.org".into()), " (api)"))
        );
        assert_eq!(actor_account("cli:root"), None);
    }
}
