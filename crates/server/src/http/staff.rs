//! The staff routes of a store: `POST /api/v1/stores/{store}/staff/login`
//! trades a PIN for a session, `GET /api/v1/stores/{store}/profile` gives
//! the store's settings and roster (the rules are in
//! [`crate::rules::staff`]).

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use recovery_core::api::{LoginRequest, Profile, Session};
use recovery_core::{PinHash, Slug, Timestamp};

use super::budgets::StrangerGate;
use super::error::{ApiError, OrInternal};
use super::extract::{ClientIp, Public, Staff, StorePath, json_body};
use super::state::AppState;
use crate::rules::staff::{self, Attempt};
use crate::store::{Access, DbError, Mode, now_ms};

/// `POST .../staff/login`: a staff member's PIN for a session token of 30
/// days, with the store's profile and roster. In this order, so that a
/// stranger costs little and learns nothing:
/// 1. the public rate limit (the `Public` extractor), then one failed
///    sign-in from the client address's and the store's budgets (429
///    `rate_limited`), before anything is looked up or hashed;
/// 2. the core's `PinThrottle` of that id: kept per person in the database
///    for a staff member, and in memory for an id that is nobody (unknown,
///    inactive, not an id, or in a store that does not exist), so both
///    answer alike: 429 `wait`, 423 `locked` (both with `Retry-After`), and
///    the attempt counts as a failure until it succeeds;
/// 3. one PBKDF2 check (against a dummy hash for nobody), at most
///    `--pin-checks` at once server wide: 401 `wrong_pin` for a wrong PIN
///    and for nobody alike.
///
/// A success, and an answer given without a PIN check, give the budgets of
/// step 1 back, so only failures spend them.
pub async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
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

    let id = checked_sign_in(
        &state,
        client,
        store.as_str(),
        &who,
        pin,
        PinHash::verify,
        {
            let store = store.clone();
            move |db, id, now| staff::begin_login(db, &store, id, now)
        },
    )
    .await
    .inspect_err(|err| {
        if matches!(err, ApiError::WrongPin) {
            tracing::info!(%store, "staff sign-in refused");
        }
    })?;
    let now = now_ms();

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

/// Steps 1 to 3 of a sign-in at `door` (a store's slug, or `chain:<slug>`) by `who` with
/// `secret` (a PIN or a password), as [`login`] describes them; `begin` opens the attempt of a
/// person by id (their throttle, and the hash to check). The id whose secret matched.
pub(super) async fn checked_sign_in<F>(
    state: &AppState,
    client: std::net::IpAddr,
    door: &str,
    who: &str,
    secret: String,
    verify: fn(&PinHash, &str) -> bool,
    begin: F,
) -> Result<Slug, ApiError>
where
    F: FnOnce(&mut dyn Access, &Slug, Timestamp) -> Result<Attempt, DbError> + Send + 'static,
{
    let limits = &state.limits;
    limits.charge_sign_in(client, door, Instant::now())?;
    let now = now_ms();
    // An id that is not a slug is nobody: the same answers as a wrong PIN.
    let (attempt, id) = match Slug::parse(who) {
        Ok(id) => {
            let asked = id.clone();
            let attempt = state
                .db
                .transaction(Mode::Write, move |db| begin(db, &asked, Timestamp(now)))
                .await
                .or_internal("sign-in failed")?;
            (attempt, Some(id))
        }
        Err(_) => (Attempt::Check(None), None),
    };
    // Nobody by that id: a throttle of its own, so it answers as a person.
    let attempt = match attempt {
        Attempt::Check(None) => match limits.stranger_attempt(door, who, Timestamp(now)) {
            StrangerGate::Check => Attempt::Check(None),
            StrangerGate::WaitUntil(until) => Attempt::WaitUntil(until),
            StrangerGate::LockedUntil(until) => Attempt::Locked(until),
        },
        other => other,
    };
    let secs_until = |until: Timestamp| {
        u64::try_from((until.0 - now).max(0))
            .unwrap_or(0)
            .div_ceil(1000)
            .max(1)
    };
    let hash = match attempt {
        Attempt::Check(hash) => hash,
        Attempt::WaitUntil(until) => {
            limits.refund_sign_in(client, door);
            return Err(ApiError::Wait {
                secs: secs_until(until),
            });
        }
        Attempt::Locked(until) => {
            limits.refund_sign_in(client, door);
            return Err(ApiError::Locked {
                secs: secs_until(until),
            });
        }
    };
    let known = hash.is_some();
    let permit = Arc::clone(&limits.pin_checks)
        .acquire_owned()
        .await
        .or_internal("the PIN check queue closed")?;
    let matched = tokio::task::spawn_blocking(move || {
        let matched = verify(&hash.unwrap_or_else(staff::dummy_hash), &secret);
        drop(permit);
        matched
    })
    .await
    .or_internal("PIN check did not finish")?;
    let id = id.filter(|_| known && matched).ok_or(ApiError::WrongPin)?;
    limits.refund_sign_in(client, door);
    Ok(id)
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
