//! The messages to the customer (issue: "the customer's follow-up"): "how did we do?" when a
//! resolution is still not rated a day after it, and "did the fix hold?" when the follow-up
//! the store promised falls due. Only to a customer who gave a contact and agreed to be
//! contacted, in the language they filed in, with a link that opens their ticket page, and
//! never once they asked for no more (`ConsentWithdrawn`) or their contact was erased.
//!
//! An email address gets an email from the server. A phone number gets the same words through
//! the store's webhooks that follow the rule (a store connects its SMS gateway that way); a
//! webhook never receives the customer's email address.
//!
//! Here: which events call for which message ([`calls`]), whether it still has something to
//! ask ([`still_due`]), its quiet hours and its words; the notifier sends it.

use recovery_core::{Case, Contact, Event, EventKind, Status, Timestamp};
use serde::Serialize;

use super::notify::{Quiet, Rule};

/// How long after a resolution an unrated one is asked about: a day.
pub const ASK_RATING_AFTER_MS: i64 = 24 * 3_600_000;

/// When nobody's phone should buzz with a message about a complaint: 21:00 to 08:00 in the
/// customer's local time (the offset of the device they filed on).
pub const QUIET: &str = "21:00-08:00";

/// The customer's hours of peace.
pub fn quiet() -> Quiet {
    Quiet::parse(QUIET).expect("a valid constant")
}

/// The messages to the customer that `event` calls for, each with when it is due (server
/// clock); `case` is the case after it.
pub fn calls(case: &Case, event: &Event) -> Vec<(Rule, Timestamp)> {
    let EventKind::Resolved { follow_up_at, .. } = &event.kind else {
        return Vec::new();
    };
    if !case.complaint.may_contact() {
        return Vec::new();
    }
    let mut asks = vec![(
        Rule::AskRating,
        Timestamp(event.time().0 + ASK_RATING_AFTER_MS),
    )];
    if let Some(at) = follow_up_at {
        asks.push((Rule::AskHeld, *at));
    }
    asks
}

/// Whether the customer's message of `rule` still has something to ask about `case` now.
pub fn still_due(rule: Rule, case: &Case) -> bool {
    let done = matches!(case.status, Status::Resolved | Status::Closed);
    case.complaint.may_contact()
        && done
        && match rule {
            Rule::AskRating => case.stars.is_none(),
            Rule::AskHeld => case.follow_up_at.is_some(),
            _ => false,
        }
}

/// The outbox channel of an email to the customer.
pub const CUSTOMER: &str = "customer";

/// One message to the customer, in their language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ask {
    /// The message's key: the same for every try.
    pub id: String,
    /// The rule's name (`ask_rating` or `ask_held`).
    pub rule: &'static str,
    /// The store.
    pub store: String,
    /// The store's name.
    pub store_name: String,
    /// The case's id.
    pub case: String,
    /// Its ticket code.
    pub ticket: String,
    /// The customer's language (`en`, `id`, `ms` or `sv`).
    pub language: &'static str,
    /// The phone number to text, for a webhook; never an email address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The email's subject.
    pub subject: String,
    /// The email's text.
    #[serde(skip)]
    pub body: String,
    /// A short text for a phone, the link and how to stop included.
    pub text: String,
    /// The link that opens their ticket page.
    pub link: String,
}

/// What is needed to word a message: the case, the store's names and the link.
pub struct Context<'a> {
    /// The message's key.
    pub id: &'a str,
    /// The case.
    pub case: &'a Case,
    /// The store's name.
    pub store_name: &'a str,
    /// The store's languages, main first (for a filing that did not say its own).
    pub store_languages: &'a str,
    /// Where it was filed, in words.
    pub place: &'a str,
    /// The ticket page's link, its secret in the fragment.
    pub link: &'a str,
}

impl Ask {
    /// The message of `rule` in the customer's language.
    pub fn new(rule: Rule, cx: &Context<'_>) -> Ask {
        let case = cx.case;
        let language = language(case.complaint.language.as_deref(), cx.store_languages);
        let w = words(language);
        let (subject, body, sms) = match rule {
            Rule::AskHeld => (w.held_subject, w.held_body, w.held_sms),
            _ => (w.rate_subject, w.rate_body, w.rate_sms),
        };
        let ticket = case.ticket.to_string();
        let fill = |template: &str| {
            template
                .replace("{ticket}", &ticket)
                .replace("{store}", cx.store_name)
                .replace("{place}", cx.place)
                .replace("{link}", cx.link)
        };
        let hello = match case.complaint.name.as_deref() {
            Some(name) => format!("{} {name},", w.hello),
            None => format!("{},", w.hello),
        };
        let body = format!("{hello}\n\n{}\n\n--\n{}\n", fill(body), w.stop);
        Ask {
            id: cx.id.to_owned(),
            rule: rule.name(),
            store: case.store.to_string(),
            store_name: cx.store_name.to_owned(),
            case: case.id.to_string(),
            ticket: ticket.clone(),
            language,
            phone: match &case.complaint.contact {
                Some(Contact::Phone(number)) => Some(number.clone()),
                _ => None,
            },
            subject: fill(subject),
            body,
            text: format!("{} {}", fill(sms), w.sms_stop),
            link: cx.link.to_owned(),
        }
    }
}

