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

    /// The name written in the change history.
    pub fn actor_name(&self) -> String {
        format!("user:{}", self.email)
    }
}

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
