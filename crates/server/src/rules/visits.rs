//! A store's visits by day, as its manager or administrators tell them (a door counter or the
//! till): read with every report of the store, so the comparison can give complaints per 1,000
//! visits and a report draws a p-chart when every day of its period is told.

use recovery_core::api::admin::{ChangeKind, DayVisits, Visits};
use recovery_core::{Slug, Timestamp};

use super::chains::{Signed, record};
use super::setup::{Refusal, Verdict, in_reach, may_run};
use crate::store::Access;

/// The visits told for `store`, for whoever sees it.
pub fn list(db: &mut dyn Access, signed: &Signed, store: &Slug) -> Verdict<Visits> {
    if !in_reach(db, signed, store)? {
        return Ok(Err(Refusal::NotFound));
    }
    let days = db
        .visits(store.as_str())?
        .into_iter()
        .map(|(date, n)| DayVisits {
            date,
            visits: u32::try_from(n).unwrap_or(u32::MAX),
        })
        .collect();
    Ok(Ok(Visits { days }))
}

/// Sets `store`'s visits on the days given (its chain administrators and its manager): from a
/// door counter or the till, for complaints per 1,000 visits.
pub fn put_visits(
    db: &mut dyn Access,
    signed: &Signed,
    store: &Slug,
    told: Visits,
    now: Timestamp,
) -> Verdict<Visits> {
    if let Some(refusal) = may_run(db, signed, store)? {
        return Ok(Err(refusal));
    }
    if let Err(e) = told.check() {
        return Ok(Err(Refusal::Invalid(e)));
    }
    let days: Vec<(String, i64)> = told
        .days
        .iter()
        .map(|d| (d.date.clone(), i64::from(d.visits)))
        .collect();
    db.put_visits(store.as_str(), &days)?;
    let mut dates: Vec<&str> = told.days.iter().map(|d| d.date.as_str()).collect();
    dates.sort_unstable();
    if let (Some(first), Some(last)) = (dates.first(), dates.last()) {
        let span = if first == last {
            (*first).to_owned()
        } else {
            format!("{first} – {last}")
        };
        let by = signed.by();
        let what = ChangeKind::VisitsRecorded;
        record(
            db,
            &signed.chain.slug,
            Some(store),
            &by,
            what,
            store.as_str(),
            &[&span],
            now,
        )?;
    }
    list(db, signed, store)
}
