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
pub mod warm;

/// Mounts the app on `<body>`: in the browser's language (read first, when it is not English,
/// so nobody sees English flash by); the other languages are read in the background two
/// seconds later.
pub fn start() {
    start_in_language(|| leptos::mount::mount_to_body(app::App));
}

/// Reads the browser's preferred language's texts, then calls `mount`, then reads the others.
///
/// The mount is a task of its own, apart from the module's start-up, after the first screen the
/// shell shows while the module loads (`#srk-pre`, written by `scripts/prepaint.mjs`) has been
/// painted: that screen is always seen first, also where the module arrives before the
/// browser's first paint. The mount takes its place in one task, so no frame shows both or
/// neither.
pub fn start_in_language(mount: impl FnOnce() + 'static) {
    let preferred = i18n::Locale::find(&platform::env::preferred_languages());
    // Leptos's task executor starts with the mount: before it, wasm-bindgen's own.
    wasm_bindgen_futures::spawn_local(async move {
        i18n::load(preferred).await;
        after_first_screen(
            20,
            Box::new(move || {
                platform::env::remove("srk-pre");
                mount();
                // The others once the page has settled: never competing with its first load.
                leptos::prelude::set_timeout(
                    || wasm_bindgen_futures::spawn_local(i18n::load_all()),
                    std::time::Duration::from_secs(2),
                );
            }),
        );
    });
}

/// Runs `then` after a painted frame once the shell's first screen has been painted, waiting a
/// frame at a time for at most `frames` frames (about two seconds where frames do not come).
fn after_first_screen(frames: u32, then: Box<dyn FnOnce()>) {
    platform::env::after_paint(move || {
        if frames > 0 && platform::env::first_screen_unpainted() {
            after_first_screen(frames - 1, then);
        } else {
            then();
        }
    });
}
