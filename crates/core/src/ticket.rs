//! Ticket codes: short, readable codes a customer can say aloud or type, derived from the case
//! id so that every device computes the same code without coordination.

use crate::ids::CaseId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Crockford's base32 alphabet: no I, L, O or U, so codes are hard to misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A ticket code such as `K7M-3QX`: 30 bits of the case id in six base32 characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TicketCode(String);

impl TicketCode {
    /// The code of a case: the first 30 bits of its UUID.
    pub fn from_case(id: CaseId) -> TicketCode {
        let b = id.0.as_bytes();
        let bits = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) >> 2;
        let mut s = String::with_capacity(7);
        for i in 0..6 {
            if i == 3 {
                s.push('-');
            }
            let idx = (bits >> (25 - 5 * i)) & 31;
            s.push(ALPHABET[idx as usize] as char);
        }
        TicketCode(s)
    }

    /// Reads a code as a person may type it: any case, with or without the dash or spaces,
    /// with O for 0 and I or L for 1. Returns the canonical form, or `None`.
    pub fn parse(input: &str) -> Option<TicketCode> {
        let chars = TicketCode::typed(input)?;
        if chars.len() != 6 {
            return None;
        }
        let mut s = chars[..3].to_owned();
        s.push('-');
        s.push_str(&chars[3..]);
        Some(TicketCode(s))
    }

    /// A code, or part of one, as a person may type it, in the alphabet's characters: any case,
    /// without the dash or spaces, O read as 0 and I or L as 1. `None` when it holds a character
    /// no code has.
    pub fn typed(input: &str) -> Option<String> {
        let mut chars = String::with_capacity(6);
        for c in input.chars() {
            let c = match c.to_ascii_uppercase() {
                '-' | ' ' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return None;
            }
            chars.push(c);
        }
        Some(chars)
    }

    /// The code's text, with its dash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TicketCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn code_is_seven_characters_with_a_dash_and_deterministic() {
        let id = CaseId(Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0));
        let a = TicketCode::from_case(id);
        assert_eq!(a, TicketCode::from_case(id));
        assert_eq!(a.as_str().len(), 7);
        assert_eq!(&a.as_str()[3..4], "-");
        // 0x12345678 >> 2 = 0x048D159E = 00010 01000 11010 00101 01100 11110 = 2 8 T 5 C Y
        assert_eq!(a.as_str(), "28T-5CY");
    }

    #[test]
    fn parse_accepts_how_people_type_codes() {
        assert_eq!(TicketCode::parse("28t-5cy").unwrap().as_str(), "28T-5CY");
        assert_eq!(TicketCode::parse("28t5cy").unwrap().as_str(), "28T-5CY");
        assert_eq!(TicketCode::parse(" 28T 5CY ").unwrap().as_str(), "28T-5CY");
        assert_eq!(TicketCode::parse("O1L-I00").unwrap().as_str(), "011-100");
        assert!(TicketCode::parse("4HM-AS").is_none());
        assert!(TicketCode::parse("4HM-ASWX").is_none());
        assert!(TicketCode::parse("4HM-ASU").is_none());
        assert!(TicketCode::parse("4HM-AS😀").is_none());
    }
}
