//! What this device holds and whether the store's server has it: how many complaints wait to
//! be sent, progress while sending, when the server last answered, why sending fails (in plain
//! words), what the server refused ("needs attention"), what is still waiting to be saved,
//! and how many stored entries could not be read (and were left alone).
//!
//! The line that matters most (waiting, or needing attention) is in the always-visible
//! summary; the details fold away.

use crate::customer::state::Cases;
use crate::customer::sync::Sync;
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::{self, dynamic, tr};
use crate::shared::platform::clock;
use leptos::prelude::*;

/// Device and sync status, folded away under a disclosure.
#[component]
pub fn DeviceStatus() -> impl IntoView {
    let i18n = use_i18n();
    let cases = expect_context::<Cases>();
    let sync = expect_context::<Sync>();
    let when = move |at| clock::format(at, i18n.get_locale().as_str(), clock::Style::DateTime);

    let summary = dynamic(move || {
        let mut text = i18n.t().device_title.to_string();
        let pending = cases.pending_count();
        if pending > 0 {
            text.push_str(" · ");
            text.push_str(&fill(i18n.t().sync_pending, &[("count", &pending)]));
        }
        let attention = cases.rejected().len();
        if attention > 0 {
            text.push_str(" · ");
            text.push_str(&fill(
                i18n.t().sync_attention_short,
                &[("count", &attention)],
            ));
        }
        text
    });
    let progress = dynamic(move || match sync.status().progress {
        Some((done, total)) => fill(
            i18n.t().sync_progress,
            &[("done", &done), ("total", &total)],
        ),
        None => String::new(),
    });
    let last = dynamic(move || match sync.status().last_ok {
        Some(at) => fill(i18n.t().sync_last, &[("when", &when(at))]),
        None => i18n.t().sync_never.to_string(),
    });
    // Why sending fails and when it is tried next; empty while all is well.
    let problem = dynamic(move || {
        let status = sync.status();
        let Some(p) = status.problem else {
            return String::new();
        };
        let mut text = labels::sync_problem(i18n, p).to_string();
        if let Some(at) = status.retry_at {
            let time = clock::format(at, i18n.get_locale().as_str(), clock::Style::Time);
            text.push(' ');
            text.push_str(&fill(i18n.t().sync_retry_at, &[("time", &time)]));
        }
        text
    });
    // What the server refused: each ticket and why, in one paragraph; empty when nothing.
    let attention = dynamic(move || {
        let refused = cases.rejected();
        if refused.is_empty() {
            return String::new();
        }
        let mut text = fill(i18n.t().sync_attention, &[("count", &refused.len())]);
        for (ticket, reason) in refused {
            text.push(' ');
            text.push_str(ticket.as_str());
            text.push_str(": ");
            text.push_str(labels::reject_reason(i18n, reason));
            text.push('.');
        }
        text
    });
    let has_attention = move || !cases.rejected().is_empty();

    view! {
        <details class="srk-device" id="srk-device">
            <summary id="srk-device-summary">{summary}</summary>
            <div role="status" aria-live="polite">
                <p id="srk-sync-pending">
                    {dynamic(move || fill(i18n.t().sync_pending, &[("count", &cases.pending_count())]))}
                </p>
                <p id="srk-sync-progress">{progress}</p>
                <p id="srk-sync-last">{last}</p>
                <p id="srk-sync-problem">{problem}</p>
                <p id="srk-sync-attention">{attention}</p>
            </div>
            <p class="srk-actions">
                <button type="button" class="srk-button" id="srk-sync-now" on:click=move |_| sync.send_now()>
                    {tr(i18n, |l| l.texts().sync_now)}
                </button>
                <button type="button" class="srk-button" id="srk-sync-retry" hidden=move || !has_attention() on:click=move |_| {
                    cases.retry_rejected();
                    sync.send_now();
                }>
                    {tr(i18n, |l| l.texts().sync_retry_rejected)}
                </button>
            </p>
            <p id="srk-device-stored">{dynamic(move || fill(i18n.t().device_stored, &[("count", &cases.count())]))}</p>
            <p id="srk-device-unsaved">
                {dynamic(move || fill(i18n.t().device_unsaved, &[("count", &cases.unsaved_count())]))}
            </p>
            {move || {
                (cases.skipped_count() > 0)
                    .then(|| {
                        view! {
                            <p id="srk-device-skipped">
                                {dynamic(move || fill(i18n.t().device_skipped, &[("count", &cases.skipped_count())]))}
                            </p>
                        }
                    })
            }}
        </details>
    }
}
