//! A synthetic corpus for benchmarks: records in es/en/pt with realistic
//! field sizes (a title of ~8 words, a body of ~60) and facet values, words
//! drawn from a Zipf-distributed vocabulary seeded with real vocational
//! training terms. Deterministic for a given seed.

use crate::SearchDoc;
use faro_domain::Lang;

/// Small, fast, deterministic PRNG (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// Real domain words per language (they appear often enough to query).
pub const DOMAIN_ES: &[&str] = &[
    "formación",
    "profesional",
    "docentes",
    "capacitación",
    "aprendizaje",
    "virtual",
    "plataforma",
    "empleo",
    "jóvenes",
    "mujeres",
    "certificación",
    "competencias",
    "empresas",
    "distancia",
    "conectividad",
    "tabletas",
    "protocolos",
    "regreso",
    "aulas",
    "instructores",
    "digital",
    "rural",
    "pandemia",
    "crisis",
    "diálogo",
    "cooperación",
    "observatorio",
    "evaluación",
];
pub const DOMAIN_EN: &[&str] = &[
    "training",
    "vocational",
    "teachers",
    "learning",
    "apprenticeship",
    "online",
    "platform",
    "employment",
    "youth",
    "women",
    "certification",
    "skills",
    "enterprises",
    "distance",
    "connectivity",
    "tablets",
    "protocols",
    "return",
    "classrooms",
    "instructors",
    "digital",
    "rural",
    "pandemic",
    "crisis",
    "dialogue",
    "cooperation",
    "observatory",
    "assessment",
];
pub const DOMAIN_PT: &[&str] = &[
    "formação",
    "profissional",
    "docentes",
    "capacitação",
    "aprendizagem",
    "virtual",
    "plataforma",
    "emprego",
    "jovens",
    "mulheres",
    "certificação",
    "competências",
    "empresas",
    "distância",
    "conectividade",
    "tablets",
    "protocolos",
    "retorno",
    "salas",
    "instrutores",
    "digital",
    "rural",
    "pandemia",
    "crise",
    "diálogo",
    "cooperação",
    "observatório",
    "avaliação",
];

pub const TYPES: &[&str] = &["measure", "resource", "course", "session", "institution"];
pub const COUNTRIES: &[&str] = &[
    "AR", "BO", "BR", "CL", "CO", "CR", "CU", "DO", "EC", "ES", "GT", "HN", "JM", "MX", "NI", "PA",
    "PE", "PT", "PY", "SV", "TT", "UY", "VE",
];
pub const CATEGORIES: &[&str] = &[
    "H1", "H2", "H3", "C1", "C2", "C3", "C4", "C5", "C6", "E1", "E2", "E3", "E4", "E5", "T1", "T2",
    "T3", "A1", "A2", "W1", "W2", "W3", "W4", "R1", "R2", "R3", "L1", "L2", "L3", "G1", "G2", "G3",
    "G4",
];

const SYLLABLES: &[&str] = &[
    "ca", "pa", "ci", "ta", "ro", "men", "tra", "bal", "lo", "de", "sa", "nu", "vi", "for", "ma",
    "cion", "ten", "co", "mu", "ni", "dad", "pro", "gra", "le", "ri", "to", "es", "ção", "ña",
    "gue", "ble", "mi", "ne", "ar", "so", "li", "ven", "tu", "ra", "pe",
];

pub struct Vocabulary {
    words: Vec<String>,
    /// Cumulative Zipf weights.
    cum: Vec<f64>,
}

