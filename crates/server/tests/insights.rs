//! End-to-end tests of the insights routes: the report and the exports are
//! computed from every device's events in the database, filtered as asked,
//! for staff of that store only. The real server runs in-process on
//! 127.0.0.1 (see `common`), on SQLite or, with
//! `RECOVERY_TEST_DATABASE_URL`, PostgreSQL.

mod common;

use common::{Fixture, Reply, ana, get, push_json, slug, start};
use recovery_core::insights::{ExportRow, Insights};
use recovery_core::{
    Actor, Category, Cause, CauseCategory, ComplaintDraft, DeviceId, Event, EventKind,
    FairSolution, Remedy, validate,
};
use serde_json::json;
use uuid::Uuid;

/// Monday 2 March 2026, 00:00 UTC.
const T0: i64 = 1_772_409_600_000;
const M: i64 = 60_000;
const H: i64 = 3_600_000;

/// Creates the store and Ana in the database.
/// An event of `case` recorded by `device` at `touchpoint`.
fn event(n: u128, case: u128, at: i64, touchpoint: &str, device: u128, kind: EventKind) -> Event {
    let mut e = recovery_core::testing::filed_event(n, case, at, "x");
    e.origin.touchpoint = slug(touchpoint);
    e.origin.device = DeviceId(Uuid::from_u128(device));
    e.kind = kind;
    e
}

fn filing(n: u128, at: i64, touchpoint: &str, device: u128, description: &str) -> Event {
    let complaint = validate(&ComplaintDraft {
        category: Some(Category::Billing),
        description: description.into(),
        fair_solutions: vec![FairSolution::Refund],
        name: "Rut Customer".into(),
        contact: "rut@example.com".into(),
        consent_to_contact: true,
        ..Default::default()
    })
    .unwrap();
    let kind = EventKind::Filed {
        complaint,
        utc_offset_minutes: 60,
    };
    event(n, n, at, touchpoint, device, kind)
}

fn by() -> Actor {
    ana().actor()
}

/// Acknowledged after `ack` minutes, refunded 500 after an hour, closed.
fn worked(case: u128, filed: i64, ack: i64) -> Vec<Event> {
    let step = |n: u128, at: i64, kind| event(case * 10 + n, case, at, "front-desk", 3, kind);
    vec![
        step(
            1,
            filed + ack * M,
            EventKind::Acknowledged {
                by: by(),
                apology: "I am sorry about the double charge.".into(),
                avoidable: None,
            },
        ),
        step(
            2,
            filed + H,
            EventKind::Resolved {
                by: by(),
                remedy: Remedy::Refund,
                value_minor: 500,
                gesture: "=cmd|' /C calc'!A0".into(),
                follow_up_at: None,
            },
        ),
        step(
            3,
            filed + H + M,
            EventKind::Closed {
                by: by(),
                cause: Cause {
                    category: CauseCategory::Equipment,
                    sub_cause: "Terminal charged twice".into(),
                    departments: vec!["Checkout".into()],
                    people: vec![],
                    explanation: "Our card terminal sent the payment twice.".into(),
                    factors: vec![],
                },
            },
        ),
    ]
}

/// Three cases from two kiosks (one filed by a phone at checkout 2), two of
/// them worked on a staff tablet: pushed as each device would.
async fn seed(addr: std::net::SocketAddr, token: &str) {
    let filings = [
        filing(100, T0 + 9 * H, "front-desk", 1, "Charged twice"),
        filing(
            200,
            T0 + 9 * H + 30 * M,
            "checkout-2",
            2,
            "=1+1 was the total",
        ),
        filing(300, T0 + 33 * H, "front-desk", 1, "Charged twice, again"),
    ];
    for filing in &filings {
        let reply = push_json(addr, &json!({ "events": [filing] }), None).await;
        assert_eq!(reply.status, 200);
    }
    let mut steps = worked(100, T0 + 9 * H, 4);
    steps.extend(worked(300, T0 + 33 * H, 10));
    let reply = push_json(addr, &json!({ "events": steps }), Some(token)).await;
    let statuses: Vec<String> = reply.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, vec!["stored"; 6], "{}", reply.text());
}

async fn authed(addr: std::net::SocketAddr, path: &str, token: &str) -> Reply {
    let auth = format!("Bearer {token}");
    get(addr, path, &[("Authorization", &auth)]).await
}

