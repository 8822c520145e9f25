//! A dump given to others (`faro export all DIR --without-personal-data`)
//! holds no account, registrant, e-mail address or join detail, shows
//! people by their public name or role, and still loads into an empty
//! database — on SQLite and PostgreSQL.

use chrono::{TimeZone, Utc};
use faro_domain::accounts::Role;
use faro_domain::events::{Registrant, Session};
use faro_store::changes::Actor;
use faro_store::{accounts, corrections, demo, dump, events, registrations, testing};

#[tokio::test]
async fn the_public_dump_leaves_people_out_and_loads_again() {
    for db in testing::all_backends().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let setup = Actor::new("test-setup", None);
        let ana = accounts::create_user(
            s,
            "ana.coord@example.org",
            Role::Coordinator,
            &[],
            None,
            &setup,
        )
        .await
        .unwrap();
        accounts::set_display_name(s, ana.id, "Ana Pérez", &setup)
            .await
            .unwrap();
        accounts::create_user(
            s,
            "ed.nameless@example.org",
            Role::Editor,
            &["sena".into()],
            None,
            &setup,
        )
        .await
        .unwrap();
        let session = Session {
            id: "vc2027-pub".into(),
            series: "vc2020".into(),
            number: 30,
            date: "2027-06-01".into(),
            start_time: "10:00".into(),
            time_zone: "America/Montevideo".into(),
            title_en: "Public dump".into(),
            original_language: "en".into(),
            channels: vec!["zoom".into()],
            zoom_passcode: "zoom-secret-77".into(),
            ..Default::default()
        };
        events::save(
            s,
            &session,
            &Actor::new("user:ana.coord@example.org (api)", None),
            Some(faro_store::changes::NEW_RECORD),
        )
        .await
        .unwrap();
        events::save(
            s,
            &Session {
                title_en: "Public dump, renamed".into(),
                ..session.clone()
            },
            &Actor::new("user:ed.nameless@example.org", None),
            None,
        )
        .await
        .unwrap();
        let mut p = Registrant {
            name: "Registered Person".into(),
            email: "registered.person@example.org".into(),
            country: "UY".into(),
            lang: "en".into(),
            consent: true,
            ..Default::default()
        };
        assert!(p.validate().is_empty());
        let now = Utc.with_ymd_and_hms(2027, 5, 1, 12, 0, 0).unwrap();
        registrations::register(s, std::slice::from_ref(&session), &p, now)
            .await
            .unwrap();
        corrections::suggest(
            s,
            "m-ina-medical-material",
            "The start date is given in the report as April 2020.",
            "",
            "sender.contact@example.org",
            "203.0.113.9",
        )
        .await
        .unwrap()
        .unwrap();

        let out = tempfile::tempdir().unwrap();
        let m = dump::export_public(s, out.path()).await.unwrap();
        let mut all = String::new();
        for e in std::fs::read_dir(out.path()).unwrap() {
            all.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
        }
        for secret in [
            "ana.coord@example.org",
            "ed.nameless@example.org",
            "registered.person@example.org",
            "Registered Person",
            "sender.contact@example.org",
            "203.0.113.9",
            "zoom-secret-77",
            "argon2",
        ] {
            assert!(
                !all.contains(secret),
                "{}: {secret} in the public dump",
                db.label
            );
        }
        assert!(
            all.contains("Ana Pérez (api)"),
            "{}: the chosen name",
            db.label
        );
        assert!(
            all.contains("\"actor\":\"Editor\""),
            "{}: the role",
            db.label
        );
        for t in dump::PERSONAL_TABLES {
            let info = m.tables.iter().find(|x| x.name == *t).unwrap();
            assert_eq!(info.rows, 0, "{}: {t}", db.label);
        }
        // A full dump, by contrast, moves a site with its people.
        let full = tempfile::tempdir().unwrap();
        dump::export_all(s, full.path()).await.unwrap();
        let text = std::fs::read_to_string(full.path().join("registrant.jsonl")).unwrap();
        assert!(text.contains("registered.person@example.org"));

        // The public dump loads into an empty database of either backend.
        let fresh = if db.label == "sqlite" {
            testing::sqlite().await
        } else {
            testing::postgres().await.unwrap()
        };
        dump::import_all(&fresh.store, out.path()).await.unwrap();
        let back = events::get(&fresh.store, "vc2027-pub").await.unwrap();
        assert_eq!(back.title_en, "Public dump, renamed");
        assert!(back.zoom_passcode.is_empty());
        let h = faro_store::changes::history(&fresh.store, "session", "vc2027-pub")
            .await
            .unwrap();
        assert!(h.iter().all(|c| !c.actor.contains('@')), "{h:?}");
    }
}
