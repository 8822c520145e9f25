//! Event sessions as CSV (the demo series; import later): fixed columns,
//! `;`-separated channels, RFC 4180, UTF-8.

use crate::institutions_csv::LineError;
use faro_domain::events::Session;

pub const COLUMNS: [&str; 24] = [
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
    "status",
    "start_time",
    "time_zone",
    "duration_minutes",
    "capacity",
    "topics",
    "description_es",
    "description_en",
    "description_pt",
    "facebook_url",
    "zoom_url",
    "zoom_meeting_id",
    "zoom_passcode",
    "sequence",
];

/// Columns added with registration (issue 12); optional on import, so the
/// first layout still reads. Join details (`zoom_*`) are never exported in
/// public files.
pub const OPTIONAL: [&str; 14] = [
    "status",
    "start_time",
    "time_zone",
    "duration_minutes",
    "capacity",
    "topics",
    "description_es",
    "description_en",
    "description_pt",
    "facebook_url",
    "zoom_url",
    "zoom_meeting_id",
    "zoom_passcode",
    "sequence",
];

/// Reads and validates a whole file: all rows or the list of bad lines.
pub fn read(bytes: &[u8]) -> Result<Vec<Session>, Vec<LineError>> {
    crate::table::read(
        bytes,
        &crate::table::Layout {
            columns: &COLUMNS,
            optional: &OPTIONAL,
            parse: &|get| {
                let get = |c: &str| get(c).trim().to_string();
                let s = Session {
                    id: get("id"),
                    series: get("series"),
                    number: get("number").parse().unwrap_or(0),
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
                    status: get("status"),
                    start_time: get("start_time"),
                    time_zone: get("time_zone"),
                    description_es: get("description_es"),
                    description_en: get("description_en"),
                    description_pt: get("description_pt"),
                    topics: get("topics")
                        .split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                    facebook_url: get("facebook_url"),
                    zoom_url: get("zoom_url"),
                    zoom_meeting_id: get("zoom_meeting_id"),
                    zoom_passcode: get("zoom_passcode"),
                    ..Session::default()
                };
                let mut s = s;
                let mut errs = Vec::new();
                match get("duration_minutes").as_str() {
                    "" => {}
                    v => match v.parse() {
                        Ok(n) => s.duration_minutes = n,
                        Err(_) => errs.push(faro_domain::FieldError::new(
                            "duration_minutes",
                            "not_a_number",
                            v,
                        )),
                    },
                }
                match get("capacity").as_str() {
                    "" => {}
                    v => match v.parse() {
                        Ok(n) => s.capacity = Some(n),
                        Err(_) => {
                            errs.push(faro_domain::FieldError::new("capacity", "not_a_number", v))
                        }
                    },
                }
                errs.extend(s.validate());
                (s, errs)
            },
            id: |s| &s.id,
        },
    )
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
