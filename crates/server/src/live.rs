//! The live feed: which stores have news, told to their connected tablets at once.
//!
//! A push that stored events announces each store it touched ([`Hub::announce`]) after its
//! transaction committed; every open stream of that store (`GET .../stream`, see
//! `http::stream`) then tells its tablet "news", and the tablet pulls by its cursor. The feed
//! carries no events and no cursor of its own: the pull stays the one way events reach a
//! tablet, so a missed or doubled announcement costs a pull, never an event.
//!
//! Several instances over PostgreSQL: a push also calls `pg_notify` in its transaction (see
//! `store::postgres`), which PostgreSQL delivers on commit to every instance's listener
//! ([`listen_postgres`]); the listener announces it to its own hub (this instance's pushes
//! too, so each is news once). Whenever the listener (re)connects it announces
//! [`EVERY_STORE`], so no tablet waits for the next poll to learn what happened meanwhile.
//!
//! Budgets: at most [`STREAMS_PER_STORE`] streams per store and [`STREAMS_MAX`] in all; a
//! stream ends after [`STREAM_LIFETIME`] (the tablet reconnects, and its token is checked
//! again), and when the server shuts down.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{broadcast, watch};

/// The channel the instances' pushes notify and their listeners listen on.
pub const PG_CHANNEL: &str = "srk_events";
/// What an announcement says when every store may have news.
pub const EVERY_STORE: &str = "*";
/// Most open streams of one store.
pub const STREAMS_PER_STORE: usize = 32;
/// Most open streams of the whole server.
pub const STREAMS_MAX: usize = 512;
/// How long one stream lasts before the tablet must reconnect.
pub const STREAM_LIFETIME: Duration = Duration::from_secs(300);

/// The server's live feed; cheap to clone.
#[derive(Clone, Debug)]
pub struct Hub {
    news: broadcast::Sender<Arc<str>>,
    closing: watch::Sender<bool>,
    open: Arc<Mutex<HashMap<String, usize>>>,
    /// Whether PostgreSQL's listener brings every instance's news, this one's included.
    listening: Arc<std::sync::atomic::AtomicBool>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new()
    }
}

impl Hub {
    /// A hub with nobody listening.
    pub fn new() -> Hub {
        // Announcements are tiny and a slow stream that lags just pulls once: see `Feed`.
        let (news, _) = broadcast::channel(256);
        let (closing, _) = watch::channel(false);
        Hub {
            news,
            closing,
            open: Arc::default(),
            listening: Arc::default(),
        }
    }

    /// A push to this instance stored events of `store`: announced here, unless PostgreSQL's
    /// listener will bring it (with everyone else's), so that each push is news once.
    pub fn stored(&self, store: &str) {
        if !self.listening.load(std::sync::atomic::Ordering::Acquire) {
            self.announce(store);
        }
    }

    /// Tells every stream of `store` (or of every store, for [`EVERY_STORE`]) it has news.
    pub fn announce(&self, store: &str) {
        // No receiver is not an error: nobody is watching.
        let _ = self.news.send(Arc::from(store));
    }

    /// Turns true when the server shuts down (see [`Hub::close`]).
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Ends every stream, for shutdown.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// A feed of `store`'s news, or `None` when the store or the server has as many streams
    /// as it may.
    pub fn watch(&self, store: &str) -> Option<Feed> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let total: usize = open.values().sum();
        let here = open.entry(store.to_owned()).or_default();
        if *here >= STREAMS_PER_STORE || total >= STREAMS_MAX {
            return None;
        }
        *here += 1;
        Some(Feed {
            store: store.to_owned(),
            news: self.news.subscribe(),
            closing: self.closing.subscribe(),
            open: Arc::clone(&self.open),
        })
    }

    /// How many streams are open, of `store` or in all.
    pub fn streams(&self, store: Option<&str>) -> usize {
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        match store {
            Some(store) => open.get(store).copied().unwrap_or(0),
            None => open.values().sum(),
        }
    }
}

/// One tablet's view of the hub: its store's announcements. Counted against the budgets while
/// it lives.
#[derive(Debug)]
pub struct Feed {
    store: String,
    news: broadcast::Receiver<Arc<str>>,
    closing: watch::Receiver<bool>,
    open: Arc<Mutex<HashMap<String, usize>>>,
}

