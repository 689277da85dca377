//! The push's JSON through the browser's own `JSON` (`platform::codec`), not serde, so the
//! customer's download carries no serde: the request body
//! `{"events":[...],"ticket_secrets":{"<case>":"<secret>"},"sealed":{"<event>":"<seal>"},"sent_at":<ms>}`
//! and the receipts of its answer
//! `{"results":[{"id","status","reason"}]}`. Their one definition is the server's; the browser
//! tests hold these shapes to it.
//!
//! Reading never panics: anything unreadable, or about another event, is left out.

use super::Outgoing;
use crate::shared::platform::codec;
use recovery_core::{EventId, Receipt};

/// The push body for `batch`, sent when the device's clock says `sent_at` (from which the
/// server measures the device's skew). Event JSON comes ready-made; case and event ids are
/// UUIDs, secrets and seals base64url, so none needs escaping.
pub fn push_body(batch: &[Outgoing], sent_at: recovery_core::Timestamp) -> String {
    let mut body = String::from("{\"events\":[");
    for (i, o) in batch.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&o.json);
    }
    body.push(']');
    map(
        &mut body,
        "ticket_secrets",
        &mut batch
            .iter()
            .filter_map(|o| o.secret.as_ref().map(|(case, s)| (case.0, s))),
    );
    map(
        &mut body,
        "sealed",
        &mut batch
            .iter()
            .filter_map(|o| Some((o.id.0, o.sealed.as_ref()?))),
    );
    // The browser writes the number (an integer format of Rust's own would add to the download).
    body.push_str(",\"sent_at\":");
    body.push_str(&codec::stringify(&(sent_at.0 as f64).into()).unwrap_or_else(|| "null".into()));
    body.push('}');
    body
}

/// Writes `,"<name>":{"<id>":"<text>",...}` (one body for both maps: a `dyn` iterator).
fn map(body: &mut String, name: &str, pairs: &mut dyn Iterator<Item = (uuid::Uuid, &String)>) {
    body.push_str(",\"");
    body.push_str(name);
    body.push_str("\":{");
    for (i, (id, text)) in pairs.enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push('"');
        body.push_str(&id.to_string());
        body.push_str("\":\"");
        body.push_str(text);
        body.push('"');
    }
    body.push('}');
}

/// The receipts of a push answer for the events sent; anything unreadable, or about another
/// event, is left out (those events stay pending).
pub fn read_receipts(body: &str, sent: &[EventId]) -> Vec<(EventId, Receipt)> {
    let Some(answer) = codec::parse(body) else {
        return Vec::new();
    };
    let results = codec::get(&answer, "results");
    if !js_sys::Array::is_array(&results) {
        return Vec::new();
    }
    js_sys::Array::from(&results)
        .iter()
        .filter_map(|r| {
            let id = EventId(recovery_core::parse_uuid(
                &codec::get(&r, "id").as_string()?,
            )?);
            let status = codec::get(&r, "status").as_string()?;
            let reason = codec::get(&r, "reason").as_string();
            let receipt = Receipt::from_status(&status, reason.as_deref())?;
            sent.contains(&id).then_some((id, receipt))
        })
        .collect()
}
