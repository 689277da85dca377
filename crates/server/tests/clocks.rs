//! Clocks that lie: the server notes each event's arrival and the skew of
//! the device that sent it (measured from the clock sent with the push when
//! the device had not learnt it), and every report, deadline and ticket uses
//! the corrected time, while the device's own `at` stays as it was sent. The
//! real server in-process on 127.0.0.1, over SQLite (or PostgreSQL with
//! `RECOVERY_TEST_DATABASE_URL`).

mod common;

use common::{Fixture, get, pull_all, push_json, signed, start};
use recovery_core::insights::Insights;
use recovery_core::testing::{actor, filed_event, step};
use recovery_core::{DeviceClock, EventKind, Role};
use recovery_server::store::now_ms;
use serde_json::json;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;
/// Within what a test's own pushes may take.
const SLACK: i64 = 10_000;

fn near(got: i64, want: i64) -> bool {
    (got - want).abs() < SLACK
}

#[tokio::test]
async fn a_kiosk_days_behind_and_a_tablet_hours_fast_get_true_times_everywhere() {
    let fixture = Fixture::new();
    fixture.demo_store("demo").await;
    fixture.register_keys("demo", &["ana"]).await;
    let server = start(&fixture.config).await;
    let token = fixture.session("demo", "ana").await;
    let now = now_ms();

    // A kiosk three days behind that never reached the server files a
    // complaint 12 minutes before its push.
    let filed = filed_event(1, 1, now - 3 * DAY - 12 * MIN, "Waited 40 minutes");
    let reply = push_json(
        server.addr,
        &json!({"events": [filed], "sent_at": now - 3 * DAY}),
        None,
    )
    .await;
    assert_eq!(reply.json()["results"][0]["status"], "stored");
    // The same event again, as a kiosk that missed the answer sends it: the
    // server's notes do not make it a conflict.
    let again = push_json(
        server.addr,
        &json!({"events": [filed], "sent_at": now - 3 * DAY + 5_000}),
        None,
    )
    .await;
    assert_eq!(again.json()["results"][0]["status"], "duplicate");

    // A tablet two hours fast that learnt its skew acknowledges 24 s after
    // the true filing time, signed by Ana with the skew in it.
    let mut ack = step(
        2,
        1,
        now - 12 * MIN + 24_000 + 2 * HOUR,
        EventKind::Acknowledged {
            by: actor("ana", Role::Staff, 2_500),
            apology: "I am sorry you had to wait.".into(),
            avoidable: None,
        },
    );
    ack.clock = Some(DeviceClock {
        skew_ms: Some(-2 * HOUR),
        received_at: None,
    });
    let ack = signed(ack);
    let reply = push_json(
        server.addr,
        &json!({"events": [ack], "sent_at": now + 2 * HOUR}),
        Some(&token),
    )
    .await;
    assert_eq!(
        reply.json()["results"][0]["status"],
        "stored",
        "{}",
        reply.text()
    );

    let events = pull_all(server.addr, "demo", &token).await;
    let (_, pulled_filed) = &events[0];
    let clock = pulled_filed.clock.unwrap();
    assert_eq!(pulled_filed.at, filed.at, "the device's own time stays");
    assert!(near(clock.skew_ms.unwrap(), 3 * DAY), "{clock:?}");
    assert!(near(clock.received_at.unwrap().0, now), "{clock:?}");
    assert!(near(pulled_filed.time().0, now - 12 * MIN));
    let (_, pulled_ack) = &events[1];
    assert_eq!(
        pulled_ack.clock.unwrap().skew_ms,
        Some(-2 * HOUR),
        "the tablet's own skew, not the push's measure"
    );
    assert!(
        near(pulled_ack.time().0 - pulled_filed.time().0, 24_000),
        "acknowledged 24 s after the filing, in true time"
    );

    // The pull page says the server's time, for tablets to learn their skew.
    let page = get(
        server.addr,
        "/api/v1/stores/demo/events?after=0",
        &[("Authorization", &format!("Bearer {token}"))],
    )
    .await
    .json();
    assert!(near(page["now"].as_i64().unwrap(), now));

    // The report: one case acknowledged about 24 s after filing (not three
    // days, nor minus two hours).
    let reply = get(
        server.addr,
        "/api/v1/stores/demo/insights",
        &[("Authorization", &format!("Bearer {token}"))],
    )
    .await;
    let report: Insights = serde_json::from_value(reply.json()).unwrap();
    assert_eq!(report.acknowledge.count, 1);
    let took = report.acknowledge.median_ms.unwrap();
    assert!((0..SLACK + 24_000).contains(&took), "{took}");
    server.stop().await;
}
