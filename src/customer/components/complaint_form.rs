//! The complaint form: what went wrong, in the customer's words, with every error shown next to
//! its field and listed at the top, all at once.

use crate::customer::route::{Mode, Route};
use crate::customer::state::Cases;
use crate::shared::components::{ChoiceGroup, FieldError, Later, TextField, field_id};
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::{self, tr};
use crate::shared::platform::{clock, env};
use leptos::prelude::*;
use recovery_core::{
    Case, Category, ComplaintDraft, DESCRIPTION_MAX, FairSolution, Field, Impact, Occurred,
    text_len, validate,
};

/// The complaint form. The draft lives with the caller, so a kiosk reset can clear it.
#[component]
pub fn ComplaintForm(
    /// What the customer has entered so far.
    draft: RwSignal<ComplaintDraft>,
    /// Kiosk or phone: changes the privacy note.
    mode: Mode,
    /// Called with the new case the moment the complaint is filed.
    on_filed: Callback<Case>,
) -> impl IntoView {
    let i18n = use_i18n();
    let cases = expect_context::<Cases>();
    let route = expect_context::<Route>();
    // Errors appear after the first attempt to send, then follow every edit, so a fixed field
    // stops being flagged at once.
    let attempted = RwSignal::new(false);
    // Derived, not memoised: validating a form is microseconds, and it keeps the download small.
    let errors = Signal::derive(move || {
        if attempted.get() {
            draft.with(|d| validate(d).err().unwrap_or_default())
        } else {
            Vec::new()
        }
    });
    let error_of = move |field: Field| {
        Signal::derive(move || {
            errors.with(|es| {
                es.iter()
                    .find(|e| e.field == field)
                    .map(|e| labels::problem(i18n, e.problem))
            })
        })
    };
    let required = tr(i18n, |l| l.texts().required);
    let optional = tr(i18n, |l| l.texts().optional);
    let label = move |field: Field| tr(i18n, labels::field_label(field));
    // On a shared kiosk the browser must not offer one customer's details to the next.
    let autofill = move |hint: &'static str| if mode == Mode::Kiosk { "off" } else { hint };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match draft.with_untracked(validate) {
            Ok(mut complaint) => {
                // The language they read the form in is the one messages about it use.
                complaint.language = Some(i18n.get_locale().as_str().into());
                match cases.file(&route, complaint, clock::now()) {
                    Ok(case) => on_filed.run(case),
                    // Cannot happen with fresh ids; if it ever does, the draft stays on screen.
                    Err(_) => env::log_warning("filing refused", "new case"),
                }
            }
            Err(_) => {
                attempted.set(true);
                // Wait for the summary to render, then move focus to it.
                request_animation_frame(|| env::focus("srk-summary"));
            }
        }
    };

    let summary = move || {
        let es = errors.get();
        (!es.is_empty()).then(|| {
            let items = es
                .into_iter()
                .map(|e| {
                    let href = format!("#{}", field_id(e.field.key()));
                    view! {
                        <li>
                            <a href=href>
                                {label(e.field)} ": " {labels::problem(i18n, e.problem)}
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="srk-summary" id="srk-summary" tabindex="-1" role="alert">
                    <h2>{tr(i18n, |l| l.texts().summary_title)}</h2>
                    <ul>{items}</ul>
                </div>
            }
        })
    };

    let count = Signal::derive(move || {
        let n = draft.with(|d| text_len(&d.description));
        fill(
            i18n.t().counter,
            &[("count", &n), ("max", &DESCRIPTION_MAX)],
        )
    });

    view! {
        <form class="srk-card" novalidate on:submit=submit>
            <h1 id="srk-title" tabindex="-1">{tr(i18n, |l| l.texts().form_title)}</h1>
            <p>{tr(i18n, |l| l.texts().form_intro)}</p>
            {summary}
            <Later step=1>
                <ChoiceGroup
                    key="category"
                    legend=label(Field::Category)
                    tag=required
                    count=Category::ALL.len()
                    label=Callback::new(move |i| labels::category(i18n, Category::ALL[i]))
                    checked=Callback::new(move |i| draft.with(|d| d.category == Some(Category::ALL[i])))
                    on_toggle=Callback::new(move |i| draft.update(|d| d.category = Some(Category::ALL[i])))
                    error=error_of(Field::Category)
                />
                <TextField
                    key="description"
                    label=label(Field::Description)
                    tag=required
                    multiline=true
                    hint=tr(i18n, |l| l.texts().description_hint)
                    counter=count
                    value=Signal::derive(move || draft.with(|d| d.description.clone()))
                    on_input=Callback::new(move |v| draft.update(|d| d.description = v))
                    error=error_of(Field::Description)
                />

            </Later>
            <Later step=2>
                <ChoiceGroup
                    key="occurred"
                    legend=label(Field::Occurred)
                    tag=optional
                    count=Occurred::ALL.len()
                    label=Callback::new(move |i| labels::occurred(i18n, Occurred::ALL[i]))
                    checked=Callback::new(move |i| draft.with(|d| d.occurred == Some(Occurred::ALL[i])))
                    on_toggle=Callback::new(move |i| draft.update(|d| d.occurred = Some(Occurred::ALL[i])))
                    error=error_of(Field::Occurred)
                />
                <ChoiceGroup
                    key="impact"
                    legend=label(Field::Impact)
                    tag=optional
                    count=Impact::ALL.len()
                    label=Callback::new(move |i| labels::impact(i18n, Impact::ALL[i]))
                    checked=Callback::new(move |i| draft.with(|d| d.impact == Some(Impact::ALL[i])))
                    on_toggle=Callback::new(move |i| draft.update(|d| d.impact = Some(Impact::ALL[i])))
                    error=error_of(Field::Impact)
                />

            </Later>
            <Later step=3>
                <ChoiceGroup
                    key="happened_before"
                    legend=label(Field::HappenedBefore)
                    tag=optional
                    count=2
                    label=Callback::new(move |i| labels::yes_no(i18n, i == 0))
                    checked=Callback::new(move |i| draft.with(|d| d.happened_before == Some(i == 0)))
                    on_toggle=Callback::new(move |i| draft.update(|d| d.happened_before = Some(i == 0)))
                    error=error_of(Field::HappenedBefore)
                />
                <ChoiceGroup
                    key="fair_solution"
                    legend=label(Field::FairSolution)
                    tag=optional
                    multiple=true
                    count=FairSolution::ALL.len()
                    label=Callback::new(move |i| labels::fair(i18n, FairSolution::ALL[i]))
                    checked=Callback::new(move |i| draft.with(|d| d.fair_solutions.contains(&FairSolution::ALL[i])))
                    on_toggle=Callback::new(move |i| {
                        let f = FairSolution::ALL[i];
                        draft
                            .update(|d| {
                                if let Some(i) = d.fair_solutions.iter().position(|x| *x == f) {
                                    d.fair_solutions.remove(i);
                                } else {
                                    d.fair_solutions.push(f);
                                }
                            })
                    })
                    error=error_of(Field::FairSolution)
                />
                <TextField
                    key="fair_solution_note"
                    label=label(Field::FairSolutionNote)
                    tag=optional
                    value=Signal::derive(move || draft.with(|d| d.fair_solution_note.clone()))
                    on_input=Callback::new(move |v| draft.update(|d| d.fair_solution_note = v))
                    error=error_of(Field::FairSolutionNote)
                />

            </Later>
            <Later step=4>
                <h2>{tr(i18n, |l| l.texts().contact_legend)}</h2>
                <TextField
                    key="name"
                    label=label(Field::Name)
                    tag=optional
                    autocomplete=autofill("name")
                    value=Signal::derive(move || draft.with(|d| d.name.clone()))
                    on_input=Callback::new(move |v| draft.update(|d| d.name = v))
                    error=error_of(Field::Name)
                />
                <TextField
                    key="contact"
                    label=label(Field::Contact)
                    tag=optional
                    autocomplete=autofill("email")
                    value=Signal::derive(move || draft.with(|d| d.contact.clone()))
                    on_input=Callback::new(move |v| draft.update(|d| d.contact = v))
                    error=error_of(Field::Contact)
                />
                <div class="srk-field">
                    <label class="srk-check">
                        <input
                            type="checkbox"
                            id=field_id(Field::Consent.key())
                            prop:checked=move || draft.with(|d| d.consent_to_contact)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|d| d.consent_to_contact = on)
                            }
                        />
                        <span>{label(Field::Consent)}</span>
                    </label>
                    <FieldError key="consent" error=error_of(Field::Consent) />
                </div>
                <p class="srk-note">
                    {match mode {
                        Mode::Kiosk => tr(i18n, |l| l.texts().privacy_kiosk),
                        Mode::Phone => tr(i18n, |l| l.texts().privacy_phone),
                    }}
                </p>
                <div class="srk-actions">
                    <button type="submit" class="srk-button srk-button--primary" id="srk-submit">
                        {tr(i18n, |l| l.texts().submit)}
                    </button>
                </div>
            </Later>
        </form>
    }
}
