//! The sealed names and contacts of a push (`crate::seal`): a device that must not keep them
//! readable sends a filing without them and their seal beside it, by event id; the server opens
//! the seal before anything else reads the event, so the filing is stored (and compared with
//! an earlier copy of itself) exactly as if it had come whole.

use std::collections::HashMap;

use recovery_core::{Contact, Event, EventId, EventKind, RejectReason};
use serde::Deserialize;

use crate::seal::SealKey;

/// What a seal holds: the complaint's `name`, `contact` and `consent_to_contact`, as its JSON
/// writes them (the device stores the filing with no consent, as without a contact consent is
/// no valid complaint).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Identity {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    contact: Option<Contact>,
    #[serde(default)]
    consent_to_contact: bool,
}

/// A push's seals by event, with the key that opens them.
#[derive(Default)]
pub struct Sealed {
    key: Option<SealKey>,
    by_event: HashMap<EventId, String>,
}

impl Sealed {
    /// Reads the `sealed` of a push: keys that are event UUIDs (in any spelling the uuid
    /// crate reads); the rest is dropped (an event whose seal is dropped arrives without the
    /// customer's name and contact rather than not at all).
    pub fn new(key: SealKey, raw: HashMap<String, String>) -> Sealed {
        let by_event = raw
            .into_iter()
            .filter_map(|(id, seal)| Some((EventId(uuid::Uuid::parse_str(&id).ok()?), seal)))
            .collect();
        Sealed {
            key: Some(key),
            by_event,
        }
    }

    /// Puts the name, contact and consent sealed for `event` into it (they replace whatever it
    /// says of them); nothing for an event without a seal. A seal on anything but a filing is
    /// malformed. One that does not open (another server's key, as after a restore from a
    /// backup older than the key; another event's seal; changed on the way; not a name and
    /// contact) leaves the filing as it came, without them: the complaint itself still reaches
    /// the store, and `Ok(Some(why))` says what was lost, for the log.
    pub fn open_into(&self, event: &mut Event) -> Result<Option<String>, (RejectReason, String)> {
        let Some(seal) = self.by_event.get(&event.id) else {
            return Ok(None);
        };
        let EventKind::Filed { complaint, .. } = &mut event.kind else {
            return Err((
                RejectReason::Malformed,
                "only a filing carries a sealed name and contact".into(),
            ));
        };
        let opened = match &self.key {
            Some(key) => key
                .open(seal, &event.id.to_string())
                .map_err(|e| e.to_string()),
            None => Err("no key".into()),
        };
        let identity = opened.and_then(|text| {
            serde_json::from_slice::<Identity>(&text)
                .map_err(|e| format!("the sealed name and contact do not read: {e}"))
        });
        Ok(match identity {
            Ok(identity) => {
                complaint.name = identity.name;
                complaint.contact = identity.contact;
                complaint.consent_to_contact = identity.consent_to_contact;
                None
            }
            Err(why) => Some(why),
        })
    }
}
