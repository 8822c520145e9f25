//! `faro`: one binary for the whole platform. This file is wiring only:
//! it parses the command line, opens the store and calls library code.

/// mimalloc instead of the system allocator: bulk imports and busy servers
/// allocate many small strings, and glibc's allocator spent half of an
/// import's time consolidating its heap (measured with perf).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod bench_attendance;
mod bench_harvest;
mod bench_reports;
mod bench_site;
mod bench_surveys;
mod drain;
mod extract;
mod links;
mod survey_cli;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use faro_store::changes::Actor;
use faro_store::{Store, demo, dump, institutions};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "faro",
    version,
    about = "Faro: the knowledge platform of a network of vocational training institutions"
)]
struct Cli {
    /// Folder for the embedded SQLite database and other local data.
    #[arg(
        long,
        global = true,
        env = "FARO_DATA_DIR",
        default_value = "./faro-data"
    )]
    data_dir: PathBuf,
    /// PostgreSQL URL (postgres://…). When set, it is used instead of the
    /// embedded SQLite database.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web site (migrates, and loads the demonstration data on first start).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "FARO_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// Do not load the demonstration data on first start.
        #[arg(long)]
        no_demo: bool,
        #[command(flatten)]
        web: WebArgs,
    },
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Import data. Files are validated whole first: any bad row and nothing is written.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Export data.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Freeze the observatory's open-data files as release NAME, served unchanged
    /// at /data/releases/NAME/….
    Release {
        name: String,
        /// Public base URL written into datapackage.json.
        #[arg(long, env = "FARO_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// Rebuild the search index from the database (refused while a server holds it).
    Reindex,
    /// Take an online, consistent copy of the whole site into DIR (new or
    /// empty) while servers keep running: the database as of one moment
    /// (SQLite: `VACUUM INTO`; PostgreSQL: the backend-neutral dump in one
    /// REPEATABLE READ transaction) and the uploaded files.
    Backup { dir: PathBuf },
    /// Restore a backup made by `faro backup` into an empty data folder (and,
    /// with DATABASE_URL, an empty PostgreSQL database); the search index is
    /// rebuilt.
    Restore { dir: PathBuf },
    /// Check every resource's link (bounded time and concurrency); results are
    /// shown to editors on the resource pages.
    CheckLinks(links::CheckLinksArgs),
    /// Benchmarks (see `faro bench search --help`).
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
    },
    /// Text of a PDF on standard input, to standard output (what the server
    /// runs in a child process with memory and time limits).
    #[command(hide = true)]
    ExtractText,
    /// Demonstration data drawn from the 2020 series report.
    Demo {
        #[command(subcommand)]
        action: DemoAction,
    },
    /// The queue of e-mails and reminders (`faro serve` runs it every few seconds).
    Jobs {
        #[command(subcommand)]
        action: JobsAction,
    },
    /// Event series: personal data retention.
    Events {
        #[command(subcommand)]
        action: EventsAction,
    },
    /// Member surveys: check an XLSForm (see `faro survey --help`).
    Survey {
        #[command(subcommand)]
        action: survey_cli::SurveyAction,
    },
    /// Courses gathered from the members' own catalogues.
    Courses {
        #[command(subcommand)]
        action: CoursesAction,
    },
}

#[derive(Subcommand, Debug)]
enum CoursesAction {
    /// Adds or changes a catalogue to harvest (history kept). With
    /// `--every-hours` it is harvested now and then on that schedule by the
    /// server's job queue.
    Source {
        /// The source's id (a slug, e.g. `senai-catalogue`).
        id: String,
        /// The institution whose courses the catalogue lists.
        #[arg(long)]
        institution: String,
        /// `sitemap` (pages with schema.org Course JSON-LD), `urls` (such
        /// pages; give --url once per page), `csv` or `json` (a file in
        /// Faro's layout).
        #[arg(long)]
        kind: String,
        /// The sitemap's or the file's URL; for `urls`, each page's.
        #[arg(long, required = true)]
        url: Vec<String>,
        /// The pages' language when they do not say (es, en or pt).
        #[arg(long, default_value = "es")]
        lang: String,
        /// Harvest again this many hours after each run.
        #[arg(long)]
        every_hours: Option<i32>,
    },
    /// Lists the catalogues with their last run.
    Sources,
    /// Harvests a catalogue now and prints what changed. Fields an editor
    /// changed by hand after the last harvest are kept.
    Harvest {
        source: String,
        /// Also print every field kept, every skipped course and every
        /// page problem.
        #[arg(long)]
        verbose: bool,
    },
}

#[derive(Subcommand, Debug)]
enum JobsAction {
    /// Run every job due now (or at --now), then stop.
    Run {
        /// The clock, RFC 3339 (tests and catching up); default: now.
        #[arg(long)]
        now: Option<String>,
        #[command(flatten)]
        web: WebArgs,
    },
    /// Counts by state and the newest jobs.
    List {
        #[arg(long, default_value_t = 20)]
        limit: u64,
    },
}

#[derive(Subcommand, Debug)]
enum EventsAction {
    /// Erase the personal data of everyone whose registrations are all for
    /// sessions more than DAYS days ago (counts are kept).
    Purge {
        #[arg(long, value_name = "DAYS")]
        older_than: u32,
    },
}

