//! `/api/v1/sessions` and `/api/v1/series`: the sessions of the event
//! series (the ids resources name in `related_sessions`) and the series
//! with their figures and presenters; coordinators create and replace both
//! with a bearer token (`If-Match` = `updated_at`), through the same write
//! path as the forms (history, compare-and-set, references checked).

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use faro_domain::events::{Figure, Presenter, Series, Session};
use faro_store::StoreError;
use serde::{Deserialize, Serialize};

/// One session. Keys match the columns of `data/demo/sessions.csv`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionJson {
    /// Stable identifier, e.g. `vc2020-04`.
    pub id: String,
    /// The series it belongs to.
    pub series: String,
    /// Position in the series, from 1.
    pub number: u32,
    /// YYYY-MM-DD.
    pub date: String,
    /// Titles; empty when the source gives none in that language.
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    /// Language of the titles the source gives.
    pub original_language: String,
    /// `zoom`, `facebook_live`, `youtube_live`, `teams`, `other`.
    pub channels: Vec<String>,
    pub notes: String,
    /// Ids of the resources linked to this session.
    pub resources: Vec<String>,
    /// Local start `HH:MM` in `time_zone` (empty: unknown, as for 2020).
    pub start_time: String,
    /// IANA time zone.
    pub time_zone: String,
    /// The start with its offset (RFC 3339), or the date alone.
    pub start: String,
    /// Minutes; 0 unknown.
    pub duration_minutes: u32,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    /// Codebook codes.
    pub topics: Vec<String>,
    /// Seats; null is unlimited.
    pub capacity: Option<u32>,
    /// scheduled, rescheduled, cancelled or held.
    pub status: String,
    pub facebook_url: String,
    /// Raised on every change (iCalendar SEQUENCE).
    pub sequence: u32,
    /// When it last changed (RFC 3339): the `If-Match` of a replace.
    pub updated_at: String,
}

/// One series with its reported figures and presenters.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SeriesJson {
    pub id: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    pub original_language: String,
    /// Directory id of the organiser.
    pub organiser: String,
    pub hashtag: String,
    pub certificate_policy: String,
    /// Figures a source reports, each with the source.
    pub figures: Vec<FigureJson>,
    /// Presenters: `institution` (directory id) or a person; `session`
    /// empty for the series as a whole.
    pub presenters: Vec<PresenterJson>,
    /// Ids of its sessions, by number.
    pub sessions: Vec<String>,
    /// When it last changed (RFC 3339): the `If-Match` of a replace.
    pub updated_at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FigureJson {
    pub key: String,
    pub value: String,
    pub source: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PresenterJson {
    pub session: String,
    pub institution: String,
    pub name: String,
    pub role: String,
    pub source: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SeriesList {
    pub items: Vec<SeriesJson>,
    pub total: u64,
}

async fn series_json(
    state: &AppState,
    s: faro_domain::events::Series,
) -> Result<SeriesJson, ApiError> {
    let presenters = faro_store::events::presenters(&state.store, &s.id).await?;
    let sessions = faro_store::events::for_series(&state.store, &s.id).await?;
    let updated_at = faro_store::events::series_version(&state.store, &s.id)
        .await?
        .unwrap_or_default();
    Ok(SeriesJson {
        updated_at,
        figures: s
            .figures
            .into_iter()
            .map(|f| FigureJson {
                key: f.key,
                value: f.value,
                source: f.source,
            })
            .collect(),
        presenters: presenters
            .into_iter()
            .map(|p| PresenterJson {
                session: p.session,
                institution: p.institution,
                name: p.name,
                role: p.role,
                source: p.source,
            })
            .collect(),
        sessions: sessions.into_iter().map(|x| x.id).collect(),
        id: s.id,
        title_es: s.title_es,
        title_en: s.title_en,
        title_pt: s.title_pt,
        description_es: s.description_es,
        description_en: s.description_en,
        description_pt: s.description_pt,
        original_language: s.original_language,
        organiser: s.organiser,
        hashtag: s.hashtag,
        certificate_policy: s.certificate_policy,
    })
}

/// Every series.
#[utoipa::path(
    get,
    operation_id = "list_series",
    path = "/api/v1/series",
    tag = "events",
    responses((status = 200, description = "Every event series, newest first", body = SeriesList))
)]
pub async fn list_series(State(state): State<AppState>) -> Result<Json<SeriesList>, ApiError> {
    let mut items = Vec::new();
    for s in faro_store::events::list_series(&state.store).await? {
        items.push(series_json(&state, s).await?);
    }
    Ok(Json(SeriesList {
        total: items.len() as u64,
        items,
    }))
}

