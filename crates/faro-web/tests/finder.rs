//! The course finder answered by the search index equals the finder
//! answered by SQL: the same page of ids, total and facet counts, for many
//! filters, both orders, several pages and days far apart (availability
//! moves with the day), on SQLite and PostgreSQL. And the finder only uses
//! the index when it has applied every change: a course saved a moment ago
//! is listed and counted at once.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use faro_store::changes::Actor;
use faro_store::courses::Sort;
use faro_store::list::PageReq;
use faro_store::{demo, testing};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const PROVIDERS: [&str; 5] = ["sena", "senai", "ina", "senati", "infotep"];

fn filters() -> Vec<Vec<(&'static str, &'static str)>> {
    let mut v: Vec<Vec<(&str, &str)>> = vec![vec![]];
    for a in faro_domain::courses::AVAILABILITY {
        v.push(vec![("availability", a)]);
        v.push(vec![("availability", a), ("cost", "free")]);
        v.push(vec![
            ("availability", a),
            ("cost", "free"),
            ("modality", "online"),
        ]);
    }
    v.extend([
        vec![("availability", "open_now"), ("availability", "self_paced")],
        vec![("language", "es")],
        vec![("language", "es"), ("language", "pt")],
        vec![("provider", "sena"), ("subject", "0413")],
        vec![("country", "CO")],
        vec![("country", "BR"), ("level", "unstated")],
        vec![("light", "mobile"), ("workload", "lt10")],
        vec![("certificate", "assessed"), ("target_group", "youth")],
        vec![("cost", "no-such-cost")],
        vec![("availability", "no-such-value")],
    ]);
    v
}

async fn site(db: &testing::TestDb, today: &str) -> faro_web::AppState {
    let dir = tempfile::tempdir().unwrap().keep();
    let (ix, _) = faro_web::search::open(&db.store, &dir).await.unwrap();
    faro_web::AppState {
        store: db.store.clone(),
        search: Some(ix),
        config: Arc::new(faro_web::WebConfig {
            today: Some(day(today)),
            ..Default::default()
        }),
    }
}

#[tokio::test]
async fn the_index_finder_equals_the_sql_finder() {
    for db in testing::all_backends().await {
        demo::load(&db.store).await.unwrap();
        let providers: Vec<String> = PROVIDERS.iter().map(|s| s.to_string()).collect();
        let items = testing::synth_courses(300, &providers, day("2021-06-01"), 7);
        faro_store::courses::upsert_all(&db.store, &items, &Actor::new("test", None))
            .await
            .unwrap();
        let state = site(&db, "2021-06-01").await;
        let mut compared = 0;
        let mut nonempty = 0;
        for today in [
            "2019-03-01",
            "2020-11-15",
            "2021-06-01",
            "2021-06-20",
            "2023-01-01",
        ] {
            let today = day(today);
            for f in filters() {
                let wanted: Vec<(String, String)> = f
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                for sort in [Sort::Newest, Sort::Start] {
                    for page in [1, 3] {
                        let req = PageReq::new(page, 20);
                        let sql =
                            faro_store::courses::list(&state.store, &wanted, req, today, sort)
                                .await
                                .unwrap();
                        let ix = faro_web::finder::courses_from_index(
                            &state, &wanted, "", req, today, sort,
                        )
                        .await
                        .unwrap();
                        let ids = |l: &faro_store::courses::Listed| -> Vec<String> {
                            l.items.iter().map(|s| s.course.id.clone()).collect()
                        };
                        let at = format!("{f:?} at {today}, {sort:?}, page {page}");
                        assert_eq!(ix.total, sql.total, "total of {at}");
                        assert_eq!(ids(&ix), ids(&sql), "page of {at}");
                        assert_eq!(ix.facets, sql.facets, "facets of {at}");
                        compared += 1;
                        if sql.total > 0 {
                            nonempty += 1;
                        }
                    }
                }
            }
        }
        // The comparison saw real lists, not only empty ones.
        assert!(nonempty * 2 > compared, "{nonempty} of {compared}");
    }
}

