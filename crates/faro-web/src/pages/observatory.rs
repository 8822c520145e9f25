//! The observatory: browse measures with facets, a measure's page with its
//! sources and a "cite this" box, the codebook, and the open-data files.

use super::search::facet_label as search_facet_label;
use super::{OrBadRequest, OrPage, OrServerError, Page, PageError, PageLang, PageResult, render};
use crate::auth::Viewer;
pub use crate::toolkit::{FacetGroup, FacetLink};
use crate::toolkit::{facet_groups, page_href, prev_next};
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use faro_domain::Lang;
use faro_domain::observatory::{self as obs, Measure};
use faro_store::observatory as store_obs;

pub struct Row {
    pub id: String,
    pub title: String,
    pub title_lang: Option<&'static str>,
    pub institution: String,
    pub institution_id: String,
    pub country: String,
    pub categories: Vec<(String, String)>,
    pub status: String,
}

#[derive(Template)]
#[template(path = "observatory.html")]
pub struct ObservatoryPage {
    pub p: Page,
    pub rows: Vec<Row>,
    pub total: u64,
    pub facets: Vec<FacetGroup>,
    pub page: u64,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub filtered: bool,
    /// The words searched for (answered by the search index).
    pub q: String,
    /// The filters, kept by the search form.
    pub hidden: Vec<(String, String)>,
    /// Words were asked for and the search index cannot answer.
    pub text_unavailable: bool,
}

pub fn value_label(
    lang: Lang,
    facet: &str,
    value: &str,
    acronyms: &std::collections::HashMap<String, String>,
) -> String {
    match facet {
        "country" if value == "none" => i18n::t(lang, "country-none"),
        "country" => search_facet_label(lang, "country", value),
        "institution" => acronyms
            .get(value)
            .cloned()
            .unwrap_or_else(|| value.to_string()),
        "category" => obs::current()
            .get(value)
            .map(|c| format!("{} {}", c.code, c.label(lang)))
            .unwrap_or_else(|| value.to_string()),
        "target_group" => i18n::t(lang, &format!("tg-{}", value.replace('_', "-"))),
        "status" => i18n::t(lang, &format!("status-{value}")),
        "year" if value == "unknown" => i18n::t(lang, "date-unknown"),
        _ => value.to_string(),
    }
}

/// Acronyms of the institutions a page names (and only those).
pub fn acronyms(
    state: &AppState,
    ids: impl IntoIterator<Item = String>,
) -> impl Future<Output = Result<std::collections::HashMap<String, String>, faro_store::StoreError>> + '_
{
    // Collected before the future exists, so no borrowed iterator lives
    // across an await.
    let ids: Vec<String> = ids.into_iter().collect();
    async move { faro_store::institutions::acronyms(&state.store, &ids).await }
}

/// How many values of one facet a page lists (the selected ones always).
pub const FACET_VALUES_SHOWN: usize = 20;

/// A facet's values as a page shows them: the most frequent ones and every
/// selected one.
pub fn shown_values<'a>(
    values: &'a [(String, u64)],
    facet: &str,
    wanted: &[(String, String)],
) -> Vec<&'a (String, u64)> {
    values
        .iter()
        .enumerate()
        .filter(|(i, (v, _))| {
            *i < FACET_VALUES_SHOWN
                || wanted
                    .iter()
                    .any(|(k, x)| k == facet && x.eq_ignore_ascii_case(v))
        })
        .map(|(_, x)| x)
        .collect()
}

