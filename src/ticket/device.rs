//! What the ticket page keeps on the phone and how it talks to the server, through
//! `platform` (the only module touching the browser); the rating goes through the one outbox
//! client (`page::Ratings`). Rules live in `model`, JSON in `json`.

use super::json;
use super::model::{self, Fetched, KeptRating, Link, TicketView};
use crate::shared::outbox;
use crate::shared::platform::{clock, journal, net, storage};
use recovery_core::{Timestamp, api};
use std::time::Duration;

/// How long fetching the view may take: as long as a push (`shared::outbox`).
pub const DEADLINE: Duration = outbox::DEFAULT_DEADLINE;

/// The view from the server. A view that was read is kept on the phone for offline use
/// (best effort: a full store only loses the offline copy).
pub async fn fetch_view(link: &Link) -> Fetched {
    let reply = net::get_with_header(
        &link.url(),
        api::TICKET_SECRET_HEADER,
        &link.secret,
        DEADLINE,
    )
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

/// The customer's latest rating made on this phone, if any is readable.
pub fn kept_rating(link: &Link) -> Option<KeptRating> {
    json::rating_from_text(link, &storage::read_text(&link.rating_key())?)
}

/// Keeps the rating, in the working copy at once (`false` when the phone's storage refused
/// it) and in the durable journal, which a browser killed a moment later does not lose.
pub fn keep_rating(link: &Link, rating: &KeptRating) -> bool {
    let (key, text) = (link.rating_key(), json::rating_to_text(rating));
    let quick = storage::write_text(&key, &text).is_ok();
    journal::put(&key, &text, Box::new(drop));
    quick
}

/// Hands the rating the journal holds for this case to `found`, once read (nothing when it
/// holds none that is readable).
pub fn journaled_rating(link: &Link, found: impl FnOnce(KeptRating) + 'static) {
    let (link, key) = (link.clone(), link.rating_key());
    journal::read(&key, move |text| {
        if let Some(rating) = text.and_then(|t| json::rating_from_text(&link, &t)) {
            found(rating);
        }
    });
}
