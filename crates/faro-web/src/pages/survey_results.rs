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
            .filter(|(key, _)| {
                // `name` at the top level, `repeat/name` in a repeat.
                form.questions().into_iter().any(|(qn, rep)| {
                    qn.kind.is_select()
                        && match rep {
                            Some(r) => key.split_once('/') == Some((&r.name, &qn.name)),
                            None => *key == qn.name,
                        }
                })
            })
            .map(|(a, b)| (a.to_string(), b.to_string())),
    };
    let mut reduced = surveys::results(&state.store, &id, &form, s.current_version, &filters)
        .await
        .or_page(lang, &uri)?;
    let total = reduced.total;
    let suppressed = public_view && total < SMALL;
    let mut questions = Vec::new();
    let mut by_options = Vec::new();
    for (qn, rep) in form.questions() {
        if !(qn.kind.is_input() || qn.kind == Kind::Calculate) {
            continue;
        }
        // Questions in a repeat are counted over every instance given
        // (answers `repeat/question`); their shares are of those instances.
        let (key, label) = match rep {
            Some(r) => (
                format!("{}/{}", r.name, qn.name),
                format!("{} › {}", r.label.get(&lk, &dl), qn.label.get(&lk, &dl)),
            ),
            None => (qn.name.clone(), qn.label.get(&lk, &dl).to_string()),
        };
        if qn.kind.is_select() {
            // A choice in a repeat keeps the responses where any
            // instance has it.
            for c in form
                .lists
                .get(qn.list.as_deref().unwrap_or(""))
                .into_iter()
                .flatten()
            {
                let key = format!("{key}:{}", c.name);
                let sel = q.by.as_deref() == Some(key.as_str());
                by_options.push((key, format!("{label} = {}", c.label.get(&lk, &dl)), sel));
            }
        }
        if suppressed {
            continue;
        }
        let red = reduced.questions.remove(&key).unwrap_or_default();
        let answered = red.answered;
        let base = if rep.is_some() { answered } else { total };
        let mut r = QuestionResult {
            name: key.clone(),
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
                let per: BTreeMap<String, i64> = red.counts.into_iter().collect();
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
                    base,
                    public_view,
                );
            }
            Kind::Integer | Kind::Decimal | Kind::Calculate => {
                let Some(x) = red.numbers else {
                    if qn.kind == Kind::Calculate {
                        continue;
                    }
                    r.kind = "number";
                    questions.push(r);
                    continue;
                };
                r.kind = "number";
                if !(public_view && x.n < SMALL) {
                    r.stats = vec![
                        ("survey-stat-min".into(), fmt(x.min)),
                        ("survey-stat-median".into(), fmt(x.median)),
                        ("survey-stat-mean".into(), fmt(x.mean)),
                        ("survey-stat-max".into(), fmt(x.max)),
                    ];
                    bars(
                        &mut r,
                        x.bins
                            .into_iter()
                            .map(|(from, to, c)| (format!("{}–{}", fmt(from), fmt(to)), c)),
                        x.n,
                        public_view,
                    );
                }
            }
            Kind::Date => {
                r.kind = "date";
                bars(&mut r, red.counts.into_iter(), answered, public_view);
            }
            _ => {
                r.kind = "text";
                if !public_view || s.answers_public {
                    r.texts = red.counts.into_iter().map(|(v, _)| v).collect();
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

/// What a column of an export holds.
#[derive(Debug, Clone, PartialEq)]
pub enum ColKind {
    /// `_id`, `_uuid`, `_submission_time`, `_version`, `_institution`,
    /// and in a repeat's table `_parent_id`, `_parent_uuid`, `_index`.
    Meta,
    /// A question's value (`name`, or `name_other` for an "other" text).
    Value(String),
    /// One choice of a `select_multiple`: 1 when chosen, 0 when not.
    Choice(String, String),
}

#[derive(Debug, Clone)]
pub struct ExportCol {
    pub name: String,
    pub kind: ColKind,
    /// Frictionless Table Schema type.
    pub ftype: &'static str,
}

/// One table of an export: the responses (one row each), or one repeat
/// group (one row per instance, keyed by the response's `_id`).
#[derive(Debug, Clone)]
pub struct ExportTable {
    /// File stem and resource name: `responses` or the repeat's name.
    pub name: String,
    pub repeat: Option<String>,
    pub cols: Vec<ExportCol>,
}

fn meta(name: &str, ftype: &'static str) -> ExportCol {
    ExportCol {
        name: name.into(),
        kind: ColKind::Meta,
        ftype,
    }
}

fn push_question(cols: &mut Vec<ExportCol>, form: &Form, q: &faro_formats::xlsform::Item) {
    let ftype = match q.kind {
        Kind::Integer => "integer",
        Kind::Decimal => "number",
        Kind::Date => "date",
        _ => "string",
    };
    cols.push(ExportCol {
        name: q.name.clone(),
        kind: ColKind::Value(q.name.clone()),
        ftype,
    });
    if q.kind == Kind::SelectMultiple {
        let mut choices: Vec<String> = form
            .lists
            .get(q.list.as_deref().unwrap_or(""))
            .into_iter()
            .flatten()
            .map(|c| c.name.clone())
            .collect();
        if q.or_other {
            choices.push("other".into());
        }
        for c in choices {
            cols.push(ExportCol {
                name: format!("{}/{}", q.name, c),
                kind: ColKind::Choice(q.name.clone(), c),
                ftype: "integer",
            });
        }
    }
    if q.or_other {
        let n = format!("{}_other", q.name);
        cols.push(ExportCol {
            name: n.clone(),
            kind: ColKind::Value(n),
            ftype: "string",
        });
    }
}

/// The tables of a form's export: the responses, then one per repeat
/// group, in the order of the form. Notes have no column.
pub fn tables(form: &Form) -> Vec<ExportTable> {
    let mut main = ExportTable {
        name: "responses".into(),
        repeat: None,
        cols: vec![
            meta("_id", "integer"),
            meta("_uuid", "string"),
            meta("_submission_time", "datetime"),
            meta("_version", "integer"),
            meta("_institution", "string"),
        ],
    };
    let mut repeats: Vec<ExportTable> = Vec::new();
    for (q, rep) in form.questions() {
        if q.kind == Kind::Note {
            continue;
        }
        match rep {
            None => push_question(&mut main.cols, form, q),
            Some(r) => {
                if !repeats.iter().any(|t| t.repeat.as_deref() == Some(&r.name)) {
                    repeats.push(ExportTable {
                        name: r.name.clone(),
                        repeat: Some(r.name.clone()),
                        cols: vec![
                            meta("_parent_id", "integer"),
                            meta("_parent_uuid", "string"),
                            meta("_index", "integer"),
                            meta("_institution", "string"),
                        ],
                    });
                }
                let t = repeats
                    .iter_mut()
                    .find(|t| t.repeat.as_deref() == Some(&r.name))
                    .expect("just added");
                push_question(&mut t.cols, form, q);
            }
        }
    }
    std::iter::once(main).chain(repeats).collect()
}

/// How values are written: codes or labels in one language.
struct Shape<'a> {
    form: &'a Form,
    labels: bool,
    lk: String,
}

impl Shape<'_> {
    fn value(&self, question: &str, v: &str) -> String {
        let Some(item) = self.form.find(question) else {
            return v.to_string();
        };
        if !self.labels || !item.kind.is_select() {
            return v.to_string();
        }
        v.split_whitespace()
            .map(|c| {
                self.form
                    .lists
                    .get(item.list.as_deref().unwrap_or(""))
                    .and_then(|l| l.iter().find(|x| x.name == c))
                    .map(|x| {
                        x.label
                            .get(&self.lk, &self.form.default_language)
                            .to_string()
                    })
                    .unwrap_or_else(|| c.to_string())
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The rows a response gives a table: one for the responses, one per
    /// instance for a repeat. Values as they are (no formula neutralising:
    /// the CSV writer does that for text columns).
    fn rows(&self, t: &ExportTable, r: &surveys::Response) -> Vec<Vec<String>> {
        let submitted = r
            .submitted_at
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default();
        let one = |vals: &BTreeMap<String, String>, index: usize| -> Vec<String> {
            t.cols
                .iter()
                .map(|c| match (&c.kind, c.name.as_str()) {
                    (ColKind::Meta, "_id" | "_parent_id") => r.id.to_string(),
                    (ColKind::Meta, "_uuid" | "_parent_uuid") => r.uuid.clone(),
                    (ColKind::Meta, "_submission_time") => submitted.clone(),
                    (ColKind::Meta, "_version") => r.version.to_string(),
                    (ColKind::Meta, "_institution") => r.institution_id.clone(),
                    (ColKind::Meta, "_index") => index.to_string(),
                    (ColKind::Meta, _) => String::new(),
                    (ColKind::Choice(q, choice), _) => {
                        let v = vals.get(q).map(String::as_str).unwrap_or("");
                        if v.is_empty() {
                            String::new()
                        } else if v.split_whitespace().any(|x| x == choice) {
                            "1".into()
                        } else {
                            "0".into()
                        }
                    }
                    (ColKind::Value(q), _) => {
                        self.value(q, vals.get(q).map(String::as_str).unwrap_or(""))
                    }
                })
                .collect()
        };
        match &t.repeat {
            None => vec![one(&r.answers.values, 0)],
            Some(rep) => r
                .answers
                .repeats
                .get(rep)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, vals)| one(vals, i + 1))
                .collect(),
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct ExportQuery {
    /// `labels`: choices as their labels in the page's language.
    pub values: Option<String>,
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

type Chunks = tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>;

/// Walks the submitted responses page by page (500 at a time, so memory
/// holds one page), handing each to `f`; stops when the receiver is gone.
async fn walk(
    store: &faro_store::Store,
    id: &str,
    tx: &Chunks,
    mut f: impl FnMut(&surveys::Response) -> std::io::Result<()>,
    mut flush: impl FnMut() -> Option<Vec<u8>>,
) -> bool {
    let mut after = 0;
    loop {
        let page = match surveys::walk_submitted(store, id, after, 500).await {
            Ok(p) => p,
            Err(e) => {
                let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                return false;
            }
        };
        if page.is_empty() {
            return true;
        }
        for r in &page {
            after = r.id;
            if let Err(e) = f(r) {
                let _ = tx.send(Err(e)).await;
                return false;
            }
        }
        if let Some(buf) = flush()
            && tx.send(Ok(buf)).await.is_err()
        {
            return false;
        }
    }
}

fn streamed(
    rx: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
    content_type: &str,
    file: String,
) -> axum::response::Response {
    let body = tokio_stream::StreamExt::map(tokio_stream::wrappers::ReceiverStream::new(rx), |p| {
        p.map(axum::body::Bytes::from)
    });
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response()
}

/// The old address of the responses' CSV.
pub async fn export_csv(
    state: State<AppState>,
    lang: PageLang,
    Path((l, id)): Path<(String, String)>,
    q: Query<ExportQuery>,
    uri: OriginalUri,
    viewer: Viewer,
) -> PageResult {
    export(
        state,
        lang,
        Path((l, id, "responses.csv".into())),
        q,
        uri,
        viewer,
    )
    .await
}

/// A survey's export (coordinators), streamed: `responses.csv`,
/// `{repeat}.csv`, `responses.json`, `responses.xlsx` (a sheet per table)
/// and `datapackage.json` (Frictionless, describing the CSV files, which
/// sit next to it).
pub async fn export(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id, file)): Path<(String, String, String)>,
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
    let all = tables(&form);
    let shape = Shape {
        form: &form,
        labels: q.values.as_deref() == Some("labels"),
        lk: form.lang_for(lang.code()),
    };
    let (stem, ext) = file
        .rsplit_once('.')
        .ok_or_else(|| PageError::not_found(lang, &uri))?;
    if (stem, ext) == ("datapackage", "json") {
        let body = datapackage(&s, &all);
        return Ok((
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string_pretty(&body).unwrap_or_default(),
        )
            .into_response());
    }
    let table = all.iter().find(|t| t.name == stem).cloned();
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let store = state.store.clone();
    let form = (*form).clone();
    let labels = shape.labels;
    let lk = shape.lk.clone();
    match (ext, table) {
        ("csv", Some(t)) => {
            let file = format!("{}-{}.csv", s.id, t.name);
            tokio::spawn(async move {
                let shape = Shape {
                    form: &form,
                    labels,
                    lk,
                };
                let w = std::sync::Mutex::new(csv::Writer::from_writer(Vec::new()));
                let _ = lock(&w).write_record(t.cols.iter().map(|c| &c.name));
                let text: Vec<bool> = t.cols.iter().map(|c| c.ftype == "string").collect();
                let done = walk(
                    &store,
                    &id,
                    &tx,
                    |r| {
                        for row in shape.rows(&t, r) {
                            let cells = row.iter().zip(&text).map(|(v, is_text)| {
                                if *is_text {
                                    crate::toolkit::csv_safe(v)
                                } else {
                                    v.clone()
                                }
                            });
                            lock(&w).write_record(cells)?;
                        }
                        Ok(())
                    },
                    || {
                        let old =
                            std::mem::replace(&mut *lock(&w), csv::Writer::from_writer(Vec::new()));
                        Some(old.into_inner().unwrap_or_default())
                    },
                )
                .await;
                if done {
                    let _ = tx
                        .send(Ok(w
                            .into_inner()
                            .map(|w| w.into_inner().unwrap_or_default())
                            .unwrap_or_default()))
                        .await;
                }
            });
            Ok(streamed(rx, "text/csv; charset=utf-8", file))
        }
        ("json", Some(t)) if t.repeat.is_none() => {
            tokio::spawn(async move {
                let shape = Shape {
                    form: &form,
                    labels,
                    lk,
                };
                let buf = std::sync::Mutex::new(b"[".to_vec());
                let first = std::sync::atomic::AtomicBool::new(true);
                let done = walk(
                    &store,
                    &id,
                    &tx,
                    |r| {
                        let shaped = |m: &BTreeMap<String, String>| -> BTreeMap<String, String> {
                            m.iter()
                                .map(|(k, v)| (k.clone(), shape.value(k, v)))
                                .collect()
                        };
                        let repeats: BTreeMap<&String, Vec<BTreeMap<String, String>>> = r
                            .answers
                            .repeats
                            .iter()
                            .map(|(k, rows)| (k, rows.iter().map(shaped).collect()))
                            .collect();
                        let v = serde_json::json!({
                            "_id": r.id,
                            "_uuid": r.uuid,
                            "_submission_time": r.submitted_at
                                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                            "_version": r.version,
                            "_institution": r.institution_id,
                            "values": shaped(&r.answers.values),
                            "repeats": repeats,
                        });
                        let mut b = lock(&buf);
                        if !first.swap(false, std::sync::atomic::Ordering::Relaxed) {
                            b.push(b',');
                        }
                        b.push(b'\n');
                        serde_json::to_writer(&mut *b, &v).map_err(std::io::Error::other)
                    },
                    || Some(std::mem::take(&mut *lock(&buf))),
                )
                .await;
                if done {
                    let mut b = buf.into_inner().unwrap_or_default();
                    b.extend_from_slice(b"\n]\n");
                    let _ = tx.send(Ok(b)).await;
                }
            });
            Ok(streamed(
                rx,
                "application/json",
                format!("{}-responses.json", s.id),
            ))
        }
        ("xlsx", Some(t)) if t.repeat.is_none() => {
            // Built in a temporary file (one sheet after another, one
            // page of responses in memory), then sent in pieces.
            tokio::spawn(async move {
                let shape = Shape {
                    form: &form,
                    labels,
                    lk,
                };
                let file = match tempfile::tempfile() {
                    Ok(f) => f,
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                };
                let wb = std::sync::Mutex::new(faro_formats::xlsx_write::Workbook::new(
                    std::io::BufWriter::new(file),
                ));
                for t in &all {
                    let head = (|| {
                        let mut wb = lock(&wb);
                        wb.sheet(&t.name)?;
                        let names: Vec<faro_formats::xlsx_write::Cell> = t
                            .cols
                            .iter()
                            .map(|c| faro_formats::xlsx_write::Cell::Text(&c.name))
                            .collect();
                        wb.row(&names)
                    })();
                    if let Err(e) = head {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                    let ok = walk(
                        &store,
                        &id,
                        &tx,
                        |r| {
                            for row in shape.rows(t, r) {
                                let cells: Vec<faro_formats::xlsx_write::Cell> = row
                                    .iter()
                                    .zip(&t.cols)
                                    .map(|(v, c)| {
                                        use faro_formats::xlsx_write::Cell;
                                        match c.ftype {
                                            "integer" | "number" => v
                                                .parse::<f64>()
                                                .map(Cell::Number)
                                                .unwrap_or(Cell::Text(v)),
                                            _ => Cell::Text(v),
                                        }
                                    })
                                    .collect();
                                lock(&wb).row(&cells)?;
                            }
                            Ok(())
                        },
                        || None,
                    )
                    .await;
                    if !ok {
                        return;
                    }
                }
                let sent = async {
                    use std::io::{Read, Seek};
                    let w = wb
                        .into_inner()
                        .map_err(|_| std::io::Error::other("poisoned"))?
                        .finish()?;
                    let mut f = w.into_inner().map_err(|e| e.into_error())?;
                    f.rewind()?;
                    let mut chunk = vec![0u8; 64 * 1024];
                    loop {
                        let n = f.read(&mut chunk)?;
                        if n == 0 {
                            break;
                        }
                        if tx.send(Ok(chunk[..n].to_vec())).await.is_err() {
                            break;
                        }
                    }
                    Ok::<(), std::io::Error>(())
                }
                .await;
                if let Err(e) = sent {
                    let _ = tx.send(Err(e)).await;
                }
            });
            Ok(streamed(
                rx,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                format!("{}-responses.xlsx", s.id),
            ))
        }
        _ => Err(PageError::not_found(lang, &uri)),
    }
}

/// A Frictionless Tabular Data Package describing the CSV files (which
/// sit next to `datapackage.json`): fields with their types, the
/// responses' key and each repeat's reference to it.
fn datapackage(s: &surveys::Survey, all: &[ExportTable]) -> serde_json::Value {
    let slug = |n: &str| -> String {
        n.to_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect()
    };
    let resources: Vec<serde_json::Value> = all
        .iter()
        .map(|t| {
            let fields: Vec<serde_json::Value> = t
                .cols
                .iter()
                .map(|c| serde_json::json!({"name": c.name, "type": c.ftype}))
                .collect();
            let mut schema = serde_json::json!({ "fields": fields });
            if t.repeat.is_none() {
                schema["primaryKey"] = serde_json::json!(["_id"]);
            } else {
                schema["primaryKey"] = serde_json::json!(["_parent_id", "_index"]);
                schema["foreignKeys"] = serde_json::json!([{
                    "fields": ["_parent_id"],
                    "reference": {"resource": "responses", "fields": ["_id"]}
                }]);
            }
            serde_json::json!({
                "name": slug(&t.name),
                "path": format!("{}.csv", t.name),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            })
        })
        .collect();
    serde_json::json!({
        "profile": "tabular-data-package",
        "name": slug(&s.id),
        "title": s.title,
        "resources": resources,
    })
}
