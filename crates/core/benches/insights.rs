//! Benchmark of the insights: builds a store of 10,000 and of 100,000 realistic cases
//! (deterministic, from a small xorshift generator: filings over 90 days in opening hours at
//! six touchpoints, most of them acknowledged, resolved, rated and closed with a cause, some
//! followed up and reopened), then prints how long it takes to fold their events into a
//! ledger (what the server does per request, and a device when it loads), to compute the
//! whole insights report, and to export every case as CSV. Each figure is the median of
//! several runs. It asserts nothing about time.
//!
//! Run: `cargo bench -p recovery-core --bench insights`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use recovery_core::insights::{Query, Reports, day_start, export, insights, parse_date, to_csv};
use recovery_core::{
    Actor, CaseId, Category, Cause, CauseCategory, ComplaintDraft, DeviceId, Event, EventId,
    EventKind, FairSolution, Impact, Ledger, Origin, Remedy, Role, Slug, Timestamp, validate,
};
use uuid::Uuid;

const M: i64 = 60_000;
const H: i64 = 3_600_000;
const DAYS: i64 = 90;
const OFFSET: i16 = 420;
const TOUCHPOINTS: [&str; 6] = [
    "front-desk",
    "checkout-1",
    "checkout-2",
    "fitting-room",
    "delivery-desk",
    "cafe",
];
const SUB_CAUSES: [&str; 8] = [
    "Till froze at peak",
    "Short staffed",
    "Wrong price label",
    "Late delivery partner",
    "Item out of stock",
    "Unclear return policy",
    "Spill not cleaned",
    "New starter untrained",
];

/// Marsaglia's xorshift64: deterministic and good enough to spread test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("valid slug")
}

/// The events of `cases` cases, as devices would have recorded them.
fn store(cases: usize) -> Vec<Event> {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let start = day_start(parse_date("2026-01-05").expect("a date"), OFFSET).0;
    let staff = [
        Actor {
            staff: slug("ana"),
            role: Role::Staff,
            limit_minor: 5_000,
        },
        Actor {
            staff: slug("bo"),
            role: Role::Staff,
            limit_minor: 5_000,
        },
        Actor {
            staff: slug("cy"),
            role: Role::Staff,
            limit_minor: 5_000,
        },
    ];
    let manager = Actor {
        staff: slug("max"),
        role: Role::Manager,
        limit_minor: 0,
    };
    let mut events = Vec::with_capacity(cases * 7);
    let mut next_id = 0u128;
    for _ in 0..cases {
        let case = CaseId(Uuid::from_u128(
            u128::from(rng.next()) << 64 | u128::from(rng.next()),
        ));
        let touchpoint = slug(TOUCHPOINTS[rng.below(TOUCHPOINTS.len() as u64) as usize]);
        let filed = start
            + rng.below(DAYS as u64) as i64 * 24 * H
            + (8 + rng.below(12) as i64) * H
            + rng.below(60) as i64 * M;
        let contact = rng
            .chance(30)
            .then(|| format!("guest{}@example.com", rng.below(2_000)));
        let draft = ComplaintDraft {
            category: Some(*rng.pick(&Category::ALL)),
            description: format!(
                "Something went wrong at {touchpoint}, number {}.",
                rng.below(1_000)
            ),
            impact: Some(*rng.pick(&[
                Impact::Minor,
                Impact::Minor,
                Impact::Moderate,
                Impact::Major,
            ])),
            happened_before: Some(rng.chance(8)),
            fair_solutions: vec![*rng.pick(&FairSolution::ALL)],
            consent_to_contact: contact.is_some(),
            contact: contact.unwrap_or_default(),
            ..Default::default()
        };
        let complaint = validate(&draft).expect("generated complaints are valid");
        let serious =
            complaint.happened_before == Some(true) || complaint.impact == Some(Impact::Major);
        let consent = complaint.consent_to_contact;
        let mut push = |at: i64, kind: EventKind| {
            next_id += 1;
            events.push(Event {
                id: EventId(Uuid::from_u128(next_id)),
                case,
                at: Timestamp(at),
                origin: Origin {
                    store: slug("demo"),
                    touchpoint: touchpoint.clone(),
                    device: DeviceId(Uuid::from_u128(1)),
                },
                kind,
                proof: None,
                clock: None,
            });
        };
        push(
            filed,
            EventKind::Filed {
                complaint,
                utc_offset_minutes: OFFSET,
            },
        );
        let by = rng.pick(&staff).clone();
        if !rng.chance(95) {
            continue;
        }
        let mut t = filed + (1 + rng.below(30) as i64) * M;
        push(
            t,
            EventKind::Acknowledged {
                by: by.clone(),
                apology: "I am sorry, let me put it right.".into(),
                avoidable: None,
            },
        );
        if rng.chance(40) {
            t += 5 * M;
            push(
                t,
                EventKind::Noted {
                    by: by.clone(),
                    note: "Talked it through with the customer.".into(),
                },
            );
        }
        if !rng.chance(90) {
            continue;
        }
        let resolver = if serious { manager.clone() } else { by.clone() };
        let resolve =
            |t: i64, follow: bool, rng: &mut Rng, push: &mut dyn FnMut(i64, EventKind)| {
                push(
                    t,
                    EventKind::Resolved {
                        by: resolver.clone(),
                        remedy: *rng.pick(&Remedy::ALL),
                        value_minor: rng.below(5_000) as u32,
                        gesture: if serious {
                            String::new()
                        } else {
                            "Free delivery".into()
                        },
                        follow_up_at: follow.then_some(Timestamp(t + 3 * 24 * H)),
                    },
                );
            };
        t += (10 + rng.below(600) as i64) * M;
        let follow = consent && rng.chance(60);
        resolve(t, follow, &mut rng, &mut push);
        if rng.chance(70) {
            t += 10 * M;
            push(
                t,
                EventKind::Rated {
                    stars: 1 + rng.below(5) as u8,
                    comment: String::new(),
                },
            );
        }
        if follow && rng.chance(50) {
            t = t.max(filed + 3 * 24 * H) + 24 * H;
            let held = rng.chance(85);
            push(
                t,
                EventKind::FollowedUp {
                    by: by.clone(),
                    held,
                    note: String::new(),
                },
            );
            if !held {
                t += H;
                resolve(t, false, &mut rng, &mut push);
            }
        }
        if rng.chance(80) {
            t += 30 * M;
            let cause = Cause {
                category: *rng.pick(&CauseCategory::ALL),
                sub_cause: (*rng.pick(&SUB_CAUSES)).into(),
                departments: vec!["Store".into()],
                people: vec![],
                explanation: "It was our mistake, and we have fixed it.".into(),
                factors: vec![],
            };
            push(t, EventKind::Closed { by, cause });
        }
    }
    events
}

