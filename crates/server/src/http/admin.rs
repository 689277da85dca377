//! The web admin's routes (rules in [`crate::rules::chains`] and [`crate::rules::setup`]):
//! `POST /api/v1/chains/{chain}/login` trades a chain person's password for a session (with
//! the sign-in budgets and throttle of a staff PIN), and behind a session (or a store manager's
//! own store session) `GET /api/v1/chains/{chain}`, `PUT .../stores/{store}`,
//! `GET .../stores/{store}/staff`, `PUT .../stores/{store}/staff/{id}`,
//! `GET`/`POST .../stores/{store}/tokens`, `DELETE .../stores/{store}/tokens/{id}` and
//! `GET .../history`. 401 without a valid token, 403 for a token that reaches nothing in the
//! chain or not the thing asked, 404 for a store, person or token the asker does not see.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use recovery_core::api::admin::{
    AdminSession, ChainLogin, ChainView, History, IssuedToken, NewToken, People, PersonEntry,
    RecipientKey, Recipients, Roster, RosterEntry, SavedRecipient, StoreView, Tokens, Visits,
};
use recovery_core::{
    PersonSetup, PinHash, RecipientSetup, ShiftPlan, Slug, StaffSetup, StoreSetup, Timestamp,
};

use super::error::{ApiError, OrInternal};
use super::extract::{AdminCaller, ClientIp, Params, Public, json_body};
use super::staff::checked_sign_in;
use super::state::AppState;
use crate::rules::chains::{self, Holder, Signed};
use crate::rules::setup::{self, Refusal, Verdict};
use crate::rules::{recipients, visits};
use crate::store::{Mode, now_ms};

fn slug(text: &str, what: &str) -> Result<Slug, ApiError> {
    Slug::parse(text).map_err(|_| ApiError::BadRequest(format!("'{text}' is not a {what} id")))
}

/// `POST /api/v1/chains/{chain}/login`.
pub async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    _: Public,
    Path(chain): Path<String>,
    body: Body,
) -> Result<Json<AdminSession>, ApiError> {
    let chain = slug(&chain, "chain")?;
    // The error never quotes the body: it holds a password.
    let ChainLogin { person, password } = json_body(body, |_| {
        r#"expected {"person": "<id>", "password": "<text>"}"#.into()
    })
    .await?;
    let door = format!("chain:{chain}");
    let verify = PinHash::verify_password;
    let id = checked_sign_in(&state, client, &door, &person, password, verify, {
        let chain = chain.clone();
        move |db, id, now| chains::begin_login(db, &chain, id, now)
    })
    .await
    .inspect_err(|err| {
        if matches!(err, ApiError::WrongPin) {
            tracing::info!(%chain, "chain sign-in refused");
        }
    })?;
    let token = crate::secrets::new_token().or_internal("cannot make a session token")?;
    let now = Timestamp(now_ms());
    let session = {
        let (chain, id) = (chain.clone(), id.clone());
        state
            .db
            .transaction(Mode::Write, move |db| {
                chains::succeed(db, &chain, &id, &token, now)
            })
            .await
            .or_internal("sign-in failed")?
            .ok_or(ApiError::WrongPin)?
    };
    tracing::info!(%chain, person = %id, "chain person signed in");
    Ok(Json(session))
}

/// Who asks, and what they reach in `chain`: 403 when nothing.
pub(super) async fn signed(
    state: &AppState,
    holder: Holder,
    chain: &str,
) -> Result<Signed, ApiError> {
    let chain = slug(chain, "chain")?;
    state
        .db
        .transaction(Mode::Read, move |db| chains::reach_of(db, &holder, &chain))
        .await
        .or_internal("cannot read who asks")?
        .ok_or(ApiError::Forbidden)
}

/// Runs a rule for `signed` in a write transaction and answers its verdict.
async fn write<T, F>(state: &AppState, signed: Signed, rule: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut dyn crate::store::Access, &Signed, Timestamp) -> Verdict<T> + Send + 'static,
{
    let now = Timestamp(now_ms());
    state
        .db
        .transaction(Mode::Write, move |db| rule(db, &signed, now))
        .await
        .or_internal("admin change failed")?
        .map_err(refused)
}

fn refused(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::Forbidden => ApiError::Forbidden,
        Refusal::NotFound => ApiError::NotFound,
        Refusal::Taken => ApiError::Conflict("store_taken"),
        Refusal::Invalid(e) => ApiError::Unprocessable(e.code()),
        Refusal::Days => ApiError::Unprocessable("token_days"),
        Refusal::Recipient(e) => ApiError::Unprocessable(e.code()),
    }
}

