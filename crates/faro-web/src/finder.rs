//! The course finder's one list, shared by its page, the API and the feed;
//! and the observatory searched with words ([`measures`]).
//!
//! It is answered by the search index (one pass over the courses' columnar
//! fields: `faro_search::SearchIndex::courses`) when the index has applied
//! every committed change, i.e. its cursor has reached the data version,
//! and always when the visitor searched for words. Otherwise (a change not
//! yet indexed, no index, an index error) the store's SQL counts answer
//! (`faro_store::courses::list`), so a page never shows counts older than
//! the data. Both compute the same page, total and facet counts:
//! `tests/finder.rs` compares them over generated courses and many days.

use crate::AppState;
use chrono::{Datelike, NaiveDate};
use faro_store::StoreError;
use faro_store::courses::{self as cs, Sort};
use faro_store::list::{FacetCounts, PageReq};

/// A finder page and how it was answered.
#[derive(Debug, Clone)]
pub struct Found {
    pub listed: cs::Listed,
    /// Words were asked for and there is no usable index: nothing listed.
    pub text_unavailable: bool,
    /// Answered by the search index (else by SQL).
    pub from_index: bool,
}

/// The finder's text: `q`, trimmed (the index cuts what is too long).
pub fn text(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

/// One page of the finder at `today`.
pub async fn courses(
    state: &AppState,
    wanted: &[(String, String)],
    q: &str,
    page: PageReq,
    today: NaiveDate,
    sort: Sort,
) -> Result<Found, StoreError> {
    let q = q.trim();
    if let Some(index) = state.search.clone() {
        let current = !q.is_empty()
            || index.cursor() >= faro_store::list::data_version(state.store.read()).await?;
        if current {
            match from_index(state, index, wanted, q, page, today, sort).await {
                Ok(found) => return Ok(found),
                Err(Failed::Store(e)) => return Err(e),
                Err(Failed::Search(e)) => {
                    tracing::warn!(error = %e, "course finder: search index failed; answering from the database");
                }
            }
        }
    }
    if !q.is_empty() {
        return Ok(Found {
            listed: cs::Listed {
                items: Vec::new(),
                total: 0,
                facets: FacetCounts::new(),
            },
            text_unavailable: true,
            from_index: false,
        });
    }
    Ok(Found {
        listed: cs::list(&state.store, wanted, page, today, sort).await?,
        text_unavailable: false,
        from_index: false,
    })
}

enum Failed {
    Store(StoreError),
    Search(String),
}

/// The page from the index only (no freshness check): what [`courses`]
/// answers with when the index is current. Public for the test that
/// compares it with SQL.
pub async fn courses_from_index(
    state: &AppState,
    wanted: &[(String, String)],
    q: &str,
    page: PageReq,
    today: NaiveDate,
    sort: Sort,
) -> Result<cs::Listed, String> {
    let index = state.search.clone().ok_or("no search index")?;
    match from_index(state, index, wanted, q, page, today, sort).await {
        Ok(f) => Ok(f.listed),
        Err(Failed::Store(e)) => Err(e.to_string()),
        Err(Failed::Search(e)) => Err(e),
    }
}

async fn from_index(
    state: &AppState,
    index: std::sync::Arc<faro_search::SearchIndex>,
    wanted: &[(String, String)],
    q: &str,
    page: PageReq,
    today: NaiveDate,
    sort: Sort,
) -> Result<Found, Failed> {
    let req = faro_search::FinderRequest {
        record_type: cs::RECORD_TYPE.to_string(),
        q: q.to_string(),
        filters: wanted.to_vec(),
        facets: cs::FACETS.to_vec(),
        prefix: Vec::new(),
        today: today.num_days_from_ce(),
        soon_days: faro_domain::courses::SOON_DAYS as i32,
        sort: match sort {
            Sort::Newest => faro_search::FinderSort::Newest,
            Sort::Start => faro_search::FinderSort::Start,
            Sort::Relevance => faro_search::FinderSort::Relevance,
        },
        offset: page.offset() as usize,
        limit: page.limit() as usize,
    };
    let res = tokio::task::spawn_blocking(move || index.finder(&req))
        .await
        .map_err(|e| Failed::Search(e.to_string()))?
        .map_err(|e| Failed::Search(e.to_string()))?;
    let items = cs::many(&state.store, &res.ids)
        .await
        .map_err(Failed::Store)?;
    let facets: FacetCounts = res.facets.into_iter().collect();
    Ok(Found {
        listed: cs::Listed {
            items,
            total: res.total,
            facets,
        },
        text_unavailable: false,
        from_index: true,
    })
}

/// The observatory searched with words: the search index's page of
/// published measures that match `q` and the observatory's filters, best
/// match first (by id without words), with the observatory's facet counts
/// (each without its own filter). `None`: there is no usable index.
pub async fn measures(
    state: &AppState,
    wanted: &[(String, String)],
    q: &str,
    page: PageReq,
) -> Result<Option<faro_store::observatory::Listed>, StoreError> {
    let Some(index) = state.search.clone() else {
        return Ok(None);
    };
    let req = faro_search::FinderRequest {
        record_type: faro_store::observatory::RECORD_TYPE.to_string(),
        q: q.trim().to_string(),
        filters: wanted.to_vec(),
        facets: faro_store::observatory::FACETS.to_vec(),
        prefix: vec!["category"],
        sort: faro_search::FinderSort::Relevance,
        offset: page.offset() as usize,
        limit: page.limit() as usize,
        ..Default::default()
    };
    let res = match tokio::task::spawn_blocking(move || index.finder(&req)).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "observatory search: search index failed");
            return Ok(None);
        }
        Err(e) => {
            tracing::warn!(error = %e, "observatory search: search task failed");
            return Ok(None);
        }
    };
    let items = faro_store::observatory::many(&state.store, &res.ids).await?;
    Ok(Some(faro_store::observatory::Listed {
        items,
        total: res.total,
        facets: res.facets.into_iter().collect(),
    }))
}
