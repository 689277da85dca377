//! Escalate: hand an open case to a manager, with the reason.

use super::{clean, missing};
use crate::shared::i18n::I18n;
use crate::shared::labels::tr;
use crate::staff::drafts;
use leptos::prelude::*;
use recovery_core::{CaseId, EventKind, StaffMember};

/// The form that escalates an open case that is not yet escalated.
pub(super) fn escalate_form(
    i18n: I18n,
    member: StaffMember,
    case: CaseId,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let reason = drafts::text(&member, case, "reason", String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = clean(&reason.get_untracked());
        if text.is_empty() {
            error.set(Some(missing(i18n, |t| t.reason_label)));
            return;
        }
        error.set(None);
        record.run(EventKind::Escalated {
            by: member.actor(),
            reason: text,
        });
    };
    view! {
        <form id="srk-escalate-form" class="srk-step" on:submit=submit>
            <h2>{tr(i18n, |l| l.staff().escalate_title)}</h2>
            <label for="srk-reason">{tr(i18n, |l| l.staff().reason_label)}</label>
            <input id="srk-reason" class="srk-input" maxlength="120" autocomplete="off" bind:value=reason />
            <p class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{tr(i18n, |l| l.staff().escalate_button)}</button>
        </form>
    }
}
