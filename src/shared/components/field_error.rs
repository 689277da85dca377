//! A field's error message, placed under the field and referenced by its `aria-describedby`.

use super::error_id;
use leptos::prelude::*;

/// The error of the field `key`, or nothing when it has none.
#[component]
pub fn FieldError(
    /// Field key (e.g. `contact`): derives the element id.
    key: &'static str,
    /// The message in the current language, if the field has a problem.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = error_id(key);
    move || {
        error
            .get()
            .map(|msg| view! { <p class="srk-field__error" id=id.clone()>{msg}</p> })
    }
}