pub async fn observatory(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    q: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Ok(Query(pairs)) = q else {
        return Err(PageError::malformed_query(lang, &uri));
    };
    let (filter, page, _) = crate::observatory_params::parse(&pairs).or_400(lang, &uri)?;
    const PER: u64 = 50;
    // Words: the shared search index answers, with the observatory's
    // filters and facets; without words, SQL.
    let text = crate::finder::text(&pairs);
    let mut text_unavailable = false;
    let listed = if text.is_empty() {
        store_obs::list(
            &state.store,
            &filter,
            faro_store::list::PageReq::new(page, PER),
        )
        .await
        .or_500(lang, &uri)?
    } else {
        match crate::finder::measures(
            &state,
            &filter.pairs(),
            &text,
            faro_store::list::PageReq::new(page, PER),
        )
        .await
        .or_500(lang, &uri)?
        {
            Some(l) => l,
            None => {
                text_unavailable = true;
                store_obs::Listed {
                    items: Vec::new(),
                    total: 0,
                    facets: Default::default(),
                }
            }
        }
    };
    let (items, facet_counts) = (listed.items, listed.facets);
    let kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, v)| k != "page" && !v.trim().is_empty())
        .cloned()
        .collect();
    let base = format!("/{}/observatory", lang.code());
    let shown: Vec<(&str, Vec<&(String, u64)>)> = facet_counts
        .iter()
        .map(|(facet, values)| (*facet, shown_values(values, facet, &kept)))
        .collect();
    let names = acronyms(
        &state,
        items.iter().map(|m| m.institution.clone()).chain(
            shown
                .iter()
                .filter(|(f, _)| *f == "institution")
                .flat_map(|(_, v)| v.iter().map(|(x, _)| x.clone())),
        ),
    )
    .await
    .or_500(lang, &uri)?;
    let facets = facet_groups(
        shown,
        &kept,
        |f| i18n::t(lang, &format!("obs-facet-{}", f.replace('_', "-"))),
        |f, v| value_label(lang, f, v, &names),
        &base,
    );
    let total = listed.total;
    let pages = total.div_ceil(PER).max(1);
    let rows = items.iter().map(|m| row(lang, m, &names)).collect();
    let (prev, next) = prev_next(page, pages, |n| page_href(&base, &kept, n));
    let view = ObservatoryPage {
        p: Page::new(lang, &uri, "observatory").viewer(&viewer).with_ld(serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": i18n::t(lang, "obs-title"),
            "description": i18n::t(lang, "obs-lead"),
            "inLanguage": lang.code(),
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "distribution": [
                {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": "/data/measures.csv"},
                {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": "/data/measures.json"}
            ]
        })),
        rows,
        total,
        facets,
        page,
        pages,
        prev,
        next,
        filtered: !kept.is_empty(),
        q: text,
        hidden: filter.pairs(),
        text_unavailable,
    };
    Ok(render(StatusCode::OK, &view))
}

pub fn row(lang: Lang, m: &Measure, names: &std::collections::HashMap<String, String>) -> Row {
    let own = match lang {
        Lang::Es => &m.title_es,
        Lang::En => &m.title_en,
        Lang::Pt => &m.title_pt,
    };
    Row {
        id: m.id.clone(),
        title: m.title(lang).to_string(),
        title_lang: own
            .is_empty()
            .then(|| Lang::from_code(&m.original_language).map(|l| l.code()))
            .flatten(),
        institution: names
            .get(&m.institution)
            .cloned()
            .unwrap_or_else(|| m.institution.clone()),
        institution_id: m.institution.clone(),
        country: m
            .country
            .as_deref()
            .map(|c| search_facet_label(lang, "country", c))
            .unwrap_or_default(),
        categories: m
            .categories
            .iter()
            .map(|c| {
                (
                    c.clone(),
                    obs::current()
                        .get(c)
                        .map(|x| x.label(lang).to_string())
                        .unwrap_or_default(),
                )
            })
            .collect(),
        status: i18n::t(lang, &format!("status-{}", m.status)),
    }
}

#[derive(Template)]
#[template(path = "measure.html")]
pub struct MeasurePage {
    pub p: Page,
    pub m: Measure,
    pub row: Row,
    pub title: String,
    pub description: String,
    pub dates: Vec<(String, String)>,
    pub target_groups: Vec<String>,
    pub scope: String,
    pub log_type: String,
    pub source_type: String,
    pub cite: String,
    pub codebook_version: u32,
    pub json_ld: String,
    /// The viewer may edit this measure (its institution's editor or a coordinator).
    pub can_edit: bool,
    /// Knowledge-base resources that document this measure.
    pub resources: Vec<super::knowledge::Row>,
    /// A measure coded C4 (free online courses): the courses its
    /// institution offers in the finder (the first few) and how many.
    pub courses: Vec<(String, String)>,
    pub courses_total: u64,
    /// The suggestion form, empty.
    pub fix: super::corrections::SuggestForm,
}

fn date_text(lang: Lang, v: &str) -> String {
    match v {
        "" => i18n::t(lang, "date-unknown"),
        "none" => i18n::t(lang, "date-none"),
        d => i18n::partial_date(lang, d),
    }
}

