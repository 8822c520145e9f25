//! Member surveys through the router, as a browser without JavaScript uses
//! them, on SQLite and PostgreSQL: a code opens only its own institution's
//! response; pages save with a revision (a stale save is 409 with the
//! person's values kept); relevant, constraint messages in Portuguese,
//! repeats, review, submit lock, reopen; tracking; the CSV export read back
//! by Python's csv module.

use axum::http::StatusCode;
use faro_store::surveys;

mod common;
use common::*;

const ID: &str = "member_survey_2020";

fn location(r: &Resp) -> String {
    r.header("location")
}

#[tokio::test]
async fn answering_by_code_from_start_to_export() {
    for site in sites().await {
        let app = &site.app;
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
        let codes = surveys::invite(store, ID, &["sena".into(), "senai".into()], "pt", "setup")
            .await
            .unwrap();
        let code = codes.iter().find(|(i, _)| i == "sena").unwrap().1.clone();
        let survey_page = format!("/pt/surveys/{ID}");
        let answer = format!("/pt/surveys/{ID}/answer/sena");

        // A wrong code opens nothing.
        let mut a = Client::new(app);
        let r = a
            .submit(
                &survey_page,
                &format!("{survey_page}/code"),
                &[("code", "AAAA-BBBB")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // The right one (typed in lower case with spaces) opens SENA's response.
        let typed = code.to_lowercase().replace('-', " ");
        let r = a
            .submit(
                &survey_page,
                &format!("{survey_page}/code"),
                &[("code", &typed)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), answer);
        // …and only SENA's: SENAI's response stays closed to this code.
        let other = a.get(&format!("/pt/surveys/{ID}/answer/senai")).await;
        assert_eq!(other.status, StatusCode::UNAUTHORIZED);
        let other = a
            .submit(
                &survey_page,
                &format!("/pt/surveys/{ID}/answer/senai"),
                &[("page", "0"), ("revision", "0")],
            )
            .await;
        assert_eq!(other.status, StatusCode::UNAUTHORIZED);
        assert!(
            surveys::response(store, ID, "senai")
                .await
                .unwrap()
                .is_none()
        );

        let p0 = a.get(&answer).await;
        assert_eq!(p0.status, StatusCode::OK);
        assert!(p0.body.contains("Reconstrução"), "the note in Portuguese");
        let r = a
            .submit(
                &answer,
                &answer,
                &[("page", "0"), ("revision", "0"), ("action", "next")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), format!("{answer}?page=1"));
        let p1 = a.get(&location(&r)).await;
        assert!(p1.body.contains("afetaram o funcionamento normal"));
        assert!(
            !p1.body.contains("name=\"effects\""),
            "hidden until relevant"
        );
        // Answering yes makes the next question appear on the same page.
        let r = a
            .submit(
                &answer,
                &answer,
                &[("page", "1"), ("revision", "1"), ("affected", "yes")],
            )
            .await;
        assert_eq!(location(&r), format!("{answer}?page=1"));
        let p1 = a.get(&location(&r)).await;
        assert!(
            p1.body.contains("name=\"effects\""),
            "relevant shows it now"
        );
        // The constraint fails with the form's own message, in Portuguese.
        let r = a
            .submit(
                &answer,
                &answer,
                &[
                    ("page", "1"),
                    ("revision", "2"),
                    ("affected", "yes"),
                    ("effects", "curto"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("Escreva pelo menos 10 caracteres."),
            "{}",
            r.body
        );
        assert!(r.body.contains(">curto</textarea>"), "the value is kept");
        // A colleague's stale page is refused, their values kept.
        let mut b = Client::new(app);
        b.submit(
            &survey_page,
            &format!("{survey_page}/code"),
            &[("code", &code)],
        )
        .await;
        let r = b
            .submit(
                &answer,
                &answer,
                &[
                    ("page", "1"),
                    ("revision", "1"),
                    ("affected", "yes"),
                    ("effects", "Fechamos os centros"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("Fechamos os centros"));
        let r = a
            .submit(
                &answer,
                &answer,
                &[
                    ("page", "1"),
                    ("revision", "2"),
                    ("affected", "yes"),
                    ("effects", "Fechamos todos os centros"),
                ],
            )
            .await;
        assert_eq!(location(&r), format!("{answer}?page=2"));
        // Resume from another device with the code: same response.
        let p2 = b.get(&format!("{answer}?page=1")).await;
        assert!(p2.body.contains("Fechamos todos os centros"));

        // Tracking: in progress.
        let mut coord = Client::login(app, "coord@faro.test").await;
        let t = coord.get(&format!("/en/surveys/{ID}")).await;
        assert!(t.body.contains("id=\"n-in-progress\">1<"), "{}", t.body);
        assert!(t.body.contains("id=\"n-not-started\">1<"));

        let r = a
            .submit(
                &answer,
                &answer,
                &[
                    ("page", "2"),
                    ("revision", "3"),
                    ("strategies", "online"),
                    ("strategies", "other"),
                    ("strategies_other", "Rádio"),
                ],
            )
            .await;
        assert_eq!(
            location(&r),
            format!("{answer}?page=3"),
            "the repeat is relevant"
        );
        let r = a
            .submit(
                &answer,
                &answer,
                &[
                    ("page", "3"),
                    ("revision", "4"),
                    ("strategy_detail.0.strategy_description", "Aulas online"),
                    ("action", "add"),
                ],
            )
            .await;
        assert_eq!(location(&r), format!("{answer}?page=3"));
        let r = a
            .submit(
                &answer,
                &answer,
                &[
                    ("page", "3"),
                    ("revision", "5"),
                    ("strategy_detail.0.strategy_description", "Aulas online"),
                    ("strategy_detail.1.strategy_description", "Rádio"),
                ],
            )
            .await;
        assert_eq!(location(&r), format!("{answer}?page=4"));
        // Submitting with a required answer missing lists it.
        let r = a
            .submit(&answer, &format!("{answer}/submit"), &[("revision", "6")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = a
            .submit(
                &answer,
                &answer,
                &[
                    ("page", "4"),
                    ("revision", "6"),
                    ("demands", "Cursos para docentes"),
                ],
            )
            .await;
        assert_eq!(location(&r), format!("{answer}?page=review"));
        let review = a.get(&location(&r)).await;
        assert!(review.body.contains("Cursos para docentes") && review.body.contains("Rádio"));
        let r = a
            .submit(&answer, &format!("{answer}/submit"), &[("revision", "7")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let done = a.get(&format!("{answer}?page=review")).await;
        assert!(done.body.contains("id=\"submitted\""));
        // Locked.
        let r = a
            .submit(
                &survey_page,
                &answer,
                &[("page", "4"), ("revision", "8"), ("demands", "x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // The export, read back by Python's csv module.
        let csv = coord.get(&format!("/en/surveys/{ID}/export.csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        std::fs::write(&path, &csv.body).unwrap();
        if let Some(out) = python(
            "import csv,sys,json; rows=list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8'))); print(json.dumps(rows))",
            &path,
            "csv",
        ) {
            let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
            assert_eq!(rows.len(), 1);
            let r = &rows[0];
            assert_eq!(r["_institution"], "sena");
            assert_eq!(r["_version"], "1");
            assert_eq!(r["affected"], "yes");
            assert_eq!(r["strategies"], "online other");
            assert_eq!(r["strategies/online"], "1");
            assert_eq!(r["strategies/tv"], "0");
            assert_eq!(r["strategies/other"], "1");
            assert_eq!(r["strategies_other"], "Rádio");
            assert_eq!(r["demands"], "Cursos para docentes");
            assert_eq!(r["_uuid"].as_str().unwrap().len(), 36);
        }
        // The repeat group's CSV (one row per instance, keyed by the
        // response), the XLSX (a sheet per table, read by openpyxl), the
        // JSON, and the data package validated by frictionless.
        let base = format!("/en/surveys/{ID}/export");
        let main = coord.get(&format!("{base}/responses.csv")).await;
        assert_eq!(main.body, csv.body, "the old address gives the same file");
        let rep = coord.get(&format!("{base}/strategy_detail.csv")).await;
        assert_eq!(rep.status, StatusCode::OK, "{}", rep.body);
        std::fs::write(dir.path().join("responses.csv"), &main.body).unwrap();
        std::fs::write(dir.path().join("strategy_detail.csv"), &rep.body).unwrap();
        if let Some(out) = python(
            "import csv,sys,json; rows=list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8'))); print(json.dumps(rows))",
            &dir.path().join("strategy_detail.csv"),
            "csv",
        ) {
            let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
            let got: Vec<(String, String)> = rows
                .iter()
                .map(|r| {
                    (
                        r["_index"].as_str().unwrap().to_string(),
                        r["strategy_description"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            assert_eq!(
                got,
                vec![
                    ("1".to_string(), "Aulas online".to_string()),
                    ("2".to_string(), "Rádio".to_string())
                ]
            );
            assert!(rows.iter().all(|r| r["_institution"] == "sena"));
        }
        let json = coord.get(&format!("{base}/responses.json")).await;
        let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 1);
        assert_eq!(v[0]["values"]["affected"], "yes");
        assert_eq!(
            v[0]["repeats"]["strategy_detail"][1]["strategy_description"],
            "Rádio"
        );
        let labels = coord
            .get(&format!("{base}/responses.json?values=labels"))
            .await;
        assert!(
            labels.body.contains("\"affected\":\"Yes\""),
            "{}",
            labels.body
        );
        let xlsx = coord.get_bytes(&format!("{base}/responses.xlsx")).await;
        let xpath = dir.path().join("r.xlsx");
        std::fs::write(&xpath, &xlsx).unwrap();
        if let Some(out) = python(
            "import sys,json,openpyxl; wb=openpyxl.load_workbook(sys.argv[1], read_only=True); print(json.dumps({ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}, default=str))",
            &xpath,
            "openpyxl",
        ) {
            let wb: serde_json::Value = serde_json::from_str(&out).unwrap();
            let sheet = wb["responses"].as_array().unwrap();
            let head: Vec<&str> = sheet[0]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap_or(""))
                .collect();
            let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
            assert_eq!(sheet.len(), 2, "a header and one response");
            assert_eq!(sheet[1][col("affected")], "yes");
            assert_eq!(sheet[1][col("strategies_other")], "Rádio");
            assert_eq!(sheet[1][col("_version")], 1);
            assert_eq!(wb["strategy_detail"].as_array().unwrap().len(), 3);
        }
        let dp = coord.get(&format!("{base}/datapackage.json")).await;
        assert_eq!(dp.status, StatusCode::OK);
        std::fs::write(dir.path().join("datapackage.json"), &dp.body).unwrap();
        if let Some(out) = python(
            "import sys,json; from frictionless import validate; r=validate(sys.argv[1]); print(json.dumps({'valid': r.valid, 'errors': [e.message for t in r.tasks for e in t.errors][:5], 'tasks': len(r.tasks)}))",
            &dir.path().join("datapackage.json"),
            "frictionless",
        ) {
            let r: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(r["valid"], true, "{r}");
            assert_eq!(r["tasks"], 2, "both CSV files are described: {r}");
        }
        // The export is the coordinators' only.
        for f in [
            "responses.csv",
            "strategy_detail.csv",
            "responses.xlsx",
            "datapackage.json",
        ] {
            let r = Client::new(app).get(&format!("{base}/{f}")).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{f}");
        }
        assert_eq!(
            coord.get(&format!("{base}/nothing.csv")).await.status,
            StatusCode::NOT_FOUND
        );
        // Results count the repeat's answers too.
        let res = coord.get(&format!("/en/surveys/{ID}/results")).await;
        assert!(
            res.body
                .contains("Describe each strategy › Strategy and whom it reached"),
            "{}",
            res.body
        );
        // Results for the coordinator: one submitted response.
        let res = coord.get(&format!("/en/surveys/{ID}/results")).await;
        assert!(res.body.contains("id=\"n-responses\">1<"), "{}", res.body);
        // Not public: visitors see nothing.
        assert_eq!(
            Client::new(app)
                .get(&format!("/en/surveys/{ID}/results"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // The institution's profile lists the survey it took part in.
        let prof = Client::new(app).get("/en/institutions/sena").await;
        assert!(
            prof.body.contains("id=\"surveys\"") && prof.body.contains("Encuesta a miembros 2020"),
            "{}",
            prof.body
        );
        // Public results: with fewer than 5 responses nothing is shown.
        let s = surveys::get(store.read(), ID).await.unwrap();
        let r = coord
            .submit(
                &format!("/en/surveys/{ID}"),
                &format!("/en/surveys/{ID}/settings"),
                &[
                    ("state", "open"),
                    ("revision", &s.revision.to_string()),
                    ("results_public", "true"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let public = Client::new(app)
            .get(&format!("/en/surveys/{ID}/results"))
            .await;
        assert_eq!(public.status, StatusCode::OK);
        let n = public
            .body
            .split("id=\"n-responses\">")
            .nth(1)
            .unwrap_or("")
            .split('<')
            .next()
            .unwrap_or("")
            .to_string();
        assert!(n == "&lt;5" || n == "&#60;5", "public count shown as {n:?}");
        assert!(public.body.contains("Too few responses"));
        assert!(
            !public.body.contains("Cursos para docentes"),
            "no texts in public"
        );

        // The coordinator reopens; the history keeps both.
        let r = coord
            .submit(
                &format!("/en/surveys/{ID}"),
                &format!("/en/surveys/{ID}/answer/sena/reopen"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            surveys::response(store, ID, "sena")
                .await
                .unwrap()
                .unwrap()
                .state,
            "open"
        );
        // SENA's editor may answer too; SENAI's may not.
        let mut ed = Client::login(app, "ed-sena@faro.test").await;
        assert_eq!(ed.get(&answer).await.status, StatusCode::OK);
        let mut other_ed = Client::login(app, "ed-senai@faro.test").await;
        assert_eq!(other_ed.get(&answer).await.status, StatusCode::FORBIDDEN);
    }
}

/// Invitations go out from the job queue to each institution's contact,
/// with its code, in the coordinator's language; the scheduled reminder
/// run (deadline minus the lead time) reminds only those who have not
/// submitted — read from a real SMTP sink, on both backends.
#[tokio::test]
async fn invitations_and_scheduled_reminders_are_emailed() {
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
        let label = site.db.label;
        for (id, mail) in [
            ("sena", "contacto@sena.example"),
            ("senai", "contato@senai.example"),
        ] {
            let mut i = faro_store::institutions::get(store, id).await.unwrap();
            i.contact_email = Some(mail.into());
            faro_store::institutions::upsert_all(
                store,
                &[i],
                &faro_store::changes::Actor::new("t", None),
            )
            .await
            .unwrap();
        }
        let bytes = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../data/demo/surveys/member-survey-2020.xlsx"),
        )
        .unwrap();
        let form = faro_formats::xlsform::read(&bytes, "m").unwrap();
        surveys::upload(store, &form, &bytes, "member-survey-2020.xlsx", "setup")
            .await
            .unwrap();
        let codes = surveys::invite(store, ID, &["sena".into(), "senai".into()], "pt", "setup")
            .await
            .unwrap();
        let state = faro_web::AppState {
            search: None,
            store: store.clone(),
            config: std::sync::Arc::new(cfg()),
        };
        let run = || async {
            faro_web::jobs::run_due(
                &state,
                "test",
                chrono::Utc::now() + chrono::Duration::minutes(1),
                100,
            )
            .await
            .unwrap();
        };
        run().await;
        let mails = inbox.lock().await.clone();
        assert_eq!(mails.len(), 2, "{label}: one invitation per institution");
        for (inst, to) in [
            ("sena", "contacto@sena.example"),
            ("senai", "contato@senai.example"),
        ] {
            let code = &codes.iter().find(|(i, _)| i == inst).unwrap().1;
            let m = mails
                .iter()
                .find(|m| m.contains(to))
                .unwrap_or_else(|| panic!("{label}: no invitation to {to}"));
            assert!(
                m.contains(code.as_str()),
                "{label}: {inst}'s code in its mail"
            );
            assert!(m.contains("Content-Language: pt"), "{label}");
            assert!(m.contains(&format!("/pt/surveys/{ID}")), "{label}");
        }
        // The tracking shows both as e-mailed.
        let (rows, ..) = surveys::tracking(store, ID, None, 0, 50).await.unwrap();
        assert!(rows.iter().all(|r| r.emailed), "{label}");

        // SENA submits; a deadline 3 days ahead with reminders 5 days
        // before it puts the reminder run in the past: it runs now.
        let r = surveys::open_response(store, ID, "sena", "code")
            .await
            .unwrap();
        let mut a = r.answers.clone();
        a.values.insert("affected".into(), "no".into());
        a.values.insert("strategies".into(), "online".into());
        a.values.insert("demands".into(), "Cursos".into());
        let rev = surveys::save(store, r.id, r.revision, &a, 4, 4, "code")
            .await
            .unwrap();
        surveys::submit(store, r.id, rev, "code").await.unwrap();
        let s = surveys::get(store.read(), ID).await.unwrap();
        surveys::set_settings(
            store,
            ID,
            s.revision,
            "open",
            Some(chrono::Utc::now() + chrono::Duration::days(3)),
            5,
            false,
            false,
            "user:coord",
        )
        .await
        .unwrap();
        inbox.lock().await.clear();
        run().await; // the scheduled run queues the reminders
        run().await; // and they are sent
        let mails = inbox.lock().await.clone();
        assert_eq!(mails.len(), 1, "{label}: only SENAI is reminded: {mails:?}");
        assert!(mails[0].contains("contato@senai.example"), "{label}");
        // Saving the settings again does not schedule a second run.
        let s = surveys::get(store.read(), ID).await.unwrap();
        surveys::set_settings(
            store,
            ID,
            s.revision,
            "open",
            s.deadline,
            5,
            false,
            false,
            "user:coord",
        )
        .await
        .unwrap();
        inbox.lock().await.clear();
        run().await;
        run().await;
        assert!(
            inbox.lock().await.is_empty(),
            "{label}: the same reminder run is not scheduled twice"
        );
    }
}

/// The results page cross-tabulates by a select inside a repeat
/// (`by=repeat/question:choice`): a response counts once when any of its
/// instances has the choice; the choice is offered and shown selected; a
/// `by` naming no select is ignored.
#[tokio::test]
async fn results_cross_tab_by_a_select_in_a_repeat() {
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data/xlsform/repeat_measures.xlsx"),
    )
    .unwrap();
    let form = faro_formats::xlsform::read(&bytes, "repeat_measures").unwrap();
    for site in sites().await {
        let s = &site.db.store;
        let id = surveys::upload(s, &form, &bytes, "repeat_measures.xlsx", "setup")
            .await
            .unwrap()
            .survey;
        surveys::invite(s, &id, &["senai".into(), "sena".into()], "en", "setup")
            .await
            .unwrap();
        // SENAI: two measures, both ongoing; SENA: one, not ongoing.
        for (inst, how_many, ongoing) in
            [("senai", "2", &["yes", "yes"][..]), ("sena", "1", &["no"])]
        {
            let r = surveys::open_response(s, &id, inst, "code").await.unwrap();
            let mut a = r.answers.clone();
            a.values.insert("how_many".into(), how_many.into());
            a.repeats.insert(
                "measure".into(),
                ongoing
                    .iter()
                    .enumerate()
                    .map(|(i, o)| {
                        [
                            ("measure_title".to_string(), format!("M{i}")),
                            ("measure_ongoing".to_string(), o.to_string()),
                        ]
                        .into_iter()
                        .collect()
                    })
                    .collect(),
            );
            let rev = surveys::save(s, r.id, r.revision, &a, 3, 3, "code")
                .await
                .unwrap();
            surveys::submit(s, r.id, rev, "code").await.unwrap();
        }
        let mut coord = Client::login(&site.app, "coord@faro.test").await;
        let all = coord.get(&format!("/en/surveys/{id}/results")).await;
        assert_eq!(all.status, StatusCode::OK);
        assert!(all.body.contains("id=\"n-responses\">2<"), "{}", all.body);
        assert!(
            all.body
                .contains("<option value=\"measure/measure_ongoing:yes\">"),
            "the repeat's choice is offered: {}",
            all.body
        );
        let yes = coord
            .get(&format!(
                "/en/surveys/{id}/results?by=measure%2Fmeasure_ongoing%3Ayes"
            ))
            .await;
        assert_eq!(yes.status, StatusCode::OK);
        assert!(
            yes.body.contains("id=\"n-responses\">1<"),
            "SENAI once ({}): {}",
            site.db.label,
            yes.body
        );
        assert!(
            yes.body
                .contains("<option value=\"measure/measure_ongoing:yes\" selected>")
        );
        let no = coord
            .get(&format!(
                "/en/surveys/{id}/results?by=measure%2Fmeasure_ongoing%3Ano"
            ))
            .await;
        assert!(no.body.contains("id=\"n-responses\">1<"), "{}", no.body);
        // A text question is no filter: ignored, all responses counted.
        let bogus = coord
            .get(&format!(
                "/en/surveys/{id}/results?by=measure%2Fmeasure_title%3AM0"
            ))
            .await;
        assert!(
            bogus.body.contains("id=\"n-responses\">2<"),
            "{}",
            bogus.body
        );
    }
}
