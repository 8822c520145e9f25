//! Property tests (issue 17, item 12) of every reader here that takes
//! outside input: the CSV layouts, XLSX, the Zoom reports, XLSForm
//! workbooks and their expression language, OAI-PMH dates and resumption
//! tokens. None may panic on any input, and where a writer exists what it
//! writes reads back the same.
//!
//! A short run by default (64 cases a property, a few seconds in all);
//! a long one: `PROPTEST_CASES=20000 cargo test -p faro-formats --test fuzz --release`.
//! Failures found are kept in `proptest-regressions/fuzz.txt` (commit it:
//! they are replayed first on every run).

use faro_formats::{
    courses_csv, institutions_csv, measures_csv, oai_pmh, resources_csv, sessions_csv, table,
    xlsform, xlsform_expr, xlsx, zoom,
};
use proptest::prelude::*;

const INSTITUTIONS: &[u8] = include_bytes!("../../../data/demo/institutions.csv");
const MEASURES: &[u8] = include_bytes!("../../../data/demo/measures.csv");
const RESOURCES: &[u8] = include_bytes!("../../../data/demo/resources.csv");
const SESSIONS: &[u8] = include_bytes!("../../../data/demo/sessions.csv");
const COURSES: &[u8] = include_bytes!("../../../data/demo/courses.csv");
const SURVEY: &[u8] = include_bytes!("../../../data/demo/surveys/member-survey-2020.xlsx");
const ZOOM_MEETING: &[u8] = include_bytes!("../../../tests/data/zoom/participants_meeting.csv");
const ZOOM_WEBINAR: &[u8] = include_bytes!("../../../tests/data/zoom/webinar_attendees.csv");

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        // Shrinking a failure must not take the CI run's minute.
        max_shrink_iters: 2000,
        ..ProptestConfig::default()
    }
}

/// Text as people and tools produce it: any Unicode, with the characters
/// CSV and spreadsheets care about often.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[=+@\\-\t\r\n\",;' a-zA-Záéíóúñç€]{0,40}",
        "(\"|'|=|\\+|-|@|\t|\r|\n)*[a-z ]{0,10}",
    ]
}

/// A demo file with one cell of one line replaced, or arbitrary lines
/// inserted: CSV that mostly parses, so the layouts' checks are reached.
fn mutated_csv(base: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    let lines: Vec<String> = String::from_utf8_lossy(base)
        .lines()
        .map(String::from)
        .collect();
    let n = lines.len();
    (0..n, 0usize..20, text(), any::<bool>()).prop_map(move |(line, col, value, insert)| {
        let mut lines = lines.clone();
        if insert {
            lines.insert(line, value);
        } else {
            let mut cells: Vec<String> = lines[line].split(',').map(String::from).collect();
            let c = col % cells.len().max(1);
            if c < cells.len() {
                cells[c] = value;
            }
            lines[line] = cells.join(",");
        }
        lines.join("\n").into_bytes()
    })
}

fn mutated_bytes(base: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec((0..base.len(), any::<u8>()), 1..8).prop_map(move |flips| {
        let mut b = base.to_vec();
        for (i, v) in flips {
            b[i] = v;
        }
        b
    })
}

