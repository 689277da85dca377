//! Before and after a change (a system upgrade, a new product, a new shift plan, a training):
//! the complaints in two equal windows either side of the moment it was made, their rate
//! ratio with a 95 % interval, and whether the difference is more than chance.
//!
//! The test is the exact conditional one for two Poisson counts over equal exposure: given
//! `n = before + after` complaints, "no change" means each fell after the change with
//! probability ½, so `after` is Binomial(n, ½); the two-sided p-value doubles the smaller tail.
//! The interval is the usual one on the log scale, `ln(after/before) ± 1.96·√(1/after +
//! 1/before)`, with ½ added to both counts when either is 0 (so a window without complaints
//! still gives a finite interval). Pure: the caller passes the times and `now`.

use serde::{Deserialize, Serialize};

use super::calendar::DAY_MS;
use crate::ids::Timestamp;

/// The normal quantile of a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The complaints before and after a change, and what they say.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    /// The length of each window, in milliseconds: as asked, or shorter while the change is
    /// recent (the after-window ends now) or near the start of the history.
    pub window_ms: i64,
    /// Complaints in the window before the change.
    pub before: u32,
    /// Complaints in the window from the change on.
    pub after: u32,
    /// `after / before`; `None` when there were none before.
    pub ratio: Option<f64>,
    /// The 95 % interval of the rate ratio.
    pub low: f64,
    /// See [`Shift::low`].
    pub high: f64,
    /// The two-sided p-value of "the rate did not change".
    pub p_value: f64,
    /// Whether `p_value` is below the level asked for.
    pub significant: bool,
}

/// The complaints filed at `times` (any order) in the `window_days` before the change made at
/// `at` and in as long from it, seen at `now`, with `first` the start of the history (no
/// window reaches before it). `None` when either window would be empty of time (the change is
/// in the future, or at the very start). Significant below `alpha` (e.g. 0.05).
pub fn before_after(
    times: &[Timestamp],
    at: Timestamp,
    window_days: u32,
    first: Timestamp,
    now: Timestamp,
    alpha: f64,
) -> Option<Shift> {
    let asked = i64::from(window_days).saturating_mul(DAY_MS);
    let window_ms = asked.min(now.0 - at.0).min(at.0 - first.0);
    if window_ms <= 0 {
        return None;
    }
    let count =
        |from: i64, to: i64| times.iter().filter(|t| (from..to).contains(&t.0)).count() as u32;
    let before = count(at.0 - window_ms, at.0);
    let after = count(at.0, at.0 + window_ms);
    let (a, b) = if before == 0 || after == 0 {
        (f64::from(after) + 0.5, f64::from(before) + 0.5)
    } else {
        (f64::from(after), f64::from(before))
    };
    let spread = Z95 * (1.0 / a + 1.0 / b).sqrt();
    let centre = (a / b).ln();
    let p_value = binomial_two_sided(before + after, after);
    Some(Shift {
        window_ms,
        before,
        after,
        ratio: (before > 0).then(|| f64::from(after) / f64::from(before)),
        low: (centre - spread).exp(),
        high: (centre + spread).exp(),
        p_value,
        significant: p_value < alpha,
    })
}

