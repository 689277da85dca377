//! `GET /api/v1/chains/{chain}/compare`: the chain's stores the asker sees, side by side (the
//! core's `Comparison`), for the period `from`..`to` (dates, on each store's clock unless `tz`
//! says otherwise), with repeat failures found across every store of the chain. Each store's
//! figures come from its kept case facts, as its own insights report does.

use std::time::Instant;

use axum::Json;
use axum::extract::{Path, State};
use recovery_core::insights::{ChainRepeats, Comparison, marker_shifts, store_figures};
use recovery_core::{Slug, Timestamp};

use super::admin::signed;
use super::error::{ApiError, OrInternal};
use super::extract::{AdminCaller, Params};
use super::reports::fresh_facts;
use super::state::AppState;
use crate::rules::insights::{self, RawParams};
use crate::rules::markers;
use crate::store::{Mode, now_ms};

/// `GET .../compare`.
pub async fn compare(
    State(state): State<AppState>,
    AdminCaller(holder): AdminCaller,
    Path(chain): Path<String>,
    Params(raw): Params<RawParams>,
) -> Result<Json<Comparison>, ApiError> {
    let params = insights::params(&raw).map_err(ApiError::BadRequest)?;
    if params.touchpoint.is_some() || params.staff.is_some() || params.shift.is_some() {
        return Err(ApiError::BadRequest(
            "a comparison of stores takes from, to and tz only".into(),
        ));
    }
    let signed = signed(&state, holder, &chain).await?;
    let started = Instant::now();
    let markers = {
        let chain = signed.chain.slug.clone();
        state
            .db
            .transaction(Mode::Read, move |db| markers::chain_list(db, &chain))
            .await
            .or_internal("reading a chain's markers failed")?
    };
    let stores = {
        let chain = signed.chain.slug.clone();
        state
            .db
            .transaction(Mode::Read, move |db| {
                let mut out = Vec::new();
                for slug in db.chain_stores(chain.as_str())? {
                    if let (Ok(store), Some(row)) = (Slug::parse(&slug), db.store(&slug)?) {
                        out.push((store, row.name, row.currency));
                    }
                }
                Ok(out)
            })
            .await
            .or_internal("reading a chain's stores failed")?
    };
    let now = now_ms();
    let (mut briefs, mut shown) = (Vec::new(), Vec::new());
    // Every store of the chain is read (its repeats count across all of them); only the ones
    // the asker sees are shown.
    for (store, name, currency) in stores {
        let mut kept = fresh_facts(&state, &store).await?;
        briefs.extend_from_slice(insights::briefs(&kept));
        if signed.reach.sees(&store) {
            let report = insights::report(&mut kept, &store, &params, now);
            let period = insights::period(&kept, &store, &params, now);
            let shifts = marker_shifts(&markers, &insights::filings(&kept), Timestamp(now));
            shown.push((store.clone(), name, currency, report, period, shifts));
        }
        state.facts.keep(store, kept);
    }
    // The chain's repeats once; each store shown counts its own in its period.
    let repeats = ChainRepeats::of(&briefs);
    let stores = shown
        .into_iter()
        .map(|(store, name, currency, report, (from, to), shifts)| {
            let counts = repeats.count(&store, from, to);
            let mut figures = store_figures(store, name, currency, &report, counts);
            figures.shifts = shifts;
            figures
        })
        .collect();
    tracing::info!(chain = %signed.chain.slug, ms = started.elapsed().as_millis() as u64, "comparison");
    Ok(Json(Comparison {
        now: Timestamp(now),
        stores,
        markers,
    }))
}
