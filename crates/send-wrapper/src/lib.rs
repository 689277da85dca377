//! The `send_wrapper` API that Leptos uses (0.6, with its `futures` feature), written for this
//! workspace and put in place of the published crate by `[patch.crates-io]` in the root
//! `Cargo.toml`: a value that is not `Send` may be moved between threads in a [`SendWrapper`],
//! but only the thread that wrapped it may reach it or drop it.
//!
//! Why our own: to check the thread, the published crate asks `std::thread::current()`, which
//! on WebAssembly allocates the thread's handle with the standard library's own allocator; that
//! alone linked a second allocator (dlmalloc, beside talc) into every app, about 2 KB of the
//! customer's first load (bench/size-budget). WebAssembly without the `atomics` feature has a
//! single thread, so there the check is always true and this crate stores and asks nothing.
//! Everywhere else (the native tests) it checks as the published crate does: reaching or
//! dropping the value from another thread panics.

use std::fmt;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::task::{Context, Poll};

/// The thread that wrapped a value, where there can be more than one.
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
type Owner = std::thread::ThreadId;
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
type Owner = ();

fn this_thread() -> Owner {
    #[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
    return std::thread::current().id();
    #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
    ()
}

/// A value that only the thread that wrapped it may reach or drop, which may itself be sent
/// to and shared with other threads.
pub struct SendWrapper<T> {
    value: ManuallyDrop<T>,
    owner: Owner,
}

// SAFETY: the value is reached only through `Deref`, `DerefMut`, `take`, `poll` and `Drop`,
// each of which checks first that it runs on the owning thread (and panics otherwise, or, in
// a drop during a panic, leaks the value): no other thread ever touches it.
unsafe impl<T> Send for SendWrapper<T> {}
// SAFETY: as for `Send`: a shared reference on another thread cannot reach the value either.
unsafe impl<T> Sync for SendWrapper<T> {}

impl<T> SendWrapper<T> {
    /// Wraps `value`, owned by the calling thread.
    pub fn new(value: T) -> SendWrapper<T> {
        SendWrapper {
            value: ManuallyDrop::new(value),
            owner: this_thread(),
        }
    }

    /// Whether the calling thread may reach the value (the one that wrapped it).
    #[allow(clippy::unit_cmp)] // On a single-threaded target the owner is `()`: always true.
    pub fn valid(&self) -> bool {
        self.owner == this_thread()
    }

    /// The value, unwrapped.
    ///
    /// # Panics
    /// On any thread but the one that wrapped it.
    pub fn take(self) -> T {
        self.check("take the value");
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped or used again, so the value is moved out only once.
        unsafe { ManuallyDrop::take(&mut this.value) }
    }

    fn check(&self, what: &str) {
        if !self.valid() {
            panic!("SendWrapper: cannot {what} from a thread other than the one that wrapped it");
        }
    }
}

impl<T> Deref for SendWrapper<T> {
    type Target = T;

    /// # Panics
    /// On any thread but the one that wrapped it.
    fn deref(&self) -> &T {
        self.check("reach the value");
        &self.value
    }
}

impl<T> DerefMut for SendWrapper<T> {
    /// # Panics
    /// On any thread but the one that wrapped it.
    fn deref_mut(&mut self) -> &mut T {
        self.check("reach the value");
        &mut self.value
    }
}

impl<T> Drop for SendWrapper<T> {
    /// Drops the value on its own thread. On another, it panics, unless that thread is already
    /// panicking: then the value is leaked (dropping it would be unsound, panicking again
    /// would abort).
    fn drop(&mut self) {
        if !std::mem::needs_drop::<T>() || self.valid() {
            // SAFETY: dropped only here, once, on the owning thread.
            unsafe { ManuallyDrop::drop(&mut self.value) }
        } else if !std::thread::panicking() {
            panic!(
                "SendWrapper: cannot drop the value on a thread other than the one that wrapped it"
            );
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for SendWrapper<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.valid() {
            f.debug_tuple("SendWrapper").field(&*self.value).finish()
        } else {
            f.write_str("SendWrapper(<another thread's value>)")
        }
    }
}

impl<T: Clone> Clone for SendWrapper<T> {
    /// # Panics
    /// On any thread but the one that wrapped it.
    fn clone(&self) -> Self {
        SendWrapper::new((**self).clone())
    }
}

impl<F: Future> Future for SendWrapper<F> {
    type Output = F::Output;

    /// # Panics
    /// On any thread but the one that wrapped it.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.check("poll the future");
        // SAFETY: a pinned wrapper never moves its value (`take` needs the wrapper itself, which
        // a pin gives only for an `Unpin` value), so the value stays pinned in place.
        unsafe { self.map_unchecked_mut(|w| &mut *w.value) }.poll(cx)
    }
}

#[cfg(feature = "futures")]
impl<S: futures_core::Stream> futures_core::Stream for SendWrapper<S> {
    type Item = S::Item;

    /// # Panics
    /// On any thread but the one that wrapped it.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        self.check("poll the stream");
        // SAFETY: as for `Future::poll`.
        unsafe { self.map_unchecked_mut(|w| &mut *w.value) }.poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (**self).size_hint()
    }
}

#[cfg(test)]
mod tests;
