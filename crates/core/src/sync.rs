//! The sync rules shared by the device's outbox and the server: batch limits, why the server
//! refuses an event, how a device reads the server's answer, and when it tries again.
//!
//! A device keeps every event in its outbox until the server has confirmed it (stored, or
//! already stored: a replay). What the server refuses is kept and shown as "needs attention",
//! never retried forever and never dropped. Everything else (no network, a timeout, a 5xx, an
//! answer that is not ours) is retried with full-jitter exponential backoff.
//!
//! Pure: the caller passes in the random fraction for the jitter and the HTTP status it saw.

use crate::ids::{EventId, Timestamp};

/// Most events one push may carry; the server answers 400 to more.
pub const MAX_BATCH_EVENTS: usize = 200;
/// Most bytes of event JSON a device puts in one push, well under the server's body limit
/// (1 MiB), so a full batch of the longest complaints still fits.
pub const MAX_BATCH_BYTES: usize = 512 * 1024;
/// First backoff step, in milliseconds.
pub const BACKOFF_BASE_MS: u64 = 1_000;
/// Longest wait between tries, in milliseconds.
pub const BACKOFF_CAP_MS: u64 = 5 * 60 * 1_000;
/// Longest `Retry-After` a device honours, so a wrong header cannot park a kiosk for a day.
pub const RETRY_AFTER_CAP_MS: u64 = 15 * 60 * 1_000;

/// How long to wait before try number `attempt` (0 for the first retry): a uniformly random
/// time between zero and `min(cap, base * 2^attempt)` ("full jitter"), so a shop's devices
/// coming back online together do not all knock at once. `unit` is a random number in
/// `[0, 1)`; values outside are clamped.
pub fn backoff_ms(attempt: u32, unit: f64) -> u64 {
    let ceiling = BACKOFF_BASE_MS
        .saturating_mul(1u64 << attempt.min(30))
        .min(BACKOFF_CAP_MS);
    let unit = if unit.is_finite() {
        unit.clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((ceiling as f64) * unit) as u64
}

/// Why the server refused one event. The code is what travels in JSON and keys the device's
/// translated "needs attention" message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RejectReason {
    /// Not an event at all: missing or mistyped fields.
    Malformed,
    /// An event whose payload breaks the shared validation rules.
    Invalid,
    /// Another, different event already filed this case.
    AlreadyFiled,
    /// A step for a case the server has never seen filed.
    NotFiled,
    /// A step the case's workflow does not allow now.
    Refused,
    /// The same event id was stored earlier with different content.
    Conflict,
    /// This device may not record this kind of event, or not for this store.
    Forbidden,
    /// The server refused the whole push for this one event (a 4xx answer).
    Unprocessable,
}

impl RejectReason {
    /// Every reason.
    pub const ALL: [RejectReason; 8] = [
        RejectReason::Malformed,
        RejectReason::Invalid,
        RejectReason::AlreadyFiled,
        RejectReason::NotFiled,
        RejectReason::Refused,
        RejectReason::Conflict,
        RejectReason::Forbidden,
        RejectReason::Unprocessable,
    ];

    /// The snake_case code used in JSON and as translation key.
    pub fn code(self) -> &'static str {
        match self {
            RejectReason::Malformed => "malformed",
            RejectReason::Invalid => "invalid",
            RejectReason::AlreadyFiled => "already_filed",
            RejectReason::NotFiled => "not_filed",
            RejectReason::Refused => "refused",
            RejectReason::Conflict => "conflict",
            RejectReason::Forbidden => "forbidden",
            RejectReason::Unprocessable => "unprocessable",
        }
    }

    /// Reads a code; an unknown code (a newer server) is [`RejectReason::Unprocessable`].
    pub fn from_code(code: &str) -> RejectReason {
        RejectReason::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .unwrap_or(RejectReason::Unprocessable)
    }
}

/// What the server said about one event of a push.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Receipt {
    /// Stored now.
    Stored,
    /// Stored before: this push was a replay.
    Duplicate,
    /// Refused, for this reason.
    Rejected(RejectReason),
}

