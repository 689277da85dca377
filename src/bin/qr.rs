//! The QR page (`/qr/#<path>`): draws, full size, the QR code of the address in its fragment,
//! for the customer's acknowledgement to show in a frame. A build of its own, loaded only when
//! an acknowledgement is on screen, so the encoder never weighs on the complaint form.
//!
//! The fragment never reaches the server (it may hold a ticket's secret). A path on this site
//! (`/t/#...`) becomes a full address a phone can open. The picture is decorative here: the
//! frame around it carries the translated name.

use recovery_qr::{Ecc, encode};

fn main() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    let target = hash.strip_prefix('#').unwrap_or_default();
    let text = if target.starts_with('/') {
        [location.origin().unwrap_or_default().as_str(), target].concat()
    } else {
        target.to_owned()
    };
    let (Some(body), false) = (window.document().and_then(|d| d.body()), text.is_empty()) else {
        return;
    };
    // Medium error correction: a phone still reads a code on a smudged or glaring screen.
    let Ok(code) = encode(&text, Ecc::M) else {
        return;
    };
    let side = (code.size() + 8).to_string();
    let svg = [
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ",
        &side,
        " ",
        &side,
        "\" aria-hidden=\"true\" focusable=\"false\" shape-rendering=\"crispEdges\">",
        "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
        "<path transform=\"translate(4 4)\" d=\"",
        &code.svg_path(),
        "\"/></svg>",
    ]
    .concat();
    body.set_inner_html(&svg);
    // Framed by the acknowledgement, which keeps the frame hidden until the code is drawn.
    if let Ok(Some(frame)) = window.frame_element() {
        let _ = frame.remove_attribute("hidden");
    }
}
