//! Close: the root cause of a resolved case (its kind, the sub-cause, what else contributed,
//! the departments and people involved, and an explanation) for the insights' Pareto and
//! fishbone. The cause comes suggested from what the store found for complaints of the same
//! kind (`cause_for`), and the explanation from the cause's kind, in the staff member's words
//! and language, so a close that fits is one tap; choosing another kind brings its words unless
//! the text was changed. Departments and people are ticked from the store's lists (the names
//! its closed cases used, and its staff); a typed name the list has takes the list's spelling,
//! so the counts stay clean, and a new one joins the list.

use super::{clean, missing};
use crate::shared::i18n::{I18n, fill};
use crate::shared::labels::{Names, Pick, dynamic, tr};
use crate::staff::drafts;
use leptos::prelude::*;
use recovery_core::{
    CaseId, Cause, CauseCategory, CauseGuess, EventKind, FACTORS_MAX, Factor, Lists, StaffMember,
    as_listed, same_name,
};

/// The most names of a list offered to tick (the most used).
const LIST_SHOWN: usize = 12;

/// Splits "Checkout, Stock room" into trimmed, non-empty names.
fn names(s: &str) -> Vec<String> {
    s.split(',').map(clean).filter(|n| !n.is_empty()).collect()
}

/// `text` with `name` added when it is not there, removed when it is.
fn toggled(text: &str, name: &str) -> String {
    let mut list = names(text);
    let before = list.len();
    list.retain(|n| !same_name(n, name));
    if list.len() == before {
        list.push(name.to_owned());
    }
    list.join(", ")
}

/// The contributing factors as their draft keeps them: one per line, "kind<TAB>words".
fn factor_rows(text: &str) -> Vec<Row> {
    text.lines()
        .filter_map(|line| {
            let (key, words) = line.split_once('\t').unwrap_or((line, ""));
            let c = CauseCategory::ALL.into_iter().find(|c| c.key() == key)?;
            Some((c, words.to_owned()))
        })
        .take(FACTORS_MAX)
        .collect()
}

/// A contributing factor as the form edits it: its kind and words.
type Row = (CauseCategory, String);

/// Changes the factors kept in the draft `text` with `change`: every edit of the rows (a kind,
/// words, a row added or removed) goes through here.
fn edit_rows(text: &mut String, change: impl FnOnce(&mut Vec<Row>)) {
    let mut rows = factor_rows(text);
    change(&mut rows);
    *text = factor_text(&rows);
}

