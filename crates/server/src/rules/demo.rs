//! The demo `seed-demo` makes: the demo store with its touchpoints and two staff members (a
//! staff member and a manager), and its chain with a chain administrator and an area manager.
//! Demo PINs and passwords only: they are printed, so they protect nothing.

use recovery_core::api::admin::ChainMember;
use recovery_core::{ChainRole, Role, Slug, StaffMember, all_languages};

use super::chains;
use super::staff::{AdminError, StoreSettings, hash_pin, member, pin_hash, put_staff, put_store};
use crate::store::{Database, DbError, Mode};

/// The demo store `seed-demo` makes.
pub const DEMO_STORE: &str = "demo";
/// The demo store's touchpoints.
pub const DEMO_TOUCHPOINTS: [&str; 4] =
    ["front-desk", "checkout-2", "fitting-room", "delivery-desk"];
/// Their display names, in the same order.
pub const DEMO_PLACES: [&str; 4] = ["Front desk", "Checkout 2", "Fitting rooms", "Delivery desk"];
/// The demo staff: id, name, role, limit in minor units, PIN. The PINs are
/// printed by `seed-demo` and `scripts/run.sh`: demo data only.
pub const DEMO_STAFF: [(&str, &str, Role, u32, &str); 2] = [
    ("ana", "Ana", Role::Staff, 2500, "246810"),
    ("max", "Max", Role::Manager, 100_000, "135790"),
];

/// One line `seed-demo` prints per person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    /// Where they sign in: the store, or `chain:<chain>` for a chain person.
    pub at: String,
    /// Their id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their role's key.
    pub role: &'static str,
    /// Their demo PIN or password.
    pub secret: &'static str,
}

/// The demo chain the demo store belongs to.
pub const DEMO_CHAIN: &str = "demo";
/// The demo chain's people: id, name, role, the stores an area manager looks after, password.
pub const DEMO_PEOPLE: [(&str, &str, ChainRole, &[&str], &str); 2] = [
    ("cleo", "Cleo", ChainRole::Admin, &[], "demo-admin-cleo"),
    ("ari", "Ari", ChainRole::Area, &["demo"], "demo-area-ari"),
];

/// Creates (or brings back to its demo settings) the demo store and its two
/// staff members. A member whose stored PIN already is the demo PIN and
/// whose details match is left alone (so seeding again costs nothing and
/// keeps their failed attempts); anyone else is written afresh.
pub async fn seed_demo(db: &Database) -> Result<Vec<DemoLogin>, AdminError> {
    let store = Slug::parse(DEMO_STORE).map_err(|_| AdminError::NoStore(DEMO_STORE.into()))?;
    let mut settings = StoreSettings::new(store.clone(), "Demo store");
    settings.touchpoints = Some(
        DEMO_TOUCHPOINTS
            .iter()
            .filter_map(|t| Slug::parse(t).ok())
            .collect(),
    );
    settings.places = DEMO_TOUCHPOINTS
        .iter()
        .zip(DEMO_PLACES)
        .filter_map(|(t, name)| Some((Slug::parse(t).ok()?, name.to_owned())))
        .collect();
    settings.ack_minutes = 5;
    settings.resolve_hours = 24;
    settings.follow_up_days = 3;
    settings.languages = Some(all_languages());
    let chain = Slug::parse(DEMO_CHAIN).map_err(|_| AdminError::NoChain(DEMO_CHAIN.into()))?;
    settings.chain = Some(chain.clone());
    {
        let settings = settings.clone();
        db.transaction(Mode::Write, move |db| {
            if db.chain(chain.as_str())?.is_none() {
                chains::put_chain(db, &chain, "Demo chain")?;
            }
            put_store(db, &settings)
        })
        .await?;
    }
    let mut logins = Vec::new();
    for (id, name, role, limit_minor, pin) in DEMO_STAFF {
        let member = StaffMember {
            id: Slug::parse(id).map_err(|_| AdminError::NoStore(DEMO_STORE.into()))?,
            name: name.into(),
            role,
            limit_minor,
        };
        let existing = {
            let (store, id) = (store.clone(), member.id.clone());
            db.transaction(Mode::Read, move |db| db.staff(store.as_str(), id.as_str()))
                .await?
        };
        let wanted = member.clone();
        let up_to_date = tokio::task::spawn_blocking(move || {
            existing.is_some_and(|row| {
                row.active
                    && self::member(&row).as_ref() == Some(&wanted)
                    && pin_hash(&row).is_some_and(|hash| hash.verify(pin))
            })
        })
        .await
        .map_err(|err| DbError::Task(err.to_string()))?;
        if !up_to_date {
            let hash = tokio::task::spawn_blocking(move || hash_pin(pin))
                .await
                .map_err(|err| DbError::Task(err.to_string()))??;
            let (store, member) = (store.clone(), member.clone());
            db.transaction(Mode::Write, move |db| {
                Ok(put_staff(db, &store, &member, &hash))
            })
            .await??;
        }
        logins.push(DemoLogin {
            at: DEMO_STORE.into(),
            id: member.id.as_str().to_owned(),
            name: member.name,
            role: member.role.key(),
            secret: pin,
        });
    }
    seed_chain(db, &mut logins).await?;
    Ok(logins)
}

/// The demo chain's people, made (or brought back) like the demo staff.
async fn seed_chain(db: &Database, logins: &mut Vec<DemoLogin>) -> Result<(), AdminError> {
    let chain = Slug::parse(DEMO_CHAIN).map_err(|_| AdminError::NoChain(DEMO_CHAIN.into()))?;
    for (id, name, role, stores, password) in DEMO_PEOPLE {
        let member = ChainMember {
            id: Slug::parse(id).map_err(|_| AdminError::NoChain(DEMO_CHAIN.into()))?,
            name: name.into(),
            role,
            stores: stores.iter().filter_map(|s| Slug::parse(s).ok()).collect(),
        };
        let existing = {
            let (chain, id) = (chain.clone(), member.id.clone());
            db.transaction(Mode::Read, move |db| db.person(chain.as_str(), id.as_str()))
                .await?
        };
        let wanted = member.clone();
        let up_to_date = tokio::task::spawn_blocking(move || {
            existing.is_some_and(|row| {
                chains::member_of(&row).as_ref() == Some(&wanted)
                    && row.active
                    && chains::password_hash(&row).verify_password(password)
            })
        })
        .await
        .map_err(|err| DbError::Task(err.to_string()))?;
        if !up_to_date {
            let hash = tokio::task::spawn_blocking(move || chains::hash_password(password))
                .await
                .map_err(|err| DbError::Task(err.to_string()))??;
            let (chain, member) = (chain.clone(), member.clone());
            let now = recovery_core::Timestamp(crate::store::now_ms());
            db.transaction(Mode::Write, move |db| {
                Ok(chains::put_person(
                    db,
                    &chain,
                    &member,
                    &hash,
                    chains::OPERATOR,
                    now,
                ))
            })
            .await??;
        }
        logins.push(DemoLogin {
            at: format!("chain:{DEMO_CHAIN}"),
            id: id.into(),
            name: name.into(),
            role: role.key(),
            secret: password,
        });
    }
    Ok(())
}
