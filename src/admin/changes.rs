//! Changes marked for the whole chain, in the comparison: each with what followed it in every
//! store shown (the core's before-and-after test on that store's complaints), and for a chain
//! administrator the form that marks one and the button that removes one. The words and the
//! figures are the tablet's own (`staff::insights::changes`).

use super::Admin;
use super::client;
use super::failed_text;
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::{clock, env};
use crate::staff::insights::changes::{category_options, kind_options, kind_words, shift_lines};
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::insights::{Comparison, date, day_number, day_start, parse_date};
use recovery_core::{MarkerKind, NewMarker};

/// The chain's changes and, for an administrator, the form; `comparison` is re-read after a
/// change so every store's figures follow.
#[component]
pub(super) fn ChainChanges(
    comparison: Comparison,
    /// Reads the comparison again.
    reload: Callback<()>,
    /// What the last marking or removal came to (kept by the comparison across its readings).
    said: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let marks = admin.reach().is_some_and(|r| r.edits_stores());
    let offset = clock::utc_offset_minutes(clock::now());
    let l = i18n.get_locale();
    let t = &l.staff().changes;
    let items = comparison
        .markers
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let when = date(day_number(m.change.at, offset));
            let line = fill(t.line, &[("date", &when), ("label", &m.change.label)]);
            let by = fill(t.by, &[("name", &m.by)]);
            let what = m.change.category.map_or_else(
                || t.every_kind.to_string(),
                |c| crate::shared::labels::category(i18n, c),
            );
            let stores = comparison
                .stores
                .iter()
                .map(|s| {
                    let shift = s.shifts.get(i).cloned().flatten();
                    view! {
                        <li data-store=s.store.to_string()>
                            <strong>{s.name.clone()}</strong>
                            {shift_lines(t, shift.as_ref())}
                        </li>
                    }
                })
                .collect_view();
            let id = m.id.to_string();
            let label = m.change.label.clone();
            let remove = move |_| {
                let id = id.clone();
                spawn_local(async move {
                    match client::remove_chain_marker(&admin.chain(), &id, &admin.token()).await {
                        Ok(()) => {
                            let t = &i18n.get_locale().staff().changes;
                            said.set(Some((true, t.removed.to_owned())));
                            reload.run(());
                        }
                        Err(failed) => {
                            let text = failed_text(i18n.get_locale(), &admin.failed(failed));
                            said.set(Some((false, text)));
                        }
                    }
                });
            };
            view! {
                <li class="srk-change" data-marker=m.id.to_string()>
                    <p class="srk-change__line"><strong>{line}</strong></p>
                    <p class="srk-note">{kind_words(t, m.change.kind)}" · "{what}" · "{by}</p>
                    <ul class="srk-admin__shifts">{stores}</ul>
                    {marks.then(|| view! {
                        <button class="srk-button srk-button--quiet" type="button" on:click=remove>
                            {fill(t.remove, &[("label", &label)])}
                        </button>
                    })}
                </li>
            }
        })
        .collect_view();
    let none = comparison.markers.is_empty();
    let day = RwSignal::new(date(day_number(clock::now(), offset)));
    let kind = RwSignal::new(MarkerKind::Upgrade);
    let label = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let t = &i18n.get_locale().staff().changes;
        let Some(d) = parse_date(&day.get_untracked()) else {
            said.set(Some((false, t.errors.date_missing.to_owned())));
            env::focus("srk-admin-change-date");
            return;
        };
        let change = NewMarker {
            at: day_start(d, offset),
            kind: kind.get_untracked(),
            label: label.get_untracked(),
            touchpoint: None,
            category: recovery_core::Category::parse(&category.get_untracked()),
        };
        busy.set(true);
        spawn_local(async move {
            match client::add_chain_marker(&admin.chain(), &change, &admin.token()).await {
                Ok(_) => {
                    label.set(String::new());
                    let t = &i18n.get_locale().staff().changes;
                    said.set(Some((true, t.saved.to_owned())));
                    reload.run(());
                }
                Err(failed) => {
                    let l = i18n.get_locale();
                    let e = &l.staff().changes.errors;
                    let text = match &failed {
                        client::Failed::Refused(code) => match code.as_str() {
                            "label_empty" => e.label_empty.to_owned(),
                            "label_too_long" => e.label_too_long.to_owned(),
                            "date_implausible" => e.date_implausible.to_owned(),
                            "too_many_markers" => e.too_many_markers.to_owned(),
                            _ => failed_text(l, &failed),
                        },
                        _ => failed_text(l, &admin.failed(failed)),
                    };
                    said.set(Some((false, text)));
                    env::focus("srk-admin-change-label");
                }
            }
            busy.set(false);
        });
    };
    let kinds = move || kind_options(i18n, kind);
    view! {
        <section class="srk-changes" aria-labelledby="srk-admin-changes-title">
            <h3 id="srk-admin-changes-title">{tr(i18n, |l| l.staff().admin.compare.changes)}</h3>
            <p class="srk-note">{tr(i18n, |l| l.staff().admin.compare.changes_intro)}</p>
            {none.then(|| view! { <p>{tr(i18n, |l| l.staff().admin.compare.no_changes)}</p> })}
            <ul id="srk-admin-changes-list" class="srk-change-list">{items}</ul>
            {marks.then(|| view! {
                <form id="srk-admin-mark" on:submit=submit novalidate>
                    <fieldset class="srk-filters">
                        <legend>{tr(i18n, |l| l.staff().admin.compare.mark)}</legend>
                        <label for="srk-admin-change-date">{tr(i18n, |l| l.staff().changes.date)}</label>
                        <input id="srk-admin-change-date" class="srk-input" type="date"
                            prop:value=move || day.get()
                            on:change=move |ev| day.set(event_target_value(&ev)) />
                        <label for="srk-admin-change-kind">{tr(i18n, |l| l.staff().changes.kind_label)}</label>
                        <select id="srk-admin-change-kind" class="srk-input"
                            on:change=move |ev| if let Some(k) = MarkerKind::parse(&event_target_value(&ev)) { kind.set(k) }>
                            {kinds}
                        </select>
                        <label for="srk-admin-change-label">{tr(i18n, |l| l.staff().changes.label)}</label>
                        <input id="srk-admin-change-label" class="srk-input" type="text" maxlength="120"
                            prop:value=move || label.get()
                            on:input=move |ev| label.set(event_target_value(&ev)) />
                        <label for="srk-admin-change-category">{tr(i18n, |l| l.staff().changes.category)}</label>
                        <select id="srk-admin-change-category" class="srk-input"
                            on:change=move |ev| category.set(event_target_value(&ev))>
                            {move || category_options(i18n)}
                        </select>
                    </fieldset>
                    <button id="srk-admin-change-submit" class="srk-button" type="submit" disabled=move || busy.get()>
                        {tr(i18n, |l| l.staff().changes.submit)}
                    </button>
                </form>
            })}
            <p id="srk-admin-changes-said" role="status">
                {move || said.get().map(|(ok, text)| view! {
                    <span class=if ok { "srk-note" } else { "srk-error" }>{text}</span>
                })}
            </p>
        </section>
    }
}
