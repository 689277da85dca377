//! The store's open cases by section, most urgent first, and a search for any case: the
//! workspace's resting screen.
//!
//! The order, the sections, the deadlines, which cases are repeats and which a search finds
//! are the core's (`queue`, `repeat_cases`, `find`); this only draws them. Opening a case only
//! changes the screen.

use super::state::{LedgerView, Reading, Screen, Staff};
use crate::shared::i18n::{I18n, fill, use_i18n};
use crate::shared::labels::{self, Names, tr};
use crate::shared::platform::{clock, env};
use leptos::either::Either;
use leptos::prelude::*;
use recovery_core::{
    Case, CaseId, Due, QueueItem, Section, Severity, SlaPolicy, find, queue, repeat_cases,
};

/// Cases a section shows until someone asks for all of them: a store with thousands open still
/// draws its queue at once, most urgent first.
const SHOWN: usize = 50;

/// A section of the queue: how many cases it holds, those it shows, and the first it does not.
type Group = (Section, usize, Vec<(QueueItem, Case)>, Option<CaseId>);

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

/// What the tablet is still reading, while it reads: search and insights lack those cases.
#[component]
pub(super) fn ReadingNote() -> impl IntoView {
    let i18n = use_i18n();
    let reading = expect_context::<Staff>().reading;
    move || {
        let staff = i18n.get_locale().staff();
        let text = match reading.get() {
            Reading::Nothing => return None,
            Reading::Kept => staff.reading_kept,
            Reading::Store => staff.reading_store,
        };
        Some(view! { <p id="srk-reading" role="status">{text}</p> })
    }
}

/// The queue screen: a search box, then the queue by section (or, while the box holds
/// something, the cases it finds, open or closed).
#[component]
pub(super) fn Queue(repeats: Memo<Vec<CaseId>>) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let ledger = staff.ledger;
    let search = staff.search;
    // The sections someone asked to see whole; the others show their most urgent cases.
    let whole = RwSignal::new(Vec::<Section>::new());
    let sections = move || {
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
            // Each section with its count and the cases it shows.
            let mut groups: Vec<Group> = Vec::new();
            let wanted = whole.get();
            for item in q {
                if groups.last().is_none_or(|(section, ..)| *section != item.section) {
                    groups.push((item.section, 0, Vec::new(), None));
                }
                let Some((section, count, rows, hidden)) = groups.last_mut() else {
                    continue;
                };
                *count += 1;
                if rows.len() < SHOWN || wanted.contains(section) {
                    if let Some(case) = l.case(item.case) {
                        rows.push((item, case.clone()));
                    }
                } else if hidden.is_none() {
                    *hidden = Some(item.case);
                }
            }
            Either::Right(
                groups
                    .into_iter()
                    .map(|(section, count, rows, hidden)| {
                        let id = ["srk-section-", section.key()].concat();
                        let labelled_by = id.clone();
                        // Shown whole, focus moves to the first case that was not shown.
                        let show_all = move |_| {
                            whole.update(|w| w.push(section));
                            if let Some(case) = hidden {
                                env::after_paint(move || env::focus(&open_id(case)));
                            }
                        };
                        let more = hidden.map(|_| view! {
                            <button class="srk-button srk-button--quiet srk-queue__more" type="button"
                                on:click=show_all>
                                {fill(lang.staff().show_all, &[("count", &count.to_string())])}
                            </button>
                        });
                        let rows = rows
                            .iter()
                            .map(|(item, case)| queue_row(i18n, staff, item, case))
                            .collect_view();
                        view! {
                            <section class="srk-queue__section" aria-labelledby=labelled_by>
                                <h2 id=id>{lang.staff().section.name(section)} " " <span class="srk-badge">{count}</span></h2>
                                <ol class="srk-queue">{rows}</ol>
                                {more}
                            </section>
                        }
                    })
                    .collect_view(),
            )
        })
    };
    let found = move || {
        let query = search.get();
        let lang = i18n.get_locale();
        let t = lang.staff();
        ledger.with(|LedgerView(l)| {
            let cases = find(l.cases(), &query);
            if cases.is_empty() {
                return Either::Left(view! {
                    <p id="srk-found-none" role="status">{fill(t.search_none, &[("query", &query.trim())])}</p>
                });
            }
            let rows = cases
                .into_iter()
                .map(|case| found_row(i18n, staff, case))
                .collect_view();
            Either::Right(view! {
                <h2 id="srk-found-title">{t.search_found}</h2>
                <ol id="srk-found" class="srk-queue" aria-labelledby="srk-found-title">{rows}</ol>
            })
        })
    };
    let body = move || {
        if search.with(|q| q.trim().is_empty()) {
            Either::Left(sections())
        } else {
            Either::Right(found())
        }
    };
    view! {
        <section class="srk-card" aria-labelledby="srk-queue-title">
            <h1 id="srk-queue-title" tabindex="-1">{tr(i18n, |l| l.staff().queue_title)}</h1>
            <div class="srk-queue__search">
                <label class="srk-field__label" for="srk-queue-search">{tr(i18n, |l| l.staff().search_label)}</label>
                <input
                    id="srk-queue-search"
                    class="srk-input"
                    type="search"
                    autocomplete="off"
                    prop:value=search
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
            </div>
            <ReadingNote />
            <div id="srk-queue">{body}</div>
        </section>
    }
}

/// A case the search found: its code, what it was about, where it stands and the customer's
/// name.
fn found_row(i18n: I18n, staff: Staff, case: &Case) -> impl IntoView + use<> {
    let lang = i18n.get_locale();
    let t = lang.staff();
    let id = case.id;
    view! {
        <li class="srk-queue__item" data-ticket=case.ticket.to_string()>
            <button class="srk-button srk-button--quiet" type="button" on:click=move |_| staff.screen.set(Screen::Case(id))>
                {fill(t.open_case, &[("ticket", &case.ticket)])}
            </button>
            " "
            <span>{labels::category(i18n, case.complaint.category)}</span>
            <span class="srk-queue__due">{t.status.name(case.status)}</span>
            {case.complaint.name.clone().map(|name| view! { <span class="srk-queue__place">{name}</span> })}
        </li>
    }
}

/// The id of a queue row's button.
fn open_id(case: CaseId) -> String {
    ["srk-open-", &case.to_string()].concat()
}

fn queue_row(i18n: I18n, staff: Staff, item: &QueueItem, case: &Case) -> impl IntoView + use<> {
    let lang = i18n.get_locale();
    let t = lang.staff();
    let time = clock::format(item.due_at, lang.as_str(), clock::Style::DateTime);
    let due = fill(
        match item.due {
            Due::Acknowledge => t.due_acknowledge,
            Due::Resolve => t.due_resolve,
            Due::FollowUp => t.due_follow_up,
            Due::Document => t.due_document,
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
            <button id=open_id(id) class="srk-button srk-button--quiet" type="button" on:click=move |_| staff.screen.set(Screen::Case(id))>
                {fill(t.open_case, &[("ticket", &case.ticket)])}
            </button>
            " "
            <span>{labels::category(i18n, case.complaint.category)}</span>
            <span class="srk-queue__due">{due}</span>
            {item.overdue.then(|| view! { <span class="srk-badge srk-badge--alert">{t.overdue}</span> })}
            <span class="srk-badge">{severity}</span>
            {item.repeat.then(|| view! { <span class="srk-badge srk-badge--alert">{t.repeat}</span> })}
            <span class="srk-queue__place">{super::state::place(&case.touchpoint)}</span>
            <p class="srk-queue__text">{case.complaint.description.clone()}</p>
        </li>
    }
}
