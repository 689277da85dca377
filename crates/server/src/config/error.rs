//! [`ConfigError`]: what can be wrong with a command line or an
//! environment variable, worded for the person who typed it, and the
//! translation of `clap`'s errors into it (keeping the words scripts and
//! tests rely on). Describes only; never exits or prints.

use std::ffi::OsString;
use std::fmt;

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// What the server is called in messages about its own options.
pub const THE_SERVER: &str = "the server";

/// A command line or environment value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// A flag this program does not know.
    UnknownFlag(String),
    /// A positional argument; the server takes none.
    UnexpectedArgument(String),
    /// A flag that needs a value was last on the line.
    MissingValue(String),
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
        flag: String,
        /// The command.
        command: String,
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
        flag: String,
        /// The command it was given to.
        command: String,
    },
    /// Any other misuse of the command line, in clap's words.
    Usage(String),
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
            ConfigError::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Says what was wrong with the command line in this program's words where
/// scripts and tests rely on them, else in clap's. `command` is the whole
/// command line's definition and `args` what was typed (without the
/// program's name). Help is not an error: callers answer it first.
pub fn from_clap(command: &clap::Command, args: &[OsString], err: &clap::Error) -> ConfigError {
    let invalid_arg = || match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => Some(arg.clone()),
        Some(ContextValue::Strings(args)) => args.first().cloned(),
        _ => None,
    };
    // clap names a flag with its value, as in `--db <FILE>`.
    let flag_of = |arg: String| arg.split([' ', '=']).next().unwrap_or_default().to_owned();
    let first = args.first().and_then(|a| a.to_str());
    let sub = first.and_then(|name| command.find_subcommand(name));
    let command_name = sub.map_or(THE_SERVER.to_owned(), |sub| sub.get_name().to_owned());
    match err.kind() {
        ErrorKind::UnknownArgument => {
            if let Some(arg) = invalid_arg() {
                let flag = flag_of(arg.clone());
                if !flag.starts_with('-') {
                    return ConfigError::UnexpectedArgument(arg);
                }
                if takes_flag(command, &flag) {
                    return ConfigError::NotForCommand {
                        flag,
                        command: command_name,
                    };
                }
                return ConfigError::UnknownFlag(flag);
            }
        }
        ErrorKind::InvalidSubcommand => {
            if let Some(ContextValue::String(arg)) = err.get(ContextKind::InvalidSubcommand) {
                return ConfigError::UnexpectedArgument(arg.clone());
            }
        }
        ErrorKind::InvalidValue => {
            // The values themselves are checked later: clap only refuses a
            // flag that has none.
            let missing = match err.get(ContextKind::InvalidValue) {
                Some(ContextValue::String(value)) => value.is_empty(),
                _ => true,
            };
            if let (true, Some(arg)) = (missing, invalid_arg()) {
                return ConfigError::MissingValue(flag_of(arg));
            }
        }
        ErrorKind::MissingRequiredArgument => {
            if let Some(arg) = invalid_arg() {
                let flag = flag_of(arg);
                if command_name == "issue-token" && flag == "--store" {
                    return ConfigError::MissingStore;
                }
                return ConfigError::MissingOption {
                    flag,
                    command: command_name,
                };
            }
        }
        ErrorKind::ArgumentConflict => {
            // Only the server's options conflict with a command.
            if let Some(arg) = invalid_arg() {
                return ConfigError::NotForCommand {
                    flag: flag_of(arg),
                    command: command_name,
                };
            }
        }
        _ => {}
    }
    ConfigError::Usage(clap_message(err))
}

/// clap's message without its `error: ` prefix and usage lines.
fn clap_message(err: &clap::Error) -> String {
    let text = err.render().to_string();
    let first = text.lines().next().unwrap_or_default();
    first.strip_prefix("error: ").unwrap_or(first).to_owned()
}

/// Whether any command of `command` takes the long flag `flag`.
fn takes_flag(command: &clap::Command, flag: &str) -> bool {
    let name = flag.trim_start_matches('-');
    command
        .get_arguments()
        .any(|arg| arg.get_long() == Some(name))
        || command.get_subcommands().any(|sub| takes_flag(sub, flag))
}
