//! OAI-PMH 2.0 as bytes: identifiers, datestamps, `from`/`until` dates,
//! stateless resumption tokens, sets, record headers, `oai_dc` metadata and
//! the envelope. The protocol (verbs, arguments, errors, paging) is served
//! by `faro-web`'s `oai` module over the store's harvest queries.

use chrono::{DateTime, SecondsFormat, Utc};
use faro_domain::Lang;
use faro_domain::knowledge::Resource;
use std::fmt::Write;

/// The one metadata format.
pub const PREFIX: &str = "oai_dc";

pub use crate::xml::escape;

pub fn oai_id(id: &str) -> String {
    format!("oai:faro:{id}")
}

pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `from`/`until`: YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ; returns (instant, is_day).
pub fn parse_date(v: &str, end_of_day: bool) -> Option<(DateTime<Utc>, bool)> {
    // Exactly YYYY-MM-DD (chrono alone would take 2020-3-26).
    if let Ok(d) = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        && v.len() == 10
    {
        let t = if end_of_day {
            d.and_hms_opt(23, 59, 59)?
        } else {
            d.and_hms_opt(0, 0, 0)?
        };
        return Some((t.and_utc(), true));
    }
    if v.len() == 20 && v.ends_with('Z') {
        return chrono::NaiveDateTime::parse_from_str(&v[..19], "%Y-%m-%dT%H:%M:%S")
            .ok()
            .map(|t| (t.and_utc(), false));
    }
    None
}

pub fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The text a [`hex`] string encodes; `None` for anything else (odd
/// length, a non-hex or non-ASCII character, bytes that are not UTF-8).
pub fn unhex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) || s.len() > 2000 || !s.is_ascii() {
        return None;
    }
    // Pairs of bytes, never string slices: a slice could cut a character.
    let bytes: Option<Vec<u8>> = s
        .as_bytes()
        .chunks(2)
        .map(|p| {
            let digit = |b: u8| (b as char).to_digit(16);
            Some((digit(p[0])? * 16 + digit(p[1])?) as u8)
        })
        .collect();
    String::from_utf8(bytes?).ok()
}

/// What a list request asks for; encoded in resumption tokens.
#[derive(Clone)]
pub struct ListQuery {
    pub set: String,
    pub from: String,
    pub until: String,
    /// Position after which to continue: (exact datestamp, id), and how
    /// many records came before it.
    pub after: Option<(String, String, u64)>,
}

impl ListQuery {
    pub fn token(&self, last_stamp: &str, last_id: &str, sent: u64) -> String {
        hex(&format!(
            "v2\n{}\n{}\n{}\n{}\n{}\n{}",
            self.set, self.from, self.until, last_stamp, last_id, sent
        ))
    }
    pub fn from_token(t: &str) -> Option<ListQuery> {
        let s = unhex(t)?;
        let parts: Vec<&str> = s.split('\n').collect();
        if parts.len() != 7 || parts[0] != "v2" {
            return None;
        }
        DateTime::parse_from_rfc3339(parts[4]).ok()?;
        Some(ListQuery {
            set: parts[1].into(),
            from: parts[2].into(),
            until: parts[3].into(),
            after: Some((parts[4].into(), parts[5].into(), parts[6].parse().ok()?)),
        })
    }
}

pub fn sets_of(r: &Resource) -> Vec<String> {
    let mut v: Vec<String> = r
        .institutions
        .iter()
        .map(|i| format!("institution:{i}"))
        .collect();
    v.push(format!("type:{}", r.resource_type));
    v.extend(r.topics.iter().map(|t| format!("topic:{t}")));
    v
}

pub fn header_xml(out: &mut String, r: &Resource, updated: DateTime<Utc>, deleted: bool) {
    let status = if deleted { " status=\"deleted\"" } else { "" };
    let _ = write!(
        out,
        "<header{status}><identifier>{}</identifier><datestamp>{}</datestamp>",
        escape(&oai_id(&r.id)),
        stamp(updated)
    );
    for s in sets_of(r) {
        let _ = write!(out, "<setSpec>{}</setSpec>", escape(&s));
    }
    out.push_str("</header>");
}

