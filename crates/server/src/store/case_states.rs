//! The cases' read model ([`CaseStates`]): one row per case with its folded state and events
//! as JSON, and the seq of its latest event; and beside it, in a table of its own, what the
//! reports read of the case. Written once for both backends over [`Executor`]
//! like [`super::shared`]'s. Every [`super::Access`] is also [`CaseStates`]. What goes into a
//! row is `rules::cases`'s decision.

use super::error::DbError;
use super::shared::{Executor, Param, rows};
use recovery_core::api::Part;

/// How many cases [`CaseStates::case_states_of`] reads in one query (its SQL has this many
/// placeholders).
pub const CASES_PER_READ: usize = 32;

/// One case's row of the read model.
#[derive(Debug, Clone, Copy)]
pub struct CaseStateRow<'a> {
    /// The case.
    pub case_id: &'a str,
    /// Its store.
    pub store: &'a str,
    /// The seq of its latest stored event.
    pub seq: i64,
    /// Whether it is in the store's queue.
    pub queued: bool,
    /// Its state and events, as the core's `api::CaseState` JSON.
    pub body: &'a str,
    /// What reports read of it (`rules::cases`).
    pub facts: &'a str,
}

/// Operations on the cases' read model.
pub trait CaseStates {
    /// Writes the state of `case_id` (replacing the one kept).
    fn put_case_state(&mut self, row: &CaseStateRow<'_>) -> Result<(), DbError>;
    /// `(seq, body)` of at most `limit` case states of `store` in `part` whose seq is above
    /// `after`, by seq.
    fn case_states(
        &mut self,
        store: &str,
        after: i64,
        limit: i64,
        part: Part,
    ) -> Result<Vec<(i64, String)>, DbError>;
    /// `(seq, facts)` of at most `limit` cases of `store` whose seq is above `after`, by seq.
    fn case_facts(
        &mut self,
        store: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String)>, DbError>;
    /// Each store that has cases, with how many, most first.
    fn stores_by_cases(&mut self) -> Result<Vec<(String, i64)>, DbError>;
    /// The bodies of the states of `case_ids` that belong to `store` (any order).
    fn case_states_of(&mut self, store: &str, case_ids: &[&str]) -> Result<Vec<String>, DbError>;
    /// The seq of the latest stored event of `case_id`.
    fn latest_seq(&mut self, case_id: &str) -> Result<Option<i64>, DbError>;
    /// Up to `limit` cases after `after` (by id) that have events but no state (stored before
    /// the read model), by id.
    fn cases_without_state(&mut self, after: &str, limit: i64) -> Result<Vec<String>, DbError>;
}

impl<E: Executor> CaseStates for E {
    fn put_case_state(&mut self, row: &CaseStateRow<'_>) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO case_states (case_id, store, seq, queued, body) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (case_id) DO UPDATE
             SET seq = excluded.seq, queued = excluded.queued, body = excluded.body",
            &[&row.case_id, &row.store, &row.seq, &row.queued, &row.body],
        )?;
        self.execute(
            "INSERT INTO case_facts (case_id, store, seq, facts) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq, facts = excluded.facts",
            &[&row.case_id, &row.store, &row.seq, &row.facts],
        )?;
        Ok(())
    }

    fn case_facts(
        &mut self,
        store: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String)>, DbError> {
        rows(
            self,
            "SELECT seq, facts FROM case_facts WHERE store = ?1 AND seq > ?2
             ORDER BY seq LIMIT ?3",
            &[&store, &after, &limit],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
    }

    fn case_states(
        &mut self,
        store: &str,
        after: i64,
        limit: i64,
        part: Part,
    ) -> Result<Vec<(i64, String)>, DbError> {
        let (sql, params): (&'static str, &[&dyn Param]) = match &part {
            Part::All => (
                "SELECT seq, body FROM case_states WHERE store = ?1 AND seq > ?2
                 ORDER BY seq LIMIT ?3",
                &[&store, &after, &limit],
            ),
            Part::Queue => (
                "SELECT seq, body FROM case_states WHERE store = ?1 AND seq > ?2 AND queued
                 ORDER BY seq LIMIT ?3",
                &[&store, &after, &limit],
            ),
            Part::Rest(read_to) => (
                "SELECT seq, body FROM case_states WHERE store = ?1 AND seq > ?2
                 AND (NOT queued OR seq > ?4) ORDER BY seq LIMIT ?3",
                &[&store, &after, &limit, read_to],
            ),
        };
        rows(self, sql, params, |row| Ok((row.get(0)?, row.get(1)?)))
    }

    fn stores_by_cases(&mut self) -> Result<Vec<(String, i64)>, DbError> {
        rows(
            self,
            "SELECT store, COUNT(*) AS n FROM case_facts GROUP BY store ORDER BY n DESC, store",
            &[],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
    }

    fn case_states_of(&mut self, store: &str, case_ids: &[&str]) -> Result<Vec<String>, DbError> {
        // One text with a placeholder per case, the same statement every time (prepared once);
        // the unused ones hold "", which is no case id. The store is checked here, not in SQL:
        // with it in the WHERE clause SQLite reads the store's whole index for each query.
        let mut out = Vec::new();
        for ids in case_ids.chunks(CASES_PER_READ) {
            let mut params: Vec<&dyn Param> = ids.iter().map(|id| id as &dyn Param).collect();
            params.resize(CASES_PER_READ, &"");
            let read: Vec<(String, String)> = rows(
                self,
                "SELECT store, body FROM case_states WHERE case_id IN (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)",
                &params,
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            out.extend(read.into_iter().filter(|(s, _)| s == store).map(|(_, b)| b));
        }
        Ok(out)
    }

    fn latest_seq(&mut self, case_id: &str) -> Result<Option<i64>, DbError> {
        Ok(rows(
            self,
            "SELECT seq FROM events WHERE case_id = ?1 ORDER BY seq DESC LIMIT 1",
            &[&case_id],
            |row| row.get(0),
        )?
        .pop())
    }

    fn cases_without_state(&mut self, after: &str, limit: i64) -> Result<Vec<String>, DbError> {
        rows(
            self,
            "SELECT DISTINCT e.case_id FROM events e
             WHERE e.case_id > ?1
               AND NOT EXISTS (SELECT 1 FROM case_states s WHERE s.case_id = e.case_id)
             ORDER BY e.case_id LIMIT ?2",
            &[&after, &limit],
            |row| row.get(0),
        )
    }
}
