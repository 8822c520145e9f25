//! The knowledge base through its public surface, and the Atom feed and
//! sitemap read by outside parsers (Python feedparser, an XML parser).

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use faro_store::{demo, testing};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    let res = app
        .clone()
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let s = res.status();
    (
        s,
        String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned(),
    )
}

async fn apps() -> Vec<(testing::TestDb, Router)> {
    let mut v = Vec::new();
    for db in testing::all_backends().await {
        demo::load(&db.store).await.unwrap();
        let app = faro_web::router(faro_web::AppState::new(db.store.clone()));
        v.push((db, app));
    }
    v
}

/// Runs `code` with python3 on `input` (a file path); `None` when python or
/// the module is missing outside CI.
fn python(code: &str, input: &std::path::Path, module: &str) -> Option<String> {
    let out = std::process::Command::new("python3")
        .args(["-c", code])
        .arg(input)
        .output();
    match out {
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("ModuleNotFoundError") => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("CI=true but python module {module} is missing");
            }
            eprintln!("SKIPPED: check with {module} (pip install {module})");
            None
        }
        Ok(o) => {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            Some(String::from_utf8_lossy(&o.stdout).into_owned())
        }
        Err(e) => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("CI=true but python3 is missing: {e}");
            }
            None
        }
    }
}

