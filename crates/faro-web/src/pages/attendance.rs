//! Attendance, audience and certificates (issue 13), in its own module so
//! the event pages stay as they are:
//! - coordinators: `/{lang}/events/{id}/attendance` (Zoom report upload,
//!   imports, the people, Facebook Live figures with their history),
//!   `/{lang}/events/{id}/analytics[.csv]`,
//!   `/{lang}/events/series/{id}/analytics[.csv]` (SVG charts with their
//!   tables), `/{lang}/events/series/{id}/certificates` (rule, issue, the
//!   throttled e-mail batch, revoke, reissue);
//! - the public: `/{lang}/events/series/{id}/audience` (aggregates only,
//!   counts below 5 shown as "fewer than 5", the 2020 figures as
//!   reported), `/{lang}/verify/{code}`;
//! - the attendee: `/{lang}/registrations/certificates?t=…` (their
//!   certificates, PDFs in their language).

use super::{
    Coordinator, CoordinatorForm, OrPage, OrServerError, Page, PageError, PageLang, PageResult,
    message, render, see_other,
};
use crate::AppState;
use crate::auth::Viewer;
use crate::i18n::{self, FluentArg};
use crate::toolkit::escape;
use askama::Template;
use axum::Router;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use faro_domain::Lang;
use faro_domain::attendance::{Facebook, PublicCount};
use faro_store::StoreError;
use faro_store::certificates::{Certificate, Rule};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/{lang}/events/{id}/attendance",
            get(attendance_page).post(upload),
        )
        .route("/{lang}/events/{id}/facebook", post(facebook_save))
        .route("/{lang}/events/{id}/analytics", get(session_analytics))
        .route(
            "/{lang}/events/{id}/analytics.csv",
            get(session_analytics_csv),
        )
        .route(
            "/{lang}/events/series/{id}/analytics",
            get(series_analytics),
        )
        .route(
            "/{lang}/events/series/{id}/analytics.csv",
            get(series_analytics_csv),
        )
        .route("/{lang}/events/series/{id}/audience", get(series_audience))
        .route(
            "/{lang}/events/series/{id}/certificates",
            get(certificates_admin),
        )
        .route(
            "/{lang}/events/series/{id}/certificates/rule",
            post(rule_save),
        )
        .route("/{lang}/events/series/{id}/certificates/issue", post(issue))
        .route("/{lang}/events/series/{id}/certificates/mail", post(mail))
        .route("/{lang}/certificates/{code}/revoke", post(revoke))
        .route("/{lang}/certificates/{code}/reissue", post(reissue))
        .route("/{lang}/verify", get(verify_form))
        .route("/{lang}/verify/{code}", get(verify))
        .route("/{lang}/registrations/certificates", get(mine))
        .route("/{lang}/registrations/certificates/{code}", get(download))
}

/// A public count with the small-count rule, in words.
pub fn public_count(lang: Lang, n: i64) -> String {
    match PublicCount::of(n) {
        PublicCount::FewerThan(k) => {
            i18n::t_args(lang, "aud-fewer-than", &[("count", FluentArg::Num(k))])
        }
        PublicCount::Exact(n) => n.to_string(),
    }
}

fn session_label(lang: Lang, s: &faro_domain::events::Session) -> String {
    format!("{} · {}", s.number, s.title(lang))
}

// ---------------------------------------------------------------- charts

/// A horizontal bar chart (presentation attributes only; the page shows
/// its data table next to it).
pub fn bars_svg(title: &str, rows: &[(String, i64)]) -> String {
    use std::fmt::Write;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (220.0, 360.0, 22.0);
    let h = rows.len() as f64 * row_h + 10.0;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{t}"><title>{t}</title>"#,
        w = label_w + bar_w + 70.0,
        t = escape(title)
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 4.0;
        let w = (*n as f64 / max as f64) * bar_w;
        let _ = write!(
            s,
            r##"<text x="{lx}" y="{ty}" font-size="12" text-anchor="end" fill="#1a1a1a">{l}</text><rect x="{bx}" y="{y}" width="{w:.1}" height="{bh}" fill="#2e66a3"/><text x="{vx:.1}" y="{ty}" font-size="12" fill="#1a1a1a">{n}</text>"##,
            lx = label_w - 6.0,
            ty = y + 13.0,
            l = escape(label),
            bx = label_w,
            bh = row_h - 6.0,
            vx = label_w + w + 4.0,
        );
    }
    s.push_str("</svg>");
    s
}

