use super::*;

fn doc(id: &str, lang: Lang, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        record_type: "test".into(),
        id: id.into(),
        titles: vec![(lang, title.into())],
        bodies: vec![(lang, body.into())],
        languages: vec![lang.code().into()],
        path: format!("/test/{id}"),
        ..Default::default()
    }
}

fn ids(ix: &SearchIndex, q: &str) -> Vec<String> {
    let r = ix
        .search(&SearchRequest {
            q: q.into(),
            per_page: 20,
            page: 1,
            snippets: true,
            ..Default::default()
        })
        .unwrap();
    let mut v: Vec<String> = r.hits.into_iter().map(|h| h.id).collect();
    v.sort();
    v
}

fn sample() -> SearchIndex {
    let ix = SearchIndex::in_ram(20_000_000, 1).unwrap();
    let mut c2 = doc(
        "c2",
        Lang::Es,
        "Formación a distancia en SENA",
        "Clases sincrónicas y plataformas virtuales",
    );
    c2.labels = vec![
        (Lang::Es, "Formación a distancia y en línea".into()),
        (Lang::En, "Distance and online delivery".into()),
        (Lang::Pt, "Ensino a distância e on-line".into()),
    ];
    c2.categories = vec!["C2".into()];
    c2.countries = vec!["CO".into()];
    let docs = vec![
        doc(
            "cap",
            Lang::Es,
            "Capacitación de docentes",
            "Programa de capacitación para instructores",
        ),
        doc(
            "form",
            Lang::Pt,
            "Formação profissional",
            "Educação profissional e tecnológica",
        ),
        doc(
            "teach",
            Lang::En,
            "Teacher training",
            "Digital skills for teachers",
        ),
        c2,
    ];
    ix.apply(&docs, &[], "t", 7).unwrap();
    ix
}

#[test]
fn folding_and_stemming_in_three_languages() {
    let ix = sample();
    assert_eq!(ids(&ix, "capacitacion"), vec!["cap"]);
    assert_eq!(ids(&ix, "docente"), vec!["cap"]);
    assert_eq!(ids(&ix, "formacao"), vec!["form"]);
    assert_eq!(ids(&ix, "teachers"), vec!["teach"]);
    assert_eq!(ids(&ix, "trainings"), vec!["teach"], "English stemming");
    // A Portuguese query reaches a Spanish record through its labels.
    assert_eq!(ids(&ix, "ensino a distância"), vec!["c2"]);
    assert_eq!(ids(&ix, "\"formación a distancia\""), vec!["c2"]);
    assert_eq!(ix.cursor(), 7);
}

