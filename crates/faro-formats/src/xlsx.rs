//! Spreadsheets (XLSX) in the same layout as a CSV file: the first sheet is
//! turned into CSV and read by the CSV reader, so both formats share one set
//! of rules and error messages (row N of the sheet is line N).

use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// XLSX files are ZIP archives: they start with `PK\x03\x04`.
pub fn looks_like_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Runs a calamine read, turning a panic inside the reader into an error.
/// calamine trusts some numbers in the file (a cell reference such as
/// `A99999999999` overflows a multiplication), so a damaged or hostile
/// workbook must not take the request down with it.
pub(crate) fn guarded<T>(read: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or_else(|_| Err("the workbook is damaged and cannot be read".to_string()))
}

/// The first sheet as CSV bytes.
pub fn first_sheet_as_csv(bytes: &[u8]) -> Result<Vec<u8>, String> {
    guarded(|| read_first_sheet(bytes))
}

fn read_first_sheet(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut wb: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not a readable XLSX file: {e}"))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| "the workbook has no sheet".to_string())?
        .map_err(|e| format!("cannot read the first sheet: {e}"))?;
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    for row in range.rows() {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Data::Empty => String::new(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                other => other.to_string(),
            })
            .collect();
        w.write_record(&cells).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}