/// The language to write in: the filing's own, else the store's main one, else English.
pub fn language(filed_in: Option<&str>, store_languages: &str) -> &'static str {
    let first = store_languages.split(',').next().map(str::trim);
    [filed_in, first]
        .into_iter()
        .flatten()
        .find_map(|tag| recovery_core::LANGUAGES.into_iter().find(|&l| l == tag))
        .unwrap_or("en")
}

/// The words of the messages in one language. `{ticket}`, `{store}`, `{place}` and `{link}`
/// are filled in. The button named in `stop` is the ticket page's (`stop_button` in
/// `locales/ticket/`), which a test holds them to.
pub struct Words {
    /// The greeting, before the name.
    pub hello: &'static str,
    /// "How did we do?": subject, text, phone text.
    pub rate_subject: &'static str,
    /// See [`Words::rate_subject`].
    pub rate_body: &'static str,
    /// See [`Words::rate_subject`].
    pub rate_sms: &'static str,
    /// "Did the fix hold?": subject, text, phone text.
    pub held_subject: &'static str,
    /// See [`Words::held_subject`].
    pub held_body: &'static str,
    /// See [`Words::held_subject`].
    pub held_sms: &'static str,
    /// Why they receive it and how to stop, under an email.
    pub stop: &'static str,
    /// How to stop, after a phone text.
    pub sms_stop: &'static str,
    /// The ticket page's button that stops them.
    pub stop_button: &'static str,
}

/// The words in `language` (English for any other tag).
pub fn words(language: &str) -> &'static Words {
    match language {
        "id" => &ID,
        "ms" => &MS,
        "sv" => &SV,
        _ => &EN,
    }
}

const EN: Words = Words {
    hello: "Hello",
    rate_subject: "How did we do? Your complaint {ticket} at {store}",
    rate_body: "We resolved your complaint {ticket} at {store} ({place}) and would like to know \
                how we did. Rating it takes a moment:\n\n{link}\n\n\
                Thank you for telling us what went wrong.",
    rate_sms: "{store}: how did we handle your complaint {ticket}? Rate it: {link}",
    held_subject: "Did our fix hold? Your complaint {ticket} at {store}",
    held_body: "When we resolved your complaint {ticket} at {store} ({place}), we promised to \
                check that the fix held. Did it? Answer yes or no here:\n\n{link}\n\n\
                If it did not, we reopen your case at once.",
    held_sms: "{store}: did our fix for your complaint {ticket} hold? Answer: {link}",
    stop: "You receive this because you asked to be contacted about this complaint. To stop \
           these messages, open the link above and choose \"Stop messages\".",
    sms_stop: "To stop: open the link, choose \"Stop messages\".",
    stop_button: "Stop messages",
};

const ID: Words = Words {
    hello: "Halo",
    rate_subject: "Bagaimana pelayanan kami? Keluhan Anda {ticket} di {store}",
    rate_body: "Keluhan Anda {ticket} di {store} ({place}) sudah kami selesaikan, dan kami \
                ingin tahu pendapat Anda. Memberi nilai hanya perlu sebentar:\n\n{link}\n\n\
                Terima kasih telah memberi tahu kami apa yang salah.",
    rate_sms: "{store}: bagaimana penanganan keluhan Anda {ticket}? Beri nilai: {link}",
    held_subject: "Apakah perbaikan kami bertahan? Keluhan Anda {ticket} di {store}",
    held_body: "Saat menyelesaikan keluhan Anda {ticket} di {store} ({place}), kami berjanji \
                memeriksa apakah perbaikannya bertahan. Apakah bertahan? Jawab ya atau tidak \
                di sini:\n\n{link}\n\nJika tidak, kasus Anda langsung kami buka kembali.",
    held_sms: "{store}: apakah perbaikan untuk keluhan Anda {ticket} bertahan? Jawab: {link}",
    stop: "Anda menerima pesan ini karena meminta dihubungi tentang keluhan ini. Untuk \
           menghentikan pesan ini, buka tautan di atas dan pilih \"Hentikan pesan\".",
    sms_stop: "Untuk berhenti: buka tautan, pilih \"Hentikan pesan\".",
    stop_button: "Hentikan pesan",
};

