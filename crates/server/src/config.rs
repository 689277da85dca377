//! Run-time configuration of the server: where to listen, which database
//! (an SQLite file, the default, or PostgreSQL by URL), where the built app
//! (`dist/`) is, how hard public clients may knock and which other origins
//! may call the API; and the maintenance subcommands: `issue-token` (a
//! device's staff token), `add-store`, `add-staff`, `seed-demo` and
//! `unlock-staff`.
//!
//! Values come from command-line flags first, then from environment
//! variables, then from built-in defaults: `clap` reads both (see [`cli`]),
//! and [`parse`] checks every value, naming the flag or variable a bad one
//! came from. This module must never exit the process, print, or touch the
//! file system; `main` decides what to do with a [`ConfigError`].

pub mod chain;
mod cli;
mod error;
pub mod notify;
mod store;
mod values;

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};
use recovery_core::{Role, Slug, StaffMember};

use crate::staff::StoreSettings;
use crate::store::Location;
use cli::{Cli, DbArgs, ServeArgs, Sub};
pub use cli::{
    DEFAULT_ADDR, DEFAULT_ADDRESS_BYTES_PER_MINUTE, DEFAULT_ADDRESS_EVENTS_PER_MINUTE, DEFAULT_DB,
    DEFAULT_DIST, DEFAULT_PIN_CHECKS, DEFAULT_RATE_LIMIT, DEFAULT_SIGN_IN_FAILURES_PER_ADDRESS,
    DEFAULT_SIGN_IN_FAILURES_PER_STORE, DEFAULT_STORE_BYTES_PER_DAY, DEFAULT_STORE_EVENTS_PER_DAY,
    ENV_ADDR, ENV_CORS_ORIGINS, ENV_DATABASE_URL, ENV_DB, ENV_DIST, ENV_RATE_LIMIT,
};
pub use error::ConfigError;
pub use values::NAME_MAX;
use values::{
    count, display_name, non_empty_path, parse_addr, parse_database_url, parse_origin,
    parse_rate_limit, parse_trusted_proxy, slug, whole_number,
};

/// Everything the server needs to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Socket address to bind; port 0 lets the OS choose.
    pub addr: SocketAddr,
    /// Path of the SQLite database file; unused when `database_url` is set.
    pub db: PathBuf,
    /// PostgreSQL URL; when set, the server uses PostgreSQL instead of `db`.
    pub database_url: Option<String>,
    /// Directory holding the built app (`index.html` and hashed assets).
    pub dist: PathBuf,
    /// Public requests per minute per client address; 0 disables the limit.
    pub rate_limit: u32,
    /// Origins (`scheme://host[:port]`) allowed to call the API cross-origin.
    pub cors_origins: Vec<String>,
    /// The budgets of public pushes and of sign-ins.
    pub budgets: Budgets,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How notifications are sent.
    pub notify: NotifyConfig,
}

pub use notify::NotifyConfig;

/// What the public may spend (see docs/security.md, "Abuse budgets" and
/// "Sign-in limits"); 0 turns a budget off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budgets {
    /// Events per minute per client address in public pushes.
    pub address_events_per_minute: u64,
    /// Bytes of events per minute per client address in public pushes.
    pub address_bytes_per_minute: u64,
    /// Events per day the public may file into one store.
    pub store_events_per_day: u64,
    /// Bytes of events per day the public may file into one store.
    pub store_bytes_per_day: u64,
    /// Failed sign-ins in a row per client address (then one every 2
    /// hours).
    pub sign_in_failures_per_address: u64,
    /// Failed sign-ins per hour into one store.
    pub sign_in_failures_per_store: u64,
    /// PIN checks running at once, server wide (at least 1).
    pub pin_checks: u64,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            address_events_per_minute: DEFAULT_ADDRESS_EVENTS_PER_MINUTE,
            address_bytes_per_minute: DEFAULT_ADDRESS_BYTES_PER_MINUTE,
            store_events_per_day: DEFAULT_STORE_EVENTS_PER_DAY,
            store_bytes_per_day: DEFAULT_STORE_BYTES_PER_DAY,
            sign_in_failures_per_address: DEFAULT_SIGN_IN_FAILURES_PER_ADDRESS,
            sign_in_failures_per_store: DEFAULT_SIGN_IN_FAILURES_PER_STORE,
            pin_checks: DEFAULT_PIN_CHECKS,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: DEFAULT_ADDR.parse().expect("default address is valid"),
            db: PathBuf::from(DEFAULT_DB),
            database_url: None,
            dist: PathBuf::from(DEFAULT_DIST),
            rate_limit: DEFAULT_RATE_LIMIT,
            cors_origins: Vec::new(),
            budgets: Budgets::default(),
            trusted_proxies: Vec::new(),
            notify: NotifyConfig::default(),
        }
    }
}

