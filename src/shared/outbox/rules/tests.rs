use super::*;

fn answer(status: u16, retry_after_secs: Option<u64>, receipts: usize) -> Reply {
    Reply::Answer {
        status,
        retry_after_secs,
        receipts,
    }
}

#[test]
fn an_answer_with_receipts_settles_and_forgets_earlier_failures() {
    let mut b = Backoff::default();
    assert!(matches!(
        b.after(Reply::Unreachable, 3, 0.5),
        Next::Wait { .. }
    ));
    assert_eq!(b.after(answer(200, None, 3), 3, 0.5), Next::Settle);
    assert_eq!(b, Backoff::default());
}

#[test]
fn an_answer_that_says_nothing_about_the_events_sent_is_tried_again_as_a_bad_answer() {
    // A 200 whose body is not ours, or only speaks of other events (or of none we know).
    let mut b = Backoff::default();
    assert_eq!(
        b.after(answer(200, None, 0), 1, 0.5),
        Next::Wait {
            ms: 500,
            problem: Problem::BadAnswer
        }
    );
}

#[test]
fn a_refused_batch_is_halved_until_the_one_refused_event_is_marked() {
    let mut b = Backoff::default();
    assert_eq!(b.after(answer(422, None, 0), 200, 0.5), Next::Split);
    assert_eq!(b.limit(), 100);
    assert_eq!(b.after(answer(400, None, 0), 3, 0.5), Next::Split);
    assert_eq!(b.limit(), 1);
    assert_eq!(
        b.after(answer(413, None, 0), 1, 0.5),
        Next::Refuse(RejectReason::Unprocessable)
    );
    // The others go out in full batches again.
    assert_eq!(b.limit(), MAX_BATCH_EVENTS);
}

#[test]
fn failures_back_off_with_full_jitter_and_honour_retry_after() {
    let mut b = Backoff::default();
    let waits: Vec<Next> = (0..3).map(|_| b.after(Reply::Timeout, 1, 0.5)).collect();
    assert_eq!(
        waits,
        [500, 1_000, 2_000].map(|ms| Next::Wait {
            ms,
            problem: Problem::Timeout
        })
    );
    assert_eq!(
        b.after(answer(429, Some(7), 0), 1, 0.5),
        Next::Wait {
            ms: 7_000,
            problem: Problem::Busy
        }
    );
    // A wait is never zero, so a broken random source cannot spin the loop.
    assert_eq!(
        b.after(answer(500, None, 0), 1, 0.0),
        Next::Wait {
            ms: 1,
            problem: Problem::Server
        }
    );
    b.reset();
    assert_eq!(
        b.after(Reply::Unreachable, 1, 0.5),
        Next::Wait {
            ms: 500,
            problem: Problem::Offline
        }
    );
}

#[test]
fn problems_name_why_a_push_is_tried_again() {
    assert_eq!(problem(Reply::Timeout), Problem::Timeout);
    assert_eq!(problem(Reply::Unreachable), Problem::Offline);
    assert_eq!(problem(answer(503, Some(1), 0)), Problem::Busy);
    assert_eq!(problem(answer(200, None, 0)), Problem::BadAnswer);
    assert_eq!(problem(answer(404, None, 0)), Problem::Server);
}

#[test]
fn a_long_wait_for_a_server_out_of_reach_is_probed_within_seconds_with_jitter() {
    // Out of reach, or answering 5xx through a proxy: probe in 2 to 5 s.
    for problem in [Problem::Offline, Problem::Timeout, Problem::Server] {
        assert_eq!(probe_in(problem, false, 300_000, 0.0), Some(2_000));
        assert_eq!(probe_in(problem, false, 300_000, 0.5), Some(3_500));
        assert_eq!(probe_in(problem, false, 300_000, 0.999), Some(4_997));
    }
    // A wait shorter than the probe needs none.
    assert_eq!(probe_in(Problem::Offline, false, 1_500, 0.5), None);
    assert_eq!(probe_in(Problem::Offline, false, 3_500, 0.5), None);
    // Never over a wait the server asked for, nor at a busy or strange server.
    assert_eq!(probe_in(Problem::Server, true, 300_000, 0.5), None);
    assert_eq!(probe_in(Problem::Busy, false, 300_000, 0.5), None);
    assert_eq!(probe_in(Problem::BadAnswer, false, 300_000, 0.5), None);
}
