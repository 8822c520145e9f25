//! Member surveys in the store: versions, invitations and codes, one shared
//! response per institution with compare-and-set page saves, submit locks,
//! reopen with history, tracking counts — on SQLite always and on
//! PostgreSQL when `FARO_TEST_DATABASE_URL` is set.

use faro_formats::xlsform;
use faro_store::{StoreError, demo, surveys, testing};

fn demo_form() -> (Vec<u8>, xlsform::Form) {
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/demo/surveys/member-survey-2020.xlsx"),
    )
    .unwrap();
    let form = xlsform::read(&bytes, "member-survey-2020").unwrap();
    (bytes, form)
}

#[tokio::test]
async fn survey_lifecycle_on_both_backends() {
    for db in testing::all_backends().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let (bytes, form) = demo_form();
        let up = surveys::upload(s, &form, &bytes, "member-survey-2020.xlsx", "user:coord")
            .await
            .unwrap();
        assert_eq!((up.version, up.outcome), (1, "created"), "{}", db.label);
        // The same form again: nothing changes (idempotent import).
        let again = surveys::upload(s, &form, &bytes, "member-survey-2020.xlsx", "user:coord")
            .await
            .unwrap();
        assert_eq!(again.outcome, "unchanged");
        // A changed questionnaire is a new version.
        let mut changed = form.clone();
        changed.title = "Changed title".into();
        let v2 = surveys::upload(s, &changed, &bytes, "member-survey-2020.xlsx", "user:coord")
            .await
            .unwrap();
        assert_eq!((v2.version, v2.outcome), (2, "new_version"));
        let id = &up.survey;

        // Invitations: codes returned once, only hashes stored.
        let inv = surveys::invite(
            s,
            id,
            &["senai".into(), "sena".into(), "senai".into()],
            "es",
            "user:coord",
        )
        .await
        .unwrap();
        assert_eq!(inv.len(), 2, "one code per institution, duplicates ignored");
        let (_, code_senai) = inv.iter().find(|(i, _)| i == "senai").unwrap().clone();
        let (_, code_sena) = inv.iter().find(|(i, _)| i == "sena").unwrap().clone();
        assert_eq!(
            surveys::institution_for_code(s, id, &code_senai)
                .await
                .unwrap()
                .as_deref(),
            Some("senai")
        );
        assert_eq!(
            surveys::institution_for_code(s, id, &code_sena.to_lowercase())
                .await
                .unwrap()
                .as_deref(),
            Some("sena")
        );
        assert_eq!(
            surveys::institution_for_code(s, id, "AAAA-BBBB")
                .await
                .unwrap(),
            None
        );
        let n = surveys::invite(s, id, &["senai".into()], "es", "user:coord")
            .await
            .unwrap();
        assert!(n.is_empty(), "inviting again issues no second code");
        assert!(matches!(
            surveys::invite(s, id, &["no-such-vti".into()], "es", "user:coord").await,
            Err(StoreError::Reference { .. })
        ));
        assert_eq!(surveys::get(s.read(), id).await.unwrap().state, "open");

        // Not invited: no response.
        assert!(matches!(
            surveys::open_response(s, id, "ina", "code").await,
            Err(StoreError::Rule("survey_not_invited"))
        ));
        let r = surveys::open_response(s, id, "senai", "code")
            .await
            .unwrap();
        assert_eq!(
            r.version, 2,
            "a response records the version it was started on"
        );
        let mut a = r.answers.clone();
        a.values.insert("affected".into(), "yes".into());
        let rev = surveys::save(s, r.id, r.revision, &a, 1, 4, "code")
            .await
            .unwrap();
        // A colleague saving from the revision before loses nothing: refused.
        let mut b = r.answers.clone();
        b.values.insert("affected".into(), "no".into());
        assert!(matches!(
            surveys::save(s, r.id, r.revision, &b, 1, 4, "code").await,
            Err(StoreError::Conflict)
        ));
        let now = surveys::response(s, id, "senai").await.unwrap().unwrap();
        assert_eq!(now.answers.values["affected"], "yes");
        assert_eq!(now.revision, rev);

        let (_, _, counts, per_country) = surveys::tracking(s, id, None, 0, 50).await.unwrap();
        assert_eq!(
            (counts.invited, counts.in_progress, counts.not_started()),
            (2, 1, 1)
        );
        assert!(
            per_country
                .iter()
                .any(|(c, k)| c == "BR" && k.in_progress == 1)
        );

        let none = surveys::Filters::default();
        assert!(
            surveys::all_value_counts(s, id, &none)
                .await
                .unwrap()
                .is_empty(),
            "an open response is not counted"
        );
        // The reduced results, kept (m0024): read once before the submit…
        let current = surveys::get(s.read(), id).await.unwrap().current_version;
        let f = surveys::form(s, id, current).await.unwrap();
        let before = surveys::results(s, id, &f, current, &none).await.unwrap();
        assert_eq!(before.total, 0);
        surveys::submit(s, r.id, rev, "code").await.unwrap();
        // …are stale after it: the submit raised their revision.
        let after = surveys::results(s, id, &f, current, &none).await.unwrap();
        assert_eq!(after.total, 1, "{}", db.label);
        assert_eq!(
            after.questions["affected"].counts,
            vec![("yes".to_string(), 1)]
        );
        // While nothing is submitted or reopened they are read as kept,
        // not reduced again (a count changed behind the store's back does
        // not show)…
        {
            use sea_orm::ConnectionTrait;
            s.write()
                .execute_unprepared("UPDATE survey_tally SET n = 99")
                .await
                .unwrap();
        }
        assert_eq!(
            surveys::results(s, id, &f, current, &none).await.unwrap(),
            after
        );
        // …and a filter reduces from the answers.
        let brazil = surveys::Filters {
            country: Some("BR".into()),
            ..Default::default()
        };
        let in_brazil = surveys::results(s, id, &f, current, &brazil).await.unwrap();
        assert_eq!(in_brazil, after);
        surveys::rebuild_tally(s.write()).await.unwrap();
        // The kept counts (unfiltered) equal a scan (a filter keeping all).
        let kept = surveys::all_value_counts(s, id, &none).await.unwrap();
        assert_eq!(
            kept["affected"],
            vec![("yes".to_string(), 1)],
            "{}",
            db.label
        );
        assert_eq!(
            kept,
            surveys::all_value_counts(s, id, &brazil).await.unwrap()
        );
        assert!(matches!(
            surveys::save(s, r.id, rev + 1, &b, 1, 4, "code").await,
            Err(StoreError::Rule("survey_submitted"))
        ));
        surveys::reopen(s, r.id, "user:coord").await.unwrap();
        assert!(
            surveys::all_value_counts(s, id, &none)
                .await
                .unwrap()
                .is_empty(),
            "a reopened response leaves the counts"
        );
        let reopened = surveys::results(s, id, &f, current, &none).await.unwrap();
        assert_eq!(reopened.total, 0, "a reopen makes the kept results stale");
        assert_eq!(reopened.questions["affected"].answered, 0);
        let back = surveys::response(s, id, "senai").await.unwrap().unwrap();
        assert_eq!(back.state, "open");
        let hist = faro_store::changes::history(s, "survey_response", &format!("{id}/senai"))
            .await
            .unwrap();
        let states: Vec<_> = hist
            .iter()
            .filter(|h| h.field == "state")
            .map(|h| h.new_value.clone().unwrap())
            .collect();
        assert_eq!(
            states,
            ["open", "submitted", "open"],
            "history keeps the submit and the reopen"
        );
        assert!(
            hist.iter().all(|h| h.new_value.as_deref() != Some("yes")),
            "no answers in the history"
        );

        // Reminders go to those not submitted (both, now).
        assert_eq!(surveys::remind(s, id, "es", "user:coord").await.unwrap(), 2);
    }
}

