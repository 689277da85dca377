//! A group of large tappable choices: radio buttons (pick one) or checkboxes (pick several).

use super::{error_id, field_id};
use leptos::prelude::*;

/// A fieldset of choices with a legend, an optional error and one large tile per option.
///
/// The same component serves single and multiple choice, so both look and behave alike.
#[component]
pub fn ChoiceGroup<T>(
    /// Field key (e.g. `category`): names the inputs and derives element ids.
    key: &'static str,
    /// The question, as the legend.
    #[prop(into)]
    legend: Signal<String>,
    /// "required" or "optional", shown beside the legend.
    #[prop(into)]
    tag: Signal<String>,
    /// The options, in display order.
    options: Vec<T>,
    /// Text of one option in the current language.
    label: Callback<T, String>,
    /// Whether one option is currently chosen.
    checked: Callback<T, bool>,
    /// Called when the person taps an option.
    on_toggle: Callback<T>,
    /// Checkboxes instead of radio buttons.
    #[prop(optional)]
    multiple: bool,
    /// The field's error, if any, shown under the legend.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView
where
    T: Copy + Send + Sync + 'static,
{
    let kind = if multiple { "checkbox" } else { "radio" };
    let err_id = error_id(key);
    let described = err_id.clone();
    let items = options
        .into_iter()
        .enumerate()
        .map(|(i, opt)| {
            let id = if i == 0 {
                field_id(key)
            } else {
                format!("{}-{i}", field_id(key))
            };
            view! {
                <label class="srk-choice">
                    <input
                        type=kind
                        id=id
                        name=key
                        prop:checked=move || checked.run(opt)
                        on:change=move |_| on_toggle.run(opt)
                    />
                    <span>{move || label.run(opt)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="srk-field"
            aria-describedby=move || error.with(|e| e.as_ref().map(|_| described.clone()))
        >
            <legend>
                {legend}
                <span class="srk-field__tag">"(" {tag} ")"</span>
            </legend>
            {move || {
                error
                    .get()
                    .map(|msg| view! { <p class="srk-field__error" id=err_id.clone()>{msg}</p> })
            }}
            <div class="srk-choices">{items}</div>
        </fieldset>
    }
}
