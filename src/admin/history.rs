//! The history of changes in the admin: who changed which store, person or token, and when,
//! newest first (a chain administrator sees the whole chain's; anyone else their stores').

use super::client;
use super::{Admin, failed_text};
use crate::shared::i18n::{StaffAdminWhatTexts, fill, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::clock::{self, Style};
use crate::shared::platform::env;
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::api::admin::{Change, ChangeKind};

fn what_text(w: &StaffAdminWhatTexts, kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::StoreCreated => w.store_created,
        ChangeKind::StoreChanged => w.store_changed,
        ChangeKind::StaffAdded => w.staff_added,
        ChangeKind::StaffChanged => w.staff_changed,
        ChangeKind::PinReset => w.pin_reset,
        ChangeKind::StaffDeactivated => w.staff_deactivated,
        ChangeKind::TokenIssued => w.token_issued,
        ChangeKind::TokenRevoked => w.token_revoked,
        ChangeKind::PersonChanged => w.person_changed,
        ChangeKind::ShiftsChanged => w.shifts_changed,
        ChangeKind::RecipientSaved => w.recipient_saved,
        ChangeKind::RecipientRemoved => w.recipient_removed,
        ChangeKind::VisitsRecorded => w.visits_recorded,
    }
}

#[component]
pub(super) fn HistoryList() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<Admin>();
    let changes = RwSignal::new(None::<Result<Vec<Change>, String>>);
    spawn_local(async move {
        let answer = client::history(&admin.chain(), &admin.token()).await;
        changes.set(Some(answer.map(|h| h.changes).map_err(|failed| {
            failed_text(i18n.get_locale(), &admin.failed(failed))
        })));
    });
    request_animation_frame(|| env::focus("srk-admin-history-title"));
    let list = move || {
        let l = i18n.get_locale();
        let a = &l.staff().admin;
        match changes.get() {
            None => view! { <p class="srk-note">{a.loading}</p> }.into_any(),
            Some(Err(problem)) => {
                view! { <p class="srk-error" role="alert">{problem}</p> }.into_any()
            }
            Some(Ok(list)) if list.is_empty() => view! { <p>{a.no_history}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <ol id="srk-admin-changes" class="srk-admin__changes">
                    {list.into_iter().map(|c| {
                        let mut what = fill(what_text(&a.what, c.what), &[("subject", &c.subject)]);
                        if let Some(store) = &c.store {
                            what = format!("{what} ({store})");
                        }
                        if !c.fields.is_empty() {
                            what = format!("{what}: {}", c.fields.join(", "));
                        }
                        let time = clock::format(c.at, l.as_str(), Style::DateTime);
                        let line = fill(a.history_line, &[("time", &time), ("by", &c.by)]);
                        view! {
                            <li data-what=c.what.key()>
                                <span class="srk-note">{line}</span><br />
                                <span>{what}</span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }
            .into_any(),
        }
    };
    view! {
        <section class="srk-card" aria-labelledby="srk-admin-history-title">
            <h2 id="srk-admin-history-title" tabindex="-1">{tr(i18n, |l| l.staff().admin.history)}</h2>
            {list}
        </section>
    }
}
