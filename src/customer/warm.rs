//! A rehearsal of the filing path, once, right after the customer's page has drawn its last
//! slice, so that a first-time visitor's first tap is as quick as the later ones.
//!
//! The first time a page runs the filing path it pays for things the later taps find ready:
//! the browser compiles the WebAssembly functions involved on their first call, `Intl` builds
//! its date formatter, JSON encoding and the acknowledgement's view code run for the first
//! time. Here they run once on a made-up complaint while the customer reads the form.
//!
//! It must never store, send or show anything, nor touch the device's cases: the made-up case
//! lives in a ledger of its own, its stored and sent forms are encoded and dropped, and its
//! acknowledgement is drawn into no document and taken down at once.

use crate::customer::components::Acknowledgement;
use crate::customer::device;
use crate::customer::route::Route;
use crate::shared::event_json;
use crate::shared::platform::{clock, codec, env, net};
use leptos::prelude::*;
use leptos::tachys::view::Render;
use recovery_core::{
    CaseId, Category, ComplaintDraft, DeviceId, Event, EventId, EventKind, Ledger, Mark, Origin,
    validate,
};

/// Rehearses the filing path in a task of its own after the next painted frame. Called from the
/// customer page's last slice, where its route and cases are in context.
pub fn after_next_paint() {
    let (Some(owner), Some(route)) = (Owner::current(), use_context::<Route>()) else {
        return;
    };
    env::after_paint(move || owner.with(|| rehearse(&route)));
}

/// Files a made-up complaint the way a tap does, into a throw-away ledger, and draws its
/// acknowledgement detached.
fn rehearse(route: &Route) {
    let draft = ComplaintDraft {
        category: Category::ALL.first().copied(),
        description: "A rehearsal, never stored or sent.".into(),
        ..ComplaintDraft::default()
    };
    let Ok(complaint) = validate(&draft) else {
        return;
    };
    let now = clock::now();
    let event = Event {
        id: EventId(env::new_uuid()),
        case: CaseId(env::new_uuid()),
        at: now,
        origin: Origin {
            store: route.store.clone(),
            touchpoint: route.touchpoint.clone(),
            device: DeviceId(env::new_uuid()),
        },
        kind: EventKind::Filed {
            complaint,
            utc_offset_minutes: clock::utc_offset_minutes(now),
        },
        proof: None,
        clock: None,
    };
    // What saving and sending would write, thrown away.
    drop(device::encode(
        &event,
        Some(&net::new_secret()),
        Mark::Pending,
        None,
    ));
    drop(codec::stringify(&event_json::event_to_js(&event)));
    let case = event.case;
    let mut ledger = Ledger::filings_only();
    if ledger.record(event).is_err() {
        return;
    }
    let Some(case) = ledger.case(case).cloned() else {
        return;
    };
    // Its own scope, cleaned up at once: the view's effects and timers go with it.
    let scope = Owner::new();
    scope.with(|| {
        let mode = route.mode;
        let view = view! { <Acknowledgement case mode on_done=Callback::new(|()| ()) /> };
        drop(view.build());
    });
    scope.cleanup();
}