pub async fn measure(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    mut viewer: Viewer,
) -> PageResult {
    let cookie = super::account::ensure_anon_csrf(&state, &mut viewer);
    if !faro_domain::institutions::is_slug(&id) {
        return Err(PageError::not_found(lang, &uri));
    }
    let m = store_obs::get(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let (related, _) = faro_store::knowledge::related(&state.store, "measure", &m.id, 50)
        .await
        .or_500(lang, &uri)?;
    let names = acronyms(
        &state,
        std::iter::once(m.institution.clone()).chain(
            related
                .iter()
                .flat_map(|r| r.resource.institutions.iter().cloned()),
        ),
    )
    .await
    .or_500(lang, &uri)?;
    let url = format!(
        "{}/{}/observatory/measures/{}",
        state.config.public_url.trim_end_matches('/'),
        lang.code(),
        m.id
    );
    let codebook_version = obs::current().version;
    let today = i18n::day(lang, chrono::Utc::now().date_naive());
    let cite = i18n::t_args(
        lang,
        "cite-measure",
        &[
            ("title", m.title(lang).to_string().into()),
            ("id", m.id.clone().into()),
            ("version", i18n::FluentArg::Num(codebook_version.into())),
            ("url", url.clone().into()),
            ("date", today.into()),
        ],
    );
    let ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": url,
        "identifier": m.id,
        "name": m.title(lang),
        "description": m.description(lang),
        "inLanguage": m.original_language,
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "isBasedOn": m.source_url,
        "keywords": m.categories,
    });
    let json_ld = crate::toolkit::ld_json(&ld);
    let resources = related
        .iter()
        .map(|r| super::knowledge::row(lang, &r.resource, &names))
        .collect();
    let (courses, courses_total) = if m
        .categories
        .iter()
        .any(|c| c == super::courses::FREE_COURSES_CODE)
    {
        let (items, total) = faro_store::courses::for_institution(&state.store, &m.institution, 10)
            .await
            .or_500(lang, &uri)?;
        (
            items
                .iter()
                .map(|s| (s.course.id.clone(), s.course.title(lang).to_string()))
                .collect(),
            total,
        )
    } else {
        (Vec::new(), 0)
    };
    let page = MeasurePage {
        fix: super::corrections::SuggestForm::empty(&m.id),
        resources,
        courses,
        courses_total,
        p: Page::new(lang, &uri, "observatory").viewer(&viewer),
        row: row(lang, &m, &names),
        title: m.title(lang).to_string(),
        description: m.description(lang).to_string(),
        dates: vec![
            (
                i18n::t(lang, "obs-announced"),
                date_text(lang, &m.announced_date),
            ),
            (i18n::t(lang, "obs-start"), date_text(lang, &m.start_date)),
            (i18n::t(lang, "obs-end"), date_text(lang, &m.end_date)),
        ],
        target_groups: m
            .target_groups
            .iter()
            .map(|g| i18n::t(lang, &format!("tg-{}", g.replace('_', "-"))))
            .collect(),
        scope: [m.scope_level.as_str(), m.scope_targeting.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| i18n::t(lang, &format!("scope-{s}")))
            .collect::<Vec<_>>()
            .join(", "),
        log_type: i18n::t(lang, &format!("log-{}", m.log_type.replace('_', "-"))),
        source_type: i18n::t(lang, &format!("source-{}", m.source_type.replace('_', "-"))),
        cite,
        can_edit: viewer
            .principal
            .as_ref()
            .is_some_and(|p| p.can_edit_measure(&m)),
        codebook_version,
        json_ld,
        m,
    };
    Ok(super::account::with_cookie(
        render(StatusCode::OK, &page),
        cookie,
    ))
}

#[derive(Template)]
#[template(path = "codebook.html")]
pub struct CodebookPage {
    pub p: Page,
    pub cb: &'static obs::Codebook,
    pub versions: Vec<u32>,
}

impl CodebookPage {
    pub fn label<'a>(&self, c: &'a obs::Code) -> &'a str {
        c.label(self.p.lang)
    }
    pub fn description<'a>(&self, c: &'a obs::Code) -> &'a str {
        c.description(self.p.lang)
    }
    /// The release date in words.
    pub fn released(&self) -> String {
        i18n::partial_date(self.p.lang, self.cb.released)
    }
}

