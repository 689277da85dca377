//! End-to-end tests of the sync API: the real server in-process on
//! 127.0.0.1 over a real SQLite file (or PostgreSQL, see `common`), spoken to with hand-written HTTP/1.1
//! (see `common`). Events come from the core's shared fixture.

mod common;

use common::{
    Fixture, as_sent, get, post_chunked, pull, pull_all, push, push_json, request, start,
};
use recovery_core::testing::filed_event;
use recovery_core::{Event, EventKind, Slug, TicketCode};
use serde_json::{Value, json};

const SECRET: &str = "c2VjcmV0LW9mLXRoZS1jdXN0b21lcg";

fn filed(event: u128, case: u128) -> Event {
    filed_event(
        event,
        case,
        1_700_000_000_000,
        "charged twice for one coffee",
    )
}

fn in_store(mut event: Event, store: &str) -> Event {
    event.origin.store = Slug::parse(store).unwrap();
    event
}

fn statuses(results: &[Value]) -> Vec<&str> {
    results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn pushed_events_are_stored_and_a_replay_is_a_duplicate_stored_once() {
    let fixture = Fixture::new();
    let token = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    let events = [filed(1, 101), filed(2, 102), filed(3, 103)];

    let first = push(server.addr, &events).await;
    assert_eq!(statuses(&first), ["stored", "stored", "stored"]);
    for (result, event) in first.iter().zip(&events) {
        assert_eq!(result["id"], event.id.to_string());
        assert!(result.get("reason").is_none(), "{result}");
        assert!(result.get("detail").is_none(), "{result}");
    }

    // The device never saw the answer and sends everything again.
    let replay = push(server.addr, &events).await;
    assert_eq!(statuses(&replay), ["duplicate", "duplicate", "duplicate"]);

    let stored = pull_all(server.addr, "demo", &token).await;
    let ids: Vec<_> = stored.iter().map(|(_, e)| e.id).collect();
    assert_eq!(ids, events.iter().map(|e| e.id).collect::<Vec<_>>());
    assert_eq!(as_sent(stored[0].1.clone()), events[0]);

    // The same new event twice in one batch is stored once.
    let twice = push(server.addr, &[filed(4, 104), filed(4, 104)]).await;
    assert_eq!(statuses(&twice), ["stored", "duplicate"]);
    assert_eq!(pull_all(server.addr, "demo", &token).await.len(), 4);

    // An empty push is fine and says nothing.
    let reply = push_json(server.addr, &json!({"events": []}), None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({"results": []}));

    server.stop().await;
}

#[tokio::test]
async fn the_same_id_with_different_content_is_a_conflict() {
    let fixture = Fixture::new();
    let server = start(&fixture.config).await;
    let original = filed(1, 101);
    assert_eq!(
        statuses(&push(server.addr, std::slice::from_ref(&original)).await),
        ["stored"]
    );

    let altered = filed_event(1, 101, 1_700_000_000_000, "a different story");
    let results = push(server.addr, &[altered]).await;
    assert_eq!(results[0]["status"], "rejected");
    assert_eq!(results[0]["reason"], "conflict");
    assert_eq!(results[0]["id"], original.id.to_string());
    assert!(results[0]["detail"].is_string());

    server.stop().await;
}

#[tokio::test]
async fn a_mixed_batch_keeps_the_valid_events_and_rejects_the_bad_ones() {
    let fixture = Fixture::new();
    let token = fixture.token("demo").await;
    let server = start(&fixture.config).await;

    let mut bad_offset = filed(3, 103);
    let EventKind::Filed {
        utc_offset_minutes, ..
    } = &mut bad_offset.kind
    else {
        unreachable!("the fixture files a complaint");
    };
    *utc_offset_minutes = 9999;
    let second_filing = filed(5, 101);

    let body = json!({"events": [
        filed(1, 101),
        {"id": "not-an-event", "what": "nonsense"},
        bad_offset,
        42,
        second_filing,
        filed(6, 106),
    ]});
    let reply = push_json(server.addr, &body, None).await;
    assert_eq!(reply.status, 200);
    let results = reply.json()["results"].as_array().unwrap().clone();
    let summary: Vec<(&str, Option<&str>)> = results
        .iter()
        .map(|r| (r["status"].as_str().unwrap(), r["reason"].as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("stored", None),
            ("rejected", Some("malformed")),
            ("rejected", Some("invalid")),
            ("rejected", Some("malformed")),
            ("rejected", Some("already_filed")),
            ("stored", None),
        ]
    );
    assert_eq!(results[1]["id"], "not-an-event");
    assert_eq!(results[3]["id"], Value::Null);
    assert!(
        results[2]["detail"].as_str().unwrap().contains("9999"),
        "{}",
        results[2]
    );

    let stored = pull_all(server.addr, "demo", &token).await;
    let ids: Vec<_> = stored.iter().map(|(_, e)| e.id).collect();
    assert_eq!(ids, [filed(1, 101).id, filed(6, 106).id]);

    server.stop().await;
}

#[tokio::test]
async fn pulling_needs_a_token_of_that_very_store() {
    let fixture = Fixture::new();
    let demo = fixture.token("demo").await;
    let other = fixture.token("other").await;
    let server = start(&fixture.config).await;
    push(server.addr, &[filed(1, 101)]).await;

    let anonymous = get(server.addr, "/api/v1/stores/demo/events", &[]).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.header("www-authenticate"), Some("Bearer"));
    assert_eq!(anonymous.json(), json!({"error": "unauthorized"}));

    let bogus = pull(server.addr, "demo", "", "not-a-token-we-issued").await;
    assert_eq!(bogus.status, 401);
    assert_eq!(bogus.header("www-authenticate"), Some("Bearer"));

    let wrong_store = pull(server.addr, "demo", "", &other).await;
    assert_eq!(wrong_store.status, 403);
    assert_eq!(wrong_store.json(), json!({"error": "forbidden"}));
    let own = pull(server.addr, "other", "", &other).await;
    assert_eq!(own.status, 200);
    assert_eq!(
        without_now(own.json()),
        json!({"events": [], "next": 0, "more": false})
    );

    for query in ["after=-1", "after=x", "limit=0", "limit=1001", "limit=ten"] {
        let reply = pull(server.addr, "demo", query, &demo).await;
        assert_eq!(reply.status, 400, "{query}");
        assert_eq!(reply.json()["error"], "bad_request", "{query}");
    }
    let bad_slug = pull(server.addr, "Not_A_Store", "", &demo).await;
    assert_eq!(bad_slug.status, 400);

    let ok = pull(server.addr, "demo", "", &demo).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json()["events"].as_array().unwrap().len(), 1);

    server.stop().await;
}

