//! The API's own routes: `GET /api/v1/health` for monitors,
//! `GET /api/v1/openapi.json` (the contract), and the JSON answers for API
//! paths and methods that do not exist, so an API client never gets HTML.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderValue};
use axum::response::IntoResponse;
use recovery_core::api::Health;

use super::error::ApiError;
use super::state::AppState;

/// How long the health check waits for the database before calling it
/// unavailable; a monitor needs an answer even if SQLite is stuck.
const HEALTH_DB_TIMEOUT: Duration = Duration::from_secs(2);

/// The hand-written OpenAPI 3.1 description of the API.
pub const OPENAPI_JSON: &str = include_str!("../../openapi.json");

/// `GET /api/v1/health`: 200 when the database answers a real query, 503
/// with `"database":"unavailable"` otherwise. The process itself is up in
/// both cases, so `status` says `degraded` rather than failing silently.
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let db = tokio::time::timeout(HEALTH_DB_TIMEOUT, state.db.ping()).await;
    let db_ok = match db {
        Ok(Ok(())) => true,
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "health check: database query failed");
            false
        }
        Err(_) => {
            tracing::warn!("health check: database did not answer in time");
            false
        }
    };
    let (code, status, database) = if db_ok {
        (StatusCode::OK, "ok", "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "degraded", "unavailable")
    };
    let body = Health {
        status: status.into(),
        database: database.into(),
        version: env!("CARGO_PKG_VERSION").into(),
    };
    (code, Json(body))
}

/// `GET /api/v1/openapi.json`: the API's contract, for people and tools.
pub async fn openapi() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        OPENAPI_JSON,
    )
}

/// Any other path under `/api`.
pub async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// A known API path with a method it does not take.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
