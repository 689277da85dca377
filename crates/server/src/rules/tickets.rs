//! What a customer may read of their own case: the ticket found by the hash
//! of the secret their device made when filing, folded into the core's
//! [`TicketView`]. Like [`super::sync`], the reading runs in one transaction
//! through the backend-neutral [`Access`]; nothing here knows HTTP or SQL.
//!
//! The view is the customer's, never staff's: the type has no field for
//! notes, escalation reasons, staff ids, sub-causes, people or departments,
//! so nothing here can leak them.

use recovery_core::api::{TicketRating, TicketResolution, TicketStep, TicketView};
use recovery_core::{Details, Event, TransitionError, fold};

use super::sync::stored_event;
use crate::store::{Access, DbError};

/// A customer's ticket, found by the hash of its secret.
#[derive(Debug)]
pub struct Ticket {
    /// The ticket code stored with it.
    pub code: String,
    /// The case's events, in arrival order.
    pub events: Vec<Event>,
    /// The store's name and currency, when the store is in the database.
    pub store: Option<(String, String)>,
    /// The display name of the place it was filed at, when the store gave it one.
    pub place: Option<String>,
}

/// The ticket whose secret hashes to `secret_hash`, with its case's events.
pub fn ticket(db: &mut dyn Access, secret_hash: &str) -> Result<Option<Ticket>, DbError> {
    // The device's own secret, or one the server made for a message's link.
    let found = match db.ticket_by_hash(secret_hash)? {
        Some(found) => Some(found),
        None => db.ticket_link(secret_hash)?,
    };
    let Some((case_id, code)) = found else {
        return Ok(None);
    };
    let rows = db.case_events(&case_id)?;
    let store = match rows.first() {
        Some((store, _)) => super::staff::name_and_currency(db, store)?,
        None => None,
    };
    let events = rows
        .iter()
        .map(|(_, body)| stored_event(body))
        .collect::<Result<Vec<Event>, DbError>>()?;
    let place = match events.first() {
        Some(e) => db
            .touchpoints(e.origin.store.as_str())?
            .into_iter()
            .find(|(slug, name)| slug == e.origin.touchpoint.as_str() && !name.is_empty())
            .map(|(_, name)| name),
        None => None,
    };
    Ok(Some(Ticket {
        code,
        events,
        store,
        place,
    }))
}

/// Folds a ticket's events into the customer's view; `Ok(None)` when there
/// are none.
pub fn customer_view(ticket: &Ticket) -> Result<Option<TicketView>, TransitionError> {
    let Some(case) = fold(&ticket.events)? else {
        return Ok(None);
    };
    let details = Details::of(&ticket.events);
    let (store_name, currency) = ticket.store.clone().unzip();
    Ok(Some(TicketView {
        ticket: ticket.code.clone(),
        store: case.store,
        store_name,
        currency,
        status: case.status,
        filed_at: case.filed_at,
        acknowledged_at: case.acknowledged_at,
        resolved_at: case.resolved_at,
        closed_at: case.closed_at,
        follow_up_at: case.follow_up_at,
        touchpoint: case.touchpoint,
        place: ticket.place.clone(),
        category: case.complaint.category,
        complaint: case.complaint,
        timeline: details
            .timeline
            .into_iter()
            .map(|m| TicketStep {
                step: m.step,
                at: m.at,
            })
            .collect(),
        resolution: details.resolution.map(|r| TicketResolution {
            remedy: r.remedy,
            value_minor: r.value_minor,
            gesture: r.gesture,
            at: r.at,
        }),
        explanation: details.cause.map(|cause| cause.explanation),
        rating: details.rating.map(|r| TicketRating {
            stars: r.stars,
            comment: r.comment,
        }),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use recovery_core::testing::filed_event;

    #[test]
    fn a_filed_ticket_shows_the_complaint_and_one_step() {
        let filed = filed_event(1, 2, 1_000, "the card was charged twice");
        let ticket = Ticket {
            code: "K7M-3QX".into(),
            events: vec![filed],
            store: Some(("Demo store".into(), "EUR".into())),
            place: Some("Checkout 2".into()),
        };
        let view = customer_view(&ticket).unwrap().unwrap();
        assert_eq!(view.ticket, "K7M-3QX");
        assert_eq!(view.store_name.as_deref(), Some("Demo store"));
        assert_eq!(view.place.as_deref(), Some("Checkout 2"));
        assert_eq!(view.complaint.description, "the card was charged twice");
        assert_eq!(view.timeline.len(), 1);
        assert_eq!(view.resolution, None);
    }

    #[test]
    fn a_ticket_without_events_has_no_view() {
        let ticket = Ticket {
            code: "K7M-3QX".into(),
            events: Vec::new(),
            store: None,
            place: None,
        };
        assert_eq!(customer_view(&ticket).unwrap(), None);
    }
}
