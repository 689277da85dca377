//! The HTTP surface: the versioned JSON API under `/api`, and the built app
//! (trunk's `dist/`) for every other path, with the cross-cutting layers
//! (security headers and CSP, see [`security`]; compression, body limit,
//! CORS, request logs).
//!
//! The sync API (see `openapi.json` beside `Cargo.toml` for the contract,
//! and [`recovery_core::api`] for its wire types), one file per resource:
//! * `POST /api/v1/events` records a batch of events, one receipt each
//!   (`events`);
//! * `GET /api/v1/stores/{store}/events` lets a store's staff devices read
//!   its events after a cursor, and `GET /api/v1/stores/{store}/cases` its
//!   cases' states (the read model a tablet signs in from) (`pull`);
//! * `GET /api/v1/tickets/{code}` lets a customer read their own case with
//!   the secret their device made when filing (`tickets`);
//! * `POST /api/v1/stores/{store}/staff/login` trades a staff member's PIN
//!   for a session token, and `GET /api/v1/stores/{store}/profile` gives a
//!   store's staff its settings and roster (`staff`);
//! * `GET /api/v1/stores/{store}/stream` tells its signed-in tablets, as
//!   server-sent events, the moment it has news (`stream`);
//! * `GET /api/v1/stores/{store}/alerts` tells its staff when the public
//!   went over the store's daily budget (`alerts`);
//! * `GET /api/v1/stores/{store}/insights` gives its staff the store's
//!   insights report across every device, and `.../export.csv` and
//!   `.../export.json` its documented cases (`reports`);
//! * health and the OpenAPI document (`health`).
//!
//! Handlers return `Result<_, ApiError>` (one error type, see [`error`]);
//! who calls, path slugs and query strings are extractors (see [`extract`]).
//! Public callers (no valid staff token) are rate limited per address, and
//! their pushes and sign-ins spend the budgets of [`budgets`]. A POST body
//! must be declared `application/json` (415 otherwise), so no web page can
//! make its visitors' browsers post to the API without a CORS preflight.
//!
//! Routing rules, in order:
//! 1. `/api/...` is the API. Unknown API paths answer JSON 404 and never the
//!    HTML app, so a client bug shows up as an error instead of as HTML
//!    being parsed as JSON.
//! 2. A real file in `dist/` is served with its MIME type. Trunk's hashed
//!    assets are cached forever; everything else must be revalidated, so a
//!    new deploy (new `index.html`, new `sw.js`) is picked up at once.
//! 3. Any other GET/HEAD path is a client-side route of a single-page app
//!    and gets its shell with status 200 (see [`shell_for`]), except paths
//!    that name a missing static asset (see [`looks_like_asset`]).
//! 4. With no shell to serve the app answers 503 with a hint to build it.
//!
//! The modules below this one never import it: they share the state, the
//! error type, the extractors and the path rules as siblings, so there is no
//! import circle. Nothing here may log request bodies or headers (staff
//! tokens and ticket secrets live there).

mod admin;
mod alerts;
mod app;
pub mod budgets;
mod compare;
pub mod error;
mod events;
pub mod extract;
mod health;
mod markers;
mod paths;
mod pull;
mod reports;
pub mod security;
mod staff;
mod state;
mod stream;
mod tickets;

use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use app::{CACHE_IMMUTABLE, CACHE_NONE, CACHE_REVALIDATE, valid_start};
pub use error::ApiError;
pub use extract::BODY_LIMIT_BYTES;
pub use health::OPENAPI_JSON;
pub use paths::{Shell, is_api_path, is_hashed_asset, looks_like_asset, shell_for};
pub use pull::{PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, PullQuery, pull_params};
pub use recovery_core::api::TICKET_SECRET_HEADER;
pub use state::AppState;

/// Smallest body worth compressing, in bytes: below this the encoding's
/// framing eats most of the gain.
pub const COMPRESS_MIN_BYTES: u16 = 256;

/// Path of the health check, under `/api`.
pub const HEALTH_PATH: &str = "/v1/health";
/// Path of the OpenAPI document, under `/api`.
pub const OPENAPI_PATH: &str = "/v1/openapi.json";
/// Path of the push endpoint, under `/api`.
pub const EVENTS_PATH: &str = "/v1/events";
/// Path of the pull endpoint, under `/api`.
pub const STORE_EVENTS_PATH: &str = "/v1/stores/{store}/events";
/// Path of the store's case states, under `/api`.
pub const STORE_CASES_PATH: &str = "/v1/stores/{store}/cases";
/// Path of the ticket endpoint, under `/api`.
pub const TICKET_PATH: &str = "/v1/tickets/{code}";
/// Path of the staff sign-in, under `/api`.
pub const LOGIN_PATH: &str = "/v1/stores/{store}/staff/login";
/// Path of the store's profile and roster, under `/api`.
pub const PROFILE_PATH: &str = "/v1/stores/{store}/profile";
/// Path of what the store promises its customers, under `/api`.
pub const PROMISE_PATH: &str = "/v1/stores/{store}/promise";
/// Path of the store's live feed (server-sent events), under `/api`.
pub const STREAM_PATH: &str = "/v1/stores/{store}/stream";
/// Path of the store's alerts, under `/api`.
pub const ALERTS_PATH: &str = "/v1/stores/{store}/alerts";
/// Path of the store's markers for changes, under `/api`.
pub const MARKERS_PATH: &str = "/v1/stores/{store}/markers";
/// Path of one of the store's markers, under `/api`.
pub const MARKER_PATH: &str = "/v1/stores/{store}/markers/{id}";
/// Path of the store's insights report, under `/api`.
pub const INSIGHTS_PATH: &str = "/v1/stores/{store}/insights";
/// Path of the export of the store's cases as CSV, under `/api`.
pub const EXPORT_CSV_PATH: &str = "/v1/stores/{store}/export.csv";
/// Path of the export of the store's cases as JSON, under `/api`.
pub const EXPORT_JSON_PATH: &str = "/v1/stores/{store}/export.json";

