//! Online backups (`faro backup DIR`, `faro restore DIR`).
//!
//! A backup folder holds `backup.json` (what it is), the database as of one
//! moment — `faro.sqlite` for an SQLite site (`VACUUM INTO`, a consistent
//! copy taken while writers go on), `dump/` for a PostgreSQL site (the
//! backend-neutral dump of [`crate::dump::export_all`], read in one
//! REPEATABLE READ transaction) — and `files/`, the uploaded files.
//!
//! Files are copied *after* the database snapshot. A file is written under
//! the data folder before the row that points to it and never deleted, so
//! every file the snapshot refers to is already there when it is copied.

use crate::{Result, Store, StoreError};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const FORMAT: &str = "faro-backup";
pub const VERSION: u32 = 1;
/// The file that describes a backup folder.
pub const DESCRIPTION: &str = "backup.json";
/// The SQLite copy inside a backup folder.
pub const SQLITE_FILE: &str = "faro.sqlite";
/// The dump folder inside a backup folder.
pub const DUMP_DIR: &str = "dump";

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, Clone)]
pub struct Description {
    pub format: String,
    pub version: u32,
    /// `sqlite` (the folder holds `faro.sqlite`) or `dump` (`dump/`).
    pub kind: String,
    /// The backend the site ran on.
    pub backend: String,
    /// When the database copy was taken (RFC 3339, UTC).
    pub taken_at: String,
    /// Uploaded files copied.
    pub files: u64,
}

/// Copies the SQLite database as of one read transaction into `target`
/// (which must not exist), while other connections keep reading and writing.
pub async fn sqlite_snapshot(store: &Store, target: &Path) -> Result<()> {
    if store.backend() != DbBackend::Sqlite {
        return Err(StoreError::Invalid(
            "VACUUM INTO is for SQLite sites; PostgreSQL sites are backed up as a dump".into(),
        ));
    }
    let path = target.to_str().ok_or_else(|| {
        StoreError::Invalid(format!("backup path {} is not UTF-8", target.display()))
    })?;
    store
        .read()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [path.into()],
        ))
        .await?;
    Ok(())
}

/// Reads `DIR/backup.json`.
pub fn describe(dir: &Path) -> Result<Description> {
    let text = std::fs::read_to_string(dir.join(DESCRIPTION)).map_err(|e| {
        StoreError::Invalid(format!(
            "{} is not a Faro backup (no readable {DESCRIPTION}: {e})",
            dir.display()
        ))
    })?;
    let d: Description = serde_json::from_str(&text)
        .map_err(|e| StoreError::Invalid(format!("{DESCRIPTION}: {e}")))?;
    if d.format != FORMAT || d.version != VERSION {
        return Err(StoreError::Invalid(format!(
            "unsupported backup {} v{} (this Faro reads {FORMAT} v{VERSION})",
            d.format, d.version
        )));
    }
    if d.kind != "sqlite" && d.kind != "dump" {
        return Err(StoreError::Invalid(format!(
            "unknown backup kind {:?}",
            d.kind
        )));
    }
    Ok(d)
}

/// Writes `DIR/backup.json`.
pub fn write_description(dir: &Path, d: &Description) -> Result<()> {
    let text = serde_json::to_string_pretty(d).map_err(std::io::Error::other)?;
    std::fs::write(dir.join(DESCRIPTION), text + "\n")?;
    Ok(())
}

/// Whether a folder is absent or holds nothing.
pub fn is_empty_dir(dir: &Path) -> Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e.into()),
    }
}
