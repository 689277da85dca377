//! The insights screen: the selection, the report on show (this tablet's, or the server's for
//! the same selection), the dashboard and the exports. The report is the core's; this must
//! never work figures out itself.

use super::changes::Changes;
use super::dashboard::dashboard;
use super::export::Export;
use super::filters::Filters;
use super::{Choice, api_url, offset, report, today};
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::{clock, net};
use crate::staff::device;
use crate::staff::queue::ReadingNote;
use crate::staff::state::Staff;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::Timestamp;
use recovery_core::insights::{Insights, date, day_number};
use std::time::Duration;

/// Where the report on screen comes from.
#[derive(Clone, Debug, PartialEq)]
struct FromServer {
    /// The selection it was asked for.
    choice: Choice,
    /// The server's report.
    report: Insights,
    /// When it arrived.
    at: Timestamp,
}

/// The insights screen (see the module documentation).
#[component]
pub fn InsightsScreen(
    /// Leaves the screen for the queue.
    on_back: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    // The report is worked out again when the selection or the cases change, not on a timer:
    // with 100,000 cases that takes most of a second, and the line above the charts says when
    // it was worked out.
    let choice = RwSignal::new(Choice::preset(90, today()));
    let server = RwSignal::new(None::<FromServer>);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<&'static str>);
    let saved = RwSignal::new(None::<String>);
    // The store's marked changes (the last ones read; `Changes` asks the server again).
    let markers = RwSignal::new(device::kept_markers(&staff.store()));

    // How long the last report took to work out here, in milliseconds (the benchmark reads
    // it from the page).
    let compute_ms = RwSignal::new(0i64);
    let tablet = Memo::new(move |_| {
        let now = staff.now();
        let c = choice.get();
        let started = clock::now();
        let report = report(&staff, &c, now, clock::utc_offset_minutes(now));
        compute_ms.set(clock::now().0 - started.0);
        (report, now)
    });
    // The server's report while it answers the selection on screen, else the tablet's.
    let shown = Memo::new(move |_| {
        let c = choice.get();
        match server.get() {
            Some(s) if s.choice == c => (s.report, s.at, true),
            _ => {
                let (report, at) = tablet.get();
                (report, at, false)
            }
        }
    });

    let token = move || staff.roster.with_untracked(|r| r.token.clone());
    let refresh = move |_| {
        let (Some(token), false) = (token(), busy.get_untracked()) else {
            problem.set(Some(i18n.get_locale().staff().insights.server_failed));
            return;
        };
        let asked = choice.get_untracked();
        let url = api_url(staff, choice, "insights");
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            let reply = net::request(
                &url,
                None,
                Some(net::Auth::Bearer(&token)),
                Duration::from_secs(30),
            )
            .await;
            let report = reply
                .ok()
                .filter(|r| r.status == 200)
                .and_then(|r| serde_json::from_str::<Insights>(&r.body).ok());
            match report {
                Some(report) => server.set(Some(FromServer {
                    choice: asked,
                    report,
                    at: clock::now(),
                })),
                None => problem.set(Some(i18n.get_locale().staff().insights.server_failed)),
            }
            busy.set(false);
        });
    };

    let store_name = move || {
        staff.roster.with(|r| {
            r.profile
                .as_ref()
                .map_or_else(|| staff.store().to_string(), |p| p.name.clone())
        })
    };
    let title = move || {
        fill(
            i18n.get_locale().staff().insights.title,
            &[("store", &store_name())],
        )
    };
    let source = move || {
        let lang = i18n.get_locale();
        let t = &lang.staff().insights;
        let (_, at, from_server) = shown.get();
        let time = clock::format(at, lang.as_str(), clock::Style::DateTime);
        fill(
            if from_server {
                t.source_server
            } else {
                t.source_tablet
            },
            &[("time", &time)],
        )
    };
    let body = move || {
        let lang = i18n.get_locale();
        let currency = staff.roster.with(|r| {
            r.profile
                .as_ref()
                .map_or_else(|| "EUR".to_string(), |p| p.currency.clone())
        });
        // The marked changes on the charts' days (store-local, as the report's dates are).
        let changes: Vec<(String, String)> = markers.with(|list| {
            list.iter()
                .map(|m| {
                    (
                        date(day_number(m.change.at, offset())),
                        m.change.label.clone(),
                    )
                })
                .collect()
        });
        let plan = staff.roster.with(|r| {
            r.profile
                .as_ref()
                .map(|p| p.shifts.clone())
                .unwrap_or_default()
        });
        shown.with(|(report, _, _)| dashboard(i18n, lang, report, &currency, &changes, &plan))
    };
    let show_tablet = move |_| server.set(None);

    view! {
        <section class="srk-card srk-insights" aria-labelledby="srk-insights-title">
            <h1 id="srk-insights-title" tabindex="-1">{title}</h1>
            <p>{tr(i18n, |l| l.staff().insights.intro)}</p>
            <p class="srk-note">{tr(i18n, |l| l.staff().insights.store_note)}</p>
            <div class="srk-actions">
                <button class="srk-button srk-button--quiet" type="button" on:click=move |_| on_back()>
                    {tr(i18n, |l| l.staff().insights.back)}
                </button>
            </div>
            <Filters choice />
            <div class="srk-actions">
                <button id="srk-insights-refresh" class="srk-button" type="button" on:click=refresh prop:disabled=busy>
                    {tr(i18n, |l| l.staff().insights.refresh_server)}
                </button>
                {move || shown.get().2.then(|| view! {
                    <button class="srk-button srk-button--quiet" type="button" on:click=show_tablet>
                        {tr(i18n, |l| l.staff().insights.show_tablet)}
                    </button>
                })}
            </div>
            <p id="srk-insights-source" role="status" data-compute-ms=move || compute_ms.get().to_string()>
                {move || if busy.get() { i18n.get_locale().staff().insights.server_busy.to_string() } else { source() }}
            </p>
            <p id="srk-insights-problem" class="srk-error" role="alert">{move || problem.get()}</p>
            <ReadingNote />
            {body}
            <Changes markers />
            <Export choice busy problem saved />
        </section>
    }
}
