//! Finders on the index's columnar (fast) fields — the course finder, and
//! the observatory when words are searched: one pass over the listed
//! records of a type that match the text (all of them without text)
//! computes the availability of each course at the day asked for, the
//! total, every facet's counts and the page, without reading a stored
//! document. A facet's counts
//! take every filter but its own (values of one facet are alternatives), as
//! the store's SQL counts do: the web layer uses whichever is current, and a
//! test compares both.
//!
//! Values are kept per course in one multi-valued string column `cf` as
//! `facet \u{1f} value`, so the values of one facet are a contiguous run of
//! term ordinals; availability comes from whole windows (`c_open`, packed
//! `from << 22 | until` in days of the common era), starts (`c_start`), the
//! last self-paced day (`c_sp`) and the last end (`c_end`).

use crate::{Fields, SearchIndex};
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, Term};

/// The facet computed from the dates (its values in this order).
pub const AVAILABILITY_FACET: &str = "availability";
pub const AVAILABILITY: [&str; 4] = ["open_now", "starting_soon", "self_paced", "archived"];
const SEP: char = '\u{1f}';
const DAY_BITS: u32 = 22;

/// What a finder needs of a record besides its text (a course's dates;
/// other records leave them empty).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FinderFacts {
    /// (facet, value) pairs, each counted once.
    pub values: Vec<(String, String)>,
    /// Days (of the common era, `chrono`'s `num_days_from_ce`) at which the
    /// course is open now, as inclusive windows.
    pub open: Vec<(i32, i32)>,
    /// Distinct run starts (days).
    pub starts: Vec<i32>,
    pub self_paced_until: Option<i32>,
    pub last_end: Option<i32>,
    /// The order of "newest": creation time (seconds), then id.
    pub created: i64,
}

/// How the finder orders its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FinderSort {
    /// Newest created first, then by id.
    #[default]
    Newest,
    /// The next start on or after the day first (courses without one
    /// last), then by id.
    Start,
    /// By the text's score (only with text; otherwise newest).
    Relevance,
}

