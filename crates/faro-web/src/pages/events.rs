//! Event series: `/{lang}/events` (series and upcoming sessions), a page
//! per series (`/{lang}/events/series/{id}`) and per session
//! (`/{lang}/events/{id}`) with its registration form; calendars
//! (`/events/{id}.ics`); registration without an account and the personal
//! page reached by a one-time link (`/{lang}/registrations?t=…`); the
//! coordinators' session form, registrant list, CSV export and message.
//!
//! Join details (Zoom link, meeting id, passcode) are shown only on a
//! confirmed registrant's personal page and in their e-mails.

use super::{
    Coordinator, CoordinatorForm, CsrfForm, FormData, OrPage, OrServerError, Page, PageError,
    PageLang, PageResult, message, render, see_other,
};
use crate::auth::{ClientIp, Viewer};
use crate::{AppState, calendar, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use faro_domain::Lang;
use faro_domain::events::{Registrant, Series, Session};
use faro_store::StoreError;
use faro_store::changes::Actor;
use std::collections::HashMap;

/// "Session 4 · 2020-04-23 · title", for lists and links.
pub fn label(lang: Lang, s: &Session) -> String {
    format!(
        "{} · {} · {}",
        i18n::t_args(lang, "session-number", &[("n", (s.number as u64).into())]),
        s.date,
        s.title(lang)
    )
}

pub struct SessionRow {
    pub id: String,
    pub number: u32,
    pub date: String,
    pub when: String,
    pub title: String,
    /// `lang` attribute when the title is not in the page's language.
    pub title_lang: Option<String>,
    pub status: String,
    pub status_code: String,
}

pub fn row(lang: Lang, s: &Session) -> SessionRow {
    let tl = s.title_lang(lang);
    SessionRow {
        id: s.id.clone(),
        number: s.number,
        date: s.date.clone(),
        when: calendar::when(s),
        title: s.title(lang).to_string(),
        title_lang: (tl != lang.code()).then(|| tl.to_string()),
        status: i18n::t(lang, &format!("session-status-{}", s.status)),
        status_code: s.status.clone(),
    }
}

fn base(state: &AppState) -> String {
    state.config.public_url.trim_end_matches('/').to_string()
}

fn event_status(s: &Session) -> &'static str {
    match s.status.as_str() {
        "cancelled" => "https://schema.org/EventCancelled",
        "rescheduled" => "https://schema.org/EventRescheduled",
        _ => "https://schema.org/EventScheduled",
    }
}

fn event_ld(
    state: &AppState,
    s: &Session,
    lang: Lang,
    performers: &[serde_json::Value],
) -> serde_json::Value {
    let url = calendar::session_url(state, lang, &s.id);
    let mut v = serde_json::json!({
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": s.title(lang),
        "startDate": s.start_iso(),
        "eventStatus": event_status(s),
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "location": {"@type": "VirtualLocation", "url": url},
        "position": s.number,
    });
    if let Some(end) = s.end_utc() {
        v["endDate"] = end.to_rfc3339().into();
    }
    if !performers.is_empty() {
        v["performer"] = performers.to_vec().into();
    }
    v
}

fn org_ld(state: &AppState, lang: Lang, id: &str, acronym: &str) -> serde_json::Value {
    serde_json::json!({
        "@type": "Organization",
        "@id": format!("{}/{}/institutions/{id}", base(state), lang.code()),
        "name": acronym,
    })
}

pub struct SeriesRow {
    pub id: String,
    pub title: String,
    pub title_lang: Option<String>,
    pub hashtag: String,
}

fn series_row(lang: Lang, s: &Series) -> SeriesRow {
    let title = s.title(lang).to_string();
    let own = match lang {
        Lang::Es => &s.title_es,
        Lang::En => &s.title_en,
        Lang::Pt => &s.title_pt,
    };
    SeriesRow {
        id: s.id.clone(),
        title,
        title_lang: own.is_empty().then(|| s.original_language.clone()),
        hashtag: s.hashtag.clone(),
    }
}

#[derive(Template)]
#[template(path = "events.html")]
pub struct ListPage {
    pub p: Page,
    pub series: Vec<SeriesRow>,
    pub upcoming: Vec<SessionRow>,
}

pub async fn list(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let series = faro_store::events::list_series(&state.store)
        .await
        .or_500(lang, &uri)?;
    let upcoming = faro_store::events::upcoming(&state.store, Utc::now(), 20)
        .await
        .or_500(lang, &uri)?;
    let ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": series.iter().enumerate().map(|(i, s)| serde_json::json!({
            "@type": "ListItem", "position": i + 1,
            "url": format!("{}/{}/events/series/{}", base(&state), lang.code(), s.id),
            "name": s.title(lang),
        })).collect::<Vec<_>>(),
    });
    let page = ListPage {
        p: Page::new(lang, &uri, "events").viewer(&viewer).with_ld(ld),
        series: series.iter().map(|s| series_row(lang, s)).collect(),
        upcoming: upcoming.iter().map(|s| row(lang, s)).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

pub struct PresenterRow {
    pub institution: String,
    pub label: String,
    pub person: String,
    pub source: String,
}

pub struct FigureRow {
    pub label: String,
    pub value: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "series.html")]
pub struct SeriesPage {
    pub p: Page,
    pub s: SeriesRow,
    pub description: String,
    pub description_lang: Option<String>,
    pub organiser: Option<(String, String)>,
    pub figures: Vec<FigureRow>,
    pub upcoming: Vec<SessionRow>,
    pub past: Vec<SessionRow>,
    pub presenters: Vec<PresenterRow>,
    pub open: bool,
    pub form: RegisterForm,
}

