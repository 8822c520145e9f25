//! Coordinators manage event series and sessions: the series form (titles,
//! organiser, hashtag, reported figures with their sources, presenters),
//! the sessions import page (CSV, all or nothing, every bad line in the
//! reader's language) and the write API (`POST`/`PUT` with `If-Match`),
//! each through the one write path with its history, on SQLite and
//! PostgreSQL.

mod common;
use axum::http::StatusCode;
use common::*;

fn hidden(body: &str, name: &str) -> String {
    body.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .unwrap_or_default()
        .replace("&#43;", "+")
        .replace("&#x2b;", "+")
}

fn multipart(csrf: &str, file: &str) -> (Vec<u8>, String) {
    let b = "faroboundary7";
    let body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"sessions.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{b}--\r\n"
    );
    (
        body.into_bytes(),
        format!("multipart/form-data; boundary={b}"),
    )
}

#[tokio::test]
async fn coordinators_create_and_edit_a_series_with_figures_and_presenters() {
    for site in sites().await {
        let store = &site.db.store;
        let label = site.db.label;
        let mut co = Client::login(&site.app, "coord@faro.test").await;
        let r = co.get("/es/events/series/new").await;
        assert_eq!(r.status, StatusCode::OK, "{label}");
        for name in [
            "id",
            "title_es",
            "title_en",
            "title_pt",
            "organiser",
            "hashtag",
            "certificate_policy",
            "figure.people_total.value",
            "figure.people_total.source",
            "p0.institution",
            "p0.name",
            "p0.session",
        ] {
            assert!(
                r.body.contains(&format!("name=\"{name}\"")),
                "{label}: {name}"
            );
        }
        // Wrong input: every problem, in Spanish, nothing stored.
        let r = co
            .submit(
                "/es/events/series/new",
                "/es/events/series",
                &[
                    ("version", "new"),
                    ("id", "Ciclo 2027!"),
                    ("original_language", "es"),
                    ("hashtag", "no vale"),
                    ("figure.people_total.value", "300"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        for m in [
            "debe usar minúsculas",
            "solo puede tener letras, dígitos y _",
            "es obligatorio",
        ] {
            assert!(r.body.contains(m), "{label}: {m}\n{}", r.body);
        }
        assert!(
            r.body.contains("value=\"no vale\""),
            "the values stay in the form"
        );
        assert!(
            faro_store::events::get_series(store, "ciclo-2027")
                .await
                .is_err()
        );
        // A good series: figures need a source, presenters name an
        // institution of the directory or a person.
        let r = co
            .submit(
                "/es/events/series/new",
                "/es/events/series",
                &[
                    ("version", "new"),
                    ("id", "ciclo-2027"),
                    ("original_language", "es"),
                    ("title_es", "Ciclo 2027"),
                    ("organiser", "cinterfor"),
                    ("hashtag", "#Ciclo2027"),
                    ("certificate_policy", "60 % de una sesión"),
                    ("figure.sessions.value", "4"),
                    ("figure.sessions.source", "Plan del ciclo"),
                    ("p0.institution", "sena"),
                    ("p0.source", "Plan del ciclo"),
                    ("p1.name", "Ana Pérez"),
                    ("p1.role", "Directora"),
                    ("p2.name", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        let s = faro_store::events::get_series(store, "ciclo-2027")
            .await
            .unwrap();
        assert_eq!(s.hashtag, "Ciclo2027");
        assert_eq!(s.figures.len(), 1);
        let p = faro_store::events::presenters(store, "ciclo-2027")
            .await
            .unwrap();
        assert_eq!(p.len(), 2, "{label}: the empty row is no presenter");
        let r = co.get("/es/events/series/ciclo-2027").await;
        assert!(r.body.contains("#Ciclo2027") && r.body.contains("/es/institutions/sena"));
        // An unknown institution is refused by the write path, in Spanish.
        let r = co.get("/es/events/series/ciclo-2027/edit").await;
        let version = hidden(&r.body, "version");
        assert!(!version.is_empty(), "{label}");
        assert!(r.body.contains("value=\"Ana Pérez\""));
        // Edit: the version the form was opened at decides; a save over a
        // newer one is a conflict with the values kept.
        let edit = |title: &'static str, v: String| {
            vec![
                ("version", v),
                ("original_language", "es".to_string()),
                ("title_es", title.to_string()),
                ("organiser", "cinterfor".to_string()),
                ("hashtag", "Ciclo2027".to_string()),
                ("p0.institution", "sena".to_string()),
                ("p1.name", "Ana Pérez".to_string()),
                ("p1.role", "Directora general".to_string()),
                ("reason", "cargo corregido".to_string()),
            ]
        };
        let f = edit("Ciclo 2027 de la red", version.clone());
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = co
            .submit(
                "/es/events/series/ciclo-2027/edit",
                "/es/events/series/ciclo-2027/edit",
                &f,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        let f = edit("Otro título", version);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = co
            .submit(
                "/es/events/series/ciclo-2027/edit",
                "/es/events/series/ciclo-2027/edit",
                &f,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{label}");
        assert!(r.body.contains("value=\"Otro título\""), "{label}");
        let s = faro_store::events::get_series(store, "ciclo-2027")
            .await
            .unwrap();
        assert_eq!(s.title_es, "Ciclo 2027 de la red");
        let p = faro_store::events::presenters(store, "ciclo-2027")
            .await
            .unwrap();
        assert_eq!(p[1].role, "Directora general");
        // The history keeps who, when, what and why.
        let h = faro_store::changes::history(store, "series", "ciclo-2027")
            .await
            .unwrap();
        assert!(
            h.iter()
                .any(|c| c.reason.as_deref() == Some("cargo corregido")),
            "{label}: {h:?}"
        );
        // Editors and visitors cannot open the form.
        let mut ed = Client::login(&site.app, "ed-sena@faro.test").await;
        assert_eq!(
            ed.get("/es/events/series/new").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            Client::new(&site.app)
                .get("/es/events/series/ciclo-2027/edit")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn the_sessions_import_is_all_or_nothing_with_every_line_in_the_readers_language() {
    for site in sites().await {
        let store = &site.db.store;
        let label = site.db.label;
        let mut co = Client::login(&site.app, "coord@faro.test").await;
        let r = co.get("/pt/events/import").await;
        assert_eq!(r.status, StatusCode::OK, "{label}");
        assert!(r.body.contains("enctype=\"multipart/form-data\""));
        let csrf = co.csrf("/pt/events/import").await;
        let head = "id,series,number,date,title_es,title_en,title_pt,original_language,channels,notes,status,start_time,time_zone,duration_minutes,capacity";
        let bad = format!(
            "{head}\nvc2028-01,vc2020,41,2028-03-26,,First,,en,zoom,,scheduled,15:00,America/Montevideo,90,200\nvc2028-02,vc2020,42,2028-02-30,,Second,,en,zoom,,scheduled,15:00,America/Montevideo,90,\nvc2028-03,vc2020,43,2028-04-09,,Third,,en,zoom,,soon,15:00,Mars/Olympus,90,\n"
        );
        let (body, ct) = multipart(&csrf, &bad);
        let r = co.send_bytes("POST", "/pt/events/import", body, &ct).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: {}",
            r.body
        );
        assert!(r.body.contains("nada foi guardado"), "{label}");
        for m in [
            "Linha 3: Data «2028-02-30»: deve ser um dia",
            "Linha 4: Situação «soon»",
            "Linha 4: Fuso horário",
        ] {
            assert!(r.body.contains(m), "{label}: {m}\n{}", r.body);
        }
        assert!(
            faro_store::events::get(store, "vc2028-01").await.is_err(),
            "{label}: nothing of a refused file is stored"
        );
        // An unknown series is refused whole by the write path.
        let unknown = format!(
            "{head}\nvc2028-01,no-such-series,1,2028-03-26,,First,,en,zoom,,scheduled,,,,\n"
        );
        let (body, ct) = multipart(&csrf, &unknown);
        let r = co.send_bytes("POST", "/pt/events/import", body, &ct).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: {}",
            r.body
        );
        assert!(faro_store::events::get(store, "vc2028-01").await.is_err());
        // A good file; the same file again changes nothing.
        let good = format!(
            "{head}\nvc2028-01,vc2020,41,2028-03-26,,First,,en,zoom,,scheduled,15:00,America/Montevideo,90,200\nvc2028-02,vc2020,42,2028-04-02,,Second,,en,zoom;facebook_live,,scheduled,15:00,America/Montevideo,90,\n"
        );
        let (body, ct) = multipart(&csrf, &good);
        let r = co.send_bytes("POST", "/pt/events/import", body, &ct).await;
        assert_eq!(r.status, StatusCode::OK, "{label}: {}", r.body);
        assert!(r.body.contains("Criadas: 2"), "{label}: {}", r.body);
        let (body, ct) = multipart(&csrf, &good);
        let r = co.send_bytes("POST", "/pt/events/import", body, &ct).await;
        assert!(
            r.body.contains("Criadas: 0") && r.body.contains("sem alterações: 2"),
            "{label}"
        );
        let s = faro_store::events::get(store, "vc2028-01").await.unwrap();
        assert_eq!((s.capacity, s.duration_minutes), (Some(200), 90));
        // Without the form's token nothing is read.
        let (body, ct) = multipart("wrong", &good);
        let r = co.send_bytes("POST", "/pt/events/import", body, &ct).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{label}");
    }
}

#[tokio::test]
async fn the_api_creates_and_replaces_series_and_sessions_with_if_match() {
    for site in sites().await {
        let store = &site.db.store;
        let label = site.db.label;
        let (u, _) = faro_store::accounts::user_by_email(store, "coord@faro.test")
            .await
            .unwrap()
            .unwrap();
        let token = faro_store::accounts::create_token(store, u.id, "t")
            .await
            .unwrap()
            .1;
        let mut api = Client::new(&site.app);
        api.headers
            .push(("authorization".into(), format!("Bearer {token}")));
        let series = serde_json::json!({
            "id": "api-2027", "original_language": "pt", "title_pt": "Ciclo API",
            "organiser": "senai", "hashtag": "Api2027",
            "figures": [{"key": "countries", "value": "17", "source": "plan"}],
            "presenters": [{"institution": "sena"}]
        });
        let r = api
            .send(
                "POST",
                "/api/v1/series",
                Some((series.to_string(), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{label}: {}", r.body);
        assert_eq!(r.json()["presenters"][0]["institution"], "sena");
        // Unknown fields and references are refused with stable codes.
        let r = api
            .send(
                "POST",
                "/api/v1/series",
                Some((r#"{"id":"x","colour":"red"}"#.into(), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{label}");
        let r = api
            .send(
                "POST",
                "/api/v1/series",
                Some((
                    serde_json::json!({"id": "api-x", "original_language": "en", "title_en": "X",
                        "organiser": "no-such-institution"})
                    .to_string(),
                    "application/json",
                )),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: {}",
            r.body
        );
        let session = |date: &str, status: &str| {
            serde_json::json!({
                "id": "api-2027-01", "series": "api-2027", "number": 1, "date": date,
                "start_time": "10:00", "time_zone": "America/Sao_Paulo", "duration_minutes": 90,
                "original_language": "pt", "title_pt": "Primeira sessão", "status": status,
                "channels": ["zoom"], "capacity": 150, "zoom_url": "https://zoom.example/j/1",
                "topics": ["C4"]
            })
            .to_string()
        };
        let r = api
            .send(
                "POST",
                "/api/v1/sessions",
                Some((session("2099-03-01", "scheduled"), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{label}: {}", r.body);
        let created = r.json();
        assert!(
            created.get("zoom_url").is_none(),
            "join details never in GET bodies"
        );
        let v1 = created["updated_at"].as_str().unwrap().to_string();
        assert_eq!(created["start"], "2099-03-01T10:00:00-03:00");
        // The same id again is a conflict.
        let r = api
            .send(
                "POST",
                "/api/v1/sessions",
                Some((session("2099-03-01", "scheduled"), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{label}");
        let mut put = Client::new(&site.app);
        put.headers
            .push(("authorization".into(), format!("Bearer {token}")));
        put.headers.push(("if-match".into(), format!("\"{v1}\"")));
        let r = put
            .send(
                "PUT",
                "/api/v1/sessions/api-2027-01",
                Some((session("2099-03-08", "rescheduled"), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{label}: {}", r.body);
        assert!(r.json()["sequence"].as_u64().unwrap() > created["sequence"].as_u64().unwrap());
        // The same If-Match again is stale now: 412, nothing changes.
        let r = put
            .send(
                "PUT",
                "/api/v1/sessions/api-2027-01",
                Some((session("2099-03-15", "rescheduled"), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{label}");
        assert_eq!(
            faro_store::events::get(store, "api-2027-01")
                .await
                .unwrap()
                .date,
            "2099-03-08"
        );
        // A bad value is 422 with the field named.
        let r = api
            .send(
                "PUT",
                "/api/v1/sessions/api-2027-01",
                Some((session("2099-02-30", "soon"), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        assert!(
            r.body.contains("date") && r.body.contains("status"),
            "{}",
            r.body
        );
        // The history names the API and the change.
        let h = faro_store::changes::history(store, "session", "api-2027-01")
            .await
            .unwrap();
        assert!(
            h.iter()
                .any(|c| c.field == "date" && c.actor.ends_with("(api)")),
            "{label}: {h:?}"
        );
        // The OpenAPI document describes the writes.
        let doc = Client::new(&site.app)
            .get("/api/v1/openapi.json")
            .await
            .json();
        for (path, method) in [
            ("/api/v1/sessions", "post"),
            ("/api/v1/sessions/{id}", "put"),
            ("/api/v1/series", "post"),
            ("/api/v1/series/{id}", "put"),
        ] {
            assert!(doc["paths"][path][method].is_object(), "{path} {method}");
        }
        // An editor's token is refused.
        let (e, _) = faro_store::accounts::user_by_email(store, "ed-sena@faro.test")
            .await
            .unwrap()
            .unwrap();
        let et = faro_store::accounts::create_token(store, e.id, "t")
            .await
            .unwrap()
            .1;
        let mut ed = Client::new(&site.app);
        ed.headers
            .push(("authorization".into(), format!("Bearer {et}")));
        let r = ed
            .send(
                "POST",
                "/api/v1/sessions",
                Some((session("2099-03-01", "scheduled"), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{label}");
    }
}

#[tokio::test]
async fn the_configured_retention_erases_past_registrants_from_the_job_runner() {
    use chrono::TimeZone;
    for db in faro_store::testing::all_backends().await {
        let store = db.store.clone();
        faro_store::demo::load(&store).await.unwrap();
        let s = faro_domain::events::Session {
            id: "vc2027-ret".into(),
            series: "vc2020".into(),
            number: 40,
            date: "2027-03-26".into(),
            start_time: "10:00".into(),
            time_zone: "America/Montevideo".into(),
            duration_minutes: 60,
            title_en: "Retention".into(),
            original_language: "en".into(),
            channels: vec!["zoom".into()],
            ..Default::default()
        };
        faro_store::events::save(
            &store,
            &s,
            &faro_store::changes::Actor::new("user:coord", None),
            Some(faro_store::changes::NEW_RECORD),
        )
        .await
        .unwrap();
        let t0 = chrono::Utc.with_ymd_and_hms(2027, 3, 1, 12, 0, 0).unwrap();
        let mut p = faro_domain::events::Registrant {
            name: "Retained Person".into(),
            email: "retained@example.org".into(),
            country: "UY".into(),
            lang: "en".into(),
            consent: true,
            ..Default::default()
        };
        assert!(p.validate().is_empty());
        let r = faro_store::registrations::register(&store, std::slice::from_ref(&s), &p, t0)
            .await
            .unwrap();
        faro_store::registrations::confirm(&store, &r.token, t0)
            .await
            .unwrap();
        let state = faro_web::AppState {
            search: None,
            store: store.clone(),
            config: std::sync::Arc::new(faro_web::WebConfig {
                retention_days: 30,
                ..Default::default()
            }),
        };
        // The form states the period.
        let app = faro_web::router(state.clone());
        let mut c = Client::new(&app);
        let page = c.get("/en/events/vc2027-ret").await;
        assert!(
            page.body.contains("erased 30 days after the last session"),
            "{}",
            db.label
        );
        // Within the period nothing is erased; the run after it erases the
        // person, and the counts stay.
        let within = chrono::Utc.with_ymd_and_hms(2027, 4, 10, 0, 0, 0).unwrap();
        assert_eq!(
            faro_web::jobs::purge_when_due(&state, within)
                .await
                .unwrap(),
            0
        );
        let after = chrono::Utc.with_ymd_and_hms(2027, 4, 30, 0, 0, 0).unwrap();
        // A purge ten minutes ago: this process waits an hour before the next.
        state.config.last_purge.store(
            (after - chrono::Duration::minutes(10)).timestamp(),
            std::sync::atomic::Ordering::Relaxed,
        );
        assert_eq!(
            faro_web::jobs::purge_when_due(&state, after).await.unwrap(),
            0,
            "{}: at most one purge an hour",
            db.label
        );
        let later = after + chrono::Duration::hours(2);
        faro_web::jobs::run_due(&state, "test", later, 10)
            .await
            .unwrap();
        let counts = faro_store::registrations::counts(&store, "vc2027-ret")
            .await
            .unwrap();
        assert_eq!(counts.confirmed, 1, "{}", db.label);
        let rows = faro_store::registrations::registrants(
            &store,
            "vc2027-ret",
            None,
            "",
            faro_store::list::PageReq {
                page: 1,
                per_page: 50,
            },
        )
        .await
        .unwrap();
        assert!(
            !format!("{rows:?}").contains("retained@example.org"),
            "{}: {rows:?}",
            db.label
        );
    }
}
