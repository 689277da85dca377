//! The rows erasing customers needs ([`Forget`]): which cases of a store were closed long
//! enough ago, and rewriting a filing's stored body without the customer's name and contact.
//! Written once for both backends over [`Executor`] like [`super::shared`]'s. Every
//! [`super::Access`] is also [`Forget`]. It must never decide what to erase (the rules do).

use super::error::DbError;
use super::shared::{Executor, rows};

/// Operations for erasing customers' details.
pub trait Forget {
    /// Every store with its retention days.
    fn retention(&mut self) -> Result<Vec<(String, i64)>, DbError>;
    /// The cases of `store` with a close that arrived before `before_ms` and no erasure yet
    /// (a reopened case may have closed again since: the rules fold to be sure).
    fn closed_unerased(&mut self, store: &str, before_ms: i64) -> Result<Vec<String>, DbError>;
    /// Every case filed in `store`.
    fn filed_cases(&mut self, store: &str) -> Result<Vec<String>, DbError>;
    /// Replaces the stored body of the event `id`; `false` when there is none.
    fn set_event_body(&mut self, id: &str, body: &str) -> Result<bool, DbError>;
}

impl<E: Executor> Forget for E {
    fn retention(&mut self) -> Result<Vec<(String, i64)>, DbError> {
        rows(
            self,
            "SELECT slug, retention_days FROM stores ORDER BY slug",
            &[],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
    }

    fn closed_unerased(&mut self, store: &str, before_ms: i64) -> Result<Vec<String>, DbError> {
        rows(
            self,
            "SELECT DISTINCT c.case_id FROM events c
             WHERE c.store = ?1 AND c.kind = 'closed' AND c.received_at_ms < ?2
               AND NOT EXISTS (SELECT 1 FROM events x WHERE x.case_id = c.case_id AND x.kind = 'erased')
             ORDER BY c.case_id",
            &[&store, &before_ms],
            |row| row.get(0),
        )
    }

    fn filed_cases(&mut self, store: &str) -> Result<Vec<String>, DbError> {
        rows(
            self,
            "SELECT case_id FROM events WHERE store = ?1 AND kind = 'filed' ORDER BY seq",
            &[&store],
            |row| row.get(0),
        )
    }

    fn set_event_body(&mut self, id: &str, body: &str) -> Result<bool, DbError> {
        let changed = self.execute("UPDATE events SET body = ?2 WHERE id = ?1", &[&id, &body])?;
        Ok(changed == 1)
    }
}
