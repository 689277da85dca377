//! A case's state as a fold of its events.
//!
//! `apply` is one step of the reducer, matching on (current state, event kind); `fold` sorts
//! events into one deterministic order (time, then id) and drops repeated ids first, so
//! replaying, reordering or receiving an event twice gives the same case. Impossible steps are
//! typed errors, never panics. A device recording a step stamps it no earlier than the case's
//! latest event ([`Case::next_at`]), so a slow clock cannot put a step before its cause.

use crate::apology::apology_plan;
use crate::complaint::Complaint;
use crate::event::{Cause, Event, EventError, EventKind, Remedy, Role};
use crate::ids::{CaseId, Slug, Timestamp};
use crate::ticket::TicketCode;
use serde::{Deserialize, Serialize};

/// Where a case stands in the recovery workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The customer filed it; nobody on staff has acknowledged it yet.
    Filed,
    /// Someone acknowledged it and apologised (step 1).
    Acknowledged,
    /// The review with the customer is under way (step 2).
    Understood,
    /// A remedy was given (step 3); waiting for the rating and documentation.
    Resolved,
    /// Documented and closed.
    Closed,
    /// The follow-up found the fix did not hold: to be resolved again.
    Reopened,
}

impl Status {
    /// The snake_case name, used as translation key.
    pub fn key(self) -> &'static str {
        match self {
            Status::Filed => "filed",
            Status::Acknowledged => "acknowledged",
            Status::Understood => "understood",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
            Status::Reopened => "reopened",
        }
    }

    /// Whether staff still have work to do before the case can close.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed)
    }
}

/// A note from the review with the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// When.
    pub at: Timestamp,
    /// Who wrote it.
    pub by: Slug,
    /// What it says.
    pub text: String,
}

/// What was given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// When.
    pub at: Timestamp,
    /// Who decided.
    pub by: Slug,
    /// What was given.
    pub remedy: Remedy,
    /// Its value in minor units.
    pub value_minor: u32,
    /// The extra gesture.
    pub gesture: String,
}

/// The customer's rating of the fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// When (the latest change).
    pub at: Timestamp,
    /// 1 to 5.
    pub stars: u8,
    /// Their comment.
    pub comment: String,
}

/// One line of the case's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// When.
    pub at: Timestamp,
    /// Which step (the event's type name).
    pub step: String,
    /// The staff member who took it; `None` for the customer.
    pub by: Option<Slug>,
}

/// The current state of one case: what every device needs to list, sort and judge it. The
/// words of each step (notes, resolution, cause, timeline) are in [`Details`], read from the
/// case's events by the screens that show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// The case id.
    pub id: CaseId,
    /// The customer-facing code.
    pub ticket: TicketCode,
    /// The store it belongs to.
    pub store: Slug,
    /// Where it was filed.
    pub touchpoint: Slug,
    /// What the customer told us.
    pub complaint: Complaint,
    /// When the customer filed it, on their device: SLA clocks start here.
    pub filed_at: Timestamp,
    /// The filing device's UTC offset, minutes east.
    pub utc_offset_minutes: i16,
    /// Where it stands.
    pub status: Status,
    /// Time of the latest event applied.
    pub updated_at: Timestamp,
    /// How many events made it.
    pub event_count: usize,
    /// When it was first acknowledged.
    pub acknowledged_at: Option<Timestamp>,
    /// When it was first resolved (the SLA's resolve clock stops here).
    pub resolved_at: Option<Timestamp>,
    /// When it was closed, while it is.
    pub closed_at: Option<Timestamp>,
    /// Whether someone escalated it to a manager.
    pub escalated: bool,
    /// When the follow-up is due, while one is scheduled and not done.
    pub follow_up_at: Option<Timestamp>,
    /// The latest follow-up's answer: did the fix hold?
    pub fix_held: Option<bool>,
    /// How many times a follow-up reopened it.
    pub reopened: u32,
    /// The stars of the customer's rating of the latest resolution.
    pub stars: Option<u8>,
}

