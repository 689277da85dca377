//! The one outbox client of the three apps: ships an app's queue of events to the server, one
//! push at a time, and reports what the server said back to the queue.
//!
//! An event leaves the queue only when a push came back with its receipt (stored, or a replay
//! the server already had). What the answer means is decided in `rules` (the core's
//! `recovery_core::sync` underneath): 400/413/422 halve the batch down to the one event the
//! server refuses, which then "needs attention"; no answer, a timeout, a 5xx, a 429 or an
//! answer that is not ours is retried with full-jitter exponential backoff (1 s base, 5 min
//! cap), or after the server's `Retry-After`; while a long wait is for a server out of reach, a
//! cheap health probe every 2 to 5 s (jittered) ends it as soon as the server answers again
//! (never over a `Retry-After`, nor at a busy server). The backoff resets when the browser says the
//! network is back, or when a person asks ("Send now").
//!
//! "Online" means a push was answered, not `navigator.onLine`. Two tabs of one device, or a
//! reload in the middle of a push, may send an event twice; the server stores it once and
//! answers "duplicate", which confirms it here as well.
//!
//! Each app configures it through its [`Queue`]: what to send (events as JSON, with the
//! ticket secret of a case when the push must carry it: the customer's filings, the ticket
//! page's rating), which credential goes in the header (none, or the staff session's token),
//! and what the app keeps of a confirmed event (a phone keeps it marked as sent, a kiosk
//! deletes it, staff keep their steps until the next pull).
//!
//! This module decides when to send; it never touches storage itself (the queue does, through
//! `platform`), and it reaches the network only through `platform::net`.

pub mod rules;
pub mod wire;

use crate::shared::platform::{clock, env, net};
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::{CaseId, EventId, Receipt, Timestamp};
use rules::{Backoff, Next, Reply};
pub use rules::{Problem, Status};
use std::time::Duration;

/// Where pushes go: the server that served the app.
pub const PUSH_URL: &str = recovery_core::api::EVENTS_URL;

/// The server's cheap health route, probed while a push waits for a server out of reach.
pub const HEALTH_URL: &str = "/api/v1/health";

/// How long a health probe may take.
const PROBE_DEADLINE: Duration = Duration::from_secs(3);

/// How long a push may take before it is given up and tried again (a page's address may set
/// another with `?sync_timeout=<ms>`, for tests of a slow server).
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(15);

/// One event on its way to the server: its JSON, and the ticket secret that goes with it.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// The event's id.
    pub id: EventId,
    /// The event as JSON text (exactly serde's shape).
    pub json: String,
    /// The case and its ticket secret, when the push must prove the customer's right to it.
    pub secret: Option<(CaseId, String)>,
    /// The customer's name and contact of a filing, sealed for the server.
    pub sealed: Option<String>,
}

/// What goes in a push's `Authorization` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// Nothing: the customer's pushes (a filing, or a rating with its ticket secret).
    Anonymous,
    /// A staff session's bearer token.
    Bearer(String),
    /// The queue needs a credential it does not have now (a locked staff app): wait until
    /// woken again.
    Missing,
}

/// An app's queue of events kept until the server has them: what the client sends and where
/// it reports the receipts.
pub trait Queue: Copy + 'static {
    /// The next events to send, oldest first, at most `max` of them; empty when nothing is
    /// left to send.
    fn next_batch(&self, max: usize) -> Vec<Outgoing>;

    /// How many events wait to be sent. Read reactively: the client sends when it grows.
    fn pending_count(&self) -> usize;

    /// Records what the server said about sent events (a refusal, too, is kept by the queue
    /// and shown; never sent again by itself).
    fn settle(&self, receipts: &[(EventId, Receipt)]);

    /// What goes in the header of the next push.
    fn credential(&self) -> Credential {
        Credential::Anonymous
    }

    /// The server answered a push at `at` (a queue may keep it, for the status line's "last
    /// sent" after a reload).
    fn answered(&self, _at: Timestamp) {}
}

