//! Hardening (issue 17) against a real `faro serve` over TCP, on SQLite
//! and on PostgreSQL when `FARO_TEST_DATABASE_URL` is set.

mod common;
use common::*;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const PASSWORD: &str = "hardening test password";

/// Data folders (and database URLs) for each backend, with the demo data
/// and an editor of Cinterfor.
fn backends(tag: &str) -> Vec<(Tmp, Option<String>)> {
    let mut out = vec![(tmpdir(tag), None)];
    if let Some(url) = fresh_postgres() {
        out.push((tmpdir(&format!("{tag}-pg")), Some(url)));
    }
    for (d, url) in &out {
        let data = d.0.join("data");
        assert!(
            faro(&data, url.as_deref(), &["demo", "load"])
                .status
                .success()
        );
        add_user(
            &data,
            url.as_deref(),
            "ed@cinterfor.test",
            &["--role", "editor", "--institution", "cinterfor"],
            PASSWORD,
        );
    }
    out
}

pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        let name = format!("{}:", name.to_ascii_lowercase());
        self.head.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with(&name)
                .then(|| l[name.len()..].trim().to_string())
        })
    }
}

/// Reads one response (head, and a body by Content-Length, chunks or close).
fn read_reply(s: &mut TcpStream) -> Reply {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16384];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if buf.is_empty() => panic!("no answer: {e}"),
            Err(_) => break,
        }
        let text = String::from_utf8_lossy(&buf);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let lower = head.to_ascii_lowercase();
            if let Some(n) = lower
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                && body.len() >= n
            {
                break;
            }
            if lower.contains("transfer-encoding: chunked") && body.ends_with("0\r\n\r\n") {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = String::new();
        let mut rest = body;
        while let Some((size, r)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            out.push_str(&r[..n.min(r.len())]);
            rest = r.get(n + 2..).unwrap_or("");
        }
        out
    } else {
        body.to_string()
    };
    Reply {
        status,
        head: head.to_string(),
        body,
    }
}

/// A browser over raw TCP: keeps cookies, reads CSRF tokens from forms.
pub struct Browser {
    pub addr: String,
    pub cookies: HashMap<String, String>,
}

