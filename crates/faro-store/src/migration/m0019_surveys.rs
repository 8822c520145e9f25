//! Member surveys (issue 14): surveys and their questionnaire versions
//! (the XLSForm as uploaded and Faro's reading of it), invitations (one per
//! survey and institution, the access code stored as its SHA-256 only),
//! responses (one per survey and institution, shared by its staff; a
//! revision number for compare-and-set page saves) and answers (one row per
//! question and repeat instance, so results are SQL `GROUP BY`s joined
//! across versions by question name).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &[
    "CREATE TABLE survey (
        id VARCHAR(64) NOT NULL PRIMARY KEY,
        title TEXT NOT NULL,
        state VARCHAR(16) NOT NULL DEFAULT 'draft',
        deadline {TS} NULL,
        results_public BOOLEAN NOT NULL DEFAULT FALSE,
        answers_public BOOLEAN NOT NULL DEFAULT FALSE,
        reminder_days INTEGER NOT NULL DEFAULT 0,
        current_version INTEGER NOT NULL,
        revision INTEGER NOT NULL DEFAULT 0,
        created_at {TS} NOT NULL, updated_at {TS} NOT NULL)",
    "CREATE TABLE survey_version (
        survey_id VARCHAR(64) NOT NULL REFERENCES survey (id),
        version INTEGER NOT NULL,
        form_version TEXT NOT NULL DEFAULT '',
        sha256 VARCHAR(64) NOT NULL,
        file_name TEXT NOT NULL DEFAULT '',
        xlsform {BLOB} NOT NULL,
        form_json TEXT NOT NULL,
        created_at {TS} NOT NULL,
        PRIMARY KEY (survey_id, version))",
    "CREATE TABLE survey_invitation (
        id {ID},
        survey_id VARCHAR(64) NOT NULL REFERENCES survey (id),
        institution_id VARCHAR(64) NOT NULL REFERENCES institution (id),
        code_hash VARCHAR(64) NOT NULL UNIQUE,
        invited_at {TS} NOT NULL,
        emailed_at {TS} NULL,
        reminded_at {TS} NULL,
        UNIQUE (survey_id, institution_id))",
    "CREATE TABLE survey_response (
        id {ID},
        uuid VARCHAR(36) NOT NULL UNIQUE,
        survey_id VARCHAR(64) NOT NULL REFERENCES survey (id),
        institution_id VARCHAR(64) NOT NULL REFERENCES institution (id),
        version INTEGER NOT NULL,
        state VARCHAR(16) NOT NULL DEFAULT 'open',
        revision INTEGER NOT NULL DEFAULT 0,
        answered INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0,
        opened_at {TS} NOT NULL,
        updated_at {TS} NOT NULL,
        submitted_at {TS} NULL,
        UNIQUE (survey_id, institution_id))",
    "CREATE INDEX survey_response_state ON survey_response (survey_id, state)",
    "CREATE TABLE survey_answer (
        response_id BIGINT NOT NULL REFERENCES survey_response (id),
        question VARCHAR(64) NOT NULL,
        instance INTEGER NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (response_id, question, instance))",
    "CREATE INDEX survey_answer_question ON survey_answer (question, value)",
];

fn ddl(backend: DbBackend, sql: &str) -> String {
    let (id, ts, blob) = match backend {
        DbBackend::Postgres => ("BIGSERIAL PRIMARY KEY", "TIMESTAMPTZ", "BYTEA"),
        _ => (
            "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT",
            "timestamp_with_timezone_text",
            "BLOB",
        ),
    };
    sql.replace("{ID}", id)
        .replace("{TS}", ts)
        .replace("{BLOB}", blob)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        for sql in TABLES {
            db.execute_unprepared(&ddl(backend, sql)).await?;
        }
        Ok(())
    }
}
