//! Two server instances over one database, as behind a load balancer: on
//! PostgreSQL (with `RECOVERY_TEST_DATABASE_URL`, see `common`) this is the
//! stateless multi-instance mode; on SQLite it is two servers sharing one
//! file. Concurrent pushes into two stores go through both, replays go to the
//! other instance, and a reader of one store pages through both while pushes land.

mod common;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use common::{Fixture, TIMEOUT, pull, push, start};
use recovery_core::Event;
use recovery_core::testing::filed_event;
use recovery_server::store::postgres::{PUSH_LOCK, STORE_LOCKS};
use serde_json::Value;

const WRITERS: u128 = 6;
const BATCHES: u128 = 8;
const BATCH: u128 = 10;

fn statuses(results: &[Value]) -> Vec<String> {
    results
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect()
}

/// A writer's batch: even writers file into demo, odd ones into "other", so pushes into two
/// stores run side by side (on PostgreSQL each store's pushes take its own lock).
fn batch(writer: u128, batch: u128) -> Vec<Event> {
    let store = if writer.is_multiple_of(2) {
        "demo"
    } else {
        "other"
    };
    (0..BATCH)
        .map(|n| filed_in(store, 1 + (writer * BATCHES + batch) * BATCH + n))
        .collect()
}

/// A filing into `store` (the test stores share their touchpoints).
fn filed_in(store: &str, id: u128) -> Event {
    let mut event = filed_event(id, 100_000 + id, 1_700_000_000_000, "two instances");
    event.origin.store = recovery_core::Slug::parse(store).unwrap();
    event
}

/// Holds an advisory lock in a transaction of its own connection (a plain thread: the
/// synchronous client must not run inside the test's runtime) until told to let go.
fn hold_lock(url: &str, sql: String) -> (mpsc::Sender<()>, std::thread::JoinHandle<()>) {
    let (release, released) = mpsc::channel::<()>();
    let (held, holding) = mpsc::channel::<()>();
    let url = url.to_owned();
    let thread = std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let mut tx = client.transaction().unwrap();
        tx.batch_execute(&sql).unwrap();
        held.send(()).unwrap();
        let _ = released.recv();
        tx.commit().unwrap();
    });
    holding.recv().unwrap();
    (release, thread)
}

