//! Translated words for the core's enums and errors: the one place that maps domain values to
//! translation keys, so that every screen names a category or a problem the same way.
//!
//! Each function reads the current locale, so calling it inside a reactive closure re-renders
//! the text when the language changes. Nothing here decides anything about the domain.

use crate::i18n::*;
use crate::sync::Problem as SyncProblem;
use leptos::prelude::*;
use recovery_core::{Category, FairSolution, Field, Impact, Occurred, Problem, RejectReason};

/// The i18n handle type used across components.
pub type I18n = leptos_i18n::I18nContext<Locale>;

/// A category as the customer sees it.
pub fn category(i18n: I18n, c: Category) -> String {
    match c {
        Category::Product => t_string!(i18n, category.product),
        Category::Service => t_string!(i18n, category.service),
        Category::Waiting => t_string!(i18n, category.waiting),
        Category::Billing => t_string!(i18n, category.billing),
        Category::Delivery => t_string!(i18n, category.delivery),
        Category::Cleanliness => t_string!(i18n, category.cleanliness),
        Category::Availability => t_string!(i18n, category.availability),
        Category::Other => t_string!(i18n, category.other),
    }
    .to_string()
}

/// When it happened, as a choice.
pub fn occurred(i18n: I18n, o: Occurred) -> String {
    match o {
        Occurred::JustNow => t_string!(i18n, occurred.just_now),
        Occurred::EarlierToday => t_string!(i18n, occurred.earlier_today),
        Occurred::Yesterday => t_string!(i18n, occurred.yesterday),
        Occurred::ThisWeek => t_string!(i18n, occurred.this_week),
        Occurred::Earlier => t_string!(i18n, occurred.earlier),
    }
    .to_string()
}

/// How much it affected the customer.
pub fn impact(i18n: I18n, i: Impact) -> String {
    match i {
        Impact::Minor => t_string!(i18n, impact.minor),
        Impact::Moderate => t_string!(i18n, impact.moderate),
        Impact::Major => t_string!(i18n, impact.major),
        Impact::Severe => t_string!(i18n, impact.severe),
    }
    .to_string()
}

/// A fair solution the customer may ask for.
pub fn fair(i18n: I18n, f: FairSolution) -> String {
    match f {
        FairSolution::Refund => t_string!(i18n, fair.refund),
        FairSolution::Replacement => t_string!(i18n, fair.replacement),
        FairSolution::Repair => t_string!(i18n, fair.repair),
        FairSolution::Discount => t_string!(i18n, fair.discount),
        FairSolution::Apology => t_string!(i18n, fair.apology),
        FairSolution::Explanation => t_string!(i18n, fair.explanation),
        FairSolution::Other => t_string!(i18n, fair.other),
    }
    .to_string()
}

/// The label of a form field (its question or its name), as a picker for [`tr`]. The form's
/// legends and labels and the error summary all name fields through this one mapping.
pub fn field_label(field: Field) -> fn(Locale) -> &'static str {
    match field {
        Field::Category => |l| td_string!(l, category_legend),
        Field::Description => |l| td_string!(l, description_label),
        Field::Occurred => |l| td_string!(l, occurred_legend),
        Field::Impact => |l| td_string!(l, impact_legend),
        Field::HappenedBefore => |l| td_string!(l, before_legend),
        Field::FairSolution => |l| td_string!(l, fair_legend),
        Field::FairSolutionNote => |l| td_string!(l, fair_note_label),
        Field::Name => |l| td_string!(l, name_label),
        Field::Contact => |l| td_string!(l, contact_label),
        Field::Consent => |l| td_string!(l, consent_label),
    }
}

/// Yes or no, for "has this happened before?".
pub fn yes_no(i18n: I18n, yes: bool) -> String {
    if yes {
        t_string!(i18n, yes).to_string()
    } else {
        t_string!(i18n, no).to_string()
    }
}

/// A validation problem, in words that say how to fix it.
pub fn problem(i18n: I18n, p: Problem) -> String {
    match p {
        Problem::Required => t_string!(i18n, error.required).to_string(),
        Problem::TooLong { max, actual } => {
            t_string!(i18n, error.too_long, max = max, actual = actual).to_string()
        }
        Problem::ForbiddenCharacters => t_string!(i18n, error.forbidden_characters).to_string(),
        Problem::InvalidContact => t_string!(i18n, error.invalid_contact).to_string(),
        Problem::ConsentRequired => t_string!(i18n, error.consent_required).to_string(),
        Problem::ContactRequired => t_string!(i18n, error.contact_required).to_string(),
    }
}

/// Why the server refused an event, in words for the person at the device.
pub fn reject_reason(i18n: I18n, r: RejectReason) -> String {
    match r {
        RejectReason::Malformed => t_string!(i18n, reject.malformed),
        RejectReason::Invalid => t_string!(i18n, reject.invalid),
        RejectReason::AlreadyFiled => t_string!(i18n, reject.already_filed),
        RejectReason::NotFiled => t_string!(i18n, reject.not_filed),
        RejectReason::Refused => t_string!(i18n, reject.refused),
        RejectReason::Conflict => t_string!(i18n, reject.conflict),
        RejectReason::Forbidden => t_string!(i18n, reject.forbidden),
        RejectReason::Unprocessable => t_string!(i18n, reject.unprocessable),
    }
    .to_string()
}

/// Why sending to the server is not working right now.
pub fn sync_problem(i18n: I18n, p: SyncProblem) -> String {
    match p {
        SyncProblem::Offline => t_string!(i18n, sync_problem.offline),
        SyncProblem::Timeout => t_string!(i18n, sync_problem.timeout),
        SyncProblem::Server => t_string!(i18n, sync_problem.server),
        SyncProblem::Busy => t_string!(i18n, sync_problem.busy),
        SyncProblem::BadAnswer => t_string!(i18n, sync_problem.bad_answer),
    }
    .to_string()
}

/// The apology sentence that answers what went wrong.
pub fn apology(i18n: I18n, c: Category) -> String {
    match c {
        Category::Product => t_string!(i18n, apology.product),
        Category::Service => t_string!(i18n, apology.service),
        Category::Waiting => t_string!(i18n, apology.waiting),
        Category::Billing => t_string!(i18n, apology.billing),
        Category::Delivery => t_string!(i18n, apology.delivery),
        Category::Cleanliness => t_string!(i18n, apology.cleanliness),
        Category::Availability => t_string!(i18n, apology.availability),
        Category::Other => t_string!(i18n, apology.other),
    }
    .to_string()
}

/// A fixed text in the current language, e.g. `tr(i18n, |l| td_string!(l, submit))`.
///
/// Every call shares one type (`Signal<&'static str>` over a plain `fn`), so the whole app has
/// one rendering path for translated text instead of one per call site: that keeps the
/// customer's download small.
pub fn tr(i18n: I18n, pick: fn(Locale) -> &'static str) -> Signal<&'static str> {
    Signal::derive(move || pick(i18n.get_locale()))
}

/// A composed text (with placeholders filled) that follows the language; see [`tr`].
pub fn dynamic(text: impl Fn() -> String + Send + Sync + 'static) -> Signal<String> {
    Signal::derive(text)
}
