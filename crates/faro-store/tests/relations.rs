//! Relations as tables (migration 13), the write path's conflict and
//! reference cases on every area, and lists in SQL — on SQLite always and
//! on PostgreSQL when `FARO_TEST_DATABASE_URL` is set.

use faro_store::changes::Actor;
use faro_store::{StoreError, demo, dump, institutions, knowledge, list, observatory, testing};
use sea_orm::ConnectionTrait;

/// Rows written as Faro wrote them before migration 13: multi-values as
/// `;`-joined columns.
const OLD_ROWS: &[&str] = &[
    "INSERT INTO institution (id, acronym, name_es, name_en, name_pt, country, kind, member, presenter, created_at, updated_at) VALUES \
     ('sena', 'SENA', 'Servicio Nacional de Aprendizaje', '', '', 'CO', 'vti', TRUE, TRUE, '2020-05-01T10:00:00+00:00', '2020-05-01T10:00:00+00:00'), \
     ('senai', 'SENAI', '', '', 'Serviço Nacional de Aprendizagem Industrial', 'BR', 'vti', TRUE, TRUE, '2020-05-01T10:00:00+00:00', '2020-05-01T10:00:00+00:00')",
    "INSERT INTO event_session (id, series, number, date, title_es, title_en, title_pt, original_language, channels, notes, created_at, updated_at) VALUES \
     ('vc2020-01', 'vc2020', 1, '2020-03-26', '', 'Session one', '', 'en', 'zoom;facebook_live', '', '2020-05-01T10:00:00+00:00', '2020-05-01T10:00:00+00:00')",
    "INSERT INTO measure (id, institution, country, crisis, categories, log_type, announced_date, start_date, end_date, target_groups, scope_level, scope_targeting, original_language, title_es, title_en, title_pt, description_es, description_en, description_pt, source_url, source_type, source_title, source_accessed, status, notes, entered_by, reviewed_by, last_reviewed, created_at, updated_at) VALUES \
     ('m-one', 'sena', 'CO', 'covid-19', 'E1;C1;E1', 'introduced', '', '2020-04-02', '', 'learners;teachers', '', '', 'es', 'Uno', '', '', '', '', '', 'https://example.org/', 'this_report', '', '', 'verified', '', 'import', '', '', '2020-05-01T10:00:00+00:00', '2020-05-01T10:00:00+00:00'), \
     ('m-two', 'senai', NULL, 'covid-19', '', 'introduced', '', '', '', '', '', '', 'pt', '', '', 'Dois', '', '', '', 'https://example.org/', 'this_report', '', '', 'submitted', '', 'import', '', '', '2020-05-01T10:00:00+00:00', '2020-05-01T10:00:00+00:00')",
    "INSERT INTO resource (id, resource_type, institutions, countries, languages, topics, audience, license, published, url, title_es, title_en, title_pt, description_es, description_en, description_pt, original_language, notes, identifiers, related_measures, related_sessions, created_at, updated_at) VALUES \
     ('r-one', 'guide', 'senai;sena', 'BR;CO', 'pt;es', 'E1;C1', 'teachers', 'CC-BY-4.0', '2020-06', 'https://example.org/r', '', 'Guide', '', '', '', '', 'en', '', 'doi:10.1234/abc;hdl:123/456', 'm-one', 'vc2020-01', '2020-05-01T10:00:00+00:00', '2020-05-02T10:00:00+00:00'), \
     ('r-two', 'protocol', '', '', '', '', '', '', '', 'https://example.org/s', 'Protocolo', '', '', '', '', '', 'es', '', '', '', '', '2020-05-01T10:00:00+00:00', '2020-05-01T10:00:00+00:00')",
];

