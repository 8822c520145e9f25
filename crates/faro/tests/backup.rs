//! `faro backup` / `faro restore` (issue 17, item 14) against the real
//! binary: a backup taken while a writer keeps creating records through the
//! API is the site at one moment — exactly the first k writes, nothing
//! half-written —, restores into an empty data folder (and an empty
//! PostgreSQL database), serves with its uploaded file and a rebuilt search
//! index. On SQLite always, on PostgreSQL when `FARO_TEST_DATABASE_URL` is set.

mod common;
use common::*;
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

const PASSWORD: &str = "backup test password";
const EMAIL: &str = "coord@backup.test";
const RESOURCE: &str = "r-cinterfor-technical-note-covid19";
const PREFIX: &str = "c-bk-";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ok(o: &std::process::Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\n{}\n{}",
        o.status,
        stdout(o),
        stderr(o)
    );
    stdout(o)
}

/// `METHOD path` with headers and a body over a fresh connection:
/// (status, head, body).
fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &str,
    body: &[u8],
) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut body = buf[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(p) = rest.windows(2).position(|w| w == b"\r\n") {
            let n =
                usize::from_str_radix(String::from_utf8_lossy(&rest[..p]).trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            let start = p + 2;
            out.extend_from_slice(&rest[start..(start + n).min(rest.len())]);
            rest = rest.get(start + n + 2..).unwrap_or(&[]);
        }
        body = out;
    }
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head, body)
}

fn cookies_of(head: &str, jar: &mut HashMap<String, String>) {
    for l in head.lines() {
        if let Some(v) = l
            .strip_prefix("set-cookie: ")
            .or_else(|| l.strip_prefix("Set-Cookie: "))
        {
            let kv = v.split(';').next().unwrap();
            if let Some((k, v)) = kv.split_once('=') {
                jar.insert(k.to_string(), v.to_string());
            }
        }
    }
}

fn cookie_header(jar: &HashMap<String, String>) -> String {
    let c: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("Cookie: {}\r\n", c.join("; "))
}

fn token_in(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.split("name=\"csrf\" value=\"")
        .nth(1)
        .or_else(|| text.split("?csrf=").nth(1))
        .map(|s| s.split('"').next().unwrap().to_string())
        .expect("a CSRF token")
}

/// Signs in through the form and uploads `bytes` (a PNG) to the resource;
/// returns the file's SHA-256 as the resource page links it.
fn upload_png(addr: &str, bytes: &[u8]) -> String {
    let mut jar = HashMap::new();
    let (_, head, body) = request(addr, "GET", "/en/login", "", b"");
    cookies_of(&head, &mut jar);
    let csrf = token_in(&body);
    let form = format!(
        "csrf={csrf}&email={}&password={}",
        EMAIL.replace('@', "%40"),
        PASSWORD.replace(' ', "+")
    );
    let (status, head, _) = request(
        addr,
        "POST",
        "/en/login",
        &format!(
            "{}Content-Type: application/x-www-form-urlencoded\r\n",
            cookie_header(&jar)
        ),
        form.as_bytes(),
    );
    assert_eq!(status, 303, "{head}");
    cookies_of(&head, &mut jar);
    let page = format!("/en/resources/{RESOURCE}");
    let (_, _, body) = request(addr, "GET", &page, &cookie_header(&jar), b"");
    let csrf = token_in(&body);
    let mut multipart = b"--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"chart.png\"\r\nContent-Type: image/png\r\n\r\n".to_vec();
    multipart.extend_from_slice(bytes);
    multipart.extend_from_slice(b"\r\n--xx--\r\n");
    let (status, head, body) = request(
        addr,
        "POST",
        &format!("{page}/files?csrf={csrf}"),
        &format!(
            "{}Content-Type: multipart/form-data; boundary=xx\r\n",
            cookie_header(&jar)
        ),
        &multipart,
    );
    assert!(
        status == 303 || status == 200,
        "{status} {head} {}",
        String::from_utf8_lossy(&body)
    );
    let (_, _, body) = request(addr, "GET", &page, "", b"");
    let text = String::from_utf8_lossy(&body);
    text.split("/files/")
        .filter_map(|s| s.get(..64))
        .find(|s| s.bytes().all(|b| b.is_ascii_hexdigit()))
        .expect("the resource page links the uploaded file")
        .to_string()
}

