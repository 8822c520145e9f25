//! Faro's storage: SeaORM entities, the one set of migrations, and the
//! service functions every edge (HTML, JSON API, CLI) calls. The same code
//! runs on SQLite (default) and PostgreSQL.
//!
//! Rules: SQL lives here and nowhere else; every write goes through
//! [`Store::write`] and records what changed in `change_log`.

pub mod accounts;
pub mod attendance;
pub mod audience;
pub mod audit;
pub mod backup;
pub mod certificates;
pub mod changes;
pub mod corrections;
pub mod courses;
pub mod demo;
pub mod dump;
pub mod entity;
pub mod events;
pub mod files;
pub mod fts5_baseline;
pub mod harvest;
pub mod institutions;
pub mod jobs;
pub mod knowledge;
pub mod link_checks;
pub mod list;
pub mod meta;
pub mod migration;
pub mod observatory;
pub mod outbox;
pub mod registrations;
pub mod releases;
pub mod reports;
pub mod surveys;
pub mod testing;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend};
use sea_orm_migration::MigratorTrait;
use std::path::Path;
use std::time::Duration;

pub use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    /// A record names another that does not exist or is deleted.
    #[error("{record}: unknown {field} {target:?}")]
    Reference {
        record: String,
        field: &'static str,
        target: String,
    },
    /// The record changed after the version the caller based its change on.
    #[error("the record changed since the version the change was based on")]
    Conflict,
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// A workflow or permission rule forbids the change (e.g. verifying a
    /// measure that was never submitted); the code names the rule.
    #[error("rule broken: {0}")]
    Rule(&'static str),
}

impl StoreError {
    /// Whether the error says the database is out of reach (no connection
    /// within the acquire timeout, a refused or dropped connection, the
    /// server shutting down), not that the request or the data is wrong.
    /// The web layer answers these with 503 and `Retry-After`.
    pub fn is_unavailable(&self) -> bool {
        use sea_orm::{RuntimeErr, sqlx::Error as X};
        let StoreError::Db(e) = self else {
            return false;
        };
        let runtime = match e {
            DbErr::ConnectionAcquire(_) => return true,
            DbErr::Conn(r) | DbErr::Exec(r) | DbErr::Query(r) => r,
            _ => return false,
        };
        let RuntimeErr::SqlxError(x) = runtime else {
            return matches!(e, DbErr::Conn(_));
        };
        match x.as_ref() {
            X::Io(_) | X::PoolTimedOut | X::PoolClosed | X::WorkerCrashed | X::Tls(_) => true,
            // SQLSTATE classes 08 (connection exception) and 57
            // (operator intervention: admin shutdown, cannot connect now).
            X::Database(d) => d
                .code()
                .is_some_and(|c| c.starts_with("08") || c.starts_with("57")),
            _ => matches!(e, DbErr::Conn(_)),
        }
    }
}

/// What the server last saw of the database: down after a request failed
/// because it was out of reach, up again when a probe answers. Shared by
/// every clone of a [`Store`]; the web layer reads it to answer 503 at once
/// instead of letting each request wait for the acquire timeout.
#[derive(Debug, Default)]
pub struct Health {
    down: std::sync::atomic::AtomicBool,
    probing: std::sync::atomic::AtomicBool,
}

