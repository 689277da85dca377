//! The server's database: SQLite (the default, one embedded file) or
//! PostgreSQL (several instances sharing one database, see
//! [`crate::pg`]). This module opens either, brings its schema up to
//! date with embedded migrations, runs queries off the async runtime, and
//! defines [`Access`], the small set of SQL operations that the sync rules
//! in [`crate::sync`] are written against, so those rules exist once for
//! both backends.
//!
//! # SQLite: one connection behind a mutex
//!
//! SQLite lets only one writer in at a time no matter how many connections
//! exist, and a kiosk fleet sends a trickle of small events, so the server
//! keeps exactly one connection in a `std::sync::Mutex` and runs every query
//! on tokio's blocking pool ([`Database::transaction`]). That gives:
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
//! an async worker thread, never judge events (that is `sync`'s job), and
//! never change an applied migration file: once shipped, a migration is
//! history, and fixes go in a new, higher version (in both folders, in step).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use recovery_core::Slug;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

/// How long a statement waits for a lock held by another connection (for
/// example an operator's `sqlite3` shell) before failing with `SQLITE_BUSY`.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// One schema change, applied once and recorded in `schema_migrations`.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Strictly increasing version number; never reused or renumbered.
    pub version: i64,
    /// Short name, stored for people reading `schema_migrations`.
    pub name: &'static str,
    /// The SQL, run as one batch inside the migration's transaction.
    pub sql: &'static str,
}

/// All migrations, in the order they must run. Append only.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "events",
        sql: include_str!("../migrations/0001_events.sql"),
    },
    Migration {
        version: 2,
        name: "tickets and staff tokens",
        sql: include_str!("../migrations/0002_sync.sql"),
    },
    Migration {
        version: 3,
        name: "stores, touchpoints, staff and sessions",
        sql: include_str!("../migrations/0003_staff.sql"),
    },
    Migration {
        version: 4,
        name: "store languages",
        sql: include_str!("../migrations/0004_languages.sql"),
    },
];

/// One stored event row, as [`Access::insert_event`] writes it.
#[derive(Debug)]
pub struct EventRow<'a> {
    /// The event id (idempotency key).
    pub id: &'a str,
    /// The case the event belongs to.
    pub case_id: &'a str,
    /// The store it was recorded in.
    pub store: &'a str,
    /// The touchpoint it was recorded at.
    pub touchpoint: &'a str,
    /// The recording device.
    pub device: &'a str,
    /// The kind's name.
    pub kind: &'a str,
    /// Device clock, milliseconds.
    pub at_ms: i64,
    /// Server clock of the push, milliseconds.
    pub received_at_ms: i64,
    /// The canonical JSON of the event.
    pub body: &'a str,
}

/// One customer ticket, as [`Access::insert_ticket`] writes it.
#[derive(Debug)]
pub struct TicketRow<'a> {
    /// The filed case.
    pub case_id: &'a str,
    /// Its store.
    pub store: &'a str,
    /// Its customer-facing code.
    pub ticket: &'a str,
    /// SHA-256 of the customer's secret.
    pub secret_hash: &'a str,
    /// The event that filed the case.
    pub filed_event_id: &'a str,
}

/// One store's settings, as [`Access::upsert_store`] writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRow {
    /// The store id.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// ISO 4217 currency of remedies.
    pub currency: String,
    /// Minutes from filing to acknowledging.
    pub ack_minutes: i64,
    /// Hours from filing to resolving.
    pub resolve_hours: i64,
    /// Days after a resolution to follow up.
    pub follow_up_days: i64,
    /// Random hex made at creation; an upsert never changes it.
    pub contact_salt: String,
    /// The languages its customers read: comma-separated tags, most used first.
    pub languages: String,
}

/// One member of a store's staff as stored: the PIN only as its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    /// The store.
    pub store: String,
    /// Their id within the store.
    pub id: String,
    /// Their name.
    pub name: String,
    /// `staff` or `manager`.
    pub role: String,
    /// The largest remedy they may give alone, in minor units.
    pub limit_minor: i64,
    /// The PIN hash's salt (hex).
    pub pin_salt: String,
    /// The PIN hash's PBKDF2 rounds.
    pub pin_rounds: i64,
    /// The PIN hash (hex).
    pub pin_hash: String,
    /// Whether they may sign in and appear as the actor of a step.
    pub active: bool,
    /// Failed PIN attempts since the last success.
    pub failures: i64,
    /// When the latest failure happened (server clock, milliseconds).
    pub last_failure_ms: Option<i64>,
}

