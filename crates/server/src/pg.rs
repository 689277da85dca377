//! The PostgreSQL backend, for chains that run several server instances
//! over one shared database: a small pool of synchronous connections used on
//! tokio's blocking pool (like the SQLite connection), the migrations'
//! PostgreSQL twins, and [`Access`] over a PostgreSQL transaction.
//!
//! # Why pushes take one lock
//!
//! Pull cursors are seqs, and a reader that has seen seq N must never later
//! find an event below N. With a plain sequence, a transaction that drew 10
//! could commit after one that drew 11, and a reader that saw 11 first would
//! skip 10 forever. So every writing transaction starts with
//! `pg_advisory_xact_lock(PUSH_LOCK)` and only then draws seqs: pushes from
//! every instance are serialised, seqs are committed in the order they were
//! drawn, and the lock is released only once the commit is visible. The key
//! is one constant rather than one per store because a batch may name
//! several stores and a case's history (store and workflow rules) must not
//! change under a push being judged: this gives exactly SQLite's
//! one-writer semantics, which is what keeps the API's behaviour identical.
//! Idempotency still rests on the UNIQUE event id with `ON CONFLICT DO
//! NOTHING`, so even an insert racing outside the lock answers `duplicate`.
//! Reads take no lock and run at READ COMMITTED.
//!
//! Migrations run one transaction each under another advisory lock, so two
//! instances starting at once never apply a version twice.
//!
//! This module must never judge events (that is [`crate::sync`]'s job), never
//! run a query on an async worker thread, and never change an applied
//! migration file.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use std::collections::HashMap;

use postgres::{Client, NoTls, Statement, Transaction};
use tokio::sync::Semaphore;

use crate::db::{
    Access, DbError, EventRow, Migration, Mode, StaffRow, StoreRow, TicketRow, TokenRow, now_ms,
};

/// How many connections one server instance keeps at most.
pub const POOL_SIZE: usize = 4;

/// Advisory lock key taken by every writing transaction (any constant that
/// nothing else on the database uses; this one spells "recovery").
pub const PUSH_LOCK: i64 = 0x7265_636f_7665_7279;
/// Advisory lock key taken while applying migrations.
pub const MIGRATION_LOCK: i64 = PUSH_LOCK + 1;

/// The PostgreSQL twins of [`crate::db::MIGRATIONS`]: same versions, same
/// names, same `schema_migrations` bookkeeping. Append only, in step.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "events",
        sql: include_str!("../migrations/postgres/0001_events.sql"),
    },
    Migration {
        version: 2,
        name: "tickets and staff tokens",
        sql: include_str!("../migrations/postgres/0002_sync.sql"),
    },
    Migration {
        version: 3,
        name: "stores, touchpoints, staff and sessions",
        sql: include_str!("../migrations/postgres/0003_staff.sql"),
    },
    Migration {
        version: 4,
        name: "store languages",
        sql: include_str!("../migrations/postgres/0004_languages.sql"),
    },
];

/// One pooled connection with the statements it has prepared, so each
/// query costs one round trip instead of a prepare and an execute.
struct Conn {
    client: Client,
    statements: HashMap<&'static str, Statement>,
}

impl Conn {
    fn new(client: Client) -> Conn {
        Conn {
            client,
            statements: HashMap::new(),
        }
    }
}

/// A small pool of PostgreSQL connections.
pub struct Pool {
    config: postgres::Config,
    idle: Mutex<Vec<Conn>>,
    permits: Arc<Semaphore>,
    closed: AtomicBool,
}

impl Pool {
    /// Connects once (so a wrong URL fails at start-up), applies pending
    /// migrations and keeps that connection for later use. Blocks.
    pub fn open(url: &str) -> Result<Pool, DbError> {
        let config: postgres::Config = url.parse()?;
        let mut client = config.connect(NoTls)?;
        migrate(&mut client)?;
        Ok(Pool {
            config,
            idle: Mutex::new(vec![Conn::new(client)]),
            permits: Arc::new(Semaphore::new(POOL_SIZE)),
            closed: AtomicBool::new(false),
        })
    }

