//! The ticket itself: its code, store, complaint, timeline, how it was put right and why it
//! happened, then the rating.

use super::page::{Page, Stale};
use super::rating::Rating;
use super::tt;
use crate::shared::i18n::{TicketTexts, fill, use_i18n};
use crate::shared::labels::{self, dynamic};
use crate::shared::platform::clock;
use leptos::prelude::*;
use recovery_core::{Remedy, Status};

/// The translated name of a timeline step.
fn step_name(t: &'static TicketTexts, step: &str) -> &'static str {
    let s = &t.step;
    match step {
        "filed" => s.filed,
        "acknowledged" => s.acknowledged,
        "noted" => s.noted,
        "escalated" => s.escalated,
        "resolved" => s.resolved,
        "rated" => s.rated,
        "followed_up" => s.followed_up,
        "closed" => s.closed,
        _ => s.other,
    }
}

fn status_name(t: &'static TicketTexts, status: Status) -> &'static str {
    let s = &t.status;
    match status {
        Status::Filed => s.filed,
        Status::Acknowledged => s.acknowledged,
        Status::Understood => s.understood,
        Status::Resolved => s.resolved,
        Status::Closed => s.closed,
        Status::Reopened => s.reopened,
    }
}

fn remedy_name(t: &'static TicketTexts, remedy: Remedy) -> &'static str {
    let r = &t.remedy;
    match remedy {
        Remedy::Refund => r.refund,
        Remedy::Replacement => r.replacement,
        Remedy::Discount => r.discount,
        Remedy::Voucher => r.voucher,
        Remedy::ApologyOnly => r.apology_only,
        Remedy::Other => r.other,
    }
}

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
                let place = crate::customer::route::humanize(&v.touchpoint);
                let steps = v
                    .timeline
                    .iter()
                    .map(|s| {
                        view! {
                            <li data-step=s.step.clone()>
                                <strong>{step_name(t, &s.step)}</strong>
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
                            <p id="srk-tk-remedy"><strong>{remedy_name(t, r.remedy)}</strong></p>
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
                        <dd id="srk-tk-status">{status_name(t, v.status)}</dd>
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
            <h1 id="srk-tk-title">{tt(i18n, |t| t.title)}</h1>
            <p>{tt(i18n, |t| t.intro)}</p>
            <p id="srk-tk-stale" class="srk-alert" hidden=move || page.stale.with(Option::is_none)>{stale}</p>
            <p>{labels::tr(i18n, |l| l.texts().ticket_label)}</p>
            <p class="srk-ticket" id="srk-tk-code">{code}</p>
            {details}
        </section>
        <Rating />
    }
}
