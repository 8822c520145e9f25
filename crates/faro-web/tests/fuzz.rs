//! Property tests (issue 17, item 12) of what the web edge parses: query
//! strings of the lists, search and the API, OAI-PMH arguments and
//! resumption tokens, and form bodies. Whatever arrives, the answer is a
//! 2xx/3xx/4xx (OAI-PMH: 200 with an OAI-PMH document, errors included),
//! never a server error or a panic.
//!
//! Short by default (64 cases a property); long: `PROPTEST_CASES=5000
//! cargo test -p faro-web --test fuzz --release`. Failures are kept in
//! `proptest-regressions/fuzz.txt`.

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use faro_store::{demo, testing};
use http_body_util::BodyExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use tower::ServiceExt;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        max_shrink_iters: 500,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}

struct Site {
    rt: tokio::runtime::Runtime,
    app: Router,
    _db: testing::TestDb,
    _dir: tempfile::TempDir,
}

fn site() -> Site {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (db, app) = rt.block_on(async {
        let db = testing::sqlite().await;
        demo::load(&db.store).await.unwrap();
        let (index, _) = faro_web::search::open(&db.store, &dir.path().join("index"))
            .await
            .unwrap();
        let state = faro_web::AppState::new(db.store.clone()).with_search(index);
        (db, faro_web::router(state))
    });
    Site {
        rt,
        app,
        _db: db,
        _dir: dir,
    }
}

impl Site {
    fn send(&self, method: &str, uri: &str, ctype: &str, body: Vec<u8>) -> (u16, String) {
        self.rt.block_on(async {
            let mut req = Request::builder().method(method).uri(uri);
            if !ctype.is_empty() {
                req = req.header("content-type", ctype);
            }
            let res = self
                .app
                .clone()
                .oneshot(req.body(Body::from(body)).unwrap())
                .await
                .unwrap();
            let status = res.status().as_u16();
            let body = res.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8_lossy(&body).into_owned())
        })
    }
}

/// Percent-encodes every byte that is not unreserved, so any text reaches
/// the parsers as the value the client meant.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{0,8}",
        "-?[0-9]{1,25}",
        "[A-Za-z]{0,3}",
        Just("none".to_string()),
        Just("unknown".to_string()),
        "[a-z0-9%&=+;#?/ \t\r\n]{0,20}",
    ]
}

/// A query string of known and unknown keys, repeated or not; sometimes
/// raw (not percent-encoded) bytes.
fn query(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let pair = (prop::sample::select(keys), value());
    prop_oneof![
        proptest::collection::vec(pair, 0..6).prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(k, v)| format!("{k}={}", enc(&v)))
                .collect::<Vec<_>>()
                .join("&")
        }),
        "[a-z=&%0-9A-F+]{0,40}",
    ]
}

const LIST_KEYS: &[&str] = &[
    "page",
    "per_page",
    "q",
    "sort",
    "country",
    "institution",
    "category",
    "target_group",
    "status",
    "year",
    "type",
    "topic",
    "language",
    "license",
    "kind",
    "member",
    "presenter",
    "availability",
    "cost",
    "provider",
    "subject",
    "level",
    "tz",
    "x",
];

const OAI_KEYS: &[&str] = &[
    "verb",
    "identifier",
    "metadataPrefix",
    "from",
    "until",
    "set",
    "resumptionToken",
    "junk",
];

#[test]
fn list_and_api_query_strings_never_fail_the_server() {
    let s = site();
    let paths = [
        "/api/v1/institutions",
        "/api/v1/measures",
        "/api/v1/resources",
        "/api/v1/courses",
        "/api/v1/search",
        "/en/search",
        "/es/institutions",
        "/en/observatory",
        "/pt/resources",
        "/en/courses",
        "/feeds/resources.atom",
        "/en/events/vc2020-01",
    ];
    let mut runner = TestRunner::new(config());
    runner
        .run(
            &(prop::sample::select(paths.to_vec()), query(LIST_KEYS)),
            |(path, q)| {
                let (status, body) = s.send("GET", &format!("{path}?{q}"), "", Vec::new());
                prop_assert!(status < 500, "{}?{} -> {}: {}", path, q, status, body);
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn oai_arguments_and_tokens_never_fail_the_server() {
    let s = site();
    // A real token to damage.
    let (_, body) = s.send(
        "GET",
        "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
        "",
        Vec::new(),
    );
    let token = body
        .split("<resumptionToken")
        .nth(1)
        .and_then(|t| t.split('>').nth(1))
        .and_then(|t| t.split('<').next())
        .unwrap_or("")
        .to_string();
    let verbs = [
        "Identify",
        "ListRecords",
        "ListIdentifiers",
        "ListSets",
        "ListMetadataFormats",
        "GetRecord",
        "Bogus",
    ];
    let damaged = {
        let token = token.clone();
        (0..token.len().max(1), any::<char>()).prop_map(move |(i, c)| {
            let mut t: Vec<char> = token.chars().collect();
            if i < t.len() {
                t[i] = c;
            } else {
                t.push(c);
            }
            t.into_iter().collect::<String>()
        })
    };
    let mut runner = TestRunner::new(config());
    runner
        .run(
            &(
                prop::sample::select(verbs.to_vec()),
                query(OAI_KEYS),
                damaged,
                any::<bool>(),
            ),
            |(verb, q, token, post)| {
                let q = format!("verb={verb}&{q}&resumptionToken={}", enc(&token));
                let (status, body) = if post {
                    s.send(
                        "POST",
                        "/oai",
                        "application/x-www-form-urlencoded",
                        q.clone().into_bytes(),
                    )
                } else {
                    s.send("GET", &format!("/oai?{q}"), "", Vec::new())
                };
                prop_assert_eq!(status, 200, "{} -> {}", q, body);
                prop_assert!(body.contains("<OAI-PMH"), "{} -> {}", q, body);
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn form_bodies_never_fail_the_server() {
    let s = site();
    let paths = [
        "/en/login",
        "/es/password-reset",
        "/en/observatory/measures/m-sena-medical-material/corrections",
        "/en/events/vc2020-01/register",
        "/pt/surveys/member-survey-2020/code",
    ];
    let keys: &'static [&'static str] = &[
        "csrf", "email", "password", "next", "name", "country", "consent", "field", "value",
        "code", "website",
    ];
    let body = prop_oneof![
        query(keys),
        proptest::collection::vec(any::<u8>(), 0..200)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ];
    let ctype = prop::sample::select(vec![
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xx",
        "text/plain",
        "",
    ]);
    let mut runner = TestRunner::new(config());
    runner
        .run(
            &(prop::sample::select(paths.to_vec()), body, ctype),
            |(path, body, ctype)| {
                let (status, text) = s.send("POST", path, ctype, body.clone().into_bytes());
                prop_assert!(
                    status < 500,
                    "POST {} ({}) {:?} -> {}: {}",
                    path,
                    ctype,
                    body,
                    status,
                    text
                );
                Ok(())
            },
        )
        .unwrap();
}
