//! A store in the admin: its settings form (a chain administrator edits it, everyone else reads
//! it), the way to its sticker sheet, its staff and its tablets' tokens; and the form of a new
//! store.

use super::client;
use super::form::{Check, Input, Outcome, OutcomeLine, text, whole};
use super::{Admin, Screen, failed_text, people, recipients, refusal_text, shifts, tokens, visits};
use crate::shared::i18n::{Locale, fill, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::env;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::api::admin::RosterEntry;
use recovery_core::{LANGUAGES, Slug, StoreSetup, TouchpointSetup};

/// One touchpoint row of the form.
#[derive(Clone, Copy)]
struct Row {
    key: usize,
    slug: RwSignal<String>,
    name: RwSignal<String>,
    sticker: RwSignal<String>,
}

/// A store's settings, sticker sheet, staff and tablets.
#[component]
pub(super) fn StorePanel(store: Slug) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let reach = admin.reach();
    let runs = reach.as_ref().is_some_and(|r| r.runs(&store));
    // Read once by the staff panel, shown by the shift plan's "who works it" too.
    let roster = RwSignal::new(None::<Vec<RosterEntry>>);
    let stickers = {
        let store = store.clone();
        move |_| admin.screen.set(Screen::Stickers(store.clone()))
    };
    view! {
        <StoreForm store=Some(store.clone()) />
        <section class="srk-card">
            <button id="srk-admin-stickers" class="srk-button srk-button--quiet" type="button" on:click=stickers>
                {tr(i18n, |l| l.staff().admin.stickers)}
            </button>
        </section>
        <people::People store=store.clone() roster />
        <shifts::ShiftPlanForm store=store.clone() roster />
        <recipients::RecipientList store=store.clone() />
        <visits::VisitList store=store.clone() />
        {runs.then(|| view! { <tokens::TokenList store=store.clone() /> })}
    }
}