impl Case {
    /// Whether only a manager may resolve it: the customer says it happened before, it hurt
    /// them a lot, or someone escalated it. No delight script for these.
    pub fn needs_manager(&self) -> bool {
        self.escalated || apology_plan(&self.complaint).escalate
    }

    /// The time to stamp a new step with: the device's clock, but never before the case's
    /// latest event, so the fold keeps cause before effect whatever the clocks say.
    pub fn next_at(&self, now: Timestamp) -> Timestamp {
        now.max(Timestamp(self.updated_at.0.saturating_add(1)))
    }
}

/// Why an event cannot be applied to a case.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// A step for a case that has not been filed.
    #[error("case {case} has not been filed")]
    NotFiled {
        /// The case.
        case: CaseId,
    },
    /// A second filing of the same case.
    #[error("case {case} is already filed")]
    AlreadyFiled {
        /// The case.
        case: CaseId,
    },
    /// The event belongs to another case.
    #[error("event for case {got} applied to case {expected}")]
    WrongCase {
        /// The case being folded.
        expected: CaseId,
        /// The event's case.
        got: CaseId,
    },
    /// The event's payload is invalid.
    #[error("invalid event: {0}")]
    InvalidEvent(EventError),
    /// The step does not fit where the case stands.
    #[error("a {step} step cannot follow status {status:?}")]
    OutOfOrder {
        /// The step tried (event type name).
        step: &'static str,
        /// Where the case stands.
        status: Status,
    },
    /// The case was escalated already.
    #[error("the case is already escalated")]
    AlreadyEscalated,
    /// Only a manager may resolve an escalated, repeat or serious case.
    #[error("only a manager may resolve this case")]
    NeedsManager,
    /// The remedy is worth more than the staff member may give.
    #[error("a remedy of {value} is above the authority limit of {limit}")]
    AboveAuthority {
        /// The remedy's value.
        value: u32,
        /// Their limit.
        limit: u32,
    },
    /// A follow-up was scheduled without consent and contact details.
    #[error("a follow-up needs the customer's consent to be contacted")]
    NoConsent,
    /// A follow-up scheduled before the resolution.
    #[error("a follow-up must be after the resolution")]
    FollowUpInPast,
    /// A follow-up answer with none scheduled.
    #[error("no follow-up is scheduled")]
    NoFollowUp,
}

impl TransitionError {
    /// The snake_case name, used as translation key.
    pub fn key(&self) -> &'static str {
        match self {
            TransitionError::NotFiled { .. } => "not_filed",
            TransitionError::AlreadyFiled { .. } => "already_filed",
            TransitionError::WrongCase { .. } => "wrong_case",
            TransitionError::InvalidEvent(_) => "invalid_event",
            TransitionError::OutOfOrder { .. } => "out_of_order",
            TransitionError::AlreadyEscalated => "already_escalated",
            TransitionError::NeedsManager => "needs_manager",
            TransitionError::AboveAuthority { .. } => "above_authority",
            TransitionError::NoConsent => "no_consent",
            TransitionError::FollowUpInPast => "follow_up_in_past",
            TransitionError::NoFollowUp => "no_follow_up",
        }
    }
}

/// Opens a case from its filing; any other first event is refused. This is all a customer's
/// device ever folds, so it alone keeps the staff steps' code out of the customer's download.
pub fn open(case: Option<&Case>, event: &Event) -> Result<Case, TransitionError> {
    match (case, &event.kind) {
        (
            None,
            EventKind::Filed {
                complaint,
                utc_offset_minutes,
            },
        ) => {
            event.check().map_err(TransitionError::InvalidEvent)?;
            Ok(Case {
                id: event.case,
                ticket: TicketCode::from_case(event.case),
                store: event.origin.store.clone(),
                touchpoint: event.origin.touchpoint.clone(),
                complaint: complaint.clone(),
                filed_at: event.at,
                utc_offset_minutes: *utc_offset_minutes,
                status: Status::Filed,
                updated_at: event.at,
                event_count: 1,
                acknowledged_at: None,
                resolved_at: None,
                closed_at: None,
                escalated: false,
                follow_up_at: None,
                fix_held: None,
                reopened: 0,
                stars: None,
            })
        }
        (None, _) => Err(TransitionError::NotFiled { case: event.case }),
        (Some(c), _) if c.id != event.case => Err(TransitionError::WrongCase {
            expected: c.id,
            got: event.case,
        }),
        (Some(c), EventKind::Filed { .. }) => Err(TransitionError::AlreadyFiled { case: c.id }),
        (Some(c), _) => Err(TransitionError::OutOfOrder {
            step: event.kind.name(),
            status: c.status,
        }),
    }
}

