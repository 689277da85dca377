//! The staff app on a shared tablet (`/staff/<store>`): unlock with a personal PIN, then the
//! store's open cases, most urgent first.
//!
//! Built as its own binary (`src/bin/staff.rs`, `staff.html`), so none of this reaches the
//! customer's download. A PIN is checked online when the server answers; after one online
//! sign-in the tablet keeps a slow salted hash and checks it offline. Failed attempts wait
//! longer each time and lock after ten (`recovery_core::PinThrottle`). Staff mode locks itself
//! after two minutes without a touch, and at once with "Lock". From the workspace, staff print
//! the store's QR stickers (`stickers`); managers open the insights (`insights`), and everyone
//! sees the alerts.

mod case_view;
pub mod charts;
pub mod device;
pub mod insights;
pub mod outbox;
pub mod stickers;

use crate::components::{LanguagePicker, UpdateBanner};
use crate::i18n::{I18n, Locale, StaffTexts, fill, use_i18n};
use crate::labels::{self, dynamic};
use crate::platform::{activity, clock, env, pwa};
use case_view::CaseView;
use device::{Login, Pulled, Roster};
use insights::{InsightsScreen, StaffAlerts};
use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;
use leptos::task::spawn_local;
use outbox::{Delivery, Queued};
use recovery_core::{
    Case, CaseId, Details, DeviceId, Due, Event, EventId, EventKind, Ledger, Origin, PinGate, Role,
    STAFF_IDLE_MS, Severity, SlaPolicy, Slug, StaffMember, TransitionError, fold,
    pin_is_well_formed, queue, repeat_cases,
};
use std::time::Duration;
use stickers::StickerSheet;

/// Mounts the staff app on `<body>`.
pub fn start() {
    // The tablet's storage (all its cases) opens in a task of its own, ahead of the mount.
    env::after_paint(crate::platform::storage::open);
    crate::start_in_language(|| leptos::mount::mount_to_body(StaffApp));
}

/// A fixed staff text in the current language.
fn st(i18n: I18n, pick: fn(&'static StaffTexts) -> &'static str) -> Signal<&'static str> {
    Signal::derive(move || pick(i18n.get_locale().staff()))
}

/// The store named in the address (`/staff/<store>`).
fn store_from_path(path: &str) -> Option<Slug> {
    let rest = path.trim_start_matches('/').strip_prefix("staff")?;
    Slug::parse(rest.trim_matches('/')).ok()
}

/// The shared state of the staff app.
#[derive(Clone, Copy)]
struct Staff {
    store: StoredValue<Slug>,
    roster: RwSignal<Roster>,
    pulled: RwSignal<Pulled>,
    /// Who is signed in, while staff mode is unlocked.
    who: RwSignal<Option<StaffMember>>,
    /// The last pull's problem, if it failed.
    pull_failed: RwSignal<bool>,
    /// When a pull last succeeded.
    last_pull: RwSignal<Option<recovery_core::Timestamp>>,
    /// Steps taken on this tablet until the server has them.
    outbox: RwSignal<Vec<Queued>>,
    /// Every event this tablet knows, folded: pulled ones and its own (bar refused ones).
    ledger: Memo<LedgerView>,
    /// This tablet's id.
    device: DeviceId,
    /// The case on screen, if any.
    open: RwSignal<Option<CaseId>>,
    /// Whether the sheet of QR stickers is on screen (instead of the queue or a case).
    stickers: RwSignal<bool>,
    /// Whether the insights are on screen (managers only).
    insights: RwSignal<bool>,
    /// Whether an exchange with the server is under way, and whether another was asked for.
    in_flight: StoredValue<(bool, bool)>,
}

impl Staff {
    fn store(&self) -> Slug {
        self.store.get_value()
    }

    fn save_roster(&self) {
        let store = self.store();
        self.roster
            .with_untracked(|r| device::save_roster(&store, r));
    }

