//! The SQLite backend (the default: one embedded file): opening and
//! configuring the file, its migrations, one connection behind a mutex, and
//! the [`Executor`] that [`super::shared`]'s [`super::Access`] runs on.
//!
//! # One connection behind a mutex
//!
//! SQLite lets only one writer in at a time no matter how many connections
//! exist, and a kiosk fleet sends a trickle of small events, so the server
//! keeps exactly one connection in a `std::sync::Mutex` and runs every query
//! on tokio's blocking pool ([`Sqlite::run`]). That gives:
//! * no async worker is ever blocked by disk I/O or by waiting for the lock
//!   (the lock is only taken inside `spawn_blocking`);
//! * no `SQLITE_BUSY` between our own writers, since they are serialised;
//! * a single place to close the file cleanly on shutdown.
//!
//! A dedicated database thread with a channel would do the same with more
//! code. If reads ever become heavy, read-only connections can be added next
//! to this writer: WAL mode already lets readers run beside it.
//!
//! This module must never hold the mutex across an `.await`, never run SQL on
//! an async worker thread, and never judge events (that is `sync`'s job).

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::access::{Access, Mode, now_ms};
use super::error::DbError;
use super::migrations::{self, Migration};
use super::shared::{Executor, Param, Row};

/// How long a statement waits for a lock held by another connection (for
/// example an operator's `sqlite3` shell) before failing with `SQLITE_BUSY`.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The migrations this backend applies.
pub const MIGRATIONS: &[Migration] = migrations::SQLITE;

/// Room in each connection's statement cache: every statement of
/// [`super::shared`] fits, so none is prepared twice.
const STATEMENT_CACHE: usize = 32;

/// The one connection to an SQLite file; cheap to clone.
#[derive(Clone)]
pub struct Sqlite {
    // `None` once closed, so late callers get `DbError::Closed` instead of
    // reopening or touching a finalised connection.
    conn: Arc<Mutex<Option<Connection>>>,
}

impl Sqlite {
    /// Opens (creating if needed) the database file and its parent
    /// directory, sets WAL, `busy_timeout` and foreign keys, and applies any
    /// pending migrations. Blocks on disk I/O.
    pub fn open(path: &Path) -> Result<Sqlite, DbError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| DbError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let open_err = |source| DbError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Off by default in SQLite, for backwards compatibility only.
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(open_err)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(DbError::NotWal {
                path: path.to_path_buf(),
                mode,
            });
        }
        // FULL: every commit is on disk before the push is answered. A
        // device deletes what the server confirmed, so a commit that a
        // power cut or OS crash rolls back (what NORMAL allows in WAL mode)
        // would be a complaint lost for good. The cost is in
        // docs/performance.md.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        migrate(&mut conn)?;
        Ok(Sqlite {
            conn: Arc::new(Mutex::new(Some(conn))),
        })
    }

    /// Runs `f` in one transaction; see [`super::Database::transaction`].
    /// A writing transaction is `IMMEDIATE` (takes the write lock first).
    pub async fn transaction<F, R>(&self, mode: Mode, f: F) -> Result<R, DbError>
    where
        F: FnOnce(&mut dyn Access) -> Result<R, DbError> + Send + 'static,
        R: Send + 'static,
    {
        self.run(move |conn| {
            let behavior = match mode {
                Mode::Read => TransactionBehavior::Deferred,
                // One writer at a time on SQLite, whatever it writes.
                Mode::Write | Mode::Push(_) => TransactionBehavior::Immediate,
            };
            let tx = conn.transaction_with_behavior(behavior)?;
            let result = f(&mut SqliteTx(&tx))?;
            tx.commit()?;
            Ok(result)
        })
        .await
    }

    /// Runs `f` with the connection on tokio's blocking pool. Calls are
    /// serialised: `f` has the connection to itself.
    pub async fn run<F, R>(&self, f: F) -> Result<R, DbError>
    where
        F: FnOnce(&mut Connection) -> Result<R, DbError> + Send + 'static,
        R: Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic inside an earlier `f` poisons the mutex; the connection
            // itself is still sound (an open rusqlite Transaction rolls back
            // when dropped during the unwind), so keep serving.
            let mut guard = conn.lock().unwrap_or_else(PoisonError::into_inner);
            let conn = guard.as_mut().ok_or(DbError::Closed)?;
            f(conn)
        })
        .await
        .map_err(|err| DbError::Task(err.to_string()))?
    }

    /// Closes the connection: lets SQLite refresh its planner statistics,
    /// checkpoint the WAL into the main file and remove the `-wal`/`-shm`
    /// files. Later calls return [`DbError::Closed`]; closing twice is
    /// harmless.
    pub async fn close(&self) -> Result<(), DbError> {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let taken = conn.lock().unwrap_or_else(PoisonError::into_inner).take();
            let Some(conn) = taken else {
                return Ok(());
            };
            // Best effort: a failed optimisation must not keep the file open.
            if let Err(err) = conn.execute_batch("PRAGMA optimize") {
                tracing::debug!(error = %err, "PRAGMA optimize failed before close");
            }
            conn.close().map_err(|(_conn, err)| DbError::Sqlite(err))
        })
        .await
        .map_err(|err| DbError::Task(err.to_string()))?
    }
}

