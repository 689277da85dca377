//! Tests of the recovery workflow: the steps after filing, who may take them and what each
//! leaves on the case.

use super::*;
use crate::complaint::{Category, ComplaintDraft, Impact, validate};
use crate::event::{Actor, CauseCategory, Role};
use crate::testing::{actor, step};

pub(super) const CASE: u128 = 100;

pub(super) fn ana() -> Actor {
    actor("ana", Role::Staff, 2_500)
}
fn max() -> Actor {
    actor("max", Role::Manager, 0)
}

fn filed_with(draft: ComplaintDraft) -> Event {
    let complaint = validate(&draft).unwrap();
    step(
        1,
        CASE,
        1_000,
        EventKind::Filed {
            complaint,
            utc_offset_minutes: 420,
        },
    )
}

pub(super) fn plain() -> Event {
    filed_with(ComplaintDraft {
        category: Some(Category::Billing),
        description: "charged twice".into(),
        contact: "a@example.com".into(),
        consent_to_contact: true,
        ..Default::default()
    })
}

pub(super) fn ack(id: u128, at: i64) -> Event {
    step(
        id,
        CASE,
        at,
        EventKind::Acknowledged {
            by: ana(),
            apology: "I am sorry you were charged twice.".into(),
            avoidable: None,
        },
    )
}
fn note(id: u128, at: i64) -> Event {
    step(
        id,
        CASE,
        at,
        EventKind::Noted {
            by: ana(),
            note: "Card terminal ran the payment twice.".into(),
        },
    )
}
pub(super) fn resolve(id: u128, at: i64, by: Actor, value: u32, follow: Option<i64>) -> Event {
    step(
        id,
        CASE,
        at,
        EventKind::Resolved {
            by,
            remedy: Remedy::Refund,
            value_minor: value,
            gesture: "Free coffee".into(),
            follow_up_at: follow.map(Timestamp),
        },
    )
}
fn rate(id: u128, at: i64, stars: u8) -> Event {
    step(
        id,
        CASE,
        at,
        EventKind::Rated {
            stars,
            comment: "Quick and kind".into(),
        },
    )
}
fn follow(id: u128, at: i64, held: bool) -> Event {
    step(
        id,
        CASE,
        at,
        EventKind::FollowedUp {
            by: ana(),
            held,
            note: String::new(),
        },
    )
}
pub(super) fn close(id: u128, at: i64) -> Event {
    step(
        id,
        CASE,
        at,
        EventKind::Closed {
            by: ana(),
            cause: Cause {
                category: CauseCategory::Equipment,
                sub_cause: "Terminal double charge".into(),
                departments: vec!["Checkout".into()],
                people: vec![],
                explanation: "Our card terminal sent the payment twice.".into(),
                factors: vec![],
            },
        },
    )
}

pub(super) fn run(events: &[Event]) -> Result<Case, TransitionError> {
    let mut case = None;
    for e in events {
        case = Some(apply(case.as_ref(), e)?);
    }
    Ok(case.expect("at least one event"))
}

#[test]
fn the_four_steps_in_order_close_the_case() {
    let events = [
        plain(),
        ack(2, 2_000),
        note(3, 3_000),
        resolve(4, 4_000, ana(), 1_999, Some(300_000)),
        rate(5, 5_000, 4),
        rate(6, 5_500, 5),
        close(7, 6_000),
    ];
    let c = run(&events).unwrap();
    assert_eq!(c.status, Status::Closed);
    assert_eq!(c.acknowledged_at, Some(Timestamp(2_000)));
    assert_eq!(c.resolved_at, Some(Timestamp(4_000)));
    assert_eq!(c.closed_at, Some(Timestamp(6_000)));
    assert_eq!(c.stars, Some(5), "the later rating replaces the earlier");
    assert_eq!(c.follow_up_at, Some(Timestamp(300_000)));
    assert_eq!(c.event_count, 7);
    // The fold in any arrival order gives the same case.
    let mut reversed: Vec<&Event> = events.iter().collect();
    reversed.reverse();
    assert_eq!(fold(reversed).unwrap(), Some(c));

    let d = Details::of(&events);
    assert_eq!(d.notes.len(), 1);
    assert_eq!(d.rating.as_ref().map(|r| r.stars), Some(5));
    assert_eq!(d.resolution.as_ref().map(|r| r.value_minor), Some(1_999));
    assert_eq!(
        d.cause.as_ref().map(|c| c.category),
        Some(CauseCategory::Equipment)
    );
    let steps: Vec<&str> = d.timeline.iter().map(|m| m.step.as_str()).collect();
    assert_eq!(
        steps,
        [
            "filed",
            "acknowledged",
            "noted",
            "resolved",
            "rated",
            "rated",
            "closed"
        ]
    );
    assert_eq!(d.timeline[1].by.as_ref().map(Slug::as_str), Some("ana"));
    assert_eq!(d.timeline[0].by, None);
}