pub async fn codebook(
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    q: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Ok(Query(pairs)) = q else {
        return Err(PageError::malformed_query(lang, &uri));
    };
    let cb = match pairs.iter().find(|(k, _)| k == "version") {
        None => obs::current(),
        Some((_, v)) => match v.parse::<u32>().ok().and_then(obs::version) {
            Some(cb) => cb,
            None => return Err(PageError::not_found(lang, &uri)),
        },
    };
    let page = CodebookPage {
        p: Page::new(lang, &uri, "observatory").viewer(&viewer),
        cb,
        versions: obs::codebooks().iter().map(|c| c.version).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

fn data_response(name: &str, body: Vec<u8>) -> Response {
    let ct = if name.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else {
        "application/json"
    };
    (
        [
            (header::CONTENT_TYPE, ct.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Open data downloads under `/data/`.
/// The body is streamed part by part (see `opendata::stream`); a database
/// error before the first part answers 500, a later one ends the body early
/// (the client sees a truncated transfer, never a file that looks whole).
pub async fn data_file(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    if !crate::opendata::STREAMED.contains(&name.as_str()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    // The files change only when the data version does (and with Faro's
    // version, which may change a layout): ETag and Last-Modified from it.
    let (version, at) = match faro_store::outbox::newest(&state.store).await {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "data version failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                "unavailable",
            )
                .into_response();
        }
    };
    let etag = format!("\"{}-{version}\"", env!("CARGO_PKG_VERSION"));
    let last_modified = at.map(|t| t.format("%a, %d %b %Y %H:%M:%S GMT").to_string());
    let validators = |status: StatusCode| {
        let mut r = status.into_response();
        let h = r.headers_mut();
        if let Ok(v) = etag.parse() {
            h.insert(header::ETAG, v);
        }
        if let Some(v) = last_modified.as_deref().and_then(|v| v.parse().ok()) {
            h.insert(header::LAST_MODIFIED, v);
        }
        h.insert(header::CACHE_CONTROL, "public, no-cache".parse().unwrap());
        r
    };
    let inm = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok());
    let not_modified = match inm {
        Some(v) => v.split(',').any(|t| t.trim() == etag || t.trim() == "*"),
        None => headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
            .zip(at)
            .is_some_and(|(since, at)| at.timestamp() <= since.timestamp()),
    };
    if not_modified {
        return validators(StatusCode::NOT_MODIFIED);
    }
    let Some(permit) = crate::heavy_slot(&state) else {
        return crate::busy();
    };
    let Some(mut rx) = crate::opendata::stream(&state.store, &state.config.public_url, &name)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let first = match rx.recv().await {
        Some(Ok(part)) => part,
        None => Vec::new(),
        Some(Err(e)) => {
            tracing::error!(error = %e, "data file failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
        }
    };
    let rest = tokio_stream::wrappers::ReceiverStream::new(rx);
    let body = tokio_stream::StreamExt::map(
        tokio_stream::StreamExt::chain(tokio_stream::once(Ok(first)), rest),
        move |part| {
            // The slot is held until the last part is sent (or the client goes).
            let _held = &permit;
            part.map(axum::body::Bytes::from).map_err(|e| {
                tracing::error!(error = %e, "data file failed while streaming");
                std::io::Error::other("data file failed")
            })
        },
    );
    let ct = if name.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else {
        "application/json"
    };
    let mut r = validators(StatusCode::OK);
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, ct.parse().unwrap());
    if let Ok(v) = format!("inline; filename=\"{name}\"").parse() {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    *r.body_mut() = axum::body::Body::from_stream(body);
    r
}

/// `/data/releases`: the list of frozen releases (JSON).
pub async fn releases_index(State(state): State<AppState>) -> Response {
    match faro_store::releases::list(&state.store).await {
        Ok(list) => axum::Json(serde_json::json!({
            "releases": list.into_iter().map(|(name, at)| serde_json::json!({
                "name": name,
                "created_at": at.to_rfc3339(),
                "files": crate::opendata::FILES.iter().map(|f| format!("/data/releases/{name}/{f}")).collect::<Vec<_>>(),
            })).collect::<Vec<_>>()
        }))
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "releases failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// `/data/releases/{release}/{file}`: a frozen file, byte for byte, except
/// that people are shown by public name or role like in the live files
/// (releases frozen before public names held e-mail addresses).
pub async fn release_file(
    State(state): State<AppState>,
    Path((release, name)): Path<(String, String)>,
) -> Response {
    let Some(_slot) = crate::heavy_slot(&state) else {
        return crate::busy();
    };
    let text = match faro_store::releases::file(&state.store, &release, &name).await {
        Ok(text) => crate::people::public_release_file(&state.store, &name, text).await,
        Err(e) => Err(e),
    };
    match text {
        Ok(text) => data_response(&name, text.into_bytes()),
        Err(faro_store::StoreError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "release file failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

pub struct Chart {
    pub id: &'static str,
    pub title: String,
    /// Trusted SVG built by `crate::charts` (all text escaped there).
    pub svg: String,
    pub note: Option<String>,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "charts.html")]
pub struct ChartsPage {
    pub p: Page,
    pub charts: Vec<Chart>,
}

pub async fn charts(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let all = store_obs::chart_counts(&state.store)
        .await
        .or_500(lang, &uri)?;
    let country_name = |c: &str| {
        if c == "none" {
            i18n::t(lang, "country-none-short")
        } else {
            search_facet_label(lang, "country", c)
        }
    };
    let cols: Vec<String> = obs::current()
        .categories()
        .map(|c| c.code.clone())
        .collect();
    // Country × category.
    let matrix = crate::charts::country_category(&all);
    let mut rows: Vec<(String, String)> = matrix
        .keys()
        .map(|c| (c.clone(), country_name(c)))
        .collect();
    rows.sort_by(|a, b| {
        (a.0 == "none")
            .cmp(&(b.0 == "none"))
            .then_with(|| a.1.cmp(&b.1))
    });
    let matrix_rows = rows
        .iter()
        .map(|(code, name)| {
            let mut r = vec![name.clone()];
            r.extend(cols.iter().map(|c| {
                matrix
                    .get(code)
                    .and_then(|m| m.get(c))
                    .copied()
                    .unwrap_or(0)
                    .to_string()
            }));
            r
        })
        .collect();
    let mut head = vec![i18n::t(lang, "col-country")];
    head.extend(cols.iter().cloned());
    let matrix_chart = Chart {
        id: "matrix",
        title: i18n::t(lang, "chart-matrix"),
        svg: crate::charts::matrix_svg(&matrix, &rows, &cols, "matrix-title"),
        note: Some(i18n::t(lang, "chart-matrix-note")),
        head,
        rows: matrix_rows,
    };
    // Map.
    let per_country = crate::charts::per_country(&all);
    let map_rows = rows
        .iter()
        .map(|(code, name)| {
            vec![
                name.clone(),
                per_country.get(code).copied().unwrap_or(0).to_string(),
            ]
        })
        .collect();
    let map_chart = Chart {
        id: "map",
        title: i18n::t(lang, "chart-map"),
        svg: crate::charts::map_svg(&per_country, &|c| country_name(c), "map-title"),
        note: Some(i18n::t(lang, "chart-map-note")),
        head: vec![
            i18n::t(lang, "col-country"),
            i18n::t(lang, "chart-measures"),
        ],
        rows: map_rows,
    };
    // Timeline.
    let (months, undated) = crate::charts::per_month(&all);
    let mut thead = vec![i18n::t(lang, "chart-month")];
    thead.extend(cols.iter().cloned());
    let trows = months
        .iter()
        .map(|(month, by)| {
            let mut r = vec![month.clone()];
            r.extend(
                cols.iter()
                    .map(|c| by.get(c).copied().unwrap_or(0).to_string()),
            );
            r
        })
        .collect();
    let timeline = Chart {
        id: "timeline",
        title: i18n::t(lang, "chart-timeline"),
        svg: crate::charts::timeline_svg(&months, &cols, "timeline-title"),
        note: Some(i18n::t_args(
            lang,
            "chart-undated",
            &[("count", i18n::FluentArg::Num(undated as i64))],
        )),
        head: thead,
        rows: trows,
    };
    Ok(render(
        StatusCode::OK,
        &ChartsPage {
            p: Page::new(lang, &uri, "observatory").viewer(&viewer),
            charts: vec![map_chart, matrix_chart, timeline],
        },
    ))
}
