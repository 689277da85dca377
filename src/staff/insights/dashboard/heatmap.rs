//! The weekday × hour heatmap: when complaints are filed, and the busiest hour in words.

use crate::shared::i18n::{Locale, fill, plural};
use crate::staff::charts::{Table, figure, heatmap};
use leptos::prelude::*;
use recovery_core::ShiftPlan;
use recovery_core::insights::Insights;

/// The heatmap's figure, with where the store's planned shifts start.
pub(super) fn section(lang: Locale, r: &Insights, plan: &ShiftPlan) -> AnyView {
    let t = &lang.staff().insights;
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
    let (mut busiest, mut top) = ((0, 0), 0);
    for (d, row) in r.heatmap.iter().enumerate() {
        for (h, &n) in row.iter().enumerate() {
            if n > top {
                (busiest, top) = ((d, h), n);
            }
        }
    }
    let starts: Vec<(usize, u16)> = plan
        .0
        .iter()
        .flat_map(|s| s.hours.iter().enumerate())
        .filter_map(|(d, h)| Some((d, h.as_ref()?.start)))
        .collect();
    let mut summary = fill(
        plural(top as usize, t.heatmap_summary_one, t.heatmap_summary),
        &[
            ("day", &days_full[busiest.0]),
            ("hour", &format!("{:02}:00", busiest.1)),
            ("count", &top),
        ],
    );
    if !starts.is_empty() {
        summary = [summary.as_str(), t.heatmap_shifts].join(" ");
    }
    figure(
        "heatmap",
        t.heatmap_title.to_owned(),
        summary,
        heatmap(&r.heatmap, days_short, &starts),
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
    )
}
