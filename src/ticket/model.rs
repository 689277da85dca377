//! The ticket page's rules, free of the browser: reading the link, the server's view of the
//! case and what the phone keeps, and making the rating event (the push's answer is the outbox
//! client's to read: `shared::outbox`).
//!
//! Everything here is plain data in and out, so it is tested natively. Nothing read from the
//! address, the server or storage can make it panic: anything unexpected is `None` or a
//! typed outcome that the page puts into words.

use recovery_core::{
    CaseId, DeviceId, Event, EventId, EventKind, Mark, Origin, Problem, Status, TicketCode,
    Timestamp,
};

/// Prefix of every key the ticket page keeps in `localStorage` (never `srk1:ev:`, which the
/// complaint page owns).
pub const KEY_PREFIX: &str = "srk1:tk:";
/// Shortest and longest secret the server accepts (base64url characters).
pub const SECRET_MIN: usize = 16;
/// See [`SECRET_MIN`].
pub const SECRET_MAX: usize = 128;

/// What the ticket link carries after `#`: `<case uuid>.<secret>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The case.
    pub case: CaseId,
    /// The customer's ticket secret.
    pub secret: String,
}

impl Link {
    /// Reads the fragment (without its `#`); `None` when it is missing or garbled.
    pub fn parse(fragment: &str) -> Option<Link> {
        let (case, secret) = fragment.trim().split_once('.')?;
        let case = recovery_core::parse_uuid(case)?;
        let sane = (SECRET_MIN..=SECRET_MAX).contains(&secret.len())
            && secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        sane.then(|| Link {
            case: CaseId(case),
            secret: secret.to_owned(),
        })
    }

    /// The case's ticket code.
    pub fn ticket(&self) -> TicketCode {
        TicketCode::from_case(self.case)
    }

    /// Where the server answers with the customer's view of the case.
    pub fn url(&self) -> String {
        recovery_core::api::ticket_url(self.ticket().as_str())
    }

    /// The key of the last view this phone saw.
    pub fn view_key(&self) -> String {
        [KEY_PREFIX, "view:", &self.case.to_string()].concat()
    }

    /// The key the customer's latest step of `slot` made on this phone is kept under.
    pub fn step_key(&self, slot: Slot) -> String {
        [KEY_PREFIX, slot.name(), ":", &self.case.to_string()].concat()
    }
}

/// The customer's steps this page makes, each kept on the phone apart (the latest of each):
/// the rating of the fix, the answer to "did the fix hold?", and "stop messages".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A `rated` event.
    Rating,
    /// An `answered` event.
    Answer,
    /// A `consent_withdrawn` event.
    Stop,
}

impl Slot {
    /// Every slot, in the order they are sent.
    pub const ALL: [Slot; 3] = [Slot::Rating, Slot::Answer, Slot::Stop];

    /// Its name in storage keys.
    pub fn name(self) -> &'static str {
        match self {
            Slot::Rating => "rating",
            Slot::Answer => "answer",
            Slot::Stop => "stop",
        }
    }

    /// Whether `kind` is this slot's.
    pub fn holds(self, kind: &EventKind) -> bool {
        matches!(
            (self, kind),
            (Slot::Rating, EventKind::Rated { .. })
                | (Slot::Answer, EventKind::Answered { .. })
                | (Slot::Stop, EventKind::ConsentWithdrawn {})
        )
    }
}

/// The server's answer to `GET /api/v1/tickets/{code}`, defined once in the core's API types
/// (`json` reads it through the browser; fields a newer server adds are ignored).
pub use recovery_core::api::{TicketRating, TicketResolution, TicketStep, TicketView};

/// What fetching the view gave.
#[derive(Clone, Debug, PartialEq)]
pub enum Fetched {
    /// The view.
    View(Box<TicketView>),
    /// 404: an unknown ticket or a wrong secret (alike by design).
    NotFound,
    /// An answer that is not a view of this ticket.
    BadAnswer,
    /// No answer, a timeout or a server error.
    NoAnswer,
}

/// Judges the answer to the view request: its status (`None`: no answer at all) and, read
/// only for a 200, the view in its body (`None`: not a view).
pub fn judge_view(
    link: &Link,
    status: Option<u16>,
    read: impl FnOnce() -> Option<TicketView>,
) -> Fetched {
    match status {
        Some(200) => match read() {
            Some(view) if view.ticket == link.ticket().as_str() => Fetched::View(Box::new(view)),
            _ => Fetched::BadAnswer,
        },
        Some(404) => Fetched::NotFound,
        _ => Fetched::NoAnswer,
    }
}