/// Applies one event to a case (or to nothing, for the event that opens it): the whole
/// recovery workflow.
pub fn apply(case: Option<&Case>, event: &Event) -> Result<Case, TransitionError> {
    let c = match (case, &event.kind) {
        (Some(c), kind) if c.id == event.case && !matches!(kind, EventKind::Filed { .. }) => c,
        _ => return open(case, event),
    };
    event.check().map_err(TransitionError::InvalidEvent)?;
    let out_of_order = || TransitionError::OutOfOrder {
        step: event.kind.name(),
        status: c.status,
    };
    let mut next = c.clone();
    match &event.kind {
        EventKind::Filed { .. } => return Err(TransitionError::AlreadyFiled { case: c.id }),
        EventKind::Acknowledged { .. } => {
            if c.status != Status::Filed {
                return Err(out_of_order());
            }
            next.status = Status::Acknowledged;
            next.acknowledged_at = Some(event.at);
        }
        EventKind::Noted { .. } => {
            if matches!(c.status, Status::Filed | Status::Closed) {
                return Err(out_of_order());
            }
            if c.status == Status::Acknowledged {
                next.status = Status::Understood;
            }
        }
        EventKind::Escalated { .. } => {
            if !c.status.is_open() {
                return Err(out_of_order());
            }
            if c.escalated {
                return Err(TransitionError::AlreadyEscalated);
            }
            next.escalated = true;
        }
        EventKind::Resolved {
            by,
            value_minor,
            follow_up_at,
            ..
        } => {
            if !matches!(
                c.status,
                Status::Acknowledged | Status::Understood | Status::Reopened
            ) {
                return Err(out_of_order());
            }
            if c.needs_manager() && by.role != Role::Manager {
                return Err(TransitionError::NeedsManager);
            }
            if !by.may_give(*value_minor) {
                return Err(TransitionError::AboveAuthority {
                    value: *value_minor,
                    limit: by.limit_minor,
                });
            }
            if let Some(due) = follow_up_at {
                if !c.complaint.consent_to_contact || c.complaint.contact.is_none() {
                    return Err(TransitionError::NoConsent);
                }
                if *due <= event.at {
                    return Err(TransitionError::FollowUpInPast);
                }
            }
            next.status = Status::Resolved;
            next.resolved_at = Some(c.resolved_at.unwrap_or(event.at));
            next.follow_up_at = *follow_up_at;
            next.stars = None;
        }
        EventKind::Rated { stars, .. } => {
            if c.status != Status::Resolved {
                return Err(out_of_order());
            }
            next.stars = Some(*stars);
        }
        EventKind::FollowedUp { held, .. } => {
            if !matches!(c.status, Status::Resolved | Status::Closed) {
                return Err(out_of_order());
            }
            if c.follow_up_at.is_none() {
                return Err(TransitionError::NoFollowUp);
            }
            next.follow_up_at = None;
            next.fix_held = Some(*held);
            if !held {
                next.status = Status::Reopened;
                next.reopened += 1;
                next.closed_at = None;
            }
        }
        EventKind::Closed { .. } => {
            if c.status != Status::Resolved {
                return Err(out_of_order());
            }
            next.status = Status::Closed;
            next.closed_at = Some(event.at);
        }
    }
    next.updated_at = c.updated_at.max(event.at);
    next.event_count += 1;
    Ok(next)
}

