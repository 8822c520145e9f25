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
