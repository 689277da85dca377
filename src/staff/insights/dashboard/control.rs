//! The control chart of complaints a day, with its limits and the run rules' signals.

use crate::shared::i18n::{Locale, fill};
use crate::staff::charts::{ControlDay, Table, control, figure};
use leptos::prelude::*;
use recovery_core::insights::{ControlChart, Direction, Insights};

/// The control chart's figure; `changes` are the store's marked changes as (store-local date,
/// label), shown as lines on their days and named in the table.
pub(super) fn section(lang: Locale, r: &Insights, changes: &[(String, String)]) -> AnyView {
    let t = &lang.staff().insights;
    let c = &r.control;
    let days = drawn_days(c, |date| changes.iter().any(|(day, _)| day == date));
    let flags: Vec<Option<bool>> = days.iter().map(|d| d.flagged).collect();
    let mut rules: Vec<Vec<&'static str>> = vec![Vec::new(); c.points.len()];
    for s in &c.signals {
        let rule = match s.rule.key() {
            "beyond_limits" => t.rule.beyond_limits,
            "two_of_three" => t.rule.two_of_three,
            "four_of_five" => t.rule.four_of_five,
            "run_of_eight" => t.rule.run_of_eight,
            _ => t.rule.trend_of_six,
        };
        for day in rules.iter_mut().take(s.end.saturating_add(1)).skip(s.start) {
            if !day.contains(&rule) {
                day.push(rule);
            }
        }
    }
    let is_p = c.kind == recovery_core::insights::ChartKind::P;
    let fmt_value = |v: f64| {
        if is_p {
            format!("{v:.4}")
        } else {
            format!("{v:.1}")
        }
    };
    let control_summary = fill(
        match (is_p, c.signals.len() == 1) {
            (true, true) => t.control_summary_p_one,
            (true, false) => t.control_summary_p,
            (false, true) => t.control_summary_one,
            (false, false) => t.control_summary,
        },
        &[
            ("days", &c.points.len()),
            ("centre", &fmt_value(c.centre)),
            ("signals", &c.signals.len()),
        ],
    );
    let first = c.points.first().map(|p| p.date.clone()).unwrap_or_default();
    let last = c.points.last().map(|p| p.date.clone()).unwrap_or_default();
    let control_rows = c
        .points
        .iter()
        .zip(&rules)
        .zip(&flags)
        .map(|((p, rules), flag)| {
            let way = match flag {
                Some(true) => [" (", t.up, ")"].concat(),
                Some(false) => [" (", t.down, ")"].concat(),
                None => String::new(),
            };
            vec![
                p.date.clone(),
                p.count.to_string(),
                fmt_value(p.value),
                fmt_value(p.ucl),
                fmt_value(p.lcl),
                if rules.is_empty() {
                    String::new()
                } else {
                    [rules.join("; "), way].concat()
                },
                changes
                    .iter()
                    .filter(|(day, _)| *day == p.date)
                    .map(|(_, label)| label.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect();
    figure(
        "control",
        t.control_title.to_owned(),
        control_summary,
        control(&days, c.centre, &first, &last),
        Table {
            caption: t.control_title.to_owned(),
            head: vec![
                t.col_date.to_owned(),
                t.col_count.to_owned(),
                t.col_value.to_owned(),
                t.col_ucl.to_owned(),
                t.col_lcl.to_owned(),
                t.col_signal.to_owned(),
                t.col_change.to_owned(),
            ],
            rows: control_rows,
        },
        t.show_table,
    )
}

/// Each day of `c` as drawn: flagged the way of the run rules' signals over it, and marked when
/// `marked` says a change was made on its date.
pub(crate) fn drawn_days(c: &ControlChart, marked: impl Fn(&str) -> bool) -> Vec<ControlDay> {
    let mut flags: Vec<Option<bool>> = vec![None; c.points.len()];
    for s in &c.signals {
        for flag in flags.iter_mut().take(s.end.saturating_add(1)).skip(s.start) {
            *flag = Some(s.direction == Direction::Up);
        }
    }
    c.points
        .iter()
        .zip(flags)
        .map(|(p, flagged)| ControlDay {
            value: p.value,
            ucl: p.ucl,
            lcl: p.lcl,
            flagged,
            marked: marked(&p.date),
        })
        .collect()
}
