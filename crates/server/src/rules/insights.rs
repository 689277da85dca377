//! The server side of insights: a store's cases from the read model (`cases`: each case's
//! state as the push that stored its latest event folded it, its events, and what reports
//! read of it), and nothing folded again. First [`refresh`]: each case's brief and digest,
//! small records, kept between reports in a [`FactsCache`] and read again only for the cases
//! written since; from them the core makes the insights report ([`report`]) or decides which
//! cases an export covers ([`selection`]); an export then reads those cases' states a batch at
//! a time ([`read_cases`]) into a ledger of their own for the core's `export_row`. The statistics live in the core, so the app and the server can never differ;
//! this module only reads rows and parameters, and knows nothing of HTTP.

use recovery_core::insights::{
    Filter, Insights, Query, Reports, Selection, day_start, latest_offset_of, parse_date,
};
use std::collections::BTreeMap;

use recovery_core::{CaseId, Ledger, SHIFT_NAME_MAX, ShiftPlan, Slug, Timestamp, text_len};

use super::cases;
use crate::store::{Access, Database, DbError, Mode};

/// Cases' facts read per query.
const LOAD_PAGE: i64 = 5_000;

/// One end of a period, as the query string gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// A store-local date: from its start, or to its end.
    Date(i64),
    /// Unix epoch milliseconds.
    Millis(i64),
}

/// The filters of an insights or export request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    /// Filed from (inclusive).
    pub from: Option<Bound>,
    /// Filed until: a date's whole day, or before a moment.
    pub to: Option<Bound>,
    /// Only this touchpoint.
    pub touchpoint: Option<Slug>,
    /// Only cases filed while this staff member was on shift.
    pub staff: Option<Slug>,
    /// Only cases filed in the hours of the store's planned shift of this name.
    pub shift: Option<String>,
    /// The store's clock, minutes east of UTC.
    pub tz: Option<i16>,
}

/// The filters of an insights or export request as the query string gives
/// them, decoded but unchecked; [`params`] checks them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct RawParams {
    /// `YYYY-MM-DD` or epoch milliseconds.
    pub from: Option<String>,
    /// `YYYY-MM-DD` or epoch milliseconds.
    pub to: Option<String>,
    /// A touchpoint slug.
    pub touchpoint: Option<String>,
    /// A staff slug.
    pub staff: Option<String>,
    /// A shift's name.
    pub shift: Option<String>,
    /// Minutes east of UTC, -840 to 840, with an optional leading plus.
    pub tz: Option<String>,
}

/// Checks `from`, `to` (each `YYYY-MM-DD` or epoch milliseconds),
/// `touchpoint`, `staff` (slugs), `shift` (a shift's name) and `tz` (minutes east of UTC,
/// -840 to 840). The error says what is wrong, for a 400.
pub fn params(raw: &RawParams) -> Result<Params, String> {
    let bound = |key: &str, value: &str| {
        parse_date(value)
            .map(Bound::Date)
            .or_else(|| {
                value
                    .parse()
                    .ok()
                    .filter(|ms: &i64| *ms >= 0)
                    .map(Bound::Millis)
            })
            .ok_or_else(|| {
                format!("{key} must be a date (YYYY-MM-DD) or epoch milliseconds, not '{value}'")
            })
    };
    let slug = |key: &str, value: &str| {
        Slug::parse(value).map_err(|_| format!("{key} must be a slug, not '{value}'"))
    };
    let tz = |value: &str| {
        // A plus written unescaped in a query string decodes as a space.
        let minutes = value
            .strip_prefix('+')
            .or_else(|| value.strip_prefix(' '))
            .unwrap_or(value);
        minutes
            .parse()
            .ok()
            .filter(|tz: &i16| (-840..=840).contains(tz))
            .ok_or_else(|| format!("tz must be minutes east of UTC, -840 to 840, not '{value}'"))
    };
    let shift = |value: &str| {
        let fits = !value.is_empty()
            && text_len(value) <= SHIFT_NAME_MAX
            && !value.chars().any(char::is_control);
        fits.then(|| value.to_owned()).ok_or_else(|| {
            format!("shift must be a shift's name of 1 to {SHIFT_NAME_MAX} characters")
        })
    };
    Ok(Params {
        from: raw.from.as_deref().map(|v| bound("from", v)).transpose()?,
        to: raw.to.as_deref().map(|v| bound("to", v)).transpose()?,
        touchpoint: raw
            .touchpoint
            .as_deref()
            .map(|v| slug("touchpoint", v))
            .transpose()?,
        staff: raw.staff.as_deref().map(|v| slug("staff", v)).transpose()?,
        shift: raw.shift.as_deref().map(shift).transpose()?,
        tz: raw.tz.as_deref().map(tz).transpose()?,
    })
}

