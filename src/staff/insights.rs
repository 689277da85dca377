//! The manager's insights screen and the staff alerts.
//!
//! The report is the core's `insights` over the ledger this tablet holds, so the screen works
//! offline; "Refresh from server" swaps in the server's report for the same selection (every
//! device's cases, aggregated there with the same core code) and says which one is shown and
//! from when. Filters: period (presets or dates), touchpoint (from the store profile) and the
//! staff member on shift (from the roster). A store tablet belongs to one store, so there is
//! no store filter; the note on screen says so.
//!
//! Who sees what: managers open the screen from the workspace (it exports every case's
//! documentation and compares staff shifts); every signed-in person sees the alerts (a spike
//! at a touchpoint in the last hour, a day outside the control limits) on the workspace.
//!
//! Exports: "Download CSV/JSON" write the core's `export` of the selection from this tablet;
//! the server's export of the same selection is fetched with the session token and saved the
//! same way (a plain link could not carry the token). Names and contact details never leave:
//! the core's rows do not hold them.

use super::charts::{
    BarRow, BoneView, ControlDay, ParetoBar, Table, control, figure, fishbone, hbars, heatmap,
    pareto,
};
use super::state::{LedgerView, Staff};
use super::text::{cause_name, remedy_name, st};
use crate::i18n::{I18n, Locale, fill, use_i18n};
use crate::labels;
use crate::platform::{activity, clock, download, net};
use crate::route::humanize;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::insights::{
    Alert, Bar, Direction, Filter, Insights, Query, date, day_number, day_start, export, insights,
    parse_date, to_csv,
};
use recovery_core::{Category, CauseCategory, FairSolution, Remedy, Slug, Timestamp};
use std::time::Duration;

/// The period presets, in days back from today (today included); 0 is all time.
pub const PRESETS: [u32; 4] = [7, 30, 90, 0];

/// What the screen shows: store-local dates (`YYYY-MM-DD`, empty for open ends), and a
/// touchpoint and a staff member (empty for any).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choice {
    /// First day, inclusive.
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    /// A touchpoint's slug.
    pub touchpoint: String,
    /// A staff member's id.
    pub staff: String,
}

impl Choice {
    /// The last `days` days up to `today` (a day number), or all time for 0.
    pub fn preset(days: u32, today: i64) -> Choice {
        if days == 0 {
            return Choice::default();
        }
        Choice {
            from: date(today - i64::from(days) + 1),
            to: date(today),
            ..Choice::default()
        }
    }

    /// Which preset this period is, if any.
    pub fn preset_days(&self, today: i64) -> Option<u32> {
        PRESETS.into_iter().find(|&d| {
            let p = Choice::preset(d, today);
            p.from == self.from && p.to == self.to
        })
    }

    /// The core's filter: dates are whole store-local days on a clock `offset` minutes east.
    pub fn filter(&self, store: &Slug, offset: i16) -> Filter {
        let slug = |s: &str| Slug::parse(s).ok();
        Filter {
            from: parse_date(&self.from).map(|d| day_start(d, offset)),
            to: parse_date(&self.to).map(|d| day_start(d + 1, offset)),
            store: Some(store.clone()),
            touchpoint: slug(&self.touchpoint),
            staff: slug(&self.staff),
        }
    }

    /// The same selection as the server's query string (see `GET .../insights`).
    pub fn query_string(&self, offset: i16) -> String {
        let mut parts = vec![format!("tz={offset}")];
        for (key, value) in [
            ("from", &self.from),
            ("to", &self.to),
            ("touchpoint", &self.touchpoint),
            ("staff", &self.staff),
        ] {
            // Dates and slugs need no escaping; anything else is left out, as the filter does.
            let ok = match key {
                "from" | "to" => parse_date(value).is_some(),
                _ => Slug::parse(value).is_ok(),
            };
            if ok {
                parts.push(format!("{key}={value}"));
            }
        }
        parts.join("&")
    }
}

/// The name of an exported file: `<store>-cases-<date>.<ext>` (`-server` before the dot for
/// the server's export).
pub fn file_name(store: &Slug, today: &str, server: bool, ext: &str) -> String {
    let from = if server { "-server" } else { "" };
    [store.as_str(), "-cases-", today, from, ".", ext].concat()
}

