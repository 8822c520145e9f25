//! Member institutions and other organisations of the network directory.

use crate::{FieldError, Lang, country};
use serde::{Deserialize, Serialize};

/// What sort of organisation this is. The snake_case code is stable: it is
/// used in URLs, CSV files and the JSON API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    TrainingInstitution,
    MinistryAgency,
    SocialPartner,
    InternationalBody,
    University,
    FoundationNgo,
    Other,
}

impl InstitutionKind {
    pub const ALL: [InstitutionKind; 7] = [
        InstitutionKind::TrainingInstitution,
        InstitutionKind::MinistryAgency,
        InstitutionKind::SocialPartner,
        InstitutionKind::InternationalBody,
        InstitutionKind::University,
        InstitutionKind::FoundationNgo,
        InstitutionKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            InstitutionKind::TrainingInstitution => "training_institution",
            InstitutionKind::MinistryAgency => "ministry_agency",
            InstitutionKind::SocialPartner => "social_partner",
            InstitutionKind::InternationalBody => "international_body",
            InstitutionKind::University => "university",
            InstitutionKind::FoundationNgo => "foundation_ngo",
            InstitutionKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One organisation. `id` is a stable slug (acronyms are not unique).
/// Names are kept per language; an empty name means "not known in that
/// language", never a translation made up by the software.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    pub id: String,
    pub acronym: String,
    pub name_es: String,
    pub name_en: String,
    pub name_pt: String,
    /// ISO 3166-1 alpha-2; `None` for international bodies or when unknown.
    pub country: Option<String>,
    pub kind: InstitutionKind,
    /// In the network's member list.
    pub member: bool,
    /// Presented in the videoconference series.
    pub presenter: bool,
    pub website: Option<String>,
    /// Editorial note, e.g. where the sources contradict each other.
    pub note: Option<String>,
    /// Profile text per language, kept by the institution's editors.
    #[serde(default)]
    pub description_es: Option<String>,
    #[serde(default)]
    pub description_en: Option<String>,
    #[serde(default)]
    pub description_pt: Option<String>,
    /// Public contact address.
    #[serde(default)]
    pub contact_email: Option<String>,
}

pub const MAX_ID: usize = 64;
pub const MAX_SHORT: usize = 120;
pub const MAX_NAME: usize = 300;
pub const MAX_NOTE: usize = 2000;
pub const MAX_DESCRIPTION: usize = 5000;

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control())
}

impl Institution {
    /// The name to show in `lang`: that language's name if known, otherwise
    /// the first known name (es, pt, en), otherwise the acronym.
    pub fn display_name(&self, lang: Lang) -> &str {
        let own = match lang {
            Lang::Es => &self.name_es,
            Lang::En => &self.name_en,
            Lang::Pt => &self.name_pt,
        };
        [own, &self.name_es, &self.name_pt, &self.name_en]
            .into_iter()
            .find(|n| !n.is_empty())
            .map(String::as_str)
            .unwrap_or(&self.acronym)
    }

    /// Which language the displayed name is in, so pages can mark it with
    /// `lang=` when it differs from the page's.
    pub fn display_name_lang(&self, lang: Lang) -> Lang {
        let pairs = [
            (lang, self.name_in(lang)),
            (Lang::Es, &self.name_es),
            (Lang::Pt, &self.name_pt),
            (Lang::En, &self.name_en),
        ];
        pairs
            .into_iter()
            .find(|(_, n)| !n.is_empty())
            .map(|(l, _)| l)
            .unwrap_or(lang)
    }

    pub fn description_in(&self, lang: Lang) -> Option<&String> {
        match lang {
            Lang::Es => self.description_es.as_ref(),
            Lang::En => self.description_en.as_ref(),
            Lang::Pt => self.description_pt.as_ref(),
        }
    }

    pub fn name_in(&self, lang: Lang) -> &String {
        match lang {
            Lang::Es => &self.name_es,
            Lang::En => &self.name_en,
            Lang::Pt => &self.name_pt,
        }
    }

    /// Trims text fields and turns empty optionals into `None`.
    pub fn normalize(&mut self) {
        for s in [
            &mut self.id,
            &mut self.acronym,
            &mut self.name_es,
            &mut self.name_en,
            &mut self.name_pt,
        ] {
            *s = s.trim().to_string();
        }
        for o in [
            &mut self.country,
            &mut self.website,
            &mut self.note,
            &mut self.description_es,
            &mut self.description_en,
            &mut self.description_pt,
            &mut self.contact_email,
        ] {
            if let Some(v) = o {
                let t = v.trim().to_string();
                *o = if t.is_empty() { None } else { Some(t) };
            }
        }
    }

