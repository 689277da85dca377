//! Run-time configuration of the server: where to listen, which database
//! (an SQLite file, the default, or PostgreSQL by URL), where the built app (`dist/`) is, how hard public clients may
//! knock and which other origins may call the API; and the maintenance
//! subcommands: `issue-token` (a device's staff token), `add-store`,
//! `add-staff`, `seed-demo` and `unlock-staff`.
//!
//! Values come from command-line flags first, then from environment
//! variables, then from built-in defaults. Parsing is pure: it is handed the
//! arguments and an environment lookup, so tests never touch the real process
//! environment. This module must never exit the process, print, or touch the
//! file system; `main` decides what to do with a [`ConfigError`].

use std::ffi::OsString;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use recovery_core::{Role, Slug, StaffMember, parse_languages};

use crate::staff::StoreSettings;
use crate::store::Location;

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

/// Usage text printed by `--help`.
pub const USAGE: &str = "\
Usage: recovery-server [--addr HOST:PORT] [--db FILE | --database-url URL]
                       [--dist DIR] [--rate-limit N] [--cors-origin ORIGIN]...
       recovery-server issue-token --store SLUG [--label TEXT]
                       [--db FILE | --database-url URL]
       recovery-server add-store --store SLUG --name NAME [--touchpoint SLUG]...
                       [--currency EUR] [--ack-minutes 10] [--resolve-hours 24]
                       [--follow-up-days 3] [--languages en,id,ms,sv]
                       [--db FILE | --database-url URL]
       recovery-server add-staff --store SLUG --id SLUG --name NAME
                       --role staff|manager --limit MINOR_UNITS
                       [--db FILE | --database-url URL]
       recovery-server seed-demo [--cases N] [--seed N]
                       [--db FILE | --database-url URL]
       recovery-server unlock-staff --store SLUG --id SLUG
                       [--db FILE | --database-url URL]

Serves the service-recovery kiosk app and its sync API over one SQLite file
or, for several instances behind a load balancer, one PostgreSQL database.

Options (each may also be written --name=value):
  --addr HOST:PORT  address to listen on; port 0 picks a free port
                    [env RECOVERY_ADDR, default 127.0.0.1:8080]
  --db FILE         SQLite database file, created with its directory if missing
                    [env RECOVERY_DB, default data/recovery.sqlite3]
  --database-url URL
                    sqlite:///PATH (same as --db PATH) or
                    postgres://USER[:PASSWORD]@HOST:PORT/DB (no TLS)
                    [env RECOVERY_DATABASE_URL]
                    The first given of --database-url, --db,
                    RECOVERY_DATABASE_URL, RECOVERY_DB wins.
  --dist DIR        directory of the built app (trunk's output)
                    [env RECOVERY_DIST, default dist]
  --rate-limit N    requests per minute per client address on the public
                    endpoints (pushes without a staff token, ticket reads);
                    bursts of up to N; 0 turns the limit off
                    [env RECOVERY_RATE_LIMIT, default 240]
  --cors-origin ORIGIN
                    an origin such as https://kiosk.example.com allowed to call
                    the API from a browser; repeat for more
                    [env RECOVERY_CORS_ORIGINS, comma-separated; default none,
                    so only pages served by this server may call it]
  --help            print this help and exit

issue-token creates a staff token for one store, stores only its SHA-256 in
the database (migrating it first) and prints the token on stdout, once:
  --store SLUG      the store the token may pull and record events for
  --label TEXT      a note for people reading the database (device, person)
  --db FILE, --database-url URL
                    as above, same precedence

add-store creates a store or updates its settings (its contact salt, random,
is made once); --touchpoint repeats, in display order, and replaces the
store's touchpoints when given. --languages lists the languages its
customers read, most used first, from en, id, ms and sv (the QR stickers
invite customers in these); a new store gets all four, an existing one keeps
its own unless given.

add-staff creates or replaces a staff member of an existing store (which
also clears their failed PIN attempts). The PIN, 6 to 12 digits, comes from
the environment variable RECOVERY_PIN or else one line of stdin, never from
the command line; only its PBKDF2 hash is stored. --limit is the largest
remedy they may give alone, in minor units (2500 = 25.00).

seed-demo creates the demo store and its staff ana (staff, limit 25.00) and
max (manager) if they are not already so, and prints one tab-separated line
per person: store, id, name, role, demo PIN. With --cases N it also adds N
made-up cases over the last 88 days (deterministic for --seed, default 1,
and the current time), worked by ana and max, the last few of them a spike
at the delivery desk in the last hour: demo data for the insights.

unlock-staff clears a staff member's failed PIN attempts (after 10 the
sign-in is locked).

