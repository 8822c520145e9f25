//! Fresh databases for tests, on both backends (the atuin model): SQLite in
//! a temporary folder always, PostgreSQL when `FARO_TEST_DATABASE_URL` names
//! a server. Each call creates a new, empty PostgreSQL database, so tests
//! running in parallel never see each other's rows.

use crate::Store;
use std::sync::atomic::{AtomicU64, Ordering};

/// A migrated store plus what keeps it alive (the temp dir for SQLite).
pub struct TestDb {
    pub label: &'static str,
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile_guard::Guard>,
}

mod tempfile_guard {
    /// Removes the folder when the test ends.
    pub struct Guard(pub std::path::PathBuf);
    impl Drop for Guard {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

static SEQ: AtomicU64 = AtomicU64::new(0);

fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// A new SQLite database in a new temporary folder, migrated.
pub async fn sqlite() -> TestDb {
    sqlite_at(None).await
}

/// A new SQLite database with only the first `n` migrations (all: `None`).
pub async fn sqlite_at(n: Option<u32>) -> TestDb {
    let dir = std::env::temp_dir().join(format!("faro-test-{}", unique()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = crate::sqlite_url(&dir.join("faro.sqlite"));
    let store = Store::connect(&url).await.expect("open sqlite");
    match n {
        None => store.migrate().await.expect("migrate sqlite"),
        Some(n) => store.migrate_first(n).await.expect("migrate sqlite"),
    }
    TestDb {
        label: "sqlite",
        store,
        url,
        _dir: Some(tempfile_guard::Guard(dir)),
    }
}

/// The PostgreSQL server URL for tests, or `None` (with a visible "skipped"
/// line). With `CI=true` a missing URL is a failure, so CI cannot pass
/// without exercising PostgreSQL.
pub fn postgres_base_url() -> Option<String> {
    match std::env::var("FARO_TEST_DATABASE_URL") {
        Ok(u) if !u.trim().is_empty() => Some(u),
        _ => {
            if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
                panic!(
                    "CI=true but FARO_TEST_DATABASE_URL is not set: PostgreSQL tests cannot be skipped in CI"
                );
            }
            eprintln!(
                "SKIPPED: PostgreSQL part of this test (set FARO_TEST_DATABASE_URL to run it)"
            );
            None
        }
    }
}

/// Replaces the database name in a `postgres://…/name?params` URL.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, params) = match url.split_once('?') {
        Some((b, p)) => (b, Some(p)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part_end = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..host_part_end], name);
    if let Some(p) = params {
        out.push('?');
        out.push_str(p);
    }
    out
}

/// A new, empty, migrated PostgreSQL database, if a server is configured.
pub async fn postgres() -> Option<TestDb> {
    postgres_at(None).await
}

/// A new PostgreSQL database with only the first `n` migrations (all: `None`).
pub async fn postgres_at(n: Option<u32>) -> Option<TestDb> {
    let base = postgres_base_url()?;
    let name = format!("faro_t_{}", unique());
    let admin = Store::connect(&base)
        .await
        .expect("connect to FARO_TEST_DATABASE_URL");
    admin
        .write()
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await;
    let url = with_database(&base, &name);
    let store = Store::connect(&url)
        .await
        .expect("connect to test database");
    match n {
        None => store.migrate().await.expect("migrate postgres"),
        Some(n) => store.migrate_first(n).await.expect("migrate postgres"),
    }
    Some(TestDb {
        label: "postgres",
        store,
        url,
        _dir: None,
    })
}

/// Both backends with only the first `n` migrations applied.
pub async fn all_backends_at(n: u32) -> Vec<TestDb> {
    let mut v = vec![sqlite_at(Some(n)).await];
    if let Some(pg) = postgres_at(Some(n)).await {
        v.push(pg);
    }
    v
}

/// SQLite, then PostgreSQL when configured.
pub async fn all_backends() -> Vec<TestDb> {
    let mut v = vec![sqlite().await];
    if let Some(pg) = postgres().await {
        v.push(pg);
    }
    v
}

use sea_orm::ConnectionTrait;

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_database_name() {
        assert_eq!(
            super::with_database(
                "postgres://postgres@127.0.0.1:5432/faro_ci?sslmode=disable",
                "x"
            ),
            "postgres://postgres@127.0.0.1:5432/x?sslmode=disable"
        );
        assert_eq!(
            super::with_database("postgres://postgres@localhost", "y"),
            "postgres://postgres@localhost/y"
        );
    }
}