#[derive(Debug, Clone, Default)]
pub struct FinderRequest {
    /// The record type listed (`course`, `measure`).
    pub record_type: String,
    pub q: String,
    /// (facet, value) filters; the facet `availability` takes
    /// [`AVAILABILITY`] values.
    pub filters: Vec<(String, String)>,
    /// The facets to count, in order (`availability` among them or not).
    pub facets: Vec<&'static str>,
    /// Facets where a one-letter value selects every value it begins
    /// (codebook categories: `C` selects `C1`…`C6`).
    pub prefix: Vec<&'static str>,
    /// The day (of the common era) availability is computed at.
    pub today: i32,
    pub soon_days: i32,
    pub sort: FinderSort,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FinderResults {
    pub ids: Vec<String>,
    pub total: u64,
    /// Per facet of the request, (value, count) with count > 0, most
    /// frequent first (ties by value).
    pub facets: Vec<(&'static str, Vec<(String, u64)>)>,
    pub ignored_terms: usize,
    pub has_text: bool,
}

pub(crate) fn pack(from: i32, until: i32) -> i64 {
    (i64::from(from.max(0)) << DAY_BITS) | i64::from(until.max(0))
}

fn unpack(v: i64) -> (i32, i32) {
    ((v >> DAY_BITS) as i32, (v & ((1 << DAY_BITS) - 1)) as i32)
}

pub(crate) fn cf_term(facet: &str, value: &str) -> String {
    format!("{facet}{SEP}{value}")
}

/// The term every listed record of a type has (no facet counts it).
pub(crate) fn listed_term(record_type: &str) -> String {
    cf_term("", record_type)
}

/// What every segment needs to know of the request.
struct Plan {
    /// Value facets (not availability) by name → index in `req.facets`.
    facet_index: HashMap<String, usize>,
    /// Index of availability in `req.facets`, if counted or filtered.
    avail: Option<usize>,
    /// Wanted availability values (bits of [`AVAILABILITY`]); 0: no filter.
    want_avail: u8,
    /// Wanted `cf` terms per facet index.
    wanted: Vec<Vec<String>>,
    /// Wanted one-letter prefixes (`facet\u{1f}C`) per facet index.
    prefixes: Vec<Vec<String>>,
    /// Facet indexes with a filter, as a bit mask (availability included).
    active: u64,
    today: i32,
    soon: i32,
    sort: FinderSort,
    keep: usize,
    scored: bool,
}

struct FinderCollector {
    plan: Plan,
    cache: AvailabilityCache,
}

/// Availability bits of every document of a segment at one day, kept
/// across requests: segments never change, so a day's bits are computed
/// once per segment (the first finder request of the day pays it).
pub(crate) type AvailabilityCache = std::sync::Arc<
    std::sync::Mutex<HashMap<(tantivy::index::SegmentId, i32, i32), std::sync::Arc<Vec<u8>>>>,
>;

/// Segments × days kept before the cache starts again.
const CACHE_ENTRIES: usize = 256;

/// A matching course of one segment, its sort key and its id's ordinal.
#[derive(Clone, Copy)]
struct Cand {
    key: i64,
    score: Score,
    id_ord: u64,
}

struct SegmentFinder {
    cf: Option<StrColumn>,
    id: Option<StrColumn>,
    open: Option<Column<i64>>,
    start: Option<Column<i64>>,
    sp: Option<Column<i64>>,
    end: Option<Column<i64>>,
    created: Option<Column<i64>>,
    /// Per `cf` ordinal: its facet index (`u8::MAX`: not counted).
    ord_facet: Vec<u8>,
    /// Per `cf` ordinal: wanted by its facet's filter.
    ord_wanted: Vec<bool>,
    counts: Vec<u32>,
    avail_counts: [u32; 4],
    total: u64,
    cands: Vec<Cand>,
    ords: Vec<u64>,
    plan: PlanView,
    /// This segment's availability bits at the day (from the cache).
    av: Option<std::sync::Arc<Vec<u8>>>,
}

/// The per-segment copy of the request's scalars.
#[derive(Clone, Copy)]
struct PlanView {
    avail: Option<usize>,
    want_avail: u8,
    active: u64,
    today: i32,
    soon: i32,
    sort: FinderSort,
    scored: bool,
    keep: usize,
}

fn opt_i64(reader: &SegmentReader, name: &str) -> tantivy::Result<Option<Column<i64>>> {
    reader.fast_fields().column_opt::<i64>(name)
}

impl Collector for FinderCollector {
    type Fruit = (
        u64,
        Vec<Vec<(String, u64)>>,
        [u64; 4],
        Vec<(i64, Score, String)>,
    );
    type Child = SegmentFinder;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFinder> {
        let ff = reader.fast_fields();
        let cf = ff.str("cf")?;
        let p = &self.plan;
        let (mut ord_facet, mut ord_wanted) = (Vec::new(), Vec::new());
        if let Some(col) = &cf {
            let n = col.num_terms();
            ord_facet = vec![u8::MAX; n];
            ord_wanted = vec![false; n];
            let mut stream = col.dictionary().stream()?;
            let mut ord = 0usize;
            while stream.advance() {
                let term = std::str::from_utf8(stream.key()).unwrap_or("");
                if let Some((facet, _)) = term.split_once(SEP)
                    && let Some(&i) = p.facet_index.get(facet)
                    && ord < n
                {
                    ord_facet[ord] = i as u8;
                    ord_wanted[ord] = p.wanted[i].iter().any(|w| w == term)
                        || p.prefixes[i].iter().any(|w| term.starts_with(w.as_str()));
                }
                ord += 1;
            }
        }
        let counts = vec![0u32; ord_facet.len()];
        let mut this = SegmentFinder {
            id: ff.str("id")?,
            open: opt_i64(reader, "c_open")?,
            start: opt_i64(reader, "c_start")?,
            sp: opt_i64(reader, "c_sp")?,
            end: opt_i64(reader, "c_end")?,
            created: opt_i64(reader, "c_created")?,
            cf,
            ord_facet,
            ord_wanted,
            counts,
            avail_counts: [0; 4],
            total: 0,
            cands: Vec::new(),
            ords: Vec::new(),
            plan: PlanView {
                avail: p.avail,
                want_avail: p.want_avail,
                active: p.active,
                today: p.today,
                soon: p.soon,
                sort: p.sort,
                scored: p.scored,
                keep: p.keep,
            },
            av: None,
        };
        if p.avail.is_some() {
            let key = (reader.segment_id(), p.today, p.soon);
            let hit = self
                .cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&key)
                .cloned();
            let bits = match hit {
                Some(b) => b,
                None => {
                    let b: std::sync::Arc<Vec<u8>> = std::sync::Arc::new(
                        (0..reader.max_doc())
                            .map(|d| this.compute_availability(d))
                            .collect(),
                    );
                    let mut g = self.cache.lock().unwrap_or_else(|e| e.into_inner());
                    if g.len() >= CACHE_ENTRIES {
                        g.clear();
                    }
                    g.insert(key, b.clone());
                    b
                }
            };
            this.av = Some(bits);
        }
        Ok(this)
    }

    fn requires_scoring(&self) -> bool {
        self.plan.scored
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(
            u64,
            Vec<(usize, String, u64)>,
            [u32; 4],
            Vec<(i64, Score, String)>,
        )>,
    ) -> tantivy::Result<Self::Fruit> {
        let n = self.plan.wanted.len();
        let mut total = 0;
        let mut maps: Vec<HashMap<String, u64>> = vec![HashMap::new(); n];
        let mut avail = [0u64; 4];
        let mut best = Vec::new();
        for (t, counts, a, b) in fruits {
            total += t;
            for (i, v, c) in counts {
                *maps[i].entry(v).or_default() += c;
            }
            for (x, y) in avail.iter_mut().zip(a) {
                *x += u64::from(y);
            }
            best.extend(b);
        }
        let facets = maps
            .into_iter()
            .map(|m| {
                let mut v: Vec<(String, u64)> = m.into_iter().collect();
                v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                v
            })
            .collect();
        Ok((total, facets, avail, best))
    }
}

impl SegmentFinder {
    fn availability(&self, doc: DocId) -> u8 {
        match &self.av {
            Some(bits) => bits.get(doc as usize).copied().unwrap_or(0),
            None => self.compute_availability(doc),
        }
    }

