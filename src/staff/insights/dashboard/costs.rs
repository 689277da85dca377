//! What recovery cost, in total and by kind of complaint.

use super::money;
use crate::shared::i18n::{I18n, Locale, fill};
use crate::shared::labels;
use crate::staff::charts::{BarRow, Table, figure, hbars};
use leptos::prelude::*;
use recovery_core::insights::Insights;

/// The costs' figure.
pub(super) fn section(i18n: I18n, lang: Locale, r: &Insights, currency: &str) -> AnyView {
    let t = &lang.staff().insights;
    let none = || t.none.to_owned();
    let cost_rows: Vec<_> = r.costs.by_category.iter().filter(|c| c.cases > 0).collect();
    figure(
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
    )
}