/// The words of a case's steps, for the screens that show them: read from its events (in
/// fold order) after the fold accepted them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    /// The apology as said.
    pub apology: Option<String>,
    /// Notes from the review.
    pub notes: Vec<Note>,
    /// Why it went to a manager.
    pub escalation: Option<String>,
    /// The latest resolution.
    pub resolution: Option<Resolution>,
    /// The customer's rating of the latest resolution.
    pub rating: Option<Rating>,
    /// The latest follow-up's note.
    pub follow_up_note: Option<String>,
    /// The documentation it was closed with.
    pub cause: Option<Cause>,
    /// Every step, oldest first.
    pub timeline: Vec<Milestone>,
}

impl Details {
    /// Reads the details from a case's events, in fold order (time, then id, repeats once).
    pub fn of<'a>(events: impl IntoIterator<Item = &'a Event>) -> Details {
        let mut sorted: Vec<&Event> = events.into_iter().collect();
        sorted.sort_unstable_by_key(|e| (e.at, e.id));
        sorted.dedup_by_key(|e| e.id);
        let mut d = Details::default();
        for e in sorted {
            let by = e.kind.actor().map(|a| a.staff.clone());
            match &e.kind {
                EventKind::Filed { .. } => {}
                EventKind::Acknowledged { apology, .. } => d.apology = Some(apology.clone()),
                EventKind::Noted { note, by } => d.notes.push(Note {
                    at: e.at,
                    by: by.staff.clone(),
                    text: note.clone(),
                }),
                EventKind::Escalated { reason, .. } => d.escalation = Some(reason.clone()),
                EventKind::Resolved {
                    by,
                    remedy,
                    value_minor,
                    gesture,
                    ..
                } => {
                    d.resolution = Some(Resolution {
                        at: e.at,
                        by: by.staff.clone(),
                        remedy: *remedy,
                        value_minor: *value_minor,
                        gesture: gesture.clone(),
                    });
                    d.rating = None;
                }
                EventKind::Rated { stars, comment } => {
                    d.rating = Some(Rating {
                        at: e.at,
                        stars: *stars,
                        comment: comment.clone(),
                    });
                }
                EventKind::FollowedUp { note, .. } => d.follow_up_note = Some(note.clone()),
                EventKind::Closed { cause, .. } => d.cause = Some(cause.clone()),
            }
            d.timeline.push(Milestone {
                at: e.at,
                step: e.kind.name().to_owned(),
                by,
            });
        }
        d
    }
}

/// Folds events into a case with the whole workflow; see [`fold_with`].
pub fn fold<'a>(
    events: impl IntoIterator<Item = &'a Event>,
) -> Result<Option<Case>, TransitionError> {
    fold_with(events, apply)
}

/// A fold step: [`apply`] (the whole workflow) or [`open`] (filings only).
pub type Step = fn(Option<&Case>, &Event) -> Result<Case, TransitionError>;

