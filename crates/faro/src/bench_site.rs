//! `faro bench site`: the whole site at two sizes, measured from outside.
//! A synthetic site (institutions, measures, resources; deterministic for a
//! seed) is written as CSV in the import layouts and loaded by running this
//! binary's own `import` commands; then `serve` is started and measured over
//! HTTP on 127.0.0.1 (one-client latency, many-client throughput, a full
//! OAI-PMH harvest, a streamed download, the server's peak memory), and the
//! facet query is compared with Datasette on the same measures when it is
//! on PATH. Figures are printed as one table. Goals missed do not fail the
//! run; a non-2xx answer or a wrong harvest does (exit code non-zero).

use anyhow::{Context, Result, bail};
use faro_domain::institutions::{Institution, InstitutionKind};
use faro_domain::knowledge::{self, Resource};
use faro_domain::observatory::{self as obs, Measure};
use faro_search::synth::Rng;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug, Clone)]
pub struct SiteBenchArgs {
    /// Measures and resources of the big site (each).
    #[arg(long, default_value_t = 100_000)]
    records: usize,
    /// Measures and resources of the small site (each).
    #[arg(long, default_value_t = 1_000)]
    small: usize,
    /// Seed of the synthetic site (same seed, same data).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Work folder; its `site-small` and `site-big` subfolders are replaced.
    /// Default: a new folder under the system temp dir, removed after.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Concurrent clients of the throughput test.
    #[arg(long, default_value_t = 50)]
    clients: usize,
    /// Duration of each throughput test, in seconds.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Timed requests per endpoint with one client (after 10 of warm-up).
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Skip the Datasette baseline even when `datasette` is on PATH.
    #[arg(long)]
    skip_datasette: bool,
}

/// Pages of the HTML lists and the API.
const PER_PAGE: usize = 50;
/// Countries of the synthetic network (the hot institution is in the first).
const COUNTRIES: [&str; 21] = [
    "AR", "BO", "BR", "CL", "CO", "CR", "CU", "DO", "EC", "SV", "GT", "HN", "MX", "NI", "PA", "PY",
    "PE", "UY", "VE", "ES", "PT",
];
/// Title and description words per language (es, en, pt).
const WORDS: [&str; 3] = [
    "formación docentes aprendizaje virtual empleo jóvenes competencias evaluación empresas rural",
    "training teachers learning online employment youth skills assessment enterprises rural",
    "formação professores aprendizagem virtual emprego jovens competências avaliação empresas rural",
];

struct Site {
    institutions: Vec<Institution>,
    measures: Vec<Measure>,
    resources: Vec<Resource>,
    /// The institution with ~1,000 linked records.
    hot: String,
    hot_links: usize,
}

fn pick<'a>(rng: &mut Rng, v: &[&'a str]) -> &'a str {
    v[rng.below(v.len())]
}

/// 1..=max distinct values of `v`.
fn some(rng: &mut Rng, v: &[&str], max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for _ in 0..1 + rng.below(max) {
        let x = pick(rng, v).to_string();
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

fn text(rng: &mut Rng, lang: usize, words: usize, n: usize) -> String {
    let vocabulary: Vec<&str> = WORDS[lang].split(' ').collect();
    let mut s: Vec<&str> = (0..words).map(|_| pick(rng, &vocabulary)).collect();
    s[0] = ["Programa", "Program", "Programa"][lang];
    format!("{} {n}", s.join(" "))
}

/// `text` in the slot of language `lang` (es, en, pt), the others empty.
fn in_lang(lang: usize, text: String) -> [String; 3] {
    let mut out = [String::new(), String::new(), String::new()];
    out[lang] = text;
    out
}

fn date(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}",
        2020 + rng.below(5),
        1 + rng.below(12),
        1 + rng.below(28)
    )
}

