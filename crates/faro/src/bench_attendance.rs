//! `faro bench attendance`: the attendance goals of issue 13 on a fresh
//! database filled by the synthetic Zoom generator
//! (`faro_formats::zoom::synthetic`, never demonstration data):
//! - a 10,000-row participants report read and imported (and re-imported,
//!   which changes nothing);
//! - a series of N sessions × M attendees (default 50 × 5,000) imported,
//!   then the coordinators' analytics pages (series and session) requested
//!   through the router in-process, p50/p99;
//! - one certificate's PDF, and a batch of 1,000 with the process's peak
//!   RSS before and after.

use anyhow::{Context, Result};
use chrono::Utc;
use faro_domain::accounts::Role;
use faro_domain::events::{Series, Session};
use faro_store::changes::{Actor, NEW_RECORD};
use faro_store::{Store, accounts, attendance, certificates, demo, events, list};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct AttendanceBenchArgs {
    /// Sessions in the analytics series.
    #[arg(long, default_value_t = 50)]
    pub sessions: usize,
    /// Attendees per session.
    #[arg(long, default_value_t = 5000)]
    pub attendees: usize,
    /// Rows of the single-import file.
    #[arg(long, default_value_t = 10_000)]
    pub rows: usize,
    /// Requests per analytics page.
    #[arg(long, default_value_t = 200)]
    pub requests: usize,
    /// Certificates in the batch.
    #[arg(long, default_value_t = 1000)]
    pub certificates: usize,
    /// A PostgreSQL URL (an empty database); default: SQLite in a temp dir.
    #[arg(long)]
    pub database_url: Option<String>,
}

