//! One search for every record type: the tantivy schema and analyzers, the
//! index (derived from the database, rebuildable at any time), queries with
//! facet counts and highlighted snippets.
//!
//! Text is indexed twice (ENGINEERING.md pitfall 5): a *folded* field
//! (lower case, accents removed, no stemming) for every text, and a
//! *stemmed* field per language (Snowball on the accented text, then
//! folded). A query word matches either, so "capacitacion" finds
//! "capacitación" and "docente" finds "docentes". Vocabulary labels
//! (kinds, countries, categories) are indexed in all three languages.
//!
//! Must not touch the database: callers hand in [`SearchDoc`]s.

mod analysis;
mod facets;
mod finder;
mod query;
pub mod synth;

use faro_domain::Lang;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use facets::FACETS;
pub use finder::{
    AVAILABILITY, AVAILABILITY_FACET, FinderFacts, FinderRequest, FinderResults, FinderSort,
};
pub use query::{MAX_QUERY_CHARS, MAX_QUERY_TERMS};

/// Bump when the schema or analysis changes: indexes of another version are
/// rebuilt on start.
pub const SCHEMA_VERSION: &str = "faro-search-6";
const VERSION_FILE: &str = "faro-schema-version";

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(
        "the search index in {0} is in use by another Faro process (a running `faro serve` keeps it up to date); stop it first"
    )]
    Locked(PathBuf),
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("damaged search index files: {0}")]
    Damaged(String),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// A record as search sees it. Texts carry their language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchDoc {
    /// `record_type:id`, unique across the index.
    pub record_type: String,
    pub id: String,
    /// Titles per language (at least one).
    pub titles: Vec<(Lang, String)>,
    /// Longer texts per language.
    pub bodies: Vec<(Lang, String)>,
    /// Vocabulary labels per language (kind, country, categories…).
    pub labels: Vec<(Lang, String)>,
    /// Names the record is known by (acronyms, codes): a match here ranks
    /// the record above records that merely mention the name.
    pub keywords: Vec<String>,
    pub countries: Vec<String>,
    pub institutions: Vec<String>,
    pub categories: Vec<String>,
    /// BCP 47 languages the record has content in.
    pub languages: Vec<String>,
    pub year: Option<i32>,
    /// Seconds since the epoch, for sorting by date.
    pub date: Option<i64>,
    /// Path under `/{lang}`, e.g. `/institutions/sena`.
    pub path: String,
    /// What a finder counts and orders by: a listed course, or a listed
    /// measure (the observatory searched with words); `None`: not listed.
    pub finder: Option<FinderFacts>,
}