/// What `issue-token` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueToken {
    /// Path of the SQLite database file; unused when `database_url` is set.
    pub db: PathBuf,
    /// PostgreSQL URL; when set, the token goes there instead of `db`.
    pub database_url: Option<String>,
    /// The store the token belongs to.
    pub store: Slug,
    /// A free-text note stored beside the token's hash.
    pub label: Option<String>,
    /// Days until it stops working.
    pub days: u32,
}

/// Days a device token works unless `--days` says otherwise.
pub const DEFAULT_TOKEN_DAYS: u32 = 365;

/// What `list-tokens` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTokens {
    /// The database.
    pub target: Target,
    /// Only this store's tokens.
    pub store: Option<Slug>,
}

/// What `revoke-token` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokeToken {
    /// The database.
    pub target: Target,
    /// The token's id (the start of its hash), lowercase hex.
    pub id: String,
}

/// `seed-demo`: the demo store and staff, and optionally a made-up history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedDemo {
    /// The database.
    pub target: Target,
    /// Made-up cases to add (0: none).
    pub cases: usize,
    /// The seed of the made-up history.
    pub seed: u64,
}

/// The database a maintenance command works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Path of the SQLite database file; unused when `database_url` is set.
    pub db: PathBuf,
    /// PostgreSQL URL; when set, it wins over `db`.
    pub database_url: Option<String>,
}

impl Target {
    /// The database this names.
    pub fn location(&self) -> Location {
        location(&self.db, self.database_url.as_deref())
    }
}

/// What `add-store` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddStore {
    /// The database.
    pub target: Target,
    /// The store's settings.
    pub settings: StoreSettings,
}

/// What `add-staff` needs; the PIN is read by `main` from `RECOVERY_PIN` or
/// stdin, never from the command line (it would show in `ps`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddStaff {
    /// The database.
    pub target: Target,
    /// The store.
    pub store: Slug,
    /// Who, with their role and limit.
    pub member: StaffMember,
}

/// What `unlock-staff` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlockStaff {
    /// The database.
    pub target: Target,
    /// The store.
    pub store: Slug,
    /// The staff member.
    pub id: Slug,
}

impl Config {
    /// The database this configuration names.
    pub fn location(&self) -> Location {
        location(&self.db, self.database_url.as_deref())
    }
}

impl IssueToken {
    /// The database this command names.
    pub fn location(&self) -> Location {
        location(&self.db, self.database_url.as_deref())
    }
}

