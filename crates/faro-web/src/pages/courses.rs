//! The course finder: `/{lang}/courses` with facets (availability computed
//! from the runs' dates at the site's day, `WebConfig::today`), a page per
//! course with its runs and schema.org `Course` JSON-LD, and the forms with
//! which an institution's editors create and edit its courses.

use super::measure_edit::{Choice, choices, slugify};
use super::observatory::{acronyms, shown_values};
use super::{
    FormData, OrBadRequest, OrPage, OrServerError, Page, PageError, PageLang, PageResult,
    check_csrf, render, see_other, signed_in,
};
use crate::auth::Viewer;
use crate::toolkit::{FacetGroup, facet_groups, page_href, prev_next, query_string};
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{StatusCode, Uri};
use chrono::NaiveDate;
use faro_domain::Lang;
use faro_domain::courses::{self as cd, Course, CourseRun};
use faro_store::courses::{self as cs, Sort};
use std::collections::HashMap;

/// How many courses a finder page shows.
pub const PER_PAGE: u64 = 20;
/// Runs a form holds (the course's runs and one empty row to add one).
const MAX_RUNS: usize = 50;

/// The finder's filters and order from a query string; unknown parameters
/// are ignored, bad values are a [`crate::params::ParamError`].
pub fn parse(
    pairs: &[(String, String)],
) -> Result<(Vec<(String, String)>, Sort), crate::params::ParamError> {
    let mut out = Vec::new();
    // With words to find, the best match first unless an order is asked.
    let mut sort = if crate::finder::text(pairs).is_empty() {
        Sort::Newest
    } else {
        Sort::Relevance
    };
    for (k, v) in pairs {
        let v = v.trim();
        if k == "sort" {
            sort = Sort::from_code(v)
                .ok_or_else(|| crate::params::ParamError::new(k, "invalid_course_sort", v))?;
            continue;
        }
        if !cs::FACETS.contains(&k.as_str()) || v.is_empty() {
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
    Ok((out, sort))
}

fn key(prefix: &str, v: &str) -> String {
    format!("{prefix}-{}", v.replace('_', "-"))
}

/// The label of a facet value.
pub fn label(lang: Lang, facet: &str, v: &str, names: &HashMap<String, String>) -> String {
    match facet {
        "availability" => i18n::t(lang, &key("course-avail", v)),
        "cost" => i18n::t(lang, &key("course-cost", v)),
        "modality" => i18n::t(lang, &key("course-modality", v)),
        "certificate" => i18n::t(lang, &key("course-cert", v)),
        "workload" => i18n::t(lang, &key("course-workload", v)),
        "light" => i18n::t(lang, &key("course-light", v)),
        "level" => i18n::t(lang, &key("course-level", v)),
        "target_group" => i18n::t(lang, &key("tg", v)),
        "subject" => cd::isced_field(v)
            .map(|f| format!("{} {}", f.code, f.label(lang)))
            .unwrap_or_else(|| v.to_string()),
        "provider" => names.get(v).cloned().unwrap_or_else(|| v.to_string()),
        "country" => super::search::facet_label(lang, "country", v),
        "language" => language_label(lang, v),
        _ => v.to_string(),
    }
}

/// `es-419` → "Español (es-419)"; a tag Faro has no name for is shown as is.
fn language_label(lang: Lang, tag: &str) -> String {
    let primary = tag.split('-').next().unwrap_or(tag);
    match Lang::from_code(primary) {
        Some(l) if primary == tag => i18n::t(lang, &format!("lang-{}", l.code())),
        Some(l) => format!("{} ({tag})", i18n::t(lang, &format!("lang-{}", l.code()))),
        None => tag.to_string(),
    }
}

/// A run as a page shows it.
pub struct RunRow {
    pub id: String,
    pub status: String,
    pub dates: String,
    pub enrolment: String,
    pub pacing: String,
    pub modality: String,
    pub workload: String,
    pub cost: String,
    pub certificate: String,
    pub seats: String,
    /// The run has a start date: "add to my calendar" links its `.ics`.
    pub dated: bool,
}

fn run_row(lang: Lang, r: &CourseRun, today: NaiveDate) -> RunRow {
    let t = |k: &str| i18n::t(lang, k);
    let span = |a: &str, b: &str| {
        let (a, b) = (i18n::partial_date(lang, a), i18n::partial_date(lang, b));
        match (a.is_empty(), b.is_empty()) {
            (true, true) => String::new(),
            (false, true) => format!("{a} –"),
            (true, false) => format!("– {b}"),
            (false, false) => format!("{a} – {b}"),
        }
    };
    let mut workload = Vec::new();
    if let Some(h) = r.hours_total {
        workload.push(i18n::t_args(
            lang,
            "course-hours-total",
            &[("n", (h as u64).into())],
        ));
    }
    if let Some(h) = r.hours_week {
        workload.push(i18n::t_args(
            lang,
            "course-hours-week",
            &[("n", (h as u64).into())],
        ));
    }
    let mut cost = t(&key("course-cost", &r.cost));
    if !r.price.is_empty() {
        cost = format!("{cost} ({} {})", r.price, r.currency);
    }
    RunRow {
        id: r.run_id.clone(),
        status: t(&key("course-status", r.status(today).code())),
        dates: span(&r.run_start, &r.run_end),
        enrolment: span(&r.enrolment_start, &r.enrolment_end),
        pacing: t(&key("course-pacing", &r.pacing)),
        modality: t(&key("course-modality", &r.modality)),
        workload: workload.join(" · "),
        cost,
        certificate: t(&key("course-cert", &r.certificate)),
        seats: r.seats.map(|s| s.to_string()).unwrap_or_default(),
        dated: faro_domain::courses::parse_day(&r.run_start).is_some(),
    }
}

/// A course in a list.
pub struct Row {
    pub id: String,
    pub title: String,
    pub providers: String,
    /// "Open · starts 2021-03-01" or "Announced: no dates yet".
    pub summary: String,
    pub free: bool,
}

pub fn row(lang: Lang, c: &Course, names: &HashMap<String, String>, today: NaiveDate) -> Row {
    let next = c
        .runs
        .iter()
        .filter(|r| r.status(today) != cd::RunStatus::Archived)
        .min_by(|a, b| a.run_start.cmp(&b.run_start));
    let summary = match next {
        None if c.runs.is_empty() => i18n::t(lang, "course-no-runs"),
        None => i18n::t(lang, "course-status-archived"),
        Some(r) => {
            let status = i18n::t(lang, &key("course-status", r.status(today).code()));
            if r.run_start.is_empty() {
                status
            } else {
                format!(
                    "{status} · {}",
                    i18n::t_args(
                        lang,
                        "course-starts",
                        &[("date", r.run_start.clone().into())]
                    )
                )
            }
        }
    };
    Row {
        id: c.id.clone(),
        title: c.title(lang).to_string(),
        providers: c
            .providers
            .iter()
            .map(|p| names.get(p).cloned().unwrap_or_else(|| p.clone()))
            .collect::<Vec<_>>()
            .join(", "),
        summary,
        free: c.runs.iter().any(|r| r.is_free()),
    }
}

pub struct SortLink {
    pub label: String,
    pub href: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "courses.html")]
pub struct ListPage {
    pub p: Page,
    pub rows: Vec<Row>,
    pub total: u64,
    pub facets: Vec<FacetGroup>,
    pub filtered: bool,
    /// The filters, kept by the text search form.
    pub hidden: Vec<(String, String)>,
    /// The words searched for.
    pub q: String,
    /// Words were asked for and the search index cannot answer.
    pub text_unavailable: bool,
    pub can_create: bool,
    pub sorts: Vec<SortLink>,
    pub page: u64,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub api_href: String,
    /// The Atom feed of new courses with the same filters.
    pub feed_href: String,
}

/// `ItemList` of a finder page: its courses in order.
pub fn item_list(
    lang: Lang,
    base_url: &str,
    items: &[cs::Stored],
    total: u64,
    first: u64,
) -> serde_json::Value {
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": i18n::t(lang, "courses-title"),
        "numberOfItems": total,
        "itemListElement": items.iter().enumerate().map(|(i, s)| serde_json::json!({
            "@type": "ListItem",
            "position": first + i as u64,
            "url": format!("{base_url}/{}/courses/{}", lang.code(), s.course.id),
            "name": s.course.title(lang),
        })).collect::<Vec<_>>()
    })
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
    let (wanted, sort) = parse(&pairs).or_400(lang, &uri)?;
    let page_no = crate::params::page_number(&pairs).or_400(lang, &uri)?;
    let today = state.config.today();
    let text = crate::finder::text(&pairs);
    let found = crate::finder::courses(
        &state,
        &wanted,
        &text,
        faro_store::list::PageReq::new(page_no, PER_PAGE),
        today,
        sort,
    )
    .await
    .or_500(lang, &uri)?;
    let listed = found.listed;
    let shown: Vec<(&str, Vec<&(String, u64)>)> = cs::FACETS
        .iter()
        .filter_map(|f| {
            listed
                .facets
                .get(f)
                .map(|values| (*f, shown_values(values, f, &wanted)))
        })
        .collect();
    let names = acronyms(
        &state,
        listed
            .items
            .iter()
            .flat_map(|s| s.course.providers.iter().cloned())
            .chain(
                shown
                    .iter()
                    .filter(|(f, _)| *f == "provider")
                    .flat_map(|(_, v)| v.iter().map(|(x, _)| x.clone())),
            ),
    )
    .await
    .or_500(lang, &uri)?;
    let base = format!("/{}/courses", lang.code());
    // Facet and page links keep the order; the order links keep the filters.
    let mut kept = wanted.clone();
    let default_sort = if text.is_empty() {
        Sort::Newest
    } else {
        Sort::Relevance
    };
    if sort != default_sort {
        kept.push(("sort".into(), sort.code().into()));
    }
    if !text.is_empty() {
        kept.push(("q".into(), text.clone()));
    }
    let facets = facet_groups(
        shown,
        &kept,
        |f| i18n::t(lang, &key("course-facet", f)),
        |f, v| label(lang, f, v, &names),
        &base,
    );
    let pages = listed.total.div_ceil(PER_PAGE).max(1);
    let (prev, next) = prev_next(page_no, pages, |n| page_href(&base, &kept, n));
    let orders: &[Sort] = if text.is_empty() {
        &[Sort::Newest, Sort::Start]
    } else {
        &[Sort::Relevance, Sort::Newest, Sort::Start]
    };
    let sorts = orders
        .iter()
        .copied()
        .map(|s| {
            let mut q = wanted.clone();
            if s != default_sort {
                q.push(("sort".into(), s.code().into()));
            }
            if !text.is_empty() {
                q.push(("q".into(), text.clone()));
            }
            SortLink {
                label: i18n::t(lang, &key("course-sort", s.code())),
                href: format!("{base}{}", query_string(&q)),
                active: s == sort,
            }
        })
        .collect();
    let public = state.config.public_url.trim_end_matches('/').to_string();
    let ld = item_list(
        lang,
        &public,
        &listed.items,
        listed.total,
        (page_no - 1) * PER_PAGE + 1,
    );
    let page = ListPage {
        p: Page::new(lang, &uri, "courses").viewer(&viewer).with_ld(ld),
        rows: listed
            .items
            .iter()
            .map(|s| row(lang, &s.course, &names, today))
            .collect(),
        total: listed.total,
        facets,
        filtered: !wanted.is_empty() || !text.is_empty(),
        hidden: wanted.clone(),
        q: text.clone(),
        text_unavailable: found.text_unavailable,
        can_create: viewer
            .principal
            .as_ref()
            .is_some_and(|p| p.can_create_records()),
        sorts,
        page: page_no,
        pages,
        prev,
        next,
        api_href: format!("/api/v1/courses{}", query_string(&kept)),
        feed_href: {
            let mut q = vec![("lang".to_string(), lang.code().to_string())];
            q.extend(wanted.iter().cloned());
            format!("/feeds/courses.atom{}", query_string(&q))
        },
    };
    Ok(render(StatusCode::OK, &page))
}

