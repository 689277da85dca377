//! How long acknowledging and resolving take: the median and the 90th percentile.

use crate::shared::i18n::{Locale, fill};
use crate::staff::charts::{BarRow, Table, figure, hbars};
use crate::staff::insights::{Unit, duration_parts};
use leptos::prelude::*;
use recovery_core::insights::Insights;

/// The durations' figure.
pub(super) fn section(lang: Locale, r: &Insights) -> AnyView {
    let t = &lang.staff().insights;
    let steps = [(t.acknowledge, &r.acknowledge), (t.resolve, &r.resolve)];
    figure(
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
    )
}

/// A duration in minutes, hours or days, in `lang` ("none" for `None`).
pub fn duration(lang: Locale, ms: Option<i64>) -> String {
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
