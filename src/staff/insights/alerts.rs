//! The alerts for everyone signed in: a spike at a touchpoint in the last hour, a day outside
//! the control limits (worked out on this tablet), and a day on which the public went over the
//! store's daily budget (told by the server). It must never take the focus.

use super::{Choice, report, use_minute};
use crate::shared::i18n::{Locale, fill, plural, use_i18n};
use crate::shared::platform::clock;
use crate::staff::state::Staff;
use leptos::prelude::*;
use recovery_core::insights::{Alert, Direction, day_number};

/// The alerts for staff on the workspace: spikes and days outside the control limits,
/// worked out on this tablet over the last four weeks (the spike's baseline and a control
/// chart long enough for its limits), again whenever the ledger changes or a minute passes.
/// A polite live region: it never takes the focus.
#[component]
pub fn StaffAlerts() -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let minute = use_minute();
    let alerts = Memo::new(move |_| {
        let now = minute.get();
        let offset = clock::utc_offset_minutes(now);
        let today = day_number(now, offset);
        let choice = Choice::preset(28, today);
        report(&staff, &choice, now, offset).alerts
    });
    // The server's alerts of the last week: the public over the store's daily budget.
    let budget = Memo::new(move |_| {
        let since = minute.get().0 - 7 * 24 * 60 * 60 * 1000;
        staff.server_alerts.with(|all| {
            let mut days: Vec<String> = all
                .iter()
                .filter(|a| a.at_ms >= since)
                .map(|a| a.day.clone())
                .collect();
            days.dedup();
            days
        })
    });
    let list = move || {
        let lang = i18n.get_locale();
        let alerts = alerts.get();
        let budget = budget.get();
        (!alerts.is_empty() || !budget.is_empty()).then(|| {
            let items = alerts
                .iter()
                .map(|a| view! { <li class="srk-alert" data-kind=alert_kind(a)>{alert_text(lang, a)}</li> })
                .collect_view();
            let over_budget = budget
                .iter()
                .map(|day| {
                    let text = fill(lang.staff().insights.alert_budget, &[("date", day)]);
                    view! { <li class="srk-alert" data-kind="budget">{text}</li> }
                })
                .collect_view();
            view! {
                <section class="srk-card srk-alerts" aria-labelledby="srk-alerts-title">
                    <h2 id="srk-alerts-title">{lang.staff().insights.alerts_title}</h2>
                    <ul id="srk-alerts">{over_budget}{items}</ul>
                </section>
            }
        })
    };
    view! { <div role="status">{list}</div> }
}

fn alert_kind(alert: &Alert) -> &'static str {
    match alert {
        Alert::Spike { .. } => "spike",
        Alert::OutOfControl { .. } => "out_of_control",
    }
}

/// An alert in words.
pub fn alert_text(lang: Locale, alert: &Alert) -> String {
    let t = &lang.staff().insights;
    match alert {
        Alert::Spike {
            touchpoint,
            count,
            expected,
            window_minutes,
            ..
        } => fill(
            // "Usually about 0.0" says nothing: a place with no usual complaints says so.
            match (*expected < 0.05, *count == 1) {
                (true, true) => t.alert_spike_none_one,
                (true, false) => t.alert_spike_none,
                (false, true) => t.alert_spike_one,
                (false, false) => t.alert_spike,
            },
            &[
                ("place", &crate::staff::state::place(touchpoint)),
                ("count", count),
                ("minutes", window_minutes),
                ("expected", &format!("{expected:.1}")),
            ],
        ),
        Alert::OutOfControl {
            date,
            count,
            ucl,
            lcl,
            direction,
            ..
        } => {
            let (text, limit) = match direction {
                Direction::Up => (plural(*count as usize, t.alert_up_one, t.alert_up), ucl),
                Direction::Down => (plural(*count as usize, t.alert_down_one, t.alert_down), lcl),
            };
            fill(
                text,
                &[
                    ("date", date),
                    ("count", count),
                    ("limit", &format!("{limit:.1}")),
                ],
            )
        }
    }
}
