//! Wall clock, monotonic clock, time zone and locale-aware formatting of times, from the
//! browser.
//!
//! Formatting goes through the browser's `Intl` so that no calendar data has to ship in the
//! WebAssembly module (that keeps the customer's first load small).

use js_sys::{Array, Date, Intl, Object, Reflect};
use recovery_core::Timestamp;
use wasm_bindgen::{JsCast, JsValue};

/// Now, as Unix epoch milliseconds.
pub fn now() -> Timestamp {
    Timestamp(Date::now() as i64)
}

/// Milliseconds on the page's monotonic clock (`performance.now()`): for measuring how long
/// something took or how long nobody touched the screen, which a change of the wall clock (set
/// back, or forward, by a person or by time sync) must never stretch or shrink. Not a moment in
/// time: only differences mean anything.
pub fn monotonic_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(Date::now, |p| p.now())
}

/// Completes in a task of its own, after the browser has had a turn (input, paint): how a
/// long piece of work lets the page breathe between its slices.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        leptos::prelude::set_timeout(
            move || {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            },
            std::time::Duration::ZERO,
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
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

/// Formats an amount in minor units (hundredths) of `currency` (ISO 4217) in the given
/// language's regional style, e.g. "€12.50"; plain "12.50 EUR" if `Intl` refuses.
pub fn format_money(minor: u32, currency: &str, language: &str) -> String {
    let value = f64::from(minor) / 100.0;
    let options = Object::new();
    let _ = Reflect::set(&options, &"style".into(), &"currency".into());
    let _ = Reflect::set(&options, &"currency".into(), &JsValue::from_str(currency));
    let locales = Array::of1(&JsValue::from_str(&regional_tag(language)));
    // An unknown currency code makes the constructor throw: construct it through `Reflect`,
    // which returns the error instead of trapping.
    let formatted = (|| {
        let ctor = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let ctor = Reflect::get(&ctor, &"NumberFormat".into()).ok()?;
        let ctor: js_sys::Function = ctor.dyn_into().ok()?;
        let args = Array::of2(&locales, &options);
        let formatter = Reflect::construct(&ctor, &args).ok()?;
        let format: js_sys::Function = Reflect::get(&formatter, &"format".into())
            .ok()?
            .dyn_into()
            .ok()?;
        format
            .call1(&formatter, &JsValue::from_f64(value))
            .ok()?
            .as_string()
    })();
    formatted.unwrap_or_else(|| {
        let (whole, cents) = (minor / 100, minor % 100);
        [
            whole.to_string(),
            ".".into(),
            format!("{cents:02}"),
            " ".into(),
            currency.into(),
        ]
        .concat()
    })
}

/// Reads an amount typed by a person ("12", "12.5", "12,50") as minor units; `None` when it is
/// not a non-negative amount with at most two decimals.
pub fn parse_money(text: &str) -> Option<u32> {
    let t = text.trim();
    let (whole, frac) = match t.find(['.', ',']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t, ""),
    };
    if whole.is_empty() && frac.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
    {
        return None;
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let cents: u32 = match frac.len() {
        0 => 0,
        1 => frac.parse::<u32>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    whole.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::parse_money;

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(parse_money("12"), Some(1_200));
        assert_eq!(parse_money(" 12.5 "), Some(1_250));
        assert_eq!(parse_money("12,05"), Some(1_205));
        assert_eq!(parse_money(".5"), Some(50));
        assert_eq!(parse_money("0"), Some(0));
        for bad in [
            "",
            ".",
            "-1",
            "1.234",
            "1e3",
            "12.5.0",
            "abc",
            "99999999999",
        ] {
            assert_eq!(parse_money(bad), None, "{bad}");
        }
    }
}