    /// Every rule a stored institution must satisfy. Returns all problems,
    /// not just the first, so an import can report them together.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        if self.id.is_empty() {
            errs.push(FieldError::new("id", "required", &self.id));
        } else if !is_slug(&self.id) {
            errs.push(FieldError::new("id", "invalid_slug", &self.id));
        }
        if self.acronym.is_empty() {
            errs.push(FieldError::new("acronym", "required", &self.acronym));
        }
        let texts: [(&'static str, &str, usize); 4] = [
            ("acronym", &self.acronym, MAX_SHORT),
            ("name_es", &self.name_es, MAX_NAME),
            ("name_en", &self.name_en, MAX_NAME),
            ("name_pt", &self.name_pt, MAX_NAME),
        ];
        for (field, v, max) in texts {
            if v.chars().count() > max {
                errs.push(FieldError::new(field, "too_long", v));
            }
            if has_control(v) {
                errs.push(FieldError::new(field, "control_chars", v));
            }
        }
        if let Some(c) = &self.country
            && country::by_code(c).is_none()
        {
            errs.push(FieldError::new("country", "unknown_country", c));
        }
        if let Some(w) = &self.website {
            let lower = w.to_ascii_lowercase();
            let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
                && w.len() > 8
                && w.len() <= 500
                && !w.chars().any(|c| c.is_whitespace() || c.is_control());
            if !ok {
                errs.push(FieldError::new("website", "invalid_url", w));
            }
        }
        let long_texts: [(&'static str, &Option<String>, usize); 4] = [
            ("note", &self.note, MAX_NOTE),
            ("description_es", &self.description_es, MAX_DESCRIPTION),
            ("description_en", &self.description_en, MAX_DESCRIPTION),
            ("description_pt", &self.description_pt, MAX_DESCRIPTION),
        ];
        for (field, v, max) in long_texts {
            if let Some(n) = v {
                if n.chars().count() > max {
                    errs.push(FieldError::new(field, "too_long", n));
                }
                if n.chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                {
                    errs.push(FieldError::new(field, "control_chars", n));
                }
            }
        }
        if let Some(e) = &self.contact_email
            && crate::accounts::normalize_email(e).is_err()
        {
            errs.push(FieldError::new("contact_email", "invalid_email", e));
        }
        errs
    }

    /// The rules of a profile saved by a person (the edit form, the API):
    /// [`Institution::validate`] and a name in at least one language. Source
    /// files may lack names (the demo data keeps the report's gaps), but a
    /// profile is not saved again without one.
    pub fn validate_profile(&self) -> Vec<FieldError> {
        let mut errs = self.validate();
        if [&self.name_es, &self.name_en, &self.name_pt]
            .iter()
            .all(|n| n.trim().is_empty())
        {
            errs.push(FieldError::new("name_es", "needs_name", ""));
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Institution {
        Institution {
            id: "sena".into(),
            acronym: "SENA".into(),
            name_es: String::new(),
            name_en: "National Learning Service".into(),
            name_pt: String::new(),
            country: Some("CO".into()),
            kind: InstitutionKind::TrainingInstitution,
            member: true,
            presenter: true,
            website: None,
            note: None,
            description_es: None,
            description_en: None,
            description_pt: None,
            contact_email: None,
        }
    }

    #[test]
    fn valid_sample_passes() {
        assert!(sample().validate().is_empty());
    }

    #[test]
    fn rejects_bad_fields() {
        let mut i = sample();
        i.id = "Bad Id".into();
        i.country = Some("XX".into());
        i.website = Some("javascript:alert(1)".into());
        i.name_en = "a\u{7}b".into();
        let codes: Vec<_> = i.validate().iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            vec![
                "invalid_slug",
                "control_chars",
                "unknown_country",
                "invalid_url"
            ]
        );
    }

    #[test]
    fn slugs() {
        assert!(is_slug("iefp-cv"));
        assert!(is_slug("cfp-401"));
        assert!(!is_slug("-a"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("A"));
        assert!(!is_slug(""));
    }

    #[test]
    fn display_name_falls_back() {
        let i = sample();
        assert_eq!(i.display_name(Lang::Es), "National Learning Service");
        assert_eq!(i.display_name_lang(Lang::Es), Lang::En);
        let mut j = sample();
        j.name_en.clear();
        assert_eq!(j.display_name(Lang::Pt), "SENA");
        for k in InstitutionKind::ALL {
            assert_eq!(InstitutionKind::from_code(k.code()), Some(k));
        }
    }

    #[test]
    fn a_profile_needs_a_name_in_one_language() {
        let mut i = sample();
        assert!(i.validate_profile().is_empty());
        i.name_en = "  ".into();
        assert!(i.validate().is_empty(), "source files may lack names");
        let codes: Vec<_> = i
            .validate_profile()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(codes, vec![("name_es", "needs_name")]);
        i.name_pt = "Serviço Nacional de Aprendizagem".into();
        assert!(i.validate_profile().is_empty());
    }
}
