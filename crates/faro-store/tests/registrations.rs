//! Registration (double opt-in, capacity, waiting list, erasure), session
//! changes that notify registrants, and the job queue — on SQLite always
//! and on PostgreSQL when `FARO_TEST_DATABASE_URL` is set.

use chrono::{DateTime, Duration, TimeZone, Utc};
use faro_domain::events::{Registrant, Session};
use faro_store::changes::Actor;
use faro_store::{Store, StoreError, demo, events, jobs, list, registrations, testing};
use sea_orm::ConnectionTrait;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 1, 12, 0, 0).unwrap()
}

fn session(id: &str, capacity: Option<u32>) -> Session {
    Session {
        id: id.into(),
        series: "vc2020".into(),
        number: 20,
        date: "2027-03-26".into(),
        start_time: "10:00".into(),
        time_zone: "America/Montevideo".into(),
        duration_minutes: 90,
        title_en: "Test session".into(),
        original_language: "en".into(),
        channels: vec!["zoom".into()],
        capacity,
        zoom_url: "https://zoom.example/j/123".into(),
        zoom_passcode: "secret-pass".into(),
        ..Default::default()
    }
}

fn person(email: &str) -> Registrant {
    let mut r = Registrant {
        name: format!("Person {email}"),
        email: email.into(),
        country: "UY".into(),
        lang: "es".into(),
        consent: true,
        ..Default::default()
    };
    assert!(r.validate().is_empty());
    r
}

async fn mails(store: &Store, template: &str) -> i64 {
    let mut sql = list::Sql::new(store.backend());
    sql.push("SELECT COUNT(*) AS n FROM job WHERE kind = 'mail' AND payload LIKE ")
        .bind(format!("%\"mail\":\"{template}\"%"));
    store
        .read()
        .query_one_raw(sql.statement())
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap()
}

async fn setup(store: &Store, capacity: Option<u32>) -> Session {
    demo::load(store).await.unwrap();
    let s = session("vc2027-01", capacity);
    events::save(
        store,
        &s,
        &Actor::new("user:coord", None),
        Some(faro_store::changes::NEW_RECORD),
    )
    .await
    .unwrap();
    events::get(store, &s.id).await.unwrap()
}

#[tokio::test]
async fn register_confirm_wait_cancel_promote_erase() {
    for db in testing::all_backends().await {
        let s = &db.store;
        let sess = setup(s, Some(1)).await;
        assert!(
            sess.zoom_url.is_empty(),
            "public reads carry no join details"
        );
        let a = registrations::register(
            s,
            std::slice::from_ref(&sess),
            &person("a@example.org"),
            now(),
        )
        .await
        .unwrap();
        // Registering again is idempotent: one registration, one person.
        let a2 = registrations::register(
            s,
            std::slice::from_ref(&sess),
            &person("A@Example.org".to_lowercase().as_str()),
            now(),
        )
        .await
        .unwrap();
        assert_eq!(a.registrant, a2.registrant, "{}", db.label);
        assert_eq!(registrations::counts(s, &sess.id).await.unwrap().pending, 1);
        assert_eq!(
            mails(s, "confirm").await,
            1,
            "one confirmation per ten minutes"
        );

        let b = registrations::register(
            s,
            std::slice::from_ref(&sess),
            &person("b@example.org"),
            now(),
        )
        .await
        .unwrap();
        assert_eq!(
            registrations::confirm(s, &a.token, now()).await.unwrap(),
            vec![(sess.id.clone(), "confirmed".to_string())]
        );
        assert_eq!(
            registrations::confirm(s, &b.token, now()).await.unwrap(),
            vec![(sess.id.clone(), "waiting".to_string())],
            "{}: full session puts the next on the waiting list",
            db.label
        );
        let c = registrations::counts(s, &sess.id).await.unwrap();
        assert_eq!((c.confirmed, c.waiting), (1, 1));

        registrations::cancel(s, &a.token, &sess.id, now())
            .await
            .unwrap();
        let c = registrations::counts(s, &sess.id).await.unwrap();
        assert_eq!(
            (c.confirmed, c.waiting, c.cancelled),
            (1, 0, 1),
            "{}",
            db.label
        );
        assert_eq!(mails(s, "promoted").await, 1);
        assert_eq!(mails(s, "cancelled").await, 1);

        // Erasure keeps the counts, not the identity.
        registrations::erase(s, &b.token, now()).await.unwrap();
        let c = registrations::counts(s, &sess.id).await.unwrap();
        assert_eq!((c.confirmed, c.cancelled), (0, 2), "{}", db.label);
        let (rows, total) =
            registrations::registrants(s, &sess.id, None, "", list::PageReq::new(1, 50))
                .await
                .unwrap();
        assert_eq!(total, 2);
        assert!(
            rows.iter()
                .all(|r| r.email != "b@example.org" && !r.name.contains("b@"))
        );
        assert!(matches!(
            registrations::person(s, &b.token, now()).await,
            Err(StoreError::NotFound)
        ));
        // A link does not outlive its 30 days.
        assert!(
            registrations::person(s, &a.token, now() + Duration::days(31))
                .await
                .is_err()
        );
    }
}