impl Browser {
    pub fn new(addr: &str) -> Self {
        Browser {
            addr: addr.to_string(),
            cookies: HashMap::new(),
        }
    }
    fn cookie_header(&self) -> String {
        if self.cookies.is_empty() {
            return String::new();
        }
        let c: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!("Cookie: {}\r\n", c.join("; "))
    }
    fn keep_cookies(&mut self, r: &Reply) {
        for l in r.head.lines() {
            if let Some(v) = l
                .strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
            {
                let kv = v.split(';').next().unwrap();
                let (k, v) = kv.split_once('=').unwrap();
                if v.is_empty() || l.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
    pub fn send(&mut self, method: &str, path: &str, extra: &str, body: &[u8]) -> Reply {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{}{extra}Content-Length: {}\r\n\r\n",
            self.addr,
            self.cookie_header(),
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let r = read_reply(&mut s);
        self.keep_cookies(&r);
        r
    }
    pub fn get(&mut self, path: &str) -> Reply {
        self.send("GET", path, "", b"")
    }
    pub fn csrf(&mut self, path: &str) -> String {
        let r = self.get(path);
        r.body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .or_else(|| r.body.split("?csrf=").nth(1))
            .map(|s| s.split('"').next().unwrap().to_string())
            .unwrap_or_default()
    }
    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        self.send(
            "POST",
            path,
            "Content-Type: application/x-www-form-urlencoded\r\n",
            body.join("&").as_bytes(),
        )
    }
    pub fn login(addr: &str, email: &str) -> Browser {
        let mut b = Browser::new(addr);
        let csrf = b.csrf("/en/login");
        let r = b.post_form(
            "/en/login",
            &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        assert!(b.cookies.contains_key("faro_session"));
        b
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const RESOURCE: &str = "r-cinterfor-technical-note-covid19";

/// Sends the head of a multipart post that declares `declared` bytes and
/// only `sent` of them, and waits at most 10 s for an answer.
fn partial_post(
    addr: &str,
    path: &str,
    cookie: &str,
    declared: usize,
    sent: usize,
) -> (Reply, Duration) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{cookie}Content-Type: multipart/form-data; boundary=xx\r\nContent-Length: {declared}\r\n\r\n"
    );
    s.write_all(head.as_bytes()).unwrap();
    let mut body = b"--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4\n".to_vec();
    body.resize(sent, b'x');
    s.write_all(&body).unwrap();
    let t = Instant::now();
    let r = read_reply(&mut s);
    (r, t.elapsed())
}

#[test]
fn uploads_check_session_and_csrf_before_the_body_and_refuse_large_ones_with_a_page() {
    for (d, url) in backends("upload") {
        let data = d.0.join("data");
        let s = serve_with(&data, url.as_deref(), &[("FARO_MAX_UPLOAD_MB", "1")]);
        let path = format!("/es/resources/{RESOURCE}/files");
        // Anonymous, and signed in without the token: answered at once
        // although 20 MB are announced and only 1 KB is sent.
        let (r, waited) = partial_post(&s.addr, &path, "", 20 << 20, 1024);
        assert_eq!(r.status, 403, "{}", r.body);
        assert!(waited < Duration::from_secs(5), "{waited:?}");
        let mut ed = Browser::login(&s.addr, "ed@cinterfor.test");
        let cookie = ed.cookie_header();
        let (r, waited) = partial_post(&s.addr, &path, &cookie, 20 << 20, 1024);
        assert_eq!(r.status, 403, "no token: {}", r.body);
        assert!(waited < Duration::from_secs(5), "{waited:?}");
        let (r, _) = partial_post(
            &s.addr,
            &format!("{path}?csrf=0000"),
            &cookie,
            20 << 20,
            1024,
        );
        assert_eq!(r.status, 403, "a wrong token: {}", r.body);
        // The right editor with the right token, 20 MB announced: 413 with
        // a page in Spanish, before the body.
        let csrf = ed.csrf(&format!("/es/resources/{RESOURCE}"));
        assert_eq!(
            csrf.len(),
            64,
            "the upload form carries the token in its action"
        );
        let (r, waited) = partial_post(
            &s.addr,
            &format!("{path}?csrf={csrf}"),
            &cookie,
            20 << 20,
            1024,
        );
        assert_eq!(r.status, 413, "{}", r.body);
        assert!(waited < Duration::from_secs(5), "{waited:?}");
        assert!(
            r.header("content-type")
                .unwrap_or_default()
                .starts_with("text/html"),
            "{}",
            r.head
        );
        assert!(r.body.contains("lang=\"es\""), "{}", r.body);
        assert!(r.body.contains("demasiado grande"), "{}", r.body);
        // A real oversized post (3 MB, sent whole) and a chunked one.
        let mut body = b"--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4\n".to_vec();
        body.resize(3 << 20, b'x');
        body.extend_from_slice(b"\r\n--xx--\r\n");
        let r = ed.send(
            "POST",
            &format!("{path}?csrf={csrf}"),
            "Content-Type: multipart/form-data; boundary=xx\r\n",
            &body,
        );
        assert_eq!(r.status, 413, "{}", r.body);
        assert!(r.body.contains("demasiado grande"), "{}", r.body);
        let mut sock = TcpStream::connect(&s.addr).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            sock,
            "POST {path}?csrf={csrf} HTTP/1.1\r\nHost: x\r\n{cookie}Content-Type: multipart/form-data; boundary=xx\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        .unwrap();
        let mut refused = false;
        for part in body.chunks(64 * 1024) {
            if write!(sock, "{:x}\r\n", part.len()).is_err()
                || sock.write_all(part).is_err()
                || sock.write_all(b"\r\n").is_err()
            {
                refused = true;
                break;
            }
        }
        if !refused {
            let _ = sock.write_all(b"0\r\n\r\n");
        }
        let r = read_reply(&mut sock);
        assert_eq!(r.status, 413, "chunked: {}", r.body);
        assert!(r.body.contains("demasiado grande"), "{}", r.body);
        // A file within the limit is still stored.
        let mut ok = b"--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"nota.pdf\"\r\n\r\n%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
        ok.extend_from_slice(b"\r\n--xx--\r\n");
        let r = ed.send(
            "POST",
            &format!("{path}?csrf={csrf}"),
            "Content-Type: multipart/form-data; boundary=xx\r\n",
            &ok,
        );
        assert_eq!(r.status, 303, "{}", r.body);
        s.stop();
    }
}

/// The highest resident memory of a process so far (VmHWM), in MB.
fn peak_rss_mb(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb / 1024)
        .unwrap_or(0)
}

fn upload(ed: &mut Browser, csrf: &str, name: &str, pdf: &[u8]) -> (Reply, Duration) {
    let mut body = format!(
        "--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(pdf);
    body.extend_from_slice(b"\r\n--xx--\r\n");
    let t = Instant::now();
    let r = ed.send(
        "POST",
        &format!("/en/resources/{RESOURCE}/files?csrf={csrf}"),
        "Content-Type: multipart/form-data; boundary=xx\r\n",
        &body,
    );
    (r, t.elapsed())
}

#[test]
fn pdf_bombs_are_stored_without_text_and_cost_little() {
    // 400 MB of page content in a few hundred KB, and 100 MB (under the
    // inflate cap, so the child process and its limits meet it).
    let bomb = faro_formats::pdf::flate_pdf("bomb", 400 << 20);
    let medium = faro_formats::pdf::flate_pdf("medium", 100 << 20);
    let fine = faro_formats::pdf::flate_pdf("Formacion profesional zygomorphic", 0);
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    for (d, url) in backends("pdf") {
        let data = d.0.join("data");
        let s = serve_with(
            &data,
            url.as_deref(),
            &[("FARO_PDF_MEMORY_MB", "160"), ("FARO_PDF_SECONDS", "20")],
        );
        let pid = s.child.id();
        let before = peak_rss_mb(pid);
        let mut ed = Browser::login(&s.addr, "ed@cinterfor.test");
        let csrf = ed.csrf(&format!("/en/resources/{RESOURCE}"));
        for (name, pdf) in [
            ("bomb.pdf", &bomb),
            ("medium.pdf", &medium),
            ("fine.pdf", &fine),
        ] {
            let (r, took) = upload(&mut ed, &csrf, name, pdf);
            assert_eq!(r.status, 303, "{name}: {}", r.body);
            assert!(took < Duration::from_secs(30), "{name}: {took:?}");
            eprintln!("{name}: {} KB uploaded in {took:?}", pdf.len() / 1024);
        }
        let after = peak_rss_mb(pid);
        eprintln!("server peak RSS: {before} MB before, {after} MB after");
        assert!(after < before + 200, "{before} MB -> {after} MB");
        let (_, log) = s.stop();
        assert!(
            log.contains("stopped at its limits"),
            "the child met its limits: {log}"
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let files = rt.block_on(async {
            let store = match &url {
                Some(u) => faro_store::Store::connect(u).await.unwrap(),
                None => faro_store::Store::open_data_dir(&data).await.unwrap(),
            };
            let f = faro_store::files::for_resource(&store, RESOURCE)
                .await
                .unwrap();
            store.close().await;
            f
        });
        let text = |n: &str| {
            files
                .iter()
                .find(|f| f.name == n)
                .unwrap_or_else(|| panic!("{n} stored"))
                .text
                .clone()
        };
        assert_eq!(text("bomb.pdf"), None);
        assert_eq!(text("medium.pdf"), None);
        assert_eq!(
            text("fine.pdf").as_deref(),
            Some("Formacion profesional zygomorphic"),
            "text through the child process"
        );
    }
}

#[test]
fn serve_starts_over_a_damaged_search_index_and_rebuilds_it() {
    for (d, url) in backends("index") {
        let data = d.0.join("data");
        let s = serve(&data, url.as_deref());
        let (status, before) = http_get(&s.addr, "/api/v1/search?q=SENAI");
        assert_eq!(status, 200, "{before}");
        s.stop();
        // Truncate the largest segment file of the index.
        let dir = data.join("search-index");
        let victim = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "idx"))
            .max_by_key(|p| std::fs::metadata(p).unwrap().len())
            .expect("a segment file");
        let len = std::fs::metadata(&victim).unwrap().len();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&victim)
            .unwrap()
            .set_len(len / 3)
            .unwrap();
        let s = serve(&data, url.as_deref());
        let (status, after) = http_get(&s.addr, "/api/v1/search?q=SENAI");
        assert_eq!(status, 200, "{after}");
        let v: serde_json::Value = serde_json::from_str(&after).unwrap();
        let w: serde_json::Value = serde_json::from_str(&before).unwrap();
        assert_eq!(v["total"], w["total"], "rebuilt whole: {after}");
        assert!(v["total"].as_u64().unwrap() > 0);
        let (_, log) = s.stop();
        assert!(log.contains("search index damaged"), "{log}");
        let aside = std::fs::read_dir(&data)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("search-index.damaged-")
            })
            .count();
        assert_eq!(aside, 1);
    }
}
