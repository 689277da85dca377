//! What a request path names, judged by its text alone: the API namespace,
//! which single-page app answers a client-side route, and whether a file
//! name is a hashed or static asset. No I/O and no state, so the router, the
//! static app and the security headers can all ask without knowing each
//! other.

/// Whether `path` belongs to the API namespace (`/api` or below).
pub fn is_api_path(path: &str) -> bool {
    path.strip_prefix("/api")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Which single-page app answers a client-side route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// The customer's app, `dist/index.html`.
    Customer,
    /// The staff app under `/staff`: `dist/staff/index.html`.
    Staff,
    /// The customer's ticket page under `/t`: `dist/ticket/index.html` when
    /// that bundle is built, else the customer's app.
    Ticket,
    /// The QR page under `/qr` that the acknowledgement frames:
    /// `dist/qr/index.html`.
    Qr,
}

/// The app that answers `path`: `/staff` and below is the staff app, `/t`
/// and below the ticket page, `/qr` and below the QR page, anything else the
/// customer's app.
pub fn shell_for(path: &str) -> Shell {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if under("/staff") || under("/admin") {
        Shell::Staff
    } else if under("/t") {
        Shell::Ticket
    } else if under("/qr") {
        Shell::Qr
    } else {
        Shell::Customer
    }
}

/// Whether the last path segment is a trunk content-hashed file name:
/// `name-<hash>.ext` or `name-<hash>_bg.wasm`, where `<hash>` is 13 to 16
/// hex digits.
///
/// Trunk pads the hash of CSS and copied files to 16 digits but writes the
/// JS/wasm hash unpadded, so a leading zero nibble shortens it; accepting a
/// few shorter lengths keeps those immutable too, while names with fewer
/// digits (dates, versions) stay revalidated.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default().as_bytes();
    name.iter().enumerate().any(|(dash, &byte)| {
        if byte != b'-' {
            return false;
        }
        let digits = name[dash + 1..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        let after = name.get(dash + 1 + digits);
        (13..=16).contains(&digits) && matches!(after, Some(b'.' | b'_'))
    })
}

/// Whether a path that matched no file names a static asset by its
/// extension. Such a request gets 404 instead of the SPA shell: a stale page
/// or service worker asking for an old hashed bundle must see the error, not
/// HTML with status 200 that it would cache or run as JavaScript/wasm.
/// Client-side routes (`/c/demo/checkout-2`) have no such extension.
pub fn looks_like_asset(path: &str) -> bool {
    const ASSET_EXTENSIONS: &[&str] = &[
        "js",
        "mjs",
        "wasm",
        "css",
        "map",
        "json",
        "webmanifest",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "ico",
        "webp",
        "avif",
        "woff",
        "woff2",
        "ttf",
        "otf",
        "txt",
        "xml",
        "ftl",
    ];
    let name = path.rsplit('/').next().unwrap_or_default();
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && ASSET_EXTENSIONS
                .iter()
                .any(|known| known.eq_ignore_ascii_case(ext))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_hashed_asset("/kiosk-3f2a9c1b0d5e6f70.js"));
        assert!(is_hashed_asset("/kiosk-3f2a9c1b0d5e6f70_bg.wasm"));
        assert!(is_hashed_asset("/assets/style-00aa11bb22cc33dd.css"));
        // Unpadded JS/wasm hash with a leading zero nibble.
        assert!(is_hashed_asset("/kiosk-f2a9c1b0d5e6f70_bg.wasm"));
    }

    #[test]
    fn names_without_a_full_hash_are_not_immutable() {
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/kiosk-3f2a9c1b0d.js"));
        assert!(!is_hashed_asset("/photo-20240101.png"));
        assert!(!is_hashed_asset("/kiosk-3f2a9c1b0d5e6f7012.js"));
        assert!(!is_hashed_asset("/kiosk-3f2a9c1b0d5e6f70"));
        assert!(!is_hashed_asset("/dir-3f2a9c1b0d5e6f70.x/plain"));
    }

    #[test]
    fn only_api_and_below_is_the_api_namespace() {
        assert!(is_api_path("/api"));
        assert!(is_api_path("/api/"));
        assert!(is_api_path("/api/v1/x"));
        assert!(!is_api_path("/apix"));
        assert!(!is_api_path("/c/api"));
    }

    #[test]
    fn staff_and_ticket_routes_pick_their_own_shell() {
        assert_eq!(shell_for("/staff"), Shell::Staff);
        assert_eq!(shell_for("/staff/"), Shell::Staff);
        assert_eq!(shell_for("/staff/demo/queue"), Shell::Staff);
        assert_eq!(shell_for("/staffroom"), Shell::Customer);
        assert_eq!(shell_for("/t"), Shell::Ticket);
        assert_eq!(shell_for("/t/ABC-DEF"), Shell::Ticket);
        assert_eq!(shell_for("/tickets"), Shell::Customer);
        assert_eq!(shell_for("/qr/"), Shell::Qr);
        assert_eq!(shell_for("/qr"), Shell::Qr);
        assert_eq!(shell_for("/qrcode"), Shell::Customer);
        assert_eq!(shell_for("/c/demo/t"), Shell::Customer);
        assert_eq!(shell_for("/"), Shell::Customer);
    }

    #[test]
    fn client_routes_do_not_look_like_assets() {
        assert!(!looks_like_asset("/"));
        assert!(!looks_like_asset("/c/demo/checkout-2"));
        assert!(!looks_like_asset("/k/demo/front"));
        assert!(!looks_like_asset("/k/demo/.hidden"));
        assert!(looks_like_asset("/kiosk-3f2a9c1b0d5e6f70.js"));
        assert!(looks_like_asset("/icons/a.PNG"));
    }
}
