//! The Pareto chart: bars largest first and the cumulative share as a line.

use super::{WIDTH, clip, nice_max, num};
use leptos::prelude::*;

/// One bar of a Pareto chart as drawn: label, count, cumulative share (0 to 1).
pub struct ParetoBar {
    /// What the bar counts.
    pub label: String,
    /// How many.
    pub count: u32,
    /// Cumulative share up to this bar.
    pub cumulative: f64,
}

/// A Pareto chart: bars largest first on a count axis, the cumulative share as a line with
/// square markers on a 0–100 % axis, and a dashed 80 % line.
pub fn pareto(bars: &[ParetoBar]) -> AnyView {
    let (x0, x1, y0, y1) = (44.0, WIDTH - 48.0, 14.0, 180.0);
    let top = nice_max(f64::from(bars.iter().map(|b| b.count).max().unwrap_or(0)));
    let n = bars.len().max(1) as f64;
    let step = (x1 - x0) / n;
    let y_of = |v: f64| y1 - v / top * (y1 - y0);
    let share_y = |s: f64| y1 - s * (y1 - y0);
    let drawn = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let cx = x0 + step * (i as f64 + 0.5);
            let bw = (step * 0.7).min(60.0);
            let y = y_of(f64::from(b.count));
            let label_y = y1 + 12.0;
            view! {
                <rect class="srk-bar" x=num(cx - bw / 2.0) y=num(y) width=num(bw) height=num(y1 - y) />
                <text
                    class="srk-chart__label"
                    x=num(cx)
                    y=num(label_y)
                    text-anchor="end"
                    transform=format!("rotate(-30 {} {})", num(cx), num(label_y))
                >
                    {clip(&b.label, 18)}
                </text>
                <rect
                    class="srk-chart__cumulative-mark"
                    x=num(cx - 3.0)
                    y=num(share_y(b.cumulative) - 3.0)
                    width="6"
                    height="6"
                />
            }
        })
        .collect_view();
    let line = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            format!(
                "{},{}",
                num(x0 + step * (i as f64 + 0.5)),
                num(share_y(b.cumulative))
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <g>
            <line class="srk-chart__axis" x1=num(x0) y1=num(y1) x2=num(x1) y2=num(y1) />
            <line class="srk-chart__axis" x1=num(x0) y1=num(y0) x2=num(x0) y2=num(y1) />
            <line class="srk-chart__axis" x1=num(x1) y1=num(y0) x2=num(x1) y2=num(y1) />
            <line class="srk-chart__limit" x1=num(x0) y1=num(share_y(0.8)) x2=num(x1) y2=num(share_y(0.8)) />
            <text class="srk-chart__label" x=num(x0 - 4.0) y=num(y0 + 4.0) text-anchor="end">{top.to_string()}</text>
            <text class="srk-chart__label" x=num(x0 - 4.0) y=num(y1) text-anchor="end">"0"</text>
            <text class="srk-chart__label" x=num(x1 + 4.0) y=num(y0 + 4.0)>"100 %"</text>
            <text class="srk-chart__label" x=num(x1 + 4.0) y=num(share_y(0.8) + 4.0)>"80 %"</text>
            {drawn}
            <polyline class="srk-chart__cumulative" points=line />
        </g>
    }
    .into_any()
}