#[derive(Subcommand, Debug)]
enum ImportWhat {
    /// Institutions from a CSV file in the export's layout (re-importing changes nothing).
    Institutions {
        file: PathBuf,
        /// Recorded in the change history as the reason for the changes.
        #[arg(long)]
        reason: Option<String>,
    },
    /// A whole site from a folder written by `faro export all`, into an empty database.
    All { dir: PathBuf },
    /// Observatory measures from CSV or XLSX in the layout of /data/measures.csv
    /// (re-importing is idempotent by id; every change goes into the history).
    Measures {
        file: PathBuf,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Knowledge-base resources from CSV or XLSX in the layout of
    /// /data/resources.csv (idempotent by id; every change goes into the history).
    Resources {
        file: PathBuf,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Sessions of event series from CSV or XLSX in the layout of
    /// data/demo/sessions.csv (idempotent by id; a changed time notifies
    /// registrants; join details left empty keep the stored ones).
    Sessions {
        file: PathBuf,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Event series with their reported figures and presenters, from JSON in
    /// the layout of data/demo/series.json (all or nothing, idempotent by
    /// id; presenters may name only sessions already imported).
    Series {
        file: PathBuf,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Courses and their runs from CSV or XLSX in the layout of
    /// /data/courses.csv, one row per run (all or nothing, idempotent by id;
    /// every change goes into the history).
    Courses {
        file: PathBuf,
        #[arg(long)]
        reason: Option<String>,
    },
    /// A Zoom participants (meeting) or attendee (webinar) report as the
    /// attendance of SESSION (all or nothing; re-importing the same file
    /// changes nothing; the newest report replaces the session's attendance).
    Attendance {
        session: String,
        file: PathBuf,
        /// IANA time zone of the report's times (default: the session's zone).
        #[arg(long)]
        tz: Option<String>,
    },
    /// A survey questionnaire from an XLSForm (.xlsx): a new survey, a new
    /// version when the form changed, nothing when it did not. Every problem
    /// is listed with its sheet, row and column; a refused form writes nothing.
    Survey { file: PathBuf },
}

#[derive(Subcommand, Debug)]
enum ExportWhat {
    /// Institutions as CSV or JSON.
    Institutions {
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Output file (standard output when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Knowledge-base resources as CSV (the layout `faro import resources` reads).
    Resources {
        /// Output file (standard output when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// The whole site as a backend-neutral folder (moves SQLite <-> PostgreSQL).
    All {
        dir: PathBuf,
        /// A dump to give to others: accounts, registrants, registrations,
        /// queued e-mails and join details left out; people in the history
        /// shown by their public name or role, never an e-mail address.
        #[arg(long)]
        without_personal_data: bool,
    },
}

#[derive(clap::Args, Debug)]
struct WebArgs {
    /// Public base URL of the site (used in e-mailed links). An https URL
    /// also marks cookies Secure.
    #[arg(long, env = "FARO_PUBLIC_URL")]
    public_url: Option<String>,
    /// Proxy addresses whose X-Forwarded-For header is trusted (comma-separated).
    #[arg(long, env = "FARO_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxy: Vec<std::net::IpAddr>,
    /// SMTP relay for e-mail, smtp://[user:pass@]host[:port]. Without it,
    /// e-mails (password links) are written to the log.
    #[arg(long, env = "FARO_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// Sender address of e-mails.
    #[arg(long, env = "FARO_SMTP_FROM", default_value = "faro@localhost")]
    smtp_from: String,
    /// Largest accepted upload, in megabytes.
    #[arg(long, env = "FARO_MAX_UPLOAD_MB", default_value_t = 20)]
    max_upload_mb: usize,
    /// The address OAI-PMH harvesters may write to (Identify's adminEmail).
    /// Without it: the sender of e-mails when that is a real address, else
    /// faro@ the public host.
    #[arg(long, env = "FARO_ADMIN_EMAIL")]
    admin_email: Option<String>,
    /// Records per OAI-PMH list response (resumption tokens carry on).
    #[arg(long, env = "FARO_OAI_PAGE_SIZE", default_value_t = 100)]
    oai_page_size: usize,
    /// Heavy downloads (open-data files, releases, stored files) served at
    /// once; more get 503 with Retry-After.
    #[arg(long, env = "FARO_HEAVY_DOWNLOADS", default_value_t = faro_web::HEAVY_DOWNLOADS)]
    heavy_downloads: usize,
    /// Registrations one client (address) may send in ten minutes.
    #[arg(long, env = "FARO_REGISTER_LIMIT", default_value_t = 20)]
    register_limit: u32,
    /// Days after their last session that registrants' personal data are
    /// kept; then the job runner erases them, keeping the counts (0: keep
    /// until erased by the person or `faro events purge`).
    #[arg(long, env = "FARO_RETENTION_DAYS", default_value_t = 365)]
    retention_days: u32,
}

#[derive(Subcommand, Debug)]
enum UserAction {
    /// Create an account. Without --password-stdin, prints a one-time link to set the password.
    Add {
        email: String,
        #[arg(long, value_parser = ["coordinator", "editor"])]
        role: String,
        /// Institution id the editor may change (repeat for several).
        #[arg(long = "institution")]
        institutions: Vec<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// The public name shown on public pages and in open data instead of
        /// the e-mail address (without it, the role is shown).
        #[arg(long)]
        name: Option<String>,
        /// The site's address as its users reach it: the one-time link
        /// starts with it (as `faro serve --public-url`).
        #[arg(long, env = "FARO_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// List accounts.
    List,
}

#[derive(Subcommand, Debug)]
enum TokenAction {
    /// Create an API token for a user; it is printed once.
    Create {
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Subcommand, Debug)]
enum BenchWhat {
    /// Search speed on a synthetic corpus: tantivy vs SQLite FTS5.
    Search(bench::SearchBenchArgs),
    /// The whole site at two sizes over HTTP: imports, page latency,
    /// throughput, OAI-PMH harvest, memory; Datasette as baseline.
    Site(bench_site::SiteBenchArgs),
    /// Attendance (issue 13): a 10,000-row Zoom import, analytics pages of
    /// 50 sessions × 5,000 attendees, certificates' time and peak RSS, on
    /// synthetic Zoom files.
    Attendance(bench_attendance::AttendanceBenchArgs),
    /// Member surveys: 200 questions × 5,000 responses; results page,
    /// page saves, the streamed CSV export (docs/benchmarks/surveys.md).
    Surveys(bench_surveys::SurveyBenchArgs),
    /// Reports (issue 16): the series report in three languages, HTML and
    /// PDF times, memory around 100 successive PDFs (docs/benchmarks/reports.md).
    Reports(bench_reports::ReportsBenchArgs),
    /// Course harvest (issue 15): N pages with schema.org Course JSON-LD
    /// from a local server, first and second run (docs/benchmarks/harvest.md).
    Harvest(bench_harvest::HarvestBenchArgs),
}

#[derive(Subcommand, Debug)]
enum DemoAction {
    /// Load (or refresh) the demonstration data; idempotent.
    Load,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Format {
    Csv,
    Json,
}

fn init_logs() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("FARO_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    if std::env::var("FARO_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn search_dir(cli: &Cli) -> PathBuf {
    cli.data_dir.join("search-index")
}

async fn open(cli: &Cli) -> Result<Store> {
    let store = match &cli.database_url {
        Some(url) if !url.trim().is_empty() => {
            if !(url.starts_with("postgres://")
                || url.starts_with("postgresql://")
                || url.starts_with("sqlite:"))
            {
                bail!("DATABASE_URL must start with postgres:// (or sqlite:)");
            }
            Store::connect(url)
                .await
                .context("cannot connect to DATABASE_URL")?
        }
        _ => Store::open_data_dir(&cli.data_dir)
            .await
            .with_context(|| format!("cannot open the data folder {}", cli.data_dir.display()))?,
    };
    store.migrate().await.context("database migration failed")?;
    Ok(store)
}

fn main() -> std::process::ExitCode {
    // The PDF text extractor runs under a tight address-space limit
    // (`extract::in_child`): no runtime, no threads, no logs, so that what
    // it may use goes to the parser, and a small file always fits.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == "extract-text")
    {
        return extract::child_main();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        init_logs();
        let cli = Cli::parse();
        match run(cli).await {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                std::process::ExitCode::FAILURE
            }
        }
    })
}

async fn run(cli: Cli) -> Result<std::process::ExitCode> {
    let ok = std::process::ExitCode::SUCCESS;
    match &cli.command {
        Command::ExtractText => return Ok(extract::child_main()),
        Command::Serve { bind, no_demo, web } => {
            let config = web_config(web, *bind, &cli.data_dir)?;
            // Uploaded PDFs are read in a child process with limits.
            faro_formats::pdf::set_extractor(extract::in_child);
            let store = open(&cli).await?;
            if !no_demo && let Some(r) = demo::load_if_first_start(&store).await? {
                tracing::info!(created = r.created, "demonstration data loaded");
            }
            let (index, state) = faro_web::search::open(&store, &search_dir(&cli))
                .await
                .context("cannot open the search index")?;
            tracing::info!(?state, documents = index.num_docs(), "search index ready");
            faro_web::search::Follower::new(store.clone(), index.clone())
                .spawn(std::time::Duration::from_millis(250));
            serve(store, config, index, *bind).await?;
        }
        Command::Reindex => {
            let store = open(&cli).await?;
            let dir = search_dir(&cli);
            let (index, _) = match faro_search::SearchIndex::open(&dir, 100_000_000) {
                Ok(v) => v,
                Err(e @ faro_search::SearchError::Locked(_)) => bail!("{e}"),
                Err(e) => return Err(e.into()),
            };
            let index = std::sync::Arc::new(index);
            let total = faro_store::institutions::summary(&store)
                .await?
                .organisations;
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message("indexing");
            let b2 = bar.clone();
            let n = faro_web::search::rebuild(&store, &index, move |done| b2.set_position(done))
                .await?;
            bar.finish_with_message("indexed");
            println!("search index rebuilt: {n} documents in {}", dir.display());
        }
        Command::Backup { dir } => backup(&cli, dir).await?,
        Command::Restore { dir } => restore(&cli, dir).await?,
        Command::CheckLinks(args) => {
            let store = open(&cli).await?;
            let results = links::run(&store, args).await?;
            for r in &results {
                let status = r
                    .status
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "-".into());
                let record = if r.kind == "course" {
                    format!("course:{}", r.resource)
                } else {
                    r.resource.clone()
                };
                println!(
                    "{:<12} {:<4} {}  {}{}",
                    r.outcome,
                    status,
                    record,
                    r.url,
                    if r.detail.is_empty() {
                        String::new()
                    } else {
                        format!("  ({})", r.detail)
                    }
                );
            }
            let bad = results.iter().filter(|r| r.outcome != "ok").count();
            println!(
                "{} links checked, {} ok, {bad} not ok",
                results.len(),
                results.len() - bad
            );
        }
        Command::Bench {
            what: BenchWhat::Search(args),
        } => {
            bench::search(args).await?;
        }
        Command::Bench {
            what: BenchWhat::Site(args),
        } => {
            bench_site::run(args).await?;
        }
        Command::Bench {
            what: BenchWhat::Attendance(args),
        } => {
            bench_attendance::run(args).await?;
        }
        Command::Bench {
            what: BenchWhat::Reports(args),
        } => {
            bench_reports::run(args).await?;
        }
        Command::Bench {
            what: BenchWhat::Surveys(args),
        } => {
            bench_surveys::run(args, cli.database_url.as_deref()).await?;
        }
        Command::Bench {
            what: BenchWhat::Harvest(args),
        } => {
            bench_harvest::run(args, cli.database_url.as_deref()).await?;
        }
        Command::User {
            action:
                UserAction::Add {
                    email,
                    role,
                    institutions,
                    password_stdin,
                    name,
                    public_url,
                },
        } => {
            let role = faro_domain::accounts::Role::from_code(role).context("unknown role")?;
            if let Some(n) = name
                && let Err(code) = faro_domain::accounts::normalize_display_name(n)
            {
                bail!(
                    "{}",
                    match code {
                        "display_name_too_long" => "the name can have at most 80 characters",
                        "display_name_email" => "the name cannot be an e-mail address",
                        _ => "the name contains characters that are not allowed",
                    }
                );
            }
            let hash = if *password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                let password = line.trim_end_matches(['\n', '\r']).to_string();
                if let Err(code) = faro_domain::accounts::check_password(&password) {
                    bail!(
                        "{}",
                        match code {
                            "password_too_short" => "the password must have at least 10 characters",
                            _ => "the password is too long",
                        }
                    );
                }
                Some(faro_store::accounts::hash_password(password).await?)
            } else {
                None
            };
            let store = open(&cli).await?;
            let actor = Actor::new(cli_actor(), Some("faro user add".into()));
            let user =
                faro_store::accounts::create_user(&store, email, role, institutions, hash, &actor)
                    .await?;
            if let Some(n) = name {
                faro_store::accounts::set_display_name(&store, user.id, n, &actor).await?;
            }
            println!(
                "created {} ({}) with id {}",
                user.email,
                user.role.code(),
                user.id
            );
            if !*password_stdin {
                let token = faro_store::accounts::create_link(
                    &store,
                    user.id,
                    faro_store::accounts::PURPOSE_SET,
                )
                .await?;
                println!("one-time link to set the password (valid 24 hours):");
                println!(
                    "{}/es/password-reset/{token}",
                    public_url.trim_end_matches('/')
                );
            }
        }
        Command::User {
            action: UserAction::List,
        } => {
            let store = open(&cli).await?;
            for u in faro_store::accounts::users(&store).await? {
                println!(
                    "{}\t{}\t{}\t{}{}{}",
                    u.id,
                    u.email,
                    u.role.code(),
                    u.institutions.join(";"),
                    u.display_name
                        .as_deref()
                        .map(|n| format!("\t{n}"))
                        .unwrap_or_default(),
                    if u.disabled { "\tdisabled" } else { "" }
                );
            }
        }
        Command::Token {
            action: TokenAction::Create { email, name },
        } => {
            let store = open(&cli).await?;
            let email = faro_domain::accounts::normalize_email(email)
                .map_err(|_| anyhow::anyhow!("not an e-mail address: {email}"))?;
            let (user, _) = faro_store::accounts::user_by_email(&store, &email)
                .await?
                .with_context(|| format!("no user {email}"))?;
            let (_, secret) = faro_store::accounts::create_token(&store, user.id, name).await?;
            println!("{secret}");
        }
        Command::Migrate => {
            open(&cli).await?;
            println!("migrations applied");
        }
        Command::Demo {
            action: DemoAction::Load,
        } => {
            let store = open(&cli).await?;
            let r = demo::load(&store).await?;
            println!(
                "demonstration data: {} created, {} updated, {} unchanged",
                r.created, r.updated, r.unchanged
            );
        }
        Command::Import {
            what: ImportWhat::Institutions { file, reason },
        } => {
            let bytes =
                std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            let items = match faro_formats::institutions_csv::read(&bytes) {
                Ok(items) => items,
                Err(errors) => return Ok(report_problems(file, &errors)),
            };
            let store = open(&cli).await?;
            let who = format!(
                "cli:{}",
                std::env::var("USER").unwrap_or_else(|_| "unknown".into())
            );
            let reason = reason
                .clone()
                .or_else(|| Some(format!("import of {}", file.display())));
            let r = institutions::upsert_all(&store, &items, &Actor::new(who, reason)).await?;
            println!(
                "institutions: {} created, {} updated, {} unchanged",
                r.created, r.updated, r.unchanged
            );
        }
        Command::Import {
            what: ImportWhat::Measures { file, reason },
        } => {
            let csv_bytes = read_table_file(file)?;
            let codebook = faro_domain::observatory::current();
            let items = match faro_formats::measures_csv::read(&csv_bytes, codebook) {
                Ok(items) => items,
                Err(errors) => return Ok(report_problems(file, &errors)),
            };
            let store = open(&cli).await?;
            let reason = reason
                .clone()
                .or_else(|| Some(format!("import of {}", file.display())));
            let r = match faro_store::observatory::upsert_all(
                &store,
                &items,
                &Actor::new(cli_actor(), reason),
            )
            .await
            {
                Ok(r) => r,
                // Unknown institutions: nothing written.
                Err(
                    e @ (faro_store::StoreError::Invalid(_)
                    | faro_store::StoreError::Reference { .. }),
                ) => {
                    eprintln!("{}: {e}; nothing was imported", file.display());
                    return Ok(std::process::ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            };
            println!(
                "measures: {} created, {} updated, {} unchanged",
                r.created, r.updated, r.unchanged
            );
        }
        Command::Import {
            what: ImportWhat::Resources { file, reason },
        } => {
            let csv_bytes = read_table_file(file)?;
            let codebook = faro_domain::observatory::current();
            let items = match faro_formats::resources_csv::read(&csv_bytes, codebook) {
                Ok(items) => items,
                Err(errors) => return Ok(report_problems(file, &errors)),
            };
            let store = open(&cli).await?;
            let reason = reason
                .clone()
                .or_else(|| Some(format!("import of {}", file.display())));
            match faro_store::knowledge::upsert_all(
                &store,
                &items,
                &Actor::new(cli_actor(), reason),
            )
            .await
            {
                Ok(r) => println!(
                    "resources: {} created, {} updated, {} unchanged",
                    r.created, r.updated, r.unchanged
                ),
                // Unknown institutions, measures or sessions: nothing written.
                Err(
                    e @ (faro_store::StoreError::Invalid(_)
                    | faro_store::StoreError::Reference { .. }),
                ) => {
                    eprintln!("{}: {e}; nothing was imported", file.display());
                    return Ok(std::process::ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::Import {
            what: ImportWhat::Series { file, reason },
        } => {
            let bytes =
                std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            let store = open(&cli).await?;
            let reason = reason
                .clone()
                .or_else(|| Some(format!("import of {}", file.display())));
            match faro_store::events::import_series(
                &store,
                &bytes,
                &Actor::new(cli_actor(), reason),
            )
            .await
            {
                Ok(r) => println!(
                    "series: {} created, {} updated, {} unchanged",
                    r.created, r.updated, r.unchanged
                ),
                Err(
                    e @ (faro_store::StoreError::Invalid(_)
                    | faro_store::StoreError::Reference { .. }),
                ) => {
                    eprintln!("{}: {e}; nothing was imported", file.display());
                    return Ok(std::process::ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::Import {
            what: ImportWhat::Sessions { file, reason },
        } => {
            let csv_bytes = read_table_file(file)?;
            let items = match faro_formats::sessions_csv::read(&csv_bytes) {
                Ok(items) => items,
                Err(errors) => return Ok(report_problems(file, &errors)),
            };
            let store = open(&cli).await?;
            let reason = reason
                .clone()
                .or_else(|| Some(format!("import of {}", file.display())));
            match faro_store::events::upsert_all(&store, &items, &Actor::new(cli_actor(), reason))
                .await
            {
                Ok(r) => println!(
                    "sessions: {} created, {} updated, {} unchanged",
                    r.created, r.updated, r.unchanged
                ),
                Err(
                    e @ (faro_store::StoreError::Invalid(_)
                    | faro_store::StoreError::Reference { .. }),
                ) => {
                    eprintln!("{}: {e}; nothing was imported", file.display());
                    return Ok(std::process::ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::Import {
            what: ImportWhat::Attendance { session, file, tz },
        } => {
            let bytes =
                std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            let store = open(&cli).await?;
            let s = match faro_store::events::get(&store, session).await {
                Ok(s) => s,
                Err(faro_store::StoreError::NotFound) => {
                    eprintln!("no session {session:?}; nothing was imported");
                    return Ok(std::process::ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            };
            let zone = tz.clone().unwrap_or_else(|| s.time_zone.clone());
            let Ok(parsed) = zone.parse::<chrono_tz::Tz>() else {
                eprintln!(
                    "{}: give the report's time zone with --tz (an IANA name such as \
                     America/Montevideo); the session has none",
                    file.display()
                );
                return Ok(std::process::ExitCode::from(2));
            };
            let report = match faro_formats::zoom::read(&bytes, parsed) {
                Ok(r) => r,
                Err(errors) => return Ok(report_problems(file, &errors)),
            };
            let r = faro_store::attendance::import(
                &store,
                session,
                &report,
                &faro_store::attendance::sha256_hex(&bytes),
                &zone,
                &cli_actor(),
                chrono::Utc::now(),
            )
            .await?;
            if r.unchanged {
                println!(
                    "attendance of {session}: unchanged ({} people, {} rows)",
                    r.people, r.rows
                );
            } else {
                println!(
                    "attendance of {session}: {} rows, {} people ({} attended, {} no-shows); \
                     {} added, {} changed, {} removed; matched {} by e-mail, {} by name, {} guests",
                    r.rows,
                    r.people,
                    r.attended,
                    r.no_shows,
                    r.added,
                    r.changed,
                    r.removed,
                    r.matched_by_email,
                    r.matched_by_name,
                    r.guests
                );
            }
        }
        Command::Import {
            what: ImportWhat::Courses { file, reason },
        } => {
            let csv_bytes = read_table_file(file)?;
            let codebook = faro_domain::observatory::current();
            let items = match faro_formats::courses_csv::read(&csv_bytes, codebook) {
                Ok(items) => items,
                Err(errors) => return Ok(report_problems(file, &errors)),
            };
            let store = open(&cli).await?;
            let reason = reason
                .clone()
                .or_else(|| Some(format!("import of {}", file.display())));
            match faro_store::courses::upsert_all(&store, &items, &Actor::new(cli_actor(), reason))
                .await
            {
                Ok(r) => println!(
                    "courses: {} created, {} updated, {} unchanged",
                    r.created, r.updated, r.unchanged
                ),
                // An unknown provider: nothing written.
                Err(
                    e @ (faro_store::StoreError::Invalid(_)
                    | faro_store::StoreError::Reference { .. }),
                ) => {
                    eprintln!("{}: {e}; nothing was imported", file.display());
                    return Ok(std::process::ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::Survey { action } => return survey_cli::run(action).await,
        Command::Courses { action } => return courses_cli(&cli, action).await,
        Command::Import {
            what: ImportWhat::Survey { file },
        } => {
            let form = match survey_cli::read(file)? {
                Ok(f) => f,
                Err(code) => return Ok(code),
            };
            let store = open(&cli).await?;
            return survey_cli::import(&store, file, &form, &cli_actor()).await;
        }
        Command::Jobs {
            action: JobsAction::Run { now, web },
        } => {
            let now = match now {
                Some(t) => chrono::DateTime::parse_from_rfc3339(t)
                    .context("--now must be RFC 3339, e.g. 2027-03-25T13:00:00Z")?
                    .with_timezone(&chrono::Utc),
                None => chrono::Utc::now(),
            };
            let store = open(&cli).await?;
            let config = web_config(web, "127.0.0.1:8080".parse()?, &cli.data_dir)?;
            let state = faro_web::AppState {
                store: store.clone(),
                config: std::sync::Arc::new(config),
                search: None,
            };
            let worker = faro_web::jobs::worker_name();
            let mut total = 0;
            loop {
                let n = faro_web::jobs::run_due(&state, &worker, now, 500).await?;
                total += n;
                if n == 0 {
                    break;
                }
            }
            println!("jobs: {total} run");
            store.close().await;
        }
        Command::Jobs {
            action: JobsAction::List { limit },
        } => {
            let store = open(&cli).await?;
            let (counts, rows) = faro_store::jobs::overview(&store, None, *limit).await?;
            for (state, n) in counts {
                println!("{state}: {n}");
            }
            for j in rows {
                println!(
                    "#{} {} {} due {} attempts {} {}",
                    j.id,
                    j.kind,
                    j.state,
                    j.run_at.to_rfc3339(),
                    j.attempts,
                    j.last_error
                );
            }
        }
        Command::Events {
            action: EventsAction::Purge { older_than },
        } => {
            let store = open(&cli).await?;
            let now = chrono::Utc::now();
            let before = (now - chrono::Duration::days(*older_than as i64)).date_naive();
            let n = faro_store::registrations::purge(&store, before, now).await?;
            println!(
                "events: personal data of {n} registrant(s) erased (sessions before {before})"
            );
        }
        Command::Export {
            what: ExportWhat::Resources { output },
        } => {
            let store = open(&cli).await?;
            // Streamed by id in parts of 1,000: memory holds one part.
            let mut out: Box<dyn Write> = match output {
                Some(path) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(path)
                        .with_context(|| format!("cannot write {}", path.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let mut after: Option<String> = None;
            let mut first = true;
            loop {
                let part: Vec<_> = faro_store::knowledge::walk(&store, after.as_deref(), 1000)
                    .await?
                    .into_iter()
                    .map(|s| s.resource)
                    .collect();
                if part.is_empty() && !first {
                    break;
                }
                faro_formats::resources_csv::write_part(&mut out, &part, first)?;
                first = false;
                match part.last() {
                    Some(r) => after = Some(r.id.clone()),
                    None => break,
                }
            }
            out.flush()?;
        }
        Command::Release { name, public_url } => {
            let store = open(&cli).await?;
            let files = faro_web::opendata::snapshot(&store, public_url).await?;
            faro_store::releases::create(&store, name, &files).await?;
            println!(
                "release {name} frozen: {} files at /data/releases/{name}/",
                files.len()
            );
        }
        Command::Import {
            what: ImportWhat::All { dir },
        } => {
            let store = open(&cli).await?;
            let m = dump::import_all(&store, dir).await?;
            let files = copy_tree(&dir.join("files"), &cli.data_dir.join("files"))?;
            println!("files: {files} copied");
            for t in &m.tables {
                println!("{}: {} rows imported", t.name, t.rows);
            }
        }
        Command::Export {
            what: ExportWhat::Institutions { format, output },
        } => {
            let store = open(&cli).await?;
            let items = institutions::all(&store).await?;
            let mut buf = Vec::new();
            match format {
                Format::Csv => faro_formats::institutions_csv::write(&mut buf, &items)?,
                Format::Json => {
                    serde_json::to_writer_pretty(&mut buf, &items)?;
                    buf.push(b'\n');
                }
            }
            match output {
                Some(path) => std::fs::write(path, &buf)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => std::io::stdout().write_all(&buf)?,
            }
        }
        Command::Export {
            what:
                ExportWhat::All {
                    dir,
                    without_personal_data,
                },
        } => {
            let store = open(&cli).await?;
            let m = if *without_personal_data {
                dump::export_public(&store, dir).await?
            } else {
                dump::export_all(&store, dir).await?
            };
            let files = copy_tree(&cli.data_dir.join("files"), &dir.join("files"))?;
            println!("files: {files} copied");
            for t in &m.tables {
                println!("{}: {} rows exported", t.name, t.rows);
            }
        }
    }
    Ok(ok)
}

fn uses_postgres(cli: &Cli) -> bool {
    cli.database_url
        .as_deref()
        .is_some_and(|u| !u.trim().is_empty() && !u.starts_with("sqlite:"))
}

/// `faro backup DIR`: the database first, as of one moment, then the files
/// (written before the rows that name them and never deleted, so every file
/// the copy names is there), then `backup.json`, which marks the folder
/// complete.
async fn backup(cli: &Cli, dir: &std::path::Path) -> Result<()> {
    use faro_store::backup as b;
    if !b::is_empty_dir(dir)? {
        bail!(
            "{} is not empty: a backup goes into a new or empty folder",
            dir.display()
        );
    }
    let postgres = uses_postgres(cli);
    if cli.database_url.is_none() && !cli.data_dir.join("faro.sqlite").exists() {
        bail!(
            "no site in the data folder {} (no faro.sqlite)",
            cli.data_dir.display()
        );
    }
    let store = open(cli).await?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let taken_at = chrono::Utc::now();
    let kind = if postgres {
        let m = dump::export_all(&store, &dir.join(b::DUMP_DIR)).await?;
        let rows: u64 = m.tables.iter().map(|t| t.rows).sum();
        println!("database: {rows} rows in {} tables (dump)", m.tables.len());
        "dump"
    } else {
        b::sqlite_snapshot(&store, &dir.join(b::SQLITE_FILE)).await?;
        println!("database: copied with VACUUM INTO");
        "sqlite"
    };
    store.close().await;
    let files = copy_tree(&cli.data_dir.join("files"), &dir.join("files"))?;
    println!("files: {files} copied");
    b::write_description(
        dir,
        &b::Description {
            format: b::FORMAT.into(),
            version: b::VERSION,
            kind: kind.into(),
            backend: if postgres { "postgres" } else { "sqlite" }.into(),
            taken_at: taken_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            files: files as u64,
        },
    )?;
    println!("backup written to {}", dir.display());
    Ok(())
}

/// `faro restore DIR`: into an empty data folder only (and an empty
/// database); then the search index is built from the restored database.
async fn restore(cli: &Cli, dir: &std::path::Path) -> Result<()> {
    use faro_store::backup as b;
    let d = b::describe(dir)?;
    if !b::is_empty_dir(&cli.data_dir)? {
        bail!(
            "the data folder {} is not empty: restore only into a new or empty folder \
             (move the current one aside first)",
            cli.data_dir.display()
        );
    }
    std::fs::create_dir_all(&cli.data_dir)
        .with_context(|| format!("cannot create {}", cli.data_dir.display()))?;
    let postgres = uses_postgres(cli);
    let store = match (d.kind.as_str(), postgres) {
        ("sqlite", false) => {
            std::fs::copy(dir.join(b::SQLITE_FILE), cli.data_dir.join(b::SQLITE_FILE))
                .context("cannot copy the database of the backup")?;
            // Migrations a newer Faro has run on open.
            open(cli).await?
        }
        ("sqlite", true) => {
            // An SQLite backup into PostgreSQL: through the dump, from a
            // copy (opening migrates; the backup itself stays untouched).
            let tmp = tempfile::tempdir()?;
            std::fs::copy(dir.join(b::SQLITE_FILE), tmp.path().join(b::SQLITE_FILE))?;
            let from = Store::open_data_dir(tmp.path()).await?;
            from.migrate().await?;
            dump::export_all(&from, &tmp.path().join(b::DUMP_DIR)).await?;
            from.close().await;
            let store = open(cli).await?;
            dump::import_all(&store, &tmp.path().join(b::DUMP_DIR)).await?;
            store
        }
        _ => {
            let store = open(cli).await?;
            dump::import_all(&store, &dir.join(b::DUMP_DIR)).await?;
            store
        }
    };
    println!(
        "database: restored ({} backup taken at {})",
        d.backend, d.taken_at
    );
    let files = copy_tree(&dir.join("files"), &cli.data_dir.join("files"))?;
    println!("files: {files} copied");
    let (index, _) = faro_web::search::open(&store, &search_dir(cli))
        .await
        .context("cannot build the search index")?;
    println!("search index built: {} documents", index.num_docs());
    drop(index);
    store.close().await;
    Ok(())
}

/// Copies uploaded files (named by hash, so existing ones are skipped).
fn copy_tree(from: &std::path::Path, to: &std::path::Path) -> Result<usize> {
    let mut n = 0;
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(0);
    };
    for e in entries {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            n += copy_tree(&e.path(), &target)?;
        } else if !target.exists() {
            std::fs::create_dir_all(to)?;
            std::fs::copy(e.path(), &target)?;
            n += 1;
        }
    }
    Ok(n)
}

async fn courses_cli(cli: &Cli, action: &CoursesAction) -> Result<std::process::ExitCode> {
    use faro_store::harvest;
    let store = open(cli).await?;
    match action {
        CoursesAction::Source {
            id,
            institution,
            kind,
            url,
            lang,
            every_hours,
        } => {
            let src = harvest::Source {
                id: id.clone(),
                institution_id: institution.clone(),
                kind: kind.clone(),
                url: url.join("\n"),
                lang: lang.clone(),
                every_hours: *every_hours,
                last_run_at: None,
                last_outcome: String::new(),
            };
            match harvest::save_source(&store, &src, &Actor::new(cli_actor(), None)).await {
                Ok(()) => println!("source {id} saved"),
                Err(
                    e @ (faro_store::StoreError::Invalid(_)
                    | faro_store::StoreError::Reference { .. }),
                ) => {
                    eprintln!("{e}");
                    return Ok(std::process::ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            }
        }
        CoursesAction::Sources => {
            for s in harvest::sources(&store, None).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    s.id,
                    s.institution_id,
                    s.kind,
                    s.url.replace('\n', " "),
                    s.last_run_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    s.last_outcome
                );
            }
        }
        CoursesAction::Harvest { source, verbose } => {
            let Some(src) = harvest::source(&store, source).await? else {
                eprintln!("no source {source:?} (see `faro courses sources`)");
                return Ok(std::process::ExitCode::from(2));
            };
            let actor = Actor::new(
                cli_actor(),
                Some(format!(
                    "harvest of {}",
                    src.url.lines().next().unwrap_or("")
                )),
            );
            let now = chrono::Utc::now();
            let outcome = faro_web::harvest::run(&store, &src, &actor)
                .await
                .map_err(anyhow::Error::msg)?;
            harvest::finish_run(&store, &src.id, now, &outcome.summary()).await?;
            println!("{}", outcome.summary());
            if *verbose {
                for (course, field) in &outcome.report.kept_fields {
                    println!("kept as edited: {course} {field}");
                }
                for id in &outcome.report.kept_deleted {
                    println!("left deleted: {id}");
                }
                for (url, why) in &outcome.report.skipped {
                    println!("skipped: {url}: {why}");
                }
                for (url, why) in &outcome.problems {
                    println!("problem: {url}: {why}");
                }
                for (url, why) in &outcome.warnings {
                    println!("warning: {url}: {why}");
                }
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn cli_actor() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    )
}

fn web_config(
    web: &WebArgs,
    bind: SocketAddr,
    data_dir: &std::path::Path,
) -> Result<faro_web::WebConfig> {
    let public_url = web
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{bind}"))
        .trim_end_matches('/')
        .to_string();
    if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
        bail!("--public-url must start with http:// or https://");
    }
    let mailer = match &web.smtp_url {
        Some(url) if !url.trim().is_empty() => Some(
            faro_web::mail::Mailer::from_url(url, &web.smtp_from)
                .map_err(|e| anyhow::anyhow!(e))?,
        ),
        _ => None,
    };
    let (admin_email, rule) =
        faro_web::oai::admin_email(web.admin_email.as_deref(), &web.smtp_from, &public_url)
            .map_err(|e| anyhow::anyhow!(e))?;
    if rule == "local" {
        tracing::warn!(%admin_email, "no --admin-email and no public domain name: OAI-PMH names a placeholder address");
    }
    Ok(faro_web::WebConfig {
        admin_email,
        secure_cookies: public_url.starts_with("https://"),
        public_url,
        trusted_proxies: web.trusted_proxy.clone(),
        mailer,
        files_dir: Some(data_dir.join("files")),
        max_upload_bytes: web.max_upload_mb.saturating_mul(1024 * 1024),
        oai_page_size: web.oai_page_size.clamp(1, 1000),
        register_limit: web.register_limit,
        retention_days: web.retention_days,
        heavy_downloads: std::sync::Arc::new(tokio::sync::Semaphore::new(
            web.heavy_downloads.max(1),
        )),
        ..Default::default()
    })
}

async fn serve(
    store: Store,
    config: faro_web::WebConfig,
    index: std::sync::Arc<faro_search::SearchIndex>,
    bind: SocketAddr,
) -> Result<()> {
    let state = faro_web::AppState {
        store: store.clone(),
        config: std::sync::Arc::new(config),
        search: Some(index),
    };
    // E-mails and reminders: every few seconds (`FARO_JOBS_EVERY_MS`).
    let every = std::env::var("FARO_JOBS_EVERY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000u64);
    // Concurrent senders (`FARO_JOB_WORKERS`, default 4).
    let workers = std::env::var("FARO_JOB_WORKERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4usize);
    faro_web::jobs::spawn(
        state.clone(),
        std::time::Duration::from_millis(every),
        workers,
    );
    let app = faro_web::router(state);
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    println!("Faro is listening on http://{addr}/");
    tracing::info!(%addr, "listening");
    // SIGTERM or Ctrl-C: the listener first hands over the connections the
    // kernel already accepted, closes, and then open requests finish.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    let (listener, drained) =
        drain::Draining::new(listener, stop_rx, std::time::Duration::from_secs(1))?;
    use axum::serve::ListenerExt;
    axum::serve(
        listener.tap_io(|_| {}),
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(drained)
    .await?;
    tracing::info!("shut down cleanly");
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received, finishing open requests");
}

/// A CSV file's bytes, or the first sheet of an XLSX file as CSV.
fn read_table_file(file: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    if faro_formats::xlsx::looks_like_xlsx(&bytes) {
        faro_formats::xlsx::first_sheet_as_csv(&bytes)
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))
    } else {
        Ok(bytes)
    }
}

/// Lists every bad line of a refused import; exit code 2.
fn report_problems(
    file: &std::path::Path,
    errors: &[faro_formats::institutions_csv::LineError],
) -> std::process::ExitCode {
    eprintln!(
        "{}: {} problem(s); nothing was imported:",
        file.display(),
        errors.len()
    );
    for e in errors {
        eprintln!("  {e}");
    }
    std::process::ExitCode::from(2)
}
