//! End-to-end tests of the HTTP surface: the real server runs in-process on
//! 127.0.0.1 with a temporary dist directory and a real SQLite file, and is
//! spoken to over plain TCP with hand-written HTTP/1.1 requests (see
//! `common`).

mod common;

use common::{
    Fixture, HASHED_JS, HASHED_WASM, INDEX_HTML, Reply, TIMEOUT, WASM_BYTES, get, request, start,
};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

// ----------------------------------------------------------------- helpers

fn assert_security_headers(reply: &Reply, what: &str) {
    assert_eq!(
        reply.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        reply.header("referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
    assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        reply.header("permissions-policy"),
        Some("camera=(), microphone=(), geolocation=(), payment=()"),
        "{what}"
    );
    assert_eq!(
        reply.header("cross-origin-opener-policy"),
        Some("same-origin"),
        "{what}"
    );
    assert_eq!(
        reply.header("cross-origin-resource-policy"),
        Some("same-origin"),
        "{what}"
    );
    // Plain-HTTP loopback: HSTS is the TLS proxy's business.
    assert_eq!(reply.header("strict-transport-security"), None, "{what}");
}

/// The CSP source of an inline script, computed here independently of the
/// server's code.
fn sha256_source(script: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The exact policy of an HTML page allowing `hashes`.
fn page_csp(hashes: &[String], frame_ancestors: &str) -> String {
    let mut script_src = "'self' 'wasm-unsafe-eval'".to_owned();
    for hash in hashes {
        script_src = format!("{script_src} {hash}");
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {frame_ancestors}"
    )
}

const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// A shell as trunk writes it: minified, an inline module script that loads
/// the wasm, and a modulepreload link.
fn trunk_shell(name: &str) -> (String, String) {
    let script = format!(
        "import init, * as bindings from '/{name}-0123456789abcdef.js';\n\
         const wasm = await init({{ module_or_path: '/{name}-0123456789abcdef_bg.wasm' }});\n\
         window.wasmBindings = bindings;"
    );
    let html = format!(
        "<!doctype html><html lang=en><meta charset=utf-8><title>{name}</title>\
         <link href=/main-0123456789abcdef.css integrity=sha384-x rel=stylesheet>\
         <script type=module>{script}</script>\
         <link crossorigin href=/{name}-0123456789abcdef.js rel=modulepreload>\
         <script src=/external.js></script></head><body></body></html>"
    );
    (html, script)
}

fn insert_event(fixture: &Fixture, id: &str) {
    fixture.execute(&format!(
        "INSERT INTO events (id, case_id, store, touchpoint, device, kind, at_ms, received_at_ms, body)
         VALUES ('{id}', 'case-7', 'demo', 'checkout-2', 'tablet-1', 'opened', 1000, 2000, '{{\"note\":\"hi\"}}')"
    ));
}

fn migration_rows(fixture: &Fixture) -> Vec<Vec<String>> {
    fixture.rows(
        "SELECT CAST(version AS TEXT), name, CAST(applied_at_ms AS TEXT)
         FROM schema_migrations ORDER BY version",
    )
}

// ------------------------------------------------------------------- tests

#[tokio::test]
async fn health_reports_ok_database_and_crate_version() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;

    let reply = get(server.addr, "/api/v1/health", &[]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(
        reply.json(),
        json!({"status": "ok", "database": "ok", "version": env!("CARGO_PKG_VERSION")})
    );

    server.stop().await;
}

#[tokio::test]
async fn health_answers_503_when_the_database_query_fails() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;
    assert_eq!(get(server.addr, "/api/v1/health", &[]).await.status, 200);

    // Break the schema behind the server's back, as a corrupt or
    // hand-edited database would.
    fixture.execute("DROP TABLE schema_migrations");

    let reply = get(server.addr, "/api/v1/health", &[]).await;
    assert_eq!(reply.status, 503);
    assert_eq!(reply.json()["database"], "unavailable");
    assert_eq!(reply.json()["version"], env!("CARGO_PKG_VERSION"));

    server.stop().await;
}

#[tokio::test]
async fn client_side_routes_get_the_app_shell_with_status_200() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;

    for path in ["/c/demo/checkout-2", "/k/demo/front", "/", "/c/", "/apix"] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.text(), INDEX_HTML, "{path}");
        assert!(
            reply
                .header("content-type")
                .is_some_and(|t| t.starts_with("text/html")),
            "{path}: {:?}",
            reply.header("content-type")
        );
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    }

    server.stop().await;
}

