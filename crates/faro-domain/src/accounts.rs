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

    /// May change the records of institution `id` (its profile and, later,
    /// its measures, resources and courses).
    pub fn can_edit_institution(&self, id: &str) -> bool {
        self.is_coordinator() || self.institutions.iter().any(|i| i == id)
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
}
