//! Every chart of a report, with its table: the figures at a glance, then one section per
//! chart (one file each). Draws a report it is given; it must never work one out.

pub(crate) mod control;
mod costs;
pub(crate) mod durations;
mod fair;
mod fishbone;
mod heatmap;
mod pareto;
mod rating;
mod shifts;

use super::percent;
use crate::shared::i18n::{I18n, Locale, fill, plural};
use crate::shared::platform::clock;
use leptos::prelude::*;
use recovery_core::ShiftPlan;
use recovery_core::insights::Insights;

/// Every chart of a report, with its table; `changes` are the store's marked changes as
/// (store-local date, label), `plan` its shift plan.
pub(super) fn dashboard(
    i18n: I18n,
    lang: Locale,
    r: &Insights,
    currency: &str,
    changes: &[(String, String)],
    plan: &ShiftPlan,
) -> AnyView {
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
        (t.avoidable, opt_percent(r.avoidable.share)),
        (t.fair_met, opt_percent(r.fair.share_met)),
        (t.total_cost, money(r.costs.total_minor, currency, lang)),
    ]
    .into_iter()
    .map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> })
    .collect_view();
    let head = view! {
        <p id="srk-insights-cases" class="srk-insights__count">{fill(plural(r.cases as usize, t.cases_one, t.cases), &[("count", &r.cases)])}</p>
        <section aria-labelledby="srk-glance-title">
            <h2 id="srk-glance-title">{t.glance_title}</h2>
            <dl id="srk-glance" class="srk-glance">{glance}</dl>
        </section>
    };
    if r.cases == 0 {
        return view! { {head}<p id="srk-insights-empty">{t.empty}</p> }.into_any();
    }
    view! {
        {head}
        <div id="srk-charts" class="srk-charts">
            {heatmap::section(lang, r, plan)}
            {shifts::section(lang, r)}
            {pareto::section(i18n, lang, "touchpoints", t.touchpoints_title, &r.touchpoints)}
            {pareto::section(i18n, lang, "categories", t.categories_title, &r.categories)}
            {pareto::section(i18n, lang, "causes", t.causes_title, &r.causes)}
            {control::section(lang, r, changes)}
            {fishbone::section(lang, r)}
            {rating::section(lang, r)}
            {durations::section(lang, r)}
            {fair::section(i18n, lang, r)}
            {costs::section(i18n, lang, r, currency)}
        </div>
    }
    .into_any()
}

fn money(minor: u64, currency: &str, lang: Locale) -> String {
    clock::format_money(
        u32::try_from(minor).unwrap_or(u32::MAX),
        currency,
        lang.as_str(),
    )
}
