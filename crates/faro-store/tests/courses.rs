//! The course finder's store: writes with history, references, conflicts,
//! and the finder's facets in SQL — availability moved with a test clock
//! and checked against the domain's rules — on SQLite always and on
//! PostgreSQL when `FARO_TEST_DATABASE_URL` is set.

use chrono::NaiveDate;
use faro_domain::courses::Course;
use faro_store::changes::{Actor, NEW_RECORD};
use faro_store::courses::{self, Sort};
use faro_store::{StoreError, demo, list, testing};
use std::collections::BTreeMap;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn providers() -> Vec<String> {
    ["sena", "senai", "ina", "senati", "cinterfor"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn counts(facets: &list::FacetCounts, name: &str) -> BTreeMap<String, u64> {
    facets
        .get(name)
        .map(|v| v.iter().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn demo_courses_are_the_two_the_report_announces() {
    for db in testing::all_backends().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let l = courses::list(
            s,
            &[],
            list::PageReq::new(1, 50),
            day("2020-07-01"),
            Sort::Newest,
        )
        .await
        .unwrap();
        assert_eq!(l.total, 2, "{}", db.label);
        let mut ids: Vec<&str> = l.items.iter().map(|c| c.course.id.as_str()).collect();
        ids.sort();
        assert_eq!(
            ids,
            vec![
                "c-cinterfor-project-based-training-teachers",
                "c-cinterfor-quality-apprenticeship"
            ]
        );
        assert!(l.items.iter().all(|c| c.course.runs.is_empty()));
        assert!(counts(&l.facets, "availability").is_empty());
        assert_eq!(counts(&l.facets, "provider").get("cinterfor"), Some(&2));
        let (mine, total) = courses::for_institution(s, "cinterfor", 10).await.unwrap();
        assert_eq!((mine.len(), total), (2, 2));
        // Loading again changes nothing and writes no history.
        let before = faro_store::changes::history(s, "course", ids[0])
            .await
            .unwrap();
        demo::load(s).await.unwrap();
        let after = faro_store::changes::history(s, "course", ids[0])
            .await
            .unwrap();
        assert_eq!(before.len(), after.len(), "{}", db.label);
    }
}

#[tokio::test]
async fn availability_follows_the_clock_and_the_domain_rules() {
    for db in testing::all_backends().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let around = day("2021-06-01");
        let items = testing::synth_courses(300, &providers(), around, 7);
        let actor = Actor::new("test", None);
        let r = courses::upsert_all(s, &items, &actor).await.unwrap();
        assert_eq!(r.created, 300);
        let all_items: Vec<Course> = {
            let mut v = items.clone();
            for c in courses::walk(s, None, 10).await.unwrap() {
                if !c.course.id.starts_with("c-synth") {
                    v.push(c.course);
                }
            }
            v
        };
        let mut seen_change = false;
        let mut previous: Option<BTreeMap<String, u64>> = None;
        for today in [
            "2019-01-01",
            "2020-03-15",
            "2021-06-01",
            "2021-06-20",
            "2022-12-31",
        ] {
            let today = day(today);
            let l = courses::list(s, &[], list::PageReq::new(1, 10), today, Sort::Newest)
                .await
                .unwrap();
            let sql = counts(&l.facets, "availability");
            let mut expected: BTreeMap<String, u64> = BTreeMap::new();
            for c in &all_items {
                for a in c.availability(today) {
                    *expected.entry(a.to_string()).or_default() += 1;
                }
            }
            assert_eq!(sql, expected, "{} at {today}", db.label);
            if previous.as_ref().is_some_and(|p| p != &sql) {
                seen_change = true;
            }
            previous = Some(sql.clone());
            // Filtering by a value gives as many as its count, and exactly
            // the courses the domain says.
            for (value, n) in &sql {
                let wanted = vec![("availability".to_string(), value.clone())];
                let f = courses::list(s, &wanted, list::PageReq::new(1, 500), today, Sort::Start)
                    .await
                    .unwrap();
                assert_eq!(f.total, *n, "{} {value} at {today}", db.label);
                for c in &f.items {
                    assert!(c.course.availability(today).contains(&value.as_str()));
                }
                // By next start: non-decreasing, courses without one last.
                let next: Vec<String> = f
                    .items
                    .iter()
                    .map(|c| {
                        c.course
                            .runs
                            .iter()
                            .filter(|r| r.run_start.as_str() >= today.to_string().as_str())
                            .map(|r| r.run_start.clone())
                            .min()
                            .unwrap_or_else(|| "9999-12-31".into())
                    })
                    .collect();
                assert!(next.windows(2).all(|w| w[0] <= w[1]), "{value}: {next:?}");
            }
        }
        assert!(seen_change, "the clock moved no count");
        // Facets combine: counts under a filter equal the filtered totals.
        let today = around;
        let wanted = vec![
            ("availability".to_string(), "open_now".to_string()),
            ("cost".to_string(), "free".to_string()),
        ];
        let l = courses::list(s, &wanted, list::PageReq::new(1, 5), today, Sort::Newest)
            .await
            .unwrap();
        let expected = all_items
            .iter()
            .filter(|c| {
                c.availability(today).contains(&"open_now")
                    && c.runs.iter().any(|r| r.cost == "free")
            })
            .count() as u64;
        assert_eq!(l.total, expected, "{}", db.label);
        for (band, n) in counts(&l.facets, "workload") {
            let w = [wanted.clone(), vec![("workload".to_string(), band.clone())]].concat();
            let got = courses::list(s, &w, list::PageReq::new(1, 1), today, Sort::Newest)
                .await
                .unwrap();
            assert_eq!(got.total, n, "{band}");
        }
        // Country comes from the providers: SENA is in Colombia.
        let co = vec![("country".to_string(), "CO".to_string())];
        let l = courses::list(s, &co, list::PageReq::new(1, 500), today, Sort::Newest)
            .await
            .unwrap();
        assert!(l.total > 0 && l.items.iter().all(|c| c.course.providers == ["sena"]));
    }
}

#[tokio::test]
async fn writes_are_all_or_nothing_with_history_and_versions() {
    for db in testing::all_backends().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let actor = Actor::new("test", Some("why".into()));
        let mut items = testing::synth_courses(3, &providers(), day("2021-06-01"), 1);
        // An unknown provider refuses the whole batch.
        items[2].providers = vec!["no-such-vti".into()];
        let err = courses::upsert_all(s, &items, &actor).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Reference { field: "provider", target, .. } if target == "no-such-vti"),
            "{}: {err:?}",
            db.label
        );
        assert!(matches!(
            courses::get(s, &items[0].id).await,
            Err(StoreError::NotFound)
        ));
        // Invalid input refuses the batch with every problem.
        let mut bad = items[0].clone();
        bad.url = "javascript:alert(1)".into();
        bad.languages = vec!["zz".into()];
        let err = courses::upsert_all(s, &[bad], &actor).await.unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("url must be an http") && msg.contains("languages is not a BCP 47"),
            "{msg}"
        );

        items[2].providers = vec!["ina".into()];
        let r = courses::upsert_all(s, &items, &actor).await.unwrap();
        assert_eq!(r.created, 3);
        let r = courses::upsert_all(s, &items, &actor).await.unwrap();
        assert_eq!((r.created, r.updated, r.unchanged), (0, 0, 3));
        let stored = courses::get(s, &items[0].id).await.unwrap();
        assert_eq!(stored.course, items[0], "{}", db.label);

        // An edit over a stale version is a conflict; over the current one it saves.
        let mut edit = items[0].clone();
        edit.title_en = "Changed".into();
        edit.original_language = "en".into();
        let err = courses::save(s, &edit, &actor, Some("2000-01-01T00:00:00+00:00"))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict));
        let err = courses::save(s, &edit, &actor, Some(NEW_RECORD))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict));
        let v = stored.updated_at.to_rfc3339();
        courses::save(s, &edit, &actor, Some(&v)).await.unwrap();
        let h = faro_store::changes::history(s, "course", &edit.id)
            .await
            .unwrap();
        let fields: Vec<&str> = h
            .iter()
            .filter(|c| c.action == "updated")
            .map(|c| c.field.as_str())
            .collect();
        assert!(fields.contains(&"title_en"), "{fields:?}");
        assert!(h.iter().any(|c| c.action == "created" && c.field == "runs"));

        // Deleted courses leave the finder and its counts; restore brings them back.
        let today = day("2021-06-01");
        let before = courses::list(s, &[], list::PageReq::new(1, 1), today, Sort::Newest)
            .await
            .unwrap();
        courses::set_deleted(s, &edit.id, true, &actor)
            .await
            .unwrap();
        let after = courses::list(s, &[], list::PageReq::new(1, 1), today, Sort::Newest)
            .await
            .unwrap();
        assert_eq!(after.total + 1, before.total);
        let prov = |l: &courses::Listed| counts(&l.facets, "provider").values().sum::<u64>();
        assert_eq!(prov(&after) + 1, prov(&before));
        courses::set_deleted(s, &edit.id, false, &actor)
            .await
            .unwrap();
        let back = courses::list(s, &[], list::PageReq::new(1, 1), today, Sort::Newest)
            .await
            .unwrap();
        assert_eq!(back.total, before.total);
    }
}

