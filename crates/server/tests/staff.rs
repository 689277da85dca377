//! End-to-end tests of the staff side: stores and rosters in the database,
//! PIN sign-in with its throttle, the store profile, roster-checked staff
//! steps and ticket-holder ratings in pushes, and the customer's view of a
//! ticket. The real server runs in-process on 127.0.0.1 (see `common`), on
//! SQLite or, with `RECOVERY_TEST_DATABASE_URL`, PostgreSQL.

mod common;

use common::{Fixture, Reply, ana, get, pull, push_json, request, signed, slug, start};
use recovery_core::{
    Actor, Category, Cause, CauseCategory, ComplaintDraft, Event, EventKind, Impact, PinHash,
    Remedy, Role, StaffMember, TicketCode, Timestamp, validate,
};
use recovery_server::staff::{self, StoreSettings};
use recovery_server::store::{Database, Mode};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_recovery-server");
const SECRET: &str = "c2VjcmV0LW9mLXRoZS1jdXN0b21lcg";
const ANA_PIN: &str = "246810";
const MAX_PIN: &str = "135790";
const T0: i64 = 1_700_000_000_000;

/// Rounds for test PIN hashes: the stored rounds are what a check costs,
/// and the real 120,000 take over a second each in a debug build.
const TEST_ROUNDS: u32 = 1_000;

fn max() -> StaffMember {
    StaffMember {
        id: slug("max"),
        name: "Max".into(),
        role: Role::Manager,
        limit_minor: 100_000,
    }
}

/// Creates `store` (with two touchpoints) and its staff directly in the
/// database, PINs hashed with [`TEST_ROUNDS`].
async fn roster(fixture: &Fixture, store: &str, members: &[(StaffMember, &str)]) {
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    let mut settings = StoreSettings::new(slug(store), "Demo store");
    settings.touchpoints = Some(vec![slug("front-desk"), slug("checkout-2")]);
    settings.places = [(slug("checkout-2"), "Checkout 2".to_owned())].into();
    settings.ack_minutes = 5;
    db.transaction(Mode::Write, move |db| staff::put_store(db, &settings))
        .await
        .unwrap();
    for (member, pin) in members {
        let hash = PinHash::new(pin, &[7u8; 16], TEST_ROUNDS);
        let (store, member) = (slug(store), member.clone());
        db.transaction(Mode::Write, move |db| {
            Ok(staff::put_staff(db, &store, &member, &hash))
        })
        .await
        .unwrap()
        .unwrap();
    }
    db.close().await.unwrap();
}

/// The demo store with Ana and Max, and the signing keys of their tablet
/// (and of Zoe, who is on no roster: a key alone grants nothing).
async fn demo(fixture: &Fixture) {
    roster(fixture, "demo", &[(ana(), ANA_PIN), (max(), MAX_PIN)]).await;
    fixture.register_keys("demo", &["ana", "max", "zoe"]).await;
}

