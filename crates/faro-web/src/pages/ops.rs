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

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
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
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "database": "unreachable"})),
            )
        }
    }
}