/// The stored text of a view this phone saw at `seen_at`: `{"v":1,"seen_at":…,"view":…}`
/// (`body` is the server's answer, already read as a view, so valid JSON).
pub fn keep_view(body: &str, seen_at: Timestamp) -> String {
    [
        "{\"v\":1,\"seen_at\":",
        &seen_at.0.to_string(),
        ",\"view\":",
        body.trim(),
        "}",
    ]
    .concat()
}

/// The customer's latest step of a [`Slot`] made on this phone, kept under [`Link::step_key`]
/// (see `json` for its text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptStep {
    /// The `rated` or `answered` event.
    pub event: Event,
    /// Where it stands on its way to the server.
    pub sync: Mark,
}

impl KeptStep {
    /// A new step, not yet sent.
    pub fn pending(event: Event) -> KeptStep {
        KeptStep {
            event,
            sync: Mark::Pending,
        }
    }

    /// The stars and comment.
    pub fn rating(&self) -> Option<(u8, &str)> {
        match &self.event.kind {
            EventKind::Rated { stars, comment } => Some((*stars, comment)),
            _ => None,
        }
    }

    /// Whether it still waits to be sent.
    pub fn is_pending(&self) -> bool {
        self.sync == Mark::Pending
    }
}

/// Whether the rating the durable journal holds should replace the one the working copy kept
/// (a browser killed before writing the working copy out): when there is none, when the
/// journal's is a later rating, or the same one further along (sent or refused).
pub fn journal_wins(kept: Option<&KeptStep>, journaled: &KeptStep) -> bool {
    match kept {
        None => true,
        Some(k) if k.event.id == journaled.event.id => k.is_pending() && !journaled.is_pending(),
        Some(k) => journaled.event.at > k.event.at,
    }
}

/// The rating to show in the form: the one made on this phone when the view does not have it
/// yet (it is newer than the view's latest step) and the server has not refused it, else the
/// server's. A closed case shows the server's only: nothing can change it any more.
pub fn current_rating(view: &TicketView, kept: Option<&KeptStep>) -> Option<(u8, String)> {
    let kept =
        kept.filter(|k| !matches!(k.sync, Mark::Rejected(_)) && view.status != Status::Closed);
    match kept.and_then(|k| Some((k.event.at, k.rating()?))) {
        Some((at, (stars, comment))) if at > view.last_at() => Some((stars, comment.to_owned())),
        _ => view.rating.as_ref().map(|r| (r.stars, r.comment.clone())),
    }
}

/// The `rated` event for what the customer chose: stamped after the case's latest step and
/// after the rating it replaces (so the fold puts it last), at the store and touchpoint of
/// the view. The comment is normalised; no stars or a bad comment is the problem.
pub fn new_rating(
    link: &Link,
    view: &TicketView,
    replaces: Option<&KeptStep>,
    stars: u8,
    comment: &str,
    now: Timestamp,
    ids: (EventId, DeviceId),
) -> Result<Event, Problem> {
    let kind = EventKind::rated(stars, comment)?;
    Ok(customer_step(link, view, replaces, kind, now, ids))
}

/// The `answered` event for the customer's answer to "did the fix hold?" (`None`: not chosen
/// yet, the problem), stamped like [`new_rating`]'s.
pub fn new_answer(
    link: &Link,
    view: &TicketView,
    held: Option<bool>,
    comment: &str,
    now: Timestamp,
    ids: (EventId, DeviceId),
) -> Result<Event, Problem> {
    let kind = EventKind::answered(held.ok_or(Problem::Required)?, comment)?;
    Ok(customer_step(link, view, None, kind, now, ids))
}

/// The `consent_withdrawn` event of "stop messages", stamped like [`new_rating`]'s.
pub fn new_stop(link: &Link, view: &TicketView, now: Timestamp, ids: (EventId, DeviceId)) -> Event {
    customer_step(link, view, None, EventKind::ConsentWithdrawn {}, now, ids)
}

