//! The steps staff took on this tablet, kept until the server has them: the staff app's queue
//! for the one outbox client (`shared::outbox`), which pushes them with the session's token,
//! oldest first, a batch at a time, with the same backoff, `Retry-After`, halving of a refused
//! batch and deadline as every other push.
//!
//! Kept in `localStorage` under `srk1:staff:<store>:outbox` as JSON, in the format tablets have
//! kept since the first release (`delivery`: pending, sent or refused, and the server's
//! `reason`), read into the core's `Mark`. A step the server refuses stays in the list, marked
//! with the server's reason, so staff see it and nothing is silently lost; the case view then
//! folds without it. A sent step stays until a pull brings it back (`sync`).

use super::device::{self, Roster};
use crate::shared::outbox::{Client, Credential, Outgoing, Queue};
use leptos::prelude::*;
use recovery_core::{Event, EventId, Mark, Receipt, RejectReason, Slug};
use serde::{Deserialize, Serialize};

/// One step taken on this tablet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "Stored", into = "Stored")]
pub struct Queued {
    /// The step.
    pub event: Event,
    /// Where it stands.
    pub mark: Mark,
}

/// How a step is kept (the format of every release so far).
#[derive(Serialize, Deserialize)]
struct Stored {
    event: Event,
    delivery: Delivery,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Delivery {
    Pending,
    Sent,
    Refused,
}

impl From<Stored> for Queued {
    fn from(s: Stored) -> Queued {
        let mark = match s.delivery {
            Delivery::Pending => Mark::Pending,
            Delivery::Sent => Mark::Sent,
            // Earlier releases kept the server's words, not its code: those read as "refused".
            Delivery::Refused => {
                Mark::Rejected(RejectReason::from_code(s.reason.as_deref().unwrap_or("")))
            }
        };
        Queued {
            event: s.event,
            mark,
        }
    }
}

impl From<Queued> for Stored {
    fn from(q: Queued) -> Stored {
        let (delivery, reason) = match q.mark {
            Mark::Pending => (Delivery::Pending, None),
            Mark::Sent => (Delivery::Sent, None),
            Mark::Rejected(r) => (Delivery::Refused, Some(r.code().to_owned())),
        };
        Stored {
            event: q.event,
            delivery,
            reason,
        }
    }
}

/// The steps kept for `store` (`srk1:staff:<store>:outbox`); unreadable data gives an empty
/// list (and is left in place under its key until the next save, which a person's next step
/// makes).
pub fn load(store: &Slug) -> Vec<Queued> {
    device::read(store, "outbox")
}

/// Keeps the steps (durably: see `device::write_durable`); `false` when storage is full or
/// blocked.
pub fn save(store: &Slug, queued: &[Queued]) -> bool {
    device::write_durable(store, "outbox", &queued)
}

/// Hands the steps the journal holds for `store` to `found`, once read.
pub fn journaled(store: &Slug, found: impl FnOnce(Vec<Queued>) + 'static) {
    device::journaled(store, "outbox", found);
}

/// Adds to `queued` the steps of `journaled` it lacks (a browser killed before its working
/// copy was written out), and takes the journal's word for a step it still holds as pending
/// that the journal knows was sent or refused. Returns whether anything changed.
pub fn merge(queued: &mut Vec<Queued>, journaled: Vec<Queued>) -> bool {
    let mut changed = false;
    for step in journaled {
        match queued.iter_mut().find(|q| q.event.id == step.event.id) {
            None => {
                queued.push(step);
                changed = true;
            }
            Some(q) if q.mark == Mark::Pending && step.mark != Mark::Pending => {
                q.mark = step.mark;
                changed = true;
            }
            Some(_) => {}
        }
    }
    if changed {
        queued.sort_by_key(|q| q.event.at);
    }
    changed
}

/// The tablet's steps as the outbox client's queue: sent with the session's token (none while
/// no one has signed in on this tablet: then they wait), kept marked once sent.
#[derive(Clone, Copy)]
pub(super) struct Steps {
    pub(super) store: StoredValue<Slug>,
    pub(super) queued: RwSignal<Vec<Queued>>,
    pub(super) roster: RwSignal<Roster>,
}

/// Handle to the staff app's outbox client.
pub(super) type StepsClient = Client<Steps>;

impl Queue for Steps {
    fn next_batch(&self, max: usize) -> Vec<Outgoing> {
        self.queued.with_untracked(|o| {
            o.iter()
                .filter(|q| q.mark == Mark::Pending)
                .take(max)
                .map(|q| Outgoing {
                    id: q.event.id,
                    json: serde_json::to_string(&q.event).unwrap_or_default(),
                    secret: None,
                    sealed: None,
                })
                .collect()
        })
    }

