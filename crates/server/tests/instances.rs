//! Two server instances over one database, as behind a load balancer: on
//! PostgreSQL (with `RECOVERY_TEST_DATABASE_URL`, see `common`) this is the
//! stateless multi-instance mode; on SQLite it is two servers sharing one
//! file. Concurrent pushes of one store go through both, replays go to the
//! other instance, and a reader pages through both while pushes land.

mod common;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::{Fixture, pull, push, start};
use recovery_core::Event;
use recovery_core::testing::filed_event;
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

fn batch(writer: u128, batch: u128) -> Vec<Event> {
    (0..BATCH)
        .map(|n| {
            let id = 1 + (writer * BATCHES + batch) * BATCH + n;
            filed_event(id, 100_000 + id, 1_700_000_000_000, "two instances")
        })
        .collect()
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
    let expected: HashSet<String> = (0..WRITERS)
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