impl Receipt {
    /// The status code in JSON (`stored`, `duplicate`, `rejected`).
    pub fn status(self) -> &'static str {
        match self {
            Receipt::Stored => "stored",
            Receipt::Duplicate => "duplicate",
            Receipt::Rejected(_) => "rejected",
        }
    }

    /// Reads a status and, for a rejection, its reason code; `None` for an unknown status.
    pub fn from_status(status: &str, reason: Option<&str>) -> Option<Receipt> {
        match status {
            "stored" => Some(Receipt::Stored),
            "duplicate" => Some(Receipt::Duplicate),
            "rejected" => Some(Receipt::Rejected(RejectReason::from_code(
                reason.unwrap_or_default(),
            ))),
            _ => None,
        }
    }

    /// Whether the event may leave the outbox: the server has it.
    pub fn confirmed(self) -> bool {
        matches!(self, Receipt::Stored | Receipt::Duplicate)
    }
}

/// What a push's HTTP outcome means for the batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushOutcome {
    /// The server answered with a receipt per event: read them.
    Receipts,
    /// Nothing is known to have been stored; try the same events again after the usual
    /// backoff, or after `after_ms` when the server said when.
    Retry {
        /// The server's `Retry-After`, in milliseconds, capped.
        after_ms: Option<u64>,
    },
    /// The server refused the push as a whole: send the first half alone to find the
    /// event it objects to.
    Split,
    /// The server refused a push of this single event: it needs attention.
    Reject,
}

/// Reads a push's HTTP status. `None` is a push that got no HTTP answer (no network, a
/// timeout, a dropped connection). `batch_len` is how many events were sent.
///
/// 400, 413 and 422 are the server refusing what was sent; any other status (a 5xx, a 429,
/// but also a 404 or 401 from a misconfigured proxy) says nothing about the events, so they
/// are kept and tried again rather than marked as refused.
pub fn classify_push(
    status: Option<u16>,
    retry_after_secs: Option<u64>,
    batch_len: usize,
) -> PushOutcome {
    match status {
        Some(200) => PushOutcome::Receipts,
        Some(400 | 413 | 422) if batch_len > 1 => PushOutcome::Split,
        Some(400 | 413 | 422) => PushOutcome::Reject,
        Some(429 | 503) => PushOutcome::Retry {
            after_ms: retry_after_secs.map(|s| s.saturating_mul(1_000).min(RETRY_AFTER_CAP_MS)),
        },
        _ => PushOutcome::Retry { after_ms: None },
    }
}

/// How many of the next events (their JSON sizes in bytes, oldest first) go into one push:
/// at most [`MAX_BATCH_EVENTS`] and [`MAX_BATCH_BYTES`], and at least one, so an event
/// bigger than the byte limit is still sent alone (and refused by the server if it is too big
/// for it, which then marks it as needing attention rather than blocking the queue).
pub fn batch_len(sizes: impl IntoIterator<Item = usize>, max_events: usize) -> usize {
    let mut bytes = 0usize;
    let mut n = 0usize;
    for size in sizes {
        if n >= max_events.clamp(1, MAX_BATCH_EVENTS) {
            break;
        }
        bytes = bytes.saturating_add(size);
        if n > 0 && bytes > MAX_BATCH_BYTES {
            break;
        }
        n += 1;
    }
    n
}

/// Where one event stands in a device's outbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Not yet confirmed by the server: it will be sent.
    Pending,
    /// The server has it.
    Sent,
    /// The server refused it: kept, shown as needing attention, not sent again by itself.
    Rejected(RejectReason),
}

/// The device's outbox: every event it knows and whether the server has it, with the pending
/// ones in the order they go out (oldest first, then by id, so every device and every tab
/// agrees).
///
/// Both lists are sorted vectors kept in order by bisection, rather than B-trees or sorting: a
/// device holds a few thousand events at most, where this is fast enough (5,000 loaded in
/// random order move about 150 MB in memory: tens of milliseconds), and its code is a fraction
/// of a B-tree's or a sort's in the customer's download.
#[derive(Clone, Debug, Default)]
pub struct Outbox {
    /// Every event by id: when it happened, and its mark.
    marks: Vec<(EventId, Timestamp, Mark)>,
    /// The pending events in sending order.
    pending: Vec<(Timestamp, EventId)>,
}

impl Outbox {
    fn find(&self, id: EventId) -> Result<usize, usize> {
        self.marks.binary_search_by_key(&id, |(i, _, _)| *i)
    }

    fn set_pending(&mut self, at: Timestamp, id: EventId, pending: bool) {
        match (self.pending.binary_search(&(at, id)), pending) {
            (Err(i), true) => self.pending.insert(i, (at, id)),
            (Ok(i), false) => {
                self.pending.remove(i);
            }
            _ => {}
        }
    }

