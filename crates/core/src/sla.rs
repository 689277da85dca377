//! Service-level targets: by when staff must acknowledge and resolve a case, counted from
//! the moment the customer filed it on their device.

use crate::ids::Timestamp;
use serde::{Deserialize, Serialize};

/// A store's response targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    /// Minutes from filing to a person acknowledging the case.
    pub acknowledge_within_minutes: u32,
    /// Hours from filing to a resolution.
    pub resolve_within_hours: u32,
}

impl Default for SlaPolicy {
    /// Ten minutes to acknowledge (staff are on the shop floor), a day to resolve.
    fn default() -> Self {
        SlaPolicy {
            acknowledge_within_minutes: 10,
            resolve_within_hours: 24,
        }
    }
}

impl SlaPolicy {
    /// The latest moment staff should acknowledge a case filed at `filed_at`.
    pub fn respond_by(&self, filed_at: Timestamp) -> Timestamp {
        filed_at.plus_minutes(i64::from(self.acknowledge_within_minutes))
    }

    /// The latest moment a case filed at `filed_at` should be resolved.
    pub fn resolve_by(&self, filed_at: Timestamp) -> Timestamp {
        filed_at.plus_minutes(i64::from(self.resolve_within_hours) * 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_targets_count_from_filing() {
        let p = SlaPolicy::default();
        let t = Timestamp(1_000_000);
        assert_eq!(p.respond_by(t), Timestamp(1_000_000 + 10 * 60_000));
        assert_eq!(p.resolve_by(t), Timestamp(1_000_000 + 24 * 3_600_000));
    }
}
