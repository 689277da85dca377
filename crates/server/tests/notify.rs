//! Notifications leave the server for real: a real SMTP server (aiosmtpd, from PyPI, installed
//! by `scripts/setup.sh --test` into `.tools/mail`) writes each email it receives into a
//! maildir, and a real HTTP receiver on 127.0.0.1 keeps each webhook request. Each rule fires
//! once per case and recipient, across a restart and across two instances; a failing SMTP
//! server or webhook is tried again until it answers; webhook signatures verify; quiet hours
//! hold messages; staff alerts carry no customer words.

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use common::{Fixture, get, push_json, slug, start};
use recovery_core::testing::filed_event;
use recovery_core::{ComplaintDraft, Event, EventKind, Impact, validate};
use recovery_server::Config;
use recovery_server::notifier::{DELIVERY_HEADER, SIGNATURE_HEADER, verify};
use recovery_server::store::{Database, Mode, NotificationRow, RecipientRow};
use serde_json::{Value, json};

const SECRET: &str = "a-webhook-signing-key";
/// Every rule, as the command line stores `--rules all`.
const ALL: &str = "unacknowledged,escalated,follow_up_due,reopened,spike";

/// A real SMTP server writing what it receives into a maildir.
struct Mailbox {
    process: Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Mailbox {
    /// The SMTP server, on a free port of 127.0.0.1 (or on `port`).
    fn start(port: Option<u16>) -> Mailbox {
        let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/mail/bin/python");
        assert!(
            python.exists(),
            "aiosmtpd is missing: run scripts/setup.sh --test (it installs it into .tools/mail)"
        );
        let port = port.unwrap_or_else(free_port);
        let dir = tempfile::tempdir().unwrap();
        let process = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("maildir"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let until = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < until, "the SMTP server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Mailbox { process, dir, port }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, as text, in the order received.
    fn messages(&self) -> Vec<String> {
        let new = self.dir.path().join("maildir").join("new");
        let mut files: Vec<PathBuf> = std::fs::read_dir(new)
            .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort_by_key(|f| received(f));
        files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect()
    }
}

/// When a maildir file was delivered, from its name ("<seconds>.M<microseconds>P<pid>Q<n>.<host>"):
/// the microseconds are not zero-padded, so the names alone do not sort in time.
fn received(file: &Path) -> (u64, u64, String) {
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let number = |text: &str| -> u64 {
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().unwrap_or(0)
    };
    let seconds = number(&name);
    let micros = name.split_once(".M").map_or(0, |(_, rest)| number(rest));
    (seconds, micros, name)
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A webhook receiver that refuses the first `fail` requests with 500.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    fail: Arc<Mutex<usize>>,
}

impl Receiver {
    async fn start(fail: usize) -> (Receiver, String) {
        let receiver = Receiver::default();
        *receiver.fail.lock().unwrap() = fail;
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(take))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (receiver, format!("http://{addr}/hook"))
    }

    fn requests(&self) -> Vec<(HeaderMap, String)> {
        self.got.lock().unwrap().clone()
    }

    /// The bodies of the requests it answered 200 to.
    fn delivered(&self) -> Vec<Value> {
        self.requests()
            .iter()
            .filter(|(headers, _)| headers.contains_key("x-test-accepted"))
            .map(|(_, body)| serde_json::from_str(body).unwrap())
            .collect()
    }
}

async fn take(
    State(receiver): State<Receiver>,
    mut headers: HeaderMap,
    body: String,
) -> StatusCode {
    let refuse = {
        let mut fail = receiver.fail.lock().unwrap();
        let refuse = *fail > 0;
        *fail = fail.saturating_sub(1);
        refuse
    };
    if !refuse {
        headers.insert("x-test-accepted", "1".parse().unwrap());
    }
    receiver.got.lock().unwrap().push((headers, body));
    if refuse {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

/// The demo store (Ana and Max, their test keys) with an acknowledgement target of
/// `ack_minutes`, and these recipients.
async fn store(fixture: &Fixture, ack_minutes: u32, recipients: Vec<RecipientRow>) {
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    recovery_server::staff::seed_demo(&db).await.unwrap();
    db.transaction(Mode::Write, move |db| {
        let mut settings = recovery_server::staff::StoreSettings::new(slug("demo"), "Demo store");
        settings.ack_minutes = ack_minutes;
        recovery_server::staff::put_store(db, &settings)?;
        for recipient in &recipients {
            db.upsert_recipient(recipient)?;
        }
        Ok(())
    })
    .await
    .unwrap();
    db.close().await.unwrap();
    fixture.register_keys("demo", &["ana", "max"]).await;
}

fn email(address: &str, rules: &str, quiet: &str) -> RecipientRow {
    RecipientRow {
        store: "demo".into(),
        channel: "email".into(),
        address: address.into(),
        rules: rules.into(),
        quiet: quiet.into(),
        secret: None,
    }
}

fn webhook(url: &str, rules: &str) -> RecipientRow {
    RecipientRow {
        store: "demo".into(),
        channel: "webhook".into(),
        address: url.into(),
        rules: rules.into(),
        quiet: String::new(),
        secret: Some(SECRET.into()),
    }
}

fn config(fixture: &Fixture, smtp: &str) -> Config {
    let mut config = fixture.config.clone();
    config.notify.smtp_url = Some(smtp.into());
    config.notify.every_ms = 100;
    config.notify.retry_ms = 200;
    config.notify.public_url = Some("https://kiosk.example.com".into());
    config
}

async fn notifications(fixture: &Fixture) -> Vec<NotificationRow> {
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    let rows = db
        .transaction(Mode::Read, |db| db.notifications("demo"))
        .await
        .unwrap();
    db.close().await.unwrap();
    rows
}

/// The store's messages once `n` of them are recorded as sent: the SMTP server or the receiver
/// has a message a moment before its worker records it.
async fn sent(fixture: &Fixture, n: usize) -> Vec<NotificationRow> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = notifications(fixture).await;
        if rows.iter().filter(|r| r.state == "sent").count() >= n {
            return rows;
        }
        assert!(
            Instant::now() < deadline,
            "never recorded as sent: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until `done` holds (checked every 50 ms), failing after 20 s.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn push(addr: SocketAddr, events: &[Event], token: Option<&str>) -> Vec<String> {
    let reply = push_json(addr, &json!({ "events": events }), token).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect()
}

fn filed(n: u128, at: i64, impact: Option<Impact>) -> Event {
    let mut event = filed_event(n, n, at, "The card reader charged me twice");
    if let EventKind::Filed { complaint, .. } = &mut event.kind {
        *complaint = validate(&ComplaintDraft {
            category: Some(recovery_core::Category::Billing),
            description: "The card reader charged me twice".into(),
            impact,
            name: "Sam Customer".into(),
            contact: "sam@example.com".into(),
            consent_to_contact: true,
            ..Default::default()
        })
        .unwrap();
    }
    event
}

fn now() -> i64 {
    recovery_server::store::now_ms()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unacknowledged_complaint_alerts_by_email_and_signed_webhook_once_across_a_restart() {
    let fixture = Fixture::new();
    let mailbox = Mailbox::start(None);
    let (receiver, hook) = Receiver::start(0).await;
    store(
        &fixture,
        0,
        vec![
            email("manager@example.com", "unacknowledged,escalated", ""),
            webhook(&hook, "unacknowledged"),
        ],
    )
    .await;
    let config = config(&fixture, &mailbox.url());
    let server = start(&config).await;
    let event = filed(1, now(), None);
    let ticket = recovery_core::TicketCode::from_case(event.case).to_string();
    assert_eq!(
        push(server.addr, std::slice::from_ref(&event), None).await,
        ["stored"]
    );
    until("an email and a webhook", || {
        mailbox.messages().len() == 1 && receiver.delivered().len() == 1
    })
    .await;

    let mail = &mailbox.messages()[0];
    assert!(mail.contains("To: manager@example.com"), "{mail}");
    assert!(
        mail.contains(&format!("complaint {ticket} has not been acknowledged")),
        "{mail}"
    );
    assert!(
        mail.contains("https://kiosk.example.com/staff/demo"),
        "{mail}"
    );
    for private in ["charged me twice", "Sam Customer", "sam@example.com"] {
        assert!(!mail.contains(private), "a staff alert carried '{private}'");
    }
    let (headers, body) = &receiver.requests()[0];
    let signature = headers[SIGNATURE_HEADER].to_str().unwrap();
    assert!(
        verify(SECRET, signature, body),
        "the signature does not verify"
    );
    assert!(!verify("another-key-of-16+", signature, body));
    let payload: Value = serde_json::from_str(body).unwrap();
    assert_eq!(payload["rule"], "unacknowledged");
    assert_eq!(payload["ticket"], ticket);
    assert_eq!(payload["store"], "demo");
    assert_eq!(headers[DELIVERY_HEADER].to_str().unwrap(), payload["id"]);
    assert!(!body.contains("charged me twice") && !body.contains("sam@"));

    // The same filing again, after a restart: nothing more is sent.
    sent(&fixture, 2).await;
    server.stop().await;
    let server = start(&config).await;
    assert_eq!(push(server.addr, &[event], None).await, ["duplicate"]);
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(mailbox.messages().len(), 1);
    assert_eq!(receiver.requests().len(), 1);
    let rows = notifications(&fixture).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter()
            .all(|r| r.state == "sent" && r.rule == "unacknowledged")
    );
    println!(
        "rules that fired: {:?}",
        rows.iter()
            .map(|r| (&r.rule, &r.channel))
            .collect::<Vec<_>>()
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_smtp_server_or_webhook_is_tried_again_until_it_answers() {
    let fixture = Fixture::new();
    // Nothing listens on the SMTP port yet, and the webhook refuses twice.
    let port = free_port();
    let (receiver, hook) = Receiver::start(2).await;
    store(
        &fixture,
        0,
        vec![
            email("manager@example.com", "unacknowledged", ""),
            webhook(&hook, "unacknowledged"),
        ],
    )
    .await;
    let server = start(&config(&fixture, &format!("smtp://127.0.0.1:{port}"))).await;
    assert_eq!(
        push(server.addr, &[filed(1, now(), None)], None).await,
        ["stored"]
    );
    until("the webhook accepted on its third try", || {
        receiver.delivered().len() == 1
    })
    .await;
    let tries = receiver.requests();
    assert_eq!(tries.len(), 3);
    let ids: Vec<&str> = tries
        .iter()
        .map(|(h, _)| h[DELIVERY_HEADER].to_str().unwrap())
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] == w[1]),
        "one message, tried three times"
    );
    // Meanwhile the email failed and waits for its next try.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = notifications(&fixture).await;
        let mail = rows.iter().find(|r| r.channel == "email").unwrap();
        if mail.attempts >= 2 {
            assert_eq!(mail.state, "due");
            assert!(mail.last_error.is_some());
            break;
        }
        assert!(Instant::now() < deadline, "the email was never tried");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The SMTP server comes up: the email goes out.
    let mailbox = Mailbox::start(Some(port));
    until("the email once the SMTP server answers", || {
        mailbox.messages().len() == 1
    })
    .await;
    let rows = sent(&fixture, 2).await;
    assert!(rows.iter().all(|r| r.state == "sent"), "{rows:?}");
    let mail = rows.iter().find(|r| r.channel == "email").unwrap();
    assert!(mail.attempts >= 1, "{mail:?}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(mailbox.messages().len(), 1);
    assert_eq!(receiver.requests().len(), 3);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_send_each_message_once() {
    let fixture = Fixture::new();
    let mailbox = Mailbox::start(None);
    let (receiver, hook) = Receiver::start(0).await;
    let managers: Vec<RecipientRow> = (0..3)
        .map(|n| email(&format!("manager{n}@example.com"), ALL, ""))
        .chain([webhook(&hook, ALL)])
        .collect();
    store(&fixture, 0, managers).await;
    let config = config(&fixture, &mailbox.url());
    let a = start(&config).await;
    let b = start(&config).await;
    // Ten serious filings through both instances: each calls "unacknowledged" and "escalated".
    for n in 1..=10u128 {
        let via = if n % 2 == 0 { a.addr } else { b.addr };
        let event = filed(n, now(), Some(Impact::Severe));
        assert_eq!(push(via, &[event], None).await, ["stored"]);
    }
    let expected = 10 * 2 * 3;
    until("every email", || mailbox.messages().len() >= expected).await;
    until("every webhook", || receiver.delivered().len() >= 20).await;
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(
        mailbox.messages().len(),
        expected,
        "an email was sent twice"
    );
    assert_eq!(receiver.requests().len(), 20, "a webhook was sent twice");
    let mut keys: Vec<String> = receiver
        .delivered()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 20);
    a.stop().await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledged_complaint_is_not_chased_and_quiet_hours_hold_messages() {
    let fixture = Fixture::new();
    let mailbox = Mailbox::start(None);
    // Quiet now, in the filing device's local time (UTC+1): from an hour ago to an hour ahead.
    let local_minute = |ms: i64| (ms / 60_000 + 60).rem_euclid(24 * 60);
    let hhmm = |m: i64| format!("{:02}:{:02}", m / 60, m % 60);
    let quiet = format!(
        "{}-{}",
        hhmm(local_minute(now() - 3_600_000)),
        hhmm(local_minute(now() + 3_600_000))
    );
    store(
        &fixture,
        1,
        vec![
            email("day@example.com", ALL, ""),
            email("night@example.com", "escalated", &quiet),
        ],
    )
    .await;
    let server = start(&config(&fixture, &mailbox.url())).await;
    let token = fixture.session("demo", "ana").await;
    // Filed 57 s ago with a 1-minute target; acknowledged at once.
    let event = filed(1, now() - 57_000, Some(Impact::Severe));
    assert_eq!(push(server.addr, &[event], None).await, ["stored"]);
    let ack = common::signed(recovery_core::testing::step(
        2,
        1,
        now() - 56_000,
        EventKind::Acknowledged {
            by: recovery_core::testing::actor("ana", recovery_core::Role::Staff, 2500),
            apology: "I am sorry.".into(),
            avoidable: None,
        },
    ));
    assert_eq!(push(server.addr, &[ack], Some(&token)).await, ["stored"]);
    // The escalation goes to the day recipient at once; the night one waits for the end of
    // their quiet hours; the acknowledgement target passes without a message.
    until("the day escalation", || mailbox.messages().len() == 1).await;
    tokio::time::sleep(Duration::from_millis(4_500)).await;
    let messages = mailbox.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("To: day@example.com") && messages[0].contains("needs a manager"));
    let rows = notifications(&fixture).await;
    let state = |rule: &str, address: &str| {
        rows.iter()
            .find(|r| r.rule == rule && r.address == address)
            .map(|r| (r.state.clone(), r.next_at_ms))
            .unwrap()
    };
    assert_eq!(state("unacknowledged", "day@example.com").0, "dropped");
    let (night, next) = state("escalated", "night@example.com");
    assert_eq!(night, "due");
    assert!(next > now() + 3_000_000, "held until the quiet hours end");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spike_at_a_touchpoint_alerts_once_an_hour_and_never_without_history() {
    const DAY: i64 = 86_400_000;
    // Not across the top of an hour: the alert is once per touchpoint and clock hour.
    while now().rem_euclid(3_600_000) > 3_600_000 - 30_000 {
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let fixture = Fixture::new();
    let mailbox = Mailbox::start(None);
    let mut other = email("other@example.com", "spike", "");
    other.store = "other".into();
    store(
        &fixture,
        60,
        vec![email("spikes@example.com", "spike", ""), other],
    )
    .await;
    // The demo store's history: ten days ago, then one filing at checkout 2 in this hour of
    // each of the last six days.
    let at = now();
    let history: Vec<(Event, i64)> = [at - 10 * DAY - 5 * 3_600_000]
        .into_iter()
        .chain((1..=6).map(|d| at - d * DAY - 5 * 60_000))
        .enumerate()
        .map(|(n, t)| (filed(1_000 + n as u128, t, None), t))
        .collect();
    let db = Database::connect(&fixture.config.location()).await.unwrap();
    db.transaction(Mode::Write, move |db| {
        for (event, received) in &history {
            let body = serde_json::to_string(event).unwrap();
            db.insert_event(&recovery_server::store::EventRow {
                id: &event.id.to_string(),
                case_id: &event.case.to_string(),
                store: "demo",
                touchpoint: "checkout-2",
                device: &event.origin.device.to_string(),
                kind: "filed",
                at_ms: event.at.0,
                received_at_ms: *received,
                body: &body,
            })?;
        }
        Ok(())
    })
    .await
    .unwrap();
    db.close().await.unwrap();
    let server = start(&config(&fixture, &mailbox.url())).await;

    // A store with no earlier day: nothing is unusual yet, however many.
    for n in 1..=6u128 {
        let mut event = filed(100 + n, now(), None);
        event.origin.store = slug("other");
        assert_eq!(push(server.addr, &[event], None).await, ["stored"]);
    }
    // The demo store: about 0.7 a day in this hour, so five or six now is a spike.
    for n in 1..=9u128 {
        assert_eq!(
            push(server.addr, &[filed(n, now(), None)], None).await,
            ["stored"]
        );
    }
    until("the spike alert", || mailbox.messages().len() == 1).await;
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let messages = mailbox.messages();
    assert_eq!(messages.len(), 1, "one alert per touchpoint and hour");
    assert!(
        messages[0].contains("To: spikes@example.com"),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains("spike"), "{}", messages[0]);
    let rows = sent(&fixture, 1).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].key.starts_with("spike/checkout-2@"), "{rows:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_falling_due_and_a_fix_that_did_not_hold_are_told() {
    use recovery_core::testing::{actor, step};
    use recovery_core::{Remedy, Role, Timestamp};
    let fixture = Fixture::new();
    let mailbox = Mailbox::start(None);
    store(
        &fixture,
        60,
        vec![email("manager@example.com", "follow_up_due,reopened", "")],
    )
    .await;
    let server = start(&config(&fixture, &mailbox.url())).await;
    let token = fixture.session("demo", "ana").await;
    let ana = actor("ana", Role::Staff, 2500);
    let t = now();
    let steps = vec![
        common::signed(step(
            2,
            1,
            t - 9_000,
            EventKind::Acknowledged {
                by: ana.clone(),
                apology: "I am sorry.".into(),
                avoidable: None,
            },
        )),
        common::signed(step(
            3,
            1,
            t - 8_000,
            EventKind::Resolved {
                by: ana.clone(),
                remedy: Remedy::Refund,
                value_minor: 1_000,
                gesture: "A coffee on us".into(),
                follow_up_at: Some(Timestamp(t + 1_500)),
            },
        )),
    ];
    // Filed where it is daytime, so the customer's own question is not held for the night.
    let filing = filed_by(
        1,
        t - 10_000,
        "sam@example.com",
        "en",
        offset_for_local_hour(13),
    );
    assert_eq!(push(server.addr, &[filing], None).await, ["stored"]);
    assert_eq!(
        push(server.addr, &steps, Some(&token)).await,
        ["stored", "stored"]
    );
    // The store hears that the follow-up is due; the customer is asked themselves.
    let to = |address: &str| -> Vec<String> {
        let header = format!("To: {address}");
        mailbox
            .messages()
            .into_iter()
            .filter(|m| m.lines().any(|line| line == header))
            .collect()
    };
    until("the follow-up falling due", || {
        to("manager@example.com").len() == 1 && to("sam@example.com").len() == 1
    })
    .await;
    assert!(to("manager@example.com")[0].contains("is due for its follow-up"));
    assert!(to("sam@example.com")[0].contains("Subject: Did our fix hold?"));
    let held = common::signed(step(
        4,
        1,
        now(),
        EventKind::FollowedUp {
            by: ana,
            held: false,
            note: "It broke again.".into(),
        },
    ));
    assert_eq!(push(server.addr, &[held], Some(&token)).await, ["stored"]);
    until("the reopening", || to("manager@example.com").len() == 2).await;
    let reopened = &to("manager@example.com")[1];
    assert!(
        reopened.contains("was reopened: the fix did not hold"),
        "{reopened}"
    );
    assert!(
        !reopened.contains("It broke again"),
        "a staff note never leaves"
    );
    let rows = sent(&fixture, 3).await;
    let mut rules: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.rule.as_str(), r.state.as_str()))
        .collect();
    rules.sort_unstable();
    // "How did we do?" waits for its day.
    assert_eq!(
        rules,
        [
            ("ask_held", "sent"),
            ("ask_rating", "due"),
            ("follow_up_due", "sent"),
            ("reopened", "sent")
        ]
    );
    assert_eq!(to("sam@example.com").len(), 1);
    server.stop().await;
}

/// A filing by a customer who gave `contact` and agreed to be contacted (or gave nothing for
/// `""`), in `language`, on a device `offset` minutes east of UTC.
fn filed_by(n: u128, at: i64, contact: &str, language: &str, offset: i16) -> Event {
    let mut event = filed_event(n, n, at, "The card reader charged me twice");
    if let EventKind::Filed {
        complaint,
        utc_offset_minutes,
    } = &mut event.kind
    {
        *complaint = validate(&ComplaintDraft {
            category: Some(recovery_core::Category::Billing),
            description: "The card reader charged me twice".into(),
            name: "Sam Customer".into(),
            contact: contact.into(),
            consent_to_contact: !contact.is_empty(),
            language: Some(language.into()),
            ..Default::default()
        })
        .unwrap();
        *utc_offset_minutes = offset;
    }
    event
}

/// The device offset (minutes east of UTC) at which it is now about `hour` o'clock.
fn offset_for_local_hour(hour: i64) -> i16 {
    let minute_of_day = now().div_euclid(60_000).rem_euclid(24 * 60);
    let offset = (hour * 60 - minute_of_day + 12 * 60).rem_euclid(24 * 60) - 12 * 60;
    i16::try_from(offset).unwrap()
}

/// A received email's decoded sender, subject and text.
fn decoded(raw: &str) -> (String, String, String) {
    let mail = mailparse::parse_mail(raw.as_bytes()).unwrap();
    let header = |key: &str| {
        mail.headers
            .iter()
            .find(|h| h.get_key() == key)
            .unwrap()
            .get_value()
    };
    (header("From"), header("Subject"), mail.get_body().unwrap())
}

/// The ticket link in a message's text, and its secret.
fn link_secret(text: &str, case: recovery_core::CaseId) -> String {
    let prefix = format!("https://kiosk.example.com/t/#{case}.");
    let at = text.find(&prefix).expect("a link to the ticket page") + prefix.len();
    text[at..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customer_is_asked_in_their_language_with_a_link_that_opens_and_answers_their_ticket() {
    use recovery_core::testing::{actor, step};
    use recovery_core::{Remedy, Role, TicketCode, Timestamp};
    let fixture = Fixture::new();
    let mailbox = Mailbox::start(None);
    let (receiver, hook) = Receiver::start(0).await;
    // The store's SMS gateway names the customer's rules; its staff alerts go elsewhere.
    store(&fixture, 60, vec![webhook(&hook, "ask_rating,ask_held")]).await;
    let server = start(&config(&fixture, &mailbox.url())).await;
    let token = fixture.session("demo", "ana").await;
    let ana = actor("ana", Role::Staff, 2500);
    let t = now();
    let hour = 3_600_000;
    let (day, night) = (offset_for_local_hour(13), offset_for_local_hour(23));
    // 1: an email, in Swedish; 2: a phone, in Indonesian; 3: no contact at all; 4: an email,
    // but the customer stopped messages; 5: an email, filed where it is now 23:00.
    let filings = [
        filed_by(1, t - 26 * hour, "sam@example.com", "sv", day),
        filed_by(2, t - 26 * hour, "+62 812 555 0101", "id", day),
        filed_by(3, t - 26 * hour, "", "en", day),
        filed_by(4, t - 26 * hour, "kim@example.com", "en", day),
        filed_by(5, t - 26 * hour, "lee@example.com", "ms", night),
    ];
    let secrets: serde_json::Map<String, Value> = filings
        .iter()
        .map(|f| {
            (
                f.case.to_string(),
                json!(format!("device-secret-{}", f.case)),
            )
        })
        .collect();
    let reply = push_json(
        server.addr,
        &json!({ "events": filings, "ticket_secrets": secrets }),
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let case = |n: u128| filings[usize::try_from(n).unwrap() - 1].case;
    let mut steps = Vec::new();
    for n in 1..=5u128 {
        steps.push(common::signed(step(
            n * 10,
            n,
            t - 25 * hour - 60_000,
            EventKind::Acknowledged {
                by: ana.clone(),
                apology: "I am sorry.".into(),
                avoidable: None,
            },
        )));
        // Resolved 25 hours ago: "how did we do?" is due now; case 1 also asks whether
        // the fix held, in a moment.
        steps.push(common::signed(step(
            n * 10 + 1,
            n,
            t - 25 * hour,
            EventKind::Resolved {
                by: ana.clone(),
                remedy: Remedy::Refund,
                value_minor: 1_000,
                gesture: String::new(),
                follow_up_at: (n == 1).then_some(Timestamp(t + 2_000)),
            },
        )));
    }
    steps.push(step(42, 4, t - 24 * hour, EventKind::ConsentWithdrawn {}));
    let stored = push(server.addr, &steps, Some(&token)).await;
    assert!(stored.iter().all(|s| s == "stored"), "{stored:?}");

    // Case 1: "how did we do?" in Swedish, by name, with a link of its own.
    until("the email asking for a rating", || {
        !mailbox.messages().is_empty()
    })
    .await;
    let (from, subject, text) = decoded(&mailbox.messages()[0]);
    // From the store, by name, at the server's own address.
    assert!(from.starts_with("\"Demo store\" <"), "{from}");
    let code = TicketCode::from_case(case(1));
    assert_eq!(
        subject,
        format!("Hur gick det? Ditt klagomål {code} hos Demo store")
    );
    assert!(text.starts_with("Hej Sam Customer,"), "{text}");
    assert!(text.contains("välj \"Stoppa meddelanden\""), "{text}");
    let secret = link_secret(&text, case(1));
    assert_eq!(secret.len(), 64);
    // The link opens the ticket (the server keeps only its hash) and rates it.
    let path = format!("/api/v1/tickets/{code}");
    let ticket = get(server.addr, &path, &[("X-Ticket-Secret", &secret)]).await;
    assert_eq!(ticket.status, 200, "{}", ticket.text());
    assert_eq!(ticket.json()["status"], "resolved");
    let rated = step(90, 1, now(), EventKind::rated(5, "Quick and kind").unwrap());
    let reply = push_json(
        server.addr,
        &json!({ "events": [rated], "ticket_secrets": { case(1).to_string(): secret } }),
        None,
    )
    .await;
    assert_eq!(
        reply.json()["results"][0]["status"],
        "stored",
        "{}",
        reply.text()
    );

    // Then "did the fix hold?" when its follow-up falls due, with another link that answers.
    until("the email asking whether the fix held", || {
        mailbox.messages().len() == 2
    })
    .await;
    let (_, subject, text) = decoded(&mailbox.messages()[1]);
    assert_eq!(
        subject,
        format!("Höll lösningen? Ditt klagomål {code} hos Demo store")
    );
    let held_secret = link_secret(&text, case(1));
    assert_ne!(held_secret, secret, "each message has a link of its own");
    let answered = step(91, 1, now(), EventKind::answered(true, "").unwrap());
    let reply = push_json(
        server.addr,
        &json!({ "events": [answered], "ticket_secrets": { case(1).to_string(): held_secret } }),
        None,
    )
    .await;
    assert_eq!(
        reply.json()["results"][0]["status"],
        "stored",
        "{}",
        reply.text()
    );

    // Case 2: the phone number, through the store's signed webhook, in Indonesian.
    until("the text for the phone", || {
        !receiver.delivered().is_empty()
    })
    .await;
    let (headers, body) = receiver.requests()[0].clone();
    assert!(verify(
        SECRET,
        headers[SIGNATURE_HEADER].to_str().unwrap(),
        &body
    ));
    let sms: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (
            sms["rule"].as_str(),
            sms["language"].as_str(),
            sms["phone"].as_str()
        ),
        (Some("ask_rating"), Some("id"), Some("+62 812 555 0101"))
    );
    assert_eq!(headers[DELIVERY_HEADER], sms["id"].as_str().unwrap());
    let text = sms["text"].as_str().unwrap();
    assert!(text.contains("Beri nilai"), "{text}");
    assert!(text.contains("\"Hentikan pesan\""), "{text}");
    let sms_secret = link_secret(text, case(2));
    assert_eq!(
        sms["link"].as_str().unwrap(),
        format!("https://kiosk.example.com/t/#{}.{sms_secret}", case(2))
    );
    assert!(sms.get("email").is_none() && !body.contains("sam@example.com"));

    // Everything settles: cases 1 and 2 sent, case 4 dropped (stopped), case 5 waits for
    // 08:00 where its customer is, case 3 never had a message.
    let rows = sent(&fixture, 3).await;
    let of = |n: u128| -> Vec<(String, String, String)> {
        rows.iter()
            .filter(|r| r.case_id == case(n).to_string())
            .map(|r| (r.rule.clone(), r.channel.clone(), r.state.clone()))
            .collect()
    };
    let row = |rule: &str, channel: &str, state: &str| (rule.into(), channel.into(), state.into());
    assert_eq!(
        of(1),
        [
            row("ask_rating", "customer", "sent"),
            row("ask_held", "customer", "sent")
        ]
    );
    assert_eq!(of(2), [row("ask_rating", "webhook", "sent")]);
    assert_eq!(of(3), []);
    let deadline = Instant::now() + Duration::from_secs(20);
    let rows = loop {
        let rows = notifications(&fixture).await;
        let four: Vec<&NotificationRow> = rows
            .iter()
            .filter(|r| r.case_id == case(4).to_string())
            .collect();
        assert_eq!(four.len(), 1, "{four:?}");
        if four[0].state == "dropped" {
            assert_eq!(
                four[0].last_error.as_deref(),
                Some("nothing to say any more")
            );
            break rows;
        }
        assert!(Instant::now() < deadline, "never dropped: {four:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let five: Vec<_> = rows
        .iter()
        .filter(|r| r.case_id == case(5).to_string())
        .collect();
    assert_eq!(five.len(), 1);
    assert_eq!(five[0].state, "due");
    let local_morning = (five[0].next_at_ms + i64::from(night) * 60_000).rem_euclid(24 * hour);
    assert_eq!(
        local_morning,
        8 * hour,
        "held until 08:00 where the customer is"
    );
    assert!(
        rows.iter().all(|r| !r.address.contains('@')),
        "no email address in the outbox"
    );
    assert_eq!(
        mailbox.messages().len(),
        2,
        "nothing to the customer who stopped messages"
    );
    server.stop().await;
}
