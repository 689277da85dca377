//! The sync loop: ships the outbox to the server, one push at a time, and records what the
//! server said.
//!
//! An event leaves the outbox only when a push came back with its receipt (stored, or a
//! replay the server already had). What the answer means is the core's call
//! (`recovery_core::sync`): 400/413/422 split the batch down to the one event the server
//! refuses, which then "needs attention"; no answer, a timeout, a 5xx, a 429 or an answer
//! that is not ours is retried with full-jitter exponential backoff (1 s base, 5 min cap), or
//! after the server's `Retry-After`. The backoff resets when the browser says the network is
//! back, or when a person asks ("Send now").
//!
//! "Online" means a push was answered, not `navigator.onLine`. Two tabs of one device, or a
//! reload in the middle of a push, may send an event twice; the server stores it once and
//! answers "duplicate", which confirms it here as well.
//!
//! This module decides when to send; it never touches storage or `fetch` itself (those go
//! through `state::Cases` and `platform::net`).

use crate::customer::state::{Cases, Outgoing};
use crate::shared::platform::{clock, codec, env, net, storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::sync::{MAX_BATCH_EVENTS, backoff_ms, classify_push};
use recovery_core::{EventId, PushOutcome, Receipt, Timestamp};
use std::time::Duration;

/// Where pushes go: the server that served the app.
pub const PUSH_URL: &str = "/api/v1/events";

/// How long a push may take before it is given up and tried again.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(15);

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

/// What the sync status line shows.
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

/// The loop's own bookkeeping; not reactive.
#[derive(Default)]
struct Engine {
    attempt: u32,
    limit: usize,
    busy: bool,
    again: bool,
    timer: Option<TimeoutHandle>,
    settled: usize,
}

/// Handle to the sync loop; cheap to copy, shared through context.
#[derive(Clone, Copy)]
pub struct Sync {
    cases: Cases,
    status: RwSignal<Status>,
    engine: StoredValue<Engine, LocalStorage>,
    deadline: Duration,
}

impl Sync {
    /// Starts the loop for this device's cases: it sends at once if anything is pending, on
    /// every new event, when the network comes back, and after each backoff.
    pub fn start(cases: Cases) -> Sync {
        let deadline = env::query_param("sync_timeout")
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(DEFAULT_DEADLINE, |ms| Duration::from_millis(ms.max(500)));
        let sync = Sync {
            cases,
            status: RwSignal::new(Status {
                last_ok: storage::last_sync(),
                ..Status::default()
            }),
            engine: StoredValue::new_local(Engine {
                limit: MAX_BATCH_EVENTS,
                ..Engine::default()
            }),
            deadline,
        };
        Effect::new(move |before: Option<usize>| {
            let now = cases.pending_count();
            if now > before.unwrap_or(0) {
                sync.kick(false);
            }
            now
        });
        let online = window_event_listener(leptos::ev::online, move |_| sync.kick(true));
        on_cleanup(move || online.remove());
        sync
    }

    /// The status line's facts.
    pub fn status(&self) -> Status {
        self.status.get()
    }

    /// A person asked to send now: forget the backoff and try at once.
    pub fn send_now(&self) {
        self.kick(true);
    }

    /// Sends now unless a push is under way (then right after it). Without `reset`, a loop
    /// that is waiting out a backoff keeps waiting, so filing complaints while offline does
    /// not hammer a dead network.
    fn kick(self, reset: bool) {
        let start = self
            .engine
            .try_update_value(|e| {
                if reset {
                    e.attempt = 0;
                    e.limit = MAX_BATCH_EVENTS;
                }
                if e.busy {
                    e.again = true;
                    return false;
                }
                if e.timer.is_some() && !reset {
                    return false;
                }
                if let Some(t) = e.timer.take() {
                    t.clear();
                }
                true
            })
            .unwrap_or(false);
        if start {
            self.round();
        }
    }

    fn round(self) {
        let limit = self.engine.with_value(|e| e.limit);
        let batch = self.cases.next_batch(limit);
        if batch.is_empty() {
            self.engine.update_value(|e| e.settled = 0);
            self.status.update(|s| {
                s.progress = None;
                s.retry_at = None;
            });
            return;
        }
        let settled = self.engine.with_value(|e| e.settled);
        let total = settled + self.cases.pending_count();
        self.engine.update_value(|e| {
            e.busy = true;
            e.again = false;
        });
        self.status.update(|s| s.progress = Some((settled, total)));
        let body = push_body(&batch);
        let ids: Vec<EventId> = batch.iter().map(|o| o.id).collect();
        let deadline = self.deadline;
        spawn_local(async move {
            let reply = net::post_json(PUSH_URL, &body, deadline).await;
            // The page may have been taken down while the push was out.
            if self.engine.try_update_value(|e| e.busy = false).is_none() {
                return;
            }
            let wait = self.finish(&ids, reply);
            let again = self.engine.with_value(|e| e.again);
            match wait {
                Some(0) => self.round(),
                _ if again => self.round(),
                Some(ms) => self.schedule(ms),
                None => {}
            }
        });
    }

    fn schedule(self, ms: u64) {
        let handle = set_timeout_with_handle(
            move || {
                let _ = self.engine.try_update_value(|e| e.timer = None);
                self.round();
            },
            Duration::from_millis(ms),
        )
        .ok();
        self.engine.update_value(|e| e.timer = handle);
        let at = Timestamp(clock::now().0.saturating_add(ms as i64));
        self.status.update(|s| s.retry_at = Some(at));
    }

    /// Reads a push's result; returns how long to wait before the next round (`Some(0)`: go
    /// on at once).
    fn finish(self, ids: &[EventId], reply: Result<net::Reply, net::NetError>) -> Option<u64> {
        let (status, retry_after) = match &reply {
            Ok(r) => (Some(r.status), r.retry_after_secs),
            Err(_) => (None, None),
        };
        let outcome = classify_push(status, retry_after, ids.len());
        let receipts = match (&outcome, &reply) {
            (PushOutcome::Receipts, Ok(r)) => read_receipts(&r.body, ids),
            _ => Vec::new(),
        };
        match outcome {
            PushOutcome::Receipts if !receipts.is_empty() => {
                self.cases.settle(&receipts);
                let now = clock::now();
                storage::set_last_sync(now);
                self.engine.update_value(|e| {
                    e.attempt = 0;
                    e.limit = MAX_BATCH_EVENTS;
                    e.settled += receipts.len();
                });
                self.status.update(|s| {
                    s.last_ok = Some(now);
                    s.problem = None;
                    s.retry_at = None;
                });
                Some(0)
            }
            PushOutcome::Split => {
                self.engine
                    .update_value(|e| e.limit = (ids.len() / 2).max(1));
                Some(0)
            }
            PushOutcome::Reject => {
                let receipt = Receipt::Rejected(recovery_core::RejectReason::Unprocessable);
                self.cases.settle(&[(ids[0], receipt)]);
                self.engine.update_value(|e| {
                    e.limit = MAX_BATCH_EVENTS;
                    e.settled += 1;
                });
                Some(0)
            }
            PushOutcome::Receipts | PushOutcome::Retry { .. } => {
                let problem = match (&reply, status) {
                    (Err(net::NetError::Timeout), _) => Problem::Timeout,
                    (Err(net::NetError::Unreachable), _) => Problem::Offline,
                    (_, Some(429 | 503)) => Problem::Busy,
                    (_, Some(200)) => Problem::BadAnswer,
                    _ => Problem::Server,
                };
                let after = match outcome {
                    PushOutcome::Retry { after_ms } => after_ms,
                    _ => None,
                };
                let attempt = self.engine.with_value(|e| e.attempt);
                let wait = after.unwrap_or_else(|| backoff_ms(attempt, env::random_unit()));
                self.engine
                    .update_value(|e| e.attempt = e.attempt.saturating_add(1));
                // Nothing is being sent while the loop waits: no progress line until it tries.
                self.status.update(|s| {
                    s.problem = Some(problem);
                    s.progress = None;
                });
                Some(wait.max(1))
            }
        }
    }
}

/// The push body: `{"events":[...],"ticket_secrets":{"<case>":"<secret>"}}`. Event JSON comes
/// from the codec; case ids are UUIDs and secrets base64url, so neither needs escaping.
fn push_body(batch: &[Outgoing]) -> String {
    let mut body = String::from("{\"events\":[");
    for (i, o) in batch.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&o.json);
    }
    body.push_str("],\"ticket_secrets\":{");
    let mut first = true;
    for (case, secret) in batch.iter().filter_map(|o| o.secret.as_ref()) {
        if !first {
            body.push(',');
        }
        first = false;
        body.push_str(&format!("\"{case}\":\"{secret}\""));
    }
    body.push_str("}}");
    body
}

/// The receipts of a push answer for the events sent; anything unreadable, or about another
/// event, is left out (those events stay pending).
fn read_receipts(body: &str, sent: &[EventId]) -> Vec<(EventId, Receipt)> {
    let Some(answer) = codec::parse(body) else {
        return Vec::new();
    };
    let results = codec::get(&answer, "results");
    if !js_sys::Array::is_array(&results) {
        return Vec::new();
    }
    js_sys::Array::from(&results)
        .iter()
        .filter_map(|r| {
            let id = EventId(recovery_core::parse_uuid(
                &codec::get(&r, "id").as_string()?,
            )?);
            let status = codec::get(&r, "status").as_string()?;
            let reason = codec::get(&r, "reason").as_string();
            let receipt = Receipt::from_status(&status, reason.as_deref())?;
            sent.contains(&id).then_some((id, receipt))
        })
        .collect()
}
