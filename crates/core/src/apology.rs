//! What the acknowledgement must say, decided from what the customer told us.
//!
//! The recovery paradox (a well-handled failure can leave a customer more loyal than before)
//! holds for a first, modest failure only. A repeat failure or a serious one gets escalated to
//! a manager and no "delight" script. The words themselves live in the UI's translations.

use crate::complaint::{Category, Complaint, Impact};

/// The parts of an apology for one complaint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApologyPlan {
    /// Which apology sentence answers what went wrong.
    pub category: Category,
    /// The customer's name, to address them personally.
    pub name: Option<String>,
    /// It has happened to them before: acknowledge that.
    pub repeat: bool,
    /// It affected them a lot: acknowledge that.
    pub serious: bool,
    /// Hand the case to a manager instead of the usual script.
    pub escalate: bool,
}

/// Plans the apology for a complaint.
pub fn apology_plan(c: &Complaint) -> ApologyPlan {
    let repeat = c.happened_before == Some(true);
    let serious = c.impact.is_some_and(|i| i >= Impact::Major);
    ApologyPlan {
        category: c.category,
        name: c.name.clone(),
        repeat,
        serious,
        escalate: repeat || serious,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complaint::{ComplaintDraft, validate};

    fn complaint(impact: Option<Impact>, before: Option<bool>) -> Complaint {
        validate(&ComplaintDraft {
            category: Some(Category::Product),
            description: "Broken".into(),
            impact,
            happened_before: before,
            name: "Ayu".into(),
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn a_first_modest_failure_gets_the_personal_apology_without_escalation() {
        let p = apology_plan(&complaint(Some(Impact::Moderate), Some(false)));
        assert_eq!(p.name.as_deref(), Some("Ayu"));
        assert!(!p.repeat && !p.serious && !p.escalate);
    }

    #[test]
    fn second_failure_escalates_instead_of_offering_delight() {
        let p = apology_plan(&complaint(None, Some(true)));
        assert!(p.repeat && p.escalate && !p.serious);
    }

    #[test]
    fn a_major_or_severe_failure_escalates() {
        for i in [Impact::Major, Impact::Severe] {
            let p = apology_plan(&complaint(Some(i), None));
            assert!(p.serious && p.escalate);
        }
    }
}
