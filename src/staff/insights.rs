//! The manager's insights screen and the staff alerts.
//!
//! The report is the core's `insights` over the ledger this tablet holds, so the screen works
//! offline; "Refresh from server" swaps in the server's report for the same selection (every
//! device's cases, aggregated there with the same core code) and says which one is shown and
//! from when. Filters: period (presets or dates), touchpoint (from the store profile) and the
//! staff member on shift (from the roster). A store tablet belongs to one store, so there is
//! no store filter; the note on screen says so.
//!
//! Who sees what: managers open the screen from the workspace (it exports every case's
//! documentation and compares staff shifts); every signed-in person sees the alerts (a spike
//! at a touchpoint in the last hour, a day outside the control limits) on the workspace.
//!
//! Exports: "Download CSV/JSON" write the core's `export` of the selection from this tablet;
//! the server's export of the same selection is fetched with the session token and saved the
//! same way (a plain link could not carry the token). Names and contact details never leave:
//! the core's rows do not hold them.
//!
//! Rooms: this root holds the selection ([`Choice`]) and the plain helpers the sections share;
//! `alerts` the staff alerts, `screen` the screen with its `filters` and `export`,
//! `dashboard` the charts, one file per section, and `changes` the markers for changes.

mod alerts;
pub(crate) mod changes;
pub(crate) mod dashboard;
mod export;
mod filters;
mod screen;
#[cfg(test)]
mod tests;

pub use alerts::{StaffAlerts, alert_text};
pub use screen::InsightsScreen;

use super::state::{LedgerView, Staff};
use crate::shared::platform::{activity, clock};
use leptos::prelude::*;
use recovery_core::insights::{
    Filter, Insights, Query, date, day_number, day_start, insights, parse_date,
};
use recovery_core::{Slug, Timestamp};
use std::time::Duration;

/// The period presets, in days back from today (today included); 0 is all time.
pub const PRESETS: [u32; 4] = [7, 30, 90, 0];

/// What the screen shows: store-local dates (`YYYY-MM-DD`, empty for open ends), and a
/// touchpoint, a staff member and a planned shift (empty for any).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choice {
    /// First day, inclusive.
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    /// A touchpoint's slug.
    pub touchpoint: String,
    /// A staff member's id.
    pub staff: String,
    /// A planned shift's name.
    pub shift: String,
}

impl Choice {
    /// The last `days` days up to `today` (a day number), or all time for 0.
    pub fn preset(days: u32, today: i64) -> Choice {
        if days == 0 {
            return Choice::default();
        }
        Choice {
            from: date(today - i64::from(days) + 1),
            to: date(today),
            ..Choice::default()
        }
    }

    /// Which preset this period is, if any.
    pub fn preset_days(&self, today: i64) -> Option<u32> {
        PRESETS.into_iter().find(|&d| {
            let p = Choice::preset(d, today);
            p.from == self.from && p.to == self.to
        })
    }

    /// The core's filter: dates are whole store-local days on a clock `offset` minutes east.
    pub fn filter(&self, store: &Slug, offset: i16) -> Filter {
        let slug = |s: &str| Slug::parse(s).ok();
        Filter {
            from: parse_date(&self.from).map(|d| day_start(d, offset)),
            to: parse_date(&self.to).map(|d| day_start(d + 1, offset)),
            store: Some(store.clone()),
            touchpoint: slug(&self.touchpoint),
            staff: slug(&self.staff),
            shift: (!self.shift.is_empty()).then(|| self.shift.clone()),
        }
    }

    /// The same selection as the server's query string (see `GET .../insights`).
    pub fn query_string(&self, offset: i16) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("tz", &offset.to_string());
        for (key, value) in [
            ("from", &self.from),
            ("to", &self.to),
            ("touchpoint", &self.touchpoint),
            ("staff", &self.staff),
            ("shift", &self.shift),
        ] {
            // What the filter would leave out is left out here too.
            let ok = match key {
                "from" | "to" => parse_date(value).is_some(),
                "shift" => !value.is_empty(),
                _ => Slug::parse(value).is_ok(),
            };
            if ok {
                query.append_pair(key, value);
            }
        }
        query.finish()
    }
}

/// The name of an exported file: `<store>-cases-<date>.<ext>` (`-server` before the dot for
/// the server's export).
pub fn file_name(store: &Slug, today: &str, server: bool, ext: &str) -> String {
    let from = if server { "-server" } else { "" };
    [store.as_str(), "-cases-", today, from, ".", ext].concat()
}

/// A duration in whole units people read: minutes below two hours, hours below two days,
/// days beyond; the number and which unit.
pub fn duration_parts(ms: i64) -> (String, Unit) {
    let minutes = ms as f64 / 60_000.0;
    if minutes < 120.0 {
        (format!("{:.0}", minutes.round()), Unit::Minutes)
    } else if minutes < 2_880.0 {
        (format!("{:.1}", minutes / 60.0), Unit::Hours)
    } else {
        (format!("{:.1}", minutes / 1_440.0), Unit::Days)
    }
}

/// The unit of [`duration_parts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Days.
    Days,
}

/// A share as a percentage with one decimal (`37.5 %`).
pub fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

/// The report for `choice` over the ledger at `now`.
fn report(staff: &Staff, choice: &Choice, now: Timestamp, offset: i16) -> Insights {
    let mut query = Query::new(now, offset);
    query.filter = choice.filter(&staff.store(), offset);
    query.contact_salt = staff.contact_salt();
    query.shifts = staff.shift_plan();
    // The digests kept: only the cases changed since the last report are read again.
    staff.ledger.with(|LedgerView(l)| {
        let kept = staff.reports.try_update_value(|r| {
            r.refresh(l, &query.contact_salt);
            r.insights(&query)
        });
        kept.unwrap_or_else(|| insights(l, &query))
    })
}

/// This tablet's offset from UTC now, in minutes east.
fn offset() -> i16 {
    clock::utc_offset_minutes(clock::now())
}

/// Today's day number on this tablet's clock.
fn today() -> i64 {
    day_number(clock::now(), offset())
}

/// The address of the server's `what` (`insights`, `export.csv`, `export.json`) for the
/// selection in `choice`.
fn api_url(staff: Staff, choice: RwSignal<Choice>, what: &str) -> String {
    [
        "/api/v1/stores/",
        staff.store().as_str(),
        "/",
        what,
        "?",
        &choice.get_untracked().query_string(offset()),
    ]
    .concat()
}

/// A minute-by-minute clock signal, so reports that depend on "now" move on by themselves.
fn use_minute() -> RwSignal<Timestamp> {
    let now = RwSignal::new(clock::now());
    activity::use_interval(Duration::from_secs(60), move || now.set(clock::now()));
    now
}
