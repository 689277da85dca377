//! Bearer tokens and ticket secrets: making them, checking their shape and
//! hashing them for storage.
//!
//! The database only ever holds SHA-256 hashes, so a copied or leaked file
//! gives nobody a working staff token or a customer's ticket. Secrets and
//! tokens are high-entropy random strings, which is why a plain (unsalted,
//! fast) hash is enough: there is no dictionary to try against it.
//!
//! Nothing here may log or print a secret.

use sha2::{Digest, Sha256};

/// Bytes of randomness in a staff token.
pub const TOKEN_BYTES: usize = 32;
/// Shortest ticket secret accepted (base64url characters): 16 characters
/// carry 96 bits, out of reach of guessing.
pub const SECRET_MIN: usize = 16;
/// Longest ticket secret accepted, so nobody stores a novel as a "secret".
pub const SECRET_MAX: usize = 128;

/// The lowercase hex SHA-256 of `text`, as stored in the database.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// A new staff token: [`TOKEN_BYTES`] bytes from the operating system's
/// random source, as 64 lowercase hex digits.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(hex(&bytes))
}

/// A new random (version 4) id, from the operating system's random source.
pub fn new_id() -> Result<uuid::Uuid, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(uuid::Builder::from_random_bytes(bytes).into_uuid())
}

/// Whether a customer's ticket secret has a sane shape: [`SECRET_MIN`] to
/// [`SECRET_MAX`] characters of the base64url alphabet. Anything else is a
/// client bug and is ignored rather than stored.
pub fn secret_looks_sane(secret: &str) -> bool {
    (SECRET_MIN..=SECRET_MAX).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_the_standard_sha256_in_hex() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn tokens_are_64_hex_digits_and_differ() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn only_base64url_secrets_of_sane_length_are_accepted() {
        assert!(secret_looks_sane("abcdefghijklmnop"));
        assert!(secret_looks_sane(&"A-_9".repeat(32)));
        assert!(!secret_looks_sane("short"));
        assert!(!secret_looks_sane(&"a".repeat(129)));
        assert!(!secret_looks_sane("abcdefghijklmno="));
        assert!(!secret_looks_sane("abcdefghijklmno/"));
        assert!(!secret_looks_sane("abcdefghijklmnoé"));
    }
}