#[test]
fn every_step_out_of_order_is_refused_with_where_the_case_stands() {
    let filed = plain();
    let cases = [
        (vec![filed.clone(), note(3, 2_000)], "noted", Status::Filed),
        (
            vec![filed.clone(), resolve(4, 2_000, ana(), 0, None)],
            "resolved",
            Status::Filed,
        ),
        (
            vec![filed.clone(), rate(5, 2_000, 3)],
            "rated",
            Status::Filed,
        ),
        (
            vec![filed.clone(), close(7, 2_000)],
            "closed",
            Status::Filed,
        ),
        (
            vec![filed.clone(), ack(2, 2_000), ack(8, 2_500)],
            "acknowledged",
            Status::Acknowledged,
        ),
        (
            vec![filed.clone(), ack(2, 2_000), rate(5, 3_000, 3)],
            "rated",
            Status::Acknowledged,
        ),
        (
            vec![filed.clone(), ack(2, 2_000), close(7, 3_000)],
            "closed",
            Status::Acknowledged,
        ),
        (
            vec![
                filed.clone(),
                ack(2, 2_000),
                resolve(4, 3_000, ana(), 0, None),
                close(7, 4_000),
                rate(5, 5_000, 2),
            ],
            "rated",
            Status::Closed,
        ),
        (
            vec![
                filed.clone(),
                ack(2, 2_000),
                resolve(4, 3_000, ana(), 0, None),
                close(7, 4_000),
                note(9, 5_000),
            ],
            "noted",
            Status::Closed,
        ),
        (
            vec![
                filed.clone(),
                ack(2, 2_000),
                resolve(4, 3_000, ana(), 0, None),
                resolve(10, 4_000, ana(), 0, None),
            ],
            "resolved",
            Status::Resolved,
        ),
    ];
    for (events, step, status) in cases {
        assert_eq!(
            run(&events),
            Err(TransitionError::OutOfOrder { step, status }),
            "{step} after {status:?}"
        );
    }
    assert_eq!(
        run(&[ack(2, 2_000)]),
        Err(TransitionError::NotFiled {
            case: CaseId(uuid::Uuid::from_u128(CASE))
        })
    );
}

#[test]
fn authority_limits_and_escalation_decide_who_may_resolve() {
    let base = [plain(), ack(2, 2_000)];
    let mut above = base.to_vec();
    above.push(resolve(4, 3_000, ana(), 2_501, None));
    assert_eq!(
        run(&above),
        Err(TransitionError::AboveAuthority {
            value: 2_501,
            limit: 2_500
        })
    );
    let mut at_limit = base.to_vec();
    at_limit.push(resolve(4, 3_000, ana(), 2_500, None));
    assert_eq!(run(&at_limit).unwrap().status, Status::Resolved);
    // Escalated: staff may no longer resolve, a manager may, at any value.
    let mut escalated = base.to_vec();
    escalated.push(step(
        3,
        CASE,
        2_500,
        EventKind::Escalated {
            by: ana(),
            reason: "Refund above my limit".into(),
        },
    ));
    let mut by_staff = escalated.clone();
    by_staff.push(resolve(4, 3_000, ana(), 100, None));
    assert_eq!(run(&by_staff), Err(TransitionError::NeedsManager));
    let mut by_manager = escalated.clone();
    by_manager.push(resolve(4, 3_000, max(), 50_000, None));
    let c = run(&by_manager).unwrap();
    assert!(c.escalated && c.status == Status::Resolved);
    let mut twice = escalated.clone();
    twice.push(step(
        5,
        CASE,
        2_600,
        EventKind::Escalated {
            by: ana(),
            reason: "Again".into(),
        },
    ));
    assert_eq!(run(&twice), Err(TransitionError::AlreadyEscalated));
}