fn v(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn migration_moves_every_joined_value_into_relation_tables() {
    for db in testing::all_backends_at(12).await {
        let s = &db.store;
        for sql in OLD_ROWS {
            s.write()
                .execute_unprepared(sql)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", db.label));
        }
        s.migrate().await.expect("migration 13");

        let m = observatory::get_any(s, "m-one").await.unwrap().unwrap();
        // Order kept; a repeated value kept once.
        assert_eq!(m.categories, v(&["E1", "C1"]), "{}", db.label);
        assert_eq!(
            m.target_groups,
            v(&["learners", "teachers"]),
            "{}",
            db.label
        );
        let two = observatory::get_any(s, "m-two").await.unwrap().unwrap();
        assert!(two.categories.is_empty() && two.target_groups.is_empty());

        let r = knowledge::get(s, "r-one").await.unwrap().resource;
        assert_eq!(r.institutions, v(&["senai", "sena"]), "{}", db.label);
        assert_eq!(r.countries, v(&["BR", "CO"]));
        assert_eq!(r.languages, v(&["pt", "es"]));
        assert_eq!(r.topics, v(&["E1", "C1"]));
        assert_eq!(r.audience, v(&["teachers"]));
        assert_eq!(r.identifiers, v(&["doi:10.1234/abc", "hdl:123/456"]));
        assert_eq!(r.related_measures, v(&["m-one"]));
        assert_eq!(r.related_sessions, v(&["vc2020-01"]));
        assert!(
            knowledge::get(s, "r-two")
                .await
                .unwrap()
                .resource
                .institutions
                .is_empty()
        );

        // The format edge still speaks `;`: the CSV export and the dump.
        let mut csv = Vec::new();
        faro_formats::resources_csv::write(&mut csv, std::slice::from_ref(&r)).unwrap();
        let text = String::from_utf8(csv).unwrap();
        assert!(text.contains("senai;sena"), "{text}");
        assert!(text.contains("doi:10.1234/abc;hdl:123/456"), "{text}");
        let dir = tempfile::tempdir().unwrap();
        dump::export_all(s, dir.path()).await.unwrap();
        let rows = std::fs::read_to_string(dir.path().join("resource.jsonl")).unwrap();
        let first: serde_json::Value = serde_json::from_str(rows.lines().next().unwrap()).unwrap();
        assert_eq!(first["institutions"], "senai;sena");
        assert_eq!(first["related_sessions"], "vc2020-01");
        assert!(
            first.get("year").is_none(),
            "derived columns stay out of dumps"
        );
        let measures = std::fs::read_to_string(dir.path().join("measure.jsonl")).unwrap();
        assert!(measures.contains("\"categories\":\"E1;C1\""), "{measures}");

        // The dump loads back into a fresh database with the same relations.
        let fresh = testing::sqlite().await;
        dump::import_all(&fresh.store, dir.path()).await.unwrap();
        let back = knowledge::get(&fresh.store, "r-one")
            .await
            .unwrap()
            .resource;
        assert_eq!(back, r, "{}", db.label);

        // Facets now come from the tables, years from the new columns.
        let listed = knowledge::list(
            s,
            &[
                ("topic".into(), "C1".into()),
                ("year".into(), "2020".into()),
            ],
            list::PageReq::new(1, 10),
        )
        .await
        .unwrap();
        assert_eq!(listed.total, 1, "{}", db.label);
        assert_eq!(listed.items[0].resource.id, "r-one");
        let inst = &listed.facets["institution"];
        assert!(inst.contains(&("sena".into(), 1)) && inst.contains(&("senai".into(), 1)));
        let (rel, n) = knowledge::related(s, "session", "vc2020-01", 10)
            .await
            .unwrap();
        assert_eq!((rel.len(), n), (1, 1));
    }
}

/// Loads the demonstration data and returns a resource and measure to edit.
async fn demo_store(db: &testing::TestDb) {
    demo::load(&db.store).await.expect("demo");
}

fn actor() -> Actor {
    Actor::new("test", Some("table-driven write-path test".into()))
}

type Fut<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
type SaveFn =
    for<'a> fn(&'a faro_store::Store, Option<&'a str>, &'a str) -> Fut<'a, Result<(), StoreError>>;
type VersionFn = for<'a> fn(&'a faro_store::Store) -> Fut<'a, Option<String>>;
type ReferenceFn = for<'a> fn(&'a faro_store::Store, &'a str) -> Fut<'a, Result<(), StoreError>>;

/// One area's write path, as the table-driven test drives it.
struct Area {
    name: &'static str,
    /// Saves the record with a one-field change, based on `expected`.
    save: SaveFn,
    /// The version (`updated_at`) now.
    version: VersionFn,
    /// Saves the record naming `target` in one of its references; `None`
    /// for areas without references.
    reference: Option<ReferenceFn>,
}

const INSTITUTION: &str = "sena";
const MEASURE: &str = "m-sena-medical-material";
const RESOURCE: &str = "r-cinterfor-member-survey";
const SESSION: &str = "vc2020-04";

