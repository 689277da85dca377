//! Tests of the insights' selection and plain helpers.

use super::*;

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

#[test]
fn presets_cover_whole_days_up_to_today_and_are_recognised_again() {
    let today = parse_date("2026-03-10").unwrap();
    let week = Choice::preset(7, today);
    assert_eq!(
        (week.from.as_str(), week.to.as_str()),
        ("2026-03-04", "2026-03-10")
    );
    assert_eq!(week.preset_days(today), Some(7));
    assert_eq!(Choice::preset(0, today), Choice::default());
    assert_eq!(Choice::default().preset_days(today), Some(0));
    let custom = Choice {
        from: "2026-03-01".into(),
        ..week
    };
    assert_eq!(custom.preset_days(today), None);
}

#[test]
fn the_filter_takes_store_local_days_and_ignores_what_is_not_a_slug() {
    let choice = Choice {
        from: "2026-03-01".into(),
        to: "2026-03-01".into(),
        touchpoint: "checkout-2".into(),
        staff: String::new(),
        shift: "Late & night".into(),
    };
    let f = choice.filter(&slug("demo"), 60);
    let day = parse_date("2026-03-01").unwrap();
    assert_eq!(f.from, Some(day_start(day, 60)));
    assert_eq!(f.to, Some(day_start(day + 1, 60)));
    assert_eq!(f.touchpoint, Some(slug("checkout-2")));
    assert_eq!(f.staff, None);
    assert_eq!(f.store, Some(slug("demo")));
    assert_eq!(f.shift.as_deref(), Some("Late & night"));
    assert_eq!(
        choice.query_string(60),
        "tz=60&from=2026-03-01&to=2026-03-01&touchpoint=checkout-2&shift=Late+%26+night"
    );
    let odd = Choice {
        staff: "Not A Slug".into(),
        ..Choice::default()
    };
    assert_eq!(odd.query_string(-300), "tz=-300");
}

#[test]
fn exported_files_are_named_after_the_store_and_the_day() {
    assert_eq!(
        file_name(&slug("demo"), "2026-03-10", false, "csv"),
        "demo-cases-2026-03-10.csv"
    );
    assert_eq!(
        file_name(&slug("demo"), "2026-03-10", true, "json"),
        "demo-cases-2026-03-10-server.json"
    );
}

#[test]
fn durations_read_in_minutes_hours_or_days() {
    assert_eq!(duration_parts(90_000), ("2".into(), Unit::Minutes));
    assert_eq!(duration_parts(119 * 60_000), ("119".into(), Unit::Minutes));
    assert_eq!(duration_parts(3 * 3_600_000), ("3.0".into(), Unit::Hours));
    assert_eq!(duration_parts(3 * 86_400_000), ("3.0".into(), Unit::Days));
    assert_eq!(percent(0.375), "37.5 %");
}

#[test]
fn an_alert_about_one_complaint_says_complaint() {
    use crate::shared::i18n::Locale;
    use recovery_core::insights::{Alert, Direction};
    let down = |count| Alert::OutOfControl {
        date: "2026-03-09".into(),
        count,
        value: f64::from(count),
        ucl: 9.0,
        lcl: 2.0,
        direction: Direction::Down,
    };
    assert_eq!(
        alert_text(Locale::En, &down(1)),
        "2026-03-09: 1 complaint, below the control limit of 2.0."
    );
    assert_eq!(
        alert_text(Locale::En, &down(0)),
        "2026-03-09: 0 complaints, below the control limit of 2.0."
    );
    let spike = |count, expected| Alert::Spike {
        touchpoint: slug("front-desk"),
        count,
        expected,
        threshold: 1,
        window_minutes: 60,
    };
    // Without a store profile at hand, the place reads as its slug in words.
    assert_eq!(
        alert_text(Locale::En, &spike(1, 0.0)),
        "front desk: 1 complaint in the last 60 minutes, usually none."
    );
    assert_eq!(
        alert_text(Locale::En, &spike(4, 0.5)),
        "front desk: 4 complaints in the last 60 minutes, usually about 0.5."
    );
}
