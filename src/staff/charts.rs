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
//!
//! Rooms: this root holds the frame every chart shares (the figure, its table, the sizes and
//! the small helpers); each kind of chart is a file of its own.

mod control;
mod fishbone;
mod hbars;
mod heatmap;
mod pareto;
#[cfg(test)]
mod tests;

pub use control::{ControlDay, axis_top, control, control_to};
pub use fishbone::{BoneView, fishbone};
pub use hbars::{BarRow, hbars};
pub use heatmap::{heat_level, heatmap};
pub use pareto::{ParetoBar, pareto};

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

/// A text broken at spaces into at most `lines` lines of at most `width` characters, for labels
/// in a drawing; a word longer than a line is cut, and what does not fit ends with an ellipsis
/// (the table has the whole text).
pub fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match all.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => all.push(clip(word, width)),
        }
    }
    if all.len() > lines {
        all.truncate(lines);
        if let Some(last) = all.last_mut() {
            // Room for the ellipsis that says more follows.
            let kept: String = last.chars().take(width.saturating_sub(1)).collect();
            *last = [kept.trim_end(), "…"].concat();
        }
    }
    all
}

/// A coordinate as written in a drawing: one decimal.
fn num(v: f64) -> String {
    format!("{v:.1}")
}