fn course(n: usize) -> String {
    serde_json::json!({
        "id": format!("{PREFIX}{n:05}"),
        "original_language": "en",
        "title_en": format!("Backup course number {n} zqbackup{n}"),
        "providers": ["sena"],
        "runs": []
    })
    .to_string()
}

/// A dump folder as table name → rows (JSON Lines), read back by the
/// manifest.
fn read_dump(dir: &Path) -> BTreeMap<String, Vec<serde_json::Value>> {
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for t in m["tables"].as_array().unwrap() {
        let file = dir.join(t["file"].as_str().unwrap());
        let rows: Vec<serde_json::Value> = std::fs::read_to_string(file)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        out.insert(t["name"].as_str().unwrap().to_string(), rows);
    }
    out
}

/// The writer's record a row belongs to (its number), if any.
fn written_by_writer(table: &str, row: &serde_json::Value) -> Option<usize> {
    let id = match table {
        "course" => row["id"].as_str(),
        "change_log" => row["record_id"].as_str(),
        _ => None,
    }?;
    id.strip_prefix(PREFIX)?.parse().ok()
}

#[test]
fn a_backup_taken_during_writes_restores_the_site_at_that_moment() {
    let mut backends: Vec<(&str, Option<String>)> = vec![("sqlite", None)];
    if let Some(url) = fresh_postgres() {
        backends.push(("postgres", Some(url)));
    } else {
        eprintln!("PostgreSQL part not run: FARO_TEST_DATABASE_URL is not set");
    }
    for (name, url) in backends {
        let root = tmpdir(&format!("backup-{name}"));
        let data = root.0.join("data");
        let url = url.as_deref();
        ok(&faro(&data, url, &["demo", "load"]));
        // Records in the tables added after the first dumps: a survey (a
        // stored XLSForm) and a session's attendance.
        let survey = workspace().join("data/demo/surveys/member-survey-2020.xlsx");
        ok(&faro(
            &data,
            url,
            &["import", "survey", survey.to_str().unwrap()],
        ));
        let zoom = workspace().join("tests/data/zoom/participants_meeting.csv");
        ok(&faro(
            &data,
            url,
            &[
                "import",
                "attendance",
                "vc2020-01",
                zoom.to_str().unwrap(),
                "--tz",
                "America/Montevideo",
            ],
        ));
        let mut add = std::process::Command::new(bin());
        add.arg("--data-dir")
            .arg(&data)
            .args([
                "user",
                "add",
                EMAIL,
                "--role",
                "coordinator",
                "--password-stdin",
            ])
            .env_remove("DATABASE_URL")
            .env("FARO_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null());
        if let Some(u) = url {
            add.env("DATABASE_URL", u);
        }
        let mut child = add.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{PASSWORD}\n").as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
        let token = ok(&faro(&data, url, &["token", "create", EMAIL]))
            .trim()
            .to_string();
        assert!(!token.is_empty());

        let server = serve(&data, url);
        let png = [
            b"\x89PNG\r\n\x1a\n".as_slice(),
            format!("backup test image on {name}").as_bytes(),
        ]
        .concat();
        let sha = upload_png(&server.addr, &png);

        // A writer creates courses one after the other until told to stop.
        let done = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (addr, token, done, stop) = (
                server.addr.clone(),
                token.clone(),
                done.clone(),
                stop.clone(),
            );
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let (status, head, body) = request(
                        &addr,
                        "POST",
                        "/api/v1/courses",
                        &format!(
                            "Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                        ),
                        course(n).as_bytes(),
                    );
                    assert_eq!(
                        status,
                        201,
                        "write {n}: {head} {}",
                        String::from_utf8_lossy(&body)
                    );
                    done.store(n, Ordering::SeqCst);
                }
            })
        };
        while done.load(Ordering::SeqCst) < 20 {
            std::thread::sleep(Duration::from_millis(20));
        }
        let backup = root.0.join("backup");
        let before = done.load(Ordering::SeqCst);
        let out = ok(&faro(&data, url, &["backup", backup.to_str().unwrap()]));
        let after = done.load(Ordering::SeqCst);
        eprintln!(
            "{name}: {out}writes committed while the backup ran: {}",
            after - before
        );
        // Some more writes after the backup, then stop.
        while done.load(Ordering::SeqCst) < after + 10 {
            std::thread::sleep(Duration::from_millis(20));
        }
        stop.store(true, Ordering::SeqCst);
        writer.join().unwrap();
        let total = done.load(Ordering::SeqCst);

        // A second backup into the same folder is refused.
        let again = faro(&data, url, &["backup", backup.to_str().unwrap()]);
        assert!(!again.status.success());
        assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));

        let original = root.0.join("original-dump");
        ok(&faro(
            &data,
            url,
            &["export", "all", original.to_str().unwrap()],
        ));
        drop(server);

        // Restoring into a folder that holds something is refused, clearly.
        let full = root.0.join("full");
        std::fs::create_dir_all(&full).unwrap();
        std::fs::write(full.join("keep.txt"), "mine").unwrap();
        let target_url = url.map(|_| fresh_postgres().expect("a second PostgreSQL database"));
        let refused = faro(
            &full,
            target_url.as_deref(),
            &["restore", backup.to_str().unwrap()],
        );
        assert!(!refused.status.success());
        assert!(
            stderr(&refused).contains("is not empty"),
            "{}",
            stderr(&refused)
        );
        assert_eq!(std::fs::read_dir(&full).unwrap().count(), 1);

        let restored = root.0.join("restored");
        let out = ok(&faro(
            &restored,
            target_url.as_deref(),
            &["restore", backup.to_str().unwrap()],
        ));
        assert!(out.contains("search index built"), "{out}");
        assert!(
            restored.join("search-index").is_dir(),
            "the index is built on restore"
        );
        // Into PostgreSQL, a database that already holds a site is refused.
        if let Some(u) = target_url.as_deref() {
            let again = faro(
                &root.0.join("empty-again"),
                Some(u),
                &["restore", backup.to_str().unwrap()],
            );
            assert!(!again.status.success());
            assert!(
                stderr(&again).contains("already holds data"),
                "{}",
                stderr(&again)
            );
        }

        // The restored site holds exactly the first k writes…
        let copy = root.0.join("restored-dump");
        ok(&faro(
            &restored,
            target_url.as_deref(),
            &["export", "all", copy.to_str().unwrap()],
        ));
        let copy = read_dump(&copy);
        let mut written: Vec<usize> = copy["course"]
            .iter()
            .filter_map(|r| written_by_writer("course", r))
            .collect();
        written.sort();
        let k = written.len();
        assert_eq!(
            written,
            (1..=k).collect::<Vec<_>>(),
            "a prefix of the writes"
        );
        assert!(
            (before..=after).contains(&k),
            "{name}: the backup holds {k} writes; {before} were done when it started, {after} when it ended"
        );
        assert!(k < total);
        // …and every table equals the original's without the writes after them.
        let original = read_dump(&original);
        assert_eq!(
            original.keys().collect::<Vec<_>>(),
            copy.keys().collect::<Vec<_>>()
        );
        for (table, rows) in &original {
            let expected: Vec<&serde_json::Value> = rows
                .iter()
                .filter(|r| written_by_writer(table, r).is_none_or(|n| n <= k))
                .collect();
            let got: Vec<&serde_json::Value> = copy[table].iter().collect();
            assert_eq!(
                expected.len(),
                got.len(),
                "{name}: {table}: {} rows expected, {} restored",
                expected.len(),
                got.len()
            );
            assert_eq!(expected, got, "{name}: {table} differs");
        }
        for t in ["attendance", "survey_version", "course", "resource_file"] {
            assert!(!copy[t].is_empty(), "{name}: {t} restored empty");
        }

        // The restored site serves: the k-th write by id and by search, the
        // (k+1)-th not; the uploaded file with its bytes.
        let s = serve(&restored, target_url.as_deref());
        let (status, body) = http_get(&s.addr, &format!("/api/v1/courses/{PREFIX}{k:05}"));
        assert_eq!(status, 200, "{body}");
        let (status, _) = http_get(&s.addr, &format!("/api/v1/courses/{PREFIX}{:05}", k + 1));
        assert_eq!(status, 404);
        let (status, body) = http_get(&s.addr, &format!("/api/v1/search?q=zqbackup{k}"));
        assert_eq!(status, 200, "{body}");
        assert!(
            body.contains(&format!("{PREFIX}{k:05}")),
            "the rebuilt index finds write {k}: {body}"
        );
        let (status, _, bytes) = request(&s.addr, "GET", &format!("/files/{sha}"), "", b"");
        assert_eq!(status, 200);
        assert_eq!(bytes, png, "the uploaded file is restored");
    }
}
