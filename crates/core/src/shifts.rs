//! A store's shift plan: named shifts, each with its hours on each weekday (store-local wall
//! clock) and the staff who work it. With a plan, "on shift" in the insights is what the plan
//! says rather than a guess from the steps people took, and the report counts complaints per
//! shift and per planned hour (see [`crate::insights`]).

use crate::chain::SetupError;
use crate::complaint::text_len;
use crate::ids::{Slug, Timestamp};
use crate::queue::local;
use serde::{Deserialize, Serialize};

/// Most shifts in a plan.
pub const SHIFTS_MAX: usize = 12;
/// Longest shift name, in characters.
pub const SHIFT_NAME_MAX: usize = 40;
/// Minutes in a day.
const DAY_MINUTES: u16 = 1440;

/// The hours of a shift on one day, in minutes after local midnight. A shift that ends at or
/// before its start runs past midnight into the next day (22:00–06:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hours {
    /// When it starts, 0 to 1439.
    pub start: u16,
    /// When it ends, 1 to 1440 (24:00); at or before `start`: the next day.
    pub end: u16,
}

impl Hours {
    /// Reads `HH:MM-HH:MM` (an en dash or "to"-less spaces allowed around the dash; 24:00 ends
    /// a day); `None` for anything else, including a shift of no length.
    pub fn parse(text: &str) -> Option<Hours> {
        let (a, b) = text.split_once(['-', '–'])?;
        let minute = |t: &str| -> Option<u16> {
            let (h, m) = t.trim().split_once([':', '.'])?;
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            (h <= 24 && m < 60 && h * 60 + m <= DAY_MINUTES).then_some(h * 60 + m)
        };
        let hours = Hours {
            start: minute(a)?,
            end: minute(b)?,
        };
        hours.is_well_formed().then_some(hours)
    }

    /// Whether the times are on the clock and the shift has a length.
    pub fn is_well_formed(self) -> bool {
        self.start < DAY_MINUTES && (1..=DAY_MINUTES).contains(&self.end) && self.start != self.end
    }

    /// Whether it runs past midnight.
    pub fn overnight(self) -> bool {
        self.end <= self.start
    }

    /// How long it is, in minutes.
    pub fn minutes(self) -> u32 {
        if self.overnight() {
            u32::from(DAY_MINUTES - self.start + self.end)
        } else {
            u32::from(self.end - self.start)
        }
    }

    /// As people write it: `07:00–15:00`.
    pub fn text(self) -> String {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        format!("{}–{}", hm(self.start), hm(self.end))
    }
}

/// One shift of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedShift {
    /// Its name ("Morning").
    pub name: String,
    /// Its hours by weekday, Monday first; `None`: not worked that day.
    pub hours: [Option<Hours>; 7],
    /// Who works it.
    #[serde(default)]
    pub staff: Vec<Slug>,
}

impl PlannedShift {
    /// Whether it covers the moment `at` on a clock `offset_minutes` east of UTC: that
    /// weekday's hours hold the time, or the day before's ran past midnight into it.
    pub fn covers(&self, at: Timestamp, offset_minutes: i16) -> bool {
        let l = local(at, offset_minutes);
        let day = usize::from(l.weekday);
        let minute = u16::from(l.hour) * 60 + u16::from(l.minute);
        let today =
            self.hours[day].is_some_and(|h| minute >= h.start && (h.overnight() || minute < h.end));
        let yesterday = self.hours[(day + 6) % 7].is_some_and(|h| h.overnight() && minute < h.end);
        today || yesterday
    }

    /// Its planned minutes on a weekday (Monday 0), counted on the day it starts.
    pub fn minutes_on(&self, weekday: usize) -> u32 {
        self.hours[weekday % 7].map_or(0, Hours::minutes)
    }
}

/// A store's shift plan; empty when it has none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShiftPlan(pub Vec<PlannedShift>);

