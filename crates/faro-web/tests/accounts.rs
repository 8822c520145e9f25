//! Accounts, permissions, CSRF, history and abuse limits, through the router
//! as a browser or API client uses them, on SQLite and PostgreSQL.

use axum::extract::connect_info::MockConnectInfo;
use axum::http::StatusCode;
use faro_store::changes::Actor;
use faro_store::{accounts, institutions, testing};
use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;

mod common;
use common::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Who {
    Anonymous,
    OtherEditor,
    RightEditor,
    Coordinator,
}

/// A Zoom participants report for the attendance rows of the matrix.
const ZOOM_CSV: &str = "Name,Email,Join Time,Leave Time\nAtt Person,att@example.org,2099-01-01 10:00:00,2099-01-01 10:50:00\n";

const WHO: [Who; 4] = [
    Who::Anonymous,
    Who::OtherEditor,
    Who::RightEditor,
    Who::Coordinator,
];

#[tokio::test]
async fn permission_matrix_covers_every_state_changing_route() {
    for site in sites().await {
        let app = &site.app;
        let store = &site.db.store;
        let mut clients: HashMap<Who, Client> = HashMap::new();
        clients.insert(Who::Anonymous, Client::new(app));
        clients.insert(
            Who::OtherEditor,
            Client::login(app, "ed-senai@faro.test").await,
        );
        clients.insert(
            Who::RightEditor,
            Client::login(app, "ed-sena@faro.test").await,
        );
        clients.insert(
            Who::Coordinator,
            Client::login(app, "coord@faro.test").await,
        );
        // Bearer tokens for the API rows.
        let mut bearer: HashMap<Who, Option<String>> = HashMap::new();
        bearer.insert(Who::Anonymous, None);
        for (who, email) in [
            (Who::OtherEditor, "ed-senai@faro.test"),
            (Who::RightEditor, "ed-sena@faro.test"),
            (Who::Coordinator, "coord@faro.test"),
        ] {
            let (u, _) = accounts::user_by_email(store, email)
                .await
                .unwrap()
                .unwrap();
            bearer.insert(
                who,
                Some(
                    accounts::create_token(store, u.id, "matrix")
                        .await
                        .unwrap()
                        .1,
                ),
            );
        }
        let ed_sena = accounts::user_by_email(store, "ed-sena@faro.test")
            .await
            .unwrap()
            .unwrap()
            .0;
        let sena_token = accounts::create_token(store, ed_sena.id, "to revoke")
            .await
            .unwrap()
            .0;
        // Attendance (issue 13): a certificate to revoke and reissue.
        let att_code = {
            use faro_store::{attendance, certificates, events, registrations};
            let now = chrono::Utc::now();
            let s = faro_domain::events::Session {
                id: "vc2099-att".into(),
                series: "vc2020".into(),
                number: 40,
                date: "2099-01-01".into(),
                start_time: "10:00".into(),
                time_zone: "UTC".into(),
                duration_minutes: 60,
                title_en: "Attendance matrix".into(),
                original_language: "en".into(),
                channels: vec!["zoom".into()],
                ..Default::default()
            };
            events::save(
                store,
                &s,
                &Actor::new("setup", None),
                Some(faro_store::changes::NEW_RECORD),
            )
            .await
            .unwrap();
            let s = events::get(store, "vc2099-att").await.unwrap();
            let mut p = faro_domain::events::Registrant {
                name: "Att Person".into(),
                email: "att@example.org".into(),
                lang: "en".into(),
                consent: true,
                ..Default::default()
            };
            assert!(p.validate().is_empty());
            registrations::register(store, &[s], &p, now).await.unwrap();
            let csv = "Name,Email,Join Time,Leave Time\nAtt Person,att@example.org,2099-01-01 10:00:00,2099-01-01 11:00:00\n";
            let rep = faro_formats::zoom::read(csv.as_bytes(), chrono_tz::UTC).unwrap();
            attendance::import(store, "vc2099-att", &rep, "setup", "UTC", "setup", now)
                .await
                .unwrap();
            certificates::set_rule(
                store,
                "vc2020",
                certificates::Rule {
                    min_share: 50,
                    series_sessions: 0,
                },
                "setup",
                now,
            )
            .await
            .unwrap();
            certificates::issue(store, "vc2020", "setup", now)
                .await
                .unwrap()
                .remove(0)
        };
        let to_accept = faro_store::corrections::suggest(
            store,
            "m-sena-medical-material",
            "The notes should mention the ventilators.",
            "",
            "",
            "setup",
        )
        .await
        .unwrap()
        .unwrap();
        let to_reject = faro_store::corrections::suggest(
            store,
            "m-sena-medical-material",
            "This measure never happened, I think.",
            "",
            "",
            "setup",
        )
        .await
        .unwrap()
        .unwrap();

        // Resources for the knowledge-base rows: one of SENA's, one to delete.
        let matrix_resource = |id: &str, inst: &str| faro_domain::knowledge::Resource {
            id: id.into(),
            resource_type: "report".into(),
            institutions: vec![inst.into()],
            title_en: format!("Matrix resource {id}"),
            original_language: "en".into(),
            ..Default::default()
        };
        faro_store::knowledge::upsert_all(
            store,
            &[
                matrix_resource("r-matrix-sena", "sena"),
                matrix_resource("r-matrix-del", "sena"),
            ],
            &Actor::new("setup", None),
        )
        .await
        .unwrap();
        // A draft of SENA's, for the delete row.
        faro_store::observatory::upsert_all(
            store,
            &[faro_domain::observatory::Measure {
                id: "m-matrix-draft".into(),
                institution: "sena".into(),
                original_language: "en".into(),
                title_en: "Matrix draft".into(),
                status: "draft".into(),
                ..Default::default()
            }],
            &Actor::new("setup", None),
        )
        .await
        .unwrap();
        let files_dir = tempfile::tempdir().unwrap();
        let attached = faro_store::files::attach(
            store,
            files_dir.path(),
            "r-matrix-sena",
            "matrix.png",
            b"\x89PNG\r\n\x1a\nmatrix file",
            &Actor::new("setup", None),
        )
        .await
        .unwrap();
        // A course of SENA's for the course rows.
        let matrix_course = faro_domain::courses::Course {
            id: "c-matrix-sena".into(),
            title_en: "Matrix course".into(),
            original_language: "en".into(),
            providers: vec!["sena".into()],
            ..Default::default()
        };
        faro_store::courses::upsert_all(
            store,
            std::slice::from_ref(&matrix_course),
            &Actor::new("setup", None),
        )
        .await
        .unwrap();
        // A survey with SENA and SENAI invited, for the survey rows.
        {
            let bytes = std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../data/demo/surveys/member-survey-2020.xlsx"),
            )
            .unwrap();
            let form = faro_formats::xlsform::read(&bytes, "m").unwrap();
            faro_store::surveys::upload(store, &form, &bytes, "m.xlsx", "setup")
                .await
                .unwrap();
            faro_store::surveys::invite(
                store,
                "member_survey_2020",
                &["sena".into(), "senai".into()],
                "en",
                "setup",
            )
            .await
            .unwrap();
            let sources = faro_web::pages::reports::builtin("custom", "", "", &[]);
            faro_store::reports::save(
                store,
                &faro_store::reports::Report {
                    id: "matrix-report".into(),
                    kind: "custom".into(),
                    titles: ["Informe".into(), "Report".into(), "Relatório".into()],
                    sources,
                    editions: 0,
                    updated_at: chrono::Utc::now(),
                },
                Some(faro_store::changes::NEW_RECORD),
                "setup",
            )
            .await
            .unwrap();
        }
        let course_json = |title: &str| {
            serde_json::json!({
                "id": "c-matrix-api",
                "title_en": title,
                "original_language": "en",
                "providers": ["sena"],
                "runs": [{"run_id": "r1", "pacing": "self_paced", "modality": "online",
                          "cost": "free", "certificate": "attendance", "hours_total": 12}]
            })
            .to_string()
        };
        let courses_state = || async {
            faro_store::courses::get_any(store, "c-matrix-sena")
                .await
                .unwrap()
        };
        let resources_state = || async {
            let mut v = Vec::new();
            for id in ["r-matrix-sena", "r-matrix-del"] {
                v.push(faro_store::knowledge::get_any(store, id).await.unwrap());
            }
            v
        };

        use StatusCode as S;
        // (method, route pattern, concrete uri, form page for CSRF, fields or JSON, expected per Who)
        type Row = (
            &'static str,
            &'static str,
            String,
            &'static str,
            Vec<(&'static str, String)>,
            [S; 4],
        );
        let rows: Vec<Row> = vec![
            (
                "POST",
                "/{lang}/login",
                "/en/login".into(),
                "/en/login",
                vec![
                    ("email", "nobody@faro.test".into()),
                    ("password", "wrong password!".into()),
                ],
                [S::OK, S::OK, S::OK, S::OK],
            ),
            (
                "POST",
                "/{lang}/account/password",
                "/en/account/password".into(),
                "/en/login",
                vec![
                    ("current_password", "wrong".into()),
                    ("new_password", "0123456789ab".into()),
                    ("confirm_password", "0123456789ab".into()),
                ],
                [
                    S::UNAUTHORIZED,
                    S::UNPROCESSABLE_ENTITY,
                    S::UNPROCESSABLE_ENTITY,
                    S::UNPROCESSABLE_ENTITY,
                ],
            ),
            (
                "POST",
                "/{lang}/account/name",
                "/en/account/name".into(),
                "/en/login",
                vec![("display_name", "Matrix name".into())],
                [S::UNAUTHORIZED, S::SEE_OTHER, S::SEE_OTHER, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/password-reset",
                "/en/password-reset".into(),
                "/en/password-reset",
                vec![("email", "nobody@faro.test".into())],
                [S::OK, S::OK, S::OK, S::OK],
            ),
            (
                "POST",
                "/{lang}/password-reset/{token}",
                format!("/en/password-reset/{}", "0".repeat(64)),
                "/en/password-reset",
                vec![
                    ("new_password", "0123456789ab".into()),
                    ("confirm_password", "0123456789ab".into()),
                ],
                [S::GONE, S::GONE, S::GONE, S::GONE],
            ),
            (
                "POST",
                "/{lang}/account/tokens",
                "/en/account/tokens".into(),
                "/en/login",
                vec![("name", "matrix token".into())],
                [S::UNAUTHORIZED, S::CREATED, S::CREATED, S::CREATED],
            ),
            (
                "POST",
                "/{lang}/account/tokens/{id}/revoke",
                format!("/en/account/tokens/{}/revoke", sena_token.id),
                "/en/login",
                vec![],
                [S::UNAUTHORIZED, S::NOT_FOUND, S::SEE_OTHER, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/admin/users",
                "/en/admin/users".into(),
                "/en/login",
                vec![
                    ("email", "new@faro.test".into()),
                    ("role", "editor".into()),
                    ("institution", "ina".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::CREATED],
            ),
            (
                "POST",
                "/{lang}/admin/users/{id}",
                format!("/en/admin/users/{}", ed_sena.id),
                "/en/login",
                vec![
                    ("role", "editor".into()),
                    ("institution", "sena".into()),
                    ("institution", "ina".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                "POST",
                "/{lang}/institutions/{id}/edit",
                "/en/institutions/sena/edit".into(),
                "/en/login",
                vec![
                    ("name_es", "Servicio Nacional de Aprendizaje".into()),
                    ("name_en", "National Learning Service".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::SEE_OTHER, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/institutions/{id}/delete",
                "/en/institutions/sena/delete".into(),
                "/en/login",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/institutions/{id}/restore",
                "/en/institutions/sena/restore".into(),
                "/en/login",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "PATCH",
                "/api/v1/institutions/{id}",
                "/api/v1/institutions/sena".into(),
                "",
                vec![("website", "https://www.sena.edu.co".into())],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
            ),
            (
                "DELETE",
                "/api/v1/institutions/{id}",
                "/api/v1/institutions/sena".into(),
                "",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::NO_CONTENT],
            ),
            (
                "POST",
                "/api/v1/institutions/{id}/restore",
                "/api/v1/institutions/sena/restore".into(),
                "",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::NO_CONTENT],
            ),
            (
                "POST",
                "/{lang}/observatory/measures/{id}/corrections",
                "/en/observatory/measures/m-sena-medical-material/corrections".into(),
                "/en/observatory/measures/m-sena-medical-material",
                vec![("what", "The title should say gowns and shields.".into())],
                [S::CREATED, S::CREATED, S::CREATED, S::CREATED],
            ),
            (
                "POST",
                "/{lang}/observatory/corrections/{id}/accept",
                format!("/en/observatory/corrections/{to_accept}/accept"),
                "/en/observatory/measures/m-sena-medical-material",
                vec![
                    ("column", "notes".into()),
                    ("value", "Corrected through the permission matrix.".into()),
                    ("note", "matrix".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/observatory/corrections/{id}/reject",
                format!("/en/observatory/corrections/{to_reject}/reject"),
                "/en/observatory/measures/m-sena-medical-material",
                vec![("reason", "The report describes it.".into())],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/observatory/measures",
                "/en/observatory/measures".into(),
                "/en/login",
                vec![
                    ("institution", "sena".into()),
                    ("original_language", "en".into()),
                    ("title_en", "Matrix measure".into()),
                    ("categories", "C2".into()),
                    ("log_type", "introduced".into()),
                    ("source_url", "https://example.org/".into()),
                    ("source_type", "self_reported".into()),
                    ("crisis", "covid-19".into()),
                    ("action", "draft".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::SEE_OTHER, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/observatory/measures/{id}/edit",
                "/en/observatory/measures/m-sena-broadband-access/edit".into(),
                "/en/login",
                vec![
                    ("institution", "sena".into()),
                    ("original_language", "en".into()),
                    ("title_en", "Broadband access for participants".into()),
                    ("categories", "E1".into()),
                    ("log_type", "introduced".into()),
                    ("source_url", "https://example.org/".into()),
                    ("source_type", "this_report".into()),
                    ("crisis", "covid-19".into()),
                    ("action", "submit".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::SEE_OTHER, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/observatory/measures/{id}/review",
                "/en/observatory/measures/m-sena-broadband-access/review".into(),
                "/en/login",
                vec![("decision", "verify".into())],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/observatory/measures/{id}/delete",
                "/en/observatory/measures/m-matrix-draft/delete".into(),
                "/en/login",
                vec![],
                // The right editor deletes it; the coordinator then finds it gone.
                [S::UNAUTHORIZED, S::FORBIDDEN, S::SEE_OTHER, S::NOT_FOUND],
            ),
            (
                "POST",
                "/{lang}/resources/{id}/files",
                "/en/resources/r-cinterfor-member-survey/files".into(),
                "/en/login",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/resources/{id}/files/{sha}/remove",
                format!(
                    "/en/resources/r-matrix-sena/files/{}/remove",
                    attached.sha256
                ),
                "/en/login",
                vec![],
                // The right editor removes it; the coordinator then finds it gone.
                [S::UNAUTHORIZED, S::FORBIDDEN, S::SEE_OTHER, S::NOT_FOUND],
            ),
            (
                "POST",
                "/{lang}/resources",
                "/en/resources".into(),
                "/en/login",
                vec![
                    ("type", "report".into()),
                    ("institutions", "sena".into()),
                    ("original_language", "en".into()),
                    ("title_en", "Matrix created resource".into()),
                ],
                // The other editor may not file a resource under SENA.
                [
                    S::UNAUTHORIZED,
                    S::UNPROCESSABLE_ENTITY,
                    S::SEE_OTHER,
                    S::SEE_OTHER,
                ],
            ),
            (
                "POST",
                "/{lang}/resources/{id}/edit",
                "/en/resources/r-matrix-sena/edit".into(),
                "/en/login",
                vec![
                    ("type", "report".into()),
                    ("institutions", "sena".into()),
                    ("original_language", "en".into()),
                    ("title_en", "Matrix resource, edited".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::SEE_OTHER, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/resources/{id}/delete",
                "/en/resources/r-matrix-del/delete".into(),
                "/en/login",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/resources/{id}/restore",
                "/en/resources/r-matrix-del/restore".into(),
                "/en/login",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            // Event series: coordinators create and edit sessions and write
            // to registrants; anyone registers (201, no account); a
            // registration's own routes need the person's key (404 without).
            (
                "POST",
                "/{lang}/events",
                "/en/events".into(),
                "/en/login",
                vec![
                    ("version", "new".into()),
                    ("id", "vc2027-matrix".into()),
                    ("series", "vc2020".into()),
                    ("number", "30".into()),
                    ("date", "2099-06-01".into()),
                    ("start_time", "14:00".into()),
                    ("time_zone", "America/Montevideo".into()),
                    ("original_language", "en".into()),
                    ("title_en", "Matrix session".into()),
                    ("status", "scheduled".into()),
                    ("channels", "zoom".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/events/{id}/edit",
                "/en/events/vc2027-matrix/edit".into(),
                "/en/login",
                vec![
                    ("series", "vc2020".into()),
                    ("number", "30".into()),
                    ("date", "2099-06-02".into()),
                    ("start_time", "14:00".into()),
                    ("time_zone", "America/Montevideo".into()),
                    ("original_language", "en".into()),
                    ("title_en", "Matrix session".into()),
                    ("status", "rescheduled".into()),
                    ("channels", "zoom".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/events/{id}/message",
                "/en/events/vc2027-matrix/message".into(),
                "/en/login",
                vec![("subject", "Matrix".into()), ("body", "Hello".into())],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/events/{id}/register",
                "/en/events/vc2027-matrix/register".into(),
                "/en/login",
                vec![
                    ("name", "Matrix Person".into()),
                    ("email", "matrix@example.org".into()),
                    ("lang", "en".into()),
                    ("consent", "on".into()),
                ],
                [S::CREATED, S::CREATED, S::CREATED, S::CREATED],
            ),
            (
                "POST",
                "/{lang}/events/series/{id}/register",
                "/en/events/series/vc2020/register".into(),
                "/en/login",
                vec![
                    ("name", "Matrix Person".into()),
                    ("email", "matrix@example.org".into()),
                    ("lang", "en".into()),
                    ("consent", "on".into()),
                ],
                [S::CREATED, S::CREATED, S::CREATED, S::CREATED],
            ),
            (
                "POST",
                "/{lang}/registrations/confirm",
                "/en/registrations/confirm".into(),
                "/en/login",
                vec![("t", "0".repeat(64))],
                [S::NOT_FOUND, S::NOT_FOUND, S::NOT_FOUND, S::NOT_FOUND],
            ),
            (
                "POST",
                "/{lang}/registrations/cancel",
                "/en/registrations/cancel".into(),
                "/en/login",
                vec![("t", "0".repeat(64)), ("session", "vc2027-matrix".into())],
                [S::NOT_FOUND, S::NOT_FOUND, S::NOT_FOUND, S::NOT_FOUND],
            ),
            (
                "POST",
                "/{lang}/registrations/update",
                "/en/registrations/update".into(),
                "/en/login",
                vec![
                    ("t", "0".repeat(64)),
                    ("name", "X".into()),
                    ("lang", "en".into()),
                ],
                [S::NOT_FOUND, S::NOT_FOUND, S::NOT_FOUND, S::NOT_FOUND],
            ),
            (
                "POST",
                "/{lang}/registrations/erase",
                "/en/registrations/erase".into(),
                "/en/login",
                vec![("t", "0".repeat(64)), ("sure", "on".into())],
                [S::NOT_FOUND, S::NOT_FOUND, S::NOT_FOUND, S::NOT_FOUND],
            ),
            (
                "POST",
                "/{lang}/registrations/link",
                "/en/registrations/link".into(),
                "/en/login",
                vec![("email", "matrix@example.org".into())],
                [S::OK, S::OK, S::OK, S::OK],
            ),
            (
                "POST",
                "/{lang}/courses",
                "/en/courses".into(),
                "/en/login",
                vec![
                    ("providers", "sena".into()),
                    ("original_language", "en".into()),
                    ("title_en", "Matrix created course".into()),
                    ("run0.run_id", "r1".into()),
                    ("run0.pacing", "self_paced".into()),
                    ("run0.modality", "online".into()),
                    ("run0.cost", "free".into()),
                    ("run0.certificate", "none".into()),
                ],
                // The other editor may not offer a course under SENA.
                [
                    S::UNAUTHORIZED,
                    S::UNPROCESSABLE_ENTITY,
                    S::SEE_OTHER,
                    S::SEE_OTHER,
                ],
            ),
            (
                "POST",
                "/{lang}/courses/{id}/edit",
                "/en/courses/c-matrix-sena/edit".into(),
                "/en/login",
                vec![
                    ("providers", "sena".into()),
                    ("original_language", "en".into()),
                    ("title_en", "Matrix course, edited".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::SEE_OTHER, S::SEE_OTHER],
            ),
            (
                "POST",
                "/api/v1/courses",
                "/api/v1/courses".into(),
                "",
                vec![("__json", course_json("Matrix API course"))],
                // The coordinator's create finds the id taken by the editor's.
                [S::UNAUTHORIZED, S::FORBIDDEN, S::CREATED, S::CONFLICT],
            ),
            (
                "PUT",
                "/api/v1/courses/{id}",
                "/api/v1/courses/c-matrix-api".into(),
                "",
                vec![("__json", course_json("Matrix API course, replaced"))],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
            ),
            // Attendance and certificates: coordinators only.
            (
                "POST",
                "/api/v1/sessions/{id}/attendance",
                "/api/v1/sessions/vc2099-att/attendance".into(),
                "",
                vec![("__json", ZOOM_CSV.to_string())],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                "POST",
                "/{lang}/events/{id}/attendance",
                "/en/events/vc2099-att/attendance".into(),
                "/en/login",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                "POST",
                "/{lang}/events/{id}/facebook",
                "/en/events/vc2099-att/facebook".into(),
                "/en/login",
                vec![
                    ("version", "".into()),
                    ("total_views", "500".into()),
                    ("read_on", "2099-01-02".into()),
                    ("source", "Insights".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/events/series/{id}/certificates/rule",
                "/en/events/series/vc2020/certificates/rule".into(),
                "/en/login",
                vec![("min_share", "60".into()), ("series_sessions", "0".into())],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/events/series/{id}/certificates/issue",
                "/en/events/series/vc2020/certificates/issue".into(),
                "/en/login",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/events/series/{id}/certificates/mail",
                "/en/events/series/vc2020/certificates/mail".into(),
                "/en/login",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/certificates/{code}/revoke",
                format!("/en/certificates/{att_code}/revoke"),
                "/en/login",
                vec![("reason", "matrix".into())],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/certificates/{code}/reissue",
                format!("/en/certificates/{att_code}/reissue"),
                "/en/login",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            // Series and sessions as coordinators write them: the series
            // form, the sessions import (multipart, CSV) and the API.
            (
                "POST",
                "/{lang}/events/series",
                "/en/events/series".into(),
                "/en/login",
                vec![
                    ("version", "new".into()),
                    ("id", "matrix-series".into()),
                    ("original_language", "en".into()),
                    ("title_en", "Matrix series".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/events/series/{id}/edit",
                "/en/events/series/matrix-series/edit".into(),
                "/en/login",
                vec![
                    ("original_language", "en".into()),
                    ("title_en", "Matrix series, edited".into()),
                    ("hashtag", "MatrixTag".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/events/import",
                "/en/events/import".into(),
                "/en/login",
                vec![(
                    "__csv",
                    "id,series,number,date,title_es,title_en,title_pt,original_language,channels,notes\nvc2027-matrix-imp,matrix-series,1,2099-07-01,,Imported in the matrix,,en,zoom,\n".into(),
                )],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                "POST",
                "/api/v1/series",
                "/api/v1/series".into(),
                "",
                vec![(
                    "__json",
                    serde_json::json!({"id": "matrix-api-series", "original_language": "en",
                        "title_en": "Matrix API series", "organiser": "cinterfor",
                        "figures": [{"key": "sessions", "value": "3", "source": "matrix"}]})
                    .to_string(),
                )],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::CREATED],
            ),
            (
                "PUT",
                "/api/v1/series/{id}",
                "/api/v1/series/matrix-api-series".into(),
                "",
                vec![(
                    "__json",
                    serde_json::json!({"original_language": "en",
                        "title_en": "Matrix API series, replaced", "organiser": "cinterfor"})
                    .to_string(),
                )],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                "POST",
                "/api/v1/sessions",
                "/api/v1/sessions".into(),
                "",
                vec![(
                    "__json",
                    serde_json::json!({"id": "matrix-api-session", "series": "matrix-api-series",
                        "number": 1, "date": "2099-08-01", "start_time": "15:00",
                        "time_zone": "America/Bogota", "original_language": "en",
                        "title_en": "Matrix API session", "status": "scheduled",
                        "channels": ["zoom"]})
                    .to_string(),
                )],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::CREATED],
            ),
            (
                "PUT",
                "/api/v1/sessions/{id}",
                "/api/v1/sessions/matrix-api-session".into(),
                "",
                vec![(
                    "__json",
                    serde_json::json!({"series": "matrix-api-series",
                        "number": 1, "date": "2099-08-02", "start_time": "15:00",
                        "time_zone": "America/Bogota", "original_language": "en",
                        "title_en": "Matrix API session", "status": "rescheduled",
                        "channels": ["zoom"]})
                    .to_string(),
                )],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                "POST",
                "/{lang}/surveys",
                "/en/surveys".into(),
                "/en/surveys/member_survey_2020",
                vec![("file", "not a multipart upload".into())],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::BAD_REQUEST],
            ),
            (
                "POST",
                "/{lang}/surveys/{id}/code",
                "/en/surveys/member_survey_2020/code".into(),
                "/en/surveys/member_survey_2020",
                vec![("code", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GG".into())],
                [S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN],
            ),
            (
                "POST",
                "/{lang}/surveys/{id}/settings",
                "/en/surveys/member_survey_2020/settings".into(),
                "/en/surveys/member_survey_2020",
                // A stale revision: the coordinator's save is refused as a conflict.
                vec![("state", "open".into()), ("revision", "999".into())],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::CONFLICT],
            ),
            (
                "POST",
                "/{lang}/surveys/{id}/invite",
                "/en/surveys/member_survey_2020/invite".into(),
                "/en/surveys/member_survey_2020",
                vec![("institution", "ina".into())],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                "POST",
                "/{lang}/surveys/{id}/remind",
                "/en/surveys/member_survey_2020/remind".into(),
                "/en/surveys/member_survey_2020",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/surveys/{id}/answer/{inst}",
                "/en/surveys/member_survey_2020/answer/sena".into(),
                "/en/surveys/member_survey_2020",
                // SENA's editors and coordinators reach the save; this one is stale.
                vec![("page", "0".into()), ("revision", "999".into())],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::CONFLICT, S::CONFLICT],
            ),
            (
                "POST",
                "/{lang}/surveys/{id}/answer/{inst}/submit",
                "/en/surveys/member_survey_2020/answer/sena/submit".into(),
                "/en/surveys/member_survey_2020",
                // Required answers are missing: refused with the list.
                vec![("revision", "0".into())],
                [
                    S::UNAUTHORIZED,
                    S::FORBIDDEN,
                    S::UNPROCESSABLE_ENTITY,
                    S::UNPROCESSABLE_ENTITY,
                ],
            ),
            (
                "POST",
                "/{lang}/surveys/{id}/answer/{inst}/reopen",
                "/en/surveys/member_survey_2020/answer/sena/reopen".into(),
                "/en/surveys/member_survey_2020",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/reports",
                "/en/reports".into(),
                "/en/reports",
                // A visitor gets no form (the CSRF check refuses: 403). A bad
                // id: the coordinator's create is refused, nothing made.
                vec![("id", "Bad Id".into()), ("kind", "custom".into())],
                [S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY],
            ),
            (
                "POST",
                "/{lang}/reports/{id}/edit",
                "/en/reports/matrix-report/edit".into(),
                "/en/reports",
                // A preview saves nothing.
                vec![
                    ("action", "preview".into()),
                    ("source_es", "# Informe\n".into()),
                    ("source_en", "# Report\n".into()),
                    ("source_pt", "# Relatório\n".into()),
                ],
                [S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                "POST",
                "/{lang}/reports/{id}/publish",
                "/en/reports/matrix-report/publish".into(),
                "/en/reports",
                // A stale version: refused as a conflict, nothing published.
                vec![("version", "stale".into())],
                [S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::CONFLICT],
            ),
            // Course catalogues: the institution's editors and coordinators.
            (
                "POST",
                "/{lang}/institutions/{id}/catalogues",
                "/en/institutions/sena/catalogues".into(),
                "/en/login",
                vec![
                    ("source", "matrix-catalogue".into()),
                    ("kind", "sitemap".into()),
                    ("url", "https://cursos.example/sitemap.xml".into()),
                    ("lang", "es".into()),
                    ("every_hours", "".into()),
                ],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::SEE_OTHER, S::SEE_OTHER],
            ),
            (
                "POST",
                "/{lang}/institutions/{id}/catalogues/{source}/harvest",
                "/en/institutions/sena/catalogues/matrix-catalogue/harvest".into(),
                "/en/login",
                vec![],
                [S::UNAUTHORIZED, S::FORBIDDEN, S::SEE_OTHER, S::SEE_OTHER],
            ),
            // Logout last: it ends the sessions used above.
            (
                "POST",
                "/{lang}/logout",
                "/en/logout".into(),
                "/en/login",
                vec![],
                [S::SEE_OTHER, S::SEE_OTHER, S::SEE_OTHER, S::SEE_OTHER],
            ),
        ];
        let covered: BTreeSet<(&str, &str)> = rows.iter().map(|r| (r.0, r.1)).collect();
        let registered: BTreeSet<(&str, &str)> =
            faro_web::auth::STATE_CHANGING.iter().copied().collect();
        assert_eq!(
            covered, registered,
            "every state-changing route must be in the permission matrix"
        );

        for (method, pattern, uri, form_page, fields, expected) in &rows {
            for (i, who) in WHO.iter().enumerate() {
                let before = institutions::get_with_state(store, "sena").await.unwrap();
                let resources_before = resources_state().await;
                let courses_before = courses_state().await;
                let c = clients.get_mut(who).unwrap();
                let r = if uri.starts_with("/api/") {
                    let mut c = Client::new(app);
                    if let Some(t) = &bearer[who] {
                        c.headers
                            .push(("authorization".into(), format!("Bearer {t}")));
                    }
                    let json: serde_json::Map<String, serde_json::Value> = fields
                        .iter()
                        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                        .collect();
                    let raw = fields.iter().find(|(k, _)| *k == "__json");
                    let body = (!fields.is_empty()).then(|| {
                        (
                            raw.map(|(_, v)| v.clone())
                                .unwrap_or_else(|| serde_json::Value::Object(json).to_string()),
                            "application/json",
                        )
                    });
                    c.send(method, uri, body).await
                } else if uri.ends_with("/attendance") {
                    // A multipart upload of a small Zoom report.
                    let csrf = c.csrf(form_page).await;
                    let boundary = "matrixboundary";
                    let body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"zoom.csv\"\r\n\r\n{ZOOM_CSV}\r\n--{boundary}--\r\n").into_bytes();
                    let ct = format!("multipart/form-data; boundary={boundary}");
                    c.send_bytes(method, uri, body, &ct).await
                } else if let Some((_, csv)) = fields.iter().find(|(k, _)| *k == "__csv") {
                    // A multipart import of a CSV file with this client's CSRF token.
                    let csrf = c.csrf(form_page).await;
                    let boundary = "matrixboundary";
                    let body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n").into_bytes();
                    let ct = format!("multipart/form-data; boundary={boundary}");
                    c.send_bytes(method, uri, body, &ct).await
                } else if uri.ends_with("/files") {
                    // A multipart upload of a small PNG with this client's CSRF token.
                    let csrf = c.csrf(form_page).await;
                    let boundary = "matrixboundary";
                    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n\r\n").into_bytes();
                    body.extend_from_slice(b"\x89PNG\r\n\x1a\nmatrix");
                    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
                    let ct = format!("multipart/form-data; boundary={boundary}");
                    // The token also rides in the action URL, checked before the body.
                    c.send_bytes(method, &format!("{uri}?csrf={csrf}"), body, &ct)
                        .await
                } else {
                    let mut f: Vec<(&str, &str)> =
                        fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    // An edit form carries the version it was opened at.
                    let version = match *pattern {
                        "/{lang}/resources/{id}/edit" => {
                            faro_store::knowledge::get_any(store, "r-matrix-sena")
                                .await
                                .unwrap()
                                .unwrap()
                                .0
                                .updated_at
                                .to_rfc3339()
                        }
                        "/{lang}/events/{id}/edit" => {
                            faro_store::events::version(store, "vc2027-matrix")
                                .await
                                .unwrap()
                                .unwrap_or_default()
                        }
                        "/{lang}/events/series/{id}/edit" => {
                            faro_store::events::series_version(store, "matrix-series")
                                .await
                                .unwrap()
                                .unwrap_or_default()
                        }
                        "/{lang}/courses/{id}/edit" => {
                            faro_store::courses::get_any(store, "c-matrix-sena")
                                .await
                                .unwrap()
                                .unwrap()
                                .0
                                .updated_at
                                .to_rfc3339()
                        }
                        _ => String::new(),
                    };
                    if !version.is_empty() {
                        f.push(("version", version.as_str()));
                    }
                    c.submit(form_page, uri, &f).await
                };
                assert_eq!(
                    r.status,
                    expected[i],
                    "{} {method} {pattern} as {who:?}: {}",
                    site.db.label,
                    &r.body[..r.body.len().min(300)]
                );
                if !r.status.is_success()
                    && !r.status.is_redirection()
                    && *pattern != "/{lang}/login"
                {
                    let after = institutions::get_with_state(store, "sena").await.unwrap();
                    assert_eq!(
                        before, after,
                        "{method} {pattern} as {who:?} was refused but changed the record"
                    );
                    assert_eq!(
                        resources_before,
                        resources_state().await,
                        "{method} {pattern} as {who:?} was refused but changed a resource"
                    );
                    assert_eq!(
                        courses_before,
                        courses_state().await,
                        "{method} {pattern} as {who:?} was refused but changed a course"
                    );
                }
            }
        }
        // The catalogue was saved for SENA, and "harvest now" queued its job.
        let cat = faro_store::harvest::source(store, "matrix-catalogue")
            .await
            .unwrap()
            .expect("catalogue saved");
        assert_eq!(cat.institution_id, "sena");
        let (_, jobs) = faro_store::jobs::overview(store, None, 100).await.unwrap();
        assert!(jobs.iter().any(|j| j.kind == "course_harvest"), "{jobs:?}");
        // The coordinator's edits reached the record and its history.
        let sena = institutions::get(store, "sena").await.unwrap();
        assert_eq!(sena.name_es, "Servicio Nacional de Aprendizaje");
        assert_eq!(sena.website.as_deref(), Some("https://www.sena.edu.co"));
        let scopes = accounts::user(store, ed_sena.id)
            .await
            .unwrap()
            .institutions;
        assert_eq!(scopes, vec!["ina".to_string(), "sena".to_string()]);
        // The resource rows reached the knowledge base and its history.
        let (edited, _) = faro_store::knowledge::get_any(store, "r-matrix-sena")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(edited.resource.title_en, "Matrix resource, edited");
        for id in ["r-matrix-created-resource", "r-matrix-created-resource-2"] {
            assert!(
                faro_store::knowledge::get(store, id).await.is_ok(),
                "{id} created by the right editor and the coordinator"
            );
        }
        let (_, deleted) = faro_store::knowledge::get_any(store, "r-matrix-del")
            .await
            .unwrap()
            .unwrap();
        assert!(deleted.is_none(), "deleted, then restored");
        // The course rows reached the finder and its history.
        let edited = faro_store::courses::get(store, "c-matrix-sena")
            .await
            .unwrap();
        assert_eq!(edited.course.title_en, "Matrix course, edited");
        for id in ["c-matrix-created-course", "c-matrix-created-course-2"] {
            let c = faro_store::courses::get(store, id).await.unwrap();
            assert_eq!(c.course.runs.len(), 1, "{id}");
        }
        let api = faro_store::courses::get(store, "c-matrix-api")
            .await
            .unwrap();
        assert_eq!(api.course.title_en, "Matrix API course, replaced");
        let h = faro_store::changes::history(store, "course", "c-matrix-api")
            .await
            .unwrap();
        assert!(
            h.iter()
                .any(|c| c.action == "updated" && c.field == "title_en")
        );
        let h = faro_store::changes::history(store, "resource", "r-matrix-del")
            .await
            .unwrap();
        let mut actions: Vec<&str> = h.iter().map(|c| c.action.as_str()).collect();
        actions.dedup(); // one history row per field of a change
        assert_eq!(actions, ["created", "deleted", "restored"]);
    }
}

#[tokio::test]
async fn unregistered_state_changing_routes_are_refused() {
    let site = site_with(testing::sqlite().await, faro_web::WebConfig::default()).await;
    // A POST to a GET-only route is "method not allowed", never executed.
    let r = Client::new(&site.app).post("/en/institutions", &[]).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{}", r.body);
}

#[tokio::test]
async fn csrf_missing_or_wrong_is_refused_and_changes_nothing() {
    for site in sites().await {
        let mut c = Client::login(&site.app, "coord@faro.test").await;
        let before = institutions::get(&site.db.store, "ina").await.unwrap();
        for token in [None, Some("0".repeat(64)), Some("not a token".to_string())] {
            let mut fields = vec![("name_en", "CHANGED")];
            if let Some(t) = &token {
                fields.push(("csrf", t.as_str()));
            }
            let r = c.post("/en/institutions/ina/edit", &fields).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{token:?}");
            assert!(r.body.contains("Nothing was changed"));
            let r = c.post("/es/institutions/ina/delete", &fields).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
            assert!(r.body.contains("No se cambió nada"));
        }
        assert_eq!(
            institutions::get(&site.db.store, "ina").await.unwrap(),
            before
        );
        // A visitor's login form without the double-submit cookie is refused.
        let mut anon = Client::new(&site.app);
        let r = anon
            .post(
                "/en/login",
                &[
                    ("email", "coord@faro.test"),
                    ("password", PW),
                    ("csrf", &"a".repeat(64)),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Another session's token does not work either.
        let mut other = Client::login(&site.app, "ed-sena@faro.test").await;
        let foreign = other.csrf("/en/account").await;
        let r = c
            .post(
                "/en/institutions/ina/edit",
                &[("csrf", &foreign), ("name_en", "X")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}

const PAYLOADS: [&str; 3] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
];

#[tokio::test]
async fn stored_xss_in_every_text_field_renders_inert() {
    for site in sites().await {
        let mut c = Client::login(&site.app, "coord@faro.test").await;
        for (n, payload) in PAYLOADS.iter().enumerate() {
            let fields = [
                ("acronym", *payload),
                ("name_es", *payload),
                ("name_en", *payload),
                ("name_pt", *payload),
                ("description_es", *payload),
                ("description_en", *payload),
                ("description_pt", *payload),
                ("note", *payload),
                ("country", "UY"),
                ("kind", "other"),
                ("reason", *payload),
            ];
            let r = c
                .submit(
                    "/en/institutions/utec/edit",
                    "/en/institutions/utec/edit",
                    &fields,
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "payload {n}: {}", r.body);
            for page in [
                "/en/institutions/utec",
                "/en/institutions/utec/edit",
                "/en/institutions/utec/history",
                "/en/institutions?q=alert",
                "/en/admin/audit",
                "/pt/institutions?country=UY",
            ] {
                let html = c.get(page).await.body;
                assert!(!html.contains("<script>alert"), "{page}");
                assert!(!html.contains("<img src=x"), "{page}");
                assert!(!html.contains("href=\"javascript:"), "{page}");
            }
            let html = c.get("/en/institutions/utec").await.body;
            if n == 0 {
                assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
            }
            // JSON-LD stays a data block.
            let ld = html
                .split("application/ld+json\">")
                .nth(1)
                .unwrap()
                .split("</script>")
                .next()
                .unwrap();
            assert!(!ld.contains('<'));
            serde_json::from_str::<serde_json::Value>(ld).unwrap();
        }
        // URL and e-mail fields refuse script URLs, in the user's language.
        for (lang, needle) in [
            ("en", "must be an address starting with http"),
            ("es", "debe ser una dirección"),
            ("pt", "deve ser um endereço"),
        ] {
            let uri = format!("/{lang}/institutions/utec/edit");
            let r = c
                .submit(
                    &uri,
                    &uri,
                    &[
                        ("name_en", "UTEC"),
                        ("website", "javascript:alert(1)"),
                        ("contact_email", "\"><img src=x>"),
                        ("kind", "university"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(r.body.contains(needle), "{lang}: {}", r.body);
            assert!(r.body.contains("aria-invalid=\"true\""));
            assert!(!r.body.contains("<img src=x"));
        }
        let r = c.get("/en/institutions/utec").await;
        assert!(!r.body.contains("href=\"javascript:"));
    }
}

#[tokio::test]
async fn history_delete_restore_and_audit_log() {
    for site in sites().await {
        let mut ed = Client::login(&site.app, "ed-sena@faro.test").await;
        let r = ed
            .submit(
                "/en/institutions/sena/edit",
                "/en/institutions/sena/edit",
                &[
                    ("name_es", "Servicio Nacional de Aprendizaje"),
                    ("name_en", "National Learning Service"),
                    ("description_en", "Colombia's national training service."),
                    ("reason", "official Spanish name"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // Editors cannot change coordinator-only fields, even by posting them.
        let r = ed
            .submit(
                "/en/institutions/sena/edit",
                "/en/institutions/sena/edit",
                &[
                    ("name_en", "National Learning Service"),
                    ("name_es", "Servicio Nacional de Aprendizaje"),
                    ("description_en", "Colombia's national training service."),
                    ("country", "BR"),
                    ("presenter", "false"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let sena = institutions::get(&site.db.store, "sena").await.unwrap();
        assert_eq!(sena.country.as_deref(), Some("CO"));
        assert!(sena.presenter);

        // The public history page shows before and after, who and why.
        let mut anon = Client::new(&site.app);
        let h = anon.get("/en/institutions/sena/history").await;
        assert_eq!(h.status, StatusCode::OK);
        // Who: the role (no public name chosen), never the e-mail address.
        assert!(h.body.contains("<td>Editor</td>"), "{}", h.body);
        assert!(!h.body.contains("ed-sena@faro.test"));
        assert!(h.body.contains("<td>Name in Spanish</td><td class=\"old\">—</td><td class=\"new\">Servicio Nacional de Aprendizaje</td><td>official Spanish name</td>"), "{}", h.body);
        assert!(
            h.body.contains("Colombia&#39;s national training service.")
                || h.body.contains("Colombia&#x27;s")
        );
        let profile = anon.get("/es/institutions/sena").await.body;
        assert!(profile.contains("Colombia"));

        // Delete (coordinator): gone from public pages, kept and restorable.
        let mut co = Client::login(&site.app, "coord@faro.test").await;
        let r = co
            .submit(
                "/en/institutions/sena",
                "/en/institutions/sena/delete",
                &[("reason", "duplicate entry test")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            anon.get("/en/institutions/sena").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            anon.get("/api/v1/institutions/sena").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            anon.get("/en/institutions/sena/history").await.status,
            StatusCode::NOT_FOUND
        );
        let list = anon.get("/api/v1/institutions?per_page=200").await.json();
        assert_eq!(list["total"], 80);
        let deleted = co.get("/en/admin/deleted").await.body;
        assert!(deleted.contains("/en/institutions/sena/history"));
        assert_eq!(
            co.get("/en/institutions/sena/history").await.status,
            StatusCode::OK
        );
        let r = co
            .submit("/en/admin/deleted", "/en/institutions/sena/restore", &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let back = institutions::get(&site.db.store, "sena").await.unwrap();
        assert_eq!(
            back.name_es, "Servicio Nacional de Aprendizaje",
            "restore keeps the data"
        );
        assert_eq!(
            anon.get("/api/v1/institutions?per_page=200").await.json()["total"],
            81
        );

        // The audit log shows both, with filters; visitors and editors cannot see it.
        assert_eq!(
            anon.get("/en/admin/audit").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            ed.get("/en/admin/audit").await.status,
            StatusCode::FORBIDDEN
        );
        let all = co
            .get("/en/admin/audit?record_type=institution&actor=user%3Acoord%40faro.test")
            .await
            .body;
        assert!(
            all.contains("deleted")
                && all.contains("restored")
                && all.contains("duplicate entry test"),
            "{all}"
        );
        assert!(!all.contains("user:ed-sena@faro.test</td>"));
        let by_editor = co
            .get("/en/admin/audit?actor=user%3Aed-sena%40faro.test")
            .await
            .body;
        assert!(by_editor.contains("Servicio Nacional de Aprendizaje"));
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        let dated = co
            .get(&format!(
                "/en/admin/audit?from={today}&until={today}&record_type=institution"
            ))
            .await;
        assert_eq!(dated.status, StatusCode::OK);
        assert!(dated.body.contains("restored"));
        let past = co.get("/en/admin/audit?until=2020-01-01").await.body;
        assert!(past.contains("0 changes"), "{past}");
        assert_eq!(
            co.get("/en/admin/audit?from=yesterday").await.status,
            StatusCode::BAD_REQUEST
        );
        // Account changes are audited too.
        let users = co.get("/en/admin/audit?record_type=user").await.body;
        assert!(users.contains("ed-sena@faro.test"));
    }
}

#[tokio::test]
async fn login_throttling_per_account_and_per_client() {
    let db = testing::sqlite().await;
    let proxy: std::net::IpAddr = "10.0.0.1".parse().unwrap();
    let cfg = faro_web::WebConfig {
        trusted_proxies: vec![proxy],
        login_limit_account: 3,
        login_limit_client: 7,
        ..Default::default()
    };
    let site = site_with(db, cfg).await;
    let behind_proxy = site
        .app
        .clone()
        .layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 1], 5555))));
    let direct = site
        .app
        .clone()
        .layer(MockConnectInfo(SocketAddr::from(([198, 51, 100, 7], 5555))));

    // Per account: 3 failures, then even the right password gets 429.
    let mut c = Client::new(&behind_proxy);
    c.headers
        .push(("x-forwarded-for".into(), "203.0.113.1".into()));
    let mut unknown_answer = None;
    for _ in 0..3 {
        let r = c
            .submit(
                "/en/login",
                "/en/login",
                &[
                    ("email", "ed-sena@faro.test"),
                    ("password", "wrong password"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body
                .contains("The e-mail or the password is not correct.")
        );
        // The same answer for an account that does not exist.
        let u = c
            .submit(
                "/en/login",
                "/en/login",
                &[("email", "ghost@faro.test"), ("password", "wrong password")],
            )
            .await;
        let msg = |b: &str| {
            b.split("role=\"alert\">")
                .nth(1)
                .map(|s| s.split('<').next().unwrap().to_string())
        };
        assert_eq!(msg(&u.body), msg(&r.body));
        unknown_answer = Some(u.status);
    }
    assert_eq!(unknown_answer, Some(StatusCode::OK));
    let r = c
        .submit(
            "/es/login",
            "/es/login",
            &[("email", "ed-sena@faro.test"), ("password", PW)],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.header("retry-after").parse::<i64>().unwrap() > 0);
    assert!(r.body.contains("Demasiados intentos fallidos"));

    // Per client: 7 failures from one forwarded address block it, for any account.
    let mut a = Client::new(&behind_proxy);
    a.headers
        .push(("x-forwarded-for".into(), "203.0.113.50".into()));
    for i in 0..7 {
        let email = format!("nobody{i}@faro.test");
        a.submit(
            "/en/login",
            "/en/login",
            &[("email", &email), ("password", "x")],
        )
        .await;
    }
    let r = a
        .submit(
            "/en/login",
            "/en/login",
            &[("email", "coord@faro.test"), ("password", PW)],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy is not affected.
    let mut b = Client::new(&behind_proxy);
    b.headers
        .push(("x-forwarded-for".into(), "203.0.113.51".into()));
    let r = b
        .submit(
            "/en/login",
            "/en/login",
            &[("email", "coord@faro.test"), ("password", PW)],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{:?}",
        faro_store::accounts::recent_failures(
            &site.db.store,
            "coord@faro.test",
            "203.0.113.51",
            chrono::Duration::minutes(15)
        )
        .await
    );
    // A direct client cannot escape its bucket by forging X-Forwarded-For.
    for i in 0..7 {
        let mut d = Client::new(&direct);
        d.headers
            .push(("x-forwarded-for".into(), format!("192.0.2.{i}")));
        let email = format!("direct{i}@faro.test");
        d.submit(
            "/en/login",
            "/en/login",
            &[("email", &email), ("password", "x")],
        )
        .await;
    }
    let mut d = Client::new(&direct);
    d.headers
        .push(("x-forwarded-for".into(), "192.0.2.200".into()));
    let r = d
        .submit(
            "/en/login",
            "/en/login",
            &[("email", "coord@faro.test"), ("password", PW)],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn sessions_cookies_logout_and_expiry() {
    let db = testing::sqlite().await;
    let cfg = faro_web::WebConfig {
        secure_cookies: true,
        public_url: "https://faro.example.org".into(),
        ..Default::default()
    };
    let site = site_with(db, cfg).await;
    let mut c = Client::new(&site.app);
    let csrf = c.csrf("/en/login").await;
    let r = c
        .post(
            "/en/login",
            &[
                ("csrf", &csrf),
                ("email", "ED-SENA@faro.test "),
                ("password", PW),
                ("next", "/en/"),
            ],
        )
        .await;
    // (Refused `next` values: tests/hardening.rs.)
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/en/");
    let set = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("faro_session="))
        .unwrap();
    for attr in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(set.contains(attr), "{set}");
    }
    let token = c.cookies["faro_session"].clone();
    assert!(
        c.get("/en/account")
            .await
            .body
            .contains("ed-sena@faro.test")
    );
    // The session is in the database, not in this process.
    assert!(
        accounts::session_principal(&site.db.store, &token)
            .await
            .unwrap()
            .is_some()
    );

    // Idle expiry.
    accounts::age_session(
        &site.db.store,
        &token,
        chrono::Duration::hours(9),
        chrono::Duration::hours(9),
    )
    .await
    .unwrap();
    assert_eq!(c.get("/en/account").await.status, StatusCode::UNAUTHORIZED);

    // Absolute expiry, however active the session was.
    let mut c = Client::login(&site.app, "ed-sena@faro.test").await;
    let token = c.cookies["faro_session"].clone();
    accounts::age_session(
        &site.db.store,
        &token,
        chrono::Duration::minutes(1),
        chrono::Duration::days(8),
    )
    .await
    .unwrap();
    assert_eq!(c.get("/en/account").await.status, StatusCode::UNAUTHORIZED);

    // Logout ends the session; the old cookie is useless afterwards.
    let mut c = Client::login(&site.app, "ed-sena@faro.test").await;
    let old = c.cookies["faro_session"].clone();
    let r = c.submit("/en/account", "/en/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut replay = Client::new(&site.app);
    replay.cookies.insert("faro_session".into(), old);
    assert_eq!(
        replay.get("/en/account").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn password_change_and_one_time_links() {
    for site in sites().await {
        let store = &site.db.store;
        let mut c = Client::login(&site.app, "ed-senai@faro.test").await;
        let mut other_session = Client::login(&site.app, "ed-senai@faro.test").await;
        let r = c
            .submit(
                "/pt/account/password",
                "/pt/account/password",
                &[
                    ("current_password", PW),
                    ("new_password", "short"),
                    ("confirm_password", "short"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("pelo menos 10 caracteres"));
        let r = c
            .submit(
                "/en/account/password",
                "/en/account/password",
                &[
                    ("current_password", PW),
                    ("new_password", "a much better password"),
                    ("confirm_password", "a much better password"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // This session lives on, the other one is ended.
        assert_eq!(c.get("/en/account").await.status, StatusCode::OK);
        assert_eq!(
            other_session.get("/en/account").await.status,
            StatusCode::UNAUTHORIZED
        );
        let (u, hash) = accounts::user_by_email(store, "ed-senai@faro.test")
            .await
            .unwrap()
            .unwrap();
        assert!(accounts::verify_password("a much better password".into(), hash.unwrap()).await);
        // The history says the password changed, never what it is.
        let h = faro_store::changes::history(store, "user", &u.id.to_string())
            .await
            .unwrap();
        let last = h.last().unwrap();
        assert_eq!(last.field, "password");
        assert_eq!(last.new_value.as_deref(), Some("(changed)"));

        // One-time link: works once, then 410.
        let token = accounts::create_link(store, u.id, accounts::PURPOSE_RESET)
            .await
            .unwrap();
        let mut anon = Client::new(&site.app);
        let page = format!("/es/password-reset/{token}");
        let form = anon.get(&page).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(form.header("referrer-policy"), "no-referrer");
        let r = anon
            .submit(
                &page,
                &page,
                &[
                    ("new_password", "reset via link ok"),
                    ("confirm_password", "reset via link ok"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = anon
            .submit(
                "/es/password-reset",
                &page,
                &[
                    ("new_password", "again and again"),
                    ("confirm_password", "again and again"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::GONE);
        let c2 = Client::new(&site.app);
        let mut c2 = c2;
        let r = c2
            .submit(
                "/en/login",
                "/en/login",
                &[
                    ("email", "ed-senai@faro.test"),
                    ("password", "reset via link ok"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn reset_request_mails_a_link_and_never_reveals_accounts() {
    let (port, inbox) = smtp_sink().await;
    let mailer =
        faro_web::mail::Mailer::from_url(&format!("smtp://127.0.0.1:{port}"), "faro@faro.test")
            .unwrap();
    let cfg = faro_web::WebConfig {
        mailer: Some(mailer),
        public_url: "https://faro.example.org".into(),
        ..Default::default()
    };
    let site = site_with(testing::sqlite().await, cfg).await;
    let mut c = Client::new(&site.app);
    let known = c
        .submit(
            "/pt/password-reset",
            "/pt/password-reset",
            &[("email", "coord@faro.test")],
        )
        .await;
    let unknown = c
        .submit(
            "/pt/password-reset",
            "/pt/password-reset",
            &[("email", "ghost@faro.test")],
        )
        .await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(
        known.body, unknown.body,
        "same page whether or not the account exists"
    );
    // Sent after the answer (off the request path): wait for it.
    let mut mails = Vec::new();
    for _ in 0..100 {
        mails = inbox.lock().await.clone();
        if !mails.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mails = if mails.is_empty() {
        mails
    } else {
        inbox.lock().await.clone()
    };
    assert_eq!(mails.len(), 1, "only the real account gets mail");
    let mail = &mails[0];
    assert!(mail.contains("coord@faro.test"));
    let link = mail.split("https://faro.example.org").nth(1).unwrap();
    let path: String = link.chars().take_while(|c| !c.is_whitespace()).collect();
    assert!(path.starts_with("/pt/password-reset/"), "{path}");
    // Quoted-printable may wrap the line; take the 64 hex characters.
    let token: String = mail
        .split("/pt/password-reset/")
        .nth(1)
        .unwrap()
        .chars()
        .filter(|c| c.is_ascii_hexdigit() || *c == '=' || *c == '\n')
        .collect::<String>()
        .replace("=\n", "")
        .chars()
        .take(64)
        .collect();
    assert_eq!(
        c.get(&format!("/pt/password-reset/{token}")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn api_tokens_are_shown_once_stored_hashed_and_revocable() {
    for site in sites().await {
        let mut c = Client::login(&site.app, "ed-sena@faro.test").await;
        let r = c
            .submit(
                "/en/account/tokens",
                "/en/account/tokens",
                &[("name", "my script")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        assert_eq!(r.header("cache-control"), "no-store");
        let secret: String = r
            .body
            .split("<code class=\"secret\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string();
        assert!(secret.starts_with("faro_"));
        // Shown once: the list page does not contain it; the database holds only a hash.
        assert!(!c.get("/en/account/tokens").await.body.contains(&secret));
        let dump =
            std::env::temp_dir().join(format!("faro-tok-{}-{}", std::process::id(), site.db.label));
        faro_store::dump::export_all(&site.db.store, &dump)
            .await
            .unwrap();
        let tokens = std::fs::read_to_string(dump.join("api_token.jsonl")).unwrap();
        assert!(!tokens.contains(&secret[5..]));
        assert!(tokens.contains(&accounts::sha256_hex(&secret)));
        let _ = std::fs::remove_dir_all(&dump);

        let mut api = Client::new(&site.app);
        api.headers
            .push(("authorization".into(), format!("Bearer {secret}")));
        let body = serde_json::json!({"description_pt": "Serviço Nacional de Aprendizagem da Colômbia", "reason": "via API"}).to_string();
        let r = api
            .send(
                "PATCH",
                "/api/v1/institutions/sena",
                Some((body, "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            r.json()["description_pt"],
            "Serviço Nacional de Aprendizagem da Colômbia"
        );
        // Editor scope applies to the token: not SENAI, not coordinator fields.
        let r = api
            .send(
                "PATCH",
                "/api/v1/institutions/senai",
                Some(("{\"name_en\":\"x\"}".into(), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.json()["error"]["code"], "forbidden");
        let r = api
            .send(
                "PATCH",
                "/api/v1/institutions/sena",
                Some(("{\"country\":\"BR\"}".into(), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = api
            .send(
                "PATCH",
                "/api/v1/institutions/sena",
                Some((
                    "{\"website\":\"javascript:alert(1)\"}".into(),
                    "application/json",
                )),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["code"], "invalid_record");
        let r = api
            .send(
                "PATCH",
                "/api/v1/institutions/sena",
                Some(("{not json".into(), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let r = api
            .send(
                "PATCH",
                "/api/v1/institutions/sena",
                Some(("{\"bogus\":1}".into(), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let h = faro_store::changes::history(&site.db.store, "institution", "sena")
            .await
            .unwrap();
        assert_eq!(h.last().unwrap().actor, "user:ed-sena@faro.test (api)");
        assert_eq!(h.last().unwrap().reason.as_deref(), Some("via API"));

        // Revoke in the UI: the token stops working.
        let list = c.get("/en/account/tokens").await.body;
        let action = list
            .split("action=\"")
            .find(|s| s.contains("/revoke"))
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let r = c.submit("/en/account/tokens", &action, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = api
            .send(
                "PATCH",
                "/api/v1/institutions/sena",
                Some(("{\"name_en\":\"y\"}".into(), "application/json")),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json()["error"]["code"], "unauthorized");
        for bad in [
            "Bearer ",
            "Bearer faro_123",
            "Basic abc",
            "Bearer faro_0000000000000000000000000000000000000000000000000000000000000000",
        ] {
            let mut x = Client::new(&site.app);
            x.headers.push(("authorization".into(), bad.into()));
            assert_eq!(
                x.send("DELETE", "/api/v1/institutions/sena", None)
                    .await
                    .status,
                StatusCode::UNAUTHORIZED,
                "{bad}"
            );
        }
    }
}

#[tokio::test]
async fn coordinators_manage_users_and_disabling_ends_access() {
    let site = site_with(testing::sqlite().await, faro_web::WebConfig::default()).await;
    let mut co = Client::login(&site.app, "coord@faro.test").await;
    // Validation errors in the user's language, nothing created.
    let r = co
        .submit(
            "/es/admin/users",
            "/es/admin/users",
            &[("email", "not-an-email"), ("role", "editor")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Escriba un correo electrónico válido"));
    assert!(r.body.contains("al menos una institución"));
    let r = co
        .submit(
            "/en/admin/users",
            "/en/admin/users",
            &[
                ("email", "ed-sena@faro.test"),
                ("role", "editor"),
                ("institution", "sena"),
            ],
        )
        .await;
    assert!(r.body.contains("already exists"));
    let r = co
        .submit(
            "/en/admin/users",
            "/en/admin/users",
            &[
                ("email", "new.editor@ina.test"),
                ("role", "editor"),
                ("institution", "ina"),
                ("institution", "no-such-institution"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        accounts::user_by_email(&site.db.store, "new.editor@ina.test")
            .await
            .unwrap()
            .is_none()
    );
    // Created with a one-time link shown to the coordinator.
    let r = co
        .submit(
            "/en/admin/users",
            "/en/admin/users",
            &[
                ("email", "new.editor@ina.test"),
                ("role", "editor"),
                ("institution", "ina"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let link = r
        .body
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let path = link.trim_start_matches("http://127.0.0.1:8080").to_string();
    let mut newbie = Client::new(&site.app);
    let r = newbie
        .submit(
            &path,
            &path,
            &[
                ("new_password", "my own password"),
                ("confirm_password", "my own password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = newbie
        .submit(
            "/en/login",
            "/en/login",
            &[
                ("email", "new.editor@ina.test"),
                ("password", "my own password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        newbie.get("/en/institutions/ina/edit").await.status,
        StatusCode::OK
    );
    assert_eq!(
        newbie.get("/en/institutions/sena/edit").await.status,
        StatusCode::FORBIDDEN
    );
    // Coordinators cannot lock themselves out.
    let me = accounts::user_by_email(&site.db.store, "coord@faro.test")
        .await
        .unwrap()
        .unwrap()
        .0;
    let uri = format!("/en/admin/users/{}", me.id);
    let r = co
        .submit(&uri, &uri, &[("role", "editor"), ("institution", "sena")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Disabling ends sessions at once.
    let (u, _) = accounts::user_by_email(&site.db.store, "new.editor@ina.test")
        .await
        .unwrap()
        .unwrap();
    let uri = format!("/en/admin/users/{}", u.id);
    let r = co
        .submit(
            &uri,
            &uri,
            &[
                ("role", "editor"),
                ("institution", "ina"),
                ("disabled", "true"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        newbie.get("/en/institutions/ina/edit").await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = Client::new(&site.app)
        .submit(
            "/en/login",
            "/en/login",
            &[
                ("email", "new.editor@ina.test"),
                ("password", "my own password"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "a disabled account cannot sign in"
    );
}