/// A bearer token's hash and what it grants, as [`Access::insert_staff_token`]
/// writes it.
#[derive(Debug)]
pub struct TokenRow<'a> {
    /// SHA-256 of the token.
    pub hash: &'a str,
    /// The store it reads and writes.
    pub store: &'a str,
    /// A note for people.
    pub label: Option<&'a str>,
    /// The staff member a login made it for; `None` for a device token.
    pub staff: Option<&'a str>,
    /// When it was made.
    pub created_at_ms: i64,
    /// When it stops working; `None` for a device token (never).
    pub expires_at_ms: Option<i64>,
}

/// The SQL operations of the server, one small function each, implemented
/// by both backends inside one transaction. Implementations only read and
/// write rows: every decision about what to store lives in [`crate::sync`].
pub trait Access {
    /// The stored body of the event `id`, if any.
    fn event_body(&mut self, id: &str) -> Result<Option<String>, DbError>;
    /// `(store, body)` of every event of `case_id`, in seq order.
    fn case_events(&mut self, case_id: &str) -> Result<Vec<(String, String)>, DbError>;
    /// Inserts an event unless its id exists; `false` when it did.
    fn insert_event(&mut self, row: &EventRow<'_>) -> Result<bool, DbError>;
    /// Inserts a ticket, doing nothing on any clash (the first ticket of a
    /// case stays its ticket; a reused secret must not fail the batch).
    fn insert_ticket(&mut self, row: &TicketRow<'_>) -> Result<(), DbError>;
    /// `(seq, body)` of at most `limit` events of `store` after `after`.
    fn store_events(
        &mut self,
        store: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String)>, DbError>;
    /// `(case_id, ticket)` of the ticket whose secret hashes to `hash`.
    fn ticket_by_hash(&mut self, hash: &str) -> Result<Option<(String, String)>, DbError>;
    /// Stores a staff token's hash.
    fn insert_staff_token(&mut self, row: &TokenRow<'_>) -> Result<(), DbError>;
    /// The store of the staff token whose hash is `hash`, if it has not
    /// expired at `now_ms` and, for a login's token, its staff member is
    /// still active.
    fn staff_store(&mut self, hash: &str, now_ms: i64) -> Result<Option<String>, DbError>;
    /// The secret hash of the ticket of `case_id`, if its customer sent one.
    fn ticket_secret_hash(&mut self, case_id: &str) -> Result<Option<String>, DbError>;
    /// Creates a store or updates its settings (never its contact salt).
    fn upsert_store(&mut self, row: &StoreRow, created_at_ms: i64) -> Result<(), DbError>;
    /// A store's settings.
    fn store(&mut self, slug: &str) -> Result<Option<StoreRow>, DbError>;
    /// Replaces a store's touchpoints with `slugs`, in this order.
    fn set_touchpoints(&mut self, store: &str, slugs: &[String]) -> Result<(), DbError>;
    /// A store's touchpoints, in display order.
    fn touchpoints(&mut self, store: &str) -> Result<Vec<String>, DbError>;
    /// Creates a staff member or replaces everything about them.
    fn upsert_staff(&mut self, row: &StaffRow) -> Result<(), DbError>;
    /// One staff member, active or not.
    fn staff(&mut self, store: &str, id: &str) -> Result<Option<StaffRow>, DbError>;
    /// Every staff member of a store, active or not, by id.
    fn roster(&mut self, store: &str) -> Result<Vec<StaffRow>, DbError>;
    /// Sets a staff member's PIN throttle; `false` when there is no such
    /// member.
    fn set_pin_throttle(
        &mut self,
        store: &str,
        id: &str,
        failures: i64,
        last_failure_ms: Option<i64>,
    ) -> Result<bool, DbError>;
    /// How many migrations are recorded (a real query for health checks).
    fn migration_count(&mut self) -> Result<i64, DbError>;
}

/// Whether a transaction writes events. On PostgreSQL a writing
/// transaction first takes the push lock, so seqs commit in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Only reads.
    Read,
    /// Records events (a push) or other rows.
    Write,
}

/// Everything that can go wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The directory meant to hold the database file could not be created.
    #[error("cannot create the database directory {path}: {source}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// The database file could not be opened or configured.
    #[error("cannot open the database {path}: {source}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// Why it failed.
        source: rusqlite::Error,
    },
    /// SQLite refused to switch to write-ahead logging (for example on a
    /// file system without shared memory); running without it would make
    /// readers and the writer block each other, so the server stops instead.
    #[error("the database {path} could not switch to WAL journaling (journal mode is '{mode}')")]
    NotWal {
        /// The database file.
        path: PathBuf,
        /// The journal mode SQLite reported instead.
        mode: String,
    },
    /// The file was migrated by a newer server; this one must not touch it.
    #[error(
        "the database schema is at version {found}, newer than this server knows ({known}); run a newer server"
    )]
    TooNew {
        /// Highest version recorded in the file.
        found: i64,
        /// Highest version this build knows.
        known: i64,
    },
    /// A migration failed; its transaction was rolled back.
    #[error("migration {version} ({name}) failed: {source}")]
    Migration {
        /// The failing migration's version.
        version: i64,
        /// The failing migration's name.
        name: &'static str,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// A query failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A PostgreSQL connection or query failed.
    #[error("PostgreSQL error: {0}")]
    Postgres(#[from] postgres::Error),
    /// A PostgreSQL migration failed; its transaction was rolled back.
    #[error("migration {version} ({name}) failed: {source}")]
    PostgresMigration {
        /// The failing migration's version.
        version: i64,
        /// The failing migration's name.
        name: &'static str,
        /// The PostgreSQL error.
        source: postgres::Error,
    },
    /// A stored row does not hold what the schema promises (a hand-edited
    /// or corrupt row); reported rather than skipped silently.
    #[error("a stored row is corrupt: {0}")]
    Corrupt(String),
    /// A raw SQLite call on a PostgreSQL database.
    #[error("this operation needs the SQLite backend")]
    NotSqlite,
    /// The database was already closed by [`Database::close`].
    #[error("the database is closed")]
    Closed,
    /// The blocking task running a query panicked or was cancelled.
    #[error("a database task did not finish: {0}")]
    Task(String),
    /// The operating system's random source failed while making a token.
    #[error("cannot make a random token: {0}")]
    Random(String),
}

/// Where the database is: chosen by configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file, created with its directory if missing.
    Sqlite(PathBuf),
    /// A PostgreSQL URL such as `postgres://user@127.0.0.1:5432/db`.
    Postgres(String),
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "sqlite file {}", path.display()),
            // Only host, port and database: the URL may hold a password.
            Location::Postgres(url) => match url.parse::<postgres::Config>() {
                Ok(config) => {
                    let host = match config.get_hosts().first() {
                        Some(postgres::config::Host::Tcp(host)) => host.clone(),
                        Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
                        None => "localhost".into(),
                    };
                    let port = config.get_ports().first().copied().unwrap_or(5432);
                    let db = config.get_dbname().unwrap_or_default();
                    write!(f, "postgres database '{db}' on {host}:{port}")
                }
                Err(_) => write!(f, "postgres (unparsable URL)"),
            },
        }
    }
}

