//! The cases' read model: what `GET /api/v1/stores/{store}/cases` serves (each case's state,
//! written in the push's transaction) must be what a full fold of the case's stored events
//! gives, whatever order the events arrived in, and paging it then pulling events from its
//! last cursor must miss nothing. The real server in-process on 127.0.0.1 over SQLite (or
//! PostgreSQL with `RECOVERY_TEST_DATABASE_URL`).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Fixture, get, pull_all, push_json, signed, start};
use proptest::prelude::*;
use recovery_core::api::CasePage;
use recovery_core::testing::{actor, filed_event, step};
use recovery_core::{CaseId, Event, EventKind, Remedy, Role, fold};
use serde_json::{Value, json};

const T0: i64 = 1_772_000_000_000;
const MIN: i64 = 60_000;

/// Case `c`'s events: a filing and the first `steps` of acknowledge, note, resolve, rate,
/// a second note (which sorts before the rating), each by Ana (signed, as her tablet would).
fn case_events(c: u128, steps: usize) -> Vec<Event> {
    let ana = actor("ana", Role::Staff, 2_500);
    let at = T0 + c as i64 * 7 * MIN;
    let n = c * 10;
    let kinds = [
        EventKind::Acknowledged {
            by: ana.clone(),
            apology: "I am sorry.".into(),
            avoidable: None,
        },
        EventKind::Noted {
            by: ana.clone(),
            note: "Asked the till.".into(),
        },
        EventKind::Resolved {
            by: ana.clone(),
            remedy: Remedy::Voucher,
            value_minor: 500,
            gesture: String::new(),
            follow_up_at: None,
        },
        EventKind::Rated {
            stars: 4,
            comment: String::new(),
        },
    ];
    let mut events = vec![filed_event(n, c, at, "The card reader failed twice.")];
    for (i, kind) in kinds.into_iter().enumerate().take(steps) {
        events.push(signed(step(
            n + 1 + i as u128,
            c,
            at + (i as i64 + 1) * 10 * MIN,
            kind,
        )));
    }
    if steps > 4 {
        // Taken between the resolution and the rating, arriving last.
        events.push(signed(step(
            n + 9,
            c,
            at + 35 * MIN,
            EventKind::Noted {
                by: ana,
                note: "Called back.".into(),
            },
        )));
    }
    events
}

async fn all_states(
    addr: std::net::SocketAddr,
    token: &str,
    limit: usize,
) -> (Vec<recovery_core::api::CaseState>, i64) {
    let auth = format!("Bearer {token}");
    let (mut after, mut states) = (0, Vec::new());
    loop {
        let path = format!("/api/v1/stores/demo/cases?after={after}&limit={limit}");
        let reply = get(addr, &path, &[("Authorization", &auth)]).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let page: CasePage = serde_json::from_value(reply.json()).unwrap();
        assert!(page.cases.len() <= limit);
        assert!(page.cases.windows(2).all(|w| w[0].seq < w[1].seq));
        states.extend(page.cases);
        after = page.next;
        if !page.more {
            return (states, after);
        }
    }
}

/// Pushes `events` in batches of `sizes` (cycled) as a tablet signed in as Ana, again and
/// again until every one is stored: a step that came before its case's filing or an earlier
/// step is refused and sent again later, as a device would.
async fn push_until_stored(
    addr: std::net::SocketAddr,
    token: &str,
    events: Vec<Event>,
    sizes: &[usize],
) {
    let mut waiting = events;
    for _round in 0..20 {
        let mut refused = Vec::new();
        let mut sizes = sizes.iter().cycle();
        let mut rest = waiting.as_slice();
        while !rest.is_empty() {
            let n = (*sizes.next().unwrap()).clamp(1, rest.len());
            let (batch, tail) = rest.split_at(n);
            rest = tail;
            let reply = push_json(addr, &json!({ "events": batch }), Some(token)).await;
            assert_eq!(reply.status, 200, "{}", reply.text());
            for (event, result) in batch
                .iter()
                .zip(reply.json()["results"].as_array().unwrap())
            {
                match result["status"].as_str() {
                    Some("stored" | "duplicate") => {}
                    _ => refused.push(event.clone()),
                }
            }
        }
        if refused.is_empty() {
            return;
        }
        waiting = refused;
    }
    panic!("some events were never stored: {waiting:?}");
}

