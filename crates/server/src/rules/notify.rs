//! The rules of notifications: which events call for a message to whom and when
//! ([`plan`], run in the push's transaction, so a stored event and its messages commit
//! together), whether a message is still worth sending when its time comes ([`still_due`]),
//! quiet hours, and the words and payload of each message. Sending is `crate::notifier`'s job.
//!
//! A message is one row of the outbox per rule, case and recipient: the same rule never
//! writes twice for a case, whichever device pushes the event again and whichever instance
//! takes it.

use recovery_core::{Case, Contact, Event, EventKind, Timestamp, apology_plan};
use serde::Serialize;

use crate::store::{Access, DbError, NotificationRow, RecipientRow, StoreRow};

pub use recovery_core::{NoticeRule as Rule, Quiet};

/// The rules an event calls, each with when its message is due (server clock).
pub fn calls(case: &Case, event: &Event, store: &StoreRow) -> Vec<(Rule, Timestamp)> {
    let now = event.time();
    match &event.kind {
        EventKind::Filed { complaint, .. } => {
            let ack = store.ack_minutes.saturating_mul(60_000);
            let mut rules = vec![(Rule::Unacknowledged, Timestamp(case.filed_at.0 + ack))];
            if apology_plan(complaint).escalate {
                rules.push((Rule::Escalated, now));
            }
            rules
        }
        EventKind::Escalated { .. } => vec![(Rule::Escalated, now)],
        EventKind::Resolved {
            follow_up_at: Some(at),
            ..
        } => vec![(Rule::FollowUpDue, *at)],
        EventKind::FollowedUp { held: false, .. } | EventKind::Answered { held: false, .. } => {
            vec![(Rule::Reopened, now)]
        }
        _ => Vec::new(),
    }
}

/// Puts into the outbox the messages `event` calls for, one per rule and recipient that
/// follows it. Runs in the transaction that stored the event; `case` is the case after it.
pub fn plan(
    db: &mut dyn Access,
    listeners: &mut Listeners,
    case: &Case,
    event: &Event,
) -> Result<(), DbError> {
    let store = event.origin.store.as_str();
    let asks = super::ask::calls(case, event);
    // Who listens first: a store nobody follows costs a push one small query.
    let recipients = listeners.of(db, store)?;
    if recipients.is_empty() && asks.is_empty() {
        return Ok(());
    }
    let case_id = case.id.to_string();
    // (rule, due, scope, channel, address) of each message.
    let mut messages: Vec<(Rule, Timestamp, String, &str, &str)> = Vec::new();
    if !recipients.is_empty() {
        let Some(row) = db.store(store)? else {
            return Ok(());
        };
        let mut calls: Vec<(Rule, Timestamp, String)> = calls(case, event, &row)
            .into_iter()
            .map(|(rule, due)| (rule, due, case_id.clone()))
            .collect();
        if recipients.iter().any(|r| follows(r, Rule::Spike))
            && let Some(hour) = spike(db, event)?
        {
            // One alert per touchpoint and hour, whichever filing tips it.
            let scope = format!("{}@{hour}", event.origin.touchpoint);
            calls.push((Rule::Spike, event.time(), scope));
        }
        for (rule, due, scope) in calls {
            for r in recipients.iter().filter(|r| follows(r, rule)) {
                messages.push((rule, due, scope.clone(), &r.channel, &r.address));
            }
        }
    }
    for (rule, due) in asks {
        match &case.complaint.contact {
            // The address is read from the case when the message goes, never kept here.
            Some(Contact::Email(_)) => {
                messages.push((rule, due, case_id.clone(), super::ask::CUSTOMER, "email"));
            }
            // A phone number: through each of the store's webhooks that names the rule.
            Some(Contact::Phone(_)) => {
                for r in recipients
                    .iter()
                    .filter(|r| r.channel == "webhook" && follows(r, rule))
                {
                    messages.push((rule, due, case_id.clone(), &r.channel, &r.address));
                }
            }
            None => {}
        }
    }
    let created = crate::store::now_ms();
    for (rule, due, scope, channel, address) in messages {
        let message = NotificationRow {
            key: [rule.name(), &scope, channel, address].join("/"),
            store: store.to_owned(),
            rule: rule.name().to_owned(),
            case_id: case_id.clone(),
            channel: channel.to_owned(),
            address: address.to_owned(),
            due_at_ms: due.0,
            next_at_ms: due.0,
            attempts: 0,
            state: "due".into(),
            done_at_ms: None,
            last_error: None,
        };
        db.insert_notification(&message, created)?;
    }
    Ok(())
}

