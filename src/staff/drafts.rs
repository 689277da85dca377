//! What a person typed into a case's forms and has not recorded yet, kept while the tablet is
//! locked: back when the same person unlocks (on the case they had open with a draft), never
//! shown to anyone else, and gone [`KEEP_MS`] after it was last typed. Kept in memory only: a
//! draft may hold what a customer said, and a tablet's storage outlives its sessions.

use leptos::prelude::*;
use recovery_core::{CaseId, EventKind, Slug, StaffMember};

use super::state::{Screen, Staff};
use crate::shared::platform::clock;

/// How long a draft, and the case its author had open, wait for them: long enough for a
/// customer's conversation or a break, short enough that nothing lingers for a shift.
pub const KEEP_MS: i64 = 30 * 60_000;

/// One field's draft.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    person: Slug,
    case: CaseId,
    field: &'static str,
    text: String,
    at_ms: i64,
}

/// The case a person had open when the tablet locked.
#[derive(Clone, Debug, PartialEq)]
struct Left {
    person: Slug,
    case: CaseId,
    at_ms: i64,
    /// They handed the tablet to the case's customer: the case is theirs to go on with, draft
    /// or not.
    handed: bool,
}

/// Every person's drafts on this tablet, and the case each had open when the tablet locked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drafts {
    kept: Vec<Draft>,
    open: Vec<Left>,
}

impl Drafts {
    /// `person`'s draft of `field` on `case` at `now_ms`, if one is kept and fresh.
    pub fn get(&self, person: &Slug, case: CaseId, field: &str, now_ms: i64) -> Option<&str> {
        self.kept
            .iter()
            .find(|d| d.person == *person && d.case == case && d.field == field)
            .filter(|d| now_ms - d.at_ms < KEEP_MS)
            .map(|d| d.text.as_str())
    }

    /// Keeps what `person` typed into `field` on `case`; a text equal to what the form starts
    /// with (`initial`: empty, or suggested words) is no draft and removes one.
    pub fn put(
        &mut self,
        person: &Slug,
        case: CaseId,
        field: &'static str,
        text: &str,
        initial: &str,
        now_ms: i64,
    ) {
        self.kept.retain(|d| {
            now_ms - d.at_ms < KEEP_MS
                && !(d.person == *person && d.case == case && d.field == field)
        });
        if text != initial {
            self.kept.push(Draft {
                person: person.clone(),
                case,
                field,
                text: text.to_owned(),
                at_ms: now_ms,
            });
        }
    }

    /// Notes the case `person` had open when the tablet locked (none: they were elsewhere), and
    /// whether they had handed the tablet to its customer.
    pub fn left(&mut self, person: &Slug, case: Option<CaseId>, handed: bool, now_ms: i64) {
        self.open.retain(|l| l.person != *person);
        if let Some(case) = case {
            self.open.push(Left {
                person: person.clone(),
                case,
                at_ms: now_ms,
                handed,
            });
        }
    }

    /// The case to open again for `person` who unlocks at `now_ms`: the one they had open when
    /// the tablet locked, if they handed it to its customer or left a draft on it, within
    /// [`KEEP_MS`] (someone who only looked at a case starts from the queue). Asked once.
    pub fn resume(&mut self, person: &Slug, now_ms: i64) -> Option<CaseId> {
        let at = self.open.iter().position(|l| l.person == *person)?;
        let left = self.open.remove(at);
        let drafted = self
            .kept
            .iter()
            .any(|d| d.person == *person && d.case == left.case && now_ms - d.at_ms < KEEP_MS);
        (drafted || left.handed && now_ms - left.at_ms < KEEP_MS).then_some(left.case)
    }

    /// Who last handed the tablet to a customer, within [`KEEP_MS`]: the unlock screen offers
    /// them first, as the tablet comes back to them.
    pub fn handed_by(&self, now_ms: i64) -> Option<&Slug> {
        self.open
            .iter()
            .filter(|l| l.handed && now_ms - l.at_ms < KEEP_MS)
            .max_by_key(|l| l.at_ms)
            .map(|l| &l.person)
    }
}

