//! Recovery events: every change to a case is an immutable event with an id made on the device.
//!
//! Events are what devices store and sync, and what the server keeps; a case is a fold of its
//! events (see `case`). An event's payload is checked with the same rules everywhere.

use crate::complaint::{Complaint, FieldError, Problem, check_text};
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
    /// A staff step's signature by its author's personal key (`proof`), when it was taken
    /// on a shared tablet; absent otherwise, and from every customer's event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Proof>,
    /// What is known of the recording device's clock, which [`Event::time`] corrects `at` by;
    /// absent on an event recorded before its device ever reached the server and not yet
    /// received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<DeviceClock>,
}

/// How far a device's clock is from the server's, and when the server received an event.
///
/// Tablets' clocks drift and get set wrong (days behind, hours ahead, 1970). A device learns
/// its skew from the server's time at every sync and keeps it with each event it records; the
/// server sets it on an event from a device that had not learnt it (from the device's clock sent
/// with the push) and notes when each event arrived. `at` stays the device's own time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceClock {
    /// The server's clock minus the device's, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skew_ms: Option<i64>,
    /// The server's clock when the event arrived there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<Timestamp>,
}

/// How far after its arrival an event's corrected time may lie (a skew learnt a little before
/// the clock was changed; network delays) and still be believed.
pub const CLOCK_AHEAD_SLACK_MS: i64 = 10 * 60_000;
/// How long before its arrival the corrected time of an event whose device's clock was read
/// may lie and still be believed: a kiosk may be offline for weeks (a closed season, a broken
/// router), not for longer. Events with no clock reading (imports, API clients) are believed
/// back to [`CLOCK_EPOCH_MS`]: the server cannot tell their age from a wrong clock.
pub const CLOCK_OFFLINE_MAX_MS: i64 = 90 * 86_400_000;
/// 1 January 2020, 00:00 UTC: no event of this product happened before.
pub const CLOCK_EPOCH_MS: i64 = 1_577_836_800_000;

/// The signature that proves who took a staff step: made with the personal key the server
/// registered for that person at an online sign-in (see `proof`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    /// The id the server gave the signing key.
    pub key: String,
    /// The Ed25519 signature of the event's signed bytes, in hex.
    pub sig: String,
}

/// What an event records.
///
/// A customer files (and later rates); staff take the four recovery steps, each naming the
/// [`Actor`] who took it. The fold matches on (status, kind), see `case`.
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
    /// Step 1: a staff member acknowledged the complaint and apologised in person.
    Acknowledged {
        /// Who.
        by: Actor,
        /// The words they used (suggested, then edited), for the record.
        apology: String,
        /// Their answer to "could we have prevented this?": a failure the customer could see
        /// coming is where an apology and a fix do not win them back (no recovery paradox), so
        /// an avoidable one goes to a manager at once. `None`: not answered (steps from before
        /// the question, or staff who could not tell yet).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        avoidable: Option<bool>,
    },
    /// Step 2: what the review with the customer found.
    Noted {
        /// Who.
        by: Actor,
        /// The note.
        note: String,
    },
    /// The case needs a manager: a repeat or serious failure, or a remedy above the staff
    /// member's authority.
    Escalated {
        /// Who escalated it.
        by: Actor,
        /// Why.
        reason: String,
    },
    /// Step 3: what was given to put it right, and the little extra.
    Resolved {
        /// Who decided it.
        by: Actor,
        /// What was given.
        remedy: Remedy,
        /// Its value in the store currency's minor units (cents); 0 for an apology.
        value_minor: u32,
        /// The extra gesture on top ("free delivery"); empty for escalated cases, which get
        /// no delight script.
        gesture: String,
        /// When to ask whether the fix held; only with the customer's consent to contact.
        follow_up_at: Option<Timestamp>,
    },
    /// Step 4: the customer rated the fix (on the tablet or their phone). A later rating
    /// replaces an earlier one until the case is closed.
    Rated {
        /// 1 (poor) to 5 (excellent).
        stars: u8,
        /// Their comment; may be empty.
        comment: String,
    },
    /// Step 4, days later: did the fix hold? A "no" reopens the case.
    FollowedUp {
        /// Who asked.
        by: Actor,
        /// Whether the fix held.
        held: bool,
        /// What the customer said.
        note: String,
    },
    /// Step 4, by the customer: their own answer to "did the fix hold?", on their ticket page
    /// once the follow-up is due. The same as a follow-up by staff: a "no" reopens the case.
    Answered {
        /// Whether the fix held.
        held: bool,
        /// What they added; may be empty.
        comment: String,
    },
    /// The customer asked, on their ticket page or by a message's link, to hear nothing more
    /// about this case: their consent to be contacted ends (no message is sent, no follow-up
    /// can be planned), whatever the case's status. Their contact stays for the record until
    /// the store's retention erases it.
    ConsentWithdrawn {},
    /// Staff tried to reach the customer (a call, an email, a text, or in person), whether or
    /// not they got through: part of the record of acting fast. Any open case; its status
    /// stays.
    Contacted {
        /// Who tried.
        by: Actor,
        /// How.
        channel: ContactChannel,
        /// Whether they reached the customer.
        reached: bool,
        /// What was said or left; may be empty.
        note: String,
    },
    /// The server erased what identifies the customer (their name and contact) from the case:
    /// its store's retention time after the close ran out, or the customer asked. Written by
    /// the server only, never accepted from a device; a device that pulls it forgets them too.
    Erased {
        /// Why.
        reason: Erasure,
    },
    /// The case is documented and closed.
    Closed {
        /// Who closed it.
        by: Actor,
        /// Why it happened.
        cause: Cause,
    },
}

