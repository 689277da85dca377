//! Hand-drawn SVG charts for the insights screen, each with a table of the same numbers.
//!
//! Every chart is a [`figure`]: a heading, one summary sentence, the drawing as
//! `role="img"` named by both (so a screen reader hears what it shows without the picture),
//! and the numbers as a real table in a `<details>` ("Show data table"). The drawings use
//! presentation attributes and classes only, never a `style` attribute: the page's content
//! security policy allows no inline styles. Colours come from the staff stylesheet; flagged
//! points differ in shape too, not in colour only.
//!
//! The functions take plain numbers and texts already translated; the geometry helpers are
//! pure and tested natively. Nothing here computes a statistic: that is the core's.

use leptos::prelude::*;

/// Width of every drawing's coordinate system (it scales to the card's width).
pub const WIDTH: f64 = 640.0;

/// A table of a chart's numbers: caption, column headings, and rows whose first cell is the
/// row's heading.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// What the table holds.
    pub caption: String,
    /// Column headings.
    pub head: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// A chart with its heading, summary and data table (see the module documentation). `id` is
/// short and unique on the page (`heatmap`): the section is `srk-chart-<id>`.
pub fn figure(
    id: &str,
    title: String,
    summary: String,
    drawing: AnyView,
    table: Table,
    show_table: &'static str,
) -> AnyView {
    let section = ["srk-chart-", id].concat();
    let title_id = [&section, "-title"].concat();
    let summary_id = [&section, "-summary"].concat();
    let labelled = [title_id.as_str(), " ", summary_id.as_str()].concat();
    let section_label = title_id.clone();
    view! {
        <section id=section class="srk-chart" aria-labelledby=section_label>
            <h2 id=title_id>{title}</h2>
            <p id=summary_id class="srk-chart__summary">{summary}</p>
            <svg
                class="srk-chart__svg"
                role="img"
                aria-labelledby=labelled
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                preserveAspectRatio="xMidYMid meet"
                focusable="false"
            >
                {drawing}
            </svg>
            <details class="srk-chart__data">
                <summary>{show_table}</summary>
                {data_table(table)}
            </details>
        </section>
    }
    .into_any()
}

/// Height of every drawing's coordinate system.
pub const HEIGHT: f64 = 260.0;

