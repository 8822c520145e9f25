//! Operational endpoints: `/healthz` (the process answers) and `/readyz`
//! (the database answers).

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;

pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// 200 when the database answers a ping within 2 s; else 503, marked so
/// that [`crate::layers::database_down`] takes the database as down.
pub async fn readyz(State(state): State<AppState>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match tokio::time::timeout(std::time::Duration::from_secs(2), state.store.ping())
        .await
        .unwrap_or_else(|_| {
            Err(faro_store::StoreError::Invalid(
                "no answer within 2 s".into(),
            ))
        }) {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({"status": "ready", "database": "ok"})),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            let mut res = (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "database": "unreachable"})),
            )
                .into_response();
            crate::layers::mark_unavailable(&mut res);
            res
        }
    }
}
