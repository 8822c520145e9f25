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
