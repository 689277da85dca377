//! `GET /api/v1/stores/{store}/stream`: server-sent events telling a store's signed-in
//! tablets that it has news (see [`crate::live`]). The first message comes at once, so a
//! tablet that connects (or reconnects) pulls what it missed; then one `news` per push that
//! stored something, a comment every 15 s to keep proxies from closing the line, and the end
//! after [`STREAM_LIFETIME`], when the tablet reconnects with its token checked again.
//!
//! Each message is `event: news` with the server's clock as its data; the tablet pulls by its
//! cursor, so the stream never carries customer data. Over the budgets of [`crate::live`] the
//! answer is 429 with `Retry-After`, and the tablet keeps polling.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use tokio::time::Instant;

use super::error::ApiError;
use super::extract::{Staff, StorePath};
use super::state::AppState;
use crate::live::{Feed, STREAM_LIFETIME};
use crate::store::now_ms;

/// How often an idle stream sends a comment.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long a refused tablet is asked to wait before it tries to stream again.
const BUSY_RETRY_SECS: u64 = 30;

/// The handler.
pub async fn stream(
    State(state): State<AppState>,
    session: Staff,
    StorePath(store): StorePath,
) -> Result<Response, ApiError> {
    session.may_act_for(&store)?;
    let Some(feed) = state.hub.watch(store.as_str()) else {
        return Err(ApiError::RateLimited {
            secs: BUSY_RETRY_SECS,
        });
    };
    let sse = Sse::new(news(feed, Instant::now() + STREAM_LIFETIME))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("ping"));
    Ok(sse.into_response())
}

/// `news` now, then at each announcement, until the feed closes or `until`.
fn news(feed: Feed, until: Instant) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold((feed, true), move |(mut feed, first)| async move {
        if !first {
            let more = tokio::select! {
                more = feed.next() => more,
                () = tokio::time::sleep_until(until) => false,
            };
            if !more {
                return None;
            }
        }
        let event = Event::default().event("news").data(now_ms().to_string());
        Some((Ok(event), (feed, false)))
    })
}
