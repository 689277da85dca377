//! Keeps a tablet that has a session up to date, locked or not: it listens to the store's live
//! feed and pulls at each piece of news, so a complaint filed anywhere shows within a second;
//! while the feed is out of reach it pulls every 30 s and tries the feed again after a growing
//! wait (2 s doubling to 60 s; back to 2 s after a feed that lasted).
//!
//! The feed only says "news": what is new always comes by the one pull by cursor (`sync`), so
//! nothing is missed or doubled whichever way it arrives.

use super::state::Staff;
use crate::shared::platform::{activity, clock, env, net};
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::api;
use std::rc::Rc;
use std::time::Duration;

/// The pull interval while the feed is out of reach: 30 s, or `?staff_poll=<ms>` for tests.
fn poll() -> Duration {
    let ms = env::query_param("staff_poll")
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(30_000, |ms| ms.max(1_000));
    Duration::from_millis(ms)
}
/// The first wait before trying the feed again; it doubles up to [`RETRY_MAX_MS`].
const RETRY_FIRST_MS: u32 = 2_000;
const RETRY_MAX_MS: u32 = 60_000;
/// A feed that lasted this long was healthy: the next wait starts from the first again.
const HEALTHY_MS: f64 = 60_000.0;

/// Starts the feed for the calling component's lifetime, and the poll behind it.
pub(super) fn use_live(staff: Staff) {
    let current = StoredValue::new_local(None);
    let alive = StoredValue::new(true);
    let retry_ms = StoredValue::new(RETRY_FIRST_MS);
    connect(staff, current, alive, retry_ms);
    activity::use_interval(poll(), move || {
        if !staff.live.get_untracked() {
            staff.refresh();
        }
    });
    on_cleanup(move || {
        alive.set_value(false);
        if let Some(Some(listening)) = current.try_get_value() {
            listening.stop();
        }
    });
}

fn connect(
    staff: Staff,
    current: StoredValue<Option<Rc<net::Listening>>, LocalStorage>,
    alive: StoredValue<bool>,
    retry_ms: StoredValue<u32>,
) {
    if !alive.try_get_value().unwrap_or(false) {
        return;
    }
    let again = move |wait_ms: u32| {
        leptos::prelude::set_timeout(
            move || connect(staff, current, alive, retry_ms),
            Duration::from_millis(u64::from(wait_ms)),
        );
    };
    let token = staff.roster.with_untracked(|r| r.token.clone());
    let (Some(token), Some(listening)) = (token, net::Listening::new()) else {
        // Not signed in online yet: look again shortly.
        again(RETRY_FIRST_MS);
        return;
    };
    let listening = Rc::new(listening);
    current.set_value(Some(Rc::clone(&listening)));
    spawn_local(async move {
        let opened = clock::monotonic_ms();
        let url = api::stream_url(&staff.store());
        let result = net::listen(&url, &token, &listening, |_| {
            if !staff.live.get_untracked() {
                staff.live.set(true);
            }
            staff.refresh();
        })
        .await;
        if staff.live.try_get_untracked() == Some(true) {
            staff.live.set(false);
        }
        if !alive.try_get_value().unwrap_or(false) {
            return;
        }
        let lasted = clock::monotonic_ms() - opened >= HEALTHY_MS;
        let wait = if result.is_ok() && lasted {
            RETRY_FIRST_MS
        } else {
            retry_ms.get_value()
        };
        retry_ms.set_value(if lasted {
            RETRY_FIRST_MS
        } else {
            (wait * 2).min(RETRY_MAX_MS)
        });
        // Whatever ended the feed, pull once now: a server that ended it may have news.
        staff.refresh();
        again(wait);
    });
}
