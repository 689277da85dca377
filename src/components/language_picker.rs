//! The language switch: every language named in itself, so a customer finds their own.

use crate::i18n::*;
use crate::labels::tr;
use leptos::prelude::*;

/// A labelled select that switches the whole UI's language at once.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i18n = use_i18n();
    let options = Locale::get_all()
        .iter()
        .map(|&l| {
            view! {
                <option
                    value=l.as_str()
                    lang=l.as_str()
                    prop:selected=move || i18n.get_locale() == l
                >
                    {td_string!(l, lang_name)}
                </option>
            }
        })
        .collect_view();
    let change = move |ev| {
        let tag = event_target_value(&ev);
        if let Some(&l) = Locale::get_all().iter().find(|l| l.as_str() == tag) {
            i18n.set_locale(l);
        }
    };
    view! {
        <div class="srk-bar__lang">
            <label for="srk-lang">{tr(i18n, |l| td_string!(l, language))}</label>
            <select id="srk-lang" class="srk-input" on:change=change>
                {options}
            </select>
        </div>
    }
}
