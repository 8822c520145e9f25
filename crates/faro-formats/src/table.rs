//! The CSV reading every fixed-column layout shares: a BOM is skipped, the
//! header must hold every required column and nothing unknown, each record
//! is parsed and validated by the layout, ids must be unique, and every
//! problem is reported with the 1-based line it starts on (right for CRLF
//! files too). All rows or the list of problems: never half a file.

use crate::institutions_csv::{LineError, Lines};
use faro_domain::FieldError;
use std::borrow::Cow;

/// What makes a spreadsheet read a cell as a formula (OWASP "CSV
/// Injection"): `=`, `+`, `-`, `@`, a tab or a carriage return first.
pub const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn formula_like(v: &str) -> bool {
    v.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// A cell of a CSV file meant for people: a value that a spreadsheet would
/// run as a formula gets a leading `'` (OWASP's advice), so it shows as
/// text. Values that already start with quotes before such a character get
/// one more, which keeps the change reversible: [`restore`] undoes it
/// exactly, for every value.
pub fn neutralise(v: &str) -> Cow<'_, str> {
    if formula_like(v) {
        Cow::Owned(format!("'{v}"))
    } else {
        Cow::Borrowed(v)
    }
}

/// The value [`neutralise`] was given: one leading `'` dropped from a cell
/// that is quotes followed by a formula character; every other cell as is.
pub fn restore(v: &str) -> &str {
    match v.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => v,
    }
}

/// A record's cells through [`neutralise`].
pub fn neutralised<I, S>(cells: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    cells
        .into_iter()
        .map(|c| neutralise(c.as_ref()).into_owned())
        .collect()
}

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
                .map(restore)
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

#[cfg(test)]
mod tests {
    use super::{neutralise, restore};

    #[test]
    fn formula_cells_are_neutralised_and_restored_exactly() {
        for (v, out) in [
            (
                "=HYPERLINK(\"http://evil.example\",\"x\")",
                "'=HYPERLINK(\"http://evil.example\",\"x\")",
            ),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("''@x", "'''@x"),
            ("plain", "plain"),
            ("'quoted", "'quoted"),
            ("", ""),
            ("a=b", "a=b"),
            ("'", "'"),
        ] {
            assert_eq!(neutralise(v), out, "{v:?}");
            assert_eq!(restore(&neutralise(v)), v, "{v:?}");
        }
        // Files written before the neutralisation read as they did.
        assert_eq!(restore("'quoted"), "'quoted");
        assert_eq!(restore("=x"), "=x");
    }
}
