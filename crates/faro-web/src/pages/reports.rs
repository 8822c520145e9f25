//! Reports (issue 16): the list `/{lang}/reports` (coordinators create one,
//! empty or from a built-in: a series report, the observatory summary, a
//! survey's results), the report page with its editions and the diff of
//! figures between two, the coordinators' edit form (three texts, a preview
//! button — no JavaScript —, save) and "publish edition"; the frozen
//! editions at `/{lang}/reports/{id}/{n}` and `…/{n}.pdf`, and each block's
//! data at `…/{n}/data/{block}.csv`, served byte for byte.

use super::{
    CoordinatorForm, OrPage, OrServerError, Page, PageError, PageLang, PageResult, render,
};
use crate::AppState;
use crate::auth::Viewer;
use crate::i18n::{self, FluentArg};
use crate::reports::{self as engine, EditionInfo, Failure, LANGS};
use askama::Template;
use axum::Router;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use faro_domain::Lang;
use faro_formats::report_markup::{CATALOGUE, Problem};
use faro_store::StoreError;
use faro_store::reports::{self as store, Report};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/reports", get(list).post(create))
        .route("/{lang}/reports/{id}", get(show))
        .route("/{lang}/reports/{id}/edit", get(edit_form).post(edit_post))
        .route("/{lang}/reports/{id}/publish", post(publish))
        .route("/{lang}/reports/{id}/{edition}", get(edition))
        .route(
            "/{lang}/reports/{id}/{edition}/data/{file}",
            get(edition_data),
        )
}

fn title_in(r: &Report, lang: Lang) -> String {
    let i = LANGS.iter().position(|l| *l == lang).unwrap_or(1);
    if r.titles[i].is_empty() {
        r.titles
            .iter()
            .find(|t| !t.is_empty())
            .cloned()
            .unwrap_or_else(|| r.id.clone())
    } else {
        r.titles[i].clone()
    }
}

/// A problem as the reader reads it: language, line, message, detail.
pub fn problem_text(lang: Lang, (in_lang, p): &(Lang, Problem)) -> String {
    i18n::t_args(
        lang,
        "report-problem",
        &[
            (
                "lang",
                FluentArg::Str(i18n::t(lang, &format!("lang-{}", in_lang.code()))),
            ),
            ("line", FluentArg::Num(p.line as i64)),
            ("message", FluentArg::Str(i18n::t(lang, p.code))),
            (
                "detail",
                FluentArg::Str(p.detail.chars().take(120).collect()),
            ),
        ],
    )
}

// ------------------------------------------------------------------ list

#[derive(Template)]
#[template(path = "reports.html")]
pub struct ListPage {
    pub p: Page,
    pub rows: Vec<(String, String, i32)>,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub series: Vec<(String, String)>,
    pub surveys: Vec<(String, String)>,
    pub errors: Vec<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    pub page: Option<u64>,
}

const PER_PAGE: u64 = 50;