/// What the reports keep of a store between requests: its cases' facts as the read model held
/// them up to `cursor` (the seq of the last one read), its contact salt and its shift plan
/// (read again with each refresh: it may change any time).
#[derive(Debug)]
pub struct Kept {
    cursor: i64,
    salt: String,
    shifts: ShiftPlan,
    /// Visits by store-local date, as told.
    visits: BTreeMap<String, u32>,
    reports: Reports,
}

/// Cases whose facts are kept between reports, over every store kept: about 400 bytes each.
const KEPT_CASES: usize = 250_000;

/// The facts of the stores reported on lately, so that a report reads only the cases written
/// since the last one. Every write of a case's facts (a push, an erasure) comes with a seq
/// above the store's earlier ones, so reading after the cursor misses none. The stores used
/// least lately are let go beyond [`KEPT_CASES`] cases.
#[derive(Debug, Default)]
pub struct FactsCache {
    /// Least lately used first.
    stores: std::sync::Mutex<Vec<(Slug, Kept)>>,
}

impl FactsCache {
    /// Takes out what is kept of `store` (a report running meanwhile reads it afresh).
    pub fn take(&self, store: &Slug) -> Option<Kept> {
        let mut stores = self.stores.lock().unwrap_or_else(|e| e.into_inner());
        let at = stores.iter().position(|(s, _)| s == store)?;
        Some(stores.remove(at).1)
    }

    /// Keeps `kept` as the latest used, letting go of the least used beyond the limit.
    pub fn keep(&self, store: Slug, kept: Kept) {
        let mut stores = self.stores.lock().unwrap_or_else(|e| e.into_inner());
        stores.retain(|(s, _)| *s != store);
        stores.push((store, kept));
        let mut total: usize = stores.iter().map(|(_, k)| k.reports.len()).sum();
        while total > KEPT_CASES && stores.len() > 1 {
            total -= stores.remove(0).1.reports.len();
        }
    }
}

/// Reads the facts of the stores with cases into `cache` when the server starts, largest
/// first while they fit, so that a first report after a start finds them; how many cases.
pub async fn warm(db: &Database, cache: &FactsCache) -> Result<usize, DbError> {
    let stores = db
        .transaction(Mode::Read, |db| db.stores_by_cases())
        .await?;
    let mut total = 0;
    for (store, cases) in stores {
        let Ok(store) = Slug::parse(&store) else {
            continue;
        };
        if total + usize::try_from(cases).unwrap_or(usize::MAX) > KEPT_CASES {
            continue;
        }
        let kept = {
            let store = store.clone();
            db.transaction(Mode::Read, move |db| refresh(db, &store, None))
                .await?
        };
        total += kept.reports.len();
        // A report that ran meanwhile kept a later reading: that one stays.
        let kept = cache.take(&store).unwrap_or(kept);
        cache.keep(store, kept);
    }
    Ok(total)
}

