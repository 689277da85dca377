//! The command line of notifications: the server's outgoing mail and webhooks (`serve`'s
//! `--smtp-url`, `--mail-from`, `--public-url`, and the worker's pace), and the commands that
//! say who hears of a store's cases (`add-recipient`, `remove-recipient`, `list-recipients`).

use std::ffi::OsString;

use clap::{ArgGroup, Args};

use super::error::ConfigError;
use super::values::count;
use super::values::slug;
use super::{Target, target};
use crate::rules::notify::Rule;
use recovery_core::Slug;
use recovery_core::{Channel, RecipientError, RecipientSetup};

/// The environment variable of the SMTP URL (it may hold a password).
pub const ENV_SMTP_URL: &str = "RECOVERY_SMTP_URL";
/// Who the server's email comes from unless told.
pub const DEFAULT_MAIL_FROM: &str = "Service recovery <recovery@localhost>";
/// How often the worker looks for due messages unless told, in milliseconds.
pub const DEFAULT_NOTIFY_EVERY_MS: u64 = 2_000;
/// The first wait after a failed send unless told, in milliseconds.
pub const DEFAULT_NOTIFY_RETRY_MS: u64 = 30_000;

/// How the server sends notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifyConfig {
    /// The SMTP server: `smtp://host:port` (plain; `?tls=required` for STARTTLS) or
    /// `smtps://host:port` (TLS), with `user:password@` when it needs a login. `None`: no email.
    pub smtp_url: Option<String>,
    /// The sender of every email.
    pub mail_from: String,
    /// The address people open the app at, for links in messages; `None`: the listen address.
    pub public_url: Option<String>,
    /// How often the worker looks for due messages, in milliseconds.
    pub every_ms: u64,
    /// The first wait after a failed send, doubling each time up to an hour, in milliseconds.
    pub retry_ms: u64,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.into(),
            public_url: None,
            every_ms: DEFAULT_NOTIFY_EVERY_MS,
            retry_ms: DEFAULT_NOTIFY_RETRY_MS,
        }
    }
}

/// `serve`'s notification options.
#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// The SMTP server for email notifications: smtp://HOST:PORT (plain),
    /// smtp://HOST:PORT?tls=required (STARTTLS) or smtps://HOST:PORT (TLS),
    /// with USER:PASSWORD@ before the host for a login. Default none: no
    /// email is sent (webhooks still are)
    #[arg(long, value_name = "URL", env = ENV_SMTP_URL, hide_env_values = true)]
    pub smtp_url: Option<OsString>,
    /// The sender of notification emails [default: Service recovery
    /// <recovery@localhost>]
    #[arg(long, value_name = "MAILBOX")]
    pub mail_from: Option<OsString>,
    /// The address people open the app at (https://kiosk.example.com), for
    /// the links in notifications [default: http:// and the listen address]
    #[arg(long, value_name = "URL")]
    pub public_url: Option<OsString>,
    /// How often due notifications are looked for, in milliseconds
    /// [default: 2000]
    #[arg(long, value_name = "MS", allow_negative_numbers = true)]
    pub notify_every_ms: Option<OsString>,
    /// The first wait after a failed notification, doubling up to an hour,
    /// in milliseconds [default: 30000]
    #[arg(long, value_name = "MS", allow_negative_numbers = true)]
    pub notify_retry_ms: Option<OsString>,
}