async fn presenter_rows(
    state: &AppState,
    presenters: &[faro_domain::events::Presenter],
) -> Result<(Vec<PresenterRow>, HashMap<String, String>), StoreError> {
    let names = faro_store::institutions::acronyms(
        &state.store,
        &presenters
            .iter()
            .map(|p| p.institution.clone())
            .filter(|i| !i.is_empty())
            .collect::<Vec<_>>(),
    )
    .await?;
    let rows = presenters
        .iter()
        .map(|p| PresenterRow {
            institution: p.institution.clone(),
            label: names
                .get(&p.institution)
                .cloned()
                .unwrap_or_else(|| p.institution.clone()),
            person: [p.name.as_str(), p.role.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            source: p.source.clone(),
        })
        .collect();
    Ok((rows, names))
}

pub async fn series(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let mut viewer = viewer;
    let cookie = super::account::ensure_anon_csrf(&state, &mut viewer);
    let s = faro_store::events::get_series(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let sessions = faro_store::events::for_series(&state.store, &id)
        .await
        .or_500(lang, &uri)?;
    let presenters = faro_store::events::presenters(&state.store, &id)
        .await
        .or_500(lang, &uri)?;
    let series_presenters: Vec<_> = presenters
        .iter()
        .filter(|p| p.session.is_empty())
        .cloned()
        .collect();
    let (rows, names) = presenter_rows(&state, &series_presenters)
        .await
        .or_500(lang, &uri)?;
    let organiser_name = if s.organiser.is_empty() {
        None
    } else {
        let n =
            faro_store::institutions::acronyms(&state.store, std::slice::from_ref(&s.organiser))
                .await
                .or_500(lang, &uri)?;
        Some((
            s.organiser.clone(),
            n.get(&s.organiser)
                .cloned()
                .unwrap_or_else(|| s.organiser.clone()),
        ))
    };
    let now = Utc::now();
    let (past, upcoming): (Vec<&Session>, Vec<&Session>) = sessions.iter().partition(|x| {
        !x.open_for_registration(now) && x.status != "scheduled" || x.status == "held"
    });
    let performers: Vec<serde_json::Value> = series_presenters
        .iter()
        .filter(|p| !p.institution.is_empty())
        .map(|p| {
            org_ld(
                &state,
                lang,
                &p.institution,
                names
                    .get(&p.institution)
                    .map(String::as_str)
                    .unwrap_or(&p.institution),
            )
        })
        .collect();
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "EventSeries",
        "@id": format!("{}/{}/events/series/{}", base(&state), lang.code(), s.id),
        "name": s.title(lang),
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "subEvent": sessions.iter().map(|x| event_ld(&state, x, lang, &[])).collect::<Vec<_>>(),
        "performer": performers,
    });
    if let Some((oid, oname)) = &organiser_name {
        ld["organizer"] = org_ld(&state, lang, oid, oname);
    }
    if !s.description(lang).is_empty() {
        ld["description"] = s.description(lang).into();
    }
    let own_desc = match lang {
        Lang::Es => &s.description_es,
        Lang::En => &s.description_en,
        Lang::Pt => &s.description_pt,
    };
    let open = upcoming.iter().any(|x| x.open_for_registration(now));
    let page = SeriesPage {
        p: Page::new(lang, &uri, "events").viewer(&viewer).with_ld(ld),
        s: series_row(lang, &s),
        description: s.description(lang).to_string(),
        description_lang: own_desc.is_empty().then(|| s.original_language.clone()),
        organiser: organiser_name,
        figures: s
            .figures
            .iter()
            .map(|f| FigureRow {
                label: i18n::t(lang, &format!("figure-{}", f.key.replace('_', "-"))),
                value: f.value.clone(),
                source: f.source.clone(),
            })
            .collect(),
        upcoming: upcoming.iter().map(|x| row(lang, x)).collect(),
        past: past.iter().map(|x| row(lang, x)).collect(),
        presenters: rows,
        open,
        form: RegisterForm::new(
            &state,
            lang,
            &format!("/{}/events/series/{}/register", lang.code(), s.id),
            None,
        )
        .await
        .or_500(lang, &uri)?,
    };
    Ok(super::account::with_cookie(
        render(StatusCode::OK, &page),
        cookie,
    ))
}

/// The registration form's state: where it posts, the directory to pick
/// from, the values typed and every problem beside its field.
pub struct RegisterForm {
    pub action: String,
    pub institutions: Vec<(String, String)>,
    pub countries: Vec<(String, String)>,
    pub values: HashMap<String, String>,
    pub errors: HashMap<String, String>,
    /// Days personal data are kept after the last session (0: until erased).
    pub retention_days: u64,
}

impl RegisterForm {
    async fn new(
        state: &AppState,
        lang: Lang,
        action: &str,
        form: Option<&FormData>,
    ) -> Result<Self, StoreError> {
        let mut institutions: Vec<(String, String)> = faro_store::institutions::all(&state.store)
            .await?
            .into_iter()
            .map(|i| (i.id.clone(), i.acronym.clone()))
            .collect();
        institutions.sort_by_key(|a| a.1.to_lowercase());
        let mut countries: Vec<(String, String)> = faro_domain::country::all()
            .iter()
            .map(|c| (c.code.clone(), c.name(lang).to_string()))
            .collect();
        countries.sort_by(|a, b| a.1.cmp(&b.1));
        let mut values = HashMap::new();
        values.insert("lang".to_string(), lang.code().to_string());
        if let Some(f) = form {
            for k in [
                "name",
                "email",
                "institution",
                "institution_text",
                "country",
                "role",
                "lang",
            ] {
                values.insert(k.to_string(), f.get(k).unwrap_or("").to_string());
            }
        }
        Ok(RegisterForm {
            retention_days: u64::from(state.config.retention_days),
            action: action.to_string(),
            institutions,
            countries,
            values,
            errors: HashMap::new(),
        })
    }
    pub fn v(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or("")
    }
    pub fn err(&self, k: &str) -> &str {
        self.errors.get(k).map(String::as_str).unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "session.html")]