#[tokio::test]
async fn insights_and_exports_are_for_staff_of_that_store_only() {
    let fixture = Fixture::new();
    let server = start(&fixture.config).await;
    let token = fixture.token("demo").await;
    let other = fixture.token("other").await;
    for path in ["insights", "export.csv", "export.json"] {
        let url = format!("/api/v1/stores/demo/{path}");
        assert_eq!(get(server.addr, &url, &[]).await.status, 401, "{path}");
        let reply = authed(server.addr, &url, &other).await;
        assert_eq!(
            (reply.status, reply.json()["error"].as_str()),
            (403, Some("forbidden"))
        );
        let reply = authed(server.addr, &format!("{url}?from=2026-02-30"), &token).await;
        assert_eq!(reply.status, 400, "{path}");
        assert!(reply.json()["detail"].as_str().unwrap().contains("from"));
        assert_eq!(
            authed(server.addr, &url, &token).await.status,
            200,
            "{path}"
        );
    }
    // No events yet: an empty report, not an error.
    let reply = authed(server.addr, "/api/v1/stores/demo/insights", &token).await;
    let empty: Insights = serde_json::from_value(reply.json()).unwrap();
    assert_eq!(empty.cases, 0);
    server.stop().await;
}

#[tokio::test]
async fn the_report_sums_up_every_devices_events_as_filtered() {
    let fixture = Fixture::new();
    fixture.demo_store("demo").await;
    let server = start(&fixture.config).await;
    let token = fixture.session("demo", "ana").await;
    seed(server.addr, &token).await;

    let report = |query: String| {
        let token = token.clone();
        async move {
            let path = format!("/api/v1/stores/demo/insights{query}");
            let reply = authed(server.addr, &path, &token).await;
            assert_eq!(reply.status, 200, "{}", reply.text());
            assert_eq!(reply.header("content-type"), Some("application/json"));
            assert_eq!(reply.header("cache-control"), Some("no-store"));
            serde_json::from_value::<Insights>(reply.json()).unwrap()
        }
    };
    let all = report("".into()).await;
    assert_eq!(all.cases, 3);
    // The store's clock defaults to the latest filing's (+01:00): Monday 10:00 and 10:30,
    // Tuesday 10:00.
    assert_eq!(all.utc_offset_minutes, 60);
    assert_eq!((all.heatmap[0][10], all.heatmap[1][10]), (2, 1));
    let tp: Vec<(String, u32)> = all
        .touchpoints
        .iter()
        .map(|b| (b.key.clone(), b.count))
        .collect();
    assert_eq!(
        tp,
        [("front-desk".to_owned(), 2), ("checkout-2".to_owned(), 1)]
    );
    // Acknowledged after 4 and 10 minutes: nearest-rank median 4, p90 10.
    assert_eq!(
        (all.acknowledge.median_ms, all.acknowledge.p90_ms),
        (Some(4 * M), Some(10 * M))
    );
    assert_eq!((all.costs.resolved, all.costs.total_minor), (2, 1000));
    assert_eq!(all.causes[0].key, "equipment");
    assert_eq!((all.fair.resolved, all.fair.met), (2, 2));
    assert_eq!(all.repeats.repeats, 2, "the same contact filed three times");
    assert_eq!(
        all.control.points.first().map(|p| p.date.as_str()),
        Some("2026-03-02")
    );

    // Filters: a touchpoint, a store-local day, another clock, a staff member's shift.
    assert_eq!(report("?touchpoint=checkout-2".into()).await.cases, 1);
    let monday = report("?from=2026-03-02&to=2026-03-02".into()).await;
    assert_eq!(monday.cases, 2);
    assert_eq!(monday.control.points.len(), 1);
    // In Honolulu (−10:00) Tuesday 09:00 UTC is still Monday, and Monday 09:00 UTC is Sunday.
    let honolulu = report("?from=2026-03-02&to=2026-03-02&tz=-600".into()).await;
    assert_eq!((honolulu.cases, honolulu.utc_offset_minutes), (1, -600));
    assert_eq!(report(format!("?from={}", T0 + 24 * H)).await.cases, 1);
    // Ana worked cases 100 and 300, and was on shift when 200 was filed: 26 minutes
    // after she acknowledged 100.
    assert_eq!(report("?staff=ana".into()).await.cases, 3);
    assert_eq!(report("?staff=bo".into()).await.cases, 0);
    server.stop().await;
}

