//! Chains: an organisation over its stores, the people who run it, and what each person
//! signed in to the web admin may see and change ([`Reach`]). A store's settings and a staff
//! member's record as the admin edits them ([`StoreSetup`], [`StaffSetup`]) are checked here,
//! so the admin's form and the server refuse the same things with the same codes. Pure.

use serde::{Deserialize, Serialize};

use crate::complaint::text_len;
use crate::event::Role;
use crate::ids::Slug;
use crate::shifts::ShiftPlan;
use crate::sla::SlaPolicy;
use crate::staff::{LANGUAGES, StoreProfile, pin_is_well_formed};

/// The fewest characters of a chain person's password.
pub const PASSWORD_MIN: usize = 10;
/// The most characters of a chain person's password.
pub const PASSWORD_MAX: usize = 128;
/// The longest store, staff or touchpoint name, in characters.
pub const SETUP_NAME_MAX: usize = 80;
/// The most touchpoints a store has.
pub const TOUCHPOINTS_MAX: usize = 50;
/// The longest sticker text (the line printed under a touchpoint's QR code), in characters.
pub const STICKER_TEXT_MAX: usize = 140;
/// The longest times a store may set: minutes to acknowledge (a week), hours to resolve (90
/// days), days to the follow-up (90) and days to keep a customer's contact (10 years).
pub const ACK_MINUTES_MAX: u32 = 7 * 24 * 60;
/// See [`ACK_MINUTES_MAX`].
pub const RESOLVE_HOURS_MAX: u32 = 90 * 24;
/// See [`ACK_MINUTES_MAX`].
pub const FOLLOW_UP_DAYS_MAX: u32 = 90;
/// See [`ACK_MINUTES_MAX`].
pub const RETENTION_DAYS_MAX: u32 = 3650;
/// The largest remedy limit, in minor units (10,000,000.00).
pub const LIMIT_MINOR_MAX: u32 = 1_000_000_000;

choice_enum!(
    /// A person's role in a chain.
    ChainRole {
        /// Runs the whole chain: creates stores, edits every setting, every store's staff and
        /// device tokens.
        Admin => "admin",
        /// Sees the stores they look after, side by side; changes nothing.
        Area => "area",
    }
);

/// Who is signed in to the web admin, and so what they reach.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Reach {
    /// A chain administrator: every store of the chain.
    ChainAdmin,
    /// An area manager: the stores listed.
    Area {
        /// The stores they look after.
        stores: Vec<Slug>,
    },
    /// A store's manager, signed in with their store PIN: that store only.
    StoreManager {
        /// Their store.
        store: Slug,
    },
}

impl Reach {
    /// Whether they may see `store` (its settings, staff, tokens, history and reports).
    pub fn sees(&self, store: &Slug) -> bool {
        match self {
            Reach::ChainAdmin => true,
            Reach::Area { stores } => stores.contains(store),
            Reach::StoreManager { store: own } => own == store,
        }
    }

    /// Whether they may create stores and change a store's settings and touchpoints.
    pub fn edits_stores(&self) -> bool {
        matches!(self, Reach::ChainAdmin)
    }

    /// Whether they may add, change, reset the PIN of or deactivate a person of `store` whose
    /// role is (or becomes) `role`: a chain administrator anyone, a store manager the staff
    /// (not the managers) of their own store.
    pub fn manages_staff(&self, store: &Slug, role: Role) -> bool {
        match self {
            Reach::ChainAdmin => true,
            Reach::Area { .. } => false,
            Reach::StoreManager { store: own } => own == store && role == Role::Staff,
        }
    }

    /// Whether they run `store` day to day: issue, list and revoke its device tokens, plan its
    /// shifts and say who hears of its cases.
    pub fn runs(&self, store: &Slug) -> bool {
        match self {
            Reach::ChainAdmin => true,
            Reach::Area { .. } => false,
            Reach::StoreManager { store: own } => own == store,
        }
    }
}

/// Whether a text is an acceptable password for a chain person: 10 to 128 characters, not only
/// spaces.
pub fn password_is_well_formed(password: &str) -> bool {
    (PASSWORD_MIN..=PASSWORD_MAX).contains(&password.chars().count()) && !password.trim().is_empty()
}