/// Folds events into a case in a deterministic order (time, then id), ignoring repeated ids.
/// No events give `Ok(None)`.
pub fn fold_with<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    step: Step,
) -> Result<Option<Case>, TransitionError> {
    let mut sorted: Vec<&Event> = events.into_iter().collect();
    // Unstable is enough: the key includes the id, so repeats of one event end up adjacent.
    sorted.sort_unstable_by_key(|e| (e.at, e.id));
    sorted.dedup_by_key(|e| e.id);
    let mut case: Option<Case> = None;
    for event in sorted {
        case = Some(step(case.as_ref(), event)?);
    }
    Ok(case)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn filed(event: u128, case: u128, at: i64) -> Event {
        crate::testing::filed_event(event, case, at, &format!("charged twice ({event})"))
    }

    #[test]
    fn filing_opens_a_case_with_its_ticket() {
        let e = filed(1, 100, 5_000);
        let c = apply(None, &e).unwrap();
        assert_eq!(c.id, e.case);
        assert_eq!(c.ticket, TicketCode::from_case(e.case));
        assert_eq!(c.status, Status::Filed);
        assert_eq!(c.filed_at, Timestamp(5_000));
        assert_eq!(c.store.as_str(), "demo");
    }

    #[test]
    fn second_filed_event_for_same_case_is_refused() {
        let c = apply(None, &filed(1, 100, 5_000)).unwrap();
        assert_eq!(
            apply(Some(&c), &filed(2, 100, 6_000)),
            Err(TransitionError::AlreadyFiled { case: c.id })
        );
    }

    #[test]
    fn an_event_for_another_case_is_refused() {
        let c = apply(None, &filed(1, 100, 5_000)).unwrap();
        assert!(matches!(
            apply(Some(&c), &filed(2, 200, 6_000)),
            Err(TransitionError::WrongCase { .. })
        ));
    }

    #[test]
    fn an_invalid_payload_is_refused() {
        let mut e = filed(1, 100, 5_000);
        let EventKind::Filed {
            utc_offset_minutes, ..
        } = &mut e.kind
        else {
            unreachable!("the fixture is a filing")
        };
        *utc_offset_minutes = 15 * 60;
        assert!(matches!(
            apply(None, &e),
            Err(TransitionError::InvalidEvent(EventError::InvalidOffset(
                900
            )))
        ));
        let mut e = filed(1, 100, -1);
        e.at = Timestamp(-1);
        assert!(matches!(
            apply(None, &e),
            Err(TransitionError::InvalidEvent(EventError::InvalidTimestamp(
                -1
            )))
        ));
    }

    #[test]
    fn fold_ignores_repeats_and_order() {
        let e = filed(1, 100, 5_000);
        let once = fold([&e]).unwrap();
        assert_eq!(fold([&e, &e, &e]).unwrap(), once);
        assert_eq!(fold(std::iter::empty()).unwrap(), None);
    }

    #[test]
    fn event_json_is_tagged_by_type() {
        let e = filed(1, 100, 5_000);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"]["type"], "filed");
        assert_eq!(json["origin"]["store"], "demo");
        let back: Event = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }
}

#[cfg(test)]
mod workflow_tests {
    use super::*;
    use crate::complaint::{Category, ComplaintDraft, Impact, validate};
    use crate::event::{Actor, CauseCategory, Role};
    use crate::testing::{actor, step};

    const CASE: u128 = 100;

    fn ana() -> Actor {
        actor("ana", Role::Staff, 2_500)
    }
    fn max() -> Actor {
        actor("max", Role::Manager, 0)
    }

    fn filed_with(draft: ComplaintDraft) -> Event {
        let complaint = validate(&draft).unwrap();
        step(
            1,
            CASE,
            1_000,
            EventKind::Filed {
                complaint,
                utc_offset_minutes: 420,
            },
        )
    }

    fn plain() -> Event {
        filed_with(ComplaintDraft {
            category: Some(Category::Billing),
            description: "charged twice".into(),
            contact: "a@example.com".into(),
            consent_to_contact: true,
            ..Default::default()
        })
    }

    fn ack(id: u128, at: i64) -> Event {
        step(
            id,
            CASE,
            at,
            EventKind::Acknowledged {
                by: ana(),
                apology: "I am sorry you were charged twice.".into(),
            },
        )
    }
    fn note(id: u128, at: i64) -> Event {
        step(
            id,
            CASE,
            at,
            EventKind::Noted {
                by: ana(),
                note: "Card terminal ran the payment twice.".into(),
            },
        )
    }
    fn resolve(id: u128, at: i64, by: Actor, value: u32, follow: Option<i64>) -> Event {
        step(
            id,
            CASE,
            at,
            EventKind::Resolved {
                by,
                remedy: Remedy::Refund,
                value_minor: value,
                gesture: "Free coffee".into(),
                follow_up_at: follow.map(Timestamp),
            },
        )
    }
    fn rate(id: u128, at: i64, stars: u8) -> Event {
        step(
            id,
            CASE,
            at,
            EventKind::Rated {
                stars,
                comment: "Quick and kind".into(),
            },
        )
    }
    fn follow(id: u128, at: i64, held: bool) -> Event {
        step(
            id,
            CASE,
            at,
            EventKind::FollowedUp {
                by: ana(),
                held,
                note: String::new(),
            },
        )
    }
    fn close(id: u128, at: i64) -> Event {
        step(
            id,
            CASE,
            at,
            EventKind::Closed {
                by: ana(),
                cause: Cause {
                    category: CauseCategory::Equipment,
                    sub_cause: "Terminal double charge".into(),
                    departments: vec!["Checkout".into()],
                    people: vec![],
                    explanation: "Our card terminal sent the payment twice.".into(),
                },
            },
        )
    }

