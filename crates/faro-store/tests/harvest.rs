//! Course harvests' store half: sources with history and rules, and the
//! merge — found again by URL, editors' changes kept, deleted courses left
//! deleted, bad courses skipped with their reason — on SQLite always and
//! on PostgreSQL when `FARO_TEST_DATABASE_URL` is set.

use faro_domain::courses::{Course, CourseRun};
use faro_store::changes::{self, Actor};
use faro_store::harvest::{self, Incoming, Source};
use faro_store::{StoreError, courses, demo, testing};

fn source() -> Source {
    Source {
        id: "ina-catalogue".into(),
        institution_id: "ina".into(),
        kind: "sitemap".into(),
        url: "https://cursos.example/sitemap.xml".into(),
        lang: "es".into(),
        every_hours: None,
        last_run_at: None,
        last_outcome: String::new(),
    }
}

/// A course as a page gives it (no id, no providers).
fn page_course(n: u32, title: &str, description: &str) -> Incoming {
    let url = format!("https://cursos.example/c/{n}");
    let course = Course {
        title_es: title.into(),
        description_es: description.into(),
        original_language: "es".into(),
        languages: vec!["es".into()],
        url: url.clone(),
        runs: vec![CourseRun {
            run_id: "2021-03-01".into(),
            run_start: "2021-03-01".into(),
            run_end: "2021-04-30".into(),
            pacing: "instructor_led".into(),
            modality: "online".into(),
            cost: "free".into(),
            certificate: "attendance".into(),
            hours_total: Some(20),
            ..Default::default()
        }],
        ..Default::default()
    };
    Incoming {
        course,
        supplied: [
            "title_es",
            "description_es",
            "original_language",
            "languages",
            "url",
            "runs",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        key: url,
    }
}

#[tokio::test]
async fn sources_are_checked_and_kept_with_history() {
    for db in testing::all_backends().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let actor = Actor::new("coordinator@example.org", None);
        let mut bad = source();
        bad.kind = "ftp".into();
        bad.url = "ftp://x".into();
        bad.every_hours = Some(0);
        let e = harvest::save_source(s, &bad, &actor).await.unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("kind") && msg.contains("url") && msg.contains("every_hours"),
            "{msg}"
        );
        let mut unknown = source();
        unknown.institution_id = "no-such-vti".into();
        assert!(matches!(
            harvest::save_source(s, &unknown, &actor).await,
            Err(StoreError::Reference {
                field: "institution",
                ..
            })
        ));
        let mut src = source();
        src.every_hours = Some(24);
        harvest::save_source(s, &src, &actor).await.unwrap();
        // Saving the same again writes nothing and queues nothing twice.
        harvest::save_source(s, &src, &actor).await.unwrap();
        assert_eq!(
            harvest::source(s, "ina-catalogue")
                .await
                .unwrap()
                .unwrap()
                .every_hours,
            Some(24)
        );
        let h = changes::history(s, harvest::SOURCE_RECORD, "ina-catalogue")
            .await
            .unwrap();
        assert!(h.iter().any(|c| c.field == "url"), "{}", db.label);
        assert!(h.iter().all(|c| c.action == "created"), "{}", db.label);
        let (counts, jobs) = faro_store::jobs::overview(s, None, 50).await.unwrap();
        let harvests = jobs.iter().filter(|j| j.kind == "course_harvest").count();
        assert_eq!(harvests, 1, "{}: {counts:?}", db.label);
        // The outcome of a run queues the next one a schedule later.
        harvest::finish_run(s, "ina-catalogue", chrono::Utc::now(), "3 pages read")
            .await
            .unwrap();
        let (_, jobs) = faro_store::jobs::overview(s, None, 50).await.unwrap();
        assert_eq!(
            jobs.iter().filter(|j| j.kind == "course_harvest").count(),
            2
        );
        let got = harvest::source(s, "ina-catalogue").await.unwrap().unwrap();
        assert_eq!(got.last_outcome, "3 pages read");
        assert!(got.last_run_at.is_some());
    }
}