const STAFF_HTML: &str = "<!doctype html><title>staff</title><body>staff shell</body>";
const TICKET_HTML: &str = "<!doctype html><title>ticket</title><body>ticket shell</body>";
const STAFF_JS: &str = "/staff/staff-0123456789abcdef.js";

fn html_no_cache(reply: &Reply, path: &str) {
    assert!(
        reply
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{path}: {:?}",
        reply.header("content-type")
    );
    assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
}

#[tokio::test]
async fn staff_routes_get_the_staff_app_and_its_files_or_503_when_it_is_not_built() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;

    // Not built yet: 503 with a hint, the customer's app is unaffected.
    for path in ["/staff", "/staff/", "/staff/demo/queue"] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(reply.status, 503, "{path}");
        assert!(
            reply.text().contains("staff app has not been built"),
            "{}",
            reply.text()
        );
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    }
    assert_eq!(get(server.addr, "/staffroom", &[]).await.text(), INDEX_HTML);

    let staff = fixture.config.dist.join("staff");
    std::fs::create_dir_all(&staff).unwrap();
    std::fs::write(staff.join("index.html"), STAFF_HTML).unwrap();
    std::fs::write(staff.join(&STAFF_JS[7..]), "export const staff = 1;").unwrap();
    for path in [
        "/staff",
        "/staff/",
        "/staff/demo/queue",
        "/staff/case/K7M-3QX",
    ] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.text(), STAFF_HTML, "{path}");
        html_no_cache(&reply, path);
    }
    let js = get(server.addr, STAFF_JS, &[]).await;
    assert_eq!(js.status, 200);
    assert_eq!(js.text(), "export const staff = 1;");
    assert_eq!(
        js.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let index = get(server.addr, "/staff/index.html", &[]).await;
    assert_eq!(index.text(), STAFF_HTML);
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    // A missing staff asset is a 404, not the shell.
    let missing = get(server.addr, "/staff/staff-ffffffffffffffff.js", &[]).await;
    assert_eq!(missing.status, 404);
    // The customer's app still answers its own routes.
    assert_eq!(
        get(server.addr, "/k/demo/front", &[]).await.text(),
        INDEX_HTML
    );

    server.stop().await;
}

#[tokio::test]
async fn the_qr_page_is_served_under_qr_or_503_when_it_is_not_built() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;
    let reply = get(server.addr, "/qr/", &[]).await;
    assert_eq!(reply.status, 503);
    assert!(
        reply.text().contains("QR page has not been built"),
        "{}",
        reply.text()
    );

    let qr = fixture.config.dist.join("qr");
    std::fs::create_dir_all(&qr).unwrap();
    std::fs::write(qr.join("index.html"), "<!DOCTYPE html><title>QR</title>").unwrap();
    for path in ["/qr", "/qr/"] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.text(), "<!DOCTYPE html><title>QR</title>", "{path}");
        html_no_cache(&reply, path);
        // Framed by this site's acknowledgement, by nobody else.
        assert_eq!(
            reply.header("x-frame-options"),
            Some("SAMEORIGIN"),
            "{path}"
        );
    }
    assert_eq!(
        get(server.addr, "/k/demo/front", &[])
            .await
            .header("x-frame-options"),
        Some("DENY")
    );
    assert_eq!(get(server.addr, "/qrcode", &[]).await.text(), INDEX_HTML);
    server.stop().await;
}