/// Path of a chain person's sign-in, under `/api`.
pub const CHAIN_LOGIN_PATH: &str = "/v1/chains/{chain}/login";
/// Path of a chain as its admin sees it, under `/api`.
pub const CHAIN_PATH: &str = "/v1/chains/{chain}";
/// Path of one of a chain's stores, under `/api`.
pub const CHAIN_STORE_PATH: &str = "/v1/chains/{chain}/stores/{store}";
/// Path of a chain store's shift plan, under `/api`.
pub const CHAIN_SHIFTS_PATH: &str = "/v1/chains/{chain}/stores/{store}/shifts";
/// Path of a chain store's notification recipients, under `/api`.
pub const CHAIN_RECIPIENTS_PATH: &str = "/v1/chains/{chain}/stores/{store}/recipients";
/// Path of a chain store's visits by day, under `/api`.
pub const CHAIN_VISITS_PATH: &str = "/v1/chains/{chain}/stores/{store}/visits";
/// Path of a chain store's roster, under `/api`.
pub const CHAIN_STAFF_PATH: &str = "/v1/chains/{chain}/stores/{store}/staff";
/// Path of one person of a chain store's roster, under `/api`.
pub const CHAIN_PERSON_PATH: &str = "/v1/chains/{chain}/stores/{store}/staff/{id}";
/// Path of a chain store's tokens, under `/api`.
pub const CHAIN_TOKENS_PATH: &str = "/v1/chains/{chain}/stores/{store}/tokens";
/// Path of one of a chain store's tokens, under `/api`.
pub const CHAIN_TOKEN_PATH: &str = "/v1/chains/{chain}/stores/{store}/tokens/{id}";
/// Path of the comparison of a chain's stores, under `/api`.
pub const CHAIN_COMPARE_PATH: &str = "/v1/chains/{chain}/compare";
/// Path of the markers of changes to a whole chain, under `/api`.
pub const CHAIN_MARKERS_PATH: &str = "/v1/chains/{chain}/markers";
/// Path of one of a chain's markers, under `/api`.
pub const CHAIN_MARKER_PATH: &str = "/v1/chains/{chain}/markers/{id}";
/// Path of the people who run a chain, under `/api`.
pub const CHAIN_PEOPLE_PATH: &str = "/v1/chains/{chain}/people";
/// Path of one person who runs a chain, under `/api`.
pub const CHAIN_PERSON_ADMIN_PATH: &str = "/v1/chains/{chain}/people/{id}";
/// Path of a chain's history of changes, under `/api`.
pub const CHAIN_HISTORY_PATH: &str = "/v1/chains/{chain}/history";

/// Every API route as `(method, path under /api)`: what the router serves
/// and what `openapi.json` must document (a test holds them together).
pub const API_ROUTES: &[(&str, &str)] = &[
    ("get", HEALTH_PATH),
    ("get", OPENAPI_PATH),
    ("post", EVENTS_PATH),
    ("get", STORE_EVENTS_PATH),
    ("get", STORE_CASES_PATH),
    ("get", TICKET_PATH),
    ("post", LOGIN_PATH),
    ("get", PROFILE_PATH),
    ("get", PROMISE_PATH),
    ("get", STREAM_PATH),
    ("get", ALERTS_PATH),
    ("get", MARKERS_PATH),
    ("post", MARKERS_PATH),
    ("delete", MARKER_PATH),
    ("get", INSIGHTS_PATH),
    ("get", EXPORT_CSV_PATH),
    ("get", EXPORT_JSON_PATH),
    ("post", CHAIN_LOGIN_PATH),
    ("get", CHAIN_PATH),
    ("put", CHAIN_STORE_PATH),
    ("put", CHAIN_SHIFTS_PATH),
    ("get", CHAIN_VISITS_PATH),
    ("put", CHAIN_VISITS_PATH),
    ("get", CHAIN_RECIPIENTS_PATH),
    ("put", CHAIN_RECIPIENTS_PATH),
    ("delete", CHAIN_RECIPIENTS_PATH),
    ("get", CHAIN_STAFF_PATH),
    ("put", CHAIN_PERSON_PATH),
    ("get", CHAIN_TOKENS_PATH),
    ("post", CHAIN_TOKENS_PATH),
    ("delete", CHAIN_TOKEN_PATH),
    ("get", CHAIN_HISTORY_PATH),
    ("get", CHAIN_COMPARE_PATH),
    ("get", CHAIN_MARKERS_PATH),
    ("post", CHAIN_MARKERS_PATH),
    ("delete", CHAIN_MARKER_PATH),
    ("get", CHAIN_PEOPLE_PATH),
    ("put", CHAIN_PERSON_ADMIN_PATH),
];

