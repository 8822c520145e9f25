//! Interface strings from the Fluent files in `locales/{es,en,pt}/`.
//! Every user-facing string goes through here; the files are compiled in.

use faro_domain::Lang;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ES: LanguageIdentifier = langid!("es");
static EN: LanguageIdentifier = langid!("en");
static PT: LanguageIdentifier = langid!("pt");

fn id(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::Es => &ES,
        Lang::En => &EN,
        Lang::Pt => &PT,
    }
}

/// The string `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> String {
    LOCALES.lookup(id(lang), key)
}

/// The string `key` in `lang` with named arguments.
pub fn t_args(lang: Lang, key: &str, args: &[(&'static str, FluentArg)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| {
            let v = match v {
                FluentArg::Str(s) => FluentValue::from(s.clone()),
                FluentArg::Num(n) => FluentValue::from(*n),
            };
            (Cow::Borrowed(*k), v)
        })
        .collect();
    LOCALES.lookup_with_args(id(lang), key, &map)
}

#[derive(Debug, Clone)]
pub enum FluentArg {
    Str(String),
    Num(i64),
}

impl From<&str> for FluentArg {
    fn from(s: &str) -> Self {
        FluentArg::Str(s.to_string())
    }
}
impl From<String> for FluentArg {
    fn from(s: String) -> Self {
        FluentArg::Str(s)
    }
}
impl From<u64> for FluentArg {
    fn from(n: u64) -> Self {
        FluentArg::Num(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// The label of an institution kind.
pub fn kind_label(lang: Lang, kind: &str) -> String {
    t(lang, &format!("kind-{}", kind.replace('_', "-")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(lang: &str) -> BTreeSet<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../locales/");
        let text = std::fs::read_to_string(format!("{dir}{lang}/main.ftl")).unwrap();
        text.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap().trim().to_string())
            .collect()
    }

    #[test]
    fn every_key_exists_in_all_three_languages() {
        let en = ids("en");
        assert!(en.len() > 40);
        for lang in ["es", "pt"] {
            let other = ids(lang);
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang}: missing {missing:?}, extra {extra:?}"
            );
        }
    }

    #[test]
    fn lookups_differ_by_language() {
        assert_eq!(t(Lang::Es, "nav-institutions"), "Instituciones");
        assert_eq!(t(Lang::En, "nav-institutions"), "Institutions");
        assert_eq!(t(Lang::Pt, "nav-institutions"), "Instituições");
        assert_eq!(
            t_args(Lang::En, "directory-total", &[("count", FluentArg::Num(1))]),
            "1 organisation"
        );
        for k in faro_domain::InstitutionKind::ALL {
            for l in Lang::ALL {
                let label = kind_label(l, k.code());
                assert!(!label.starts_with("kind-") && !label.is_empty(), "{label}");
            }
        }
    }
}
