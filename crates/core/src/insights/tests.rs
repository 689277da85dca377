//! Insights over hand-built stores, with expectations computed by hand.

use super::*;
use crate::complaint::{ComplaintDraft, validate};
use crate::event::{Actor, Cause, ContactChannel, Event, EventKind, Factor, Origin, Role};
use crate::ids::{CaseId, DeviceId, EventId};
use crate::testing::actor;
use uuid::Uuid;

const M: i64 = 60_000;
const H: i64 = HOUR_MS;
/// Jakarta: the store's clock.
const OFFSET: i16 = 420;

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}
fn ana() -> Actor {
    actor("ana", Role::Staff, 2_500)
}
fn bo() -> Actor {
    actor("bo", Role::Staff, 2_500)
}

/// Day `n` after Monday 2 March 2026, at `hour:minute` store time.
fn at(n: i64, hour: i64, minute: i64) -> i64 {
    day_start(parse_date("2026-03-02").unwrap() + n, OFFSET).0 + hour * H + minute * M
}

/// A store's events, recorded as devices would.
struct Store {
    ledger: Ledger,
    next: u128,
}

impl Store {
    fn new() -> Store {
        Store {
            ledger: Ledger::default(),
            next: 1,
        }
    }

    fn record(&mut self, case: u128, at: i64, store: &str, touchpoint: &str, kind: EventKind) {
        self.next += 1;
        let event = Event {
            id: EventId(Uuid::from_u128(self.next)),
            case: CaseId(Uuid::from_u128(case)),
            at: Timestamp(at),
            origin: Origin {
                store: slug(store),
                touchpoint: slug(touchpoint),
                device: DeviceId(Uuid::from_u128(7)),
            },
            kind,
            proof: None,
            clock: None,
        };
        self.ledger.record(event).unwrap();
    }

    /// Files a case; returns its id.
    fn file_at(&mut self, store: &str, at: i64, touchpoint: &str, draft: ComplaintDraft) -> u128 {
        let case = 1_000_000 + self.next;
        let complaint = validate(&draft).unwrap();
        let kind = EventKind::Filed {
            complaint,
            utc_offset_minutes: OFFSET,
        };
        self.record(case, at, store, touchpoint, kind);
        case
    }

    fn file(&mut self, at: i64, touchpoint: &str, draft: ComplaintDraft) -> u128 {
        self.file_at("demo", at, touchpoint, draft)
    }

    fn simple(&mut self, at: i64, touchpoint: &str) -> u128 {
        self.file(at, touchpoint, draft(Category::Waiting, &[], ""))
    }

    fn step(&mut self, case: u128, at: i64, kind: EventKind) {
        self.record(case, at, "demo", "front-desk", kind);
    }

    fn ack(&mut self, case: u128, at: i64, by: Actor) {
        let apology = "I am sorry you had to wait.".into();
        self.step(
            case,
            at,
            EventKind::Acknowledged {
                by,
                apology,
                avoidable: None,
            },
        );
    }

    fn resolve(&mut self, case: u128, at: i64, remedy: Remedy, value: u32, follow: Option<i64>) {
        self.step(
            case,
            at,
            EventKind::Resolved {
                by: ana(),
                remedy,
                value_minor: value,
                gesture: "a free coffee".into(),
                follow_up_at: follow.map(Timestamp),
            },
        );
    }

    fn rate(&mut self, case: u128, at: i64, stars: u8) {
        let comment = "ok".into();
        self.step(case, at, EventKind::Rated { stars, comment });
    }

    fn follow(&mut self, case: u128, at: i64, held: bool) {
        let note = String::new();
        self.step(
            case,
            at,
            EventKind::FollowedUp {
                by: ana(),
                held,
                note,
            },
        );
    }

    fn close(&mut self, case: u128, at: i64, category: CauseCategory, sub: &str) {
        let cause = Cause {
            category,
            sub_cause: sub.into(),
            departments: vec!["Checkout".into()],
            people: vec!["Ana".into(), "Till vendor".into()],
            explanation: "Our till froze.".into(),
            factors: vec![],
        };
        self.step(case, at, EventKind::Closed { by: ana(), cause });
    }

    fn report(&self, query: &Query) -> Insights {
        insights(&self.ledger, query)
    }
}

fn draft(category: Category, fair: &[FairSolution], contact: &str) -> ComplaintDraft {
    ComplaintDraft {
        category: Some(category),
        description: "It went wrong.".into(),
        fair_solutions: fair.to_vec(),
        contact: contact.into(),
        consent_to_contact: !contact.is_empty(),
        ..Default::default()
    }
}

fn query(now: i64) -> Query {
    Query::new(Timestamp(now), OFFSET)
}

fn hour_totals(map: &[[u32; 24]; 7]) -> [u32; 24] {
    let mut out = [0; 24];
    for row in map {
        for (h, n) in row.iter().enumerate() {
            out[h] += n;
        }
    }
    out
}