/// Reads `serve`'s notification options.
pub fn notify_config(args: NotifyArgs) -> Result<NotifyConfig, ConfigError> {
    let mut config = NotifyConfig::default();
    let text = |value: OsString, flag: &'static str| {
        value.into_string().map_err(|value| ConfigError::BadValue {
            flag,
            value: value.to_string_lossy().into_owned(),
            expected: "text in UTF-8",
        })
    };
    if let Some(url) = args.smtp_url {
        let url = text(url, "--smtp-url")?;
        if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
            return Err(ConfigError::BadValue {
                flag: "--smtp-url",
                // Never echo a URL that may hold a password.
                value: url.split('@').next_back().unwrap_or_default().to_owned(),
                expected: "an smtp:// or smtps:// URL",
            });
        }
        config.smtp_url = Some(url);
    }
    if let Some(from) = args.mail_from {
        let from = text(from, "--mail-from")?;
        if from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::BadValue {
                flag: "--mail-from",
                value: from,
                expected: "a mailbox such as 'Store <recovery@example.com>'",
            });
        }
        config.mail_from = from;
    }
    if let Some(url) = args.public_url {
        let url = text(url, "--public-url")?;
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(ConfigError::BadValue {
                flag: "--public-url",
                value: url,
                expected: "an http:// or https:// URL",
            });
        }
        config.public_url = Some(url.trim_end_matches('/').to_owned());
    }
    if let Some(ms) = args.notify_every_ms {
        config.every_ms = count("--notify-every-ms", &ms)?.max(50);
    }
    if let Some(ms) = args.notify_retry_ms {
        config.retry_ms = count("--notify-retry-ms", &ms)?.max(1);
    }
    Ok(config)
}

/// A recipient of a store's notifications: `remove-recipient`'s arguments, and the start of
/// `add-recipient`'s.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("where").required(true).args(["email", "webhook"])))]
pub struct RecipientArgs {
    /// The store
    #[arg(long, value_name = "SLUG")]
    pub store: OsString,
    /// An email address
    #[arg(long, value_name = "ADDRESS")]
    pub email: Option<OsString>,
    /// A URL to post JSON to, signed with --secret (also how SMS or a chat
    /// tool is connected)
    #[arg(long, value_name = "URL")]
    pub webhook: Option<OsString>,
    /// The database.
    #[command(flatten)]
    pub db: super::cli::DbArgs,
}

/// `add-recipient`.
#[derive(Debug, Args)]
pub struct AddRecipientArgs {
    /// Who.
    #[command(flatten)]
    pub who: RecipientArgs,
    /// The rules they follow, comma-separated, or all: unacknowledged,
    /// escalated, follow_up_due, reopened, spike [default: all]; a webhook
    /// may also name ask_rating and ask_held, to text customers who gave a
    /// phone number what customers with an email get by mail
    #[arg(long, value_name = "LIST")]
    pub rules: Option<OsString>,
    /// Hours without messages, HH:MM-HH:MM in the store's local time
    /// (messages wait until they end) [default: none]
    #[arg(long, value_name = "HH:MM-HH:MM")]
    pub quiet: Option<OsString>,
    /// The key a webhook's requests are signed with (HMAC-SHA256), at least
    /// 16 characters
    #[arg(long, value_name = "KEY")]
    pub secret: Option<OsString>,
}

/// `list-recipients` and `list-notifications`.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The store
    #[arg(long, value_name = "SLUG")]
    pub store: OsString,
    /// The database.
    #[command(flatten)]
    pub db: super::cli::DbArgs,
}

/// A recipient to add, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The database.
    pub target: Target,
    /// The store.
    pub store: Slug,
    /// `email` or `webhook`.
    pub channel: &'static str,
    /// The address or URL.
    pub address: String,
    /// The rules they follow.
    pub rules: Vec<Rule>,
    /// Their quiet hours as typed (checked), or empty.
    pub quiet: String,
    /// A webhook's signing key.
    pub secret: Option<String>,
}

impl Recipient {
    /// The row this recipient is stored as.
    pub fn row(&self) -> crate::store::RecipientRow {
        crate::store::RecipientRow {
            store: self.store.to_string(),
            channel: self.channel.to_owned(),
            address: self.address.clone(),
            rules: self
                .rules
                .iter()
                .map(|rule| rule.name())
                .collect::<Vec<_>>()
                .join(","),
            quiet: self.quiet.clone(),
            secret: self.secret.clone(),
        }
    }
}

