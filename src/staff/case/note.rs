//! Step two, understand: a note on what staff learnt, as many as needed, none required (a case
//! can be resolved straight after its acknowledgement), with questions that help to ask.

use super::{clean, missing};
use crate::shared::i18n::I18n;
use crate::shared::labels::tr;
use crate::staff::drafts;
use leptos::prelude::*;
use recovery_core::{CaseId, EventKind, StaffMember};

/// The form that adds a note to an open case; it empties itself once the note is taken.
pub(super) fn note_form(
    i18n: I18n,
    member: StaffMember,
    case: CaseId,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let text = drafts::text(&member, case, "note", String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let note = clean(&text.get_untracked());
        if note.is_empty() {
            error.set(Some(missing(i18n, |t| t.note_label)));
            return;
        }
        error.set(None);
        record.run(EventKind::Noted {
            by: member.actor(),
            note,
        });
        text.set(String::new());
    };
    view! {
        <form id="srk-note-form" class="srk-step" on:submit=submit>
            <h2>{tr(i18n, |l| l.staff().note_title)}</h2>
            <p>{tr(i18n, |l| l.staff().note_hint)}</p>
            <p id="srk-note-questions">{tr(i18n, |l| l.staff().note_questions)}</p>
            <label for="srk-note">{tr(i18n, |l| l.staff().note_label)}</label>
            <textarea id="srk-note" class="srk-input" rows="3" maxlength="2000" bind:value=text></textarea>
            <p class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{tr(i18n, |l| l.staff().note_button)}</button>
        </form>
    }
}
