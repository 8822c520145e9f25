//! Records as search documents, one function per area. Vocabulary labels
//! go in all three languages, so a query in one language reaches records
//! written in another.

use crate::i18n;
use faro_domain::{Institution, Lang, country};
use faro_search::SearchDoc;
use faro_store::Store;

pub enum Loaded {
    Doc(Box<SearchDoc>),
    /// Deleted (or soft-deleted): remove from the index.
    Gone,
    /// A record type search does not show (e.g. user accounts).
    NotSearchable,
}

/// The current document for a changed record.
pub async fn load(
    store: &Store,
    record_type: &str,
    id: &str,
) -> Result<Loaded, faro_store::StoreError> {
    match record_type {
        faro_store::institutions::RECORD_TYPE => {
            match faro_store::institutions::get(store, id).await {
                Ok(i) => Ok(Loaded::Doc(Box::new(institution(&i)))),
                Err(faro_store::StoreError::NotFound) => Ok(Loaded::Gone),
                Err(e) => Err(e),
            }
        }
        faro_store::observatory::RECORD_TYPE => match faro_store::observatory::get(store, id).await
        {
            Ok(m) => Ok(Loaded::Doc(Box::new(measure(&m)))),
            Err(faro_store::StoreError::NotFound) => Ok(Loaded::Gone),
            Err(e) => Err(e),
        },
        faro_store::knowledge::RECORD_TYPE => match faro_store::knowledge::get(store, id).await {
            Ok(r) => {
                let texts = faro_store::files::texts_for(store, id).await?;
                Ok(Loaded::Doc(Box::new(resource(
                    &r.resource,
                    r.updated_at.timestamp(),
                    &texts,
                ))))
            }
            Err(faro_store::StoreError::NotFound) => Ok(Loaded::Gone),
            Err(e) => Err(e),
        },
        faro_store::events::RECORD_TYPE => match faro_store::events::get(store, id).await {
            Ok(s) => Ok(Loaded::Doc(Box::new(session(&s)))),
            Err(faro_store::StoreError::NotFound) => Ok(Loaded::Gone),
            Err(e) => Err(e),
        },
        faro_store::events::SERIES_RECORD_TYPE => {
            match faro_store::events::get_series(store, id).await {
                Ok(x) => Ok(Loaded::Doc(Box::new(series(&x)))),
                Err(faro_store::StoreError::NotFound) => Ok(Loaded::Gone),
                Err(e) => Err(e),
            }
        }
        faro_store::courses::RECORD_TYPE => match faro_store::courses::get(store, id).await {
            Ok(c) => {
                let countries =
                    faro_store::courses::provider_countries(store, &c.course.providers).await?;
                Ok(Loaded::Doc(Box::new(course(&c, &countries))))
            }
            Err(faro_store::StoreError::NotFound) => Ok(Loaded::Gone),
            Err(e) => Err(e),
        },
        _ => Ok(Loaded::NotSearchable),
    }
}

