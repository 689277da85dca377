//! Markers for changes: a manager marks a change to the store (a system upgrade, a new
//! product, a new shift plan, a training) with when it was made and what it concerns (the
//! whole store, one touchpoint or one kind of complaint). The insights show each marker and
//! compare the complaints it concerns before and after it ([`Marker::shift`], with the
//! statistics of [`crate::insights::change`]). Pure: times are passed in.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::complaint::{Category, text_len};
use crate::ids::{Slug, Timestamp};
use crate::insights::{Shift, before_after};

/// The longest label, in characters.
pub const MARKER_LABEL_MAX: usize = 120;
/// The most markers a store keeps (removed ones not counted).
pub const MARKERS_MAX: usize = 500;
/// How far ahead a change may be marked (a planned one): a year.
pub const MARKER_AHEAD_MS: i64 = 366 * 24 * 3_600_000;
/// The length of each window a marker compares, in days, unless asked otherwise.
pub const MARKER_WINDOW_DAYS: u32 = 28;

choice_enum!(
    /// What kind of change.
    MarkerKind {
        /// A system or equipment upgrade.
        Upgrade => "upgrade",
        /// A new product or service.
        Product => "product",
        /// A new shift plan or staffing.
        ShiftPlan => "shift_plan",
        /// A training.
        Training => "training",
        /// Anything else.
        Other => "other",
    }
);

/// A change as a manager marks it (`POST /api/v1/stores/{store}/markers`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewMarker {
    /// When the change was made.
    pub at: Timestamp,
    /// What kind of change.
    pub kind: MarkerKind,
    /// What changed, in the manager's words ("Card terminals upgraded").
    pub label: String,
    /// The one touchpoint it concerns; the whole store when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<Slug>,
    /// The one kind of complaint it concerns; every kind when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
}

/// Why a marker cannot be kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MarkerError {
    /// The label is empty (or only spaces).
    #[error("the label is empty")]
    EmptyLabel,
    /// The label is longer than [`MARKER_LABEL_MAX`] characters.
    #[error("the label is longer than {MARKER_LABEL_MAX} characters")]
    LabelTooLong,
    /// The change is dated more than [`MARKER_AHEAD_MS`] ahead, or before 2000.
    #[error("the date is not plausible")]
    Implausible,
    /// It concerns a touchpoint the store does not have (the store's rules say; the marker
    /// alone cannot tell).
    #[error("the store has no such touchpoint")]
    UnknownTouchpoint,
}

impl MarkerError {
    /// The stable code the API answers with.
    pub fn code(self) -> &'static str {
        match self {
            MarkerError::EmptyLabel => "label_empty",
            MarkerError::LabelTooLong => "label_too_long",
            MarkerError::Implausible => "date_implausible",
            MarkerError::UnknownTouchpoint => "touchpoint_unknown",
        }
    }
}

/// 2000-01-01T00:00:00Z: no store marks a change before it.
const EARLIEST_MS: i64 = 946_684_800_000;

impl NewMarker {
    /// The marker as kept (label trimmed), or why it cannot be, seen at `now`.
    pub fn validate(mut self, now: Timestamp) -> Result<NewMarker, MarkerError> {
        self.label = self.label.trim().to_string();
        if self.label.is_empty() {
            return Err(MarkerError::EmptyLabel);
        }
        if text_len(&self.label) > MARKER_LABEL_MAX {
            return Err(MarkerError::LabelTooLong);
        }
        if self.at.0 < EARLIEST_MS || self.at.0 > now.0.saturating_add(MARKER_AHEAD_MS) {
            return Err(MarkerError::Implausible);
        }
        Ok(self)
    }
}

/// A marker as the store keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    /// Its id.
    pub id: Uuid,
    /// The change.
    #[serde(flatten)]
    pub change: NewMarker,
    /// Who marked it (a staff id, or a chain person's name and id).
    pub by: String,
    /// When it was marked.
    pub marked_at: Timestamp,
    /// A change to the whole chain the store belongs to, marked in the chain's admin (shown on
    /// every store's charts; removed only there).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chain: bool,
}

impl Marker {
    /// Whether a complaint filed at `touchpoint` about `category` is one the change concerns.
    pub fn concerns(&self, touchpoint: &Slug, category: Category) -> bool {
        self.change
            .touchpoint
            .as_ref()
            .is_none_or(|t| t == touchpoint)
            && self.change.category.is_none_or(|c| c == category)
    }

    /// The complaints it concerns, among `filed` (when, where, what), before and after it:
    /// windows of `window_days` (shorter while it is recent or near `first`, the start of the
    /// history), seen at `now`; significant at the 5 % level. `None` while it lies ahead.
    pub fn shift(
        &self,
        filed: &[(Timestamp, &Slug, Category)],
        window_days: u32,
        first: Timestamp,
        now: Timestamp,
    ) -> Option<Shift> {
        let times: Vec<Timestamp> = filed
            .iter()
            .filter(|(_, touchpoint, category)| self.concerns(touchpoint, *category))
            .map(|(at, _, _)| *at)
            .collect();
        before_after(&times, self.change.at, window_days, first, now, 0.05)
    }
}