/// The two-sided p-value of `k` successes in `n` fair trials: twice the smaller tail, at most
/// 1. Summed in logarithms term by term, so thousands of trials do not underflow the middle.
pub fn binomial_two_sided(n: u32, k: u32) -> f64 {
    if n == 0 {
        return 1.0;
    }
    let ln_half_n = f64::from(n) * 0.5f64.ln();
    // ln C(n, i) built up from C(n, 0) = 1.
    let mut ln_choose = 0.0;
    let (mut lower, mut upper) = (0.0, 0.0);
    for i in 0..=n {
        let p = (ln_choose + ln_half_n).exp();
        if i <= k {
            lower += p;
        }
        if i >= k {
            upper += p;
        }
        if i < n {
            ln_choose += f64::from(n - i).ln() - f64::from(i + 1).ln();
        }
    }
    (2.0 * lower.min(upper)).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `per_day` complaints a day, spread over each day, for `days` days from `from`.
    fn daily(from: i64, days: i64, per_day: i64) -> Vec<Timestamp> {
        (0..days)
            .flat_map(|d| {
                (0..per_day).map(move |i| Timestamp(from + d * DAY_MS + i * DAY_MS / per_day))
            })
            .collect()
    }

    /// A deterministic scatter of `n` complaints over `days` days from `from`, at one steady
    /// rate (a linear congruential generator: the same numbers every run).
    fn steady(from: i64, days: i64, n: usize, seed: u64) -> Vec<Timestamp> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                // The top 53 bits as a fraction of the span.
                let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
                Timestamp(from + (unit * (days * DAY_MS) as f64) as i64)
            })
            .collect()
    }

    const START: i64 = 1_700_000_000_000;

    #[test]
    fn the_exact_test_is_the_binomial_tail_doubled() {
        assert!((binomial_two_sided(10, 10) - 2.0 / 1024.0).abs() < 1e-12);
        assert!((binomial_two_sided(10, 0) - 2.0 / 1024.0).abs() < 1e-12);
        assert_eq!(binomial_two_sided(10, 5), 1.0);
        assert_eq!(binomial_two_sided(0, 0), 1.0);
        // P(X ≤ 2 | n = 10) = 56/1024, doubled.
        assert!((binomial_two_sided(10, 2) - 112.0 / 1024.0).abs() < 1e-12);
        // Thousands of trials: no underflow in the middle, a tiny tail far out.
        assert_eq!(binomial_two_sided(5_000, 2_500), 1.0);
        assert!(binomial_two_sided(5_000, 2_700) < 1e-6);
    }

    #[test]
    fn a_planted_doubling_after_an_upgrade_is_found_with_an_interval_above_one() {
        let upgrade = START + 28 * DAY_MS;
        let mut times = daily(START, 28, 3);
        times.extend(daily(upgrade, 14, 6));
        let now = Timestamp(upgrade + 14 * DAY_MS);
        let shift =
            before_after(&times, Timestamp(upgrade), 14, Timestamp(START), now, 0.05).unwrap();
        assert_eq!((shift.before, shift.after), (42, 84));
        assert_eq!(shift.window_ms, 14 * DAY_MS);
        assert_eq!(shift.ratio, Some(2.0));
        assert!(shift.significant && shift.p_value < 0.001, "{shift:?}");
        assert!(
            shift.low > 1.3 && shift.low < 2.0 && shift.high > 2.0,
            "{shift:?}"
        );
    }

    #[test]
    fn a_planted_non_change_is_not_called_a_change() {
        let marker = START + 20 * DAY_MS;
        for seed in 1..=20 {
            let times = steady(START, 40, 400, seed);
            let now = Timestamp(START + 40 * DAY_MS);
            let shift =
                before_after(&times, Timestamp(marker), 14, Timestamp(START), now, 0.01).unwrap();
            assert!(!shift.significant, "seed {seed}: {shift:?}");
            assert!(
                shift.low < 1.0 && shift.high > 1.0,
                "seed {seed}: {shift:?}"
            );
        }
    }

    #[test]
    fn windows_shrink_to_what_has_happened_and_nothing_is_said_of_the_future() {
        let change = START + 10 * DAY_MS;
        let times = daily(START, 13, 2);
        // Three days after the change: three days either side, however long was asked.
        let now = Timestamp(change + 3 * DAY_MS);
        let shift =
            before_after(&times, Timestamp(change), 14, Timestamp(START), now, 0.05).unwrap();
        assert_eq!(shift.window_ms, 3 * DAY_MS);
        assert_eq!((shift.before, shift.after), (6, 6));
        assert!(!shift.significant);
        // Two days into the history: two days either side.
        let early = before_after(
            &times,
            Timestamp(START + 2 * DAY_MS),
            14,
            Timestamp(START),
            now,
            0.05,
        )
        .unwrap();
        assert_eq!(early.window_ms, 2 * DAY_MS);
        // A change not made yet, or at the very start: nothing to compare.
        assert_eq!(
            before_after(
                &times,
                Timestamp(now.0 + 1),
                14,
                Timestamp(START),
                now,
                0.05
            ),
            None
        );
        assert_eq!(
            before_after(&times, Timestamp(START), 14, Timestamp(START), now, 0.05),
            None
        );
    }

    #[test]
    fn a_window_without_complaints_still_has_a_finite_interval() {
        let change = START + 14 * DAY_MS;
        let times = daily(change, 14, 1);
        let now = Timestamp(change + 14 * DAY_MS);
        let shift =
            before_after(&times, Timestamp(change), 14, Timestamp(START), now, 0.05).unwrap();
        assert_eq!((shift.before, shift.after, shift.ratio), (0, 14, None));
        assert!(shift.low.is_finite() && shift.high.is_finite() && shift.low > 1.0);
        assert!(shift.significant);
    }
}
