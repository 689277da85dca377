//! `add-store`'s options, checked into a store's settings.

use recovery_core::parse_languages;

use super::cli::AddStoreArgs;
use super::error::ConfigError;
use super::values::{currency, display_name, on_off, place, slug, whole_number};
use crate::staff::StoreSettings;

/// The settings `add-store` asks for; what it leaves out keeps its default (or, for the
/// languages, the chime and the retention, the store's own).
pub(super) fn settings(a: AddStoreArgs) -> Result<StoreSettings, ConfigError> {
    let mut settings =
        StoreSettings::new(slug("--store", a.store)?, display_name("--name", a.name)?);
    let mut touchpoints = Vec::new();
    for value in a.touchpoints {
        let (touchpoint, name) = place("--touchpoint", value)?;
        if let Some(name) = name {
            settings.places.insert(touchpoint.clone(), name);
        }
        touchpoints.push(touchpoint);
    }
    if !touchpoints.is_empty() {
        settings.touchpoints = Some(touchpoints);
    }
    if let Some(value) = a.currency {
        settings.currency = currency(&value)?;
    }
    for (flag, value, field) in [
        ("--ack-minutes", a.ack_minutes, &mut settings.ack_minutes),
        (
            "--resolve-hours",
            a.resolve_hours,
            &mut settings.resolve_hours,
        ),
        (
            "--follow-up-days",
            a.follow_up_days,
            &mut settings.follow_up_days,
        ),
    ] {
        if let Some(value) = value {
            *field = whole_number(flag, &value)?;
        }
    }
    if let Some(value) = a.languages {
        let text = value.to_string_lossy().into_owned();
        settings.languages = Some(parse_languages(&text).map_err(|_| ConfigError::BadValue {
            flag: "--languages",
            value: text,
            expected: "languages from en, id, ms and sv, comma-separated, each once",
        })?);
    }
    if let Some(value) = a.chime {
        settings.chime = Some(on_off("--chime", &value)?);
    }
    if let Some(value) = a.chain {
        settings.chain = Some(slug("--chain", value)?);
    }
    if let Some(value) = a.retention_days {
        settings.retention_days = Some(whole_number("--retention-days", &value)?);
    }
    Ok(settings)
}
