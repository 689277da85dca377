//! One case on the staff tablet: what the customer told us, where it stands, what has been
//! done, and the form for the next of the four recovery steps.
//!
//! Every form builds an event and hands it to `Staff::record`, which checks it with the core's
//! workflow first (an impossible step is refused here, in words, before it is kept) and then
//! keeps and sends it like any other step.

use super::{Staff, st};
use crate::i18n::{I18n, StaffTexts, fill, use_i18n};
use crate::labels::{self, dynamic};
use crate::platform::clock;
use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;
use recovery_core::{
    Case, CaseId, Cause, CauseCategory, Details, EventKind, Remedy, Role, StaffMember, Status,
    Timestamp, TransitionError, apology_plan,
};

/// Translated name of a step (an event's type name).
fn step_name(t: &'static StaffTexts, step: &str) -> &'static str {
    let s = &t.step;
    match step {
        "filed" => s.filed,
        "acknowledged" => s.acknowledged,
        "noted" => s.noted,
        "escalated" => s.escalated,
        "resolved" => s.resolved,
        "rated" => s.rated,
        "followed_up" => s.followed_up,
        _ => s.closed,
    }
}

fn status_name(t: &'static StaffTexts, status: Status) -> &'static str {
    let s = &t.status;
    match status {
        Status::Filed => s.filed,
        Status::Acknowledged => s.acknowledged,
        Status::Understood => s.understood,
        Status::Resolved => s.resolved,
        Status::Closed => s.closed,
        Status::Reopened => s.reopened,
    }
}

pub(super) fn remedy_name(t: &'static StaffTexts, r: Remedy) -> &'static str {
    let s = &t.remedy;
    match r {
        Remedy::Refund => s.refund,
        Remedy::Replacement => s.replacement,
        Remedy::Discount => s.discount,
        Remedy::Voucher => s.voucher,
        Remedy::ApologyOnly => s.apology_only,
        Remedy::Other => s.other,
    }
}

pub(super) fn cause_name(t: &'static StaffTexts, c: CauseCategory) -> &'static str {
    let s = &t.cause;
    match c {
        CauseCategory::People => s.people,
        CauseCategory::Process => s.process,
        CauseCategory::Product => s.product,
        CauseCategory::Place => s.place,
        CauseCategory::Policy => s.policy,
        CauseCategory::Equipment => s.equipment,
    }
}

/// Why a step was refused, in words.
pub fn refusal(t: &'static StaffTexts, e: &TransitionError) -> String {
    let s = &t.transition;
    let reason = match e {
        TransitionError::NotFiled { .. } => s.not_filed,
        TransitionError::AlreadyFiled { .. } => s.already_filed,
        TransitionError::WrongCase { .. } => s.wrong_case,
        TransitionError::InvalidEvent(_) => s.invalid_event,
        TransitionError::OutOfOrder { .. } => s.out_of_order,
        TransitionError::AlreadyEscalated => s.already_escalated,
        TransitionError::NeedsManager => s.needs_manager,
        TransitionError::AboveAuthority { .. } => s.above_authority,
        TransitionError::NoConsent => s.no_consent,
        TransitionError::FollowUpInPast => s.follow_up_in_past,
        TransitionError::NoFollowUp => s.no_follow_up,
    };
    fill(t.refused_here, &[("reason", &reason)])
}

/// Trims a typed text the way the core's validation does, so what is kept is what was meant.
fn clean(s: &str) -> String {
    s.trim().replace("\r\n", "\n").replace('\r', "\n")
}

/// The case screen.
#[component]
pub fn CaseView(case: CaseId, member: StaffMember, repeat: bool) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let problem = RwSignal::new(None::<String>);
    // Redrawn only when this case changes (a pull that brings other cases leaves a half-typed
    // form alone).
    let snapshot = Memo::new(move |_| staff.case(case));
    let body = move || {
        let Some((c, details)) = snapshot.get() else {
            return Either::Left(view! { <p>{st(i18n, |t| t.transition.not_filed)}</p> });
        };
        Either::Right(case_body(i18n, staff, &member, c, details, repeat, problem))
    };
    view! {
        <section class="srk-card srk-case" aria-labelledby="srk-case-title">
            <button id="srk-back" class="srk-button srk-button--quiet" type="button" on:click=move |_| staff.open.set(None)>
                {st(i18n, |t| t.back)}
            </button>
            {body}
            <p id="srk-step-problem" class="srk-error" role="alert">{move || problem.get()}</p>
        </section>
    }
}

fn case_body(
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
                    <span>{step_name(t, &m.step)}</span>
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
                {fill(t.resolution_line, &[("remedy", &remedy_name(t, r.remedy)), ("value", &value)])}
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
            <p id="srk-cause">{fill(t.cause_line, &[("cause", &cause_name(t, cause.category)), ("sub_cause", &cause.sub_cause)])}</p>
            <p>{fill(t.explanation_line, &[("text", &cause.explanation)])}</p>
        }
    });
    let contact = complaint.contact.as_ref().map(|ct| {
        view! { <dt>{t.contact_label}</dt><dd>{ct.as_str().to_owned()}</dd> }
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
    let action = next_step(i18n, staff, member.clone(), &c, &details, repeat, problem);
    view! {
        <h1 id="srk-case-title">{fill(t.case_title, &[("ticket", &ticket)])}</h1>
        <p id="srk-case-status">{fill(t.status_line, &[("status", &status_name(t, c.status))])}</p>
        <p>{fill(t.filed_at, &[("time", &when(c.filed_at)), ("place", &c.touchpoint.to_string())])}</p>
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
        {resolution}
        {rating}
        {cause}
        <h2>{t.timeline}</h2>
        <ol id="srk-timeline" class="srk-timeline">{timeline}</ol>
        {(!details.notes.is_empty()).then(|| view! { <h2>{t.notes}</h2><ul id="srk-notes">{notes}</ul> })}
        {action}
    }
}

/// The form for the next step, from where the case stands.
fn next_step(
    i18n: I18n,
    staff: Staff,
    member: StaffMember,
    c: &Case,
    details: &Details,
    repeat: bool,
    problem: RwSignal<Option<String>>,
) -> impl IntoView + use<> {
    let case = c.id;
    let record = Callback::new(move |kind: EventKind| match staff.record(case, kind) {
        Ok(()) => problem.set(None),
        Err(e) => problem.set(Some(refusal(i18n.get_locale().staff(), &e))),
    });
    match c.status {
        Status::Filed => EitherOf4::A(acknowledge_form(i18n, member, c, repeat, record)),
        Status::Acknowledged | Status::Understood | Status::Reopened => EitherOf4::B({
            let manager_case = c.needs_manager() || repeat;
            let escalated = c.escalated;
            view! {
                {note_form(i18n, member.clone(), record)}
                {resolve_form(i18n, staff, member.clone(), c, manager_case, record)}
                {(!escalated).then(|| escalate_form(i18n, member, record))}
            }
        }),
        Status::Resolved => EitherOf4::C(view! {
            {rate_form(i18n, details, record)}
            {c.follow_up_at.map(|due| follow_up_form(i18n, member.clone(), due, record))}
            {close_form(i18n, member, record)}
        }),
        Status::Closed => EitherOf4::D(
            c.follow_up_at
                .map(|due| follow_up_form(i18n, member, due, record)),
        ),
    }
}

/// Which of a form's fields is missing, in words.
fn missing(i18n: I18n, label: fn(&'static StaffTexts) -> &'static str) -> String {
    let t = i18n.get_locale().staff();
    fill(t.missing, &[("field", &label(t))])
}

fn acknowledge_form(
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
    let text = RwSignal::new(words);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let apology = clean(&text.get_untracked());
        if apology.is_empty() {
            return;
        }
        record.run(EventKind::Acknowledged {
            by: member.actor(),
            apology,
        });
        // The same customer again: the case goes to a manager at once, with the reason.
        if repeat {
            record.run(EventKind::Escalated {
                by: member.actor(),
                reason: clean(i18n.get_locale().staff().repeat_escalation),
            });
        }
    };
    view! {
        <form id="srk-ack-form" class="srk-step" on:submit=submit>
            <h2>{st(i18n, |t| t.ack_title)}</h2>
            <p>{st(i18n, |t| t.ack_hint)}</p>
            <label for="srk-apology">{st(i18n, |t| t.ack_label)}</label>
            <textarea id="srk-apology" class="srk-input" rows="4" maxlength="2000" bind:value=text></textarea>
            <button class="srk-button" type="submit">{st(i18n, |t| t.ack_button)}</button>
        </form>
    }
}

fn note_form(
    i18n: I18n,
    member: StaffMember,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let text = RwSignal::new(String::new());
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
            <h2>{st(i18n, |t| t.note_title)}</h2>
            <p>{st(i18n, |t| t.note_hint)}</p>
            <label for="srk-note">{st(i18n, |t| t.note_label)}</label>
            <textarea id="srk-note" class="srk-input" rows="3" maxlength="2000" bind:value=text></textarea>
            <p class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{st(i18n, |t| t.note_button)}</button>
        </form>
    }
}

fn resolve_form(
    i18n: I18n,
    staff: Staff,
    member: StaffMember,
    c: &Case,
    manager_case: bool,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let lang = i18n.get_locale();
    let (currency, days) = staff
        .roster
        .with_untracked(|r| {
            r.profile
                .as_ref()
                .map(|p| (p.currency.clone(), p.follow_up_days))
        })
        .unwrap_or_else(|| ("EUR".into(), 3));
    let is_manager = member.role == Role::Manager;
    if manager_case && !is_manager {
        return Either::Left(view! {
            <div class="srk-step">
                <h2>{st(i18n, |t| t.resolve_title)}</h2>
                <p id="srk-manager-only" class="srk-alert">{st(i18n, |t| t.manager_only)}</p>
            </div>
        });
    }
    let can_follow_up = c.complaint.consent_to_contact && c.complaint.contact.is_some();
    let remedy = RwSignal::new(Remedy::Refund);
    let value = RwSignal::new(String::new());
    let gesture = RwSignal::new(String::new());
    let follow_up = RwSignal::new(can_follow_up);
    let error = RwSignal::new(None::<String>);
    let limit = member.limit_minor;
    let limit_text = clock::format_money(limit, &currency, lang.as_str());
    let limit_line = (!is_manager).then(|| {
        let limit_text = limit_text.clone();
        dynamic(move || {
            fill(
                i18n.get_locale().staff().limit_line,
                &[("limit", &limit_text)],
            )
        })
    });
    let submit = {
        let limit_text = limit_text.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let t = i18n.get_locale().staff();
            let Some(value_minor) = clock::parse_money(&value.get_untracked()) else {
                error.set(Some(t.value_invalid.to_string()));
                return;
            };
            if !member.actor().may_give(value_minor) {
                error.set(Some(fill(t.above_limit, &[("limit", &limit_text)])));
                return;
            }
            error.set(None);
            let now = clock::now();
            record.run(EventKind::Resolved {
                by: member.actor(),
                remedy: remedy.get_untracked(),
                value_minor,
                // Escalated cases get no delight script: no extra gesture field for them.
                gesture: if manager_case {
                    String::new()
                } else {
                    clean(&gesture.get_untracked())
                },
                follow_up_at: (can_follow_up && follow_up.get_untracked())
                    .then(|| now.plus_minutes(i64::from(days) * 24 * 60)),
            });
        }
    };
    let options = Remedy::ALL
        .into_iter()
        .map(|r| {
            view! {
                <option value=r.key() prop:selected=move || remedy.get() == r>
                    {move || remedy_name(i18n.get_locale().staff(), r)}
                </option>
            }
        })
        .collect_view();
    let pick = move |ev| {
        let key = event_target_value(&ev);
        if let Some(r) = Remedy::ALL.into_iter().find(|r| r.key() == key) {
            remedy.set(r);
        }
    };
    let value_label = {
        let currency = currency.clone();
        dynamic(move || {
            fill(
                i18n.get_locale().staff().value_label,
                &[("currency", &currency)],
            )
        })
    };
    Either::Right(view! {
        <form id="srk-resolve-form" class="srk-step" on:submit=submit novalidate>
            <h2>{st(i18n, |t| t.resolve_title)}</h2>
            <p>{st(i18n, |t| t.resolve_hint)}</p>
            <label for="srk-remedy">{st(i18n, |t| t.remedy_label)}</label>
            <select id="srk-remedy" class="srk-input" on:change=pick>{options}</select>
            <label for="srk-value">{value_label}</label>
            <input id="srk-value" class="srk-input" inputmode="decimal" autocomplete="off" bind:value=value />
            {limit_line.map(|l| view! { <p id="srk-limit">{l}</p> })}
            {(!manager_case).then(|| view! {
                <label for="srk-gesture">{st(i18n, |t| t.gesture_label)}</label>
                <input id="srk-gesture" class="srk-input" maxlength="120" autocomplete="off" bind:value=gesture />
            })}
            {can_follow_up.then(|| view! {
                <label class="srk-check">
                    <input id="srk-follow-up" type="checkbox" bind:checked=follow_up />
                    {dynamic(move || fill(i18n.get_locale().staff().follow_up_label, &[("days", &days)]))}
                </label>
            })}
            <p id="srk-resolve-problem" class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{st(i18n, |t| t.resolve_button)}</button>
        </form>
    })
}