async fn list_page(
    state: &AppState,
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    page: u64,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let page = page.max(1);
    let (reports, total) = store::list(&state.store, (page - 1) * PER_PAGE, PER_PAGE)
        .await
        .or_500(lang, uri)?;
    let (series, surveys) = if viewer.is_coordinator() {
        let series = faro_store::events::list_series(&state.store)
            .await
            .or_500(lang, uri)?
            .into_iter()
            .take(200)
            .map(|s| (s.id.clone(), s.title(lang).to_string()))
            .collect();
        let surveys = faro_store::surveys::list(&state.store, 0, 200)
            .await
            .or_500(lang, uri)?
            .into_iter()
            .map(|s| (s.id.clone(), s.title.clone()))
            .collect();
        (series, surveys)
    } else {
        (Vec::new(), Vec::new())
    };
    let href = |n: u64| format!("/{}/reports?page={n}", lang.code());
    Ok(render(
        status,
        &ListPage {
            p: Page::new(lang, uri, "reports").viewer(viewer),
            rows: reports
                .iter()
                .map(|r| (r.id.clone(), title_in(r, lang), r.editions))
                .collect(),
            total,
            prev: (page > 1).then(|| href(page - 1)),
            next: (page * PER_PAGE < total).then(|| href(page + 1)),
            series,
            surveys,
            errors,
        },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ListQuery>,
    viewer: Viewer,
) -> PageResult {
    list_page(
        &state,
        lang,
        &uri,
        &viewer,
        q.page.unwrap_or(1),
        vec![],
        StatusCode::OK,
    )
    .await
}

/// One question of a survey report: its answer key (`name`, or
/// `repeat/name` in a repeat) and its label in es, en, pt.
pub type ReportQuestion = (String, [String; 3]);

/// The built-in texts of a kind, in es, en, pt. A survey report gets one
/// section per question in `questions` (a chart of its choices).
pub fn builtin(
    kind: &str,
    series: &str,
    survey: &str,
    questions: &[ReportQuestion],
) -> [String; 3] {
    let t: [&str; 3] = match kind {
        "series" => [
            include_str!("../../../../data/reports/series.es.md"),
            include_str!("../../../../data/reports/series.en.md"),
            include_str!("../../../../data/reports/series.pt.md"),
        ],
        "observatory" => [
            include_str!("../../../../data/reports/observatory.es.md"),
            include_str!("../../../../data/reports/observatory.en.md"),
            include_str!("../../../../data/reports/observatory.pt.md"),
        ],
        "survey" => [
            include_str!("../../../../data/reports/survey.es.md"),
            include_str!("../../../../data/reports/survey.en.md"),
            include_str!("../../../../data/reports/survey.pt.md"),
        ],
        _ => ["# Informe\n", "# Report\n", "# Relatório\n"],
    };
    let mut i = 0;
    t.map(|s| {
        let sections: String = questions
            .iter()
            .map(|(key, labels)| {
                // One line: a label may hold line breaks or a block fence.
                let label = labels[i]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .replace(":::", ": : :");
                format!(
                    "### {label}\n\n::: chart survey.question survey={survey} question={key}\n{label}\n:::\n\n"
                )
            })
            .collect();
        i += 1;
        s.replace("@SERIES@", series)
            .replace("@SURVEY@", survey)
            .replace("@QUESTIONS@", sections.trim_end())
    })
}

/// The questions a survey report charts: every select, at the top level
/// or in a repeat, with its label in es, en, pt.
pub fn report_questions(form: &faro_formats::xlsform::Form) -> Vec<ReportQuestion> {
    let dl = form.default_language.clone();
    form.questions()
        .into_iter()
        .filter(|(q, _)| q.kind.is_select())
        .map(|(q, rep)| {
            let key = match rep {
                Some(r) => format!("{}/{}", r.name, q.name),
                None => q.name.clone(),
            };
            let labels = ["es", "en", "pt"].map(|l| {
                let lk = form.lang_for(l);
                match rep {
                    Some(r) => format!("{} › {}", r.label.get(&lk, &dl), q.label.get(&lk, &dl)),
                    None => q.label.get(&lk, &dl).to_string(),
                }
            });
            (key, labels)
        })
        .collect()
}

fn titles_of(sources: &[String; 3]) -> [String; 3] {
    sources.clone().map(|s| {
        faro_formats::report_markup::parse(&s)
            .map(|d| d.title)
            .unwrap_or_default()
    })
}

pub async fn create(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    let id = form.get("id").unwrap_or("").trim().to_string();
    let kind = form.get("kind").unwrap_or("custom").to_string();
    let series = form.get("series").unwrap_or("").to_string();
    let survey = form.get("survey").unwrap_or("").to_string();
    let mut errors = Vec::new();
    if !store::valid_id(&id) {
        errors.push(i18n::t(lang, "report-field-id"));
    }
    if !store::KINDS.contains(&kind.as_str()) {
        errors.push(i18n::t(lang, "report-field-kind"));
    }
    if kind == "series"
        && faro_store::events::get_series(&state.store, &series)
            .await
            .is_err()
    {
        errors.push(i18n::t(lang, "report-field-series"));
    }
    let mut questions = Vec::new();
    if kind == "survey" {
        match faro_store::surveys::get(state.store.read(), &survey).await {
            Ok(s) => {
                let f = faro_store::surveys::form(&state.store, &s.id, s.current_version)
                    .await
                    .map_err(|e| PageError::server(lang, &uri, e))?;
                questions = report_questions(&f);
            }
            Err(_) => errors.push(i18n::t(lang, "report-field-survey")),
        }
    }
    if !errors.is_empty() {
        return list_page(
            &state,
            lang,
            &uri,
            &viewer,
            1,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let sources = builtin(&kind, &series, &survey, &questions);
    let r = Report {
        id: id.clone(),
        kind,
        titles: titles_of(&sources),
        sources,
        editions: 0,
        updated_at: chrono::Utc::now(),
    };
    match store::save(
        &state.store,
        &r,
        Some(faro_store::changes::NEW_RECORD),
        &who.actor_name(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/{}/reports/{id}/edit", lang.code())).into_response()),
        Err(StoreError::Conflict) | Err(StoreError::Invalid(_)) => {
            list_page(
                &state,
                lang,
                &uri,
                &viewer,
                1,
                vec![i18n::t(lang, "report-field-id")],
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

// ----------------------------------------------------------- report page

#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    pub p: Page,
    pub id: String,
    pub title: String,
    /// (number, date, title in this language)
    pub editions: Vec<(i32, String, String)>,
    pub version: String,
    pub diff: Option<Diff>,
    pub a: i32,
    pub b: i32,
    pub notice: String,
    pub history: Vec<faro_store::entity::change_log::Model>,
}

pub struct Diff {
    pub a: i32,
    pub b: i32,
    /// (block, value in a, value in b)
    pub rows: Vec<(String, String, String)>,
}

#[derive(serde::Deserialize, Default)]
pub struct ReportQuery {
    pub a: Option<i32>,
    pub b: Option<i32>,
    pub published: Option<i32>,
}

pub async fn show(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ReportQuery>,
    viewer: Viewer,
) -> PageResult {
    let r = store::get(&state.store, &id).await.or_page(lang, &uri)?;
    let editions = store::editions(&state.store, &id, 200)
        .await
        .or_500(lang, &uri)?;
    let i = LANGS.iter().position(|l| *l == lang).unwrap_or(1);
    let diff = match (q.a, q.b) {
        (Some(a), Some(b)) => {
            let ea = editions.iter().find(|e| e.number == a);
            let eb = editions.iter().find(|e| e.number == b);
            match (ea, eb) {
                (Some(ea), Some(eb)) => {
                    let fa: BTreeMap<String, String> =
                        serde_json::from_str(&ea.figures).unwrap_or_default();
                    let fb: BTreeMap<String, String> =
                        serde_json::from_str(&eb.figures).unwrap_or_default();
                    let keys: std::collections::BTreeSet<&String> =
                        fa.keys().chain(fb.keys()).collect();
                    let rows = keys
                        .into_iter()
                        .filter(|k| fa.get(*k) != fb.get(*k))
                        .map(|k| {
                            (
                                k.clone(),
                                fa.get(k).cloned().unwrap_or_else(|| "—".into()),
                                fb.get(k).cloned().unwrap_or_else(|| "—".into()),
                            )
                        })
                        .collect();
                    Some(Diff { a, b, rows })
                }
                _ => return Err(PageError::not_found(lang, &uri)),
            }
        }
        _ => None,
    };
    let history = if viewer.is_coordinator() {
        faro_store::changes::history(&state.store, store::RECORD_TYPE, &id)
            .await
            .or_500(lang, &uri)?
            .into_iter()
            .filter(|h| !h.field.starts_with("source_"))
            .rev()
            .take(50)
            .collect()
    } else {
        Vec::new()
    };
    let ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Report",
        "name": title_in(&r, lang),
        "inLanguage": lang.code(),
        "hasPart": editions.iter().map(|e| serde_json::json!({
            "@type": "Report",
            "name": e.titles[i],
            "version": e.number.to_string(),
            "datePublished": e.published_at.format("%Y-%m-%d").to_string(),
            "url": format!("/{}/reports/{}/{}", lang.code(), id, e.number),
        })).collect::<Vec<_>>(),
    });
    let newest = editions.first().map(|e| e.number).unwrap_or(0);
    Ok(render(
        StatusCode::OK,
        &ReportPage {
            p: Page::new(lang, &uri, "reports").viewer(&viewer).with_ld(ld),
            id: id.clone(),
            title: title_in(&r, lang),
            editions: editions
                .iter()
                .map(|e| {
                    (
                        e.number,
                        engine::date(lang, e.published_at.date_naive()),
                        e.titles[i].clone(),
                    )
                })
                .collect(),
            version: r.version(),
            diff,
            a: q.a.unwrap_or((newest - 1).max(1)),
            b: q.b.unwrap_or(newest.max(1)),
            notice: q
                .published
                .map(|n| {
                    i18n::t_args(
                        lang,
                        "report-published",
                        &[("edition", FluentArg::Num(n as i64))],
                    )
                })
                .unwrap_or_default(),
            history,
        },
    ))
}

// ------------------------------------------------------------- edit form

#[derive(Template)]
#[template(path = "report_edit.html")]
pub struct EditPage {
    pub p: Page,
    pub id: String,
    pub version: String,
    pub sources: Vec<(String, String, String)>,
    pub problems: Vec<String>,
    pub notice: String,
    /// (language name, HTML of the preview)
    pub preview: Vec<(String, String)>,
    /// (kind name, params, doc)
    pub catalogue: Vec<(String, String, String)>,
}

fn catalogue() -> Vec<(String, String, String)> {
    CATALOGUE
        .iter()
        .map(|s| {
            (
                format!("{} {}", s.kind.code(), s.name),
                s.params
                    .iter()
                    .map(|p| {
                        if p.required {
                            p.name.to_string()
                        } else {
                            format!("[{}]", p.name)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                s.doc.to_string(),
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn edit_page(
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    id: &str,
    version: &str,
    sources: &[String; 3],
    problems: Vec<String>,
    notice: String,
    preview: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let mut r = render(
        status,
        &EditPage {
            p: Page::new(lang, uri, "reports").viewer(viewer),
            id: id.to_string(),
            version: version.to_string(),
            sources: LANGS
                .iter()
                .zip(sources.iter())
                .map(|(l, s)| {
                    (
                        l.code().to_string(),
                        i18n::t(lang, &format!("lang-{}", l.code())),
                        s.clone(),
                    )
                })
                .collect(),
            problems,
            notice,
            preview,
            catalogue: catalogue(),
        },
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("header"));
    r
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    super::Coordinator(_): super::Coordinator,
) -> PageResult {
    let r = store::get(&state.store, &id).await.or_page(lang, &uri)?;
    Ok(edit_page(
        lang,
        &uri,
        &viewer,
        &id,
        &r.version(),
        &r.sources,
        vec![],
        String::new(),
        vec![],
        StatusCode::OK,
    ))
}

/// Parses and resolves the three texts: the builds, or the problems in
/// the reader's language (a store failure is `Err(Err)`).
async fn build_all(
    state: &AppState,
    lang: Lang,
    sources: &[String; 3],
) -> Result<Vec<engine::Built>, Result<Vec<String>, StoreError>> {
    let docs = engine::parse_all(sources)
        .map_err(|p| Ok(p.iter().map(|x| problem_text(lang, x)).collect()))?;
    let mut resolver = engine::Resolver::new(&state.store);
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (l, d) in LANGS.iter().zip(docs.iter()) {
        match engine::build(&mut resolver, *l, d).await {
            Ok(b) => out.push(b),
            Err(Failure::Problems(p)) => problems.extend(p),
            Err(Failure::Store(e)) => return Err(Err(e)),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Ok(problems.iter().map(|x| problem_text(lang, x)).collect()))
    }
}

pub async fn edit_post(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    let r = store::get(&state.store, &id).await.or_page(lang, &uri)?;
    let version = form.get("version").unwrap_or("").to_string();
    let sources: [String; 3] = LANGS.map(|l| {
        form.get(&format!("source_{}", l.code()))
            .unwrap_or("")
            .replace("\r\n", "\n")
    });
    if form.get("action") == Some("preview") {
        return Ok(match build_all(&state, lang, &sources).await {
            Ok(builds) => {
                let preview = builds
                    .into_iter()
                    .map(|b| (i18n::t(lang, &format!("lang-{}", b.lang.code())), b.html))
                    .collect();
                edit_page(
                    lang,
                    &uri,
                    &viewer,
                    &id,
                    &version,
                    &sources,
                    vec![],
                    i18n::t(lang, "report-unsaved"),
                    preview,
                    StatusCode::OK,
                )
            }
            Err(Ok(problems)) => edit_page(
                lang,
                &uri,
                &viewer,
                &id,
                &version,
                &sources,
                problems,
                String::new(),
                vec![],
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(Err(e)) => return Err(PageError::server(lang, &uri, e)),
        });
    }
    // Saving keeps a text with problems (a draft), and says them.
    if sources
        .iter()
        .any(|s| s.chars().count() > store::MAX_SOURCE)
    {
        let problems = engine::parse_all(&sources)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|x| problem_text(lang, x))
            .collect();
        return Ok(edit_page(
            lang,
            &uri,
            &viewer,
            &id,
            &version,
            &sources,
            problems,
            String::new(),
            vec![],
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let next = Report {
        titles: titles_of(&sources),
        sources: sources.clone(),
        ..r
    };
    match store::save(&state.store, &next, Some(&version), &who.actor_name()).await {
        Ok(v) => {
            let problems: Vec<String> = engine::parse_all(&sources)
                .err()
                .unwrap_or_default()
                .iter()
                .map(|x| problem_text(lang, x))
                .collect();
            Ok(edit_page(
                lang,
                &uri,
                &viewer,
                &id,
                &v,
                &sources,
                problems,
                i18n::t(lang, "report-saved"),
                vec![],
                StatusCode::OK,
            ))
        }
        Err(StoreError::Conflict) => Ok(edit_page(
            lang,
            &uri,
            &viewer,
            &id,
            &version,
            &sources,
            vec![i18n::t(lang, "report-conflict")],
            String::new(),
            vec![],
            StatusCode::CONFLICT,
        )),
        Err(e) => Err(PageError::store(lang, &uri, e)),
    }
}

// --------------------------------------------------------------- publish

/// Makes every file of the next edition of `r` (HTML and PDF per
/// language, a CSV per block) and its figures; problems in the reader's
/// language.
pub async fn make_edition(
    state: &AppState,
    lang: Lang,
    r: &Report,
    number: i32,
    today: chrono::NaiveDate,
) -> Result<store::NewEdition, Result<Vec<String>, String>> {
    let builds = build_all(state, lang, &r.sources)
        .await
        .map_err(|e| e.map_err(|e| e.to_string()))?;
    let info = EditionInfo {
        report_id: r.id.clone(),
        number,
        date: today,
        base_url: state.config.public_url.trim_end_matches('/').to_string(),
    };
    let mut files = Vec::new();
    for b in &builds {
        files.push(store::EditionFile {
            name: format!("{}.html", b.lang.code()),
            media_type: "text/html; charset=utf-8".into(),
            content: engine::html_document(b, &info).into_bytes(),
        });
    }
    // The PDFs on a blocking thread (CPU work).
    let (bs, inf) = (builds.clone(), info.clone());
    let pdfs = tokio::task::spawn_blocking(move || {
        bs.iter()
            .map(|b| engine::pdf(b, &inf).map(|x| (b.lang, x)))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| Err(e.to_string()))?
    .map_err(|e| Err(e.to_string()))?;
    for (l, bytes) in pdfs {
        files.push(store::EditionFile {
            name: format!("{}.pdf", l.code()),
            media_type: "application/pdf".into(),
            content: bytes,
        });
    }
    let en = builds
        .iter()
        .find(|b| b.lang == Lang::En)
        .unwrap_or(&builds[0]);
    for (d, data) in &en.data {
        files.push(store::EditionFile {
            name: format!("{}.csv", engine::block_file(d)),
            media_type: "text/csv; charset=utf-8".into(),
            content: engine::csv(data),
        });
    }
    let sources =
        serde_json::json!({"es": r.sources[0], "en": r.sources[1], "pt": r.sources[2]}).to_string();
    Ok(store::NewEdition {
        titles: [
            builds[0].title.clone(),
            builds[1].title.clone(),
            builds[2].title.clone(),
        ],
        sources,
        figures: serde_json::to_string(&engine::figures(en)).unwrap_or_default(),
        files,
    })
}

pub async fn publish(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    let r = store::get(&state.store, &id).await.or_page(lang, &uri)?;
    let version = form.get("version").unwrap_or("").to_string();
    if version != r.version() {
        return Ok(edit_page(
            lang,
            &uri,
            &viewer,
            &id,
            &r.version(),
            &r.sources,
            vec![i18n::t(lang, "report-conflict")],
            String::new(),
            vec![],
            StatusCode::CONFLICT,
        ));
    }
    let today = chrono::Utc::now().date_naive();
    let edition = match make_edition(&state, lang, &r, r.editions + 1, today).await {
        Ok(e) => e,
        Err(Ok(problems)) => {
            let mut all = vec![i18n::t(lang, "report-problems")];
            all.extend(problems);
            return Ok(edit_page(
                lang,
                &uri,
                &viewer,
                &id,
                &r.version(),
                &r.sources,
                all,
                String::new(),
                vec![],
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
        Err(Err(e)) => return Err(PageError::server(lang, &uri, e)),
    };
    match store::publish(&state.store, &id, &version, edition, &who.actor_name()).await {
        Ok(n) => Ok(
            Redirect::to(&format!("/{}/reports/{id}?published={n}", lang.code())).into_response(),
        ),
        Err(StoreError::Conflict) => Ok(edit_page(
            lang,
            &uri,
            &viewer,
            &id,
            &r.version(),
            &r.sources,
            vec![i18n::t(lang, "report-conflict")],
            String::new(),
            vec![],
            StatusCode::CONFLICT,
        )),
        Err(e) => Err(PageError::store(lang, &uri, e)),
    }
}

// -------------------------------------------------------- frozen editions

fn frozen(f: store::EditionFile, download: Option<String>) -> Response {
    let mut r = (
        [
            (header::CONTENT_TYPE, f.media_type.clone()),
            // An edition never changes.
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_string(),
            ),
        ],
        f.content,
    )
        .into_response();
    if let Some(name) = download
        && let Ok(v) = format!("inline; filename=\"{name}\"").parse()
    {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

pub async fn edition(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id, edition)): Path<(String, String, String)>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let (number, ext) = match edition.strip_suffix(".pdf") {
        Some(n) => (n, "pdf"),
        None => (edition.as_str(), "html"),
    };
    let Ok(number) = number.parse::<i32>() else {
        return Err(PageError::not_found(lang, &uri));
    };
    let f = store::edition_file(&state.store, &id, number, &format!("{}.{ext}", lang.code()))
        .await
        .or_page(lang, &uri)?;
    let name = (ext == "pdf").then(|| format!("{id}-{number}-{}.pdf", lang.code()));
    Ok(frozen(f, name))
}

pub async fn edition_data(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id, edition, file)): Path<(String, String, String, String)>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let Ok(number) = edition.parse::<i32>() else {
        return Err(PageError::not_found(lang, &uri));
    };
    if !file.ends_with(".csv") || file.contains('/') {
        return Err(PageError::not_found(lang, &uri));
    }
    let f = store::edition_file(&state.store, &id, number, &file)
        .await
        .or_page(lang, &uri)?;
    Ok(frozen(f, Some(file)))
}
