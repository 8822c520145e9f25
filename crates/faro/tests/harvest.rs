//! `faro courses harvest` end to end (issue 15): the fixture pages in
//! `tests/data/harvest/` — JSON-LD written the way course sites write it —
//! served by this test over HTTP, listed by a sitemap index, harvested by
//! the real binary; what Faro stored is compared with what an independent
//! reader (Python's `extruct`, `tests/data/harvest/extruct_read.py`) finds
//! in the same pages. Then: a second run changes nothing, unreachable, slow
//! and oversized pages are reported by URL while the rest is stored, and
//! the course page says where the course was gathered from. SQLite always,
//! PostgreSQL when `FARO_TEST_DATABASE_URL` is set.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/harvest")
}

/// Serves the fixtures (with `http://HOST/` made this server's address),
/// `/gone` (404), `/slow` (answers after 3 s) and `/huge` (3 MB).
fn site() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let b = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let base = b.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut stream = stream;
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
                let name = path.trim_start_matches('/');
                let (status, body) = match name {
                    "gone" => ("404 Not Found", b"gone".to_vec()),
                    "slow" => {
                        std::thread::sleep(Duration::from_secs(3));
                        ("200 OK", b"<html></html>".to_vec())
                    }
                    "huge" => ("200 OK", vec![b'x'; 3 * 1024 * 1024]),
                    n if !n.contains("..") && !n.contains('/') && fixtures().join(n).is_file() => {
                        let text = std::fs::read_to_string(fixtures().join(n)).unwrap();
                        (
                            "200 OK",
                            text.replace("http://HOST/", &format!("{base}/"))
                                .into_bytes(),
                        )
                    }
                    _ => ("404 Not Found", b"no such file".to_vec()),
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            });
        }
    });
    base
}

/// What extruct finds: file → [(name, url, starts, prices)].
type Found = BTreeMap<String, Vec<(String, String, Vec<String>, Vec<String>)>>;

fn extruct(base: &str) -> Found {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    let out = std::process::Command::new("python3")
        .arg(fixtures().join("extruct_read.py"))
        .arg("--base-url")
        .arg(format!("{base}/"))
        .args(&files)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "extruct_read.py failed (pip install extruct): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let strings = |x: &serde_json::Value| -> Vec<String> {
        x.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    v.as_object()
        .unwrap()
        .iter()
        .map(|(file, items)| {
            let items = items
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["name"].as_str().unwrap().to_string(),
                        c["url"].as_str().unwrap().to_string(),
                        strings(&c["starts"]),
                        strings(&c["prices"]),
                    )
                })
                .collect();
            (file.clone(), items)
        })
        .collect()
}

fn summary_number(out: &str, what: &str) -> usize {
    let first = out.lines().next().unwrap_or("");
    first
        .split(", ")
        .flat_map(|part| part.split(": "))
        .find_map(|part| part.strip_suffix(what).and_then(|n| n.trim().parse().ok()))
        .unwrap_or_else(|| panic!("no {what:?} in {first:?}"))
}

