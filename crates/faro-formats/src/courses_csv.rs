//! The course finder's layout (import, `/data/courses.csv`, demo data): one
//! row per run, the course's columns repeated on each of its rows; a course
//! with no run yet is one row with empty run columns. RFC 4180, UTF-8,
//! `;`-separated multi-values, `true`/`false` flags (empty is false), empty
//! numbers are "not given". The JSON keys of the API are these column names.

use crate::institutions_csv::LineError;
use faro_domain::FieldError;
use faro_domain::courses::{Course, CourseRun};
use faro_domain::observatory::Codebook;

/// The course's columns, then the run's.
pub const COLUMNS: [&str; 35] = [
    "id",
    "title_es",
    "title_en",
    "title_pt",
    "description_es",
    "description_en",
    "description_pt",
    "original_language",
    "providers",
    "subjects",
    "topics",
    "level",
    "target_groups",
    "languages",
    "url",
    "mobile_friendly",
    "downloadable",
    "offline",
    "broadcast",
    "data_mb",
    "notes",
    "run_id",
    "run_start",
    "run_end",
    "enrolment_start",
    "enrolment_end",
    "pacing",
    "modality",
    "hours_total",
    "hours_week",
    "cost",
    "price",
    "currency",
    "certificate",
    "seats",
];

/// The first run column: columns from here on describe the run.
const RUN_FROM: usize = 21;

