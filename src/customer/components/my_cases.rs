//! On the customer's own phone: the complaints filed from it, with their ticket codes (each a
//! link to its ticket page) and whether the store's server has them, so a reload or a later
//! visit finds them again.
//! Never shown on a shared kiosk.

use crate::customer::state::Cases;
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::{self, dynamic, tr};
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
    move || {
        let own = cases.newest_cases(MAX_LISTED);
        (!own.is_empty()).then(|| {
            let items = own
                .into_iter()
                .map(|c| {
                    let filed = c.filed_at;
                    let category = c.complaint.category;
                    let id = c.id;
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
                                {tr(i18n, |l| l.texts().status_filed)}
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
