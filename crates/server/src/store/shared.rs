//! [`Access`] written once for both backends: every operation is one SQL
//! text that SQLite and PostgreSQL both accept, run through [`Executor`],
//! the few calls a backend must provide (run a statement, read rows).
//!
//! Placeholders are written SQLite's way, `?1`, `?2`, ...; the PostgreSQL
//! executor turns them into `$1`, `$2`, ... when it prepares a statement
//! (see [`numbered_for_postgres`]), so no text here contains a `$`.
//! This module must never open a transaction (the backends do that), never
//! decide what to store, and never use SQL that only one backend accepts.

use super::access::{
    Access, AlertRow, EventRow, KeyRow, StaffRow, StoreRow, TicketRow, TokenInfo, TokenRow,
};
use super::error::DbError;

/// A value bound to a placeholder: anything both drivers can send.
pub trait Param {
    /// The value for SQLite.
    fn sqlite(&self) -> &dyn rusqlite::ToSql;
    /// The value for PostgreSQL.
    fn postgres(&self) -> &(dyn postgres::types::ToSql + Sync);
}

impl<T: rusqlite::ToSql + postgres::types::ToSql + Sync> Param for T {
    fn sqlite(&self) -> &dyn rusqlite::ToSql {
        self
    }

    fn postgres(&self) -> &(dyn postgres::types::ToSql + Sync) {
        self
    }
}

/// A column value both drivers can read.
pub trait Column: Sized {
    /// Reads column `index` of an SQLite row.
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, DbError>;
    /// Reads column `index` of a PostgreSQL row.
    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self, DbError>;
}

impl<T> Column for T
where
    T: rusqlite::types::FromSql + for<'a> postgres::types::FromSql<'a>,
{
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, DbError> {
        Ok(row.get(index)?)
    }

    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self, DbError> {
        Ok(row.try_get(index)?)
    }
}

/// One result row, from whichever backend read it.
#[derive(Clone, Copy)]
pub enum Row<'r> {
    /// A row SQLite is stepping through.
    Sqlite(&'r rusqlite::Row<'r>),
    /// A row PostgreSQL sent.
    Postgres(&'r postgres::Row),
}

impl Row<'_> {
    /// Column `index` (from 0) as a `T`; an error when it holds another type.
    pub fn get<T: Column>(self, index: usize) -> Result<T, DbError> {
        match self {
            Row::Sqlite(row) => T::from_sqlite(row, index),
            Row::Postgres(row) => T::from_postgres(row, index),
        }
    }
}

