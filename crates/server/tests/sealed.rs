//! End-to-end tests of names and contacts sealed for the server: the store's promise publishes
//! the database's one sealing key (the same after a restart); a filing pushed without the
//! customer's name and contact but with their seal is stored whole, and the same filing sent
//! again with them in plain text is a duplicate, not a conflict; a filing whose seal does not open
//! (for another event, another server, changed on the way) still reaches the store, without
//! them; a seal on a step is refused. The real
//! server runs in-process on 127.0.0.1 (see `common`), on SQLite or, with
//! `RECOVERY_TEST_DATABASE_URL`, PostgreSQL.

mod common;

use common::{Fixture, get, pull_all, push_json, start};
use recovery_core::testing::{actor, filed_event, step};
use recovery_core::{Contact, Event, EventKind, Role};
use recovery_server::seal::{SealKey, seal};
use serde_json::{Value, json};

/// A filing with the customer's name and contact.
fn filing(n: u128) -> Event {
    let mut event = filed_event(n, 100 + n, 1_700_000_000_000, "Charged twice at the till.");
    if let EventKind::Filed { complaint, .. } = &mut event.kind {
        complaint.name = Some("Siti Rahayu".into());
        complaint.contact = Some(Contact::Email("siti@example.com".into()));
        complaint.consent_to_contact = true;
    }
    event
}

/// The filing as a kiosk keeps and sends it: without the name and contact, and so without
/// consent to contact.
fn without_identity(event: &Event) -> Event {
    let mut bare = event.clone();
    if let EventKind::Filed { complaint, .. } = &mut bare.kind {
        complaint.name = None;
        complaint.contact = None;
        complaint.consent_to_contact = false;
    }
    bare
}

/// What a device seals: the name, contact and consent as the complaint's JSON writes them.
fn identity_of(event: &Event) -> Vec<u8> {
    let complaint = serde_json::to_value(event).unwrap()["kind"]["complaint"].clone();
    json!({
        "name": complaint["name"],
        "contact": complaint["contact"],
        "consent_to_contact": complaint["consent_to_contact"],
    })
    .to_string()
    .into_bytes()
}

