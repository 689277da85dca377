//! The worker of the notification outbox (see [`crate::rules::notify`] for what goes in it):
//! every few seconds it takes the messages that are due, holds each for a while so that no
//! other instance takes it too, checks that it still has something to say, waits out the
//! recipient's quiet hours, sends it (email over SMTP, or a signed webhook) and records how
//! that went: sent, dropped, or due again after a growing wait.
//!
//! Delivery is at least once: a message is marked sent right after its server accepted it,
//! so only a crash between the two sends it twice; webhooks carry the message's key
//! (`X-Recovery-Delivery`) so a receiver can tell. A message that fails is tried again after
//! `retry_ms`, doubling up to an hour, for up to [`GIVE_UP_MS`] after it was due.

use std::time::Duration;

use hmac::{Hmac, Mac};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use recovery_core::{Case, Contact, Timestamp, fold};
use sha2::Sha256;
use tokio::sync::watch;

use crate::config::NotifyConfig;
use crate::rules::ask;
use crate::rules::notify::{Payload, Quiet, Rule, follows, still_due};
use crate::rules::sync::stored_event;
use crate::store::{Database, DbError, Mode, NotificationRow, RecipientRow, StoreRow, now_ms};

/// How long a worker holds a message it took: longer than any send may take.
pub const LEASE_MS: i64 = 120_000;
/// How long after its due time a failing message is tried before it is dropped.
pub const GIVE_UP_MS: i64 = 3 * 24 * 3_600_000;
/// Messages taken per round.
const BATCH: i64 = 20;
/// The longest wait between two tries.
const RETRY_MAX_MS: i64 = 3_600_000;
/// How long one send may take.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// The header that carries a webhook's signature: `t=<ms>,v1=<hex HMAC-SHA256 of "<ms>.<body>">`.
pub const SIGNATURE_HEADER: &str = "x-recovery-signature";
/// The header that carries a message's key.
pub const DELIVERY_HEADER: &str = "x-recovery-delivery";

/// Starts the worker on the runtime; it stops when `closing` turns true.
pub fn spawn(db: Database, config: NotifyConfig, base_url: String, closing: watch::Receiver<bool>) {
    let mailer = match config
        .smtp_url
        .as_deref()
        .map(AsyncSmtpTransport::<Tokio1Executor>::from_url)
    {
        None => None,
        Some(Ok(builder)) => Some(builder.timeout(Some(SEND_TIMEOUT)).build()),
        Some(Err(err)) => {
            tracing::error!(error = %err, "the SMTP URL cannot be used: no email will be sent");
            None
        }
    };
    let http = reqwest::Client::builder()
        .timeout(SEND_TIMEOUT)
        .build()
        .unwrap_or_default();
    let worker = Worker {
        db,
        mailer,
        http,
        config,
        base_url,
    };
    tokio::spawn(worker.run(closing));
}

struct Worker {
    db: Database,
    mailer: Option<AsyncSmtpTransport<Tokio1Executor>>,
    http: reqwest::Client,
    config: NotifyConfig,
    base_url: String,
}

/// What became of one message.
enum Outcome {
    Sent,
    Dropped(String),
    Later(i64),
    Failed(String),
}