async fn login(addr: std::net::SocketAddr, store: &str, body: &Value) -> Reply {
    request(
        addr,
        "POST",
        &format!("/api/v1/stores/{store}/staff/login"),
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
    .await
}

async fn sign_in(addr: std::net::SocketAddr, id: &str, pin: &str) -> Reply {
    login(addr, "demo", &json!({"staff": id, "pin": pin})).await
}

fn staff_row(fixture: &Fixture, id: &str) -> Vec<String> {
    let rows = fixture.rows(&format!(
        "SELECT CAST(failures AS TEXT), COALESCE(CAST(last_failure_ms AS TEXT), '') FROM staff
         WHERE store = 'demo' AND id = '{id}'"
    ));
    rows.into_iter().next().unwrap()
}

// ------------------------------------------------------------ events

/// An event of `kind`; a staff step comes signed by the person it names
/// (their key registered by [`demo`]), as the tablet sends it.
fn event(n: u128, case: u128, at: i64, kind: EventKind) -> Event {
    let mut e = recovery_core::testing::filed_event(n, case, at, "x");
    e.kind = kind;
    signed(e)
}

/// A filing with consent to contact (so a follow-up may be scheduled);
/// `serious` makes it a case only a manager may resolve.
fn filing(n: u128, case: u128, serious: bool) -> Event {
    let complaint = validate(&ComplaintDraft {
        category: Some(Category::Billing),
        description: "charged twice for one coffee".into(),
        impact: Some(if serious {
            Impact::Severe
        } else {
            Impact::Minor
        }),
        contact: "ana.customer@example.com".into(),
        consent_to_contact: true,
        ..Default::default()
    })
    .unwrap();
    event(
        n,
        case,
        T0,
        EventKind::Filed {
            complaint,
            utc_offset_minutes: 60,
        },
    )
}

fn actor(member: &StaffMember) -> Actor {
    member.actor()
}

fn acknowledged(n: u128, case: u128, at: i64, by: Actor) -> Event {
    event(
        n,
        case,
        at,
        EventKind::Acknowledged {
            by,
            apology: "I am sorry about the double charge.".into(),
            avoidable: None,
        },
    )
}

fn resolved(n: u128, case: u128, at: i64, by: Actor, value_minor: u32) -> Event {
    event(
        n,
        case,
        at,
        EventKind::Resolved {
            by,
            remedy: Remedy::Refund,
            value_minor,
            gesture: "a free coffee".into(),
            follow_up_at: Some(Timestamp(at + 3 * 86_400_000)),
        },
    )
}

fn rated(n: u128, case: u128, at: i64, stars: u8) -> Event {
    event(
        n,
        case,
        at,
        EventKind::Rated {
            stars,
            comment: "quick and kind".into(),
        },
    )
}

async fn results(addr: std::net::SocketAddr, body: &Value, token: Option<&str>) -> Vec<Value> {
    let reply = push_json(addr, body, token).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["results"].as_array().unwrap().clone()
}

fn summary(results: &[Value]) -> Vec<(String, Option<String>)> {
    results
        .iter()
        .map(|r| {
            (
                r["status"].as_str().unwrap().to_owned(),
                r["reason"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn owned(list: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    list.iter()
        .map(|(s, r)| (s.to_string(), r.map(str::to_owned)))
        .collect()
}

// ------------------------------------------------------------- tests

#[tokio::test]
async fn a_staff_member_signs_in_with_their_pin_and_the_pin_is_never_stored_or_returned() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    let server = start(&fixture.config).await;

    let reply = sign_in(server.addr, "ana", ANA_PIN).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let body = reply.json();
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    let salt = body["profile"]["contact_salt"].as_str().unwrap().to_owned();
    assert_eq!(salt.len(), 32);
    assert_eq!(
        body,
        json!({
            "token": token,
            "staff": {"id": "ana", "name": "Ana", "role": "staff", "limit_minor": 2500},
            "profile": {
                "store": "demo",
                "name": "Demo store",
                "touchpoints": ["front-desk", "checkout-2"],
                "sla": {"acknowledge_within_minutes": 5, "resolve_within_hours": 24},
                "currency": "EUR",
                "follow_up_days": 3,
                "contact_salt": salt,
                "languages": ["en", "id", "ms", "sv"],
                "chime": false,
                "places": {"checkout-2": "Checkout 2"},
            },
            "roster": [
                {"id": "ana", "name": "Ana", "role": "staff", "limit_minor": 2500},
                {"id": "max", "name": "Max", "role": "manager", "limit_minor": 100000},
            ],
        })
    );
    // Neither the PIN nor anything of its hash comes back.
    let text = reply.text();
    assert!(!text.contains(ANA_PIN), "{text}");
    assert!(!text.contains("pin"), "{text}");

    // The session token works wherever a staff token does.
    assert_eq!(pull(server.addr, "demo", "", &token).await.status, 200);
    assert_eq!(pull(server.addr, "other", "", &token).await.status, 403);
    let auth = format!("Bearer {token}");
    let profile = get(
        server.addr,
        "/api/v1/stores/demo/profile",
        &[("Authorization", &auth)],
    )
    .await;
    assert_eq!(profile.status, 200);
    assert_eq!(
        profile.json(),
        json!({"profile": body["profile"], "roster": body["roster"]})
    );

    server.stop().await;

    // Stored: the token's hash with its staff member and a 30-day expiry;
    // the PIN nowhere.
    let rows = fixture.rows(
        "SELECT token_hash, staff, CAST(expires_at_ms - created_at_ms AS TEXT) FROM staff_tokens",
    );
    assert_eq!(
        rows,
        [[
            recovery_server::secrets::sha256_hex(&token),
            "ana".to_owned(),
            (30i64 * 24 * 3_600_000).to_string()
        ]]
    );
    let everything = fixture.rows(
        "SELECT concat_ws(' ', s.store, s.id, s.name, s.role, s.pin_salt, s.pin_hash, t.token_hash, t.label)
         FROM staff s, staff_tokens t",
    );
    for row in everything {
        assert!(!row[0].contains(ANA_PIN), "the PIN is stored: {row:?}");
        assert!(!row[0].contains(&token), "the token is stored: {row:?}");
    }
}

#[tokio::test]
async fn a_wrong_pin_an_unknown_person_and_an_unknown_store_get_the_same_401() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    let server = start(&fixture.config).await;
    let wrong = json!({"error": "wrong_pin"});

    for (store, body) in [
        ("demo", json!({"staff": "ana", "pin": "111111"})),
        ("demo", json!({"staff": "ana", "pin": MAX_PIN})),
        ("demo", json!({"staff": "zoe", "pin": ANA_PIN})),
        ("demo", json!({"staff": "Not A Slug", "pin": ANA_PIN})),
        ("demo", json!({"staff": "ana", "pin": "12ab56"})),
        ("other", json!({"staff": "ana", "pin": ANA_PIN})),
    ] {
        let reply = login(server.addr, store, &body).await;
        assert_eq!(reply.status, 401, "{store} {body}");
        assert_eq!(reply.json(), wrong, "{store} {body}");
        assert!(!reply.text().contains(ANA_PIN));
    }
    // An inactive member is nobody, even with the right PIN.
    fixture.execute("UPDATE staff SET active = (1 = 0) WHERE id = 'max'");
    let reply = sign_in(server.addr, "max", MAX_PIN).await;
    assert_eq!(reply.status, 401);

    for body in [&b"not json"[..], b"{}", b"{\"staff\": \"ana\"}"] {
        let reply = request(
            server.addr,
            "POST",
            "/api/v1/stores/demo/staff/login",
            &[("Content-Type", "application/json")],
            body,
        )
        .await;
        assert_eq!(reply.status, 400, "{}", String::from_utf8_lossy(body));
        assert_eq!(reply.json()["error"], "bad_request");
    }
    let reply = login(
        server.addr,
        "Bad_Store",
        &json!({"staff": "ana", "pin": ANA_PIN}),
    )
    .await;
    assert_eq!(reply.status, 400);

    server.stop().await;
}

#[tokio::test]
async fn failed_pins_make_the_next_try_wait_then_lock_after_ten_until_it_lifts_or_unlock_staff() {
    let mut fixture = Fixture::new();
    // One address makes every try here: its own budget is the subject of
    // other tests.
    fixture.config.budgets.sign_in_failures_per_address = 0;
    demo(&fixture).await;
    let server = start(&fixture.config).await;

    // Two failures cost nothing; a success clears them.
    for _ in 0..2 {
        assert_eq!(sign_in(server.addr, "ana", "111111").await.status, 401);
    }
    assert_eq!(staff_row(&fixture, "ana")[0], "2");
    assert_eq!(sign_in(server.addr, "ana", ANA_PIN).await.status, 200);
    assert_eq!(staff_row(&fixture, "ana"), ["0", ""]);

    // Three failures: the next try must wait 5 s, whatever the PIN.
    for _ in 0..3 {
        assert_eq!(sign_in(server.addr, "ana", "111111").await.status, 401);
    }
    let wait = sign_in(server.addr, "ana", ANA_PIN).await;
    assert_eq!(wait.status, 429, "{}", wait.text());
    assert_eq!(wait.json(), json!({"error": "wait"}));
    let secs: u64 = wait.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=5).contains(&secs), "{secs}");
    // Waiting does not count as a failure; someone else is not held up.
    assert_eq!(staff_row(&fixture, "ana")[0], "3");
    assert_eq!(sign_in(server.addr, "max", MAX_PIN).await.status, 200);

    // Let each wait pass (by moving the failure 5 minutes into the past,
    // the longest wait, well within the 15 minutes failures are
    // remembered) and fail again, up to ten failures.
    let earlier = "UPDATE staff SET last_failure_ms = last_failure_ms - 300000 WHERE id = 'ana'";
    for failures in 4..=10 {
        fixture.execute(earlier);
        let reply = sign_in(server.addr, "ana", "111111").await;
        assert_eq!(reply.status, 401, "failure {failures}");
        assert_eq!(staff_row(&fixture, "ana")[0], failures.to_string());
    }
    fixture.execute(earlier);
    let locked = sign_in(server.addr, "ana", ANA_PIN).await;
    assert_eq!(locked.status, 423);
    assert_eq!(locked.json(), json!({"error": "locked"}));
    // It lifts 15 minutes after the latest failure, 10 minutes from now.
    let secs: u64 = locked.header("retry-after").unwrap().parse().unwrap();
    assert!((595..=600).contains(&secs), "{secs}");
    assert_eq!(staff_row(&fixture, "ana")[0], "10");

    // A quarter of an hour after the latest failure the lock has lifted by
    // itself: the right PIN works and clears the count.
    fixture.execute("UPDATE staff SET last_failure_ms = last_failure_ms - 600000 WHERE id = 'ana'");
    assert_eq!(sign_in(server.addr, "ana", ANA_PIN).await.status, 200);
    assert_eq!(staff_row(&fixture, "ana"), ["0", ""]);

    // Locked again just now: an operator may unlock at once.
    let now = recovery_server::store::now_ms();
    fixture.execute(&format!(
        "UPDATE staff SET failures = 10, last_failure_ms = {now} WHERE id = 'ana'"
    ));
    assert_eq!(sign_in(server.addr, "ana", ANA_PIN).await.status, 423);
    let output = std::process::Command::new(BIN)
        .args(["unlock-staff", "--store", "demo", "--id", "ana"])
        .args(fixture.db_args())
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty());
    assert_eq!(sign_in(server.addr, "ana", ANA_PIN).await.status, 200);
    assert_eq!(staff_row(&fixture, "ana"), ["0", ""]);

    let nobody = std::process::Command::new(BIN)
        .args(["unlock-staff", "--store", "demo", "--id", "zoe"])
        .args(fixture.db_args())
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert_eq!(nobody.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&nobody.stderr).contains("no staff member 'zoe'"),
        "{nobody:?}"
    );

    server.stop().await;
}

