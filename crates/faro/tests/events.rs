//! Event registration end to end with the real binary: the Python flow in
//! `tests/events/flow.py` (an aiosmtpd SMTP server, `faro serve`, a
//! coordinator and a visitor over HTTP; e-mails parsed by Python's `email`,
//! calendars by `icalendar`), then every calendar it saved read again by
//! Mozilla's ical.js. And the reminder queue with a controlled clock: two
//! `faro jobs run` processes at once on one PostgreSQL database send each
//! reminder once; running again sends nothing.

mod common;
use common::*;

fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn python_ready() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import aiosmtpd, icalendar"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but python3 with aiosmtpd and icalendar is missing");
        }
        eprintln!("SKIPPED: registration flow (pip install aiosmtpd icalendar)");
    }
    ok
}

fn flow(db_url: Option<&str>, label: &str) {
    let data = tmpdir(&format!("events-{label}"));
    let out = data.0.join("ics");
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(repo().join("tests/events/flow.py"))
        .arg(bin())
        .arg(&data.0)
        .arg(&out);
    if let Some(u) = db_url {
        cmd.arg(u);
    }
    let o = cmd.output().expect("run flow.py");
    assert!(
        o.status.success(),
        "{label}: flow failed\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 5, "{label}: calendars saved");
    let node = std::process::Command::new("node")
        .arg(repo().join("tests/events/parse_ics.mjs"))
        .args(&files)
        .current_dir(repo())
        .output();
    match node {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout).to_string();
            let lines: Vec<serde_json::Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(lines.len(), 5, "{text}");
            for l in &lines {
                let file = l["file"].as_str().unwrap();
                let ev = &l["events"];
                let mine = ev
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|e| e["uid"].as_str().unwrap().starts_with("session-vc2027-01@"))
                    .unwrap_or_else(|| panic!("{file}: no event of the session"));
                if file.ends_with("confirmed.ics") {
                    assert_eq!(l["method"], "REQUEST");
                    assert_eq!(mine["sequence"], 0);
                    assert_eq!(mine["start"], "2099-03-26T13:00:00.000Z");
                } else if file.ends_with("rescheduled.ics") {
                    assert_eq!(mine["sequence"], 1);
                    assert_eq!(mine["start"], "2099-03-26T14:30:00.000Z");
                } else if file.ends_with("cancelled.ics") {
                    assert_eq!(l["method"], "CANCEL");
                    assert_eq!(mine["status"], "CANCELLED");
                } else if file.ends_with("series.ics") {
                    // The 2020 sessions are days without a time.
                    assert_eq!(ev.as_array().unwrap().len(), 13);
                    assert!(ev.as_array().unwrap().iter().any(|e| e["isDate"] == true));
                }
            }
        }
        Ok(o) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!(
                "SKIPPED: ical.js (npm ci): {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        other => panic!("ical.js failed: {other:?}"),
    }
}

#[test]
fn register_confirm_reschedule_cancel_by_email_sqlite() {
    if python_ready() {
        flow(None, "sqlite");
    }
}

#[test]
fn register_confirm_reschedule_cancel_by_email_postgres() {
    let Some(url) = fresh_postgres() else {
        eprintln!("SKIPPED: PostgreSQL part (set FARO_TEST_DATABASE_URL)");
        return;
    };
    if python_ready() {
        flow(Some(&url), "postgres");
    }
}

async fn open_store(db_url: Option<&str>, data: &std::path::Path) -> faro_store::Store {
    match db_url {
        Some(u) => faro_store::Store::connect(u).await.unwrap(),
        None => faro_store::Store::open_data_dir(data).await.unwrap(),
    }
}

