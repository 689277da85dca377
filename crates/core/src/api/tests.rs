//! Each wire type against a representative body of the JSON the server speaks (the shapes
//! `openapi.json` documents): read into the type and written back, nothing changes.

use super::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Reads `body` as `T` and writes it back; the result must be the same JSON.
fn round_trip<T: Serialize + DeserializeOwned>(body: Value) -> T {
    let read: T = serde_json::from_value(body.clone()).expect("the body reads as the type");
    let written = serde_json::to_value(&read).expect("the type writes as JSON");
    assert_eq!(written, body);
    read
}

fn event_json() -> Value {
    serde_json::to_value(crate::testing::filed_event(1, 2, 1_000, "charged twice")).unwrap()
}

fn member_json() -> Value {
    json!({"id": "ana", "name": "Ana", "role": "staff", "limit_minor": 2500})
}

fn profile_json() -> Value {
    json!({
        "store": "demo",
        "name": "Demo store",
        "touchpoints": ["front-desk", "checkout-2"],
        "sla": {"acknowledge_within_minutes": 5, "resolve_within_hours": 24},
        "currency": "EUR",
        "follow_up_days": 3,
        "contact_salt": "00112233445566778899aabbccddeeff",
        "languages": ["en", "sv"],
        "chime": false
    })
}

#[test]
fn a_push_request_carries_events_and_ticket_secrets() {
    let body = json!({
        "events": [event_json()],
        "ticket_secrets": {"00000000-0000-0000-0000-000000000002": "abcdefghijklmnop"},
        "sent_at": 1_796_119_200_000i64
    });
    let request: PushRequest = round_trip(body);
    assert_eq!(request.events[0].id.0.as_u128(), 1);
    assert_eq!(
        request.sent_at,
        Some(1_796_119_200_000),
        "the device's clock"
    );
    // The server's reading keeps each element raw.
    let raw: PushRequest<Value> = round_trip(json!({"events": [{"id": "x"}, 3]}));
    assert_eq!(raw.events.len(), 2);
    assert_eq!(raw.ticket_secrets, None);
}

#[test]
fn a_push_request_without_or_with_null_secrets_has_none() {
    let request: PushRequest<Value> =
        serde_json::from_value(json!({"events": [], "ticket_secrets": null})).unwrap();
    assert_eq!(request.ticket_secrets, None);
    assert!(serde_json::from_value::<PushRequest<Value>>(json!({"ticket_secrets": {}})).is_err());
}

#[test]
fn push_results_say_status_and_for_a_rejection_reason_and_detail() {
    let body = json!({"results": [
        {"id": "00000000-0000-0000-0000-000000000001", "status": "stored"},
        {"id": "00000000-0000-0000-0000-000000000003", "status": "duplicate"},
        {"id": null, "status": "rejected", "reason": "malformed", "detail": "missing field `id`"},
        {"id": "e", "status": "rejected", "reason": "refused", "detail": "needs_manager: ..."}
    ]});
    let response: PushResponse = round_trip(body);
    let receipts: Vec<Receipt> = response.results.iter().map(PushResult::receipt).collect();
    assert_eq!(
        receipts,
        [
            Receipt::Stored,
            Receipt::Duplicate,
            Receipt::Rejected(RejectReason::Malformed),
            Receipt::Rejected(RejectReason::Refused),
        ]
    );
    for (result, receipt) in response.results.iter().zip(receipts) {
        let made = PushResult::new(result.id.clone(), receipt, result.detail.clone());
        assert_eq!(&made, result);
    }
}

#[test]
fn every_reject_reason_travels_as_its_code_and_an_unknown_one_needs_attention() {
    for reason in RejectReason::ALL {
        let json = serde_json::to_value(reason).unwrap();
        assert_eq!(json, Value::from(reason.code()));
        assert_eq!(
            serde_json::from_value::<RejectReason>(json).unwrap(),
            reason
        );
    }
    let newer: PushResult =
        serde_json::from_value(json!({"id": "e", "status": "rejected", "reason": "brand_new"}))
            .unwrap();
    assert_eq!(
        newer.receipt(),
        Receipt::Rejected(RejectReason::Unprocessable)
    );
    let bare: PushResult = serde_json::from_value(json!({"status": "rejected"})).unwrap();
    assert_eq!(bare.id, None);
    assert_eq!(
        bare.receipt(),
        Receipt::Rejected(RejectReason::Unprocessable)
    );
    assert!(serde_json::from_value::<PushResult>(json!({"id": "e", "status": "lost"})).is_err());
}

