//! What the web admin changes, each behind the core's [`Reach`] of whoever asks: a store's
//! settings and touchpoints, its roster (PIN resets and deactivations end the person's
//! sessions and signing keys at once), its device tokens and its shift plan (visits and
//! recipients have rooms of their own, behind the same [`may_run`]). Every change is recorded in the
//! chain's history with who made it (see [`super::chains::record`]). Runs inside one
//! transaction; PINs arrive here already hashed, and no token is kept but by its hash.

use std::collections::BTreeMap;

use recovery_core::api::admin::{
    ChainView, ChangeKind, IssuedToken, NewToken, Roster, RosterEntry, StoreView, TOKEN_DAYS_MAX,
    TokenView, Tokens,
};
use recovery_core::{
    PinHash, SetupError, ShiftPlan, Slug, StaffMember, StaffSetup, StoreSetup, Timestamp,
    TouchpointSetup,
};

use super::chains::{Signed, record};
use super::staff::{self, StoreSettings, member};
use super::tokens::ID_CHARS;
use crate::store::{Access, DbError, StaffRow, TokenRow};

/// Why the admin refused a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The asker's reach does not cover it (403).
    Forbidden,
    /// No such store, person or token in the chain (404).
    NotFound,
    /// The store id is taken by another chain's store (409).
    Taken,
    /// A field the core's checks refuse (422 with its code).
    Invalid(SetupError),
    /// A token's days out of range (422).
    Days,
    /// A recipient the core's checks refuse (422 with its code).
    Recipient(recovery_core::RecipientError),
}

/// What a write answers: the rules' verdict inside the database's result.
pub type Verdict<T> = Result<Result<T, Refusal>, DbError>;

/// The chain as `signed` sees it: its stores they reach, with their settings.
pub fn view(db: &mut dyn Access, signed: &Signed) -> Result<ChainView, DbError> {
    let mut stores = Vec::new();
    for slug in db.chain_stores(signed.chain.slug.as_str())? {
        let Ok(slug) = Slug::parse(&slug) else {
            continue;
        };
        if signed.reach.sees(&slug)
            && let Some(store) = store_view(db, &slug)?
        {
            stores.push(store);
        }
    }
    Ok(ChainView {
        chain: signed.chain.clone(),
        person: signed.person.clone(),
        reach: signed.reach.clone(),
        stores,
    })
}

/// A store's settings and shift plan as the admin edits them.
pub fn store_view(db: &mut dyn Access, store: &Slug) -> Result<Option<StoreView>, DbError> {
    let Some(row) = db.store(store.as_str())? else {
        return Ok(None);
    };
    let shifts = row.shift_plan();
    let clamp = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    let touchpoints = db
        .places(store.as_str())?
        .into_iter()
        .filter_map(|(slug, name, sticker)| {
            Some(TouchpointSetup {
                slug: Slug::parse(&slug).ok()?,
                name,
                sticker,
            })
        })
        .collect();
    let setup = StoreSetup {
        name: row.name,
        currency: row.currency,
        ack_minutes: clamp(row.ack_minutes),
        resolve_hours: clamp(row.resolve_hours),
        follow_up_days: clamp(row.follow_up_days),
        retention_days: clamp(row.retention_days),
        languages: row
            .languages
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        chime: row.chime,
        touchpoints,
    };
    Ok(Some(StoreView {
        slug: store.clone(),
        setup,
        shifts,
    }))
}

/// The names of the fields that differ between two setups of a store.
fn changed_fields(old: &StoreSetup, new: &StoreSetup) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut differs = |field: &'static str, differ: bool| {
        if differ {
            out.push(field);
        }
    };
    differs("name", old.name != new.name);
    differs("currency", old.currency != new.currency);
    differs("ack_minutes", old.ack_minutes != new.ack_minutes);
    differs("resolve_hours", old.resolve_hours != new.resolve_hours);
    differs("follow_up_days", old.follow_up_days != new.follow_up_days);
    differs("retention_days", old.retention_days != new.retention_days);
    differs("languages", old.languages != new.languages);
    differs("chime", old.chime != new.chime);
    differs("touchpoints", old.touchpoints != new.touchpoints);
    out
}