    fn compute_availability(&self, doc: DocId) -> u8 {
        let (t, soon) = (self.plan.today, self.plan.soon);
        let mut bits = 0u8;
        if let Some(c) = &self.open
            && c.values_for_doc(doc).any(|v| {
                let (a, b) = unpack(v);
                a <= t && t <= b
            })
        {
            bits |= 1;
        }
        if let Some(c) = &self.start
            && c.values_for_doc(doc)
                .any(|s| s >= i64::from(t) && s <= i64::from(soon))
        {
            bits |= 2;
        }
        if let Some(c) = &self.sp
            && c.first(doc).is_some_and(|u| u >= i64::from(t))
        {
            bits |= 4;
        }
        if let Some(c) = &self.end
            && c.first(doc).is_some_and(|e| e < i64::from(t))
        {
            bits |= 8;
        }
        bits
    }

    fn sort_key(&self, doc: DocId) -> i64 {
        match self.plan.sort {
            FinderSort::Start => {
                let t = i64::from(self.plan.today);
                self.start
                    .as_ref()
                    .and_then(|c| c.values_for_doc(doc).filter(|s| *s >= t).min())
                    .unwrap_or(i64::MAX)
            }
            // Newest first: the smallest key first, so negate.
            _ => self
                .created
                .as_ref()
                .and_then(|c| c.first(doc))
                .map(|c| -c)
                .unwrap_or(0),
        }
    }
}

impl SegmentCollector for SegmentFinder {
    type Fruit = (
        u64,
        Vec<(usize, String, u64)>,
        [u32; 4],
        Vec<(i64, Score, String)>,
    );