#[tokio::test]
async fn closed_sessions_refuse_and_pending_expire() {
    for db in testing::all_backends().await {
        let s = &db.store;
        let sess = setup(s, None).await;
        let late = sess.start_utc().unwrap() + Duration::minutes(1);
        assert!(matches!(
            registrations::register(
                s,
                std::slice::from_ref(&sess),
                &person("x@example.org"),
                late
            )
            .await,
            Err(StoreError::Rule("registration_closed"))
        ));
        let held = events::get(s, "vc2020-01").await.unwrap();
        assert!(
            registrations::register(s, &[held], &person("x@example.org"), now())
                .await
                .is_err()
        );
        let r = registrations::register(
            s,
            std::slice::from_ref(&sess),
            &person("x@example.org"),
            now(),
        )
        .await
        .unwrap();
        let out = registrations::confirm(s, &r.token, now() + Duration::hours(49))
            .await
            .unwrap();
        assert_eq!(
            out,
            vec![(sess.id.clone(), "expired".to_string())],
            "{}",
            db.label
        );
    }
}

#[tokio::test]
async fn capacity_holds_under_concurrent_confirmations() {
    for db in testing::all_backends().await {
        let s = &db.store;
        let sess = setup(s, Some(7)).await;
        let mut tokens = Vec::new();
        for i in 0..30 {
            let r = registrations::register(
                s,
                std::slice::from_ref(&sess),
                &person(&format!("p{i}@example.org")),
                now(),
            )
            .await
            .unwrap();
            tokens.push(r.token);
        }
        let mut tasks = Vec::new();
        for t in tokens {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                registrations::confirm(&s, &t, now()).await.unwrap()
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let c = registrations::counts(s, &sess.id).await.unwrap();
        assert_eq!((c.confirmed, c.waiting), (7, 23), "{}", db.label);
    }
}

#[tokio::test]
async fn rescheduling_raises_the_sequence_and_tells_registrants() {
    for db in testing::all_backends().await {
        let s = &db.store;
        let sess = setup(s, None).await;
        let r = registrations::register(
            s,
            std::slice::from_ref(&sess),
            &person("r@example.org"),
            now(),
        )
        .await
        .unwrap();
        registrations::confirm(s, &r.token, now()).await.unwrap();
        let with = events::get_with_join_details(s, &sess.id).await.unwrap();
        assert_eq!(with.zoom_passcode, "secret-pass");
        let mut moved = with.clone();
        moved.start_time = "11:30".into();
        let v = events::version(s, &sess.id).await.unwrap();
        events::save(s, &moved, &Actor::new("user:coord", None), v.as_deref())
            .await
            .unwrap();
        let after = events::get(s, &sess.id).await.unwrap();
        assert_eq!(after.sequence, sess.sequence + 1, "{}", db.label);
        assert_eq!(mails(s, "rescheduled").await, 1);
        // The history shows that the passcode exists, never what it is.
        let hist = faro_store::changes::history(s, events::RECORD_TYPE, &sess.id)
            .await
            .unwrap();
        assert!(hist.iter().all(|h| {
            !h.new_value
                .clone()
                .unwrap_or_default()
                .contains("secret-pass")
        }));
        // Reminders exist for both sequences; the old one is dropped at run time.
        let start = after.start_utc().unwrap();
        let due = start - Duration::minutes(59);
        assert_eq!(
            registrations::fan_out_reminder(s, &sess.id, "1h", sess.sequence, due)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            registrations::fan_out_reminder(s, &sess.id, "1h", after.sequence, due)
                .await
                .unwrap(),
            1
        );
        // Fanning out twice queues the e-mail once.
        registrations::fan_out_reminder(s, &sess.id, "1h", after.sequence, due)
            .await
            .unwrap();
        assert_eq!(mails(s, "reminder").await, 1, "{}", db.label);
    }
}

#[tokio::test]
async fn each_job_is_claimed_once_by_concurrent_workers_and_leases_expire() {
    for db in testing::all_backends().await {
        let s = &db.store;
        let sess = setup(s, None).await;
        for i in 0..20 {
            registrations::register(
                s,
                std::slice::from_ref(&sess),
                &person(&format!("w{i}@example.org")),
                now(),
            )
            .await
            .unwrap();
        }
        let t = now() + Duration::minutes(1);
        let mut tasks = Vec::new();
        for w in 0..4 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                let worker = format!("w{w}");
                while let Some(j) = jobs::claim(&s, &worker, t, Duration::minutes(5))
                    .await
                    .unwrap()
                {
                    if j.kind == "mail" {
                        assert!(
                            jobs::complete(&s, j.id, &worker, t, "sent", true)
                                .await
                                .unwrap()
                        );
                    } else {
                        jobs::fail(&s, &j, &worker, t, "not this test's job")
                            .await
                            .unwrap();
                    }
                    got.push(j.id);
                }
                got
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        let mut uniq = all.clone();
        uniq.sort();
        uniq.dedup();
        assert_eq!(uniq.len(), all.len(), "{}: a job claimed twice", db.label);
        assert_eq!(uniq.len(), 20, "{}: every confirmation claimed", db.label);
        // A done job keeps no one-time link.
        assert_eq!(mails(s, "confirm").await, 0);
        // A lease that ends lets another worker take the job.
        let r = registrations::register(
            s,
            std::slice::from_ref(&sess),
            &person("late@example.org"),
            t,
        )
        .await
        .unwrap();
        assert!(!r.token.is_empty());
        let j = jobs::claim(s, "dies", t, Duration::minutes(5))
            .await
            .unwrap()
            .unwrap();
        assert!(
            jobs::claim(s, "other", t, Duration::minutes(5))
                .await
                .unwrap()
                .is_none()
        );
        let again = jobs::claim(s, "other", t + Duration::minutes(6), Duration::minutes(5))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(again.id, j.id);
        assert!(
            !jobs::complete(s, j.id, "dies", t, "late", false)
                .await
                .unwrap()
        );
        assert!(
            jobs::complete(s, j.id, "other", t, "sent", true)
                .await
                .unwrap()
        );
    }
}

#[tokio::test]
async fn retention_purge_erases_past_registrants_and_keeps_every_count() {
    for db in testing::all_backends().await {
        let s = &db.store;
        let past = setup(s, Some(2)).await;
        let mut later = session("vc2027-02", None);
        later.number = 21;
        later.date = "2027-09-01".into();
        events::save(
            s,
            &later,
            &Actor::new("user:coord", None),
            Some(faro_store::changes::NEW_RECORD),
        )
        .await
        .unwrap();
        let a = registrations::register(
            s,
            std::slice::from_ref(&past),
            &person("a@example.org"),
            now(),
        )
        .await
        .unwrap();
        registrations::confirm(s, &a.token, now()).await.unwrap();
        let b = registrations::register(
            s,
            &[past.clone(), later.clone()],
            &person("b@example.org"),
            now(),
        )
        .await
        .unwrap();
        registrations::confirm(s, &b.token, now()).await.unwrap();
        let before = registrations::counts(s, &past.id).await.unwrap();
        assert_eq!(before.confirmed, 2, "{}", db.label);
        // Sixty days after the first session: only `a` has no later session.
        let day = chrono::NaiveDate::from_ymd_opt(2027, 5, 25).unwrap();
        let at = Utc.with_ymd_and_hms(2027, 5, 25, 0, 0, 0).unwrap();
        let cut = day - chrono::Days::new(30);
        assert_eq!(
            registrations::purge(s, cut, at).await.unwrap(),
            1,
            "{}",
            db.label
        );
        assert!(
            matches!(
                registrations::person(s, &a.token, at).await,
                Err(StoreError::NotFound)
            ),
            "{}: the erased person's link opens nothing",
            db.label
        );
        // `b` has a later session: kept (the link itself expired after 30 days).
        let mut sql = list::Sql::new(s.backend());
        sql.push("SELECT COUNT(*) AS n FROM registrant WHERE email = 'b@example.org' AND erased_at IS NULL");
        let kept: i64 = s
            .read()
            .query_one_raw(sql.statement())
            .await
            .unwrap()
            .unwrap()
            .try_get("", "n")
            .unwrap();
        assert_eq!(kept, 1, "{}", db.label);
        assert_eq!(
            registrations::counts(s, &past.id).await.unwrap(),
            before,
            "{}: erasure keeps the counts",
            db.label
        );
        let mut sql = list::Sql::new(s.backend());
        sql.push("SELECT COUNT(*) AS n FROM registrant WHERE email = 'a@example.org' OR name LIKE '%a@example.org%'");
        let n: i64 = s
            .read()
            .query_one_raw(sql.statement())
            .await
            .unwrap()
            .unwrap()
            .try_get("", "n")
            .unwrap();
        assert_eq!(n, 0, "{}: no trace of the person", db.label);
        // Purging again erases no one more.
        assert_eq!(registrations::purge(s, cut, at).await.unwrap(), 0);
    }
}