    /// Sends this tablet's steps, then pulls new events, when a token is known; quietly keeps
    /// what it has otherwise.
    fn refresh(self) {
        let Some(token) = self.roster.with_untracked(|r| r.token.clone()) else {
            return;
        };
        // One exchange at a time (two would append the same pulled events twice); a request
        // meanwhile runs once this one is done.
        let (busy, again) = self.in_flight.get_value();
        if busy {
            if !again {
                self.in_flight.set_value((true, true));
            }
            return;
        }
        self.in_flight.set_value((true, false));
        spawn_local(async move {
            let store = self.store();
            let queued = self.outbox.get_untracked();
            if let Some(receipts) = outbox::push(&token, &queued).await
                && !receipts.is_empty()
            {
                self.outbox.update(|o| {
                    for (id, delivery, reason) in receipts {
                        if let Some(q) = o.iter_mut().find(|q| q.event.id == id) {
                            q.delivery = delivery;
                            q.reason = reason;
                        }
                    }
                });
                self.outbox.with_untracked(|o| outbox::save(&store, o));
            }
            let mut pulled = self.pulled.get_untracked();
            let result = device::pull(&store, &token, &mut pulled).await;
            if result.is_ok() {
                pulled.at = Some(clock::now());
                self.last_pull.set(pulled.at);
            }
            let news = result.is_ok_and(|n| n > 0);
            if result.is_ok() {
                device::save_pulled(&store, &pulled);
            }
            // What the server sent back is kept as pulled: the tablet's own copy can go.
            let known: std::collections::HashSet<EventId> =
                pulled.events.iter().map(|e| e.id).collect();
            if self.outbox.with_untracked(|o| {
                o.iter()
                    .any(|q| q.delivery == Delivery::Sent && known.contains(&q.event.id))
            }) {
                self.outbox.update(|o| {
                    o.retain(|q| !(q.delivery == Delivery::Sent && known.contains(&q.event.id)))
                });
                self.outbox.with_untracked(|o| outbox::save(&store, o));
            }
            if self.pull_failed.get_untracked() != result.is_err() {
                self.pull_failed.set(result.is_err());
            }
            // Only news redraws the cases.
            if news {
                self.pulled.set(pulled);
            }
            let (_, again) = self.in_flight.get_value();
            self.in_flight.set_value((false, false));
            if again {
                self.refresh();
            }
        });
    }

    /// A case and the words of its steps.
    fn case(&self, id: CaseId) -> Option<(Case, Details)> {
        self.ledger.with(|LedgerView(l)| {
            let case = l.case(id)?.clone();
            Some((case, Details::of(l.events_of(id))))
        })
    }

    /// Takes a step: checked with the whole workflow first, then kept and sent.
    fn record(self, case: CaseId, kind: EventKind) -> Result<(), TransitionError> {
        let now = clock::now();
        let event = self.ledger.with_untracked(|LedgerView(l)| {
            let c = l.case(case).ok_or(TransitionError::NotFiled { case })?;
            let event = Event {
                id: EventId(env::new_uuid()),
                case,
                at: c.next_at(now),
                origin: Origin {
                    store: c.store.clone(),
                    touchpoint: c.touchpoint.clone(),
                    device: self.device,
                },
                kind,
            };
            fold(l.events_of(case).chain([&event]))?;
            Ok::<_, TransitionError>(event)
        })?;
        self.outbox.update(|o| {
            o.push(Queued {
                event,
                delivery: Delivery::Pending,
                reason: None,
            })
        });
        let store = self.store();
        self.outbox.with_untracked(|o| outbox::save(&store, o));
        self.refresh();
        Ok(())
    }

    fn lock(&self) {
        self.who.set(None);
        self.open.set(None);
        self.stickers.set(false);
        self.insights.set(false);
    }
}

