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
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use ipnet::IpNet;
use recovery_core::Slug;
use serde::de::DeserializeOwned;

use super::error::{ApiError, OrInternal};
use super::state::AppState;
use crate::ratelimit::retry_after_secs;
use crate::rules::chains::Holder;
use crate::rules::sync::Credential;
use crate::store::{Mode, now_ms};

/// Largest request body accepted, in bytes. Event batches from a kiosk are
/// small; anything bigger is a bug or abuse and is refused with 413.
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// The client's address: the direct peer as the listener saw it, or, when
/// that peer is a trusted proxy (`--trusted-proxy`), the right-most address
/// of `X-Forwarded-For` that is not one (see [`client_address`]). A router
/// served without connect info (none of ours) puts every caller in one
/// bucket: that limits too much rather than too little.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        Ok(ClientIp(client_address(
            peer,
            &parts.headers,
            &state.trusted_proxies,
        )))
    }
}

/// Who the client is for limits and budgets. A peer that is not a trusted
/// proxy is the client, whatever its headers say. A trusted proxy's
/// `X-Forwarded-For` (every such header, as one list) is read from the
/// right, where the proxies append: the first address that is not a
/// trusted proxy is the client; the addresses left of it were written by
/// the client itself and are never believed. A hop that is not an address
/// stops the walk at the last trusted one (limiting too much, never too
/// little).
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| {
        let ip = ip.to_canonical();
        trusted.iter().any(|net| net.contains(&ip))
    };
    let peer = peer.to_canonical();
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all(X_FORWARDED_FOR)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            break;
        };
        client = ip.to_canonical();
        if !is_trusted(client) {
            break;
        }
    }
    client
}

/// The header reverse proxies append the address they were called from to.
const X_FORWARDED_FOR: &str = "x-forwarded-for";

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

/// The bearer token of a request: `None` without an `Authorization` header, `Some(None)` for
/// one that is not a bearer token.
fn bearer(parts: &Parts) -> Option<Option<&str>> {
    let value = parts.headers.get(header::AUTHORIZATION)?;
    Some(
        value
            .to_str()
            .ok()
            .and_then(|text| text.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|token| !token.is_empty()),
    )
}

async fn identify(parts: &Parts, state: &AppState) -> Result<Caller, ApiError> {
    let Some(token) = bearer(parts) else {
        return Ok(Caller::Public);
    };
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
        .limits
        .requests
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

/// Whoever may ask the web admin: a chain person's session or any valid store token (what
/// each reaches is the rules' to say, see [`crate::rules::chains::reach_of`]). Anyone else is
/// public traffic: rate limited, then 401.
#[derive(Debug)]
pub struct AdminCaller(pub Holder);

impl FromRequestParts<AppState> for AdminCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(Some(token)) = bearer(parts) {
            let hash = crate::secrets::sha256_hex(token);
            let found = state
                .db
                .transaction(Mode::Read, move |db| db.chain_token(&hash, now_ms()))
                .await
                .or_internal("cannot check a chain token")?
                .and_then(|(chain, person)| {
                    Some(Holder::Chain {
                        chain: Slug::parse(&chain).ok()?,
                        person: Slug::parse(&person).ok()?,
                    })
                });
            if let Some(holder) = found {
                return Ok(AdminCaller(holder));
            }
        }
        match identify(parts, state).await? {
            Caller::Staff(credential) => Ok(AdminCaller(Holder::Store {
                store: credential.store,
                person: match credential.holder {
                    crate::rules::sync::Holder::Person(person) => Some(person),
                    _ => None,
                },
            })),
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(X_FORWARDED_FOR, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let headers = forwarded(&["203.0.113.9"]);
        assert_eq!(
            client_address(ip("10.0.0.5"), &headers, &[]),
            ip("10.0.0.5")
        );
        let proxies: Vec<IpNet> = vec!["10.0.0.1/32".parse().unwrap()];
        assert_eq!(
            client_address(ip("10.0.0.5"), &headers, &proxies),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_address_is_the_client() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()];
        // The client forged the left-most entry; the proxies appended the rest.
        let headers = forwarded(&["198.51.100.7, 203.0.113.9", "10.1.2.3"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers, &proxies),
            ip("203.0.113.9")
        );
        // IPv4-mapped peers count as their IPv4 address.
        assert_eq!(
            client_address(ip("::ffff:10.0.0.1"), &headers, &proxies),
            ip("203.0.113.9")
        );
        // No header, only proxies, or garbage: the last trusted hop.
        assert_eq!(
            client_address(ip("::1"), &HeaderMap::new(), &proxies),
            ip("::1")
        );
        assert_eq!(
            client_address(ip("::1"), &forwarded(&["10.9.9.9"]), &proxies),
            ip("10.9.9.9")
        );
        assert_eq!(
            client_address(ip("::1"), &forwarded(&["203.0.113.9, junk"]), &proxies),
            ip("::1")
        );
    }
}
