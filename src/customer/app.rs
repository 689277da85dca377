//! The root component: picks the language, reads the address, provides the narrow shared
//! capabilities (the route, the cases handle and the sync loop) and shows the customer's page.

use crate::customer::components::CustomerPage;
use crate::customer::route;
use crate::customer::state::Cases;
use crate::customer::sync;
use crate::shared::components::LanguagePicker;
use crate::shared::i18n::{I18n, Locale, fill, use_i18n};
use crate::shared::labels::{dynamic, tr};
use crate::shared::platform::env;
use leptos::either::Either;
use leptos::prelude::*;

/// The app. The language comes from the browser's preferences and can be switched at any time.
#[component]
pub fn App() -> impl IntoView {
    // The browser's preferred language at start; the picker switches at any time, and a kiosk
    // returns to the browser's language for each new customer.
    let i18n = I18n::new(Locale::find(&env::preferred_languages()));
    provide_context(i18n);
    Effect::new(move |_| env::set_document_language(i18n.get_locale().as_str()));
    view! { <Shell /> }
}

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    let body = match route::parse(&env::path()) {
        Ok(route) => Either::Left({
            provide_context(route.clone());
            // A shared kiosk keeps nothing the server has; a customer's phone keeps its list.
            let cases = Cases::load(route.mode == route::Mode::Phone);
            provide_context(cases);
            provide_context(sync::start(cases));
            let place = route.touchpoint.as_words();
            let idle = env::query_param("idle")
                .and_then(|v| v.parse().ok())
                .unwrap_or(crate::customer::components::idle_guard::DEFAULT_IDLE_SECONDS);
            view! {
                <header class="srk-bar">
                    <p class="srk-bar__place">{dynamic(move || fill(i18n.t().place, &[("place", &place)]))}</p>
                    <LanguagePicker />
                </header>
                <main>
                    <CustomerPage route idle_seconds=idle />
                </main>
            }
        }),
        Err(_) => Either::Right(view! {
            <header class="srk-bar">
                <span></span>
                <LanguagePicker />
            </header>
            <main class="srk-card">
                <h1>{tr(i18n, |l| l.texts().bad_address_title)}</h1>
                <p>{tr(i18n, |l| l.texts().bad_address_body)}</p>
            </main>
        }),
    };
    view! { <div class="srk-app">{body}</div> }
}
