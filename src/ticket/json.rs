//! The ticket page's JSON through the browser's own `JSON` (`platform::codec`), not serde: the
//! server's view of the case, what the phone keeps, and the rating's JSON for the push. That keeps
//! serde's code out of the page's download. Events are written by `shared::event_json`, exactly
//! as serde writes the core's types (a browser test checks it), so the server reads what the
//! phone sent.
//!
//! Reading never panics: anything missing, mistyped or out of range gives `None`.

use super::model::{KeptStep, Link, Slot, TicketRating, TicketResolution, TicketStep, TicketView};
use crate::shared::event_json::{self, Extension};
use crate::shared::outbox::Outgoing;
use crate::shared::platform::codec::{self, get, optional, set, string, text, whole};
use js_sys::{Array, Object};
use recovery_core::{
    Category, Event, EventKind, Mark, RejectReason, Remedy, Slug, Status, Timestamp,
};
use wasm_bindgen::JsValue;

/// Teaches the shared event JSON the customer's `rated`, `answered` and `consent_withdrawn`
/// events (the only kinds besides `filed` that this page writes or reads).
pub fn install() {
    event_json::install(Extension {
        kind_to_js: customer_kind_to_js,
        kind_from_js: customer_kind_from_js,
    });
}

fn time(o: &JsValue, key: &str) -> Option<Timestamp> {
    whole(&get(o, key)).map(Timestamp)
}

fn slug(o: &JsValue, key: &str) -> Option<Slug> {
    Slug::parse(&string(o, key)?).ok()
}

/// Writes the kind's fields in serde's order: the `type` tag, then the fields as declared.
fn customer_kind_to_js(kind: &EventKind, o: &Object) -> bool {
    if let EventKind::ConsentWithdrawn {} = kind {
        set(o, "type", text(kind.name()));
        return true;
    }
    let (field, value, comment) = match kind {
        EventKind::Rated { stars, comment } => {
            ("stars", JsValue::from_f64(f64::from(*stars)), comment)
        }
        EventKind::Answered { held, comment } => ("held", JsValue::from_bool(*held), comment),
        _ => return false,
    };
    set(o, "type", text(kind.name()));
    set(o, field, value);
    set(o, "comment", text(comment));
    true
}

fn customer_kind_from_js(kind_type: &str, kind: &JsValue) -> Option<EventKind> {
    if kind_type == "consent_withdrawn" {
        return Some(EventKind::ConsentWithdrawn {});
    }
    let comment = string(kind, "comment")?;
    match kind_type {
        "rated" => Some(EventKind::Rated {
            stars: u8::try_from(whole(&get(kind, "stars"))?).ok()?,
            comment,
        }),
        "answered" => Some(EventKind::Answered {
            held: get(kind, "held").as_bool()?,
            comment,
        }),
        _ => None,
    }
}

fn status(v: &JsValue) -> Option<Status> {
    let s = v.as_string()?;
    Status::ALL.into_iter().find(|x| x.key() == s)
}

fn category(v: &JsValue) -> Option<Category> {
    let s = v.as_string()?;
    Category::ALL.into_iter().find(|x| x.key() == s)
}

fn remedy(v: &JsValue) -> Option<Remedy> {
    let s = v.as_string()?;
    Remedy::ALL.into_iter().find(|x| x.key() == s)
}

fn steps(v: &JsValue) -> Option<Vec<TicketStep>> {
    if !Array::is_array(v) {
        return None;
    }
    Array::from(v)
        .iter()
        .map(|s| {
            Some(TicketStep {
                step: string(&s, "step")?,
                at: time(&s, "at")?,
            })
        })
        .collect()
}