/// `GET /api/v1/chains/{chain}`.
pub async fn view(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path(chain): Path<String>,
) -> Result<Json<ChainView>, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    state
        .db
        .transaction(Mode::Read, move |db| setup::view(db, &signed))
        .await
        .or_internal("chain read failed")
        .map(Json)
}

/// A store's `PUT` whose body is JSON of `what` (for the 400's words), handed to `rule` for
/// who asks, in a write transaction.
async fn put_to_store<B, T>(
    state: &AppState,
    holder: Holder,
    (chain, store): (String, String),
    body: Body,
    what: &'static str,
    rule: fn(&mut dyn crate::store::Access, &Signed, &Slug, B, Timestamp) -> Verdict<T>,
) -> Result<Json<T>, ApiError>
where
    B: serde::de::DeserializeOwned + Send + 'static,
    T: Send + 'static,
{
    let signed = signed(state, holder, &chain).await?;
    let store = slug(&store, "store")?;
    let asked: B = json_body(body, |err| format!("expected {what}: {err}")).await?;
    write(state, signed, move |db, signed, now| {
        rule(db, signed, &store, asked, now)
    })
    .await
    .map(Json)
}

/// `PUT .../stores/{store}`: creates or changes a store.
pub async fn put_store(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path(path): Path<(String, String)>,
    body: Body,
) -> Result<Json<StoreView>, ApiError> {
    let rule = setup::put_store;
    put_to_store::<StoreSetup, _>(&state, holder, path, body, "a store's setup", rule).await
}

/// `PUT .../stores/{store}/shifts`.
pub async fn put_shifts(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path(path): Path<(String, String)>,
    body: Body,
) -> Result<Json<StoreView>, ApiError> {
    let rule = setup::put_shifts;
    put_to_store::<ShiftPlan, _>(&state, holder, path, body, "a shift plan", rule).await
}

/// `GET .../stores/{store}/visits`.
pub async fn visits(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path((chain, store)): Path<(String, String)>,
) -> Result<Json<Visits>, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    let store = slug(&store, "store")?;
    write(&state, signed, move |db, signed, _| {
        visits::list(db, signed, &store)
    })
    .await
    .map(Json)
}

/// `PUT .../stores/{store}/visits`.
pub async fn put_visits(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path(path): Path<(String, String)>,
    body: Body,
) -> Result<Json<Visits>, ApiError> {
    let rule = visits::put_visits;
    put_to_store::<Visits, _>(&state, holder, path, body, "visits by day", rule).await
}

/// `GET .../stores/{store}/recipients`.
pub async fn recipients(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path((chain, store)): Path<(String, String)>,
) -> Result<Json<Recipients>, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    let store = slug(&store, "store")?;
    write(&state, signed, move |db, signed, _| {
        recipients::list(db, signed, &store)
    })
    .await
    .map(Json)
}

/// `PUT .../stores/{store}/recipients`.
pub async fn put_recipient(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path(path): Path<(String, String)>,
    body: Body,
) -> Result<Json<SavedRecipient>, ApiError> {
    let rule = recipients::put;
    put_to_store::<RecipientSetup, _>(&state, holder, path, body, "a recipient", rule).await
}

/// `DELETE .../stores/{store}/recipients?channel=&address=`.
pub async fn remove_recipient(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path((chain, store)): Path<(String, String)>,
    Params(key): Params<RecipientKey>,
) -> Result<StatusCode, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    let store = slug(&store, "store")?;
    write(&state, signed, move |db, signed, now| {
        recipients::remove(db, signed, &store, &key, now)
    })
    .await
    .map(|()| StatusCode::NO_CONTENT)
}

/// `GET .../stores/{store}/staff`.
pub async fn roster(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path((chain, store)): Path<(String, String)>,
) -> Result<Json<Roster>, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    let store = slug(&store, "store")?;
    write(&state, signed, move |db, signed, _| {
        setup::roster(db, signed, &store)
    })
    .await
    .map(Json)
}