Logging follows RUST_LOG (default: info); logs go to stderr.
";

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
    /// Print [`USAGE`] and exit successfully.
    Help,
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
}

/// A command line or environment value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// A flag this program does not know.
    UnknownFlag(String),
    /// A positional argument; the server takes none.
    UnexpectedArgument(String),
    /// A flag that needs a value was last on the line.
    MissingValue(&'static str),
    /// A value that is not valid UTF-8 where text is needed.
    NotUnicode(String),
    /// An address that does not parse as `HOST:PORT` with a numeric host.
    BadAddr {
        /// Where the value came from: a flag or an environment variable.
        source: String,
        /// The offending value.
        value: String,
    },
    /// An empty path, which would silently mean the current directory.
    EmptyPath(String),
    /// A rate limit that is not a whole number of requests per minute.
    BadRateLimit {
        /// Where the value came from.
        source: String,
        /// The offending value.
        value: String,
    },
    /// A CORS origin that is not `scheme://host[:port]`.
    BadOrigin {
        /// Where the value came from.
        source: String,
        /// The offending value.
        value: String,
    },
    /// A database URL that is neither `sqlite://` nor `postgres://`.
    BadDatabaseUrl {
        /// Where the value came from.
        source: String,
    },
    /// `issue-token` without `--store`.
    MissingStore,
    /// A store that is not a slug.
    BadStore(String),
    /// A command without an option it needs.
    MissingOption {
        /// The option.
        flag: &'static str,
        /// The command.
        command: &'static str,
    },
    /// An option's value that cannot be used.
    BadValue {
        /// The option.
        flag: &'static str,
        /// The value given.
        value: String,
        /// What was expected instead.
        expected: &'static str,
    },
    /// An option that only another command takes.
    NotForCommand {
        /// The option.
        flag: &'static str,
        /// The command it was given to.
        command: &'static str,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::UnknownFlag(flag) => write!(f, "unknown option '{flag}'"),
            ConfigError::UnexpectedArgument(arg) => {
                write!(
                    f,
                    "unexpected argument '{arg}' (this program takes only options)"
                )
            }
            ConfigError::MissingValue(flag) => write!(f, "option '{flag}' needs a value"),
            ConfigError::NotUnicode(what) => write!(f, "{what} is not valid UTF-8"),
            ConfigError::BadAddr { source, value } => write!(
                f,
                "{source}: '{value}' is not a socket address like 127.0.0.1:8080 or [::1]:8080"
            ),
            ConfigError::EmptyPath(source) => write!(f, "{source}: the path is empty"),
            ConfigError::BadRateLimit { source, value } => write!(
                f,
                "{source}: '{value}' is not a whole number of requests per minute (0 turns the limit off)"
            ),
            ConfigError::BadOrigin { source, value } => write!(
                f,
                "{source}: '{value}' is not an origin like https://kiosk.example.com or http://127.0.0.1:8080"
            ),
            // The value is not echoed: it may hold a password.
            ConfigError::BadDatabaseUrl { source } => write!(
                f,
                "{source}: not a database URL like sqlite:///var/lib/recovery.sqlite3 or postgres://recovery@127.0.0.1:5432/recovery"
            ),
            ConfigError::MissingStore => write!(f, "issue-token needs --store SLUG"),
            ConfigError::BadStore(value) => write!(
                f,
                "option --store: '{value}' is not a store slug (1 to 40 of a-z, 0-9 and inner dashes)"
            ),
            ConfigError::MissingOption { flag, command } => {
                write!(f, "{command} needs option '{flag}'")
            }
            ConfigError::BadValue {
                flag,
                value,
                expected,
            } => write!(f, "option {flag}: '{value}' is not {expected}"),
            ConfigError::NotForCommand { flag, command } => {
                write!(f, "option '{flag}' does not apply to {command}")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// Parses the command line (`args` without the program name) on top of the
/// environment (`env` looks a variable up by name).
///
/// Flags win over environment variables, which win over defaults, so a
/// one-off `--db` works even on a machine with `RECOVERY_DB` exported.
pub fn parse<I, E>(args: I, env: E) -> Result<Command, ConfigError>
where
    I: IntoIterator<Item = OsString>,
    E: Fn(&str) -> Option<OsString>,
{
    let mut args = args.into_iter().peekable();
    let command: &'static str = args
        .peek()
        .and_then(|first| first.to_str())
        .and_then(|first| SUBCOMMANDS.iter().copied().find(|known| *known == first))
        .unwrap_or("the server");
    if command != "the server" {
        args.next();
    }

    // Every option given, by flag, in order; the last one wins except for
    // the repeatable ones.
    let mut given: Vec<(&'static str, (String, OsString))> = Vec::new();
    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str() else {
            // Only values may be non-UTF-8 paths; a flag never is.
            return Err(ConfigError::UnexpectedArgument(
                arg.to_string_lossy().into_owned(),
            ));
        };
        if text == "--help" || text == "-h" {
            return Ok(Command::Help);
        }
        let (name, inline_value) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(OsString::from(value))),
            _ => (text, None),
        };
        let Some(flag) = FLAGS.iter().copied().find(|flag| *flag == name) else {
            if name.starts_with('-') {
                return Err(ConfigError::UnknownFlag(name.to_owned()));
            }
            return Err(ConfigError::UnexpectedArgument(name.to_owned()));
        };
        if !flags_of(command).contains(&flag) {
            return Err(ConfigError::NotForCommand { flag, command });
        }
        let value = match inline_value {
            Some(value) => value,
            None => args.next().ok_or(ConfigError::MissingValue(flag))?,
        };
        given.push((flag, (format!("option {flag}"), value)));
    }
    let last = |flag: &str| {
        given
            .iter()
            .rev()
            .find(|(name, _)| *name == flag)
            .map(|(_, entry)| entry.clone())
    };
    let all = |flag: &str| -> Vec<(String, OsString)> {
        given
            .iter()
            .filter(|(name, _)| *name == flag)
            .map(|(_, entry)| entry.clone())
            .collect()
    };

    let from_env =
        |name: &str| env(name).map(|value| (format!("environment variable {name}"), value));
    // Flags before the environment; within each, the URL before the path.
    let chosen = match (last("--database-url"), last("--db")) {
        (Some(url), _) => Some((true, url)),
        (None, Some(db)) => Some((false, db)),
        (None, None) => match (from_env(ENV_DATABASE_URL), from_env(ENV_DB)) {
            (Some(url), _) => Some((true, url)),
            (None, db) => db.map(|db| (false, db)),
        },
    };
    let (db, database_url) = match chosen {
        None => (PathBuf::from(DEFAULT_DB), None),
        Some((false, (source, value))) => (non_empty_path(source, value)?, None),
        Some((true, (source, value))) => parse_database_url(source, value)?,
    };
    let target = Target {
        db: db.clone(),
        database_url: database_url.clone(),
    };
    let required =
        |flag: &'static str| last(flag).ok_or(ConfigError::MissingOption { flag, command });
    let slug_of = |flag: &'static str, (_, value): (String, OsString)| {
        let text = value.to_string_lossy().into_owned();
        Slug::parse(&text).map_err(|_| ConfigError::BadValue {
            flag,
            value: text,
            expected: "an identifier: 1 to 40 of a-z, 0-9 and inner dashes",
        })
    };

    match command {
        "issue-token" => {
            let (_, store) = last("--store").ok_or(ConfigError::MissingStore)?;
            let store = store.to_string_lossy().into_owned();
            let store = Slug::parse(&store).map_err(|_| ConfigError::BadStore(store))?;
            let label = match last("--label") {
                Some((source, value)) => Some(
                    value
                        .into_string()
                        .map_err(|_| ConfigError::NotUnicode(source))?,
                ),
                None => None,
            };
            return Ok(Command::IssueToken(IssueToken {
                db,
                database_url,
                store,
                label,
            }));
        }
        "add-store" => {
            let store = slug_of("--store", required("--store")?)?;
            let name = display_name("--name", required("--name")?)?;
            let mut settings = StoreSettings::new(store, name);
            let touchpoints = all("--touchpoint")
                .into_iter()
                .map(|entry| slug_of("--touchpoint", entry))
                .collect::<Result<Vec<Slug>, _>>()?;
            if !touchpoints.is_empty() {
                settings.touchpoints = Some(touchpoints);
            }
            if let Some((_, value)) = last("--currency") {
                let text = value.to_string_lossy().to_ascii_uppercase();
                if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(ConfigError::BadValue {
                        flag: "--currency",
                        value: value.to_string_lossy().into_owned(),
                        expected: "an ISO 4217 code such as EUR",
                    });
                }
                settings.currency = text;
            }
            for (flag, field) in [
                ("--ack-minutes", &mut settings.ack_minutes),
                ("--resolve-hours", &mut settings.resolve_hours),
                ("--follow-up-days", &mut settings.follow_up_days),
            ] {
                if let Some(entry) = last(flag) {
                    *field = whole_number(flag, entry)?;
                }
            }
            if let Some((_, value)) = last("--languages") {
                let text = value.to_string_lossy().into_owned();
                settings.languages =
                    Some(parse_languages(&text).map_err(|_| ConfigError::BadValue {
                        flag: "--languages",
                        value: text,
                        expected: "languages from en, id, ms and sv, comma-separated, each once",
                    })?);
            }
            return Ok(Command::AddStore(AddStore { target, settings }));
        }
        "add-staff" => {
            let store = slug_of("--store", required("--store")?)?;
            let id = slug_of("--id", required("--id")?)?;
            let name = display_name("--name", required("--name")?)?;
            let (_, role) = required("--role")?;
            let role_text = role.to_string_lossy().into_owned();
            let role = Role::ALL
                .into_iter()
                .find(|role| role.key() == role_text)
                .ok_or(ConfigError::BadValue {
                    flag: "--role",
                    value: role_text,
                    expected: "staff or manager",
                })?;
            let limit_minor = whole_number("--limit", required("--limit")?)?;
            return Ok(Command::AddStaff(AddStaff {
                target,
                store,
                member: StaffMember {
                    id,
                    name,
                    role,
                    limit_minor,
                },
            }));
        }
        "seed-demo" => {
            let number = |flag: &'static str, default: u64| match last(flag) {
                Some(entry) => whole_number(flag, entry).map(u64::from),
                None => Ok(default),
            };
            let cases = number("--cases", 0)?;
            let seed = number("--seed", 1)?;
            if cases > 1_000_000 {
                return Err(ConfigError::BadValue {
                    flag: "--cases",
                    value: cases.to_string(),
                    expected: "at most 1000000 cases",
                });
            }
            return Ok(Command::SeedDemo(SeedDemo {
                target,
                cases: cases as usize,
                seed,
            }));
        }
        "unlock-staff" => {
            let store = slug_of("--store", required("--store")?)?;
            let id = slug_of("--id", required("--id")?)?;
            return Ok(Command::UnlockStaff(UnlockStaff { target, store, id }));
        }
        _ => {}
    }

    let addr = last("--addr");
    let dist = last("--dist");
    let rate_limit = last("--rate-limit");
    let origins = all("--cors-origin");
    let addr = addr.or_else(|| from_env(ENV_ADDR));
    let dist = dist.or_else(|| from_env(ENV_DIST));
    let rate_limit = rate_limit.or_else(|| from_env(ENV_RATE_LIMIT));

    let mut config = Config {
        db,
        database_url,
        ..Config::default()
    };
    if let Some((source, value)) = addr {
        config.addr = parse_addr(&source, value)?;
    }
    if let Some((source, value)) = dist {
        config.dist = non_empty_path(source, value)?;
    }
    if let Some((source, value)) = rate_limit {
        config.rate_limit = parse_rate_limit(source, value)?;
    }
    if origins.is_empty() {
        // Flags replace the environment's list rather than adding to it, so
        // a one-off run can narrow what an exported variable allows.
        if let Some((source, value)) = from_env(ENV_CORS_ORIGINS) {
            let text = value
                .into_string()
                .map_err(|_| ConfigError::NotUnicode(source.clone()))?;
            for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                config.cors_origins.push(parse_origin(&source, part)?);
            }
        }
    } else {
        for (source, value) in origins {
            let text = value
                .into_string()
                .map_err(|_| ConfigError::NotUnicode(source.clone()))?;
            config
                .cors_origins
                .push(parse_origin(&source, text.trim())?);
        }
    }
    Ok(Command::Run(config))
}