/// The finder counts every facet in one statement; it must give what one
/// statement per facet gives (each facet without its own filter), and its
/// availability must follow the domain's rules on every day of a long
/// stretch (window slots and the runs' fallback both exercised).
#[tokio::test]
async fn one_pass_counts_equal_per_facet_counts_and_the_domain() {
    for db in testing::all_backends().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let around = day("2021-06-01");
        let items = testing::synth_courses(400, &providers(), around, 3);
        courses::upsert_all(s, &items, &Actor::new("test", None))
            .await
            .unwrap();
        assert!(
            items
                .iter()
                .any(|c| c.availability_dates().soon.more && c.availability_dates().open.more),
            "the generator gives courses with more windows than slots"
        );
        let w = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let filters = [
            w(&[]),
            w(&[("availability", "open_now")]),
            w(&[
                ("availability", "starting_soon"),
                ("cost", "free"),
                ("modality", "online"),
            ]),
            w(&[
                ("availability", "archived"),
                ("availability", "self_paced"),
                ("level", "unstated"),
            ]),
            w(&[("language", "es"), ("provider", "sena"), ("country", "BR")]),
            w(&[
                ("workload", "lt10"),
                ("light", "mobile"),
                ("certificate", "official"),
            ]),
        ];
        for today in ["2019-05-01", "2021-06-01", "2021-08-15"] {
            let today = day(today);
            for wanted in &filters {
                let mut per_facet = courses::opts(today, Sort::Newest);
                per_facet.one_pass = false;
                let one = courses::opts(today, Sort::Newest);
                let a = list::run_with(
                    s,
                    &courses::AREA,
                    wanted,
                    list::PageReq::new(1, 5),
                    &per_facet,
                )
                .await
                .unwrap();
                let b = list::run_with(s, &courses::AREA, wanted, list::PageReq::new(1, 5), &one)
                    .await
                    .unwrap();
                assert_eq!(a.total, b.total, "{} {wanted:?} at {today}", db.label);
                assert_eq!(a.facets, b.facets, "{} {wanted:?} at {today}", db.label);
                assert_eq!(a.ids, b.ids, "{} {wanted:?} at {today}", db.label);
            }
        }
        // Every 9th day over two and a half years: SQL availability counts
        // equal the domain's.
        let mut today = day("2019-06-01");
        while today < day("2022-12-01") {
            let l = courses::list(s, &[], list::PageReq::new(1, 1), today, Sort::Newest)
                .await
                .unwrap();
            let mut expected: BTreeMap<String, u64> = BTreeMap::new();
            for c in &items {
                for a in c.availability(today) {
                    *expected.entry(a.to_string()).or_default() += 1;
                }
            }
            assert_eq!(
                counts(&l.facets, "availability"),
                expected,
                "{} at {today}",
                db.label
            );
            today += chrono::Duration::days(9);
        }
    }
}
