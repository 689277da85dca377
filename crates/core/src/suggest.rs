//! Suggestions for a case's steps, from what the customer asked for and what the store found
//! before: the remedy that meets the first fair solution the customer chose, and the cause a
//! closing most likely has. Staff can change any of them; they save taps only when they fit,
//! so they must never decide anything on their own.

use crate::case::Case;
use crate::complaint::{Category, Complaint, FairSolution};
use crate::event::{CauseCategory, EventKind, Remedy};
use crate::ids::Timestamp;
use crate::ledger::Ledger;
use std::collections::HashMap;

/// The remedy that meets the first fair solution the customer chose, in the form's order
/// (refund, replacement, repair, discount, apology, explanation, other: the complaint keeps
/// them in that order); with none chosen, the apology and explanation only.
pub fn remedy_for(complaint: &Complaint) -> Remedy {
    match complaint.fair_solutions.first() {
        Some(FairSolution::Refund) => Remedy::Refund,
        Some(FairSolution::Replacement | FairSolution::Repair) => Remedy::Replacement,
        Some(FairSolution::Discount) => Remedy::Discount,
        Some(FairSolution::Other) => Remedy::Other,
        Some(FairSolution::Apology | FairSolution::Explanation) | None => Remedy::ApologyOnly,
    }
}

/// A suggested cause for closing a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CauseGuess {
    /// The fishbone category.
    pub category: CauseCategory,
    /// The sub-cause as it was last written; empty when the store has none to go by.
    pub sub_cause: String,
}

/// The cause category a kind of complaint points to when the store has closed none like it.
fn usual_category(category: Category) -> CauseCategory {
    match category {
        Category::Product => CauseCategory::Product,
        Category::Service => CauseCategory::People,
        Category::Cleanliness => CauseCategory::Place,
        Category::Waiting
        | Category::Billing
        | Category::Delivery
        | Category::Availability
        | Category::Other => CauseCategory::Process,
    }
}

