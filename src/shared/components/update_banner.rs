//! "A new version is ready": the offer to update, shown only while the screen is at rest, so
//! an update never interrupts someone in the middle of a form. Shared by the customer's page,
//! the ticket page and the staff app, each with its own words.

use crate::shared::platform::pwa;
use leptos::prelude::*;

/// The update offer, while a new version waits and `at_rest` holds.
#[component]
pub fn UpdateBanner(
    /// Whether nothing on screen would be lost by reloading (no half-filled form).
    #[prop(into)]
    at_rest: Signal<bool>,
    /// "A new version … is ready."
    #[prop(into)]
    text: Signal<&'static str>,
    /// The button's words.
    #[prop(into)]
    button: Signal<&'static str>,
) -> impl IntoView {
    let ready = pwa::use_update_ready();
    move || {
        (ready.get() && at_rest.get()).then(|| {
            view! {
                <div class="srk-update" id="srk-update" role="status">
                    <span>{text}</span>
                    <button type="button" class="srk-button" on:click=|_| {
                        pwa::apply_update();
                    }>{button}</button>
                </div>
            }
        })
    }
}
