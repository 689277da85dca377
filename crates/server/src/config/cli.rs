//! The command line as `clap` sees it: every flag, its environment
//! variable, its default and its help text, with values kept raw (as
//! given) so that [`super::parse`] checks them and names where a bad one
//! came from.
//!
//! This module only declares; it must never validate a value, read a file
//! or decide precedence between sources (that is [`super`]'s job).

use std::ffi::OsString;

use clap::{ArgAction, Args, Parser, Subcommand};

/// Address used when neither `--addr` nor `RECOVERY_ADDR` is given.
/// Loopback only, so a fresh checkout never exposes the kiosk to the network.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
/// SQLite file used when neither `--db` nor `RECOVERY_DB` is given.
pub const DEFAULT_DB: &str = "data/recovery.sqlite3";
/// Built app directory used when neither `--dist` nor `RECOVERY_DIST` is given.
pub const DEFAULT_DIST: &str = "dist";

/// Environment variable that sets the listen address.
pub const ENV_ADDR: &str = "RECOVERY_ADDR";
/// Environment variable that sets the SQLite file path.
pub const ENV_DB: &str = "RECOVERY_DB";
/// Environment variable that sets the database URL (`sqlite:///path` or
/// `postgres://user@host:port/db`).
pub const ENV_DATABASE_URL: &str = "RECOVERY_DATABASE_URL";
/// Environment variable that sets the built app directory.
pub const ENV_DIST: &str = "RECOVERY_DIST";
/// Environment variable that sets the public rate limit (requests per minute per client).
pub const ENV_RATE_LIMIT: &str = "RECOVERY_RATE_LIMIT";
/// Environment variable listing the origins allowed by CORS, comma-separated.
pub const ENV_CORS_ORIGINS: &str = "RECOVERY_CORS_ORIGINS";

/// Requests per minute one client address may make to the public endpoints
/// when neither `--rate-limit` nor `RECOVERY_RATE_LIMIT` is given: a busy
/// kiosk pushes far less, a scraper or a flood far more.
pub const DEFAULT_RATE_LIMIT: u32 = 240;
/// [`DEFAULT_RATE_LIMIT`] as clap shows and parses it.
const DEFAULT_RATE_LIMIT_TEXT: &str = "240";

/// Events one client address may push per minute (public pushes) unless
/// `--address-events-per-minute` says otherwise: a kiosk files a handful a
/// minute; a flood far more.
pub const DEFAULT_ADDRESS_EVENTS_PER_MINUTE: u64 = 600;
/// Bytes of events one client address may push per minute unless
/// `--address-bytes-per-minute` says otherwise (4 MiB).
pub const DEFAULT_ADDRESS_BYTES_PER_MINUTE: u64 = 4 * 1024 * 1024;
/// Events the public may file into one store per day unless
/// `--store-events-per-day` says otherwise: far more than a busy store's
/// customers file (staff pushes are not counted).
pub const DEFAULT_STORE_EVENTS_PER_DAY: u64 = 20_000;
/// Bytes of events the public may file into one store per day unless
/// `--store-bytes-per-day` says otherwise (64 MiB).
pub const DEFAULT_STORE_BYTES_PER_DAY: u64 = 64 * 1024 * 1024;
/// Failed sign-ins one address may make in a row (then one every 2 hours)
/// unless `--sign-in-failures-per-address` says otherwise: at 8 or less one
/// address alone never gathers the core's `PIN_LOCK_AFTER` (10) failures of
/// a person (see `http::budgets::SIGN_IN_REFILL`).
pub const DEFAULT_SIGN_IN_FAILURES_PER_ADDRESS: u64 = 8;
/// Failed sign-ins into one store per hour, from every address together,
/// unless `--sign-in-failures-per-store` says otherwise.
pub const DEFAULT_SIGN_IN_FAILURES_PER_STORE: u64 = 100;
/// PIN checks (about 80 ms of one core each) that may run at once, server
/// wide, unless `--pin-checks` says otherwise.
pub const DEFAULT_PIN_CHECKS: u64 = 2;

