//! What a customer's device reads without a credential.
//!
//! `GET /api/v1/tickets/{code}` with `X-Ticket-Secret`: the customer's own
//! case as the core's [`TicketView`] (nothing of staff notes or names; see
//! [`crate::rules::tickets`]). Every failure is the same 404, so the route
//! says nothing about which codes or secrets exist.
//!
//! `GET /api/v1/stores/{store}/promise`: the store's own acknowledgement
//! target, which the customer's page shows on its acknowledgement (as public
//! as the store's stickers; 404 for a store that does not exist).

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use recovery_core::TicketCode;
use recovery_core::api::{Promise, TICKET_SECRET_HEADER, TicketView};

use super::error::{ApiError, OrInternal};
use super::extract::{Reader, StorePath};
use super::state::AppState;
use crate::rules::tickets;
use crate::secrets::{secret_looks_sane, sha256_hex};
use crate::store::Mode;

/// The handler.
pub async fn ticket(
    State(state): State<AppState>,
    _: Reader,
    code: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Json<TicketView>, ApiError> {
    let secret = headers
        .get(TICKET_SECRET_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|secret| secret_looks_sane(secret));
    let code = code.ok().and_then(|Path(code)| TicketCode::parse(&code));
    let (Some(secret), Some(code)) = (secret, code) else {
        return Err(ApiError::NotFound);
    };
    let hash = sha256_hex(secret);
    let ticket = state
        .db
        .transaction(Mode::Read, move |db| tickets::ticket(db, &hash))
        .await
        .or_internal("ticket read failed")?
        .filter(|ticket| ticket.code == code.as_str())
        .ok_or(ApiError::NotFound)?;
    tickets::customer_view(&ticket)
        .or_internal("a stored case does not fold")?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// The promise's handler.
pub async fn promise(
    State(state): State<AppState>,
    _: Reader,
    StorePath(store): StorePath,
) -> Result<Json<Promise>, ApiError> {
    let row = state
        .db
        .transaction(Mode::Read, move |db| db.store(store.as_str()))
        .await
        .or_internal("store read failed")?
        .ok_or(ApiError::NotFound)?;
    let seal = state
        .seal_key()
        .await
        .or_internal("sealing key read failed")?;
    Ok(Json(Promise {
        acknowledge_within_minutes: u32::try_from(row.ack_minutes).unwrap_or(u32::MAX),
        seal_key: Some(seal.public()),
    }))
}
