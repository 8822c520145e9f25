//! ISO 3166-1 alpha-2 countries with their names in es/en/pt.
//! The table is data (`data/countries.csv`, from the iso-codes project via
//! pycountry), compiled in so that validation needs no I/O.

use crate::Lang;
use std::sync::OnceLock;

#[derive(Debug, Clone)]
pub struct Country {
    pub code: String,
    pub name_en: String,
    pub name_es: String,
    pub name_pt: String,
}

impl Country {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.name_es,
            Lang::En => &self.name_en,
            Lang::Pt => &self.name_pt,
        }
    }
}

const RAW: &str = include_str!("../../../data/countries.csv");

fn table() -> &'static Vec<Country> {
    static TABLE: OnceLock<Vec<Country>> = OnceLock::new();
    TABLE.get_or_init(|| {
        RAW.lines()
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|line| {
                let f = split_csv_line(line);
                Country {
                    code: f[0].clone(),
                    name_en: f[1].clone(),
                    name_es: f[2].clone(),
                    name_pt: f[3].clone(),
                }
            })
            .collect()
    })
}

/// Minimal RFC 4180 field splitter for the one trusted, compiled-in table.
pub(crate) fn split_csv_line(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Looks a code up (upper case, as ISO writes it).
pub fn by_code(code: &str) -> Option<&'static Country> {
    table().iter().find(|c| c.code == code)
}

pub fn all() -> &'static [Country] {
    table()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_and_named() {
        assert_eq!(all().len(), 249);
        let br = by_code("BR").unwrap();
        assert_eq!(br.name(Lang::Es), "Brasil");
        assert_eq!(br.name(Lang::En), "Brazil");
        assert_eq!(by_code("DE").unwrap().name(Lang::Pt), "Alemanha");
        assert!(by_code("ZZ").is_none());
        assert!(by_code("br").is_none());
        assert_eq!(
            by_code("BQ").unwrap().name_en,
            "Bonaire, Sint Eustatius and Saba"
        );
    }
}
