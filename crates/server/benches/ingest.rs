//! Ingest benchmark of the sync API: the real server in-process on
//! 127.0.0.1 with the rate limit and the push budgets off, and 50 concurrent clients, each on one
//! keep-alive HTTP/1.1 connection, pushing batches of 100 unique valid
//! "filed" events until 100,000 are sent. It runs on a temporary SQLite
//! file and, when `RECOVERY_TEST_DATABASE_URL` names a PostgreSQL database
//! (as `scripts/with-postgres.sh` sets it), on a fresh PostgreSQL database
//! next to it with one server instance, then with two (clients split
//! evenly across both), first with every client filing into one store, then
//! into 20 stores (client n into store n mod 20): a push locks only its
//! stores, so the many-store load is where a second instance may add
//! throughput.
//!
//! For each it prints total events, wall time, events per second and the
//! p50/p99 latency of one push. It asserts nothing about timings (they depend on
//! the machine); it only checks that every event was stored, so a fast but
//! wrong server cannot look good.
//!
//! Run: `cargo bench -p recovery-server --bench ingest`, or with PostgreSQL
//! `scripts/with-postgres.sh cargo bench -p recovery-server --bench ingest`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use recovery_core::Slug;
use recovery_core::testing::filed_event;
use recovery_server::Config;
use recovery_server::config::Budgets;
use recovery_server::staff::{StoreSettings, put_store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CLIENTS: usize = 50;
const BATCH: usize = 100;
const TOTAL_EVENTS: usize = 100_000;
/// The stores of the many-store load.
const MANY_STORES: usize = 20;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        addr: "127.0.0.1:0".parse().expect("address"),
        db: dir.path().join("bench.sqlite3"),
        dist: dir.path().join("dist"),
        rate_limit: 0,
        // One address pushes everything here: the per-address and per-store
        // budgets would measure themselves, not the ingest.
        budgets: Budgets {
            address_events_per_minute: 0,
            address_bytes_per_minute: 0,
            store_events_per_day: 0,
            store_bytes_per_day: 0,
            ..Budgets::default()
        },
        ..Config::default()
    };
    runtime.block_on(bench("SQLite", &config, 1, 1));
    match std::env::var("RECOVERY_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            for stores in [1, MANY_STORES] {
                for instances in [1, 2] {
                    let config = Config {
                        database_url: Some(fresh_database(&base, instances, stores)),
                        ..config.clone()
                    };
                    let label = format!("PostgreSQL, {instances} instance(s), {stores} store(s)");
                    runtime.block_on(bench(&label, &config, instances, stores));
                }
            }
        }
        _ => println!("(PostgreSQL not measured: run through scripts/with-postgres.sh for it)"),
    }
}

/// Creates an empty database next to the one `base` names and returns its
/// URL. Runs outside the async runtime: the synchronous client has its own.
fn fresh_database(base: &str, instances: usize, stores: usize) -> String {
    let name = format!("bench_{}_{instances}_{stores}", std::process::id());
    let mut client = postgres::Client::connect(base, postgres::NoTls).expect("connect");
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create database");
    let (prefix, _) = base.rsplit_once('/').expect("a URL ending in /DATABASE");
    format!("{prefix}/{name}")
}

/// The name of store `n` of `stores`: the testing events' own store when
/// there is one.
fn store_name(n: usize, stores: usize) -> String {
    if stores == 1 {
        "demo".into()
    } else {
        format!("store-{n:02}")
    }
}

/// The stores and touchpoint the benchmark's filings name (filings go only
/// into stores that exist, at their registered touchpoints).
async fn set_up_stores(config: &Config, stores: usize) {
    let db = recovery_server::store::Database::connect(&config.location())
        .await
        .expect("database");
    for n in 0..stores {
        let store = Slug::parse(&store_name(n, stores)).expect("slug");
        let mut settings = StoreSettings::new(store, "Bench store");
        settings.touchpoints = Some(vec![Slug::parse("checkout-2").expect("slug")]);
        db.transaction(recovery_server::store::Mode::Write, move |db| {
            put_store(db, &settings)
        })
        .await
        .expect("store set up");
    }
    db.close().await.expect("closed");
}