    /// Runs `f` in one transaction on a pooled connection, on tokio's
    /// blocking pool; see [`crate::db::Database::transaction`].
    pub async fn transaction<F, R>(self: &Arc<Self>, mode: Mode, f: F) -> Result<R, DbError>
    where
        F: FnOnce(&mut dyn Access) -> Result<R, DbError> + Send + 'static,
        R: Send + 'static,
    {
        if self.closed.load(Ordering::Acquire) {
            return Err(DbError::Closed);
        }
        // Waiting for a connection happens here, asynchronously, rather
        // than on a blocking thread.
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| DbError::Closed)?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut conn = pool.conn()?;
            let result = run(&mut conn, mode, f);
            // A broken connection is dropped; the next call opens a new one.
            if !conn.client.is_closed() && !pool.closed.load(Ordering::Acquire) {
                pool.idle
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(conn);
            }
            result
        })
        .await
        .map_err(|err| DbError::Task(err.to_string()))?
    }

    fn conn(&self) -> Result<Conn, DbError> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        match idle {
            Some(conn) => Ok(conn),
            None => Ok(Conn::new(self.config.connect(NoTls)?)),
        }
    }

    /// Closes every idle connection; later calls answer
    /// [`DbError::Closed`]. Blocks (a closing client says goodbye to the
    /// server): call it off the async workers.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(PoisonError::into_inner));
        drop(idle);
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // The last handle may go away on an async worker, where a closing
        // synchronous client must not block; a plain thread may.
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(PoisonError::into_inner));
        if !idle.is_empty() {
            std::thread::spawn(move || drop(idle));
        }
    }
}

fn run<F, R>(conn: &mut Conn, mode: Mode, f: F) -> Result<R, DbError>
where
    F: FnOnce(&mut dyn Access) -> Result<R, DbError>,
{
    let mut tx = conn.client.transaction()?;
    if mode == Mode::Write {
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PUSH_LOCK])?;
    }
    let result = f(&mut PgAccess {
        tx: &mut tx,
        statements: &mut conn.statements,
    })?;
    tx.commit()?;
    Ok(result)
}

/// Applies every migration in [`MIGRATIONS`] not yet recorded, each in its
/// own transaction under [`MIGRATION_LOCK`], and returns how many were
/// applied.
pub fn migrate(client: &mut Client) -> Result<usize, DbError> {
    let known = MIGRATIONS.last().map_or(0, |m| m.version);
    {
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        // Inside the lock: concurrent CREATE TABLE IF NOT EXISTS can still
        // collide in PostgreSQL's catalogue.
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version       BIGINT PRIMARY KEY,
                name          TEXT   NOT NULL,
                applied_at_ms BIGINT NOT NULL
            )",
        )?;
        let found: i64 = tx
            .query_one(
                "SELECT coalesce(max(version), 0)::BIGINT FROM schema_migrations",
                &[],
            )?
            .get(0);
        tx.commit()?;
        if found > known {
            return Err(DbError::TooNew { found, known });
        }
    }
    let mut applied = 0;
    for migration in MIGRATIONS {
        let failed = |source| DbError::PostgresMigration {
            version: migration.version,
            name: migration.name,
            source,
        };
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        let already = tx.query_opt(
            "SELECT version FROM schema_migrations WHERE version = $1",
            &[&migration.version],
        )?;
        if already.is_some() {
            continue; // dropping `tx` rolls the empty transaction back
        }
        tx.batch_execute(migration.sql).map_err(failed)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)",
            &[&migration.version, &migration.name, &now_ms()],
        )
        .map_err(failed)?;
        tx.commit().map_err(failed)?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "applied database migration"
        );
        applied += 1;
    }
    Ok(applied)
}

