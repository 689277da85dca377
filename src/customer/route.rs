//! Where the app was opened, read from the URL path: which store and touchpoint, and whether
//! this is a shared kiosk tablet or a customer's own phone.
//!
//! Pure parsing only: it never reads the browser location itself (the `platform` module hands
//! the path in), so every case is testable natively.

use recovery_core::Slug;

/// How the device in front of the customer is used; it decides what may be shown and kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A shared store tablet: the screen resets itself and never shows an earlier customer's data.
    Kiosk,
    /// The customer's own phone, opened from a QR sticker: their own tickets may be listed.
    Phone,
}

/// A parsed app address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// Kiosk tablet or phone.
    pub mode: Mode,
    /// The store the complaint belongs to.
    pub store: Slug,
    /// Where in the store the customer is (what the QR sticker names).
    pub touchpoint: Slug,
}

/// Why a path does not name a place in a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteError {
    /// The path has a shape the app does not serve.
    Unknown,
    /// The store or touchpoint part is not a valid identifier.
    BadIdentifier,
}

/// The store and touchpoint used when the app is opened at `/`.
pub const DEFAULT_STORE: &str = "demo";
/// See [`DEFAULT_STORE`].
pub const DEFAULT_TOUCHPOINT: &str = "front-desk";

/// Parses `/c/<store>/<touchpoint>` (phone, what a QR sticker encodes),
/// `/k/<store>/<touchpoint>` (kiosk tablet) and `/` (the demo store's front desk, phone mode).
/// A trailing slash is accepted; query and fragment must already be removed.
pub fn parse(path: &str) -> Result<Route, RouteError> {
    let parts: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    let (mode, store, touchpoint) = match parts.as_slice() {
        [] => (Mode::Phone, DEFAULT_STORE, DEFAULT_TOUCHPOINT),
        ["c", store, touchpoint] => (Mode::Phone, *store, *touchpoint),
        ["k", store, touchpoint] => (Mode::Kiosk, *store, *touchpoint),
        _ => return Err(RouteError::Unknown),
    };
    let store = Slug::parse(store).map_err(|_| RouteError::BadIdentifier)?;
    let touchpoint = Slug::parse(touchpoint).map_err(|_| RouteError::BadIdentifier)?;
    Ok(Route {
        mode,
        store,
        touchpoint,
    })
}

/// The path of a touchpoint's phone page, `/c/<store>/<touchpoint>`: what its QR sticker
/// encodes (after this site's origin). [`parse`] reads it back as [`Mode::Phone`].
pub fn phone_path(store: &Slug, touchpoint: &Slug) -> String {
    ["/c/", store.as_str(), "/", touchpoint.as_str()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_sticker_path_opens_phone_mode_for_that_touchpoint() {
        let r = parse("/c/acme-mall/checkout-2").unwrap();
        assert_eq!(r.mode, Mode::Phone);
        assert_eq!(r.store.as_str(), "acme-mall");
        assert_eq!(r.touchpoint.as_str(), "checkout-2");
    }

    #[test]
    fn kiosk_path_opens_kiosk_mode_and_trailing_slash_is_fine() {
        let r = parse("/k/acme/fitting-room/").unwrap();
        assert_eq!(r.mode, Mode::Kiosk);
        assert_eq!(r.touchpoint.as_str(), "fitting-room");
    }

    #[test]
    fn root_opens_the_demo_front_desk() {
        let r = parse("/").unwrap();
        assert_eq!(r.store.as_str(), DEFAULT_STORE);
        assert_eq!(r.touchpoint.as_str(), DEFAULT_TOUCHPOINT);
    }

    #[test]
    fn unknown_shapes_and_bad_identifiers_are_told_apart() {
        assert_eq!(parse("/x/a/b"), Err(RouteError::Unknown));
        assert_eq!(parse("/c/a"), Err(RouteError::Unknown));
        assert_eq!(parse("/c/a/b/c"), Err(RouteError::Unknown));
        assert_eq!(parse("/c/Acme/<script>"), Err(RouteError::BadIdentifier));
    }

    #[test]
    fn a_phone_path_reads_back_as_that_touchpoint_on_a_phone() {
        let (store, touchpoint) = (
            Slug::parse("acme-mall").unwrap(),
            Slug::parse("checkout-2").unwrap(),
        );
        let path = phone_path(&store, &touchpoint);
        assert_eq!(path, "/c/acme-mall/checkout-2");
        assert_eq!(
            parse(&path),
            Ok(Route {
                mode: Mode::Phone,
                store,
                touchpoint
            })
        );
    }
}