impl Health {
    pub fn is_down(&self) -> bool {
        self.down.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Marks the database down; true when it was up until now.
    pub fn mark_down(&self) -> bool {
        !self.down.swap(true, std::sync::atomic::Ordering::AcqRel)
    }

    /// Marks the database up; true when it was down until now.
    pub fn mark_up(&self) -> bool {
        self.down.swap(false, std::sync::atomic::Ordering::AcqRel)
    }

    /// Claims the one probe in flight; false when another caller has it.
    pub fn begin_probe(&self) -> bool {
        !self.probing.swap(true, std::sync::atomic::Ordering::AcqRel)
    }

    pub fn end_probe(&self) {
        self.probing
            .store(false, std::sync::atomic::Ordering::Release);
    }
}

/// Every stable code a [`StoreError`] carries, in one place. Each has a
/// message in es/en/pt (`err-code-…` in the Fluent files; a test checks).
pub const ERROR_CODES: [&str; 6] = [
    "not_found",
    "conflict",
    "invalid",
    "unknown_reference",
    "rule_broken",
    "internal",
];

impl StoreError {
    /// The stable snake_case code (see [`ERROR_CODES`]).
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound => "not_found",
            StoreError::Conflict => "conflict",
            StoreError::Invalid(_) => "invalid",
            StoreError::Reference { .. } => "unknown_reference",
            StoreError::Rule(_) => "rule_broken",
            StoreError::Db(_) | StoreError::Io(_) => "internal",
        }
    }

    /// Whether the caller's input (not the system) is at fault.
    pub fn is_client_error(&self) -> bool {
        !matches!(self, StoreError::Db(_) | StoreError::Io(_))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Refuses a batch if any item breaks the domain rules: `Invalid` naming the
/// item's id and every problem. Nothing is written before this passes.
pub(crate) fn refuse_invalid<T>(
    items: &[T],
    check: impl Fn(&T) -> (&str, Vec<faro_domain::FieldError>),
) -> Result<()> {
    for item in items {
        let (id, errs) = check(item);
        if !errs.is_empty() {
            let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
            return Err(StoreError::Invalid(format!("{id}: {}", msgs.join("; "))));
        }
    }
    Ok(())
}

/// A handle on the database. On SQLite, reads use a pool and writes use a
/// single connection, so writers queue instead of failing with "database is
/// locked" (ENGINEERING.md pitfall 1). On PostgreSQL both are one pool.
#[derive(Clone, Debug)]
pub struct Store {
    read: DatabaseConnection,
    write: DatabaseConnection,
    /// List totals and facet counts per data version (see [`list`]).
    pub(crate) counts: std::sync::Arc<list::CountCache>,
    health: std::sync::Arc<Health>,
}

impl Store {
    /// Opens `url` (`sqlite://…` or `postgres://…`).
    pub async fn connect(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            // A larger page cache for the one writer: bulk imports touch
            // many index pages (readers keep SQLite's default, 2 MB each).
            let read = Database::connect(sqlite_options(url, 4, None)).await?;
            let write = Database::connect(sqlite_options(url, 1, Some(32 * 1024))).await?;
            Ok(Store {
                read,
                write,
                counts: Default::default(),
                health: Default::default(),
            })
        } else {
            let mut opts = ConnectOptions::new(url.to_string());
            opts.max_connections(10)
                .min_connections(1)
                .connect_timeout(Duration::from_secs(5))
                // A request waits at most this long for a connection; while
                // the database is down it then fails (503) instead of
                // queueing for sqlx's default 30 s.
                .acquire_timeout(Duration::from_secs(5))
                .sqlx_logging(false);
            let db = Database::connect(opts).await?;
            Ok(Store {
                read: db.clone(),
                write: db,
                counts: Default::default(),
                health: Default::default(),
            })
        }
    }

    /// Opens (and creates) `DIR/faro.sqlite`.
    pub async fn open_data_dir(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join("faro.sqlite");
        Self::connect(&sqlite_url(&path)).await
    }

    pub fn read(&self) -> &DatabaseConnection {
        &self.read
    }

    pub fn write(&self) -> &DatabaseConnection {
        &self.write
    }

    pub fn backend(&self) -> DbBackend {
        self.read.get_database_backend()
    }

    /// Applies every pending migration. Safe to call on every start.
    pub async fn migrate(&self) -> Result<()> {
        migration::Migrator::up(&self.write, None).await?;
        Ok(())
    }

    /// Applies the first `n` migrations only (tests of a migration start
    /// from the schema before it).
    pub async fn migrate_first(&self, n: u32) -> Result<()> {
        migration::Migrator::up(&self.write, Some(n)).await?;
        Ok(())
    }

    /// What the server last saw of the database (see [`Health`]).
    pub fn health(&self) -> &Health {
        &self.health
    }

    /// Cheap liveness query for `/readyz`.
    pub async fn ping(&self) -> Result<()> {
        self.read.ping().await?;
        Ok(())
    }

    pub async fn close(self) {
        let _ = self.read.close().await;
        let _ = self.write.close().await;
    }
}

pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

fn sqlite_options(url: &str, max: u32, cache_kib: Option<u32>) -> ConnectOptions {
    use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
    let mut opts = ConnectOptions::new(url.to_string());
    opts.max_connections(max)
        .min_connections(1)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |o| {
            let o = match cache_kib {
                Some(k) => o.pragma("cache_size", format!("-{k}")),
                None => o,
            };
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    opts
}