#[tokio::test]
async fn a_store_token_records_only_for_its_store_and_a_bad_token_is_401() {
    let fixture = Fixture::new();
    let demo = fixture.token("demo").await;
    let other = fixture.token("other").await;
    let server = start(&fixture.config).await;

    let body = json!({"events": [filed(1, 101), in_store(filed(2, 102), "other")]});
    let reply = push_json(server.addr, &body, Some(&demo)).await;
    assert_eq!(reply.status, 200);
    let results = reply.json()["results"].as_array().unwrap().clone();
    assert_eq!(statuses(&results), ["stored", "rejected"]);
    assert_eq!(results[1]["reason"], "forbidden");

    // A device of another store can never touch a demo case, even by
    // refiling it with its own store.
    let hijack = json!({"events": [in_store(filed(3, 101), "other")]});
    for token in [None, Some(other.as_str())] {
        let reply = push_json(server.addr, &hijack, token).await;
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.json()["results"][0]["reason"],
            "forbidden",
            "{token:?}"
        );
    }

    let bad = push_json(
        server.addr,
        &json!({"events": [filed(4, 104)]}),
        Some("nope"),
    )
    .await;
    assert_eq!(bad.status, 401);
    assert_eq!(bad.header("www-authenticate"), Some("Bearer"));
    assert_eq!(bad.json(), json!({"error": "unauthorized"}));

    let stored = pull_all(server.addr, "demo", &demo).await;
    assert_eq!(stored.len(), 1);
    assert!(pull_all(server.addr, "other", &other).await.is_empty());

    server.stop().await;
}

