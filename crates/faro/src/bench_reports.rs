//! `faro bench reports` (issue 16): the built-in series report on the
//! demonstration data, in three languages: time to resolve and render the
//! HTML, time per PDF, and the process's resident memory before and after
//! N successive PDFs (the typesetter keeps no cache between documents, so
//! it should come back to its level).

use anyhow::Result;
use faro_store::{Store, demo};
use faro_web::reports::{self as engine, EditionInfo, LANGS};
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct ReportsBenchArgs {
    /// Successive PDFs for the memory check.
    #[arg(long, default_value_t = 100)]
    pub pdfs: usize,
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

pub async fn run(args: &ReportsBenchArgs) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("faro-bench-reports-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = Store::open_data_dir(&dir).await?;
    store.migrate().await?;
    demo::load(&store).await?;
    let sources = faro_web::pages::reports::builtin("series", "vc2020", "", &[]);
    let docs = engine::parse_all(&sources)
        .map_err(|p| anyhow::anyhow!("the built-in series report has problems: {p:?}"))?;
    let info = EditionInfo {
        report_id: "vc2020-report".into(),
        number: 1,
        date: chrono::Utc::now().date_naive(),
        base_url: "http://localhost:8080".into(),
    };
    println!("faro bench reports: the series report (vc2020), demonstration data, SQLite");
    let mut builds = Vec::new();
    for (lang, doc) in LANGS.iter().zip(docs.iter()) {
        let t = Instant::now();
        let mut r = engine::Resolver::new(&store);
        let b = engine::build(&mut r, *lang, doc)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let html = engine::html_document(&b, &info);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "  {}: data + HTML {ms:.1} ms, {} bytes of HTML",
            lang.code(),
            html.len()
        );
        builds.push(b);
    }
    for b in &builds {
        let t = Instant::now();
        let pdf = engine::pdf(b, &info)?;
        println!(
            "  {}: PDF {:.1} ms, {} bytes",
            b.lang.code(),
            t.elapsed().as_secs_f64() * 1000.0,
            pdf.len()
        );
    }
    let before = rss_mb();
    let t = Instant::now();
    let mut worst = 0.0f64;
    for i in 0..args.pdfs {
        let one = Instant::now();
        let pdf = engine::pdf(&builds[i % 3], &info)?;
        std::hint::black_box(&pdf);
        worst = worst.max(one.elapsed().as_secs_f64() * 1000.0);
    }
    let total = t.elapsed().as_secs_f64();
    let after = rss_mb();
    println!(
        "  {} successive PDFs: {:.1} ms each on average, slowest {worst:.1} ms; RSS {before:.1} MB before, {after:.1} MB after",
        args.pdfs,
        total * 1000.0 / args.pdfs.max(1) as f64,
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
