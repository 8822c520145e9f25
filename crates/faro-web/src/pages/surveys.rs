//! Member surveys: coordinators upload an XLSForm, invite institutions and
//! follow the answers; an institution answers by its access code or
//! through its signed-in editors, page by page, without JavaScript.
//!
//! Access to a response (`respondent`): the code cookie of this survey
//! naming that institution, or a signed-in user who may edit the
//! institution. A code opens only its own institution's response.
//! Every page save is a compare-and-set on the response's revision (the
//! hidden `revision` field): a stale save answers 409 with the person's
//! values kept, as the edit forms do.

use super::{
    CoordinatorForm, CsrfForm, FormData, OrPage, Page, PageError, PageLang, PageResult, render,
    see_other,
};
use crate::auth::{self, Viewer};
use crate::{AppState, i18n};
use askama::Template;
use axum::Router;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use faro_domain::Lang;
use faro_formats::xlsform::{Form, Item, Kind};
use faro_formats::xlsform_run::{self, Answers, Page as FormPage, Q, Refusal};
use faro_store::StoreError;
use faro_store::surveys::{self, Survey};
use std::collections::{BTreeMap, HashMap};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/surveys", get(list).post(upload))
        .route("/{lang}/surveys/{id}", get(survey_page))
        .route("/{lang}/surveys/{id}/code", post(enter_code))
        .route("/{lang}/surveys/{id}/settings", post(settings))
        .route("/{lang}/surveys/{id}/invite", post(invite))
        .route("/{lang}/surveys/{id}/remind", post(remind))
        .route("/{lang}/surveys/{id}/form.xlsx", get(download_form))
        .route(
            "/{lang}/surveys/{id}/results",
            get(super::survey_results::results),
        )
        .route(
            "/{lang}/surveys/{id}/export.csv",
            get(super::survey_results::export_csv),
        )
        .route(
            "/{lang}/surveys/{id}/export/{file}",
            get(super::survey_results::export),
        )
        .route(
            "/{lang}/surveys/{id}/answer/{inst}",
            get(answer_page).post(save_page),
        )
        .route("/{lang}/surveys/{id}/answer/{inst}/submit", post(submit))
        .route("/{lang}/surveys/{id}/answer/{inst}/reopen", post(reopen))
}

fn bad_request(lang: Lang, uri: &Uri) -> Response {
    let p = Page::new(lang, uri, "surveys");
    let m = p.t("upload-malformed");
    super::message(StatusCode::BAD_REQUEST, p, "bad-request-title", m)
}

pub fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

fn code_cookie(id: &str) -> String {
    format!("faro_sv_{}", id.replace('.', "_"))
}

// ---------------------------------------------------------------- list

#[derive(Template)]
#[template(path = "surveys.html")]
pub struct ListPage {
    pub p: Page,
    pub surveys: Vec<SurveyRow>,
    pub mine: Vec<(String, String, String, String)>,
    pub problems: Vec<String>,
}

pub struct SurveyRow {
    pub state_label: String,
    pub id: String,
    pub title: String,
    pub state: String,
    pub results_public: bool,
}

pub async fn list(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    list_page(&state, lang, &uri, &viewer, Vec::new(), StatusCode::OK).await
}

async fn list_page(
    state: &AppState,
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    problems: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let all = surveys::list(&state.store, 0, 100)
        .await
        .or_page(lang, uri)?;
    let coordinator = viewer.is_coordinator();
    let rows = all
        .into_iter()
        .filter(|s| coordinator || s.results_public)
        .map(|s| SurveyRow {
            state_label: i18n::t(lang, &format!("survey-state-{}", s.state)),
            id: s.id,
            title: s.title,
            state: s.state,
            results_public: s.results_public,
        })
        .collect();
    let mut mine = Vec::new();
    if let Some(pr) = &viewer.principal {
        for inst in &pr.institutions {
            for (id, title, st) in surveys::for_institution(&state.store, inst)
                .await
                .or_page(lang, uri)?
            {
                mine.push((id, title, inst.clone(), st));
            }
        }
    }
    let page = ListPage {
        p: Page::new(lang, uri, "surveys").viewer(viewer),
        surveys: rows,
        mine,
        problems,
    };
    Ok(render(status, &page))
}

