//! A store's roster in the admin: everyone, active or not, and the form that adds a person or
//! changes one (a new PIN ends their sessions at once). A chain administrator changes anyone;
//! a store's manager their store's staff, not its managers; an area manager only reads.

use super::client;
use super::form::{Check, Input, Outcome, OutcomeLine, text, whole};
use super::{Admin, failed_text, refusal_text};
use crate::shared::i18n::{StaffAdminTexts, fill, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::env;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::api::admin::RosterEntry;
use recovery_core::{Role, Slug, StaffSetup};

fn role_text(a: &StaffAdminTexts, role: Role) -> &'static str {
    match role {
        Role::Staff => a.role_staff,
        Role::Manager => a.role_manager,
    }
}

/// The roster of `store` and its person form: it reads the roster into `roster`, which the
/// store's other panels (its shift plan) read too.
#[component]
pub(super) fn People(store: Slug, roster: RwSignal<Option<Vec<RosterEntry>>>) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let reach = StoredValue::new(admin.reach());
    let store_v = StoredValue::new(store.clone());
    let may = move |role: Role| {
        reach.with_value(|r| {
            r.as_ref()
                .is_some_and(|r| r.manages_staff(&store_v.get_value(), role))
        })
    };
    let load = move || {
        spawn_local(async move {
            let chain = admin.chain();
            match client::roster(&chain, &store_v.get_value(), &admin.token()).await {
                Ok(r) => roster.set(Some(r.staff)),
                Err(failed) => {
                    admin.failed(failed);
                }
            }
        });
    };
    load();
    // The form: `editing` is the person changed (none for a new one); shown when `open`.
    let open = RwSignal::new(false);
    let editing = RwSignal::new(None::<Slug>);
    let (id, name, limit, pin) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::from("2500")),
        RwSignal::new(String::new()),
    );
    let manager = RwSignal::new(false);
    let active = RwSignal::new(true);
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let start = move |entry: Option<RosterEntry>| {
        outcome.set(None);
        match entry {
            Some(e) => {
                id.set(e.id.to_string());
                name.set(e.name);
                limit.set(e.limit_minor.to_string());
                manager.set(e.role == Role::Manager);
                active.set(e.active);
                editing.set(Some(e.id));
            }
            None => {
                id.set(String::new());
                name.set(String::new());
                limit.set("2500".into());
                manager.set(false);
                active.set(true);
                editing.set(None);
            }
        }
        pin.set(String::new());
        open.set(true);
        request_animation_frame(|| env::focus("srk-admin-person-title"));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = i18n.get_locale();
        let problem = |code: &str| {
            outcome.set(Some(Outcome::Problem(refusal_text(l, code).to_owned())));
        };
        let Ok(person) = Slug::parse(id.get_untracked().trim()) else {
            return problem("id");
        };
        let Some(limit_minor) = whole(&limit.get_untracked()) else {
            return problem("number");
        };
        let typed = pin.get_untracked();
        let setup = StaffSetup {
            name: name.get_untracked().trim().to_owned(),
            role: if manager.get_untracked() {
                Role::Manager
            } else {
                Role::Staff
            },
            limit_minor,
            pin: (!typed.is_empty()).then_some(typed),
            active: active.get_untracked(),
        };
        if let Err(e) = setup.check(editing.get_untracked().is_none()) {
            return problem(e.code());
        }
        busy.set(true);
        spawn_local(async move {
            let chain = admin.chain();
            let store = store_v.get_value();
            match client::put_person(&chain, &store, &person, &setup, &admin.token()).await {
                Ok(saved) => {
                    roster.update(|r| {
                        let list = r.get_or_insert_with(Vec::new);
                        list.retain(|e| e.id != saved.id);
                        list.push(saved);
                        list.sort_by(|a, b| a.id.cmp(&b.id));
                    });
                    pin.set(String::new());
                    editing.set(Some(person));
                    let l = i18n.get_locale();
                    outcome.set(Some(Outcome::Done(l.staff().admin.saved.to_owned())));
                }
                Err(failed) => {
                    let failed = admin.failed(failed);
                    outcome.set(Some(Outcome::Problem(failed_text(
                        i18n.get_locale(),
                        &failed,
                    ))));
                }
            }
            busy.set(false);
        });
    };
    let rows = move || {
        let a = &i18n.get_locale().staff().admin;
        roster.get().map(|list| {
            list.into_iter()
                .map(|e| {
                    let state = if e.active { a.active } else { a.inactive };
                    let edit = may(e.role).then(|| {
                        let label = fill(a.edit, &[("name", &e.name)]);
                        let entry = e.clone();
                        view! {
                            <button class="srk-button srk-button--quiet" type="button" aria-label=label
                                data-person=e.id.to_string() on:click=move |_| start(Some(entry.clone()))>
                                {a.edit_short}
                            </button>
                        }
                    });
                    view! {
                        <tr data-person=e.id.to_string()>
                            <th scope="row">{e.name.clone()}</th>
                            <td>{e.id.to_string()}</td>
                            <td>{role_text(a, e.role)}</td>
                            <td>{e.limit_minor.to_string()}</td>
                            <td>{state}</td>
                            <td>{edit}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let form_title = move || {
        let a = &i18n.get_locale().staff().admin;
        match editing.get() {
            Some(_) => fill(a.person_title_edit, &[("name", &name.get())]),
            None => a.person_title_new.to_owned(),
        }
    };
    let pin_label = Signal::derive(move || {
        let a = &i18n.get_locale().staff().admin;
        if editing.get().is_some() {
            a.new_pin
        } else {
            a.first_pin
        }
        .to_owned()
    });
    let form = move || {
        open.get().then(|| view! {
            <form id="srk-admin-person-form" class="srk-admin__subform" on:submit=submit novalidate
                aria-labelledby="srk-admin-person-title">
                <h3 id="srk-admin-person-title" tabindex="-1">{form_title}</h3>
                <Input id="srk-admin-person-id" label=text(i18n, |a| a.person_id) value=id
                    disabled=Signal::derive(move || editing.get().is_some()) />
                <Input id="srk-admin-person-name" label=text(i18n, |a| a.person_name) value=name />
                <Check id="srk-admin-person-manager" label=text(i18n, |a| a.role_manager) value=manager
                    disabled=Signal::derive(move || !may(Role::Manager)) />
                <Input id="srk-admin-person-limit" label=text(i18n, |a| a.limit) value=limit kind="number" />
                <Input id="srk-admin-person-pin" label=pin_label value=pin kind="password" autocomplete="new-password" />
                <Check id="srk-admin-person-active" label=text(i18n, |a| a.may_sign_in) value=active />
                <OutcomeLine id="srk-admin-person-outcome" outcome />
                <div class="srk-actions">
                    <button id="srk-admin-save-person" class="srk-button" type="submit" disabled=move || busy.get()>
                        {tr(i18n, |l| l.staff().admin.save_person)}
                    </button>
                    <button class="srk-button srk-button--quiet" type="button" on:click=move |_| open.set(false)>
                        {tr(i18n, |l| l.staff().admin.cancel)}
                    </button>
                </div>
            </form>
        })
    };
    view! {
        <section class="srk-card" aria-labelledby="srk-admin-staff-title">
            <h2 id="srk-admin-staff-title">{tr(i18n, |l| l.staff().admin.staff)}</h2>
            <table id="srk-admin-roster" class="srk-table srk-admin__table">
                <thead><tr>
                    <th scope="col">{tr(i18n, |l| l.staff().admin.col_name)}</th>
                    <th scope="col">{tr(i18n, |l| l.staff().admin.col_id)}</th>
                    <th scope="col">{tr(i18n, |l| l.staff().admin.col_role)}</th>
                    <th scope="col">{tr(i18n, |l| l.staff().admin.col_limit)}</th>
                    <th scope="col">{tr(i18n, |l| l.staff().admin.col_state)}</th>
                    <td></td>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {move || may(Role::Staff).then(|| view! {
                <button id="srk-admin-add-person" class="srk-button srk-button--quiet" type="button"
                    on:click=move |_| start(None)>
                    {tr(i18n, |l| l.staff().admin.add_person)}
                </button>
            })}
            {form}
        </section>
    }
}