/// A course of the finder: its titles and descriptions, and the labels of
/// its subjects, topics, target groups, modalities and costs in all three
/// languages.
pub fn course(
    stored: &faro_store::courses::Stored,
    countries: &std::collections::HashMap<String, String>,
) -> SearchDoc {
    let c = &stored.course;
    let updated = stored.updated_at.timestamp();
    let mut provider_countries: Vec<String> = Vec::new();
    for p in &c.providers {
        if let Some(k) = countries.get(p)
            && !provider_countries.contains(k)
        {
            provider_countries.push(k.clone());
        }
    }
    let mut titles = Vec::new();
    let mut bodies = Vec::new();
    for lang in Lang::ALL {
        let (t, d) = match lang {
            Lang::Es => (&c.title_es, &c.description_es),
            Lang::En => (&c.title_en, &c.description_en),
            Lang::Pt => (&c.title_pt, &c.description_pt),
        };
        if !t.is_empty() {
            titles.push((lang, t.clone()));
        }
        if !d.is_empty() {
            bodies.push((lang, d.clone()));
        }
    }
    let codebook = faro_domain::observatory::current();
    let mut labels = Vec::new();
    let key = |p: &str, v: &str| format!("{p}-{}", v.replace('_', "-"));
    for lang in Lang::ALL {
        labels.push((lang, i18n::t(lang, "search-type-course")));
        for s in &c.subjects {
            if let Some(f) = faro_domain::courses::isced_field(s) {
                labels.push((lang, f.label(lang).to_string()));
            }
        }
        for t in &c.topics {
            if let Some(code) = codebook.get(t) {
                labels.push((lang, code.label(lang).to_string()));
            }
        }
        for g in &c.target_groups {
            labels.push((lang, i18n::t(lang, &key("tg", g))));
        }
        let mut seen: Vec<String> = Vec::new();
        for r in &c.runs {
            for k in [
                key("course-modality", &r.modality),
                key("course-cost", &r.cost),
            ] {
                if !seen.contains(&k) {
                    labels.push((lang, i18n::t(lang, &k)));
                    seen.push(k);
                }
            }
        }
    }
    SearchDoc {
        record_type: "course".into(),
        id: c.id.clone(),
        titles,
        bodies,
        labels,
        keywords: vec![],
        countries: provider_countries.clone(),
        institutions: c.providers.clone(),
        categories: c.topics.clone(),
        languages: c.languages.clone(),
        year: None,
        date: Some(updated),
        path: format!("/courses/{}", c.id),
        finder: Some(course_facts(stored, &provider_countries)),
    }
}

/// The finder's view of a course: the values of every facet of
/// `faro_store::courses::FACETS` but availability, as the store counts
/// them, and the dates availability is computed from.
pub fn course_facts(
    stored: &faro_store::courses::Stored,
    countries: &[String],
) -> faro_search::FinderFacts {
    let c = &stored.course;
    let mut values: Vec<(String, String)> = Vec::new();
    let mut push = |f: &str, v: &str| {
        if !v.is_empty() {
            values.push((f.to_string(), v.to_string()));
        }
    };
    for (f, list) in [
        ("language", &c.languages),
        ("subject", &c.subjects),
        ("topic", &c.topics),
        ("target_group", &c.target_groups),
        ("provider", &c.providers),
    ] {
        for v in list {
            push(f, v);
        }
    }
    for (f, list) in c.derived_facets() {
        for v in &list {
            push(f, v);
        }
    }
    for v in countries {
        push("country", v);
    }
    push(
        "level",
        if c.level.is_empty() {
            "unstated"
        } else {
            &c.level
        },
    );
    let w = c.availability_windows();
    let day = |d: chrono::NaiveDate| chrono::Datelike::num_days_from_ce(&d);
    faro_search::FinderFacts {
        values,
        open: w.open.iter().map(|(a, b)| (day(*a), day(*b))).collect(),
        starts: w.starts.iter().map(|s| day(*s)).collect(),
        self_paced_until: w.self_paced_until.map(day),
        last_end: w.last_end.map(day),
        created: stored
            .created_at
            .timestamp_nanos_opt()
            .unwrap_or_else(|| stored.created_at.timestamp_micros()),
    }
}

/// An event series: its titles, description and hashtag.
pub fn series(x: &faro_domain::events::Series) -> SearchDoc {
    let mut titles = Vec::new();
    let mut bodies = Vec::new();
    for lang in Lang::ALL {
        let (t, d) = match lang {
            Lang::Es => (&x.title_es, &x.description_es),
            Lang::En => (&x.title_en, &x.description_en),
            Lang::Pt => (&x.title_pt, &x.description_pt),
        };
        if !t.is_empty() {
            titles.push((lang, t.clone()));
        }
        if !d.is_empty() {
            bodies.push((lang, d.clone()));
        }
    }
    let mut labels = Vec::new();
    for lang in Lang::ALL {
        labels.push((lang, i18n::t(lang, "events-title")));
        labels.push((lang, i18n::t(lang, "search-type-series")));
    }
    SearchDoc {
        record_type: faro_store::events::SERIES_RECORD_TYPE.into(),
        id: x.id.clone(),
        titles,
        bodies,
        labels,
        keywords: if x.hashtag.is_empty() {
            vec![]
        } else {
            vec![x.hashtag.clone(), format!("#{}", x.hashtag)]
        },
        countries: vec![],
        institutions: if x.organiser.is_empty() {
            vec![]
        } else {
            vec![x.organiser.clone()]
        },
        categories: vec![],
        languages: vec![x.original_language.clone()],
        year: None,
        date: None,
        path: format!("/events/series/{}", x.id),
        finder: None,
    }
}

