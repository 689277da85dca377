//! Wall clock, time zone and locale-aware formatting of times, from the browser.
//!
//! Formatting goes through the browser's `Intl` so that no calendar data has to ship in the
//! WebAssembly module (that keeps the customer's first load small).

use js_sys::{Array, Date, Intl, Object, Reflect};
use recovery_core::Timestamp;
use wasm_bindgen::JsValue;

/// Now, as Unix epoch milliseconds.
pub fn now() -> Timestamp {
    Timestamp(Date::now() as i64)
}

/// The device's offset from UTC in minutes (east positive) at the given moment.
pub fn utc_offset_minutes(at: Timestamp) -> i16 {
    let date = Date::new(&JsValue::from_f64(at.0 as f64));
    // getTimezoneOffset is west-positive; the core stores east-positive offsets.
    (-date.get_timezone_offset()) as i16
}

/// How much of a moment to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Hours and minutes only, for "by 14:05" today.
    Time,
    /// Weekday, date and time, for anything that may not be today.
    DateTime,
}

/// The browser's own regional tag for a language, e.g. `en-GB` for `en` on a British device,
/// so that times follow local habits (24-hour clock) within the chosen language.
fn regional_tag(language: &str) -> String {
    super::env::preferred_languages()
        .into_iter()
        .find(|tag| {
            tag.split('-')
                .next()
                .is_some_and(|primary| primary.eq_ignore_ascii_case(language))
        })
        .unwrap_or_else(|| language.to_owned())
}

/// An amount of money in the given language's regional style: `value_minor` in the minor
/// units (cents) of the ISO 4217 `currency`, e.g. 1250 EUR gives "€12.50" in English. The
/// currency's number of decimals comes from the browser's `Intl` (0 for JPY, 2 for EUR).
/// Without a well-formed currency code, the amount is shown as a plain number with two
/// decimals.
pub fn money(value_minor: u32, currency: Option<&str>, language: &str) -> String {
    let locales = Array::of1(&JsValue::from_str(&regional_tag(language)));
    let options = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&options, &JsValue::from_str(k), &v);
    };
    // Intl throws on a malformed code (it accepts any three letters), so only those pass.
    let currency = currency.filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()));
    match currency {
        Some(code) => {
            set("style", JsValue::from_str("currency"));
            set("currency", JsValue::from_str(code));
        }
        None => {
            set("minimumFractionDigits", JsValue::from_f64(2.0));
            set("maximumFractionDigits", JsValue::from_f64(2.0));
        }
    }
    let formatter = Intl::NumberFormat::new(&locales, &options);
    let digits = Reflect::get(
        &formatter.resolved_options(),
        &JsValue::from_str("maximumFractionDigits"),
    )
    .ok()
    .and_then(|d| d.as_f64())
    .unwrap_or(2.0)
    .clamp(0.0, 6.0);
    let amount = f64::from(value_minor) / 10f64.powi(digits as i32);
    formatter
        .format()
        .call1(&formatter, &JsValue::from_f64(amount))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| {
            // Intl refused: whole units and cents by integer arithmetic (no float formatting
            // code in the download).
            let mut text = [
                &(value_minor / 100).to_string(),
                ".",
                &format!("{:02}", value_minor % 100),
            ]
            .concat();
            if let Some(code) = currency {
                text.push(' ');
                text.push_str(code);
            }
            text
        })
}

/// Formats a moment in the given language, in the device's time zone and regional style.
/// Falls back to ISO-like text if `Intl` refuses the locale.
pub fn format(at: Timestamp, language: &str, style: Style) -> String {
    let locale = regional_tag(language);
    let options = Object::new();
    let set = |k: &str, v: &str| {
        let _ = Reflect::set(&options, &JsValue::from_str(k), &JsValue::from_str(v));
    };
    set("hour", "2-digit");
    set("minute", "2-digit");
    if style == Style::DateTime {
        set("weekday", "short");
        set("day", "numeric");
        set("month", "short");
    }
    let locales = Array::of1(&JsValue::from_str(&locale));
    let formatter = Intl::DateTimeFormat::new(&locales, &options);
    let date = Date::new(&JsValue::from_f64(at.0 as f64));
    formatter
        .format()
        .call1(&formatter, &date)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| String::from(date.to_iso_string()))
}
