//! Helpers to drive the real `faro` binary.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_faro")
}

pub struct Tmp(pub PathBuf);
impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn tmpdir(tag: &str) -> Tmp {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let p = std::env::temp_dir().join(format!("faro-cli-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    Tmp(p)
}

/// Runs `faro ARGS` against the SQLite data folder `data`, or against
/// `db_url` when given.
pub fn faro(data: &Path, db_url: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(bin());
    cmd.arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("DATABASE_URL")
        .env("FARO_LOG", "warn");
    if let Some(u) = db_url {
        cmd.env("DATABASE_URL", u);
    }
    cmd.output().expect("run faro")
}

/// `faro user add EMAIL ROLE_ARGS --password-stdin` with `password`, on the
/// SQLite data folder `data` or `db_url`; the command must succeed.
pub fn add_user(
    data: &Path,
    db_url: Option<&str>,
    email: &str,
    role_args: &[&str],
    password: &str,
) {
    let mut cmd = Command::new(bin());
    cmd.arg("--data-dir")
        .arg(data)
        .args(["user", "add", email])
        .args(role_args)
        .arg("--password-stdin")
        .env_remove("DATABASE_URL");
    if let Some(u) = db_url {
        cmd.env("DATABASE_URL", u);
    }
    let mut add = cmd
        .stdin(Stdio::piped())
        .spawn()
        .expect("run faro user add");
    add.stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    assert!(add.wait().unwrap().success(), "faro user add {email}");
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A running `faro serve`, killed (SIGTERM) when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub addr: String,
    /// What the server writes to stderr (its log), read as it comes so a
    /// long run never blocks the server on a full pipe.
    log: Option<std::thread::JoinHandle<String>>,
}

// The child moves into `Server`, whose Drop kills and waits for it.
pub fn serve(data: &Path, db_url: Option<&str>) -> Server {
    serve_with(data, db_url, &[])
}

/// `faro serve` with extra environment variables (settings).
#[allow(clippy::zombie_processes)]
pub fn serve_with(data: &Path, db_url: Option<&str>, envs: &[(&str, &str)]) -> Server {
    let mut cmd = Command::new(bin());
    cmd.envs(envs.iter().copied());
    cmd.arg("--data-dir")
        .arg(data)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env_remove("DATABASE_URL")
        .env("FARO_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(u) = db_url {
        cmd.env("DATABASE_URL", u);
    }
    let mut child = cmd.spawn().expect("spawn faro serve");
    let out = child.stdout.take().unwrap();
    let mut reader = BufReader::new(out);
    let mut line = String::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 || Instant::now() > deadline {
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            let _ = child.kill();
            let _ = child.wait();
            panic!("faro serve did not start: {err}");
        }
        if let Some(rest) = line.trim().strip_prefix("Faro is listening on http://") {
            let addr = rest.trim_end_matches('/').to_string();
            // Keep draining stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || for _ in reader.lines() {});
            let mut err = child.stderr.take().unwrap();
            let log = std::thread::spawn(move || {
                let mut buf = Vec::new();
                let _ = err.read_to_end(&mut buf);
                String::from_utf8_lossy(&buf).into_owned()
            });
            return Server {
                child,
                base: format!("http://{addr}"),
                addr,
                log: Some(log),
            };
        }
    }
}

impl Server {
    /// Sends SIGTERM and returns the exit status and what the server logged.
    pub fn stop(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let status = self.child.wait().unwrap();
        let err = self
            .log
            .take()
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default();
        (status, err)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 GET: (status, body).
pub fn http_get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, body)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n.min(rest.len())]);
        s = rest.get(n + 2..).unwrap_or("");
    }
    out
}

/// A fresh PostgreSQL database URL when `FARO_TEST_DATABASE_URL` is set.
pub fn fresh_postgres() -> Option<String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let db = faro_store::testing::postgres().await?;
        let url = db.url.clone();
        db.store.close().await;
        Some(url)
    })
}
