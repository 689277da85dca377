//! What the ticket page keeps on the phone and how it talks to the server, through
//! `platform` (the only module touching the browser); the rating and the answer go through the
//! one outbox client (`page::Steps`). Rules live in `model`, JSON in `json`.

use super::json;
use super::model::{self, Fetched, KeptStep, Link, Slot, TicketView};
use crate::shared::outbox;
use crate::shared::platform::{clock, journal, net, storage};
use recovery_core::Timestamp;
use std::time::Duration;

/// How long fetching the view may take: as long as a push (`shared::outbox`).
pub const DEADLINE: Duration = outbox::DEFAULT_DEADLINE;

/// The view from the server. A view that was read is kept on the phone for offline use
/// (best effort: a full store only loses the offline copy).
pub async fn fetch_view(link: &Link) -> Fetched {
    let auth = net::Auth::TicketSecret(&link.secret);
    let reply = net::request(&link.url(), None, Some(auth), DEADLINE)
        .await
        .ok();
    let body = reply.as_ref().map_or("", |r| r.body.as_str());
    let fetched = model::judge_view(link, reply.as_ref().map(|r| r.status), || json::view(body));
    if let Fetched::View(_) = fetched {
        let _ = storage::write_text(&link.view_key(), &model::keep_view(body, clock::now()));
    }
    fetched
}

/// The last view this phone saw and when; `None` when there is none or it is unreadable.
pub fn kept_view(link: &Link) -> Option<(TicketView, Timestamp)> {
    json::kept_view(link, &storage::read_text(&link.view_key())?)
}

/// The customer's latest step of `slot` made on this phone, if any is readable.
pub fn kept_step(link: &Link, slot: Slot) -> Option<KeptStep> {
    json::step_from_text(link, slot, &storage::read_text(&link.step_key(slot))?)
}

/// Keeps the step, in the working copy at once (`false` when the phone's storage refused it)
/// and in the durable journal, which a browser killed a moment later does not lose.
pub fn keep_step(link: &Link, slot: Slot, step: &KeptStep) -> bool {
    let (key, text) = (link.step_key(slot), json::step_to_text(step));
    let quick = storage::write_text(&key, &text).is_ok();
    journal::put(&key, &text, Box::new(drop));
    quick
}

/// Hands the step of `slot` the journal holds for this case to `found`, once read (nothing
/// when it holds none that is readable).
pub fn journaled_step(link: &Link, slot: Slot, found: impl FnOnce(KeptStep) + 'static) {
    let (link, key) = (link.clone(), link.step_key(slot));
    journal::read(&key, move |text| {
        if let Some(step) = text.and_then(|t| json::step_from_text(&link, slot, &t)) {
            found(step);
        }
    });
}
