//! What the public may spend, in one place: requests, events and bytes per
//! client address; events and bytes filed into each store per day; failed
//! sign-ins per address and per store; PIN checks running at once; and the
//! sign-in throttles of ids nobody has (so they answer as a person would).
//! All are the keyed token buckets of [`crate::ratelimit`], kept in memory
//! per server process and bounded in size.
//!
//! Staff sessions (valid bearer tokens) spend none of these: the handlers
//! only charge public callers. When the public goes over a store's daily
//! budget, the store's staff get an alert (see [`record_alert`]), once per
//! store, day and kind, and a warning is logged.
//!
//! Nothing here may log a request body, a PIN or a token.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use recovery_core::{PinGate, PinThrottle, Timestamp};
use serde_json::Value;
use tokio::sync::Semaphore;

use super::error::{ApiError, OrInternal};
use super::state::AppState;
use crate::config::Budgets;
use crate::ratelimit::{
    Buckets, DAY, MAX_TRACKED, MINUTE, RateLimiter, address_key, retry_after_secs,
};
use crate::store::{AlertRow, Mode};

/// One more failed sign-in per address comes back this often: slowly
/// enough that an address keeping a person's failures remembered (one
/// failure at least every `PIN_LOCK_MS`, 15 minutes) gets back less than a
/// token per failure, so with the default budget of 8 it never gathers the
/// 10 failures that lock (at most `(8 - 1) / (1 - 15/120) + 1 = 9`).
pub const SIGN_IN_REFILL: Duration = Duration::from_secs(2 * 60 * 60);
/// The period of the per-store sign-in budget.
pub const HOUR: Duration = Duration::from_secs(60 * 60);
/// Longest part of an unknown id kept as a key, in bytes: longer than any
/// id, short enough that the map of strangers stays small.
const STRANGER_ID_MAX: usize = 100;
/// Most (store, day, kind) alerts remembered as already recorded.
const ALERTED_MAX: usize = 4_096;

/// The budgets of one server process.
#[derive(Debug)]
pub struct Limits {
    /// Public requests per address per minute (`--rate-limit`).
    pub requests: RateLimiter,
    address_events: Buckets<IpAddr>,
    address_bytes: Buckets<IpAddr>,
    store_events: Buckets<String>,
    store_bytes: Buckets<String>,
    sign_in_address: Buckets<IpAddr>,
    sign_in_store: Buckets<String>,
    /// PIN checks that may run at once.
    pub pin_checks: Arc<Semaphore>,
    strangers: Mutex<HashMap<(String, String), PinThrottle>>,
    alerted: Mutex<HashSet<(String, String, &'static str)>>,
}

/// A public push over a budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Over {
    /// The client address's events or bytes per minute.
    Address(Duration),
    /// A store's events or bytes per day: the store, the alert's kind.
    Store(String, &'static str, Duration),
}

impl Over {
    /// The answer: 429 `rate_limited` with `Retry-After`.
    pub fn error(&self) -> ApiError {
        let (Over::Address(wait) | Over::Store(_, _, wait)) = self;
        ApiError::RateLimited {
            secs: retry_after_secs(*wait),
        }
    }
}

/// Where a sign-in attempt stands before its PIN is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrangerGate {
    /// Check (against the dummy hash); already counted as a failure.
    Check,
    /// Wait until then.
    WaitUntil(Timestamp),
    /// Locked until then.
    LockedUntil(Timestamp),
}