/// Someone on staff taking a step, with the authority they had when they took it. The server
/// checks it against the store's roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The staff member.
    pub staff: Slug,
    /// Their role.
    pub role: Role,
    /// The largest remedy they may give on their own, in minor units.
    pub limit_minor: u32,
}

impl Actor {
    /// Whether they may give a remedy of this value on their own.
    pub fn may_give(&self, value_minor: u32) -> bool {
        self.role == Role::Manager || value_minor <= self.limit_minor
    }
}

choice_enum!(
    /// What a staff member may do.
    Role {
        /// Front-line staff: works cases within an authority limit.
        Staff => "staff",
        /// A manager: takes escalated cases, no limit.
        Manager => "manager",
    }
);

choice_enum!(
    /// What was given to put a failure right.
    Remedy {
        /// Money back.
        Refund => "refund",
        /// A replacement.
        Replacement => "replacement",
        /// A discount.
        Discount => "discount",
        /// A voucher.
        Voucher => "voucher",
        /// The apology and explanation only.
        ApologyOnly => "apology_only",
        /// Something else (see the gesture).
        Other => "other",
    }
);

choice_enum!(
    /// The cause categories of a cause-and-effect (fishbone) diagram.
    CauseCategory {
        /// People: training, attitude, staffing.
        People => "people",
        /// Process: steps, hand-overs, rules of work.
        Process => "process",
        /// Product: what was sold.
        Product => "product",
        /// Place: the premises.
        Place => "place",
        /// Policy: rules and terms.
        Policy => "policy",
        /// Equipment: tills, systems, tools.
        Equipment => "equipment",
    }
);

choice_enum!(
    /// Why a customer's name and contact were erased.
    Erasure {
        /// The store's retention time after the close ran out.
        Retention => "retention",
        /// The customer asked (`erase --ticket`).
        Request => "request",
    }
);

choice_enum!(
    /// How staff tried to reach a customer.
    ContactChannel {
        /// A phone call.
        Phone => "phone",
        /// An email.
        Email => "email",
        /// A text message.
        Sms => "sms",
        /// Face to face.
        InPerson => "in_person",
    }
);

/// One more thing that contributed to a failure, beside its main cause: a bone of the
/// fishbone and a few words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Factor {
    /// The fishbone category.
    pub category: CauseCategory,
    /// In a few words; may be empty.
    pub sub_cause: String,
}

/// Why a failure happened: the documentation a case is closed with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cause {
    /// The fishbone category.
    pub category: CauseCategory,
    /// The sub-cause, in a few words ("till froze at peak").
    pub sub_cause: String,
    /// Departments involved.
    pub departments: Vec<String>,
    /// People involved (names or roles).
    pub people: Vec<String>,
    /// A short explanation for the customer of why it happened.
    pub explanation: String,
    /// What else contributed, beside the main cause (none in closes from before factors).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub factors: Vec<Factor>,
}

