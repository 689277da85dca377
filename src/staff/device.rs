//! What a shared staff tablet keeps for one store, and how it talks to the server.
//!
//! Kept in `localStorage` under `srk1:staff:<store>:*` as JSON: the store's profile and roster
//! from the last online sign-in, one personal signing key per person who signed in online here,
//! sealed under a key derived from their PIN (never the PIN; see `recovery_core::proof`), the
//! failed-attempt throttle and the latest session token (the store's cases are `keep`'s, in
//! IndexedDB). Anything unreadable is ignored and reported, never fatal: the tablet then asks
//! for an online sign-in again.

use crate::shared::platform::{clock, env, journal, net, storage};
use recovery_core::api;
use recovery_core::proof::{NONCE_BYTES, SALT_BYTES, SEED_BYTES, SealedKey, Signer};
use recovery_core::{
    Case, Event, Marker, Markers, NewMarker, PinThrottle, Slug, StaffMember, StoreProfile,
    Timestamp,
};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How long a sign-in or pull may take before the tablet works offline instead.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// What the tablet knows about one store's staff.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Roster {
    /// The store's settings, from the last online sign-in.
    pub profile: Option<StoreProfile>,
    /// Its active staff.
    pub staff: Vec<StaffMember>,
    /// The signing keys of the people who signed in online on this tablet, each sealed under
    /// their PIN: opening one is also the offline PIN check. (Releases before signing kept a
    /// PIN hash per person instead; those are no longer read: such a person signs in online
    /// once more.)
    #[serde(default)]
    pub keys: Vec<SealedKey>,
    /// The latest session token (for pulls and pushes).
    pub token: Option<String>,
    /// Failed attempts on this tablet.
    pub throttle: PinThrottle,
    /// The server refused the session (a new PIN, a deactivated person, a revoked token): the
    /// tablet asks for an online sign-in.
    #[serde(default)]
    pub signed_out: bool,
}

/// Where the tablet stands in its store's stream of events (kept with its cases, `keep`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pulled {
    /// The server's cursor after the last event the tablet holds.
    pub cursor: i64,
    /// The events themselves, as releases before `keep` kept them in `localStorage`: read
    /// once (into the ledger and then `keep`), never written.
    #[serde(default, skip_serializing)]
    pub events: Vec<Event>,
    /// When the last pull succeeded.
    pub at: Option<Timestamp>,
    /// How far this tablet's clock is behind the server's (ms), learnt at the last pull (see
    /// `recovery_core::DeviceClock`); absent until a server said its time.
    #[serde(default)]
    pub skew_ms: Option<i64>,
}

fn key(store: &Slug, what: &str) -> String {
    ["srk1:staff:", store.as_str(), ":", what].concat()
}

pub(super) fn read<T: for<'de> Deserialize<'de> + Default>(store: &Slug, what: &str) -> T {
    let text = storage::read_text(&key(store, what));
    match text.map(|t| serde_json::from_str(&t)) {
        Some(Ok(v)) => v,
        Some(Err(_)) => {
            env::log_warning("ignored unreadable staff data", &key(store, what));
            T::default()
        }
        None => T::default(),
    }
}

/// Writes a value; `false` when storage is full or blocked (the tablet keeps working from
/// memory and says so).
pub(super) fn write<T: Serialize>(store: &Slug, what: &str, value: &T) -> bool {
    serde_json::to_string(value)
        .is_ok_and(|text| storage::write_text(&key(store, what), &text).is_ok())
}

/// [`write`], and the same text into the durable journal (`platform::journal`), for what a
/// browser killed a moment later must not lose: the steps not yet sent, the roster.
pub(super) fn write_durable<T: Serialize>(store: &Slug, what: &str, value: &T) -> bool {
    let Ok(text) = serde_json::to_string(value) else {
        return false;
    };
    let key = key(store, what);
    let quick = storage::write_text(&key, &text).is_ok();
    journal::put(
        &key,
        &text,
        Box::new(|outcome| {
            if let Err(e) = outcome {
                env::log_warning("the journal refused staff data", &e.to_string());
            }
        }),
    );
    quick
}

