//! The `faro` command line, run as a user would.

mod common;
use common::*;

fn read_csv(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    rdr.records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn migrate_creates_a_wal_sqlite_database() {
    let d = tmpdir("migrate");
    let data = d.0.join("data");
    let o = faro(&data, None, &["migrate"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let header = std::fs::read(data.join("faro.sqlite")).unwrap();
    assert_eq!(&header[..16], b"SQLite format 3\0");
    // File format bytes 18 and 19 are 2 in WAL mode.
    assert_eq!((header[18], header[19]), (2, 2), "journal_mode=WAL");
    let again = faro(&data, None, &["migrate"]);
    assert!(again.status.success());
}

#[test]
fn demo_export_import_round_trip_and_all_or_nothing() {
    let d = tmpdir("io");
    let data = d.0.join("data");
    let o = faro(&data, None, &["demo", "load"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("81 created"));
    let o = faro(&data, None, &["demo", "load"]);
    assert!(
        stdout(&o).contains("0 created, 0 updated, 81 unchanged"),
        "{}",
        stdout(&o)
    );

    // CSV export, read back with the csv crate.
    let csv_path = d.0.join("institutions.csv");
    let o = faro(
        &data,
        None,
        &[
            "export",
            "institutions",
            "--format",
            "csv",
            "-o",
            csv_path.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = read_csv(&csv_path);
    assert_eq!(
        rows[0],
        faro_formats::institutions_csv::COLUMNS
            .map(String::from)
            .to_vec()
    );
    assert_eq!(rows.len(), 82);
    let sena = rows.iter().find(|r| r[0] == "sena").unwrap();
    assert_eq!(sena[5], "CO");
    // JSON export to stdout.
    let o = faro(&data, None, &["export", "institutions", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 81);

    // Re-importing the export changes nothing.
    let o = faro(
        &data,
        None,
        &["import", "institutions", csv_path.to_str().unwrap()],
    );
    assert!(
        stdout(&o).contains("0 created, 0 updated, 81 unchanged"),
        "{}",
        stdout(&o)
    );

    // A file with bad rows: non-zero exit, every bad line listed, nothing written.
    let mut bad = std::fs::read_to_string(&csv_path).unwrap();
    bad = bad.replacen("sena,SENA,", "sena,SENA-CHANGED,", 1);
    bad.push_str("new-one,NEW,,New,,ZZ,training_institution,true,false,,,,,,\r\n");
    bad.push_str("Bad Id,X,,,,CO,nonsense,maybe,false,,,,,,\r\n");
    let bad_path = d.0.join("bad.csv");
    std::fs::write(&bad_path, bad).unwrap();
    let o = faro(
        &data,
        None,
        &["import", "institutions", bad_path.to_str().unwrap()],
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(err.contains("line 83: country"), "{err}");
    assert!(err.contains("line 84: id"), "{err}");
    assert!(err.contains("line 84: kind"), "{err}");
    assert!(err.contains("line 84: member"), "{err}");
    let after = d.0.join("after.csv");
    faro(
        &data,
        None,
        &["export", "institutions", "-o", after.to_str().unwrap()],
    );
    assert_eq!(
        std::fs::read(&after).unwrap(),
        std::fs::read(&csv_path).unwrap(),
        "nothing changed"
    );

    // Malformed CSV and a missing file get clear messages.
    let junk = d.0.join("junk.csv");
    std::fs::write(&junk, b"\xff\xfe not csv at all").unwrap();
    let o = faro(
        &data,
        None,
        &["import", "institutions", junk.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("line 1"), "{}", stderr(&o));
    let o = faro(
        &data,
        None,
        &["import", "institutions", "/nonexistent/file.csv"],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("cannot read /nonexistent/file.csv"));

    // A good change is applied and only that.
    let good = std::fs::read_to_string(&csv_path).unwrap().replacen(
        "sena,SENA,,National Learning Service,,CO,training_institution,true,true,,",
        "sena,SENA,Servicio Nacional de Aprendizaje,National Learning Service,,CO,training_institution,true,true,https://www.sena.edu.co,",
        1,
    );
    assert!(
        good.contains("Servicio Nacional"),
        "demo row layout changed; update this test"
    );
    let good_path = d.0.join("good.csv");
    std::fs::write(&good_path, good).unwrap();
    let o = faro(
        &data,
        None,
        &[
            "import",
            "institutions",
            good_path.to_str().unwrap(),
            "--reason",
            "official names",
        ],
    );
    assert!(
        stdout(&o).contains("0 created, 1 updated, 80 unchanged"),
        "{}",
        stdout(&o)
    );
    let o = faro(
        &data,
        None,
        &["import", "institutions", good_path.to_str().unwrap()],
    );
    assert!(stdout(&o).contains("0 created, 0 updated, 81 unchanged"));
}

#[test]
fn serve_starts_loads_demo_once_and_stops_on_sigterm() {
    let d = tmpdir("serve");
    let data = d.0.join("data");
    let s = serve(&data, None);
    let (code, body) = http_get(&s.addr, "/healthz");
    assert_eq!(code, 200, "{body}");
    let (code, body) = http_get(&s.addr, "/api/v1/institutions?per_page=1");
    assert_eq!(code, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["total"], 81);
    let (code, body) = http_get(&s.addr, "/es/institutions?country=BR");
    assert_eq!(code, 200);
    assert!(body.contains("Brasil (6)"));
    let (status, log) = s.stop();
    assert!(status.success(), "exit status {status:?}: {log}");
    assert!(log.contains("shut down cleanly"), "{log}");
    assert!(log.contains("request_id="), "logs carry request ids: {log}");

    // Edit while stopped, then restart: the edit stays, nothing is duplicated.
    let csv_path = d.0.join("i.csv");
    faro(
        &data,
        None,
        &["export", "institutions", "-o", csv_path.to_str().unwrap()],
    );
    let edited = std::fs::read_to_string(&csv_path).unwrap().replacen(
        ",UNESCO,,,,",
        ",UNESCO,,United Nations Educational Scientific and Cultural Organization (test edit),,",
        1,
    );
    std::fs::write(&csv_path, edited).unwrap();
    let o = faro(
        &data,
        None,
        &["import", "institutions", csv_path.to_str().unwrap()],
    );
    assert!(
        stdout(&o).contains("1 updated"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let s = serve(&data, None);
    let (_, body) = http_get(&s.addr, "/api/v1/institutions/unesco");
    assert!(body.contains("(test edit)"), "{body}");
    let (_, body) = http_get(&s.addr, "/api/v1/institutions?per_page=1");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["total"], 81);
    s.stop();
}

#[test]
fn postgres_backend_shared_by_two_servers_and_site_moves_between_backends() {
    let Some(pg) = fresh_postgres() else { return };
    let d = tmpdir("pg");
    let lite = d.0.join("lite");
    // SQLite site with demo data and one edit -> export all -> PostgreSQL.
    assert!(faro(&lite, None, &["demo", "load"]).status.success());
    let dump = d.0.join("dump");
    let o = faro(&lite, None, &["export", "all", dump.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = faro(&lite, Some(&pg), &["import", "all", dump.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("institution: 81 rows imported"));

    // Two servers on one PostgreSQL database see the same data and the same writes.
    let a = serve(&d.0.join("a"), Some(&pg));
    let b = serve(&d.0.join("b"), Some(&pg));
    for s in [&a, &b] {
        let (code, _) = http_get(&s.addr, "/readyz");
        assert_eq!(code, 200);
    }
    let csv_path = d.0.join("i.csv");
    faro(
        &lite,
        Some(&pg),
        &["export", "institutions", "-o", csv_path.to_str().unwrap()],
    );
    let edited = std::fs::read_to_string(&csv_path).unwrap().replacen(
        ",BIBB,,,,DE,",
        ",BIBB,,Federal Institute (shared write),,DE,",
        1,
    );
    std::fs::write(&csv_path, edited).unwrap();
    let o = faro(
        &lite,
        Some(&pg),
        &["import", "institutions", csv_path.to_str().unwrap()],
    );
    assert!(stdout(&o).contains("1 updated"), "{}", stderr(&o));
    for s in [&a, &b] {
        let (_, body) = http_get(&s.addr, "/en/institutions/bibb");
        assert!(body.contains("Federal Institute (shared write)"));
    }
    a.stop();
    b.stop();

    // And back to a fresh SQLite folder, identical exports.
    let dump2 = d.0.join("dump2");
    assert!(
        faro(
            &lite,
            Some(&pg),
            &["export", "all", dump2.to_str().unwrap()]
        )
        .status
        .success()
    );
    let back = d.0.join("back");
    let o = faro(&back, None, &["import", "all", dump2.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dump3 = d.0.join("dump3");
    assert!(
        faro(&back, None, &["export", "all", dump3.to_str().unwrap()])
            .status
            .success()
    );
    for f in [
        "institution.jsonl",
        "change_log.jsonl",
        "faro_meta.jsonl",
        "manifest.json",
    ] {
        assert_eq!(
            std::fs::read(dump2.join(f)).unwrap(),
            std::fs::read(dump3.join(f)).unwrap(),
            "{f}"
        );
    }
    // Importing into a non-empty site is refused.
    let o = faro(&back, None, &["import", "all", dump2.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("already holds data"));
}

#[test]
fn user_add_with_password_or_link_and_token_create() {
    use std::io::Write;
    let d = tmpdir("users");
    let data = d.0.join("data");
    assert!(faro(&data, None, &["demo", "load"]).status.success());
    // Password from standard input.
    let mut child = std::process::Command::new(bin())
        .arg("--data-dir")
        .arg(&data)
        .args([
            "user",
            "add",
            "Coord@Example.org",
            "--role",
            "coordinator",
            "--password-stdin",
        ])
        .env_remove("DATABASE_URL")
        .env("FARO_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough password\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("created coord@example.org (coordinator)"));
    assert!(
        !stdout(&o).contains("password-reset"),
        "no link when a password was given"
    );
    // Without a password: a one-time link is printed.
    let o = faro(
        &data,
        None,
        &[
            "user",
            "add",
            "ed@sena.test",
            "--role",
            "editor",
            "--institution",
            "sena",
            "--name",
            "Ana  Pérez",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let link = stdout(&o)
        .lines()
        .find(|l| l.contains("/es/password-reset/"))
        .unwrap()
        .to_string();
    assert_eq!(link.rsplit('/').next().unwrap().len(), 64);
    // The link starts with the site's public address (flag or environment).
    assert!(
        link.starts_with("http://127.0.0.1:8080/es/password-reset/"),
        "{link}"
    );
    let other = tmpdir("public-url");
    let data2 = other.0.join("data");
    let o = faro(
        &data2,
        None,
        &[
            "user",
            "add",
            "ed2@sena.test",
            "--role",
            "coordinator",
            "--public-url",
            "https://faro.example.org/",
        ],
    );
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.starts_with("https://faro.example.org/es/password-reset/")),
        "{}",
        stdout(&o)
    );
    let o = std::process::Command::new(bin())
        .arg("--data-dir")
        .arg(&data2)
        .args(["user", "add", "ed3@sena.test", "--role", "coordinator"])
        .env_remove("DATABASE_URL")
        .env("FARO_PUBLIC_URL", "https://red.example.net")
        .output()
        .unwrap();
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.starts_with("https://red.example.net/es/password-reset/")),
        "{}",
        stdout(&o)
    );
    // Bad input: clear messages, nothing created.
    for (args, needle) in [
        (
            vec!["user", "add", "ed2@sena.test", "--role", "editor"],
            "needs at least one institution",
        ),
        (
            vec![
                "user",
                "add",
                "ed2@sena.test",
                "--role",
                "editor",
                "--institution",
                "nope",
            ],
            "unknown institution",
        ),
        (
            vec![
                "user",
                "add",
                "ed@sena.test",
                "--role",
                "editor",
                "--institution",
                "sena",
            ],
            "already exists",
        ),
        (
            vec!["user", "add", "not-an-email", "--role", "coordinator"],
            "is not an e-mail address",
        ),
        (
            vec![
                "user",
                "add",
                "ed3@sena.test",
                "--role",
                "coordinator",
                "--name",
                "ed3@sena.test",
            ],
            "the name cannot be an e-mail address",
        ),
    ] {
        let o = faro(&data, None, &args);
        assert!(!o.status.success(), "{args:?}");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
    let o = faro(&data, None, &["user", "list"]);
    let listed = stdout(&o);
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(
        listed.contains("ed@sena.test\teditor\tsena\tAna Pérez"),
        "{listed}"
    );
    // A token for the API, usable against a running server.
    let o = faro(
        &data,
        None,
        &["token", "create", "ed@sena.test", "--name", "script"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let token = stdout(&o).trim().to_string();
    assert!(token.starts_with("faro_") && token.len() == 69);
    let o = faro(&data, None, &["token", "create", "ghost@sena.test"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no user ghost@sena.test"));
}

#[test]
fn search_through_the_server_and_reindex_refused_while_it_runs() {
    let d = tmpdir("search");
    let data = d.0.join("data");
    let s = serve(&data, None);
    let (code, body) = http_get(&s.addr, "/api/v1/search?q=senai");
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"id\":\"senai\""), "{body}");
    // A CLI import while the server runs is searchable within a second.
    let csv_path = d.0.join("i.csv");
    faro(
        &data,
        None,
        &["export", "institutions", "-o", csv_path.to_str().unwrap()],
    );
    let edited = std::fs::read_to_string(&csv_path).unwrap().replacen(
        ",BIBB,,,,DE,",
        ",BIBB,,Bundesinstitut fur Berufsbildung,,DE,",
        1,
    );
    std::fs::write(&csv_path, edited).unwrap();
    let o = faro(
        &data,
        None,
        &["import", "institutions", csv_path.to_str().unwrap()],
    );
    assert!(stdout(&o).contains("1 updated"), "{}", stderr(&o));
    let started = std::time::Instant::now();
    loop {
        let (_, body) = http_get(&s.addr, "/api/v1/search?q=berufsbildung");
        if body.contains("\"id\":\"bibb\"") {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "not searchable after 1 s: {body}"
        );
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    // One writer per index: the CLI refuses, clearly, while the server holds it.
    let o = faro(&data, None, &["reindex"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("in use by another Faro process"),
        "{}",
        stderr(&o)
    );
    s.stop();
    let o = faro(&data, None, &["reindex"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("search index rebuilt: 147 documents"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn release_stays_byte_identical_and_measures_import_csv_and_xlsx() {
    let d = tmpdir("release");
    let data = d.0.join("data");
    assert!(faro(&data, None, &["demo", "load"]).status.success());
    let o = faro(&data, None, &["release", "2026.1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("release 2026.1 frozen: 7 files"));
    let again = faro(&data, None, &["release", "2026.1"]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("never changed"));
    let bad = faro(&data, None, &["release", "Bad Name"]);
    assert!(!bad.status.success());

    let s = serve(&data, None);
    let (code, frozen) = http_get(&s.addr, "/data/releases/2026.1/measures.csv");
    assert_eq!(code, 200);
    let (_, current) = http_get(&s.addr, "/data/measures.csv");
    assert_eq!(frozen, current);
    let (_, index) = http_get(&s.addr, "/data/releases");
    assert!(index.contains("\"name\":\"2026.1\""));
    assert_eq!(
        http_get(&s.addr, "/data/releases/2026.1/nothing.csv").0,
        404
    );
    s.stop();

    // Re-import of the export changes nothing; an edit through CSV is applied and recorded.
    let csv_path = d.0.join("measures.csv");
    std::fs::write(&csv_path, current.as_bytes()).unwrap();
    let o = faro(
        &data,
        None,
        &["import", "measures", csv_path.to_str().unwrap()],
    );
    assert!(
        stdout(&o).contains("0 created, 0 updated, 35 unchanged"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let edited = current.replacen(
        "m-ina-medical-material,ina,CR,covid-19,H1;H2",
        "m-ina-medical-material,ina,CR,covid-19,H1;H2;H3",
        1,
    );
    assert_ne!(edited, current);
    std::fs::write(&csv_path, edited.as_bytes()).unwrap();
    let o = faro(
        &data,
        None,
        &["import", "measures", csv_path.to_str().unwrap()],
    );
    assert!(
        stdout(&o).contains("0 created, 1 updated, 34 unchanged"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    // A bad file: every bad line listed, nothing written.
    let broken = edited.replacen(",H1;H2;H3,", ",Z9,", 1).replacen(
        "covid-19,H1;H2,introduced",
        "covid-19,H1;H2,invented",
        1,
    );
    std::fs::write(&csv_path, broken.as_bytes()).unwrap();
    let o = faro(
        &data,
        None,
        &["import", "measures", csv_path.to_str().unwrap()],
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("categories is not a code of the current codebook (\"Z9\")"),
        "{err}"
    );
    assert!(
        err.contains("log_type is not one of the allowed values (\"invented\")"),
        "{err}"
    );

    // The release did not move; the live file did.
    let s = serve(&data, None);
    let (_, frozen_after) = http_get(&s.addr, "/data/releases/2026.1/measures.csv");
    let (_, current_after) = http_get(&s.addr, "/data/measures.csv");
    s.stop();
    assert_eq!(
        frozen_after, frozen,
        "a release stays byte-identical after later edits"
    );
    assert!(current_after.contains("H1;H2;H3"));

    // The same layout as an XLSX spreadsheet (written by openpyxl).
    let xlsx = d.0.join("measures.xlsx");
    std::fs::write(
        &csv_path,
        current_after.replacen("H1;H2;H3", "H1;H2", 1).as_bytes(),
    )
    .unwrap();
    let py = std::process::Command::new("python3")
        .args(["-c", "import csv,sys,openpyxl; wb=openpyxl.Workbook(); ws=wb.active; [ws.append(r) for r in csv.reader(open(sys.argv[1], newline='', encoding='utf-8'))]; wb.save(sys.argv[2])"])
        .arg(&csv_path)
        .arg(&xlsx)
        .output();
    match py {
        Ok(o) if o.status.success() => {
            let o = faro(&data, None, &["import", "measures", xlsx.to_str().unwrap()]);
            assert!(
                stdout(&o).contains("0 created, 1 updated, 34 unchanged"),
                "{}{}",
                stdout(&o),
                stderr(&o)
            );
        }
        Ok(o)
            if String::from_utf8_lossy(&o.stderr).contains("ModuleNotFoundError")
                && std::env::var("CI").as_deref() != Ok("true") =>
        {
            eprintln!("SKIPPED: XLSX import (pip install openpyxl)");
        }
        other => panic!("cannot write the XLSX test file: {other:?}"),
    }
    // Something that is neither CSV nor XLSX gets a clear message.
    std::fs::write(&xlsx, b"PK\x03\x04garbage").unwrap();
    let o = faro(&data, None, &["import", "measures", xlsx.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("not a readable XLSX file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn export_all_and_import_all_carry_uploaded_files() {
    let d = tmpdir("files");
    let a = d.0.join("a");
    assert!(faro(&a, None, &["demo", "load"]).status.success());
    let sha = "ab".to_string() + &"0".repeat(62);
    std::fs::create_dir_all(a.join("files/ab")).unwrap();
    std::fs::write(a.join("files/ab").join(&sha), b"%PDF-1.4 test").unwrap();
    let dump = d.0.join("dump");
    let o = faro(&a, None, &["export", "all", dump.to_str().unwrap()]);
    assert!(stdout(&o).contains("files: 1 copied"), "{}", stdout(&o));
    let b = d.0.join("b");
    let o = faro(&b, None, &["import", "all", dump.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("files: 1 copied"));
    assert_eq!(
        std::fs::read(b.join("files/ab").join(&sha)).unwrap(),
        b"%PDF-1.4 test"
    );
}

#[test]
fn check_links_is_bounded_and_reports_per_resource() {
    use std::io::{Read as _, Write as _};
    // A local server: /ok → 200, /missing → 404, /slow → never answers in time.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            std::thread::spawn(move || {
                let mut buf = [0u8; 2048];
                let n = s.read(&mut buf).unwrap_or(0);
                let req = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
                let resp = match path.as_str() {
                    "/ok" => "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .to_string(),
                    "/slow" => {
                        std::thread::sleep(std::time::Duration::from_secs(8));
                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".to_string()
                    }
                    _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .to_string(),
                };
                let _ = s.write_all(resp.as_bytes());
            });
        }
    });
    let d = tmpdir("links");
    let data = d.0.join("data");
    assert!(faro(&data, None, &["migrate"]).status.success());
    // Three resources pointing at the local server (no demo data: no internet).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = faro_store::Store::open_data_dir(&data).await.unwrap();
        let mk = |id: &str, path: &str| faro_domain::knowledge::Resource {
            id: id.into(),
            resource_type: "website".into(),
            url: format!("http://127.0.0.1:{port}{path}"),
            title_en: id.into(),
            original_language: "en".into(),
            ..Default::default()
        };
        let items = vec![
            mk("r-ok", "/ok"),
            mk("r-missing", "/missing"),
            mk("r-slow", "/slow"),
        ];
        faro_store::knowledge::upsert_all(
            &store,
            &items,
            &faro_store::changes::Actor::new("t", None),
        )
        .await
        .unwrap();
        // A course whose page is gone.
        faro_store::institutions::upsert_all(
            &store,
            &[faro_domain::institutions::Institution {
                id: "vti".into(),
                acronym: "VTI".into(),
                name_es: "Instituto".into(),
                name_en: String::new(),
                name_pt: String::new(),
                country: Some("UY".into()),
                kind: faro_domain::InstitutionKind::TrainingInstitution,
                member: true,
                presenter: false,
                website: None,
                note: None,
                description_es: None,
                description_en: None,
                description_pt: None,
                contact_email: None,
            }],
            &faro_store::changes::Actor::new("t", None),
        )
        .await
        .unwrap();
        let course = faro_domain::courses::Course {
            id: "c-gone".into(),
            title_es: "Curso".into(),
            original_language: "es".into(),
            providers: vec!["vti".into()],
            url: format!("http://127.0.0.1:{port}/missing"),
            ..Default::default()
        };
        faro_store::courses::upsert_all(
            &store,
            &[course],
            &faro_store::changes::Actor::new("t", None),
        )
        .await
        .unwrap();
        store.close().await;
    });
    let started = std::time::Instant::now();
    let o = faro(
        &data,
        None,
        &["check-links", "--timeout-secs", "1", "--concurrency", "3"],
    );
    let elapsed = started.elapsed();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("ok           200  r-ok"), "{out}");
    assert!(out.contains("broken       404  r-missing"), "{out}");
    assert!(out.contains("unreachable  -    r-slow"), "{out}");
    assert!(out.contains("broken       404  course:c-gone"), "{out}");
    assert!(!out.contains("flagged"), "{out}");
    assert!(out.contains("4 links checked, 1 ok, 3 not ok"), "{out}");
    assert!(
        elapsed < std::time::Duration::from_secs(6),
        "bounded by the timeout: {elapsed:?}"
    );
    // The result is kept and shown to editors on the resource page.
    rt.block_on(async {
        let store = faro_store::Store::open_data_dir(&data).await.unwrap();
        let c = faro_store::link_checks::get(&store, "r-missing")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.outcome, "broken");
        assert_eq!(c.status_code, Some(404));
        let c = faro_store::link_checks::course(&store, "c-gone")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((c.failures, c.flagged()), (1, false));
        store.close().await;
    });
    // Gone for three checks in a row: flagged to its editors.
    for _ in 0..2 {
        let o = faro(
            &data,
            None,
            &["check-links", "--timeout-secs", "1", "--concurrency", "3"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let out = stdout(&o);
        let c = rt.block_on(async {
            let store = faro_store::Store::open_data_dir(&data).await.unwrap();
            let c = faro_store::link_checks::course(&store, "c-gone")
                .await
                .unwrap()
                .unwrap();
            store.close().await;
            c
        });
        assert_eq!(
            c.flagged(),
            out.contains("gone for 3 checks in a row: flagged to its editors"),
            "{out}"
        );
    }
    rt.block_on(async {
        let store = faro_store::Store::open_data_dir(&data).await.unwrap();
        let c = faro_store::link_checks::course(&store, "c-gone")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((c.failures, c.flagged()), (3, true));
        let flagged = faro_store::link_checks::flagged_courses(&store, &["vti".into()], 10)
            .await
            .unwrap();
        assert_eq!(flagged, vec![("c-gone".to_string(), 3)]);
        // A working check resets the count.
        let c =
            faro_store::link_checks::record_course(&store, "c-gone", &c.url, "ok", Some(200), "")
                .await
                .unwrap();
        assert_eq!(c.failures, 0);
        store.close().await;
    });
}

#[test]
fn resources_export_import_is_idempotent_and_all_or_nothing() {
    let d = tmpdir("resources");
    let data = d.0.join("data");
    assert!(faro(&data, None, &["demo", "load"]).status.success());
    let path = d.0.join("resources.csv");
    let o = faro(
        &data,
        None,
        &["export", "resources", "-o", path.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let exported = std::fs::read_to_string(&path).unwrap();
    assert_eq!(read_csv(&path).len(), 17, "header + 16 demo resources");
    // Re-importing the export changes nothing.
    let o = faro(
        &data,
        None,
        &["import", "resources", path.to_str().unwrap()],
    );
    assert!(
        stdout(&o).contains("0 created, 0 updated, 16 unchanged"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    // One edit is applied; the export shows it.
    let edited = exported.replacen(
        "r-cinterfor-member-survey,dataset,cinterfor,,en,",
        "r-cinterfor-member-survey,dataset,cinterfor,,en;es,",
        1,
    );
    assert_ne!(edited, exported);
    std::fs::write(&path, &edited).unwrap();
    let o = faro(
        &data,
        None,
        &["import", "resources", path.to_str().unwrap()],
    );
    assert!(
        stdout(&o).contains("0 created, 1 updated, 15 unchanged"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    // Bad lines are listed and nothing is written.
    let broken = edited
        .replacen(
            ",dataset,cinterfor,,en;es,",
            ",pamphlet,cinterfor,,en;es,",
            1,
        )
        .replacen("vc2020-01;vc2020-02", "vc2020-01;not a session", 1);
    std::fs::write(&path, &broken).unwrap();
    let o = faro(
        &data,
        None,
        &["import", "resources", path.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("type is not one of the allowed values (\"pamphlet\")"),
        "{err}"
    );
    assert!(err.contains("related_sessions"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    // A well-formed file naming a session that does not exist: refused whole.
    let unknown = edited.replacen("vc2020-01;vc2020-02", "vc2020-01;vc2021-02", 1);
    let unknown = unknown.replacen(
        "r-cinterfor-member-survey,dataset,cinterfor,,en;es,",
        "r-cinterfor-member-survey,dataset,cinterfor,,es,",
        1,
    );
    std::fs::write(&path, &unknown).unwrap();
    let o = faro(
        &data,
        None,
        &["import", "resources", path.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown session \"vc2021-02\""),
        "{}",
        stderr(&o)
    );
    let o = faro(&data, None, &["export", "resources"]);
    assert_eq!(stdout(&o), edited, "nothing changed by the refused imports");
}

#[test]
fn courses_import_is_idempotent_and_all_or_nothing() {
    let d = tmpdir("courses");
    let data = d.0.join("data");
    assert!(faro(&data, None, &["demo", "load"]).status.success());
    let day = chrono::NaiveDate::from_ymd_opt(2021, 6, 1).unwrap();
    let items = faro_store::testing::synth_courses(40, &["sena".into(), "ina".into()], day, 9);
    let runs: usize = items.iter().map(|c| c.runs.len().max(1)).sum();
    let mut good = Vec::new();
    faro_formats::courses_csv::write(&mut good, &items).unwrap();
    let path = d.0.join("courses.csv");
    std::fs::write(&path, &good).unwrap();
    assert_eq!(read_csv(&path).len(), 1 + runs, "one row per run");
    let import = || faro(&data, None, &["import", "courses", path.to_str().unwrap()]);
    let o = import();
    assert!(
        stdout(&o).contains("courses: 40 created, 0 updated, 0 unchanged"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let o = import();
    assert!(
        stdout(&o).contains("0 created, 0 updated, 40 unchanged"),
        "{}",
        stdout(&o)
    );
    // A bad line (end before start) and a new course: refused whole, with the line.
    let text = String::from_utf8(good.clone()).unwrap();
    let dated = items
        .iter()
        .flat_map(|c| c.runs.iter())
        .find(|r| !r.run_start.is_empty() && !r.run_end.is_empty())
        .unwrap();
    let broken = text.replacen(
        &format!(",{},{},", dated.run_start, dated.run_end),
        &format!(",{},1999-01-01,", dated.run_start),
        1,
    );
    assert_ne!(broken, text);
    let mut extra = items[0].clone();
    extra.id = "c-extra".into();
    let mut more = Vec::new();
    faro_formats::courses_csv::write_part(&mut more, &[extra.clone()], false).unwrap();
    std::fs::write(
        &path,
        format!("{broken}{}", String::from_utf8(more).unwrap()),
    )
    .unwrap();
    let o = import();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("run_end must not be before the start date (\"1999-01-01\")"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    // An unknown provider: refused whole.
    extra.providers = vec!["no-such-vti".into()];
    let mut unknown = good.clone();
    faro_formats::courses_csv::write_part(&mut unknown, &[extra], false).unwrap();
    std::fs::write(&path, &unknown).unwrap();
    let o = import();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown provider \"no-such-vti\""),
        "{}",
        stderr(&o)
    );
    // Neither refused file wrote anything.
    std::fs::write(&path, &good).unwrap();
    let o = import();
    assert!(
        stdout(&o).contains("0 created, 0 updated, 40 unchanged"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn series_import_is_idempotent_and_all_or_nothing() {
    let d = tmpdir("series-import");
    let data = d.0.join("data");
    assert!(faro(&data, None, &["demo", "load"]).status.success());
    // The demo file itself: already there, nothing changes.
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/series.json");
    let o = faro(&data, None, &["import", "series", demo.to_str().unwrap()]);
    assert!(
        stdout(&o).contains("0 created, 0 updated, 1 unchanged"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let path = d.0.join("series.json");
    let two = r#"{"series": [
      {"id": "ciclo-2027", "original_language": "es", "title_es": "Ciclo 2027",
       "organiser": "cinterfor", "hashtag": "Ciclo2027",
       "figures": [{"key": "sessions", "value": "6", "source": "plan"}],
       "presenters": [{"institution": "sena"}, {"name": "Ana Pérez", "role": "Directora"}]},
      {"id": "ciclo-2028", "original_language": "en", "title_en": "Series 2028",
       "organiser": "no-such-institution"}
    ]}"#;
    std::fs::write(&path, two).unwrap();
    let o = faro(&data, None, &["import", "series", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no-such-institution") && stderr(&o).contains("nothing was imported")
    );
    let o = faro(
        &data,
        None,
        &[
            "import",
            "series",
            path.to_str().unwrap().replace("series.json", "x").as_str(),
        ],
    );
    assert!(!o.status.success());
    // Fixed, it goes in whole; again, it changes nothing.
    std::fs::write(&path, two.replace("no-such-institution", "senai")).unwrap();
    let o = faro(&data, None, &["import", "series", path.to_str().unwrap()]);
    assert!(
        stdout(&o).contains("2 created, 0 updated, 0 unchanged"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let o = faro(&data, None, &["import", "series", path.to_str().unwrap()]);
    assert!(
        stdout(&o).contains("0 created, 0 updated, 2 unchanged"),
        "{}",
        stdout(&o)
    );
    // A bad hashtag is listed with the series it belongs to.
    std::fs::write(
        &path,
        two.replace("Ciclo2027", "no vale")
            .replace("no-such-institution", "senai"),
    )
    .unwrap();
    let o = faro(&data, None, &["import", "series", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ciclo-2027: hashtag"), "{}", stderr(&o));
    // Malformed JSON says where.
    std::fs::write(&path, "{\"series\": [\n  {\"id\": }\n]}").unwrap();
    let o = faro(&data, None, &["import", "series", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 2"), "{}", stderr(&o));
}

/// The README a newcomer reads (issue 11 item 16): the two commands first,
/// then the toolchain, the binary's path and the first account; no path
/// outside the repository in the documentation.
#[test]
fn readme_starts_a_newcomer_and_names_no_path_outside_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```sh\n")
        .skip(1)
        .filter_map(|b| b.split("\n```").next())
        .collect();
    assert_eq!(
        blocks[0], "cargo run --release -- serve",
        "first the command that runs the site"
    );
    assert_eq!(
        blocks[1], "cargo test --workspace",
        "then the one that runs the tests"
    );
    let top = &readme[..readme.find("## ").unwrap_or(readme.len())];
    for needed in [
        "rustup",
        "target/release/faro",
        "user add",
        "--public-url",
        "--role coordinator",
    ] {
        assert!(top.contains(needed), "{needed} near the top of the README");
    }
    let mut docs = vec![
        root.join("README.md"),
        root.join("ARCHITECTURE.md"),
        root.join("data/demo/README.md"),
    ];
    for e in std::fs::read_dir(root.join("docs/benchmarks")).unwrap() {
        docs.push(e.unwrap().path());
    }
    for d in docs {
        let text = std::fs::read_to_string(&d).unwrap();
        for outside in ["/work/", "../shared"] {
            assert!(!text.contains(outside), "{} names {outside}", d.display());
        }
    }
}
