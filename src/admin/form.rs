//! The fields the admin's forms share: a labelled input bound to a signal, and a form's line
//! of outcome (saved, or why not), announced to screen readers.

use crate::shared::i18n::{I18n, StaffAdminTexts};
use leptos::prelude::*;

/// A labelled one-line input bound to `value`.
#[component]
pub fn Input(
    /// The element id (unique on the page).
    #[prop(into)]
    id: String,
    /// The visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The value.
    value: RwSignal<String>,
    /// The input's `type`.
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Whether it may not be changed.
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="srk-field">
            <label class="srk-field__label" for=id.clone()>{label}</label>
            <input
                class="srk-input"
                id=id
                type=kind
                autocomplete=autocomplete
                disabled=disabled
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

/// A labelled checkbox bound to `value`.
#[component]
pub fn Check(
    /// The element id.
    #[prop(into)]
    id: String,
    /// The visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The value.
    value: RwSignal<bool>,
    /// Whether it may not be changed.
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="srk-admin__check">
            <input
                type="checkbox"
                id=id.clone()
                disabled=disabled
                prop:checked=value
                on:change=move |ev| value.set(event_target_checked(&ev))
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// What became of a form's last submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Saved (with what to say).
    Done(String),
    /// Refused or failed (with why).
    Problem(String),
}

/// The outcome line under a form (`role="status"`, so it is read out when it changes).
#[component]
pub fn OutcomeLine(
    /// Its element id.
    id: &'static str,
    /// The outcome on show.
    outcome: RwSignal<Option<Outcome>>,
) -> impl IntoView {
    let class = move || match outcome.get() {
        Some(Outcome::Problem(_)) => "srk-error",
        _ => "srk-note",
    };
    let text = move || match outcome.get() {
        Some(Outcome::Done(text) | Outcome::Problem(text)) => text,
        None => String::new(),
    };
    view! { <p id=id class=class role="status">{text}</p> }
}

/// A whole number typed into a field; `None` for anything else.
pub fn whole(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

/// A text of the admin's, picked by `pick`, that follows the language.
pub fn text(i18n: I18n, pick: fn(&StaffAdminTexts) -> &'static str) -> Signal<String> {
    Signal::derive(move || pick(&i18n.get_locale().staff().admin).to_owned())
}