/// The subcommands, as typed first on the command line.
pub const SUBCOMMANDS: &[&str] = &[
    "issue-token",
    "add-store",
    "add-staff",
    "seed-demo",
    "unlock-staff",
];

/// Every option any command takes.
const FLAGS: &[&str] = &[
    "--addr",
    "--db",
    "--database-url",
    "--dist",
    "--rate-limit",
    "--cors-origin",
    "--store",
    "--label",
    "--name",
    "--touchpoint",
    "--currency",
    "--ack-minutes",
    "--resolve-hours",
    "--follow-up-days",
    "--languages",
    "--id",
    "--role",
    "--limit",
    "--cases",
    "--seed",
];

/// The options `command` takes.
fn flags_of(command: &str) -> &'static [&'static str] {
    match command {
        "issue-token" => &["--db", "--database-url", "--store", "--label"],
        "add-store" => &[
            "--db",
            "--database-url",
            "--store",
            "--name",
            "--touchpoint",
            "--currency",
            "--ack-minutes",
            "--resolve-hours",
            "--follow-up-days",
            "--languages",
        ],
        "add-staff" => &[
            "--db",
            "--database-url",
            "--store",
            "--id",
            "--name",
            "--role",
            "--limit",
        ],
        "seed-demo" => &["--db", "--database-url", "--cases", "--seed"],
        "unlock-staff" => &["--db", "--database-url", "--store", "--id"],
        _ => &[
            "--addr",
            "--db",
            "--database-url",
            "--dist",
            "--rate-limit",
            "--cors-origin",
        ],
    }
}

