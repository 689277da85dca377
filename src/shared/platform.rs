//! The only place that touches browser APIs: storage, the network, clock, randomness, the
//! address bar, the browser's languages and user-activity events.
//!
//! Everything else in the app stays testable and portable by going through these functions.
//! This module must never hold domain rules (validation, workflow, queue rules live in
//! `recovery_core`) nor an app's schema (storage keys, envelope formats and JSON shapes live
//! with the apps and in `shared::event_json`), and must never panic on what the browser gives
//! back: a missing window, refused storage or odd data all come back as values or typed errors.

pub mod activity;
pub mod clock;
pub mod codec;
pub mod download;
pub mod env;
pub mod journal;
pub mod net;
pub mod pwa;
pub mod shelf;
pub mod storage;