/// A touchpoint as the admin sets it up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TouchpointSetup {
    /// Its id in addresses and stickers.
    pub slug: Slug,
    /// The name people read ("Checkout 2"); empty reads as the slug in words.
    #[serde(default)]
    pub name: String,
    /// A line printed under its QR code ("Tell us at the till"); empty prints the standard one.
    #[serde(default)]
    pub sticker: String,
}

/// A store's settings as the admin edits them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreSetup {
    /// Its name.
    pub name: String,
    /// ISO 4217 currency of remedies.
    pub currency: String,
    /// Minutes from filing to acknowledging.
    pub ack_minutes: u32,
    /// Hours from filing to resolving.
    pub resolve_hours: u32,
    /// Days from a resolution to the follow-up.
    pub follow_up_days: u32,
    /// Days after a close when the customer's name and contact are erased.
    pub retention_days: u32,
    /// The languages its customers read, most used first.
    pub languages: Vec<String>,
    /// Whether its tablets chime for a new complaint.
    pub chime: bool,
    /// Its touchpoints, in display order.
    pub touchpoints: Vec<TouchpointSetup>,
}

/// Why a setup was refused: one field and a stable code the admin translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum SetupError {
    /// A name is empty, too long or has control characters.
    #[error("give a name of 1 to 80 characters")]
    Name,
    /// The currency is not three letters.
    #[error("the currency is an ISO 4217 code such as EUR")]
    Currency,
    /// A time is beyond its most.
    #[error("a time is longer than a store may set")]
    Time,
    /// No language, an unknown one or one twice.
    #[error("choose one or more of the languages, each once")]
    Languages,
    /// No touchpoint.
    #[error("a store needs at least one touchpoint")]
    NoTouchpoint,
    /// More than [`TOUCHPOINTS_MAX`].
    #[error("a store has at most 50 touchpoints")]
    TooManyTouchpoints,
    /// The same touchpoint twice.
    #[error("each touchpoint id once")]
    TouchpointTwice,
    /// A touchpoint's name or sticker text is too long or has control characters.
    #[error("a touchpoint's name or sticker text is too long")]
    Place,
    /// The remedy limit is beyond [`LIMIT_MINOR_MAX`].
    #[error("the limit is too large")]
    Limit,
    /// The PIN is not 6 to 12 digits.
    #[error("a PIN is 6 to 12 digits")]
    Pin,
    /// A new person needs a PIN.
    #[error("a new person needs a PIN")]
    PinNeeded,
    /// A chain person's password is not 10 to 128 characters.
    #[error("a password is 10 to 128 characters")]
    Password,
    /// A new chain person needs a password.
    #[error("a new person needs a password")]
    PasswordNeeded,
    /// An area manager without stores, one with a store not the chain's, or an administrator
    /// with a list of stores.
    #[error("an area manager looks after one or more of the chain's stores")]
    Stores,
    /// An administrator taking their own role or access away.
    #[error("you cannot take your own role or access away")]
    OwnAccess,
    /// A shift without a name, with a name too long or the same as another's.
    #[error("give each shift a name of its own of 1 to 40 characters")]
    ShiftName,
    /// A shift without hours on any day, or hours not on the clock.
    #[error("give a shift its hours as 07:00-15:00 on one or more days")]
    ShiftHours,
    /// Someone twice on a shift, or not one of the store's staff.
    #[error("a shift's people are the store's staff, each once")]
    ShiftStaff,
    /// More than [`crate::shifts::SHIFTS_MAX`] shifts.
    #[error("a plan has at most 12 shifts")]
    TooManyShifts,
    /// Visits on a day that is not a date, a day twice, too many days or too many visits.
    #[error("visits are whole numbers to 10,000,000 on dates, each once, at most 366 at a time")]
    Visits,
}

