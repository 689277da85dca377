//! End-to-end tests of staff sign-in under attack: a stranger spraying one
//! PIN across every id, or many PINs at one person, is stopped by its
//! address's budget before it has the server check more PINs than that
//! budget, and before the person is locked, so the person still signs in
//! with the right PIN (after at most the wait of the stranger's failures);
//! a store's budget of failures holds across addresses; and an id nobody
//! has answers exactly as a staff member's, try after try.
//!
//! Clients are told apart by `X-Forwarded-For` behind a trusted proxy
//! (127.0.0.1, where the tests connect from), as a store's tablets and a
//! stranger would be by their own addresses.

mod common;

use common::{Fixture, Reply, ana, request, slug, start};
use recovery_core::{PinHash, PinThrottle, Role, StaffMember};
use recovery_server::staff::{self, StoreSettings};
use recovery_server::store::{Database, Mode};
use serde_json::json;

const ANA_PIN: &str = "246810";
const WRONG_PIN: &str = "111111";
const STRANGER: &str = "203.0.113.66";
const STORE_TABLET: &str = "198.51.100.10";
/// Rounds for test PIN hashes (the real ones take a second each in a debug
/// build; the dummy hash of unknown ids keeps the real rounds).
const TEST_ROUNDS: u32 = 1_000;

/// The demo store with Ana and `others` more staff members (`s1`, `s2`...).
async fn store_with_staff(fixture: &Fixture, others: usize) {
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    let settings = StoreSettings::new(slug("demo"), "Demo store");
    db.transaction(Mode::Write, move |db| staff::put_store(db, &settings))
        .await
        .unwrap();
    let mut members = vec![(ana(), ANA_PIN.to_owned())];
    for n in 1..=others {
        let member = StaffMember {
            id: slug(&format!("s{n}")),
            name: format!("Staff {n}"),
            role: Role::Staff,
            limit_minor: 1_000,
        };
        members.push((member, format!("{:06}", 500_000 + n)));
    }
    for (member, pin) in members {
        let hash = PinHash::new(&pin, &[7u8; 16], TEST_ROUNDS);
        db.transaction(Mode::Write, move |db| {
            Ok(staff::put_staff(db, &slug("demo"), &member, &hash))
        })
        .await
        .unwrap()
        .unwrap();
    }
    db.close().await.unwrap();
}

/// A fixture whose server believes 127.0.0.1's `X-Forwarded-For`.
fn behind_proxy() -> Fixture {
    let mut fixture = Fixture::new();
    fixture.config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    fixture
}

async fn sign_in(
    addr: std::net::SocketAddr,
    store: &str,
    from: &str,
    id: &str,
    pin: &str,
) -> Reply {
    request(
        addr,
        "POST",
        &format!("/api/v1/stores/{store}/staff/login"),
        &[
            ("Content-Type", "application/json"),
            ("X-Forwarded-For", from),
        ],
        json!({"staff": id, "pin": pin}).to_string().as_bytes(),
    )
    .await
}

fn failures(fixture: &Fixture, id: &str) -> u32 {
    let rows = fixture.rows(&format!(
        "SELECT CAST(failures AS TEXT) FROM staff WHERE store = 'demo' AND id = '{id}'"
    ));
    rows[0][0].parse().unwrap()
}

/// Moves every failure of the demo store `ms` into the past, as if that
/// long had passed.
fn let_pass(fixture: &Fixture, ms: i64) {
    fixture.execute(&format!(
        "UPDATE staff SET last_failure_ms = last_failure_ms - {ms}
         WHERE last_failure_ms IS NOT NULL"
    ));
}

#[tokio::test]
async fn one_pin_sprayed_across_every_id_is_stopped_at_the_address_budget_and_ana_signs_in() {
    let fixture = behind_proxy();
    store_with_staff(&fixture, 12).await;
    let server = start(&fixture.config).await;
    let budget = fixture.config.budgets.sign_in_failures_per_address;
    assert_eq!(budget, 8, "the default");

    // Every id on the roster and as many nobody has, one PIN each.
    let mut ids: Vec<String> = (1..=12).map(|n| format!("s{n}")).collect();
    ids.push("ana".into());
    ids.extend((1..=12).map(|n| format!("nobody-{n}")));
    let mut checked = 0;
    for id in &ids {
        let reply = sign_in(server.addr, "demo", STRANGER, id, WRONG_PIN).await;
        match reply.status {
            // Only a PIN check answers 401.
            401 => checked += 1,
            429 => {
                assert_eq!(reply.error(), "rate_limited", "{id}");
                let secs: u64 = reply.header("retry-after").unwrap().parse().unwrap();
                assert!((1..=2 * 3600).contains(&secs), "{secs}");
            }
            other => panic!("{id}: {other} {}", reply.text()),
        }
    }
    assert_eq!(checked, budget, "PIN checks for one address");
    let on_roster: u32 = (1..=12).map(|n| failures(&fixture, &format!("s{n}"))).sum();
    assert_eq!(on_roster + failures(&fixture, "ana"), 8);

    // Ana, at her store's tablet, signs in at once with her PIN.
    let reply = sign_in(server.addr, "demo", STORE_TABLET, "ana", ANA_PIN).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    server.stop().await;
}

