//! The customer page's side of the outbox client (`shared::outbox`): the device's cases are
//! its queue. Filings go without a credential, each with the ticket secret of its case; a
//! phone keeps what the server has (marked as sent, to list it), a kiosk deletes it
//! (`Cases::load`); when a push was last answered is kept on the device for the status line.
//! A phone also asks where its cases stand ([`learn_statuses`]).

use crate::customer::device;
use crate::customer::state::Cases;
use crate::shared::outbox::{self, Client, Outgoing, Queue};
use crate::shared::platform::{codec, net};
use leptos::prelude::*;
use recovery_core::{CaseId, EventId, Receipt, TicketCode, Timestamp, api};

/// Handle to the customer page's outbox client; cheap to copy, shared through context.
pub type Sync = Client<Cases>;

/// Starts shipping the device's cases.
pub fn start(cases: Cases) -> Sync {
    Client::start(cases, device::last_sync())
}

impl Queue for Cases {
    fn next_batch(&self, max: usize) -> Vec<Outgoing> {
        Cases::next_batch(self, max)
    }

    fn pending_count(&self) -> usize {
        Cases::pending_count(self)
    }

    fn settle(&self, receipts: &[(EventId, Receipt)]) {
        Cases::settle(self, receipts);
    }

    fn answered(&self, at: Timestamp) {
        device::set_last_sync(at);
    }
}

/// Asks the server where each case stands (with its ticket code and the secret that opens it),
/// one after another, keeping each answer on the device (`device::learnt_status`) and counting
/// it in `learnt`. The first ask that gets no answer ends the round: an offline phone or a
/// server that says "wait" is asked nothing more until the next round.
pub fn learn_statuses(cases: Vec<(CaseId, TicketCode, String)>, learnt: RwSignal<u32>) {
    leptos::task::spawn_local(async move {
        for (case, code, secret) in cases {
            let url = api::ticket_url(code.as_str());
            let auth = Some(net::Auth::TicketSecret(&secret));
            let Ok(reply) = net::request(&url, None, auth, outbox::DEFAULT_DEADLINE).await else {
                return;
            };
            // A case the server does not have yet (404) is simply not news.
            match (reply.status, codec::parse(&reply.body)) {
                (200, Some(view)) => {
                    if let Some(status) = codec::string(&view, "status") {
                        device::keep_status(case, &status);
                        learnt.update(|n| *n += 1);
                    }
                }
                (404, _) => {}
                _ => return,
            }
        }
    });
}
