//! Translated words for the core's enums and errors, for all three apps: the one place that
//! maps domain values to translation keys, so that every screen names a category, a step or a
//! problem the same way, and [`tr`], the one way to show a fixed text.
//!
//! Each app's texts are its own (the customer's, the staff app's and the ticket page's files
//! ship in their own builds), so a value's words are one mapping ([`Names`]) implemented for
//! each app's group of texts that names it: `t.status.name(status)` reads the same on the
//! staff tablet and the customer's phone.
//!
//! Each function reads the current locale, so calling it inside a reactive closure re-renders
//! the text when the language changes. Nothing here decides anything about the domain.

use crate::shared::i18n::{
    Locale, StaffCauseTexts, StaffChannelTexts, StaffExplainTexts, StaffRemedyTexts,
    StaffSectionTexts, StaffStatusTexts, StaffStepTexts, TicketRemedyTexts, TicketStatusTexts,
    TicketStepTexts, fill,
};
use crate::shared::outbox::Problem as SyncProblem;
use leptos::prelude::*;
use recovery_core::{
    Category, CauseCategory, ContactChannel, FairSolution, Field, Impact, Occurred, Problem,
    RejectReason, Remedy, Section, Status,
};

/// The i18n handle type used across components.
pub type I18n = crate::shared::i18n::I18n;

/// The words for the values of one domain enum (`T`) in one group of an app's texts.
pub trait Names<T> {
    /// The words for `value`.
    fn name(&self, value: T) -> &'static str;
}

/// Implements [`Names`] for every listed group of texts with one mapping.
macro_rules! names {
    ($value:ty => [$($texts:ty),+] $arms:tt) => {
        $(names!(@one $value, $texts, $arms);)+
    };
    (@one $value:ty, $texts:ty, { $($pat:pat => $field:ident),+ $(,)? }) => {
        impl Names<$value> for $texts {
            fn name(&self, value: $value) -> &'static str {
                match value {
                    $($pat => self.$field),+
                }
            }
        }
    };
}

// A step is the event's type name (`EventKind::name`), as the server's views list it. A step
// this build does not know (a newer server's) is "another step", never one it is not.
names!(&str => [StaffStepTexts, TicketStepTexts] {
    "filed" => filed,
    "acknowledged" => acknowledged,
    "noted" => noted,
    "escalated" => escalated,
    "resolved" => resolved,
    "rated" => rated,
    "followed_up" => followed_up,
    "contacted" => contacted,
    "answered" => answered,
    "consent_withdrawn" => consent_withdrawn,
    "erased" => erased,
    "closed" => closed,
    _ => other,
});

names!(Status => [StaffStatusTexts, TicketStatusTexts] {
    Status::Filed => filed,
    Status::Acknowledged => acknowledged,
    Status::Understood => understood,
    Status::Resolved => resolved,
    Status::Closed => closed,
    Status::Reopened => reopened,
});

names!(Remedy => [StaffRemedyTexts, TicketRemedyTexts] {
    Remedy::Refund => refund,
    Remedy::Replacement => replacement,
    Remedy::Discount => discount,
    Remedy::Voucher => voucher,
    Remedy::ApologyOnly => apology_only,
    Remedy::Other => other,
});

names!(Section => [StaffSectionTexts] {
    Section::Overdue => overdue,
    Section::New => new,
    Section::ForManager => for_manager,
    Section::InProgress => in_progress,
    Section::FollowUpDue => follow_up_due,
    Section::ToDocument => to_document,
    Section::FollowUpLater => follow_up_later,
});

names!(ContactChannel => [StaffChannelTexts] {
    ContactChannel::Phone => phone,
    ContactChannel::Email => email,
    ContactChannel::Sms => sms,
    ContactChannel::InPerson => in_person,
});