/// Creates `store` in the chain or changes its settings (a chain administrator only).
pub fn put_store(
    db: &mut dyn Access,
    signed: &Signed,
    store: &Slug,
    mut setup: StoreSetup,
    now: Timestamp,
) -> Verdict<StoreView> {
    if !signed.reach.edits_stores() {
        return Ok(Err(Refusal::Forbidden));
    }
    setup.name = setup.name.trim().to_owned();
    if let Err(e) = setup.check() {
        return Ok(Err(Refusal::Invalid(e)));
    }
    let chain = &signed.chain.slug;
    let old = match db.store_chain(store.as_str())? {
        Some(own) if own != chain.as_str() => return Ok(Err(Refusal::Taken)),
        Some(_) => store_view(db, store)?.map(|v| v.setup),
        None => None,
    };
    let mut settings = StoreSettings::new(store.clone(), setup.name.clone());
    settings.chain = Some(chain.clone());
    settings.currency = setup.currency.clone();
    settings.ack_minutes = setup.ack_minutes;
    settings.resolve_hours = setup.resolve_hours;
    settings.follow_up_days = setup.follow_up_days;
    settings.retention_days = Some(setup.retention_days);
    settings.languages = Some(setup.languages.clone());
    settings.chime = Some(setup.chime);
    settings.touchpoints = Some(setup.touchpoints.iter().map(|t| t.slug.clone()).collect());
    let named = |pick: fn(&TouchpointSetup) -> &String| -> BTreeMap<Slug, String> {
        setup
            .touchpoints
            .iter()
            .map(|t| (t.slug.clone(), pick(t).trim().to_owned()))
            .collect()
    };
    settings.places = named(|t| &t.name);
    settings.stickers = Some(named(|t| &t.sticker));
    staff::put_store(db, &settings)?;
    let Some(saved) = store_view(db, store)? else {
        return Err(DbError::Corrupt(format!("store {store} was not kept")));
    };
    let (what, fields) = match &old {
        Some(old) => (ChangeKind::StoreChanged, changed_fields(old, &saved.setup)),
        None => (ChangeKind::StoreCreated, Vec::new()),
    };
    if old.is_none() || !fields.is_empty() {
        record(
            db,
            chain,
            Some(store),
            &signed.by(),
            what,
            store.as_str(),
            &fields,
            now,
        )?;
    }
    Ok(Ok(saved))
}

/// Replaces the shift plan of `store` (its chain administrator or manager): checked in the
/// core, its people the store's staff.
pub fn put_shifts(
    db: &mut dyn Access,
    signed: &Signed,
    store: &Slug,
    plan: ShiftPlan,
    now: Timestamp,
) -> Verdict<StoreView> {
    if let Some(refusal) = may_run(db, signed, store)? {
        return Ok(Err(refusal));
    }
    if let Err(e) = plan.check() {
        return Ok(Err(Refusal::Invalid(e)));
    }
    let staff: Vec<String> = db
        .roster(store.as_str())?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let mut planned = plan.0.iter().flat_map(|s| &s.staff);
    if planned.any(|id| !staff.iter().any(|s| s == id.as_str())) {
        return Ok(Err(Refusal::Invalid(SetupError::ShiftStaff)));
    }
    let Some(old) = store_view(db, store)? else {
        return Ok(Err(Refusal::NotFound));
    };
    if old.shifts != plan {
        let text = serde_json::to_string(&plan).map_err(|e| DbError::Corrupt(e.to_string()))?;
        db.set_store_shifts(store.as_str(), &text)?;
        let names: Vec<&str> = plan.0.iter().map(|s| s.name.as_str()).collect();
        record(
            db,
            &signed.chain.slug,
            Some(store),
            &signed.by(),
            ChangeKind::ShiftsChanged,
            store.as_str(),
            &names,
            now,
        )?;
    }
    Ok(Ok(StoreView {
        shifts: plan,
        ..old
    }))
}

/// Whether `signed` may run `store` day to day (its tokens, shift plan, visits and who hears
/// of its cases): `None` when they may, else 404 out of reach or 403 without the right.
pub(super) fn may_run(
    db: &mut dyn Access,
    signed: &Signed,
    store: &Slug,
) -> Result<Option<Refusal>, DbError> {
    if !in_reach(db, signed, store)? {
        return Ok(Some(Refusal::NotFound));
    }
    Ok((!signed.reach.runs(store)).then_some(Refusal::Forbidden))
}