/// Every case state served equals the fold of the case's stored events, holds exactly them,
/// and carries the seq of the latest; every case is there once.
async fn check(addr: std::net::SocketAddr, token: &str, cases: usize, limit: usize) {
    let (states, cursor) = all_states(addr, token, limit).await;
    let stored = pull_all(addr, "demo", token).await;
    let mut by_case: BTreeMap<CaseId, Vec<(i64, Event)>> = BTreeMap::new();
    for (seq, event) in stored {
        by_case.entry(event.case).or_default().push((seq, event));
    }
    assert_eq!(states.len(), cases);
    assert_eq!(by_case.len(), cases);
    assert_eq!(
        cursor,
        by_case.values().flatten().map(|(s, _)| *s).max().unwrap()
    );
    for state in states {
        let events = &by_case[&state.case.id];
        let refolded = fold(events.iter().map(|(_, e)| e)).unwrap().unwrap();
        assert_eq!(state.case, refolded);
        let kept: BTreeSet<_> = state.events.iter().map(|e| e.id).collect();
        let all: BTreeSet<_> = events.iter().map(|(_, e)| e.id).collect();
        assert_eq!(kept, all);
        assert_eq!(state.seq, events.iter().map(|(s, _)| *s).max().unwrap());
    }
}

fn scenario() -> impl Strategy<Value = (Vec<usize>, Vec<usize>, Vec<u32>, usize)> {
    (
        proptest::collection::vec(0usize..=5, 4..=6),
        proptest::collection::vec(1usize..=4, 1..=4),
        proptest::collection::vec(any::<u32>(), 40),
        1usize..=3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_read_model_is_the_full_fold_whatever_the_arrival_order(
        (steps, sizes, keys, limit) in scenario()
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let fixture = Fixture::new();
            fixture.demo_store("demo").await;
            fixture.register_keys("demo", &["ana"]).await;
            let server = start(&fixture.config).await;
            let token = fixture.session("demo", "ana").await;
            let mut events: Vec<Event> = steps
                .iter()
                .enumerate()
                .flat_map(|(c, &s)| case_events(c as u128 + 1, s))
                .collect();
            // A random arrival order: sorted by random keys; a few sent twice.
            let mut keyed: Vec<(u32, Event)> =
                events.drain(..).zip(keys.iter().cycle()).map(|(e, k)| (*k, e)).collect();
            keyed.sort_by_key(|(k, e)| (*k, e.id));
            let mut order: Vec<Event> = keyed.into_iter().map(|(_, e)| e).collect();
            let again: Vec<Event> = order.iter().step_by(5).cloned().collect();
            order.extend(again);
            push_until_stored(server.addr, &token, order, &sizes).await;
            check(server.addr, &token, steps.len(), limit).await;
            server.stop().await;
        });
    }
}

#[tokio::test]
async fn a_case_changed_after_a_tablet_read_its_page_is_in_a_later_page_and_the_cursor_covers_all()
{
    let fixture = Fixture::new();
    fixture.demo_store("demo").await;
    fixture.register_keys("demo", &["ana"]).await;
    let server = start(&fixture.config).await;
    let token = fixture.session("demo", "ana").await;
    let events: Vec<Event> = (1..=3).flat_map(|c| case_events(c, 0)).collect();
    push_until_stored(server.addr, &token, events, &[3]).await;
    let auth = format!("Bearer {token}");
    let page = |after: i64| {
        let auth = auth.clone();
        async move {
            let path = format!("/api/v1/stores/demo/cases?after={after}&limit=1");
            let reply = get(server.addr, &path, &[("Authorization", &auth)]).await;
            assert_eq!(reply.status, 200);
            serde_json::from_value::<CasePage<Value>>(reply.json()).unwrap()
        }
    };
    let first = page(0).await;
    assert_eq!(first.cases.len(), 1);
    assert!(first.more);
    // Case 1 (read already) is acknowledged meanwhile: it comes again, after case 3.
    let ack = case_events(1, 1).pop().unwrap();
    push_until_stored(server.addr, &token, vec![ack.clone()], &[1]).await;
    let (mut after, mut seen) = (first.next, Vec::new());
    loop {
        let p = page(after).await;
        seen.extend(
            p.cases
                .iter()
                .map(|c| c["case"]["id"].as_str().unwrap().to_owned()),
        );
        after = p.next;
        if !p.more {
            break;
        }
    }
    let id = |c: u128| CaseId(uuid::Uuid::from_u128(c)).to_string();
    assert_eq!(seen, [id(2), id(3), id(1)]);
    // Nothing is pulled after the last page's cursor: it covers every event.
    let reply = common::pull(server.addr, "demo", &format!("after={after}"), &token).await;
    assert_eq!(reply.json()["events"].as_array().unwrap().len(), 0);
    // A token of another store reads none of it; no token, nothing.
    fixture.demo_store("elsewhere").await;
    let other = format!("Bearer {}", fixture.session("elsewhere", "ana").await);
    let reply = get(
        server.addr,
        "/api/v1/stores/demo/cases",
        &[("Authorization", &other)],
    )
    .await;
    assert_eq!(reply.status, 403);
    let reply = get(server.addr, "/api/v1/stores/demo/cases", &[]).await;
    assert_eq!(reply.status, 401);
    server.stop().await;
}

