//! The customer's rating of the fix: a form while the case is resolved, read-only once it is
//! closed, and the line that says whether the rating has reached the store.

use super::Editing;
use super::model::{self, Slot};
use super::page::Page;
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::{self, Pick, dynamic, tr};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use recovery_core::{COMMENT_MAX, Problem, Status, text_len};

/// The rating: a form while the case is resolved, read-only once closed, and the line that
/// says whether it has reached the store.
#[component]
pub(crate) fn Rating() -> impl IntoView {
    let i18n = use_i18n();
    let page = expect_context::<Page>();
    let stars = RwSignal::new(0u8);
    let comment = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    // The form starts from the current rating, and follows it when it changes (a new view,
    // or a rating made here); typing in between is kept.
    let current = Memo::new(move |_| {
        page.view.with(|v| {
            v.as_ref().and_then(|v| {
                page.steps
                    .rating
                    .with(|r| model::current_rating(v, r.as_ref()))
            })
        })
    });
    Effect::new(move |_| {
        let (s, c) = current.get().unwrap_or_default();
        stars.set(s);
        comment.set(c);
    });
    // Whether the form holds a change not yet made into a rating: then no update is offered.
    let Editing(editing) = expect_context();
    Effect::new(move |_| {
        let (s, c) = current.get().unwrap_or_default();
        editing.set(stars.get() != s || comment.with(|now| *now != c));
    });
    on_cleanup(move || {
        let _ = editing.try_set(false);
    });
    let status = Memo::new(move |_| page.view.with(|v| v.as_ref().map(|v| v.status)));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let before = page.steps.rating.get_untracked();
        page.submit(
            model::Slot::Rating,
            problem,
            ("srk-tk-star-1", "srk-tk-comment"),
            |link, view, now, ids| {
                let (stars, comment) = (stars.get_untracked(), comment.get_untracked());
                model::new_rating(link, view, before.as_ref(), stars, &comment, now, ids)
            },
        );
    };

    let message = move || {
        problem.get().map(|p| match p {
            Problem::Required => i18n.get_locale().ticket().choose_stars.to_string(),
            other => labels::problem(i18n, other),
        })
    };
    let star_names: [Pick; 5] = [
        |l| l.ticket().stars.one,
        |l| l.ticket().stars.two,
        |l| l.ticket().stars.three,
        |l| l.ticket().stars.four,
        |l| l.ticket().stars.five,
    ];
    let form = move || {
        let choices = (1..=5u8)
            .map(|n| {
                view! {
                    <label class="srk-choice">
                        <input
                            type="radio"
                            name="stars"
                            id=format!("srk-tk-star-{n}")
                            value=n.to_string()
                            prop:checked=move || stars.get() == n
                            on:change=move |_| stars.set(n)
                        />
                        <span>{tr(i18n, star_names[usize::from(n - 1)])}</span>
                    </label>
                }
            })
            .collect_view();
        let counter = dynamic(move || {
            fill(
                i18n.t().counter,
                &[
                    ("count", &comment.with(|c| text_len(c))),
                    ("max", &COMMENT_MAX),
                ],
            )
        });
        view! {
            <form id="srk-tk-rate" on:submit=submit novalidate>
                <p>{tr(i18n, |l| l.ticket().rate_intro)}</p>
                <fieldset class="srk-field" aria-describedby="srk-tk-problem">
                    <legend>{tr(i18n, |l| l.ticket().stars_legend)}</legend>
                    <div class="srk-choices">{choices}</div>
                </fieldset>
                <div class="srk-field">
                    <label class="srk-field__label" for="srk-tk-comment">
                        {tr(i18n, |l| l.ticket().comment_label)}
                        <span class="srk-field__tag">"(" {labels::tr(i18n, |l| l.texts().optional)} ")"</span>
                    </label>
                    <textarea
                        id="srk-tk-comment"
                        class="srk-input"
                        rows="4"
                        maxlength=COMMENT_MAX.to_string()
                        aria-describedby="srk-tk-counter"
                        prop:value=comment
                        on:input=move |ev| comment.set(event_target_value(&ev))
                    ></textarea>
                    <p class="srk-counter" id="srk-tk-counter">{counter}</p>
                </div>
                <p id="srk-tk-problem" class="srk-field__error" role="alert">{message}</p>
                <button class="srk-button srk-button--primary" type="submit">{tr(i18n, |l| l.ticket().submit)}</button>
            </form>
        }
    };
    let closed = move || {
        let lang = i18n.get_locale();
        match current.get() {
            Some((s, c)) => Either::Left(view! {
                <p id="srk-tk-rated">{fill(lang.ticket().rated_closed, &[("stars", &s)])}</p>
                {(!c.is_empty()).then(|| view! { <blockquote id="srk-tk-rated-comment" class="srk-pre-line">{c}</blockquote> })}
            }),
            None => {
                Either::Right(view! { <p id="srk-tk-rated">{lang.ticket().closed_unrated}</p> })
            }
        }
    };
    let body = move || match status.get() {
        Some(Status::Resolved) => EitherOf3::A(form()),
        Some(Status::Closed) => EitherOf3::B(closed()),
        _ => EitherOf3::C(
            view! { <p id="srk-tk-rate-later">{tr(i18n, |l| l.ticket().rate_later)}</p> },
        ),
    };
    let sync = dynamic(move || {
        let t = i18n.get_locale().ticket();
        page.step_line(
            Slot::Rating,
            (t.sync_pending, t.sync_rejected),
            |_| false,
            |_| t.sync_sent.to_string(),
        )
    });
    view! {
        <section class="srk-card" aria-labelledby="srk-tk-rate-title">
            <h2 id="srk-tk-rate-title">{tr(i18n, |l| l.ticket().rate_title)}</h2>
            {body}
            <p id="srk-tk-sync" role="status" aria-live="polite">{sync}</p>
        </section>
    }
}