/// One series by id.
#[utoipa::path(
    get,
    operation_id = "get_series",
    path = "/api/v1/series/{id}",
    tag = "events",
    params(("id" = String, Path, description = "Series id, e.g. `vc2020`", example = "vc2020")),
    responses(
        (status = 200, description = "The series", body = SeriesJson),
        (status = 404, description = "No series has this id", body = ErrorBody)
    )
)]
pub async fn get_series(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SeriesJson>, ApiError> {
    let s = match faro_store::events::get_series(&state.store, &id).await {
        Ok(s) => s,
        Err(faro_store::StoreError::NotFound) => return Err(ApiError::not_found("series")),
        Err(e) => return Err(e.into()),
    };
    Ok(Json(series_json(&state, s).await?))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionList {
    pub items: Vec<SessionJson>,
    pub total: u64,
}

async fn to_json(
    state: &AppState,
    s: faro_domain::events::Session,
) -> Result<SessionJson, ApiError> {
    let (linked, _) = faro_store::knowledge::related(
        &state.store,
        "session",
        &s.id,
        faro_store::list::MAX_PER_PAGE,
    )
    .await?;
    let updated_at = faro_store::events::version(&state.store, &s.id)
        .await?
        .unwrap_or_default();
    Ok(SessionJson {
        updated_at,
        resources: linked.into_iter().map(|r| r.resource.id).collect(),
        start: s.start_iso(),
        start_time: s.start_time,
        time_zone: s.time_zone,
        duration_minutes: s.duration_minutes,
        description_es: s.description_es,
        description_en: s.description_en,
        description_pt: s.description_pt,
        topics: s.topics,
        capacity: s.capacity,
        status: s.status,
        facebook_url: s.facebook_url,
        sequence: s.sequence,
        id: s.id,
        series: s.series,
        number: s.number,
        date: s.date,
        title_es: s.title_es,
        title_en: s.title_en,
        title_pt: s.title_pt,
        original_language: s.original_language,
        channels: s.channels,
        notes: s.notes,
    })
}

/// Every session, by date.
#[utoipa::path(
    get,
    operation_id = "list_sessions",
    path = "/api/v1/sessions",
    tag = "events",
    responses((status = 200, description = "Every session of every series, by date", body = SessionList))
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<SessionList>, ApiError> {
    let mut items: Vec<SessionJson> = Vec::new();
    for s in faro_store::events::all(&state.store).await? {
        items.push(to_json(&state, s).await?);
    }
    Ok(Json(SessionList {
        total: items.len() as u64,
        items,
    }))
}

/// One session by id.
#[utoipa::path(
    get,
    operation_id = "get_session",
    path = "/api/v1/sessions/{id}",
    tag = "events",
    params(("id" = String, Path, description = "Session id, e.g. `vc2020-04`", example = "vc2020-04")),
    responses(
        (status = 200, description = "The session", body = SessionJson),
        (status = 404, description = "No session has this id", body = ErrorBody)
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SessionJson>, ApiError> {
    let s = match faro_store::events::get(&state.store, &id).await {
        Ok(s) => s,
        Err(faro_store::StoreError::NotFound) => return Err(ApiError::not_found("session")),
        Err(e) => return Err(e.into()),
    };
    Ok(Json(to_json(&state, s).await?))
}

/// A session as a coordinator writes it. Keys are those of [`SessionJson`]
/// plus the Zoom join details, which only confirmed registrants receive
/// (never shown by GET).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SessionBody {
    /// Required on create; on replace it must match the path or be absent.
    pub id: String,
    pub series: String,
    pub number: u32,
    /// YYYY-MM-DD.
    pub date: String,
    /// `HH:MM` in `time_zone`; empty when only the day is known.
    pub start_time: String,
    pub time_zone: String,
    pub duration_minutes: u32,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    pub original_language: String,
    pub topics: Vec<String>,
    pub capacity: Option<u32>,
    /// scheduled, rescheduled, cancelled or held.
    pub status: String,
    pub channels: Vec<String>,
    pub facebook_url: String,
    pub zoom_url: String,
    pub zoom_meeting_id: String,
    pub zoom_passcode: String,
    pub notes: String,
    /// Why (kept in the history).
    pub reason: Option<String>,
}

/// A series as a coordinator writes it, with its reported figures and
/// presenters (the list given replaces the stored one).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SeriesBody {
    pub id: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    pub original_language: String,
    /// Directory id of the organising institution.
    pub organiser: String,
    /// Without the `#`.
    pub hashtag: String,
    pub certificate_policy: String,
    pub figures: Vec<FigureBody>,
    pub presenters: Vec<PresenterBody>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FigureBody {
    /// sessions, people_per_session, people_total, institutions, countries
    /// or presenting_organisations.
    pub key: String,
    pub value: String,
    /// Where the figure comes from (required).
    pub source: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PresenterBody {
    /// A session of this series; empty for the series as a whole.
    pub session: String,
    /// A directory id, or empty for a person named by `name`.
    pub institution: String,
    pub name: String,
    pub role: String,
    pub source: String,
}

fn session_from(b: SessionBody) -> (Session, Option<String>) {
    (
        Session {
            id: b.id.trim().to_string(),
            series: b.series,
            number: b.number,
            date: b.date,
            title_es: b.title_es,
            title_en: b.title_en,
            title_pt: b.title_pt,
            original_language: b.original_language,
            channels: b.channels,
            notes: b.notes,
            start_time: b.start_time,
            time_zone: b.time_zone,
            duration_minutes: b.duration_minutes,
            description_es: b.description_es,
            description_en: b.description_en,
            description_pt: b.description_pt,
            topics: b.topics,
            capacity: b.capacity,
            status: b.status,
            zoom_url: b.zoom_url,
            zoom_meeting_id: b.zoom_meeting_id,
            zoom_passcode: b.zoom_passcode,
            facebook_url: b.facebook_url,
            sequence: 0,
        },
        b.reason,
    )
}

fn series_from(b: SeriesBody) -> (Series, Vec<Presenter>, Option<String>) {
    let id = b.id.trim().to_string();
    let presenters = b
        .presenters
        .into_iter()
        .map(|p| Presenter {
            series: id.clone(),
            session: p.session,
            institution: p.institution,
            name: p.name,
            role: p.role,
            source: p.source,
        })
        .collect();
    (
        Series {
            id,
            title_es: b.title_es,
            title_en: b.title_en,
            title_pt: b.title_pt,
            description_es: b.description_es,
            description_en: b.description_en,
            description_pt: b.description_pt,
            original_language: b.original_language,
            organiser: b.organiser,
            hashtag: b.hashtag,
            certificate_policy: b.certificate_policy,
            figures: b
                .figures
                .into_iter()
                .map(|f| Figure {
                    key: f.key,
                    value: f.value,
                    source: f.source,
                })
                .collect(),
        },
        presenters,
        b.reason,
    )
}

fn forbidden() -> ApiError {
    ApiError {
        status: StatusCode::FORBIDDEN,
        code: "forbidden",
        message: "only coordinators manage event series and sessions".into(),
    }
}

fn invalid(errs: &[faro_domain::FieldError]) -> ApiError {
    ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_record",
        message: errs
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn body_error(e: JsonRejection) -> ApiError {
    ApiError {
        status: StatusCode::BAD_REQUEST,
        code: "invalid_body",
        message: e.body_text(),
    }
}

fn path_mismatch(given: &str) -> ApiError {
    ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_record",
        message: format!("id {given:?} does not match the path"),
    }
}

fn if_match(headers: &HeaderMap) -> Option<String> {
    headers
        .get(axum::http::header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().trim_matches('"').to_string())
        // `*`: any version, as if absent.
        .filter(|v| v != "*")
}

fn stale(what: &str) -> ApiError {
    ApiError {
        status: StatusCode::PRECONDITION_FAILED,
        code: "precondition_failed",
        message: format!("the {what} changed since If-Match; GET it again and reapply your change"),
    }
}

fn actor(
    who: &faro_domain::accounts::Principal,
    reason: Option<String>,
) -> faro_store::changes::Actor {
    faro_store::changes::Actor::new(format!("{} (api)", who.actor_name()), reason)
}

/// Create a session (bearer token of a coordinator). A new time or a
/// cancellation of an existing session notifies its registrants; a create
/// notifies nobody.
#[utoipa::path(
    post,
    operation_id = "create_session",
    path = "/api/v1/sessions",
    tag = "events",
    request_body(content = SessionBody, example = json!({"id": "vc2021-01", "series": "vc2020", "number": 13, "date": "2021-03-25", "start_time": "10:00", "time_zone": "America/Montevideo", "duration_minutes": 90, "title_en": "An example session", "original_language": "en", "status": "scheduled", "reason": "example"})),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = SessionJson),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 409, description = "A session with this id exists", body = ErrorBody),
        (status = 422, description = "A value is not valid, or the series is unknown", body = ErrorBody)
    )
)]
pub async fn create_session(
    State(state): State<AppState>,
    crate::auth::ApiUser(who): crate::auth::ApiUser,
    body: Result<Json<SessionBody>, JsonRejection>,
) -> Result<(StatusCode, Json<SessionJson>), ApiError> {
    if !who.can_manage_events() {
        return Err(forbidden());
    }
    let Json(b) = body.map_err(body_error)?;
    let (s, reason) = session_from(b);
    let errs = s.validate();
    if !errs.is_empty() {
        return Err(invalid(&errs));
    }
    faro_store::events::save(
        &state.store,
        &s,
        &actor(&who, reason),
        Some(faro_store::changes::NEW_RECORD),
    )
    .await?;
    let s = faro_store::events::get(&state.store, &s.id).await?;
    Ok((StatusCode::CREATED, Json(to_json(&state, s).await?)))
}

