//! Chains and the people who run them: `add-chain` and `add-chain-person`, their sign-in
//! (passwords hashed and throttled like PINs, see [`super::staff`]), and [`reach_of`], which
//! turns whoever holds a token into what the web admin lets them see and change (the core's
//! [`Reach`]): a chain administrator or an area manager of the chain, or a manager of one of
//! its stores signed in with their store PIN. Every change the admin or the command line
//! makes is kept with who made it and when ([`record`], [`history`]).
//!
//! Runs inside one transaction through [`Access`]; never logs, prints or returns a password
//! or a token's hash.

use recovery_core::api::admin::{
    AdminPerson, AdminSession, ChainInfo, ChainMember, Change, ChangeKind, History, People,
    PersonEntry,
};
use recovery_core::{
    ChainRole, PersonSetup, PinGate, PinHash, PinThrottle, Reach, Role, SetupError, Slug, Timestamp,
};

use super::staff::{AdminError, Attempt, StoreSettings, hash_pin};
use crate::store::{Access, ChainRow, ChangeRow, DbError, PersonRow};

/// How long a chain person's session works: a working day.
pub const ADMIN_SESSION_MS: i64 = 12 * 3_600_000;
/// The most changes the history shows at once.
pub const HISTORY_MAX: i64 = 500;
/// Who the command line's changes are by.
pub const OPERATOR: &str = "operator";

/// Whoever holds a token, before it is known what they reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// A chain person's session.
    Chain {
        /// Their chain.
        chain: Slug,
        /// Their id in it.
        person: Slug,
    },
    /// A store token: a person's session (`Some`) or a device token.
    Store {
        /// The store.
        store: Slug,
        /// The person of a session.
        person: Option<Slug>,
    },
}

/// Someone signed in to a chain's admin: who, and what they reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The chain.
    pub chain: ChainInfo,
    /// Who.
    pub person: AdminPerson,
    /// What they reach.
    pub reach: Reach,
}

impl Signed {
    /// How the history names them: name and id, and for a store manager their store.
    pub fn by(&self) -> String {
        match &self.reach {
            Reach::StoreManager { store } => {
                format!("{} ({}@{})", self.person.name, self.person.id, store)
            }
            _ => format!("{} ({})", self.person.name, self.person.id),
        }
    }
}

/// Creates a chain (with a random contact salt its new stores share) or renames it.
pub fn put_chain(db: &mut dyn Access, slug: &Slug, name: &str) -> Result<(), DbError> {
    let salt = match db.chain(slug.as_str())? {
        Some(row) => row.contact_salt,
        None => crate::secrets::hex(&super::staff::random_bytes()?),
    };
    db.upsert_chain(
        &ChainRow {
            slug: slug.as_str().to_owned(),
            name: name.to_owned(),
            contact_salt: salt,
        },
        crate::store::now_ms(),
    )
}

/// Keeps a change the command line made to `store` in its chain's history, as the operator's.
pub fn record_operator(
    db: &mut dyn Access,
    store: &Slug,
    what: ChangeKind,
    subject: &str,
) -> Result<(), DbError> {
    let Some(chain) = db
        .store_chain(store.as_str())?
        .and_then(|c| Slug::parse(&c).ok())
    else {
        return Ok(());
    };
    let now = Timestamp(crate::store::now_ms());
    record(db, &chain, Some(store), OPERATOR, what, subject, &[], now)
}

/// `add-store`: [`super::staff::put_store`], after checking that a chain it names exists and
/// that an existing store is not asked into another chain; recorded in the chain's history
/// as the operator's.
pub fn add_store(db: &mut dyn Access, settings: &StoreSettings) -> Result<(), AdminError> {
    let existing = db.store_chain(settings.slug.as_str())?;
    if let Some(chain) = &settings.chain {
        match &existing {
            Some(own) if own != chain.as_str() => {
                return Err(AdminError::OtherChain {
                    store: settings.slug.as_str().to_owned(),
                    chain: own.clone(),
                });
            }
            None if db.chain(chain.as_str())?.is_none() => {
                return Err(AdminError::NoChain(chain.as_str().to_owned()));
            }
            _ => {}
        }
    }
    super::staff::put_store(db, settings)?;
    let what = if existing.is_some() {
        ChangeKind::StoreChanged
    } else {
        ChangeKind::StoreCreated
    };
    record_operator(db, &settings.slug, what, settings.slug.as_str())?;
    Ok(())
}

