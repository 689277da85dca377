//! On the customer's own phone: the complaints filed from it, with their ticket codes (each a
//! link to its ticket page), where each stands as the server last said (asked when the list
//! appears and whenever the phone is back online; kept for offline) and whether the store's
//! server has them, so a reload or a later visit finds them again.
//! Never shown on a shared kiosk.

use crate::customer::state::Cases;
use crate::customer::{device, sync};
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::{self, Pick, dynamic, tr};
use crate::shared::platform::clock;
use leptos::prelude::*;
use recovery_core::Mark;

/// How many cases the list shows: a phone that holds more (a tester's, or a shop's own phone
/// used as a kiosk) would otherwise draw thousands of rows on every start.
pub const MAX_LISTED: usize = 20;

/// The list of this phone's cases, newest first (at most [`MAX_LISTED`]); nothing when there
/// are none.
#[component]
pub fn MyCases() -> impl IntoView {
    let i18n = use_i18n();
    let cases = expect_context::<Cases>();
    // Bumped by each answer the server gives, so the lines read the kept statuses again.
    let learnt = RwSignal::new(0u32);
    let learn = move || {
        let asks = cases
            .newest_cases(MAX_LISTED)
            .into_iter()
            .filter_map(|c| Some((c.id, c.ticket, cases.secret(c.id)?)))
            .collect();
        sync::learn_statuses(asks, learnt);
    };
    learn();
    let online = window_event_listener_untyped("online", move |_| learn());
    on_cleanup(move || online.remove());
    move || {
        learnt.track();
        let own = cases.newest_cases(MAX_LISTED);
        (!own.is_empty()).then(|| {
            let items = own
                .into_iter()
                .map(|c| {
                    let filed = c.filed_at;
                    let category = c.complaint.category;
                    let id = c.id;
                    let status = status_words(device::learnt_status(id).as_deref());
                    let delivery = dynamic(move || {
                        match cases.case_mark(id) {
                            Some(Mark::Sent) => i18n.t().mine_sent,
                            Some(Mark::Rejected(_)) => i18n.t().mine_attention,
                            _ => i18n.t().mine_pending,
                        }
                        .to_string()
                    });
                    view! {
                        <li>
                            // The case's ticket page, where its current status is (no link
                            // for a case whose secret this phone never kept).
                            <a
                                class="srk-mine__ticket"
                                href=cases.ticket_path(id)
                            >
                                {c.ticket.to_string()}
                            </a>
                            " · "
                            {dynamic(move || labels::category(i18n, category))}
                            <br />
                            <span class="srk-note">
                                {dynamic(move || {
                                    let when = clock::format(
                                        filed,
                                        i18n.get_locale().as_str(),
                                        clock::Style::DateTime,
                                    );
                                    fill(i18n.t().filed_at, &[("when", &when)])
                                })}
                                " · "
                                {tr(i18n, status)}
                                " · "
                                {delivery}
                            </span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="srk-card" aria-labelledby="srk-mine-title">
                    <h2 id="srk-mine-title">{tr(i18n, |l| l.texts().mine_title)}</h2>
                    <ul class="srk-mine" id="srk-mine">{items}</ul>
                </section>
            }
        })
    }
}

/// The words for where a case stands, from the status the server last gave (`Status::key`):
/// filed until it says otherwise, and the steps staff work through as one "on it".
pub fn status_words(status: Option<&str>) -> Pick {
    match status {
        Some("acknowledged" | "understood" | "reopened") => |l| l.texts().status_working,
        Some("resolved") => |l| l.texts().status_resolved,
        Some("closed") => |l| l.texts().status_closed,
        _ => |l| l.texts().status_filed,
    }
}

#[cfg(test)]
mod tests {
    use super::status_words;
    use crate::shared::i18n::Locale;
    use recovery_core::Status;

    #[test]
    fn every_status_the_server_gives_reads_as_the_customer_should_see_it() {
        for l in Locale::ALL {
            let t = l.texts();
            let words = |status: Status| status_words(Some(status.key()))(l);
            assert_eq!(words(Status::Filed), t.status_filed);
            for on_it in [Status::Acknowledged, Status::Understood, Status::Reopened] {
                assert_eq!(words(on_it), t.status_working, "{on_it:?}");
            }
            assert_eq!(words(Status::Resolved), t.status_resolved);
            assert_eq!(words(Status::Closed), t.status_closed);
            // Nothing learnt yet, or a status a newer server knows: what the phone knows.
            assert_eq!(status_words(None)(l), t.status_filed);
            assert_eq!(status_words(Some("escalated_elsewhere"))(l), t.status_filed);
            let mut distinct = [
                t.status_filed,
                t.status_working,
                t.status_resolved,
                t.status_closed,
            ];
            distinct.sort_unstable();
            assert!(distinct.windows(2).all(|w| w[0] != w[1]), "{}", l.as_str());
        }
    }
}