/// Replace a session (bearer token of a coordinator). With `If-Match` (the
/// `updated_at` from GET) a session changed since is refused with 412. The
/// join details given replace the stored ones.
#[utoipa::path(
    put,
    operation_id = "replace_session",
    path = "/api/v1/sessions/{id}",
    tag = "events",
    params(
        ("id" = String, Path, description = "Session id", example = "vc2020-04"),
        ("If-Match" = Option<String>, Header, description = "The `updated_at` the change is based on. An ETag: the version in double quotes, as `ETag` or `updated_at` gave it (or `*`)", pattern = r#"^(\*|"[^"]*")$"#, example = json!("\"2020-06-25T12:00:00+00:00\""))
    ),
    request_body(content = SessionBody, example = json!({"id": "vc2021-01", "series": "vc2020", "number": 13, "date": "2021-03-25", "start_time": "10:00", "time_zone": "America/Montevideo", "duration_minutes": 90, "title_en": "An example session", "original_language": "en", "status": "scheduled", "reason": "example"})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The session after the change", body = SessionJson),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No session has this id", body = ErrorBody),
        (status = 412, description = "The session changed since `If-Match`", body = ErrorBody),
        (status = 422, description = "A value is not valid, or the series is unknown", body = ErrorBody)
    )
)]
pub async fn replace_session(
    State(state): State<AppState>,
    crate::auth::ApiUser(who): crate::auth::ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<SessionBody>, JsonRejection>,
) -> Result<Json<SessionJson>, ApiError> {
    if !who.can_manage_events() {
        return Err(forbidden());
    }
    match faro_store::events::get(&state.store, &id).await {
        Ok(_) => {}
        Err(StoreError::NotFound) => return Err(ApiError::not_found("session")),
        Err(e) => return Err(e.into()),
    }
    let Json(mut b) = body.map_err(body_error)?;
    if !b.id.is_empty() && b.id != id {
        return Err(path_mismatch(&b.id));
    }
    b.id = id.clone();
    let (s, reason) = session_from(b);
    let errs = s.validate();
    if !errs.is_empty() {
        return Err(invalid(&errs));
    }
    let expected = if_match(&headers);
    match faro_store::events::save(&state.store, &s, &actor(&who, reason), expected.as_deref())
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict) => return Err(stale("session")),
        Err(e) => return Err(e.into()),
    }
    let s = faro_store::events::get(&state.store, &id).await?;
    Ok(Json(to_json(&state, s).await?))
}

