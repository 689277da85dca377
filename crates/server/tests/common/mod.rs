//! Shared fixtures of the server's tests: a temp directory with a real
//! SQLite file, or, when `RECOVERY_TEST_DATABASE_URL` names a PostgreSQL
//! database, a fresh PostgreSQL database of its own per fixture (so tests
//! stay independent and may run in parallel); and, when asked for, a tiny
//! built app, the real server running in-process on 127.0.0.1, and requests
//! to it over a real socket through `reqwest` (no proxy, no compression
//! asked for unless a test asks, one fresh connection per request).

// Every test file includes this module and uses only part of it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use recovery_core::proof::Signer;
use recovery_core::{Event, Slug};
use recovery_server::Config;
use recovery_server::store::{Database, Mode};
use serde_json::Value;
use tokio::net::TcpListener;

/// A slug from a literal that is one.
#[allow(dead_code)] // not every test file uses every helper
pub fn slug(text: &str) -> Slug {
    Slug::parse(text).unwrap()
}

/// The demo store's Ana: staff, authority up to 25.00.
#[allow(dead_code)]
pub fn ana() -> recovery_core::StaffMember {
    recovery_core::StaffMember {
        id: slug("ana"),
        name: "Ana".into(),
        role: recovery_core::Role::Staff,
        limit_minor: 2500,
    }
}
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long any single exchange may take before the test fails instead of
/// hanging; never a measurement.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The built app's `index.html` in [`Fixture::with_app`].
pub const INDEX_HTML: &str = "<!doctype html><title>kiosk</title><body>app shell</body>";
/// A content-hashed script of the built app.
pub const HASHED_JS: &str = "/kiosk-0123456789abcdef.js";
/// A content-hashed WebAssembly module of the built app.
pub const HASHED_WASM: &str = "/kiosk-0123456789abcdef_bg.wasm";
/// The bytes of [`HASHED_WASM`].
pub const WASM_BYTES: &[u8] = b"\0asm\x01\0\0\0";

/// The environment variable that runs the suite on PostgreSQL: the URL of
/// a database whose user may create databases.
pub const ENV_TEST_DATABASE_URL: &str = "RECOVERY_TEST_DATABASE_URL";

/// The PostgreSQL URL the suite runs against, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var(ENV_TEST_DATABASE_URL)
        .ok()
        .filter(|url| !url.is_empty())
}

/// Runs `f` with a PostgreSQL client on a plain thread: the synchronous
/// client starts its own runtime, which must not nest in the test's.
pub fn with_postgres<R: Send + 'static>(
    url: &str,
    f: impl FnOnce(&mut postgres::Client) -> R + Send + 'static,
) -> R {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        f(&mut client)
    })
    .join()
    .unwrap()
}

