//! The schema's history: one list of migrations per backend, with the same
//! versions and names in step, embedded from `migrations/` (SQLite) and
//! `migrations/postgres/` (PostgreSQL).
//!
//! Append only: an applied migration is history and must never change;
//! a fix goes in a new, higher version, in both folders. Applying the lists
//! is each backend's job ([`super::sqlite`], [`super::postgres`]).

/// One schema change, applied once and recorded in `schema_migrations`.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Strictly increasing version number; never reused or renumbered.
    pub version: i64,
    /// Short name, stored for people reading `schema_migrations`.
    pub name: &'static str,
    /// The SQL, run as one batch inside the migration's transaction.
    pub sql: &'static str,
}

/// The SQLite migrations, in the order they must run.
pub const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "events",
        sql: include_str!("../../migrations/0001_events.sql"),
    },
    Migration {
        version: 2,
        name: "tickets and staff tokens",
        sql: include_str!("../../migrations/0002_sync.sql"),
    },
    Migration {
        version: 3,
        name: "stores, touchpoints, staff and sessions",
        sql: include_str!("../../migrations/0003_staff.sql"),
    },
    Migration {
        version: 4,
        name: "store languages",
        sql: include_str!("../../migrations/0004_languages.sql"),
    },
    Migration {
        version: 5,
        name: "staff signing keys",
        sql: include_str!("../../migrations/0005_keys.sql"),
    },
    Migration {
        version: 6,
        name: "store alerts",
        sql: include_str!("../../migrations/0006_store_alerts.sql"),
    },
    Migration {
        version: 7,
        name: "notifications",
        sql: include_str!("../../migrations/0007_notifications.sql"),
    },
    Migration {
        version: 8,
        name: "touchpoint names",
        sql: include_str!("../../migrations/0008_places.sql"),
    },
    Migration {
        version: 9,
        name: "retention",
        sql: include_str!("../../migrations/0009_retention.sql"),
    },
    Migration {
        version: 10,
        name: "ticket_links",
        sql: include_str!("../../migrations/0010_ticket_links.sql"),
    },
    Migration {
        version: 11,
        name: "markers",
        sql: include_str!("../../migrations/0011_markers.sql"),
    },
    Migration {
        version: 12,
        name: "seal_keys",
        sql: include_str!("../../migrations/0012_seal_keys.sql"),
    },
    Migration {
        version: 13,
        name: "case_states",
        sql: include_str!("../../migrations/0013_case_states.sql"),
    },
    Migration {
        version: 14,
        name: "queued_cases_and_facts",
        sql: include_str!("../../migrations/0014_queued_cases_and_facts.sql"),
    },
    Migration {
        version: 15,
        name: "chains",
        sql: include_str!("../../migrations/0015_chains.sql"),
    },
    Migration {
        version: 16,
        name: "shift_plans",
        sql: include_str!("../../migrations/0016_shift_plans.sql"),
    },
    Migration {
        version: 17,
        name: "visits",
        sql: include_str!("../../migrations/0017_visits.sql"),
    },
];

/// The PostgreSQL twins of [`SQLITE`]: same versions, same names, same
/// `schema_migrations` bookkeeping.
pub const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "events",
        sql: include_str!("../../migrations/postgres/0001_events.sql"),
    },
    Migration {
        version: 2,
        name: "tickets and staff tokens",
        sql: include_str!("../../migrations/postgres/0002_sync.sql"),
    },
    Migration {
        version: 3,
        name: "stores, touchpoints, staff and sessions",
        sql: include_str!("../../migrations/postgres/0003_staff.sql"),
    },
    Migration {
        version: 4,
        name: "store languages",
        sql: include_str!("../../migrations/postgres/0004_languages.sql"),
    },
    Migration {
        version: 5,
        name: "staff signing keys",
        sql: include_str!("../../migrations/postgres/0005_keys.sql"),
    },
    Migration {
        version: 6,
        name: "store alerts",
        sql: include_str!("../../migrations/postgres/0006_store_alerts.sql"),
    },
    Migration {
        version: 7,
        name: "notifications",
        sql: include_str!("../../migrations/postgres/0007_notifications.sql"),
    },
    Migration {
        version: 8,
        name: "touchpoint names",
        sql: include_str!("../../migrations/postgres/0008_places.sql"),
    },
    Migration {
        version: 9,
        name: "retention",
        sql: include_str!("../../migrations/postgres/0009_retention.sql"),
    },
    Migration {
        version: 10,
        name: "ticket_links",
        sql: include_str!("../../migrations/postgres/0010_ticket_links.sql"),
    },
    Migration {
        version: 11,
        name: "markers",
        sql: include_str!("../../migrations/postgres/0011_markers.sql"),
    },
    Migration {
        version: 12,
        name: "seal_keys",
        sql: include_str!("../../migrations/postgres/0012_seal_keys.sql"),
    },
    Migration {
        version: 13,
        name: "case_states",
        sql: include_str!("../../migrations/postgres/0013_case_states.sql"),
    },
    Migration {
        version: 14,
        name: "queued_cases_and_facts",
        sql: include_str!("../../migrations/postgres/0014_queued_cases_and_facts.sql"),
    },
    Migration {
        version: 15,
        name: "chains",
        sql: include_str!("../../migrations/postgres/0015_chains.sql"),
    },
    Migration {
        version: 16,
        name: "shift_plans",
        sql: include_str!("../../migrations/postgres/0016_shift_plans.sql"),
    },
    Migration {
        version: 17,
        name: "visits",
        sql: include_str!("../../migrations/postgres/0017_visits.sql"),
    },
];

/// The highest version a list knows (0 for none).
pub fn latest(list: &[Migration]) -> i64 {
    list.last().map_or(0, |m| m.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_versions_strictly_increase_and_names_are_unique() {
        for list in [SQLITE, POSTGRES] {
            for pair in list.windows(2) {
                assert!(pair[0].version < pair[1].version, "{pair:?}");
                assert_ne!(pair[0].name, pair[1].name);
            }
            assert!(list.first().is_some_and(|m| m.version >= 1));
        }
    }

    #[test]
    fn both_backends_have_the_same_migration_versions_and_names() {
        let names = |list: &[Migration]| -> Vec<(i64, &'static str)> {
            list.iter().map(|m| (m.version, m.name)).collect()
        };
        assert_eq!(names(POSTGRES), names(SQLITE));
    }
}
