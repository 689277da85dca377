//! Steps proven by their author. Each person who signs in online on a shared tablet gets a
//! personal Ed25519 key: the tablet makes it, the server registers its public half under a key
//! id, and the tablet keeps the private half only sealed under a key derived from the person's
//! PIN ([`SealedKey`]), never the PIN itself. A step they take carries a [`Proof`]: the
//! signature of the event's [`signed_bytes`], which the server checks with [`verify`] when the
//! tablet pushes, so a step names the person who really took it even when another person's
//! session carries it, or it was taken offline.
//!
//! Pure: the randomness (the key's seed, salts, nonces) is passed in. Behind the `signing`
//! feature, so the customer's download never carries the curve code.

use crate::event::{Event, Proof};
use crate::ids::Slug;
use crate::staff::PIN_ROUNDS;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier, VerifyingKey};

/// Bytes of a signing key's seed (an Ed25519 secret key).
pub const SEED_BYTES: usize = 32;
/// Bytes of the salt of a [`SealedKey`]'s PIN-derived key.
pub const SALT_BYTES: usize = 16;
/// Bytes of a [`SealedKey`]'s AES-GCM nonce.
pub const NONCE_BYTES: usize = 12;

/// Written before the event's JSON in what is signed, so a signature over a step can never be
/// taken for a signature over anything else.
const DOMAIN: &[u8] = b"srk-step-v1\n";

/// Why a proof does not hold.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The event carries no proof.
    #[error("the step carries no signature")]
    Missing,
    /// The public key is not one.
    #[error("the signing key is not a valid public key")]
    BadKey,
    /// The signature is not hex of the right length.
    #[error("the signature is not well formed")]
    Malformed,
    /// The signature does not match the event and key.
    #[error("the signature does not match the step")]
    Mismatch,
}

/// What is signed: a fixed domain line, then the event's canonical JSON (serde's, as the
/// server stores it) without its proof.
pub fn signed_bytes(event: &Event) -> Vec<u8> {
    let mut unsigned = event.clone();
    unsigned.proof = None;
    // When it arrived is the server's note, made after the signature.
    if let Some(clock) = &mut unsigned.clock {
        clock.received_at = None;
        if *clock == crate::event::DeviceClock::default() {
            unsigned.clock = None;
        }
    }
    let mut bytes = DOMAIN.to_vec();
    // An event always serialises: its types hold nothing serde_json can refuse.
    bytes.extend(serde_json::to_vec(&unsigned).unwrap_or_default());
    bytes
}

/// A person's signing key, unsealed for the time they are signed in on the tablet.
#[derive(Clone)]
pub struct Signer {
    key_id: String,
    key: SigningKey,
}

impl std::fmt::Debug for Signer {
    /// Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// The key made from `seed` (random bytes), registered by the server as `key_id`.
    pub fn from_seed(key_id: impl Into<String>, seed: &[u8; SEED_BYTES]) -> Signer {
        Signer {
            key_id: key_id.into(),
            key: SigningKey::from_bytes(seed),
        }
    }

    /// The public key of `seed`, in hex, as a sign-in registers it.
    pub fn public_key_of(seed: &[u8; SEED_BYTES]) -> String {
        hex::encode(SigningKey::from_bytes(seed).verifying_key().as_bytes())
    }

    /// The id the server gave this key.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Signs `event` (replacing any proof it had).
    pub fn sign(&self, event: &mut Event) {
        let signature = self.key.sign(&signed_bytes(event));
        event.proof = Some(Proof {
            key: self.key_id.clone(),
            sig: hex::encode(signature.to_bytes()),
        });
    }
}

/// Whether `hex` is an Ed25519 public key (as a sign-in registers it).
pub fn public_key_is_valid(public_key_hex: &str) -> bool {
    parse_public_key(public_key_hex).is_ok()
}

