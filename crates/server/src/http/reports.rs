//! A store's reports for its staff, over every device's events:
//! `GET /api/v1/stores/{store}/insights` (the core's `Insights`),
//! `.../export.csv` and `.../export.json` (its documented cases), each with
//! the filters `from`, `to`, `touchpoint`, `staff` and `tz` (see
//! [`crate::rules::insights`]).

use std::time::Instant;

use axum::extract::State;
use axum::http::header::{self, HeaderValue};
use axum::response::{IntoResponse, Response};
use recovery_core::Slug;
use recovery_core::insights::{export, insights as summarise, to_csv};

use super::error::{ApiError, OrInternal};
use super::extract::{Params, Staff, StorePath};
use super::state::AppState;
use crate::rules::insights::{self, RawParams};
use crate::store::{Mode, now_ms};

/// What a report route answers with.
#[derive(Debug, Clone, Copy)]
enum Report {
    /// The insights report, JSON.
    Insights,
    /// The documented cases, CSV.
    Csv,
    /// The documented cases, JSON.
    Json,
}

/// `GET .../insights`: the store's insights report.
pub async fn insights(
    State(state): State<AppState>,
    session: Staff,
    StorePath(store): StorePath,
    Params(raw): Params<RawParams>,
) -> Result<Response, ApiError> {
    report(state, session, store, raw, Report::Insights).await
}

/// `GET .../export.csv`: the documented cases as CSV (UTF-8 with a
/// byte-order mark, so spreadsheets read the accents), as an attachment.
pub async fn export_csv(
    State(state): State<AppState>,
    session: Staff,
    StorePath(store): StorePath,
    Params(raw): Params<RawParams>,
) -> Result<Response, ApiError> {
    report(state, session, store, raw, Report::Csv).await
}

/// `GET .../export.json`: the documented cases as a JSON array of rows, as
/// an attachment.
pub async fn export_json(
    State(state): State<AppState>,
    session: Staff,
    StorePath(store): StorePath,
    Params(raw): Params<RawParams>,
) -> Result<Response, ApiError> {
    report(state, session, store, raw, Report::Json).await
}

/// Checks the filters and the caller's store, reads the store's events in
/// one read transaction, then folds and sums them up off the async threads
/// (without holding the database).
async fn report(
    state: AppState,
    session: Staff,
    store: Slug,
    raw: RawParams,
    kind: Report,
) -> Result<Response, ApiError> {
    let params = insights::params(&raw).map_err(ApiError::BadRequest)?;
    session.may_act_for(&store)?;
    let (events, salt) = {
        let store = store.clone();
        state
            .db
            .transaction(Mode::Read, move |db| insights::load(db, &store))
            .await
            .or_internal("reading a store's events for insights failed")?
    };
    let now = now_ms();
    let name = store.clone();
    let body = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let count = events.len();
        let (ledger, refused) = insights::fold(events);
        if refused > 0 {
            tracing::warn!(store = %name, refused, "stored events the fold refuses were left out");
        }
        let query = insights::query(&ledger, &name, &params, salt, now);
        let body = match kind {
            Report::Insights => serde_json::to_vec(&summarise(&ledger, &query)),
            Report::Json => serde_json::to_vec(&export(&ledger, &query)),
            Report::Csv => {
                let csv = to_csv(&export(&ledger, &query));
                Ok(["\u{feff}", csv.as_str()].concat().into_bytes())
            }
        };
        tracing::info!(store = %name, events = count, ms = started.elapsed().as_millis() as u64, "insights");
        body
    })
    .await
    .or_internal("insights did not finish")?
    .or_internal("insights could not be written")?;

    let (content_type, file) = match kind {
        Report::Insights => ("application/json", None),
        Report::Csv => ("text/csv; charset=utf-8", Some("csv")),
        Report::Json => ("application/json", Some("json")),
    };
    let mut res = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response();
    if let Some(ext) = file {
        // A slug needs no quoting or escaping in a file name.
        let disposition = format!("attachment; filename=\"{store}-cases.{ext}\"");
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, value);
        }
    }
    Ok(res)
}
