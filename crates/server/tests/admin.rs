//! End-to-end tests of chains and the web admin's API: a chain person signs in with a password
//! (throttled like a PIN), and every route answers only within the asker's reach: a chain
//! administrator everything in their chain, an area manager reads their stores only, a store
//! manager (with their own store session) their store's staff (not managers) and device tokens,
//! and nobody anything of another chain. Every change is in the history with who made it. The
//! real server runs in-process on 127.0.0.1 (see `common`), on SQLite or PostgreSQL.

mod common;

use common::{Fixture, Reply, ana, get, pull, request, slug, start};
use recovery_core::api::admin::ChainMember;
use recovery_core::{ChainRole, PinHash, Role, StaffMember, Timestamp};
use recovery_server::rules::chains;
use recovery_server::staff::{self, StoreSettings};
use recovery_server::store::{Database, Mode, now_ms};
use serde_json::{Value, json};
use std::net::SocketAddr;

const PASSWORD: &str = "correct horse battery";

/// Chain `acme` with stores `mall` and `harbour` (each with Ana, staff, and Max, manager),
/// chain `other` with store `far`; Cleo administers acme, Ari looks after its mall, Zoe
/// administers other.
async fn chains(fixture: &Fixture) {
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    db.transaction(Mode::Write, |db| {
        chains::put_chain(db, &slug("acme"), "Acme")?;
        chains::put_chain(db, &slug("other"), "Other")?;
        for (store, chain) in [("mall", "acme"), ("harbour", "acme"), ("far", "other")] {
            let mut settings = StoreSettings::new(slug(store), store);
            settings.chain = Some(slug(chain));
            settings.touchpoints = Some(vec![slug("front-desk")]);
            staff::put_store(db, &settings)?;
            let max = StaffMember {
                id: slug("max"),
                name: "Max".into(),
                role: Role::Manager,
                limit_minor: 100_000,
            };
            let hash = PinHash::new("246810", &[7u8; 16], 1_000);
            for member in [ana(), max] {
                staff::put_staff(db, &slug(store), &member, &hash).unwrap();
            }
        }
        let password = PinHash::new(PASSWORD, &[9u8; 16], 1_000);
        for (chain, id, role, stores) in [
            ("acme", "cleo", ChainRole::Admin, vec![]),
            ("acme", "ari", ChainRole::Area, vec![slug("mall")]),
            ("other", "zoe", ChainRole::Admin, vec![]),
        ] {
            let member = ChainMember {
                id: slug(id),
                name: id.to_uppercase(),
                role,
                stores,
            };
            chains::put_person(db, &slug(chain), &member, &password, "test", Timestamp(1)).unwrap();
        }
        Ok(())
    })
    .await
    .unwrap();
    db.close().await.unwrap();
}

async fn login(addr: SocketAddr, chain: &str, person: &str, password: &str) -> Reply {
    let body = json!({"person": person, "password": password}).to_string();
    request(
        addr,
        "POST",
        &format!("/api/v1/chains/{chain}/login"),
        &[("content-type", "application/json")],
        body.as_bytes(),
    )
    .await
}

async fn session(addr: SocketAddr, chain: &str, person: &str) -> String {
    let reply = login(addr, chain, person, PASSWORD).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["token"].as_str().unwrap().to_owned()
}

async fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Reply {
    let auth = format!("Bearer {token}");
    let mut headers = vec![("authorization", auth.as_str())];
    let text = body.map(|b| b.to_string()).unwrap_or_default();
    if !text.is_empty() {
        headers.push(("content-type", "application/json"));
    }
    request(
        addr,
        method,
        &format!("/api/v1/chains/{path}"),
        &headers,
        text.as_bytes(),
    )
    .await
}

fn setup(name: &str, touchpoints: &[&str]) -> Value {
    json!({
        "name": name, "currency": "SEK", "ack_minutes": 15, "resolve_hours": 48,
        "follow_up_days": 2, "retention_days": 200, "languages": ["sv", "en"], "chime": true,
        "touchpoints": touchpoints.iter().map(|t| json!({"slug": t, "name": t.to_uppercase(), "sticker": ""})).collect::<Vec<_>>(),
    })
}

fn person(name: &str, role: &str, pin: Option<&str>) -> Value {
    let mut body = json!({"name": name, "role": role, "limit_minor": 2500, "active": true});
    if let Some(pin) = pin {
        body["pin"] = json!(pin);
    }
    body
}

