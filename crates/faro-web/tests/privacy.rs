//! Issue 11, privacy and integrity: public pages, open data and the API show
//! people by the name they chose or their role, never an e-mail address
//! (the coordinators' audit log still does); the review workflow and the
//! input rules are enforced on the server. SQLite and PostgreSQL.

use axum::http::StatusCode;

mod common;
use common::*;

const MEASURE: &str = "m-sena-broadband-access";

fn measure_fields<'a>(title: &'a str, start: &'a str, action: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("institution", "sena"),
        ("original_language", "en"),
        ("title_en", title),
        ("categories", "E1"),
        ("log_type", "introduced"),
        ("source_url", "https://example.org/"),
        ("source_type", "this_report"),
        ("crisis", "covid-19"),
        ("start_date", start),
        ("action", action),
    ]
}

/// Every public output that names people, as one text per output.
async fn public_outputs(app: &axum::Router) -> Vec<(String, String)> {
    let mut anon = Client::new(app);
    let mut out = Vec::new();
    for uri in [
        format!("/en/observatory/measures/{MEASURE}/history"),
        format!("/es/observatory/measures/{MEASURE}/history"),
        format!("/pt/observatory/measures/{MEASURE}/history"),
        format!("/en/observatory/measures/{MEASURE}"),
        "/data/measures.csv".to_string(),
        "/data/measures.json".to_string(),
        "/data/measures-changes.csv".to_string(),
        format!("/api/v1/measures/{MEASURE}"),
        "/api/v1/measures?institution=sena&per_page=500".to_string(),
    ] {
        let r = anon.get(&uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        out.push((uri, r.body));
    }
    out
}

#[tokio::test]
async fn public_outputs_show_roles_or_chosen_names_never_emails() {
    for site in sites().await {
        let app = &site.app;
        let mut ed = Client::login(app, "ed-sena@faro.test").await;
        let r = ed
            .submit(
                "/en/account",
                &format!("/en/observatory/measures/{MEASURE}/edit"),
                &measure_fields("Broadband access for participants", "2020-05", "submit"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let mut co = Client::login(app, "coord@faro.test").await;
        let r = co
            .submit(
                "/en/observatory/review",
                &format!("/en/observatory/measures/{MEASURE}/review"),
                &[("decision", "verify")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // No name chosen: the role, in the page's language.
        let outputs = public_outputs(app).await;
        for (uri, body) in &outputs {
            assert!(
                !body.contains("ed-sena@faro.test") && !body.contains("coord@faro.test"),
                "{uri} shows an e-mail address: {body}"
            );
        }
        let text = |uri: &str| {
            outputs
                .iter()
                .find(|(u, _)| u.as_str() == uri)
                .map(|(_, b)| b.clone())
                .unwrap()
        };
        let en = text(&format!("/en/observatory/measures/{MEASURE}/history"));
        assert!(en.contains("<td>Editor</td>") && en.contains("<td>Coordinator</td>"));
        let es = text(&format!("/es/observatory/measures/{MEASURE}/history"));
        assert!(es.contains("<td>Coordinación</td>"), "{es}");
        let pt = text(&format!("/pt/observatory/measures/{MEASURE}/history"));
        assert!(pt.contains("<td>Coordenação</td>"), "{pt}");
        assert!(text("/data/measures-changes.csv").contains(",updated,Editor\r\n"));
        let api = serde_json::from_str::<serde_json::Value>(&text(&format!(
            "/api/v1/measures/{MEASURE}"
        )))
        .unwrap();
        assert_eq!(api["reviewed_by"], "Coordinator");

        // The audit log, for coordinators, still says exactly who.
        let audit = co.get("/en/admin/audit?record_type=measure").await;
        assert_eq!(audit.status, StatusCode::OK);
        assert!(audit.body.contains("user:ed-sena@faro.test"));
        assert!(audit.body.contains("user:coord@faro.test"));

        // A chosen name replaces the role everywhere, in the history already
        // written too; an address is refused as a name, in the user's language.
        let r = ed
            .submit(
                "/pt/account",
                "/pt/account/name",
                &[("display_name", "ana@sena.edu.co")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("não pode ser um endereço de e-mail"),
            "{}",
            r.body
        );
        let r = ed
            .submit(
                "/en/account",
                "/en/account/name",
                &[("display_name", "  Ana   Pérez ")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            ed.get("/en/account")
                .await
                .body
                .contains("value=\"Ana Pérez\"")
        );
        let r = co
            .submit(
                "/en/account",
                "/en/account/name",
                &[("display_name", "Technical secretariat")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        for (uri, body) in public_outputs(app).await {
            assert!(!body.contains("@faro.test"), "{uri}: {body}");
            if uri.contains("/history") || uri.ends_with("changes.csv") {
                assert!(body.contains("Ana Pérez"), "{uri}");
                assert!(body.contains("Technical secretariat"), "{uri}");
            }
            if uri.starts_with("/api/") || uri.starts_with("/data/measures.") {
                assert!(body.contains("Technical secretariat"), "{uri}");
            }
        }
        // The change of name is in the audit log like any account change.
        let audit = co.get("/en/admin/audit?record_type=user").await.body;
        assert!(audit.contains("display_name") && audit.contains("Ana Pérez"));
    }
}

/// Issue 11, item 6: zero results read as a plural (the unit test in
/// `i18n` checks every counted message; this is the page a user saw).
#[tokio::test]
async fn zero_results_are_plural_in_portuguese() {
    for site in sites().await {
        let mut anon = Client::new(&site.app);
        let r = anon.get("/pt/institutions?q=xyzzy").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("0 organizações"), "{}", r.body);
        assert!(!r.body.contains("1 organização"));
    }
}

/// Issue 11, item 8: impossible dates and nameless profiles are refused in
/// the form, each message in the page's language, and nothing is saved.
#[tokio::test]
async fn impossible_dates_and_nameless_profiles_are_refused() {
    for site in sites().await {
        let app = &site.app;
        let mut ed = Client::login(app, "ed-sena@faro.test").await;
        let edit = format!("/pt/observatory/measures/{MEASURE}/edit");
        let before = faro_store::observatory::get_any(&site.db.store, MEASURE)
            .await
            .unwrap();
        let next_year_after = (chrono::Utc::now()
            .format("%Y")
            .to_string()
            .parse::<i32>()
            .unwrap()
            + 2)
        .to_string();
        for (lang, start, end, expected) in [
            (
                "pt",
                "2020-02-30",
                "",
                "Início: não é uma data que exista (por exemplo, 30 de fevereiro)",
            ),
            (
                "es",
                "2020-03-26",
                "2020-03-25",
                "Fin: no puede ser anterior a la fecha de inicio",
            ),
            (
                "en",
                next_year_after.as_str(),
                "",
                "Start: must not be later than next year",
            ),
        ] {
            let mut fields = measure_fields("Broadband access for participants", start, "submit");
            fields.push(("end_date", end));
            let r = ed
                .submit(
                    "/en/account",
                    &edit.replace("/pt/", &format!("/{lang}/")),
                    &fields,
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{start} {end}");
            assert!(r.body.contains(expected), "{lang}: {expected}\n{}", r.body);
        }
        let after = faro_store::observatory::get_any(&site.db.store, MEASURE)
            .await
            .unwrap();
        assert_eq!(before, after, "nothing saved");

        // A profile with all three names empty.
        let sena_before = faro_store::institutions::get(&site.db.store, "sena")
            .await
            .unwrap();
        let r = ed
            .submit(
                "/pt/institutions/sena/edit",
                "/pt/institutions/sena/edit",
                &[("name_es", " "), ("name_en", ""), ("name_pt", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("Nome em espanhol: precisa de um nome em pelo menos um idioma"),
            "{}",
            r.body
        );
        let sena = faro_store::institutions::get(&site.db.store, "sena")
            .await
            .unwrap();
        assert_eq!(sena, sena_before, "nothing saved");
    }
}

/// The version the review queue carries for a measure's decision form.
fn queue_version(queue: &str, lang: &str, id: &str) -> String {
    let form = format!("action=\"/{lang}/observatory/measures/{id}/review\"");
    let at = queue
        .find(&form)
        .unwrap_or_else(|| panic!("no review form for {id}"));
    let rest = &queue[at..];
    let v = rest.find("name=\"version\" value=\"").unwrap() + 22;
    rest[v..v + rest[v..].find('"').unwrap()].to_string()
}

/// Issue 11, item 2: each transition only from its state, checked in the
/// write transaction; a stale decision gets the conflict page in the
/// user's language; a draft needs only a title; editors delete their drafts.
#[tokio::test]
async fn review_workflow_is_enforced_on_the_server() {
    for site in sites().await {
        let app = &site.app;
        let store = &site.db.store;
        let mut ed = Client::login(app, "ed-sena@faro.test").await;
        let mut co = Client::login(app, "coord@faro.test").await;
        let status = |id: &'static str| async move {
            faro_store::observatory::get_any(store, id)
                .await
                .unwrap()
                .map(|m| m.status)
        };

        // A draft with nothing but a title (and its institution).
        let r = ed
            .submit(
                "/en/observatory/measures/new",
                "/en/observatory/measures",
                &[
                    ("institution", "sena"),
                    ("original_language", "en"),
                    ("title_en", "Only a title"),
                    ("action", "draft"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let bare = "m-sena-only-a-title";
        assert_eq!(status(bare).await.as_deref(), Some("draft"));
        // Submitting it needs every required field.
        let r = ed
            .submit(
                "/en/account",
                &format!("/en/observatory/measures/{bare}/edit"),
                &[
                    ("institution", "sena"),
                    ("original_language", "en"),
                    ("title_en", "Only a title"),
                    ("action", "submit"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(status(bare).await.as_deref(), Some("draft"));
        // A draft cannot be verified (nor sent back): conflict, in Spanish.
        for decision in [
            vec![("decision", "verify")],
            vec![("decision", "send_back"), ("comment", "why")],
        ] {
            let r = co
                .submit(
                    "/es/account",
                    &format!("/es/observatory/measures/{bare}/review"),
                    &decision,
                )
                .await;
            assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
            assert!(r.body.contains("no está permitido en el estado actual"));
        }
        assert_eq!(status(bare).await.as_deref(), Some("draft"));

        // A stale decision: the queue opened before a send-back and a new
        // submission; the old page's verify is refused, in Portuguese.
        let r = ed
            .submit(
                "/en/account",
                &format!("/en/observatory/measures/{MEASURE}/edit"),
                &measure_fields("Broadband access for participants", "2020-05", "submit"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let old_queue = co.get("/pt/observatory/review").await.body;
        let old_version = queue_version(&old_queue, "pt", MEASURE);
        let queue = co.get("/en/observatory/review").await.body;
        let r = co
            .submit(
                "/en/account",
                &format!("/en/observatory/measures/{MEASURE}/review"),
                &[
                    ("decision", "send_back"),
                    ("comment", "Add the number of participants."),
                    ("version", &queue_version(&queue, "en", MEASURE)),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(status(MEASURE).await.as_deref(), Some("draft"));
        // Before the editor resubmits: not submitted any more.
        let r = co
            .submit(
                "/pt/account",
                &format!("/pt/observatory/measures/{MEASURE}/review"),
                &[("decision", "verify"), ("version", &old_version)],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let r = ed
            .submit(
                "/en/account",
                &format!("/en/observatory/measures/{MEASURE}/edit"),
                &measure_fields("Broadband access for participants", "2020-05", "submit"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(status(MEASURE).await.as_deref(), Some("submitted"));
        // Submitted again, but not the version the old page showed.
        let r = co
            .submit(
                "/pt/account",
                &format!("/pt/observatory/measures/{MEASURE}/review"),
                &[("decision", "verify"), ("version", &old_version)],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(
            r.body.contains("Alguém alterou este registro"),
            "{}",
            r.body
        );
        assert_eq!(status(MEASURE).await.as_deref(), Some("submitted"));
        // The current page's decision goes through.
        let queue = co.get("/en/observatory/review").await.body;
        let r = co
            .submit(
                "/en/account",
                &format!("/en/observatory/measures/{MEASURE}/review"),
                &[
                    ("decision", "verify"),
                    ("version", &queue_version(&queue, "en", MEASURE)),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(status(MEASURE).await.as_deref(), Some("verified"));

        // Deleting drafts: not another institution's, not a published
        // measure; the editor's own draft is soft-deleted, history kept.
        let mut other = Client::login(app, "ed-senai@faro.test").await;
        let r = other
            .submit(
                "/en/account",
                &format!("/en/observatory/measures/{bare}/delete"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = ed
            .submit(
                "/en/account",
                &format!("/en/observatory/measures/{MEASURE}/delete"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(status(MEASURE).await.as_deref(), Some("verified"));
        let queue = ed.get("/en/observatory/review").await.body;
        assert!(queue.contains(&format!("/en/observatory/measures/{bare}/delete")));
        let r = ed
            .submit(
                "/en/observatory/review",
                &format!("/en/observatory/measures/{bare}/delete"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(status(bare).await, None);
        assert!(!ed.get("/en/observatory/review").await.body.contains(bare));
        let h = faro_store::changes::history(store, "measure", bare)
            .await
            .unwrap();
        assert!(h.iter().any(|c| c.action == "created"));
        assert!(
            h.iter()
                .any(|c| c.action == "deleted" && c.field == "deleted_at")
        );
    }
}

/// Releases frozen before public names held e-mail addresses: they are
/// shown with names or roles; a release frozen now is served byte for byte.
#[tokio::test]
async fn frozen_releases_show_no_email_addresses() {
    for site in sites().await {
        let store = &site.db.store;
        let m = faro_domain::observatory::Measure {
            id: "m-sena-old".into(),
            institution: "sena".into(),
            title_en: "Frozen, with the \"old\" actors".into(),
            entered_by: "user:ed-sena@faro.test".into(),
            reviewed_by: "user:coord@faro.test".into(),
            ..Default::default()
        };
        let mut csv = Vec::new();
        faro_formats::measures_csv::write_part(&mut csv, std::slice::from_ref(&m), true).unwrap();
        let changes = format!(
            "{}\r\nm-sena-old,entered_by,,user:ed-sena@faro.test,2020-04-01T00:00:00+00:00,,created,user:ed-sena@faro.test (api)\r\nm-sena-old,notes,,write to ana@example.org,2020-04-01T00:00:00+00:00,,updated,demo\r\n",
            faro_web::opendata::CHANGES_COLUMNS.join(",")
        );
        let json = serde_json::to_string_pretty(&vec![&m]).unwrap();
        faro_store::releases::create(
            store,
            "2020.1",
            &[
                ("measures.csv".into(), String::from_utf8(csv).unwrap()),
                ("measures-changes.csv".into(), changes),
                ("measures.json".into(), json),
            ],
        )
        .await
        .unwrap();
        let mut anon = Client::new(&site.app);
        for f in ["measures.csv", "measures-changes.csv", "measures.json"] {
            let r = anon.get(&format!("/data/releases/2020.1/{f}")).await;
            assert_eq!(r.status, StatusCode::OK);
            assert!(!r.body.contains("@faro.test"), "{f}: {}", r.body);
            assert!(r.body.contains("Editor"), "{f}: {}", r.body);
            assert!(r.body.contains("Frozen") || f.contains("changes"), "{f}");
        }
        let changes = anon
            .get("/data/releases/2020.1/measures-changes.csv")
            .await
            .body;
        assert!(changes.contains(",created,Editor (api)\r\n"), "{changes}");
        // Not a person field: the text stays as it was published.
        assert!(changes.contains("write to ana@example.org"));
        let json = anon.get("/data/releases/2020.1/measures.json").await.json();
        assert_eq!(json[0]["reviewed_by"], "Coordinator");
        assert_eq!(json[0]["title_en"], "Frozen, with the \"old\" actors");

        // A release frozen now: byte for byte.
        let files = faro_web::opendata::snapshot(store, "http://localhost")
            .await
            .unwrap();
        faro_store::releases::create(store, "2026.1", &files)
            .await
            .unwrap();
        for (name, text) in &files {
            let r = anon.get(&format!("/data/releases/2026.1/{name}")).await;
            assert_eq!(&r.body, text, "{name}");
        }
    }
}

/// Issue 11, item 2: coordinators are told when a measure is submitted, its
/// editor when it is sent back or verified: by e-mail, and as notices on
/// their account pages.
#[tokio::test]
async fn workflow_steps_are_announced_by_mail_and_on_the_account_page() {
    for db in faro_store::testing::all_backends().await {
        let (port, inbox) = smtp_sink().await;
        let mailer =
            faro_web::mail::Mailer::from_url(&format!("smtp://127.0.0.1:{port}"), "faro@faro.test")
                .unwrap();
        let cfg = faro_web::WebConfig {
            mailer: Some(mailer),
            public_url: "https://faro.example.org".into(),
            ..Default::default()
        };
        let site = site_with(db, cfg).await;
        let app = &site.app;
        let mut ed = Client::login(app, "ed-sena@faro.test").await;
        let mut co = Client::login(app, "coord@faro.test").await;
        let mail_to = |to: &'static str, subject: &'static str| {
            let inbox = inbox.clone();
            async move {
                inbox
                    .lock()
                    .await
                    .iter()
                    .filter(|m| m.contains(&format!("To: {to}")) && m.contains(subject))
                    .count()
            }
        };
        // A measure the editor entered (the demo's were entered by `demo`).
        let r = ed
            .submit(
                "/en/observatory/measures/new",
                "/en/observatory/measures",
                &[
                    ("institution", "sena"),
                    ("original_language", "en"),
                    ("title_en", "Mobile classrooms"),
                    ("action", "draft"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let id = "m-sena-mobile-classrooms";
        let edit = format!("/en/observatory/measures/{id}/edit");
        assert_eq!(mail_to("coord@faro.test", "Submitted").await, 0);
        let r = ed
            .submit(
                "/en/account",
                &edit,
                &measure_fields("Mobile classrooms", "2020-05", "submit"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            mail_to(
                "coord@faro.test",
                "Subject: Submitted for review: Mobile classrooms"
            )
            .await,
            1
        );
        assert!(
            co.get("/en/account")
                .await
                .body
                .contains("1 measure waits for review.")
        );
        let r = co
            .submit(
                "/en/observatory/review",
                &format!("/en/observatory/measures/{id}/review"),
                &[("decision", "send_back"), ("comment", "Which cities?")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            mail_to("ed-sena@faro.test", "Subject: Sent back: Mobile classrooms").await,
            1
        );
        let page = ed.get("/es/account").await.body;
        assert!(page.contains("Devuelta: Mobile classrooms"), "{page}");
        assert!(page.contains("Which cities?"));
        let r = ed
            .submit(
                "/en/account",
                &edit,
                &measure_fields("Mobile classrooms", "2020-05", "submit"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = co
            .submit(
                "/en/observatory/review",
                &format!("/en/observatory/measures/{id}/review"),
                &[("decision", "verify")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            mail_to("ed-sena@faro.test", "Subject: Verified: Mobile classrooms").await,
            1
        );
        let page = ed.get("/pt/account").await.body;
        assert!(page.contains("Verificada: Mobile classrooms"), "{page}");
        assert!(
            co.get("/pt/account")
                .await
                .body
                .contains("0 medidas aguardam revisão.")
        );
        // The other editor is told nothing.
        assert_eq!(mail_to("ed-senai@faro.test", "").await, 0);
    }
}
