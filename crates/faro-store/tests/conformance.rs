//! One storage story, run on SQLite always and on PostgreSQL when
//! `FARO_TEST_DATABASE_URL` is set.

use faro_domain::InstitutionKind;
use faro_store::changes::{self, Actor};
use faro_store::institutions::{self, Filter};
use faro_store::{demo, dump, testing};

#[tokio::test]
async fn demo_load_is_idempotent_and_queries_agree() {
    for db in testing::all_backends().await {
        let s = &db.store;
        let first = demo::load_if_first_start(s)
            .await
            .unwrap()
            .expect("first start loads");
        assert_eq!(first.created, 81, "{}", db.label);
        assert!(
            demo::load_if_first_start(s).await.unwrap().is_none(),
            "{}",
            db.label
        );
        let again = demo::load(s).await.unwrap();
        assert_eq!(
            (again.created, again.updated, again.unchanged),
            (0, 0, 81),
            "{}",
            db.label
        );

        let sum = institutions::summary(s).await.unwrap();
        assert_eq!(sum.members, 78, "{}", db.label);
        assert_eq!(sum.presenters, 21, "{}", db.label);
        assert_eq!(sum.organisations, 81, "{}", db.label);

        // Filters and facets.
        let f = Filter {
            country: Some("BR".into()),
            ..Default::default()
        };
        let (items, total) = institutions::list(s, &f, 1, 50).await.unwrap();
        assert_eq!(total as usize, items.len());
        assert!(items.iter().all(|i| i.country.as_deref() == Some("BR")));
        assert!(items.iter().any(|i| i.id == "senai"), "{}", db.label);
        let facets = institutions::facets(s, &f).await.unwrap();
        let br = facets
            .country
            .iter()
            .find(|v| v.value.as_deref() == Some("BR"))
            .unwrap();
        assert_eq!(br.count, total, "{}", db.label);
        // The kind facet is computed within Brazil; the country facet ignores its own filter.
        let kind_sum: u64 = facets.kind.iter().map(|v| v.count).sum();
        assert_eq!(kind_sum, total);
        let country_sum: u64 = facets.country.iter().map(|v| v.count).sum();
        assert_eq!(country_sum, 81);

        let f = Filter {
            q: Some("senA".into()),
            ..Default::default()
        };
        let (items, _) = institutions::list(s, &f, 1, 100).await.unwrap();
        assert!(items.iter().any(|i| i.id == "sena"), "{}", db.label);
        let f = Filter {
            q: Some("100%_".into()),
            ..Default::default()
        };
        assert_eq!(institutions::list(s, &f, 1, 10).await.unwrap().1, 0);

        let f = Filter {
            kind: Some(InstitutionKind::InternationalBody),
            country: Some("none".into()),
            ..Default::default()
        };
        let (items, _) = institutions::list(s, &f, 1, 100).await.unwrap();
        assert!(items.iter().any(|i| i.id == "unesco"));

        // Sorted case-insensitively by acronym, paginated.
        let (p1, total) = institutions::list(s, &Filter::default(), 1, 10)
            .await
            .unwrap();
        let (p2, _) = institutions::list(s, &Filter::default(), 2, 10)
            .await
            .unwrap();
        assert_eq!(total, 81);
        assert_eq!(p1.len(), 10);
        assert_ne!(p1[9].id, p2[0].id);
        let keys: Vec<String> = p1.iter().map(|i| i.acronym.to_lowercase()).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{}", db.label);
    }
}