#[component]
fn StaffApp() -> impl IntoView {
    let i18n = I18n::new(Locale::find(&env::preferred_languages()));
    provide_context(i18n);
    Effect::new(move |_| env::set_document_language(i18n.get_locale().as_str()));
    let body = match store_from_path(&env::path()) {
        Some(store) => Either::Left({
            let pulled = RwSignal::new(device::load_pulled(&store));
            let queued = RwSignal::new(outbox::load(&store));
            let ledger = Memo::new(move |_| {
                let mut l = Ledger::default();
                pulled.with(|p| {
                    for e in &p.events {
                        let _ = l.record(e.clone());
                    }
                });
                queued.with(|o| {
                    for q in o.iter().filter(|q| q.delivery != Delivery::Refused) {
                        let _ = l.record(q.event.clone());
                    }
                });
                LedgerView(l)
            });
            let staff = Staff {
                roster: RwSignal::new(device::load_roster(&store)),
                pulled,
                device: crate::platform::storage::device_id(|| DeviceId(env::new_uuid())),
                store: StoredValue::new(store),
                who: RwSignal::new(None),
                pull_failed: RwSignal::new(false),
                last_pull: RwSignal::new(pulled.with_untracked(|p| p.at)),
                outbox: queued,
                ledger,
                open: RwSignal::new(None),
                stickers: RwSignal::new(false),
                insights: RwSignal::new(false),
                in_flight: StoredValue::new((false, false)),
            };
            // Send and fetch when the network comes back.
            let online = window_event_listener(leptos::ev::online, move |_| staff.refresh());
            on_cleanup(move || online.remove());
            provide_context(staff);
            view! { <StaffShell /> }
        }),
        None => Either::Right(view! {
            <main class="srk-card">
                <h1>{st(i18n, |t| t.bad_address_title)}</h1>
                <p>{st(i18n, |t| t.bad_address_body)}</p>
            </main>
        }),
    };
    view! { <div class="srk-app">{body}</div> }
}

#[component]
fn StaffShell() -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let store_name = move || {
        staff.roster.with(|r| {
            r.profile
                .as_ref()
                .map_or_else(|| staff.store().to_string(), |p| p.name.clone())
        })
    };
    // Whether the browser keeps this tablet's unsent steps under storage pressure.
    let persisted = pwa::use_storage_persisted();
    // Idle lock: two minutes without a touch while unlocked.
    let last = StoredValue::new(clock::now());
    activity::use_user_activity(move || last.set_value(clock::now()));
    activity::use_interval(Duration::from_secs(1), move || {
        if staff.who.try_get_untracked().flatten().is_some()
            && clock::now().0 - last.get_value().0 >= idle_ms()
        {
            staff.lock();
        }
    });
    view! {
        <header class="srk-bar">
            <p class="srk-bar__place">
                {dynamic(move || fill(i18n.get_locale().staff().store, &[("store", &store_name())]))}
            </p>
            <LanguagePicker />
        </header>
        // A new version is offered only away from a case's forms (the queue, the unlock screen).
        <UpdateBanner
            at_rest=Signal::derive(move || staff.open.get().is_none())
            text=st(i18n, |t| t.update_ready)
            button=st(i18n, |t| t.update_now)
        />
        <main>
            {move || match staff.who.get() {
                None => Either::Left(view! { <Unlock on_unlocked=move || last.set_value(clock::now()) /> }),
                Some(member) => Either::Right(view! { <Workspace member /> }),
            }}
        </main>
        // Below the page's content, so that its late arrival moves nothing.
        {move || (persisted.get() == Some(false)).then(|| view! {
            // A short line that opens to the explanation: it waits below the work, never
            // outgrowing it.
            <div class="srk-card srk-notice" role="status">
                <details>
                    <summary>{st(i18n, |t| t.storage_refused_title)}</summary>
                    <p id="srk-storage-refused">{st(i18n, |t| t.storage_refused)}</p>
                </details>
            </div>
        })}
    }
}

/// The idle time before staff mode locks: two minutes, or `?staff_idle=<ms>` for tests.
fn idle_ms() -> i64 {
    env::query_param("staff_idle")
        .and_then(|v| v.parse::<i64>().ok())
        .map_or(STAFF_IDLE_MS, |ms| ms.max(1_000))
}

