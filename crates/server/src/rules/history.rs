//! A made-up history of complaints for the demo store, for demonstrations, the end-to-end
//! tests and the benchmarks of the insights (`seed-demo --cases N --seed S`).
//!
//! Deterministic for a seed and a moment: cases filed over the last 88 days in opening
//! hours (busier at lunch and after work) at the demo touchpoints, most of them worked
//! through the four steps by the demo staff (Ana, or Max for the serious ones that need a
//! manager), rated, followed up and closed with a documented cause. No filing of that history
//! lies in the last hour of any day (counted back from the moment), and the last few cases
//! are filed within the last hour at the delivery desk: a planted spike that the staff screen
//! must flag. Every event passes the core's fold, so the server takes it like any device's.

use recovery_core::{
    Actor, CaseId, Category, Cause, CauseCategory, ComplaintDraft, DeviceId, Event, EventId,
    EventKind, FairSolution, Impact, Origin, Remedy, Role, Slug, Timestamp, validate,
};
use uuid::Uuid;

use super::staff::{AdminError, DEMO_STAFF, DEMO_STORE, DEMO_TOUCHPOINTS};
use crate::store::{Database, DbError, Mode};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// Days of history back from the moment (today included, so "last 90 days" holds them all).
pub const HISTORY_DAYS: i64 = 88;
/// Cases of the planted spike, filed in the last hour.
pub const SPIKE_CASES: usize = 6;
/// The touchpoint of the planted spike.
pub const SPIKE_TOUCHPOINT: &str = "delivery-desk";

const SUB_CAUSES: [(CauseCategory, &str); 8] = [
    (CauseCategory::Equipment, "Card terminal froze"),
    (CauseCategory::People, "Too few people on the floor"),
    (CauseCategory::Process, "Price label not updated"),
    (CauseCategory::Place, "Queue blocked the aisle"),
    (CauseCategory::Product, "Seam came apart"),
    (CauseCategory::Policy, "Return rule unclear"),
    (CauseCategory::Process, "Courier handover missed"),
    (CauseCategory::People, "New colleague not yet trained"),
];

/// A small deterministic generator (xorshift64*), enough to spread made-up data.
struct Dice(u64);

impl Dice {
    fn new(seed: u64) -> Dice {
        // Never zero, and different seeds start far apart.
        Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn roll(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.roll() % n.max(1)
    }
    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
    fn uuid(&mut self) -> Uuid {
        uuid::Builder::from_random_bytes(
            (u128::from(self.roll()) << 64 | u128::from(self.roll())).to_le_bytes(),
        )
        .into_uuid()
    }
}

/// Filings per local hour of the day, 08:00 to 19:59: a lunch peak and an after-work peak.
const HOUR_WEIGHTS: [u64; 12] = [2, 3, 4, 6, 8, 6, 4, 4, 6, 8, 6, 3];

/// What history to make up.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The store.
    pub store: Slug,
    /// Its touchpoints (at least one).
    pub touchpoints: Vec<Slug>,
    /// The staff member who works most cases.
    pub staff: Actor,
    /// The manager, who resolves the serious ones.
    pub manager: Actor,
    /// How many cases.
    pub cases: usize,
    /// The generator's seed.
    pub seed: u64,
    /// The moment the history ends, epoch milliseconds.
    pub now_ms: i64,
    /// The store's clock, minutes east of UTC.
    pub offset_minutes: i16,
}

/// The events of the plan's cases, oldest case first. The last [`SPIKE_CASES`] cases (when
/// there are at least twice that many) are the planted spike.
pub fn generate(plan: &Plan) -> Vec<Event> {
    let Plan {
        store,
        touchpoints,
        staff,
        manager,
        cases,
        seed,
        now_ms,
        offset_minutes,
    } = plan;
    let (cases, now_ms, offset_minutes) = (*cases, *now_ms, *offset_minutes);
    if touchpoints.is_empty() {
        return Vec::new();
    }
    let mut dice = Dice::new(*seed);
    let offset = i64::from(offset_minutes) * MINUTE;
    let today = (now_ms + offset).div_euclid(DAY) * DAY - offset;
    let device = DeviceId(dice.uuid());
    let spike = touchpoints
        .iter()
        .find(|t| t.as_str() == SPIKE_TOUCHPOINT)
        .or(touchpoints.first())
        .cloned();
    let planted = if cases >= SPIKE_CASES * 2 {
        SPIKE_CASES
    } else {
        0
    };
    let weight_sum: u64 = HOUR_WEIGHTS.iter().sum();
    let mut events = Vec::with_capacity(cases * 6);
    for n in 0..cases {
        let (filed, touchpoint) = match (n >= cases - planted, &spike) {
            (true, Some(t)) => (now_ms - (5 + dice.below(50) as i64) * MINUTE, t.clone()),
            _ => loop {
                let mut w = dice.below(weight_sum);
                let hour = HOUR_WEIGHTS
                    .iter()
                    .position(|&h| {
                        let hit = w < h;
                        w = w.saturating_sub(h);
                        hit
                    })
                    .unwrap_or(0) as i64;
                let at = today - dice.below(HISTORY_DAYS as u64) as i64 * DAY
                    + (8 + hour) * HOUR
                    + dice.below(60) as i64 * MINUTE;
                // Outside every day's last hour before now, so the spike stands out.
                if at <= now_ms - HOUR && (now_ms - at).rem_euclid(DAY) >= HOUR {
                    let t = touchpoints[dice.below(touchpoints.len() as u64) as usize].clone();
                    break (at, t);
                }
            },
        };
        one_case(
            &mut dice,
            &mut events,
            Origin {
                store: store.clone(),
                touchpoint,
                device,
            },
            filed,
            (staff, manager),
            now_ms,
            offset_minutes,
        );
    }
    events
}