/// Brings what is kept of `store` (nothing, the first time) up to its read model: the facts
/// written since, page by page.
pub fn refresh(db: &mut dyn Access, store: &Slug, kept: Option<Kept>) -> Result<Kept, DbError> {
    let mut kept = match kept {
        Some(kept) => kept,
        None => {
            let row = db.store(store.as_str())?;
            let mut kept = Kept {
                cursor: 0,
                salt: row
                    .as_ref()
                    .map(|r| r.contact_salt.clone())
                    .unwrap_or_default(),
                shifts: row.map(|r| r.shift_plan()).unwrap_or_default(),
                visits: visits_of(db, store)?,
                reports: Reports::default(),
            };
            // All of them at once: sorted once, not put in one by one.
            let (mut briefs, mut digests) = (Vec::new(), Vec::new());
            kept.cursor = read_facts(db, store, 0, |facts| {
                briefs.push(facts.brief);
                digests.push(facts.digest);
            })?;
            kept.reports = Reports::from_parts(briefs, digests);
            return Ok(kept);
        }
    };
    if let Some(row) = db.store(store.as_str())? {
        kept.shifts = row.shift_plan();
    }
    kept.visits = visits_of(db, store)?;
    kept.cursor = read_facts(db, store, kept.cursor, |facts| {
        kept.reports.put(facts.brief, facts.digest)
    })?;
    Ok(kept)
}

/// The visits told for `store`, by day.
fn visits_of(db: &mut dyn Access, store: &Slug) -> Result<BTreeMap<String, u32>, DbError> {
    let told = db.visits(store.as_str())?.into_iter();
    Ok(told
        .map(|(day, n)| (day, u32::try_from(n).unwrap_or(u32::MAX)))
        .collect())
}

/// Hands each case's facts of `store` written after `after` to `each`, by seq; the last seq.
fn read_facts(
    db: &mut dyn Access,
    store: &Slug,
    mut after: i64,
    mut each: impl FnMut(cases::Facts),
) -> Result<i64, DbError> {
    loop {
        let page = db.case_facts(store.as_str(), after, LOAD_PAGE)?;
        let full = page.len() as i64 == LOAD_PAGE;
        for (seq, facts) in page {
            after = seq;
            each(
                serde_json::from_str(&facts)
                    .map_err(|err| DbError::Corrupt(format!("case facts {seq}: {err}")))?,
            );
        }
        if !full {
            return Ok(after);
        }
    }
}

/// The query of these parameters at `now`: dates are store-local days on the `tz` clock,
/// which defaults to the offset of the store's latest filing.
fn query(kept: &Kept, store: &Slug, p: &Params, now: i64) -> Query {
    let offset =
        p.tz.unwrap_or_else(|| latest_offset_of(kept.reports.briefs()));
    let moment = |bound: Bound, end: bool| match bound {
        Bound::Date(day) => day_start(if end { day + 1 } else { day }, offset),
        Bound::Millis(ms) => Timestamp(ms),
    };
    let mut query = Query::new(Timestamp(now), offset);
    query.filter = Filter {
        from: p.from.map(|b| moment(b, false)),
        to: p.to.map(|b| moment(b, true)),
        store: Some(store.clone()),
        touchpoint: p.touchpoint.clone(),
        staff: p.staff.clone(),
        shift: p.shift.clone(),
    };
    query.contact_salt = kept.salt.clone();
    query.shifts = kept.shifts.clone();
    query.visits = kept.visits.clone();
    query
}

/// The insights report for these parameters at `now`, from the cases' facts alone.
pub fn report(kept: &mut Kept, store: &Slug, p: &Params, now: i64) -> Insights {
    let query = query(kept, store, p, now);
    kept.reports.insights(&query)
}

/// The moments the period of these parameters starts and ends at (either open), on the
/// store's clock.
pub fn period(
    kept: &Kept,
    store: &Slug,
    p: &Params,
    now: i64,
) -> (Option<Timestamp>, Option<Timestamp>) {
    let query = query(kept, store, p, now);
    (query.filter.from, query.filter.to)
}

/// When, where and about what each of the store's cases was filed, as kept.
pub fn filings(kept: &Kept) -> Vec<(Timestamp, &Slug, recovery_core::Category)> {
    kept.reports.filings()
}

/// The briefs of the store's cases, as kept.
pub fn briefs(kept: &Kept) -> &[recovery_core::insights::Brief] {
    kept.reports.briefs()
}

