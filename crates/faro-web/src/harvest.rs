//! Course harvests, the fetching half (issue 15): reads a source's
//! catalogue over HTTP — a sitemap (or a sitemap index) of pages carrying
//! schema.org `Course` JSON-LD, a list of such pages, or a CSV / JSON file
//! in Faro's layout — and hands what it found to
//! [`faro_store::harvest::apply`], which merges it through the courses'
//! write path without overwriting editors' changes.
//!
//! Bounded everywhere, so a harvest never stops the server nor holds other
//! jobs: at most [`MAX_PAGES`] pages, [`CONCURRENCY`] fetches at a time on
//! their own threads, [`TIMEOUT`] per request (connect, redirects and body), [`MAX_PAGE_BYTES`] per page
//! and [`MAX_FILE_BYTES`] per file (a longer body is a problem of that
//! page), and the whole run ends at [`DEADLINE`] (pages not read by then
//! are reported). Every page's problem is reported with its URL; one bad
//! page never stops the rest.
//!
//! It runs from `faro courses harvest SOURCE` and as the job
//! `course_harvest` (queued by a source's schedule).

use faro_domain::courses::Course;
use faro_formats::course_jsonld;
use faro_store::Store;
use faro_store::changes::Actor;
use faro_store::harvest::{Incoming, Report, Source};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const MAX_PAGES: usize = 5000;
pub const MAX_SITEMAPS: usize = 50;
pub const CONCURRENCY: usize = 8;
/// Per request; `FARO_HARVEST_TIMEOUT_MS` changes it (tests).
pub const TIMEOUT: Duration = Duration::from_secs(10);
pub const MAX_PAGE_BYTES: u64 = 2 * 1024 * 1024;
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
pub const DEADLINE: Duration = Duration::from_secs(240);

/// What a run did: the store's report, the pages read, and per-URL
/// problems (not stored) and warnings (read, partly not kept).
#[derive(Debug, Default)]
pub struct Outcome {
    pub report: Report,
    pub pages: usize,
    pub problems: Vec<(String, String)>,
    pub warnings: Vec<(String, String)>,
}

impl Outcome {
    /// One line for the source's `last_outcome` and the CLI.
    pub fn summary(&self) -> String {
        let r = &self.report;
        format!(
            "{} pages read: {} created, {} updated, {} unchanged, {} fields kept as edited, \
             {} deleted courses left deleted, {} skipped, {} page problems, {} warnings",
            self.pages,
            r.created,
            r.updated,
            r.unchanged,
            r.kept_fields.len(),
            r.kept_deleted.len(),
            r.skipped.len(),
            self.problems.len(),
            self.warnings.len()
        )
    }
}

fn timeout() -> Duration {
    std::env::var("FARO_HARVEST_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(TIMEOUT)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout()))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(concat!(
            "Faro/",
            env!("CARGO_PKG_VERSION"),
            " course harvest"
        ))
        .build()
        .into()
}

/// GET `url`: the body (at most `limit` bytes), or why not.
fn fetch(agent: &ureq::Agent, url: &str, limit: u64) -> Result<Vec<u8>, String> {
    let mut res = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Timeout(_) => format!("no answer within {:.1} s", timeout().as_secs_f64()),
        e => e.to_string(),
    })?;
    let code = res.status().as_u16();
    if !res.status().is_success() {
        return Err(format!("HTTP {code}"));
    }
    res.body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => format!("larger than {} MB", limit / 1024 / 1024),
            e => e.to_string(),
        })
}

/// Fetches `urls` on [`CONCURRENCY`] threads; each result in URL order.
fn fetch_all(
    urls: Vec<String>,
    limit: u64,
    until: Instant,
) -> Vec<(String, Result<Vec<u8>, String>)> {
    let total = urls.len();
    let queue = Arc::new(Mutex::new(
        urls.into_iter().enumerate().collect::<VecDeque<_>>(),
    ));
    let out = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let workers = CONCURRENCY.min(total.max(1));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let queue = queue.clone();
            let out = out.clone();
            std::thread::spawn(move || {
                let agent = agent();
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                    let Some((n, url)) = next else { break };
                    let got = if Instant::now() >= until {
                        Err("not read: the harvest's time limit was reached".to_string())
                    } else {
                        fetch(&agent, &url, limit)
                    };
                    out.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((n, url, got));
                }
            })
        })
        .collect();
    for h in handles {
        let _ = h.join();
    }
    let mut got = std::mem::take(&mut *out.lock().unwrap_or_else(|e| e.into_inner()));
    got.sort_by_key(|(n, _, _)| *n);
    got.into_iter().map(|(_, u, r)| (u, r)).collect()
}