fn run(db_url: Option<&str>) {
    let tmp = tmpdir("harvest");
    let data = tmp.0.join("data");
    let env_faro = |args: &[&str]| {
        let o = faro(&data, db_url, args);
        assert!(
            o.status.success(),
            "faro {args:?}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        stdout(&o)
    };
    env_faro(&["demo", "load"]);
    let base = site();
    let index = format!("{base}/sitemap-index.xml");
    // A bad source is refused with its reasons, and nothing is saved.
    let bad = faro(
        &data,
        db_url,
        &[
            "courses",
            "source",
            "x",
            "--institution",
            "no-such-vti",
            "--kind",
            "sitemap",
            "--url",
            &index,
        ],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("institution"), "{}", stderr(&bad));
    env_faro(&[
        "courses",
        "source",
        "ina-site",
        "--institution",
        "ina",
        "--kind",
        "sitemap",
        "--url",
        &index,
        "--lang",
        "es",
    ]);
    let out = env_faro(&["courses", "harvest", "ina-site", "--verbose"]);
    eprintln!("{out}");
    let found = extruct(&base);
    eprintln!("extruct: {found:?}");
    let expected: usize = found.values().map(|v| v.len()).sum();
    assert!(expected >= 4, "the fixtures hold courses: {found:?}");
    assert_eq!(summary_number(&out, "created"), expected, "{out}");
    assert_eq!(summary_number(&out, "skipped"), 0, "{out}");
    // The page with no course and the broken block are named, with their URL.
    assert!(out.contains("no-course.html"), "{out}");

    // What Faro stored equals what extruct read.
    let server = serve(&data, db_url);
    let (status, body) = http_get(&server.addr, "/api/v1/courses?provider=ina&per_page=100");
    assert_eq!(status, 200, "{body}");
    let api: serde_json::Value = serde_json::from_str(&body).unwrap();
    let items = api["items"].as_array().unwrap();
    for (file, courses) in &found {
        for (name, url, starts, prices) in courses {
            let c = items
                .iter()
                .find(|c| c["url"] == url.as_str())
                .unwrap_or_else(|| panic!("{file}: no course with url {url} in {body}"));
            let lang = c["original_language"].as_str().unwrap();
            let title = c[format!("title_{lang}")].as_str().unwrap();
            assert_eq!(title, name, "{file}: {url}");
            assert!(!title.contains('<'), "{title}");
            let runs = c["runs"].as_array().unwrap();
            let mut ours: Vec<String> = runs
                .iter()
                .map(|r| r["run_start"].as_str().unwrap().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            ours.sort();
            assert_eq!(&ours, starts, "{file}: {url} start dates");
            let mut our_prices: Vec<String> = runs
                .iter()
                .map(|r| r["price"].as_str().unwrap().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            our_prices.sort();
            our_prices.dedup();
            assert_eq!(&our_prices, prices, "{file}: {url} prices");
            assert_eq!(c["providers"], serde_json::json!(["ina"]));
        }
    }
    // The course page says where the course was gathered from; the hostile
    // name is text, never markup.
    let first = &items
        .iter()
        .find(|c| c["url"].as_str().unwrap().starts_with(&base))
        .unwrap()["id"];
    let (status, page) = http_get(
        &server.addr,
        &format!("/es/courses/{}", first.as_str().unwrap()),
    );
    assert_eq!(status, 200);
    assert!(
        page.contains("Recogido del catálogo del proveedor"),
        "{page}"
    );
    assert!(page.contains(&base), "{page}");
    for c in items {
        let (_, page) = http_get(
            &server.addr,
            &format!("/en/courses/{}", c["id"].as_str().unwrap()),
        );
        assert!(
            !page.contains("<script>alert"),
            "unescaped markup on {}",
            c["id"]
        );
    }
    drop(server);

    // A second run creates and changes nothing.
    let again = env_faro(&["courses", "harvest", "ina-site"]);
    assert_eq!(summary_number(&again, "created"), 0, "{again}");
    assert_eq!(summary_number(&again, "updated"), 0, "{again}");
    assert_eq!(summary_number(&again, "unchanged"), expected, "{again}");

    // Pages that are gone, too slow or too large are named; the good one is stored.
    let list = |p: &str| format!("{base}/{p}");
    let mut args = vec![
        "courses".to_string(),
        "source".into(),
        "ina-pages".into(),
        "--institution".into(),
        "ina".into(),
        "--kind".into(),
        "urls".into(),
    ];
    for p in ["gone", "slow", "huge", "course-self-paced.html"] {
        args.push("--url".into());
        args.push(list(p));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env_faro(&args);
    let o = {
        let mut cmd = std::process::Command::new(bin());
        cmd.arg("--data-dir")
            .arg(&data)
            .args(["courses", "harvest", "ina-pages", "--verbose"])
            .env_remove("DATABASE_URL")
            .env("FARO_LOG", "warn")
            .env("FARO_HARVEST_TIMEOUT_MS", "1000");
        if let Some(u) = db_url {
            cmd.env("DATABASE_URL", u);
        }
        cmd.output().unwrap()
    };
    let text = stdout(&o);
    eprintln!("{text}");
    assert!(o.status.success(), "{text}{}", stderr(&o));
    assert!(
        text.contains(&format!("problem: {}: HTTP 404", list("gone"))),
        "{text}"
    );
    assert!(
        text.contains(&format!("problem: {}:", list("slow"))),
        "{text}"
    );
    assert!(
        text.contains(&format!("problem: {}: larger than 2 MB", list("huge"))),
        "{text}"
    );
    assert_eq!(summary_number(&text, "page problems"), 3, "{text}");
    // The self-paced course came through the sitemap already: this other
    // source finds it by its URL among the institution's courses and
    // creates nothing.
    assert_eq!(summary_number(&text, "created"), 0, "{text}");
    let sources = env_faro(&["courses", "sources"]);
    assert!(
        sources.contains("ina-pages") && sources.contains("3 page problems"),
        "{sources}"
    );

    // A scheduled source runs through the job queue, which records its
    // outcome and queues the next run a schedule later.
    env_faro(&[
        "courses",
        "source",
        "ina-daily",
        "--institution",
        "ina",
        "--kind",
        "urls",
        "--url",
        &list("course-graph.html"),
        "--every-hours",
        "24",
    ]);
    let ran = env_faro(&["jobs", "run"]);
    assert!(ran.contains("jobs: 1 run"), "{ran}");
    let sources = env_faro(&["courses", "sources"]);
    let daily = sources
        .lines()
        .find(|l| l.starts_with("ina-daily"))
        .unwrap();
    assert!(
        daily.contains("1 pages read") && daily.contains("1 unchanged"),
        "{daily}"
    );
    let queue = env_faro(&["jobs", "list"]);
    let next = queue
        .lines()
        .filter(|l| l.contains(" course_harvest pending "))
        .count();
    assert_eq!(next, 1, "the next run is queued: {queue}");
    assert!(queue.contains(" course_harvest done "), "{queue}");
}

#[test]
fn harvest_from_pages_with_json_ld_agrees_with_extruct_sqlite() {
    run(None);
}

#[test]
fn harvest_from_pages_with_json_ld_agrees_with_extruct_postgres() {
    match fresh_postgres() {
        Some(url) => run(Some(&url)),
        None => eprintln!("PostgreSQL part not run: FARO_TEST_DATABASE_URL is not set"),
    }
}