/// Create a series with its figures and presenters (bearer token of a
/// coordinator).
#[utoipa::path(
    post,
    operation_id = "create_series",
    path = "/api/v1/series",
    tag = "events",
    request_body(content = SeriesBody, example = json!({"id": "vc2021", "title_en": "An example series", "original_language": "en", "organiser": "cinterfor", "reason": "example"})),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = SeriesJson),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 409, description = "A series with this id exists", body = ErrorBody),
        (status = 422, description = "A value is not valid, or an institution or session is unknown", body = ErrorBody)
    )
)]
pub async fn create_series(
    State(state): State<AppState>,
    crate::auth::ApiUser(who): crate::auth::ApiUser,
    body: Result<Json<SeriesBody>, JsonRejection>,
) -> Result<(StatusCode, Json<SeriesJson>), ApiError> {
    if !who.can_manage_events() {
        return Err(forbidden());
    }
    let Json(b) = body.map_err(body_error)?;
    let (s, presenters, reason) = series_from(b);
    faro_store::events::save_series(
        &state.store,
        &s,
        &presenters,
        &actor(&who, reason),
        Some(faro_store::changes::NEW_RECORD),
    )
    .await?;
    let s = faro_store::events::get_series(&state.store, &s.id).await?;
    Ok((StatusCode::CREATED, Json(series_json(&state, s).await?)))
}

