//! Facet counts over every matching document, read from columnar (fast)
//! fields by term ordinal: no stored-document access, no strings until the
//! end of each segment.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The facets every search reports, in display order.
pub const FACETS: [&str; 6] = [
    "type",
    "country",
    "institution",
    "category",
    "language",
    "year",
];

pub struct FacetCounter {
    names: Vec<&'static str>,
}

impl FacetCounter {
    pub fn new(names: Vec<&'static str>) -> Self {
        FacetCounter { names }
    }
}

pub struct SegmentFacetCounter {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u32>>,
}

impl Collector for FacetCounter {
    type Fruit = Vec<(String, Vec<(String, u64)>)>;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let mut columns = Vec::new();
        let mut counts = Vec::new();
        for name in &self.names {
            let col = reader.fast_fields().str(name)?;
            counts.push(vec![0u32; col.as_ref().map(|c| c.num_terms()).unwrap_or(0)]);
            columns.push(col);
        }
        Ok(SegmentFacetCounter { columns, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(String, Vec<(String, u64)>)>>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut merged: Vec<(String, std::collections::HashMap<String, u64>)> = self
            .names
            .iter()
            .map(|n| (n.to_string(), Default::default()))
            .collect();
        for fruit in fruits {
            for (i, (_, values)) in fruit.into_iter().enumerate() {
                for (v, c) in values {
                    *merged[i].1.entry(v).or_default() += c;
                }
            }
        }
        Ok(merged
            .into_iter()
            .map(|(name, map)| {
                let mut v: Vec<(String, u64)> = map.into_iter().collect();
                v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                (name, v)
            })
            .collect())
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = Vec<(String, Vec<(String, u64)>)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (i, col) in self.columns.iter().enumerate() {
            if let Some(col) = col {
                for ord in col.term_ords(doc) {
                    self.counts[i][ord as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = Vec::new();
        for (col, counts) in self.columns.into_iter().zip(self.counts) {
            let mut values = Vec::new();
            if let Some(col) = col {
                let mut s = String::new();
                for (ord, c) in counts.into_iter().enumerate() {
                    if c > 0 {
                        s.clear();
                        if col.ord_to_str(ord as u64, &mut s).unwrap_or(false) {
                            values.push((s.clone(), u64::from(c)));
                        }
                    }
                }
            }
            out.push((String::new(), values));
        }
        out
    }
}
