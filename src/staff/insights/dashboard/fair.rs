//! The fair solution customers asked for against the remedy they got.

use crate::shared::i18n::{I18n, Locale, fill};
use crate::shared::labels;
use crate::shared::labels::Names;
use crate::staff::charts::{BarRow, Table, figure, hbars};
use leptos::prelude::*;
use recovery_core::insights::Insights;
use recovery_core::{FairSolution, Remedy};

/// The fair solutions' figure.
pub(super) fn section(i18n: I18n, lang: Locale, r: &Insights) -> AnyView {
    let t = &lang.staff().insights;
    let staff_t = lang.staff();
    let fair_rows: Vec<_> = r.fair.rows.iter().filter(|row| row.cases > 0).collect();
    let fair_name = |f: FairSolution| labels::fair(i18n, f);
    let asked_total = r.fair.resolved - r.fair.asked_nothing;
    figure(
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
                        .map(|&m| staff_t.remedy.name(m).to_owned()),
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
    )
}
