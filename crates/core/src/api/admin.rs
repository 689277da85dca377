//! The web admin's wire types: a chain person's sign-in, what the admin reads of a chain and
//! its stores, staff and device tokens, and the history of every change made to them. The
//! rules (who reaches what, what a setup may hold) are [`crate::chain`]'s.

use serde::{Deserialize, Serialize};

use crate::chain::{ChainRole, Reach, SetupError, StoreSetup};
use crate::event::Role;
use crate::ids::{Slug, Timestamp};
use crate::notice::{Channel, NoticeRule};
use crate::shifts::ShiftPlan;

/// Where a chain person signs in.
pub fn chain_login_url(chain: &Slug) -> String {
    ["/api/v1/chains/", chain.as_str(), "/login"].concat()
}

/// The chain as the signed-in person reaches it ([`ChainView`]).
pub fn chain_url(chain: &Slug) -> String {
    ["/api/v1/chains/", chain.as_str()].concat()
}

/// One of the chain's stores (`PUT` a [`StoreSetup`] creates or changes it), or below it
/// `/shifts`, `/staff`, `/staff/{id}`, `/tokens`, `/tokens/{id}`.
pub fn chain_store_url(chain: &Slug, store: &Slug, rest: &str) -> String {
    [
        "/api/v1/chains/",
        chain.as_str(),
        "/stores/",
        store.as_str(),
        rest,
    ]
    .concat()
}

/// The chain's history of changes.
pub fn chain_history_url(chain: &Slug) -> String {
    ["/api/v1/chains/", chain.as_str(), "/history"].concat()
}

/// A chain person's sign-in (`POST /api/v1/chains/{chain}/login`).
#[derive(Clone, Serialize, Deserialize)]
pub struct ChainLogin {
    /// Their id in the chain.
    pub person: String,
    /// Their password.
    pub password: String,
}

impl std::fmt::Debug for ChainLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainLogin")
            .field("person", &self.person)
            .field("password", &"<hidden>")
            .finish()
    }
}

/// A chain and its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainInfo {
    /// Its id.
    pub slug: Slug,
    /// Its name.
    pub name: String,
}

/// Who is signed in to the admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminPerson {
    /// Their id (in the chain, or in their store for a store manager).
    pub id: Slug,
    /// Their name.
    pub name: String,
}

/// The answer to a chain person's sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminSession {
    /// Bearer token for the chain's admin routes (only its hash is stored); 12 hours.
    pub token: String,
    /// The chain.
    pub chain: ChainInfo,
    /// Who signed in.
    pub person: AdminPerson,
    /// What they reach.
    pub reach: Reach,
}

/// A chain person as the chain lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainMember {
    /// Their id.
    pub id: Slug,
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: ChainRole,
    /// The stores an area manager looks after (empty for an administrator).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stores: Vec<Slug>,
}

/// A chain person as the admin lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonEntry {
    /// Who, their role and stores.
    #[serde(flatten)]
    pub member: ChainMember,
    /// Whether they may sign in.
    pub active: bool,
}

/// `GET /api/v1/chains/{chain}/people`: the people who run the chain, by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct People {
    /// Each person.
    pub people: Vec<PersonEntry>,
}

/// One store as the admin shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreView {
    /// Its id.
    pub slug: Slug,
    /// Its settings.
    pub setup: StoreSetup,
    /// Its shift plan (see `PUT .../shifts`).
    #[serde(default, skip_serializing_if = "ShiftPlan::is_empty")]
    pub shifts: ShiftPlan,
}

/// `GET /api/v1/chains/{chain}`: the chain, who is asking, and the stores they see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainView {
    /// The chain.
    pub chain: ChainInfo,
    /// Who is asking.
    pub person: AdminPerson,
    /// What they reach.
    pub reach: Reach,
    /// The stores they see, by id.
    pub stores: Vec<StoreView>,
}

/// A person of a store's roster as the admin lists it (inactive ones too).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    /// Their id in the store.
    pub id: Slug,
    /// Their name.
    pub name: String,
    /// Staff or manager.
    pub role: Role,
    /// The largest remedy they may give alone, in minor units.
    pub limit_minor: u32,
    /// Whether they may sign in.
    pub active: bool,
    /// Failed PIN tries since their last sign-in.
    pub failures: u32,
}

/// `GET .../staff`: a store's roster, by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    /// Everyone, active or not.
    pub staff: Vec<RosterEntry>,
}

/// A device token or a session as the admin lists it: never the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    /// Its id: the start of its hash.
    pub id: String,
    /// The person whose session it is; a device token has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// The note it was issued with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working (none for tokens of old releases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
}

