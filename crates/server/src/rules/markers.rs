//! A store's markers for changes ([`recovery_core::Marker`]): listed for anyone on its staff
//! (and its devices), marked and removed by its managers only, each signed in as themselves
//! (a device token marks nothing: a marker records who made it). Like the other rules, in
//! one transaction through [`Access`]; nothing here knows HTTP or SQL.

use recovery_core::{MARKERS_MAX, Marker, MarkerError, NewMarker, Role, Slug, Timestamp};
use uuid::Uuid;

use super::chains::Signed;
use super::staff::member;
use super::sync::{Credential, Holder};
use crate::store::markers::CHAIN_PREFIX;
use crate::store::{Access, DbError};

/// Why a change to the markers was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a manager of the store signed in as themselves.
    NotManager,
    /// The marker itself is not acceptable.
    Invalid(MarkerError),
    /// The store already keeps [`MARKERS_MAX`] markers.
    TooMany,
    /// No such marker in the store (or it was removed already).
    NotFound,
}

/// The manager behind `credential`, or why not.
fn manager(db: &mut dyn Access, credential: &Credential) -> Result<Result<Slug, Refusal>, DbError> {
    let Holder::Person(id) = &credential.holder else {
        return Ok(Err(Refusal::NotManager));
    };
    let row = db.staff(credential.store.as_str(), id.as_str())?;
    Ok(match row.as_ref().and_then(member) {
        Some(m) if m.role == Role::Manager => Ok(m.id),
        _ => Err(Refusal::NotManager),
    })
}

/// Keeps a new marker of the credential's store, made by its manager at `now` with the id
/// `id`; the marker as kept.
pub fn add(
    db: &mut dyn Access,
    credential: &Credential,
    change: NewMarker,
    id: Uuid,
    now: Timestamp,
) -> Result<Result<Marker, Refusal>, DbError> {
    let by = match manager(db, credential)? {
        Ok(by) => by,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let change = match change.validate(now) {
        Ok(change) => change,
        Err(e) => return Ok(Err(Refusal::Invalid(e))),
    };
    let store = credential.store.as_str();
    if let Some(touchpoint) = &change.touchpoint {
        let places = db.touchpoints(store)?;
        if !places.iter().any(|(slug, _)| slug == touchpoint.as_str()) {
            return Ok(Err(Refusal::Invalid(MarkerError::UnknownTouchpoint)));
        }
    }
    if db.markers(store)?.len() >= MARKERS_MAX {
        return Ok(Err(Refusal::TooMany));
    }
    let marker = Marker {
        id,
        change,
        by: by.as_str().to_string(),
        marked_at: now,
        chain: false,
    };
    db.insert_marker(store, &marker)?;
    Ok(Ok(marker))
}

/// Removes the store's marker `id` (its row stays, with who removed it and when).
pub fn remove(
    db: &mut dyn Access,
    credential: &Credential,
    id: Uuid,
    now: Timestamp,
) -> Result<Result<(), Refusal>, DbError> {
    let by = match manager(db, credential)? {
        Ok(by) => by,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let store = credential.store.as_str();
    let removed = db.remove_marker(store, &id.to_string(), by.as_str(), now.0)?;
    Ok(if removed {
        Ok(())
    } else {
        Err(Refusal::NotFound)
    })
}

/// The markers a store's charts show: its own and its chain's, oldest change first.
pub fn list(db: &mut dyn Access, store: &Slug) -> Result<Vec<Marker>, DbError> {
    let mut markers = db.markers(store.as_str())?;
    if let Some(chain) = db.store_chain(store.as_str())? {
        markers.extend(db.markers(&[CHAIN_PREFIX, &chain].concat())?);
        markers.sort_by_key(|m| (m.change.at, m.id));
    }
    Ok(markers)
}

/// The changes marked for the whole chain, oldest first.
pub fn chain_list(db: &mut dyn Access, chain: &Slug) -> Result<Vec<Marker>, DbError> {
    db.markers(&[CHAIN_PREFIX, chain.as_str()].concat())
}

/// Marks a change to the whole chain (a chain administrator only): it concerns every store,
/// so it names no touchpoint (one kind of complaint, perhaps).
pub fn add_chain(
    db: &mut dyn Access,
    signed: &Signed,
    change: NewMarker,
    id: Uuid,
    now: Timestamp,
) -> Result<Result<Marker, Refusal>, DbError> {
    if !signed.reach.edits_stores() {
        return Ok(Err(Refusal::NotManager));
    }
    let change = match change.validate(now) {
        Ok(change) if change.touchpoint.is_none() => change,
        Ok(_) => return Ok(Err(Refusal::Invalid(MarkerError::UnknownTouchpoint))),
        Err(e) => return Ok(Err(Refusal::Invalid(e))),
    };
    let key = [CHAIN_PREFIX, signed.chain.slug.as_str()].concat();
    if db.markers(&key)?.len() >= MARKERS_MAX {
        return Ok(Err(Refusal::TooMany));
    }
    let marker = Marker {
        id,
        change,
        by: signed.by(),
        marked_at: now,
        chain: true,
    };
    db.insert_marker(&key, &marker)?;
    Ok(Ok(marker))
}

/// Removes one of the chain's markers (a chain administrator only; its row stays).
pub fn remove_chain(
    db: &mut dyn Access,
    signed: &Signed,
    id: Uuid,
    now: Timestamp,
) -> Result<Result<(), Refusal>, DbError> {
    if !signed.reach.edits_stores() {
        return Ok(Err(Refusal::NotManager));
    }
    let key = [CHAIN_PREFIX, signed.chain.slug.as_str()].concat();
    let removed = db.remove_marker(&key, &id.to_string(), &signed.by(), now.0)?;
    Ok(if removed {
        Ok(())
    } else {
        Err(Refusal::NotFound)
    })
}
