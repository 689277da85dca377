//! The one error type of the API: every way a request can fail, each with its
//! status, its JSON body (the core's [`ErrorBody`]) and its headers, so
//! handlers and extractors return `Result<_, ApiError>` and use `?`.
//!
//! Server faults are logged where they happen (see [`OrInternal`]) with what
//! failed and why; the caller only ever sees `{"error":"internal"}`. Nothing
//! here may put a request body, a PIN, a token or a ticket secret into a
//! response or a log line.

use std::fmt::Display;

use axum::Json;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderValue};
use axum::response::{IntoResponse, Response};
use recovery_core::api::ErrorBody;
use recovery_core::sync::MAX_BATCH_EVENTS;

/// Why a request failed, as the caller sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 400 `bad_request`, with what was wrong with the request.
    BadRequest(String),
    /// 400 `too_many_events`: a push of more than [`MAX_BATCH_EVENTS`].
    TooManyEvents,
    /// 422 with the rule's own code (e.g. `label_empty`): a well-formed
    /// request the store's rules refuse.
    Unprocessable(&'static str),
    /// 401 `unauthorized` with `WWW-Authenticate: Bearer`: a staff route
    /// without a valid token, or a token we never issued.
    Unauthorized,
    /// 401 `wrong_pin`: a sign-in refused (wrong PIN, unknown person or store
    /// alike).
    WrongPin,
    /// 403 `forbidden`: a valid token of another store.
    Forbidden,
    /// 404 `not_found`.
    NotFound,
    /// 409 with the rule's own code (e.g. `store_taken`): the name asked for is taken.
    Conflict(&'static str),
    /// 405 `method_not_allowed`.
    MethodNotAllowed,
    /// 413 `too_large`: the body is over the limit.
    TooLarge,
    /// 415 `unsupported_media_type`: a body that is not declared
    /// `application/json` (what a cross-site form or a `text/plain` fetch
    /// sends without a CORS preflight).
    NotJson,
    /// 423 `locked` with `Retry-After`: too many failed sign-ins; the lock
    /// lifts by itself then (or when an operator unlocks).
    Locked {
        /// Seconds until the lock lifts.
        secs: u64,
    },
    /// 429 `wait` with `Retry-After`: sign-in too soon after failures.
    Wait {
        /// Seconds to wait.
        secs: u64,
    },
    /// 429 `rate_limited` with `Retry-After` and `retry_after`: a public
    /// caller over its rate.
    RateLimited {
        /// Seconds to wait.
        secs: u64,
    },
    /// 500 `internal`: a fault of the server, logged where it happened.
    Internal,
}

impl ApiError {
    /// The status and the body of this error.
    fn parts(&self) -> (StatusCode, ErrorBody) {
        let code = |status, code| (status, ErrorBody::code(code));
        match self {
            ApiError::BadRequest(detail) => (
                StatusCode::BAD_REQUEST,
                ErrorBody {
                    detail: Some(detail.clone()),
                    ..ErrorBody::code("bad_request")
                },
            ),
            ApiError::TooManyEvents => (
                StatusCode::BAD_REQUEST,
                ErrorBody {
                    max: Some(MAX_BATCH_EVENTS),
                    ..ErrorBody::code("too_many_events")
                },
            ),
            ApiError::Unprocessable(rule) => code(StatusCode::UNPROCESSABLE_ENTITY, rule),
            ApiError::Unauthorized => code(StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::WrongPin => code(StatusCode::UNAUTHORIZED, "wrong_pin"),
            ApiError::Forbidden => code(StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound => code(StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict(rule) => code(StatusCode::CONFLICT, rule),
            ApiError::MethodNotAllowed => {
                code(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
            }
            ApiError::TooLarge => code(StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::NotJson => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorBody {
                    detail: Some("send the body as Content-Type: application/json".into()),
                    ..ErrorBody::code("unsupported_media_type")
                },
            ),
            ApiError::Locked { .. } => code(StatusCode::LOCKED, "locked"),
            ApiError::Wait { .. } => code(StatusCode::TOO_MANY_REQUESTS, "wait"),
            ApiError::RateLimited { secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                ErrorBody {
                    retry_after: Some(*secs),
                    ..ErrorBody::code("rate_limited")
                },
            ),
            ApiError::Internal => code(StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = self.parts();
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        match self {
            ApiError::Unauthorized => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::Wait { secs }
            | ApiError::RateLimited { secs }
            | ApiError::Locked { secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            _ => {}
        }
        response
    }
}

/// Turns any failure of the server's own work (the database, a blocking
/// task, a random source) into [`ApiError::Internal`], logging it with what
/// was being done.
pub trait OrInternal<T> {
    /// `Err(ApiError::Internal)` after logging `err` under `what`.
    fn or_internal(self, what: &'static str) -> Result<T, ApiError>;
}

impl<T, E: Display> OrInternal<T> for Result<T, E> {
    fn or_internal(self, what: &'static str) -> Result<T, ApiError> {
        self.map_err(|err| {
            tracing::error!(error = %err, "{what}");
            ApiError::Internal
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_status_and_code() {
        for (error, status, code) in [
            (ApiError::BadRequest("x".into()), 400, "bad_request"),
            (ApiError::TooManyEvents, 400, "too_many_events"),
            (ApiError::Unprocessable("label_empty"), 422, "label_empty"),
            (ApiError::Unauthorized, 401, "unauthorized"),
            (ApiError::WrongPin, 401, "wrong_pin"),
            (ApiError::Forbidden, 403, "forbidden"),
            (ApiError::NotFound, 404, "not_found"),
            (ApiError::MethodNotAllowed, 405, "method_not_allowed"),
            (ApiError::TooLarge, 413, "too_large"),
            (ApiError::NotJson, 415, "unsupported_media_type"),
            (ApiError::Locked { secs: 60 }, 423, "locked"),
            (ApiError::Wait { secs: 3 }, 429, "wait"),
            (ApiError::RateLimited { secs: 3 }, 429, "rate_limited"),
            (ApiError::Internal, 500, "internal"),
        ] {
            let (got, body) = error.parts();
            assert_eq!((got.as_u16(), body.error.as_str()), (status, code));
        }
    }

    #[test]
    fn waits_say_when_and_unauthorized_asks_for_a_bearer_token() {
        let limited = ApiError::RateLimited { secs: 7 }.into_response();
        assert_eq!(limited.headers()[header::RETRY_AFTER], "7");
        let wait = ApiError::Wait { secs: 2 }.into_response();
        assert_eq!(wait.headers()[header::RETRY_AFTER], "2");
        let locked = ApiError::Locked { secs: 900 }.into_response();
        assert_eq!(locked.headers()[header::RETRY_AFTER], "900");
        let unauthorized = ApiError::Unauthorized.into_response();
        assert_eq!(unauthorized.headers()[header::WWW_AUTHENTICATE], "Bearer");
    }

    #[test]
    fn a_fault_of_the_server_is_internal() {
        let failed: Result<(), &str> = Err("disk full");
        assert_eq!(failed.or_internal("writing"), Err(ApiError::Internal));
    }
}