fn escalate_form(
    i18n: I18n,
    member: StaffMember,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let reason = RwSignal::new(String::new());
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
            <h2>{st(i18n, |t| t.escalate_title)}</h2>
            <label for="srk-reason">{st(i18n, |t| t.reason_label)}</label>
            <input id="srk-reason" class="srk-input" maxlength="120" autocomplete="off" bind:value=reason />
            <p class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{st(i18n, |t| t.escalate_button)}</button>
        </form>
    }
}

fn rate_form(i18n: I18n, details: &Details, record: Callback<EventKind>) -> impl IntoView + use<> {
    let current = details.rating.clone();
    let stars = RwSignal::new(current.as_ref().map_or(0, |r| r.stars));
    let comment = RwSignal::new(current.map(|r| r.comment).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = stars.get_untracked();
        if n == 0 {
            error.set(Some(missing(i18n, |t| t.stars_label)));
            return;
        }
        error.set(None);
        record.run(EventKind::Rated {
            stars: n,
            comment: clean(&comment.get_untracked()),
        });
    };
    let choices = (1u8..=5)
        .map(|n| {
            let id = ["srk-star-", &n.to_string()].concat();
            view! {
                <label class="srk-choice" for=id.clone()>
                    <input id=id.clone() type="radio" name="srk-stars" value=n.to_string()
                        prop:checked=move || stars.get() == n
                        on:change=move |_| stars.set(n) />
                    <span>{dynamic(move || fill(i18n.get_locale().staff().star, &[("n", &n)]))}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <form id="srk-rate-form" class="srk-step" on:submit=submit>
            <h2>{st(i18n, |t| t.rate_title)}</h2>
            <p>{st(i18n, |t| t.rate_hint)}</p>
            <fieldset class="srk-choices">
                <legend>{st(i18n, |t| t.stars_label)}</legend>
                {choices}
            </fieldset>
            <label for="srk-comment">{st(i18n, |t| t.comment_label)}</label>
            <textarea id="srk-comment" class="srk-input" rows="2" maxlength="1000" bind:value=comment></textarea>
            <p class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{st(i18n, |t| t.rate_button)}</button>
        </form>
    }
}

fn follow_up_form(
    i18n: I18n,
    member: StaffMember,
    due: Timestamp,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let held = RwSignal::new(None::<bool>);
    let note = RwSignal::new(String::new());
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
    let choice = move |value: bool,
                       id: &'static str,
                       label: fn(&'static StaffTexts) -> &'static str| {
        view! {
            <label class="srk-choice" for=id>
                <input id=id type="radio" name="srk-held" prop:checked=move || held.get() == Some(value)
                    on:change=move |_| held.set(Some(value)) />
                <span>{st(i18n, label)}</span>
            </label>
        }
    };
    view! {
        <form id="srk-follow-form" class="srk-step" on:submit=submit>
            <h2>{st(i18n, |t| t.follow_title)}</h2>
            <p>{dynamic(move || {
                let lang = i18n.get_locale();
                fill(lang.staff().follow_due, &[("time", &clock::format(due, lang.as_str(), clock::Style::DateTime))])
            })}</p>
            <fieldset class="srk-choices">
                <legend>{st(i18n, |t| t.held_label)}</legend>
                {choice(true, "srk-held-yes", |t| t.held_yes)}
                {choice(false, "srk-held-no", |t| t.held_no)}
            </fieldset>
            <label for="srk-follow-note">{st(i18n, |t| t.follow_note_label)}</label>
            <textarea id="srk-follow-note" class="srk-input" rows="2" maxlength="2000" bind:value=note></textarea>
            <p class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{st(i18n, |t| t.follow_button)}</button>
        </form>
    }
}

/// Splits "Checkout, Stock room" into trimmed, non-empty names.
fn names(s: &str) -> Vec<String> {
    s.split(',').map(clean).filter(|n| !n.is_empty()).collect()
}

fn close_form(
    i18n: I18n,
    member: StaffMember,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let category = RwSignal::new(CauseCategory::Process);
    let sub_cause = RwSignal::new(String::new());
    let departments = RwSignal::new(String::new());
    let people = RwSignal::new(String::new());
    let explanation = RwSignal::new(String::new());
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
                    {move || cause_name(i18n.get_locale().staff(), c)}
                </option>
            }
        })
        .collect_view();
    let pick = move |ev| {
        let key = event_target_value(&ev);
        if let Some(c) = CauseCategory::ALL.into_iter().find(|c| c.key() == key) {
            category.set(c);
        }
    };
    view! {
        <form id="srk-close-form" class="srk-step" on:submit=submit novalidate>
            <h2>{st(i18n, |t| t.close_title)}</h2>
            <label for="srk-cause-category">{st(i18n, |t| t.cause_label)}</label>
            <select id="srk-cause-category" class="srk-input" on:change=pick>{options}</select>
            <label for="srk-sub-cause">{st(i18n, |t| t.sub_cause_label)}</label>
            <input id="srk-sub-cause" class="srk-input" maxlength="120" autocomplete="off" bind:value=sub_cause />
            <label for="srk-departments">{st(i18n, |t| t.departments_label)}</label>
            <input id="srk-departments" class="srk-input" autocomplete="off" bind:value=departments />
            <label for="srk-people">{st(i18n, |t| t.people_label)}</label>
            <input id="srk-people" class="srk-input" autocomplete="off" bind:value=people />
            <label for="srk-explanation">{st(i18n, |t| t.explanation_label)}</label>
            <textarea id="srk-explanation" class="srk-input" rows="3" maxlength="2000" bind:value=explanation></textarea>
            <p class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{st(i18n, |t| t.close_button)}</button>
        </form>
    }
}