/// A session of an event series.
pub fn session(s: &faro_domain::events::Session) -> SearchDoc {
    let mut titles = Vec::new();
    for lang in Lang::ALL {
        let t = match lang {
            Lang::Es => &s.title_es,
            Lang::En => &s.title_en,
            Lang::Pt => &s.title_pt,
        };
        if !t.is_empty() {
            titles.push((lang, t.clone()));
        }
    }
    let mut labels = Vec::new();
    for lang in Lang::ALL {
        labels.push((lang, i18n::t(lang, "events-title")));
        labels.push((
            lang,
            i18n::t_args(lang, "session-number", &[("n", (s.number as u64).into())]),
        ));
    }
    let date = chrono::NaiveDate::parse_from_str(&s.date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp());
    SearchDoc {
        record_type: "session".into(),
        id: s.id.clone(),
        titles,
        bodies: vec![],
        labels,
        keywords: vec![],
        countries: vec![],
        institutions: vec![],
        categories: vec![],
        languages: vec![s.original_language.clone()],
        year: s.date.get(..4).and_then(|y| y.parse().ok()),
        date,
        path: format!("/events/{}", s.id),
        finder: None,
    }
}

pub fn institution(i: &Institution) -> SearchDoc {
    let mut titles = Vec::new();
    let mut languages = Vec::new();
    for lang in Lang::ALL {
        let name = i.name_in(lang);
        let title = if name.is_empty() {
            i.acronym.clone()
        } else {
            format!("{} — {}", i.acronym, name)
        };
        if !name.is_empty() || i.description_in(lang).is_some() {
            languages.push(lang.code().to_string());
        }
        if !name.is_empty() {
            titles.push((lang, title));
        }
    }
    if titles.is_empty() {
        titles.push((Lang::En, i.acronym.clone()));
    }
    let mut bodies = Vec::new();
    for lang in Lang::ALL {
        if let Some(d) = i.description_in(lang) {
            bodies.push((lang, d.clone()));
        }
    }
    if let Some(n) = &i.note {
        bodies.push((Lang::En, n.clone()));
    }
    let mut labels = Vec::new();
    for lang in Lang::ALL {
        labels.push((lang, i18n::kind_label(lang, i.kind.code())));
        labels.push((lang, i18n::t(lang, "search-type-institution")));
        if let Some(c) = i.country.as_deref().and_then(country::by_code) {
            labels.push((lang, c.name(lang).to_string()));
        }
    }
    SearchDoc {
        record_type: "institution".into(),
        id: i.id.clone(),
        titles,
        bodies,
        labels,
        keywords: vec![i.acronym.clone(), i.id.clone()],
        countries: i.country.iter().cloned().collect(),
        institutions: vec![i.id.clone()],
        categories: vec![],
        languages,
        year: None,
        date: None,
        path: format!("/institutions/{}", i.id),
        finder: None,
    }
}