/// What the journal holds for `what` (nothing when it holds nothing readable), handed to
/// `found` once read.
pub(super) fn journaled<T: for<'de> Deserialize<'de> + 'static>(
    store: &Slug,
    what: &str,
    found: impl FnOnce(T) + 'static,
) {
    journal::read(&key(store, what), move |text| {
        if let Some(value) = text.and_then(|t| serde_json::from_str(&t).ok()) {
            found(value);
        }
    });
}

/// The roster this tablet keeps for `store`.
pub fn load_roster(store: &Slug) -> Roster {
    read(store, "roster")
}

/// Whether this tablet's working copy holds a roster for `store`.
pub fn has_roster(store: &Slug) -> bool {
    has(store, "roster")
}

/// Keeps the roster (durably: the session and the sealed keys).
pub fn save_roster(store: &Slug, roster: &Roster) -> bool {
    write_durable(store, "roster", roster)
}

/// What releases before `keep` kept of the pulled events in `localStorage`, if anything.
pub fn legacy_pulled(store: &Slug) -> Option<Pulled> {
    has(store, "pulled").then(|| read(store, "pulled"))
}

/// Forgets that, once `keep` has it.
pub fn forget_legacy_pulled(store: &Slug) {
    let _ = storage::remove_text(&key(store, "pulled"));
}

fn has(store: &Slug, what: &str) -> bool {
    storage::read_text(&key(store, what)).is_some()
}

/// A fresh signing key's seed, from the browser's random source.
pub fn new_seed() -> [u8; SEED_BYTES] {
    let mut seed = [0u8; SEED_BYTES];
    env::random_bytes(&mut seed);
    seed
}

/// `staff`'s key `key_id` of `seed`, sealed under `pin` with a fresh salt and nonce.
pub fn seal(staff: &Slug, key_id: &str, seed: &[u8; SEED_BYTES], pin: &str) -> SealedKey {
    let mut salt = [0u8; SALT_BYTES];
    let mut nonce = [0u8; NONCE_BYTES];
    env::random_bytes(&mut salt);
    env::random_bytes(&mut nonce);
    SealedKey::seal(staff, key_id, seed, pin, &salt, &nonce)
}

/// What the server said to a sign-in.
#[derive(Clone, Debug, PartialEq)]
pub enum Login {
    /// Welcome: who, the store, its roster and a session token.
    Ok {
        /// The person.
        staff: StaffMember,
        /// The store.
        profile: Box<StoreProfile>,
        /// Its active staff.
        roster: Vec<StaffMember>,
        /// Session token.
        token: String,
        /// The id the server registered the signing key under.
        key_id: String,
    },
    /// Wrong PIN or unknown person.
    Wrong,
    /// Too many failures: wait this many seconds.
    Wait(u64),
    /// Locked on the server until an operator unlocks (a server too old to say when the
    /// lock lifts by itself).
    Locked,
    /// No usable answer (offline, timeout, a server error or garbage).
    NoAnswer,
}

/// Signs in online, registering the public half of `seed` as the person's signing key.
pub async fn login(store: &Slug, staff: &str, pin: &str, seed: &[u8; SEED_BYTES]) -> Login {
    let url = api::login_url(store);
    let body = serde_json::to_string(&api::LoginRequest {
        staff: staff.to_owned(),
        pin: pin.to_owned(),
        public_key: Some(Signer::public_key_of(seed)),
    })
    .unwrap_or_default();
    match net::request(&url, Some(&body), None, DEADLINE).await {
        Ok(r) if r.status == 200 => match serde_json::from_str::<api::Session>(&r.body) {
            Ok(api::Session {
                token,
                staff,
                profile,
                roster,
                key_id: Some(key_id),
            }) => Login::Ok {
                staff,
                profile: Box::new(profile),
                roster,
                token,
                key_id,
            },
            // A server too old to register keys, or garbage: not a usable answer.
            _ => Login::NoAnswer,
        },
        Ok(r) if r.status == 401 => Login::Wrong,
        Ok(r) if r.status == 429 => Login::Wait(r.retry_after_secs.unwrap_or(5)),
        // A server lock lifts by itself after Retry-After: that is a wait, in words.
        Ok(r) if r.status == 423 => r.retry_after_secs.map_or(Login::Locked, Login::Wait),
        _ => Login::NoAnswer,
    }
}