/// [`Access`] over one PostgreSQL transaction.
struct PgAccess<'t, 'c> {
    tx: &'t mut Transaction<'c>,
    statements: &'t mut HashMap<&'static str, Statement>,
}

impl PgAccess<'_, '_> {
    /// The connection's prepared statement for `sql`, prepared on first
    /// use (prepared statements outlive the transaction that made them).
    fn statement(&mut self, sql: &'static str) -> Result<Statement, DbError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.tx.prepare(sql)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    fn query(
        &mut self,
        sql: &'static str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, DbError> {
        let statement = self.statement(sql)?;
        Ok(self.tx.query(&statement, params)?)
    }

    fn query_opt(
        &mut self,
        sql: &'static str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Option<postgres::Row>, DbError> {
        let statement = self.statement(sql)?;
        Ok(self.tx.query_opt(&statement, params)?)
    }

    fn execute(
        &mut self,
        sql: &'static str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<u64, DbError> {
        let statement = self.statement(sql)?;
        Ok(self.tx.execute(&statement, params)?)
    }
}

impl Access for PgAccess<'_, '_> {
    fn event_body(&mut self, id: &str) -> Result<Option<String>, DbError> {
        let row = self.query_opt("SELECT body FROM events WHERE id = $1", &[&id])?;
        Ok(row.map(|row| row.get(0)))
    }

    fn case_events(&mut self, case_id: &str) -> Result<Vec<(String, String)>, DbError> {
        let rows = self.query(
            "SELECT store, body FROM events WHERE case_id = $1 ORDER BY seq",
            &[&case_id],
        )?;
        Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
    }

    fn insert_event(&mut self, row: &EventRow<'_>) -> Result<bool, DbError> {
        let inserted = self.execute(
            "INSERT INTO events (id, case_id, store, touchpoint, device, kind, at_ms, received_at_ms, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
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
        )?;
        Ok(inserted == 1)
    }

    fn insert_ticket(&mut self, row: &TicketRow<'_>) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO tickets (case_id, store, ticket, secret_hash, filed_event_id)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
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
        let rows = self.query(
            "SELECT seq, body FROM events WHERE store = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            &[&store, &after, &limit],
        )?;
        Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
    }

    fn ticket_by_hash(&mut self, hash: &str) -> Result<Option<(String, String)>, DbError> {
        let row = self.query_opt(
            "SELECT case_id, ticket FROM tickets WHERE secret_hash = $1",
            &[&hash],
        )?;
        Ok(row.map(|row| (row.get(0), row.get(1))))
    }

