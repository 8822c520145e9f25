//! Event sessions as CSV (the demo series; import later): fixed columns,
//! `;`-separated channels, RFC 4180, UTF-8.

use crate::institutions_csv::LineError;
use faro_domain::events::Session;

pub const COLUMNS: [&str; 10] = [
    "id",
    "series",
    "number",
    "date",
    "title_es",
    "title_en",
    "title_pt",
    "original_language",
    "channels",
    "notes",
];

pub fn read(bytes: &[u8]) -> Result<Vec<Session>, Vec<LineError>> {
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
        let number = get("number");
        let s = Session {
            id: get("id"),
            series: get("series"),
            number: number.parse().unwrap_or(0),
            date: get("date"),
            title_es: get("title_es"),
            title_en: get("title_en"),
            title_pt: get("title_pt"),
            original_language: get("original_language"),
            channels: get("channels")
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            notes: get("notes"),
        };
        let errs = s.validate();
        if errs.is_empty() {
            out.push(s);
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

#[cfg(test)]
mod tests {
    #[test]
    fn bad_rows_are_reported_by_line() {
        let f = "id,series,number,date,title_es,title_en,title_pt,original_language,channels,notes\n\
                 vc-1,vc,1,2020-03-26,,T,,en,zoom,\n\
                 vc-2,vc,x,2020-13-01,,T,,en,zoom,\n";
        let errs = super::read(f.as_bytes()).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(errs.iter().all(|e| e.line == 3));
    }
}