impl SetupError {
    /// The stable code the API answers with (and the admin's translation key).
    pub fn code(self) -> &'static str {
        match self {
            SetupError::Name => "setup_name",
            SetupError::Currency => "setup_currency",
            SetupError::Time => "setup_time",
            SetupError::Languages => "setup_languages",
            SetupError::NoTouchpoint => "setup_no_touchpoint",
            SetupError::TooManyTouchpoints => "setup_too_many_touchpoints",
            SetupError::TouchpointTwice => "setup_touchpoint_twice",
            SetupError::Place => "setup_place",
            SetupError::Limit => "setup_limit",
            SetupError::Pin => "setup_pin",
            SetupError::PinNeeded => "setup_pin_needed",
            SetupError::Password => "person_password",
            SetupError::PasswordNeeded => "person_password_needed",
            SetupError::Stores => "person_stores",
            SetupError::OwnAccess => "person_self",
            SetupError::ShiftName => "setup_shift_name",
            SetupError::ShiftHours => "setup_shift_hours",
            SetupError::ShiftStaff => "setup_shift_staff",
            SetupError::TooManyShifts => "setup_too_many_shifts",
            SetupError::Visits => "setup_visits",
        }
    }
}

/// A name people read: 1 to [`SETUP_NAME_MAX`] characters after trimming, no control
/// characters.
pub fn name_is_well_formed(name: &str) -> bool {
    let name = name.trim();
    !name.is_empty() && text_len(name) <= SETUP_NAME_MAX && !name.chars().any(char::is_control)
}

fn short_text(text: &str, max: usize) -> bool {
    text_len(text) <= max && !text.chars().any(char::is_control)
}

impl StoreSetup {
    /// Checks every field; the first fault found, in the form's order.
    pub fn check(&self) -> Result<(), SetupError> {
        if !name_is_well_formed(&self.name) {
            return Err(SetupError::Name);
        }
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(SetupError::Currency);
        }
        if self.ack_minutes > ACK_MINUTES_MAX
            || self.resolve_hours > RESOLVE_HOURS_MAX
            || self.follow_up_days > FOLLOW_UP_DAYS_MAX
            || self.retention_days > RETENTION_DAYS_MAX
        {
            return Err(SetupError::Time);
        }
        let known = self
            .languages
            .iter()
            .all(|tag| LANGUAGES.contains(&tag.as_str()));
        let once = self
            .languages
            .iter()
            .enumerate()
            .all(|(i, tag)| !self.languages[..i].contains(tag));
        if self.languages.is_empty() || !known || !once {
            return Err(SetupError::Languages);
        }
        match self.touchpoints.len() {
            0 => return Err(SetupError::NoTouchpoint),
            n if n > TOUCHPOINTS_MAX => return Err(SetupError::TooManyTouchpoints),
            _ => {}
        }
        for (i, place) in self.touchpoints.iter().enumerate() {
            if self.touchpoints[..i].iter().any(|p| p.slug == place.slug) {
                return Err(SetupError::TouchpointTwice);
            }
            if !short_text(&place.name, SETUP_NAME_MAX)
                || !short_text(&place.sticker, STICKER_TEXT_MAX)
            {
                return Err(SetupError::Place);
            }
        }
        Ok(())
    }
}

impl StoreSetup {
    /// The store's profile as its stickers read it (no contact salt: that is the server's).
    pub fn profile(&self, store: Slug) -> StoreProfile {
        let named = |pick: fn(&TouchpointSetup) -> &String| {
            self.touchpoints
                .iter()
                .filter(|t| !pick(t).is_empty())
                .map(|t| (t.slug.clone(), pick(t).clone()))
                .collect()
        };
        StoreProfile {
            store,
            name: self.name.clone(),
            touchpoints: self.touchpoints.iter().map(|t| t.slug.clone()).collect(),
            sla: SlaPolicy {
                acknowledge_within_minutes: self.ack_minutes,
                resolve_within_hours: self.resolve_hours,
            },
            currency: self.currency.clone(),
            follow_up_days: self.follow_up_days,
            contact_salt: String::new(),
            languages: self.languages.clone(),
            chime: self.chime,
            places: named(|t| &t.name),
            stickers: named(|t| &t.sticker),
            shifts: ShiftPlan::default(),
        }
    }
}

/// A staff member's record as the admin edits it (the id is in the address).
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StaffSetup {
    /// Their name.
    pub name: String,
    /// Staff or manager.
    pub role: Role,
    /// The largest remedy they may give alone, in minor units.
    pub limit_minor: u32,
    /// A new PIN: ends their sessions and signing keys at once. Needed for a new person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
    /// Whether they may sign in; false deactivates them (their sessions and keys end).
    pub active: bool,
}

