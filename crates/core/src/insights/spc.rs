//! Statistical process control of daily complaint counts: the c-chart (counts per day), the
//! p-chart (complaints per visit, when visits per day are known), 3-sigma limits, and the
//! Western Electric run rules that say a process is out of control even inside its limits.
//!
//! The rules, applied to each point's distance from the centre line in its own sigmas:
//! 1. one point beyond 3σ;
//! 2. two of three consecutive points beyond 2σ on the same side;
//! 3. four of five consecutive points beyond 1σ on the same side;
//! 4. eight consecutive points on the same side of the centre line (Western Electric's eight,
//!    not Nelson's nine: daily charts are short, and a shift should show within eight days);
//! 5. six consecutive points each higher (or each lower) than the one before (Nelson's trend).
//!
//! "Beyond" is strict, a point exactly on the centre line belongs to neither side, and an
//! equal neighbour breaks a trend.

use serde::{Deserialize, Serialize};

/// Which chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Counts per day; centre c̄, limits c̄ ± 3√c̄.
    C,
    /// Complaints per visit; centre p̄ = Σ complaints / Σ visits, limits per day
    /// p̄ ± 3√(p̄(1 − p̄)/visits).
    P,
}

/// A run rule (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// One point beyond 3σ: outside the control limits.
    BeyondLimits,
    /// Two of three beyond 2σ, same side.
    TwoOfThree,
    /// Four of five beyond 1σ, same side.
    FourOfFive,
    /// Eight in a row on one side of the centre line.
    RunOfEight,
    /// Six in a row steadily rising or falling.
    TrendOfSix,
}

impl Rule {
    /// The snake_case name, used as translation key.
    pub fn key(self) -> &'static str {
        match self {
            Rule::BeyondLimits => "beyond_limits",
            Rule::TwoOfThree => "two_of_three",
            Rule::FourOfFive => "four_of_five",
            Rule::RunOfEight => "run_of_eight",
            Rule::TrendOfSix => "trend_of_six",
        }
    }
}

/// Which way a signal points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Above the centre line, or rising.
    Up,
    /// Below the centre line, or falling.
    Down,
}

/// Points that broke a rule: indexes `start..=end` into the chart's points. Overlapping runs
/// of the same rule and direction are one signal (twelve days above the line are one run of
/// eight from day 1 to day 12); each point beyond the limits is its own signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    /// The rule.
    pub rule: Rule,
    /// Which way.
    pub direction: Direction,
    /// The first point of the run.
    pub start: usize,
    /// The point that completed the rule (the last of the run).
    pub end: usize,
}

/// One day of a control chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartPoint {
    /// The store-local date, `YYYY-MM-DD`.
    pub date: String,
    /// Complaints filed that day.
    pub count: u32,
    /// Visits that day, for a p-chart.
    pub visits: Option<u32>,
    /// What is plotted: the count (c-chart) or complaints per visit (p-chart).
    pub value: f64,
    /// Upper control limit (centre + 3σ).
    pub ucl: f64,
    /// Lower control limit (centre − 3σ, never below 0).
    pub lcl: f64,
}

/// A control chart of complaints per day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ControlChart {
    /// c-chart or p-chart.
    pub kind: ChartKind,
    /// The centre line (c̄ or p̄); 0 without points.
    pub centre: f64,
    /// One point a day, oldest first, days without complaints included.
    pub points: Vec<ChartPoint>,
    /// Where the run rules fire, by rule order then position.
    pub signals: Vec<Signal>,
}

/// A control chart of `(date, count, visits)` per day. It is a p-chart when every day has
/// visits (more than 0 and at least its count), otherwise a c-chart.
pub fn chart(days: Vec<(String, u32, Option<u32>)>) -> ControlChart {
    let p_chart = !days.is_empty()
        && days
            .iter()
            .all(|(_, c, v)| v.is_some_and(|v| v > 0 && v >= *c));
    let total: f64 = days.iter().map(|(_, c, _)| f64::from(*c)).sum();
    let (kind, centre) = if p_chart {
        let visits: f64 = days.iter().map(|(_, _, v)| f64::from(v.unwrap_or(0))).sum();
        (ChartKind::P, total / visits)
    } else if days.is_empty() {
        (ChartKind::C, 0.0)
    } else {
        (ChartKind::C, total / days.len() as f64)
    };
    let mut sigmas = Vec::with_capacity(days.len());
    let points: Vec<ChartPoint> = days
        .into_iter()
        .map(|(date, count, visits)| {
            let (value, sigma) = match (kind, visits) {
                (ChartKind::P, Some(n)) => (
                    f64::from(count) / f64::from(n),
                    (centre * (1.0 - centre) / f64::from(n)).sqrt(),
                ),
                _ => (f64::from(count), centre.sqrt()),
            };
            sigmas.push(sigma);
            ChartPoint {
                date,
                count,
                visits: if kind == ChartKind::P { visits } else { None },
                value,
                ucl: centre + 3.0 * sigma,
                lcl: (centre - 3.0 * sigma).max(0.0),
            }
        })
        .collect();
    let values: Vec<f64> = points.iter().map(|p| p.value).collect();
    let signals = signals(&values, centre, &sigmas);
    ControlChart {
        kind,
        centre,
        points,
        signals,
    }
}

