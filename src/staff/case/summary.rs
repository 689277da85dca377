//! What a case holds, for the staff: what the customer told us, where the case stands, the
//! outcome so far and the timeline of its steps. Read only: it must never take a step.

use super::{contact_step, next_step, recorder};
use crate::shared::i18n::{I18n, fill};
use crate::shared::labels;
use crate::shared::labels::Names;
use crate::shared::platform::clock;
use crate::staff::state::Staff;
use leptos::either::Either;
use leptos::prelude::*;
use recovery_core::{Case, Contact, Details, StaffMember, Timestamp};

/// The case's page above the form for its next step.
pub(super) fn case_body(
    i18n: I18n,
    staff: Staff,
    member: &StaffMember,
    c: Case,
    details: Details,
    repeat: bool,
    problem: RwSignal<Option<String>>,
) -> impl IntoView + use<> {
    let lang = i18n.get_locale();
    let t = lang.staff();
    let when = |at: Timestamp| clock::format(at, lang.as_str(), clock::Style::DateTime);
    let ticket = c.ticket.to_string();
    let complaint = &c.complaint;
    let fair: Vec<String> = complaint
        .fair_solutions
        .iter()
        .map(|f| labels::fair(i18n, *f))
        .chain(complaint.fair_solution_note.clone())
        .collect();
    let fair = if fair.is_empty() {
        t.fair_none.to_string()
    } else {
        fair.join(" · ")
    };
    let needs_manager = c.needs_manager() || repeat;
    let manager_line = needs_manager.then(|| {
        view! { <p id="srk-needs-manager" class="srk-alert">{t.needs_manager}</p> }
    });
    let escalated_line = details.escalation.clone().map(|reason| {
        view! { <p id="srk-escalated" class="srk-alert">{fill(t.escalated_because, &[("reason", &reason)])}</p> }
    });
    let roster = staff.roster.get_untracked().staff;
    let name_of = move |id: &recovery_core::Slug| {
        roster
            .iter()
            .find(|m| m.id == *id)
            .map_or_else(|| id.to_string(), |m| m.name.clone())
    };
    let timeline = details
        .timeline
        .iter()
        .map(|m| {
            let by =
                m.by.as_ref()
                    .map(|id| [" ", &fill(t.by, &[("name", &name_of(id))])].concat());
            view! {
                <li>
                    <span class="srk-timeline__when">{when(m.at)}</span>
                    " "
                    <span>{t.step.name(m.step.as_str())}</span>
                    {by}
                </li>
            }
        })
        .collect_view();
    let notes = details
        .notes
        .iter()
        .map(|n| view! { <li>{n.text.clone()}" — "{name_of(&n.by)}</li> })
        .collect_view();
    let currency = staff
        .roster
        .with_untracked(|r| r.profile.as_ref().map(|p| p.currency.clone()))
        .unwrap_or_else(|| "EUR".into());
    let resolution = details.resolution.clone().map(|r| {
        let value = clock::format_money(r.value_minor, &currency, lang.as_str());
        let gesture = (!r.gesture.is_empty())
            .then(|| view! { <p>{fill(t.gesture_line, &[("gesture", &r.gesture)])}</p> });
        view! {
            <p id="srk-resolution">
                {fill(t.resolution_line, &[("remedy", &t.remedy.name(r.remedy)), ("value", &value)])}
            </p>
            {gesture}
        }
    });
    let rating = details
        .rating
        .clone()
        .map(|r| view! { <p id="srk-rating">{fill(t.rating_line, &[("stars", &r.stars)])}" "{r.comment}</p> });
    let cause = details.cause.clone().map(|cause| {
        view! {
            <p id="srk-cause">{fill(t.cause_line, &[("cause", &t.cause.name(cause.category)), ("sub_cause", &cause.sub_cause)])}</p>
            <p>{fill(t.explanation_line, &[("text", &cause.explanation)])}</p>
        }
    });
    let contact = complaint.contact.as_ref().map(|ct| {
        let shown = ct.as_str().to_owned();
        // They asked to hear nothing more: the contact stays for the record, with no way to use it.
        if !complaint.may_contact() {
            return Either::Left(view! {
                <dt>{t.contact_withdrawn_label}</dt><dd id="srk-contact">{shown}</dd>
            });
        }
        let reach = match ct {
            Contact::Email(address) => Either::Left(view! {
                <a href=["mailto:", address.as_str()].concat()>{shown}</a>
            }),
            Contact::Phone(number) => {
                // Digits and a leading plus only: what a dialler takes.
                let dial: String = number
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '+')
                    .collect();
                Either::Right(view! {
                    <a href=["tel:", dial.as_str()].concat()>{shown}</a>
                    " · "
                    <a href=["sms:", dial.as_str()].concat()>{t.contact_sms}</a>
                })
            }
        };
        Either::Right(view! { <dt>{t.contact_label}</dt><dd id="srk-contact">{reach}</dd> })
    });
    let name = complaint
        .name
        .clone()
        .map(|n| view! { <dt>{t.name_label}</dt><dd>{n}</dd> });
    let occurred = complaint
        .occurred
        .map(|o| view! { <dt>{t.when_label}</dt><dd>{labels::occurred(i18n, o)}</dd> });
    let impact = complaint
        .impact
        .map(|o| view! { <dt>{t.impact_label}</dt><dd>{labels::impact(i18n, o)}</dd> });
    let before = complaint
        .happened_before
        .map(|b| view! { <dt>{t.before_label}</dt><dd>{labels::yes_no(i18n, b)}</dd> });
    let record = recorder(i18n, staff, member.clone(), c.id, problem);
    let reach = contact_step(i18n, member.clone(), &c, record);
    let attempts = details
        .attempts
        .iter()
        .map(|a| {
            let line = if a.reached {
                t.attempt_reached
            } else {
                t.attempt_missed
            };
            let note = (!a.note.is_empty()).then(|| [" · ", &a.note].concat());
            view! {
                <li>
                    <span class="srk-timeline__when">{when(a.at)}</span>
                    " "{fill(line, &[("channel", &t.channel.name(a.channel))])}
                    " — "{name_of(&a.by)}{note}
                </li>
            }
        })
        .collect_view();
    let tries = (!details.attempts.is_empty()).then(|| {
        view! { <h2>{t.attempts_title}</h2><ul id="srk-attempts">{attempts}</ul> }
    });
    let action = next_step(i18n, staff, member.clone(), &c, &details, repeat, record);
    view! {
        <h1 id="srk-case-title" tabindex="-1">{fill(t.case_title, &[("ticket", &ticket)])}</h1>
        <p id="srk-case-status">{fill(t.status_line, &[("status", &t.status.name(c.status))])}</p>
        <p>{fill(t.filed_at, &[("time", &when(c.filed_at)), ("place", &crate::staff::state::place(&c.touchpoint))])}</p>
        {manager_line}
        {repeat.then(|| view! { <p id="srk-repeat" class="srk-alert">{t.repeat_escalation}</p> })}
        {escalated_line}
        <h2>{t.customer_said}</h2>
        <p class="srk-case__category">{labels::category(i18n, complaint.category)}</p>
        <blockquote id="srk-description" class="srk-case__text">{complaint.description.clone()}</blockquote>
        <dl class="srk-case__facts">
            {occurred}
            {impact}
            {before}
            <dt>{t.fair_label}</dt>
            <dd id="srk-fair">{fair}</dd>
            {name}
            {contact}
        </dl>
        {tries}
        {reach}
        {resolution}
        {rating}
        {cause}
        <h2>{t.timeline}</h2>
        <ol id="srk-timeline" class="srk-timeline">{timeline}</ol>
        {(!details.notes.is_empty()).then(|| view! { <h2>{t.notes}</h2><ul id="srk-notes">{notes}</ul> })}
        {action}
    }
}