/// Reads `add-recipient`: checked by the core's [`RecipientSetup::check`], as the admin's are,
/// and a webhook's key must be given here (the admin has the server make one).
pub fn add_recipient(a: AddRecipientArgs, m: &clap::ArgMatches) -> Result<Recipient, ConfigError> {
    let who = a.who;
    let (channel, address) = channel(who.email, who.webhook)?;
    let rules_text = a.rules.map(|l| l.to_string_lossy().into_owned());
    let rules = Rule::parse_list(rules_text.as_deref().unwrap_or("all")).ok_or_else(|| {
        ConfigError::BadValue {
            flag: "--rules",
            value: rules_text.clone().unwrap_or_default(),
            expected: "all, or rules from unacknowledged, escalated, follow_up_due, reopened, spike, ask_rating and ask_held, comma-separated",
        }
    })?;
    let setup = RecipientSetup {
        channel: Channel::parse(channel).unwrap_or(Channel::Email),
        address,
        rules,
        quiet: a
            .quiet
            .map(|q| q.to_string_lossy().trim().to_owned())
            .unwrap_or_default(),
        secret: a.secret.map(|s| s.to_string_lossy().into_owned()),
    };
    let refused = |flag: &'static str, value: String, expected: &'static str| {
        Err(ConfigError::BadValue {
            flag,
            value,
            expected,
        })
    };
    if let Err(err) = setup.check() {
        return match err {
            RecipientError::Address => {
                refused("--webhook", setup.address, "an http:// or https:// URL")
            }
            RecipientError::Rules | RecipientError::CustomerRule => refused(
                "--rules",
                rules_text.unwrap_or_default(),
                "ask_rating and ask_held only for a --webhook (it texts the customers who gave a phone number; customers who gave an email get theirs directly)",
            ),
            RecipientError::Quiet => {
                refused("--quiet", setup.quiet, "HH:MM-HH:MM, two different times")
            }
            // Never echo a key.
            RecipientError::Secret => refused(
                "--secret",
                String::new(),
                "a signing key of at least 16 characters, and only for a webhook",
            ),
        };
    }
    if setup.channel == Channel::Webhook && setup.secret.is_none() {
        return refused(
            "--secret",
            String::new(),
            "a signing key of at least 16 characters for a webhook",
        );
    }
    Ok(Recipient {
        target: target(&who.db, m)?,
        store: slug("--store", who.store)?,
        channel,
        address: setup.address,
        rules: setup.rules,
        quiet: setup.quiet,
        secret: setup.secret,
    })
}

/// Reads `remove-recipient`: the database, store, channel and address.
pub fn recipient(
    a: RecipientArgs,
    m: &clap::ArgMatches,
) -> Result<(Target, Slug, &'static str, String), ConfigError> {
    let (channel, address) = channel(a.email, a.webhook)?;
    Ok((
        target(&a.db, m)?,
        slug("--store", a.store)?,
        channel,
        address,
    ))
}

/// The channel and address of `--email` or `--webhook` (exactly one is given), checked.
pub fn channel(
    email: Option<OsString>,
    webhook: Option<OsString>,
) -> Result<(&'static str, String), ConfigError> {
    match (email, webhook) {
        (Some(email), None) => {
            let email = email.to_string_lossy().trim().to_owned();
            if email.parse::<lettre::Address>().is_err() {
                return Err(ConfigError::BadValue {
                    flag: "--email",
                    value: email,
                    expected: "an email address",
                });
            }
            Ok(("email", email))
        }
        (None, Some(url)) => {
            let url = url.to_string_lossy().trim().to_owned();
            if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains(' ') {
                return Err(ConfigError::BadValue {
                    flag: "--webhook",
                    value: url,
                    expected: "an http:// or https:// URL",
                });
            }
            Ok(("webhook", url))
        }
        _ => Err(ConfigError::BadValue {
            flag: "--email",
            value: String::new(),
            expected: "either --email or --webhook",
        }),
    }
}