/// Replace a series, its figures and its presenters (bearer token of a
/// coordinator; `If-Match` as for sessions).
#[utoipa::path(
    put,
    operation_id = "replace_series",
    path = "/api/v1/series/{id}",
    tag = "events",
    params(
        ("id" = String, Path, description = "Series id", example = "vc2020"),
        ("If-Match" = Option<String>, Header, description = "The `updated_at` the change is based on. An ETag: the version in double quotes, as `ETag` or `updated_at` gave it (or `*`)", pattern = r#"^(\*|"[^"]*")$"#, example = json!("\"2020-06-25T12:00:00+00:00\""))
    ),
    request_body(content = SeriesBody, example = json!({"id": "vc2021", "title_en": "An example series", "original_language": "en", "organiser": "cinterfor", "reason": "example"})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The series after the change", body = SeriesJson),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No series has this id", body = ErrorBody),
        (status = 412, description = "The series changed since `If-Match`", body = ErrorBody),
        (status = 422, description = "A value is not valid, or an institution or session is unknown", body = ErrorBody)
    )
)]
pub async fn replace_series(
    State(state): State<AppState>,
    crate::auth::ApiUser(who): crate::auth::ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<SeriesBody>, JsonRejection>,
) -> Result<Json<SeriesJson>, ApiError> {
    if !who.can_manage_events() {
        return Err(forbidden());
    }
    match faro_store::events::get_series(&state.store, &id).await {
        Ok(_) => {}
        Err(StoreError::NotFound) => return Err(ApiError::not_found("series")),
        Err(e) => return Err(e.into()),
    }
    let Json(mut b) = body.map_err(body_error)?;
    if !b.id.is_empty() && b.id != id {
        return Err(path_mismatch(&b.id));
    }
    b.id = id.clone();
    let (s, presenters, reason) = series_from(b);
    let expected = if_match(&headers);
    match faro_store::events::save_series(
        &state.store,
        &s,
        &presenters,
        &actor(&who, reason),
        expected.as_deref(),
    )
    .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict) => return Err(stale("series")),
        Err(e) => return Err(e.into()),
    }
    let s = faro_store::events::get_series(&state.store, &id).await?;
    Ok(Json(series_json(&state, s).await?))
}