impl std::fmt::Debug for StaffSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffSetup")
            .field("name", &self.name)
            .field("role", &self.role)
            .field("limit_minor", &self.limit_minor)
            .field("pin", &self.pin.as_ref().map(|_| "<hidden>"))
            .field("active", &self.active)
            .finish()
    }
}

impl StaffSetup {
    /// Checks every field; `new` when the person does not exist yet (a PIN is needed then).
    pub fn check(&self, new: bool) -> Result<(), SetupError> {
        if !name_is_well_formed(&self.name) {
            return Err(SetupError::Name);
        }
        if self.limit_minor > LIMIT_MINOR_MAX {
            return Err(SetupError::Limit);
        }
        match &self.pin {
            Some(pin) if !pin_is_well_formed(pin) => Err(SetupError::Pin),
            None if new => Err(SetupError::PinNeeded),
            _ => Ok(()),
        }
    }
}

/// A chain person as the admin edits them (the id is in the address).
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PersonSetup {
    /// Their name.
    pub name: String,
    /// Administrator or area manager.
    pub role: ChainRole,
    /// The stores an area manager looks after (none for an administrator).
    #[serde(default)]
    pub stores: Vec<Slug>,
    /// A new password: ends their sessions at once. Needed for a new person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Whether they may sign in; false ends their sessions.
    pub active: bool,
}

impl std::fmt::Debug for PersonSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonSetup")
            .field("name", &self.name)
            .field("role", &self.role)
            .field("stores", &self.stores)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("active", &self.active)
            .finish()
    }
}

