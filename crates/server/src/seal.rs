//! Customers' names and contacts sealed for the server.
//!
//! A shared kiosk must not keep what identifies a customer in a form its own disk gives up
//! (browser storage keeps deleted values on disk until it compacts). So the customer's page seals
//! the name and contact of each filing with the server's public key, through the browser's own
//! Web Crypto (`pwa/pwa.js`, `srkJournal.seal`), before it stores the filing; it stores and
//! sends the filing without them, and the seal beside it. Only this server can open it.
//!
//! The scheme (ECIES-like, all of it in Web Crypto on the device):
//! - the server keeps one P-256 key pair per database ([`SealKey`], made on first use, shared
//!   by every instance through the database) and publishes its public half with each store's
//!   promise (`GET /api/v1/stores/{store}/promise`, `seal_key`);
//! - for each seal the device makes a P-256 key pair of its own, derives the shared secret
//!   (ECDH, the x coordinate, 32 bytes), and from it an AES-256-GCM key with HKDF-SHA256 (salt:
//!   its own public key, raw; info: [`INFO`]);
//! - it encrypts the text with a random 96-bit nonce, bound to the event's id as additional
//!   data (a seal moved onto another event does not open);
//! - the seal is base64url (no padding) of its public key (65 bytes, uncompressed) + nonce +
//!   ciphertext with its tag.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use p256::ecdh::diffie_hellman;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

/// The HKDF info of every seal (its version).
pub const INFO: &[u8] = b"srk-seal-v1";
/// Bytes of an uncompressed P-256 point.
const POINT: usize = 65;
/// Bytes of the AES-GCM nonce.
const NONCE: usize = 12;
/// Bytes of the AES-GCM tag.
const TAG: usize = 16;
/// Longest seal accepted (base64url characters): a name and a contact at their longest, in
/// JSON, with room to spare. Anything longer is refused unopened.
pub const SEALED_MAX: usize = 4_096;

/// Why a seal does not open.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    /// Not base64url, too short or too long.
    #[error("the seal is not a seal")]
    Shape,
    /// Its key is not a point of P-256.
    #[error("the seal's key is not a P-256 point")]
    Point,
    /// Sealed with another key, for another event, or changed since.
    #[error("the seal does not open with this server's key for this event")]
    Open,
}

/// The server's sealing key pair.
#[derive(Clone)]
pub struct SealKey {
    secret: SecretKey,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret half.
        f.debug_struct("SealKey")
            .field("public", &self.public())
            .finish()
    }
}

impl SealKey {
    /// A new key pair from the operating system's random source.
    pub fn generate() -> Result<SealKey, getrandom::Error> {
        Ok(SealKey {
            secret: random_secret()?,
        })
    }

    /// The key pair whose secret half [`SealKey::secret`] wrote; `None` for anything else.
    pub fn from_secret(text: &str) -> Option<SealKey> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        Some(SealKey {
            secret: SecretKey::from_slice(&bytes).ok()?,
        })
    }

    /// The secret half, as the database keeps it (base64url of the 32-byte scalar).
    pub fn secret(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.secret.to_bytes())
    }

    /// The public half as devices read it: base64url of the raw uncompressed point.
    pub fn public(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.secret.public_key().to_encoded_point(false).as_bytes())
    }

    /// Opens a seal made for this key and for the event `bound` (its id as text).
    pub fn open(&self, sealed: &str, bound: &str) -> Result<Vec<u8>, SealError> {
        if sealed.len() > SEALED_MAX {
            return Err(SealError::Shape);
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(sealed)
            .map_err(|_| SealError::Shape)?;
        if bytes.len() < POINT + NONCE + TAG {
            return Err(SealError::Shape);
        }
        let (point, rest) = bytes.split_at(POINT);
        let (nonce, ciphertext) = rest.split_at(NONCE);
        let theirs = PublicKey::from_sec1_bytes(point).map_err(|_| SealError::Point)?;
        let cipher = cipher(&self.secret, &theirs, point);
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: bound.as_bytes(),
                },
            )
            .map_err(|_| SealError::Open)
    }
}