/// Builds the complete application: API routes, static app and layers.
pub fn router(state: AppState) -> Router {
    let cors = cors_layer(&state.cors_origins);
    let security = middleware::from_fn_with_state(state.script_hashes.clone(), security::headers);
    let api = Router::new()
        .route(HEALTH_PATH, get(health::health))
        .route(OPENAPI_PATH, get(health::openapi))
        .route(EVENTS_PATH, post(events::push))
        .route(STORE_EVENTS_PATH, get(pull::pull))
        .route(STORE_CASES_PATH, get(pull::cases))
        .route(TICKET_PATH, get(tickets::ticket))
        .route(LOGIN_PATH, post(staff::login))
        .route(PROFILE_PATH, get(staff::profile))
        .route(PROMISE_PATH, get(tickets::promise))
        .route(STREAM_PATH, get(stream::stream))
        .route(ALERTS_PATH, get(alerts::alerts))
        .route(MARKERS_PATH, get(markers::list).post(markers::add))
        .route(MARKER_PATH, delete(markers::remove))
        .route(INSIGHTS_PATH, get(reports::insights))
        .route(EXPORT_CSV_PATH, get(reports::export_csv))
        .route(EXPORT_JSON_PATH, get(reports::export_json))
        .route(CHAIN_LOGIN_PATH, post(admin::login))
        .route(CHAIN_PATH, get(admin::view))
        .route(CHAIN_STORE_PATH, put(admin::put_store))
        .route(CHAIN_SHIFTS_PATH, put(admin::put_shifts))
        .route(CHAIN_VISITS_PATH, get(admin::visits).put(admin::put_visits))
        .route(
            CHAIN_RECIPIENTS_PATH,
            get(admin::recipients)
                .put(admin::put_recipient)
                .delete(admin::remove_recipient),
        )
        .route(CHAIN_STAFF_PATH, get(admin::roster))
        .route(CHAIN_PERSON_PATH, put(admin::put_staff))
        .route(
            CHAIN_TOKENS_PATH,
            get(admin::tokens).post(admin::issue_token),
        )
        .route(CHAIN_TOKEN_PATH, delete(admin::revoke_token))
        .route(CHAIN_HISTORY_PATH, get(admin::history))
        .route(CHAIN_COMPARE_PATH, get(compare::compare))
        .route(
            CHAIN_MARKERS_PATH,
            get(markers::chain_list).post(markers::chain_add),
        )
        .route(CHAIN_MARKER_PATH, delete(markers::chain_remove))
        .route(CHAIN_PEOPLE_PATH, get(admin::people))
        .route(CHAIN_PERSON_ADMIN_PATH, put(admin::put_person))
        .route_layer(middleware::from_fn(require_json))
        .fallback(health::not_found)
        .method_not_allowed_fallback(health::method_not_allowed)
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
        .fallback(app::app)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .layer(middleware::from_fn(api_too_large_as_json));
    let app = match cors {
        Some(cors) => app.layer(cors),
        None => app,
    };
    // Brotli or gzip as the client's Accept-Encoding asks; bodies under
    // `COMPRESS_MIN_BYTES`, images (already compressed) and event streams
    // stay as they are. At the fastest level: what is compressed on the fly is
    // API JSON (the built app is precompressed at the best level), and a
    // tablet signing in reads hundreds of megabytes of it, where the default
    // level cost more server time than the whole read.
    let compression = CompressionLayer::new()
        .quality(tower_http::CompressionLevel::Fastest)
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
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::DELETE,
                Method::OPTIONS,
            ])
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                HeaderName::from_static(TICKET_SECRET_HEADER),
            ])
            .expose_headers([header::RETRY_AFTER])
            .max_age(Duration::from_secs(600)),
    )
}

/// Refuses with 415 a request to an API route that carries a body not
/// declared `application/json` (parameters such as `; charset=utf-8` are
/// fine). A request without a body (no length, or a length of 0) passes:
/// the handler says what is missing.
async fn require_json(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    let has_body = length.is_some_and(|n| n > 0)
        || (length.is_none() && headers.contains_key(header::TRANSFER_ENCODING));
    if has_body && !is_json(headers.get(header::CONTENT_TYPE)) {
        return ApiError::NotJson.into_response();
    }
    next.run(request).await
}

/// Whether a `Content-Type` is `application/json`, any case, with any
/// parameters.
pub fn is_json(content_type: Option<&HeaderValue>) -> bool {
    content_type
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
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
        return app::with_cache(ApiError::TooLarge.into_response(), CACHE_NONE);
    }
    response
}