impl Worker {
    async fn run(self, mut closing: watch::Receiver<bool>) {
        let every = Duration::from_millis(self.config.every_ms.max(50));
        loop {
            if let Err(err) = self.round().await {
                tracing::warn!(error = %err, "the notification round failed; trying again");
            }
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                _ = closing.changed() => return,
            }
            if *closing.borrow() {
                return;
            }
        }
    }

    /// Takes and works the messages due now.
    async fn round(&self) -> Result<(), DbError> {
        let now = now_ms();
        let due = self
            .db
            .transaction(Mode::Read, move |db| db.due_notifications(now, BATCH))
            .await?;
        for message in due {
            let key = message.key.clone();
            let now = now_ms();
            let taken = self
                .db
                .transaction(Mode::Write, move |db| {
                    db.claim_notification(&key, now, now + LEASE_MS)
                })
                .await?;
            if !taken {
                continue;
            }
            let outcome = self.work(&message).await?;
            self.settle(message, outcome).await?;
        }
        Ok(())
    }

    async fn work(&self, message: &NotificationRow) -> Result<Outcome, DbError> {
        let Some(rule) = Rule::parse(&message.rule) else {
            return Ok(Outcome::Dropped(format!("no rule '{}'", message.rule)));
        };
        let (store, case_id, channel, address) = (
            message.store.clone(),
            message.case_id.clone(),
            message.channel.clone(),
            message.address.clone(),
        );
        let found = self
            .db
            .transaction(Mode::Read, move |db| {
                let store_row = db.store(&store)?;
                let recipient = db
                    .recipients(&store)?
                    .into_iter()
                    .find(|r| r.channel == channel && r.address == address);
                let events = db
                    .case_events(&case_id)?
                    .iter()
                    .map(|(_, body)| stored_event(body))
                    .collect::<Result<Vec<_>, _>>()?;
                let places = db.touchpoints(&store)?;
                Ok((store_row, recipient, events, places))
            })
            .await?;
        let (Some(store), recipient, events, places) = found else {
            return Ok(Outcome::Dropped("the store is gone".into()));
        };
        let Ok(Some(case)) = fold(&events) else {
            return Ok(Outcome::Dropped("the case cannot be read".into()));
        };
        if !still_due(rule, &case) {
            return Ok(Outcome::Dropped("nothing to say any more".into()));
        }
        // A webhook must still be there and still follow the rule; the customer is written to
        // at the address the case holds now (none once erased or withdrawn: not still due).
        let recipient = match recipient {
            Some(r) if follows(&r, rule) => Some(r),
            _ if message.channel == ask::CUSTOMER => None,
            _ => return Ok(Outcome::Dropped("the recipient is gone".into())),
        };
        let now = now_ms();
        let quiet = match &recipient {
            _ if rule.for_customer() => Some(ask::quiet()),
            Some(r) => Quiet::parse(&r.quiet),
            None => None,
        };
        if let Some(quiet) = quiet {
            let release = quiet.release(Timestamp(now), case.utc_offset_minutes);
            if release.0 > now {
                return Ok(Outcome::Later(release.0));
            }
        }
        let place = places
            .into_iter()
            .find(|(slug, name)| slug == case.touchpoint.as_str() && !name.is_empty())
            .map_or_else(|| case.touchpoint.as_words(), |(_, name)| name);
        let sent = match (rule.for_customer(), &recipient) {
            (true, webhook) => {
                self.ask(message, rule, &case, &store, &place, webhook.as_ref())
                    .await?
            }
            (false, Some(recipient)) => {
                let payload = Payload::of(message, rule, &case, &store, &place, &self.base_url);
                match message.channel.as_str() {
                    "email" => {
                        let (subject, text) = payload.email();
                        self.email(None, &recipient.address, &subject, text).await
                    }
                    _ => self.webhook(recipient, &payload.id, &payload).await,
                }
            }
            (false, None) => return Ok(Outcome::Dropped("the recipient is gone".into())),
        };
        Ok(match sent {
            Ok(()) => Outcome::Sent,
            Err(err) => Outcome::Failed(err),
        })
    }

    /// Sends the customer's message of `rule` about `case`, with a new link to their ticket.
    async fn ask(
        &self,
        message: &NotificationRow,
        rule: Rule,
        case: &Case,
        store: &StoreRow,
        place: &str,
        webhook: Option<&RecipientRow>,
    ) -> Result<Result<(), String>, DbError> {
        // The link's secret exists only in the message; the database keeps its hash.
        let Ok(secret) = crate::secrets::new_token() else {
            return Ok(Err("no randomness for the ticket link".into()));
        };
        let (hash, case_id, slug, ticket) = (
            crate::secrets::sha256_hex(&secret),
            case.id.to_string(),
            store.slug.clone(),
            case.ticket.to_string(),
        );
        self.db
            .transaction(Mode::Write, move |db| {
                db.insert_ticket_link(&hash, &case_id, &slug, &ticket, now_ms())
            })
            .await?;
        let link = format!(
            "{}/t/#{}.{secret}",
            self.base_url.trim_end_matches('/'),
            case.id
        );
        let ask = ask::Ask::new(
            rule,
            &ask::Context {
                id: &message.key,
                case,
                store_name: &store.name,
                store_languages: &store.languages,
                place,
                link: &link,
            },
        );
        Ok(match (&case.complaint.contact, webhook) {
            (Some(Contact::Email(address)), None) if message.channel == ask::CUSTOMER => {
                self.email(Some(&store.name), address, &ask.subject, ask.body.clone())
                    .await
            }
            (Some(Contact::Phone(_)), Some(webhook)) => self.webhook(webhook, &ask.id, &ask).await,
            _ => Err("the customer's contact is no longer one this channel reaches".into()),
        })
    }

    /// Sends a plain-text email to `address`; `sender` names who it is from (the store, to a
    /// customer) in place of `--mail-from`'s own name.
    async fn email(
        &self,
        sender: Option<&str>,
        address: &str,
        subject: &str,
        text: String,
    ) -> Result<(), String> {
        let Some(mailer) = &self.mailer else {
            return Err("no SMTP server is configured (--smtp-url)".into());
        };
        let mut from: Mailbox = self
            .config
            .mail_from
            .parse()
            .map_err(|e| format!("--mail-from: {e}"))?;
        if let Some(name) = sender {
            from.name = Some(name.to_owned());
        }
        let to: Mailbox = address.parse().map_err(|e| format!("address: {e}"))?;
        let email = lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(text)
            .map_err(|e| e.to_string())?;
        mailer
            .send(email)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }

    async fn webhook(
        &self,
        recipient: &RecipientRow,
        id: &str,
        payload: &impl serde::Serialize,
    ) -> Result<(), String> {
        let body = serde_json::to_string(payload).map_err(|e| e.to_string())?;
        let at = now_ms();
        let signature = sign(recipient.secret.as_deref().unwrap_or_default(), at, &body);
        let answer = self
            .http
            .post(&recipient.address)
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, signature)
            .header(DELIVERY_HEADER, id)
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if answer.status().is_success() {
            Ok(())
        } else {
            Err(format!("the webhook answered {}", answer.status()))
        }
    }

    async fn settle(&self, mut message: NotificationRow, outcome: Outcome) -> Result<(), DbError> {
        let now = now_ms();
        match outcome {
            Outcome::Sent => {
                message.state = "sent".into();
                message.done_at_ms = Some(now);
                message.last_error = None;
                tracing::info!(rule = %message.rule, channel = %message.channel, store = %message.store, "notification sent");
            }
            Outcome::Dropped(why) => {
                message.state = "dropped".into();
                message.done_at_ms = Some(now);
                message.last_error = Some(why);
            }
            Outcome::Later(at) => message.next_at_ms = at,
            Outcome::Failed(why) => {
                message.attempts += 1;
                tracing::warn!(rule = %message.rule, channel = %message.channel, attempts = message.attempts, error = %why, "notification failed; will retry");
                if now - message.due_at_ms > GIVE_UP_MS {
                    message.state = "dropped".into();
                    message.done_at_ms = Some(now);
                } else {
                    message.next_at_ms = now + retry_wait(self.config.retry_ms, message.attempts);
                }
                message.last_error = Some(why);
            }
        }
        self.db
            .transaction(Mode::Write, move |db| db.settle_notification(&message))
            .await
    }
}

