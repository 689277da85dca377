//! The JSON of the core's events and complaints, written and read through the browser's own
//! `JSON` (`platform::codec`), without serde. It has exactly the shape `serde_json` gives the
//! core's types (a browser test holds it to serde), so the server reads what a device wrote.
//!
//! Its own room beside the outbox rather than inside `outbox::wire`: the same event JSON is
//! what the customer page keeps in its storage envelope, what the ticket page keeps of a
//! rating, and what the push carries, so it belongs to no one of them. The customer page and
//! the ticket page use it; the staff app writes its steps with serde.
//!
//! Decoding never panics: anything missing, mistyped or out of range gives `None`, and the
//! caller reports the entry as unreadable. It must never touch storage or the network.

use crate::shared::platform::codec::{
    choice, get, nullable, optional, set, string, text, uuid, whole,
};
use js_sys::{Array, Object};
use recovery_core::{
    CaseId, Category, Complaint, Contact, DeviceId, Event, EventId, EventKind, FairSolution,
    Impact, Occurred, Origin, Slug, Timestamp,
};
use wasm_bindgen::JsValue;

/// How an app that records more than filings (the ticket page) writes and reads the other
/// kinds of event: only the `kind` object, the rest of the event is written here. The
/// customer's page never installs one, so that code stays out of its download; without one,
/// such events are unreadable here (and kept, never dropped).
pub struct Extension {
    /// Fills the `kind` object (its `type` included) of a kind other than `filed`; `false`
    /// for a kind it does not know.
    pub kind_to_js: fn(&EventKind, &Object) -> bool,
    /// Reads the `kind` object whose `type` is given (not `filed`).
    pub kind_from_js: fn(&str, &JsValue) -> Option<EventKind>,
}

static EXTENSION: std::sync::OnceLock<Extension> = std::sync::OnceLock::new();

/// Installs the codec for the other kinds of event; the first installation wins.
pub fn install(ext: Extension) {
    let _ = EXTENSION.set(ext);
}

/// The event as a plain JavaScript object.
pub fn event_to_js(e: &Event) -> JsValue {
    let origin = Object::new();
    set(&origin, "store", text(e.origin.store.as_str()));
    set(&origin, "touchpoint", text(e.origin.touchpoint.as_str()));
    set(&origin, "device", text(&e.origin.device.to_string()));
    let kind = Object::new();
    match &e.kind {
        EventKind::Filed {
            complaint,
            utc_offset_minutes,
        } => {
            set(&kind, "type", text("filed"));
            set(&kind, "complaint", complaint_to_js(complaint));
            set(
                &kind,
                "utc_offset_minutes",
                JsValue::from_f64(f64::from(*utc_offset_minutes)),
            );
        }
        other => {
            // Other kinds: only apps that installed a codec for them write them.
            if !EXTENSION
                .get()
                .is_some_and(|ext| (ext.kind_to_js)(other, &kind))
            {
                return JsValue::NULL;
            }
        }
    }
    let o = Object::new();
    set(&o, "id", text(&e.id.to_string()));
    set(&o, "case", text(&e.case.to_string()));
    set(&o, "at", JsValue::from_f64(e.at.0 as f64));
    set(&o, "origin", origin.into());
    set(&o, "kind", kind.into());
    o.into()
}

fn complaint_to_js(c: &Complaint) -> JsValue {
    let o = Object::new();
    set(&o, "category", text(c.category.key()));
    set(&o, "description", text(&c.description));
    set(&o, "occurred", nullable(c.occurred.map(|x| text(x.key()))));
    set(&o, "impact", nullable(c.impact.map(|x| text(x.key()))));
    set(
        &o,
        "happened_before",
        nullable(c.happened_before.map(JsValue::from_bool)),
    );
    let fair = Array::new();
    for f in &c.fair_solutions {
        fair.push(&text(f.key()));
    }
    set(&o, "fair_solutions", fair.into());
    set(
        &o,
        "fair_solution_note",
        nullable(c.fair_solution_note.as_deref().map(text)),
    );
    set(&o, "name", nullable(c.name.as_deref().map(text)));
    let contact = c.contact.as_ref().map(|contact| {
        let co = Object::new();
        match contact {
            Contact::Email(s) => set(&co, "email", text(s)),
            Contact::Phone(s) => set(&co, "phone", text(s)),
        }
        JsValue::from(co)
    });
    set(&o, "contact", nullable(contact));
    set(
        &o,
        "consent_to_contact",
        JsValue::from_bool(c.consent_to_contact),
    );
    if let Some(tag) = &c.language {
        set(&o, "language", text(tag));
    }
    o.into()
}

/// Reads an event from a plain JavaScript object, as written by [`event_to_js`] or serde.
pub fn event_from_js(o: &JsValue) -> Option<Event> {
    let origin = get(o, "origin");
    let kind = get(o, "kind");
    let kind = match string(&kind, "type")?.as_str() {
        "filed" => EventKind::Filed {
            complaint: complaint_from_js(&get(&kind, "complaint"))?,
            utc_offset_minutes: i16::try_from(whole(&get(&kind, "utc_offset_minutes"))?).ok()?,
        },
        other => EXTENSION
            .get()
            .and_then(|ext| (ext.kind_from_js)(other, &kind))?,
    };
    Some(Event {
        id: EventId(uuid(o, "id")?),
        case: CaseId(uuid(o, "case")?),
        at: Timestamp(whole(&get(o, "at"))?),
        origin: Origin {
            store: Slug::parse(&string(&origin, "store")?).ok()?,
            touchpoint: Slug::parse(&string(&origin, "touchpoint")?).ok()?,
            device: DeviceId(uuid(&origin, "device")?),
        },
        kind,
        proof: None,
        clock: None,
    })
}

/// Reads a complaint from a plain JavaScript object, as serde writes it.
pub fn complaint_from_js(o: &JsValue) -> Option<Complaint> {
    let fair = get(o, "fair_solutions");
    if !Array::is_array(&fair) {
        return None;
    }
    let fair_solutions = Array::from(&fair)
        .iter()
        .map(|v| choice(&FairSolution::ALL, FairSolution::key, &v))
        .collect::<Option<Vec<_>>>()?;
    let contact = optional(o, "contact", |c| {
        if let Some(s) = get(c, "email").as_string() {
            Some(Contact::Email(s))
        } else {
            get(c, "phone").as_string().map(Contact::Phone)
        }
    })?;
    Some(Complaint {
        category: choice(&Category::ALL, Category::key, &get(o, "category"))?,
        description: string(o, "description")?,
        occurred: optional(o, "occurred", |v| choice(&Occurred::ALL, Occurred::key, v))?,
        impact: optional(o, "impact", |v| choice(&Impact::ALL, Impact::key, v))?,
        happened_before: optional(o, "happened_before", JsValue::as_bool)?,
        fair_solutions,
        fair_solution_note: optional(o, "fair_solution_note", JsValue::as_string)?,
        name: optional(o, "name", JsValue::as_string)?,
        contact,
        consent_to_contact: get(o, "consent_to_contact").as_bool()?,
        language: optional(o, "language", JsValue::as_string)?,
    })
}
