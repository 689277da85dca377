//! Stores and their staff on the server: the store settings and roster that
//! staff devices load, the checks that a step's actor is really on the
//! roster with the authority it claims, and PIN sign-in with the core's
//! [`PinThrottle`] kept per staff member in the database.
//!
//! Like [`super::sync`], the rules here run inside one database transaction
//! through the backend-neutral [`Access`], so they are the same on SQLite
//! and PostgreSQL. PINs exist only in memory while they are hashed or
//! checked: the database holds their PBKDF2 hash (the core's [`PinHash`]),
//! and nothing here may log, print or return a PIN or a token's hash.

use recovery_core::api::admin::ChangeKind;
pub use recovery_core::api::{Profile, Session};
use recovery_core::proof;
use recovery_core::{
    Actor, Event, PIN_ROUNDS, PinGate, PinHash, PinThrottle, Role, ShiftPlan, SlaPolicy, Slug,
    StaffMember, StoreProfile, Timestamp, all_languages,
};
use std::collections::BTreeMap;

use super::sync::{Credential, Holder};
use crate::store::{
    Access, ChainRow, DbError, KeyRow, PlaceRow, StaffRow, StoreRow, TokenRow, now_ms,
};

/// How long a token from a staff login works.
pub const SESSION_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// Currency of a new store unless told otherwise.
pub const DEFAULT_CURRENCY: &str = "EUR";
/// Minutes to acknowledge, unless told otherwise.
pub const DEFAULT_ACK_MINUTES: u32 = 10;
/// Hours to resolve, unless told otherwise.
pub const DEFAULT_RESOLVE_HOURS: u32 = 24;
/// Days from a resolution to the follow-up, unless told otherwise.
pub const DEFAULT_FOLLOW_UP_DAYS: u32 = 3;
/// Days after a case's close when its customer's name and contact are erased, unless told
/// otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;
/// Random bytes in a store's contact salt and in a PIN hash's salt.
pub const SALT_BYTES: usize = 16;

/// A store's settings as `add-store` sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreSettings {
    /// The store id.
    pub slug: Slug,
    /// Its name.
    pub name: String,
    /// Its touchpoints in display order; `None` keeps the ones it has.
    pub touchpoints: Option<Vec<Slug>>,
    /// Display names of some of those touchpoints ("Checkout 2"), written with them.
    pub places: BTreeMap<Slug, String>,
    /// ISO 4217 currency of remedies.
    pub currency: String,
    /// Minutes to acknowledge.
    pub ack_minutes: u32,
    /// Hours to resolve.
    pub resolve_hours: u32,
    /// Days to the follow-up.
    pub follow_up_days: u32,
    /// The languages its customers read (tags of `recovery_core::LANGUAGES`, most used first);
    /// `None` keeps the ones it has (all of them for a new store).
    pub languages: Option<Vec<String>>,
    /// Whether its tablets chime for a new complaint; `None` keeps its own (off for a new
    /// store).
    pub chime: Option<bool>,
    /// Days after a close when the customer's name and contact are erased; `None` keeps its
    /// own ([`DEFAULT_RETENTION_DAYS`] for a new store).
    pub retention_days: Option<u32>,
    /// The lines printed under some touchpoints' QR codes; `None` keeps the ones they have.
    pub stickers: Option<BTreeMap<Slug, String>>,
    /// The chain a new store joins (a chain of its own, named like it, when `None`); a store
    /// keeps the chain it was created in.
    pub chain: Option<Slug>,
    /// Its shift plan, checked; `None` keeps the one it has (none for a new store).
    pub shifts: Option<ShiftPlan>,
}

impl StoreSettings {
    /// Settings with the defaults for everything but id and name.
    pub fn new(slug: Slug, name: impl Into<String>) -> StoreSettings {
        StoreSettings {
            slug,
            name: name.into(),
            touchpoints: None,
            places: BTreeMap::new(),
            currency: DEFAULT_CURRENCY.into(),
            ack_minutes: DEFAULT_ACK_MINUTES,
            resolve_hours: DEFAULT_RESOLVE_HOURS,
            follow_up_days: DEFAULT_FOLLOW_UP_DAYS,
            languages: None,
            chime: None,
            retention_days: None,
            stickers: None,
            chain: None,
            shifts: None,
        }
    }
}

pub use super::admin::AdminError;