#[test]
fn a_pull_page_has_events_with_their_seq_the_next_cursor_and_more() {
    // The server notes each event's arrival and its device's skew.
    let mut noted = event_json();
    noted["clock"] = json!({"skew_ms": -7_200_000, "received_at": 1_796_119_200_000i64});
    let body = json!({
        "events": [{"seq": 7, "event": event_json()}, {"seq": 9, "event": noted}],
        "next": 9,
        "more": true,
        "now": 1_796_119_260_000i64
    });
    let page: PullPage = round_trip(body.clone());
    assert_eq!((page.next, page.more, page.events[1].seq), (9, true, 9));
    assert_eq!(page.now, 1_796_119_260_000, "the server's clock");
    let clock = page.events[1].event.clock.unwrap();
    assert_eq!(
        (clock.skew_ms, clock.received_at),
        (Some(-7_200_000), Some(crate::Timestamp(1_796_119_200_000)))
    );
    // A client may read the events one by one.
    let raw: PullPage<Value> = round_trip(body);
    assert_eq!(
        raw.events[0].event["id"],
        "00000000-0000-0000-0000-000000000001"
    );
    let empty: PullPage = round_trip(json!({"events": [], "next": 42, "more": false, "now": 5}));
    assert!(empty.events.is_empty());
    // A server from before the clock was sent: `now` reads as 0 (unknown).
    let older: PullPage =
        serde_json::from_value(json!({"events": [], "next": 42, "more": false})).unwrap();
    assert_eq!(older.now, 0);
}

#[test]
fn a_login_request_names_the_person_and_never_shows_the_pin() {
    let request: LoginRequest = round_trip(json!({"staff": "ana", "pin": "246810"}));
    assert_eq!(request.staff, "ana");
    let shown = format!("{request:?}");
    assert!(
        shown.contains("ana") && !shown.contains("246810"),
        "{shown}"
    );
}

#[test]
fn a_session_holds_token_person_profile_and_roster() {
    let body = json!({
        "token": "tok",
        "staff": member_json(),
        "profile": profile_json(),
        "roster": [member_json(), {"id": "max", "name": "Max", "role": "manager", "limit_minor": 100000}]
    });
    let session: Session = round_trip(body);
    assert_eq!(session.staff.id.as_str(), "ana");
    assert_eq!(session.roster.len(), 2);
}

#[test]
fn a_profile_holds_the_store_settings_and_roster() {
    let profile: Profile =
        round_trip(json!({"profile": profile_json(), "roster": [member_json()]}));
    assert_eq!(profile.profile.follow_up_days, 3);
}

fn ticket_json() -> Value {
    let complaint =
        match serde_json::to_value(crate::testing::filed_event(1, 2, 1_000, "charged twice").kind)
            .unwrap()
        {
            Value::Object(mut kind) => kind.remove("complaint").unwrap(),
            other => panic!("not an object: {other}"),
        };
    json!({
        "ticket": "K7M-3QX",
        "store": "demo",
        "store_name": "Demo store",
        "currency": "EUR",
        "status": "resolved",
        "filed_at": 1000,
        "acknowledged_at": 2000,
        "resolved_at": 5000,
        "closed_at": null,
        "follow_up_at": 9000,
        "touchpoint": "checkout-2",
        "category": "billing",
        "complaint": complaint,
        "timeline": [
            {"step": "filed", "at": 1000},
            {"step": "acknowledged", "at": 2000},
            {"step": "resolved", "at": 5000}
        ],
        "resolution": {"remedy": "refund", "value_minor": 1250, "gesture": "a coffee", "at": 5000},
        "explanation": "The card reader charged twice.",
        "rating": {"stars": 4, "comment": "quick"}
    })
}

#[test]
fn a_ticket_view_reads_and_writes_every_field() {
    let view: TicketView = round_trip(ticket_json());
    assert_eq!(view.status, Status::Resolved);
    assert_eq!(view.last_at(), Timestamp(5000));
    assert_eq!(view.resolution.map(|r| r.remedy), Some(Remedy::Refund));
}

#[test]
fn a_new_ticket_view_has_nulls_for_what_has_not_happened() {
    let mut body = ticket_json();
    for key in [
        "store_name",
        "currency",
        "acknowledged_at",
        "resolved_at",
        "follow_up_at",
        "resolution",
        "explanation",
        "rating",
    ] {
        body[key] = Value::Null;
    }
    body["status"] = "filed".into();
    body["timeline"] = json!([{"step": "filed", "at": 1000}]);
    let view: TicketView = round_trip(body);
    assert_eq!(view.last_at(), Timestamp(1000));
    assert_eq!(view.rating, None);
}

#[test]
fn error_bodies_carry_only_the_fields_of_their_kind() {
    let plain: ErrorBody = round_trip(json!({"error": "not_found"}));
    assert_eq!(plain, ErrorBody::code("not_found"));
    round_trip::<ErrorBody>(json!({"error": "bad_request", "detail": "after must be ..."}));
    round_trip::<ErrorBody>(json!({"error": "too_many_events", "max": 200}));
    round_trip::<ErrorBody>(json!({"error": "rate_limited", "retry_after": 3}));
    round_trip::<Health>(json!({"status": "ok", "database": "ok", "version": "0.1.0"}));
}

#[test]
fn urls_name_the_routes_of_the_api() {
    let demo = Slug::parse("demo").unwrap();
    assert_eq!(
        pull_url(&demo, 12, 500),
        "/api/v1/stores/demo/events?limit=500&after=12"
    );
    assert_eq!(login_url(&demo), "/api/v1/stores/demo/staff/login");
    assert_eq!(profile_url(&demo), "/api/v1/stores/demo/profile");
    assert_eq!(ticket_url("K7M-3QX"), "/api/v1/tickets/K7M-3QX");
    assert_eq!(EVENTS_URL, "/api/v1/events");
}
