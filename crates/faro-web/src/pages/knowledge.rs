//! The knowledge base: `/{lang}/resources` with facets, a page per resource
//! with schema.org JSON-LD and a "cite this" box.

use super::observatory::acronyms;
use super::{
    CsrfForm, OrBadRequest, OrPage, OrServerError, Page, PageError, PageLang, PageResult, render,
};
use crate::auth::Viewer;
use crate::toolkit::{FacetGroup, facet_groups, page_href, prev_next};
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use faro_domain::Lang;
use faro_domain::knowledge::Resource;
use faro_store::knowledge as kb;

pub struct Row {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub institutions: String,
}

#[derive(Template)]
#[template(path = "resources.html")]
pub struct ListPage {
    pub p: Page,
    pub rows: Vec<Row>,
    pub total: u64,
    pub facets: Vec<FacetGroup>,
    pub filtered: bool,
    /// Signed-in editors with institutions, and coordinators.
    pub can_create: bool,
    pub page: u64,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

pub fn label(
    lang: Lang,
    facet: &str,
    v: &str,
    names: &std::collections::HashMap<String, String>,
) -> String {
    match facet {
        "type" => i18n::t(lang, &format!("rtype-{}", v.replace('_', "-"))),
        "topic" => faro_domain::observatory::current()
            .get(v)
            .map(|c| format!("{} {}", c.code, c.label(lang)))
            .unwrap_or_else(|| v.to_string()),
        "institution" => names.get(v).cloned().unwrap_or_else(|| v.to_string()),
        "country" => super::search::facet_label(lang, "country", v),
        "language" => super::search::facet_label(lang, "language", v),
        "license" | "year" if v == "unknown" => i18n::t(lang, "date-unknown"),
        _ => v.to_string(),
    }
}

pub fn row(lang: Lang, r: &Resource, names: &std::collections::HashMap<String, String>) -> Row {
    Row {
        id: r.id.clone(),
        title: r.title(lang).to_string(),
        kind: i18n::t(
            lang,
            &format!("rtype-{}", r.resource_type.replace('_', "-")),
        ),
        institutions: r
            .institutions
            .iter()
            .map(|i| names.get(i).cloned().unwrap_or_else(|| i.clone()))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

pub fn parse(
    pairs: &[(String, String)],
) -> Result<Vec<(String, String)>, crate::params::ParamError> {
    let mut out = Vec::new();
    for (k, v) in pairs {
        let v = v.trim();
        if !kb::FACETS.contains(&k.as_str()) || v.is_empty() {
            continue;
        }
        if v.chars().count() > crate::api::doc::FACET_MAX_CHARS || v.chars().any(char::is_control) {
            return Err(crate::params::ParamError::new(k, "invalid_facet", v));
        }
        out.push((
            k.clone(),
            if k == "country" {
                v.to_ascii_uppercase()
            } else {
                v.to_string()
            },
        ));
    }
    Ok(out)
}

pub async fn list(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    q: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Ok(Query(pairs)) = q else {
        return Err(PageError::malformed_query(lang, &uri));
    };
    let wanted = parse(&pairs).or_400(lang, &uri)?;
    let page_no = crate::params::page_number(&pairs).or_400(lang, &uri)?;
    const PER: u64 = 50;
    let listed = kb::list(
        &state.store,
        &wanted,
        faro_store::list::PageReq::new(page_no, PER),
    )
    .await
    .or_500(lang, &uri)?;
    let (items, counts) = (listed.items, listed.facets);
    let shown: Vec<(&str, Vec<&(String, u64)>)> = counts
        .iter()
        .map(|(f, values)| (*f, super::observatory::shown_values(values, f, &wanted)))
        .collect();
    let names = acronyms(
        &state,
        items
            .iter()
            .flat_map(|s| s.resource.institutions.iter().cloned())
            .chain(
                shown
                    .iter()
                    .filter(|(f, _)| *f == "institution")
                    .flat_map(|(_, v)| v.iter().map(|(x, _)| x.clone())),
            ),
    )
    .await
    .or_500(lang, &uri)?;
    let base = format!("/{}/resources", lang.code());
    let facets = facet_groups(
        shown,
        &wanted,
        |f| i18n::t(lang, &format!("kb-facet-{f}")),
        |f, v| label(lang, f, v, &names),
        &base,
    );
    let pages = listed.total.div_ceil(PER).max(1);
    let (prev, next) = prev_next(page_no, pages, |n| page_href(&base, &wanted, n));
    let page = ListPage {
        p: Page::new(lang, &uri, "resources").viewer(&viewer).with_ld(serde_json::json!({
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": i18n::t(lang, "kb-title"),
            "inLanguage": lang.code(),
            "hasPart": items.iter().map(|s| serde_json::json!({"@type": "CreativeWork", "name": s.resource.title(lang), "url": format!("/{}/resources/{}", lang.code(), s.resource.id)})).collect::<Vec<_>>()
        })),
        total: listed.total,
        rows: items
            .iter()
            .map(|s| row(lang, &s.resource, &names))
            .collect(),
        facets,
        filtered: !wanted.is_empty(),
        page: page_no,
        pages,
        prev,
        next,
        can_create: viewer
            .principal
            .as_ref()
            .is_some_and(|p| p.can_create_records()),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "resource.html")]
pub struct ResourcePage {
    pub p: Page,
    pub r: Resource,
    pub row: Row,
    pub description: String,
    pub topics: Vec<(String, String)>,
    pub audience: Vec<String>,
    pub languages: Vec<String>,
    pub countries: Vec<String>,
    pub cite: String,
    pub json_ld: String,
    pub files: Vec<FileRow>,
    pub can_upload: bool,
    /// The last link check, for the resource's editors.
    pub link_check: Option<String>,
    /// (identifier, resolver link).
    pub identifiers: Vec<(String, String)>,
    /// (measure id, title) of published related measures.
    pub related_measures: Vec<(String, String)>,
    /// The resource's institutions: (id, acronym, name in the page's
    /// language), in the resource's order.
    pub institutions: Vec<(String, String, String)>,
    pub related_sessions: Vec<SessionLink>,
}

pub struct SessionLink {
    pub id: String,
    pub label: String,
}

pub fn json_ld(r: &Resource, url: &str, lang: Lang) -> serde_json::Value {
    let learning = matches!(
        r.resource_type.as_str(),
        "free_online_course"
            | "digital_teaching_resource"
            | "distance_teaching_guideline"
            | "teacher_competence_framework"
    );
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": if learning { serde_json::json!(["CreativeWork", "LearningResource"]) } else { serde_json::json!("CreativeWork") },
        "@id": url,
        "identifier": r.id,
        "name": r.title(lang),
        "description": r.description(lang),
        "inLanguage": r.languages,
        "keywords": r.topics,
        "audience": r.audience.iter().map(|a| serde_json::json!({"@type": "Audience", "audienceType": a})).collect::<Vec<_>>(),
    });
    if !r.url.is_empty() {
        v["url"] = serde_json::json!(r.url);
    }
    let links: Vec<String> = r
        .identifiers
        .iter()
        .filter_map(|i| faro_domain::knowledge::identifier_link(i))
        .collect();
    if !links.is_empty() {
        v["sameAs"] = serde_json::json!(links);
    }
    if !r.license.is_empty() {
        v["license"] = serde_json::json!(r.license);
    }
    if !r.published.is_empty() {
        v["datePublished"] = serde_json::json!(r.published);
    }
    v
}

pub async fn page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let s = kb::get(&state.store, &id).await.or_page(lang, &uri)?;
    let names = acronyms(&state, s.resource.institutions.iter().cloned())
        .await
        .or_500(lang, &uri)?;
    let r = s.resource;
    let files = faro_store::files::for_resource(&state.store, &r.id)
        .await
        .or_500(lang, &uri)?
        .into_iter()
        .map(|f| FileRow {
            format: f.name.rsplit('.').next().unwrap_or("").to_uppercase(),
            size: human_size(f.size),
            sha: f.sha256,
            name: f.name,
        })
        .collect();
    let can_upload = viewer
        .principal
        .as_ref()
        .is_some_and(|p| p.can_edit_resource(&r));
    // Drafts are never shown: only published measures are listed.
    let related_measures =
        faro_store::observatory::published_with_ids(&state.store, &r.related_measures)
            .await
            .or_500(lang, &uri)?
            .into_iter()
            .map(|m| (m.id.clone(), m.title(lang).to_string()))
            .collect();
    let mut related_sessions = Vec::new();
    for id in &r.related_sessions {
        match faro_store::events::get(&state.store, id).await {
            Ok(s) => related_sessions.push(SessionLink {
                label: super::events::label(lang, &s),
                id: s.id,
            }),
            Err(faro_store::StoreError::NotFound) => {}
            Err(e) => return Err(PageError::server(lang, &uri, e)),
        }
    }
    let identifiers = r
        .identifiers
        .iter()
        .filter_map(|i| faro_domain::knowledge::identifier_link(i).map(|l| (i.clone(), l)))
        .collect();
    let link_check = if can_upload {
        match faro_store::link_checks::get(&state.store, &r.id).await {
            Ok(Some(c)) => Some(i18n::t_args(
                lang,
                &format!("link-{}", c.outcome),
                &[
                    (
                        "status",
                        c.status_code
                            .map(|s| s.to_string())
                            .unwrap_or_else(|| "-".into())
                            .into(),
                    ),
                    ("date", i18n::moment(lang, c.checked_at).into()),
                    ("detail", c.detail.into()),
                ],
            )),
            Ok(None) => Some(i18n::t(lang, "link-never")),
            Err(e) => return Err(PageError::server(lang, &uri, e)),
        }
    } else {
        None
    };
    let url = format!(
        "{}/{}/resources/{}",
        state.config.public_url.trim_end_matches('/'),
        lang.code(),
        r.id
    );
    let ld = crate::toolkit::ld_json(&json_ld(&r, &url, lang));
    let cite = i18n::t_args(
        lang,
        "cite-resource",
        &[
            ("title", r.title(lang).to_string().into()),
            ("who", row(lang, &r, &names).institutions.into()),
            ("url", url.clone().into()),
            (
                "date",
                i18n::day(lang, chrono::Utc::now().date_naive()).into(),
            ),
        ],
    );
    let known = faro_store::institutions::many(&state.store, &r.institutions)
        .await
        .or_page(lang, &uri)?;
    let institutions = r
        .institutions
        .iter()
        .map(|id| match known.iter().find(|i| &i.id == id) {
            Some(i) => (
                id.clone(),
                i.acronym.clone(),
                i.display_name(lang).to_string(),
            ),
            None => (id.clone(), id.clone(), String::new()),
        })
        .collect();
    let page = ResourcePage {
        institutions,
        p: Page::new(lang, &uri, "resources").viewer(&viewer),
        row: row(lang, &r, &names),
        description: r.description(lang).to_string(),
        topics: r
            .topics
            .iter()
            .map(|t| (t.clone(), label(lang, "topic", t, &names)))
            .collect(),
        audience: r
            .audience
            .iter()
            .map(|a| i18n::t(lang, &format!("aud-{}", a.replace('_', "-"))))
            .collect(),
        languages: r
            .languages
            .iter()
            .map(|l| label(lang, "language", l, &names))
            .collect(),
        countries: r
            .countries
            .iter()
            .map(|c| label(lang, "country", c, &names))
            .collect(),
        cite,
        json_ld: ld,
        files,
        can_upload,
        link_check,
        identifiers,
        related_measures,
        related_sessions,
        r,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The signed-in user allowed to edit resource `id` (401, 404, 403 otherwise).
async fn resource_editor(
    state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    id: &str,
) -> Result<faro_domain::accounts::Principal, PageError> {
    let who = super::signed_in(lang, uri, viewer)?;
    let resource = kb::get(&state.store, id).await.or_page(lang, uri)?.resource;
    if !who.can_edit_resource(&resource) {
        return Err(PageError::forbidden(lang, uri));
    }
    Ok(who)
}

#[derive(serde::Deserialize, Default)]
pub struct UploadQuery {
    csrf: Option<String>,
}

/// Attaches a file to a resource (its institutions' editors, coordinators).
/// The type is read from the content; the name gets that type's extension.
/// Nothing of the body is read before the CSRF token (in the form's
/// action URL, `?csrf=`), the session and the permission are checked and a
/// declared length over the limit is refused: anonymous or forged posts
/// cost no memory, and too large a body gets a 413 page in the visitor's
/// language.
#[allow(clippy::too_many_arguments)]
pub async fn upload(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    q: Result<Query<UploadQuery>, axum::extract::rejection::QueryRejection>,
    headers: axum::http::HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    let msg = |status: StatusCode, key: &str| -> PageResult {
        let p = Page::new(lang, &uri, "resources").viewer(&viewer);
        let m = p.t(key);
        let mut r = super::message(status, p, "upload-title", m);
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            // The unread rest of the body is not waited for.
            r.headers_mut().insert(
                axum::http::header::CONNECTION,
                axum::http::HeaderValue::from_static("close"),
            );
        }
        Ok(r)
    };
    let query_csrf = q.ok().and_then(|Query(q)| q.csrf);
    if !crate::auth::csrf_ok(&viewer, query_csrf.as_deref()) {
        return Err(PageError::csrf_failed(lang, &uri));
    }
    let who = resource_editor(&state, lang, &uri, &viewer, &id).await?;
    // The form's other fields and multipart framing fit in 64 KiB.
    let limit = state.config.max_upload_bytes.saturating_add(64 * 1024);
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return msg(StatusCode::PAYLOAD_TOO_LARGE, "upload-too-large");
    }
    let Ok(mut multipart) = multipart else {
        return msg(StatusCode::BAD_REQUEST, "upload-malformed");
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                let original = field.file_name().unwrap_or("file").to_string();
                match field.bytes().await {
                    Ok(b) if name == "file" => file = Some((original, b.to_vec())),
                    Ok(_) => {}
                    Err(e) if too_large(&e) => {
                        return msg(StatusCode::PAYLOAD_TOO_LARGE, "upload-too-large");
                    }
                    Err(_) => return msg(StatusCode::BAD_REQUEST, "upload-malformed"),
                }
            }
            Ok(None) => break,
            Err(e) if too_large(&e) => {
                return msg(StatusCode::PAYLOAD_TOO_LARGE, "upload-too-large");
            }
            Err(_) => return msg(StatusCode::BAD_REQUEST, "upload-malformed"),
        }
    }
    let Some((original, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return msg(StatusCode::UNPROCESSABLE_ENTITY, "upload-missing");
    };
    if bytes.len() > state.config.max_upload_bytes {
        return msg(StatusCode::PAYLOAD_TOO_LARGE, "upload-too-large");
    }
    let Some(dir) = state.config.files_dir.clone() else {
        return msg(StatusCode::SERVICE_UNAVAILABLE, "upload-off");
    };
    let actor = faro_store::changes::Actor::new(who.actor_name(), None);
    match faro_store::files::attach(&state.store, &dir, &id, &original, &bytes, &actor).await {
        Ok(_) => Ok(super::see_other(&format!(
            "/{}/resources/{id}",
            lang.code()
        ))),
        Err(faro_store::StoreError::Invalid(m)) if m == "unsupported_file_type" => {
            msg(StatusCode::UNSUPPORTED_MEDIA_TYPE, "upload-bad-type")
        }
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

/// A body over the limit (a chunked one, whose length was not declared),
/// however the multipart reader reports it.
fn too_large(e: &axum::extract::multipart::MultipartError) -> bool {
    use std::error::Error;
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return true;
    }
    let mut src: Option<&dyn Error> = e.source();
    while let Some(s) = src {
        // http-body-util's `LengthLimitError`: "length limit exceeded".
        if s.to_string().contains("length limit") {
            return true;
        }
        src = s.source();
    }
    false
}

/// Detaches a file from a resource (its editors, coordinators). The file is
/// kept and the history records the removal; uploading it again re-attaches it.
pub async fn remove_file(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id, sha)): Path<(String, String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let who = resource_editor(&state, lang, &uri, &viewer, &id).await?;
    let actor = faro_store::changes::Actor::new(who.actor_name(), form.text("reason"));
    faro_store::files::remove(&state.store, &id, &sha, &actor)
        .await
        .or_page(lang, &uri)?;
    Ok(super::see_other(&format!(
        "/{}/resources/{id}",
        lang.code()
    )))
}