fn stores_of(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["stores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_chain_person_signs_in_with_a_password_that_is_throttled_and_never_kept() {
    let fixture = Fixture::new();
    chains(&fixture).await;
    let server = start(&fixture.config).await;
    let addr = server.addr;

    let wrong = login(addr, "acme", "cleo", "not the password").await;
    assert_eq!((wrong.status, wrong.error()), (401, "wrong_pin".into()));
    let failures = "SELECT CAST(failures AS TEXT) FROM chain_people WHERE id = 'cleo'";
    assert_eq!(fixture.rows(failures), [["1"]]);
    // Nobody, another chain's person and an unknown chain answer as a wrong password.
    for (chain, who) in [("acme", "nobody"), ("acme", "zoe"), ("nowhere", "cleo")] {
        let reply = login(addr, chain, who, PASSWORD).await;
        assert_eq!(
            (reply.status, reply.error()),
            (401, "wrong_pin".into()),
            "{chain}/{who}"
        );
    }

    let reply = login(addr, "acme", "cleo", PASSWORD).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["chain"], json!({"slug": "acme", "name": "Acme"}));
    assert_eq!(body["person"], json!({"id": "cleo", "name": "CLEO"}));
    assert_eq!(body["reach"], json!({"as": "chain_admin"}));
    assert_eq!(fixture.rows(failures), [["0"]]);
    // Only the token's hash is kept, and it expires within a working day.
    let token = body["token"].as_str().unwrap();
    let kept = fixture.rows("SELECT token_hash, CAST(expires_at_ms AS TEXT) FROM chain_tokens");
    assert_eq!(kept.len(), 1);
    assert_ne!(kept[0][0], token);
    let expires: i64 = kept[0][1].parse().unwrap();
    assert!(expires <= now_ms() + chains::ADMIN_SESSION_MS);

    // A new password ends the session at once.
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    db.transaction(Mode::Write, |db| {
        let member = ChainMember {
            id: slug("cleo"),
            name: "Cleo".into(),
            role: ChainRole::Admin,
            stores: vec![],
        };
        let hash = PinHash::new("another password", &[3u8; 16], 1_000);
        Ok(chains::put_person(
            db,
            &slug("acme"),
            &member,
            &hash,
            "test",
            Timestamp(2),
        ))
    })
    .await
    .unwrap()
    .unwrap();
    db.close().await.unwrap();
    let reply = call(addr, "GET", "acme", token, None).await;
    assert_eq!(reply.status, 401, "{}", reply.text());

    // After three failures even the right password waits, as a PIN does.
    for _ in 0..3 {
        let reply = login(addr, "acme", "ari", "a wrong password").await;
        assert_eq!(reply.status, 401);
    }
    let reply = login(addr, "acme", "ari", PASSWORD).await;
    assert_eq!((reply.status, reply.error()), (429, "wait".into()));
    assert!(reply.header("retry-after").is_some());
    server.stop().await;
}

