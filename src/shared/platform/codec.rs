//! Generic JSON through the browser's own `JSON`, without serde: parsing and writing text, and
//! reading and setting the properties of plain objects.
//!
//! Doing it with the browser's parser keeps serde's code out of the apps' downloads, which is
//! most of the difference between a page that meets its size budget and one that does not. The
//! shapes written with these helpers (events, envelopes, a ticket's view) belong to the apps
//! and to `shared::event_json`; this module must never know one of them.
//!
//! Reading never panics: anything missing, mistyped or out of range gives `None` (or
//! `undefined`), and the caller decides what that means.

use js_sys::{JSON, Object, Reflect};
use uuid::Uuid;
use wasm_bindgen::JsValue;

/// Sets one property of a plain object.
pub fn set(o: &Object, key: &str, value: JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(key), &value);
}

/// A JavaScript string.
pub fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

/// The value, or JSON `null` for none.
pub fn nullable(value: Option<JsValue>) -> JsValue {
    value.unwrap_or(JsValue::NULL)
}

/// JSON text of a JavaScript value.
pub fn stringify(value: &JsValue) -> Option<String> {
    JSON::stringify(value).ok().and_then(|s| s.as_string())
}

/// Parses JSON text; `None` if it is not JSON.
pub fn parse(json: &str) -> Option<JsValue> {
    JSON::parse(json).ok()
}

/// A property of an object; `undefined` when missing or when `o` is not an object.
pub fn get(o: &JsValue, key: &str) -> JsValue {
    if !o.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A text property.
pub fn string(o: &JsValue, key: &str) -> Option<String> {
    get(o, key).as_string()
}

/// `Some(None)` for null or missing, `Some(Some(..))` for a value read by `read`, `None` for a
/// value of the wrong type.
pub fn optional<T>(
    o: &JsValue,
    key: &str,
    read: impl Fn(&JsValue) -> Option<T>,
) -> Option<Option<T>> {
    let v = get(o, key);
    if v.is_null() || v.is_undefined() {
        Some(None)
    } else {
        read(&v).map(Some)
    }
}

/// A whole number that fits in an `i64` exactly (JSON numbers are doubles).
pub fn whole(v: &JsValue) -> Option<i64> {
    let f = v.as_f64()?;
    (f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_991.0).then_some(f as i64)
}

/// A UUID property.
pub fn uuid(o: &JsValue, key: &str) -> Option<Uuid> {
    recovery_core::parse_uuid(&string(o, key)?)
}

/// The one of `all` whose `key` is the text `v`; `None` for any other value.
pub fn choice<T: Copy>(all: &[T], key: fn(T) -> &'static str, v: &JsValue) -> Option<T> {
    let s = v.as_string()?;
    all.iter().copied().find(|x| key(*x) == s)
}