/// The settings form of `store`, or of a new store for `None`.
#[component]
pub(super) fn StoreForm(store: Option<Slug>) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let editable = admin.reach().is_some_and(|r| r.edits_stores());
    let disabled = Signal::stored(!editable);
    let setup = store.as_ref().and_then(|s| {
        admin.view.with_untracked(|v| {
            v.as_ref().and_then(|v| {
                v.stores
                    .iter()
                    .find(|x| &x.slug == s)
                    .map(|x| x.setup.clone())
            })
        })
    });
    let new = store.is_none();
    let setup = setup.unwrap_or_else(|| StoreSetup {
        name: String::new(),
        currency: "EUR".into(),
        ack_minutes: 10,
        resolve_hours: 24,
        follow_up_days: 3,
        retention_days: 365,
        languages: LANGUAGES.iter().map(|l| (*l).to_owned()).collect(),
        chime: false,
        touchpoints: Vec::new(),
    });
    let slug = RwSignal::new(store.as_ref().map(Slug::to_string).unwrap_or_default());
    let name = RwSignal::new(setup.name.clone());
    let currency = RwSignal::new(setup.currency.clone());
    let ack = RwSignal::new(setup.ack_minutes.to_string());
    let resolve = RwSignal::new(setup.resolve_hours.to_string());
    let follow = RwSignal::new(setup.follow_up_days.to_string());
    let retention = RwSignal::new(setup.retention_days.to_string());
    let chime = RwSignal::new(setup.chime);
    let languages: Vec<(Locale, RwSignal<bool>)> = Locale::ALL
        .into_iter()
        .map(|l| {
            (
                l,
                RwSignal::new(setup.languages.iter().any(|t| t == l.as_str())),
            )
        })
        .collect();
    let next_key = StoredValue::new(0usize);
    let row = move |t: Option<&TouchpointSetup>| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        Row {
            key,
            slug: RwSignal::new(t.map(|t| t.slug.to_string()).unwrap_or_default()),
            name: RwSignal::new(t.map(|t| t.name.clone()).unwrap_or_default()),
            sticker: RwSignal::new(t.map(|t| t.sticker.clone()).unwrap_or_default()),
        }
    };
    let mut first: Vec<Row> = setup.touchpoints.iter().map(|t| row(Some(t))).collect();
    if first.is_empty() {
        first.push(row(None));
    }
    let rows = RwSignal::new(first);
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);

    let langs = languages.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !editable {
            return;
        }
        let l = i18n.get_locale();
        let problem = |code: &str| {
            outcome.set(Some(Outcome::Problem(refusal_text(l, code).to_owned())));
        };
        let Ok(store) = Slug::parse(slug.get_untracked().trim()) else {
            return problem("id");
        };
        let numbers = [ack, resolve, follow, retention].map(|s| whole(&s.get_untracked()));
        let [Some(ack), Some(resolve), Some(follow), Some(retention)] = numbers else {
            return problem("number");
        };
        let mut touchpoints = Vec::new();
        for r in rows.get_untracked() {
            let Ok(slug) = Slug::parse(r.slug.get_untracked().trim()) else {
                return problem("id");
            };
            touchpoints.push(TouchpointSetup {
                slug,
                name: r.name.get_untracked().trim().to_owned(),
                sticker: r.sticker.get_untracked().trim().to_owned(),
            });
        }
        let setup = StoreSetup {
            name: name.get_untracked().trim().to_owned(),
            currency: currency.get_untracked().trim().to_ascii_uppercase(),
            ack_minutes: ack,
            resolve_hours: resolve,
            follow_up_days: follow,
            retention_days: retention,
            languages: langs
                .iter()
                .filter(|(_, on)| on.get_untracked())
                .map(|(l, _)| l.as_str().to_owned())
                .collect(),
            chime: chime.get_untracked(),
            touchpoints,
        };
        // The same checks as the server's, before asking it.
        if let Err(e) = setup.check() {
            return problem(e.code());
        }
        busy.set(true);
        spawn_local(async move {
            let chain = admin.chain();
            match client::put_store(&chain, &store, &setup, &admin.token()).await {
                Ok(saved) => {
                    admin.view.update(|v| {
                        if let Some(v) = v {
                            match v.stores.iter_mut().find(|s| s.slug == saved.slug) {
                                Some(kept) => *kept = saved.clone(),
                                None => {
                                    v.stores.push(saved.clone());
                                    v.stores.sort_by(|a, b| a.slug.cmp(&b.slug));
                                }
                            }
                        }
                    });
                    let l = i18n.get_locale();
                    outcome.set(Some(Outcome::Done(l.staff().admin.saved.to_owned())));
                    if new {
                        admin.screen.set(Screen::Store(Some(saved.slug)));
                        request_animation_frame(|| env::focus("srk-admin-store-title"));
                    }
                }
                Err(failed) => {
                    let failed = admin.failed(failed);
                    let l = i18n.get_locale();
                    outcome.set(Some(Outcome::Problem(failed_text(l, &failed))));
                }
            }
            busy.set(false);
        });
    };
    let title = {
        let store = store.clone();
        move || {
            let a = &i18n.get_locale().staff().admin;
            match &store {
                Some(store) => {
                    let name = admin.view.with(|v| {
                        v.as_ref()
                            .and_then(|v| v.stores.iter().find(|s| &s.slug == store))
                            .map_or_else(|| store.to_string(), |s| s.setup.name.clone())
                    });
                    fill(a.store_settings, &[("store", &name)])
                }
                None => a.new_store_title.to_owned(),
            }
        }
    };
    let language_boxes = languages
        .into_iter()
        .map(|(l, on)| {
            let id = ["srk-admin-lang-", l.as_str()].concat();
            view! { <Check id label=Signal::stored(l.name().to_owned()) value=on disabled /> }
        })
        .collect_view();
    let remove_label = move |r: Row| {
        Signal::derive(move || {
            let a = &i18n.get_locale().staff().admin;
            fill(a.tp_remove, &[("place", &r.slug.get())])
        })
    };
    let row_views = move || {
        rows.get()
            .into_iter()
            .map(|r| {
                let id = |what: &str| format!("srk-admin-tp-{}-{what}", r.key);
                view! {
                    <li class="srk-admin__row" data-row=r.key>
                        <Input id=id("slug") label=text(i18n, |a| a.tp_id) value=r.slug disabled />
                        <Input id=id("name") label=text(i18n, |a| a.tp_name) value=r.name disabled />
                        <Input id=id("sticker") label=text(i18n, |a| a.tp_sticker) value=r.sticker disabled />
                        {editable.then(|| view! {
                            <button class="srk-button srk-button--quiet" type="button"
                                aria-label=remove_label(r)
                                on:click=move |_| rows.update(|rs| rs.retain(|x| x.key != r.key))>
                                "×"
                            </button>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="srk-card" aria-labelledby="srk-admin-store-title">
            <h2 id="srk-admin-store-title" tabindex="-1">{title}</h2>
            {(!editable).then(|| view! { <p class="srk-note">{tr(i18n, |l| l.staff().admin.read_only)}</p> })}
            <form id="srk-admin-store-form" on:submit=submit novalidate>
                {new.then(|| view! { <Input id="srk-admin-store-id" label=text(i18n, |a| a.store_id) value=slug /> })}
                <Input id="srk-admin-store-name" label=text(i18n, |a| a.store_name) value=name disabled />
                <Input id="srk-admin-currency" label=text(i18n, |a| a.currency) value=currency disabled />
                <Input id="srk-admin-ack" label=text(i18n, |a| a.ack_minutes) value=ack kind="number" disabled />
                <Input id="srk-admin-resolve" label=text(i18n, |a| a.resolve_hours) value=resolve kind="number" disabled />
                <Input id="srk-admin-follow-up" label=text(i18n, |a| a.follow_up_days) value=follow kind="number" disabled />
                <Input id="srk-admin-retention" label=text(i18n, |a| a.retention_days) value=retention kind="number" disabled />
                <fieldset class="srk-field">
                    <legend>{tr(i18n, |l| l.staff().admin.languages)}</legend>
                    {language_boxes}
                </fieldset>
                <Check id="srk-admin-chime" label=text(i18n, |a| a.chime) value=chime disabled />
                <fieldset class="srk-field">
                    <legend>{tr(i18n, |l| l.staff().admin.touchpoints)}</legend>
                    <ol class="srk-admin__rows">{row_views}</ol>
                    {editable.then(|| view! {
                        <button id="srk-admin-tp-add" class="srk-button srk-button--quiet" type="button"
                            on:click=move |_| {
                                let r = row(None);
                                rows.update(|rs| rs.push(r));
                                let id = format!("srk-admin-tp-{}-slug", r.key);
                                request_animation_frame(move || env::focus(&id));
                            }>
                            {tr(i18n, |l| l.staff().admin.tp_add)}
                        </button>
                    })}
                </fieldset>
                <OutcomeLine id="srk-admin-store-outcome" outcome />
                {editable.then(|| view! {
                    <button id="srk-admin-save-store" class="srk-button" type="submit" disabled=move || busy.get()>
                        {tr(i18n, |l| l.staff().admin.save_store)}
                    </button>
                })}
            </form>
        </section>
    }
}
