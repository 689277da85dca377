//! The staff tablet's exchange with the server: wake the outbox client for this tablet's steps
//! (`outbox`, on the one client of `shared::outbox`), and pull new events, one pull at a time.
//!
//! It must never redraw the cases without news, nor run two pulls at once (they would append
//! the same pulled events twice). Storage and wire formats are `outbox`'s and `device`'s.

use super::device;
use super::outbox;
use super::state::Staff;
use crate::shared::platform::clock;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::{EventId, Mark};

impl Staff {
    /// Sends this tablet's steps (unless the client waits out a backoff), then pulls new
    /// events, when a token is known; quietly keeps what it has otherwise.
    pub(super) fn refresh(self) {
        self.steps.wake();
        let Some(token) = self.roster.with_untracked(|r| r.token.clone()) else {
            return;
        };
        // One pull at a time (two would append the same pulled events twice); a request
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
            let mut pulled = self.pulled.get_untracked();
            let result = device::pull(&store, &token, &mut pulled).await;
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
            let news = result.is_ok_and(|n| n > 0);
            if result.is_ok() {
                pulled.at = Some(clock::now());
                self.last_pull.set(pulled.at);
                device::save_pulled(&store, &pulled);
                if let Some(alerts) = device::alerts(&store, &token).await
                    && self.server_alerts.with_untracked(|a| *a != alerts)
                {
                    self.server_alerts.set(alerts);
                }
            }
            // What the server sent back is kept as pulled: the tablet's own copy can go.
            let known: std::collections::HashSet<EventId> =
                pulled.events.iter().map(|e| e.id).collect();
            if self.outbox.with_untracked(|o| {
                o.iter()
                    .any(|q| q.mark == Mark::Sent && known.contains(&q.event.id))
            }) {
                self.outbox.update(|o| {
                    o.retain(|q| !(q.mark == Mark::Sent && known.contains(&q.event.id)))
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
