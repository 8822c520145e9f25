//! Editing through the web forms. The knowledge base: create, edit with a
//! lost-update check, validation in the user's language, escaping, history,
//! delete and restore; relations to measures and event sessions shown on
//! every side; the CSV export read back by the csv crate.

mod common;
use axum::http::StatusCode;
use common::*;
use faro_store::knowledge as kb;

fn hidden(body: &str, name: &str) -> String {
    body.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .unwrap_or_default()
}

/// The version field as a browser would send it back: HTML-unescaped.
fn version_of(body: &str) -> String {
    hidden(body, "version")
        .replace("&#43;", "+")
        .replace("&#x2b;", "+")
}

#[tokio::test]
async fn editors_create_edit_and_coordinators_delete_resources() {
    for site in sites().await {
        let store = &site.db.store;
        let label = site.db.label;
        let mut ed = Client::login(&site.app, "ed-sena@faro.test").await;

        // The list offers a way in; the form has every metadata field.
        let r = ed.get("/en/resources").await;
        assert!(r.body.contains("/en/resources/new"), "{label}");
        let r = ed.get("/en/resources/new").await;
        assert_eq!(r.status, StatusCode::OK, "{label}");
        for name in [
            "type",
            "institutions",
            "original_language",
            "title_es",
            "title_en",
            "title_pt",
            "description_es",
            "url",
            "languages",
            "countries",
            "topics",
            "audience",
            "license",
            "published",
            "identifiers",
            "related_measures",
            "related_sessions",
            "notes",
        ] {
            assert!(
                r.body.contains(&format!("name=\"{name}\"")),
                "{label}: {name}"
            );
        }

        // Create.
        let r = ed
            .submit(
                "/en/resources/new",
                "/en/resources",
                &[
                    ("type", "distance_teaching_guideline"),
                    ("institutions", "sena"),
                    ("original_language", "es"),
                    ("title_es", "Guía de formación a distancia"),
                    ("title_en", "Distance training guide"),
                    ("languages", "es, en"),
                    ("countries", "co"),
                    ("topics", "C2"),
                    ("audience", "teachers"),
                    ("license", "CC-BY-4.0"),
                    ("published", "2020-05"),
                    ("url", "https://example.org/guide"),
                    ("identifiers", "doi:10.1234/faro-test; hdl:20.500.12345/99"),
                    ("related_measures", "m-sena-broadband-access"),
                    ("related_sessions", "vc2020-09"),
                    ("reason", "first version"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        let id = "r-guia-de-formacion-a-distancia";
        assert_eq!(r.header("location"), format!("/en/resources/{id}"));
        let s = kb::get(store, id).await.unwrap().resource;
        assert_eq!(s.languages, ["es", "en"]);
        assert_eq!(s.countries, ["CO"]);
        assert_eq!(
            s.identifiers,
            ["doi:10.1234/faro-test", "hdl:20.500.12345/99"]
        );
        assert_eq!(s.related_sessions, ["vc2020-09"]);

        // Shown on the resource, the session, the measure's institution and the API.
        let page = ed.get(&format!("/en/resources/{id}")).await.body;
        assert!(
            page.contains("https://doi.org/10.1234/faro-test"),
            "{label}"
        );
        assert!(page.contains("https://hdl.handle.net/20.500.12345/99"));
        assert!(page.contains("/en/events/vc2020-09"));
        assert!(page.contains("/en/observatory/measures/m-sena-broadband-access"));
        assert!(page.contains(&format!("/en/resources/{id}/edit")));
        assert!(page.contains("\"sameAs\":[\"https://doi.org/10.1234/faro-test\""));
        let session = ed.get("/en/events/vc2020-09").await;
        assert_eq!(session.status, StatusCode::OK);
        assert!(
            session.body.contains(&format!("/en/resources/{id}")),
            "{label}"
        );
        assert!(session.body.contains("is online training here to stay?"));
        let events = ed.get("/es/events/series/vc2020").await.body;
        assert_eq!(events.matches("href=\"/es/events/vc2020-").count(), 12);
        let measure = ed
            .get("/en/observatory/measures/m-sena-broadband-access")
            .await
            .body;
        assert!(measure.contains(&format!("/en/resources/{id}")), "{label}");
        let profile = ed.get("/en/institutions/sena").await.body;
        assert!(profile.contains(&format!("/en/resources/{id}")), "{label}");
        let api = ed.get(&format!("/api/v1/resources/{id}")).await.json();
        assert_eq!(api["related_measures"][0], "m-sena-broadband-access");
        let api = ed.get("/api/v1/sessions/vc2020-09").await.json();
        assert_eq!(api["date"], "2020-05-28");
        assert!(
            api["resources"].as_array().unwrap().iter().any(|r| r == id),
            "{api}"
        );
        let all = ed.get("/api/v1/sessions").await.json();
        assert_eq!(all["total"], 12);
        assert_eq!(
            ed.get("/api/v1/sessions/vc1999-01").await.status,
            StatusCode::NOT_FOUND
        );

        // Edit with the version the form was opened at.
        let form = ed.get(&format!("/en/resources/{id}/edit")).await.body;
        let v1 = version_of(&form);
        assert!(!v1.is_empty(), "{label}");
        let edited = [
            ("type", "distance_teaching_guideline"),
            ("institutions", "sena"),
            ("original_language", "es"),
            ("title_es", "Guía de formación a distancia"),
            ("title_en", "Guide to distance training"),
            ("version", v1.as_str()),
            ("reason", "better English title"),
        ];
        let url = format!("/en/resources/{id}/edit");
        let r = ed.submit(&url, &url, &edited).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        let hist = ed.get(&format!("/en/resources/{id}/history")).await.body;
        assert!(hist.contains("Guide to distance training"), "{label}");
        assert!(hist.contains("better English title"));

        // A second save from the same (now outdated) form is refused, with the
        // user's values kept in the form; nothing is overwritten.
        let mut stale = edited;
        stale[4] = ("title_en", "Overwrite from an old tab");
        let before = kb::get(store, id).await.unwrap();
        let r = ed.submit(&url, &url, &stale).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{label}");
        assert!(r.body.contains("Someone saved this resource"));
        assert!(r.body.contains("Overwrite from an old tab"));
        assert_eq!(kb::get(store, id).await.unwrap(), before);
        // Saving again from that form (it now carries the newer version) is
        // a deliberate overwrite.
        let v2 = version_of(&r.body);
        assert_ne!(v1, v2);

        // Bad input: messages in the user's language, nothing stored.
        let es = format!("/es/resources/{id}/edit");
        let r = ed
            .submit(
                &es,
                &es,
                &[
                    ("type", "pamphlet"),
                    ("institutions", "sena"),
                    ("original_language", "es"),
                    ("title_es", "Guía"),
                    ("identifiers", "isbn:123"),
                    ("license", "<b>libre</b>"),
                    ("published", "2020-13"),
                    ("related_sessions", "vc1999-01"),
                    ("version", v2.as_str()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        for msg in [
            "Tipo: no es uno de los valores permitidos",
            "debe ser doi:10.NNNN/",
            "debe ser un identificador SPDX",
            "Fecha de publicación",
        ] {
            assert!(r.body.contains(msg), "{label}: {msg}");
        }
        assert!(!r.body.contains("<b>libre</b>"), "escaped");
        assert_eq!(kb::get(store, id).await.unwrap(), before);
        // An unknown session is refused too (checked against the database).
        let r = ed
            .submit(
                &es,
                &es,
                &[
                    ("type", "report"),
                    ("institutions", "sena"),
                    ("original_language", "es"),
                    ("title_es", "Guía"),
                    ("related_sessions", "vc1999-01"),
                    ("version", v2.as_str()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        assert!(r.body.contains("no es una sesión del ciclo de eventos"));
        assert_eq!(kb::get(store, id).await.unwrap(), before);

        // Hostile text is stored as text and shown escaped.
        let r = ed
            .submit(
                &url,
                &url,
                &[
                    ("type", "report"),
                    ("institutions", "sena"),
                    ("original_language", "en"),
                    (
                        "title_en",
                        "<script>alert(1)</script>\"><img src=x onerror=alert(2)>",
                    ),
                    ("version", v2.as_str()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        for page in [
            format!("/en/resources/{id}"),
            "/en/resources".to_string(),
            format!("/en/resources/{id}/history"),
            "/en/institutions/sena".to_string(),
        ] {
            let b = ed.get(&page).await.body;
            assert!(!b.contains("<script>alert"), "{label}: {page}");
            assert!(!b.contains("<img src=x"), "{label}: {page}");
        }

        // An editor of another institution can neither open nor save it, and
        // an editor cannot file a resource under institutions that are not theirs.
        let mut other = Client::login(&site.app, "ed-senai@faro.test").await;
        assert_eq!(other.get(&url).await.status, StatusCode::FORBIDDEN);
        let r = other
            .submit(
                "/en/resources/new",
                "/en/resources",
                &[
                    ("type", "report"),
                    ("institutions", "sena"),
                    ("original_language", "en"),
                    ("title_en", "Not mine"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("Keep at least one of your own institutions")
        );
        // Editors do not delete.
        let r = ed
            .submit(
                &format!("/en/resources/{id}"),
                &format!("/en/resources/{id}/delete"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // Coordinators delete (kept, listed for restore) and restore.
        let mut co = Client::login(&site.app, "coord@faro.test").await;
        let page = co.get(&format!("/en/resources/{id}")).await.body;
        assert!(page.contains(&format!("/en/resources/{id}/delete")));
        let r = co
            .submit(
                &format!("/en/resources/{id}"),
                &format!("/en/resources/{id}/delete"),
                &[("reason", "duplicate")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}");
        assert_eq!(
            ed.get(&format!("/en/resources/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            ed.get(&format!("/en/resources/{id}/history")).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(!ed.get("/en/resources").await.body.contains(id));
        let deleted = co.get("/en/admin/deleted").await.body;
        assert!(
            deleted.contains(&format!("/en/resources/{id}/restore")),
            "{label}"
        );
        let r = co
            .submit(
                "/en/admin/deleted",
                &format!("/en/resources/{id}/restore"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            ed.get(&format!("/en/resources/{id}")).await.status,
            StatusCode::OK
        );
        let hist = co.get(&format!("/en/resources/{id}/history")).await.body;
        assert!(
            hist.contains("duplicate") && hist.contains("restored"),
            "{label}"
        );
    }
}

#[tokio::test]
async fn resources_csv_reads_back_equal_to_the_api() {
    for site in sites().await {
        let mut c = Client::new(&site.app);
        let r = c.get("/data/resources.csv").await;
        assert_eq!(r.status, StatusCode::OK);
        let mut rdr = csv::Reader::from_reader(r.body.as_bytes());
        let headers = rdr.headers().unwrap().clone();
        assert_eq!(
            headers.iter().collect::<Vec<_>>(),
            faro_formats::resources_csv::COLUMNS.to_vec()
        );
        let mut n = 0;
        for rec in rdr.records() {
            let rec = rec.unwrap();
            let id = &rec[0];
            let api = c.get(&format!("/api/v1/resources/{id}")).await.json();
            for (i, col) in headers.iter().enumerate() {
                let want = match &api[col] {
                    serde_json::Value::Array(a) => a
                        .iter()
                        .map(|v| v.as_str().unwrap().to_string())
                        .collect::<Vec<_>>()
                        .join(";"),
                    serde_json::Value::String(s) => s.clone(),
                    other => panic!("{col}: {other}"),
                };
                assert_eq!(&rec[i], want, "{id} {col}");
            }
            n += 1;
        }
        assert_eq!(n, 16, "{}", site.db.label);
        // The demo's series page points to the twelve sessions.
        let api = c
            .get("/api/v1/resources/r-cinterfor-videoconference-series-page")
            .await
            .json();
        assert_eq!(api["related_sessions"].as_array().unwrap().len(), 12);
    }
}

/// Institution and measure forms carry the version they were opened at: a
/// save over someone else's newer save is refused (409) with the user's
/// values kept, and nothing is overwritten.
#[tokio::test]
async fn profile_and_measure_forms_refuse_lost_updates() {
    for site in sites().await {
        let store = &site.db.store;
        let label = site.db.label;
        let mut a = Client::login(&site.app, "ed-sena@faro.test").await;
        let mut b = Client::login(&site.app, "coord@faro.test").await;

        // Institution profile: A and B open the form; B saves first.
        let url = "/en/institutions/sena/edit";
        let va = version_of(&a.get(url).await.body);
        let vb = version_of(&b.get(url).await.body);
        assert!(!va.is_empty() && va == vb, "{label}");
        let r = b
            .submit(
                url,
                url,
                &[
                    ("name_en", "National Learning Service (B)"),
                    ("version", &vb),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        let r = a
            .submit(
                url,
                url,
                &[
                    ("name_en", "National Learning Service (A)"),
                    ("version", &va),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{label}");
        assert!(r.body.contains("Someone saved this record"));
        assert!(
            r.body.contains("National Learning Service (A)"),
            "A's value kept in the form"
        );
        let sena = faro_store::institutions::get(store, "sena").await.unwrap();
        assert_eq!(sena.name_en, "National Learning Service (B)");
        // Saving again from the refreshed form is a deliberate overwrite.
        let r = a
            .submit(
                url,
                url,
                &[
                    ("name_en", "National Learning Service (A)"),
                    ("version", &version_of(&r.body)),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}");

        // Measure form, the same way (in Spanish).
        let url = "/es/observatory/measures/m-sena-broadband-access/edit";
        let form = a.get(url).await.body;
        let va = version_of(&form);
        assert!(!va.is_empty(), "{label}");
        let fields = |title: &'static str, v: String| {
            vec![
                ("institution", "sena".to_string()),
                ("original_language", "en".into()),
                ("title_en", title.into()),
                ("categories", "E1".into()),
                ("log_type", "introduced".into()),
                ("source_url", "https://example.org/".into()),
                ("source_type", "this_report".into()),
                ("crisis", "covid-19".into()),
                ("action", "submit".into()),
                ("version", v),
            ]
        };
        let fb = fields("Broadband, coordinator's title", va.clone());
        let fb: Vec<(&str, &str)> = fb.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = b.submit(url, url, &fb).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        let fa = fields("Broadband, editor's title", va);
        let fa: Vec<(&str, &str)> = fa.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = a.submit(url, url, &fa).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{label}");
        assert!(r.body.contains("Alguien guardó este registro"));
        let m = faro_store::observatory::get_any(store, "m-sena-broadband-access")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.title_en, "Broadband, coordinator's title");
    }
}

/// The API's optimistic concurrency: GET gives an ETag, PATCH with a stale
/// `If-Match` is refused (412) and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn api_patch_with_a_stale_if_match_is_refused() {
    for site in sites().await {
        let store = &site.db.store;
        let label = site.db.label;
        let (u, _) = faro_store::accounts::user_by_email(store, "ed-sena@faro.test")
            .await
            .unwrap()
            .unwrap();
        let token = faro_store::accounts::create_token(store, u.id, "etag")
            .await
            .unwrap()
            .1;
        let mut c = Client::new(&site.app);
        c.headers
            .push(("authorization".into(), format!("Bearer {token}")));
        let r = c.get("/api/v1/institutions/sena").await;
        let first = r.header("etag");
        assert!(
            first.starts_with('"') && first.len() > 10,
            "{label}: {first:?}"
        );
        let body = |v: &str| Some((format!(r#"{{"website":"{v}"}}"#), "application/json"));

        let mut with = c.clone();
        with.headers.push(("if-match".into(), first.clone()));
        let r = with
            .send(
                "PATCH",
                "/api/v1/institutions/sena",
                body("https://one.example.org"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{label}: {}", r.body);
        let second = r.header("etag");
        assert_ne!(second, first, "a change gives a new version");
        // The same stale ETag again: refused, nothing changed.
        let r = with
            .send(
                "PATCH",
                "/api/v1/institutions/sena",
                body("https://two.example.org"),
            )
            .await;
        assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{label}");
        assert_eq!(r.json()["error"]["code"], "precondition_failed");
        let sena = faro_store::institutions::get(store, "sena").await.unwrap();
        assert_eq!(sena.website.as_deref(), Some("https://one.example.org"));
        // A malformed header is a client error; no header keeps the old
        // behaviour (last write wins, still recorded in the history).
        let mut bad = c.clone();
        bad.headers.push(("if-match".into(), "not-quoted".into()));
        let r = bad
            .send(
                "PATCH",
                "/api/v1/institutions/sena",
                body("https://three.example.org"),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{label}");
        let r = c
            .send(
                "PATCH",
                "/api/v1/institutions/sena",
                body("https://four.example.org"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{label}");
        // Eight clients patch concurrently from the same version: exactly one
        // wins (the check and the write are one step on both backends).
        let etag = c.get("/api/v1/institutions/sena").await.header("etag");
        let mut tasks = Vec::new();
        for n in 0..8 {
            let mut w = c.clone();
            w.headers.push(("if-match".into(), etag.clone()));
            tasks.push(tokio::spawn(async move {
                let b = format!(r#"{{"website":"https://race{n}.example.org"}}"#);
                w.send(
                    "PATCH",
                    "/api/v1/institutions/sena",
                    Some((b, "application/json")),
                )
                .await
                .status
            }));
        }
        let mut won = 0;
        for t in tasks {
            match t.await.unwrap() {
                StatusCode::OK => won += 1,
                StatusCode::PRECONDITION_FAILED => {}
                other => panic!("{label}: {other}"),
            }
        }
        assert_eq!(won, 1, "{label}");
    }
}

/// Editors detach a wrongly uploaded file: it stops being listed and
/// served, the history records it, and uploading it again re-attaches it.
#[tokio::test]
async fn editors_remove_files_without_losing_them() {
    for site in sites().await {
        let store = &site.db.store;
        let label = site.db.label;
        faro_store::knowledge::upsert_all(
            store,
            &[faro_domain::knowledge::Resource {
                id: "r-files-sena".into(),
                resource_type: "report".into(),
                institutions: vec!["sena".into()],
                title_en: "Files of SENA".into(),
                original_language: "en".into(),
                ..Default::default()
            }],
            &faro_store::changes::Actor::new("setup", None),
        )
        .await
        .unwrap();
        let mut ed = Client::login(&site.app, "ed-sena@faro.test").await;
        let page = "/en/resources/r-files-sena";
        let upload = |c: &mut Client| {
            let mut c = c.clone();
            async move {
                let csrf = c.csrf(page).await;
                let b = "uploadboundary";
                let mut body = format!("--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"wrong.png\"\r\n\r\n").into_bytes();
                body.extend_from_slice(b"\x89PNG\r\n\x1a\nnot meant for publication");
                body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
                c.send_bytes(
                    "POST",
                    &format!("/en/resources/r-files-sena/files?csrf={csrf}"),
                    body,
                    &format!("multipart/form-data; boundary={b}"),
                )
                .await
                .status
            }
        };
        assert_eq!(upload(&mut ed).await, StatusCode::SEE_OTHER, "{label}");
        let files = faro_store::files::for_resource(store, "r-files-sena")
            .await
            .unwrap();
        let sha = files[0].sha256.clone();
        let remove = format!("/en/resources/r-files-sena/files/{sha}/remove");
        assert!(ed.get(page).await.body.contains(&remove), "{label}");
        assert_eq!(
            ed.get(&format!("/files/{sha}")).await.status,
            StatusCode::OK
        );

        let r = ed
            .submit(page, &remove, &[("reason", "uploaded by mistake")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        assert!(!ed.get(page).await.body.contains("wrong.png"), "{label}");
        assert_eq!(
            ed.get(&format!("/files/{sha}")).await.status,
            StatusCode::NOT_FOUND
        );
        let hist = ed.get(&format!("{page}/history")).await.body;
        assert!(
            hist.contains("wrong.png") && hist.contains("uploaded by mistake"),
            "{label}"
        );
        // Removing it twice: nothing to remove.
        let r = ed.submit(page, &remove, &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // The same file uploaded again is attached and served again.
        assert_eq!(upload(&mut ed).await, StatusCode::SEE_OTHER);
        assert!(ed.get(page).await.body.contains("wrong.png"), "{label}");
        assert_eq!(
            ed.get(&format!("/files/{sha}")).await.status,
            StatusCode::OK
        );
    }
}

/// Issue 11 item 7: a date field takes "there is none" in the form's
/// language ("ninguna", "nenhuma"), stored as the data's `none`.
#[tokio::test]
async fn date_fields_take_none_in_the_forms_language() {
    for db in faro_store::testing::all_backends().await {
        let site = common::site_with(db, faro_web::WebConfig::default()).await;
        let mut ed = common::Client::login(&site.app, "ed-sena@faro.test").await;
        let form = ed.get("/es/observatory/measures/new").await.body;
        assert!(
            form.contains("escriba \"ninguna\" si no hay")
                || form.contains("escriba &quot;ninguna&quot; si no hay")
                || form.contains("escriba &#34;ninguna&#34;"),
            "the hint names the Spanish word"
        );
        let r = ed
            .submit(
                "/es/observatory/measures/new",
                "/es/observatory/measures",
                &[
                    ("institution", "sena"),
                    ("original_language", "es"),
                    ("title_es", "Sin fechas de cierre"),
                    ("start_date", "2020-04"),
                    ("end_date", "Ninguna"),
                    ("announced_date", "nenhuma"),
                    ("action", "draft"),
                ],
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.body);
        let m = faro_store::observatory::get_any(&site.db.store, "m-sena-sin-fechas-de-cierre")
            .await
            .unwrap()
            .expect("the draft");
        assert_eq!(
            (
                m.start_date.as_str(),
                m.end_date.as_str(),
                m.announced_date.as_str()
            ),
            ("2020-04", "none", "none")
        );
    }
}
