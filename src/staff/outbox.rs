//! The steps staff took on this tablet, kept until the server has them.
//!
//! Kept in `localStorage` under `srk1:staff:<store>:outbox` as JSON and pushed to
//! `POST /api/v1/events` with the latest session token, oldest first, at most a batch at a
//! time. A step the server refuses stays in the list, marked with the server's reason, so staff
//! see it and nothing is silently lost; the case view then folds without it.

use crate::platform::net;
use recovery_core::sync::{MAX_BATCH_EVENTS, classify_push};
use recovery_core::{Event, EventId, PushOutcome, Slug};
use serde::{Deserialize, Serialize};

/// Where a step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Not yet confirmed by the server.
    Pending,
    /// The server has it.
    Sent,
    /// The server refused it.
    Refused,
}

/// One step taken on this tablet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    /// The step.
    pub event: Event,
    /// Where it stands.
    pub delivery: Delivery,
    /// The server's words when it refused it.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The steps kept for `store` (`srk1:staff:<store>:outbox`); unreadable data gives an empty
/// list (and is left in place under its key until the next save, which a person's next step
/// makes).
pub fn load(store: &Slug) -> Vec<Queued> {
    super::device::read(store, "outbox")
}

/// Keeps the steps; `false` when storage is full or blocked.
pub fn save(store: &Slug, queued: &[Queued]) -> bool {
    super::device::write(store, "outbox", &queued)
}

#[derive(Deserialize)]
struct Answer {
    results: Vec<Result>,
}

#[derive(Deserialize)]
struct Result {
    id: Option<EventId>,
    status: String,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

/// What a push found out about each step.
pub type Receipts = Vec<(EventId, Delivery, Option<String>)>;

/// Pushes the pending steps (at most one batch). `None` when the server could not be reached
/// or answered something unusable: everything stays pending.
pub async fn push(token: &str, queued: &[Queued]) -> Option<Receipts> {
    let batch: Vec<&Event> = queued
        .iter()
        .filter(|q| q.delivery == Delivery::Pending)
        .map(|q| &q.event)
        .take(MAX_BATCH_EVENTS)
        .collect();
    if batch.is_empty() {
        return Some(Vec::new());
    }
    match push_batch(token, &batch).await? {
        Pushed::Receipts(r) => Some(r),
        // The server refuses the batch as a whole: send the steps one by one, so the one it
        // refuses is marked and the others go through.
        Pushed::Split => {
            let mut receipts = Vec::new();
            for event in batch {
                match push_batch(token, &[event]).await? {
                    Pushed::Receipts(r) => receipts.extend(r),
                    Pushed::Split => {}
                }
            }
            Some(receipts)
        }
    }
}

enum Pushed {
    Receipts(Receipts),
    Split,
}

async fn push_batch(token: &str, batch: &[&Event]) -> Option<Pushed> {
    let body = serde_json::json!({ "events": batch }).to_string();
    let reply = net::request(
        "/api/v1/events",
        Some(&body),
        Some(token),
        super::device::DEADLINE,
    )
    .await
    .ok()?;
    match classify_push(Some(reply.status), reply.retry_after_secs, batch.len()) {
        PushOutcome::Receipts => {
            let answer: Answer = serde_json::from_str(&reply.body).ok()?;
            Some(Pushed::Receipts(
                answer
                    .results
                    .into_iter()
                    .filter_map(|r| {
                        let delivery = match r.status.as_str() {
                            "stored" | "duplicate" => Delivery::Sent,
                            "rejected" => Delivery::Refused,
                            _ => return None,
                        };
                        Some((r.id?, delivery, r.detail.or(r.reason)))
                    })
                    .collect(),
            ))
        }
        PushOutcome::Split => Some(Pushed::Split),
        PushOutcome::Reject => Some(Pushed::Receipts(vec![(
            batch[0].id,
            Delivery::Refused,
            Some(reply.status.to_string()),
        )])),
        // Busy or broken: keep everything for the next try.
        PushOutcome::Retry { .. } => None,
    }
}