#[tokio::test]
async fn updates_record_history_and_nothing_else() {
    for db in testing::all_backends().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let mut sena = institutions::get(s, "sena").await.unwrap();
        sena.website = Some("https://www.sena.edu.co".into());
        let actor = Actor::new("tester", Some("add website".into()));
        let r = institutions::upsert_all(s, &[sena.clone()], &actor)
            .await
            .unwrap();
        assert_eq!(r.updated, 1);
        let h = changes::history(s, institutions::RECORD_TYPE, "sena")
            .await
            .unwrap();
        let last = h.last().unwrap();
        assert_eq!(last.field, "website");
        assert_eq!(last.old_value, None);
        assert_eq!(last.new_value.as_deref(), Some("https://www.sena.edu.co"));
        assert_eq!(last.actor, "tester");
        assert_eq!(last.action, "updated");
        // The creation is in the history too.
        assert!(
            h.iter()
                .any(|c| c.action == "created" && c.field == "acronym")
        );

        // An invalid record is refused before anything is written.
        let mut bad = sena.clone();
        bad.country = Some("ZZ".into());
        assert!(
            institutions::upsert_all(s, &[sena, bad], &actor)
                .await
                .is_err()
        );
        assert!(institutions::get(s, "zz").await.is_err());
        let after = changes::history(s, institutions::RECORD_TYPE, "sena")
            .await
            .unwrap();
        assert_eq!(after.len(), h.len(), "{}", db.label);
    }
}

async fn fingerprint(
    s: &faro_store::Store,
) -> (
    Vec<faro_domain::Institution>,
    Vec<(String, String, Option<String>, Option<String>)>,
) {
    let inst = institutions::all(s).await.unwrap();
    let mut hist = Vec::new();
    for i in &inst {
        for c in changes::history(s, institutions::RECORD_TYPE, &i.id)
            .await
            .unwrap()
        {
            hist.push((c.record_id, c.field, c.old_value, c.new_value));
        }
    }
    (inst, hist)
}

