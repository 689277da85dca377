//! A labelled text input or text area with its hint, counter and error.

use super::{FieldError, error_id, field_id};
use leptos::either::Either;
use leptos::prelude::*;

/// One free-text field. The value is controlled, so clearing the draft clears the screen.
#[component]
pub fn TextField(
    /// Field key (e.g. `description`): derives the element ids.
    key: &'static str,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// "required" or "optional", shown beside the label.
    #[prop(into)]
    tag: Signal<&'static str>,
    /// Current value.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the new text on every edit.
    on_input: Callback<String>,
    /// A multi-line text area instead of a one-line input.
    #[prop(optional)]
    multiline: bool,
    /// The `type` of a one-line input (`text`, `email`...).
    #[prop(default = "text")]
    input_type: &'static str,
    /// The `autocomplete` hint for the browser.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// A hint under the label.
    #[prop(optional, into)]
    hint: Option<Signal<&'static str>>,
    /// A live character counter under the field.
    #[prop(optional, into)]
    counter: Option<Signal<String>>,
    /// The field's error, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = field_id(key);
    let err_id = error_id(key);
    let hint_id = format!("srk-h-{key}");
    let has_hint = hint.is_some();
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error.with(|e| e.is_some().then_some("true"));
    let on_edit = move |ev| on_input.run(event_target_value(&ev));
    let control = if multiline {
        Either::Left(view! {
            <textarea
                class="srk-input"
                id=id.clone()
                rows="5"
                aria-invalid=invalid
                aria-describedby=described
                prop:value=value
                on:input=on_edit
            ></textarea>
        })
    } else {
        Either::Right(view! {
            <input
                class="srk-input"
                id=id.clone()
                type=input_type
                autocomplete=autocomplete
                aria-invalid=invalid
                aria-describedby=described
                prop:value=value
                on:input=on_edit
            />
        })
    };
    view! {
        <div class="srk-field">
            <label class="srk-field__label" for=id>
                {label}
                <span class="srk-field__tag">"(" {tag} ")"</span>
            </label>
            {hint.map(|h| view! { <p class="srk-field__hint" id=hint_id>{h}</p> })}
            {control}
            {counter.map(|c| view! { <p class="srk-counter">{c}</p> })}
            <FieldError key error />
        </div>
    }
}