#[tokio::test]
async fn a_store_s_promise_is_public_says_its_own_target_and_has_a_budget() {
    let mut fixture = Fixture::new();
    demo(&fixture).await;
    // Public reads share the per-address request budget.
    fixture.config.rate_limit = 4;
    let server = start(&fixture.config).await;

    let reply = get(server.addr, "/api/v1/stores/demo/promise", &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    // The demo store's own target (5 minutes), not the default of 10.
    let promise: recovery_core::api::Promise = serde_json::from_str(&reply.text()).unwrap();
    assert_eq!(promise.acknowledge_within_minutes, 5);
    // And the server's sealing key (a raw P-256 point, base64url), nothing else.
    let key = promise.seal_key.clone().unwrap();
    assert_eq!(key.len(), 87, "{key}");
    assert_eq!(
        reply.json(),
        json!({"acknowledge_within_minutes": 5, "seal_key": key})
    );

    let nowhere = get(server.addr, "/api/v1/stores/nowhere/promise", &[]).await;
    assert_eq!(nowhere.status, 404);
    let bad = get(server.addr, "/api/v1/stores/Not%20A%20Slug/promise", &[]).await;
    assert_eq!(bad.status, 400);
    // The fourth read of the minute is still answered, the fifth is refused.
    assert_eq!(
        get(server.addr, "/api/v1/stores/demo/promise", &[])
            .await
            .status,
        200
    );
    let over = get(server.addr, "/api/v1/stores/demo/promise", &[]).await;
    assert_eq!(over.status, 429);
    assert!(over.header("retry-after").is_some());
    server.stop().await;
}

#[tokio::test]
async fn the_profile_needs_a_staff_token_of_that_store() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    roster(&fixture, "other", &[]).await;
    let device = fixture.token("demo").await;
    let other = fixture.token("other").await;
    let lost = fixture.token("nowhere").await;
    let server = start(&fixture.config).await;
    let path = "/api/v1/stores/demo/profile";

    let reply = get(
        server.addr,
        path,
        &[("Authorization", &format!("Bearer {device}"))],
    )
    .await;
    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!(body["profile"]["store"], "demo");
    assert_eq!(body["roster"].as_array().unwrap().len(), 2);

    let anonymous = get(server.addr, path, &[]).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.json(), json!({"error": "unauthorized"}));
    let bogus = get(server.addr, path, &[("Authorization", "Bearer nope")]).await;
    assert_eq!(bogus.status, 401);
    let foreign = get(
        server.addr,
        path,
        &[("Authorization", &format!("Bearer {other}"))],
    )
    .await;
    assert_eq!(foreign.status, 403);
    assert_eq!(foreign.json(), json!({"error": "forbidden"}));
    let missing = get(
        server.addr,
        "/api/v1/stores/nowhere/profile",
        &[("Authorization", &format!("Bearer {lost}"))],
    )
    .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json(), json!({"error": "not_found"}));

    // A session token stops working once its staff member is made inactive
    // or once it expires; a device token has no expiry.
    let session = sign_in(server.addr, "ana", ANA_PIN).await.json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let with = |token: &str| format!("Bearer {token}");
    assert_eq!(
        get(server.addr, path, &[("Authorization", &with(&session))])
            .await
            .status,
        200
    );
    fixture.execute("UPDATE staff_tokens SET expires_at_ms = 1 WHERE staff = 'ana'");
    assert_eq!(
        get(server.addr, path, &[("Authorization", &with(&session))])
            .await
            .status,
        401
    );
    let session = sign_in(server.addr, "ana", ANA_PIN).await.json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    fixture.execute("UPDATE staff SET active = (1 = 0) WHERE id = 'ana'");
    assert_eq!(
        get(server.addr, path, &[("Authorization", &with(&session))])
            .await
            .status,
        401
    );
    let body = get(server.addr, path, &[("Authorization", &with(&device))])
        .await
        .json();
    let ids: Vec<&str> = body["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["max"], "inactive staff are not on the roster");

    server.stop().await;
}

