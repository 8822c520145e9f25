//! The job runner: takes due jobs from the queue (`faro_store::jobs`) and
//! does them — e-mails to registrants (rendered here, in their language,
//! with an `.ics` attached) and session reminders (fanned out to one e-mail
//! per confirmed registrant). `faro serve` runs it every few seconds;
//! `faro jobs run` once, with an optional clock for tests.

use crate::mail::{Email, Sent};
use crate::{AppState, calendar, i18n};
use chrono::{DateTime, Utc};
use faro_domain::Lang;
use faro_formats::ical::Method;
use faro_store::{StoreError, jobs, registrations};

/// How long a claimed job is held before another worker may take it.
pub fn lease() -> chrono::Duration {
    chrono::Duration::minutes(5)
}

/// This process's worker name.
pub fn worker_name() -> String {
    format!(
        "{}:{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "faro".into()),
        std::process::id()
    )
}

/// Runs every job due at `now` (at most `max`); returns how many ran.
pub async fn run_due(
    state: &AppState,
    worker: &str,
    now: DateTime<Utc>,
    max: usize,
) -> Result<usize, StoreError> {
    registrations::expire_pending(&state.store, now).await?;
    purge_when_due(state, now).await?;
    let mut n = 0;
    while n < max {
        let Some(job) = jobs::claim(&state.store, worker, now, lease()).await? else {
            break;
        };
        n += 1;
        match run_one(state, &job, now).await {
            Ok((note, forget)) => {
                jobs::complete(&state.store, job.id, worker, now, &note, forget).await?;
            }
            Err(e) => {
                tracing::warn!(job = job.id, kind = %job.kind, error = %e, "job failed; retried later");
                jobs::fail(&state.store, &job, worker, now, &e).await?;
            }
        }
    }
    Ok(n)
}

/// The configured retention: erases the personal data of registrants whose
/// sessions all ended more than `retention_days` ago (counts are kept), at
/// most once an hour per process. Returns how many people were erased.
pub async fn purge_when_due(state: &AppState, now: DateTime<Utc>) -> Result<u64, StoreError> {
    use std::sync::atomic::Ordering;
    let days = state.config.retention_days;
    if days == 0 {
        return Ok(0);
    }
    let last = state.config.last_purge.load(Ordering::Relaxed);
    let t = now.timestamp();
    if last != i64::MIN && (t - last).abs() < 3600 {
        return Ok(0);
    }
    state.config.last_purge.store(t, Ordering::Relaxed);
    let before = now.date_naive() - chrono::Days::new(u64::from(days));
    let n = registrations::purge(&state.store, before, now).await?;
    if n > 0 {
        tracing::info!(
            erased = n,
            days,
            "retention: personal data of past registrants erased"
        );
    }
    Ok(n)
}

/// Does one job: `Ok((note, forget the payload))` or an error to retry.
async fn run_one(
    state: &AppState,
    job: &jobs::Job,
    now: DateTime<Utc>,
) -> Result<(String, bool), String> {
    let p = &job.payload;
    match job.kind.as_str() {
        "reminders" => {
            let session = p["session"].as_str().unwrap_or_default();
            let offset = p["offset"].as_str().unwrap_or_default();
            let seq = p["sequence"].as_u64().unwrap_or(0) as u32;
            let n = registrations::fan_out_reminder(&state.store, session, offset, seq, now)
                .await
                .map_err(|e| e.to_string())?;
            Ok((format!("{n} reminders queued"), false))
        }
        "mail" => {
            let Some(email) = render(state, p, now).await.map_err(|e| e.to_string())? else {
                return Ok((
                    "nothing to send (person erased or session gone)".into(),
                    true,
                ));
            };
            match crate::mail::send_email(state.config.mailer.as_ref(), &email).await? {
                Sent::Smtp => Ok(("sent".into(), true)),
                Sent::Logged => Ok(("no SMTP configured: written to the log".into(), true)),
            }
        }
        "certificate" => {
            let Some((email, pdf, name)) =
                crate::pages::attendance::certificate_email(state, p).await?
            else {
                return Ok((
                    "nothing to send (certificate not valid or person erased)".into(),
                    true,
                ));
            };
            match crate::mail::send_with_file(
                state.config.mailer.as_ref(),
                &email,
                &name,
                "application/pdf",
                pdf,
            )
            .await?
            {
                Sent::Smtp => Ok(("sent".into(), true)),
                Sent::Logged => Ok(("no SMTP configured: written to the log".into(), true)),
            }
        }
        "survey_mail" | "survey_reminders" => crate::survey_mail::run(state, job).await,
        "course_harvest" => crate::harvest::run_job(&state.store, p).await,
        other => Err(format!("unknown job kind {other:?}")),
    }
}