/// Whether `store` is one of the chain's stores that `signed` sees.
pub(super) fn in_reach(
    db: &mut dyn Access,
    signed: &Signed,
    store: &Slug,
) -> Result<bool, DbError> {
    Ok(signed.reach.sees(store)
        && db.store_chain(store.as_str())?.as_deref() == Some(signed.chain.slug.as_str()))
}

/// A store's whole roster, active or not.
pub fn roster(db: &mut dyn Access, signed: &Signed, store: &Slug) -> Verdict<Roster> {
    if !in_reach(db, signed, store)? {
        return Ok(Err(Refusal::NotFound));
    }
    let staff = db
        .roster(store.as_str())?
        .iter()
        .filter_map(|row| {
            let m = member(row)?;
            Some(RosterEntry {
                id: m.id,
                name: m.name,
                role: m.role,
                limit_minor: m.limit_minor,
                active: row.active,
                failures: u32::try_from(row.failures).unwrap_or(u32::MAX),
            })
        })
        .collect();
    Ok(Ok(Roster { staff }))
}

/// Adds a person to `store` or changes them; `pin` (already hashed) resets their PIN. A PIN
/// reset, a deactivation and a change of role end their sessions and signing keys at once.
pub fn put_staff(
    db: &mut dyn Access,
    signed: &Signed,
    store: &Slug,
    id: &Slug,
    setup: &StaffSetup,
    pin: Option<PinHash>,
    now: Timestamp,
) -> Verdict<RosterEntry> {
    if !in_reach(db, signed, store)? {
        return Ok(Err(Refusal::NotFound));
    }
    let old = db.staff(store.as_str(), id.as_str())?;
    let old_role = old.as_ref().and_then(member).map(|m| m.role);
    let allowed = signed.reach.manages_staff(store, setup.role)
        && old_role.is_none_or(|role| signed.reach.manages_staff(store, role));
    if !allowed {
        return Ok(Err(Refusal::Forbidden));
    }
    if let Err(e) = setup.check(old.is_none()) {
        return Ok(Err(Refusal::Invalid(e)));
    }
    let name = setup.name.trim().to_owned();
    let (salt, rounds, hash) = match (&pin, &old) {
        (Some(pin), _) => (pin.salt.clone(), i64::from(pin.rounds), pin.hash.clone()),
        (None, Some(old)) => (old.pin_salt.clone(), old.pin_rounds, old.pin_hash.clone()),
        (None, None) => return Ok(Err(Refusal::Invalid(SetupError::PinNeeded))),
    };
    let ends = pin.is_some()
        || !setup.active
        || old_role.is_some_and(|role| role != setup.role)
        || old
            .as_ref()
            .is_some_and(|o| o.limit_minor > i64::from(setup.limit_minor));
    if ends {
        db.end_staff_access(store.as_str(), id.as_str(), now.0)?;
    }
    let row = StaffRow {
        store: store.as_str().to_owned(),
        id: id.as_str().to_owned(),
        name: name.clone(),
        role: setup.role.key().to_owned(),
        limit_minor: i64::from(setup.limit_minor),
        pin_salt: salt,
        pin_rounds: rounds,
        pin_hash: hash,
        active: setup.active,
        failures: if pin.is_some() {
            0
        } else {
            old.as_ref().map_or(0, |o| o.failures)
        },
        last_failure_ms: if pin.is_some() {
            None
        } else {
            old.as_ref().and_then(|o| o.last_failure_ms)
        },
    };
    db.upsert_staff(&row)?;
    let by = signed.by();
    let chain = &signed.chain.slug;
    match &old {
        None => record(
            db,
            chain,
            Some(store),
            &by,
            ChangeKind::StaffAdded,
            id.as_str(),
            &[],
            now,
        )?,
        Some(old) => {
            let mut fields = Vec::new();
            for (field, differ) in [
                ("name", old.name != row.name),
                ("role", old.role != row.role),
                ("limit_minor", old.limit_minor != row.limit_minor),
                ("active", old.active != row.active),
            ] {
                if differ {
                    fields.push(field);
                }
            }
            if old.active && !row.active {
                record(
                    db,
                    chain,
                    Some(store),
                    &by,
                    ChangeKind::StaffDeactivated,
                    id.as_str(),
                    &[],
                    now,
                )?;
                fields.retain(|f| *f != "active");
            }
            if !fields.is_empty() {
                record(
                    db,
                    chain,
                    Some(store),
                    &by,
                    ChangeKind::StaffChanged,
                    id.as_str(),
                    &fields,
                    now,
                )?;
            }
            if pin.is_some() {
                record(
                    db,
                    chain,
                    Some(store),
                    &by,
                    ChangeKind::PinReset,
                    id.as_str(),
                    &[],
                    now,
                )?;
            }
        }
    }
    let m = StaffMember {
        id: id.clone(),
        name,
        role: setup.role,
        limit_minor: setup.limit_minor,
    };
    Ok(Ok(RosterEntry {
        id: m.id,
        name: m.name,
        role: m.role,
        limit_minor: m.limit_minor,
        active: setup.active,
        failures: u32::try_from(row.failures).unwrap_or(u32::MAX),
    }))
}