names!(CauseCategory => [StaffCauseTexts, StaffExplainTexts] {
    CauseCategory::People => people,
    CauseCategory::Process => process,
    CauseCategory::Product => product,
    CauseCategory::Place => place,
    CauseCategory::Policy => policy,
    CauseCategory::Equipment => equipment,
});

/// A category as the customer sees it.
pub fn category(i18n: I18n, c: Category) -> String {
    let t = &i18n.t().category;
    match c {
        Category::Product => t.product,
        Category::Service => t.service,
        Category::Waiting => t.waiting,
        Category::Billing => t.billing,
        Category::Delivery => t.delivery,
        Category::Cleanliness => t.cleanliness,
        Category::Availability => t.availability,
        Category::Other => t.other,
    }
    .to_string()
}

/// When it happened, as a choice.
pub fn occurred(i18n: I18n, o: Occurred) -> String {
    let t = &i18n.t().occurred;
    match o {
        Occurred::JustNow => t.just_now,
        Occurred::EarlierToday => t.earlier_today,
        Occurred::Yesterday => t.yesterday,
        Occurred::ThisWeek => t.this_week,
        Occurred::Earlier => t.earlier,
    }
    .to_string()
}

/// How much it affected the customer.
pub fn impact(i18n: I18n, i: Impact) -> String {
    let t = &i18n.t().impact;
    match i {
        Impact::Minor => t.minor,
        Impact::Moderate => t.moderate,
        Impact::Major => t.major,
        Impact::Severe => t.severe,
    }
    .to_string()
}

/// A fair solution the customer may ask for.
pub fn fair(i18n: I18n, f: FairSolution) -> String {
    let t = &i18n.t().fair;
    match f {
        FairSolution::Refund => t.refund,
        FairSolution::Replacement => t.replacement,
        FairSolution::Repair => t.repair,
        FairSolution::Discount => t.discount,
        FairSolution::Apology => t.apology,
        FairSolution::Explanation => t.explanation,
        FairSolution::Other => t.other,
    }
    .to_string()
}

/// The label of a form field (its question or its name), as a picker for [`tr`]. The form's
/// legends and labels and the error summary all name fields through this one mapping.
pub fn field_label(field: Field) -> fn(Locale) -> &'static str {
    match field {
        Field::Category => |l| l.texts().category_legend,
        Field::Description => |l| l.texts().description_label,
        Field::Occurred => |l| l.texts().occurred_legend,
        Field::Impact => |l| l.texts().impact_legend,
        Field::HappenedBefore => |l| l.texts().before_legend,
        Field::FairSolution => |l| l.texts().fair_legend,
        Field::FairSolutionNote => |l| l.texts().fair_note_label,
        Field::Name => |l| l.texts().name_label,
        Field::Contact => |l| l.texts().contact_label,
        Field::Consent => |l| l.texts().consent_label,
    }
}

/// Yes or no, for "has this happened before?".
pub fn yes_no(i18n: I18n, yes: bool) -> String {
    let t = i18n.t();
    let text = if yes { t.yes } else { t.no };
    text.to_string()
}

/// A validation problem, in words that say how to fix it.
pub fn problem(i18n: I18n, p: Problem) -> String {
    let t = &i18n.t().error;
    match p {
        Problem::Required => t.required,
        // The only problem whose words carry numbers.
        Problem::TooLong { max, actual } => {
            return fill(t.too_long, &[("max", &max), ("actual", &actual)]);
        }
        Problem::ForbiddenCharacters => t.forbidden_characters,
        Problem::InvalidContact => t.invalid_contact,
        Problem::ConsentRequired => t.consent_required,
        Problem::ContactRequired => t.contact_required,
    }
    .to_string()
}

/// Why the server refused an event, in words for the person at the device.
pub fn reject_reason(i18n: I18n, r: RejectReason) -> &'static str {
    let t = &i18n.t().reject;
    match r {
        RejectReason::Malformed => t.malformed,
        RejectReason::Invalid => t.invalid,
        RejectReason::AlreadyFiled => t.already_filed,
        RejectReason::NotFiled => t.not_filed,
        RejectReason::Refused => t.refused,
        RejectReason::Conflict => t.conflict,
        RejectReason::Forbidden => t.forbidden,
        RejectReason::Unprocessable => t.unprocessable,
    }
}

