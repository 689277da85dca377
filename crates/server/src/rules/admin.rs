//! Why an administrative command (stores, staff, tokens, recipients) could not do its work,
//! in words an operator can act on.

use crate::store::DbError;

/// Why an administrative command could not do its work.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A chain that does not exist yet.
    #[error("there is no chain '{0}': add it first with add-chain")]
    NoChain(String),
    /// A store named for a chain it is not in.
    #[error("store '{store}' is not in chain '{chain}'")]
    NotInChain {
        /// The store.
        store: String,
        /// The chain.
        chain: String,
    },
    /// A store created in one chain named for another.
    #[error(
        "store '{store}' belongs to chain '{chain}': a store's chain is set when it is created"
    )]
    OtherChain {
        /// The store.
        store: String,
        /// Its chain.
        chain: String,
    },
    /// Staff for a store that does not exist yet.
    #[error("there is no store '{0}': add it first with add-store")]
    NoStore(String),
    /// Unlocking someone who is not on the roster.
    #[error("store '{store}' has no staff member '{id}'")]
    NoStaff {
        /// The store.
        store: String,
        /// The id asked for.
        id: String,
    },
    /// No token has an id starting so.
    #[error("no staff token has an id starting with '{0}' (see list-tokens)")]
    NoToken(String),
    /// Several tokens' ids start so.
    #[error("{1} staff tokens have an id starting with '{0}': give more of it")]
    AmbiguousToken(String, usize),
    /// Erasing a case the store does not have.
    #[error("store '{store}' has no case with ticket '{ticket}'")]
    NoTicket {
        /// The store.
        store: String,
        /// The ticket code asked for.
        ticket: String,
    },
    /// Several cases share the ticket code asked to erase.
    #[error("cases {cases} share ticket '{ticket}': give the case's id as --ticket instead")]
    SharedTicket {
        /// The ticket code asked for.
        ticket: String,
        /// Their ids, comma-separated.
        cases: String,
    },
    /// Removing a recipient the store does not have.
    #[error("store '{store}' has no {channel} recipient '{address}' (see list-recipients)")]
    NoRecipient {
        /// The store.
        store: String,
        /// `email` or `webhook`.
        channel: &'static str,
        /// The address asked for.
        address: String,
    },
    /// A made-up event of `seed-demo --cases` that the server refused.
    #[error("a generated event was refused: {0}")]
    Refused(String),
}