    /// Starts tracking an event, or learns a newer mark for it (another tab sent it). A mark
    /// never goes back: an event known as sent or refused does not become pending again,
    /// except through [`Outbox::retry_rejected`].
    pub fn track(&mut self, id: EventId, at: Timestamp, mark: Mark) {
        match self.find(id) {
            Ok(i) => {
                let old = self.marks[i].2;
                if old == Mark::Sent || (matches!(old, Mark::Rejected(_)) && mark == Mark::Pending)
                {
                    return;
                }
                self.marks[i].2 = mark;
            }
            Err(i) => self.marks.insert(i, (id, at, mark)),
        }
        self.set_pending(at, id, mark == Mark::Pending);
    }

    /// Records what the server said about a sent event; returns its new mark, or `None` for
    /// an event this outbox does not know.
    pub fn settle(&mut self, id: EventId, receipt: Receipt) -> Option<Mark> {
        let i = self.find(id).ok()?;
        let mark = match receipt {
            Receipt::Stored | Receipt::Duplicate => Mark::Sent,
            Receipt::Rejected(reason) => Mark::Rejected(reason),
        };
        let at = self.marks[i].1;
        self.marks[i].2 = mark;
        self.set_pending(at, id, false);
        Some(mark)
    }

    /// Puts every refused event back in the queue, when a person asks for another try (for
    /// example after the store was set up on the server).
    pub fn retry_rejected(&mut self) -> usize {
        let mut again = Vec::new();
        for (id, at, mark) in &mut self.marks {
            if matches!(mark, Mark::Rejected(_)) {
                *mark = Mark::Pending;
                again.push((*at, *id));
            }
        }
        for (at, id) in &again {
            self.set_pending(*at, *id, true);
        }
        again.len()
    }

