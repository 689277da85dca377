//! The PostgreSQL backend, for chains that run several server instances
//! over one shared database: a small pool of synchronous connections used on
//! tokio's blocking pool (like the SQLite connection), applying the
//! PostgreSQL migrations, and the [`Executor`] that [`super::shared`]'s
//! [`Access`] runs on.
//!
//! # Why a push locks its stores
//!
//! Pull cursors are seqs, read one store at a time, and a reader that has
//! seen seq N of a store must never later find an event of that store
//! below N. With a plain sequence, a transaction that drew 10 could commit
//! after one that drew 11, and a reader that saw 11 first would skip 10
//! forever. So a push ([`Mode::Push`]) first takes one advisory lock per
//! store it names (sorted, so two pushes never wait for each other
//! crosswise) and only then draws seqs: pushes into one store are
//! serialised across every instance, its seqs are committed in the order
//! they were drawn, and each lock is released only once the commit is
//! visible. Pushes into different stores run side by side; their seqs
//! interleave, which no reader sees, since each reads one store. A case
//! lives in one store, so its history cannot change under a push being
//! judged, just as with SQLite's one writer. Every other writer
//! ([`Mode::Write`]: rosters, sign-ins, settings, the outbox) takes
//! `PUSH_LOCK` exclusively, and pushes take it shared: a push is never
//! judged against a roster or a store changing under it.
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

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use postgres::{Client, NoTls, Statement, Transaction};
use tokio::sync::Semaphore;

use super::access::{Access, Mode, now_ms};
use super::error::DbError;
use super::migrations::{self, Migration};
use super::shared::{Executor, Param, Row, numbered_for_postgres};

/// How many connections one server instance keeps at most.
pub const POOL_SIZE: usize = 4;

/// Advisory lock key taken by every writing transaction (any constant that
/// nothing else on the database uses; this one spells "recovery").
pub const PUSH_LOCK: i64 = 0x7265_636f_7665_7279;
/// Advisory lock key taken while applying migrations.
pub const MIGRATION_LOCK: i64 = PUSH_LOCK + 1;
/// The first key of each store's push lock, `(STORE_LOCKS, hashtext(store))`: two-key
/// advisory locks are a space of their own, apart from the one-key locks above.
pub const STORE_LOCKS: i32 = 0x7263;

/// The migrations this backend applies.
pub const MIGRATIONS: &[Migration] = migrations::POSTGRES;

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
    /// blocking pool; see [`super::Database::transaction`].
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
    match mode {
        Mode::Read => {}
        Mode::Write => {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PUSH_LOCK])?;
        }
        Mode::Push(mut stores) => {
            tx.execute("SELECT pg_advisory_xact_lock_shared($1)", &[&PUSH_LOCK])?;
            // Always in the same order, so two pushes naming the same stores never wait
            // for each other crosswise.
            stores.sort_unstable();
            stores.dedup();
            for store in &stores {
                tx.execute(
                    "SELECT pg_advisory_xact_lock($1, hashtext($2))",
                    &[&STORE_LOCKS, store],
                )?;
            }
        }
    }
    let result = f(&mut PgTx {
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
    let known = migrations::latest(MIGRATIONS);
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

/// [`Executor`] over one PostgreSQL transaction.
struct PgTx<'t, 'c> {
    tx: &'t mut Transaction<'c>,
    statements: &'t mut HashMap<&'static str, Statement>,
}

impl PgTx<'_, '_> {
    /// The connection's prepared statement for `sql`, prepared on first
    /// use (prepared statements outlive the transaction that made them).
    fn statement(&mut self, sql: &'static str) -> Result<Statement, DbError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.tx.prepare(&numbered_for_postgres(sql))?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }
}

fn bind<'p>(params: &'p [&dyn Param]) -> Vec<&'p (dyn postgres::types::ToSql + Sync)> {
    params.iter().map(|param| param.postgres()).collect()
}

impl Executor for PgTx<'_, '_> {
    fn execute(&mut self, sql: &'static str, params: &[&dyn Param]) -> Result<u64, DbError> {
        let statement = self.statement(sql)?;
        Ok(self.tx.execute(&statement, &bind(params))?)
    }

    fn query(
        &mut self,
        sql: &'static str,
        params: &[&dyn Param],
        each: &mut dyn FnMut(Row<'_>) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let statement = self.statement(sql)?;
        for row in &self.tx.query(&statement, &bind(params))? {
            each(Row::Postgres(row))?;
        }
        Ok(())
    }

    fn query_once(
        &mut self,
        sql: &'static str,
        each: &mut dyn FnMut(Row<'_>) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        for row in &self.tx.query(&numbered_for_postgres(sql), &[])? {
            each(Row::Postgres(row))?;
        }
        Ok(())
    }

    fn announce(&mut self, store: &str) -> Result<(), DbError> {
        // Delivered to every listener when the transaction commits, never if it rolls back;
        // PostgreSQL folds repeats of one payload within a transaction into one.
        self.execute(
            "SELECT pg_notify(?1, ?2)",
            &[&crate::live::PG_CHANNEL, &store],
        )
        .map(drop)
    }
}