/// Case `c`'s closing, after `case_events(c, 3)` (it is resolved then).
fn close(c: u128) -> Event {
    signed(step(
        c * 10 + 8,
        c,
        T0 + c as i64 * 7 * MIN + 40 * MIN,
        EventKind::Closed {
            by: actor("ana", Role::Staff, 2_500),
            cause: recovery_core::Cause {
                category: recovery_core::CauseCategory::Equipment,
                sub_cause: "Reader worn out".into(),
                departments: vec![],
                people: vec![],
                explanation: "Our card reader was worn out.".into(),
                factors: vec![],
            },
        },
    ))
}

#[tokio::test]
async fn a_tablet_reads_the_queue_first_then_the_rest_and_misses_no_case_that_changes_meanwhile() {
    let fixture = Fixture::new();
    fixture.demo_store("demo").await;
    fixture.register_keys("demo", &["ana"]).await;
    let server = start(&fixture.config).await;
    let token = fixture.session("demo", "ana").await;
    // Cases 1-3 closed, 4-6 in the queue (6 resolved, waiting to be documented).
    let mut events: Vec<Event> = (1..=3)
        .flat_map(|c| case_events(c, 3).into_iter().chain([close(c)]))
        .collect();
    events.extend((4..=5).flat_map(|c| case_events(c, 0)));
    events.extend(case_events(6, 3));
    push_until_stored(server.addr, &token, events, &[4]).await;
    let auth = format!("Bearer {token}");
    let page = |query: String| {
        let auth = auth.clone();
        async move {
            let path = format!("/api/v1/stores/demo/cases?limit=1&{query}");
            let reply = get(server.addr, &path, &[("Authorization", &auth)]).await;
            assert_eq!(reply.status, 200, "{}", reply.text());
            serde_json::from_value::<CasePage>(reply.json()).unwrap()
        }
    };
    let id = |c: u128| CaseId(uuid::Uuid::from_u128(c));
    let mut held: BTreeMap<CaseId, recovery_core::api::CaseState> = BTreeMap::new();
    let (mut queue_order, mut rest_order) = (Vec::new(), Vec::new());
    // The queue's part, one case a page. After its first page, case 5 is acknowledged (it
    // comes again later in the part) and case 6 is closed (it leaves the queue: the rest
    // must bring it).
    let mut after = 0;
    loop {
        let p = page(format!("part=queue&after={after}")).await;
        for state in p.cases {
            queue_order.push(state.case.id);
            held.insert(state.case.id, state);
        }
        if queue_order.len() == 1 {
            let changes = vec![case_events(5, 1).pop().unwrap(), close(6)];
            push_until_stored(server.addr, &token, changes, &[2]).await;
        }
        after = p.next;
        if !p.more {
            break;
        }
    }
    assert_eq!(
        queue_order,
        [id(4), id(5)],
        "case 6 left the queue before it was read"
    );
    // The rest: the closed cases, and whatever changed after the queue's part was read. Case 4
    // is acknowledged and noted meanwhile: it comes again.
    let read_to = after;
    let mut cursor = after;
    after = 0;
    loop {
        let p = page(format!("part=rest&queue_read_to={read_to}&after={after}")).await;
        for state in p.cases {
            rest_order.push(state.case.id);
            held.insert(state.case.id, state);
        }
        if rest_order.len() == 1 {
            let steps = case_events(4, 2).split_off(1);
            push_until_stored(server.addr, &token, steps, &[2]).await;
        }
        cursor = cursor.max(p.next);
        after = p.next;
        if !p.more {
            break;
        }
    }
    assert_eq!(rest_order, [id(1), id(2), id(3), id(6), id(4)]);
    // What the tablet holds and then pulls after its cursor is every stored event, and each
    // case's state is the fold of them.
    let reply = common::pull(server.addr, "demo", &format!("after={cursor}"), &token).await;
    let later: Vec<Event> =
        serde_json::from_value(reply.json()["events"].clone()).unwrap_or_default();
    let mut by_case: BTreeMap<CaseId, BTreeSet<recovery_core::EventId>> = held
        .iter()
        .map(|(id, s)| (*id, s.events.iter().map(|e| e.id).collect()))
        .collect();
    for e in later {
        by_case.entry(e.case).or_default().insert(e.id);
    }
    let mut stored: BTreeMap<CaseId, BTreeSet<recovery_core::EventId>> = BTreeMap::new();
    for (_, e) in pull_all(server.addr, "demo", &token).await {
        stored.entry(e.case).or_default().insert(e.id);
    }
    assert_eq!(by_case, stored);
    // A part the server does not know is a 400 that says why.
    let reply = get(
        server.addr,
        "/api/v1/stores/demo/cases?part=rest",
        &[("Authorization", &auth)],
    )
    .await;
    assert_eq!(reply.status, 400);
    assert!(reply.text().contains("queue_read_to"), "{}", reply.text());
    server.stop().await;
}