    fn collect(&mut self, doc: DocId, score: Score) {
        let p = self.plan;
        let mut have = 0u64;
        self.ords.clear();
        if let Some(cf) = &self.cf {
            for ord in cf.term_ords(doc) {
                let o = ord as usize;
                if self.ord_wanted.get(o).copied().unwrap_or(false) {
                    have |= 1 << self.ord_facet[o];
                }
                self.ords.push(ord);
            }
        }
        // Value filters first: a course missing two of them counts nowhere,
        // and its dates are never read.
        let avail_bit = p.avail.map(|a| 1u64 << a).unwrap_or(0);
        let value_missing = p.active & !have & !avail_bit;
        if value_missing.count_ones() > 1 {
            return;
        }
        let avail_filtered = p.active & avail_bit != 0;
        let av = if avail_bit != 0 && (avail_filtered || value_missing == 0) {
            self.availability(doc)
        } else {
            0
        };
        if avail_filtered && av & p.want_avail != 0 {
            have |= avail_bit;
        }
        let missing = p.active & !have;
        let miss = missing.count_ones();
        if miss > 1 {
            return;
        }
        // Counted in every facet when nothing is missed, else only in the
        // one facet it misses.
        let only = if miss == 1 {
            Some(missing.trailing_zeros() as usize)
        } else {
            None
        };
        for &ord in &self.ords {
            let f = self.ord_facet[ord as usize];
            if f != u8::MAX && only.is_none_or(|o| o == f as usize) {
                self.counts[ord as usize] += 1;
            }
        }
        if let Some(a) = p.avail
            && only.is_none_or(|o| o == a)
        {
            for (j, c) in self.avail_counts.iter_mut().enumerate() {
                if av & (1 << j) != 0 {
                    *c += 1;
                }
            }
        }
        if miss == 0 {
            self.total += 1;
            let id_ord = self
                .id
                .as_ref()
                .and_then(|c| c.term_ords(doc).next())
                .unwrap_or(u64::MAX);
            let key = if p.scored { 0 } else { self.sort_key(doc) };
            self.cands.push(Cand { key, score, id_ord });
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        // Strings only at the end, for the ordinals counted or kept, read
        // in one ordered walk of each dictionary (a deep page keeps many).
        let mut counts = Vec::new();
        if let Some(cf) = &self.cf {
            let ords: Vec<u64> = (0..self.counts.len() as u64)
                .filter(|o| self.counts[*o as usize] > 0)
                .collect();
            let mut i = 0;
            let _ = cf.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                let ord = ords[i] as usize;
                i += 1;
                if let Some((_, v)) = std::str::from_utf8(bytes).unwrap_or("").split_once(SEP) {
                    counts.push((
                        self.ord_facet[ord] as usize,
                        v.to_string(),
                        u64::from(self.counts[ord]),
                    ));
                }
            });
        }
        let scored = self.plan.scored;
        let cmp = |a: &Cand, b: &Cand| {
            if scored {
                b.score
                    .partial_cmp(&a.score)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(a.id_ord.cmp(&b.id_ord))
            } else {
                a.key.cmp(&b.key).then(a.id_ord.cmp(&b.id_ord))
            }
        };
        let keep = self.plan.keep;
        if self.cands.len() > keep && keep > 0 {
            self.cands.select_nth_unstable_by(keep - 1, cmp);
            self.cands.truncate(keep);
        } else if keep == 0 {
            self.cands.clear();
        }
        self.cands.sort_unstable_by_key(|c| c.id_ord);
        let ords: Vec<u64> = self.cands.iter().map(|c| c.id_ord).collect();
        let mut names: Vec<String> = Vec::with_capacity(ords.len());
        if let Some(col) = &self.id {
            let _ = col.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                names.push(String::from_utf8_lossy(bytes).into_owned());
            });
        }
        let best: Vec<(i64, Score, String)> = self
            .cands
            .iter()
            .zip(names)
            .map(|(c, id)| (c.key, c.score, id))
            .collect();
        (self.total, counts, self.avail_counts, best)
    }
}

