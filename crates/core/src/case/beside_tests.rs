//! Tests of the steps beside the four: staff trying to reach the customer, the customer's own
//! answer to "did the fix hold?", and the server erasing the customer's name and contact. They
//! share the workflow tests' case and steps.

use super::workflow_tests::{CASE, ack, ana, close, plain, resolve, run};
use super::*;
use crate::event::ContactChannel;
use crate::testing::step;

fn contact(id: u128, at: i64, channel: ContactChannel, reached: bool) -> Event {
    step(
        id,
        CASE,
        at,
        EventKind::Contacted {
            by: ana(),
            channel,
            reached,
            note: if reached {
                "Spoke to them.".into()
            } else {
                String::new()
            },
        },
    )
}

#[test]
fn tries_to_reach_the_customer_are_counted_on_an_open_case_and_leave_its_status() {
    use ContactChannel::{Email, Phone};
    // Before the acknowledgement (a call to say we are on it) and after it.
    let c = run(&[plain(), contact(2, 1_500, Phone, false)]).unwrap();
    assert_eq!((c.status, c.contact_attempts), (Status::Filed, 1));
    let events = [
        plain(),
        contact(2, 1_500, Phone, false),
        ack(3, 2_000),
        contact(4, 2_500, Email, true),
        resolve(5, 4_000, ana(), 1_000, None),
        contact(6, 4_500, Phone, true),
    ];
    let c = run(&events).unwrap();
    assert_eq!((c.status, c.contact_attempts), (Status::Resolved, 3));
    let d = Details::of(&events);
    let tries: Vec<(i64, ContactChannel, bool, &str)> = d
        .attempts
        .iter()
        .map(|a| (a.at.0, a.channel, a.reached, a.note.as_str()))
        .collect();
    assert_eq!(
        tries,
        [
            (1_500, Phone, false, ""),
            (2_500, Email, true, "Spoke to them."),
            (4_500, Phone, true, "Spoke to them.")
        ]
    );
    assert_eq!(d.attempts[0].by.as_str(), "ana");
    assert!(d.timeline.iter().any(|m| m.step == "contacted"));
    // A closed case is not worked any more.
    let mut closed = events.to_vec();
    closed.push(close(7, 5_000));
    closed.push(contact(8, 6_000, Phone, true));
    assert!(matches!(
        run(&closed),
        Err(TransitionError::OutOfOrder {
            step: "contacted",
            status: Status::Closed
        })
    ));
    // A note with a forbidden character is refused like any other staff text.
    let mut bad = contact(9, 2_000, Phone, false);
    if let EventKind::Contacted { note, .. } = &mut bad.kind {
        *note = "call\u{202e}back".into();
    }
    assert!(matches!(
        run(&[plain(), bad]),
        Err(TransitionError::InvalidEvent(EventError::InvalidText(
            "note"
        )))
    ));
}

#[test]
fn an_erasure_forgets_the_customers_name_and_contact_whatever_the_status() {
    let erased = |id: u128, at: i64| {
        step(
            id,
            CASE,
            at,
            EventKind::Erased {
                reason: crate::event::Erasure::Retention,
            },
        )
    };
    let mut filed = plain();
    if let EventKind::Filed { complaint, .. } = &mut filed.kind {
        complaint.name = Some("Sam Lee".into());
    }
    let events = [
        filed.clone(),
        ack(2, 2_000),
        resolve(3, 3_000, ana(), 500, None),
        close(4, 4_000),
        erased(5, 9_000),
    ];
    let c = run(&events).unwrap();
    assert_eq!(c.status, Status::Closed);
    assert_eq!((&c.complaint.name, &c.complaint.contact), (&None, &None));
    assert!(
        !c.complaint.consent_to_contact,
        "nothing is left to contact"
    );
    assert_eq!(c.complaint.check(), Ok(()), "the filing stays a valid one");
    assert_eq!(c.complaint.description, "charged twice");
    // An open case too, and it can still be worked.
    let c = run(&[filed.clone(), erased(5, 1_500), ack(2, 2_000)]).unwrap();
    assert_eq!(
        (c.status, c.complaint.contact),
        (Status::Acknowledged, None)
    );

    // A device's copy: the filing of an erased case loses them, another case's does not.
    let mut other = filed.clone();
    other.id = crate::ids::EventId(uuid::Uuid::from_u128(77));
    other.case = CaseId(uuid::Uuid::from_u128(CASE + 1));
    let mut copy = vec![filed, other, erased(5, 9_000)];
    assert!(forget_erased(&mut copy));
    let contact = |e: &Event| match &e.kind {
        EventKind::Filed { complaint, .. } => (complaint.name.clone(), complaint.contact.clone()),
        _ => unreachable!(),
    };
    assert_eq!(contact(&copy[0]), (None, None));
    assert!(
        copy[0].check().is_ok(),
        "the forgotten filing is still a valid event"
    );
    assert_eq!(fold(&copy[..1]).unwrap().unwrap().status, Status::Filed);
    assert_eq!(contact(&copy[1]).0.as_deref(), Some("Sam Lee"));
    assert!(!forget_erased(&mut copy), "nothing left to forget");
}