    fn pending_count(&self) -> usize {
        self.queued
            .with(|o| o.iter().filter(|q| q.mark == Mark::Pending).count())
    }

    fn settle(&self, receipts: &[(EventId, Receipt)]) {
        self.queued.update(|o| {
            for (id, receipt) in receipts {
                if let Some(q) = o.iter_mut().find(|q| q.event.id == *id) {
                    q.mark = match receipt {
                        Receipt::Rejected(reason) => Mark::Rejected(*reason),
                        _ => Mark::Sent,
                    };
                }
            }
        });
        let store = self.store.get_value();
        self.queued.with_untracked(|o| save(&store, o));
    }

    fn credential(&self) -> Credential {
        self.roster
            .with_untracked(|r| r.token.clone())
            .map_or(Credential::Missing, Credential::Bearer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step() -> Event {
        recovery_core::testing::filed_event(1, 2, 1000, "Waited 40 minutes")
    }

    #[test]
    fn steps_kept_by_earlier_releases_read_into_marks() {
        let event = serde_json::to_value(step()).unwrap();
        let kept = serde_json::json!([
            {"event": event, "delivery": "pending"},
            {"event": event, "delivery": "sent", "reason": null},
            {"event": event, "delivery": "refused", "reason": "forbidden"},
            {"event": event, "delivery": "refused", "reason": "a resolved step cannot follow"},
        ]);
        let read: Vec<Queued> = serde_json::from_value(kept).unwrap();
        let marks: Vec<Mark> = read.iter().map(|q| q.mark).collect();
        assert_eq!(
            marks,
            [
                Mark::Pending,
                Mark::Sent,
                Mark::Rejected(RejectReason::Forbidden),
                Mark::Rejected(RejectReason::Unprocessable)
            ]
        );
    }

    fn queued(n: u128, at: i64, mark: Mark) -> Queued {
        let mut event = step();
        event.id = recovery_core::EventId(uuid::Uuid::from_u128(n));
        event.at = recovery_core::Timestamp(at);
        Queued { event, mark }
    }

    #[test]
    fn merging_the_journal_restores_lost_steps_and_never_drops_one() {
        // The working copy lost the newest step and still thinks the first is pending.
        let mut here = vec![
            queued(1, 10, Mark::Pending),
            queued(2, 20, Mark::Sent),
            queued(4, 40, Mark::Pending),
        ];
        let journal = vec![
            queued(1, 10, Mark::Sent),
            queued(2, 20, Mark::Pending),
            queued(3, 30, Mark::Pending),
        ];
        assert!(merge(&mut here, journal.clone()));
        let marks: Vec<(u128, Mark)> = here
            .iter()
            .map(|q| (q.event.id.0.as_u128(), q.mark))
            .collect();
        assert_eq!(
            marks,
            [
                (1, Mark::Sent),
                (2, Mark::Sent),
                (3, Mark::Pending),
                (4, Mark::Pending)
            ]
        );
        assert!(!merge(&mut here, journal), "a second merge changes nothing");
    }

    #[test]
    fn steps_are_kept_in_the_format_earlier_releases_read() {
        let q = Queued {
            event: step(),
            mark: Mark::Rejected(RejectReason::Refused),
        };
        let text = serde_json::to_value(&q).unwrap();
        assert_eq!(text["delivery"], "refused");
        assert_eq!(text["reason"], "refused");
        assert_eq!(serde_json::from_value::<Queued>(text).unwrap(), q);
    }
}