/// Templates whose e-mail confirms a seat: they carry the join details and
/// an invitation (`METHOD:REQUEST`).
const WITH_SEAT: &[&str] = &["confirmed", "promoted", "reminder", "rescheduled"];

/// The e-mail a mail job stands for, or `None` when there is no one to
/// send it to any more.
pub async fn render(
    state: &AppState,
    p: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<Option<Email>, StoreError> {
    let template = p["mail"].as_str().unwrap_or_default();
    let Some(id) = p["registrant"].as_i64() else {
        return Ok(None);
    };
    let person = match registrations::person_by_id(&state.store, id).await {
        Ok(x) => x,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let lang = Lang::from_code(&person.data.lang).unwrap_or(Lang::Es);
    let token = match p["token"].as_str() {
        Some(t) => t.to_string(),
        None => registrations::issue_link(&state.store, id, now).await?,
    };
    let link = format!(
        "{}/{}/registrations?t={token}",
        state.config.public_url.trim_end_matches('/'),
        lang.code()
    );
    let session_id = p["session"].as_str().unwrap_or_default();
    let session = if session_id.is_empty() {
        None
    } else {
        match faro_store::events::get_with_join_details(&state.store, session_id).await {
            Ok(s) => Some(s),
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        }
    };
    let seat = person
        .registrations
        .iter()
        .any(|(s, st)| s == session_id && st == "confirmed");
    let title = session
        .as_ref()
        .map(|s| s.title(lang).to_string())
        .unwrap_or_default();
    let when = session.as_ref().map(calendar::when).unwrap_or_default();
    let args = |extra: &[(&'static str, String)]| {
        let mut a: Vec<(&'static str, i18n::FluentArg)> = vec![
            ("name", person.data.name.clone().into()),
            ("session", title.clone().into()),
            ("when", when.clone().into()),
            ("link", link.clone().into()),
        ];
        for (k, v) in extra {
            a.push((k, v.clone().into()));
        }
        a
    };
    let extra: Vec<(&'static str, String)> = match template {
        "reminder" => vec![(
            "offset",
            i18n::t(
                lang,
                if p["offset"].as_str() == Some("1h") {
                    "mail-offset-1h"
                } else {
                    "mail-offset-24h"
                },
            ),
        )],
        "message" => vec![
            (
                "subject",
                p["subject"].as_str().unwrap_or_default().to_string(),
            ),
            ("body", p["body"].as_str().unwrap_or_default().to_string()),
        ],
        _ => vec![],
    };
    let known = [
        "confirm",
        "link",
        "confirmed",
        "waiting",
        "promoted",
        "cancelled",
        "reminder",
        "rescheduled",
        "session_cancelled",
        "message",
    ];
    if !known.contains(&template) {
        return Ok(None);
    }
    // A reminder or notice for a seat no longer held is not sent.
    if matches!(template, "reminder" | "promoted" | "confirmed") && !seat {
        return Ok(None);
    }
    let key = template.replace('_', "-");
    let subject = i18n::t_args(lang, &format!("mail-{key}-subject"), &args(&extra));
    let mut body = i18n::t_args(lang, &format!("mail-{key}-body"), &args(&extra));
    let mut ics = None;
    if let Some(s) = &session {
        let private = seat && WITH_SEAT.contains(&template);
        if private && !s.zoom_url.is_empty() {
            body.push_str("\n\n");
            body.push_str(&calendar::join_text(lang, s));
        } else if private && !s.facebook_url.is_empty() {
            body.push_str(&format!("\n\nFacebook Live: {}", s.facebook_url));
        }
        let method = if matches!(template, "cancelled" | "session_cancelled") {
            Some(Method::Cancel)
        } else if private {
            Some(Method::Request)
        } else {
            None
        };
        if let Some(method) = method {
            let (modified, _) = faro_store::events::stamp(&state.store, &s.id).await?;
            let ev = calendar::event(state, s, modified, lang, private, Some(&person.data.email));
            ics = Some((calendar::calendar(&title, method, &[ev]), method));
        }
    }
    body.push_str("\n\n");
    body.push_str(&i18n::t_args(lang, "mail-footer", &args(&[])));
    Ok(Some(Email {
        to: person.data.email.clone(),
        subject,
        body,
        lang: lang.code().to_string(),
        ics,
    }))
}

/// Runs the queue every `every` until the process stops, with `workers`
/// concurrent workers (each claim is a lease, so they never run the same
/// job; e-mails go out in parallel instead of one after another).
pub fn spawn(state: AppState, every: std::time::Duration, workers: usize) {
    for n in 0..workers.max(1) {
        let state = state.clone();
        tokio::spawn(async move {
            let worker = format!("{}#{n}", worker_name());
            loop {
                match run_due(&state, &worker, Utc::now(), 200).await {
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "job queue: cannot run due jobs"),
                }
                tokio::time::sleep(every).await;
            }
        });
    }
}
