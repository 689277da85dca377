//! What the three apps (the customer page, the staff app, the ticket page) share: the browser
//! port (`platform`, the only door to browser APIs, holding no app schema), the texts (`i18n`)
//! and the words for the core's enums (`labels`), the one outbox client that sends events to
//! the server (`outbox`), the events' JSON (`event_json`), the device's id (`device_id`), the
//! components every screen is built from, and the start-up that mounts an app in the reader's
//! language.
//!
//! Nothing here belongs to one app: no one app's storage keys, screens or rules.

pub mod components;
pub mod device_id;
pub mod event_json;
pub mod i18n;
pub mod labels;
pub mod outbox;
pub mod platform;

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
