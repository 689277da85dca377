//! A store's markers for changes (see [`crate::rules::markers`]):
//! `GET /api/v1/stores/{store}/markers` for its staff and devices (401
//! without a token, 403 with another store's), `POST` of a
//! [`NewMarker`] (201 with the [`Marker`] kept) and
//! `DELETE .../markers/{id}` (204) for its managers signed in as themselves
//! (403 otherwise); 422 with the rule's code for a marker the rules refuse
//! (`label_empty`, `label_too_long`, `date_implausible`, `touchpoint_unknown`, `too_many_markers`).

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use recovery_core::{Marker, Markers, NewMarker, Slug, Timestamp, parse_uuid};

use super::admin::signed;
use super::error::{ApiError, OrInternal};
use super::extract::{AdminCaller, Staff, StorePath, json_body};
use super::state::AppState;
use crate::rules::markers::{self, Refusal};
use crate::secrets::new_id;
use crate::store::{Mode, now_ms};

/// `GET`: the store's markers, oldest change first.
pub async fn list(
    State(state): State<AppState>,
    session: Staff,
    StorePath(store): StorePath,
) -> Result<Json<Markers>, ApiError> {
    session.may_act_for(&store)?;
    let markers = state
        .db
        .transaction(Mode::Read, move |db| markers::list(db, &store))
        .await
        .or_internal("markers read failed")?;
    Ok(Json(Markers { markers }))
}

/// `POST`: marks a change.
pub async fn add(
    State(state): State<AppState>,
    session: Staff,
    StorePath(store): StorePath,
    body: Body,
) -> Result<(StatusCode, Json<Marker>), ApiError> {
    session.may_act_for(&store)?;
    let change: NewMarker = json_body(body, |err| {
        format!(r#"expected {{"at": <ms>, "kind": "...", "label": "..."}} and perhaps "touchpoint" and "category": {err}"#)
    })
    .await?;
    let credential = session.0;
    let now = Timestamp(now_ms());
    let id = new_id().or_internal("no random id")?;
    let kept = state
        .db
        .transaction(Mode::Write, move |db| {
            markers::add(db, &credential, change, id, now)
        })
        .await
        .or_internal("marker write failed")?;
    kept.map(|m| (StatusCode::CREATED, Json(m)))
        .map_err(refused)
}

/// `DELETE .../markers/{id}`: removes a marker.
pub async fn remove(
    State(state): State<AppState>,
    session: Staff,
    Path((store, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let store = Slug::parse(&store)
        .map_err(|_| ApiError::BadRequest(format!("'{store}' is not a store slug")))?;
    session.may_act_for(&store)?;
    let id = parse_uuid(&id).ok_or(ApiError::NotFound)?;
    let credential = session.0;
    let now = Timestamp(now_ms());
    state
        .db
        .transaction(Mode::Write, move |db| {
            markers::remove(db, &credential, id, now)
        })
        .await
        .or_internal("marker removal failed")?
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(refused)
}

fn refused(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotManager => ApiError::Forbidden,
        Refusal::Invalid(e) => ApiError::Unprocessable(e.code()),
        Refusal::TooMany => ApiError::Unprocessable("too_many_markers"),
        Refusal::NotFound => ApiError::NotFound,
    }
}

/// `GET /api/v1/chains/{chain}/markers`: the changes marked for the whole chain, for anyone
/// the chain's admin lets in.
pub async fn chain_list(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path(chain): Path<String>,
) -> Result<Json<Markers>, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    let markers = state
        .db
        .transaction(Mode::Read, move |db| {
            markers::chain_list(db, &signed.chain.slug)
        })
        .await
        .or_internal("markers read failed")?;
    Ok(Json(Markers { markers }))
}

/// `POST /api/v1/chains/{chain}/markers`: marks a change to the whole chain (its
/// administrators only); every store's charts show it.
pub async fn chain_add(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path(chain): Path<String>,
    body: Body,
) -> Result<(StatusCode, Json<Marker>), ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    let change: NewMarker = json_body(body, |err| {
        format!(r#"expected {{"at": <ms>, "kind": "...", "label": "..."}} and perhaps "category": {err}"#)
    })
    .await?;
    let now = Timestamp(now_ms());
    let id = new_id().or_internal("no random id")?;
    state
        .db
        .transaction(Mode::Write, move |db| {
            markers::add_chain(db, &signed, change, id, now)
        })
        .await
        .or_internal("marker write failed")?
        .map(|m| (StatusCode::CREATED, Json(m)))
        .map_err(refused)
}

/// `DELETE /api/v1/chains/{chain}/markers/{id}`.
pub async fn chain_remove(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path((chain, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    let id = parse_uuid(&id).ok_or(ApiError::NotFound)?;
    let now = Timestamp(now_ms());
    state
        .db
        .transaction(Mode::Write, move |db| {
            markers::remove_chain(db, &signed, id, now)
        })
        .await
        .or_internal("marker removal failed")?
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(refused)
}