/// Creates an empty database next to the one `base` names and returns its
/// URL.
pub fn fresh_postgres_database(base: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!(
        "test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let create = format!("CREATE DATABASE {name}");
    with_postgres(base, move |client| client.batch_execute(&create).unwrap());
    let (prefix, _db) = base.rsplit_once('/').expect("a URL ending in /DATABASE");
    format!("{prefix}/{name}")
}

/// A temp dir holding the database (or naming a fresh PostgreSQL one) and,
/// with [`Fixture::with_app`], a built app.
pub struct Fixture {
    /// The directory; it lives (and is removed) with the fixture.
    pub dir: tempfile::TempDir,
    /// The server's configuration (port 0 on 127.0.0.1).
    pub config: Config,
}

impl Fixture {
    /// A fresh directory and a config pointing into it (and, on
    /// PostgreSQL, at a fresh database); its dist directory does not exist
    /// (the app was never built).
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            db: dir.path().join("data").join("recovery.sqlite3"),
            database_url: postgres_url().map(|base| fresh_postgres_database(&base)),
            dist: dir.path().join("dist"),
            ..Config::default()
        };
        Fixture { dir, config }
    }

    /// Whether this fixture runs on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.config.database_url.is_some()
    }

    /// The command-line options naming this fixture's database.
    pub fn db_args(&self) -> Vec<std::ffi::OsString> {
        match &self.config.database_url {
            Some(url) => vec!["--database-url".into(), url.into()],
            None => vec!["--db".into(), self.config.db.clone().into()],
        }
    }

    /// Runs SQL statements on the database behind the server's back, as an
    /// operator (or a corrupt file) would.
    pub fn execute(&self, sql: &str) {
        match &self.config.database_url {
            Some(url) => {
                let sql = sql.to_owned();
                with_postgres(url, move |client| client.batch_execute(&sql).unwrap());
            }
            None => {
                let conn = rusqlite::Connection::open(&self.config.db).unwrap();
                conn.busy_timeout(Duration::from_secs(5)).unwrap();
                conn.execute_batch(sql).unwrap();
            }
        }
    }

    /// The rows of a query whose columns are all text (cast them with
    /// `CAST(x AS TEXT)`, which both databases read alike).
    pub fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        match &self.config.database_url {
            Some(url) => {
                let sql = sql.to_owned();
                with_postgres(url, move |client| {
                    client
                        .query(&sql, &[])
                        .unwrap()
                        .iter()
                        .map(|row| (0..row.len()).map(|i| row.get(i)).collect())
                        .collect()
                })
            }
            None => {
                let conn = rusqlite::Connection::open(&self.config.db).unwrap();
                let mut stmt = conn.prepare(sql).unwrap();
                let width = stmt.column_count();
                stmt.query_map([], |row| (0..width).map(|i| row.get(i)).collect())
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap()
            }
        }
    }

    /// A fresh directory with a tiny built app in its dist directory.
    pub fn with_app() -> Fixture {
        let fixture = Fixture::new();
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

    /// The SQLite file.
    pub fn db_path(&self) -> &Path {
        &self.config.db
    }

    /// The SQLite file's write-ahead log.
    pub fn wal_path(&self) -> PathBuf {
        PathBuf::from(format!("{}-wal", self.config.db.display()))
    }

    /// Issues a staff token for `store` through a second connection to the
    /// same database, as an operator would while the server runs.
    pub async fn token(&self, store: &str) -> String {
        let db = Database::connect(&self.config.location()).await.unwrap();
        let token = db
            .issue_staff_token(&Slug::parse(store).unwrap(), Some("test"), 30)
            .await
            .unwrap();
        db.close().await.unwrap();
        token
    }

    /// Registers the test signing key ([`seed_of`]) of each of `staff` in
    /// `store`, as their sign-ins on a tablet would.
    pub async fn register_keys(&self, store: &str, staff: &[&str]) {
        let db = Database::connect(&self.config.location()).await.unwrap();
        let (store, staff): (String, Vec<String>) = (
            store.to_owned(),
            staff.iter().map(|s| (*s).to_owned()).collect(),
        );
        db.transaction(Mode::Write, move |db| {
            for id in &staff {
                db.insert_staff_key(&recovery_server::store::KeyRow {
                    id: key_id_of(id),
                    store: store.clone(),
                    staff: id.clone(),
                    public_key: Signer::public_key_of(&seed_of(id)),
                    created_at_ms: 0,
                    revoked_at_ms: None,
                })?;
            }
            Ok(())
        })
        .await
        .unwrap();
        db.close().await.unwrap();
    }

    /// Makes `store` (touchpoints `front-desk` and `checkout-2`) with [`ana`] (PIN 246810).
    #[allow(dead_code)]
    pub async fn demo_store(&self, store: &str) {
        use recovery_server::staff::{self, StoreSettings};
        let db = Database::connect(&self.config.location()).await.unwrap();
        let mut settings = StoreSettings::new(slug(store), "Demo store");
        settings.touchpoints = Some(vec![slug("front-desk"), slug("checkout-2")]);
        db.transaction(Mode::Write, move |db| staff::put_store(db, &settings))
            .await
            .unwrap();
        let hash = recovery_core::PinHash::new("246810", &[7u8; 16], 1_000);
        let store = slug(store);
        db.transaction(Mode::Write, move |db| {
            Ok(staff::put_staff(db, &store, &ana(), &hash))
        })
        .await
        .unwrap()
        .unwrap();
        db.close().await.unwrap();
    }

    /// A session token of staff member `staff` of `store`, as a sign-in
    /// would make (without the PIN check), for tests of what a person may do.
    pub async fn session(&self, store: &str, staff: &str) -> String {
        let db = Database::connect(&self.config.location()).await.unwrap();
        let token = recovery_server::secrets::new_token().unwrap();
        let hash = recovery_server::secrets::sha256_hex(&token);
        let (store, staff) = (store.to_owned(), staff.to_owned());
        db.transaction(Mode::Write, move |db| {
            db.insert_staff_token(&recovery_server::store::TokenRow {
                hash: &hash,
                store: &store,
                label: Some("test session"),
                staff: Some(&staff),
                created_at_ms: recovery_server::store::now_ms(),
                expires_at_ms: None,
            })
        })
        .await
        .unwrap();
        db.close().await.unwrap();
        token
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        // Best effort: the test cluster is thrown away anyway.
        if let (Some(base), Some(url)) = (postgres_url(), self.config.database_url.clone()) {
            let name = url.rsplit_once('/').map(|(_, name)| name.to_owned());
            if let Some(name) = name {
                let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let _ = std::thread::spawn(move || {
                    let mut client = postgres::Client::connect(&base, postgres::NoTls).ok()?;
                    client.batch_execute(&drop).ok()
                })
                .join();
            }
        }
    }
}