impl PersonSetup {
    /// Checks every field; `new` when the person does not exist yet (a password is needed).
    /// Whether the stores are the chain's is the server's to check.
    pub fn check(&self, new: bool) -> Result<(), SetupError> {
        if !name_is_well_formed(&self.name) {
            return Err(SetupError::Name);
        }
        if (self.role == ChainRole::Area) == self.stores.is_empty() {
            return Err(SetupError::Stores);
        }
        match &self.password {
            Some(p) if !password_is_well_formed(p) => Err(SetupError::Password),
            None if new => Err(SetupError::PasswordNeeded),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(text: &str) -> Slug {
        Slug::parse(text).unwrap()
    }

    fn setup() -> StoreSetup {
        StoreSetup {
            name: "Mall branch".into(),
            currency: "EUR".into(),
            ack_minutes: 10,
            resolve_hours: 24,
            follow_up_days: 3,
            retention_days: 365,
            languages: vec!["sv".into(), "en".into()],
            chime: false,
            touchpoints: vec![TouchpointSetup {
                slug: slug("till-1"),
                name: "Till 1".into(),
                sticker: String::new(),
            }],
        }
    }

    #[test]
    fn a_setup_reads_as_the_profile_its_stickers_print() {
        let mut s = setup();
        s.touchpoints.push(TouchpointSetup {
            slug: slug("dock"),
            name: String::new(),
            sticker: "Ring the bell".into(),
        });
        let p = s.profile(slug("mall"));
        assert_eq!(p.touchpoints, [slug("till-1"), slug("dock")]);
        assert_eq!(p.place(&slug("till-1")), "Till 1");
        assert_eq!(p.place(&slug("dock")), "dock", "no name: the slug in words");
        assert_eq!(
            p.stickers.get(&slug("dock")).map(String::as_str),
            Some("Ring the bell")
        );
        assert!(!p.stickers.contains_key(&slug("till-1")));
        assert_eq!(
            (p.sla.acknowledge_within_minutes, p.languages.len()),
            (10, 2)
        );
    }

    #[test]
    fn each_reach_sees_and_changes_only_what_it_should() {
        let (a, b) = (slug("mall"), slug("harbour"));
        let admin = Reach::ChainAdmin;
        let area = Reach::Area {
            stores: vec![a.clone()],
        };
        let manager = Reach::StoreManager { store: a.clone() };
        assert!(admin.sees(&a) && admin.sees(&b) && admin.edits_stores());
        assert!(admin.manages_staff(&b, Role::Manager) && admin.runs(&b));
        assert!(area.sees(&a) && !area.sees(&b) && !area.edits_stores());
        assert!(!area.manages_staff(&a, Role::Staff) && !area.runs(&a));
        assert!(manager.sees(&a) && !manager.sees(&b) && !manager.edits_stores());
        assert!(manager.manages_staff(&a, Role::Staff));
        assert!(!manager.manages_staff(&a, Role::Manager), "no managers");
        assert!(!manager.manages_staff(&b, Role::Staff), "another store");
        assert!(manager.runs(&a) && !manager.runs(&b));
    }

    #[test]
    fn a_store_setup_is_checked_field_by_field() {
        assert_eq!(setup().check(), Ok(()));
        let with = |change: fn(&mut StoreSetup)| {
            let mut s = setup();
            change(&mut s);
            s.check()
        };
        assert_eq!(with(|s| s.name = "  ".into()), Err(SetupError::Name));
        assert_eq!(with(|s| s.name = "x".repeat(81)), Err(SetupError::Name));
        assert_eq!(
            with(|s| s.currency = "eur".into()),
            Err(SetupError::Currency)
        );
        assert_eq!(
            with(|s| s.ack_minutes = ACK_MINUTES_MAX + 1),
            Err(SetupError::Time)
        );
        assert_eq!(with(|s| s.retention_days = 3651), Err(SetupError::Time));
        assert_eq!(with(|s| s.languages.clear()), Err(SetupError::Languages));
        assert_eq!(
            with(|s| s.languages.push("sv".into())),
            Err(SetupError::Languages)
        );
        assert_eq!(
            with(|s| s.languages.push("fr".into())),
            Err(SetupError::Languages)
        );
        assert_eq!(
            with(|s| s.touchpoints.clear()),
            Err(SetupError::NoTouchpoint)
        );
        assert_eq!(
            with(|s| s.touchpoints.push(s.touchpoints[0].clone())),
            Err(SetupError::TouchpointTwice)
        );
        assert_eq!(
            with(|s| s.touchpoints[0].sticker = "x".repeat(141)),
            Err(SetupError::Place)
        );
        assert_eq!(
            with(|s| s.touchpoints = (0..51)
                .map(|i| TouchpointSetup {
                    slug: Slug::parse(&format!("t{i}")).unwrap(),
                    name: String::new(),
                    sticker: String::new(),
                })
                .collect()),
            Err(SetupError::TooManyTouchpoints)
        );
    }

    #[test]
    fn a_staff_setup_needs_a_pin_only_when_new_and_never_shows_it() {
        let mut person = StaffSetup {
            name: "Bea".into(),
            role: Role::Staff,
            limit_minor: 2500,
            pin: None,
            active: true,
        };
        assert_eq!(person.check(true), Err(SetupError::PinNeeded));
        assert_eq!(person.check(false), Ok(()));
        person.pin = Some("12ab56".into());
        assert_eq!(person.check(false), Err(SetupError::Pin));
        person.pin = Some("482913".into());
        assert_eq!(person.check(true), Ok(()));
        assert!(!format!("{person:?}").contains("482913"));
        person.limit_minor = LIMIT_MINOR_MAX + 1;
        assert_eq!(person.check(false), Err(SetupError::Limit));
    }

    #[test]
    fn a_chain_person_needs_stores_as_an_area_manager_only_and_a_password_when_new() {
        let mut person = PersonSetup {
            name: "Ari".into(),
            role: ChainRole::Area,
            stores: vec![],
            password: None,
            active: true,
        };
        assert_eq!(person.check(false), Err(SetupError::Stores));
        person.stores.push(slug("mall"));
        assert_eq!(person.check(false), Ok(()));
        assert_eq!(person.check(true), Err(SetupError::PasswordNeeded));
        person.password = Some("short".into());
        assert_eq!(person.check(true), Err(SetupError::Password));
        person.password = Some("long enough now".into());
        assert_eq!(person.check(true), Ok(()));
        assert!(!format!("{person:?}").contains("long enough"));
        person.role = ChainRole::Admin;
        assert_eq!(
            person.check(true),
            Err(SetupError::Stores),
            "an administrator lists none"
        );
    }

    #[test]
    fn a_password_is_ten_to_128_characters_not_only_spaces() {
        assert!(!password_is_well_formed("short"));
        assert!(!password_is_well_formed(&" ".repeat(12)));
        assert!(password_is_well_formed("correct horse"));
        assert!(!password_is_well_formed(&"x".repeat(129)));
    }
}
