//! Everything outside `/api`: the built app (trunk's `dist/`). A real file is
//! served with its MIME type (hashed assets cached for good, everything else
//! revalidated); any other GET/HEAD path is a client-side route and gets its
//! single-page shell (see [`shell_for`]), except paths that name a missing
//! static asset (see [`looks_like_asset`]), which are 404; an unbuilt shell
//! is a 503 page saying how to build it. A manifest asked for with `?start=`
//! gets that page as its `start_url`, so an installed kiosk opens at its own
//! store and touchpoint.
//!
//! This module must never serve or read anything outside the dist
//! directory: a path with a `..` segment (literal or percent-encoded), a
//! backslash or a NUL is 404 before anything is looked up (see
//! [`escapes_dist`]), and files are read only through `ServeDir` or
//! [`inside`]. It must never answer an `/api` request with HTML. Every file
//! it serves may have precompressed twins, so every file answer says
//! `Vary: Accept-Encoding`, for shared caches.

use std::path::Path;

use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_http::services::{ServeDir, ServeFile};

use super::error::ApiError;
use super::paths::{Shell, is_api_path, is_hashed_asset, looks_like_asset, shell_for};
use super::state::AppState;

/// `Cache-Control` for content-hashed assets: their name changes whenever
/// their content does, so a browser may keep them for a year untouched.
pub const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` for everything else in the app: browsers may store it but
/// must revalidate (cheap, thanks to `Last-Modified`) before each use.
pub const CACHE_REVALIDATE: &str = "no-cache";
/// `Cache-Control` for API answers, which describe live server state.
pub const CACHE_NONE: &str = "no-store";

const APP_NOT_BUILT: &str = "The kiosk app has not been built yet: its dist directory has no index.html.\n\
     Build it with the run command in the README, then reload this page.\n";
const QR_NOT_BUILT: &str = "The QR page has not been built yet: the dist directory has no qr/index.html.\n\
     Build it with the run command in the README, then reload this page.\n";
const STAFF_NOT_BUILT: &str = "The staff app has not been built yet: the dist directory has no staff/index.html.\n\
     Build it with the run command in the README, then reload this page.\n";

/// The query of a manifest request (`?start=/k/acme/front-desk`): the page
/// an installed app was installed from, which pwa.js appends to the link.
#[derive(Debug, Default, Deserialize)]
struct ManifestQuery {
    start: Option<String>,
}

/// The handler of every path outside `/api`: a file from dist, else the SPA
/// shell.
pub async fn app(State(state): State<AppState>, request: Request) -> Response {
    // The nested API router does not catch `/api/` (an empty tail), and a
    // future route mistake must not leak HTML to API clients either.
    if is_api_path(request.uri().path()) {
        return with_cache(ApiError::NotFound.into_response(), CACHE_NONE);
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
    if escapes_dist(&path) {
        return plain(StatusCode::NOT_FOUND, "Not found.\n");
    }
    if path.ends_with("/manifest.webmanifest")
        && let Ok(Query(ManifestQuery { start: Some(start) })) = Query::try_from_uri(request.uri())
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
            return with_cache(vary_on_encoding(res.map(Body::new)), cache);
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
    let (index, missing) = match shell_for(&path) {
        Shell::Staff => ("staff/index.html", STAFF_NOT_BUILT),
        // The one page this site's own pages may frame (the acknowledgement
        // shows it): the security headers send `X-Frame-Options: SAMEORIGIN`
        // and `frame-ancestors 'self'` for everything under `/qr`.
        Shell::Qr => ("qr/index.html", QR_NOT_BUILT),
        Shell::Ticket if state.dist.join("ticket/index.html").is_file() => {
            ("ticket/index.html", APP_NOT_BUILT)
        }
        Shell::Ticket | Shell::Customer => ("index.html", APP_NOT_BUILT),
    };
    app_shell(&state.dist.join(index), shell_request, missing).await
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

/// Whether a request path could reach outside the dist directory: a `..`
/// segment, as it is or percent-decoded, or a backslash or NUL anywhere
/// (path separators or terminators on some systems).
pub fn escapes_dist(path: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    [path, decoded.as_ref()]
        .iter()
        .any(|text| text.contains(['\\', '\0']) || text.split('/').any(|segment| segment == ".."))
}

/// `dist` joined with the request path `path`, when every part of it is a
/// plain name (no `..`, no root, no prefix); `None` otherwise.
fn inside(dist: &Path, path: &str) -> Option<std::path::PathBuf> {
    let relative = Path::new(path.trim_start_matches('/'));
    relative
        .components()
        .all(|part| matches!(part, std::path::Component::Normal(_)))
        .then(|| dist.join(relative))
}

/// `res` with `Vary: Accept-Encoding` (once): the file may have been
/// chosen among its precompressed twins by the request's `Accept-Encoding`.
fn vary_on_encoding(mut res: Response) -> Response {
    let varies = res
        .headers()
        .get_all(header::VARY)
        .iter()
        .any(|value| value.as_bytes().eq_ignore_ascii_case(b"accept-encoding"));
    if !varies {
        res.headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

/// The built manifest at `path` with its `start_url` set to `start` when that lies in the
/// manifest's scope, so an installed kiosk opens at its own store and touchpoint; the built
/// manifest as it is otherwise.
fn manifest_for(dist: &Path, path: &str, start: &str) -> Response {
    let Some(file) = inside(dist, path) else {
        return plain(StatusCode::NOT_FOUND, "Not found.\n");
    };
    let Ok(text) = std::fs::read_to_string(&file) else {
        return plain(StatusCode::NOT_FOUND, "Not found.\n");
    };
    let Ok(serde_json::Value::Object(mut manifest)) = serde_json::from_str(&text) else {
        tracing::error!(path, "the built manifest is not a JSON object");
        return ApiError::Internal.into_response();
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

/// Serves the shell `index` of a single-page app for a client-side route,
/// or the 503 page `missing` when that app has not been built. The server
/// stays up (the API works without the app); the page tells the person at
/// the screen what to do instead of showing a bare error.
async fn app_shell(index: &Path, request: Request<()>, missing: &'static str) -> Response {
    let not_built = || plain(StatusCode::SERVICE_UNAVAILABLE, missing);
    let mut index = ServeFile::new(index);
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

fn plain(status: StatusCode, text: &'static str) -> Response {
    with_cache((status, text).into_response(), CACHE_REVALIDATE)
}

/// `res` with its `Cache-Control` set to `cache`.
pub fn with_cache(mut res: Response, cache: &'static str) -> Response {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn start_of(uri: &str) -> Option<String> {
        let uri: axum::http::Uri = uri.parse().unwrap();
        Query::<ManifestQuery>::try_from_uri(&uri)
            .ok()
            .and_then(|Query(query)| query.start)
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
    }

    #[test]
    fn the_start_page_is_read_decoded_from_the_query() {
        let manifest = "/manifest.webmanifest";
        assert_eq!(
            start_of(&format!("{manifest}?start=%2Fk%2Facme%2Fdesk")),
            Some("/k/acme/desk".into())
        );
        assert_eq!(
            start_of(&format!("{manifest}?x=1&start=/c/a/b")),
            Some("/c/a/b".into())
        );
        assert_eq!(start_of(&format!("{manifest}?other=1")), None);
        // A broken escape reads as itself, which is no start page.
        let broken = start_of(&format!("{manifest}?start=%zz")).unwrap();
        assert!(!valid_start(&broken, "/"), "{broken}");
    }

    #[test]
    fn a_manifest_starts_at_the_asked_page_only_within_its_scope() {
        let dist = tempfile::tempdir().unwrap();
        std::fs::write(
            dist.path().join("manifest.webmanifest"),
            r#"{"name":"Kiosk","scope":"/","start_url":"/"}"#,
        )
        .unwrap();
        let read = |start: &str| {
            let res = manifest_for(dist.path(), "/manifest.webmanifest", start);
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(
                res.headers()[header::CONTENT_TYPE],
                "application/manifest+json"
            );
            res
        };
        for (start, expected) in [("/k/acme/desk", "/k/acme/desk"), ("%zz", "/")] {
            let res = read(start);
            let body = json_of(res);
            assert_eq!(body["start_url"], expected, "{start}");
        }
        let missing = manifest_for(dist.path(), "/staff/manifest.webmanifest", "/staff/x");
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }

    #[test]
    fn paths_that_could_leave_dist_are_refused() {
        for path in [
            "/../../etc/manifest.webmanifest",
            "/staff/../../x",
            "/%2e%2e/%2E%2E/x/manifest.webmanifest",
            "/a/..",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a%00b",
        ] {
            assert!(escapes_dist(path), "{path}");
        }
        for path in [
            "/",
            "/staff/manifest.webmanifest",
            "/k/acme/desk",
            "/a..b/c.js",
        ] {
            assert!(!escapes_dist(path), "{path}");
        }
        let dist = Path::new("dist");
        assert_eq!(
            inside(dist, "/staff/manifest.webmanifest"),
            Some(dist.join("staff/manifest.webmanifest"))
        );
        assert_eq!(inside(dist, "/../x"), None);
        assert_eq!(inside(dist, "/a/./b"), Some(dist.join("a/b")));
    }

    #[test]
    fn a_manifest_outside_dist_is_never_read() {
        let root = tempfile::tempdir().unwrap();
        let dist = root.path().join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(
            root.path().join("manifest.webmanifest"),
            r#"{"name":"outside"}"#,
        )
        .unwrap();
        let res = manifest_for(&dist, "/../manifest.webmanifest", "/");
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }

    /// The JSON body of a response built in memory.
    fn json_of(res: Response) -> serde_json::Value {
        let bytes = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(axum::body::to_bytes(res.into_body(), usize::MAX))
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }
}
