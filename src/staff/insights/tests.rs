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
    };
    let f = choice.filter(&slug("demo"), 60);
    let day = parse_date("2026-03-01").unwrap();
    assert_eq!(f.from, Some(day_start(day, 60)));
    assert_eq!(f.to, Some(day_start(day + 1, 60)));
    assert_eq!(f.touchpoint, Some(slug("checkout-2")));
    assert_eq!(f.staff, None);
    assert_eq!(f.store, Some(slug("demo")));
    assert_eq!(
        choice.query_string(60),
        "tz=60&from=2026-03-01&to=2026-03-01&touchpoint=checkout-2"
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