#[tokio::test]
async fn a_customer_reads_their_ticket_with_its_secret_and_nobody_else_does() {
    let fixture = Fixture::new();
    let server = start(&fixture.config).await;
    let event = filed(1, 0x1234_5678_0000_0000_0000_0000_0000_0001);
    let unfiled_case = "00000000-0000-0000-0000-00000000beef";
    let body = json!({
        "events": [event],
        "ticket_secrets": {
            event.case.to_string(): SECRET,
            unfiled_case: "another-secret-for-nothing",
        },
    });
    assert_eq!(push_json(server.addr, &body, None).await.status, 200);
    let code = TicketCode::from_case(event.case);
    let path = format!("/api/v1/tickets/{code}");

    let reply = get(server.addr, &path, &[("X-Ticket-Secret", SECRET)]).await;
    assert_eq!(reply.status, 200);
    let ticket = reply.json();
    let case = recovery_core::fold([&event]).unwrap().unwrap();
    // The customer's view of a case just filed (filings go only into
    // stores that exist: the test store, see `common::STORES`).
    assert_eq!(
        ticket,
        json!({
            "ticket": code.as_str(),
            "store": "demo",
            "store_name": "Test store",
            "currency": "EUR",
            "status": "filed",
            "filed_at": 1_700_000_000_000i64,
            "acknowledged_at": null,
            "resolved_at": null,
            "closed_at": null,
            "follow_up_at": null,
            "touchpoint": "checkout-2",
            "category": "billing",
            "complaint": serde_json::to_value(&case.complaint).unwrap(),
            "timeline": [{"step": "filed", "at": 1_700_000_000_000i64}],
            "resolution": null,
            "explanation": null,
            "rating": null,
        })
    );

    // As a person types it.
    let typed = format!(
        "/api/v1/tickets/{}",
        code.as_str().to_lowercase().replace('-', "")
    );
    assert_eq!(
        get(server.addr, &typed, &[("X-Ticket-Secret", SECRET)])
            .await
            .status,
        200
    );

    let not_found = json!({"error": "not_found"});
    for (path, headers) in [
        (path.as_str(), vec![]),
        (
            path.as_str(),
            vec![("X-Ticket-Secret", "wrong-secret-of-good-length")],
        ),
        ("/api/v1/tickets/ZZZ-ZZZ", vec![("X-Ticket-Secret", SECRET)]),
        (
            "/api/v1/tickets/nonsense",
            vec![("X-Ticket-Secret", SECRET)],
        ),
        (
            "/api/v1/tickets/000-000",
            vec![("X-Ticket-Secret", "another-secret-for-nothing")],
        ),
    ] {
        let reply = get(server.addr, path, &headers).await;
        assert_eq!(reply.status, 404, "{path} {headers:?}");
        assert_eq!(reply.json(), not_found, "{path} {headers:?}");
    }

    // Only the secret's hash is stored, never the secret (the server is
    // stopped first so the whole database is in the main file).
    server.stop().await;
    let rows = fixture.rows("SELECT CAST(count(*) AS TEXT), max(secret_hash) FROM tickets");
    assert_eq!(
        rows,
        [["1".to_owned(), recovery_server::secrets::sha256_hex(SECRET)]]
    );
    if fixture.is_postgres() {
        // No file to scan: look for the secret in every text column.
        let found = fixture.rows(&format!(
            "SELECT CAST(count(*) AS TEXT) FROM tickets t JOIN events e ON e.id = t.filed_event_id
             WHERE concat_ws(' ', t.case_id, t.store, t.ticket, t.secret_hash, e.body) LIKE '%{SECRET}%'"
        ));
        assert_eq!(found, [["0"]], "the secret is in the database");
    } else {
        let file = std::fs::read(&fixture.config.db).unwrap();
        assert!(
            !file.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "the secret is in the database file"
        );
    }
}

#[tokio::test]
async fn oversized_batches_and_bodies_and_garbage_are_refused_as_json() {
    let fixture = Fixture::new();
    let server = start(&fixture.config).await;

    let many: Vec<Event> = (0..201).map(|n| filed(1000 + n, 5000 + n)).collect();
    let reply = push_json(server.addr, &json!({ "events": many }), None).await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json(),
        json!({"error": "too_many_events", "max": 200})
    );

    let huge = vec![b' '; 1024 * 1024 + 1];
    let reply = request(
        server.addr,
        "POST",
        "/api/v1/events",
        &[("Content-Type", "application/json")],
        &huge,
    )
    .await;
    assert_eq!(reply.status, 413);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.json(), json!({"error": "too_large"}));

    // Without a length up front the limit still holds, and still in JSON.
    let chunks = vec![vec![b' '; 64 * 1024]; 17];
    let reply = post_chunked(server.addr, "/api/v1/events", chunks).await;
    assert_eq!(reply.status, 413);
    assert_eq!(reply.json(), json!({"error": "too_large"}));

    for body in [&b"not json"[..], b"[]", b"{\"events\": 3}", b"{}"] {
        let json = [("Content-Type", "application/json")];
        let reply = request(server.addr, "POST", "/api/v1/events", &json, body).await;
        assert_eq!(reply.status, 400, "{}", String::from_utf8_lossy(body));
        assert_eq!(reply.json()["error"], "bad_request");
        assert!(reply.json()["detail"].is_string());
    }

    server.stop().await;
}