/// Four weeks: a complaint at the front desk at 11:15 and 15:30 every day. Ana has the
/// mornings of Monday, Wednesday and Friday, Bo the other mornings and every afternoon;
/// each acknowledges their complaints five minutes later. On Ana's mornings, four more
/// complaints come in at checkout 2 between 9 and 10; she acknowledges the first three.
fn planted_morning_spike() -> Store {
    let mut s = Store::new();
    for day in 0..28 {
        let anas = matches!(day % 7, 0 | 2 | 4);
        if anas {
            for minute in [5, 20, 35, 50] {
                let case = s.simple(at(day, 9, minute), "checkout-2");
                if minute < 50 {
                    s.ack(case, at(day, 9, minute + 5), ana());
                }
            }
        }
        let morning = s.simple(at(day, 11, 15), "front-desk");
        s.ack(morning, at(day, 11, 20), if anas { ana() } else { bo() });
        let afternoon = s.simple(at(day, 15, 30), "front-desk");
        s.ack(afternoon, at(day, 15, 35), bo());
    }
    s
}

#[test]
fn a_planted_morning_spike_on_one_shift_shows_in_the_heatmap_and_the_staff_filter() {
    let s = planted_morning_spike();
    let now = at(28, 8, 0);
    let all = s.report(&query(now));
    // 12 of Ana's mornings × 4 + 28 × 2.
    assert_eq!(all.cases, 104);
    // Monday (row 0) 9:00–9:59: 4 weeks × 4; Tuesday none at 9.
    assert_eq!(all.heatmap[0][9], 16);
    assert_eq!(all.heatmap[1][9], 0);
    assert_eq!(all.heatmap[0][11], 4);
    assert_eq!(all.heatmap[6][15], 4);
    assert_eq!(hour_totals(&all.heatmap)[9], 48);
    let tp: Vec<(&str, u32, f64)> = all
        .touchpoints
        .iter()
        .map(|b| (b.key.as_str(), b.count, b.cumulative))
        .collect();
    assert_eq!(
        tp,
        [("front-desk", 56, 56.0 / 104.0), ("checkout-2", 48, 1.0)]
    );

    // On Ana's shift: the 48 morning-spike complaints (the unacknowledged 9:50 ones because
    // she was at work within the hour) and her 12 complaints at 11:15; nothing at 15:30,
    // four hours after her last step.
    let mut q = query(now);
    q.filter.staff = Some(slug("ana"));
    let anas = s.report(&q);
    assert_eq!(anas.cases, 60);
    let hours = hour_totals(&anas.heatmap);
    assert_eq!((hours[9], hours[11], hours[15]), (48, 12, 0));
    assert_eq!(anas.heatmap[0][9], 16);

    // Bo's shift never sees the 9 o'clock spike.
    q.filter.staff = Some(slug("bo"));
    let bos = s.report(&q);
    assert_eq!(bos.cases, 16 + 28);
    let hours = hour_totals(&bos.heatmap);
    assert_eq!((hours[9], hours[11], hours[15]), (0, 16, 28));

    // Someone who never worked: nothing.
    q.filter.staff = Some(slug("cy"));
    assert_eq!(s.report(&q).cases, 0);
}

/// A shift of `hours` on `days` (Monday 0) worked by `staff`.
fn planned(name: &str, hours: &str, days: &[usize], staff: &[&str]) -> crate::PlannedShift {
    let mut all = [None; 7];
    for &d in days {
        all[d] = crate::Hours::parse(hours);
    }
    crate::PlannedShift {
        name: name.into(),
        hours: all,
        staff: staff.iter().map(|s| slug(s)).collect(),
    }
}

#[test]
fn with_a_shift_plan_the_staff_filter_and_the_shift_counts_follow_the_plan() {
    let s = planted_morning_spike();
    let mut q = query(at(28, 8, 0));
    q.filter.from = Some(Timestamp(at(0, 0, 0)));
    q.filter.to = Some(Timestamp(at(28, 0, 0)));
    // The plan differs from what people did: Ana's mornings are Monday and Wednesday only,
    // Friday's morning is Bo's.
    q.shifts = ShiftPlan(vec![
        planned("Morning A", "08:00-12:00", &[0, 2], &["ana"]),
        planned("Morning B", "08:00-12:00", &[1, 3, 4, 5, 6], &["bo"]),
        planned("Late", "13:00-20:00", &[0, 1, 2, 3, 4, 5, 6], &["bo"]),
    ]);
    let all = s.report(&q);
    assert_eq!(all.cases, 104);
    let figures: Vec<(&str, u32, f64)> = all
        .shifts
        .iter()
        .map(|f| (f.name.as_str(), f.cases, f.planned_hours))
        .collect();
    // Mondays and Wednesdays: 8 mornings of 4 + 1; the other mornings: 4 Fridays of 4 + 1
    // and 16 days of 1; every afternoon.
    assert_eq!(
        figures,
        [
            ("Morning A", 40, 32.0),
            ("Morning B", 36, 80.0),
            ("Late", 28, 196.0)
        ]
    );
    assert_eq!(all.shifts[0].per_hour, Some(40.0 / 32.0));
    assert_eq!(all.off_shift, 0);

    // Ana by the plan: her Monday and Wednesday mornings, not Friday's (the guess from her
    // steps counted 60 with Fridays).
    q.filter.staff = Some(slug("ana"));
    let anas = s.report(&q);
    assert_eq!(anas.cases, 40);
    assert_eq!(hour_totals(&anas.heatmap)[15], 0);
    assert_eq!(anas.heatmap[4][9], 0, "no Friday");
    // Bo works two shifts: every case but Ana's 40.
    q.filter.staff = Some(slug("bo"));
    assert_eq!(s.report(&q).cases, 64);
    // Someone the plan does not name is still read from their steps: Cy took none.
    q.filter.staff = Some(slug("cy"));
    assert_eq!(s.report(&q).cases, 0);

    // The shift filter: the late shift's complaints, every day at 15:30.
    q.filter.staff = None;
    q.filter.shift = Some("Late".into());
    let late = s.report(&q);
    assert_eq!(late.cases, 28);
    assert_eq!(hour_totals(&late.heatmap)[15], 28);
    q.filter.shift = Some("Nobody's".into());
    assert_eq!(s.report(&q).cases, 0);

    // A filing outside every shift is counted as such.
    q.filter.shift = None;
    q.shifts.0.pop();
    assert_eq!(s.report(&q).off_shift, 28);
    // The same through the kept digests the tablet and server use.
    let mut reports = Reports::default();
    reports.refresh(&s.ledger, &q.contact_salt);
    assert_eq!(reports.insights(&q), s.report(&q));
}

