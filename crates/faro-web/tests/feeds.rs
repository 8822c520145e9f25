//! The observatory's Atom feeds (issue 11 item 14), read by feedparser: new
//! and changed measures newest first under the observatory's filters, and
//! accepted corrections without anything private. SQLite always,
//! PostgreSQL when `FARO_TEST_DATABASE_URL` is set.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use faro_store::changes::Actor;
use faro_store::{demo, testing};
use http_body_util::BodyExt;
use tower::ServiceExt;

mod common;

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

/// feedparser's reading: (feed title, entry ids' last segment, entry titles).
fn parse(xml: &str) -> Option<(String, Vec<String>, Vec<String>)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.atom");
    std::fs::write(&path, xml).unwrap();
    let code = "import sys, json\nimport feedparser\nf = feedparser.parse(open(sys.argv[1], 'rb').read())\nassert not f.bozo, f.bozo_exception\nassert f.version == 'atom10', f.version\nprint(json.dumps([f.feed.title, [e.id.rsplit('/', 1)[1] for e in f.entries], [e.title for e in f.entries]]))";
    let out = common::python(code, &path, "feedparser")?;
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let strings = |x: &serde_json::Value| -> Vec<String> {
        x.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    Some((
        v[0].as_str().unwrap().to_string(),
        strings(&v[1]),
        strings(&v[2]),
    ))
}

#[tokio::test]
async fn measures_and_corrections_feeds_read_by_feedparser() {
    for db in testing::all_backends().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let app = faro_web::router(faro_web::AppState::new(s.clone()));
        let (status, xml) = get(&app, "/feeds/measures.atom?lang=es").await;
        assert_eq!(status, StatusCode::OK);
        let Some((title, ids, _)) = parse(&xml) else {
            continue;
        };
        assert_eq!(title, "Observatorio de medidas", "{}", db.label);
        assert!(!ids.is_empty() && ids.len() <= 50);
        // A changed measure comes first.
        let last = ids.last().unwrap().clone();
        let mut m = faro_store::observatory::get(s, &last).await.unwrap();
        m.title_es = format!("{} (actualizada)", m.title_es);
        faro_store::observatory::save(s, &m, &Actor::new("t", None), None)
            .await
            .unwrap();
        let (_, xml) = get(&app, "/feeds/measures.atom?lang=es").await;
        let (_, ids, titles) = parse(&xml).unwrap();
        assert_eq!(ids[0], last, "{}", db.label);
        assert!(titles[0].ends_with("(actualizada)"));
        // The observatory's filters: the same measures as the API's list.
        let (_, xml) = get(&app, "/feeds/measures.atom?country=BR&lang=pt").await;
        let (_, mut ids, _) = parse(&xml).unwrap();
        let (_, api) = get(&app, "/api/v1/measures?country=BR&per_page=200").await;
        let api: serde_json::Value = serde_json::from_str(&api).unwrap();
        let mut want: Vec<String> = api["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect();
        assert!(!want.is_empty() && want.len() <= 50, "{}", want.len());
        ids.sort();
        want.sort();
        assert_eq!(ids, want, "{}", db.label);
        let (status, _) = get(&app, "/feeds/measures.atom?year=x%00").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        // Corrections: only accepted ones, nothing private.
        let (_, xml) = get(&app, "/feeds/corrections.atom").await;
        assert!(parse(&xml).unwrap().1.is_empty());
        let mut made = Vec::new();
        for what in [
            "La fecha de inicio es otra según el informe.",
            "El título está mal escrito en portugués.",
            "Falta la categoría de formación docente.",
        ] {
            let id = faro_store::corrections::suggest(
                s,
                &m.id,
                what,
                "",
                "secret.person@example.org",
                "127.0.0.9",
            )
            .await
            .unwrap()
            .unwrap();
            made.push(id);
        }
        let current = faro_store::observatory::get(s, &m.id).await.unwrap();
        faro_store::corrections::accept(
            s,
            made[0],
            &current,
            None,
            "Fecha corregida.",
            "coord@faro.test",
        )
        .await
        .unwrap();
        faro_store::corrections::reject(s, made[1], "No es un error.", "coord@faro.test")
            .await
            .unwrap();
        let (_, xml) = get(&app, "/feeds/corrections.atom?lang=en").await;
        let (title, ids, titles) = parse(&xml).unwrap();
        assert_eq!(title, "Corrections log");
        assert_eq!(ids, vec![made[0].to_string()], "{}", db.label);
        assert_eq!(
            titles[0],
            format!("Correction #{} to measure {}", made[0], m.id)
        );
        assert!(xml.contains("Fecha corregida."));
        for private in [
            "secret.person@example.org",
            "127.0.0.9",
            "coord@faro.test",
            "No es un error",
        ] {
            assert!(!xml.contains(private), "{private} in the feed");
        }
        // Linked from the observatory and the corrections log.
        let (_, page) = get(&app, "/es/observatory").await;
        assert!(page.contains("href=\"/feeds/measures.atom?lang=es\""));
        let (_, page) = get(&app, "/pt/observatory/corrections").await;
        assert!(page.contains("href=\"/feeds/corrections.atom?lang=pt\""));
    }
}
