//! Who is calling and what the request names, read before a handler runs:
//! the caller's address, staff sessions and public callers (with the rate
//! limit of public traffic), path slugs, query strings and JSON bodies. Each
//! rejection is an [`ApiError`], in the order the handler's arguments list
//! the extractors, so the checks keep their order: caller first (a refused
//! caller costs no parsing), then the path, then the query, then the body.
//!
//! Nothing here may log or echo a header, a token or a body.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query};
use axum::http::header;
use axum::http::request::Parts;
use recovery_core::Slug;
use serde::de::DeserializeOwned;

use super::error::{ApiError, OrInternal};
use super::state::AppState;
use crate::ratelimit::retry_after_secs;
use crate::rules::sync::Credential;

/// Largest request body accepted, in bytes. Event batches from a kiosk are
/// small; anything bigger is a bug or abuse and is refused with 413.
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// The client's address as the listener saw it. A router served without
/// connect info (none of ours) puts every caller in one bucket: that limits
/// too much rather than too little.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        Ok(ClientIp(ip))
    }
}

/// Who is calling, judged by the `Authorization` header.
#[derive(Debug, PartialEq, Eq)]
enum Caller {
    /// No `Authorization` header: a customer's device.
    Public,
    /// A valid staff token: its store, and the person of a login's session.
    Staff(Credential),
    /// An `Authorization` header that is not a staff token we issued.
    BadToken,
}

async fn identify(parts: &Parts, state: &AppState) -> Result<Caller, ApiError> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::Public);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|text| text.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty());
    let Some(token) = token else {
        return Ok(Caller::BadToken);
    };
    let found = state
        .db
        .staff_store(token)
        .await
        .or_internal("cannot check a staff token")?;
    Ok(found.map_or(Caller::BadToken, |(store, person)| {
        Caller::Staff(Credential::of_token(store, person))
    }))
}

/// Takes a token from the caller's bucket of the public rate limit.
async fn limit(parts: &mut Parts, state: &AppState) -> Result<(), ApiError> {
    let Ok(ClientIp(ip)) = ClientIp::from_request_parts(parts, state).await;
    state
        .limiter
        .check(ip, Instant::now())
        .map_err(|wait| ApiError::RateLimited {
            secs: retry_after_secs(wait),
        })
}

/// A staff session: a valid staff token (a person's session or a device
/// token); holds what it grants. Anyone else is public traffic: rate
/// limited, then 401.
#[derive(Debug)]
pub struct Staff(pub Credential);

impl Staff {
    /// Whether the session may act for `store`: 403 for another store's.
    pub fn may_act_for(&self, store: &Slug) -> Result<(), ApiError> {
        if self.0.store == *store {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match identify(parts, state).await? {
            Caller::Staff(credential) => Ok(Staff(credential)),
            Caller::Public | Caller::BadToken => {
                limit(parts, state).await?;
                Err(ApiError::Unauthorized)
            }
        }
    }
}

/// A pusher: what a valid staff token grants (not rate limited), or `None`
/// for a customer's device within the public rate. A token we never issued
/// (or one revoked or expired) is 401 (after the rate limit), never
/// silently public.
#[derive(Debug)]
pub struct StaffOrPublic(pub Option<Credential>);

impl FromRequestParts<AppState> for StaffOrPublic {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match identify(parts, state).await? {
            Caller::Staff(credential) => Ok(StaffOrPublic(Some(credential))),
            Caller::Public => limit(parts, state).await.map(|()| StaffOrPublic(None)),
            Caller::BadToken => {
                limit(parts, state).await?;
                Err(ApiError::Unauthorized)
            }
        }
    }
}

/// A reader who needs no credential (a customer with a ticket secret): rate
/// limited unless they hold a valid staff token. A bad or unchecked token
/// is just a public caller, since the route never needs one.
#[derive(Debug)]
pub struct Reader;

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let staff = parts.headers.contains_key(header::AUTHORIZATION)
            && matches!(identify(parts, state).await, Ok(Caller::Staff(_)));
        if !staff {
            limit(parts, state).await?;
        }
        Ok(Reader)
    }
}

/// A public caller within its rate, whoever it claims to be (a sign-in:
/// its whole point is that the caller has no session yet).
#[derive(Debug)]
pub struct Public;

impl FromRequestParts<AppState> for Public {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        limit(parts, state).await.map(|()| Public)
    }
}

/// The `{store}` of the path, a slug; 400 otherwise.
#[derive(Debug)]
pub struct StorePath(pub Slug);

impl<S: Send + Sync> FromRequestParts<S> for StorePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Ok(Path(store)) = Path::<String>::from_request_parts(parts, state).await else {
            return Err(ApiError::BadRequest("the store is not valid text".into()));
        };
        Slug::parse(&store)
            .map(StorePath)
            .map_err(|_| ApiError::BadRequest(format!("'{store}' is not a store slug")))
    }
}

/// The query string read into `T` by axum's [`Query`]; 400 with the reason
/// when it does not fit. Parameters `T` does not name are ignored, so
/// caches can be busted with one.
#[derive(Debug)]
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(params)) => Ok(Params(params)),
            Err(rejection) => Err(ApiError::BadRequest(rejection.body_text())),
        }
    }
}

/// Reads a JSON body of at most [`BODY_LIMIT_BYTES`]: 413 when it is
/// bigger, 400 when it cannot be read, and 400 with `describe`'s words when
/// it is not a `T` (`describe` must not quote the body: it may hold a PIN).
pub async fn json_body<T: DeserializeOwned>(
    body: Body,
    describe: impl FnOnce(serde_json::Error) -> String,
) -> Result<T, ApiError> {
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT_BYTES).await {
        Ok(bytes) => bytes,
        Err(err) if is_length_limit(&err) => return Err(ApiError::TooLarge),
        Err(_) => {
            return Err(ApiError::BadRequest(
                "the request body could not be read".into(),
            ));
        }
    };
    serde_json::from_slice(&bytes).map_err(|err| ApiError::BadRequest(describe(err)))
}

fn is_length_limit(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = source {
        if current.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = current.source();
    }
    false
}