/// `PUT .../stores/{store}/staff/{id}`: adds or changes a person; a PIN resets theirs.
pub async fn put_staff(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path((chain, store, id)): Path<(String, String, String)>,
    body: Body,
) -> Result<Json<RosterEntry>, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    let (store, id) = (slug(&store, "store")?, slug(&id, "staff")?);
    // The error never quotes the body: it may hold a PIN.
    let asked: StaffSetup = json_body(body, |_| {
        r#"expected {"name", "role", "limit_minor", "active"} and perhaps "pin""#.into()
    })
    .await?;
    // Refused before the slow hash: a malformed PIN costs nothing.
    if let Err(e) = asked.check(false) {
        return Err(ApiError::Unprocessable(e.code()));
    }
    let pin = slow_hash(&state, asked.pin.clone()).await?;
    write(&state, signed, move |db, signed, now| {
        setup::put_staff(db, signed, &store, &id, &asked, pin, now)
    })
    .await
    .map(Json)
}

/// `GET .../stores/{store}/tokens`.
pub async fn tokens(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path((chain, store)): Path<(String, String)>,
) -> Result<Json<Tokens>, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    let store = slug(&store, "store")?;
    write(&state, signed, move |db, signed, _| {
        setup::tokens(db, signed, &store)
    })
    .await
    .map(Json)
}

/// `POST .../stores/{store}/tokens`: a new device token, shown once (201).
pub async fn issue_token(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path((chain, store)): Path<(String, String)>,
    body: Body,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    let store = slug(&store, "store")?;
    let asked: NewToken = json_body(body, |err| {
        format!(r#"expected {{"label": "...", "days": <n>}}: {err}"#)
    })
    .await?;
    let token = crate::secrets::new_token().or_internal("cannot make a token")?;
    write(&state, signed, move |db, signed, now| {
        setup::issue_token(db, signed, &store, &asked, token, now)
    })
    .await
    .map(|issued| (StatusCode::CREATED, Json(issued)))
}

/// `DELETE .../stores/{store}/tokens/{id}` (204).
pub async fn revoke_token(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path((chain, store, id)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    let store = slug(&store, "store")?;
    write(&state, signed, move |db, signed, now| {
        setup::revoke_token(db, signed, &store, &id, now)
    })
    .await
    .map(|()| StatusCode::NO_CONTENT)
}

/// `GET /api/v1/chains/{chain}/history`.
pub async fn history(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path(chain): Path<String>,
) -> Result<Json<History>, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    state
        .db
        .transaction(Mode::Read, move |db| chains::history(db, &signed))
        .await
        .or_internal("history read failed")
        .map(Json)
}

/// Hashes a new PIN or password (when given) off the async workers, in the same queue as the
/// sign-ins' checks, so that a flood of changes cannot starve them.
async fn slow_hash(state: &AppState, secret: Option<String>) -> Result<Option<PinHash>, ApiError> {
    let Some(secret) = secret else {
        return Ok(None);
    };
    let permit = std::sync::Arc::clone(&state.limits.pin_checks)
        .acquire_owned()
        .await
        .or_internal("the PIN check queue closed")?;
    let hash = tokio::task::spawn_blocking(move || {
        let hash = crate::staff::hash_pin(&secret);
        drop(permit);
        hash
    })
    .await
    .or_internal("PIN hash did not finish")?
    .or_internal("cannot hash a PIN")?;
    Ok(Some(hash))
}

/// `GET /api/v1/chains/{chain}/people`: the people who run the chain (its administrators).
pub async fn people(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path(chain): Path<String>,
) -> Result<Json<People>, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    state
        .db
        .transaction(Mode::Read, move |db| chains::people(db, &signed))
        .await
        .or_internal("people read failed")?
        .map(Json)
        .ok_or(ApiError::Forbidden)
}

/// `PUT /api/v1/chains/{chain}/people/{id}`: adds or changes a chain person; a password
/// resets theirs.
pub async fn put_person(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path((chain, id)): Path<(String, String)>,
    body: Body,
) -> Result<Json<PersonEntry>, ApiError> {
    let signed = signed(&state, holder, &chain).await?;
    let id = slug(&id, "person")?;
    // The error never quotes the body: it may hold a password.
    let asked: PersonSetup = json_body(body, |_| {
        r#"expected {"name", "role", "stores", "active"} and perhaps "password""#.into()
    })
    .await?;
    if !signed.reach.edits_stores() {
        return Err(ApiError::Forbidden);
    }
    // Refused before the slow hash: a malformed password costs nothing.
    if let Err(e) = asked.check(false) {
        return Err(ApiError::Unprocessable(e.code()));
    }
    let password = slow_hash(&state, asked.password.clone()).await?;
    write(&state, signed, move |db, signed, now| {
        chains::put_person_setup(db, signed, &id, &asked, password, now)
    })
    .await
    .map(Json)
}
