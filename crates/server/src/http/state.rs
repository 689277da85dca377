//! What every handler shares: the database handle, the dist directory, the
//! public callers' limits and budgets, the trusted proxies, the CORS origins
//! and the shells' script hashes. Built once from the server's config; cheap to clone (all `Arc`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::budgets::Limits;
use super::security::ScriptHashes;
use crate::config::Config;
use crate::live::Hub;
use crate::seal::SealKey;
use crate::store::{Database, DbError, Mode, now_ms};

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
    /// What the reports keep of the stores reported on lately.
    pub facts: Arc<crate::rules::insights::FactsCache>,
    /// The database's sealing key, read (or made) on first use.
    seal: Arc<tokio::sync::OnceCell<SealKey>>,
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
            facts: Arc::default(),
            seal: Arc::default(),
        }
    }

    /// The database's sealing key (`crate::seal`): the one kept, or, in a database that has
    /// none yet, a new one (the first instance to keep its own wins; the others read it).
    pub async fn seal_key(&self) -> Result<SealKey, DbError> {
        self.seal
            .get_or_try_init(|| async {
                let candidate = SealKey::generate().map_err(|e| DbError::Random(e.to_string()))?;
                let secret = self
                    .db
                    .transaction(Mode::Write, move |db| {
                        db.seal_key(&candidate.secret(), now_ms())
                    })
                    .await?;
                SealKey::from_secret(&secret)
                    .ok_or_else(|| DbError::Corrupt("the sealing key is not a P-256 key".into()))
            })
            .await
            .cloned()
    }
}
