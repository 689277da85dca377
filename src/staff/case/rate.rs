//! The customer's rating of a resolved case: one to five stars and a comment, as told to staff,
//! or given by the customer themselves on the hand-over screen (`for_customer`: their words,
//! nothing about the case but the question). Staff hand the tablet over from here.

use super::{clean, missing};
use crate::shared::i18n::{I18n, fill};
use crate::shared::labels::dynamic;
use crate::shared::labels::tr;
use crate::staff::state::Staff;
use leptos::either::Either;
use leptos::prelude::*;
use recovery_core::{CaseId, Details, EventKind};

/// The form that rates a resolved case, starting from the rating it has.
pub(in crate::staff) fn rate_form(
    i18n: I18n,
    case: CaseId,
    details: &Details,
    record: Callback<EventKind>,
    for_customer: bool,
) -> impl IntoView + use<> {
    let current = details.rating.clone();

    let stars = RwSignal::new(current.as_ref().map_or(0, |r| r.stars));
    let comment = RwSignal::new(current.map(|r| r.comment).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = stars.get_untracked();
        if n == 0 {
            error.set(Some(missing(i18n, |t| t.stars_label)));
            return;
        }
        error.set(None);
        record.run(EventKind::Rated {
            stars: n,
            comment: clean(&comment.get_untracked()),
        });
    };
    let choices = (1u8..=5)
        .map(|n| {
            let id = ["srk-star-", &n.to_string()].concat();
            view! {
                <label class="srk-choice" for=id.clone()>
                    <input id=id.clone() type="radio" name="srk-stars" value=n.to_string()
                        prop:checked=move || stars.get() == n
                        on:change=move |_| stars.set(n) />
                    <span>{dynamic(move || fill(i18n.get_locale().staff().star, &[("n", &n)]))}</span>
                </label>
            }
        })
        .collect_view();
    let (title, hint, button) = if for_customer {
        (
            tr(i18n, |l| l.staff().handover_title),
            tr(i18n, |l| l.staff().handover_hint),
            tr(i18n, |l| l.staff().handover_send),
        )
    } else {
        (
            tr(i18n, |l| l.staff().rate_title),
            tr(i18n, |l| l.staff().rate_hint),
            tr(i18n, |l| l.staff().rate_button),
        )
    };
    // The case's customer takes the tablet: the workspace gives way to this form alone.
    let hand_over = (!for_customer).then(|| {
        let staff = expect_context::<Staff>();
        view! {
            <button id="srk-hand-over" class="srk-button srk-button--quiet" type="button"
                on:click=move |_| staff.handover.set(Some(case))>
                {tr(i18n, |l| l.staff().hand_over)}
            </button>
        }
    });
    view! {
        <form id="srk-rate-form" class="srk-step" on:submit=submit>
            {if for_customer {
                // The page's one heading while the customer has the tablet.
                Either::Left(view! { <h1 id="srk-rate-title" tabindex="-1">{title}</h1> })
            } else {
                Either::Right(view! { <h2 id="srk-rate-title" tabindex="-1">{title}</h2> })
            }}
            <p>{hint}</p>
            {hand_over}
            <fieldset class="srk-choices">
                <legend>{tr(i18n, |l| l.staff().stars_label)}</legend>
                {choices}
            </fieldset>
            <label for="srk-comment">{tr(i18n, |l| l.staff().comment_label)}</label>
            <textarea id="srk-comment" class="srk-input" rows="2" maxlength="1000" bind:value=comment></textarea>
            <p class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{button}</button>
        </form>
    }
}
