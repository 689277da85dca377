//! Who hears of a store's cases outside its tablets: its recipients (an email address, or a
//! webhook for SMS and chat tools) with the rules they follow and their quiet hours, listed to
//! whoever sees the store and added, changed or removed by its chain administrators and its
//! manager. A new webhook's signing key is made by the server and shown once, as a device
//! token is.

use super::client;
use super::form::{Check, Input, Outcome, OutcomeLine, text};
use super::{Admin, failed_text, refusal_text};
use crate::shared::i18n::{StaffAdminRecipientsTexts, fill, use_i18n};
use crate::shared::labels::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::api::admin::{RecipientKey, RecipientView};
use recovery_core::{Channel, NoticeRule, RecipientSetup, Slug};

/// A rule in words.
fn rule_text(t: &StaffAdminRecipientsTexts, rule: NoticeRule) -> &'static str {
    match rule {
        NoticeRule::Unacknowledged => t.rule_unacknowledged,
        NoticeRule::Escalated => t.rule_escalated,
        NoticeRule::FollowUpDue => t.rule_follow_up_due,
        NoticeRule::Reopened => t.rule_reopened,
        NoticeRule::Spike => t.rule_spike,
        NoticeRule::AskRating => t.rule_ask_rating,
        NoticeRule::AskHeld => t.rule_ask_held,
    }
}

