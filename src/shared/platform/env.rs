//! Facts about where the app runs: the address it was opened at, the browser's preferred
//! languages, the document's language attribute, focus, printing, and fresh random identifiers.

use uuid::Uuid;
use wasm_bindgen::JsCast;

/// The path part of the current address, e.g. `/c/acme/checkout-2`; `/` if unknown.
pub fn path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".into())
}

/// The origin the app was opened from (`http://127.0.0.1:8080`), for addresses meant for other
/// devices (a sticker's QR code); empty if unknown.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Opens the browser's print dialogue for the page (the print stylesheet decides what is
/// printed). Nothing happens where the browser cannot print.
pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// The fragment of the current address without its `#` (`/t/#<case>.<secret>` gives
/// `<case>.<secret>`); empty when there is none. The fragment never reaches the server.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// The browser's preferred languages, most preferred first (`navigator.languages`).
pub fn preferred_languages() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let nav = window.navigator();
    let list: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if list.is_empty() {
        nav.language().into_iter().collect()
    } else {
        list
    }
}

/// Sets `<html lang>` so that screen readers and hyphenation follow the chosen language.
pub fn set_document_language(tag: &str) {
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("lang", tag);
    }
}

/// Sets the page's title (the browser tab's, and what a screen reader announces first).
pub fn set_title(text: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(text);
    }
}

/// Sounds a short two-note chime (Web Audio). Silent where the browser allows no sound yet
/// (before the first touch of the page) or has no audio.
pub fn chime() {
    let Ok(audio) = web_sys::AudioContext::new() else {
        return;
    };
    let start = audio.current_time();
    for (n, hertz) in [880.0_f32, 1318.5].into_iter().enumerate() {
        let (Ok(tone), Ok(gain)) = (audio.create_oscillator(), audio.create_gain()) else {
            return;
        };
        let at = start + 0.18 * n as f64;
        tone.frequency().set_value(hertz);
        let volume = gain.gain();
        let _ = volume.set_value_at_time(0.0001, at);
        let _ = volume.exponential_ramp_to_value_at_time(0.3, at + 0.02);
        let _ = volume.exponential_ramp_to_value_at_time(0.0001, at + 0.5);
        let wired = tone
            .connect_with_audio_node(&gain)
            .and_then(|_| gain.connect_with_audio_node(&audio.destination()));
        if wired.is_err() {
            return;
        }
        let _ = tone.start_with_when(at);
        let _ = tone.stop_with_when(at + 0.55);
    }
    // The context closes itself once the notes are over.
    let closing = audio.clone();
    leptos::prelude::set_timeout(
        move || drop(closing.close()),
        std::time::Duration::from_secs(2),
    );
}

/// Moves keyboard and screen-reader focus to the element with this id, if it exists.
pub fn focus(id: &str) {
    if let Some(el) = element(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Scrolls the element with this id to the top of the screen and moves focus to it: a screen
/// just opened shows its top, and a screen reader starts reading at its heading.
pub fn show(id: &str) {
    if let Some(el) = element(id) {
        el.scroll_into_view_with_bool(true);
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// Lets go of the focused element, before a screen that holds it is taken down: Chromium lays
/// the page out at once when a focused element is removed, a pass the next frame redoes anyway.
/// Focus then moves where the new screen puts it.
pub fn release_focus() {
    let _ = blur_focused();
}

// A direct binding (not web-sys' `activeElement` and `blur`, with their casts): bytes on the
// customer's page.
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["document", "activeElement"], js_name = blur)]
    fn blur_focused() -> Result<(), wasm_bindgen::JsValue>;
}

/// Removes the element with this id, if it exists.
pub fn remove(id: &str) {
    if let Some(el) = element(id) {
        el.remove();
    }
}

/// The element with this id.
fn element(id: &str) -> Option<web_sys::Element> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
}

/// Inserts `html` right after the element with this id (the caller builds it from trusted
/// parts and escapes text with [`escape_html`]).
pub fn insert_html_after(id: &str, html: &str) {
    if let Some(el) = element(id) {
        let _ = el.insert_adjacent_html("afterend", html);
    }
}

/// A fresh random (version 4) UUID from the browser's cryptographic generator.
///
/// `getRandomValues` works on plain-http LAN addresses too, where `crypto.randomUUID` does not.
/// If the browser refuses, the current time and `Math.random` fill the bytes: an id that is
/// merely very likely unique is better than a kiosk that cannot take complaints.
pub fn new_uuid() -> Uuid {
    let mut bytes = [0u8; 16];
    random_bytes(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Fills `bytes` from the browser's cryptographic generator (see [`new_uuid`] for the
/// fallback when it refuses).
pub fn random_bytes(bytes: &mut [u8]) {
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(bytes).ok())
        .is_some();
    if !filled {
        let t = js_sys::Date::now() as u64;
        for (i, b) in bytes.iter_mut().enumerate() {
            let r = (js_sys::Math::random() * 256.0) as u64;
            *b = ((t >> ((i % 8) * 8)) as u8) ^ (r as u8);
        }
    }
}

/// A random number in `[0, 1)` for backoff jitter (not for secrets).
pub fn random_unit() -> f64 {
    js_sys::Math::random()
}

/// The value of one query parameter of the current address (`?idle=90`), if present.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Scrolls the page back to the top, e.g. after a kiosk reset.
pub fn scroll_to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Writes a warning and the thing it is about to the browser console, for staff and support.
pub fn log_warning(message: &str, subject: &str) {
    web_sys::console::warn_2(&message.into(), &subject.into());
}

/// Runs `f` in a task of its own after the next frame has been rendered: the animation frame
/// comes just before rendering, and a zero timer set there fires after it. A hidden page gets
/// no frames, so a timer stands in for them after a tenth of a second.
pub fn after_paint(f: impl FnOnce() + 'static) {
    // One body for every caller (not one per closure type): bytes on the customer's page.
    paint_then(Box::new(f));
}

fn paint_then(f: Box<dyn FnOnce()>) {
    use leptos::prelude::{request_animation_frame, set_timeout};
    use std::time::Duration;
    let once = std::rc::Rc::new(std::cell::Cell::new(Some(f)));
    let run = move || {
        if let Some(f) = once.take() {
            f();
        }
    };
    let fallback = run.clone();
    request_animation_frame(move || set_timeout(run, Duration::ZERO));
    set_timeout(fallback, Duration::from_millis(100));
}

/// Whether the shell's first screen (`#srk-pre`) is still waiting for the app: it is there and
/// the browser has not painted it yet (its script sets `srkPainted` at the first paint).
pub fn first_screen_unpainted() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let painted = js_sys::Reflect::get(&window, &"srkPainted".into()).is_ok_and(|v| v.is_truthy());
    !painted && element("srk-pre").is_some()
}
