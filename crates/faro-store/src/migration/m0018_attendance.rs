//! Attendance (issue 13): imports of Zoom reports per session and the
//! people they name (one row per person and session, matched to a
//! registrant when possible, else a guest), Facebook Live figures per
//! session, the certificate rule of a series and the certificates issued.
//!
//! DDL per backend like m0017 (auto-increment key and timestamp type).
//! Booleans are INTEGER 0/1 on both backends, so raw queries read them the
//! same way.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &[
    "CREATE TABLE attendance_import (
        id {ID},
        session_id VARCHAR(64) NOT NULL REFERENCES event_session (id),
        sha256 VARCHAR(64) NOT NULL,
        kind VARCHAR(32) NOT NULL,
        time_zone VARCHAR(64) NOT NULL,
        rows_read INTEGER NOT NULL, people INTEGER NOT NULL,
        added INTEGER NOT NULL, changed INTEGER NOT NULL, removed INTEGER NOT NULL,
        actor TEXT NOT NULL, imported_at {TS} NOT NULL)",
    "CREATE INDEX attendance_import_session ON attendance_import (session_id, id)",
    "CREATE TABLE attendance (
        id {ID},
        session_id VARCHAR(64) NOT NULL REFERENCES event_session (id),
        person_key VARCHAR(400) NOT NULL,
        registrant_id BIGINT NULL REFERENCES registrant (id),
        name TEXT NOT NULL DEFAULT '',
        email VARCHAR(320) NOT NULL DEFAULT '',
        attended INTEGER NOT NULL,
        seconds INTEGER NOT NULL,
        minutes INTEGER NOT NULL,
        first_join {TS} NULL, last_leave {TS} NULL,
        file_rows INTEGER NOT NULL,
        guest INTEGER NOT NULL,
        country TEXT NOT NULL DEFAULT '',
        import_id BIGINT NOT NULL REFERENCES attendance_import (id),
        erased_at {TS} NULL,
        UNIQUE (session_id, person_key))",
    "CREATE INDEX attendance_registrant ON attendance (registrant_id)",
    "CREATE INDEX attendance_email ON attendance (email)",
    "CREATE INDEX registrant_institution ON registrant (institution_id)",
    "CREATE INDEX attendance_session_minutes ON attendance (session_id, attended, minutes)",
    "CREATE TABLE session_facebook (
        session_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES event_session (id),
        peak_live INTEGER NULL, total_views INTEGER NULL,
        unique_viewers INTEGER NULL, minutes_viewed BIGINT NULL,
        read_on VARCHAR(10) NOT NULL, source TEXT NOT NULL,
        updated_at {TS} NOT NULL)",
    "CREATE TABLE certificate_rule (
        series_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES event_series (id),
        min_share INTEGER NOT NULL,
        series_sessions INTEGER NOT NULL DEFAULT 0,
        updated_at {TS} NOT NULL)",
    "CREATE TABLE certificate (
        id {ID},
        code VARCHAR(32) NOT NULL UNIQUE,
        registrant_id BIGINT NULL REFERENCES registrant (id),
        series_id VARCHAR(64) NOT NULL REFERENCES event_series (id),
        session_id VARCHAR(64) NULL REFERENCES event_session (id),
        scope VARCHAR(64) NOT NULL,
        name TEXT NOT NULL, lang VARCHAR(2) NOT NULL,
        minutes INTEGER NOT NULL, sessions INTEGER NOT NULL,
        status VARCHAR(16) NOT NULL,
        replaced_by VARCHAR(32) NULL,
        issued_at {TS} NOT NULL, revoked_at {TS} NULL, mailed_at {TS} NULL,
        reason TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX certificate_registrant ON certificate (registrant_id, status)",
    "CREATE INDEX certificate_series ON certificate (series_id, scope, status)",
    "CREATE UNIQUE INDEX certificate_one_valid ON certificate (registrant_id, scope) WHERE status = 'valid'",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let (id, ts) = match backend {
            sea_orm::DbBackend::Postgres => ("BIGSERIAL PRIMARY KEY", "TIMESTAMPTZ"),
            _ => (
                "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT",
                "timestamp_with_timezone_text",
            ),
        };
        for sql in TABLES {
            db.execute_unprepared(&sql.replace("{ID}", id).replace("{TS}", ts))
                .await?;
        }
        Ok(())
    }
}