/// Why sending to the server is not working right now.
pub fn sync_problem(i18n: I18n, p: SyncProblem) -> &'static str {
    let t = &i18n.t().sync_problem;
    match p {
        SyncProblem::Offline => t.offline,
        SyncProblem::Timeout => t.timeout,
        SyncProblem::Server => t.server,
        SyncProblem::Busy => t.busy,
        SyncProblem::BadAnswer => t.bad_answer,
    }
}

/// The apology sentence that answers what went wrong.
pub fn apology(i18n: I18n, c: Category) -> String {
    let t = &i18n.t().apology;
    match c {
        Category::Product => t.product,
        Category::Service => t.service,
        Category::Waiting => t.waiting,
        Category::Billing => t.billing,
        Category::Delivery => t.delivery,
        Category::Cleanliness => t.cleanliness,
        Category::Availability => t.availability,
        Category::Other => t.other,
    }
    .to_string()
}

/// Picks one fixed text of a language.
pub type Pick = fn(Locale) -> &'static str;

/// A fixed text in the current language, e.g. `tr(i18n, |l| l.texts().submit)`, or of another
/// app's texts, `tr(i18n, |l| l.ticket().title)`: the one text helper of all three apps.
///
/// Every call shares one type (`Signal<&'static str>` over a plain `fn`), so the whole app has
/// one rendering path for translated text instead of one per call site: that keeps the
/// customer's download small.
pub fn tr(i18n: I18n, pick: Pick) -> Signal<&'static str> {
    Signal::derive(move || pick(i18n.get_locale()))
}

/// A composed text (with placeholders filled) that follows the language; see [`tr`].
pub fn dynamic(text: impl Fn() -> String + Send + Sync + 'static) -> Signal<String> {
    Signal::derive(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every step type the core records (`EventKind::name`).
    const STEPS: [&str; 8] = [
        "filed",
        "acknowledged",
        "noted",
        "escalated",
        "resolved",
        "rated",
        "followed_up",
        "closed",
    ];

    #[test]
    fn a_step_this_build_does_not_know_is_another_step_on_staff_and_ticket_screens_alike() {
        for l in Locale::ALL {
            assert_eq!(l.staff().step.name("reopened"), l.staff().step.other);
            assert_eq!(l.ticket().step.name("reopened"), l.ticket().step.other);
            assert_ne!(l.staff().step.name("closed"), l.staff().step.other);
        }
    }

    #[test]
    fn every_step_the_core_records_has_its_own_words_in_every_app_and_language() {
        for l in Locale::ALL {
            for (apps, words) in [
                ("staff", STEPS.map(|s| l.staff().step.name(s))),
                ("ticket", STEPS.map(|s| l.ticket().step.name(s))),
            ] {
                let mut seen = words.to_vec();
                seen.sort_unstable();
                seen.dedup();
                assert_eq!(seen.len(), STEPS.len(), "{apps} {}", l.as_str());
            }
        }
    }

    #[test]
    fn statuses_and_remedies_read_their_own_words() {
        let (staff, ticket) = (Locale::En.staff(), Locale::En.ticket());
        assert_eq!(staff.status.name(Status::Reopened), staff.status.reopened);
        assert_eq!(ticket.status.name(Status::Filed), ticket.status.filed);
        assert_eq!(
            staff.remedy.name(Remedy::ApologyOnly),
            staff.remedy.apology_only
        );
        assert_eq!(ticket.remedy.name(Remedy::Voucher), ticket.remedy.voucher);
        assert_eq!(staff.cause.name(CauseCategory::Policy), staff.cause.policy);
    }
}