impl Limits {
    /// The limits of `rate_limit` requests per minute and of `budgets`.
    pub fn new(rate_limit: u32, budgets: &Budgets) -> Limits {
        let per_address = budgets.sign_in_failures_per_address;
        let refill = SIGN_IN_REFILL.saturating_mul(u32::try_from(per_address).unwrap_or(u32::MAX));
        Limits {
            requests: Buckets::new(u64::from(rate_limit), MINUTE),
            address_events: Buckets::new(budgets.address_events_per_minute, MINUTE),
            address_bytes: Buckets::new(budgets.address_bytes_per_minute, MINUTE),
            store_events: Buckets::new(budgets.store_events_per_day, DAY),
            store_bytes: Buckets::new(budgets.store_bytes_per_day, DAY),
            sign_in_address: Buckets::new(per_address, refill),
            sign_in_store: Buckets::new(budgets.sign_in_failures_per_store, HOUR),
            pin_checks: Arc::new(Semaphore::new(
                usize::try_from(budgets.pin_checks.max(1)).unwrap_or(1),
            )),
            strangers: Mutex::new(HashMap::new()),
            alerted: Mutex::new(HashSet::new()),
        }
    }

    /// Charges a public push of `events` from `client` at `now`: its events
    /// and bytes to the address, then each store's events and bytes to that
    /// store (the store each event names). The first budget it is over
    /// refuses it; what was charged before stays charged, so a flood pays
    /// for its refused pushes too.
    pub fn charge_push(&self, client: IpAddr, events: &[Value], now: Instant) -> Result<(), Over> {
        let counts_bytes = self.address_bytes.capacity() > 0 || self.store_bytes.capacity() > 0;
        let counts_stores = self.store_events.capacity() > 0 || self.store_bytes.capacity() > 0;
        if !counts_bytes && !counts_stores && self.address_events.capacity() == 0 {
            return Ok(());
        }
        let address = address_key(client);
        let mut per_store: HashMap<String, (u64, u64)> = HashMap::new();
        let mut bytes = 0u64;
        for event in events {
            // Measuring an event writes it out again: only when bytes count.
            let size = if counts_bytes {
                serde_json::to_string(event).map_or(0, |text| text.len() as u64)
            } else {
                0
            };
            bytes += size;
            if !counts_stores {
                continue;
            }
            // Where the event says it was recorded; the rules refuse one that
            // names no store, but its bytes still count (as store "").
            let store = event
                .pointer("/origin/store")
                .and_then(Value::as_str)
                .map_or("", |store| truncate(store, STRANGER_ID_MAX));
            let entry = per_store.entry(store.to_owned()).or_default();
            entry.0 += 1;
            entry.1 += size;
        }
        self.address_events
            .take(&address, events.len() as u64, now)
            .map_err(Over::Address)?;
        self.address_bytes
            .take(&address, bytes, now)
            .map_err(Over::Address)?;
        let mut stores: Vec<_> = per_store.into_iter().collect();
        stores.sort_unstable();
        for (store, (count, size)) in stores {
            if let Err(wait) = self.store_events.take(&store, count, now) {
                return Err(Over::Store(store, "store_events", wait));
            }
            if let Err(wait) = self.store_bytes.take(&store, size, now) {
                return Err(Over::Store(store, "store_bytes", wait));
            }
        }
        Ok(())
    }

    /// Takes one sign-in attempt from `client`'s and `store`'s budgets
    /// before anything is looked up or hashed; 429 when either is spent.
    /// Give it back with [`Limits::refund_sign_in`] when the attempt turns
    /// out not to be a failure.
    pub fn charge_sign_in(
        &self,
        client: IpAddr,
        store: &str,
        now: Instant,
    ) -> Result<(), ApiError> {
        let address = address_key(client);
        let limited = |wait| ApiError::RateLimited {
            secs: retry_after_secs(wait),
        };
        self.sign_in_address
            .take(&address, 1, now)
            .map_err(limited)?;
        if let Err(wait) = self.sign_in_store.take(&store.to_owned(), 1, now) {
            self.sign_in_address.refund(&address, 1);
            return Err(limited(wait));
        }
        Ok(())
    }

    /// Gives back what [`Limits::charge_sign_in`] took: the attempt was a
    /// success, or was answered without a PIN check.
    pub fn refund_sign_in(&self, client: IpAddr, store: &str) {
        self.sign_in_address.refund(&address_key(client), 1);
        self.sign_in_store.refund(&store.to_owned(), 1);
    }

