//! Export of documented cases: one row per case with every documentation field (what the
//! customer told us, each step with its time and who took it, the remedy and its value, the
//! rating, the follow-up, and the cause), as CSV ([`to_csv`]) or JSON (the rows' serde form).
//!
//! The customer's name and contact details are not exported: they serve to reach the
//! customer, not to document the case. A row says whether contact was given and consented
//! to, and whether the case is a repeat failure (found with the salted fingerprint), which
//! is what trend work needs. Times are ISO 8601 on the query's clock.

use super::calendar::iso;
use super::{Facts, Query, Selection};
use crate::case::{Case, Status};
use crate::complaint::{Category, FairSolution, Impact, Occurred};
use crate::event::{CauseCategory, EventKind, Factor, Remedy};
use crate::ids::{CaseId, Slug, Timestamp};
use crate::ledger::Ledger;
use serde::{Deserialize, Serialize};

/// A note from the review, as exported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportNote {
    /// When (ISO 8601).
    pub at: String,
    /// Who wrote it.
    pub by: Slug,
    /// What it says.
    pub text: String,
}

/// One documented case, flat, for a spreadsheet or another system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRow {
    /// The case id.
    pub case_id: CaseId,
    /// The customer-facing ticket code.
    pub ticket: String,
    /// The store.
    pub store: Slug,
    /// Where it was filed.
    pub touchpoint: Slug,
    /// Where it stands.
    pub status: Status,
    /// When the customer filed it.
    pub filed_at: String,
    /// What went wrong, in the customer's view.
    pub category: Category,
    /// What happened, in their words.
    pub description: String,
    /// When it happened, roughly.
    pub occurred: Option<Occurred>,
    /// How much it affected them.
    pub impact: Option<Impact>,
    /// Whether they said it happened before.
    pub happened_before: Option<bool>,
    /// The solutions they would consider fair.
    pub fair_solutions: Vec<FairSolution>,
    /// Anything else that would be fair, in their words.
    pub fair_solution_note: Option<String>,
    /// Whether they gave contact details (which are not exported).
    pub contact_given: bool,
    /// Whether they agreed to be contacted.
    pub consent_to_contact: bool,
    /// A repeat failure: their word, or the same contact on an earlier case.
    pub repeat: bool,
    /// Could it have been prevented, as staff answered when acknowledging.
    pub avoidable: Option<bool>,
    /// When it was first acknowledged.
    pub acknowledged_at: Option<String>,
    /// Who acknowledged it.
    pub acknowledged_by: Option<Slug>,
    /// The apology as said.
    pub apology: Option<String>,
    /// Seconds from filing to acknowledgement.
    pub seconds_to_acknowledge: Option<i64>,
    /// Notes from the review.
    pub notes: Vec<ExportNote>,
    /// How many times staff tried to reach the customer.
    pub contact_attempts: u32,
    /// When a try first reached them.
    pub customer_reached_at: Option<String>,
    /// When it was escalated.
    pub escalated_at: Option<String>,
    /// Who escalated it.
    pub escalated_by: Option<Slug>,
    /// Why.
    pub escalation_reason: Option<String>,
    /// When it was first resolved.
    pub resolved_at: Option<String>,
    /// Seconds from filing to the first resolution.
    pub seconds_to_resolve: Option<i64>,
    /// Who decided the latest resolution.
    pub resolved_by: Option<Slug>,
    /// Its remedy.
    pub remedy: Option<Remedy>,
    /// Its value, minor units.
    pub value_minor: Option<u32>,
    /// The value of every resolution of the case, minor units.
    pub value_total_minor: u64,
    /// The extra gesture.
    pub gesture: Option<String>,
    /// The follow-up it scheduled.
    pub follow_up_due: Option<String>,
    /// When the latest resolution was rated.
    pub rated_at: Option<String>,
    /// Its stars.
    pub stars: Option<u8>,
    /// The customer's comment.
    pub rating_comment: Option<String>,
    /// When the latest follow-up was made.
    pub followed_up_at: Option<String>,
    /// Who made it.
    pub followed_up_by: Option<Slug>,
    /// Whether the fix held.
    pub fix_held: Option<bool>,
    /// What the customer said.
    pub follow_up_note: Option<String>,
    /// How many times a follow-up reopened it.
    pub reopened: u32,
    /// When it was (last) closed.
    pub closed_at: Option<String>,
    /// Who closed it.
    pub closed_by: Option<Slug>,
    /// The fishbone category of the cause.
    pub cause_category: Option<CauseCategory>,
    /// The sub-cause.
    pub sub_cause: Option<String>,
    /// Departments involved.
    pub departments: Vec<String>,
    /// People involved.
    pub people: Vec<String>,
    /// The explanation for the customer.
    pub explanation: Option<String>,
    /// What else contributed, beside the main cause.
    pub factors: Vec<Factor>,
}

