//! `faro`: one binary for the whole platform. This file is wiring only:
//! it parses the command line, opens the store and calls library code.

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
    /// Demonstration data drawn from the 2020 series report.
    Demo {
        #[command(subcommand)]
        action: DemoAction,
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
    /// The whole site as a backend-neutral folder (moves SQLite <-> PostgreSQL).
    All { dir: PathBuf },
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

#[tokio::main]
async fn main() -> std::process::ExitCode {
    init_logs();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<std::process::ExitCode> {
    let ok = std::process::ExitCode::SUCCESS;
    match &cli.command {
        Command::Serve { bind, no_demo } => {
            let store = open(&cli).await?;
            if !no_demo && let Some(r) = demo::load_if_first_start(&store).await? {
                tracing::info!(created = r.created, "demonstration data loaded");
            }
            serve(store, *bind).await?;
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
                Err(errors) => {
                    eprintln!(
                        "{}: {} problem(s); nothing was imported:",
                        file.display(),
                        errors.len()
                    );
                    for e in &errors {
                        eprintln!("  {e}");
                    }
                    return Ok(std::process::ExitCode::from(2));
                }
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
            what: ImportWhat::All { dir },
        } => {
            let store = open(&cli).await?;
            let m = dump::import_all(&store, dir).await?;
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
            what: ExportWhat::All { dir },
        } => {
            let store = open(&cli).await?;
            let m = dump::export_all(&store, dir).await?;
            for t in &m.tables {
                println!("{}: {} rows exported", t.name, t.rows);
            }
        }
    }
    Ok(ok)
}

async fn serve(store: Store, bind: SocketAddr) -> Result<()> {
    let app = faro_web::router(faro_web::AppState {
        store: store.clone(),
    });
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    println!("Faro is listening on http://{addr}/");
    tracing::info!(%addr, "listening");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
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