async fn seal_key(addr: std::net::SocketAddr) -> String {
    let reply = get(addr, "/api/v1/stores/demo/promise", &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["seal_key"].as_str().unwrap().to_owned()
}

async fn push_sealed(addr: std::net::SocketAddr, events: &[Event], sealed: Value) -> Vec<Value> {
    let reply = push_json(addr, &json!({"events": events, "sealed": sealed}), None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["results"].as_array().unwrap().clone()
}

fn outcome(result: &Value) -> (String, String) {
    let text = |key: &str| result[key].as_str().unwrap_or_default().to_owned();
    (text("status"), text("reason"))
}

#[tokio::test]
async fn a_sealed_name_and_contact_are_opened_and_stored_as_if_sent_whole() {
    let fixture = Fixture::new();
    let token = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    let key = seal_key(server.addr).await;
    assert_eq!(
        seal_key(server.addr).await,
        key,
        "one key, however often asked"
    );

    let event = filing(1);
    let sealed = seal(&key, &identity_of(&event), &event.id.to_string()).unwrap();
    let bare = without_identity(&event);
    let results = push_sealed(
        server.addr,
        std::slice::from_ref(&bare),
        json!({ event.id.to_string(): sealed }),
    )
    .await;
    assert_eq!(outcome(&results[0]), ("stored".into(), String::new()));

    let stored = pull_all(server.addr, "demo", &token).await;
    let EventKind::Filed { complaint, .. } = &stored[0].1.kind else {
        panic!("not a filing: {stored:?}");
    };
    assert_eq!(complaint.name.as_deref(), Some("Siti Rahayu"));
    assert_eq!(
        complaint.contact,
        Some(Contact::Email("siti@example.com".into()))
    );
    assert!(complaint.consent_to_contact);
    // The filing the device keeps is one the rules accept on its own.
    assert!(bare.check().is_ok());

    // The device sent it whole before, never saw the answer, and sends it again sealed (or
    // the other way round): the same filing, a duplicate.
    let again = push_sealed(
        server.addr,
        std::slice::from_ref(&event),
        json!({ "unrelated": "x" }),
    )
    .await;
    assert_eq!(outcome(&again[0]).0, "duplicate");
    let resealed = seal(&key, &identity_of(&event), &event.id.to_string()).unwrap();
    let again = push_sealed(
        server.addr,
        std::slice::from_ref(&bare),
        json!({ event.id.to_string(): resealed }),
    )
    .await;
    assert_eq!(outcome(&again[0]).0, "duplicate");

    // A restart keeps the key: a seal made before it still opens.
    server.stop().await;
    let server = start(&fixture.config).await;
    assert_eq!(seal_key(server.addr).await, key);
    let second = filing(2);
    let sealed = seal(&key, &identity_of(&second), &second.id.to_string()).unwrap();
    let results = push_sealed(
        server.addr,
        &[without_identity(&second)],
        json!({ second.id.to_string(): sealed }),
    )
    .await;
    assert_eq!(outcome(&results[0]).0, "stored");
    server.stop().await;
}

#[tokio::test]
async fn a_seal_that_does_not_open_leaves_the_filing_without_them_and_one_on_a_step_is_refused() {
    let fixture = Fixture::new();
    let token = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    let key = seal_key(server.addr).await;
    let other_server = SealKey::generate().unwrap().public();

    let events: Vec<Event> = (1..=5).map(filing).collect();
    let bare: Vec<Event> = events.iter().map(without_identity).collect();
    let id = |n: usize| events[n].id.to_string();
    let identity = identity_of(&events[0]);
    let mut changed = seal(&key, &identity, &id(2)).unwrap();
    changed.replace_range(100..101, if &changed[100..101] == "A" { "B" } else { "A" });
    let sealed = json!({
        // Made for another event: moved from one filing to another, it does not open.
        id(0): seal(&key, &identity, &id(4)).unwrap(),
        // Made for another server's key.
        id(1): seal(&other_server, &identity, &id(1)).unwrap(),
        // Changed on the way.
        id(2): changed,
        // Not a name and contact.
        id(3): seal(&key, b"{\"password\":\"x\"}", &id(3)).unwrap(),
        // Garbage.
        id(4): "not a seal",
    });
    let results = push_sealed(server.addr, &bare, sealed).await;
    // The complaints still reach the store, without the name, contact and consent that could
    // not be opened (nothing else could ever read them).
    for result in &results {
        assert_eq!(
            outcome(result),
            ("stored".into(), String::new()),
            "{result}"
        );
    }
    let stored = pull_all(server.addr, "demo", &token).await;
    assert_eq!(stored.len(), 5);
    for (_, event) in &stored {
        let EventKind::Filed { complaint, .. } = &event.kind else {
            panic!("not a filing: {event:?}");
        };
        assert_eq!(
            (
                &complaint.name,
                &complaint.contact,
                complaint.consent_to_contact
            ),
            (&None, &None, false)
        );
        assert_eq!(complaint.description, "Charged twice at the till.");
    }

    // A seal on a step is malformed.
    let filed = filed_event(7, 107, 1_700_000_000_000, "Cold food.");
    let staff = actor("ana", Role::Staff, 0);
    let ack = step(
        8,
        107,
        1_700_000_060_000,
        EventKind::Acknowledged {
            by: staff,
            apology: "Sorry.".into(),
            avoidable: None,
        },
    );
    let sealed = json!({ ack.id.to_string(): seal(&key, &identity, &ack.id.to_string()).unwrap() });
    let results = push_sealed(server.addr, &[filed, ack], sealed).await;
    assert_eq!(outcome(&results[0]).0, "stored");
    assert_eq!(
        outcome(&results[1]),
        ("rejected".into(), "malformed".into())
    );
    server.stop().await;
}