/// The page URLs of a sitemap (following a sitemap index one level).
fn sitemap_pages(url: &str, until: Instant, outcome: &mut Outcome) -> Vec<String> {
    use faro_formats::sitemap::{Sitemap, parse};
    let agent = agent();
    let body = match fetch(&agent, url, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(e) => {
            outcome
                .problems
                .push((url.to_string(), format!("sitemap: {e}")));
            return Vec::new();
        }
    };
    match parse(&body, MAX_PAGES) {
        Ok(Sitemap::Urls(u)) => u,
        Ok(Sitemap::Index(children)) => {
            let mut pages = Vec::new();
            let children: Vec<String> = children.into_iter().take(MAX_SITEMAPS).collect();
            for (child, got) in fetch_all(children, MAX_FILE_BYTES, until) {
                match got
                    .map_err(|e| e.to_string())
                    .and_then(|b| parse(&b, MAX_PAGES))
                {
                    Ok(Sitemap::Urls(u)) => pages.extend(u),
                    Ok(Sitemap::Index(_)) => outcome.problems.push((
                        child,
                        "sitemap: an index inside an index is not followed".into(),
                    )),
                    Err(e) => outcome.problems.push((child, format!("sitemap: {e}"))),
                }
                if pages.len() >= MAX_PAGES {
                    pages.truncate(MAX_PAGES);
                    break;
                }
            }
            pages
        }
        Err(e) => {
            outcome
                .problems
                .push((url.to_string(), format!("sitemap: {e}")));
            Vec::new()
        }
    }
}

/// The courses in pages with JSON-LD.
fn read_pages(
    pages: Vec<String>,
    lang: &str,
    until: Instant,
    outcome: &mut Outcome,
) -> Vec<Incoming> {
    let mut pages = pages;
    if pages.len() > MAX_PAGES {
        outcome.warnings.push((
            String::new(),
            format!(
                "{} pages listed: the first {MAX_PAGES} are read",
                pages.len()
            ),
        ));
        pages.truncate(MAX_PAGES);
    }
    let mut items = Vec::new();
    for (url, got) in fetch_all(pages, MAX_PAGE_BYTES, until) {
        let body = match got {
            Ok(b) => b,
            Err(e) => {
                outcome.problems.push((url, e));
                continue;
            }
        };
        outcome.pages += 1;
        let html = String::from_utf8_lossy(&body);
        match course_jsonld::courses_in_html(&html, &url, lang) {
            Ok(found) => {
                for h in found {
                    for w in h.warnings {
                        outcome.warnings.push((url.clone(), w));
                    }
                    items.push(Incoming {
                        key: h.course.url.clone(),
                        supplied: h.supplied.iter().map(|s| s.to_string()).collect(),
                        course: h.course,
                    });
                }
            }
            Err(e) => outcome.problems.push((url, e.to_string())),
        }
    }
    items
}

