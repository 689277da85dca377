//! A store's tablets in the admin: its device tokens and sessions (never a token itself), a
//! new device token shown once to copy into the tablet, and revoking one at once.

use super::client;
use super::form::{Input, Outcome, OutcomeLine, text, whole};
use super::{Admin, failed_text, refusal_text};
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::clock::{self, Style};
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::Slug;
use recovery_core::api::admin::{NewToken, TOKEN_DAYS_MAX, TokenView};

/// The tokens of `store`, with the form of a new one.
#[component]
pub(super) fn TokenList(store: Slug) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let store = StoredValue::new(store);
    let list = RwSignal::new(None::<Vec<TokenView>>);
    let load = move || {
        spawn_local(async move {
            match client::tokens(&admin.chain(), &store.get_value(), &admin.token()).await {
                Ok(t) => list.set(Some(t.tokens)),
                Err(failed) => {
                    admin.failed(failed);
                }
            }
        });
    };
    load();
    let label = RwSignal::new(String::new());
    let days = RwSignal::new(String::from("365"));
    let issued = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let problem = move |text: String| outcome.set(Some(Outcome::Problem(text)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = i18n.get_locale();
        let asked = match whole(&days.get_untracked()) {
            Some(days) if (1..=TOKEN_DAYS_MAX).contains(&days) => NewToken {
                label: label.get_untracked().trim().to_owned(),
                days,
            },
            _ => return problem(refusal_text(l, "token_days").into()),
        };
        if !recovery_core::name_is_well_formed(&asked.label) {
            return problem(refusal_text(l, "setup_name").into());
        }
        busy.set(true);
        issued.set(None);
        spawn_local(async move {
            match client::issue(&admin.chain(), &store.get_value(), &asked, &admin.token()).await {
                Ok(new) => {
                    issued.set(Some(new.token));
                    list.update(|l| l.get_or_insert_with(Vec::new).insert(0, new.view));
                    label.set(String::new());
                    outcome.set(None);
                }
                Err(failed) => problem(failed_text(i18n.get_locale(), &admin.failed(failed))),
            }
            busy.set(false);
        });
    };
    let revoke = move |id: String| {
        spawn_local(async move {
            match client::revoke(&admin.chain(), &store.get_value(), &id, &admin.token()).await {
                Ok(()) => list.update(|l| {
                    if let Some(l) = l {
                        l.retain(|t| t.id != id);
                    }
                }),
                Err(failed) => problem(failed_text(i18n.get_locale(), &admin.failed(failed))),
            }
        });
    };
    let rows = move || {
        let a = &i18n.get_locale().staff().admin;
        let lang = i18n.get_locale().as_str();
        list.get().map(|tokens| {
            if tokens.is_empty() {
                return view! { <li>{a.no_tokens}</li> }.into_any();
            }
            tokens
                .into_iter()
                .map(|t| {
                    let who = match &t.person {
                        Some(p) => fill(a.session_of, &[("person", p)]),
                        None => a.device.to_owned(),
                    };
                    let name = t.label.clone().unwrap_or_else(|| t.id.clone());
                    let mut when = fill(
                        a.issued_on,
                        &[("date", &clock::format(t.created_at, lang, Style::DateTime))],
                    );
                    if let Some(at) = t.expires_at {
                        when = [
                            when,
                            fill(
                                a.expires_on,
                                &[("date", &clock::format(at, lang, Style::DateTime))],
                            ),
                        ]
                        .join(", ");
                    }
                    let id = t.id.clone();
                    view! {
                        <li class="srk-admin__token" data-token=t.id.clone()>
                            <span>{format!("{name} · {who} · {when}")}</span>
                            <button class="srk-button srk-button--quiet" type="button"
                                on:click=move |_| revoke(id.clone())>
                                {fill(a.revoke, &[("label", &name)])}
                            </button>
                        </li>
                    }
                    .into_any()
                })
                .collect_view()
                .into_any()
        })
    };
    view! {
        <section class="srk-card" aria-labelledby="srk-admin-tokens-title">
            <h2 id="srk-admin-tokens-title">{tr(i18n, |l| l.staff().admin.tokens)}</h2>
            <p class="srk-note">{tr(i18n, |l| l.staff().admin.tokens_intro)}</p>
            <ul id="srk-admin-tokens" class="srk-admin__tokens">{rows}</ul>
            <form id="srk-admin-token-form" class="srk-admin__subform" on:submit=submit novalidate>
                <Input id="srk-admin-token-label" label=text(i18n, |a| a.token_label) value=label />
                <Input id="srk-admin-token-days" label=text(i18n, |a| a.token_days) value=days kind="number" />
                <OutcomeLine id="srk-admin-token-outcome" outcome />
                <button id="srk-admin-issue" class="srk-button" type="submit" disabled=move || busy.get()>
                    {tr(i18n, |l| l.staff().admin.issue)}
                </button>
            </form>
            {move || issued.get().map(|token| view! {
                <div id="srk-admin-issued" role="status">
                    <p>{tr(i18n, |l| l.staff().admin.issued)}</p>
                    <p><code translate="no">{token}</code></p>
                </div>
            })}
        </section>
    }
}
