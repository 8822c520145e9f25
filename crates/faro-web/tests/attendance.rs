//! Attendance, audience and certificates through HTTP, on SQLite and
//! PostgreSQL: a coordinator uploads Zoom reports (and a poll report,
//! refused), records Facebook figures, reads the analytics (CSV read back
//! by Python's csv module), sets the certificate rule and issues; the
//! attendee downloads the PDF from the personal page (read by `pdftotext`
//! and `pypdf`), the verification page confirms, then says revoked, then
//! replaced after a name correction; public pages never show a count below
//! 5, a name or an e-mail.

mod common;
use axum::http::StatusCode;
use common::{Client, python, site_with, smtp_sink};
use faro_domain::events::{Registrant, Session};
use faro_store::changes::Actor;
use faro_store::{accounts, certificates, events, registrations};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/data/zoom/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn multipart(csrf: &str, tz: &str, file: &[u8]) -> (Vec<u8>, String) {
    let b = "attboundary";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{b}\r\nContent-Disposition: form-data; name=\"tz\"\r\n\r\n{tz}\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (body, format!("multipart/form-data; boundary={b}"))
}

async fn upload(c: &mut Client, session: &str, file: &[u8]) -> common::Resp {
    let page = format!("/en/events/{session}/attendance");
    let csrf = c.csrf(&page).await;
    let (body, ct) = multipart(&csrf, "America/Montevideo", file);
    c.send_bytes("POST", &page, body, &ct).await
}

fn pdftotext(path: &std::path::Path) -> Option<String> {
    match std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
    {
        Ok(o) => {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            Some(String::from_utf8_lossy(&o.stdout).into_owned())
        }
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but pdftotext is missing: {e}"
            );
            eprintln!("SKIPPED: pdftotext (apt-get install poppler-utils)");
            None
        }
    }
}

/// Every number in the public tables is 5 or more, or "fewer than 5".
fn no_small_counts(html: &str, table_id: &str) {
    let Some(t) = html.split(&format!("id=\"{table_id}\"")).nth(1) else {
        return;
    };
    let t = t.split("</table>").next().unwrap();
    for cell in t.split("<td>").skip(1) {
        let v = cell.split("</td>").next().unwrap().trim();
        if let Ok(n) = v.parse::<i64>() {
            assert!(n >= 5, "{table_id}: a count below 5 shown: {v}");
        } else {
            assert!(v.starts_with("fewer than"), "{table_id}: {v}");
        }
    }
}

const PERSONAL: &[&str] = &[
    "Ana P",
    "ana.perez",
    "João",
    "joao@",
    "María",
    "Carlos Ruiz",
    "carlos@",
    "@senai.example",
    "@inacap.example",
];

