//! The shared search through its public surface: page, API, freshness,
//! languages and hostile input, on SQLite and PostgreSQL.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use faro_store::changes::Actor;
use faro_store::{demo, institutions, testing};
use http_body_util::BodyExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

async fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    let res = app
        .clone()
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn json(app: &Router, uri: &str) -> serde_json::Value {
    let (s, b) = get(app, uri).await;
    assert_eq!(s, StatusCode::OK, "{uri}: {b}");
    serde_json::from_str(&b).unwrap()
}

struct Site {
    db: testing::TestDb,
    app: Router,
    index: Arc<faro_search::SearchIndex>,
    _dir: tempfile::TempDir,
}

async fn site(db: testing::TestDb) -> Site {
    demo::load(&db.store).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (index, state) = faro_web::search::open(&db.store, dir.path()).await.unwrap();
    assert_eq!(state, faro_web::search::StartState::Rebuilt);
    let app =
        faro_web::router(faro_web::AppState::new(db.store.clone()).with_search(index.clone()));
    Site {
        db,
        app,
        index,
        _dir: dir,
    }
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn finds_across_accents_plurals_and_languages() {
    for db in testing::all_backends().await {
        let s = site(db).await;
        let v = json(&s.app, "/api/v1/search?q=SENAI").await;
        assert_eq!(ids(&v)[0], "senai", "{}", s.db.label);
        assert_eq!(v["hits"][0]["path"], "/institutions/senai");
        // Accent folding: "Haiti" finds the institution in Haïti by its French name…
        let v = json(&s.app, "/api/v1/search?q=Haiti").await;
        assert!(ids(&v).contains(&"infp".to_string()), "{v}");
        // …and "formacao" finds "Formação" (IEFP's Portuguese name).
        let v = json(&s.app, "/api/v1/search?q=formacao").await;
        assert!(ids(&v).contains(&"iefp-pt".to_string()), "{v}");
        // Stemming: "services" finds "Service".
        let v = json(&s.app, "/api/v1/search?q=services&per_page=100").await;
        assert!(ids(&v).contains(&"sena".to_string()));
        // Vocabulary labels in three languages: a Portuguese kind label finds
        // records whose own names are in English.
        let v = json(
            &s.app,
            "/api/v1/search?q=organismo%20internacional&per_page=100",
        )
        .await;
        let found = ids(&v);
        assert!(
            found.contains(&"unesco".to_string()) && found.contains(&"etf".to_string()),
            "{found:?}"
        );
        // Country names in any language.
        let v = json(&s.app, "/api/v1/search?q=Alemanha").await;
        assert_eq!(ids(&v), vec!["bibb"]);
        // Event sessions are searchable, by their titles and by "Sessão 4".
        let v = json(&s.app, "/api/v1/search?q=apprenticeship&type=session").await;
        assert_eq!(ids(&v), vec!["vc2020-04", "vc2020-11"], "{v}");
        assert_eq!(v["hits"][0]["path"], "/events/vc2020-04");
        let v = json(&s.app, "/api/v1/search?q=sess%C3%A3o%204&type=session").await;
        assert_eq!(ids(&v)[0], "vc2020-04", "{v}");
        // Facets with counts, and filtering by them.
        let v = json(&s.app, "/api/v1/search?q=national&per_page=5").await;
        let countries = v["facets"]["country"].as_array().unwrap();
        let total: u64 = v["total"].as_u64().unwrap();
        assert!(total > 5);
        let br = countries
            .iter()
            .find(|c| c["value"] == "BR")
            .map(|c| c["count"].as_u64().unwrap())
            .unwrap_or(0);
        let f = json(&s.app, "/api/v1/search?q=national&country=BR&per_page=100").await;
        assert_eq!(f["total"].as_u64().unwrap(), br);
        assert!(f["hits"].as_array().unwrap().len() as u64 == br);
    }
}

#[tokio::test]
async fn search_page_works_without_javascript() {
    let s = site(testing::sqlite().await).await;
    let (status, html) = get(&s.app, "/es/search?q=capacitacion").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"es\">"));
    assert!(html.contains("name=\"q\""));
    // Highlighted snippets are escaped text with <mark>.
    let (_, html) = get(&s.app, "/en/search?q=learning").await;
    assert!(html.contains("<mark>"), "{html}");
    assert!(html.contains("href=\"/en/institutions/sena\""));
    // Facet links add and remove filters; counts are shown.
    let (_, html) = get(&s.app, "/pt/search?q=national").await;
    assert!(html.contains("Refinar"));
    let facet_link = html
        .split("href=\"")
        .filter(|s| s.contains("country=BR"))
        .map(|s| s.split('"').next().unwrap().to_string())
        .next();
    assert!(facet_link.is_some(), "{html}");
    let (_, html) = get(&s.app, "/pt/search?q=national&country=BR").await;
    assert!(html.contains("Brasil"));
    assert!(html.contains("<input type=\"hidden\" name=\"country\" value=\"BR\">"));
    // Sorting by date is accepted; pages are linked.
    let (status, _) = get(&s.app, "/en/search?sort=date").await;
    assert_eq!(status, StatusCode::OK);
    let (_, html) = get(&s.app, "/en/search?per_page=10").await;
    assert!(html.contains("rel=\"next\""));
}

