//! The staff app's words: its one helper for a fixed text in the current language, and the
//! names of the domain's enums in the staff texts.
//!
//! Only looks words up; it must never decide what a screen shows.

use crate::i18n::{I18n, StaffTexts, fill};
use leptos::prelude::*;
use recovery_core::{CauseCategory, Remedy, Status, TransitionError};

/// A fixed staff text in the current language.
pub(super) fn st(
    i18n: I18n,
    pick: fn(&'static StaffTexts) -> &'static str,
) -> Signal<&'static str> {
    Signal::derive(move || pick(i18n.get_locale().staff()))
}

/// Translated name of a step (an event's type name).
pub(super) fn step_name(t: &'static StaffTexts, step: &str) -> &'static str {
    let s = &t.step;
    match step {
        "filed" => s.filed,
        "acknowledged" => s.acknowledged,
        "noted" => s.noted,
        "escalated" => s.escalated,
        "resolved" => s.resolved,
        "rated" => s.rated,
        "followed_up" => s.followed_up,
        _ => s.closed,
    }
}

pub(super) fn status_name(t: &'static StaffTexts, status: Status) -> &'static str {
    let s = &t.status;
    match status {
        Status::Filed => s.filed,
        Status::Acknowledged => s.acknowledged,
        Status::Understood => s.understood,
        Status::Resolved => s.resolved,
        Status::Closed => s.closed,
        Status::Reopened => s.reopened,
    }
}

pub(super) fn remedy_name(t: &'static StaffTexts, r: Remedy) -> &'static str {
    let s = &t.remedy;
    match r {
        Remedy::Refund => s.refund,
        Remedy::Replacement => s.replacement,
        Remedy::Discount => s.discount,
        Remedy::Voucher => s.voucher,
        Remedy::ApologyOnly => s.apology_only,
        Remedy::Other => s.other,
    }
}

pub(super) fn cause_name(t: &'static StaffTexts, c: CauseCategory) -> &'static str {
    let s = &t.cause;
    match c {
        CauseCategory::People => s.people,
        CauseCategory::Process => s.process,
        CauseCategory::Product => s.product,
        CauseCategory::Place => s.place,
        CauseCategory::Policy => s.policy,
        CauseCategory::Equipment => s.equipment,
    }
}

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
