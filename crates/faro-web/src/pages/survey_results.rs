//! A survey's results (per question, from SQL counts over submitted
//! responses, all versions joined by question name) and its CSV export
//! (streamed, one row per response).
//!
//! Public results (the coordinator's switch) suppress every count below
//! [`SMALL`] and show no texts unless the survey says answers are public;
//! coordinators see everything.

use super::{OrPage, Page, PageError, PageLang, PageResult, render};
use crate::AppState;
use crate::auth::Viewer;
use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use faro_formats::xlsform::{Form, Kind};
use faro_store::surveys::{self, Filters};
use std::collections::BTreeMap;

/// Counts below this are not shown in public results.
pub const SMALL: i64 = 5;

#[derive(serde::Deserialize, Default)]
pub struct ResultsQuery {
    pub country: Option<String>,
    pub kind: Option<String>,
    /// `question:choice`
    pub by: Option<String>,
}

pub struct Bar {
    pub label: String,
    pub count: String,
    pub share: String,
    pub width: i64,
    pub y: i64,
}

pub struct QuestionResult {
    pub name: String,
    pub label: String,
    pub kind: &'static str,
    pub n: String,
    pub bars: Vec<Bar>,
    pub stats: Vec<(String, String)>,
    pub texts: Vec<String>,
    pub height: i64,
}

#[derive(Template)]
#[template(path = "survey_results.html")]
pub struct ResultsPage {
    pub p: Page,
    pub id: String,
    pub title: String,
    pub total: String,
    pub public_view: bool,
    pub suppressed: bool,
    pub questions: Vec<QuestionResult>,
    pub by_options: Vec<(String, String, bool)>,
    pub country: String,
    pub kind: String,
}

fn shown_count(n: i64, public: bool) -> String {
    if public && n < SMALL {
        format!("<{SMALL}")
    } else {
        n.to_string()
    }
}