/// Events stored per write transaction while seeding.
const SEED_BATCH: usize = 2_000;

/// Adds `cases` made-up cases (seed `seed`, ending at `now_ms`, on UTC's clock) to the demo
/// store, which `staff::seed_demo` made, through the same checks as a device's push, and
/// returns how many events were stored. Seeding again with the same seed and moment stores
/// nothing new; any refused event is an error (the generator must make valid histories).
pub async fn seed(
    db: &Database,
    cases: usize,
    seed: u64,
    now_ms: i64,
) -> Result<usize, AdminError> {
    let store = Slug::parse(DEMO_STORE).map_err(|_| AdminError::NoStore(DEMO_STORE.into()))?;
    let actor = |(id, _, role, limit_minor, _): (&str, &str, Role, u32, &str)| {
        Slug::parse(id).ok().map(|staff| Actor {
            staff,
            role,
            limit_minor,
        })
    };
    let (Some(staff), Some(manager)) = (actor(DEMO_STAFF[0]), actor(DEMO_STAFF[1])) else {
        return Err(AdminError::NoStore(DEMO_STORE.into()));
    };
    let plan = Plan {
        store: store.clone(),
        touchpoints: DEMO_TOUCHPOINTS
            .iter()
            .filter_map(|t| Slug::parse(t).ok())
            .collect(),
        staff,
        manager,
        cases,
        seed,
        now_ms,
        offset_minutes: 0,
    };
    let events = tokio::task::spawn_blocking(move || generate(&plan))
        .await
        .map_err(|err| DbError::Task(err.to_string()))?;
    let mut stored = 0;
    for batch in events.chunks(SEED_BATCH) {
        let values = batch
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| DbError::Task(err.to_string()))?;
        let operator = super::sync::Credential {
            store: store.clone(),
            holder: super::sync::Holder::Operator,
        };
        let outcomes = db
            .transaction(Mode::Write, move |db| {
                super::sync::push(
                    db,
                    Some(&operator),
                    values,
                    &super::sync::Carried {
                        received_at_ms: now_ms,
                        ..Default::default()
                    },
                )
            })
            .await?;
        for outcome in outcomes {
            match outcome.receipt {
                recovery_core::Receipt::Stored => stored += 1,
                recovery_core::Receipt::Duplicate => {}
                recovery_core::Receipt::Rejected(_) => {
                    return Err(AdminError::Refused(outcome.detail.unwrap_or_default()));
                }
            }
        }
    }
    Ok(stored)
}

