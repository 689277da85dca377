//! The outbox client's decisions, free of the browser: how the answer to a push moves the
//! loop on (read the receipts, halve a refused batch, mark the one refused event, or wait),
//! how long it waits (the core's full-jitter backoff, or the server's `Retry-After`), and in
//! which words the status line says why.
//!
//! Plain data in and out, so it is tested natively; the loop (`super`) only carries these
//! decisions out. It never touches storage, the network or a clock.

use recovery_core::sync::{MAX_BATCH_EVENTS, PushOutcome, backoff_ms, classify_push};
use recovery_core::{RejectReason, Timestamp};

/// Why the last push did not go through, in words the status line translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// No connection to the server.
    Offline,
    /// The server did not answer in time.
    Timeout,
    /// The server answered with an error.
    Server,
    /// The server asked us to slow down.
    Busy,
    /// Something answered, but not with what our server says.
    BadAnswer,
}

/// What the status line shows.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Status {
    /// While a queue is being drained: events settled so far, and of how many.
    pub progress: Option<(usize, usize)>,
    /// When a push was last answered.
    pub last_ok: Option<Timestamp>,
    /// Why the last push failed, while it keeps failing.
    pub problem: Option<Problem>,
    /// When the next try is due, while waiting after a failure.
    pub retry_at: Option<Timestamp>,
}

/// How a push ended, as the loop saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    /// No whole answer before the deadline.
    Timeout,
    /// No answer at all (no network, a dropped connection).
    Unreachable,
    /// An HTTP answer: its status, its `Retry-After` in seconds, and how many receipts about
    /// the events sent could be read from it.
    Answer {
        /// The HTTP status.
        status: u16,
        /// The `Retry-After` header, in seconds.
        retry_after_secs: Option<u64>,
        /// Receipts for events of this push found in the body.
        receipts: usize,
    },
}

/// What the loop does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Settle the receipts read, then send the next batch at once.
    Settle,
    /// Send the first half of this batch again, at once, to find the event the server refuses.
    Split,
    /// Mark the batch's only event as refused, then go on at once.
    Refuse(RejectReason),
    /// Keep everything and try again after this many milliseconds (at least 1).
    Wait {
        /// How long.
        ms: u64,
        /// Why, for the status line.
        problem: Problem,
    },
}

/// The loop's memory between pushes: how many tries have failed in a row, and how many events
/// the next push may carry (smaller while a refused batch is being halved).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    attempt: u32,
    limit: usize,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            attempt: 0,
            limit: MAX_BATCH_EVENTS,
        }
    }
}

impl Backoff {
    /// How many events the next push may carry.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Forgets the failures: the network is back, or a person asked to send now.
    pub fn reset(&mut self) {
        *self = Backoff::default();
    }

    /// Decides what a push of `sent` events came to; `unit` is a random number in `[0, 1)` for
    /// the jitter.
    pub fn after(&mut self, reply: Reply, sent: usize, unit: f64) -> Next {
        let (status, retry_after, receipts) = match reply {
            Reply::Answer {
                status,
                retry_after_secs,
                receipts,
            } => (Some(status), retry_after_secs, receipts),
            Reply::Timeout | Reply::Unreachable => (None, None, 0),
        };
        match classify_push(status, retry_after, sent) {
            PushOutcome::Receipts if receipts > 0 => {
                self.reset();
                Next::Settle
            }
            PushOutcome::Split => {
                self.limit = (sent / 2).max(1);
                Next::Split
            }
            PushOutcome::Reject => {
                self.limit = MAX_BATCH_EVENTS;
                Next::Refuse(RejectReason::Unprocessable)
            }
            outcome => {
                let after = match outcome {
                    PushOutcome::Retry { after_ms } => after_ms,
                    _ => None,
                };
                let ms = after.unwrap_or_else(|| backoff_ms(self.attempt, unit));
                self.attempt = self.attempt.saturating_add(1);
                Next::Wait {
                    ms: ms.max(1),
                    problem: problem(reply),
                }
            }
        }
    }
}

/// The least time between two health probes while a push waits out its backoff.
pub const PROBE_MIN_MS: u64 = 2_000;
/// The spread of a probe's random wait on top of [`PROBE_MIN_MS`] (full jitter, so a
/// thousand devices waiting on one server do not probe, nor arrive, all at once).
pub const PROBE_SPREAD_MS: u64 = 3_000;

/// When to ask the server's cheap health route whether it is back, while a push waits
/// `wait_ms` after failing for `problem`; `unit` is a random number in `[0, 1)`. `None` when
/// the wait is short anyway, when the server itself said how long to wait (`told_to_wait`), or
/// when it answered busy or strangely (a probe must never cut short a wait a live server asked
/// for). A probe that finds the server answering ends the wait at once, so a device learns of
/// the server's return within seconds instead of at its next backoff (up to 5 minutes).
pub fn probe_in(problem: Problem, told_to_wait: bool, wait_ms: u64, unit: f64) -> Option<u64> {
    if told_to_wait || matches!(problem, Problem::Busy | Problem::BadAnswer) {
        return None;
    }
    let probe = PROBE_MIN_MS + (unit.clamp(0.0, 1.0) * PROBE_SPREAD_MS as f64) as u64;
    (probe < wait_ms).then_some(probe)
}

/// Why a push that is to be tried again failed.
pub fn problem(reply: Reply) -> Problem {
    match reply {
        Reply::Timeout => Problem::Timeout,
        Reply::Unreachable => Problem::Offline,
        Reply::Answer {
            status: 429 | 503, ..
        } => Problem::Busy,
        Reply::Answer { status: 200, .. } => Problem::BadAnswer,
        Reply::Answer { .. } => Problem::Server,
    }
}

#[cfg(test)]
mod tests;
