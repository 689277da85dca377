//! Per-client token buckets for the public endpoints, so one misbehaving
//! device or script cannot fill the database or starve the kiosks of a
//! store.
//!
//! Each client address has a bucket of `per_minute` tokens (the burst) that
//! refills continuously at `per_minute` tokens a minute; a request takes
//! one. IPv6 clients are keyed by their /64 network, because one host
//! usually owns a whole /64 and could otherwise rotate addresses for free.
//!
//! Memory is bounded: when the map reaches [`MAX_TRACKED`] clients, buckets
//! that have refilled completely (idle clients, indistinguishable from new
//! ones) are dropped; if every bucket is still in use, the map is cleared,
//! which briefly forgives everyone rather than growing without bound.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Most client buckets kept at once.
pub const MAX_TRACKED: usize = 65_536;

/// The limiter shared by all handlers.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests a minute per client, in
    /// bursts of up to `per_minute`; 0 allows everything.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `client` at `now`. `Err` carries how long until
    /// the next token, for `Retry-After`.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let key = bucket_key(client);
        // A panic while holding the lock cannot leave a bucket half-written
        // in a harmful way, so a poisoned map is still usable.
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() >= MAX_TRACKED && !buckets.contains_key(&key) {
            let full_after = Duration::from_secs_f64(capacity / per_second);
            buckets.retain(|_, b| now.saturating_duration_since(b.updated) < full_after);
            if buckets.len() >= MAX_TRACKED {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second))
        }
    }

    /// How many clients have a bucket now.
    pub fn tracked(&self) -> usize {
        self.buckets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// `Retry-After` in whole seconds: rounded up, and at least 1, so a client
/// that obeys it never comes back too early.
pub fn retry_after_secs(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

fn bucket_key(ip: IpAddr) -> IpAddr {
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

    #[test]
    fn a_burst_of_the_limit_passes_then_the_next_waits_for_a_refill() {
        let limiter = RateLimiter::new(60);
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
        let limiter = RateLimiter::new(0);
        let t0 = Instant::now();
        for _ in 0..10_000 {
            assert!(limiter.check(ip("10.0.0.1"), t0).is_ok());
        }
        assert_eq!(limiter.tracked(), 0);
    }

    #[test]
    fn a_slow_limit_asks_for_a_long_enough_wait() {
        let limiter = RateLimiter::new(2);
        let t0 = Instant::now();
        assert!(limiter.check(ip("10.0.0.1"), t0).is_ok());
        assert!(limiter.check(ip("10.0.0.1"), t0).is_ok());
        let wait = limiter.check(ip("10.0.0.1"), t0).unwrap_err();
        assert_eq!(retry_after_secs(wait), 30);
    }

    #[test]
    fn ipv6_hosts_of_one_network_share_a_bucket() {
        let limiter = RateLimiter::new(1);
        let t0 = Instant::now();
        assert!(limiter.check(ip("2001:db8::1"), t0).is_ok());
        assert!(limiter.check(ip("2001:db8::2"), t0).is_err());
        assert!(limiter.check(ip("2001:db8:0:1::1"), t0).is_ok());
        assert!(limiter.check(ip("::ffff:10.0.0.9"), t0).is_ok());
        assert!(limiter.check(ip("10.0.0.9"), t0).is_err());
    }

    #[test]
    fn the_map_stays_bounded_and_drops_idle_clients_first() {
        let limiter = RateLimiter::new(60);
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
}
