//! Every store at a glance: the stores the signed-in person sees, side by side for a period
//! (a filter of which stores to show), and each store's complaints per day on one scale, so
//! that a busier store looks busier. The figures are the server's (`GET .../compare`), from the
//! same case facts as each store's own insights; repeats count across the chain's stores.

use super::changes::ChainChanges;
use super::client;
use super::form::Input;
use super::{Admin, failed_text};
use crate::shared::i18n::{Locale, StaffAdminCompareTexts, fill, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::clock;
use crate::shared::platform::env;
use crate::staff::charts::{Table, axis_top, control_to, figure};
use crate::staff::insights::dashboard::control::drawn_days;
use crate::staff::insights::dashboard::durations::duration;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::Slug;
use recovery_core::insights::{Comparison, StoreFigures, date, day_number, parse_date};

fn text(
    i18n: crate::shared::i18n::I18n,
    pick: fn(&StaffAdminCompareTexts) -> &'static str,
) -> Signal<String> {
    Signal::derive(move || pick(&i18n.get_locale().staff().admin.compare).to_owned())
}

fn share(t: &StaffAdminCompareTexts, v: Option<f64>) -> String {
    v.map_or_else(|| t.not_known.to_owned(), |v| format!("{:.0} %", v * 100.0))
}

/// One store's row of the table: its name, then a cell per column.
fn row(l: Locale, s: &StoreFigures) -> Vec<String> {
    let t = &l.staff().admin.compare;
    let lang = l.as_str();
    vec![
        s.name.clone(),
        s.cases.to_string(),
        s.per_thousand_visits
            .map_or_else(|| t.not_known.to_owned(), |v| format!("{v:.1}")),
        duration(l, s.acknowledge.median_ms),
        duration(l, s.resolve.median_ms),
        s.rating.map_or_else(
            || t.not_known.to_owned(),
            |v| format!("{v:.1} ★ ({})", s.rated),
        ),
        share(t, s.reopened),
        format!("{} ({})", s.repeats, s.repeats_elsewhere),
        share(t, s.fair_met),
        clock::format_money(
            u32::try_from(s.cost_minor).unwrap_or(u32::MAX),
            &s.currency,
            lang,
        ),
    ]
}

#[component]
pub(super) fn CompareStores() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let answer = RwSignal::new(None::<Result<Comparison, String>>);
    let shown: Vec<(Slug, String, RwSignal<bool>)> = admin.view.with_untracked(|v| {
        v.as_ref()
            .map(|v| {
                v.stores
                    .iter()
                    .map(|s| (s.slug.clone(), s.setup.name.clone(), RwSignal::new(true)))
                    .collect()
            })
            .unwrap_or_default()
    });
    let chosen = StoredValue::new(shown.clone());
    // A new period or store choice reads afresh ("working out…"); a marked change reads again
    // behind the figures on show.
    let load = move |afresh: bool| {
        let tz = clock::utc_offset_minutes(clock::now());
        let mut query = format!("tz={tz}");
        for (name, value) in [("from", from.get_untracked()), ("to", to.get_untracked())] {
            // Only a real date goes into the address (the date input gives YYYY-MM-DD).
            if parse_date(value.trim()).is_some() {
                query.push_str(&format!("&{name}={}", value.trim()));
            }
        }
        if afresh {
            answer.set(None);
        }
        spawn_local(async move {
            let got = client::compare(&admin.chain(), &query, &admin.token()).await;
            answer.set(Some(got.map_err(|failed| {
                failed_text(i18n.get_locale(), &admin.failed(failed))
            })));
        });
    };
    load(true);
    let reload = Callback::new(move |()| load(false));
    let said = RwSignal::new(None::<(bool, String)>);
    request_animation_frame(|| env::focus("srk-admin-compare-title"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        said.set(None);
        load(true);
    };
    let is_shown = move |store: &Slug| {
        chosen.with_value(|c| c.iter().any(|(s, _, on)| s == store && on.get()))
    };
    let body = move || {
        let l = i18n.get_locale();
        let t = &l.staff().admin.compare;
        match answer.get() {
            None => view! { <p class="srk-note" role="status">{t.loading}</p> }.into_any(),
            Some(Err(problem)) => {
                view! { <p class="srk-error" role="alert">{problem}</p> }.into_any()
            }
            Some(Ok(mut c)) => {
                c.stores.retain(|s| is_shown(&s.store));
                let offset = clock::utc_offset_minutes(clock::now());
                let marked: Vec<String> = c
                    .markers
                    .iter()
                    .map(|m| date(day_number(m.change.at, offset)))
                    .collect();
                let stores = c.stores.clone();
                let head = [
                    t.store,
                    t.cases,
                    t.per_visits,
                    t.ack,
                    t.resolve,
                    t.rating,
                    t.reopened,
                    t.repeats,
                    t.fair,
                    t.cost,
                ];
                let rows = stores
                    .iter()
                    .map(|s| {
                        let cells = row(l, s);
                        view! {
                            <tr data-store=s.store.to_string()>
                                <th scope="row">{cells[0].clone()}</th>
                                {cells[1..].iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}
                            </tr>
                        }
                    })
                    .collect_view();
                // One scale: the highest axis any store's chart would need.
                let top = stores
                    .iter()
                    .map(|s| {
                        axis_top(
                            &drawn_days(&s.control, |d| marked.iter().any(|m| m == d)),
                            s.control.centre,
                        )
                    })
                    .fold(1.0, f64::max);
                let charts = stores
                    .iter()
                    .map(|s| {
                        let points = &s.control.points;
                        let first = points.first().map(|p| p.date.clone()).unwrap_or_default();
                        let last = points.last().map(|p| p.date.clone()).unwrap_or_default();
                        let summary = fill(
                            t.chart_summary,
                            &[
                                ("cases", &s.cases),
                                ("first", &first),
                                ("last", &last),
                                ("top", &top),
                            ],
                        );
                        let table = Table {
                            caption: fill(t.chart_title, &[("store", &s.name)]),
                            head: vec![t.col_date.to_owned(), t.col_count.to_owned()],
                            rows: points
                                .iter()
                                .map(|p| vec![p.date.clone(), p.count.to_string()])
                                .collect(),
                        };
                        figure(
                            &["compare-", s.store.as_str()].concat(),
                            fill(t.chart_title, &[("store", &s.name)]),
                            summary,
                            control_to(
                                &drawn_days(&s.control, |d| marked.iter().any(|m| m == d)),
                                s.control.centre,
                                &first,
                                &last,
                                top,
                            ),
                            table,
                            l.staff().insights.show_table,
                        )
                    })
                    .collect_view();
                view! {
                    <div class="srk-admin__compare" tabindex="0" role="region" aria-labelledby="srk-admin-compare-caption">
                        <table id="srk-admin-compare" class="srk-table srk-admin__table">
                            <caption id="srk-admin-compare-caption">{t.caption}</caption>
                            <thead><tr>{head.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <ChainChanges comparison=c reload said />
                    <h3>{t.charts}</h3>
                    {charts}
                }
                .into_any()
            }
        }
    };
    let boxes = shown
        .into_iter()
        .map(|(slug, name, on)| {
            let id = ["srk-admin-compare-", slug.as_str()].concat();
            view! { <super::form::Check id label=Signal::stored(name) value=on /> }
        })
        .collect_view();
    view! {
        <section class="srk-card" aria-labelledby="srk-admin-compare-title">
            <h2 id="srk-admin-compare-title" tabindex="-1">{tr(i18n, |l| l.staff().admin.compare.title)}</h2>
            <p class="srk-note">{tr(i18n, |l| l.staff().admin.compare.intro)}</p>
            <form id="srk-admin-compare-form" on:submit=submit novalidate>
                <div class="srk-admin__period">
                    <Input id="srk-admin-compare-from" label=text(i18n, |t| t.from) value=from kind="date" />
                    <Input id="srk-admin-compare-to" label=text(i18n, |t| t.to) value=to kind="date" />
                </div>
                <fieldset class="srk-field">
                    <legend>{tr(i18n, |l| l.staff().admin.compare.stores)}</legend>
                    {boxes}
                </fieldset>
                <button id="srk-admin-compare-show" class="srk-button" type="submit">
                    {tr(i18n, |l| l.staff().admin.compare.show)}
                </button>
            </form>
            {body}
        </section>
    }
}