#[tokio::test]
async fn ticket_routes_get_the_ticket_page_when_it_is_built_else_the_customer_app() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;
    for path in ["/t", "/t/K7M-3QX"] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.text(), INDEX_HTML, "{path}");
    }

    let ticket = fixture.config.dist.join("ticket");
    std::fs::create_dir_all(&ticket).unwrap();
    std::fs::write(ticket.join("index.html"), TICKET_HTML).unwrap();
    std::fs::write(ticket.join("ticket.css"), "body { color: black }").unwrap();
    for path in ["/t", "/t/", "/t/K7M-3QX"] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.text(), TICKET_HTML, "{path}");
        html_no_cache(&reply, path);
    }
    let css = get(server.addr, "/ticket/ticket.css", &[]).await;
    assert_eq!(css.status, 200);
    assert_eq!(css.text(), "body { color: black }");
    for path in ["/tickets", "/c/demo/t"] {
        assert_eq!(
            get(server.addr, path, &[]).await.text(),
            INDEX_HTML,
            "{path}"
        );
    }

    server.stop().await;
}

#[tokio::test]
async fn unknown_api_paths_answer_json_404_never_the_app() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;

    for path in [
        "/api/v1/nope",
        "/api",
        "/api/",
        "/api/v1/health/extra",
        "/api/c/demo",
    ] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("application/json"),
            "{path}"
        );
        assert_eq!(reply.json(), json!({"error": "not_found"}), "{path}");
    }

    let reply = request(server.addr, "POST", "/api/v1/health", &[], b"").await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.json(), json!({"error": "method_not_allowed"}));

    server.stop().await;
}

#[tokio::test]
async fn hashed_assets_have_the_right_mime_and_are_cached_immutably() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;

    let wasm = get(server.addr, HASHED_WASM, &[]).await;
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(
        wasm.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(wasm.body, WASM_BYTES);

    let js = get(server.addr, HASHED_JS, &[]).await;
    assert_eq!(js.status, 200);
    assert!(
        js.header("content-type")
            .is_some_and(|t| t.contains("javascript")),
        "{:?}",
        js.header("content-type")
    );
    assert_eq!(
        js.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    server.stop().await;
}

#[tokio::test]
async fn index_html_and_the_service_worker_must_be_revalidated() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;

    let index = get(server.addr, "/index.html", &[]).await;
    assert_eq!(index.status, 200);
    assert_eq!(index.text(), INDEX_HTML);
    assert_eq!(index.header("cache-control"), Some("no-cache"));

    let sw = get(server.addr, "/sw.js", &[]).await;
    assert_eq!(sw.status, 200);
    assert_eq!(sw.header("cache-control"), Some("no-cache"));

    server.stop().await;
}

#[tokio::test]
async fn a_missing_asset_is_404_not_the_app_shell() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;

    let reply = get(server.addr, "/kiosk-ffffffffffffffff.js", &[]).await;
    assert_eq!(reply.status, 404);
    assert_ne!(reply.text(), INDEX_HTML);
    assert_eq!(reply.header("cache-control"), Some("no-cache"));

    server.stop().await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;

    for path in [
        "/",
        "/c/demo/checkout-2",
        "/api/v1/health",
        "/api/nope",
        HASHED_WASM,
        "/missing.js",
    ] {
        let reply = get(server.addr, path, &[]).await;
        assert_security_headers(&reply, path);
    }
    let post = request(server.addr, "POST", "/c/demo", &[], b"").await;
    assert_eq!(post.status, 405);
    assert_security_headers(&post, "POST /c/demo");

    server.stop().await;
}

#[tokio::test]
async fn responses_are_compressed_for_clients_that_accept_it() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;
    let original = std::fs::metadata(fixture.config.dist.join(&HASHED_JS[1..]))
        .unwrap()
        .len();

    for encoding in ["br", "gzip"] {
        let reply = request(
            server.addr,
            "GET",
            HASHED_JS,
            &[("Accept-Encoding", encoding)],
            b"",
        )
        .await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-encoding"), Some(encoding));
        assert!(
            (reply.body.len() as u64) < original / 4,
            "{encoding}: {} bytes of {original}",
            reply.body.len()
        );
    }
    let plain = get(server.addr, HASHED_JS, &[]).await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body.len() as u64, original);

    server.stop().await;
}

