//! The device's durable key/value store (IndexedDB): texts under keys, like `storage`, but a
//! write reports done only once the browser has it on disk.
//!
//! Chromium keeps `localStorage` writes in memory and writes them to disk seconds later, so a
//! browser killed (by the OS, a crash, the power) just after a complaint was acknowledged loses
//! it. An IndexedDB transaction with strict durability completes only after its data is flushed.
//! The apps keep what they must not lose here as well as in `localStorage` (which stays their
//! quick, synchronous working copy and tells other tabs of changes), and read it back when
//! they start, to restore whatever the working copy lost.
//!
//! The IndexedDB calls themselves are in `pwa/pwa.js` (`window.srkJournal`), which every app's
//! shell loads: through `web_sys` or `Reflect` they cost the customer's first load about 2 KB
//! more than the script does (`bench/size-budget`). Like `storage`, this door knows no key and
//! no format. The same script seals what the device must not keep readable ([`seal`]).

use super::storage::{StorageError, classify};
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What a finished journal call hands back: for `under`, its array of `[key, text]` pairs
/// (read with [`pairs`]); nothing of use for the others.
pub type Done = Box<dyn FnOnce(Result<JsValue, StorageError>)>;

/// Stores `text` under `key`; `done` is called once it is on disk (strict durability where
/// the browser offers it; elsewhere when the browser reports the transaction complete).
pub fn put(key: &str, text: &str, done: Done) {
    run("put", [key.into(), text.into()], done);
}

/// Removes what is stored under `key` (nothing there is no error), in the background.
pub fn remove(key: &str) {
    run("remove", [key.into(), JsValue::UNDEFINED], Box::new(drop));
}

/// Hands every key that starts with `prefix` and its text, in key order, to `found` (as an
/// array that [`pairs`] reads).
pub fn under(prefix: &str, found: Done) {
    run("under", [prefix.into(), JsValue::UNDEFINED], found);
}

/// Hands the text stored under exactly `key` (`None`: nothing there, or the journal could not
/// be read) to `found`.
pub fn read(key: &str, found: impl FnOnce(Option<String>) + 'static) {
    let wanted = key.to_owned();
    under(
        key,
        Box::new(move |texts| {
            let mut text = None;
            if let Ok(texts) = texts {
                pairs(&texts, |k, t| {
                    if k == wanted {
                        text = Some(t.to_owned());
                    }
                });
            }
            found(text);
        }),
    );
}

/// Seals `text` for the server, bound to the event `id` (`srkJournal.seal`, through the
/// browser's Web Crypto), and hands the seal to `done`; `None` when it cannot be sealed (no key
/// learnt, no Web Crypto).
pub fn seal(text: &str, id: &str, done: impl FnOnce(Option<String>) + 'static) {
    run(
        "seal",
        [text.into(), id.into()],
        Box::new(move |sealed| done(sealed.ok().and_then(|s| s.as_string()))),
    );
}

/// Calls `each` with every key and text of what [`under`] found.
pub fn pairs(found: &JsValue, mut each: impl FnMut(&str, &str)) {
    for pair in Array::from(found).iter() {
        let pair = Array::from(&pair);
        if let (Some(key), Some(text)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            each(&key, &text);
        }
    }
}

/// Calls `window.srkJournal[method](...args)` in a task of its own and hands what its promise
/// gave to `done`. (One task type for every call: each more would add to the download.)
fn run(method: &'static str, args: [JsValue; 2], done: Done) {
    wasm_bindgen_futures::spawn_local(async move {
        let journal = Reflect::get(&js_sys::global(), &"srkJournal".into()).unwrap_or_default();
        let function = Reflect::get(&journal, &method.into())
            .ok()
            .filter(JsValue::is_function);
        let Some(function) = function else {
            return done(Err(StorageError::Unavailable("no journal".into())));
        };
        let called = Reflect::apply(
            function.unchecked_ref::<Function>(),
            &journal,
            &args.iter().collect::<Array>(),
        );
        done(match called {
            Ok(promise) => JsFuture::from(promise.unchecked_into::<Promise>())
                .await
                .map_err(|e| classify(&e)),
            Err(e) => Err(classify(&e)),
        });
    });
}