/// The cases of the query's filter as export rows, oldest filing first (ties by case id).
pub fn export(ledger: &Ledger, query: &Query) -> Vec<ExportRow> {
    let sel = Selection::of_ledger(ledger, query);
    sel.chosen()
        .into_iter()
        .filter_map(|id| export_row(&sel, ledger, ledger.case(id)?))
        .collect()
}

/// The export row of `case` (whose events `ledger` holds) when it is in the selection's
/// filter: a server reads a store's cases in batches, in [`Selection::chosen`]'s order, and
/// writes each row as it comes.
pub fn export_row(sel: &Selection, ledger: &Ledger, case: &Case) -> Option<ExportRow> {
    let facts = sel.pick(ledger, case)?;
    Some(row(
        case,
        &facts,
        sel.is_repeat(case.id),
        sel.query().utc_offset_minutes,
    ))
}

fn row(case: &Case, f: &Facts<'_>, repeat: bool, offset: i16) -> ExportRow {
    let at = |t: Timestamp| iso(t, offset);
    let when = |e: Option<&crate::event::Event>| e.map(|e| at(e.time()));
    let by =
        |e: Option<&crate::event::Event>| e.and_then(|e| e.kind.actor()).map(|a| a.staff.clone());
    let seconds = |t: Option<Timestamp>| t.map(|t| (t.0 - case.filed_at.0).max(0) / 1000);
    let c = &case.complaint;
    let mut row = ExportRow {
        case_id: case.id,
        ticket: case.ticket.as_str().to_owned(),
        store: case.store.clone(),
        touchpoint: case.touchpoint.clone(),
        status: case.status,
        filed_at: at(case.filed_at),
        category: c.category,
        description: c.description.clone(),
        occurred: c.occurred,
        impact: c.impact,
        happened_before: c.happened_before,
        fair_solutions: c.fair_solutions.clone(),
        fair_solution_note: c.fair_solution_note.clone(),
        contact_given: c.contact.is_some(),
        consent_to_contact: c.consent_to_contact,
        repeat,
        avoidable: case.avoidable,
        acknowledged_at: when(f.acknowledged),
        acknowledged_by: by(f.acknowledged),
        apology: None,
        seconds_to_acknowledge: seconds(case.acknowledged_at),
        notes: Vec::new(),
        contact_attempts: case.contact_attempts,
        customer_reached_at: f
            .attempts
            .iter()
            .find(|e| matches!(e.kind, EventKind::Contacted { reached: true, .. }))
            .map(|e| at(e.time())),
        escalated_at: when(f.escalated),
        escalated_by: by(f.escalated),
        escalation_reason: None,
        resolved_at: case.resolved_at.map(at),
        seconds_to_resolve: seconds(case.resolved_at),
        resolved_by: by(f.resolved),
        remedy: None,
        value_minor: None,
        value_total_minor: f.value_total_minor,
        gesture: None,
        follow_up_due: None,
        rated_at: when(f.rated),
        stars: None,
        rating_comment: None,
        followed_up_at: when(f.followed_up),
        followed_up_by: by(f.followed_up),
        fix_held: case.fix_held,
        follow_up_note: None,
        reopened: case.reopened,
        closed_at: when(f.closed),
        closed_by: by(f.closed),
        cause_category: None,
        sub_cause: None,
        departments: Vec::new(),
        people: Vec::new(),
        explanation: None,
        factors: Vec::new(),
    };
    if let Some(EventKind::Acknowledged { apology, .. }) = f.acknowledged.map(|e| &e.kind) {
        row.apology = Some(apology.clone());
    }
    for e in &f.notes {
        if let EventKind::Noted { by, note } = &e.kind {
            row.notes.push(ExportNote {
                at: at(e.time()),
                by: by.staff.clone(),
                text: note.clone(),
            });
        }
    }
    if let Some(EventKind::Escalated { reason, .. }) = f.escalated.map(|e| &e.kind) {
        row.escalation_reason = Some(reason.clone());
    }
    if let Some(EventKind::Resolved {
        remedy,
        value_minor,
        gesture,
        follow_up_at,
        ..
    }) = f.resolved.map(|e| &e.kind)
    {
        row.remedy = Some(*remedy);
        row.value_minor = Some(*value_minor);
        row.gesture = Some(gesture.clone());
        row.follow_up_due = follow_up_at.map(at);
    }
    if let Some(EventKind::Rated { stars, comment }) = f.rated.map(|e| &e.kind) {
        row.stars = Some(*stars);
        row.rating_comment = Some(comment.clone());
    }
    if let Some(EventKind::FollowedUp { note, .. } | EventKind::Answered { comment: note, .. }) =
        f.followed_up.map(|e| &e.kind)
    {
        row.follow_up_note = Some(note.clone());
    }
    if let Some(cause) = f.cause() {
        row.cause_category = Some(cause.category);
        row.sub_cause = Some(cause.sub_cause.clone());
        row.departments = cause.departments.clone();
        row.people = cause.people.clone();
        row.explanation = Some(cause.explanation.clone());
        row.factors = cause.factors.clone();
    }
    row
}

