//! `GET /api/v1/stores/{store}/events?after=&limit=`: a page of the store's
//! events for its staff devices, oldest first (see
//! [`crate::rules::sync::pull`]); and `GET /api/v1/stores/{store}/cases?after=&limit=`:
//! a page of its cases' states, by the seq of their latest event, for a tablet
//! that signs in with nothing (see [`crate::rules::cases::page`]): all of them, or
//! the part a tablet reads first (`part=queue`, the cases in the queue) and then the
//! rest (`part=rest&queue_read_to=`, the `next` of the queue part's last page). Both
//! read the same cursor and limit.

use axum::Json;
use axum::extract::State;
use recovery_core::api::{CasePage, Part, PullPage};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::{ApiError, OrInternal};
use super::extract::{Params, Staff, StorePath};
use super::state::AppState;
use crate::rules::{cases as read_model, sync};
use crate::store::Mode;

/// Events returned by a pull when `limit` is not given.
pub const PULL_DEFAULT_LIMIT: usize = 500;
/// Most events one pull may ask for.
pub const PULL_MAX_LIMIT: usize = 1000;

/// The query string of a pull, decoded but unchecked (see [`pull_params`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PullQuery {
    /// The cursor: the `next` of the previous page.
    pub after: Option<String>,
    /// How many events at most.
    pub limit: Option<String>,
}

/// Reads `after` (default 0, not negative) and `limit` (default
/// [`PULL_DEFAULT_LIMIT`], 1 to [`PULL_MAX_LIMIT`]); the error says what is
/// wrong, for a 400.
pub fn pull_params(query: &PullQuery) -> Result<(i64, usize), String> {
    let after = match query.after.as_deref() {
        None => 0,
        Some(value) => value
            .parse()
            .ok()
            .filter(|after: &i64| *after >= 0)
            .ok_or_else(|| format!("after must be a whole number >= 0, not '{value}'"))?,
    };
    let limit = match query.limit.as_deref() {
        None => PULL_DEFAULT_LIMIT,
        Some(value) => value
            .parse()
            .ok()
            .filter(|limit| (1..=PULL_MAX_LIMIT).contains(limit))
            .ok_or_else(|| {
                format!("limit must be a whole number from 1 to {PULL_MAX_LIMIT}, not '{value}'")
            })?,
    };
    Ok((after, limit))
}

/// The query string of a page of case states, decoded but unchecked (see [`cases_params`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CasesQuery {
    /// The cursor: the `next` of the previous page.
    pub after: Option<String>,
    /// How many cases at most.
    pub limit: Option<String>,
    /// `queue` or `rest`; absent for every case.
    pub part: Option<String>,
    /// With `part=rest`: the `next` of the last page of the queue's part.
    pub queue_read_to: Option<String>,
}

/// Reads a page of case states' cursor and limit as [`pull_params`] does, and which part of
/// the store's cases it is; the error says what is wrong, for a 400.
pub fn cases_params(query: &CasesQuery) -> Result<(Part, i64, usize), String> {
    let (after, limit) = pull_params(&PullQuery {
        after: query.after.clone(),
        limit: query.limit.clone(),
    })?;
    let read_to = query.queue_read_to.as_deref().map(|value| {
        value
            .parse()
            .ok()
            .filter(|to: &i64| *to >= 0)
            .ok_or_else(|| format!("queue_read_to must be a whole number >= 0, not '{value}'"))
    });
    let part = match (query.part.as_deref(), read_to) {
        (None, None) => Part::All,
        (Some("queue"), None) => Part::Queue,
        (Some("rest"), Some(to)) => Part::Rest(to?),
        (Some("rest"), None) => return Err("part=rest needs queue_read_to".into()),
        (None | Some("queue"), Some(_)) => {
            return Err("queue_read_to goes only with part=rest".into());
        }
        (Some(other), _) => return Err(format!("part must be queue or rest, not '{other}'")),
    };
    Ok((part, after, limit))
}