fn mem_mb(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn session(series: &str, n: usize) -> Session {
    Session {
        id: format!("{series}-{n:02}"),
        series: series.into(),
        number: n as u32,
        date: "2030-01-01".into(),
        start_time: "10:00".into(),
        time_zone: "UTC".into(),
        duration_minutes: 90,
        title_en: format!("Synthetic session {n}"),
        title_es: format!("Sesión sintética {n}"),
        title_pt: format!("Sessão sintética {n}"),
        original_language: "en".into(),
        channels: vec!["zoom".into()],
        status: "held".into(),
        ..Default::default()
    }
}

async fn series(store: &Store, id: &str, sessions: usize) -> Result<()> {
    let s = Series {
        id: id.into(),
        title_en: format!("Synthetic series {id}"),
        original_language: "en".into(),
        organiser: "cinterfor".into(),
        ..Default::default()
    };
    events::save_series(store, &s, &[], &Actor::new("bench", None), Some(NEW_RECORD)).await?;
    let all: Vec<Session> = (1..=sessions).map(|n| session(id, n)).collect();
    events::upsert_all(store, &all, &Actor::new("bench", None)).await?;
    Ok(())
}

/// Registrants for the pool's e-mails (so imports match and analytics
/// have countries and roles), written directly in batches.
async fn registrants(store: &Store, pool: usize) -> Result<()> {
    let now = Utc::now();
    const COUNTRIES: [&str; 6] = ["BR", "AR", "UY", "CO", "PE", "ES"];
    const ROLES: [&str; 4] = ["teacher", "manager", "researcher", "student"];
    let rows: Vec<Vec<sea_orm::Value>> = (0..pool)
        .map(|n| {
            vec![
                format!("person{n}@bench.example").into(),
                format!("Person {n}").into(),
                COUNTRIES[n % COUNTRIES.len()].to_string().into(),
                ROLES[n % ROLES.len()].to_string().into(),
                ["es", "en", "pt"][n % 3].to_string().into(),
                now.into(),
                "bench".to_string().into(),
                now.into(),
                now.into(),
            ]
        })
        .collect();
    list::insert_rows(
        store.write(),
        "registrant",
        &[
            "email",
            "name",
            "country",
            "role",
            "lang",
            "consent_at",
            "consent_version",
            "created_at",
            "updated_at",
        ],
        &rows,
    )
    .await?;
    Ok(())
}

async fn import(store: &Store, session: &str, bytes: &[u8]) -> Result<attendance::Imported> {
    let report = faro_formats::zoom::read(bytes, chrono_tz::UTC)
        .map_err(|e| anyhow::anyhow!("synthetic file unreadable: {:?}", &e[..e.len().min(3)]))?;
    Ok(attendance::import(
        store,
        session,
        &report,
        &attendance::sha256_hex(bytes),
        "UTC",
        "bench",
        Utc::now(),
    )
    .await?)
}

async fn request(
    app: &axum::Router,
    uri: &str,
    cookie: &str,
) -> Result<(u16, Vec<u8>, Vec<String>)> {
    use tower::ServiceExt;
    let mut req = axum::http::Request::builder().uri(uri);
    if !cookie.is_empty() {
        req = req.header("cookie", cookie);
    }
    let res = app
        .clone()
        .oneshot(req.body(axum::body::Body::empty())?)
        .await?;
    let status = res.status().as_u16();
    let cookies = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .collect();
    let body = axum::body::to_bytes(res.into_body(), 64 << 20)
        .await?
        .to_vec();
    Ok((status, body, cookies))
}

/// Signs the coordinator in through the login form; returns the cookie.
async fn login(app: &axum::Router, email: &str, password: &str) -> Result<String> {
    use tower::ServiceExt;
    let (_, body, cookies) = request(app, "/en/login", "").await?;
    let html = String::from_utf8_lossy(&body);
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .context("no CSRF token on the login form")?;
    let form =
        serde_urlencoded::to_string([("csrf", csrf), ("email", email), ("password", password)])?;
    let res = app
        .clone()
        .oneshot(
            axum::http::Request::builder()
                .method("POST")
                .uri("/en/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", cookies.join("; "))
                .body(axum::body::Body::from(form))?,
        )
        .await?;
    let set: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .collect();
    anyhow::ensure!(
        res.status().as_u16() == 303,
        "login failed: {}",
        res.status()
    );
    Ok(set.join("; "))
}

pub async fn run(args: &AttendanceBenchArgs) -> Result<()> {
    let tmp = tempfile_dir()?;
    let store = match &args.database_url {
        Some(url) => Store::connect(url).await?,
        None => Store::open_data_dir(&tmp).await?,
    };
    store.migrate().await?;
    demo::load(&store).await?;
    let backend = if args.database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let pool = args.attendees * 12 / 5;
    eprintln!(
        "setting up: {pool} registrants, {} sessions…",
        args.sessions + 1
    );
    registrants(&store, pool).await?;
    series(&store, "bench-att", args.sessions).await?;
    series(&store, "bench-one", 1).await?;

    // 1. One file of `rows` rows (a fifth of them rejoins).
    let rejoins = args.rows / 5;
    let file = faro_formats::zoom::synthetic(args.rows - rejoins, pool, 0, rejoins, "2030-01-01");
    let t = Instant::now();
    let r = import(&store, "bench-one-01", &file).await?;
    let import_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(r.rows as usize == args.rows, "rows {}", r.rows);
    let t = Instant::now();
    let again = import(&store, "bench-one-01", &file).await?;
    let reimport_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(again.unchanged, "re-import changed something");

    // 2. The series: sessions × attendees, people shared across sessions.
    eprintln!("importing {} × {}…", args.sessions, args.attendees);
    let t = Instant::now();
    for n in 1..=args.sessions {
        let f = faro_formats::zoom::synthetic(
            args.attendees,
            pool,
            n * 997,
            args.attendees / 10,
            "2030-01-01",
        );
        import(&store, &format!("bench-att-{n:02}"), &f).await?;
    }
    let fill_s = t.elapsed().as_secs_f64();
    let rows_total = args.sessions * args.attendees;

    // 3. Analytics pages through the router, as a signed-in coordinator.
    let pw = "bench password 1234";
    let hash = accounts::hash_password(pw.into()).await?;
    accounts::create_user(
        &store,
        "bench@faro.test",
        Role::Coordinator,
        &[],
        Some(hash),
        &Actor::new("bench", None),
    )
    .await?;
    let state = faro_web::AppState {
        search: None,
        store: store.clone(),
        config: std::sync::Arc::new(faro_web::WebConfig::default()),
    };
    let app = faro_web::router(state.clone());
    let cookie = login(&app, "bench@faro.test", pw).await?;
    let mut figures: Vec<(String, String)> = vec![
        ("backend".into(), backend.into()),
        (
            format!("import of a {}-row report (s)", args.rows),
            format!("{import_s:.2}"),
        ),
        (
            "re-import, unchanged (s)".into(),
            format!("{reimport_s:.2}"),
        ),
        (
            format!(
                "{} sessions × {} attendees imported (s)",
                args.sessions, args.attendees
            ),
            format!("{fill_s:.1} ({rows_total} rows)"),
        ),
    ];
    let middle = format!(
        "/en/events/bench-att-{:02}/analytics",
        args.sessions.div_ceil(2)
    );
    for (label, uri) in [
        (
            "series analytics page",
            "/en/events/series/bench-att/analytics".to_string(),
        ),
        ("session analytics page", middle),
        (
            "public audience page",
            "/en/events/series/bench-att/audience".to_string(),
        ),
    ] {
        // The first request after the imports computes the series'
        // figures and keeps them (m0023); the others read them.
        let t = Instant::now();
        let (st, _, _) = request(&app, &uri, &cookie).await?;
        let first = t.elapsed();
        anyhow::ensure!(st == 200, "{uri}: {st}");
        figures.push((
            format!("{label}, first request after the imports (ms)"),
            format!("{:.1}", first.as_secs_f64() * 1000.0),
        ));
        let mut times = Vec::with_capacity(args.requests);
        for _ in 0..args.requests {
            let t = Instant::now();
            let (st, _, _) = request(&app, &uri, &cookie).await?;
            times.push(t.elapsed());
            anyhow::ensure!(st == 200, "{uri}: {st}");
        }
        times.sort();
        figures.push((
            format!("{label}, p50 / p99 (ms, {} requests)", args.requests),
            format!("{:.1} / {:.1}", pct(&times, 0.5), pct(&times, 0.99)),
        ));
    }

    // 4. Certificates: a series of one session with `certificates` eligible.
    series(&store, "bench-cert", 1).await?;
    // Not every synthetic attendee stays half the session: the file has
    // half as many again, and the batch makes `certificates` of them.
    let f = faro_formats::zoom::synthetic(args.certificates * 3 / 2, pool, 0, 0, "2030-01-01");
    import(&store, "bench-cert-01", &f).await?;
    certificates::set_rule(
        &store,
        "bench-cert",
        certificates::Rule {
            min_share: 50,
            series_sessions: 0,
        },
        "bench",
        Utc::now(),
    )
    .await?;
    let t = Instant::now();
    let codes = certificates::issue(&store, "bench-cert", "bench", Utc::now()).await?;
    let issue_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(
        codes.len() >= args.certificates,
        "issued {} of {} wanted",
        codes.len(),
        args.certificates
    );
    let issued = codes.len();
    let codes = &codes[..args.certificates];
    let first = certificates::get(&store, &codes[0]).await?;
    let mut one = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let pdf = faro_web::pages::attendance::certificate_pdf(&state, &first)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        one.push(t.elapsed());
        anyhow::ensure!(pdf.starts_with(b"%PDF-"));
    }
    one.sort();
    let rss_before = mem_mb("VmHWM:");
    let t = Instant::now();
    let mut bytes = 0usize;
    for code in codes {
        let c = certificates::get(&store, code).await?;
        bytes += faro_web::pages::attendance::certificate_pdf(&state, &c)
            .await
            .map_err(|e| anyhow::anyhow!(e))?
            .len();
    }
    let batch_s = t.elapsed().as_secs_f64();
    let rss_after = mem_mb("VmHWM:");
    figures.push((
        format!("{issued} certificates issued (s)"),
        format!("{issue_s:.2}"),
    ));
    figures.push((
        "one certificate PDF, p50 / max of 20 (ms)".into(),
        format!("{:.1} / {:.1}", pct(&one, 0.5), pct(&one, 1.0)),
    ));
    figures.push((
        format!("{} certificate PDFs (s; average size kB)", codes.len()),
        format!(
            "{batch_s:.1} ({:.1})",
            bytes as f64 / codes.len() as f64 / 1024.0
        ),
    ));
    figures.push((
        "peak RSS before / after the batch (MB)".into(),
        format!("{rss_before:.0} / {rss_after:.0}"),
    ));
    println!("| measure | value |\n| --- | --- |");
    for (k, v) in figures {
        println!("| {k} | {v} |");
    }
    store.close().await;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!("faro-bench-attendance-{}", std::process::id()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
