//! The Pareto charts (touchpoints, kinds of complaint, root causes): largest first, with the
//! cumulative share, so the few that make most of the complaints stand out.

use crate::shared::i18n::{I18n, Locale, fill};
use crate::shared::labels;
use crate::shared::labels::Names;
use crate::staff::charts::{ParetoBar, Table, figure, pareto};
use crate::staff::insights::percent;
use leptos::prelude::*;
use recovery_core::insights::Bar;
use recovery_core::{Category, CauseCategory, Slug};

/// A Pareto chart's figure: `id` is `touchpoints`, `categories` or `causes`, which also says
/// how the bars' keys are named.
pub(super) fn section(
    i18n: I18n,
    lang: Locale,
    id: &str,
    title: &'static str,
    bars: &[Bar],
) -> AnyView {
    let t = &lang.staff().insights;
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
            .map_or_else(|| key.to_owned(), |c| lang.staff().cause.name(c).to_owned()),
        _ => Slug::parse(key).map_or_else(|_| key.to_owned(), |s| crate::staff::state::place(&s)),
    }
}