fn location(db: &std::path::Path, url: Option<&str>) -> Location {
    match url {
        Some(url) => Location::Postgres(url.to_owned()),
        None => Location::Sqlite(db.to_path_buf()),
    }
}

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Start the server with this configuration.
    Run(Config),
    /// Print this help text (or a command's) on stdout and exit successfully.
    Help(String),
    /// Create a staff token, print it and exit.
    IssueToken(IssueToken),
    /// Create or update a store.
    AddStore(AddStore),
    /// Create or update a staff member (PIN from the environment or stdin).
    AddStaff(AddStaff),
    /// Create the demo store and staff and print their PINs.
    SeedDemo(SeedDemo),
    /// Clear a staff member's failed PIN attempts.
    UnlockStaff(UnlockStaff),
    /// End a staff member's access (same arguments as unlocking).
    DeactivateStaff(UnlockStaff),
    /// List the staff tokens.
    ListTokens(ListTokens),
    /// Revoke a staff token.
    RevokeToken(RevokeToken),
    /// Add or replace a recipient of a store's notifications.
    AddRecipient(notify::Recipient),
    /// Remove a recipient: the store, channel and address.
    RemoveRecipient(Target, Slug, &'static str, String),
    /// List a store's recipients.
    ListRecipients(Target, Slug),
    /// List a store's notifications.
    ListNotifications(Target, Slug),
    /// Erase a customer's name and contact: the store and the ticket code.
    Erase(Target, Slug, String),
    /// Create or rename a chain: its id and name.
    AddChain(Target, Slug, String),
    /// Create or replace a chain person (password from the environment or stdin).
    AddChainPerson(chain::AddChainPerson),
}

/// Parses the command line (`args` without the program name) on top of the
/// process environment.
///
/// Flags win over environment variables, which win over defaults, so a
/// one-off `--db` works even on a machine with `RECOVERY_DB` exported.
pub fn parse<I, T>(args: I) -> Result<Command, ConfigError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    parse_with(Cli::command(), args)
}