#[tokio::test]
async fn migrations_are_idempotent_and_data_survives_a_restart() {
    let fixture = Fixture::with_app();

    let first = start(&fixture.config).await;
    assert_eq!(get(first.addr, "/api/v1/health", &[]).await.status, 200);
    let migrations_before = migration_rows(&fixture);
    assert!(!migrations_before.is_empty());
    insert_event(&fixture, "event-1");
    first.stop().await;
    // A clean close checkpoints the WAL into the main file and removes it.
    assert!(
        !fixture.wal_path().exists(),
        "WAL left behind after shutdown"
    );

    let second = start(&fixture.config).await;
    assert_eq!(get(second.addr, "/api/v1/health", &[]).await.status, 200);
    assert_eq!(migration_rows(&fixture), migrations_before);
    let rows =
        fixture.rows("SELECT CAST(seq AS TEXT), case_id, body FROM events WHERE id = 'event-1'");
    assert_eq!(rows, [["1", "case-7", r#"{"note":"hi"}"#]]);
    second.stop().await;
}

#[tokio::test]
async fn a_missing_dist_gives_503_with_a_hint_and_the_api_keeps_working() {
    let fixture = Fixture::new();
    assert!(!fixture.config.dist.exists());
    let server = start(&fixture.config).await;

    for path in ["/", "/c/demo/checkout-2"] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(reply.status, 503, "{path}");
        assert!(reply.text().contains("not been built"), "{}", reply.text());
        assert!(reply.text().contains("README"), "{}", reply.text());
        assert_security_headers(&reply, path);
    }
    assert_eq!(get(server.addr, "/api/v1/health", &[]).await.status, 200);

    server.stop().await;
    // The SQLite file's directory was created on the way.
    assert_eq!(
        fixture.dir.path().join("data").is_dir(),
        !fixture.is_postgres()
    );
}

#[tokio::test]
async fn shutdown_does_not_wait_for_idle_keep_alive_connections() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;

    // One complete exchange on a keep-alive connection, which then stays
    // open and idle while the server is asked to stop.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "GET /api/v1/health HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0; 4096];
    let n = tokio::time::timeout(TIMEOUT, stream.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));

    let started = std::time::Instant::now();
    server.stop().await;
    assert!(
        started.elapsed() < recovery_server::SHUTDOWN_GRACE,
        "stop waited for the grace period: {:?}",
        started.elapsed()
    );
    // The server closed the idle connection on its way out.
    let n = tokio::time::timeout(TIMEOUT, stream.read(&mut buf))
        .await
        .unwrap()
        .unwrap_or(0);
    assert_eq!(n, 0);
}

#[tokio::test]
async fn html_pages_get_a_strict_csp_with_the_hashes_of_the_shells_inline_scripts() {
    let fixture = Fixture::with_app();
    let dist = fixture.config.dist.clone();
    let (kiosk, kiosk_script) = trunk_shell("kiosk");
    std::fs::write(dist.join("index.html"), &kiosk).unwrap();
    let (staff, staff_script) = trunk_shell("staff");
    std::fs::create_dir_all(dist.join("staff")).unwrap();
    std::fs::write(dist.join("staff/index.html"), &staff).unwrap();
    let server = start(&fixture.config).await;

    let hashes = vec![sha256_source(&kiosk_script), sha256_source(&staff_script)];
    for path in ["/", "/c/demo/checkout-2", "/staff/demo", "/index.html"] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(reply.status, 200, "{path}");
        let csp = reply.header("content-security-policy").unwrap();
        assert_eq!(csp, page_csp(&hashes, "'none'"), "{path}");
        assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"));
        assert_security_headers(&reply, path);
    }

    // A rebuild is picked up without a restart.
    let (rebuilt, rebuilt_script) = trunk_shell("kiosk-rebuilt");
    std::fs::write(dist.join("index.html"), &rebuilt).unwrap();
    let reply = get(server.addr, "/", &[]).await;
    assert_eq!(reply.text(), rebuilt);
    let hashes = vec![sha256_source(&rebuilt_script), sha256_source(&staff_script)];
    assert_eq!(
        reply.header("content-security-policy"),
        Some(page_csp(&hashes, "'none'").as_str())
    );

    // Scripts, wasm and styles carry no policy of their own (a service
    // worker would be bound by it).
    for path in [HASHED_JS, HASHED_WASM, "/sw.js"] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(reply.header("content-security-policy"), None, "{path}");
        assert_security_headers(&reply, path);
    }
    server.stop().await;
}

