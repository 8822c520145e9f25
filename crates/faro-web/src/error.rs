//! Errors at the edge. The API answers `{"error":{"code","message"}}` with a
//! stable snake_case code (the Lemmy model); pages translate the code.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable code, e.g. `not_found`, `invalid_parameter`.
    pub code: String,
    /// Human-readable explanation (English).
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn not_found(what: &str) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: format!("{what} not found"),
        }
    }

    /// 503 with `Retry-After`: the database is out of reach (see
    /// [`crate::layers::database_down`]).
    pub fn unavailable(e: impl std::fmt::Display) -> Self {
        tracing::warn!(error = %e, "database out of reach");
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "unavailable",
            message: "the database is not answering; try again in a few seconds".into(),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "internal error");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "internal error".into(),
        }
    }
}

impl From<crate::params::ParamError> for ApiError {
    fn from(e: crate::params::ParamError) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_parameter",
            message: e.message(),
        }
    }
}

impl From<faro_store::StoreError> for ApiError {
    fn from(e: faro_store::StoreError) -> Self {
        use faro_store::StoreError as E;
        let status = match &e {
            E::NotFound => return ApiError::not_found("record"),
            E::Conflict => StatusCode::CONFLICT,
            E::Invalid(_) | E::Reference { .. } | E::Rule(_) => StatusCode::UNPROCESSABLE_ENTITY,
            E::Db(_) if e.is_unavailable() => return ApiError::unavailable(e),
            E::Db(_) | E::Io(_) => return ApiError::internal(e),
        };
        ApiError {
            status,
            code: e.code(),
            message: e.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        let unavailable = self.code == "unavailable";
        let mut res = (self.status, Json(body)).into_response();
        if unavailable {
            crate::layers::mark_unavailable(&mut res);
        }
        res
    }
}