    fn run(events: &[Event]) -> Result<Case, TransitionError> {
        let mut case = None;
        for e in events {
            case = Some(apply(case.as_ref(), e)?);
        }
        Ok(case.expect("at least one event"))
    }

    #[test]
    fn the_four_steps_in_order_close_the_case() {
        let events = [
            plain(),
            ack(2, 2_000),
            note(3, 3_000),
            resolve(4, 4_000, ana(), 1_999, Some(300_000)),
            rate(5, 5_000, 4),
            rate(6, 5_500, 5),
            close(7, 6_000),
        ];
        let c = run(&events).unwrap();
        assert_eq!(c.status, Status::Closed);
        assert_eq!(c.acknowledged_at, Some(Timestamp(2_000)));
        assert_eq!(c.resolved_at, Some(Timestamp(4_000)));
        assert_eq!(c.closed_at, Some(Timestamp(6_000)));
        assert_eq!(c.stars, Some(5), "the later rating replaces the earlier");
        assert_eq!(c.follow_up_at, Some(Timestamp(300_000)));
        assert_eq!(c.event_count, 7);
        // The fold in any arrival order gives the same case.
        let mut reversed: Vec<&Event> = events.iter().collect();
        reversed.reverse();
        assert_eq!(fold(reversed).unwrap(), Some(c));

        let d = Details::of(&events);
        assert_eq!(d.notes.len(), 1);
        assert_eq!(d.rating.as_ref().map(|r| r.stars), Some(5));
        assert_eq!(d.resolution.as_ref().map(|r| r.value_minor), Some(1_999));
        assert_eq!(
            d.cause.as_ref().map(|c| c.category),
            Some(CauseCategory::Equipment)
        );
        let steps: Vec<&str> = d.timeline.iter().map(|m| m.step.as_str()).collect();
        assert_eq!(
            steps,
            [
                "filed",
                "acknowledged",
                "noted",
                "resolved",
                "rated",
                "rated",
                "closed"
            ]
        );
        assert_eq!(d.timeline[1].by.as_ref().map(Slug::as_str), Some("ana"));
        assert_eq!(d.timeline[0].by, None);
    }

    #[test]
    fn every_step_out_of_order_is_refused_with_where_the_case_stands() {
        let filed = plain();
        let cases = [
            (vec![filed.clone(), note(3, 2_000)], "noted", Status::Filed),
            (
                vec![filed.clone(), resolve(4, 2_000, ana(), 0, None)],
                "resolved",
                Status::Filed,
            ),
            (
                vec![filed.clone(), rate(5, 2_000, 3)],
                "rated",
                Status::Filed,
            ),
            (
                vec![filed.clone(), close(7, 2_000)],
                "closed",
                Status::Filed,
            ),
            (
                vec![filed.clone(), ack(2, 2_000), ack(8, 2_500)],
                "acknowledged",
                Status::Acknowledged,
            ),
            (
                vec![filed.clone(), ack(2, 2_000), rate(5, 3_000, 3)],
                "rated",
                Status::Acknowledged,
            ),
            (
                vec![filed.clone(), ack(2, 2_000), close(7, 3_000)],
                "closed",
                Status::Acknowledged,
            ),
            (
                vec![
                    filed.clone(),
                    ack(2, 2_000),
                    resolve(4, 3_000, ana(), 0, None),
                    close(7, 4_000),
                    rate(5, 5_000, 2),
                ],
                "rated",
                Status::Closed,
            ),
            (
                vec![
                    filed.clone(),
                    ack(2, 2_000),
                    resolve(4, 3_000, ana(), 0, None),
                    close(7, 4_000),
                    note(9, 5_000),
                ],
                "noted",
                Status::Closed,
            ),
            (
                vec![
                    filed.clone(),
                    ack(2, 2_000),
                    resolve(4, 3_000, ana(), 0, None),
                    resolve(10, 4_000, ana(), 0, None),
                ],
                "resolved",
                Status::Resolved,
            ),
        ];
        for (events, step, status) in cases {
            assert_eq!(
                run(&events),
                Err(TransitionError::OutOfOrder { step, status }),
                "{step} after {status:?}"
            );
        }
        assert_eq!(
            run(&[ack(2, 2_000)]),
            Err(TransitionError::NotFiled {
                case: CaseId(uuid::Uuid::from_u128(CASE))
            })
        );
    }

