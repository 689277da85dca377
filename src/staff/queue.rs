//! The store's open cases, most urgent first: the workspace's resting screen.
//!
//! The order, the deadlines and which cases are repeats are the core's (`queue`,
//! `repeat_cases`); this only draws them. Opening a case only changes the screen.

use super::state::{LedgerView, Screen, Staff};
use crate::shared::i18n::{I18n, fill, use_i18n};
use crate::shared::labels;
use crate::shared::labels::tr;
use crate::shared::platform::clock;
use leptos::either::Either;
use leptos::prelude::*;
use recovery_core::{Case, CaseId, Due, Severity, SlaPolicy, queue, repeat_cases};

/// The store's service levels and contact salt, from its profile (tracked).
fn settings(staff: Staff) -> (SlaPolicy, String) {
    staff.roster.with(|r| {
        r.profile
            .as_ref()
            .map_or((SlaPolicy::default(), String::new()), |p| {
                (p.sla, p.contact_salt.clone())
            })
    })
}

/// The cases whose customer complained before, sorted (worked out again when the ledger or the
/// store's salt changes).
pub(super) fn repeats(staff: Staff) -> Memo<Vec<CaseId>> {
    let ledger = staff.ledger;
    Memo::new(move |_| {
        let salt = settings(staff).1;
        ledger.with(|LedgerView(l)| repeat_cases(l.cases(), &salt))
    })
}

/// The queue screen.
#[component]
pub(super) fn Queue(repeats: Memo<Vec<CaseId>>) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let ledger = staff.ledger;
    let items = move || {
        let now = staff.now();
        let lang = i18n.get_locale();
        let policy = settings(staff).0;
        ledger.with(|LedgerView(l)| {
            let q = repeats.with(|repeats| queue(l.cases(), &policy, repeats, now));
            if q.is_empty() {
                return Either::Left(view! {
                    <p id="srk-queue-empty">{lang.staff().queue_empty}</p>
                });
            }
            Either::Right(
                q.into_iter()
                    .filter_map(|item| l.case(item.case).map(|c| (item, c.clone())))
                    .map(|(item, case)| queue_row(i18n, staff, &item, &case))
                    .collect_view(),
            )
        })
    };
    view! {
        <section class="srk-card" aria-labelledby="srk-queue-title">
            <h1 id="srk-queue-title" tabindex="-1">{tr(i18n, |l| l.staff().queue_title)}</h1>
            <ol id="srk-queue" class="srk-queue">{items}</ol>
        </section>
    }
}

fn queue_row(
    i18n: I18n,
    staff: Staff,
    item: &recovery_core::QueueItem,
    case: &Case,
) -> impl IntoView + use<> {
    let lang = i18n.get_locale();
    let t = lang.staff();
    let time = clock::format(item.due_at, lang.as_str(), clock::Style::DateTime);
    let due = fill(
        match item.due {
            Due::Acknowledge => t.due_acknowledge,
            Due::Resolve => t.due_resolve,
            Due::FollowUp => t.due_follow_up,
        },
        &[("time", &time)],
    );
    let severity = match item.severity {
        Severity::High => t.severity_high,
        Severity::Medium => t.severity_medium,
        Severity::Low => t.severity_low,
    };
    let id = case.id;
    let class = if item.overdue {
        "srk-queue__item srk-queue__item--overdue"
    } else {
        "srk-queue__item"
    };
    view! {
        <li class=class data-ticket=case.ticket.to_string()>
            <button class="srk-button srk-button--quiet" type="button" on:click=move |_| staff.screen.set(Screen::Case(id))>
                {fill(t.open_case, &[("ticket", &case.ticket)])}
            </button>
            " "
            <span>{labels::category(i18n, case.complaint.category)}</span>
            <span class="srk-queue__due">{due}</span>
            {item.overdue.then(|| view! { <span class="srk-badge srk-badge--alert">{t.overdue}</span> })}
            <span class="srk-badge">{severity}</span>
            {item.repeat.then(|| view! { <span class="srk-badge srk-badge--alert">{t.repeat}</span> })}
            <span class="srk-queue__place">{case.touchpoint.to_string()}</span>
            <p class="srk-queue__text">{case.complaint.description.clone()}</p>
        </li>
    }
}