/// The median time of `runs` runs of `f`.
fn median<R>(runs: usize, mut f: impl FnMut() -> R) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            black_box(f());
            started.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[runs / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    println!("== Insights: fold, report and export (median of runs)");
    for (cases, runs) in [(10_000, 7), (100_000, 3)] {
        let events = store(cases);
        let fold = median(runs, || {
            let mut ledger = Ledger::default();
            for e in &events {
                ledger.record(e.clone()).expect("generated events fold");
            }
            ledger
        });
        let mut ledger = Ledger::default();
        for e in events.iter().cloned() {
            ledger.record(e).expect("generated events fold");
        }
        let now =
            Timestamp(day_start(parse_date("2026-04-05").expect("a date"), OFFSET).0 + 10 * H);
        let query = Query::new(now, OFFSET);
        let report = insights(&ledger, &query);
        assert_eq!(report.cases as usize, cases, "every case is in the report");
        let compute = median(runs, || insights(&ledger, &query));
        // As a device reports again: the digests kept, none of the cases changed.
        let mut kept = Reports::default();
        kept.refresh(&ledger, &query.contact_salt);
        let again = median(runs, || {
            kept.refresh(&ledger, &query.contact_salt);
            kept.insights(&query)
        });
        let mut ana = query.clone();
        ana.filter.staff = Some(slug("ana"));
        let on_shift = median(runs, || insights(&ledger, &ana));
        // The same with the store's shift plan naming her: hours, not steps, decide.
        let mut planned = ana.clone();
        let hours = |text: &str| recovery_core::Hours::parse(text);
        let weekdays = [
            hours("07:00-15:00"),
            hours("07:00-15:00"),
            hours("07:00-15:00"),
            hours("07:00-15:00"),
            hours("07:00-15:00"),
            None,
            None,
        ];
        planned.shifts = recovery_core::ShiftPlan(vec![
            recovery_core::PlannedShift {
                name: "Morning".into(),
                hours: weekdays,
                staff: vec![slug("ana")],
            },
            recovery_core::PlannedShift {
                name: "Late".into(),
                hours: [hours("15:00-23:00"); 7],
                staff: vec![slug("bo")],
            },
            recovery_core::PlannedShift {
                name: "Night".into(),
                hours: [hours("23:00-07:00"); 7],
                staff: vec![],
            },
        ]);
        let by_plan = median(runs, || insights(&ledger, &planned));
        let csv = median(runs, || to_csv(&export(&ledger, &query)));
        println!(
            "{cases:>7} cases, {:>7} events: fold into a ledger {:>10}, insights {:>9}, \
             again with the digests kept {:>9}, \
             insights for one staff member's shifts {:>9} (by a shift plan {:>9}), \
             export as CSV {:>9} \
             ({} control-chart days, {} signals, {} alerts)",
            events.len(),
            ms(fold),
            ms(compute),
            ms(again),
            ms(on_shift),
            ms(by_plan),
            ms(csv),
            report.control.points.len(),
            report.control.signals.len(),
            report.alerts.len(),
        );
    }
}
