//! `GET /api/v1/stores/{store}/alerts`: what the store's staff should know
//! that no event tells them, newest day first; for now, days on which the
//! public went over the store's daily budget of events or bytes (recorded
//! by [`super::budgets::record_alert`]). For the store's staff only (401
//! without a token, 403 with another store's).

use axum::Json;
use axum::extract::State;
use recovery_core::api::{StoreAlert as Alert, StoreAlerts as Alerts};

use super::error::{ApiError, OrInternal};
use super::extract::{Staff, StorePath};
use super::state::AppState;
use crate::store::Mode;

/// The handler.
pub async fn alerts(
    State(state): State<AppState>,
    session: Staff,
    StorePath(store): StorePath,
) -> Result<Json<Alerts>, ApiError> {
    session.may_act_for(&store)?;
    let rows = state
        .db
        .transaction(Mode::Read, move |db| db.store_alerts(store.as_str()))
        .await
        .or_internal("alerts read failed")?;
    let alerts = rows
        .into_iter()
        .map(|row| Alert {
            day: row.day,
            kind: row.kind,
            at_ms: row.at_ms,
        })
        .collect();
    Ok(Json(Alerts { alerts }))
}
