//! Step three, resolve: the remedy (preselected from what the customer called fair), its value
//! within the staff member's limit (empty: nothing to pay), a small gesture and whether to
//! follow up. Cases that need a manager show only a notice to anyone else.

use super::clean;
use crate::shared::i18n::{I18n, fill, plural};
use crate::shared::labels::dynamic;
use crate::shared::labels::{Names, tr};
use crate::shared::platform::clock;
use crate::staff::drafts;
use crate::staff::state::Staff;
use leptos::either::Either;
use leptos::prelude::*;
use recovery_core::{Case, EventKind, Remedy, Role, StaffMember, remedy_for};

/// The form that resolves an open case (or, for a case above this person, the notice why not).
pub(super) fn resolve_form(
    i18n: I18n,
    staff: Staff,
    member: StaffMember,
    c: &Case,
    manager_case: bool,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let lang = i18n.get_locale();
    let (currency, days) = staff
        .roster
        .with_untracked(|r| {
            r.profile
                .as_ref()
                .map(|p| (p.currency.clone(), p.follow_up_days))
        })
        .unwrap_or_else(|| ("EUR".into(), 3));
    let is_manager = member.role == Role::Manager;
    if manager_case && !is_manager {
        return Either::Left(view! {
            <div class="srk-step">
                <h2>{tr(i18n, |l| l.staff().resolve_title)}</h2>
                <p id="srk-manager-only" class="srk-alert">{tr(i18n, |l| l.staff().manager_only)}</p>
            </div>
        });
    }
    let can_follow_up = c.complaint.may_contact();
    let remedy = RwSignal::new(remedy_for(&c.complaint));
    let value = drafts::text(&member, c.id, "value", String::new());
    let gesture = drafts::text(&member, c.id, "gesture", String::new());
    let follow_up = RwSignal::new(can_follow_up);
    let error = RwSignal::new(None::<String>);
    let limit = member.limit_minor;
    let limit_text = clock::format_money(limit, &currency, lang.as_str());
    let limit_line = (!is_manager).then(|| {
        let limit_text = limit_text.clone();
        dynamic(move || {
            fill(
                i18n.get_locale().staff().limit_line,
                &[("limit", &limit_text)],
            )
        })
    });
    let submit = {
        let limit_text = limit_text.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let t = i18n.get_locale().staff();
            let typed = value.get_untracked();
            let value_minor = if typed.trim().is_empty() {
                Some(0)
            } else {
                clock::parse_money(&typed)
            };
            let Some(value_minor) = value_minor else {
                error.set(Some(t.value_invalid.to_string()));
                return;
            };
            if !member.actor().may_give(value_minor) {
                error.set(Some(fill(t.above_limit, &[("limit", &limit_text)])));
                return;
            }
            error.set(None);
            let now = staff.now();
            record.run(EventKind::Resolved {
                by: member.actor(),
                remedy: remedy.get_untracked(),
                value_minor,
                // Escalated cases get no delight script: no extra gesture field for them.
                gesture: if manager_case {
                    String::new()
                } else {
                    clean(&gesture.get_untracked())
                },
                follow_up_at: (can_follow_up && follow_up.get_untracked())
                    .then(|| now.plus_minutes(i64::from(days) * 24 * 60)),
            });
        }
    };
    let options = Remedy::ALL
        .into_iter()
        .map(|r| {
            view! {
                <option value=r.key() prop:selected=move || remedy.get() == r>
                    {move || i18n.get_locale().staff().remedy.name(r)}
                </option>
            }
        })
        .collect_view();
    let pick = move |ev| {
        let key = event_target_value(&ev);
        if let Some(r) = Remedy::ALL.into_iter().find(|r| r.key() == key) {
            remedy.set(r);
        }
    };
    let value_label = {
        let currency = currency.clone();
        dynamic(move || {
            fill(
                i18n.get_locale().staff().value_label,
                &[("currency", &currency)],
            )
        })
    };
    Either::Right(view! {
        <form id="srk-resolve-form" class="srk-step" on:submit=submit novalidate>
            <h2>{tr(i18n, |l| l.staff().resolve_title)}</h2>
            <p>{tr(i18n, |l| l.staff().resolve_hint)}</p>
            <p id="srk-resolve-say">{tr(i18n, |l| l.staff().resolve_say)}</p>
            <label for="srk-remedy">{tr(i18n, |l| l.staff().remedy_label)}</label>
            <select id="srk-remedy" class="srk-input" on:change=pick>{options}</select>
            <label for="srk-value">{value_label}</label>
            <input id="srk-value" class="srk-input" inputmode="decimal" autocomplete="off" bind:value=value />
            {limit_line.map(|l| view! { <p id="srk-limit">{l}</p> })}
            {(!manager_case).then(|| view! {
                <label for="srk-gesture">{tr(i18n, |l| l.staff().gesture_label)}</label>
                <input id="srk-gesture" class="srk-input" maxlength="120" autocomplete="off" bind:value=gesture />
            })}
            {can_follow_up.then(|| view! {
                <label class="srk-check">
                    <input id="srk-follow-up" type="checkbox" bind:checked=follow_up />
                    {dynamic(move || {
                        let t = i18n.get_locale().staff();
                        fill(plural(days as usize, t.follow_up_label_one, t.follow_up_label), &[("days", &days)])
                    })}
                </label>
            })}
            <p id="srk-resolve-problem" class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{tr(i18n, |l| l.staff().resolve_button)}</button>
        </form>
    })
}
