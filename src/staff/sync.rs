//! The staff tablet's exchange with the server: push this tablet's steps, then pull new
//! events, one exchange at a time.
//!
//! It must never redraw the cases without news, nor run two exchanges at once (they would
//! append the same pulled events twice). Storage and wire formats are `outbox`'s and
//! `device`'s.

use super::device;
use super::outbox::{self, Delivery};
use super::state::Staff;
use crate::platform::clock;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::EventId;

impl Staff {
    /// Sends this tablet's steps, then pulls new events, when a token is known; quietly keeps
    /// what it has otherwise.
    pub(super) fn refresh(self) {
        let Some(token) = self.roster.with_untracked(|r| r.token.clone()) else {
            return;
        };
        // One exchange at a time (two would append the same pulled events twice); a request
        // meanwhile runs once this one is done.
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
            let queued = self.outbox.get_untracked();
            if let Some(receipts) = outbox::push(&token, &queued).await
                && !receipts.is_empty()
            {
                self.outbox.update(|o| {
                    for (id, delivery, reason) in receipts {
                        if let Some(q) = o.iter_mut().find(|q| q.event.id == id) {
                            q.delivery = delivery;
                            q.reason = reason;
                        }
                    }
                });
                self.outbox.with_untracked(|o| outbox::save(&store, o));
            }
            let mut pulled = self.pulled.get_untracked();
            let result = device::pull(&store, &token, &mut pulled).await;
            if result.is_ok() {
                pulled.at = Some(clock::now());
                self.last_pull.set(pulled.at);
            }
            let news = result.is_ok_and(|n| n > 0);
            if result.is_ok() {
                device::save_pulled(&store, &pulled);
            }
            // What the server sent back is kept as pulled: the tablet's own copy can go.
            let known: std::collections::HashSet<EventId> =
                pulled.events.iter().map(|e| e.id).collect();
            if self.outbox.with_untracked(|o| {
                o.iter()
                    .any(|q| q.delivery == Delivery::Sent && known.contains(&q.event.id))
            }) {
                self.outbox.update(|o| {
                    o.retain(|q| !(q.delivery == Delivery::Sent && known.contains(&q.event.id)))
                });
                self.outbox.with_untracked(|o| outbox::save(&store, o));
            }
            if self.pull_failed.get_untracked() != result.is_err() {
                self.pull_failed.set(result.is_err());
            }
            // Only news redraws the cases.
            if news {
                self.pulled.set(pulled);
            }
            let (_, again) = self.in_flight.get_value();
            self.in_flight.set_value((false, false));
            if again {
                self.refresh();
            }
        });
    }
}
