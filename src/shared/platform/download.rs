//! Saving a text as a file the browser downloads (a Blob behind an object URL, clicked
//! through a detached `<a download>`), so exports work offline and need no server link.
//!
//! It knows nothing of what the text holds; a missing window or a refused Blob comes back as
//! [`DownloadError`], never a panic.

use wasm_bindgen::{JsCast, JsValue};

/// Why a file could not be offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DownloadError {
    /// No window or document (not in a browser page).
    #[error("no page to download from")]
    NoPage,
    /// The browser refused to make the file.
    #[error("the browser refused the file")]
    Refused,
}

/// Offers `text` as a download named `file_name` of type `mime` (e.g. `text/csv;charset=utf-8`).
pub fn save_text(file_name: &str, mime: &str, text: &str) -> Result<(), DownloadError> {
    let window = web_sys::window().ok_or(DownloadError::NoPage)?;
    let document = window.document().ok_or(DownloadError::NoPage)?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| DownloadError::Refused)?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| DownloadError::Refused)?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| DownloadError::NoPage)?
        .dyn_into()
        .map_err(|_| DownloadError::NoPage)?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // The download has its own reference to the data once it starts: free ours a little later.
    let later = url.clone();
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&later);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}