/// schema.org `Course` for a course page: providers, languages, free or
/// not, offers, credentials and one `CourseInstance` per run.
pub fn json_ld(
    c: &Course,
    url: &str,
    lang: Lang,
    public: &str,
    names: &HashMap<String, String>,
) -> serde_json::Value {
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": url,
        "courseCode": c.id,
        "name": c.title(lang),
        "description": c.description(lang),
        "inLanguage": c.languages,
        "isAccessibleForFree": c.runs.iter().any(|r| r.is_free()),
        "provider": c.providers.iter().map(|p| serde_json::json!({
            "@type": "Organization",
            "@id": format!("{public}/{}/institutions/{p}", lang.code()),
            "name": names.get(p).cloned().unwrap_or_else(|| p.clone()),
        })).collect::<Vec<_>>(),
    });
    if !c.url.is_empty() {
        v["url"] = serde_json::json!(c.url);
    }
    if !c.level.is_empty() {
        v["educationalLevel"] = serde_json::json!(i18n::t(lang, &key("course-level", &c.level)));
    }
    if !c.subjects.is_empty() {
        v["about"] = serde_json::json!(
            c.subjects
                .iter()
                .filter_map(|s| cd::isced_field(s))
                .map(|f| serde_json::json!({"@type": "DefinedTerm", "termCode": f.code, "name": f.label(lang), "inDefinedTermSet": "ISCED-F 2013"}))
                .collect::<Vec<_>>()
        );
    }
    if !c.target_groups.is_empty() {
        v["audience"] = serde_json::json!(
            c.target_groups
                .iter()
                .map(|g| serde_json::json!({"@type": "Audience", "audienceType": i18n::t(lang, &key("tg", g))}))
                .collect::<Vec<_>>()
        );
    }
    let offers: Vec<serde_json::Value> = c
        .runs
        .iter()
        .map(|r| {
            let mut o = serde_json::json!({
                "@type": "Offer",
                "category": if r.is_free() { "Free" } else { "Paid" },
                "price": if r.cost == "paid" { r.price.clone() } else { "0".to_string() },
            });
            if !r.currency.is_empty() {
                o["priceCurrency"] = serde_json::json!(r.currency);
            }
            o
        })
        .collect();
    if !offers.is_empty() {
        v["offers"] = serde_json::json!(offers);
    }
    let mut credentials: Vec<String> = Vec::new();
    for r in &c.runs {
        if r.certificate != "none" {
            let l = i18n::t(lang, &key("course-cert", &r.certificate));
            if !credentials.contains(&l) {
                credentials.push(l);
            }
        }
    }
    if !credentials.is_empty() {
        v["educationalCredentialAwarded"] = serde_json::json!(credentials);
    }
    let instances: Vec<serde_json::Value> = c
        .runs
        .iter()
        .map(|r| {
            let mode = match r.modality.as_str() {
                "broadcast_tv" => "broadcast TV",
                "broadcast_radio" => "broadcast radio",
                m => m,
            };
            let mut i = serde_json::json!({
                "@type": "CourseInstance",
                "name": r.run_id,
                "courseMode": mode,
            });
            if let Some(w) = r.workload_iso8601() {
                i["courseWorkload"] = serde_json::json!(w);
            }
            if !r.run_start.is_empty() {
                i["startDate"] = serde_json::json!(r.run_start);
            }
            if !r.run_end.is_empty() {
                i["endDate"] = serde_json::json!(r.run_end);
            }
            if let Some(s) = r.seats {
                i["maximumAttendeeCapacity"] = serde_json::json!(s);
            }
            i
        })
        .collect();
    if !instances.is_empty() {
        v["hasCourseInstance"] = serde_json::json!(instances);
    }
    v
}

