//! Keyed token buckets with a cost, the one piece behind every budget of the
//! server: requests, events and bytes per client address, events and bytes
//! per store and day, sign-in attempts per address and per store (see
//! [`crate::http::state::Limits`] for which is which).
//!
//! Each key has a bucket of `capacity` tokens (the burst) that refills
//! continuously, `capacity` tokens per `period`; a request takes its cost
//! (one request, so many events, so many bytes). A cost bigger than the
//! whole bucket passes only when the bucket is full and leaves it in debt,
//! so a budget set below one request still lets requests through, slowly,
//! instead of refusing them for ever with a `Retry-After` that lies.
//! Client addresses are keyed by [`address_key`]: IPv6 clients by their /64
//! network, because one host usually owns a whole /64 and could otherwise
//! rotate addresses for free.
//!
//! Memory is bounded: when the map reaches [`MAX_TRACKED`] keys, buckets
//! that have refilled completely (idle keys, indistinguishable from new
//! ones) are dropped; if every bucket is still in use, the map is cleared,
//! which briefly forgives everyone rather than growing without bound.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Most buckets one limiter keeps at once.
pub const MAX_TRACKED: usize = 65_536;

/// One minute, the period of the per-address budgets.
pub const MINUTE: Duration = Duration::from_secs(60);
/// One day, the period of the per-store budgets.
pub const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// Token buckets keyed by `K`, each `capacity` tokens refilled over
/// `period`.
#[derive(Debug)]
pub struct Buckets<K> {
    capacity: u64,
    period: Duration,
    buckets: Mutex<HashMap<K, Bucket>>,
}

/// The limiter of requests per client address.
pub type RateLimiter = Buckets<IpAddr>;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    /// May be negative: the debt of a cost bigger than the bucket.
    tokens: f64,
    updated: Instant,
}

