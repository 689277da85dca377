//! Who hears of a store's cases outside its tablets, and of what: the rules a recipient
//! follows ([`NoticeRule`]), their quiet hours ([`Quiet`]), and a recipient as the admin and
//! the command line give one ([`RecipientSetup`], checked here so both refuse the same).
//! Sending is the server's.

use crate::ids::Timestamp;
use serde::{Deserialize, Serialize};

/// Why a store's people hear of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeRule {
    /// Nobody acknowledged it by the store's target.
    Unacknowledged,
    /// It needs a manager: escalated by staff, or serious or repeated by the customer's word.
    Escalated,
    /// Its follow-up ("did the fix hold?") falls due.
    FollowUpDue,
    /// A follow-up found the fix did not hold: the case is open again.
    Reopened,
    /// A touchpoint's filings in the last hour are far above its usual for that hour (the
    /// tablets' spike alert, by the same test).
    Spike,
    /// To the customer: "how did we do?", a day after an unrated resolution (see
    /// the server's asks).
    AskRating,
    /// To the customer: "did the fix hold?", when the follow-up falls due.
    AskHeld,
}

impl NoticeRule {
    /// Every rule, in the order the CLI lists them.
    pub const ALL: [NoticeRule; 7] = [
        NoticeRule::Unacknowledged,
        NoticeRule::Escalated,
        NoticeRule::FollowUpDue,
        NoticeRule::Reopened,
        NoticeRule::Spike,
        NoticeRule::AskRating,
        NoticeRule::AskHeld,
    ];

    /// Whether the message goes to the customer (to their email, or to their phone through a
    /// store's webhook that names the rule) rather than to the store's people.
    pub fn for_customer(self) -> bool {
        matches!(self, NoticeRule::AskRating | NoticeRule::AskHeld)
    }

    /// The rule's name, as stored and typed.
    pub fn name(self) -> &'static str {
        match self {
            NoticeRule::Unacknowledged => "unacknowledged",
            NoticeRule::Escalated => "escalated",
            NoticeRule::FollowUpDue => "follow_up_due",
            NoticeRule::Reopened => "reopened",
            NoticeRule::Spike => "spike",
            NoticeRule::AskRating => "ask_rating",
            NoticeRule::AskHeld => "ask_held",
        }
    }

    /// The rule called `name`.
    pub fn parse(name: &str) -> Option<NoticeRule> {
        NoticeRule::ALL
            .into_iter()
            .find(|rule| rule.name() == name.trim())
    }

    /// A comma-separated list of rules; `all` for every rule about the store's work (a
    /// webhook hears of customers' phone numbers only when it names a customer's rule). `None`
    /// when a name is unknown or the list is empty.
    pub fn parse_list(text: &str) -> Option<Vec<NoticeRule>> {
        if text.trim() == "all" {
            return Some(
                NoticeRule::ALL
                    .into_iter()
                    .filter(|rule| !rule.for_customer())
                    .collect(),
            );
        }
        let mut rules = Vec::new();
        for name in text.split(',') {
            let rule = NoticeRule::parse(name)?;
            if !rules.contains(&rule) {
                rules.push(rule);
            }
        }
        (!rules.is_empty()).then_some(rules)
    }
}

/// Quiet hours: from `start` to `end` minutes after local midnight (across midnight when
/// `end` is earlier).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quiet {
    start: u32,
    end: u32,
}

impl Quiet {
    /// `HH:MM-HH:MM`; `None` when it is not that or the two are equal.
    pub fn parse(text: &str) -> Option<Quiet> {
        let minutes = |t: &str| {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
            (h < 24 && m < 60 && t.trim().len() == 5).then_some(h * 60 + m)
        };
        let (start, end) = text.split_once('-')?;
        let quiet = Quiet {
            start: minutes(start)?,
            end: minutes(end)?,
        };
        (quiet.start != quiet.end).then_some(quiet)
    }

    /// When a message due at `at` may go out, at `offset_minutes` east of UTC: `at` itself
    /// outside quiet hours, else their end.
    pub fn release(&self, at: Timestamp, offset_minutes: i16) -> Timestamp {
        const DAY: i64 = 24 * 60;
        let local_ms = at.0 + i64::from(offset_minutes) * 60_000;
        let minute = local_ms.div_euclid(60_000).rem_euclid(DAY) as u32;
        let (start, end) = (self.start, self.end);
        let inside = if start < end {
            (start..end).contains(&minute)
        } else {
            minute >= start || minute < end
        };
        if !inside {
            return at;
        }
        let wait = (i64::from(end) - i64::from(minute)).rem_euclid(DAY);
        // To the start of the minute quiet hours end.
        let into_minute = local_ms.rem_euclid(60_000);
        Timestamp(at.0 + wait * 60_000 - into_minute)
    }
}

