//! The server's storage: SQLite (the default, one embedded file) or
//! PostgreSQL (several instances sharing one database). It opens either,
//! brings its schema up to date with embedded migrations, runs queries off
//! the async runtime, and offers [`Access`], the small set of row
//! operations that the server's rules (e.g. [`crate::sync`]) are written
//! against, so those rules exist once for both backends.
//!
//! The rooms, each depending only on those listed before it:
//! * [`error`] holds [`DbError`];
//! * [`access`] is the contract: [`Access`], its rows, [`Mode`], [`now_ms`];
//! * [`migrations`] holds both backends' schema history, in step;
//! * [`shared`] writes [`Access`] once over a backend's [`shared::Executor`], and
//!   [`notices`] the notification outbox's rows and operations ([`Notices`]), [`forget`]
//!   erasing customers ([`Forget`]), [`links`] the server's ticket links ([`Links`]) and
//!   [`markers`] the store's markers for changes ([`MarkerRows`]) and [`seal_keys`] the
//!   server's sealing key ([`SealKeys`]) and [`case_states`] the cases' read model
//!   ([`CaseStates`]) likewise;
//! * [`sqlite`] and [`postgres`] connect, run transactions and migrate;
//! * this file holds [`Database`], the handle the rest of the server uses.
//!
//! Nothing here judges events (that is `sync`'s job) or runs SQL on an
//! async worker thread; an applied migration file is never changed.

pub mod access;
pub mod case_states;
pub mod chains;
pub mod error;
pub mod forget;
pub mod links;
pub mod markers;
pub mod migrations;
pub mod notices;
pub mod postgres;
pub mod seal_keys;
pub mod shared;
pub mod sqlite;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use recovery_core::Slug;
use rusqlite::Connection;

pub use access::{
    Access, AlertRow, EventRow, KeyRow, Mode, StaffRow, StoreRow, TicketRow, TokenInfo, TokenRow,
    now_ms,
};
pub use case_states::{CaseStateRow, CaseStates};
pub use chains::{ChainRow, ChainRows, ChangeRow, PersonRow, PlaceRow};
pub use error::DbError;
pub use forget::Forget;
pub use links::Links;
pub use markers::MarkerRows;
pub use migrations::Migration;
pub use notices::{Notices, NotificationRow, RecipientRow};
pub use seal_keys::SealKeys;

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
            Location::Postgres(url) => match url.parse::<::postgres::Config>() {
                Ok(config) => {
                    let host = match config.get_hosts().first() {
                        Some(::postgres::config::Host::Tcp(host)) => host.clone(),
                        Some(::postgres::config::Host::Unix(path)) => path.display().to_string(),
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
    Sqlite(sqlite::Sqlite),
    Postgres(Arc<postgres::Pool>),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").finish_non_exhaustive()
    }
}

impl Database {
    /// Opens (creating if needed) the SQLite file and its parent
    /// directory, sets WAL, `busy_timeout` and foreign keys, and applies any
    /// pending migrations.
    ///
    /// This blocks on disk I/O; from async code call it via
    /// `tokio::task::spawn_blocking`.
    pub fn open(path: &Path) -> Result<Database, DbError> {
        Ok(Database {
            backend: Backend::Sqlite(sqlite::Sqlite::open(path)?),
        })
    }

    /// Connects to the PostgreSQL database at `url` (no TLS: meant for
    /// loopback or a private network) and applies pending migrations.
    /// Blocks; from async code call it via `tokio::task::spawn_blocking`.
    pub fn open_postgres(url: &str) -> Result<Database, DbError> {
        let pool = postgres::Pool::open(url)?;
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
    /// when `f` returns `Ok`, rolled back otherwise. On SQLite a writing
    /// transaction is `IMMEDIATE` (takes the write lock first); on
    /// PostgreSQL it first takes the locks its [`Mode`] names.
    pub async fn transaction<F, R>(&self, mode: Mode, f: F) -> Result<R, DbError>
    where
        F: FnOnce(&mut dyn Access) -> Result<R, DbError> + Send + 'static,
        R: Send + 'static,
    {
        match &self.backend {
            Backend::Postgres(pool) => pool.transaction(mode, f).await,
            Backend::Sqlite(sqlite) => sqlite.transaction(mode, f).await,
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
        let Backend::Sqlite(sqlite) = &self.backend else {
            return Err(DbError::NotSqlite);
        };
        sqlite.run(move |conn| f(conn).map_err(DbError::from)).await
    }

    /// Checks that the database answers a real query on the schema, for the
    /// health endpoint.
    pub async fn ping(&self) -> Result<(), DbError> {
        self.transaction(Mode::Read, |db| db.migration_count())
            .await
            .map(drop)
    }

    /// Creates a device token for `store` that works for `days`, stores only
    /// its hash (with `label`, a note for people) and returns the token
    /// itself, which exists nowhere else afterwards.
    pub async fn issue_staff_token(
        &self,
        store: &Slug,
        label: Option<&str>,
        days: u32,
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
                expires_at_ms: Some(
                    now_ms().saturating_add(i64::from(days).saturating_mul(86_400_000)),
                ),
            })
        })
        .await?;
        Ok(token)
    }

    /// The store of the staff token `token` and, for a login's session, the
    /// staff member it belongs to; `None` for a token this database never
    /// issued, or one that expired or was revoked.
    pub async fn staff_store(&self, token: &str) -> Result<Option<(Slug, Option<Slug>)>, DbError> {
        let hash = crate::secrets::sha256_hex(token);
        let found = self
            .transaction(Mode::Read, move |db| db.staff_store(&hash, now_ms()))
            .await?;
        // A row written by hand with a bad slug grants nothing.
        Ok(found.and_then(|(store, staff)| {
            let store = Slug::parse(&store).ok()?;
            let staff = match staff {
                Some(id) => Some(Slug::parse(&id).ok()?),
                None => None,
            };
            Some((store, staff))
        }))
    }

    /// Closes the database. On SQLite that lets it refresh its planner
    /// statistics, checkpoint the WAL into the main file and remove the
    /// `-wal`/`-shm` files; on PostgreSQL it closes the pooled connections.
    /// Later calls on any clone return [`DbError::Closed`]. Closing twice
    /// is harmless.
    pub async fn close(&self) -> Result<(), DbError> {
        match &self.backend {
            Backend::Sqlite(sqlite) => sqlite.close().await,
            Backend::Postgres(pool) => {
                let pool = Arc::clone(pool);
                tokio::task::spawn_blocking(move || pool.close())
                    .await
                    .map_err(|err| DbError::Task(err.to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests;
