//! `faro bench surveys`: a questionnaire of 200 questions (tests/bench/
//! survey200.xlsx, written by make_survey200.py) with N synthetic submitted
//! responses (deterministic per seed), measured through the real router
//! in-process: the results page (coordinator, all questions), page saves
//! (by access code, a field-list page of 10 questions, compare-and-set)
//! and the full streamed CSV export (time, bytes, and the process's
//! resident memory growth while it streams). Data come from the generator,
//! never from the demo. Runs on a new SQLite folder, or on `DATABASE_URL`.

use anyhow::{Context, Result, bail};
use axum::body::Body;
use axum::http::Request;
use faro_domain::accounts::Role;
use faro_domain::institutions::{Institution, InstitutionKind};
use faro_formats::xlsform::Kind;
use faro_search::synth::Rng;
use faro_store::changes::Actor;
use faro_store::{Store, accounts, institutions, list, surveys};
use http_body_util::BodyExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tower::ServiceExt;

#[derive(clap::Args, Debug, Clone)]
pub struct SurveyBenchArgs {
    /// The XLSForm (default: tests/bench/survey200.xlsx).
    #[arg(long, default_value = "tests/bench/survey200.xlsx")]
    form: PathBuf,
    #[arg(long, default_value_t = 5_000)]
    responses: usize,
    /// Results page requests (p50/p99 over these).
    #[arg(long, default_value_t = 30)]
    results_runs: usize,
    /// Page saves (each on another response).
    #[arg(long, default_value_t = 200)]
    saves: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1]
}

