//! Complaints by planned shift: each shift's complaints against its planned hours (shifts of
//! different lengths compare per 10 planned hours), and those filed outside every shift.

use crate::shared::i18n::{Locale, fill};
use crate::staff::charts::{BarRow, Table, figure, hbars};
use leptos::prelude::*;
use recovery_core::insights::Insights;

/// Complaints per 10 planned hours, written with one decimal.
fn per_ten(rate: Option<f64>, none: &str) -> String {
    rate.map_or_else(|| none.to_owned(), |r| format!("{:.1}", r * 10.0))
}

/// The shifts' figure; nothing for a store without a plan.
pub(super) fn section(lang: Locale, r: &Insights) -> Option<AnyView> {
    if r.shifts.is_empty() {
        return None;
    }
    let t = &lang.staff().insights;
    let busiest = r
        .shifts
        .iter()
        .filter_map(|s| Some((s, s.per_hour?)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let summary = match busiest {
        Some((s, rate)) => fill(
            t.shifts_summary,
            &[
                ("shift", &s.name),
                ("rate", &per_ten(Some(rate), t.not_planned)),
            ],
        ),
        None => t.shifts_summary_none.to_owned(),
    };
    let mut rows: Vec<Vec<String>> = r
        .shifts
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.cases.to_string(),
                format!("{:.0}", s.planned_hours),
                per_ten(s.per_hour, t.not_planned),
            ]
        })
        .collect();
    rows.push(vec![
        t.off_shift.to_owned(),
        r.off_shift.to_string(),
        t.not_planned.to_owned(),
        t.not_planned.to_owned(),
    ]);
    Some(figure(
        "shifts",
        t.shifts_title.to_owned(),
        summary,
        hbars(
            &r.shifts
                .iter()
                .map(|s| BarRow {
                    label: s.name.clone(),
                    bars: vec![(
                        s.per_hour.unwrap_or(0.0) * 10.0,
                        per_ten(s.per_hour, t.not_planned),
                    )],
                })
                .collect::<Vec<_>>(),
        ),
        Table {
            caption: t.shifts_title.to_owned(),
            head: vec![
                t.col_shift.to_owned(),
                t.col_count.to_owned(),
                t.col_planned_hours.to_owned(),
                t.col_per_ten_hours.to_owned(),
            ],
            rows,
        },
        t.show_table,
    ))
}
