//! [`DbError`]: everything that can go wrong opening, migrating or querying
//! either backend. Only describes failures; never decides what to do.

use std::path::PathBuf;

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
    /// The database was already closed by [`crate::store::Database::close`].
    #[error("the database is closed")]
    Closed,
    /// The blocking task running a query panicked or was cancelled.
    #[error("a database task did not finish: {0}")]
    Task(String),
    /// The operating system's random source failed while making a token.
    #[error("cannot make a random token: {0}")]
    Random(String),
}
