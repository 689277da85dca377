//! The service-recovery kiosk app: Leptos components compiled to WebAssembly.
//!
//! Layout: `route` reads the address, `state` holds the live cases and their outbox, `sync`
//! ships the outbox to the server, `components` draw the screens in the language `i18n` holds
//! (its texts are generated from `locales/*.json` by `build.rs`), and `platform` is the only
//! module that touches browser APIs. Domain rules live in the pure `recovery_core` crate,
//! shared with the server.

pub mod app;
pub mod components;
pub mod i18n;
pub mod labels;
pub mod platform;
pub mod route;
pub mod staff;
pub mod state;
pub mod sync;
pub mod ticket;

/// Mounts the app on `<body>`.
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