#[tokio::test]
async fn many_wrong_pins_at_one_person_from_one_address_never_lock_her_out() {
    let fixture = behind_proxy();
    store_with_staff(&fixture, 0).await;
    let server = start(&fixture.config).await;
    let budget = fixture.config.budgets.sign_in_failures_per_address;

    // A patient stranger: waits out every `wait` (as if the time passed)
    // and keeps guessing until the address's budget stops it.
    let mut checked = 0;
    for guess in 0..40 {
        let pin = format!("{:06}", 100_000 + guess);
        let reply = sign_in(server.addr, "demo", STRANGER, "ana", &pin).await;
        match (reply.status, reply.error().as_str()) {
            (401, _) => checked += 1,
            (429, "wait") => let_pass(&fixture, 5 * 60_000),
            (429, "rate_limited") => break,
            (status, error) => panic!("{status} {error}"),
        }
    }
    assert_eq!(checked, budget);
    assert_eq!(u64::from(failures(&fixture, "ana")), budget);
    assert!(u64::from(recovery_core::PIN_LOCK_AFTER) > budget);
    // More guesses from that address are refused before any PIN check.
    for _ in 0..5 {
        let reply = sign_in(server.addr, "demo", STRANGER, "ana", WRONG_PIN).await;
        assert_eq!(reply.error(), "rate_limited");
    }
    assert_eq!(u64::from(failures(&fixture, "ana")), budget);

    // Ana is not locked: at worst she waits out the wait of the stranger's
    // last failure, then her PIN works.
    let worst = PinThrottle::wait_ms(u32::try_from(budget).unwrap());
    assert_eq!(worst, 160_000);
    let_pass(&fixture, worst);
    let reply = sign_in(server.addr, "demo", STORE_TABLET, "ana", ANA_PIN).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(failures(&fixture, "ana"), 0);
    server.stop().await;
}

#[tokio::test]
async fn a_stores_budget_of_failed_sign_ins_holds_across_addresses() {
    let mut fixture = behind_proxy();
    fixture.config.budgets.sign_in_failures_per_store = 3;
    store_with_staff(&fixture, 0).await;
    let server = start(&fixture.config).await;

    for n in 0..3 {
        let from = format!("203.0.113.{n}");
        let reply = sign_in(server.addr, "demo", &from, "nobody", WRONG_PIN).await;
        assert_eq!(reply.status, 401);
    }
    let reply = sign_in(server.addr, "demo", "203.0.113.9", "ana", ANA_PIN).await;
    assert_eq!(reply.status, 429);
    assert_eq!(reply.error(), "rate_limited");
    // That refusal spent nothing of the address's own budget, and another
    // store is not affected.
    let other = sign_in(server.addr, "other", "203.0.113.9", "ana", WRONG_PIN).await;
    assert_eq!(other.status, 401);
    server.stop().await;
}

/// What a client can tell of an answer: status, body, header names and
/// `Retry-After`.
fn looks(reply: &Reply) -> (u16, String, Vec<String>, Option<u64>) {
    let mut names: Vec<String> = reply
        .headers
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .collect();
    names.sort();
    let retry = reply
        .header("retry-after")
        .map(|value| value.parse().unwrap());
    (reply.status, reply.text(), names, retry)
}

#[tokio::test]
async fn unknown_and_known_ids_answer_alike_try_after_try() {
    let mut fixture = behind_proxy();
    fixture.config.budgets.sign_in_failures_per_address = 0;
    store_with_staff(&fixture, 0).await;
    let server = start(&fixture.config).await;

    // Ana (on the roster), Zoe (nobody), Ana of a store that does not exist
    // and an id that is not one, each from an address of its own.
    let tries = [
        ("demo", "ana"),
        ("demo", "zoe"),
        ("nowhere", "ana"),
        ("demo", "Not An Id"),
    ];
    let mut seen = Vec::new();
    for (n, (store, id)) in tries.iter().enumerate() {
        let from = format!("203.0.113.{}", 10 + n);
        let mut answers = Vec::new();
        for _ in 0..6 {
            answers.push(looks(
                &sign_in(server.addr, store, &from, id, WRONG_PIN).await,
            ));
        }
        seen.push(answers);
    }
    let statuses: Vec<u16> = seen[0].iter().map(|answer| answer.0).collect();
    assert_eq!(statuses, [401, 401, 401, 429, 429, 429]);
    for (answers, (store, id)) in seen.iter().zip(tries).skip(1) {
        for (n, (known, this)) in seen[0].iter().zip(answers).enumerate() {
            assert_eq!(
                (&known.0, &known.1, &known.2),
                (&this.0, &this.1, &this.2),
                "{store}/{id}, try {}",
                n + 1
            );
            // The same wait: what is left of the 5 s after the third failure
            // (a test's staff PIN hash is cheaper than the dummy one, so less
            // of it is gone; in production both cost the same).
            match (known.3, this.3) {
                (None, None) => {}
                (Some(a), Some(b)) => {
                    assert!((1..=5).contains(&a) && (1..=5).contains(&b), "{a} {b}")
                }
                other => panic!("{store}/{id}, try {}: {other:?}", n + 1),
            }
        }
    }
    server.stop().await;
}