/// Random bytes from the operating system.
pub(crate) fn random_bytes() -> Result<[u8; SALT_BYTES], DbError> {
    let mut bytes = [0u8; SALT_BYTES];
    getrandom::fill(&mut bytes).map_err(|err| DbError::Random(err.to_string()))?;
    Ok(bytes)
}

/// Hashes `pin` with a fresh random salt and [`PIN_ROUNDS`]. Slow (about
/// PBKDF2's cost): call it off the async workers.
pub fn hash_pin(pin: &str) -> Result<PinHash, DbError> {
    Ok(PinHash::new(pin, &random_bytes()?, PIN_ROUNDS))
}

/// Creates the store or updates its settings. A new store joins its chain (made, with a salt of
/// its own, when missing) and fingerprints contacts with the chain's salt, so repeats are found
/// across the chain's stores; a store's chain and salt never change afterwards. Touchpoints,
/// stickers and languages are replaced only when given.
pub fn put_store(db: &mut dyn Access, settings: &StoreSettings) -> Result<(), DbError> {
    let existing = db.store(settings.slug.as_str())?;
    let (chain, contact_salt) = match &existing {
        Some(store) => (store.chain.clone(), store.contact_salt.clone()),
        None => {
            let chain = settings.chain.as_ref().unwrap_or(&settings.slug).as_str();
            let row = match db.chain(chain)? {
                Some(row) => row,
                None => {
                    let row = ChainRow {
                        slug: chain.to_owned(),
                        name: settings.name.clone(),
                        contact_salt: crate::secrets::hex(&random_bytes()?),
                    };
                    db.upsert_chain(&row, now_ms())?;
                    row
                }
            };
            (row.slug, row.contact_salt)
        }
    };
    let languages = match (&settings.languages, &existing) {
        (Some(list), _) => list.join(","),
        (None, Some(existing)) => existing.languages.clone(),
        (None, None) => all_languages().join(","),
    };
    let chime = settings
        .chime
        .unwrap_or_else(|| existing.as_ref().is_some_and(|e| e.chime));
    let retention_days = settings.retention_days.map_or_else(
        || {
            existing
                .as_ref()
                .map_or(i64::from(DEFAULT_RETENTION_DAYS), |e| e.retention_days)
        },
        i64::from,
    );
    let shifts = match (&settings.shifts, &existing) {
        (Some(plan), _) => {
            serde_json::to_string(plan).map_err(|e| DbError::Corrupt(e.to_string()))?
        }
        (None, Some(existing)) => existing.shifts.clone(),
        (None, None) => "[]".into(),
    };
    let row = StoreRow {
        slug: settings.slug.as_str().to_owned(),
        name: settings.name.clone(),
        currency: settings.currency.clone(),
        ack_minutes: i64::from(settings.ack_minutes),
        resolve_hours: i64::from(settings.resolve_hours),
        follow_up_days: i64::from(settings.follow_up_days),
        contact_salt,
        languages,
        chime,
        retention_days,
        chain,
        shifts,
    };
    db.upsert_store(&row, now_ms())?;
    if settings.touchpoints.is_some() || settings.stickers.is_some() {
        let kept = db.places(settings.slug.as_str())?;
        let slugs: Vec<String> = match &settings.touchpoints {
            Some(list) => list.iter().map(|t| t.as_str().to_owned()).collect(),
            None => kept.iter().map(|(slug, ..)| slug.clone()).collect(),
        };
        let places: Vec<PlaceRow> = slugs
            .into_iter()
            .map(|slug| {
                let old = kept.iter().find(|(s, ..)| *s == slug);
                let given = |map: &BTreeMap<Slug, String>| {
                    map.iter()
                        .find(|(t, _)| t.as_str() == slug)
                        .map(|(_, v)| v.clone())
                };
                let name = match &settings.touchpoints {
                    Some(_) => given(&settings.places).unwrap_or_default(),
                    None => old.map(|(_, n, _)| n.clone()).unwrap_or_default(),
                };
                let sticker = settings.stickers.as_ref().map_or_else(
                    || old.map(|(.., s)| s.clone()).unwrap_or_default(),
                    |map| given(map).unwrap_or_default(),
                );
                (slug, name, sticker)
            })
            .collect();
        db.set_places(settings.slug.as_str(), &places)?;
    }
    Ok(())
}