/// Printed by `--help` under the options.
const AFTER_HELP: &str = "\
Each command has its own options: recovery-server COMMAND --help. For example
issue-token --store SLUG [--label TEXT] prints a new staff token once.

The first given of --database-url, --db, RECOVERY_DATABASE_URL and RECOVERY_DB
names the database, for the server and for every command.

add-staff reads the PIN, 6 to 12 digits, from the environment variable
RECOVERY_PIN or else one line of stdin, never from the command line; only its
PBKDF2 hash is stored.

Logging follows RUST_LOG (default: info); logs go to stderr.";

/// The whole command line.
#[derive(Debug, Parser)]
#[command(
    name = "recovery-server",
    about = "Serves the service-recovery kiosk app and its sync API over one SQLite file \
             or, for several instances behind a load balancer, one PostgreSQL database.",
    after_help = AFTER_HELP,
    disable_version_flag = true,
    disable_help_subcommand = true,
    args_override_self = true,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A maintenance command; without one, the server runs.
    #[command(subcommand)]
    pub command: Option<Sub>,
    /// The server's options.
    #[command(flatten)]
    pub serve: ServeArgs,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Where the database is, for the server and every command.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// SQLite database file, created with its directory if missing
    /// [default: data/recovery.sqlite3]
    #[arg(long, value_name = "FILE", env = ENV_DB, hide_env_values = true)]
    pub db: Option<OsString>,
    /// sqlite:///PATH (same as --db PATH) or
    /// postgres://USER[:PASSWORD]@HOST:PORT/DB (no TLS)
    #[arg(long, value_name = "URL", env = ENV_DATABASE_URL, hide_env_values = true)]
    pub database_url: Option<OsString>,
}

/// What only the server takes.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port
    #[arg(long, value_name = "HOST:PORT", env = ENV_ADDR, hide_env_values = true,
          default_value = DEFAULT_ADDR)]
    pub addr: OsString,
    /// Directory of the built app (trunk's output)
    #[arg(long, value_name = "DIR", env = ENV_DIST, hide_env_values = true,
          default_value = DEFAULT_DIST)]
    pub dist: OsString,
    /// Requests per minute per client address on the public endpoints
    /// (pushes without a staff token, ticket reads); bursts of up to N;
    /// 0 turns the limit off
    #[arg(long, value_name = "N", allow_negative_numbers = true, env = ENV_RATE_LIMIT, hide_env_values = true,
          default_value = DEFAULT_RATE_LIMIT_TEXT)]
    pub rate_limit: OsString,
    /// An origin such as https://kiosk.example.com allowed to call the API
    /// from a browser; repeat for more (the environment variable holds a
    /// comma-separated list; flags replace it). Default none: only pages
    /// served by this server may call it
    #[arg(long = "cors-origin", value_name = "ORIGIN", env = ENV_CORS_ORIGINS,
          hide_env_values = true, action = ArgAction::Append)]
    pub cors_origins: Vec<OsString>,
    /// Events per minute per client address in public pushes; 0: no limit
    /// [default: 600]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub address_events_per_minute: Option<OsString>,
    /// Bytes of events per minute per client address in public pushes;
    /// 0: no limit [default: 4194304]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub address_bytes_per_minute: Option<OsString>,
    /// Events per day the public may file into one store (the store each
    /// event names); over it, 429 and an alert for the store's staff; 0: no
    /// limit [default: 20000]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub store_events_per_day: Option<OsString>,
    /// Bytes of events per day the public may file into one store; 0: no
    /// limit [default: 67108864]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub store_bytes_per_day: Option<OsString>,
    /// Failed staff sign-ins one client address may make in a row, then one
    /// more every 2 hours; 0: no limit [default: 8]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub sign_in_failures_per_address: Option<OsString>,
    /// Failed staff sign-ins per hour into one store, from all addresses
    /// together; 0: no limit [default: 100]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub sign_in_failures_per_store: Option<OsString>,
    /// PIN checks that may run at once, server wide, at least 1 [default: 2]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub pin_checks: Option<OsString>,
    /// A reverse proxy (an address or a CIDR network such as 10.0.0.0/8)
    /// whose X-Forwarded-For is believed: the right-most address in it that
    /// is not a trusted proxy counts as the client for limits and budgets;
    /// repeat for more. Default none: the direct peer is the client
    #[arg(long = "trusted-proxy", value_name = "IP_OR_CIDR", action = ArgAction::Append)]
    pub trusted_proxies: Vec<OsString>,
    /// Email and webhook notifications.
    #[command(flatten)]
    pub notify: super::notify::NotifyArgs,
}