#[tokio::test]
async fn the_finder_counts_a_change_at_once_and_uses_the_index_once_it_caught_up() {
    for db in testing::all_backends().await {
        demo::load(&db.store).await.unwrap();
        let providers: Vec<String> = PROVIDERS.iter().map(|s| s.to_string()).collect();
        let items = testing::synth_courses(40, &providers, day("2021-06-01"), 3);
        let actor = Actor::new("test", None);
        faro_store::courses::upsert_all(&db.store, &items, &actor)
            .await
            .unwrap();
        let state = site(&db, "2021-06-01").await;
        let today = day("2021-06-01");
        let all = |s: &faro_web::AppState| {
            let s = s.clone();
            async move {
                faro_web::finder::courses(&s, &[], "", PageReq::new(1, 20), today, Sort::Newest)
                    .await
                    .unwrap()
            }
        };
        let before = all(&state).await;
        assert!(before.from_index, "a current index answers");
        // A new course: listed and counted at once, from SQL.
        let mut c = testing::synth_courses(1, &["ina".into()], today, 99).remove(0);
        c.id = "c-finder-new".into();
        faro_store::courses::upsert_all(&db.store, std::slice::from_ref(&c), &actor)
            .await
            .unwrap();
        let after = all(&state).await;
        assert!(
            !after.from_index,
            "an index behind the data does not answer"
        );
        assert_eq!(after.listed.total, before.listed.total + 1);
        // Once the follower applied the outbox, the index answers the same.
        let mut f =
            faro_web::search::Follower::new(db.store.clone(), state.search.clone().unwrap());
        f.sync_once().await.unwrap();
        let caught_up = all(&state).await;
        assert!(caught_up.from_index);
        assert_eq!(caught_up.listed.total, after.listed.total);
        assert_eq!(caught_up.listed.facets, after.listed.facets);
        // A provider moves country: its courses are re-indexed with it.
        let mut ina = faro_store::institutions::get(&db.store, "ina")
            .await
            .unwrap();
        ina.country = Some("PA".into());
        faro_store::institutions::update(&db.store, &ina, &actor, None)
            .await
            .unwrap();
        f.sync_once().await.unwrap();
        let wanted = vec![("country".to_string(), "PA".to_string())];
        let sql = faro_store::courses::list(
            &state.store,
            &wanted,
            PageReq::new(1, 20),
            today,
            Sort::Newest,
        )
        .await
        .unwrap();
        let ix = faro_web::finder::courses_from_index(
            &state,
            &wanted,
            "",
            PageReq::new(1, 20),
            today,
            Sort::Newest,
        )
        .await
        .unwrap();
        assert!(sql.total > 0);
        assert_eq!(ix.total, sql.total);
        assert_eq!(ix.facets, sql.facets);
    }
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String) {
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

#[tokio::test]
async fn the_finder_searches_course_texts_with_its_filters() {
    let db = testing::sqlite().await;
    demo::load(&db.store).await.unwrap();
    let providers: Vec<String> = PROVIDERS.iter().map(|s| s.to_string()).collect();
    let mut items = testing::synth_courses(30, &providers, day("2021-06-01"), 5);
    items[3].title_es = "Soldadura submarina para principiantes".into();
    items[3].original_language = "es".into();
    faro_store::courses::upsert_all(&db.store, &items, &Actor::new("t", None))
        .await
        .unwrap();
    let state = site(&db, "2021-06-01").await;
    let app = faro_web::router(state);
    let (s, html) = get(&app, "/es/courses?q=soldadura+submarina").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(&format!("/es/courses/{}\"", items[3].id)),
        "{html}"
    );
    assert!(
        html.contains("value=\"soldadura submarina\""),
        "the box keeps the words"
    );
    // Best match first by default, and the filters keep the words.
    assert!(html.contains("<strong aria-current=\"true\">Más pertinentes</strong>"));
    assert!(html.contains("q=soldadura%20submarina") || html.contains("q=soldadura+submarina"));
    let api: serde_json::Value = {
        let (s, body) = get(&app, "/api/v1/courses?q=soldadura%20submarina").await;
        assert_eq!(s, StatusCode::OK, "{body}");
        serde_json::from_str(&body).unwrap()
    };
    assert_eq!(api["total"], 1);
    assert_eq!(api["items"][0]["id"], items[3].id.as_str());
    // A filter the course does not meet leaves nothing.
    let other = if items[3].providers[0] == "sena" {
        "senai"
    } else {
        "sena"
    };
    let (_, body) = get(
        &app,
        &format!("/api/v1/courses?q=soldadura%20submarina&provider={other}"),
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["total"], 0, "{body}");
    // Without an index, words get a clear answer, not a list that ignores them.
    let bare = faro_web::router(faro_web::AppState {
        store: db.store.clone(),
        search: None,
        config: Arc::new(faro_web::WebConfig::default()),
    });
    let (s, html) = get(&bare, "/en/courses?q=soldadura").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Searching course texts is not available right now"));
    let (s, _) = get(&bare, "/api/v1/courses?q=soldadura").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
}

