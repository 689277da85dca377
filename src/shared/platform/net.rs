//! HTTP to the sync server: a JSON `POST` or `PUT`, a `GET` or a `DELETE` with a deadline, through the
//! browser's `fetch`.
//!
//! A request either comes back with a status and its whole body, or fails as a typed
//! [`NetError`]; it never panics and never throws into the app. What an answer means is
//! decided by the core's sync rules, not here.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// An HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// `Retry-After` in whole seconds, when the server sent one in that form.
    pub retry_after_secs: Option<u64>,
    /// The body as text.
    pub body: String,
}

/// Why no answer came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    /// No connection, a refused or dropped connection, or a blocked request.
    #[error("no connection to the server")]
    Unreachable,
    /// No whole answer before the deadline; the request was cancelled.
    #[error("the server did not answer in time")]
    Timeout,
}

/// What a request carries to say who may read or write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth<'a> {
    /// A staff session's or a device's token, as `Authorization: Bearer`.
    Bearer(&'a str),
    /// A customer's ticket secret, as `X-Ticket-Secret` (`api::TICKET_SECRET_HEADER`).
    TicketSecret(&'a str),
}

/// A `POST` of JSON `body`, or a `GET` without one, with a credential when given; waits at
/// most `deadline` for the whole answer.
pub async fn request(
    url: &str,
    body: Option<&str>,
    auth: Option<Auth<'_>>,
    deadline: Duration,
) -> Result<Reply, NetError> {
    let init = prepare(body.map_or("GET", |_| "POST"), body, auth)?;
    send(url, init, deadline).await
}

/// A `PUT` of JSON `body` with a credential; waits at most `deadline` for the whole answer.
pub async fn put(
    url: &str,
    body: &str,
    auth: Auth<'_>,
    deadline: Duration,
) -> Result<Reply, NetError> {
    let init = prepare("PUT", Some(body), Some(auth))?;
    send(url, init, deadline).await
}

/// A `DELETE` with a credential; waits at most `deadline` for the whole answer.
pub async fn delete(url: &str, auth: Auth<'_>, deadline: Duration) -> Result<Reply, NetError> {
    let init = prepare("DELETE", None, Some(auth))?;
    send(url, init, deadline).await
}

fn prepare(
    method: &str,
    body: Option<&str>,
    auth: Option<Auth<'_>>,
) -> Result<web_sys::RequestInit, NetError> {
    let init = web_sys::RequestInit::new();
    let headers = web_sys::Headers::new().map_err(|_| NetError::Unreachable)?;
    init.set_method(method);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
        let _ = headers.set("content-type", "application/json");
    }
    let _ = match auth {
        Some(Auth::Bearer(token)) => headers.set("authorization", &["Bearer ", token].concat()),
        Some(Auth::TicketSecret(secret)) => {
            headers.set(recovery_core::api::TICKET_SECRET_HEADER, secret)
        }
        None => Ok(()),
    };
    init.set_headers(&headers);
    Ok(init)
}

/// The texts of a language file at `url`, in file order; `None` when it cannot be fetched or is
/// not made of texts (see [`parse_texts`]).
pub async fn get_texts(url: &str) -> Option<Vec<String>> {
    let reply = request(url, None, None, Duration::from_secs(10))
        .await
        .ok()?;
    if reply.status != 200 {
        return None;
    }
    parse_texts(&reply.body)
}

/// The texts of a language file's JSON, in file order: the build serves an array of texts
/// (`scripts/compact-locales.mjs`), the translators write an object of texts and groups of
/// texts, and both read alike. `None` when anything in it is neither a text nor a group.
pub fn parse_texts(json: &str) -> Option<Vec<String>> {
    let value = js_sys::JSON::parse(json).ok()?;
    let mut texts = Vec::with_capacity(160);
    flatten_texts(&value, &mut texts).then_some(texts)
}

/// Appends the texts of a JSON object or array (and of the objects in it) in order; false when
/// something in it is neither a text nor an object.
fn flatten_texts(value: &JsValue, into: &mut Vec<String>) -> bool {
    value.is_object()
        && js_sys::Object::values(value.unchecked_ref())
            .iter()
            .all(|v: JsValue| match v.as_string() {
                Some(text) => {
                    into.push(text);
                    true
                }
                None => flatten_texts(&v, into),
            })
}

