//! What the customer page keeps on the device: its events, one key each, and the time of the
//! last push the server answered.
//!
//! Each entry is kept twice: in `localStorage`, the quick working copy that loading and other
//! tabs read, and in the durable journal (`platform::journal`, IndexedDB), whose write is on
//! disk when it completes. Loading reads the working copy at once and the journal right after,
//! restoring what a killed browser's working copy lost ([`journaled`]).
//!
//! Layout: one key per event (`srk1:ev:<event id>`), so saving one complaint never rewrites the
//! others and a device with thousands of cases saves as fast as an empty one. Each value is an
//! envelope carrying a format version, so that a newer app's data is recognised and kept rather
//! than misread. Keys the page does not own are never touched. Storage is reached only through
//! the browser port's generic `platform::storage`, the event JSON through `shared::event_json`.
//!
//! This module must never drop or overwrite an entry it cannot read: such entries are reported
//! and left in place, so nothing a customer said is lost to a bug or a downgrade.

use crate::shared::event_json;
use crate::shared::platform::codec;
use crate::shared::platform::journal;
use crate::shared::platform::storage::{self, StorageError};
use js_sys::Object;
use recovery_core::{CaseId, Event, EventId, EventKind, Mark, RejectReason, Slug, Timestamp};
use wasm_bindgen::{JsCast, JsValue};

/// Prefix of the keys holding one event each.
pub const EVENT_PREFIX: &str = "srk1:ev:";
/// Key of the time of the last push the server answered.
pub const LAST_SYNC_KEY: &str = "srk1:last-sync";
/// Prefix of the key holding a store's acknowledgement target (minutes), by store, which the
/// page's pwa.js learns from the server.
pub const PROMISE_PREFIX: &str = "srk1:promise:";
/// Prefix of the key holding where a case stands as the server last said (a `Status` key), by
/// case; only a phone asks (`sync::learn_statuses`).
pub const STATUS_PREFIX: &str = "srk1:status:";
/// The envelope format this build writes and reads.
pub const FORMAT: u32 = 1;

/// Why a stored entry was skipped while loading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// Not JSON, or not the shape of an envelope.
    Unreadable,
    /// Written by a newer version of the app; kept for it.
    NewerFormat(u32),
    /// Readable, but stored under another event's key, or refused by the domain rules
    /// (which the ledger applies when the app loads; this module only reads).
    Invalid,
}

/// One entry that loading passed over, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The storage key, left untouched.
    pub key: String,
    /// Why it was not used.
    pub reason: SkipReason,
}

/// One stored event with what the device knows about it: the customer's ticket secret (only
/// on the device that filed it), whether the server has it, and the customer's name and
/// contact sealed for the server (a filing stored with a seal is stored without them).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The event.
    pub event: Event,
    /// The secret that opens the case's ticket on the server (sent with its filing).
    pub secret: Option<String>,
    /// Where it stands in the outbox.
    pub mark: Mark,
    /// The seal of the filing's name and contact ([`identity`]), readable by the server only.
    pub sealed: Option<String>,
}

impl Entry {
    /// A new entry, not yet sent.
    pub fn pending(event: Event, secret: Option<String>) -> Entry {
        Entry {
            event,
            secret,
            mark: Mark::Pending,
            sealed: None,
        }
    }
}

/// What loading found.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// Every readable entry, in no particular order.
    pub entries: Vec<Entry>,
    /// Entries that were passed over and left in place.
    pub skipped: Vec<Skipped>,
}

/// The storage key of one event.
pub fn event_key(id: EventId) -> String {
    format!("{EVENT_PREFIX}{id}")
}

