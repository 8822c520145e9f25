//! The institutions CSV: RFC 4180, UTF-8, a fixed header (`COLUMNS`).
//! The same layout is used by the demonstration data, `faro import`,
//! `faro export` and the web downloads, so a file exported can be imported.

use faro_domain::{FieldError, Institution, InstitutionKind};

pub const COLUMNS: [&str; 15] = [
    "id",
    "acronym",
    "name_es",
    "name_en",
    "name_pt",
    "country",
    "kind",
    "member",
    "presenter",
    "website",
    "note",
    "description_es",
    "description_en",
    "description_pt",
    "contact_email",
];

/// Columns that may be absent from a file (older layouts, the demo file).
const OPTIONAL: [&str; 6] = [
    "website",
    "note",
    "description_es",
    "description_en",
    "description_pt",
    "contact_email",
];

/// One problem in an input file, with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    /// In English, for the CLI and logs.
    pub message: String,
    /// The field problem behind the message, when it is one: pages say it
    /// in the reader's language (field label + `err-field-{code}`).
    pub field: Option<faro_domain::FieldError>,
}

impl LineError {
    pub fn new(line: u64, message: impl Into<String>) -> Self {
        LineError {
            line,
            message: message.into(),
            field: None,
        }
    }
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn parse_bool(field: &'static str, v: &str, errs: &mut Vec<FieldError>) -> bool {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => true,
        "false" | "0" | "no" | "" => false,
        _ => {
            errs.push(FieldError::new(field, "invalid_bool", v));
            false
        }
    }
}

/// The 1-based line holding byte `offset`. (The csv crate's own line counter
/// is off by one on CRLF files, which is what spreadsheets write.)
/// Line numbers of increasing byte offsets, counted incrementally: reading
/// a file costs one pass over it, not one pass per record.
pub(crate) struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            pos: 0,
            line: 1,
        }
    }

    /// The 1-based line a record starting at `offset` is on.
    pub(crate) fn at(&mut self, offset: u64) -> u64 {
        let bytes = self.bytes;
        let mut end = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        // With CRLF the reported start can sit on the previous line's '\n'.
        while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
            end += 1;
        }
        if end < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += bytes[self.pos..end].iter().filter(|&&b| b == b'\n').count() as u64;
        self.pos = end;
        self.line
    }
}

/// Reads and validates a whole file. Either every row is good and all are
/// returned, or the list of every bad line is returned and nothing else.
pub fn read(bytes: &[u8]) -> Result<Vec<Institution>, Vec<LineError>> {
    crate::table::read(
        bytes,
        &crate::table::Layout {
            columns: &COLUMNS,
            optional: &OPTIONAL,
            parse: &|get| {
                let mut errs = Vec::new();
                let kind_raw = get("kind");
                let kind = InstitutionKind::from_code(kind_raw.trim()).unwrap_or_else(|| {
                    errs.push(FieldError::new("kind", "unknown_kind", &kind_raw));
                    InstitutionKind::Other
                });
                let opt = |v: String| if v.trim().is_empty() { None } else { Some(v) };
                let mut inst = Institution {
                    id: get("id"),
                    acronym: get("acronym"),
                    name_es: get("name_es"),
                    name_en: get("name_en"),
                    name_pt: get("name_pt"),
                    country: opt(get("country")),
                    kind,
                    member: parse_bool("member", &get("member"), &mut errs),
                    presenter: parse_bool("presenter", &get("presenter"), &mut errs),
                    website: opt(get("website")),
                    note: opt(get("note")),
                    description_es: opt(get("description_es")),
                    description_en: opt(get("description_en")),
                    description_pt: opt(get("description_pt")),
                    contact_email: opt(get("contact_email")),
                };
                inst.normalize();
                errs.extend(inst.validate());
                (inst, errs)
            },
            id: |i| &i.id,
        },
    )
}

/// Writes institutions in the fixed layout, in the order given.
pub fn write<W: std::io::Write>(w: W, items: &[Institution]) -> csv::Result<()> {
    let mut wtr = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    wtr.write_record(COLUMNS)?;
    for i in items {
        wtr.write_record(crate::table::neutralised([
            i.id.as_str(),
            &i.acronym,
            &i.name_es,
            &i.name_en,
            &i.name_pt,
            i.country.as_deref().unwrap_or(""),
            i.kind.code(),
            if i.member { "true" } else { "false" },
            if i.presenter { "true" } else { "false" },
            i.website.as_deref().unwrap_or(""),
            i.note.as_deref().unwrap_or(""),
            i.description_es.as_deref().unwrap_or(""),
            i.description_en.as_deref().unwrap_or(""),
            i.description_pt.as_deref().unwrap_or(""),
            i.contact_email.as_deref().unwrap_or(""),
        ]))?;
    }
    wtr.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "id,acronym,name_es,name_en,name_pt,country,kind,member,presenter,note\r\n\
sena,SENA,,\"National Learning Service\",,CO,training_institution,true,true,\r\n\
iefp-pt,IEFP,,,\"Instituto do Emprego e Formação Profissional\",PT,training_institution,true,false,\"A note, with a comma\"\r\n";

    #[test]
    fn reads_and_round_trips() {
        let items = read(GOOD.as_bytes()).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].note.as_deref(), Some("A note, with a comma"));
        let mut buf = Vec::new();
        write(&mut buf, &items).unwrap();
        assert_eq!(read(&buf).unwrap(), items);
    }

    #[test]
    fn reports_every_bad_line() {
        let bad = "id,acronym,name_es,name_en,name_pt,country,kind,member,presenter\n\
ok,OK,,Ok,,UY,other,true,false\n\
Bad Id,X,,,,ZZ,other,maybe,false\n\
ok,DUP,,,,UY,nonsense,true,false\n";
        let errs = read(bad.as_bytes()).unwrap_err();
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert!(text.iter().any(|t| t.starts_with("line 3: id")), "{text:?}");
        assert!(
            text.iter().any(|t| t.contains("line 3: country")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("line 3: member")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("line 4: id \"ok\" already used on line 2"))
        );
        assert!(text.iter().any(|t| t.contains("line 4: kind")));
    }

    #[test]
    fn rejects_wrong_header_and_ragged_rows() {
        let errs = read(b"foo,bar\n1,2\n").unwrap_err();
        assert_eq!(errs[0].line, 1);
        assert!(errs[0].message.contains("missing column \"id\""));
        let ragged = "id,acronym,name_es,name_en,name_pt,country,kind,member,presenter\nx,X\n";
        let errs = read(ragged.as_bytes()).unwrap_err();
        assert_eq!(errs[0].line, 2);
        assert!(read(&[0xff, 0xfe, 0x00]).is_err());
        // Line numbers are right with CRLF line ends too.
        let crlf = "id,acronym,name_es,name_en,name_pt,country,kind,member,presenter\r\n\
ok,OK,,Ok,,UY,other,true,false\r\n\
bad,X,,,,ZZ,other,true,false\r\n";
        assert_eq!(read(crlf.as_bytes()).unwrap_err()[0].line, 3);
    }
}
