//! A store's shift plan in the admin: named shifts, each with its hours on each weekday (the
//! store's clock, `07:00-15:00`; a night shift runs past midnight) and who works it. Its chain
//! administrators and its manager change it; an area manager reads it. The tablets' insights
//! read "on shift" from it (see `recovery_core::ShiftPlan`).

use super::client;
use super::form::{Input, Outcome, OutcomeLine, text};
use super::{Admin, failed_text, refusal_text};
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::env;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::api::admin::RosterEntry;
use recovery_core::{Hours, PlannedShift, ShiftPlan, Slug};

/// One shift of the form.
#[derive(Clone, Copy)]
struct ShiftRow {
    key: usize,
    name: RwSignal<String>,
    /// Its hours as typed, Monday first.
    days: [RwSignal<String>; 7],
    staff: RwSignal<Vec<Slug>>,
}

/// The shift plan of `store` and its form; `roster` is the store's roster as its staff panel
/// read it.
#[component]
pub(super) fn ShiftPlanForm(
    store: Slug,
    roster: RwSignal<Option<Vec<RosterEntry>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let editable = admin.reach().is_some_and(|r| r.runs(&store));
    let disabled = Signal::stored(!editable);
    let store_v = StoredValue::new(store.clone());
    let plan = admin.view.with_untracked(|v| {
        v.as_ref()
            .and_then(|v| v.stores.iter().find(|x| x.slug == store))
            .map(|x| x.shifts.clone())
            .unwrap_or_default()
    });
    let next_key = StoredValue::new(0usize);
    let row = move |s: Option<&PlannedShift>| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let day = |d: usize| {
            let hours = s.and_then(|s| s.hours[d]);
            RwSignal::new(hours.map(Hours::text).unwrap_or_default())
        };
        ShiftRow {
            key,
            name: RwSignal::new(s.map(|s| s.name.clone()).unwrap_or_default()),
            days: std::array::from_fn(day),
            staff: RwSignal::new(s.map(|s| s.staff.clone()).unwrap_or_default()),
        }
    };
    let rows = RwSignal::new(plan.0.iter().map(|s| row(Some(s))).collect::<Vec<_>>());
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !editable {
            return;
        }
        let l = i18n.get_locale();
        let problem = |code: &str| {
            outcome.set(Some(Outcome::Problem(refusal_text(l, code).to_owned())));
        };
        let mut plan = ShiftPlan::default();
        for r in rows.get_untracked() {
            let mut hours = [None; 7];
            for (slot, typed) in hours.iter_mut().zip(r.days) {
                let typed = typed.get_untracked();
                if typed.trim().is_empty() {
                    continue;
                }
                let Some(h) = Hours::parse(&typed) else {
                    return problem("setup_shift_hours");
                };
                *slot = Some(h);
            }
            plan.0.push(PlannedShift {
                name: r.name.get_untracked().trim().to_owned(),
                hours,
                staff: r.staff.get_untracked(),
            });
        }
        // The same checks as the server's, before asking it.
        if let Err(e) = plan.check() {
            return problem(e.code());
        }
        busy.set(true);
        spawn_local(async move {
            let (chain, store) = (admin.chain(), store_v.get_value());
            match client::put_shifts(&chain, &store, &plan, &admin.token()).await {
                Ok(saved) => {
                    // The plan as kept, its hours written the one way.
                    rows.set(saved.shifts.0.iter().map(|s| row(Some(s))).collect());
                    admin.view.update(|v| {
                        let kept = v
                            .as_mut()
                            .and_then(|v| v.stores.iter_mut().find(|s| s.slug == saved.slug));
                        if let Some(kept) = kept {
                            *kept = saved;
                        }
                    });
                    let l = i18n.get_locale();
                    outcome.set(Some(Outcome::Done(l.staff().admin.saved.to_owned())));
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

    let legend = move |r: ShiftRow, n: usize| {
        move || {
            let a = &i18n.get_locale().staff().admin;
            let name = r.name.get();
            if name.trim().is_empty() {
                fill(a.shift_legend, &[("n", &n)])
            } else {
                name
            }
        }
    };
    let day_names = move || {
        let d = &i18n.get_locale().staff().insights.days;
        [d.mon, d.tue, d.wed, d.thu, d.fri, d.sat, d.sun]
    };
    let people = move |r: ShiftRow| {
        move || {
            roster
                .get()
                .unwrap_or_default()
                .into_iter()
                .filter(|p| p.active)
                .map(|p| {
                    let id = format!("srk-admin-shift-{}-who-{}", r.key, p.id);
                    let slug = p.id.clone();
                    let on = {
                        let slug = slug.clone();
                        move || r.staff.with(|s| s.contains(&slug))
                    };
                    let change = move |ev: leptos::ev::Event| {
                        let checked = event_target_checked(&ev);
                        r.staff.update(|s| {
                            s.retain(|x| *x != slug);
                            if checked {
                                s.push(slug.clone());
                            }
                        });
                    };
                    view! {
                        <div class="srk-admin__check">
                            <input type="checkbox" id=id.clone() disabled=disabled
                                prop:checked=on on:change=change />
                            <label for=id>{p.name}</label>
                        </div>
                    }
                })
                .collect_view()
        }
    };
    let remove_label = move |r: ShiftRow| {
        Signal::derive(move || {
            let a = &i18n.get_locale().staff().admin;
            fill(a.shift_remove, &[("shift", &r.name.get())])
        })
    };
    let row_views = move || {
        rows.get()
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let id = move |what: &str| format!("srk-admin-shift-{}-{what}", r.key);
                let days = (0..7)
                    .map(|d| {
                        let label = Signal::derive(move || day_names()[d].to_owned());
                        view! { <Input id=id(&format!("day-{d}")) label value=r.days[d] disabled /> }
                    })
                    .collect_view();
                view! {
                    <li data-shift=r.key>
                        <fieldset class="srk-field srk-admin__shift">
                            <legend>{legend(r, i + 1)}</legend>
                            <Input id=id("name") label=text(i18n, |a| a.shift_name) value=r.name disabled />
                            <div class="srk-admin__days">{days}</div>
                            <fieldset class="srk-field">
                                <legend>{tr(i18n, |l| l.staff().admin.shift_staff)}</legend>
                                {people(r)}
                            </fieldset>
                            {editable.then(|| view! {
                                <button class="srk-button srk-button--quiet" type="button"
                                    aria-label=remove_label(r)
                                    on:click=move |_| rows.update(|rs| rs.retain(|x| x.key != r.key))>
                                    {tr(i18n, |l| l.staff().admin.shift_remove_short)}
                                </button>
                            })}
                        </fieldset>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="srk-card" aria-labelledby="srk-admin-shifts-title">
            <h2 id="srk-admin-shifts-title">{tr(i18n, |l| l.staff().admin.shifts)}</h2>
            <p class="srk-note">{tr(i18n, |l| l.staff().admin.shifts_intro)}</p>
            <form id="srk-admin-shifts-form" on:submit=submit novalidate>
                <ol class="srk-admin__rows">{row_views}</ol>
                {move || rows.with(Vec::is_empty).then(|| view! {
                    <p id="srk-admin-shifts-none" class="srk-note">{tr(i18n, |l| l.staff().admin.shifts_none)}</p>
                })}
                {editable.then(|| view! {
                    <button id="srk-admin-shift-add" class="srk-button srk-button--quiet" type="button"
                        on:click=move |_| {
                            let r = row(None);
                            rows.update(|rs| rs.push(r));
                            let id = format!("srk-admin-shift-{}-name", r.key);
                            request_animation_frame(move || env::focus(&id));
                        }>
                        {tr(i18n, |l| l.staff().admin.shift_add)}
                    </button>
                })}
                <OutcomeLine id="srk-admin-shifts-outcome" outcome />
                {editable.then(|| view! {
                    <button id="srk-admin-save-shifts" class="srk-button" type="submit" disabled=move || busy.get()>
                        {tr(i18n, |l| l.staff().admin.save_shifts)}
                    </button>
                })}
            </form>
        </section>
    }
}
