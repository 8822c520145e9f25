//! `faro bench search`: index build time, query latency (p50/p99) and peak
//! memory for tantivy and, on the same synthetic corpus, SQLite FTS5.
//! Figures are printed as a table; compare ratios within one run (the
//! machine may be noisy).

use anyhow::{Context, Result};
use faro_domain::Lang;
use faro_search::synth::{Corpus, Rng};
use faro_search::{SearchIndex, SearchRequest};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct SearchBenchArgs {
    /// Number of synthetic records.
    #[arg(long, default_value_t = 1_000_000)]
    records: u64,
    /// Queries per shape.
    #[arg(long, default_value_t = 200)]
    queries: usize,
    /// Work folder (default: a new folder under the system temp dir, removed after).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Skip the SQLite FTS5 baseline.
    #[arg(long)]
    skip_fts5: bool,
    /// Indexing threads for tantivy.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| {
                    let m = e.metadata().ok();
                    match m {
                        Some(m) if m.is_dir() => dir_size(&e.path()),
                        Some(m) => m.len(),
                        None => 0,
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

#[derive(Clone)]
struct Query {
    words: Vec<String>,
    filters: Vec<(String, String)>,
}

fn queries(n: usize, seed: u64) -> Vec<(&'static str, Vec<Query>)> {
    let mut rng = Rng::new(seed ^ 0x51);
    let langs = [Lang::Es, Lang::En, Lang::Pt];
    let mut one = Vec::new();
    let mut two = Vec::new();
    let mut faceted = Vec::new();
    for _ in 0..n {
        let lang = langs[rng.below(3)];
        let d = Corpus::domain(lang);
        let a = d[rng.below(d.len())].to_string();
        let mut b = d[rng.below(d.len())].to_string();
        while b == a {
            b = d[rng.below(d.len())].to_string();
        }
        one.push(Query {
            words: vec![a.clone()],
            filters: vec![],
        });
        two.push(Query {
            words: vec![a.clone(), b.clone()],
            filters: vec![],
        });
        let types = faro_search::synth::TYPES;
        let countries = faro_search::synth::COUNTRIES;
        faceted.push(Query {
            words: vec![a, b],
            filters: vec![
                ("type".into(), types[rng.below(types.len())].into()),
                (
                    "country".into(),
                    countries[rng.below(countries.len())].into(),
                ),
            ],
        });
    }
    vec![
        ("one word", one),
        ("two words", two),
        ("two words + 2 facets", faceted),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

struct Shape {
    name: &'static str,
    p50: Duration,
    p99: Duration,
    mean_hits: f64,
}

pub async fn search(args: &SearchBenchArgs) -> Result<()> {
    let own_dir = args.dir.is_none();
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("faro-bench-{}", std::process::id())));
    std::fs::create_dir_all(&dir)?;
    let corpus = Corpus::new(args.seed);
    let shapes = queries(args.queries, args.seed);
    println!(
        "# faro bench search: {} records, {} queries per shape, seed {}",
        args.records, args.queries, args.seed
    );

    // --- tantivy ---------------------------------------------------------
    let tdir = dir.join("tantivy");
    let _ = std::fs::remove_dir_all(&tdir);
    let started = Instant::now();
    let index = SearchIndex::create_for_bulk(&tdir, 400_000_000, args.threads)?;
    let n = args.records;
    let progress_every = (n / 10).max(1);
    index.rebuild((0..n).map(|i| corpus.doc(i).doc), "bench", 0, |done| {
        if done % progress_every == 0 {
            eprint!("\r  tantivy: {done}/{n} indexed");
        }
    })?;
    eprintln!();
    let built = started.elapsed();
    let searcher_index = index;
    let mut t_shapes = Vec::new();
    for (name, qs) in &shapes {
        // Warm up once per shape.
        for q in qs.iter().take(5) {
            searcher_index.search(&request(q))?;
        }
        let mut times = Vec::with_capacity(qs.len());
        let mut hits = 0u64;
        for q in qs {
            let t = Instant::now();
            let r = searcher_index.search(&request(q))?;
            times.push(t.elapsed());
            hits += r.total;
            assert!(r.facets.len() == 6);
        }
        times.sort();
        t_shapes.push(Shape {
            name,
            p50: percentile(&times, 0.5),
            p99: percentile(&times, 0.99),
            mean_hits: hits as f64 / qs.len() as f64,
        });
    }
    let t_size = dir_size(&tdir);
    let t_peak = peak_rss_mib();
    drop(searcher_index);

    // --- SQLite FTS5 -----------------------------------------------------
    let mut f_shapes = Vec::new();
    let mut f_built = Duration::ZERO;
    let mut f_size = 0;
    if !args.skip_fts5 {
        let path = dir.join("fts5.sqlite");
        (async {
            let started = Instant::now();
            let mut db = faro_store::fts5_baseline::Fts5::create(&path).await?;
            let mut i = 0;
            while i < n {
                let mut batch = Vec::with_capacity(10_000);
                let end = (i + 10_000).min(n);
                let docs: Vec<_> = (i..end).map(|k| corpus.doc(k)).collect();
                for (k, d) in docs.iter().enumerate() {
                    let year = d.doc.year.unwrap_or(0).to_string();
                    batch.push((i + k as u64, d, year));
                }
                let rows: Vec<faro_store::fts5_baseline::Fts5Doc> = batch
                    .iter()
                    .map(|(id, d, year)| faro_store::fts5_baseline::Fts5Doc {
                        id: *id as i64,
                        title: &d.title,
                        body: &d.body,
                        facets: [
                            &d.doc.record_type,
                            &d.doc.countries[0],
                            &d.doc.institutions[0],
                            &d.doc.categories[0],
                            &d.doc.languages[0],
                            year,
                        ],
                    })
                    .collect();
                db.insert(&rows).await?;
                i = end;
                if i.is_multiple_of(progress_every) {
                    eprint!("\r  fts5: {i}/{n} indexed");
                }
            }
            db.finish().await?;
            eprintln!();
            f_built = started.elapsed();
            for (name, qs) in &shapes {
                for q in qs.iter().take(5) {
                    let w: Vec<&str> = q.words.iter().map(String::as_str).collect();
                    let f: Vec<(&str, &str)> = q
                        .filters
                        .iter()
                        .map(|(a, b)| (a.as_str(), b.as_str()))
                        .collect();
                    db.search(&w, &f).await?;
                }
                let mut times = Vec::with_capacity(qs.len());
                let mut hits = 0i64;
                for q in qs {
                    let w: Vec<&str> = q.words.iter().map(String::as_str).collect();
                    let f: Vec<(&str, &str)> = q
                        .filters
                        .iter()
                        .map(|(a, b)| (a.as_str(), b.as_str()))
                        .collect();
                    let t = Instant::now();
                    let (_, total) = db.search(&w, &f).await?;
                    times.push(t.elapsed());
                    hits += total;
                }
                times.sort();
                f_shapes.push(Shape {
                    name,
                    p50: percentile(&times, 0.5),
                    p99: percentile(&times, 0.99),
                    mean_hits: hits as f64 / qs.len() as f64,
                });
            }
            anyhow::Ok(())
        })
        .await
        .context("FTS5 baseline")?;
        f_size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    }
    let f_peak = peak_rss_mib();

    println!();
    println!("| engine | build | on disk | peak RSS (process, MiB) |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| tantivy | {:.1} s | {:.0} MiB | {:.0} |",
        built.as_secs_f64(),
        t_size as f64 / 1048576.0,
        t_peak
    );
    if !args.skip_fts5 {
        println!(
            "| SQLite FTS5 | {:.1} s | {:.0} MiB | {:.0} (cumulative) |",
            f_built.as_secs_f64(),
            f_size as f64 / 1048576.0,
            f_peak
        );
    }
    println!();
    println!(
        "| query shape (top 20 + 6 facet counts) | mean matches | tantivy p50 ms | tantivy p99 ms | FTS5 p50 ms | FTS5 p99 ms | p50 ratio | p99 ratio |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (i, t) in t_shapes.iter().enumerate() {
        match f_shapes.get(i) {
            Some(f) => println!(
                "| {} | {:.0} | {} | {} | {} | {} | {:.1}× | {:.1}× |",
                t.name,
                t.mean_hits,
                ms(t.p50),
                ms(t.p99),
                ms(f.p50),
                ms(f.p99),
                f.p50.as_secs_f64() / t.p50.as_secs_f64().max(1e-9),
                f.p99.as_secs_f64() / t.p99.as_secs_f64().max(1e-9)
            ),
            None => println!(
                "| {} | {:.0} | {} | {} | – | – | – | – |",
                t.name,
                t.mean_hits,
                ms(t.p50),
                ms(t.p99)
            ),
        }
    }
    if own_dir {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

fn request(q: &Query) -> SearchRequest {
    SearchRequest {
        q: q.words.join(" "),
        filters: q.filters.clone(),
        sort: faro_search::Sort::Relevance,
        page: 1,
        per_page: 20,
        snippets: false,
        lang: None,
    }
}