/// A coordinator uploads an XLSForm: a new survey, a new version, or
/// nothing when it reads as the current version does. A refused form
/// lists every problem with its sheet, row and column.
pub async fn upload(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    let Ok(mut multipart) = multipart else {
        // Not a file upload: who may upload is said first.
        super::extract::coordinator(lang, &uri, &viewer)?;
        return Ok(bad_request(lang, &uri));
    };
    let mut csrf = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        let original = field.file_name().unwrap_or("form.xlsx").to_string();
        match field.bytes().await {
            Ok(b) if name == "csrf" => csrf = Some(String::from_utf8_lossy(&b).into_owned()),
            Ok(b) if name == "file" => file = Some((original, b.to_vec())),
            Ok(_) => {}
            Err(_) => return Ok(bad_request(lang, &uri)),
        }
    }
    if !auth::csrf_ok(&viewer, csrf.as_deref()) {
        return Err(PageError::csrf_failed(lang, &uri));
    }
    let who = super::extract::coordinator(lang, &uri, &viewer)?;
    let p = Page::new(lang, &uri, "surveys");
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        let m = vec![p.t("survey-upload-missing")];
        return list_page(
            &state,
            lang,
            &uri,
            &viewer,
            m,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if bytes.len() > state.config.max_upload_bytes {
        let m = vec![p.t("upload-too-large")];
        return list_page(
            &state,
            lang,
            &uri,
            &viewer,
            m,
            StatusCode::PAYLOAD_TOO_LARGE,
        )
        .await;
    }
    let stem = name
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(&name)
        .to_string();
    let form = match faro_formats::xlsform::read(&bytes, &stem) {
        Ok(f) => f,
        Err(problems) => {
            let m = problems.iter().map(|p| p.to_string()).collect();
            return list_page(
                &state,
                lang,
                &uri,
                &viewer,
                m,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let up = surveys::upload(&state.store, &form, &bytes, &name, &who.actor_name())
        .await
        .or_page(lang, &uri)?;
    Ok(see_other(&format!(
        "/{}/surveys/{}?uploaded={}",
        lang.code(),
        up.survey,
        up.outcome
    )))
}

// ---------------------------------------------------------------- survey

#[derive(Template)]
#[template(path = "survey.html")]
pub struct SurveyPage {
    pub p: Page,
    pub s: Survey,
    pub state_label: String,
    pub deadline: String,
    pub notice: String,
    pub error: String,
    pub coordinator: bool,
    pub versions: Vec<(i32, String, String, String)>,
    pub tracked: Vec<TrackRow>,
    pub counts: surveys::Counts,
    pub per_country: Vec<(String, surveys::Counts)>,
    pub candidates: Vec<(String, String, bool)>,
    pub codes: Vec<(String, String)>,
    pub mine: Vec<String>,
    /// Repeat groups of the current version: each is its own CSV file.
    pub repeats: Vec<String>,
}

pub struct TrackRow {
    pub status_label: String,
    pub institution: String,
    pub acronym: String,
    pub country: String,
    pub status: String,
    pub share: String,
    pub last: String,
}

#[derive(serde::Deserialize, Default)]
pub struct SurveyQuery {
    pub uploaded: Option<String>,
    pub done: Option<String>,
}

pub async fn survey_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<SurveyQuery>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let mut viewer = viewer;
    let cookie = super::account::ensure_anon_csrf(&state, &mut viewer);
    let p = Page::new(lang, &uri, "surveys");
    let notice = match (q.uploaded.as_deref(), q.done.as_deref()) {
        (Some(o @ ("created" | "new_version" | "unchanged")), _) => {
            p.t(&format!("survey-uploaded-{}", o.replace('_', "-")))
        }
        (_, Some(d @ ("settings" | "reminded" | "reopened"))) => p.t(&format!("survey-done-{d}")),
        _ => String::new(),
    };
    let r = survey_view(
        &state,
        lang,
        &uri,
        &viewer,
        &id,
        notice,
        String::new(),
        Vec::new(),
        StatusCode::OK,
    )
    .await?;
    Ok(super::account::with_cookie(r, cookie))
}

#[allow(clippy::too_many_arguments)]
async fn survey_view(
    state: &AppState,
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    id: &str,
    notice: String,
    error: String,
    codes: Vec<(String, String)>,
    status: StatusCode,
) -> PageResult {
    let s = match surveys::get(state.store.read(), id).await {
        Ok(s) => s,
        Err(StoreError::NotFound) => return Err(PageError::not_found(lang, uri)),
        Err(e) => return Err(PageError::store(lang, uri, e)),
    };
    let coordinator = viewer.is_coordinator();
    let mut page = SurveyPage {
        p: Page::new(lang, uri, "surveys").viewer(viewer),
        deadline: s
            .deadline
            .map(|d| d.date_naive().to_string())
            .unwrap_or_default(),
        state_label: i18n::t(lang, &format!("survey-state-{}", s.state)),
        s,
        notice,
        error,
        coordinator,
        versions: Vec::new(),
        tracked: Vec::new(),
        counts: Default::default(),
        per_country: Vec::new(),
        candidates: Vec::new(),
        codes,
        mine: Vec::new(),
        repeats: Vec::new(),
    };
    if let Some(pr) = &viewer.principal
        && !coordinator
    {
        for inst in &pr.institutions {
            if surveys::is_invited(&state.store, id, inst)
                .await
                .or_page(lang, uri)?
            {
                page.mine.push(inst.clone());
            }
        }
    }
    if coordinator {
        let form = surveys::form(&state.store, id, page.s.current_version)
            .await
            .or_page(lang, uri)?;
        page.repeats = super::survey_results::tables(&form)
            .into_iter()
            .filter_map(|t| t.repeat)
            .collect();
        page.versions = surveys::versions(&state.store, id)
            .await
            .or_page(lang, uri)?
            .into_iter()
            .map(|(v, fv, f, at)| (v, fv, f, at.date_naive().to_string()))
            .collect();
        let (rows, _, counts, per) = surveys::tracking(&state.store, id, None, 0, 500)
            .await
            .or_page(lang, uri)?;
        let invited: std::collections::HashSet<String> =
            rows.iter().map(|r| r.institution.clone()).collect();
        page.tracked = rows
            .into_iter()
            .map(|r| TrackRow {
                status_label: i18n::t(
                    lang,
                    &format!("survey-status-{}", r.status.replace('_', "-")),
                ),
                share: if r.total > 0 {
                    format!("{}%", r.answered * 100 / r.total)
                } else {
                    String::new()
                },
                last: r
                    .last_activity
                    .map(|d| i18n::moment(lang, d))
                    .unwrap_or_default(),
                institution: r.institution,
                acronym: r.acronym,
                country: r.country,
                status: r.status,
            })
            .collect();
        page.counts = counts;
        page.per_country = per;
        let filter = faro_store::institutions::Filter {
            member: Some(true),
            ..Default::default()
        };
        let (insts, _) = faro_store::institutions::list(&state.store, &filter, 1, 500)
            .await
            .or_page(lang, uri)?;
        page.candidates = insts
            .into_iter()
            .map(|i| {
                let done = invited.contains(&i.id);
                (i.id, i.acronym, done)
            })
            .collect();
    }
    Ok(render(status, &page))
}

/// A respondent types the code: it is kept in a cookie for this survey
/// (so every page after finds it), and they go to their response.
pub async fn enter_code(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let code = form.text("code").unwrap_or_default();
    let inst = surveys::institution_for_code(&state.store, &id, &code)
        .await
        .or_page(lang, &uri)?;
    let Some(inst) = inst else {
        let p = Page::new(lang, &uri, "surveys");
        let e = p.t("survey-code-wrong");
        return survey_view(
            &state,
            lang,
            &uri,
            &viewer,
            &id,
            String::new(),
            e,
            Vec::new(),
            StatusCode::FORBIDDEN,
        )
        .await;
    };
    let mut r = see_other(&format!("/{}/surveys/{id}/answer/{inst}", lang.code()));
    if let Ok(v) = auth::set_cookie(
        &state,
        &code_cookie(&id),
        &code.replace(' ', ""),
        Some(60 * 60 * 24 * 90),
    )
    .parse()
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

pub async fn settings(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    let deadline = match form.text("deadline") {
        None => None,
        Some(d) => match chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
            Ok(d) => Some(d.and_hms_opt(23, 59, 59).expect("valid time").and_utc()),
            Err(_) => {
                let e = i18n::t(lang, "survey-bad-deadline");
                return survey_view(
                    &state,
                    lang,
                    &uri,
                    &viewer,
                    &id,
                    String::new(),
                    e,
                    Vec::new(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        },
    };
    let revision: i64 = form
        .text("revision")
        .and_then(|r| r.parse().ok())
        .unwrap_or(-1);
    let st = form.text("state").unwrap_or_else(|| "open".into());
    let days: i32 = form
        .text("reminder_days")
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
        .clamp(0, 60);
    match surveys::set_settings(
        &state.store,
        &id,
        revision,
        &st,
        deadline,
        days,
        form.checked("results_public"),
        form.checked("answers_public"),
        &who.actor_name(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!(
            "/{}/surveys/{id}?done=settings",
            lang.code()
        ))),
        Err(StoreError::Conflict) => {
            let e = i18n::t(lang, "survey-settings-conflict");
            survey_view(
                &state,
                lang,
                &uri,
                &viewer,
                &id,
                String::new(),
                e,
                Vec::new(),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(PageError::store(lang, &uri, e)),
    }
}

/// Invites the institutions ticked; the page shows their new codes once.
pub async fn invite(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    let insts = form.all("institution");
    match surveys::invite(&state.store, &id, &insts, lang.code(), &who.actor_name()).await {
        Ok(codes) => {
            let n = i18n::t_args(
                lang,
                "survey-invited",
                &[("count", (codes.len() as u64).into())],
            );
            survey_view(
                &state,
                lang,
                &uri,
                &viewer,
                &id,
                n,
                String::new(),
                codes,
                StatusCode::OK,
            )
            .await
        }
        Err(e) => Err(PageError::store(lang, &uri, e)),
    }
}

pub async fn remind(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    CoordinatorForm(who, _form): CoordinatorForm,
) -> PageResult {
    surveys::remind(&state.store, &id, lang.code(), &who.actor_name())
        .await
        .or_page(lang, &uri)?;
    Ok(see_other(&format!(
        "/{}/surveys/{id}?done=reminded",
        lang.code()
    )))
}

/// The XLSForm of the current version, as uploaded (coordinators; anyone
/// when the results are public).
pub async fn download_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let s = surveys::get(state.store.read(), &id)
        .await
        .or_page(lang, &uri)?;
    if !viewer.is_coordinator() && !s.results_public {
        return Err(PageError::not_found(lang, &uri));
    }
    let (_, bytes) = surveys::xlsform(&state.store, &id, s.current_version)
        .await
        .or_page(lang, &uri)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{id}-v{}.xlsx\"", s.current_version),
            ),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------- answering

/// Who answers: `code:INST` for a code, the user otherwise.
async fn respondent(
    state: &AppState,
    lang: Lang,
    uri: &Uri,
    headers: &HeaderMap,
    viewer: &Viewer,
    id: &str,
    inst: &str,
) -> Result<String, PageError> {
    if let Some(code) = auth::cookie(headers, &code_cookie(id))
        && surveys::institution_for_code(&state.store, id, &code)
            .await
            .or_page(lang, uri)?
            .as_deref()
            == Some(inst)
    {
        return Ok(format!("code:{inst}"));
    }
    match &viewer.principal {
        Some(p) if p.can_edit_institution(inst) => Ok(p.actor_name()),
        Some(_) => Err(PageError::forbidden(lang, uri)),
        None => Err(PageError::sign_in_required(lang, uri)),
    }
}

pub struct FieldView {
    pub key: String,
    pub control: &'static str,
    pub label: String,
    pub hint: String,
    pub required: bool,
    pub value: String,
    pub options: Vec<(String, String, bool)>,
    pub other_key: String,
    pub other_value: String,
    pub error: String,
}

pub struct InstanceView {
    pub n: usize,
    pub fields: Vec<FieldView>,
}

#[derive(Template)]
#[template(path = "survey_answer.html")]
pub struct AnswerPage {
    pub p: Page,
    pub survey: Survey,
    pub form_title: String,
    pub inst: String,
    pub acronym: String,
    pub page_no: usize,
    /// 1-based, among the pages shown.
    pub position: usize,
    pub pages: usize,
    pub heading: String,
    pub revision: i64,
    pub repeat: bool,
    pub instances: Vec<InstanceView>,
    pub fields: Vec<FieldView>,
    pub answered: i32,
    pub total: i32,
    pub percent: i32,
    pub error: String,
    pub has_prev: bool,
    pub locked: bool,
}

#[derive(Template)]
#[template(path = "survey_review.html")]
pub struct ReviewPage {
    pub p: Page,
    pub survey: Survey,
    pub form_title: String,
    pub inst: String,
    pub acronym: String,
    pub revision: i64,
    pub rows: Vec<(usize, String, String, String)>,
    pub answered: i32,
    pub total: i32,
    pub percent: i32,
    pub state: String,
    pub error: String,
    pub problems: Vec<String>,
    pub coordinator: bool,
    pub notice: String,
}

#[derive(serde::Deserialize, Default)]
pub struct AnswerQuery {
    pub page: Option<String>,
}

/// Labels may show answers (`${name}`), as in XLSForm notes.
fn interpolate(text: &str, answers: &Answers) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        match rest[i + 2..].find('}') {
            Some(j) => {
                let name = &rest[i + 2..i + 2 + j];
                out.push_str(answers.values.get(name).map(String::as_str).unwrap_or(""));
                rest = &rest[i + 3 + j..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn refusal_text(lang: Lang, r: &Refusal) -> String {
    match r {
        Refusal::Form(m) => m.clone(),
        Refusal::Code(c) => i18n::t(lang, c),
    }
}

fn progress(form: &Form, answers: &Answers, today: &str) -> (i32, i32) {
    let inputs = form.relevant_inputs(answers, today);
    let answered = inputs
        .iter()
        .filter(|(q, i)| !xlsform_run::value_of(answers, q, *i).is_empty())
        .count();
    (answered as i32, inputs.len() as i32)
}

#[allow(clippy::too_many_arguments)]
fn field_view(
    form: &Form,
    q: &Q,
    instance: Option<usize>,
    answers: &Answers,
    lk: &str,
    today: &str,
    submitted: Option<&FormData>,
    errors: &HashMap<String, String>,
) -> FieldView {
    let it: &Item = q.item;
    let key = xlsform_run::key(q, instance);
    let dl = &form.default_language;
    let stored = xlsform_run::value_of(answers, q, instance);
    let value = match submitted {
        Some(f) if it.kind == Kind::SelectMultiple => f.all(&key).join(" "),
        Some(f) => f.get(&key).unwrap_or("").to_string(),
        None if stored.is_empty() => it.default.clone(),
        None => stored,
    };
    let control = match it.kind {
        _ if it.read_only => "readonly",
        Kind::Text if it.has_appearance("multiline") => "textarea",
        Kind::Text => "text",
        Kind::Integer => "integer",
        Kind::Decimal => "decimal",
        Kind::Date => "date",
        Kind::SelectOne if it.has_appearance("minimal") => "dropdown",
        Kind::SelectOne => "radio",
        Kind::SelectMultiple => "checkbox",
        Kind::Acknowledge => "acknowledge",
        _ => "note",
    };
    let chosen: Vec<&str> = value.split_whitespace().collect();
    let mut options: Vec<(String, String, bool)> = form
        .choices_for(q, answers, instance, today)
        .into_iter()
        .map(|c| {
            (
                c.name.clone(),
                c.label.get(lk, dl).to_string(),
                chosen.contains(&c.name.as_str()),
            )
        })
        .collect();
    if it.or_other {
        options.push(("other".into(), i18n_other(lk), chosen.contains(&"other")));
    }
    let other_key = if it.or_other {
        format!("{key}_other")
    } else {
        String::new()
    };
    let other_value = if it.or_other {
        match submitted {
            Some(f) => f.get(&other_key).unwrap_or("").to_string(),
            None => match (q.repeat, instance) {
                (Some(r), Some(i)) => answers
                    .repeats
                    .get(&r.name)
                    .and_then(|rows| rows.get(i))
                    .and_then(|row| row.get(&format!("{}_other", it.name)))
                    .cloned()
                    .unwrap_or_default(),
                _ => answers
                    .values
                    .get(&format!("{}_other", it.name))
                    .cloned()
                    .unwrap_or_default(),
            },
        }
    } else {
        String::new()
    };
    FieldView {
        error: errors.get(&key).cloned().unwrap_or_default(),
        label: interpolate(it.label.get(lk, dl), answers),
        hint: interpolate(it.hint.get(lk, dl), answers),
        required: it.required,
        key,
        control,
        value,
        options,
        other_key,
        other_value,
    }
}

fn i18n_other(lk: &str) -> String {
    let lang = Lang::from_code(lk).unwrap_or(Lang::En);
    i18n::t(lang, "survey-other")
}

/// Indices of the pages shown for these answers.
fn shown_pages(form: &Form, pages: &[FormPage], answers: &Answers, today: &str) -> Vec<usize> {
    (0..pages.len())
        .filter(|&i| form.page_shown(&pages[i], answers, today))
        .collect()
}

struct Loaded {
    survey: Survey,
    form: std::sync::Arc<Form>,
    response: surveys::Response,
    acronym: String,
}

async fn load(
    state: &AppState,
    lang: Lang,
    uri: &Uri,
    id: &str,
    inst: &str,
    actor: &str,
) -> Result<Loaded, PageError> {
    let survey = surveys::get(state.store.read(), id)
        .await
        .or_page(lang, uri)?;
    let response = match surveys::open_response(&state.store, id, inst, actor).await {
        Ok(r) => r,
        Err(StoreError::Rule("survey_not_invited")) => return Err(PageError::forbidden(lang, uri)),
        Err(e) => return Err(PageError::store(lang, uri, e)),
    };
    let form = surveys::form(&state.store, id, response.version)
        .await
        .or_page(lang, uri)?;
    let acronym = faro_store::institutions::get(&state.store, inst)
        .await
        .map(|i| i.acronym)
        .unwrap_or_else(|_| inst.to_string());
    Ok(Loaded {
        survey,
        form,
        response,
        acronym,
    })
}

#[allow(clippy::too_many_arguments)]
fn page_view(
    l: &Loaded,
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    inst: &str,
    index: usize,
    answers: &Answers,
    submitted: Option<&FormData>,
    errors: &HashMap<String, String>,
    error: String,
    revision: i64,
) -> AnswerPage {
    let form = &l.form;
    let today = today();
    let lk = form.lang_for(lang.code());
    let pages = form.pages();
    let shown = shown_pages(form, &pages, answers, &today);
    let page = &pages[index];
    let mut fields = Vec::new();
    let mut instances = Vec::new();
    let repeat = page.questions.first().and_then(|q| q.repeat).is_some();
    if repeat {
        let r = page.questions[0].repeat.expect("a repeat");
        let n = answers
            .repeats
            .get(&r.name)
            .map(Vec::len)
            .unwrap_or(0)
            .max(1);
        for i in 0..n {
            let fs = page
                .questions
                .iter()
                .filter(|q| form.is_relevant(q, answers, Some(i), &today))
                .map(|q| field_view(form, q, Some(i), answers, &lk, &today, submitted, errors))
                .collect();
            instances.push(InstanceView {
                n: i + 1,
                fields: fs,
            });
        }
    } else {
        for q in &page.questions {
            if form.is_relevant(q, answers, None, &today) {
                fields.push(field_view(
                    form, q, None, answers, &lk, &today, submitted, errors,
                ));
            }
        }
    }
    let heading = page
        .container
        .map(|c| c.label.get(&lk, &form.default_language).to_string())
        .unwrap_or_default();
    let (answered, total) = progress(form, answers, &today);
    let pos = shown.iter().position(|&i| i == index).unwrap_or(0);
    AnswerPage {
        p: Page::new(lang, uri, "surveys").viewer(viewer),
        form_title: form.title.clone(),
        survey: l.survey.clone(),
        inst: inst.to_string(),
        acronym: l.acronym.clone(),
        page_no: index,
        position: pos + 1,
        pages: shown.len().max(pos + 1),
        heading,
        revision,
        repeat,
        instances,
        fields,
        answered,
        total,
        percent: if total > 0 { answered * 100 / total } else { 0 },
        error,
        has_prev: pos > 0,
        locked: l.response.state == "submitted",
    }
}

pub async fn answer_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id, inst)): Path<(String, String, String)>,
    Query(q): Query<AnswerQuery>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    viewer: Viewer,
) -> PageResult {
    let mut viewer = viewer;
    let cookie = super::account::ensure_anon_csrf(&state, &mut viewer);
    let actor = respondent(&state, lang, &uri, &headers, &viewer, &id, &inst).await?;
    let l = load(&state, lang, &uri, &id, &inst, &actor).await?;
    let today = today();
    let pages = l.form.pages();
    let shown = shown_pages(&l.form, &pages, &l.response.answers, &today);
    let r = match q.page.as_deref() {
        Some("review") => review_view(
            &l,
            lang,
            &uri,
            &viewer,
            &inst,
            Vec::new(),
            String::new(),
            String::new(),
            StatusCode::OK,
        ),
        _ if l.response.state == "submitted" => review_view(
            &l,
            lang,
            &uri,
            &viewer,
            &inst,
            Vec::new(),
            String::new(),
            String::new(),
            StatusCode::OK,
        ),
        p => {
            let want: usize = p.and_then(|p| p.parse().ok()).unwrap_or(0);
            // The first shown page at or after the one asked for.
            match shown.iter().find(|&&i| i >= want) {
                Some(&i) => render(
                    StatusCode::OK,
                    &page_view(
                        &l,
                        lang,
                        &uri,
                        &viewer,
                        &inst,
                        i,
                        &l.response.answers,
                        None,
                        &HashMap::new(),
                        String::new(),
                        l.response.revision,
                    ),
                ),
                None => review_view(
                    &l,
                    lang,
                    &uri,
                    &viewer,
                    &inst,
                    Vec::new(),
                    String::new(),
                    String::new(),
                    StatusCode::OK,
                ),
            }
        }
    };
    Ok(super::account::with_cookie(r, cookie))
}

/// Saves the page (every answer checked on the server) and goes on.
pub async fn save_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id, inst)): Path<(String, String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    viewer: Viewer,
    CsrfForm(fd): CsrfForm,
) -> PageResult {
    let actor = respondent(&state, lang, &uri, &headers, &viewer, &id, &inst).await?;
    let l = load(&state, lang, &uri, &id, &inst, &actor).await?;
    let base = format!("/{}/surveys/{id}/answer/{inst}", lang.code());
    if l.response.state == "submitted" {
        let e = i18n::t(lang, "survey-locked");
        return Ok(review_view(
            &l,
            lang,
            &uri,
            &viewer,
            &inst,
            Vec::new(),
            e,
            String::new(),
            StatusCode::CONFLICT,
        ));
    }
    if l.survey.state != "open" {
        let e = i18n::t(lang, "survey-closed");
        return Ok(review_view(
            &l,
            lang,
            &uri,
            &viewer,
            &inst,
            Vec::new(),
            e,
            String::new(),
            StatusCode::CONFLICT,
        ));
    }
    let today = today();
    let form = &l.form;
    let pages = form.pages();
    let index: usize = fd
        .text("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(usize::MAX);
    let Some(page) = pages.get(index) else {
        return Ok(bad_request(lang, &uri));
    };
    let revision: i64 = fd
        .text("revision")
        .and_then(|r| r.parse().ok())
        .unwrap_or(-1);
    let action = fd.get("action").unwrap_or("next").to_string();
    let before = &l.response.answers;
    let mut answers = before.clone();
    // The repeat's instances as the page showed them.
    let rep = page.questions.first().and_then(|q| q.repeat);
    let n_instances = rep
        .map(|r| {
            before
                .repeats
                .get(&r.name)
                .map(Vec::len)
                .unwrap_or(0)
                .max(1)
        })
        .unwrap_or(1);
    let lang_key = form.lang_for(lang.code());
    let _ = lang_key;
    for q in &page.questions {
        let insts: Vec<Option<usize>> = if rep.is_some() {
            (0..n_instances).map(Some).collect()
        } else {
            vec![None]
        };
        for i in insts {
            if !q.item.kind.is_input()
                || q.item.read_only
                || !form.is_relevant(q, before, i, &today)
            {
                continue;
            }
            let key = xlsform_run::key(q, i);
            let v = match q.item.kind {
                Kind::SelectMultiple => fd.all(&key).join(" "),
                Kind::Acknowledge => {
                    if fd.get(&key).is_some() {
                        "OK".into()
                    } else {
                        String::new()
                    }
                }
                _ => fd.get(&key).unwrap_or("").to_string(),
            };
            xlsform_run::set_value(&mut answers, q, i, v.clone());
            if q.item.or_other {
                let other_q_value = if v.split_whitespace().any(|c| c == "other") {
                    fd.get(&format!("{key}_other"))
                        .unwrap_or("")
                        .trim()
                        .to_string()
                } else {
                    String::new()
                };
                let name = format!("{}_other", q.item.name);
                let slot = match (q.repeat, i) {
                    (Some(r), Some(n)) => {
                        &mut answers.repeats.entry(r.name.clone()).or_default()[n]
                    }
                    _ => &mut answers.values,
                };
                if other_q_value.is_empty() {
                    slot.remove(&name);
                } else {
                    slot.insert(name, other_q_value);
                }
            }
        }
    }
    if let Some(r) = rep {
        let rows = answers.repeats.entry(r.name.clone()).or_default();
        while rows.len() < n_instances {
            rows.push(BTreeMap::new());
        }
        match action.as_str() {
            "add" => rows.push(BTreeMap::new()),
            "remove" if rows.len() > 1 => {
                rows.pop();
            }
            _ => {}
        }
    }
    form.settle(&mut answers, &today);
    // Checks of what the page shows now (a question that became relevant
    // on this page is checked only once it has been shown).
    let mut errors = HashMap::new();
    if !matches!(action.as_str(), "add" | "remove" | "prev") {
        for q in &page.questions {
            let insts: Vec<Option<usize>> = match q.repeat {
                Some(r) => (0..answers.repeats.get(&r.name).map(Vec::len).unwrap_or(0))
                    .map(Some)
                    .collect(),
                None => vec![None],
            };
            for i in insts {
                if !form.is_relevant(q, before, i, &today)
                    || !form.is_relevant(q, &answers, i, &today)
                {
                    continue;
                }
                let v = xlsform_run::value_of(&answers, q, i);
                if let Some(r) = form.check(q, &v, &answers, i, lang.code(), &today) {
                    errors.insert(xlsform_run::key(q, i), refusal_text(lang, &r));
                }
            }
        }
    }
    if !errors.is_empty() {
        let e = i18n::t(lang, "survey-page-has-errors");
        let v = page_view(
            &l,
            lang,
            &uri,
            &viewer,
            &inst,
            index,
            &answers,
            Some(&fd),
            &errors,
            e,
            revision,
        );
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &v));
    }
    let (answered, total) = progress(form, &answers, &today);
    match surveys::save(
        &state.store,
        l.response.id,
        revision,
        &answers,
        answered,
        total,
        &actor,
    )
    .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict) => {
            // Someone saved in between: show the person's values, on the
            // new revision, so saving again keeps theirs knowingly.
            let e = i18n::t(lang, "survey-conflict");
            let v = page_view(
                &l,
                lang,
                &uri,
                &viewer,
                &inst,
                index,
                &answers,
                Some(&fd),
                &HashMap::new(),
                e,
                l.response.revision,
            );
            return Ok(render(StatusCode::CONFLICT, &v));
        }
        Err(StoreError::Rule("survey_submitted")) => {
            let e = i18n::t(lang, "survey-locked");
            return Ok(review_view(
                &l,
                lang,
                &uri,
                &viewer,
                &inst,
                Vec::new(),
                e,
                String::new(),
                StatusCode::CONFLICT,
            ));
        }
        Err(e) => return Err(PageError::store(lang, &uri, e)),
    }
    let shown = shown_pages(form, &pages, &answers, &today);
    // Newly relevant questions on this page: stay, so they are seen.
    let appeared = page.questions.iter().any(|q| {
        q.repeat.is_none()
            && q.item.kind.is_input()
            && !form.is_relevant(q, before, None, &today)
            && form.is_relevant(q, &answers, None, &today)
    });
    let to = match action.as_str() {
        "add" | "remove" | "save" => format!("{base}?page={index}"),
        _ if appeared => format!("{base}?page={index}"),
        "prev" => match shown.iter().rev().find(|&&i| i < index) {
            Some(i) => format!("{base}?page={i}"),
            None => format!("{base}?page=0"),
        },
        "review" => format!("{base}?page=review"),
        _ => match shown.iter().find(|&&i| i > index) {
            Some(i) => format!("{base}?page={i}"),
            None => format!("{base}?page=review"),
        },
    };
    Ok(see_other(&to))
}

