//! "Did our fix hold?": once the store's follow-up time has come on a resolved (or closed)
//! case, the customer answers here themselves, yes or no with a comment, offline too; the
//! answer goes to the store like the rating (the one outbox client), and a "no" reopens the
//! case and alerts the store, as a follow-up by staff does. Afterwards the page thanks them.

use super::model::{self, Slot};
use super::page::Page;
use crate::shared::i18n::use_i18n;
use crate::shared::labels::{self, Pick, dynamic, tr};
use crate::shared::platform::clock;
use leptos::either::Either;
use leptos::prelude::*;
use recovery_core::{COMMENT_MAX, EventKind, Mark, Problem};

/// The question while it is due, the thanks once answered from this phone; nothing otherwise.
#[component]
pub(crate) fn Held() -> impl IntoView {
    let i18n = use_i18n();
    let page = expect_context::<Page>();
    let held = RwSignal::new(None::<bool>);
    let comment = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    let asks = Memo::new(move |_| {
        page.view.with(|v| {
            v.as_ref().is_some_and(|v| {
                page.steps
                    .answer
                    .with(|a| model::asks_if_held(v, a.as_ref(), clock::now()))
            })
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        page.submit(
            Slot::Answer,
            problem,
            ("srk-tk-held-yes", "srk-tk-held-comment"),
            |link, view, now, ids| {
                let (held, comment) = (held.get_untracked(), comment.get_untracked());
                model::new_answer(link, view, held, &comment, now, ids)
            },
        );
    };
    let message = move || {
        problem.get().map(|p| match p {
            Problem::Required => i18n.get_locale().ticket().held_required.to_string(),
            other => labels::problem(i18n, other),
        })
    };
    let choice = move |value: bool, id: &'static str, label: Pick| {
        view! {
            <label class="srk-choice" for=id>
                <input id=id type="radio" name="held" prop:checked=move || held.get() == Some(value)
                    on:change=move |_| held.set(Some(value)) />
                <span>{tr(i18n, label)}</span>
            </label>
        }
    };
    let form = move || {
        view! {
            <form id="srk-tk-held" on:submit=submit novalidate>
                <p>{tr(i18n, |l| l.ticket().held_intro)}</p>
                <fieldset class="srk-field" aria-describedby="srk-tk-held-problem">
                    <legend>{tr(i18n, |l| l.ticket().held_legend)}</legend>
                    <div class="srk-choices">
                        {choice(true, "srk-tk-held-yes", |l| l.ticket().held_yes)}
                        {choice(false, "srk-tk-held-no", |l| l.ticket().held_no)}
                    </div>
                </fieldset>
                <div class="srk-field">
                    <label class="srk-field__label" for="srk-tk-held-comment">
                        {tr(i18n, |l| l.ticket().comment_label)}
                        <span class="srk-field__tag">"(" {labels::tr(i18n, |l| l.texts().optional)} ")"</span>
                    </label>
                    <textarea id="srk-tk-held-comment" class="srk-input" rows="3"
                        maxlength=COMMENT_MAX.to_string()
                        prop:value=comment
                        on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
                <p id="srk-tk-held-problem" class="srk-field__error" role="alert">{message}</p>
                <button class="srk-button srk-button--primary" type="submit">{tr(i18n, |l| l.ticket().held_submit)}</button>
            </form>
        }
    };
    // What became of this phone's answer: on its way, refused (then the question again), or
    // taken, with thanks in the words of the answer.
    let said = dynamic(move || {
        let t = i18n.get_locale().ticket();
        page.step_line(
            Slot::Answer,
            (t.held_pending, t.held_rejected),
            // An answer to an earlier follow-up: the question is back, the old thanks are not.
            |a| a.sync == Mark::Sent && asks.get(),
            |event| match event.kind {
                EventKind::Answered { held: true, .. } => t.held_thanks_yes.to_string(),
                _ => t.held_thanks_no.to_string(),
            },
        )
    });
    let shown = move || asks.get() || page.steps.answer.with(Option::is_some);
    move || {
        shown().then(|| {
            view! {
                <section class="srk-card" aria-labelledby="srk-tk-held-title">
                    <h2 id="srk-tk-held-title">{tr(i18n, |l| l.ticket().held_title)}</h2>
                    {move || if asks.get() { Either::Left(form()) } else { Either::Right(()) }}
                    <p id="srk-tk-held-sync" role="status" aria-live="polite">{said}</p>
                </section>
            }
        })
    }
}
