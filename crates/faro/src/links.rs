//! `faro check-links`: checks every resource's link and every live
//! course's page (a course gone for `link_checks::FLAG_AFTER` checks in a
//! row is flagged to its editors) with a bounded number
//! of worker threads and a per-request timeout, so the whole run is bounded
//! (about ceil(links / concurrency) × timeout), records the outcome per
//! resource and prints a report.

use anyhow::Result;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct CheckLinksArgs {
    /// Links checked at the same time.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Seconds before one link counts as unreachable.
    #[arg(long, default_value_t = 10)]
    timeout_secs: u64,
}

pub struct Outcome {
    /// `resource` or `course`.
    pub kind: &'static str,
    pub resource: String,
    pub url: String,
    pub outcome: &'static str,
    pub status: Option<u16>,
    pub detail: String,
}

fn check(agent: &ureq::Agent, url: &str) -> (&'static str, Option<u16>, String) {
    // HEAD first; some servers refuse it, then GET (body not read).
    let mut res = agent.head(url).call();
    if matches!(&res, Ok(r) if r.status().as_u16() == 405 || r.status().as_u16() == 501) {
        res = agent.get(url).call();
    }
    match res {
        Ok(r) => {
            let code = r.status().as_u16();
            if r.status().is_success() || r.status().is_redirection() {
                ("ok", Some(code), String::new())
            } else {
                ("broken", Some(code), format!("HTTP {code}"))
            }
        }
        Err(e) => ("unreachable", None, e.to_string()),
    }
}

pub async fn run(store: &faro_store::Store, args: &CheckLinksArgs) -> Result<Vec<Outcome>> {
    let mut work: VecDeque<(&'static str, String, String)> = faro_store::knowledge::all(store)
        .await?
        .into_iter()
        .filter(|s| !s.resource.url.is_empty())
        .map(|s| ("resource", s.resource.id, s.resource.url))
        .collect();
    let mut after: Option<String> = None;
    loop {
        let page = faro_store::courses::walk(store, after.as_deref(), 500).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.course.id.clone());
        work.extend(
            page.into_iter()
                .filter(|s| !s.course.url.is_empty())
                .map(|s| ("course", s.course.id, s.course.url)),
        );
    }
    let total = work.len();
    let queue = Arc::new(Mutex::new(work));
    let results = Arc::new(Mutex::new(Vec::new()));
    let timeout = Duration::from_secs(args.timeout_secs.max(1));
    let workers = args.concurrency.clamp(1, 64).min(total.max(1));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let queue = queue.clone();
            let results = results.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .timeout_global(Some(timeout))
                    .http_status_as_error(false)
                    .max_redirects(5)
                    .build()
                    .into();
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                    let Some((kind, resource, url)) = next else {
                        break;
                    };
                    let (outcome, status, detail) = check(&agent, &url);
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(Outcome {
                            kind,
                            resource,
                            url,
                            outcome,
                            status,
                            detail,
                        });
                }
            })
        })
        .collect();
    let done = tokio::task::spawn_blocking(move || {
        for h in handles {
            let _ = h.join();
        }
    });
    done.await?;
    let mut results = std::mem::take(&mut *results.lock().unwrap_or_else(|e| e.into_inner()));
    results.sort_by(|a, b| (a.kind, &a.resource).cmp(&(b.kind, &b.resource)));
    for r in &mut results {
        if r.kind == "course" {
            let c = faro_store::link_checks::record_course(
                store,
                &r.resource,
                &r.url,
                r.outcome,
                r.status,
                &r.detail,
            )
            .await?;
            if c.flagged() {
                r.detail = format!(
                    "{}{}gone for {} checks in a row: flagged to its editors",
                    r.detail,
                    if r.detail.is_empty() { "" } else { "; " },
                    c.failures
                );
            }
        } else {
            faro_store::link_checks::record(
                store,
                &r.resource,
                &r.url,
                r.outcome,
                r.status,
                &r.detail,
            )
            .await?;
        }
    }
    Ok(results)
}