pub async fn run(args: &SurveyBenchArgs, database_url: Option<&str>) -> Result<()> {
    let tmp = std::env::temp_dir().join(format!("faro-bench-surveys-{}", std::process::id()));
    let store = match database_url {
        Some(u) if !u.is_empty() => Store::connect(u).await?,
        _ => {
            std::fs::create_dir_all(&tmp)?;
            Store::open_data_dir(&tmp).await?
        }
    };
    store.migrate().await?;
    let bytes =
        std::fs::read(&args.form).with_context(|| format!("reading {}", args.form.display()))?;
    let form = faro_formats::xlsform::read(&bytes, "bench")
        .map_err(|p| anyhow::anyhow!("the bench form is refused: {}", p[0]))?;
    let n = args.responses;
    let t0 = Instant::now();
    let insts: Vec<Institution> = (0..n)
        .map(|i| Institution {
            id: format!("bench-{i:05}"),
            acronym: format!("B{i}"),
            name_es: String::new(),
            name_en: format!("Bench institute {i}"),
            name_pt: String::new(),
            country: Some(["AR", "BR", "CO", "UY", "PE"][i % 5].to_string()),
            kind: InstitutionKind::ALL[i % InstitutionKind::ALL.len()],
            member: true,
            presenter: false,
            website: None,
            note: None,
            description_es: None,
            description_en: None,
            description_pt: None,
            contact_email: None,
        })
        .collect();
    institutions::upsert_all(&store, &insts, &Actor::new("bench", None)).await?;
    surveys::upload(&store, &form, &bytes, "bench.xlsx", "bench").await?;
    let id = form.form_id.clone();
    let ids: Vec<String> = insts.iter().map(|i| i.id.clone()).collect();
    let codes = surveys::invite(&store, &id, &ids, "en", "bench").await?;
    // Responses and answers in bulk (the generator; the write path is
    // measured below by the page saves).
    let mut rng = Rng::new(args.seed);
    let questions = form.questions();
    let now = chrono::Utc::now();
    let mut resp_rows = Vec::new();
    for (i, inst) in ids.iter().enumerate() {
        // The first `saves` responses stay open for the save measurement.
        let state = if i < args.saves { "open" } else { "submitted" };
        resp_rows.push(vec![
            format!("00000000-0000-4000-8000-{i:012}").into(),
            id.clone().into(),
            inst.clone().into(),
            1i32.into(),
            state.into(),
            now.into(),
            now.into(),
            (state == "submitted").then_some(now).into(),
        ]);
    }
    for chunk in resp_rows.chunks(400) {
        list::insert_rows(
            store.write(),
            "survey_response",
            &[
                "uuid",
                "survey_id",
                "institution_id",
                "version",
                "state",
                "opened_at",
                "updated_at",
                "submitted_at",
            ],
            chunk,
        )
        .await?;
    }
    let mut sql = list::Sql::new(store.backend());
    sql.push("SELECT id FROM survey_response WHERE survey_id = ")
        .bind(id.clone())
        .push(" ORDER BY id");
    let resp_ids: Vec<i64> = sea_orm::ConnectionTrait::query_all_raw(store.read(), sql.statement())
        .await?
        .iter()
        .map(|r| r.try_get::<i64>("", "id"))
        .collect::<std::result::Result<_, _>>()?;
    let mut answers = Vec::new();
    for rid in &resp_ids {
        for (q, _) in &questions {
            let v = match q.kind {
                Kind::SelectOne => format!("c{}", rng.below(5)),
                Kind::SelectMultiple => {
                    let a = rng.below(5);
                    let b = (a + 1 + rng.below(4)) % 5;
                    format!("c{} c{}", a.min(b), a.max(b))
                }
                Kind::Integer => rng.below(1000).to_string(),
                Kind::Decimal => format!("{}.{}", rng.below(100), rng.below(10)),
                Kind::Date => format!("2020-{:02}-{:02}", 3 + rng.below(4), 1 + rng.below(28)),
                Kind::Text => format!("answer {}", rng.below(100_000)),
                _ => continue,
            };
            answers.push(vec![
                (*rid).into(),
                q.name.clone().into(),
                0i32.into(),
                v.into(),
            ]);
        }
        if answers.len() >= 20_000 {
            list::insert_rows(
                store.write(),
                "survey_answer",
                &["response_id", "question", "instance", "value"],
                &answers,
            )
            .await?;
            answers.clear();
        }
    }
    list::insert_rows(
        store.write(),
        "survey_answer",
        &["response_id", "question", "instance", "value"],
        &answers,
    )
    .await?;
    // Answers written in bulk bypass submit, which keeps the counts.
    faro_store::surveys::rebuild_tally(store.write()).await?;
    let setup = t0.elapsed();

    // A coordinator's session and the router.
    let user = accounts::create_user(
        &store,
        "bench@faro.test",
        Role::Coordinator,
        &[],
        None,
        &Actor::new("bench", None),
    )
    .await?;
    let session = accounts::create_session(&store, user.id).await?;
    let state = faro_web::AppState {
        store: store.clone(),
        config: std::sync::Arc::new(faro_web::WebConfig::default()),
        search: None,
    };
    let app = faro_web::router(state);
    let coord_cookie = format!("{}={}", faro_web::auth::SESSION_COOKIE, session.token);

    // Results page: the first read reduces and keeps the results (the
    // counts were just rebuilt, as after any submit); the next ones read
    // them as kept. Then the same page filtered by a select's choice
    // (reduced from the answers on every request).
    let results = |query: String| {
        let app = app.clone();
        let cookie = coord_cookie.clone();
        let uri = format!("/en/surveys/{id}/results{query}");
        async move {
            let req = Request::get(uri)
                .header("cookie", cookie)
                .body(Body::empty())?;
            let t = Instant::now();
            let res = app.oneshot(req).await?;
            let status = res.status();
            let body = axum::body::to_bytes(res.into_body(), usize::MAX).await?;
            let took = t.elapsed();
            if !status.is_success() || !String::from_utf8_lossy(&body).contains("n-responses") {
                bail!("results page answered {status}");
            }
            Ok::<_, anyhow::Error>(took)
        }
    };
    let first_read = results(String::new()).await?;
    let mut times = Vec::new();
    for _ in 0..args.results_runs {
        times.push(results(String::new()).await?);
    }
    let (r50, r99) = (pct(&mut times, 0.5), pct(&mut times, 0.99));
    let by = form
        .questions()
        .into_iter()
        .find(|(q, rep)| rep.is_none() && q.kind == Kind::SelectOne)
        .map(|(q, _)| format!("?by={}%3Ac1", q.name))
        .unwrap_or_default();
    let mut times = Vec::new();
    for _ in 0..args.results_runs.min(20) {
        times.push(results(by.clone()).await?);
    }
    let filtered_runs = times.len();
    let (f50, f99) = (pct(&mut times, 0.5), pct(&mut times, 0.99));

    // Page saves: page 2 (ten questions) of `saves` open responses, by code.
    let pages = form.pages();
    let page = &pages[1];
    let csrf = "a".repeat(64);
    let mut times = Vec::new();
    for (inst, code) in codes.iter().take(args.saves) {
        let mut body = format!("csrf={csrf}&revision=0&page=1&action=next");
        for q in &page.questions {
            let v = match q.item.kind {
                Kind::SelectOne => "c1".to_string(),
                Kind::SelectMultiple => "c2".to_string(),
                Kind::Integer => "7".into(),
                Kind::Decimal => "3.5".into(),
                Kind::Date => "2020-05-01".into(),
                _ => "bench%20text".into(),
            };
            body.push_str(&format!("&{}={v}", q.item.name));
        }
        let req = Request::post(format!("/en/surveys/{id}/answer/{inst}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", format!("faro_csrf={csrf}; faro_sv_{id}={code}"))
            .body(Body::from(body))?;
        let t = Instant::now();
        let res = app.clone().oneshot(req).await?;
        times.push(t.elapsed());
        if res.status() != axum::http::StatusCode::SEE_OTHER {
            let s = res.status();
            let b = axum::body::to_bytes(res.into_body(), usize::MAX).await?;
            bail!(
                "page save answered {s}: {}",
                String::from_utf8_lossy(&b)
                    .chars()
                    .take(400)
                    .collect::<String>()
            );
        }
    }
    let (s50, s99) = (pct(&mut times, 0.5), pct(&mut times, 0.99));

    // Full CSV export, streamed; resident memory sampled while it runs.
    let before = rss_kib();
    let req = Request::get(format!("/en/surveys/{id}/export.csv"))
        .header("cookie", &coord_cookie)
        .body(Body::empty())?;
    let t = Instant::now();
    let res = app.clone().oneshot(req).await?;
    let mut body = res.into_body();
    let (mut total, mut lines, mut peak) = (0usize, 0usize, before);
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            total += data.len();
            lines += data.iter().filter(|b| **b == b'\n').count();
            peak = peak.max(rss_kib());
        }
    }
    let export = t.elapsed();
    if lines != n - args.saves + 1 {
        bail!(
            "the export has {lines} lines for {} submitted responses",
            n - args.saves
        );
    }
    println!(
        "faro bench surveys: {} questions, {n} responses ({} submitted), backend {:?}",
        questions.len(),
        n - args.saves,
        store.backend()
    );
    println!("| measure | figure | goal |");
    println!("| --- | --- | --- |");
    println!(
        "| setup (generator, bulk insert) | {:.1} s | — |",
        setup.as_secs_f64()
    );
    println!(
        "| results page (all questions), p50 / p99 of {} | {:.0} / {:.0} ms | p99 ≤ 200 ms |",
        args.results_runs,
        r50.as_secs_f64() * 1e3,
        r99.as_secs_f64() * 1e3
    );
    println!(
        "| results page, first read after a change (reduce and keep) | {:.0} ms | — |",
        first_read.as_secs_f64() * 1000.0
    );
    println!(
        "| results page filtered by a choice ({by}), p50 / p99 of {filtered_runs} | {:.0} / {:.0} ms | — |",
        f50.as_secs_f64() * 1000.0,
        f99.as_secs_f64() * 1000.0
    );
    println!(
        "| page save (10 questions), p50 / p99 of {} | {:.1} / {:.1} ms | p99 ≤ 50 ms |",
        args.saves,
        s50.as_secs_f64() * 1e3,
        s99.as_secs_f64() * 1e3
    );
    println!(
        "| full CSV export, streamed | {:.2} s, {:.1} MB | ≤ 5 s |",
        export.as_secs_f64(),
        total as f64 / 1e6
    );
    println!(
        "| resident memory growth during the export | {:.1} MB (from {:.0} MB) | bounded |",
        (peak.saturating_sub(before)) as f64 / 1024.0,
        before as f64 / 1024.0
    );
    store.close().await;
    if std::env::var_os("FARO_BENCH_KEEP").is_some() {
        println!("kept for inspection: {}", tmp.display());
    } else {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}
