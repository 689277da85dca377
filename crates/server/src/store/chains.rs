//! Chains, the people who run them, their sessions and the history of changes
//! ([`ChainRows`]). Written once for both backends over [`Executor`] like
//! [`super::shared`]'s. Every [`super::Access`] is also [`ChainRows`].
//! Only hashes of passwords and tokens are stored; nothing here decides who may do what.

use super::error::DbError;
use super::shared::{Executor, Row, first, rows};

/// A chain as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainRow {
    /// Its id.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// The salt every store of the chain fingerprints contacts with.
    pub contact_salt: String,
}

/// A person who runs a chain, as stored: the password only as its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// The chain.
    pub chain: String,
    /// Their id in it.
    pub id: String,
    /// Their name.
    pub name: String,
    /// `admin` or `area`.
    pub role: String,
    /// An area manager's stores, comma-separated.
    pub stores: String,
    /// The password hash's salt (hex).
    pub salt: String,
    /// Its PBKDF2 rounds.
    pub rounds: i64,
    /// The hash (hex).
    pub hash: String,
    /// Whether they may sign in.
    pub active: bool,
    /// Failed sign-ins since the last success.
    pub failures: i64,
    /// When the latest failure happened (server clock, milliseconds).
    pub last_failure_ms: Option<i64>,
}

/// One change in a chain's history, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    /// A random id.
    pub id: String,
    /// The chain.
    pub chain: String,
    /// The store it concerns, if one.
    pub store: Option<String>,
    /// When (server clock, milliseconds).
    pub at_ms: i64,
    /// Who made it.
    pub made_by: String,
    /// What happened (`recovery_core::api::admin::ChangeKind`'s key).
    pub what: String,
    /// What it happened to.
    pub subject: String,
    /// The fields that changed, comma-separated.
    pub fields: String,
}

/// A chain person from a row of `chain_people`' columns in table order.
fn person_row(row: Row<'_>) -> Result<PersonRow, DbError> {
    Ok(PersonRow {
        chain: row.get(0)?,
        id: row.get(1)?,
        name: row.get(2)?,
        role: row.get(3)?,
        stores: row.get(4)?,
        salt: row.get(5)?,
        rounds: row.get(6)?,
        hash: row.get(7)?,
        active: row.get(8)?,
        failures: row.get(9)?,
        last_failure_ms: row.get(10)?,
    })
}

/// A touchpoint as stored: id, display name, sticker text.
pub type PlaceRow = (String, String, String);

/// Operations on chains, their people, sessions and history.
pub trait ChainRows {
    /// Creates a chain with `salt`, or renames it (its salt never changes).
    fn upsert_chain(&mut self, row: &ChainRow, now_ms: i64) -> Result<(), DbError>;
    /// One chain.
    fn chain(&mut self, slug: &str) -> Result<Option<ChainRow>, DbError>;
    /// The chain's stores' ids, in order.
    fn chain_stores(&mut self, chain: &str) -> Result<Vec<String>, DbError>;
    /// The chain a store belongs to.
    fn store_chain(&mut self, store: &str) -> Result<Option<String>, DbError>;
    /// Replaces a store's touchpoints with `places`, in this order.
    fn set_places(&mut self, store: &str, places: &[PlaceRow]) -> Result<(), DbError>;
    /// A store's touchpoints with their sticker texts, in display order.
    fn places(&mut self, store: &str) -> Result<Vec<PlaceRow>, DbError>;
    /// Creates a chain person or replaces everything about them.
    fn upsert_person(&mut self, row: &PersonRow) -> Result<(), DbError>;
    /// One chain person, active or not.
    fn person(&mut self, chain: &str, id: &str) -> Result<Option<PersonRow>, DbError>;
    /// Every person of a chain, by id.
    fn people(&mut self, chain: &str) -> Result<Vec<PersonRow>, DbError>;
    /// Sets a chain person's sign-in throttle.
    fn set_person_throttle(
        &mut self,
        chain: &str,
        id: &str,
        failures: i64,
        last_failure_ms: Option<i64>,
    ) -> Result<(), DbError>;
    /// Keeps a session's hash until `expires_at_ms`.
    fn insert_chain_token(
        &mut self,
        hash: &str,
        chain: &str,
        person: &str,
        now_ms: i64,
        expires_at_ms: i64,
    ) -> Result<(), DbError>;
    /// The chain and person of an unexpired session.
    fn chain_token(&mut self, hash: &str, now_ms: i64)
    -> Result<Option<(String, String)>, DbError>;
    /// Ends every session of a chain person.
    fn end_person_sessions(&mut self, chain: &str, id: &str) -> Result<(), DbError>;
    /// Keeps a change.
    fn insert_change(&mut self, row: &ChangeRow) -> Result<(), DbError>;
    /// The chain's latest `limit` changes, newest first.
    fn changes(&mut self, chain: &str, limit: i64) -> Result<Vec<ChangeRow>, DbError>;
}

