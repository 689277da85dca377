//! The ticket links the server makes ([`Links`]): more secrets that open a customer's ticket,
//! for the links in the messages sent to the customer. Only their hashes are stored, like the
//! device's own ticket secret. Written once for both backends over [`Executor`] like
//! [`super::shared`]'s. Every [`super::Access`] is also [`Links`].

use super::error::DbError;
use super::shared::{Executor, rows};

/// Operations on server-made ticket links.
pub trait Links {
    /// Records a link's secret hash for the case `case_id` (of `store`, ticket code `ticket`).
    fn insert_ticket_link(
        &mut self,
        hash: &str,
        case_id: &str,
        store: &str,
        ticket: &str,
        now_ms: i64,
    ) -> Result<(), DbError>;
    /// `(case_id, ticket)` of the link whose secret hashes to `hash`.
    fn ticket_link(&mut self, hash: &str) -> Result<Option<(String, String)>, DbError>;
    /// Whether `hash` is the hash of a secret that opens `case_id`: the device's own or a link's.
    fn opens_ticket(&mut self, case_id: &str, hash: &str) -> Result<bool, DbError>;
}

impl<E: Executor> Links for E {
    fn insert_ticket_link(
        &mut self,
        hash: &str,
        case_id: &str,
        store: &str,
        ticket: &str,
        now_ms: i64,
    ) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO ticket_links (secret_hash, case_id, store, ticket, created_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            &[&hash, &case_id, &store, &ticket, &now_ms],
        )?;
        Ok(())
    }

    fn ticket_link(&mut self, hash: &str) -> Result<Option<(String, String)>, DbError> {
        let found = rows(
            self,
            "SELECT case_id, ticket FROM ticket_links WHERE secret_hash = ?1",
            &[&hash],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok(found.into_iter().next())
    }

    fn opens_ticket(&mut self, case_id: &str, hash: &str) -> Result<bool, DbError> {
        let found: Vec<String> = rows(
            self,
            "SELECT case_id FROM tickets WHERE case_id = ?1 AND secret_hash = ?2
             UNION ALL
             SELECT case_id FROM ticket_links WHERE case_id = ?1 AND secret_hash = ?2",
            &[&case_id, &hash],
            |row| row.get(0),
        )?;
        Ok(!found.is_empty())
    }
}
