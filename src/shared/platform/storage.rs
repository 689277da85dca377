//! Keeps recovery events on the device, in `localStorage`.
//!
//! The browser's storage is reached through `web_sys` rather than gloo-storage: gloo's
//! `LocalStorage::raw()` panics when storage is blocked (a policy, some private modes), which
//! would stop a kiosk from taking complaints, and its typed get/set go through serde, which
//! would add about a fifth to the customer's download. Here a blocked store is a typed error.
//!
//! Layout: one key per event (`srk1:ev:<event id>`), so saving one complaint never rewrites the
//! others and a device with thousands of cases saves as fast as an empty one. Each value is an
//! envelope carrying a format version, so that a newer app's data is recognised and kept rather
//! than misread. Keys without the `srk1:` prefix belong to someone else and are never touched.
//!
//! This module must never drop or overwrite an entry it cannot read: such entries are reported
//! and left in place, so nothing a customer said is lost to a bug or a downgrade.

use super::codec;
use js_sys::Object;
use recovery_core::{DeviceId, Event, EventId, Mark, RejectReason, Timestamp};
use wasm_bindgen::JsValue;

/// Prefix shared by every key this app owns.
pub const PREFIX: &str = "srk1:";
/// Prefix of the keys holding one event each.
pub const EVENT_PREFIX: &str = "srk1:ev:";
/// Key of this device's id.
pub const DEVICE_KEY: &str = "srk1:device";
/// Key of the time of the last push the server answered.
pub const LAST_SYNC_KEY: &str = "srk1:last-sync";
/// The envelope format this build writes and reads.
pub const FORMAT: u32 = 1;

/// Why the device could not keep something.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The browser's storage for this site is full (`QuotaExceededError`).
    #[error("device storage is full")]
    Full,
    /// Storage is switched off, blocked or broke in another way.
    #[error("device storage is unavailable: {0}")]
    Unavailable(String),
}

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
/// on the device that filed it) and whether the server has it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The event.
    pub event: Event,
    /// The secret that opens the case's ticket on the server (sent with its filing).
    pub secret: Option<String>,
    /// Where it stands in the outbox.
    pub mark: Mark,
}

