//! Sync server of the service-recovery kiosk.
//!
//! It serves the built Leptos app (trunk's `dist/`) and a versioned JSON API
//! under `/api`, backed by one SQLite file or by PostgreSQL shared by several
//! instances (see [`store`]): health, the OpenAPI document,
//! event push (every complaint stored exactly once), staff pulls by cursor,
//! store insights and case exports and customers' ticket reads, with staff
//! tokens, per-address rate limits and a CORS allowlist.
//!
//! Two rooms: [`http`] (router, layers, error type, extractors, one file per
//! resource) turns requests into calls of [`rules`] (sync, tickets, staff,
//! insights: no HTTP, no SQL), which read and write through the storage
//! trait of [`store`]. The wire types are the core's [`recovery_core::api`]; [`seal`] opens
//! what devices sealed for the server.
//!
//! The crate is a library so tests can run the real server in-process;
//! `main.rs` only parses the command line and calls [`Server`]. Nothing here
//! may print to stdout except the single "Serving the kiosk on ..." line that
//! `main` writes (scripts read it to find the port); logs go to stderr.

pub mod config;
pub mod http;
pub mod live;
pub mod notifier;
pub mod ratelimit;
pub mod rules;
pub mod seal;
pub mod secrets;
pub mod store;

// The rules by their short names, as the command line and the tests use them.
pub use rules::{history, insights, staff, sync, tickets, tokens};

use std::future::{Future, IntoFuture};
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::Notify;

pub use config::Config;
use store::{Database, DbError};

/// How long shutdown waits for in-flight requests before closing the
/// database anyway, so a stuck client cannot keep the process alive.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Opening, migrating or closing the database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// Why it failed.
        source: std::io::Error,
    },
    /// The HTTP server itself failed.
    #[error("the HTTP server failed: {0}")]
    Serve(#[source] std::io::Error),
    /// An administrative command (stores, staff) could not do its work.
    #[error(transparent)]
    Admin(#[from] staff::AdminError),
    /// What the command had to print could not be written to stdout.
    #[error("cannot write to stdout: {0}")]
    Stdout(#[source] std::io::Error),
}

/// A server whose database is open and migrated, ready to accept requests.
#[derive(Debug)]
pub struct Server {
    state: http::AppState,
    notify: config::NotifyConfig,
}

impl Server {
    /// Opens the database named by `config` (creating the file and its
    /// directory if missing, applying pending migrations) and prepares the
    /// app. Nothing listens yet; pass a listener to [`Server::run`].
    pub async fn open(config: &Config) -> Result<Server, Error> {
        let location = config.location();
        let db = Database::connect(&location).await?;
        tracing::info!(db = %location, "database ready");
        let filled = rules::cases::fill(&db).await?;
        if filled > 0 {
            tracing::info!(cases = filled, "filled in the cases' read model");
        }
        if !config.dist.join("index.html").is_file() {
            // Not fatal: the API is useful without the app, and the page
            // itself explains what to do.
            tracing::warn!(
                dist = %config.dist.display(),
                "no index.html in the dist directory; the app answers 503 until it is built"
            );
        }
        let state = http::AppState::from_config(db, config);
        if let store::Location::Postgres(url) = location {
            let hub = state.hub.clone();
            tokio::task::spawn_blocking(move || live::listen_postgres(&url, &hub))
                .await
                .map_err(|err| DbError::Task(err.to_string()))?
                .map_err(DbError::from)?;
        }
        Ok(Server {
            state,
            notify: config.notify.clone(),
        })
    }

    /// Serves HTTP on `listener` until `shutdown` completes, then stops
    /// accepting, lets in-flight requests finish (for at most
    /// [`SHUTDOWN_GRACE`]) and closes the database.
    pub async fn run<F>(self, listener: TcpListener, shutdown: F) -> Result<(), Error>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let db = self.state.db.clone();
        let hub = self.state.hub.clone();
        // The outbox's worker, until shutdown; links point where people open the app.
        let base_url = match (&self.notify.public_url, listener.local_addr()) {
            (Some(url), _) => url.clone(),
            (None, Ok(addr)) => format!("http://{addr}"),
            (None, Err(_)) => String::new(),
        };
        notifier::spawn(db.clone(), self.notify.clone(), base_url, hub.closing());
        rules::erase::spawn(db.clone(), hub.closing());
        // The reports' facts of the stores, read in the background.
        let (warm_db, facts) = (db.clone(), Arc::clone(&self.state.facts));
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            match rules::insights::warm(&warm_db, &facts).await {
                Ok(cases) => {
                    let ms = started.elapsed().as_millis() as u64;
                    tracing::info!(cases, ms, "read the reports' facts");
                }
                Err(err) => tracing::warn!(error = %err, "reading the reports' facts failed"),
            }
        });
        let app = http::router(self.state);

        let stopping = Arc::new(Notify::new());
        let signal = {
            let stopping = Arc::clone(&stopping);
            async move {
                shutdown.await;
                tracing::info!("shutting down: finishing in-flight requests");
                // Live streams never finish by themselves.
                hub.close();
                // `notify_one` keeps a permit if nobody waits yet.
                stopping.notify_one();
            }
        };
        // Connect info gives handlers the client's address for rate limits.
        let service = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
        let server = axum::serve(listener, service)
            .with_graceful_shutdown(signal)
            .into_future();
        let grace = async {
            stopping.notified().await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        };

        let served = tokio::select! {
            result = server => result.map_err(Error::Serve),
            () = grace => {
                tracing::warn!(
                    grace_secs = SHUTDOWN_GRACE.as_secs(),
                    "requests still running after the grace period; stopping anyway"
                );
                Ok(())
            }
        };
        // Close even after a server error, so the WAL is checkpointed.
        let closed = db.close().await;
        served?;
        closed?;
        tracing::info!("database closed; stopped");
        Ok(())
    }
}

/// Opens the server described by `config` and serves on `listener` until
/// `shutdown` completes: [`Server::open`] then [`Server::run`].
pub async fn serve<F>(config: &Config, listener: TcpListener, shutdown: F) -> Result<(), Error>
where
    F: Future<Output = ()> + Send + 'static,
{
    Server::open(config).await?.run(listener, shutdown).await
}

/// Binds `config.addr`, mapping the error to one that names the address.
pub async fn bind(config: &Config) -> Result<TcpListener, Error> {
    TcpListener::bind(config.addr)
        .await
        .map_err(|source| Error::Bind {
            addr: config.addr,
            source,
        })
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM (what service managers
/// and containers send).
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            // Without a handler this branch must never fire, or the server
            // would stop right after starting.
            tracing::warn!(error = %err, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = interrupt => tracing::info!(signal = "SIGINT", "received stop signal"),
        () = terminate => tracing::info!(signal = "SIGTERM", "received stop signal"),
    }
}

/// Installs the log subscriber: structured lines on stderr, filtered by
/// `RUST_LOG` (default `info`), coloured only on a terminal. Calling it twice
/// is harmless.
pub fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    use tracing_subscriber::filter::LevelFilter;

    // `from_env_lossy` skips invalid directives instead of failing, so a
    // typo in RUST_LOG cannot stop the server from starting.
    let filter = EnvFilter::builder()
        .with_default_directive(LevelFilter::INFO.into())
        .from_env_lossy();
    let _already_set = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
