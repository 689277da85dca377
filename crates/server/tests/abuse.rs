//! End-to-end tests of the public API under abuse: a flood of filings from
//! one address held to its budget in events and in bytes, a store's daily
//! budget that stops public filings into it and alerts its staff once,
//! bodies not declared JSON refused with 415, and client addresses taken
//! from `X-Forwarded-For` only behind a trusted proxy. The real server runs
//! in-process on 127.0.0.1 (see `common`), on SQLite or, with
//! `RECOVERY_TEST_DATABASE_URL`, PostgreSQL.

mod common;

use common::{Fixture, Reply, get, push_json, request, slug, start};
use recovery_core::Event;
use recovery_core::testing::filed_event;
use recovery_server::staff::{self, StoreSettings};
use recovery_server::store::{Database, Mode};
use serde_json::{Value, json};

/// Creates `store` with the touchpoints the test filings name.
async fn add_store(fixture: &Fixture, store: &str) {
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    let mut settings = StoreSettings::new(slug(store), "A store");
    settings.touchpoints = Some(vec![slug("front-desk"), slug("checkout-2")]);
    db.transaction(Mode::Write, move |db| staff::put_store(db, &settings))
        .await
        .unwrap();
    db.close().await.unwrap();
}

/// `n` new filings from `first` on, into `store`, each described by `text`.
fn filings(first: u128, n: u128, store: &str, text: &str) -> Vec<Event> {
    (first..first + n)
        .map(|i| {
            let mut event = filed_event(i, 1_000_000 + i, 1_700_000_000_000, text);
            event.origin.store = slug(store);
            event
        })
        .collect()
}

/// The bytes the server charges for `events`: each one's JSON.
fn charged_bytes(events: &[Event]) -> u64 {
    events
        .iter()
        .map(|event| serde_json::to_string(event).unwrap().len() as u64)
        .sum()
}

fn stored(fixture: &Fixture, store: &str) -> usize {
    let rows = fixture.rows(&format!(
        "SELECT CAST(count(*) AS TEXT) FROM events WHERE store = '{store}'"
    ));
    rows[0][0].parse().unwrap()
}

/// Checks a refusal over a budget: 429 `rate_limited` with `Retry-After`
/// in the header and the body alike; returns the seconds.
fn assert_over_budget(reply: &Reply) -> u64 {
    assert_eq!(reply.status, 429, "{}", reply.text());
    let secs: u64 = reply
        .header("retry-after")
        .expect("a Retry-After header")
        .parse()
        .unwrap();
    assert!(secs >= 1);
    assert_eq!(
        reply.json(),
        json!({"error": "rate_limited", "retry_after": secs})
    );
    secs
}

/// The server's log lines while the guard lives: in-process tests run the
/// server's tasks on the test's own thread, where this subscriber is the
/// default.
#[derive(Clone, Default)]
struct Log(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn capture() -> (Log, tracing::subscriber::DefaultGuard) {
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::WARN)
            .with_writer(move || writer.clone())
            .finish();
        (log, tracing::subscriber::set_default(subscriber))
    }

    fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

/// A fixture with every budget off but the ones a test sets.
fn unlimited() -> Fixture {
    let mut fixture = Fixture::new();
    fixture.config.rate_limit = 0;
    let budgets = &mut fixture.config.budgets;
    budgets.address_events_per_minute = 0;
    budgets.address_bytes_per_minute = 0;
    budgets.store_events_per_day = 0;
    budgets.store_bytes_per_day = 0;
    fixture
}

