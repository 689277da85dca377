//! One case on the staff tablet: what the customer told us, where it stands, what has been
//! done, and the form for the next of the four recovery steps.
//!
//! Every form builds an event and hands it to `Staff::record`, which checks it with the core's
//! workflow first (an impossible step is refused here, in words, before it is kept) and then
//! keeps and sends it like any other step. The forms (one file each) only gather and check
//! what was typed; they must never keep or send a step themselves.

mod acknowledge;
mod close;
mod contact;
mod escalate;
mod follow_up;
mod note;
pub(super) mod rate;
mod resolve;
mod summary;
#[cfg(all(test, target_arch = "wasm32"))]
mod tests;

use super::state::{LedgerView, Screen, Staff};
use super::text::refusal;
use crate::shared::i18n::{I18n, StaffTexts, fill, use_i18n};
use crate::shared::labels::tr;
use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;
use recovery_core::{
    Case, CaseId, Details, EventKind, StaffMember, Status, cause_for, lists, same_name,
};

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
            return Either::Left(view! { <p>{tr(i18n, |l| l.staff().transition.not_filed)}</p> });
        };
        Either::Right(summary::case_body(
            i18n, staff, &member, c, details, repeat, problem,
        ))
    };
    view! {
        <section class="srk-card srk-case" aria-labelledby="srk-case-title">
            <button id="srk-back" class="srk-button srk-button--quiet" type="button" on:click=move |_| staff.screen.set(Screen::Queue)>
                {tr(i18n, |l| l.staff().back)}
            </button>
            {body}
            <p id="srk-step-problem" class="srk-error" role="alert">{move || problem.get()}</p>
        </section>
    }
}

/// What every form of the case hands its step to: kept and sent, its drafts ended, or the
/// refusal said in words.
fn recorder(
    i18n: I18n,
    staff: Staff,
    author: StaffMember,
    case: CaseId,
    problem: RwSignal<Option<String>>,
) -> Callback<EventKind> {
    Callback::new(move |kind: EventKind| {
        let used = kind.clone();
        match staff.record(case, kind) {
            Ok(()) => {
                super::drafts::on_recorded(&staff, &author, case, &used);
                problem.set(None);
            }
            Err(e) => problem.set(Some(refusal(i18n.get_locale().staff(), &e))),
        }
    })
}

/// A try to reach the customer, on any case not closed whose customer did not ask to hear
/// nothing more.
fn contact_step(
    i18n: I18n,
    member: StaffMember,
    c: &Case,
    record: Callback<EventKind>,
) -> Option<impl IntoView + use<>> {
    (c.status != Status::Closed && (c.complaint.may_contact() || c.complaint.contact.is_none()))
        .then(|| contact::contact_form(i18n, member, c.id, c.complaint.contact.as_ref(), record))
}

/// The form for the next step, from where the case stands.
fn next_step(
    i18n: I18n,
    staff: Staff,
    member: StaffMember,
    c: &Case,
    details: &Details,
    repeat: bool,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let case = c.id;
    match c.status {
        Status::Filed => EitherOf4::A(acknowledge::acknowledge_form(
            i18n, member, c, repeat, record,
        )),
        Status::Acknowledged | Status::Understood | Status::Reopened => EitherOf4::B({
            let manager_case = c.needs_manager() || repeat;
            let escalated = c.escalated;
            view! {
                {note::note_form(i18n, member.clone(), case, record)}
                {resolve::resolve_form(i18n, staff, member.clone(), c, manager_case, record)}
                {(!escalated).then(|| escalate::escalate_form(i18n, member, case, record))}
            }
        }),
        Status::Resolved => EitherOf4::C({
            let (guess, mut lists) = staff
                .ledger
                .with_untracked(|LedgerView(l)| (cause_for(l, c), lists(l, &c.store)));
            // The store's staff are on its list of people, after the names used most.
            let roster = staff.roster.with_untracked(|r| r.staff.clone());
            for m in roster {
                if !lists.people.iter().any(|n| same_name(n, &m.name)) {
                    lists.people.push(m.name);
                }
            }
            view! {
                {rate::rate_form(i18n, case, details, record, false)}
                {c.follow_up_at.map(|due| follow_up::follow_up_form(i18n, member.clone(), case, due, record))}
                {close::close_form(i18n, member, case, guess, lists, record)}
            }
        }),
        Status::Closed => EitherOf4::D(
            c.follow_up_at
                .map(|due| follow_up::follow_up_form(i18n, member, case, due, record)),
        ),
    }
}

/// Which of a form's fields is missing, in words.
fn missing(i18n: I18n, label: fn(&'static StaffTexts) -> &'static str) -> String {
    let t = i18n.get_locale().staff();
    fill(t.missing, &[("field", &label(t))])
}