fn tz() -> chrono_tz::Tz {
    "America/Montevideo".parse().unwrap()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn csv_layouts_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let cb = faro_domain::observatory::current();
        let _ = institutions_csv::read(&bytes);
        let _ = measures_csv::read(&bytes, cb);
        let _ = resources_csv::read(&bytes, cb);
        let _ = sessions_csv::read(&bytes);
        let _ = courses_csv::read(&bytes, cb);
    }

    #[test]
    fn csv_layouts_never_panic_on_nearly_right_files(
        i in mutated_csv(INSTITUTIONS),
        m in mutated_csv(MEASURES),
        r in mutated_csv(RESOURCES),
        s in mutated_csv(SESSIONS),
        c in mutated_csv(COURSES),
    ) {
        let cb = faro_domain::observatory::current();
        let _ = institutions_csv::read(&i);
        let _ = measures_csv::read(&m, cb);
        let _ = resources_csv::read(&r, cb);
        let _ = sessions_csv::read(&s);
        let _ = courses_csv::read(&c, cb);
    }

    /// Formula neutralisation is reversible: what a download writes, the
    /// reader gives back.
    #[test]
    fn neutralised_cells_restore_exactly(s in text()) {
        let n = table::neutralise(&s);
        prop_assert_eq!(table::restore(&n), s.as_str());
    }

    /// Any text in a measure's free fields survives write → read.
    #[test]
    fn measures_round_trip(title in text(), notes in text(), source in text()) {
        let cb = faro_domain::observatory::current();
        let mut items = measures_csv::read(MEASURES, cb).unwrap();
        items.truncate(3);
        items[0].title_en = title.trim().to_string();
        items[0].notes = notes.trim().to_string();
        items[1].source_title = source.trim().to_string();
        let mut out = Vec::new();
        measures_csv::write(&mut out, &items).unwrap();
        match measures_csv::read(&out, cb) {
            Ok(back) => prop_assert_eq!(back, items),
            // Text the layout refuses on import (e.g. a control character)
            // is refused with a line, never mangled.
            Err(errs) => prop_assert!(!errs.is_empty()),
        }
    }

    #[test]
    fn institutions_round_trip(note in text(), name in text()) {
        let mut items = institutions_csv::read(INSTITUTIONS).unwrap();
        items.truncate(3);
        let note = note.trim().to_string();
        items[0].note = (!note.is_empty()).then_some(note);
        let name = name.trim().to_string();
        if !name.is_empty() {
            items[1].name_en = name;
        }
        let mut out = Vec::new();
        institutions_csv::write(&mut out, &items).unwrap();
        match institutions_csv::read(&out) {
            Ok(back) => prop_assert_eq!(back, items),
            Err(errs) => prop_assert!(!errs.is_empty()),
        }
    }

    #[test]
    fn resources_round_trip(title in text(), description in text()) {
        let cb = faro_domain::observatory::current();
        let mut items = resources_csv::read(RESOURCES, cb).unwrap();
        items.truncate(3);
        items[0].title_en = title.trim().to_string();
        items[0].description_en = description.trim().to_string();
        let mut out = Vec::new();
        resources_csv::write(&mut out, &items).unwrap();
        match resources_csv::read(&out, cb) {
            Ok(back) => prop_assert_eq!(back, items),
            Err(errs) => prop_assert!(!errs.is_empty()),
        }
    }

    #[test]
    fn xlsx_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&bytes);
        let _ = xlsx::first_sheet_as_csv(&bytes);
        let _ = xlsx::first_sheet_as_csv(&zip);
        let _ = xlsform::read(&zip, "fuzz");
    }

    #[test]
    fn xlsx_and_xlsform_readers_never_panic_on_damaged_workbooks(b in mutated_bytes(SURVEY)) {
        let _ = xlsx::first_sheet_as_csv(&b);
        let _ = xlsform::read(&b, "fuzz");
    }

    #[test]
    fn zoom_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = zoom::read(&bytes, tz());
        let _ = zoom::decode(&bytes);
    }

    #[test]
    fn zoom_reader_never_panics_on_nearly_right_reports(
        m in mutated_csv(ZOOM_MEETING),
        w in mutated_csv(ZOOM_WEBINAR),
        t in text(),
    ) {
        let _ = zoom::read(&m, tz());
        let _ = zoom::read(&w, tz());
        let _ = zoom::parse_time(&t, tz());
        // UTF-16 as Zoom writes it on Windows.
        let mut utf16 = vec![0xFF, 0xFE];
        for u in String::from_utf8_lossy(&m).encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let _ = zoom::read(&utf16, tz());
    }

    #[test]
    fn expressions_never_panic(src in prop_oneof![
        any::<String>(),
        "[-+*/=<>!()., ${}a-z0-9'\"]{0,40}",
    ]) {
        if let Ok(e) = xlsform_expr::parse(&src) {
            // What parses writes back as text that parses to the same tree.
            let again = xlsform_expr::parse(&e.to_text());
            prop_assert_eq!(again.as_ref(), Ok(&e), "{} -> {}", src, e.to_text());
        }
    }

    #[test]
    fn generated_expressions_round_trip(src in expression()) {
        let e = xlsform_expr::parse(&src);
        prop_assert!(e.is_ok(), "{}: {:?}", src, e);
        let e = e.unwrap();
        prop_assert_eq!(xlsform_expr::parse(&e.to_text()), Ok(e.clone()), "{}", src);
    }

    #[test]
    fn oai_dates_and_tokens_never_panic(s in any::<String>(), h in "[0-9a-fA-F]{0,80}") {
        let _ = oai_pmh::parse_date(&s, true);
        let _ = oai_pmh::parse_date(&s, false);
        let _ = oai_pmh::ListQuery::from_token(&s);
        let _ = oai_pmh::ListQuery::from_token(&h);
        let _ = oai_pmh::unhex(&s);
    }

    /// A token carries exactly what it was made from.
    #[test]
    fn oai_tokens_round_trip(
        set in "[^\n]{0,30}",
        from in "[^\n]{0,20}",
        until in "[^\n]{0,20}",
        id in "[^\n]{0,30}",
        secs in 0i64..4_000_000_000,
        sent in any::<u64>(),
    ) {
        let stamp = oai_pmh::stamp(chrono::DateTime::from_timestamp(secs, 0).unwrap());
        let q = oai_pmh::ListQuery { set: set.clone(), from: from.clone(), until: until.clone(), after: None };
        let t = q.token(&stamp, &id, sent);
        let back = oai_pmh::ListQuery::from_token(&t);
        prop_assert!(back.is_some(), "{}", t);
        let back = back.unwrap();
        prop_assert_eq!((back.set, back.from, back.until), (set, from, until));
        prop_assert_eq!(back.after, Some((stamp, id, sent)));
    }

    #[test]
    fn hex_round_trips(s in any::<String>()) {
        let h = oai_pmh::hex(&s);
        if h.len() <= 2000 {
            prop_assert_eq!(oai_pmh::unhex(&h), Some(s));
        }
    }
}

