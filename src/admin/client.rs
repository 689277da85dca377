//! The web admin's talk with the server: the sign-ins (a chain person's password, or a store
//! manager's store PIN), the chain's routes, and the session kept in this browser's storage
//! (so a reload keeps it) until it ends or the person signs out.
//!
//! Answers are read into the core's wire types; every failure is one [`Failed`], which the
//! screens put into words. No screen calls the network itself.

use std::time::Duration;

use crate::shared::platform::net::{self, Auth, Reply};
use crate::shared::platform::storage;
use recovery_core::api::admin::{
    self as wire, AdminSession, ChainLogin, ChainView, History, IssuedToken, NewToken, People,
    PersonEntry, RecipientKey, Recipients, Roster, RosterEntry, SavedRecipient, StoreView, Tokens,
    Visits,
};
use recovery_core::api::{ErrorBody, LoginRequest, Session};
use recovery_core::insights::Comparison;
use recovery_core::{
    Marker, NewMarker, PersonSetup, RecipientSetup, ShiftPlan, Slug, StaffSetup, StoreSetup,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

const DEADLINE: Duration = Duration::from_secs(20);

/// Why a call did not give what was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failed {
    /// No answer.
    Unreachable,
    /// The session ended (401): sign in again.
    Ended,
    /// A wrong password or PIN.
    Wrong,
    /// Too many wrong tries: wait this many seconds.
    Wait(u64),
    /// Sign-in locked for a while.
    Locked,
    /// The asker may not do this (403).
    Forbidden,
    /// A store manager's PIN was right, but they are not a manager (or the store is not the
    /// chain's).
    NotManager,
    /// The rules refused it, with their code (`setup_name`, `store_taken`...).
    Refused(String),
    /// Anything else.
    Other,
}

fn failed(reply: &Reply) -> Failed {
    let code = serde_json::from_str::<ErrorBody>(&reply.body)
        .map(|b| b.error)
        .unwrap_or_default();
    match (reply.status, code.as_str()) {
        (401, "wrong_pin") => Failed::Wrong,
        (401, _) => Failed::Ended,
        (423, _) => Failed::Locked,
        (429, _) => Failed::Wait(reply.retry_after_secs.unwrap_or(30)),
        (403, _) => Failed::Forbidden,
        (404, _) => Failed::Forbidden,
        (409 | 422, code) => Failed::Refused(code.to_owned()),
        _ => Failed::Other,
    }
}

fn read<T: DeserializeOwned>(reply: Result<Reply, net::NetError>, ok: u16) -> Result<T, Failed> {
    let reply = reply.map_err(|_| Failed::Unreachable)?;
    if reply.status != ok {
        return Err(failed(&reply));
    }
    serde_json::from_str(&reply.body).map_err(|_| Failed::Other)
}

