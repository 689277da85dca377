//! The server's rules, without HTTP and without SQL: what a push may record
//! ([`sync`]), what a customer may read of their case ([`tickets`]), stores,
//! staff and PIN sign-in ([`staff`]), the store's insights and exports
//! ([`insights`]), who hears of which case outside the tablets ([`notify`]) and
//! what the customer is asked after a resolution ([`ask`]),
//! forgetting customers after the store's retention time ([`erase`]) and the
//! demo history ([`history`]), and the cases' read model ([`cases`]).
//!
//! Every rule that touches stored data runs inside one database transaction
//! through the backend-neutral [`crate::store::Access`] trait, so it is written
//! once for SQLite and PostgreSQL. Nothing here may name an HTTP type, a
//! status code or a SQL dialect: the `http` room turns these answers into
//! responses, the store runs the queries. Answers that travel are the core's
//! wire types ([`recovery_core::api`]).

pub mod admin;
pub mod ask;
pub mod cases;
pub mod chains;
pub mod demo;
pub mod erase;
pub mod history;
pub mod insights;
pub mod markers;
pub mod notify;
pub mod recipients;
pub mod sealed;
pub mod setup;
pub mod staff;
pub mod sync;
pub mod tickets;
pub mod tokens;
pub mod visits;