/// Seals `text` for the server whose public key is `public` and for the event `bound`, as a
/// device's Web Crypto does (the server itself never needs to; its tests and tools do).
pub fn seal(public: &str, text: &[u8], bound: &str) -> Option<String> {
    let server = PublicKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(public).ok()?).ok()?;
    let mine = random_secret().ok()?;
    let point = mine.public_key().to_encoded_point(false);
    let mut nonce = [0u8; NONCE];
    getrandom::fill(&mut nonce).ok()?;
    let ciphertext = cipher(&mine, &server, point.as_bytes())
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: text,
                aad: bound.as_bytes(),
            },
        )
        .ok()?;
    let mut out = point.as_bytes().to_vec();
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Some(URL_SAFE_NO_PAD.encode(out))
}

/// The AES-256-GCM key both sides derive: HKDF-SHA256 over the ECDH secret, salted with the
/// device's public point.
fn cipher(mine: &SecretKey, theirs: &PublicKey, device_point: &[u8]) -> Aes256Gcm {
    let shared = diffie_hellman(mine.to_nonzero_scalar(), theirs.as_affine());
    let mut key = [0u8; 32];
    Hkdf::<Sha256>::new(Some(device_point), shared.raw_secret_bytes())
        .expand(INFO, &mut key)
        .expect("32 bytes is a valid HKDF-SHA256 length");
    Aes256Gcm::new(&key.into())
}

fn random_secret() -> Result<SecretKey, getrandom::Error> {
    loop {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        // Out of range (zero or above the order) about once in 2^32 draws: draw again.
        if let Ok(secret) = SecretKey::from_slice(&bytes) {
            return Ok(secret);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_opens_only_with_its_key_and_for_its_event() {
        let key = SealKey::generate().unwrap();
        let other = SealKey::generate().unwrap();
        let text = br#"{"name":"Siti","contact":{"email":"siti@example.com"}}"#;
        let sealed = seal(&key.public(), text, "event-1").unwrap();
        assert_eq!(key.open(&sealed, "event-1").unwrap(), text);
        assert_eq!(key.open(&sealed, "event-2"), Err(SealError::Open));
        assert_eq!(other.open(&sealed, "event-1"), Err(SealError::Open));
        // Two seals of one text differ (a key and nonce of their own each).
        assert_ne!(seal(&key.public(), text, "event-1").unwrap(), sealed);
        // Any change breaks it.
        let mut bytes = URL_SAFE_NO_PAD.decode(&sealed).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(
            key.open(&URL_SAFE_NO_PAD.encode(&bytes), "event-1"),
            Err(SealError::Open)
        );
        bytes[1] ^= 1;
        assert_eq!(
            key.open(&URL_SAFE_NO_PAD.encode(&bytes), "event-1"),
            Err(SealError::Point)
        );
    }

    #[test]
    fn what_is_not_a_seal_is_refused_unopened() {
        let key = SealKey::generate().unwrap();
        assert_eq!(key.open("not base64!", "e"), Err(SealError::Shape));
        assert_eq!(key.open("AAAA", "e"), Err(SealError::Shape));
        assert_eq!(
            key.open(&"A".repeat(SEALED_MAX + 1), "e"),
            Err(SealError::Shape)
        );
    }

    #[test]
    fn the_secret_half_round_trips_and_never_shows_in_debug() {
        let key = SealKey::generate().unwrap();
        let again = SealKey::from_secret(&key.secret()).unwrap();
        assert_eq!(again.public(), key.public());
        assert_eq!(URL_SAFE_NO_PAD.decode(key.public()).unwrap().len(), POINT);
        assert!(!format!("{key:?}").contains(&key.secret()));
        assert!(SealKey::from_secret("nonsense").is_none());
    }
}