#[tokio::test]
async fn staff_steps_need_a_token_and_an_actor_on_the_roster_with_no_more_authority() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    roster(&fixture, "other", &[]).await;
    let token = fixture.token("demo").await;
    let other = fixture.token("other").await;
    let server = start(&fixture.config).await;

    let case = 0xa1;
    let filed = filing(1, case, false);
    assert_eq!(
        summary(&results(server.addr, &json!({"events": [filed]}), None).await),
        owned(&[("stored", None)])
    );

    // A customer's device cannot take a staff step, even naming real staff.
    let ack = acknowledged(2, case, T0 + 1000, actor(&ana()));
    let body = json!({"events": [ack]});
    let refused = results(server.addr, &body, None).await;
    assert_eq!(summary(&refused), owned(&[("rejected", Some("forbidden"))]));
    assert_eq!(
        refused[0]["detail"],
        "a 'acknowledged' event needs a staff token"
    );
    // Nor can another store's staff.
    let foreign = results(server.addr, &body, Some(&other)).await;
    assert_eq!(summary(&foreign), owned(&[("rejected", Some("forbidden"))]));

    // Forged authority: a higher limit, another role, someone not on the
    // roster, someone inactive.
    let mut richer = actor(&ana());
    richer.limit_minor = 100_000;
    let mut promoted = actor(&ana());
    promoted.role = Role::Manager;
    let stranger = Actor {
        staff: slug("zoe"),
        role: Role::Manager,
        limit_minor: 0,
    };
    let forged = json!({"events": [
        acknowledged(3, case, T0 + 1000, richer),
        acknowledged(4, case, T0 + 1000, promoted),
        acknowledged(5, case, T0 + 1000, stranger),
    ]});
    let refused = results(server.addr, &forged, Some(&token)).await;
    assert_eq!(
        summary(&refused),
        owned(&[
            ("rejected", Some("forbidden")),
            ("rejected", Some("forbidden")),
            ("rejected", Some("forbidden")),
        ])
    );
    assert_eq!(
        refused[0]["detail"],
        "'ana' may give up to 2500 on the roster, not 100000"
    );
    assert_eq!(
        refused[1]["detail"],
        "'ana' is staff on the roster, not manager"
    );
    assert_eq!(
        refused[2]["detail"],
        "'zoe' is not an active staff member of store 'demo'"
    );

    // A lower limit than the roster's is no forgery; the real one passes.
    let mut humbler = actor(&ana());
    humbler.limit_minor = 1000;
    let ok = results(
        server.addr,
        &json!({"events": [acknowledged(6, case, T0 + 1000, humbler)]}),
        Some(&token),
    )
    .await;
    assert_eq!(summary(&ok), owned(&[("stored", None)]));

    // The core's refusals come back with their key first.
    let above = results(
        server.addr,
        &json!({"events": [resolved(7, case, T0 + 2000, actor(&ana()), 2501)]}),
        Some(&token),
    )
    .await;
    assert_eq!(summary(&above), owned(&[("rejected", Some("refused"))]));
    assert_eq!(
        above[0]["detail"],
        "above_authority: a remedy of 2501 is above the authority limit of 2500"
    );

    // A serious case: only a manager may resolve it.
    let serious = 0xa2;
    let batch = json!({"events": [
        filing(10, serious, true),
        acknowledged(11, serious, T0 + 1000, actor(&ana())),
        resolved(12, serious, T0 + 2000, actor(&ana()), 500),
        resolved(13, serious, T0 + 2000, actor(&max()), 5000),
    ]});
    let outcome = results(server.addr, &batch, Some(&token)).await;
    assert_eq!(
        summary(&outcome),
        owned(&[
            ("stored", None),
            ("stored", None),
            ("rejected", Some("refused")),
            ("stored", None),
        ])
    );
    assert_eq!(
        outcome[2]["detail"],
        "needs_manager: only a manager may resolve this case"
    );

    // Exactly once as before: a replay is a duplicate, even after its actor
    // has left the roster; a new step by them is refused.
    fixture.execute("UPDATE staff SET active = (1 = 0) WHERE id = 'ana'");
    let replay = results(server.addr, &batch, Some(&token)).await;
    assert_eq!(
        summary(&replay),
        owned(&[
            ("duplicate", None),
            ("duplicate", None),
            ("rejected", Some("forbidden")),
            ("duplicate", None),
        ])
    );

    server.stop().await;
}