/// Generated measures from the demo's: other ids, institutions, codes,
/// target groups, statuses and start years (some none), so every
/// observatory facet has several values.
async fn more_measures(store: &faro_store::Store) -> usize {
    let demo = faro_store::observatory::walk(store, None, 1000)
        .await
        .unwrap();
    let codes: Vec<String> = faro_domain::observatory::current()
        .codes
        .iter()
        .filter(|c| c.parent.is_some())
        .map(|c| c.code.clone())
        .collect();
    let groups = faro_domain::observatory::TARGET_GROUPS;
    let mut out = Vec::new();
    for i in 0..150usize {
        let mut m = demo[i % demo.len()].clone();
        m.id = format!("m-finder-{i:03}");
        m.title_es = format!("Medida generada {i} sobre formación a distancia");
        m.categories = vec![
            codes[i % codes.len()].clone(),
            codes[(i * 7 + 3) % codes.len()].clone(),
        ];
        m.categories.dedup();
        m.target_groups = (0..i % 3)
            .map(|k| groups[(i + k) % groups.len()].to_string())
            .collect();
        m.status = ["verified", "submitted", "verified", "draft"][i % 4].to_string();
        m.start_date = match i % 5 {
            0 => String::new(),
            k => format!("202{}-0{}-1{}", k - 1, k, k),
        };
        m.end_date = String::new();
        out.push(m);
    }
    let n = out.len();
    faro_store::observatory::upsert_all(store, &out, &Actor::new("test", None))
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn the_observatory_answered_by_the_index_equals_sql_and_searches_with_its_filters() {
    for db in testing::all_backends().await {
        demo::load(&db.store).await.unwrap();
        more_measures(&db.store).await;
        let state = site(&db, "2021-06-01").await;
        let cases: Vec<Vec<(&str, &str)>> = vec![
            vec![],
            vec![("country", "CO")],
            vec![("country", "none")],
            vec![("institution", "sena"), ("category", "C")],
            vec![("category", "C2")],
            vec![("category", "E"), ("category", "T1")],
            vec![("target_group", "youth"), ("status", "verified")],
            vec![("year", "unknown")],
            vec![("year", "2021"), ("country", "BR")],
            vec![("status", "draft")],
        ];
        let mut seen = 0;
        for case in cases {
            let wanted: Vec<(String, String)> = case
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let mut f = faro_store::observatory::Filter::default();
            for (k, v) in &case {
                let list = match *k {
                    "country" => &mut f.country,
                    "institution" => &mut f.institution,
                    "category" => &mut f.category,
                    "target_group" => &mut f.target_group,
                    "status" => &mut f.status,
                    _ => &mut f.year,
                };
                list.push(v.to_string());
            }
            for page in [1, 2] {
                let req = PageReq::new(page, 20);
                let sql = faro_store::observatory::list(&state.store, &f, req)
                    .await
                    .unwrap();
                let ix = faro_web::finder::measures(&state, &wanted, "", req)
                    .await
                    .unwrap()
                    .expect("an index");
                let ids = |l: &faro_store::observatory::Listed| -> Vec<String> {
                    l.items.iter().map(|m| m.id.clone()).collect()
                };
                assert_eq!(ix.total, sql.total, "total of {case:?}");
                assert_eq!(ids(&ix), ids(&sql), "page {page} of {case:?}");
                assert_eq!(ix.facets, sql.facets, "facets of {case:?}");
                seen += sql.total;
            }
        }
        assert!(seen > 100);
        // The observatory's own box: words and filters, in the observatory.
        let app = faro_web::router(state);
        let (s, html) = get(&app, "/es/observatory?q=medida+generada&status=submitted").await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("value=\"medida generada\""));
        assert!(
            html.contains("/es/observatory/measures/m-finder-001\""),
            "{html}"
        );
        assert!(
            !html.contains("/es/observatory/measures/m-finder-000\""),
            "a verified one is filtered out"
        );
        assert!(
            !html.contains("/es/observatory/measures/m-finder-003\""),
            "drafts are never listed"
        );
        // Facet links keep the words.
        assert!(html.contains("q=medida"), "facet links keep the words");
    }
}