/// Longest address of a recipient (an email address or a webhook's URL), in bytes.
pub const ADDRESS_MAX: usize = 2_000;
/// Shortest signing key of a webhook, in characters.
pub const SECRET_MIN: usize = 16;

/// How a recipient is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// An email address.
    Email,
    /// A URL the server posts signed JSON to (also how SMS or a chat tool is connected).
    Webhook,
}

impl Channel {
    /// Its name, as stored and typed.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }

    /// The channel called `name`.
    pub fn parse(name: &str) -> Option<Channel> {
        [Channel::Email, Channel::Webhook]
            .into_iter()
            .find(|c| c.name() == name)
    }
}

/// A recipient of a store's notifications as the admin or the command line gives one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientSetup {
    /// How they are reached.
    pub channel: Channel,
    /// The email address or the webhook's URL.
    pub address: String,
    /// The rules they follow.
    pub rules: Vec<NoticeRule>,
    /// Quiet hours, `HH:MM-HH:MM` on the store's clock; empty for none.
    #[serde(default)]
    pub quiet: String,
    /// A webhook's signing key (HMAC-SHA256), at least [`SECRET_MIN`] characters; the server
    /// makes one for a new webhook without it, and keeps a webhook's own when none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// Why a recipient was refused: a stable code the admin translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum RecipientError {
    /// Not an email address, or not an http:// or https:// URL.
    #[error("an email address, or an http:// or https:// URL for a webhook")]
    Address,
    /// No rule.
    #[error("one or more rules")]
    Rules,
    /// A customer's rule for an email address.
    #[error(
        "ask_rating and ask_held only for a webhook (it texts the customers who gave a phone number; customers who gave an email get theirs directly)"
    )]
    CustomerRule,
    /// Quiet hours that are not `HH:MM-HH:MM`, or two equal times.
    #[error("quiet hours as HH:MM-HH:MM, two different times")]
    Quiet,
    /// A webhook's key shorter than [`SECRET_MIN`], or a key for an email address.
    #[error("a signing key of at least 16 characters, and only for a webhook")]
    Secret,
}

impl RecipientError {
    /// The stable code the API answers with (and the admin's translation key).
    pub fn code(self) -> &'static str {
        match self {
            RecipientError::Address => "recipient_address",
            RecipientError::Rules => "recipient_rules",
            RecipientError::CustomerRule => "recipient_customer_rule",
            RecipientError::Quiet => "recipient_quiet",
            RecipientError::Secret => "recipient_secret",
        }
    }
}

