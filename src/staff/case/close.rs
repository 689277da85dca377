//! Close: the root cause of a resolved case (its kind, the sub-cause, the departments and
//! people involved, and an explanation) for the insights' Pareto and fishbone. The cause comes
//! suggested from what the store found for complaints of the same kind (`cause_for`), and the
//! explanation from the cause's kind, in the staff member's words and language, so a close that
//! fits is one tap; choosing another kind brings its words unless the text was changed.

use super::{clean, missing};
use crate::shared::i18n::I18n;
use crate::shared::labels::{Names, tr};
use crate::staff::drafts;
use leptos::prelude::*;
use recovery_core::{CaseId, Cause, CauseCategory, CauseGuess, EventKind, StaffMember};

/// Splits "Checkout, Stock room" into trimmed, non-empty names.
fn names(s: &str) -> Vec<String> {
    s.split(',').map(clean).filter(|n| !n.is_empty()).collect()
}

/// The form that closes a resolved case with its root cause.
pub(super) fn close_form(
    i18n: I18n,
    member: StaffMember,
    case: CaseId,
    guess: CauseGuess,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let words = move |c: CauseCategory| i18n.get_locale().staff().explain.name(c).to_owned();
    let category = RwSignal::new(guess.category);
    let sub_cause = drafts::text(&member, case, "sub_cause", guess.sub_cause);
    let departments = drafts::text(&member, case, "departments", String::new());
    let people = drafts::text(&member, case, "people", String::new());
    let explanation = drafts::text(&member, case, "explanation", words(guess.category));
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (sub, text) = (
            clean(&sub_cause.get_untracked()),
            clean(&explanation.get_untracked()),
        );
        if sub.is_empty() {
            error.set(Some(missing(i18n, |t| t.sub_cause_label)));
            return;
        }
        if text.is_empty() {
            error.set(Some(missing(i18n, |t| t.explanation_label)));
            return;
        }
        error.set(None);
        record.run(EventKind::Closed {
            by: member.actor(),
            cause: Cause {
                category: category.get_untracked(),
                sub_cause: sub,
                departments: names(&departments.get_untracked()),
                people: names(&people.get_untracked()),
                explanation: text,
            },
        });
    };
    let options = CauseCategory::ALL
        .into_iter()
        .map(|c| {
            view! {
                <option value=c.key() prop:selected=move || category.get() == c>
                    {move || i18n.get_locale().staff().cause.name(c)}
                </option>
            }
        })
        .collect_view();
    let pick = move |ev| {
        let key = event_target_value(&ev);
        if let Some(c) = CauseCategory::ALL.into_iter().find(|c| c.key() == key) {
            // The suggested words follow the kind, until someone writes their own.
            if explanation.get_untracked() == words(category.get_untracked()) {
                explanation.set(words(c));
            }
            category.set(c);
        }
    };
    view! {
        <form id="srk-close-form" class="srk-step" on:submit=submit novalidate>
            <h2>{tr(i18n, |l| l.staff().close_title)}</h2>
            <label for="srk-cause-category">{tr(i18n, |l| l.staff().cause_label)}</label>
            <select id="srk-cause-category" class="srk-input" on:change=pick>{options}</select>
            <label for="srk-sub-cause">{tr(i18n, |l| l.staff().sub_cause_label)}</label>
            <input id="srk-sub-cause" class="srk-input" maxlength="120" autocomplete="off" bind:value=sub_cause />
            <label for="srk-departments">{tr(i18n, |l| l.staff().departments_label)}</label>
            <input id="srk-departments" class="srk-input" autocomplete="off" bind:value=departments />
            <label for="srk-people">{tr(i18n, |l| l.staff().people_label)}</label>
            <input id="srk-people" class="srk-input" autocomplete="off" bind:value=people />
            <label for="srk-explanation">{tr(i18n, |l| l.staff().explanation_label)}</label>
            <textarea id="srk-explanation" class="srk-input" rows="3" maxlength="2000" bind:value=explanation></textarea>
            <p class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{tr(i18n, |l| l.staff().close_button)}</button>
        </form>
    }
}