/// The cause a closing of `case` most likely has: among the store's other closed cases of the
/// same complaint category, the cause category found most often (the latest found wins a tie),
/// and within it the sub-cause written most often (compared without case; the latest writing is
/// suggested). With none like it, the category the complaint's kind usually points to and no
/// sub-cause.
pub fn cause_for(ledger: &Ledger, case: &Case) -> CauseGuess {
    // Per cause category: (count, latest); per (category, sub-cause in lower case): (count,
    // latest, as last written).
    let mut categories: HashMap<CauseCategory, (u32, Timestamp)> = HashMap::new();
    let mut subs: HashMap<(CauseCategory, String), (u32, Timestamp, &str)> = HashMap::new();
    let alike = ledger.cases().filter(|c| {
        c.id != case.id && c.store == case.store && c.complaint.category == case.complaint.category
    });
    for other in alike {
        let closing = ledger
            .events_of(other.id)
            .filter_map(|e| match &e.kind {
                EventKind::Closed { cause, .. } => Some((e.time(), e.id, cause)),
                _ => None,
            })
            .max_by_key(|(at, id, _)| (*at, *id));
        let Some((at, _, cause)) = closing else {
            continue;
        };
        let seen = categories.entry(cause.category).or_insert((0, at));
        *seen = (seen.0 + 1, seen.1.max(at));
        let key = (cause.category, cause.sub_cause.to_lowercase());
        let sub = subs.entry(key).or_insert((0, at, &cause.sub_cause));
        sub.0 += 1;
        if at >= sub.1 {
            (sub.1, sub.2) = (at, &cause.sub_cause);
        }
    }
    let Some((&category, _)) = categories.iter().max_by_key(|(c, (n, at))| (*n, *at, **c)) else {
        return CauseGuess {
            category: usual_category(case.complaint.category),
            sub_cause: String::new(),
        };
    };
    let sub_cause = subs
        .iter()
        .filter(|((c, _), _)| *c == category)
        .max_by_key(|((_, lower), (n, at, _))| (*n, *at, lower.clone()))
        .map(|(_, (_, _, text))| (*text).to_owned())
        .unwrap_or_default();
    CauseGuess {
        category,
        sub_cause,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complaint::{ComplaintDraft, validate};
    use crate::event::{Cause, Event, Role};
    use crate::ids::{CaseId, EventId};
    use crate::testing::{actor, filed_event};
    use uuid::Uuid;

    fn complaint(category: Category, fair: &[FairSolution]) -> Complaint {
        validate(&ComplaintDraft {
            category: Some(category),
            description: "It went wrong.".into(),
            fair_solutions: fair.to_vec(),
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn the_remedy_meets_the_first_fair_solution_chosen() {
        use FairSolution as F;
        let cases = [
            (vec![F::Refund, F::Discount], Remedy::Refund),
            (vec![F::Discount, F::Refund], Remedy::Refund),
            (vec![F::Apology, F::Discount], Remedy::Discount),
            (vec![F::Repair], Remedy::Replacement),
            (vec![F::Replacement], Remedy::Replacement),
            (vec![F::Apology], Remedy::ApologyOnly),
            (vec![F::Explanation], Remedy::ApologyOnly),
            (vec![F::Other], Remedy::Other),
            (vec![], Remedy::ApologyOnly),
        ];
        for (fair, remedy) in cases {
            assert_eq!(
                remedy_for(&complaint(Category::Billing, &fair)),
                remedy,
                "{fair:?}"
            );
        }
    }

    /// A store's ledger with one case per entry of `closed`: (category of the complaint, its
    /// closing's cause category and sub-cause, or none when it is still open).
    fn store(closed: &[(Category, Option<(CauseCategory, &str)>)]) -> Ledger {
        let mut ledger = Ledger::default();
        for (i, (category, cause)) in closed.iter().enumerate() {
            let n = i as u128 + 1;
            let at = 1_000_000 * n as i64;
            let mut filed = filed_event(n * 100, n, at, "It went wrong.");
            if let EventKind::Filed { complaint, .. } = &mut filed.kind {
                complaint.category = *category;
            }
            let step = |k: u128, at: i64, kind: EventKind| Event {
                id: EventId(Uuid::from_u128(n * 100 + k)),
                at: Timestamp(at),
                kind,
                ..filed.clone()
            };
            let by = actor("ana", Role::Manager, 100_000);
            let mut events = vec![filed.clone()];
            if let Some((category, sub)) = cause {
                events.push(step(
                    1,
                    at + 1,
                    EventKind::Acknowledged {
                        by: by.clone(),
                        apology: "Sorry.".into(),
                        avoidable: None,
                    },
                ));
                events.push(step(
                    2,
                    at + 2,
                    EventKind::Resolved {
                        by: by.clone(),
                        remedy: Remedy::ApologyOnly,
                        value_minor: 0,
                        gesture: String::new(),
                        follow_up_at: None,
                    },
                ));
                events.push(step(
                    3,
                    at + 3,
                    EventKind::Closed {
                        by,
                        cause: Cause {
                            category: *category,
                            sub_cause: (*sub).into(),
                            departments: vec![],
                            people: vec![],
                            explanation: "Our till froze.".into(),
                        },
                    },
                ));
            }
            for e in events {
                ledger.record(e).unwrap();
            }
        }
        ledger
    }

    #[test]
    fn the_cause_is_what_the_store_found_most_often_for_that_kind_of_complaint() {
        use Category::{Billing, Product, Waiting};
        use CauseCategory as C;
        let ledger = store(&[
            (Billing, Some((C::Equipment, "Terminal charged twice"))),
            (Billing, Some((C::Equipment, "terminal charged twice"))),
            (Billing, Some((C::Equipment, "Receipt printer jammed"))),
            (Billing, Some((C::People, "New cashier"))),
            (Product, Some((C::Product, "Stale bread"))),
            (Billing, None),
            (Waiting, None),
        ]);
        let case = |n: u128| ledger.case(CaseId(Uuid::from_u128(n))).unwrap();
        // Three of four billing closings were equipment; the terminal twice (the later writing
        // is suggested), the printer once.
        assert_eq!(
            cause_for(&ledger, case(6)),
            CauseGuess {
                category: C::Equipment,
                sub_cause: "terminal charged twice".into()
            }
        );
        // Nothing like a waiting complaint was closed: the usual category, no sub-cause.
        assert_eq!(
            cause_for(&ledger, case(7)),
            CauseGuess {
                category: C::Process,
                sub_cause: String::new()
            }
        );
        // A case is never its own precedent.
        assert_eq!(cause_for(&ledger, case(5)).category, C::Product);
        assert_eq!(cause_for(&ledger, case(5)).sub_cause, "");
        // A tie goes to the cause found latest.
        let tie = store(&[
            (Billing, Some((C::People, "New cashier"))),
            (Billing, Some((C::Policy, "No refunds after 14 days"))),
            (Billing, None),
        ]);
        let open = tie.case(CaseId(Uuid::from_u128(3))).unwrap();
        assert_eq!(cause_for(&tie, open).category, C::Policy);
        assert_eq!(cause_for(&tie, open).sub_cause, "No refunds after 14 days");
    }
}