/// Reminders with a controlled clock (`faro jobs run --now`): two processes
/// at once on one PostgreSQL database (one after the other on SQLite) run
/// each due job once; a job held by a worker
/// that died is run after its lease, once; a later run sends nothing again.
fn reminders_once(db_url: Option<&str>, label: &str) {
    use chrono::TimeZone;
    let data = tmpdir(&format!("reminders-{label}"));
    let o = faro(&data.0, db_url, &["migrate"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let start = chrono::Utc.with_ymd_and_hms(2099, 3, 26, 13, 0, 0).unwrap();
    let now = start - chrono::Duration::days(3);
    rt.block_on(async {
        let store = open_store(db_url, &data.0).await;
        faro_store::demo::load(&store).await.unwrap();
        let s = faro_domain::events::Session {
            id: "vc2099-01".into(),
            series: "vc2020".into(),
            number: 40,
            date: "2099-03-26".into(),
            start_time: "10:00".into(),
            time_zone: "America/Montevideo".into(),
            title_en: "Reminder test".into(),
            original_language: "en".into(),
            ..Default::default()
        };
        let actor = faro_store::changes::Actor::new("test", None);
        faro_store::events::save(&store, &s, &actor, Some(faro_store::changes::NEW_RECORD))
            .await
            .unwrap();
        let s = faro_store::events::get(&store, "vc2099-01").await.unwrap();
        for i in 0..6 {
            let mut p = faro_domain::events::Registrant {
                name: format!("P{i}"),
                email: format!("p{i}@example.org"),
                lang: "pt".into(),
                consent: true,
                ..Default::default()
            };
            assert!(p.validate().is_empty());
            let r = faro_store::registrations::register(&store, std::slice::from_ref(&s), &p, now)
                .await
                .unwrap();
            faro_store::registrations::confirm(&store, &r.token, now)
                .await
                .unwrap();
        }
        store.close().await;
    });
    let run = |at: chrono::DateTime<chrono::Utc>| {
        let mut cmd = std::process::Command::new(bin());
        cmd.arg("--data-dir")
            .arg(&data.0)
            .args(["jobs", "run", "--now", &at.to_rfc3339()])
            .env_remove("DATABASE_URL")
            .env_remove("FARO_SMTP_URL")
            .env("FARO_LOG", "error")
            .stdout(std::process::Stdio::piped());
        if let Some(u) = db_url {
            cmd.env("DATABASE_URL", u);
        }
        cmd.spawn().expect("faro jobs run")
    };
    // Before the reminders are due: only the registration e-mails run.
    let o = run(now).wait_with_output().unwrap();
    assert!(o.status.success());
    // A worker claims the 24 h reminder and dies without finishing it.
    let crashed = rt.block_on(async {
        let store = open_store(db_url, &data.0).await;
        let at = start - chrono::Duration::hours(24);
        let j = faro_store::jobs::claim(&store, "crashed", at, chrono::Duration::minutes(5))
            .await
            .unwrap()
            .expect("the 24 h reminder is due");
        assert_eq!(j.kind, "reminders");
        store.close().await;
        j.id
    });
    // An hour before, while the dead worker's lease has long ended: on
    // PostgreSQL two processes at once (several `faro serve` share one
    // database); SQLite is one machine's embedded store, where a second
    // process's write can meet "database is locked" (the job is then
    // retried), so there the two runs follow each other.
    let at = start - chrono::Duration::minutes(59);
    if db_url.is_some() {
        let a = run(at);
        let b = run(at);
        for c in [a, b] {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
    } else {
        for _ in 0..2 {
            let o = run(at).wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
    }
    let again = run(at + chrono::Duration::minutes(1))
        .wait_with_output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("jobs: 0 run"),
        "{label}: nothing left to run: {}",
        String::from_utf8_lossy(&again.stdout)
    );
    rt.block_on(async {
        let store = open_store(db_url, &data.0).await;
        let (counts, rows) = faro_store::jobs::overview(&store, None, 500).await.unwrap();
        let done = counts
            .iter()
            .find(|(s, _)| s == "done")
            .map(|(_, n)| *n)
            .unwrap_or(0);
        let total: i64 = counts.iter().map(|(_, n)| n).sum();
        assert_eq!(done, total, "{label}: every job done: {counts:?}");
        // 6 confirmations, 6 "confirmed", 2 reminder fan-outs, 12 reminders.
        assert_eq!(total, 26, "{label}: {counts:?}");
        for j in &rows {
            let expected = if j.id == crashed { 2 } else { 1 };
            assert_eq!(
                j.attempts, expected,
                "{label}: job {} ({}) run {} times",
                j.id, j.kind, j.attempts
            );
        }
        store.close().await;
    });
}

#[test]
fn reminders_are_sent_once_by_concurrent_processes_sqlite() {
    reminders_once(None, "sqlite");
}

#[test]
fn reminders_are_sent_once_by_concurrent_processes_postgres() {
    let Some(url) = fresh_postgres() else {
        eprintln!("SKIPPED: PostgreSQL part (set FARO_TEST_DATABASE_URL)");
        return;
    };
    reminders_once(Some(&url), "postgres");
}

/// The same registration in Debian's Chromium with JavaScript off
/// (`tests/events/browser_flow.py` driving `tests/events/browser.mjs`):
/// forms, the e-mailed link, the .ics download, rescheduling and
/// cancellation as people do them.
fn browser_flow(db_url: Option<&str>, label: &str) {
    let browser_ready = std::path::Path::new("/usr/bin/chromium").exists()
        && repo().join("node_modules/playwright-core").exists();
    if !browser_ready {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but Chromium or playwright-core (npm ci) is missing");
        }
        eprintln!("SKIPPED: browser registration (apt install chromium; npm ci)");
        return;
    }
    let data = tmpdir(&format!("events-browser-{label}"));
    let out = data.0.join("ics");
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(repo().join("tests/events/browser_flow.py"))
        .arg(bin())
        .arg(&data.0)
        .arg(&out);
    if let Some(u) = db_url {
        cmd.arg(u);
    }
    let o = cmd.output().expect("run browser_flow.py");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{label}: browser flow failed\n{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for step in [
        "the coordinator created the session with the form",
        "missing consent refused beside the field",
        "the visitor registered without an account or JavaScript",
        "confirmed from the e-mailed link",
        "the coordinator rescheduled the session with the form",
        "the visitor cancelled from the personal page",
        "browser flow ok",
    ] {
        assert!(stdout.contains(step), "{label}: {step}\n{stdout}");
    }
}

#[test]
fn a_visitor_registers_in_a_browser_without_javascript_sqlite() {
    if python_ready() {
        browser_flow(None, "sqlite");
    }
}

#[test]
fn a_visitor_registers_in_a_browser_without_javascript_postgres() {
    let Some(url) = fresh_postgres() else {
        eprintln!("SKIPPED: PostgreSQL part (set FARO_TEST_DATABASE_URL)");
        return;
    };
    if python_ready() {
        browser_flow(Some(&url), "postgres");
    }
}