const MS: Words = Words {
    hello: "Helo",
    rate_subject: "Bagaimana layanan kami? Aduan anda {ticket} di {store}",
    rate_body: "Kami telah menyelesaikan aduan anda {ticket} di {store} ({place}) dan ingin \
                tahu pendapat anda. Memberi penilaian hanya mengambil masa seketika:\n\n\
                {link}\n\nTerima kasih kerana memberitahu kami apa yang tidak kena.",
    rate_sms: "{store}: bagaimana kami menangani aduan anda {ticket}? Beri penilaian: {link}",
    held_subject: "Adakah pembetulan kami kekal? Aduan anda {ticket} di {store}",
    held_body: "Semasa menyelesaikan aduan anda {ticket} di {store} ({place}), kami berjanji \
                untuk memeriksa sama ada pembetulan itu kekal. Adakah ia kekal? Jawab ya atau \
                tidak di sini:\n\n{link}\n\nJika tidak, kes anda akan dibuka semula dengan \
                segera.",
    held_sms: "{store}: adakah pembetulan untuk aduan anda {ticket} kekal? Jawab: {link}",
    stop: "Anda menerima mesej ini kerana anda meminta untuk dihubungi tentang aduan ini. \
           Untuk menghentikan mesej ini, buka pautan di atas dan pilih \"Hentikan mesej\".",
    sms_stop: "Untuk berhenti: buka pautan, pilih \"Hentikan mesej\".",
    stop_button: "Hentikan mesej",
};

const SV: Words = Words {
    hello: "Hej",
    rate_subject: "Hur gick det? Ditt klagomål {ticket} hos {store}",
    rate_body: "Vi har löst ditt klagomål {ticket} hos {store} ({place}) och vill gärna veta \
                vad du tycker. Det tar bara en stund att betygsätta:\n\n{link}\n\n\
                Tack för att du berättade vad som gick fel.",
    rate_sms: "{store}: hur skötte vi ditt klagomål {ticket}? Betygsätt: {link}",
    held_subject: "Höll lösningen? Ditt klagomål {ticket} hos {store}",
    held_body: "När vi löste ditt klagomål {ticket} hos {store} ({place}) lovade vi att höra \
                av oss och fråga om lösningen höll. Gjorde den det? Svara ja eller nej \
                här:\n\n{link}\n\nOm den inte höll öppnar vi ärendet igen direkt.",
    held_sms: "{store}: höll lösningen på ditt klagomål {ticket}? Svara: {link}",
    stop: "Du får det här meddelandet eftersom du bad oss kontakta dig om klagomålet. Vill du \
           inte få fler, öppna länken ovan och välj \"Stoppa meddelanden\".",
    sms_stop: "För att stoppa: öppna länken, välj \"Stoppa meddelanden\".",
    stop_button: "Stoppa meddelanden",
};

#[cfg(test)]
mod tests {
    use super::*;
    use recovery_core::testing::filed_event;

    #[test]
    fn the_language_is_the_filings_else_the_stores_main_else_english() {
        assert_eq!(language(Some("sv"), "en,id"), "sv");
        assert_eq!(language(None, "ms, en"), "ms");
        assert_eq!(language(Some("xx"), "id"), "id");
        assert_eq!(language(None, ""), "en");
    }

    #[test]
    fn every_language_names_the_ticket_pages_own_stop_button_and_fills_every_blank() {
        for (tag, json) in [
            ("en", include_str!("../../../../locales/ticket/en.json")),
            ("id", include_str!("../../../../locales/ticket/id.json")),
            ("ms", include_str!("../../../../locales/ticket/ms.json")),
            ("sv", include_str!("../../../../locales/ticket/sv.json")),
        ] {
            let texts: serde_json::Value = serde_json::from_str(json).unwrap();
            let w = words(tag);
            assert_eq!(texts["stop_button"], w.stop_button, "{tag}");
            assert!(w.stop.contains(&format!("\"{}\"", w.stop_button)), "{tag}");
            assert!(
                w.sms_stop.contains(&format!("\"{}\"", w.stop_button)),
                "{tag}"
            );
            let mut case = recovery_core::fold([&filed_event(1, 2, 1_000, "It broke")])
                .unwrap()
                .unwrap();
            case.complaint.language = Some(tag.into());
            for rule in [Rule::AskRating, Rule::AskHeld] {
                let ask = Ask::new(
                    rule,
                    &Context {
                        id: "k",
                        case: &case,
                        store_name: "Demo store",
                        store_languages: "en",
                        place: "Checkout 2",
                        link: "https://kiosk.example.com/t/#c.s",
                    },
                );
                assert_eq!(ask.language, tag);
                for text in [&ask.subject, &ask.body, &ask.text] {
                    assert!(!text.contains('{'), "{tag} {rule:?}: {text}");
                }
                assert!(ask.body.contains("https://kiosk.example.com/t/#c.s"));
                assert!(ask.text.contains("https://kiosk.example.com/t/#c.s"));
                assert!(ask.body.contains(case.ticket.as_str()));
                assert!(ask.body.contains("Checkout 2"));
            }
        }
    }
}
