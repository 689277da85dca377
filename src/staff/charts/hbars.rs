//! Horizontal bars: one group per row, one bar per series.

use super::{HEIGHT, WIDTH, clip, num};
use leptos::prelude::*;

/// One row of a horizontal bar chart: its label and one bar per series (value, its text).
pub struct BarRow {
    /// The row's label.
    pub label: String,
    /// One bar per series: the value and how it is written.
    pub bars: Vec<(f64, String)>,
}

/// Horizontal bars, one group per row, one bar per series (series told apart by class and a
/// pattern of their own, and by the table); each bar's value written after it.
pub fn hbars(rows: &[BarRow]) -> AnyView {
    let (label_w, x0, x1) = (180.0, 186.0, WIDTH - 110.0);
    let series = rows.iter().map(|r| r.bars.len()).max().unwrap_or(1).max(1);
    let max = rows
        .iter()
        .flat_map(|r| r.bars.iter().map(|b| b.0))
        .fold(0.0, f64::max);
    let top = if max > 0.0 { max } else { 1.0 };
    let group = ((HEIGHT - 10.0) / rows.len().max(1) as f64).min(60.0);
    let bar_h = ((group - 6.0) / series as f64).min(22.0);
    let drawn = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let gy = 5.0 + group * i as f64;
            let bars = row
                .bars
                .iter()
                .enumerate()
                .map(|(s, (value, text))| {
                    let y = gy + bar_h * s as f64;
                    let w = (value / top).clamp(0.0, 1.0) * (x1 - x0);
                    let class = format!("srk-bar srk-bar--{s}");
                    view! {
                        <rect class=class x=num(x0) y=num(y) width=num(w.max(1.0)) height=num(bar_h - 2.0) />
                        <text class="srk-chart__small" x=num(x0 + w + 4.0) y=num(y + bar_h / 2.0 + 3.0)>{text.clone()}</text>
                    }
                })
                .collect_view();
            view! {
                <text class="srk-chart__label" x=num(label_w) y=num(gy + (bar_h * series as f64) / 2.0 + 4.0) text-anchor="end">
                    {clip(&row.label, 26)}
                </text>
                {bars}
            }
        })
        .collect_view();
    view! {
        <g>
            <line class="srk-chart__axis" x1=num(x0) y1="0" x2=num(x0) y2=num(HEIGHT) />
            {drawn}
        </g>
    }
    .into_any()
}
