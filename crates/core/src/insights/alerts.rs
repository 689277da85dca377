//! The daily control chart of a report and the alerts staff see: a touchpoint's spike in
//! the last window, and a day out of statistical control.

use super::{
    Alert, ControlChart, Direction, MAX_CHART_DAYS, Query, chart, date, day_number, parse_date,
    poisson_threshold,
};
use crate::ids::{Slug, Timestamp};
use std::collections::BTreeMap;

/// The control chart of the filter's period, one point per store-local day: from the
/// period's first day (or the first filing's) to its last (or today), days without
/// complaints included, at most [`MAX_CHART_DAYS`].
pub(super) fn daily_chart(query: &Query, days: &BTreeMap<i64, u32>) -> ControlChart {
    let offset = query.utc_offset_minutes;
    let f = &query.filter;
    let first = f
        .from
        .map(|t| day_number(t, offset))
        .or_else(|| days.keys().next().copied());
    let last = match f.to {
        Some(t) => day_number(Timestamp(t.0.saturating_sub(1)), offset),
        None => {
            let today = day_number(query.now, offset);
            days.keys().next_back().map_or(today, |&d| d.max(today))
        }
    };
    let Some(first) = first.map(|d| d.max(last - MAX_CHART_DAYS + 1)) else {
        return chart(Vec::new());
    };
    chart(
        (first..=last)
            .map(|day| {
                let date = date(day);
                let visits = query.visits.get(&date).copied();
                (date, days.get(&day).copied().unwrap_or(0), visits)
            })
            .collect(),
    )
}

/// The spike window in milliseconds: a minute to a day.
pub(super) fn spike_window(query: &Query) -> i64 {
    i64::from(query.spike.window_minutes.clamp(1, 1440)) * 60_000
}

/// Spike alerts: each touchpoint whose count in the window reaches the Poisson threshold of
/// its usual count. The usual count is the mean over the `days` earlier days whose window
/// the store's history covers (at most `baseline_days`); with none, nothing is unusual yet.
pub(super) fn spike_alerts(
    query: &Query,
    spikes: BTreeMap<&Slug, (u32, u32)>,
    days: i64,
) -> Vec<Alert> {
    let rule = query.spike;
    if days == 0 {
        return Vec::new();
    }
    spikes
        .into_iter()
        .filter_map(|(touchpoint, (count, before))| {
            let expected = f64::from(before) / days as f64;
            let threshold = poisson_threshold(expected, rule.alpha, rule.min_count);
            (count >= threshold).then(|| Alert::Spike {
                touchpoint: touchpoint.clone(),
                count,
                expected,
                threshold,
                window_minutes: (spike_window(query) / 60_000) as u32,
            })
        })
        .collect()
}

/// An alert when the chart's last day is today and already above the upper limit, or
/// yesterday and outside either limit.
pub(super) fn control_alert(query: &Query, chart: &ControlChart) -> Option<Alert> {
    let point = chart.points.last()?;
    let today = day_number(query.now, query.utc_offset_minutes);
    let day = parse_date(&point.date)?;
    let direction = if point.value > point.ucl {
        Direction::Up
    } else if point.value < point.lcl && day < today {
        Direction::Down
    } else {
        return None;
    };
    (day == today || day == today - 1).then(|| Alert::OutOfControl {
        date: point.date.clone(),
        count: point.count,
        value: point.value,
        ucl: point.ucl,
        lcl: point.lcl,
        direction,
    })
}
