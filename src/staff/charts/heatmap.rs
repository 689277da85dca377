//! The weekday × hour heatmap: a cell per hour of each day, shaded by its share of the busiest.

use super::num;
use leptos::prelude::*;

/// The shade (0 to 5) of a heatmap cell: 0 for none, else 1 to 5 by its share of the largest.
pub fn heat_level(count: u32, max: u32) -> u8 {
    if count == 0 || max == 0 {
        return 0;
    }
    1 + (u64::from(count.min(max)) * 4 / u64::from(max)) as u8
}

/// The weekday × hour heatmap: `rows` are the seven days (labels `days`), columns the hours;
/// `starts` are where planned shifts start, as (weekday, minutes after midnight), each a line
/// across its day's row.
pub fn heatmap(cells: &[[u32; 24]; 7], days: [&str; 7], starts: &[(usize, u16)]) -> AnyView {
    let max = cells.iter().flatten().copied().max().unwrap_or(0);
    let (left, top, w, h) = (48.0, 26.0, 24.0, 30.0);
    let rects = cells
        .iter()
        .enumerate()
        .flat_map(|(d, row)| {
            row.iter().enumerate().map(move |(hour, &n)| {
                let class = format!("srk-heat srk-heat--{}", heat_level(n, max));
                view! {
                    <rect
                        class=class
                        x=num(left + hour as f64 * w)
                        y=num(top + d as f64 * h)
                        width=num(w - 2.0)
                        height=num(h - 2.0)
                        rx="2"
                    />
                }
            })
        })
        .collect_view();
    let lines = starts
        .iter()
        .map(|&(d, minute)| {
            let x = num(left + f64::from(minute) / 60.0 * w - 1.0);
            let y = top + d as f64 * h;
            view! { <line class="srk-heat__shift" x1=x.clone() x2=x y1=num(y - 2.0) y2=num(y + h) /> }
        })
        .collect_view();
    let day_labels = days
        .iter()
        .enumerate()
        .map(|(d, name)| {
            view! {
                <text class="srk-chart__label" x="42" y=num(top + d as f64 * h + h / 2.0 + 4.0) text-anchor="end">
                    {name.to_string()}
                </text>
            }
        })
        .collect_view();
    let hour_labels = (0..24)
        .step_by(3)
        .map(|hour| {
            view! {
                <text class="srk-chart__label" x=num(left + hour as f64 * w + w / 2.0 - 1.0) y="18" text-anchor="middle">
                    {format!("{hour:02}")}
                </text>
            }
        })
        .collect_view();
    view! { <g>{rects}{lines}{day_labels}{hour_labels}</g> }.into_any()
}