    /// The sign-in throttle of an id that is nobody in `store` (unknown,
    /// inactive, or not an id at all), kept like a person's so that its
    /// answers are a person's: the gate at `now`, and when open the attempt
    /// already counts as a failure.
    pub fn stranger_attempt(&self, store: &str, id: &str, now: Timestamp) -> StrangerGate {
        let key = (store.to_owned(), truncate(id, STRANGER_ID_MAX).to_owned());
        let mut map = self
            .strangers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if map.len() >= MAX_TRACKED && !map.contains_key(&key) {
            map.retain(|_, throttle| throttle.at(now) != PinThrottle::default());
            if map.len() >= MAX_TRACKED {
                map.clear();
            }
        }
        let throttle = map.entry(key).or_default();
        match throttle.gate(now) {
            PinGate::Locked => StrangerGate::LockedUntil(throttle.lifts_at().unwrap_or(now)),
            PinGate::WaitUntil(until) => StrangerGate::WaitUntil(until),
            PinGate::Open => {
                throttle.fail(now);
                StrangerGate::Check
            }
        }
    }

    /// Whether this (store, day, kind) is new to this process; remembers it.
    fn first_alert(&self, key: (String, String, &'static str)) -> bool {
        let mut alerted = self.alerted.lock().unwrap_or_else(PoisonError::into_inner);
        if alerted.len() >= ALERTED_MAX {
            // Forgetting costs at most one more (idempotent) insert per key.
            alerted.clear();
        }
        alerted.insert(key)
    }
}

/// `text` cut to at most `max` bytes, on a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Records that the public went over `store`'s daily budget of `kind` at
/// `now_ms`: once per store, UTC day and kind (per server process), a
/// warning in the log and, for a store that exists, a row for its staff
/// (so a flood of made-up stores leaves no rows). A failure to record is
/// logged, never the caller's problem.
pub async fn record_alert(state: &AppState, store: String, kind: &'static str, now_ms: i64) {
    let day = recovery_core::insights::date(now_ms.div_euclid(recovery_core::insights::DAY_MS));
    if !state.limits.first_alert((store.clone(), day.clone(), kind)) {
        return;
    }
    let row = AlertRow {
        store,
        day,
        kind: kind.to_owned(),
        at_ms: now_ms,
    };
    let (store, day) = (row.store.clone(), row.day.clone());
    let recorded = state
        .db
        .transaction(Mode::Write, move |db| {
            if db.store(&row.store)?.is_none() {
                return Ok(false);
            }
            db.insert_store_alert(&row).map(|_| true)
        })
        .await
        .or_internal("cannot record a store alert");
    tracing::warn!(
        %store,
        %day,
        kind,
        known_store = recorded.unwrap_or(false),
        "the public went over the store's daily budget; its further filings wait"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budgets() -> Budgets {
        Budgets {
            address_events_per_minute: 10,
            address_bytes_per_minute: 10_000,
            store_events_per_day: 15,
            store_bytes_per_day: 1_000_000,
            sign_in_failures_per_address: 2,
            sign_in_failures_per_store: 3,
            pin_checks: 1,
        }
    }

    fn events(store: &str, n: usize) -> Vec<Value> {
        (0..n)
            .map(|i| serde_json::json!({"origin": {"store": store}, "n": i}))
            .collect()
    }

    #[test]
    fn a_push_is_charged_to_its_address_then_to_each_store_it_names() {
        let limits = Limits::new(0, &budgets());
        let t0 = Instant::now();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(limits.charge_push(a, &events("acme", 10), t0), Ok(()));
        assert!(matches!(
            limits.charge_push(a, &events("acme", 1), t0),
            Err(Over::Address(_))
        ));
        // Another address, same store: the store's day holds 15 events.
        assert_eq!(limits.charge_push(b, &events("acme", 5), t0), Ok(()));
        let over = limits.charge_push(b, &events("acme", 1), t0).unwrap_err();
        assert!(matches!(&over, Over::Store(store, "store_events", _) if store == "acme"));
        assert!(matches!(over.error(), ApiError::RateLimited { .. }));
        // Another store is not affected.
        assert_eq!(limits.charge_push(b, &events("other", 1), t0), Ok(()));
    }

    #[test]
    fn bytes_count_as_well_as_events() {
        let limits = Limits::new(0, &budgets());
        let t0 = Instant::now();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let big = vec![serde_json::json!({"origin": {"store": "acme"}, "text": "x".repeat(9_000)})];
        assert_eq!(limits.charge_push(a, &big, t0), Ok(()));
        assert!(matches!(
            limits.charge_push(a, &big, t0),
            Err(Over::Address(_))
        ));
    }

    #[test]
    fn sign_ins_are_charged_per_address_and_per_store_and_refunded() {
        let limits = Limits::new(0, &budgets());
        let t0 = Instant::now();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(limits.charge_sign_in(a, "acme", t0).is_ok());
        limits.refund_sign_in(a, "acme");
        assert!(limits.charge_sign_in(a, "acme", t0).is_ok());
        assert!(limits.charge_sign_in(a, "acme", t0).is_ok());
        // The address has spent its 2; one more every 2 hours.
        let Err(ApiError::RateLimited { secs }) = limits.charge_sign_in(a, "acme", t0) else {
            panic!("not limited");
        };
        assert_eq!(secs, 2 * 60 * 60);
        // The store has one left, for anyone.
        assert!(limits.charge_sign_in(b, "acme", t0).is_ok());
        assert!(limits.charge_sign_in(b, "acme", t0).is_err());
        assert!(limits.charge_sign_in(b, "other", t0).is_ok());
    }

    #[test]
    fn one_address_guessing_at_any_pace_never_locks_a_person_with_the_default_budget() {
        let stranger: IpAddr = "203.0.113.66".parse().unwrap();
        let t0 = Instant::now();
        // Every pace from one try a second to one try just under the 15
        // minutes a person's failures are remembered, for two days.
        for pace_secs in [1u64, 30, 60, 300, 600, 840, 899] {
            let limits = Limits::new(0, &Budgets::default());
            let mut person = PinThrottle::default();
            let mut most = 0;
            for step in 0..(2 * 24 * 3600 / pace_secs) {
                let elapsed = step * pace_secs;
                let now = Timestamp(i64::try_from(elapsed * 1000).unwrap());
                let instant = t0 + Duration::from_secs(elapsed);
                // The stranger waits out the person's waits like anyone.
                if person.gate(now) != PinGate::Open {
                    assert_ne!(person.gate(now), PinGate::Locked, "pace {pace_secs}");
                    continue;
                }
                if limits.charge_sign_in(stranger, "acme", instant).is_ok() {
                    person.fail(now);
                    most = most.max(person.failures);
                }
            }
            assert!(
                most < recovery_core::PIN_LOCK_AFTER,
                "pace {pace_secs}: {most}"
            );
        }
    }

    #[test]
    fn a_stranger_waits_and_locks_like_a_person() {
        let limits = Limits::new(0, &budgets());
        let mut person = PinThrottle::default();
        let now = Timestamp(1_000);
        for _ in 0..3 {
            assert_eq!(
                limits.stranger_attempt("acme", "zoe", now),
                StrangerGate::Check
            );
            person.fail(now);
        }
        let PinGate::WaitUntil(until) = person.gate(now) else {
            panic!("a person waits after three failures");
        };
        assert_eq!(
            limits.stranger_attempt("acme", "zoe", now),
            StrangerGate::WaitUntil(until)
        );
        // Someone else's id is not held up.
        assert_eq!(
            limits.stranger_attempt("acme", "zed", now),
            StrangerGate::Check
        );
        assert_eq!(
            limits.stranger_attempt("other", "zoe", now),
            StrangerGate::Check
        );
    }

    #[test]
    fn long_ids_and_stores_are_cut_on_a_character_boundary() {
        assert_eq!(truncate("abc", 2), "ab");
        assert_eq!(truncate("aé", 2), "a");
        assert_eq!(truncate("ab", 5), "ab");
    }
}
