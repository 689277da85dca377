//! The ticket page's state: the link, where loading the view stands, the view shown (fresh or
//! the one the phone kept), the customer's rating and its way to the server; and the screen
//! that shows the view once there is one, or says why there is none.

use super::device;
use super::json;
use super::model::{self, Fetched, KeptStep, Link, Slot, TicketView};
use super::view::Ticket;
use crate::shared::i18n::use_i18n;
use crate::shared::labels::{Pick, tr};
use crate::shared::outbox::{Client, Outgoing, Queue};
use crate::shared::platform::{activity, clock, env};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::{EventId, Mark, Receipt, Timestamp};
use std::time::Duration;

/// How often a view that is the kept one is fetched again (also when the network comes back).
const REFRESH: Duration = Duration::from_secs(30);

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
    /// The customer's steps made on this phone, one of each [`Slot`].
    pub(crate) steps: Steps,
    /// The phone's storage refused the rating or the answer.
    pub(crate) unsaved: RwSignal<bool>,
    /// Sends them (the one outbox client, with its backoff).
    pub(crate) outbox: Client<Steps>,
    /// Fetches that failed in a row, and whether another is already planned: a view that could
    /// not be fetched (the server restarting just after it confirmed the rating) is fetched
    /// again with the outbox's backoff, not only on the 30 s timer.
    pub(crate) retry: StoredValue<(u32, bool)>,
}

/// The customer's steps as the outbox client's queue: at most one of each [`Slot`], each
/// pushed with the case's ticket secret and no other credential, kept on the phone (marked)
/// once sent.
#[derive(Clone, Copy)]
pub(crate) struct Steps {
    link: StoredValue<Link>,
    /// The rating of the fix.
    pub(crate) rating: RwSignal<Option<KeptStep>>,
    /// The answer to "did the fix hold?".
    pub(crate) answer: RwSignal<Option<KeptStep>>,
    /// "Stop messages".
    pub(crate) stop: RwSignal<Option<KeptStep>>,
    unsaved: RwSignal<bool>,
    /// Notified when the server confirmed a step: the view then has news.
    confirmed: Trigger,
}

impl Steps {
    /// The signal of `slot`'s step.
    pub(crate) fn slot(&self, slot: Slot) -> RwSignal<Option<KeptStep>> {
        match slot {
            Slot::Rating => self.rating,
            Slot::Answer => self.answer,
            Slot::Stop => self.stop,
        }
    }
}

impl Queue for Steps {
    fn next_batch(&self, _max: usize) -> Vec<Outgoing> {
        let link = self.link.get_value();
        Slot::ALL
            .into_iter()
            .filter_map(|slot| {
                self.slot(slot).with_untracked(|r| {
                    r.as_ref()
                        .filter(|r| r.is_pending())
                        .map(|r| json::outgoing(&link, &r.event))
                })
            })
            .collect()
    }

    fn pending_count(&self) -> usize {
        Slot::ALL
            .into_iter()
            .filter(|slot| {
                self.slot(*slot)
                    .with(|r| r.as_ref().is_some_and(KeptStep::is_pending))
            })
            .count()
    }

    fn settle(&self, receipts: &[(EventId, Receipt)]) {
        for (id, receipt) in receipts {
            for slot in Slot::ALL {
                // A newer step made meanwhile is pushed on its own; this answer is about the old.
                let signal = self.slot(slot);
                let Some(mut settled) = signal.get_untracked().filter(|r| r.event.id == *id) else {
                    continue;
                };
                settled.sync = match receipt {
                    Receipt::Rejected(reason) => Mark::Rejected(*reason),
                    _ => Mark::Sent,
                };
                let link = self.link.get_value();
                self.unsaved.set(!device::keep_step(&link, slot, &settled));
                signal.set(Some(settled));
                if receipt.confirmed() {
                    self.confirmed.notify();
                }
            }
        }
    }
}

impl Page {
    /// What a form of a customer's step does when sent: `make` builds the step from the view
    /// shown, the time and fresh ids; a problem is said in `problem` and focuses `required`
    /// (nothing chosen) or `other` (the comment); a good step is taken ([`Page::take`]).
    pub(crate) fn submit(
        self,
        slot: Slot,
        problem: RwSignal<Option<recovery_core::Problem>>,
        (required, other): (&str, &str),
        make: impl FnOnce(
            &Link,
            &TicketView,
            Timestamp,
            (EventId, recovery_core::DeviceId),
        ) -> Result<recovery_core::Event, recovery_core::Problem>,
    ) {
        let Some(view) = self.view.get_untracked() else {
            return;
        };
        let ids = (
            EventId(env::new_uuid()),
            recovery_core::DeviceId(env::new_uuid()),
        );
        match make(&self.link.get_value(), &view, clock::now(), ids) {
            Err(p) => {
                problem.set(Some(p));
                env::focus(if p == recovery_core::Problem::Required {
                    required
                } else {
                    other
                });
            }
            Ok(event) => {
                problem.set(None);
                self.take(slot, event);
            }
        }
    }

    /// Takes a step the customer just made (a rating or an answer): keeps it on the phone, in
    /// place of the slot's earlier one, and sends it.
    pub(crate) fn take(self, slot: Slot, event: recovery_core::Event) {
        let kept = KeptStep::pending(event);
        let link = self.link.get_value();
        self.unsaved.set(!device::keep_step(&link, slot, &kept));
        self.steps.slot(slot).set(Some(kept));
        self.outbox.wake();
    }