/// A recipient as `list-recipients` prints it (never a webhook's key): channel, address,
/// rules, quiet hours.
pub fn recipient_line(recipient: &RecipientRow) -> String {
    let quiet = if recipient.quiet.is_empty() {
        "-"
    } else {
        &recipient.quiet
    };
    [
        recipient.channel.as_str(),
        &recipient.address,
        &recipient.rules,
        quiet,
    ]
    .join("\t")
}

/// A message as `list-notifications` prints it: rule, case, channel, address, state, failed
/// tries, due and done (ms since the epoch, `-` when not yet), last error.
pub fn notification_line(message: &NotificationRow) -> String {
    let done = message.done_at_ms.map_or("-".into(), |at| at.to_string());
    [
        message.rule.as_str(),
        &message.case_id,
        &message.channel,
        &message.address,
        &message.state,
        &message.attempts.to_string(),
        &message.due_at_ms.to_string(),
        &done,
        message.last_error.as_deref().unwrap_or("-"),
    ]
    .join("\t")
}

/// For a filing that has just arrived, the hour (since the epoch) in which it makes its
/// touchpoint's filings of the last hour a spike, by the tablets' test
/// (`recovery_core::insights::SpikeRule`'s defaults): the count of the last hour against the
/// mean of the same hour on up to 28 earlier days of the store's history, past the Poisson
/// threshold; nothing while the store has no earlier day. Counted by arrival at the server, so
/// only a filing that arrived within its hour (not one sent late from an offline queue) can
/// tip it.
pub fn spike(db: &mut dyn Access, event: &Event) -> Result<Option<i64>, DbError> {
    use recovery_core::insights::{DAY_MS, SpikeRule, poisson_threshold};
    let EventKind::Filed { .. } = event.kind else {
        return Ok(None);
    };
    let Some(arrived) = event.clock.and_then(|c| c.received_at) else {
        return Ok(None);
    };
    let rule = SpikeRule::default();
    let window = i64::from(rule.window_minutes) * 60_000;
    if arrived.0 - event.time().0 > window {
        return Ok(None);
    }
    let now = arrived.0;
    let Some(first) = db.first_arrival(event.origin.store.as_str())? else {
        return Ok(None);
    };
    let days = ((now - window - first).div_euclid(DAY_MS)).clamp(0, i64::from(rule.baseline_days));
    if days == 0 {
        return Ok(None);
    }
    // One count per window: each reads only that hour's rows of the index.
    let (store, touchpoint) = (
        event.origin.store.as_str(),
        event.origin.touchpoint.as_str(),
    );
    let count = db.filings_between(store, touchpoint, now - window, now)?;
    let mut before = 0;
    for day in 1..=days {
        let end = now - day * DAY_MS;
        before += db.filings_between(store, touchpoint, end - window, end)?;
    }
    let expected = before as f64 / days as f64;
    let threshold = poisson_threshold(expected, rule.alpha, rule.min_count);
    Ok((count >= i64::from(threshold)).then(|| now.div_euclid(window)))
}

/// Each store's recipients, read once per push (its events are planned one by one).
#[derive(Debug, Default)]
pub struct Listeners(std::collections::HashMap<String, Vec<RecipientRow>>);

impl Listeners {
    /// `store`'s recipients, read on first use.
    fn of(&mut self, db: &mut dyn Access, store: &str) -> Result<&[RecipientRow], DbError> {
        if !self.0.contains_key(store) {
            let found = db.recipients(store)?;
            self.0.insert(store.to_owned(), found);
        }
        Ok(self.0.get(store).map_or(&[], Vec::as_slice))
    }
}

/// Whether `recipient` follows `rule`.
pub fn follows(recipient: &RecipientRow, rule: Rule) -> bool {
    recipient
        .rules
        .split(',')
        .any(|name| name.trim() == rule.name())
}

/// Whether a message of `rule` still has something to say about `case` now: nobody
/// acknowledged it yet, it still waits for a manager's resolution, its follow-up is still not
/// done. A reopening is news whatever happened since.
pub fn still_due(rule: Rule, case: &Case) -> bool {
    use recovery_core::Status;
    match rule {
        Rule::Unacknowledged => case.status == Status::Filed,
        Rule::Escalated => case.status.is_open(),
        Rule::FollowUpDue => case.follow_up_at.is_some() && case.status != Status::Closed,
        Rule::Reopened | Rule::Spike => true,
        Rule::AskRating | Rule::AskHeld => super::ask::still_due(rule, case),
    }
}

