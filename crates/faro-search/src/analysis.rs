//! Analyzers: folded (no stemming) and stemmed per language.

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

pub const FOLDED: &str = "faro_folded";
pub const STEM_ES: &str = "faro_stem_es";
pub const STEM_EN: &str = "faro_stem_en";
pub const STEM_PT: &str = "faro_stem_pt";

pub fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Snowball wants the accents, so fold only after stemming.
pub fn stemmed(lang: Language) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(Stemmer::new(lang))
        .filter(AsciiFoldingFilter)
        .build()
}

pub fn stem_language(lang: faro_domain::Lang) -> Language {
    match lang {
        faro_domain::Lang::Es => Language::Spanish,
        faro_domain::Lang::En => Language::English,
        faro_domain::Lang::Pt => Language::Portuguese,
    }
}

pub fn register(index: &Index) {
    let m = index.tokenizers();
    m.register(FOLDED, folded());
    m.register(STEM_ES, stemmed(Language::Spanish));
    m.register(STEM_EN, stemmed(Language::English));
    m.register(STEM_PT, stemmed(Language::Portuguese));
}

/// The tokens `analyzer` makes of `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}
