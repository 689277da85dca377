//! Step one, acknowledge: an apology in the staff member's words, drafted from what the customer
//! told us, and "could we have prevented this?". A repeat customer's case, and one that could
//! have been prevented (where an apology and a fix rarely win the customer back), also goes to a
//! manager at once, with the reason.

use super::clean;
use crate::shared::i18n::{I18n, Locale, fill};
use crate::shared::labels;
use crate::shared::labels::tr;
use crate::staff::drafts;
use leptos::prelude::*;
use recovery_core::{Case, EventKind, StaffMember, apology_plan};

/// The form that acknowledges a filed case.
pub(super) fn acknowledge_form(
    i18n: I18n,
    member: StaffMember,
    c: &Case,
    repeat: bool,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let t = i18n.get_locale().staff();
    let plan = apology_plan(&c.complaint);
    // First person, in the staff member's language, answering what the customer told us.
    let mut words = String::new();
    if let Some(name) = &plan.name {
        words.push_str(&fill(t.apology_name, &[("name", name)]));
    }
    words.push_str(&labels::apology(i18n, plan.category));
    if plan.repeat || repeat {
        words.push(' ');
        words.push_str(t.apology_repeat);
    }
    words.push(' ');
    words.push_str(t.apology_action);
    let text = drafts::text(&member, c.id, "apology", words);
    let avoidable = RwSignal::new(None::<bool>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let apology = clean(&text.get_untracked());
        if apology.is_empty() {
            return;
        }
        let avoidable = avoidable.get_untracked();
        record.run(EventKind::Acknowledged {
            by: member.actor(),
            apology,
            avoidable,
        });
        // The same customer again, or a failure we could have prevented: the case goes to a
        // manager at once, with the reason.
        let t = i18n.get_locale().staff();
        let reason = if repeat {
            Some(t.repeat_escalation)
        } else {
            (avoidable == Some(true)).then_some(t.avoidable_escalation)
        };
        if let Some(reason) = reason {
            record.run(EventKind::Escalated {
                by: member.actor(),
                reason: clean(reason),
            });
        }
    };
    let choice = move |value: Option<bool>, id: &'static str, label: fn(Locale) -> &'static str| {
        view! {
            <label class="srk-choice" for=id>
                <input id=id type="radio" name="srk-avoidable" prop:checked=move || avoidable.get() == value
                    on:change=move |_| avoidable.set(value) />
                <span>{tr(i18n, label)}</span>
            </label>
        }
    };
    view! {
        <form id="srk-ack-form" class="srk-step" on:submit=submit>
            <h2>{tr(i18n, |l| l.staff().ack_title)}</h2>
            <p>{tr(i18n, |l| l.staff().ack_hint)}</p>
            <label for="srk-apology">{tr(i18n, |l| l.staff().ack_label)}</label>
            <textarea id="srk-apology" class="srk-input" rows="4" maxlength="2000" bind:value=text></textarea>
            <fieldset class="srk-choices">
                <legend>{tr(i18n, |l| l.staff().avoidable_label)}</legend>
                {choice(None, "srk-avoidable-unsure", |l| l.staff().avoidable_unsure)}
                {choice(Some(false), "srk-avoidable-no", |l| l.staff().avoidable_no)}
                {choice(Some(true), "srk-avoidable-yes", |l| l.staff().avoidable_yes)}
            </fieldset>
            <button class="srk-button" type="submit">{tr(i18n, |l| l.staff().ack_button)}</button>
        </form>
    }
}
