//! The installed app: a new version waiting in the service worker, and whether the browser
//! agreed to keep this origin's storage. `pwa/pwa.js` (loaded by the page shell) learns both
//! and keeps them on `window.srkPwa`; this module reads them and asks it to apply an update.
//! Without that script (tests, an old shell) there is simply never an update, and the storage
//! answer stays unknown.

use js_sys::{Function, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

fn state() -> Option<JsValue> {
    let window = web_sys::window()?;
    Reflect::get(&window, &"srkPwa".into())
        .ok()
        .filter(|s| s.is_object())
}

fn field(name: &str) -> Option<JsValue> {
    Reflect::get(&state()?, &name.into()).ok()
}

/// Whether a new version of the app is installed and waiting to take over.
pub fn update_ready() -> bool {
    field("update").is_some_and(|v| v.as_bool() == Some(true))
}

/// Lets the waiting version take over; the page then reloads into it. Call it only when that
/// interrupts nobody. False when no version is waiting.
pub fn apply_update() -> bool {
    let Some(apply) = field("apply").and_then(|f| f.dyn_into::<Function>().ok()) else {
        return false;
    };
    let this = state().unwrap_or(JsValue::NULL);
    apply.call0(&this).ok().and_then(|v| v.as_bool()) == Some(true)
}

/// Whether the browser keeps this origin's storage even under pressure: `Some(false)` when it
/// refused, `None` while unknown or where the browser cannot say.
pub fn storage_persisted() -> Option<bool> {
    field("persisted").and_then(|v| v.as_bool())
}

/// A signal of [`update_ready`], kept current until the calling component is unmounted.
pub fn use_update_ready() -> ReadSignal<bool> {
    let (ready, set_ready) = signal(update_ready());
    let handle =
        window_event_listener_untyped("srk-update", move |_| set_ready.set(update_ready()));
    on_cleanup(move || handle.remove());
    ready
}

/// A signal of [`storage_persisted`], kept current until the calling component is unmounted.
pub fn use_storage_persisted() -> ReadSignal<Option<bool>> {
    let (persisted, set) = signal(storage_persisted());
    let handle =
        window_event_listener_untyped("srk-storage", move |_| set.set(storage_persisted()));
    on_cleanup(move || handle.remove());
    persisted
}
