//! The knowledge base's resources as CSV (demo data, import, export):
//! fixed columns, `;`-separated multi-values, RFC 4180, UTF-8.

use crate::institutions_csv::LineError;
use faro_domain::knowledge::Resource;
use faro_domain::observatory::Codebook;

pub const COLUMNS: [&str; 21] = [
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
    "identifiers",
    "related_measures",
    "related_sessions",
];

/// Columns a file may leave out (added after the first release of the layout).
const OPTIONAL: [&str; 3] = ["identifiers", "related_measures", "related_sessions"];

fn multi(v: &str) -> Vec<String> {
    v.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// A resource from named text fields (a CSV row or a web form): multi-values
/// `;`-separated, country codes upper-cased, everything trimmed.
pub fn from_fields(get: &dyn Fn(&str) -> String) -> Resource {
    let get = |c: &str| get(c).trim().to_string();
    Resource {
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
        identifiers: multi(&get("identifiers")),
        related_measures: multi(&get("related_measures")),
        related_sessions: multi(&get("related_sessions")),
    }
}

/// One resource as a row in [`COLUMNS`] order.
pub fn row(r: &Resource) -> Vec<String> {
    vec![
        r.id.clone(),
        r.resource_type.clone(),
        r.institutions.join(";"),
        r.countries.join(";"),
        r.languages.join(";"),
        r.topics.join(";"),
        r.audience.join(";"),
        r.license.clone(),
        r.published.clone(),
        r.url.clone(),
        r.title_es.clone(),
        r.title_en.clone(),
        r.title_pt.clone(),
        r.description_es.clone(),
        r.description_en.clone(),
        r.description_pt.clone(),
        r.original_language.clone(),
        r.notes.clone(),
        r.identifiers.join(";"),
        r.related_measures.join(";"),
        r.related_sessions.join(";"),
    ]
}

/// Resources as CSV (RFC 4180, CRLF, UTF-8), readable back by [`read`].
pub fn write<W: std::io::Write>(w: W, items: &[Resource]) -> csv::Result<()> {
    write_part(w, items, true)
}

/// One part of a file written in parts (a streamed download): the header
/// only in the first part.
pub fn write_part<W: std::io::Write>(w: W, items: &[Resource], header: bool) -> csv::Result<()> {
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

/// Reads and validates a whole file: all rows or the list of bad lines.
pub fn read(bytes: &[u8], codebook: &Codebook) -> Result<Vec<Resource>, Vec<LineError>> {
    crate::table::read(
        bytes,
        &crate::table::Layout {
            columns: &COLUMNS,
            optional: &OPTIONAL,
            parse: &|get| {
                let r = from_fields(get);
                let errs = r.validate(codebook);
                (r, errs)
            },
            id: |r| &r.id,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_resources_read_back_equal_and_old_files_still_read() {
        let cb = faro_domain::observatory::current();
        let r = Resource {
            id: "r-x".into(),
            resource_type: "report".into(),
            institutions: vec!["sena".into(), "ina".into()],
            title_en: "A \"quoted\", title\nwith a line".into(),
            original_language: "en".into(),
            identifiers: vec!["doi:10.1000/abc".into()],
            related_measures: vec!["m-sena-x".into()],
            related_sessions: vec!["vc2020-04".into()],
            license: "CC-BY-4.0".into(),
            ..Default::default()
        };
        let mut buf = Vec::new();
        write(&mut buf, std::slice::from_ref(&r)).unwrap();
        assert_eq!(read(&buf, cb).unwrap(), vec![r]);
        // A file in the first layout (no identifier/relation columns).
        let old = "id,type,institutions,countries,languages,topics,audience,license,published,url,title_es,title_en,title_pt,description_es,description_en,description_pt,original_language,notes\r\nr-y,report,,,,,,,,,,T,,,,,en,\r\n";
        let got = read(old.as_bytes(), cb).unwrap();
        assert!(got[0].identifiers.is_empty());
        // The same id twice, and an unknown column, are refused.
        let twice = format!("{old}r-y,report,,,,,,,,,,T2,,,,,en,\r\n");
        let errs = read(twice.as_bytes(), cb).unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "line 3: id \"r-y\" already used on line 2"
        );
        let extra = old.replacen("notes\r\n", "notes,colour\r\n", 1);
        assert!(
            read(extra.as_bytes(), cb).unwrap_err()[0]
                .message
                .contains("unknown column \"colour\"")
        );
        let bad = old.replace("r-y,report", "r-y,pamphlet");
        let errs = read(bad.as_bytes(), cb).unwrap_err();
        assert_eq!(errs[0].line, 2);
    }
}
