//! The acknowledgement: a personal apology built from what the customer told us, the ticket
//! code, and what happens next and by when (the store's own target, as the device last learnt
//! it). It needs nothing but the case in memory and the device's storage.

use crate::customer::device;
use crate::customer::route::Mode;
use crate::customer::state::Cases;
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::{self, dynamic, tr};
use crate::shared::platform::{activity, clock, env};
use leptos::prelude::*;
use recovery_core::{Case, Mark, SlaPolicy, apology_plan};
use std::time::Duration;

/// On a kiosk, how long the acknowledgement stays before the screen clears itself.
pub const KIOSK_ACK_SECONDS: u32 = 30;

/// The acknowledgement screen for a case just filed.
#[component]
pub fn Acknowledgement(
    /// The case just filed.
    case: Case,
    /// Kiosk screens clear themselves; a phone offers to file another complaint.
    mode: Mode,
    /// Called when the customer is done (or the kiosk's countdown ends).
    on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let cases = expect_context::<Cases>();
    let plan = apology_plan(&case.complaint);
    // The store's own target as this device last learnt it; the default only if it never did.
    let promised = SlaPolicy {
        acknowledge_within_minutes: device::promised_minutes(&case.store)
            .unwrap_or(SlaPolicy::default().acknowledge_within_minutes),
        ..SlaPolicy::default()
    };
    let respond_by = promised.respond_by(case.filed_at);
    let contact = case
        .complaint
        .contact
        .as_ref()
        .map(|c| c.as_str().to_owned());
    let asked_fair = case.complaint.names_a_fair_solution();
    let case_id = case.id;
    // Move focus to the apology so screen readers announce it in place of the form. Then,
    // a moment after that frame is painted, the customer's
    // own ticket page, added as plain markup after the ticket code so that the complaint
    // form's download carries no view code for it, in the language of that moment: a kiosk
    // shows a QR to scan with a phone (framed from `/qr/`; a link would open the ticket on the
    // shared tablet), a phone shows a link. The secret rides in the fragment, which browsers
    // never send to the server. build.rs guarantees the two texts hold no HTML characters.
    request_animation_frame(move || {
        env::focus("srk-ack-title");
        set_timeout(
            move || {
                // Offline the QR page comes from the service worker's cache. The frame starts
                // hidden and the QR page shows it once drawn, so a page that could not load
                // (offline before the worker kept it) never shows.
                let Some(path) = cases.ticket_path(case_id) else {
                    return;
                };
                let t = i18n.t();
                let (open, middle, close, text) = if mode == Mode::Kiosk {
                    (
                        "<iframe hidden id=\"srk-ticket-qr\" src=\"/qr/#",
                        "\" title=\"",
                        "\"></iframe>",
                        t.ticket_qr,
                    )
                } else {
                    (
                        "<a id=\"srk-ticket-link\" href=\"",
                        "\">",
                        "</a>",
                        t.ticket_link,
                    )
                };
                let html = [open, &path, middle, text, close].concat();
                env::insert_html_after("srk-ticket", &html);
            },
            // Well after the acknowledgement's frame: loading the QR page is not the tap's work.
            Duration::from_millis(200),
        );
    });

    let left = RwSignal::new(KIOSK_ACK_SECONDS);
    if mode == Mode::Kiosk {
        activity::use_interval(Duration::from_secs(1), move || {
            // A tick can still arrive after this screen was taken down: then do nothing.
            let Some(before) = left.try_get_untracked() else {
                return;
            };
            if before == 0 {
                return;
            }
            left.set(before - 1);
            if before == 1 {
                // The reset unmounts this component and drops this very timer, so it must
                // run after this callback has returned, not inside it.
                set_timeout(move || on_done.run(()), Duration::ZERO);
            }
        });
    }

    let thanks = {
        let name = plan.name.clone();
        dynamic(move || match &name {
            Some(n) => fill(i18n.t().thanks_named, &[("name", n)]),
            None => i18n.t().thanks.to_string(),
        })
    };
    // One paragraph: the apology that answers what went wrong, then what this case needs
    // acknowledged (a repeat, a serious impact) and the escalation instead of the usual script.
    let apology = dynamic(move || {
        let t = i18n.t();
        let mut text = labels::apology(i18n, plan.category);
        for (on, extra) in [
            (plan.repeat, t.repeat),
            (plan.serious, t.serious),
            (plan.escalate, t.escalated),
        ] {
            if on {
                text.push(' ');
                text.push_str(extra);
            }
        }
        text
    });
    let respond = dynamic(move || {
        let time = clock::format(respond_by, i18n.get_locale().as_str(), clock::Style::Time);
        fill(i18n.t().next_respond, &[("time", &time)])
    });
    let reach = dynamic(move || match &contact {
        Some(c) => fill(i18n.t().next_contact, &[("contact", c)]),
        None => i18n.t().next_no_contact.to_string(),
    });
    let done_label = match mode {
        Mode::Kiosk => tr(i18n, |l| l.texts().done),
        Mode::Phone => tr(i18n, |l| l.texts().another),
    };
    let storage_note = move || {
        cases.save_problem().map(|p| {
            let msg = match p {
                crate::shared::platform::storage::StorageError::Full => {
                    i18n.t().storage_full.to_string()
                }
                crate::shared::platform::storage::StorageError::Unavailable(_) => {
                    i18n.t().storage_unavailable.to_string()
                }
            };
            view! { <p class="srk-alert" role="alert" id="srk-storage-problem">{msg}</p> }
        })
    };

    // Whether the store's server has it yet; follows the sync loop while the screen is up.
    let delivery = dynamic(move || {
        match cases.case_mark(case_id) {
            Some(Mark::Sent) => i18n.t().ack_sent,
            Some(Mark::Rejected(_)) => i18n.t().ack_attention,
            // Anything not yet on disk (this complaint, moments after it was filed; or, with
            // storage full, every complaint) is still being saved.
            _ if cases.unsaved_count() > 0 => i18n.t().ack_saving,
            _ => i18n.t().ack_pending,
        }
        .to_string()
    });

    view! {
        <section class="srk-card" aria-labelledby="srk-ack-title">
            <h1 id="srk-ack-title" tabindex="-1">{thanks}</h1>
            <p class="srk-apology">{apology}</p>
            {storage_note}
            <h2>{tr(i18n, |l| l.texts().ticket_label)}</h2>
            <p class="srk-ticket" id="srk-ticket">{case.ticket.to_string()}</p>
            <p>{tr(i18n, |l| l.texts().ticket_hint)}</p>
            <p class="srk-note" id="srk-ack-sync" role="status">{delivery}</p>
            <h2>{tr(i18n, |l| l.texts().next_title)}</h2>
            <ul class="srk-next">
                <li>{respond}</li>
                {asked_fair.then(|| view! { <li>{tr(i18n, |l| l.texts().next_fair)}</li> })}
                <li>{reach}</li>
            </ul>
            {(mode == Mode::Kiosk)
                .then(|| {
                    view! {
                        <p class="srk-note">
                            {dynamic(move || {
                                fill(i18n.t().clears_in, &[("seconds", &left.get())])
                            })}
                        </p>
                    }
                })}
            <div class="srk-actions">
                <button
                    type="button"
                    class="srk-button srk-button--primary"
                    id="srk-done"
                    on:click=move |_| on_done.run(())
                >
                    {done_label}
                </button>
            </div>
        </section>
    }
}