impl Vocabulary {
    pub fn new(domain: &[&str], size: usize, rng: &mut Rng) -> Self {
        let mut words: Vec<String> = Vec::with_capacity(size);
        let mut seen = std::collections::HashSet::new();
        while words.len() < size {
            let n = 2 + rng.below(3);
            let w: String = (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        // Domain words sit at mid-frequency ranks (100, 130, 160, …).
        for (i, d) in domain.iter().enumerate() {
            let rank = 100 + i * 30;
            if rank < words.len() {
                words[rank] = d.to_string();
            }
        }
        let mut cum = Vec::with_capacity(size);
        let mut total = 0.0;
        for r in 0..size {
            total += 1.0 / (r as f64 + 1.0);
            cum.push(total);
        }
        Vocabulary { words, cum }
    }

    pub fn sample(&self, rng: &mut Rng) -> &str {
        let total = *self.cum.last().unwrap_or(&1.0);
        let x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let i = self
            .cum
            .partition_point(|&c| c < x)
            .min(self.words.len() - 1);
        &self.words[i]
    }

    fn sentence(&self, rng: &mut Rng, words: usize) -> String {
        let mut s = String::new();
        for i in 0..words {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.sample(rng));
        }
        s
    }
}

pub struct Corpus {
    pub vocab: Vec<(Lang, Vocabulary)>,
    pub institutions: usize,
}

/// One synthetic record, also as plain text for other engines.
pub struct SynthDoc {
    pub doc: SearchDoc,
    pub title: String,
    pub body: String,
}

impl Corpus {
    pub fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let vocab = vec![
            (Lang::Es, Vocabulary::new(DOMAIN_ES, 20_000, &mut rng)),
            (Lang::En, Vocabulary::new(DOMAIN_EN, 20_000, &mut rng)),
            (Lang::Pt, Vocabulary::new(DOMAIN_PT, 20_000, &mut rng)),
        ];
        Corpus {
            vocab,
            institutions: 500,
        }
    }

    pub fn domain(lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::Es => DOMAIN_ES,
            Lang::En => DOMAIN_EN,
            Lang::Pt => DOMAIN_PT,
        }
    }

    /// Record number `n` (deterministic: the same n gives the same record).
    pub fn doc(&self, n: u64) -> SynthDoc {
        let mut rng = Rng::new(n.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0xFA40);
        let li = rng.below(10);
        let (lang, vocab) = match li {
            0..=4 => &self.vocab[0],
            5..=7 => &self.vocab[2],
            _ => &self.vocab[1],
        };
        let title_len = 5 + rng.below(7);
        let title = vocab.sentence(&mut rng, title_len);
        let body_len = 30 + rng.below(60);
        let body = vocab.sentence(&mut rng, body_len);
        let record_type = TYPES[rng.below(TYPES.len())];
        let country = COUNTRIES[rng.below(COUNTRIES.len())];
        let institution = format!("inst-{}", rng.below(self.institutions));
        let category = CATEGORIES[rng.below(CATEGORIES.len())];
        let year = 2018 + rng.below(9) as i32;
        let doc = SearchDoc {
            record_type: record_type.into(),
            id: n.to_string(),
            titles: vec![(*lang, title.clone())],
            bodies: vec![(*lang, body.clone())],
            labels: vec![],
            keywords: vec![],
            countries: vec![country.into()],
            institutions: vec![institution],
            categories: vec![category.into()],
            languages: vec![lang.code().into()],
            year: Some(year),
            date: Some(
                1_514_764_800 + (year as i64 - 2018) * 31_536_000 + rng.below(31_536_000) as i64,
            ),
            path: format!("/{record_type}/{n}"),
            finder: None,
        };
        SynthDoc { doc, title, body }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_varied() {
        let c = Corpus::new(1);
        let a = c.doc(5);
        let b = c.doc(5);
        assert_eq!(a.doc, b.doc);
        assert_ne!(c.doc(6).title, a.title);
        let words: usize = (0..200).map(|i| c.doc(i).body.split(' ').count()).sum();
        assert!(words / 200 > 30);
        // Domain words occur, but are not everywhere.
        let hits = (0..2000)
            .filter(|i| c.doc(*i).body.contains("formación"))
            .count();
        assert!(hits > 5 && hits < 1000, "{hits}");
    }
}
