//! A screen drawn in slices, one per frame, so that a slow phone never sits behind one long
//! task while the page starts: the top of the screen shows first and answers touches while
//! the rest follows a frame at a time (each slice's DOM, style and layout stay short).
//!
//! Every `Later` joins one queue with its `step`; after each painted frame the waiting slice
//! with the lowest step (the earliest made among equals) draws its children. A slice whose
//! screen went away before its turn is skipped. Steps follow the page from top to bottom, so
//! content drawn later only ever goes below what is there and nothing moves. (Creation order
//! alone would not do: a component's reactive parts are built after its siblings are made.)

use crate::shared::platform::env;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::tachys::view::{Mountable, Render};
use std::cell::{Cell, RefCell};

/// Draws a slice into its place, or says that its screen has gone.
type Draw = Box<dyn FnOnce() -> bool>;

thread_local! {
    static WAITING: RefCell<Vec<(u8, Draw)>> = const { RefCell::new(Vec::new()) };
    static PUMPING: Cell<bool> = const { Cell::new(false) };
}

/// Draws its children one frame after the slices of lower steps (and earlier ones of its own),
/// inside a `div` that takes no box of its own (`display: contents`), so the page lays out as
/// if they were drawn with it.
#[component]
pub fn Later<C: IntoView + 'static>(
    /// Where the slice lies on its page, counted from the top.
    step: u8,
    children: TypedChildrenFn<C>,
) -> impl IntoView {
    let children = children.into_inner();
    let host = NodeRef::<Div>::new();
    // The children's effects belong to the screen the slice is part of.
    let owner = Owner::current().unwrap_or_default();
    // The drawn slice lives as long as the screen it is part of.
    let kept = StoredValue::new_local(None);
    let draw: Draw = Box::new(move || {
        let Some(el) = host.try_get_untracked().flatten() else {
            return false;
        };
        let view = owner.with(|| children());
        // A screen rebuilt in place (a kiosk's reset) keeps this `div`, with the slice drawn
        // before in it: that one goes.
        el.set_inner_html("");
        let mut state = view.build();
        state.mount(&el, None);
        kept.try_set_value(Some(state)).is_none()
    });
    WAITING.with(|w| w.borrow_mut().push((step, draw)));
    if !PUMPING.replace(true) {
        env::after_paint(next);
    }
    view! { <div class="srk-later" node_ref=host></div> }
}

/// Draws the next slice still on screen, then waits for the frame after it.
fn next() {
    loop {
        let Some(draw) = WAITING.with(|w| {
            let mut w = w.borrow_mut();
            // The first of the lowest step: `min_by_key` keeps the first of equal keys.
            let at = w.iter().enumerate().min_by_key(|(_, (step, _))| *step)?.0;
            Some(w.remove(at).1)
        }) else {
            PUMPING.set(false);
            return;
        };
        if draw() {
            env::after_paint(next);
            return;
        }
    }
}
