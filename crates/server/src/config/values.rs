//! Checks of single values from the command line or the environment:
//! each turns raw text into what the server uses or says what is wrong
//! with it, naming where it came from. Pure; never reads anything.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;

use recovery_core::Slug;

use super::cli::DEFAULT_DB;
use super::error::ConfigError;

/// Longest store or staff name, in characters.
pub const NAME_MAX: usize = 80;

/// A name people read: trimmed, 1 to [`NAME_MAX`] characters, no control
/// characters.
pub fn display_name(flag: &'static str, value: OsString) -> Result<String, ConfigError> {
    let text = value
        .into_string()
        .map_err(|_| ConfigError::NotUnicode(format!("option {flag}")))?;
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

/// A whole number such as `25` (spaces around it allowed).
pub fn whole_number(flag: &'static str, value: &OsString) -> Result<u32, ConfigError> {
    let text = value.to_string_lossy().into_owned();
    text.trim().parse().map_err(|_| ConfigError::BadValue {
        flag,
        value: text,
        expected: "a whole number",
    })
}

/// A count such as `600` (spaces around it allowed), up to 2^53 so that it
/// stays exact in the limiters' arithmetic.
pub fn count(flag: &'static str, value: &OsString) -> Result<u64, ConfigError> {
    let text = value.to_string_lossy().into_owned();
    match text.trim().parse::<u64>() {
        Ok(n) if n <= 1 << 53 => Ok(n),
        _ => Err(ConfigError::BadValue {
            flag,
            value: text,
            expected: "a whole number",
        }),
    }
}

/// A trusted proxy: an address (`10.0.0.7`, `::1`) or a network in CIDR
/// form (`10.0.0.0/8`, `fd00::/8`).
pub fn parse_trusted_proxy(value: &OsString) -> Result<ipnet::IpNet, ConfigError> {
    let text = value.to_string_lossy().into_owned();
    let trimmed = text.trim();
    trimmed
        .parse::<ipnet::IpNet>()
        .or_else(|_| trimmed.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map(|net| net.trunc())
        .map_err(|_| ConfigError::BadValue {
            flag: "--trusted-proxy",
            value: text,
            expected: "an IP address or a CIDR network such as 10.0.0.0/8",
        })
}

/// Splits a database URL into an SQLite path or a PostgreSQL URL (checked
/// for syntax here, so a typo fails before anything starts).
pub fn parse_database_url(
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
    if !postgres || text.parse::<::postgres::Config>().is_err() {
        return Err(bad(source));
    }
    Ok((PathBuf::from(DEFAULT_DB), Some(text)))
}

/// Requests per minute, a whole number (0 turns the limit off).
pub fn parse_rate_limit(source: String, value: OsString) -> Result<u32, ConfigError> {
    let text = value.to_string_lossy().into_owned();
    text.trim().parse().map_err(|_| ConfigError::BadRateLimit {
        source,
        value: text,
    })
}

/// Checks that `text` is a serialised origin as browsers send it in the
/// `Origin` header (`scheme://host[:port]`, no path, no trailing slash), so
/// a typo fails at start-up instead of silently matching nothing.
pub fn parse_origin(source: &str, text: &str) -> Result<String, ConfigError> {
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

/// A socket address with a numeric host, such as `127.0.0.1:8080`.
pub fn parse_addr(source: &str, value: OsString) -> Result<SocketAddr, ConfigError> {
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

/// A path that is not empty (which would silently mean the current
/// directory).
pub fn non_empty_path(source: String, value: OsString) -> Result<PathBuf, ConfigError> {
    if value.is_empty() {
        return Err(ConfigError::EmptyPath(source));
    }
    Ok(PathBuf::from(value))
}

/// An identifier: 1 to 40 of a-z, 0-9 and inner dashes.
pub fn slug(flag: &'static str, value: OsString) -> Result<Slug, ConfigError> {
    let text = value.to_string_lossy().into_owned();
    Slug::parse(&text).map_err(|_| ConfigError::BadValue {
        flag,
        value: text,
        expected: "an identifier: 1 to 40 of a-z, 0-9 and inner dashes",
    })
}

/// A touchpoint as `add-store` takes it: `SLUG` or `SLUG=NAME`, the name as people read it.
pub fn place(flag: &'static str, value: OsString) -> Result<(Slug, Option<String>), ConfigError> {
    let text = value
        .into_string()
        .map_err(|_| ConfigError::NotUnicode(format!("option {flag}")))?;
    match text.split_once('=') {
        None => Ok((slug(flag, text.into())?, None)),
        Some((id, name)) => Ok((
            slug(flag, id.into())?,
            Some(display_name(flag, name.into())?),
        )),
    }
}

/// An ISO 4217 currency code such as `EUR`, in any case.
pub fn currency(value: &OsString) -> Result<String, ConfigError> {
    let text = value.to_string_lossy().to_ascii_uppercase();
    if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(ConfigError::BadValue {
            flag: "--currency",
            value: value.to_string_lossy().into_owned(),
            expected: "an ISO 4217 code such as EUR",
        });
    }
    Ok(text)
}

/// `on` or `off` as a truth value.
pub fn on_off(flag: &'static str, value: &OsString) -> Result<bool, ConfigError> {
    match value.to_str() {
        Some("on") => Ok(true),
        Some("off") => Ok(false),
        _ => Err(ConfigError::BadValue {
            flag,
            value: value.to_string_lossy().into_owned(),
            expected: "on or off",
        }),
    }
}
