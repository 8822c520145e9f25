//! Shared by the HTTP tests that sign in: a cookie-keeping client that reads
//! CSRF tokens from pages, and sites with demo data and three accounts
//! (a coordinator, SENA's editor, SENAI's editor).
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use faro_domain::accounts::Role;
use faro_store::changes::Actor;
use faro_store::{accounts, demo, testing};
use http_body_util::BodyExt;
use std::collections::HashMap;
use tower::ServiceExt;

pub const PW: &str = "correct horse battery";

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn header(&self, n: &str) -> String {
        self.headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A browser: keeps cookies, reads CSRF tokens from the pages it gets.
#[derive(Clone)]
pub struct Client {
    pub app: Router,
    pub cookies: HashMap<String, String>,
    pub headers: Vec<(String, String)>,
}

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl Client {
    pub fn new(app: &Router) -> Self {
        Client {
            app: app.clone(),
            cookies: HashMap::new(),
            headers: vec![],
        }
    }

    pub async fn send(&mut self, method: &str, uri: &str, body: Option<(String, &str)>) -> Resp {
        let mut req = Request::builder().method(method).uri(uri);
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req = req.header("cookie", c.join("; "));
        }
        for (k, v) in &self.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        let body = match body {
            Some((b, ct)) => {
                req = req.header("content-type", ct);
                Body::from(b)
            }
            None => Body::empty(),
        };
        let res = self
            .app
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        for sc in headers.get_all("set-cookie") {
            let sc = sc.to_str().unwrap();
            let (kv, attrs) = sc.split_once(';').unwrap_or((sc, ""));
            let (k, v) = kv.split_once('=').unwrap();
            if v.is_empty() || attrs.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn send_bytes(
        &mut self,
        method: &str,
        uri: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> Resp {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", content_type);
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req = req.header("cookie", c.join("; "));
        }
        let res = self
            .app
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&mut self, uri: &str) -> Resp {
        self.send("GET", uri, None).await
    }

    /// A GET's body as bytes (binary downloads: XLSX, PDF).
    pub async fn get_bytes(&mut self, uri: &str) -> Vec<u8> {
        let mut req = Request::builder().method("GET").uri(uri);
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req = req.header("cookie", c.join("; "));
        }
        let res = self
            .app
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "GET {uri}");
        res.into_body().collect().await.unwrap().to_bytes().to_vec()
    }

    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Resp {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        self.send(
            "POST",
            uri,
            Some((body.join("&"), "application/x-www-form-urlencoded")),
        )
        .await
    }

    /// The CSRF token of the forms on `uri`.
    pub async fn csrf(&mut self, uri: &str) -> String {
        let r = self.get(uri).await;
        r.body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .unwrap_or_default()
    }

    /// Posts a form with this client's valid CSRF token.
    pub async fn submit(&mut self, form_page: &str, uri: &str, fields: &[(&str, &str)]) -> Resp {
        let csrf = self.csrf(form_page).await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(uri, &all).await
    }

    pub async fn login(app: &Router, email: &str) -> Client {
        let mut c = Client::new(app);
        let r = c
            .submit(
                "/en/login",
                "/en/login",
                &[("email", email), ("password", PW)],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login of {email} failed: {}",
            r.body
        );
        assert!(c.cookies.contains_key("faro_session"));
        c
    }
}

pub struct Site {
    pub db: testing::TestDb,
    pub app: Router,
}

pub async fn site_with(db: testing::TestDb, config: faro_web::WebConfig) -> Site {
    demo::load(&db.store).await.unwrap();
    let hash = accounts::hash_password(PW.into()).await.unwrap();
    let a = Actor::new("test-setup", None);
    for (email, role, inst) in [
        ("coord@faro.test", Role::Coordinator, vec![]),
        ("ed-sena@faro.test", Role::Editor, vec!["sena".to_string()]),
        (
            "ed-senai@faro.test",
            Role::Editor,
            vec!["senai".to_string()],
        ),
    ] {
        accounts::create_user(&db.store, email, role, &inst, Some(hash.clone()), &a)
            .await
            .unwrap();
    }
    let state = faro_web::AppState {
        search: None,
        store: db.store.clone(),
        config: std::sync::Arc::new(config),
    };
    let app = faro_web::router(state);
    Site { db, app }
}

pub async fn sites() -> Vec<Site> {
    let mut v = Vec::new();
    for db in testing::all_backends().await {
        let files =
            std::env::temp_dir().join(format!("faro-acc-files-{}-{}", std::process::id(), v.len()));
        let cfg = faro_web::WebConfig {
            files_dir: Some(files),
            ..Default::default()
        };
        v.push(site_with(db, cfg).await);
    }
    v
}

/// A minimal SMTP sink: accepts one session per connection and keeps the
/// message text, so the real e-mail path is exercised without the internet.
pub async fn smtp_sink() -> (u16, std::sync::Arc<tokio::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let inbox2 = inbox.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let inbox = inbox2.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.ok();
                let mut data = false;
                let mut msg = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if data {
                        if line == "." {
                            data = false;
                            inbox.lock().await.push(std::mem::take(&mut msg));
                            w.write_all(b"250 ok\r\n").await.ok();
                        } else {
                            msg.push_str(&line);
                            msg.push('\n');
                        }
                        continue;
                    }
                    let up = line.to_ascii_uppercase();
                    let reply: &[u8] = if up.starts_with("EHLO") || up.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if up.starts_with("DATA") {
                        data = true;
                        b"354 go\r\n"
                    } else if up.starts_with("QUIT") {
                        w.write_all(b"221 bye\r\n").await.ok();
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    w.write_all(reply).await.ok();
                }
            });
        }
    });
    (port, inbox)
}

/// Runs `code` with python3 on `input` (a file path); `None` when python or
/// the module is missing outside CI (under `CI=true` that fails the test).
pub fn python(code: &str, input: &std::path::Path, module: &str) -> Option<String> {
    let out = std::process::Command::new("python3")
        .args(["-c", code])
        .arg(input)
        .output();
    let ci = std::env::var("CI").as_deref() == Ok("true");
    match out {
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("ModuleNotFoundError") => {
            assert!(!ci, "CI=true but python module {module} is missing");
            eprintln!("SKIPPED: check with {module} (pip install {module})");
            None
        }
        Ok(o) => {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            Some(String::from_utf8_lossy(&o.stdout).into_owned())
        }
        Err(e) => {
            assert!(!ci, "CI=true but python3 is missing: {e}");
            None
        }
    }
}