pub fn dc_xml(
    out: &mut String,
    r: &Resource,
    base: &str,
    names: &std::collections::HashMap<String, String>,
) {
    out.push_str(r#"<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">"#);
    for lang in Lang::ALL {
        let t = match lang {
            Lang::Es => &r.title_es,
            Lang::En => &r.title_en,
            Lang::Pt => &r.title_pt,
        };
        if !t.is_empty() {
            let _ = write!(
                out,
                "<dc:title xml:lang=\"{}\">{}</dc:title>",
                lang.code(),
                escape(t)
            );
        }
        let d = match lang {
            Lang::Es => &r.description_es,
            Lang::En => &r.description_en,
            Lang::Pt => &r.description_pt,
        };
        if !d.is_empty() {
            let _ = write!(
                out,
                "<dc:description xml:lang=\"{}\">{}</dc:description>",
                lang.code(),
                escape(d)
            );
        }
    }
    for i in &r.institutions {
        let _ = write!(
            out,
            "<dc:creator>{}</dc:creator>",
            escape(names.get(i).unwrap_or(i))
        );
    }
    let cb = faro_domain::observatory::current();
    for t in &r.topics {
        let label = cb
            .get(t)
            .map(|c| format!("{t} {}", c.label_en))
            .unwrap_or_else(|| t.clone());
        let _ = write!(out, "<dc:subject>{}</dc:subject>", escape(&label));
    }
    let _ = write!(out, "<dc:type>{}</dc:type>", escape(&r.resource_type));
    if !r.published.is_empty() {
        let _ = write!(out, "<dc:date>{}</dc:date>", escape(&r.published));
    }
    let _ = write!(
        out,
        "<dc:identifier>{}</dc:identifier>",
        escape(&format!("{base}/en/resources/{}", r.id))
    );
    if !r.url.is_empty() {
        let _ = write!(out, "<dc:identifier>{}</dc:identifier>", escape(&r.url));
    }
    // DOIs and handles as resolvable URLs (what harvesters link to).
    for link in r
        .identifiers
        .iter()
        .filter_map(|i| faro_domain::knowledge::identifier_link(i))
    {
        let _ = write!(out, "<dc:identifier>{}</dc:identifier>", escape(&link));
    }
    for m in &r.related_measures {
        let _ = write!(
            out,
            "<dc:relation>{}</dc:relation>",
            escape(&format!("{base}/en/observatory/measures/{m}"))
        );
    }
    for s in &r.related_sessions {
        let _ = write!(
            out,
            "<dc:relation>{}</dc:relation>",
            escape(&format!("{base}/en/events/{s}"))
        );
    }
    for l in &r.languages {
        let _ = write!(out, "<dc:language>{}</dc:language>", escape(l));
    }
    for c in &r.countries {
        let _ = write!(out, "<dc:coverage>{}</dc:coverage>", escape(c));
    }
    if !r.license.is_empty() {
        let _ = write!(out, "<dc:rights>{}</dc:rights>", escape(&r.license));
    }
    out.push_str("</oai_dc:dc></metadata>");
}

/// The OAI-PMH envelope around a verb's answer (or an `<error>`).
pub fn envelope(base: &str, request_attrs: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\"><responseDate>{}</responseDate><request{request_attrs}>{}/oai</request>{body}</OAI-PMH>\n",
        stamp(Utc::now()),
        escape(base)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_garbage() {
        let q = ListQuery {
            set: "type:guide".into(),
            from: "2020-01-01".into(),
            until: String::new(),
            after: None,
        };
        let t = q.token("2026-12-01T21:46:52.361813123Z", "r-000099", 100);
        let back = ListQuery::from_token(&t).expect("a token of ours");
        assert_eq!(back.set, "type:guide");
        assert_eq!(back.from, "2020-01-01");
        assert_eq!(
            back.after,
            Some((
                "2026-12-01T21:46:52.361813123Z".to_string(),
                "r-000099".to_string(),
                100
            ))
        );
        for bad in [
            "zz",
            "",
            "00",
            &t[..t.len() - 1],
            &t[2..],
            "a\u{e9}b",
            "7\u{20ac}32",
            "\u{e9}\u{e9}",
            "+1",
        ] {
            assert!(ListQuery::from_token(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn dates_and_escaping() {
        let (d, day) = parse_date("2020-03-26", false).unwrap();
        assert!(day);
        assert_eq!(stamp(d), "2020-03-26T00:00:00Z");
        let (u, _) = parse_date("2020-03-26", true).unwrap();
        assert_eq!(stamp(u), "2020-03-26T23:59:59Z");
        assert!(parse_date("2020-3-26", false).is_none());
        assert!(parse_date("2020-03-26T10:00:00", false).is_none());
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(oai_id("r-1"), "oai:faro:r-1");
    }
}