/// The draft text of `rows` (see [`factor_rows`]).
fn factor_text(rows: &[Row]) -> String {
    rows.iter()
        .map(|(c, words)| [c.key(), "\t", &words.replace(['\t', '\n', '\r'], " ")].concat())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A fieldset of names to tick, writing into `text` (comma-separated); none when the list is
/// empty.
fn ticks(
    i18n: I18n,
    id: &'static str,
    legend: Pick,
    list: Vec<String>,
    text: RwSignal<String>,
) -> Option<impl IntoView + use<>> {
    (!list.is_empty()).then(|| {
        let boxes = list
            .into_iter()
            .take(LIST_SHOWN)
            .enumerate()
            .map(|(n, name)| {
                let box_id = format!("{id}-{n}");
                let label_for = box_id.clone();
                let shown = name.clone();
                let has = name.clone();
                view! {
                    <label class="srk-choice" for=label_for>
                        <input id=box_id type="checkbox"
                            prop:checked=move || names(&text.get()).iter().any(|n| same_name(n, &has))
                            on:change=move |_| text.update(|t| *t = toggled(t, &name)) />
                        <span>{shown}</span>
                    </label>
                }
            })
            .collect_view();
        view! {
            <fieldset id=id class="srk-choices">
                <legend>{tr(i18n, legend)}</legend>
                {boxes}
            </fieldset>
        }
    })
}

/// The rows of contributing factors and the button that adds one.
fn factors_editor(
    i18n: I18n,
    main: RwSignal<CauseCategory>,
    factors: RwSignal<String>,
) -> impl IntoView + use<> {
    let count = Memo::new(move |_| factors.with(|t| factor_rows(t).len()));
    let row = move |i: usize| {
        let n = (i + 1).to_string();
        let (kind_id, words_id) = (format!("srk-factor-kind-{n}"), format!("srk-factor-{n}"));
        let current = move || factors.with(|t| factor_rows(t).get(i).cloned());
        let options = CauseCategory::ALL
            .into_iter()
            .map(|c| {
                view! {
                    <option value=c.key() prop:selected=move || current().is_some_and(|r| r.0 == c)>
                        {move || i18n.get_locale().staff().cause.name(c)}
                    </option>
                }
            })
            .collect_view();
        let (n1, n2, n3) = (n.clone(), n.clone(), n);
        let label = move |text: fn(&'static crate::shared::i18n::StaffTexts) -> &'static str,
                          n: String| {
            dynamic(move || fill(text(i18n.get_locale().staff()), &[("n", &n)]))
        };
        view! {
            <div class="srk-factor">
                <label for=kind_id.clone()>{label(|t| t.factor_kind, n1)}</label>
                <select id=kind_id class="srk-input" on:change=move |ev| {
                    let key = event_target_value(&ev);
                    if let Some(c) = CauseCategory::ALL.into_iter().find(|c| c.key() == key) {
                        factors.update(|t| edit_rows(t, |rows| {
                            if let Some(row) = rows.get_mut(i) {
                                row.0 = c;
                            }
                        }));
                    }
                }>{options}</select>
                <label for=words_id.clone()>{label(|t| t.factor_words, n2)}</label>
                <input id=words_id class="srk-input" maxlength="120" autocomplete="off"
                    prop:value=move || current().map(|r| r.1).unwrap_or_default()
                    on:input=move |ev| {
                        let words = event_target_value(&ev);
                        factors.update(|t| edit_rows(t, |rows| {
                            if let Some(row) = rows.get_mut(i) {
                                row.1 = words;
                            }
                        }));
                    } />
                <button class="srk-button srk-button--quiet" type="button" on:click=move |_| {
                    factors.update(|t| edit_rows(t, |rows| {
                        if i < rows.len() {
                            rows.remove(i);
                        }
                    }));
                }>{label(|t| t.factor_remove, n3)}</button>
            </div>
        }
    };
    let add = move |_| {
        factors.update(|t| {
            edit_rows(t, |rows| {
                // The first kind that is neither the main cause nor a factor yet.
                let unused = CauseCategory::ALL
                    .into_iter()
                    .find(|c| *c != main.get_untracked() && rows.iter().all(|r| r.0 != *c));
                if rows.len() < FACTORS_MAX {
                    rows.push((unused.unwrap_or(CauseCategory::People), String::new()));
                }
            })
        });
    };
    view! {
        <fieldset id="srk-factors" class="srk-factors">
            <legend>{tr(i18n, |l| l.staff().factors_title)}</legend>
            <p>{tr(i18n, |l| l.staff().factors_hint)}</p>
            <For each=move || 0..count.get() key=|i| *i children=row />
            <Show when=move || { count.get() < FACTORS_MAX }>
                <button id="srk-factor-add" class="srk-button srk-button--quiet" type="button" on:click=add>
                    {tr(i18n, |l| l.staff().factor_add)}
                </button>
            </Show>
        </fieldset>
    }
}

/// The form that closes a resolved case with its root cause.
pub(super) fn close_form(
    i18n: I18n,
    member: StaffMember,
    case: CaseId,
    guess: CauseGuess,
    lists: Lists,
    record: Callback<EventKind>,
) -> impl IntoView + use<> {
    let words = move |c: CauseCategory| i18n.get_locale().staff().explain.name(c).to_owned();
    let category = RwSignal::new(guess.category);
    let sub_cause = drafts::text(&member, case, "sub_cause", guess.sub_cause);
    let departments = drafts::text(&member, case, "departments", String::new());
    let people = drafts::text(&member, case, "people", String::new());
    let factors = drafts::text(&member, case, "factors", String::new());
    let explanation = drafts::text(&member, case, "explanation", words(guess.category));
    let error = RwSignal::new(None::<String>);
    let Lists {
        departments: known_departments,
        people: known_people,
    } = lists;
    let (department_list, people_list) = (known_departments.clone(), known_people.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (sub, text) = (
            clean(&sub_cause.get_untracked()),
            clean(&explanation.get_untracked()),
        );
        if sub.is_empty() {
            error.set(Some(missing(i18n, |t| t.sub_cause_label)));
            return;
        }
        if text.is_empty() {
            error.set(Some(missing(i18n, |t| t.explanation_label)));
            return;
        }
        error.set(None);
        let factors = factors.with_untracked(|t| factor_rows(t));
        record.run(EventKind::Closed {
            by: member.actor(),
            cause: Cause {
                category: category.get_untracked(),
                sub_cause: sub,
                departments: as_listed(&names(&departments.get_untracked()), &known_departments),
                people: as_listed(&names(&people.get_untracked()), &known_people),
                explanation: text,
                factors: factors
                    .into_iter()
                    .map(|(category, words)| Factor {
                        category,
                        sub_cause: clean(&words),
                    })
                    .collect(),
            },
        });
    };
    let options = CauseCategory::ALL
        .into_iter()
        .map(|c| {
            view! {
                <option value=c.key() prop:selected=move || category.get() == c>
                    {move || i18n.get_locale().staff().cause.name(c)}
                </option>
            }
        })
        .collect_view();
    let pick = move |ev| {
        let key = event_target_value(&ev);
        if let Some(c) = CauseCategory::ALL.into_iter().find(|c| c.key() == key) {
            // The suggested words follow the kind, until someone writes their own.
            if explanation.get_untracked() == words(category.get_untracked()) {
                explanation.set(words(c));
            }
            category.set(c);
        }
    };
    view! {
        <form id="srk-close-form" class="srk-step" on:submit=submit novalidate>
            <h2>{tr(i18n, |l| l.staff().close_title)}</h2>
            <label for="srk-cause-category">{tr(i18n, |l| l.staff().cause_label)}</label>
            <select id="srk-cause-category" class="srk-input" on:change=pick>{options}</select>
            <label for="srk-sub-cause">{tr(i18n, |l| l.staff().sub_cause_label)}</label>
            <input id="srk-sub-cause" class="srk-input" maxlength="120" autocomplete="off" bind:value=sub_cause />
            {factors_editor(i18n, category, factors)}
            {ticks(i18n, "srk-department-list", |l| l.staff().departments_list, department_list, departments)}
            <label for="srk-departments">{tr(i18n, |l| l.staff().departments_label)}</label>
            <input id="srk-departments" class="srk-input" autocomplete="off" bind:value=departments />
            {ticks(i18n, "srk-people-list", |l| l.staff().people_list, people_list, people)}
            <label for="srk-people">{tr(i18n, |l| l.staff().people_label)}</label>
            <input id="srk-people" class="srk-input" autocomplete="off" bind:value=people />
            <label for="srk-explanation">{tr(i18n, |l| l.staff().explanation_label)}</label>
            <textarea id="srk-explanation" class="srk-input" rows="3" maxlength="2000" bind:value=explanation></textarea>
            <p class="srk-error" role="alert">{move || error.get()}</p>
            <button class="srk-button" type="submit">{tr(i18n, |l| l.staff().close_button)}</button>
        </form>
    }
}