fn view_from_js(o: &JsValue) -> Option<TicketView> {
    Some(TicketView {
        ticket: string(o, "ticket")?,
        store: slug(o, "store")?,
        store_name: optional(o, "store_name", JsValue::as_string)?,
        currency: optional(o, "currency", JsValue::as_string)?,
        status: status(&get(o, "status"))?,
        filed_at: time(o, "filed_at")?,
        acknowledged_at: optional(o, "acknowledged_at", |v| whole(v).map(Timestamp))?,
        resolved_at: optional(o, "resolved_at", |v| whole(v).map(Timestamp))?,
        closed_at: optional(o, "closed_at", |v| whole(v).map(Timestamp))?,
        follow_up_at: optional(o, "follow_up_at", |v| whole(v).map(Timestamp))?,
        touchpoint: slug(o, "touchpoint")?,
        place: optional(o, "place", JsValue::as_string)?,
        category: category(&get(o, "category"))?,
        complaint: event_json::complaint_from_js(&get(o, "complaint"))?,
        timeline: steps(&get(o, "timeline"))?,
        resolution: optional(o, "resolution", |r| {
            Some(TicketResolution {
                remedy: remedy(&get(r, "remedy"))?,
                value_minor: u32::try_from(whole(&get(r, "value_minor"))?).ok()?,
                gesture: string(r, "gesture")?,
                at: time(r, "at")?,
            })
        })?,
        explanation: optional(o, "explanation", JsValue::as_string)?,
        rating: optional(o, "rating", |r| {
            Some(TicketRating {
                stars: u8::try_from(whole(&get(r, "stars"))?).ok()?,
                comment: string(r, "comment")?,
            })
        })?,
    })
}

/// Reads the server's view of a case (the body of `GET /api/v1/tickets/{code}`).
pub fn view(body: &str) -> Option<TicketView> {
    view_from_js(&codec::parse(body)?)
}

/// Reads a view kept by `model::keep_view`: the view and when it was seen; `None` when the
/// text is not one (corrupted, another format, or another ticket's).
pub fn kept_view(link: &Link, text: &str) -> Option<(TicketView, Timestamp)> {
    let kept = codec::parse(text)?;
    if whole(&get(&kept, "v"))? != 1 {
        return None;
    }
    let view = view_from_js(&get(&kept, "view"))?;
    (view.ticket == link.ticket().as_str()).then_some((view, time(&kept, "seen_at")?))
}

/// The stored text of a kept step (a rating or an answer):
/// `{"v":1,"event":{…},"sync":"pending"|"sent"|"rejected","reason":"<code>"}`.
pub fn step_to_text(rating: &KeptStep) -> String {
    let o = Object::new();
    set(&o, "v", JsValue::from_f64(1.0));
    set(&o, "event", event_json::event_to_js(&rating.event));
    set(&o, "sync", text(mark_code(rating.sync)));
    if let Mark::Rejected(reason) = rating.sync {
        set(&o, "reason", text(reason.code()));
    }
    codec::stringify(&o.into()).unwrap_or_default()
}

/// Reads a kept step of `slot` on `link`'s case; `None` when the text is not one.
pub fn step_from_text(link: &Link, slot: Slot, text: &str) -> Option<KeptStep> {
    let o = codec::parse(text)?;
    if whole(&get(&o, "v"))? != 1 {
        return None;
    }
    let event = event_json::event_from_js(&get(&o, "event"))?;
    if !slot.holds(&event.kind) {
        return None;
    }
    let sync = match string(&o, "sync")?.as_str() {
        "pending" => Mark::Pending,
        "sent" => Mark::Sent,
        "rejected" => Mark::Rejected(RejectReason::from_code(
            &string(&o, "reason").unwrap_or_default(),
        )),
        _ => return None,
    };
    (event.case == link.case).then_some(KeptStep { event, sync })
}

/// The name a rating's mark is kept under.
fn mark_code(mark: Mark) -> &'static str {
    match mark {
        Mark::Pending => "pending",
        Mark::Sent => "sent",
        Mark::Rejected(_) => "rejected",
    }
}

/// The rating on its way to the server, with the case's ticket secret (the push's only proof
/// that the customer may rate this case).
pub fn outgoing(link: &Link, event: &Event) -> Outgoing {
    Outgoing {
        id: event.id,
        json: codec::stringify(&event_json::event_to_js(event)).unwrap_or_default(),
        secret: Some((link.case, link.secret.clone())),
        sealed: None,
    }
}
