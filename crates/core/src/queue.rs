//! The staff queue: which open case is most urgent, whether it is overdue, and whether the
//! customer has failed before (a repeat failure, where the recovery paradox does not hold).
//!
//! SLA clocks start when the customer filed on their own device (`Case::filed_at`); all
//! arithmetic is in UTC milliseconds, and [`local`] turns a moment into the filing device's
//! wall-clock time for display and for trends by hour and weekday.

use crate::case::{Case, Status};
use crate::complaint::{Contact, Impact};
use crate::ids::{CaseId, Timestamp};
use crate::insights::Brief;
use crate::sla::SlaPolicy;
use sha2::{Digest, Sha256};

mod sections;
pub use sections::{FOUND_MAX, Section, find};

/// Which deadline a case is waiting on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Due {
    /// Someone must acknowledge it.
    Acknowledge,
    /// It must be resolved.
    Resolve,
    /// The customer must be asked whether the fix held.
    FollowUp,
    /// Resolved: the cause must be documented and the case closed (no deadline: the moment
    /// is when it was resolved).
    Document,
}

impl Due {
    /// The snake_case name, used as translation key.
    pub fn key(self) -> &'static str {
        match self {
            Due::Acknowledge => "acknowledge",
            Due::Resolve => "resolve",
            Due::FollowUp => "follow_up",
            Due::Document => "document",
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
    /// The queue's section it stands in.
    pub section: Section,
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

/// Whether a case is in the store's queue: it is not closed, or a follow-up is to be made.
pub fn in_queue(case: &Case) -> bool {
    case.status != Status::Closed || case.follow_up_at.is_some()
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
/// contact (by salted fingerprint) filed an earlier case. A chain's stores share one salt, so
/// an earlier case in any store of the chain counts; stores of different chains never match.
/// Returned sorted by case id.
pub fn repeat_cases<'a>(cases: impl IntoIterator<Item = &'a Case>, salt: &str) -> Vec<CaseId> {
    let briefs: Vec<Brief> = cases.into_iter().map(|c| Brief::of(c, salt)).collect();
    repeats(&briefs)
}

/// [`repeat_cases`] over the cases' briefs.
pub fn repeats(briefs: &[Brief]) -> Vec<CaseId> {
    let mut keyed: Vec<(&str, Timestamp, CaseId)> = Vec::new();
    let mut out = Vec::new();
    for b in briefs {
        if b.happened_before {
            out.push(b.id);
        }
        if let Some(fingerprint) = &b.fingerprint {
            keyed.push((fingerprint, b.filed_at, b.id));
        }
    }
    keyed.sort_unstable();
    for pair in keyed.windows(2) {
        // Sorted by fingerprint (the salt is the chain's), then filing time: each later
        // filing of a pair is a repeat of the one before it, whichever store it was filed in.
        if pair[0].0 == pair[1].0 {
            out.push(pair[1].2);
        }
    }
    // By the id's number: the order of case ids, without a byte comparison each.
    out.sort_unstable_by_key(|id| id.0.as_u128());
    out.dedup();
    out
}

/// The queue: every case with a deadline and every resolved case not yet documented, by
/// [`Section`], most urgent first within each. Urgency is the deadline itself (so whatever is
/// overdue longest leads), then severity, then repeat failures, then case id.
pub fn queue<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    policy: &SlaPolicy,
    repeats: &[CaseId],
    now: Timestamp,
) -> Vec<QueueItem> {
    let mut items: Vec<QueueItem> = cases
        .into_iter()
        .filter_map(|c| {
            let (due, due_at) = next_due(c, policy).or_else(|| {
                (c.status == Status::Resolved)
                    .then(|| (Due::Document, c.resolved_at.unwrap_or(c.updated_at)))
            })?;
            let section = Section::of(c, due == Due::FollowUp, due_at.0, now.0);
            Some(QueueItem {
                case: c.id,
                due,
                due_at,
                overdue: due != Due::Document && due_at < now,
                severity: Severity::of(c),
                repeat: repeats.binary_search(&c.id).is_ok(),
                section,
            })
        })
        .collect();
    items.sort_unstable_by(|a, b| {
        a.section
            .cmp(&b.section)
            .then(a.due_at.cmp(&b.due_at))
            .then(b.severity.cmp(&a.severity))
            .then(b.repeat.cmp(&a.repeat))
            .then(a.case.cmp(&b.case))
    });
    items
}

/// What a locked tablet shows of its store: counts and the most urgent deadline, never a
/// customer's words or details.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Cases nobody has acknowledged yet.
    pub new: usize,
    /// Cases past their deadline (to acknowledge, resolve or follow up).
    pub overdue: usize,
    /// Open cases only a manager may resolve.
    pub for_manager: usize,
    /// Resolved cases whose follow-up is due.
    pub follow_ups_due: usize,
    /// Cases needing someone now: new, overdue, for a manager or with a follow-up due (each
    /// counted once).
    pub waiting: usize,
    /// The earliest deadline of any case.
    pub next_deadline: Option<Timestamp>,
}