/// [`parse`] with the `clap` command to use (tests pass one that ignores
/// the environment).
fn parse_with<I, T>(command: clap::Command, args: I) -> Result<Command, ConfigError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let program = std::iter::once(OsString::from("recovery-server"));
    let matches = match command
        .clone()
        .try_get_matches_from(program.chain(args.iter().cloned()))
    {
        Ok(matches) => matches,
        Err(err) if err.kind() == ErrorKind::DisplayHelp => {
            return Ok(Command::Help(err.render().to_string()));
        }
        Err(err) => return Err(error::from_clap(&command, &args, &err)),
    };
    let cli =
        Cli::from_arg_matches(&matches).map_err(|err| error::from_clap(&command, &args, &err))?;
    let Some(command) = cli.command else {
        return serve(cli.serve, &cli.db, &matches);
    };
    // A command's own matches tell where its values came from.
    let m = matches.subcommand().map_or(&matches, |(_, sub)| sub);
    match command {
        Sub::IssueToken(a) => {
            let (db, database_url) = database(&a.db, m)?;
            let store = a.store.to_string_lossy().into_owned();
            let store = Slug::parse(&store).map_err(|_| ConfigError::BadStore(store))?;
            let label = match a.label {
                Some(value) => Some(
                    value
                        .into_string()
                        .map_err(|_| ConfigError::NotUnicode("option --label".into()))?,
                ),
                None => None,
            };
            let days = match a.days {
                Some(value) => whole_number("--days", &value)?,
                None => DEFAULT_TOKEN_DAYS,
            };
            if !(1..=3650).contains(&days) {
                return Err(ConfigError::BadValue {
                    flag: "--days",
                    value: days.to_string(),
                    expected: "1 to 3650 days",
                });
            }
            Ok(Command::IssueToken(IssueToken {
                db,
                database_url,
                store,
                label,
                days,
            }))
        }
        Sub::AddStore(a) => {
            let target = target(&a.db, m)?;
            let settings = store::settings(a)?;
            Ok(Command::AddStore(AddStore { target, settings }))
        }
        Sub::AddStaff(a) => {
            let role_text = a.role.to_string_lossy().into_owned();
            let role = Role::ALL
                .into_iter()
                .find(|role| role.key() == role_text)
                .ok_or(ConfigError::BadValue {
                    flag: "--role",
                    value: role_text,
                    expected: "staff or manager",
                });
            Ok(Command::AddStaff(AddStaff {
                target: target(&a.db, m)?,
                store: slug("--store", a.store)?,
                member: StaffMember {
                    id: slug("--id", a.id)?,
                    name: display_name("--name", a.name)?,
                    role: role?,
                    limit_minor: whole_number("--limit", &a.limit)?,
                },
            }))
        }
        Sub::SeedDemo(a) => {
            let number = |flag: &'static str, value: Option<OsString>, default: u64| match value {
                Some(value) => whole_number(flag, &value).map(u64::from),
                None => Ok(default),
            };
            let cases = number("--cases", a.cases, 0)?;
            let seed = number("--seed", a.seed, 1)?;
            if cases > 1_000_000 {
                return Err(ConfigError::BadValue {
                    flag: "--cases",
                    value: cases.to_string(),
                    expected: "at most 1000000 cases",
                });
            }
            Ok(Command::SeedDemo(SeedDemo {
                target: target(&a.db, m)?,
                cases: cases as usize,
                seed,
            }))
        }
        Sub::UnlockStaff(a) => Ok(Command::UnlockStaff(UnlockStaff {
            target: target(&a.db, m)?,
            store: slug("--store", a.store)?,
            id: slug("--id", a.id)?,
        })),
        Sub::DeactivateStaff(a) => Ok(Command::DeactivateStaff(UnlockStaff {
            target: target(&a.db, m)?,
            store: slug("--store", a.store)?,
            id: slug("--id", a.id)?,
        })),
        Sub::AddRecipient(a) => Ok(Command::AddRecipient(notify::add_recipient(a, m)?)),
        Sub::RemoveRecipient(a) => {
            let (target, store, channel, address) = notify::recipient(a, m)?;
            Ok(Command::RemoveRecipient(target, store, channel, address))
        }
        Sub::ListRecipients(a) => Ok(Command::ListRecipients(
            target(&a.db, m)?,
            slug("--store", a.store)?,
        )),
        Sub::ListNotifications(a) => Ok(Command::ListNotifications(
            target(&a.db, m)?,
            slug("--store", a.store)?,
        )),
        Sub::AddChain(a) => {
            let (target, chain, name) = chain::add_chain(a, m)?;
            Ok(Command::AddChain(target, chain, name))
        }
        Sub::AddChainPerson(a) => Ok(Command::AddChainPerson(chain::add_person(a, m)?)),
        Sub::Erase(a) => Ok(Command::Erase(
            target(&a.db, m)?,
            slug("--store", a.store)?,
            a.ticket.to_string_lossy().into_owned(),
        )),
        Sub::ListTokens(a) => Ok(Command::ListTokens(ListTokens {
            target: target(&a.db, m)?,
            store: a.store.map(|value| slug("--store", value)).transpose()?,
        })),
        Sub::RevokeToken(a) => {
            let id = a.id.to_string_lossy().to_ascii_lowercase();
            if id.len() < 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ConfigError::BadValue {
                    flag: "--id",
                    value: id,
                    expected: "at least 8 hex digits of a token id from list-tokens",
                });
            }
            Ok(Command::RevokeToken(RevokeToken {
                target: target(&a.db, m)?,
                id,
            }))
        }
    }
}