pub struct Link {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "course.html")]
pub struct CoursePage {
    pub p: Page,
    pub c: Course,
    pub title: String,
    pub description: String,
    pub providers: Vec<Link>,
    pub subjects: Vec<String>,
    pub topics: Vec<Link>,
    pub languages: Vec<String>,
    pub target_groups: Vec<String>,
    pub level: String,
    pub light: Vec<String>,
    pub runs: Vec<RunRow>,
    pub no_runs: bool,
    pub can_edit: bool,
    pub json_ld: String,
    /// The providers' measures coded C4 (free online courses): the first
    /// few, how many there are and the observatory list of all of them.
    pub measures: Vec<Link>,
    pub measures_total: u64,
    pub measures_href: String,
    /// The providers' resources on the course's topics or on C4.
    pub resources: Vec<Link>,
    pub resources_total: u64,
    pub resources_href: String,
    /// "Gathered from {page} on {date}" for a harvested course: the page
    /// and the day, else empty.
    pub gathered_from: String,
    pub gathered_on: String,
    /// To its editors: the latest check of the course's page, and whether
    /// it is flagged (gone for `link_checks::FLAG_AFTER` checks in a row).
    pub link_check: Option<String>,
    pub link_flag: Option<String>,
}

/// The observatory code of measures that offered free online courses.
pub const FREE_COURSES_CODE: &str = "C4";
/// Related measures and resources a course page shows.
const RELATED_SHOWN: u64 = 10;