/// A `DELETE`'s answer: 204 or why not.
fn deleted(reply: Result<Reply, net::NetError>) -> Result<(), Failed> {
    let reply = reply.map_err(|_| Failed::Unreachable)?;
    if reply.status == 204 {
        Ok(())
    } else {
        Err(failed(&reply))
    }
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn key(chain: &Slug) -> String {
    ["srk.admin.", chain.as_str()].concat()
}

/// The session this browser keeps for `chain`, if any.
pub fn kept_token(chain: &Slug) -> Option<String> {
    storage::read_text(&key(chain)).filter(|t| !t.is_empty())
}

/// Keeps (or, with `None`, forgets) the session for `chain`.
pub fn keep_token(chain: &Slug, token: Option<&str>) {
    // A browser that keeps nothing only loses the session at the next reload.
    let _ = match token {
        Some(token) => storage::write_text(&key(chain), token),
        None => storage::remove_text(&key(chain)),
    };
}

/// A chain person's sign-in.
pub async fn sign_in_person(
    chain: &Slug,
    person: &str,
    password: &str,
) -> Result<AdminSession, Failed> {
    let body = json(&ChainLogin {
        person: person.to_owned(),
        password: password.to_owned(),
    });
    read(
        net::request(&wire::chain_login_url(chain), Some(&body), None, DEADLINE).await,
        200,
    )
}

/// A store manager's sign-in with their store PIN: the session's token (what it reaches is
/// the chain's to say, see [`chain`]).
pub async fn sign_in_manager(store: &Slug, staff: &str, pin: &str) -> Result<String, Failed> {
    let body = json(&LoginRequest {
        staff: staff.to_owned(),
        pin: pin.to_owned(),
        public_key: None,
    });
    let url = ["/api/v1/stores/", store.as_str(), "/staff/login"].concat();
    let session: Session = read(net::request(&url, Some(&body), None, DEADLINE).await, 200)?;
    Ok(session.token)
}

/// The chain as the session reaches it.
pub async fn chain(chain: &Slug, token: &str) -> Result<ChainView, Failed> {
    let url = wire::chain_url(chain);
    read(
        net::request(&url, None, Some(Auth::Bearer(token)), DEADLINE).await,
        200,
    )
}

/// Creates or changes a store.
pub async fn put_store(
    chain: &Slug,
    store: &Slug,
    setup: &StoreSetup,
    token: &str,
) -> Result<StoreView, Failed> {
    let url = wire::chain_store_url(chain, store, "");
    read(
        net::put(&url, &json(setup), Auth::Bearer(token), DEADLINE).await,
        200,
    )
}

/// Replaces a store's shift plan.
pub async fn put_shifts(
    chain: &Slug,
    store: &Slug,
    plan: &ShiftPlan,
    token: &str,
) -> Result<StoreView, Failed> {
    let url = wire::chain_store_url(chain, store, "/shifts");
    read(
        net::put(&url, &json(plan), Auth::Bearer(token), DEADLINE).await,
        200,
    )
}

/// A store's visits by day.
pub async fn visits(chain: &Slug, store: &Slug, token: &str) -> Result<Visits, Failed> {
    let url = wire::chain_store_url(chain, store, "/visits");
    read(
        net::request(&url, None, Some(Auth::Bearer(token)), DEADLINE).await,
        200,
    )
}

/// Tells a store's visits on some days.
pub async fn put_visits(
    chain: &Slug,
    store: &Slug,
    told: &Visits,
    token: &str,
) -> Result<Visits, Failed> {
    let url = wire::chain_store_url(chain, store, "/visits");
    read(
        net::put(&url, &json(told), Auth::Bearer(token), DEADLINE).await,
        200,
    )
}

/// Who hears of a store's cases.
pub async fn recipients(chain: &Slug, store: &Slug, token: &str) -> Result<Recipients, Failed> {
    let url = wire::chain_store_url(chain, store, "/recipients");
    read(
        net::request(&url, None, Some(Auth::Bearer(token)), DEADLINE).await,
        200,
    )
}

/// Adds or changes a recipient of a store's notifications.
pub async fn put_recipient(
    chain: &Slug,
    store: &Slug,
    setup: &RecipientSetup,
    token: &str,
) -> Result<SavedRecipient, Failed> {
    let url = wire::chain_store_url(chain, store, "/recipients");
    read(
        net::put(&url, &json(setup), Auth::Bearer(token), DEADLINE).await,
        200,
    )
}

/// Removes a recipient of a store's notifications.
pub async fn remove_recipient(
    chain: &Slug,
    store: &Slug,
    key: &RecipientKey,
    token: &str,
) -> Result<(), Failed> {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("channel", key.channel.name())
        .append_pair("address", &key.address)
        .finish();
    let url = wire::chain_store_url(chain, store, &["/recipients?", &query].concat());
    deleted(net::delete(&url, Auth::Bearer(token), DEADLINE).await)
}

/// A store's roster.
pub async fn roster(chain: &Slug, store: &Slug, token: &str) -> Result<Roster, Failed> {
    let url = wire::chain_store_url(chain, store, "/staff");
    read(
        net::request(&url, None, Some(Auth::Bearer(token)), DEADLINE).await,
        200,
    )
}

/// Adds or changes a person.
pub async fn put_person(
    chain: &Slug,
    store: &Slug,
    id: &Slug,
    setup: &StaffSetup,
    token: &str,
) -> Result<RosterEntry, Failed> {
    let url = wire::chain_store_url(chain, store, &["/staff/", id.as_str()].concat());
    read(
        net::put(&url, &json(setup), Auth::Bearer(token), DEADLINE).await,
        200,
    )
}

/// A store's tokens.
pub async fn tokens(chain: &Slug, store: &Slug, token: &str) -> Result<Tokens, Failed> {
    let url = wire::chain_store_url(chain, store, "/tokens");
    read(
        net::request(&url, None, Some(Auth::Bearer(token)), DEADLINE).await,
        200,
    )
}

/// Issues a device token.
pub async fn issue(
    chain: &Slug,
    store: &Slug,
    asked: &NewToken,
    token: &str,
) -> Result<IssuedToken, Failed> {
    let url = wire::chain_store_url(chain, store, "/tokens");
    let body = json(asked);
    read(
        net::request(&url, Some(&body), Some(Auth::Bearer(token)), DEADLINE).await,
        201,
    )
}

/// Revokes a token by its id.
pub async fn revoke(chain: &Slug, store: &Slug, id: &str, token: &str) -> Result<(), Failed> {
    let url = wire::chain_store_url(chain, store, &["/tokens/", id].concat());
    deleted(net::delete(&url, Auth::Bearer(token), DEADLINE).await)
}

/// The chain's stores side by side for a period: `query` is `tz=..&from=..&to=..` (checked dates).
pub async fn compare(chain: &Slug, query: &str, token: &str) -> Result<Comparison, Failed> {
    let url = [&wire::chain_url(chain), "/compare?", query].concat();
    read(
        net::request(&url, None, Some(Auth::Bearer(token)), DEADLINE).await,
        200,
    )
}

/// Marks a change for the whole chain.
pub async fn add_chain_marker(
    chain: &Slug,
    change: &NewMarker,
    token: &str,
) -> Result<Marker, Failed> {
    let url = [&wire::chain_url(chain), "/markers"].concat();
    let body = json(change);
    read(
        net::request(&url, Some(&body), Some(Auth::Bearer(token)), DEADLINE).await,
        201,
    )
}

/// Removes one of the chain's markers.
pub async fn remove_chain_marker(chain: &Slug, id: &str, token: &str) -> Result<(), Failed> {
    let url = [&wire::chain_url(chain), "/markers/", id].concat();
    deleted(net::delete(&url, Auth::Bearer(token), DEADLINE).await)
}

/// The people who run the chain.
pub async fn people(chain: &Slug, token: &str) -> Result<People, Failed> {
    let url = [&wire::chain_url(chain), "/people"].concat();
    read(
        net::request(&url, None, Some(Auth::Bearer(token)), DEADLINE).await,
        200,
    )
}

/// Adds or changes a chain person.
pub async fn put_chain_person(
    chain: &Slug,
    id: &Slug,
    setup: &PersonSetup,
    token: &str,
) -> Result<PersonEntry, Failed> {
    let url = [&wire::chain_url(chain), "/people/", id.as_str()].concat();
    read(
        net::put(&url, &json(setup), Auth::Bearer(token), DEADLINE).await,
        200,
    )
}

/// The history of changes the session may see.
pub async fn history(chain: &Slug, token: &str) -> Result<History, Failed> {
    let url = wire::chain_history_url(chain);
    read(
        net::request(&url, None, Some(Auth::Bearer(token)), DEADLINE).await,
        200,
    )
}
