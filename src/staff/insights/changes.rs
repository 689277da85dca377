//! Markers for changes on the insights screen: the store's changes (a system upgrade, a new
//! product, a new shift plan, a training), each with the complaints it concerns in equal
//! windows before and after it (the core's `Marker::shift` over this tablet's cases) and
//! whether the difference is more than chance; and the form by which a manager marks one.
//!
//! The list comes from the server and is kept on the tablet, so it still shows offline (and
//! says that it is the last one read). Marking and removing need the server: they are the
//! store's record of who changed what, not the tablet's.

use super::{offset, today};
use crate::shared::i18n::{I18n, fill, use_i18n};
use crate::shared::labels::{self, tr};
use crate::shared::platform::env;
use crate::staff::device::{self, MarkFailed};
use crate::staff::state::{LedgerView, Staff, place};
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::insights::{Shift, date, day_number, day_start, parse_date};
use recovery_core::{Category, MARKER_WINDOW_DAYS, Marker, MarkerKind, NewMarker, Slug, Timestamp};

/// The section: the store's changes and, for its managers, the form to mark one.
#[component]
pub(super) fn Changes(
    /// The store's markers, as last read (the charts show them too).
    markers: RwSignal<Vec<Marker>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let store = staff.store();
    let stale = RwSignal::new(false);
    let said = RwSignal::new(None::<(bool, String)>);
    let token = move || staff.roster.with_untracked(|r| r.token.clone());

    if let Some(token) = token() {
        let store = store.clone();
        spawn_local(async move {
            match device::markers(&store, &token).await {
                Some(list) => markers.set(list),
                None => stale.set(true),
            }
        });
    }

    // Each marker with what followed it, over this tablet's cases (worked out again when the
    // cases or the markers change).
    let shifts = Memo::new(move |_| {
        let now = staff.now();
        staff.ledger.with(|LedgerView(l)| {
            let filed: Vec<(Timestamp, &Slug, Category)> = l
                .cases()
                .map(|c| (c.filed_at, &c.touchpoint, c.complaint.category))
                .collect();
            let first = filed.iter().map(|f| f.0).min().unwrap_or(now);
            markers.with(|list| {
                list.iter()
                    .map(|m| (m.clone(), m.shift(&filed, MARKER_WINDOW_DAYS, first, now)))
                    .collect::<Vec<_>>()
            })
        })
    });

    let remove = move |id: String| {
        let Some(token) = token() else { return };
        let store = staff.store();
        spawn_local(async move {
            match device::remove_marker(&store, &token, &id).await {
                Ok(()) => {
                    markers.update(|list| list.retain(|m| m.id.to_string() != id));
                    said.set(Some((true, words(i18n, |t| t.removed))));
                }
                Err(failed) => said.set(Some((false, failure(i18n, &failed)))),
            }
        });
    };
    let list = move || {
        let items = shifts.get();
        if items.is_empty() {
            return view! { <p id="srk-changes-none">{tr(i18n, |l| l.staff().changes.none)}</p> }
                .into_any();
        }
        let items = items
            .into_iter()
            .map(|(marker, shift)| {
                let id = marker.id.to_string();
                let name = marker.change.label.clone();
                // A change marked for the whole chain is removed in the chain's admin only.
                let own = !marker.chain;
                view! {
                    <li class="srk-change">
                        {move || describe(i18n, staff, &marker, shift.as_ref())}
                        <button
                            hidden=!own
                            class="srk-button srk-button--quiet"
                            type="button"
                            on:click={
                                let id = id.clone();
                                move |_| remove(id.clone())
                            }
                        >
                            {move || fill(i18n.get_locale().staff().changes.remove, &[("label", &name)])}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { <ul id="srk-changes" class="srk-change-list">{items}</ul> }.into_any()
    };

    view! {
        <section class="srk-changes" aria-labelledby="srk-changes-title">
            <h2 id="srk-changes-title">{tr(i18n, |l| l.staff().changes.title)}</h2>
            <p class="srk-note">{tr(i18n, |l| l.staff().changes.intro)}</p>
            {move || stale.get().then(|| view! {
                <p id="srk-changes-kept" class="srk-note">{tr(i18n, |l| l.staff().changes.kept)}</p>
            })}
            {list}
            <MarkForm markers said />
            <p id="srk-changes-said" role="status">
                {move || said.get().map(|(ok, text)| view! {
                    <span class=if ok { "srk-note" } else { "srk-alert" }>{text}</span>
                })}
            </p>
        </section>
    }
}

/// One marker: when, what, where, who, and what followed.
fn describe(i18n: I18n, staff: Staff, m: &Marker, shift: Option<&Shift>) -> impl IntoView + use<> {
    let lang = i18n.get_locale();
    let t = &lang.staff().changes;
    let when = date(day_number(m.change.at, offset()));
    let line = fill(t.line, &[("date", &when), ("label", &m.change.label)]);
    let whole = if m.chain {
        t.scope_chain
    } else {
        t.scope_store
    };
    let place_words = m
        .change
        .touchpoint
        .as_ref()
        .map_or_else(|| whole.to_string(), place);
    let what = m
        .change
        .category
        .map_or_else(|| t.every_kind.to_string(), |c| labels::category(i18n, c));
    let scope = fill(
        t.scope,
        &[
            ("kind", &kind_words(t, m.change.kind)),
            ("where", &format!("{place_words} · {what}")),
        ],
    );
    let who = staff.roster.with_untracked(|r| {
        r.staff
            .iter()
            .find(|s| s.id.as_str() == m.by)
            .map_or_else(|| m.by.clone(), |s| s.name.clone())
    });
    let by = fill(t.by, &[("name", &who)]);
    let figures = shift_lines(t, shift);
    view! {
        <p class="srk-change__line"><strong>{line}</strong></p>
        <p class="srk-note">{scope}" · "{by}</p>
        {figures}
    }
}

pub fn kind_words(t: &crate::shared::i18n::StaffChangesTexts, kind: MarkerKind) -> &'static str {
    match kind {
        MarkerKind::Upgrade => t.kind.upgrade,
        MarkerKind::Product => t.kind.product,
        MarkerKind::ShiftPlan => t.kind.shift_plan,
        MarkerKind::Training => t.kind.training,
        MarkerKind::Other => t.kind.other,
    }
}

/// The words of the current language picked by `pick`.
fn words(i18n: I18n, pick: fn(&crate::shared::i18n::StaffChangesTexts) -> &'static str) -> String {
    pick(&i18n.get_locale().staff().changes).to_string()
}

/// Why marking or removing failed, in words.
fn failure(i18n: I18n, failed: &MarkFailed) -> String {
    let lang = i18n.get_locale();
    let e = &lang.staff().changes.errors;
    match failed {
        MarkFailed::NoAnswer => e.no_answer,
        MarkFailed::NotManager => e.not_manager,
        MarkFailed::Refused(code) => match code.as_str() {
            "label_empty" => e.label_empty,
            "label_too_long" => e.label_too_long,
            "date_implausible" => e.date_implausible,
            "touchpoint_unknown" => e.touchpoint_unknown,
            "too_many_markers" => e.too_many_markers,
            _ => e.no_answer,
        },
    }
    .to_string()
}

/// The form a manager marks a change with.
#[component]
fn MarkForm(
    markers: RwSignal<Vec<Marker>>,
    said: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let day = RwSignal::new(date(today()));
    let kind = RwSignal::new(MarkerKind::Upgrade);
    let label = RwSignal::new(String::new());
    let touchpoint = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(token) = staff.roster.with_untracked(|r| r.token.clone()) else {
            return;
        };
        let Some(d) = parse_date(&day.get_untracked()) else {
            said.set(Some((
                false,
                i18n.get_locale()
                    .staff()
                    .changes
                    .errors
                    .date_missing
                    .to_string(),
            )));
            env::focus("srk-change-date");
            return;
        };
        let change = NewMarker {
            at: day_start(d, offset()),
            kind: kind.get_untracked(),
            label: label.get_untracked(),
            touchpoint: Slug::parse(&touchpoint.get_untracked()).ok(),
            category: Category::parse(&category.get_untracked()),
        };
        let store = staff.store();
        busy.set(true);
        spawn_local(async move {
            match device::add_marker(&store, &token, &change).await {
                Ok(marker) => {
                    markers.update(|list| {
                        list.push(marker);
                        list.sort_by_key(|m| m.change.at);
                    });
                    label.set(String::new());
                    said.set(Some((true, words(i18n, |t| t.saved))));
                }
                Err(failed) => {
                    said.set(Some((false, failure(i18n, &failed))));
                    env::focus("srk-change-label");
                }
            }
            busy.set(false);
        });
    };

    let kinds = move || kind_options(i18n, kind);
    let places = move || {
        let t = &i18n.get_locale().staff().changes;
        let list = staff.roster.with(|r| {
            r.profile
                .as_ref()
                .map(|p| p.touchpoints.clone())
                .unwrap_or_default()
        });
        let whole = view! { <option value="">{t.scope_store}</option> };
        let each = list
            .into_iter()
            .map(|tp| view! { <option value=tp.to_string()>{place(&tp)}</option> })
            .collect_view();
        view! { {whole}{each} }
    };
    let categories = move || category_options(i18n);

    view! {
        <form id="srk-mark-change" on:submit=submit>
            <fieldset class="srk-filters">
                <legend>{tr(i18n, |l| l.staff().changes.mark_title)}</legend>
                <label for="srk-change-date">{tr(i18n, |l| l.staff().changes.date)}</label>
                <input id="srk-change-date" class="srk-input" type="date" required
                    prop:value=move || day.get()
                    on:change=move |ev| day.set(event_target_value(&ev)) />
                <label for="srk-change-kind">{tr(i18n, |l| l.staff().changes.kind_label)}</label>
                <select id="srk-change-kind" class="srk-input"
                    on:change=move |ev| if let Some(k) = MarkerKind::parse(&event_target_value(&ev)) { kind.set(k) }>
                    {kinds}
                </select>
                <label for="srk-change-label">{tr(i18n, |l| l.staff().changes.label)}</label>
                <input id="srk-change-label" class="srk-input" type="text" maxlength="120" required
                    prop:value=move || label.get()
                    on:input=move |ev| label.set(event_target_value(&ev)) />
                <label for="srk-change-touchpoint">{tr(i18n, |l| l.staff().changes.touchpoint)}</label>
                <select id="srk-change-touchpoint" class="srk-input"
                    on:change=move |ev| touchpoint.set(event_target_value(&ev))>
                    {places}
                </select>
                <label for="srk-change-category">{tr(i18n, |l| l.staff().changes.category)}</label>
                <select id="srk-change-category" class="srk-input"
                    on:change=move |ev| category.set(event_target_value(&ev))>
                    {categories}
                </select>
            </fieldset>
            <div class="srk-actions">
                <button id="srk-change-submit" class="srk-button" type="submit" prop:disabled=busy>
                    {tr(i18n, |l| l.staff().changes.submit)}
                </button>
            </div>
        </form>
    }
}

/// What followed a change: the counts before and after, the rate ratio with its interval and
/// p-value, and the verdict ("ahead" while it lies in the future).
pub fn shift_lines(t: &crate::shared::i18n::StaffChangesTexts, shift: Option<&Shift>) -> AnyView {
    match shift {
        None => view! { <p>{t.ahead}</p> }.into_any(),
        Some(s) => {
            let days = (s.window_ms as f64 / 86_400_000.0).round().to_string();
            let counts = fill(
                t.counts,
                &[
                    ("before", &s.before.to_string()),
                    ("after", &s.after.to_string()),
                    ("days", &days),
                ],
            );
            let p = if s.p_value < 0.001 {
                "p < 0.001".to_string()
            } else {
                format!("p = {:.3}", s.p_value)
            };
            let (low, high) = (format!("{:.2}", s.low), format!("{:.2}", s.high));
            let ratio = match s.ratio {
                Some(r) => fill(
                    t.ratio,
                    &[
                        ("ratio", &format!("{r:.2}")),
                        ("low", &low),
                        ("high", &high),
                        ("p", &p),
                    ],
                ),
                None => fill(t.no_ratio, &[("low", &low), ("high", &high), ("p", &p)]),
            };
            let verdict = if s.significant {
                t.significant
            } else {
                t.chance
            };
            view! {
                <p>{counts}</p>
                <p>{ratio}</p>
                <p class="srk-change__verdict"><strong>{verdict}</strong></p>
            }
            .into_any()
        }
    }
}

/// The options of a select of the kind of complaint a change concerns: every kind first.
pub fn category_options(i18n: I18n) -> impl IntoView {
    let t = &i18n.get_locale().staff().changes;
    let every = view! { <option value="">{t.every_kind}</option> };
    let each = Category::ALL
        .into_iter()
        .map(|c| view! { <option value=c.key()>{labels::category(i18n, c)}</option> })
        .collect_view();
    view! { {every}{each} }
}

/// The options of a select of the kind of change, `kind` the one chosen.
pub fn kind_options(i18n: I18n, kind: RwSignal<MarkerKind>) -> impl IntoView {
    let t = &i18n.get_locale().staff().changes;
    MarkerKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.key() selected=move || kind.get() == k>{kind_words(t, k)}</option> })
        .collect_view()
}