fn parse_public_key(public_key_hex: &str) -> Result<VerifyingKey, ProofError> {
    let key: [u8; 32] = hex::decode(public_key_hex)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(ProofError::BadKey)?;
    VerifyingKey::from_bytes(&key).map_err(|_| ProofError::BadKey)
}

/// Whether `event`'s proof is a signature of it by the key whose public half is
/// `public_key_hex`. Which person the key belongs to, and whether it still counts, is the
/// server's to check.
pub fn verify(event: &Event, public_key_hex: &str) -> Result<(), ProofError> {
    let proof = event.proof.as_ref().ok_or(ProofError::Missing)?;
    let key = parse_public_key(public_key_hex)?;
    let sig: [u8; 64] = hex::decode(&proof.sig)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(ProofError::Malformed)?;
    key.verify(&signed_bytes(event), &Signature::from_bytes(&sig))
        .map_err(|_| ProofError::Mismatch)
}

/// A person's signing key as the tablet keeps it: its seed sealed with AES-256-GCM under a key
/// derived from their PIN (PBKDF2-HMAC-SHA256, as slow as the server's PIN hash). Only the
/// right PIN opens it, so opening it is also the tablet's offline PIN check; the person and key
/// id are bound in as associated data, so a sealed key cannot be passed off as another's.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SealedKey {
    /// Whose key.
    pub staff: Slug,
    /// The id the server gave it.
    pub key_id: String,
    /// The PIN-derived key's salt, hex.
    pub salt: String,
    /// PBKDF2 rounds.
    pub rounds: u32,
    /// The AES-GCM nonce, hex.
    pub nonce: String,
    /// The sealed seed and its tag, hex.
    pub sealed: String,
}

fn pin_key(pin: &str, salt: &[u8], rounds: u32) -> [u8; 32] {
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(pin.as_bytes(), salt, rounds, &mut key);
    key
}

fn associated(staff: &Slug, key_id: &str) -> Vec<u8> {
    [
        b"srk-key-v1\n",
        staff.as_str().as_bytes(),
        b"\n",
        key_id.as_bytes(),
    ]
    .concat()
}

impl SealedKey {
    /// Seals `seed` for `staff`'s key `key_id` under `pin`, with a fresh `salt` and `nonce`.
    pub fn seal(
        staff: &Slug,
        key_id: &str,
        seed: &[u8; SEED_BYTES],
        pin: &str,
        salt: &[u8; SALT_BYTES],
        nonce: &[u8; NONCE_BYTES],
    ) -> SealedKey {
        let cipher = Aes256Gcm::new(&pin_key(pin, salt, PIN_ROUNDS).into());
        let aad = associated(staff, key_id);
        // Encryption of 32 bytes into a Vec cannot fail.
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: seed,
                    aad: &aad,
                },
            )
            .unwrap_or_default();
        SealedKey {
            staff: staff.clone(),
            key_id: key_id.to_owned(),
            salt: hex::encode(salt),
            rounds: PIN_ROUNDS,
            nonce: hex::encode(nonce),
            sealed: hex::encode(sealed),
        }
    }

    /// The key, when `pin` is the PIN it was sealed with; `None` for a wrong PIN or damaged
    /// data. As slow as a PIN hash: it is one.
    pub fn open(&self, pin: &str) -> Option<Signer> {
        let salt = hex::decode(&self.salt).ok()?;
        let nonce: [u8; NONCE_BYTES] = hex::decode(&self.nonce).ok()?.try_into().ok()?;
        let sealed = hex::decode(&self.sealed).ok()?;
        if self.rounds == 0 {
            return None;
        }
        let cipher = Aes256Gcm::new(&pin_key(pin, &salt, self.rounds).into());
        let seed: [u8; SEED_BYTES] = cipher
            .decrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &sealed,
                    aad: &associated(&self.staff, &self.key_id),
                },
            )
            .ok()?
            .try_into()
            .ok()?;
        Some(Signer::from_seed(self.key_id.clone(), &seed))
    }
}

#[cfg(test)]
mod tests;