/// The store's alerts from the server (`None` when it could not be read: keep what was shown).
pub async fn alerts(store: &Slug, token: &str) -> Option<Vec<api::StoreAlert>> {
    let reply = net::request(
        &api::alerts_url(store),
        None,
        Some(net::Auth::Bearer(token)),
        DEADLINE,
    )
    .await
    .ok()
    .filter(|r| r.status == 200)?;
    serde_json::from_str::<api::StoreAlerts>(&reply.body)
        .ok()
        .map(|a| a.alerts)
}

/// Why marking or removing a change did not happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkFailed {
    /// The server could not be reached, or answered with something unexpected.
    NoAnswer,
    /// Only a manager signed in as themselves may (403).
    NotManager,
    /// A rule refused it: the server's code (`label_empty`, `too_many_markers`, ...).
    Refused(String),
}

/// The store's markers for changes from the server, kept on the tablet for offline use;
/// `None` when they could not be read (then [`kept_markers`] has the last ones).
pub async fn markers(store: &Slug, token: &str) -> Option<Vec<Marker>> {
    let auth = Some(net::Auth::Bearer(token));
    let reply = net::request(&api::markers_url(store), None, auth, DEADLINE)
        .await
        .ok()
        .filter(|r| r.status == 200)?;
    let markers = serde_json::from_str::<Markers>(&reply.body).ok()?;
    write(store, "markers", &markers);
    Some(markers.markers)
}

/// The markers this tablet last read.
pub fn kept_markers(store: &Slug) -> Vec<Marker> {
    read::<Markers>(store, "markers").markers
}

/// Marks a change; the marker as the server kept it.
pub async fn add_marker(
    store: &Slug,
    token: &str,
    change: &NewMarker,
) -> Result<Marker, MarkFailed> {
    let body = serde_json::to_string(change).map_err(|_| MarkFailed::NoAnswer)?;
    let auth = Some(net::Auth::Bearer(token));
    let reply = net::request(&api::markers_url(store), Some(&body), auth, DEADLINE)
        .await
        .map_err(|_| MarkFailed::NoAnswer)?;
    match reply.status {
        201 => serde_json::from_str(&reply.body).map_err(|_| MarkFailed::NoAnswer),
        status => Err(mark_failed(status, &reply.body)),
    }
}

/// Removes a marker.
pub async fn remove_marker(store: &Slug, token: &str, id: &str) -> Result<(), MarkFailed> {
    let url = [&api::markers_url(store), "/", id].concat();
    let reply = net::delete(&url, net::Auth::Bearer(token), DEADLINE)
        .await
        .map_err(|_| MarkFailed::NoAnswer)?;
    match reply.status {
        // Already gone (removed on another tablet) is as good as removed.
        204 | 404 => Ok(()),
        status => Err(mark_failed(status, &reply.body)),
    }
}

fn mark_failed(status: u16, body: &str) -> MarkFailed {
    match status {
        403 => MarkFailed::NotManager,
        422 => serde_json::from_str::<api::ErrorBody>(body)
            .map_or(MarkFailed::NoAnswer, |e| MarkFailed::Refused(e.error)),
        _ => MarkFailed::NoAnswer,
    }
}

/// Learns the tablet's skew from a page the server answered at `now`, asked at `before` (wall
/// clock) and taking `took` ms.
fn learn_skew(pulled: &mut Pulled, now: i64, before: Timestamp, took: f64) {
    if now > 0 {
        // The server answered half-way through the round trip, as far as anyone can tell.
        let midway = before.0 + (took / 2.0) as i64;
        pulled.skew_ms = Some(now - midway);
    }
}

/// One page from the server: its body, and the skew it teaches. `Err` with the status (0:
/// no answer).
async fn page(url: &str, token: &str) -> Result<(String, Timestamp, f64), u16> {
    let asked = clock::monotonic_ms();
    let before = clock::now();
    let reply = net::request(url, None, Some(net::Auth::Bearer(token)), DEADLINE)
        .await
        .map_err(|_| 0u16)?;
    if reply.status != 200 {
        return Err(reply.status);
    }
    Ok((reply.body, before, clock::monotonic_ms() - asked))
}

