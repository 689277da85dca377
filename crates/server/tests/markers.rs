//! End-to-end tests of a store's markers for changes: its staff and devices read them, only
//! its managers signed in as themselves mark and remove them, the rules refuse what is not a
//! marker, and a store keeps at most `MARKERS_MAX`. The real server runs in-process on
//! 127.0.0.1 (see `common`), on SQLite or, with `RECOVERY_TEST_DATABASE_URL`, PostgreSQL.

mod common;

use common::{Fixture, Reply, ana, get, request, slug, start};
use recovery_core::{
    MARKERS_MAX, Marker, MarkerKind, NewMarker, PinHash, Role, StaffMember, Timestamp,
};
use recovery_server::staff::{self, StoreSettings};
use recovery_server::store::{Database, Mode, now_ms};
use serde_json::{Value, json};
use uuid::Uuid;

const DAY: i64 = 86_400_000;

/// Creates `store` with Ana (staff) and Max (manager).
async fn store(fixture: &Fixture, store: &str) {
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    let mut settings = StoreSettings::new(slug(store), "Demo store");
    settings.touchpoints = Some(vec![slug("front-desk"), slug("tills")]);
    db.transaction(Mode::Write, move |db| staff::put_store(db, &settings))
        .await
        .unwrap();
    let max = StaffMember {
        id: slug("max"),
        name: "Max".into(),
        role: Role::Manager,
        limit_minor: 100_000,
    };
    let hash = PinHash::new("246810", &[7u8; 16], 1_000);
    let store = slug(store);
    db.transaction(Mode::Write, move |db| {
        for member in [ana(), max] {
            staff::put_staff(db, &store, &member, &hash).unwrap();
        }
        Ok(())
    })
    .await
    .unwrap();
    db.close().await.unwrap();
}

async fn post(addr: std::net::SocketAddr, store: &str, token: &str, body: &Value) -> Reply {
    let auth = format!("Bearer {token}");
    let headers = [
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
    ];
    let path = format!("/api/v1/stores/{store}/markers");
    request(addr, "POST", &path, &headers, body.to_string().as_bytes()).await
}

async fn list(addr: std::net::SocketAddr, store: &str, token: &str) -> Reply {
    let auth = format!("Bearer {token}");
    get(
        addr,
        &format!("/api/v1/stores/{store}/markers"),
        &[("authorization", &auth)],
    )
    .await
}

async fn delete(addr: std::net::SocketAddr, store: &str, id: &str, token: &str) -> Reply {
    let auth = format!("Bearer {token}");
    let path = format!("/api/v1/stores/{store}/markers/{id}");
    request(addr, "DELETE", &path, &[("authorization", &auth)], b"").await
}

#[tokio::test]
async fn managers_mark_and_remove_changes_that_the_stores_staff_and_devices_read() {
    let fixture = Fixture::new();
    store(&fixture, "demo").await;
    store(&fixture, "other").await;
    let server = start(&fixture.config).await;
    let addr = server.addr;
    let max = fixture.session("demo", "max").await;
    let ana = fixture.session("demo", "ana").await;
    let device = fixture.token("demo").await;
    let other_max = fixture.session("other", "max").await;

    let upgrade_at = now_ms() - 10 * DAY;
    let upgrade = json!({"at": upgrade_at, "kind": "upgrade", "label": "  Card terminals upgraded ",
        "touchpoint": "tills"});
    let reply = post(addr, "demo", &max, &upgrade).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let kept: Marker = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(kept.change.label, "Card terminals upgraded");
    assert_eq!(
        (kept.change.kind, kept.by.as_str()),
        (MarkerKind::Upgrade, "max")
    );
    assert_eq!(kept.change.touchpoint, Some(slug("tills")));
    let training = json!({"at": upgrade_at - 20 * DAY, "kind": "training", "label": "Complaint handling",
        "category": "service"});
    assert_eq!(post(addr, "demo", &max, &training).await.status, 201);

    // Ana, a device and Max read them, oldest change first; no one else does.
    for token in [&max, &ana, &device] {
        let reply = list(addr, "demo", token).await;
        assert_eq!(reply.status, 200);
        let markers: Vec<Marker> = serde_json::from_value(reply.json()["markers"].clone()).unwrap();
        let labels: Vec<&str> = markers.iter().map(|m| m.change.label.as_str()).collect();
        assert_eq!(labels, ["Complaint handling", "Card terminals upgraded"]);
    }
    assert_eq!(
        get(addr, "/api/v1/stores/demo/markers", &[]).await.status,
        401
    );
    assert_eq!(list(addr, "demo", &other_max).await.status, 403);

    // Only a manager of the store, signed in as themselves, marks or removes one.
    for (token, who) in [
        (&ana, "staff"),
        (&device, "a device"),
        (&other_max, "another store's manager"),
    ] {
        assert_eq!(
            post(addr, "demo", token, &upgrade).await.status,
            403,
            "{who}"
        );
        assert_eq!(
            delete(addr, "demo", &kept.id.to_string(), token)
                .await
                .status,
            403,
            "{who}"
        );
    }
    assert_eq!(
        list(addr, "other", &other_max).await.json()["markers"],
        json!([])
    );

    // Removed, it is no longer listed, and a second removal finds nothing; its row keeps who
    // removed it and when.
    assert_eq!(
        delete(addr, "demo", &kept.id.to_string(), &max)
            .await
            .status,
        204
    );
    assert_eq!(
        delete(addr, "demo", &kept.id.to_string(), &max)
            .await
            .status,
        404
    );
    assert_eq!(delete(addr, "demo", "not-an-id", &max).await.status, 404);
    let left = list(addr, "demo", &ana).await.json();
    assert_eq!(left["markers"].as_array().unwrap().len(), 1);
    let rows = fixture.rows(&format!(
        "SELECT created_by, removed_by FROM markers WHERE id = '{}'",
        kept.id
    ));
    assert_eq!(rows, [vec!["max".to_owned(), "max".to_owned()]]);
    server.stop().await;
}

