//! Attendance imports (matching, idempotence, history), certificates
//! (rule, issue, revoke, reissue, name correction) and erasure — on SQLite
//! always and on PostgreSQL when `FARO_TEST_DATABASE_URL` is set.

use chrono::{DateTime, TimeZone, Utc};
use faro_domain::events::{Registrant, Session};
use faro_formats::zoom;
use faro_store::certificates::{self, Rule};
use faro_store::changes::Actor;
use faro_store::{Store, StoreError, attendance, demo, events, list, registrations, testing};
use sea_orm::ConnectionTrait;

const TZ: chrono_tz::Tz = chrono_tz::America::Montevideo;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, 11, 1, 12, 0, 0).unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/data/zoom/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn import(store: &Store, session: &str, file: &str) -> attendance::Imported {
    let bytes = fixture(file);
    let report = zoom::read(&bytes, TZ).unwrap();
    attendance::import(
        store,
        session,
        &report,
        &attendance::sha256_hex(&bytes),
        "America/Montevideo",
        "user:coord@faro.example",
        now(),
    )
    .await
    .unwrap()
}

fn person(name: &str, email: &str, lang: &str) -> Registrant {
    let mut r = Registrant {
        name: name.into(),
        email: email.into(),
        country: "BR".into(),
        lang: lang.into(),
        consent: true,
        ..Default::default()
    };
    assert!(r.validate().is_empty());
    r
}

async fn scalar(store: &Store, q: &str) -> i64 {
    store
        .read()
        .query_one_raw(sea_orm::Statement::from_string(store.backend(), q))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap()
}

async fn setup(store: &Store) -> (Session, Vec<String>) {
    demo::load(store).await.unwrap();
    let s = Session {
        id: "vc2021-13".into(),
        series: "vc2020".into(),
        number: 13,
        date: "2021-11-19".into(),
        start_time: "10:00".into(),
        time_zone: "America/Montevideo".into(),
        duration_minutes: 90,
        title_es: "Formación a distancia".into(),
        title_en: "Distance training".into(),
        original_language: "es".into(),
        channels: vec!["zoom".into()],
        ..Default::default()
    };
    events::save(
        store,
        &s,
        &Actor::new("user:coord", None),
        Some(faro_store::changes::NEW_RECORD),
    )
    .await
    .unwrap();
    let s = events::get(store, &s.id).await.unwrap();
    let mut tokens = Vec::new();
    for (name, email, lang) in [
        ("Ana Pérez", "ana.perez@senai.example", "pt"),
        ("João Silva", "joao@senac.example", "pt"),
        // Registered with another e-mail: matched by name.
        ("Maria Gomez", "maria.g@other.example", "es"),
    ] {
        let r = registrations::register(
            store,
            std::slice::from_ref(&s),
            &person(name, email, lang),
            now(),
        )
        .await
        .unwrap();
        tokens.push(r.token);
    }
    (s, tokens)
}

#[tokio::test]
async fn import_matches_and_is_idempotent() {
    for db in testing::all_backends().await {
        let st = &db.store;
        let (s, _) = setup(st).await;
        let r = import(st, &s.id, "participants_meeting.csv").await;
        assert!(!r.unchanged);
        assert_eq!((r.rows, r.people, r.attended), (6, 4, 4));
        assert_eq!((r.added, r.changed, r.removed), (4, 0, 0));
        assert_eq!((r.matched_by_email, r.matched_by_name, r.guests), (2, 1, 1));
        let (rows, total) = attendance::rows(st, &s.id, list::PageReq::new(1, 50))
            .await
            .unwrap();
        assert_eq!(total, 4);
        let mins: Vec<(String, i64, bool)> = rows
            .iter()
            .map(|r| (r.name.clone(), r.minutes, r.registrant.is_some()))
            .collect();
        assert_eq!(
            mins,
            vec![
                ("Pérez, Ana".to_string(), 92, true),
                ("María Gómez".to_string(), 75, true),
                ("João Silva".to_string(), 60, true),
                ("Carlos Ruiz".to_string(), 15, false),
            ]
        );

        // The same file again changes nothing, not even the import list.
        let again = import(st, &s.id, "participants_meeting.csv").await;
        assert!(again.unchanged);
        assert_eq!(again.import_id, None);
        assert_eq!(attendance::imports(st, &s.id, 10).await.unwrap().len(), 1);

        // Another report replaces the session's attendance.
        let w = import(st, &s.id, "webinar_attendees.csv").await;
        assert_eq!((w.added, w.changed, w.removed), (3, 1, 3));
        assert_eq!(w.no_shows, 1);
        let imports = attendance::imports(st, &s.id, 10).await.unwrap();
        assert_eq!(imports.len(), 2);
        assert_eq!(imports[0].kind, "webinar_attendees");
        assert_eq!(imports[0].removed, 3);
        // The history holds counts and the file's hash, never a person.
        assert_eq!(
            scalar(
                st,
                "SELECT COUNT(*) AS n FROM change_log WHERE record_type = 'attendance_import'"
            )
            .await,
            2
        );
        assert_eq!(
            scalar(st, "SELECT COUNT(*) AS n FROM change_log WHERE record_type = 'attendance_import' AND (new_value LIKE '%@%' OR new_value LIKE '%Ana%')").await,
            0
        );
        // An unknown session is refused.
        let bytes = fixture("participants_meeting.csv");
        let report = zoom::read(&bytes, TZ).unwrap();
        let e = attendance::import(st, "nope", &report, "x", "UTC", "a", now()).await;
        assert!(matches!(e, Err(StoreError::NotFound)));
    }
}