impl<K: Hash + Eq + Clone> Buckets<K> {
    /// Buckets of `capacity` tokens refilled over `period`; a capacity of 0
    /// allows everything (the budget is off).
    pub fn new(capacity: u64, period: Duration) -> Buckets<K> {
        Buckets {
            capacity,
            period: period.max(Duration::from_millis(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The bucket size (0: off).
    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    fn per_second(&self) -> f64 {
        self.capacity as f64 / self.period.as_secs_f64()
    }

    /// Takes `cost` tokens from `key`'s bucket at `now`. `Err` carries how
    /// long until the cost would pass, for `Retry-After`; a refused cost
    /// takes nothing.
    pub fn take(&self, key: &K, cost: u64, now: Instant) -> Result<(), Duration> {
        if self.capacity == 0 || cost == 0 {
            return Ok(());
        }
        let capacity = self.capacity as f64;
        let per_second = self.per_second();
        // A panic while holding the lock cannot leave a bucket half-written
        // in a harmful way, so a poisoned map is still usable.
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() >= MAX_TRACKED && !buckets.contains_key(key) {
            buckets.retain(|_, b| refilled(b, now, per_second) < capacity);
            if buckets.len() >= MAX_TRACKED {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(key.clone()).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        bucket.tokens = refilled(bucket, now, per_second).min(capacity);
        bucket.updated = now;
        // A cost over the whole bucket needs a full bucket, then leaves debt.
        let needed = (cost as f64).min(capacity);
        if bucket.tokens >= needed {
            bucket.tokens -= cost as f64;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (needed - bucket.tokens) / per_second,
            ))
        }
    }

    /// Gives `cost` tokens back to `key` (a sign-in that turned out right),
    /// never above the bucket's size.
    pub fn refund(&self, key: &K, cost: u64) {
        if self.capacity == 0 {
            return;
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(bucket) = buckets.get_mut(key) {
            bucket.tokens = (bucket.tokens + cost as f64).min(self.capacity as f64);
        }
    }

    /// How many keys have a bucket now.
    pub fn tracked(&self) -> usize {
        self.buckets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

fn refilled(bucket: &Bucket, now: Instant, per_second: f64) -> f64 {
    let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
    bucket.tokens + elapsed * per_second
}

impl Buckets<IpAddr> {
    /// Takes one request of `client` at `now` (see [`Buckets::take`]).
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        self.take(&address_key(client), 1, now)
    }
}

/// `Retry-After` in whole seconds: rounded up, and at least 1, so a client
/// that obeys it never comes back too early.
pub fn retry_after_secs(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

/// The key of a client address: IPv4 (also when IPv4-mapped) as it is,
/// IPv6 by its /64 network.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn per_minute(n: u64) -> RateLimiter {
        Buckets::new(n, MINUTE)
    }

    #[test]
    fn a_burst_of_the_limit_passes_then_the_next_waits_for_a_refill() {
        let limiter = per_minute(60);
        let t0 = Instant::now();
        for _ in 0..60 {
            assert!(limiter.check(ip("10.0.0.1"), t0).is_ok());
        }
        let wait = limiter.check(ip("10.0.0.1"), t0).unwrap_err();
        assert_eq!(retry_after_secs(wait), 1);
        // Others are not affected.
        assert!(limiter.check(ip("10.0.0.2"), t0).is_ok());
        // One token a second comes back.
        assert!(
            limiter
                .check(ip("10.0.0.1"), t0 + Duration::from_secs(1))
                .is_ok()
        );
    }

    #[test]
    fn zero_disables_the_limit() {
        let limiter = per_minute(0);
        let t0 = Instant::now();
        for _ in 0..10_000 {
            assert!(limiter.check(ip("10.0.0.1"), t0).is_ok());
        }
        assert_eq!(limiter.tracked(), 0);
    }

    #[test]
    fn a_slow_limit_asks_for_a_long_enough_wait() {
        let limiter = per_minute(2);
        let t0 = Instant::now();
        assert!(limiter.check(ip("10.0.0.1"), t0).is_ok());
        assert!(limiter.check(ip("10.0.0.1"), t0).is_ok());
        let wait = limiter.check(ip("10.0.0.1"), t0).unwrap_err();
        assert_eq!(retry_after_secs(wait), 30);
    }

    #[test]
    fn ipv6_hosts_of_one_network_share_a_bucket() {
        let limiter = per_minute(1);
        let t0 = Instant::now();
        assert!(limiter.check(ip("2001:db8::1"), t0).is_ok());
        assert!(limiter.check(ip("2001:db8::2"), t0).is_err());
        assert!(limiter.check(ip("2001:db8:0:1::1"), t0).is_ok());
        assert!(limiter.check(ip("::ffff:10.0.0.9"), t0).is_ok());
        assert!(limiter.check(ip("10.0.0.9"), t0).is_err());
    }

    #[test]
    fn the_map_stays_bounded_and_drops_idle_clients_first() {
        let limiter = per_minute(60);
        let t0 = Instant::now();
        for n in 0..MAX_TRACKED as u32 {
            let _ = limiter.check(IpAddr::V4(n.into()), t0);
        }
        assert_eq!(limiter.tracked(), MAX_TRACKED);
        // A minute later every bucket is full again: all are dropped.
        let later = t0 + Duration::from_secs(61);
        assert!(limiter.check(ip("192.0.2.1"), later).is_ok());
        assert_eq!(limiter.tracked(), 1);
    }

    #[test]
    fn costs_take_their_size_and_a_refused_cost_takes_nothing() {
        let bytes: Buckets<&str> = Buckets::new(1_000, MINUTE);
        let t0 = Instant::now();
        assert!(bytes.take(&"a", 600, t0).is_ok());
        // 400 left: 500 is refused and waits for 100 more (6 s at 1000 a minute).
        let wait = bytes.take(&"a", 500, t0).unwrap_err();
        assert_eq!(retry_after_secs(wait), 6);
        assert!(bytes.take(&"a", 400, t0).is_ok());
        assert!(bytes.take(&"a", 1, t0).is_err());
    }

    #[test]
    fn a_cost_over_the_whole_bucket_passes_only_when_full_and_leaves_debt() {
        let events: Buckets<&str> = Buckets::new(10, Duration::from_secs(10));
        let t0 = Instant::now();
        assert!(events.take(&"a", 25, t0).is_ok());
        // 15 in debt: the next single event waits 16 s.
        let wait = events.take(&"a", 1, t0).unwrap_err();
        assert_eq!(retry_after_secs(wait), 16);
        // A second oversized cost waits until the bucket is full again.
        let wait = events.take(&"a", 25, t0).unwrap_err();
        assert_eq!(retry_after_secs(wait), 25);
        assert!(events.take(&"a", 25, t0 + Duration::from_secs(25)).is_ok());
    }

    #[test]
    fn a_refund_gives_back_no_more_than_the_bucket_holds() {
        let tries: Buckets<&str> = Buckets::new(2, DAY);
        let t0 = Instant::now();
        assert!(tries.take(&"a", 1, t0).is_ok());
        assert!(tries.take(&"a", 1, t0).is_ok());
        assert!(tries.take(&"a", 1, t0).is_err());
        tries.refund(&"a", 1);
        tries.refund(&"a", 5);
        assert!(tries.take(&"a", 2, t0).is_ok());
        assert!(tries.take(&"a", 1, t0).is_err());
        // A key never seen gets nothing from a refund and keeps a full bucket.
        tries.refund(&"b", 1);
        assert_eq!(tries.tracked(), 1);
    }

    #[test]
    fn a_debt_keeps_a_bucket_in_the_map_until_it_is_full_again() {
        let limiter: Buckets<u32> = Buckets::new(1, MINUTE);
        let t0 = Instant::now();
        assert!(limiter.take(&0, 3, t0).is_ok());
        for n in 1..MAX_TRACKED as u32 {
            let _ = limiter.take(&n, 1, t0);
        }
        // After one minute the others are full, key 0 is still 2 in debt.
        let later = t0 + Duration::from_secs(61);
        assert!(limiter.take(&u32::MAX, 1, later).is_ok());
        assert_eq!(limiter.tracked(), 2);
        assert!(limiter.take(&0, 1, later).is_err());
    }
}
