//! The course finder through its public surface, on SQLite and PostgreSQL:
//! facets that move with the site's day (a test clock) and equal the API's,
//! `/data/courses.csv` read back equal to the API, JSON-LD expanded by PyLD,
//! bad input answered with messages in the user's language.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use faro_domain::courses::Course;
use faro_store::changes::Actor;
use faro_store::{demo, testing};
use http_body_util::BodyExt;
use std::collections::BTreeMap;
use tower::ServiceExt;

mod common;

async fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    let res = app
        .clone()
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let s = res.status();
    (
        s,
        String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned(),
    )
}

async fn json(app: &Router, uri: &str) -> serde_json::Value {
    let (s, body) = get(app, uri).await;
    assert_eq!(s, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn app_at(store: &faro_store::Store, today: &str) -> Router {
    faro_web::router(faro_web::AppState {
        store: store.clone(),
        search: None,
        config: std::sync::Arc::new(faro_web::WebConfig {
            today: Some(day(today)),
            ..Default::default()
        }),
    })
}

/// The demo data and 120 generated courses of five demo institutions.
async fn stores() -> Vec<(testing::TestDb, Vec<Course>)> {
    let mut v = Vec::new();
    for db in testing::all_backends().await {
        demo::load(&db.store).await.unwrap();
        let providers: Vec<String> = ["sena", "senai", "ina", "senati", "infotep"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let items = testing::synth_courses(120, &providers, day("2021-06-01"), 11);
        faro_store::courses::upsert_all(&db.store, &items, &Actor::new("test", None))
            .await
            .unwrap();
        v.push((db, items));
    }
    v
}

fn facet(v: &serde_json::Value, name: &str) -> BTreeMap<String, u64> {
    v["facets"][name]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    (
                        x["value"].as_str().unwrap().to_string(),
                        x["count"].as_u64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The count a finder page shows next to the link for `facet=value`.
fn page_count(html: &str, facet: &str, value: &str) -> Option<u64> {
    let needle = format!("?{facet}={value}\"");
    let at = html.find(&needle)?;
    let rest = &html[at..];
    let span = rest.find("<span class=\"count\">")? + "<span class=\"count\">".len();
    rest[span..].split('<').next()?.parse().ok()
}

#[tokio::test]
async fn availability_moves_with_the_clock_and_pages_equal_the_api() {
    for (db, items) in stores().await {
        let mut seen: Vec<BTreeMap<String, u64>> = Vec::new();
        for today in ["2020-01-01", "2021-06-01", "2021-06-25", "2023-01-01"] {
            let app = app_at(&db.store, today);
            let api = json(&app, "/api/v1/courses?per_page=500").await;
            assert_eq!(api["today"], today);
            assert_eq!(api["total"], 122, "{}", db.label);
            let counts = facet(&api, "availability");
            // The domain's rules, applied to what was written, agree.
            let mut expected: BTreeMap<String, u64> = BTreeMap::new();
            for c in &items {
                for a in c.availability(day(today)) {
                    *expected.entry(a.into()).or_default() += 1;
                }
            }
            assert_eq!(counts, expected, "{} at {today}", db.label);
            // The page shows the same counts as the API.
            let (s, html) = get(&app, "/en/courses").await;
            assert_eq!(s, StatusCode::OK);
            for (value, n) in &counts {
                assert_eq!(
                    page_count(&html, "availability", value),
                    Some(*n),
                    "{} {value} at {today}",
                    db.label
                );
            }
            // A filter by each value and another facet: the total is the count.
            for (value, n) in &counts {
                let f = json(
                    &app,
                    &format!("/api/v1/courses?availability={value}&per_page=1"),
                )
                .await;
                assert_eq!(f["total"].as_u64(), Some(*n));
                for (cost, m) in facet(&f, "cost") {
                    let g = json(
                        &app,
                        &format!("/api/v1/courses?availability={value}&cost={cost}&per_page=500"),
                    )
                    .await;
                    assert_eq!(g["total"].as_u64(), Some(m));
                    for item in g["items"].as_array().unwrap() {
                        assert!(
                            item["availability"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .any(|a| a == value.as_str())
                        );
                        assert!(
                            item["runs"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .any(|r| r["cost"] == cost.as_str())
                        );
                    }
                }
            }
            seen.push(counts);
        }
        seen.dedup();
        assert!(seen.len() > 2, "the clock moved the counts: {seen:?}");
        // Pagination: pages of 20 cover the list once, in order.
        let app = app_at(&db.store, "2021-06-01");
        let mut ids = Vec::new();
        for n in 1..=7 {
            let p = json(&app, &format!("/api/v1/courses?sort=start&page={n}")).await;
            ids.extend(
                p["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["id"].as_str().unwrap().to_string()),
            );
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((ids.len(), unique.len()), (122, 122));
        let (s, html) = get(&app, "/en/courses?sort=start&page=2").await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("rel=\"next\"") && html.contains("rel=\"prev\""));
        // Bad parameters are 400 with a message, never 500.
        let (s, body) = get(&app, "/api/v1/courses?sort=cheapest").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(
            body.contains("invalid_parameter") && body.contains("cheapest"),
            "{body}"
        );
        let (s, html) = get(&app, "/es/courses?sort=cheapest").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(html.contains("no es newest, start ni relevance"), "{html}");
    }
}

#[tokio::test]
async fn demo_courses_pages_profiles_csv_and_json_ld() {
    for (db, _) in stores().await {
        let app = app_at(&db.store, "2021-06-01");
        // The two courses the report announces, with no dates.
        for lang in ["es", "en", "pt"] {
            let (s, html) = get(
                &app,
                &format!("/{lang}/courses/c-cinterfor-quality-apprenticeship"),
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{lang}");
            assert!(html.contains("application/ld+json"));
        }
        let (_, html) = get(
            &app,
            "/en/courses/c-cinterfor-project-based-training-teachers",
        )
        .await;
        assert!(html.contains("Announced: no dates yet"), "{html}");
        let (_, profile) = get(&app, "/en/institutions/cinterfor").await;
        assert!(profile.contains("/en/courses/c-cinterfor-quality-apprenticeship"));
        assert!(profile.contains("/en/courses?provider=cinterfor"));
        let (_, profile) = get(&app, "/en/institutions/sena").await;
        assert!(profile.contains("Course finder"));
        let (s, _) = get(&app, "/en/courses/no-such-course").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = get(
            &app,
            "/en/courses/c-cinterfor-quality-apprenticeship/history",
        )
        .await;
        assert_eq!(s, StatusCode::OK);

        // `/data/courses.csv` read back equals the API, course by course.
        let api = json(&app, "/api/v1/courses?per_page=500").await;
        let (s, csv_text) = get(&app, "/data/courses.csv").await;
        assert_eq!(s, StatusCode::OK);
        let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
        let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(headers, faro_formats::courses_csv::COLUMNS.to_vec());
        let mut from_csv: BTreeMap<String, Vec<BTreeMap<String, String>>> = BTreeMap::new();
        for rec in rdr.records() {
            let rec = rec.unwrap();
            let row: BTreeMap<String, String> = headers
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect();
            from_csv.entry(row["id"].clone()).or_default().push(row);
        }
        let items = api["items"].as_array().unwrap();
        assert_eq!(from_csv.len(), items.len());
        let cell = |v: &serde_json::Value| match v {
            serde_json::Value::Array(a) => a
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
                .join(";"),
            serde_json::Value::Null => String::new(),
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            v => v.as_str().unwrap().to_string(),
        };
        for item in items {
            let rows = &from_csv[item["id"].as_str().unwrap()];
            let runs = item["runs"].as_array().unwrap();
            assert_eq!(rows.len(), runs.len().max(1), "{}", item["id"]);
            for (k, row) in rows.iter().enumerate() {
                for col in faro_formats::courses_csv::COLUMNS {
                    let expected = match item.get(col) {
                        Some(v) => cell(v),
                        None => runs.get(k).map(|r| cell(&r[col])).unwrap_or_default(),
                    };
                    assert_eq!(row[col], expected, "{col} of {}", item["id"]);
                }
            }
        }
        let pkg = json(&app, "/data/datapackage.json").await;
        assert!(
            pkg["resources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["path"] == "courses.csv")
        );

        // JSON-LD of a course with runs, expanded by a JSON-LD processor.
        let item = items
            .iter()
            .find(|i| {
                i["runs"].as_array().unwrap().iter().any(|r| {
                    r["run_start"] != ""
                        && r["hours_total"].is_number()
                        && r["certificate"] != "none"
                })
            })
            .expect("a generated course with a dated run");
        let id = item["id"].as_str().unwrap();
        let (_, html) = get(&app, &format!("/en/courses/{id}")).await;
        let ld = html
            .split("<script type=\"application/ld+json\">")
            .nth(1)
            .and_then(|s| s.split("</script>").next())
            .unwrap();
        let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
        assert_eq!(ld["@type"], "Course");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("course.jsonld");
        std::fs::write(&path, ld.to_string()).unwrap();
        let code = "import sys, json\nfrom pyld import jsonld\ndef loader(url, options={}):\n    return {'contextUrl': None, 'documentUrl': url, 'document': {'@context': {'@vocab': 'https://schema.org/'}}}\njsonld.set_document_loader(loader)\ne = jsonld.expand(json.load(open(sys.argv[1])))\nS = 'https://schema.org/'\nc = e[0]\nassert S + 'Course' in c['@type'], c\nout = {\n 'free': c[S + 'isAccessibleForFree'][0]['@value'],\n 'languages': [v['@value'] for v in c.get(S + 'inLanguage', [])],\n 'providers': [p[S + 'name'][0]['@value'] for p in c[S + 'provider']],\n 'credentials': sorted(v['@value'] for v in c.get(S + 'educationalCredentialAwarded', [])),\n 'offers': [o[S + 'price'][0]['@value'] for o in c.get(S + 'offers', [])],\n 'instances': [{'type': i['@type'][0], 'mode': i[S + 'courseMode'][0]['@value'], 'workload': i.get(S + 'courseWorkload', [{'@value': ''}])[0]['@value'], 'start': i.get(S + 'startDate', [{'@value': ''}])[0]['@value'], 'end': i.get(S + 'endDate', [{'@value': ''}])[0]['@value']} for i in c[S + 'hasCourseInstance']],\n}\nprint(json.dumps(out))";
        if let Some(out) = common::python(code, &path, "pyld") {
            let got: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
            let runs = item["runs"].as_array().unwrap();
            let free = runs.iter().any(|r| r["cost"] != "paid");
            assert_eq!(got["free"], free, "{got}");
            assert_eq!(got["languages"], item["languages"]);
            assert_eq!(got["instances"].as_array().unwrap().len(), runs.len());
            for (i, r) in got["instances"].as_array().unwrap().iter().zip(runs) {
                assert_eq!(i["type"], "https://schema.org/CourseInstance");
                assert_eq!(i["start"], r["run_start"]);
                assert_eq!(i["end"], r["run_end"]);
                let w = r["hours_total"]
                    .as_i64()
                    .map(|h| format!("PT{h}H"))
                    .unwrap_or_default();
                assert_eq!(i["workload"], w);
            }
            assert!(!got["credentials"].as_array().unwrap().is_empty());
            assert_eq!(got["providers"].as_array().unwrap().len(), 1);
        }
        // The list page carries an ItemList of its courses.
        let (_, html) = get(&app, "/en/courses").await;
        assert!(
            html.contains("\"@type\":\"ItemList\""),
            "ItemList on the list page"
        );
        // Sitemap lists the courses.
        let (s, sm) = get(&app, "/sitemaps/courses-1.xml").await;
        assert_eq!(s, StatusCode::OK);
        assert!(sm.contains("/courses/c-cinterfor-quality-apprenticeship"));
    }
}

#[tokio::test]
async fn bad_input_in_forms_and_api_gets_a_message_per_problem() {
    for db in testing::all_backends().await {
        let site = common::site_with(db, faro_web::WebConfig::default()).await;
        let mut ed = common::Client::login(&site.app, "ed-sena@faro.test").await;
        let r = ed
            .submit(
                "/es/courses/new",
                "/es/courses",
                &[
                    ("providers", "sena"),
                    ("original_language", "es"),
                    ("title_es", "Curso con errores"),
                    ("url", "ftp://example.org/curso"),
                    ("languages", "es; xx"),
                    ("run0.run_id", "r1"),
                    ("run0.run_start", "2021-05-01"),
                    ("run0.run_end", "2021-04-01"),
                    ("run0.pacing", "instructor_led"),
                    ("run0.modality", "online"),
                    ("run0.hours_total", "-5"),
                    ("run0.cost", "paid"),
                    ("run0.price", "10"),
                    ("run0.currency", "XYZ"),
                    ("run0.certificate", "none"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        for msg in [
            "Dirección del curso: debe ser una dirección",
            "Idiomas: no es una etiqueta de idioma BCP 47",
            "Fin: no puede ser anterior a la fecha de inicio",
            "Horas en total: no puede ser negativo",
            "Moneda (ISO 4217): no es un código de moneda ISO 4217",
        ] {
            assert!(r.body.contains(msg), "{msg} missing in {}", r.body);
        }
        // The user's values are kept; nothing was stored.
        assert!(r.body.contains("Curso con errores"));
        assert!(
            faro_store::courses::get(&site.db.store, "c-curso-con-errores")
                .await
                .is_err()
        );
        // A valid save goes through and is shown.
        let r = ed
            .submit(
                "/es/courses/new",
                "/es/courses",
                &[
                    ("providers", "sena"),
                    ("original_language", "es"),
                    ("title_es", "Curso bien hecho"),
                    ("mobile_friendly", "on"),
                    ("run0.run_id", "r1"),
                    ("run0.pacing", "self_paced"),
                    ("run0.modality", "online"),
                    ("run0.cost", "free"),
                    ("run0.certificate", "attendance"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let c = faro_store::courses::get(&site.db.store, "c-curso-bien-hecho")
            .await
            .unwrap();
        assert!(c.course.mobile_friendly && c.course.runs.len() == 1);
        // The API says what is wrong, with stable codes.
        let store = &site.db.store;
        let (u, _) = faro_store::accounts::user_by_email(store, "ed-sena@faro.test")
            .await
            .unwrap()
            .unwrap();
        let token = faro_store::accounts::create_token(store, u.id, "t")
            .await
            .unwrap()
            .1;
        let mut api = common::Client::new(&site.app);
        api.headers
            .push(("authorization".into(), format!("Bearer {token}")));
        let body = serde_json::json!({
            "id": "c-api-bad", "original_language": "en", "title_en": "Bad", "providers": ["sena"],
            "languages": ["klingon"],
            "runs": [{"run_id": "r1", "pacing": "instructor_led", "modality": "online", "cost": "paid",
                      "price": "5", "currency": "EUR", "certificate": "none",
                      "run_start": "2021-02-01", "run_end": "2021-01-01", "hours_total": -1}]
        });
        let r = api
            .send(
                "POST",
                "/api/v1/courses",
                Some((body.to_string(), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["error"]["code"], "invalid_record");
        let m = v["error"]["message"].as_str().unwrap();
        for part in [
            "languages is not a BCP 47",
            "run_end must not be before the start date",
            "hours_total must not be negative",
        ] {
            assert!(m.contains(part), "{part}: {m}");
        }
        let mut unknown = body.clone();
        unknown["languages"] = serde_json::json!(["es"]);
        unknown["runs"] = serde_json::json!([]);
        unknown["providers"] = serde_json::json!(["sena", "no-such-vti"]);
        let r = api
            .send(
                "POST",
                "/api/v1/courses",
                Some((unknown.to_string(), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("unknown_reference") && r.body.contains("no-such-vti"),
            "{}",
            r.body
        );
        let r = api
            .send(
                "POST",
                "/api/v1/courses",
                Some(("{\"id\": 3".into(), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(faro_store::courses::get(store, "c-api-bad").await.is_err());
        // A replace over a stale version is 412 and changes nothing.
        let r = api
            .send("GET", "/api/v1/courses/c-curso-bien-hecho", None)
            .await;
        let mut current: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        let old = current["updated_at"].as_str().unwrap().to_string();
        for k in ["updated_at", "availability"] {
            current.as_object_mut().unwrap().remove(k);
        }
        for r in current["runs"].as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("status");
        }
        current["title_es"] = serde_json::json!("Curso renombrado");
        api.headers
            .push(("if-match".into(), "2000-01-01T00:00:00+00:00".into()));
        let r = api
            .send(
                "PUT",
                "/api/v1/courses/c-curso-bien-hecho",
                Some((current.to_string(), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
        api.headers.pop();
        api.headers.push(("if-match".into(), old));
        let r = api
            .send(
                "PUT",
                "/api/v1/courses/c-curso-bien-hecho",
                Some((current.to_string(), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            faro_store::courses::get(store, "c-curso-bien-hecho")
                .await
                .unwrap()
                .course
                .title_es,
            "Curso renombrado"
        );
    }
}

#[tokio::test]
async fn courses_are_found_by_the_shared_search_and_follow_writes() {
    let db = testing::sqlite().await;
    demo::load(&db.store).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (ix, _) = faro_web::search::open(&db.store, dir.path()).await.unwrap();
    let find = |q: &str| {
        ix.search(&faro_search::SearchRequest {
            q: q.into(),
            page: 1,
            per_page: 10,
            ..Default::default()
        })
        .unwrap()
        .hits
        .into_iter()
        .filter(|h| h.record_type == "course")
        .map(|h| h.id)
        .collect::<Vec<_>>()
    };
    // Accents folded, across languages (the Portuguese title).
    assert_eq!(
        find("aprendizagem qualidade"),
        vec!["c-cinterfor-quality-apprenticeship"]
    );
    assert!(
        find("formacion por proyectos")
            .contains(&"c-cinterfor-project-based-training-teachers".to_string())
    );
    // A new course is searchable once the follower has read the outbox.
    let mut c = testing::synth_courses(1, &["sena".into()], day("2021-06-01"), 5).remove(0);
    c.title_es = "Soldadura submarina para principiantes".into();
    c.original_language = "es".into();
    faro_store::courses::upsert_all(&db.store, &[c.clone()], &Actor::new("t", None))
        .await
        .unwrap();
    let mut f = faro_web::search::Follower::new(db.store.clone(), ix.clone());
    f.sync_once().await.unwrap();
    assert_eq!(find("soldadura submarina"), vec![c.id]);
}

#[tokio::test]
async fn run_calendar_files_and_the_atom_feed_of_new_courses() {
    for (db, items) in stores().await {
        let app = app_at(&db.store, "2021-06-01");
        // A dated run: its page links the `.ics`, which icalendar reads.
        let c = items
            .iter()
            .find(|c| c.runs.iter().any(|r| !r.run_start.is_empty()))
            .expect("a generated course with a dated run");
        let r = c.runs.iter().find(|r| !r.run_start.is_empty()).unwrap();
        let href = format!("/en/courses/{}/runs/{}.ics", c.id, r.run_id);
        let (_, html) = get(&app, &format!("/en/courses/{}", c.id)).await;
        assert!(html.contains(&href), "{} links {href}", c.id);
        let (s, ics) = get(&app, &href).await;
        assert_eq!(s, StatusCode::OK, "{ics}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.ics");
        std::fs::write(&path, &ics).unwrap();
        let code = "import sys, json\nimport icalendar\ncal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\nev = [e for e in cal.walk('VEVENT')]\nprint(json.dumps([{'uid': str(e['UID']), 'start': e.decoded('DTSTART').isoformat(), 'summary': str(e['SUMMARY']), 'url': str(e.get('URL', ''))} for e in ev]))";
        if let Some(out) = common::python(code, &path, "icalendar") {
            let got: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
            let ev = got.as_array().unwrap();
            assert_eq!(ev.len(), 1, "{got}");
            assert_eq!(ev[0]["start"], r.run_start.as_str(), "{got}");
            assert_eq!(ev[0]["summary"], c.title(faro_domain::Lang::En), "{got}");
            assert!(
                ev[0]["uid"].as_str().unwrap().contains(&c.id),
                "stable uid: {got}"
            );
            assert!(
                ev[0]["url"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("/en/courses/{}", c.id))
            );
        }
        // No calendar for a run without a start, an unknown run or course.
        if let Some(undated) = items
            .iter()
            .flat_map(|c| c.runs.iter().map(move |r| (c, r)))
            .find(|(_, r)| r.run_start.is_empty())
        {
            let (s, _) = get(
                &app,
                &format!("/en/courses/{}/runs/{}.ics", undated.0.id, undated.1.run_id),
            )
            .await;
            assert_eq!(s, StatusCode::NOT_FOUND);
        }
        let (s, _) = get(&app, &format!("/en/courses/{}/runs/nope.ics", c.id)).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = get(&app, "/en/courses/no-such-course/runs/r0.ics").await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // The Atom feed takes the finder's filters: feedparser finds the
        // same courses as the API (newest first, at most 50).
        for query in [
            "",
            "availability=open_now",
            "availability=starting_soon&cost=free",
            "modality=online&language=es",
        ] {
            let api = json(&app, &format!("/api/v1/courses?per_page=50&{query}")).await;
            let expected: Vec<String> = api["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string())
                .collect();
            let (s, feed) = get(&app, &format!("/feeds/courses.atom?lang=es&{query}")).await;
            assert_eq!(s, StatusCode::OK);
            let path = dir.path().join("courses.atom");
            std::fs::write(&path, &feed).unwrap();
            let code = "import sys, json\nimport feedparser\nf = feedparser.parse(open(sys.argv[1], 'rb').read())\nassert not f.bozo, f.bozo_exception\nprint(json.dumps({'title': f.feed.title, 'ids': [e.id.rsplit('/', 1)[1] for e in f.entries], 'links': [e.link for e in f.entries]}))";
            if let Some(out) = common::python(code, &path, "feedparser") {
                let got: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
                let ids: Vec<String> = got["ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect();
                assert_eq!(ids, expected, "feed of {query:?}");
                assert_eq!(got["title"], "Cursos nuevos de la red");
                if let Some(l) = got["links"].as_array().unwrap().first() {
                    assert!(l.as_str().unwrap().contains("/es/courses/"), "{l}");
                }
            }
        }
        let (s, _) = get(&app, "/feeds/courses.atom?sort=bogus").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);

        // Related: the provider's measure coded C4 (free online courses)
        // on the course page, and the courses on that measure's page.
        let (_, html) = get(&app, "/en/courses/c-cinterfor-quality-apprenticeship").await;
        assert!(
            html.contains("/en/observatory/measures/m-cinterfor-shared-resource-pool"),
            "course page lists the provider's C4 measure"
        );
        let (_, html) = get(
            &app,
            "/en/observatory/measures/m-cinterfor-shared-resource-pool",
        )
        .await;
        assert!(html.contains("/en/courses/c-cinterfor-quality-apprenticeship"));
        assert!(html.contains("/en/courses?provider=cinterfor"));
        let (_, html) = get(&app, "/en/courses").await;
        assert!(
            html.contains("application/atom+xml"),
            "the finder links its feed"
        );
    }
}

#[tokio::test]
async fn a_harvested_course_says_where_from_and_a_gone_page_is_flagged_to_editors_only() {
    for db in testing::all_backends().await {
        let site = common::site_with(db, faro_web::WebConfig::default()).await;
        let s = &site.db.store;
        let src = faro_store::harvest::Source {
            id: "sena-site".into(),
            institution_id: "sena".into(),
            kind: "sitemap".into(),
            url: "https://cursos.example/sitemap.xml".into(),
            lang: "es".into(),
            every_hours: None,
            last_run_at: None,
            last_outcome: String::new(),
        };
        faro_store::harvest::save_source(s, &src, &Actor::new("t", None))
            .await
            .unwrap();
        let course = Course {
            title_es: "Curso recogido".into(),
            original_language: "es".into(),
            url: "https://cursos.example/c/9".into(),
            ..Default::default()
        };
        let r = faro_store::harvest::apply(
            s,
            &src,
            vec![faro_store::harvest::Incoming {
                course,
                supplied: vec!["title_es".into(), "url".into(), "original_language".into()],
                key: "https://cursos.example/c/9".into(),
            }],
            &Actor::new("harvest:sena-site", None),
        )
        .await
        .unwrap();
        assert_eq!(r.created, 1, "{}", site.db.label);
        let (mine, _) = faro_store::courses::for_institution(s, "sena", 50)
            .await
            .unwrap();
        let id = mine
            .iter()
            .find(|c| c.course.url == "https://cursos.example/c/9")
            .unwrap()
            .course
            .id
            .clone();
        let uri = format!("/pt/courses/{id}");
        let (status, page) = get(&site.app, &uri).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Coletado do catálogo do provedor"), "{page}");
        assert!(page.contains("https://cursos.example/c/9"), "{page}");
        for _ in 0..3 {
            faro_store::link_checks::record_course(
                s,
                &id,
                "https://cursos.example/c/9",
                "broken",
                Some(404),
                "HTTP 404",
            )
            .await
            .unwrap();
        }
        let mut ed = common::Client::login(&site.app, "ed-sena@faro.test").await;
        let as_editor = ed.get(&uri).await.body;
        assert!(
            as_editor.contains("Não encontrada em 3 verificações seguidas"),
            "{as_editor}"
        );
        let mut other = common::Client::login(&site.app, "ed-senai@faro.test").await;
        assert!(!other.get(&uri).await.body.contains("verificações seguidas"));
        let (_, public) = get(&site.app, &uri).await;
        assert!(!public.contains("verificações seguidas"));
    }
}

#[tokio::test]
async fn editors_add_catalogues_with_messages_in_their_language_and_queue_a_harvest() {
    for db in testing::all_backends().await {
        let site = common::site_with(db, faro_web::WebConfig::default()).await;
        let mut ed = common::Client::login(&site.app, "ed-sena@faro.test").await;
        let page = ed.get("/es/institutions/sena/catalogues").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Catálogos de cursos")
                && page.body.contains("Todavía no hay catálogos")
        );
        let form = "/es/institutions/sena/catalogues";
        let bad = ed
            .submit(
                form,
                form,
                &[
                    ("source", "Mi Catálogo"),
                    ("kind", "ftp"),
                    ("url", "javascript:alert(1)"),
                    ("lang", "es"),
                    ("every_hours", "0"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        for m in [
            "Nombre: use minúsculas",
            "Tipo: elija uno de la lista.",
            "Dirección: una dirección http(s)",
            "Frecuencia: de 1 a 8760 horas.",
        ] {
            assert!(bad.body.contains(m), "{m}: {}", bad.body);
        }
        assert!(!bad.body.contains("<script>") && bad.body.contains("javascript:alert(1)"));
        assert!(
            faro_store::harvest::sources(&site.db.store, Some("sena"))
                .await
                .unwrap()
                .is_empty()
        );
        let ok = ed
            .submit(
                form,
                form,
                &[
                    ("source", "sena-cursos"),
                    ("kind", "urls"),
                    ("url", "https://cursos.example/a\nhttps://cursos.example/b"),
                    ("lang", "es"),
                    ("every_hours", "24"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let list = ed
            .get("/es/institutions/sena/catalogues?saved=sena-cursos")
            .await
            .body;
        assert!(
            list.contains("Catálogo sena-cursos guardado.")
                && list.contains("cada 24 h")
                && list.contains("https://cursos.example/b"),
            "{list}"
        );
        let r = ed
            .submit(
                form,
                "/es/institutions/sena/catalogues/sena-cursos/harvest",
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        // Another institution's editor may neither see nor harvest it.
        let mut other = common::Client::login(&site.app, "ed-senai@faro.test").await;
        assert_eq!(other.get(form).await.status, StatusCode::FORBIDDEN);
        let (_, jobs) = faro_store::jobs::overview(&site.db.store, None, 50)
            .await
            .unwrap();
        // One queued by the schedule on save, one by "harvest now" (unless
        // both fell in the same second: the same job).
        assert!(jobs.iter().filter(|j| j.kind == "course_harvest").count() >= 1);
    }
}
