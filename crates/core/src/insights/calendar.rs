//! Store-local days and times for the insights: day numbers (days since 1970-01-01 on the
//! store's wall clock), ISO dates and timestamps. Pure arithmetic on a fixed UTC offset.

use crate::ids::Timestamp;
use crate::queue::local;

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;
/// Milliseconds in an hour.
pub const HOUR_MS: i64 = 3_600_000;

/// The wall-clock day of `at` for a clock `offset_minutes` east of UTC, as days since
/// 1970-01-01 (negative before it).
pub fn day_number(at: Timestamp, offset_minutes: i16) -> i64 {
    (at.0.div_euclid(60_000) + i64::from(offset_minutes)).div_euclid(1440)
}

/// The moment a wall-clock day starts (local midnight) for a clock `offset_minutes` east.
pub fn day_start(day: i64, offset_minutes: i16) -> Timestamp {
    Timestamp(
        day.saturating_mul(DAY_MS)
            .saturating_sub(i64::from(offset_minutes) * 60_000),
    )
}

/// A day number as an ISO 8601 date, `YYYY-MM-DD`.
pub fn date(day: i64) -> String {
    let l = local(Timestamp(day.saturating_mul(DAY_MS)), 0);
    format!("{:04}-{:02}-{:02}", l.year, l.month, l.day)
}

/// Reads an ISO 8601 date (`YYYY-MM-DD`, years 1970 to 9999) as a day number; `None` for
/// anything else, including days a month does not have.
pub fn parse_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if year < 1970 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from the civil date (March-based years, so the leap day ends a year).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    // 31 April or 29 February 2023 land on another date: refused by the round trip.
    (date(days) == text).then_some(days)
}

/// A moment as ISO 8601 with the offset, `YYYY-MM-DDTHH:MM:SS+HH:MM`, on the clock
/// `offset_minutes` east of UTC.
pub fn iso(at: Timestamp, offset_minutes: i16) -> String {
    let l = local(at, offset_minutes);
    let seconds = at.0.div_euclid(1000).rem_euclid(60);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let off = offset_minutes.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        l.year,
        l.month,
        l.day,
        l.hour,
        l.minute,
        seconds,
        off / 60,
        off % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_on_the_local_clock() {
        // 2026-03-01 23:30 UTC is already 2 March in Jakarta (+7).
        let at = Timestamp(
            day_start(parse_date("2026-03-01").unwrap(), 0).0 + 23 * HOUR_MS + 30 * 60_000,
        );
        assert_eq!(date(day_number(at, 0)), "2026-03-01");
        assert_eq!(date(day_number(at, 420)), "2026-03-02");
        assert_eq!(date(day_number(at, -600)), "2026-03-01");
        assert_eq!(
            day_start(day_number(at, 420), 420),
            Timestamp(at.0 - 23 * HOUR_MS - 30 * 60_000 + 17 * HOUR_MS)
        );
        assert_eq!(day_number(Timestamp(0), 0), 0);
        assert_eq!(day_number(Timestamp(-1), 0), -1);
    }

    #[test]
    fn dates_parse_only_when_they_exist() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(date(19_782), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-1-01",
            "1969-12-31",
            "２０２６-01-01",
            "+026-01-01",
            "2026-01-0a",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_print_as_iso_with_their_offset() {
        let at = Timestamp(1_795_391_700_000 + 7_000); // 2026-11-22 23:55:07 UTC
        assert_eq!(iso(at, 0), "2026-11-22T23:55:07+00:00");
        assert_eq!(iso(at, 420), "2026-11-23T06:55:07+07:00");
        assert_eq!(iso(at, -570), "2026-11-22T14:25:07-09:30");
    }
}
