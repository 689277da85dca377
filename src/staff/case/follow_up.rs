//! Step four, follow up: whether the remedy held when staff asked the customer again, with a
//! note. A follow-up that did not hold reopens the case (the core's rule).

use super::{clean, missing};
use crate::shared::i18n::{I18n, fill};
use crate::shared::labels::dynamic;
use crate::shared::labels::{Pick, tr};
use crate::shared::platform::clock;
use crate::staff::drafts;
use leptos::prelude::*;
use recovery_core::{CaseId, EventKind, StaffMember, Timestamp};

/// The form that records a follow-up due at `due`.
pub(super) fn follow_up_form(
    i18n: I18n,
    member: StaffMember,
    case: CaseId,
    due: Timestamp,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let held = RwSignal::new(None::<bool>);
    let note = drafts::text(&member, case, "follow_up", String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(held) = held.get_untracked() else {
            error.set(Some(missing(i18n, |t| t.held_label)));
            return;
        };
        error.set(None);
        record.run(EventKind::FollowedUp {
            by: member.actor(),
            held,
            note: clean(&note.get_untracked()),
        });
    };
    let choice = move |value: bool, id: &'static str, label: Pick| {
        view! {
            <label class="srk-choice" for=id>
                <input id=id type="radio" name="srk-held" prop:checked=move || held.get() == Some(value)
                    on:change=move |_| held.set(Some(value)) />
                <span>{tr(i18n, label)}</span>
            </label>
        }
    };
    view! {
        <form id="srk-follow-form" class="srk-step" on:submit=submit>
            <h2>{tr(i18n, |l| l.staff().follow_title)}</h2>
            <p>{dynamic(move || {
                let lang = i18n.get_locale();
                fill(lang.staff().follow_due, &[("time", &clock::format(due, lang.as_str(), clock::Style::DateTime))])
            })}</p>
            <p id="srk-follow-say">{tr(i18n, |l| l.staff().follow_say)}</p>
            <fieldset class="srk-choices">
                <legend>{tr(i18n, |l| l.staff().held_label)}</legend>
                {choice(true, "srk-held-yes", |l| l.staff().held_yes)}
                {choice(false, "srk-held-no", |l| l.staff().held_no)}
            </fieldset>
            <label for="srk-follow-note">{tr(i18n, |l| l.staff().follow_note_label)}</label>
            <textarea id="srk-follow-note" class="srk-input" rows="2" maxlength="2000" bind:value=note></textarea>
            <p class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{tr(i18n, |l| l.staff().follow_button)}</button>
        </form>
    }
}