/// Handle to the server's database, SQLite or PostgreSQL; cheap to clone.
#[derive(Clone)]
pub struct Database {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    // `None` once closed, so late callers get `DbError::Closed` instead of
    // reopening or touching a finalised connection.
    Sqlite(Arc<Mutex<Option<Connection>>>),
    Postgres(Arc<crate::pg::Pool>),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").finish_non_exhaustive()
    }
}

impl Database {
    /// Opens (creating if needed) the database file and its parent
    /// directory, sets WAL, `busy_timeout` and foreign keys, and applies any
    /// pending migrations.
    ///
    /// This blocks on disk I/O; from async code call it via
    /// `tokio::task::spawn_blocking`.
    pub fn open(path: &Path) -> Result<Database, DbError> {
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
        // In WAL mode NORMAL cannot corrupt the file; it may only lose the
        // last transactions on power loss, which kiosks re-push anyway.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        migrate(&mut conn)?;
        Ok(Database {
            backend: Backend::Sqlite(Arc::new(Mutex::new(Some(conn)))),
        })
    }

    /// Connects to the PostgreSQL database at `url` (no TLS: meant for
    /// loopback or a private network) and applies pending migrations.
    /// Blocks; from async code call it via `tokio::task::spawn_blocking`.
    pub fn open_postgres(url: &str) -> Result<Database, DbError> {
        let pool = crate::pg::Pool::open(url)?;
        Ok(Database {
            backend: Backend::Postgres(Arc::new(pool)),
        })
    }