/// Cross-tabulation by a select question inside a repeat (`repeat/name`):
/// a response is kept when any of its instances has the choice, and counts
/// once however many instances have it.
#[tokio::test]
async fn results_filter_by_a_select_in_a_repeat() {
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data/xlsform/repeat_measures.xlsx"),
    )
    .unwrap();
    let form = xlsform::read(&bytes, "repeat_measures").unwrap();
    for db in testing::all_backends().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let id = surveys::upload(s, &form, &bytes, "repeat_measures.xlsx", "user:coord")
            .await
            .unwrap()
            .survey;
        surveys::invite(s, &id, &["senai".into(), "sena".into()], "en", "user:coord")
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
        let ongoing = surveys::Filters {
            question: Some(("measure/measure_ongoing".into(), "yes".into())),
            ..Default::default()
        };
        assert_eq!(
            surveys::submitted_count(s, &id, &ongoing).await.unwrap(),
            1,
            "{}",
            db.label
        );
        let counts = surveys::all_value_counts(s, &id, &ongoing).await.unwrap();
        assert_eq!(
            counts["how_many"],
            vec![("2".to_string(), 1)],
            "SENAI once, not once per ongoing measure ({})",
            db.label
        );
        assert_eq!(
            counts["measure/measure_ongoing"],
            vec![("yes".to_string(), 2)]
        );
        let not = surveys::Filters {
            question: Some(("measure/measure_ongoing".into(), "no".into())),
            ..Default::default()
        };
        assert_eq!(surveys::submitted_count(s, &id, &not).await.unwrap(), 1);
        assert_eq!(
            surveys::all_value_counts(s, &id, &not).await.unwrap()["how_many"],
            vec![("1".to_string(), 1)]
        );
    }
}

