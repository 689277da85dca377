//! What every handler shares: the database handle, the dist directory, the
//! public callers' limits and budgets, the trusted proxies, the CORS origins
//! and the shells' script hashes. Built once from the server's config; cheap to clone (all `Arc`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::budgets::Limits;
use super::security::ScriptHashes;
use crate::config::Config;
use crate::live::Hub;
use crate::store::Database;

/// Shared state of all handlers.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database handle.
    pub db: Database,
    /// The built app directory.
    pub dist: Arc<Path>,
    /// The public callers' limits and budgets.
    pub limits: Arc<Limits>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Arc<[ipnet::IpNet]>,
    /// Origins allowed to call the API from other sites.
    pub cors_origins: Arc<[String]>,
    /// The inline-script hashes of the built shells, for their CSP.
    pub script_hashes: Arc<ScriptHashes>,
    /// The live feed of the stores' news, for their tablets' streams.
    pub hub: Hub,
}

impl AppState {
    /// Builds the state from a database handle and the dist directory, with
    /// the default rate limit and no CORS origins.
    pub fn new(db: Database, dist: PathBuf) -> Self {
        let config = Config {
            dist,
            ..Config::default()
        };
        AppState::from_config(db, &config)
    }

    /// Builds the state from a database handle and the server's config.
    pub fn from_config(db: Database, config: &Config) -> Self {
        AppState {
            db,
            dist: Arc::from(config.dist.clone()),
            limits: Arc::new(Limits::new(config.rate_limit, &config.budgets)),
            trusted_proxies: Arc::from(config.trusted_proxies.clone()),
            cors_origins: Arc::from(config.cors_origins.clone()),
            script_hashes: Arc::new(ScriptHashes::new(&config.dist)),
            hub: Hub::new(),
        }
    }
}