#[tokio::test]
async fn the_qr_page_may_be_framed_by_this_origin_only() {
    let fixture = Fixture::with_app();
    let (qr, qr_script) = trunk_shell("qr");
    std::fs::create_dir_all(fixture.config.dist.join("qr")).unwrap();
    std::fs::write(fixture.config.dist.join("qr/index.html"), &qr).unwrap();
    let server = start(&fixture.config).await;

    for path in ["/qr/", "/qr"] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.header("content-security-policy"),
            Some(page_csp(&[sha256_source(&qr_script)], "'self'").as_str()),
            "{path}"
        );
        assert_eq!(reply.header("x-frame-options"), Some("SAMEORIGIN"));
    }
    // The framing page allows same-origin frames and is never framed.
    let csp = get(server.addr, "/k/demo/front", &[]).await;
    let csp = csp.header("content-security-policy").unwrap();
    assert!(csp.contains("frame-src 'self'"), "{csp}");
    assert!(csp.ends_with("frame-ancestors 'none'"), "{csp}");
    server.stop().await;
}

#[tokio::test]
async fn api_answers_get_a_policy_that_allows_nothing() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;
    for path in [
        "/api/v1/health",
        "/api/nope",
        "/api/",
        "/api/v1/openapi.json",
    ] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(
            reply.header("content-security-policy"),
            Some(API_CSP),
            "{path}"
        );
        assert_security_headers(&reply, path);
    }
    let json = [("Content-Type", "application/json")];
    let post = request(server.addr, "POST", "/api/v1/events", &json, b"{").await;
    assert_eq!(post.status, 400);
    assert_eq!(post.header("content-security-policy"), Some(API_CSP));
    server.stop().await;
}

#[tokio::test]
async fn brotli_bodies_decompress_to_the_file_and_identity_is_the_default() {
    let fixture = Fixture::with_app();
    let (kiosk, _) = trunk_shell("kiosk");
    let kiosk = kiosk.repeat(4);
    std::fs::write(fixture.config.dist.join("index.html"), &kiosk).unwrap();
    let server = start(&fixture.config).await;
    let js = std::fs::read(fixture.config.dist.join(&HASHED_JS[1..])).unwrap();

    for (path, original) in [(HASHED_JS, js.as_slice()), ("/", kiosk.as_bytes())] {
        let reply = get(server.addr, path, &[("Accept-Encoding", "gzip;q=0.5, br")]).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-encoding"), Some("br"), "{path}");
        assert_eq!(reply.header("vary"), Some("accept-encoding"), "{path}");
        let mut decoded = Vec::new();
        std::io::Read::read_to_end(
            &mut brotli_decompressor::Decompressor::new(reply.body.as_slice(), 4096),
            &mut decoded,
        )
        .unwrap();
        assert_eq!(decoded, original, "{path}");

        let plain = get(server.addr, path, &[]).await;
        assert_eq!(plain.header("content-encoding"), None, "{path}");
        assert_eq!(plain.body, original, "{path}");
        let identity = get(server.addr, path, &[("Accept-Encoding", "identity")]).await;
        assert_eq!(identity.header("content-encoding"), None, "{path}");
    }
    // Cache headers survive compression.
    let reply = get(server.addr, HASHED_JS, &[("Accept-Encoding", "br")]).await;
    assert_eq!(
        reply.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let reply = get(server.addr, "/", &[("Accept-Encoding", "br")]).await;
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    // A build's precompressed twin goes out as it is (and is not compressed again).
    let twin = b"not really brotli, but the twin's bytes".to_vec();
    std::fs::write(
        fixture
            .config
            .dist
            .join(format!("{}.br", &HASHED_WASM[1..])),
        &twin,
    )
    .unwrap();
    let reply = get(server.addr, HASHED_WASM, &[("Accept-Encoding", "gzip, br")]).await;
    assert_eq!(reply.header("content-encoding"), Some("br"));
    assert_eq!(reply.body, twin);
    let plain = get(server.addr, HASHED_WASM, &[]).await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, WASM_BYTES);
    // A tiny body is not worth an encoding.
    let tiny = get(server.addr, "/sw.js", &[("Accept-Encoding", "br, gzip")]).await;
    assert_eq!(tiny.status, 200);
    assert_eq!(tiny.header("content-encoding"), None);
    server.stop().await;
}