/// Why an unlock did not work, in words.
#[derive(Clone, Copy, Debug, PartialEq)]
enum UnlockProblem {
    Malformed,
    Wrong,
    Wait(i64),
    Locked,
    NeedsOnline,
}

#[component]
fn Unlock(on_unlocked: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let person = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<UnlockProblem>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // A new try: the last try's message goes.
        problem.set(None);
        let (who, code) = (person.get_untracked(), pin.get_untracked());
        if who.trim().is_empty() || !pin_is_well_formed(&code) {
            problem.set(Some(UnlockProblem::Malformed));
            return;
        }
        let now = clock::now();
        let gate = staff.roster.with_untracked(|r| r.throttle.gate(now));
        if let PinGate::WaitUntil(until) = gate {
            problem.set(Some(UnlockProblem::Wait((until.0 - now.0 + 999) / 1000)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let store = staff.store();
            let answer = device::login(&store, who.trim(), &code).await;
            let now = clock::now();
            let outcome = match answer {
                Login::Ok {
                    staff: member,
                    profile,
                    roster,
                    token,
                } => {
                    let hash = device::hash_pin(&code);
                    staff.roster.update(|r| {
                        r.pins.retain(|(id, _)| *id != member.id);
                        r.pins.push((member.id.clone(), hash));
                        r.profile = Some(*profile);
                        r.staff = roster;
                        r.token = Some(token);
                        r.throttle.succeed();
                    });
                    Ok(member)
                }
                Login::Wrong => Err(UnlockProblem::Wrong),
                Login::Wait(secs) => Err(UnlockProblem::Wait(secs as i64)),
                Login::Locked => Err(UnlockProblem::Locked),
                Login::NoAnswer => offline_check(staff, who.trim(), &code, gate),
            };
            match outcome {
                Ok(member) => {
                    staff.roster.update(|r| r.throttle.succeed());
                    staff.save_roster();
                    pin.set(String::new());
                    problem.set(None);
                    on_unlocked();
                    staff.who.set(Some(member));
                    staff.refresh();
                }
                Err(p) => {
                    if p == UnlockProblem::Wrong {
                        staff.roster.update(|r| r.throttle.fail(now));
                        staff.save_roster();
                    }
                    pin.set(String::new());
                    problem.set(Some(p));
                    env::focus("srk-pin");
                }
            }
            busy.set(false);
        });
    };

    let names = move || {
        staff.roster.with(|r| {
            r.staff
                .iter()
                .map(|m| {
                    let label = [m.name.as_str(), " (", m.id.as_str(), ")"].concat();
                    view! { <option value=m.id.to_string()>{label}</option> }
                })
                .collect_view()
        })
    };
    let message = move || {
        let t = i18n.get_locale().staff();
        problem.get().map(|p| match p {
            UnlockProblem::Malformed => t.pin_malformed.to_string(),
            UnlockProblem::Wrong => t.wrong_pin.to_string(),
            UnlockProblem::Wait(s) => fill(t.wait, &[("seconds", &s.max(1))]),
            UnlockProblem::Locked => t.locked.to_string(),
            UnlockProblem::NeedsOnline => t.needs_online.to_string(),
        })
    };
    view! {
        <form class="srk-card srk-unlock" on:submit=submit novalidate>
            <h1>{st(i18n, |t| t.unlock_title)}</h1>
            <p>{st(i18n, |t| t.unlock_intro)}</p>
            <label for="srk-person">{st(i18n, |t| t.person)}</label>
            <input
                id="srk-person"
                class="srk-input"
                list="srk-people"
                autocomplete="username"
                autocapitalize="none"
                bind:value=person
            />
            <datalist id="srk-people">{names}</datalist>
            <label for="srk-pin">{st(i18n, |t| t.pin)}</label>
            <input
                id="srk-pin"
                class="srk-input"
                type="password"
                inputmode="numeric"
                autocomplete="current-password"
                maxlength="12"
                aria-describedby="srk-unlock-problem"
                bind:value=pin
            />
            <p id="srk-unlock-problem" class="srk-error" role="alert">{message}</p>
            <button class="srk-button" type="submit" prop:disabled=busy>
                {st(i18n, |t| t.unlock)}
            </button>
        </form>
    }
}

