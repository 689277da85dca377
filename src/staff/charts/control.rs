//! The control chart: the values, the centre line, the limits, and the flagged days.

use super::{WIDTH, nice_max, num};
use leptos::prelude::*;

/// One day of a control chart as drawn.
pub struct ControlDay {
    /// The plotted value.
    pub value: f64,
    /// Upper control limit.
    pub ucl: f64,
    /// Lower control limit.
    pub lcl: f64,
    /// Flagged by a run rule: `Some(true)` up, `Some(false)` down.
    pub flagged: Option<bool>,
    /// A change was marked on this day (drawn as a vertical line).
    pub marked: bool,
}

/// The top of a control chart's axis: above every limit and every ordinary day, but not
/// stretched by an outlier (a day over twice the highest upper limit), which is drawn at the
/// top edge with its value written beside it, so one spike does not squash the other days into
/// the bottom of the chart.
pub fn axis_top(days: &[ControlDay], centre: f64) -> f64 {
    let limit = days.iter().map(|d| d.ucl).fold(centre, f64::max);
    let ordinary = |v: &f64| limit <= 0.0 || *v <= 2.0 * limit;
    let highest = days
        .iter()
        .map(|d| d.value)
        .filter(ordinary)
        .fold(limit, f64::max);
    nice_max(highest * 1.05)
}

/// A control chart: the values as a line with dots, the centre line, the limits as dashed
/// steps, flagged days as triangles pointing the signal's way, days beyond the axis at its
/// top edge with their values, and days a change was marked as vertical lines.
pub fn control(days: &[ControlDay], centre: f64, first: &str, last: &str) -> AnyView {
    control_to(days, centre, first, last, axis_top(days, centre))
}

/// [`control`] with its axis going to `top`: several charts on one scale.
pub fn control_to(days: &[ControlDay], centre: f64, first: &str, last: &str, top: f64) -> AnyView {
    let (x0, x1, y0, y1) = (44.0, WIDTH - 16.0, 14.0, 220.0);
    let n = days.len().max(2) as f64 - 1.0;
    let x_of = |i: usize| x0 + (x1 - x0) * i as f64 / n;
    let y_of = |v: f64| y1 - (v / top).clamp(0.0, 1.0) * (y1 - y0);
    let path = |f: &dyn Fn(&ControlDay) -> f64| {
        days.iter()
            .enumerate()
            .map(|(i, d)| format!("{},{}", num(x_of(i)), num(y_of(f(d)))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let dots = days.len() <= 120;
    let marks = days
        .iter()
        .enumerate()
        .filter(|(_, d)| dots || d.flagged.is_some())
        .map(|(i, d)| {
            let (x, y) = (x_of(i), y_of(d.value));
            match d.flagged {
                Some(up) => {
                    let (tip, base) = if up {
                        (y - 7.0, y + 5.0)
                    } else {
                        (y + 7.0, y - 5.0)
                    };
                    let shape = format!(
                        "M{} {} L{} {} L{} {} Z",
                        num(x),
                        num(tip),
                        num(x - 6.0),
                        num(base),
                        num(x + 6.0),
                        num(base)
                    );
                    view! { <path class="srk-chart__signal" d=shape /> }.into_any()
                }
                None => view! { <circle class="srk-chart__point" cx=num(x) cy=num(y) r="2.5" /> }
                    .into_any(),
            }
        })
        .collect_view();
    let beyond = days
        .iter()
        .enumerate()
        .filter(|(_, d)| d.value > top)
        .map(|(i, d)| {
            let x = x_of(i);
            let value = if d.value.fract() == 0.0 {
                format!("{}", d.value)
            } else {
                format!("{:.2}", d.value)
            };
            // Written away from the nearer edge of the drawing.
            let (x, anchor) = if x > (x0 + x1) / 2.0 {
                (x - 5.0, "end")
            } else {
                (x + 5.0, "start")
            };
            view! {
                <text class="srk-chart__label srk-chart__label--strong" x=num(x) y=num(y0 + 4.0) text-anchor=anchor>
                    {["↑ ", &value].concat()}
                </text>
            }
        })
        .collect_view();
    let changes = days
        .iter()
        .enumerate()
        .filter(|(_, d)| d.marked)
        .map(|(i, _)| {
            let x = num(x_of(i));
            view! { <line class="srk-chart__change" x1=x.clone() y1=num(y0) x2=x y2=num(y1) /> }
        })
        .collect_view();
    view! {
        <g>
            {changes}
            <line class="srk-chart__axis" x1=num(x0) y1=num(y1) x2=num(x1) y2=num(y1) />
            <line class="srk-chart__axis" x1=num(x0) y1=num(y0) x2=num(x0) y2=num(y1) />
            <text class="srk-chart__label" x=num(x0 - 4.0) y=num(y0 + 4.0) text-anchor="end">{top.to_string()}</text>
            <text class="srk-chart__label" x=num(x0 - 4.0) y=num(y1) text-anchor="end">"0"</text>
            <line class="srk-chart__centre" x1=num(x0) y1=num(y_of(centre)) x2=num(x1) y2=num(y_of(centre)) />
            <polyline class="srk-chart__limit" points=path(&|d| d.ucl) />
            <polyline class="srk-chart__limit" points=path(&|d| d.lcl) />
            <polyline class="srk-chart__line" points=path(&|d| d.value) />
            {marks}
            {beyond}
            <text class="srk-chart__label" x=num(x0) y=num(y1 + 16.0)>{first.to_owned()}</text>
            <text class="srk-chart__label" x=num(x1) y=num(y1 + 16.0) text-anchor="end">{last.to_owned()}</text>
            <text class="srk-chart__label" x=num(x1) y=num(y_of(days.last().map_or(0.0, |d| d.ucl)) - 4.0) text-anchor="end">"UCL"</text>
        </g>
    }
    .into_any()
}
