//! Event series run in Faro: series, presenters, session times and join
//! details, registrants and registrations (double opt-in, capacity, waiting
//! list), one-time access tokens of registrants, and the job queue that
//! sends their e-mails and reminders.
//!
//! Written as DDL per backend (the only differences are the auto-increment
//! key and the timestamp type, which match what SeaORM's builder makes).
//! Join details live in their own table (`event_session_private`), so no
//! public query can select them by accident.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &[
    "CREATE TABLE event_series (
        id VARCHAR(64) NOT NULL PRIMARY KEY,
        title_es TEXT NOT NULL DEFAULT '', title_en TEXT NOT NULL DEFAULT '', title_pt TEXT NOT NULL DEFAULT '',
        description_es TEXT NOT NULL DEFAULT '', description_en TEXT NOT NULL DEFAULT '', description_pt TEXT NOT NULL DEFAULT '',
        original_language VARCHAR(8) NOT NULL DEFAULT 'en',
        organiser VARCHAR(64) NULL REFERENCES institution (id),
        hashtag TEXT NOT NULL DEFAULT '',
        certificate_policy TEXT NOT NULL DEFAULT '',
        created_at {TS} NOT NULL, updated_at {TS} NOT NULL)",
    "CREATE TABLE event_series_figure (
        series_id VARCHAR(64) NOT NULL REFERENCES event_series (id),
        key VARCHAR(32) NOT NULL, value TEXT NOT NULL, source TEXT NOT NULL, pos INTEGER NOT NULL,
        PRIMARY KEY (series_id, key))",
    "CREATE TABLE event_session_topic (
        session_id VARCHAR(64) NOT NULL REFERENCES event_session (id),
        code VARCHAR(16) NOT NULL, pos INTEGER NOT NULL,
        PRIMARY KEY (session_id, code))",
    "CREATE TABLE event_session_private (
        session_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES event_session (id),
        zoom_url TEXT NOT NULL DEFAULT '', zoom_meeting_id TEXT NOT NULL DEFAULT '',
        zoom_passcode TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE event_presenter (
        id {ID},
        series_id VARCHAR(64) NOT NULL REFERENCES event_series (id),
        session_id VARCHAR(64) NULL REFERENCES event_session (id),
        institution_id VARCHAR(64) NULL REFERENCES institution (id),
        name TEXT NOT NULL DEFAULT '', role TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',
        pos INTEGER NOT NULL)",
    "CREATE INDEX event_presenter_series ON event_presenter (series_id, session_id, pos)",
    "CREATE INDEX event_presenter_institution ON event_presenter (institution_id)",
    "CREATE TABLE registrant (
        id {ID},
        email VARCHAR(320) NOT NULL UNIQUE,
        name TEXT NOT NULL, institution_id VARCHAR(64) NULL REFERENCES institution (id),
        institution_text TEXT NOT NULL DEFAULT '', country VARCHAR(2) NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT '', lang VARCHAR(2) NOT NULL,
        consent_at {TS} NOT NULL, consent_version VARCHAR(16) NOT NULL,
        created_at {TS} NOT NULL, updated_at {TS} NOT NULL, erased_at {TS} NULL)",
    "CREATE TABLE registration (
        id {ID},
        registrant_id BIGINT NOT NULL REFERENCES registrant (id),
        session_id VARCHAR(64) NOT NULL REFERENCES event_session (id),
        state VARCHAR(16) NOT NULL,
        created_at {TS} NOT NULL, confirmed_at {TS} NULL, waiting_since {TS} NULL,
        cancelled_at {TS} NULL, updated_at {TS} NOT NULL,
        UNIQUE (registrant_id, session_id))",
    "CREATE INDEX registration_session_state ON registration (session_id, state, waiting_since)",
    "CREATE TABLE registrant_token (
        hash VARCHAR(64) NOT NULL PRIMARY KEY,
        registrant_id BIGINT NOT NULL REFERENCES registrant (id),
        created_at {TS} NOT NULL, expires_at {TS} NOT NULL)",
    "CREATE INDEX registrant_token_registrant ON registrant_token (registrant_id)",
    "CREATE TABLE job (
        id {ID},
        kind VARCHAR(32) NOT NULL, payload TEXT NOT NULL,
        run_at {TS} NOT NULL, state VARCHAR(16) NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',
        locked_by TEXT NULL, locked_until {TS} NULL,
        dedupe VARCHAR(200) NULL UNIQUE, registrant_id BIGINT NULL,
        created_at {TS} NOT NULL, done_at {TS} NULL)",
    "CREATE INDEX job_registrant ON job (registrant_id)",
    "CREATE INDEX job_due ON job (state, run_at)",
];

const SESSION_COLUMNS: &[&str] = &[
    "start_time VARCHAR(5) NOT NULL DEFAULT ''",
    "time_zone VARCHAR(64) NOT NULL DEFAULT ''",
    "start_at {TS} NULL",
    "duration_minutes INTEGER NOT NULL DEFAULT 0",
    "description_es TEXT NOT NULL DEFAULT ''",
    "description_en TEXT NOT NULL DEFAULT ''",
    "description_pt TEXT NOT NULL DEFAULT ''",
    "capacity INTEGER NULL",
    "status VARCHAR(16) NOT NULL DEFAULT 'scheduled'",
    "facebook_url TEXT NOT NULL DEFAULT ''",
    "sequence INTEGER NOT NULL DEFAULT 0",
];

fn ddl(backend: DbBackend, sql: &str) -> String {
    let (id, ts) = match backend {
        DbBackend::Postgres => ("BIGSERIAL PRIMARY KEY", "TIMESTAMPTZ"),
        _ => (
            "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT",
            "timestamp_with_timezone_text",
        ),
    };
    sql.replace("{ID}", id).replace("{TS}", ts)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        for sql in TABLES {
            db.execute_unprepared(&ddl(backend, sql)).await?;
        }
        for col in SESSION_COLUMNS {
            db.execute_unprepared(&ddl(
                backend,
                &format!("ALTER TABLE event_session ADD COLUMN {col}"),
            ))
            .await?;
        }
        db.execute_unprepared(
            "CREATE INDEX event_session_series ON event_session (series, number)",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX event_session_start ON event_session (start_at)")
            .await?;
        // Sessions stored before this migration name their series by slug:
        // give each such series a row (titled by its slug until the demo
        // data or a coordinator names it), so every session's series exists.
        let now = match backend {
            DbBackend::Postgres => "now()",
            _ => "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')",
        };
        db.execute_raw(Statement::from_string(
            backend,
            format!(
                "INSERT INTO event_series (id, title_en, created_at, updated_at) \
                 SELECT DISTINCT series, series, {now}, {now} FROM event_session"
            ),
        ))
        .await?;
        Ok(())
    }
}
