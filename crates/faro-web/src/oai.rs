//! OAI-PMH 2.0 at `/oai` for the knowledge base: all six verbs, `oai_dc`,
//! sets per institution (`institution:ID`), resource type (`type:T`) and
//! topic (`topic:CODE`), `from`/`until`, stateless resumption tokens (valid
//! indefinitely; `expirationDate` says 24 hours), deleted records kept
//! (`deletedRecord` persistent), and every protocol error.

use crate::AppState;
use crate::pages::search::escape;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use faro_domain::Lang;
use faro_domain::knowledge::Resource;
use std::fmt::Write;

pub const PAGE: usize = 100;
const PREFIX: &str = "oai_dc";

fn oai_id(id: &str) -> String {
    format!("oai:faro:{id}")
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

struct OaiError(&'static str, String);

/// The parsed request, or the error to answer.
struct Args {
    verb: String,
    pairs: Vec<(String, String)>,
}

impl Args {
    fn get(&self, k: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    }
    /// badArgument unless exactly the allowed/required arguments are present, once.
    fn check(&self, required: &[&str], optional: &[&str]) -> Result<(), OaiError> {
        for (k, _) in &self.pairs {
            if k == "verb" {
                continue;
            }
            if !required.contains(&k.as_str()) && !optional.contains(&k.as_str()) {
                return Err(OaiError("badArgument", format!("illegal argument {k:?}")));
            }
            if self.pairs.iter().filter(|(a, _)| a == k).count() > 1 {
                return Err(OaiError("badArgument", format!("repeated argument {k:?}")));
            }
        }
        for r in required {
            if self.get(r).is_none() {
                return Err(OaiError("badArgument", format!("missing argument {r:?}")));
            }
        }
        Ok(())
    }
}

/// `from`/`until`: YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ; returns (instant, is_day).
fn parse_date(v: &str, end_of_day: bool) -> Option<(DateTime<Utc>, bool)> {
    if let Ok(d) = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
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

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) || s.len() > 2000 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

/// What a list request asks for; encoded in resumption tokens.
#[derive(Clone)]
struct ListQuery {
    set: String,
    from: String,
    until: String,
    /// Position after which to continue: (exact datestamp, id), and how
    /// many records came before it.
    after: Option<(String, String, u64)>,
}

impl ListQuery {
    fn token(&self, last_stamp: &str, last_id: &str, sent: u64) -> String {
        hex(&format!(
            "v2\n{}\n{}\n{}\n{}\n{}\n{}",
            self.set, self.from, self.until, last_stamp, last_id, sent
        ))
    }
    fn from_token(t: &str) -> Option<ListQuery> {
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

fn sets_of(r: &Resource) -> Vec<String> {
    let mut v: Vec<String> = r
        .institutions
        .iter()
        .map(|i| format!("institution:{i}"))
        .collect();
    v.push(format!("type:{}", r.resource_type));
    v.extend(r.topics.iter().map(|t| format!("topic:{t}")));
    v
}

fn header_xml(out: &mut String, r: &Resource, updated: DateTime<Utc>, deleted: bool) {
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

fn dc_xml(
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

fn envelope(base: &str, request_attrs: &str, body: &str) -> Response {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\"><responseDate>{}</responseDate><request{request_attrs}>{}/oai</request>{body}</OAI-PMH>\n",
        stamp(Utc::now()),
        escape(base)
    );
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml).into_response()
}

/// GET and POST `/oai`.
pub async fn oai(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
    body: axum::body::Bytes,
) -> Response {
    let base = state.config.public_url.trim_end_matches('/').to_string();
    let mut pairs = q.map(|Query(p)| p).unwrap_or_default();
    if !body.is_empty()
        && let Ok(p) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
    {
        pairs.extend(p);
    }
    let verb = pairs
        .iter()
        .find(|(k, _)| k == "verb")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let args = Args { verb, pairs };
    // The request element echoes the arguments only when they are valid.
    let attrs = |a: &Args| -> String {
        a.pairs
            .iter()
            .map(|(k, v)| format!(" {}=\"{}\"", escape(k), escape(v)))
            .collect()
    };
    match answer(&state, &base, &args).await {
        Ok(body) => envelope(&base, &attrs(&args), &body),
        Err(OaiError("unavailable", _)) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "10")],
            "the repository cannot answer now; try again\n",
        )
            .into_response(),
        Err(OaiError(code, msg)) => {
            let attrs = if matches!(code, "badVerb" | "badArgument") {
                String::new()
            } else {
                attrs(&args)
            };
            envelope(
                &base,
                &attrs,
                &format!("<error code=\"{code}\">{}</error>", escape(&msg)),
            )
        }
    }
}

/// A database failure: HTTP 503 with Retry-After, never an OAI error that
/// a harvester would take as an answer (`noRecordsMatch`, `idDoesNotExist`).
fn unavailable(e: faro_store::StoreError) -> OaiError {
    tracing::error!(error = %e, "oai failed");
    OaiError("unavailable", String::new())
}

async fn answer(state: &AppState, base: &str, a: &Args) -> Result<String, OaiError> {
    if a.pairs.iter().filter(|(k, _)| k == "verb").count() > 1 {
        return Err(OaiError("badVerb", "repeated verb".into()));
    }
    let internal = unavailable;
    match a.verb.as_str() {
        "Identify" => {
            a.check(&[], &[])?;
            let earliest = faro_store::knowledge::earliest(&state.store)
                .await
                .map_err(internal)?
                .unwrap_or_else(Utc::now);
            Ok(format!(
                "<Identify><repositoryName>Faro knowledge base (ILO/Cinterfor network)</repositoryName><baseURL>{}/oai</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>faro@localhost</adminEmail><earliestDatestamp>{}</earliestDatestamp><deletedRecord>persistent</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>",
                escape(base),
                stamp(earliest)
            ))
        }
        "ListMetadataFormats" => {
            a.check(&[], &["identifier"])?;
            if let Some(id) = a.get("identifier") {
                find(state, id).await?;
            }
            Ok("<ListMetadataFormats><metadataFormat><metadataPrefix>oai_dc</metadataPrefix><schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema><metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace></metadataFormat></ListMetadataFormats>".into())
        }
        "ListSets" => {
            a.check(&[], &["resumptionToken"])?;
            if a.get("resumptionToken").is_some() {
                return Err(OaiError(
                    "badResumptionToken",
                    "ListSets fits in one response".into(),
                ));
            }
            let sets = faro_store::knowledge::sets(&state.store)
                .await
                .map_err(internal)?;
            let mut out = String::from("<ListSets>");
            for s in sets {
                let _ = write!(
                    out,
                    "<set><setSpec>{0}</setSpec><setName>{0}</setName></set>",
                    escape(&s)
                );
            }
            out.push_str("</ListSets>");
            Ok(out)
        }
        "GetRecord" => {
            a.check(&["identifier", "metadataPrefix"], &[])?;
            if a.get("metadataPrefix") != Some(PREFIX) {
                return Err(OaiError(
                    "cannotDisseminateFormat",
                    "only oai_dc is available".into(),
                ));
            }
            let (s, deleted) = find(state, a.get("identifier").unwrap_or("")).await?;
            let names =
                crate::pages::observatory::acronyms(state, s.resource.institutions.iter().cloned())
                    .await
                    .map_err(internal)?;
            let mut out = String::from("<GetRecord><record>");
            header_xml(&mut out, &s.resource, s.updated_at, deleted);
            if !deleted {
                dc_xml(&mut out, &s.resource, base, &names);
            }
            out.push_str("</record></GetRecord>");
            Ok(out)
        }
        "ListIdentifiers" | "ListRecords" => list(state, base, a).await,
        "" => Err(OaiError("badVerb", "missing verb".into())),
        other => Err(OaiError("badVerb", format!("illegal verb {other:?}"))),
    }
}

async fn find(
    state: &AppState,
    identifier: &str,
) -> Result<(faro_store::knowledge::Stored, bool), OaiError> {
    let id = identifier.strip_prefix("oai:faro:").unwrap_or("");
    if !faro_domain::institutions::is_slug(id) {
        return Err(OaiError(
            "idDoesNotExist",
            format!("no item {identifier:?}"),
        ));
    }
    faro_store::knowledge::get_any(&state.store, id)
        .await
        .map_err(unavailable)?
        .map(|(s, d)| (s, d.is_some()))
        .ok_or_else(|| OaiError("idDoesNotExist", format!("no item {identifier:?}")))
}

async fn list(state: &AppState, base: &str, a: &Args) -> Result<String, OaiError> {
    let records = a.verb == "ListRecords";
    let q = if let Some(t) = a.get("resumptionToken") {
        a.check(&["resumptionToken"], &[])?;
        ListQuery::from_token(t)
            .ok_or_else(|| OaiError("badResumptionToken", "unknown or malformed token".into()))?
    } else {
        a.check(&["metadataPrefix"], &["from", "until", "set"])?;
        if a.get("metadataPrefix") != Some(PREFIX) {
            return Err(OaiError(
                "cannotDisseminateFormat",
                "only oai_dc is available".into(),
            ));
        }
        ListQuery {
            set: a.get("set").unwrap_or("").to_string(),
            from: a.get("from").unwrap_or("").to_string(),
            until: a.get("until").unwrap_or("").to_string(),
            after: None,
        }
    };
    let from = if q.from.is_empty() {
        None
    } else {
        Some(
            parse_date(&q.from, false)
                .ok_or_else(|| OaiError("badArgument", format!("bad from {:?}", q.from)))?,
        )
    };
    let until = if q.until.is_empty() {
        None
    } else {
        Some(
            parse_date(&q.until, true)
                .ok_or_else(|| OaiError("badArgument", format!("bad until {:?}", q.until)))?,
        )
    };
    if let (Some((f, fd)), Some((u, ud))) = (from, until) {
        if fd != ud {
            return Err(OaiError(
                "badArgument",
                "from and until have different granularities".into(),
            ));
        }
        if f > u {
            return Err(OaiError("badArgument", "from is after until".into()));
        }
    }
    let filter = faro_store::knowledge::HarvestFilter {
        from: from.map(|(f, _)| f),
        until: until.map(|(u, _)| u),
        set: (!q.set.is_empty()).then(|| match q.set.split_once(':') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (q.set.clone(), None),
        }),
    };
    let (after, sent) = match &q.after {
        None => (None, 0),
        Some((st, id, sent)) => {
            let at = DateTime::parse_from_rfc3339(st)
                .map_err(|_| OaiError("badResumptionToken", "malformed token".into()))?
                .with_timezone(&Utc);
            (Some((at, id.clone())), *sent)
        }
    };
    let page = faro_store::knowledge::harvest(
        &state.store,
        &filter,
        after.as_ref(),
        state.config.oai_page_size as u64 + 1,
    )
    .await
    .map_err(unavailable)?;
    if page.is_empty() && q.after.is_none() {
        return Err(OaiError("noRecordsMatch", "no records match".into()));
    }
    let more = page.len() > state.config.oai_page_size;
    let page: Vec<_> = page.into_iter().take(state.config.oai_page_size).collect();
    let complete = faro_store::knowledge::harvest_count(&state.store, &filter)
        .await
        .map_err(unavailable)?;
    let names = crate::pages::observatory::acronyms(
        state,
        page.iter()
            .flat_map(|(s, _)| s.resource.institutions.iter().cloned()),
    )
    .await
    .map_err(unavailable)?;
    let mut out = format!("<{}>", a.verb);
    for (s, deleted) in &page {
        if records {
            out.push_str("<record>");
        }
        header_xml(&mut out, &s.resource, s.updated_at, deleted.is_some());
        if records {
            if deleted.is_none() {
                dc_xml(&mut out, &s.resource, base, &names);
            }
            out.push_str("</record>");
        }
    }
    let cursor = sent;
    if more {
        let (last_at, last_id) = page
            .last()
            .map(|(s, _)| {
                (
                    s.updated_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
                    s.resource.id.clone(),
                )
            })
            .unwrap_or_default();
        let expires = stamp(Utc::now() + chrono::Duration::hours(24));
        let _ = write!(
            out,
            "<resumptionToken expirationDate=\"{expires}\" completeListSize=\"{complete}\" cursor=\"{cursor}\">{}</resumptionToken>",
            q.token(&last_at, &last_id, sent + page.len() as u64)
        );
    } else if q.after.is_some() {
        let _ = write!(
            out,
            "<resumptionToken completeListSize=\"{complete}\" cursor=\"{cursor}\"/>"
        );
    }
    let _ = write!(out, "</{}>", a.verb);
    Ok(out)
}
