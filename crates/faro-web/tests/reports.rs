//! Reports generated from the data (issue 16): the built-in series report
//! published as an edition, its figures in the HTML and the PDF (read back
//! by pdftotext and pypdf) equal to the store's, editions frozen byte for
//! byte, the diff of figures, located problems for bad markup (never a
//! 500), escaping.

mod common;
use axum::http::StatusCode;
use common::*;

fn pdftotext(bytes: &[u8]) -> Option<String> {
    pdftotext_with(bytes, "-layout")
}

/// pdftotext in the given mode (`-layout`, or `-raw` for the content
/// stream's order, where a wrapped table cell stays in one piece).
fn pdftotext_with(bytes: &[u8], mode: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.pdf");
    std::fs::write(&p, bytes).unwrap();
    match std::process::Command::new("pdftotext")
        .args([mode, "-enc", "UTF-8"])
        .arg(&p)
        .arg("-")
        .output()
    {
        Ok(o) => {
            assert!(o.status.success());
            Some(String::from_utf8_lossy(&o.stdout).into_owned())
        }
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but pdftotext is missing: {e}"
            );
            eprintln!("SKIPPED: pdftotext missing");
            None
        }
    }
}

const PYPDF: &str = r#"
import sys, json, pypdf
r = pypdf.PdfReader(sys.argv[1])
def walk(o):
    out = []
    for x in o:
        if isinstance(x, list):
            out.extend(walk(x))
        else:
            out.append(x.title)
    return out
root = r.trailer["/Root"]
print(json.dumps({"title": r.metadata.get("/Title"), "lang": str(root.get("/Lang")),
  "outline": walk(r.outline), "pages": len(r.pages),
  "text": "\n".join(p.extract_text() for p in r.pages)}))
"#;

fn pypdf(bytes: &[u8]) -> Option<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.pdf");
    std::fs::write(&p, bytes).unwrap();
    python(PYPDF, &p, "pypdf").map(|s| serde_json::from_str(&s).unwrap())
}

