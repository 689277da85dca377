//! The cause-and-effect (fishbone) diagram of the closed cases' root causes.

use crate::shared::i18n::{Locale, fill, plural};
use crate::shared::labels::Names;
use crate::staff::charts::{BoneView, Table, figure, fishbone};
use leptos::prelude::*;
use recovery_core::insights::Insights;

/// The fishbone's figure.
pub(super) fn section(lang: Locale, r: &Insights) -> AnyView {
    let t = &lang.staff().insights;
    let staff_t = lang.staff();
    let bones: Vec<BoneView> = r
        .fishbone
        .iter()
        .map(|b| BoneView {
            label: if b.contributing > 0 {
                fill(
                    t.fishbone_contributing,
                    &[
                        ("cause", &staff_t.cause.name(b.category)),
                        ("count", &b.count),
                        ("contributing", &b.contributing),
                    ],
                )
            } else {
                format!("{} ({})", staff_t.cause.name(b.category), b.count)
            },
            subs: b
                .sub_causes
                .iter()
                .map(|s| format!("{} ({})", s.key, s.count))
                .collect(),
        })
        .collect();
    let top_bone = r.fishbone.iter().max_by_key(|b| b.count);
    let fish_summary = match top_bone {
        Some(b) if b.count > 0 => fill(
            plural(b.count as usize, t.fishbone_summary_one, t.fishbone_summary),
            &[
                ("cause", &staff_t.cause.name(b.category)),
                ("count", &b.count),
            ],
        ),
        _ => t.empty.to_owned(),
    };
    let fish_rows = r
        .fishbone
        .iter()
        .flat_map(|b| {
            let name = staff_t.cause.name(b.category);
            let mut rows: Vec<Vec<String>> = b
                .sub_causes
                .iter()
                .map(|s| vec![name.to_owned(), s.key.clone(), s.count.to_string()])
                .collect();
            if rows.is_empty() {
                rows.push(vec![name.to_owned(), t.none.to_owned(), "0".into()]);
            }
            rows
        })
        .collect();
    figure(
        "fishbone",
        t.fishbone_title.to_owned(),
        fish_summary,
        fishbone(&bones, t.fishbone_effect),
        Table {
            caption: t.fishbone_title.to_owned(),
            head: vec![
                t.col_cause.to_owned(),
                t.col_sub_cause.to_owned(),
                t.col_count.to_owned(),
            ],
            rows: fish_rows,
        },
        t.show_table,
    )
}