/// What a webhook receives (and, in words, an email): the case by its ticket, never the
/// customer's words or contact details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payload {
    /// The message's key: the same for every try, so a receiver can drop repeats.
    pub id: String,
    /// The rule's name.
    pub rule: &'static str,
    /// The store.
    pub store: String,
    /// The store's name.
    pub store_name: String,
    /// The case's id.
    pub case: String,
    /// Its ticket code.
    pub ticket: String,
    /// Where it was filed.
    pub touchpoint: String,
    /// That place as people call it (its display name, else its slug in words).
    pub place: String,
    /// Where it stands.
    pub status: &'static str,
    /// What went wrong, as the customer chose (a category key such as `billing`).
    pub category: &'static str,
    /// How much it affected them, when they said (`minor` ... `severe`).
    pub impact: Option<&'static str>,
    /// When it was filed (milliseconds since the Unix epoch).
    pub filed_at: i64,
    /// When the rule wanted the message sent.
    pub due_at: i64,
    /// Where staff open the store's cases.
    pub url: String,
}

impl Payload {
    /// The payload of `message` about `case`, with links under `base_url`.
    pub fn of(
        message: &NotificationRow,
        rule: Rule,
        case: &Case,
        store: &StoreRow,
        place: &str,
        base_url: &str,
    ) -> Payload {
        Payload {
            id: message.key.clone(),
            rule: rule.name(),
            store: store.slug.clone(),
            store_name: store.name.clone(),
            case: case.id.to_string(),
            ticket: case.ticket.to_string(),
            touchpoint: case.touchpoint.to_string(),
            place: place.to_owned(),
            status: case.status.key(),
            category: case.complaint.category.key(),
            impact: case.complaint.impact.map(|i| i.key()),
            filed_at: case.filed_at.0,
            due_at: message.due_at_ms,
            url: format!("{}/staff/{}", base_url.trim_end_matches('/'), store.slug),
        }
    }

    /// The email's subject and text.
    pub fn email(&self) -> (String, String) {
        let what = match Rule::parse(self.rule) {
            Some(Rule::Unacknowledged) => "has not been acknowledged by its target",
            Some(Rule::Escalated) => "needs a manager",
            Some(Rule::FollowUpDue) => "is due for its follow-up: ask whether the fix held",
            Some(Rule::Reopened) => "was reopened: the fix did not hold",
            Some(Rule::Spike) => {
                "came in a spike: far more complaints here in the last hour than usual"
            }
            Some(Rule::AskRating | Rule::AskHeld) | None => "needs attention",
        };
        let subject = format!("{}: complaint {} {what}", self.store_name, self.ticket);
        let impact = self
            .impact
            .map_or(String::new(), |i| format!(", impact {i}"));
        let text = format!(
            "Complaint {ticket} at {store} ({touchpoint}) {what}.\n\n\
             Category {category}{impact}; status {status}.\n\n\
             Open the store's cases: {url}\n\n\
             You receive this because you follow '{rule}' for {store}. \
             To stop, ask whoever runs the kiosk server to remove you \
             (remove-recipient).\n",
            ticket = self.ticket,
            store = self.store_name,
            touchpoint = self.place,
            category = self.category,
            status = self.status,
            url = self.url,
            rule = self.rule,
        );
        (subject, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_no_to_did_it_hold_alerts_the_store_whoever_answered() {
        use recovery_core::testing::{actor, filed_event, step};
        let store = StoreRow {
            slug: "demo".into(),
            name: "Demo store".into(),
            currency: "EUR".into(),
            ack_minutes: 5,
            resolve_hours: 24,
            follow_up_days: 3,
            contact_salt: "00".into(),
            languages: "en".into(),
            chime: false,
            retention_days: 365,
            chain: "demo".into(),
            shifts: "[]".into(),
        };
        let case = recovery_core::fold([&filed_event(1, 2, 1_000, "It broke")])
            .unwrap()
            .unwrap();
        let by = actor("ana", recovery_core::Role::Staff, 0);
        for (kind, reopens) in [
            (EventKind::answered(false, "").unwrap(), true),
            (EventKind::answered(true, "").unwrap(), false),
            (
                EventKind::FollowedUp {
                    by: by.clone(),
                    held: false,
                    note: String::new(),
                },
                true,
            ),
        ] {
            let rules: Vec<Rule> = calls(&case, &step(3, 2, 5_000, kind), &store)
                .into_iter()
                .map(|(rule, _)| rule)
                .collect();
            let expected = if reopens {
                vec![Rule::Reopened]
            } else {
                vec![]
            };
            assert_eq!(rules, expected);
        }
    }
}