impl SearchDoc {
    pub fn key(&self) -> String {
        format!("{}:{}", self.record_type, self.id)
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    key: Field,
    record_type: Field,
    id: Field,
    path: Field,
    title_es: Field,
    title_en: Field,
    title_pt: Field,
    body_es: Field,
    body_en: Field,
    body_pt: Field,
    folded: Field,
    labels: Field,
    keywords: Field,
    stem_es: Field,
    stem_en: Field,
    stem_pt: Field,
    country: Field,
    institution: Field,
    category: Field,
    language: Field,
    year: Field,
    date: Field,
    cf: Field,
    c_open: Field,
    c_start: Field,
    c_sp: Field,
    c_end: Field,
    c_created: Field,
}

impl Fields {
    pub(crate) fn stem(&self, lang: Lang) -> Field {
        match lang {
            Lang::Es => self.stem_es,
            Lang::En => self.stem_en,
            Lang::Pt => self.stem_pt,
        }
    }
    fn body(&self, lang: Lang) -> Field {
        match lang {
            Lang::Es => self.body_es,
            Lang::En => self.body_en,
            Lang::Pt => self.body_pt,
        }
    }
    fn title(&self, lang: Lang) -> Field {
        match lang {
            Lang::Es => self.title_es,
            Lang::En => self.title_en,
            Lang::Pt => self.title_pt,
        }
    }
    pub(crate) fn facet(&self, name: &str) -> Option<Field> {
        Some(match name {
            "type" => self.record_type,
            "country" => self.country,
            "institution" => self.institution,
            "category" => self.category,
            "language" => self.language,
            "year" => self.year,
            _ => return None,
        })
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, positions: bool| {
        let rec = if positions {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(rec),
        )
    };
    let facet = STRING | tantivy::schema::FAST;
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        record_type: b.add_text_field("type", facet.clone() | STORED),
        // Fast too: the course finder breaks ties by id.
        id: b.add_text_field("id", STRING | STORED | tantivy::schema::FAST),
        path: b.add_text_field("path", STORED),
        title_es: b.add_text_field("title_es", STORED),
        title_en: b.add_text_field("title_en", STORED),
        title_pt: b.add_text_field("title_pt", STORED),
        // Each language's longer texts, stored (not indexed): a snippet
        // comes from the reader's language when the record has it.
        body_es: b.add_text_field("body_es", STORED),
        body_en: b.add_text_field("body_en", STORED),
        body_pt: b.add_text_field("body_pt", STORED),
        folded: b.add_text_field("folded", text(analysis::FOLDED, true)),
        labels: b.add_text_field("labels", text(analysis::FOLDED, true)),
        keywords: b.add_text_field("keywords", text(analysis::FOLDED, false)),
        stem_es: b.add_text_field("stem_es", text(analysis::STEM_ES, false)),
        stem_en: b.add_text_field("stem_en", text(analysis::STEM_EN, false)),
        stem_pt: b.add_text_field("stem_pt", text(analysis::STEM_PT, false)),
        // Stored too: a hit shows its institution and country.
        country: b.add_text_field("country", facet.clone() | STORED),
        institution: b.add_text_field("institution", facet.clone() | STORED),
        category: b.add_text_field("category", facet.clone()),
        language: b.add_text_field("language", facet.clone()),
        year: b.add_text_field("year", facet),
        date: b.add_i64_field("date", INDEXED | tantivy::schema::FAST),
        cf: b.add_text_field("cf", STRING | tantivy::schema::FAST),
        c_open: b.add_i64_field("c_open", tantivy::schema::FAST),
        c_start: b.add_i64_field("c_start", tantivy::schema::FAST),
        c_sp: b.add_i64_field("c_sp", tantivy::schema::FAST),
        c_end: b.add_i64_field("c_end", tantivy::schema::FAST),
        c_created: b.add_i64_field("c_created", tantivy::schema::FAST),
    };
    (b.build(), fields)
}

/// The index and its single writer. Only one process may hold the writer.
pub struct SearchIndex {
    dir: Option<PathBuf>,
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    f: Fields,
    /// The cursor of the last commit, kept in memory: the course finder
    /// asks for it on every request.
    cursor: std::sync::atomic::AtomicI64,
    finder_cache: finder::AvailabilityCache,
}

/// How [`SearchIndex::open`] found the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// A usable index of this schema version.
    Existing,
    /// Created anew (missing, corrupt or of another version): rebuild it.
    Fresh,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (empty) when missing, corrupt or
    /// of another schema version. Fails with [`SearchError::Locked`] when
    /// another process holds the writer. An index that exists but cannot be
    /// read whole (a truncated or damaged segment file, metadata naming
    /// files that are gone, a failed checksum) is treated as missing: the
    /// folder is moved aside to `<dir>.damaged-<unix time>` (kept for a
    /// look, never read again), the reason logged, and a fresh one created.
    pub fn open(dir: &Path, writer_heap: usize) -> Result<(SearchIndex, Opened)> {
        std::fs::create_dir_all(dir)?;
        let version_ok = std::fs::read_to_string(dir.join(VERSION_FILE))
            .map(|v| v.trim() == SCHEMA_VERSION)
            .unwrap_or(false);
        let existing = if version_ok {
            match Index::open_in_dir(dir) {
                Ok(index) => match index.load_metas() {
                    Ok(_) => Some(index),
                    Err(e) => {
                        tracing::warn!(error = %e, "search index metadata unreadable; rebuilding");
                        None
                    }
                },
                Err(e) => {
                    tracing::warn!(error = %e, "search index unreadable; rebuilding");
                    None
                }
            }
        } else {
            None
        };
        let (schema, _) = schema();
        if let Some(i) = existing.filter(|i| i.schema() == schema) {
            match Self::readable(i, dir, writer_heap) {
                Ok(this) => return Ok((this, Opened::Existing)),
                Err(e @ SearchError::Locked(_)) => return Err(e),
                Err(e) => {
                    let aside = Self::move_aside(dir)?;
                    tracing::warn!(
                        error = %e,
                        moved_to = %aside.display(),
                        "search index damaged; moved aside, rebuilding from the database"
                    );
                }
            }
        } else {
            // Make sure nobody holds this folder before wiping it.
            if let Ok(i) = Index::open_in_dir(dir) {
                match i.writer_with_num_threads::<TantivyDocument>(1, 15_000_000) {
                    Err(tantivy::TantivyError::LockFailure(..)) => {
                        return Err(SearchError::Locked(dir.to_path_buf()));
                    }
                    Ok(w) => drop(w),
                    Err(_) => {}
                }
            }
            for entry in std::fs::read_dir(dir)? {
                let p = entry?.path();
                if p.is_dir() {
                    std::fs::remove_dir_all(&p)?;
                } else {
                    std::fs::remove_file(&p)?;
                }
            }
        }
        let index = Index::create_in_dir(dir, schema)?;
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION)?;
        let this = Self::from_index(index, Some(dir.to_path_buf()), writer_heap, 1)?;
        Ok((this, Opened::Fresh))
    }

    /// An existing index opened for use: the reader opens every segment
    /// (footers read) and every file of every segment is read whole and
    /// passes its checksum.
    fn readable(index: Index, dir: &Path, writer_heap: usize) -> Result<SearchIndex> {
        // Lock first: a folder another process writes is not judged.
        let this = Self::from_index(index, Some(dir.to_path_buf()), writer_heap, 1)?;
        let damaged = this.index.validate_checksum()?;
        if !damaged.is_empty() {
            let names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
            return Err(SearchError::Damaged(names.join(", ")));
        }
        Ok(this)
    }

    /// Renames the folder to `<dir>.damaged-<unix time>` and makes it anew.
    fn move_aside(dir: &Path) -> Result<PathBuf> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "search-index".into());
        let mut aside = dir.with_file_name(format!("{name}.damaged-{stamp}"));
        let mut n = 1;
        while aside.exists() {
            aside = dir.with_file_name(format!("{name}.damaged-{stamp}-{n}"));
            n += 1;
        }
        std::fs::rename(dir, &aside)?;
        std::fs::create_dir_all(dir)?;
        Ok(aside)
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_ram(writer_heap: usize, threads: usize) -> Result<SearchIndex> {
        let (schema, _) = schema();
        Self::from_index(Index::create_in_ram(schema), None, writer_heap, threads)
    }

    /// An index in a folder, for benchmarks (multi-threaded writer).
    pub fn create_for_bulk(dir: &Path, writer_heap: usize, threads: usize) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir)?;
        let (schema, _) = schema();
        let index = Index::create_in_dir(dir, schema)?;
        Self::from_index(index, Some(dir.to_path_buf()), writer_heap, threads)
    }

    fn from_index(
        index: Index,
        dir: Option<PathBuf>,
        heap: usize,
        threads: usize,
    ) -> Result<SearchIndex> {
        analysis::register(&index);
        let f = schema().1;
        let writer = match index.writer_with_num_threads(threads.max(1), heap.max(15_000_000)) {
            Ok(w) => w,
            Err(tantivy::TantivyError::LockFailure(..)) => {
                return Err(SearchError::Locked(dir.unwrap_or_default()));
            }
            Err(e) => return Err(e.into()),
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut this = SearchIndex {
            dir,
            index,
            reader,
            writer: Mutex::new(writer),
            f,
            cursor: std::sync::atomic::AtomicI64::new(0),
            finder_cache: Default::default(),
        };
        let at = this.checkpoint().map(|c| c.1).unwrap_or(0);
        *this.cursor.get_mut() = at;
        Ok(this)
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// What the last commit recorded: `(site, cursor)`, i.e. which database
    /// the index was built from and the last outbox id it reflects.
    pub fn checkpoint(&self) -> Option<(String, i64)> {
        let payload = self.index.load_metas().ok()?.payload?;
        let (site, cursor) = payload.rsplit_once(':')?;
        Some((site.to_string(), cursor.parse().ok()?))
    }

    pub fn cursor(&self) -> i64 {
        self.cursor.load(std::sync::atomic::Ordering::Acquire)
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn to_document(&self, d: &SearchDoc) -> TantivyDocument {
        let f = &self.f;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, d.key());
        doc.add_text(f.record_type, &d.record_type);
        doc.add_text(f.id, &d.id);
        doc.add_text(f.path, &d.path);
        for (lang, t) in &d.titles {
            doc.add_text(f.title(*lang), t);
            doc.add_text(f.folded, t);
            doc.add_text(f.stem(*lang), t);
        }
        for (lang, t) in &d.bodies {
            doc.add_text(f.body(*lang), t);
            doc.add_text(f.folded, t);
            doc.add_text(f.stem(*lang), t);
        }
        for (lang, t) in &d.labels {
            doc.add_text(f.labels, t);
            doc.add_text(f.stem(*lang), t);
        }
        for k in &d.keywords {
            doc.add_text(f.keywords, k);
        }
        // Each value once: a record counts once per value in a facet (a
        // record with two Spanish texts is one Spanish record).
        let once = |doc: &mut TantivyDocument, field: Field, values: &[String]| {
            let mut seen: Vec<&str> = Vec::new();
            for v in values {
                if !seen.contains(&v.as_str()) {
                    seen.push(v);
                    doc.add_text(field, v);
                }
            }
        };
        once(&mut doc, f.country, &d.countries);
        once(&mut doc, f.institution, &d.institutions);
        once(&mut doc, f.category, &d.categories);
        once(&mut doc, f.language, &d.languages);
        if let Some(y) = d.year {
            doc.add_text(f.year, y.to_string());
        }
        doc.add_i64(f.date, d.date.unwrap_or(0));
        if let Some(c) = &d.finder {
            doc.add_text(f.cf, finder::listed_term(&d.record_type));
            let mut seen: Vec<String> = Vec::new();
            for (facet, value) in &c.values {
                let t = finder::cf_term(facet, value);
                if !seen.contains(&t) {
                    doc.add_text(f.cf, &t);
                    seen.push(t);
                }
            }
            for (a, b) in &c.open {
                doc.add_i64(f.c_open, finder::pack(*a, *b));
            }
            for s in &c.starts {
                doc.add_i64(f.c_start, i64::from(*s));
            }
            if let Some(u) = c.self_paced_until {
                doc.add_i64(f.c_sp, i64::from(u));
            }
            if let Some(e) = c.last_end {
                doc.add_i64(f.c_end, i64::from(e));
            }
            doc.add_i64(f.c_created, c.created);
        }
        doc
    }

    /// Replaces `upserts`, removes `deletes` (keys), and commits with
    /// `cursor` as the position reached. One commit: readers see all or none.
    pub fn apply(
        &self,
        upserts: &[SearchDoc],
        deletes: &[String],
        site: &str,
        cursor: i64,
    ) -> Result<()> {
        let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        for key in deletes {
            w.delete_term(Term::from_field_text(self.f.key, key));
        }
        for d in upserts {
            w.delete_term(Term::from_field_text(self.f.key, &d.key()));
            w.add_document(self.to_document(d))?;
        }
        let mut prepared = w.prepare_commit()?;
        prepared.set_payload(&format!("{site}:{cursor}"));
        prepared.commit()?;
        drop(w);
        self.reader.reload()?;
        self.cursor
            .store(cursor, std::sync::atomic::Ordering::Release);
        Ok(())
    }

    /// Empties the index and fills it from `docs`, committing every
    /// `batch` documents (progress goes to `progress(done)`).
    pub fn rebuild<I: IntoIterator<Item = SearchDoc>>(
        &self,
        docs: I,
        site: &str,
        cursor: i64,
        mut progress: impl FnMut(u64),
    ) -> Result<u64> {
        let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        w.delete_all_documents()?;
        let mut n = 0u64;
        for d in docs {
            w.add_document(self.to_document(&d))?;
            n += 1;
            if n.is_multiple_of(10_000) {
                progress(n);
            }
        }
        let mut prepared = w.prepare_commit()?;
        prepared.set_payload(&format!("{site}:{cursor}"));
        prepared.commit()?;
        drop(w);
        progress(n);
        self.reader.reload()?;
        self.cursor
            .store(cursor, std::sync::atomic::Ordering::Release);
        Ok(n)
    }

    /// Merges segments and waits for merging threads (after a bulk load).
    pub fn wait_merges(self) -> Result<()> {
        let w = self.writer.into_inner().unwrap_or_else(|e| e.into_inner());
        w.wait_merging_threads()?;
        Ok(())
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let built = query::build(&self.f, req);
        let limit = req.per_page.clamp(1, 100);
        let offset = (req.page.max(1) - 1).saturating_mul(limit).min(10_000);
        let facet_counter = facets::FacetCounter::new(FACETS.to_vec());
        let (hits, total, counts) = match req.sort {
            Sort::Relevance => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_score();
                let (hits, total, counts) =
                    searcher.search(&built.query, &(top, Count, facet_counter))?;
                (
                    hits.into_iter().map(|(_, a)| a).collect::<Vec<_>>(),
                    total,
                    counts,
                )
            }
            Sort::Date => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_fast_field::<i64>("date", tantivy::Order::Desc);
                let (hits, total, counts) =
                    searcher.search(&built.query, &(top, Count, facet_counter))?;
                (
                    hits.into_iter().map(|(_, a)| a).collect::<Vec<_>>(),
                    total,
                    counts,
                )
            }
        };
        let snippets = if built.has_text && req.snippets {
            let mut g = tantivy::snippet::SnippetGenerator::create(
                &searcher,
                &*built.query,
                self.f.folded,
            )?;
            g.set_max_num_chars(180);
            Some(g)
        } else {
            None
        };
        let mut out = Vec::with_capacity(hits.len());
        for addr in hits {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let mut titles = Vec::new();
            for lang in Lang::ALL {
                let t = text(self.f.title(lang));
                if !t.is_empty() {
                    titles.push((lang, t));
                }
            }
            let snippet = snippets.as_ref().map(|g| {
                // The reader's language first, then the others; a text
                // where the words were found beats one where they were not.
                let mut order: Vec<Lang> = req.lang.into_iter().collect();
                order.extend(Lang::ALL.iter().copied().filter(|l| Some(*l) != req.lang));
                let mut best: Option<tantivy::snippet::Snippet> = None;
                for l in order {
                    let parts: Vec<&str> = doc
                        .get_all(self.f.body(l))
                        .filter_map(|v| v.as_str())
                        .collect();
                    let mut t = parts.join(" ");
                    if t.is_empty() {
                        t = text(self.f.title(l));
                    }
                    if t.is_empty() {
                        continue;
                    }
                    let s = g.snippet(&t);
                    let found = !s.highlighted().is_empty();
                    if found || best.is_none() {
                        best = Some(s);
                    }
                    if found {
                        break;
                    }
                }
                let s = best.unwrap_or_else(|| g.snippet(""));
                Snippet {
                    text: s.fragment().to_string(),
                    highlights: s.highlighted().iter().map(|r| (r.start, r.end)).collect(),
                }
            });
            let all = |field: Field| -> Vec<String> {
                doc.get_all(field)
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            };
            out.push(Hit {
                record_type: text(self.f.record_type),
                id: text(self.f.id),
                path: text(self.f.path),
                titles,
                snippet,
                institutions: all(self.f.institution),
                countries: all(self.f.country),
            });
        }
        Ok(SearchResults {
            total: total as u64,
            hits: out,
            facets: counts,
            ignored_terms: built.ignored_terms,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Date,
}

/// A search: free text and exact facet filters (values within one facet
/// are alternatives; facets combine with AND).
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    pub filters: Vec<(String, String)>,
    pub sort: Sort,
    pub page: usize,
    pub per_page: usize,
    pub snippets: bool,
    /// The reader's language: snippets come from it when the record has
    /// text in it (and the words were found there or nowhere).
    pub lang: Option<Lang>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Plain text (not escaped).
    pub text: String,
    /// Byte ranges of `text` to highlight.
    pub highlights: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub record_type: String,
    pub id: String,
    pub path: String,
    pub titles: Vec<(Lang, String)>,
    pub snippet: Option<Snippet>,
    /// The record's institutions (ids) and countries (ISO codes).
    pub institutions: Vec<String>,
    pub countries: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub total: u64,
    pub hits: Vec<Hit>,
    /// Per facet, (value, count), most frequent first.
    pub facets: Vec<(String, Vec<(String, u64)>)>,
    /// Query words dropped (beyond the limit, or operators/punctuation).
    pub ignored_terms: usize,
}

#[cfg(test)]
mod tests;
