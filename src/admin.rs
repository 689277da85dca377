//! The web admin of a chain (`/admin/<chain>`), in the staff build (never in the customer's
//! download): a chain administrator creates and edits stores and their touchpoints, staff
//! (with PIN resets that end sessions) and tablets' device tokens, and reads the history of
//! every change; an area manager reads the stores they look after; a store's manager, signed
//! in with their store PIN, manages their store's staff and tablets. What each may do is the
//! core's [`recovery_core::Reach`], enforced by the server; the screens only show what it allows.
//!
//! Rooms: `client` talks with the server and keeps the session, `signin` is the sign-in form,
//! `stores` the store list and settings form, `people` a store's roster, `tokens` its device
//! tokens, `history` the history of changes, `compare` every store at a glance, `form` the
//! fields they share.

mod chain_people;
mod changes;
mod client;
mod compare;
mod form;
mod history;
mod people;
mod recipients;
mod shifts;
mod signin;
mod stores;
mod tokens;
mod visits;

use crate::shared::components::LanguagePicker;
use crate::shared::i18n::{I18n, Locale, fill, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::env;
use crate::staff::stickers::StickerSheet;
use client::Failed;
use leptos::either::{Either, EitherOf6};
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::api::admin::ChainView;
use recovery_core::{Reach, Slug};

/// The chain named in the address (`/admin/<chain>`).
pub fn chain_from_path(path: &str) -> Option<Slug> {
    let rest = path.trim_start_matches('/').strip_prefix("admin")?;
    Slug::parse(rest.trim_matches('/')).ok()
}

/// What the console shows.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Screen {
    /// A store's settings, staff and tablets (the first store when `None`).
    Store(Option<Slug>),
    /// The form of a new store.
    NewStore,
    /// The history of changes.
    History,
    /// The stores side by side.
    Compare,
    /// The people who run the chain.
    People,
    /// A store's sticker sheet.
    Stickers(Slug),
}

/// What the admin's screens share.
#[derive(Clone, Copy)]
struct Admin {
    chain: StoredValue<Slug>,
    token: RwSignal<Option<String>>,
    view: RwSignal<Option<ChainView>>,
    screen: RwSignal<Screen>,
    /// Why the last sign-in or session ended, for the sign-in form.
    ended: RwSignal<Option<Failed>>,
}

impl Admin {
    fn chain(&self) -> Slug {
        self.chain.get_value()
    }

    /// Reads the chain with `token`; signs out when the session is over.
    fn load(self, token: String) {
        spawn_local(async move {
            match client::chain(&self.chain(), &token).await {
                Ok(view) => self.enter(token, view),
                Err(failed) => self.sign_out(Some(failed)),
            }
        });
    }

    /// Signed in with `token`, which reaches `view`: kept for the next reload.
    fn enter(self, token: String, view: ChainView) {
        client::keep_token(&self.chain(), Some(&token));
        self.token.set(Some(token));
        self.view.set(Some(view));
    }

    fn sign_out(self, why: Option<Failed>) {
        client::keep_token(&self.chain(), None);
        self.token.set(None);
        self.view.set(None);
        self.screen.set(Screen::Store(None));
        self.ended.set(why);
    }

    /// The session's token (empty when signed out).
    fn token(&self) -> String {
        self.token.get_untracked().unwrap_or_default()
    }

    /// What the session reaches.
    fn reach(&self) -> Option<Reach> {
        self.view.with(|v| v.as_ref().map(|v| v.reach.clone()))
    }

    /// After a call failed: a sign-in that ended signs out; anything else is for the screen.
    fn failed(self, failed: Failed) -> Failed {
        if failed == Failed::Ended {
            self.sign_out(Some(Failed::Ended));
        }
        failed
    }
}

/// A failure in the admin's words.
fn failed_text(l: Locale, failed: &Failed) -> String {
    let e = &l.staff().admin.errors;
    match failed {
        Failed::Unreachable => e.unreachable.into(),
        Failed::Ended => e.session.into(),
        Failed::Wrong => e.wrong.into(),
        Failed::Wait(secs) => fill(e.wait, &[("seconds", secs)]),
        Failed::Locked => e.locked.into(),
        Failed::Forbidden => e.forbidden.into(),
        Failed::NotManager => e.not_manager.into(),
        Failed::Refused(code) => refusal_text(l, code).into(),
        Failed::Other => e.failed.into(),
    }
}