/// The spike alerts of a store's report at `now`.
fn spikes(s: &Store, now: i64) -> Vec<Alert> {
    let alerts = s.report(&query(now)).alerts;
    alerts
        .into_iter()
        .filter(|a| matches!(a, Alert::Spike { .. }))
        .collect()
}

#[test]
fn a_spike_in_the_last_hour_alerts_against_the_same_hour_on_earlier_days() {
    let mut s = Store::new();
    // One complaint at checkout 2 at 9:30 on each of the 28 days before today.
    for day in 0..28 {
        s.simple(at(day, 9, 30), "checkout-2");
    }
    let now = at(28, 10, 0);
    // Five today between 9 and 10, and two at the front desk, which has no history.
    for minute in [1, 12, 24, 36, 48] {
        s.simple(at(28, 9, minute), "checkout-2");
    }
    s.simple(at(28, 9, 40), "front-desk");
    s.simple(at(28, 9, 45), "front-desk");
    // History: from day 0 at 9:30 to today at 9:00 is 27 whole days (the window of 28 days
    // ago starts before the first filing), each with one complaint in the window: λ = 1,
    // and P(X ≥ 5) ≈ 0.0037, P(X ≥ 6) ≈ 0.0006 < 0.001: the threshold is 6.
    let alerts = spikes(&s, now);
    assert!(alerts.is_empty(), "5 is usual enough: {alerts:?}");
    s.simple(at(28, 9, 59), "checkout-2");
    let alerts = spikes(&s, now);
    assert_eq!(
        alerts,
        [Alert::Spike {
            touchpoint: slug("checkout-2"),
            count: 6,
            expected: 1.0,
            threshold: 6,
            window_minutes: 60,
        }]
    );
    // Before 9 the window holds nothing today; an hour later the spike has passed.
    assert!(spikes(&s, at(28, 9, 0)).is_empty());
    assert!(spikes(&s, at(28, 11, 0)).is_empty());
    // A third complaint at the touchpoint with no history reaches the minimum count.
    s.simple(at(28, 9, 50), "front-desk");
    let alerts = spikes(&s, now);
    assert_eq!(alerts.len(), 2);
    assert!(
        matches!(&alerts[1], Alert::Spike { touchpoint, count: 3, threshold: 3, .. } if touchpoint.as_str() == "front-desk")
    );
    // A brand-new store has no baseline, so nothing is a spike yet.
    let mut fresh = Store::new();
    for minute in 0..10 {
        fresh.simple(at(28, 9, minute), "checkout-2");
    }
    assert!(spikes(&fresh, now).is_empty());
}

#[test]
fn a_shift_in_level_after_a_date_is_flagged_by_the_run_rule() {
    let mut s = Store::new();
    // Four complaints a day for ten days from 2 March, nine a day from 12 March.
    for day in 0..20 {
        for i in 0..if day < 10 { 4 } else { 9 } {
            s.simple(at(day, 10, i), "front-desk");
        }
    }
    let mut q = query(at(40, 12, 0));
    q.filter.from = Some(Timestamp(at(0, 0, 0)));
    q.filter.to = Some(Timestamp(at(20, 0, 0)));
    let r = s.report(&q);
    let c = &r.control;
    assert_eq!(c.points.len(), 20);
    assert_eq!(c.points[0].date, "2026-03-02");
    assert_eq!(c.points[10].date, "2026-03-12");
    // c̄ = (40 + 90) / 20 = 6.5; every point is within 1σ ≈ 2.55, so only the runs show.
    assert_eq!(c.centre, 6.5);
    let fired: Vec<(Rule, Direction, usize, usize)> = c
        .signals
        .iter()
        .map(|s| (s.rule, s.direction, s.start, s.end))
        .collect();
    assert_eq!(
        fired,
        [
            (Rule::RunOfEight, Direction::Down, 0, 9),
            (Rule::RunOfEight, Direction::Up, 10, 19)
        ]
    );
    assert!(r.alerts.is_empty(), "a chart of past weeks alerts nobody");

    // Without a period, the chart runs from the first filing to today, empty days included.
    let open = s.report(&query(at(21, 12, 0)));
    assert_eq!(open.control.points.len(), 22);
    assert_eq!(open.control.points[21].count, 0);
}