    #[test]
    fn authority_limits_and_escalation_decide_who_may_resolve() {
        let base = [plain(), ack(2, 2_000)];
        let mut above = base.to_vec();
        above.push(resolve(4, 3_000, ana(), 2_501, None));
        assert_eq!(
            run(&above),
            Err(TransitionError::AboveAuthority {
                value: 2_501,
                limit: 2_500
            })
        );
        let mut at_limit = base.to_vec();
        at_limit.push(resolve(4, 3_000, ana(), 2_500, None));
        assert_eq!(run(&at_limit).unwrap().status, Status::Resolved);
        // Escalated: staff may no longer resolve, a manager may, at any value.
        let mut escalated = base.to_vec();
        escalated.push(step(
            3,
            CASE,
            2_500,
            EventKind::Escalated {
                by: ana(),
                reason: "Refund above my limit".into(),
            },
        ));
        let mut by_staff = escalated.clone();
        by_staff.push(resolve(4, 3_000, ana(), 100, None));
        assert_eq!(run(&by_staff), Err(TransitionError::NeedsManager));
        let mut by_manager = escalated.clone();
        by_manager.push(resolve(4, 3_000, max(), 50_000, None));
        let c = run(&by_manager).unwrap();
        assert!(c.escalated && c.status == Status::Resolved);
        let mut twice = escalated.clone();
        twice.push(step(
            5,
            CASE,
            2_600,
            EventKind::Escalated {
                by: ana(),
                reason: "Again".into(),
            },
        ));
        assert_eq!(run(&twice), Err(TransitionError::AlreadyEscalated));
    }

    #[test]
    fn repeat_and_serious_complaints_need_a_manager_from_the_start() {
        for draft in [
            ComplaintDraft {
                category: Some(Category::Service),
                description: "again".into(),
                happened_before: Some(true),
                ..Default::default()
            },
            ComplaintDraft {
                category: Some(Category::Service),
                description: "bad".into(),
                impact: Some(Impact::Severe),
                ..Default::default()
            },
        ] {
            let events = [
                filed_with(draft),
                ack(2, 2_000),
                resolve(4, 3_000, ana(), 0, None),
            ];
            assert_eq!(run(&events), Err(TransitionError::NeedsManager));
            assert!(run(&events[..2]).unwrap().needs_manager());
        }
        assert!(!run(&[plain()]).unwrap().needs_manager());
    }

    #[test]
    fn a_follow_up_needs_consent_and_a_later_date() {
        let no_consent = filed_with(ComplaintDraft {
            category: Some(Category::Billing),
            description: "x".into(),
            ..Default::default()
        });
        assert_eq!(
            run(&[
                no_consent,
                ack(2, 2_000),
                resolve(4, 3_000, ana(), 0, Some(9_000))
            ]),
            Err(TransitionError::NoConsent)
        );
        assert_eq!(
            run(&[
                plain(),
                ack(2, 2_000),
                resolve(4, 3_000, ana(), 0, Some(3_000))
            ]),
            Err(TransitionError::FollowUpInPast)
        );
        assert_eq!(
            run(&[
                plain(),
                ack(2, 2_000),
                resolve(4, 3_000, ana(), 0, None),
                follow(5, 4_000, true)
            ]),
            Err(TransitionError::NoFollowUp)
        );
    }