impl Feed {
    /// Waits for the store's next news; `false` when the feed is over (the server is shutting
    /// down). Announcements that came while nobody waited count once.
    pub async fn next(&mut self) -> bool {
        loop {
            if *self.closing.borrow() {
                return false;
            }
            tokio::select! {
                got = self.news.recv() => match got {
                    Ok(store) if *store == *self.store || &*store == EVERY_STORE => {
                        // Coalesce what is already queued: one pull serves them all.
                        while self.news.try_recv().is_ok() {}
                        return true;
                    }
                    Ok(_) => {}
                    // Missed announcements may have been this store's.
                    Err(broadcast::error::RecvError::Lagged(_)) => return true,
                    Err(broadcast::error::RecvError::Closed) => return false,
                },
                changed = self.closing.changed() => if changed.is_err() {
                    return false;
                },
            }
        }
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.store) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.store);
            }
        }
    }
}

/// Listens on PostgreSQL for the pushes of every instance and announces their stores on `hub`:
/// connects and listens here (blocking: call it off the async workers), so no push after it
/// returns goes unheard, then waits on a thread of its own (the driver is synchronous),
/// reconnecting after a lost connection, until the hub closes.
pub fn listen_postgres(url: &str, hub: &Hub) -> Result<(), postgres::Error> {
    let config = url.parse::<postgres::Config>()?;
    let client = listen(&config)?;
    hub.listening
        .store(true, std::sync::atomic::Ordering::Release);
    let relayed = hub.clone();
    let spawned = std::thread::Builder::new()
        .name("pg-listen".into())
        .spawn(move || {
            let hub = relayed;
            let closing = hub.closing.subscribe();
            let mut client = Some(client);
            while !*closing.borrow() {
                let connected = match client.take() {
                    Some(client) => Ok(client),
                    None => listen(&config).inspect(|_| {
                        // What was pushed while it was away is news too.
                        hub.announce(EVERY_STORE);
                    }),
                };
                match connected.and_then(|mut client| relay(&mut client, &hub, &closing)) {
                    Ok(()) => return,
                    Err(err) => {
                        tracing::warn!(error = %err, "lost the PostgreSQL listener; reconnecting in 1 s");
                        std::thread::sleep(Duration::from_secs(1));
                    }
                }
            }
        });
    if let Err(err) = spawned {
        tracing::error!(error = %err, "cannot start the PostgreSQL listener: tablets will poll");
        hub.listening
            .store(false, std::sync::atomic::Ordering::Release);
    }
    Ok(())
}

fn listen(config: &postgres::Config) -> Result<postgres::Client, postgres::Error> {
    let mut client = config.connect(postgres::NoTls)?;
    client.batch_execute(&format!("LISTEN {PG_CHANNEL}"))?;
    Ok(client)
}

/// Announces every notification until the hub closes (checked every second).
fn relay(
    client: &mut postgres::Client,
    hub: &Hub,
    closing: &watch::Receiver<bool>,
) -> Result<(), postgres::Error> {
    use postgres::fallible_iterator::FallibleIterator;

    while !*closing.borrow() {
        // A timed-out wait ends the iterator: a new one for each second.
        let mut notifications = client.notifications();
        let mut waiting = notifications.timeout_iter(Duration::from_secs(1));
        while let Some(note) = waiting.next()? {
            hub.announce(note.payload());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_feed_hears_its_store_and_every_store_never_another() {
        let hub = Hub::new();
        let mut feed = hub.watch("acme").unwrap();
        hub.announce("other");
        hub.announce("acme");
        hub.announce("acme");
        assert!(feed.next().await);
        hub.announce(EVERY_STORE);
        assert!(feed.next().await);
        hub.announce("other");
        let quiet = tokio::time::timeout(Duration::from_millis(50), feed.next()).await;
        assert!(quiet.is_err(), "another store's news woke the feed");
        hub.close();
        assert!(!feed.next().await);
    }

    #[test]
    fn streams_are_counted_per_store_and_freed_when_dropped() {
        let hub = Hub::new();
        let feeds: Vec<Feed> = (0..STREAMS_PER_STORE)
            .map(|_| hub.watch("acme").unwrap())
            .collect();
        assert!(hub.watch("acme").is_none());
        assert!(hub.watch("other").is_some());
        assert_eq!(hub.streams(Some("acme")), STREAMS_PER_STORE);
        drop(feeds);
        assert_eq!(hub.streams(None), 0);
        assert!(hub.watch("acme").is_some());
    }
}