impl ShiftPlan {
    /// Whether there is no plan.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The shift of this name.
    pub fn shift(&self, name: &str) -> Option<&PlannedShift> {
        self.0.iter().find(|s| s.name == name)
    }

    /// Whether the plan names `staff` on any shift.
    pub fn names(&self, staff: &Slug) -> bool {
        self.0.iter().any(|s| s.staff.contains(staff))
    }

    /// Whether `staff` was on shift at `at` by the plan; `None` when the plan does not name
    /// them (then only what they did can tell).
    pub fn on_shift(&self, staff: &Slug, at: Timestamp, offset_minutes: i16) -> Option<bool> {
        let mut theirs = self.0.iter().filter(|s| s.staff.contains(staff)).peekable();
        theirs.peek()?;
        Some(theirs.any(|s| s.covers(at, offset_minutes)))
    }

    /// Checks the plan: at most [`SHIFTS_MAX`] shifts, each with a name of its own of 1 to
    /// [`SHIFT_NAME_MAX`] characters, hours on the clock on at least one day, and each person
    /// once. Whether the people are the store's is the server's to check.
    pub fn check(&self) -> Result<(), SetupError> {
        if self.0.len() > SHIFTS_MAX {
            return Err(SetupError::TooManyShifts);
        }
        for (i, shift) in self.0.iter().enumerate() {
            let name = shift.name.trim();
            let well_named = !name.is_empty()
                && name == shift.name
                && text_len(name) <= SHIFT_NAME_MAX
                && !name.chars().any(char::is_control);
            if !well_named || self.0[..i].iter().any(|s| s.name == shift.name) {
                return Err(SetupError::ShiftName);
            }
            let days = shift.hours.iter().flatten();
            if shift.hours.iter().all(Option::is_none) || days.clone().any(|h| !h.is_well_formed())
            {
                return Err(SetupError::ShiftHours);
            }
            let twice = (1..shift.staff.len()).any(|j| shift.staff[..j].contains(&shift.staff[j]));
            if twice {
                return Err(SetupError::ShiftStaff);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;
    /// Monday 2024-01-01 00:00 UTC.
    const MONDAY: i64 = 1_704_067_200_000;

    fn slug(s: &str) -> Slug {
        Slug::parse(s).unwrap()
    }

    /// Monday (day 0) … Sunday (day 6) at `hh:mm` UTC.
    fn at(day: i64, hh: i64, mm: i64) -> Timestamp {
        Timestamp(MONDAY + day * 1440 * MIN + (hh * 60 + mm) * MIN)
    }

    fn shift(name: &str, hours: &str, days: &[usize], staff: &[&str]) -> PlannedShift {
        let mut all = [None; 7];
        for &d in days {
            all[d] = Hours::parse(hours);
        }
        PlannedShift {
            name: name.into(),
            hours: all,
            staff: staff.iter().map(|s| slug(s)).collect(),
        }
    }

    #[test]
    fn hours_read_as_people_write_them() {
        let h = Hours::parse("07:00-15:00").unwrap();
        assert_eq!((h.start, h.end, h.minutes()), (420, 900, 480));
        assert_eq!(
            Hours::parse(" 7.30 – 24:00 "),
            Some(Hours {
                start: 450,
                end: 1440
            })
        );
        let night = Hours::parse("22:00-06:00").unwrap();
        assert!(night.overnight());
        assert_eq!(night.minutes(), 480);
        assert_eq!(night.text(), "22:00–06:00");
        for bad in [
            "",
            "7-15",
            "07:00",
            "07:00-07:00",
            "25:00-26:00",
            "07:60-08:00",
            "24:30-01:00",
        ] {
            assert_eq!(Hours::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_shift_covers_its_hours_and_a_night_runs_into_the_next_day() {
        let morning = shift("Morning", "07:00-15:00", &[0, 1, 2, 3, 4], &["ana"]);
        assert!(morning.covers(at(0, 7, 0), 0));
        assert!(morning.covers(at(0, 14, 59), 0));
        assert!(!morning.covers(at(0, 15, 0), 0));
        assert!(!morning.covers(at(5, 9, 0), 0), "not on Saturday");
        // The store's clock: 06:30 UTC is 07:30 an hour east.
        assert!(!morning.covers(at(0, 6, 30), 0));
        assert!(morning.covers(at(0, 6, 30), 60));

        let night = shift("Night", "22:00-06:00", &[6], &["bo"]);
        assert!(night.covers(at(6, 23, 0), 0), "Sunday night");
        assert!(night.covers(at(7, 5, 59), 0), "into Monday morning");
        assert!(!night.covers(at(7, 6, 0), 0));
        assert!(!night.covers(at(0, 23, 0), 0), "not Monday night");
        assert_eq!(night.minutes_on(6), 480);
        assert_eq!(night.minutes_on(0), 0);
    }

    #[test]
    fn the_plan_says_who_is_on_shift_and_says_nothing_of_people_it_does_not_name() {
        let plan = ShiftPlan(vec![
            shift("Morning", "07:00-15:00", &[0, 1, 2, 3, 4], &["ana"]),
            shift("Late", "15:00-23:00", &[0, 1, 2, 3, 4], &["bo"]),
            shift("Weekend", "09:00-17:00", &[5, 6], &["ana", "bo"]),
        ]);
        let (ana, bo, cy) = (slug("ana"), slug("bo"), slug("cy"));
        assert_eq!(plan.on_shift(&ana, at(0, 9, 0), 0), Some(true));
        assert_eq!(plan.on_shift(&bo, at(0, 9, 0), 0), Some(false));
        assert_eq!(plan.on_shift(&bo, at(0, 16, 0), 0), Some(true));
        assert_eq!(plan.on_shift(&ana, at(5, 10, 0), 0), Some(true));
        assert_eq!(plan.on_shift(&bo, at(5, 10, 0), 0), Some(true));
        assert_eq!(plan.on_shift(&cy, at(0, 9, 0), 0), None);
        assert!(plan.names(&ana) && !plan.names(&cy));
        assert_eq!(plan.shift("Late").map(|s| s.staff.len()), Some(1));
        assert_eq!(ShiftPlan::default().on_shift(&ana, at(0, 9, 0), 0), None);
    }

    #[test]
    fn a_plan_is_checked_before_it_is_kept() {
        let good = ShiftPlan(vec![shift("Morning", "07:00-15:00", &[0], &["ana"])]);
        assert_eq!(good.check(), Ok(()));
        assert_eq!(ShiftPlan::default().check(), Ok(()));
        let with = |f: &dyn Fn(&mut PlannedShift)| {
            let mut plan = good.clone();
            f(&mut plan.0[0]);
            plan.check()
        };
        assert_eq!(with(&|s| s.name = " ".into()), Err(SetupError::ShiftName));
        assert_eq!(
            with(&|s| s.name = "x".repeat(41)),
            Err(SetupError::ShiftName)
        );
        assert_eq!(with(&|s| s.hours = [None; 7]), Err(SetupError::ShiftHours));
        let bad = Hours {
            start: 900,
            end: 900,
        };
        assert_eq!(
            with(&|s| s.hours[1] = Some(bad)),
            Err(SetupError::ShiftHours)
        );
        assert_eq!(
            with(&|s| s.staff.push(slug("ana"))),
            Err(SetupError::ShiftStaff)
        );
        let mut twice = good.clone();
        twice.0.push(good.0[0].clone());
        assert_eq!(twice.check(), Err(SetupError::ShiftName));
        let many = ShiftPlan(
            (0..13)
                .map(|i| shift(&format!("S{i}"), "07:00-08:00", &[0], &[]))
                .collect(),
        );
        assert_eq!(many.check(), Err(SetupError::TooManyShifts));
    }
}