pub async fn results(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<ResultsQuery>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let s = surveys::get(state.store.read(), &id)
        .await
        .or_page(lang, &uri)?;
    let coordinator = viewer.is_coordinator();
    if !coordinator && !s.results_public {
        return Err(PageError::not_found(lang, &uri));
    }
    let public_view = !coordinator;
    let form = surveys::form(&state.store, &id, s.current_version)
        .await
        .or_page(lang, &uri)?;
    let lk = form.lang_for(lang.code());
    let dl = form.default_language.clone();
    let filters = Filters {
        country: q.country.clone().filter(|c| !c.is_empty()),
        kind: q.kind.clone().filter(|c| !c.is_empty()),
        question: q
            .by
            .as_deref()
            .and_then(|b| b.split_once(':'))
            .filter(|(qn, _)| form.find(qn).is_some_and(|i| i.kind.is_select()))
            .map(|(a, b)| (a.to_string(), b.to_string())),
    };
    let total = surveys::submitted_count(&state.store, &id, &filters)
        .await
        .or_page(lang, &uri)?;
    let suppressed = public_view && total < SMALL;
    let mut questions = Vec::new();
    let mut by_options = Vec::new();
    let mut all = if suppressed {
        Default::default()
    } else {
        surveys::all_value_counts(&state.store, &id, &filters)
            .await
            .or_page(lang, &uri)?
    };
    for (qn, rep) in form.questions() {
        if rep.is_some() || !(qn.kind.is_input() || qn.kind == Kind::Calculate) {
            continue;
        }
        let label = qn.label.get(&lk, &dl).to_string();
        if qn.kind.is_select() {
            for c in form
                .lists
                .get(qn.list.as_deref().unwrap_or(""))
                .into_iter()
                .flatten()
            {
                let key = format!("{}:{}", qn.name, c.name);
                let sel = q.by.as_deref() == Some(key.as_str());
                by_options.push((key, format!("{label} = {}", c.label.get(&lk, &dl)), sel));
            }
        }
        if suppressed {
            continue;
        }
        let counts = all.remove(&qn.name).unwrap_or_default();
        let answered: i64 = counts.iter().map(|(_, c)| c).sum();
        let mut r = QuestionResult {
            name: qn.name.clone(),
            label,
            kind: "",
            n: shown_count(answered, public_view),
            bars: Vec::new(),
            stats: Vec::new(),
            texts: Vec::new(),
            height: 0,
        };
        match qn.kind {
            Kind::SelectOne | Kind::SelectMultiple => {
                r.kind = "select";
                let mut per: BTreeMap<String, i64> = BTreeMap::new();
                for (v, c) in &counts {
                    for choice in v.split_whitespace() {
                        *per.entry(choice.to_string()).or_default() += c;
                    }
                }
                let mut order: Vec<(String, String)> = form
                    .lists
                    .get(qn.list.as_deref().unwrap_or(""))
                    .into_iter()
                    .flatten()
                    .map(|c| (c.name.clone(), c.label.get(&lk, &dl).to_string()))
                    .collect();
                if qn.or_other {
                    order.push(("other".into(), crate::i18n::t(lang, "survey-other")));
                }
                bars(
                    &mut r,
                    order
                        .into_iter()
                        .map(|(n, l)| (l, *per.get(&n).unwrap_or(&0))),
                    total,
                    public_view,
                );
            }
            Kind::Integer | Kind::Decimal | Kind::Calculate => {
                let mut xs: Vec<(f64, i64)> = counts
                    .iter()
                    .filter_map(|(v, c)| v.parse::<f64>().ok().map(|x| (x, *c)))
                    .collect();
                if xs.is_empty() && qn.kind == Kind::Calculate {
                    continue;
                }
                r.kind = "number";
                xs.sort_by(|a, b| a.0.total_cmp(&b.0));
                let n: i64 = xs.iter().map(|x| x.1).sum();
                if n > 0 && !(public_view && n < SMALL) {
                    let sum: f64 = xs.iter().map(|(x, c)| x * *c as f64).sum();
                    let median = {
                        let mut seen = 0;
                        let mut m = xs[0].0;
                        for (x, c) in &xs {
                            seen += c;
                            if seen * 2 >= n {
                                m = *x;
                                break;
                            }
                        }
                        m
                    };
                    let (lo, hi) = (xs[0].0, xs[xs.len() - 1].0);
                    r.stats = vec![
                        ("survey-stat-min".into(), fmt(lo)),
                        ("survey-stat-median".into(), fmt(median)),
                        ("survey-stat-mean".into(), fmt(sum / n as f64)),
                        ("survey-stat-max".into(), fmt(hi)),
                    ];
                    // Histogram: ten bins between min and max.
                    let bins = 10usize;
                    let width = if hi > lo {
                        (hi - lo) / bins as f64
                    } else {
                        1.0
                    };
                    let mut h = vec![0i64; bins];
                    for (x, c) in &xs {
                        let b = (((x - lo) / width) as usize).min(bins - 1);
                        h[b] += c;
                    }
                    bars(
                        &mut r,
                        h.into_iter().enumerate().map(|(i, c)| {
                            (
                                format!(
                                    "{}–{}",
                                    fmt(lo + width * i as f64),
                                    fmt(lo + width * (i + 1) as f64)
                                ),
                                c,
                            )
                        }),
                        n,
                        public_view,
                    );
                }
            }
            Kind::Date => {
                r.kind = "date";
                let mut months: BTreeMap<String, i64> = BTreeMap::new();
                for (v, c) in &counts {
                    *months.entry(v.chars().take(7).collect()).or_default() += c;
                }
                bars(&mut r, months.into_iter(), answered, public_view);
            }
            _ => {
                r.kind = "text";
                if !public_view || s.answers_public {
                    r.texts = counts.iter().take(100).map(|(v, _)| v.clone()).collect();
                }
            }
        }
        questions.push(r);
    }
    let page = ResultsPage {
        p: Page::new(lang, &uri, "surveys").viewer(&viewer),
        id: id.clone(),
        title: s.title.clone(),
        total: shown_count(total, public_view),
        public_view,
        suppressed,
        questions,
        by_options,
        country: q.country.unwrap_or_default(),
        kind: q.kind.unwrap_or_default(),
    };
    Ok(render(StatusCode::OK, &page))
}

fn fmt(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x:.2}")
    }
}

fn bars(
    r: &mut QuestionResult,
    items: impl Iterator<Item = (String, i64)>,
    base: i64,
    public: bool,
) {
    let items: Vec<(String, i64)> = items.collect();
    let max = items.iter().map(|x| x.1).max().unwrap_or(0).max(1);
    for (i, (label, c)) in items.into_iter().enumerate() {
        let hidden = public && c < SMALL;
        r.bars.push(Bar {
            label,
            count: shown_count(c, public),
            share: if base > 0 && !hidden {
                format!("{}%", c * 100 / base)
            } else {
                String::new()
            },
            width: if hidden { 0 } else { c * 300 / max },
            y: i as i64 * 22,
        });
    }
    r.height = r.bars.len() as i64 * 22;
}