/// Sends a prepared request, never from the HTTP cache, and waits at most `deadline`.
async fn send(
    url: &str,
    init: web_sys::RequestInit,
    deadline: Duration,
) -> Result<Reply, NetError> {
    let window = web_sys::window().ok_or(NetError::Unreachable)?;
    let controller = web_sys::AbortController::new().map_err(|_| NetError::Unreachable)?;
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_signal(Some(&controller.signal()));

    let timed_out = Rc::new(Cell::new(false));
    let timer = {
        let timed_out = Rc::clone(&timed_out);
        leptos::prelude::set_timeout_with_handle(
            move || {
                timed_out.set(true);
                controller.abort();
            },
            deadline,
        )
        .ok()
    };
    let failed = |timed_out: &Rc<Cell<bool>>| {
        if timed_out.get() {
            NetError::Timeout
        } else {
            NetError::Unreachable
        }
    };
    let result = async {
        let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await
            .map_err(|_| failed(&timed_out))?;
        let response: web_sys::Response = response.dyn_into().map_err(|_| NetError::Unreachable)?;
        let retry_after_secs = response
            .headers()
            .get("retry-after")
            .ok()
            .flatten()
            .and_then(|v| v.trim().parse().ok());
        // The body is read under the same deadline: a server that sends headers and then
        // stalls is as good as no answer.
        let text = response.text().map_err(|_| NetError::Unreachable)?;
        let body = JsFuture::from(text)
            .await
            .map_err(|_| failed(&timed_out))?
            .as_string()
            .unwrap_or_default();
        Ok(Reply {
            status: response.status(),
            retry_after_secs,
            body,
        })
    }
    .await;
    if let Some(timer) = timer {
        timer.clear();
    }
    result
}

/// A stream of server-sent events (`GET` with a bearer token) that [`listen`] reads until the
/// server ends it or [`Listening::stop`] is called.
pub struct Listening(web_sys::AbortController);

impl Listening {
    /// A stream not yet opened; pass it to [`listen`].
    pub fn new() -> Option<Listening> {
        web_sys::AbortController::new().ok().map(Listening)
    }

    /// Ends the stream (at once, or as soon as it opens).
    pub fn stop(&self) {
        self.0.abort();
    }
}

/// Opens the server-sent event stream at `url` and calls `each` with the data of every message
/// (not the keep-alive comments) as it arrives. Completes when the server ends the stream or
/// [`Listening::stop`] is called; fails at once on any answer but a 200.
pub async fn listen(
    url: &str,
    bearer: &str,
    listening: &Listening,
    mut each: impl FnMut(&str),
) -> Result<(), NetError> {
    let window = web_sys::window().ok_or(NetError::Unreachable)?;
    let init = web_sys::RequestInit::new();
    let headers = web_sys::Headers::new().map_err(|_| NetError::Unreachable)?;
    let _ = headers.set("authorization", &["Bearer ", bearer].concat());
    let _ = headers.set("accept", "text/event-stream");
    init.set_headers(&headers);
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_signal(Some(&listening.0.signal()));
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| NetError::Unreachable)?
        .dyn_into()
        .map_err(|_| NetError::Unreachable)?;
    let body = response.body().filter(|_| response.status() == 200);
    let reader: web_sys::ReadableStreamDefaultReader = body
        .ok_or(NetError::Unreachable)?
        .get_reader()
        .dyn_into()
        .map_err(|_| NetError::Unreachable)?;
    let mut pending = String::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| NetError::Unreachable)?;
        let done =
            js_sys::Reflect::get(&chunk, &"done".into()).map_err(|_| NetError::Unreachable)?;
        if done.is_truthy() {
            return Ok(());
        }
        let value =
            js_sys::Reflect::get(&chunk, &"value".into()).map_err(|_| NetError::Unreachable)?;
        let bytes = js_sys::Uint8Array::new(&value).to_vec();
        pending.push_str(&String::from_utf8_lossy(&bytes));
        for data in take_messages(&mut pending) {
            each(&data);
        }
    }
}

/// The data of each whole message at the start of `pending` (taken out of it), skipping
/// comments; what is left is an unfinished message. Lines end with `\n` (as this server sends).
pub fn take_messages(pending: &mut String) -> Vec<String> {
    let mut messages = Vec::new();
    while let Some(end) = pending.find("\n\n") {
        let message: String = pending.drain(..end + 2).collect();
        let data: Vec<&str> = message
            .lines()
            .filter_map(|line| line.strip_prefix("data:"))
            .map(|data| data.strip_prefix(' ').unwrap_or(data))
            .collect();
        if !data.is_empty() {
            messages.push(data.join("\n"));
        }
    }
    messages
}

/// Whether the browser itself believes it has no network (`navigator.onLine` false). Only a
/// hint: "online" is decided by a request that succeeded.
pub fn browser_says_offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

/// A fresh secret: 32 random bytes from the browser's cryptographic generator, in base64url
/// without padding (43 characters).
pub fn new_secret() -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // One zero byte of padding makes 33, a multiple of 3; its bits fall off the end.
    let mut bytes = [0u8; 33];
    super::env::random_bytes(&mut bytes[..32]);
    let mut out = String::with_capacity(44);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(chunk[1]) << 8) | u32::from(chunk[2]);
        for shift in [18, 12, 6, 0] {
            out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
        }
    }
    out.truncate(43);
    out
}

#[cfg(test)]
mod tests {
    use super::take_messages;

    #[test]
    fn messages_are_read_whole_and_comments_skipped() {
        let mut pending = String::from(": ping\n\nevent: news\ndata: 12\n\nevent: news\nda");
        assert_eq!(take_messages(&mut pending), ["12"]);
        assert_eq!(pending, "event: news\nda");
        pending.push_str("ta:13\ndata: 14\n\n");
        assert_eq!(take_messages(&mut pending), ["13\n14"]);
        assert!(pending.is_empty());
    }
}
