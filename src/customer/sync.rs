//! The customer page's side of the outbox client (`shared::outbox`): the device's cases are
//! its queue. Filings go without a credential, each with the ticket secret of its case; a
//! phone keeps what the server has (marked as sent, to list it), a kiosk deletes it
//! (`Cases::load`); when a push was last answered is kept on the device for the status line.

use crate::customer::device;
use crate::customer::state::Cases;
use crate::shared::outbox::{Client, Outgoing, Queue};
use recovery_core::{EventId, Receipt, Timestamp};

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