#[tokio::test]
async fn hostile_input_gets_results_or_a_clear_message() {
    let s = site(testing::sqlite().await).await;
    let ten_kb = "docente ".repeat(1250);
    let too_long = "a".repeat(10 * 1024 + 1);
    for q in [
        "%22unbalanced",
        "AND%20OR%20NOT%20%2B%2B",
        "%28%29%5B%5D%7B%7D%3A%5E~*",
        "%00%07docente",
        "%E2%80%AE%F0%9F%92%A5",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ] {
        let (status, html) = get(&s.app, &format!("/en/search?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "{q}");
        assert!(!html.contains("<script>alert"));
        let (status, _) = get(&s.app, &format!("/api/v1/search?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "{q}");
    }
    let started = Instant::now();
    let (status, html) = get(
        &s.app,
        &format!("/en/search?q={}", ten_kb.replace(' ', "+")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("only its first words were used"));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a 10 KB query must not hang"
    );
    let (status, html) = get(&s.app, &format!("/es/search?q={too_long}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("demasiado largo"));
    for (uri, code) in [
        ("/api/v1/search?sort=sideways", StatusCode::BAD_REQUEST),
        ("/api/v1/search?page=0", StatusCode::BAD_REQUEST),
        ("/api/v1/search?q=a&q=b", StatusCode::BAD_REQUEST),
        ("/api/v1/search?country=ZZ", StatusCode::OK),
        ("/api/v1/search?type=nonsense", StatusCode::OK),
    ] {
        let (status, body) = get(&s.app, uri).await;
        assert_eq!(status, code, "{uri}: {body}");
    }
    let v = json(&s.app, "/api/v1/search?country=ZZ").await;
    assert_eq!(v["total"], 0);
    // Without an index the answer is a clear 503, not a crash.
    let no_index = faro_web::router(faro_web::AppState::new(s.db.store.clone()));
    let (status, body) = get(&no_index, "/api/v1/search?q=x").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("search_unavailable"));
}

#[tokio::test]
async fn committed_writes_are_searchable_within_a_second() {
    for db in testing::all_backends().await {
        let s = site(db).await;
        let follower = faro_web::search::Follower::new(s.db.store.clone(), s.index.clone())
            .spawn(Duration::from_millis(100));
        let mut ina = institutions::get(&s.db.store, "ina").await.unwrap();
        ina.description_es = Some("Programas de apoyo a las pymes costarricenses".into());
        let t = Instant::now();
        institutions::update(&s.db.store, &ina, &Actor::new("t", None), None)
            .await
            .unwrap();
        loop {
            let v = json(&s.app, "/api/v1/search?q=costarricenses").await;
            if ids(&v) == vec!["ina"] {
                break;
            }
            assert!(
                t.elapsed() < Duration::from_secs(1),
                "{}: not searchable after 1 s",
                s.db.label
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        eprintln!("{}: searchable after {:?}", s.db.label, t.elapsed());
        // A delete disappears, a restore comes back.
        institutions::set_deleted(&s.db.store, "ina", true, &Actor::new("t", None))
            .await
            .unwrap();
        let t = Instant::now();
        while !ids(&json(&s.app, "/api/v1/search?q=costarricenses").await).is_empty() {
            assert!(
                t.elapsed() < Duration::from_secs(1),
                "deleted record still found"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        follower.abort();
    }
}

#[tokio::test]
async fn a_second_process_on_the_same_database_follows_the_outbox() {
    // Two indexes (two "processes") over one database: a write through
    // either store is seen by both followers.
    for db in testing::all_backends().await {
        let a = site(db).await;
        let dir_b = tempfile::tempdir().unwrap();
        let store_b = faro_store::Store::connect(&a.db.url).await.unwrap();
        let (index_b, _) = faro_web::search::open(&store_b, dir_b.path())
            .await
            .unwrap();
        let mut fa = faro_web::search::Follower::new(a.db.store.clone(), a.index.clone());
        let mut fb = faro_web::search::Follower::new(store_b.clone(), index_b.clone());
        let mut bibb = institutions::get(&store_b, "bibb").await.unwrap();
        bibb.description_en = Some("Bundesinstitut für Berufsbildung".into());
        // A saved profile needs a name (issue 11, item 8); the demo row has none.
        bibb.name_en = "Federal Institute for Vocational Education and Training".into();
        institutions::update(&store_b, &bibb, &Actor::new("b", None), None)
            .await
            .unwrap();
        fa.sync_once().await.unwrap();
        fb.sync_once().await.unwrap();
        for ix in [&a.index, &index_b] {
            let r = ix
                .search(&faro_search::SearchRequest {
                    q: "bundesinstitut".into(),
                    page: 1,
                    per_page: 5,
                    ..Default::default()
                })
                .unwrap();
            assert_eq!(r.hits.len(), 1, "{}", a.db.label);
            assert_eq!(r.hits[0].id, "bibb");
        }
    }
}

#[tokio::test]
async fn startup_rebuilds_missing_corrupt_or_foreign_indexes() {
    let db = testing::sqlite().await;
    demo::load(&db.store).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (ix, state) = faro_web::search::open(&db.store, dir.path()).await.unwrap();
    assert_eq!(state, faro_web::search::StartState::Rebuilt);
    assert_eq!(
        ix.num_docs(),
        81 + 35 + 16 + 12 + 1 + 2,
        "institutions, measures, resources, sessions, the series and courses"
    );
    // The series is found by its hashtag.
    let r = ix
        .search(&faro_search::SearchRequest {
            q: "NoContagiamosAlEmpleo".into(),
            page: 1,
            per_page: 5,
            ..Default::default()
        })
        .unwrap();
    assert!(
        r.hits
            .iter()
            .any(|h| h.record_type == "series" && h.id == "vc2020"),
        "{:?}",
        r.hits.iter().map(|h| &h.id).collect::<Vec<_>>()
    );
    drop(ix);
    let (ix, state) = faro_web::search::open(&db.store, dir.path()).await.unwrap();
    assert_eq!(state, faro_web::search::StartState::UpToDate);
    drop(ix);
    // Corrupt: rebuilt.
    std::fs::write(dir.path().join("meta.json"), b"garbage").unwrap();
    let (ix, state) = faro_web::search::open(&db.store, dir.path()).await.unwrap();
    assert_eq!(state, faro_web::search::StartState::Rebuilt);
    assert_eq!(
        ix.num_docs(),
        81 + 35 + 16 + 12 + 1 + 2,
        "institutions, measures, resources, sessions, the series and courses"
    );
    drop(ix);
    // Built from another database (stale): rebuilt.
    let other = testing::sqlite().await;
    let (ix, state) = faro_web::search::open(&other.store, dir.path())
        .await
        .unwrap();
    assert_eq!(state, faro_web::search::StartState::Rebuilt);
    assert_eq!(ix.num_docs(), 0);
}

/// Issue 11 item 9, the warning: "your search was long" only when words
/// were really left out, not for a one-letter or stop word.
#[tokio::test]
async fn the_long_search_warning_only_when_words_were_left_out() {
    for db in testing::all_backends().await {
        let s = site(db).await;
        let warning = "Sua busca era longa";
        let (status, page) = get(&s.app, "/pt/search?q=ensino+a+dist%C3%A2ncia").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains(warning), "{}", s.db.label);
        let long: Vec<String> = (0..60).map(|i| format!("palavra{i}")).collect();
        let (_, page) = get(&s.app, &format!("/pt/search?q={}", long.join("+"))).await;
        assert!(page.contains(warning), "{}", s.db.label);
    }
}

/// Issue 11 item 9: four measures with the same title can be told apart
/// (each hit shows its institution's acronym and country), and facet values
/// are labels (acronyms, category names with codes), not ids.
#[tokio::test]
async fn hits_show_who_and_where_and_facets_show_labels() {
    for db in testing::all_backends().await {
        let s = site(db).await;
        let (status, page) = get(&s.app, "/es/search?q=material+m%C3%A9dico").await;
        assert_eq!(status, StatusCode::OK);
        for (acronym, country) in [
            ("INA", "Costa Rica"),
            ("SENA", "Colombia"),
            ("INFOP", "Honduras"),
            ("SENAI", "Brasil"),
        ] {
            assert!(
                page.contains(&format!(
                    "<span class=\"count\">{acronym} · {country}</span>"
                )),
                "{acronym} · {country}: {}",
                s.db.label
            );
        }
        assert!(
            page.contains(">SENA</a> <span class=\"count\">"),
            "institution facet by acronym"
        );
        assert!(!page.contains(">sena</a>"), "no id as a facet label");
        assert!(page.contains(">H1 "), "category facet with its name");
        let (_, page) = get(&s.app, "/es/search?q=material&institution=sena").await;
        assert!(
            page.contains("SENA <span aria-hidden=\"true\">×</span>"),
            "the active filter by acronym"
        );
    }
}

/// Issue 11 item 9: a snippet comes from the reader's language when the
/// record has text in it.
#[tokio::test]
async fn snippets_come_from_the_readers_language() {
    for db in testing::all_backends().await {
        demo::load(&db.store).await.unwrap();
        let mut m = faro_store::observatory::walk(&db.store, None, 1)
            .await
            .unwrap()
            .remove(0);
        m.id = "m-snippet-lang".into();
        m.title_es = "Programa de formación dual".into();
        m.title_en = "Dual training programme".into();
        m.title_pt = String::new();
        m.description_es = "El programa quokka lleva la formación dual a talleres rurales.".into();
        m.description_en = "The quokka programme brings dual training to rural workshops.".into();
        m.description_pt = String::new();
        faro_store::observatory::upsert_all(
            &db.store,
            &[m],
            &faro_store::changes::Actor::new("test", None),
        )
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (index, _) = faro_web::search::open(&db.store, dir.path()).await.unwrap();
        let app = faro_web::router(faro_web::AppState::new(db.store.clone()).with_search(index));
        let (_, en) = get(&app, "/en/search?q=quokka").await;
        assert!(en.contains("brings dual training"), "{}: {en}", db.label);
        assert!(!en.contains("talleres rurales"));
        let (_, es) = get(&app, "/es/search?q=quokka").await;
        assert!(es.contains("talleres rurales"), "{}", db.label);
        assert!(!es.contains("brings dual training"));
        // No Portuguese text: a language where the word was found.
        let (_, pt) = get(&app, "/pt/search?q=quokka").await;
        assert!(pt.contains("<mark>quokka</mark>"), "{}", db.label);
    }
}
