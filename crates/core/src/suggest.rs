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

/// The departments and people a store has named on its closed cases, for staff to choose
/// from instead of typing: each most often named first (then alphabetically), spelled as it
/// was last written. A new name joins the list once a case closed with it syncs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lists {
    /// The departments.
    pub departments: Vec<String>,
    /// The people (names or roles).
    pub people: Vec<String>,
}

/// How two spellings of one name compare: letter case and runs of spaces do not count.
fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether two names are one (letter case and extra spaces aside).
pub fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

/// The store's lists (see [`Lists`]).
pub fn lists(ledger: &Ledger, store: &crate::ids::Slug) -> Lists {
    // key → (count, latest, as last written), per list.
    type Seen<'a> = HashMap<String, (u32, (Timestamp, crate::ids::EventId), &'a str)>;
    let (mut departments, mut people): (Seen, Seen) = Default::default();
    for case in ledger.cases().filter(|c| &c.store == store) {
        for e in ledger.events_of(case.id) {
            let EventKind::Closed { cause, .. } = &e.kind else {
                continue;
            };
            let when = (e.time(), e.id);
            for (seen, names) in [
                (&mut departments, &cause.departments),
                (&mut people, &cause.people),
            ] {
                for name in names {
                    let entry = seen.entry(name_key(name)).or_insert((0, when, name));
                    entry.0 += 1;
                    if when >= entry.1 {
                        (entry.1, entry.2) = (when, name);
                    }
                }
            }
        }
    }
    let ordered = |seen: Seen| {
        let mut names: Vec<(u32, String, &str)> = seen
            .into_iter()
            .map(|(key, (n, _, name))| (n, key, name))
            .collect();
        names.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        names
            .into_iter()
            .map(|(_, _, name)| name.to_owned())
            .collect()
    };
    Lists {
        departments: ordered(departments),
        people: ordered(people),
    }
}

/// Typed names as the list spells them: a name the list has (ignoring letter case and extra
/// spaces) takes the list's spelling, a new one stays as typed; each name once, in the
/// order typed. So "checkout" and "Checkout " count as one department.
pub fn as_listed(typed: &[String], list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in typed {
        let key = name_key(name);
        if key.is_empty() || out.iter().any(|n| name_key(n) == key) {
            continue;
        }
        let listed = list.iter().find(|n| name_key(n) == key);
        out.push(listed.unwrap_or(name).clone());
    }
    out
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
        store_named(closed, &[])
    }

    /// [`store`], the i-th closing naming the departments and people of `names[i]` (none
    /// past its end).
    fn store_named(
        closed: &[(Category, Option<(CauseCategory, &str)>)],
        names: &[(&[&str], &[&str])],
    ) -> Ledger {
        let owned = |v: &[&str]| v.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
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
                            departments: names.get(i).map_or_else(Vec::new, |n| owned(n.0)),
                            people: names.get(i).map_or_else(Vec::new, |n| owned(n.1)),
                            explanation: "Our till froze.".into(),
                            factors: vec![],
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

    #[test]
    fn the_lists_are_the_names_the_store_used_most_often_first_as_last_written() {
        use CauseCategory as C;
        let closed = [(Category::Billing, Some((C::People, "Rush hour"))); 4];
        let ledger = store_named(
            &closed,
            &[
                (&["Checkout", "Stock room"], &["Ana"]),
                (&["checkout"], &[]),
                (&["Bakery", "CHECKOUT"], &["Max", "ana"]),
                (&["Bakery"], &[]),
            ],
        );
        let lists = lists(&ledger, &crate::ids::Slug::parse("demo").unwrap());
        // Checkout three times (as last written), the bakery twice, the
        // stock room once; Ana twice before Max.
        assert_eq!(lists.departments, ["CHECKOUT", "Bakery", "Stock room"]);
        assert_eq!(lists.people, ["ana", "Max"]);
        // Another store's tablet has nothing to offer from this one.
        let other = super::lists(&ledger, &crate::ids::Slug::parse("elsewhere").unwrap());
        assert_eq!(other, Lists::default());
    }

    #[test]
    fn typed_names_take_the_lists_spelling_once_each() {
        let list = vec!["Checkout".to_owned(), "Stock room".to_owned()];
        let typed: Vec<String> = ["checkout", "stock  ROOM", "Deli", "CHECKOUT", "deli", ""]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(as_listed(&typed, &list), ["Checkout", "Stock room", "Deli"]);
        assert_eq!(as_listed(&[], &list), Vec::<String>::new());
        assert!(same_name(" Stock   room", "stock ROOM") && !same_name("Stock", "Stock room"));
    }
}