#[tokio::test]
async fn public_callers_over_the_rate_limit_get_429_with_retry_after() {
    let mut fixture = Fixture::new();
    fixture.config.rate_limit = 2;
    let token = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    let empty = json!({"events": []});

    // The bucket starts full: a burst of the limit passes.
    for _ in 0..2 {
        assert_eq!(push_json(server.addr, &empty, None).await.status, 200);
    }
    // One token comes back every 30 s; asking a few times is sure to hit
    // the empty bucket however slow this machine is.
    let mut limited = None;
    for _ in 0..10 {
        let reply = push_json(server.addr, &empty, None).await;
        if reply.status == 429 {
            limited = Some(reply);
            break;
        }
        assert_eq!(reply.status, 200);
    }
    let limited = limited.expect("no 429 after ten pushes at 2 a minute");
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!(retry >= 1);
    assert_eq!(
        limited.json(),
        json!({"error": "rate_limited", "retry_after": retry})
    );

    let ticket = get(
        server.addr,
        "/api/v1/tickets/ABC-DEF",
        &[("X-Ticket-Secret", SECRET)],
    )
    .await;
    assert_eq!(ticket.status, 429);

    // Staff, health and the API description are never limited.
    assert_eq!(
        push_json(server.addr, &empty, Some(&token)).await.status,
        200
    );
    assert_eq!(pull(server.addr, "demo", "", &token).await.status, 200);
    assert_eq!(get(server.addr, "/api/v1/health", &[]).await.status, 200);
    assert_eq!(
        get(server.addr, "/api/v1/openapi.json", &[]).await.status,
        200
    );

    server.stop().await;
}

#[tokio::test]
async fn pull_pages_are_ordered_and_gap_free() {
    let fixture = Fixture::new();
    let token = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    let events: Vec<Event> = (0..25).map(|n| filed(100 + n, 200 + n)).collect();
    for chunk in events.chunks(7) {
        push(server.addr, chunk).await;
    }
    // Another store's events never show up in demo's pages.
    push(server.addr, &[in_store(filed(999, 999), "other")]).await;

    let mut after = 0;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let reply = pull(
            server.addr,
            "demo",
            &format!("after={after}&limit=10"),
            &token,
        )
        .await;
        assert_eq!(reply.status, 200);
        let page = reply.json();
        let items = page["events"].as_array().unwrap();
        let seqs: Vec<i64> = items.iter().map(|i| i["seq"].as_i64().unwrap()).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
        assert!(seqs.iter().all(|s| *s > after));
        let next = page["next"].as_i64().unwrap();
        assert_eq!(next, seqs.last().copied().unwrap_or(after));
        seen.extend(
            items
                .iter()
                .map(|i| as_sent(serde_json::from_value::<Event>(i["event"].clone()).unwrap())),
        );
        pages += 1;
        after = next;
        if !page["more"].as_bool().unwrap() {
            break;
        }
        assert_eq!(items.len(), 10);
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, events);

    // Past the end: nothing, the cursor stays put.
    let reply = pull(server.addr, "demo", &format!("after={after}"), &token).await;
    assert_eq!(
        without_now(reply.json()),
        json!({"events": [], "next": after, "more": false})
    );

    server.stop().await;
}

#[tokio::test]
async fn a_restart_keeps_every_event_and_replays_stay_duplicates() {
    let fixture = Fixture::new();
    let token = fixture.token("demo").await;
    let events: Vec<Event> = (0..40).map(|n| filed(300 + n, 400 + n)).collect();

    let first = start(&fixture.config).await;
    push(first.addr, &events).await;
    let before = pull_all(first.addr, "demo", &token).await;
    first.stop().await;

    let second = start(&fixture.config).await;
    assert_eq!(pull_all(second.addr, "demo", &token).await, before);
    let replay = push(second.addr, &events).await;
    assert!(statuses(&replay).iter().all(|s| *s == "duplicate"));
    assert_eq!(pull_all(second.addr, "demo", &token).await.len(), 40);
    second.stop().await;
}