/// Creates a staff member of an existing store, or replaces their name,
/// role, limit and PIN (which also reactivates them, clears their failed
/// attempts, and ends every session and signing key the old PIN opened).
pub fn put_staff(
    db: &mut dyn Access,
    store: &Slug,
    member: &StaffMember,
    pin: &PinHash,
) -> Result<(), AdminError> {
    if db.store(store.as_str())?.is_none() {
        return Err(AdminError::NoStore(store.as_str().to_owned()));
    }
    let existed = db.staff(store.as_str(), member.id.as_str())?.is_some();
    db.end_staff_access(store.as_str(), member.id.as_str(), now_ms())?;
    db.upsert_staff(&StaffRow {
        store: store.as_str().to_owned(),
        id: member.id.as_str().to_owned(),
        name: member.name.clone(),
        role: member.role.key().to_owned(),
        limit_minor: i64::from(member.limit_minor),
        pin_salt: pin.salt.clone(),
        pin_rounds: i64::from(pin.rounds),
        pin_hash: pin.hash.clone(),
        active: true,
        failures: 0,
        last_failure_ms: None,
    })?;
    let what = if existed {
        ChangeKind::PinReset
    } else {
        ChangeKind::StaffAdded
    };
    super::chains::record_operator(db, store, what, member.id.as_str())?;
    Ok(())
}

/// Deactivates a staff member: they can no longer sign in or be named by a
/// step, and their sessions and signing keys end at once (steps already
/// stored stay). `add-staff` brings them back with a new PIN.
pub fn deactivate(db: &mut dyn Access, store: &Slug, id: &Slug) -> Result<(), AdminError> {
    if !db.set_staff_active(store.as_str(), id.as_str(), false)? {
        return Err(AdminError::NoStaff {
            store: store.as_str().to_owned(),
            id: id.as_str().to_owned(),
        });
    }
    db.end_staff_access(store.as_str(), id.as_str(), now_ms())?;
    super::chains::record_operator(db, store, ChangeKind::StaffDeactivated, id.as_str())?;
    Ok(())
}

/// Clears a staff member's failed PIN attempts (and so a lock).
pub fn unlock(db: &mut dyn Access, store: &Slug, id: &Slug) -> Result<(), AdminError> {
    if db.set_pin_throttle(store.as_str(), id.as_str(), 0, None)? {
        Ok(())
    } else {
        Err(AdminError::NoStaff {
            store: store.as_str().to_owned(),
            id: id.as_str().to_owned(),
        })
    }
}

/// A stored staff row as the core's [`StaffMember`]; `None` for a row the
/// core could not accept (written by hand with a bad id or role), which
/// then grants nothing.
pub fn member(row: &StaffRow) -> Option<StaffMember> {
    Some(StaffMember {
        id: Slug::parse(&row.id).ok()?,
        name: row.name.clone(),
        role: Role::ALL.into_iter().find(|role| role.key() == row.role)?,
        limit_minor: u32::try_from(row.limit_minor).ok()?,
    })
}

pub(super) fn pin_hash(row: &StaffRow) -> Option<PinHash> {
    Some(PinHash {
        salt: row.pin_salt.clone(),
        rounds: u32::try_from(row.pin_rounds).ok()?,
        hash: row.pin_hash.clone(),
    })
}

fn throttle(row: &StaffRow) -> PinThrottle {
    PinThrottle {
        failures: u32::try_from(row.failures).unwrap_or(u32::MAX),
        last_failure: row.last_failure_ms.map(Timestamp),
    }
}

/// The store's profile and active roster; `None` for a store not in the
/// database.
pub fn profile(db: &mut dyn Access, store: &Slug) -> Result<Option<Profile>, DbError> {
    let Some(row) = db.store(store.as_str())? else {
        return Ok(None);
    };
    let mut places = BTreeMap::new();
    let mut stickers = BTreeMap::new();
    let mut touchpoints = Vec::new();
    for (slug, name, sticker) in db.places(store.as_str())? {
        let Ok(slug) = Slug::parse(&slug) else {
            continue;
        };
        if !name.is_empty() {
            places.insert(slug.clone(), name);
        }
        if !sticker.is_empty() {
            stickers.insert(slug.clone(), sticker);
        }
        touchpoints.push(slug);
    }
    let clamp = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    let shifts = row.shift_plan();
    let profile = StoreProfile {
        store: store.clone(),
        name: row.name,
        touchpoints,
        sla: SlaPolicy {
            acknowledge_within_minutes: clamp(row.ack_minutes),
            resolve_within_hours: clamp(row.resolve_hours),
        },
        currency: row.currency,
        follow_up_days: clamp(row.follow_up_days),
        contact_salt: row.contact_salt,
        // Stored by put_store from checked lists; the app reads unknown tags tolerantly anyway.
        languages: row
            .languages
            .split(',')
            .map(str::trim)
            .filter(|tag| !tag.is_empty())
            .map(str::to_owned)
            .collect(),
        chime: row.chime,
        places,
        stickers,
        shifts,
    };
    let roster = db
        .roster(store.as_str())?
        .iter()
        .filter(|row| row.active)
        .filter_map(member)
        .collect();
    Ok(Some(Profile { profile, roster }))
}

