//! This device's id, kept under `srk1:device`: one id per browser profile, shared by the
//! customer page and the staff app on the same device, so the server can tell devices apart.
//!
//! It goes through the browser port's generic storage; it must never fail an app: when storage
//! is blocked a fresh id is used for the session.

use crate::shared::platform::storage;
use recovery_core::DeviceId;

/// Key of this device's id.
pub const DEVICE_KEY: &str = "srk1:device";

/// This device's id: read from storage, or made with `fresh` and saved on first use.
/// If storage is unavailable the fresh id is still returned, so the kiosk keeps working.
pub fn device_id(fresh: impl FnOnce() -> DeviceId) -> DeviceId {
    let stored =
        storage::read_text(DEVICE_KEY).and_then(|s| recovery_core::parse_uuid(s.trim_matches('"')));
    match stored {
        Some(id) => DeviceId(id),
        None => {
            let id = fresh();
            let _ = storage::write_text(DEVICE_KEY, &id.to_string());
            id
        }
    }
}