/// The wait before try `attempts + 1`: `base_ms` doubling per failure, at most an hour.
pub fn retry_wait(base_ms: u64, attempts: i64) -> i64 {
    let base = i64::try_from(base_ms).unwrap_or(RETRY_MAX_MS).max(1);
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(u32::MAX)
        .min(20);
    base.saturating_mul(1 << doublings)
        .min(RETRY_MAX_MS.max(base))
}

/// The signature header's value for `body` sent at `at_ms` with `secret`.
pub fn sign(secret: &str, at_ms: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(at_ms.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let hex = crate::secrets::hex(&mac.finalize().into_bytes());
    format!("t={at_ms},v1={hex}")
}

/// Whether `header` is a valid signature of `body` with `secret` (what a receiver checks).
pub fn verify(secret: &str, header: &str, body: &str) -> bool {
    let Some((at, _)) = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(','))
    else {
        return false;
    };
    let Ok(at) = at.parse::<i64>() else {
        return false;
    };
    // Constant time is the receiver's concern; this is the reference check for tests and docs.
    sign(secret, at, body) == header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(retry_wait(30_000, 1), 30_000);
        assert_eq!(retry_wait(30_000, 2), 60_000);
        assert_eq!(retry_wait(30_000, 3), 120_000);
        assert_eq!(retry_wait(30_000, 40), 3_600_000);
        assert_eq!(retry_wait(200, 1), 200);
    }

    #[test]
    fn a_signature_verifies_only_for_its_body_and_secret() {
        let header = sign("k3y", 1_700_000_000_000, "{\"a\":1}");
        assert!(header.starts_with("t=1700000000000,v1="));
        assert_eq!(header.len(), "t=1700000000000,v1=".len() + 64);
        assert!(verify("k3y", &header, "{\"a\":1}"));
        assert!(!verify("k3y", &header, "{\"a\":2}"));
        assert!(!verify("other", &header, "{\"a\":1}"));
        assert!(!verify("k3y", "v1=00", "{\"a\":1}"));
    }
}
