//! The cause-and-effect (fishbone) diagram.

use super::{HEIGHT, WIDTH, num, wrap};
use leptos::prelude::*;

/// One bone of the fishbone as drawn: the kind of cause with its count, and its largest
/// sub-causes.
pub struct BoneView {
    /// The kind of cause, with its count.
    pub label: String,
    /// Its largest sub-causes, with counts.
    pub subs: Vec<String>,
}

/// A cause-and-effect (fishbone) diagram: a spine to the effect at the head, the kinds of
/// cause as bones above and below, their largest sub-causes written along them.
pub fn fishbone(bones: &[BoneView], effect: &str) -> AnyView {
    let spine_y = HEIGHT / 2.0;
    let head_x = WIDTH - 120.0;
    let per_side = bones.len().div_ceil(2).max(1);
    let gap = (head_x - 40.0) / per_side as f64;
    let drawn = bones
        .iter()
        .enumerate()
        .map(|(i, bone)| {
            let above = i % 2 == 0;
            let slot = (i / 2) as f64;
            let end_x = 40.0 + gap * (slot + 1.0) - 10.0;
            let start_x = end_x - 70.0;
            let start_y = if above { 34.0 } else { HEIGHT - 34.0 };
            let label_y = if above { 22.0 } else { HEIGHT - 14.0 };
            let subs = bone
                .subs
                .iter()
                .take(3)
                .enumerate()
                .map(|(k, sub)| {
                    let along = (k as f64 + 1.0) / 4.0;
                    let y = start_y + (spine_y - start_y) * along;
                    let x = num(start_x + (end_x - start_x) * along + 4.0);
                    // Two short lines rather than one cut one; the table has the whole text.
                    let lines = wrap(sub, 22, 2);
                    let first_dy = if lines.len() > 1 { "-2" } else { "3" };
                    let spans = lines
                        .into_iter()
                        .enumerate()
                        .map(|(l, line)| {
                            let dy = if l == 0 { first_dy } else { "9" };
                            view! { <tspan x=x.clone() dy=dy>{line}</tspan> }
                        })
                        .collect_view();
                    view! { <text class="srk-chart__small" x=x.clone() y=num(y)>{spans}</text> }
                })
                .collect_view();
            view! {
                <line class="srk-chart__bone" x1=num(start_x) y1=num(start_y) x2=num(end_x) y2=num(spine_y) />
                <text class="srk-chart__label srk-chart__label--strong" x=num(start_x) y=num(label_y) text-anchor="middle">
                    {bone.label.clone()}
                </text>
                {subs}
            }
        })
        .collect_view();
    view! {
        <g>
            <line class="srk-chart__spine" x1="20" y1=num(spine_y) x2=num(head_x) y2=num(spine_y) />
            <rect class="srk-chart__head" x=num(head_x) y=num(spine_y - 22.0) width="110" height="44" rx="6" />
            <text class="srk-chart__label srk-chart__label--strong" x=num(head_x + 55.0) y=num(spine_y + 5.0) text-anchor="middle">
                {effect.to_owned()}
            </text>
            {drawn}
        </g>
    }
    .into_any()
}
