//! "Stop messages": a customer who gave a contact and agreed to be contacted can say, here,
//! that they want to hear nothing more about this complaint (every message the store sends
//! them says so, and links here). One tap records their withdrawal as a step of their own,
//! sent like the rating (offline too); no message is sent after it and no follow-up can be
//! planned.

use super::model::{self, Slot};
use super::page::Page;
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::{dynamic, tr};
use leptos::prelude::*;

/// The offer while the customer may be contacted, then what became of their "stop".
#[component]
pub(crate) fn Stop() -> impl IntoView {
    let i18n = use_i18n();
    let page = expect_context::<Page>();
    let offers = Memo::new(move |_| {
        page.view.with(|v| {
            v.as_ref()
                .is_some_and(|v| page.steps.stop.with(|s| model::offers_stop(v, s.as_ref())))
        })
    });
    let contact = move || {
        page.view.with(|v| {
            v.as_ref()
                .and_then(|v| v.complaint.contact.as_ref())
                .map_or(String::new(), |c| c.as_str().to_owned())
        })
    };
    let stop = move |_| {
        page.submit(
            Slot::Stop,
            RwSignal::new(None),
            ("", ""),
            |link, view, now, ids| Ok(model::new_stop(link, view, now, ids)),
        );
        // The button goes; the status line that replaces it takes the focus.
        request_animation_frame(|| crate::shared::platform::env::focus("srk-tk-stop-sync"));
    };
    let said = dynamic(move || {
        let t = i18n.get_locale().ticket();
        page.step_line(
            Slot::Stop,
            (t.stop_pending, t.stop_rejected),
            |_| false,
            |_| t.stop_done.to_string(),
        )
    });
    let shown = move || offers.get() || page.steps.stop.with(Option::is_some);
    move || {
        shown().then(|| {
            view! {
                <section class="srk-card" aria-labelledby="srk-tk-stop-title">
                    <h2 id="srk-tk-stop-title">{tr(i18n, |l| l.ticket().stop_title)}</h2>
                    {move || offers.get().then(|| view! {
                        <p>{move || fill(i18n.get_locale().ticket().stop_intro, &[("contact", &contact())])}</p>
                        <button id="srk-tk-stop" class="srk-button" type="button" on:click=stop>
                            {tr(i18n, |l| l.ticket().stop_button)}
                        </button>
                    })}
                    <p id="srk-tk-stop-sync" role="status" aria-live="polite" tabindex="-1">{said}</p>
                </section>
            }
        })
    }
}