/// One case's events, each step a little after the one before, none after `now`.
fn one_case(
    dice: &mut Dice,
    events: &mut Vec<Event>,
    origin: Origin,
    filed: i64,
    (staff, manager): (&Actor, &Actor),
    now: i64,
    offset_minutes: i16,
) {
    let case = CaseId(dice.uuid());
    let contact = dice.percent(35);
    let draft = ComplaintDraft {
        category: Some(Category::ALL[dice.below(Category::ALL.len() as u64) as usize]),
        description: format!(
            "Made-up complaint number {} at {}.",
            dice.below(100_000),
            origin.touchpoint
        ),
        impact: Some(
            [
                Impact::Minor,
                Impact::Minor,
                Impact::Moderate,
                Impact::Major,
            ][dice.below(4) as usize],
        ),
        happened_before: Some(dice.percent(7)),
        fair_solutions: vec![
            FairSolution::ALL[dice.below(FairSolution::ALL.len() as u64) as usize],
        ],
        consent_to_contact: contact,
        contact: if contact {
            format!("guest{}@example.com", dice.below(3_000))
        } else {
            String::new()
        },
        ..ComplaintDraft::default()
    };
    let Ok(complaint) = validate(&draft) else {
        return;
    };
    let serious =
        complaint.happened_before == Some(true) || complaint.impact == Some(Impact::Major);
    let mut push = |at: i64, kind: EventKind, dice: &mut Dice| -> bool {
        if at > now - MINUTE {
            return false;
        }
        events.push(Event {
            id: EventId(dice.uuid()),
            case,
            at: Timestamp(at),
            origin: origin.clone(),
            kind,
            proof: None,
            clock: None,
        });
        true
    };
    push(
        filed,
        EventKind::Filed {
            complaint,
            utc_offset_minutes: offset_minutes,
        },
        dice,
    );
    if !dice.percent(94) {
        return;
    }
    let by = if dice.percent(15) { manager } else { staff };
    let mut t = filed + (1 + dice.below(40) as i64) * MINUTE;
    let ack = EventKind::Acknowledged {
        by: by.clone(),
        apology: "I am sorry this happened; let me put it right now.".into(),
        avoidable: None,
    };
    if !push(t, ack, dice) {
        return;
    }
    if dice.percent(40) {
        t += (2 + dice.below(10) as i64) * MINUTE;
        let note = EventKind::Noted {
            by: by.clone(),
            note: "Went through what happened with the customer.".into(),
        };
        if !push(t, note, dice) {
            return;
        }
    }
    if !dice.percent(88) {
        return;
    }
    let resolver = if serious { manager } else { by };
    let follow = contact && dice.percent(60);
    let resolution = |t: i64, follow: bool, dice: &mut Dice| {
        let cap = if resolver.role == Role::Manager {
            6_000
        } else {
            u64::from(resolver.limit_minor.min(6_000))
        };
        EventKind::Resolved {
            by: resolver.clone(),
            remedy: Remedy::ALL[dice.below(Remedy::ALL.len() as u64) as usize],
            value_minor: dice.below(cap + 1) as u32,
            gesture: if serious {
                String::new()
            } else {
                "Free delivery next time".into()
            },
            follow_up_at: follow.then_some(Timestamp(t + 3 * DAY)),
        }
    };
    t += (10 + dice.below(900) as i64) * MINUTE;
    let resolved = resolution(t, follow, dice);
    if !push(t, resolved, dice) {
        return;
    }
    if dice.percent(70) {
        t += 5 * MINUTE;
        let stars = [5, 5, 4, 4, 4, 3, 2, 1][dice.below(8) as usize];
        let rated = EventKind::Rated {
            stars,
            comment: String::new(),
        };
        if !push(t, rated, dice) {
            return;
        }
    }
    if follow && dice.percent(60) {
        t += 3 * DAY + HOUR;
        let held = dice.percent(85);
        let followed = EventKind::FollowedUp {
            by: by.clone(),
            held,
            note: String::new(),
        };
        if !push(t, followed, dice) {
            return;
        }
        if !held {
            t += HOUR;
            let again = resolution(t, false, dice);
            if !push(t, again, dice) {
                return;
            }
        }
    }
    if dice.percent(80) {
        t += 30 * MINUTE;
        let (category, sub_cause) = SUB_CAUSES[dice.below(SUB_CAUSES.len() as u64) as usize];
        let closed = EventKind::Closed {
            by: by.clone(),
            cause: Cause {
                category,
                sub_cause: sub_cause.into(),
                departments: vec!["Store".into()],
                people: Vec::new(),
                explanation: "It was our mistake, and we have changed how we work.".into(),
                factors: vec![],
            },
        };
        push(t, closed, dice);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use recovery_core::Ledger;
    use recovery_core::insights::{Alert, Query, insights};

    fn actors() -> (Actor, Actor) {
        let actor = |id: &str, role, limit_minor| Actor {
            staff: Slug::parse(id).unwrap(),
            role,
            limit_minor,
        };
        (
            actor("ana", Role::Staff, 2_500),
            actor("max", Role::Manager, 100_000),
        )
    }

    fn history(cases: usize, seed: u64, now: i64) -> Vec<Event> {
        let (ana, max) = actors();
        let touchpoints: Vec<Slug> = ["front-desk", "checkout-2", "delivery-desk"]
            .iter()
            .map(|t| Slug::parse(t).unwrap())
            .collect();
        generate(&Plan {
            store: Slug::parse("demo").unwrap(),
            touchpoints,
            staff: ana,
            manager: max,
            cases,
            seed,
            now_ms: now,
            offset_minutes: 0,
        })
    }

    #[test]
    fn a_history_folds_whole_is_repeatable_and_flags_its_planted_spike() {
        let now = 1_780_000_000_000 + 10 * HOUR;
        let events = history(2_000, 7, now);
        assert_eq!(events, history(2_000, 7, now), "same seed, same history");
        assert_ne!(events, history(2_000, 8, now));
        let mut ledger = Ledger::default();
        for e in events.iter().cloned() {
            ledger.record(e).expect("every generated event folds");
        }
        assert_eq!(ledger.cases().count(), 2_000);
        assert!(events.iter().all(|e| e.at.0 <= now));
        let oldest = events.iter().map(|e| e.at.0).min().unwrap();
        assert!(oldest >= now - HISTORY_DAYS * DAY);
        let report = insights(&ledger, &Query::new(Timestamp(now), 0));
        assert_eq!(report.cases, 2_000);
        let spikes: Vec<&Alert> = report
            .alerts
            .iter()
            .filter(|a| matches!(a, Alert::Spike { .. }))
            .collect();
        assert!(
            matches!(spikes.as_slice(), [Alert::Spike { touchpoint, count, .. }]
                if touchpoint.as_str() == SPIKE_TOUCHPOINT && *count as usize == SPIKE_CASES),
            "{spikes:?}"
        );
        assert!(report.causes.len() > 3 && report.rating.count > 500);
    }
}
