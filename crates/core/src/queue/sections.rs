//! The queue's sections (what kind of attention a case waits for) and finding any case, open or
//! closed, by its ticket code or the customer's name.

use crate::case::{Case, Status};
use crate::ticket::TicketCode;

/// A section of the staff queue, most pressing first. A case stays in one of them until its
/// documented close (and after it while a follow-up is scheduled).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// Past its deadline to acknowledge or resolve.
    Overdue,
    /// Nobody has acknowledged it yet.
    New,
    /// Open, and only a manager may resolve it.
    ForManager,
    /// Acknowledged, in review or reopened: someone is on it.
    InProgress,
    /// Its follow-up ("did the fix hold?") is due.
    FollowUpDue,
    /// Resolved, waiting for its cause to be documented and the case closed.
    ToDocument,
    /// Closed, with a follow-up to come.
    FollowUpLater,
}

impl Section {
    /// Every section, in the queue's order.
    pub const ALL: [Section; 7] = [
        Section::Overdue,
        Section::New,
        Section::ForManager,
        Section::InProgress,
        Section::FollowUpDue,
        Section::ToDocument,
        Section::FollowUpLater,
    ];

    /// The snake_case name, used as translation key.
    pub fn key(self) -> &'static str {
        match self {
            Section::Overdue => "overdue",
            Section::New => "new",
            Section::ForManager => "for_manager",
            Section::InProgress => "in_progress",
            Section::FollowUpDue => "follow_up_due",
            Section::ToDocument => "to_document",
            Section::FollowUpLater => "follow_up_later",
        }
    }

    /// The section of `case`, whose next deadline is `due_at` (`follow_up`: that deadline is its
    /// follow-up), at `now`.
    pub(super) fn of(case: &Case, follow_up: bool, due_at: i64, now: i64) -> Section {
        let overdue = due_at < now;
        match case.status {
            _ if follow_up && due_at <= now => Section::FollowUpDue,
            Status::Resolved => Section::ToDocument,
            Status::Closed => Section::FollowUpLater,
            _ if overdue => Section::Overdue,
            Status::Filed => Section::New,
            _ if case.needs_manager() => Section::ForManager,
            _ => Section::InProgress,
        }
    }
}

/// The most cases [`find`] returns.
pub const FOUND_MAX: usize = 20;

/// The cases whose ticket code or customer's name holds `query`, newest first, at most
/// [`FOUND_MAX`]: open or closed, so a case that left the queue can still be found. A code may
/// be typed as people do (any case, with or without its dash, O for 0, I or L for 1) and in part
/// (three characters or more); a name matches in part, whatever the letters' case. Nothing for
/// a blank query.
pub fn find<'a>(cases: impl IntoIterator<Item = &'a Case>, query: &str) -> Vec<&'a Case> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    let name = query.to_lowercase();
    let code = code_chars(query);
    let mut found: Vec<&Case> = cases
        .into_iter()
        .filter(|case| {
            let by_code = code.as_deref().is_some_and(|code| {
                code_chars(case.ticket.as_str()).is_some_and(|t| t.contains(code))
            });
            let by_name = case
                .complaint
                .name
                .as_deref()
                .is_some_and(|n| n.to_lowercase().contains(&name));
            by_code || by_name
        })
        .collect();
    found.sort_unstable_by(|a, b| b.filed_at.cmp(&a.filed_at).then(a.id.cmp(&b.id)));
    found.truncate(FOUND_MAX);
    found
}

