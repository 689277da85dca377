//! Signing in to the admin: a chain person with their ID and password, or a store's manager
//! with their store, staff ID and PIN (the same PIN as on the store's tablets).

use super::client::{self, Failed};
use super::form::Input;
use super::{Admin, failed_text};
use crate::shared::i18n::use_i18n;
use crate::shared::labels::tr;
use crate::shared::platform::env;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::{Slug, password_is_well_formed, pin_is_well_formed};

#[component]
pub(super) fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let as_store = RwSignal::new(false);
    let (person, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (store, staff, pin) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(admin.ended.get_untracked());
    let text = move |pick: fn(&crate::shared::i18n::StaffAdminTexts) -> &'static str| {
        Signal::derive(move || pick(&i18n.get_locale().staff().admin).to_owned())
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let chain = admin.chain();
        let malformed = || {
            problem.set(Some(Failed::Refused("malformed".into())));
            env::focus("srk-admin-signin-problem");
        };
        if as_store.get_untracked() {
            let (who, code) = (staff.get_untracked(), pin.get_untracked());
            let Ok(store) = Slug::parse(store.get_untracked().trim()) else {
                return malformed();
            };
            if who.trim().is_empty() || !pin_is_well_formed(&code) {
                return malformed();
            }
            busy.set(true);
            spawn_local(async move {
                match client::sign_in_manager(&store, who.trim(), &code).await {
                    Ok(token) => match client::chain(&chain, &token).await {
                        Ok(view) => admin.enter(token, view),
                        Err(Failed::Forbidden) => problem.set(Some(Failed::NotManager)),
                        Err(failed) => problem.set(Some(failed)),
                    },
                    Err(failed) => problem.set(Some(failed)),
                }
                busy.set(false);
            });
        } else {
            let (who, secret) = (person.get_untracked(), password.get_untracked());
            if who.trim().is_empty() || !password_is_well_formed(&secret) {
                return malformed();
            }
            busy.set(true);
            spawn_local(async move {
                match client::sign_in_person(&chain, who.trim(), &secret).await {
                    Ok(session) => admin.load(session.token),
                    Err(failed) => problem.set(Some(failed)),
                }
                busy.set(false);
            });
        }
    };
    let problem_text = move || {
        problem.get().map(|p| match p {
            Failed::Refused(code) if code == "malformed" => {
                i18n.get_locale().staff().admin.errors.malformed.to_owned()
            }
            other => failed_text(i18n.get_locale(), &other),
        })
    };
    let chain_fields = view! {
        <Input id="srk-admin-person" label=text(|a| a.person) value=person autocomplete="username" />
        <Input id="srk-admin-password" label=text(|a| a.password) value=password kind="password"
            autocomplete="current-password" />
    };
    let store_fields = view! {
        <Input id="srk-admin-store" label=text(|a| a.store_id) value=store />
        <Input id="srk-admin-staff" label=text(|a| a.staff_id) value=staff autocomplete="username" />
        <Input id="srk-admin-pin" label=text(|a| a.pin) value=pin kind="password"
            autocomplete="current-password" />
    };
    view! {
        <section class="srk-card" aria-labelledby="srk-admin-signin-title">
            <h1 id="srk-admin-signin-title">{tr(i18n, |l| l.staff().admin.signin_title)}</h1>
            <p>{tr(i18n, |l| l.staff().admin.signin_intro)}</p>
            <form on:submit=submit novalidate>
                <fieldset class="srk-field">
                    <legend>{tr(i18n, |l| l.staff().admin.who_are_you)}</legend>
                    <label class="srk-admin__check">
                        <input type="radio" name="srk-admin-as" id="srk-admin-as-chain"
                            prop:checked=move || !as_store.get() on:change=move |_| as_store.set(false) />
                        {tr(i18n, |l| l.staff().admin.as_chain)}
                    </label>
                    <label class="srk-admin__check">
                        <input type="radio" name="srk-admin-as" id="srk-admin-as-store"
                            prop:checked=move || as_store.get() on:change=move |_| as_store.set(true) />
                        {tr(i18n, |l| l.staff().admin.as_store)}
                    </label>
                </fieldset>
                <div hidden=move || as_store.get()>{chain_fields}</div>
                <div hidden=move || !as_store.get()>{store_fields}</div>
                <p id="srk-admin-signin-problem" class="srk-error" role="alert" tabindex="-1">{problem_text}</p>
                <button id="srk-admin-signin" class="srk-button" type="submit" disabled=move || busy.get()>
                    {tr(i18n, |l| l.staff().admin.signin)}
                </button>
            </form>
        </section>
    }
}