/// The core's selection for these parameters at `now` over the facts: which cases an export
/// covers.
pub fn selection(kept: &Kept, store: &Slug, p: &Params, now: i64) -> Selection<'static> {
    let query = query(kept, store, p, now);
    let shift = kept.reports.shift(&query);
    Selection::new(query, kept.reports.briefs().to_vec(), shift)
}

/// The second pass, a batch at a time: the kept states of the cases `ids` of `store`, put
/// into a ledger of their own as they are (the server folded each with the same code when
/// it stored its latest event).
pub fn read_cases(db: &mut dyn Access, store: &Slug, ids: &[CaseId]) -> Result<Ledger, DbError> {
    let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut ledger = Ledger::default();
    for body in db.case_states_of(store.as_str(), &ids)? {
        let state = cases::read(&body)?;
        ledger.restore(state.case, state.events);
    }
    Ok(ledger)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The raw filters of `pairs` (already decoded, as the query extractor
    /// gives them).
    fn raw(pairs: &[(&str, &str)]) -> RawParams {
        let mut raw = RawParams::default();
        for (key, value) in pairs {
            let value = Some((*value).to_owned());
            match *key {
                "from" => raw.from = value,
                "to" => raw.to = value,
                "touchpoint" => raw.touchpoint = value,
                "staff" => raw.staff = value,
                "tz" => raw.tz = value,
                _ => {}
            }
        }
        raw
    }

    #[test]
    fn parameters_take_dates_or_milliseconds_slugs_and_an_offset() {
        // `tz=%2B60` decodes to a plus, an unescaped `tz=+60` to a space.
        assert_eq!(params(&raw(&[("tz", "+60")])).unwrap().tz, Some(60));
        let p = params(&raw(&[
            ("from", "2026-03-01"),
            ("to", "1772400000000"),
            ("touchpoint", "checkout-2"),
            ("staff", "ana"),
            ("tz", " 60"),
        ]))
        .unwrap();
        assert_eq!(p.from, Some(Bound::Date(parse_date("2026-03-01").unwrap())));
        assert_eq!(p.to, Some(Bound::Millis(1_772_400_000_000)));
        assert_eq!(p.touchpoint.as_ref().map(Slug::as_str), Some("checkout-2"));
        assert_eq!(p.staff.as_ref().map(Slug::as_str), Some("ana"));
        assert_eq!(p.tz, Some(60));
        assert_eq!(params(&raw(&[("tz", "-600")])).unwrap().tz, Some(-600));
        assert_eq!(params(&raw(&[])).unwrap(), Params::default());
        for (key, value) in [
            ("from", "2026-02-30"),
            ("to", "-5"),
            ("touchpoint", "Front"),
            ("staff", ""),
            ("tz", "900"),
            ("tz", "abc"),
        ] {
            let err = params(&raw(&[(key, value)])).unwrap_err();
            assert!(err.starts_with(key) && err.contains(value), "{err}");
        }
    }

    #[test]
    fn a_to_date_covers_its_whole_day_on_the_stores_clock() {
        let p = params(&raw(&[
            ("from", "2026-03-01"),
            ("to", "2026-03-01"),
            ("tz", "60"),
        ]))
        .unwrap();
        let store = Slug::parse("demo").unwrap();
        let kept = Kept {
            cursor: 0,
            salt: String::new(),
            shifts: ShiftPlan::default(),
            visits: BTreeMap::new(),
            reports: Reports::default(),
        };
        let sel = selection(&kept, &store, &p, 0);
        let q = sel.query();
        // Midnight in +01:00 is 23:00 UTC the day before.
        let day = parse_date("2026-03-01").unwrap();
        assert_eq!(q.filter.from, Some(Timestamp(day * 86_400_000 - 3_600_000)));
        assert_eq!(
            q.filter.to,
            Some(Timestamp((day + 1) * 86_400_000 - 3_600_000))
        );
        assert_eq!(q.utc_offset_minutes, 60);
        assert_eq!(q.filter.store, Some(store));
    }
}
