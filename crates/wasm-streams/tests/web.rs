//! The streams in a real browser (`wasm-bindgen-test`): a Rust stream made a web stream and read
//! back gives the same items in order and ends; an error reaches the reader and ends it.
#![cfg(target_arch = "wasm32")]

use futures_util::StreamExt;
use futures_util::stream;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_streams::ReadableStream;

wasm_bindgen_test_configure!(run_in_browser);

fn numbers(items: Vec<Result<f64, &'static str>>) -> ReadableStream {
    ReadableStream::from_stream(stream::iter(
        items
            .into_iter()
            .map(|item| item.map(JsValue::from_f64).map_err(JsValue::from_str)),
    ))
}

#[wasm_bindgen_test]
async fn a_rust_stream_goes_through_a_web_stream_and_back_whole() {
    let raw = numbers(vec![Ok(1.0), Ok(2.0), Ok(3.0)]).into_raw();
    let read: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    let read: Vec<f64> = read
        .into_iter()
        .map(|v| v.unwrap().as_f64().unwrap())
        .collect();
    assert_eq!(read, [1.0, 2.0, 3.0]);
}

#[wasm_bindgen_test]
async fn an_error_reaches_the_reader_and_ends_the_stream() {
    let raw = numbers(vec![Ok(1.0), Err("broken"), Ok(3.0)]).into_raw();
    let read: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    assert_eq!(read.len(), 2, "{read:?}");
    assert_eq!(read[0].as_ref().unwrap().as_f64(), Some(1.0));
    assert_eq!(
        read[1].as_ref().unwrap_err().as_string().as_deref(),
        Some("broken")
    );
}
