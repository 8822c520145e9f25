//! Writing XLSX workbooks, sheet after sheet and row after row, into any
//! seekable writer (a temporary file for downloads), so memory holds one
//! row, not the workbook. Cells are inline strings or numbers: no shared
//! strings table, no formulas (a text cell is never evaluated, so values
//! need no formula neutralising here). The ZIP container is the `zip`
//! crate's, already used to read XLSX through calamine.

use std::io::{Seek, Write};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

pub enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Empty,
}

pub struct Workbook<W: Write + Seek> {
    zip: ZipWriter<W>,
    sheets: Vec<String>,
    open: bool,
    row: u32,
}

fn zerr(e: zip::result::ZipError) -> std::io::Error {
    std::io::Error::other(e)
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`,
/// unique in the workbook.
fn sheet_name(name: &str, taken: &[String]) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let base = if clean.trim().is_empty() {
        "Sheet".to_string()
    } else {
        clean
    };
    let mut n = 1;
    let mut out = base.clone();
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&out)) {
        n += 1;
        let suffix = format!(" ({n})");
        let keep: String = base.chars().take(31 - suffix.len()).collect();
        out = format!("{keep}{suffix}");
    }
    out
}

/// `A`, `B`, …, `Z`, `AA`, … for a zero-based column.
pub fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Text as XML character data, dropping characters XML 1.0 cannot hold.
fn xml_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

impl<W: Write + Seek> Workbook<W> {
    pub fn new(w: W) -> Self {
        Workbook {
            zip: ZipWriter::new(w),
            sheets: Vec::new(),
            open: false,
            row: 0,
        }
    }

    fn options() -> SimpleFileOptions {
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
    }

    fn close_sheet(&mut self) -> std::io::Result<()> {
        if self.open {
            self.zip.write_all(b"</sheetData></worksheet>")?;
            self.open = false;
        }
        Ok(())
    }

    /// Starts a new sheet; rows written next go to it.
    pub fn sheet(&mut self, name: &str) -> std::io::Result<()> {
        self.close_sheet()?;
        let name = sheet_name(name, &self.sheets);
        self.sheets.push(name);
        self.zip
            .start_file(
                format!("xl/worksheets/sheet{}.xml", self.sheets.len()),
                Self::options(),
            )
            .map_err(zerr)?;
        self.zip.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
              <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
        )?;
        self.open = true;
        self.row = 0;
        Ok(())
    }

    /// Appends a row to the current sheet.
    pub fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        if !self.open {
            self.sheet("Sheet")?;
        }
        self.row += 1;
        let r = self.row;
        let mut x = format!("<row r=\"{r}\">");
        for (i, c) in cells.iter().enumerate() {
            let at = format!("{}{r}", column_letters(i));
            match c {
                Cell::Empty => {}
                Cell::Number(n) if n.is_finite() => {
                    x.push_str(&format!("<c r=\"{at}\"><v>{n}</v></c>"));
                }
                Cell::Number(_) => {}
                Cell::Text("") => {}
                Cell::Text(t) => {
                    x.push_str(&format!(
                        "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                    ));
                    xml_text(t, &mut x);
                    x.push_str("</t></is></c>");
                }
            }
        }
        x.push_str("</row>");
        self.zip.write_all(x.as_bytes())
    }

    /// Writes the workbook's parts and returns the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        if self.sheets.is_empty() {
            self.sheet("Sheet")?;
        }
        self.close_sheet()?;
        let n = self.sheets.len();
        let o = Self::options();
        let mut types = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
        );
        for i in 1..=n {
            types.push_str(&format!(
                "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            ));
        }
        types.push_str("</Types>");
        self.zip
            .start_file("[Content_Types].xml", o)
            .map_err(zerr)?;
        self.zip.write_all(types.as_bytes())?;
        self.zip.start_file("_rels/.rels", o).map_err(zerr)?;
        self.zip.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
              <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
              <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
              </Relationships>",
        )?;
        let mut wb = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
             xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>",
        );
        let mut rels = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
        );
        for (i, name) in self.sheets.iter().enumerate() {
            let k = i + 1;
            let mut esc = String::new();
            xml_text(name, &mut esc);
            wb.push_str(&format!(
                "<sheet name=\"{esc}\" sheetId=\"{k}\" r:id=\"rId{k}\"/>"
            ));
            rels.push_str(&format!(
                "<Relationship Id=\"rId{k}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{k}.xml\"/>"
            ));
        }
        wb.push_str("</sheets></workbook>");
        rels.push_str(&format!(
            "<Relationship Id=\"rId{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>",
            n + 1
        ));
        self.zip.start_file("xl/workbook.xml", o).map_err(zerr)?;
        self.zip.write_all(wb.as_bytes())?;
        self.zip
            .start_file("xl/_rels/workbook.xml.rels", o)
            .map_err(zerr)?;
        self.zip.write_all(rels.as_bytes())?;
        self.zip.start_file("xl/styles.xml", o).map_err(zerr)?;
        self.zip.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
              <styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
              <fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
              <fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
              <borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
              <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
              <cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/></cellXfs>\
              </styleSheet>",
        )?;
        self.zip.finish().map_err(zerr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn names_are_made_acceptable_and_unique() {
        let taken = vec!["responses".to_string()];
        assert_eq!(sheet_name("Responses", &taken), "Responses (2)");
        assert_eq!(sheet_name("a/b:c", &[]), "a_b_c");
        assert_eq!(sheet_name(&"x".repeat(40), &[]).chars().count(), 31);
    }

    /// What we write, calamine (someone else's reader) reads back.
    #[test]
    fn calamine_reads_what_we_write() {
        let mut wb = Workbook::new(std::io::Cursor::new(Vec::new()));
        wb.sheet("responses").unwrap();
        wb.row(&[Cell::Text("_id"), Cell::Text("name <&>")])
            .unwrap();
        wb.row(&[Cell::Number(7.0), Cell::Text("=1+1 \u{1} ñ")])
            .unwrap();
        wb.sheet("repeat").unwrap();
        wb.row(&[Cell::Empty, Cell::Text("b")]).unwrap();
        let bytes = wb.finish().unwrap().into_inner();
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(x.sheet_names(), vec!["responses", "repeat"]);
        let r = x.worksheet_range("responses").unwrap();
        let rows: Vec<Vec<Data>> = r.rows().map(|r| r.to_vec()).collect();
        assert_eq!(rows[0][1], Data::String("name <&>".into()));
        assert_eq!(rows[1][0], Data::Float(7.0));
        assert_eq!(rows[1][1], Data::String("=1+1  ñ".into()));
        let r = x.worksheet_range("repeat").unwrap();
        assert_eq!(r.get_value((0, 1)), Some(&Data::String("b".into())));
    }
}
