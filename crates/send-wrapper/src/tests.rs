use super::SendWrapper;
use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::thread;

/// A value that is not `Send` and counts its drops.
struct Counted(Rc<Cell<u32>>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn the_owning_thread_reaches_takes_and_drops_the_value() {
    let drops = Rc::new(Cell::new(0));
    let mut wrapped = SendWrapper::new(vec![1, 2]);
    assert!(wrapped.valid());
    wrapped.push(3);
    assert_eq!(*wrapped, [1, 2, 3]);
    assert_eq!(wrapped.clone().take(), [1, 2, 3]);
    assert_eq!(format!("{wrapped:?}"), "SendWrapper([1, 2, 3])");

    let counted = SendWrapper::new(Counted(Rc::clone(&drops)));
    let taken = counted.take();
    assert_eq!(
        drops.get(),
        0,
        "taking moves the value out without dropping it"
    );
    drop(taken);
    assert_eq!(drops.get(), 1);
    drop(SendWrapper::new(Counted(Rc::clone(&drops))));
    assert_eq!(drops.get(), 2, "the wrapper drops its value once");
}

#[test]
fn another_thread_may_hold_the_wrapper_but_never_reach_the_value() {
    let wrapped = SendWrapper::new(Rc::new(7));
    let back = thread::spawn(move || {
        assert!(!wrapped.valid());
        assert_eq!(
            format!("{wrapped:?}"),
            "SendWrapper(<another thread's value>)"
        );
        wrapped
    })
    .join()
    .expect("holding and moving the wrapper is allowed");
    assert!(back.valid(), "home again, the owner reaches it");
    assert_eq!(**back, 7);

    let wrapped = SendWrapper::new(Rc::new(7));
    let reached = thread::spawn(move || {
        let value = **wrapped;
        std::mem::forget(wrapped);
        value
    });
    assert!(
        reached.join().is_err(),
        "reaching the value elsewhere panics"
    );

    let wrapped = SendWrapper::new(Rc::new(7));
    let taken = thread::spawn(move || drop(wrapped.take()));
    assert!(taken.join().is_err(), "taking the value elsewhere panics");
}

#[test]
fn dropping_on_another_thread_panics_and_never_runs_the_values_drop() {
    let drops = Rc::new(Cell::new(0));
    let wrapped = SendWrapper::new(Counted(Rc::clone(&drops)));
    let dropped = thread::spawn(move || drop(wrapped));
    assert!(dropped.join().is_err());
    assert_eq!(
        drops.get(),
        0,
        "the value is leaked, not dropped on the wrong thread"
    );
}

#[test]
fn a_wrapped_future_is_polled_on_its_own_thread_only() {
    let mut cx = Context::from_waker(Waker::noop());
    let value = Rc::new(5);
    let mut ready = pin!(SendWrapper::new(async move { *value + 1 }));
    assert_eq!(ready.as_mut().poll(&mut cx), Poll::Ready(6));

    let elsewhere = SendWrapper::new(async { Rc::new(1) });
    let polled = thread::spawn(move || {
        let mut elsewhere = pin!(elsewhere);
        let _ = elsewhere
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()));
    });
    assert!(polled.join().is_err());
}

#[cfg(feature = "futures")]
#[test]
fn a_wrapped_stream_yields_its_items_on_its_own_thread() {
    use futures_core::Stream;

    /// Counts down from its value, then ends; not `Send`.
    struct Countdown(Rc<Cell<u32>>);
    impl Stream for Countdown {
        type Item = u32;
        fn poll_next(self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<u32>> {
            let left = self.0.get();
            self.0.set(left.saturating_sub(1));
            Poll::Ready((left > 0).then_some(left))
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            let left = self.0.get() as usize;
            (left, Some(left))
        }
    }

    let mut cx = Context::from_waker(Waker::noop());
    let mut stream = pin!(SendWrapper::new(Countdown(Rc::new(Cell::new(2)))));
    assert_eq!(stream.size_hint(), (2, Some(2)));
    assert_eq!(stream.as_mut().poll_next(&mut cx), Poll::Ready(Some(2)));
    assert_eq!(stream.as_mut().poll_next(&mut cx), Poll::Ready(Some(1)));
    assert_eq!(stream.as_mut().poll_next(&mut cx), Poll::Ready(None));
}
