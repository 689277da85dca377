//! Nothing forged: a staff step is accepted only from the person it names,
//! whoever's session carries it, online or after working offline on a
//! shared tablet; a device token authors nothing; replacing a PIN,
//! deactivating a person or revoking a token ends access at once; filings
//! go only into stores and touchpoints that were set up. The real server
//! runs in-process on 127.0.0.1 over SQLite (or PostgreSQL with
//! `RECOVERY_TEST_DATABASE_URL`); sign-ins go through the real login route.

mod common;

use common::{Fixture, pull, push_json, request, slug, start};
use recovery_core::proof::Signer;
use recovery_core::{
    Actor, Category, ComplaintDraft, Event, EventKind, Impact, PinHash, Remedy, Role, StaffMember,
    validate,
};
use recovery_server::staff::{self, StoreSettings};
use recovery_server::store::{Database, Mode};
use serde_json::{Value, json};
use std::net::SocketAddr;

const BIN: &str = env!("CARGO_BIN_EXE_recovery-server");
const ANA_PIN: &str = "246810";
const MAX_PIN: &str = "135790";
const T0: i64 = 1_700_000_000_000;
/// Cheap PIN hashes for tests (the stored rounds are what a check costs).
const TEST_ROUNDS: u32 = 1_000;
/// The seeds of the keys Ana's and Max's sign-ins make on the tablet.
const ANA_SEED: [u8; 32] = [0xa1; 32];
const MAX_SEED: [u8; 32] = [0xb2; 32];

fn member(id: &str, role: Role, limit_minor: u32) -> StaffMember {
    StaffMember {
        id: slug(id),
        name: id.to_uppercase(),
        role,
        limit_minor,
    }
}

fn ana() -> StaffMember {
    member("ana", Role::Staff, 2500)
}

fn max() -> StaffMember {
    member("max", Role::Manager, 100_000)
}

/// Writes (or rewrites, with a new PIN) a staff member, as `add-staff` does.
async fn put(fixture: &Fixture, who: StaffMember, pin: &str) {
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    let hash = PinHash::new(pin, &[7u8; 16], TEST_ROUNDS);
    db.transaction(Mode::Write, move |db| {
        Ok(staff::put_staff(db, &slug("demo"), &who, &hash))
    })
    .await
    .unwrap()
    .unwrap();
    db.close().await.unwrap();
}

async fn demo(fixture: &Fixture) {
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    let mut settings = StoreSettings::new(slug("demo"), "Demo store");
    settings.touchpoints = Some(vec![slug("front-desk"), slug("checkout-2")]);
    db.transaction(Mode::Write, move |db| staff::put_store(db, &settings))
        .await
        .unwrap();
    db.close().await.unwrap();
    put(fixture, ana(), ANA_PIN).await;
    put(fixture, max(), MAX_PIN).await;
}

