//! The staff routes of a store: `POST /api/v1/stores/{store}/staff/login`
//! trades a PIN for a session, `GET /api/v1/stores/{store}/profile` gives
//! the store's settings and roster (the rules are in
//! [`crate::rules::staff`]).

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use recovery_core::api::{LoginRequest, Profile, Session};
use recovery_core::{Slug, Timestamp};

use super::error::{ApiError, OrInternal};
use super::extract::{Public, Staff, StorePath, json_body};
use super::state::AppState;
use crate::rules::staff::{self, Attempt};
use crate::store::{Mode, now_ms};

/// `POST .../staff/login`: a staff member's PIN for a session token of 30
/// days, with the store's profile and roster. A wrong PIN, an unknown person
/// and an unknown store all get the same 401 after the same work (a PBKDF2
/// check); the core's `PinThrottle`, kept per person in the database,
/// answers 429 `wait` and, after 10 failures, 423 `locked` (until
/// `unlock-staff`). Public, so rate limited per address.
pub async fn login(
    State(state): State<AppState>,
    _: Public,
    StorePath(store): StorePath,
    body: Body,
) -> Result<Json<Session>, ApiError> {
    // The error never quotes the body: it holds a PIN.
    let LoginRequest {
        staff: who,
        pin,
        public_key,
    } = json_body(body, |_| {
        r#"expected {"staff": "<id>", "pin": "<digits>"} and perhaps "public_key""#.into()
    })
    .await?;
    // Refused before any PIN is checked, so a bad key never costs a try.
    if let Some(key) = &public_key
        && !recovery_core::proof::public_key_is_valid(key)
    {
        return Err(ApiError::BadRequest(
            "public_key must be an Ed25519 public key in 64 hex digits".into(),
        ));
    }

    let now = now_ms();
    // An id that is not a slug is nobody: the same answer as a wrong PIN.
    let (attempt, id) = match Slug::parse(&who) {
        Ok(id) => {
            let (store, asked) = (store.clone(), id.clone());
            let attempt = state
                .db
                .transaction(Mode::Write, move |db| {
                    staff::begin_login(db, &store, &asked, Timestamp(now))
                })
                .await
                .or_internal("sign-in failed")?;
            (attempt, Some(id))
        }
        Err(_) => (Attempt::Check(None), None),
    };
    let hash = match attempt {
        Attempt::Check(hash) => hash,
        Attempt::WaitUntil(until) => {
            let secs = u64::try_from((until.0 - now).max(0))
                .unwrap_or(0)
                .div_ceil(1000)
                .max(1);
            return Err(ApiError::Wait { secs });
        }
        Attempt::Locked => return Err(ApiError::Locked),
    };
    let known = hash.is_some();
    let matched =
        tokio::task::spawn_blocking(move || hash.unwrap_or_else(staff::dummy_hash).verify(&pin))
            .await
            .or_internal("PIN check did not finish")?;
    let Some(id) = id.filter(|_| known && matched) else {
        tracing::info!(%store, "staff sign-in refused");
        return Err(ApiError::WrongPin);
    };

    let token = crate::secrets::new_token().or_internal("cannot make a session token")?;
    let session = {
        let (store, id) = (store.clone(), id.clone());
        state
            .db
            .transaction(Mode::Write, move |db| {
                staff::succeed(db, &store, &id, &token, public_key.as_deref(), now)
            })
            .await
            .or_internal("sign-in failed")?
            .ok_or(ApiError::WrongPin)?
    };
    tracing::info!(%store, staff = %id, "staff signed in");
    Ok(Json(session))
}

/// `GET .../profile`: the store's settings and active roster, for its staff
/// (a device token or a staff session).
pub async fn profile(
    State(state): State<AppState>,
    session: Staff,
    StorePath(store): StorePath,
) -> Result<Json<Profile>, ApiError> {
    session.may_act_for(&store)?;
    state
        .db
        .transaction(Mode::Read, move |db| staff::profile(db, &store))
        .await
        .or_internal("profile read failed")?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