#[tokio::test]
async fn a_flood_of_filings_from_one_address_is_held_to_its_budget_of_events() {
    let mut fixture = unlimited();
    // 50 a minute: a batch of 25 more needs 30 s of refill, far longer than
    // this test takes.
    fixture.config.budgets.address_events_per_minute = 50;
    add_store(&fixture, "demo").await;
    let server = start(&fixture.config).await;

    let (mut accepted, mut refused) = (0, 0);
    for batch in 0..10 {
        let events = filings(batch * 25, 25, "demo", "charged twice");
        let reply = push_json(server.addr, &json!({ "events": events }), None).await;
        if reply.status == 200 {
            accepted += 1;
        } else {
            let secs = assert_over_budget(&reply);
            // 25 events at 50 a minute: at most 30 s.
            assert!(secs <= 30, "{secs}");
            refused += 1;
        }
    }
    assert_eq!((accepted, refused), (2, 8));
    assert_eq!(stored(&fixture, "demo"), 50);

    // A staff session is not held to the public's per-address budget.
    let token = fixture.token("demo").await;
    let events = filings(1_000, 25, "demo", "charged twice");
    let reply = push_json(server.addr, &json!({ "events": events }), Some(&token)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(stored(&fixture, "demo"), 75);

    server.stop().await;
}

#[tokio::test]
async fn a_flood_of_long_filings_from_one_address_is_held_to_its_budget_of_bytes() {
    let mut fixture = unlimited();
    let long = "x".repeat(2_000);
    let batch_bytes = charged_bytes(&filings(0, 10, "demo", &long));
    // Room for two batches and a half: the third is refused.
    fixture.config.budgets.address_bytes_per_minute = batch_bytes * 5 / 2;
    add_store(&fixture, "demo").await;
    let server = start(&fixture.config).await;

    let (mut accepted_bytes, mut refused) = (0, 0);
    for batch in 0..8 {
        let events = filings(batch * 10, 10, "demo", &long);
        let reply = push_json(server.addr, &json!({ "events": events }), None).await;
        if reply.status == 200 {
            accepted_bytes += charged_bytes(&events);
        } else {
            assert_over_budget(&reply);
            refused += 1;
        }
    }
    assert_eq!(refused, 6);
    assert_eq!(accepted_bytes, 2 * batch_bytes);
    assert!(accepted_bytes <= fixture.config.budgets.address_bytes_per_minute);
    assert_eq!(stored(&fixture, "demo"), 20);

    server.stop().await;
}

#[tokio::test]
async fn a_stores_daily_budget_stops_public_filings_into_it_and_alerts_its_staff_once() {
    let mut fixture = unlimited();
    fixture.config.budgets.store_events_per_day = 30;
    add_store(&fixture, "demo").await;
    add_store(&fixture, "acme").await;
    let (log, _guard) = Log::capture();
    let server = start(&fixture.config).await;

    let addr = server.addr;
    let push = |events: Vec<Event>| {
        let body = json!({ "events": events });
        async move { push_json(addr, &body, None).await }
    };
    assert_eq!(push(filings(0, 25, "demo", "slow")).await.status, 200);
    // 5 left today: 10 more are refused whole, again and again.
    for round in 0..3 {
        let reply = push(filings(100 + round * 10, 10, "demo", "slow")).await;
        let secs = assert_over_budget(&reply);
        // 5 more events at 30 a day: about 4 hours.
        assert!(secs > 3_600, "{secs}");
    }
    assert_eq!(stored(&fixture, "demo"), 25);
    // Another store, even in the same push's address, is not affected.
    assert_eq!(push(filings(200, 10, "acme", "slow")).await.status, 200);
    // A batch naming the spent store is refused whole.
    let mut mixed = filings(300, 2, "acme", "slow");
    mixed.extend(filings(302, 10, "demo", "slow"));
    assert_over_budget(&push(mixed).await);
    assert_eq!(stored(&fixture, "acme"), 10);
    // The store's own staff still file into it.
    let token = fixture.token("demo").await;
    let staff_push = json!({ "events": filings(400, 10, "demo", "slow") });
    let reply = push_json(server.addr, &staff_push, Some(&token)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(stored(&fixture, "demo"), 35);

    // One alert for the store and the day, however many refusals.
    let auth = format!("Bearer {token}");
    let reply = get(
        server.addr,
        "/api/v1/stores/demo/alerts",
        &[("Authorization", &auth)],
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let alerts = reply.json()["alerts"].as_array().unwrap().clone();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let today = recovery_core::insights::date(
        recovery_server::store::now_ms().div_euclid(recovery_core::insights::DAY_MS),
    );
    assert_eq!(alerts[0]["day"], Value::from(today));
    assert_eq!(alerts[0]["kind"], "store_events");
    assert!(alerts[0]["at_ms"].as_i64().unwrap() > 0);
    let rows = fixture.rows("SELECT store, kind FROM store_alerts");
    assert_eq!(rows, [["demo", "store_events"]]);
    // And one warning in the log.
    let warnings: Vec<String> = log
        .lines()
        .into_iter()
        .filter(|line| line.contains("daily budget"))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("WARN"), "{warnings:?}");
    assert!(warnings[0].contains("store=demo"), "{warnings:?}");
    assert!(
        warnings[0].contains("kind=\"store_events\""),
        "{warnings:?}"
    );

    // Only the store's staff read them.
    let nobody = get(server.addr, "/api/v1/stores/demo/alerts", &[]).await;
    assert_eq!(nobody.status, 401);
    let acme = fixture.token("acme").await;
    let other = get(
        server.addr,
        "/api/v1/stores/demo/alerts",
        &[("Authorization", &format!("Bearer {acme}"))],
    )
    .await;
    assert_eq!(other.status, 403);
    let theirs = get(
        server.addr,
        "/api/v1/stores/acme/alerts",
        &[("Authorization", &format!("Bearer {acme}"))],
    )
    .await;
    assert_eq!(theirs.json(), json!({"alerts": []}));

    server.stop().await;
}

#[tokio::test]
async fn bodies_not_declared_json_get_415_before_any_work() {
    let fixture = unlimited();
    add_store(&fixture, "demo").await;
    let server = start(&fixture.config).await;
    let events = json!({ "events": filings(0, 1, "demo", "form") }).to_string();
    let login = json!({"staff": "ana", "pin": "246810"}).to_string();

    for path in ["/api/v1/events", "/api/v1/stores/demo/staff/login"] {
        let body = if path.ends_with("events") {
            &events
        } else {
            &login
        };
        for content_type in [
            Some("text/plain"),
            Some("text/plain;charset=UTF-8"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            Some("application/jsonx"),
            None,
        ] {
            let headers: Vec<(&str, &str)> = content_type
                .map(|value| ("Content-Type", value))
                .into_iter()
                .collect();
            let reply = request(server.addr, "POST", path, &headers, body.as_bytes()).await;
            assert_eq!(reply.status, 415, "{path} {content_type:?}");
            assert_eq!(reply.header("content-type"), Some("application/json"));
            assert_eq!(reply.json()["error"], "unsupported_media_type");
        }
    }
    assert_eq!(stored(&fixture, "demo"), 0);

    for content_type in ["application/json; charset=utf-8", "Application/JSON"] {
        let reply = request(
            server.addr,
            "POST",
            "/api/v1/events",
            &[("Content-Type", content_type)],
            events.as_bytes(),
        )
        .await;
        assert_eq!(reply.status, 200, "{content_type}");
    }
    assert_eq!(stored(&fixture, "demo"), 1);

    server.stop().await;
}

/// `GET` of a ticket nobody has, which only the public rate limit answers
/// otherwise than 404, claiming to come from `forwarded`.
async fn knock(addr: std::net::SocketAddr, forwarded: &str) -> u16 {
    let headers = [("X-Forwarded-For", forwarded)];
    get(addr, "/api/v1/tickets/K7M-3QX", &headers).await.status
}

#[tokio::test]
async fn forwarded_addresses_are_ignored_unless_the_peer_is_a_trusted_proxy() {
    let mut fixture = Fixture::new();
    fixture.config.rate_limit = 2;
    let server = start(&fixture.config).await;
    // Every request comes from 127.0.0.1: claiming other addresses does not
    // buy a fresh bucket.
    assert_eq!(knock(server.addr, "203.0.113.1").await, 404);
    assert_eq!(knock(server.addr, "203.0.113.2").await, 404);
    assert_eq!(knock(server.addr, "203.0.113.3").await, 429);
    server.stop().await;

    fixture.config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    let server = start(&fixture.config).await;
    assert_eq!(knock(server.addr, "203.0.113.1").await, 404);
    assert_eq!(knock(server.addr, "203.0.113.1").await, 404);
    assert_eq!(knock(server.addr, "203.0.113.1").await, 429);
    // Another client behind the proxy has its own bucket...
    assert_eq!(knock(server.addr, "203.0.113.2").await, 404);
    // ...but not one who writes a fresh address left of what the proxy
    // appended: the right-most untrusted address is the client.
    assert_eq!(knock(server.addr, "198.51.100.9, 203.0.113.1").await, 429);
    // Proxies in a chain are skipped.
    assert_eq!(knock(server.addr, "203.0.113.1, 127.0.0.5").await, 429);
    assert_eq!(knock(server.addr, "203.0.113.7, 127.0.0.5").await, 404);
    server.stop().await;
}