#[tokio::test]
async fn a_rating_needs_the_cases_ticket_secret_or_a_staff_token() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    let token = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    let case = 0xb1;
    let filed = filing(1, case, false);
    let case_id = filed.case.to_string();
    let body = json!({"events": [filed], "ticket_secrets": {case_id.clone(): SECRET}});
    assert_eq!(
        results(server.addr, &body, None).await[0]["status"],
        "stored"
    );
    let steps = json!({"events": [
        acknowledged(2, case, T0 + 1000, actor(&ana())),
        resolved(3, case, T0 + 2000, actor(&ana()), 500),
    ]});
    let done = results(server.addr, &steps, Some(&token)).await;
    assert_eq!(summary(&done), owned(&[("stored", None), ("stored", None)]));

    let rating = rated(4, case, T0 + 3000, 5);
    let expected_detail = "a 'rated' event needs a staff token or the case's ticket secret";
    for secrets in [
        json!({}),
        json!({case_id.clone(): "wrong-secret-of-good-length"}),
        json!({"00000000-0000-0000-0000-0000000000b2": SECRET}),
    ] {
        let body = json!({"events": [rating], "ticket_secrets": secrets});
        let refused = results(server.addr, &body, None).await;
        assert_eq!(
            summary(&refused),
            owned(&[("rejected", Some("forbidden"))]),
            "{secrets}"
        );
        assert_eq!(refused[0]["detail"], expected_detail);
    }
    // The secret of another case does not rate this one.
    let other = filing(20, 0xb2, false);
    let other_body = json!({"events": [other], "ticket_secrets": {other.case.to_string(): "another-customers-secret"}});
    results(server.addr, &other_body, None).await;
    let body = json!({"events": [rating], "ticket_secrets": {case_id.clone(): "another-customers-secret"}});
    assert_eq!(
        summary(&results(server.addr, &body, None).await),
        owned(&[("rejected", Some("forbidden"))])
    );

    let body = json!({"events": [rating], "ticket_secrets": {case_id.clone(): SECRET}});
    assert_eq!(
        summary(&results(server.addr, &body, None).await),
        owned(&[("stored", None)])
    );
    // Staff may record the rating given on the tablet too.
    let body = json!({"events": [rated(5, case, T0 + 4000, 4)]});
    assert_eq!(
        summary(&results(server.addr, &body, Some(&token)).await),
        owned(&[("stored", None)])
    );

    server.stop().await;
}

#[tokio::test]
async fn the_customers_ticket_shows_their_view_and_nothing_of_staff_notes_or_names() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    let token = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    let case = 0x1234_5678_0000_0000_0000_0000_0000_00c1;
    let filed = filing(1, case, false);
    let code = TicketCode::from_case(filed.case);
    let complaint = match &filed.kind {
        EventKind::Filed { complaint, .. } => serde_json::to_value(complaint).unwrap(),
        _ => unreachable!(),
    };
    let body = json!({"events": [filed], "ticket_secrets": {filed.case.to_string(): SECRET}});
    results(server.addr, &body, None).await;

    let note = "SECRET-NOTE customer was rude to the cashier";
    let reason = "SECRET-REASON second double charge this month";
    let steps = json!({"events": [
        acknowledged(2, case, T0 + 1000, actor(&ana())),
        event(3, case, T0 + 2000, EventKind::Noted { by: actor(&ana()), note: note.into() }),
        event(4, case, T0 + 3000, EventKind::Escalated { by: actor(&ana()), reason: reason.into() }),
        resolved(5, case, T0 + 4000, actor(&max()), 450),
    ]});
    let stored = results(server.addr, &steps, Some(&token)).await;
    assert!(stored.iter().all(|r| r["status"] == "stored"), "{stored:?}");
    let rate = json!({"events": [rated(6, case, T0 + 5000, 4)], "ticket_secrets": {filed.case.to_string(): SECRET}});
    assert_eq!(
        results(server.addr, &rate, None).await[0]["status"],
        "stored"
    );
    let close = json!({"events": [event(7, case, T0 + 6000, EventKind::Closed {
        by: actor(&max()),
        cause: Cause {
            category: CauseCategory::Equipment,
            sub_cause: "SECRET-SUBCAUSE till froze".into(),
            departments: vec!["SECRET-DEPARTMENT checkout".into()],
            people: vec!["SECRET-PERSON Bob".into()],
            explanation: "Our card terminal sent the payment twice; it is being replaced.".into(),
            factors: vec![],
        },
    })]});
    assert_eq!(
        results(server.addr, &close, Some(&token)).await[0]["status"],
        "stored"
    );

    let reply = get(
        server.addr,
        &format!("/api/v1/tickets/{code}"),
        &[("X-Ticket-Secret", SECRET)],
    )
    .await;
    assert_eq!(reply.status, 200);
    let follow_up = T0 + 4000 + 3 * 86_400_000;
    assert_eq!(
        reply.json(),
        json!({
            "ticket": code.as_str(),
            "store": "demo",
            "store_name": "Demo store",
            "currency": "EUR",
            "status": "closed",
            "filed_at": T0,
            "acknowledged_at": T0 + 1000,
            "resolved_at": T0 + 4000,
            "closed_at": T0 + 6000,
            "follow_up_at": follow_up,
            "touchpoint": "checkout-2",
            "place": "Checkout 2",
            "category": "billing",
            "complaint": complaint,
            "timeline": [
                {"step": "filed", "at": T0},
                {"step": "acknowledged", "at": T0 + 1000},
                {"step": "noted", "at": T0 + 2000},
                {"step": "escalated", "at": T0 + 3000},
                {"step": "resolved", "at": T0 + 4000},
                {"step": "rated", "at": T0 + 5000},
                {"step": "closed", "at": T0 + 6000},
            ],
            "resolution": {"remedy": "refund", "value_minor": 450, "gesture": "a free coffee", "at": T0 + 4000},
            "explanation": "Our card terminal sent the payment twice; it is being replaced.",
            "rating": {"stars": 4, "comment": "quick and kind"},
        })
    );
    let text = reply.text();
    for hidden in ["SECRET-", "\"ana\"", "\"max\"", "by", "apology", "sorry"] {
        assert!(!text.contains(hidden), "{hidden} shows in {text}");
    }

    server.stop().await;
}