/// Checks a PIN against the hash kept from an earlier online sign-in.
fn offline_check(
    staff: Staff,
    who: &str,
    code: &str,
    gate: PinGate,
) -> Result<StaffMember, UnlockProblem> {
    if gate == PinGate::Locked {
        return Err(UnlockProblem::Locked);
    }
    staff.roster.with_untracked(|r| {
        let member = r.staff.iter().find(|m| m.id.as_str() == who);
        let hash = r.pins.iter().find(|(id, _)| id.as_str() == who);
        match (member, hash) {
            (Some(m), Some((_, h))) if h.verify(code) => Ok(m.clone()),
            (_, Some(_)) => Err(UnlockProblem::Wrong),
            _ => Err(UnlockProblem::NeedsOnline),
        }
    })
}

#[component]
fn Workspace(member: StaffMember) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let name = member.name.clone();
    // Refresh from the server every 30 s while unlocked.
    activity::use_interval(Duration::from_secs(30), move || staff.refresh());
    let ledger = staff.ledger;
    let settings = move || {
        staff.roster.with(|r| {
            r.profile
                .as_ref()
                .map_or((SlaPolicy::default(), String::new()), |p| {
                    (p.sla, p.contact_salt.clone())
                })
        })
    };
    let repeats = Memo::new(move |_| {
        let salt = settings().1;
        ledger.with(|LedgerView(l)| repeat_cases(l.cases(), &salt))
    });
    let items = move || {
        let now = clock::now();
        let lang = i18n.get_locale();
        let policy = settings().0;
        ledger.with(|LedgerView(l)| {
            let q = repeats.with(|repeats| queue(l.cases(), &policy, repeats, now));
            if q.is_empty() {
                return Either::Left(view! {
                    <p id="srk-queue-empty">{lang.staff().queue_empty}</p>
                });
            }
            Either::Right(
                q.into_iter()
                    .filter_map(|item| l.case(item.case).map(|c| (item, c.clone())))
                    .map(|(item, case)| queue_row(i18n, staff, &item, &case))
                    .collect_view(),
            )
        })
    };
    let updated = move || {
        let lang = i18n.get_locale();
        let t = lang.staff();
        match (staff.last_pull.get(), staff.pull_failed.get()) {
            (_, true) => t.refresh_failed.to_string(),
            (Some(at), false) => fill(
                t.updated,
                &[(
                    "time",
                    &clock::format(at, lang.as_str(), clock::Style::DateTime),
                )],
            ),
            (None, false) => t.never_updated.to_string(),
        }
    };
    let outbox_line = move || {
        let t = i18n.get_locale().staff();
        let pending = staff
            .outbox
            .with(|o| o.iter().filter(|q| q.delivery == Delivery::Pending).count());
        if pending == 0 {
            t.all_sent.to_string()
        } else {
            fill(t.pending_steps, &[("count", &pending)])
        }
    };
    let refused = move || {
        let t = i18n.get_locale().staff();
        staff.outbox.with(|o| {
            o.iter()
                .filter(|q| q.delivery == Delivery::Refused)
                .map(|q| {
                    let reason = q.reason.clone().unwrap_or_default();
                    view! { <li>{fill(t.refused_by_server, &[("reason", &reason)])}</li> }
                })
                .collect_view()
        })
    };
    view! {
        <section class="srk-card srk-workspace" aria-label=move || i18n.get_locale().staff().signed_in_as.to_string()>
            <p id="srk-signed-in">
                {dynamic(move || fill(i18n.get_locale().staff().signed_in_as, &[("name", &name)]))}
            </p>
            <div class="srk-actions">
                <button id="srk-lock" class="srk-button" type="button" on:click=move |_| staff.lock()>
                    {st(i18n, |t| t.lock)}
                </button>
                <button id="srk-refresh" class="srk-button srk-button--quiet" type="button" on:click=move |_| staff.refresh()>
                    {st(i18n, |t| t.refresh)}
                </button>
                <button
                    id="srk-open-stickers"
                    class="srk-button srk-button--quiet"
                    type="button"
                    on:click=move |_| {
                        staff.open.set(None);
                        staff.insights.set(false);
                        staff.stickers.set(true);
                    }
                >
                    {st(i18n, |t| t.stickers_open)}
                </button>
                {(member.role == Role::Manager).then(|| view! {
                    <button
                        id="srk-open-insights"
                        class="srk-button srk-button--quiet"
                        type="button"
                        on:click=move |_| {
                            staff.open.set(None);
                            staff.stickers.set(false);
                            staff.insights.set(true);
                        }
                    >
                        {st(i18n, |t| t.insights.open)}
                    </button>
                })}
            </div>
            <p id="srk-updated" role="status">{updated}</p>
            <p id="srk-outbox" role="status">{outbox_line}</p>
            <ul id="srk-refused" class="srk-error">{refused}</ul>
        </section>
        <StaffAlerts />
        {move || match (staff.open.get(), staff.stickers.get(), staff.insights.get()) {
            (_, true, _) => EitherOf4::A(view! {
                <StickerSheet on_back=move || staff.stickers.set(false) />
            }),
            (_, false, true) => EitherOf4::D(view! {
                <InsightsScreen on_back=move || staff.insights.set(false) />
            }),
            (Some(case), false, false) => EitherOf4::B(view! {
                <CaseView case member=member.clone() repeat=repeats.with(|r| r.binary_search(&case).is_ok()) />
            }),
            (None, false, false) => EitherOf4::C(view! {
                <section class="srk-card" aria-labelledby="srk-queue-title">
                    <h1 id="srk-queue-title">{st(i18n, |t| t.queue_title)}</h1>
                    <ol id="srk-queue" class="srk-queue">{items}</ol>
                </section>
            }),
        }}
    }
}