impl SearchIndex {
    /// One page of a finder with its total and facet counts.
    pub fn finder(&self, req: &FinderRequest) -> crate::Result<FinderResults> {
        let searcher = self.reader.searcher();
        let built = crate::query::build(
            &self.f,
            &crate::SearchRequest {
                q: req.q.clone(),
                ..Default::default()
            },
        );
        let query = listed_query(
            &self.f,
            &req.record_type,
            built.has_text.then_some(built.query),
        );
        let mut facet_index = HashMap::new();
        let mut avail = None;
        for (i, f) in req.facets.iter().enumerate() {
            if *f == AVAILABILITY_FACET {
                avail = Some(i);
            } else {
                facet_index.insert(f.to_string(), i);
            }
        }
        let mut wanted = vec![Vec::new(); req.facets.len()];
        let mut prefixes = vec![Vec::new(); req.facets.len()];
        let mut want_avail = 0u8;
        let mut active = 0u64;
        // Filters on facets the request does not count are ignored, as the
        // store ignores them; an unknown value matches nothing.
        for (f, v) in &req.filters {
            if f == AVAILABILITY_FACET {
                if let Some(a) = avail {
                    active |= 1 << a;
                    if let Some(j) = AVAILABILITY.iter().position(|x| x == v) {
                        want_avail |= 1 << j;
                    }
                }
            } else if let Some(&i) = facet_index.get(f.as_str()) {
                wanted[i].push(cf_term(f, v));
                if v.chars().count() == 1 && req.prefix.contains(&f.as_str()) {
                    prefixes[i].push(cf_term(f, v));
                }
                active |= 1 << i;
            }
        }
        let scored = req.sort == FinderSort::Relevance && built.has_text;
        let keep = req.offset.saturating_add(req.limit);
        let plan = Plan {
            facet_index,
            avail,
            want_avail,
            wanted,
            prefixes,
            active,
            today: req.today,
            soon: req.today + req.soon_days,
            sort: req.sort,
            keep,
            scored,
        };
        let collector = FinderCollector {
            plan,
            cache: self.finder_cache.clone(),
        };
        let (total, mut value_counts, avail_counts, mut best) =
            searcher.search(&*query, &collector)?;
        if let Some(a) = avail {
            let mut v: Vec<(String, u64)> = AVAILABILITY
                .iter()
                .zip(avail_counts)
                .filter(|(_, c)| *c > 0)
                .map(|(n, c)| (n.to_string(), c))
                .collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            value_counts[a] = v;
        }
        if scored {
            best.sort_by(|a, b| {
                b.1.partial_cmp(&a.1)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then_with(|| a.2.cmp(&b.2))
            });
        } else {
            best.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)));
        }
        let ids = best
            .into_iter()
            .skip(req.offset)
            .take(req.limit)
            .map(|(_, _, id)| id)
            .collect();
        Ok(FinderResults {
            ids,
            total,
            facets: req.facets.iter().copied().zip(value_counts).collect(),
            ignored_terms: built.ignored_terms,
            has_text: built.has_text,
        })
    }
}

/// Listed records of one type (one term), and the text when there is one.
fn listed_query(f: &Fields, record_type: &str, text: Option<Box<dyn Query>>) -> Box<dyn Query> {
    let listed: Box<dyn Query> = Box::new(TermQuery::new(
        Term::from_field_text(f.cf, &listed_term(record_type)),
        IndexRecordOption::Basic,
    ));
    match text {
        None => listed,
        Some(text) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, listed),
            (Occur::Must, text),
        ])),
    }
}