#[allow(clippy::too_many_arguments)]
fn review_view(
    l: &Loaded,
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    inst: &str,
    problems: Vec<String>,
    error: String,
    notice: String,
    status: StatusCode,
) -> Response {
    let form = &l.form;
    let today = today();
    let lk = form.lang_for(lang.code());
    let dl = &form.default_language;
    let answers = &l.response.answers;
    let pages = form.pages();
    let mut rows = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        if !form.page_shown(page, answers, &today) {
            continue;
        }
        for q in &page.questions {
            if !q.item.kind.is_input() {
                continue;
            }
            let insts: Vec<Option<usize>> = match q.repeat {
                Some(r) => (0..answers.repeats.get(&r.name).map(Vec::len).unwrap_or(0))
                    .map(Some)
                    .collect(),
                None => vec![None],
            };
            for i in insts {
                if !form.is_relevant(q, answers, i, &today) {
                    continue;
                }
                let v = xlsform_run::value_of(answers, q, i);
                let shown = if q.item.kind.is_select() {
                    v.split_whitespace()
                        .map(|c| {
                            form.lists
                                .get(q.item.list.as_deref().unwrap_or(""))
                                .and_then(|l| l.iter().find(|x| x.name == c))
                                .map(|x| x.label.get(&lk, dl).to_string())
                                .unwrap_or_else(|| c.to_string())
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                } else {
                    v
                };
                let label = match i {
                    Some(n) => format!(
                        "{} ({})",
                        interpolate(q.item.label.get(&lk, dl), answers),
                        n + 1
                    ),
                    None => interpolate(q.item.label.get(&lk, dl), answers),
                };
                rows.push((pi, label, shown, xlsform_run::key(q, i)));
            }
        }
    }
    let (answered, total) = progress(form, answers, &today);
    let page = ReviewPage {
        p: Page::new(lang, uri, "surveys").viewer(viewer),
        form_title: form.title.clone(),
        survey: l.survey.clone(),
        inst: inst.to_string(),
        acronym: l.acronym.clone(),
        revision: l.response.revision,
        rows,
        answered,
        total,
        percent: if total > 0 { answered * 100 / total } else { 0 },
        state: l.response.state.clone(),
        error,
        problems,
        coordinator: viewer.is_coordinator(),
        notice,
    };
    render(status, &page)
}

/// Submits (locks) the response once every relevant answer passes.
pub async fn submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id, inst)): Path<(String, String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    viewer: Viewer,
    CsrfForm(fd): CsrfForm,
) -> PageResult {
    let actor = respondent(&state, lang, &uri, &headers, &viewer, &id, &inst).await?;
    let l = load(&state, lang, &uri, &id, &inst, &actor).await?;
    if l.survey.state != "open" {
        let e = i18n::t(lang, "survey-closed");
        return Ok(review_view(
            &l,
            lang,
            &uri,
            &viewer,
            &inst,
            Vec::new(),
            e,
            String::new(),
            StatusCode::CONFLICT,
        ));
    }
    let today = today();
    let form = &l.form;
    let lk = form.lang_for(lang.code());
    let mut problems = Vec::new();
    for (q, i) in form.relevant_inputs(&l.response.answers, &today) {
        let v = xlsform_run::value_of(&l.response.answers, &q, i);
        if let Some(r) = form.check(&q, &v, &l.response.answers, i, lang.code(), &today) {
            problems.push(format!(
                "{}: {}",
                q.item.label.get(&lk, &form.default_language),
                refusal_text(lang, &r)
            ));
        }
    }
    if !problems.is_empty() {
        let e = i18n::t(lang, "survey-page-has-errors");
        return Ok(review_view(
            &l,
            lang,
            &uri,
            &viewer,
            &inst,
            problems,
            e,
            String::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let revision: i64 = fd
        .text("revision")
        .and_then(|r| r.parse().ok())
        .unwrap_or(-1);
    match surveys::submit(&state.store, l.response.id, revision, &actor).await {
        Ok(()) => Ok(see_other(&format!(
            "/{}/surveys/{id}/answer/{inst}?page=review",
            lang.code()
        ))),
        Err(StoreError::Conflict) => {
            let e = i18n::t(lang, "survey-conflict");
            let l = load(&state, lang, &uri, &id, &inst, &actor).await?;
            Ok(review_view(
                &l,
                lang,
                &uri,
                &viewer,
                &inst,
                Vec::new(),
                e,
                String::new(),
                StatusCode::CONFLICT,
            ))
        }
        Err(StoreError::Rule(_)) => {
            let e = i18n::t(lang, "survey-locked");
            Ok(review_view(
                &l,
                lang,
                &uri,
                &viewer,
                &inst,
                Vec::new(),
                e,
                String::new(),
                StatusCode::CONFLICT,
            ))
        }
        Err(e) => Err(PageError::store(lang, &uri, e)),
    }
}

/// A coordinator reopens a submitted response.
pub async fn reopen(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id, inst)): Path<(String, String, String)>,
    OriginalUri(uri): OriginalUri,
    CoordinatorForm(who, _fd): CoordinatorForm,
) -> PageResult {
    let r = surveys::response(&state.store, &id, &inst)
        .await
        .or_page(lang, &uri)?
        .ok_or_else(|| PageError::not_found(lang, &uri))?;
    match surveys::reopen(&state.store, r.id, &who.actor_name()).await {
        Ok(()) | Err(StoreError::Rule(_)) => Ok(see_other(&format!(
            "/{}/surveys/{id}?done=reopened",
            lang.code()
        ))),
        Err(e) => Err(PageError::store(lang, &uri, e)),
    }
}
