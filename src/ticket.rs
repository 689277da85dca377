//! The customer's own ticket page (`/t/#<case>.<secret>`): what the store has done about
//! their complaint, step by step, how it was put right and why it happened, and their rating
//! of the fix.
//!
//! Built as its own binary (`src/bin/ticket.rs`, `ticket.html`), so none of this reaches the
//! complaint page's download. The link's fragment never reaches the server; the secret goes
//! only in a header and in the rating's push. The last view seen is kept on the phone and
//! shown offline; a rating waits on the phone until the server confirms it.

pub mod device;
pub mod json;
pub mod model;

use crate::components::{LanguagePicker, UpdateBanner};
use crate::i18n::{I18n, Locale, TicketTexts, fill, use_i18n};
use crate::labels::{self, dynamic};
use crate::platform::{activity, clock, env};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Delivery, Fetched, KeptRating, Link, Pushed, TicketView};
use recovery_core::{COMMENT_MAX, DeviceId, EventId, Problem, Remedy, Status, Timestamp, text_len};
use std::time::Duration;

/// Mounts the ticket page on `<body>`.
pub fn start() {
    json::install();
    crate::start_in_language(|| leptos::mount::mount_to_body(TicketApp));
}

/// How often a waiting rating is tried again (also when the network comes back).
const RETRY: Duration = Duration::from_secs(30);

/// Picks one ticket-page text.
type Pick = fn(&'static TicketTexts) -> &'static str;

/// A fixed ticket-page text in the current language.
fn tt(i18n: I18n, pick: Pick) -> Signal<&'static str> {
    Signal::derive(move || pick(i18n.get_locale().ticket()))
}

#[component]
fn TicketApp() -> impl IntoView {
    let i18n = I18n::new(Locale::find(&env::preferred_languages()));
    provide_context(i18n);
    Effect::new(move |_| env::set_document_language(i18n.get_locale().as_str()));
    let editing = RwSignal::new(false);
    provide_context(Editing(editing));
    let body = match Link::parse(&env::fragment()) {
        Some(link) => Either::Left(view! { <TicketPage link /> }),
        None => Either::Right(view! {
            <section class="srk-card" aria-labelledby="srk-tk-title">
                <h1 id="srk-tk-title">{tt(i18n, |t| t.incomplete_title)}</h1>
                <p id="srk-tk-message">{tt(i18n, |t| t.incomplete_body)}</p>
            </section>
        }),
    };
    view! {
        <div class="srk-app">
            <header class="srk-bar">
                <span></span>
                <LanguagePicker />
            </header>
            <UpdateBanner
                at_rest=Signal::derive(move || !editing.get())
                text=tt(i18n, |t| t.update_ready)
                button=tt(i18n, |t| t.update_now)
            />
            <main>{body}</main>
        </div>
    }
}

/// Whether the rating form holds a change not yet made into a rating.
#[derive(Clone, Copy)]
struct Editing(RwSignal<bool>);

/// Where loading the ticket stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Load {
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
enum Stale {
    Offline,
    BadAnswer,
}

/// The page's shared state.
#[derive(Clone, Copy)]
struct Page {
    link: StoredValue<Link>,
    load: RwSignal<Load>,
    view: RwSignal<Option<TicketView>>,
    /// When the view shown is the kept one: when it was seen, and why.
    stale: RwSignal<Option<(Timestamp, Stale)>>,
    rating: RwSignal<Option<KeptRating>>,
    /// The phone's storage refused the rating.
    unsaved: RwSignal<bool>,
    pushing: StoredValue<bool>,
}

