//! Reaching the customer: a call, an email, a text or a word in person, recorded as a step
//! whether or not it got through, so the case shows who tried what and when (and the export
//! counts it). Any case that is not closed; its status stays.

use super::clean;
use crate::shared::i18n::I18n;
use crate::shared::labels::{Names, tr};
use crate::staff::drafts;
use leptos::prelude::*;
use recovery_core::{CaseId, Contact, ContactChannel, EventKind, StaffMember};

/// The way to try first: what the customer left (a number is for calling), else in person.
fn usual_channel(contact: Option<&Contact>) -> ContactChannel {
    match contact {
        Some(Contact::Email(_)) => ContactChannel::Email,
        Some(Contact::Phone(_)) => ContactChannel::Phone,
        None => ContactChannel::InPerson,
    }
}

/// The form that records a try to reach the customer, folded away until wanted.
pub(super) fn contact_form(
    i18n: I18n,
    member: StaffMember,
    case: CaseId,
    contact: Option<&Contact>,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let channel = RwSignal::new(usual_channel(contact));
    let note = drafts::text(&member, case, "contact_note", String::new());
    let tried = move |reached: bool| {
        record.run(EventKind::Contacted {
            by: member.actor(),
            channel: channel.get_untracked(),
            reached,
            note: clean(&note.get_untracked()),
        });
        note.set(String::new());
    };
    let tried_too = tried.clone();
    let choices = ContactChannel::ALL
        .into_iter()
        .map(|c| {
            let id = ["srk-channel-", c.key()].concat();
            let label_for = id.clone();
            view! {
                <label class="srk-choice" for=label_for>
                    <input id=id type="radio" name="srk-channel" prop:checked=move || channel.get() == c
                        on:change=move |_| channel.set(c) />
                    <span>{move || i18n.get_locale().staff().channel.name(c)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <details id="srk-contact-attempt" class="srk-step">
            <summary>{tr(i18n, |l| l.staff().contact_title)}</summary>
            <p>{tr(i18n, |l| l.staff().contact_hint)}</p>
            <fieldset class="srk-choices">
                <legend>{tr(i18n, |l| l.staff().contact_how)}</legend>
                {choices}
            </fieldset>
            <label for="srk-contact-note">{tr(i18n, |l| l.staff().contact_note_label)}</label>
            <input id="srk-contact-note" class="srk-input" maxlength="2000" autocomplete="off" bind:value=note />
            <div class="srk-actions">
                <button id="srk-contact-reached" class="srk-button" type="button" on:click=move |_| tried(true)>
                    {tr(i18n, |l| l.staff().contact_reached)}
                </button>
                <button id="srk-contact-missed" class="srk-button srk-button--quiet" type="button" on:click=move |_| tried_too(false)>
                    {tr(i18n, |l| l.staff().contact_missed)}
                </button>
            </div>
        </details>
    }
}
