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

/// Synthetic courses for tests and `faro bench site`: `n` courses with 0–6
/// runs each (three on average), spread over `providers`, with dates around `around` (from two
/// years before to one year after), every pacing, modality, cost,
/// certificate and workload band. Deterministic for a `seed`.
pub fn synth_courses(
    n: usize,
    providers: &[String],
    around: chrono::NaiveDate,
    seed: u64,
) -> Vec<faro_domain::courses::Course> {
    use faro_domain::courses::{self as c, Course, CourseRun};
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |m: u64| -> u64 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m.max(1)
    };
    let fields = c::isced();
    let langs = ["es", "pt", "en", "es-419", "pt-BR", "fr"];
    let groups = faro_domain::observatory::TARGET_GROUPS;
    let day = |offset: i64| {
        (around + chrono::Duration::days(offset))
            .format("%Y-%m-%d")
            .to_string()
    };
    (0..n)
        .map(|i| {
            let runs = next(7) as usize;
            let runs = (0..runs)
                .map(|k| {
                    let self_paced = next(5) == 0;
                    let start = next(1095) as i64 - 730;
                    let len = 7 + next(120) as i64;
                    let cost = c::COSTS[next(3) as usize];
                    let dated = !self_paced || next(2) == 0;
                    CourseRun {
                        run_id: format!("r{k}"),
                        run_start: if dated { day(start) } else { String::new() },
                        run_end: if dated && next(4) != 0 {
                            day(start + len)
                        } else {
                            String::new()
                        },
                        enrolment_start: if dated && next(2) == 0 {
                            day(start - 30)
                        } else {
                            String::new()
                        },
                        enrolment_end: if dated && next(3) == 0 {
                            day(start + 3)
                        } else {
                            String::new()
                        },
                        pacing: if self_paced {
                            "self_paced"
                        } else {
                            "instructor_led"
                        }
                        .into(),
                        modality: c::MODALITIES[next(4) as usize].into(),
                        hours_total: (next(5) != 0).then(|| next(80) as i32),
                        hours_week: None,
                        cost: cost.into(),
                        price: if cost == "paid" {
                            format!("{}", 10 + next(200))
                        } else {
                            String::new()
                        },
                        currency: if cost == "paid" {
                            ["USD", "BRL", "COP", "EUR"][next(4) as usize].into()
                        } else {
                            String::new()
                        },
                        certificate: c::CERTIFICATES[next(4) as usize].into(),
                        seats: (next(2) == 0).then(|| 10 + next(90) as i32),
                    }
                })
                .collect();
            let lang = langs[next(langs.len() as u64) as usize];
            let original = match &lang[..2] {
                "pt" => "pt",
                "en" => "en",
                _ => "es",
            };
            let title = format!("Curso sintético {i}");
            Course {
                id: format!("c-synth-{i:06}"),
                title_es: if original == "es" {
                    title.clone()
                } else {
                    String::new()
                },
                title_en: if original == "en" {
                    format!("Synthetic course {i}")
                } else {
                    String::new()
                },
                title_pt: if original == "pt" {
                    format!("Curso sintético {i}")
                } else {
                    String::new()
                },
                description_es: String::new(),
                description_en: String::new(),
                description_pt: String::new(),
                original_language: original.into(),
                providers: vec![providers[next(providers.len() as u64) as usize].clone()],
                subjects: vec![fields[next(fields.len() as u64) as usize].code.clone()],
                topics: Vec::new(),
                level: ["", "introductory", "intermediate", "advanced"][next(4) as usize].into(),
                target_groups: vec![groups[next(groups.len() as u64) as usize].into()],
                languages: vec![lang.into()],
                url: format!("https://courses.example.org/{i}"),
                mobile_friendly: next(2) == 0,
                downloadable: next(3) == 0,
                offline: next(5) == 0,
                broadcast: next(10) == 0,
                data_mb: (next(2) == 0).then(|| next(500) as i32),
                notes: String::new(),
                runs,
            }
        })
        .collect()
}

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