/// The run rules on `values` around `centre`, each with its own sigma (`sigmas[i]`; a sigma
/// of 0 means every value sits on the centre line).
pub fn signals(values: &[f64], centre: f64, sigmas: &[f64]) -> Vec<Signal> {
    let z: Vec<f64> = values
        .iter()
        .zip(sigmas)
        .map(|(v, s)| if *s > 0.0 { (v - centre) / s } else { 0.0 })
        .collect();
    let mut out: Vec<Signal> = Vec::new();
    let side = |z: f64| {
        if z > 0.0 {
            Some(Direction::Up)
        } else if z < 0.0 {
            Some(Direction::Down)
        } else {
            None
        }
    };
    // Rules 1 to 3: at least `need` of the last `window` points beyond `k` sigmas on one
    // side, the newest point among them.
    for (rule, need, window, k) in [
        (Rule::BeyondLimits, 1, 1, 3.0),
        (Rule::TwoOfThree, 2, 3, 2.0),
        (Rule::FourOfFive, 4, 5, 1.0),
    ] {
        for end in 0..z.len() {
            let Some(dir) = side(z[end]).filter(|_| z[end].abs() > k) else {
                continue;
            };
            let from = (end + 1).saturating_sub(window);
            let beyond: Vec<usize> = (from..=end)
                .filter(|&i| side(z[i]) == Some(dir) && z[i].abs() > k)
                .collect();
            if beyond.len() >= need {
                add(&mut out, rule, dir, beyond[0], end);
            }
        }
    }
    // Rule 4: eight in a row on one side.
    let mut run = 0usize;
    for end in 0..z.len() {
        run = match (side(z[end]), end.checked_sub(1).map(|i| side(z[i]))) {
            (Some(d), Some(Some(prev))) if d == prev => run + 1,
            (Some(_), _) => 1,
            (None, _) => 0,
        };
        if run >= 8
            && let Some(dir) = side(z[end])
        {
            add(&mut out, Rule::RunOfEight, dir, end + 1 - run.min(8), end);
        }
    }
    // Rule 5: six in a row each above (or below) the one before: five steps the same way.
    let mut steps = 0usize;
    let mut last: Option<Direction> = None;
    for end in 1..values.len() {
        let dir = if values[end] > values[end - 1] {
            Some(Direction::Up)
        } else if values[end] < values[end - 1] {
            Some(Direction::Down)
        } else {
            None
        };
        steps = if dir.is_some() && dir == last {
            steps + 1
        } else {
            usize::from(dir.is_some())
        };
        last = dir;
        if steps >= 5
            && let Some(dir) = dir
        {
            add(&mut out, Rule::TrendOfSix, dir, end - 5, end);
        }
    }
    out
}

