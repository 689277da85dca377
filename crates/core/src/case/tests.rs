//! Tests of opening and folding a case: the filing event, refusals, repeats and order, and
//! the events' JSON. `filed` is shared with other modules' tests.

use super::*;

pub(crate) fn filed(event: u128, case: u128, at: i64) -> Event {
    crate::testing::filed_event(event, case, at, &format!("charged twice ({event})"))
}

#[test]
fn filing_opens_a_case_with_its_ticket() {
    let e = filed(1, 100, 5_000);
    let c = apply(None, &e).unwrap();
    assert_eq!(c.id, e.case);
    assert_eq!(c.ticket, TicketCode::from_case(e.case));
    assert_eq!(c.status, Status::Filed);
    assert_eq!(c.filed_at, Timestamp(5_000));
    assert_eq!(c.store.as_str(), "demo");
}

#[test]
fn second_filed_event_for_same_case_is_refused() {
    let c = apply(None, &filed(1, 100, 5_000)).unwrap();
    assert_eq!(
        apply(Some(&c), &filed(2, 100, 6_000)),
        Err(TransitionError::AlreadyFiled { case: c.id })
    );
}

#[test]
fn an_event_for_another_case_is_refused() {
    let c = apply(None, &filed(1, 100, 5_000)).unwrap();
    assert!(matches!(
        apply(Some(&c), &filed(2, 200, 6_000)),
        Err(TransitionError::WrongCase { .. })
    ));
}

#[test]
fn an_invalid_payload_is_refused() {
    let mut e = filed(1, 100, 5_000);
    let EventKind::Filed {
        utc_offset_minutes, ..
    } = &mut e.kind
    else {
        unreachable!("the fixture is a filing")
    };
    *utc_offset_minutes = 15 * 60;
    assert!(matches!(
        apply(None, &e),
        Err(TransitionError::InvalidEvent(EventError::InvalidOffset(
            900
        )))
    ));
    let mut e = filed(1, 100, -1);
    e.at = Timestamp(-1);
    assert!(matches!(
        apply(None, &e),
        Err(TransitionError::InvalidEvent(EventError::InvalidTimestamp(
            -1
        )))
    ));
}

#[test]
fn fold_ignores_repeats_and_order() {
    let e = filed(1, 100, 5_000);
    let once = fold([&e]).unwrap();
    assert_eq!(fold([&e, &e, &e]).unwrap(), once);
    assert_eq!(fold(std::iter::empty()).unwrap(), None);
}

#[test]
fn event_json_is_tagged_by_type() {
    let e = filed(1, 100, 5_000);
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["kind"]["type"], "filed");
    assert_eq!(json["origin"]["store"], "demo");
    let back: Event = serde_json::from_value(json).unwrap();
    assert_eq!(back, e);
}