#[tokio::test]
async fn cors_answers_only_the_configured_origins() {
    let mut fixture = Fixture::new();
    fixture.config.cors_origins = vec!["https://kiosk.example.com".into()];
    let server = start(&fixture.config).await;

    let allowed = get(
        server.addr,
        "/api/v1/health",
        &[("Origin", "https://kiosk.example.com")],
    )
    .await;
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://kiosk.example.com")
    );
    let other = get(
        server.addr,
        "/api/v1/health",
        &[("Origin", "https://evil.example.com")],
    )
    .await;
    assert_eq!(other.header("access-control-allow-origin"), None);

    let preflight = request(
        server.addr,
        "OPTIONS",
        "/api/v1/events",
        &[
            ("Origin", "https://kiosk.example.com"),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "content-type,x-ticket-secret",
            ),
        ],
        b"",
    )
    .await;
    assert!(preflight.status < 300, "{}", preflight.status);
    let methods = preflight.header("access-control-allow-methods").unwrap();
    assert!(methods.contains("POST"), "{methods}");
    let headers = preflight
        .header("access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase();
    assert!(headers.contains("x-ticket-secret"), "{headers}");
    server.stop().await;

    // No origins configured: no CORS headers at all.
    // Kept in a binding: a dropped fixture drops its PostgreSQL database.
    let bare = Fixture::new();
    let plain = start(&bare.config).await;
    let reply = get(
        plain.addr,
        "/api/v1/health",
        &[("Origin", "https://kiosk.example.com")],
    )
    .await;
    assert_eq!(reply.header("access-control-allow-origin"), None);
    plain.stop().await;
}

#[tokio::test]
async fn the_openapi_document_parses_and_names_every_route() {
    let fixture = Fixture::new();
    let server = start(&fixture.config).await;
    let reply = get(server.addr, "/api/v1/openapi.json", &[]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let doc = reply.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api");

    let paths = doc["paths"].as_object().unwrap();
    let mut documented: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    let mut routed: Vec<(String, String)> = recovery_server::http::API_ROUTES
        .iter()
        .map(|(method, path)| (method.to_string(), path.to_string()))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(documented, routed);

    // Each listed route is really served: a method no route serves (PATCH) is
    // 405 on it (a path the router lacks would be 404).
    for (_, path) in &routed {
        let concrete = path
            .replace("{chain}", "demo")
            .replace("{store}", "demo")
            .replace("{code}", "ABC-DEF")
            .replace("{id}", "00000000-0000-4000-8000-000000000001");
        let reply = request(server.addr, "PATCH", &format!("/api{concrete}"), &[], b"").await;
        assert_eq!(reply.status, 405, "{path}");
    }

    // Every `$ref` points at something that exists.
    let text = reply.body.clone();
    let raw = String::from_utf8(text).unwrap();
    for piece in raw.split("\"$ref\": \"#/").skip(1) {
        let pointer = format!("/{}", piece.split('"').next().unwrap());
        assert!(doc.pointer(&pointer).is_some(), "dangling $ref {pointer}");
    }
    server.stop().await;
}

#[tokio::test]
async fn issue_token_prints_a_token_that_pulls() {
    let fixture = Fixture::new();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_recovery-server"))
        .args(["issue-token", "--store", "demo", "--label", "front desk"])
        .args(fixture.db_args())
        .env_remove("RECOVERY_DB")
        .env_remove("RECOVERY_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout:?}");
    let token = lines[0];
    assert_eq!(token.len(), 64);

    let server = start(&fixture.config).await;
    assert_eq!(pull(server.addr, "demo", "", token).await.status, 200);
    assert_eq!(pull(server.addr, "other", "", token).await.status, 403);
    server.stop().await;

    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_recovery-server"))
        .arg("issue-token")
        .args(fixture.db_args())
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(missing.stdout.is_empty());
}

/// A pull page without the server's clock (checked to be there).
fn without_now(mut page: Value) -> Value {
    assert!(page["now"].as_i64().unwrap() > 0, "the server's clock");
    page.as_object_mut().unwrap().remove("now");
    page
}