/// The form fields whose drafts a recorded step of `kind` used up.
pub fn fields_of(kind: &EventKind) -> &'static [&'static str] {
    match kind {
        EventKind::Acknowledged { .. } => &["apology"],
        EventKind::Noted { .. } => &["note"],
        EventKind::Escalated { .. } => &["reason"],
        EventKind::Resolved { .. } => &["value", "gesture"],
        EventKind::FollowedUp { .. } => &["follow_up"],
        EventKind::Contacted { .. } => &["contact_note"],
        EventKind::Closed { .. } => &[
            "sub_cause",
            "departments",
            "people",
            "explanation",
            "factors",
        ],
        EventKind::Filed { .. }
        | EventKind::Rated { .. }
        | EventKind::Answered { .. }
        | EventKind::ConsentWithdrawn {}
        | EventKind::Erased { .. } => &[],
    }
}

impl Drafts {
    /// Ends `person`'s drafts of `fields` on `case`: what they typed there was recorded.
    pub fn recorded(&mut self, person: &Slug, case: CaseId, fields: &[&str]) {
        self.kept
            .retain(|d| !(d.person == *person && d.case == case && fields.contains(&d.field)));
    }
}

/// After `member` recorded `kind` on `case`: the drafts it used up end at once, before the
/// case's next forms are drawn (they would start from them).
pub(super) fn on_recorded(staff: &Staff, member: &StaffMember, case: CaseId, kind: &EventKind) {
    staff
        .drafts
        .update_value(|d| d.recorded(&member.id, case, fields_of(kind)));
}

/// The drafts' clock: the monotonic one, so a changed wall clock neither ends nor keeps them.
pub(super) fn now_ms() -> i64 {
    clock::monotonic_ms() as i64
}

/// A form field's text for `member` on `case`: their draft if one is kept, else `initial`;
/// whatever they type is kept as their draft until it is recorded (the form empties it) or it
/// gets old.
pub(super) fn text(
    member: &StaffMember,
    case: CaseId,
    field: &'static str,
    initial: String,
) -> RwSignal<String> {
    let staff = expect_context::<Staff>();
    let person = member.id.clone();
    let start = staff
        .drafts
        .with_value(|d| d.get(&person, case, field, now_ms()).map(str::to_owned))
        .unwrap_or_else(|| initial.clone());
    let text = RwSignal::new(start);
    Effect::new(move |_| {
        text.with(|now| {
            staff
                .drafts
                .update_value(|d| d.put(&person, case, field, now, &initial, now_ms()));
        });
    });
    text
}

/// At the lock: notes the case the person had open, and whether its customer had the tablet.
pub(super) fn on_lock(staff: &Staff) {
    let Some(member) = staff.who.get_untracked() else {
        return;
    };
    let handed = staff.handover.get_untracked();
    let case = handed.or(match staff.screen.get_untracked() {
        Screen::Case(case) => Some(case),
        _ => None,
    });
    staff
        .drafts
        .update_value(|d| d.left(&member.id, case, handed.is_some(), now_ms()));
}

