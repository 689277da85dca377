//! End-to-end tests of the HTTP surface: the real server runs in-process on
//! 127.0.0.1 with a temporary dist directory and a real SQLite file, and is
//! spoken to over plain TCP with hand-written HTTP/1.1 requests.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use recovery_server::Config;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const INDEX_HTML: &str = "<!doctype html><title>kiosk</title><body>app shell</body>";
const HASHED_JS: &str = "/kiosk-0123456789abcdef.js";
const HASHED_WASM: &str = "/kiosk-0123456789abcdef_bg.wasm";
const WASM_BYTES: &[u8] = b"\0asm\x01\0\0\0";
const TIMEOUT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------- fixtures

struct Fixture {
    dir: tempfile::TempDir,
    config: Config,
}

impl Fixture {
    /// A temp dir with a tiny built app and a database path inside it.
    fn with_app() -> Fixture {
        let fixture = Fixture::without_app();
        let dist = &fixture.config.dist;
        std::fs::create_dir_all(dist).unwrap();
        std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
        std::fs::write(
            dist.join("sw.js"),
            "self.addEventListener('fetch', () => {});",
        )
        .unwrap();
        // Big and repetitive enough for the compression layer to bother.
        std::fs::write(
            dist.join(&HASHED_JS[1..]),
            "export function start() { return 1; }\n".repeat(200),
        )
        .unwrap();
        std::fs::write(dist.join(&HASHED_WASM[1..]), WASM_BYTES).unwrap();
        fixture
    }

    /// A temp dir whose dist directory does not exist (app never built).
    fn without_app() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            db: dir.path().join("data").join("recovery.sqlite3"),
            dist: dir.path().join("dist"),
            ..Config::default()
        };
        Fixture { dir, config }
    }

    fn db_path(&self) -> &Path {
        &self.config.db
    }

    fn wal_path(&self) -> PathBuf {
        PathBuf::from(format!("{}-wal", self.config.db.display()))
    }
}

struct Running {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), recovery_server::Error>>,
}

async fn start(config: &Config) -> Running {
    let listener = TcpListener::bind(config.addr).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let config = config.clone();
    let task = tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        recovery_server::serve(&config, listener, shutdown).await
    });
    Running { addr, stop, task }
}

impl Running {
    async fn stop(self) {
        self.stop.send(()).unwrap();
        tokio::time::timeout(TIMEOUT, self.task)
            .await
            .expect("server did not stop in time")
            .expect("server task panicked")
            .expect("server stopped with an error");
    }
}

// ------------------------------------------------------ minimal HTTP client

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("body is UTF-8")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("body is JSON")
    }
}

async fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path, &[]).await
}

async fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if method != "GET" && method != "HEAD" {
            head.push_str("Content-Length: 0\r\n");
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        raw
    };
    let raw = tokio::time::timeout(TIMEOUT, exchange)
        .await
        .expect("no reply in time");
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("header line");
            (name.trim().to_owned(), value.trim().to_owned())
        })
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("transfer-encoding") && value.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = std::str::from_utf8(&data[..line_end]).unwrap();
        let size_text = size_text.split(';').next().unwrap().trim();
        let size = usize::from_str_radix(size_text, 16).expect("hex chunk size");
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

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
}

fn insert_event(db: &Path, id: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn.execute(
        "INSERT INTO events (id, case_id, store, touchpoint, device, kind, at_ms, received_at_ms, body)
         VALUES (?1, 'case-7', 'demo', 'checkout-2', 'tablet-1', 'opened', 1000, 2000, '{\"note\":\"hi\"}')",
        [id],
    )
    .unwrap();
}

