//! A quiet line about what this device holds: how many complaints are kept, how many are still
//! waiting to be saved, and how many stored entries could not be read (and were left alone).

use crate::i18n::*;
use crate::labels::{dynamic, tr};
use crate::state::Cases;
use leptos::prelude::*;

/// Device status, folded away under a disclosure.
#[component]
pub fn DeviceStatus() -> impl IntoView {
    let i18n = use_i18n();
    let cases = expect_context::<Cases>();
    view! {
        <details class="srk-device" id="srk-device">
            <summary>{tr(i18n, |l| td_string!(l, device_title))}</summary>
            <p id="srk-device-stored">{dynamic(move || t_string!(i18n, device_stored, count = cases.count()).to_string())}</p>
            <p id="srk-device-unsaved">
                {dynamic(move || t_string!(i18n, device_unsaved, count = cases.unsaved_count()).to_string())}
            </p>
            {move || {
                (cases.skipped_count() > 0)
                    .then(|| {
                        view! {
                            <p id="srk-device-skipped">
                                {dynamic(move || t_string!(i18n, device_skipped, count = cases.skipped_count()).to_string())}
                            </p>
                        }
                    })
            }}
        </details>
    }
}
