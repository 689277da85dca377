//! `POST /api/v1/events`: records a batch of events and answers one receipt
//! per event, in order, after the batch is committed (see
//! [`crate::rules::sync::push`] for how each event is judged). A public push
//! is first charged to the budgets of [`super::budgets`] (its address's
//! events and bytes a minute, each named store's a day), before the
//! transaction: over one, it is refused whole with 429 and `Retry-After`.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use recovery_core::Slug;
use recovery_core::api::{PushRequest, PushResponse, PushResult};
use recovery_core::sync::MAX_BATCH_EVENTS;
use serde_json::Value;
use std::time::Instant;

use super::budgets::{Over, record_alert};
use super::error::{ApiError, OrInternal};
use super::extract::{ClientIp, StaffOrPublic, json_body};
use super::state::AppState;
use crate::rules::sealed::Sealed;
use crate::rules::sync::{self, Outcome};
use crate::store::now_ms;

/// The handler. The events stay raw JSON until the rules read them one by
/// one, so one bad element is a rejected receipt instead of a failed batch.
pub async fn push(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    StaffOrPublic(staff): StaffOrPublic,
    body: Body,
) -> Result<Json<PushResponse>, ApiError> {
    let request: PushRequest<Value> = json_body(body, |err| {
        format!("expected a JSON object with an \"events\" array: {err}")
    })
    .await?;
    if request.events.len() > MAX_BATCH_EVENTS {
        return Err(ApiError::TooManyEvents);
    }
    if staff.is_none()
        && let Err(over) = state
            .limits
            .charge_push(client, &request.events, Instant::now())
    {
        if let Over::Store(store, kind, _) = &over {
            record_alert(&state, store.clone(), kind, now_ms()).await;
        }
        tracing::debug!(
            store_budget = matches!(over, Over::Store(..)),
            "push over a budget"
        );
        return Err(over.error());
    }

    let outcomes = if request.events.is_empty() {
        Vec::new()
    } else {
        let sealed = match request.sealed.filter(|s| !s.is_empty()) {
            Some(raw) => {
                let key = state
                    .seal_key()
                    .await
                    .or_internal("sealing key read failed")?;
                Sealed::new(key, raw)
            }
            None => Sealed::default(),
        };
        let carried = sync::Carried {
            secrets: sync::ticket_secrets(request.ticket_secrets.unwrap_or_default()),
            sealed,
            received_at_ms: now_ms(),
            device_clock_ms: request.sent_at,
        };
        let events = request.events;
        let staff = staff.clone();
        state
            .db
            .transaction(sync::push_mode(&events), move |db| {
                sync::push(db, staff.as_ref(), events, &carried)
            })
            .await
            .or_internal("push failed; the batch was rolled back")?
    };
    log(&outcomes, staff.is_some());
    // Committed: the stores' tablets may pull now (other instances hear it from PostgreSQL).
    for store in sync::stores_with_news(&outcomes) {
        state.hub.stored(store);
    }

    let results = outcomes
        .into_iter()
        .map(|outcome| PushResult::new(outcome.id, outcome.receipt, outcome.detail))
        .collect();
    Ok(Json(PushResponse { results }))
}

/// One log line per push: the stores it touched and how its events fared.
fn log(outcomes: &[Outcome], staff: bool) {
    let mut stores: Vec<&str> = outcomes
        .iter()
        .filter_map(|outcome| outcome.store.as_ref().map(Slug::as_str))
        .collect();
    stores.sort_unstable();
    stores.dedup();
    let count = |status: &str| {
        outcomes
            .iter()
            .filter(|outcome| outcome.receipt.status() == status)
            .count()
    };
    tracing::info!(
        stores = %stores.join(","),
        staff,
        stored = count("stored"),
        duplicate = count("duplicate"),
        rejected = count("rejected"),
        "push"
    );
}