/// Adds a firing of a rule, merged into the previous signal of that rule and direction when
/// their points overlap.
fn add(out: &mut Vec<Signal>, rule: Rule, direction: Direction, start: usize, end: usize) {
    if let Some(prev) = out
        .iter_mut()
        .rev()
        .find(|s| s.rule == rule && s.direction == direction)
        && start <= prev.end
    {
        prev.end = prev.end.max(end);
        prev.start = prev.start.min(start);
        return;
    }
    out.push(Signal {
        rule,
        direction,
        start,
        end,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c_chart(counts: &[u32]) -> ControlChart {
        chart(
            counts
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("d{i}"), *c, None))
                .collect(),
        )
    }

    fn fired(chart: &ControlChart) -> Vec<(Rule, Direction, usize, usize)> {
        chart
            .signals
            .iter()
            .map(|s| (s.rule, s.direction, s.start, s.end))
            .collect()
    }

    #[test]
    fn c_chart_limits_are_three_root_c_bar_around_the_mean() {
        // Nine pairs (12, 20), then 30 and 2: 320 over 20 days, c̄ = 16, σ = 4,
        // UCL = 16 + 12 = 28, LCL = 16 − 12 = 4.
        let mut counts: Vec<u32> = [12, 20].repeat(9);
        counts.extend([30, 2]);
        let c = c_chart(&counts);
        assert_eq!(c.kind, ChartKind::C);
        assert_eq!(c.centre, 16.0);
        assert_eq!((c.points[0].ucl, c.points[0].lcl), (28.0, 4.0));
        // 30 is 3.5σ above and 2 is 3.5σ below; 20 is exactly 1σ, not beyond it.
        assert_eq!(
            fired(&c),
            [
                (Rule::BeyondLimits, Direction::Up, 18, 18),
                (Rule::BeyondLimits, Direction::Down, 19, 19)
            ]
        );
        // A small mean has no lower limit: c̄ = 4, 4 − 6 < 0.
        let low = c_chart(&[2, 6, 4, 4]);
        assert_eq!((low.points[0].ucl, low.points[0].lcl), (10.0, 0.0));
    }

    #[test]
    fn a_shift_in_level_is_flagged_as_runs_of_eight() {
        // Ten days at 4 then ten at 9: c̄ = 6.5, σ ≈ 2.55, every point within 1σ (±2.5),
        // so only the run rule can see the shift: one run below, one above.
        let mut counts = vec![4; 10];
        counts.extend([9; 10]);
        let c = c_chart(&counts);
        assert_eq!(c.centre, 6.5);
        assert!((c.points[0].ucl - (6.5 + 3.0 * 6.5f64.sqrt())).abs() < 1e-12);
        assert_eq!(
            fired(&c),
            [
                (Rule::RunOfEight, Direction::Down, 0, 9),
                (Rule::RunOfEight, Direction::Up, 10, 19)
            ]
        );
        // Seven in a row is not enough.
        let mut short = vec![4; 7];
        short.extend([9; 7]);
        assert!(c_chart(&short).signals.is_empty());
    }

    #[test]
    fn two_of_three_and_four_of_five_need_the_same_side() {
        // σ = 4 around 16: beyond 2σ is above 24, beyond 1σ above 20.
        let z = |zs: &[f64]| -> Vec<(Rule, Direction, usize, usize)> {
            let v: Vec<f64> = zs.iter().map(|z| 16.0 + 4.0 * z).collect();
            signals(&v, 16.0, &vec![4.0; v.len()])
                .into_iter()
                .map(|s| (s.rule, s.direction, s.start, s.end))
                .collect()
        };
        assert_eq!(
            z(&[0.5, 2.5, -0.5, 2.1]),
            [(Rule::TwoOfThree, Direction::Up, 1, 3)]
        );
        // Opposite sides do not count together.
        assert!(z(&[2.5, -0.5, -2.5]).is_empty());
        assert_eq!(
            z(&[1.5, 1.2, -0.3, 1.1, 1.9]),
            [(Rule::FourOfFive, Direction::Up, 0, 4)]
        );
        assert!(z(&[1.5, 1.2, -0.3, 1.1, 0.9]).is_empty());
        // At the start of the chart, four of the four points so far count.
        assert_eq!(
            z(&[-1.5, -1.2, -1.3, -1.1, 0.2]),
            [(Rule::FourOfFive, Direction::Down, 0, 3)]
        );
    }

    #[test]
    fn six_rising_points_are_a_trend_and_a_tie_breaks_it() {
        let trend = |v: &[f64]| -> Vec<(Rule, Direction, usize, usize)> {
            signals(v, 4.0, &vec![100.0; v.len()])
                .into_iter()
                .map(|s| (s.rule, s.direction, s.start, s.end))
                .collect()
        };
        assert_eq!(
            trend(&[5.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]),
            [(Rule::TrendOfSix, Direction::Up, 1, 7)]
        );
        assert!(trend(&[1.0, 2.0, 3.0, 3.0, 4.0, 5.0]).is_empty());
        assert_eq!(
            trend(&[9.0, 8.0, 7.0, 6.0, 5.0, 4.0]),
            [(Rule::TrendOfSix, Direction::Down, 0, 5)]
        );
    }

    #[test]
    fn p_chart_limits_depend_on_each_days_visits() {
        // 10 + 30 complaints over 100 + 300 visits: p̄ = 0.1. σ = √(0.09/100) = 0.03 on the
        // first day, √(0.09/300) ≈ 0.01732 on the second.
        let c = chart(vec![
            ("a".into(), 10, Some(100)),
            ("b".into(), 30, Some(300)),
        ]);
        assert_eq!(c.kind, ChartKind::P);
        assert!((c.centre - 0.1).abs() < 1e-15);
        assert!((c.points[0].ucl - 0.19).abs() < 1e-12);
        assert!((c.points[0].lcl - 0.01).abs() < 1e-12);
        assert!((c.points[1].ucl - (0.1 + 3.0 * (0.09f64 / 300.0).sqrt())).abs() < 1e-12);
        assert_eq!(c.points[1].value, 0.1);
        // One day without visits: a c-chart of the counts instead.
        let c = chart(vec![("a".into(), 10, Some(100)), ("b".into(), 30, None)]);
        assert_eq!(
            (c.kind, c.centre, c.points[0].visits),
            (ChartKind::C, 20.0, None)
        );
    }

    #[test]
    fn an_empty_or_flat_chart_signals_nothing() {
        assert_eq!(c_chart(&[]).centre, 0.0);
        assert!(c_chart(&[]).signals.is_empty());
        assert!(c_chart(&[0; 12]).signals.is_empty());
        assert!(
            c_chart(&[3; 12]).signals.is_empty(),
            "on the line is neither side"
        );
    }
}