/// `/files/{sha256}`: a stored file, with its type and name.
/// Stored files are named by their content, so the ETag is the hash; they
/// are revalidated on each use (`no-cache`, a 304 costs nothing) rather
/// than `immutable`, so that a file an editor removed stops being served
/// from shared caches at once.
pub async fn download(
    State(state): State<AppState>,
    Path(sha): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    use axum::response::IntoResponse;
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let (Some(dir), Ok(meta)) = (
        state.config.files_dir.clone(),
        faro_store::files::by_hash(&state.store, &sha).await,
    ) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", sha.to_ascii_lowercase());
    let cache = "public, no-cache".to_string();
    if headers
        .get(axum::http::header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (axum::http::header::ETAG, etag),
                (axum::http::header::CACHE_CONTROL, cache),
            ],
        )
            .into_response();
    }
    let Some(_slot) = crate::heavy_slot(&state) else {
        return crate::busy();
    };
    match tokio::fs::read(faro_store::files::path_for(&dir, &sha)).await {
        Ok(bytes) => (
            [
                (axum::http::header::ETAG, etag),
                (axum::http::header::CONTENT_TYPE, meta.media_type),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", meta.name.replace('"', "")),
                ),
                (axum::http::header::CACHE_CONTROL, cache),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

pub struct FileRow {
    pub sha: String,
    pub name: String,
    pub format: String,
    pub size: String,
}

pub fn human_size(n: i64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / 1048576.0)
    } else {
        format!("{:.0} KB", (n as f64 / 1024.0).ceil())
    }
}