/// `GET .../tokens`: a store's tokens, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    /// Each token.
    pub tokens: Vec<TokenView>,
}

/// The most days a device token may work.
pub const TOKEN_DAYS_MAX: u32 = 3650;

/// `POST .../tokens`: a new device token for a tablet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    /// A note for people ("Till 2 tablet").
    pub label: String,
    /// Days until it stops working, 1 to [`TOKEN_DAYS_MAX`].
    pub days: u32,
}

/// The answer to a new device token: the token, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    /// The token itself; it exists nowhere else afterwards.
    pub token: String,
    /// How the list shows it.
    pub view: TokenView,
}

choice_enum!(
    /// What a change in the chain's history did.
    ChangeKind {
        /// A store was created.
        StoreCreated => "store_created",
        /// A store's settings or touchpoints changed.
        StoreChanged => "store_changed",
        /// A person was added to a store.
        StaffAdded => "staff_added",
        /// A person's name, role, limit or state changed.
        StaffChanged => "staff_changed",
        /// A person's PIN was reset (their sessions ended).
        PinReset => "pin_reset",
        /// A person was deactivated.
        StaffDeactivated => "staff_deactivated",
        /// A device token was issued.
        TokenIssued => "token_issued",
        /// A token was revoked.
        TokenRevoked => "token_revoked",
        /// A chain person was added or changed.
        PersonChanged => "person_changed",
        /// A store's shift plan changed.
        ShiftsChanged => "shifts_changed",
        /// Someone was told to hear of a store's cases, or what they hear changed.
        RecipientSaved => "recipient_saved",
        /// Someone no longer hears of a store's cases.
        RecipientRemoved => "recipient_removed",
        /// A store's visits were told for some days.
        VisitsRecorded => "visits_recorded",
    }
);

/// Most days in one `PUT .../visits`.
pub const VISIT_DAYS_MAX: usize = 366;
/// Most visits a store counts in a day.
pub const VISITS_MAX: u32 = 10_000_000;

/// A store's visits on one store-local day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayVisits {
    /// The day, `YYYY-MM-DD`.
    pub date: String,
    /// How many people came in.
    pub visits: u32,
}

/// `GET`/`PUT .../stores/{store}/visits`: a store's visits by day (a `PUT` sets the days it
/// names, leaving the others).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visits {
    /// The days, oldest first.
    pub days: Vec<DayVisits>,
}

impl Visits {
    /// Checks the days: dates, each once, at most [`VISIT_DAYS_MAX`], each count at most
    /// [`VISITS_MAX`].
    pub fn check(&self) -> Result<(), SetupError> {
        let days = &self.days;
        let fine = days.len() <= VISIT_DAYS_MAX
            && days.iter().enumerate().all(|(i, d)| {
                crate::insights::parse_date(&d.date).is_some()
                    && d.visits <= VISITS_MAX
                    && !days[..i].iter().any(|e| e.date == d.date)
            });
        if fine {
            Ok(())
        } else {
            Err(SetupError::Visits)
        }
    }
}

/// `GET .../stores/{store}/recipients`: one recipient of the store's notifications (never a
/// webhook's signing key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientView {
    /// How they are reached.
    pub channel: Channel,
    /// The email address or the webhook's URL.
    pub address: String,
    /// The rules they follow.
    pub rules: Vec<NoticeRule>,
    /// Quiet hours, `HH:MM-HH:MM` on the store's clock; empty for none.
    pub quiet: String,
}

/// `GET .../stores/{store}/recipients`: who hears of the store's cases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipients {
    /// Each recipient, by channel and address.
    pub recipients: Vec<RecipientView>,
}

/// `PUT .../stores/{store}/recipients`'s answer: the recipient as kept, and a new webhook's
/// signing key made by the server (shown this once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRecipient {
    /// The recipient.
    pub recipient: RecipientView,
    /// The key made for a new webhook given none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// `DELETE .../stores/{store}/recipients?channel=&address=`: which recipient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientKey {
    /// How they are reached.
    pub channel: Channel,
    /// The email address or the webhook's URL.
    pub address: String,
}

/// One change in the history: who made it, when, to what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// When.
    pub at: Timestamp,
    /// Who: a chain person's or store manager's name with their id, or `operator` for the
    /// command line.
    pub by: String,
    /// The store it concerns (none for the chain itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<Slug>,
    /// What happened.
    pub what: ChangeKind,
    /// What it happened to: a person's or token's id, or the store's.
    pub subject: String,
    /// The fields that changed (the setup's field names), for a change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

/// `GET .../history`: the changes the asker may see, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// Each change.
    pub changes: Vec<Change>,
}
