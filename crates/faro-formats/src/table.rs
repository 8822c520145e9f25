//! The CSV reading every fixed-column layout shares: a BOM is skipped, the
//! header must hold every required column and nothing unknown, each record
//! is parsed and validated by the layout, ids must be unique, and every
//! problem is reported with the 1-based line it starts on (right for CRLF
//! files too). All rows or the list of problems: never half a file.

use crate::institutions_csv::{LineError, Lines};
use faro_domain::FieldError;

/// Parses one record, read through a field getter, into a value and its errors.
pub type ParseFn<'a, T> = dyn Fn(&dyn Fn(&str) -> String) -> (T, Vec<FieldError>) + 'a;

/// A layout: its columns, which of them a file may leave out, and how one
/// record (read through a field getter) becomes a value and its errors.
pub struct Layout<'a, T> {
    pub columns: &'a [&'a str],
    pub optional: &'a [&'a str],
    pub parse: &'a ParseFn<'a, T>,
    /// The record's id, for the duplicate check.
    pub id: fn(&T) -> &str,
}

pub fn read<T>(bytes: &[u8], layout: &Layout<'_, T>) -> Result<Vec<T>, Vec<LineError>> {
    read_lines(bytes, layout).map(|rows| rows.into_iter().map(|(_, v)| v).collect())
}

/// [`read`], each value with the line its record starts on (layouts whose
/// records span several rows check them together afterwards).
pub fn read_lines<T>(
    bytes: &[u8],
    layout: &Layout<'_, T>,
) -> Result<Vec<(u64, T)>, Vec<LineError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().from_reader(bytes);
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            return Err(vec![LineError {
                line: 1,
                message: format!("cannot read the header: {e}"),
                field: None,
            }]);
        }
    };
    let mut problems = Vec::new();
    for c in layout.columns {
        if !headers.iter().any(|h| h == c) && !layout.optional.contains(c) {
            problems.push(format!("missing column {c:?}"));
        }
    }
    for h in &headers {
        if !layout.columns.contains(&h.as_str()) {
            problems.push(format!("unknown column {h:?}"));
        }
    }
    if !problems.is_empty() {
        return Err(vec![LineError {
            line: 1,
            message: format!(
                "{} (expected columns: {})",
                problems.join("; "),
                layout.columns.join(",")
            ),
            field: None,
        }]);
    }
    let mut lines = Lines::new(bytes);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| lines.at(p.byte())).unwrap_or(0);
                errors.push(LineError {
                    line,
                    message: format!("malformed CSV: {e}"),
                    field: None,
                });
                // A short or long row is one bad line; a broken quote ends
                // the file's readable part.
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
                continue;
            }
        };
        let line = rec.position().map(|p| lines.at(p.byte())).unwrap_or(0);
        let get = |c: &str| {
            headers
                .iter()
                .position(|h| h == c)
                .and_then(|i| rec.get(i))
                .unwrap_or("")
                .to_string()
        };
        let (value, errs) = (layout.parse)(&get);
        // (An empty id is reported by the layout's validation.)
        let id = (layout.id)(&value).to_string();
        if !id.is_empty() {
            if let Some(first) = seen.get(&id) {
                errors.push(LineError {
                    line,
                    message: format!("id {id:?} already used on line {first}"),
                    field: None,
                });
            } else {
                seen.insert(id, line);
            }
        }
        if errs.is_empty() {
            out.push((line, value));
        } else {
            errors.extend(errs.into_iter().map(|e| LineError {
                line,
                message: e.to_string(),
                field: Some(e),
            }));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