pub async fn page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    if !faro_domain::institutions::is_slug(&id) {
        return Err(PageError::not_found(lang, &uri));
    }
    let s = cs::get(&state.store, &id).await.or_page(lang, &uri)?;
    let c = s.course;
    let names = acronyms(&state, c.providers.iter().cloned())
        .await
        .or_500(lang, &uri)?;
    let today = state.config.today();
    let public = state.config.public_url.trim_end_matches('/').to_string();
    let url = format!("{public}/{}/courses/{}", lang.code(), c.id);
    let ld = crate::toolkit::ld_json(&json_ld(&c, &url, lang, &public, &names));
    let cb = faro_domain::observatory::current();
    let mut light: Vec<String> = c
        .derived_facets()
        .into_iter()
        .find(|(f, _)| *f == "light")
        .map(|(_, v)| v)
        .unwrap_or_default()
        .iter()
        .map(|v| label(lang, "light", v, &names))
        .collect();
    if let Some(mb) = c.data_mb {
        light.push(i18n::t_args(
            lang,
            "course-data-mb",
            &[("n", (mb as u64).into())],
        ));
    }
    // Related: what the providers reported on free online courses (C4) in
    // the observatory, and their resources on the course's topics or C4.
    let q = |k: &str, vs: &[String]| -> String {
        vs.iter()
            .map(|v| {
                format!(
                    "{k}={}",
                    url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    let (measures, measures_total, measures_href) = if c.providers.is_empty() {
        (Vec::new(), 0, String::new())
    } else {
        let f = faro_store::observatory::Filter {
            institution: c.providers.clone(),
            category: vec![FREE_COURSES_CODE.to_string()],
            ..Default::default()
        };
        // Related records: a page and its total, no facet counts.
        let (items, total) = faro_store::observatory::related(
            &state.store,
            &f,
            faro_store::list::PageReq::new(1, RELATED_SHOWN),
        )
        .await
        .or_500(lang, &uri)?;
        (
            items
                .iter()
                .map(|m| Link {
                    href: format!("/{}/observatory/measures/{}", lang.code(), m.id),
                    label: m.title(lang).to_string(),
                })
                .collect(),
            total,
            format!(
                "/{}/observatory?{}&category={FREE_COURSES_CODE}",
                lang.code(),
                q("institution", &c.providers)
            ),
        )
    };
    let mut topics: Vec<String> = c.topics.clone();
    if !topics.iter().any(|t| t == FREE_COURSES_CODE) {
        topics.push(FREE_COURSES_CODE.to_string());
    }
    let (resources, resources_total, resources_href) = if c.providers.is_empty() {
        (Vec::new(), 0, String::new())
    } else {
        let wanted: Vec<(String, String)> = c
            .providers
            .iter()
            .map(|p| ("institution".to_string(), p.clone()))
            .chain(topics.iter().map(|t| ("topic".to_string(), t.clone())))
            .collect();
        let (items, total) = faro_store::knowledge::page_only(
            &state.store,
            &wanted,
            faro_store::list::PageReq::new(1, RELATED_SHOWN),
            true,
        )
        .await
        .or_500(lang, &uri)?;
        (
            items
                .iter()
                .map(|r| Link {
                    href: format!("/{}/resources/{}", lang.code(), r.resource.id),
                    label: r.resource.title(lang).to_string(),
                })
                .collect(),
            total,
            format!(
                "/{}/resources?{}&{}",
                lang.code(),
                q("institution", &c.providers),
                q("topic", &topics)
            ),
        )
    };
    let (gathered_from, gathered_on) = match faro_store::harvest::provenance(&state.store, &c.id)
        .await
        .or_page(lang, &uri)?
    {
        Some((page, at, _)) => (page, crate::reports::date(lang, at.date_naive())),
        None => (String::new(), String::new()),
    };
    let can_edit = viewer
        .principal
        .as_ref()
        .is_some_and(|p| p.can_edit_course(&c));
    let (link_check, link_flag) = if can_edit {
        match faro_store::link_checks::course(&state.store, &c.id)
            .await
            .or_page(lang, &uri)?
        {
            Some(k) => {
                let date = i18n::moment(lang, k.checked_at);
                let status = k
                    .status_code
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "-".into());
                let line = i18n::t_args(
                    lang,
                    &format!("link-{}", k.outcome),
                    &[
                        ("status", status.into()),
                        ("date", date.into()),
                        ("detail", k.detail.clone().into()),
                    ],
                );
                let flag = k.flagged().then(|| {
                    i18n::t_args(
                        lang,
                        "course-link-gone",
                        &[("n", (k.failures as u64).into())],
                    )
                });
                (Some(line), flag)
            }
            None => (None, None),
        }
    } else {
        (None, None)
    };
    let page = CoursePage {
        link_check,
        link_flag,
        gathered_from,
        gathered_on,
        measures,
        measures_total,
        measures_href,
        resources,
        resources_total,
        resources_href,
        p: Page::new(lang, &uri, "courses").viewer(&viewer),
        title: c.title(lang).to_string(),
        description: c.description(lang).to_string(),
        providers: c
            .providers
            .iter()
            .map(|p| Link {
                href: format!("/{}/institutions/{p}", lang.code()),
                label: names.get(p).cloned().unwrap_or_else(|| p.clone()),
            })
            .collect(),
        subjects: c
            .subjects
            .iter()
            .map(|s| label(lang, "subject", s, &names))
            .collect(),
        topics: c
            .topics
            .iter()
            .map(|t| Link {
                href: format!("/{}/observatory?category={t}", lang.code()),
                label: cb
                    .get(t)
                    .map(|x| format!("{} {}", x.code, x.label(lang)))
                    .unwrap_or_else(|| t.clone()),
            })
            .collect(),
        languages: c
            .languages
            .iter()
            .map(|l| language_label(lang, l))
            .collect(),
        target_groups: c
            .target_groups
            .iter()
            .map(|g| label(lang, "target_group", g, &names))
            .collect(),
        level: if c.level.is_empty() {
            String::new()
        } else {
            label(lang, "level", &c.level, &names)
        },
        light,
        runs: c.runs.iter().map(|r| run_row(lang, r, today)).collect(),
        no_runs: c.runs.is_empty(),
        can_edit,
        json_ld: ld,
        c,
    };
    Ok(render(StatusCode::OK, &page))
}

/// One run's inputs in the form (`run{i}.…`).
pub struct RunForm {
    pub i: usize,
    pub r: CourseRun,
    pub hours_total: String,
    pub hours_week: String,
    pub seats: String,
    pub pacings: Vec<Choice>,
    pub modalities: Vec<Choice>,
    pub costs: Vec<Choice>,
    pub certificates: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "course_edit.html")]
pub struct EditPage {
    pub p: Page,
    pub c: Course,
    pub is_new: bool,
    pub version: String,
    pub institutions: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub subjects: Vec<Choice>,
    pub topics: Vec<Choice>,
    pub groups: Vec<Choice>,
    pub content_languages: String,
    pub data_mb: String,
    pub runs: Vec<RunForm>,
    pub errors: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
async fn edit_view(
    state: &AppState,
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    c: Course,
    is_new: bool,
    version: String,
    errors: Vec<String>,
    status: Option<StatusCode>,
) -> PageResult {
    // The providers offered: the editor's own institutions (coordinators:
    // the directory) and those already on the course.
    let who = viewer.principal.as_ref();
    let institutions = faro_store::institutions::all(&state.store)
        .await
        .or_500(lang, uri)?
        .into_iter()
        .filter(|i| {
            c.providers.contains(&i.id) || who.is_some_and(|p| p.can_edit_institution(&i.id))
        })
        .map(|i| Choice {
            selected: c.providers.contains(&i.id),
            label: format!("{} ({})", i.acronym, i.id),
            value: i.id,
        })
        .collect();
    let one = |v: &str| vec![v.to_string()];
    let n = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
    let mut runs: Vec<CourseRun> = c.runs.clone();
    runs.push(CourseRun::default());
    let runs = runs
        .into_iter()
        .take(MAX_RUNS)
        .enumerate()
        .map(|(i, r)| RunForm {
            i,
            hours_total: n(r.hours_total),
            hours_week: n(r.hours_week),
            seats: n(r.seats),
            pacings: choices(cd::PACINGS, &one(&r.pacing), |v| {
                i18n::t(lang, &key("course-pacing", v))
            }),
            modalities: choices(cd::MODALITIES, &one(&r.modality), |v| {
                i18n::t(lang, &key("course-modality", v))
            }),
            costs: choices(cd::COSTS, &one(&r.cost), |v| {
                i18n::t(lang, &key("course-cost", v))
            }),
            certificates: choices(cd::CERTIFICATES, &one(&r.certificate), |v| {
                i18n::t(lang, &key("course-cert", v))
            }),
            r,
        })
        .collect();
    let subject_codes: Vec<&str> = cd::isced().iter().map(|f| f.code.as_str()).collect();
    let topic_codes: Vec<&str> = faro_domain::observatory::current()
        .codes
        .iter()
        .filter(|c| c.parent.is_some())
        .map(|c| c.code.as_str())
        .collect();
    let names = HashMap::new();
    let page = EditPage {
        p: Page::new(lang, uri, "courses").viewer(viewer),
        institutions,
        languages: choices(&["es", "en", "pt"], &one(&c.original_language), |v| {
            i18n::t(lang, &format!("lang-{v}"))
        }),
        levels: choices(cd::LEVELS, &one(&c.level), |v| {
            label(lang, "level", v, &names)
        }),
        subjects: choices(&subject_codes, &c.subjects, |v| {
            label(lang, "subject", v, &names)
        }),
        topics: choices(&topic_codes, &c.topics, |v| {
            faro_domain::observatory::current()
                .get(v)
                .map(|x| format!("{} {}", x.code, x.label(lang)))
                .unwrap_or_else(|| v.to_string())
        }),
        groups: choices(
            faro_domain::observatory::TARGET_GROUPS,
            &c.target_groups,
            |v| label(lang, "target_group", v, &names),
        ),
        content_languages: c.languages.join("; "),
        data_mb: n(c.data_mb),
        runs,
        is_new,
        version,
        errors,
        c,
    };
    let status = status.unwrap_or(if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    });
    Ok(render(status, &page))
}

pub async fn new_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let who = signed_in(lang, &uri, &viewer)?;
    if !who.can_create_records() {
        return Err(PageError::forbidden(lang, &uri));
    }
    let c = Course {
        providers: who.institutions.first().cloned().into_iter().collect(),
        original_language: lang.code().into(),
        ..Default::default()
    };
    edit_view(
        &state,
        lang,
        &uri,
        &viewer,
        c,
        true,
        String::new(),
        vec![],
        None,
    )
    .await
}