fn multi(v: &str) -> Vec<String> {
    v.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn flag(field: &'static str, v: &str, e: &mut Vec<FieldError>) -> bool {
    match v {
        "true" | "TRUE" | "1" | "yes" | "on" => true,
        "" | "false" | "FALSE" | "0" | "no" => false,
        _ => {
            e.push(FieldError::new(field, "invalid_bool", v));
            false
        }
    }
}

fn number(field: &'static str, v: &str, e: &mut Vec<FieldError>) -> Option<i32> {
    if v.is_empty() {
        return None;
    }
    match v.parse::<i32>() {
        Ok(n) => Some(n),
        Err(_) => {
            e.push(FieldError::new(field, "invalid_number", v));
            None
        }
    }
}

/// A course (without runs) and its errors from named text fields (a CSV row
/// or a web form); everything trimmed.
pub fn course_from_fields(get: &dyn Fn(&str) -> String) -> (Course, Vec<FieldError>) {
    let get = |c: &str| get(c).trim().to_string();
    let mut e = Vec::new();
    let c = Course {
        id: get("id"),
        title_es: get("title_es"),
        title_en: get("title_en"),
        title_pt: get("title_pt"),
        description_es: get("description_es"),
        description_en: get("description_en"),
        description_pt: get("description_pt"),
        original_language: get("original_language"),
        providers: multi(&get("providers")),
        subjects: multi(&get("subjects")),
        topics: multi(&get("topics")),
        level: get("level"),
        target_groups: multi(&get("target_groups")),
        languages: multi(&get("languages")),
        url: get("url"),
        mobile_friendly: flag("mobile_friendly", &get("mobile_friendly"), &mut e),
        downloadable: flag("downloadable", &get("downloadable"), &mut e),
        offline: flag("offline", &get("offline"), &mut e),
        broadcast: flag("broadcast", &get("broadcast"), &mut e),
        data_mb: number("data_mb", &get("data_mb"), &mut e),
        notes: get("notes"),
        runs: Vec::new(),
    };
    (c, e)
}

/// A run and its errors from named text fields; `None` when every run
/// field is empty. `prefix` is put before each name (forms name a run's
/// fields `run0.run_start`, …).
pub fn run_from_fields(
    get: &dyn Fn(&str) -> String,
    prefix: &str,
) -> (Option<CourseRun>, Vec<FieldError>) {
    let get = |c: &str| get(&format!("{prefix}{c}")).trim().to_string();
    if COLUMNS[RUN_FROM..].iter().all(|c| get(c).is_empty()) {
        return (None, Vec::new());
    }
    let mut e = Vec::new();
    let r = CourseRun {
        run_id: get("run_id"),
        run_start: get("run_start"),
        run_end: get("run_end"),
        enrolment_start: get("enrolment_start"),
        enrolment_end: get("enrolment_end"),
        pacing: get("pacing"),
        modality: get("modality"),
        hours_total: number("hours_total", &get("hours_total"), &mut e),
        hours_week: number("hours_week", &get("hours_week"), &mut e),
        cost: get("cost"),
        price: get("price"),
        currency: get("currency").to_ascii_uppercase(),
        certificate: get("certificate"),
        seats: number("seats", &get("seats"), &mut e),
    };
    (Some(r), e)
}

fn course_cells(c: &Course) -> Vec<String> {
    let b = |v: bool| v.to_string();
    vec![
        c.id.clone(),
        c.title_es.clone(),
        c.title_en.clone(),
        c.title_pt.clone(),
        c.description_es.clone(),
        c.description_en.clone(),
        c.description_pt.clone(),
        c.original_language.clone(),
        c.providers.join(";"),
        c.subjects.join(";"),
        c.topics.join(";"),
        c.level.clone(),
        c.target_groups.join(";"),
        c.languages.join(";"),
        c.url.clone(),
        b(c.mobile_friendly),
        b(c.downloadable),
        b(c.offline),
        b(c.broadcast),
        c.data_mb.map(|d| d.to_string()).unwrap_or_default(),
        c.notes.clone(),
    ]
}

fn run_cells(r: &CourseRun) -> Vec<String> {
    let n = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
    vec![
        r.run_id.clone(),
        r.run_start.clone(),
        r.run_end.clone(),
        r.enrolment_start.clone(),
        r.enrolment_end.clone(),
        r.pacing.clone(),
        r.modality.clone(),
        n(r.hours_total),
        n(r.hours_week),
        r.cost.clone(),
        r.price.clone(),
        r.currency.clone(),
        r.certificate.clone(),
        n(r.seats),
    ]
}

/// A course's rows in [`COLUMNS`] order: one per run, or one with empty
/// run columns.
pub fn rows(c: &Course) -> Vec<Vec<String>> {
    let head = course_cells(c);
    if c.runs.is_empty() {
        let mut row = head;
        row.extend(std::iter::repeat_n(String::new(), COLUMNS.len() - RUN_FROM));
        return vec![row];
    }
    c.runs
        .iter()
        .map(|r| {
            let mut row = head.clone();
            row.extend(run_cells(r));
            row
        })
        .collect()
}

/// Courses as CSV (RFC 4180, CRLF, UTF-8), readable back by [`read`].
pub fn write<W: std::io::Write>(w: W, items: &[Course]) -> csv::Result<()> {
    write_part(w, items, true)
}

/// One part of a file written in parts (a streamed download): the header
/// only in the first part.
pub fn write_part<W: std::io::Write>(w: W, items: &[Course], header: bool) -> csv::Result<()> {
    let mut wtr = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    if header {
        wtr.write_record(COLUMNS)?;
    }
    for c in items {
        for row in rows(c) {
            wtr.write_record(crate::table::neutralised(row))?;
        }
    }
    wtr.flush()?;
    Ok(())
}

struct Row {
    key: String,
    course: Course,
    run: Option<CourseRun>,
}

/// Reads and validates a whole file: all courses (rows of one course
/// gathered in file order) or every problem with its line.
pub fn read(bytes: &[u8], codebook: &Codebook) -> Result<Vec<Course>, Vec<LineError>> {
    let rows = crate::table::read_lines(
        bytes,
        &crate::table::Layout {
            columns: &COLUMNS,
            optional: &[],
            parse: &|get| {
                let (course, mut errs) = course_from_fields(get);
                let (run, run_errs) = run_from_fields(get, "");
                errs.extend(run_errs);
                let mut whole = course.clone();
                whole.runs.extend(run.clone());
                // Every rule of the course and of this row's run.
                errs.extend(whole.validate(codebook));
                let key = format!(
                    "{}/{}",
                    course.id,
                    run.as_ref().map(|r| r.run_id.as_str()).unwrap_or("")
                );
                (Row { key, course, run }, errs)
            },
            id: |r| &r.key,
        },
    )?;
    let mut out: Vec<Course> = Vec::new();
    let mut first: std::collections::HashMap<String, (usize, u64)> = Default::default();
    let mut errors = Vec::new();
    for (line, row) in rows {
        match first.get(&row.course.id) {
            None => {
                first.insert(row.course.id.clone(), (out.len(), line));
                let mut c = row.course;
                c.runs.extend(row.run);
                out.push(c);
            }
            Some((i, first_line)) => {
                let c = &mut out[*i];
                let mut same = c.clone();
                same.runs.clear();
                if same != row.course {
                    errors.push(LineError {
                        line,
                        message: format!(
                            "course {:?}: the course columns differ from line {first_line}",
                            row.course.id
                        ),
                        field: None,
                    });
                }
                match row.run {
                    Some(r) if !c.runs.is_empty() => c.runs.push(r),
                    _ => errors.push(LineError {
                        line,
                        message: format!(
                            "course {:?}: a course with several rows needs a run on each",
                            row.course.id
                        ),
                        field: None,
                    }),
                }
            }
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
    use super::*;

    fn course() -> Course {
        Course {
            id: "c-x".into(),
            title_en: "A \"quoted\", title\nwith a line".into(),
            original_language: "en".into(),
            providers: vec!["oit-cinterfor".into()],
            subjects: vec!["011".into()],
            languages: vec!["es".into(), "pt-BR".into()],
            mobile_friendly: true,
            data_mb: Some(80),
            runs: vec![
                CourseRun {
                    run_id: "2021-1".into(),
                    run_start: "2021-03-01".into(),
                    run_end: "2021-04-30".into(),
                    pacing: "instructor_led".into(),
                    modality: "online".into(),
                    hours_total: Some(20),
                    cost: "paid".into(),
                    price: "10.50".into(),
                    currency: "USD".into(),
                    certificate: "assessed".into(),
                    seats: Some(30),
                    ..Default::default()
                },
                CourseRun {
                    run_id: "open".into(),
                    pacing: "self_paced".into(),
                    modality: "online".into(),
                    cost: "free".into(),
                    certificate: "none".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn written_courses_read_back_equal() {
        let cb = faro_domain::observatory::current();
        let mut bare = course();
        bare.id = "c-y".into();
        bare.runs.clear();
        let mut buf = Vec::new();
        write(&mut buf, &[course(), bare.clone()]).unwrap();
        assert_eq!(read(&buf, cb).unwrap(), vec![course(), bare]);
    }

    #[test]
    fn bad_rows_are_reported_by_line() {
        let cb = faro_domain::observatory::current();
        let mut c = course();
        c.title_en = "Plain".into();
        let mut buf = Vec::new();
        write(&mut buf, &[c]).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let msgs = |t: &str| -> Vec<String> {
            read(t.as_bytes(), cb)
                .unwrap_err()
                .iter()
                .map(|e| e.to_string())
                .collect()
        };
        let bad = text.replacen(",2021-03-01,2021-04-30,", ",2021-03-01,2021-02-01,", 1);
        let m = msgs(&bad);
        assert_eq!(
            m,
            vec!["line 2: run_end must not be before the start date (\"2021-02-01\")"]
        );
        // Line 3 names another title than line 2.
        let other = text
            .replacen(",Plain,", ",Other,", 2)
            .replacen(",Other,", ",Plain,", 1);
        assert_eq!(
            msgs(&other),
            vec!["line 3: course \"c-x\": the course columns differ from line 2"]
        );
        let second = text.lines().nth(2).unwrap();
        let m = msgs(&format!("{text}{second}\r\n"));
        assert_eq!(m, vec!["line 4: id \"c-x/open\" already used on line 3"]);
        let m = msgs(&text.replacen(",20,,paid", ",-20,,paid", 1));
        assert_eq!(
            m,
            vec!["line 2: hours_total must not be negative (\"-20\")"]
        );
        let m = msgs(&text.replacen(",USD,", ",XYZ,", 1));
        assert_eq!(
            m,
            vec!["line 2: currency is not an ISO 4217 currency code (\"XYZ\")"]
        );
        let m = msgs(&text.replacen(",20,,paid", ",twenty,,paid", 1));
        assert_eq!(
            m,
            vec!["line 2: hours_total must be a whole number (\"twenty\")"]
        );
    }
}