fn migration_rows(db: &Path) -> Vec<(i64, String, i64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT version, name, applied_at_ms FROM schema_migrations ORDER BY version")
        .unwrap();
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

// ------------------------------------------------------------------- tests

#[tokio::test]
async fn health_reports_ok_database_and_crate_version() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;

    let reply = get(server.addr, "/api/v1/health").await;
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
    assert_eq!(get(server.addr, "/api/v1/health").await.status, 200);

    // Break the schema behind the server's back, as a corrupt or
    // hand-edited file would.
    let conn = rusqlite::Connection::open(fixture.db_path()).unwrap();
    conn.execute_batch("DROP TABLE schema_migrations").unwrap();
    drop(conn);

    let reply = get(server.addr, "/api/v1/health").await;
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
        let reply = get(server.addr, path).await;
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
        let reply = get(server.addr, path).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("application/json"),
            "{path}"
        );
        assert_eq!(reply.json(), json!({"error": "not_found"}), "{path}");
    }

    let reply = request(server.addr, "POST", "/api/v1/health", &[]).await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.json(), json!({"error": "method_not_allowed"}));

    server.stop().await;
}

#[tokio::test]
async fn hashed_assets_have_the_right_mime_and_are_cached_immutably() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;

    let wasm = get(server.addr, HASHED_WASM).await;
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(
        wasm.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(wasm.body, WASM_BYTES);

    let js = get(server.addr, HASHED_JS).await;
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

    let index = get(server.addr, "/index.html").await;
    assert_eq!(index.status, 200);
    assert_eq!(index.text(), INDEX_HTML);
    assert_eq!(index.header("cache-control"), Some("no-cache"));

    let sw = get(server.addr, "/sw.js").await;
    assert_eq!(sw.status, 200);
    assert_eq!(sw.header("cache-control"), Some("no-cache"));

    server.stop().await;
}

#[tokio::test]
async fn a_missing_asset_is_404_not_the_app_shell() {
    let fixture = Fixture::with_app();
    let server = start(&fixture.config).await;

    let reply = get(server.addr, "/kiosk-ffffffffffffffff.js").await;
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
        let reply = get(server.addr, path).await;
        assert_security_headers(&reply, path);
    }
    let post = request(server.addr, "POST", "/c/demo", &[]).await;
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
    let plain = get(server.addr, HASHED_JS).await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body.len() as u64, original);

    server.stop().await;
}

#[tokio::test]
async fn migrations_are_idempotent_and_data_survives_a_restart() {
    let fixture = Fixture::with_app();

    let first = start(&fixture.config).await;
    assert_eq!(get(first.addr, "/api/v1/health").await.status, 200);
    let migrations_before = migration_rows(fixture.db_path());
    assert!(!migrations_before.is_empty());
    insert_event(fixture.db_path(), "event-1");
    first.stop().await;
    // A clean close checkpoints the WAL into the main file and removes it.
    assert!(
        !fixture.wal_path().exists(),
        "WAL left behind after shutdown"
    );

    let second = start(&fixture.config).await;
    assert_eq!(get(second.addr, "/api/v1/health").await.status, 200);
    assert_eq!(migration_rows(fixture.db_path()), migrations_before);
    let conn = rusqlite::Connection::open(fixture.db_path()).unwrap();
    let (seq, case_id, body): (i64, String, String) = conn
        .query_row(
            "SELECT seq, case_id, body FROM events WHERE id = 'event-1'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    drop(conn);
    assert_eq!(
        (seq, case_id.as_str(), body.as_str()),
        (1, "case-7", r#"{"note":"hi"}"#)
    );
    second.stop().await;
}

#[tokio::test]
async fn a_missing_dist_gives_503_with_a_hint_and_the_api_keeps_working() {
    let fixture = Fixture::without_app();
    assert!(!fixture.config.dist.exists());
    let server = start(&fixture.config).await;

    for path in ["/", "/c/demo/checkout-2"] {
        let reply = get(server.addr, path).await;
        assert_eq!(reply.status, 503, "{path}");
        assert!(reply.text().contains("not been built"), "{}", reply.text());
        assert!(reply.text().contains("README"), "{}", reply.text());
        assert_security_headers(&reply, path);
    }
    assert_eq!(get(server.addr, "/api/v1/health").await.status, 200);

    server.stop().await;
    assert!(fixture.dir.path().join("data").is_dir());
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