async fn bench(label: &str, config: &Config, instances: usize, stores: usize) {
    set_up_stores(config, stores).await;
    let mut addrs = Vec::new();
    let mut servers = Vec::new();
    for _ in 0..instances {
        let listener = TcpListener::bind(config.addr).await.expect("bind");
        addrs.push(listener.local_addr().expect("address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let config = config.clone();
        let server = tokio::spawn(async move {
            recovery_server::serve(&config, listener, async move {
                let _ = stopped.await;
            })
            .await
        });
        servers.push((stop, server));
    }

    // Bodies are built before the clock starts: the figure is the server's
    // work (and the loopback), not the client's JSON encoding.
    let batches_per_client = TOTAL_EVENTS / CLIENTS / BATCH;
    let mut bodies: Vec<Vec<Vec<u8>>> = Vec::with_capacity(CLIENTS);
    for client in 0..CLIENTS {
        let store = Slug::parse(&store_name(client % stores, stores)).expect("slug");
        let mut mine = Vec::with_capacity(batches_per_client);
        for batch in 0..batches_per_client {
            let events: Vec<_> = (0..BATCH)
                .map(|n| {
                    let unique = ((client * batches_per_client + batch) * BATCH + n) as u128;
                    let mut event = filed_event(
                        (1 << 64) | unique,
                        (2 << 64) | unique,
                        1_700_000_000_000 + unique as i64,
                        "the card was charged twice for one coffee",
                    );
                    event.origin.store = store.clone();
                    event
                })
                .collect();
            let body =
                serde_json::to_vec(&serde_json::json!({ "events": events })).expect("batch JSON");
            mine.push(body);
        }
        bodies.push(mine);
    }

    let started = Instant::now();
    let tasks: Vec<_> = bodies
        .into_iter()
        .enumerate()
        .map(|(n, mine)| tokio::spawn(client(addrs[n % addrs.len()], mine)))
        .collect();
    let mut latencies = Vec::with_capacity(TOTAL_EVENTS / BATCH);
    let mut stored = 0usize;
    for task in tasks {
        let (lat, ok) = task.await.expect("client task");
        latencies.extend(lat);
        stored += ok;
    }
    let wall = started.elapsed();

    for (stop, server) in servers {
        stop.send(()).expect("server still running");
        server
            .await
            .expect("server task")
            .expect("server stopped cleanly");
    }

    let sent = CLIENTS * batches_per_client * BATCH;
    assert_eq!(stored, sent, "every pushed event must be stored");
    latencies.sort_unstable();
    let pct = |p: f64| {
        let idx = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies[idx].as_secs_f64() * 1e3
    };
    println!(
        "ingest ({label}): {CLIENTS} clients, batches of {BATCH}, keep-alive HTTP/1.1 on 127.0.0.1"
    );
    println!("  events stored   {sent}");
    println!("  wall time       {:.2} s", wall.as_secs_f64());
    println!(
        "  throughput      {:.0} events/s",
        sent as f64 / wall.as_secs_f64()
    );
    println!(
        "  push latency    p50 {:.1} ms, p99 {:.1} ms",
        pct(0.50),
        pct(0.99)
    );
}

/// One device: pushes its batches one after another on one connection and
/// returns each push's latency and how many events were stored.
async fn client(addr: SocketAddr, bodies: Vec<Vec<u8>>) -> (Vec<Duration>, usize) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let mut latencies = Vec::with_capacity(bodies.len());
    let mut stored = 0;
    let mut buf = Vec::with_capacity(64 * 1024);
    for body in bodies {
        let head = format!(
            "POST /api/v1/events HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let sent = Instant::now();
        stream.write_all(head.as_bytes()).await.expect("write head");
        stream.write_all(&body).await.expect("write body");
        let (status, answer) = read_response(&mut stream, &mut buf).await;
        latencies.push(sent.elapsed());
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
        let answer: serde_json::Value = serde_json::from_slice(&answer).expect("JSON answer");
        stored += answer["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| r["status"] == "stored")
            .count();
    }
    (latencies, stored)
}

/// Reads one response with a `Content-Length` body (what the API sends to
/// a client that does not ask for compression) off a keep-alive stream.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> (u16, Vec<u8>) {
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).expect("ASCII head");
            let status: u16 = head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .expect("status");
            let length: usize = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .expect("content-length");
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await.expect("read body");
                assert!(n > 0, "connection closed mid-body");
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = buf[end + 4..end + 4 + length].to_vec();
            buf.drain(..end + 4 + length);
            return (status, body);
        }
        let n = stream.read(&mut chunk).await.expect("read head");
        assert!(n > 0, "connection closed before the answer");
        buf.extend_from_slice(&chunk[..n]);
    }
}
