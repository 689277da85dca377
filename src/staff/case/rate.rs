//! The customer's rating of a resolved case, as told to staff: one to five stars and a comment.

use super::{clean, missing};
use crate::shared::i18n::{I18n, fill};
use crate::shared::labels::dynamic;
use crate::shared::labels::tr;
use leptos::prelude::*;
use recovery_core::{Details, EventKind};

/// The form that rates a resolved case, starting from the rating it has.
pub(super) fn rate_form(
    i18n: I18n,
    details: &Details,
    record: Callback<EventKind>,
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
    view! {
        <form id="srk-rate-form" class="srk-step" on:submit=submit>
            <h2>{tr(i18n, |l| l.staff().rate_title)}</h2>
            <p>{tr(i18n, |l| l.staff().rate_hint)}</p>
            <fieldset class="srk-choices">
                <legend>{tr(i18n, |l| l.staff().stars_label)}</legend>
                {choices}
            </fieldset>
            <label for="srk-comment">{tr(i18n, |l| l.staff().comment_label)}</label>
            <textarea id="srk-comment" class="srk-input" rows="2" maxlength="1000" bind:value=comment></textarea>
            <p class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{tr(i18n, |l| l.staff().rate_button)}</button>
        </form>
    }
}