impl Summary {
    /// The summary of `cases` at `now`.
    pub fn of<'a>(
        cases: impl IntoIterator<Item = &'a Case>,
        policy: &SlaPolicy,
        now: Timestamp,
    ) -> Summary {
        let mut summary = Summary::default();
        for case in cases {
            let due = next_due(case, policy);
            let overdue = due.is_some_and(|(_, at)| at < now);
            let new = case.status == Status::Filed;
            let for_manager = case.status.is_open() && case.needs_manager();
            let follow_up = due.is_some_and(|(due, at)| due == Due::FollowUp && at <= now);
            summary.new += usize::from(new);
            summary.overdue += usize::from(overdue);
            summary.for_manager += usize::from(for_manager);
            summary.follow_ups_due += usize::from(follow_up);
            summary.waiting += usize::from(new || overdue || for_manager || follow_up);
            if let Some((_, at)) = due {
                summary.next_deadline = Some(summary.next_deadline.map_or(at, |d| d.min(at)));
            }
        }
        summary
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::apply;
    use crate::complaint::{Category, ComplaintDraft, validate};
    use crate::event::{EventKind, Role};
    use crate::testing::{actor, step};

    const H: i64 = 3_600_000;
    const M: i64 = 60_000;

    fn case(id: u128, at: i64, draft: ComplaintDraft) -> Case {
        let e = step(
            id,
            id,
            at,
            EventKind::Filed {
                complaint: validate(&draft).unwrap(),
                utc_offset_minutes: 0,
            },
        );
        apply(None, &e).unwrap()
    }

    fn draft(contact: &str) -> ComplaintDraft {
        ComplaintDraft {
            category: Some(Category::Waiting),
            description: "long queue".into(),
            contact: contact.into(),
            consent_to_contact: !contact.is_empty(),
            ..Default::default()
        }
    }

    #[test]
    fn local_time_crosses_days_years_and_offsets() {
        // 2026-11-22 23:55 UTC is a Sunday.
        let t = Timestamp(1_795_391_700_000);
        let utc = local(t, 0);
        assert_eq!(
            (
                utc.year,
                utc.month,
                utc.day,
                utc.hour,
                utc.minute,
                utc.weekday
            ),
            (2026, 11, 22, 23, 55, 6)
        );
        // Jakarta (+7): already Monday morning.
        let jkt = local(t, 420);
        assert_eq!((jkt.day, jkt.hour, jkt.minute, jkt.weekday), (23, 6, 55, 0));
        // Honolulu (-10): Sunday afternoon.
        let hnl = local(t, -600);
        assert_eq!((hnl.day, hnl.hour, hnl.weekday), (22, 13, 6));
        // New Year's Eve in Stockholm (+1) is already the new year.
        let nye = local(Timestamp(1_798_761_600_000 - 30 * M), 60);
        assert_eq!(
            (nye.year, nye.month, nye.day, nye.hour, nye.minute),
            (2027, 1, 1, 0, 30)
        );
        // Leap day, and the epoch itself (a Thursday).
        let leap = local(Timestamp(1_709_164_800_000), 0);
        assert_eq!((leap.year, leap.month, leap.day), (2024, 2, 29));
        assert_eq!(local(Timestamp(0), 0).weekday, 3);
        assert_eq!(local(Timestamp(-1), 0).year, 1969);
    }

    #[test]
    fn sla_deadlines_count_from_the_customer_filing_across_midnight() {
        let policy = SlaPolicy {
            acknowledge_within_minutes: 5,
            resolve_within_hours: 24,
        };
        // Filed at 23:58 local time in Jakarta; acknowledge by 00:03 the next day.
        let filed_local = 1_795_391_700_000 - 420 * M + 3 * M; // 23:58 +07:00
        let c = case(1, filed_local, draft(""));
        let (due, at) = next_due(&c, &policy).unwrap();
        assert_eq!(due, Due::Acknowledge);
        let l = local(at, 420);
        assert_eq!((l.day, l.hour, l.minute), (23, 0, 3));
        assert_eq!(at.0 - c.filed_at.0, 5 * M);
        // Acknowledged: the resolve clock still counts from filing, 24 hours.
        let acked = apply(
            Some(&c),
            &step(
                2,
                1,
                filed_local + M,
                EventKind::Acknowledged {
                    by: actor("ana", Role::Staff, 0),
                    apology: "Sorry".into(),
                    avoidable: None,
                },
            ),
        )
        .unwrap();
        assert_eq!(
            next_due(&acked, &policy),
            Some((Due::Resolve, Timestamp(filed_local + 24 * H)))
        );
    }

    #[test]
    fn the_queue_puts_the_most_overdue_first_then_severity_and_repeats() {
        let policy = SlaPolicy {
            acknowledge_within_minutes: 5,
            resolve_within_hours: 24,
        };
        let old = case(1, 0, draft(""));
        let mut serious_draft = draft("");
        serious_draft.impact = Some(crate::complaint::Impact::Major);
        let serious = case(2, 10 * M, serious_draft);
        let same_time = case(3, 10 * M, draft(""));
        let fresh = case(4, 58 * M, draft(""));
        let now = Timestamp(60 * M);
        let repeats = vec![same_time.id];
        let q = queue([&fresh, &same_time, &serious, &old], &policy, &repeats, now);
        let order: Vec<u128> = q.iter().map(|i| i.case.0.as_u128()).collect();
        assert_eq!(order, [1, 2, 3, 4]);
        assert!(q[0].overdue && q[1].overdue && q[2].overdue);
        assert!(!q[3].overdue, "due at 63 minutes, now 60");
        assert_eq!(q[1].severity, Severity::High);
        assert!(q[2].repeat && !q[1].repeat);
    }

    #[test]
    fn the_same_contact_however_typed_is_a_repeat_within_a_chain() {
        let first = case(1, 1_000, draft("Ana@Example.com"));
        let again = case(2, 2_000, draft(" ana@example.COM "));
        let other = case(3, 3_000, draft("bo@example.com"));
        let phone1 = case(4, 4_000, draft("+62 812-3456-7890"));
        let phone2 = case(5, 5_000, draft("+62 (812) 3456 7890"));
        let said_so = case(
            6,
            6_000,
            ComplaintDraft {
                happened_before: Some(true),
                ..draft("")
            },
        );
        let repeats = repeat_cases([&again, &first, &other, &phone2, &phone1, &said_so], "s");
        let ids: Vec<u128> = repeats.iter().map(|c| c.0.as_u128()).collect();
        assert_eq!(
            ids,
            [2, 5, 6],
            "the later filing of each pair, and their own word"
        );
        // The fingerprint hides the contact and depends on the salt.
        let fp = contact_fingerprint("s", first.complaint.contact.as_ref().unwrap());
        assert_eq!(fp.len(), 64);
        assert!(!fp.contains("example"));
        assert_ne!(
            fp,
            contact_fingerprint("t", first.complaint.contact.as_ref().unwrap())
        );
        // Another store of the chain (the same salt): a repeat, however typed.
        let mut elsewhere = case(7, 7_000, draft("ANA@example.com "));
        elsewhere.store = crate::ids::Slug::parse("other").unwrap();
        let across = repeat_cases([&elsewhere, &first], "s");
        assert_eq!(
            across,
            [elsewhere.id],
            "the later filing, in the other store"
        );
        // A store of another chain fingerprints with its own salt: never a repeat of these.
        let chain_a = Brief::of(&first, "chain-a");
        let chain_b = Brief::of(&elsewhere, "chain-b");
        assert!(super::repeats(&[chain_a.clone(), chain_b]).is_empty());
        let same_chain = Brief::of(&elsewhere, "chain-a");
        assert_eq!(super::repeats(&[same_chain, chain_a]), [elsewhere.id]);
    }

    #[test]
    fn a_case_is_in_the_queue_exactly_when_the_queue_lists_it() {
        let policy = SlaPolicy::default();
        let mut seen = (0, 0);
        for status in Status::ALL {
            for follow_up in [None, Some(Timestamp(90 * M))] {
                let mut c = case(1, 0, draft("a@example.com"));
                c.status = status;
                c.follow_up_at = follow_up;
                let listed = !queue([&c], &policy, &[], Timestamp(60 * M)).is_empty();
                assert_eq!(in_queue(&c), listed, "{status:?}, follow-up {follow_up:?}");
                if listed { seen.0 += 1 } else { seen.1 += 1 }
            }
        }
        // Only a closed case without a follow-up to make is out of it.
        assert_eq!(seen, (11, 1));
    }

    #[test]
    fn a_locked_tablet_counts_what_waits_without_naming_anyone() {
        let policy = SlaPolicy {
            acknowledge_within_minutes: 5,
            resolve_within_hours: 24,
        };
        let now = Timestamp(60 * M);
        let fresh = case(1, 58 * M, draft(""));
        let late = case(2, 10 * M, draft(""));
        let mut serious = draft("");
        serious.impact = Some(crate::complaint::Impact::Severe);
        let mut for_manager = case(3, 59 * M, serious);
        for_manager.status = Status::Acknowledged;
        let mut follow_up = case(4, 0, draft("a@example.com"));
        follow_up.status = Status::Resolved;
        follow_up.follow_up_at = Some(Timestamp(30 * M));
        let mut later = case(5, 0, draft("b@example.com"));
        later.status = Status::Resolved;
        later.follow_up_at = Some(Timestamp(90 * M));
        let mut closed = case(6, 0, draft(""));
        closed.status = Status::Closed;
        let summary = Summary::of(
            [&fresh, &late, &for_manager, &follow_up, &later, &closed],
            &policy,
            now,
        );
        assert_eq!(
            summary,
            Summary {
                new: 2,
                // The late filing and the follow-up due at 30 minutes.
                overdue: 2,
                for_manager: 1,
                follow_ups_due: 1,
                // Fresh, late, for a manager, follow-up: the later follow-up waits.
                waiting: 4,
                next_deadline: Some(Timestamp(15 * M)),
            }
        );
        assert_eq!(Summary::of([], &policy, now), Summary::default());
    }

    #[test]
    fn resolved_cases_wait_only_for_their_follow_up() {
        let policy = SlaPolicy::default();
        let mut c = case(1, 0, draft("a@example.com"));
        c.status = Status::Resolved;
        assert_eq!(next_due(&c, &policy), None);
        c.follow_up_at = Some(Timestamp(3 * 24 * H));
        assert_eq!(
            next_due(&c, &policy),
            Some((Due::FollowUp, Timestamp(3 * 24 * H)))
        );
        c.status = Status::Reopened;
        c.updated_at = Timestamp(5 * H);
        assert_eq!(
            next_due(&c, &policy),
            Some((Due::Resolve, Timestamp(29 * H)))
        );
    }
}