/// A rule's refusal code (the core's `SetupError::code`, `store_taken`, `token_days`) in words.
fn refusal_text(l: Locale, code: &str) -> &'static str {
    let e = &l.staff().admin.errors;
    match code {
        "setup_name" => e.setup_name,
        "setup_currency" => e.setup_currency,
        "setup_time" => e.setup_time,
        "setup_languages" => e.setup_languages,
        "setup_no_touchpoint" => e.setup_no_touchpoint,
        "setup_too_many_touchpoints" => e.setup_too_many_touchpoints,
        "setup_touchpoint_twice" => e.setup_touchpoint_twice,
        "setup_place" => e.setup_place,
        "setup_limit" => e.setup_limit,
        "setup_pin" => e.setup_pin,
        "setup_pin_needed" => e.setup_pin_needed,
        "setup_shift_name" => e.setup_shift_name,
        "setup_shift_hours" => e.setup_shift_hours,
        "setup_shift_staff" => e.setup_shift_staff,
        "setup_too_many_shifts" => e.setup_too_many_shifts,
        "setup_visits" => e.setup_visits,
        "recipient_address" => e.recipient_address,
        "recipient_rules" => e.recipient_rules,
        "recipient_customer_rule" => e.recipient_customer_rule,
        "recipient_quiet" => e.recipient_quiet,
        "recipient_secret" => e.recipient_secret,
        "store_taken" => e.store_taken,
        "token_days" => e.token_days,
        "id" => e.id,
        "number" => e.number,
        _ => e.failed,
    }
}

/// The admin's frame: the bar with the chain and languages, then sign-in or the console.
#[component]
pub fn AdminApp(chain: Slug) -> impl IntoView {
    let i18n = use_i18n();
    let admin = Admin {
        chain: StoredValue::new(chain.clone()),
        token: RwSignal::new(None),
        view: RwSignal::new(None),
        screen: RwSignal::new(Screen::Store(None)),
        ended: RwSignal::new(None),
    };
    provide_context(admin);
    if let Some(token) = client::kept_token(&chain) {
        admin.load(token);
    }
    let chain_name = move || {
        admin.view.with(|v| {
            v.as_ref()
                .map_or_else(|| admin.chain().to_string(), |v| v.chain.name.clone())
        })
    };
    Effect::new(move |_| {
        let title = fill(
            i18n.get_locale().staff().admin.page_title,
            &[("chain", &chain_name())],
        );
        env::set_title(&title);
    });
    let body = move || {
        if admin.token.get().is_none() {
            return Either::Left(view! { <signin::SignIn /> });
        }
        Either::Right(view! { <Console /> })
    };
    view! {
        <header class="srk-bar">
            <span class="srk-bar__title">{chain_name}</span>
            <LanguagePicker />
            {move || admin.token.get().is_some().then(|| view! {
                <button id="srk-admin-sign-out" class="srk-button srk-button--quiet" type="button"
                    on:click=move |_| admin.sign_out(None)>
                    {tr(i18n, |l| l.staff().admin.sign_out)}
                </button>
            })}
        </header>
        <main id="srk-admin">{body}</main>
    }
}

/// Mounts the admin for the chain in the address (or says the address is incomplete).
#[component]
pub fn AdminRoot() -> impl IntoView {
    let i18n = I18n::new(Locale::find(&env::preferred_languages()));
    provide_context(i18n);
    Effect::new(move |_| env::set_document_language(i18n.get_locale().as_str()));
    let body = match chain_from_path(&env::path()) {
        Some(chain) => Either::Left(view! { <AdminApp chain /> }),
        None => Either::Right(view! {
            <main class="srk-card">
                <h1>{tr(i18n, |l| l.staff().admin.signin_title)}</h1>
                <p>{tr(i18n, |l| l.staff().admin.bad_address)}</p>
            </main>
        }),
    };
    view! { <div class="srk-app srk-admin">{body}</div> }
}

