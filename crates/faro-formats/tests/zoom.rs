//! The Zoom readers against the hand-written fixtures in tests/data/zoom/
//! (their README holds the hand counts these tests check).

use faro_formats::zoom::{Kind, Report, read};

const TZ: chrono_tz::Tz = chrono_tz::America::Montevideo;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/data/zoom/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn minutes(r: &Report) -> Vec<(String, i64, bool)> {
    r.people
        .iter()
        .map(|p| (p.name.clone(), p.minutes(), p.attended))
        .collect()
}

fn owned(v: &[(&str, i64, bool)]) -> Vec<(String, i64, bool)> {
    v.iter().map(|(n, m, a)| (n.to_string(), *m, *a)).collect()
}

#[test]
fn meeting_participants_with_header_block_bom_and_rejoins() {
    let r = read(&fixture("participants_meeting.csv"), TZ).unwrap();
    assert_eq!(r.kind, Kind::Participants);
    let m = r.meeting.as_ref().unwrap();
    assert_eq!(m.id, "812 3456 7890");
    assert_eq!(m.topic, "Sesión 13: Formación a distancia");
    assert_eq!(r.rows, 6);
    assert_eq!(
        minutes(&r),
        owned(&[
            ("Pérez, Ana", 92, true),
            ("João Silva", 60, true),
            ("María Gómez", 75, true),
            ("Carlos Ruiz", 15, true),
        ])
    );
    let ana = &r.people[0];
    assert_eq!(ana.key, "e:ana.perez@senai.example");
    assert_eq!(ana.rows, 2);
    assert_eq!(ana.intervals.len(), 1);
    // 9:58 in Montevideo is 12:58 UTC.
    assert_eq!(
        ana.first_join().unwrap().to_rfc3339(),
        "2021-11-19T12:58:00+00:00"
    );
    assert_eq!(r.people[1].intervals.len(), 2);
    assert!(r.people[1].guest);
    assert_eq!(r.people[2].key, "n:maria gomez");
    assert_eq!(r.people[2].email, "");
    assert_eq!(r.people[0].line, 5);
}

#[test]
fn sentence_case_headers_and_name_matching() {
    let r = read(&fixture("participants_sentence.csv"), TZ).unwrap();
    assert_eq!(r.kind, Kind::Participants);
    assert!(r.meeting.is_none());
    assert_eq!(r.rows, 3);
    assert_eq!(
        minutes(&r),
        owned(&[("Ana Pérez", 92, true), ("Pedro Alves", 45, true)])
    );
}

#[test]
fn webinar_attendees_skip_hosts_and_keep_no_shows() {
    let r = read(&fixture("webinar_attendees.csv"), TZ).unwrap();
    assert_eq!(r.kind, Kind::WebinarAttendees);
    assert_eq!(r.rows, 5);
    assert_eq!(
        minutes(&r),
        owned(&[
            ("Ana Pérez", 85, true),
            ("Luis Díaz", 90, true),
            ("Rosa Lima", 0, false),
            ("Marta Quispe", 10, true),
        ])
    );
    assert_eq!((r.attended(), r.no_shows()), (3, 1));
    assert_eq!(r.people[1].country, "Colombia");
    assert!(r.people.iter().all(|p| p.email != "host@faro.example"));
    assert!(r.people.iter().all(|p| p.email != "panel@senai.example"));
}

#[test]
fn utf16_tabs_and_crlf() {
    let r = read(&fixture("participants_tabs_utf16.txt"), TZ).unwrap();
    assert_eq!(r.rows, 3);
    assert_eq!(
        minutes(&r),
        owned(&[("Inês Conceição", 80, true), ("Ñandú Núñez", 10, true)])
    );
    // ISO times without an offset are read in the stated zone too.
    assert_eq!(
        r.people[0].first_join().unwrap().to_rfc3339(),
        "2021-11-19T13:00:00+00:00"
    );
}

#[test]
fn other_reports_are_refused_saying_what_they_are() {
    let e = read(&fixture("poll_report.csv"), TZ).unwrap_err();
    assert_eq!(e.len(), 1);
    assert!(e[0].message.contains("poll report"), "{}", e[0].message);
    let e = read(&fixture("qa_report.csv"), TZ).unwrap_err();
    assert!(e[0].message.contains("Q&A"), "{}", e[0].message);
    let e = read(b"Name,Country\nAna,UY\n", TZ).unwrap_err();
    assert!(e[0].message.contains("no table"), "{}", e[0].message);
}

#[test]
fn every_problem_by_line_and_nothing_else() {
    let e = read(&fixture("broken.csv"), TZ).unwrap_err();
    let lines: Vec<u64> = e.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 6], "{e:?}");
    assert!(e[0].message.contains("19.11.2021"));
    assert!(e[1].message.contains("before"));
    assert!(e[2].message.contains("not-an-email"));
    assert!(e[3].message.contains("no name"));
    assert!(e[4].message.contains("ten"));
}

#[test]
fn same_bytes_same_result() {
    let a = read(&fixture("webinar_attendees.csv"), TZ).unwrap();
    let b = read(&fixture("webinar_attendees.csv"), TZ).unwrap();
    assert_eq!(a, b);
}
