//! Turns what a person typed into a query that cannot fail: words and
//! "quoted phrases" are kept, operators and punctuation are ignored, the
//! length is bounded, stop words are dropped when other words remain.

use crate::Fields;
use crate::analysis;
use faro_domain::Lang;
use tantivy::Term;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::{Language, StopWordFilter, TextAnalyzer};

/// Longer queries are cut (10 KB of text must not cost more than this).
pub const MAX_QUERY_CHARS: usize = 500;
pub const MAX_QUERY_TERMS: usize = 12;

pub struct Built {
    pub query: Box<dyn Query>,
    pub has_text: bool,
    /// Words left out because the query had more than [`MAX_QUERY_TERMS`]
    /// (stop words dropped on purpose do not count: "ensino a distância"
    /// was not too long).
    pub ignored_terms: usize,
}

enum Part {
    Word(String),
    Phrase(String),
}

fn split(q: &str) -> Vec<Part> {
    let clean: String = q
        .chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut parts = Vec::new();
    let mut in_quote = false;
    let mut cur = String::new();
    for c in clean.chars() {
        if c == '"' || c == '“' || c == '”' {
            if in_quote && !cur.trim().is_empty() {
                parts.push(Part::Phrase(cur.trim().to_string()));
            } else if !in_quote {
                for w in cur.split_whitespace() {
                    parts.push(Part::Word(w.to_string()));
                }
            }
            cur.clear();
            in_quote = !in_quote;
        } else {
            cur.push(c);
        }
    }
    // An unbalanced quote: treat the rest as plain words.
    for w in cur.split_whitespace() {
        parts.push(Part::Word(w.to_string()));
    }
    parts
}

/// Analyzers are built once per thread: queries are short, but building
/// stemmers and stop-word filters for every word costs more than the search.
struct Analyzers {
    folded: TextAnalyzer,
    stemmed: Vec<(Lang, TextAnalyzer)>,
    stop: Vec<TextAnalyzer>,
}

thread_local! {
    static ANALYZERS: std::cell::RefCell<Analyzers> = std::cell::RefCell::new(Analyzers {
        folded: analysis::folded(),
        stemmed: Lang::ALL.iter().map(|l| (*l, analysis::stemmed(analysis::stem_language(*l)))).collect(),
        stop: [Language::Spanish, Language::English, Language::Portuguese]
            .into_iter()
            .filter_map(StopWordFilter::new)
            .map(|f| {
                TextAnalyzer::builder(tantivy::tokenizer::SimpleTokenizer::default())
                    .filter(tantivy::tokenizer::LowerCaser)
                    .filter(f)
                    .build()
            })
            .collect(),
    });
}

fn is_stop_word(word: &str) -> bool {
    ANALYZERS.with(|a| {
        a.borrow_mut()
            .stop
            .iter_mut()
            .any(|an| analysis::tokens(an, word).is_empty())
    })
}

fn folded_tokens(text: &str) -> Vec<String> {
    ANALYZERS.with(|a| analysis::tokens(&mut a.borrow_mut().folded, text))
}

fn stems(lang: Lang, word: &str) -> Vec<String> {
    ANALYZERS.with(|a| {
        let mut a = a.borrow_mut();
        let an = &mut a
            .stemmed
            .iter_mut()
            .find(|(l, _)| *l == lang)
            .expect("three languages")
            .1;
        analysis::tokens(an, word)
    })
}

fn term_group(f: &Fields, word: &str) -> Option<Box<dyn Query>> {
    let folded_tokens = folded_tokens(word);
    if folded_tokens.is_empty() {
        return None;
    }
    // A "word" with inner punctuation (e-learning) becomes several tokens:
    // all must match.
    let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (i, tok) in folded_tokens.iter().enumerate() {
        // Any field may match; scores add up (a BooleanQuery keeps block-max
        // pruning, which a disjunction-max query loses). A record's own name
        // (keywords, strongly boosted) outranks records that merely mention it.
        let term = |field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::WithFreqs,
            ))
        };
        let mut alternatives: Vec<Box<dyn Query>> = vec![
            Box::new(BoostQuery::new(term(f.folded, tok), 1.5)),
            term(f.labels, tok),
            Box::new(BoostQuery::new(term(f.keywords, tok), 6.0)),
        ];
        for lang in Lang::ALL {
            if let Some(stem) = stems(lang, word).get(i) {
                alternatives.push(term(f.stem(lang), stem));
            }
        }
        let shoulds: Vec<(Occur, Box<dyn Query>)> = alternatives
            .into_iter()
            .map(|q| (Occur::Should, q))
            .collect();
        musts.push((Occur::Must, Box::new(BooleanQuery::new(shoulds))));
    }
    Some(Box::new(BooleanQuery::new(musts)))
}

fn phrase(f: &Fields, text: &str) -> Option<Box<dyn Query>> {
    let toks = folded_tokens(text);
    match toks.len() {
        0 => None,
        1 => term_group(f, &toks[0]),
        _ => {
            let terms: Vec<Term> = toks
                .iter()
                .take(MAX_QUERY_TERMS)
                .map(|t| Term::from_field_text(f.folded, t))
                .collect();
            Some(Box::new(PhraseQuery::new(terms)))
        }
    }
}

pub fn build(f: &Fields, req: &crate::SearchRequest) -> Built {
    let parts = split(&req.q);
    let total_parts = parts.len();
    let words: Vec<&Part> = parts.iter().take(MAX_QUERY_TERMS).collect();
    let content_words = words
        .iter()
        .filter(|p| matches!(p, Part::Word(w) if !is_stop_word(w)))
        .count();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let used = words.len();
    for p in words {
        let q = match p {
            Part::Word(w) if content_words > 0 && is_stop_word(w) => None,
            Part::Word(w) => term_group(f, w),
            Part::Phrase(t) => phrase(f, t),
        };
        if let Some(q) = q {
            clauses.push((Occur::Must, q));
        }
    }
    let has_text = !clauses.is_empty();
    // Filters: values of one facet are alternatives.
    let mut by_facet: Vec<(tantivy::schema::Field, Vec<&str>)> = Vec::new();
    for (name, value) in &req.filters {
        if let Some(field) = f.facet(name) {
            match by_facet.iter_mut().find(|(fl, _)| *fl == field) {
                Some((_, vs)) => vs.push(value),
                None => by_facet.push((field, vec![value])),
            }
        }
    }
    for (field, values) in by_facet {
        let alts: Vec<(Occur, Box<dyn Query>)> = values
            .into_iter()
            .map(|v| -> (Occur, Box<dyn Query>) {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, v),
                        IndexRecordOption::Basic,
                    )),
                )
            })
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(alts))));
    }
    if !has_text {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Built {
        query: Box::new(BooleanQuery::new(clauses)),
        has_text,
        ignored_terms: total_parts.saturating_sub(used),
    }
}