/// Longest staff note, apology or explanation, in characters.
pub const STAFF_TEXT_MAX: usize = 2000;
/// Longest short text: a sub-cause, gesture, reason, or one department or person.
pub const SHORT_TEXT_MAX: usize = 120;
/// Most departments or people named on a case.
pub const NAMES_MAX: usize = 12;
/// Most contributing factors beside a case's main cause.
pub const FACTORS_MAX: usize = 5;
/// Longest rating comment.
pub const COMMENT_MAX: usize = 1000;

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
    /// A text that is not normalised, holds forbidden characters, or is too long.
    #[error("the {0} text is empty, too long, not normalised or has forbidden characters")]
    InvalidText(&'static str),
    /// Stars outside 1..=5.
    #[error("a rating has 1 to 5 stars, not {0}")]
    InvalidStars(u8),
    /// Too many departments, people or contributing factors.
    #[error("at most {NAMES_MAX} departments and people and {FACTORS_MAX} factors")]
    TooManyNames,
}

/// Checks that a text is already normalised, valid and within `max` (`required`: non-empty).
fn text(
    field: &'static str,
    s: &str,
    max: usize,
    multiline: bool,
    required: bool,
) -> Result<(), EventError> {
    match check_text(s, max, multiline) {
        Ok(t) if t == s && (!required || !t.is_empty()) => Ok(()),
        _ => Err(EventError::InvalidText(field)),
    }
}

/// Checks a filing's payload (what [`Event::check`] does for `filed`, on its own so that a
/// device that only files never carries the other checks).
pub fn check_filing(
    at: Timestamp,
    complaint: &Complaint,
    utc_offset_minutes: i16,
) -> Result<(), EventError> {
    if at.0 < 0 {
        return Err(EventError::InvalidTimestamp(at.0));
    }
    if !(-14 * 60..=14 * 60).contains(&utc_offset_minutes) {
        return Err(EventError::InvalidOffset(utc_offset_minutes));
    }
    complaint.check().map_err(EventError::InvalidComplaint)
}

impl EventKind {
    /// A customer's rating as typed: the comment normalised the way every customer text is
    /// (trimmed, line breaks as LF), so the event passes [`Event::check`]. Stars outside 1..=5
    /// (none chosen) are [`Problem::Required`]; a comment over [`COMMENT_MAX`] characters or
    /// with control characters is its problem.
    pub fn rated(stars: u8, comment: &str) -> Result<EventKind, Problem> {
        if !(1..=5).contains(&stars) {
            return Err(Problem::Required);
        }
        let comment = check_text(comment, COMMENT_MAX, true)?;
        Ok(EventKind::Rated { stars, comment })
    }

    /// A customer's answer to "did the fix hold?" as they gave it: the comment normalised, or
    /// the problem with it.
    pub fn answered(held: bool, comment: &str) -> Result<EventKind, Problem> {
        let comment = check_text(comment, COMMENT_MAX, true)?;
        Ok(EventKind::Answered { held, comment })
    }

    /// The snake_case name of the step, as in the JSON `type` tag.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Filed { .. } => "filed",
            EventKind::Acknowledged { .. } => "acknowledged",
            EventKind::Noted { .. } => "noted",
            EventKind::Escalated { .. } => "escalated",
            EventKind::Resolved { .. } => "resolved",
            EventKind::Rated { .. } => "rated",
            EventKind::FollowedUp { .. } => "followed_up",
            EventKind::Contacted { .. } => "contacted",
            EventKind::Answered { .. } => "answered",
            EventKind::ConsentWithdrawn {} => "consent_withdrawn",
            EventKind::Erased { .. } => "erased",
            EventKind::Closed { .. } => "closed",
        }
    }

    /// The staff member who took the step; `None` for the customer's own steps.
    pub fn actor(&self) -> Option<&Actor> {
        match self {
            EventKind::Filed { .. }
            | EventKind::Rated { .. }
            | EventKind::Answered { .. }
            | EventKind::ConsentWithdrawn {}
            | EventKind::Erased { .. } => None,
            EventKind::Acknowledged { by, .. }
            | EventKind::Noted { by, .. }
            | EventKind::Escalated { by, .. }
            | EventKind::Resolved { by, .. }
            | EventKind::FollowedUp { by, .. }
            | EventKind::Contacted { by, .. }
            | EventKind::Closed { by, .. } => Some(by),
        }
    }
}

