//! The workspace of a signed-in person: who is signed in, lock and refresh, how the tablet's
//! steps stand with the server, the alerts, and the one screen on show below (the queue, a
//! case, the sticker sheet or the insights).
//!
//! It must never keep two screens apart by hand: the one [`Screen`] says which is shown.

use super::case::CaseView;
use super::insights::{InsightsScreen, StaffAlerts};
use super::queue::{self, Queue};
use super::state::{Screen, Staff};
use super::stickers::StickerSheet;
use crate::shared::i18n::{fill, plural, use_i18n};
use crate::shared::labels::dynamic;
use crate::shared::labels::tr;
use crate::shared::platform::{clock, env};
use leptos::either::EitherOf4;
use leptos::prelude::*;
use recovery_core::{Role, StaffMember};

#[component]
pub(super) fn Workspace(member: StaffMember) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    let name = member.name.clone();
    let label_name = member.name.clone();
    let repeats = queue::repeats(staff);
    let updated = move || {
        let lang = i18n.get_locale();
        let t = lang.staff();
        if staff.roster.with(|r| r.signed_out) {
            return t.signed_out.to_string();
        }
        match (staff.last_pull.get(), staff.pull_failed.get()) {
            (_, true) => t.refresh_failed.to_string(),
            (Some(at), false) => fill(
                t.updated,
                &[(
                    "time",
                    &clock::format(at, lang.as_str(), clock::Style::DateTime),
                )],
            ),
            (None, false) => t.never_updated.to_string(),
        }
    };
    let outbox_line = move || {
        let t = i18n.get_locale().staff();
        let pending = staff.outbox.with(|o| {
            o.iter()
                .filter(|q| q.mark == recovery_core::Mark::Pending)
                .count()
        });
        if pending == 0 {
            t.all_sent.to_string()
        } else {
            fill(
                plural(pending, t.pending_steps_one, t.pending_steps),
                &[("count", &pending)],
            )
        }
    };
    let refused = move || {
        let t = i18n.get_locale().staff();
        staff.outbox.with(|o| {
            o.iter()
                .filter_map(|q| match q.mark {
                    recovery_core::Mark::Rejected(r) => Some(r),
                    _ => None,
                })
                .map(|r| {
                    let reason = crate::shared::labels::reject_reason(i18n, r);
                    view! { <li>{fill(t.refused_by_server, &[("reason", &reason)])}</li> }
                })
                .collect_view()
        })
    };
    // Opening a case or a screen (or going back) shows its top and moves focus to its heading;
    // not on the first drawing, where signing in decides.
    Effect::new(move |before: Option<Screen>| {
        let now = staff.screen.get();
        if before.is_some_and(|b| b != now) {
            let heading = match now {
                Screen::Queue => "srk-queue-title",
                Screen::Case(_) => "srk-case-title",
                Screen::Stickers => "srk-stickers-title",
                Screen::Insights => "srk-insights-title",
            };
            request_animation_frame(move || env::show(heading));
        }
        now
    });
    view! {
        <section class="srk-card srk-workspace" aria-label=move || fill(i18n.get_locale().staff().signed_in_as, &[("name", &label_name)])>
            <p id="srk-signed-in">
                {dynamic(move || fill(i18n.get_locale().staff().signed_in_as, &[("name", &name)]))}
            </p>
            <div class="srk-actions">
                <button id="srk-lock" class="srk-button" type="button" on:click=move |_| staff.lock()>
                    {tr(i18n, |l| l.staff().lock)}
                </button>
                <button id="srk-refresh" class="srk-button srk-button--quiet" type="button" on:click=move |_| staff.refresh()>
                    {tr(i18n, |l| l.staff().refresh)}
                </button>
                <button
                    id="srk-open-stickers"
                    class="srk-button srk-button--quiet"
                    type="button"
                    on:click=move |_| staff.screen.set(Screen::Stickers)
                >
                    {tr(i18n, |l| l.staff().stickers_open)}
                </button>
                {(member.role == Role::Manager).then(|| view! {
                    <button
                        id="srk-open-insights"
                        class="srk-button srk-button--quiet"
                        type="button"
                        on:click=move |_| staff.screen.set(Screen::Insights)
                    >
                        {tr(i18n, |l| l.staff().insights.open)}
                    </button>
                })}
            </div>
            <p id="srk-updated" role="status">{updated}</p>
            {move || staff.live.get().then(|| view! {
                <p id="srk-live">{tr(i18n, |l| l.staff().live)}</p>
            })}
            <p id="srk-outbox" role="status">{outbox_line}</p>
            {move || staff.unkept.get().then(|| view! {
                <p id="srk-cases-not-kept" class="srk-error" role="status">{tr(i18n, |l| l.staff().cases_not_kept)}</p>
            })}
            <ul id="srk-refused" class="srk-error">{refused}</ul>
        </section>
        <StaffAlerts />
        {move || match staff.screen.get() {
            Screen::Stickers => EitherOf4::A(view! {
                <StickerSheet
                    store=staff.store()
                    profile=Signal::derive(move || staff.roster.with(|r| r.profile.clone()))
                    on_back=move || staff.screen.set(Screen::Queue)
                />
            }),
            Screen::Insights => EitherOf4::D(view! {
                <InsightsScreen on_back=move || staff.screen.set(Screen::Queue) />
            }),
            Screen::Case(case) => EitherOf4::B(view! {
                <CaseView case member=member.clone() repeat=repeats.with(|r| r.binary_search(&case).is_ok()) />
            }),
            Screen::Queue => EitherOf4::C(view! { <Queue repeats /> }),
        }}
    }
}