fn areas() -> Vec<Area> {
    vec![
        Area {
            name: "institution",
            save: |s, expected, note| {
                Box::pin(async move {
                    let mut i = institutions::get(s, INSTITUTION).await?;
                    i.note = Some(note.to_string());
                    institutions::update(s, &i, &actor(), expected)
                        .await
                        .map(|_| ())
                })
            },
            version: |s| {
                Box::pin(async move { institutions::version(s, INSTITUTION).await.unwrap() })
            },
            reference: None,
        },
        Area {
            name: "measure",
            save: |s, expected, note| {
                Box::pin(async move {
                    let mut m = observatory::get(s, MEASURE).await?;
                    m.notes = note.to_string();
                    observatory::save(s, &m, &actor(), expected)
                        .await
                        .map(|_| ())
                })
            },
            version: |s| Box::pin(async move { observatory::version(s, MEASURE).await.unwrap() }),
            reference: Some(|s, target| {
                Box::pin(async move {
                    let mut m = observatory::get(s, MEASURE).await?;
                    m.institution = target.to_string();
                    observatory::save(s, &m, &actor(), None).await.map(|_| ())
                })
            }),
        },
        Area {
            name: "resource",
            save: |s, expected, note| {
                Box::pin(async move {
                    let mut r = knowledge::get(s, RESOURCE).await?.resource;
                    r.notes = note.to_string();
                    knowledge::save(s, &r, &actor(), expected).await.map(|_| ())
                })
            },
            version: |s| {
                Box::pin(async move {
                    knowledge::get(s, RESOURCE)
                        .await
                        .ok()
                        .map(|r| r.updated_at.to_rfc3339())
                })
            },
            reference: Some(|s, target| {
                Box::pin(async move {
                    let mut r = knowledge::get(s, RESOURCE).await?.resource;
                    r.institutions.push(target.to_string());
                    knowledge::save(s, &r, &actor(), None).await.map(|_| ())
                })
            }),
        },
        Area {
            name: "session",
            save: |s, expected, note| {
                Box::pin(async move {
                    let mut x = faro_store::events::get(s, SESSION).await?;
                    x.notes = note.to_string();
                    faro_store::events::save(s, &x, &actor(), expected)
                        .await
                        .map(|_| ())
                })
            },
            version: |s| {
                Box::pin(async move { faro_store::events::version(s, SESSION).await.unwrap() })
            },
            // Sessions name no other records yet (presenters come with the
            // event-series issue).
            reference: None,
        },
    ]
}

#[tokio::test]
async fn every_area_refuses_stale_versions_and_unknown_or_deleted_references() {
    for db in testing::all_backends().await {
        demo_store(&db).await;
        let s = &db.store;
        // A deleted institution to point at.
        institutions::set_deleted(s, "senai", true, &actor())
            .await
            .unwrap();
        for area in areas() {
            let who = format!("{} on {}", area.name, db.label);
            // Conflict: a save based on a version that is no longer current.
            let stale = (area.version)(s).await.expect("a version");
            (area.save)(s, Some(&stale), "first save")
                .await
                .unwrap_or_else(|e| panic!("{who}: {e}"));
            let after_first = (area.version)(s).await;
            assert_ne!(
                after_first.as_deref(),
                Some(stale.as_str()),
                "{who}: version moves"
            );
            let err = (area.save)(s, Some(&stale), "lost update")
                .await
                .unwrap_err();
            assert!(matches!(err, StoreError::Conflict), "{who}: {err:?}");
            assert_eq!(err.code(), "conflict");
            assert_eq!(
                (area.version)(s).await,
                after_first,
                "{who}: nothing written"
            );
            // The current version passes.
            let current = after_first.clone().unwrap();
            (area.save)(s, Some(&current), "second save")
                .await
                .unwrap_or_else(|e| panic!("{who}: {e}"));

            let Some(reference) = area.reference else {
                continue;
            };
            let before = (area.version)(s).await;
            for target in ["no-such-institution", "senai"] {
                let err = reference(s, target).await.unwrap_err();
                match &err {
                    StoreError::Reference {
                        field, target: t, ..
                    } => {
                        assert_eq!(*field, "institution", "{who}");
                        assert_eq!(t, target, "{who}");
                    }
                    other => panic!("{who}: {target}: {other:?}"),
                }
                assert_eq!(err.code(), "unknown_reference");
                assert_eq!((area.version)(s).await, before, "{who}: nothing written");
            }
        }
        // A reference a record already had stays allowed after its target is
        // deleted: re-saving the resource that names `sena` still works.
        institutions::set_deleted(s, "senai", false, &actor())
            .await
            .unwrap();
        let mut r = knowledge::get(s, RESOURCE).await.unwrap().resource;
        r.institutions.push("senai".into());
        knowledge::save(s, &r, &actor(), None).await.unwrap();
        institutions::set_deleted(s, "senai", true, &actor())
            .await
            .unwrap();
        r.notes = "kept after its co-author was deleted".into();
        knowledge::save(s, &r, &actor(), None)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.label));
    }
}

