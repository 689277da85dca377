//! The customer page (`/`, a kiosk or a customer's phone): the complaint form, the
//! acknowledgement with its ticket, and the cases this phone filed.
//!
//! `route` reads the address, `state` holds the live cases and their outbox, `device` keeps
//! them on the device (its keys and envelope format), `sync` ships the outbox to the server,
//! `components` draw the screens. Everything it shares with the other
//! apps is in `crate::shared`.

pub mod app;
pub mod components;
pub mod device;
pub mod route;
pub mod state;
pub mod sync;
pub mod warm;

/// Mounts the customer page on `<body>`: in the browser's language (read first, when it is
/// not English, so nobody sees English flash by); the other languages are read in the
/// background two seconds later.
pub fn start() {
    crate::shared::start_in_language(|| leptos::mount::mount_to_body(app::App));
}