#[tokio::test]
async fn every_role_reaches_only_its_own_stores_and_changes_only_what_it_may() {
    let fixture = Fixture::new();
    chains(&fixture).await;
    let server = start(&fixture.config).await;
    let addr = server.addr;
    let cleo = session(addr, "acme", "cleo").await;
    let ari = session(addr, "acme", "ari").await;
    let zoe = session(addr, "other", "zoe").await;
    let max = fixture.session("mall", "max").await;
    let ana_session = fixture.session("mall", "ana").await;
    let device = fixture.token("mall").await;

    // Who sees which stores.
    let view = |token: String| async move { call(addr, "GET", "acme", &token, None).await };
    assert_eq!(stores_of(&view(cleo.clone()).await), ["harbour", "mall"]);
    assert_eq!(stores_of(&view(ari.clone()).await), ["mall"]);
    let by_max = view(max.clone()).await;
    assert_eq!(stores_of(&by_max), ["mall"]);
    assert_eq!(
        by_max.json()["reach"],
        json!({"as": "store_manager", "store": "mall"})
    );
    for (who, token) in [("zoe", &zoe), ("ana", &ana_session), ("device", &device)] {
        let reply = view(token.clone()).await;
        assert_eq!(
            (reply.status, reply.error()),
            (403, "forbidden".into()),
            "{who}"
        );
    }
    let reply = call(addr, "GET", "acme", "made-up", None).await;
    assert_eq!(reply.status, 401);
    let reply = get(addr, "/api/v1/chains/acme", &[]).await;
    assert_eq!(reply.status, 401);
    let max_far = fixture.session("far", "max").await;
    assert_eq!(
        view(max_far).await.status,
        403,
        "another chain's store manager"
    );

    // Stores: only the chain administrator creates and changes them.
    let park = setup("Park", &["till-1", "till-2"]);
    for token in [&ari, &max] {
        let reply = call(addr, "PUT", "acme/stores/park", token, Some(park.clone())).await;
        assert_eq!(reply.status, 403, "{}", reply.text());
    }
    let reply = call(addr, "PUT", "acme/stores/park", &cleo, Some(park.clone())).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["setup"]["touchpoints"][1]["name"], "TILL-2");
    let reply = call(addr, "PUT", "acme/stores/far", &cleo, Some(park.clone())).await;
    assert_eq!((reply.status, reply.error()), (409, "store_taken".into()));
    let reply = call(addr, "PUT", "other/stores/park", &zoe, Some(park.clone())).await;
    assert_eq!((reply.status, reply.error()), (409, "store_taken".into()));
    let mut bad = park.clone();
    bad["languages"] = json!(["fr"]);
    let reply = call(addr, "PUT", "acme/stores/park", &cleo, Some(bad)).await;
    assert_eq!(
        (reply.status, reply.error()),
        (422, "setup_languages".into())
    );
    // The new store shares the chain's salt; another chain's store does not.
    let salts = fixture.rows("SELECT slug, contact_salt FROM stores ORDER BY slug");
    let salt = |s: &str| salts.iter().find(|r| r[0] == s).unwrap()[1].clone();
    assert_eq!(salt("park"), salt("mall"));
    assert_eq!(salt("harbour"), salt("mall"));
    assert_ne!(salt("far"), salt("mall"));

    // Rosters: seen by whoever sees the store; 404 for a store out of reach.
    for (token, store, status) in [
        (&ari, "mall", 200),
        (&ari, "harbour", 404),
        (&max, "mall", 200),
        (&max, "harbour", 404),
        (&cleo, "far", 404),
    ] {
        let reply = call(
            addr,
            "GET",
            &format!("acme/stores/{store}/staff"),
            token,
            None,
        )
        .await;
        assert_eq!(reply.status, status, "{store}: {}", reply.text());
    }

    // Staff: a store manager adds staff and resets their PINs, never a manager's.
    let path = "acme/stores/mall/staff/bea";
    let reply = call(addr, "PUT", path, &max, Some(person("Bea", "staff", None))).await;
    assert_eq!(
        (reply.status, reply.error()),
        (422, "setup_pin_needed".into())
    );
    let reply = call(
        addr,
        "PUT",
        path,
        &max,
        Some(person("Bea", "staff", Some("12a456"))),
    )
    .await;
    assert_eq!((reply.status, reply.error()), (422, "setup_pin".into()));
    let reply = call(
        addr,
        "PUT",
        path,
        &max,
        Some(person("Bea", "staff", Some("482913"))),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let reply = call(
        addr,
        "PUT",
        path,
        &max,
        Some(person("Bea", "manager", None)),
    )
    .await;
    assert_eq!(reply.status, 403, "a store manager makes no managers");
    let reply = call(
        addr,
        "PUT",
        "acme/stores/mall/staff/max",
        &max,
        Some(person("Max", "manager", Some("111111"))),
    )
    .await;
    assert_eq!(reply.status, 403, "nor resets a manager's PIN");
    let reply = call(
        addr,
        "PUT",
        "acme/stores/harbour/staff/bea",
        &max,
        Some(person("Bea", "staff", Some("482913"))),
    )
    .await;
    assert_eq!(reply.status, 404);
    let reply = call(addr, "PUT", path, &ari, Some(person("Bea", "staff", None))).await;
    assert_eq!(reply.status, 403, "an area manager changes nothing");
    // A PIN reset ends the person's session at once.
    assert_eq!(
        pull(addr, "mall", "after=0", &ana_session).await.status,
        200
    );
    let reply = call(
        addr,
        "PUT",
        "acme/stores/mall/staff/ana",
        &max,
        Some(person("Ana", "staff", Some("135799"))),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        pull(addr, "mall", "after=0", &ana_session).await.status,
        401
    );
    // The chain administrator makes a manager anywhere in the chain.
    let reply = call(
        addr,
        "PUT",
        "acme/stores/harbour/staff/hal",
        &cleo,
        Some(person("Hal", "manager", Some("246802"))),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());

    // Device tokens: the chain administrator and the store's manager.
    let tokens = "acme/stores/mall/tokens";
    assert_eq!(call(addr, "GET", tokens, &ari, None).await.status, 403);
    let new = json!({"label": "Till 2 tablet", "days": 30});
    assert_eq!(
        call(addr, "POST", tokens, &ari, Some(new.clone()))
            .await
            .status,
        403
    );
    let reply = call(
        addr,
        "POST",
        tokens,
        &max,
        Some(json!({"label": "x", "days": 0})),
    )
    .await;
    assert_eq!((reply.status, reply.error()), (422, "token_days".into()));
    let reply = call(addr, "POST", tokens, &max, Some(new)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let issued = reply.json();
    let tablet = issued["token"].as_str().unwrap().to_owned();
    let id = issued["view"]["id"].as_str().unwrap().to_owned();
    assert_eq!(pull(addr, "mall", "after=0", &tablet).await.status, 200);
    let listed = call(addr, "GET", tokens, &max, None).await.json();
    assert!(
        listed["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == id.as_str())
    );
    assert!(
        !listed.to_string().contains(&tablet),
        "never the token itself"
    );
    let other = "acme/stores/harbour/tokens";
    assert_eq!(call(addr, "GET", other, &max, None).await.status, 404);
    let revoke = format!("{tokens}/{id}");
    assert_eq!(call(addr, "DELETE", &revoke, &ari, None).await.status, 403);
    assert_eq!(call(addr, "DELETE", &revoke, &max, None).await.status, 204);
    assert_eq!(call(addr, "DELETE", &revoke, &max, None).await.status, 404);
    assert_eq!(pull(addr, "mall", "after=0", &tablet).await.status, 401);

    // The history: every change with who made it; each sees their stores' changes only.
    let history = call(addr, "GET", "acme/history", &cleo, None).await.json();
    let changes = history["changes"].as_array().unwrap();
    let has = |what: &str, store: &str, by: &str| {
        changes.iter().any(|c| {
            c["what"] == what && c["store"] == store && c["by"].as_str().unwrap().contains(by)
        })
    };
    assert!(has("store_created", "park", "(cleo)"), "{history}");
    assert!(has("staff_added", "mall", "(max@mall)"), "{history}");
    assert!(has("pin_reset", "mall", "(max@mall)"), "{history}");
    assert!(has("token_issued", "mall", "(max@mall)"), "{history}");
    assert!(has("token_revoked", "mall", "(max@mall)"), "{history}");
    assert!(has("staff_added", "harbour", "(cleo)"), "{history}");
    assert!(!history.to_string().contains("482913"), "never a PIN");
    let by_ari = call(addr, "GET", "acme/history", &ari, None).await.json();
    assert!(
        by_ari["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["store"] == "mall"),
        "{by_ari}"
    );
    assert_eq!(
        call(addr, "GET", "acme/history", &zoe, None).await.status,
        403
    );
    server.stop().await;
}

/// A filing of case `case` at `store`'s front desk by the customer with `email`, `at` ms.
fn filing(case: u128, store: &str, at: i64, email: &str) -> recovery_core::Event {
    let mut e = recovery_core::testing::filed_event(case, case, at, "Charged twice");
    e.origin.store = slug(store);
    e.origin.touchpoint = slug("front-desk");
    if let recovery_core::EventKind::Filed { complaint, .. } = &mut e.kind {
        complaint.contact = Some(recovery_core::Contact::Email(email.into()));
        complaint.consent_to_contact = true;
    }
    e
}

#[tokio::test]
async fn the_chain_compares_the_stores_each_asker_sees_with_repeats_across_its_stores() {
    let fixture = Fixture::new();
    chains(&fixture).await;
    let server = start(&fixture.config).await;
    let addr = server.addr;
    let now = now_ms();
    let hour = 3_600_000;
    // Ana complains at the mall, then at the harbour; Bo twice at the harbour; Cy at the mall
    // and at a store of another chain (never a repeat there: another salt).
    let events = [
        filing(1, "mall", now - 5 * hour, "ana@example.com"),
        filing(2, "harbour", now - 4 * hour, "ANA@Example.com"),
        filing(3, "harbour", now - 3 * hour, "bo@example.com"),
        filing(4, "harbour", now - 2 * hour, "bo@example.com"),
        filing(5, "mall", now - 2 * hour, "cy@example.com"),
        filing(6, "far", now - hour, "cy@example.com"),
    ];
    let reply = common::push_json(addr, &json!({ "events": events }), None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let results = reply.json()["results"].clone();
    assert!(
        results
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "stored"),
        "{results}"
    );

    let cleo = session(addr, "acme", "cleo").await;
    let reply = call(addr, "GET", "acme/compare", &cleo, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    let figures = |body: &Value, store: &str| {
        body["stores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["store"] == store)
            .cloned()
    };
    let harbour = figures(&body, "harbour").unwrap();
    assert_eq!(harbour["cases"], 3);
    assert_eq!(
        (
            harbour["repeats"].as_u64(),
            harbour["repeats_elsewhere"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(
        harbour["per_thousand_visits"],
        Value::Null,
        "visits are not known"
    );
    let mall = figures(&body, "mall").unwrap();
    assert_eq!(
        (mall["cases"].as_u64(), mall["repeats"].as_u64()),
        (Some(2), Some(0))
    );
    assert!(figures(&body, "far").is_none(), "another chain's store");
    assert_eq!(
        harbour["control"]["points"].as_array().unwrap().len(),
        mall["control"]["points"].as_array().unwrap().len()
    );

    // The area manager of the mall sees the mall only, its figures the same.
    let ari = session(addr, "acme", "ari").await;
    let by_ari = call(addr, "GET", "acme/compare", &ari, None).await.json();
    assert_eq!(by_ari["stores"].as_array().unwrap().len(), 1);
    assert_eq!(figures(&by_ari, "mall"), Some(mall));
    // A store manager: their store; the other chain: its own store, with no repeat from acme.
    let max = fixture.session("harbour", "max").await;
    let by_max = call(addr, "GET", "acme/compare", &max, None).await.json();
    assert_eq!(by_max["stores"].as_array().unwrap().len(), 1);
    assert_eq!(figures(&by_max, "harbour").unwrap()["repeats"], 2);
    let zoe = session(addr, "other", "zoe").await;
    let far = call(addr, "GET", "other/compare", &zoe, None).await.json();
    assert_eq!(figures(&far, "far").unwrap()["repeats"], 0);
    // Nobody else; and a comparison takes no touchpoint.
    assert_eq!(
        call(addr, "GET", "acme/compare", &zoe, None).await.status,
        403
    );
    let device = fixture.token("mall").await;
    assert_eq!(
        call(addr, "GET", "acme/compare", &device, None)
            .await
            .status,
        403
    );
    let reply = call(
        addr,
        "GET",
        "acme/compare?touchpoint=front-desk",
        &cleo,
        None,
    )
    .await;
    assert_eq!(reply.status, 400);
    server.stop().await;
}

#[tokio::test]
async fn a_change_marked_for_the_chain_shows_in_every_store_and_only_its_administrators_mark_it() {
    let fixture = Fixture::new();
    chains(&fixture).await;
    let server = start(&fixture.config).await;
    let addr = server.addr;
    let day = 86_400_000;
    let now = now_ms();
    // Three complaints at the mall in the three days before the change, one in the three after.
    let mut events: Vec<_> = (0..3)
        .map(|n| {
            filing(
                10 + n,
                "mall",
                now - 6 * day + n as i64 * 3_600_000,
                &format!("c{n}@example.com"),
            )
        })
        .collect();
    events.push(filing(20, "mall", now - day, "d@example.com"));
    let reply = common::push_json(addr, &json!({ "events": events }), None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());

    let change = json!({"at": now - 3 * day, "kind": "upgrade", "label": "Tills upgraded"});
    let (cleo, ari) = (
        session(addr, "acme", "cleo").await,
        session(addr, "acme", "ari").await,
    );
    let max = fixture.session("mall", "max").await;
    for token in [&ari, &max] {
        let reply = call(addr, "POST", "acme/markers", token, Some(change.clone())).await;
        assert_eq!(reply.status, 403, "{}", reply.text());
    }
    let mut at_a_till = change.clone();
    at_a_till["touchpoint"] = json!("front-desk");
    let reply = call(addr, "POST", "acme/markers", &cleo, Some(at_a_till)).await;
    assert_eq!(
        (reply.status, reply.error()),
        (422, "touchpoint_unknown".into())
    );
    let reply = call(addr, "POST", "acme/markers", &cleo, Some(change)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let marker = reply.json();
    assert_eq!(
        (marker["chain"].clone(), marker["by"].clone()),
        (json!(true), json!("CLEO (cleo)"))
    );
    let id = marker["id"].as_str().unwrap().to_owned();

    // Every store of the chain lists it beside its own; another chain's store does not.
    for store in ["mall", "harbour"] {
        let token = fixture.session(store, "ana").await;
        let auth = format!("Bearer {token}");
        let listed = get(
            addr,
            &format!("/api/v1/stores/{store}/markers"),
            &[("authorization", &auth)],
        )
        .await;
        assert_eq!(listed.json()["markers"][0]["id"], id.as_str(), "{store}");
    }
    let far = fixture.session("far", "max").await;
    let auth = format!("Bearer {far}");
    let listed = get(
        addr,
        "/api/v1/stores/far/markers",
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(listed.json()["markers"], json!([]));
    // A store's manager cannot remove it through the store.
    let path = format!("/api/v1/stores/mall/markers/{id}");
    let auth = format!("Bearer {max}");
    let reply = request(addr, "DELETE", &path, &[("authorization", &auth)], b"").await;
    assert_eq!(reply.status, 404);

    // The comparison judges it in each store on that store's complaints.
    let compared = call(addr, "GET", "acme/compare", &ari, None).await.json();
    assert_eq!(compared["markers"][0]["id"], id.as_str());
    let shift = &compared["stores"][0]["shifts"][0];
    assert_eq!(
        (shift["before"].as_u64(), shift["after"].as_u64()),
        (Some(3), Some(1)),
        "{compared}"
    );

    let path = format!("acme/markers/{id}");
    assert_eq!(call(addr, "DELETE", &path, &ari, None).await.status, 403);
    assert_eq!(call(addr, "DELETE", &path, &cleo, None).await.status, 204);
    assert_eq!(
        call(addr, "GET", "acme/markers", &ari, None).await.json()["markers"],
        json!([])
    );
    server.stop().await;
}

#[tokio::test]
async fn only_a_chain_administrator_manages_the_chains_people_and_never_locks_themselves_out() {
    let fixture = Fixture::new();
    chains(&fixture).await;
    let server = start(&fixture.config).await;
    let addr = server.addr;
    let (cleo, ari) = (
        session(addr, "acme", "cleo").await,
        session(addr, "acme", "ari").await,
    );
    let max = fixture.session("mall", "max").await;
    for token in [&ari, &max] {
        assert_eq!(
            call(addr, "GET", "acme/people", token, None).await.status,
            403
        );
    }
    let listed = call(addr, "GET", "acme/people", &cleo, None).await.json();
    let ids: Vec<&str> = listed["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ari", "cleo"], "never another chain's");

    let dee = |stores: Value, password: Option<&str>| {
        let mut body = json!({"name": "Dee", "role": "area", "stores": stores, "active": true});
        if let Some(p) = password {
            body["password"] = json!(p);
        }
        body
    };
    let reply = call(
        addr,
        "PUT",
        "acme/people/dee",
        &ari,
        Some(dee(json!(["mall"]), Some(PASSWORD))),
    )
    .await;
    assert_eq!(reply.status, 403);
    for (body, code) in [
        (dee(json!(["mall"]), None), "person_password_needed"),
        (dee(json!(["mall"]), Some("short")), "person_password"),
        (dee(json!([]), Some(PASSWORD)), "person_stores"),
        (dee(json!(["far"]), Some(PASSWORD)), "person_stores"),
    ] {
        let reply = call(addr, "PUT", "acme/people/dee", &cleo, Some(body)).await;
        assert_eq!((reply.status, reply.error()), (422, code.into()));
    }
    let reply = call(
        addr,
        "PUT",
        "acme/people/dee",
        &cleo,
        Some(dee(json!(["mall", "harbour"]), Some(PASSWORD))),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let by_dee = session(addr, "acme", "dee").await;
    let view = call(addr, "GET", "acme", &by_dee, None).await;
    assert_eq!(stores_of(&view), ["harbour", "mall"]);
    // Narrowed to the mall: her session ends at once, and the next one sees the mall only.
    let reply = call(
        addr,
        "PUT",
        "acme/people/dee",
        &cleo,
        Some(dee(json!(["mall"]), None)),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(call(addr, "GET", "acme", &by_dee, None).await.status, 401);
    let by_dee = session(addr, "acme", "dee").await;
    assert_eq!(
        stores_of(&call(addr, "GET", "acme", &by_dee, None).await),
        ["mall"]
    );

    // Cleo cannot demote or deactivate herself.
    for body in [
        json!({"name": "Cleo", "role": "area", "stores": ["mall"], "active": true}),
        json!({"name": "Cleo", "role": "admin", "stores": [], "active": false}),
    ] {
        let reply = call(addr, "PUT", "acme/people/cleo", &cleo, Some(body)).await;
        assert_eq!((reply.status, reply.error()), (422, "person_self".into()));
    }
    let history = call(addr, "GET", "acme/history", &cleo, None).await.json();
    let change = history["changes"].as_array().unwrap().iter().find(|c| {
        c["what"] == "person_changed" && c["subject"] == "dee" && c["fields"] == json!(["stores"])
    });
    assert!(change.is_some(), "{history}");
    assert!(!history.to_string().contains(PASSWORD));
    server.stop().await;
}

/// A shift of `hours` (store-local minutes) every day of the week, worked by `staff`.
fn every_day(name: &str, start: u32, end: u32, staff: &[&str]) -> Value {
    let hours = vec![json!({"start": start, "end": end}); 7];
    json!({"name": name, "hours": hours, "staff": staff})
}

#[tokio::test]
async fn a_store_plans_its_shifts_and_the_insights_read_who_was_on_shift_from_the_plan() {
    let fixture = Fixture::new();
    chains(&fixture).await;
    let server = start(&fixture.config).await;
    let addr = server.addr;
    // Yesterday on the UTC clock: complaints at 09:00, 15:00 and 16:00.
    let day = 86_400_000;
    let yesterday = now_ms() / day * day - day;
    let hour = 3_600_000;
    let events = [
        filing(1, "mall", yesterday + 9 * hour, "a@example.com"),
        filing(2, "mall", yesterday + 15 * hour, "b@example.com"),
        filing(3, "mall", yesterday + 16 * hour, "c@example.com"),
    ];
    let reply = common::push_json(addr, &json!({ "events": events }), None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let device = fixture.token("mall").await;
    let insights = |query: &'static str| {
        let device = device.clone();
        async move {
            let auth = format!("Bearer {device}");
            let path = format!("/api/v1/stores/mall/insights?tz=0&{query}");
            get(addr, &path, &[("authorization", &auth)]).await
        }
    };
    // No plan: Ana took no step, so nothing reads as her shift.
    assert_eq!(insights("staff=ana").await.json()["cases"], 0);

    let plan = json!([
        every_day("Morning", 0, 720, &["ana"]),
        every_day("Late", 720, 1440, &["max"]),
    ]);
    let cleo = session(addr, "acme", "cleo").await;
    let reply = call(
        addr,
        "PUT",
        "acme/stores/mall/shifts",
        &cleo,
        Some(plan.clone()),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["shifts"], plan);
    assert_eq!(
        reply.json()["setup"]["name"],
        "mall",
        "the settings are kept"
    );

    // The plan says who was on shift, and the shift filter picks a shift's hours.
    assert_eq!(insights("staff=ana").await.json()["cases"], 1);
    assert_eq!(insights("staff=max").await.json()["cases"], 2);
    assert_eq!(insights("shift=Late").await.json()["cases"], 2);
    assert_eq!(insights("shift=Morning&staff=max").await.json()["cases"], 0);
    let all = insights("").await.json();
    let figures: Vec<(String, u64)> = all["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_owned(),
                f["cases"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(figures, [("Morning".into(), 1), ("Late".into(), 2)]);
    assert_eq!(all["off_shift"], 0);
    assert_eq!(insights("shift=%07").await.status, 400);
    // The tablets read the plan with the store's profile.
    let auth = format!("Bearer {device}");
    let profile = get(
        addr,
        "/api/v1/stores/mall/profile",
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(profile.json()["profile"]["shifts"], plan);

    // Checked: hours on the clock, a name each, the store's own staff, each once.
    let refused = |body: Value| {
        let cleo = cleo.clone();
        async move {
            let reply = call(addr, "PUT", "acme/stores/mall/shifts", &cleo, Some(body)).await;
            (
                reply.status,
                reply.json()["error"].as_str().unwrap_or("").to_owned(),
            )
        }
    };
    let invalid = |code: &str| (422, code.to_owned());
    assert_eq!(
        refused(json!([every_day("Night", 600, 600, &[])])).await,
        invalid("setup_shift_hours")
    );
    assert_eq!(
        refused(json!([every_day("Day", 0, 60, &["zed"])])).await,
        invalid("setup_shift_staff")
    );
    assert_eq!(
        refused(json!([every_day("Day", 0, 60, &["ana", "ana"])])).await,
        invalid("setup_shift_staff")
    );
    assert_eq!(
        refused(json!([
            every_day("Day", 0, 60, &[]),
            every_day("Day", 60, 120, &[])
        ]))
        .await,
        invalid("setup_shift_name")
    );
    assert_eq!(refused(json!({"shifts": 1})).await.0, 400);

    // Who may: the store's own manager (of another store: not found), never an area manager,
    // staff, a tablet or another chain.
    let max = fixture.session("harbour", "max").await;
    let harbour = json!([every_day("Day", 480, 1020, &["ana"])]);
    let put = |path: &'static str, token: String| {
        let harbour = harbour.clone();
        async move { call(addr, "PUT", path, &token, Some(harbour)).await.status }
    };
    assert_eq!(put("acme/stores/harbour/shifts", max.clone()).await, 200);
    assert_eq!(put("acme/stores/mall/shifts", max).await, 404);
    let ari = session(addr, "acme", "ari").await;
    assert_eq!(put("acme/stores/mall/shifts", ari).await, 403);
    let staff = fixture.session("mall", "ana").await;
    assert_eq!(put("acme/stores/mall/shifts", staff).await, 403);
    assert_eq!(put("acme/stores/mall/shifts", device.clone()).await, 403);
    let zoe = session(addr, "other", "zoe").await;
    assert_eq!(put("acme/stores/mall/shifts", zoe).await, 403);
    assert_eq!(put("acme/stores/mall/shifts", String::new()).await, 401);

    // The history names who planned which shifts.
    let history = call(addr, "GET", "acme/history", &cleo, None).await.json();
    let planned: Vec<(String, Value)> = history["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["what"] == "shifts_changed")
        .map(|c| (c["by"].as_str().unwrap().to_owned(), c["fields"].clone()))
        .collect();
    assert_eq!(planned.len(), 2, "{planned:?}");
    assert!(planned[0].0.contains("max"), "{planned:?}");
    assert!(planned[1].0.contains("cleo"), "{planned:?}");
    assert_eq!(planned[1].1, json!(["Morning", "Late"]));
    server.stop().await;
}

#[tokio::test]
async fn a_stores_manager_says_who_hears_of_its_cases_and_a_new_webhook_gets_its_key_once() {
    let fixture = Fixture::new();
    chains(&fixture).await;
    let server = start(&fixture.config).await;
    let addr = server.addr;
    let cleo = session(addr, "acme", "cleo").await;
    let put = |token: &str, store: &str, body: Value| {
        let (token, path) = (token.to_owned(), format!("acme/stores/{store}/recipients"));
        async move { call(addr, "PUT", &path, &token, Some(body)).await }
    };
    let night = json!({"channel": "email", "address": "night@example.com", "rules": ["escalated"], "quiet": "22:00-07:00"});
    let reply = put(&cleo, "mall", night.clone()).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["recipient"], night);
    assert_eq!(
        reply.json().get("secret"),
        None,
        "no key for an email address"
    );

    // A new webhook without a key gets one, answered once; a change keeps it.
    let hook = json!({"channel": "webhook", "address": "http://127.0.0.1:9/hook", "rules": ["unacknowledged", "ask_held"]});
    let reply = put(&cleo, "mall", hook.clone()).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let key = reply.json()["secret"].as_str().unwrap().to_owned();
    assert_eq!(key.len(), 64);
    let mut changed = hook.clone();
    changed["rules"] = json!(["reopened"]);
    let reply = put(&cleo, "mall", changed).await;
    assert_eq!(reply.json().get("secret"), None);
    assert_eq!(reply.json()["recipient"]["rules"], json!(["reopened"]));
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    let kept = db
        .transaction(Mode::Read, |db| db.recipients("mall"))
        .await
        .unwrap();
    db.close().await.unwrap();
    let webhook = kept.iter().find(|r| r.channel == "webhook").unwrap();
    assert_eq!(webhook.secret.as_deref(), Some(key.as_str()));

    // Listed to whoever sees the store, never with the key.
    let ari = session(addr, "acme", "ari").await;
    let listed = call(addr, "GET", "acme/stores/mall/recipients", &ari, None).await;
    assert_eq!(listed.status, 200, "{}", listed.text());
    let body = listed.json();
    let addresses: Vec<&str> = body["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert_eq!(addresses, ["night@example.com", "http://127.0.0.1:9/hook"]);
    assert!(!listed.text().contains(&key));

    // Checked as the command line checks them.
    for (body, code) in [
        (
            json!({"channel": "email", "address": "not an address", "rules": ["spike"]}),
            "recipient_address",
        ),
        (
            json!({"channel": "email", "address": "a@example..com", "rules": ["spike"]}),
            "recipient_address",
        ),
        (
            json!({"channel": "webhook", "address": "ftp://x", "rules": ["spike"]}),
            "recipient_address",
        ),
        (
            json!({"channel": "email", "address": "a@example.com", "rules": []}),
            "recipient_rules",
        ),
        (
            json!({"channel": "email", "address": "a@example.com", "rules": ["ask_rating"]}),
            "recipient_customer_rule",
        ),
        (
            json!({"channel": "email", "address": "a@example.com", "rules": ["spike"], "quiet": "22-07"}),
            "recipient_quiet",
        ),
        (
            json!({"channel": "webhook", "address": "https://x.example.com", "rules": ["spike"], "secret": "short"}),
            "recipient_secret",
        ),
    ] {
        let reply = put(&cleo, "mall", body.clone()).await;
        assert_eq!(
            (reply.status, reply.json()["error"].clone()),
            (422, json!(code)),
            "{body}"
        );
    }
    let unknown = json!({"channel": "email", "address": "a@example.com", "rules": ["sometimes"]});
    assert_eq!(put(&cleo, "mall", unknown).await.status, 400);

    // Who may: the store's own manager; nobody who only reads, works or is elsewhere.
    let spike = json!({"channel": "email", "address": "floor@example.com", "rules": ["spike"]});
    let max = fixture.session("harbour", "max").await;
    assert_eq!(put(&max, "harbour", spike.clone()).await.status, 200);
    assert_eq!(put(&max, "mall", spike.clone()).await.status, 404);
    assert_eq!(put(&ari, "mall", spike.clone()).await.status, 403);
    let staff = fixture.session("mall", "ana").await;
    assert_eq!(put(&staff, "mall", spike.clone()).await.status, 403);
    assert_eq!(
        put(&fixture.token("mall").await, "mall", spike.clone())
            .await
            .status,
        403
    );
    let zoe = session(addr, "other", "zoe").await;
    assert_eq!(put(&zoe, "mall", spike.clone()).await.status, 403);
    assert_eq!(put("", "mall", spike).await.status, 401);

    // Removed once; the history says who did each.
    let path = "acme/stores/mall/recipients?channel=email&address=night%40example.com";
    assert_eq!(call(addr, "DELETE", path, &ari, None).await.status, 403);
    assert_eq!(call(addr, "DELETE", path, &cleo, None).await.status, 204);
    assert_eq!(call(addr, "DELETE", path, &cleo, None).await.status, 404);
    let history = call(addr, "GET", "acme/history", &cleo, None).await.json();
    let said: Vec<(String, String)> = history["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["what"].as_str().unwrap().starts_with("recipient_"))
        .map(|c| {
            (
                c["what"].as_str().unwrap().to_owned(),
                c["subject"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        said[0],
        ("recipient_removed".into(), "email night@example.com".into())
    );
    assert_eq!(said.len(), 5, "{said:?}");

    // Whoever the admin names hears of the next complaint: its message waits in the outbox.
    let desk =
        json!({"channel": "email", "address": "desk@example.com", "rules": ["unacknowledged"]});
    assert_eq!(put(&cleo, "mall", desk).await.status, 200);
    let filed = filing(7, "mall", now_ms() - 60_000, "cy@example.com");
    let reply = common::push_json(addr, &json!({ "events": [filed] }), None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    let outbox = db
        .transaction(Mode::Read, |db| db.notifications("mall"))
        .await
        .unwrap();
    db.close().await.unwrap();
    let to_desk: Vec<&str> = outbox
        .iter()
        .filter(|n| n.address == "desk@example.com")
        .map(|n| n.rule.as_str())
        .collect();
    assert_eq!(to_desk, ["unacknowledged"]);
    server.stop().await;
}

#[tokio::test]
async fn visits_told_by_a_stores_manager_give_complaints_per_thousand_visits() {
    let fixture = Fixture::new();
    chains(&fixture).await;
    let server = start(&fixture.config).await;
    let addr = server.addr;
    let day = 86_400_000;
    let yesterday = now_ms() / day * day - day;
    let events: Vec<_> = (1..=3)
        .map(|i| filing(i, "mall", yesterday + i as i64 * 3_600_000, "a@example.com"))
        .collect();
    let reply = common::push_json(addr, &json!({ "events": events }), None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let date = recovery_core::insights::date(yesterday / day);
    let before = recovery_core::insights::date(yesterday / day - 1);
    let cleo = session(addr, "acme", "cleo").await;
    let mall = |body: &Value| {
        body["stores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["store"] == "mall")
            .cloned()
            .unwrap()
    };
    let compare = |from: &str| format!("acme/compare?tz=0&from={from}&to={date}");
    let unknown = call(addr, "GET", &compare(&date), &cleo, None).await.json();
    assert_eq!(mall(&unknown)["per_thousand_visits"], Value::Null);

    // The mall's manager tells yesterday's visits: 500.
    let max = fixture.session("mall", "max").await;
    let told = json!({"days": [{"date": date, "visits": 500}]});
    let reply = call(
        addr,
        "PUT",
        "acme/stores/mall/visits",
        &max,
        Some(told.clone()),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), told);
    let known = call(addr, "GET", &compare(&date), &cleo, None).await.json();
    assert_eq!(mall(&known)["per_thousand_visits"], 6.0);
    assert_eq!(mall(&known)["control"]["kind"], "p");
    // A day of the period without visits: not known.
    let partly = call(addr, "GET", &compare(&before), &cleo, None)
        .await
        .json();
    assert_eq!(mall(&partly)["per_thousand_visits"], Value::Null);
    // The store's own report draws a p-chart too.
    let device = fixture.token("mall").await;
    let auth = format!("Bearer {device}");
    let path = format!("/api/v1/stores/mall/insights?tz=0&from={date}&to={date}");
    let report = get(addr, &path, &[("authorization", &auth)]).await.json();
    assert_eq!(report["control"]["kind"], "p");
    assert_eq!(report["control"]["points"][0]["visits"], 500);

    // Read by whoever sees the store; told by its manager and administrators only; checked.
    let ari = session(addr, "acme", "ari").await;
    let read = call(addr, "GET", "acme/stores/mall/visits", &ari, None).await;
    assert_eq!(read.json(), told);
    assert_eq!(
        call(
            addr,
            "PUT",
            "acme/stores/mall/visits",
            &ari,
            Some(told.clone())
        )
        .await
        .status,
        403
    );
    let other = fixture.session("harbour", "max").await;
    assert_eq!(
        call(
            addr,
            "PUT",
            "acme/stores/mall/visits",
            &other,
            Some(told.clone())
        )
        .await
        .status,
        404
    );
    let staff = fixture.session("mall", "ana").await;
    assert_eq!(
        call(
            addr,
            "PUT",
            "acme/stores/mall/visits",
            &staff,
            Some(told.clone())
        )
        .await
        .status,
        403
    );
    let many: Vec<Value> = (0..367)
        .map(|i| json!({"date": recovery_core::insights::date(20_000 + i), "visits": 1}))
        .collect();
    for body in [
        json!({"days": [{"date": "2026-02-30", "visits": 5}]}),
        json!({"days": [{"date": date, "visits": 5}, {"date": date, "visits": 6}]}),
        json!({"days": [{"date": date, "visits": 10_000_001}]}),
        json!({"days": many}),
    ] {
        let reply = call(addr, "PUT", "acme/stores/mall/visits", &cleo, Some(body)).await;
        assert_eq!(
            (reply.status, reply.json()["error"].clone()),
            (422, json!("setup_visits"))
        );
    }
    let history = call(addr, "GET", "acme/history", &cleo, None).await.json();
    let told_by: Vec<&str> = history["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["what"] == "visits_recorded")
        .map(|c| c["by"].as_str().unwrap())
        .collect();
    assert_eq!(told_by, ["Max (max@mall)"]);
    server.stop().await;
}