/// Signed in: who, the stores they see, and the store, form, history or stickers on show.
#[component]
fn Console() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let who = move || {
        let l = i18n.get_locale().staff();
        admin.view.with(|v| {
            let Some(v) = v else { return String::new() };
            let reach = match &v.reach {
                Reach::ChainAdmin => l.admin.reach_chain.to_owned(),
                Reach::Area { stores } => {
                    let names: Vec<&str> = stores.iter().map(Slug::as_str).collect();
                    fill(l.admin.reach_area, &[("stores", &names.join(", "))])
                }
                Reach::StoreManager { store } => fill(l.admin.reach_store, &[("store", store)]),
            };
            let name = fill(l.admin.signed_in_as, &[("name", &v.person.name)]);
            [name, reach].join(" · ")
        })
    };
    let title = move || {
        let name = admin
            .view
            .with(|v| v.as_ref().map(|v| v.chain.name.clone()).unwrap_or_default());
        fill(i18n.get_locale().staff().admin.title, &[("chain", &name)])
    };
    let creates = move || admin.reach().is_some_and(|r| r.edits_stores());
    // A memo: a saved change to the chain's view (which re-reads the first store) must not
    // draw the store's panel afresh, losing its forms' state and their "Saved." lines.
    let current = Memo::new(move |_| match admin.screen.get() {
        Screen::Store(Some(store)) => Some(store),
        Screen::Store(None) => admin.view.with(|v| {
            v.as_ref()
                .and_then(|v| v.stores.first().map(|s| s.slug.clone()))
        }),
        _ => None,
    });
    let nav = move || {
        admin.view.with(|v| {
            v.as_ref()
                .map(|v| {
                    v.stores
                        .iter()
                        .map(|s| {
                            let slug = s.slug.clone();
                            let pressed = {
                                let slug = slug.clone();
                                move || (current.get() == Some(slug.clone())).to_string()
                            };
                            let label = format!("{} ({})", s.setup.name, s.slug);
                            view! {
                                <li><button class="srk-button srk-button--quiet" type="button"
                                    data-store=slug.to_string() aria-pressed=pressed
                                    on:click=move |_| admin.screen.set(Screen::Store(Some(slug.clone())))>
                                    {label}
                                </button></li>
                            }
                        })
                        .collect_view()
                })
                .unwrap_or_default()
        })
    };
    let shown = move || match admin.screen.get() {
        Screen::NewStore => EitherOf6::A(view! { <stores::StoreForm store=None /> }),
        Screen::History => EitherOf6::B(view! { <history::HistoryList /> }),
        Screen::Compare => EitherOf6::E(view! { <compare::CompareStores /> }),
        Screen::People => EitherOf6::F(view! { <chain_people::ChainPeople /> }),
        Screen::Stickers(store) => {
            let back = {
                let store = StoredValue::new(store.clone());
                move || admin.screen.set(Screen::Store(Some(store.get_value())))
            };
            let profile = {
                let store = store.clone();
                Signal::derive(move || {
                    admin.view.with(|v| {
                        v.as_ref()?
                            .stores
                            .iter()
                            .find(|s| s.slug == store)
                            .map(|s| s.setup.profile(store.clone()))
                    })
                })
            };
            EitherOf6::C(view! { <StickerSheet store profile on_back=back /> })
        }
        Screen::Store(_) => EitherOf6::D(move || {
            current
                .get()
                .map(|store| view! { <stores::StorePanel store /> })
        }),
    };
    view! {
        <section class="srk-card srk-admin__head" aria-labelledby="srk-admin-title">
            <h1 id="srk-admin-title" tabindex="-1">{title}</h1>
            <p id="srk-admin-who">{who}</p>
            <nav aria-labelledby="srk-admin-stores">
                <h2 id="srk-admin-stores">{tr(i18n, |l| l.staff().admin.stores)}</h2>
                <ul class="srk-admin__stores">{nav}</ul>
                <div class="srk-actions">
                    {move || creates().then(|| view! {
                        <button id="srk-admin-new-store" class="srk-button" type="button"
                            on:click=move |_| admin.screen.set(Screen::NewStore)>
                            {tr(i18n, |l| l.staff().admin.new_store)}
                        </button>
                    })}
                    {move || creates().then(|| view! {
                        <button id="srk-admin-people-open" class="srk-button srk-button--quiet" type="button"
                            on:click=move |_| admin.screen.set(Screen::People)>
                            {tr(i18n, |l| l.staff().admin.people.open)}
                        </button>
                    })}
                    <button id="srk-admin-compare-open" class="srk-button srk-button--quiet" type="button"
                        on:click=move |_| admin.screen.set(Screen::Compare)>
                        {tr(i18n, |l| l.staff().admin.compare.open)}
                    </button>
                    <button id="srk-admin-history" class="srk-button srk-button--quiet" type="button"
                        on:click=move |_| admin.screen.set(Screen::History)>
                        {tr(i18n, |l| l.staff().admin.history)}
                    </button>
                </div>
            </nav>
        </section>
        {shown}
    }
}