/// A duration in whole units people read: minutes below two hours, hours below two days,
/// days beyond; the number and which unit.
pub fn duration_parts(ms: i64) -> (String, Unit) {
    let minutes = ms as f64 / 60_000.0;
    if minutes < 120.0 {
        (format!("{:.0}", minutes.round()), Unit::Minutes)
    } else if minutes < 2_880.0 {
        (format!("{:.1}", minutes / 60.0), Unit::Hours)
    } else {
        (format!("{:.1}", minutes / 1_440.0), Unit::Days)
    }
}

/// The unit of [`duration_parts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Days.
    Days,
}

/// A share as a percentage with one decimal (`37.5 %`).
pub fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

/// The report for `choice` over the ledger at `now`.
fn report(staff: &Staff, choice: &Choice, now: Timestamp, offset: i16) -> Insights {
    let store = staff.store();
    let salt = staff.roster.with_untracked(|r| {
        r.profile
            .as_ref()
            .map(|p| p.contact_salt.clone())
            .unwrap_or_default()
    });
    let mut query = Query::new(now, offset);
    query.filter = choice.filter(&store, offset);
    query.contact_salt = salt;
    staff.ledger.with(|LedgerView(l)| insights(l, &query))
}

/// A minute-by-minute clock signal, so reports that depend on "now" move on by themselves.
fn use_minute() -> RwSignal<Timestamp> {
    let now = RwSignal::new(clock::now());
    activity::use_interval(Duration::from_secs(60), move || now.set(clock::now()));
    now
}

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
    let list = move || {
        let lang = i18n.get_locale();
        let alerts = alerts.get();
        (!alerts.is_empty()).then(|| {
            let items = alerts
                .iter()
                .map(|a| view! { <li class="srk-alert" data-kind=alert_kind(a)>{alert_text(lang, a)}</li> })
                .collect_view();
            view! {
                <section class="srk-card srk-alerts" aria-labelledby="srk-alerts-title">
                    <h2 id="srk-alerts-title">{lang.staff().insights.alerts_title}</h2>
                    <ul id="srk-alerts">{items}</ul>
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
            t.alert_spike,
            &[
                ("place", &humanize(touchpoint)),
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
                Direction::Up => (t.alert_up, ucl),
                Direction::Down => (t.alert_down, lcl),
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
    let offset = move || clock::utc_offset_minutes(clock::now());
    let today = move || day_number(clock::now(), offset());
    let choice = RwSignal::new(Choice::preset(90, today()));
    let server = RwSignal::new(None::<FromServer>);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<&'static str>);
    let saved = RwSignal::new(None::<String>);

    // How long the last report took to work out here, in milliseconds (the benchmark reads
    // it from the page).
    let compute_ms = RwSignal::new(0i64);
    let tablet = Memo::new(move |_| {
        let now = clock::now();
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
    let api = move |what: &str| {
        [
            "/api/v1/stores/",
            staff.store().as_str(),
            "/",
            what,
            "?",
            &choice.get_untracked().query_string(offset()),
        ]
        .concat()
    };
    let refresh = move |_| {
        let (Some(token), false) = (token(), busy.get_untracked()) else {
            problem.set(Some(i18n.get_locale().staff().insights.server_failed));
            return;
        };
        let asked = choice.get_untracked();
        let url = api("insights");
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            let reply = net::request(&url, None, Some(&token), Duration::from_secs(30)).await;
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
    let today_date = move || date(today());
    let save_here = move |ext: &'static str| {
        let t = &i18n.get_locale().staff().insights;
        let now = clock::now();
        let off = clock::utc_offset_minutes(now);
        let mut query = Query::new(now, off);
        query.filter = choice.get_untracked().filter(&staff.store(), off);
        query.contact_salt = staff.roster.with_untracked(|r| {
            r.profile
                .as_ref()
                .map(|p| p.contact_salt.clone())
                .unwrap_or_default()
        });
        let rows = staff
            .ledger
            .with_untracked(|LedgerView(l)| export(l, &query));
        let (text, mime) = if ext == "csv" {
            (
                ["\u{feff}", &to_csv(&rows)].concat(),
                "text/csv;charset=utf-8",
            )
        } else {
            (
                serde_json::to_string_pretty(&rows).unwrap_or_default(),
                "application/json",
            )
        };
        let name = file_name(&staff.store(), &today_date(), false, ext);
        match download::save_text(&name, mime, &text) {
            Ok(()) => {
                problem.set(None);
                saved.set(Some(fill(
                    t.export_done,
                    &[("file", &name), ("count", &rows.len())],
                )));
            }
            Err(_) => problem.set(Some(t.export_failed)),
        }
    };
    let save_server = move |ext: &'static str| {
        let failed = i18n.get_locale().staff().insights.export_failed;
        let Some(token) = token() else {
            problem.set(Some(failed));
            return;
        };
        let url = api(if ext == "csv" {
            "export.csv"
        } else {
            "export.json"
        });
        let name = file_name(&staff.store(), &today_date(), true, ext);
        busy.set(true);
        spawn_local(async move {
            let reply = net::request(&url, None, Some(&token), Duration::from_secs(60)).await;
            let mime = if ext == "csv" {
                "text/csv;charset=utf-8"
            } else {
                "application/json"
            };
            let ok = match reply {
                Ok(r) if r.status == 200 => download::save_text(&name, mime, &r.body).is_ok(),
                _ => false,
            };
            if ok {
                problem.set(None);
                let t = &i18n.get_locale().staff().insights;
                saved.set(Some(fill(t.export_server_done, &[("file", &name)])));
            } else {
                problem.set(Some(failed));
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
    let preset_value = move || {
        choice
            .get()
            .preset_days(today())
            .map_or_else(|| "custom".to_string(), |d| d.to_string())
    };
    let on_preset = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if let Ok(days) = value.parse::<u32>() {
            let old = choice.get_untracked();
            choice.set(Choice {
                touchpoint: old.touchpoint,
                staff: old.staff,
                ..Choice::preset(days, today())
            });
        }
    };
    let presets = move || {
        let t = &i18n.get_locale().staff().insights;
        let mut options: Vec<(String, &'static str)> = PRESETS
            .iter()
            .map(|&d| {
                let label = match d {
                    7 => t.period_7,
                    30 => t.period_30,
                    90 => t.period_90,
                    _ => t.period_all,
                };
                (d.to_string(), label)
            })
            .collect();
        options.push(("custom".into(), t.period_custom));
        let current = preset_value();
        options
            .into_iter()
            .map(|(value, label)| {
                let selected = value == current;
                view! { <option value=value selected=selected>{label}</option> }
            })
            .collect_view()
    };
    let touchpoints = move || {
        let t = &i18n.get_locale().staff().insights;
        let current = choice.get().touchpoint;
        let list = staff.roster.with(|r| {
            r.profile
                .as_ref()
                .map(|p| p.touchpoints.clone())
                .unwrap_or_default()
        });
        let any =
            view! { <option value="" selected=current.is_empty()>{t.any_touchpoint}</option> };
        let each = list
            .into_iter()
            .map(|tp| {
                let selected = tp.as_str() == current;
                view! { <option value=tp.to_string() selected=selected>{humanize(&tp)}</option> }
            })
            .collect_view();
        view! { {any}{each} }
    };
    let people = move || {
        let t = &i18n.get_locale().staff().insights;
        let current = choice.get().staff;
        let list = staff.roster.with(|r| r.staff.clone());
        let any = view! { <option value="" selected=current.is_empty()>{t.any_staff}</option> };
        let each = list
            .into_iter()
            .map(|m| {
                let selected = m.id.as_str() == current;
                view! { <option value=m.id.to_string() selected=selected>{m.name.clone()}</option> }
            })
            .collect_view();
        view! { {any}{each} }
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
        shown.with(|(report, _, _)| dashboard(i18n, lang, report, &currency))
    };
    let show_tablet = move |_| server.set(None);

    view! {
        <section class="srk-card srk-insights" aria-labelledby="srk-insights-title">
            <h1 id="srk-insights-title">{title}</h1>
            <p>{st(i18n, |t| t.insights.intro)}</p>
            <p class="srk-note">{st(i18n, |t| t.insights.store_note)}</p>
            <div class="srk-actions">
                <button class="srk-button srk-button--quiet" type="button" on:click=move |_| on_back()>
                    {st(i18n, |t| t.insights.back)}
                </button>
            </div>
            <fieldset class="srk-filters">
                <legend>{st(i18n, |t| t.insights.filters)}</legend>
                <label for="srk-period">{st(i18n, |t| t.insights.period)}</label>
                <select id="srk-period" class="srk-input" on:change=on_preset>{presets}</select>
                <label for="srk-from">{st(i18n, |t| t.insights.from)}</label>
                <input
                    id="srk-from"
                    class="srk-input"
                    type="date"
                    prop:value=move || choice.get().from
                    on:change=move |ev| choice.update(|c| c.from = event_target_value(&ev))
                />
                <label for="srk-to">{st(i18n, |t| t.insights.to)}</label>
                <input
                    id="srk-to"
                    class="srk-input"
                    type="date"
                    prop:value=move || choice.get().to
                    on:change=move |ev| choice.update(|c| c.to = event_target_value(&ev))
                />
                <label for="srk-touchpoint">{st(i18n, |t| t.insights.touchpoint)}</label>
                <select
                    id="srk-touchpoint"
                    class="srk-input"
                    on:change=move |ev| choice.update(|c| c.touchpoint = event_target_value(&ev))
                >
                    {touchpoints}
                </select>
                <label for="srk-on-shift">{st(i18n, |t| t.insights.staff)}</label>
                <select
                    id="srk-on-shift"
                    class="srk-input"
                    on:change=move |ev| choice.update(|c| c.staff = event_target_value(&ev))
                >
                    {people}
                </select>
            </fieldset>
            <div class="srk-actions">
                <button id="srk-insights-refresh" class="srk-button" type="button" on:click=refresh prop:disabled=busy>
                    {st(i18n, |t| t.insights.refresh_server)}
                </button>
                {move || shown.get().2.then(|| view! {
                    <button class="srk-button srk-button--quiet" type="button" on:click=show_tablet>
                        {st(i18n, |t| t.insights.show_tablet)}
                    </button>
                })}
            </div>
            <p id="srk-insights-source" role="status" data-compute-ms=move || compute_ms.get().to_string()>
                {move || if busy.get() { i18n.get_locale().staff().insights.server_busy.to_string() } else { source() }}
            </p>
            <p id="srk-insights-problem" class="srk-error" role="alert">{move || problem.get()}</p>
            {body}
            <section class="srk-export" aria-labelledby="srk-export-title">
                <h2 id="srk-export-title">{st(i18n, |t| t.insights.export_title)}</h2>
                <p>{st(i18n, |t| t.insights.export_intro)}</p>
                <div class="srk-actions">
                    <button id="srk-export-csv" class="srk-button" type="button" on:click=move |_| save_here("csv")>
                        {st(i18n, |t| t.insights.download_csv)}
                    </button>
                    <button id="srk-export-json" class="srk-button" type="button" on:click=move |_| save_here("json")>
                        {st(i18n, |t| t.insights.download_json)}
                    </button>
                    <button id="srk-server-csv" class="srk-button srk-button--quiet" type="button" on:click=move |_| save_server("csv") prop:disabled=busy>
                        {st(i18n, |t| t.insights.server_csv)}
                    </button>
                    <button id="srk-server-json" class="srk-button srk-button--quiet" type="button" on:click=move |_| save_server("json") prop:disabled=busy>
                        {st(i18n, |t| t.insights.server_json)}
                    </button>
                </div>
                <p id="srk-export-saved" role="status">{move || saved.get()}</p>
            </section>
        </section>
    }
}

/// Translated name of a Pareto bar's key.
fn bar_label(i18n: I18n, lang: Locale, kind: &str, key: &str) -> String {
    match kind {
        "categories" => Category::ALL
            .into_iter()
            .find(|c| c.key() == key)
            .map_or_else(|| key.to_owned(), |c| labels::category(i18n, c)),
        "causes" => CauseCategory::ALL
            .into_iter()
            .find(|c| c.key() == key)
            .map_or_else(
                || key.to_owned(),
                |c| cause_name(lang.staff(), c).to_owned(),
            ),
        _ => Slug::parse(key).map_or_else(|_| key.to_owned(), |s| humanize(&s)),
    }
}

fn money(minor: u64, currency: &str, lang: Locale) -> String {
    clock::format_money(
        u32::try_from(minor).unwrap_or(u32::MAX),
        currency,
        lang.as_str(),
    )
}

fn duration(lang: Locale, ms: Option<i64>) -> String {
    let t = &lang.staff().insights;
    match ms {
        None => t.none.to_owned(),
        Some(ms) => {
            let (n, unit) = duration_parts(ms);
            let template = match unit {
                Unit::Minutes => t.minutes,
                Unit::Hours => t.hours,
                Unit::Days => t.days_n,
            };
            fill(template, &[("n", &n)])
        }
    }
}

/// Every chart of a report, with its table.
fn dashboard(i18n: I18n, lang: Locale, r: &Insights, currency: &str) -> AnyView {
    let t = &lang.staff().insights;
    let none = || t.none.to_owned();
    let opt_percent = |s: Option<f64>| s.map_or_else(none, percent);
    let glance = [
        (
            t.mean_rating,
            r.rating.mean.map_or_else(none, |m| format!("{m:.2}")),
        ),
        (t.reopened, opt_percent(r.follow_up.share_reopened)),
        (t.repeats, opt_percent(r.repeats.share)),
        (t.fair_met, opt_percent(r.fair.share_met)),
        (t.total_cost, money(r.costs.total_minor, currency, lang)),
    ]
    .into_iter()
    .map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> })
    .collect_view();
    let head = view! {
        <p id="srk-insights-cases" class="srk-insights__count">{fill(t.cases, &[("count", &r.cases)])}</p>
        <section aria-labelledby="srk-glance-title">
            <h2 id="srk-glance-title">{t.glance_title}</h2>
            <dl id="srk-glance" class="srk-glance">{glance}</dl>
        </section>
    };
    if r.cases == 0 {
        return view! { {head}<p id="srk-insights-empty">{t.empty}</p> }.into_any();
    }
    let days_full = [
        t.days.mon, t.days.tue, t.days.wed, t.days.thu, t.days.fri, t.days.sat, t.days.sun,
    ];
    let days_short = [
        t.days_short.mon,
        t.days_short.tue,
        t.days_short.wed,
        t.days_short.thu,
        t.days_short.fri,
        t.days_short.sat,
        t.days_short.sun,
    ];

    // Heatmap.
    let (mut busiest, mut top) = ((0, 0), 0);
    for (d, row) in r.heatmap.iter().enumerate() {
        for (h, &n) in row.iter().enumerate() {
            if n > top {
                (busiest, top) = ((d, h), n);
            }
        }
    }
    let heat = figure(
        "heatmap",
        t.heatmap_title.to_owned(),
        fill(
            t.heatmap_summary,
            &[
                ("day", &days_full[busiest.0]),
                ("hour", &format!("{:02}:00", busiest.1)),
                ("count", &top),
            ],
        ),
        heatmap(&r.heatmap, days_short),
        Table {
            caption: t.heatmap_title.to_owned(),
            head: std::iter::once(t.col_hour.to_owned())
                .chain(days_full.iter().map(|d| d.to_string()))
                .collect(),
            rows: (0..24)
                .map(|h| {
                    std::iter::once(format!("{h:02}:00"))
                        .chain(r.heatmap.iter().map(|row| row[h].to_string()))
                        .collect()
                })
                .collect(),
        },
        t.show_table,
    );

    // Pareto charts.
    let pareto_figure = |id: &str, title: &'static str, bars: &[Bar]| {
        let labelled: Vec<ParetoBar> = bars
            .iter()
            .map(|b| ParetoBar {
                label: bar_label(i18n, lang, id, &b.key),
                count: b.count,
                cumulative: b.cumulative,
            })
            .collect();
        let total: u32 = bars.iter().map(|b| b.count).sum();
        let summary = match (labelled.first(), bars.first()) {
            (Some(first), Some(bar)) => fill(
                t.pareto_summary,
                &[
                    ("top", &first.label),
                    ("count", &bar.count),
                    ("total", &total),
                    ("share", &percent(bar.share)),
                ],
            ),
            _ => t.empty.to_owned(),
        };
        let rows = labelled
            .iter()
            .zip(bars)
            .map(|(l, b)| {
                vec![
                    l.label.clone(),
                    b.count.to_string(),
                    percent(b.share),
                    percent(b.cumulative),
                ]
            })
            .collect();
        figure(
            id,
            title.to_owned(),
            summary,
            pareto(&labelled),
            Table {
                caption: title.to_owned(),
                head: vec![
                    t.col_item.to_owned(),
                    t.col_count.to_owned(),
                    t.col_share.to_owned(),
                    t.col_cumulative.to_owned(),
                ],
                rows,
            },
            t.show_table,
        )
    };
    let touchpoints = pareto_figure("touchpoints", t.touchpoints_title, &r.touchpoints);
    let categories = pareto_figure("categories", t.categories_title, &r.categories);
    let causes = pareto_figure("causes", t.causes_title, &r.causes);

    // Control chart.
    let c = &r.control;
    let mut flags: Vec<Option<bool>> = vec![None; c.points.len()];
    let mut rules: Vec<Vec<&'static str>> = vec![Vec::new(); c.points.len()];
    for s in &c.signals {
        let rule = match s.rule.key() {
            "beyond_limits" => t.rule.beyond_limits,
            "two_of_three" => t.rule.two_of_three,
            "four_of_five" => t.rule.four_of_five,
            "run_of_eight" => t.rule.run_of_eight,
            _ => t.rule.trend_of_six,
        };
        for i in s.start..=s.end.min(c.points.len().saturating_sub(1)) {
            flags[i] = Some(s.direction == Direction::Up);
            if !rules[i].contains(&rule) {
                rules[i].push(rule);
            }
        }
    }
    let days: Vec<ControlDay> = c
        .points
        .iter()
        .zip(&flags)
        .map(|(p, f)| ControlDay {
            value: p.value,
            ucl: p.ucl,
            lcl: p.lcl,
            flagged: *f,
        })
        .collect();
    let is_p = c.kind == recovery_core::insights::ChartKind::P;
    let fmt_value = |v: f64| {
        if is_p {
            format!("{v:.4}")
        } else {
            format!("{v:.1}")
        }
    };
    let control_summary = fill(
        if is_p {
            t.control_summary_p
        } else {
            t.control_summary
        },
        &[
            ("days", &c.points.len()),
            ("centre", &fmt_value(c.centre)),
            ("signals", &c.signals.len()),
        ],
    );
    let first = c.points.first().map(|p| p.date.clone()).unwrap_or_default();
    let last = c.points.last().map(|p| p.date.clone()).unwrap_or_default();
    let control_rows = c
        .points
        .iter()
        .zip(&rules)
        .zip(&flags)
        .map(|((p, rules), flag)| {
            let way = match flag {
                Some(true) => [" (", t.up, ")"].concat(),
                Some(false) => [" (", t.down, ")"].concat(),
                None => String::new(),
            };
            vec![
                p.date.clone(),
                p.count.to_string(),
                fmt_value(p.value),
                fmt_value(p.ucl),
                fmt_value(p.lcl),
                if rules.is_empty() {
                    String::new()
                } else {
                    [rules.join("; "), way].concat()
                },
            ]
        })
        .collect();
    let control_figure = figure(
        "control",
        t.control_title.to_owned(),
        control_summary,
        control(&days, c.centre, &first, &last),
        Table {
            caption: t.control_title.to_owned(),
            head: vec![
                t.col_date.to_owned(),
                t.col_count.to_owned(),
                t.col_value.to_owned(),
                t.col_ucl.to_owned(),
                t.col_lcl.to_owned(),
                t.col_signal.to_owned(),
            ],
            rows: control_rows,
        },
        t.show_table,
    );

    // Fishbone.
    let staff_t = lang.staff();
    let bones: Vec<BoneView> = r
        .fishbone
        .iter()
        .map(|b| BoneView {
            label: format!("{} ({})", cause_name(staff_t, b.category), b.count),
            subs: b
                .sub_causes
                .iter()
                .map(|s| format!("{} ({})", s.key, s.count))
                .collect(),
        })
        .collect();
    let top_bone = r.fishbone.iter().max_by_key(|b| b.count);
    let fish_summary = match top_bone {
        Some(b) if b.count > 0 => fill(
            t.fishbone_summary,
            &[
                ("cause", &cause_name(staff_t, b.category)),
                ("count", &b.count),
            ],
        ),
        _ => t.empty.to_owned(),
    };
    let fish_rows = r
        .fishbone
        .iter()
        .flat_map(|b| {
            let name = cause_name(staff_t, b.category);
            let mut rows: Vec<Vec<String>> = b
                .sub_causes
                .iter()
                .map(|s| vec![name.to_owned(), s.key.clone(), s.count.to_string()])
                .collect();
            if rows.is_empty() {
                rows.push(vec![name.to_owned(), t.none.to_owned(), "0".into()]);
            }
            rows
        })
        .collect();
    let fish = figure(
        "fishbone",
        t.fishbone_title.to_owned(),
        fish_summary,
        fishbone(&bones, t.fishbone_effect),
        Table {
            caption: t.fishbone_title.to_owned(),
            head: vec![
                t.col_cause.to_owned(),
                t.col_sub_cause.to_owned(),
                t.col_count.to_owned(),
            ],
            rows: fish_rows,
        },
        t.show_table,
    );

    // Ratings.
    let star_rows: Vec<(String, u32)> = (1..=5u8)
        .rev()
        .map(|n| {
            (
                fill(staff_t.star, &[("n", &n)]),
                r.rating.stars[usize::from(n) - 1],
            )
        })
        .collect();
    let rating = figure(
        "rating",
        t.rating_title.to_owned(),
        fill(
            t.rating_summary,
            &[
                ("count", &r.rating.count),
                (
                    "mean",
                    &r.rating.mean.map_or_else(none, |m| format!("{m:.2}")),
                ),
            ],
        ),
        hbars(
            &star_rows
                .iter()
                .map(|(label, n)| BarRow {
                    label: label.clone(),
                    bars: vec![(f64::from(*n), n.to_string())],
                })
                .collect::<Vec<_>>(),
        ),
        Table {
            caption: t.rating_title.to_owned(),
            head: vec![t.col_stars.to_owned(), t.col_count.to_owned()],
            rows: star_rows
                .iter()
                .map(|(label, n)| vec![label.clone(), n.to_string()])
                .collect(),
        },
        t.show_table,
    );

    // Durations.
    let steps = [(t.acknowledge, &r.acknowledge), (t.resolve, &r.resolve)];
    let durations = figure(
        "durations",
        t.durations_title.to_owned(),
        fill(
            t.durations_summary,
            &[
                ("ack", &duration(lang, r.acknowledge.median_ms)),
                ("resolve", &duration(lang, r.resolve.median_ms)),
            ],
        ),
        hbars(
            &steps
                .iter()
                .map(|(label, d)| BarRow {
                    label: label.to_string(),
                    bars: vec![
                        (
                            d.median_ms.unwrap_or(0) as f64,
                            [t.median, " ", &duration(lang, d.median_ms)].concat(),
                        ),
                        (
                            d.p90_ms.unwrap_or(0) as f64,
                            [t.p90, " ", &duration(lang, d.p90_ms)].concat(),
                        ),
                    ],
                })
                .collect::<Vec<_>>(),
        ),
        Table {
            caption: t.durations_title.to_owned(),
            head: vec![
                t.col_step.to_owned(),
                t.col_count.to_owned(),
                t.median.to_owned(),
                t.p90.to_owned(),
            ],
            rows: steps
                .iter()
                .map(|(label, d)| {
                    vec![
                        label.to_string(),
                        d.count.to_string(),
                        duration(lang, d.median_ms),
                        duration(lang, d.p90_ms),
                    ]
                })
                .collect(),
        },
        t.show_table,
    );

    // Fair solution asked for against given.
    let fair_rows: Vec<_> = r.fair.rows.iter().filter(|row| row.cases > 0).collect();
    let fair_name = |f: FairSolution| labels::fair(i18n, f);
    let asked_total = r.fair.resolved - r.fair.asked_nothing;
    let fair = figure(
        "fair",
        t.fair_title.to_owned(),
        fill(
            t.fair_summary,
            &[("met", &r.fair.met), ("asked", &asked_total)],
        ),
        hbars(
            &fair_rows
                .iter()
                .map(|row| BarRow {
                    label: fair_name(row.asked),
                    bars: vec![
                        (
                            f64::from(row.cases),
                            [t.col_asked, " ", &row.cases.to_string()].concat(),
                        ),
                        (
                            f64::from(row.met),
                            [t.col_met, " ", &row.met.to_string()].concat(),
                        ),
                    ],
                })
                .collect::<Vec<_>>(),
        ),
        Table {
            caption: t.fair_title.to_owned(),
            head: [t.col_asked, t.col_count, t.col_met]
                .into_iter()
                .map(str::to_owned)
                .chain(
                    Remedy::ALL
                        .iter()
                        .map(|&m| remedy_name(staff_t, m).to_owned()),
                )
                .collect(),
            rows: fair_rows
                .iter()
                .map(|row| {
                    [
                        fair_name(row.asked),
                        row.cases.to_string(),
                        row.met.to_string(),
                    ]
                    .into_iter()
                    .chain(row.got.iter().map(u32::to_string))
                    .collect()
                })
                .collect(),
        },
        t.show_table,
    );

    // Costs.
    let cost_rows: Vec<_> = r.costs.by_category.iter().filter(|c| c.cases > 0).collect();
    let costs = figure(
        "costs",
        t.costs_title.to_owned(),
        fill(
            t.costs_summary,
            &[
                ("total", &money(r.costs.total_minor, currency, lang)),
                ("resolved", &r.costs.resolved),
            ],
        ),
        hbars(
            &cost_rows
                .iter()
                .map(|c| BarRow {
                    label: labels::category(i18n, c.category),
                    bars: vec![(c.total_minor as f64, money(c.total_minor, currency, lang))],
                })
                .collect::<Vec<_>>(),
        ),
        Table {
            caption: t.costs_title.to_owned(),
            head: vec![
                t.col_category.to_owned(),
                t.col_count.to_owned(),
                t.col_resolved.to_owned(),
                t.col_total.to_owned(),
                t.col_mean.to_owned(),
            ],
            rows: cost_rows
                .iter()
                .map(|c| {
                    vec![
                        labels::category(i18n, c.category),
                        c.cases.to_string(),
                        c.resolved.to_string(),
                        money(c.total_minor, currency, lang),
                        c.mean_minor
                            .map_or_else(none, |m| money(m.round() as u64, currency, lang)),
                    ]
                })
                .collect(),
        },
        t.show_table,
    );

    view! {
        {head}
        <div id="srk-charts" class="srk-charts">
            {heat}{touchpoints}{categories}{causes}{control_figure}{fish}{rating}{durations}{fair}{costs}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> Slug {
        Slug::parse(s).unwrap()
    }

    #[test]
    fn presets_cover_whole_days_up_to_today_and_are_recognised_again() {
        let today = parse_date("2026-03-10").unwrap();
        let week = Choice::preset(7, today);
        assert_eq!(
            (week.from.as_str(), week.to.as_str()),
            ("2026-03-04", "2026-03-10")
        );
        assert_eq!(week.preset_days(today), Some(7));
        assert_eq!(Choice::preset(0, today), Choice::default());
        assert_eq!(Choice::default().preset_days(today), Some(0));
        let custom = Choice {
            from: "2026-03-01".into(),
            ..week
        };
        assert_eq!(custom.preset_days(today), None);
    }

    #[test]
    fn the_filter_takes_store_local_days_and_ignores_what_is_not_a_slug() {
        let choice = Choice {
            from: "2026-03-01".into(),
            to: "2026-03-01".into(),
            touchpoint: "checkout-2".into(),
            staff: String::new(),
        };
        let f = choice.filter(&slug("demo"), 60);
        let day = parse_date("2026-03-01").unwrap();
        assert_eq!(f.from, Some(day_start(day, 60)));
        assert_eq!(f.to, Some(day_start(day + 1, 60)));
        assert_eq!(f.touchpoint, Some(slug("checkout-2")));
        assert_eq!(f.staff, None);
        assert_eq!(f.store, Some(slug("demo")));
        assert_eq!(
            choice.query_string(60),
            "tz=60&from=2026-03-01&to=2026-03-01&touchpoint=checkout-2"
        );
        let odd = Choice {
            staff: "Not A Slug".into(),
            ..Choice::default()
        };
        assert_eq!(odd.query_string(-300), "tz=-300");
    }

    #[test]
    fn exported_files_are_named_after_the_store_and_the_day() {
        assert_eq!(
            file_name(&slug("demo"), "2026-03-10", false, "csv"),
            "demo-cases-2026-03-10.csv"
        );
        assert_eq!(
            file_name(&slug("demo"), "2026-03-10", true, "json"),
            "demo-cases-2026-03-10-server.json"
        );
    }

    #[test]
    fn durations_read_in_minutes_hours_or_days() {
        assert_eq!(duration_parts(90_000), ("2".into(), Unit::Minutes));
        assert_eq!(duration_parts(119 * 60_000), ("119".into(), Unit::Minutes));
        assert_eq!(duration_parts(3 * 3_600_000), ("3.0".into(), Unit::Hours));
        assert_eq!(duration_parts(3 * 86_400_000), ("3.0".into(), Unit::Days));
        assert_eq!(percent(0.375), "37.5 %");
    }
}