    /// Opens the database at `location` on tokio's blocking pool.
    pub async fn connect(location: &Location) -> Result<Database, DbError> {
        let location = location.clone();
        tokio::task::spawn_blocking(move || match location {
            Location::Sqlite(path) => Database::open(&path),
            Location::Postgres(url) => Database::open_postgres(&url),
        })
        .await
        .map_err(|err| DbError::Task(err.to_string()))?
    }

    /// Runs `f` inside one transaction on tokio's blocking pool: committed
    /// when `f` returns `Ok`, rolled back otherwise. On SQLite a
    /// [`Mode::Write`] transaction is `IMMEDIATE` (takes the write lock
    /// first); on PostgreSQL it takes the push lock first.
    pub async fn transaction<F, R>(&self, mode: Mode, f: F) -> Result<R, DbError>
    where
        F: FnOnce(&mut dyn Access) -> Result<R, DbError> + Send + 'static,
        R: Send + 'static,
    {
        match &self.backend {
            Backend::Postgres(pool) => pool.transaction(mode, f).await,
            Backend::Sqlite(_) => {
                self.sqlite(move |conn| {
                    let behavior = match mode {
                        Mode::Read => TransactionBehavior::Deferred,
                        Mode::Write => TransactionBehavior::Immediate,
                    };
                    let tx = conn.transaction_with_behavior(behavior)?;
                    let result = f(&mut SqliteAccess(&tx))?;
                    tx.commit()?;
                    Ok(result)
                })
                .await
            }
        }
    }

    /// Runs `f` with the raw SQLite connection on tokio's blocking pool and
    /// returns its result; [`DbError::NotSqlite`] on PostgreSQL. Calls are
    /// serialised: `f` has the connection to itself, so a transaction
    /// inside `f` cannot interleave with anyone else's.
    pub async fn call<F, R>(&self, f: F) -> Result<R, DbError>
    where
        F: FnOnce(&mut Connection) -> Result<R, rusqlite::Error> + Send + 'static,
        R: Send + 'static,
    {
        self.sqlite(move |conn| f(conn).map_err(DbError::from))
            .await
    }