#[tokio::test]
async fn exports_are_attachments_with_the_documentation_and_no_contact() {
    let fixture = Fixture::new();
    fixture.demo_store("demo").await;
    let server = start(&fixture.config).await;
    let token = fixture.session("demo", "ana").await;
    seed(server.addr, &token).await;

    let csv = authed(
        server.addr,
        "/api/v1/stores/demo/export.csv?touchpoint=front-desk",
        &token,
    )
    .await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"demo-cases.csv\"")
    );
    let text = csv.text();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines.len(), 4, "header, two cases, and the final line end");
    assert!(lines[0].starts_with("case_id,ticket,store,touchpoint,status,filed_at,"));
    assert!(lines[1].contains(",closed,2026-03-02T10:00:00+01:00,billing,Charged twice,"));
    assert!(lines[1].contains(",'=cmd|' /C calc'!A0,"), "{}", lines[1]);
    assert!(!text.contains("rut@example.com") && !text.contains("Rut Customer"));

    let json = authed(server.addr, "/api/v1/stores/demo/export.json", &token).await;
    assert_eq!(json.status, 200);
    assert_eq!(json.header("content-type"), Some("application/json"));
    assert_eq!(
        json.header("content-disposition"),
        Some("attachment; filename=\"demo-cases.json\"")
    );
    assert!(!json.text().contains("rut@example.com"));
    let rows: Vec<ExportRow> = serde_json::from_value(json.json()).unwrap();
    let ids: Vec<u128> = rows.iter().map(|r| r.case_id.0.as_u128()).collect();
    assert_eq!(ids, [100, 200, 300]);
    assert_eq!(
        rows[1].description, "=1+1 was the total",
        "JSON keeps the text as it is"
    );
    assert_eq!(rows[0].acknowledged_by, Some(slug("ana")));
    assert_eq!(rows[2].seconds_to_acknowledge, Some(600));
    assert_eq!(rows[0].value_minor, Some(500));
    assert_eq!(rows[0].sub_cause.as_deref(), Some("Terminal charged twice"));
    assert!(rows.iter().all(|r| r.contact_given && r.consent_to_contact));
    assert_eq!(rows[1].remedy, None);
    server.stop().await;
}

/// A store of 700 cases, more than two of the server's batches: 70 customers
/// each file ten times (so most repeats are found across batches), at both
/// touchpoints over ten days; Ana works every third case.
async fn many(addr: std::net::SocketAddr, token: &str) {
    let mut events = Vec::new();
    for n in 0..700u128 {
        let case = 1_000 + n;
        let filed = T0 + (n as i64) * 20 * M;
        let touchpoint = if n % 4 == 0 {
            "checkout-2"
        } else {
            "front-desk"
        };
        let mut e = filing(case, filed, touchpoint, 1 + n % 3, "Charged twice");
        if let EventKind::Filed { complaint, .. } = &mut e.kind {
            complaint.contact = Some(recovery_core::Contact::Email(format!(
                "customer{}@example.com",
                n % 70
            )));
        }
        events.push(e);
        if n % 3 == 0 {
            events.extend(worked(case, filed, 1 + (n as i64) % 40));
        }
    }
    for chunk in events.chunks(150) {
        let reply = push_json(addr, &json!({ "events": chunk }), Some(token)).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let results = reply.json()["results"].as_array().unwrap().clone();
        assert!(
            results.iter().all(|r| r["status"] == "stored"),
            "{}",
            reply.text()
        );
    }
}

