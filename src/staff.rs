//! The staff app on a shared tablet (`/staff/<store>`): unlock with a personal PIN, then the
//! store's open cases, most urgent first.
//!
//! Built as its own binary (`src/bin/staff.rs`, `staff.html`), so none of this reaches the
//! customer's download. A PIN is checked online when the server answers; after one online
//! sign-in the tablet keeps a slow salted hash and checks it offline. Failed attempts wait
//! longer each time and lock after ten (`recovery_core::PinThrottle`). Staff mode locks itself
//! after two minutes without a touch, and at once with "Lock". From the workspace, staff print
//! the store's QR stickers (`stickers`); managers open the insights (`insights`), and everyone
//! sees the alerts.
//!
//! Rooms: `app` mounts the shell for the store in the address, `state` holds what the screens
//! share (and the one [`Screen`](state::Screen) on show), `sync` exchanges steps and events
//! with the server, `unlock` and `workspace` are the two faces of the shell, `queue` and `case`
//! what the workspace shows, `text` the staff app's words. This root only starts the app.

mod app;
mod case;
pub mod charts;
pub mod device;
mod drafts;
mod glance;
mod handover;
pub mod insights;
mod keep;
mod live;
pub mod outbox;
mod queue;
mod state;
pub mod stickers;
mod sync;
mod text;
mod unlock;
mod workspace;

use crate::shared::platform::env;

/// Mounts the staff app on `<body>`, or the chain's web admin under `/admin/`.
pub fn start() {
    if crate::admin::chain_from_path(&env::path()).is_some() || env::path().starts_with("/admin") {
        crate::shared::start_in_language(|| leptos::mount::mount_to_body(crate::admin::AdminRoot));
        return;
    }
    // The tablet's storage (all its cases) opens in a task of its own, ahead of the mount.
    env::after_paint(crate::shared::platform::storage::open);
    crate::shared::start_in_language(|| leptos::mount::mount_to_body(app::StaffApp));
}