/// At an unlock by `member`: the case they had open, to show again.
pub(super) fn on_unlock(staff: &Staff, member: &StaffMember) -> Option<Screen> {
    let mut case = None;
    staff
        .drafts
        .update_value(|d| case = d.resume(&member.id, now_ms()));
    case.map(Screen::Case)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> Slug {
        Slug::parse(s).unwrap()
    }

    #[test]
    fn a_draft_is_its_authors_alone_and_ends_when_recorded_or_old() {
        let (ana, max) = (slug("ana"), slug("max"));
        let case = CaseId(uuid::Uuid::from_u128(7));
        let other = CaseId(uuid::Uuid::from_u128(8));
        let mut drafts = Drafts::default();
        drafts.put(&ana, case, "note", "The customer says the till", "", 0);
        assert_eq!(
            drafts.get(&ana, case, "note", 1_000),
            Some("The customer says the till")
        );
        assert_eq!(
            drafts.get(&max, case, "note", 1_000),
            None,
            "never another person's"
        );
        assert_eq!(drafts.get(&ana, other, "note", 1_000), None);
        assert_eq!(drafts.get(&ana, case, "reason", 1_000), None);
        // Typed on: the latest text, one draft.
        drafts.put(
            &ana,
            case,
            "note",
            "The customer says the till froze",
            "",
            2_000,
        );
        assert_eq!(drafts.kept.len(), 1);
        // Gone once old.
        assert_eq!(drafts.get(&ana, case, "note", 2_000 + KEEP_MS), None);
        // Recorded: the form empties itself, which is no draft.
        drafts.put(&ana, case, "note", "", "", 3_000);
        assert_eq!(drafts.get(&ana, case, "note", 3_000), None);
        // Suggested words left as they were are no draft either; edited, they are.
        drafts.put(&ana, case, "apology", "I am sorry.", "I am sorry.", 4_000);
        assert!(drafts.kept.is_empty());
        drafts.put(
            &ana,
            case,
            "apology",
            "I am so sorry.",
            "I am sorry.",
            4_000,
        );
        assert_eq!(
            drafts.get(&ana, case, "apology", 5_000),
            Some("I am so sorry.")
        );
        // Old drafts are dropped as others are kept.
        drafts.put(&max, other, "note", "x", "", 4_000 + KEEP_MS);
        assert_eq!(drafts.kept.len(), 1);
    }

    #[test]
    fn a_recorded_step_ends_the_drafts_it_used_and_no_others() {
        let ana = slug("ana");
        let case = CaseId(uuid::Uuid::from_u128(7));
        let mut drafts = Drafts::default();
        drafts.put(&ana, case, "note", "till froze", "", 0);
        drafts.put(&ana, case, "reason", "needs the log", "", 0);
        let noted = EventKind::Noted {
            by: recovery_core::testing::actor("ana", recovery_core::Role::Staff, 0),
            note: "till froze".into(),
        };
        drafts.recorded(&ana, case, fields_of(&noted));
        assert_eq!(drafts.get(&ana, case, "note", 1), None);
        assert_eq!(drafts.get(&ana, case, "reason", 1), Some("needs the log"));
    }

    #[test]
    fn the_case_left_open_with_a_draft_comes_back_once_for_its_person() {
        let (ana, max) = (slug("ana"), slug("max"));
        let case = CaseId(uuid::Uuid::from_u128(7));
        let mut drafts = Drafts::default();
        // Only looked at: back to the queue.
        drafts.left(&ana, Some(case), false, 0);
        assert_eq!(drafts.resume(&ana, 1_000), None);
        // Typed on it: back on it, once, and only for her.
        drafts.put(&ana, case, "note", "till froze", "", 0);
        drafts.left(&ana, Some(case), false, 0);
        assert_eq!(drafts.resume(&max, 1_000), None);
        assert_eq!(drafts.resume(&ana, 1_000), Some(case));
        assert_eq!(drafts.resume(&ana, 2_000), None, "once");
        drafts.left(&ana, Some(case), false, 0);
        assert_eq!(
            drafts.resume(&ana, KEEP_MS),
            None,
            "not once the draft is old"
        );
        drafts.left(&ana, Some(case), false, 0);
        drafts.left(&ana, None, false, 10);
        assert_eq!(drafts.resume(&ana, 20), None, "locked from the queue");
    }

    #[test]
    fn a_case_handed_to_its_customer_comes_back_to_whoever_handed_it() {
        let (ana, max) = (slug("ana"), slug("max"));
        let case = CaseId(uuid::Uuid::from_u128(7));
        let mut drafts = Drafts::default();
        assert_eq!(drafts.handed_by(0), None);
        drafts.left(&ana, Some(case), true, 0);
        assert_eq!(drafts.handed_by(1_000), Some(&ana));
        assert_eq!(drafts.handed_by(KEEP_MS), None, "not after a break");
        assert_eq!(drafts.resume(&max, 1_000), None);
        assert_eq!(drafts.resume(&ana, 1_000), Some(case), "no draft needed");
        assert_eq!(drafts.handed_by(1_000), None, "taken back");
        drafts.left(&ana, Some(case), true, 0);
        assert_eq!(drafts.resume(&ana, KEEP_MS), None, "not after a break");
    }
}
