//! The kiosk's privacy guard: after a spell with nobody touching the tablet it asks "are you
//! still there?", and if nobody answers it clears the screen for the next customer.

use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::{dynamic, tr};
use crate::shared::platform::{activity, clock, env};
use leptos::prelude::*;
use std::time::Duration;

/// Default total idle time before a kiosk clears itself, in seconds.
pub const DEFAULT_IDLE_SECONDS: u32 = 60;
/// How long the warning shows before the reset, within the idle time.
pub const WARNING_SECONDS: u32 = 15;

/// Watches for inactivity while `dirty` is true and calls `on_reset` when time runs out.
#[component]
pub fn IdleGuard(
    /// Whether there is anything on screen worth clearing.
    #[prop(into)]
    dirty: Signal<bool>,
    /// Clears the screen.
    on_reset: Callback<()>,
    /// Seconds without activity before the screen clears (the warning comes first).
    #[prop(default = DEFAULT_IDLE_SECONDS)]
    idle_seconds: u32,
) -> impl IntoView {
    let i18n = use_i18n();
    let idle_seconds = idle_seconds.max(WARNING_SECONDS + 5);
    // On the monotonic clock: setting the wall clock back must not keep a customer's form on
    // screen, nor setting it forward wipe one being typed.
    let last = StoredValue::new(clock::monotonic_ms());
    // Seconds left while the warning is showing.
    let warning = RwSignal::new(None::<u32>);
    activity::use_user_activity(move || last.set_value(clock::monotonic_ms()));
    activity::use_interval(Duration::from_secs(1), move || {
        let now = clock::monotonic_ms();
        // A tick can arrive after the guard was unmounted: then do nothing.
        let (Some(dirty), Some(shown)) = (dirty.try_get_untracked(), warning.try_get_untracked())
        else {
            return;
        };
        if !dirty {
            last.set_value(now);
            if shown.is_some() {
                warning.set(None);
            }
            return;
        }
        let idle = ((now - last.get_value()).max(0.0) / 1000.0) as u32;
        let warn_at = idle_seconds - WARNING_SECONDS;
        if idle < warn_at {
            if shown.is_some() {
                warning.set(None);
            }
        } else if idle >= idle_seconds {
            warning.set(None);
            last.set_value(now);
            // Reset outside this timer's callback: a reset may unmount what owns the timer.
            set_timeout(move || on_reset.run(()), Duration::ZERO);
        } else {
            warning.set(Some(idle_seconds - idle));
            if shown.is_none() {
                request_animation_frame(|| env::focus("srk-idle-stay"));
            }
        }
    });
    let stay = move |_| {
        last.set_value(clock::monotonic_ms());
        warning.set(None);
    };
    let clear = move |_| {
        warning.set(None);
        on_reset.run(());
    };
    view! {
        {move || warning.get().is_some().then(|| view! {
            <div class="srk-dialog-backdrop">
                <div
                    class="srk-dialog"
                    role="alertdialog"
                    aria-modal="true"
                    aria-labelledby="srk-idle-title"
                    aria-describedby="srk-idle-body"
                >
                    <h2 id="srk-idle-title">{tr(i18n, |l| l.texts().idle_title)}</h2>
                    <p id="srk-idle-body">
                        {dynamic(move || {
                            fill(i18n.t().idle_body, &[("seconds", &warning.get().unwrap_or(0))])
                        })}
                    </p>
                    <div class="srk-actions">
                        <button
                            type="button"
                            class="srk-button srk-button--primary"
                            id="srk-idle-stay"
                            on:click=stay
                        >
                            {tr(i18n, |l| l.texts().idle_stay)}
                        </button>
                        <button type="button" class="srk-button" on:click=clear>
                            {tr(i18n, |l| l.texts().idle_clear)}
                        </button>
                    </div>
                </div>
            </div>
        })}
    }
}
