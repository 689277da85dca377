//! A store's reports for its staff, over every device's events:
//! `GET /api/v1/stores/{store}/insights` (the core's `Insights`),
//! `.../export.csv` and `.../export.json` (its documented cases), each with
//! the filters `from`, `to`, `touchpoint`, `staff` and `tz` (see
//! [`crate::rules::insights`]).

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{self, HeaderValue};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use recovery_core::insights::{Selection, csv_header, csv_line, export_row};
use recovery_core::{Case, CaseId, Ledger, Slug};

use super::error::{ApiError, OrInternal};
use super::extract::{Params, Staff, StorePath};
use super::state::AppState;
use crate::rules::insights::{self, RawParams};
use crate::store::{DbError, Mode, now_ms};

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

/// Cases read and folded per read transaction of a report.
const CASES_PER_BATCH: usize = 256;

/// Checks the filters and the caller's store, reads what reports read of the
/// store's cases (a brief and a digest each, kept in the read model; only
/// those written since the last report, when its facts are still kept) in
/// one read transaction. The insights report is made of those alone; an export
/// then reads the chosen cases in batches of [`CASES_PER_BATCH`], each in a
/// read transaction of its own (others write in between), and is streamed a
/// batch of rows at a time as the client takes it. Memory holds the facts
/// and one batch, whatever the store holds.
async fn report(
    state: AppState,
    session: Staff,
    store: Slug,
    raw: RawParams,
    kind: Report,
) -> Result<Response, ApiError> {
    let params = insights::params(&raw).map_err(ApiError::BadRequest)?;
    session.may_act_for(&store)?;
    let started = Instant::now();
    let mut kept = fresh_facts(&state, &store).await?;
    let (content_type, file) = match kind {
        Report::Insights => {
            let report = insights::report(&mut kept, &store, &params, now_ms());
            state.facts.keep(store.clone(), kept);
            tracing::info!(store = %store, cases = report.cases, ms = started.elapsed().as_millis() as u64, "insights");
            let body = serde_json::to_vec(&report).or_internal("insights could not be written")?;
            return Ok((
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response());
        }
        Report::Csv => ("text/csv; charset=utf-8", "csv"),
        Report::Json => ("application/json", "json"),
    };
    let sel = Arc::new(insights::selection(&kept, &store, &params, now_ms()));
    state.facts.keep(store.clone(), kept);
    let chosen = sel.chosen();
    let body = Body::from_stream(export_stream(state, store.clone(), sel, chosen, kind));
    let mut res = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response();
    // A slug needs no quoting or escaping in a file name.
    let disposition = format!("attachment; filename=\"{store}-cases.{file}\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(res)
}

/// What is kept of `store`'s case facts, taken out of the cache and brought up to its read
/// model (put it back with `state.facts.keep` when done).
pub(super) async fn fresh_facts(
    state: &AppState,
    store: &Slug,
) -> Result<insights::Kept, ApiError> {
    let (store, kept) = (store.clone(), state.facts.take(store));
    state
        .db
        .transaction(Mode::Read, move |db| insights::refresh(db, &store, kept))
        .await
        .or_internal("reading a store's cases for a report failed")
}

/// Reads the cases `ids` of `store` in one read transaction, folds them and
/// hands each one (in `ids`' order) to `each` with the running value `acc`,
/// on the database's blocking thread.
async fn batch<A: Send + 'static>(
    state: &AppState,
    store: &Slug,
    sel: &Arc<Selection<'static>>,
    ids: &[CaseId],
    mut acc: A,
    mut each: impl FnMut(&mut A, &Selection, &Ledger, &Case) + Send + 'static,
) -> Result<A, DbError> {
    let (store, sel, ids) = (store.clone(), Arc::clone(sel), ids.to_vec());
    state
        .db
        .transaction(Mode::Read, move |db| {
            let ledger = insights::read_cases(db, &store, &ids)?;
            for case in ids.iter().filter_map(|id| ledger.case(*id)) {
                each(&mut acc, &sel, &ledger, case);
            }
            Ok(acc)
        })
        .await
}

/// The export's body: its head (a byte-order mark, so spreadsheets read the
/// accents, and the CSV header; or the JSON array's `[`), then each batch's
/// rows as soon as they are read, at most one batch ahead of the client. A
/// database error ends the body early (the client sees a broken download,
/// never a short file that looks whole); a client that goes away stops it.
fn export_stream(
    state: AppState,
    store: Slug,
    sel: Arc<Selection<'static>>,
    chosen: Vec<CaseId>,
    kind: Report,
) -> impl Stream<Item = Result<String, std::io::Error>> {
    let json = matches!(kind, Report::Json);
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    tokio::spawn(async move {
        let started = Instant::now();
        let mut head = String::new();
        if json {
            head.push('[');
        } else {
            head.push('\u{feff}');
            csv_header(&mut head);
        }
        if tx.send(Ok(head)).await.is_err() {
            return;
        }
        let mut rows = 0usize;
        for ids in chosen.chunks(CASES_PER_BATCH) {
            let read = batch(
                &state,
                &store,
                &sel,
                ids,
                (String::new(), rows),
                move |(out, rows), sel, ledger, case| {
                    let Some(row) = export_row(sel, ledger, case) else {
                        return;
                    };
                    if !json {
                        csv_line(out, &row);
                    } else {
                        if *rows > 0 {
                            out.push(',');
                        }
                        // Rows are plain structs with string keys: they always serialise.
                        out.push_str(&serde_json::to_string(&row).unwrap_or_default());
                    }
                    *rows += 1;
                },
            )
            .await;
            let text = match read {
                Ok((text, n)) => {
                    rows = n;
                    Ok(text)
                }
                Err(err) => {
                    tracing::error!(store = %store, error = %err, "an export stopped: reading its cases failed");
                    Err(std::io::Error::other("reading the store's cases failed"))
                }
            };
            let failed = text.is_err();
            if tx.send(text).await.is_err() || failed {
                return;
            }
        }
        if json && tx.send(Ok("]".to_owned())).await.is_err() {
            return;
        }
        tracing::info!(store = %store, rows, ms = started.elapsed().as_millis() as u64, "export");
    });
    // A receiver answers "ended" as often as it is asked (the compression layer asks again
    // after the end; an `unfold` stream would panic there).
    stream::poll_fn(move |cx| rx.poll_recv(cx))
}
