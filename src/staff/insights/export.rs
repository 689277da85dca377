//! The insights' exports: the selection's cases as CSV or JSON, from this tablet's ledger or
//! from the server (fetched with the session token, which a plain link could not carry).
//! Names and contact details never leave: the core's rows do not hold them.

use super::{Choice, api_url, file_name, today};
use crate::shared::i18n::{fill, plural, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::{clock, download, net};
use crate::staff::state::{LedgerView, Staff};
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::insights::{Query, date, export, to_csv};
use std::time::Duration;

/// The export buttons for `choice`; `busy`, `problem` and `saved` are the screen's.
#[component]
pub(super) fn Export(
    choice: RwSignal<Choice>,
    busy: RwSignal<bool>,
    problem: RwSignal<Option<&'static str>>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let token = move || staff.roster.with_untracked(|r| r.token.clone());
    let today_date = move || date(today());
    let save_here = move |ext: &'static str| {
        let t = &i18n.get_locale().staff().insights;
        let now = staff.now();
        let off = clock::utc_offset_minutes(now);
        let mut query = Query::new(now, off);
        query.filter = choice.get_untracked().filter(&staff.store(), off);
        query.contact_salt = staff.contact_salt();
        let rows = staff
            .ledger
            .with_untracked(|LedgerView(l)| export(l, &query));
        let (text, mime) = if ext == "csv" {
            (
                ["\u{feff}", &to_csv(&rows)].concat(),
                "text/csv;charset=utf-8",
            )
        } else {
            (
                serde_json::to_string_pretty(&rows).unwrap_or_default(),
                "application/json",
            )
        };
        let name = file_name(&staff.store(), &today_date(), false, ext);
        match download::save_text(&name, mime, &text) {
            Ok(()) => {
                problem.set(None);
                saved.set(Some(fill(
                    plural(rows.len(), t.export_done_one, t.export_done),
                    &[("file", &name), ("count", &rows.len())],
                )));
            }
            Err(_) => problem.set(Some(t.export_failed)),
        }
    };
    let save_server = move |ext: &'static str| {
        let failed = i18n.get_locale().staff().insights.export_failed;
        let Some(token) = token() else {
            problem.set(Some(failed));
            return;
        };
        let url = api_url(
            staff,
            choice,
            if ext == "csv" {
                "export.csv"
            } else {
                "export.json"
            },
        );
        let name = file_name(&staff.store(), &today_date(), true, ext);
        busy.set(true);
        spawn_local(async move {
            let reply = net::request(
                &url,
                None,
                Some(net::Auth::Bearer(&token)),
                Duration::from_secs(60),
            )
            .await;
            let mime = if ext == "csv" {
                "text/csv;charset=utf-8"
            } else {
                "application/json"
            };
            let ok = match reply {
                Ok(r) if r.status == 200 => download::save_text(&name, mime, &r.body).is_ok(),
                _ => false,
            };
            if ok {
                problem.set(None);
                let t = &i18n.get_locale().staff().insights;
                saved.set(Some(fill(t.export_server_done, &[("file", &name)])));
            } else {
                problem.set(Some(failed));
            }
            busy.set(false);
        });
    };

    view! {
    <section class="srk-export" aria-labelledby="srk-export-title">
                <h2 id="srk-export-title">{tr(i18n, |l| l.staff().insights.export_title)}</h2>
                <p>{tr(i18n, |l| l.staff().insights.export_intro)}</p>
                <div class="srk-actions">
                    <button id="srk-export-csv" class="srk-button" type="button" on:click=move |_| save_here("csv")>
                        {tr(i18n, |l| l.staff().insights.download_csv)}
                    </button>
                    <button id="srk-export-json" class="srk-button" type="button" on:click=move |_| save_here("json")>
                        {tr(i18n, |l| l.staff().insights.download_json)}
                    </button>
                    <button id="srk-server-csv" class="srk-button srk-button--quiet" type="button" on:click=move |_| save_server("csv") prop:disabled=busy>
                        {tr(i18n, |l| l.staff().insights.server_csv)}
                    </button>
                    <button id="srk-server-json" class="srk-button srk-button--quiet" type="button" on:click=move |_| save_server("json") prop:disabled=busy>
                        {tr(i18n, |l| l.staff().insights.server_json)}
                    </button>
                </div>
                <p id="srk-export-saved" role="status">{move || saved.get()}</p>
            </section>
    }
}
