//! The network directory: `/{lang}/institutions` and `/{lang}/institutions/{id}`.

use super::{OrBadRequest, OrPage, OrServerError, Page, PageError, PageLang, PageResult, render};
use crate::AppState;
use crate::i18n;
use crate::params::DirectoryQuery;
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use faro_domain::{Institution, Lang};
use faro_store::institutions::{self, Filter};

pub const PER_PAGE: u64 = 50;

pub struct Opt {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

pub struct Row {
    pub id: String,
    pub acronym: String,
    pub name: String,
    /// Set when the name shown is in another language than the page.
    pub name_lang: Option<&'static str>,
    pub country: String,
    pub kind: String,
    pub presenter: bool,
    pub member: bool,
}

#[derive(Template)]
#[template(path = "directory.html")]
pub struct DirectoryPage {
    pub p: Page,
    pub countries: Vec<Opt>,
    pub kinds: Vec<Opt>,
    pub q: String,
    pub presenter: bool,
    pub members_only: bool,
    pub rows: Vec<Row>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub filtered: bool,
}

fn row(lang: Lang, p: &Page, i: Institution) -> Row {
    let name_lang = i.display_name_lang(lang);
    Row {
        name: i.display_name(lang).to_string(),
        name_lang: (name_lang != lang).then(|| name_lang.code()),
        country: i
            .country
            .as_deref()
            .map(|c| p.country(c))
            .unwrap_or_default(),
        kind: i18n::kind_label(lang, i.kind.code()),
        presenter: i.presenter,
        member: i.member,
        id: i.id,
        acronym: i.acronym,
    }
}

/// The query string for `filter` at `page` (for pagination links).
fn query_string(filter: &Filter, page: u64) -> String {
    let mut parts: Vec<(&str, String)> = Vec::new();
    if let Some(c) = &filter.country {
        parts.push(("country", c.clone()));
    }
    if let Some(k) = filter.kind {
        parts.push(("kind", k.code().to_string()));
    }
    if let Some(m) = filter.member {
        parts.push(("member", m.to_string()));
    }
    if let Some(pr) = filter.presenter {
        parts.push(("presenter", pr.to_string()));
    }
    if let Some(q) = &filter.q {
        parts.push(("q", q.clone()));
    }
    if page > 1 {
        parts.push(("page", page.to_string()));
    }
    crate::toolkit::query_string(&parts)
}

pub async fn directory(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: crate::auth::Viewer,
    query: Result<Query<DirectoryQuery>, QueryRejection>,
) -> PageResult {
    let Ok(Query(query)) = query else {
        return Err(PageError::malformed_query(lang, &uri));
    };
    let (filter, page, _) = query.parse(PER_PAGE).or_400(lang, &uri)?;
    let store = &state.store;
    let (items, total) = institutions::list(store, &filter, page, PER_PAGE)
        .await
        .or_500(lang, &uri)?;
    let facets = institutions::facets(store, &filter)
        .await
        .or_500(lang, &uri)?;
    let p = Page::new(lang, &uri, "institutions").viewer(&viewer).with_ld(serde_json::json!({
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": crate::i18n::t(lang, "directory-title"),
        "inLanguage": lang.code(),
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": total,
            "itemListElement": items.iter().enumerate().map(|(n, i)| serde_json::json!({
                "@type": "ListItem", "position": n + 1, "url": format!("/{}/institutions/{}", lang.code(), i.id), "name": i.acronym
            })).collect::<Vec<_>>()
        }
    }));
    let mut countries: Vec<Opt> = facets
        .country
        .into_iter()
        .map(|f| {
            let value = f.value.unwrap_or_else(|| "none".to_string());
            Opt {
                label: if value == "none" {
                    p.t("country-none")
                } else {
                    p.country(&value)
                },
                selected: filter.country.as_deref() == Some(value.as_str()),
                count: f.count,
                value,
            }
        })
        .collect();
    countries.sort_by(|a, b| {
        (a.value == "none")
            .cmp(&(b.value == "none"))
            .then_with(|| faro_domain::fold(&a.label).cmp(&faro_domain::fold(&b.label)))
    });
    let mut kinds: Vec<Opt> = facets
        .kind
        .into_iter()
        .filter_map(|f| f.value.map(|v| (v, f.count)))
        .map(|(value, count)| Opt {
            label: i18n::kind_label(lang, &value),
            selected: filter.kind.map(|k| k.code()) == Some(value.as_str()),
            count,
            value,
        })
        .collect();
    // Alphabetical in the page's language, accents ignored (Índia by I).
    kinds.sort_by_key(|k| faro_domain::fold(&k.label));
    let pages = total.div_ceil(PER_PAGE).max(1);
    let base = format!("/{}/institutions", lang.code());
    let (prev, next) = crate::toolkit::prev_next(page, pages, |n| {
        format!("{base}{}", query_string(&filter, n))
    });
    let filtered = filter != Filter::default();
    let rows = items.into_iter().map(|i| row(lang, &p, i)).collect();
    let page_view = DirectoryPage {
        countries,
        kinds,
        q: filter.q.clone().unwrap_or_default(),
        presenter: filter.presenter == Some(true),
        members_only: filter.member == Some(true),
        rows,
        total,
        page,
        pages,
        prev,
        next,
        filtered,
        p,
    };
    Ok(render(StatusCode::OK, &page_view))
}