pub struct SessionPage {
    pub p: Page,
    pub s: SessionRow,
    pub series: SeriesRow,
    pub description: String,
    pub duration: u32,
    pub time_zone: String,
    pub visitor_time: Option<String>,
    pub visitor_tz: String,
    pub channels: Vec<String>,
    pub facebook_url: String,
    pub topics: Vec<(String, String)>,
    pub presenters: Vec<PresenterRow>,
    pub resources: Vec<super::knowledge::Row>,
    pub notes: String,
    pub open: bool,
    pub full: bool,
    pub form: RegisterForm,
    pub counts: Option<faro_store::registrations::Counts>,
    /// Measured audience, public rule applied: (label, shown value).
    pub audience: Vec<(String, String)>,
    /// The day the Facebook figures were read, when there are any.
    pub audience_read_on: String,
}

#[derive(serde::Deserialize, Default)]
pub struct TzQuery {
    pub tz: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn session_page(
    state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    id: &str,
    tz: Option<String>,
    form: Option<(RegisterForm, StatusCode)>,
) -> PageResult {
    let s = faro_store::events::get(&state.store, id)
        .await
        .or_page(lang, uri)?;
    let series = faro_store::events::get_series(&state.store, &s.series)
        .await
        .or_500(lang, uri)?;
    let (linked, _) = faro_store::knowledge::related(
        &state.store,
        "session",
        &s.id,
        faro_store::list::MAX_PER_PAGE,
    )
    .await
    .or_500(lang, uri)?;
    let names = super::observatory::acronyms(
        state,
        linked
            .iter()
            .flat_map(|r| r.resource.institutions.iter().cloned()),
    )
    .await
    .or_500(lang, uri)?;
    let resources = linked
        .iter()
        .map(|r| super::knowledge::row(lang, &r.resource, &names))
        .collect();
    let presenters: Vec<_> = faro_store::events::presenters(&state.store, &s.series)
        .await
        .or_500(lang, uri)?
        .into_iter()
        .filter(|p| p.session == s.id)
        .collect();
    let (prows, pnames) = presenter_rows(state, &presenters).await.or_500(lang, uri)?;
    let counts = faro_store::registrations::counts(&state.store, &s.id)
        .await
        .or_500(lang, uri)?;
    let full = s.capacity.is_some_and(|c| counts.confirmed >= c as i64);
    let stats = faro_store::audience::session_stats(&state.store, &s.id)
        .await
        .or_500(lang, uri)?;
    let audience = super::attendance::public_session_figures(lang, &stats);
    let audience_read_on = stats
        .facebook
        .as_ref()
        .map(|f| f.read_on.clone())
        .unwrap_or_default();
    let performers: Vec<serde_json::Value> = presenters
        .iter()
        .filter(|p| !p.institution.is_empty())
        .map(|p| {
            org_ld(
                state,
                lang,
                &p.institution,
                pnames
                    .get(&p.institution)
                    .map(String::as_str)
                    .unwrap_or(&p.institution),
            )
        })
        .collect();
    let mut ld = event_ld(state, &s, lang, &performers);
    ld["@context"] = serde_json::json!("https://schema.org");
    ld["superEvent"] = serde_json::json!({
        "@type": "EventSeries",
        "@id": format!("{}/{}/events/series/{}", base(state), lang.code(), s.series),
        "name": series.title(lang),
    });
    if !series.organiser.is_empty() {
        let n = faro_store::institutions::acronyms(
            &state.store,
            std::slice::from_ref(&series.organiser),
        )
        .await
        .or_500(lang, uri)?;
        ld["organizer"] = org_ld(
            state,
            lang,
            &series.organiser,
            n.get(&series.organiser)
                .map(String::as_str)
                .unwrap_or(&series.organiser),
        );
    }
    let visitor_tz = tz
        .filter(|t| faro_domain::events::valid_time_zone(t))
        .unwrap_or_default();
    let codebook = faro_domain::observatory::current();
    let open = s.open_for_registration(Utc::now());
    let (form, status) = match form {
        Some((f, st)) => (f, st),
        None => (
            RegisterForm::new(
                state,
                lang,
                &format!("/{}/events/{}/register", lang.code(), s.id),
                None,
            )
            .await
            .or_500(lang, uri)?,
            StatusCode::OK,
        ),
    };
    let page = SessionPage {
        p: Page::new(lang, uri, "events").viewer(viewer).with_ld(ld),
        channels: s
            .channels
            .iter()
            .map(|c| i18n::t(lang, &format!("channel-{}", c.replace('_', "-"))))
            .collect(),
        facebook_url: s.facebook_url.clone(),
        topics: s
            .topics
            .iter()
            .map(|t| {
                (
                    t.clone(),
                    codebook
                        .get(t)
                        .map(|c| c.label(lang).to_string())
                        .unwrap_or_default(),
                )
            })
            .collect(),
        presenters: prows,
        resources,
        notes: s.notes.clone(),
        description: s.description(lang).to_string(),
        duration: s.duration_minutes,
        time_zone: s.time_zone.clone(),
        visitor_time: (!visitor_tz.is_empty())
            .then(|| s.start_in(&visitor_tz))
            .flatten(),
        visitor_tz,
        open,
        full,
        form,
        counts: viewer.is_coordinator().then_some(counts),
        audience,
        audience_read_on,
        series: series_row(lang, &series),
        s: row(lang, &s),
    };
    Ok(render(status, &page))
}

pub async fn session(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<TzQuery>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let mut viewer = viewer;
    let cookie = super::account::ensure_anon_csrf(&state, &mut viewer);
    let r = session_page(&state, lang, &uri, &viewer, &id, q.tz, None).await?;
    Ok(super::account::with_cookie(r, cookie))
}

fn field_message(lang: Lang, code: &str) -> String {
    i18n::t(lang, &format!("err-field-{}", code.replace('_', "-")))
}

/// Client addresses and when they last registered: a flood from one client
/// gets 429 (per process; `ClientIp` believes `X-Forwarded-For` only from
/// trusted proxies).
pub struct Throttle {
    hits: std::sync::Mutex<HashMap<String, (std::time::Instant, u32)>>,
}

impl Throttle {
    pub fn new() -> Self {
        Throttle {
            hits: std::sync::Mutex::new(HashMap::new()),
        }
    }
    /// At most `limit` requests per client in ten minutes.
    pub fn allow(&self, client: &str, limit: u32) -> bool {
        let mut map = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        let now = std::time::Instant::now();
        if map.len() > 100_000 {
            map.retain(|_, (t, _)| now.duration_since(*t).as_secs() < 600);
        }
        let e = map.entry(client.to_string()).or_insert((now, 0));
        if now.duration_since(e.0).as_secs() >= 600 {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= limit
    }
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Throttle")
    }
}

fn allowed(state: &AppState, client: &str) -> bool {
    state
        .config
        .register_throttle
        .allow(client, state.config.register_limit)
}

fn registrant_from(form: &FormData) -> Registrant {
    Registrant {
        name: form.get("name").unwrap_or("").to_string(),
        email: form.get("email").unwrap_or("").to_string(),
        institution: form.text("institution").unwrap_or_default(),
        institution_text: form.text("institution_text").unwrap_or_default(),
        country: form.text("country").unwrap_or_default(),
        role: form.text("role").unwrap_or_default(),
        lang: form.text("lang").unwrap_or_default(),
        consent: form.checked("consent"),
    }
}

#[allow(clippy::too_many_arguments)]
async fn register_for(
    state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    client: &str,
    form: FormData,
    sessions: Vec<Session>,
    back: &str,
    page_session: Option<&str>,
) -> PageResult {
    let p = Page::new(lang, uri, "events").viewer(viewer);
    // A field people never see: bots fill it in.
    if form.text("website").is_some() {
        return Ok(see_other(back));
    }
    if !allowed(state, client) {
        let m = p.t("register-too-many");
        return Ok(message(
            StatusCode::TOO_MANY_REQUESTS,
            p,
            "register-title",
            m,
        ));
    }
    let mut person = registrant_from(&form);
    let errors = person.validate();
    let now = Utc::now();
    let open: Vec<Session> = sessions
        .into_iter()
        .filter(|s| s.open_for_registration(now))
        .collect();
    let outcome = if errors.is_empty() {
        if open.is_empty() {
            Err(StoreError::Rule("registration_closed"))
        } else {
            faro_store::registrations::register(&state.store, &open, &person, now).await
        }
    } else {
        Err(StoreError::Invalid(String::new()))
    };
    match outcome {
        Ok(_) => {
            let m = i18n::t_args(
                lang,
                "register-check-mail",
                &[("email", person.email.clone().into())],
            );
            Ok(message(StatusCode::CREATED, p, "register-title", m))
        }
        Err(e @ (StoreError::Invalid(_) | StoreError::Reference { .. })) => {
            let mut f = RegisterForm::new(
                state,
                lang,
                &format!("{}/register", uri.path().trim_end_matches("/register")),
                Some(&form),
            )
            .await
            .or_500(lang, uri)?;
            for fe in &errors {
                f.errors
                    .insert(fe.field.to_string(), field_message(lang, fe.code));
            }
            if let StoreError::Reference { field, .. } = &e {
                f.errors.insert(
                    field.to_string(),
                    i18n::store_error_message(lang, &e, e.code()),
                );
            }
            match page_session {
                Some(id) => {
                    session_page(
                        state,
                        lang,
                        uri,
                        viewer,
                        id,
                        None,
                        Some((f, StatusCode::UNPROCESSABLE_ENTITY)),
                    )
                    .await
                }
                None => {
                    let list: Vec<String> = f.errors.values().cloned().collect();
                    Ok(message(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        p,
                        "register-title",
                        list.join(" · "),
                    ))
                }
            }
        }
        Err(e @ StoreError::Rule(_)) => {
            let m = i18n::store_error_message(lang, &e, "registration_closed");
            Ok(message(StatusCode::CONFLICT, p, "register-title", m))
        }
        Err(e) => Err(PageError::server(lang, uri, e)),
    }
}

pub async fn register_session(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    ClientIp(client): ClientIp,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let s = faro_store::events::get(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let back = format!("/{}/events/{id}", lang.code());
    register_for(
        &state,
        lang,
        &uri,
        &viewer,
        &client,
        form,
        vec![s],
        &back,
        Some(&id),
    )
    .await
}

pub async fn register_series(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    ClientIp(client): ClientIp,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    faro_store::events::get_series(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let sessions = faro_store::events::for_series(&state.store, &id)
        .await
        .or_500(lang, &uri)?;
    let back = format!("/{}/events/series/{id}", lang.code());
    register_for(
        &state, lang, &uri, &viewer, &client, form, sessions, &back, None,
    )
    .await
}

// ------------------------------------------------------- personal page

#[derive(serde::Deserialize, Default)]
pub struct TokenQuery {
    pub t: Option<String>,
}

pub struct MyRow {
    pub session: SessionRow,
    pub state: String,
    pub state_code: String,
    pub join: String,
    pub facebook_url: String,
    pub can_cancel: bool,
}

#[derive(Template)]
#[template(path = "registrations.html")]
pub struct PersonalPage {
    pub p: Page,
    pub token: String,
    pub rows: Vec<MyRow>,
    pub pending: bool,
    pub form: RegisterForm,
    pub notice: String,
}

fn token_ok(t: &str) -> bool {
    crate::auth::is_token(t)
}

async fn personal_page(
    state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    token: &str,
    notice: String,
) -> PageResult {
    let person = match faro_store::registrations::person(&state.store, token, Utc::now()).await {
        Ok(x) => x,
        Err(StoreError::NotFound) => {
            let p = Page::new(lang, uri, "events").viewer(viewer);
            let m = p.t("registrations-link-invalid");
            return Ok(message(StatusCode::NOT_FOUND, p, "registrations-title", m));
        }
        Err(e) => return Err(PageError::server(lang, uri, e)),
    };
    let mut rows = Vec::new();
    let mut pending = false;
    for (sid, st) in &person.registrations {
        let s = faro_store::events::get_with_join_details(&state.store, sid)
            .await
            .or_500(lang, uri)?;
        pending |= st == "pending";
        let seat = st == "confirmed";
        rows.push(MyRow {
            join: if seat && !s.zoom_url.is_empty() {
                calendar::join_text(lang, &s)
            } else {
                String::new()
            },
            facebook_url: s.facebook_url.clone(),
            can_cancel: matches!(st.as_str(), "pending" | "confirmed" | "waiting"),
            state: i18n::t(lang, &format!("registration-state-{st}")),
            state_code: st.clone(),
            session: row(lang, &s),
        });
    }
    let mut form = RegisterForm::new(
        state,
        lang,
        &format!("/{}/registrations/update", lang.code()),
        None,
    )
    .await
    .or_500(lang, uri)?;
    let d = &person.data;
    for (k, v) in [
        ("name", &d.name),
        ("email", &d.email),
        ("institution", &d.institution),
        ("institution_text", &d.institution_text),
        ("country", &d.country),
        ("role", &d.role),
        ("lang", &d.lang),
    ] {
        form.values.insert(k.to_string(), v.clone());
    }
    let page = PersonalPage {
        p: Page::new(lang, uri, "events").viewer(viewer),
        token: token.to_string(),
        rows,
        pending,
        form,
        notice,
    };
    let mut r = render(StatusCode::OK, &page);
    // The link is a key: keep it out of caches and referrers.
    r.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().unwrap());
    r.headers_mut()
        .insert(header::REFERRER_POLICY, "no-referrer".parse().unwrap());
    Ok(r)
}

pub async fn personal(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Query(q): Query<TokenQuery>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let mut viewer = viewer;
    let cookie = super::account::ensure_anon_csrf(&state, &mut viewer);
    let t = q.t.unwrap_or_default();
    let r = if !token_ok(&t) {
        link_form_page(&state, lang, &uri, &viewer, String::new()).await?
    } else {
        personal_page(&state, lang, &uri, &viewer, &t, String::new()).await?
    };
    Ok(super::account::with_cookie(r, cookie))
}

fn form_token(form: &FormData) -> Option<String> {
    form.get("t").filter(|t| token_ok(t)).map(String::from)
}

fn back_to(lang: Lang, token: &str, notice: &str) -> Response {
    see_other(&format!(
        "/{}/registrations?t={token}&done={notice}",
        lang.code()
    ))
}

pub async fn confirm(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    _viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let Some(t) = form_token(&form) else {
        return Err(PageError::not_found(lang, &uri));
    };
    match faro_store::registrations::confirm(&state.store, &t, Utc::now()).await {
        Ok(_) => Ok(back_to(lang, &t, "confirmed")),
        Err(StoreError::NotFound) => Err(PageError::not_found(lang, &uri)),
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    _viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let Some(t) = form_token(&form) else {
        return Err(PageError::not_found(lang, &uri));
    };
    let session = form.get("session").unwrap_or("");
    match faro_store::registrations::cancel(&state.store, &t, session, Utc::now()).await {
        Ok(()) => Ok(back_to(lang, &t, "cancelled")),
        Err(StoreError::NotFound) => Err(PageError::not_found(lang, &uri)),
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

pub async fn update(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let Some(t) = form_token(&form) else {
        return Err(PageError::not_found(lang, &uri));
    };
    let now = Utc::now();
    let current = match faro_store::registrations::person(&state.store, &t, now).await {
        Ok(x) => x,
        Err(StoreError::NotFound) => return Err(PageError::not_found(lang, &uri)),
        Err(e) => return Err(PageError::server(lang, &uri, e)),
    };
    let mut person = registrant_from(&form);
    person.email = current.data.email.clone();
    person.consent = true;
    let errors = person.validate();
    if !errors.is_empty() {
        let list: Vec<String> = errors
            .iter()
            .map(|e| {
                format!(
                    "{}: {}",
                    i18n::t(
                        lang,
                        &format!("register-field-{}", e.field.replace('_', "-"))
                    ),
                    field_message(lang, e.code)
                )
            })
            .collect();
        return personal_page(&state, lang, &uri, &viewer, &t, list.join(" · ")).await;
    }
    match faro_store::registrations::correct(&state.store, &t, &person, now).await {
        Ok(()) => Ok(back_to(lang, &t, "updated")),
        Err(e @ StoreError::Reference { .. }) => {
            let m = i18n::store_error_message(lang, &e, e.code());
            personal_page(&state, lang, &uri, &viewer, &t, m).await
        }
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

pub async fn erase(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let Some(t) = form_token(&form) else {
        return Err(PageError::not_found(lang, &uri));
    };
    if !form.checked("sure") {
        return personal_page(
            &state,
            lang,
            &uri,
            &viewer,
            &t,
            i18n::t(lang, "registrations-erase-confirm"),
        )
        .await;
    }
    match faro_store::registrations::erase(&state.store, &t, Utc::now()).await {
        Ok(()) => {
            let p = Page::new(lang, &uri, "events").viewer(&viewer);
            let m = p.t("registrations-erased");
            Ok(message(StatusCode::OK, p, "registrations-title", m))
        }
        Err(StoreError::NotFound) => Err(PageError::not_found(lang, &uri)),
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

/// One's own data as JSON (the right to a copy).
pub async fn export_mine(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Query(q): Query<TokenQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let t = q.t.unwrap_or_default();
    let person = match faro_store::registrations::person(&state.store, &t, Utc::now()).await {
        Ok(x) => x,
        Err(StoreError::NotFound) => return Err(PageError::not_found(lang, &uri)),
        Err(e) => return Err(PageError::server(lang, &uri, e)),
    };
    let d = &person.data;
    let body = serde_json::json!({
        "name": d.name, "email": d.email, "institution": d.institution,
        "institution_text": d.institution_text, "country": d.country, "role": d.role,
        "lang": d.lang,
        "registrations": person.registrations.iter().map(|(s, st)| serde_json::json!({"session": s, "state": st})).collect::<Vec<_>>(),
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"my-registrations.json\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        serde_json::to_string_pretty(&body).unwrap_or_default(),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "registrations_link.html")]
pub struct LinkPage {
    pub p: Page,
    pub notice: String,
}

async fn link_form_page(
    _state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    notice: String,
) -> PageResult {
    Ok(render(
        StatusCode::OK,
        &LinkPage {
            p: Page::new(lang, uri, "events").viewer(viewer),
            notice,
        },
    ))
}

pub async fn request_link(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    ClientIp(client): ClientIp,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    if !allowed(&state, &client) {
        let p = Page::new(lang, &uri, "events").viewer(&viewer);
        let m = p.t("register-too-many");
        return Ok(message(
            StatusCode::TOO_MANY_REQUESTS,
            p,
            "registrations-title",
            m,
        ));
    }
    if let Ok(email) = faro_domain::accounts::normalize_email(form.get("email").unwrap_or("")) {
        faro_store::registrations::request_link(&state.store, &email, Utc::now())
            .await
            .or_500(lang, &uri)?;
    }
    // The same answer whether or not the address registered.
    link_form_page(
        &state,
        lang,
        &uri,
        &viewer,
        i18n::t(lang, "registrations-link-sent"),
    )
    .await
}

// ------------------------------------------------------------ calendars

#[derive(serde::Deserialize, Default)]
pub struct IcsQuery {
    pub lang: Option<String>,
}

/// `/events/{id}.ics`: a series (subscribable: every session) or one session.
pub async fn ics(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<IcsQuery>,
) -> Result<Response, crate::error::ApiError> {
    let lang = q
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or(Lang::Es);
    let Some(id) = file.strip_suffix(".ics") else {
        return Err(crate::error::ApiError::not_found("calendar"));
    };
    let (name, sessions) = match faro_store::events::get_series(&state.store, id).await {
        Ok(series) => (
            series.title(lang).to_string(),
            faro_store::events::for_series(&state.store, id).await?,
        ),
        Err(StoreError::NotFound) => {
            let s = faro_store::events::get(&state.store, id).await?;
            (s.title(lang).to_string(), vec![s])
        }
        Err(e) => return Err(e.into()),
    };
    let mut events = Vec::with_capacity(sessions.len());
    for s in &sessions {
        let (modified, _) = faro_store::events::stamp(&state.store, &s.id).await?;
        events.push(calendar::event(&state, s, modified, lang, false, None));
    }
    let body = calendar::calendar(&name, faro_formats::ical::Method::Publish, &events);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response())
}

// ---------------------------------------------------------- coordinators

#[derive(Template)]
#[template(path = "session_edit.html")]
pub struct EditPage {
    pub p: Page,
    pub id: String,
    pub creating: bool,
    pub version: String,
    pub values: HashMap<String, String>,
    pub errors: Vec<String>,
    pub series: Vec<(String, String)>,
}

impl EditPage {
    pub fn v(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or("")
    }

    /// Every channel with its label and whether the session uses it.
    pub fn channel_options(&self) -> Vec<(&'static str, String, bool)> {
        let on: Vec<&str> = self.v("channels").split_whitespace().collect();
        faro_domain::events::CHANNELS
            .iter()
            .map(|c| {
                (
                    *c,
                    self.p.t(&format!("channel-{}", c.replace('_', "-"))),
                    on.contains(c),
                )
            })
            .collect()
    }
}

fn session_values(s: &Session) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for (k, v) in [
        ("id", s.id.clone()),
        ("series", s.series.clone()),
        ("number", s.number.to_string()),
        ("date", s.date.clone()),
        ("start_time", s.start_time.clone()),
        ("time_zone", s.time_zone.clone()),
        (
            "duration_minutes",
            if s.duration_minutes == 0 {
                String::new()
            } else {
                s.duration_minutes.to_string()
            },
        ),
        ("title_es", s.title_es.clone()),
        ("title_en", s.title_en.clone()),
        ("title_pt", s.title_pt.clone()),
        ("description_es", s.description_es.clone()),
        ("description_en", s.description_en.clone()),
        ("description_pt", s.description_pt.clone()),
        ("original_language", s.original_language.clone()),
        ("topics", s.topics.join(" ")),
        (
            "capacity",
            s.capacity.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("status", s.status.clone()),
        ("channels", s.channels.join(" ")),
        ("facebook_url", s.facebook_url.clone()),
        ("zoom_url", s.zoom_url.clone()),
        ("zoom_meeting_id", s.zoom_meeting_id.clone()),
        ("zoom_passcode", s.zoom_passcode.clone()),
        ("notes", s.notes.clone()),
    ] {
        m.insert(k.to_string(), v);
    }
    m
}

fn session_from(form: &FormData) -> (Session, Vec<faro_domain::FieldError>) {
    let g = |k: &str| form.get(k).unwrap_or("").trim().to_string();
    let split = |k: &str| -> Vec<String> {
        g(k).split([' ', ',', ';'])
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    };
    let mut errs = Vec::new();
    let number = g("number").parse().unwrap_or_else(|_| {
        errs.push(faro_domain::FieldError::new(
            "number",
            "not_a_number",
            &g("number"),
        ));
        0
    });
    let duration = match g("duration_minutes").as_str() {
        "" => 0,
        v => v.parse().unwrap_or_else(|_| {
            errs.push(faro_domain::FieldError::new(
                "duration_minutes",
                "not_a_number",
                v,
            ));
            0
        }),
    };
    let capacity = match g("capacity").as_str() {
        "" => None,
        v => match v.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                errs.push(faro_domain::FieldError::new("capacity", "not_a_number", v));
                None
            }
        },
    };
    let s = Session {
        id: g("id"),
        series: g("series"),
        number,
        date: g("date"),
        start_time: g("start_time"),
        time_zone: g("time_zone"),
        duration_minutes: duration,
        title_es: g("title_es"),
        title_en: g("title_en"),
        title_pt: g("title_pt"),
        description_es: g("description_es"),
        description_en: g("description_en"),
        description_pt: g("description_pt"),
        original_language: g("original_language"),
        topics: split("topics"),
        capacity,
        status: g("status"),
        // Checkboxes (one value each) or one space-separated field.
        channels: form
            .all("channels")
            .iter()
            .flat_map(|v| {
                v.split([' ', ',', ';'])
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|x| !x.is_empty())
            .collect(),
        facebook_url: g("facebook_url"),
        zoom_url: g("zoom_url"),
        zoom_meeting_id: g("zoom_meeting_id"),
        zoom_passcode: g("zoom_passcode"),
        notes: g("notes"),
        sequence: 0,
    };
    (s, errs)
}

#[allow(clippy::too_many_arguments)]
async fn edit_page(
    state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    id: &str,
    creating: bool,
    version: String,
    values: HashMap<String, String>,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let series = faro_store::events::list_series(&state.store)
        .await
        .or_500(lang, uri)?
        .iter()
        .map(|s| (s.id.clone(), s.title(lang).to_string()))
        .collect();
    let mut r = render(
        status,
        &EditPage {
            p: Page::new(lang, uri, "events").viewer(viewer),
            id: id.to_string(),
            creating,
            version,
            values,
            errors,
            series,
        },
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().unwrap());
    Ok(r)
}

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    pub series: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Query(q): Query<NewQuery>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    Coordinator(_): Coordinator,
) -> PageResult {
    let mut values = session_values(&Session {
        series: q.series.unwrap_or_default(),
        original_language: lang.code().to_string(),
        status: "scheduled".into(),
        channels: vec!["zoom".into()],
        ..Default::default()
    });
    values.insert("number".into(), String::new());
    edit_page(
        &state,
        lang,
        &uri,
        &viewer,
        "",
        true,
        faro_store::changes::NEW_RECORD.into(),
        values,
        vec![],
        StatusCode::OK,
    )
    .await
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    Coordinator(_): Coordinator,
) -> PageResult {
    let s = faro_store::events::get_with_join_details(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let version = faro_store::events::version(&state.store, &id)
        .await
        .or_500(lang, &uri)?
        .unwrap_or_default();
    edit_page(
        &state,
        lang,
        &uri,
        &viewer,
        &id,
        false,
        version,
        session_values(&s),
        vec![],
        StatusCode::OK,
    )
    .await
}

async fn save_session(
    state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    actor: String,
    form: FormData,
    path_id: Option<&str>,
) -> PageResult {
    let (mut s, mut errs) = session_from(&form);
    if let Some(id) = path_id {
        s.id = id.to_string();
    }
    errs.extend(s.validate());
    let version = form.get("version").unwrap_or("").to_string();
    let creating = path_id.is_none();
    let values = {
        let mut v = session_values(&s);
        for (k, val) in &form.0 {
            if v.contains_key(k) {
                v.insert(k.clone(), val.clone());
            }
        }
        v
    };
    if !errs.is_empty() {
        let list = errs
            .iter()
            .map(|e| {
                format!(
                    "{}: {}",
                    i18n::t(
                        lang,
                        &format!("session-field-{}", e.field.replace('_', "-"))
                    ),
                    field_message(lang, e.code)
                )
            })
            .collect();
        return edit_page(
            state,
            lang,
            uri,
            viewer,
            &s.id,
            creating,
            version,
            values,
            list,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let expected = if creating {
        faro_store::changes::NEW_RECORD.to_string()
    } else {
        version.clone()
    };
    match faro_store::events::save(&state.store, &s, &Actor::new(actor, None), Some(&expected))
        .await
    {
        Ok(_) => Ok(see_other(&format!("/{}/events/{}", lang.code(), s.id))),
        Err(e @ (StoreError::Conflict | StoreError::Reference { .. } | StoreError::Invalid(_))) => {
            let status = if matches!(e, StoreError::Conflict) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let m = i18n::store_error_message(lang, &e, e.code());
            edit_page(
                state,
                lang,
                uri,
                viewer,
                &s.id,
                creating,
                version,
                values,
                vec![m],
                status,
            )
            .await
        }
        Err(e) => Err(PageError::server(lang, uri, e)),
    }
}

pub async fn create(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    save_session(&state, lang, &uri, &viewer, who.actor_name(), form, None).await
}

pub async fn update_session(
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
    save_session(
        &state,
        lang,
        &uri,
        &viewer,
        who.actor_name(),
        form,
        Some(&id),
    )
    .await
}

#[derive(Template)]
#[template(path = "registrants.html")]
pub struct RegistrantsPage {
    pub p: Page,
    pub s: SessionRow,
    pub counts: faro_store::registrations::Counts,
    pub capacity: String,
    pub rows: Vec<faro_store::registrations::Row>,
    pub total: u64,
    pub state: String,
    pub q: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub notice: String,
}

#[derive(serde::Deserialize, Default)]
pub struct RegistrantsQuery {
    pub state: Option<String>,
    pub q: Option<String>,
    pub page: Option<u64>,
    pub sent: Option<u64>,
}

pub async fn registrants(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<RegistrantsQuery>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    Coordinator(_): Coordinator,
) -> PageResult {
    let s = faro_store::events::get(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let st = q
        .state
        .clone()
        .filter(|x| faro_store::registrations::STATES.contains(&x.as_str()));
    let page = q.page.unwrap_or(1).max(1);
    let text = q.q.clone().unwrap_or_default();
    let (rows, total) = faro_store::registrations::registrants(
        &state.store,
        &id,
        st.as_deref(),
        &text,
        faro_store::list::PageReq::new(page, 50),
    )
    .await
    .or_500(lang, &uri)?;
    let counts = faro_store::registrations::counts(&state.store, &id)
        .await
        .or_500(lang, &uri)?;
    let href = |n: u64| {
        format!(
            "?{}",
            crate::toolkit::query_string(&[
                ("state", st.clone().unwrap_or_default()),
                ("q", text.clone()),
                ("page", n.to_string()),
            ])
        )
    };
    let mut r = render(
        StatusCode::OK,
        &RegistrantsPage {
            p: Page::new(lang, &uri, "events").viewer(&viewer),
            s: row(lang, &s),
            counts,
            capacity: s
                .capacity
                .map(|c| c.to_string())
                .unwrap_or_else(|| i18n::t(lang, "capacity-unlimited")),
            prev: (page > 1).then(|| href(page - 1)),
            next: (page * 50 < total).then(|| href(page + 1)),
            rows,
            total,
            state: st.unwrap_or_default(),
            q: text,
            notice: q
                .sent
                .map(|n| {
                    i18n::t_args(
                        lang,
                        "message-queued",
                        &[("n", i18n::FluentArg::Num(n as i64))],
                    )
                })
                .unwrap_or_default(),
        },
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().unwrap());
    Ok(r)
}

/// The registrants of a session as CSV (coordinators; each export is in
/// the audit log).
pub async fn registrants_csv(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    Coordinator(who): Coordinator,
) -> PageResult {
    let id = id.as_str();
    faro_store::events::get(&state.store, id)
        .await
        .or_page(lang, &uri)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "registration",
        "state",
        "name",
        "email",
        "institution",
        "institution_text",
        "country",
        "role",
        "lang",
        "registered_at",
    ]);
    let mut page = 1;
    let mut n = 0u64;
    loop {
        let (rows, total) = faro_store::registrations::registrants(
            &state.store,
            id,
            None,
            "",
            faro_store::list::PageReq::new(page, faro_store::list::MAX_PER_PAGE),
        )
        .await
        .or_500(lang, &uri)?;
        for r in &rows {
            let _ = w.write_record([
                r.registration.to_string().as_str(),
                &r.state,
                &crate::toolkit::csv_safe(&r.name),
                &crate::toolkit::csv_safe(&r.email),
                &r.institution,
                &crate::toolkit::csv_safe(&r.institution_text),
                &r.country,
                &crate::toolkit::csv_safe(&r.role),
                &r.lang,
                &r.registered_at,
            ]);
            n += 1;
        }
        if rows.is_empty() || page * faro_store::list::MAX_PER_PAGE >= total {
            break;
        }
        page += 1;
    }
    faro_store::registrations::log_export(&state.store, id, &who.actor_name(), n)
        .await
        .or_500(lang, &uri)?;
    let body = w.into_inner().unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"registrants-{id}.csv\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

pub async fn send_message(
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
    let p = Page::new(lang, &uri, "events").viewer(&viewer);
    let subject = form.text("subject").unwrap_or_default();
    let body = form.text("body").unwrap_or_default();
    if subject.is_empty()
        || body.is_empty()
        || subject.chars().count() > 200
        || body.chars().count() > 10_000
    {
        let m = p.t("message-required");
        return Ok(message(
            StatusCode::UNPROCESSABLE_ENTITY,
            p,
            "message-title",
            m,
        ));
    }
    match faro_store::registrations::message(
        &state.store,
        &id,
        &subject,
        &body,
        &Actor::new(who.actor_name(), None),
        Utc::now(),
    )
    .await
    {
        Ok(n) => Ok(see_other(&format!(
            "/{}/events/{id}/registrants?sent={n}",
            lang.code()
        ))),
        Err(e @ StoreError::Rule(_)) => {
            let m = i18n::store_error_message(lang, &e, "throttled");
            Ok(message(
                StatusCode::TOO_MANY_REQUESTS,
                p,
                "message-title",
                m,
            ))
        }
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

#[derive(Template)]
#[template(path = "jobs.html")]
pub struct JobsPage {
    pub p: Page,
    pub counts: Vec<(String, i64)>,
    pub rows: Vec<faro_store::jobs::JobRow>,
}

pub async fn jobs_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    Coordinator(_): Coordinator,
) -> PageResult {
    let (counts, rows) = faro_store::jobs::overview(&state.store, None, 100)
        .await
        .or_500(lang, &uri)?;
    Ok(render(
        StatusCode::OK,
        &JobsPage {
            p: Page::new(lang, &uri, "events").viewer(&viewer),
            counts,
            rows,
        },
    ))
}