/// The maintenance commands.
#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Creates a staff token for one store, stores only its SHA-256 in the
    /// database (migrating it first) and prints the token on stdout, once
    #[command(args_override_self = true)]
    IssueToken(IssueTokenArgs),
    /// Creates a store or updates its settings (its contact salt, random,
    /// is made once)
    #[command(args_override_self = true)]
    AddStore(AddStoreArgs),
    /// Creates or replaces a staff member of an existing store (which also
    /// clears their failed PIN attempts); the PIN comes from RECOVERY_PIN or
    /// one line of stdin
    #[command(args_override_self = true)]
    AddStaff(AddStaffArgs),
    /// Creates the demo store and its staff ana (staff, limit 25.00) and max
    /// (manager) and prints one tab-separated line per person: store, id,
    /// name, role, demo PIN
    #[command(args_override_self = true)]
    SeedDemo(SeedDemoArgs),
    /// Clears a staff member's failed PIN attempts at once (after 10 the
    /// sign-in is locked until 15 minutes after the latest failure)
    #[command(args_override_self = true)]
    UnlockStaff(UnlockStaffArgs),
    /// Deactivates a staff member: their sessions and signing keys end at
    /// once and they can no longer sign in (add-staff brings them back)
    #[command(args_override_self = true)]
    DeactivateStaff(UnlockStaffArgs),
    /// Lists the staff tokens (device tokens and sessions), one
    /// tab-separated line each: id, store, holder, label, created, expires
    #[command(args_override_self = true)]
    ListTokens(ListTokensArgs),
    /// Revokes a staff token at once, named by its id from list-tokens (or
    /// any unambiguous start of it, at least 8 hex digits)
    #[command(args_override_self = true)]
    RevokeToken(RevokeTokenArgs),
    /// Adds (or replaces) who hears of a store's cases by email or webhook,
    /// of which rules, and their quiet hours
    #[command(args_override_self = true)]
    AddRecipient(super::notify::AddRecipientArgs),
    /// Removes a recipient of a store's notifications
    #[command(args_override_self = true)]
    RemoveRecipient(super::notify::RecipientArgs),
    /// Lists a store's recipients, one tab-separated line each: channel,
    /// address, rules, quiet hours
    #[command(args_override_self = true)]
    ListRecipients(super::notify::StoreArgs),
    /// Lists a store's notifications, one tab-separated line each: rule,
    /// ticket case, channel, address, state, tries, due, done, last error
    #[command(args_override_self = true)]
    ListNotifications(super::notify::StoreArgs),
    /// Erases a customer's name and contact from their case at once (they
    /// asked), on the server and on every tablet as it syncs; the complaint
    /// and its steps stay
    #[command(args_override_self = true)]
    Erase(EraseArgs),
    /// Creates a chain (an organisation over stores, with one contact salt
    /// its new stores share, so repeat failures are found across them) or
    /// renames it
    #[command(args_override_self = true)]
    AddChain(super::chain::AddChainArgs),
    /// Creates or replaces a person who runs a chain in the web admin (admin
    /// or area manager), which ends their sessions; the password, 10 to 128
    /// characters, comes from RECOVERY_PASSWORD or one line of stdin
    #[command(args_override_self = true)]
    AddChainPerson(super::chain::AddChainPersonArgs),
}