impl RecipientSetup {
    /// Checks it, in the form's order. An email address is only checked for its shape here
    /// (one `@` between a name and a domain, no spaces); the server also parses it as mail.
    pub fn check(&self) -> Result<(), RecipientError> {
        let a = self.address.as_str();
        let fits = !a.is_empty()
            && a.len() <= ADDRESS_MAX
            && a.trim() == a
            && !a.chars().any(|c| c.is_whitespace() || c.is_control());
        let shaped = match self.channel {
            Channel::Email => a.split_once('@').is_some_and(|(name, domain)| {
                !name.is_empty() && domain.contains('.') && !domain.contains('@')
            }),
            Channel::Webhook => {
                let rest = a
                    .strip_prefix("https://")
                    .or_else(|| a.strip_prefix("http://"));
                rest.is_some_and(|r| !r.is_empty())
            }
        };
        if !fits || !shaped {
            return Err(RecipientError::Address);
        }
        if self.rules.is_empty() {
            return Err(RecipientError::Rules);
        }
        if self.channel == Channel::Email && self.rules.iter().any(|r| r.for_customer()) {
            return Err(RecipientError::CustomerRule);
        }
        if !self.quiet.is_empty() && Quiet::parse(&self.quiet).is_none() {
            return Err(RecipientError::Quiet);
        }
        match (&self.secret, self.channel) {
            (Some(key), Channel::Webhook) if key.chars().count() < SECRET_MIN => {
                Err(RecipientError::Secret)
            }
            (Some(_), Channel::Email) => Err(RecipientError::Secret),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: i64 = 60_000;

    #[test]
    fn rules_read_by_name_and_in_lists() {
        // "All" is every rule about the store's work; the customer's own are named.
        assert_eq!(
            NoticeRule::parse_list("all"),
            Some(vec![
                NoticeRule::Unacknowledged,
                NoticeRule::Escalated,
                NoticeRule::FollowUpDue,
                NoticeRule::Reopened,
                NoticeRule::Spike
            ])
        );
        assert_eq!(
            NoticeRule::parse_list("ask_held,ask_rating"),
            Some(vec![NoticeRule::AskHeld, NoticeRule::AskRating])
        );
        assert_eq!(
            NoticeRule::parse_list("escalated, unacknowledged,escalated"),
            Some(vec![NoticeRule::Escalated, NoticeRule::Unacknowledged])
        );
        assert_eq!(NoticeRule::parse_list("escalated,nope"), None);
        assert_eq!(NoticeRule::parse_list(""), None);
        for rule in NoticeRule::ALL {
            assert_eq!(NoticeRule::parse(rule.name()), Some(rule));
        }
    }

    #[test]
    fn quiet_hours_hold_messages_until_they_end_in_local_time() {
        let night = Quiet::parse("22:00-07:00").unwrap();
        let day = |h: i64, m: i64| Timestamp(((3 * 24 + h) * 60 + m) * M);
        // 23:30 UTC at UTC+0 is quiet until 07:00 the next day.
        assert_eq!(night.release(day(23, 30), 0), day(31, 0));
        // 06:59 is quiet until 07:00; 07:00 and noon are not.
        assert_eq!(night.release(day(6, 59), 0), day(7, 0));
        assert_eq!(night.release(day(7, 0), 0), day(7, 0));
        assert_eq!(night.release(day(12, 0), 0), day(12, 0));
        // Noon UTC is 23:00 at UTC+11: quiet until 07:00 there, 20:00 UTC.
        assert_eq!(night.release(day(12, 0), 11 * 60), day(20, 0));
        // Within the day, and seconds into a minute.
        let lunch = Quiet::parse("12:00-13:00").unwrap();
        assert_eq!(
            lunch.release(Timestamp(day(12, 30).0 + 15_000), 0),
            day(13, 0)
        );
        for bad in [
            "",
            "22:00",
            "22:00-22:00",
            "24:00-07:00",
            "7:00-08:00",
            "22:00-07:60",
        ] {
            assert_eq!(Quiet::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_recipient_is_checked_the_same_from_the_admin_and_the_command_line() {
        let email = RecipientSetup {
            channel: Channel::Email,
            address: "m@example.com".into(),
            rules: vec![NoticeRule::Escalated],
            quiet: "22:00-07:00".into(),
            secret: None,
        };
        assert_eq!(email.check(), Ok(()));
        let with = |f: &dyn Fn(&mut RecipientSetup)| {
            let mut r = email.clone();
            f(&mut r);
            r.check()
        };
        for bad in [
            "",
            "m",
            "m@example",
            " m@example.com",
            "m n@example.com",
            "@example.com",
        ] {
            assert_eq!(
                with(&|r| r.address = bad.into()),
                Err(RecipientError::Address),
                "{bad}"
            );
        }
        assert_eq!(with(&|r| r.rules.clear()), Err(RecipientError::Rules));
        assert_eq!(
            with(&|r| r.rules.push(NoticeRule::AskRating)),
            Err(RecipientError::CustomerRule)
        );
        assert_eq!(
            with(&|r| r.quiet = "22-07".into()),
            Err(RecipientError::Quiet)
        );
        assert_eq!(
            with(&|r| r.secret = Some("0123456789abcdef".into())),
            Err(RecipientError::Secret)
        );
        let hook = |address: &str, secret: Option<&str>| {
            with(&|r| {
                r.channel = Channel::Webhook;
                r.address = address.into();
                r.rules.push(NoticeRule::AskHeld);
                r.secret = secret.map(str::to_owned);
            })
        };
        assert_eq!(hook("https://hooks.example.com/x", None), Ok(()));
        assert_eq!(
            hook("http://127.0.0.1:9/x", Some("0123456789abcdef")),
            Ok(())
        );
        assert_eq!(hook("ftp://x", None), Err(RecipientError::Address));
        assert_eq!(hook("https://", None), Err(RecipientError::Address));
        assert_eq!(
            hook("https://x.example.com", Some("short")),
            Err(RecipientError::Secret)
        );
        // On the wire, rules and channels by name.
        let wire = serde_json::to_value(&email).unwrap();
        assert_eq!(wire["channel"], "email");
        assert_eq!(wire["rules"], serde_json::json!(["escalated"]));
    }
}
