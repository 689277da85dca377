//! What the tablet says about its store at a glance, locked or not: the counts of what waits
//! (new, overdue, for a manager, follow-ups due) and the next deadline on the lock screen, the
//! count in the page's title, and a chime for each new complaint where the store wants one.
//!
//! It shows counts only, never a customer's words or details: a locked tablet is on the
//! counter for anyone to see. The counting is the core's (`Summary`).

use super::state::{LedgerView, Staff};
use crate::shared::i18n::{StaffTexts, fill, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::{activity, clock, env};
use leptos::prelude::*;
use recovery_core::{SlaPolicy, Summary};
use std::time::Duration;

/// The store's summary, kept up to date with the ledger, the store's targets and the clock.
pub(super) fn use_summary(staff: Staff) -> Memo<Summary> {
    // Deadlines pass without news: look again every 30 s.
    let tick = RwSignal::new(0u32);
    activity::use_interval(Duration::from_secs(30), move || tick.update(|t| *t += 1));
    Memo::new(move |_| {
        tick.track();
        let policy = staff.roster.with(|r| {
            r.profile
                .as_ref()
                .map_or_else(SlaPolicy::default, |p| p.sla)
        });
        let now = staff.now();
        staff
            .ledger
            .with(|LedgerView(l)| Summary::of(l.cases(), &policy, now))
    })
}

/// Keeps the page title on the store and what waits ("(3) Staff · Store"), in the reader's
/// language, and chimes when a new complaint arrives, if the store wants that.
pub(super) fn use_title_and_chime(
    staff: Staff,
    summary: Memo<Summary>,
    store_name: Signal<String>,
) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        let t = i18n.get_locale().staff();
        let waiting = summary.with(|s| s.waiting);
        let store = store_name.get();
        // A customer holding the tablet reads the store's name, not staff's counts.
        let title = if staff.handover.with(Option::is_some) {
            store
        } else if waiting == 0 {
            fill(t.title, &[("store", &store)])
        } else {
            fill(t.title_waiting, &[("count", &waiting), ("store", &store)])
        };
        env::set_title(&title);
    });
    // Only arrivals chime: not the first count after loading, nor a count that went down.
    Effect::new(move |before: Option<usize>| {
        let new = summary.with(|s| s.new);
        let chime = staff
            .roster
            .with_untracked(|r| r.profile.as_ref().is_some_and(|p| p.chime));
        if before.is_some_and(|before| new > before) && chime {
            env::chime();
        }
        new
    });
}

/// One of the staff texts.
type Label = fn(&'static StaffTexts) -> &'static str;

/// The lock screen's counts.
#[component]
pub(super) fn Glance(summary: Memo<Summary>) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |id: &'static str, label: Label, count: fn(&Summary) -> usize| {
        view! {
            <div class="srk-waiting__item">
                <dt>{move || label(i18n.get_locale().staff()).to_string()}</dt>
                <dd id=id>{move || summary.with(count)}</dd>
            </div>
        }
    };
    let next = move || {
        let lang = i18n.get_locale();
        summary.with(|s| match s.next_deadline {
            Some(at) => fill(
                lang.staff().waiting_next,
                &[(
                    "time",
                    &clock::format(at, lang.as_str(), clock::Style::DateTime),
                )],
            ),
            None => lang.staff().waiting_none.to_string(),
        })
    };
    view! {
        <section class="srk-card srk-waiting" aria-labelledby="srk-waiting-title">
            <h2 id="srk-waiting-title">{tr(i18n, |l| l.staff().waiting_title)}</h2>
            <dl class="srk-waiting__counts">
                {row("srk-waiting-new", |t| t.waiting_new, |s| s.new)}
                {row("srk-waiting-overdue", |t| t.waiting_overdue, |s| s.overdue)}
                {row("srk-waiting-manager", |t| t.waiting_manager, |s| s.for_manager)}
                {row("srk-waiting-follow-ups", |t| t.waiting_follow_ups, |s| s.follow_ups_due)}
            </dl>
            <p id="srk-waiting-next">{next}</p>
        </section>
    }
}
