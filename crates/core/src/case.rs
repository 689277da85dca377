//! A case's state as a fold of its events.
//!
//! `apply` is one step of the reducer, matching on (current state, event kind); `fold` sorts
//! events into one deterministic order (time, then id) and drops repeated ids first, so
//! replaying, reordering or receiving an event twice gives the same case. Impossible steps are
//! typed errors, never panics.

use crate::complaint::Complaint;
use crate::event::{Event, EventError, EventKind};
use crate::ids::{CaseId, Slug, Timestamp};
use crate::ticket::TicketCode;
use serde::{Deserialize, Serialize};

/// Where a case stands in the recovery workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The customer filed it; nobody on staff has acknowledged it yet.
    Filed,
}

/// The current state of one case.
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
}

/// Applies one event to a case (or to nothing, for the event that opens it).
pub fn apply(case: Option<&Case>, event: &Event) -> Result<Case, TransitionError> {
    if let Some(c) = case
        && c.id != event.case
    {
        return Err(TransitionError::WrongCase {
            expected: c.id,
            got: event.case,
        });
    }
    event.check().map_err(TransitionError::InvalidEvent)?;
    match (case, &event.kind) {
        (
            None,
            EventKind::Filed {
                complaint,
                utc_offset_minutes,
            },
        ) => Ok(Case {
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
        }),
        (Some(c), EventKind::Filed { .. }) => Err(TransitionError::AlreadyFiled { case: c.id }),
    }
}

/// Folds events into a case in a deterministic order (time, then id), ignoring repeated ids.
/// No events give `Ok(None)`.
pub fn fold<'a>(
    events: impl IntoIterator<Item = &'a Event>,
) -> Result<Option<Case>, TransitionError> {
    let mut sorted: Vec<&Event> = events.into_iter().collect();
    // Unstable is enough: the key includes the id, so repeats of one event end up adjacent.
    sorted.sort_unstable_by_key(|e| (e.at, e.id));
    sorted.dedup_by_key(|e| e.id);
    let mut case: Option<Case> = None;
    for event in sorted {
        case = Some(apply(case.as_ref(), event)?);
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
        } = &mut e.kind;
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