#[test]
fn today_above_the_upper_limit_is_an_alert() {
    let mut s = Store::new();
    for day in 0..10 {
        for i in 0..4 {
            s.simple(at(day, 10, i), "front-desk");
        }
    }
    // Today: 15 by noon. c̄ = (40 + 15) / 11 = 5, UCL = 5 + 3√5 ≈ 11.71.
    for i in 0..15 {
        s.simple(at(10, 11, i * 3), "front-desk");
    }
    let r = s.report(&query(at(10, 12, 0)));
    assert_eq!(r.control.centre, 5.0);
    let Some(Alert::OutOfControl {
        date,
        count,
        ucl,
        direction,
        ..
    }) = r.alerts.last()
    else {
        panic!("no control alert: {:?}", r.alerts);
    };
    assert_eq!(
        (date.as_str(), *count, *direction),
        ("2026-03-12", 15, Direction::Up)
    );
    assert!((ucl - (5.0 + 3.0 * 5f64.sqrt())).abs() < 1e-12);
    // A week later the same chart is history.
    let mut later = query(at(17, 12, 0));
    later.filter.to = Some(Timestamp(at(11, 0, 0)));
    assert!(s.report(&later).alerts.is_empty());
}

/// Four cases worked in full, the numbers of `every_measure_is_counted_as_by_hand`.
fn four_cases() -> (Store, [u128; 4]) {
    let mut s = Store::new();
    let t = at(0, 10, 0);
    // A: billing, asks for a refund; refunded, the fix did not hold, refunded again.
    let a = s.file(
        t,
        "checkout-2",
        draft(
            Category::Billing,
            &[FairSolution::Refund],
            "ana@example.com",
        ),
    );
    s.ack(a, t + 2 * M, ana());
    s.step(
        a,
        t + 5 * M,
        EventKind::Noted {
            by: ana(),
            note: "Charged twice, 12,50.".into(),
        },
    );
    s.resolve(a, t + 30 * M, Remedy::Refund, 500, Some(t + 3 * 24 * H));
    s.rate(a, t + 31 * M, 4);
    s.follow(a, t + 3 * 24 * H + M, false);
    s.resolve(a, t + 3 * 24 * H + 2 * M, Remedy::Refund, 300, None);
    s.rate(a, t + 3 * 24 * H + 3 * M, 3);
    s.close(
        a,
        t + 3 * 24 * H + 4 * M,
        CauseCategory::Equipment,
        "Till froze",
    );
    // B: waiting, asks for an apology and a discount; gets a voucher.
    let b = s.file(
        t + H,
        "front-desk",
        draft(
            Category::Waiting,
            &[FairSolution::Apology, FairSolution::Discount],
            "",
        ),
    );
    s.ack(b, t + H + 10 * M, bo());
    s.resolve(b, t + 2 * H, Remedy::Voucher, 200, None);
    s.rate(b, t + 2 * H + M, 2);
    s.close(
        b,
        t + 2 * H + 2 * M,
        CauseCategory::Process,
        "Short staffed at peak",
    );
    // C: product, asks nothing; acknowledged only.
    let c = s.file(t + 2 * H, "front-desk", draft(Category::Product, &[], ""));
    s.ack(c, t + 2 * H + 4 * M, bo());
    // D: product, the same customer as A (a repeat); asks for a replacement, gets a refund.
    let d = s.file(
        t + 3 * H,
        "checkout-2",
        draft(
            Category::Product,
            &[FairSolution::Replacement],
            " ANA@example.com",
        ),
    );
    s.ack(d, t + 3 * H + 6 * M, ana());
    s.resolve(d, t + 5 * H, Remedy::Refund, 1500, Some(t + 4 * 24 * H));
    s.rate(d, t + 5 * H + M, 5);
    s.follow(d, t + 4 * 24 * H + M, true);
    s.close(
        d,
        t + 4 * 24 * H + 2 * M,
        CauseCategory::Equipment,
        "till froze",
    );
    (s, [a, b, c, d])
}

