//! Device clocks that lie: a kiosk days behind, one hours fast, one set to 1970 or 2150. The
//! time the server's clock would have said (`Event::time`) drives deadlines, the queue, times
//! to acknowledge and the charts; the device's own time stays recorded in `at`.

use crate::Timestamp;
use crate::event::{DeviceClock, Event, EventKind, Role};
use crate::insights::{Query, insights};
use crate::ledger::Ledger;
use crate::queue::queue;
use crate::sla::SlaPolicy;
use crate::testing::{actor, filed_event, step};

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;
/// The server's clock now: Tuesday 1 December 2026, 10:00 UTC.
const NOW: i64 = 1_796_119_200_000;

/// What the server notes on an event from a device whose clock is `skew` behind its own, which
/// arrived at `received`.
fn noted(mut event: Event, skew: Option<i64>, received: i64) -> Event {
    event.clock = Some(DeviceClock {
        skew_ms: skew,
        received_at: Some(Timestamp(received)),
    });
    event
}

fn acknowledged(event: u128, case: u128, at: i64) -> Event {
    step(
        event,
        case,
        at,
        EventKind::Acknowledged {
            by: actor("ana", Role::Staff, 2_500),
            apology: "I am sorry you had to wait.".into(),
            avoidable: None,
        },
    )
}

#[test]
fn kiosks_days_behind_or_hours_fast_get_true_deadlines_order_and_times_to_acknowledge() {
    // Case 1 from a kiosk 3 days behind, filed 12 minutes ago; case 2 from one 2 hours fast,
    // filed 4 minutes ago; both delivered at once. A tablet with a true clock acknowledges
    // case 1 two minutes after its filing.
    let behind = noted(
        filed_event(1, 1, NOW - 12 * MIN - 3 * DAY, "Waited 40 minutes"),
        Some(3 * DAY),
        NOW - 11 * MIN,
    );
    let fast = noted(
        filed_event(2, 2, NOW - 4 * MIN + 2 * HOUR, "Card charged twice"),
        Some(-2 * HOUR),
        NOW - 3 * MIN,
    );
    assert_eq!(behind.time(), Timestamp(NOW - 12 * MIN));
    assert_eq!(fast.time(), Timestamp(NOW - 4 * MIN));
    assert_eq!(
        behind.at,
        Timestamp(NOW - 12 * MIN - 3 * DAY),
        "the device's own time stays"
    );

    let mut ledger = Ledger::default();
    ledger.record(behind).unwrap();
    ledger.record(fast).unwrap();
    let policy = SlaPolicy::default();
    let cases: Vec<_> = ledger.cases().cloned().collect();
    let q = queue(&cases, &policy, &[], Timestamp(NOW));
    let lines: Vec<(u128, i64, bool)> = q
        .iter()
        .map(|i| (i.case.0.as_u128(), i.due_at.0 - NOW, i.overdue))
        .collect();
    // Ten minutes to acknowledge: case 1 is 2 minutes overdue (not 3 days), case 2 has 6
    // minutes left (not 2 hours 6), and case 1 leads.
    assert_eq!(lines, [(1, -2 * MIN, true), (2, 6 * MIN, false)]);

    ledger
        .record(noted(
            acknowledged(3, 1, NOW - 10 * MIN),
            Some(0),
            NOW - 10 * MIN,
        ))
        .unwrap();
    let report = insights(&ledger, &Query::new(Timestamp(NOW), 0));
    assert_eq!(report.acknowledge.count, 1);
    assert_eq!(report.acknowledge.median_ms, Some(2 * MIN));
}

#[test]
fn a_tablet_stamps_a_step_after_a_fast_kiosk_s_filing_in_true_time() {
    // The kiosk is 2 hours fast; a tablet with a true clock acknowledges 24 s after the filing.
    let filed = noted(
        filed_event(1, 1, NOW + 2 * HOUR, "Waited 40 minutes"),
        Some(-2 * HOUR),
        NOW + 1_000,
    );
    let mut ledger = Ledger::default();
    ledger.record(filed).unwrap();
    let case = ledger.cases().next().unwrap().clone();
    let at = case.next_at(Timestamp(NOW + 24_000), 0);
    assert_eq!(
        at,
        Timestamp(NOW + 24_000),
        "not 1 ms after the kiosk's clock"
    );
    let mut ack = acknowledged(2, 1, at.0);
    ack.clock = Some(DeviceClock {
        skew_ms: Some(0),
        received_at: None,
    });
    ledger.record(ack).unwrap();
    let report = insights(&ledger, &Query::new(Timestamp(NOW + HOUR), 0));
    assert_eq!(report.acknowledge.median_ms, Some(24_000));
}

#[test]
fn events_dated_1970_or_2150_take_their_arrival_time_and_never_stretch_a_chart() {
    let mut ledger = Ledger::default();
    for (n, at) in [(1, NOW - 2 * DAY), (2, NOW - DAY), (3, NOW - HOUR)] {
        ledger
            .record(noted(filed_event(n, n, at, "Waited"), Some(0), at + 1_000))
            .unwrap();
    }
    // Two kiosks whose clocks nobody could correct (their pushes carried no clock): one set to
    // 1970, one to 2150. Both arrived an hour ago.
    let (y1970, y2150) = (86_400_000, 5_680_281_600_000);
    for (n, at) in [(4, y1970), (5, y2150)] {
        let event = noted(filed_event(n, n, at, "Waited"), None, NOW - HOUR);
        assert_eq!(event.time(), Timestamp(NOW - HOUR));
        ledger.record(event).unwrap();
    }
    let report = insights(&ledger, &Query::new(Timestamp(NOW), 0));
    let days: Vec<&str> = report
        .control
        .points
        .iter()
        .map(|p| p.date.as_str())
        .collect();
    assert_eq!(days, ["2026-11-29", "2026-11-30", "2026-12-01"]);
    let counts: Vec<u32> = report.control.points.iter().map(|p| p.count).collect();
    assert_eq!(counts, [1, 1, 3]);
}

#[test]
fn a_time_within_the_offline_window_is_believed() {
    // A kiosk offline for 80 days with a true clock: its complaint keeps its own time; at 100
    // days its clock is not believed.
    let old = noted(filed_event(1, 1, NOW - 80 * DAY, "Waited"), Some(0), NOW);
    assert_eq!(old.time(), Timestamp(NOW - 80 * DAY));
    let older = noted(filed_event(1, 1, NOW - 100 * DAY, "Waited"), Some(0), NOW);
    assert_eq!(older.time(), Timestamp(NOW));
    // An import (no clock reading) of last year's cases keeps their time.
    let imported = noted(filed_event(1, 1, NOW - 300 * DAY, "Waited"), None, NOW);
    assert_eq!(imported.time(), Timestamp(NOW - 300 * DAY));
    // Not yet received (on the device): the device's time, corrected if it knows its skew.
    let mut here = filed_event(2, 2, NOW, "Waited");
    assert_eq!(here.time(), Timestamp(NOW));
    here.clock = Some(DeviceClock {
        skew_ms: Some(-5_000),
        received_at: None,
    });
    assert_eq!(here.time(), Timestamp(NOW - 5_000));
}
