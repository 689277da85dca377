//! The insights' filters: the period (a preset or dates), the touchpoint, the staff member on
//! shift (and whether the store's plan or their steps say so) and, with a plan, a shift. They
//! only change the selection; the screen works the report out.

use super::{Choice, PRESETS, today};
use crate::shared::i18n::use_i18n;
use crate::shared::labels::tr;
use crate::staff::state::Staff;
use leptos::prelude::*;
use recovery_core::Slug;

/// The filters of `choice`.
#[component]
pub(super) fn Filters(choice: RwSignal<Choice>) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let preset_value = move || {
        choice
            .get()
            .preset_days(today())
            .map_or_else(|| "custom".to_string(), |d| d.to_string())
    };
    let on_preset = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if let Ok(days) = value.parse::<u32>() {
            let old = choice.get_untracked();
            choice.set(Choice {
                touchpoint: old.touchpoint,
                staff: old.staff,
                shift: old.shift,
                ..Choice::preset(days, today())
            });
        }
    };
    let presets = move || {
        let t = &i18n.get_locale().staff().insights;
        let mut options: Vec<(String, &'static str)> = PRESETS
            .iter()
            .map(|&d| {
                let label = match d {
                    7 => t.period_7,
                    30 => t.period_30,
                    90 => t.period_90,
                    _ => t.period_all,
                };
                (d.to_string(), label)
            })
            .collect();
        options.push(("custom".into(), t.period_custom));
        let current = preset_value();
        options
            .into_iter()
            .map(|(value, label)| {
                let selected = value == current;
                view! { <option value=value selected=selected>{label}</option> }
            })
            .collect_view()
    };
    let touchpoints = move || {
        let t = &i18n.get_locale().staff().insights;
        let current = choice.get().touchpoint;
        let list = staff.roster.with(|r| {
            r.profile
                .as_ref()
                .map(|p| p.touchpoints.clone())
                .unwrap_or_default()
        });
        let any =
            view! { <option value="" selected=current.is_empty()>{t.any_touchpoint}</option> };
        let each = list
            .into_iter()
            .map(|tp| {
                let selected = tp.as_str() == current;
                view! { <option value=tp.to_string() selected=selected>{crate::staff::state::place(&tp)}</option> }
            })
            .collect_view();
        view! { {any}{each} }
    };
    let people = move || {
        let t = &i18n.get_locale().staff().insights;
        let current = choice.get().staff;
        let list = staff.roster.with(|r| r.staff.clone());
        let any = view! { <option value="" selected=current.is_empty()>{t.any_staff}</option> };
        let each = list
            .into_iter()
            .map(|m| {
                let selected = m.id.as_str() == current;
                view! { <option value=m.id.to_string() selected=selected>{m.name.clone()}</option> }
            })
            .collect_view();
        view! { {any}{each} }
    };
    let plan = move || {
        staff
            .roster
            .with(|r| r.profile.as_ref().map(|p| p.shifts.clone()))
            .unwrap_or_default()
    };
    let shifts = move || {
        let t = &i18n.get_locale().staff().insights;
        let current = choice.get().shift;
        let any = view! { <option value="" selected=current.is_empty()>{t.any_shift}</option> };
        let each = plan()
            .0
            .into_iter()
            .map(|s| {
                let selected = s.name == current;
                view! { <option value=s.name.clone() selected=selected>{s.name.clone()}</option> }
            })
            .collect_view();
        view! { {any}{each} }
    };
    // Whether the plan or what they did says when the chosen person was on shift.
    let basis = move || {
        let chosen = Slug::parse(&choice.get().staff).ok()?;
        let t = &i18n.get_locale().staff().insights;
        let text = if plan().names(&chosen) {
            t.basis_plan
        } else {
            t.basis_steps
        };
        Some(view! { <p id="srk-on-shift-basis" class="srk-note">{text}</p> })
    };
    // A shift the plan no longer has (renamed or removed meanwhile) is no filter: any shift.
    Effect::new(move |_| {
        let chosen = choice.with(|c| c.shift.clone());
        if !chosen.is_empty() && plan().shift(&chosen).is_none() {
            choice.update(|c| c.shift.clear());
        }
    });
    let shift_filter = move || {
        (!plan().is_empty()).then(|| {
            view! {
                <label for="srk-shift">{tr(i18n, |l| l.staff().insights.shift)}</label>
                <select
                    id="srk-shift"
                    class="srk-input"
                    on:change=move |ev| choice.update(|c| c.shift = event_target_value(&ev))
                >
                    {shifts}
                </select>
            }
        })
    };

    view! {
    <fieldset class="srk-filters">
                <legend>{tr(i18n, |l| l.staff().insights.filters)}</legend>
                <label for="srk-period">{tr(i18n, |l| l.staff().insights.period)}</label>
                <select id="srk-period" class="srk-input" on:change=on_preset>{presets}</select>
                <label for="srk-from">{tr(i18n, |l| l.staff().insights.from)}</label>
                <input
                    id="srk-from"
                    class="srk-input"
                    type="date"
                    prop:value=move || choice.get().from
                    on:change=move |ev| choice.update(|c| c.from = event_target_value(&ev))
                />
                <label for="srk-to">{tr(i18n, |l| l.staff().insights.to)}</label>
                <input
                    id="srk-to"
                    class="srk-input"
                    type="date"
                    prop:value=move || choice.get().to
                    on:change=move |ev| choice.update(|c| c.to = event_target_value(&ev))
                />
                <label for="srk-touchpoint">{tr(i18n, |l| l.staff().insights.touchpoint)}</label>
                <select
                    id="srk-touchpoint"
                    class="srk-input"
                    on:change=move |ev| choice.update(|c| c.touchpoint = event_target_value(&ev))
                >
                    {touchpoints}
                </select>
                <label for="srk-on-shift">{tr(i18n, |l| l.staff().insights.staff)}</label>
                <select
                    id="srk-on-shift"
                    class="srk-input"
                    on:change=move |ev| choice.update(|c| c.staff = event_target_value(&ev))
                >
                    {people}
                </select>
                {basis}
                {shift_filter}
            </fieldset>
    }
}
