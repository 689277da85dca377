//! The service-recovery kiosk app: Leptos components compiled to WebAssembly.
//!
//! Layout: `route` reads the address, `state` holds the live cases and their outbox, `sync`
//! ships the outbox to the server, `components` draw the screens, and `platform` is the only
//! module that touches browser APIs. Domain rules live in the pure `recovery_core` crate,
//! shared with the server.

pub mod app;
pub mod components;
pub mod labels;
pub mod platform;
pub mod route;
pub mod state;
pub mod sync;

// The `i18n` module: translations generated from `locales/*.json` by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

/// Mounts the app on `<body>`.
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
