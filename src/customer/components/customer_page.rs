//! The customer's page: the complaint form, then the acknowledgement; on a kiosk, guarded by
//! the idle reset so the next person never sees the previous one's words.

use super::{Acknowledgement, ComplaintForm, DeviceStatus, IdleGuard, MyCases};
use crate::customer::route::{Mode, Route};
use crate::customer::state::Cases;
use crate::shared::components::{Later, UpdateBanner};
use crate::shared::i18n::{Locale, use_i18n};
use crate::shared::platform::{env, pwa};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use recovery_core::{Case, ComplaintDraft};

/// What the customer's page shows.
#[derive(Clone, Debug, PartialEq)]
enum Screen {
    Form,
    Acknowledged(Box<Case>),
}

/// The whole customer journey for one touchpoint.
#[component]
pub fn CustomerPage(
    /// Where the page was opened.
    route: Route,
    /// Kiosk idle time in seconds (the operator may set it with the `idle` query parameter).
    #[prop(default = super::idle_guard::DEFAULT_IDLE_SECONDS)]
    idle_seconds: u32,
) -> impl IntoView {
    let i18n = use_i18n();
    let cases = expect_context::<Cases>();
    // Events held only in memory (storage refused them) would die with a reload: no update
    // is applied, nor offered, until every one is kept on the device.
    let all_kept = move || cases.unsaved_count() == 0;
    let mode = route.mode;
    let draft = RwSignal::new(ComplaintDraft::default());
    let screen = RwSignal::new(Screen::Form);
    // Bumped on every reset so the form is rebuilt from nothing, not merely emptied.
    let generation = RwSignal::new(0u32);

    let reset = Callback::new(move |()| {
        env::release_focus();
        draft.set(ComplaintDraft::default());
        screen.set(Screen::Form);
        generation.update(|g| *g += 1);
        if mode == Mode::Kiosk {
            // The next customer starts in their browser's language, not the last one's.
            let preferred = env::preferred_languages();
            i18n.set_locale(Locale::find(&preferred));
        }
        // The person before has gone and the screen is empty: the moment a waiting new
        // version can take over without interrupting anyone (the page reloads into it),
        // unless a complaint is held only in memory.
        if untrack(all_kept) && pwa::apply_update() {
            return;
        }
        env::scroll_to_top();
        request_animation_frame(|| env::focus("srk-title"));
    });
    let on_filed = Callback::new(move |case: Case| {
        env::release_focus();
        screen.set(Screen::Acknowledged(Box::new(case)));
        draft.set(ComplaintDraft::default());
        env::scroll_to_top();
    });
    let dirty = Signal::derive(move || {
        screen.with(|s| matches!(s, Screen::Acknowledged(_)))
            || draft.with(|d| *d != ComplaintDraft::default())
    });

    view! {
        <UpdateBanner
            at_rest=Signal::derive(move || !dirty.get() && all_kept())
            text=Signal::derive(move || i18n.t().update_ready)
            button=Signal::derive(move || i18n.t().update_now)
        />
        {move || {
            // Each generation of the form is another branch, so a reset replaces the form's
            // elements instead of patching them (its later slices, drawn a frame after, would
            // otherwise find the last form's in their place).
            match (screen.get(), generation.get() % 2) {
                (Screen::Form, 0) => EitherOf3::A(view! { <ComplaintForm draft mode on_filed /> }),
                (Screen::Form, _) => EitherOf3::B(view! { <ComplaintForm draft mode on_filed /> }),
                (Screen::Acknowledged(case), _) => {
                    EitherOf3::C(view! { <Acknowledgement case=*case mode on_done=reset /> })
                }
            }
        }}
        // Below the form, after its slices (steps 1 to 4).
        <Later step=5>
            {(mode == Mode::Phone).then(|| view! { <MyCases /> })}
            {(mode == Mode::Kiosk)
                .then(|| view! { <IdleGuard dirty on_reset=reset idle_seconds /> })}
            <DeviceStatus />
            {crate::customer::warm::after_next_paint()}
        </Later>
    }
}
