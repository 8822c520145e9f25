//! The benchmark baseline for search: the same corpus in SQLite FTS5
//! (tokenizer `unicode61 remove_diacritics 2`, bm25 ranking, facet counts
//! by GROUP BY over the matches). Only `faro bench search` uses this; it
//! lives here because SQL lives in this crate.

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{self, ConnectOptions, Connection, Row, SqliteConnection};
use std::path::Path;

pub const FACETS: [&str; 6] = [
    "type",
    "country",
    "institution",
    "category",
    "language",
    "year",
];

pub struct Fts5 {
    conn: SqliteConnection,
}

/// One row: text plus the six facet values.
pub struct Fts5Doc<'a> {
    pub id: i64,
    pub title: &'a str,
    pub body: &'a str,
    pub facets: [&'a str; 6],
}

fn err(e: sqlx::Error) -> crate::StoreError {
    crate::StoreError::Db(sea_orm::DbErr::Custom(e.to_string()))
}

impl Fts5 {
    pub async fn create(path: &Path) -> crate::Result<Fts5> {
        let _ = std::fs::remove_file(path);
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Off)
            .synchronous(SqliteSynchronous::Off)
            .disable_statement_logging();
        let mut conn = SqliteConnection::connect_with(&opts).await.map_err(err)?;
        for sql in [
            "CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')",
            "CREATE TABLE facets (rowid INTEGER PRIMARY KEY, type TEXT, country TEXT, institution TEXT, category TEXT, language TEXT, year TEXT)",
        ] {
            sqlx::query(sql).execute(&mut conn).await.map_err(err)?;
        }
        Ok(Fts5 { conn })
    }

    pub async fn insert(&mut self, docs: &[Fts5Doc<'_>]) -> crate::Result<()> {
        let mut tx = self.conn.begin().await.map_err(err)?;
        for d in docs {
            sqlx::query("INSERT INTO docs_fts(rowid, title, body) VALUES (?, ?, ?)")
                .bind(d.id)
                .bind(d.title)
                .bind(d.body)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            let mut q = sqlx::query("INSERT INTO facets VALUES (?, ?, ?, ?, ?, ?, ?)").bind(d.id);
            for f in d.facets {
                q = q.bind(f);
            }
            q.execute(&mut *tx).await.map_err(err)?;
        }
        tx.commit().await.map_err(err)?;
        Ok(())
    }

    pub async fn finish(&mut self) -> crate::Result<()> {
        sqlx::query("INSERT INTO docs_fts(docs_fts) VALUES ('optimize')")
            .execute(&mut self.conn)
            .await
            .map_err(err)?;
        sqlx::query("ANALYZE")
            .execute(&mut self.conn)
            .await
            .map_err(err)?;
        Ok(())
    }

    /// Top 20 by bm25 and the counts per facet value over all matches.
    /// Returns (ids, total matches).
    pub async fn search(
        &mut self,
        words: &[&str],
        filters: &[(&str, &str)],
    ) -> crate::Result<(Vec<i64>, i64)> {
        let matcher: Vec<String> = words
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "")))
            .collect();
        let matcher = matcher.join(" ");
        let mut filter_sql = String::new();
        for (f, _) in filters {
            if FACETS.contains(f) {
                filter_sql.push_str(&format!(" AND f.{f} = ?"));
            }
        }
        let top_sql = format!(
            "SELECT docs_fts.rowid FROM docs_fts JOIN facets f ON f.rowid = docs_fts.rowid \
             WHERE docs_fts MATCH ?{filter_sql} ORDER BY bm25(docs_fts) LIMIT 20"
        );
        // Column names come from the fixed FACETS list; values are bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(top_sql)).bind(&matcher);
        for (_, v) in filters {
            q = q.bind(*v);
        }
        let ids: Vec<i64> = q
            .fetch_all(&mut self.conn)
            .await
            .map_err(err)?
            .iter()
            .map(|r| r.get::<i64, _>(0))
            .collect();
        let mut total = 0;
        for facet in FACETS {
            let sql = format!(
                "SELECT f.{facet}, count(*) FROM docs_fts JOIN facets f ON f.rowid = docs_fts.rowid \
                 WHERE docs_fts MATCH ?{filter_sql} GROUP BY 1"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&matcher);
            for (_, v) in filters {
                q = q.bind(*v);
            }
            let rows = q.fetch_all(&mut self.conn).await.map_err(err)?;
            if facet == "type" {
                total = rows.iter().map(|r| r.get::<i64, _>(1)).sum();
            }
        }
        Ok((ids, total))
    }
}