#[tokio::test]
async fn a_harvest_finds_courses_again_by_url_and_keeps_what_editors_changed() {
    for db in testing::all_backends().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let src = source();
        harvest::save_source(s, &src, &Actor::new("c", None))
            .await
            .unwrap();
        let bot = Actor::new("harvest:ina-catalogue", Some("harvest".into()));
        let first = vec![
            page_course(1, "Seguridad en el trabajo", "Primera versión."),
            page_course(2, "Soldadura básica", "Curso de soldadura."),
        ];
        let r = harvest::apply(s, &src, first.clone(), &bot).await.unwrap();
        assert_eq!(
            (r.created, r.updated, r.unchanged),
            (2, 0, 0),
            "{}",
            db.label
        );
        let (mine, total) = courses::for_institution(s, "ina", 50).await.unwrap();
        let ours: Vec<&Course> = mine
            .iter()
            .map(|c| &c.course)
            .filter(|c| c.url.starts_with("https://cursos.example/"))
            .collect();
        assert_eq!(ours.len(), 2, "{}: {total}", db.label);
        let id1 = ours
            .iter()
            .find(|c| c.url.ends_with("/c/1"))
            .unwrap()
            .id
            .clone();
        assert!(id1.starts_with("seguridad-en-el-trabajo-"), "{id1}");
        assert_eq!(
            courses::get(s, &id1).await.unwrap().course.providers,
            vec!["ina"]
        );
        let (page, _, from) = harvest::provenance(s, &id1).await.unwrap().unwrap();
        assert_eq!(
            (page.as_str(), from.as_str()),
            ("https://cursos.example/c/1", "ina-catalogue")
        );

        // The same catalogue again: nothing new, nothing changed.
        let r = harvest::apply(s, &src, first.clone(), &bot).await.unwrap();
        assert_eq!(
            (r.created, r.updated, r.unchanged),
            (0, 0, 2),
            "{}",
            db.label
        );

        // An editor retitles course 1 by hand.
        let mut edited = courses::get(s, &id1).await.unwrap().course;
        edited.title_es = "Seguridad y salud en el trabajo".into();
        courses::save(s, &edited, &Actor::new("editor@example.org", None), None)
            .await
            .unwrap();
        // The catalogue changes both the title and the description.
        let second = vec![
            page_course(1, "Seguridad laboral (nuevo)", "Segunda versión."),
            page_course(2, "Soldadura básica", "Curso de soldadura."),
        ];
        let r = harvest::apply(s, &src, second.clone(), &bot).await.unwrap();
        assert_eq!(
            (r.created, r.updated, r.unchanged),
            (0, 1, 1),
            "{}",
            db.label
        );
        assert_eq!(r.kept_fields, vec![(id1.clone(), "title_es".to_string())]);
        let now = courses::get(s, &id1).await.unwrap().course;
        assert_eq!(now.title_es, "Seguridad y salud en el trabajo");
        assert_eq!(now.description_es, "Segunda versión.");
        // Every change is in the history, with who made it.
        let h = changes::history(s, courses::RECORD_TYPE, &id1)
            .await
            .unwrap();
        assert!(
            h.iter()
                .any(|c| c.field == "title_es" && c.actor == "editor@example.org")
        );
        assert!(h.iter().any(|c| c.field == "description_es"
            && c.actor == "harvest:ina-catalogue"
            && c.new_value.as_deref() == Some("Segunda versión.")));
        // Still kept the next time (the snapshot is the harvest's value).
        let r = harvest::apply(s, &src, second.clone(), &bot).await.unwrap();
        assert_eq!(r.unchanged, 2);
        assert_eq!(
            courses::get(s, &id1).await.unwrap().course.title_es,
            "Seguridad y salud en el trabajo"
        );

        // A course an editor deleted stays deleted.
        let id2 = courses::for_institution(s, "ina", 50)
            .await
            .unwrap()
            .0
            .into_iter()
            .find(|c| c.course.url.ends_with("/c/2"))
            .unwrap()
            .course
            .id;
        courses::set_deleted(s, &id2, true, &Actor::new("editor@example.org", None))
            .await
            .unwrap();
        let r = harvest::apply(s, &src, second.clone(), &bot).await.unwrap();
        assert_eq!(r.kept_deleted, vec![id2.clone()]);
        assert_eq!(r.created, 0);

        // A course typed by hand with the page's URL is adopted, not
        // duplicated: only its empty fields are filled.
        let mut typed = Course {
            id: "ina-typed-course".into(),
            title_es: "Electricidad (a mano)".into(),
            original_language: "es".into(),
            providers: vec!["ina".into()],
            url: "https://cursos.example/c/3".into(),
            ..Default::default()
        };
        courses::save(s, &typed, &Actor::new("editor@example.org", None), None)
            .await
            .unwrap();
        let r = harvest::apply(
            s,
            &src,
            vec![page_course(3, "Electricidad", "Del catálogo.")],
            &bot,
        )
        .await
        .unwrap();
        assert_eq!((r.created, r.updated), (0, 1), "{}", db.label);
        typed = courses::get(s, "ina-typed-course").await.unwrap().course;
        assert_eq!(typed.title_es, "Electricidad (a mano)");
        assert_eq!(typed.description_es, "Del catálogo.");
        assert_eq!(typed.runs.len(), 1);

        // A course breaking the rules is skipped with its reason; the others are stored.
        let mut broken = page_course(4, "Curso roto", "x");
        broken.course.runs[0].run_end = "2020-01-01".into();
        let fine = page_course(5, "Curso bueno", "y");
        let r = harvest::apply(s, &src, vec![broken, fine], &bot)
            .await
            .unwrap();
        assert_eq!(r.created, 1, "{}", db.label);
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].0, "https://cursos.example/c/4");
        assert!(r.skipped[0].1.contains("run_end"), "{}", r.skipped[0].1);

        // Sources and snapshots move with a site dump: after a restore the
        // next harvest still knows what editors changed.
        let dir = tempfile::tempdir().unwrap();
        faro_store::dump::export_all(s, dir.path()).await.unwrap();
        let fresh = if db.label == "sqlite" {
            testing::sqlite().await
        } else {
            testing::postgres().await.unwrap()
        };
        faro_store::dump::import_all(&fresh.store, dir.path())
            .await
            .unwrap();
        let f = &fresh.store;
        assert_eq!(
            harvest::source(f, "ina-catalogue").await.unwrap(),
            harvest::source(s, "ina-catalogue").await.unwrap()
        );
        assert_eq!(
            harvest::provenance(f, &id1).await.unwrap().map(|p| p.0),
            Some(page.clone())
        );
        let r = harvest::apply(f, &src, second.clone(), &bot).await.unwrap();
        assert_eq!(
            r.kept_fields,
            vec![(id1.clone(), "title_es".to_string())],
            "{}",
            db.label
        );
        assert_eq!(r.created, 0);
    }
}
