//! The people who run the chain, for its administrators: chain administrators and area
//! managers (with the stores they look after), and the form that adds one or changes one (a new
//! password or a deactivation ends their sign-ins at once). The server refuses an administrator
//! taking their own role or access away; the form says so.

use super::client;
use super::form::{Check, Input, Outcome, OutcomeLine};
use super::{Admin, failed_text};
use crate::shared::i18n::{I18n, StaffAdminPeopleTexts, fill, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::env;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::api::admin::PersonEntry;
use recovery_core::{ChainRole, PersonSetup, Slug};

fn text(i18n: I18n, pick: fn(&StaffAdminPeopleTexts) -> &'static str) -> Signal<String> {
    Signal::derive(move || pick(&i18n.get_locale().staff().admin.people).to_owned())
}

/// A rule's code about a chain person in words.
fn problem(i18n: I18n, code: &str) -> String {
    let l = i18n.get_locale();
    let e = &l.staff().admin.people.errors;
    match code {
        "person_password" => e.person_password.to_owned(),
        "person_password_needed" => e.person_password_needed.to_owned(),
        "person_stores" => e.person_stores.to_owned(),
        "person_self" => e.person_self.to_owned(),
        other => super::refusal_text(l, other).to_owned(),
    }
}

#[component]
pub(super) fn ChainPeople() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let list = RwSignal::new(None::<Result<Vec<PersonEntry>, String>>);
    spawn_local(async move {
        let got = client::people(&admin.chain(), &admin.token()).await;
        list.set(Some(got.map(|p| p.people).map_err(|failed| {
            failed_text(i18n.get_locale(), &admin.failed(failed))
        })));
    });
    request_animation_frame(|| env::focus("srk-admin-people-title"));
    let stores: Vec<(Slug, String, RwSignal<bool>)> = admin.view.with_untracked(|v| {
        v.as_ref()
            .map(|v| {
                v.stores
                    .iter()
                    .map(|s| (s.slug.clone(), s.setup.name.clone(), RwSignal::new(false)))
                    .collect()
            })
            .unwrap_or_default()
    });
    let boxes = StoredValue::new(stores.clone());
    let open = RwSignal::new(false);
    let editing = RwSignal::new(None::<Slug>);
    let (id, name, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let area = RwSignal::new(true);
    let active = RwSignal::new(true);
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let start = move |entry: Option<PersonEntry>| {
        outcome.set(None);
        password.set(String::new());
        let chosen: Vec<Slug> = entry
            .as_ref()
            .map(|e| e.member.stores.clone())
            .unwrap_or_default();
        boxes.with_value(|b| b.iter().for_each(|(s, _, on)| on.set(chosen.contains(s))));
        match entry {
            Some(e) => {
                id.set(e.member.id.to_string());
                name.set(e.member.name.clone());
                area.set(e.member.role == ChainRole::Area);
                active.set(e.active);
                editing.set(Some(e.member.id));
            }
            None => {
                id.set(String::new());
                name.set(String::new());
                area.set(true);
                active.set(true);
                editing.set(None);
            }
        }
        open.set(true);
        request_animation_frame(|| env::focus("srk-admin-chain-person-title"));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let say = |text: String| outcome.set(Some(Outcome::Problem(text)));
        let Ok(person) = Slug::parse(id.get_untracked().trim()) else {
            return say(problem(i18n, "id"));
        };
        let typed = password.get_untracked();
        let is_area = area.get_untracked();
        let setup = PersonSetup {
            name: name.get_untracked().trim().to_owned(),
            role: if is_area {
                ChainRole::Area
            } else {
                ChainRole::Admin
            },
            stores: if is_area {
                boxes.with_value(|b| {
                    b.iter()
                        .filter(|(_, _, on)| on.get_untracked())
                        .map(|(s, _, _)| s.clone())
                        .collect()
                })
            } else {
                Vec::new()
            },
            password: (!typed.is_empty()).then_some(typed),
            active: active.get_untracked(),
        };
        if let Err(e) = setup.check(editing.get_untracked().is_none()) {
            return say(problem(i18n, e.code()));
        }
        busy.set(true);
        spawn_local(async move {
            match client::put_chain_person(&admin.chain(), &person, &setup, &admin.token()).await {
                Ok(saved) => {
                    list.update(|l| {
                        if let Some(Ok(people)) = l {
                            people.retain(|p| p.member.id != saved.member.id);
                            people.push(saved);
                            people.sort_by(|a, b| a.member.id.cmp(&b.member.id));
                        }
                    });
                    password.set(String::new());
                    editing.set(Some(person));
                    let l = i18n.get_locale();
                    outcome.set(Some(Outcome::Done(l.staff().admin.saved.to_owned())));
                }
                Err(client::Failed::Refused(code)) => {
                    outcome.set(Some(Outcome::Problem(problem(i18n, &code))))
                }
                Err(failed) => {
                    let text = failed_text(i18n.get_locale(), &admin.failed(failed));
                    outcome.set(Some(Outcome::Problem(text)));
                }
            }
            busy.set(false);
        });
    };
    let rows = move || {
        let l = i18n.get_locale();
        let a = &l.staff().admin;
        let p = &a.people;
        match list.get() {
            None => view! { <tr><td colspan="6">{a.loading}</td></tr> }.into_any(),
            Some(Err(problem)) => view! { <tr><td colspan="6" class="srk-error">{problem}</td></tr> }.into_any(),
            Some(Ok(people)) => people
                .into_iter()
                .map(|e| {
                    let role = match e.member.role {
                        ChainRole::Admin => p.role_admin,
                        ChainRole::Area => p.role_area,
                    };
                    let stores = if e.member.role == ChainRole::Admin {
                        p.all_stores.to_owned()
                    } else {
                        e.member.stores.iter().map(Slug::as_str).collect::<Vec<_>>().join(", ")
                    };
                    let label = fill(p.edit, &[("name", &e.member.name)]);
                    let entry = e.clone();
                    view! {
                        <tr data-person=e.member.id.to_string()>
                            <th scope="row">{e.member.name.clone()}</th>
                            <td>{e.member.id.to_string()}</td>
                            <td>{role}</td>
                            <td>{stores}</td>
                            <td>{if e.active { a.active } else { a.inactive }}</td>
                            <td>
                                <button class="srk-button srk-button--quiet" type="button" aria-label=label
                                    on:click=move |_| start(Some(entry.clone()))>
                                    {a.edit_short}
                                </button>
                            </td>
                        </tr>
                    }
                    .into_any()
                })
                .collect_view()
                .into_any(),
        }
    };
    let title = move || {
        let p = &i18n.get_locale().staff().admin.people;
        match editing.get() {
            Some(_) => fill(p.edit_title, &[("name", &name.get())]),
            None => p.new_title.to_owned(),
        }
    };
    let password_label = Signal::derive(move || {
        let p = &i18n.get_locale().staff().admin.people;
        if editing.get().is_some() {
            p.new_password
        } else {
            p.first_password
        }
        .to_owned()
    });
    let store_boxes = stores
        .into_iter()
        .map(|(slug, name, on)| {
            let id = ["srk-admin-chain-person-store-", slug.as_str()].concat();
            view! { <Check id label=Signal::stored(name) value=on /> }
        })
        .collect_view();
    view! {
        <section class="srk-card" aria-labelledby="srk-admin-people-title">
            <h2 id="srk-admin-people-title" tabindex="-1">{tr(i18n, |l| l.staff().admin.people.title)}</h2>
            <p class="srk-note">{tr(i18n, |l| l.staff().admin.people.intro)}</p>
            <table id="srk-admin-people" class="srk-table srk-admin__table">
                <thead><tr>
                    <th scope="col">{tr(i18n, |l| l.staff().admin.col_name)}</th>
                    <th scope="col">{tr(i18n, |l| l.staff().admin.col_id)}</th>
                    <th scope="col">{tr(i18n, |l| l.staff().admin.people.role)}</th>
                    <th scope="col">{tr(i18n, |l| l.staff().admin.people.col_stores)}</th>
                    <th scope="col">{tr(i18n, |l| l.staff().admin.col_state)}</th>
                    <td></td>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <button id="srk-admin-add-chain-person" class="srk-button srk-button--quiet" type="button"
                on:click=move |_| start(None)>
                {tr(i18n, |l| l.staff().admin.people.add)}
            </button>
            <form id="srk-admin-chain-person-form" class="srk-admin__subform" hidden=move || !open.get()
                on:submit=submit novalidate aria-labelledby="srk-admin-chain-person-title">
                <h3 id="srk-admin-chain-person-title" tabindex="-1">{title}</h3>
                <Input id="srk-admin-chain-person-id" label=text(i18n, |p| p.id) value=id
                    disabled=Signal::derive(move || editing.get().is_some()) />
                <Input id="srk-admin-chain-person-name" label=text(i18n, |p| p.name) value=name />
                <fieldset class="srk-field">
                    <legend>{tr(i18n, |l| l.staff().admin.people.role)}</legend>
                    <label class="srk-admin__check">
                        <input type="radio" name="srk-admin-chain-role" prop:checked=move || !area.get()
                            on:change=move |_| area.set(false) />
                        {tr(i18n, |l| l.staff().admin.people.role_admin)}
                    </label>
                    <label class="srk-admin__check">
                        <input type="radio" name="srk-admin-chain-role" prop:checked=move || area.get()
                            on:change=move |_| area.set(true) />
                        {tr(i18n, |l| l.staff().admin.people.role_area)}
                    </label>
                </fieldset>
                <fieldset class="srk-field" disabled=move || !area.get()>
                    <legend>{tr(i18n, |l| l.staff().admin.people.stores)}</legend>
                    {store_boxes}
                </fieldset>
                <Input id="srk-admin-chain-person-password" label=password_label value=password kind="password"
                    autocomplete="new-password" />
                <Check id="srk-admin-chain-person-active" label=text(i18n, |p| p.active) value=active />
                <OutcomeLine id="srk-admin-chain-person-outcome" outcome />
                <div class="srk-actions">
                    <button id="srk-admin-save-chain-person" class="srk-button" type="submit" disabled=move || busy.get()>
                        {tr(i18n, |l| l.staff().admin.people.save)}
                    </button>
                    <button class="srk-button srk-button--quiet" type="button" on:click=move |_| open.set(false)>
                        {tr(i18n, |l| l.staff().admin.cancel)}
                    </button>
                </div>
            </form>
        </section>
    }
}
