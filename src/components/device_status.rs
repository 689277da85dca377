//! A quiet line about what this device holds: how many complaints are kept, how many are still
//! waiting to be saved, and how many stored entries could not be read (and were left alone).

use crate::i18n::*;
use crate::state::Cases;
use leptos::prelude::*;

/// Device status, folded away under a disclosure.
#[component]
pub fn DeviceStatus() -> impl IntoView {
    let i18n = use_i18n();
    let cases = expect_context::<Cases>();
    view! {
        <details class="srk-device" id="srk-device">
            <summary>{t!(i18n, device_title)}</summary>
            <p id="srk-device-stored">{t!(i18n, device_stored, count = move || cases.count())}</p>
            <p id="srk-device-unsaved">
                {t!(i18n, device_unsaved, count = move || cases.unsaved_count())}
            </p>
            {move || {
                (cases.skipped_count() > 0)
                    .then(|| {
                        view! {
                            <p id="srk-device-skipped">
                                {t!(i18n, device_skipped, count = move || cases.skipped_count())}
                            </p>
                        }
                    })
            }}
        </details>
    }
}
