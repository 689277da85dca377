//! The service-recovery kiosk's three apps, Leptos components compiled to WebAssembly: the
//! customer page (`customer`), the staff app (`staff`) and the customer's ticket page
//! (`ticket`), each a build of its own (`src/main.rs`, `src/bin/`), and what they share
//! (`shared`: the browser port, texts, labels, components).
//!
//! Texts are generated from `locales/*.json` by `build.rs`; `shared::platform` is the only
//! module that touches browser APIs. Domain rules live in the pure `recovery_core` crate,
//! shared with the server.

pub mod admin;
pub mod customer;
pub mod shared;
pub mod staff;
pub mod ticket;