/// The test signing seed of staff member `staff` (never a real key).
pub fn seed_of(staff: &str) -> [u8; 32] {
    let mut seed = [0x5a; 32];
    for (byte, id) in seed.iter_mut().zip(staff.bytes()) {
        *byte = id;
    }
    seed
}

/// The key id [`Fixture::register_keys`] gives `staff`'s test key.
pub fn key_id_of(staff: &str) -> String {
    format!("test-key-{staff}")
}

/// `event` signed with the test key of the staff member it names, as a
/// shared tablet signs the steps of whoever is signed in; other events as
/// they are.
pub fn signed(mut event: Event) -> Event {
    if let Some(actor) = event.kind.actor() {
        let id = actor.staff.as_str().to_owned();
        Signer::from_seed(key_id_of(&id), &seed_of(&id)).sign(&mut event);
    }
    event
}

/// `event` as its device sent it: without the note of its arrival that the
/// server adds (see `recovery_core::DeviceClock`).
#[allow(dead_code)]
pub fn as_sent(mut event: Event) -> Event {
    if let Some(clock) = &mut event.clock {
        assert!(clock.received_at.is_some(), "the server notes each arrival");
        clock.received_at = None;
        if clock.skew_ms.is_none() {
            event.clock = None;
        }
    }
    event
}

/// A server running in this process.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), recovery_server::Error>>,
}

/// The stores every test may file into, and their touchpoints (those of
/// `recovery_core::testing`'s events): filings elsewhere are refused.
pub const STORES: [&str; 2] = ["demo", "other"];
/// The touchpoints of [`STORES`].
pub const TOUCHPOINTS: [&str; 2] = ["front-desk", "checkout-2"];

/// Creates the [`STORES`] that do not exist yet (a test's own settings, and
/// a restarted server's data, are kept).
async fn ensure_stores(config: &Config) {
    let db = Database::connect(&config.location()).await.unwrap();
    db.transaction(Mode::Write, |db| {
        for store in STORES {
            if db.store(store)?.is_none() {
                let mut settings = recovery_server::staff::StoreSettings::new(
                    Slug::parse(store).unwrap(),
                    "Test store",
                );
                settings.touchpoints = Some(
                    TOUCHPOINTS
                        .iter()
                        .map(|t| Slug::parse(t).unwrap())
                        .collect(),
                );
                recovery_server::staff::put_store(db, &settings)?;
            }
        }
        Ok(())
    })
    .await
    .unwrap();
    db.close().await.unwrap();
}