/// Longest store or staff name, in characters.
pub const NAME_MAX: usize = 80;

/// A name people read: trimmed, 1 to [`NAME_MAX`] characters, no control
/// characters.
fn display_name(
    flag: &'static str,
    (source, value): (String, OsString),
) -> Result<String, ConfigError> {
    let text = value
        .into_string()
        .map_err(|_| ConfigError::NotUnicode(source))?;
    let trimmed = text.trim();
    if trimmed.is_empty()
        || trimmed.chars().count() > NAME_MAX
        || trimmed.chars().any(char::is_control)
    {
        return Err(ConfigError::BadValue {
            flag,
            value: text,
            expected: "a name of 1 to 80 characters",
        });
    }
    Ok(trimmed.to_owned())
}

fn whole_number(flag: &'static str, (_, value): (String, OsString)) -> Result<u32, ConfigError> {
    let text = value.to_string_lossy().into_owned();
    text.trim().parse().map_err(|_| ConfigError::BadValue {
        flag,
        value: text,
        expected: "a whole number",
    })
}

/// Splits a database URL into an SQLite path or a PostgreSQL URL (checked
/// for syntax here, so a typo fails before anything starts).
fn parse_database_url(
    source: String,
    value: OsString,
) -> Result<(PathBuf, Option<String>), ConfigError> {
    let bad = |source| ConfigError::BadDatabaseUrl { source };
    let Ok(text) = value.into_string() else {
        return Err(ConfigError::NotUnicode(source));
    };
    if let Some(path) = text.strip_prefix("sqlite://") {
        if path.is_empty() {
            return Err(ConfigError::EmptyPath(source));
        }
        return Ok((PathBuf::from(path), None));
    }
    let postgres = text.starts_with("postgres://") || text.starts_with("postgresql://");
    if !postgres || text.parse::<postgres::Config>().is_err() {
        return Err(bad(source));
    }
    Ok((PathBuf::from(DEFAULT_DB), Some(text)))
}