#[tokio::test]
async fn certificates_rule_issue_revoke_reissue_rename_and_erase() {
    for db in testing::all_backends().await {
        let st = &db.store;
        let (s, tokens) = setup(st).await;
        import(st, &s.id, "participants_meeting.csv").await;
        assert!(matches!(
            certificates::issue(st, "vc2020", "user:coord", now()).await,
            Err(StoreError::Rule("no_certificate_rule"))
        ));
        // 80 % of 90 minutes = 72: Ana (92) and María (75), not João (60).
        certificates::set_rule(
            st,
            "vc2020",
            Rule {
                min_share: 80,
                series_sessions: 1,
            },
            "user:coord",
            now(),
        )
        .await
        .unwrap();
        let codes = certificates::issue(st, "vc2020", "user:coord", now())
            .await
            .unwrap();
        assert_eq!(codes.len(), 4, "two session and two series certificates");
        assert!(
            certificates::issue(st, "vc2020", "user:coord", now())
                .await
                .unwrap()
                .is_empty()
        );
        let first = certificates::get(st, &codes[0]).await.unwrap();
        assert_eq!(first.status, "valid");
        assert_eq!(first.session.as_deref(), Some("vc2021-13"));
        assert_eq!(first.name, "Ana Pérez");
        assert_eq!(first.lang, "pt");
        assert_eq!(first.minutes, 92);
        // Typed in lower case with spaces, still found.
        let typed = codes[0].to_lowercase().replace('-', " - ");
        assert!(certificates::get(st, &typed.replace(' ', "")).await.is_ok());

        certificates::revoke(st, &codes[1], "error", "user:coord", now())
            .await
            .unwrap();
        assert_eq!(
            certificates::get(st, &codes[1]).await.unwrap().status,
            "revoked"
        );
        assert!(matches!(
            certificates::revoke(st, &codes[1], "again", "user:coord", now()).await,
            Err(StoreError::Rule("not_valid"))
        ));
        let new = certificates::reissue(st, &codes[1], "user:coord", now())
            .await
            .unwrap();
        let old = certificates::get(st, &codes[1]).await.unwrap();
        assert_eq!(old.status, "replaced");
        assert_eq!(old.replaced_by.as_deref(), Some(new.as_str()));
        assert_eq!(certificates::get(st, &new).await.unwrap().status, "valid");

        // Ana corrects her name: her valid certificates are reissued.
        let mut ana = person("Ana Pereira", "ana.perez@senai.example", "pt");
        ana.consent = true;
        registrations::correct(st, &tokens[0], &ana, now())
            .await
            .unwrap();
        let first = certificates::get(st, &codes[0]).await.unwrap();
        assert_eq!(first.status, "replaced");
        let renamed = certificates::get(st, first.replaced_by.as_deref().unwrap())
            .await
            .unwrap();
        assert_eq!(renamed.name, "Ana Pereira");
        assert_eq!(renamed.status, "valid");

        // Erasure: attendance and certificates lose the person.
        registrations::erase(st, &tokens[0], now()).await.unwrap();
        assert_eq!(
            scalar(st, "SELECT COUNT(*) AS n FROM attendance WHERE email = 'ana.perez@senai.example' OR name LIKE '%Ana%'").await,
            0
        );
        assert_eq!(
            scalar(
                st,
                "SELECT COUNT(*) AS n FROM certificate WHERE name LIKE '%Ana%'"
            )
            .await,
            0
        );
        // Importing the same file again does not bring her back.
        let again = import(st, &s.id, "participants_meeting.csv").await;
        assert!(again.unchanged, "{again:?}");
        assert_eq!(
            scalar(
                st,
                "SELECT COUNT(*) AS n FROM attendance WHERE name LIKE '%Ana%'"
            )
            .await,
            0
        );
        // Purge: registrants and guests of old sessions.
        registrations::purge(
            st,
            chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap(),
            now(),
        )
        .await
        .unwrap();
        assert_eq!(
            scalar(
                st,
                "SELECT COUNT(*) AS n FROM attendance WHERE name <> '' OR email <> ''"
            )
            .await,
            0
        );
        assert_eq!(scalar(st, "SELECT COUNT(*) AS n FROM attendance").await, 4);
    }
}

