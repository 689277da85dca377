//! The live feed, over real sockets: a store's signed-in tablets hear at once that it has news
//! (from a push to this instance or, on PostgreSQL, to another one), never another store's;
//! the door is staff-only, counted, and closes when the server stops.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{Fixture, get, push, start};
use recovery_core::testing::filed_event;
use recovery_server::live::STREAMS_PER_STORE;

/// An open stream, read message by message.
struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    async fn open(addr: SocketAddr, store: &str, token: &str) -> Result<Stream, u16> {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let response = client
            .get(format!("http://{addr}/api/v1/stores/{store}/stream"))
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        if response.status() != 200 {
            return Err(response.status().as_u16());
        }
        let kind = response.headers()["content-type"].to_str().unwrap();
        assert_eq!(kind, "text/event-stream");
        Ok(Stream {
            response,
            buffer: String::new(),
        })
    }

    /// The next message that is not a keep-alive comment, or `None` when the stream ended or
    /// nothing came within `wait`.
    async fn next(&mut self, wait: Duration) -> Option<String> {
        let until = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let message: String = self.buffer.drain(..end + 2).collect();
                if !message.starts_with(':') {
                    return Some(message);
                }
            }
            let chunk = tokio::time::timeout_at(until, self.response.chunk()).await;
            match chunk {
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }
}

fn is_news(message: Option<&str>) -> bool {
    message.is_some_and(|m| m.starts_with("event: news\ndata: "))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tablet_hears_of_its_stores_filings_at_once_and_never_of_another_store() {
    let fixture = Fixture::new();
    let token = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    let mut stream = Stream::open(server.addr, "demo", &token).await.unwrap();
    // At once on connecting: the tablet pulls what it missed while away.
    assert!(is_news(
        stream.next(Duration::from_secs(5)).await.as_deref()
    ));

    let mut latencies = Vec::new();
    for n in 1..=5u128 {
        let sent = Instant::now();
        let results = push(server.addr, &[filed_event(n, n, 1_700_000_000_000, "x")]).await;
        assert_eq!(results[0]["status"], "stored");
        assert!(is_news(
            stream.next(Duration::from_secs(5)).await.as_deref()
        ));
        latencies.push(sent.elapsed());
    }
    println!("push answered to news on the stream: {latencies:?}");

    // A replay stores nothing; another store's filing is not this store's news.
    let replay = push(server.addr, &[filed_event(1, 1, 1_700_000_000_000, "x")]).await;
    assert_eq!(replay[0]["status"], "duplicate");
    let mut other = filed_event(9, 9, 1_700_000_000_000, "x");
    other.origin.store = common::slug("other");
    assert_eq!(push(server.addr, &[other]).await[0]["status"], "stored");
    assert_eq!(stream.next(Duration::from_millis(500)).await, None);

    // Stopping the server ends the stream (it does not hold the shutdown).
    let stopping = Instant::now();
    server.stop().await;
    assert!(stopping.elapsed() < recovery_server::SHUTDOWN_GRACE);
    assert_eq!(stream.next(Duration::from_secs(5)).await, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_is_for_the_stores_staff_and_counted() {
    let fixture = Fixture::new();
    let demo = fixture.token("demo").await;
    let other = fixture.token("other").await;
    let server = start(&fixture.config).await;
    let path = "/api/v1/stores/demo/stream";
    assert_eq!(get(server.addr, path, &[]).await.status, 401);
    let wrong = format!("Bearer {other}");
    assert_eq!(
        get(server.addr, path, &[("Authorization", &wrong)])
            .await
            .status,
        403
    );
    let mut open = Vec::new();
    for _ in 0..STREAMS_PER_STORE {
        open.push(Stream::open(server.addr, "demo", &demo).await.unwrap());
    }
    assert_eq!(
        Stream::open(server.addr, "demo", &demo).await.err(),
        Some(429)
    );
    // Another store has its own budget.
    assert!(Stream::open(server.addr, "other", &other).await.is_ok());
    drop(open);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_postgresql_a_filing_on_one_instance_reaches_the_tablets_of_another() {
    let fixture = Fixture::new();
    if !fixture.is_postgres() {
        // Several instances need PostgreSQL (see docs/operations.md); SQLite is one instance.
        eprintln!("skipped: set RECOVERY_TEST_DATABASE_URL to run on PostgreSQL");
        return;
    }
    let token = fixture.token("demo").await;
    let a = start(&fixture.config).await;
    let b = start(&fixture.config).await;
    let mut on_b = Stream::open(b.addr, "demo", &token).await.unwrap();
    assert!(is_news(on_b.next(Duration::from_secs(5)).await.as_deref()));
    let mut latencies = Vec::new();
    for n in 1..=5u128 {
        // Quiet spells longer than the listener's one-second wait come between pushes.
        tokio::time::sleep(Duration::from_millis(1_300)).await;
        let sent = Instant::now();
        let results = push(a.addr, &[filed_event(n, n, 1_700_000_000_000, "x")]).await;
        assert_eq!(results[0]["status"], "stored");
        assert!(
            is_news(on_b.next(Duration::from_secs(5)).await.as_deref()),
            "instance b never heard of filing {n} on instance a"
        );
        latencies.push(sent.elapsed());
    }
    println!("push on a to news on b: {latencies:?}");
    a.stop().await;
    b.stop().await;
}
