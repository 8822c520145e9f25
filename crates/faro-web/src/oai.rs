//! OAI-PMH 2.0 at `/oai` for the knowledge base: all six verbs, `oai_dc`,
//! sets per institution (`institution:ID`), resource type (`type:T`) and
//! topic (`topic:CODE`), `from`/`until`, stateless resumption tokens (valid
//! indefinitely; `expirationDate` says 24 hours), deleted records kept
//! (`deletedRecord` persistent), and every protocol error.

use crate::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use faro_formats::oai_pmh::{
    self, ListQuery, PREFIX, dc_xml, escape, header_xml, parse_date, stamp,
};
use std::fmt::Write;

pub const PAGE: usize = 100;

/// Where harvesters' questions go (`Identify`'s `adminEmail`, which the
/// OAI-PMH schema requires to be an address with a dotted domain): the
/// address given (refused when it is not one), else the sender of e-mails
/// when it is one, else `faro@` the public host when that is a domain
/// name, else `faro@localhost.invalid` (a local site; RFC 2606's reserved
/// `.invalid` says plainly that nobody reads it). The second value says
/// which rule chose it, for the log.
pub fn admin_email(
    explicit: Option<&str>,
    smtp_from: &str,
    public_url: &str,
) -> Result<(String, &'static str), String> {
    use faro_domain::accounts::normalize_email;
    if let Some(e) = explicit.filter(|e| !e.trim().is_empty()) {
        return normalize_email(e)
            .map(|e| (e, "given"))
            .map_err(|_| format!("--admin-email {e:?} is not an e-mail address"));
    }
    // `Name <addr>` senders: the address between the brackets.
    let from = smtp_from
        .rsplit_once('<')
        .map(|(_, a)| a.trim_end_matches('>'))
        .unwrap_or(smtp_from);
    if let Ok(e) = normalize_email(from) {
        return Ok((e, "smtp-from"));
    }
    let host = public_url
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(public_url)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    let is_ip = host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[');
    if !is_ip && let Ok(e) = normalize_email(&format!("faro@{host}")) {
        return Ok((e, "public-url"));
    }
    Ok(("faro@localhost.invalid".into(), "local"))
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

fn envelope(base: &str, request_attrs: &str, body: &str) -> Response {
    let xml = oai_pmh::envelope(base, request_attrs, body);
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
                "<Identify><repositoryName>Faro knowledge base (ILO/Cinterfor network)</repositoryName><baseURL>{}/oai</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>{}</adminEmail><earliestDatestamp>{}</earliestDatestamp><deletedRecord>persistent</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>",
                escape(base),
                escape(&state.config.admin_email),
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

#[cfg(test)]
mod tests {
    use super::admin_email;

    #[test]
    fn admin_email_is_always_an_address() {
        let pick = |x: Option<&str>, from: &str, url: &str| admin_email(x, from, url).unwrap();
        assert_eq!(
            pick(
                Some("Oai@Example.org"),
                "faro@localhost",
                "http://127.0.0.1:8080"
            )
            .0,
            "oai@example.org"
        );
        assert!(admin_email(Some("faro@localhost"), "", "https://x.org").is_err());
        assert!(admin_email(Some("not an address"), "", "https://x.org").is_err());
        assert_eq!(
            pick(None, "Faro <avisos@faro.example.org>", "https://x.org").0,
            "avisos@faro.example.org"
        );
        assert_eq!(
            pick(None, "faro@localhost", "https://faro.example.org:8443/base").0,
            "faro@faro.example.org"
        );
        for local in [
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "http://[::1]:80",
        ] {
            assert_eq!(
                pick(None, "faro@localhost", local).0,
                "faro@localhost.invalid"
            );
        }
    }
}