/// Reads the form into a course and the problems of its typed values.
fn from_form(form: &FormData) -> (Course, Vec<faro_domain::FieldError>) {
    let get = |name: &str| match name {
        "providers" | "subjects" | "topics" | "target_groups" => form.all(name).join(";"),
        "languages" => form
            .get(name)
            .unwrap_or("")
            .split([';', ',', ' '])
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(";"),
        "mobile_friendly" | "downloadable" | "offline" | "broadcast" => {
            form.checked(name).to_string()
        }
        _ => form.get(name).unwrap_or("").to_string(),
    };
    let (mut c, mut errs) = faro_formats::courses_csv::course_from_fields(&get);
    for i in 0..MAX_RUNS {
        let get = |name: &str| form.get(name).unwrap_or("").to_string();
        let (run, e) = faro_formats::courses_csv::run_from_fields(&get, &format!("run{i}."));
        errs.extend(e);
        c.runs.extend(run);
    }
    (c, errs)
}

fn messages(lang: Lang, errs: &[faro_domain::FieldError]) -> Vec<String> {
    errs.iter()
        .map(|e| {
            let value = if e.value.is_empty() {
                String::new()
            } else {
                format!(" ({})", e.value)
            };
            format!(
                "{}: {}{value}",
                i18n::t(lang, &key("cfield", e.field)),
                i18n::t(lang, &key("err-field", e.code))
            )
        })
        .collect()
}