/// What a backend provides inside one open transaction.
pub trait Executor {
    /// Runs a statement that returns no rows, through the connection's
    /// statement cache, and returns how many rows it changed.
    fn execute(&mut self, sql: &'static str, params: &[&dyn Param]) -> Result<u64, DbError>;

    /// Runs a query through the statement cache and hands each row to `each`.
    fn query(
        &mut self,
        sql: &'static str,
        params: &[&dyn Param],
        each: &mut dyn FnMut(Row<'_>) -> Result<(), DbError>,
    ) -> Result<(), DbError>;

    /// Runs a query without caching its statement (for rare queries, such as
    /// health checks, whose plan is not worth keeping) and hands each row to
    /// `each`.
    fn query_once(
        &mut self,
        sql: &'static str,
        each: &mut dyn FnMut(Row<'_>) -> Result<(), DbError>,
    ) -> Result<(), DbError>;

    /// Tells the other server instances, once this transaction commits, that `store` has
    /// news (see [`crate::live`]). Nothing to do where only one instance can run (SQLite).
    fn announce(&mut self, _store: &str) -> Result<(), DbError> {
        Ok(())
    }
}

/// The rows of a query, each read by `read`.
pub(super) fn rows<E, T>(
    db: &mut E,
    sql: &'static str,
    params: &[&dyn Param],
    read: impl Fn(Row<'_>) -> Result<T, DbError>,
) -> Result<Vec<T>, DbError>
where
    E: Executor + ?Sized,
{
    let mut out = Vec::new();
    db.query(sql, params, &mut |row| {
        out.push(read(row)?);
        Ok(())
    })?;
    Ok(out)
}

/// The first row of a query, if any, read by `read`.
pub(super) fn first<E, T>(
    db: &mut E,
    sql: &'static str,
    params: &[&dyn Param],
    read: impl Fn(Row<'_>) -> Result<T, DbError>,
) -> Result<Option<T>, DbError>
where
    E: Executor + ?Sized,
{
    let mut found = None;
    db.query(sql, params, &mut |row| {
        if found.is_none() {
            found = Some(read(row)?);
        }
        Ok(())
    })?;
    Ok(found)
}

fn pair<A: Column, B: Column>(row: Row<'_>) -> Result<(A, B), DbError> {
    Ok((row.get(0)?, row.get(1)?))
}

/// A query of the columns of a [`StaffRow`], in its field order, with
/// `$tail` (a literal: `WHERE ...`) after `FROM staff`.
macro_rules! select_staff {
    ($tail:literal) => {
        concat!(
            "SELECT store, id, name, role, limit_minor, pin_salt, pin_rounds, pin_hash, active, failures, last_failure_ms FROM staff ",
            $tail
        )
    };
}

fn staff_row(row: Row<'_>) -> Result<StaffRow, DbError> {
    Ok(StaffRow {
        store: row.get(0)?,
        id: row.get(1)?,
        name: row.get(2)?,
        role: row.get(3)?,
        limit_minor: row.get(4)?,
        pin_salt: row.get(5)?,
        pin_rounds: row.get(6)?,
        pin_hash: row.get(7)?,
        active: row.get(8)?,
        failures: row.get(9)?,
        last_failure_ms: row.get(10)?,
    })
}

impl<E: Executor> Access for E {
    fn event_body(&mut self, id: &str) -> Result<Option<String>, DbError> {
        first(
            self,
            "SELECT body FROM events WHERE id = ?1",
            &[&id],
            |row| row.get(0),
        )
    }

    fn case_events(&mut self, case_id: &str) -> Result<Vec<(String, String)>, DbError> {
        rows(
            self,
            "SELECT store, body FROM events WHERE case_id = ?1 ORDER BY seq",
            &[&case_id],
            pair,
        )
    }

    fn insert_event(&mut self, row: &EventRow<'_>) -> Result<Option<i64>, DbError> {
        first(
            self,
            "INSERT INTO events (id, case_id, store, touchpoint, device, kind, at_ms, received_at_ms, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO NOTHING RETURNING seq",
            &[
                &row.id,
                &row.case_id,
                &row.store,
                &row.touchpoint,
                &row.device,
                &row.kind,
                &row.at_ms,
                &row.received_at_ms,
                &row.body,
            ],
            |row| row.get(0),
        )
    }

    fn insert_ticket(&mut self, row: &TicketRow<'_>) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO tickets (case_id, store, ticket, secret_hash, filed_event_id)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            &[
                &row.case_id,
                &row.store,
                &row.ticket,
                &row.secret_hash,
                &row.filed_event_id,
            ],
        )?;
        Ok(())
    }

    fn store_events(
        &mut self,
        store: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String)>, DbError> {
        rows(
            self,
            "SELECT seq, body FROM events WHERE store = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            &[&store, &after, &limit],
            pair,
        )
    }

    fn ticket_by_hash(&mut self, hash: &str) -> Result<Option<(String, String)>, DbError> {
        first(
            self,
            "SELECT case_id, ticket FROM tickets WHERE secret_hash = ?1",
            &[&hash],
            pair,
        )
    }

    fn insert_staff_token(&mut self, row: &TokenRow<'_>) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO staff_tokens (token_hash, store, label, created_at_ms, staff, expires_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                &row.hash,
                &row.store,
                &row.label,
                &row.created_at_ms,
                &row.staff,
                &row.expires_at_ms,
            ],
        )?;
        Ok(())
    }

    fn staff_store(
        &mut self,
        hash: &str,
        now_ms: i64,
    ) -> Result<Option<(String, Option<String>)>, DbError> {
        // `s.active` alone is a truth value in both: PostgreSQL's BOOLEAN,
        // SQLite's 0 or 1 (the column's CHECK allows nothing else).
        first(
            self,
            "SELECT t.store, t.staff FROM staff_tokens t
             WHERE t.token_hash = ?1 AND (t.expires_at_ms IS NULL OR t.expires_at_ms > ?2)
               AND (t.staff IS NULL OR EXISTS (
                   SELECT 1 FROM staff s WHERE s.store = t.store AND s.id = t.staff AND s.active))",
            &[&hash, &now_ms],
            pair,
        )
    }

    fn tokens(&mut self, store: Option<&str>) -> Result<Vec<TokenInfo>, DbError> {
        rows(
            self,
            "SELECT token_hash, store, label, staff, created_at_ms, expires_at_ms FROM staff_tokens
             WHERE CAST(?1 AS TEXT) IS NULL OR store = ?1 ORDER BY store, created_at_ms, token_hash",
            &[&store],
            |row| {
                Ok(TokenInfo {
                    hash: row.get(0)?,
                    store: row.get(1)?,
                    label: row.get(2)?,
                    staff: row.get(3)?,
                    created_at_ms: row.get(4)?,
                    expires_at_ms: row.get(5)?,
                })
            },
        )
    }

    fn delete_token(&mut self, hash: &str) -> Result<bool, DbError> {
        let deleted = self.execute("DELETE FROM staff_tokens WHERE token_hash = ?1", &[&hash])?;
        Ok(deleted == 1)
    }

    fn insert_staff_key(&mut self, row: &KeyRow) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO staff_keys (id, store, staff, public_key, created_at_ms, revoked_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                &row.id,
                &row.store,
                &row.staff,
                &row.public_key,
                &row.created_at_ms,
                &row.revoked_at_ms,
            ],
        )?;
        Ok(())
    }

    fn staff_key(&mut self, id: &str) -> Result<Option<KeyRow>, DbError> {
        first(
            self,
            "SELECT id, store, staff, public_key, created_at_ms, revoked_at_ms FROM staff_keys
             WHERE id = ?1",
            &[&id],
            |row| {
                Ok(KeyRow {
                    id: row.get(0)?,
                    store: row.get(1)?,
                    staff: row.get(2)?,
                    public_key: row.get(3)?,
                    created_at_ms: row.get(4)?,
                    revoked_at_ms: row.get(5)?,
                })
            },
        )
    }

    fn end_staff_access(&mut self, store: &str, staff: &str, now_ms: i64) -> Result<(), DbError> {
        self.execute(
            "DELETE FROM staff_tokens WHERE store = ?1 AND staff = ?2",
            &[&store, &staff],
        )?;
        self.execute(
            "UPDATE staff_keys SET revoked_at_ms = ?3
             WHERE store = ?1 AND staff = ?2 AND revoked_at_ms IS NULL",
            &[&store, &staff, &now_ms],
        )?;
        Ok(())
    }

    fn set_staff_active(&mut self, store: &str, id: &str, active: bool) -> Result<bool, DbError> {
        let changed = self.execute(
            "UPDATE staff SET active = ?3 WHERE store = ?1 AND id = ?2",
            &[&store, &id, &active],
        )?;
        Ok(changed == 1)
    }

    fn upsert_store(&mut self, row: &StoreRow, created_at_ms: i64) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO stores (slug, name, currency, ack_minutes, resolve_hours, follow_up_days, contact_salt, created_at_ms, languages, chime, retention_days, chain, shifts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, currency = excluded.currency,
                 ack_minutes = excluded.ack_minutes, resolve_hours = excluded.resolve_hours,
                 follow_up_days = excluded.follow_up_days, languages = excluded.languages,
                 chime = excluded.chime, retention_days = excluded.retention_days,
                 shifts = excluded.shifts",
            &[
                &row.slug,
                &row.name,
                &row.currency,
                &row.ack_minutes,
                &row.resolve_hours,
                &row.follow_up_days,
                &row.contact_salt,
                &created_at_ms,
                &row.languages,
                &row.chime,
                &row.retention_days,
                &row.chain,
                &row.shifts,
            ],
        )?;
        Ok(())
    }

    fn put_visits(&mut self, store: &str, days: &[(String, i64)]) -> Result<(), DbError> {
        for (day, visits) in days {
            self.execute(
                "INSERT INTO visits (store, day, visits) VALUES (?1, ?2, ?3)
                 ON CONFLICT (store, day) DO UPDATE SET visits = excluded.visits",
                &[&store, day, visits],
            )?;
        }
        Ok(())
    }

    fn visits(&mut self, store: &str) -> Result<Vec<(String, i64)>, DbError> {
        rows(
            self,
            "SELECT day, visits FROM visits WHERE store = ?1 ORDER BY day",
            &[&store],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
    }

    fn set_store_shifts(&mut self, store: &str, shifts: &str) -> Result<bool, DbError> {
        let changed = self.execute(
            "UPDATE stores SET shifts = ?2 WHERE slug = ?1",
            &[&store, &shifts],
        )?;
        Ok(changed == 1)
    }

    fn store(&mut self, slug: &str) -> Result<Option<StoreRow>, DbError> {
        first(
            self,
            "SELECT slug, name, currency, ack_minutes, resolve_hours, follow_up_days, contact_salt, languages, chime, retention_days, chain, shifts
             FROM stores WHERE slug = ?1",
            &[&slug],
            |row| {
                Ok(StoreRow {
                    slug: row.get(0)?,
                    name: row.get(1)?,
                    currency: row.get(2)?,
                    ack_minutes: row.get(3)?,
                    resolve_hours: row.get(4)?,
                    follow_up_days: row.get(5)?,
                    contact_salt: row.get(6)?,
                    languages: row.get(7)?,
                    chime: row.get(8)?,
                    retention_days: row.get(9)?,
                    chain: row.get(10)?,
                    shifts: row.get(11)?,
                })
            },
        )
    }

    fn touchpoints(&mut self, store: &str) -> Result<Vec<(String, String)>, DbError> {
        rows(
            self,
            "SELECT slug, name FROM touchpoints WHERE store = ?1 ORDER BY position, slug",
            &[&store],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
    }

    fn upsert_staff(&mut self, row: &StaffRow) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO staff (store, id, name, role, limit_minor, pin_salt, pin_rounds, pin_hash, active, failures, last_failure_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (store, id) DO UPDATE SET name = excluded.name, role = excluded.role,
                 limit_minor = excluded.limit_minor, pin_salt = excluded.pin_salt,
                 pin_rounds = excluded.pin_rounds, pin_hash = excluded.pin_hash,
                 active = excluded.active, failures = excluded.failures,
                 last_failure_ms = excluded.last_failure_ms",
            &[
                &row.store,
                &row.id,
                &row.name,
                &row.role,
                &row.limit_minor,
                &row.pin_salt,
                &row.pin_rounds,
                &row.pin_hash,
                &row.active,
                &row.failures,
                &row.last_failure_ms,
            ],
        )?;
        Ok(())
    }

    fn staff(&mut self, store: &str, id: &str) -> Result<Option<StaffRow>, DbError> {
        first(
            self,
            select_staff!("WHERE store = ?1 AND id = ?2"),
            &[&store, &id],
            staff_row,
        )
    }

    fn roster(&mut self, store: &str) -> Result<Vec<StaffRow>, DbError> {
        rows(
            self,
            select_staff!("WHERE store = ?1 ORDER BY id"),
            &[&store],
            staff_row,
        )
    }

    fn set_pin_throttle(
        &mut self,
        store: &str,
        id: &str,
        failures: i64,
        last_failure_ms: Option<i64>,
    ) -> Result<bool, DbError> {
        let changed = self.execute(
            "UPDATE staff SET failures = ?3, last_failure_ms = ?4 WHERE store = ?1 AND id = ?2",
            &[&store, &id, &failures, &last_failure_ms],
        )?;
        Ok(changed == 1)
    }

    fn insert_store_alert(&mut self, row: &AlertRow) -> Result<bool, DbError> {
        let inserted = self.execute(
            "INSERT INTO store_alerts (store, day, kind, at_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
            &[&row.store, &row.day, &row.kind, &row.at_ms],
        )?;
        Ok(inserted == 1)
    }

    fn store_alerts(&mut self, store: &str) -> Result<Vec<AlertRow>, DbError> {
        rows(
            self,
            "SELECT store, day, kind, at_ms FROM store_alerts WHERE store = ?1
             ORDER BY day DESC, kind",
            &[&store],
            |row| {
                Ok(AlertRow {
                    store: row.get(0)?,
                    day: row.get(1)?,
                    kind: row.get(2)?,
                    at_ms: row.get(3)?,
                })
            },
        )
    }

    fn filings_between(
        &mut self,
        store: &str,
        touchpoint: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<i64, DbError> {
        let count = first(
            self,
            "SELECT count(*) FROM events
             WHERE store = ?1 AND touchpoint = ?2 AND kind = 'filed'
               AND received_at_ms > ?3 AND received_at_ms <= ?4",
            &[&store, &touchpoint, &from_ms, &to_ms],
            |row| row.get(0),
        )?;
        Ok(count.unwrap_or(0))
    }

    fn first_arrival(&mut self, store: &str) -> Result<Option<i64>, DbError> {
        first(
            self,
            "SELECT received_at_ms FROM events WHERE store = ?1 ORDER BY seq LIMIT 1",
            &[&store],
            |row| row.get(0),
        )
    }

    fn announce_news(&mut self, store: &str) -> Result<(), DbError> {
        self.announce(store)
    }

    fn migration_count(&mut self) -> Result<i64, DbError> {
        let mut count = None;
        self.query_once("SELECT count(*) FROM schema_migrations", &mut |row| {
            count = Some(row.get(0)?);
            Ok(())
        })?;
        count.ok_or_else(|| DbError::Corrupt("count(*) returned no row".into()))
    }
}

/// `sql` with SQLite's `?N` placeholders spelt PostgreSQL's way, `$N`.
pub fn numbered_for_postgres(sql: &str) -> String {
    sql.replace('?', "$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_the_postgresql_way() {
        assert_eq!(
            numbered_for_postgres("UPDATE t SET a = ?3 WHERE b = ?1 AND c = ?10"),
            "UPDATE t SET a = $3 WHERE b = $1 AND c = $10"
        );
    }
}
