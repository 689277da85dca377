//! The language switch: every language named in itself, so a customer finds their own.

use crate::shared::i18n::{Locale, use_i18n};
use crate::shared::labels::tr;
use leptos::prelude::*;

/// A labelled select that switches the whole UI's language at once.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i18n = use_i18n();
    let options = Locale::ALL
        .into_iter()
        .map(|l| {
            view! {
                <option
                    value=l.as_str()
                    lang=l.as_str()
                    prop:selected=move || i18n.get_locale() == l
                >
                    {l.name()}
                </option>
            }
        })
        .collect_view();
    let change = move |ev| {
        let tag = event_target_value(&ev);
        if let Some(l) = Locale::ALL.into_iter().find(|l| l.as_str() == tag) {
            i18n.set_locale(l);
        }
    };
    view! {
        <div class="srk-bar__lang">
            <label for="srk-lang">{tr(i18n, |l| l.texts().language)}</label>
            <select id="srk-lang" class="srk-input" on:change=change>
                {options}
            </select>
        </div>
    }
}