#[tokio::test]
async fn the_rules_refuse_what_is_not_a_marker_and_a_store_keeps_a_bounded_number() {
    let fixture = Fixture::new();
    store(&fixture, "demo").await;
    let server = start(&fixture.config).await;
    let addr = server.addr;
    let max = fixture.session("demo", "max").await;
    let now = now_ms();

    for (body, code) in [
        (
            json!({"at": now, "kind": "upgrade", "label": "   "}),
            "label_empty",
        ),
        (
            json!({"at": now, "kind": "upgrade", "label": "x".repeat(121)}),
            "label_too_long",
        ),
        (
            json!({"at": 0, "kind": "upgrade", "label": "Epoch"}),
            "date_implausible",
        ),
        (
            json!({"at": now + 400 * DAY, "kind": "upgrade", "label": "Far ahead"}),
            "date_implausible",
        ),
        // A place the store does not have (it has front-desk and tills).
        (
            json!({"at": now, "kind": "upgrade", "label": "Elsewhere", "touchpoint": "checkout-9"}),
            "touchpoint_unknown",
        ),
    ] {
        let reply = post(addr, "demo", &max, &body).await;
        assert_eq!(
            (reply.status, reply.error()),
            (422, code.to_owned()),
            "{body}"
        );
    }
    for body in [
        json!({"at": now, "kind": "renovation", "label": "Unknown kind"}),
        json!({"at": now, "kind": "upgrade", "label": "Bad place", "touchpoint": "Not A Slug"}),
        json!({"kind": "upgrade", "label": "No date"}),
    ] {
        let reply = post(addr, "demo", &max, &body).await;
        assert_eq!(
            (reply.status, reply.error()),
            (400, "bad_request".to_owned()),
            "{body}"
        );
    }

    // The store's budget: MARKERS_MAX kept, the next refused; a removal makes room.
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    db.transaction(Mode::Write, move |db| {
        for i in 0..MARKERS_MAX - 1 {
            db.insert_marker(
                "demo",
                &Marker {
                    id: Uuid::from_u128(i as u128 + 1),
                    change: NewMarker {
                        at: Timestamp(now - DAY),
                        kind: MarkerKind::Other,
                        label: format!("Change {i}"),
                        touchpoint: None,
                        category: None,
                    },
                    by: "max".into(),
                    marked_at: Timestamp(now),
                    chain: false,
                },
            )?;
        }
        Ok(())
    })
    .await
    .unwrap();
    db.close().await.unwrap();
    let last = json!({"at": now, "kind": "product", "label": "The last one"});
    assert_eq!(post(addr, "demo", &max, &last).await.status, 201);
    let over = post(addr, "demo", &max, &last).await;
    assert_eq!(
        (over.status, over.error()),
        (422, "too_many_markers".to_owned())
    );
    assert_eq!(
        delete(addr, "demo", &Uuid::from_u128(1).to_string(), &max)
            .await
            .status,
        204
    );
    assert_eq!(post(addr, "demo", &max, &last).await.status, 201);
    server.stop().await;
}
