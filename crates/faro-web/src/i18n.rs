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
/// The message of a store error's code in `lang` (`code` overrides the
/// error's own, for tests); a reference names its field and target.
pub fn store_error_message(lang: Lang, e: &faro_store::StoreError, code: &str) -> String {
    let (field, target) = match e {
        faro_store::StoreError::Reference { field, target, .. } => {
            (t(lang, &format!("ref-field-{field}")), target.clone())
        }
        _ => (String::new(), String::new()),
    };
    t_args(
        lang,
        &format!("err-code-{code}"),
        &[
            ("field", FluentArg::Str(field)),
            ("target", FluentArg::Str(target)),
        ],
    )
}

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
        // Every `.ftl` file of the language (an area may keep its own file,
        // e.g. `events.ftl`); a key is named with its file so a key moved to
        // another file in one language only is caught too.
        let mut keys = BTreeSet::new();
        for entry in std::fs::read_dir(format!("{dir}{lang}")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("ftl") {
                continue;
            }
            let file = path.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            for l in text.lines() {
                if !l.starts_with(' ') && !l.starts_with('#') && l.contains(" =") {
                    let key = l.split(" =").next().unwrap().trim();
                    assert!(keys.insert(key.to_string()), "{lang}: {key} defined twice");
                    keys.insert(format!("{file}:{key}"));
                }
            }
        }
        keys
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
    fn every_store_error_code_has_a_message_in_every_language() {
        let mut seen = std::collections::HashSet::new();
        for code in faro_store::ERROR_CODES {
            assert!(seen.insert(code), "{code} listed twice");
            let key = format!("err-code-{code}");
            for lang in ["es", "en", "pt"] {
                assert!(ids(lang).contains(&key), "{lang}: no message for {code}");
            }
            let msgs: std::collections::HashSet<String> = Lang::ALL
                .iter()
                .map(|l| store_error_message(*l, &faro_store::StoreError::NotFound, code))
                .collect();
            assert_eq!(msgs.len(), 3, "{code}: the three languages must differ");
        }
        // Every variant's code is listed.
        let samples = [
            faro_store::StoreError::NotFound,
            faro_store::StoreError::Conflict,
            faro_store::StoreError::Invalid("x".into()),
            faro_store::StoreError::Reference {
                record: "r".into(),
                field: "measure",
                target: "m".into(),
            },
            faro_store::StoreError::Rule("not_submitted"),
            faro_store::StoreError::Io(std::io::Error::other("x")),
        ];
        for e in samples {
            assert!(faro_store::ERROR_CODES.contains(&e.code()), "{}", e.code());
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