/// Sends `request_line` as it is (no URL normalisation on the way) with
/// `Connection: close` and returns the whole raw answer.
async fn raw_get(addr: std::net::SocketAddr, target: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(TIMEOUT, stream.read_to_end(&mut answer))
        .await
        .unwrap()
        .unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_literal_dot_dot_in_the_request_line_reads_nothing_outside_dist() {
    let fixture = Fixture::with_app();
    // A JSON file beside dist, where `..` would lead.
    let outside = fixture.dir.path().join("private");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("manifest.webmanifest"),
        r#"{"name":"outside dist","scope":"/"}"#,
    )
    .unwrap();
    std::fs::write(fixture.dir.path().join("secret.txt"), "outside dist").unwrap();
    std::fs::write(
        fixture.config.dist.join("manifest.webmanifest"),
        r#"{"name":"Kiosk","scope":"/"}"#,
    )
    .unwrap();
    let server = start(&fixture.config).await;

    for target in [
        "/../private/manifest.webmanifest?start=/",
        "/../../private/manifest.webmanifest?start=/",
        "/staff/../../private/manifest.webmanifest?start=/",
        "/%2e%2e/private/manifest.webmanifest?start=/",
        "/%2E%2E/private/manifest.webmanifest",
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/assets/../../secret.txt",
    ] {
        let answer = raw_get(server.addr, target).await;
        assert!(answer.starts_with("HTTP/1.1 404"), "{target}: {answer}");
        assert!(!answer.contains("outside dist"), "{target}: {answer}");
    }
    // The app's own manifest is still served, with its start page.
    let answer = raw_get(server.addr, "/manifest.webmanifest?start=/k/acme/desk").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""start_url":"/k/acme/desk""#), "{answer}");
    server.stop().await;
}

#[tokio::test]
async fn every_file_chosen_among_precompressed_twins_says_vary_accept_encoding() {
    let fixture = Fixture::with_app();
    let dist = &fixture.config.dist;
    std::fs::write(dist.join(format!("{}.br", &HASHED_WASM[1..])), b"br twin").unwrap();
    std::fs::write(dist.join(format!("{}.gz", &HASHED_WASM[1..])), b"gz twin").unwrap();
    std::fs::write(dist.join("sw.js.br"), b"small br twin").unwrap();
    let server = start(&fixture.config).await;

    for (path, accept, encoding) in [
        (HASHED_WASM, Some("br"), Some("br")),
        (HASHED_WASM, Some("gzip"), Some("gzip")),
        (HASHED_WASM, None, None),
        (HASHED_WASM, Some("identity"), None),
        ("/sw.js", Some("br"), Some("br")),
        ("/sw.js", None, None),
        (HASHED_JS, Some("br"), Some("br")),
        (HASHED_JS, None, None),
    ] {
        let headers: Vec<(&str, &str)> = accept
            .map(|value| ("Accept-Encoding", value))
            .into_iter()
            .collect();
        let reply = get(server.addr, path, &headers).await;
        assert_eq!(reply.status, 200, "{path} {accept:?}");
        assert_eq!(
            reply.header("content-encoding"),
            encoding,
            "{path} {accept:?}"
        );
        let vary: Vec<&str> = reply
            .headers
            .iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case("vary"))
            .map(|(_, value)| value.as_str())
            .collect();
        assert_eq!(vary, ["accept-encoding"], "{path} {accept:?}");
    }
    server.stop().await;
}