#[test]
fn every_measure_is_counted_as_by_hand() {
    let (s, _) = four_cases();
    let r = s.report(&query(at(10, 0, 0)));
    assert_eq!(r.cases, 4);
    // Acknowledged after 2, 10, 4 and 6 minutes: sorted 2, 4, 6, 10; median rank ⌈2⌉ = 2,
    // p90 rank ⌈3.6⌉ = 4.
    assert_eq!(
        r.acknowledge,
        Durations {
            count: 4,
            median_ms: Some(4 * M),
            p90_ms: Some(10 * M)
        }
    );
    // First resolutions after 30, 60 and 120 minutes (A's second one does not count).
    assert_eq!(
        r.resolve,
        Durations {
            count: 3,
            median_ms: Some(60 * M),
            p90_ms: Some(120 * M)
        }
    );
    // Latest ratings 3 (A's second fix), 2 and 5.
    assert_eq!(r.rating.count, 3);
    assert_eq!(r.rating.stars, [0, 1, 1, 0, 1]);
    assert!((r.rating.mean.unwrap() - 10.0 / 3.0).abs() < 1e-12);
    assert_eq!(
        r.follow_up,
        FollowUps {
            followed_up: 2,
            reopened: 1,
            share_reopened: Some(0.5)
        }
    );
    assert_eq!(
        r.repeats,
        Repeats {
            cases: 4,
            repeats: 1,
            share: Some(0.25)
        }
    );
    // Fair solutions: A got its refund; B its apology and (as a voucher) its discount; D asked
    // for a replacement and got a refund. C was never resolved.
    assert_eq!(
        (r.fair.resolved, r.fair.asked_nothing, r.fair.met),
        (3, 0, 2)
    );
    assert!((r.fair.share_met.unwrap() - 2.0 / 3.0).abs() < 1e-12);
    let row = |f: FairSolution| &r.fair.rows[f as usize];
    assert_eq!(
        row(FairSolution::Replacement).asked,
        FairSolution::Replacement
    );
    assert_eq!(
        (
            row(FairSolution::Replacement).cases,
            row(FairSolution::Replacement).met
        ),
        (1, 0)
    );
    assert_eq!(
        row(FairSolution::Replacement).got[Remedy::Refund as usize],
        1
    );
    assert_eq!(
        (
            row(FairSolution::Discount).met,
            row(FairSolution::Discount).got[Remedy::Voucher as usize]
        ),
        (1, 1)
    );
    assert_eq!(row(FairSolution::Repair).cases, 0);
    // Costs: A 500 + 300, B 200, D 1500.
    assert_eq!((r.costs.resolved, r.costs.total_minor), (3, 2500));
    let cost = |c: Category| &r.costs.by_category[c as usize];
    assert_eq!(
        (
            cost(Category::Billing).total_minor,
            cost(Category::Billing).mean_minor
        ),
        (800, Some(800.0))
    );
    assert_eq!(
        (
            cost(Category::Product).cases,
            cost(Category::Product).resolved,
            cost(Category::Product).total_minor
        ),
        (2, 1, 1500)
    );
    assert_eq!(cost(Category::Delivery).mean_minor, None);
    // Paretos and the fishbone.
    let bars = |b: &[Bar]| {
        b.iter()
            .map(|b| (b.key.clone(), b.count, b.cumulative))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        bars(&r.categories),
        [
            ("product".into(), 2, 0.5),
            ("billing".into(), 1, 0.75),
            ("waiting".into(), 1, 1.0)
        ]
    );
    assert_eq!(
        bars(&r.causes),
        [
            ("equipment".into(), 2, 2.0 / 3.0),
            ("process".into(), 1, 1.0)
        ]
    );
    assert_eq!(r.fishbone.len(), 6);
    let bone = &r.fishbone[CauseCategory::Equipment as usize];
    assert_eq!((bone.category, bone.count), (CauseCategory::Equipment, 2));
    assert_eq!(
        bars(&bone.sub_causes),
        [("Till froze".into(), 2, 1.0)],
        "grouped ignoring case"
    );
    assert_eq!(r.fishbone[CauseCategory::People as usize].count, 0);
    assert!(
        r.fishbone[CauseCategory::People as usize]
            .sub_causes
            .is_empty()
    );
}

#[test]
fn filters_pick_the_period_touchpoint_and_store() {
    let mut s = Store::new();
    let a = s.simple(at(0, 9, 0), "front-desk");
    let b = s.simple(at(1, 9, 0), "checkout-2");
    let c = s.simple(at(2, 9, 0), "front-desk");
    let other = s.file_at(
        "other",
        at(1, 9, 0),
        "front-desk",
        draft(Category::Waiting, &[], ""),
    );
    let ids = |q: &Query| -> Vec<u128> {
        export(&s.ledger, q)
            .iter()
            .map(|r| r.case_id.0.as_u128())
            .collect()
    };
    let mut q = query(at(5, 0, 0));
    assert_eq!(ids(&q), [a, b, other, c], "oldest first, ties by id");
    q.filter.store = Some(slug("demo"));
    assert_eq!(ids(&q), [a, b, c]);
    assert_eq!(s.report(&q).cases, 3);
    // From is inclusive, to exclusive.
    q.filter.from = Some(Timestamp(at(1, 9, 0)));
    q.filter.to = Some(Timestamp(at(2, 9, 0)));
    assert_eq!(ids(&q), [b]);
    q.filter.to = Some(Timestamp(at(2, 9, 0) + 1));
    assert_eq!(ids(&q), [b, c]);
    q.filter.touchpoint = Some(slug("front-desk"));
    assert_eq!(ids(&q), [c]);
    let r = s.report(&q);
    assert_eq!(r.cases, 1);
    assert_eq!(
        r.control.points.len(),
        2,
        "3 and 4 March: the days of the period"
    );
}

#[test]
fn an_empty_ledger_gives_an_empty_report() {
    let r = insights(&Ledger::default(), &query(at(0, 12, 0)));
    assert_eq!(r.cases, 0);
    assert!(r.control.points.is_empty());
    assert_eq!(r.rating.mean, None);
    assert_eq!(r.acknowledge.median_ms, None);
    assert_eq!(r.fair.share_met, None);
    assert!(r.alerts.is_empty());
    assert_eq!(latest_offset(&Ledger::default()), 0);
}