/// A table as markup: `<caption>`, column headings with `scope="col"`, row headings with
/// `scope="row"`.
pub fn data_table(table: Table) -> impl IntoView {
    let Table {
        caption,
        head,
        rows,
    } = table;
    view! {
        <table class="srk-table">
            <caption>{caption}</caption>
            <thead>
                <tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let mut cells = row.into_iter();
                        let first = cells.next().unwrap_or_default();
                        view! {
                            <tr>
                                <th scope="row">{first}</th>
                                {cells.map(|c| view! { <td>{c}</td> }).collect_view()}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// A round upper end for an axis that must reach `max`: 1, 2 or 5 times a power of ten.
pub fn nice_max(max: f64) -> f64 {
    if max.is_nan() || max <= 0.0 || max.is_infinite() {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|v| *v >= max)
        .unwrap_or(10.0 * power)
}

/// The shade (0 to 5) of a heatmap cell: 0 for none, else 1 to 5 by its share of the largest.
pub fn heat_level(count: u32, max: u32) -> u8 {
    if count == 0 || max == 0 {
        return 0;
    }
    1 + (u64::from(count.min(max)) * 4 / u64::from(max)) as u8
}

/// A text shortened to `max` characters with an ellipsis, for labels in a drawing (the
/// table has the whole text).
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn num(v: f64) -> String {
    format!("{v:.1}")
}

/// The weekday × hour heatmap: `rows` are the seven days (labels `days`), columns the hours.
pub fn heatmap(cells: &[[u32; 24]; 7], days: [&str; 7]) -> AnyView {
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
    view! { <g>{rects}{day_labels}{hour_labels}</g> }.into_any()
}

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
}

/// A control chart: the values as a line with dots, the centre line, the limits as dashed
/// steps, and flagged days as triangles pointing the signal's way.
pub fn control(days: &[ControlDay], centre: f64, first: &str, last: &str) -> AnyView {
    let (x0, x1, y0, y1) = (44.0, WIDTH - 16.0, 14.0, 220.0);
    let top = nice_max(
        days.iter()
            .map(|d| d.value.max(d.ucl))
            .fold(centre, f64::max)
            * 1.05,
    );
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
    view! {
        <g>
            <line class="srk-chart__axis" x1=num(x0) y1=num(y1) x2=num(x1) y2=num(y1) />
            <line class="srk-chart__axis" x1=num(x0) y1=num(y0) x2=num(x0) y2=num(y1) />
            <text class="srk-chart__label" x=num(x0 - 4.0) y=num(y0 + 4.0) text-anchor="end">{top.to_string()}</text>
            <text class="srk-chart__label" x=num(x0 - 4.0) y=num(y1) text-anchor="end">"0"</text>
            <line class="srk-chart__centre" x1=num(x0) y1=num(y_of(centre)) x2=num(x1) y2=num(y_of(centre)) />
            <polyline class="srk-chart__limit" points=path(&|d| d.ucl) />
            <polyline class="srk-chart__limit" points=path(&|d| d.lcl) />
            <polyline class="srk-chart__line" points=path(&|d| d.value) />
            {marks}
            <text class="srk-chart__label" x=num(x0) y=num(y1 + 16.0)>{first.to_owned()}</text>
            <text class="srk-chart__label" x=num(x1) y=num(y1 + 16.0) text-anchor="end">{last.to_owned()}</text>
            <text class="srk-chart__label" x=num(x1) y=num(y_of(days.last().map_or(0.0, |d| d.ucl)) - 4.0) text-anchor="end">"UCL"</text>
        </g>
    }
    .into_any()
}

/// One bone of the fishbone as drawn: the kind of cause with its count, and its largest
/// sub-causes.
pub struct BoneView {
    /// The kind of cause, with its count.
    pub label: String,
    /// Its largest sub-causes, with counts.
    pub subs: Vec<String>,
}

/// A cause-and-effect (fishbone) diagram: a spine to the effect at the head, the kinds of
/// cause as bones above and below, their largest sub-causes written along them.
pub fn fishbone(bones: &[BoneView], effect: &str) -> AnyView {
    let spine_y = HEIGHT / 2.0;
    let head_x = WIDTH - 120.0;
    let per_side = bones.len().div_ceil(2).max(1);
    let gap = (head_x - 40.0) / per_side as f64;
    let drawn = bones
        .iter()
        .enumerate()
        .map(|(i, bone)| {
            let above = i % 2 == 0;
            let slot = (i / 2) as f64;
            let end_x = 40.0 + gap * (slot + 1.0) - 10.0;
            let start_x = end_x - 70.0;
            let start_y = if above { 34.0 } else { HEIGHT - 34.0 };
            let label_y = if above { 22.0 } else { HEIGHT - 14.0 };
            let subs = bone
                .subs
                .iter()
                .take(3)
                .enumerate()
                .map(|(k, sub)| {
                    let along = (k as f64 + 1.0) / 4.0;
                    let y = start_y + (spine_y - start_y) * along;
                    let x = start_x + (end_x - start_x) * along + 4.0;
                    view! { <text class="srk-chart__small" x=num(x) y=num(y + 3.0)>{clip(sub, 24)}</text> }
                })
                .collect_view();
            view! {
                <line class="srk-chart__bone" x1=num(start_x) y1=num(start_y) x2=num(end_x) y2=num(spine_y) />
                <text class="srk-chart__label srk-chart__label--strong" x=num(start_x) y=num(label_y) text-anchor="middle">
                    {bone.label.clone()}
                </text>
                {subs}
            }
        })
        .collect_view();
    view! {
        <g>
            <line class="srk-chart__spine" x1="20" y1=num(spine_y) x2=num(head_x) y2=num(spine_y) />
            <rect class="srk-chart__head" x=num(head_x) y=num(spine_y - 22.0) width="110" height="44" rx="6" />
            <text class="srk-chart__label srk-chart__label--strong" x=num(head_x + 55.0) y=num(spine_y + 5.0) text-anchor="middle">
                {effect.to_owned()}
            </text>
            {drawn}
        </g>
    }
    .into_any()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers_at_or_above_the_largest_value() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(f64::NAN), 1.0);
        assert_eq!(nice_max(1.0), 1.0);
        assert_eq!(nice_max(3.0), 5.0);
        assert_eq!(nice_max(7.2), 10.0);
        assert_eq!(nice_max(12.0), 20.0);
        assert_eq!(nice_max(480.0), 500.0);
        assert_eq!(nice_max(0.031), 0.05);
    }

    #[test]
    fn heat_shades_are_zero_for_none_and_five_for_the_busiest_hour() {
        assert_eq!(heat_level(0, 10), 0);
        assert_eq!(heat_level(1, 10), 1);
        assert_eq!(heat_level(10, 10), 5);
        assert_eq!(heat_level(5, 10), 3);
        assert_eq!(heat_level(3, 0), 0);
        assert!((1..=40).all(|n| (1..=5).contains(&heat_level(n, 40))));
    }

    #[test]
    fn long_labels_are_clipped_with_an_ellipsis() {
        assert_eq!(clip("front desk", 18), "front desk");
        assert_eq!(clip("New colleague not yet trained", 10), "New colle…");
        assert_eq!(clip("åäöåäöåäö", 4), "åäö…");
    }
}
