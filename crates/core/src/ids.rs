//! Identifiers and time: event, case and device ids (UUIDs made by the caller), timestamps
//! (milliseconds, passed in) and slugs naming stores and touchpoints.
//!
//! Nothing here makes an id or reads a clock; that is the caller's job.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_id!(
    /// Identifies one event; made on the device that recorded it, so it is the idempotency key.
    EventId
);
uuid_id!(
    /// Identifies one case (one complaint and everything done about it).
    CaseId
);
uuid_id!(
    /// Identifies one device (kiosk tablet or phone).
    DeviceId
);

/// A moment, as Unix epoch milliseconds (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// This moment plus (or minus) whole minutes; saturates instead of overflowing.
    pub fn plus_minutes(self, minutes: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(minutes.saturating_mul(60_000)))
    }
}

/// Longest slug accepted.
pub const SLUG_MAX: usize = 40;

/// A store or touchpoint identifier: 1 to 40 of `a-z`, `0-9` and `-`, not starting or ending
/// with `-`. Safe in URLs, file names and HTML without escaping.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// Why a text is not a slug.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    /// Empty, or longer than [`SLUG_MAX`].
    #[error("an identifier has 1 to 40 characters")]
    Length,
    /// Has a character other than `a-z`, `0-9` and `-`, or starts or ends with `-`.
    #[error("an identifier uses only a-z, 0-9 and inner dashes")]
    Characters,
}

impl Slug {
    /// Checks and wraps a slug.
    pub fn parse(s: &str) -> Result<Slug, SlugError> {
        if s.is_empty() || s.len() > SLUG_MAX {
            return Err(SlugError::Length);
        }
        let ok = s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok || s.starts_with('-') || s.ends_with('-') {
            return Err(SlugError::Characters);
        }
        Ok(Slug(s.to_owned()))
    }

    /// The slug's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = SlugError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Slug::parse(&s)
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_lowercase_digits_and_inner_dashes_only() {
        assert!(Slug::parse("checkout-2").is_ok());
        assert!(Slug::parse(&"a".repeat(40)).is_ok());
        assert_eq!(Slug::parse(""), Err(SlugError::Length));
        assert_eq!(Slug::parse(&"a".repeat(41)), Err(SlugError::Length));
        for bad in ["Checkout", "-a", "a-", "a b", "a/b", "å", "<x>"] {
            assert_eq!(Slug::parse(bad), Err(SlugError::Characters), "{bad}");
        }
    }

    #[test]
    fn deserializing_a_slug_validates_it() {
        assert!(serde_json::from_str::<Slug>("\"ok-1\"").is_ok());
        assert!(serde_json::from_str::<Slug>("\"Not OK\"").is_err());
    }

    #[test]
    fn timestamps_add_minutes_without_overflow() {
        assert_eq!(Timestamp(0).plus_minutes(2), Timestamp(120_000));
        assert_eq!(Timestamp(i64::MAX).plus_minutes(1), Timestamp(i64::MAX));
    }
}