#[test]
fn repeat_and_serious_complaints_need_a_manager_from_the_start() {
    for draft in [
        ComplaintDraft {
            category: Some(Category::Service),
            description: "again".into(),
            happened_before: Some(true),
            ..Default::default()
        },
        ComplaintDraft {
            category: Some(Category::Service),
            description: "bad".into(),
            impact: Some(Impact::Severe),
            ..Default::default()
        },
    ] {
        let events = [
            filed_with(draft),
            ack(2, 2_000),
            resolve(4, 3_000, ana(), 0, None),
        ];
        assert_eq!(run(&events), Err(TransitionError::NeedsManager));
        assert!(run(&events[..2]).unwrap().needs_manager());
    }
    assert!(!run(&[plain()]).unwrap().needs_manager());
}

#[test]
fn a_failure_staff_say_could_have_been_prevented_needs_a_manager() {
    let answered = |avoidable: Option<bool>| {
        let mut a = ack(2, 2_000);
        if let EventKind::Acknowledged { avoidable: a, .. } = &mut a.kind {
            *a = avoidable;
        }
        a
    };
    let events = [
        plain(),
        answered(Some(true)),
        resolve(4, 3_000, ana(), 0, None),
    ];
    assert_eq!(run(&events), Err(TransitionError::NeedsManager));
    let case = run(&events[..2]).unwrap();
    assert_eq!(case.avoidable, Some(true));
    assert!(case.needs_manager());
    let by_manager = [
        plain(),
        answered(Some(true)),
        resolve(4, 3_000, max(), 90_000, None),
    ];
    assert!(run(&by_manager).is_ok());
    for answer in [Some(false), None] {
        let case = run(&[plain(), answered(answer), resolve(4, 3_000, ana(), 0, None)]).unwrap();
        assert_eq!(case.avoidable, answer);
        assert!(!case.needs_manager());
    }
    // The answer travels with the step, and a step without one (from before the question)
    // still reads.
    let json = serde_json::to_value(answered(Some(false))).unwrap();
    assert_eq!(json["kind"]["avoidable"], false);
    let json = serde_json::to_value(answered(None)).unwrap();
    assert!(json["kind"].get("avoidable").is_none());
}

#[test]
fn a_follow_up_needs_consent_and_a_later_date() {
    let no_consent = filed_with(ComplaintDraft {
        category: Some(Category::Billing),
        description: "x".into(),
        ..Default::default()
    });
    assert_eq!(
        run(&[
            no_consent,
            ack(2, 2_000),
            resolve(4, 3_000, ana(), 0, Some(9_000))
        ]),
        Err(TransitionError::NoConsent)
    );
    assert_eq!(
        run(&[
            plain(),
            ack(2, 2_000),
            resolve(4, 3_000, ana(), 0, Some(3_000))
        ]),
        Err(TransitionError::FollowUpInPast)
    );
    assert_eq!(
        run(&[
            plain(),
            ack(2, 2_000),
            resolve(4, 3_000, ana(), 0, None),
            follow(5, 4_000, true)
        ]),
        Err(TransitionError::NoFollowUp)
    );
}

