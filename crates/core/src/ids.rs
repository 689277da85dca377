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

/// Reads a UUID in the one form this system writes (`Uuid`'s `Display`: 36 characters, hex
/// digits in either case, dashes after the 8th, 12th, 16th and 20th digit); anything else is
/// `None`. Stricter than `Uuid::parse_str`, and a fraction of its size in the WebAssembly.
pub fn parse_uuid(text: &str) -> Option<Uuid> {
    let bytes = text.as_bytes();
    if bytes.len() != 36 {
        return None;
    }
    let mut out = [0u8; 16];
    let mut digits = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        if matches!(at, 8 | 13 | 18 | 23) {
            if byte != b'-' {
                return None;
            }
            continue;
        }
        let value = char::from(byte).to_digit(16)? as u8;
        out[digits / 2] |= if digits % 2 == 0 { value << 4 } else { value };
        digits += 1;
    }
    Some(Uuid::from_bytes(out))
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

    /// The slug as words for people, where nothing better is known: `checkout-2` reads
    /// `checkout 2`.
    pub fn as_words(&self) -> String {
        self.0.replace('-', " ")
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

    #[test]
    fn a_slug_as_words_turns_dashes_into_spaces() {
        assert_eq!(Slug::parse("checkout-2").unwrap().as_words(), "checkout 2");
    }

    use super::*;

    #[test]
    fn parse_uuid_reads_what_display_writes_and_nothing_else() {
        for n in 0..200u128 {
            let id = Uuid::from_u128(n.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835));
            let text = id.to_string();
            assert_eq!(parse_uuid(&text), Some(id), "{text}");
            assert_eq!(parse_uuid(&text.to_uppercase()), Some(id));
        }
        let good = "67e55044-10b1-426f-9247-bb680e5fe0c8";
        assert!(parse_uuid(good).is_some());
        for bad in [
            "",
            "67e5504410b1426f9247bb680e5fe0c8",
            "{67e55044-10b1-426f-9247-bb680e5fe0c8}",
            "urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8",
            "67e55044-10b1-426f-9247-bb680e5fe0c",
            "67e55044-10b1-426f-9247-bb680e5fe0c8a",
            "67e55044_10b1-426f-9247-bb680e5fe0c8",
            "67e5504-410b1-426f-9247-bb680e5fe0c8",
            "g7e55044-10b1-426f-9247-bb680e5fe0c8",
            "67e55044-10b1-426f-9247-bb680e5fe0\u{e9}",
            "67e55044-10b1-426f-9247-bb680e5f\u{1f600}",
        ] {
            assert_eq!(parse_uuid(bad), None, "{bad:?}");
        }
    }

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