pub struct Chart {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn chart(id: &str, title: String, head: [String; 2], rows: Vec<(String, i64)>) -> Chart {
    Chart {
        id: id.into(),
        svg: bars_svg(&title, &rows),
        title,
        head: head.to_vec(),
        rows: rows
            .into_iter()
            .map(|(l, n)| vec![l, n.to_string()])
            .collect(),
    }
}

// ---------------------------------------------------------- attendance page

#[derive(Template)]
#[template(path = "attendance.html")]
pub struct AttendancePage {
    pub p: Page,
    pub s: super::events::SessionRow,
    pub tz: String,
    pub notice: String,
    pub problems: Vec<String>,
    pub imports: Vec<faro_store::attendance::ImportRow>,
    pub rows: Vec<faro_store::attendance::Row>,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub fb: Facebook,
    pub fb_version: String,
    pub fb_history: Vec<faro_store::entity::change_log::Model>,
}

#[derive(serde::Deserialize, Default)]
pub struct PageQuery {
    pub page: Option<u64>,
    pub done: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn attendance_view(
    state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    id: &str,
    page: u64,
    notice: String,
    problems: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let s = faro_store::events::get(&state.store, id)
        .await
        .or_page(lang, uri)?;
    let (rows, total) =
        faro_store::attendance::rows(&state.store, id, faro_store::list::PageReq::new(page, 100))
            .await
            .or_500(lang, uri)?;
    let imports = faro_store::attendance::imports(&state.store, id, 20)
        .await
        .or_500(lang, uri)?;
    let fb = faro_store::audience::facebook(&state.store, id)
        .await
        .or_500(lang, uri)?;
    let fb_history = faro_store::audience::facebook_history(&state.store, id)
        .await
        .or_500(lang, uri)?;
    let href = |n: u64| format!("?page={n}");
    let mut r = render(
        status,
        &AttendancePage {
            p: Page::new(lang, uri, "events").viewer(viewer),
            s: super::events::row(lang, &s),
            tz: s.time_zone.clone(),
            notice,
            problems,
            imports,
            rows,
            total,
            prev: (page > 1).then(|| href(page - 1)),
            next: (page * 100 < total).then(|| href(page + 1)),
            fb_version: fb
                .as_ref()
                .map(|f| f.updated_at.to_rfc3339())
                .unwrap_or_default(),
            fb: fb.map(|f| f.figures).unwrap_or_default(),
            fb_history,
        },
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().unwrap());
    Ok(r)
}

pub async fn attendance_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    Coordinator(_): Coordinator,
) -> PageResult {
    let notice = match q.done.as_deref() {
        Some("facebook") => i18n::t(lang, "att-facebook-saved"),
        _ => String::new(),
    };
    attendance_view(
        &state,
        lang,
        &uri,
        &viewer,
        &id,
        q.page.unwrap_or(1).max(1),
        notice,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// The upload: a multipart form with the CSRF token, the zone and the file.
pub async fn upload(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    let msg = |status: StatusCode, key: &str| -> PageResult {
        let p = Page::new(lang, &uri, "events").viewer(&viewer);
        let m = p.t(key);
        Ok(message(status, p, "att-title", m))
    };
    let Ok(mut multipart) = multipart else {
        return msg(StatusCode::BAD_REQUEST, "upload-malformed");
    };
    let (mut csrf, mut tz, mut file) = (None, None, None::<Vec<u8>>);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(b) if name == "csrf" => {
                        csrf = Some(String::from_utf8_lossy(&b).into_owned())
                    }
                    Ok(b) if name == "tz" => {
                        tz = Some(String::from_utf8_lossy(&b).trim().to_string())
                    }
                    Ok(b) if name == "file" => file = Some(b.to_vec()),
                    Ok(_) => {}
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return msg(StatusCode::PAYLOAD_TOO_LARGE, "upload-too-large");
                    }
                    Err(_) => return msg(StatusCode::BAD_REQUEST, "upload-malformed"),
                }
            }
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return msg(StatusCode::PAYLOAD_TOO_LARGE, "upload-too-large");
            }
            Err(_) => return msg(StatusCode::BAD_REQUEST, "upload-malformed"),
        }
    }
    if !crate::auth::csrf_ok(&viewer, csrf.as_deref()) {
        return Err(PageError::csrf_failed(lang, &uri));
    }
    let who = super::extract::coordinator(lang, &uri, &viewer)?;
    let s = faro_store::events::get(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return msg(StatusCode::UNPROCESSABLE_ENTITY, "upload-missing");
    };
    if bytes.len() > state.config.max_upload_bytes {
        return msg(StatusCode::PAYLOAD_TOO_LARGE, "upload-too-large");
    }
    let zone = tz.filter(|z| !z.is_empty()).unwrap_or(s.time_zone.clone());
    let show = |problems: Vec<String>| {
        attendance_view(
            &state,
            lang,
            &uri,
            &viewer,
            &id,
            1,
            String::new(),
            problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Ok(parsed) = zone.parse::<chrono_tz::Tz>() else {
        return show(vec![i18n::t(lang, "att-tz-required")]).await;
    };
    let report = match faro_formats::zoom::read(&bytes, parsed) {
        Ok(r) => r,
        Err(errs) => {
            return show(errs.iter().map(|e| e.to_string()).collect()).await;
        }
    };
    let r = faro_store::attendance::import(
        &state.store,
        &id,
        &report,
        &faro_store::attendance::sha256_hex(&bytes),
        &zone,
        &who.actor_name(),
        Utc::now(),
    )
    .await
    .or_page(lang, &uri)?;
    let notice = if r.unchanged {
        i18n::t_args(
            lang,
            "att-unchanged",
            &[("count", FluentArg::Num(r.people as i64))],
        )
    } else {
        i18n::t_args(
            lang,
            "att-imported",
            &[
                (
                    "people",
                    FluentArg::from(i18n::t_args(
                        lang,
                        "att-people-count",
                        &[("count", FluentArg::Num(r.people as i64))],
                    )),
                ),
                ("attended", FluentArg::Num(r.attended as i64)),
                ("added", FluentArg::Num(r.added as i64)),
                ("changed", FluentArg::Num(r.changed as i64)),
                ("removed", FluentArg::Num(r.removed as i64)),
                ("email", FluentArg::Num(r.matched_by_email as i64)),
                ("name", FluentArg::Num(r.matched_by_name as i64)),
                ("guests", FluentArg::Num(r.guests as i64)),
            ],
        )
    };
    attendance_view(
        &state,
        lang,
        &uri,
        &viewer,
        &id,
        1,
        notice,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

fn opt_num(form: &super::FormData, name: &str) -> Result<Option<i64>, ()> {
    match form.text(name).map(|v| v.replace(['.', ',', ' '], "")) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| ()),
    }
}

pub async fn facebook_save(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    faro_store::events::get(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let nums: Result<Vec<Option<i64>>, ()> = [
        "peak_live",
        "total_views",
        "unique_viewers",
        "minutes_viewed",
    ]
    .iter()
    .map(|n| opt_num(&form, n))
    .collect();
    let bad = |problems: Vec<String>| {
        attendance_view(
            &state,
            lang,
            &uri,
            &viewer,
            &id,
            1,
            String::new(),
            problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Ok(nums) = nums else {
        return bad(vec![i18n::t(lang, "att-facebook-number")]).await;
    };
    let fb = Facebook {
        peak_live: nums[0],
        total_views: nums[1],
        unique_viewers: nums[2],
        minutes_viewed: nums[3],
        read_on: form.text("read_on").unwrap_or_default(),
        source: form.text("source").unwrap_or_default(),
    };
    let errs = fb.validate();
    if !errs.is_empty() {
        return bad(errs
            .iter()
            .map(|e| {
                format!(
                    "{}: {}",
                    i18n::t(lang, &format!("att-fb-{}", e.field.replace('_', "-"))),
                    i18n::t(lang, &format!("att-fb-err-{}", e.code.replace('_', "-")))
                )
            })
            .collect())
        .await;
    }
    let version = form
        .text("version")
        .filter(|v| !v.is_empty())
        .map(|v| chrono::DateTime::parse_from_rfc3339(&v).map(|t| t.with_timezone(&Utc)));
    let version = match version {
        None => None,
        Some(Ok(v)) => Some(v),
        Some(Err(_)) => {
            return Err(PageError::conflict(
                lang,
                &uri,
                "att-title",
                i18n::t(lang, "att-conflict"),
            ));
        }
    };
    match faro_store::audience::save_facebook(
        &state.store,
        &id,
        &fb,
        version,
        &who.actor_name(),
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!(
            "/{}/events/{id}/attendance?done=facebook",
            lang.code()
        ))),
        Err(StoreError::Conflict) => Err(PageError::conflict(
            lang,
            &uri,
            "att-title",
            i18n::t(lang, "att-conflict"),
        )),
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

// --------------------------------------------------------------- analytics

#[derive(Template)]
#[template(path = "analytics.html")]
pub struct AnalyticsPage {
    pub p: Page,
    pub title: String,
    pub back: String,
    pub back_label: String,
    pub csv: String,
    pub figures: Vec<(String, String)>,
    pub note: String,
    pub charts: Vec<Chart>,
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.0} %", x * 100.0))
        .unwrap_or_else(|| "—".into())
}

fn opt(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_else(|| "—".into())
}

fn session_figures(lang: Lang, st: &faro_store::audience::SessionStats) -> Vec<(String, String)> {
    let t = |k: &str| i18n::t(lang, k);
    let fb = st.facebook.clone().unwrap_or_default();
    vec![
        (t("att-registered"), st.registered.to_string()),
        (t("att-confirmed"), st.confirmed.to_string()),
        (t("att-attended"), st.attended.to_string()),
        (t("att-no-shows"), st.no_shows.to_string()),
        (t("att-guests"), st.guests.to_string()),
        (t("att-confirmed-absent"), st.confirmed_absent.to_string()),
        (t("att-no-show-rate"), pct(st.no_show_rate)),
        (t("att-minutes-median"), opt(st.minutes_median)),
        (t("att-minutes-total"), st.minutes_total.to_string()),
        (t("att-fb-peak-live"), opt(fb.peak_live)),
        (t("att-fb-total-views"), opt(fb.total_views)),
        (t("att-fb-unique-viewers"), opt(fb.unique_viewers)),
        (t("att-fb-minutes-viewed"), opt(fb.minutes_viewed)),
        (t("att-reach"), st.reach_upper_bound.to_string()),
    ]
}

/// What a session page shows anyone of its measured audience: people who
/// attended on Zoom (imported report) and the Facebook totals, every count
/// through the small-count rule. Empty when nothing was measured.
pub fn public_session_figures(
    lang: Lang,
    st: &faro_store::audience::SessionStats,
) -> Vec<(String, String)> {
    let t = |k: &str| i18n::t(lang, k);
    let mut out = Vec::new();
    if st.imported {
        out.push((t("att-attended"), public_count(lang, st.attended)));
    }
    if let Some(fb) = &st.facebook {
        for (k, v) in [
            ("att-fb-peak-live", fb.peak_live),
            ("att-fb-unique-viewers", fb.unique_viewers),
            ("att-fb-total-views", fb.total_views),
        ] {
            if let Some(n) = v {
                out.push((t(k), public_count(lang, n)));
            }
        }
    }
    out
}

fn distribution_rows(lang: Lang, st: &faro_store::audience::SessionStats) -> Vec<(String, i64)> {
    let last = st.distribution.len().saturating_sub(1);
    st.distribution
        .iter()
        .enumerate()
        .map(|(i, (lo, n))| {
            let label = if i == last {
                i18n::t_args(lang, "att-bin-open", &[("from", FluentArg::Num(*lo))])
            } else {
                i18n::t_args(
                    lang,
                    "att-bin",
                    &[
                        ("from", FluentArg::Num(*lo)),
                        ("to", FluentArg::Num(lo + faro_store::audience::BIN_MINUTES)),
                    ],
                )
            };
            (label, *n)
        })
        .collect()
}

pub async fn session_analytics(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    Coordinator(_): Coordinator,
) -> PageResult {
    let s = faro_store::events::get(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let st = faro_store::audience::session_stats(&state.store, &id)
        .await
        .or_500(lang, &uri)?;
    let t = |k: &str| i18n::t(lang, k);
    let charts = vec![chart(
        "minutes",
        t("att-chart-minutes"),
        [t("att-minutes"), t("att-people")],
        distribution_rows(lang, &st),
    )];
    Ok(render(
        StatusCode::OK,
        &AnalyticsPage {
            p: Page::new(lang, &uri, "events").viewer(&viewer),
            title: format!("{} · {}", t("att-analytics"), session_label(lang, &s)),
            back: format!("/{}/events/{id}/attendance", lang.code()),
            back_label: t("att-title"),
            csv: format!("/{}/events/{id}/analytics.csv", lang.code()),
            figures: session_figures(lang, &st),
            note: t("att-reach-note"),
            charts,
        },
    ))
}

fn csv_response(name: &str, rows: Vec<Vec<String>>) -> Response {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        let _ = w.write_record(r);
    }
    let body = w.into_inner().unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// One row per figure (`metric,value`), then the distribution
/// (`minutes_from,people`). Figures only, no person.
pub async fn session_analytics_csv(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    Coordinator(_): Coordinator,
) -> PageResult {
    faro_store::events::get(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let st = faro_store::audience::session_stats(&state.store, &id)
        .await
        .or_500(lang, &uri)?;
    let fb = st.facebook.clone().unwrap_or_default();
    let o = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let mut rows = vec![
        vec!["metric".into(), "value".into()],
        vec!["registered".into(), st.registered.to_string()],
        vec!["confirmed".into(), st.confirmed.to_string()],
        vec!["attended".into(), st.attended.to_string()],
        vec!["no_shows".into(), st.no_shows.to_string()],
        vec!["guests".into(), st.guests.to_string()],
        vec!["confirmed_absent".into(), st.confirmed_absent.to_string()],
        vec![
            "no_show_rate".into(),
            st.no_show_rate
                .map(|v| format!("{v:.4}"))
                .unwrap_or_default(),
        ],
        vec!["minutes_median".into(), o(st.minutes_median)],
        vec!["minutes_total".into(), st.minutes_total.to_string()],
        vec!["facebook_peak_live".into(), o(fb.peak_live)],
        vec!["facebook_total_views".into(), o(fb.total_views)],
        vec!["facebook_unique_viewers".into(), o(fb.unique_viewers)],
        vec!["facebook_minutes_viewed".into(), o(fb.minutes_viewed)],
        vec!["reach_upper_bound".into(), st.reach_upper_bound.to_string()],
    ];
    for (lo, n) in &st.distribution {
        rows.push(vec![format!("minutes_from_{lo}"), n.to_string()]);
    }
    Ok(csv_response(&format!("{id}-analytics.csv"), rows))
}

async fn series_charts(
    state: &AppState,
    lang: Lang,
    series: &str,
    st: &faro_store::audience::SeriesStats,
) -> Result<Vec<Chart>, StoreError> {
    let t = |k: &str| i18n::t(lang, k);
    let sessions = faro_store::events::for_series(&state.store, series).await?;
    let label = |id: &str| {
        sessions
            .iter()
            .find(|s| s.id == id)
            .map(|s| session_label(lang, s))
            .unwrap_or_else(|| id.to_string())
    };
    let country = |c: &str| {
        if c.is_empty() {
            t("att-unknown")
        } else {
            faro_domain::country::by_code(c)
                .map(|x| x.name(lang).to_string())
                .unwrap_or_else(|| c.to_string())
        }
    };
    Ok(vec![
        chart(
            "per-session",
            t("att-chart-per-session"),
            [t("att-session"), t("att-attended")],
            st.sessions
                .iter()
                .map(|(id, _, n)| (label(id), *n))
                .collect(),
        ),
        chart(
            "sessions-attended",
            t("att-chart-sessions-attended"),
            [t("att-sessions-attended"), t("att-people")],
            st.by_sessions_attended
                .iter()
                .map(|(k, n)| (k.to_string(), *n))
                .collect(),
        ),
        chart(
            "by-country",
            t("att-chart-by-country"),
            [t("att-country"), t("att-people")],
            st.by_country
                .iter()
                .map(|(c, n)| (country(c), *n))
                .collect(),
        ),
        chart(
            "by-role",
            t("att-chart-by-role"),
            [t("att-role"), t("att-people")],
            st.by_role
                .iter()
                .map(|(r, n)| {
                    (
                        if r.is_empty() {
                            t("att-unknown")
                        } else {
                            r.clone()
                        },
                        *n,
                    )
                })
                .collect(),
        ),
    ])
}

pub async fn series_analytics(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    Coordinator(_): Coordinator,
) -> PageResult {
    let series = faro_store::events::get_series(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let st = faro_store::audience::series_stats(&state.store, &id)
        .await
        .or_500(lang, &uri)?;
    let t = |k: &str| i18n::t(lang, k);
    let charts = series_charts(&state, lang, &id, &st)
        .await
        .or_500(lang, &uri)?;
    Ok(render(
        StatusCode::OK,
        &AnalyticsPage {
            p: Page::new(lang, &uri, "events").viewer(&viewer),
            title: format!("{} · {}", t("att-analytics"), series.title(lang)),
            back: format!("/{}/events/series/{id}/certificates", lang.code()),
            back_label: t("cert-admin-title"),
            csv: format!("/{}/events/series/{id}/analytics.csv", lang.code()),
            figures: vec![
                (t("att-unique-people"), st.unique_people.to_string()),
                (t("att-returning"), st.returning.to_string()),
                (t("att-institutions"), st.institutions.to_string()),
                (t("att-countries"), st.countries.to_string()),
                (t("att-fb-unique-viewers"), st.facebook_unique.to_string()),
                (
                    t("att-reach"),
                    (st.unique_people + st.facebook_unique).to_string(),
                ),
            ],
            note: t("att-reach-note"),
            charts,
        },
    ))
}

/// `table,key,value` rows: the figures, then each chart's table.
pub async fn series_analytics_csv(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    Coordinator(_): Coordinator,
) -> PageResult {
    faro_store::events::get_series(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let st = faro_store::audience::series_stats(&state.store, &id)
        .await
        .or_500(lang, &uri)?;
    let mut rows: Vec<Vec<String>> = vec![vec!["table".into(), "key".into(), "value".into()]];
    let mut add = |t: &str, k: String, v: i64| rows.push(vec![t.into(), k, v.to_string()]);
    add("figures", "unique_people".into(), st.unique_people);
    add("figures", "returning".into(), st.returning);
    add("figures", "institutions".into(), st.institutions);
    add("figures", "countries".into(), st.countries);
    add(
        "figures",
        "facebook_unique_viewers".into(),
        st.facebook_unique,
    );
    for (s, _, n) in &st.sessions {
        add("per_session", s.clone(), *n);
    }
    for (k, n) in &st.by_sessions_attended {
        add("sessions_attended", k.to_string(), *n);
    }
    for (c, n) in &st.by_country {
        add("by_country", c.clone(), *n);
    }
    for (r, n) in &st.by_role {
        add("by_role", crate::toolkit::csv_safe(r), *n);
    }
    Ok(csv_response(&format!("{id}-analytics.csv"), rows))
}

// ------------------------------------------------------------ public page

#[derive(Template)]
#[template(path = "audience.html")]
pub struct AudiencePage {
    pub p: Page,
    pub series_id: String,
    pub title: String,
    /// (label, shown value)
    pub figures: Vec<(String, String)>,
    /// (session, shown attended)
    pub sessions: Vec<(String, String)>,
    /// The series' reported figures (e.g. 2020) with their source.
    pub reported: Vec<(String, String, String)>,
}

/// The public audience of a series: aggregates only, every count below 5
/// shown as "fewer than 5"; reported figures apart, with their source.
pub async fn series_audience(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let series = faro_store::events::get_series(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let st = faro_store::audience::series_stats(&state.store, &id)
        .await
        .or_500(lang, &uri)?;
    let sessions = faro_store::events::for_series(&state.store, &id)
        .await
        .or_500(lang, &uri)?;
    let t = |k: &str| i18n::t(lang, k);
    let measured = !st.sessions.is_empty();
    let figures = if measured {
        vec![
            (t("att-unique-people"), public_count(lang, st.unique_people)),
            (t("att-returning"), public_count(lang, st.returning)),
            (t("att-countries"), public_count(lang, st.countries)),
            (t("att-institutions"), public_count(lang, st.institutions)),
        ]
    } else {
        Vec::new()
    };
    let rows = st
        .sessions
        .iter()
        .map(|(sid, _, n)| {
            let label = sessions
                .iter()
                .find(|s| &s.id == sid)
                .map(|s| session_label(lang, s))
                .unwrap_or_else(|| sid.clone());
            (label, public_count(lang, *n))
        })
        .collect();
    let reported = series
        .figures
        .iter()
        .map(|f| {
            (
                i18n::t(lang, &format!("figure-{}", f.key.replace('_', "-"))),
                f.value.clone(),
                f.source.clone(),
            )
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &AudiencePage {
            p: Page::new(lang, &uri, "events").viewer(&viewer),
            series_id: id.clone(),
            title: series.title(lang).to_string(),
            figures,
            sessions: rows,
            reported,
        },
    ))
}

// ------------------------------------------------------------ certificates

#[derive(Template)]
#[template(path = "certificates_admin.html")]
pub struct CertAdminPage {
    pub p: Page,
    pub series_id: String,
    pub title: String,
    pub notice: String,
    pub min_share: String,
    pub series_sessions: String,
    pub has_rule: bool,
    pub rows: Vec<Certificate>,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct CertQuery {
    pub page: Option<u64>,
    pub issued: Option<u64>,
    pub mailed: Option<u64>,
    pub done: Option<String>,
}

pub async fn certificates_admin(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<CertQuery>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    Coordinator(_): Coordinator,
) -> PageResult {
    let series = faro_store::events::get_series(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let rule = faro_store::certificates::rule(&state.store, &id)
        .await
        .or_500(lang, &uri)?;
    let page = q.page.unwrap_or(1).max(1);
    let (rows, total) = faro_store::certificates::for_series(
        &state.store,
        &id,
        faro_store::list::PageReq::new(page, 100),
    )
    .await
    .or_500(lang, &uri)?;
    let notice = if let Some(n) = q.issued {
        i18n::t_args(lang, "cert-issued", &[("count", FluentArg::Num(n as i64))])
    } else if let Some(n) = q.mailed {
        i18n::t_args(lang, "cert-mailed", &[("count", FluentArg::Num(n as i64))])
    } else {
        match q.done.as_deref() {
            Some("rule") => i18n::t(lang, "cert-rule-saved"),
            Some("revoked") => i18n::t(lang, "cert-revoked-done"),
            Some("reissued") => i18n::t(lang, "cert-reissued-done"),
            _ => String::new(),
        }
    };
    let href = |n: u64| format!("?page={n}");
    Ok(render(
        StatusCode::OK,
        &CertAdminPage {
            p: Page::new(lang, &uri, "events").viewer(&viewer),
            series_id: id.clone(),
            title: series.title(lang).to_string(),
            notice,
            min_share: rule
                .map(|r| r.min_share.to_string())
                .unwrap_or_else(|| "60".into()),
            series_sessions: rule
                .map(|r| r.series_sessions.to_string())
                .unwrap_or_else(|| "0".into()),
            has_rule: rule.is_some(),
            rows,
            total,
            prev: (page > 1).then(|| href(page - 1)),
            next: (page * 100 < total).then(|| href(page + 1)),
        },
    ))
}

pub async fn rule_save(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    let num = |n: &str| form.text(n).and_then(|v| v.parse::<u32>().ok());
    let (Some(min_share), Some(series_sessions)) = (num("min_share"), num("series_sessions"))
    else {
        let p = Page::new(lang, &uri, "events").viewer(&viewer);
        let m = p.t("cert-rule-invalid");
        return Ok(message(
            StatusCode::UNPROCESSABLE_ENTITY,
            p,
            "cert-admin-title",
            m,
        ));
    };
    match faro_store::certificates::set_rule(
        &state.store,
        &id,
        Rule {
            min_share,
            series_sessions,
        },
        &who.actor_name(),
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!(
            "/{}/events/series/{id}/certificates?done=rule",
            lang.code()
        ))),
        Err(StoreError::Invalid(_)) => {
            let p = Page::new(lang, &uri, "events").viewer(&viewer);
            let m = p.t("cert-rule-invalid");
            Ok(message(
                StatusCode::UNPROCESSABLE_ENTITY,
                p,
                "cert-admin-title",
                m,
            ))
        }
        Err(e) => Err(e).or_page(lang, &uri),
    }
}

pub async fn issue(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, _form): CoordinatorForm,
) -> PageResult {
    faro_store::events::get_series(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    match faro_store::certificates::issue(&state.store, &id, &who.actor_name(), Utc::now()).await {
        Ok(codes) => Ok(see_other(&format!(
            "/{}/events/series/{id}/certificates?issued={}",
            lang.code(),
            codes.len()
        ))),
        Err(StoreError::Rule(_)) => {
            let p = Page::new(lang, &uri, "events").viewer(&viewer);
            let m = p.t("cert-no-rule");
            Ok(message(
                StatusCode::UNPROCESSABLE_ENTITY,
                p,
                "cert-admin-title",
                m,
            ))
        }
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

pub async fn mail(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, _form): CoordinatorForm,
) -> PageResult {
    faro_store::events::get_series(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    match faro_store::certificates::mail_batch(&state.store, &id, &who.actor_name(), Utc::now())
        .await
    {
        Ok(n) => Ok(see_other(&format!(
            "/{}/events/series/{id}/certificates?mailed={n}",
            lang.code()
        ))),
        Err(e @ StoreError::Rule(_)) => {
            let p = Page::new(lang, &uri, "events").viewer(&viewer);
            let m = i18n::store_error_message(lang, &e, "throttled");
            Ok(message(
                StatusCode::TOO_MANY_REQUESTS,
                p,
                "cert-admin-title",
                m,
            ))
        }
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

async fn change_status(
    state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    code: &str,
    result: Result<(), StoreError>,
    done: &str,
) -> PageResult {
    match result {
        Ok(()) => {
            let c = faro_store::certificates::get(&state.store, code)
                .await
                .or_page(lang, uri)?;
            Ok(see_other(&format!(
                "/{}/events/series/{}/certificates?done={done}",
                lang.code(),
                c.series
            )))
        }
        Err(StoreError::Rule(_)) | Err(StoreError::Conflict) => {
            let p = Page::new(lang, uri, "events").viewer(viewer);
            let m = p.t("cert-status-refused");
            Ok(message(StatusCode::CONFLICT, p, "cert-admin-title", m))
        }
        Err(e) => Err(e).or_page(lang, uri),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, code)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    let reason = form.text("reason").unwrap_or_default();
    let r = faro_store::certificates::revoke(
        &state.store,
        &code,
        &reason,
        &who.actor_name(),
        Utc::now(),
    )
    .await;
    change_status(&state, lang, &uri, &viewer, &code, r, "revoked").await
}

pub async fn reissue(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, code)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, _form): CoordinatorForm,
) -> PageResult {
    let r = faro_store::certificates::reissue(&state.store, &code, &who.actor_name(), Utc::now())
        .await
        .map(|_| ());
    change_status(&state, lang, &uri, &viewer, &code, r, "reissued").await
}

// ------------------------------------------------------------ verification

#[derive(Template)]
#[template(path = "verify.html")]
pub struct VerifyPage {
    pub p: Page,
    pub code: String,
    pub found: bool,
    pub status: String,
    pub status_text: String,
    pub name: String,
    pub what: String,
    pub when: String,
    pub minutes: i64,
    pub organiser: String,
    pub issued: String,
    pub replaced_by: String,
    pub reason: String,
}

#[derive(serde::Deserialize, Default)]
pub struct CodeQuery {
    pub code: Option<String>,
}

pub async fn verify_form(
    PageLang(lang): PageLang,
    Query(q): Query<CodeQuery>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    if let Some(c) = q.code.filter(|c| !c.trim().is_empty()) {
        let c = faro_store::certificates::normalise_code(&c);
        if c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') && c.len() <= 32 {
            return Ok(see_other(&format!("/{}/verify/{c}", lang.code())));
        }
    }
    Ok(render(
        StatusCode::OK,
        &VerifyPage {
            p: Page::new(lang, &uri, "events").viewer(&viewer),
            code: String::new(),
            found: false,
            status: String::new(),
            status_text: String::new(),
            name: String::new(),
            what: String::new(),
            when: String::new(),
            minutes: 0,
            organiser: String::new(),
            issued: String::new(),
            replaced_by: String::new(),
            reason: String::new(),
        },
    ))
}

/// What a certificate is about, in `lang`: (what, when, organiser).
async fn describe(
    state: &AppState,
    lang: Lang,
    c: &Certificate,
) -> Result<(String, String, String), StoreError> {
    let series = faro_store::events::get_series(&state.store, &c.series).await?;
    let organiser = if series.organiser.is_empty() {
        String::new()
    } else {
        faro_store::institutions::acronyms(&state.store, std::slice::from_ref(&series.organiser))
            .await?
            .get(&series.organiser)
            .cloned()
            .unwrap_or_else(|| series.organiser.clone())
    };
    Ok(match &c.session {
        Some(sid) => {
            let s = faro_store::events::get(&state.store, sid).await?;
            (
                i18n::t_args(
                    lang,
                    "cert-what-session",
                    &[
                        ("session", FluentArg::from(s.title(lang))),
                        ("series", FluentArg::from(series.title(lang))),
                    ],
                ),
                s.date.clone(),
                organiser,
            )
        }
        None => {
            let sessions = faro_store::events::for_series(&state.store, &c.series).await?;
            let first = sessions.iter().map(|s| s.date.as_str()).min().unwrap_or("");
            let last = sessions.iter().map(|s| s.date.as_str()).max().unwrap_or("");
            (
                i18n::t_args(
                    lang,
                    "cert-what-series",
                    &[
                        (
                            "sessions",
                            FluentArg::from(i18n::t_args(
                                lang,
                                "cert-sessions-count",
                                &[("count", FluentArg::Num(c.sessions))],
                            )),
                        ),
                        ("series", FluentArg::from(series.title(lang))),
                    ],
                ),
                format!("{first} – {last}"),
                organiser,
            )
        }
    })
}

pub async fn verify(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, code)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let p = Page::new(lang, &uri, "events").viewer(&viewer);
    let c = match faro_store::certificates::get(&state.store, &code).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => {
            let mut r = render(
                StatusCode::NOT_FOUND,
                &VerifyPage {
                    p,
                    code: faro_store::certificates::normalise_code(&code),
                    found: false,
                    status: "unknown".into(),
                    status_text: i18n::t(lang, "verify-unknown"),
                    name: String::new(),
                    what: String::new(),
                    when: String::new(),
                    minutes: 0,
                    organiser: String::new(),
                    issued: String::new(),
                    replaced_by: String::new(),
                    reason: String::new(),
                },
            );
            r.headers_mut()
                .insert(header::CACHE_CONTROL, "no-store".parse().unwrap());
            return Ok(r);
        }
        Err(e) => return Err(PageError::server(lang, &uri, e)),
    };
    let (what, when, organiser) = describe(&state, lang, &c).await.or_500(lang, &uri)?;
    let mut r = render(
        StatusCode::OK,
        &VerifyPage {
            p,
            code: c.code.clone(),
            found: true,
            status_text: i18n::t(lang, &format!("verify-status-{}", c.status)),
            status: c.status.clone(),
            name: if c.name.is_empty() {
                i18n::t(lang, "verify-erased")
            } else {
                c.name.clone()
            },
            what,
            when,
            minutes: c.minutes,
            organiser,
            issued: i18n::day(lang, c.issued_at.date_naive()),
            replaced_by: c.replaced_by.clone().unwrap_or_default(),
            reason: c.reason.clone(),
        },
    );
    // Never cached: a revocation must show at once; the page is public
    // but not indexed (it names a person).
    r.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().unwrap());
    r.headers_mut()
        .insert("x-robots-tag", "noindex".parse().unwrap());
    Ok(r)
}

// ------------------------------------------------------------ the PDF

/// The certificate as a PDF in its own language (made in-process).
pub async fn certificate_pdf(state: &AppState, c: &Certificate) -> Result<Vec<u8>, String> {
    use faro_typeset::{Block, Doc};
    let lang = Lang::from_code(&c.lang).unwrap_or(Lang::Es);
    let (what, when, organiser) = describe(state, lang, c).await.map_err(|e| e.to_string())?;
    let t = |k: &str| i18n::t(lang, k);
    let url = format!(
        "{}/{}/verify/{}",
        state.config.public_url.trim_end_matches('/'),
        lang.code(),
        c.code
    );
    let mut d = Doc::landscape(lang.code(), &t("cert-title"));
    d.push(Block::Space(30.0))
        .push(Block::Title(t("cert-title")))
        .push(Block::Paragraph(t("cert-certifies")))
        .push(Block::Emphasis(c.name.clone()))
        .push(Block::Paragraph(what))
        .push(Block::Paragraph(i18n::t_args(
            lang,
            "cert-when",
            &[
                ("when", FluentArg::from(when.as_str())),
                ("minutes", FluentArg::Num(c.minutes)),
            ],
        )));
    if !organiser.is_empty() {
        d.push(Block::Paragraph(i18n::t_args(
            lang,
            "cert-organiser",
            &[("organiser", FluentArg::from(organiser.as_str()))],
        )));
    }
    d.push(Block::Space(30.0))
        .push(Block::Small(i18n::t_args(
            lang,
            "cert-code",
            &[("code", FluentArg::from(c.code.as_str()))],
        )))
        .push(Block::Small(i18n::t_args(
            lang,
            "cert-verify-at",
            &[("url", FluentArg::from(url.as_str()))],
        )));
    tokio::task::spawn_blocking(move || faro_typeset::render(&d).map_err(|e| e.to_string()))
        .await
        .map_err(|e| e.to_string())?
}

// ------------------------------------------------------ the attendee's page

#[derive(Template)]
#[template(path = "my_certificates.html")]
pub struct MinePage {
    pub p: Page,
    pub token: String,
    /// (certificate, what)
    pub rows: Vec<(Certificate, String)>,
}

#[derive(serde::Deserialize, Default)]
pub struct TokenQuery {
    pub t: Option<String>,
}

async fn person_of(
    state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    t: &Option<String>,
) -> Result<(i64, String), PageError> {
    let t = t.clone().unwrap_or_default();
    if !crate::auth::is_token(&t) {
        return Err(PageError::not_found(lang, uri));
    }
    match faro_store::registrations::person(&state.store, &t, Utc::now()).await {
        Ok(p) => Ok((p.id, t)),
        Err(StoreError::NotFound) => Err(PageError::not_found(lang, uri)),
        Err(e) => Err(PageError::server(lang, uri, e)),
    }
}

fn private(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().unwrap());
    r.headers_mut()
        .insert(header::REFERRER_POLICY, "no-referrer".parse().unwrap());
    r
}

pub async fn mine(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Query(q): Query<TokenQuery>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let (id, token) = person_of(&state, lang, &uri, &q.t).await?;
    let certs = faro_store::certificates::for_registrant(&state.store, id)
        .await
        .or_500(lang, &uri)?;
    let mut rows = Vec::new();
    for c in certs {
        let (what, _, _) = describe(&state, lang, &c).await.or_500(lang, &uri)?;
        rows.push((c, what));
    }
    Ok(private(render(
        StatusCode::OK,
        &MinePage {
            p: Page::new(lang, &uri, "events").viewer(&viewer),
            token,
            rows,
        },
    )))
}

pub async fn download(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, code)): Path<(String, String)>,
    Query(q): Query<TokenQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let (id, _) = person_of(&state, lang, &uri, &q.t).await?;
    let c = faro_store::certificates::get(&state.store, &code)
        .await
        .or_page(lang, &uri)?;
    if c.registrant != Some(id) || c.status != "valid" {
        return Err(PageError::not_found(lang, &uri));
    }
    let pdf = certificate_pdf(&state, &c).await.or_500(lang, &uri)?;
    Ok(private(
        (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"certificate-{}.pdf\"", c.code),
                ),
            ],
            pdf,
        )
            .into_response(),
    ))
}

