//! The HTTP surface: the versioned JSON API under `/api`, and the built app
//! (trunk's `dist/`) for every other path, with the cross-cutting layers
//! (security headers, compression, body limit, request logs).
//!
//! Routing rules, in order:
//! 1. `/api/...` is the API. Unknown API paths answer JSON 404 and never the
//!    HTML app, so a client bug shows up as an error instead of as HTML
//!    being parsed as JSON.
//! 2. A real file in `dist/` is served with its MIME type. Trunk's hashed
//!    assets are cached forever; everything else must be revalidated, so a
//!    new deploy (new `index.html`, new `sw.js`) is picked up at once.
//! 3. Any other GET/HEAD path is a client-side route of the single-page app
//!    and gets `dist/index.html` with status 200, except paths that name a
//!    missing static asset (see [`looks_like_asset`]).
//! 4. With no `index.html` the app answers 503 with a hint to build it.
//!
//! This module must never serve anything outside the dist directory (path
//! handling is left to tower-http's `ServeDir`, which rejects `..`), never
//! log request bodies or headers (future auth tokens live there), and never
//! answer an `/api` request with HTML.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::db::Database;

/// Largest request body accepted, in bytes. Event batches from a kiosk are
/// small; anything bigger is a bug or abuse and is refused with 413.
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

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

/// Shared state of all handlers.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database handle.
    pub db: Database,
    /// The built app directory.
    pub dist: Arc<Path>,
}

impl AppState {
    /// Builds the state from a database handle and the dist directory.
    pub fn new(db: Database, dist: PathBuf) -> Self {
        AppState {
            db,
            dist: Arc::from(dist),
        }
    }
}

/// Builds the complete application: API routes, static app and layers.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/v1/health", get(health))
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_method_not_allowed)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_NONE),
        ));

    // `Router::layer` wraps everything added before it, so the last layer
    // here is the outermost: the trace span covers the whole request, and
    // the security headers land on every response, including the 413 from
    // the body limit and compressed bodies.
    Router::new()
        .nest("/api", api)
        .fallback(app)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .layer(CompressionLayer::new())
        .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(security_header(header::REFERRER_POLICY, "no-referrer"))
        .layer(security_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    // `if_not_present` so a future handler can set a stricter value.
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
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
    // ServeDir consumes the request; the SPA fallback needs the conditional
    // headers (If-Modified-Since) of the same request, so keep a copy.
    let shell_request = copy_head(&request);

    // Directories never list or auto-index: `/` and `/c/` fall through to
    // the SPA shell below like any other client-side route.
    let mut files = ServeDir::new(&*state.dist).append_index_html_on_directories(false);
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
    app_shell(&state.dist, shell_request).await
}

/// Serves `dist/index.html` for a client-side route, or the 503 page when
/// the app has not been built.
async fn app_shell(dist: &Path, request: Request<()>) -> Response {
    let mut index = ServeFile::new(dist.join("index.html"));
    match index.try_call(request).await {
        Ok(res) if res.status() == StatusCode::NOT_FOUND => not_built(),
        Ok(res) => with_cache(res.map(Body::new), CACHE_REVALIDATE),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => not_built(),
        Err(err) => {
            tracing::error!(error = %err, "cannot read index.html of the app");
            plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Cannot read the app's index.html.\n",
            )
        }
    }
}

fn not_built() -> Response {
    // The server stays up (the API works without the app); the page tells
    // the person at the screen what to do instead of showing a bare error.
    plain(
        StatusCode::SERVICE_UNAVAILABLE,
        "The kiosk app has not been built yet: its dist directory has no index.html.\n\
         Build it with the run command in the README, then reload this page.\n",
    )
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
    fn client_routes_do_not_look_like_assets() {
        assert!(!looks_like_asset("/"));
        assert!(!looks_like_asset("/c/demo/checkout-2"));
        assert!(!looks_like_asset("/k/demo/front"));
        assert!(!looks_like_asset("/k/demo/.hidden"));
        assert!(looks_like_asset("/kiosk-3f2a9c1b0d5e6f70.js"));
        assert!(looks_like_asset("/icons/a.PNG"));
    }
}