impl<E: Executor> ChainRows for E {
    fn upsert_chain(&mut self, row: &ChainRow, now_ms: i64) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO chains (slug, name, contact_salt, created_at_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name",
            &[&row.slug, &row.name, &row.contact_salt, &now_ms],
        )?;
        Ok(())
    }

    fn chain(&mut self, slug: &str) -> Result<Option<ChainRow>, DbError> {
        first(
            self,
            "SELECT slug, name, contact_salt FROM chains WHERE slug = ?1",
            &[&slug],
            |row| {
                Ok(ChainRow {
                    slug: row.get(0)?,
                    name: row.get(1)?,
                    contact_salt: row.get(2)?,
                })
            },
        )
    }

    fn chain_stores(&mut self, chain: &str) -> Result<Vec<String>, DbError> {
        rows(
            self,
            "SELECT slug FROM stores WHERE chain = ?1 ORDER BY slug",
            &[&chain],
            |row| row.get(0),
        )
    }

    fn store_chain(&mut self, store: &str) -> Result<Option<String>, DbError> {
        first(
            self,
            "SELECT chain FROM stores WHERE slug = ?1",
            &[&store],
            |row| row.get(0),
        )
    }

    fn set_places(&mut self, store: &str, places: &[PlaceRow]) -> Result<(), DbError> {
        self.execute("DELETE FROM touchpoints WHERE store = ?1", &[&store])?;
        for (position, (slug, name, sticker)) in places.iter().enumerate() {
            let position = i64::try_from(position).unwrap_or(i64::MAX);
            self.execute(
                "INSERT INTO touchpoints (store, slug, position, name, sticker)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                &[&store, slug, &position, name, sticker],
            )?;
        }
        Ok(())
    }

    fn places(&mut self, store: &str) -> Result<Vec<PlaceRow>, DbError> {
        rows(
            self,
            "SELECT slug, name, sticker FROM touchpoints WHERE store = ?1 ORDER BY position, slug",
            &[&store],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
    }

    fn upsert_person(&mut self, row: &PersonRow) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO chain_people (chain, id, name, role, stores, pin_salt, pin_rounds,
                                       pin_hash, active, failures, last_failure_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (chain, id) DO UPDATE SET name = excluded.name, role = excluded.role,
                 stores = excluded.stores, pin_salt = excluded.pin_salt,
                 pin_rounds = excluded.pin_rounds, pin_hash = excluded.pin_hash,
                 active = excluded.active, failures = excluded.failures,
                 last_failure_ms = excluded.last_failure_ms",
            &[
                &row.chain,
                &row.id,
                &row.name,
                &row.role,
                &row.stores,
                &row.salt,
                &row.rounds,
                &row.hash,
                &row.active,
                &row.failures,
                &row.last_failure_ms,
            ],
        )?;
        Ok(())
    }

    fn person(&mut self, chain: &str, id: &str) -> Result<Option<PersonRow>, DbError> {
        first(
            self,
            "SELECT chain, id, name, role, stores, pin_salt, pin_rounds, pin_hash, active,
                    failures, last_failure_ms
             FROM chain_people WHERE chain = ?1 AND id = ?2",
            &[&chain, &id],
            person_row,
        )
    }

    fn people(&mut self, chain: &str) -> Result<Vec<PersonRow>, DbError> {
        rows(
            self,
            "SELECT chain, id, name, role, stores, pin_salt, pin_rounds, pin_hash, active,
                    failures, last_failure_ms
             FROM chain_people WHERE chain = ?1 ORDER BY id",
            &[&chain],
            person_row,
        )
    }

    fn set_person_throttle(
        &mut self,
        chain: &str,
        id: &str,
        failures: i64,
        last_failure_ms: Option<i64>,
    ) -> Result<(), DbError> {
        self.execute(
            "UPDATE chain_people SET failures = ?3, last_failure_ms = ?4
             WHERE chain = ?1 AND id = ?2",
            &[&chain, &id, &failures, &last_failure_ms],
        )?;
        Ok(())
    }

    fn insert_chain_token(
        &mut self,
        hash: &str,
        chain: &str,
        person: &str,
        now_ms: i64,
        expires_at_ms: i64,
    ) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO chain_tokens (token_hash, chain, person, created_at_ms, expires_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            &[&hash, &chain, &person, &now_ms, &expires_at_ms],
        )?;
        Ok(())
    }

    fn chain_token(
        &mut self,
        hash: &str,
        now_ms: i64,
    ) -> Result<Option<(String, String)>, DbError> {
        first(
            self,
            "SELECT chain, person FROM chain_tokens WHERE token_hash = ?1 AND expires_at_ms > ?2",
            &[&hash, &now_ms],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
    }

    fn end_person_sessions(&mut self, chain: &str, id: &str) -> Result<(), DbError> {
        self.execute(
            "DELETE FROM chain_tokens WHERE chain = ?1 AND person = ?2",
            &[&chain, &id],
        )?;
        Ok(())
    }

    fn insert_change(&mut self, row: &ChangeRow) -> Result<(), DbError> {
        self.execute(
            "INSERT INTO changes (id, chain, store, at_ms, made_by, what, subject, fields)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &[
                &row.id,
                &row.chain,
                &row.store,
                &row.at_ms,
                &row.made_by,
                &row.what,
                &row.subject,
                &row.fields,
            ],
        )?;
        Ok(())
    }

    fn changes(&mut self, chain: &str, limit: i64) -> Result<Vec<ChangeRow>, DbError> {
        rows(
            self,
            "SELECT id, chain, store, at_ms, made_by, what, subject, fields FROM changes
             WHERE chain = ?1 ORDER BY at_ms DESC, id LIMIT ?2",
            &[&chain, &limit],
            |row| {
                Ok(ChangeRow {
                    id: row.get(0)?,
                    chain: row.get(1)?,
                    store: row.get(2)?,
                    at_ms: row.get(3)?,
                    made_by: row.get(4)?,
                    what: row.get(5)?,
                    subject: row.get(6)?,
                    fields: row.get(7)?,
                })
            },
        )
    }
}