/// Expressions of the XLSForm language, built from its grammar.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[0-9]{1,4}(\\.[0-9]{1,2})?",
        "'[a-z ]{0,8}'",
        "\\$\\{[a-z][a-z0-9_]{0,8}\\}",
        Just(".".to_string()),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec![
                    "+", "-", "*", "div", "mod", "=", "!=", "<", "<=", ">", ">=", "and", "or",
                ]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.clone().prop_map(|a| format!("-{a}")),
            inner.clone().prop_map(|a| format!("not({a})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("concat({a}, {b})")),
            (inner.clone(), inner.clone(), inner)
                .prop_map(|(a, b, c)| format!("if({a}, {b}, {c})")),
        ]
    })
}

/// The survey workbook with its first cell reference replaced: a column of
/// twelve letters overflows calamine's arithmetic (found by the fuzzer in CI).
fn workbook_with_cell_reference(reference: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(SURVEY)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut body = Vec::new();
        entry.read_to_end(&mut body).unwrap();
        if name.starts_with("xl/worksheets/") {
            let text = String::from_utf8(body).unwrap();
            body = text
                .replacen("<c r=\"A1\"", &format!("<c r=\"{reference}\""), 1)
                .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&body).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn an_overflowing_cell_reference_is_an_error_not_a_panic() {
    let damaged = workbook_with_cell_reference("AAAAAAAAAAAA1");
    let err = xlsx::first_sheet_as_csv(&damaged).unwrap_err();
    assert!(err.contains("damaged"), "{err}");
    let problems = xlsform::read(&damaged, "fuzz").unwrap_err();
    assert!(
        problems.iter().any(|p| p.message.contains("damaged")),
        "{problems:?}"
    );
    // The same file with a plain reference still reads.
    let plain = workbook_with_cell_reference("A1");
    assert!(xlsx::first_sheet_as_csv(&plain).is_ok());
    assert!(xlsform::read(&plain, "fuzz").is_ok());
}