    #[test]
    fn a_fix_that_did_not_hold_reopens_even_a_closed_case() {
        let events = [
            plain(),
            ack(2, 2_000),
            resolve(4, 3_000, ana(), 500, Some(10_000)),
            rate(5, 3_500, 5),
            close(7, 4_000),
            follow(8, 10_000, false),
        ];
        let c = run(&events).unwrap();
        assert_eq!(c.status, Status::Reopened);
        assert_eq!(c.reopened, 1);
        assert_eq!(c.closed_at, None);
        assert_eq!(c.fix_held, Some(false));
        assert_eq!(c.follow_up_at, None);
        // It can be resolved again, which clears the old rating, and the first resolution
        // time stays (the SLA clock stopped there).
        let mut again = events.to_vec();
        again.push(resolve(9, 11_000, ana(), 500, None));
        let c = run(&again).unwrap();
        assert_eq!(c.status, Status::Resolved);
        assert_eq!(c.stars, None);
        assert_eq!(c.resolved_at, Some(Timestamp(3_000)));
        // A fix that held leaves a closed case closed.
        let mut held = events[..5].to_vec();
        held.push(follow(8, 10_000, true));
        let c = run(&held).unwrap();
        assert_eq!((c.status, c.fix_held), (Status::Closed, Some(true)));
    }

    #[test]
    fn invalid_step_payloads_are_refused() {
        let mut bad = vec![plain(), ack(2, 2_000), resolve(4, 3_000, ana(), 0, None)];
        bad.push(rate(5, 4_000, 6));
        assert_eq!(
            run(&bad),
            Err(TransitionError::InvalidEvent(EventError::InvalidStars(6)))
        );
        let blank = step(
            2,
            CASE,
            2_000,
            EventKind::Acknowledged {
                by: ana(),
                apology: "  ".into(),
            },
        );
        assert!(matches!(
            run(&[plain(), blank]),
            Err(TransitionError::InvalidEvent(EventError::InvalidText(
                "apology"
            )))
        ));
        let sneaky = step(
            2,
            CASE,
            2_000,
            EventKind::Acknowledged {
                by: ana(),
                apology: "sorry\u{202e}".into(),
            },
        );
        assert!(run(&[plain(), sneaky]).is_err());
        let mut long = close(7, 4_000);
        if let EventKind::Closed { cause, .. } = &mut long.kind {
            cause.people = vec!["x".into(); 13];
        }
        let mut events = vec![plain(), ack(2, 2_000), resolve(4, 3_000, ana(), 0, None)];
        events.push(long);
        assert_eq!(
            run(&events),
            Err(TransitionError::InvalidEvent(EventError::TooManyNames))
        );
    }

    #[test]
    fn a_filings_only_fold_refuses_every_staff_step() {
        let filed = plain();
        let case = open(None, &filed).unwrap();
        assert_eq!(apply(None, &filed).unwrap(), case);
        assert_eq!(
            open(Some(&case), &ack(2, 2_000)),
            Err(TransitionError::OutOfOrder {
                step: "acknowledged",
                status: Status::Filed
            })
        );
    }

    #[test]
    fn a_step_is_never_stamped_before_the_case_s_latest_event() {
        let c = run(&[plain(), ack(2, 5_000)]).unwrap();
        assert_eq!(c.next_at(Timestamp(1_000)), Timestamp(5_001));
        assert_eq!(c.next_at(Timestamp(9_000)), Timestamp(9_000));
    }

    #[test]
    fn step_json_is_tagged_and_round_trips() {
        let e = resolve(4, 3_000, ana(), 1_250, Some(99_000));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"]["type"], "resolved");
        assert_eq!(json["kind"]["remedy"], "refund");
        assert_eq!(json["kind"]["by"]["role"], "staff");
        assert_eq!(json["kind"]["by"]["limit_minor"], 2_500);
        assert_eq!(serde_json::from_value::<Event>(json).unwrap(), e);
    }
}
