//! The staff app's frame: the store from the address, the shared state, the bar with the
//! store's name and languages, the idle lock, and unlock or workspace below.
//!
//! It must never take steps or talk to the server itself: that is `state`'s and `sync`'s.

use super::glance::{self, Glance};
use super::handover::HandOver;
use super::state::{Screen, Staff};
use super::unlock::Unlock;
use super::workspace::Workspace;
use crate::shared::components::{LanguagePicker, UpdateBanner};
use crate::shared::i18n::{I18n, Locale, fill, use_i18n};
use crate::shared::labels::dynamic;
use crate::shared::labels::tr;
use crate::shared::platform::{activity, clock, env, pwa};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use recovery_core::{STAFF_IDLE_MS, Slug};
use std::time::Duration;

/// The store named in the address (`/staff/<store>`).
fn store_from_path(path: &str) -> Option<Slug> {
    let rest = path.trim_start_matches('/').strip_prefix("staff")?;
    Slug::parse(rest.trim_matches('/')).ok()
}

#[component]
pub(super) fn StaffApp() -> impl IntoView {
    let i18n = I18n::new(Locale::find(&env::preferred_languages()));
    provide_context(i18n);
    Effect::new(move |_| env::set_document_language(i18n.get_locale().as_str()));
    let body = match store_from_path(&env::path()) {
        Some(store) => Either::Left({
            let staff = Staff::load(store);
            // Send and fetch when the network comes back.
            let online = window_event_listener(leptos::ev::online, move |_| staff.refresh());
            on_cleanup(move || online.remove());
            provide_context(staff);
            view! { <StaffShell /> }
        }),
        None => Either::Right(view! {
            <main class="srk-card">
                <h1>{tr(i18n, |l| l.staff().bad_address_title)}</h1>
                <p>{tr(i18n, |l| l.staff().bad_address_body)}</p>
            </main>
        }),
    };
    view! { <div class="srk-app">{body}</div> }
}

#[component]
fn StaffShell() -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let store_name = move || {
        staff.roster.with(|r| {
            r.profile
                .as_ref()
                .map_or_else(|| staff.store().to_string(), |p| p.name.clone())
        })
    };
    // Up to date, locked or not: the store's live feed, and a poll while it is out of reach.
    super::live::use_live(staff);
    let summary = glance::use_summary(staff);
    glance::use_title_and_chime(staff, summary, Signal::derive(store_name));
    // Whether the browser keeps this tablet's unsent steps under storage pressure.
    let persisted = pwa::use_storage_persisted();
    // Idle lock: two minutes without a touch while unlocked, on the monotonic clock (a change
    // of the wall clock neither locks early nor keeps staff mode open).
    let last = StoredValue::new(clock::monotonic_ms());
    activity::use_user_activity(move || last.set_value(clock::monotonic_ms()));
    activity::use_interval(Duration::from_secs(1), move || {
        if staff.who.try_get_untracked().flatten().is_some()
            && clock::monotonic_ms() - last.get_value() >= idle_ms() as f64
        {
            staff.lock();
        }
    });
    view! {
        <header class="srk-bar">
            <p class="srk-bar__place">
                // "Staff · <store>" for staff; the store's name alone for a customer rating.
                {dynamic(move || match staff.handover.get() {
                    Some(_) => store_name(),
                    None => fill(i18n.get_locale().staff().store, &[("store", &store_name())]),
                })}
            </p>
            <LanguagePicker />
        </header>
        // A new version is offered only away from a case's forms (the queue, the unlock screen).
        <UpdateBanner
            at_rest=Signal::derive(move || !matches!(staff.screen.get(), Screen::Case(_)))
            text=tr(i18n, |l| l.staff().update_ready)
            button=tr(i18n, |l| l.staff().update_now)
        />
        <main>
            {move || match (staff.who.get(), staff.handover.get()) {
                (None, _) => EitherOf3::A(view! {
                    <Unlock on_unlocked=move || last.set_value(clock::monotonic_ms()) />
                    <Glance summary />
                }),
                (Some(_), Some(case)) => EitherOf3::B(view! { <HandOver case /> }),
                (Some(member), None) => EitherOf3::C(view! { <Workspace member /> }),
            }}
        </main>
        // Below the page's content, so that its late arrival moves nothing.
        // Not while a customer holds the tablet: it is about staff's work.
        {move || (persisted.get() == Some(false) && staff.handover.get().is_none()).then(|| view! {
            // A short line that opens to the explanation: it waits below the work, never
            // outgrowing it.
            <div class="srk-card srk-notice" role="status">
                <details>
                    <summary>{tr(i18n, |l| l.staff().storage_refused_title)}</summary>
                    <p id="srk-storage-refused">{tr(i18n, |l| l.staff().storage_refused)}</p>
                </details>
            </div>
        })}
    }
}

/// The idle time before staff mode locks: two minutes, or `?staff_idle=<ms>` for tests.
fn idle_ms() -> i64 {
    env::query_param("staff_idle")
        .and_then(|v| v.parse::<i64>().ok())
        .map_or(STAFF_IDLE_MS, |ms| ms.max(1_000))
}