#[test]
fn export_rows_carry_the_documentation_but_never_the_contact() {
    let (s, [a, ..]) = four_cases();
    let rows = export(&s.ledger, &query(at(10, 0, 0)));
    assert_eq!(rows.len(), 4);
    let r = &rows[0];
    assert_eq!(r.case_id.0.as_u128(), a);
    assert_eq!(r.filed_at, "2026-03-02T10:00:00+07:00");
    assert_eq!(
        r.acknowledged_at.as_deref(),
        Some("2026-03-02T10:02:00+07:00")
    );
    assert_eq!(r.acknowledged_by, Some(slug("ana")));
    assert_eq!(r.seconds_to_acknowledge, Some(120));
    assert_eq!(r.seconds_to_resolve, Some(1800));
    assert_eq!(r.notes.len(), 1);
    assert_eq!(r.notes[0].text, "Charged twice, 12,50.");
    assert_eq!(
        (r.remedy, r.value_minor, r.value_total_minor),
        (Some(Remedy::Refund), Some(300), 800)
    );
    assert_eq!((r.stars, r.fix_held, r.reopened), (Some(3), Some(false), 1));
    assert_eq!(r.cause_category, Some(CauseCategory::Equipment));
    assert_eq!(r.people, ["Ana", "Till vendor"]);
    assert!(r.contact_given && r.consent_to_contact && !r.repeat);
    assert!(rows[3].repeat, "D is A's customer again");
    let csv = to_csv(&rows);
    assert!(!csv.to_lowercase().contains("ana@example.com"));
    // The JSON rows have exactly the CSV's columns.
    let json = serde_json::to_value(&rows[0]).unwrap();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut columns: Vec<&str> = CSV_COLUMNS.iter().map(|(name, _)| *name).collect();
    keys.sort_unstable();
    columns.sort_unstable();
    assert_eq!(keys, columns);
    let back: Vec<ExportRow> =
        serde_json::from_str(&serde_json::to_string(&rows).unwrap()).unwrap();
    assert_eq!(back, rows);
}

/// Reads RFC 4180 CSV back into rows of cells.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "lines end in CRLF"),
            (false, '\n') => panic!("a bare LF outside quotes"),
            (false, c) => cell.push(c),
        }
        if !quoted && ch == '\r' {
            row.push(std::mem::take(&mut cell));
            rows.push(std::mem::take(&mut row));
        }
    }
    assert!(
        cell.is_empty() && row.is_empty(),
        "the last line ends in CRLF"
    );
    rows
}

#[test]
fn csv_quotes_what_needs_it_and_defuses_formulas_whatever_the_script() {
    let mut s = Store::new();
    let nasty = [
        "=HYPERLINK(\"http://example.com\",\"click\")",
        "+49 171 5550100",
        "-2+3",
        "@SUM(A1:A9)",
        "Kassen \"snabb\", sa de.\nRad två: Åsa ß é\u{301} 😀 مرحبا 中文",
    ];
    for (i, text) in nasty.iter().enumerate() {
        let mut d = draft(Category::Other, &[], "");
        d.description = (*text).into();
        let case = s.file(at(0, 9, i as i64), "front-desk", d);
        s.ack(case, at(0, 9, i as i64) + 1, ana());
        s.step(
            case,
            at(0, 9, i as i64) + 1,
            EventKind::Noted {
                by: ana(),
                note: "-12".into(),
            },
        );
    }
    let rows = export(&s.ledger, &query(at(1, 0, 0)));
    let csv = to_csv(&rows);
    let table = parse_csv(&csv);
    assert_eq!(table.len(), 1 + nasty.len());
    assert_eq!(table[0].len(), CSV_COLUMNS.len());
    let col = |name: &str| CSV_COLUMNS.iter().position(|(n, _)| *n == name).unwrap();
    let descriptions: Vec<&str> = table[1..]
        .iter()
        .map(|r| r[col("description")].as_str())
        .collect();
    assert_eq!(
        descriptions,
        [
            "'=HYPERLINK(\"http://example.com\",\"click\")",
            "'+49 171 5550100",
            "'-2+3",
            "'@SUM(A1:A9)",
            "Kassen \"snabb\", sa de.\nRad två: Åsa ß é\u{301} 😀 مرحبا 中文",
        ]
    );
    // The raw text doubles quotes inside a quoted cell.
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://example.com\"\",\"\"click\"\")\""));
    // A note is "time by: text", so "-12" alone is never at the start of a cell; a plain
    // number cell stays a number.
    assert!(table[1][col("notes")].ends_with("ana: -12"));
    let mut one = String::new();
    super::export::cell(&mut one, "-12");
    assert_eq!(one, "-12");
    assert!(table.iter().all(|r| r.len() == CSV_COLUMNS.len()));
}