/// CSV columns of a form: meta columns, then one per question (a
/// `select_multiple` also as one 0/1 column per choice, `name/choice`);
/// questions in repeats are left to the repeat's own file.
pub fn columns(form: &Form) -> Vec<(String, Option<(String, String)>)> {
    let mut cols: Vec<(String, Option<(String, String)>)> = [
        "_id",
        "_uuid",
        "_submission_time",
        "_version",
        "_institution",
    ]
    .iter()
    .map(|c| (c.to_string(), None))
    .collect();
    for (q, rep) in form.questions() {
        if rep.is_some() || q.kind == Kind::Note {
            continue;
        }
        cols.push((q.name.clone(), None));
        if q.kind == Kind::SelectMultiple {
            for c in form
                .lists
                .get(q.list.as_deref().unwrap_or(""))
                .into_iter()
                .flatten()
            {
                cols.push((
                    format!("{}/{}", q.name, c.name),
                    Some((q.name.clone(), c.name.clone())),
                ));
            }
            if q.or_other {
                cols.push((
                    format!("{}/other", q.name),
                    Some((q.name.clone(), "other".into())),
                ));
            }
        }
        if q.or_other {
            cols.push((format!("{}_other", q.name), None));
        }
    }
    cols
}

#[derive(serde::Deserialize, Default)]
pub struct ExportQuery {
    /// `labels`: choices as their labels in the page's language.
    pub values: Option<String>,
}

/// The responses as CSV, one row per submitted response, streamed page by
/// page (coordinators).
pub async fn export_csv(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<ExportQuery>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    super::extract::coordinator(lang, &uri, &viewer)?;
    let s = surveys::get(state.store.read(), &id)
        .await
        .or_page(lang, &uri)?;
    let form = surveys::form(&state.store, &id, s.current_version)
        .await
        .or_page(lang, &uri)?;
    let labels = q.values.as_deref() == Some("labels");
    let lk = form.lang_for(lang.code());
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let store = state.store.clone();
    tokio::spawn(async move {
        let cols = columns(&form);
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(cols.iter().map(|c| c.0.as_str()));
        let take = |w: csv::Writer<Vec<u8>>| w.into_inner().unwrap_or_default();
        let label_of = |qn: &str, v: &str| -> String {
            let Some(item) = form.find(qn) else {
                return v.to_string();
            };
            if !labels || !item.kind.is_select() {
                return v.to_string();
            }
            v.split_whitespace()
                .map(|c| {
                    form.lists
                        .get(item.list.as_deref().unwrap_or(""))
                        .and_then(|l| l.iter().find(|x| x.name == c))
                        .map(|x| x.label.get(&lk, &form.default_language).to_string())
                        .unwrap_or_else(|| c.to_string())
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut after = 0;
        loop {
            let page = match surveys::walk_submitted(&store, &id, after, 500).await {
                Ok(p) => p,
                Err(e) => {
                    let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                    return;
                }
            };
            if page.is_empty() {
                break;
            }
            for r in &page {
                after = r.id;
                let row: Vec<String> = cols
                    .iter()
                    .map(|(name, choice)| match (name.as_str(), choice) {
                        ("_id", _) => r.id.to_string(),
                        ("_uuid", _) => r.uuid.clone(),
                        ("_submission_time", _) => {
                            r.submitted_at.map(|t| t.to_rfc3339()).unwrap_or_default()
                        }
                        ("_version", _) => r.version.to_string(),
                        ("_institution", _) => r.institution_id.clone(),
                        (_, Some((qn, c))) => {
                            let v = r.answers.values.get(qn).map(String::as_str).unwrap_or("");
                            if v.is_empty() {
                                String::new()
                            } else if v.split_whitespace().any(|x| x == c) {
                                "1".into()
                            } else {
                                "0".into()
                            }
                        }
                        (qn, None) => crate::toolkit::csv_safe(&label_of(
                            qn,
                            r.answers.values.get(qn).map(String::as_str).unwrap_or(""),
                        )),
                    })
                    .collect();
                let _ = w.write_record(&row);
            }
            let buf = take(std::mem::replace(
                &mut w,
                csv::Writer::from_writer(Vec::new()),
            ));
            if tx.send(Ok(buf)).await.is_err() {
                return;
            }
        }
        let _ = tx.send(Ok(take(w))).await;
    });
    let body = tokio_stream::StreamExt::map(tokio_stream::wrappers::ReceiverStream::new(rx), |p| {
        p.map(axum::body::Bytes::from)
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.csv\"", s.id),
            ),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response())
}
