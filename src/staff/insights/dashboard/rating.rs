//! The customers' ratings: how many gave each number of stars, and the mean.

use crate::shared::i18n::{Locale, fill, plural};
use crate::staff::charts::{BarRow, Table, figure, hbars};
use leptos::prelude::*;
use recovery_core::insights::Insights;

/// The ratings' figure.
pub(super) fn section(lang: Locale, r: &Insights) -> AnyView {
    let t = &lang.staff().insights;
    let none = || t.none.to_owned();
    let staff_t = lang.staff();
    let star_rows: Vec<(String, u32)> = (1..=5u8)
        .rev()
        .map(|n| {
            (
                fill(staff_t.star, &[("n", &n)]),
                r.rating.stars[usize::from(n) - 1],
            )
        })
        .collect();
    figure(
        "rating",
        t.rating_title.to_owned(),
        fill(
            plural(
                r.rating.count as usize,
                t.rating_summary_one,
                t.rating_summary,
            ),
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
    )
}