/// The server's configuration from its parsed options.
fn serve(args: ServeArgs, db: &DbArgs, matches: &ArgMatches) -> Result<Command, ConfigError> {
    let (db, database_url) = database(db, matches)?;
    let mut config = Config {
        db,
        database_url,
        ..Config::default()
    };
    config.addr = parse_addr(&source(matches, "addr", "--addr", ENV_ADDR), args.addr)?;
    config.dist = non_empty_path(source(matches, "dist", "--dist", ENV_DIST), args.dist)?;
    config.rate_limit = parse_rate_limit(
        source(matches, "rate_limit", "--rate-limit", ENV_RATE_LIMIT),
        args.rate_limit,
    )?;
    let origins = source(matches, "cors_origins", "--cors-origin", ENV_CORS_ORIGINS);
    let from_env = matches.value_source("cors_origins") == Some(ValueSource::EnvVariable);
    for value in args.cors_origins {
        let text = value
            .into_string()
            .map_err(|_| ConfigError::NotUnicode(origins.clone()))?;
        // The environment holds one comma-separated list; each flag one
        // origin. Flags replace the list rather than adding to it, so a
        // one-off run can narrow what an exported variable allows.
        let parts: Vec<&str> = if from_env {
            text.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect()
        } else {
            vec![text.trim()]
        };
        for part in parts {
            config.cors_origins.push(parse_origin(&origins, part)?);
        }
    }
    let budgets = &mut config.budgets;
    for (flag, value, field) in [
        (
            "--address-events-per-minute",
            args.address_events_per_minute,
            &mut budgets.address_events_per_minute,
        ),
        (
            "--address-bytes-per-minute",
            args.address_bytes_per_minute,
            &mut budgets.address_bytes_per_minute,
        ),
        (
            "--store-events-per-day",
            args.store_events_per_day,
            &mut budgets.store_events_per_day,
        ),
        (
            "--store-bytes-per-day",
            args.store_bytes_per_day,
            &mut budgets.store_bytes_per_day,
        ),
        (
            "--sign-in-failures-per-address",
            args.sign_in_failures_per_address,
            &mut budgets.sign_in_failures_per_address,
        ),
        (
            "--sign-in-failures-per-store",
            args.sign_in_failures_per_store,
            &mut budgets.sign_in_failures_per_store,
        ),
        ("--pin-checks", args.pin_checks, &mut budgets.pin_checks),
    ] {
        if let Some(value) = value {
            *field = count(flag, &value)?;
        }
    }
    if budgets.pin_checks == 0 {
        return Err(ConfigError::BadValue {
            flag: "--pin-checks",
            value: "0".into(),
            expected: "at least 1 PIN check at a time",
        });
    }
    for value in args.trusted_proxies {
        config.trusted_proxies.push(parse_trusted_proxy(&value)?);
    }
    config.notify = notify::notify_config(args.notify)?;
    Ok(Command::Run(config))
}

/// Where the value of the argument `id` came from, as error messages name
/// it: `option --flag` or `environment variable NAME`.
fn source(matches: &ArgMatches, id: &str, flag: &str, env: &str) -> String {
    match matches.value_source(id) {
        Some(ValueSource::EnvVariable) => format!("environment variable {env}"),
        _ => format!("option {flag}"),
    }
}

/// The database a command names: flags before the environment, and within
/// each, the URL before the path; else the default file.
fn database(args: &DbArgs, matches: &ArgMatches) -> Result<(PathBuf, Option<String>), ConfigError> {
    let rank = |id: &str| match matches.value_source(id) {
        Some(ValueSource::CommandLine) => 2,
        Some(ValueSource::EnvVariable) => 1,
        _ => 0,
    };
    let (url_rank, db_rank) = (rank("database_url"), rank("db"));
    if url_rank > 0
        && url_rank >= db_rank
        && let Some(url) = &args.database_url
    {
        let source = source(matches, "database_url", "--database-url", ENV_DATABASE_URL);
        return parse_database_url(source, url.clone());
    }
    match &args.db {
        Some(db) if db_rank > 0 => Ok((
            non_empty_path(source(matches, "db", "--db", ENV_DB), db.clone())?,
            None,
        )),
        _ => Ok((PathBuf::from(DEFAULT_DB), None)),
    }
}

fn target(args: &DbArgs, matches: &ArgMatches) -> Result<Target, ConfigError> {
    let (db, database_url) = database(args, matches)?;
    Ok(Target { db, database_url })
}

#[cfg(test)]
mod tests;