#[tokio::test]
async fn whole_site_round_trips_between_backends() {
    let Some(pg) = testing::postgres().await else {
        // Without PostgreSQL, still prove SQLite -> SQLite.
        let a = testing::sqlite().await;
        let b = testing::sqlite().await;
        demo::load(&a.store).await.unwrap();
        let dir = std::env::temp_dir().join(format!("faro-dump-{}", std::process::id()));
        dump::export_all(&a.store, &dir).await.unwrap();
        dump::import_all(&b.store, &dir).await.unwrap();
        assert_eq!(fingerprint(&a.store).await, fingerprint(&b.store).await);
        let _ = std::fs::remove_dir_all(&dir);
        return;
    };
    let lite = testing::sqlite().await;
    demo::load(&lite.store).await.unwrap();
    let mut sena = institutions::get(&lite.store, "sena").await.unwrap();
    sena.note = Some("Quotes \" and commas, and ñ, ç, ã — kept".into());
    institutions::upsert_all(&lite.store, &[sena], &Actor::new("t", None))
        .await
        .unwrap();
    // Courses with their runs travel too (one deleted).
    let courses = testing::synth_courses(
        20,
        &["sena".into(), "senai".into()],
        chrono::NaiveDate::from_ymd_opt(2021, 6, 1).unwrap(),
        3,
    );
    faro_store::courses::upsert_all(&lite.store, &courses, &Actor::new("t", None))
        .await
        .unwrap();
    faro_store::courses::set_deleted(&lite.store, &courses[0].id, true, &Actor::new("t", None))
        .await
        .unwrap();
    // Accounts travel too: a user with a scope and an API token.
    let hash = faro_store::accounts::hash_password("round trip password".into())
        .await
        .unwrap();
    let u = faro_store::accounts::create_user(
        &lite.store,
        "ed@sena.test",
        faro_domain::accounts::Role::Editor,
        &["sena".into()],
        Some(hash),
        &Actor::new("t", None),
    )
    .await
    .unwrap();
    let (_, secret) = faro_store::accounts::create_token(&lite.store, u.id, "rt")
        .await
        .unwrap();
    let tmp = std::env::temp_dir().join(format!("faro-rt-{}", std::process::id()));
    let d1 = tmp.join("from-sqlite");
    let m1 = dump::export_all(&lite.store, &d1).await.unwrap();
    dump::import_all(&pg.store, &d1).await.unwrap();
    assert_eq!(fingerprint(&lite.store).await, fingerprint(&pg.store).await);
    let day = chrono::NaiveDate::from_ymd_opt(2021, 6, 1).unwrap();
    let finder = |s: faro_store::Store| async move {
        let l = faro_store::courses::list(
            &s,
            &[],
            faro_store::list::PageReq::new(1, 100),
            day,
            faro_store::courses::Sort::Start,
        )
        .await
        .unwrap();
        let items: Vec<_> = l.items.into_iter().map(|c| c.course).collect();
        (l.total, l.facets, items)
    };
    assert_eq!(
        finder(lite.store.clone()).await,
        finder(pg.store.clone()).await
    );
    assert!(matches!(
        faro_store::courses::get(&pg.store, &courses[0].id).await,
        Err(faro_store::StoreError::NotFound)
    ));
    // A second import into a non-empty database is refused, nothing changes.
    assert!(dump::import_all(&pg.store, &d1).await.is_err());
    let p = faro_store::accounts::token_principal(&pg.store, &secret)
        .await
        .unwrap()
        .expect("token works after the move");
    assert_eq!(p.institutions, vec!["sena".to_string()]);
    // New users get fresh ids after the import (sequences moved past the max).
    let u2 = faro_store::accounts::create_user(
        &pg.store,
        "second@sena.test",
        faro_domain::accounts::Role::Coordinator,
        &[],
        None,
        &Actor::new("t", None),
    )
    .await
    .unwrap();
    assert!(u2.id > u.id);

    // PostgreSQL keeps writing after the import (sequence is past the max id).
    let mut ina = institutions::get(&pg.store, "ina").await.unwrap();
    ina.website = Some("https://www.ina.ac.cr".into());
    institutions::upsert_all(&pg.store, &[ina], &Actor::new("t", None))
        .await
        .unwrap();

    // And back: PostgreSQL -> fresh SQLite, identical.
    let d2 = tmp.join("from-postgres");
    let m2 = dump::export_all(&pg.store, &d2).await.unwrap();
    assert!(
        m2.tables
            .iter()
            .find(|t| t.name == "change_log")
            .unwrap()
            .rows
            > m1.tables
                .iter()
                .find(|t| t.name == "change_log")
                .unwrap()
                .rows,
        "the edits after the move are in the history"
    );
    let back = testing::sqlite().await;
    dump::import_all(&back.store, &d2).await.unwrap();
    assert_eq!(fingerprint(&pg.store).await, fingerprint(&back.store).await);
    // Byte-identical dumps from both sides.
    let d3 = tmp.join("again");
    dump::export_all(&back.store, &d3).await.unwrap();
    for f in [
        "institution.jsonl",
        "measure.jsonl",
        "change_log.jsonl",
        "faro_meta.jsonl",
        "app_user.jsonl",
        "user_institution.jsonl",
        "api_token.jsonl",
        "course.jsonl",
        "manifest.json",
    ] {
        assert_eq!(
            std::fs::read(d2.join(f)).unwrap(),
            std::fs::read(d3.join(f)).unwrap(),
            "{f}"
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

#[tokio::test]
async fn a_closed_or_unreachable_database_is_unavailable_other_errors_are_not() {
    use faro_store::StoreError;
    for db in testing::all_backends().await {
        db.store.ping().await.unwrap();
        db.store.clone().close().await;
        let e = db.store.ping().await.unwrap_err();
        assert!(e.is_unavailable(), "{}: {e:?}", db.label);
    }
    assert!(!StoreError::NotFound.is_unavailable());
    assert!(!StoreError::Conflict.is_unavailable());
    assert!(!StoreError::Invalid("x".into()).is_unavailable());
    assert!(!StoreError::Db(faro_store::DbErr::Custom("bad".into())).is_unavailable());
    // Nothing listens on port 1: the connection is refused.
    let e = faro_store::Store::connect("postgres://postgres@127.0.0.1:1/none")
        .await
        .map(|_| ())
        .unwrap_err();
    assert!(e.is_unavailable(), "{e:?}");
}