impl Event {
    /// When it happened, as the server's clock would have said: the device's time corrected by
    /// its skew. Where even that is implausible, the time it arrived stands in, so one bad clock
    /// never moves a deadline by years or stretches a chart: after its arrival by more than
    /// [`CLOCK_AHEAD_SLACK_MS`] (2150), before [`CLOCK_EPOCH_MS`] (1970), or, for a device whose
    /// clock was read, before its arrival by more than [`CLOCK_OFFLINE_MAX_MS`]. Deadlines, the
    /// queue, times to acknowledge and every report use this time; `at` stays the device's.
    pub fn time(&self) -> Timestamp {
        let clock = self.clock.unwrap_or_default();
        let corrected = self.at.0.saturating_add(clock.skew_ms.unwrap_or(0));
        let Some(arrived) = clock.received_at else {
            return Timestamp(corrected);
        };
        let too_old =
            clock.skew_ms.is_some() && corrected < arrived.0.saturating_sub(CLOCK_OFFLINE_MAX_MS);
        if corrected > arrived.0.saturating_add(CLOCK_AHEAD_SLACK_MS)
            || corrected < CLOCK_EPOCH_MS
            || too_old
        {
            arrived
        } else {
            Timestamp(corrected)
        }
    }

    /// Checks the payload with the shared rules.
    pub fn check(&self) -> Result<(), EventError> {
        match &self.kind {
            EventKind::Filed {
                complaint,
                utc_offset_minutes,
            } => check_filing(self.at, complaint, *utc_offset_minutes),
            _ if self.at.0 < 0 => Err(EventError::InvalidTimestamp(self.at.0)),
            EventKind::Acknowledged { apology, .. } => {
                text("apology", apology, STAFF_TEXT_MAX, true, true)
            }
            EventKind::Noted { note, .. } => text("note", note, STAFF_TEXT_MAX, true, true),
            EventKind::Escalated { reason, .. } => {
                text("reason", reason, SHORT_TEXT_MAX, false, true)
            }
            EventKind::Resolved { gesture, .. } => {
                text("gesture", gesture, SHORT_TEXT_MAX, false, false)
            }
            EventKind::Rated { stars, comment } => {
                if !(1..=5).contains(stars) {
                    return Err(EventError::InvalidStars(*stars));
                }
                text("comment", comment, COMMENT_MAX, true, false)
            }
            EventKind::FollowedUp { note, .. } | EventKind::Contacted { note, .. } => {
                text("note", note, STAFF_TEXT_MAX, true, false)
            }
            EventKind::Answered { comment, .. } => {
                text("comment", comment, COMMENT_MAX, true, false)
            }
            EventKind::Erased { .. } | EventKind::ConsentWithdrawn {} => Ok(()),
            EventKind::Closed { cause, .. } => {
                text("sub_cause", &cause.sub_cause, SHORT_TEXT_MAX, false, true)?;
                text(
                    "explanation",
                    &cause.explanation,
                    STAFF_TEXT_MAX,
                    true,
                    true,
                )?;
                if cause.departments.len() > NAMES_MAX
                    || cause.people.len() > NAMES_MAX
                    || cause.factors.len() > FACTORS_MAX
                {
                    return Err(EventError::TooManyNames);
                }
                for name in cause.departments.iter().chain(&cause.people) {
                    text("name", name, SHORT_TEXT_MAX, false, true)?;
                }
                for factor in &cause.factors {
                    text("factor", &factor.sub_cause, SHORT_TEXT_MAX, false, false)?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rating_as_typed_becomes_a_valid_event() {
        let kind = EventKind::rated(4, "  Quick and kind\r\nThanks  ").unwrap();
        assert_eq!(
            kind,
            EventKind::Rated {
                stars: 4,
                comment: "Quick and kind\nThanks".into()
            }
        );
        let event = crate::testing::step(1, 2, 3, kind);
        assert_eq!(event.check(), Ok(()));
        assert_eq!(
            EventKind::rated(5, ""),
            Ok(EventKind::Rated {
                stars: 5,
                comment: String::new()
            })
        );
    }

    #[test]
    fn a_rating_without_stars_or_with_a_bad_comment_says_why() {
        assert_eq!(EventKind::rated(0, "x"), Err(Problem::Required));
        assert_eq!(EventKind::rated(6, "x"), Err(Problem::Required));
        assert_eq!(
            EventKind::rated(3, &"a".repeat(COMMENT_MAX + 1)),
            Err(Problem::TooLong {
                max: COMMENT_MAX,
                actual: COMMENT_MAX + 1
            })
        );
        assert_eq!(
            EventKind::rated(3, "bad\u{202e}text"),
            Err(Problem::ForbiddenCharacters)
        );
    }
}