/// The JSON text stored for one entry:
/// `{"v": FORMAT, "event": {...}, "secret": "...", "sync": "pending"|"sent"|"rejected",
/// "reason": "<code>", "sealed": "..."}`. Entries written before sync existed have no `sync`
/// and are pending. With a seal, the event is written without the customer's name and contact
/// (and with no consent to contact, which the seal holds).
pub fn encode(event: &Event, secret: Option<&str>, mark: Mark, sealed: Option<&str>) -> String {
    let envelope = Object::new();
    let written = event_json::event_to_js(event);
    codec::set(&envelope, "v", JsValue::from_f64(FORMAT.into()));
    if let Some(sealed) = sealed {
        let complaint: Object =
            codec::get(&codec::get(&written, "kind"), "complaint").unchecked_into();
        for field in ["name", "contact"] {
            codec::set(&complaint, field, JsValue::NULL);
        }
        // Consent without a contact is no complaint the rules accept: it travels sealed too.
        codec::set(&complaint, "consent_to_contact", JsValue::FALSE);
        codec::set(&envelope, "sealed", JsValue::from_str(sealed));
    }
    codec::set(&envelope, "event", written);
    if let Some(secret) = secret {
        codec::set(&envelope, "secret", JsValue::from_str(secret));
    }
    let (sync, reason) = match mark {
        Mark::Pending => ("pending", None),
        Mark::Sent => ("sent", None),
        Mark::Rejected(r) => ("rejected", Some(r.code())),
    };
    codec::set(&envelope, "sync", JsValue::from_str(sync));
    if let Some(reason) = reason {
        codec::set(&envelope, "reason", JsValue::from_str(reason));
    }
    codec::stringify(&envelope.into()).unwrap_or_default()
}

/// Saves one entry (see [`save_parts`]).
pub fn save(entry: &Entry) -> Result<(), StorageError> {
    save_parts(
        &entry.event,
        entry.secret.as_deref(),
        entry.mark,
        entry.sealed.as_deref(),
        Box::new(drop),
    )
}

/// Saves one entry under its own key, in the working copy at once (its outcome is returned)
/// and, if that took it, in the journal, whose outcome `kept` receives once the entry is on
/// disk. Saving the same event again rewrites only that key.
pub fn save_parts(
    event: &Event,
    secret: Option<&str>,
    mark: Mark,
    sealed: Option<&str>,
    kept: journal::Done,
) -> Result<(), StorageError> {
    let (key, text) = (event_key(event.id), encode(event, secret, mark, sealed));
    let quick = storage::write_text(&key, &text);
    // What the working copy refused stays in memory and is saved again later (both copies).
    if quick.is_ok() {
        journal::put(&key, &text, kept);
    }
    quick
}

/// Puts one entry into the journal only (what the working copy already holds).
pub fn journal(event: &Event, secret: Option<&str>, mark: Mark, sealed: Option<&str>) {
    journal::put(
        &event_key(event.id),
        &encode(event, secret, mark, sealed),
        Box::new(drop),
    );
}

/// What identifies the customer of a filing, as the text to seal for the server
/// (`{"name": ..., "contact": ..., "consent_to_contact": ...}`, as the complaint's JSON writes
/// them); `None` for a filing without a name or contact, and for any other event.
pub fn identity(event: &Event) -> Option<String> {
    let EventKind::Filed { complaint, .. } = &event.kind else {
        return None;
    };
    if complaint.name.is_none() && complaint.contact.is_none() {
        return None;
    }
    let complaint = codec::get(
        &codec::get(&event_json::event_to_js(event), "kind"),
        "complaint",
    );
    let identity = Object::new();
    for field in ["name", "contact", "consent_to_contact"] {
        codec::set(&identity, field, codec::get(&complaint, field));
    }
    codec::stringify(&identity.into())
}

/// Removes one event from the device (a shared kiosk keeps nothing the server has), from the
/// working copy and the journal.
pub fn remove(id: EventId) -> Result<(), StorageError> {
    let key = event_key(id);
    let quick = storage::remove_text(&key);
    journal::remove(&key);
    quick
}

/// Every readable entry of the journal, handed to `found` once read (nothing when the journal
/// cannot be read: the working copy is then all there is).
pub fn journaled(found: impl FnOnce(Vec<Entry>) + 'static) {
    journal::under(
        EVENT_PREFIX,
        Box::new(move |texts| {
            let mut entries = Vec::new();
            if let Ok(texts) = texts {
                journal::pairs(&texts, |key, text| entries.extend(decode(key, text).ok()));
            }
            found(entries);
        }),
    );
}

/// The sync mark another tab may have written for an event since this one loaded it; `None`
/// when the entry is missing, unreadable or has a mark this build does not know. Only the
/// envelope's mark is read, not the event: this runs for every event about to be sent.
pub fn read_mark(id: EventId) -> Option<Mark> {
    mark_of(&codec::parse(&storage::read_text(&event_key(id))?)?)
}