// ---------------------------------------------------------------- CLI

fn cli(fixture: &Fixture) -> std::process::Command {
    let mut command = std::process::Command::new(BIN);
    command
        .env_remove("RECOVERY_DB")
        .env_remove("RECOVERY_DATABASE_URL")
        .env_remove("RECOVERY_PIN")
        .env("RUST_LOG", "warn");
    let _ = fixture;
    command
}

fn run_with_stdin(mut command: std::process::Command, stdin: &str) -> std::process::Output {
    use std::io::Write;
    command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn seed_demo_makes_the_demo_store_and_staff_and_prints_their_pins_idempotently() {
    let fixture = Fixture::new();
    let expected = "demo\tana\tAna\tstaff\t246810\ndemo\tmax\tMax\tmanager\t135790\n\
                    chain:demo\tcleo\tCleo\tadmin\tdemo-admin-cleo\n\
                    chain:demo\tari\tAri\tarea\tdemo-area-ari\n";
    for round in 0..2 {
        let output = cli(&fixture)
            .arg("seed-demo")
            .args(fixture.db_args())
            .output()
            .unwrap();
        assert!(output.status.success(), "round {round}: {output:?}");
        assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
    }
    let salt = fixture.rows("SELECT contact_salt FROM stores");
    assert_eq!(salt.len(), 1);
    let server = start(&fixture.config).await;
    let reply = sign_in(server.addr, "max", MAX_PIN).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    assert_eq!(
        body["staff"],
        json!({"id": "max", "name": "Max", "role": "manager", "limit_minor": 100000})
    );
    assert_eq!(
        body["profile"]["touchpoints"],
        json!(["front-desk", "checkout-2", "fitting-room", "delivery-desk"])
    );
    assert_eq!(
        body["profile"]["places"],
        json!({
            "checkout-2": "Checkout 2",
            "delivery-desk": "Delivery desk",
            "fitting-room": "Fitting rooms",
            "front-desk": "Front desk"
        })
    );
    assert_eq!(body["profile"]["sla"]["acknowledge_within_minutes"], 5);
    assert_eq!(body["profile"]["contact_salt"], salt[0][0].as_str());
    assert_eq!(
        body["profile"]["languages"],
        json!(["en", "id", "ms", "sv"])
    );
    server.stop().await;
    // Real hashes: the rounds the core asks for, a fresh salt each.
    let rows =
        fixture.rows("SELECT CAST(pin_rounds AS TEXT), pin_salt, pin_hash FROM staff ORDER BY id");
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert_eq!(row[0], recovery_core::PIN_ROUNDS.to_string());
        assert_eq!(row[1].len(), 32);
        assert_ne!(row[2], ANA_PIN);
        assert_ne!(row[2], MAX_PIN);
    }
    assert_ne!(rows[0][1], rows[1][1]);
}

