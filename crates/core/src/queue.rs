//! The staff queue: which open case is most urgent, whether it is overdue, and whether the
//! customer has failed before (a repeat failure, where the recovery paradox does not hold).
//!
//! SLA clocks start when the customer filed on their own device (`Case::filed_at`); all
//! arithmetic is in UTC milliseconds, and [`local`] turns a moment into the filing device's
//! wall-clock time for display and for trends by hour and weekday.

use crate::case::{Case, Status};
use crate::complaint::{Contact, Impact};
use crate::ids::{CaseId, Timestamp};
use crate::sla::SlaPolicy;
use sha2::{Digest, Sha256};

/// Which deadline a case is waiting on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Due {
    /// Someone must acknowledge it.
    Acknowledge,
    /// It must be resolved.
    Resolve,
    /// The customer must be asked whether the fix held.
    FollowUp,
}

impl Due {
    /// The snake_case name, used as translation key.
    pub fn key(self) -> &'static str {
        match self {
            Due::Acknowledge => "acknowledge",
            Due::Resolve => "resolve",
            Due::FollowUp => "follow_up",
        }
    }
}

/// How bad a failure was, from the customer's own account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Not said, or minor.
    Low,
    /// Moderate.
    Medium,
    /// Major or severe: escalated, no delight script.
    High,
}

impl Severity {
    /// The severity of a case.
    pub fn of(case: &Case) -> Severity {
        match case.complaint.impact {
            Some(Impact::Major | Impact::Severe) => Severity::High,
            Some(Impact::Moderate) => Severity::Medium,
            _ => Severity::Low,
        }
    }

    /// The snake_case name, used as translation key.
    pub fn key(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// One line of the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItem {
    /// The case.
    pub case: CaseId,
    /// What it waits for.
    pub due: Due,
    /// By when.
    pub due_at: Timestamp,
    /// Whether that moment has passed.
    pub overdue: bool,
    /// How bad it was.
    pub severity: Severity,
    /// The customer failed before (their word or the same contact on an earlier case).
    pub repeat: bool,
}

/// The next deadline of a case at `now`, or `None` when nothing is waiting (closed with no
/// follow-up due, or resolved and only waiting for documentation).
pub fn next_due(case: &Case, policy: &SlaPolicy) -> Option<(Due, Timestamp)> {
    match case.status {
        Status::Filed => Some((Due::Acknowledge, policy.respond_by(case.filed_at))),
        Status::Acknowledged | Status::Understood => {
            Some((Due::Resolve, policy.resolve_by(case.filed_at)))
        }
        // A reopened case gets a fresh resolve clock from the moment it was reopened.
        Status::Reopened => Some((
            Due::Resolve,
            policy.resolve_by(case.updated_at.max(case.filed_at)),
        )),
        Status::Resolved | Status::Closed => case.follow_up_at.map(|at| (Due::FollowUp, at)),
    }
}

/// A salted fingerprint of contact details: the same person gives the same fingerprint
/// however they typed it (case and spacing of an email, punctuation of a phone number), and
/// the details cannot be read back from it. Lowercase hex of SHA-256(salt ‖ kind ‖ value).
pub fn contact_fingerprint(salt: &str, contact: &Contact) -> String {
    let (kind, value) = match contact {
        Contact::Email(e) => ("e:", e.trim().to_lowercase()),
        Contact::Phone(p) => (
            "p:",
            p.chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect(),
        ),
    };
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update([0u8]);
    h.update(kind.as_bytes());
    h.update(value.as_bytes());
    let digest = h.finalize();
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    out
}

/// The cases that are repeat failures: the customer said it happened before, or the same
/// contact (by salted fingerprint, within the same store) filed an earlier case. Returned
/// sorted by case id.
pub fn repeat_cases<'a>(cases: impl IntoIterator<Item = &'a Case>, salt: &str) -> Vec<CaseId> {
    let mut keyed: Vec<(&str, String, Timestamp, CaseId)> = Vec::new();
    let mut out = Vec::new();
    for c in cases {
        if c.complaint.happened_before == Some(true) {
            out.push(c.id);
        }
        if let Some(contact) = &c.complaint.contact {
            keyed.push((
                c.store.as_str(),
                contact_fingerprint(salt, contact),
                c.filed_at,
                c.id,
            ));
        }
    }
    keyed.sort_unstable();
    for pair in keyed.windows(2) {
        // Sorted by store, fingerprint, then filing time: each later filing of a pair is a
        // repeat of the one before it.
        if pair[0].0 == pair[1].0 && pair[0].1 == pair[1].1 {
            out.push(pair[1].3);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The queue: every case with a deadline, most urgent first. Urgency is the deadline itself
/// (so whatever is overdue longest leads), then severity, then repeat failures, then case id.
pub fn queue<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    policy: &SlaPolicy,
    repeats: &[CaseId],
    now: Timestamp,
) -> Vec<QueueItem> {
    let mut items: Vec<QueueItem> = cases
        .into_iter()
        .filter_map(|c| {
            let (due, due_at) = next_due(c, policy)?;
            Some(QueueItem {
                case: c.id,
                due,
                due_at,
                overdue: due_at < now,
                severity: Severity::of(c),
                repeat: repeats.binary_search(&c.id).is_ok(),
            })
        })
        .collect();
    items.sort_unstable_by(|a, b| {
        a.due_at
            .cmp(&b.due_at)
            .then(b.severity.cmp(&a.severity))
            .then(b.repeat.cmp(&a.repeat))
            .then(a.case.cmp(&b.case))
    });
    items
}

/// A moment on a wall clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Local {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
    /// Hour, 0 to 23.
    pub hour: u8,
    /// Minute, 0 to 59.
    pub minute: u8,
    /// Day of the week, 0 = Monday to 6 = Sunday.
    pub weekday: u8,
}

/// The wall-clock time at `at` for a clock `offset_minutes` east of UTC (proleptic Gregorian
/// calendar; days from the civil-date algorithm, no tables).
pub fn local(at: Timestamp, offset_minutes: i16) -> Local {
    let minutes = at.0.div_euclid(60_000) + i64::from(offset_minutes);
    let days = minutes.div_euclid(1440);
    let in_day = minutes.rem_euclid(1440);
    // 1970-01-01 was a Thursday (weekday 3 when Monday is 0).
    let weekday = (days + 3).rem_euclid(7) as u8;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Local {
        year,
        month,
        day,
        hour: (in_day / 60) as u8,
        minute: (in_day % 60) as u8,
        weekday,
    }
}