/// Creates or replaces a chain person with a new password hash (which ends their sessions and
/// clears their failed sign-ins); `active` false deactivates them. An area manager's stores
/// must be the chain's.
pub fn put_person(
    db: &mut dyn Access,
    chain: &Slug,
    member: &ChainMember,
    password: &PinHash,
    by: &str,
    now: Timestamp,
) -> Result<(), AdminError> {
    if db.chain(chain.as_str())?.is_none() {
        return Err(AdminError::NoChain(chain.as_str().to_owned()));
    }
    let stores = db.chain_stores(chain.as_str())?;
    if let Some(other) = member
        .stores
        .iter()
        .find(|s| !stores.iter().any(|own| own == s.as_str()))
    {
        return Err(AdminError::NotInChain {
            store: other.as_str().to_owned(),
            chain: chain.as_str().to_owned(),
        });
    }
    db.end_person_sessions(chain.as_str(), member.id.as_str())?;
    db.upsert_person(&PersonRow {
        chain: chain.as_str().to_owned(),
        id: member.id.as_str().to_owned(),
        name: member.name.clone(),
        role: member.role.key().to_owned(),
        stores: member
            .stores
            .iter()
            .map(Slug::as_str)
            .collect::<Vec<_>>()
            .join(","),
        salt: password.salt.clone(),
        rounds: i64::from(password.rounds),
        hash: password.hash.clone(),
        active: true,
        failures: 0,
        last_failure_ms: None,
    })?;
    record(
        db,
        chain,
        None,
        by,
        ChangeKind::PersonChanged,
        member.id.as_str(),
        &[],
        now,
    )?;
    Ok(())
}

/// Hashes a chain person's password like a PIN (slow: off the async workers).
pub fn hash_password(password: &str) -> Result<PinHash, DbError> {
    hash_pin(password)
}

/// A chain person as the chain lists them; `None` for a row this build cannot read.
pub fn member_of(row: &PersonRow) -> Option<ChainMember> {
    Some(ChainMember {
        id: Slug::parse(&row.id).ok()?,
        name: row.name.clone(),
        role: ChainRole::parse(&row.role)?,
        stores: row
            .stores
            .split(',')
            .filter_map(|s| Slug::parse(s.trim()).ok())
            .collect(),
    })
}

/// Opens a chain person's sign-in attempt (their throttle, then the hash to check), like
/// [`super::staff::begin_login`].
pub fn begin_login(
    db: &mut dyn Access,
    chain: &Slug,
    id: &Slug,
    now: Timestamp,
) -> Result<Attempt, DbError> {
    let Some(row) = db
        .person(chain.as_str(), id.as_str())?
        .filter(|row| row.active && member_of(row).is_some())
    else {
        return Ok(Attempt::Check(None));
    };
    let mut throttle = PinThrottle {
        failures: u32::try_from(row.failures).unwrap_or(u32::MAX),
        last_failure: row.last_failure_ms.map(Timestamp),
    };
    match throttle.gate(now) {
        PinGate::Locked => return Ok(Attempt::Locked(throttle.lifts_at().unwrap_or(now))),
        PinGate::WaitUntil(until) => return Ok(Attempt::WaitUntil(until)),
        PinGate::Open => {}
    }
    throttle.fail(now);
    db.set_person_throttle(
        chain.as_str(),
        id.as_str(),
        i64::from(throttle.failures),
        throttle.last_failure.map(|t| t.0),
    )?;
    Ok(Attempt::Check(Some(password_hash(&row))))
}

/// A chain person's password hash.
pub fn password_hash(row: &PersonRow) -> PinHash {
    PinHash {
        salt: row.salt.clone(),
        rounds: u32::try_from(row.rounds).unwrap_or(0),
        hash: row.hash.clone(),
    }
}

