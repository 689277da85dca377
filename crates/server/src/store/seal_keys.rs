//! The server's sealing key ([`SealKeys`]), one for the database, which every instance shares.
//! Written once for both backends over [`Executor`] like [`super::shared`]'s. Every
//! [`super::Access`] is also [`SealKeys`].

use super::error::DbError;
use super::shared::{Executor, rows};

/// Operations on the sealing key.
pub trait SealKeys {
    /// The secret half of the database's sealing key: `candidate` (made by the caller) when
    /// there was none, else the one kept (another instance may have kept its own first).
    fn seal_key(&mut self, candidate: &str, now_ms: i64) -> Result<String, DbError>;
}

impl<E: Executor> SealKeys for E {
    fn seal_key(&mut self, candidate: &str, now_ms: i64) -> Result<String, DbError> {
        self.execute(
            "INSERT INTO seal_keys (id, secret, created_at_ms) VALUES ('current', ?1, ?2)
             ON CONFLICT (id) DO NOTHING",
            &[&candidate, &now_ms],
        )?;
        rows(
            self,
            "SELECT secret FROM seal_keys WHERE id = 'current'",
            &[],
            |row| row.get(0),
        )?
        .pop()
        .ok_or_else(|| DbError::Corrupt("the sealing key was not kept".into()))
    }
}