/// Signs in through the route, registering the key of `seed` when given.
async fn login(addr: SocketAddr, id: &str, pin: &str, seed: Option<&[u8; 32]>) -> (u16, Value) {
    let mut body = json!({"staff": id, "pin": pin});
    if let Some(seed) = seed {
        body["public_key"] = json!(Signer::public_key_of(seed));
    }
    let reply = request(
        addr,
        "POST",
        "/api/v1/stores/demo/staff/login",
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
    .await;
    let json = if reply.status == 200 {
        reply.json()
    } else {
        Value::Null
    };
    (reply.status, json)
}

/// A signed-in person on the tablet: their session token and their key.
struct SignedIn {
    token: String,
    signer: Signer,
}

async fn sign_in(addr: SocketAddr, id: &str, pin: &str, seed: &[u8; 32]) -> SignedIn {
    let (status, session) = login(addr, id, pin, Some(seed)).await;
    assert_eq!(status, 200, "{id} signs in");
    let key_id = session["key_id"].as_str().expect("a key id").to_owned();
    SignedIn {
        token: session["token"].as_str().unwrap().to_owned(),
        signer: Signer::from_seed(key_id, seed),
    }
}

fn event(n: u128, case: u128, at: i64, kind: EventKind) -> Event {
    let mut e = recovery_core::testing::filed_event(n, case, at, "x");
    e.kind = kind;
    e
}

/// A filing only a manager may resolve (major impact).
fn severe_filing(n: u128, case: u128) -> Event {
    let complaint = validate(&ComplaintDraft {
        category: Some(Category::Billing),
        description: "charged 900 for a coffee".into(),
        impact: Some(Impact::Major),
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

fn acknowledged(n: u128, case: u128, by: &StaffMember) -> Event {
    event(
        n,
        case,
        T0 + 1_000,
        EventKind::Acknowledged {
            by: by.actor(),
            apology: "I am sorry.".into(),
            avoidable: None,
        },
    )
}

fn resolved(n: u128, case: u128, by: Actor, value_minor: u32) -> Event {
    event(
        n,
        case,
        T0 + 2_000,
        EventKind::Resolved {
            by,
            remedy: Remedy::Refund,
            value_minor,
            gesture: String::new(),
            follow_up_at: None,
        },
    )
}

fn signed(mut e: Event, by: &Signer) -> Event {
    by.sign(&mut e);
    e
}

/// `(status, reason, detail)` of each receipt of a push.
async fn push(addr: SocketAddr, events: &[Event], token: Option<&str>) -> Vec<(String, String)> {
    let reply = push_json(addr, &json!({ "events": events }), token).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let status = r["status"].as_str().unwrap().to_owned();
            let detail = r["detail"].as_str().unwrap_or("").to_owned();
            (status, detail)
        })
        .collect()
}

fn stored_kinds(fixture: &Fixture) -> Vec<String> {
    fixture
        .rows("SELECT kind FROM events ORDER BY seq")
        .into_iter()
        .map(|row| row[0].clone())
        .collect()
}

fn cli(fixture: &Fixture, args: &[&str]) -> std::process::Output {
    std::process::Command::new(BIN)
        .args(args)
        .args(fixture.db_args())
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

#[tokio::test]
async fn a_staff_member_cannot_take_a_step_in_a_managers_name() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    let device = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    let ana_on_tablet = sign_in(server.addr, "ana", ANA_PIN, &ANA_SEED).await;
    let case = 0x51;
    assert_eq!(
        push(server.addr, &[severe_filing(1, case)], None).await[0].0,
        "stored"
    );
    assert_eq!(
        push(
            server.addr,
            &[acknowledged(2, case, &ana())],
            Some(&ana_on_tablet.token)
        )
        .await[0]
            .0,
        "stored",
        "her own step with her own session"
    );

    // The finding: Ana's session pushes a 900.00 refund "by Max".
    let forged = resolved(3, case, max().actor(), 90_000);
    let by_session = push(
        server.addr,
        std::slice::from_ref(&forged),
        Some(&ana_on_tablet.token),
    )
    .await;
    assert_eq!(by_session[0].0, "rejected");
    assert_eq!(
        by_session[0].1,
        "this session is 'ana''s: a step as 'max' needs 'max''s signature"
    );
    // Nor with a device token, nor signed by Ana's own key.
    let by_device = push(server.addr, std::slice::from_ref(&forged), Some(&device)).await;
    assert_eq!(
        by_device[0].1,
        "a device token takes no step of its own: a step as 'max' needs 'max''s session or signature"
    );
    let by_her_key = signed(forged.clone(), &ana_on_tablet.signer);
    assert_eq!(
        push(server.addr, &[by_her_key], Some(&ana_on_tablet.token)).await[0].1,
        "the step names 'max' but is signed by 'ana'"
    );
    // A signature by a key nobody registered, or a copied one on another
    // step, proves nothing.
    let made_up = signed(forged.clone(), &Signer::from_seed("made-up", &[9; 32]));
    assert_eq!(
        push(server.addr, &[made_up], Some(&device)).await[0].1,
        "the step is signed with key 'made-up', which this server never registered"
    );
    let max_on_tablet = sign_in(server.addr, "max", MAX_PIN, &MAX_SEED).await;
    let real = signed(resolved(4, case, max().actor(), 100), &max_on_tablet.signer);
    let mut tampered = resolved(5, case, max().actor(), 90_000);
    tampered.proof = real.proof.clone();
    assert_eq!(
        push(server.addr, &[tampered], Some(&device)).await[0].1,
        "the signature does not match the step"
    );
    assert_eq!(stored_kinds(&fixture), ["filed", "acknowledged"]);

    server.stop().await;
}

#[tokio::test]
async fn two_people_working_offline_on_one_tablet_get_their_steps_accepted_as_theirs() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    let device = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    // Both signed in online on the tablet earlier; Max was the last, so the
    // tablet holds his session.
    let ana_on_tablet = sign_in(server.addr, "ana", ANA_PIN, &ANA_SEED).await;
    let max_on_tablet = sign_in(server.addr, "max", MAX_PIN, &MAX_SEED).await;
    assert_ne!(ana_on_tablet.signer.key_id(), max_on_tablet.signer.key_id());
    let (case, serious) = (0x61, 0x62);
    push(
        server.addr,
        &[severe_filing(1, case), severe_filing(2, serious)],
        None,
    )
    .await;

    // Offline, each unlocks with their PIN and signs their own steps.
    let steps = [
        signed(acknowledged(10, case, &ana()), &ana_on_tablet.signer),
        signed(acknowledged(11, serious, &max()), &max_on_tablet.signer),
        signed(
            resolved(12, serious, max().actor(), 90_000),
            &max_on_tablet.signer,
        ),
    ];
    // Back online: the whole queue goes with the tablet's one session.
    let receipts = push(server.addr, &steps, Some(&max_on_tablet.token)).await;
    assert_eq!(
        receipts,
        vec![("stored".to_owned(), String::new()); 3],
        "{receipts:?}"
    );
    // Replayed later through a device token: the same steps, once.
    let again = push(server.addr, &steps, Some(&device)).await;
    assert!(
        again.iter().all(|(status, _)| status == "duplicate"),
        "{again:?}"
    );

    // The stored steps keep their proofs, so the record shows who signed.
    let reply = pull(server.addr, "demo", "after=0", &device).await;
    let page = reply.json();
    let by_key: Vec<(String, String)> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"]["proof"].is_object())
        .map(|e| {
            let kind = &e["event"]["kind"];
            (
                kind["by"]["staff"].as_str().unwrap().to_owned(),
                e["event"]["proof"]["key"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        by_key,
        [
            ("ana".to_owned(), ana_on_tablet.signer.key_id().to_owned()),
            ("max".to_owned(), max_on_tablet.signer.key_id().to_owned()),
            ("max".to_owned(), max_on_tablet.signer.key_id().to_owned()),
        ]
    );

    server.stop().await;
}

#[tokio::test]
async fn a_new_pin_deactivation_or_revocation_ends_access_at_once() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    let device = fixture.token("demo").await;
    let server = start(&fixture.config).await;
    let ana_on_tablet = sign_in(server.addr, "ana", ANA_PIN, &ANA_SEED).await;
    let max_on_tablet = sign_in(server.addr, "max", MAX_PIN, &MAX_SEED).await;
    for token in [&ana_on_tablet.token, &max_on_tablet.token, &device] {
        assert_eq!(
            pull(server.addr, "demo", "after=0", token).await.status,
            200
        );
    }
    let case = 0x71;
    push(server.addr, &[severe_filing(1, case)], None).await;

    // Ana's PIN is replaced: her session and her key end at once.
    put(&fixture, ana(), "111222").await;
    assert_eq!(
        pull(server.addr, "demo", "after=0", &ana_on_tablet.token)
            .await
            .status,
        401
    );
    let late = signed(acknowledged(2, case, &ana()), &ana_on_tablet.signer);
    assert_eq!(
        push(server.addr, &[late], Some(&device)).await[0].1,
        "the signing key of 'ana' was revoked: they must sign in online again"
    );
    assert_eq!(login(server.addr, "ana", ANA_PIN, None).await.0, 401);
    assert_eq!(login(server.addr, "ana", "111222", None).await.0, 200);

    // Max is deactivated with the command.
    let out = cli(
        &fixture,
        &["deactivate-staff", "--store", "demo", "--id", "max"],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        pull(server.addr, "demo", "after=0", &max_on_tablet.token)
            .await
            .status,
        401
    );
    let signed_by_max = signed(acknowledged(3, case, &max()), &max_on_tablet.signer);
    assert_eq!(
        push(server.addr, &[signed_by_max], Some(&device)).await[0].1,
        "the signing key of 'max' was revoked: they must sign in online again"
    );
    assert_eq!(login(server.addr, "max", MAX_PIN, None).await.0, 401);

    // The device token is listed (by id, never the token) and revoked.
    let listed = cli(&fixture, &["list-tokens", "--store", "demo"]);
    assert!(listed.status.success(), "{listed:?}");
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert!(
        !listed.contains(&device),
        "the token itself is never printed"
    );
    let line = listed
        .lines()
        .find(|line| line.split('\t').nth(2) == Some("device"))
        .expect("the device token is listed");
    let id = line.split('\t').next().unwrap();
    let expires = line.split('\t').nth(5).unwrap();
    assert_ne!(expires, "never", "new device tokens expire");
    let revoked = cli(&fixture, &["revoke-token", "--id", id]);
    assert!(revoked.status.success(), "{revoked:?}");
    assert_eq!(
        pull(server.addr, "demo", "after=0", &device).await.status,
        401
    );
    let again = cli(&fixture, &["revoke-token", "--id", id]);
    assert_eq!(again.status.code(), Some(1));

    // An expired token is refused like a revoked one.
    let expired = fixture.token("demo").await;
    fixture.execute("UPDATE staff_tokens SET expires_at_ms = 1 WHERE label = 'test'");
    assert_eq!(
        pull(server.addr, "demo", "after=0", &expired).await.status,
        401
    );

    server.stop().await;
}

#[tokio::test]
async fn filings_go_only_into_existing_stores_at_registered_touchpoints() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    let server = start(&fixture.config).await;
    let mut nowhere = recovery_core::testing::filed_event(1, 1, T0, "where am I");
    nowhere.origin.store = slug("nowhere");
    let mut back_door = recovery_core::testing::filed_event(2, 2, T0, "the back door");
    back_door.origin.touchpoint = slug("back-door");
    let fine = recovery_core::testing::filed_event(3, 3, T0, "at checkout 2");
    let receipts = push(server.addr, &[nowhere, back_door, fine], None).await;
    assert_eq!(
        receipts,
        [
            (
                "rejected".to_owned(),
                "there is no store 'nowhere'".to_owned()
            ),
            (
                "rejected".to_owned(),
                "store 'demo' has no touchpoint 'back-door'".to_owned()
            ),
            ("stored".to_owned(), String::new()),
        ]
    );
    assert_eq!(stored_kinds(&fixture), ["filed"]);
    server.stop().await;
}

#[tokio::test]
async fn a_sign_in_with_a_bad_public_key_is_refused_before_the_pin_counts() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    let server = start(&fixture.config).await;
    for key in ["", "abc", &"zz".repeat(32), &"00".repeat(33)] {
        let reply = request(
            server.addr,
            "POST",
            "/api/v1/stores/demo/staff/login",
            &[("Content-Type", "application/json")],
            json!({"staff": "ana", "pin": "000000", "public_key": key})
                .to_string()
                .as_bytes(),
        )
        .await;
        assert_eq!(reply.status, 400, "{key}");
    }
    // None of those counted as a failed PIN: the right one works at once.
    let (status, session) = login(server.addr, "ana", ANA_PIN, None).await;
    assert_eq!(status, 200);
    assert!(session.get("key_id").is_none(), "no key asked, none made");
    server.stop().await;
}

#[tokio::test]
async fn a_try_to_reach_the_customer_is_a_step_of_the_person_who_made_it() {
    let fixture = Fixture::new();
    demo(&fixture).await;
    let server = start(&fixture.config).await;
    let ana_on_tablet = sign_in(server.addr, "ana", ANA_PIN, &ANA_SEED).await;
    let case = 0x52;
    let call = |n: u128, by: &StaffMember| {
        event(
            n,
            case,
            T0 + 500,
            EventKind::Contacted {
                by: by.actor(),
                channel: recovery_core::ContactChannel::Phone,
                reached: false,
                note: "Left a voicemail.".into(),
            },
        )
    };
    assert_eq!(
        push(server.addr, &[severe_filing(1, case)], None).await[0].0,
        "stored"
    );
    // Nobody records one without a staff credential, nor in another's name.
    assert_eq!(
        push(server.addr, &[call(2, &ana())], None).await[0].0,
        "rejected"
    );
    let in_max_name = push(server.addr, &[call(3, &max())], Some(&ana_on_tablet.token)).await;
    assert_eq!(in_max_name[0].0, "rejected", "{in_max_name:?}");
    let hers = signed(call(4, &ana()), &ana_on_tablet.signer);
    assert_eq!(
        push(server.addr, &[hers], Some(&ana_on_tablet.token)).await[0].0,
        "stored"
    );
    assert_eq!(stored_kinds(&fixture), ["filed", "contacted"]);
    server.stop().await;
}