/// Completes a chain person's sign-in whose password matched: clears their failures and keeps
/// the session's hash for [`ADMIN_SESSION_MS`]. `None` if they went away meanwhile.
pub fn succeed(
    db: &mut dyn Access,
    chain: &Slug,
    id: &Slug,
    token: &str,
    now: Timestamp,
) -> Result<Option<AdminSession>, DbError> {
    db.set_person_throttle(chain.as_str(), id.as_str(), 0, None)?;
    let holder = Holder::Chain {
        chain: chain.clone(),
        person: id.clone(),
    };
    let Some(signed) = reach_of(db, &holder, chain)? else {
        return Ok(None);
    };
    let hash = crate::secrets::sha256_hex(token);
    db.insert_chain_token(
        &hash,
        chain.as_str(),
        id.as_str(),
        now.0,
        now.0.saturating_add(ADMIN_SESSION_MS),
    )?;
    Ok(Some(AdminSession {
        token: token.to_owned(),
        chain: signed.chain,
        person: signed.person,
        reach: signed.reach,
    }))
}

/// What `holder` reaches in `chain`: `None` for a device token, a store session of someone who
/// is not an active manager, another chain's person or store, and anyone deactivated.
pub fn reach_of(
    db: &mut dyn Access,
    holder: &Holder,
    chain: &Slug,
) -> Result<Option<Signed>, DbError> {
    let Some(row) = db.chain(chain.as_str())? else {
        return Ok(None);
    };
    let info = ChainInfo {
        slug: chain.clone(),
        name: row.name,
    };
    let found = match holder {
        Holder::Chain { chain: own, person } if own == chain => db
            .person(chain.as_str(), person.as_str())?
            .filter(|row| row.active)
            .as_ref()
            .and_then(member_of)
            .map(|m| {
                let reach = match m.role {
                    ChainRole::Admin => Reach::ChainAdmin,
                    ChainRole::Area => Reach::Area { stores: m.stores },
                };
                (m.id, m.name, reach)
            }),
        Holder::Store {
            store,
            person: Some(person),
        } if db.store_chain(store.as_str())?.as_deref() == Some(chain.as_str()) => db
            .staff(store.as_str(), person.as_str())?
            .filter(|row| row.active && row.role == Role::Manager.key())
            .map(|row| {
                let reach = Reach::StoreManager {
                    store: store.clone(),
                };
                (person.clone(), row.name, reach)
            }),
        _ => None,
    };
    Ok(found.map(|(id, name, reach)| Signed {
        chain: info,
        person: AdminPerson { id, name },
        reach,
    }))
}

/// Keeps a change in the chain's history.
#[allow(clippy::too_many_arguments)]
pub fn record(
    db: &mut dyn Access,
    chain: &Slug,
    store: Option<&Slug>,
    by: &str,
    what: ChangeKind,
    subject: &str,
    fields: &[&str],
    now: Timestamp,
) -> Result<(), DbError> {
    let id = crate::secrets::new_id().map_err(|err| DbError::Random(err.to_string()))?;
    db.insert_change(&ChangeRow {
        id: id.to_string(),
        chain: chain.as_str().to_owned(),
        store: store.map(|s| s.as_str().to_owned()),
        at_ms: now.0,
        made_by: by.to_owned(),
        what: what.key().to_owned(),
        subject: subject.to_owned(),
        fields: fields.join(","),
    })
}