#[tokio::test]
async fn review_decides_only_submitted_measures_in_one_transaction() {
    for db in testing::all_backends().await {
        demo_store(&db).await;
        let s = &db.store;
        let mut m = observatory::get(s, MEASURE).await.unwrap();
        m.id = "m-review-test".into();
        m.status = "draft".into();
        observatory::save(s, &m, &actor(), None).await.unwrap();
        let verify = observatory::Decision::Verify;
        let err = observatory::review(s, &m.id, verify, "coord", &actor(), None)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Rule("not_submitted")), "{err:?}");
        assert_eq!(
            observatory::get_any(s, &m.id)
                .await
                .unwrap()
                .unwrap()
                .status,
            "draft"
        );
        m.status = "submitted".into();
        observatory::save(s, &m, &actor(), None).await.unwrap();
        observatory::review(s, &m.id, verify, "coord", &actor(), None)
            .await
            .unwrap();
        let done = observatory::get(s, &m.id).await.unwrap();
        assert_eq!(
            (done.status.as_str(), done.reviewed_by.as_str()),
            ("verified", "coord")
        );
        // A second, stale decision is refused.
        let err = observatory::review(
            s,
            &m.id,
            observatory::Decision::SendBack,
            "coord",
            &actor(),
            None,
        )
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::Rule(_)), "{err:?}");
    }
}

#[tokio::test]
async fn facet_counts_follow_deletes_and_drafts() {
    fn count(f: &list::FacetCounts, facet: &str, value: &str) -> u64 {
        f[facet]
            .iter()
            .find(|(v, _)| v == value)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }
    for db in testing::all_backends().await {
        demo_store(&db).await;
        let s = &db.store;
        let page = list::PageReq::new(1, 10);
        let before = knowledge::list(s, &[], page).await.unwrap();
        let r = knowledge::get(s, RESOURCE).await.unwrap().resource;
        let inst = r.institutions[0].clone();
        let topic = r.topics[0].clone();
        knowledge::set_deleted(s, RESOURCE, true, &actor())
            .await
            .unwrap();
        let after = knowledge::list(s, &[], page).await.unwrap();
        assert_eq!(after.total, before.total - 1, "{}", db.label);
        // Unfiltered counts (one index, no join) and filtered ones agree.
        assert_eq!(
            count(&after.facets, "institution", &inst),
            count(&before.facets, "institution", &inst) - 1
        );
        assert_eq!(
            count(&after.facets, "topic", &topic),
            count(&before.facets, "topic", &topic) - 1
        );
        let filtered = knowledge::list(s, &[("type".into(), r.resource_type.clone())], page)
            .await
            .unwrap();
        assert!(filtered.items.iter().all(|x| x.resource.id != RESOURCE));
        knowledge::set_deleted(s, RESOURCE, false, &actor())
            .await
            .unwrap();
        let restored = knowledge::list(s, &[], page).await.unwrap();
        assert_eq!(restored.facets, before.facets, "{}", db.label);

        // A measure sent back to draft leaves the counts; verified, it returns.
        let m0 = observatory::list(s, &Default::default(), page)
            .await
            .unwrap();
        let mut m = observatory::get(s, MEASURE).await.unwrap();
        let cat = m.categories[0].clone();
        m.status = "draft".into();
        observatory::save(s, &m, &actor(), None).await.unwrap();
        let m1 = observatory::list(s, &Default::default(), page)
            .await
            .unwrap();
        assert_eq!(m1.total, m0.total - 1);
        assert_eq!(
            count(&m1.facets, "category", &cat),
            count(&m0.facets, "category", &cat) - 1
        );
        assert_eq!(
            count(&m1.facets, "status", "draft"),
            0,
            "drafts are never listed"
        );
    }
}

#[tokio::test]
async fn a_create_never_overwrites_a_record_that_took_its_id() {
    for db in testing::all_backends().await {
        demo_store(&db).await;
        let s = &db.store;
        let mut m = observatory::get(s, MEASURE).await.unwrap();
        m.id = "m-race".into();
        let new = Some(faro_store::changes::NEW_RECORD);
        observatory::save(s, &m, &actor(), new).await.unwrap();
        let first = observatory::version(s, "m-race").await.unwrap();
        m.title_en = "Second create with the same id".into();
        let err = observatory::save(s, &m, &actor(), new).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict), "{}: {err:?}", db.label);
        assert_eq!(observatory::version(s, "m-race").await.unwrap(), first);
        let mut r = knowledge::get(s, RESOURCE).await.unwrap().resource;
        r.id = "r-race".into();
        knowledge::save(s, &r, &actor(), new).await.unwrap();
        let err = knowledge::save(s, &r, &actor(), new).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict), "{}: {err:?}", db.label);
    }
}
