//! The staff tablet's exchange with the server: wake the outbox client for this tablet's steps
//! (`outbox`, on the one client of `shared::outbox`), and bring the ledger up to date, one
//! exchange at a time: a tablet that holds nothing signs in to the store's cases as the server
//! keeps them (its read model: the cases in the queue first, shown at once, then the rest),
//! then every tablet pulls the events after its cursor. Only the
//! cases the server's word touched change, and only they are written to `keep`.
//!
//! It must never redraw the cases without news, nor run two exchanges at once (they would
//! record the same cases twice). Storage and wire formats are `keep`'s and `device`'s.

use super::device;
use super::outbox;
use super::state::{LedgerView, Reading, Staff, steps_into};
use crate::shared::platform::clock;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::api::Part;
use recovery_core::{Case, CaseId, Event, EventId, EventKind, Mark};
use std::collections::{BTreeSet, HashSet};

impl Staff {
    /// Sends this tablet's steps (unless the client waits out a backoff), then brings the
    /// cases up to date, when a token is known; quietly keeps what it has otherwise.
    pub(super) fn refresh(self) {
        self.steps.wake();
        let Some(token) = self.roster.with_untracked(|r| r.token.clone()) else {
            return;
        };
        // One exchange at a time; a request meanwhile runs once this one is done.
        let (busy, again) = self.in_flight.get_value();
        if busy {
            if !again {
                self.in_flight.set_value((true, true));
            }
            return;
        }
        self.in_flight.set_value((true, false));
        spawn_local(async move {
            let store = self.store();
            let ledger = self.ledger;
            let mut pulled = self.pulled.get_untracked();
            let mut touched: BTreeSet<CaseId> = BTreeSet::new();
            let mut from_server: HashSet<EventId> = HashSet::new();
            // Nothing held yet: the cases as the server keeps them, not every event; those in
            // the queue first, which it then shows, then the rest.
            let signing_in = pulled.cursor == 0;
            let signed_in = if signing_in {
                let mut restore = |cases: Vec<(Case, Vec<Event>)>| {
                    ledger.update_untracked(|LedgerView(l)| {
                        for (case, events) in cases {
                            touched.insert(case.id);
                            from_server.extend(events.iter().map(|e| e.id));
                            l.restore(case, events);
                        }
                    })
                };
                let queue =
                    device::sign_in_cases(&store, &token, Part::Queue, &mut pulled, &mut restore)
                        .await;
                match queue {
                    Err(status) => Err(status),
                    Ok(read_to) => {
                        self.outbox.with_untracked(|o| steps_into(ledger, o));
                        ledger.notify();
                        // The queue's cases are as of now; the rest follows.
                        self.last_pull.set(Some(clock::now()));
                        self.reading.set(Reading::Store);
                        let rest = Part::Rest(read_to);
                        let rest =
                            device::sign_in_cases(&store, &token, rest, &mut pulled, &mut restore)
                                .await;
                        self.reading.set(Reading::Nothing);
                        rest.map(|next| pulled.cursor = next.max(read_to))
                    }
                }
            } else {
                Ok(())
            };
            let result = match signed_in {
                Err(status) => Err(status),
                Ok(()) => {
                    device::pull(&store, &token, &mut pulled, |events| {
                        ledger.update_untracked(|LedgerView(l)| {
                            for event in events {
                                touched.insert(event.case);
                                from_server.insert(event.id);
                                let (case, erased) =
                                    (event.case, matches!(event.kind, EventKind::Erased { .. }));
                                // The server's copy of a step taken here wins (it noted when
                                // it arrived).
                                if l.event(event.id).is_some_and(|kept| *kept != event) {
                                    l.remove(event.id);
                                }
                                let _ = l.record(event);
                                // The server erased the customer's name and contact: this
                                // tablet forgets them too.
                                if erased {
                                    l.forget_customer(case);
                                }
                            }
                        })
                    })
                    .await
                }
            };
            if result == Err(401) {
                // The session was ended on the server (a new PIN, a deactivated person, a
                // revoked token): stop using it, and ask for an online sign-in in words.
                self.roster.update(|r| {
                    if r.token.as_deref() == Some(token.as_str()) {
                        r.token = None;
                    }
                    r.signed_out = true;
                });
                self.save_roster();
            }
            if result.is_ok() {
                pulled.at = Some(clock::now());
                self.last_pull.set(pulled.at);
                if let Some(alerts) = device::alerts(&store, &token).await
                    && self.server_alerts.with_untracked(|a| *a != alerts)
                {
                    self.server_alerts.set(alerts);
                }
            }
            // What the server sent back is the server's: the tablet's own copy can go.
            if self.outbox.with_untracked(|o| {
                o.iter()
                    .any(|q| q.mark == Mark::Sent && from_server.contains(&q.event.id))
            }) {
                self.outbox.update(|o| {
                    o.retain(|q| !(q.mark == Mark::Sent && from_server.contains(&q.event.id)))
                });
                self.outbox.with_untracked(|o| outbox::save(&store, o));
            }
            if self.pull_failed.get_untracked() != result.is_err() {
                self.pull_failed.set(result.is_err());
            }
            // Only news redraws the cases (with this tablet's steps on cases the server's word
            // replaced).
            if !touched.is_empty() {
                self.outbox.with_untracked(|o| steps_into(ledger, o));
                ledger.notify();
            }
            if self.pulled.with_untracked(|p| *p != pulled) {
                self.pulled.set(pulled.clone());
            }
            // Kept: the cases the server's word touched, and the cursor that covers them.
            self.keep_cases(&store, touched.into_iter().collect(), &pulled)
                .await;
            // A sign-in brought every case: their report facts are made now rather than at the
            // first report. A later pull changes a few, which the next report reads again.
            if signing_in {
                self.warm_reports();
            }
            let (_, again) = self.in_flight.get_value();
            self.in_flight.set_value((false, false));
            if again {
                self.refresh();
            }
        });
    }
}