/// Text of an optional value, empty when absent.
fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

/// Key of an optional choice, empty when absent.
fn key<T: Copy>(v: Option<T>, key: fn(T) -> &'static str) -> String {
    v.map(key).unwrap_or_default().to_owned()
}

/// Several values in one cell.
fn list<T>(v: &[T], each: impl Fn(&T) -> String) -> String {
    v.iter().map(each).collect::<Vec<_>>().join("; ")
}

/// A CSV column: its header and how to read its cell from a row.
pub type Column = (&'static str, fn(&ExportRow) -> String);

/// The CSV columns, in order. The JSON rows have the same fields under the same names.
pub const CSV_COLUMNS: &[Column] = &[
    ("case_id", |r| r.case_id.to_string()),
    ("ticket", |r| r.ticket.clone()),
    ("store", |r| r.store.to_string()),
    ("touchpoint", |r| r.touchpoint.to_string()),
    ("status", |r| r.status.key().to_owned()),
    ("filed_at", |r| r.filed_at.clone()),
    ("category", |r| r.category.key().to_owned()),
    ("description", |r| r.description.clone()),
    ("occurred", |r| key(r.occurred, Occurred::key)),
    ("impact", |r| key(r.impact, Impact::key)),
    ("happened_before", |r| opt(&r.happened_before)),
    ("fair_solutions", |r| {
        list(&r.fair_solutions, |s| s.key().to_owned())
    }),
    ("fair_solution_note", |r| opt(&r.fair_solution_note)),
    ("contact_given", |r| r.contact_given.to_string()),
    ("consent_to_contact", |r| r.consent_to_contact.to_string()),
    ("repeat", |r| r.repeat.to_string()),
    ("avoidable", |r| opt(&r.avoidable)),
    ("acknowledged_at", |r| opt(&r.acknowledged_at)),
    ("acknowledged_by", |r| opt(&r.acknowledged_by)),
    ("apology", |r| opt(&r.apology)),
    ("seconds_to_acknowledge", |r| opt(&r.seconds_to_acknowledge)),
    ("notes", |r| {
        r.notes
            .iter()
            .map(|n| format!("{} {}: {}", n.at, n.by, n.text))
            .collect::<Vec<_>>()
            .join("\n")
    }),
    ("contact_attempts", |r| r.contact_attempts.to_string()),
    ("customer_reached_at", |r| opt(&r.customer_reached_at)),
    ("escalated_at", |r| opt(&r.escalated_at)),
    ("escalated_by", |r| opt(&r.escalated_by)),
    ("escalation_reason", |r| opt(&r.escalation_reason)),
    ("resolved_at", |r| opt(&r.resolved_at)),
    ("seconds_to_resolve", |r| opt(&r.seconds_to_resolve)),
    ("resolved_by", |r| opt(&r.resolved_by)),
    ("remedy", |r| key(r.remedy, Remedy::key)),
    ("value_minor", |r| opt(&r.value_minor)),
    ("value_total_minor", |r| r.value_total_minor.to_string()),
    ("gesture", |r| opt(&r.gesture)),
    ("follow_up_due", |r| opt(&r.follow_up_due)),
    ("rated_at", |r| opt(&r.rated_at)),
    ("stars", |r| opt(&r.stars)),
    ("rating_comment", |r| opt(&r.rating_comment)),
    ("followed_up_at", |r| opt(&r.followed_up_at)),
    ("followed_up_by", |r| opt(&r.followed_up_by)),
    ("fix_held", |r| opt(&r.fix_held)),
    ("follow_up_note", |r| opt(&r.follow_up_note)),
    ("reopened", |r| r.reopened.to_string()),
    ("closed_at", |r| opt(&r.closed_at)),
    ("closed_by", |r| opt(&r.closed_by)),
    ("cause_category", |r| {
        key(r.cause_category, CauseCategory::key)
    }),
    ("sub_cause", |r| opt(&r.sub_cause)),
    ("departments", |r| list(&r.departments, String::clone)),
    ("people", |r| list(&r.people, String::clone)),
    ("explanation", |r| opt(&r.explanation)),
    ("factors", |r| {
        list(&r.factors, |f| match f.sub_cause.as_str() {
            "" => f.category.key().to_owned(),
            sub => [f.category.key(), sub].join(": "),
        })
    }),
];

/// Whether a cell is a plain number (`-12`, `3.5`): safe in a spreadsheet as it is.
fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let ok = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    ok(whole) && parts.next().is_none_or(ok)
}