    /// The pending events in sending order.
    pub fn pending(&self) -> impl Iterator<Item = EventId> + '_ {
        self.pending.iter().map(|(_, id)| *id)
    }

    /// How many events wait to be sent.
    pub fn pending_count(&self) -> usize {
        self.pending.len()
    }

    /// An event's mark.
    pub fn mark(&self, id: EventId) -> Option<Mark> {
        self.find(id).ok().map(|i| self.marks[i].2)
    }

    /// The refused events and why, by id.
    pub fn rejected(&self) -> impl Iterator<Item = (EventId, RejectReason)> + '_ {
        self.marks.iter().filter_map(|(id, _, m)| match m {
            Mark::Rejected(r) => Some((*id, *r)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> EventId {
        EventId(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn the_outbox_sends_oldest_first_and_keeps_what_is_not_confirmed() {
        let mut o = Outbox::default();
        o.track(id(3), Timestamp(300), Mark::Pending);
        o.track(id(1), Timestamp(100), Mark::Pending);
        o.track(id(2), Timestamp(100), Mark::Pending);
        o.track(id(9), Timestamp(50), Mark::Sent);
        assert_eq!(o.pending().collect::<Vec<_>>(), [id(1), id(2), id(3)]);
        assert_eq!(o.settle(id(2), Receipt::Duplicate), Some(Mark::Sent));
        assert_eq!(
            o.settle(id(1), Receipt::Rejected(RejectReason::Invalid)),
            Some(Mark::Rejected(RejectReason::Invalid))
        );
        assert_eq!(o.pending().collect::<Vec<_>>(), [id(3)]);
        assert_eq!(o.pending_count(), 1);
        assert_eq!(
            o.rejected().collect::<Vec<_>>(),
            [(id(1), RejectReason::Invalid)]
        );
        assert_eq!(o.settle(id(42), Receipt::Stored), None);
    }

    #[test]
    fn a_sent_or_refused_event_never_becomes_pending_again_by_itself() {
        let mut o = Outbox::default();
        o.track(id(1), Timestamp(1), Mark::Pending);
        o.settle(id(1), Receipt::Stored);
        o.track(id(1), Timestamp(1), Mark::Pending);
        assert_eq!(o.mark(id(1)), Some(Mark::Sent));
        o.track(id(2), Timestamp(2), Mark::Rejected(RejectReason::Conflict));
        o.track(id(2), Timestamp(2), Mark::Pending);
        assert_eq!(o.pending_count(), 0);
        // Another tab learning that the server has it wins over a refusal.
        o.track(id(2), Timestamp(2), Mark::Sent);
        assert_eq!(o.mark(id(2)), Some(Mark::Sent));
    }

    #[test]
    fn a_person_can_put_refused_events_back_in_the_queue() {
        let mut o = Outbox::default();
        o.track(id(1), Timestamp(1), Mark::Rejected(RejectReason::Forbidden));
        o.track(id(2), Timestamp(2), Mark::Sent);
        assert_eq!(o.retry_rejected(), 1);
        assert_eq!(o.pending().collect::<Vec<_>>(), [id(1)]);
        assert_eq!(o.rejected().count(), 0);
    }

    #[test]
    fn backoff_grows_exponentially_to_the_cap_with_full_jitter() {
        assert_eq!(backoff_ms(0, 0.0), 0);
        assert_eq!(backoff_ms(0, 0.5), 500);
        assert_eq!(backoff_ms(1, 0.5), 1_000);
        assert_eq!(backoff_ms(3, 0.999_999), 7_999);
        // 2^9 s = 512 s is past the 300 s cap.
        assert_eq!(backoff_ms(9, 0.5), 150_000);
        assert_eq!(backoff_ms(u32::MAX, 0.999_999_9), 299_999);
    }

    #[test]
    fn backoff_clamps_a_broken_random_source() {
        assert_eq!(backoff_ms(2, -3.0), 0);
        assert_eq!(backoff_ms(2, 7.0), 4_000);
        assert_eq!(backoff_ms(2, f64::NAN), 0);
    }

    #[test]
    fn reasons_round_trip_through_their_codes_and_unknown_codes_still_need_attention() {
        for r in RejectReason::ALL {
            assert_eq!(RejectReason::from_code(r.code()), r);
        }
        assert_eq!(
            RejectReason::from_code("from_a_newer_server"),
            RejectReason::Unprocessable
        );
    }

    #[test]
    fn receipts_confirm_only_what_the_server_has() {
        assert_eq!(Receipt::from_status("stored", None), Some(Receipt::Stored));
        assert_eq!(
            Receipt::from_status("rejected", Some("invalid")),
            Some(Receipt::Rejected(RejectReason::Invalid))
        );
        assert_eq!(Receipt::from_status("maybe", None), None);
        assert!(Receipt::Stored.confirmed());
        assert!(Receipt::Duplicate.confirmed());
        assert!(!Receipt::Rejected(RejectReason::Conflict).confirmed());
    }

    #[test]
    fn refusals_split_the_batch_down_to_the_one_event_that_needs_attention() {
        assert_eq!(classify_push(Some(200), None, 5), PushOutcome::Receipts);
        assert_eq!(classify_push(Some(413), None, 8), PushOutcome::Split);
        assert_eq!(classify_push(Some(400), None, 2), PushOutcome::Split);
        assert_eq!(classify_push(Some(422), None, 1), PushOutcome::Reject);
    }

    #[test]
    fn transient_failures_are_retried_and_retry_after_is_honoured_within_a_cap() {
        let plain = PushOutcome::Retry { after_ms: None };
        assert_eq!(classify_push(None, None, 3), plain);
        assert_eq!(classify_push(Some(500), None, 1), plain);
        assert_eq!(classify_push(Some(404), None, 1), plain);
        assert_eq!(classify_push(Some(401), Some(9), 1), plain);
        assert_eq!(
            classify_push(Some(429), Some(7), 1),
            PushOutcome::Retry {
                after_ms: Some(7_000)
            }
        );
        assert_eq!(
            classify_push(Some(503), Some(86_400), 1),
            PushOutcome::Retry {
                after_ms: Some(RETRY_AFTER_CAP_MS)
            }
        );
        assert_eq!(classify_push(Some(429), None, 1), plain);
    }

    #[test]
    fn batches_respect_the_count_and_byte_limits_but_always_take_one() {
        assert_eq!(batch_len([10; 500], MAX_BATCH_EVENTS), MAX_BATCH_EVENTS);
        assert_eq!(batch_len([10; 5], MAX_BATCH_EVENTS), 5);
        assert_eq!(batch_len([10; 5], 2), 2);
        assert_eq!(batch_len([10; 5], 0), 1);
        assert_eq!(batch_len([MAX_BATCH_BYTES / 2 + 1; 4], MAX_BATCH_EVENTS), 1);
        assert_eq!(batch_len([MAX_BATCH_BYTES * 3, 10], MAX_BATCH_EVENTS), 1);
        assert_eq!(batch_len(std::iter::empty(), MAX_BATCH_EVENTS), 0);
    }
}