/// A measure: its titles and descriptions in their languages, and the
/// labels of its codes, target groups and country in all three.
pub fn measure(m: &faro_domain::observatory::Measure) -> SearchDoc {
    let codebook = faro_domain::observatory::current();
    let mut titles = Vec::new();
    let mut bodies = Vec::new();
    let mut languages = Vec::new();
    for lang in Lang::ALL {
        let (t, d) = match lang {
            Lang::Es => (&m.title_es, &m.description_es),
            Lang::En => (&m.title_en, &m.description_en),
            Lang::Pt => (&m.title_pt, &m.description_pt),
        };
        if !t.is_empty() {
            titles.push((lang, t.clone()));
            languages.push(lang.code().to_string());
        }
        if !d.is_empty() {
            bodies.push((lang, d.clone()));
        }
    }
    let mut labels = Vec::new();
    for lang in Lang::ALL {
        labels.push((lang, i18n::t(lang, "search-type-measure")));
        for c in &m.categories {
            if let Some(code) = codebook.get(c) {
                labels.push((lang, code.label(lang).to_string()));
                if let Some(cat) = code.parent.as_deref().and_then(|p| codebook.get(p)) {
                    labels.push((lang, cat.label(lang).to_string()));
                }
            }
        }
        for g in &m.target_groups {
            labels.push((lang, i18n::t(lang, &format!("tg-{}", g.replace('_', "-")))));
        }
        if let Some(c) = m.country.as_deref().and_then(country::by_code) {
            labels.push((lang, c.name(lang).to_string()));
        }
    }
    SearchDoc {
        record_type: "measure".into(),
        id: m.id.clone(),
        titles,
        bodies,
        labels,
        keywords: vec![],
        countries: m.country.iter().cloned().collect(),
        institutions: vec![m.institution.clone()],
        categories: m.categories.clone(),
        languages,
        year: m.start_year(),
        date: None,
        path: format!("/observatory/measures/{}", m.id),
        finder: Some(measure_facts(m)),
    }
}

/// The observatory's facets of a measure as `faro_store::observatory::AREA`
/// counts them (no country: `none`; no start year: `unknown`); ordered by
/// id (no creation time).
pub fn measure_facts(m: &faro_domain::observatory::Measure) -> faro_search::FinderFacts {
    let mut values = vec![
        (
            "country".to_string(),
            m.country
                .clone()
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| "none".into()),
        ),
        ("institution".to_string(), m.institution.clone()),
        ("status".to_string(), m.status.clone()),
        (
            "year".to_string(),
            m.start_year()
                .map(|y| y.to_string())
                .unwrap_or_else(|| "unknown".into()),
        ),
    ];
    for c in &m.categories {
        values.push(("category".into(), c.clone()));
    }
    for g in &m.target_groups {
        values.push(("target_group".into(), g.clone()));
    }
    faro_search::FinderFacts {
        values,
        ..Default::default()
    }
}

/// A knowledge-base resource.
pub fn resource(
    r: &faro_domain::knowledge::Resource,
    updated: i64,
    file_texts: &[String],
) -> SearchDoc {
    let mut titles = Vec::new();
    let mut bodies = Vec::new();
    for lang in Lang::ALL {
        let (t, d) = match lang {
            Lang::Es => (&r.title_es, &r.description_es),
            Lang::En => (&r.title_en, &r.description_en),
            Lang::Pt => (&r.title_pt, &r.description_pt),
        };
        if !t.is_empty() {
            titles.push((lang, t.clone()));
        }
        if !d.is_empty() {
            bodies.push((lang, d.clone()));
        }
    }
    // Text from uploaded PDFs, in the resource's original language.
    let file_lang = Lang::from_code(&r.original_language).unwrap_or(Lang::En);
    for t in file_texts {
        bodies.push((file_lang, t.clone()));
    }
    let codebook = faro_domain::observatory::current();
    let mut labels = Vec::new();
    for lang in Lang::ALL {
        labels.push((
            lang,
            i18n::t(
                lang,
                &format!("rtype-{}", r.resource_type.replace('_', "-")),
            ),
        ));
        for t in &r.topics {
            if let Some(c) = codebook.get(t) {
                labels.push((lang, c.label(lang).to_string()));
            }
        }
    }
    SearchDoc {
        record_type: "resource".into(),
        id: r.id.clone(),
        titles,
        bodies,
        labels,
        keywords: vec![],
        countries: r.countries.clone(),
        institutions: r.institutions.clone(),
        categories: r.topics.clone(),
        languages: r.languages.clone(),
        year: r.year(),
        date: Some(updated),
        path: format!("/resources/{}", r.id),
        finder: None,
    }
}