/// A store's markers, oldest change first (`GET /api/v1/stores/{store}/markers`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Markers {
    /// The markers.
    pub markers: Vec<Marker>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 3_600_000;
    const NOW: Timestamp = Timestamp(1_790_000_000_000);

    fn change(label: &str, at: Timestamp) -> NewMarker {
        NewMarker {
            at,
            kind: MarkerKind::Upgrade,
            label: label.to_string(),
            touchpoint: None,
            category: None,
        }
    }

    fn marker(change: NewMarker) -> Marker {
        Marker {
            id: Uuid::from_u128(1),
            change,
            by: "max".into(),
            marked_at: NOW,
            chain: false,
        }
    }

    fn slug(s: &str) -> Slug {
        Slug::parse(s).expect("a slug")
    }

    #[test]
    fn a_marker_is_kept_with_a_trimmed_label_and_a_plausible_date_only() {
        let kept = change("  Card terminals upgraded ", NOW)
            .validate(NOW)
            .unwrap();
        assert_eq!(kept.label, "Card terminals upgraded");
        assert_eq!(
            change(" \n ", NOW).validate(NOW),
            Err(MarkerError::EmptyLabel)
        );
        let long = "é".repeat(MARKER_LABEL_MAX + 1);
        assert_eq!(
            change(&long, NOW).validate(NOW),
            Err(MarkerError::LabelTooLong)
        );
        assert!(
            change(&"é".repeat(MARKER_LABEL_MAX), NOW)
                .validate(NOW)
                .is_ok()
        );
        // A planned change up to a year ahead; not 1970, not two years ahead.
        assert!(
            change("Planned", Timestamp(NOW.0 + 300 * DAY))
                .validate(NOW)
                .is_ok()
        );
        for at in [Timestamp(0), Timestamp(NOW.0 + 2 * 366 * DAY)] {
            assert_eq!(change("x", at).validate(NOW), Err(MarkerError::Implausible));
        }
        assert_eq!(MarkerError::LabelTooLong.code(), "label_too_long");
    }

    #[test]
    fn the_json_names_every_field_and_leaves_out_an_absent_scope() {
        let whole = serde_json::to_value(marker(change("Upgrade", NOW))).unwrap();
        assert_eq!(
            whole,
            serde_json::json!({"id": Uuid::from_u128(1), "at": NOW.0, "kind": "upgrade",
                "label": "Upgrade", "by": "max", "marked_at": NOW.0})
        );
        let mut scoped = change("New menu", NOW);
        scoped.kind = MarkerKind::ShiftPlan;
        scoped.touchpoint = Some(slug("front-desk"));
        scoped.category = Some(Category::Waiting);
        let json = serde_json::to_string(&scoped).unwrap();
        assert!(
            json.contains(r#""kind":"shift_plan""#)
                && json.contains(r#""touchpoint":"front-desk""#)
        );
        assert_eq!(serde_json::from_str::<NewMarker>(&json).unwrap(), scoped);
        for kind in MarkerKind::ALL {
            assert_eq!(MarkerKind::parse(kind.key()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.key());
        }
    }

    /// One complaint every `every_hours` hours at `touchpoint`, from `from` to `to`.
    fn filings(
        from: i64,
        to: i64,
        every_hours: i64,
        touchpoint: &str,
    ) -> Vec<(Timestamp, Slug, Category)> {
        (0..)
            .map(|i| from + i * every_hours * 3_600_000)
            .take_while(|t| *t < to)
            .map(|t| (Timestamp(t), slug(touchpoint), Category::Billing))
            .collect()
    }

    fn shift(m: &Marker, filed: &[(Timestamp, Slug, Category)], first: Timestamp) -> Option<Shift> {
        let rows: Vec<(Timestamp, &Slug, Category)> =
            filed.iter().map(|(t, s, c)| (*t, s, *c)).collect();
        m.shift(&rows, 28, first, NOW)
    }

    #[test]
    fn a_planted_change_is_found_and_a_planted_non_change_is_not() {
        let at = Timestamp(NOW.0 - 28 * DAY);
        let first = Timestamp(NOW.0 - 120 * DAY);
        // At the tills: one complaint a day before the upgrade, two a day after.
        let mut filed = filings(first.0, at.0, 24, "tills");
        filed.extend(filings(at.0, NOW.0, 12, "tills"));
        // At the front desk: one a day throughout.
        filed.extend(filings(first.0, NOW.0, 24, "front-desk"));

        let mut at_tills = change("Card terminals upgraded", at);
        at_tills.touchpoint = Some(slug("tills"));
        let found = shift(&marker(at_tills), &filed, first).expect("both windows lie in the past");
        assert_eq!((found.before, found.after), (28, 56));
        assert!(found.significant && found.low > 1.0, "{found:?}");

        let mut at_desk = change("New rota", at);
        at_desk.touchpoint = Some(slug("front-desk"));
        let flat = shift(&marker(at_desk), &filed, first).unwrap();
        assert_eq!((flat.before, flat.after), (28, 28));
        assert!(
            !flat.significant && flat.low < 1.0 && flat.high > 1.0,
            "{flat:?}"
        );

        // The whole store sees both, and other kinds of complaint are not its concern.
        let store = shift(&marker(change("Both", at)), &filed, first).unwrap();
        assert_eq!((store.before, store.after), (56, 84));
        let mut other_kind = change("Delivery vans", at);
        other_kind.category = Some(Category::Delivery);
        let none = shift(&marker(other_kind), &filed, first).unwrap();
        assert_eq!((none.before, none.after, none.significant), (0, 0, false));

        // A change still ahead has nothing to compare yet.
        let ahead = marker(change("Planned", Timestamp(NOW.0 + DAY)));
        assert_eq!(shift(&ahead, &filed, first), None);
    }
}
