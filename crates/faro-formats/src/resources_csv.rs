//! The knowledge base's resources as CSV (demo data, import, export):
//! fixed columns, `;`-separated multi-values, RFC 4180, UTF-8.

use crate::institutions_csv::LineError;
use faro_domain::knowledge::Resource;
use faro_domain::observatory::Codebook;

pub const COLUMNS: [&str; 18] = [
    "id",
    "type",
    "institutions",
    "countries",
    "languages",
    "topics",
    "audience",
    "license",
    "published",
    "url",
    "title_es",
    "title_en",
    "title_pt",
    "description_es",
    "description_en",
    "description_pt",
    "original_language",
    "notes",
];

fn multi(v: &str) -> Vec<String> {
    v.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

pub fn read(bytes: &[u8], codebook: &Codebook) -> Result<Vec<Resource>, Vec<LineError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().from_reader(bytes);
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            return Err(vec![LineError {
                line: 1,
                message: format!("cannot read the header: {e}"),
            }]);
        }
    };
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(vec![LineError {
            line: 1,
            message: format!("missing columns: {}", missing.join(", ")),
        }]);
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| crate::institutions_csv::line_at(bytes, p.byte()))
                    .unwrap_or(0);
                errors.push(LineError {
                    line,
                    message: format!("malformed CSV: {e}"),
                });
                break;
            }
        };
        let line = rec
            .position()
            .map(|p| crate::institutions_csv::line_at(bytes, p.byte()))
            .unwrap_or(0);
        let get = |c: &str| {
            headers
                .iter()
                .position(|h| h == c)
                .and_then(|i| rec.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let r = Resource {
            id: get("id"),
            resource_type: get("type"),
            institutions: multi(&get("institutions")),
            countries: multi(&get("countries"))
                .into_iter()
                .map(|c| c.to_ascii_uppercase())
                .collect(),
            languages: multi(&get("languages")),
            topics: multi(&get("topics")),
            audience: multi(&get("audience")),
            license: get("license"),
            published: get("published"),
            url: get("url"),
            title_es: get("title_es"),
            title_en: get("title_en"),
            title_pt: get("title_pt"),
            description_es: get("description_es"),
            description_en: get("description_en"),
            description_pt: get("description_pt"),
            original_language: get("original_language"),
            notes: get("notes"),
        };
        let errs = r.validate(codebook);
        if errs.is_empty() {
            out.push(r);
        } else {
            errors.extend(errs.into_iter().map(|e| LineError {
                line,
                message: e.to_string(),
            }));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
