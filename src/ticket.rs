//! The customer's own ticket page (`/t/#<case>.<secret>`): what the store has done about
//! their complaint, step by step, how it was put right and why it happened, and their rating
//! of the fix.
//!
//! Built as its own binary (`src/bin/ticket.rs`, `ticket.html`), so none of this reaches the
//! complaint page's download. The link's fragment never reaches the server; the secret goes
//! only in a header and in the rating's push. The last view seen is kept on the phone and
//! shown offline; a rating waits on the phone until the server confirms it.

pub mod device;
mod held;
pub mod json;
pub mod model;
mod page;
mod rating;
mod stop;
mod view;

use crate::shared::components::{LanguagePicker, UpdateBanner};
use crate::shared::i18n::{I18n, Locale};
use crate::shared::labels::tr;
use crate::shared::platform::env;
use leptos::either::Either;
use leptos::prelude::*;
use model::Link;
use page::TicketPage;

/// Mounts the ticket page on `<body>`.
pub fn start() {
    json::install();
    crate::shared::start_in_language(|| leptos::mount::mount_to_body(TicketApp));
}

#[component]
fn TicketApp() -> impl IntoView {
    let i18n = I18n::new(Locale::find(&env::preferred_languages()));
    provide_context(i18n);
    Effect::new(move |_| {
        let lang = i18n.get_locale();
        env::set_document_language(lang.as_str());
        // The tab's title in the reader's language, following a change.
        env::set_title(lang.ticket().title);
    });
    let editing = RwSignal::new(false);
    provide_context(Editing(editing));
    let body = match Link::parse(&env::fragment()) {
        Some(link) => Either::Left(view! { <TicketPage link /> }),
        None => Either::Right(view! {
            <section class="srk-card" aria-labelledby="srk-tk-title">
                <h1 id="srk-tk-title">{tr(i18n, |l| l.ticket().incomplete_title)}</h1>
                <p id="srk-tk-message">{tr(i18n, |l| l.ticket().incomplete_body)}</p>
            </section>
        }),
    };
    view! {
        <div class="srk-app">
            <header class="srk-bar">
                <span></span>
                <LanguagePicker />
            </header>
            <UpdateBanner
                at_rest=Signal::derive(move || !editing.get())
                text=tr(i18n, |l| l.ticket().update_ready)
                button=tr(i18n, |l| l.ticket().update_now)
            />
            <main>{body}</main>
        </div>
    }
}

/// Whether the rating form holds a change not yet made into a rating.
#[derive(Clone, Copy)]
pub(crate) struct Editing(pub(crate) RwSignal<bool>);
