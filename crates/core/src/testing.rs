//! Fixtures for tests of this crate and of its users (enabled by the `testing` feature).
//! Never used by production code.

use crate::complaint::{Category, ComplaintDraft, validate};
use crate::event::{Event, EventKind, Origin};
use crate::ids::{CaseId, DeviceId, EventId, Slug, Timestamp};
use uuid::Uuid;

/// A valid "filed" event: ids from small numbers, a billing complaint with `text`, filed at
/// `at` milliseconds at the demo store's checkout 2.
pub fn filed_event(event: u128, case: u128, at: i64, text: &str) -> Event {
    Event {
        id: EventId(Uuid::from_u128(event)),
        case: CaseId(Uuid::from_u128(case)),
        at: Timestamp(at),
        origin: Origin {
            store: Slug::parse("demo").expect("valid slug"),
            touchpoint: Slug::parse("checkout-2").expect("valid slug"),
            device: DeviceId(Uuid::from_u128(9)),
        },
        kind: EventKind::Filed {
            complaint: validate(&ComplaintDraft {
                category: Some(Category::Billing),
                description: text.into(),
                ..Default::default()
            })
            .expect("fixture complaint is valid"),
            utc_offset_minutes: 60,
        },
        proof: None,
        clock: None,
    }
}

/// A staff member of the demo store: `role` with `limit` minor units of authority.
pub fn actor(staff: &str, role: crate::event::Role, limit: u32) -> crate::event::Actor {
    crate::event::Actor {
        staff: Slug::parse(staff).expect("valid slug"),
        role,
        limit_minor: limit,
    }
}

/// An event of `kind` for `case` at `at`, recorded at the demo store's front desk.
pub fn step(event: u128, case: u128, at: i64, kind: EventKind) -> Event {
    Event {
        id: EventId(Uuid::from_u128(event)),
        case: CaseId(Uuid::from_u128(case)),
        at: Timestamp(at),
        origin: Origin {
            store: Slug::parse("demo").expect("valid slug"),
            touchpoint: Slug::parse("front-desk").expect("valid slug"),
            device: DeviceId(Uuid::from_u128(10)),
        },
        kind,
        proof: None,
        clock: None,
    }
}
