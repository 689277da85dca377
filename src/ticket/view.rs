//! The ticket itself: its code, store, complaint, timeline, how it was put right and why it
//! happened, then the rating.

use super::page::{Page, Stale};
use super::rating::Rating;
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::{self, Names, dynamic, tr};
use crate::shared::platform::clock;
use leptos::prelude::*;

/// The ticket itself: code, store, complaint, timeline, resolution, explanation, rating.
#[component]
pub(crate) fn Ticket() -> impl IntoView {
    let i18n = use_i18n();
    let page = expect_context::<Page>();
    let code = page.link.with_value(|l| l.ticket().to_string());
    let stale = dynamic(move || {
        let lang = i18n.get_locale();
        match page.stale.get() {
            Some((seen, why)) => fill(
                match why {
                    Stale::Offline => lang.ticket().offline_seen,
                    Stale::BadAnswer => lang.ticket().bad_answer_seen,
                },
                &[(
                    "time",
                    &clock::format(seen, lang.as_str(), clock::Style::DateTime),
                )],
            ),
            None => String::new(),
        }
    });
    let details = move || {
        page.view.with(|v| {
            v.as_ref().map(|v| {
                let lang = i18n.get_locale();
                let t = lang.ticket();
                let when = |at| clock::format(at, lang.as_str(), clock::Style::DateTime);
                let store = v.store_name.clone().unwrap_or_else(|| v.store.to_string());
                let place = v.place.clone().unwrap_or_else(|| v.touchpoint.as_words());
                let steps = v
                    .timeline
                    .iter()
                    .map(|s| {
                        view! {
                            <li data-step=s.step.clone()>
                                <strong>{t.step.name(s.step.as_str())}</strong>
                                " · "
                                <span class="srk-note">{when(s.at)}</span>
                            </li>
                        }
                    })
                    .collect_view();
                let resolution = v.resolution.as_ref().map(|r| {
                    let value = (r.value_minor > 0).then(|| {
                        let amount = clock::money(r.value_minor, v.currency.as_deref(), lang.as_str());
                        view! { <p id="srk-tk-value">{fill(t.value, &[("amount", &amount)])}</p> }
                    });
                    let gesture = (!r.gesture.is_empty()).then(|| {
                        view! { <p id="srk-tk-gesture">{fill(t.gesture, &[("gesture", &r.gesture)])}</p> }
                    });
                    let follow_up = v.follow_up_at.map(|at| {
                        view! { <p class="srk-note">{fill(t.follow_up, &[("time", &when(at))])}</p> }
                    });
                    view! {
                        <section class="srk-card" aria-labelledby="srk-tk-resolution-title">
                            <h2 id="srk-tk-resolution-title">{t.resolution_title}</h2>
                            <p id="srk-tk-remedy"><strong>{t.remedy.name(r.remedy)}</strong></p>
                            {value}
                            {gesture}
                            {follow_up}
                        </section>
                    }
                });
                let explanation = v.explanation.clone().map(|text| {
                    view! {
                        <section class="srk-card" aria-labelledby="srk-tk-explanation-title">
                            <h2 id="srk-tk-explanation-title">{t.explanation_title}</h2>
                            <p id="srk-tk-explanation" class="srk-pre-line">{text}</p>
                        </section>
                    }
                });
                view! {
                    <dl>
                        <dt>{t.status_label}</dt>
                        <dd id="srk-tk-status">{t.status.name(v.status)}</dd>
                        <dt>{t.store_label}</dt>
                        <dd id="srk-tk-store">{store}</dd>
                        <dt>{t.place_label}</dt>
                        <dd id="srk-tk-place">{place}</dd>
                        <dt>{t.filed_label}</dt>
                        <dd>{when(v.filed_at)}</dd>
                    </dl>
                    <section aria-labelledby="srk-tk-complaint-title">
                        <h2 id="srk-tk-complaint-title">{t.complaint_title}</h2>
                        <p id="srk-tk-category"><strong>{labels::category(i18n, v.complaint.category)}</strong></p>
                        <p id="srk-tk-description" class="srk-pre-line">{v.complaint.description.clone()}</p>
                    </section>
                    <section aria-labelledby="srk-tk-timeline-title">
                        <h2 id="srk-tk-timeline-title">{t.timeline_title}</h2>
                        <ol id="srk-tk-timeline" class="srk-mine">{steps}</ol>
                    </section>
                    {resolution}
                    {explanation}
                }
            })
        })
    };
    view! {
        <section class="srk-card" aria-labelledby="srk-tk-title">
            <h1 id="srk-tk-title">{tr(i18n, |l| l.ticket().title)}</h1>
            <p>{tr(i18n, |l| l.ticket().intro)}</p>
            <p id="srk-tk-stale" class="srk-alert" hidden=move || page.stale.with(Option::is_none)>{stale}</p>
            <p>{labels::tr(i18n, |l| l.texts().ticket_label)}</p>
            <p class="srk-ticket" id="srk-tk-code">{code}</p>
            {details}
        </section>
        <super::held::Held />
        <Rating />
        <super::stop::Stop />
    }
}