/// The loop's own bookkeeping; not reactive.
#[derive(Default)]
struct Engine {
    backoff: Backoff,
    busy: bool,
    /// A person or the network's return asked to send while a push was out: if that push
    /// fails, try again at once instead of waiting out the backoff (unless the server said
    /// how long to wait). New work alone never cuts a wait short: a push that succeeds goes
    /// on at once anyway.
    again: bool,
    timer: Option<TimeoutHandle>,
    /// The next health probe while `timer` waits out a backoff (see `rules::probe_in`).
    probe: Option<TimeoutHandle>,
    /// Why the wait: what a probe decides by.
    waiting_for: Option<Problem>,
    settled: usize,
}

/// Handle to an app's outbox client; cheap to copy, shared through context.
pub struct Client<Q: Queue> {
    queue: Q,
    status: RwSignal<Status>,
    engine: StoredValue<Engine, LocalStorage>,
    deadline: Duration,
}

impl<Q: Queue> Clone for Client<Q> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Q: Queue> Copy for Client<Q> {}

impl<Q: Queue> Client<Q> {
    /// Starts the loop for `queue`: it sends at once if anything is pending, whenever more
    /// becomes pending, when the network comes back, and after each backoff. `last_ok` is when
    /// a push was last answered, as far as the app remembers.
    pub fn start(queue: Q, last_ok: Option<Timestamp>) -> Self {
        let deadline = env::query_param("sync_timeout")
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(DEFAULT_DEADLINE, |ms| Duration::from_millis(ms.max(500)));
        let client = Client {
            queue,
            status: RwSignal::new(Status {
                last_ok,
                ..Status::default()
            }),
            engine: StoredValue::new_local(Engine::default()),
            deadline,
        };
        // A new event goes out once the frame that shows it is painted: preparing and starting a
        // push (storage reads, JSON, the fetch) is not the tap's work.
        Effect::new(move |before: Option<usize>| {
            let now = queue.pending_count();
            if now > before.unwrap_or(0) {
                env::after_paint(move || client.wake());
            }
            now
        });
        let online = window_event_listener(leptos::ev::online, move |_| client.send_now());
        on_cleanup(move || online.remove());
        client
    }

    /// The status line's facts.
    pub fn status(&self) -> Status {
        self.status.get()
    }

    /// A person asked to send now (or the network is back): forget the backoff and try at once.
    pub fn send_now(&self) {
        self.kick(true);
    }

    /// Sends now unless a push is under way (then right after it) or the loop is waiting out
    /// a backoff: so making steps while offline does not hammer a dead network.
    pub fn wake(&self) {
        self.kick(false);
    }