/// Whether the page offers "stop messages": the customer gave a contact and agreed to be
/// contacted, as far as the view knows, and no stop from this phone is on its way or taken.
pub fn offers_stop(view: &TicketView, stop: Option<&KeptStep>) -> bool {
    let stopped = stop.is_some_and(|s| !matches!(s.sync, Mark::Rejected(_)));
    view.complaint.may_contact() && !stopped
}

/// Whether the page asks "did the fix hold?": the store's follow-up time has come on a
/// resolved or closed case, and no answer from this phone is on its way or was taken since
/// the view's latest step.
pub fn asks_if_held(view: &TicketView, answer: Option<&KeptStep>, now: Timestamp) -> bool {
    let due = view.follow_up_at.is_some_and(|at| at <= now)
        && matches!(view.status, Status::Resolved | Status::Closed);
    let answered = answer.is_some_and(|a| match a.sync {
        Mark::Pending | Mark::Sent => a.event.at > view.last_at(),
        Mark::Rejected(_) => false,
    });
    due && !answered
}

/// A customer's step on the case: stamped after the case's latest step and after the step it
/// replaces, at the view's store and touchpoint.
fn customer_step(
    link: &Link,
    view: &TicketView,
    replaces: Option<&KeptStep>,
    kind: EventKind,
    now: Timestamp,
    ids: (EventId, DeviceId),
) -> Event {
    let last = replaces.map_or(view.last_at(), |k| k.event.at.max(view.last_at()));
    Event {
        id: ids.0,
        case: link.case,
        at: now.max(Timestamp(last.0.saturating_add(1))),
        origin: Origin {
            store: view.store.clone(),
            touchpoint: view.touchpoint.clone(),
            device: ids.1,
        },
        kind,
        proof: None,
        clock: None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_journal_gives_back_a_lost_or_newer_rating_but_never_an_older_one() {
        let (l, v) = (link(), resolved());
        let first =
            KeptStep::pending(new_rating(&l, &v, None, 3, "ok", Timestamp(10), ids(1)).unwrap());
        let later = KeptStep::pending(
            new_rating(&l, &v, Some(&first), 5, "good", Timestamp(20), ids(2)).unwrap(),
        );
        let sent = KeptStep {
            sync: Mark::Sent,
            ..first.clone()
        };
        assert!(journal_wins(None, &first), "the working copy lost it");
        assert!(journal_wins(Some(&first), &later), "it lost the newer one");
        assert!(!journal_wins(Some(&later), &first), "never an older rating");
        assert!(
            journal_wins(Some(&first), &sent),
            "the journal knows it was sent"
        );
        assert!(!journal_wins(Some(&sent), &first), "never back to pending");
        assert!(!journal_wins(Some(&first), &first), "nothing new");
    }

    use super::*;
    use recovery_core::{Category, RejectReason, Remedy, Slug};
    use uuid::Uuid;

    const CASE: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const SECRET: &str = "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE";

    fn link() -> Link {
        Link::parse(&format!("{CASE}.{SECRET}")).unwrap()
    }

    fn view(steps: &[(&str, i64)]) -> TicketView {
        let filed = recovery_core::testing::filed_event(1, 2, 1000, "Waited 40 minutes");
        let EventKind::Filed { complaint, .. } = filed.kind else {
            unreachable!()
        };
        TicketView {
            ticket: link().ticket().to_string(),
            store: Slug::parse("demo").unwrap(),
            store_name: Some("Demo store".into()),
            currency: Some("EUR".into()),
            status: Status::Resolved,
            filed_at: Timestamp(1000),
            acknowledged_at: Some(Timestamp(2000)),
            resolved_at: Some(Timestamp(3000)),
            closed_at: None,
            follow_up_at: None,
            touchpoint: Slug::parse("checkout-2").unwrap(),
            place: Some("Checkout 2".into()),
            category: complaint.category,
            complaint,
            timeline: steps
                .iter()
                .map(|(step, at)| TicketStep {
                    step: (*step).into(),
                    at: Timestamp(*at),
                })
                .collect(),
            resolution: Some(TicketResolution {
                remedy: Remedy::Voucher,
                value_minor: 1250,
                gesture: "free coffee".into(),
                at: Timestamp(3000),
            }),
            explanation: None,
            rating: Some(TicketRating {
                stars: 3,
                comment: "ok".into(),
            }),
        }
    }

    fn resolved() -> TicketView {
        view(&[("filed", 1000), ("acknowledged", 2000), ("resolved", 3000)])
    }

    #[test]
    fn a_link_is_a_case_uuid_and_a_sane_secret() {
        let l = link();
        assert_eq!(l.case, CaseId(Uuid::parse_str(CASE).unwrap()));
        assert_eq!(l.secret, SECRET);
        assert_eq!(l.url(), format!("/api/v1/tickets/{}", l.ticket()));
        assert_eq!(l.view_key(), format!("srk1:tk:view:{CASE}"));
        assert_eq!(l.step_key(Slot::Rating), format!("srk1:tk:rating:{CASE}"));
        assert_eq!(l.step_key(Slot::Answer), format!("srk1:tk:answer:{CASE}"));
        assert_eq!(l.step_key(Slot::Stop), format!("srk1:tk:stop:{CASE}"));
        for bad in [
            "",
            CASE,
            &format!("{CASE}."),
            &format!("{CASE}.short"),
            &format!("not-a-uuid.{SECRET}"),
            &format!("{CASE}.{SECRET}!"),
            &format!("{CASE}.{}", "a".repeat(SECRET_MAX + 1)),
            &format!("{CASE}.{SECRET}.{SECRET}"),
        ] {
            assert_eq!(Link::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_view_answer_is_judged() {
        let l = link();
        let v = resolved();
        assert_eq!(v.last_at(), Timestamp(3000));
        assert_eq!(v.complaint.category, Category::Billing);
        assert_eq!(
            judge_view(&l, Some(200), || Some(v.clone())),
            Fetched::View(Box::new(v.clone()))
        );
        assert_eq!(judge_view(&l, Some(200), || None), Fetched::BadAnswer);
        let mut other = v.clone();
        other.ticket = "000-000".into();
        assert_eq!(
            judge_view(&l, Some(200), || Some(other)),
            Fetched::BadAnswer
        );
        assert_eq!(
            judge_view(&l, Some(404), || unreachable!()),
            Fetched::NotFound
        );
        assert_eq!(
            judge_view(&l, Some(503), || unreachable!()),
            Fetched::NoAnswer
        );
        assert_eq!(judge_view(&l, None, || unreachable!()), Fetched::NoAnswer);
        assert_eq!(
            keep_view(" {\"a\":1}\n", Timestamp(99)),
            "{\"v\":1,\"seen_at\":99,\"view\":{\"a\":1}}"
        );
    }

    fn ids(n: u128) -> (EventId, DeviceId) {
        (
            EventId(Uuid::from_u128(n)),
            DeviceId(Uuid::from_u128(n + 100)),
        )
    }

    #[test]
    fn a_rating_comes_after_the_latest_step_and_the_rating_it_replaces() {
        let (l, v) = (link(), resolved());
        let e = new_rating(&l, &v, None, 4, " Kind \r\n", Timestamp(10), ids(1)).unwrap();
        assert_eq!(e.at, Timestamp(3001));
        assert_eq!(e.case, l.case);
        assert_eq!(e.origin.store.as_str(), "demo");
        assert_eq!(e.origin.touchpoint.as_str(), "checkout-2");
        assert_eq!(
            e.kind,
            EventKind::Rated {
                stars: 4,
                comment: "Kind".into()
            }
        );
        assert_eq!(e.check(), Ok(()));
        let later = new_rating(&l, &v, None, 4, "", Timestamp(50_000), ids(2)).unwrap();
        assert_eq!(later.at, Timestamp(50_000));
        let kept = KeptStep::pending(later);
        let again = new_rating(&l, &v, Some(&kept), 5, "", Timestamp(40_000), ids(3)).unwrap();
        assert_eq!(again.at, Timestamp(50_001));
        assert_eq!(
            new_rating(&l, &v, None, 0, "", Timestamp(1), ids(4)),
            Err(Problem::Required)
        );
    }

    #[test]
    fn the_form_shows_the_newest_rating() {
        let (l, v) = (link(), resolved());
        assert_eq!(current_rating(&v, None), Some((3, "ok".into())));
        let mine = new_rating(&l, &v, None, 5, "great", Timestamp(1), ids(1)).unwrap();
        let kept = KeptStep::pending(mine);
        assert!(kept.is_pending());
        assert_eq!(current_rating(&v, Some(&kept)), Some((5, "great".into())));
        // A refused rating, or any made here once the case is closed, is not the rating.
        let refused = KeptStep {
            sync: Mark::Rejected(RejectReason::Refused),
            ..kept.clone()
        };
        assert_eq!(current_rating(&v, Some(&refused)), Some((3, "ok".into())));
        let mut closed = v.clone();
        closed.status = Status::Closed;
        assert_eq!(current_rating(&closed, Some(&kept)), Some((3, "ok".into())));
        // Once the view has caught up with a later step, the server's word counts.
        let newer = view(&[("filed", 1000), ("resolved", 3000), ("rated", 9000)]);
        assert_eq!(current_rating(&newer, Some(&kept)), Some((3, "ok".into())));
    }

    #[test]
    fn the_page_asks_whether_the_fix_held_once_the_follow_up_is_due_and_until_answered() {
        let l = link();
        let mut v = resolved();
        assert!(
            !asks_if_held(&v, None, Timestamp(9_000)),
            "no follow-up planned"
        );
        v.follow_up_at = Some(Timestamp(5_000));
        assert!(!asks_if_held(&v, None, Timestamp(4_999)), "not yet");
        assert!(asks_if_held(&v, None, Timestamp(5_000)));
        v.status = Status::Closed;
        assert!(asks_if_held(&v, None, Timestamp(6_000)), "closed cases too");
        v.status = Status::Acknowledged;
        assert!(
            !asks_if_held(&v, None, Timestamp(6_000)),
            "not before a fix"
        );
        v.status = Status::Resolved;

        assert_eq!(
            new_answer(&l, &v, None, "", Timestamp(6_000), ids(3)),
            Err(Problem::Required)
        );
        let e = new_answer(
            &l,
            &v,
            Some(false),
            " Broke again \r\n",
            Timestamp(6_000),
            ids(3),
        )
        .unwrap();
        assert_eq!(
            e.kind,
            EventKind::Answered {
                held: false,
                comment: "Broke again".into()
            }
        );
        assert_eq!((e.at, e.case), (Timestamp(6_000), l.case));
        // On its way or taken: asked no more; refused: asked again.
        let mut kept = KeptStep::pending(e);
        assert!(!asks_if_held(&v, Some(&kept), Timestamp(7_000)));
        kept.sync = Mark::Sent;
        assert!(!asks_if_held(&v, Some(&kept), Timestamp(7_000)));
        kept.sync = Mark::Rejected(RejectReason::Refused);
        assert!(asks_if_held(&v, Some(&kept), Timestamp(7_000)));
        // An answer to an earlier follow-up does not answer a later one.
        kept.sync = Mark::Sent;
        let later = view(&[
            ("filed", 1000),
            ("resolved", 3000),
            ("answered", 6000),
            ("resolved", 8000),
        ]);
        let later = TicketView {
            follow_up_at: Some(Timestamp(9_000)),
            ..later
        };
        assert!(asks_if_held(&later, Some(&kept), Timestamp(9_500)));
    }

    #[test]
    fn stop_messages_is_offered_while_the_customer_may_be_contacted_and_until_taken() {
        let l = link();
        let mut v = resolved();
        assert!(!offers_stop(&v, None), "no contact given");
        v.complaint.contact = Some(recovery_core::Contact::Email("sam@example.com".into()));
        v.complaint.consent_to_contact = true;
        assert!(offers_stop(&v, None));
        let e = new_stop(&l, &v, Timestamp(2_000), ids(4));
        assert_eq!(e.kind, EventKind::ConsentWithdrawn {});
        assert!(Slot::Stop.holds(&e.kind) && !Slot::Rating.holds(&e.kind));
        // Stamped after the case's latest step, whatever the phone's clock says.
        assert_eq!((e.at, e.case), (Timestamp(3_001), l.case));
        let mut kept = KeptStep::pending(e);
        assert!(!offers_stop(&v, Some(&kept)), "on its way");
        kept.sync = Mark::Sent;
        assert!(!offers_stop(&v, Some(&kept)));
        kept.sync = Mark::Rejected(RejectReason::Refused);
        assert!(offers_stop(&v, Some(&kept)), "refused: offered again");
        // Withdrawn elsewhere (another phone, a message's link): nothing to offer.
        v.complaint.consent_to_contact = false;
        assert!(!offers_stop(&v, None));
    }
}