fn parse_rate_limit(source: String, value: OsString) -> Result<u32, ConfigError> {
    let text = value.to_string_lossy().into_owned();
    text.trim().parse().map_err(|_| ConfigError::BadRateLimit {
        source,
        value: text,
    })
}

/// Checks that `text` is a serialised origin as browsers send it in the
/// `Origin` header (`scheme://host[:port]`, no path, no trailing slash), so
/// a typo fails at start-up instead of silently matching nothing.
fn parse_origin(source: &str, text: &str) -> Result<String, ConfigError> {
    let bad = || ConfigError::BadOrigin {
        source: source.to_owned(),
        value: text.to_owned(),
    };
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let host_ok = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if !host_ok {
        return Err(bad());
    }
    Ok(text.to_ascii_lowercase())
}

fn parse_addr(source: &str, value: OsString) -> Result<SocketAddr, ConfigError> {
    let text = value
        .into_string()
        .map_err(|_| ConfigError::NotUnicode(source.to_owned()))?;
    // No DNS lookup on purpose: an address that depends on a resolver could
    // bind somewhere unexpected, and the kiosk is meant to run offline.
    text.trim().parse().map_err(|_| ConfigError::BadAddr {
        source: source.to_owned(),
        value: text,
    })
}

fn non_empty_path(source: String, value: OsString) -> Result<PathBuf, ConfigError> {
    if value.is_empty() {
        return Err(ConfigError::EmptyPath(source));
    }
    Ok(PathBuf::from(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    fn run(list: &[&str], env: &[(&str, &str)]) -> Result<Command, ConfigError> {
        let env: HashMap<String, OsString> = env
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        parse(args(list), |name| env.get(name).cloned())
    }

    fn config(list: &[&str], env: &[(&str, &str)]) -> Config {
        match run(list, env) {
            Ok(Command::Run(config)) => config,
            other => panic!("expected a run command, got {other:?}"),
        }
    }

    #[test]
    fn no_flags_and_no_env_gives_the_defaults() {
        let config = config(&[], &[]);
        assert_eq!(config.addr, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(config.db, PathBuf::from("data/recovery.sqlite3"));
        assert_eq!(config.dist, PathBuf::from("dist"));
    }

    #[test]
    fn flags_accept_separate_and_inline_values() {
        let config = config(
            &["--addr", "0.0.0.0:9000", "--db=x.db", "--dist", "out"],
            &[],
        );
        assert_eq!(config.addr, "0.0.0.0:9000".parse().unwrap());
        assert_eq!(config.db, PathBuf::from("x.db"));
        assert_eq!(config.dist, PathBuf::from("out"));
    }

    #[test]
    fn environment_fills_in_and_flags_override_it() {
        let env = [
            ("RECOVERY_ADDR", "[::1]:0"),
            ("RECOVERY_DB", "env.db"),
            ("RECOVERY_DIST", "env-dist"),
        ];
        let from_env = config(&[], &env);
        assert_eq!(from_env.addr, "[::1]:0".parse().unwrap());
        assert_eq!(from_env.db, PathBuf::from("env.db"));
        assert_eq!(from_env.dist, PathBuf::from("env-dist"));

        let overridden = config(&["--db", "flag.db"], &env);
        assert_eq!(overridden.db, PathBuf::from("flag.db"));
        assert_eq!(overridden.dist, PathBuf::from("env-dist"));
    }

    #[test]
    fn help_wins_over_everything_else() {
        assert_eq!(run(&["--db", "x", "--help"], &[]), Ok(Command::Help));
        assert_eq!(run(&["-h"], &[]), Ok(Command::Help));
    }

    #[test]
    fn unknown_flags_positionals_and_missing_values_are_errors() {
        assert_eq!(
            run(&["--port", "1"], &[]),
            Err(ConfigError::UnknownFlag("--port".into()))
        );
        assert_eq!(
            run(&["serve"], &[]),
            Err(ConfigError::UnexpectedArgument("serve".into()))
        );
        assert_eq!(run(&["--db"], &[]), Err(ConfigError::MissingValue("--db")));
    }

    #[test]
    fn bad_addresses_name_their_source() {
        let err = run(&["--addr", "localhost:80"], &[]).unwrap_err();
        assert!(err.to_string().contains("option --addr"), "{err}");
        let err = run(&[], &[("RECOVERY_ADDR", "nope")]).unwrap_err();
        assert!(
            err.to_string()
                .contains("environment variable RECOVERY_ADDR"),
            "{err}"
        );
    }

    #[test]
    fn the_database_url_picks_the_backend_and_flags_win_over_the_environment() {
        let pg = "postgres://recovery@127.0.0.1:5432/recovery";
        let chosen = |list: &[&str], env: &[(&str, &str)]| config(list, env).location();
        assert_eq!(
            chosen(&[], &[]),
            Location::Sqlite(PathBuf::from(DEFAULT_DB))
        );
        assert_eq!(
            chosen(&["--database-url", "sqlite:///var/k.db"], &[]),
            Location::Sqlite(PathBuf::from("/var/k.db"))
        );
        assert_eq!(
            chosen(&[], &[("RECOVERY_DATABASE_URL", pg)]),
            Location::Postgres(pg.into())
        );
        // The URL wins over the path at the same level; flags over env.
        let both = [("RECOVERY_DATABASE_URL", pg), ("RECOVERY_DB", "env.db")];
        assert_eq!(chosen(&[], &both), Location::Postgres(pg.into()));
        assert_eq!(
            chosen(&["--db", "flag.db"], &both),
            Location::Sqlite(PathBuf::from("flag.db"))
        );
        assert_eq!(
            chosen(&["--db", "flag.db", "--database-url", pg], &[]),
            Location::Postgres(pg.into())
        );
        let Ok(Command::IssueToken(issue)) = run(
            &["issue-token", "--store", "demo", "--database-url", pg],
            &[],
        ) else {
            panic!("expected issue-token");
        };
        assert_eq!(issue.location(), Location::Postgres(pg.into()));
        for bad in [
            "mysql://x/y",
            "10.0.0.9:6000",
            "postgres://host:notaport/db",
        ] {
            let err = run(&["--database-url", bad], &[]).unwrap_err();
            assert!(
                matches!(err, ConfigError::BadDatabaseUrl { .. }),
                "{bad}: {err}"
            );
            assert!(!err.to_string().contains(bad), "the URL is echoed: {err}");
        }
    }

    #[test]
    fn empty_paths_are_rejected() {
        assert!(matches!(
            run(&["--db="], &[]),
            Err(ConfigError::EmptyPath(_))
        ));
        assert!(matches!(
            run(&[], &[("RECOVERY_DIST", "")]),
            Err(ConfigError::EmptyPath(_))
        ));
    }

    #[test]
    fn the_rate_limit_comes_from_flag_or_env_and_must_be_a_whole_number() {
        assert_eq!(config(&[], &[]).rate_limit, DEFAULT_RATE_LIMIT);
        assert_eq!(config(&["--rate-limit", "0"], &[]).rate_limit, 0);
        let env = [("RECOVERY_RATE_LIMIT", "30")];
        assert_eq!(config(&[], &env).rate_limit, 30);
        assert_eq!(config(&["--rate-limit=7"], &env).rate_limit, 7);
        for bad in ["-1", "ten", "1.5", ""] {
            assert!(
                matches!(
                    run(&["--rate-limit", bad], &[]),
                    Err(ConfigError::BadRateLimit { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn cors_origins_add_up_from_flags_which_replace_the_env_list() {
        assert!(config(&[], &[]).cors_origins.is_empty());
        let env = [(
            "RECOVERY_CORS_ORIGINS",
            "https://a.example.com, http://127.0.0.1:8080,",
        )];
        assert_eq!(
            config(&[], &env).cors_origins,
            ["https://a.example.com", "http://127.0.0.1:8080"]
        );
        let flags = config(
            &[
                "--cors-origin",
                "https://B.example.com",
                "--cors-origin=https://c.example.com",
            ],
            &env,
        );
        assert_eq!(
            flags.cors_origins,
            ["https://b.example.com", "https://c.example.com"]
        );
        for bad in [
            "a.example.com",
            "https://a.example.com/",
            "https://a.example.com/path",
            "ftp://a.example.com",
            "https://",
        ] {
            let err = run(&["--cors-origin", bad], &[]).unwrap_err();
            assert!(matches!(err, ConfigError::BadOrigin { .. }), "{bad}: {err}");
        }
    }

    #[test]
    fn add_store_takes_defaults_repeated_touchpoints_and_checks_values() {
        let Ok(Command::AddStore(add)) = run(
            &["add-store", "--store", "acme", "--name", " Acme Mall "],
            &[("RECOVERY_DB", "env.db")],
        ) else {
            panic!("expected add-store");
        };
        assert_eq!(add.target.location(), Location::Sqlite("env.db".into()));
        assert_eq!(
            add.settings,
            StoreSettings::new(Slug::parse("acme").unwrap(), "Acme Mall")
        );
        assert_eq!(add.settings.currency, "EUR");
        assert_eq!(
            (
                add.settings.ack_minutes,
                add.settings.resolve_hours,
                add.settings.follow_up_days
            ),
            (10, 24, 3)
        );
        let Ok(Command::AddStore(add)) = run(
            &[
                "add-store",
                "--store",
                "acme",
                "--name",
                "A",
                "--touchpoint",
                "door",
                "--touchpoint=till-1",
                "--currency",
                "sek",
                "--ack-minutes",
                "5",
                "--resolve-hours",
                "48",
                "--follow-up-days",
                "7",
                "--languages",
                "ms,en",
            ],
            &[],
        ) else {
            panic!("expected add-store");
        };
        let touchpoints: Vec<&str> = add
            .settings
            .touchpoints
            .as_deref()
            .unwrap()
            .iter()
            .map(Slug::as_str)
            .collect();
        assert_eq!(touchpoints, ["door", "till-1"]);
        assert_eq!(add.settings.currency, "SEK");
        assert_eq!(
            (
                add.settings.ack_minutes,
                add.settings.resolve_hours,
                add.settings.follow_up_days
            ),
            (5, 48, 7)
        );
        assert_eq!(add.settings.languages, Some(vec!["ms".into(), "en".into()]));
        assert_eq!(
            run(&["add-store", "--store", "acme"], &[]),
            Err(ConfigError::MissingOption {
                flag: "--name",
                command: "add-store"
            })
        );
        for bad in [
            &["--touchpoint", "Door"][..],
            &["--currency", "euro"],
            &["--ack-minutes", "-1"],
            &["--name", ""],
            &["--languages", "en,fr"],
            &["--languages", "en,en"],
            &["--languages", ""],
        ] {
            let mut line = vec!["add-store", "--store", "acme", "--name", "A"];
            line.extend_from_slice(bad);
            assert!(
                matches!(run(&line, &[]), Err(ConfigError::BadValue { .. })),
                "{bad:?}"
            );
        }
        assert!(matches!(
            run(
                &["add-store", "--store", "a", "--name", "A", "--label", "x"],
                &[]
            ),
            Err(ConfigError::NotForCommand {
                flag: "--label",
                ..
            })
        ));
    }

    #[test]
    fn add_staff_takes_everything_but_the_pin_and_other_commands_their_options() {
        let Ok(Command::AddStaff(add)) = run(
            &[
                "add-staff",
                "--store",
                "demo",
                "--id",
                "ana",
                "--name",
                "Ana",
                "--role",
                "staff",
                "--limit",
                "2500",
                "--db",
                "x.db",
            ],
            &[],
        ) else {
            panic!("expected add-staff");
        };
        assert_eq!(add.store.as_str(), "demo");
        assert_eq!(
            add.member,
            StaffMember {
                id: Slug::parse("ana").unwrap(),
                name: "Ana".into(),
                role: Role::Staff,
                limit_minor: 2500,
            }
        );
        assert_eq!(add.target.db, PathBuf::from("x.db"));
        let base = [
            "add-staff",
            "--store",
            "demo",
            "--id",
            "ana",
            "--name",
            "Ana",
        ];
        let with = |extra: &[&'static str]| {
            let mut line = base.to_vec();
            line.extend_from_slice(extra);
            run(&line, &[])
        };
        assert!(matches!(
            with(&["--role", "owner", "--limit", "1"]),
            Err(ConfigError::BadValue { flag: "--role", .. })
        ));
        assert!(matches!(
            with(&["--role", "staff", "--limit", "25.00"]),
            Err(ConfigError::BadValue {
                flag: "--limit",
                ..
            })
        ));
        assert_eq!(
            with(&["--role", "staff"]),
            Err(ConfigError::MissingOption {
                flag: "--limit",
                command: "add-staff"
            })
        );
        // There is no option for the PIN: it would show in `ps`.
        assert_eq!(
            with(&["--role", "staff", "--limit", "1", "--pin", "123456"]),
            Err(ConfigError::UnknownFlag("--pin".into()))
        );

        assert_eq!(
            run(&["seed-demo", "--database-url", "sqlite:///d.db"], &[]),
            Ok(Command::SeedDemo(SeedDemo {
                target: Target {
                    db: PathBuf::from("/d.db"),
                    database_url: None
                },
                cases: 0,
                seed: 1
            }))
        );
        assert!(matches!(
            run(&["seed-demo", "--cases", "10000", "--seed", "7"], &[]),
            Ok(Command::SeedDemo(SeedDemo {
                cases: 10_000,
                seed: 7,
                ..
            }))
        ));
        assert!(run(&["seed-demo", "--cases", "2000000"], &[]).is_err());
        assert!(matches!(
            run(&["seed-demo", "--store", "demo"], &[]),
            Err(ConfigError::NotForCommand { .. })
        ));
        let Ok(Command::UnlockStaff(unlock)) =
            run(&["unlock-staff", "--store", "demo", "--id", "ana"], &[])
        else {
            panic!("expected unlock-staff");
        };
        assert_eq!((unlock.store.as_str(), unlock.id.as_str()), ("demo", "ana"));
        assert!(matches!(
            run(&["unlock-staff", "--store", "demo"], &[]),
            Err(ConfigError::MissingOption { flag: "--id", .. })
        ));
    }

    #[test]
    fn issue_token_takes_a_store_an_optional_label_and_the_database() {
        let parsed = run(
            &["issue-token", "--store", "demo", "--label", "front desk"],
            &[("RECOVERY_DB", "env.db")],
        );
        assert_eq!(
            parsed,
            Ok(Command::IssueToken(IssueToken {
                db: PathBuf::from("env.db"),
                database_url: None,
                store: Slug::parse("demo").unwrap(),
                label: Some("front desk".into()),
            }))
        );
        let Ok(Command::IssueToken(issue)) =
            run(&["issue-token", "--store=x1", "--db", "f.db"], &[])
        else {
            panic!("expected issue-token");
        };
        assert_eq!(issue.db, PathBuf::from("f.db"));
        assert_eq!(issue.label, None);

        assert_eq!(run(&["issue-token"], &[]), Err(ConfigError::MissingStore));
        assert_eq!(
            run(&["issue-token", "--store", "Bad Store"], &[]),
            Err(ConfigError::BadStore("Bad Store".into()))
        );
        assert!(matches!(
            run(
                &["issue-token", "--store", "demo", "--addr", "127.0.0.1:1"],
                &[]
            ),
            Err(ConfigError::NotForCommand { flag: "--addr", .. })
        ));
        assert!(matches!(
            run(&["--store", "demo"], &[]),
            Err(ConfigError::NotForCommand {
                flag: "--store",
                ..
            })
        ));
    }
}