/// The recipients of `store` and the form of one.
#[component]
pub(super) fn RecipientList(store: Slug) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let editable = admin.reach().is_some_and(|r| r.runs(&store));
    let store = StoredValue::new(store);
    let list = RwSignal::new(None::<Vec<RecipientView>>);
    spawn_local(async move {
        match client::recipients(&admin.chain(), &store.get_value(), &admin.token()).await {
            Ok(r) => list.set(Some(r.recipients)),
            Err(failed) => {
                admin.failed(failed);
            }
        }
    });
    let webhook = RwSignal::new(false);
    let address = RwSignal::new(String::new());
    let quiet = RwSignal::new(String::new());
    // Every rule about the store's work is on for a new recipient; the customer's are off.
    let rules: Vec<(NoticeRule, RwSignal<bool>)> = NoticeRule::ALL
        .into_iter()
        .map(|r| (r, RwSignal::new(!r.for_customer())))
        .collect();
    let secret = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let problem = move |text: String| outcome.set(Some(Outcome::Problem(text)));

    let chosen = rules.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !editable {
            return;
        }
        let channel = if webhook.get_untracked() {
            Channel::Webhook
        } else {
            Channel::Email
        };
        let setup = RecipientSetup {
            channel,
            address: address.get_untracked().trim().to_owned(),
            // A customer's rule only reaches them through a webhook.
            rules: chosen
                .iter()
                .filter(|(r, on)| {
                    on.get_untracked() && (channel == Channel::Webhook || !r.for_customer())
                })
                .map(|(r, _)| *r)
                .collect(),
            quiet: quiet.get_untracked().trim().to_owned(),
            secret: None,
        };
        // The same checks as the server's, before asking it.
        if let Err(e) = setup.check() {
            return problem(refusal_text(i18n.get_locale(), e.code()).into());
        }
        busy.set(true);
        secret.set(None);
        spawn_local(async move {
            let (chain, store) = (admin.chain(), store.get_value());
            match client::put_recipient(&chain, &store, &setup, &admin.token()).await {
                Ok(saved) => {
                    let kept = saved.recipient;
                    list.update(|l| {
                        let l = l.get_or_insert_with(Vec::new);
                        let same = |r: &RecipientView| {
                            r.channel == kept.channel && r.address == kept.address
                        };
                        match l.iter_mut().find(|r| same(r)) {
                            Some(old) => *old = kept.clone(),
                            None => l.push(kept.clone()),
                        }
                    });
                    secret.set(saved.secret);
                    address.set(String::new());
                    quiet.set(String::new());
                    let l = i18n.get_locale();
                    outcome.set(Some(Outcome::Done(l.staff().admin.saved.to_owned())));
                }
                Err(failed) => problem(failed_text(i18n.get_locale(), &admin.failed(failed))),
            }
            busy.set(false);
        });
    };
    let remove = move |key: RecipientKey| {
        spawn_local(async move {
            let (chain, store) = (admin.chain(), store.get_value());
            match client::remove_recipient(&chain, &store, &key, &admin.token()).await {
                Ok(()) => list.update(|l| {
                    if let Some(l) = l {
                        l.retain(|r| !(r.channel == key.channel && r.address == key.address));
                    }
                }),
                Err(failed) => problem(failed_text(i18n.get_locale(), &admin.failed(failed))),
            }
        });
    };
    let rows = move || {
        let t = &i18n.get_locale().staff().admin.recipients;
        list.get().map(|all| {
            if all.is_empty() {
                return view! { <li>{t.none}</li> }.into_any();
            }
            all.into_iter()
                .map(|r| {
                    let how = match r.channel {
                        Channel::Email => t.email,
                        Channel::Webhook => t.webhook,
                    };
                    let said: Vec<&str> = r.rules.iter().map(|&rule| rule_text(t, rule)).collect();
                    let mut line = [how, ": ", &said.join(", ")].concat();
                    if !r.quiet.is_empty() {
                        line = [line, fill(t.quiet_line, &[("hours", &r.quiet)])].join(" · ");
                    }
                    let key = RecipientKey {
                        channel: r.channel,
                        address: r.address.clone(),
                    };
                    let label = fill(t.remove, &[("address", &r.address)]);
                    view! {
                        <li class="srk-admin__recipient" data-address=r.address.clone()>
                            <span><strong translate="no">{r.address.clone()}</strong>" · "{line}</span>
                            {editable.then(|| view! {
                                <button class="srk-button srk-button--quiet" type="button"
                                    aria-label=label on:click=move |_| remove(key.clone())>
                                    {t.remove_short}
                                </button>
                            })}
                        </li>
                    }
                    .into_any()
                })
                .collect_view()
                .into_any()
        })
    };
    let rule_boxes = rules
        .into_iter()
        .map(|(rule, on)| {
            let id = ["srk-admin-rule-", rule.name()].concat();
            let label = Signal::derive(move || {
                rule_text(&i18n.get_locale().staff().admin.recipients, rule).to_owned()
            });
            let shown = move || !rule.for_customer() || webhook.get();
            view! { <Show when=shown><Check id=id.clone() label value=on /></Show> }
        })
        .collect_view();
    let form = editable.then(|| {
        view! {
            <form id="srk-admin-recipient-form" class="srk-admin__subform" on:submit=submit novalidate>
                <fieldset class="srk-field">
                    <legend>{tr(i18n, |l| l.staff().admin.recipients.channel)}</legend>
                    <div class="srk-admin__check">
                        <input type="radio" id="srk-admin-by-email" name="srk-admin-channel"
                            prop:checked=move || !webhook.get() on:change=move |_| webhook.set(false) />
                        <label for="srk-admin-by-email">{tr(i18n, |l| l.staff().admin.recipients.email)}</label>
                    </div>
                    <div class="srk-admin__check">
                        <input type="radio" id="srk-admin-by-webhook" name="srk-admin-channel"
                            prop:checked=move || webhook.get() on:change=move |_| webhook.set(true) />
                        <label for="srk-admin-by-webhook">{tr(i18n, |l| l.staff().admin.recipients.webhook)}</label>
                    </div>
                </fieldset>
                <Input id="srk-admin-recipient-address" label=text(i18n, |a| a.recipients.address) value=address />
                <fieldset class="srk-field">
                    <legend>{tr(i18n, |l| l.staff().admin.recipients.rules)}</legend>
                    {rule_boxes}
                </fieldset>
                <Input id="srk-admin-recipient-quiet" label=text(i18n, |a| a.recipients.quiet) value=quiet />
                <OutcomeLine id="srk-admin-recipient-outcome" outcome />
                <button id="srk-admin-save-recipient" class="srk-button" type="submit" disabled=move || busy.get()>
                    {tr(i18n, |l| l.staff().admin.recipients.save)}
                </button>
            </form>
        }
    });
    view! {
        <section class="srk-card" aria-labelledby="srk-admin-recipients-title">
            <h2 id="srk-admin-recipients-title">{tr(i18n, |l| l.staff().admin.recipients.title)}</h2>
            <p class="srk-note">{tr(i18n, |l| l.staff().admin.recipients.intro)}</p>
            <ul id="srk-admin-recipients" class="srk-admin__tokens">{rows}</ul>
            {form}
            {move || secret.get().map(|key| view! {
                <div id="srk-admin-recipient-secret" role="status">
                    <p>{tr(i18n, |l| l.staff().admin.recipients.secret)}</p>
                    <p><code translate="no">{key}</code></p>
                </div>
            })}
        </section>
    }
}
