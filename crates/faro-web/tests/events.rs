//! The event series' public pages: the 2020 series with the report's
//! figures and its 21 presenting organisations, profiles listing what an
//! institution presented, the home page's upcoming sessions, schema.org
//! `EventSeries`/`Event` (expanded by PyLD where available), and join
//! details never shown publicly — on SQLite and PostgreSQL.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use faro_store::{changes::Actor, demo, testing};
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

fn ld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|b| serde_json::from_str(b.split("</script>").next().unwrap()).unwrap())
        .collect()
}

#[tokio::test]
async fn series_presenters_profiles_and_upcoming_sessions() {
    for db in testing::all_backends().await {
        let store = &db.store;
        demo::load(store).await.unwrap();
        let app = faro_web::router(faro_web::AppState::new(store.clone()));
        let (s, page) = get(&app, "/en/events/series/vc2020").await;
        assert_eq!(s, StatusCode::OK, "{}", db.label);
        assert!(page.contains("#NoContagiamosAlEmpleo"));
        for figure in ["150–200", "2200", ">37<", ">17<", ">21<"] {
            assert!(page.contains(figure), "{}: figure {figure}", db.label);
        }
        assert_eq!(
            page.matches("href=\"/en/institutions/").count(),
            22,
            "organiser + 21 presenters"
        );
        let blocks = ld(&page);
        let series = blocks.iter().find(|b| b["@type"] == "EventSeries").unwrap();
        assert_eq!(series["subEvent"].as_array().unwrap().len(), 12);
        assert_eq!(series["performer"].as_array().unwrap().len(), 21);
        assert_eq!(series["organizer"]["name"], "CINTERFOR");
        assert_eq!(series["subEvent"][0]["startDate"], "2020-03-26");
        // ETF is the presenter the report names for session 8, and only there.
        let (_, s8) = get(&app, "/en/events/vc2020-08").await;
        assert!(s8.contains("/en/institutions/etf"));
        let (_, s7) = get(&app, "/en/events/vc2020-07").await;
        assert!(!s7.contains("/en/institutions/etf"));
        assert!(
            s7.contains("Registration is closed"),
            "a held session takes no registrations"
        );
        let (_, profile) = get(&app, "/es/institutions/etf").await;
        assert!(
            profile.contains("/es/events/vc2020-08")
                && profile.contains("/es/events/series/vc2020")
        );
        let (s, api) = get(&app, "/api/v1/series/vc2020").await;
        assert_eq!(s, StatusCode::OK);
        let api: serde_json::Value = serde_json::from_str(&api).unwrap();
        assert_eq!(api["hashtag"], "NoContagiamosAlEmpleo");
        assert_eq!(api["sessions"].as_array().unwrap().len(), 12);
        assert_eq!(api["presenters"].as_array().unwrap().len(), 22);
        assert_eq!(api["figures"].as_array().unwrap().len(), 6);
        // The series is in the shared search (by its hashtag too).
        let doc = faro_web::search::docs::series(
            &faro_store::events::get_series(store, "vc2020")
                .await
                .unwrap(),
        );
        assert_eq!(doc.path, "/events/series/vc2020");
        assert!(doc.keywords.contains(&"NoContagiamosAlEmpleo".to_string()));
        let (_, profile) = get(&app, "/pt/institutions/senai").await;
        assert!(profile.contains("/pt/events/series/vc2020"), "{}", db.label);

        // A future session: on the home page and the list, with its times;
        // its join details nowhere public.
        let next = faro_domain::events::Session {
            id: "vc2099-01".into(),
            series: "vc2020".into(),
            number: 13,
            date: "2099-05-07".into(),
            start_time: "09:30".into(),
            time_zone: "America/Bogota".into(),
            duration_minutes: 60,
            title_es: "Próxima sesión".into(),
            original_language: "es".into(),
            status: "cancelled".into(),
            zoom_url: "https://zoom.example/j/1".into(),
            zoom_passcode: "hidden-pass".into(),
            ..Default::default()
        };
        faro_store::events::save(store, &next, &Actor::new("t", None), Some("new"))
            .await
            .unwrap();
        let (_, home) = get(&app, "/es/").await;
        assert!(
            !home.contains("vc2099-01"),
            "a cancelled session is not upcoming"
        );
        let next = faro_domain::events::Session {
            status: "scheduled".into(),
            ..next
        };
        let v = faro_store::events::version(store, "vc2099-01")
            .await
            .unwrap();
        faro_store::events::save(store, &next, &Actor::new("t", None), v.as_deref())
            .await
            .unwrap();
        let (_, home) = get(&app, "/es/").await;
        assert!(home.contains("/es/events/vc2099-01"), "{}", db.label);
        assert!(
            home.contains("2099-05-07 09:30 (UTC-05:00) America/Bogota · 2099-05-07 14:30 UTC")
        );
        for uri in [
            "/es/events/vc2099-01",
            "/es/events",
            "/events/vc2099-01.ics",
            "/events/vc2020.ics",
            "/api/v1/sessions/vc2099-01",
            "/sitemap.xml",
        ] {
            let (_, body) = get(&app, uri).await;
            assert!(
                !body.contains("zoom.example") && !body.contains("hidden-pass"),
                "{uri}"
            );
        }
        let (_, api) = get(&app, "/api/v1/sessions/vc2099-01").await;
        let api: serde_json::Value = serde_json::from_str(&api).unwrap();
        assert_eq!(api["start"], "2099-05-07T09:30:00-05:00");
        assert_eq!(api["status"], "scheduled");
        assert_eq!(api["sequence"], 1);
        assert!(api.get("zoom_url").is_none());
        let (_, page) = get(&app, "/es/events/vc2099-01").await;
        let ev = ld(&page)
            .into_iter()
            .find(|b| b["@type"] == "Event")
            .unwrap();
        assert_eq!(ev["startDate"], "2099-05-07T09:30:00-05:00");
        assert_eq!(ev["endDate"], "2099-05-07T15:30:00+00:00");
        assert_eq!(ev["eventStatus"], "https://schema.org/EventScheduled");
        assert_eq!(ev["superEvent"]["@type"], "EventSeries");
        // Expanded by PyLD (another reader of JSON-LD): the start survives.
        let file = std::env::temp_dir().join(format!("faro-event-ld-{}.json", std::process::id()));
        std::fs::write(&file, ev.to_string()).unwrap();
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import json,sys; from pyld import jsonld; d=json.load(open(sys.argv[1])); d['@context']={'@vocab':'https://schema.org/'}; e=jsonld.expand(d); print(e[0]['https://schema.org/startDate'][0]['@value'])",
            ])
            .arg(&file)
            .output();
        match out {
            Ok(o) if o.status.success() => {
                assert_eq!(
                    String::from_utf8_lossy(&o.stdout).trim(),
                    "2099-05-07T09:30:00-05:00"
                );
            }
            _ if std::env::var("CI").as_deref() == Ok("true") => {
                panic!("CI=true but PyLD is missing")
            }
            _ => eprintln!("SKIPPED: PyLD expansion (pip install PyLD)"),
        }
    }
}
