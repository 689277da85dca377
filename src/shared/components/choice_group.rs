//! A group of large tappable choices: radio buttons (pick one) or checkboxes (pick several).

use super::{FieldError, error_id, field_id};
use crate::shared::labels::dynamic;
use leptos::prelude::*;

/// A fieldset of choices with a legend, an optional error and one large tile per option.
///
/// The same component serves single and multiple choice, so both look and behave alike.
/// Options are addressed by index, so one compiled copy serves every kind of choice.
#[component]
pub fn ChoiceGroup(
    /// Field key (e.g. `category`): names the inputs and derives element ids.
    key: &'static str,
    /// The question, as the legend.
    #[prop(into)]
    legend: Signal<&'static str>,
    /// "required" or "optional", shown beside the legend.
    #[prop(into)]
    tag: Signal<&'static str>,
    /// How many options there are.
    count: usize,
    /// Text of option `i` in the current language.
    label: Callback<usize, String>,
    /// Whether option `i` is currently chosen.
    checked: Callback<usize, bool>,
    /// Called with `i` when the person taps option `i`.
    on_toggle: Callback<usize>,
    /// Checkboxes instead of radio buttons.
    #[prop(optional)]
    multiple: bool,
    /// The field's error, if any, shown under the legend.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let kind = if multiple { "checkbox" } else { "radio" };
    let err_id = error_id(key);
    let described = err_id.clone();
    let items = (0..count)
        .map(|i| {
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
                        prop:checked=move || checked.run(i)
                        on:change=move |_| on_toggle.run(i)
                    />
                    <span>{dynamic(move || label.run(i))}</span>
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
            <FieldError key error />
            <div class="srk-choices">{items}</div>
        </fieldset>
    }
}
