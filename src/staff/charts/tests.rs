//! Tests of the charts' pure geometry helpers.

use super::*;

#[test]
fn axes_end_on_round_numbers_at_or_above_the_largest_value() {
    assert_eq!(nice_max(0.0), 1.0);
    assert_eq!(nice_max(f64::NAN), 1.0);
    assert_eq!(nice_max(1.0), 1.0);
    assert_eq!(nice_max(3.0), 5.0);
    assert_eq!(nice_max(7.2), 10.0);
    assert_eq!(nice_max(12.0), 20.0);
    assert_eq!(nice_max(480.0), 500.0);
    assert_eq!(nice_max(0.031), 0.05);
}

#[test]
fn heat_shades_are_zero_for_none_and_five_for_the_busiest_hour() {
    assert_eq!(heat_level(0, 10), 0);
    assert_eq!(heat_level(1, 10), 1);
    assert_eq!(heat_level(10, 10), 5);
    assert_eq!(heat_level(5, 10), 3);
    assert_eq!(heat_level(3, 0), 0);
    assert!((1..=40).all(|n| (1..=5).contains(&heat_level(n, 40))));
}

#[test]
fn long_labels_are_clipped_with_an_ellipsis() {
    assert_eq!(clip("front desk", 18), "front desk");
    assert_eq!(clip("New colleague not yet trained", 10), "New colle…");
    assert_eq!(clip("åäöåäöåäö", 4), "åäö…");
}

#[test]
fn long_labels_wrap_at_spaces_into_at_most_two_lines() {
    assert_eq!(wrap("Scanner", 22, 2), ["Scanner"]);
    assert_eq!(
        wrap("Too few people on the floor at lunch", 22, 2),
        ["Too few people on the", "floor at lunch"]
    );
    // What does not fit in two lines ends with an ellipsis, within the width.
    let cut = wrap(
        "Too few people on the floor at lunch on Saturdays in May",
        22,
        2,
    );
    assert_eq!(cut, ["Too few people on the", "floor at lunch on…"]);
    assert!(cut.iter().all(|l| l.chars().count() <= 22));
    // A word longer than a line is cut.
    assert_eq!(wrap("Kassaregistreringssystemet", 10, 2), ["Kassaregi…"]);
    assert!(wrap("   ", 10, 2).is_empty());
}

#[test]
fn one_spike_does_not_stretch_the_control_chart_s_axis() {
    let day = |value: f64| ControlDay {
        value,
        ucl: 3.2,
        lcl: 0.0,
        flagged: None,
        marked: false,
    };
    // 89 ordinary days of 0 to 2 complaints and one day of 15.
    let mut days: Vec<ControlDay> = (0..89).map(|i| day(f64::from(i % 3))).collect();
    days.push(day(15.0));
    assert_eq!(axis_top(&days, 1.0), 5.0);
    // Near the limits a signal stays on the scale.
    days.push(day(6.0));
    assert_eq!(axis_top(&days, 1.0), 10.0);
    // Without limits (nothing to compare with) every day is on the scale.
    let flat = [ControlDay {
        value: 4.0,
        ucl: 0.0,
        lcl: 0.0,
        flagged: None,
        marked: false,
    }];
    assert_eq!(axis_top(&flat, 0.0), 5.0);
}