#[tokio::test]
async fn add_store_and_add_staff_take_the_pin_from_the_environment_or_stdin_only() {
    let fixture = Fixture::new();
    let output = cli(&fixture)
        .args([
            "add-store",
            "--store",
            "acme",
            "--name",
            "Acme Mall",
            "--touchpoint",
            "door",
            "--touchpoint",
            "till-1",
            "--currency",
            "sek",
            "--ack-minutes",
            "7",
            "--resolve-hours",
            "48",
            "--follow-up-days",
            "5",
            "--languages",
            "ms,en",
        ])
        .args(fixture.db_args())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        fixture.rows("SELECT languages FROM stores WHERE slug = 'acme'"),
        [["ms,en"]]
    );
    // Again, renamed, without touchpoints or languages: they are kept; the salt too.
    let salt = fixture.rows("SELECT contact_salt FROM stores WHERE slug = 'acme'");
    let output = cli(&fixture)
        .args(["add-store", "--store", "acme", "--name", "Acme"])
        .args(fixture.db_args())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        fixture.rows(
            "SELECT name, currency, CAST(ack_minutes AS TEXT), contact_salt FROM stores WHERE slug = 'acme'"
        ),
        [["Acme".to_owned(), "EUR".to_owned(), "10".to_owned(), salt[0][0].clone()]]
    );
    assert_eq!(
        fixture.rows("SELECT slug FROM touchpoints WHERE store = 'acme' ORDER BY position"),
        [["door"], ["till-1"]]
    );
    assert_eq!(
        fixture.rows("SELECT languages FROM stores WHERE slug = 'acme'"),
        [["ms,en"]]
    );
    // A language the product does not speak is refused, and nothing changes.
    let output = cli(&fixture)
        .args([
            "add-store",
            "--store",
            "acme",
            "--name",
            "Acme",
            "--languages",
            "en,fr",
        ])
        .args(fixture.db_args())
        .output()
        .unwrap();
    assert!(!output.status.success(), "{output:?}");
    assert_eq!(
        fixture.rows("SELECT languages FROM stores WHERE slug = 'acme'"),
        [["ms,en"]]
    );

    let add = |id: &str| {
        let mut command = cli(&fixture);
        command
            .args([
                "add-staff",
                "--store",
                "acme",
                "--id",
                id,
                "--name",
                "Sam Lee",
            ])
            .args(["--role", "staff", "--limit", "1500"])
            .args(fixture.db_args());
        command
    };
    let mut from_env = add("sam");
    from_env.env("RECOVERY_PIN", "4242421");
    let output = from_env.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty());
    let output = run_with_stdin(add("kim"), "98765432\n");
    assert!(output.status.success(), "{output:?}");

    for bad in ["12345", "1234567890123", "12ab56", "", " 123456"] {
        let output = run_with_stdin(add("lou"), &format!("{bad}\n"));
        assert_eq!(output.status.code(), Some(2), "{bad:?}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("6 to 12 digits"), "{stderr}");
        if !bad.trim().is_empty() {
            assert!(!stderr.contains(bad.trim()), "the PIN is echoed: {stderr}");
        }
    }
    let mut unknown = cli(&fixture);
    unknown
        .args([
            "add-staff",
            "--store",
            "nowhere",
            "--id",
            "x",
            "--name",
            "X",
        ])
        .args(["--role", "manager", "--limit", "0"])
        .args(fixture.db_args())
        .env("RECOVERY_PIN", "123456");
    let output = unknown.output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("add-store"));

    assert_eq!(
        fixture.rows("SELECT id, name, role, CAST(limit_minor AS TEXT) FROM staff ORDER BY id"),
        [
            ["kim", "Sam Lee", "staff", "1500"],
            ["sam", "Sam Lee", "staff", "1500"]
        ]
    );
    let server = start(&fixture.config).await;
    let reply = login(
        server.addr,
        "acme",
        &json!({"staff": "sam", "pin": "4242421"}),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let reply = login(
        server.addr,
        "acme",
        &json!({"staff": "kim", "pin": "98765432"}),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    server.stop().await;
}

#[tokio::test]
async fn a_customer_is_forgotten_after_the_stores_retention_or_at_once_when_asked() {
    use recovery_server::rules::erase::{Asked, erase_ticket, sweep};
    let fixture = Fixture::new();
    demo(&fixture).await;
    let token = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    // Cases whose ticket codes differ (the code is the id's first 30 bits), and a third that
    // shares the open case's code.
    let (closed, open, twin) = (0xe1 << 120, 0xe2 << 120, (0xe2 << 120) + 1);
    let mut filings = vec![
        filing(1, closed, false),
        filing(11, open, false),
        filing(21, twin, false),
    ];
    for f in &mut filings {
        if let EventKind::Filed { complaint, .. } = &mut f.kind {
            complaint.name = Some("Sam Lee".into());
        }
    }
    results(server.addr, &json!({ "events": filings }), None).await;
    let close = EventKind::Closed {
        by: actor(&max()),
        cause: Cause {
            category: CauseCategory::Process,
            sub_cause: "Double scan".into(),
            departments: vec![],
            people: vec![],
            explanation: "The till scanned it twice.".into(),
            factors: vec![],
        },
    };
    let steps = json!({"events": [
        acknowledged(2, closed, T0 + 1000, actor(&ana())),
        resolved(3, closed, T0 + 2000, actor(&max()), 100),
        event(4, closed, T0 + 3000, close),
    ]});
    let stored = results(server.addr, &steps, Some(&token)).await;
    assert!(stored.iter().all(|r| r["status"] == "stored"), "{stored:?}");

    let db = Database::connect(&fixture.config.location()).await.unwrap();
    let day = 86_400_000;
    let now = recovery_server::store::now_ms();
    // Within the demo store's 365 days nothing goes; past them, the closed case only.
    assert_eq!(sweep(&db, now + 300 * day).await.unwrap(), 0);
    assert_eq!(sweep(&db, now + 366 * day).await.unwrap(), 1);
    assert_eq!(sweep(&db, now + 400 * day).await.unwrap(), 0, "once");
    let details = |events: &[(i64, Event)], case: u128| {
        events
            .iter()
            .find_map(|(_, e)| match &e.kind {
                EventKind::Filed { complaint, .. } if e.case.0.as_u128() == case => Some((
                    complaint.name.clone(),
                    complaint.contact.is_some(),
                    complaint.description.clone(),
                )),
                _ => None,
            })
            .unwrap()
    };
    let events = common::pull_all(server.addr, "demo", &token).await;
    assert_eq!(
        details(&events, closed),
        (None, false, "charged twice for one coffee".into())
    );
    assert_eq!(details(&events, open).0.as_deref(), Some("Sam Lee"));
    let erasures: Vec<&Event> = events
        .iter()
        .map(|(_, e)| e)
        .filter(|e| matches!(e.kind, EventKind::Erased { .. }))
        .collect();
    assert_eq!(erasures.len(), 1);
    assert_eq!(erasures[0].case.0.as_u128(), closed);
    // The read model a tablet signs in from holds the erased filing and the erasure, and a
    // case without them.
    let auth = format!("Bearer {token}");
    let reply = common::get(
        server.addr,
        "/api/v1/stores/demo/cases?limit=1000",
        &[("Authorization", &auth)],
    )
    .await;
    let page: recovery_core::api::CasePage = serde_json::from_value(reply.json()).unwrap();
    let state = page
        .cases
        .iter()
        .find(|c| c.case.id.0.as_u128() == closed)
        .unwrap();
    assert_eq!(state.case.complaint.name, None);
    assert_eq!(state.case.complaint.contact, None);
    let kept: Vec<(i64, Event)> = state.events.iter().map(|e| (0, e.clone())).collect();
    assert_eq!(details(&kept, closed).0, None);
    assert!(!details(&kept, closed).1);
    assert!(
        kept.iter()
            .any(|(_, e)| matches!(e.kind, EventKind::Erased { .. }))
    );
    // A tablet that pulled the case before forgets it from what it keeps.
    let mut tablet: Vec<Event> = vec![filings[0].clone(), erasures[0].clone()];
    assert!(recovery_core::forget_erased(&mut tablet));

    // The open case's customer asks: erased at once, by ticket code as they read it.
    // Its code is shared with another case: the id decides which.
    let code = TicketCode::from_case(filings[1].case).to_string();
    let (id, twin_id) = (filings[1].case.to_string(), filings[2].case.to_string());
    assert_eq!(
        erase_ticket(&db, "demo", &code.to_lowercase())
            .await
            .unwrap(),
        Asked::Several(vec![id.clone(), twin_id.clone()])
    );
    assert_eq!(
        erase_ticket(&db, "demo", &id).await.unwrap(),
        Asked::Erased(id.clone(), true)
    );
    assert_eq!(
        erase_ticket(&db, "demo", &id).await.unwrap(),
        Asked::Erased(id.clone(), false)
    );
    let closed_code = TicketCode::from_case(filings[0].case).to_string();
    assert_eq!(
        erase_ticket(&db, "demo", &closed_code).await.unwrap(),
        Asked::Erased(filings[0].case.to_string(), false)
    );
    assert_eq!(
        erase_ticket(&db, "demo", "AAA-AAA").await.unwrap(),
        Asked::Unknown
    );
    let events = common::pull_all(server.addr, "demo", &token).await;
    assert_eq!(details(&events, open).0, None);
    assert_eq!(details(&events, twin).0.as_deref(), Some("Sam Lee"));
    db.close().await.unwrap();

    // The erased case is worked on as before.
    let ack = json!({ "events": [acknowledged(12, open, T0 + 1000, actor(&ana()))] });
    assert_eq!(
        results(server.addr, &ack, Some(&token)).await[0]["status"],
        "stored"
    );
    // A device that sends the filing again meets the same filing, not a conflict; nobody but
    // the server records an erasure.
    let again = results(server.addr, &json!({ "events": [filings[0]] }), None).await;
    assert_eq!(again[0]["status"], "duplicate", "{again:?}");
    let mut forged = erasures[0].clone();
    forged.id = recovery_core::EventId(uuid::Uuid::from_u128(0xbad));
    let refused = results(server.addr, &json!({ "events": [forged] }), Some(&token)).await;
    assert_eq!(refused[0]["status"], "rejected", "{refused:?}");
    server.stop().await;

    // The command line says what it did, and what it did not find.
    let output = cli(&fixture)
        .args(["erase", "--store", "demo", "--ticket", &closed_code])
        .args(fixture.db_args())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("{}\talready erased\n", filings[0].case)
    );
    let output = cli(&fixture)
        .args(["erase", "--store", "demo", "--ticket", &code])
        .args(fixture.db_args())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("give the case's id"));
    let output = cli(&fixture)
        .args(["erase", "--store", "demo", "--ticket", "AAA-AAA"])
        .args(fixture.db_args())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("has no case with ticket 'AAA-AAA'"));
}