impl Entry {
    /// A new entry, not yet sent.
    pub fn pending(event: Event, secret: Option<String>) -> Entry {
        Entry {
            event,
            secret,
            mark: Mark::Pending,
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

/// The text stored under `key`; `None` when there is none or storage is unavailable. For
/// pages that keep their own plain entries (the ticket page's `srk1:tk:`).
pub fn read_text(key: &str) -> Option<String> {
    local().ok()?.get_item(key).ok()?
}

/// Stores `text` under `key`, replacing what was there.
pub fn write_text(key: &str, text: &str) -> Result<(), StorageError> {
    local()?.set_item(key, text).map_err(|e| classify(&e))
}

/// The browser's `localStorage`, or why it cannot be had.
/// Opens the origin's storage ahead of use: the browser reads it from disk on the first touch
/// (several milliseconds), which is better spent in a task of its own than in the app's mount.
pub fn open() {
    let _ = local();
}

fn local() -> Result<web_sys::Storage, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError::Unavailable("no window".into()))?;
    window
        .local_storage()
        .map_err(|e| classify(&e))?
        .ok_or_else(|| StorageError::Unavailable("no localStorage".into()))
}

/// The storage key of one event.
pub fn event_key(id: EventId) -> String {
    format!("{EVENT_PREFIX}{id}")
}

/// Tells a full store from other failures by the browser's error name.
fn classify(err: &JsValue) -> StorageError {
    let name = codec::get(err, "name").as_string().unwrap_or_default();
    match name.as_str() {
        // Firefox reports a full store under its own name.
        "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED" => StorageError::Full,
        _ => StorageError::Unavailable(if name.is_empty() {
            "unknown error".into()
        } else {
            name
        }),
    }
}

/// The JSON text stored for one entry:
/// `{"v": FORMAT, "event": {...}, "secret": "...", "sync": "pending"|"sent"|"rejected",
/// "reason": "<code>"}`. Entries written before sync existed have no `sync` and are pending.
pub fn encode(event: &Event, secret: Option<&str>, mark: Mark) -> String {
    let envelope = Object::new();
    codec::set(&envelope, "v", JsValue::from_f64(FORMAT.into()));
    codec::set(&envelope, "event", codec::event_to_js(event));
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

/// Saves one entry under its own key. Saving the same event again rewrites only that key.
pub fn save(entry: &Entry) -> Result<(), StorageError> {
    save_parts(&entry.event, entry.secret.as_deref(), entry.mark)
}

/// [`save`] from borrowed parts, so the caller need not copy the event.
pub fn save_parts(event: &Event, secret: Option<&str>, mark: Mark) -> Result<(), StorageError> {
    local()?
        .set_item(&event_key(event.id), &encode(event, secret, mark))
        .map_err(|e| classify(&e))
}

/// Removes one event from the device (a shared kiosk keeps nothing the server has).
pub fn remove(id: EventId) -> Result<(), StorageError> {
    local()?
        .remove_item(&event_key(id))
        .map_err(|e| classify(&e))
}

/// The sync mark another tab may have written for an event since this one loaded it; `None`
/// when the entry is missing, unreadable or has a mark this build does not know. Only the
/// envelope's mark is read, not the event: this runs for every event about to be sent.
pub fn read_mark(id: EventId) -> Option<Mark> {
    let text = local().ok()?.get_item(&event_key(id)).ok()??;
    mark_of(&codec::parse(&text)?)
}

/// The time of the last push the server answered, as this device recorded it.
pub fn last_sync() -> Option<Timestamp> {
    let text = local().ok()?.get_item(LAST_SYNC_KEY).ok()??;
    text.parse().ok().map(Timestamp)
}

/// Records the time of a push the server answered; best effort (a full store only loses the
/// "last synced" line, never an event).
pub fn set_last_sync(at: Timestamp) {
    if let Ok(raw) = local() {
        let _ = raw.set_item(LAST_SYNC_KEY, &at.0.to_string());
    }
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
    let event = codec::event_from_js(&codec::get(&envelope, "event"))
        .ok_or_else(|| skip(SkipReason::Unreadable))?;
    // The key must agree with the content, or an entry could masquerade as another event.
    // Whether the event itself is valid is the core's call, made once when it is recorded.
    if event_key(event.id) != key {
        return Err(skip(SkipReason::Invalid));
    }
    let mark = mark_of(&envelope).ok_or_else(|| skip(SkipReason::Unreadable))?;
    let secret = codec::get(&envelope, "secret").as_string();
    Ok(Entry {
        event,
        secret,
        mark,
    })
}

/// Loads every event this app stored, skipping (and reporting) entries it cannot read.
pub fn load_events() -> Result<Loaded, StorageError> {
    let raw = local()?;
    let len = raw.length().map_err(|e| classify(&e))?;
    let mut loaded = Loaded::default();
    for i in 0..len {
        let Ok(Some(key)) = raw.key(i) else { continue };
        if !key.starts_with(EVENT_PREFIX) {
            continue;
        }
        let Ok(Some(text)) = raw.get_item(&key) else {
            continue;
        };
        match decode(&key, &text) {
            Ok(entry) => loaded.entries.push(entry),
            Err(skipped) => loaded.skipped.push(skipped),
        }
    }
    Ok(loaded)
}

/// This device's id: read from storage, or made with `fresh` and saved on first use.
/// If storage is unavailable the fresh id is still returned, so the kiosk keeps working.
pub fn device_id(fresh: impl FnOnce() -> DeviceId) -> DeviceId {
    let raw = local().ok();
    let stored = raw
        .as_ref()
        .and_then(|r| r.get_item(DEVICE_KEY).ok().flatten())
        .and_then(|s| recovery_core::parse_uuid(s.trim_matches('"')));
    match stored {
        Some(id) => DeviceId(id),
        None => {
            let id = fresh();
            if let Some(r) = raw {
                let _ = r.set_item(DEVICE_KEY, &id.to_string());
            }
            id
        }
    }
}

/// Calls `changed` with the entry another tab of this site wrote (`Some`) or removed (`None`)
/// under an event key, until the calling component is unmounted. Entries this module cannot
/// read are ignored here; loading reports them.
pub fn use_changes_from_other_tabs(changed: impl Fn(EventId, Option<Entry>) + 'static) {
    use leptos::prelude::{on_cleanup, window_event_listener};
    let handle = window_event_listener(leptos::ev::storage, move |ev| {
        let Some(key) = ev.key() else { return };
        let Some(id) = key
            .strip_prefix(EVENT_PREFIX)
            .and_then(recovery_core::parse_uuid)
        else {
            return;
        };
        match ev.new_value() {
            None => changed(EventId(id), None),
            Some(text) => {
                if let Ok(entry) = decode(&key, &text) {
                    changed(EventId(id), Some(entry));
                }
            }
        }
    });
    on_cleanup(move || handle.remove());
}
