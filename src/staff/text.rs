//! The staff app's own words for a step the workflow refuses (the words for the domain's enums
//! are `shared::labels`', its fixed texts go through `shared::labels::tr`).
//!
//! Only looks words up; it must never decide what a screen shows.

use crate::shared::i18n::{StaffTexts, fill};
use recovery_core::TransitionError;

/// Why a step was refused, in words.
pub fn refusal(t: &'static StaffTexts, e: &TransitionError) -> String {
    let s = &t.transition;
    let reason = match e {
        TransitionError::NotFiled { .. } => s.not_filed,
        TransitionError::AlreadyFiled { .. } => s.already_filed,
        TransitionError::WrongCase { .. } => s.wrong_case,
        TransitionError::InvalidEvent(_) => s.invalid_event,
        TransitionError::OutOfOrder { .. } => s.out_of_order,
        TransitionError::AlreadyEscalated => s.already_escalated,
        TransitionError::NeedsManager => s.needs_manager,
        TransitionError::AboveAuthority { .. } => s.above_authority,
        TransitionError::NoConsent => s.no_consent,
        TransitionError::FollowUpInPast => s.follow_up_in_past,
        TransitionError::NoFollowUp => s.no_follow_up,
    };
    fill(t.refused_here, &[("reason", &reason)])
}