#[test]
fn hostile_queries_never_fail() {
    let ix = sample();
    let long = "docente ".repeat(2000);
    for q in [
        "\"unbalanced",
        "AND OR NOT",
        "+-*:()[]{}^~",
        "\u{0}\u{7}docente",
        &long,
        "\"\"",
        "   ",
        "a",
    ] {
        let r = ix.search(&SearchRequest {
            q: q.into(),
            per_page: 10,
            page: 1,
            snippets: true,
            ..Default::default()
        });
        assert!(r.is_ok(), "{q:?}");
    }
    let r = ix
        .search(&SearchRequest {
            q: long,
            per_page: 10,
            page: 1,
            ..Default::default()
        })
        .unwrap();
    assert!(r.ignored_terms > 0);
    // Stop words and one-letter words are not "too long" (issue 11 item 9).
    for q in ["ensino a distância", "formación y empleo", "a", "e o de"] {
        let r = ix
            .search(&SearchRequest {
                q: q.into(),
                per_page: 10,
                page: 1,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(r.ignored_terms, 0, "{q:?}");
    }
    // Unknown facet values simply match nothing.
    let r = ix
        .search(&SearchRequest {
            filters: vec![("country".into(), "ZZ".into())],
            per_page: 10,
            page: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(r.total, 0);
}

#[test]
fn facets_count_all_matches_and_filters_apply() {
    let ix = sample();
    let r = ix
        .search(&SearchRequest {
            per_page: 1,
            page: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(r.total, 4);
    assert_eq!(r.hits.len(), 1);
    let lang = r.facets.iter().find(|(n, _)| n == "language").unwrap();
    assert_eq!(lang.1.iter().map(|(_, c)| c).sum::<u64>(), 4);
    let r = ix
        .search(&SearchRequest {
            filters: vec![("category".into(), "C2".into())],
            per_page: 10,
            page: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].id, "c2");
    // Snippets mark the matched words.
    let r = ix
        .search(&SearchRequest {
            q: "capacitacion".into(),
            per_page: 10,
            page: 1,
            snippets: true,
            ..Default::default()
        })
        .unwrap();
    let s = r.hits[0].snippet.clone().unwrap();
    let (a, b) = s.highlights[0];
    assert_eq!(&s.text[a..b].to_lowercase(), "capacitación");
}

#[test]
fn updates_and_deletes_replace_by_key() {
    let ix = sample();
    ix.apply(
        &[doc("cap", Lang::Es, "Nuevo título", "sin docentes")],
        &["test:teach".into()],
        "t",
        9,
    )
    .unwrap();
    assert_eq!(ids(&ix, "capacitacion"), Vec::<String>::new());
    assert_eq!(ids(&ix, "nuevo"), vec!["cap"]);
    assert_eq!(ids(&ix, "teacher"), Vec::<String>::new());
    assert_eq!(ix.num_docs(), 3);
    assert_eq!(ix.cursor(), 9);
}

#[test]
fn reopening_finds_the_index_and_a_second_writer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (ix, opened) = SearchIndex::open(dir.path(), 20_000_000).unwrap();
    assert_eq!(opened, Opened::Fresh);
    ix.apply(&[doc("a", Lang::En, "Alpha", "")], &[], "site", 3)
        .unwrap();
    match SearchIndex::open(dir.path(), 20_000_000) {
        Err(SearchError::Locked(_)) => {}
        other => panic!("expected Locked, got {:?}", other.map(|(_, o)| o)),
    }
    drop(ix);
    let (ix, opened) = SearchIndex::open(dir.path(), 20_000_000).unwrap();
    assert_eq!(opened, Opened::Existing);
    assert_eq!(ix.cursor(), 3);
    drop(ix);
    // A corrupt index is rebuilt from scratch.
    std::fs::write(dir.path().join("meta.json"), "{ not json").unwrap();
    let (ix, opened) = SearchIndex::open(dir.path(), 20_000_000).unwrap();
    assert_eq!(opened, Opened::Fresh);
    assert_eq!(ix.num_docs(), 0);
}

#[test]
fn a_records_own_name_outranks_mentions() {
    let ix = SearchIndex::in_ram(20_000_000, 1).unwrap();
    let mut inst = doc(
        "senai",
        Lang::En,
        "SENAI — National Industrial Learning Service",
        "",
    );
    inst.keywords = vec!["SENAI".into(), "senai".into()];
    let mut m = doc(
        "m-senai-x",
        Lang::En,
        "Training during partial closures",
        "In Brazil, SENAI offered training. SENAI again.",
    );
    m.bodies
        .push((Lang::Es, "En Brasil, el SENAI ofreció formación.".into()));
    m.bodies
        .push((Lang::Pt, "No Brasil, o SENAI ofereceu formação.".into()));
    ix.apply(&[m, inst], &[], "t", 1).unwrap();
    let r = ix
        .search(&SearchRequest {
            q: "SENAI".into(),
            per_page: 5,
            page: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(r.hits[0].id, "senai");
}

#[test]
fn a_damaged_segment_is_moved_aside_and_the_index_made_anew() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("search-index");
    let (ix, _) = SearchIndex::open(&dir, 20_000_000).unwrap();
    ix.apply(&[doc("a", Lang::En, "Alpha", "")], &[], "site", 3)
        .unwrap();
    drop(ix);
    // Truncate a segment's term dictionary (what a crash or a full disk leaves).
    let idx = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("a segment file");
    let len = std::fs::metadata(&idx).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&idx).unwrap();
    f.set_len(len / 2).unwrap();
    drop(f);
    let (ix, opened) = SearchIndex::open(&dir, 20_000_000).unwrap();
    assert_eq!(opened, Opened::Fresh, "treated as missing: rebuild");
    assert_eq!(ix.num_docs(), 0);
    let aside: Vec<_> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("search-index.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "the damaged folder is kept aside");
    // The new index works and is found again next time.
    ix.apply(&[doc("b", Lang::En, "Beta", "")], &[], "site", 4)
        .unwrap();
    drop(ix);
    let (ix, opened) = SearchIndex::open(&dir, 20_000_000).unwrap();
    assert_eq!(opened, Opened::Existing);
    assert_eq!(ix.num_docs(), 1);
}

/// Issue 11 item 9: a record counts once per language in the language
/// facet, however many of its texts are in that language.
#[test]
fn a_record_counts_once_per_facet_value() {
    let ix = SearchIndex::in_ram(20_000_000, 1).unwrap();
    let mut d = doc(
        "twice",
        Lang::Es,
        "Formación dual",
        "Aprendizaje en la empresa",
    );
    d.languages = vec!["es".into(), "es".into(), "en".into()];
    d.countries = vec!["UY".into(), "UY".into()];
    ix.apply(&[d], &[], "t", 1).unwrap();
    let r = ix
        .search(&SearchRequest {
            q: "formacion".into(),
            per_page: 10,
            page: 1,
            ..Default::default()
        })
        .unwrap();
    let facet = |name: &str| -> Vec<(String, u64)> {
        r.facets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut languages = facet("language");
    languages.sort();
    assert_eq!(
        languages,
        vec![("en".to_string(), 1), ("es".to_string(), 1)]
    );
    assert_eq!(facet("country"), vec![("UY".to_string(), 1)]);
}