async fn save(
    state: AppState,
    lang: Lang,
    uri: Uri,
    viewer: Viewer,
    form: FormData,
    existing: Option<cs::Stored>,
) -> PageResult {
    check_csrf(lang, &uri, &viewer, &form)?;
    let who = signed_in(lang, &uri, &viewer)?;
    if let Some(old) = &existing
        && !who.can_edit_course(&old.course)
    {
        return Err(PageError::forbidden(lang, &uri));
    }
    if existing.is_none() && !who.can_create_records() {
        return Err(PageError::forbidden(lang, &uri));
    }
    let (mut c, typed) = from_form(&form);
    let version = form.get("version").unwrap_or("").to_string();
    match &existing {
        Some(old) => c.id = old.course.id.clone(),
        None => {
            let base = format!("c-{}", slugify(c.original_title()));
            let base: String = base.chars().take(56).collect::<String>();
            let base = base.trim_end_matches('-').to_string();
            let mut id = base.clone();
            let mut n = 2;
            while matches!(cs::get_any(&state.store, &id).await, Ok(Some(_))) {
                id = format!("{base}-{n}");
                n += 1;
            }
            c.id = id;
        }
    }
    if !who.may_assign_institutions(&c.providers) {
        let msg = i18n::t(lang, "course-needs-own-institution");
        return edit_view(
            &state,
            lang,
            &uri,
            &viewer,
            c,
            existing.is_none(),
            version,
            vec![msg],
            None,
        )
        .await;
    }
    let mut all = typed;
    all.extend(c.validate(faro_domain::observatory::current()));
    if !all.is_empty() {
        let errs = messages(lang, &all);
        return edit_view(
            &state,
            lang,
            &uri,
            &viewer,
            c,
            existing.is_none(),
            version,
            errs,
            None,
        )
        .await;
    }
    let actor = faro_store::changes::Actor::new(who.actor_name(), form.text("reason"));
    let expected = match &existing {
        None => Some(faro_store::changes::NEW_RECORD),
        Some(_) => Some(version.as_str()),
    };
    match cs::save(&state.store, &c, &actor, expected).await {
        Ok(_) => Ok(see_other(&format!("/{}/courses/{}", lang.code(), c.id))),
        Err(faro_store::StoreError::Conflict) => {
            let current = match cs::get_any(&state.store, &c.id).await {
                Ok(Some((s, _))) => s.updated_at.to_rfc3339(),
                Ok(None) => return Err(PageError::not_found(lang, &uri)),
                Err(e) => return Err(PageError::server(lang, &uri, e)),
            };
            let msg = i18n::t(lang, "course-changed-meanwhile");
            edit_view(
                &state,
                lang,
                &uri,
                &viewer,
                c,
                existing.is_none(),
                current,
                vec![msg],
                Some(StatusCode::CONFLICT),
            )
            .await
        }
        Err(
            e @ (faro_store::StoreError::Invalid(_) | faro_store::StoreError::Reference { .. }),
        ) => {
            let m = i18n::store_error_message(lang, &e, e.code());
            edit_view(
                &state,
                lang,
                &uri,
                &viewer,
                c,
                existing.is_none(),
                version,
                vec![m],
                None,
            )
            .await
        }
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

pub async fn create(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    form: FormData,
) -> PageResult {
    save(state, lang, uri, viewer, form, None).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let who = signed_in(lang, &uri, &viewer)?;
    let s = cs::get(&state.store, &id).await.or_page(lang, &uri)?;
    if !who.can_edit_course(&s.course) {
        return Err(PageError::forbidden(lang, &uri));
    }
    let version = s.updated_at.to_rfc3339();
    edit_view(
        &state,
        lang,
        &uri,
        &viewer,
        s.course,
        false,
        version,
        vec![],
        None,
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    form: FormData,
) -> PageResult {
    // CSRF before anything is looked up (so a forged post learns nothing).
    check_csrf(lang, &uri, &viewer, &form)?;
    let s = cs::get(&state.store, &id).await.or_page(lang, &uri)?;
    save(state, lang, uri, viewer, form, Some(s)).await
}

/// Public history of a course.
pub async fn history(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let s = cs::get(&state.store, &id).await.or_page(lang, &uri)?;
    let rows = super::edit::history_rows(&state, lang, cs::RECORD_TYPE, &id)
        .await
        .or_500(lang, &uri)?;
    let page = super::edit::HistoryPage {
        p: Page::new(lang, &uri, "courses").viewer(&viewer),
        list_href: format!("/{}/courses", lang.code()),
        list_label: i18n::t(lang, "courses-title"),
        record_href: format!("/{}/courses/{}", lang.code(), s.course.id),
        acronym: s.course.title(lang).to_string(),
        id: s.course.id,
        deleted: false,
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `/{lang}/courses/{id}/runs/{run}.ics`: a run's start date as an
/// all-day event, to add to a calendar. A run without a start date has no calendar file.
pub async fn run_ics(
    State(state): State<AppState>,
    Path((code, id, file)): Path<(String, String, String)>,
) -> Result<axum::response::Response, crate::error::ApiError> {
    use axum::response::IntoResponse;
    let lang = Lang::from_code(&code).unwrap_or(Lang::Es);
    let not_found = || crate::error::ApiError::not_found("course run");
    let run_id = file.strip_suffix(".ics").ok_or_else(not_found)?;
    if !faro_domain::institutions::is_slug(&id) {
        return Err(not_found());
    }
    let s = cs::get(&state.store, &id).await?;
    let c = &s.course;
    let r = c
        .runs
        .iter()
        .find(|r| r.run_id == run_id)
        .ok_or_else(not_found)?;
    let start = faro_domain::courses::parse_day(&r.run_start).ok_or_else(not_found)?;
    let public = state.config.public_url.trim_end_matches('/');
    let url = format!("{public}/{}/courses/{}", lang.code(), c.id);
    let host = public
        .split("://")
        .nth(1)
        .unwrap_or("faro")
        .split(['/', ':'])
        .next()
        .unwrap_or("faro");
    let mut description = c.description(lang).to_string();
    if !c.url.is_empty() {
        description.push_str(&format!("\n\n{}", c.url));
    }
    description.push_str(&format!("\n\n{url}"));
    let event = faro_formats::ical::IcsEvent {
        uid: format!("course-{}-{}@{host}", c.id, r.run_id),
        sequence: 0,
        stamp: chrono::Utc::now(),
        modified: s.updated_at,
        start: faro_formats::ical::Start::Day(start),
        end: None,
        summary: c.title(lang).to_string(),
        description,
        url,
        location: c.url.clone(),
        cancelled: false,
        lang: lang.code().to_string(),
        organizer: None,
        attendee: None,
    };
    let body =
        faro_formats::ical::calendar(c.title(lang), faro_formats::ical::Method::Publish, &[event]);
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/calendar; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response())
}