/// A typed code's characters as the ticket alphabet spells them (`TicketCode::typed`), when
/// there are three or more of them.
fn code_chars(text: &str) -> Option<String> {
    TicketCode::typed(text).filter(|chars| chars.len() >= 3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::apply;
    use crate::complaint::{Category, ComplaintDraft, Impact, validate};
    use crate::event::EventKind;
    use crate::ids::Timestamp;
    use crate::queue::{Due, queue};
    use crate::sla::SlaPolicy;
    use crate::testing::step;

    const M: i64 = 60_000;

    fn case(id: u128, at: i64, name: &str, status: Status) -> Case {
        let draft = ComplaintDraft {
            category: Some(Category::Billing),
            description: "charged twice".into(),
            name: name.into(),
            ..Default::default()
        };
        let filed = step(
            spread(id),
            spread(id),
            at,
            EventKind::Filed {
                complaint: validate(&draft).unwrap(),
                utc_offset_minutes: 0,
            },
        );
        let mut case = apply(None, &filed).unwrap();
        case.status = status;
        case
    }

    /// Case ids spread over the whole id, so that each case has a ticket code of its own (the
    /// code is the id's first 30 bits).
    fn spread(n: u128) -> u128 {
        n.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)
    }

    /// The number a test gave the case `id`.
    fn number(id: crate::ids::CaseId) -> u128 {
        (1..100).find(|n| spread(*n) == id.0.as_u128()).unwrap()
    }

    #[test]
    fn every_case_not_yet_documented_has_a_section_most_pressing_first() {
        let policy = SlaPolicy {
            acknowledge_within_minutes: 5,
            resolve_within_hours: 24,
        };
        let now = Timestamp(48 * 60 * M);
        let new = case(1, now.0 - M, "", Status::Filed);
        let late = case(2, now.0 - 10 * M, "", Status::Filed);
        let working = case(3, now.0 - 60 * M, "", Status::Acknowledged);
        let mut severe = case(4, now.0 - 60 * M, "", Status::Understood);
        severe.complaint.impact = Some(Impact::Severe);
        let mut resolved = case(5, 0, "", Status::Resolved);
        resolved.resolved_at = Some(Timestamp(60 * M));
        let mut due = case(6, 0, "", Status::Resolved);
        due.follow_up_at = Some(Timestamp(now.0 - M));
        let mut scheduled = case(7, 0, "", Status::Resolved);
        scheduled.follow_up_at = Some(Timestamp(now.0 + 60 * M));
        let mut closed_later = case(8, 0, "", Status::Closed);
        closed_later.follow_up_at = Some(Timestamp(now.0 + 60 * M));
        let done = case(9, 0, "", Status::Closed);
        let all = [
            &done,
            &closed_later,
            &scheduled,
            &due,
            &resolved,
            &severe,
            &working,
            &late,
            &new,
        ];
        let q = queue(all, &policy, &[], now);
        let got: Vec<(u128, Section)> = q.iter().map(|i| (number(i.case), i.section)).collect();
        assert_eq!(
            got,
            [
                (2, Section::Overdue),
                (1, Section::New),
                (4, Section::ForManager),
                (3, Section::InProgress),
                (6, Section::FollowUpDue),
                // Resolved: waiting to be documented, the one resolved first first; one
                // whose follow-up is still to come is documented meanwhile.
                (5, Section::ToDocument),
                (7, Section::ToDocument),
                (8, Section::FollowUpLater),
            ],
            "the closed case without a follow-up has left the queue"
        );
        let resolved_item = &q[5];
        assert_eq!(resolved_item.due, Due::Document);
        assert_eq!(resolved_item.due_at, Timestamp(60 * M));
        assert!(!resolved_item.overdue, "documenting has no deadline");
        assert!(q[0].overdue && q[4].overdue && !q[1].overdue);
        let keys: Vec<&str> = Section::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(keys.len(), 7);
        assert!(keys.contains(&"to_document"));
    }

    #[test]
    fn a_case_is_found_by_its_code_as_typed_or_the_customers_name_open_or_closed() {
        let ana = case(1, 1_000, "Ana Lestari", Status::Closed);
        let bo = case(2, 2_000, "Bo Ek", Status::Filed);
        let nobody = case(3, 3_000, "", Status::Resolved);
        let all = [&ana, &bo, &nobody];
        let ids = |found: Vec<&Case>| -> Vec<u128> { found.iter().map(|c| number(c.id)).collect() };
        let code = nobody.ticket.as_str().to_owned();
        assert_eq!(ids(find(all, &code)), [3]);
        // Lower case, no dash, with spaces around, and in part.
        let typed = format!("  {}  ", code.replace('-', "").to_lowercase());
        assert_eq!(ids(find(all, &typed)), [3]);
        assert_eq!(ids(find(all, &code[..3])), [3]);
        // Names in part and whatever the case; newest first.
        assert_eq!(ids(find(all, "lestari")), [1]);
        assert_eq!(ids(find(all, "E")), [2, 1]);
        // Nothing for a blank query or one that fits nobody.
        assert!(find(all, "   ").is_empty());
        assert!(find(all, "zzz-zzz").is_empty());
        // At most FOUND_MAX.
        let many: Vec<Case> = (10..40)
            .map(|n| case(n, n as i64, "Sam", Status::Filed))
            .collect();
        let found = find(&many, "sam");
        assert_eq!(found.len(), FOUND_MAX);
        assert_eq!(found[0].filed_at, Timestamp(39));
    }
}
