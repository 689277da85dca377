//! Browser tests (wasm-bindgen-test in headless Chromium): the customer's event storage
//! (`customer::device` over the port's generic storage) against the real `localStorage`, the
//! shared event JSON against serde, and the app mounted in a real page.
#![cfg(target_arch = "wasm32")]

use kiosk::customer::device::{self, Entry, SkipReason};
use kiosk::shared::device_id::device_id;
use kiosk::shared::event_json;
use kiosk::shared::platform::codec;
use kiosk::shared::platform::net;
use kiosk::shared::platform::storage::StorageError;
use recovery_core::{
    Contact, DeviceId, Event, EventId, EventKind, FairSolution, Impact, Mark, Occurred,
    RejectReason, Timestamp,
};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn event(n: u128, text: &str) -> Event {
    recovery_core::testing::filed_event(n, n + 1_000, 1_763_000_000_000 + n as i64, text)
}

/// An event with every optional field filled, and text that needs escaping.
fn full_event() -> Event {
    let mut e = event(3, "Kassan var stängd \"igen\" 🙂 <b>\\n");
    let EventKind::Filed { complaint, .. } = &mut e.kind else {
        unreachable!("the fixture is a filing")
    };
    complaint.occurred = Some(Occurred::Yesterday);
    complaint.impact = Some(Impact::Major);
    complaint.happened_before = Some(true);
    complaint.fair_solutions = vec![FairSolution::Refund, FairSolution::Discount];
    complaint.fair_solution_note = Some("a new kettle".into());
    complaint.name = Some("Ayu".into());
    complaint.contact = Some(Contact::Phone("+62 812 3456 7890".into()));
    complaint.consent_to_contact = true;
    complaint.language = Some("id".into());
    e
}