    fn kick(self, reset: bool) {
        let start = self
            .engine
            .try_update_value(|e| {
                if reset {
                    e.backoff.reset();
                }
                if e.busy {
                    e.again |= reset;
                    return false;
                }
                if e.timer.is_some() && !reset {
                    return false;
                }
                if let Some(t) = e.timer.take() {
                    t.clear();
                }
                if let Some(t) = e.probe.take() {
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
        let limit = self.engine.with_value(|e| e.backoff.limit());
        let batch = self.queue.next_batch(limit);
        let bearer = match self.queue.credential() {
            _ if batch.is_empty() => None,
            Credential::Anonymous => Some(None),
            Credential::Bearer(token) => Some(Some(token)),
            Credential::Missing => None,
        };
        let Some(bearer) = bearer else {
            self.engine.update_value(|e| e.settled = 0);
            self.status.update(|s| {
                s.progress = None;
                s.retry_at = None;
            });
            return;
        };
        let settled = self.engine.with_value(|e| e.settled);
        let total = settled + self.queue.pending_count();
        self.engine.update_value(|e| {
            e.busy = true;
            e.again = false;
        });
        self.status.update(|s| s.progress = Some((settled, total)));
        let body = wire::push_body(&batch, clock::now());
        let ids: Vec<EventId> = batch.iter().map(|o| o.id).collect();
        let deadline = self.deadline;
        spawn_local(async move {
            let reply = net::request(
                PUSH_URL,
                Some(&body),
                bearer.as_deref().map(net::Auth::Bearer),
                deadline,
            )
            .await;
            // The page may have been taken down while the push was out.
            if self.engine.try_update_value(|e| e.busy = false).is_none() {
                return;
            }
            // The server's Retry-After binds whatever happened meanwhile.
            let told_to_wait = matches!(&reply, Ok(r) if r.retry_after_secs.is_some());
            let wait = self.finish(&ids, reply);
            let again = self.engine.with_value(|e| e.again) && !told_to_wait;
            match wait {
                None => self.round(),
                _ if again => self.round(),
                Some(ms) => {
                    self.schedule(ms);
                    if !told_to_wait {
                        self.arm_probe(ms);
                    }
                }
            }
        });
    }

    fn schedule(self, ms: u64) {
        let handle = set_timeout_with_handle(
            move || {
                let _ = self.engine.try_update_value(|e| {
                    e.timer = None;
                    if let Some(t) = e.probe.take() {
                        t.clear();
                    }
                });
                self.round();
            },
            Duration::from_millis(ms),
        )
        .ok();
        self.engine.update_value(|e| e.timer = handle);
        let at = Timestamp(clock::now().0.saturating_add(ms as i64));
        self.status.update(|s| s.retry_at = Some(at));
    }

    /// Asks the server's health route, in a few seconds, whether it is back while the loop
    /// waits `wait_ms` (see `rules::probe_in`); an answer ends the wait at once, no answer
    /// asks again later, until the wait is over.
    fn arm_probe(self, wait_ms: u64) {
        let problem = self.engine.with_value(|e| e.waiting_for);
        let Some(ms) = problem.and_then(|p| rules::probe_in(p, false, wait_ms, env::random_unit()))
        else {
            return;
        };
        let handle = set_timeout_with_handle(
            move || {
                let _ = self.engine.try_update_value(|e| e.probe = None);
                spawn_local(async move {
                    let alive = matches!(
                        net::request(HEALTH_URL, None, None, PROBE_DEADLINE).await,
                        Ok(r) if r.status == 200
                    );
                    // Only while the same wait is still on.
                    let waiting = self.engine.try_with_value(|e| e.timer.is_some() && !e.busy);
                    if waiting != Some(true) {
                        return;
                    }
                    if alive {
                        self.send_now();
                    } else {
                        let left = self
                            .status
                            .with_untracked(|s| s.retry_at)
                            .map_or(0, |at| u64::try_from(at.0 - clock::now().0).unwrap_or(0));
                        self.arm_probe(left);
                    }
                });
            },
            Duration::from_millis(ms),
        )
        .ok();
        self.engine.update_value(|e| e.probe = handle);
    }

    /// Carries out what a push's result means; returns how long to wait before the next
    /// round (`None`: go on at once).
    fn finish(self, ids: &[EventId], reply: Result<net::Reply, net::NetError>) -> Option<u64> {
        let (seen, receipts) = match &reply {
            Ok(r) => {
                let receipts = if r.status == 200 {
                    wire::read_receipts(&r.body, ids)
                } else {
                    Vec::new()
                };
                let seen = Reply::Answer {
                    status: r.status,
                    retry_after_secs: r.retry_after_secs,
                    receipts: receipts.len(),
                };
                (seen, receipts)
            }
            Err(net::NetError::Timeout) => (Reply::Timeout, Vec::new()),
            Err(net::NetError::Unreachable) => (Reply::Unreachable, Vec::new()),
        };
        let next = self
            .engine
            .try_update_value(|e| e.backoff.after(seen, ids.len(), env::random_unit()))?;
        match next {
            Next::Settle => {
                self.queue.settle(&receipts);
                let now = clock::now();
                self.queue.answered(now);
                self.engine.update_value(|e| e.settled += receipts.len());
                self.status.update(|s| {
                    s.last_ok = Some(now);
                    s.problem = None;
                    s.retry_at = None;
                });
                None
            }
            Next::Split => None,
            Next::Refuse(reason) => {
                self.queue.settle(&[(ids[0], Receipt::Rejected(reason))]);
                self.engine.update_value(|e| e.settled += 1);
                None
            }
            Next::Wait { ms, problem } => {
                self.engine.update_value(|e| e.waiting_for = Some(problem));
                // Nothing is being sent while the loop waits: no progress line until it tries.
                self.status.update(|s| {
                    s.problem = Some(problem);
                    s.progress = None;
                });
                Some(ms)
            }
        }
    }
}
