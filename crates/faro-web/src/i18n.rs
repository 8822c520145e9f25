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

/// A day as people read it, in words and never wrapped: "26 de marzo de
/// 2020", "26 March 2020", "26 de março de 2020" (no-break spaces). ISO
/// stays in data, APIs, attributes and JSON-LD.
pub fn day(lang: Lang, d: chrono::NaiveDate) -> String {
    crate::reports::date(lang, d).replace(' ', "\u{a0}")
}

/// A moment: its day in words and the time, "26 de marzo de 2020, 14:05 UTC".
pub fn moment(lang: Lang, t: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "{}, {}\u{a0}UTC",
        day(lang, t.date_naive()),
        t.format("%H:%M")
    )
}

/// A record's date as given (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) in words:
/// "2020", "marzo de 2020", "26 de marzo de 2020"; anything else as it is.
pub fn partial_date(lang: Lang, v: &str) -> String {
    use chrono::NaiveDate;
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d")
        && v.len() == 10
    {
        return day(lang, d);
    }
    if v.len() == 7
        && let Some((y, m)) = v.split_once('-')
        && let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u32>())
        && (1..=12).contains(&m)
    {
        return t_args(
            lang,
            "date-month-year",
            &[
                (
                    "month",
                    FluentArg::Str(t(lang, &format!("report-month-{m}"))),
                ),
                ("year", FluentArg::Str(y.to_string())),
            ],
        )
        .replace(' ', "\u{a0}");
    }
    v.to_string()
}

/// The string `key` in `lang`, or `None` when no file has it.
pub fn maybe(lang: Lang, key: &str) -> Option<String> {
    LOCALES.try_lookup(id(lang), key)
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

    /// Every message that selects on a number (`{ $count -> … }`), with the
    /// variable it selects on, read from the `.ftl` files of `lang`.
    fn counted(lang: &str) -> Vec<(String, String, String)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../locales/");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(format!("{dir}{lang}")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("ftl") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut key = String::new();
            let mut lines = text.lines().peekable();
            while let Some(l) = lines.next() {
                if !l.starts_with(' ') && !l.starts_with('#') && l.contains(" =") {
                    key = l.split(" =").next().unwrap().trim().to_string();
                }
                if let Some(at) = l.find("{ $")
                    && l.trim_end().ends_with("->")
                {
                    let var = l[at + 3..].split_whitespace().next().unwrap().to_string();
                    let mut block = String::new();
                    while let Some(v) = lines.peek() {
                        if v.trim_start().starts_with('}') {
                            break;
                        }
                        block.push_str(lines.next().unwrap());
                        block.push('\n');
                    }
                    out.push((key.clone(), var, block));
                }
            }
        }
        out.sort();
        out
    }

    /// Zero reads as a plural in Spanish, English and Portuguese (Fluent's
    /// CLDR rules put 0 in `one` for Portuguese, hence the explicit `[0]`
    /// variant), one as a singular, many as a plural: in every counted
    /// message of every language.
    #[test]
    fn counted_messages_say_zero_one_and_many() {
        let en: Vec<String> = counted("en").into_iter().map(|c| c.0).collect();
        assert!(en.contains(&"search-total".to_string()) && en.len() >= 10);
        for lang in Lang::ALL {
            let msgs = counted(lang.code());
            let keys: Vec<&String> = msgs.iter().map(|c| &c.0).collect();
            assert_eq!(keys, en.iter().collect::<Vec<_>>(), "{lang}");
            for (key, var, block) in &msgs {
                assert!(
                    block.lines().any(|v| v.trim_start().starts_with("[0]")),
                    "{lang} {key}: no [0] variant"
                );
                let var: &'static str = Box::leak(var.clone().into_boxed_str());
                let say = |n: i64| t_args(lang, key, &[(var, FluentArg::Num(n))]);
                let (zero, one, many) = (say(0), say(1), say(7));
                assert!(!many.is_empty() && many != *key, "{lang} {key}");
                assert_eq!(
                    zero,
                    many.replace('7', "0"),
                    "{lang} {key}: zero is not the plural"
                );
                assert_ne!(
                    one,
                    many.replace('7', "1"),
                    "{lang} {key}: one is not the singular"
                );
                assert_eq!(say(7), many);
                assert_eq!(say(2), many.replace('7', "2"), "{lang} {key}: two");
            }
        }
        assert_eq!(
            t_args(Lang::Pt, "search-total", &[("count", FluentArg::Num(0))]),
            "0 resultados"
        );
        assert_eq!(
            t_args(Lang::Pt, "directory-total", &[("count", FluentArg::Num(0))]),
            "0 organizações"
        );
    }
}
