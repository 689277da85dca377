//! The store's markers for changes ([`MarkerRows`]): who marked what change when, and who
//! removed it. A removed marker keeps its row (the store's history of changes stays whole);
//! only the others are listed. Written once for both backends over [`Executor`] like
//! [`super::shared`]'s. Every [`super::Access`] is also [`MarkerRows`].

use recovery_core::{Category, Marker, MarkerKind, NewMarker, Slug, Timestamp, parse_uuid};

use super::error::DbError;
use super::shared::{Executor, rows};

/// Where a chain's own markers are kept in place of a store's id (`chain:<chain>`: no store id
/// has a colon).
pub const CHAIN_PREFIX: &str = "chain:";

/// Operations on markers.
pub trait MarkerRows {
    /// Keeps a new marker of `store`.
    fn insert_marker(&mut self, store: &str, marker: &Marker) -> Result<(), DbError>;
    /// The store's markers that were not removed, oldest change first; a row this build cannot
    /// read (written by hand) is left out.
    fn markers(&mut self, store: &str) -> Result<Vec<Marker>, DbError>;
    /// Marks the store's marker `id` removed by `by` at `now_ms`; false when there is no such
    /// marker (or it was removed already).
    fn remove_marker(
        &mut self,
        store: &str,
        id: &str,
        by: &str,
        now_ms: i64,
    ) -> Result<bool, DbError>;
}

impl<E: Executor> MarkerRows for E {
    fn insert_marker(&mut self, store: &str, marker: &Marker) -> Result<(), DbError> {
        let change = &marker.change;
        self.execute(
            "INSERT INTO markers (id, store, at_ms, kind, label, touchpoint, category,
                                  created_by, created_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            &[
                &marker.id.to_string(),
                &store,
                &change.at.0,
                &change.kind.key(),
                &change.label,
                &change.touchpoint.as_ref().map(Slug::as_str),
                &change.category.map(Category::key),
                &marker.by,
                &marker.marked_at.0,
            ],
        )?;
        Ok(())
    }

    fn markers(&mut self, store: &str) -> Result<Vec<Marker>, DbError> {
        type Row = (
            String,
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            i64,
        );
        let found: Vec<Row> = rows(
            self,
            "SELECT id, at_ms, kind, label, touchpoint, category, created_by, created_at_ms
             FROM markers WHERE store = ?1 AND removed_at_ms IS NULL ORDER BY at_ms, id",
            &[&store],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                    row.get(7)?,
                ))
            },
        )?;
        Ok(found
            .into_iter()
            .filter_map(
                |(id, at, kind, label, touchpoint, category, by, marked_at)| {
                    Some(Marker {
                        id: parse_uuid(&id)?,
                        change: NewMarker {
                            at: Timestamp(at),
                            kind: MarkerKind::parse(&kind)?,
                            label,
                            touchpoint: match touchpoint {
                                Some(t) => Some(Slug::parse(&t).ok()?),
                                None => None,
                            },
                            category: match category {
                                Some(c) => Some(Category::parse(&c)?),
                                None => None,
                            },
                        },
                        by,
                        marked_at: Timestamp(marked_at),
                        chain: store.starts_with(CHAIN_PREFIX),
                    })
                },
            )
            .collect())
    }

    fn remove_marker(
        &mut self,
        store: &str,
        id: &str,
        by: &str,
        now_ms: i64,
    ) -> Result<bool, DbError> {
        let changed = self.execute(
            "UPDATE markers SET removed_by = ?3, removed_at_ms = ?4
             WHERE store = ?1 AND id = ?2 AND removed_at_ms IS NULL",
            &[&store, &id, &by, &now_ms],
        )?;
        Ok(changed == 1)
    }
}
