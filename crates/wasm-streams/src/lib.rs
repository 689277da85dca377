//! This workspace's own `wasm-streams`, put in place of the published crate by
//! `[patch.crates-io]`: the part of its API that Leptos's `server_fn` calls (a web
//! `ReadableStream` made from a Rust `Stream`, and read back as one), written over the
//! browser's own streams with closures.
//!
//! Why: the published crate defines its stream sources and sinks as `#[wasm_bindgen]` classes,
//! which are exports of every app's WebAssembly, and no optimiser may drop an export or its
//! JavaScript glue class, although the apps never call a server function. Here nothing is
//! exported, so what the apps do not use is dropped (`docs/performance.md` has the bytes).

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;

use futures_util::future::poll_fn;
use futures_util::stream::{Stream, unfold};
use js_sys::{Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::{QueuingStrategy, ReadableStreamDefaultController, ReadableStreamDefaultReader};

/// A web `ReadableStream`.
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

type Source = Pin<Box<dyn Stream<Item = Result<JsValue, JsValue>>>>;

impl ReadableStream {
    /// Wraps a web stream.
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        ReadableStream { raw }
    }

    /// A web stream that gives what `stream` yields, one item each time its reader asks (no
    /// queue of its own: a high-water mark of 0); an error errors the web stream, the end
    /// closes it.
    pub fn from_stream<St>(stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        let stream: Rc<RefCell<Source>> = Rc::new(RefCell::new(Box::pin(stream)));
        let pull = Closure::<dyn FnMut(ReadableStreamDefaultController) -> js_sys::Promise>::new(
            move |controller: ReadableStreamDefaultController| {
                let stream = stream.clone();
                future_to_promise(async move {
                    match poll_fn(|cx| stream.borrow_mut().as_mut().poll_next(cx)).await {
                        Some(Ok(chunk)) => controller.enqueue_with_chunk(&chunk)?,
                        Some(Err(error)) => return Err(error),
                        None => controller.close()?,
                    }
                    Ok(JsValue::UNDEFINED)
                })
            },
        );
        let source = Object::new();
        // The web stream holds the closure; it goes with the stream (not leaked).
        let _ = Reflect::set(&source, &"pull".into(), &pull.into_js_value());
        let strategy = QueuingStrategy::new();
        strategy.set_high_water_mark(0.0);
        let raw =
            web_sys::ReadableStream::new_with_underlying_source_and_strategy(&source, &strategy)
                .expect("a ReadableStream from a plain source");
        ReadableStream { raw }
    }

    /// The web stream.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// The web stream's items as a Rust `Stream`, read through a reader of its own; an error
    /// is the last item.
    pub fn into_stream(self) -> impl Stream<Item = Result<JsValue, JsValue>> {
        let reader: ReadableStreamDefaultReader = self.raw.get_reader().unchecked_into();
        unfold(Some(reader), |reader| async move {
            let reader = reader?;
            match JsFuture::from(reader.read()).await {
                Ok(result) => {
                    let done = Reflect::get(&result, &"done".into()).ok()?;
                    if done.is_truthy() {
                        return None;
                    }
                    let value = Reflect::get(&result, &"value".into()).unwrap_or_default();
                    Some((Ok(value), Some(reader)))
                }
                Err(error) => Some((Err(error), None)),
            }
        })
    }
}