/// The handler.
pub async fn pull(
    State(state): State<AppState>,
    session: Staff,
    StorePath(store): StorePath,
    Params(query): Params<PullQuery>,
) -> Result<Json<PullPage<Box<RawValue>>>, ApiError> {
    let (after, limit) = pull_params(&query).map_err(ApiError::BadRequest)?;
    session.may_act_for(&store)?;
    let mut page = state
        .db
        .transaction(Mode::Read, move |db| sync::pull(db, &store, after, limit))
        .await
        .or_internal("pull failed")?;
    page.now = crate::store::now_ms();
    Ok(Json(page))
}

/// The handler of a page of case states.
pub async fn cases(
    State(state): State<AppState>,
    session: Staff,
    StorePath(store): StorePath,
    Params(query): Params<CasesQuery>,
) -> Result<Json<CasePage<Box<RawValue>>>, ApiError> {
    let (part, after, limit) = cases_params(&query).map_err(ApiError::BadRequest)?;
    session.may_act_for(&store)?;
    let mut page = state
        .db
        .transaction(Mode::Read, move |db| {
            read_model::page(db, &store, part, after, limit)
        })
        .await
        .or_internal("reading case states failed")?;
    page.now = crate::store::now_ms();
    Ok(Json(page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Uri;

    fn read(query: &str) -> Result<(i64, usize), String> {
        let uri: Uri = format!("/x?{query}").parse().unwrap();
        let axum::extract::Query(query) = axum::extract::Query::try_from_uri(&uri).unwrap();
        pull_params(&query)
    }

    #[test]
    fn a_pull_reads_its_cursor_and_limit_with_defaults() {
        assert_eq!(read(""), Ok((0, PULL_DEFAULT_LIMIT)));
        assert_eq!(read("after=12&limit=3&_=99"), Ok((12, 3)));
        assert_eq!(read("limit=1000"), Ok((0, 1000)));
        // Escaped digits are digits.
        assert_eq!(read("after=%31"), Ok((1, PULL_DEFAULT_LIMIT)));
    }

    fn read_cases(query: &str) -> Result<(Part, i64, usize), String> {
        let uri: Uri = format!("/x?{query}").parse().unwrap();
        let axum::extract::Query(query) = axum::extract::Query::try_from_uri(&uri).unwrap();
        cases_params(&query)
    }

    #[test]
    fn a_page_of_cases_reads_its_part() {
        assert_eq!(read_cases("after=3&limit=9"), Ok((Part::All, 3, 9)));
        assert_eq!(
            read_cases("part=queue"),
            Ok((Part::Queue, 0, PULL_DEFAULT_LIMIT))
        );
        assert_eq!(
            read_cases("part=rest&queue_read_to=40&after=7"),
            Ok((Part::Rest(40), 7, PULL_DEFAULT_LIMIT))
        );
        for (bad, says) in [
            ("part=rest", "part=rest needs queue_read_to"),
            (
                "part=queue&queue_read_to=4",
                "queue_read_to goes only with part=rest",
            ),
            ("queue_read_to=4", "queue_read_to goes only with part=rest"),
            ("part=open", "part must be queue or rest, not 'open'"),
            (
                "part=rest&queue_read_to=-2",
                "queue_read_to must be a whole number >= 0, not '-2'",
            ),
            (
                "part=queue&limit=0",
                "limit must be a whole number from 1 to 1000, not '0'",
            ),
        ] {
            assert_eq!(read_cases(bad), Err(says.into()), "{bad}");
        }
    }

    #[test]
    fn a_pull_refuses_a_bad_cursor_or_limit_and_says_which() {
        assert_eq!(
            read("after=-1"),
            Err("after must be a whole number >= 0, not '-1'".into())
        );
        assert_eq!(
            read("after"),
            Err("after must be a whole number >= 0, not ''".into())
        );
        for bad in ["0", "1001", "ten"] {
            assert_eq!(
                read(&format!("limit={bad}")),
                Err(format!(
                    "limit must be a whole number from 1 to 1000, not '{bad}'"
                ))
            );
        }
    }
}