/// The store's name and currency, for a customer's ticket.
pub fn name_and_currency(
    db: &mut dyn Access,
    store: &str,
) -> Result<Option<(String, String)>, DbError> {
    Ok(db.store(store)?.map(|row| (row.name, row.currency)))
}

/// Whether `actor` may take a step in `store`: an active member of its
/// roster with the same role and no more authority than the roster gives.
/// `Err` is the reason, for the rejection's detail.
pub fn check_actor(
    db: &mut dyn Access,
    store: &Slug,
    actor: &Actor,
) -> Result<Result<(), String>, DbError> {
    let who = &actor.staff;
    let Some(on_roster) = db
        .staff(store.as_str(), actor.staff.as_str())?
        .filter(|row| row.active)
        .as_ref()
        .and_then(member)
    else {
        return Ok(Err(format!(
            "'{who}' is not an active staff member of store '{store}'"
        )));
    };
    if on_roster.role != actor.role {
        return Ok(Err(format!(
            "'{who}' is {} on the roster, not {}",
            on_roster.role.key(),
            actor.role.key()
        )));
    }
    if actor.limit_minor > on_roster.limit_minor {
        return Ok(Err(format!(
            "'{who}' may give up to {} on the roster, not {}",
            on_roster.limit_minor, actor.limit_minor
        )));
    }
    Ok(Ok(()))
}

/// Whether the person a step names really took it: the step carries a valid
/// signature by a live key of that person in this store ([`recovery_core::proof`]),
/// or, unsigned, it comes with that person's own session. A device token
/// authors no step of its own, and a session authors only its person's.
/// `Err` is the reason, for the rejection's detail.
pub fn check_author(
    db: &mut dyn Access,
    credential: &Credential,
    event: &Event,
    actor: &Actor,
) -> Result<Result<(), String>, DbError> {
    let who = &actor.staff;
    if let Some(proof) = &event.proof {
        let Some(key) = db.staff_key(&proof.key)? else {
            return Ok(Err(format!(
                "the step is signed with key '{}', which this server never registered",
                proof.key
            )));
        };
        if key.store != credential.store.as_str() {
            return Ok(Err("the step is signed with another store's key".into()));
        }
        if key.staff != who.as_str() {
            return Ok(Err(format!(
                "the step names '{who}' but is signed by '{}'",
                key.staff
            )));
        }
        if key.revoked_at_ms.is_some() {
            return Ok(Err(format!(
                "the signing key of '{who}' was revoked: they must sign in online again"
            )));
        }
        return Ok(proof::verify(event, &key.public_key).map_err(|err| err.to_string()));
    }
    Ok(match &credential.holder {
        Holder::Person(person) if person == who => Ok(()),
        Holder::Operator => Ok(()),
        Holder::Person(person) => Err(format!(
            "this session is '{person}''s: a step as '{who}' needs '{who}''s signature"
        )),
        Holder::Device => Err(format!(
            "a device token takes no step of its own: a step as '{who}' needs '{who}''s session or signature"
        )),
    })
}

/// Whether a sign-in attempt may check its PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Check the PIN against this hash (`None`: nobody by that id, so check
    /// against [`dummy_hash`] and refuse). The attempt already counts as a
    /// failure until [`succeed`] clears it, so parallel guesses cannot slip
    /// past the throttle.
    Check(Option<PinHash>),
    /// Too soon after the latest failures: try again then.
    WaitUntil(Timestamp),
    /// Too many failures: locked until then (the core's `PIN_LOCK_MS`
    /// after the latest failure), unless an operator runs `unlock-staff`.
    Locked(Timestamp),
}