#[tokio::test]
async fn zoom_upload_analytics_certificates_and_verification() {
    for db in faro_store::testing::all_backends().await {
        let (port, inbox) = smtp_sink().await;
        let smtp = format!("smtp://127.0.0.1:{port}");
        let cfg = || faro_web::WebConfig {
            mailer: Some(faro_web::mail::Mailer::from_url(&smtp, "faro@faro.test").unwrap()),
            public_url: "https://faro.example.org".into(),
            ..Default::default()
        };
        let site = site_with(db, cfg()).await;
        let store = &site.db.store;
        let app = &site.app;
        let label = &site.db.label;
        let s = Session {
            id: "vc2099-13".into(),
            series: "vc2020".into(),
            number: 13,
            date: "2099-11-19".into(),
            start_time: "10:00".into(),
            time_zone: "America/Montevideo".into(),
            duration_minutes: 90,
            title_es: "Formación a distancia".into(),
            title_en: "Distance training".into(),
            title_pt: "Formação a distância".into(),
            original_language: "es".into(),
            channels: vec!["zoom".into()],
            ..Default::default()
        };
        events::save(
            store,
            &s,
            &Actor::new("t", None),
            Some(faro_store::changes::NEW_RECORD),
        )
        .await
        .unwrap();
        let s = events::get(store, &s.id).await.unwrap();
        let mut ana = Registrant {
            name: "Ana Pérez".into(),
            email: "ana.perez@senai.example".into(),
            institution: "senai".into(),
            country: "BR".into(),
            lang: "pt".into(),
            consent: true,
            ..Default::default()
        };
        assert!(ana.validate().is_empty());
        let token =
            registrations::register(store, std::slice::from_ref(&s), &ana, chrono::Utc::now())
                .await
                .unwrap()
                .token;

        let mut coord = Client::login(app, "coord@faro.test").await;
        // A poll report is refused, saying what it is; nothing stored.
        let r = upload(&mut coord, &s.id, &fixture("poll_report.csv")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        assert!(r.body.contains("poll report"), "{label}");
        let r = upload(&mut coord, &s.id, &fixture("broken.csv")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("line 3:") && r.body.contains("line 6:"));
        assert!(r.body.contains("No report imported yet."));
        // The report, then the same report again.
        let r = upload(&mut coord, &s.id, &fixture("participants_meeting.csv")).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{label}: {}",
            &r.body[..r.body.len().min(400)]
        );
        assert!(
            r.body.contains("Imported: 4 people (4 attended; 4 added"),
            "{label}"
        );
        assert!(r.body.contains("matched 1 by e-mail, 0 by name, 3 guests"));
        let r = upload(&mut coord, &s.id, &fixture("participants_meeting.csv")).await;
        assert!(
            r.body
                .contains("Already imported: 4 people, nothing changed."),
            "{label}"
        );
        assert_eq!(
            r.body.matches("<td>participants</td>").count()
                + r.body.matches("Meeting participants</td>").count(),
            1
        );

        // The API takes the same file: unchanged.
        let (u, _) = accounts::user_by_email(store, "coord@faro.test")
            .await
            .unwrap()
            .unwrap();
        let (_, bearer) = accounts::create_token(store, u.id, "t").await.unwrap();
        let mut api = Client::new(app);
        api.headers
            .push(("authorization".into(), format!("Bearer {bearer}")));
        let r = api
            .send(
                "POST",
                &format!("/api/v1/sessions/{}/attendance?tz=America/Montevideo", s.id),
                Some((
                    String::from_utf8(fixture("participants_meeting.csv")).unwrap(),
                    "text/csv",
                )),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["unchanged"], true);
        let r = api
            .send(
                "POST",
                &format!("/api/v1/sessions/{}/attendance", s.id),
                Some((
                    String::from_utf8(fixture("qa_report.csv")).unwrap(),
                    "text/csv",
                )),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Q&A"));

        // Facebook figures, with their history.
        let r = coord
            .submit(
                &format!("/en/events/{}/attendance", s.id),
                &format!("/en/events/{}/facebook", s.id),
                &[
                    ("version", ""),
                    ("peak_live", "120"),
                    ("total_views", "1500"),
                    ("unique_viewers", "800"),
                    ("minutes_viewed", "30000"),
                    ("read_on", "2099-11-20"),
                    ("source", "Facebook Insights"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = coord.get(&format!("/en/events/{}/attendance", s.id)).await;
        assert!(page.body.contains("id=\"fb-history\""));
        assert!(page.body.contains("value=\"800\""));

        // Analytics: SVG with its table, and a CSV read by Python.
        let a = coord.get(&format!("/en/events/{}/analytics", s.id)).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.body.contains("<svg") && a.body.contains("id=\"minutes-data\""));
        assert!(
            a.body
                .contains("<th scope=\"row\">Minutes attended, median</th><td>67</td>")
        );
        assert!(a.body.contains("<td>804</td>"), "reach = 4 + 800");
        let csv = coord
            .get(&format!("/en/events/{}/analytics.csv", s.id))
            .await;
        let path = std::env::temp_dir().join(format!("faro-att-{}.csv", std::process::id()));
        std::fs::write(&path, &csv.body).unwrap();
        if let Some(out) = python(
            "import csv,sys,json; print(json.dumps({r['metric']: r['value'] for r in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8'))}))",
            &path,
            "csv",
        ) {
            let m: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
            assert_eq!(m["attended"], "4");
            assert_eq!(m["guests"], "3");
            assert_eq!(m["minutes_median"], "67");
            assert_eq!(m["facebook_unique_viewers"], "800");
        }
        let sa = coord.get("/en/events/series/vc2020/analytics").await;
        assert_eq!(sa.status, StatusCode::OK);
        assert!(sa.body.contains("id=\"per-session-data\""));
        assert!(
            sa.body
                .contains("<th scope=\"row\">Unique people</th><td>4</td>")
        );

        // Certificates: rule, issue; 80 % of 90 min: Ana (92) but not
        // the guests (never certificated).
        let admin = "/en/events/series/vc2020/certificates";
        let r = coord
            .submit(
                admin,
                "/en/events/series/vc2020/certificates/rule",
                &[("min_share", "80"), ("series_sessions", "0")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = coord
            .submit(admin, "/en/events/series/vc2020/certificates/issue", &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(
            r.header("location").ends_with("issued=1"),
            "{}",
            r.header("location")
        );
        let person = registrations::person(store, &token, chrono::Utc::now())
            .await
            .unwrap();
        let certs = certificates::for_registrant(store, person.id)
            .await
            .unwrap();
        assert_eq!(certs.len(), 1);
        let code = certs[0].code.clone();

        // One throttled batch of e-mails through the job queue, each with
        // the PDF attached, in the attendee's language.
        let r = coord
            .submit(admin, "/en/events/series/vc2020/certificates/mail", &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(
            r.header("location").ends_with("mailed=1"),
            "{}",
            r.header("location")
        );
        let r = coord
            .submit(admin, "/en/events/series/vc2020/certificates/mail", &[])
            .await;
        assert_eq!(
            r.status,
            StatusCode::TOO_MANY_REQUESTS,
            "one batch every ten minutes"
        );
        let state = faro_web::AppState {
            search: None,
            store: store.clone(),
            config: std::sync::Arc::new(cfg()),
        };
        faro_web::jobs::run_due(
            &state,
            "test",
            chrono::Utc::now() + chrono::Duration::minutes(1),
            100,
        )
        .await
        .unwrap();
        let mails = inbox.lock().await.clone();
        let cert_mail = mails
            .iter()
            .find(|m| m.contains(&format!("certificate-{code}.pdf")))
            .unwrap_or_else(|| {
                panic!("{label}: no certificate e-mail in {} messages", mails.len())
            });
        assert!(cert_mail.contains("application/pdf"));
        assert!(cert_mail.contains("Content-Language: pt"));
        assert!(cert_mail.contains("ana.perez@senai.example"));

        // The attendee's page and PDF, in Portuguese.
        let mut visitor = Client::new(app);
        let mine = visitor
            .get(&format!("/pt/registrations/certificates?t={token}"))
            .await;
        assert_eq!(mine.status, StatusCode::OK);
        assert!(mine.body.contains(&code));
        assert_eq!(mine.header("cache-control"), "no-store");
        let res = visitor
            .send(
                "GET",
                &format!("/pt/registrations/certificates/{code}?t={token}"),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.header("content-type"), "application/pdf");
        let pdf = {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let res = app
                .clone()
                .oneshot(
                    axum::http::Request::builder()
                        .uri(format!("/pt/registrations/certificates/{code}?t={token}"))
                        .body(axum::body::Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            res.into_body().collect().await.unwrap().to_bytes().to_vec()
        };
        assert!(pdf.starts_with(b"%PDF-"));
        let pdf_path =
            std::env::temp_dir().join(format!("faro-cert-{}-{}.pdf", std::process::id(), code));
        std::fs::write(&pdf_path, &pdf).unwrap();
        if let Some(text) = pdftotext(&pdf_path) {
            assert!(text.contains("Certificado de participação"), "{text}");
            assert!(text.contains("Ana Pérez"), "{text}");
            assert!(text.contains("Formação a distância"), "{text}");
            assert!(text.contains(&code), "{text}");
            assert!(text.contains(&format!("/pt/verify/{code}")), "{text}");
        }
        if let Some(out) = python(
            "import sys,json; from pypdf import PdfReader; r=PdfReader(sys.argv[1]); print(json.dumps({'text': ''.join(p.extract_text() for p in r.pages), 'lang': str(r.trailer['/Root'].get('/Lang')), 'tagged': '/StructTreeRoot' in r.trailer['/Root'], 'title': r.metadata.title}))",
            &pdf_path,
            "pypdf",
        ) {
            let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
            let text = v["text"].as_str().unwrap();
            assert!(text.contains("Ana Pérez") && text.contains(&code), "{text}");
            assert_eq!(v["lang"], "pt");
            assert_eq!(v["tagged"], true);
            assert_eq!(v["title"], "Certificado de participação");
        }
        // Someone else's key, or none, gets nothing.
        let r = visitor
            .get(&format!(
                "/pt/registrations/certificates/{code}?t={}",
                "0".repeat(64)
            ))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // Verification: valid, then revoked.
        let v = visitor
            .get(&format!("/en/verify/{}", code.to_lowercase()))
            .await;
        assert_eq!(v.status, StatusCode::OK);
        assert!(v.body.contains("data-status=\"valid\"") && v.body.contains("Ana Pérez"));
        assert!(
            !v.body.contains("ana.perez@"),
            "no e-mail on the verification page"
        );
        let r = coord
            .submit(
                admin,
                &format!("/en/certificates/{code}/revoke"),
                &[("reason", "test")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let v = visitor.get(&format!("/en/verify/{code}")).await;
        assert!(v.body.contains("data-status=\"revoked\"") && v.body.contains("revoked"));
        // Reissue, then the attendee corrects the name: replaced twice.
        let r = coord
            .submit(admin, &format!("/en/certificates/{code}/reissue"), &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let second = certificates::get(store, &code)
            .await
            .unwrap()
            .replaced_by
            .unwrap();
        let r = visitor
            .submit(
                &format!("/pt/registrations?t={token}"),
                "/pt/registrations/update",
                &[
                    ("t", &token),
                    ("name", "Ana Pereira"),
                    ("lang", "pt"),
                    ("country", "BR"),
                    ("institution", "senai"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let v = visitor.get(&format!("/en/verify/{second}")).await;
        assert!(v.body.contains("data-status=\"replaced\""), "{label}");
        let third = certificates::get(store, &second)
            .await
            .unwrap()
            .replaced_by
            .unwrap();
        assert!(v.body.contains(&format!("/en/verify/{third}")));
        let v = visitor.get(&format!("/es/verify/{third}")).await;
        assert!(v.body.contains("Certificado válido") && v.body.contains("Ana Pereira"));
        let v = visitor.get("/en/verify/NOPE-NOPE-NOPE").await;
        assert_eq!(v.status, StatusCode::NOT_FOUND);

        // Public pages: aggregates only.
        ana.name = "x".into();
        for uri in [
            "/en/events/series/vc2020/audience",
            "/en/events/series/vc2020",
            "/en/events/vc2099-13",
            "/en/institutions/senai",
            "/sitemap.xml",
            "/en/events",
        ] {
            let r = visitor.get(uri).await;
            assert!(r.status.is_success(), "{uri}: {}", r.status);
            for p in PERSONAL {
                assert!(!r.body.contains(p), "{label} {uri} shows {p:?}");
            }
            no_small_counts(&r.body, "aud-figures");
            no_small_counts(&r.body, "aud-sessions");
            no_small_counts(&r.body, "session-audience");
        }
        // The session page shows its measured audience (the small-count rule
        // applied) next to the Facebook totals.
        let sp = visitor.get(&format!("/en/events/{}", s.id)).await;
        let block = sp
            .body
            .split("id=\"session-audience\"")
            .nth(1)
            .expect("the session page shows its measured audience")
            .split("</table>")
            .next()
            .unwrap();
        assert!(
            block.contains("Attended (Zoom)</th><td>fewer than 5</td>"),
            "{block}"
        );
        assert!(block.contains("Unique viewers</th><td>800</td>"), "{block}");
        assert!(
            block.contains("Peak live viewers</th><td>120</td>"),
            "{block}"
        );
        let prof = visitor.get("/en/institutions/senai").await;
        assert!(prof.body.contains("id=\"staff-attended\""), "{label}");
        assert!(
            prof.body
                .contains("Staff who attended the event series: fewer than 5")
        );
        let aud = visitor.get("/en/events/series/vc2020/audience").await;
        assert!(aud.body.contains("<td>fewer than 5</td>"), "{}", aud.body);
        assert!(aud.body.contains("id=\"aud-reported\"") && aud.body.contains("2200"));
        // Analytics and the attendance page are for coordinators only.
        for uri in [
            format!("/en/events/{}/attendance", s.id),
            format!("/en/events/{}/analytics", s.id),
            format!("/en/events/{}/analytics.csv", s.id),
            "/en/events/series/vc2020/analytics".to_string(),
            admin.to_string(),
        ] {
            let r = visitor.get(&uri).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{uri}");
            let mut ed = Client::login(app, "ed-senai@faro.test").await;
            assert_eq!(ed.get(&uri).await.status, StatusCode::FORBIDDEN, "{uri}");
        }
    }
}