pub struct NameLine {
    pub label: String,
    pub name: String,
    pub lang: &'static str,
}

#[derive(Template)]
#[template(path = "profile.html")]
pub struct ProfilePage {
    pub p: Page,
    /// The institution's courses (the first ones) and how many it has.
    pub courses: Vec<super::courses::Row>,
    pub courses_total: u64,
    /// Surveys the institution was invited to: (id, title, response state).
    pub surveys: Vec<(String, String, String)>,
    pub i: Institution,
    pub title: String,
    pub title_lang: Option<&'static str>,
    pub names: Vec<NameLine>,
    pub country: String,
    pub kind: String,
    pub json_ld: String,
    pub can_edit: bool,
    /// The institution's measures in the observatory.
    pub measures: Vec<super::observatory::Row>,
    /// The newest review date among them, if any.
    pub measures_reviewed: Option<String>,
    /// Knowledge-base resources the institution (co-)authored (the newest).
    pub resources: Vec<super::knowledge::Row>,
    pub measures_total: u64,
    pub resources_total: u64,
    /// The description in the page's language, or another one (with its language).
    pub description: Option<(String, Option<&'static str>)>,
    /// Event series and sessions the institution presented in:
    /// (link, title, `lang` attribute when not the page's).
    pub presented: Vec<(String, String, Option<String>)>,
    /// How many of its staff attended sessions (registrants matched in
    /// Zoom reports), with the small-count rule; None when none did.
    pub staff_attended: Option<String>,
}

/// schema.org Organization, safe to embed in a `<script>` data block.
fn json_ld(i: &Institution, lang: Lang) -> String {
    let mut names: Vec<serde_json::Value> = Vec::new();
    for l in Lang::ALL {
        let n = i.name_in(l);
        if !n.is_empty() {
            names.push(serde_json::json!({"@value": n, "@language": l.code()}));
        }
    }
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": if i.kind == faro_domain::InstitutionKind::TrainingInstitution { "EducationalOrganization" } else { "Organization" },
        "@id": format!("/{}/institutions/{}", lang.code(), i.id),
        "identifier": i.id,
        "alternateName": i.acronym,
        "name": if names.is_empty() { serde_json::Value::String(i.acronym.clone()) } else { serde_json::Value::Array(names) },
    });
    if let Some(c) = &i.country {
        v["address"] = serde_json::json!({"@type": "PostalAddress", "addressCountry": c});
    }
    if let Some(w) = &i.website {
        v["url"] = serde_json::Value::String(w.clone());
    }
    crate::toolkit::ld_json(&v)
}