#[tokio::test]
async fn session_and_series_analytics_from_sql_aggregates() {
    use faro_domain::attendance::Facebook;
    use faro_store::audience;
    for db in testing::all_backends().await {
        let st = &db.store;
        let (s, _) = setup(st).await;
        import(st, &s.id, "participants_meeting.csv").await;
        let fb = Facebook {
            peak_live: Some(120),
            total_views: Some(1500),
            unique_viewers: Some(800),
            minutes_viewed: Some(30_000),
            read_on: "2021-11-20".into(),
            source: "Facebook Insights".into(),
        };
        audience::save_facebook(st, &s.id, &fb, None, "user:coord", now())
            .await
            .unwrap();
        // A stale version is refused; the right one saves and keeps history.
        assert!(matches!(
            audience::save_facebook(st, &s.id, &fb, None, "user:coord", now()).await,
            Err(StoreError::Conflict)
        ));
        let v = audience::facebook(st, &s.id)
            .await
            .unwrap()
            .unwrap()
            .updated_at;
        let fb2 = Facebook {
            unique_viewers: Some(900),
            ..fb.clone()
        };
        audience::save_facebook(st, &s.id, &fb2, Some(v), "user:coord", now())
            .await
            .unwrap();
        let h = audience::facebook_history(st, &s.id).await.unwrap();
        assert_eq!(h[0].field, "unique_viewers");
        assert_eq!(h[0].old_value.as_deref(), Some("800"));
        assert_eq!(h.len(), 7);

        let stats = audience::session_stats(st, &s.id).await.unwrap();
        assert_eq!((stats.attended, stats.no_shows, stats.guests), (4, 0, 1));
        assert_eq!(stats.registered, 3);
        assert_eq!(stats.minutes_median, Some(67));
        assert_eq!(stats.minutes_total, 92 + 60 + 75 + 15);
        let dist: Vec<i64> = stats.distribution.iter().map(|d| d.1).collect();
        assert_eq!(dist, vec![0, 1, 0, 0, 1, 1, 1, 0]);
        assert_eq!(stats.reach_upper_bound, 904);

        // Kept figures (m0023) of the series so far: one session.
        let one = audience::series_stats(st, "vc2020").await.unwrap();
        assert_eq!((one.sessions.len(), one.unique_people), (1, 4));

        // A second session: Ana comes back, two new people.
        let mut s2 = s.clone();
        s2.id = "vc2021-14".into();
        s2.number = 14;
        s2.date = "2021-11-26".into();
        events::save(
            st,
            &s2,
            &Actor::new("user:coord", None),
            Some(faro_store::changes::NEW_RECORD),
        )
        .await
        .unwrap();
        import(st, "vc2021-14", "webinar_attendees.csv").await;
        let series = audience::series_stats(st, "vc2020").await.unwrap();
        assert_eq!(series.unique_people, 6);
        assert_eq!(series.returning, 1);
        assert_eq!(series.by_sessions_attended, vec![(1, 5), (2, 1)]);
        let per: Vec<(String, i64)> = series
            .sessions
            .iter()
            .map(|(id, _, n)| (id.clone(), *n))
            .collect();
        assert_eq!(per, vec![("vc2021-13".into(), 4), ("vc2021-14".into(), 3)]);
        // Registrants who attended: Ana, João, Maria (all BR).
        assert_eq!(series.by_country, vec![("BR".to_string(), 3)]);
        assert_eq!(series.countries, 1);
        assert_eq!(series.facebook_unique, 900);
        // The kept figures, read again, equal a fresh computation.
        assert_eq!(
            audience::series_stats(st, "vc2020").await.unwrap(),
            audience::compute_series_stats(st, "vc2020").await.unwrap()
        );
        // A returning attendee registering again from another country
        // makes them stale: the next read has the new country.
        let mut ana = person("Ana Pérez", "ana.perez@senai.example", "pt");
        ana.country = "AR".into();
        registrations::register(st, std::slice::from_ref(&s2), &ana, now())
            .await
            .unwrap();
        let moved = audience::series_stats(st, "vc2020").await.unwrap();
        assert_eq!(
            moved.by_country,
            vec![("BR".to_string(), 2), ("AR".to_string(), 1)],
            "{}",
            db.label
        );
        assert_eq!(moved.countries, 2);
        assert_eq!(
            audience::session_attended(st, "vc2021-14").await.unwrap(),
            Some(3)
        );
        assert_eq!(
            audience::session_attended(st, "vc2020-01").await.unwrap(),
            None
        );
    }
}