/// Pulls every event after `pulled.cursor`, page by page, handing each page's events to
/// `each` and moving the cursor past them. `Err` when the server could not be reached or
/// answered something else than events; the pages before that count.
pub async fn pull(
    store: &Slug,
    token: &str,
    pulled: &mut Pulled,
    mut each: impl FnMut(Vec<Event>),
) -> Result<usize, u16> {
    let mut got = 0;
    loop {
        let url = api::pull_url(store, pulled.cursor, 500);
        let (body, before, took) = page(&url, token).await?;
        // Events read one by one: one this build does not understand is skipped, not fatal.
        let body: api::PullPage<serde_json::Value> =
            serde_json::from_str(&body).map_err(|_| 0u16)?;
        got += body.events.len();
        each(
            body.events
                .into_iter()
                .filter_map(|e| serde_json::from_value::<Event>(e.event).ok())
                .collect(),
        );
        pulled.cursor = pulled.cursor.max(body.next);
        learn_skew(pulled, body.now, before, took);
        if !body.more {
            return Ok(got);
        }
    }
}

/// Cases read per page when signing in.
const CASES_PER_PAGE: usize = 1000;

/// A page asked for before the one before it is read: the request runs while the tablet
/// reads the page it has (`future_to_promise` starts it at once).
struct Ahead {
    done: js_sys::Promise,
    got: std::rc::Rc<std::cell::RefCell<Option<Page>>>,
}

type Page = Result<(String, Timestamp, f64), u16>;

impl Ahead {
    fn ask(url: String, token: String) -> Ahead {
        let got = std::rc::Rc::new(std::cell::RefCell::new(None));
        let fill = got.clone();
        let done = wasm_bindgen_futures::future_to_promise(async move {
            let reply = page(&url, &token).await;
            *fill.borrow_mut() = Some(reply);
            Ok(wasm_bindgen::JsValue::UNDEFINED)
        });
        Ahead { done, got }
    }

    async fn reply(self) -> Page {
        let _ = wasm_bindgen_futures::JsFuture::from(self.done).await;
        self.got.borrow_mut().take().unwrap_or(Err(0))
    }
}

/// Where a page of cases ends: read first (the cases skipped unread), so the next page is
/// asked for while this one is read.
#[derive(Deserialize)]
struct PageEnd {
    next: i64,
    more: bool,
    now: i64,
}

/// Reads `part` of the store's cases as the server keeps them (its read model), page by page,
/// handing each page's cases to `each`; the last page's `next`. Each page is asked for while
/// the one before it is read. The cursor is the caller's to set once every part is read: a
/// case not read yet has events below it, which no pull after it would bring. `Err` as for
/// [`pull`] (the cases read meanwhile count).
pub async fn sign_in_cases(
    store: &Slug,
    token: &str,
    part: api::Part,
    pulled: &mut Pulled,
    mut each: impl FnMut(Vec<(Case, Vec<Event>)>),
) -> Result<i64, u16> {
    let url = |after| api::cases_url(store, part, after, CASES_PER_PAGE);
    let mut ahead = Some(Ahead::ask(url(0), token.to_owned()));
    let mut next = 0;
    while let Some(asked) = ahead.take() {
        let (body, before, took) = asked.reply().await?;
        let end: PageEnd = serde_json::from_str(&body).map_err(|_| 0u16)?;
        if end.more {
            ahead = Some(Ahead::ask(url(end.next), token.to_owned()));
        }
        // The whole page at once; a page with a case this build cannot read, case by case.
        let cases = match serde_json::from_str::<api::CasePage>(&body) {
            Ok(page) => page.cases,
            Err(_) => serde_json::from_str::<api::CasePage<serde_json::Value>>(&body)
                .map_err(|_| 0u16)?
                .cases
                .into_iter()
                .filter_map(|c| serde_json::from_value(c).ok())
                .collect(),
        };
        drop(body);
        each(cases.into_iter().map(|c| (c.case, c.events)).collect());
        next = next.max(end.next);
        learn_skew(pulled, end.now, before, took);
    }
    Ok(next)
}
