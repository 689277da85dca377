//! Property tests of the core: validation never panics and what it accepts round-trips; the
//! fold and the ledger do not care about order or repeats.

use proptest::prelude::*;
use recovery_core::*;
use uuid::Uuid;

fn any_draft() -> impl Strategy<Value = ComplaintDraft> {
    (
        proptest::option::of(proptest::sample::select(Category::ALL.to_vec())),
        any::<String>(),
        proptest::option::of(proptest::sample::select(Impact::ALL.to_vec())),
        proptest::option::of(any::<bool>()),
        proptest::collection::vec(proptest::sample::select(FairSolution::ALL.to_vec()), 0..5),
        any::<String>(),
        any::<String>(),
        prop_oneof![
            any::<String>(),
            "[a-z]{1,8}@[a-z]{1,8}\\.[a-z]{2,3}",
            "\\+?[0-9 ]{7,14}"
        ],
        any::<bool>(),
    )
        .prop_map(
            |(
                category,
                description,
                impact,
                happened_before,
                fair,
                note,
                name,
                contact,
                consent,
            )| {
                ComplaintDraft {
                    category,
                    description,
                    occurred: None,
                    impact,
                    happened_before,
                    fair_solutions: fair,
                    fair_solution_note: note,
                    name,
                    contact,
                    consent_to_contact: consent,
                    language: (!consent).then(|| "sv".into()),
                }
            },
        )
}

fn filed(event: u128, case: u128, at: i64, text: &str) -> Event {
    recovery_core::testing::filed_event(event, case, at, text)
}

proptest! {
    #[test]
    fn validate_never_panics_and_accepted_complaints_check_and_round_trip(d in any_draft()) {
        match validate(&d) {
            Ok(c) => {
                prop_assert_eq!(c.check(), Ok(()));
                let json = serde_json::to_string(&c).unwrap();
                let back: Complaint = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(&back, &c);
                prop_assert!(text_len(&c.description) <= DESCRIPTION_MAX);
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                let mut fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
                let n = fields.len();
                fields.dedup();
                prop_assert_eq!(fields.len(), n, "one error per field");
            }
        }
    }

    #[test]
    fn apology_escalates_exactly_for_repeat_or_serious(d in any_draft()) {
        if let Ok(c) = validate(&d) {
            let p = apology_plan(&c);
            let serious = matches!(c.impact, Some(Impact::Major | Impact::Severe));
            prop_assert_eq!(p.escalate, c.happened_before == Some(true) || serious);
        }
    }

    #[test]
    fn ticket_codes_parse_back_to_themselves(id in any::<u128>()) {
        let code = TicketCode::from_case(CaseId(Uuid::from_u128(id)));
        prop_assert_eq!(TicketCode::parse(code.as_str()), Some(code.clone()));
        prop_assert_eq!(TicketCode::parse(&code.as_str().to_lowercase()), Some(code));
    }

    #[test]
    fn fold_is_independent_of_order_and_repeats(
        order in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle(),
        repeats in proptest::collection::vec(0..4usize, 0..6),
    ) {
        // One filing plus three later (refused) refilings: whatever the order of arrival,
        // the fold sorts by time and gives the same outcome.
        let events: Vec<Event> = (0..4).map(|i| filed(i as u128 + 1, 7, 1_000 * (i as i64 + 1), "x")).collect();
        let sorted = fold(events.iter());
        let mut shuffled: Vec<&Event> = order.iter().map(|&i| &events[i]).collect();
        shuffled.extend(repeats.iter().map(|&i| &events[i]));
        prop_assert_eq!(fold(shuffled), sorted);
        prop_assert_eq!(fold([&events[0], &events[0]]), fold([&events[0]]));
    }

    #[test]
    fn ledger_ends_the_same_whatever_the_order_and_repeats(
        order in Just((0..6usize).collect::<Vec<_>>()).prop_shuffle(),
        repeats in proptest::collection::vec(0..6usize, 0..10),
    ) {
        let events: Vec<Event> = (0..6).map(|i| filed(i as u128 + 10, i as u128 + 100, 1_000 + i as i64, "y")).collect();
        let mut once = Ledger::default();
        for e in &events {
            once.record(e.clone()).unwrap();
        }
        let mut messy = Ledger::default();
        for &i in order.iter().chain(repeats.iter()) {
            messy.record(events[i].clone()).unwrap();
        }
        let a: Vec<&Case> = once.cases().collect();
        let b: Vec<&Case> = messy.cases().collect();
        prop_assert_eq!(a, b);
        prop_assert_eq!(messy.event_count(), 6);
    }
}
