//! A store's visits by day in the admin: how many people came in (from a door counter or the
//! till), told by its chain administrators or its manager, so the comparison can say
//! complaints per 1,000 visits and draw p-charts. Whoever sees the store reads the latest days.

use super::client;
use super::form::{Input, Outcome, OutcomeLine, text, whole};
use super::{Admin, failed_text, refusal_text};
use crate::shared::i18n::use_i18n;
use crate::shared::labels::tr;
use crate::shared::platform::clock;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::Slug;
use recovery_core::api::admin::{DayVisits, Visits};
use recovery_core::insights::{date, day_number};

/// Days listed, the latest first.
const SHOWN: usize = 14;

/// The visits of `store`, with the form of a day's.
#[component]
pub(super) fn VisitList(store: Slug) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let editable = admin.reach().is_some_and(|r| r.runs(&store));
    let store = StoredValue::new(store);
    let days = RwSignal::new(None::<Vec<DayVisits>>);
    spawn_local(async move {
        match client::visits(&admin.chain(), &store.get_value(), &admin.token()).await {
            Ok(v) => days.set(Some(v.days)),
            Err(failed) => {
                admin.failed(failed);
            }
        }
    });
    // Yesterday on this computer's clock: the last whole day counted.
    let now = clock::now();
    let yesterday = date(day_number(now, clock::utc_offset_minutes(now)) - 1);
    let day = RwSignal::new(yesterday);
    let count = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = i18n.get_locale();
        let problem =
            |code: &str| outcome.set(Some(Outcome::Problem(refusal_text(l, code).into())));
        let Some(visits) = whole(&count.get_untracked()) else {
            return problem("number");
        };
        let told = Visits {
            days: vec![DayVisits {
                date: day.get_untracked(),
                visits,
            }],
        };
        // The same checks as the server's, before asking it.
        if let Err(e) = told.check() {
            return problem(e.code());
        }
        busy.set(true);
        spawn_local(async move {
            let (chain, store) = (admin.chain(), store.get_value());
            match client::put_visits(&chain, &store, &told, &admin.token()).await {
                Ok(kept) => {
                    days.set(Some(kept.days));
                    count.set(String::new());
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
        let v = &i18n.get_locale().staff().admin.visits;
        days.get().map(|all| {
            if all.is_empty() {
                return view! { <p id="srk-admin-visits-none" class="srk-note">{v.none}</p> }.into_any();
            }
            let rows = all
                .iter()
                .rev()
                .take(SHOWN)
                .map(|d| view! { <tr><th scope="row">{d.date.clone()}</th><td>{d.visits}</td></tr> })
                .collect_view();
            view! {
                <table id="srk-admin-visits" class="srk-admin__table">
                    <caption>{v.caption}</caption>
                    <thead><tr><th scope="col">{v.date}</th><th scope="col">{v.count}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        })
    };
    view! {
        <section class="srk-card" aria-labelledby="srk-admin-visits-title">
            <h2 id="srk-admin-visits-title">{tr(i18n, |l| l.staff().admin.visits.title)}</h2>
            <p class="srk-note">{tr(i18n, |l| l.staff().admin.visits.intro)}</p>
            {rows}
            {editable.then(|| view! {
                <form id="srk-admin-visits-form" class="srk-admin__subform" on:submit=submit novalidate>
                    <Input id="srk-admin-visits-date" label=text(i18n, |a| a.visits.date) value=day kind="date" />
                    <Input id="srk-admin-visits-count" label=text(i18n, |a| a.visits.count) value=count kind="number" />
                    <OutcomeLine id="srk-admin-visits-outcome" outcome />
                    <button id="srk-admin-save-visits" class="srk-button" type="submit" disabled=move || busy.get()>
                        {tr(i18n, |l| l.staff().admin.visits.save)}
                    </button>
                </form>
            })}
        </section>
    }
}
