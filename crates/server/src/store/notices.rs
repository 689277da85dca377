//! The notification outbox's rows: who hears of a store's cases ([`RecipientRow`]) and the
//! messages waiting, sent or dropped ([`NotificationRow`]), and [`Notices`], their operations,
//! written once for both backends over [`Executor`] like [`super::shared`]'s. Every
//! [`super::Access`] is also [`Notices`], so the rules reach both through one transaction.

use super::error::DbError;
use super::shared::{Executor, Row, rows};

/// Who hears of a store's cases outside its tablets, and of what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientRow {
    /// The store.
    pub store: String,
    /// `email` or `webhook`.
    pub channel: String,
    /// The email address or the webhook's URL.
    pub address: String,
    /// The rules they follow, comma-separated.
    pub rules: String,
    /// Quiet hours, `HH:MM-HH:MM` in the store's local time; empty for none.
    pub quiet: String,
    /// The key a webhook's requests are signed with.
    pub secret: Option<String>,
}

/// One message of the notification outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRow {
    /// Rule, case, channel and address: what makes it one message.
    pub key: String,
    /// The store.
    pub store: String,
    /// The rule that called for it.
    pub rule: String,
    /// The case it is about.
    pub case_id: String,
    /// `email` or `webhook`.
    pub channel: String,
    /// Where it goes.
    pub address: String,
    /// When the rule wants it sent (server clock, milliseconds).
    pub due_at_ms: i64,
    /// When it is next tried.
    pub next_at_ms: i64,
    /// How many tries failed.
    pub attempts: i64,
    /// `due`, `sent` or `dropped`.
    pub state: String,
    /// When it was sent or dropped.
    pub done_at_ms: Option<i64>,
    /// Why the latest try failed, or why it was dropped.
    pub last_error: Option<String>,
}

/// The outbox's SQL operations, one small function each, inside one transaction.
pub trait Notices {
    /// Creates or replaces a recipient of a store's notifications.
    fn upsert_recipient(&mut self, row: &RecipientRow) -> Result<(), DbError>;
    /// Removes a recipient; `false` when there was none.
    fn delete_recipient(
        &mut self,
        store: &str,
        channel: &str,
        address: &str,
    ) -> Result<bool, DbError>;
    /// A store's recipients, by channel and address.
    fn recipients(&mut self, store: &str) -> Result<Vec<RecipientRow>, DbError>;
    /// Puts a message in the outbox unless one of its key exists; `false` when it did.
    fn insert_notification(&mut self, row: &NotificationRow, now_ms: i64) -> Result<bool, DbError>;
    /// At most `limit` due messages that nobody holds at `now_ms`, the most overdue first.
    fn due_notifications(
        &mut self,
        now_ms: i64,
        limit: i64,
    ) -> Result<Vec<NotificationRow>, DbError>;
    /// Holds a due message until `until_ms` unless someone else holds it at `now_ms`; `false`
    /// when they do (or it is no longer due).
    fn claim_notification(
        &mut self,
        key: &str,
        now_ms: i64,
        until_ms: i64,
    ) -> Result<bool, DbError>;
    /// Records how a try went: `state` (`sent`, `dropped` or `due` again at `next_at_ms`),
    /// the failures so far and the error; lets go of it.
    fn settle_notification(&mut self, row: &NotificationRow) -> Result<(), DbError>;
    /// A store's messages, oldest first.
    fn notifications(&mut self, store: &str) -> Result<Vec<NotificationRow>, DbError>;
}