/// A hash no PIN matches that costs as much to check as a real one, so an
/// unknown id takes as long to refuse as a wrong PIN.
pub fn dummy_hash() -> PinHash {
    PinHash {
        salt: "0".repeat(SALT_BYTES * 2),
        rounds: PIN_ROUNDS,
        hash: "-".repeat(64),
    }
}

/// Opens a sign-in attempt of `id` in `store` at `now` (the server's clock):
/// the core's [`PinThrottle`] gate first (failures older than its
/// `PIN_LOCK_MS` are forgotten, so a lock lifts by itself); when open, the
/// attempt is recorded as a failure at once (see [`Attempt::Check`]). Run
/// it in a write transaction.
pub fn begin_login(
    db: &mut dyn Access,
    store: &Slug,
    id: &Slug,
    now: Timestamp,
) -> Result<Attempt, DbError> {
    let Some(row) = db
        .staff(store.as_str(), id.as_str())?
        .filter(|row| row.active && member(row).is_some())
    else {
        return Ok(Attempt::Check(None));
    };
    let mut throttle = throttle(&row);
    match throttle.gate(now) {
        PinGate::Locked => return Ok(Attempt::Locked(throttle.lifts_at().unwrap_or(now))),
        PinGate::WaitUntil(until) => return Ok(Attempt::WaitUntil(until)),
        PinGate::Open => {}
    }
    throttle.fail(now);
    db.set_pin_throttle(
        store.as_str(),
        id.as_str(),
        i64::from(throttle.failures),
        throttle.last_failure.map(|t| t.0),
    )?;
    Ok(Attempt::Check(pin_hash(&row)))
}

/// Completes a sign-in whose PIN matched: clears the failures, stores the
/// hash of `token`, valid for [`SESSION_MS`], and registers `public_key`
/// (checked by the caller) as the person's signing key under a new id.
/// `None` if the member or the store went away meanwhile.
pub fn succeed(
    db: &mut dyn Access,
    store: &Slug,
    id: &Slug,
    token: &str,
    public_key: Option<&str>,
    now_ms: i64,
) -> Result<Option<Session>, DbError> {
    let Some(staff) = db
        .staff(store.as_str(), id.as_str())?
        .filter(|row| row.active)
        .as_ref()
        .and_then(member)
    else {
        return Ok(None);
    };
    db.set_pin_throttle(store.as_str(), id.as_str(), 0, None)?;
    let Some(Profile { profile, roster }) = profile(db, store)? else {
        return Ok(None);
    };
    let hash = crate::secrets::sha256_hex(token);
    let label = format!("login {id}");
    db.insert_staff_token(&TokenRow {
        hash: &hash,
        store: store.as_str(),
        label: Some(&label),
        staff: Some(id.as_str()),
        created_at_ms: now_ms,
        expires_at_ms: Some(now_ms.saturating_add(SESSION_MS)),
    })?;
    let key_id = match public_key {
        Some(public_key) => {
            let key_id = crate::secrets::hex(&random_bytes()?);
            db.insert_staff_key(&KeyRow {
                id: key_id.clone(),
                store: store.as_str().to_owned(),
                staff: id.as_str().to_owned(),
                public_key: public_key.to_owned(),
                created_at_ms: now_ms,
                revoked_at_ms: None,
            })?;
            Some(key_id)
        }
        None => None,
    };
    Ok(Some(Session {
        token: token.to_owned(),
        staff,
        profile,
        roster,
        key_id,
    }))
}

pub use super::demo::{
    DEMO_PLACES, DEMO_STAFF, DEMO_STORE, DEMO_TOUCHPOINTS, DemoLogin, seed_demo,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_matches_no_pin() {
        let dummy = dummy_hash();
        assert_eq!(dummy.rounds, PIN_ROUNDS);
        assert!(!dummy.verify("246810"));
    }

    #[test]
    fn a_row_with_an_unknown_role_grants_nothing() {
        let row = StaffRow {
            store: "demo".into(),
            id: "ana".into(),
            name: "Ana".into(),
            role: "owner".into(),
            limit_minor: 10,
            pin_salt: String::new(),
            pin_rounds: 1,
            pin_hash: String::new(),
            active: true,
            failures: 0,
            last_failure_ms: None,
        };
        assert_eq!(member(&row), None);
        let ok = StaffRow {
            role: "manager".into(),
            ..row
        };
        assert_eq!(member(&ok).map(|m| m.role), Some(Role::Manager));
    }
}
