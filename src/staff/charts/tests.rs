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