#[tokio::test]
async fn a_customer_answers_did_the_fix_hold_with_their_ticket_secret_and_a_no_reopens() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    let token = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    let case = 0xc5;
    let filed = filing(1, case, false);
    let case_id = filed.case.to_string();
    let body = json!({"events": [filed], "ticket_secrets": {case_id.clone(): SECRET}});
    results(server.addr, &body, None).await;
    let steps = json!({"events": [
        acknowledged(2, case, T0 + 1000, actor(&ana())),
        resolved(3, case, T0 + 2000, actor(&ana()), 500),
    ]});
    results(server.addr, &steps, Some(&token)).await;
    let answer = event(
        4,
        case,
        T0 + 3 * 86_400_000 + 5000,
        EventKind::answered(false, "The reader charged me twice again.").unwrap(),
    );
    // Nobody else answers for them.
    let body = json!({"events": [answer], "ticket_secrets": {}});
    assert_eq!(
        summary(&results(server.addr, &body, None).await),
        owned(&[("rejected", Some("forbidden"))])
    );
    let body = json!({"events": [answer], "ticket_secrets": {case_id.clone(): SECRET}});
    assert_eq!(
        summary(&results(server.addr, &body, None).await),
        owned(&[("stored", None)])
    );
    let reply = get(
        server.addr,
        &format!("/api/v1/tickets/{}", TicketCode::from_case(answer.case)),
        &[("X-Ticket-Secret", SECRET)],
    )
    .await;
    let view = reply.json();
    assert_eq!(view["status"], "reopened");
    assert_eq!(view["follow_up_at"], Value::Null);
    assert_eq!(
        view["timeline"].as_array().unwrap().last().unwrap()["step"],
        "answered"
    );
    // Answered once: a second answer finds nothing to answer.
    let again = event(
        5,
        case,
        T0 + 3 * 86_400_000 + 9000,
        EventKind::answered(true, "").unwrap(),
    );
    let body = json!({"events": [again], "ticket_secrets": {case_id: SECRET}});
    assert_eq!(
        results(server.addr, &body, None).await[0]["status"],
        "rejected"
    );
    server.stop().await;
}
