//! In-memory faceted filtering shared by the areas whose records number in
//! the thousands (observatory measures, knowledge-base resources): every
//! facet narrows the list, values within one facet are alternatives, and
//! each facet's counts are computed without its own filter.

use std::collections::{BTreeMap, HashMap};

/// Per facet, (value, count) pairs, most frequent first.
pub type FacetCounts = BTreeMap<&'static str, Vec<(String, u64)>>;

/// How an area exposes its records to faceting.
pub struct Facets<T> {
    pub names: &'static [&'static str],
    /// The values a record has for a facet.
    pub values: fn(&T, &str) -> Vec<String>,
    /// Whether a wanted value matches a record's value (usually equality).
    pub matches: fn(facet: &str, wanted: &str, have: &str) -> bool,
}

pub fn equal(_: &str, wanted: &str, have: &str) -> bool {
    wanted == have
}

impl<T: Clone> Facets<T> {
    fn keeps(&self, item: &T, wanted: &[(String, String)], except: Option<&str>) -> bool {
        self.names.iter().filter(|f| Some(**f) != except).all(|f| {
            let want: Vec<&str> = wanted
                .iter()
                .filter(|(k, _)| k == f)
                .map(|(_, v)| v.as_str())
                .collect();
            want.is_empty() || {
                let have = (self.values)(item, f);
                want.iter()
                    .any(|w| have.iter().any(|h| (self.matches)(f, w, h)))
            }
        })
    }

    /// The matching items and the counts of every facet.
    pub fn filter(&self, all: &[T], wanted: &[(String, String)]) -> (Vec<T>, FacetCounts) {
        let items = all
            .iter()
            .filter(|i| self.keeps(i, wanted, None))
            .cloned()
            .collect();
        let mut facets = BTreeMap::new();
        for f in self.names {
            let mut counts: HashMap<String, u64> = HashMap::new();
            for item in all.iter().filter(|i| self.keeps(i, wanted, Some(f))) {
                let mut vals = (self.values)(item, f);
                vals.sort();
                vals.dedup();
                for v in vals {
                    *counts.entry(v).or_default() += 1;
                }
            }
            let mut v: Vec<(String, u64)> = counts.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            facets.insert(*f, v);
        }
        (items, facets)
    }
}
