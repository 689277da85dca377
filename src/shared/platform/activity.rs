//! Signs that a person is using the device (touch, pointer, keys, typing, scrolling), and a
//! steady tick, for the kiosk's idle reset.
//!
//! Listeners are removed when the owning reactive scope is cleaned up, so a reset kiosk never
//! piles up handlers.

use leptos::prelude::*;
use std::time::Duration;

/// Calls `on_activity` whenever a person interacts with the page, until the calling component
/// is unmounted.
pub fn use_user_activity(on_activity: impl Fn() + Clone + 'static) {
    let a = on_activity.clone();
    let h1 = window_event_listener(leptos::ev::pointerdown, move |_| a());
    let a = on_activity.clone();
    let h2 = window_event_listener(leptos::ev::keydown, move |_| a());
    let a = on_activity.clone();
    let h3 = window_event_listener(leptos::ev::input, move |_| a());
    let a = on_activity;
    let h4 = window_event_listener(leptos::ev::wheel, move |_| a());
    on_cleanup(move || {
        h1.remove();
        h2.remove();
        h3.remove();
        h4.remove();
    });
}

/// Calls `tick` every `period` until the calling component is unmounted.
pub fn use_interval(period: Duration, tick: impl Fn() + 'static) {
    if let Ok(handle) = set_interval_with_handle(tick, period) {
        on_cleanup(move || handle.clear());
    }
}
