//! Recovery events: every change to a case is an immutable event with an id made on the device.
//!
//! Events are what devices store and sync, and what the server keeps; a case is a fold of its
//! events (see `case`). An event's payload is checked with the same rules everywhere.

use crate::complaint::{Complaint, FieldError};
use crate::ids::{CaseId, DeviceId, EventId, Slug, Timestamp};
use serde::{Deserialize, Serialize};

/// Where an event was recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The store the case belongs to.
    pub store: Slug,
    /// The touchpoint (QR sticker or tablet) it came through.
    pub touchpoint: Slug,
    /// The device that recorded it.
    pub device: DeviceId,
}

/// One immutable step in a case's life.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Unique id, made on the device: the idempotency key everywhere.
    pub id: EventId,
    /// The case it belongs to.
    pub case: CaseId,
    /// When it happened, on the recording device's clock.
    pub at: Timestamp,
    /// Where it was recorded.
    pub origin: Origin,
    /// What happened.
    pub kind: EventKind,
}

/// What an event records.
///
/// More steps (acknowledged, understood, resolution offered, escalated, resolved, rated,
/// follow-up scheduled, followed up, reopened, closed) are added as variants; the fold matches
/// on (status, kind), so each new step is an additive arm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A customer filed a complaint, opening the case.
    Filed {
        /// What they told us.
        complaint: Complaint,
        /// The device's offset from UTC when filing, in minutes east, so trends can use the
        /// customer's local hour.
        utc_offset_minutes: i16,
    },
}

/// Why an event's payload is not acceptable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    /// The complaint breaks the validation rules.
    #[error("the complaint is not valid ({} problems)", .0.len())]
    InvalidComplaint(Vec<FieldError>),
    /// A UTC offset outside -14 h..=+14 h.
    #[error("UTC offset {0} minutes is impossible")]
    InvalidOffset(i16),
    /// A timestamp before 1970.
    #[error("timestamp {0} is before 1970")]
    InvalidTimestamp(i64),
}

impl Event {
    /// Checks the payload with the shared rules.
    pub fn check(&self) -> Result<(), EventError> {
        if self.at.0 < 0 {
            return Err(EventError::InvalidTimestamp(self.at.0));
        }
        match &self.kind {
            EventKind::Filed {
                complaint,
                utc_offset_minutes,
            } => {
                if !(-14 * 60..=14 * 60).contains(utc_offset_minutes) {
                    return Err(EventError::InvalidOffset(*utc_offset_minutes));
                }
                complaint.check().map_err(EventError::InvalidComplaint)
            }
        }
    }
}