fn generate(records: usize, n_inst: usize, seed: u64) -> Site {
    let mut rng = Rng::new(seed ^ records as u64);
    let codes: Vec<&str> = obs::current()
        .codes
        .iter()
        .filter(|c| c.parent.is_some())
        .map(|c| c.code.as_str())
        .collect();
    let all_codes: Vec<&str> = obs::current()
        .codes
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    let inst_id = |i: usize| format!("inst-{i:05}");
    let institutions: Vec<Institution> = (0..n_inst)
        .map(|i| Institution {
            id: inst_id(i),
            acronym: format!("I{i}"),
            name_es: format!("Instituto de formación {i}"),
            name_en: format!("Training institute {i}"),
            name_pt: format!("Instituto de formação {i}"),
            country: Some(COUNTRIES[i % COUNTRIES.len()].to_string()),
            kind: InstitutionKind::ALL[i % InstitutionKind::ALL.len()],
            member: i % 3 == 0,
            presenter: i % 7 == 0,
            website: Some(format!("https://inst-{i}.example.org")),
            note: None,
            description_es: Some(text(&mut rng, 0, 30, i)),
            description_en: None,
            description_pt: None,
            contact_email: None,
        })
        .collect();
    // Half of the hot institution's links are measures, half resources.
    let hot_half = (records / 2).clamp(1, 500);
    let step = (records / hot_half).max(1);
    let other = |rng: &mut Rng| 1 + rng.below(n_inst - 1);
    let langs = ["es", "en", "pt"];
    let measures: Vec<Measure> = (0..records)
        .map(|j| {
            let inst = if j % step == 0 { 0 } else { other(&mut rng) };
            let lang = rng.below(3);
            let [title_es, title_en, title_pt] = in_lang(lang, text(&mut rng, lang, 8, j));
            let [description_es, description_en, description_pt] =
                in_lang(lang, text(&mut rng, lang, 40, j));
            let status = match rng.below(20) {
                0 => "draft",
                1 | 2 => "submitted",
                _ => "verified",
            };
            let start = date(&mut rng);
            Measure {
                id: format!("m-{j:06}"),
                institution: inst_id(inst),
                country: Some(if rng.chance(0.9) {
                    COUNTRIES[inst % COUNTRIES.len()].to_string()
                } else {
                    pick(&mut rng, &COUNTRIES).to_string()
                }),
                crisis: "covid-19".into(),
                categories: some(&mut rng, &codes, 3),
                log_type: pick(&mut rng, obs::LOG_TYPES).into(),
                announced_date: date(&mut rng),
                start_date: start.clone(),
                // An end is never before the start (the measure's rules).
                end_date: if rng.chance(0.3) {
                    "none".into()
                } else {
                    date(&mut rng).max(start)
                },
                target_groups: if rng.chance(0.2) {
                    Vec::new()
                } else {
                    some(&mut rng, obs::TARGET_GROUPS, 3)
                },
                scope_level: pick(&mut rng, obs::SCOPE_LEVELS).into(),
                scope_targeting: pick(&mut rng, obs::SCOPE_TARGETING).into(),
                original_language: langs[lang].into(),
                title_es,
                title_en,
                title_pt,
                description_es,
                description_en,
                description_pt,
                source_url: format!("https://example.org/measures/{j}"),
                source_type: pick(&mut rng, obs::SOURCE_TYPES).into(),
                source_title: format!("Source {j}"),
                source_accessed: date(&mut rng),
                status: status.into(),
                ..Measure::default()
            }
        })
        .collect();
    let licences = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", ""];
    let resources: Vec<Resource> = (0..records)
        .map(|j| {
            let mut insts: Vec<usize> = (0..1 + rng.below(3)).map(|_| other(&mut rng)).collect();
            if j % step == 0 {
                insts[0] = 0;
            }
            insts.sort_unstable();
            insts.dedup();
            let lang = rng.below(3);
            let [title_es, title_en, title_pt] = in_lang(lang, text(&mut rng, lang, 8, j));
            let [description_es, description_en, description_pt] =
                in_lang(lang, text(&mut rng, lang, 40, j));
            let mut countries: Vec<String> = insts
                .iter()
                .map(|i| COUNTRIES[i % COUNTRIES.len()].to_string())
                .collect();
            countries.sort();
            countries.dedup();
            Resource {
                id: format!("r-{j:06}"),
                resource_type: pick(&mut rng, knowledge::TYPES).into(),
                institutions: insts.into_iter().map(inst_id).collect(),
                countries,
                languages: vec![langs[lang].into()],
                topics: some(&mut rng, &all_codes, 2),
                audience: some(&mut rng, knowledge::AUDIENCES, 2),
                license: pick(&mut rng, &licences).into(),
                published: format!("{}-{:02}", 2019 + rng.below(6), 1 + rng.below(12)),
                url: format!("https://example.org/resources/{j}"),
                title_es,
                title_en,
                title_pt,
                description_es,
                description_en,
                description_pt,
                original_language: langs[lang].into(),
                identifiers: if j % 10 == 0 {
                    vec![format!("doi:10.5555/bench-{j}")]
                } else {
                    Vec::new()
                },
                related_measures: if rng.chance(0.2) {
                    vec![format!("m-{:06}", rng.below(records))]
                } else {
                    Vec::new()
                },
                ..Resource::default()
            }
        })
        .collect();
    let hot = inst_id(0);
    let hot_links = measures.iter().filter(|m| m.institution == hot).count()
        + resources
            .iter()
            .filter(|r| r.institutions.contains(&hot))
            .count();
    Site {
        institutions,
        measures,
        resources,
        hot,
        hot_links,
    }
}

