//! The hand-over: the tablet in the customer's hands to rate the fix. It shows the question
//! and the rating form alone, in the language the customer picks in the bar above: no case, no
//! notes, no queue, no names, and no way back into the workspace. Sending the answer, or
//! declining, locks the tablet; the person who handed it over unlocks onto the case again
//! (`drafts`) to close it.

use super::case::rate::rate_form;
use super::state::Staff;
use crate::shared::i18n::use_i18n;
use crate::shared::labels::tr;
use crate::shared::platform::env;
use leptos::prelude::*;
use recovery_core::{CaseId, EventKind};

#[component]
pub(super) fn HandOver(case: CaseId) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let record = Callback::new(move |kind: EventKind| {
        // A refused rating (the case moved on meanwhile) is no reason to keep the customer
        // here: the tablet locks either way, and the staff member sees the case as it stands.
        let _ = staff.record(case, kind);
        staff.lock();
    });
    let form = staff
        .case(case)
        .map(|(_, details)| rate_form(i18n, case, &details, record, true));
    request_animation_frame(|| env::show("srk-rate-title"));
    view! {
        <section class="srk-card srk-handover">
            {form}
            <button id="srk-handover-skip" class="srk-button srk-button--quiet" type="button" on:click=move |_| staff.lock()>
                {tr(i18n, |l| l.staff().handover_skip)}
            </button>
        </section>
    }
}