impl Page {
    /// Fetches the view, falling back to the kept one.
    fn refresh(self) {
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
    fn push(self) {
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
fn TicketPage(link: Link) -> impl IntoView {
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

/// The translated name of a timeline step.
fn step_name(t: &'static TicketTexts, step: &str) -> &'static str {
    let s = &t.step;
    match step {
        "filed" => s.filed,
        "acknowledged" => s.acknowledged,
        "noted" => s.noted,
        "escalated" => s.escalated,
        "resolved" => s.resolved,
        "rated" => s.rated,
        "followed_up" => s.followed_up,
        "closed" => s.closed,
        _ => s.other,
    }
}

fn status_name(t: &'static TicketTexts, status: Status) -> &'static str {
    let s = &t.status;
    match status {
        Status::Filed => s.filed,
        Status::Acknowledged => s.acknowledged,
        Status::Understood => s.understood,
        Status::Resolved => s.resolved,
        Status::Closed => s.closed,
        Status::Reopened => s.reopened,
    }
}

fn remedy_name(t: &'static TicketTexts, remedy: Remedy) -> &'static str {
    let r = &t.remedy;
    match remedy {
        Remedy::Refund => r.refund,
        Remedy::Replacement => r.replacement,
        Remedy::Discount => r.discount,
        Remedy::Voucher => r.voucher,
        Remedy::ApologyOnly => r.apology_only,
        Remedy::Other => r.other,
    }
}

/// The ticket itself: code, store, complaint, timeline, resolution, explanation, rating.
#[component]
fn Ticket() -> impl IntoView {
    let i18n = use_i18n();
    let page = expect_context::<Page>();
    let code = page.link.with_value(|l| l.ticket().to_string());
    let stale = dynamic(move || {
        let lang = i18n.get_locale();
        match page.stale.get() {
            Some((seen, why)) => fill(
                match why {
                    Stale::Offline => lang.ticket().offline_seen,
                    Stale::BadAnswer => lang.ticket().bad_answer_seen,
                },
                &[(
                    "time",
                    &clock::format(seen, lang.as_str(), clock::Style::DateTime),
                )],
            ),
            None => String::new(),
        }
    });
    let details = move || {
        page.view.with(|v| {
            v.as_ref().map(|v| {
                let lang = i18n.get_locale();
                let t = lang.ticket();
                let when = |at| clock::format(at, lang.as_str(), clock::Style::DateTime);
                let store = v.store_name.clone().unwrap_or_else(|| v.store.to_string());
                let place = crate::route::humanize(&v.touchpoint);
                let steps = v
                    .timeline
                    .iter()
                    .map(|s| {
                        view! {
                            <li data-step=s.step.clone()>
                                <strong>{step_name(t, &s.step)}</strong>
                                " · "
                                <span class="srk-note">{when(s.at)}</span>
                            </li>
                        }
                    })
                    .collect_view();
                let resolution = v.resolution.as_ref().map(|r| {
                    let value = (r.value_minor > 0).then(|| {
                        let amount = clock::money(r.value_minor, v.currency.as_deref(), lang.as_str());
                        view! { <p id="srk-tk-value">{fill(t.value, &[("amount", &amount)])}</p> }
                    });
                    let gesture = (!r.gesture.is_empty()).then(|| {
                        view! { <p id="srk-tk-gesture">{fill(t.gesture, &[("gesture", &r.gesture)])}</p> }
                    });
                    let follow_up = v.follow_up_at.map(|at| {
                        view! { <p class="srk-note">{fill(t.follow_up, &[("time", &when(at))])}</p> }
                    });
                    view! {
                        <section class="srk-card" aria-labelledby="srk-tk-resolution-title">
                            <h2 id="srk-tk-resolution-title">{t.resolution_title}</h2>
                            <p id="srk-tk-remedy"><strong>{remedy_name(t, r.remedy)}</strong></p>
                            {value}
                            {gesture}
                            {follow_up}
                        </section>
                    }
                });
                let explanation = v.explanation.clone().map(|text| {
                    view! {
                        <section class="srk-card" aria-labelledby="srk-tk-explanation-title">
                            <h2 id="srk-tk-explanation-title">{t.explanation_title}</h2>
                            <p id="srk-tk-explanation" class="srk-pre-line">{text}</p>
                        </section>
                    }
                });
                view! {
                    <dl>
                        <dt>{t.status_label}</dt>
                        <dd id="srk-tk-status">{status_name(t, v.status)}</dd>
                        <dt>{t.store_label}</dt>
                        <dd id="srk-tk-store">{store}</dd>
                        <dt>{t.place_label}</dt>
                        <dd id="srk-tk-place">{place}</dd>
                        <dt>{t.filed_label}</dt>
                        <dd>{when(v.filed_at)}</dd>
                    </dl>
                    <section aria-labelledby="srk-tk-complaint-title">
                        <h2 id="srk-tk-complaint-title">{t.complaint_title}</h2>
                        <p id="srk-tk-category"><strong>{labels::category(i18n, v.complaint.category)}</strong></p>
                        <p id="srk-tk-description" class="srk-pre-line">{v.complaint.description.clone()}</p>
                    </section>
                    <section aria-labelledby="srk-tk-timeline-title">
                        <h2 id="srk-tk-timeline-title">{t.timeline_title}</h2>
                        <ol id="srk-tk-timeline" class="srk-mine">{steps}</ol>
                    </section>
                    {resolution}
                    {explanation}
                }
            })
        })
    };
    view! {
        <section class="srk-card" aria-labelledby="srk-tk-title">
            <h1 id="srk-tk-title">{tt(i18n, |t| t.title)}</h1>
            <p>{tt(i18n, |t| t.intro)}</p>
            <p id="srk-tk-stale" class="srk-alert" hidden=move || page.stale.with(Option::is_none)>{stale}</p>
            <p>{labels::tr(i18n, |l| l.texts().ticket_label)}</p>
            <p class="srk-ticket" id="srk-tk-code">{code}</p>
            {details}
        </section>
        <Rating />
    }
}

/// The rating: a form while the case is resolved, read-only once closed, and the line that
/// says whether it has reached the store.
#[component]
fn Rating() -> impl IntoView {
    let i18n = use_i18n();
    let page = expect_context::<Page>();
    let stars = RwSignal::new(0u8);
    let comment = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    // The form starts from the current rating, and follows it when it changes (a new view,
    // or a rating made here); typing in between is kept.
    let current = Memo::new(move |_| {
        page.view.with(|v| {
            v.as_ref()
                .and_then(|v| page.rating.with(|r| model::current_rating(v, r.as_ref())))
        })
    });
    Effect::new(move |_| {
        let (s, c) = current.get().unwrap_or_default();
        stars.set(s);
        comment.set(c);
    });
    // Whether the form holds a change not yet made into a rating: then no update is offered.
    let Editing(editing) = expect_context();
    Effect::new(move |_| {
        let (s, c) = current.get().unwrap_or_default();
        editing.set(stars.get() != s || comment.with(|now| *now != c));
    });
    on_cleanup(move || {
        let _ = editing.try_set(false);
    });
    let status = Memo::new(move |_| page.view.with(|v| v.as_ref().map(|v| v.status)));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(view) = page.view.get_untracked() else {
            return;
        };
        let link = page.link.get_value();
        let before = page.rating.get_untracked();
        let ids = (EventId(env::new_uuid()), DeviceId(env::new_uuid()));
        let made = model::new_rating(
            &link,
            &view,
            before.as_ref(),
            stars.get_untracked(),
            &comment.get_untracked(),
            clock::now(),
            ids,
        );
        match made {
            Err(p) => {
                problem.set(Some(p));
                env::focus(if p == Problem::Required {
                    "srk-tk-star-1"
                } else {
                    "srk-tk-comment"
                });
            }
            Ok(event) => {
                problem.set(None);
                let kept = KeptRating::pending(event);
                page.unsaved.set(!device::keep_rating(&link, &kept));
                page.rating.set(Some(kept));
                page.push();
            }
        }
    };

    let message = move || {
        problem.get().map(|p| match p {
            Problem::Required => i18n.get_locale().ticket().choose_stars.to_string(),
            other => labels::problem(i18n, other),
        })
    };
    let star_names: [Pick; 5] = [
        |t| t.stars.one,
        |t| t.stars.two,
        |t| t.stars.three,
        |t| t.stars.four,
        |t| t.stars.five,
    ];
    let form = move || {
        let choices = (1..=5u8)
            .map(|n| {
                view! {
                    <label class="srk-choice">
                        <input
                            type="radio"
                            name="stars"
                            id=format!("srk-tk-star-{n}")
                            value=n.to_string()
                            prop:checked=move || stars.get() == n
                            on:change=move |_| stars.set(n)
                        />
                        <span>{tt(i18n, star_names[usize::from(n - 1)])}</span>
                    </label>
                }
            })
            .collect_view();
        let counter = dynamic(move || {
            fill(
                i18n.t().counter,
                &[
                    ("count", &comment.with(|c| text_len(c))),
                    ("max", &COMMENT_MAX),
                ],
            )
        });
        view! {
            <form id="srk-tk-rate" on:submit=submit novalidate>
                <p>{tt(i18n, |t| t.rate_intro)}</p>
                <fieldset class="srk-field" aria-describedby="srk-tk-problem">
                    <legend>{tt(i18n, |t| t.stars_legend)}</legend>
                    <div class="srk-choices">{choices}</div>
                </fieldset>
                <div class="srk-field">
                    <label class="srk-field__label" for="srk-tk-comment">
                        {tt(i18n, |t| t.comment_label)}
                        <span class="srk-field__tag">"(" {labels::tr(i18n, |l| l.texts().optional)} ")"</span>
                    </label>
                    <textarea
                        id="srk-tk-comment"
                        class="srk-input"
                        rows="4"
                        maxlength=COMMENT_MAX.to_string()
                        aria-describedby="srk-tk-counter"
                        prop:value=comment
                        on:input=move |ev| comment.set(event_target_value(&ev))
                    ></textarea>
                    <p class="srk-counter" id="srk-tk-counter">{counter}</p>
                </div>
                <p id="srk-tk-problem" class="srk-field__error" role="alert">{message}</p>
                <button class="srk-button srk-button--primary" type="submit">{tt(i18n, |t| t.submit)}</button>
            </form>
        }
    };
    let closed = move || {
        let lang = i18n.get_locale();
        match current.get() {
            Some((s, c)) => Either::Left(view! {
                <p id="srk-tk-rated">{fill(lang.ticket().rated_closed, &[("stars", &s)])}</p>
                {(!c.is_empty()).then(|| view! { <blockquote id="srk-tk-rated-comment" class="srk-pre-line">{c}</blockquote> })}
            }),
            None => {
                Either::Right(view! { <p id="srk-tk-rated">{lang.ticket().closed_unrated}</p> })
            }
        }
    };
    let body = move || match status.get() {
        Some(Status::Resolved) => EitherOf3::A(form()),
        Some(Status::Closed) => EitherOf3::B(closed()),
        _ => EitherOf3::C(view! { <p id="srk-tk-rate-later">{tt(i18n, |t| t.rate_later)}</p> }),
    };
    let sync = dynamic(move || {
        let t = i18n.get_locale().ticket();
        let mut text = page.rating.with(|r| match r {
            None => String::new(),
            Some(r) => match r.sync {
                Delivery::Pending => t.sync_pending.to_string(),
                Delivery::Sent => t.sync_sent.to_string(),
                Delivery::Rejected(reason) => fill(
                    t.sync_rejected,
                    &[("reason", &labels::reject_reason(i18n, reason))],
                ),
            },
        });
        if page.unsaved.get() && !text.is_empty() {
            text.push(' ');
            text.push_str(t.sync_unsaved);
        }
        text
    });
    view! {
        <section class="srk-card" aria-labelledby="srk-tk-rate-title">
            <h2 id="srk-tk-rate-title">{tt(i18n, |t| t.rate_title)}</h2>
            {body}
            <p id="srk-tk-sync" role="status" aria-live="polite">{sync}</p>
        </section>
    }
}