async fn get_bytes(app: &axum::Router, uri: &str) -> Vec<u8> {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let res = app
        .clone()
        .oneshot(
            axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{uri}");
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}

async fn version(site: &Site, id: &str) -> String {
    faro_store::reports::get(&site.db.store, id)
        .await
        .unwrap()
        .version()
}

#[tokio::test]
async fn series_report_edition_figures_frozen_and_diffed() {
    for site in sites().await {
        let store = &site.db.store;
        let mut c = Client::login(&site.app, "coord@faro.test").await;
        let r = c
            .submit(
                "/en/reports",
                "/en/reports",
                &[
                    ("id", "vc2020-report"),
                    ("kind", "series"),
                    ("series", "vc2020"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // The preview works without saving or JavaScript.
        let rep = faro_store::reports::get(store, "vc2020-report")
            .await
            .unwrap();
        let r = c
            .submit(
                "/en/reports/vc2020-report/edit",
                "/en/reports/vc2020-report/edit",
                &[
                    ("action", "preview"),
                    ("version", &rep.version()),
                    ("source_es", &rep.sources[0]),
                    ("source_en", &rep.sources[1]),
                    ("source_pt", &rep.sources[2]),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("value=\"12\""), "preview shows 12 sessions");

        let v = version(&site, "vc2020-report").await;
        let r = c
            .submit(
                "/en/reports/vc2020-report",
                "/en/reports/vc2020-report/publish",
                &[("version", &v)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // What the store says.
        let sessions: Vec<_> = faro_store::events::for_series(store, "vc2020")
            .await
            .unwrap();
        assert_eq!(sessions.len(), 12);
        let first = sessions.iter().map(|s| s.date.clone()).min().unwrap();
        let last = sessions.iter().map(|s| s.date.clone()).max().unwrap();
        assert_eq!(
            (first.as_str(), last.as_str()),
            ("2020-03-26", "2020-06-25")
        );
        let filter = faro_store::institutions::Filter {
            member: Some(true),
            ..Default::default()
        };
        let (members, total) = faro_store::institutions::list(store, &filter, 1, 100)
            .await
            .unwrap();
        assert_eq!(members.len() as u64, total);
        // …and what the API says for the same data: the report's figures
        // are compared with these.
        let mut api = Client::new(&site.app);
        let listed = api.get("/api/v1/sessions").await.json();
        let dates: Vec<String> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["series"] == "vc2020")
            .map(|s| s["date"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(dates.len(), sessions.len());
        assert_eq!(dates.iter().min(), Some(&first));
        assert_eq!(dates.iter().max(), Some(&last));
        let api_members = api
            .get("/api/v1/institutions?member=true&per_page=200")
            .await
            .json();
        assert_eq!(api_members["total"], serde_json::json!(total));
        let acronyms: Vec<String> = api_members["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["acronym"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(acronyms.len() as u64, total);

        // The HTML edition, in English and Spanish.
        let mut anon = Client::new(&site.app);
        let html_en = anon.get("/en/reports/vc2020-report/1").await;
        assert_eq!(html_en.status, StatusCode::OK);
        let h = &html_en.body;
        assert!(
            h.contains("<data class=\"figure\" value=\"12\">12</data>"),
            "12 sessions"
        );
        assert!(
            h.contains("value=\"2020-03-26\">26 March 2020<"),
            "first date"
        );
        assert!(
            h.contains("value=\"2020-06-25\">25 June 2020<"),
            "last date"
        );
        assert!(
            h.contains(&format!("value=\"{total}\">{total}<")),
            "member count"
        );
        assert!(h.contains("\"@type\":\"Report\""), "schema.org Report");
        assert!(h.contains("<html lang=\"en\">"));
        for m in &members {
            assert!(
                h.contains(&faro_web::toolkit::escape(&m.acronym)),
                "member {}",
                m.acronym
            );
        }
        // Reported figures with their source.
        assert!(
            h.contains("&gt; 2200") || h.contains("> 2200"),
            "reported total"
        );
        assert!(
            h.contains("Final report, &#39;The series")
                || h.contains("Final report, 'The series")
                || h.contains("Final report, &apos;The series")
        );
        // Light like every page: the edition and its stylesheet, compressed
        // as served, stay within 30 KB (the charts are inline SVG).
        let mut sent = 0;
        for uri in ["/en/reports/vc2020-report/1", "/static/faro.css"] {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let res = site
                .app
                .clone()
                .oneshot(
                    axum::http::Request::get(uri)
                        .header("accept-encoding", "gzip")
                        .body(axum::body::Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            assert_eq!(res.headers()["content-encoding"], "gzip", "{uri}");
            sent += res.into_body().collect().await.unwrap().to_bytes().len();
        }
        eprintln!(
            "series report edition: {} B html, {sent} B sent compressed",
            h.len()
        );
        assert!(sent <= 30 * 1024, "the edition transfers {sent} bytes");
        let html_es = anon.get("/es/reports/vc2020-report/1").await.body;
        assert!(html_es.contains("26 de marzo de 2020"), "Spanish date");
        assert!(html_es.contains("<html lang=\"es\">"));

        // The CSV of the sessions block.
        let csv = anon
            .get("/en/reports/vc2020-report/1/data/table-sessions-vc2020.csv")
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.body.lines().count(), 13, "{}", csv.body);
        assert!(csv.body.contains("2020-03-26"));

        // The PDF: pdftotext and pypdf read the same figures.
        let pdf_en = get_bytes(&site.app, "/en/reports/vc2020-report/1.pdf").await;
        assert!(pdf_en.starts_with(b"%PDF-"));
        if let Some(text) = pdftotext(&pdf_en) {
            assert!(
                text.contains(
                    "12 video conferences were held between 26 March 2020 and 25 June 2020"
                ) || (text.contains("26 March 2020") && text.contains("25 June 2020")),
                "{text}"
            );
            // Table cells wrap long acronyms ("HEART/NSTA Trust" over two
            // lines), so compare with whitespace removed on both sides.
            let raw = pdftotext_with(&pdf_en, "-raw").unwrap();
            let squeezed: String = raw.split_whitespace().collect();
            for a in &acronyms {
                let a: String = a.split_whitespace().collect();
                assert!(squeezed.contains(&a), "{a} in the PDF");
            }
            assert!(text.contains("Page 1 of"), "page numbers");
        }
        if let Some(p) = pypdf(&pdf_en) {
            let title = faro_store::reports::get(store, "vc2020-report")
                .await
                .unwrap()
                .titles[1]
                .clone();
            assert_eq!(p["title"], serde_json::json!(title));
            assert_eq!(p["lang"], "en");
            let outline: Vec<String> = serde_json::from_value(p["outline"].clone()).unwrap();
            for hd in [
                "The series of video conferences",
                "Topics of the sessions",
                "Member institutions",
                "Some proposals for the immediate future",
            ] {
                assert!(outline.iter().any(|o| o == hd), "{hd} in {outline:?}");
            }
            let text = p["text"].as_str().unwrap();
            assert!(text.contains("12"), "pypdf reads the figures");
            assert!(text.contains("26 March 2020"));
        }
        let pdf_pt = get_bytes(&site.app, "/pt/reports/vc2020-report/1.pdf").await;
        if let Some(p) = pypdf(&pdf_pt) {
            assert_eq!(p["lang"], "pt");
            assert!(p["text"].as_str().unwrap().contains("26 de março de 2020"));
        }

        // The data change: a thirteenth session. Edition 1 stays as it was.
        let mut s13 = sessions[11].clone();
        s13.id = "vc2020-13".into();
        s13.number = 13;
        s13.date = "2020-07-02".into();
        faro_store::events::upsert_all(
            store,
            &[s13],
            &faro_store::changes::Actor::new("test", None),
        )
        .await
        .unwrap();
        assert_eq!(
            anon.get("/en/reports/vc2020-report/1").await.body,
            *h,
            "byte-identical after a data change"
        );
        assert_eq!(
            get_bytes(&site.app, "/en/reports/vc2020-report/1.pdf").await,
            pdf_en
        );

        let v = version(&site, "vc2020-report").await;
        let r = c
            .submit(
                "/en/reports/vc2020-report",
                "/en/reports/vc2020-report/publish",
                &[("version", &v)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let h2 = anon.get("/en/reports/vc2020-report/2").await.body;
        assert!(h2.contains("<data class=\"figure\" value=\"13\">13</data>"));
        assert_eq!(
            anon.get("/en/reports/vc2020-report/1").await.body,
            *h,
            "byte-identical after a later edition"
        );
        assert_eq!(
            get_bytes(&site.app, "/en/reports/vc2020-report/1.pdf").await,
            pdf_en
        );

        // The editions page: both, and the figures that changed.
        let page = anon.get("/en/reports/vc2020-report?a=1&b=2").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("/en/reports/vc2020-report/2.pdf"));
        assert!(
            page.body.contains("figure sessions.count series=vc2020"),
            "{}",
            page.body
        );
        assert!(page.body.contains("<td>12</td><td>13</td>"));
        assert!(page.body.contains("2020-07-02"), "the last date changed");
        assert!(
            !page
                .body
                .contains("figure institutions.count member=true</code>"),
            "unchanged figures are not listed"
        );
    }
}

#[tokio::test]
async fn bad_markup_is_located_never_500_and_text_is_escaped() {
    for site in sites().await {
        let mut c = Client::login(&site.app, "coord@faro.test").await;
        let r = c
            .submit(
                "/en/reports",
                "/en/reports",
                &[("id", "bad"), ("kind", "custom")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let v = version(&site, "bad").await;
        let ok = "# T\n\nText.\n";
        let big = format!("# T\n\nIntro.\n\n{}\n", "palabra ".repeat(140_000));
        let cases: Vec<(String, &str)> = vec![
            (
                "# T\n\n::: table nonsense\n:::\n".into(),
                "English, line 3: unknown block: table nonsense",
            ),
            (
                "# T\n\n::: table sessions series=vc2020 colour=red\n:::\n".into(),
                "English, line 3: unknown parameter: colour",
            ),
            (
                "# T\n\n::: table sessions series=Not-An-Id!\n:::\n".into(),
                "English, line 3: value not allowed: series=Not-An-Id!",
            ),
            (
                "# T\n\nOne.\n\n::: table sessions series=vc2020\ncaption\n".into(),
                "English, line 5: the block is not closed",
            ),
            (
                "# T\n\n::: table sessions series=nosuchseries\n:::\n".into(),
                "English, line 3: no such record: series=nosuchseries",
            ),
            (big, "English, line 5: the text is longer than the limit"),
        ];
        for (src, want) in cases {
            // The same text in es and pt (a 1 MB text only in English).
            let other = if src.len() > 100_000 {
                ok.to_string()
            } else {
                src.clone()
            };
            let r = c
                .submit(
                    "/en/reports/bad/edit",
                    "/en/reports/bad/edit",
                    &[
                        ("action", "preview"),
                        ("version", &v),
                        ("source_es", &other),
                        ("source_en", &src),
                        ("source_pt", &other),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{want}");
            assert!(
                r.body.contains(want),
                "{want}: {}",
                &r.body[r.body.find("report-problems").unwrap_or(0)..]
                    .chars()
                    .take(600)
                    .collect::<String>()
            );
        }
        // A missing translation is reported before publishing.
        let r = c
            .submit(
                "/en/reports/bad/edit",
                "/en/reports/bad/edit",
                &[
                    ("action", "preview"),
                    ("version", &v),
                    ("source_es", "# T\n\nUno.\n\nDos.\n"),
                    ("source_en", "# T\n\nOne.\n"),
                    ("source_pt", "# T\n\nUm.\n\nDois.\n"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("English, line 3: the translation is missing or differs"),
            "missing translation"
        );
        // Hostile HTML is text, escaped, in the preview and in the PDF.
        let hostile = "# T <b>x</b>\n\n<script>alert(1)</script> and <img src=x onerror=alert(2)>\n\n[link](javascript:alert(3))\n";
        let r = c
            .submit(
                "/en/reports/bad/edit",
                "/en/reports/bad/edit",
                &[
                    ("action", "save"),
                    ("version", &v),
                    ("source_es", hostile),
                    ("source_en", hostile),
                    ("source_pt", hostile),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = version(&site, "bad").await;
        let r = c
            .submit(
                "/en/reports/bad",
                "/en/reports/bad/publish",
                &[("version", &v)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let mut anon = Client::new(&site.app);
        let h = anon.get("/en/reports/bad/1").await.body;
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
        assert!(!h.contains("<script>alert"), "no script");
        assert!(!h.contains("<img"), "no img");
        assert!(!h.contains("javascript:"), "no javascript link");
        let pdf = get_bytes(&site.app, "/en/reports/bad/1.pdf").await;
        if let Some(text) = pdftotext(&pdf) {
            assert!(
                text.contains("<script>alert(1)</script>"),
                "the PDF shows the text as written: {text}"
            );
        }
        // Unknown editions and files are 404s, not 500s.
        assert_eq!(
            anon.get("/en/reports/bad/9").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            anon.get("/en/reports/bad/x.pdf").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            anon.get("/en/reports/bad/1/data/nope.csv").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            anon.get("/en/reports/nope").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

/// The built-in survey report charts every question with choices (at the
/// top level and in repeats), with labels in each language, and its
/// figures equal the store's counts; counts below 5 stay hidden.
#[tokio::test]
async fn survey_report_charts_every_select_question() {
    use faro_store::surveys;
    const ID: &str = "member_survey_2020";
    for site in sites().await {
        let store = &site.db.store;
        let bytes = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../data/demo/surveys/member-survey-2020.xlsx"),
        )
        .unwrap();
        let form = faro_formats::xlsform::read(&bytes, "m").unwrap();
        surveys::upload(store, &form, &bytes, "member-survey-2020.xlsx", "setup")
            .await
            .unwrap();
        let insts = ["sena", "senai", "ina", "infotep", "intecap", "senati"];
        let all: Vec<String> = insts.iter().map(|s| s.to_string()).collect();
        surveys::invite(store, ID, &all, "es", "setup")
            .await
            .unwrap();
        // Six say yes; two of them name online training among the strategies.
        for (i, inst) in insts.iter().enumerate() {
            let r = surveys::open_response(store, ID, inst, "code")
                .await
                .unwrap();
            let mut a = r.answers.clone();
            a.values.insert("affected".into(), "yes".into());
            if i < 2 {
                a.values.insert("strategies".into(), "online".into());
            }
            let rev = surveys::save(store, r.id, r.revision, &a, 2, 4, "code")
                .await
                .unwrap();
            surveys::submit(store, r.id, rev, "code").await.unwrap();
        }

        let mut c = Client::login(&site.app, "coord@faro.test").await;
        let r = c
            .submit(
                "/en/reports",
                "/en/reports",
                &[("id", "survey-2020"), ("kind", "survey"), ("survey", ID)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let rep = faro_store::reports::get(store, "survey-2020")
            .await
            .unwrap();
        for (src, label) in rep.sources.iter().zip([
            "¿Qué estrategias comenzó a adoptar",
            "Which strategies did you begin to adopt",
            "Que estratégias começou a adotar",
        ]) {
            assert!(
                src.contains("question=affected\n"),
                "{}: {src}",
                site.db.label
            );
            assert!(src.contains("question=strategies\n"), "{src}");
            assert!(src.contains(&format!("### {label}")), "{src}");
            assert!(!src.contains("question=effects"), "texts are not charted");
        }
        let v = version(&site, "survey-2020").await;
        let r = c
            .submit(
                "/en/reports/survey-2020",
                "/en/reports/survey-2020/publish",
                &[("version", &v)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        let counts = surveys::value_counts(store, ID, "affected", &Default::default(), 10)
            .await
            .unwrap();
        assert_eq!(counts, vec![("yes".to_string(), 6)]);
        let mut anon = Client::new(&site.app);
        let h = anon.get("/en/reports/survey-2020/1").await;
        assert_eq!(h.status, StatusCode::OK);
        assert!(
            h.body
                .contains("<data class=\"figure\" value=\"6\">6</data>"),
            "{}",
            h.body
        );
        // The block's data: six "Yes", and the strategy chosen twice is
        // shown as fewer than 5, never as 2.
        let csv = anon
            .get("/en/reports/survey-2020/1/data/chart-survey-question-member_survey_2020-affected.csv")
            .await;
        assert_eq!(csv.status, StatusCode::OK, "{}", h.body);
        assert!(csv.body.contains("Yes,6"), "{}", csv.body);
        let csv = anon
            .get("/en/reports/survey-2020/1/data/chart-survey-question-member_survey_2020-strategies.csv")
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.body.contains("Distance and online training,<5"),
            "{}",
            csv.body
        );
        let pt = anon.get("/pt/reports/survey-2020/1").await.body;
        assert!(pt.contains("Que estratégias começou a adotar"));
    }
}
