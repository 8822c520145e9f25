//! `POST /api/v1/sessions/{id}/attendance`: a Zoom report as a session's
//! attendance (coordinators' bearer token; the body is the file as Zoom
//! gives it, any content type), and `GET /api/v1/certificates/{code}`:
//! what the public verification page says, as JSON.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};

/// What an import did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportJson {
    /// True when the file changed nothing (e.g. imported before).
    pub unchanged: bool,
    /// The import's number in the session's history; null when unchanged.
    pub import_id: Option<i64>,
    pub rows: u32,
    pub people: u32,
    pub attended: u32,
    pub no_shows: u32,
    pub added: u32,
    pub changed: u32,
    pub removed: u32,
    pub matched_by_email: u32,
    pub matched_by_name: u32,
    pub guests: u32,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TzQuery {
    /// IANA time zone of the report's times; the session's zone by default.
    #[param(example = "America/Montevideo", max_length = 64)]
    pub tz: Option<String>,
}

/// Import a Zoom participants or webinar attendee report (CSV, UTF-8 or
/// UTF-16, commas or tabs) for a session. All or nothing: a 422 lists every
/// problem by line.
#[utoipa::path(
    post,
    operation_id = "import_attendance",
    path = "/api/v1/sessions/{id}/attendance",
    tag = "events",
    params(("id" = String, Path, description = "Session id", example = "vc2020-04"), TzQuery),
    request_body(content = String, content_type = "text/csv", description = "The report as Zoom exports it", example = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\nAna,ana@example.org,03/26/2020 10:00:00 AM,03/26/2020 11:30:00 AM,90,No\n"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Imported (or unchanged)", body = ImportJson),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such session", body = ErrorBody),
        (status = 422, description = "The file is not a readable Zoom report; every problem listed", body = ErrorBody)
    )
)]
pub async fn import(
    State(state): State<AppState>,
    crate::auth::ApiUser(who): crate::auth::ApiUser,
    Path(id): Path<String>,
    Query(q): Query<TzQuery>,
    body: Bytes,
) -> Result<Json<ImportJson>, ApiError> {
    if !who.is_coordinator() {
        return Err(ApiError {
            status: axum::http::StatusCode::FORBIDDEN,
            code: "forbidden",
            message: "only coordinators import attendance".into(),
        });
    }
    let s = faro_store::events::get(&state.store, &id).await?;
    let zone = q.tz.unwrap_or(s.time_zone);
    let invalid = |message: String| ApiError {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_report",
        message,
    };
    let tz: chrono_tz::Tz = zone
        .parse()
        .map_err(|_| invalid(format!("unknown time zone {zone:?}: pass ?tz=")))?;
    let report = faro_formats::zoom::read(&body, tz).map_err(|errs| {
        invalid(
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let r = faro_store::attendance::import(
        &state.store,
        &id,
        &report,
        &faro_store::attendance::sha256_hex(&body),
        &zone,
        &format!("{} (api)", who.actor_name()),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(ImportJson {
        unchanged: r.unchanged,
        import_id: r.import_id,
        rows: r.rows,
        people: r.people,
        attended: r.attended,
        no_shows: r.no_shows,
        added: r.added,
        changed: r.changed,
        removed: r.removed,
        matched_by_email: r.matched_by_email,
        matched_by_name: r.matched_by_name,
        guests: r.guests,
    }))
}

/// A certificate as the public verification page shows it (no e-mail).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CertificateJson {
    pub code: String,
    /// valid, revoked or replaced.
    pub status: String,
    /// The code that replaced this one, when reissued.
    pub replaced_by: Option<String>,
    /// The name printed; empty when the person's data was erased.
    pub name: String,
    pub series: String,
    /// Null for a series certificate.
    pub session: Option<String>,
    pub minutes: i64,
    pub sessions: i64,
    pub issued_at: String,
}

/// Verify a certificate by its code.
#[utoipa::path(
    get,
    operation_id = "verify_certificate",
    path = "/api/v1/certificates/{code}",
    tag = "events",
    params(("code" = String, Path, description = "Verification code, e.g. K7QX-3MPA-9TZC", example = "K7QX-3MPA-9TZC")),
    responses(
        (status = 200, description = "The certificate", body = CertificateJson),
        (status = 404, description = "No certificate has this code", body = ErrorBody)
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<CertificateJson>, ApiError> {
    let c = faro_store::certificates::get(&state.store, &code).await?;
    Ok(Json(CertificateJson {
        code: c.code,
        status: c.status,
        replaced_by: c.replaced_by,
        name: c.name,
        series: c.series,
        session: c.session,
        minutes: c.minutes,
        sessions: c.sessions,
        issued_at: c.issued_at.to_rfc3339(),
    }))
}