/// The job runner's `certificate` job: the certificate by e-mail, the PDF
/// attached, in the person's language. Ok(None) when there is nobody to
/// send it to any more (erased, or the certificate no longer valid).
pub async fn certificate_email(
    state: &AppState,
    payload: &serde_json::Value,
) -> Result<Option<(crate::mail::Email, Vec<u8>, String)>, String> {
    let code = payload["code"].as_str().unwrap_or_default();
    let c = match faro_store::certificates::get(&state.store, code).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let Some(rid) = c.registrant else {
        return Ok(None);
    };
    if c.status != "valid" || c.name.is_empty() {
        return Ok(None);
    }
    let person = match faro_store::registrations::person_by_id(&state.store, rid).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    if !person.data.email.contains('@') {
        return Ok(None);
    }
    let lang = Lang::from_code(&c.lang).unwrap_or(Lang::Es);
    let (what, _, _) = describe(state, lang, &c).await.map_err(|e| e.to_string())?;
    let pdf = certificate_pdf(state, &c).await?;
    let url = format!(
        "{}/{}/verify/{}",
        state.config.public_url.trim_end_matches('/'),
        lang.code(),
        c.code
    );
    let email = crate::mail::Email {
        to: person.data.email.clone(),
        subject: i18n::t(lang, "cert-mail-subject"),
        body: i18n::t_args(
            lang,
            "cert-mail-body",
            &[
                ("name", FluentArg::from(c.name.as_str())),
                ("what", FluentArg::from(what.as_str())),
                ("code", FluentArg::from(c.code.as_str())),
                ("url", FluentArg::from(url.as_str())),
            ],
        ),
        lang: lang.code().to_string(),
        ics: None,
    };
    Ok(Some((email, pdf, format!("certificate-{}.pdf", c.code))))
}