/// Starts the real server with `config` on a fresh 127.0.0.1 port, with the
/// [`STORES`] in its database.
pub async fn start(config: &Config) -> Running {
    ensure_stores(config).await;
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
    /// Asks the server to stop and waits until it has closed the database.
    pub async fn stop(self) {
        self.stop.send(()).unwrap();
        tokio::time::timeout(TIMEOUT, self.task)
            .await
            .expect("server did not stop in time")
            .expect("server task panicked")
            .expect("server stopped with an error");
    }
}

/// A parsed HTTP answer.
#[derive(Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// The (de-chunked) body.
    pub body: Vec<u8>,
}

impl Reply {
    /// The first header called `name`, any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as text; fails the test when it is not UTF-8.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("body is UTF-8")
    }

    /// The `error` code of an API error body; empty when there is none.
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }

    /// The body as JSON; fails the test when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!(
                "body is not JSON ({err}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// A client for one request: no proxy (the server is on 127.0.0.1 whatever
/// the environment says), no pooled connection shared between requests or
/// runtimes, and [`TIMEOUT`] for the whole exchange.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
        .timeout(TIMEOUT)
        .build()
        .expect("an HTTP client")
}

/// Sends one request on a fresh connection and reads the whole answer.
/// A body goes with every method but GET, HEAD and OPTIONS (an empty one
/// as `Content-Length: 0`), or with any method when it is not empty.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let with_body = !body.is_empty() || !matches!(method, "GET" | "HEAD" | "OPTIONS");
    send(
        addr,
        method,
        path,
        headers,
        with_body.then(|| body.to_vec().into()),
    )
    .await
}

/// `POST path` with a JSON `body` sent in chunks, without a length up front.
pub async fn post_chunked(addr: SocketAddr, path: &str, chunks: Vec<Vec<u8>>) -> Reply {
    use http_body_util::StreamBody;
    let frames = chunks.into_iter().map(|chunk| {
        Ok::<_, std::io::Error>(http_body::Frame::data(axum::body::Bytes::from(chunk)))
    });
    let body = StreamBody::new(futures_util::stream::iter(frames));
    let json = [("Content-Type", "application/json")];
    send(addr, "POST", path, &json, Some(reqwest::Body::wrap(body))).await
}

async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<reqwest::Body>,
) -> Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("an HTTP method");
    let mut request = client().request(method, format!("http://{addr}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.body(body);
    }
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    let body = response.bytes().await.expect("the whole body").to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

/// `GET path` with these headers.
pub async fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Reply {
    request(addr, "GET", path, headers, b"").await
}

/// `POST /api/v1/events` with this JSON body and optional staff token.
pub async fn push_json(addr: SocketAddr, body: &Value, token: Option<&str>) -> Reply {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("Authorization", auth.as_str()));
    }
    request(
        addr,
        "POST",
        "/api/v1/events",
        &headers,
        body.to_string().as_bytes(),
    )
    .await
}

/// Pushes `events` as a customer device (no token) and returns the results
/// after checking the answer is a 200 with one result per event.
pub async fn push(addr: SocketAddr, events: &[Event]) -> Vec<Value> {
    let body = serde_json::json!({ "events": events });
    let reply = push_json(addr, &body, None).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let results = reply.json()["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), events.len());
    results
}

/// `GET /api/v1/stores/{store}/events?{query}` with a staff token.
pub async fn pull(addr: SocketAddr, store: &str, query: &str, token: &str) -> Reply {
    let auth = format!("Bearer {token}");
    get(
        addr,
        &format!("/api/v1/stores/{store}/events?{query}"),
        &[("Authorization", &auth)],
    )
    .await
}

/// Every event of `store`, following the cursor until `more` is false.
pub async fn pull_all(addr: SocketAddr, store: &str, token: &str) -> Vec<(i64, Event)> {
    let mut after = 0;
    let mut all = Vec::new();
    loop {
        let reply = pull(addr, store, &format!("after={after}&limit=1000"), token).await;
        assert_eq!(reply.status, 200);
        let page = reply.json();
        for item in page["events"].as_array().unwrap() {
            let event: Event = serde_json::from_value(item["event"].clone()).unwrap();
            all.push((item["seq"].as_i64().unwrap(), event));
        }
        after = page["next"].as_i64().unwrap();
        if !page["more"].as_bool().unwrap() {
            return all;
        }
    }
}
