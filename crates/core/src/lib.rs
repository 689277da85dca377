//! The pure domain of the service-recovery kiosk: complaints and their validation, the
//! recovery workflow as events folded into a case, ticket codes, SLA clocks and the apology
//! plan, and the sync rules (batch limits, receipts, backoff) the device and server share.
//!
//! It is shared by the app (compiled to WebAssembly) and the server, so both validate and fold
//! with the same code. It must never read a clock, make random numbers, do I/O or depend on a
//! UI or runtime crate: time and ids are passed in, which keeps every rule testable natively.

mod apology;
mod case;
#[cfg(test)]
mod clock_tests;
#[macro_use]
mod complaint;
pub mod api;
mod chain;
mod event;
mod ids;
pub mod insights;
mod ledger;
mod marker;
mod notice;
#[cfg(feature = "signing")]
pub mod proof;
mod queue;
mod shifts;
mod sla;
mod staff;
mod suggest;
pub mod sync;
mod ticket;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use apology::{ApologyPlan, apology_plan};
pub use case::{
    Attempt, Case, Details, Milestone, Note, Rating, Resolution, Status, Step, TransitionError,
    apply, fold, fold_with, forget_erased, open,
};
pub use chain::{
    ACK_MINUTES_MAX, ChainRole, FOLLOW_UP_DAYS_MAX, LIMIT_MINOR_MAX, PASSWORD_MAX, PASSWORD_MIN,
    PersonSetup, RESOLVE_HOURS_MAX, RETENTION_DAYS_MAX, Reach, SETUP_NAME_MAX, STICKER_TEXT_MAX,
    SetupError, StaffSetup, StoreSetup, TOUCHPOINTS_MAX, TouchpointSetup, name_is_well_formed,
    password_is_well_formed,
};
pub use complaint::{
    CONTACT_MAX, Category, Complaint, ComplaintDraft, Contact, DESCRIPTION_MAX, FairSolution,
    Field, FieldError, Impact, NAME_MAX, NOTE_MAX, Occurred, Problem, text_len, validate,
};
pub use event::{
    Actor, CLOCK_AHEAD_SLACK_MS, CLOCK_EPOCH_MS, CLOCK_OFFLINE_MAX_MS, COMMENT_MAX, Cause,
    CauseCategory, ContactChannel, DeviceClock, Erasure, Event, EventError, EventKind, FACTORS_MAX,
    Factor, NAMES_MAX, Origin, Proof, Remedy, Role, SHORT_TEXT_MAX, STAFF_TEXT_MAX,
};
pub use ids::{CaseId, DeviceId, EventId, Slug, SlugError, Timestamp, parse_uuid};
pub use ledger::{Ledger, Recorded};
pub use marker::{
    MARKER_AHEAD_MS, MARKER_LABEL_MAX, MARKER_WINDOW_DAYS, MARKERS_MAX, Marker, MarkerError,
    MarkerKind, Markers, NewMarker,
};
pub use notice::{
    ADDRESS_MAX, Channel, NoticeRule, Quiet, RecipientError, RecipientSetup, SECRET_MIN,
};
pub use queue::{
    Due, FOUND_MAX, Local, QueueItem, Section, Severity, Summary, contact_fingerprint, find,
    in_queue, local, next_due, queue, repeat_cases,
};
pub use shifts::{Hours, PlannedShift, SHIFT_NAME_MAX, SHIFTS_MAX, ShiftPlan};
pub use sla::SlaPolicy;
pub use staff::{
    LANGUAGES, LanguagesError, PIN_LOCK_AFTER, PIN_LOCK_MS, PIN_MAX, PIN_MIN, PIN_ROUNDS, PinGate,
    PinHash, PinThrottle, STAFF_IDLE_MS, StaffMember, StoreProfile, all_languages, parse_languages,
    pin_is_well_formed,
};
pub use suggest::{CauseGuess, Lists, as_listed, cause_for, lists, remedy_for, same_name};
pub use sync::{Mark, Outbox, PushOutcome, Receipt, RejectReason};
pub use ticket::TicketCode;