/// A child process killed when dropped.
struct Proc(std::process::Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Proc {
    /// A `/proc/PID/status` figure in MB (VmHWM: peak, VmRSS: now).
    fn mem_mb(&self, key: &str) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.0.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(key))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map_or(f64::NAN, |kb| kb * 1024.0 / 1e6)
    }
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(300)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

/// GETs `url` and reads the whole body: (status, body bytes).
fn get(agent: &ureq::Agent, url: &str) -> Result<(u16, u64)> {
    let mut r = agent
        .get(url)
        .call()
        .with_context(|| format!("GET {url}"))?;
    let status = r.status().as_u16();
    let n = std::io::copy(&mut r.body_mut().as_reader(), &mut std::io::sink())?;
    Ok((status, n))
}

fn get_text(agent: &ureq::Agent, url: &str) -> Result<(u16, String)> {
    let mut r = agent
        .get(url)
        .call()
        .with_context(|| format!("GET {url}"))?;
    let status = r.status().as_u16();
    let body = r.body_mut().with_config().limit(1 << 30).read_to_string()?;
    Ok((status, body))
}

/// Waits until `url` answers 200 (the child must stay alive).
fn wait_ready(child: &mut Proc, url: &str, log: &Path) -> Result<Duration> {
    let t = Instant::now();
    let a = agent();
    while t.elapsed() < Duration::from_secs(1800) {
        if let Some(status) = child.0.try_wait()? {
            bail!("server exited ({status}); see {}", log.display());
        }
        if matches!(get(&a, url), Ok((200, _))) {
            return Ok(t.elapsed());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("{url} not ready after 30 minutes; see {}", log.display())
}

/// Runs `faro --data-dir DATA ARGS…` (SQLite under DATA); its wall time.
fn faro(data: &Path, args: &[&str]) -> Result<Duration> {
    let t = Instant::now();
    let out = Command::new(std::env::current_exe()?)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("DATABASE_URL")
        .env("FARO_LOG", "warn")
        .output()?;
    let took = t.elapsed();
    if !out.status.success() {
        bail!(
            "faro {} failed: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    println!(
        "  {} ({:.1} s)",
        String::from_utf8_lossy(&out.stdout).trim(),
        took.as_secs_f64()
    );
    Ok(took)
}

fn spawn_logged(cmd: &mut Command, log: &Path) -> Result<Proc> {
    let f = std::fs::File::create(log)?;
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::from(f.try_clone()?))
        .stderr(Stdio::from(f))
        .spawn()
        .with_context(|| format!("cannot start {:?}", cmd.get_program()))?;
    Ok(Proc(child))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

/// One client over `paths` (the first 10 are warm-up; at most 60 s).
/// Returns (p50, p99) in ms; non-2xx answers go into `fails`.
fn latency(base: &str, paths: &[String], fails: &mut Vec<String>) -> (f64, f64) {
    let a = agent();
    let mut times = Vec::with_capacity(paths.len());
    let t0 = Instant::now();
    for (i, path) in paths.iter().enumerate() {
        let url = format!("{base}{path}");
        let t = Instant::now();
        match get(&a, &url) {
            Ok((s, _)) if (200..300).contains(&s) => {}
            Ok((s, _)) => fails.push(format!("{url}: HTTP {s}")),
            Err(e) => fails.push(format!("{e:#}")),
        }
        if i >= 10 {
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        if t0.elapsed() > Duration::from_secs(60) && times.len() >= 10 {
            break;
        }
    }
    times.sort_by(f64::total_cmp);
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

/// `clients` threads, each with its own connection, cycling through `urls`
/// for `secs` seconds: requests per second.
fn throughput(urls: Vec<String>, clients: usize, secs: u64, fails: &mut Vec<String>) -> f64 {
    let urls = Arc::new(urls);
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let handles: Vec<_> = (0..clients.max(1))
        .map(|c| {
            let (urls, done) = (urls.clone(), done.clone());
            std::thread::spawn(move || {
                let a = agent();
                let mut bad = Vec::new();
                let mut i = c;
                while Instant::now() < deadline {
                    let url = &urls[i % urls.len()];
                    match get(&a, url) {
                        Ok((s, _)) if (200..300).contains(&s) => {
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok((s, _)) => bad.push(format!("{url}: HTTP {s}")),
                        Err(e) => {
                            bad.push(format!("{e:#}"));
                            break;
                        }
                    }
                    if bad.len() >= 100 {
                        break;
                    }
                    i += 7;
                }
                bad
            })
        })
        .collect();
    for h in handles {
        fails.extend(
            h.join()
                .unwrap_or_else(|_| vec!["client thread panicked".into()]),
        );
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

/// Text between `open` and `close` after `from`: (text, index after close).
fn between<'a>(s: &'a str, from: usize, open: &str, close: &str) -> Option<(&'a str, usize)> {
    let a = from + s[from..].find(open)? + open.len();
    let b = a + s[a..].find(close)?;
    Some((&s[a..b], b + close.len()))
}

/// A full ListRecords harvest: (seconds, distinct records, duplicates,
/// ended). It
/// stops early, not ended, when a page brings no new record (a loop).
fn harvest(base: &str, expected: usize) -> Result<(f64, usize, usize, bool)> {
    let a = agent();
    let t = Instant::now();
    let mut seen = HashSet::new();
    let mut dups = 0;
    let mut url = format!("{base}/oai?verb=ListRecords&metadataPrefix=oai_dc");
    for _ in 0..expected + 10 {
        let (status, body) = get_text(&a, &url)?;
        if status != 200 || body.contains("<error") {
            bail!(
                "OAI-PMH {url}: HTTP {status} {}",
                &body[..body.len().min(300)]
            );
        }
        let (mut at, known) = (0, seen.len());
        while let Some((header, next)) = between(&body, at, "<header", "</header>") {
            if let Some((id, _)) = between(header, 0, "<identifier>", "</identifier>")
                && !seen.insert(id.to_string())
            {
                dups += 1;
            }
            at = next;
        }
        let secs = t.elapsed().as_secs_f64();
        match between(&body, 0, "<resumptionToken", "</resumptionToken>") {
            _ if seen.len() == known => return Ok((secs, known, dups, false)),
            Some((t, _)) if t.contains('>') => {
                let token = &t[t.find('>').unwrap_or(0) + 1..];
                url = format!("{base}/oai?verb=ListRecords&resumptionToken={token}");
            }
            _ => return Ok((secs, seen.len(), dups, true)),
        }
    }
    Ok((t.elapsed().as_secs_f64(), seen.len(), dups, false))
}

/// The facet queries (country, code) shared by Faro and Datasette.
fn facet_pairs() -> Vec<(&'static str, &'static str)> {
    let codes = ["C1", "E1", "T1", "W1"];
    (0..8).map(|k| (COUNTRIES[1 + k], codes[k % 4])).collect()
}

/// Figures of one size, by metric name.
type Figures = Vec<(String, f64)>;

fn run_size(
    args: &SiteBenchArgs,
    label: &str,
    records: usize,
    work: &Path,
    fails: &mut Vec<String>,
) -> Result<Figures> {
    let dir = work.join(format!("site-{label}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let data = dir.join("data");
    std::fs::create_dir_all(&data)?;
    let n_inst = (records / 50).max(20);
    println!("\n== {label} site: {records} measures, {records} resources, {n_inst} institutions");
    let site = generate(records, n_inst, args.seed);
    println!(
        "  institution {} has {} linked records",
        site.hot, site.hot_links
    );
    let (fi, fm, fr, fu, fc) = (
        dir.join("institutions.csv"),
        dir.join("measures.csv"),
        dir.join("resources.csv"),
        dir.join("measures-update.csv"),
        dir.join("courses.csv"),
    );
    // Courses: half as many as measures (50,000 at 100,000), three runs on
    // average (150,000), dated around today so every availability occurs.
    let n_courses = records / 2;
    let providers: Vec<String> = site.institutions.iter().map(|i| i.id.clone()).collect();
    let today = chrono::Utc::now().date_naive();
    let courses = faro_store::testing::synth_courses(n_courses, &providers, today, args.seed);
    let course_rows: usize = courses.iter().map(|c| c.runs.len().max(1)).sum();
    let n_runs: usize = courses.iter().map(|c| c.runs.len()).sum();
    println!("  {n_courses} courses with {n_runs} runs");
    let mut buf = Vec::new();
    faro_formats::institutions_csv::write(&mut buf, &site.institutions)?;
    std::fs::write(&fi, std::mem::take(&mut buf))?;
    faro_formats::measures_csv::write(&mut buf, &site.measures)?;
    std::fs::write(&fm, std::mem::take(&mut buf))?;
    faro_formats::resources_csv::write(&mut buf, &site.resources)?;
    std::fs::write(&fr, std::mem::take(&mut buf))?;
    faro_formats::courses_csv::write(&mut buf, &courses)?;
    std::fs::write(&fc, std::mem::take(&mut buf))?;
    let updated: Vec<Measure> = site
        .measures
        .iter()
        .step_by(10)
        .map(|m| Measure {
            source_title: format!("{} (revised)", m.source_title),
            scope_level: "national".into(),
            ..m.clone()
        })
        .collect();
    faro_formats::measures_csv::write(&mut buf, &updated)?;
    std::fs::write(&fu, std::mem::take(&mut buf))?;
    let mut fig: Figures = Vec::new();
    let mut put = |k: &str, v: f64| fig.push((k.to_string(), v));
    let imports = [
        ("import institutions", "institutions", &fi, n_inst),
        ("import measures", "measures", &fm, records),
        ("import resources", "resources", &fr, records),
        ("import courses", "courses", &fc, course_rows),
        (
            "re-import 10% changed measures",
            "measures",
            &fu,
            updated.len(),
        ),
    ];
    for (name, what, file, rows) in imports {
        let file = file.to_string_lossy();
        let t = faro(&data, &["import", what, &file, "--reason", name])?;
        put(&format!("{name} (rows/s)"), rows as f64 / t.as_secs_f64());
    }

    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let log = dir.join("serve.log");
    let mut server = spawn_logged(
        Command::new(std::env::current_exe()?)
            .arg("--data-dir")
            .arg(&data)
            .args(["serve", "--no-demo", "--bind", &format!("127.0.0.1:{port}")])
            .env_remove("DATABASE_URL")
            .env_remove("FARO_PUBLIC_URL")
            .env("FARO_LOG", "warn"),
        &log,
    )?;
    let ready = wait_ready(&mut server, &format!("{base}/readyz"), &log)?;
    println!("  server ready in {:.1} s at {base}", ready.as_secs_f64());
    put("server start incl. index build (s)", ready.as_secs_f64());

    let mut rng = Rng::new(args.seed ^ 0xbe);
    let published: Vec<&str> = site
        .measures
        .iter()
        .filter(|m| m.status != "draft")
        .map(|m| m.id.as_str())
        .collect();
    let m_pages = published.len().div_ceil(PER_PAGE).max(1);
    let r_pages = records.div_ceil(PER_PAGE).max(1);
    let pairs = facet_pairs();
    let facet_path = |i: usize| {
        let (c, k) = &pairs[i % pairs.len()];
        format!("/es/observatory?country={c}&category={k}")
    };
    let n = args.requests + 10;
    let mut list = |f: &dyn Fn(&mut Rng, usize) -> String| -> Vec<String> {
        (0..n).map(|i| f(&mut rng, i)).collect()
    };
    let types = knowledge::TYPES;
    // The finder with availability and two other facets: 4 × 3 × 4 filters,
    // so a quarter of the requests count facets afresh (no cached counts).
    let finder = |i: usize| {
        let a = faro_domain::courses::AVAILABILITY[i % 4];
        let c = faro_domain::courses::COSTS[(i / 4) % 3];
        let m = faro_domain::courses::MODALITIES[(i / 12) % 4];
        format!("availability={a}&cost={c}&modality={m}")
    };
    let c_pages = n_courses.div_ceil(20).max(1);
    let endpoints = [
        (
            "course finder, availability + 2 facets",
            list(&|_, i| format!("/es/courses?{}", finder(i))),
        ),
        (
            "course finder, availability + 2 facets, by start",
            list(&|_, i| format!("/es/courses?{}&sort=start", finder(i))),
        ),
        (
            "API courses, availability + 2 facets",
            list(&|_, i| format!("/api/v1/courses?{}", finder(i))),
        ),
        (
            "course finder, deep page",
            list(&|r, _| {
                format!(
                    "/es/courses?page={}",
                    c_pages / 2 + r.below(c_pages / 2 + 1)
                )
            }),
        ),
        (
            "course page",
            list(&|r, _| format!("/es/courses/c-synth-{:06}", r.below(n_courses))),
        ),
        ("observatory, 2 facets", list(&|_, i| facet_path(i))),
        (
            "observatory, deep page",
            list(&|r, _| {
                let page = m_pages.div_ceil(2) + r.below(m_pages / 2 + 1);
                format!("/es/observatory?page={page}")
            }),
        ),
        ("resources list", list(&|_, _| "/es/resources".into())),
        (
            "resources, 1 facet",
            list(&|_, i| format!("/es/resources?type={}", types[i % types.len()])),
        ),
        (
            "API measures ?page=N",
            list(&|r, _| format!("/api/v1/measures?page={}", 1 + r.below(m_pages))),
        ),
        (
            "API resources ?page=N",
            list(&|r, _| {
                let page = 1 + r.below(r_pages);
                format!("/api/v1/resources?page={page}&per_page={PER_PAGE}")
            }),
        ),
        (
            "institution profile (~1,000 linked)",
            list(&|_, _| format!("/es/institutions/{}", site.hot)),
        ),
        (
            "measure page",
            list(&|r, _| {
                let id = published[r.below(published.len())];
                format!("/es/observatory/measures/{id}")
            }),
        ),
        (
            "resource page",
            list(&|r, _| format!("/es/resources/r-{:06}", r.below(records))),
        ),
    ];
    for (name, path) in &endpoints {
        let (p50, p99) = latency(&base, path, fails);
        println!("  {name}: p50 {p50:.1} ms, p99 {p99:.1} ms");
        put(&format!("{name} p50 (ms)"), p50);
        put(&format!("{name} p99 (ms)"), p99);
    }

    let (secs, count, dups, ended) = harvest(&base, records)?;
    let end = if ended {
        ""
    } else {
        ", did NOT end (a page brought nothing new)"
    };
    println!("  OAI-PMH: {count} records in {secs:.1} s, {dups} duplicates{end}");
    let right = count == records && dups == 0 && ended;
    if !right {
        fails.push(format!(
            "OAI-PMH harvest: {count} records for {records}, {dups} duplicates{end}"
        ));
    }
    put(
        "OAI-PMH full harvest (s)",
        if right { secs } else { f64::NAN },
    );

    for (name, prefix) in [
        ("observatory facet page", "/es/observatory"),
        ("API facet query", "/api/v1/measures"),
    ] {
        let urls = pairs
            .iter()
            .map(|(c, k)| format!("{base}{prefix}?country={c}&category={k}"))
            .collect();
        let rps = throughput(urls, args.clients, args.seconds, fails);
        println!("  {} clients, {name}: {rps:.0} req/s", args.clients);
        put(&format!("N clients, {name} (req/s)"), rps);
    }

    let before = server.mem_mb("VmRSS:");
    let t = Instant::now();
    let (status, bytes) = get(&agent(), &format!("{base}/data/measures.csv"))?;
    let took = t.elapsed().as_secs_f64();
    if status != 200 {
        fails.push(format!("/data/measures.csv: HTTP {status}"));
    }
    let after = server.mem_mb("VmRSS:");
    println!(
        "  /data/measures.csv: {:.1} MB in {took:.2} s, server RSS {before:.0} -> {after:.0} MB",
        bytes as f64 / 1e6
    );
    put("download measures.csv (MB)", bytes as f64 / 1e6);
    put("download measures.csv (s)", took);
    put("server RSS before download (MB)", before);
    put("server RSS after download (MB)", after);
    put("server peak RSS (MB)", server.mem_mb("VmHWM:"));
    drop(server);

    if args.skip_datasette {
        println!("  Datasette baseline skipped (--skip-datasette)");
    } else if !on_path("datasette") || !on_path("sqlite3") {
        println!("  Datasette baseline skipped: datasette or sqlite3 not on PATH");
    } else {
        // Datasette's own errors (e.g. its SQL time limit) are reported, not fatal.
        let mut ds_fails = Vec::new();
        let rps = datasette(args, &dir, &fm, &mut ds_fails, &mut put)?;
        put("N clients, Datasette facet query (req/s)", rps);
        if !ds_fails.is_empty() {
            println!(
                "  Datasette: {} failed requests, first: {}",
                ds_fails.len(),
                ds_fails[0]
            );
        }
        let faro = |name: &str| {
            fig.iter()
                .find(|(k, _)| k == name)
                .map_or(f64::NAN, |f| f.1)
        };
        let page = faro("N clients, observatory facet page (req/s)") / rps;
        let api = faro("N clients, API facet query (req/s)") / rps;
        fig.push(("Faro page / Datasette (req/s ratio)".into(), page));
        fig.push(("Faro API / Datasette (req/s ratio)".into(), api));
    }
    Ok(fig)
}

/// The measures CSV as a plain SQLite table `measure` (indexes on the
/// faceted columns) served by `datasette -i` (immutable, facet suggestions
/// off); the nearest equivalent of the observatory facet query, measured
/// like Faro's. Returns the N-client req/s.
fn datasette(
    args: &SiteBenchArgs,
    dir: &Path,
    csv: &Path,
    fails: &mut Vec<String>,
    put: &mut impl FnMut(&str, f64),
) -> Result<f64> {
    let db = dir.join("measures.db");
    let _ = std::fs::remove_file(&db);
    let out = Command::new("sqlite3")
        .arg(&db)
        .arg(".mode csv")
        .arg(format!(".import '{}' measure", csv.display()))
        .arg("CREATE INDEX measure_country ON measure(country); CREATE INDEX measure_institution ON measure(institution); CREATE INDEX measure_status ON measure(status);")
        .output()?;
    if !out.status.success() {
        bail!(
            "sqlite3 import failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let log = dir.join("datasette.log");
    let mut ds = spawn_logged(
        Command::new("datasette")
            .arg("serve")
            .arg("-i")
            .arg(&db)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            // Faro suggests no facets; Datasette's suggestions cost ~5× per request.
            .args(["--setting", "suggest_facets", "off"]),
        &log,
    )?;
    wait_ready(&mut ds, &format!("{base}/-/versions.json"), &log)?;
    let pairs = facet_pairs();
    let path = |i: usize| {
        let (c, k) = &pairs[i % pairs.len()];
        format!(
            "/measures/measure.json?country={c}&categories__contains={k}&status__not=draft\
             &_facet=country&_facet=institution&_facet=status&_size={PER_PAGE}"
        )
    };
    let paths: Vec<String> = (0..args.requests + 10).map(path).collect();
    let (p50, p99) = latency(&base, &paths, fails);
    println!("  Datasette facet query: p50 {p50:.1} ms, p99 {p99:.1} ms");
    put("Datasette facet query p50 (ms)", p50);
    put("Datasette facet query p99 (ms)", p99);
    let urls = (0..pairs.len())
        .map(|i| format!("{base}{}", path(i)))
        .collect();
    let rps = throughput(urls, args.clients, args.seconds, fails);
    println!(
        "  {} clients, Datasette facet query: {rps:.0} req/s",
        args.clients
    );
    Ok(rps)
}

/// A goal's check on (small, big, big/small).
type Check = Box<dyn Fn(f64, f64, f64) -> bool>;

/// The goal of a metric, checked on every size measured.
fn goal(metric: &str) -> Option<(&'static str, Check)> {
    if metric.ends_with("p99 (ms)") && !metric.starts_with("Datasette") {
        return Some((
            "≤ 50 ms; big ≤ 3× small",
            Box::new(|s, b, r| s <= 50.0 && b <= 50.0 && r <= 3.0),
        ));
    }
    let at_most = |x: f64| -> Check { Box::new(move |s, b, _| s <= x && b <= x) };
    let at_least = |x: f64| -> Check { Box::new(move |s, b, _| s >= x && b >= x) };
    match metric {
        "import measures (rows/s)"
        | "import resources (rows/s)"
        | "import courses (rows/s)"
        | "re-import 10% changed measures (rows/s)" => {
            Some(("≥ 20,000 rows/s", at_least(20_000.0)))
        }
        "OAI-PMH full harvest (s)" => Some(("≤ 60 s (at 100,000)", at_most(60.0))),
        "server peak RSS (MB)" => Some(("≤ 300 MB", at_most(300.0))),
        "Faro page / Datasette (req/s ratio)" | "Faro API / Datasette (req/s ratio)" => {
            Some(("≥ 5×", at_least(5.0)))
        }
        _ => None,
    }
}

fn num(v: f64) -> String {
    if v.is_nan() {
        "-".into()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn print_table(args: &SiteBenchArgs, small: &Figures, big: &Figures) {
    let header = [
        "metric".to_string(),
        format!("at small ({})", args.small),
        format!("at big ({})", args.records),
        "ratio big/small".into(),
        "goal".into(),
        "met?".into(),
    ];
    let mut rows = vec![header];
    for (k, s) in small {
        let b = big
            .iter()
            .find(|(kb, _)| kb == k)
            .map_or(f64::NAN, |(_, v)| *v);
        let r = b / s;
        let (g, met) = match goal(k) {
            Some((g, check)) => (g, if check(*s, b, r) { "yes" } else { "no" }),
            None => ("", ""),
        };
        let name = k.replace("N clients", &format!("{} clients", args.clients));
        rows.push([name, num(*s), num(b), num(r), g.into(), met.into()]);
    }
    let w: Vec<usize> = (0..6)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    println!();
    for (i, r) in rows.iter().enumerate() {
        let cells: Vec<String> = r
            .iter()
            .zip(&w)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        println!("| {} |", cells.join(" | "));
        if i == 0 {
            let dashes: Vec<String> = w.iter().map(|w| "-".repeat(*w)).collect();
            println!("|-{}-|", dashes.join("-|-"));
        }
    }
}

pub async fn run(args: &SiteBenchArgs) -> Result<()> {
    let args = args.clone();
    tokio::task::spawn_blocking(move || run_blocking(&args)).await?
}

fn run_blocking(args: &SiteBenchArgs) -> Result<()> {
    if args.small < 2 || args.records < 2 {
        bail!("--small and --records must be at least 2");
    }
    let own_dir = args.dir.is_none();
    let work = args.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("faro-bench-site-{}", std::process::id()))
    });
    std::fs::create_dir_all(&work)?;
    println!("faro bench site: work folder {}", work.display());
    let mut fails = Vec::new();
    let result = run_size(args, "small", args.small, &work, &mut fails).and_then(|small| {
        let big = run_size(args, "big", args.records, &work, &mut fails)?;
        Ok((small, big))
    });
    if own_dir && result.is_ok() {
        let _ = std::fs::remove_dir_all(&work);
    } else {
        println!("work folder kept: {}", work.display());
    }
    let (small, big) = result?;
    print_table(args, &small, &big);
    if !fails.is_empty() {
        for f in fails.iter().take(20) {
            eprintln!("failed: {f}");
        }
        bail!(
            "{} requests failed (non-2xx, or a wrong harvest)",
            fails.len()
        );
    }
    Ok(())
}