#[test]
fn a_fix_that_did_not_hold_reopens_even_a_closed_case() {
    let events = [
        plain(),
        ack(2, 2_000),
        resolve(4, 3_000, ana(), 500, Some(10_000)),
        rate(5, 3_500, 5),
        close(7, 4_000),
        follow(8, 10_000, false),
    ];
    let c = run(&events).unwrap();
    assert_eq!(c.status, Status::Reopened);
    assert_eq!(c.reopened, 1);
    assert_eq!(c.closed_at, None);
    assert_eq!(c.fix_held, Some(false));
    assert_eq!(c.follow_up_at, None);
    // It can be resolved again, which clears the old rating, and the first resolution
    // time stays (the SLA clock stopped there).
    let mut again = events.to_vec();
    again.push(resolve(9, 11_000, ana(), 500, None));
    let c = run(&again).unwrap();
    assert_eq!(c.status, Status::Resolved);
    assert_eq!(c.stars, None);
    assert_eq!(c.resolved_at, Some(Timestamp(3_000)));
    // A fix that held leaves a closed case closed.
    let mut held = events[..5].to_vec();
    held.push(follow(8, 10_000, true));
    let c = run(&held).unwrap();
    assert_eq!((c.status, c.fix_held), (Status::Closed, Some(true)));
}

#[test]
fn invalid_step_payloads_are_refused() {
    let mut bad = vec![plain(), ack(2, 2_000), resolve(4, 3_000, ana(), 0, None)];
    bad.push(rate(5, 4_000, 6));
    assert_eq!(
        run(&bad),
        Err(TransitionError::InvalidEvent(EventError::InvalidStars(6)))
    );
    let blank = step(
        2,
        CASE,
        2_000,
        EventKind::Acknowledged {
            by: ana(),
            apology: "  ".into(),
            avoidable: None,
        },
    );
    assert!(matches!(
        run(&[plain(), blank]),
        Err(TransitionError::InvalidEvent(EventError::InvalidText(
            "apology"
        )))
    ));
    let sneaky = step(
        2,
        CASE,
        2_000,
        EventKind::Acknowledged {
            by: ana(),
            apology: "sorry\u{202e}".into(),
            avoidable: None,
        },
    );
    assert!(run(&[plain(), sneaky]).is_err());
    let mut long = close(7, 4_000);
    if let EventKind::Closed { cause, .. } = &mut long.kind {
        cause.people = vec!["x".into(); 13];
    }
    let mut events = vec![plain(), ack(2, 2_000), resolve(4, 3_000, ana(), 0, None)];
    events.push(long);
    assert_eq!(
        run(&events),
        Err(TransitionError::InvalidEvent(EventError::TooManyNames))
    );
}

#[test]
fn a_filings_only_fold_refuses_every_staff_step() {
    let filed = plain();
    let case = open(None, &filed).unwrap();
    assert_eq!(apply(None, &filed).unwrap(), case);
    assert_eq!(
        open(Some(&case), &ack(2, 2_000)),
        Err(TransitionError::OutOfOrder {
            step: "acknowledged",
            status: Status::Filed
        })
    );
}

#[test]
fn a_step_is_never_stamped_before_the_case_s_latest_event() {
    let c = run(&[plain(), ack(2, 5_000)]).unwrap();
    assert_eq!(c.next_at(Timestamp(1_000), 0), Timestamp(5_001));
    assert_eq!(c.next_at(Timestamp(9_000), 0), Timestamp(9_000));
    // A tablet two seconds behind the server stamps its own time, later than the case's
    // latest event once corrected.
    assert_eq!(c.next_at(Timestamp(1_000), 2_000), Timestamp(3_001));
    assert_eq!(c.next_at(Timestamp(9_000), 2_000), Timestamp(9_000));
}

#[test]
fn step_json_is_tagged_and_round_trips() {
    let e = resolve(4, 3_000, ana(), 1_250, Some(99_000));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["kind"]["type"], "resolved");
    assert_eq!(json["kind"]["remedy"], "refund");
    assert_eq!(json["kind"]["by"]["role"], "staff");
    assert_eq!(json["kind"]["by"]["limit_minor"], 2_500);
    assert_eq!(serde_json::from_value::<Event>(json).unwrap(), e);
}