/// A ledger as a memo value.
#[derive(Clone)]
struct LedgerView(Ledger);

impl PartialEq for LedgerView {
    /// Never equal: the ledger is rebuilt only when its sources change, and then it has news.
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

fn queue_row(
    i18n: I18n,
    staff: Staff,
    item: &recovery_core::QueueItem,
    case: &Case,
) -> impl IntoView + use<> {
    let lang = i18n.get_locale();
    let t = lang.staff();
    let time = clock::format(item.due_at, lang.as_str(), clock::Style::DateTime);
    let due = fill(
        match item.due {
            Due::Acknowledge => t.due_acknowledge,
            Due::Resolve => t.due_resolve,
            Due::FollowUp => t.due_follow_up,
        },
        &[("time", &time)],
    );
    let severity = match item.severity {
        Severity::High => t.severity_high,
        Severity::Medium => t.severity_medium,
        Severity::Low => t.severity_low,
    };
    let id = case.id;
    let class = if item.overdue {
        "srk-queue__item srk-queue__item--overdue"
    } else {
        "srk-queue__item"
    };
    view! {
        <li class=class data-ticket=case.ticket.to_string()>
            <button class="srk-button srk-button--quiet" type="button" on:click=move |_| staff.open.set(Some(id))>
                {fill(t.open_case, &[("ticket", &case.ticket)])}
            </button>
            " "
            <span>{labels::category(i18n, case.complaint.category)}</span>
            <span class="srk-queue__due">{due}</span>
            {item.overdue.then(|| view! { <span class="srk-badge srk-badge--alert">{t.overdue}</span> })}
            <span class="srk-badge">{severity}</span>
            {item.repeat.then(|| view! { <span class="srk-badge srk-badge--alert">{t.repeat}</span> })}
            <span class="srk-queue__place">{case.touchpoint.to_string()}</span>
            <p class="srk-queue__text">{case.complaint.description.clone()}</p>
        </li>
    }
}