#[test]
fn the_customers_own_answer_is_a_follow_up_and_a_no_reopens_the_case() {
    let answered = |id: u128, at: i64, held: bool| {
        step(
            id,
            CASE,
            at,
            EventKind::answered(held, " It broke again ").unwrap(),
        )
    };
    let resolved = [
        plain(),
        ack(2, 2_000),
        resolve(3, 3_000, ana(), 500, Some(300_000)),
    ];
    let mut events = resolved.to_vec();
    events.push(answered(4, 300_500, false));
    let c = run(&events).unwrap();
    assert_eq!(
        (c.status, c.reopened, c.fix_held, c.follow_up_at),
        (Status::Reopened, 1, Some(false), None)
    );
    assert_eq!(
        Details::of(&events).follow_up_note.as_deref(),
        Some("It broke again")
    );
    let mut held = resolved.to_vec();
    held.push(answered(4, 300_500, true));
    let c = run(&held).unwrap();
    assert_eq!((c.status, c.fix_held), (Status::Resolved, Some(true)));
    // Once answered (by them or by staff) there is nothing left to answer.
    held.push(answered(5, 300_600, false));
    assert!(matches!(run(&held), Err(TransitionError::NoFollowUp)));
    // Without a follow-up planned, nothing to answer either.
    let no_follow_up = [
        plain(),
        ack(2, 2_000),
        resolve(3, 3_000, ana(), 500, None),
        answered(4, 4_000, true),
    ];
    assert!(matches!(
        run(&no_follow_up),
        Err(TransitionError::NoFollowUp)
    ));
    assert_eq!(answered(9, 1, true).kind.actor(), None, "nobody on staff");
}

#[test]
fn a_customer_who_withdraws_consent_is_not_contacted_again_whatever_the_status() {
    let withdrawn = |id: u128, at: i64| step(id, CASE, at, EventKind::ConsentWithdrawn {});
    assert!(run(&[plain()]).unwrap().complaint.consent_to_contact);
    // Before anyone acted: no follow-up can be planned after it.
    let events = [
        plain(),
        withdrawn(2, 1_500),
        ack(3, 2_000),
        resolve(4, 3_000, ana(), 500, Some(300_000)),
    ];
    assert!(matches!(run(&events), Err(TransitionError::NoConsent)));
    let c = run(&events[..3]).unwrap();
    assert!(!c.complaint.consent_to_contact);
    assert_eq!(c.status, Status::Acknowledged, "the status stays");
    assert!(
        c.complaint.contact.is_some(),
        "the contact stays for the record"
    );
    // After the close too; twice is harmless.
    let closed = [
        plain(),
        ack(2, 2_000),
        resolve(3, 3_000, ana(), 500, None),
        close(4, 4_000),
        withdrawn(5, 5_000),
        withdrawn(6, 6_000),
    ];
    let c = run(&closed).unwrap();
    assert_eq!(
        (c.status, c.complaint.consent_to_contact),
        (Status::Closed, false)
    );
    let details = Details::of(&closed);
    assert_eq!(details.timeline[4].step, "consent_withdrawn");
    assert_eq!(
        withdrawn(9, 1).kind.actor(),
        None,
        "the customer's own step"
    );
}