#[tokio::test]
async fn a_store_larger_than_a_batch_gives_the_report_and_export_of_all_its_events() {
    let fixture = Fixture::new();
    fixture.demo_store("demo").await;
    let server = start(&fixture.config).await;
    let token = fixture.session("demo", "ana").await;
    many(server.addr, &token).await;
    // What a tablet holding every event computes with the core.
    let mut ledger = recovery_core::Ledger::default();
    for (_, event) in common::pull_all(server.addr, "demo", &token).await {
        ledger.record(event).unwrap();
    }
    assert_eq!(ledger.case_count(), 700);
    let salt = fixture.rows("SELECT contact_salt FROM stores WHERE slug = 'demo'")[0][0].clone();
    let mut first_repeats = 0;
    for filter in [
        "",
        "?staff=ana",
        "?touchpoint=checkout-2&from=2026-03-05&tz=60",
    ] {
        let path = format!("/api/v1/stores/demo/insights{filter}");
        let reply = authed(server.addr, &path, &token).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let served: Insights = serde_json::from_value(reply.json()).unwrap();
        let mut query = recovery_core::insights::Query::new(served.now, served.utc_offset_minutes);
        query.contact_salt = salt.clone();
        query.filter.store = Some(slug("demo"));
        if filter.contains("ana") {
            query.filter.staff = Some(slug("ana"));
        }
        if filter.contains("checkout") {
            query.filter.touchpoint = Some(slug("checkout-2"));
            let day = recovery_core::insights::parse_date("2026-03-05").unwrap();
            query.filter.from = Some(recovery_core::insights::day_start(day, 60));
        }
        let expected = recovery_core::insights::insights(&ledger, &query);
        assert!(expected.cases > 100, "{filter}: {}", expected.cases);
        assert!(expected.repeats.repeats > 100, "{filter}");
        assert_eq!(served, expected, "{filter}");
        if filter.is_empty() {
            first_repeats = expected.repeats.repeats;
        }

        let path = format!("/api/v1/stores/demo/export.json{filter}");
        let reply = authed(server.addr, &path, &token).await;
        assert_eq!(reply.status, 200);
        let rows: Vec<ExportRow> = serde_json::from_value(reply.json()).unwrap();
        assert_eq!(
            rows,
            recovery_core::insights::export(&ledger, &query),
            "{filter}"
        );

        // The CSV is written as it is read: no length known in advance.
        let path = format!("/api/v1/stores/demo/export.csv{filter}");
        let reply = authed(server.addr, &path, &token).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-length"), None);
        let mut csv = String::from("\u{feff}");
        csv.push_str(&recovery_core::insights::to_csv(&rows));
        assert_eq!(reply.text(), csv, "{filter}");
        // Compressed on the way, as browsers ask for it: the same text, whole.
        let auth = format!("Bearer {token}");
        let reply = get(
            server.addr,
            &path,
            &[("Authorization", &auth), ("Accept-Encoding", "br")],
        )
        .await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-encoding"), Some("br"));
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut brotli_decompressor::Decompressor::new(reply.body.as_slice(), 4096),
            &mut text,
        )
        .unwrap();
        assert_eq!(text, csv, "{filter}, compressed");
    }
    // The server keeps the facts it read; what is written after is in the next report: cases
    // worked and a new filing by a customer seen before, pushed as a tablet and a kiosk would.
    let mut more: Vec<Event> = (1..=3u128)
        .flat_map(|n| worked(1_000 + n, T0 + (n as i64) * 20 * M, 2))
        .collect();
    let mut again = filing(
        5_000,
        T0 + 700 * 20 * M,
        "front-desk",
        1,
        "Charged twice again",
    );
    if let EventKind::Filed { complaint, .. } = &mut again.kind {
        complaint.contact = Some(recovery_core::Contact::Email(
            "customer1@example.com".into(),
        ));
    }
    more.push(again);
    let reply = push_json(server.addr, &json!({ "events": more }), Some(&token)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    for event in more {
        ledger.record(event).unwrap();
    }
    let reply = authed(server.addr, "/api/v1/stores/demo/insights", &token).await;
    let served: Insights = serde_json::from_value(reply.json()).unwrap();
    let mut query = recovery_core::insights::Query::new(served.now, served.utc_offset_minutes);
    query.contact_salt = salt;
    query.filter.store = Some(slug("demo"));
    let expected = recovery_core::insights::insights(&ledger, &query);
    assert_eq!(expected.cases, 701);
    assert_eq!(expected.repeats.repeats, first_repeats + 1);
    // Compared as the same JSON text reads (a share's last digit may not survive a parse).
    let expected: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&expected).unwrap()).unwrap();
    assert_eq!(reply.json(), expected);
    server.stop().await;
}

#[test]
fn the_openapi_export_row_lists_every_csv_column() {
    let doc: serde_json::Value = serde_json::from_str(recovery_server::http::OPENAPI_JSON).unwrap();
    let mut documented: Vec<&str> = doc["components"]["schemas"]["ExportRow"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut columns: Vec<&str> = recovery_core::insights::CSV_COLUMNS
        .iter()
        .map(|(name, _)| *name)
        .collect();
    documented.sort_unstable();
    columns.sort_unstable();
    assert_eq!(documented, columns);
}

#[tokio::test]
async fn a_restarted_server_reads_the_reports_facts_again_and_misses_nothing_after() {
    let fixture = Fixture::new();
    fixture.demo_store("demo").await;
    let server = start(&fixture.config).await;
    let token = fixture.session("demo", "ana").await;
    seed(server.addr, &token).await;
    server.stop().await;
    // Started again: the facts are read at start (in the background); a report meanwhile or
    // after, and a case worked after, all count.
    let server = start(&fixture.config).await;
    let report = |server: std::net::SocketAddr| {
        let token = token.clone();
        async move {
            let reply = authed(server, "/api/v1/stores/demo/insights?tz=60", &token).await;
            assert_eq!(reply.status, 200, "{}", reply.text());
            serde_json::from_value::<Insights>(reply.json()).unwrap()
        }
    };
    let first = report(server.addr).await;
    assert_eq!((first.cases, first.resolve.count), (3, 2));
    let reply = push_json(
        server.addr,
        &json!({ "events": worked(200, T0 + 9 * H + 30 * M, 3) }),
        Some(&token),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    for _ in 0..3 {
        let again = report(server.addr).await;
        assert_eq!((again.cases, again.resolve.count), (3, 3));
    }
    server.stop().await;
}