/// The store's own acknowledgement target in minutes, as this device last learnt it (pwa.js
/// asks the server's `/promise` and keeps the answer under [`PROMISE_PREFIX`]).
pub fn promised_minutes(store: &Slug) -> Option<u32> {
    storage::read_text(&[PROMISE_PREFIX, store.as_str()].concat())?
        .parse()
        .ok()
}

/// Where `case` stands as the server last told this device (a `Status` key).
pub fn learnt_status(case: CaseId) -> Option<String> {
    storage::read_text(&[STATUS_PREFIX, &case.to_string()].concat())
}

/// Keeps where `case` stands, for when the server is out of reach; best effort (a full store
/// only loses the line's news, never an event).
pub fn keep_status(case: CaseId, status: &str) {
    let _ = storage::write_text(&[STATUS_PREFIX, &case.to_string()].concat(), status);
}

/// The time of the last push the server answered, as this device recorded it.
pub fn last_sync() -> Option<Timestamp> {
    storage::read_text(LAST_SYNC_KEY)?
        .parse()
        .ok()
        .map(Timestamp)
}

/// Records the time of a push the server answered; best effort (a full store only loses the
/// "last synced" line, never an event).
pub fn set_last_sync(at: Timestamp) {
    let _ = storage::write_text(LAST_SYNC_KEY, &at.0.to_string());
}

fn mark_of(envelope: &JsValue) -> Option<Mark> {
    match codec::get(envelope, "sync").as_string().as_deref() {
        None | Some("pending") => Some(Mark::Pending),
        Some("sent") => Some(Mark::Sent),
        Some("rejected") => Some(Mark::Rejected(RejectReason::from_code(
            &codec::get(envelope, "reason")
                .as_string()
                .unwrap_or_default(),
        ))),
        Some(_) => None,
    }
}

/// Reads one entry's text and decides whether it holds a readable event under its own key.
pub fn decode(key: &str, text: &str) -> Result<Entry, Skipped> {
    let skip = |reason| Skipped {
        key: key.to_owned(),
        reason,
    };
    let envelope = codec::parse(text).ok_or_else(|| skip(SkipReason::Unreadable))?;
    let version = codec::get(&envelope, "v")
        .as_f64()
        .ok_or_else(|| skip(SkipReason::Unreadable))?;
    if version != f64::from(FORMAT) {
        let newer = version > f64::from(FORMAT) && version.fract() == 0.0;
        return Err(skip(if newer {
            SkipReason::NewerFormat(version as u32)
        } else {
            SkipReason::Unreadable
        }));
    }
    let event = event_json::event_from_js(&codec::get(&envelope, "event"))
        .ok_or_else(|| skip(SkipReason::Unreadable))?;
    // The key must agree with the content, or an entry could masquerade as another event.
    // Whether the event itself is valid is the core's call, made once when it is recorded.
    if event_key(event.id) != key {
        return Err(skip(SkipReason::Invalid));
    }
    let mark = mark_of(&envelope).ok_or_else(|| skip(SkipReason::Unreadable))?;
    let secret = codec::get(&envelope, "secret").as_string();
    let sealed = codec::get(&envelope, "sealed").as_string();
    Ok(Entry {
        event,
        secret,
        mark,
        sealed,
    })
}

/// Loads every event this app stored, skipping (and reporting) entries it cannot read.
pub fn load_events() -> Result<Loaded, StorageError> {
    let mut loaded = Loaded::default();
    storage::each_under(EVENT_PREFIX, |key, text| match decode(&key, &text) {
        Ok(entry) => loaded.entries.push(entry),
        Err(skipped) => loaded.skipped.push(skipped),
    })?;
    Ok(loaded)
}

/// Calls `changed` with the entry another tab of this site wrote (`Some`) or removed (`None`)
/// under an event key, until the calling component is unmounted. Entries this module cannot
/// read are ignored here; loading reports them.
pub fn use_changes_from_other_tabs(changed: impl Fn(EventId, Option<Entry>) + 'static) {
    storage::use_changes_from_other_tabs(EVENT_PREFIX, move |key, text| {
        let Some(id) = key
            .strip_prefix(EVENT_PREFIX)
            .and_then(recovery_core::parse_uuid)
        else {
            return;
        };
        match text {
            None => changed(EventId(id), None),
            Some(text) => {
                if let Ok(entry) = decode(key, &text) {
                    changed(EventId(id), Some(entry));
                }
            }
        }
    });
}