/// Applies every migration in [`MIGRATIONS`] that `schema_migrations` does
/// not list yet, each in its own `IMMEDIATE` transaction, and returns how
/// many were applied. Running it again applies nothing.
///
/// `IMMEDIATE` takes the write lock before reading the applied versions, so
/// two servers started on the same file at once cannot both apply a version.
pub fn migrate(conn: &mut Connection) -> Result<usize, DbError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version       INTEGER PRIMARY KEY,
            name          TEXT    NOT NULL,
            applied_at_ms INTEGER NOT NULL
        ) STRICT",
    )?;

    let known = migrations::latest(MIGRATIONS);
    let found = highest_applied(conn)?;
    if found > known {
        return Err(DbError::TooNew { found, known });
    }

    let mut applied = 0;
    for migration in MIGRATIONS {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let already: Option<i64> = tx
            .query_row(
                "SELECT version FROM schema_migrations WHERE version = ?1",
                [migration.version],
                |row| row.get(0),
            )
            .optional()?;
        if already.is_some() {
            continue; // dropping `tx` ends the empty transaction
        }
        let failed = |source| DbError::Migration {
            version: migration.version,
            name: migration.name,
            source,
        };
        tx.execute_batch(migration.sql).map_err(failed)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?1, ?2, ?3)",
            rusqlite::params![migration.version, migration.name, now_ms()],
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

/// Highest version recorded in `schema_migrations`, or 0 for a fresh file.
pub fn highest_applied(conn: &Connection) -> Result<i64, rusqlite::Error> {
    conn.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        [],
        |row| row.get(0),
    )
}

/// [`Executor`] over one SQLite transaction.
struct SqliteTx<'c>(&'c Connection);

fn bind<'p>(params: &'p [&dyn Param]) -> impl rusqlite::Params + 'p {
    rusqlite::params_from_iter(params.iter().map(|param| param.sqlite()))
}

fn each_row(
    mut rows: rusqlite::Rows<'_>,
    each: &mut dyn FnMut(Row<'_>) -> Result<(), DbError>,
) -> Result<(), DbError> {
    while let Some(row) = rows.next()? {
        each(Row::Sqlite(row))?;
    }
    Ok(())
}

impl Executor for SqliteTx<'_> {
    fn execute(&mut self, sql: &'static str, params: &[&dyn Param]) -> Result<u64, DbError> {
        let changed = self.0.prepare_cached(sql)?.execute(bind(params))?;
        Ok(changed as u64)
    }

    fn query(
        &mut self,
        sql: &'static str,
        params: &[&dyn Param],
        each: &mut dyn FnMut(Row<'_>) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let mut statement = self.0.prepare_cached(sql)?;
        each_row(statement.query(bind(params))?, each)
    }

    fn query_once(
        &mut self,
        sql: &'static str,
        each: &mut dyn FnMut(Row<'_>) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let mut statement = self.0.prepare(sql)?;
        each_row(statement.query([])?, each)
    }
}