    /// The status line of `slot`'s step: nothing before one (or for one `hide` says is old
    /// news), `pending` while it waits, `rejected` with the reason, `done`'s words once taken,
    /// and that the phone could not keep it, when so. Tracks the step and the storage.
    pub(crate) fn step_line(
        self,
        slot: Slot,
        (pending, rejected): (&str, &str),
        hide: impl Fn(&KeptStep) -> bool,
        done: impl Fn(&recovery_core::Event) -> String,
    ) -> String {
        let i18n = use_i18n();
        let mut text = self.steps.slot(slot).with(|kept| match kept {
            Some(k) if !hide(k) => match k.sync {
                Mark::Pending => pending.to_string(),
                Mark::Rejected(reason) => crate::shared::i18n::fill(
                    rejected,
                    &[(
                        "reason",
                        &crate::shared::labels::reject_reason(i18n, reason),
                    )],
                ),
                Mark::Sent => done(&k.event),
            },
            _ => String::new(),
        });
        if self.unsaved.get() && !text.is_empty() {
            text.push(' ');
            text.push_str(i18n.get_locale().ticket().sync_unsaved);
        }
        text
    }

    /// After a failed fetch, plans the next one (1 s to 30 s, full jitter, growing); after a
    /// good one, forgets the failures.
    fn plan_retry(self, failed: bool) {
        let Some((attempt, planned)) = self.retry.try_get_value() else {
            return;
        };
        if !failed {
            self.retry.set_value((0, planned));
            return;
        }
        if planned {
            return;
        }
        let ms = recovery_core::sync::backoff_ms(attempt, env::random_unit())
            .clamp(1_000, REFRESH.as_millis() as u64);
        self.retry.set_value((attempt.saturating_add(1), true));
        set_timeout(
            move || {
                if let Some((attempt, _)) = self.retry.try_get_value() {
                    self.retry.set_value((attempt, false));
                    self.refresh();
                }
            },
            Duration::from_millis(ms),
        );
    }

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
            let failed = matches!(fetched, Fetched::BadAnswer | Fetched::NoAnswer);
            self.plan_retry(failed);
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
            self.outbox.wake();
        });
    }
}

#[component]
pub(crate) fn TicketPage(link: Link) -> impl IntoView {
    let i18n = use_i18n();
    let steps = Steps {
        rating: RwSignal::new(device::kept_step(&link, Slot::Rating)),
        answer: RwSignal::new(device::kept_step(&link, Slot::Answer)),
        stop: RwSignal::new(device::kept_step(&link, Slot::Stop)),
        link: StoredValue::new(link),
        unsaved: RwSignal::new(false),
        confirmed: Trigger::new(),
    };
    let page = Page {
        steps,
        link: steps.link,
        load: RwSignal::new(Load::Loading),
        view: RwSignal::new(None),
        stale: RwSignal::new(None),
        unsaved: steps.unsaved,
        outbox: Client::start(steps, None),
        retry: StoredValue::new((0, false)),
    };
    provide_context(page);
    // What the working copy lost to a killed browser, the journal gives back (then sent).
    for slot in Slot::ALL {
        device::journaled_step(&page.link.get_value(), slot, move |journaled| {
            let signal = steps.slot(slot);
            if model::journal_wins(signal.get_untracked().as_ref(), &journaled) {
                let link = steps.link.get_value();
                steps
                    .unsaved
                    .set(!device::keep_step(&link, slot, &journaled));
                signal.set(Some(journaled));
            }
        });
    }
    page.refresh();
    // A confirmed step is in the server's view: fetch it.
    Effect::new(move |first: Option<()>| {
        steps.confirmed.track();
        if first.is_some() {
            page.refresh();
        }
    });
    // The network is back (the outbox client then sends what waits at once): fetch the news.
    // Every 30 s the same while the view is the kept one.
    let online = window_event_listener(leptos::ev::online, move |_| page.refresh());
    on_cleanup(move || online.remove());
    activity::use_interval(REFRESH, move || {
        if page.stale.get_untracked().is_some() {
            page.refresh();
        }
    });

    // What is on screen changes only when the kind of page does: a refresh that finds the
    // view again (the network came back, the 30 s timer) must not build the ticket anew, which
    // would wipe a rating the customer is typing.
    let load = Memo::new(move |_| page.load.get());
    move || match load.get() {
        Load::Shown => EitherOf3::A(view! { <Ticket /> }),
        Load::Loading => EitherOf3::B(view! {
            <section class="srk-card" aria-labelledby="srk-tk-title">
                <h1 id="srk-tk-title">{tr(i18n, |l| l.ticket().title)}</h1>
                <p id="srk-tk-message" role="status">{tr(i18n, |l| l.ticket().loading)}</p>
            </section>
        }),
        other => {
            let (title, body): (Pick, Pick) = match other {
                Load::NotFound => (
                    |l| l.ticket().not_found_title,
                    |l| l.ticket().not_found_body,
                ),
                Load::BadAnswer => (|l| l.ticket().problem_title, |l| l.ticket().problem_body),
                _ => (|l| l.ticket().offline_title, |l| l.ticket().offline_body),
            };
            EitherOf3::C(view! {
                <section class="srk-card" aria-labelledby="srk-tk-title">
                    <h1 id="srk-tk-title">{tr(i18n, title)}</h1>
                    <p id="srk-tk-message">{tr(i18n, body)}</p>
                </section>
            })
        }
    }
}