    async fn sqlite<F, R>(&self, f: F) -> Result<R, DbError>
    where
        F: FnOnce(&mut Connection) -> Result<R, DbError> + Send + 'static,
        R: Send + 'static,
    {
        let Backend::Sqlite(conn) = &self.backend else {
            return Err(DbError::NotSqlite);
        };
        let conn = Arc::clone(conn);
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

    /// Checks that the database answers a real query on the schema, for the
    /// health endpoint.
    pub async fn ping(&self) -> Result<(), DbError> {
        self.transaction(Mode::Read, |db| db.migration_count())
            .await
            .map(drop)
    }

    /// Creates a staff token for `store`, stores only its hash (with
    /// `label`, a note for people) and returns the token itself, which
    /// exists nowhere else afterwards.
    pub async fn issue_staff_token(
        &self,
        store: &Slug,
        label: Option<&str>,
    ) -> Result<String, DbError> {
        let token = crate::secrets::new_token().map_err(|err| DbError::Random(err.to_string()))?;
        let hash = crate::secrets::sha256_hex(&token);
        let store = store.as_str().to_owned();
        let label = label.map(str::to_owned);
        self.transaction(Mode::Write, move |db| {
            db.insert_staff_token(&TokenRow {
                hash: &hash,
                store: &store,
                label: label.as_deref(),
                staff: None,
                created_at_ms: now_ms(),
                expires_at_ms: None,
            })
        })
        .await?;
        Ok(token)
    }

    /// The store of the staff token `token`, or `None` for a token this
    /// database never issued.
    pub async fn staff_store(&self, token: &str) -> Result<Option<Slug>, DbError> {
        let hash = crate::secrets::sha256_hex(token);
        let store: Option<String> = self
            .transaction(Mode::Read, move |db| db.staff_store(&hash, now_ms()))
            .await?;
        // A row written by hand with a bad slug grants nothing.
        Ok(store.and_then(|s| Slug::parse(&s).ok()))
    }

    /// Closes the connection: lets SQLite refresh its planner statistics,
    /// checkpoint the WAL into the main file and remove the `-wal`/`-shm`
    /// files. Later calls on any clone return [`DbError::Closed`]. Closing
    /// twice is harmless.
    /// On PostgreSQL it closes the pooled connections.
    pub async fn close(&self) -> Result<(), DbError> {
        let conn = match &self.backend {
            Backend::Sqlite(conn) => Arc::clone(conn),
            Backend::Postgres(pool) => {
                let pool = Arc::clone(pool);
                return tokio::task::spawn_blocking(move || pool.close())
                    .await
                    .map_err(|err| DbError::Task(err.to_string()));
            }
        };
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

    let known = MIGRATIONS.last().map_or(0, |m| m.version);
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

/// [`Access`] over one SQLite transaction.
struct SqliteAccess<'c>(&'c Connection);

impl Access for SqliteAccess<'_> {
    fn event_body(&mut self, id: &str) -> Result<Option<String>, DbError> {
        Ok(self
            .0
            .prepare_cached("SELECT body FROM events WHERE id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()?)
    }

    fn case_events(&mut self, case_id: &str) -> Result<Vec<(String, String)>, DbError> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT store, body FROM events WHERE case_id = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([case_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_event(&mut self, row: &EventRow<'_>) -> Result<bool, DbError> {
        let inserted = self
            .0
            .prepare_cached(
                "INSERT INTO events (id, case_id, store, touchpoint, device, kind, at_ms, received_at_ms, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO NOTHING",
            )?
            .execute(rusqlite::params![
                row.id,
                row.case_id,
                row.store,
                row.touchpoint,
                row.device,
                row.kind,
                row.at_ms,
                row.received_at_ms,
                row.body,
            ])?;
        Ok(inserted == 1)
    }

    fn insert_ticket(&mut self, row: &TicketRow<'_>) -> Result<(), DbError> {
        self.0
            .prepare_cached(
                "INSERT INTO tickets (case_id, store, ticket, secret_hash, filed_event_id)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            )?
            .execute(rusqlite::params![
                row.case_id,
                row.store,
                row.ticket,
                row.secret_hash,
                row.filed_event_id,
            ])?;
        Ok(())
    }

    fn store_events(
        &mut self,
        store: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String)>, DbError> {
        let mut stmt = self.0.prepare_cached(
            "SELECT seq, body FROM events WHERE store = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?;
        let rows = stmt.query_map(rusqlite::params![store, after, limit], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn ticket_by_hash(&mut self, hash: &str) -> Result<Option<(String, String)>, DbError> {
        Ok(self
            .0
            .prepare_cached("SELECT case_id, ticket FROM tickets WHERE secret_hash = ?1")?
            .query_row([hash], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?)
    }

    fn insert_staff_token(&mut self, row: &TokenRow<'_>) -> Result<(), DbError> {
        self.0.execute(
            "INSERT INTO staff_tokens (token_hash, store, label, created_at_ms, staff, expires_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![
                row.hash,
                row.store,
                row.label,
                row.created_at_ms,
                row.staff,
                row.expires_at_ms
            ],
        )?;
        Ok(())
    }

    fn staff_store(&mut self, hash: &str, now_ms: i64) -> Result<Option<String>, DbError> {
        Ok(self
            .0
            .prepare_cached(STAFF_STORE_SQLITE)?
            .query_row(rusqlite::params![hash, now_ms], |row| row.get(0))
            .optional()?)
    }

    fn ticket_secret_hash(&mut self, case_id: &str) -> Result<Option<String>, DbError> {
        Ok(self
            .0
            .prepare_cached("SELECT secret_hash FROM tickets WHERE case_id = ?1")?
            .query_row([case_id], |row| row.get(0))
            .optional()?)
    }

    fn upsert_store(&mut self, row: &StoreRow, created_at_ms: i64) -> Result<(), DbError> {
        self.0.execute(
            "INSERT INTO stores (slug, name, currency, ack_minutes, resolve_hours, follow_up_days, contact_salt, created_at_ms, languages)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, currency = excluded.currency,
                 ack_minutes = excluded.ack_minutes, resolve_hours = excluded.resolve_hours,
                 follow_up_days = excluded.follow_up_days, languages = excluded.languages",
            rusqlite::params![
                row.slug,
                row.name,
                row.currency,
                row.ack_minutes,
                row.resolve_hours,
                row.follow_up_days,
                row.contact_salt,
                created_at_ms,
                row.languages
            ],
        )?;
        Ok(())
    }

    fn store(&mut self, slug: &str) -> Result<Option<StoreRow>, DbError> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT slug, name, currency, ack_minutes, resolve_hours, follow_up_days, contact_salt, languages
                 FROM stores WHERE slug = ?1",
            )?
            .query_row([slug], |row| {
                Ok(StoreRow {
                    slug: row.get(0)?,
                    name: row.get(1)?,
                    currency: row.get(2)?,
                    ack_minutes: row.get(3)?,
                    resolve_hours: row.get(4)?,
                    follow_up_days: row.get(5)?,
                    contact_salt: row.get(6)?,
                    languages: row.get(7)?,
                })
            })
            .optional()?)
    }

    fn set_touchpoints(&mut self, store: &str, slugs: &[String]) -> Result<(), DbError> {
        self.0
            .execute("DELETE FROM touchpoints WHERE store = ?1", [store])?;
        for (position, slug) in slugs.iter().enumerate() {
            self.0.execute(
                "INSERT INTO touchpoints (store, slug, position) VALUES (?1, ?2, ?3)",
                rusqlite::params![store, slug, i64::try_from(position).unwrap_or(i64::MAX)],
            )?;
        }
        Ok(())
    }

    fn touchpoints(&mut self, store: &str) -> Result<Vec<String>, DbError> {
        let mut stmt = self.0.prepare_cached(
            "SELECT slug FROM touchpoints WHERE store = ?1 ORDER BY position, slug",
        )?;
        let rows = stmt.query_map([store], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn upsert_staff(&mut self, row: &StaffRow) -> Result<(), DbError> {
        self.0.execute(
            "INSERT INTO staff (store, id, name, role, limit_minor, pin_salt, pin_rounds, pin_hash, active, failures, last_failure_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (store, id) DO UPDATE SET name = excluded.name, role = excluded.role,
                 limit_minor = excluded.limit_minor, pin_salt = excluded.pin_salt,
                 pin_rounds = excluded.pin_rounds, pin_hash = excluded.pin_hash,
                 active = excluded.active, failures = excluded.failures,
                 last_failure_ms = excluded.last_failure_ms",
            rusqlite::params![
                row.store,
                row.id,
                row.name,
                row.role,
                row.limit_minor,
                row.pin_salt,
                row.pin_rounds,
                row.pin_hash,
                row.active,
                row.failures,
                row.last_failure_ms
            ],
        )?;
        Ok(())
    }

    fn staff(&mut self, store: &str, id: &str) -> Result<Option<StaffRow>, DbError> {
        Ok(self
            .0
            .prepare_cached(&format!("{STAFF_COLUMNS} WHERE store = ?1 AND id = ?2"))?
            .query_row([store, id], sqlite_staff_row)
            .optional()?)
    }

    fn roster(&mut self, store: &str) -> Result<Vec<StaffRow>, DbError> {
        let mut stmt = self
            .0
            .prepare_cached(&format!("{STAFF_COLUMNS} WHERE store = ?1 ORDER BY id"))?;
        let rows = stmt.query_map([store], sqlite_staff_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn set_pin_throttle(
        &mut self,
        store: &str,
        id: &str,
        failures: i64,
        last_failure_ms: Option<i64>,
    ) -> Result<bool, DbError> {
        let changed = self.0.execute(
            "UPDATE staff SET failures = ?3, last_failure_ms = ?4 WHERE store = ?1 AND id = ?2",
            rusqlite::params![store, id, failures, last_failure_ms],
        )?;
        Ok(changed == 1)
    }

    fn migration_count(&mut self) -> Result<i64, DbError> {
        Ok(self
            .0
            .query_row("SELECT count(*) FROM schema_migrations", [], |row| {
                row.get(0)
            })?)
    }
}

/// The columns of a [`StaffRow`], in its field order, for both backends.
const STAFF_COLUMNS: &str = "SELECT store, id, name, role, limit_minor, pin_salt, pin_rounds, pin_hash, active, failures, last_failure_ms FROM staff";

/// A token's store: unexpired, and for a login's token only while its
/// staff member is active.
const STAFF_STORE_SQLITE: &str = "SELECT t.store FROM staff_tokens t
     WHERE t.token_hash = ?1 AND (t.expires_at_ms IS NULL OR t.expires_at_ms > ?2)
       AND (t.staff IS NULL OR EXISTS (
           SELECT 1 FROM staff s WHERE s.store = t.store AND s.id = t.staff AND s.active = 1))";

fn sqlite_staff_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StaffRow> {
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

/// Highest version recorded in `schema_migrations`, or 0 for a fresh file.
pub fn highest_applied(conn: &Connection) -> Result<i64, rusqlite::Error> {
    conn.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        [],
        |row| row.get(0),
    )
}

/// Milliseconds since the Unix epoch by the server's clock.
pub fn now_ms() -> i64 {
    // A clock before 1970 is a broken machine; 0 is as good a value as any.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_temp() -> (tempfile::TempDir, PathBuf, Database) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("test.sqlite3");
        let db = Database::open(&path).unwrap();
        (dir, path, db)
    }

    fn insert_event(conn: &Connection, id: &str, body: &str) -> rusqlite::Result<usize> {
        conn.execute(
            "INSERT INTO events (id, case_id, store, touchpoint, device, kind, at_ms, received_at_ms, body)
             VALUES (?1, 'case-1', 'demo', 'front', 'dev-1', 'opened', 1, 2, ?2)",
            [id, body],
        )
    }

    #[test]
    fn a_postgres_location_is_shown_without_its_password() {
        let shown = Location::Postgres("postgres://u:hunter2@127.0.0.1:5433/kiosk".into());
        assert_eq!(
            shown.to_string(),
            "postgres database 'kiosk' on 127.0.0.1:5433"
        );
    }

    #[test]
    fn migration_versions_strictly_increase_and_names_are_unique() {
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].version < pair[1].version, "{pair:?}");
            assert_ne!(pair[0].name, pair[1].name);
        }
        assert!(MIGRATIONS.first().is_some_and(|m| m.version >= 1));
    }

    #[tokio::test]
    async fn opening_creates_the_parent_directory_and_sets_wal_and_foreign_keys() {
        let (_dir, path, db) = open_temp();
        assert!(path.exists());
        let (mode, fk, busy): (String, i64, i64) = db
            .call(|c| {
                Ok((
                    c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                    c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
                    c.query_row("PRAGMA busy_timeout", [], |r| r.get(0))?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
        assert_eq!(busy, 5000);
    }

    #[tokio::test]
    async fn migrating_an_up_to_date_database_applies_nothing() {
        let (_dir, _path, db) = open_temp();
        let applied = db.call(|c| Ok(migrate(c))).await.unwrap().unwrap();
        assert_eq!(applied, 0);
        let count: i64 = db
            .call(|c| c.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)))
            .await
            .unwrap();
        assert_eq!(count, MIGRATIONS.len() as i64);
    }

    #[tokio::test]
    async fn a_database_from_a_newer_server_is_refused() {
        let (_dir, path, db) = open_temp();
        db.call(|c| {
            c.execute(
                "INSERT INTO schema_migrations VALUES (9999, 'future', 0)",
                [],
            )
        })
        .await
        .unwrap();
        db.close().await.unwrap();
        let err = Database::open(&path).unwrap_err();
        assert!(matches!(err, DbError::TooNew { found: 9999, .. }), "{err}");
    }

    #[tokio::test]
    async fn events_get_increasing_seq_and_reject_duplicate_ids_and_bad_json() {
        let (_dir, _path, db) = open_temp();
        let (first, second, dup, bad) = db
            .call(|c| {
                insert_event(c, "e1", "{}")?;
                let first = c.last_insert_rowid();
                insert_event(c, "e2", r#"{"a":1}"#)?;
                let second = c.last_insert_rowid();
                let dup = insert_event(c, "e1", "{}").is_err();
                let bad = insert_event(c, "e3", "not json").is_err();
                Ok((first, second, dup, bad))
            })
            .await
            .unwrap();
        assert!(second > first);
        assert!(dup, "a second event with the same id must be rejected");
        assert!(bad, "a body that is not JSON must be rejected");
    }

    #[tokio::test]
    async fn calls_after_close_report_closed() {
        let (_dir, path, db) = open_temp();
        db.close().await.unwrap();
        db.close().await.unwrap();
        assert!(matches!(db.ping().await, Err(DbError::Closed)));
        let wal = PathBuf::from(format!("{}-wal", path.display()));
        assert!(
            !wal.exists(),
            "closing should checkpoint and remove the WAL"
        );
    }
}