/// The fields of a course a file in Faro's layout gives: all but its id
/// and providers (the source's institution provides it).
fn file_fields() -> Vec<String> {
    let v = serde_json::to_value(Course::default()).unwrap_or_default();
    v.as_object()
        .map(|o| {
            o.keys()
                .filter(|k| *k != "id" && *k != "providers")
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// A file's course's key: its URL, else the file's URL and its id.
fn file_key(source: &Source, c: &Course) -> String {
    if c.url.is_empty() {
        format!("{}#{}", source.url.trim(), c.id)
    } else {
        c.url.clone()
    }
}

fn read_file(source: &Source, outcome: &mut Outcome) -> Vec<Incoming> {
    let url = source.url.trim().to_string();
    let body = match fetch(&agent(), &url, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(e) => {
            outcome.problems.push((url, e));
            return Vec::new();
        }
    };
    outcome.pages = 1;
    let courses: Vec<Course> = if source.kind == "csv" {
        let codebook = faro_domain::observatory::current();
        match faro_formats::courses_csv::read(&body, codebook) {
            Ok(c) => c,
            Err(lines) => {
                for l in lines {
                    outcome.problems.push((url.clone(), l.to_string()));
                }
                return Vec::new();
            }
        }
    } else {
        match json_courses(&body) {
            Ok(c) => c,
            Err(e) => {
                outcome.problems.push((url, e));
                return Vec::new();
            }
        }
    };
    let fields = file_fields();
    courses
        .into_iter()
        .map(|c| Incoming {
            key: file_key(source, &c),
            supplied: fields.clone(),
            course: c,
        })
        .collect()
}

/// Courses from JSON in Faro's layout: an array of courses, or the API's
/// list (`{"items": [...]}`); fields a course does not give stay empty.
pub fn json_courses(body: &[u8]) -> Result<Vec<Course>, String> {
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let items = match &v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => match o.get("items") {
            Some(serde_json::Value::Array(a)) => a,
            _ => return Err("expected an array of courses or {\"items\": [...]}".into()),
        },
        _ => return Err("expected an array of courses or {\"items\": [...]}".into()),
    };
    let base = serde_json::to_value(Course::default()).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let Some(obj) = item.as_object() else {
            return Err(format!("item {}: not an object", n + 1));
        };
        let mut merged = base.clone();
        if let Some(m) = merged.as_object_mut() {
            for (k, val) in obj {
                if m.contains_key(k) {
                    m.insert(k.clone(), val.clone());
                }
            }
        }
        let c: Course =
            serde_json::from_value(merged).map_err(|e| format!("item {}: {e}", n + 1))?;
        out.push(c);
    }
    Ok(out)
}

/// Reads `source`'s catalogue and merges it; `Err` only when the store
/// fails (a catalogue that cannot be read is a problem in the outcome).
pub async fn run(store: &Store, source: &Source, actor: &Actor) -> Result<Outcome, String> {
    let src = source.clone();
    let until = Instant::now() + DEADLINE;
    let (outcome, items) = tokio::task::spawn_blocking(move || {
        let mut outcome = Outcome::default();
        let items = match src.kind.as_str() {
            "sitemap" => {
                let pages = sitemap_pages(src.url.trim(), until, &mut outcome);
                read_pages(pages, &src.lang, until, &mut outcome)
            }
            "urls" => {
                let pages = src.urls().into_iter().map(str::to_string).collect();
                read_pages(pages, &src.lang, until, &mut outcome)
            }
            _ => read_file(&src, &mut outcome),
        };
        (outcome, items)
    })
    .await
    .map_err(|e| e.to_string())?;
    let mut outcome = outcome;
    outcome.report = faro_store::harvest::apply(store, source, items, actor)
        .await
        .map_err(|e| e.to_string())?;
    Ok(outcome)
}

/// The job `course_harvest`: runs the source and records its outcome
/// (which queues the next run of a scheduled source).
pub async fn run_job(store: &Store, payload: &serde_json::Value) -> Result<(String, bool), String> {
    let id = payload["source"].as_str().unwrap_or_default();
    let Some(source) = faro_store::harvest::source(store, id)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok((format!("source {id:?} is gone"), true));
    };
    let actor = Actor::new(
        format!("harvest:{}", source.id),
        Some(format!(
            "scheduled harvest of {}",
            source.url.lines().next().unwrap_or("")
        )),
    );
    let now = chrono::Utc::now();
    let summary = match run(store, &source, &actor).await {
        Ok(o) => o.summary(),
        Err(e) => format!("failed: {e}"),
    };
    faro_store::harvest::finish_run(store, &source.id, now, &summary)
        .await
        .map_err(|e| e.to_string())?;
    Ok((summary, true))
}