#[wasm_bindgen_test]
fn the_shared_event_json_writes_and_reads_exactly_what_serde_does() {
    for e in [event(1, "plain"), full_event()] {
        let ours = codec::stringify(&event_json::event_to_js(&e)).unwrap();
        let ours: serde_json::Value = serde_json::from_str(&ours).unwrap();
        assert_eq!(ours, serde_json::to_value(&e).unwrap());
        let from_serde = codec::parse(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(event_json::event_from_js(&from_serde), Some(e));
    }
}

#[wasm_bindgen_test]
fn the_event_json_refuses_mistyped_or_out_of_range_fields() {
    let good = serde_json::to_value(full_event()).unwrap();
    let broken = |path: &[&str], value: serde_json::Value| {
        let mut v = good.clone();
        let mut at = &mut v;
        for key in &path[..path.len() - 1] {
            at = &mut at[*key];
        }
        at[path[path.len() - 1]] = value;
        event_json::event_from_js(&codec::parse(&v.to_string()).unwrap())
    };
    use serde_json::json;
    assert!(broken(&["id"], json!(5)).is_none());
    assert!(broken(&["at"], json!(1.5)).is_none());
    assert!(broken(&["origin", "store"], json!("Not A Slug")).is_none());
    assert!(broken(&["kind", "type"], json!("teleported")).is_none());
    assert!(broken(&["kind", "utc_offset_minutes"], json!(40000)).is_none());
    assert!(broken(&["kind", "complaint", "category"], json!("weather")).is_none());
    assert!(broken(&["kind", "complaint", "fair_solutions"], json!("refund")).is_none());
    assert!(broken(&["kind", "complaint", "happened_before"], json!("yes")).is_none());
    assert!(broken(&["kind", "complaint", "contact"], json!({"pigeon": "x"})).is_none());
    assert!(event_json::event_from_js(&codec::parse("[1,2]").unwrap()).is_none());
    assert!(codec::parse("{not json").is_none());
}

#[wasm_bindgen_test]
fn the_generic_store_lists_only_keys_under_a_prefix_and_removes_only_the_key_asked() {
    use kiosk::shared::platform::storage;
    local().clear().unwrap();
    storage::write_text("srk1:x:a", "one").unwrap();
    storage::write_text("srk1:x:b", "two").unwrap();
    storage::write_text("srk1:y:a", "other").unwrap();
    let mut under = Vec::new();
    storage::each_under("srk1:x:", |key, text| under.push((key, text))).unwrap();
    under.sort();
    assert_eq!(
        under,
        [
            ("srk1:x:a".to_owned(), "one".to_owned()),
            ("srk1:x:b".to_owned(), "two".to_owned())
        ]
    );
    storage::remove_text("srk1:x:a").unwrap();
    storage::remove_text("srk1:x:none").unwrap();
    assert_eq!(storage::read_text("srk1:x:a"), None);
    assert_eq!(storage::read_text("srk1:x:b").as_deref(), Some("two"));
    assert_eq!(storage::read_text("srk1:y:a").as_deref(), Some("other"));
}

#[wasm_bindgen_test]
fn saved_events_load_back_and_foreign_keys_are_left_alone() {
    local().clear().unwrap();
    local().set_item("someone-else", "not ours").unwrap();
    let a = event(1, "Queue at checkout 2 took 25 minutes");
    let b = event(2, "<script>alert(1)</script> 🙂");
    device::save(&Entry::pending(a.clone(), None)).unwrap();
    device::save(&Entry::pending(b.clone(), None)).unwrap();
    let loaded = device::load_events().unwrap();
    assert!(loaded.skipped.is_empty());
    let mut got: Vec<Event> = loaded.entries.into_iter().map(|e| e.event).collect();
    got.sort_by_key(|e| e.id);
    assert_eq!(got, vec![a, b]);
    assert_eq!(
        local().get_item("someone-else").unwrap().as_deref(),
        Some("not ours")
    );
}

/// A filing stored with its seal holds neither the customer's name nor their contact, only the
/// seal, which loading hands back; the text sealed is the name and contact as serde writes them.
#[wasm_bindgen_test]
fn a_sealed_filing_is_stored_without_the_name_and_contact_and_loads_with_its_seal() {
    local().clear().unwrap();
    let full = full_event();
    let identity: serde_json::Value =
        serde_json::from_str(&device::identity(&full).unwrap()).unwrap();
    let complaint = &serde_json::to_value(&full).unwrap()["kind"]["complaint"];
    assert_eq!(
        identity,
        serde_json::json!({
            "name": complaint["name"],
            "contact": complaint["contact"],
            "consent_to_contact": true,
        })
    );
    assert_eq!(device::identity(&event(1, "anonymous")), None);

    let text = device::encode(&full, None, Mark::Pending, Some("the-seal"));
    assert!(!text.contains("Ayu") && !text.contains("3456"), "{text}");
    let entry = Entry {
        event: full.clone(),
        secret: None,
        mark: Mark::Pending,
        sealed: Some("the-seal".into()),
    };
    device::save(&entry).unwrap();
    let loaded = device::load_events().unwrap();
    let mut bare = full.clone();
    if let EventKind::Filed { complaint, .. } = &mut bare.kind {
        complaint.name = None;
        complaint.contact = None;
        complaint.consent_to_contact = false;
    }
    // The core accepts the filing as stored (consent without a contact it would not).
    assert!(bare.check().is_ok());
    let owner = leptos::prelude::Owner::new();
    let cases = owner.with(|| kiosk::customer::state::Cases::load(true));
    assert_eq!((cases.count(), cases.skipped_count()), (1, 0));
    assert_eq!(
        loaded.entries,
        vec![Entry {
            event: bare,
            ..entry
        }]
    );
}

#[wasm_bindgen_test]
fn the_outbox_mark_and_ticket_secret_survive_a_reload_and_old_entries_count_as_pending() {
    local().clear().unwrap();
    let sent = Entry {
        event: event(1, "sent"),
        secret: Some(net::new_secret()),
        mark: Mark::Sent,
        sealed: None,
    };
    let refused = Entry {
        event: event(2, "refused"),
        secret: None,
        mark: Mark::Rejected(RejectReason::Conflict),
        sealed: None,
    };
    device::save(&sent).unwrap();
    device::save(&refused).unwrap();
    // Written before sync existed: no "sync" field.
    let old = event(3, "old");
    let envelope = serde_json::json!({ "v": 1, "event": serde_json::to_value(&old).unwrap() });
    local()
        .set_item(&device::event_key(old.id), &envelope.to_string())
        .unwrap();
    let mut loaded = device::load_events().unwrap().entries;
    loaded.sort_by_key(|e| e.event.id);
    assert_eq!(
        loaded,
        vec![sent.clone(), refused, Entry::pending(old, None)]
    );
    assert_eq!(device::read_mark(sent.event.id), Some(Mark::Sent));
    device::remove(sent.event.id).unwrap();
    assert_eq!(device::read_mark(sent.event.id), None);
}

#[wasm_bindgen_test]
fn an_entry_with_an_unknown_sync_mark_is_skipped_not_sent() {
    local().clear().unwrap();
    let e = event(4, "mystery");
    let envelope = serde_json::json!({
        "v": 1, "event": serde_json::to_value(&e).unwrap(), "sync": "teleported"
    });
    let key = device::event_key(e.id);
    local().set_item(&key, &envelope.to_string()).unwrap();
    let loaded = device::load_events().unwrap();
    assert!(loaded.entries.is_empty());
    assert_eq!(loaded.skipped[0].reason, SkipReason::Unreadable);
}

#[wasm_bindgen_test]
fn ticket_secrets_are_43_characters_of_base64url_and_never_repeat() {
    let a = net::new_secret();
    let b = net::new_secret();
    assert_eq!(a.len(), 43);
    assert!(
        a.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    );
    assert_ne!(a, b);
}

#[wasm_bindgen_test]
fn saving_one_event_writes_only_its_own_key() {
    local().clear().unwrap();
    for n in 0..20 {
        device::save(&Entry::pending(event(n, "waited"), None)).unwrap();
    }
    let before = local()
        .get_item(&device::event_key(EventId(Uuid::from_u128(3))))
        .unwrap();
    // Overwrite another key by hand: saving a new event must not rewrite it.
    let other = device::event_key(EventId(Uuid::from_u128(3)));
    local().set_item(&other, "sentinel").unwrap();
    device::save(&Entry::pending(event(99, "new"), None)).unwrap();
    assert_eq!(
        local().get_item(&other).unwrap().as_deref(),
        Some("sentinel")
    );
    assert!(before.is_some());
    assert_eq!(local().length().unwrap(), 21);
}

#[wasm_bindgen_test]
fn corrupted_newer_and_mismatched_entries_are_skipped_reported_and_kept() {
    local().clear().unwrap();
    let good = event(1, "fine");
    device::save(&Entry::pending(good.clone(), None)).unwrap();
    let corrupt = format!("{}garbage", device::EVENT_PREFIX);
    local().set_item(&corrupt, "{not json").unwrap();
    let newer = device::event_key(EventId(Uuid::from_u128(50)));
    local()
        .set_item(&newer, r#"{"v":9,"event":{"future":true}}"#)
        .unwrap();
    // A valid event stored under another event's key must not be believed.
    let mismatched = device::event_key(EventId(Uuid::from_u128(51)));
    let text = local()
        .get_item(&device::event_key(good.id))
        .unwrap()
        .unwrap();
    local().set_item(&mismatched, &text).unwrap();

    let loaded = device::load_events().unwrap();
    assert_eq!(loaded.entries, vec![Entry::pending(good, None)]);
    let mut reasons: Vec<(String, SkipReason)> = loaded
        .skipped
        .into_iter()
        .map(|s| (s.key, s.reason))
        .collect();
    reasons.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected = vec![
        (corrupt.clone(), SkipReason::Unreadable),
        (newer.clone(), SkipReason::NewerFormat(9)),
        (mismatched.clone(), SkipReason::Invalid),
    ];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(reasons, expected);
    // Nothing was deleted.
    for key in [&corrupt, &newer, &mismatched] {
        assert!(
            local().get_item(key).unwrap().is_some(),
            "{key} was removed"
        );
    }
}

#[wasm_bindgen_test]
fn full_storage_is_reported_as_full_and_saving_works_again_after_room_is_made() {
    local().clear().unwrap();
    // Fill the origin's quota with 256 KiB chunks until the browser refuses.
    let chunk = "x".repeat(256 * 1024);
    let mut n = 0;
    while local().set_item(&format!("filler-{n}"), &chunk).is_ok() {
        n += 1;
        assert!(n < 400, "storage never filled up");
    }
    // Top up with small pieces so not even a small event fits.
    let small = "y".repeat(512);
    let mut m = 0;
    while local().set_item(&format!("small-{m}"), &small).is_ok() {
        m += 1;
    }
    let e = event(5, "the printer ate my receipt");
    assert_eq!(
        device::save(&Entry::pending(e.clone(), None)),
        Err(StorageError::Full)
    );
    for i in 0..n {
        local().remove_item(&format!("filler-{i}")).unwrap();
    }
    device::save(&Entry::pending(e.clone(), None)).unwrap();
    assert_eq!(
        device::load_events().unwrap().entries,
        vec![Entry::pending(e, None)]
    );
    local().clear().unwrap();
}

#[wasm_bindgen_test]
fn a_readable_event_the_core_refuses_is_skipped_and_reported_at_start() {
    local().clear().unwrap();
    device::save(&Entry::pending(event(1, "fine"), None)).unwrap();
    // Well-formed, under its own key, but with a blank description: only the core can tell.
    let mut bad = serde_json::to_value(event(2, "x")).unwrap();
    bad["kind"]["complaint"]["description"] = serde_json::json!("   ");
    let envelope = serde_json::json!({ "v": 1, "event": bad });
    let key = device::event_key(EventId(Uuid::from_u128(2)));
    local().set_item(&key, &envelope.to_string()).unwrap();
    let owner = leptos::prelude::Owner::new();
    let cases = owner.with(|| kiosk::customer::state::Cases::load(true));
    assert_eq!(cases.count(), 1);
    assert_eq!(cases.skipped_count(), 1);
    assert!(
        local().get_item(&key).unwrap().is_some(),
        "the entry was removed"
    );
}

#[wasm_bindgen_test]
fn device_id_is_made_once_and_then_kept() {
    local().clear().unwrap();
    let first = device_id(|| DeviceId(Uuid::from_u128(11)));
    let second = device_id(|| DeviceId(Uuid::from_u128(22)));
    assert_eq!(first, DeviceId(Uuid::from_u128(11)));
    assert_eq!(second, first);
}

#[wasm_bindgen_test]
async fn the_mounted_app_acknowledges_a_complaint_and_keeps_it() {
    local().clear().unwrap();
    let document = web_sys::window().unwrap().document().unwrap();
    leptos::mount::mount_to_body(kiosk::customer::app::App);
    // The form is drawn a slice per frame (components::later): wait for its last slice.
    for _ in 0..40 {
        if document.get_element_by_id("srk-submit").is_some() {
            break;
        }
        tick().await;
    }
    let by_id = |id: &str| {
        document
            .get_element_by_id(id)
            .unwrap_or_else(|| panic!("#{id}"))
    };
    by_id("srk-f-category")
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    let text = by_id("srk-f-description").unchecked_into::<web_sys::HtmlTextAreaElement>();
    text.set_value("The card reader at checkout 2 charged me twice.");
    text.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    by_id("srk-submit")
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    tick().await;
    let ticket = by_id("srk-ticket").text_content().unwrap();
    assert_eq!(ticket.len(), 7, "ticket code {ticket:?}");
    let loaded = device::load_events().unwrap();
    assert_eq!(loaded.entries.len(), 1);
}

/// Lets Leptos run its scheduled effects and render.
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// The ticket page's JSON: a rating is written exactly as serde writes it and reads back; the
/// server's view of a case is read; garbage is `None`, never a panic.
#[wasm_bindgen_test]
fn the_ticket_page_writes_ratings_as_serde_does_and_reads_the_view() {
    use kiosk::shared::outbox::wire;
    use kiosk::ticket::json;
    use kiosk::ticket::model::{KeptStep, Link, Slot};
    json::install();
    let case = Uuid::from_u128(0x0f8f_ad5b_d9cb_469f_a165_7086_7728_950e);
    let link = Link::parse(&format!(
        "{case}.abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE"
    ))
    .unwrap();
    let mut rated = recovery_core::testing::step(
        5,
        0,
        1_763_000_000_123,
        EventKind::rated(4, "Snabbt och \"vänligt\" 🙂\nTack").unwrap(),
    );
    rated.case = recovery_core::CaseId(case);
    let written = codec::stringify(&event_json::event_to_js(&rated)).unwrap();
    assert_eq!(written, serde_json::to_string(&rated).unwrap());
    let kept = KeptStep {
        event: rated.clone(),
        sync: recovery_core::Mark::Rejected(RejectReason::Refused),
    };
    let text = json::step_to_text(&kept);
    assert_eq!(json::step_from_text(&link, Slot::Rating, &text), Some(kept));
    assert_eq!(json::step_from_text(&link, Slot::Answer, &text), None);
    assert_eq!(
        json::step_from_text(&link, Slot::Rating, "{\"v\":1,\"event\":{}}"),
        None
    );
    // The answer to "did the fix hold?" too.
    let mut answered = rated.clone();
    answered.kind = EventKind::answered(false, "Det gick sönder igen.").unwrap();
    let written = codec::stringify(&event_json::event_to_js(&answered)).unwrap();
    assert_eq!(written, serde_json::to_string(&answered).unwrap());
    let kept = KeptStep {
        event: answered,
        sync: recovery_core::Mark::Pending,
    };
    let text = json::step_to_text(&kept);
    assert_eq!(json::step_from_text(&link, Slot::Answer, &text), Some(kept));
    // And "stop messages": a kind with no fields but its type.
    let mut stop = rated.clone();
    stop.kind = EventKind::ConsentWithdrawn {};
    let written = codec::stringify(&event_json::event_to_js(&stop)).unwrap();
    assert_eq!(written, serde_json::to_string(&stop).unwrap());
    let kept = KeptStep {
        event: stop,
        sync: recovery_core::Mark::Sent,
    };
    let text = json::step_to_text(&kept);
    assert_eq!(json::step_from_text(&link, Slot::Stop, &text), Some(kept));
    assert_eq!(json::step_from_text(&link, Slot::Answer, &text), None);
    let body: serde_json::Value = serde_json::from_str(&wire::push_body(
        &[json::outgoing(&link, &rated)],
        Timestamp(5),
    ))
    .unwrap();
    assert_eq!(body["events"][0], serde_json::to_value(&rated).unwrap());
    assert_eq!(
        body["ticket_secrets"][case.to_string()],
        link.secret.as_str()
    );

    let filed = event(1, "Waited 40 minutes");
    let EventKind::Filed { complaint, .. } = &filed.kind else {
        unreachable!()
    };
    let view = serde_json::json!({
        "ticket": link.ticket().as_str(), "store": "demo", "store_name": "Demo store",
        "currency": "EUR", "status": "resolved", "filed_at": 1000, "acknowledged_at": 2000,
        "resolved_at": 3000, "closed_at": null, "follow_up_at": null, "touchpoint": "checkout-2",
        "category": "billing", "complaint": complaint,
        "timeline": [{"step": "filed", "at": 1000}, {"step": "resolved", "at": 3000}],
        "resolution": {"remedy": "voucher", "value_minor": 1250, "gesture": "", "at": 3000},
        "explanation": null, "rating": {"stars": 5, "comment": ""}
    })
    .to_string();
    let read = json::view(&view).expect("the server's view reads");
    // The browser reads exactly what the one definition of the view reads.
    let typed: recovery_core::api::TicketView = serde_json::from_str(&view).unwrap();
    assert_eq!(read, typed);
    assert_eq!(
        json::view(&serde_json::to_string(&typed).unwrap()),
        Some(typed)
    );
    assert_eq!(&read.complaint, complaint);
    assert_eq!(read.timeline.len(), 2);
    assert_eq!(read.resolution.unwrap().value_minor, 1250);
    assert_eq!(read.rating.unwrap().stars, 5);
    let kept_view = kiosk::ticket::model::keep_view(&view, recovery_core::Timestamp(7));
    assert_eq!(
        json::kept_view(&link, &kept_view).map(|(_, seen)| seen),
        Some(recovery_core::Timestamp(7))
    );
    for garbage in [
        "",
        "null",
        "[]",
        "{\"ticket\":1}",
        &view.replace("resolved\"", "lost\""),
    ] {
        assert!(json::view(garbage).is_none(), "{garbage}");
    }
}

/// The browser reads a language file in file order, which is the `Texts` layout: every text
/// lands in its own field.
#[wasm_bindgen_test]
fn a_language_file_read_by_the_browser_fills_every_field_in_place() {
    use kiosk::shared::i18n::{Locale, install};
    let texts = net::parse_texts(include_str!("../locales/sv.json")).expect("an object of texts");
    assert!(install(Locale::Sv, texts));
    let t = Locale::Sv.texts();
    assert_eq!(t.lang_name, "Svenska");
    assert_eq!(t.form_title, "Berätta vad som gick fel");
    assert_eq!(t.category.product, "En produkt");
    assert_eq!(t.update_now, "Uppdatera nu");
    // The build's compact file (an array of the texts, `scripts/compact-locales.mjs`) reads
    // exactly like the translators' keyed one.
    let keyed = net::parse_texts(include_str!("../locales/sv.json")).unwrap();
    let list: js_sys::Array = keyed
        .iter()
        .map(|t| wasm_bindgen::JsValue::from_str(t))
        .collect();
    let array = String::from(js_sys::JSON::stringify(&list).unwrap());
    assert_eq!(net::parse_texts(&array), Some(keyed));
    // Anything but texts and groups of texts is refused whole, and so is a language that does
    // not have every text.
    assert_eq!(net::parse_texts("[\"a\", 1]"), None);
    assert_eq!(net::parse_texts("\"a\""), None);
    assert_eq!(net::parse_texts("{\"a\": 1}"), None);
    assert_eq!(net::parse_texts("{\"a\": {\"b\": null}}"), None);
    assert_eq!(net::parse_texts("<html>"), None);
    assert!(!install(Locale::Id, vec!["too few".into()]));
}

/// The outbox client's push, written and read through the browser's JSON, holds to the one
/// definition of the API (`recovery_core::api`): its body reads as a push request, and it reads
/// the receipts of a push response (only those about events it sent; unknown statuses left out).
#[wasm_bindgen_test]
fn the_outbox_client_speaks_the_api_s_push_shapes() {
    use kiosk::shared::outbox::{Outgoing, wire};
    use recovery_core::Receipt;
    use recovery_core::api::{PushRequest, PushResponse, PushResult};
    let (a, b) = (event(1, "Cold soup"), event(2, "Long queue"));
    let mut batch = [a.clone(), b.clone()].map(|e| Outgoing {
        id: e.id,
        json: codec::stringify(&event_json::event_to_js(&e)).unwrap(),
        secret: Some((e.case, format!("secret-of-case-{}", e.id))),
        sealed: None,
    });
    batch[1].sealed = Some("seal-of-b".into());
    let request: PushRequest =
        serde_json::from_str(&wire::push_body(&batch, Timestamp(1_234))).unwrap();
    assert_eq!(request.events, [a.clone(), b.clone()]);
    assert_eq!(
        request.sent_at,
        Some(1_234),
        "the device's clock, for its skew"
    );
    let secrets = request.ticket_secrets.unwrap();
    assert_eq!(
        secrets[&a.case.to_string()],
        format!("secret-of-case-{}", a.id)
    );
    assert_eq!(secrets.len(), 2);
    let sealed = request.sealed.unwrap();
    assert_eq!(sealed[&b.id.to_string()], "seal-of-b");
    assert_eq!(sealed.len(), 1, "only what was sealed");
    let none: PushRequest = serde_json::from_str(&wire::push_body(&[], Timestamp(0))).unwrap();
    assert!(none.events.is_empty());

    let other = EventId(Uuid::from_u128(99));
    let response = PushResponse {
        results: vec![
            PushResult::new(Some(a.id.to_string()), Receipt::Stored, None),
            PushResult::new(
                Some(b.id.to_string()),
                Receipt::Rejected(RejectReason::Forbidden),
                Some("not this store".into()),
            ),
            PushResult::new(Some(other.to_string()), Receipt::Duplicate, None),
        ],
    };
    let body = serde_json::to_string(&response).unwrap();
    assert_eq!(
        wire::read_receipts(&body, &[a.id, b.id]),
        [
            (a.id, Receipt::Stored),
            (b.id, Receipt::Rejected(RejectReason::Forbidden))
        ]
    );
    let unknown = body.replace("\"stored\"", "\"mystery\"");
    assert_eq!(
        wire::read_receipts(&unknown, &[a.id]),
        Vec::<(EventId, Receipt)>::new()
    );
    assert!(wire::read_receipts("<html>", &[a.id]).is_empty());
}
