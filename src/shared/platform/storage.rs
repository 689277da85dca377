//! The device's key/value store (`localStorage`): texts under keys, and word from other tabs
//! of this site when they change one.
//!
//! The browser's storage is reached through `web_sys` rather than gloo-storage: gloo's
//! `LocalStorage::raw()` panics when storage is blocked (a policy, some private modes), which
//! would stop a kiosk from taking complaints, and its typed get/set go through serde, which
//! would add about a fifth to the customer's download. Here a blocked store is a typed error.
//!
//! This is a door, not a schema: which keys an app owns and what its texts mean (the customer's
//! event envelopes, the ticket page's kept view, the staff tablet's outbox, the device id)
//! belong to the apps and to `shared::device_id`. This module must never know a key or a
//! format, and never writes or removes anything but what it is asked to.

use super::codec;
use wasm_bindgen::JsValue;

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

/// The text stored under `key`; `None` when there is none or storage is unavailable.
pub fn read_text(key: &str) -> Option<String> {
    local().ok()?.get_item(key).ok()?
}

/// Stores `text` under `key`, replacing what was there.
pub fn write_text(key: &str, text: &str) -> Result<(), StorageError> {
    local()?.set_item(key, text).map_err(|e| classify(&e))
}

/// Removes what is stored under `key` (nothing there is no error).
pub fn remove_text(key: &str) -> Result<(), StorageError> {
    local()?.remove_item(key).map_err(|e| classify(&e))
}

/// Calls `each` with every key that starts with `prefix` and its text, in no particular order.
pub fn each_under(prefix: &str, mut each: impl FnMut(String, String)) -> Result<(), StorageError> {
    let raw = local()?;
    let len = raw.length().map_err(|e| classify(&e))?;
    for i in 0..len {
        let Ok(Some(key)) = raw.key(i) else { continue };
        if !key.starts_with(prefix) {
            continue;
        }
        let Ok(Some(text)) = raw.get_item(&key) else {
            continue;
        };
        each(key, text);
    }
    Ok(())
}

/// Opens the origin's storage ahead of use: the browser reads it from disk on the first touch
/// (several milliseconds), which is better spent in a task of its own than in the app's mount.
pub fn open() {
    let _ = local();
}

/// The browser's `localStorage`, or why it cannot be had.
pub fn local() -> Result<web_sys::Storage, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError::Unavailable("no window".into()))?;
    window
        .local_storage()
        .map_err(|e| classify(&e))?
        .ok_or_else(|| StorageError::Unavailable("no localStorage".into()))
}

/// Tells a full store from other failures by the browser's error name.
pub fn classify(err: &JsValue) -> StorageError {
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

/// Calls `changed` with the key and new text (`None`: removed) of every entry under `prefix`
/// that another tab of this site wrote or removed, until the calling component is unmounted.
pub fn use_changes_from_other_tabs(
    prefix: &'static str,
    changed: impl Fn(&str, Option<String>) + 'static,
) {
    use leptos::prelude::{on_cleanup, window_event_listener};
    let handle = window_event_listener(leptos::ev::storage, move |ev| {
        let Some(key) = ev.key() else { return };
        if key.starts_with(prefix) {
            changed(&key, ev.new_value());
        }
    });
    on_cleanup(move || handle.remove());
}
