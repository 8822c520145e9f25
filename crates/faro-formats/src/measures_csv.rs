//! The measures CSV: one row per measure, fixed columns whose names equal
//! the JSON keys of the API, multi-values `;`-separated, RFC 4180, UTF-8.
//! Used for `/data/measures.csv`, the demo data and `faro import measures`.

use crate::institutions_csv::LineError;
use faro_domain::observatory::{Codebook, Measure};

pub const COLUMNS: [&str; 28] = [
    "id",
    "institution",
    "country",
    "crisis",
    "categories",
    "log_type",
    "announced_date",
    "start_date",
    "end_date",
    "target_groups",
    "scope_level",
    "scope_targeting",
    "original_language",
    "title_es",
    "title_en",
    "title_pt",
    "description_es",
    "description_en",
    "description_pt",
    "source_url",
    "source_type",
    "source_title",
    "source_accessed",
    "status",
    "notes",
    "entered_by",
    "reviewed_by",
    "last_reviewed",
];

/// Columns a file may leave out (filled by the site).
const OPTIONAL: [&str; 3] = ["entered_by", "reviewed_by", "last_reviewed"];

fn multi(v: &str) -> Vec<String> {
    v.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// A measure from named values (a CSV row or a web form); not validated.
pub fn from_fields(get: &dyn Fn(&str) -> String) -> Measure {
    let get = |c: &str| get(c).trim().to_string();
    let country = get("country").to_ascii_uppercase();
    Measure {
        id: get("id"),
        institution: get("institution"),
        country: Some(country).filter(|c| !c.is_empty()),
        crisis: get("crisis"),
        categories: multi(&get("categories")),
        log_type: get("log_type"),
        announced_date: get("announced_date"),
        start_date: get("start_date"),
        end_date: get("end_date"),
        target_groups: multi(&get("target_groups")),
        scope_level: get("scope_level"),
        scope_targeting: get("scope_targeting"),
        original_language: get("original_language"),
        title_es: get("title_es"),
        title_en: get("title_en"),
        title_pt: get("title_pt"),
        description_es: get("description_es"),
        description_en: get("description_en"),
        description_pt: get("description_pt"),
        source_url: get("source_url"),
        source_type: get("source_type"),
        source_title: get("source_title"),
        source_accessed: get("source_accessed"),
        status: get("status"),
        notes: get("notes"),
        entered_by: get("entered_by"),
        reviewed_by: get("reviewed_by"),
        last_reviewed: get("last_reviewed"),
    }
}

/// Reads and validates a whole file: all rows or the list of bad lines.
pub fn read(bytes: &[u8], codebook: &Codebook) -> Result<Vec<Measure>, Vec<LineError>> {
    crate::table::read(
        bytes,
        &crate::table::Layout {
            columns: &COLUMNS,
            optional: &OPTIONAL,
            parse: &|get| {
                let m = from_fields(get);
                let errs = m.validate(codebook);
                (m, errs)
            },
            id: |m| &m.id,
        },
    )
}

/// One row's values, in column order.
pub fn row(m: &Measure) -> Vec<String> {
    vec![
        m.id.clone(),
        m.institution.clone(),
        m.country.clone().unwrap_or_default(),
        m.crisis.clone(),
        m.categories.join(";"),
        m.log_type.clone(),
        m.announced_date.clone(),
        m.start_date.clone(),
        m.end_date.clone(),
        m.target_groups.join(";"),
        m.scope_level.clone(),
        m.scope_targeting.clone(),
        m.original_language.clone(),
        m.title_es.clone(),
        m.title_en.clone(),
        m.title_pt.clone(),
        m.description_es.clone(),
        m.description_en.clone(),
        m.description_pt.clone(),
        m.source_url.clone(),
        m.source_type.clone(),
        m.source_title.clone(),
        m.source_accessed.clone(),
        m.status.clone(),
        m.notes.clone(),
        m.entered_by.clone(),
        m.reviewed_by.clone(),
        m.last_reviewed.clone(),
    ]
}

pub fn write<W: std::io::Write>(w: W, items: &[Measure]) -> csv::Result<()> {
    write_part(w, items, true)
}

/// One part of a file written in parts (a streamed download): the header
/// only in the first part.
pub fn write_part<W: std::io::Write>(w: W, items: &[Measure], header: bool) -> csv::Result<()> {
    let mut wtr = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    if header {
        wtr.write_record(COLUMNS)?;
    }
    for x in items {
        wtr.write_record(crate::table::neutralised(row(x)))?;
    }
    wtr.flush()?;
    Ok(())
}

/// `m` with one column set to `value` (same parsing and validation as a
/// file row). Used to apply an accepted correction.
pub fn with_field(
    m: &Measure,
    column: &str,
    value: &str,
    codebook: &Codebook,
) -> Result<Measure, Vec<LineError>> {
    let Some(i) = COLUMNS.iter().position(|c| *c == column) else {
        return Err(vec![LineError {
            line: 0,
            message: format!("unknown column {column:?}"),
            field: None,
        }]);
    };
    if column == "id" {
        return Err(vec![LineError {
            line: 0,
            message: "the id cannot be changed".into(),
            field: None,
        }]);
    }
    let mut row = row(m);
    row[i] = value.to_string();
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(COLUMNS);
    let _ = w.write_record(crate::table::neutralised(&row));
    let bytes = w.into_inner().unwrap_or_default();
    let mut items = read(&bytes, codebook)?;
    Ok(items.remove(0))
}
