//! `faro bench harvest` (issue 15): a harvest of N pages (default 1,000)
//! with schema.org `Course` JSON-LD, listed by a sitemap, from a local HTTP
//! server started here (one thread per connection, an optional delay per
//! page to stand for a distant site). Prints the time of the first run
//! (every course created), of a second run (nothing changes) and the pages
//! per second. Goal: 1,000 pages ≤ 30 s with bounded concurrency
//! (`faro_web::harvest::CONCURRENCY` fetches at a time).

use anyhow::Result;
use faro_store::changes::Actor;
use faro_store::{Store, demo, harvest};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct HarvestBenchArgs {
    /// Course pages in the sitemap.
    #[arg(long, default_value_t = 1000)]
    pub pages: usize,
    /// Milliseconds the local server waits before each page.
    #[arg(long, default_value_t = 20)]
    pub delay_ms: u64,
}

fn page(n: usize, base: &str) -> String {
    format!(
        r#"<!doctype html><html lang="es"><head><title>Curso {n}</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@graph":[
{{"@type":"Organization","@id":"{base}/#org","name":"Centro de prueba"}},
{{"@type":"Course","@id":"{base}/c/{n}#course","name":"Curso de prueba {n}: seguridad en el trabajo",
"description":"Descripción del curso de prueba número {n}.","url":"{base}/c/{n}","inLanguage":"es",
"provider":{{"@id":"{base}/#org"}},"isAccessibleForFree":true,
"hasCourseInstance":[{{"@type":"CourseInstance","courseMode":"online","startDate":"2027-0{m}-01",
"endDate":"2027-0{m}-28","courseWorkload":"PT{h}H",
"offers":[{{"@type":"Offer","price":"0","priceCurrency":"USD","category":"Free"}}]}}]}}]}}</script>
</head><body><h1>Curso {n}</h1><p>{filler}</p></body></html>"#,
        m = 1 + n % 9,
        h = 5 + n % 60,
        filler = "Texto de la página. ".repeat(200)
    )
}

/// Serves `/sitemap.xml` and `/c/{n}` until the process ends.
fn serve(pages: usize, delay: Duration) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let b = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let base = b.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(match stream.try_clone() {
                    Ok(s) => s,
                    Err(_) => return,
                });
                let mut stream = stream;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                            break;
                        }
                    }
                    let (status, body, ct) = if path == "/sitemap.xml" {
                        let mut x = String::from(
                            r#"<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#,
                        );
                        for n in 0..pages {
                            x.push_str(&format!("<url><loc>{base}/c/{n}</loc></url>"));
                        }
                        x.push_str("</urlset>");
                        ("200 OK", x, "application/xml")
                    } else if let Some(n) = path.strip_prefix("/c/").and_then(|n| n.parse().ok()) {
                        std::thread::sleep(delay);
                        ("200 OK", page(n, &base), "text/html; charset=utf-8")
                    } else {
                        ("404 Not Found", String::from("not found"), "text/plain")
                    };
                    // One write: a head and a body written apart meet
                    // Nagle's algorithm and the delayed ACK (40 ms each).
                    let answer = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if stream.write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    Ok(base)
}

pub async fn run(args: &HarvestBenchArgs, database_url: Option<&str>) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("faro-bench-harvest-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = match database_url {
        Some(u) => Store::connect(u).await?,
        None => Store::open_data_dir(&dir).await?,
    };
    store.migrate().await?;
    demo::load(&store).await?;
    let base = serve(args.pages, Duration::from_millis(args.delay_ms))?;
    let src = harvest::Source {
        id: format!("bench-{}", std::process::id()),
        institution_id: "ina".into(),
        kind: "sitemap".into(),
        url: format!("{base}/sitemap.xml"),
        lang: "es".into(),
        every_hours: None,
        last_run_at: None,
        last_outcome: String::new(),
    };
    let actor = Actor::new("bench", None);
    harvest::save_source(&store, &src, &actor).await?;
    println!(
        "harvest of {} pages from a local server ({} ms a page), {} fetches at a time",
        args.pages,
        args.delay_ms,
        faro_web::harvest::CONCURRENCY
    );
    for label in ["first run (creates)", "second run (nothing changes)"] {
        let t = Instant::now();
        let o = faro_web::harvest::run(&store, &src, &actor)
            .await
            .map_err(anyhow::Error::msg)?;
        let s = t.elapsed().as_secs_f64();
        println!(
            "{label}: {s:.2} s, {:.0} pages/s; {}",
            o.pages as f64 / s.max(1e-9),
            o.summary()
        );
        if !o.problems.is_empty() {
            println!("  first problem: {:?}", o.problems[0]);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
