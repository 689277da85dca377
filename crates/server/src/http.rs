//! The HTTP surface: the versioned JSON API under `/api`, and the built app
//! (trunk's `dist/`) for every other path, with the cross-cutting layers
//! (security headers and CSP, see [`crate::security`]; compression, body
//! limit, CORS, request logs).
//!
//! The sync API (see `openapi.json` beside `Cargo.toml` for the contract):
//! * `POST /api/v1/events` records a batch of events, one receipt each;
//! * `GET /api/v1/stores/{store}/events` lets a store's staff devices read
//!   its events after a cursor;
//! * `GET /api/v1/tickets/{code}` lets a customer read their own case with
//!   the secret their device made when filing;
//! * `POST /api/v1/stores/{store}/staff/login` trades a staff member's PIN
//!   for a session token, and `GET /api/v1/stores/{store}/profile` gives a
//!   store's staff its settings and roster;
//! * `GET /api/v1/stores/{store}/insights` gives its staff the store's
//!   insights report across every device, and `.../export.csv` and
//!   `.../export.json` its documented cases (see [`crate::insights`]).
//!
//! Public callers (no valid staff token) are rate limited per address.
//!
//! Routing rules, in order:
//! 1. `/api/...` is the API. Unknown API paths answer JSON 404 and never the
//!    HTML app, so a client bug shows up as an error instead of as HTML
//!    being parsed as JSON.
//! 2. A real file in `dist/` is served with its MIME type. Trunk's hashed
//!    assets are cached forever; everything else must be revalidated, so a
//!    new deploy (new `index.html`, new `sw.js`) is picked up at once.
//! 3. Any other GET/HEAD path is a client-side route of a single-page app
//!    and gets its shell with status 200, except paths that name a missing
//!    static asset (see [`looks_like_asset`]): `/staff` and below get
//!    `dist/staff/index.html` (the staff app), `/t` and below
//!    `dist/ticket/index.html` (the customer's ticket page) when it is
//!    built, everything else `dist/index.html` (see [`shell_for`]).
//! 4. With no shell to serve the app answers 503 with a hint to build it.
//!
//! This module must never serve anything outside the dist directory (path
//! handling is left to tower-http's `ServeDir`, which rejects `..`), never
//! log request bodies or headers (staff tokens and ticket secrets live
//! there), and never answer an `/api` request with HTML.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, FromRequestParts, RawQuery, Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use recovery_core::sync::MAX_BATCH_EVENTS;
use recovery_core::{Slug, TicketCode, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::config::Config;
use crate::ratelimit::{RateLimiter, retry_after_secs};
use crate::secrets::{secret_looks_sane, sha256_hex};
use crate::security::{self, ScriptHashes};
use crate::staff;
use crate::store::{Database, Mode, now_ms};
use crate::sync;

/// Largest request body accepted, in bytes. Event batches from a kiosk are
/// small; anything bigger is a bug or abuse and is refused with 413.
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// Smallest body worth compressing, in bytes: below this the encoding's
/// framing eats most of the gain.
pub const COMPRESS_MIN_BYTES: u16 = 256;

/// `Cache-Control` for content-hashed assets: their name changes whenever
/// their content does, so a browser may keep them for a year untouched.
pub const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` for everything else in the app: browsers may store it but
/// must revalidate (cheap, thanks to `Last-Modified`) before each use.
pub const CACHE_REVALIDATE: &str = "no-cache";
/// `Cache-Control` for API answers, which describe live server state.
pub const CACHE_NONE: &str = "no-store";

/// How long the health check waits for the database before calling it
/// unavailable; a monitor needs an answer even if SQLite is stuck.
const HEALTH_DB_TIMEOUT: Duration = Duration::from_secs(2);

/// Header carrying a customer's ticket secret; a header rather than a query
/// parameter so the secret never lands in access logs or browser history.
pub const TICKET_SECRET_HEADER: &str = "x-ticket-secret";

/// Events returned by a pull when `limit` is not given.
pub const PULL_DEFAULT_LIMIT: usize = 500;
/// Most events one pull may ask for.
pub const PULL_MAX_LIMIT: usize = 1000;

/// Path of the health check, under `/api`.
pub const HEALTH_PATH: &str = "/v1/health";
/// Path of the OpenAPI document, under `/api`.
pub const OPENAPI_PATH: &str = "/v1/openapi.json";
/// Path of the push endpoint, under `/api`.
pub const EVENTS_PATH: &str = "/v1/events";
/// Path of the pull endpoint, under `/api`.
pub const STORE_EVENTS_PATH: &str = "/v1/stores/{store}/events";
/// Path of the ticket endpoint, under `/api`.
pub const TICKET_PATH: &str = "/v1/tickets/{code}";
/// Path of the staff sign-in, under `/api`.
pub const LOGIN_PATH: &str = "/v1/stores/{store}/staff/login";
/// Path of the store's profile and roster, under `/api`.
pub const PROFILE_PATH: &str = "/v1/stores/{store}/profile";
/// Path of the store's insights report, under `/api`.
pub const INSIGHTS_PATH: &str = "/v1/stores/{store}/insights";
/// Path of the export of the store's cases as CSV, under `/api`.
pub const EXPORT_CSV_PATH: &str = "/v1/stores/{store}/export.csv";
/// Path of the export of the store's cases as JSON, under `/api`.
pub const EXPORT_JSON_PATH: &str = "/v1/stores/{store}/export.json";

/// Every API route as `(method, path under /api)`: what the router serves
/// and what `openapi.json` must document (a test holds them together).
pub const API_ROUTES: &[(&str, &str)] = &[
    ("get", HEALTH_PATH),
    ("get", OPENAPI_PATH),
    ("post", EVENTS_PATH),
    ("get", STORE_EVENTS_PATH),
    ("get", TICKET_PATH),
    ("post", LOGIN_PATH),
    ("get", PROFILE_PATH),
    ("get", INSIGHTS_PATH),
    ("get", EXPORT_CSV_PATH),
    ("get", EXPORT_JSON_PATH),
];

/// The hand-written OpenAPI 3.1 description of the API.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Shared state of all handlers.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database handle.
    pub db: Database,
    /// The built app directory.
    pub dist: Arc<Path>,
    /// Per-address limits of the public endpoints.
    pub limiter: Arc<RateLimiter>,
    /// Origins allowed to call the API from other sites.
    pub cors_origins: Arc<[String]>,
    /// The inline-script hashes of the built shells, for their CSP.
    pub script_hashes: Arc<ScriptHashes>,
}

impl AppState {
    /// Builds the state from a database handle and the dist directory, with
    /// the default rate limit and no CORS origins.
    pub fn new(db: Database, dist: PathBuf) -> Self {
        let config = Config {
            dist,
            ..Config::default()
        };
        AppState::from_config(db, &config)
    }

    /// Builds the state from a database handle and the server's config.
    pub fn from_config(db: Database, config: &Config) -> Self {
        AppState {
            db,
            dist: Arc::from(config.dist.clone()),
            limiter: Arc::new(RateLimiter::new(config.rate_limit)),
            cors_origins: Arc::from(config.cors_origins.clone()),
            script_hashes: Arc::default(),
        }
    }
}

/// Builds the complete application: API routes, static app and layers.
pub fn router(state: AppState) -> Router {
    let cors = cors_layer(&state.cors_origins);
    let security = middleware::from_fn_with_state(state.clone(), security::headers);
    let api = Router::new()
        .route(HEALTH_PATH, get(health))
        .route(OPENAPI_PATH, get(openapi))
        .route(EVENTS_PATH, post(push))
        .route(STORE_EVENTS_PATH, get(pull))
        .route(TICKET_PATH, get(ticket))
        .route(LOGIN_PATH, post(login))
        .route(PROFILE_PATH, get(profile))
        .route(INSIGHTS_PATH, get(insights))
        .route(EXPORT_CSV_PATH, get(export_csv))
        .route(EXPORT_JSON_PATH, get(export_json))
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_method_not_allowed)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_NONE),
        ));

    // `Router::layer` wraps everything added before it, so the last layer
    // here is the outermost: the trace span covers the whole request, and
    // the security headers land on every response, including the 413 from
    // the body limit and compressed bodies. CORS sits outside the body
    // limit so a browser can read even a 413.
    let app = Router::new()
        .nest("/api", api)
        .fallback(app)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .layer(middleware::from_fn(api_too_large_as_json));
    let app = match cors {
        Some(cors) => app.layer(cors),
        None => app,
    };
    // Brotli or gzip as the client's Accept-Encoding asks; bodies under
    // `COMPRESS_MIN_BYTES`, images (already compressed) and event streams
    // stay as they are.
    let compression = CompressionLayer::new()
        .compress_when(DefaultPredicate::new().and(SizeAbove::new(COMPRESS_MIN_BYTES)));
    app.layer(compression).layer(security).layer(
        TraceLayer::new_for_http()
            .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
            .on_response(DefaultOnResponse::new().level(Level::INFO)),
    )
}

/// The CORS policy: only the configured origins, only what the API uses.
/// No origins means no layer at all, so browsers enforce same-origin.
fn cors_layer(origins: &[String]) -> Option<CorsLayer> {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    if origins.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                HeaderName::from_static(TICKET_SECRET_HEADER),
            ])
            .expose_headers([header::RETRY_AFTER])
            .max_age(Duration::from_secs(600)),
    )
}

/// Turns the body limit's plain-text 413 into the API's JSON error for
/// `/api` paths, so API clients always get JSON.
async fn api_too_large_as_json(request: Request, next: Next) -> Response {
    let api = is_api_path(request.uri().path());
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if api && response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return with_cache(too_large(), CACHE_NONE);
    }
    response
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    database: &'static str,
    version: &'static str,
}

/// `GET /api/v1/health`: 200 when the database answers a real query, 503
/// with `"database":"unavailable"` otherwise. The process itself is up in
/// both cases, so `status` says `degraded` rather than failing silently.
async fn health(State(state): State<AppState>) -> Response {
    let db = tokio::time::timeout(HEALTH_DB_TIMEOUT, state.db.ping()).await;
    let db_ok = match db {
        Ok(Ok(())) => true,
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "health check: database query failed");
            false
        }
        Err(_) => {
            tracing::warn!("health check: database did not answer in time");
            false
        }
    };
    let (code, status, database) = if db_ok {
        (StatusCode::OK, "ok", "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "degraded", "unavailable")
    };
    let body = Health {
        status,
        database,
        version: env!("CARGO_PKG_VERSION"),
    };
    (code, Json(body)).into_response()
}

#[derive(Serialize)]
struct ApiError {
    error: &'static str,
}

async fn api_not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(ApiError { error: "not_found" })).into_response()
}

async fn api_method_not_allowed() -> Response {
    let body = ApiError {
        error: "method_not_allowed",
    };
    (StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response()
}

// ---------------------------------------------------------------- sync API

/// `GET /api/v1/openapi.json`: the API's contract, for people and tools.
async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        OPENAPI_JSON,
    )
        .into_response()
}

/// The client's address as the listener saw it. A router served without
/// connect info (none of ours) puts every caller in one bucket: that limits
/// too much rather than too little.
struct ClientIp(IpAddr);

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
    /// A valid staff token of this store.
    Staff(Slug),
    /// An `Authorization` header that is not a staff token we issued.
    BadToken,
}

async fn identify(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
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
    match state.db.staff_store(token).await {
        Ok(Some(store)) => Ok(Caller::Staff(store)),
        Ok(None) => Ok(Caller::BadToken),
        Err(err) => {
            tracing::error!(error = %err, "cannot check a staff token");
            Err(internal_error())
        }
    }
}

/// Takes a token from the caller's bucket; `Some` is the 429 to answer
/// when the bucket is empty.
fn rate_limited(state: &AppState, ip: IpAddr) -> Option<Response> {
    state.limiter.check(ip, Instant::now()).err().map(|wait| {
        let secs = retry_after_secs(wait);
        let mut res = (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({"error": "rate_limited", "retry_after": secs})),
        )
            .into_response();
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        res
    })
}

/// The body of a push. `events` stays raw JSON so that one bad element is a
/// rejected receipt instead of a failed batch.
#[derive(Deserialize)]
struct PushBody {
    events: Vec<serde_json::Value>,
    #[serde(default)]
    ticket_secrets: Option<HashMap<String, String>>,
}

#[derive(Serialize)]
struct PushResult {
    id: Option<String>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

/// `POST /api/v1/events`: records a batch and answers one receipt per
/// event, in order, after the batch is committed.
async fn push(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // Who and how often first: a refused caller costs no body read.
    let staff = match identify(&state, &headers).await {
        Ok(Caller::Staff(store)) => Some(store),
        Ok(caller) => {
            if let Some(res) = rate_limited(&state, ip) {
                return res;
            }
            if caller == Caller::BadToken {
                return unauthorized();
            }
            None
        }
        Err(res) => return res,
    };

    let bytes = match axum::body::to_bytes(body, BODY_LIMIT_BYTES).await {
        Ok(bytes) => bytes,
        Err(err) if is_length_limit(&err) => return too_large(),
        Err(_) => return bad_request("the request body could not be read".into()),
    };
    let request: PushBody = match serde_json::from_slice(&bytes) {
        Ok(request) => request,
        Err(err) => {
            return bad_request(format!(
                "expected a JSON object with an \"events\" array: {err}"
            ));
        }
    };
    if request.events.len() > MAX_BATCH_EVENTS {
        let body = json!({"error": "too_many_events", "max": MAX_BATCH_EVENTS});
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }

    let outcomes = if request.events.is_empty() {
        Vec::new()
    } else {
        let secrets = sync::ticket_secrets(request.ticket_secrets.unwrap_or_default());
        let events = request.events;
        let staff = staff.clone();
        let received_at = now_ms();
        let pushed = state
            .db
            .transaction(Mode::Write, move |db| {
                sync::push(db, staff.as_ref(), events, &secrets, received_at)
            })
            .await;
        match pushed {
            Ok(outcomes) => outcomes,
            Err(err) => {
                tracing::error!(error = %err, "push failed; the batch was rolled back");
                return internal_error();
            }
        }
    };

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
        staff = staff.is_some(),
        stored = count("stored"),
        duplicate = count("duplicate"),
        rejected = count("rejected"),
        "push"
    );

    let results: Vec<PushResult> = outcomes
        .into_iter()
        .map(|outcome| PushResult {
            id: outcome.id,
            status: outcome.receipt.status(),
            reason: match outcome.receipt {
                recovery_core::Receipt::Rejected(reason) => Some(reason.code()),
                _ => None,
            },
            detail: outcome.detail,
        })
        .collect();
    Json(json!({ "results": results })).into_response()
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

#[derive(Serialize)]
struct PulledEvent {
    seq: i64,
    // Stored bodies are already the event's JSON: passed through, not
    // parsed and re-encoded.
    event: Box<serde_json::value::RawValue>,
}

#[derive(Serialize)]
struct PullPage {
    events: Vec<PulledEvent>,
    next: i64,
    more: bool,
}

/// For a staff route under `/stores/{store}`: the store of the caller's
/// staff token and the store named in the path. Callers without a valid
/// token are public traffic (rate limited, then 401).
async fn staff_and_store(
    state: &AppState,
    ip: IpAddr,
    store: Result<axum::extract::Path<String>, PathRejection>,
    headers: &HeaderMap,
) -> Result<(Slug, Slug), Response> {
    let token_store = match identify(state, headers).await? {
        Caller::Staff(store) => store,
        _ => {
            if let Some(res) = rate_limited(state, ip) {
                return Err(res);
            }
            return Err(unauthorized());
        }
    };
    let Ok(axum::extract::Path(store)) = store else {
        return Err(bad_request("the store is not valid text".into()));
    };
    let Ok(store) = Slug::parse(&store) else {
        return Err(bad_request(format!("'{store}' is not a store slug")));
    };
    Ok((token_store, store))
}

/// `GET /api/v1/stores/{store}/events?after=&limit=`: a page of the
/// store's events for its staff devices, oldest first.
async fn pull(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    store: Result<axum::extract::Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (token_store, store) = match staff_and_store(&state, ip, store, &headers).await {
        Ok(both) => both,
        Err(res) => return res,
    };
    let (after, limit) = match pull_params(query.as_deref().unwrap_or_default()) {
        Ok(params) => params,
        Err(detail) => return bad_request(detail),
    };
    if store != token_store {
        return error(StatusCode::FORBIDDEN, "forbidden");
    }

    let page = {
        let store = store.clone();
        state
            .db
            .transaction(Mode::Read, move |db| sync::pull(db, &store, after, limit))
            .await
    };
    let page = match page {
        Ok(page) => page,
        Err(err) => {
            tracing::error!(error = %err, %store, "pull failed");
            return internal_error();
        }
    };
    let next = page.events.last().map_or(after, |(seq, _)| *seq);
    let events: Vec<PulledEvent> = page
        .events
        .into_iter()
        .map(|(seq, event)| PulledEvent { seq, event })
        .collect();
    Json(PullPage {
        events,
        next,
        more: page.more,
    })
    .into_response()
}

/// Reads `after` (default 0, not negative) and `limit` (default
/// [`PULL_DEFAULT_LIMIT`], 1 to [`PULL_MAX_LIMIT`]) from a query string.
/// Other parameters are ignored, so caches can be busted with one.
pub fn pull_params(query: &str) -> Result<(i64, usize), String> {
    let mut after = 0i64;
    let mut limit = PULL_DEFAULT_LIMIT;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "after" => {
                after = value
                    .parse()
                    .ok()
                    .filter(|after: &i64| *after >= 0)
                    .ok_or_else(|| format!("after must be a whole number >= 0, not '{value}'"))?;
            }
            "limit" => {
                limit = value
                    .parse()
                    .ok()
                    .filter(|limit| (1..=PULL_MAX_LIMIT).contains(limit))
                    .ok_or_else(|| {
                        format!(
                            "limit must be a whole number from 1 to {PULL_MAX_LIMIT}, not '{value}'"
                        )
                    })?;
            }
            _ => {}
        }
    }
    Ok((after, limit))
}

/// `GET /api/v1/tickets/{code}` with `X-Ticket-Secret`: the customer's own
/// case, as [`sync::CustomerView`] (nothing of staff notes or names). Every failure is the same 404, so the endpoint says nothing about
/// which codes or secrets exist.
async fn ticket(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    code: Result<axum::extract::Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    // Staff are not limited; a wrong token here is just a public caller,
    // since this endpoint never needs one.
    let staff = headers.contains_key(header::AUTHORIZATION)
        && matches!(identify(&state, &headers).await, Ok(Caller::Staff(_)));
    if !staff && let Some(res) = rate_limited(&state, ip) {
        return res;
    }
    let secret = headers
        .get(TICKET_SECRET_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|secret| secret_looks_sane(secret));
    let code = code
        .ok()
        .and_then(|axum::extract::Path(code)| TicketCode::parse(&code));
    let (Some(secret), Some(code)) = (secret, code) else {
        return error(StatusCode::NOT_FOUND, "not_found");
    };
    let hash = sha256_hex(secret);
    let found = state
        .db
        .transaction(Mode::Read, move |db| sync::ticket(db, &hash))
        .await;
    let ticket = match found {
        Ok(Some(ticket)) if ticket.code == code.as_str() => ticket,
        Ok(_) => return error(StatusCode::NOT_FOUND, "not_found"),
        Err(err) => {
            tracing::error!(error = %err, "ticket read failed");
            return internal_error();
        }
    };
    match sync::customer_view(&ticket) {
        Ok(Some(view)) => Json(view).into_response(),
        Ok(None) => error(StatusCode::NOT_FOUND, "not_found"),
        Err(err) => {
            tracing::error!(error = %err, "a stored case does not fold");
            internal_error()
        }
    }
}

/// The body of a staff sign-in.
#[derive(Deserialize)]
struct LoginBody {
    staff: String,
    pin: String,
}

/// `POST /api/v1/stores/{store}/staff/login`: a staff member's PIN for a
/// session token of 30 days, with the store's profile and roster. A wrong
/// PIN, an unknown person and an unknown store all get the same 401 after
/// the same work (a PBKDF2 check); the core's `PinThrottle`, kept per
/// person in the database, answers 429 `wait` and, after 10 failures, 423
/// `locked` (until `unlock-staff`). Public, so rate limited per address.
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    store: Result<axum::extract::Path<String>, PathRejection>,
    body: Body,
) -> Response {
    if let Some(res) = rate_limited(&state, ip) {
        return res;
    }
    let Ok(axum::extract::Path(store)) = store else {
        return bad_request("the store is not valid text".into());
    };
    let Ok(store) = Slug::parse(&store) else {
        return bad_request(format!("'{store}' is not a store slug"));
    };
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT_BYTES).await {
        Ok(bytes) => bytes,
        Err(err) if is_length_limit(&err) => return too_large(),
        Err(_) => return bad_request("the request body could not be read".into()),
    };
    // The error never quotes the body: it holds a PIN.
    let Ok(LoginBody { staff, pin }) = serde_json::from_slice(&bytes) else {
        return bad_request(r#"expected {"staff": "<id>", "pin": "<digits>"}"#.into());
    };

    let now = now_ms();
    // An id that is not a slug is nobody: the same answer as a wrong PIN.
    let attempt = match Slug::parse(&staff) {
        Ok(id) => {
            let opened = {
                let (store, id) = (store.clone(), id.clone());
                state
                    .db
                    .transaction(Mode::Write, move |db| {
                        staff::begin_login(db, &store, &id, Timestamp(now))
                    })
                    .await
            };
            match opened {
                Ok(attempt) => (attempt, Some(id)),
                Err(err) => {
                    tracing::error!(error = %err, "sign-in failed");
                    return internal_error();
                }
            }
        }
        Err(_) => (staff::Attempt::Check(None), None),
    };
    let (hash, id) = match attempt {
        (staff::Attempt::Check(hash), id) => (hash, id),
        (staff::Attempt::WaitUntil(until), _) => {
            let secs = u64::try_from((until.0 - now).max(0))
                .unwrap_or(0)
                .div_ceil(1000)
                .max(1);
            let mut res = error(StatusCode::TOO_MANY_REQUESTS, "wait");
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            return res;
        }
        (staff::Attempt::Locked, _) => return error(StatusCode::LOCKED, "locked"),
    };
    let known = hash.is_some();
    let checked =
        tokio::task::spawn_blocking(move || hash.unwrap_or_else(staff::dummy_hash).verify(&pin))
            .await;
    let matched = match checked {
        Ok(matched) => known && matched,
        Err(err) => {
            tracing::error!(error = %err, "PIN check did not finish");
            return internal_error();
        }
    };
    let Some(id) = id.filter(|_| matched) else {
        tracing::info!(%store, "staff sign-in refused");
        return error(StatusCode::UNAUTHORIZED, "wrong_pin");
    };

    let token = match crate::secrets::new_token() {
        Ok(token) => token,
        Err(err) => {
            tracing::error!(error = %err, "cannot make a session token");
            return internal_error();
        }
    };
    let session = {
        let (store, id) = (store.clone(), id.clone());
        state
            .db
            .transaction(Mode::Write, move |db| {
                staff::succeed(db, &store, &id, &token, now)
            })
            .await
    };
    match session {
        Ok(Some(session)) => {
            tracing::info!(%store, staff = %id, "staff signed in");
            Json(session).into_response()
        }
        Ok(None) => error(StatusCode::UNAUTHORIZED, "wrong_pin"),
        Err(err) => {
            tracing::error!(error = %err, "sign-in failed");
            internal_error()
        }
    }
}

/// `GET /api/v1/stores/{store}/profile`: the store's settings and active
/// roster, for its staff (a device token or a staff session).
async fn profile(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    store: Result<axum::extract::Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    let (token_store, store) = match staff_and_store(&state, ip, store, &headers).await {
        Ok(both) => both,
        Err(res) => return res,
    };
    if store != token_store {
        return error(StatusCode::FORBIDDEN, "forbidden");
    }
    let found = {
        let store = store.clone();
        state
            .db
            .transaction(Mode::Read, move |db| staff::profile(db, &store))
            .await
    };
    match found {
        Ok(Some(profile)) => Json(profile).into_response(),
        Ok(None) => error(StatusCode::NOT_FOUND, "not_found"),
        Err(err) => {
            tracing::error!(error = %err, %store, "profile read failed");
            internal_error()
        }
    }
}

/// What the three insights routes answer with.
#[derive(Clone, Copy)]
enum Report {
    /// The insights report, JSON.
    Insights,
    /// The documented cases, CSV.
    Csv,
    /// The documented cases, JSON.
    Json,
}

/// `GET /api/v1/stores/{store}/insights?from=&to=&touchpoint=&staff=&tz=`:
/// the store's insights report (the core's `Insights`) over every device's
/// events, for its staff.
async fn insights(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    store: Result<axum::extract::Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    report(state, ip, store, query, headers, Report::Insights).await
}

/// `GET /api/v1/stores/{store}/export.csv` with the filters of the insights:
/// the documented cases as CSV (UTF-8 with a byte-order mark, so
/// spreadsheets read the accents), as an attachment.
async fn export_csv(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    store: Result<axum::extract::Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    report(state, ip, store, query, headers, Report::Csv).await
}

/// `GET /api/v1/stores/{store}/export.json`: the documented cases as a JSON
/// array of rows, as an attachment.
async fn export_json(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    store: Result<axum::extract::Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    report(state, ip, store, query, headers, Report::Json).await
}

/// The insights routes: checks the caller and the filters, reads the store's
/// events in one read transaction, then folds and sums them up off the
/// async threads (without holding the database).
async fn report(
    state: AppState,
    ip: IpAddr,
    store: Result<axum::extract::Path<String>, PathRejection>,
    query: Option<String>,
    headers: HeaderMap,
    kind: Report,
) -> Response {
    let (token_store, store) = match staff_and_store(&state, ip, store, &headers).await {
        Ok(both) => both,
        Err(res) => return res,
    };
    let params = match crate::insights::params(query.as_deref().unwrap_or_default()) {
        Ok(params) => params,
        Err(detail) => return bad_request(detail),
    };
    if store != token_store {
        return error(StatusCode::FORBIDDEN, "forbidden");
    }
    let loaded = {
        let store = store.clone();
        state
            .db
            .transaction(Mode::Read, move |db| crate::insights::load(db, &store))
            .await
    };
    let (events, salt) = match loaded {
        Ok(loaded) => loaded,
        Err(err) => {
            tracing::error!(error = %err, %store, "reading a store's events for insights failed");
            return internal_error();
        }
    };
    let now = now_ms();
    let name = store.clone();
    let made = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let count = events.len();
        let (ledger, refused) = crate::insights::fold(events);
        if refused > 0 {
            tracing::warn!(store = %name, refused, "stored events the fold refuses were left out");
        }
        let query = crate::insights::query(&ledger, &name, &params, salt, now);
        let body = match kind {
            Report::Insights => {
                serde_json::to_vec(&recovery_core::insights::insights(&ledger, &query))
            }
            Report::Json => serde_json::to_vec(&recovery_core::insights::export(&ledger, &query)),
            Report::Csv => {
                let rows = recovery_core::insights::export(&ledger, &query);
                let csv = recovery_core::insights::to_csv(&rows);
                Ok(["\u{feff}", csv.as_str()].concat().into_bytes())
            }
        };
        tracing::info!(store = %name, events = count, ms = started.elapsed().as_millis() as u64, "insights");
        body
    })
    .await;
    let body = match made {
        Ok(Ok(body)) => body,
        Ok(Err(err)) => {
            tracing::error!(error = %err, %store, "insights could not be written");
            return internal_error();
        }
        Err(err) => {
            tracing::error!(error = %err, %store, "insights did not finish");
            return internal_error();
        }
    };
    let (content_type, file) = match kind {
        Report::Insights => ("application/json", None),
        Report::Csv => ("text/csv; charset=utf-8", Some("csv")),
        Report::Json => ("application/json", Some("json")),
    };
    let mut res = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response();
    if let Some(ext) = file {
        // A slug needs no quoting or escaping in a file name.
        let disposition = format!("attachment; filename=\"{store}-cases.{ext}\"");
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, value);
        }
    }
    res
}

fn error(status: StatusCode, code: &'static str) -> Response {
    (status, Json(ApiError { error: code })).into_response()
}

fn bad_request(detail: String) -> Response {
    let body = json!({"error": "bad_request", "detail": detail});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

fn too_large() -> Response {
    error(StatusCode::PAYLOAD_TOO_LARGE, "too_large")
}

fn unauthorized() -> Response {
    let mut res = error(StatusCode::UNAUTHORIZED, "unauthorized");
    res.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    res
}

fn internal_error() -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal")
}

/// Everything outside `/api`: a file from dist, else the SPA shell.
async fn app(State(state): State<AppState>, request: Request) -> Response {
    // The nested API router does not catch `/api/` (an empty tail), and a
    // future route mistake must not leak HTML to API clients either.
    if is_api_path(request.uri().path()) {
        return with_cache(api_not_found().await, CACHE_NONE);
    }
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let mut res = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "Only GET and HEAD are allowed here.\n",
        );
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return res;
    }
    let path = request.uri().path().to_owned();
    if path.ends_with("/manifest.webmanifest")
        && let Some(start) = request.uri().query().and_then(start_param)
    {
        return manifest_for(&state.dist, &path, &start);
    }
    // ServeDir consumes the request; the SPA fallback needs the conditional
    // headers (If-Modified-Since) of the same request, so keep a copy.
    let shell_request = copy_head(&request);

    // Directories never list or auto-index: `/` and `/c/` fall through to
    // the SPA shell below like any other client-side route.
    // The build's brotli/gzip twins of its hashed files (scripts/precompress.mjs) go out as
    // they are: smaller than the compression layer's fast setting, and no work per request.
    let mut files = ServeDir::new(&*state.dist)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip();
    match files.try_call(request).await {
        Ok(res) if res.status() != StatusCode::NOT_FOUND => {
            let cache = if is_hashed_asset(&path) && is_cacheable(res.status()) {
                CACHE_IMMUTABLE
            } else {
                CACHE_REVALIDATE
            };
            return with_cache(res.map(Body::new), cache);
        }
        Ok(_) => {}
        Err(err) => {
            tracing::error!(error = %err, path, "cannot read a file of the app");
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Cannot read this file.\n",
            );
        }
    }

    if looks_like_asset(&path) {
        return plain(StatusCode::NOT_FOUND, "Not found.\n");
    }
    match shell_for(&path) {
        Shell::Staff => {
            app_shell(&state.dist.join("staff/index.html"), shell_request, || {
                not_built(STAFF_NOT_BUILT)
            })
            .await
        }
        // The one page this site's own pages may frame (the acknowledgement
        // shows it): `security::headers` sends `X-Frame-Options: SAMEORIGIN`
        // and `frame-ancestors 'self'` for everything under `/qr`.
        Shell::Qr => {
            app_shell(&state.dist.join("qr/index.html"), shell_request, || {
                not_built(QR_NOT_BUILT)
            })
            .await
        }
        Shell::Ticket if state.dist.join("ticket/index.html").is_file() => {
            app_shell(&state.dist.join("ticket/index.html"), shell_request, || {
                not_built(APP_NOT_BUILT)
            })
            .await
        }
        Shell::Ticket | Shell::Customer => {
            app_shell(&state.dist.join("index.html"), shell_request, || {
                not_built(APP_NOT_BUILT)
            })
            .await
        }
    }
}

/// The `start` parameter of a manifest request (`?start=/k/acme/front-desk`): the page an
/// installed app was installed from, which pwa.js appends to the manifest link.
fn start_param(query: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "start")
        .and_then(|(_, value)| percent_decode(value))
}

/// `%2F` and the like in a query value; `None` for a broken escape or non-UTF-8.
fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = value.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether `start` may be an installed app's start page within `scope`: a plain path under
/// the scope, of the characters app routes use (store and touchpoint identifiers), no `..`.
pub fn valid_start(start: &str, scope: &str) -> bool {
    start.len() <= 200
        && start.starts_with(scope)
        && !start.contains("//")
        && !start.split('/').any(|part| part == "." || part == "..")
        && start
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'/')
}

/// The built manifest at `path` with its `start_url` set to `start` when that lies in the
/// manifest's scope, so an installed kiosk opens at its own store and touchpoint; the built
/// manifest as it is otherwise.
fn manifest_for(dist: &Path, path: &str, start: &str) -> Response {
    let file = dist.join(path.trim_start_matches('/'));
    let Ok(text) = std::fs::read_to_string(&file) else {
        return plain(StatusCode::NOT_FOUND, "Not found.\n");
    };
    let Ok(serde_json::Value::Object(mut manifest)) = serde_json::from_str(&text) else {
        tracing::error!(path, "the built manifest is not a JSON object");
        return internal_error();
    };
    let scope = manifest
        .get("scope")
        .and_then(|s| s.as_str())
        .unwrap_or("/")
        .to_owned();
    if valid_start(start, &scope) {
        manifest.insert("start_url".into(), start.into());
    }
    let body = serde_json::Value::Object(manifest).to_string();
    let mut res = Response::new(Body::from(body));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/manifest+json"),
    );
    with_cache(res, CACHE_REVALIDATE)
}

/// Which single-page app answers a client-side route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// The customer's app, `dist/index.html`.
    Customer,
    /// The staff app under `/staff`: `dist/staff/index.html`.
    Staff,
    /// The customer's ticket page under `/t`: `dist/ticket/index.html` when
    /// that bundle is built, else the customer's app.
    Ticket,
    /// The QR page under `/qr` that the acknowledgement frames:
    /// `dist/qr/index.html`.
    Qr,
}

/// The app that answers `path`: `/staff` and below is the staff app, `/t`
/// and below the ticket page, `/qr` and below the QR page, anything else the
/// customer's app.
pub fn shell_for(path: &str) -> Shell {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if under("/staff") {
        Shell::Staff
    } else if under("/t") {
        Shell::Ticket
    } else if under("/qr") {
        Shell::Qr
    } else {
        Shell::Customer
    }
}

const APP_NOT_BUILT: &str = "The kiosk app has not been built yet: its dist directory has no index.html.\n\
     Build it with the run command in the README, then reload this page.\n";
const QR_NOT_BUILT: &str = "The QR page has not been built yet: the dist directory has no qr/index.html.\n\
     Build it with the run command in the README, then reload this page.\n";
const STAFF_NOT_BUILT: &str = "The staff app has not been built yet: the dist directory has no staff/index.html.\n\
     Build it with the run command in the README, then reload this page.\n";

/// Serves the shell `index` of a single-page app for a client-side route,
/// or `missing` (the 503 page) when that app has not been built.
async fn app_shell(index: &Path, request: Request<()>, missing: impl Fn() -> Response) -> Response {
    let mut index = ServeFile::new(index);
    match index.try_call(request).await {
        Ok(res) if res.status() == StatusCode::NOT_FOUND => missing(),
        Ok(res) => with_cache(res.map(Body::new), CACHE_REVALIDATE),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => missing(),
        Err(err) => {
            tracing::error!(error = %err, "cannot read index.html of the app");
            plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Cannot read the app's index.html.\n",
            )
        }
    }
}

fn not_built(text: &'static str) -> Response {
    // The server stays up (the API works without the app); the page tells
    // the person at the screen what to do instead of showing a bare error.
    plain(StatusCode::SERVICE_UNAVAILABLE, text)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut res = (status, text).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_REVALIDATE),
    );
    res
}

fn with_cache(mut res: Response, cache: &'static str) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

fn is_cacheable(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED
    )
}

fn copy_head(request: &Request) -> Request<()> {
    let mut copy = Request::new(());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// Whether `path` belongs to the API namespace (`/api` or below).
pub fn is_api_path(path: &str) -> bool {
    path.strip_prefix("/api")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Whether the last path segment is a trunk content-hashed file name:
/// `name-<hash>.ext` or `name-<hash>_bg.wasm`, where `<hash>` is 13 to 16
/// hex digits.
///
/// Trunk pads the hash of CSS and copied files to 16 digits but writes the
/// JS/wasm hash unpadded, so a leading zero nibble shortens it; accepting a
/// few shorter lengths keeps those immutable too, while names with fewer
/// digits (dates, versions) stay revalidated.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default().as_bytes();
    name.iter().enumerate().any(|(dash, &byte)| {
        if byte != b'-' {
            return false;
        }
        let digits = name[dash + 1..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        let after = name.get(dash + 1 + digits);
        (13..=16).contains(&digits) && matches!(after, Some(b'.' | b'_'))
    })
}

/// Whether a path that matched no file names a static asset by its
/// extension. Such a request gets 404 instead of the SPA shell: a stale page
/// or service worker asking for an old hashed bundle must see the error, not
/// HTML with status 200 that it would cache or run as JavaScript/wasm.
/// Client-side routes (`/c/demo/checkout-2`) have no such extension.
pub fn looks_like_asset(path: &str) -> bool {
    const ASSET_EXTENSIONS: &[&str] = &[
        "js",
        "mjs",
        "wasm",
        "css",
        "map",
        "json",
        "webmanifest",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "ico",
        "webp",
        "avif",
        "woff",
        "woff2",
        "ttf",
        "otf",
        "txt",
        "xml",
        "ftl",
    ];
    let name = path.rsplit('/').next().unwrap_or_default();
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && ASSET_EXTENSIONS
                .iter()
                .any(|known| known.eq_ignore_ascii_case(ext))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_hashed_asset("/kiosk-3f2a9c1b0d5e6f70.js"));
        assert!(is_hashed_asset("/kiosk-3f2a9c1b0d5e6f70_bg.wasm"));
        assert!(is_hashed_asset("/assets/style-00aa11bb22cc33dd.css"));
        // Unpadded JS/wasm hash with a leading zero nibble.
        assert!(is_hashed_asset("/kiosk-f2a9c1b0d5e6f70_bg.wasm"));
    }

    #[test]
    fn names_without_a_full_hash_are_not_immutable() {
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/kiosk-3f2a9c1b0d.js"));
        assert!(!is_hashed_asset("/photo-20240101.png"));
        assert!(!is_hashed_asset("/kiosk-3f2a9c1b0d5e6f7012.js"));
        assert!(!is_hashed_asset("/kiosk-3f2a9c1b0d5e6f70"));
        assert!(!is_hashed_asset("/dir-3f2a9c1b0d5e6f70.x/plain"));
    }

    #[test]
    fn only_api_and_below_is_the_api_namespace() {
        assert!(is_api_path("/api"));
        assert!(is_api_path("/api/"));
        assert!(is_api_path("/api/v1/x"));
        assert!(!is_api_path("/apix"));
        assert!(!is_api_path("/c/api"));
    }

    #[test]
    fn an_installed_app_starts_only_at_a_plain_page_of_its_scope() {
        assert!(valid_start("/k/acme/front-desk", "/"));
        assert!(valid_start("/staff/acme", "/staff/"));
        assert!(!valid_start("/k/acme/front-desk", "/staff/"));
        assert!(!valid_start("https://evil.example/", "/"));
        assert!(!valid_start("//evil.example/x", "/"));
        assert!(!valid_start("/k/../api/v1/health", "/"));
        assert!(!valid_start("/k/a?b=1", "/"));
        assert!(!valid_start("/k/\u{1F600}/x", "/"));
        assert!(!valid_start(&format!("/k/{}", "a".repeat(300)), "/"));
        assert_eq!(
            start_param("start=%2Fk%2Facme%2Fdesk"),
            Some("/k/acme/desk".into())
        );
        assert_eq!(start_param("x=1&start=/c/a/b"), Some("/c/a/b".into()));
        assert_eq!(start_param("start=%zz"), None);
        assert_eq!(start_param("other=1"), None);
    }

    #[test]
    fn staff_and_ticket_routes_pick_their_own_shell() {
        assert_eq!(shell_for("/staff"), Shell::Staff);
        assert_eq!(shell_for("/staff/"), Shell::Staff);
        assert_eq!(shell_for("/staff/demo/queue"), Shell::Staff);
        assert_eq!(shell_for("/staffroom"), Shell::Customer);
        assert_eq!(shell_for("/t"), Shell::Ticket);
        assert_eq!(shell_for("/t/ABC-DEF"), Shell::Ticket);
        assert_eq!(shell_for("/tickets"), Shell::Customer);
        assert_eq!(shell_for("/qr/"), Shell::Qr);
        assert_eq!(shell_for("/qr"), Shell::Qr);
        assert_eq!(shell_for("/qrcode"), Shell::Customer);
        assert_eq!(shell_for("/c/demo/t"), Shell::Customer);
        assert_eq!(shell_for("/"), Shell::Customer);
    }

    #[test]
    fn client_routes_do_not_look_like_assets() {
        assert!(!looks_like_asset("/"));
        assert!(!looks_like_asset("/c/demo/checkout-2"));
        assert!(!looks_like_asset("/k/demo/front"));
        assert!(!looks_like_asset("/k/demo/.hidden"));
        assert!(looks_like_asset("/kiosk-3f2a9c1b0d5e6f70.js"));
        assert!(looks_like_asset("/icons/a.PNG"));
    }
}