fn token_view(info: &crate::store::TokenInfo) -> TokenView {
    TokenView {
        id: info.hash.get(..ID_CHARS).unwrap_or(&info.hash).to_owned(),
        person: info.staff.clone(),
        label: info.label.clone(),
        created_at: Timestamp(info.created_at_ms),
        expires_at: info.expires_at_ms.map(Timestamp),
    }
}

/// The store's tokens (device tokens and sessions), newest first, for whoever manages them.
pub fn tokens(db: &mut dyn Access, signed: &Signed, store: &Slug) -> Verdict<Tokens> {
    if let Some(refusal) = may_run(db, signed, store)? {
        return Ok(Err(refusal));
    }
    let mut list = db.tokens(Some(store.as_str()))?;
    list.sort_by_key(|t| std::cmp::Reverse(t.created_at_ms));
    Ok(Ok(Tokens {
        tokens: list.iter().map(token_view).collect(),
    }))
}

/// Issues a device token for one of the store's tablets: `token` is made by the caller and
/// only its hash is kept.
pub fn issue_token(
    db: &mut dyn Access,
    signed: &Signed,
    store: &Slug,
    asked: &NewToken,
    token: String,
    now: Timestamp,
) -> Verdict<IssuedToken> {
    if let Some(refusal) = may_run(db, signed, store)? {
        return Ok(Err(refusal));
    }
    if !(1..=TOKEN_DAYS_MAX).contains(&asked.days) {
        return Ok(Err(Refusal::Days));
    }
    let label = asked.label.trim();
    if !recovery_core::name_is_well_formed(label) {
        return Ok(Err(Refusal::Invalid(SetupError::Name)));
    }
    let hash = crate::secrets::sha256_hex(&token);
    let expires = now
        .0
        .saturating_add(i64::from(asked.days).saturating_mul(86_400_000));
    db.insert_staff_token(&TokenRow {
        hash: &hash,
        store: store.as_str(),
        label: Some(label),
        staff: None,
        created_at_ms: now.0,
        expires_at_ms: Some(expires),
    })?;
    let view = TokenView {
        id: hash[..ID_CHARS].to_owned(),
        person: None,
        label: Some(label.to_owned()),
        created_at: now,
        expires_at: Some(Timestamp(expires)),
    };
    let chain = &signed.chain.slug;
    record(
        db,
        chain,
        Some(store),
        &signed.by(),
        ChangeKind::TokenIssued,
        &view.id,
        &[],
        now,
    )?;
    Ok(Ok(IssuedToken { token, view }))
}

/// Revokes one of the store's tokens by its id (as listed).
pub fn revoke_token(
    db: &mut dyn Access,
    signed: &Signed,
    store: &Slug,
    id: &str,
    now: Timestamp,
) -> Verdict<()> {
    if let Some(refusal) = may_run(db, signed, store)? {
        return Ok(Err(refusal));
    }
    let found = db
        .tokens(Some(store.as_str()))?
        .into_iter()
        .find(|t| id.len() == ID_CHARS && t.hash.starts_with(id));
    let Some(token) = found else {
        return Ok(Err(Refusal::NotFound));
    };
    db.delete_token(&token.hash)?;
    let chain = &signed.chain.slug;
    record(
        db,
        chain,
        Some(store),
        &signed.by(),
        ChangeKind::TokenRevoked,
        id,
        &[],
        now,
    )?;
    Ok(Ok(()))
}