/// `erase`.
#[derive(Debug, Args)]
pub struct EraseArgs {
    /// The store
    #[arg(long, value_name = "SLUG")]
    pub store: OsString,
    /// The case's ticket code, as on the customer's acknowledgement
    /// (K7M-3QX), or its id when several cases share the code
    #[arg(long, value_name = "CODE")]
    pub ticket: OsString,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `list-tokens`.
#[derive(Debug, Args)]
pub struct ListTokensArgs {
    /// Only this store's tokens
    #[arg(long, value_name = "SLUG")]
    pub store: Option<OsString>,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `revoke-token`.
#[derive(Debug, Args)]
pub struct RevokeTokenArgs {
    /// The token's id, as list-tokens prints it
    #[arg(long, value_name = "HEX")]
    pub id: OsString,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `issue-token`.
#[derive(Debug, Args)]
pub struct IssueTokenArgs {
    /// The store the token may pull and record events for
    #[arg(long, value_name = "SLUG")]
    pub store: OsString,
    /// A note for people reading the database (device, person)
    #[arg(long, value_name = "TEXT")]
    pub label: Option<OsString>,
    /// Days until the token stops working, 1 to 3650 [default: 365]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub days: Option<OsString>,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `add-store`.
#[derive(Debug, Args)]
pub struct AddStoreArgs {
    /// The store's id
    #[arg(long, value_name = "SLUG")]
    pub store: OsString,
    /// The store's name
    #[arg(long, value_name = "NAME")]
    pub name: OsString,
    /// A touchpoint, optionally with the name people read
    /// (checkout-2="Checkout 2"); repeat in display order; replaces the
    /// store's touchpoints when given
    #[arg(long = "touchpoint", value_name = "SLUG[=NAME]", action = ArgAction::Append)]
    pub touchpoints: Vec<OsString>,
    /// Days after a case's close when its customer's name and contact are
    /// erased, on the server and on every tablet as it syncs (0: at the
    /// close) [default: 365 for a new store, else its own]
    #[arg(long, value_name = "DAYS")]
    pub retention_days: Option<OsString>,
    /// ISO 4217 currency of remedies [default: EUR]
    #[arg(long, value_name = "CODE")]
    pub currency: Option<OsString>,
    /// Minutes from filing to acknowledging [default: 10]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub ack_minutes: Option<OsString>,
    /// Hours from filing to resolving [default: 24]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub resolve_hours: Option<OsString>,
    /// Days after a resolution to follow up [default: 3]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub follow_up_days: Option<OsString>,
    /// The languages its customers read, most used first, from en, id, ms
    /// and sv (the QR stickers invite customers in these); a new store gets
    /// all four, an existing one keeps its own unless given
    #[arg(long, value_name = "LIST")]
    pub languages: Option<OsString>,
    /// Whether its tablets chime for a new complaint, on or off; a new
    /// store gets off, an existing one keeps its own unless given
    #[arg(long, value_name = "on|off")]
    pub chime: Option<OsString>,
    /// The chain a new store joins (see add-chain) [default: a chain of its
    /// own, named like it]; a store stays in the chain it was created in
    #[arg(long, value_name = "SLUG")]
    pub chain: Option<OsString>,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `add-staff`.
#[derive(Debug, Args)]
pub struct AddStaffArgs {
    /// The store
    #[arg(long, value_name = "SLUG")]
    pub store: OsString,
    /// Their id within the store
    #[arg(long, value_name = "SLUG")]
    pub id: OsString,
    /// Their name
    #[arg(long, value_name = "NAME")]
    pub name: OsString,
    /// staff or manager
    #[arg(long, value_name = "ROLE")]
    pub role: OsString,
    /// The largest remedy they may give alone, in minor units (2500 = 25.00)
    #[arg(long, value_name = "MINOR_UNITS", allow_negative_numbers = true)]
    pub limit: OsString,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `seed-demo`.
#[derive(Debug, Args)]
pub struct SeedDemoArgs {
    /// Also add N made-up cases over the last 88 days, worked by ana and
    /// max, the last few a spike at the delivery desk in the last hour
    /// [default: 0]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub cases: Option<OsString>,
    /// The seed of the made-up history (with the current time it decides
    /// everything) [default: 1]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub seed: Option<OsString>,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `unlock-staff`.
#[derive(Debug, Args)]
pub struct UnlockStaffArgs {
    /// The store
    #[arg(long, value_name = "SLUG")]
    pub store: OsString,
    /// The staff member's id
    #[arg(long, value_name = "SLUG")]
    pub id: OsString,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}