/// The report as a server makes it: each case folded from its own events into its brief and
/// digest (newest case first, as no order is promised), the report from those alone; and the
/// export from the briefs, with the chosen cases folded `batch` at a time into a ledger of
/// their own.
fn by_batches(ledger: &Ledger, query: &Query, batch: usize) -> (Insights, Vec<ExportRow>) {
    let (mut briefs, mut digests, mut shift) = (Vec::new(), Vec::new(), Vec::new());
    let staff = query.filter.staff.as_ref();
    for case in ledger.cases().collect::<Vec<_>>().into_iter().rev() {
        let events: Vec<&Event> = ledger.events_of(case.id).collect();
        let folded = crate::case::fold(events.iter().copied()).unwrap().unwrap();
        briefs.push(Brief::of(&folded, &query.contact_salt));
        digests.push(Digest::of(&folded, events.iter().copied()));
        shift.extend(
            events
                .iter()
                .filter(|e| e.kind.actor().is_some_and(|a| Some(&a.staff) == staff))
                .map(|e| e.time().0),
        );
    }
    // Put in one at a time, some of them twice (a case that changed again), gives the same.
    let mut put = Reports::default();
    for (b, d) in briefs
        .iter()
        .zip(&digests)
        .chain(briefs.iter().zip(&digests).step_by(3))
    {
        put.put(b.clone(), d.clone());
    }
    assert_eq!(put.len(), briefs.len());
    let report = Reports::from_parts(briefs.clone(), digests).insights(query);
    assert_eq!(put.insights(query), report);
    let sel = Selection::new(query.clone(), briefs, shift);
    let mut rows = Vec::new();
    for ids in sel.chosen().chunks(batch) {
        let mut part = Ledger::default();
        for id in ids {
            for e in ledger.events_of(*id) {
                part.record(e.clone()).unwrap();
            }
        }
        for case in ids.iter().filter_map(|id| part.case(*id)) {
            rows.extend(export_row(&sel, &part, case));
        }
    }
    (report, rows)
}