/// The chain's latest changes that `signed` may see, newest first: everything for a chain
/// administrator, the changes of their stores for anyone else.
pub fn history(db: &mut dyn Access, signed: &Signed) -> Result<History, DbError> {
    let changes = db
        .changes(signed.chain.slug.as_str(), HISTORY_MAX)?
        .into_iter()
        .filter_map(|row| {
            let store = match row.store {
                Some(s) => Some(Slug::parse(&s).ok()?),
                None => None,
            };
            let visible = match (&store, &signed.reach) {
                (_, Reach::ChainAdmin) => true,
                (Some(store), reach) => reach.sees(store),
                (None, _) => false,
            };
            visible.then_some(())?;
            Some(Change {
                at: Timestamp(row.at_ms),
                by: row.made_by,
                store,
                what: ChangeKind::parse(&row.what)?,
                subject: row.subject,
                fields: row
                    .fields
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect();
    Ok(History { changes })
}

/// The people who run the chain, for its administrators.
pub fn people(db: &mut dyn Access, signed: &Signed) -> Result<Option<People>, DbError> {
    if !signed.reach.edits_stores() {
        return Ok(None);
    }
    let people = db
        .people(signed.chain.slug.as_str())?
        .iter()
        .filter_map(|row| {
            Some(PersonEntry {
                member: member_of(row)?,
                active: row.active,
            })
        })
        .collect();
    Ok(Some(People { people }))
}

/// Adds or changes a chain person (its administrators only); `password` (already hashed)
/// resets theirs. A new password, a deactivation or a change of role or stores ends their
/// sessions at once. An administrator cannot take their own role or access away.
#[allow(clippy::too_many_arguments)]
pub fn put_person_setup(
    db: &mut dyn Access,
    signed: &Signed,
    id: &Slug,
    setup: &PersonSetup,
    password: Option<PinHash>,
    now: Timestamp,
) -> Result<Result<PersonEntry, super::setup::Refusal>, DbError> {
    use super::setup::Refusal;
    if !signed.reach.edits_stores() {
        return Ok(Err(Refusal::Forbidden));
    }
    let chain = signed.chain.slug.as_str();
    let old = db.person(chain, id.as_str())?;
    if let Err(e) = setup.check(old.is_none()) {
        return Ok(Err(Refusal::Invalid(e)));
    }
    let own = db.chain_stores(chain)?;
    if setup
        .stores
        .iter()
        .any(|s| !own.iter().any(|o| o == s.as_str()))
    {
        return Ok(Err(Refusal::Invalid(SetupError::Stores)));
    }
    let myself = matches!(&signed.reach, Reach::ChainAdmin) && signed.person.id == *id;
    if myself && (setup.role != ChainRole::Admin || !setup.active) {
        return Ok(Err(Refusal::Invalid(SetupError::OwnAccess)));
    }
    let stores = setup
        .stores
        .iter()
        .map(Slug::as_str)
        .collect::<Vec<_>>()
        .join(",");
    let (hash, failures, last) = match (&password, &old) {
        (Some(p), _) => (p.clone(), 0, None),
        (None, Some(o)) => (password_hash(o), o.failures, o.last_failure_ms),
        (None, None) => return Ok(Err(Refusal::Invalid(SetupError::PasswordNeeded))),
    };
    let ends = password.is_some()
        || !setup.active
        || old
            .as_ref()
            .is_some_and(|o| o.role != setup.role.key() || o.stores != stores);
    if ends {
        db.end_person_sessions(chain, id.as_str())?;
    }
    db.upsert_person(&PersonRow {
        chain: chain.to_owned(),
        id: id.as_str().to_owned(),
        name: setup.name.trim().to_owned(),
        role: setup.role.key().to_owned(),
        stores,
        salt: hash.salt,
        rounds: i64::from(hash.rounds),
        hash: hash.hash,
        active: setup.active,
        failures,
        last_failure_ms: last,
    })?;
    let mut fields = Vec::new();
    if let Some(o) = &old {
        for (field, differ) in [
            ("name", o.name != setup.name.trim()),
            ("role", o.role != setup.role.key()),
            (
                "stores",
                o.stores
                    != setup
                        .stores
                        .iter()
                        .map(Slug::as_str)
                        .collect::<Vec<_>>()
                        .join(","),
            ),
            ("active", o.active != setup.active),
            ("password", password.is_some()),
        ] {
            if differ {
                fields.push(field);
            }
        }
    }
    record(
        db,
        &signed.chain.slug,
        None,
        &signed.by(),
        ChangeKind::PersonChanged,
        id.as_str(),
        &fields,
        now,
    )?;
    Ok(Ok(PersonEntry {
        member: ChainMember {
            id: id.clone(),
            name: setup.name.trim().to_owned(),
            role: setup.role,
            stores: setup.stores.clone(),
        },
        active: setup.active,
    }))
}
