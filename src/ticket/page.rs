//! The ticket page's state: the link, where loading the view stands, the view shown (fresh or
//! the one the phone kept), the customer's rating and its way to the server; and the screen
//! that shows the view once there is one, or says why there is none.

use super::model::{Delivery, Fetched, KeptRating, Link, Pushed, TicketView};
use super::view::Ticket;
use super::{Pick, device, tt};
use crate::shared::i18n::use_i18n;
use crate::shared::platform::{activity, clock};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::Timestamp;
use std::time::Duration;

/// How often a waiting rating is tried again (also when the network comes back).
const RETRY: Duration = Duration::from_secs(30);
/// Where loading the ticket stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Load {
    Loading,
    /// A view is shown (see `Page::stale` for whether it is the kept one).
    Shown,
    NotFound,
    /// An unreadable answer, and nothing kept.
    BadAnswer,
    /// No answer, and nothing kept.
    Offline,
}

/// Why the view shown is the one the phone kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stale {
    Offline,
    BadAnswer,
}

/// The page's shared state.
#[derive(Clone, Copy)]
pub(crate) struct Page {
    pub(crate) link: StoredValue<Link>,
    pub(crate) load: RwSignal<Load>,
    pub(crate) view: RwSignal<Option<TicketView>>,
    /// When the view shown is the kept one: when it was seen, and why.
    pub(crate) stale: RwSignal<Option<(Timestamp, Stale)>>,
    pub(crate) rating: RwSignal<Option<KeptRating>>,
    /// The phone's storage refused the rating.
    pub(crate) unsaved: RwSignal<bool>,
    pub(crate) pushing: StoredValue<bool>,
}

impl Page {
    /// Fetches the view, falling back to the kept one.
    pub(crate) fn refresh(self) {
        spawn_local(async move {
            let link = self.link.get_value();
            let fetched = device::fetch_view(&link).await;
            let fallback = |why: Stale, empty: Load| match device::kept_view(&link) {
                Some((view, seen)) => {
                    self.view.set(Some(view));
                    self.stale.set(Some((seen, why)));
                    self.load.set(Load::Shown);
                }
                None => self.load.set(empty),
            };
            match fetched {
                Fetched::View(view) => {
                    self.view.set(Some(*view));
                    self.stale.set(None);
                    self.load.set(Load::Shown);
                }
                Fetched::NotFound => {
                    self.view.set(None);
                    self.stale.set(None);
                    self.load.set(Load::NotFound);
                }
                // A view already on screen stays; only its line says why it is old.
                Fetched::BadAnswer if self.load.get_untracked() != Load::Shown => {
                    fallback(Stale::BadAnswer, Load::BadAnswer)
                }
                Fetched::NoAnswer if self.load.get_untracked() != Load::Shown => {
                    fallback(Stale::Offline, Load::Offline)
                }
                Fetched::BadAnswer | Fetched::NoAnswer => {
                    let why = if matches!(fetched, Fetched::BadAnswer) {
                        Stale::BadAnswer
                    } else {
                        Stale::Offline
                    };
                    if self.stale.get_untracked().is_none() {
                        let seen = device::kept_view(&link).map_or(clock::now(), |(_, at)| at);
                        self.stale.set(Some((seen, why)));
                    }
                }
            }
            self.push();
        });
    }

    /// Sends the waiting rating, if there is one and no push is under way.
    pub(crate) fn push(self) {
        let Some(rating) = self.rating.get_untracked().filter(KeptRating::is_pending) else {
            return;
        };
        if self.pushing.get_value() {
            return;
        }
        self.pushing.set_value(true);
        spawn_local(async move {
            let link = self.link.get_value();
            let pushed = device::push(&link, &rating).await;
            self.pushing.set_value(false);
            // A newer rating made meanwhile is pushed on its own.
            let same = self
                .rating
                .with_untracked(|r| r.as_ref().map(|r| r.event.id) == Some(rating.event.id));
            if !same {
                self.push();
                return;
            }
            let mut settled = rating;
            match pushed {
                Pushed::Retry => return,
                Pushed::Confirmed => settled.sync = Delivery::Sent,
                Pushed::Rejected(reason) => settled.sync = Delivery::Rejected(reason),
            }
            self.unsaved.set(!device::keep_rating(&link, &settled));
            let confirmed = settled.sync == Delivery::Sent;
            self.rating.set(Some(settled));
            if confirmed {
                self.refresh();
            }
        });
    }
}

#[component]
pub(crate) fn TicketPage(link: Link) -> impl IntoView {
    let i18n = use_i18n();
    let page = Page {
        rating: RwSignal::new(device::kept_rating(&link)),
        link: StoredValue::new(link),
        load: RwSignal::new(Load::Loading),
        view: RwSignal::new(None),
        stale: RwSignal::new(None),
        unsaved: RwSignal::new(false),
        pushing: StoredValue::new(false),
    };
    provide_context(page);
    page.refresh();
    // The network is back: send what waits and fetch the news. Every 30 s the same while a
    // rating waits or the view is the kept one.
    let online = window_event_listener(leptos::ev::online, move |_| page.refresh());
    on_cleanup(move || online.remove());
    activity::use_interval(RETRY, move || {
        let waiting = page
            .rating
            .with_untracked(|r| r.as_ref().is_some_and(KeptRating::is_pending));
        if page.stale.get_untracked().is_some() {
            page.refresh();
        } else if waiting {
            page.push();
        }
    });

    move || match page.load.get() {
        Load::Shown => EitherOf3::A(view! { <Ticket /> }),
        Load::Loading => EitherOf3::B(view! {
            <section class="srk-card" aria-labelledby="srk-tk-title">
                <h1 id="srk-tk-title">{tt(i18n, |t| t.title)}</h1>
                <p id="srk-tk-message" role="status">{tt(i18n, |t| t.loading)}</p>
            </section>
        }),
        other => {
            let (title, body): (Pick, Pick) = match other {
                Load::NotFound => (|t| t.not_found_title, |t| t.not_found_body),
                Load::BadAnswer => (|t| t.problem_title, |t| t.problem_body),
                _ => (|t| t.offline_title, |t| t.offline_body),
            };
            EitherOf3::C(view! {
                <section class="srk-card" aria-labelledby="srk-tk-title">
                    <h1 id="srk-tk-title">{tt(i18n, title)}</h1>
                    <p id="srk-tk-message">{tt(i18n, body)}</p>
                </section>
            })
        }
    }
}