/// Reads one page after `after`, returning `(seq, event id)` pairs and
/// whether more follow.
async fn page(addr: SocketAddr, token: &str, after: i64) -> (Vec<(i64, String)>, bool) {
    let reply = pull(addr, "demo", &format!("after={after}&limit=7"), token).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let page = reply.json();
    let events = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let id = item["event"]["id"].as_str().unwrap().to_owned();
            (item["seq"].as_i64().unwrap(), id)
        })
        .collect();
    (events, page["more"].as_bool().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_store_each_event_once_and_pull_cursors_stay_gap_free() {
    let fixture = Fixture::new();
    let token = fixture.token("demo").await;
    let a = start(&fixture.config).await;
    let b = start(&fixture.config).await;
    assert_ne!(a.addr, b.addr);
    let addrs = [a.addr, b.addr];

    // Writers push through alternating instances; each answered batch is
    // replayed to the other instance, and every other batch is also sent
    // to both at the same moment.
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        writers.push(tokio::spawn(async move {
            for n in 0..BATCHES {
                let events = batch(writer, n);
                let here = addrs[((writer + n) % 2) as usize];
                let there = addrs[((writer + n + 1) % 2) as usize];
                if n % 2 == 0 {
                    let first = statuses(&push(here, &events).await);
                    assert!(first.iter().all(|s| s == "stored"), "{first:?}");
                } else {
                    let (left, right) = tokio::join!(push(here, &events), push(there, &events));
                    let (left, right) = (statuses(&left), statuses(&right));
                    for (l, r) in left.iter().zip(&right) {
                        let mut pair = [l.as_str(), r.as_str()];
                        pair.sort_unstable();
                        assert_eq!(pair, ["duplicate", "stored"], "{left:?} {right:?}");
                    }
                }
                let replay = statuses(&push(there, &events).await);
                assert!(replay.iter().all(|s| s == "duplicate"), "{replay:?}");
            }
        }));
    }

    // Meanwhile a reader follows the cursor through both instances, and
    // once the writers are done, reads on to the end.
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let token = token.clone();
        let done = Arc::clone(&done);
        tokio::spawn(async move {
            let mut seen = Vec::new();
            let mut after = 0;
            for turn in 0.. {
                let finished = done.load(Ordering::Acquire);
                let (events, more) = page(addrs[turn % 2], &token, after).await;
                if let Some((seq, _)) = events.last() {
                    after = *seq;
                }
                seen.extend(events);
                if finished && !more {
                    break;
                }
                tokio::task::yield_now().await;
            }
            seen
        })
    };

    for writer in writers {
        writer.await.unwrap();
    }
    done.store(true, Ordering::Release);
    let seen = reader.await.unwrap();

    let seqs: Vec<i64> = seen.iter().map(|(seq, _)| *seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "seqs not ascending: {seqs:?}"
    );
    let ids: HashSet<&str> = seen.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(ids.len(), seen.len(), "an event was read twice");
    // Demo's events, each once, and none of the other store's.
    let expected: HashSet<String> = (0..WRITERS)
        .filter(|w| w.is_multiple_of(2))
        .flat_map(|w| (0..BATCHES).flat_map(move |n| batch(w, n)))
        .map(|event| event.id.to_string())
        .collect();
    let ids: HashSet<String> = ids.into_iter().map(str::to_owned).collect();
    assert_eq!(ids, expected, "the reader missed events or saw others");

    // A fresh reader paging from zero through both sees the same sequence.
    let mut again = Vec::new();
    let mut after = 0;
    for turn in 0.. {
        let (events, more) = page(addrs[turn % 2], &token, after).await;
        if let Some((seq, _)) = events.last() {
            after = *seq;
        }
        again.extend(events);
        if !more {
            break;
        }
    }
    assert_eq!(again, seen);

    a.stop().await;
    b.stop().await;
}

/// On PostgreSQL a push locks only the stores it names, so instances add throughput across
/// stores: while another transaction holds store demo's push lock, a push into "other" is
/// stored and one into "demo" waits until the lock is let go; while a writer of anything else
/// (a roster, a sign-in) holds the lock every such writer takes, no push goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_postgresql_a_push_waits_only_for_pushes_into_its_own_stores() {
    let fixture = Fixture::new();
    let Some(url) = fixture.config.database_url.clone() else {
        // SQLite has one writer at a time, whatever it writes.
        return;
    };
    let server = start(&fixture.config).await;
    let addr = server.addr;
    let stored = |results: Vec<Value>| statuses(&results) == ["stored"];
    // A moment in which a push that is not waiting for a lock is answered many times over.
    let moment = Duration::from_millis(500);

    let (release, holder) = hold_lock(
        &url,
        format!("SELECT pg_advisory_xact_lock({STORE_LOCKS}, hashtext('demo'))"),
    );
    let other = tokio::time::timeout(TIMEOUT, push(addr, &[filed_in("other", 1)]))
        .await
        .expect("a push into another store does not wait for demo's lock");
    assert!(stored(other));
    let demo = tokio::spawn(async move { push(addr, &[filed_in("demo", 2)]).await });
    tokio::time::sleep(moment).await;
    assert!(!demo.is_finished(), "a push into demo went past its lock");
    release.send(()).unwrap();
    holder.join().unwrap();
    let demo = tokio::time::timeout(TIMEOUT, demo).await.unwrap().unwrap();
    assert!(stored(demo));

    let (release, holder) = hold_lock(&url, format!("SELECT pg_advisory_xact_lock({PUSH_LOCK})"));
    let other = tokio::spawn(async move { push(addr, &[filed_in("other", 3)]).await });
    tokio::time::sleep(moment).await;
    assert!(
        !other.is_finished(),
        "a push went past a writer of everything"
    );
    release.send(()).unwrap();
    holder.join().unwrap();
    let other = tokio::time::timeout(TIMEOUT, other).await.unwrap().unwrap();
    assert!(stored(other));

    server.stop().await;
}