pub async fn profile(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: crate::auth::Viewer,
) -> PageResult {
    if !faro_domain::institutions::is_slug(&id) {
        return Err(PageError::not_found(lang, &uri));
    }
    let i = institutions::get(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let p = Page::new(lang, &uri, "institutions").viewer(&viewer);
    let can_edit = viewer
        .principal
        .as_ref()
        .is_some_and(|pr| pr.can_edit_institution(&i.id));
    let description = i
        .description_in(lang)
        .cloned()
        .map(|d| (d, None))
        .or_else(|| {
            Lang::ALL
                .iter()
                .find_map(|l| i.description_in(*l).map(|d| (d.clone(), Some(l.code()))))
        });
    let names = Lang::ALL
        .iter()
        .filter(|l| !i.name_in(**l).is_empty())
        .map(|l| NameLine {
            label: p.t(&format!("lang-{}", l.code())),
            name: i.name_in(*l).clone(),
            lang: l.code(),
        })
        .collect();
    let title_lang = i.display_name_lang(lang);
    /// How many linked records a profile lists (the lists link to the rest).
    const SHOWN: u64 = 20;
    let (own_measures, measures_total) =
        faro_store::observatory::for_institution(&state.store, &i.id, SHOWN)
            .await
            .or_500(lang, &uri)?;
    let measures_reviewed = faro_store::observatory::last_reviewed(&state.store, &i.id)
        .await
        .or_500(lang, &uri)?;
    let (linked, resources_total) =
        faro_store::knowledge::related(&state.store, "institution", &i.id, SHOWN)
            .await
            .or_500(lang, &uri)?;
    let (own_courses, courses_total) =
        faro_store::courses::for_institution(&state.store, &i.id, SHOWN)
            .await
            .or_500(lang, &uri)?;
    let acronym = super::observatory::acronyms(
        &state,
        std::iter::once(i.id.clone())
            .chain(
                linked
                    .iter()
                    .flat_map(|s| s.resource.institutions.iter().cloned()),
            )
            .chain(
                own_courses
                    .iter()
                    .flat_map(|s| s.course.providers.iter().cloned()),
            ),
    )
    .await
    .or_500(lang, &uri)?;
    let measures = own_measures
        .iter()
        .map(|m| super::observatory::row(lang, m, &acronym))
        .collect();
    let resources = linked
        .iter()
        .map(|s| super::knowledge::row(lang, &s.resource, &acronym))
        .collect();
    let mut presented = Vec::new();
    for (series, session) in faro_store::events::presented_by(&state.store, &i.id, 50)
        .await
        .or_500(lang, &uri)?
    {
        let item = if session.is_empty() {
            faro_store::events::get_series(&state.store, &series)
                .await
                .ok()
                .map(|x| {
                    let t = x.title(lang).to_string();
                    let own = match lang {
                        Lang::Es => x.title_es.is_empty(),
                        Lang::En => x.title_en.is_empty(),
                        Lang::Pt => x.title_pt.is_empty(),
                    };
                    (
                        format!("/{}/events/series/{series}", lang.code()),
                        t,
                        own.then(|| x.original_language.clone()),
                    )
                })
        } else {
            faro_store::events::get(&state.store, &session)
                .await
                .ok()
                .map(|x| {
                    let tl = x.title_lang(lang).to_string();
                    (
                        format!("/{}/events/{session}", lang.code()),
                        super::events::label(lang, &x),
                        (tl != lang.code()).then_some(tl),
                    )
                })
        };
        presented.extend(item);
    }
    let today = state.config.today();
    let courses = own_courses
        .iter()
        .map(|s| super::courses::row(lang, &s.course, &acronym, today))
        .collect();
    let staff = faro_store::audience::institution_attendees(&state.store, &i.id)
        .await
        .or_500(lang, &uri)?;
    let page = ProfilePage {
        staff_attended: (staff > 0).then(|| super::attendance::public_count(lang, staff)),
        presented,
        courses,
        courses_total,
        surveys: faro_store::surveys::for_institution(&state.store, &i.id)
            .await
            .or_500(lang, &uri)?
            .into_iter()
            .filter(|s| s.2 == "submitted")
            .collect(),
        resources,
        measures_total,
        resources_total,
        title: i.display_name(lang).to_string(),
        title_lang: (title_lang != lang).then(|| title_lang.code()),
        names,
        country: i
            .country
            .as_deref()
            .map(|c| p.country(c))
            .unwrap_or_default(),
        kind: i18n::kind_label(lang, i.kind.code()),
        json_ld: json_ld(&i, lang),
        can_edit,
        measures,
        measures_reviewed,
        description,
        i,
        p,
    };
    Ok(render(StatusCode::OK, &page))
}