#[tokio::test]
async fn resources_from_the_report_with_facets_pages_and_api() {
    for (db, app) in apps().await {
        let (s, body) = get(&app, "/api/v1/resources").await;
        assert_eq!(s, StatusCode::OK, "{}", db.label);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let items = v["items"].as_array().unwrap();
        assert_eq!(v["total"].as_u64().unwrap() as usize, items.len());
        assert!(items.len() >= 10);
        // Nothing invented: no licence or date the report does not give.
        for r in items {
            assert_eq!(r["license"], "", "{}", r["id"]);
            assert_eq!(r["published"], "", "{}", r["id"]);
        }
        let ids: Vec<&str> = items.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let observatory = items
            .iter()
            .find(|r| r["url"] == "https://www.oitcinterfor.org/en/node/7757")
            .expect("the observatory");
        assert_eq!(observatory["type"], "dataset");
        // Facet counts equal the totals of the filtered lists.
        for f in v["facets"]["type"].as_array().unwrap() {
            let t = f["value"].as_str().unwrap();
            let (_, b) = get(&app, &format!("/api/v1/resources?type={t}")).await;
            let n: serde_json::Value = serde_json::from_str(&b).unwrap();
            assert_eq!(n["total"], f["count"], "{t}");
        }
        // The page: facets, JSON-LD CreativeWork, "cite this".
        let (s, html) = get(&app, "/pt/resources").await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("Base de conhecimento"));
        let id = ids[0];
        let (s, html) = get(&app, &format!("/es/resources/{id}")).await;
        assert_eq!(s, StatusCode::OK);
        let ld = html
            .split("application/ld+json\">")
            .nth(1)
            .unwrap()
            .split("</script>")
            .next()
            .unwrap();
        let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
        assert!(ld["@type"].to_string().contains("CreativeWork"));
        assert!(html.contains("Cómo citar"));
        assert!(
            html.contains("no indicada"),
            "unknown licence is said, not invented"
        );
        assert_eq!(
            get(&app, "/es/resources/nope").await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(&app, "/api/v1/resources/nope").await.0,
            StatusCode::NOT_FOUND
        );
        let long = format!("/en/resources?type={}", "x".repeat(100));
        assert_eq!(get(&app, &long).await.0, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn atom_feed_and_sitemap_parse_with_outside_readers() {
    let (_db, app) = apps().await.into_iter().next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (s, atom) = get(&app, "/feeds/resources.atom?lang=es").await;
    assert_eq!(s, StatusCode::OK);
    let path = dir.path().join("feed.atom");
    std::fs::write(&path, &atom).unwrap();
    if let Some(out) = python(
        "import sys, feedparser; d = feedparser.parse(sys.argv[1]); assert not d.bozo, d.bozo_exception; print(d.version, len(d.entries), d.entries[0].title, d.entries[0].link)",
        &path,
        "feedparser",
    ) {
        assert!(out.starts_with("atom10 "), "{out}");
        let n: usize = out.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert!(n >= 10, "{out}");
        assert!(out.contains("/es/resources/"), "{out}");
    }
    // A filtered feed takes the page's parameters.
    let (_, filtered) = get(&app, "/feeds/resources.atom?type=dataset").await;
    assert_eq!(filtered.matches("<entry>").count(), 2, "{filtered}");
    // Sitemap: an index of files, each every public page of a slice in
    // three languages with lastmod and hreflang, read by an XML parser.
    let (s, index) = get(&app, "/sitemap.xml").await;
    assert_eq!(s, StatusCode::OK);
    let path = dir.path().join("sitemap.xml");
    std::fs::write(&path, &index).unwrap();
    let files: Vec<String> = index
        .split("<loc>")
        .skip(1)
        .filter_map(|x| x.split("</loc>").next())
        .map(|u| u.trim_start_matches("http://127.0.0.1:8080").to_string())
        .collect();
    assert!(
        files.contains(&"/sitemaps/pages.xml".to_string()),
        "{index}"
    );
    assert!(
        files.contains(&"/sitemaps/measures-1.xml".to_string()),
        "{index}"
    );
    if let Some(out) = python(
        "import sys, xml.etree.ElementTree as ET; ns={'s':'http://www.sitemaps.org/schemas/sitemap/0.9'}; r=ET.parse(sys.argv[1]).getroot(); assert r.tag.endswith('sitemapindex'); print(len(r.findall('s:sitemap/s:loc', ns)))",
        &path,
        "xml",
    ) {
        assert_eq!(out.trim().parse::<usize>().unwrap(), files.len());
    }
    let mut sitemap = String::new();
    let mut total = 0;
    for (k, f) in files.iter().enumerate() {
        let (s, body) = get(&app, f).await;
        assert_eq!(s, StatusCode::OK, "{f}");
        let path = dir.path().join(format!("sitemap-{k}.xml"));
        std::fs::write(&path, &body).unwrap();
        if let Some(out) = python(
            "import sys, xml.etree.ElementTree as ET; ns={'s':'http://www.sitemaps.org/schemas/sitemap/0.9','x':'http://www.w3.org/1999/xhtml'}; r=ET.parse(sys.argv[1]).getroot(); urls=r.findall('s:url', ns); assert all(u.find('s:lastmod', ns) is not None and len(u.findall('x:link', ns))==3 for u in urls); assert len(urls) <= 50000; print(len(urls))",
            &path,
            "xml",
        ) {
            total += out.trim().parse::<usize>().unwrap();
        }
        sitemap.push_str(&body);
    }
    if total > 0 {
        assert!(total >= 3 * (81 + 35 + 10), "{total}");
    }
    assert_eq!(
        get(&app, "/sitemaps/measures-99.xml").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/sitemaps/nothing-1.xml").await.0,
        StatusCode::NOT_FOUND
    );
    assert!(sitemap.contains("/pt/institutions/sena</loc>"));
    assert!(sitemap.contains("/es/events/vc2020-12</loc>"));
    assert!(sitemap.contains("/en/observatory/measures/m-sena-medical-material</loc>"));
    let (_, robots) = get(&app, "/robots.txt").await;
    assert!(robots.contains("Sitemap:"));
}

#[tokio::test]
async fn every_public_page_carries_schema_org_json_ld() {
    let (_db, app) = apps().await.into_iter().next().unwrap();
    for (uri, kind) in [
        ("/es/", "WebSite"),
        ("/en/institutions", "CollectionPage"),
        ("/pt/institutions/senai", "EducationalOrganization"),
        ("/en/observatory", "Dataset"),
        (
            "/es/observatory/measures/m-sena-medical-material",
            "Dataset",
        ),
        ("/en/resources", "CollectionPage"),
        (
            "/en/resources/r-cinterfor-observatory-measures",
            "CreativeWork",
        ),
        ("/es/events", "ItemList"),
        ("/es/events/series/vc2020", "EventSeries"),
        ("/pt/events/vc2020-07", "Event"),
    ] {
        let (s, html) = get(&app, uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        let blocks: Vec<serde_json::Value> = html
            .split("<script type=\"application/ld+json\">")
            .skip(1)
            .map(|b| serde_json::from_str(b.split("</script>").next().unwrap()).unwrap())
            .collect();
        assert!(!blocks.is_empty(), "{uri} has no JSON-LD");
        assert!(
            blocks.iter().all(|b| b["@context"] == "https://schema.org"),
            "{uri}"
        );
        assert!(
            blocks.iter().any(|b| b["@type"].to_string().contains(kind)),
            "{uri}: {blocks:?}"
        );
        // A JSON-LD processor (PyLD) expands each block. schema.org's remote
        // context cannot be fetched here, so the loader serves a local one
        // mapping every term into the schema.org vocabulary.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ld.json");
        std::fs::write(&path, serde_json::to_vec(&blocks).unwrap()).unwrap();
        let code = "import sys, json\nfrom pyld import jsonld\ndef loader(url, options={}):\n    return {'contextUrl': None, 'documentUrl': url, 'document': {'@context': {'@vocab': 'https://schema.org/'}}}\njsonld.set_document_loader(loader)\nfor b in json.load(open(sys.argv[1])):\n    e = jsonld.expand(b)\n    assert e and any(t.startswith('https://schema.org/') for n in e for t in n.get('@type', [])), e\nprint('expanded')";
        if let Some(out) = python(code, &path, "pyld") {
            assert!(out.contains("expanded"), "{uri}: {out}");
        }
    }
}

fn multipart(csrf: &str, filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "faroboundary7d9";
    let mut body = Vec::new();
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn uploads_are_typed_by_content_limited_and_stored_by_hash() {
    let db = testing::sqlite().await;
    demo::load(&db.store).await.unwrap();
    let files = tempfile::tempdir().unwrap();
    let hash = faro_store::accounts::hash_password("uploader password".into())
        .await
        .unwrap();
    let a = faro_store::changes::Actor::new("t", None);
    faro_store::accounts::create_user(
        &db.store,
        "ed@cinterfor.test",
        faro_domain::accounts::Role::Editor,
        &["cinterfor".into()],
        Some(hash.clone()),
        &a,
    )
    .await
    .unwrap();
    faro_store::accounts::create_user(
        &db.store,
        "ed@senai.test",
        faro_domain::accounts::Role::Editor,
        &["senai".into()],
        Some(hash),
        &a,
    )
    .await
    .unwrap();
    let cfg = faro_web::WebConfig {
        files_dir: Some(files.path().to_path_buf()),
        max_upload_bytes: 64 * 1024,
        ..Default::default()
    };
    let app = faro_web::router(faro_web::AppState {
        store: db.store.clone(),
        config: std::sync::Arc::new(cfg),
        search: None,
    });
    let sign_in = |email: &'static str| {
        let app = app.clone();
        async move {
            let anon = format!("faro_csrf={}", "c".repeat(64));
            let body = format!(
                "csrf={}&email={}&password=uploader+password",
                "c".repeat(64),
                email.replace('@', "%40")
            );
            let res = app
                .clone()
                .oneshot(
                    Request::builder()
                        .method("POST")
                        .uri("/en/login")
                        .header("content-type", "application/x-www-form-urlencoded")
                        .header("cookie", anon)
                        .body(Body::from(body))
                        .unwrap(),
                )
                .await
                .unwrap();
            let cookie = res
                .headers()
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().unwrap().to_string())
                .find(|c| c.starts_with("faro_session="))
                .unwrap();
            let cookie = cookie.split(';').next().unwrap().to_string();
            let page = app
                .oneshot(
                    Request::builder()
                        .uri("/en/account")
                        .header("cookie", &cookie)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            let html =
                String::from_utf8_lossy(&page.into_body().collect().await.unwrap().to_bytes())
                    .into_owned();
            let csrf = html
                .split("name=\"csrf\" value=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string();
            (cookie, csrf)
        }
    };
    let (cookie, csrf) = sign_in("ed@cinterfor.test").await;
    let post = |cookie: String, csrf: String, name: &'static str, bytes: Vec<u8>| {
        let app = app.clone();
        async move {
            let (ct, body) = multipart(&csrf, name, &bytes);
            let res = app
                .oneshot(
                    Request::builder()
                        .method("POST")
                        .uri(format!(
                            "/es/resources/r-cinterfor-technical-note-covid19/files?csrf={csrf}"
                        ))
                        .header("content-type", ct)
                        .header("cookie", cookie)
                        .body(Body::from(body))
                        .unwrap(),
                )
                .await
                .unwrap();
            let s = res.status();
            (
                s,
                String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes())
                    .into_owned(),
            )
        }
    };
    let stored = || walk(files.path());
    // A PDF named .docx is stored as a PDF, named .pdf, by its hash.
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let (s, body) = post(
        cookie.clone(),
        csrf.clone(),
        "Nota técnica.docx",
        pdf.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let list = faro_store::files::for_resource(&db.store, "r-cinterfor-technical-note-covid19")
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].media_type, "application/pdf");
    assert_eq!(list[0].name, "Nota técnica.pdf");
    assert_eq!(stored(), 1);
    let (_, page) = get(&app, "/en/resources/r-cinterfor-technical-note-covid19").await;
    assert!(
        page.contains("Nota técnica.pdf") && page.contains("(PDF, 1 KB)"),
        "size and format shown before download"
    );
    let (s, body) = get(&app, &format!("/files/{}", list[0].sha256)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body.as_bytes(), pdf.as_slice());
    // Editors see the link-check state; visitors do not.
    let as_editor = app
        .clone()
        .oneshot(
            Request::builder()
                .uri("/en/resources/r-cinterfor-technical-note-covid19")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let html = String::from_utf8_lossy(&as_editor.into_body().collect().await.unwrap().to_bytes())
        .into_owned();
    assert!(html.contains("Not checked yet"), "{html}");
    assert!(!page.contains("Not checked yet"));
    // The same bytes again: no second copy.
    post(cookie.clone(), csrf.clone(), "again.pdf", pdf.clone()).await;
    assert_eq!(stored(), 1);
    // Text renamed .pdf: refused in the user's language, nothing stored.
    let (s, body) = post(
        cookie.clone(),
        csrf.clone(),
        "fake.pdf",
        b"just some text, not a pdf".to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(body.contains("No se guardó nada"), "{body}");
    // Over the limit: refused, nothing stored.
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(200 * 1024, b'x');
    let (s, body) = post(cookie.clone(), csrf.clone(), "big.pdf", big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body.contains("demasiado grande"), "{body}");
    assert_eq!(stored(), 1);
    assert_eq!(
        faro_store::files::for_resource(&db.store, "r-cinterfor-technical-note-covid19")
            .await
            .unwrap()
            .len(),
        1
    );
    // Another institution's editor, or no CSRF token: refused.
    let (other, other_csrf) = sign_in("ed@senai.test").await;
    let png = b"\\x89PNG\\r\\n\\x1a\\n0000".to_vec();
    let (s, _) = post(
        other,
        other_csrf,
        "x.png",
        b"\x89PNG\r\n\x1a\n0000".to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = post(cookie.clone(), "0".repeat(64), "x.png", png).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The upload is in the resource's history.
    let h =
        faro_store::changes::history(&db.store, "resource", "r-cinterfor-technical-note-covid19")
            .await
            .unwrap();
    assert!(h.iter().any(|c| {
        c.field == "files"
            && c.new_value
                .as_deref()
                .unwrap_or("")
                .contains("application/pdf")
    }));
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| {
                    if e.path().is_dir() {
                        walk(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn text_of_uploaded_pdfs_feeds_the_search() {
    for db in testing::all_backends().await {
        demo::load(&db.store).await.unwrap();
        let files = tempfile::tempdir().unwrap();
        let idx = tempfile::tempdir().unwrap();
        let (index, _) = faro_web::search::open(&db.store, idx.path()).await.unwrap();
        let app =
            faro_web::router(faro_web::AppState::new(db.store.clone()).with_search(index.clone()));
        let (_, before) = get(&app, "/api/v1/search?q=zygomorphic").await;
        assert!(before.contains("\"total\":0"), "{before}");
        let pdf = faro_formats::pdf::minimal_pdf("Guia de formacion zygomorphic para docentes");
        let a = faro_store::changes::Actor::new("t", None);
        let row = faro_store::files::attach(
            &db.store,
            files.path(),
            "r-cinterfor-teaching-practices-guide",
            "guia.pdf",
            &pdf,
            &a,
        )
        .await
        .unwrap();
        assert!(row.text.as_deref().unwrap_or("").contains("zygomorphic"));
        // A PDF the parser cannot read is still stored, without text.
        let broken = b"%PDF-1.4 not really a pdf".to_vec();
        let row = faro_store::files::attach(
            &db.store,
            files.path(),
            "r-cinterfor-teaching-practices-guide",
            "roto.pdf",
            &broken,
            &a,
        )
        .await
        .unwrap();
        assert_eq!(row.text, None);
        faro_web::search::Follower::new(db.store.clone(), index.clone())
            .sync_once()
            .await
            .unwrap();
        let (_, after) = get(&app, "/api/v1/search?q=zygomorphic").await;
        assert!(
            after.contains("\"id\":\"r-cinterfor-teaching-practices-guide\""),
            "{}: {after}",
            db.label
        );
    }
}

/// Issue 11 item 12: a resource page names its institutions by acronym and
/// name, linked to their profiles, never as bare ids.
#[tokio::test]
async fn resource_pages_name_their_institutions() {
    for (db, app) in apps().await {
        let (status, page) = get(&app, "/en/resources/r-cinterfor-technical-note-covid19").await;
        assert_eq!(status, StatusCode::OK);
        let i = faro_store::institutions::get(&db.store, "cinterfor")
            .await
            .unwrap();
        let name = i.display_name(faro_domain::Lang::En).to_string();
        assert!(!name.is_empty() && name != "cinterfor");
        let html_name = name.replace('&', "&amp;").replace('\'', "&#39;");
        assert!(
            page.contains(&format!("<a href=\"/en/institutions/cinterfor\"><abbr title=\"{html_name}\">{}</abbr> — {html_name}</a>", i.acronym)),
            "{}: acronym and name, linked: {page}",
            db.label
        );
        assert!(!page.contains(">cinterfor</a>"), "no bare id");
    }
}