    fn insert_staff_token(&mut self, row: &TokenRow<'_>) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO staff_tokens (token_hash, store, label, created_at_ms, staff, expires_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6)",
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

    fn staff_store(&mut self, hash: &str, now_ms: i64) -> Result<Option<String>, DbError> {
        let row = self.query_opt(
            "SELECT t.store FROM staff_tokens t
             WHERE t.token_hash = $1 AND (t.expires_at_ms IS NULL OR t.expires_at_ms > $2)
               AND (t.staff IS NULL OR EXISTS (
                   SELECT 1 FROM staff s WHERE s.store = t.store AND s.id = t.staff AND s.active))",
            &[&hash, &now_ms],
        )?;
        Ok(row.map(|row| row.get(0)))
    }

    fn ticket_secret_hash(&mut self, case_id: &str) -> Result<Option<String>, DbError> {
        let row = self.query_opt(
            "SELECT secret_hash FROM tickets WHERE case_id = $1",
            &[&case_id],
        )?;
        Ok(row.map(|row| row.get(0)))
    }

    fn upsert_store(&mut self, row: &StoreRow, created_at_ms: i64) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO stores (slug, name, currency, ack_minutes, resolve_hours, follow_up_days, contact_salt, created_at_ms, languages)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, currency = excluded.currency,
                 ack_minutes = excluded.ack_minutes, resolve_hours = excluded.resolve_hours,
                 follow_up_days = excluded.follow_up_days, languages = excluded.languages",
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
            ],
        )?;
        Ok(())
    }

    fn store(&mut self, slug: &str) -> Result<Option<StoreRow>, DbError> {
        let row = self.query_opt(
            "SELECT slug, name, currency, ack_minutes, resolve_hours, follow_up_days, contact_salt, languages
             FROM stores WHERE slug = $1",
            &[&slug],
        )?;
        Ok(row.map(|row| StoreRow {
            slug: row.get(0),
            name: row.get(1),
            currency: row.get(2),
            ack_minutes: row.get(3),
            resolve_hours: row.get(4),
            follow_up_days: row.get(5),
            contact_salt: row.get(6),
            languages: row.get(7),
        }))
    }

    fn set_touchpoints(&mut self, store: &str, slugs: &[String]) -> Result<(), DbError> {
        self.execute("DELETE FROM touchpoints WHERE store = $1", &[&store])?;
        for (position, slug) in slugs.iter().enumerate() {
            let position = i64::try_from(position).unwrap_or(i64::MAX);
            self.execute(
                "INSERT INTO touchpoints (store, slug, position) VALUES ($1, $2, $3)",
                &[&store, slug, &position],
            )?;
        }
        Ok(())
    }

    fn touchpoints(&mut self, store: &str) -> Result<Vec<String>, DbError> {
        let rows = self.query(
            "SELECT slug FROM touchpoints WHERE store = $1 ORDER BY position, slug",
            &[&store],
        )?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }

    fn upsert_staff(&mut self, row: &StaffRow) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO staff (store, id, name, role, limit_minor, pin_salt, pin_rounds, pin_hash, active, failures, last_failure_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
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
        let row = self.query_opt(
            "SELECT store, id, name, role, limit_minor, pin_salt, pin_rounds, pin_hash, active, failures, last_failure_ms
             FROM staff WHERE store = $1 AND id = $2",
            &[&store, &id],
        )?;
        Ok(row.as_ref().map(pg_staff_row))
    }

    fn roster(&mut self, store: &str) -> Result<Vec<StaffRow>, DbError> {
        let rows = self.query(
            "SELECT store, id, name, role, limit_minor, pin_salt, pin_rounds, pin_hash, active, failures, last_failure_ms
             FROM staff WHERE store = $1 ORDER BY id",
            &[&store],
        )?;
        Ok(rows.iter().map(pg_staff_row).collect())
    }

    fn set_pin_throttle(
        &mut self,
        store: &str,
        id: &str,
        failures: i64,
        last_failure_ms: Option<i64>,
    ) -> Result<bool, DbError> {
        let changed = self.execute(
            "UPDATE staff SET failures = $3, last_failure_ms = $4 WHERE store = $1 AND id = $2",
            &[&store, &id, &failures, &last_failure_ms],
        )?;
        Ok(changed == 1)
    }

    fn migration_count(&mut self) -> Result<i64, DbError> {
        // Not cached: a health check should not keep a plan around.
        Ok(self
            .tx
            .query_one("SELECT count(*) FROM schema_migrations", &[])?
            .get(0))
    }
}

fn pg_staff_row(row: &postgres::Row) -> StaffRow {
    StaffRow {
        store: row.get(0),
        id: row.get(1),
        name: row.get(2),
        role: row.get(3),
        limit_minor: row.get(4),
        pin_salt: row.get(5),
        pin_rounds: row.get(6),
        pin_hash: row.get(7),
        active: row.get(8),
        failures: row.get(9),
        last_failure_ms: row.get(10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migration_versions_and_names() {
        let names = |list: &[Migration]| -> Vec<(i64, &'static str)> {
            list.iter().map(|m| (m.version, m.name)).collect()
        };
        assert_eq!(names(MIGRATIONS), names(crate::db::MIGRATIONS));
    }
}