#[test]
fn a_report_from_each_cases_digest_and_an_export_in_batches_are_the_whole_ones() {
    let (mut four, _) = four_cases();
    // Two more filings by A's customer: repeats found across batches.
    for day in [4, 6] {
        four.file(
            at(day, 10, 0),
            "front-desk",
            draft(Category::Billing, &[], "ANA@example.com "),
        );
    }
    // And a burst at checkout 2 this morning: a spike.
    let mut spike = planted_morning_spike();
    for minute in 0..12 {
        spike.simple(at(28, 9, minute * 4), "checkout-2");
    }
    let mut checked = 0;
    for (s, now) in [(&four, at(10, 0, 0)), (&spike, at(28, 9, 59))] {
        let mut q = query(now);
        q.contact_salt = "salt".into();
        let mut queries = vec![q.clone()];
        for staff in ["ana", "bo"] {
            let mut q = q.clone();
            q.filter.staff = Some(slug(staff));
            queries.push(q);
        }
        let mut q = q.clone();
        q.filter.touchpoint = Some(slug("checkout-2"));
        q.filter.from = Some(Timestamp(at(0, 12, 0)));
        queries.push(q);
        for q in &queries {
            let whole = (insights(&s.ledger, q), export(&s.ledger, q));
            assert!(whole.0.cases > 0, "{:?}", q.filter);
            for batch in [1, 3, 1000] {
                assert_eq!(by_batches(&s.ledger, q, batch), whole, "{:?}", q.filter);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 24);
    // The fixtures do reach repeats, spikes and the staff filter.
    let mut q = query(at(10, 0, 0));
    q.contact_salt = "salt".into();
    assert_eq!(by_batches(&four.ledger, &q, 1).0.repeats.repeats, 3);
    let spiked = by_batches(&spike.ledger, &query(at(28, 9, 59)), 2).0;
    assert!(
        spiked
            .alerts
            .iter()
            .any(|a| matches!(a, Alert::Spike { .. }))
    );
}

#[test]
fn failures_that_could_have_been_prevented_are_counted_among_those_answered() {
    let mut s = Store::new();
    let answers = [Some(true), Some(false), Some(true), None];
    for (i, avoidable) in answers.into_iter().enumerate() {
        let case = s.simple(at(0, 9 + i as i64, 0), "front-desk");
        let by = ana();
        let apology = "I am sorry.".into();
        s.step(
            case,
            at(0, 9 + i as i64, 5),
            EventKind::Acknowledged {
                by,
                apology,
                avoidable,
            },
        );
    }
    s.simple(at(0, 14, 0), "front-desk");
    let q = query(at(1, 0, 0));
    let r = s.report(&q);
    assert_eq!(r.cases, 5);
    assert_eq!(
        (
            r.avoidable.answered,
            r.avoidable.avoidable,
            r.avoidable.share
        ),
        (3, 2, Some(2.0 / 3.0))
    );
    let rows = export(&s.ledger, &q);
    let column: Vec<Option<bool>> = rows.iter().map(|r| r.avoidable).collect();
    assert_eq!(column, [Some(true), Some(false), Some(true), None, None]);
    let csv = to_csv(&rows);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let column = header.iter().position(|h| *h == "avoidable").unwrap();
    assert_eq!(
        csv.lines().nth(1).unwrap().split(',').nth(column),
        Some("true")
    );
}

#[test]
fn contributing_factors_join_the_fishbone_and_tries_to_reach_the_export() {
    use CauseCategory::{Equipment, People, Process};
    let factor = |category, sub: &str| Factor {
        category,
        sub_cause: sub.into(),
    };
    let mut s = Store::new();
    let close = |s: &mut Store, case, main, sub: &str, factors| {
        let cause = Cause {
            category: main,
            sub_cause: sub.into(),
            departments: vec![],
            people: vec![],
            explanation: "It went wrong.".into(),
            factors,
        };
        s.step(case, at(1, 12, 0), EventKind::Closed { by: ana(), cause });
    };
    let mut cases = Vec::new();
    for n in 0..3 {
        let case = s.simple(at(1, 10, n), "front-desk");
        s.ack(case, at(1, 10, 5 + n), ana());
        s.resolve(case, at(1, 11, n), Remedy::ApologyOnly, 0, None);
        cases.push(case);
    }
    let [a, b, c] = cases[..] else { unreachable!() };
    close(
        &mut s,
        a,
        Equipment,
        "Till froze",
        vec![factor(People, "New cashier"), factor(Process, "")],
    );
    // The same bone twice counts the case once there; its own bone is not "contributing".
    close(
        &mut s,
        b,
        People,
        "new cashier",
        vec![
            factor(Equipment, "till froze"),
            factor(Equipment, "Card reader"),
            factor(People, "No handover"),
        ],
    );
    close(&mut s, c, Process, "Queue", vec![]);
    let call = |s: &mut Store, at, reached| {
        let kind = EventKind::Contacted {
            by: ana(),
            channel: ContactChannel::Phone,
            reached,
            note: String::new(),
        };
        s.step(a, at, kind);
    };
    call(&mut s, at(1, 10, 30), false);
    call(&mut s, at(1, 10, 40), true);

    let report = s.report(&query(at(2, 0, 0)));
    let bone = |c: CauseCategory| report.fishbone.iter().find(|b| b.category == c).unwrap();
    let subs = |c| {
        bone(c)
            .sub_causes
            .iter()
            .map(|b| (b.key.clone(), b.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        (bone(Equipment).count, bone(Equipment).contributing),
        (1, 1)
    );
    assert_eq!((bone(People).count, bone(People).contributing), (1, 1));
    assert_eq!((bone(Process).count, bone(Process).contributing), (1, 1));
    assert_eq!(
        subs(Equipment),
        [("Till froze".to_owned(), 2), ("Card reader".to_owned(), 1)]
    );
    assert_eq!(
        subs(People),
        [("New cashier".to_owned(), 2), ("No handover".to_owned(), 1)]
    );
    // A factor without words adds to its bone's count, not to its sub-causes.
    assert_eq!(subs(Process), [("Queue".to_owned(), 1)]);
    // The Pareto of causes still counts each case once, by its main cause.
    assert_eq!(report.causes.iter().map(|b| b.count).sum::<u32>(), 3);

    let rows = export(&s.ledger, &query(at(2, 0, 0)));
    let row = rows.iter().find(|r| r.case_id.0.as_u128() == a).unwrap();
    assert_eq!(row.factors.len(), 2);
    assert_eq!(row.contact_attempts, 2);
    assert_eq!(
        row.customer_reached_at.as_deref(),
        Some("2026-03-03T10:40:00+07:00")
    );
    let table = parse_csv(&to_csv(&rows));
    let column = |name: &str| table[0].iter().position(|h| h == name).unwrap();
    let line = table
        .iter()
        .find(|l| l[column("case_id")] == row.case_id.to_string())
        .unwrap();
    assert_eq!(line[column("factors")], "people: New cashier; process");
    assert_eq!(line[column("contact_attempts")], "2");
}

#[test]
fn kept_reports_follow_every_change_to_the_ledger_and_a_new_salt() {
    let (mut s, [a, _, c, _]) = four_cases();
    let mut q = query(at(10, 0, 0));
    q.contact_salt = "salt".into();
    let mut kept = Reports::default();
    let check = |kept: &mut Reports, s: &Store, q: &Query| {
        kept.refresh(&s.ledger, &q.contact_salt);
        let fresh = insights(&s.ledger, q);
        assert_eq!(kept.insights(q), fresh);
        let briefs: Vec<Brief> = s
            .ledger
            .cases()
            .map(|c| Brief::of(c, &q.contact_salt))
            .collect();
        assert_eq!(kept.briefs(), briefs.as_slice());
        fresh
    };
    let first = check(&mut kept, &s, &q);
    // A new case and a step on it, a filing by a contact seen before (a repeat).
    let n = s.simple(at(9, 11, 0), "front-desk");
    s.ack(n, at(9, 12, 0), bo());
    s.file(
        at(9, 13, 0),
        "cafe",
        draft(Category::Billing, &[], "ana@example.com"),
    );
    let second = check(&mut kept, &s, &q);
    assert_ne!(first, second);
    assert_eq!(second.repeats.repeats, first.repeats.repeats + 1);
    // A case put back as a server keeps it, another taken out step by step, one forgotten.
    let case = s.ledger.case(CaseId(Uuid::from_u128(c))).cloned().unwrap();
    let events: Vec<Event> = s.ledger.events_of(case.id).cloned().collect();
    let last = events.iter().max_by_key(|e| (e.time(), e.id)).unwrap().id;
    s.ledger.restore(case.clone(), events);
    check(&mut kept, &s, &q);
    assert!(s.ledger.remove(last));
    check(&mut kept, &s, &q);
    s.ledger.forget_customer(CaseId(Uuid::from_u128(a)));
    check(&mut kept, &s, &q);
    // Another salt: every fingerprint again; the staff filter reads the digests' steps.
    q.contact_salt = "pepper".into();
    check(&mut kept, &s, &q);
    q.filter.staff = Some(slug("bo"));
    assert!(check(&mut kept, &s, &q).cases > 0);
}