/// The results keep the first 100 texts of a text question (cut in SQL)
/// while its count of answers stays whole, kept or filtered.
#[tokio::test]
async fn results_keep_the_first_texts_and_the_whole_count() {
    let (bytes, form) = demo_form();
    for db in testing::all_backends().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let id = surveys::upload(s, &form, &bytes, "m.xlsx", "user:coord")
            .await
            .unwrap()
            .survey;
        surveys::invite(s, &id, &["sena".into()], "es", "user:coord")
            .await
            .unwrap();
        let r = surveys::open_response(s, &id, "sena", "code")
            .await
            .unwrap();
        let mut a = r.answers.clone();
        a.values.insert("affected".into(), "yes".into());
        // 105 strategies described, one of them twice.
        a.repeats.insert(
            "strategy_detail".into(),
            (0..105)
                .map(|i| {
                    let text = if i == 104 {
                        "T000".into()
                    } else {
                        format!("T{i:03}")
                    };
                    [("strategy_description".to_string(), text)]
                        .into_iter()
                        .collect()
                })
                .collect(),
        );
        let rev = surveys::save(s, r.id, r.revision, &a, 4, 4, "code")
            .await
            .unwrap();
        surveys::submit(s, r.id, rev, "code").await.unwrap();
        let current = surveys::get(s.read(), &id).await.unwrap().current_version;
        let f = surveys::form(s, &id, current).await.unwrap();
        let colombia = surveys::Filters {
            country: Some("CO".into()),
            ..Default::default()
        };
        for filters in [surveys::Filters::default(), colombia] {
            let res = surveys::results(s, &id, &f, current, &filters)
                .await
                .unwrap();
            let t = &res.questions["strategy_detail/strategy_description"];
            assert_eq!(t.answered, 105, "{}", db.label);
            assert_eq!(t.counts.len(), surveys::TEXTS_KEPT);
            assert_eq!(t.counts[0], ("T000".to_string(), 2), "the most given first");
            assert_eq!(t.counts[1], ("T001".to_string(), 1));
            assert_eq!(
                res.questions["affected"].counts,
                vec![("yes".to_string(), 1)]
            );
        }
    }
}
