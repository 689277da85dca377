//! Small statistics the insights are made of: nearest-rank percentiles, Pareto bars with
//! cumulative shares, shares that are `None` when there is nothing to share, and the Poisson
//! upper tail behind spike alerts. Pure functions on plain numbers.

use serde::{Deserialize, Serialize};

/// The `p`-th percentile (0 < p ≤ 100) of values sorted ascending, by the nearest-rank
/// method: the smallest value with at least p % of the values at or below it, that is the
/// value at rank ⌈p·n/100⌉ (1-based). Always one of the values; `None` when there are none.
/// The median is `percentile(v, 50)`: for an even count, the lower of the two middle values.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u64;
    let rank = (u64::from(p.clamp(1, 100)) * n).div_ceil(100).max(1);
    sorted.get(rank as usize - 1).copied()
}

/// How long a step took, over the cases that took it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Durations {
    /// How many cases took the step.
    pub count: u32,
    /// Median, milliseconds (nearest rank, see [`percentile`]).
    pub median_ms: Option<i64>,
    /// 90th percentile, milliseconds (nearest rank).
    pub p90_ms: Option<i64>,
}

impl Durations {
    /// The median and p90 of these durations (in any order).
    pub fn of(mut ms: Vec<i64>) -> Durations {
        ms.sort_unstable();
        Durations {
            count: ms.len() as u32,
            median_ms: percentile(&ms, 50),
            p90_ms: percentile(&ms, 90),
        }
    }
}

/// `part / whole`, or `None` when `whole` is 0.
pub fn share(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

/// One bar of a Pareto chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    /// What is counted: a slug, an enum's snake_case key (a translation key), or a text.
    pub key: String,
    /// How many.
    pub count: u32,
    /// Its share of the total, 0 to 1.
    pub share: f64,
    /// The share of this bar and every bar before it, 0 to 1 (exactly 1 on the last).
    pub cumulative: f64,
}

/// A Pareto chart of counts: bars with a count above 0, largest first (ties by key), each
/// with its share and the cumulative share.
pub fn pareto<K: Into<String>>(counts: impl IntoIterator<Item = (K, u32)>) -> Vec<Bar> {
    let mut bars: Vec<(String, u32)> = counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (k.into(), n))
        .collect();
    bars.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total: u64 = bars.iter().map(|(_, n)| u64::from(*n)).sum();
    let mut running = 0u64;
    bars.into_iter()
        .map(|(key, count)| {
            running += u64::from(count);
            Bar {
                key,
                count,
                share: count as f64 / total as f64,
                // From whole counts, so rounding never leaves the last bar short of 1.
                cumulative: running as f64 / total as f64,
            }
        })
        .collect()
}

/// The smallest count `c ≥ min` that a Poisson variable with mean `lambda` reaches with
/// probability below `alpha`: P(X ≥ c) < alpha. Summed in logarithms, so a large mean does
/// not underflow.
pub fn poisson_threshold(lambda: f64, alpha: f64, min: u32) -> u32 {
    let min = min.max(1);
    // No history (or a mean that is not a number): only the minimum count.
    if lambda.is_nan() || lambda <= 0.0 {
        return min;
    }
    let ln_lambda = lambda.ln();
    let mut ln_pmf = -lambda; // ln P(X = 0)
    let mut below = 0.0; // P(X < c)
    let mut c: u32 = 0;
    loop {
        if c >= min && 1.0 - below < alpha {
            return c;
        }
        below += ln_pmf.exp();
        c += 1;
        ln_pmf += ln_lambda - f64::from(c).ln();
        if c == u32::MAX {
            return c;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let ten: Vec<i64> = (1..=10).map(|v| v * 10).collect();
        // Rank ⌈0.5·10⌉ = 5 and ⌈0.9·10⌉ = 9.
        assert_eq!(percentile(&ten, 50), Some(50));
        assert_eq!(percentile(&ten, 90), Some(90));
        assert_eq!(percentile(&ten, 100), Some(100));
        // Five values: ranks ⌈2.5⌉ = 3 and ⌈4.5⌉ = 5.
        assert_eq!(percentile(&[1, 2, 3, 4, 50], 50), Some(3));
        assert_eq!(percentile(&[1, 2, 3, 4, 50], 90), Some(50));
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(percentile(&[], 50), None);
        let d = Durations::of(vec![600_000, 60_000, 120_000, 180_000]);
        assert_eq!(
            (d.count, d.median_ms, d.p90_ms),
            (4, Some(120_000), Some(600_000))
        );
    }

    #[test]
    fn pareto_bars_are_largest_first_with_cumulative_shares() {
        let bars = pareto([("b", 2), ("a", 5), ("z", 0), ("c", 2), ("d", 1)]);
        let keys: Vec<&str> = bars.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c", "d"], "ties by key, zero left out");
        let cumulative: Vec<f64> = bars.iter().map(|b| b.cumulative).collect();
        assert_eq!(cumulative, [0.5, 0.7, 0.9, 1.0]);
        assert_eq!(bars[0].share, 0.5);
        assert_eq!(bars[3].share, 0.1);
        assert!(pareto::<&str>([]).is_empty());
        // Thirds: the last bar is still exactly 1.
        assert_eq!(pareto([("x", 1), ("y", 1), ("z", 1)])[2].cumulative, 1.0);
    }

    #[test]
    fn the_poisson_threshold_matches_hand_computed_tails() {
        // λ = 1: P(X ≥ 5) = 1 − e⁻¹(1 + 1 + 1/2 + 1/6 + 1/24) ≈ 0.00366 and
        // P(X ≥ 6) ≈ 0.000594: 6 is the first count below 0.001.
        assert_eq!(poisson_threshold(1.0, 0.001, 3), 6);
        // At 0.01, P(X ≥ 4) ≈ 0.0190 and P(X ≥ 5) ≈ 0.00366: 5.
        assert_eq!(poisson_threshold(1.0, 0.01, 3), 5);
        // No history: only the minimum count.
        assert_eq!(poisson_threshold(0.0, 0.001, 3), 3);
        // A quiet touchpoint (λ = 0.1): P(X ≥ 3) ≈ 0.000155, so the minimum rules.
        assert_eq!(poisson_threshold(0.1, 0.001, 3), 3);
        // A huge mean does not underflow: near λ + 3.1·√λ.
        let big = poisson_threshold(10_000.0, 0.001, 3);
        assert!((10_300..=10_320).contains(&big), "{big}");
    }

    #[test]
    fn shares_of_nothing_are_none() {
        assert_eq!(share(1, 4), Some(0.25));
        assert_eq!(share(0, 0), None);
    }
}
