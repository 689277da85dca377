//! A case's state as a fold of its events.
//!
//! `apply` is one step of the reducer, matching on (current state, event kind); `fold` sorts
//! events into one deterministic order (time, then id) and drops repeated ids first, so
//! replaying, reordering or receiving an event twice gives the same case. Impossible steps are
//! typed errors, never panics. A device recording a step stamps it no earlier than the case's
//! latest event ([`Case::next_at`]), so a slow clock cannot put a step before its cause.

use crate::apology::apology_plan;
use crate::complaint::Complaint;
use crate::event::{Cause, ContactChannel, Event, EventError, EventKind, Remedy, Role};
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
    /// Every status, in the order of the workflow.
    pub const ALL: [Status; 6] = [
        Status::Filed,
        Status::Acknowledged,
        Status::Understood,
        Status::Resolved,
        Status::Closed,
        Status::Reopened,
    ];

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

/// A try to reach the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// When.
    pub at: Timestamp,
    /// Who tried.
    pub by: Slug,
    /// How.
    pub channel: ContactChannel,
    /// Whether they got through.
    pub reached: bool,
    /// What was said or left.
    pub note: String,
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
    /// Staff's answer, when acknowledging, to "could we have prevented this?".
    pub avoidable: Option<bool>,
    /// How many times staff tried to reach the customer.
    #[serde(default)]
    pub contact_attempts: u32,
}

impl Case {
    /// Whether only a manager may resolve it: the customer says it happened before, it hurt
    /// them a lot, staff say it could have been prevented, or someone escalated it. No delight
    /// script for these.
    pub fn needs_manager(&self) -> bool {
        self.escalated || self.avoidable == Some(true) || apology_plan(&self.complaint).escalate
    }

    /// The device time to stamp a new step with, on a device whose clock is `skew_ms` behind
    /// the server's (see [`crate::DeviceClock`]): its own clock, but never before the case's
    /// latest event in corrected time, so the fold keeps cause before effect whatever the
    /// clocks say.
    pub fn next_at(&self, device_now: Timestamp, skew_ms: i64) -> Timestamp {
        let corrected = device_now
            .0
            .saturating_add(skew_ms)
            .max(self.updated_at.0.saturating_add(1));
        Timestamp(corrected.saturating_sub(skew_ms))
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
                filed_at: event.time(),
                utc_offset_minutes: *utc_offset_minutes,
                status: Status::Filed,
                updated_at: event.time(),
                event_count: 1,
                acknowledged_at: None,
                resolved_at: None,
                closed_at: None,
                escalated: false,
                follow_up_at: None,
                fix_held: None,
                reopened: 0,
                stars: None,
                avoidable: None,
                contact_attempts: 0,
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

/// Forgets, in a device's copy of events, the customer's name and contact on the filing of
/// every case that an [`EventKind::Erased`] among them names; everything else stays. Returns
/// whether any filing changed (so the copy must be written again).
pub fn forget_erased(events: &mut [Event]) -> bool {
    let erased: std::collections::HashSet<CaseId> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Erased { .. }))
        .map(|e| e.case)
        .collect();
    let mut changed = false;
    for e in events.iter_mut().filter(|e| erased.contains(&e.case)) {
        if let EventKind::Filed { complaint, .. } = &mut e.kind
            && (complaint.name.is_some() || complaint.contact.is_some())
        {
            complaint.forget_customer();
            changed = true;
        }
    }
    changed
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
        EventKind::Acknowledged { avoidable, .. } => {
            if c.status != Status::Filed {
                return Err(out_of_order());
            }
            next.status = Status::Acknowledged;
            next.acknowledged_at = Some(event.time());
            next.avoidable = *avoidable;
        }
        EventKind::Noted { .. } => {
            if matches!(c.status, Status::Filed | Status::Closed) {
                return Err(out_of_order());
            }
            if c.status == Status::Acknowledged {
                next.status = Status::Understood;
            }
        }
        EventKind::Contacted { .. } => {
            if c.status == Status::Closed {
                return Err(out_of_order());
            }
            next.contact_attempts = c.contact_attempts.saturating_add(1);
        }
        EventKind::ConsentWithdrawn {} => {
            // Whatever the status: nobody contacts them about it again.
            next.complaint.consent_to_contact = false;
        }
        EventKind::Erased { .. } => {
            // Whatever the status: the customer's name and contact are gone for good.
            next.complaint.forget_customer();
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
                if !c.complaint.may_contact() {
                    return Err(TransitionError::NoConsent);
                }
                if *due <= event.time() {
                    return Err(TransitionError::FollowUpInPast);
                }
            }
            next.status = Status::Resolved;
            next.resolved_at = Some(c.resolved_at.unwrap_or(event.time()));
            next.follow_up_at = *follow_up_at;
            next.stars = None;
        }
        EventKind::Rated { stars, .. } => {
            if c.status != Status::Resolved {
                return Err(out_of_order());
            }
            next.stars = Some(*stars);
        }
        EventKind::FollowedUp { held, .. } | EventKind::Answered { held, .. } => {
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
            next.closed_at = Some(event.time());
        }
    }
    next.updated_at = c.updated_at.max(event.time());
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
    /// Tries to reach the customer, oldest first.
    #[serde(default)]
    pub attempts: Vec<Attempt>,
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
        sorted.sort_unstable_by_key(|e| (e.time(), e.id));
        sorted.dedup_by_key(|e| e.id);
        let mut d = Details::default();
        for e in sorted {
            let by = e.kind.actor().map(|a| a.staff.clone());
            match &e.kind {
                EventKind::Filed { .. }
                | EventKind::Erased { .. }
                | EventKind::ConsentWithdrawn {} => {}
                EventKind::Acknowledged { apology, .. } => d.apology = Some(apology.clone()),
                EventKind::Noted { note, by } => d.notes.push(Note {
                    at: e.time(),
                    by: by.staff.clone(),
                    text: note.clone(),
                }),
                EventKind::Escalated { reason, .. } => d.escalation = Some(reason.clone()),
                EventKind::Contacted {
                    by,
                    channel,
                    reached,
                    note,
                } => d.attempts.push(Attempt {
                    at: e.time(),
                    by: by.staff.clone(),
                    channel: *channel,
                    reached: *reached,
                    note: note.clone(),
                }),
                EventKind::Resolved {
                    by,
                    remedy,
                    value_minor,
                    gesture,
                    ..
                } => {
                    d.resolution = Some(Resolution {
                        at: e.time(),
                        by: by.staff.clone(),
                        remedy: *remedy,
                        value_minor: *value_minor,
                        gesture: gesture.clone(),
                    });
                    d.rating = None;
                }
                EventKind::Rated { stars, comment } => {
                    d.rating = Some(Rating {
                        at: e.time(),
                        stars: *stars,
                        comment: comment.clone(),
                    });
                }
                EventKind::FollowedUp { note, .. } | EventKind::Answered { comment: note, .. } => {
                    d.follow_up_note = Some(note.clone())
                }
                EventKind::Closed { cause, .. } => d.cause = Some(cause.clone()),
            }
            d.timeline.push(Milestone {
                at: e.time(),
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
    sorted.sort_unstable_by_key(|e| (e.time(), e.id));
    sorted.dedup_by_key(|e| e.id);
    let mut case: Option<Case> = None;
    for event in sorted {
        case = Some(step(case.as_ref(), event)?);
    }
    Ok(case)
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod beside_tests;
#[cfg(test)]
mod workflow_tests;
