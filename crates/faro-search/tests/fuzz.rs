//! Property tests (issue 17, item 12) of the search query: any text, any
//! filters, any page answer — never an error, never a panic, never more
//! hits than asked for, highlights inside their snippet.
//!
//! Short by default (64 cases); long: `PROPTEST_CASES=20000 cargo test -p
//! faro-search --test fuzz --release`. Failures are kept in
//! `proptest-regressions/fuzz.txt`.

use faro_domain::Lang;
use faro_search::{FACETS, SearchDoc, SearchIndex, SearchRequest, Sort};
use proptest::prelude::*;
use std::sync::OnceLock;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        max_shrink_iters: 2000,
        ..ProptestConfig::default()
    }
}

fn index() -> &'static SearchIndex {
    static IX: OnceLock<SearchIndex> = OnceLock::new();
    IX.get_or_init(|| {
        let ix = SearchIndex::in_ram(20_000_000, 1).unwrap();
        let docs: Vec<SearchDoc> = [
            (
                "a",
                Lang::Es,
                "Formación profesional a distancia",
                "Clases virtuales",
            ),
            (
                "b",
                Lang::En,
                "Teacher training",
                "Digital skills for teachers",
            ),
            ("c", Lang::Pt, "Educação profissional", "Ensino a distância"),
        ]
        .into_iter()
        .map(|(id, lang, title, body)| SearchDoc {
            record_type: "test".into(),
            id: id.into(),
            titles: vec![(lang, title.into())],
            bodies: vec![(lang, body.into())],
            languages: vec![lang.code().into()],
            countries: vec!["UY".into()],
            path: format!("/test/{id}"),
            ..Default::default()
        })
        .collect();
        ix.apply(&docs, &[], "fuzz", 1).unwrap();
        ix
    })
}

/// Queries as people (and attackers) type them: any Unicode, operators,
/// quotes, wildcards, many words, very long words.
fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Záéíóúñçã \"*?~^:()\\[\\]{}+\\-!&|/\\\\]{0,60}",
        "(\"|AND |OR |NOT |\\*|~2|title:|\\^3)*[a-z]{0,12}",
        "[a-z]{1,3}( [a-z]{1,3}){10,40}",
        "[a-z]{200,700}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_query_answers(
        q in query(),
        filters in proptest::collection::vec(
            (prop::sample::select(FACETS.to_vec()), any::<String>()), 0..4),
        date in any::<bool>(),
        page in 1usize..600,
        per_page in 1usize..120,
    ) {
        let req = SearchRequest {
            q: q.clone(),
            filters: filters.into_iter().map(|(f, v)| (f.to_string(), v)).collect(),
            sort: if date { Sort::Date } else { Sort::Relevance },
            page,
            per_page,
            snippets: true,
            lang: Some(faro_domain::Lang::Pt),
        };
        let r = index().search(&req);
        prop_assert!(r.is_ok(), "{:?}: {:?}", q, r.err());
        let r = r.unwrap();
        prop_assert!(r.hits.len() <= per_page);
        for h in &r.hits {
            if let Some(s) = &h.snippet {
                for &(a, b) in &s.highlights {
                    prop_assert!(
                        a <= b && b <= s.text.len()
                            && s.text.is_char_boundary(a)
                            && s.text.is_char_boundary(b),
                        "{:?}: highlight {}..{} in {:?}", q, a, b, s.text
                    );
                }
            }
        }
    }
}