impl<E: Executor> Notices for E {
    fn upsert_recipient(&mut self, row: &RecipientRow) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO recipients (store, channel, address, rules, quiet, secret)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (store, channel, address) DO UPDATE SET rules = excluded.rules,
                 quiet = excluded.quiet, secret = excluded.secret",
            &[
                &row.store,
                &row.channel,
                &row.address,
                &row.rules,
                &row.quiet,
                &row.secret,
            ],
        )
        .map(drop)
    }

    fn delete_recipient(
        &mut self,
        store: &str,
        channel: &str,
        address: &str,
    ) -> Result<bool, DbError> {
        let deleted = self.execute(
            "DELETE FROM recipients WHERE store = ?1 AND channel = ?2 AND address = ?3",
            &[&store, &channel, &address],
        )?;
        Ok(deleted > 0)
    }

    fn recipients(&mut self, store: &str) -> Result<Vec<RecipientRow>, DbError> {
        rows(
            self,
            "SELECT store, channel, address, rules, quiet, secret FROM recipients
             WHERE store = ?1 ORDER BY channel, address",
            &[&store],
            |row| {
                Ok(RecipientRow {
                    store: row.get(0)?,
                    channel: row.get(1)?,
                    address: row.get(2)?,
                    rules: row.get(3)?,
                    quiet: row.get(4)?,
                    secret: row.get(5)?,
                })
            },
        )
    }

    fn insert_notification(&mut self, row: &NotificationRow, now_ms: i64) -> Result<bool, DbError> {
        let inserted = self.execute(
            "INSERT INTO notifications (key, store, rule, case_id, channel, address, due_at_ms, next_at_ms, created_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (key) DO NOTHING",
            &[
                &row.key,
                &row.store,
                &row.rule,
                &row.case_id,
                &row.channel,
                &row.address,
                &row.due_at_ms,
                &row.next_at_ms,
                &now_ms,
            ],
        )?;
        Ok(inserted == 1)
    }

    fn due_notifications(
        &mut self,
        now_ms: i64,
        limit: i64,
    ) -> Result<Vec<NotificationRow>, DbError> {
        rows(
            self,
            "SELECT key, store, rule, case_id, channel, address, due_at_ms, next_at_ms, attempts, state, done_at_ms, last_error
             FROM notifications WHERE state = 'due' AND next_at_ms <= ?1 AND claimed_until_ms <= ?1
             ORDER BY next_at_ms, key LIMIT ?2",
            &[&now_ms, &limit],
            notification,
        )
    }

    fn claim_notification(
        &mut self,
        key: &str,
        now_ms: i64,
        until_ms: i64,
    ) -> Result<bool, DbError> {
        let claimed = self.execute(
            "UPDATE notifications SET claimed_until_ms = ?3
             WHERE key = ?1 AND state = 'due' AND claimed_until_ms <= ?2",
            &[&key, &now_ms, &until_ms],
        )?;
        Ok(claimed == 1)
    }

    fn settle_notification(&mut self, row: &NotificationRow) -> Result<(), DbError> {
        self.execute(
            "UPDATE notifications SET state = ?2, next_at_ms = ?3, attempts = ?4, done_at_ms = ?5,
                 last_error = ?6, claimed_until_ms = 0
             WHERE key = ?1",
            &[
                &row.key,
                &row.state,
                &row.next_at_ms,
                &row.attempts,
                &row.done_at_ms,
                &row.last_error,
            ],
        )
        .map(drop)
    }

    fn notifications(&mut self, store: &str) -> Result<Vec<NotificationRow>, DbError> {
        rows(
            self,
            "SELECT key, store, rule, case_id, channel, address, due_at_ms, next_at_ms, attempts, state, done_at_ms, last_error
             FROM notifications WHERE store = ?1 ORDER BY due_at_ms, key",
            &[&store],
            notification,
        )
    }
}

/// A [`NotificationRow`] from the columns the notification queries select, in its field order.
fn notification(row: Row<'_>) -> Result<NotificationRow, DbError> {
    Ok(NotificationRow {
        key: row.get(0)?,
        store: row.get(1)?,
        rule: row.get(2)?,
        case_id: row.get(3)?,
        channel: row.get(4)?,
        address: row.get(5)?,
        due_at_ms: row.get(6)?,
        next_at_ms: row.get(7)?,
        attempts: row.get(8)?,
        state: row.get(9)?,
        done_at_ms: row.get(10)?,
        last_error: row.get(11)?,
    })
}