/// Writes one CSV cell: a text a spreadsheet would run as a formula (starting with `=`, `+`,
/// `-`, `@`, tab or CR) gets a leading `'`, unless it is a plain number; a cell with a comma,
/// quote or line break is quoted, with quotes doubled (RFC 4180).
pub(super) fn cell(out: &mut String, text: &str) {
    let guard = text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(text);
    let quote = text.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    for ch in text.chars() {
        if ch == '"' {
            out.push('"');
        }
        out.push(ch);
    }
    if quote {
        out.push('"');
    }
}

/// The rows as CSV (RFC 4180: CRLF line ends, a header line, [`CSV_COLUMNS`] in order), in
/// UTF-8 without a byte-order mark (a server adds one for spreadsheets if it likes).
pub fn to_csv(rows: &[ExportRow]) -> String {
    let mut out = String::with_capacity(256 * (rows.len() + 1));
    csv_header(&mut out);
    for row in rows {
        csv_line(&mut out, row);
    }
    out
}

/// Writes the CSV header line.
pub fn csv_header(out: &mut String) {
    for (i, (name, _)) in CSV_COLUMNS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(name);
    }
    out.push_str("\r\n");
}

/// Writes one row as a CSV line.
pub fn csv_line(out: &mut String, row: &ExportRow) {
    for (i, (_, read)) in CSV_COLUMNS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        cell(out, &read(row));
    }
    out.push_str("\r\n");
}
