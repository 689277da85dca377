//! Run-time configuration of the server: where to listen, where the SQLite
//! file lives and where the built app (`dist/`) is.
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
/// Environment variable that sets the built app directory.
pub const ENV_DIST: &str = "RECOVERY_DIST";

/// Usage text printed by `--help`.
pub const USAGE: &str = "\
Usage: recovery-server [--addr HOST:PORT] [--db FILE] [--dist DIR]

Serves the service-recovery kiosk app and its sync API over one SQLite file.

Options (each may also be written --name=value):
  --addr HOST:PORT  address to listen on; port 0 picks a free port
                    [env RECOVERY_ADDR, default 127.0.0.1:8080]
  --db FILE         SQLite database file, created with its directory if missing
                    [env RECOVERY_DB, default data/recovery.sqlite3]
  --dist DIR        directory of the built app (trunk's output)
                    [env RECOVERY_DIST, default dist]
  --help            print this help and exit

Logging follows RUST_LOG (default: info); logs go to stderr.
";

/// Everything the server needs to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Socket address to bind; port 0 lets the OS choose.
    pub addr: SocketAddr,
    /// Path of the SQLite database file.
    pub db: PathBuf,
    /// Directory holding the built app (`index.html` and hashed assets).
    pub dist: PathBuf,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: DEFAULT_ADDR.parse().expect("default address is valid"),
            db: PathBuf::from(DEFAULT_DB),
            dist: PathBuf::from(DEFAULT_DIST),
        }
    }
}

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Start the server with this configuration.
    Run(Config),
    /// Print [`USAGE`] and exit successfully.
    Help,
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
    let mut addr: Option<(String, OsString)> = None;
    let mut db: Option<(String, OsString)> = None;
    let mut dist: Option<(String, OsString)> = None;

    let mut args = args.into_iter();
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
        let (flag, slot): (&'static str, &mut Option<(String, OsString)>) = match name {
            "--addr" => ("--addr", &mut addr),
            "--db" => ("--db", &mut db),
            "--dist" => ("--dist", &mut dist),
            _ if name.starts_with('-') => return Err(ConfigError::UnknownFlag(name.to_owned())),
            _ => return Err(ConfigError::UnexpectedArgument(name.to_owned())),
        };
        let value = match inline_value {
            Some(value) => value,
            None => args.next().ok_or(ConfigError::MissingValue(flag))?,
        };
        // The last occurrence wins, as with most Unix tools.
        *slot = Some((format!("option {flag}"), value));
    }

    let from_env =
        |name: &str| env(name).map(|value| (format!("environment variable {name}"), value));
    let addr = addr.or_else(|| from_env(ENV_ADDR));
    let db = db.or_else(|| from_env(ENV_DB));
    let dist = dist.or_else(|| from_env(ENV_DIST));

    let mut config = Config::default();
    if let Some((source, value)) = addr {
        config.addr = parse_addr(&source, value)?;
    }
    if let Some((source, value)) = db {
        config.db = non_empty_path(source, value)?;
    }
    if let Some((source, value)) = dist {
        config.dist = non_empty_path(source, value)?;
    }
    Ok(Command::Run(config))
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
}
