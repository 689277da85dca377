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
//! The IndexedDB calls themselves are in `pwa/journal.js` (`window.srkJournal`), which every
//! app's shell loads: through `web_sys` or `Reflect` they cost the customer's first load about
//! 3 KB more than the script does (`bench/size-budget`). Like `storage`, this door knows no key
//! and no format.

use super::storage::{StorageError, classify};
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Stores `text` under `key`; done once it is on disk (strict durability where the browser
/// offers it; elsewhere when the browser reports the transaction complete).
pub async fn put(key: &str, text: &str) -> Result<(), StorageError> {
    call("put", &[key.into(), text.into()]).await.map(drop)
}

/// Removes what is stored under `key` (nothing there is no error).
pub async fn remove(key: &str) -> Result<(), StorageError> {
    call("remove", &[key.into()]).await.map(drop)
}

/// Every key that starts with `prefix` and its text, in key order.
pub async fn under(prefix: &str) -> Result<Vec<(String, String)>, StorageError> {
    let pairs = call("under", &[prefix.into()]).await?;
    Ok(Array::from(&pairs)
        .iter()
        .filter_map(|pair| {
            let pair = Array::from(&pair);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect())
}

/// Calls `window.srkJournal[method](...args)` and waits for its promise.
async fn call(method: &str, args: &[JsValue]) -> Result<JsValue, StorageError> {
    let journal = Reflect::get(&js_sys::global(), &"srkJournal".into()).unwrap_or_default();
    let function = Reflect::get(&journal, &method.into())
        .ok()
        .filter(JsValue::is_function)
        .ok_or_else(|| StorageError::Unavailable("no journal".into()))?;
    let promise = Reflect::apply(
        function.unchecked_ref::<Function>(),
        &journal,
        &args.iter().collect::<Array>(),
    )
    .map_err(|e| classify(&e))?;
    JsFuture::from(promise.unchecked_into::<Promise>())
        .await
        .map_err(|e| classify(&e))
}
