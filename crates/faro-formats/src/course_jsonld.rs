//! Courses from the schema.org `Course` JSON-LD embedded in web pages (the
//! course harvest: a member institution's own catalogue, read page by page).
//! Pure: a page's text in, Faro courses out, with what was read but not kept.
//!
//! What is read, and the rules where the page leaves room for doubt:
//!
//! - Blocks: every `<script type="application/ld+json">` of the page (tag and
//!   attribute in any case, `type` quoted or not, with parameters after `;`),
//!   found by a linear scan that skips comments and the text of other
//!   scripts, styles, titles and text areas. A block may be wrapped in
//!   `<!-- -->` or `//<![CDATA[ … //]]>`. A block that is not strict JSON is
//!   read again leniently (comments, trailing commas, raw control characters
//!   in strings, a trailing `;`), as browsers' consumers do; a block that is
//!   still broken is a warning, or [`PageProblem::BadJson`] when no block
//!   yields a course.
//! - Courses: every node whose `@type` is (or includes) `Course`, with or
//!   without a `schema:` / `http(s)://schema.org/` prefix, anywhere in a block
//!   (`@graph`, arrays, `ItemList` items, `mainEntity`…), but not inside
//!   another course (its parts and prerequisites are not catalogue entries).
//!   `{"@id": …}` references are followed one level (instances, offers,
//!   schedules, credentials); nodes sharing an `@id` are one course. At most
//!   [`MAX_COURSES`] a page, [`MAX_RUNS`] runs a course.
//! - Texts: a string, a number (read as text, warned), `{"@value",
//!   "@language"}` or an array of those. Tagged es/en/pt values fill
//!   `title_es`/`_en`/`_pt`; an untagged value is in the course's text
//!   language (the first es/en/pt of `inLanguage`, else the page's
//!   `<html lang>`, else `default_lang`). Tags and the content of `<script>`
//!   and `<style>` are removed, the common HTML entities decoded, control and
//!   bidirectional-override characters dropped: plain text. Titles longer
//!   than 300 characters are cut. A course with no name is dropped.
//! - `original_language`: the text language if it has a title, else the
//!   first of es/en/pt that has one.
//! - `url`: resolved against the page's address; only http(s); the page's
//!   address when absent or unusable.
//! - Runs: each `hasCourseInstance`; with none, the course itself when it
//!   carries instance properties (`courseMode`, `courseWorkload`,
//!   `courseSchedule`, `startDate`). Course-level `offers`,
//!   `isAccessibleForFree`, `educationalCredentialAwarded` and `courseMode`
//!   apply to every run that does not state its own. Without any run they
//!   are not kept (Faro keeps them per run): a warning.
//!   - dates: `YYYY-MM-DD` or a date-time (its date as written, no time zone
//!     conversion); an end before the start is not kept. `courseSchedule`'s
//!     dates stand in for the instance's. Dates are never made up.
//!   - modality (required): online (`online`, `MOOC`, `virtual`, `a
//!     distancia`, `OnlineEventAttendanceMode`…), blended (`blended`,
//!     `hybrid`, `semipresencial`, `MixedEventAttendanceMode`…), broadcast
//!     (`tv`, `radio`). Onsite has no Faro value: a run that is only onsite,
//!     or states no mode, is not kept (warning).
//!   - pacing (required): self_paced when the instance says so (`courseMode`
//!     `self-paced`, `asynchronous`, `a tu ritmo`…); instructor_led when it
//!     says so (`synchronous`, `instructor-led`…), or has a start date or a
//!     `courseSchedule`; self_paced when it has neither but a workload;
//!     otherwise instructor_led (an undated instructor-led run is
//!     "announced": nothing claims it is open).
//!   - hours: `courseWorkload` (else the course's `timeRequired`) as ISO 8601
//!     → `hours_total`, rounded (a positive duration under half an hour is
//!     1). A workload counted in days or weeks (`P2D`, `P1W`) is ambiguous
//!     (calendar time or study time?) and not kept. `courseSchedule` with
//!     `repeatFrequency` weekly (`Weekly`, `P1W`, `P7D`) and a `duration` →
//!     `hours_week`, and with `repeatCount`, `hours_total` when no workload
//!     says it; other frequencies are not kept.
//!   - cost (required): free when `isAccessibleForFree` is true or an offer
//!     is free (price 0, `category` Free); else paid with the lowest valid
//!     price in the first priced offer's currency (a known ISO 4217 code).
//!     Prices: numbers, or strings `120`, `120.50`, `120,50`; `1.234,50`,
//!     `1,234` and anything else are ambiguous: not kept. A run whose cost is
//!     unknown (no offer, no flag) or paid without a usable price is not
//!     kept (warning).
//!   - certificate: from `educationalCredentialAwarded` (string, object with
//!     `name`/`credentialCategory`, or list) by keywords: attendance
//!     (attendance, participation, asistencia, participação, frequência,
//!     constancia), official (degree, diploma, official, qualification,
//!     título, oficial, titulación, licenciatura), none (`none`, `sin
//!     certificado`…), any other credential assessed; of several, the
//!     highest (official > assessed > attendance > none). Absent: `none`.
//!   - seats: `maximumAttendeeCapacity`. `location`, `instructor` and the
//!     rest are ignored.
//!   - `run_id`: the start date (`2025-03-10`), else `run`; `-2`, `-3`…
//!     when taken.
//!
//! Hostile input does not panic and is read in linear time: serde_json's
//! recursion limit bounds the depth, every list read is capped, warnings
//! are capped at [`MAX_WARNINGS`] a course.

use faro_domain::courses::{Course, CourseRun, known_currency, parse_day, valid_language_tag};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// Courses read from one page at most; the rest are a warning.
pub const MAX_COURSES: usize = 1000;
/// Runs read from one course at most.
pub const MAX_RUNS: usize = 200;
/// Warnings kept per course (then one "… more" line).
pub const MAX_WARNINGS: usize = 50;
/// Faro's limit on a title, in characters.
pub const MAX_TITLE: usize = 300;
/// Descriptions are cut at this many characters.
pub const MAX_DESCRIPTION: usize = 20_000;
/// URLs longer than this are not kept.
const MAX_URL: usize = 2048;
/// Values read from one list (names, modes, offers…).
const MAX_LIST: usize = 100;
/// The longest value read where a short one is expected (dates, modes,
/// prices, codes, ids, URLs): a node shared by `@id` costs little however
/// many courses refer to it.
const SHORT: usize = 2048;

type Obj = Map<String, Value>;

/// One course read from a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Harvested {
    /// id and providers left empty (the caller sets them); url absolute.
    pub course: Course,
    /// The `Course` fields the page supplied, named as in the history's field map:
    /// "title_es"/"title_en"/"title_pt", "description_*", "original_language", "languages",
    /// "url", "level", "runs" (and nothing the page did not give).
    pub supplied: Vec<&'static str>,
    /// What was read but not kept, in English, e.g. `unknown currency "XYZ": price not kept`.
    pub warnings: Vec<String>,
}

/// Why a page gave no course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageProblem {
    /// No `<script type="application/ld+json">` in the page.
    NoJsonLd,
    /// No block yielded a course, and block `block` (1-based, the first
    /// broken one) is not JSON.
    BadJson { block: usize, message: String },
    /// JSON-LD, but no schema.org `Course` in it.
    NoCourse,
    /// Courses, none usable (e.g. none has a name): why.
    NoUsableCourse { warnings: Vec<String> },
}

impl fmt::Display for PageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageProblem::NoJsonLd => write!(f, "the page has no JSON-LD block"),
            PageProblem::BadJson { block, message } => {
                write!(f, "JSON-LD block {block} is not valid JSON: {message}")
            }
            PageProblem::NoCourse => write!(f, "the page's JSON-LD describes no Course"),
            PageProblem::NoUsableCourse { warnings } => write!(
                f,
                "the page's courses could not be kept: {}",
                warnings.join("; ")
            ),
        }
    }
}

impl std::error::Error for PageProblem {}

// ------------------------------------------------------------------ warnings

/// Warnings of one course: deduplicated, capped.
#[derive(Default)]
struct Warnings {
    list: Vec<String>,
    more: usize,
}

impl Warnings {
    fn push(&mut self, w: String) {
        if self.list.contains(&w) {
            return;
        }
        if self.list.len() < MAX_WARNINGS {
            self.list.push(w);
        } else {
            self.more += 1;
        }
    }

    fn done(mut self) -> Vec<String> {
        if self.more > 0 {
            self.list.push(format!("… and {} more warnings", self.more));
        }
        self.list
    }
}

/// A value quoted for a warning: short, one line.
fn q(s: &str) -> String {
    let mut t: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(60)
        .collect();
    if s.chars().nth(60).is_some() {
        t.push('…');
    }
    format!("\"{t}\"")
}

/// A string short enough to be a code, a date, a keyword (see [`SHORT`]).
fn short(s: &str) -> Option<&str> {
    (s.len() <= SHORT).then_some(s)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

// ------------------------------------------------------------------- scanner

/// The JSON-LD blocks of a page and its `<html lang>`.
struct Scanned<'a> {
    blocks: Vec<&'a str>,
    html_lang: Option<String>,
}

/// `b[at..]` starts with `name` (ASCII, any case) followed by the end of a
/// tag name.
fn tag_named(b: &[u8], at: usize, name: &[u8]) -> bool {
    let end = at + name.len();
    end <= b.len()
        && b[at..end].eq_ignore_ascii_case(name)
        && b.get(end)
            .is_none_or(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
}

/// The first occurrence of `needle` in `b` from `from`.
fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= b.len() {
        return None;
    }
    b[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// Where the raw text of a `<name>` element ends: the `<` of its `</name`
/// (any case), or the end of the input.
fn raw_text_end(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(p) = b.get(i..).and_then(|r| r.iter().position(|&c| c == b'<')) {
        let lt = i + p;
        if b.get(lt + 1) == Some(&b'/') && tag_named(b, lt + 2, name) {
            return lt;
        }
        i = lt + 1;
    }
    b.len()
}

/// Reads a tag's attributes from just after its name: (lowercased name,
/// raw value) pairs and the position after its `>`, or `None` at the end
/// of the input.
fn tag_attributes(b: &[u8], mut i: usize) -> (Vec<(String, String)>, Option<usize>) {
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (attrs, None);
        }
        if b[i] == b'>' {
            return (attrs, Some(i + 1));
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = String::from_utf8_lossy(&b[start..i]).to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let Some(p) = b[i + 1..].iter().position(|&c| c == quote) else {
                        return (attrs, None);
                    };
                    value = String::from_utf8_lossy(&b[i + 1..i + 1 + p]).into_owned();
                    i += p + 2;
                }
                _ => {
                    let s = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = String::from_utf8_lossy(&b[s..i]).into_owned();
                }
            }
        }
        if !name.is_empty() {
            attrs.push((name, value));
        }
    }
}

fn attr<'s>(attrs: &'s [(String, String)], name: &str) -> Option<&'s str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn is_jsonld_type(v: &str) -> bool {
    let v = decode_entities(v);
    let media = v.split(';').next().unwrap_or("").trim();
    media.eq_ignore_ascii_case("application/ld+json")
}

/// One linear pass over the page.
fn scan(html: &str) -> Scanned<'_> {
    let b = html.as_bytes();
    let mut out = Scanned {
        blocks: Vec::new(),
        html_lang: None,
    };
    let mut i = 0;
    while let Some(p) = b.get(i..).and_then(|r| r.iter().position(|&c| c == b'<')) {
        let lt = i + p;
        if b[lt..].starts_with(b"<!--") {
            match find(b, lt + 4, b"-->") {
                Some(e) => i = e + 3,
                None => break,
            }
            continue;
        }
        let raw = [&b"script"[..], b"style", b"title", b"textarea"]
            .into_iter()
            .find(|n| tag_named(b, lt + 1, n));
        if let Some(name) = raw {
            let (attrs, end) = tag_attributes(b, lt + 1 + name.len());
            let Some(end) = end else { break };
            let close = raw_text_end(b, end, name);
            if name == b"script" && attr(&attrs, "type").is_some_and(is_jsonld_type) {
                // `end` and `close` are at ASCII bytes: char boundaries.
                out.blocks.push(&html[end..close]);
            }
            i = close + 1;
            continue;
        }
        if out.html_lang.is_none() && tag_named(b, lt + 1, b"html") {
            let (attrs, end) = tag_attributes(b, lt + 5);
            out.html_lang = attr(&attrs, "lang")
                .or_else(|| attr(&attrs, "xml:lang"))
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .or(Some(String::new()));
            let Some(end) = end else { break };
            i = end;
            continue;
        }
        i = lt + 1;
    }
    out.html_lang = out.html_lang.filter(|l| !l.is_empty());
    out
}

/// A block without its `<!-- -->` / CDATA wrappers.
fn unwrap_block(s: &str) -> &str {
    let mut s = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    loop {
        let before = s.len();
        for p in ["<!--", "//<![CDATA[", "/*<![CDATA[*/", "<![CDATA["] {
            if let Some(r) = s.strip_prefix(p) {
                s = r.trim_start();
            }
        }
        for p in ["//-->", "-->", "//]]>", "/*]]>*/", "]]>"] {
            if let Some(r) = s.strip_suffix(p) {
                s = r.trim_end();
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

/// JSON as pages write it: comments, trailing commas, raw control
/// characters in strings and a trailing `;` mended. One pass; only ASCII
/// bytes are removed or inserted, so the text stays UTF-8.
fn relax_json(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len() + 16);
    let mut i = 0;
    let mut in_string = false;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => {
                    out.push(c);
                    if let Some(&n) = b.get(i + 1) {
                        out.push(n);
                        i += 1;
                    }
                }
                b'"' => {
                    in_string = false;
                    out.push(c);
                }
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                c if c < 0x20 => out.extend_from_slice(format!("\\u{c:04x}").as_bytes()),
                c => out.push(c),
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_string = true;
                out.push(c);
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = find(b, i + 2, b"*/").map_or(b.len(), |e| e + 2);
                continue;
            }
            b'}' | b']' => {
                let keep = out
                    .iter()
                    .rposition(|x| !x.is_ascii_whitespace())
                    .filter(|&p| out[p] == b',');
                if let Some(p) = keep {
                    out.truncate(p);
                }
                out.push(c);
            }
            c => out.push(c),
        }
        i += 1;
    }
    while out
        .last()
        .is_some_and(|c| c.is_ascii_whitespace() || *c == b';')
    {
        out.pop();
    }
    String::from_utf8(out).ok()
}

/// A block's value: strict JSON, else read leniently (`true` in the pair).
fn parse_block(s: &str) -> Result<(Value, bool), String> {
    let s = unwrap_block(s);
    match serde_json::from_str::<Value>(s) {
        Ok(v) => Ok((v, false)),
        Err(e) => match relax_json(s).map(|r| serde_json::from_str::<Value>(&r)) {
            Some(Ok(v)) => Ok((v, true)),
            _ => Err(e.to_string()),
        },
    }
}

// --------------------------------------------------------------------- text

fn named_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => " ",
        "aacute" => "á",
        "eacute" => "é",
        "iacute" => "í",
        "oacute" => "ó",
        "uacute" => "ú",
        "Aacute" => "Á",
        "Eacute" => "É",
        "Iacute" => "Í",
        "Oacute" => "Ó",
        "Uacute" => "Ú",
        "agrave" => "à",
        "egrave" => "è",
        "ograve" => "ò",
        "Agrave" => "À",
        "acirc" => "â",
        "ecirc" => "ê",
        "ocirc" => "ô",
        "Acirc" => "Â",
        "Ecirc" => "Ê",
        "Ocirc" => "Ô",
        "atilde" => "ã",
        "otilde" => "õ",
        "Atilde" => "Ã",
        "Otilde" => "Õ",
        "ntilde" => "ñ",
        "Ntilde" => "Ñ",
        "ccedil" => "ç",
        "Ccedil" => "Ç",
        "uuml" => "ü",
        "Uuml" => "Ü",
        "iuml" => "ï",
        "iexcl" => "¡",
        "iquest" => "¿",
        "ordf" => "ª",
        "ordm" => "º",
        "deg" => "°",
        "laquo" => "«",
        "raquo" => "»",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "ndash" => "–",
        "mdash" => "—",
        "hellip" => "…",
        "middot" => "·",
        "bull" => "•",
        "euro" => "€",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        _ => return None,
    })
}

/// The common HTML entities decoded (named ones of [`named_entity`],
/// decimal and hexadecimal references); anything else left as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let body_len = rest[1..]
            .bytes()
            .take(33)
            .position(|c| !(c.is_ascii_alphanumeric() || c == b'#'));
        let decoded = body_len
            .filter(|&n| n > 0 && rest.as_bytes().get(n + 1) == Some(&b';'))
            .and_then(|n| {
                let body = &rest[1..=n];
                let text = if let Some(num) = body.strip_prefix('#') {
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok(),
                        None => num.parse::<u32>().ok(),
                    };
                    // NUL and invalid code points become U+FFFD; control
                    // characters are removed later.
                    code.map(|c| {
                        char::from_u32(c)
                            .filter(|&c| c != '\0')
                            .unwrap_or('\u{fffd}')
                    })
                    .map(String::from)
                } else {
                    named_entity(body).map(String::from)
                };
                text.map(|t| (t, n + 2))
            });
        match decoded {
            Some((t, len)) => {
                out.push_str(&t);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Tags that end a line, and those that end a paragraph.
const LINE_TAGS: &[&str] = &["br", "div", "li", "tr", "dd", "dt", "hr"];
const PARAGRAPH_TAGS: &[&str] = &[
    "p",
    "ul",
    "ol",
    "dl",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
];

/// Markup removed: tags (a block tag becomes a line or paragraph break), comments, and
/// `<script>`/`<style>` with their content; an unterminated tag and what
/// follows it are dropped (as browsers do). `<` not followed by a letter,
/// `/`, `!` or `?` is text.
fn strip_tags(s: &str) -> String {
    if !s.contains('<') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(p) = s[i..].find('<') {
        let lt = i + p;
        out.push_str(&s[i..lt]);
        let next = b.get(lt + 1).copied().unwrap_or(b' ');
        if !(next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?')) {
            out.push('<');
            i = lt + 1;
            continue;
        }
        if s[lt..].starts_with("<!--") {
            match find(b, lt + 4, b"-->") {
                Some(e) => i = e + 3,
                None => return out,
            }
            continue;
        }
        let name_start = if next == b'/' { lt + 2 } else { lt + 1 };
        let name_len = b[name_start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .unwrap_or(b.len() - name_start);
        let name = s[name_start..name_start + name_len].to_ascii_lowercase();
        let (_, end) = tag_attributes(b, name_start + name_len);
        let Some(end) = end else {
            return out;
        };
        if next != b'/' && (name == "script" || name == "style") {
            let close = raw_text_end(b, end, name.as_bytes());
            i = b[close..]
                .iter()
                .position(|&c| c == b'>')
                .map_or(b.len(), |e| close + e + 1);
            continue;
        }
        if PARAGRAPH_TAGS.contains(&name.as_str()) {
            out.push_str("\n\n");
        } else if LINE_TAGS.contains(&name.as_str()) {
            out.push('\n');
        }
        i = end;
    }
    out.push_str(&s[i..]);
    out
}

/// Characters that have no place in a title or description.
fn unwanted(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// Plain text from what a page put in a name or description: markup
/// removed, entities decoded (then markup they spelt removed), unwanted
/// characters dropped, spaces collapsed; `multiline` keeps paragraphs (at
/// most one blank line), otherwise one line.
fn plain_text(raw: &str, multiline: bool) -> String {
    let text = strip_tags(&decode_entities(&strip_tags(raw)));
    let text: String = text
        .chars()
        .map(|c| if c == '\t' || c == '\r' { ' ' } else { c })
        .filter(|&c| !unwanted(c))
        .collect();
    if !multiline {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.split('\n') {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(&line);
    }
    out
}

/// At most `max` characters, cut at a space when one is near the end.
fn cut(s: &str, max: usize) -> Option<String> {
    if s.chars().count() <= max {
        return None;
    }
    let head: String = s.chars().take(max - 1).collect();
    let head = match head.rfind(char::is_whitespace) {
        Some(p) if head[..p].chars().count() + 40 >= max => head[..p].trim_end().to_string(),
        _ => head,
    };
    Some(format!("{head}…"))
}

/// Lowercase, without the accents of Spanish and Portuguese.
fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        })
        .collect()
}

fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// Folded, letters and digits only: `"Self-paced"` → `selfpaced`.
fn compact(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The last path segment of a URL (`https://schema.org/Weekly` → `Weekly`).
fn term(s: &str) -> &str {
    let s = s.trim();
    let s = s.strip_prefix("schema:").unwrap_or(s).trim_end_matches('/');
    if s.contains("://") {
        s.rsplit(['/', '#']).next().unwrap_or(s)
    } else {
        s
    }
}

// ------------------------------------------------------------------ JSON-LD

const PREFIXES: &[&str] = &["schema:", "http://schema.org/", "https://schema.org/"];

/// A property, however the block names it (`name`, `schema:name`,
/// `https://schema.org/name`).
fn prop<'v>(m: &'v Obj, name: &str) -> Option<&'v Value> {
    if let Some(v) = m.get(name) {
        return Some(v);
    }
    PREFIXES.iter().find_map(|p| m.get(&format!("{p}{name}")))
}

/// The value as a list (a single value is one item, null none).
fn items(v: &Value) -> &[Value] {
    match v {
        Value::Array(a) => &a[..a.len().min(MAX_LIST * 10)],
        Value::Null => &[],
        v => std::slice::from_ref(v),
    }
}

fn has_type(m: &Obj, name: &str) -> bool {
    let Some(t) = m.get("@type").or_else(|| m.get("type")) else {
        return false;
    };
    items(t).iter().any(|t| {
        t.as_str().is_some_and(|t| {
            let t = t.trim();
            let bare = PREFIXES.iter().find_map(|p| t.strip_prefix(p)).unwrap_or(t);
            bare.eq_ignore_ascii_case(name)
        })
    })
}

fn is_stub(m: &Obj) -> bool {
    m.keys().all(|k| k == "@id" || k == "@type")
}

/// Nodes by `@id` (the fullest node of each id) across a page's blocks.
struct Index<'v> {
    nodes: HashMap<&'v str, &'v Obj>,
}

impl<'v> Index<'v> {
    fn build(values: &'v [Value]) -> Self {
        let mut nodes: HashMap<&'v str, &'v Obj> = HashMap::new();
        // An explicit stack: a block's depth is bounded by serde_json, but
        // this costs nothing.
        let mut stack: Vec<&'v Value> = values.iter().collect();
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(id)) = m.get("@id")
                        && !is_stub(m)
                    {
                        let e = nodes.entry(id.as_str()).or_insert(m);
                        if m.len() > e.len() {
                            *e = m;
                        }
                    }
                    stack.extend(m.values());
                }
                Value::Array(a) => stack.extend(a.iter()),
                _ => {}
            }
        }
        Index { nodes }
    }

    /// The node a value stands for: itself, or the node its `@id` names.
    fn node(&self, v: &'v Value) -> Option<&'v Obj> {
        match v {
            Value::Object(m) => {
                if is_stub(m)
                    && let Some(Value::String(id)) = m.get("@id")
                    && id.len() <= SHORT
                    && let Some(full) = self.nodes.get(id.as_str())
                {
                    return Some(full);
                }
                Some(m)
            }
            Value::String(id) if id.len() <= SHORT => self.nodes.get(id.as_str()).copied(),
            _ => None,
        }
    }
}

/// Every course node of the values, in document order (not descending
/// into a course), one per `@id`; at most `cap` + 1 (to tell there were
/// more).
fn find_courses<'v>(values: &'v [Value], index: &Index<'v>, cap: usize) -> Vec<&'v Obj> {
    let mut out: Vec<&'v Obj> = Vec::new();
    let mut seen: HashSet<&'v str> = HashSet::new();
    // Depth-first, in order: push children reversed.
    let mut stack: Vec<&'v Value> = values.iter().rev().collect();
    while let Some(v) = stack.pop() {
        if out.len() > cap {
            break;
        }
        match v {
            Value::Object(m) if has_type(m, "Course") => {
                let m = match m.get("@id") {
                    Some(Value::String(id)) => {
                        if !seen.insert(id.as_str()) {
                            continue;
                        }
                        index.nodes.get(id.as_str()).copied().unwrap_or(m)
                    }
                    _ => m,
                };
                out.push(m);
            }
            Value::Object(m) => stack.extend(
                m.iter()
                    .filter(|(k, _)| k.as_str() != "@context")
                    .map(|(_, v)| v)
                    .rev(),
            ),
            Value::Array(a) => stack.extend(a.iter().rev()),
            _ => {}
        }
    }
    out
}

/// A text value and its language tag, if any.
type Tagged = (Option<String>, String);

/// The texts of a property: strings, numbers (warned), `@value` objects,
/// lists of those.
fn texts(v: &Value, field: &str, max: usize, w: &mut Warnings) -> Vec<Tagged> {
    let mut out = Vec::new();
    let one = |x: &Value, out: &mut Vec<Tagged>, w: &mut Warnings| match x {
        Value::String(s) if s.len() > max => {
            w.push(format!("{field}: a value of {} bytes: not read", s.len()))
        }
        Value::String(s) => out.push((None, s.clone())),
        Value::Number(n) => {
            w.push(format!("{field} given as a number ({n}): read as text"));
            out.push((None, n.to_string()));
        }
        Value::Object(m) => match m.get("@value") {
            Some(Value::String(s)) if s.len() > max => {
                w.push(format!("{field}: a value of {} bytes: not read", s.len()))
            }
            Some(Value::String(s)) => out.push((
                m.get("@language")
                    .and_then(Value::as_str)
                    .filter(|l| l.len() <= SHORT)
                    .map(|l| l.trim().to_string()),
                s.clone(),
            )),
            Some(Value::Number(n)) => out.push((None, n.to_string())),
            _ => w.push(format!("{field}: an object without a text @value: ignored")),
        },
        Value::Null => {}
        x => w.push(format!("{field}: {} is not text: ignored", kind(x))),
    };
    match v {
        Value::Array(a) => {
            for x in a.iter().take(MAX_LIST) {
                if x.is_array() {
                    w.push(format!("{field}: a list inside a list: ignored"));
                } else {
                    one(x, &mut out, w);
                }
            }
        }
        v => one(v, &mut out, w),
    }
    out
}

/// A single short text: the first of [`texts`], trimmed; `None` when absent.
fn text(v: Option<&Value>, field: &str, w: &mut Warnings) -> Option<String> {
    let v = v?;
    let all = texts(v, field, SHORT, w);
    all.into_iter()
        .map(|(_, s)| s.trim().to_string())
        .find(|s| !s.is_empty())
}

const SLOTS: [&str; 3] = ["es", "en", "pt"];

/// es / en / pt for a language tag or code.
fn slot_of(tag: &str) -> Option<usize> {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match primary.as_str() {
        "es" | "spa" => Some(0),
        "en" | "eng" => Some(1),
        "pt" | "por" => Some(2),
        _ => None,
    }
}

/// Texts of a property into the es/en/pt slots (see the module's rules).
fn slot_texts(
    v: Option<&Value>,
    field: &str,
    text_lang: usize,
    multiline: bool,
    w: &mut Warnings,
) -> [String; 3] {
    let mut slots: [String; 3] = Default::default();
    let Some(v) = v else { return slots };
    let mut untagged: Vec<String> = Vec::new();
    let mut others: Vec<(String, String)> = Vec::new();
    for (tag, raw) in texts(v, field, usize::MAX, w) {
        let t = plain_text(&raw, multiline);
        if t.is_empty() {
            continue;
        }
        match tag {
            Some(tag) => match slot_of(&tag) {
                Some(i) if slots[i].is_empty() => slots[i] = t,
                Some(i) => w.push(format!("{field}: a second {} value: ignored", SLOTS[i])),
                None => others.push((tag, t)),
            },
            None => untagged.push(t),
        }
    }
    let mut untagged = untagged.into_iter();
    if let Some(first) = untagged.next() {
        if slots[text_lang].is_empty() {
            slots[text_lang] = first;
        } else {
            w.push(format!(
                "{field}: a value without a language besides the {} one: ignored",
                SLOTS[text_lang]
            ));
        }
    }
    let extra = untagged.count();
    if extra > 0 {
        w.push(format!(
            "{field}: {extra} more values without a language: only the first kept"
        ));
    }
    let mut others = others.into_iter();
    if slots.iter().all(String::is_empty)
        && let Some((tag, t)) = others.next()
    {
        w.push(format!(
            "{field} only in {}: kept as the {} text",
            q(&tag),
            SLOTS[text_lang]
        ));
        slots[text_lang] = t;
    }
    for (tag, _) in others {
        w.push(format!(
            "{field} in {}: not kept (Faro keeps es, en and pt)",
            q(&tag)
        ));
    }
    slots
}

// ---------------------------------------------------------------- languages

/// A BCP 47 tag for a language code or name, as pages write them.
fn language_tag(s: &str) -> Option<String> {
    let s = s.trim();
    let by_name = |name: &str| -> Option<&'static str> {
        let name = fold(name);
        let name = name.split('(').next().unwrap_or("").trim();
        Some(match name {
            "spanish" | "espanol" | "castellano" | "espanhol" => "es",
            "english" | "ingles" => "en",
            "portuguese" | "portugues" => "pt",
            "french" | "frances" | "francais" | "franca" => "fr",
            "german" | "aleman" | "alemao" | "deutsch" => "de",
            "italian" | "italiano" => "it",
            "quechua" | "kichwa" => "qu",
            "guarani" => "gn",
            "aymara" => "ay",
            _ => return None,
        })
    };
    if let Some(code) = by_name(s) {
        return Some(code.to_string());
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    let mut parts = s.split(['-', '_']);
    let primary = parts.next()?.to_ascii_lowercase();
    let primary = match primary.as_str() {
        "spa" | "esp" => "es".to_string(),
        "eng" => "en".to_string(),
        "por" => "pt".to_string(),
        "fra" | "fre" => "fr".to_string(),
        "deu" | "ger" => "de".to_string(),
        "ita" => "it".to_string(),
        _ => primary,
    };
    let mut tag = primary;
    for p in parts {
        tag.push('-');
        match p.len() {
            2 => tag.push_str(&p.to_ascii_uppercase()),
            4 => {
                let mut c = p.chars();
                if let Some(f) = c.next() {
                    tag.push(f.to_ascii_uppercase());
                    tag.push_str(&c.as_str().to_ascii_lowercase());
                }
            }
            _ => tag.push_str(&p.to_ascii_lowercase()),
        }
    }
    valid_language_tag(&tag).then_some(tag)
}

/// `inLanguage`: strings, `Language` objects (`alternateName`, `name`).
fn languages(v: Option<&Value>, index: &Index<'_>, w: &mut Warnings) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(v) = v else { return out };
    for x in items(v).iter().take(MAX_LIST) {
        let candidates: Vec<String> = match x {
            Value::String(s) => short(s).map(String::from).into_iter().collect(),
            Value::Object(_) => {
                let Some(m) = index.node(x) else { continue };
                let mut c = Vec::new();
                for key in ["alternateName", "@value", "name"] {
                    if let Some(v) = prop(m, key) {
                        for s in items(v).iter().take(MAX_LIST) {
                            if let Some(s) = s.as_str().and_then(short) {
                                c.push(s.to_string());
                            }
                        }
                    }
                }
                c
            }
            Value::Null => continue,
            x => {
                w.push(format!(
                    "inLanguage: {} is not a language: ignored",
                    kind(x)
                ));
                continue;
            }
        };
        match candidates.iter().find_map(|c| language_tag(c)) {
            Some(tag) => {
                if !out.contains(&tag) {
                    out.push(tag);
                }
            }
            None => w.push(format!(
                "inLanguage {}: not a known language, not kept",
                q(candidates.first().map_or("", String::as_str))
            )),
        }
    }
    out
}

// --------------------------------------------------------------------- URLs

/// `(scheme, authority, path, query with '?', fragment with '#')` of an
/// absolute http(s) URL.
fn split_url(u: &str) -> Option<(String, &str, &str, &str, &str)> {
    let colon = u.find(':')?;
    let scheme = u[..colon].to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let rest = u[colon + 1..].strip_prefix("//")?;
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..auth_end];
    if authority.is_empty() || authority.starts_with('@') || authority.starts_with(':') {
        return None;
    }
    let (before_frag, frag) =
        rest[auth_end..].split_at(rest[auth_end..].find('#').unwrap_or(rest.len() - auth_end));
    let (path, query) = before_frag.split_at(before_frag.find('?').unwrap_or(before_frag.len()));
    Some((scheme, authority, path, query, frag))
}

/// RFC 3986's remove_dot_segments.
fn remove_dots(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = path.split('/').collect();
    let n = segs.len();
    for (i, seg) in segs.iter().enumerate() {
        match *seg {
            "." => {
                if i + 1 == n {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i + 1 == n {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

/// An absolute http(s) URL: `r` resolved against `base`.
fn resolve_url(base: &str, r: &str) -> Option<String> {
    let r: String = r
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .replace(' ', "%20");
    if r.is_empty() || r.len() > MAX_URL || r.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let has_scheme = r.find(':').is_some_and(|p| {
        r[..p].starts_with(|c: char| c.is_ascii_alphabetic())
            && r[..p]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    let build = |scheme: &str, auth: &str, path: &str, query: &str, frag: &str| {
        format!("{scheme}://{auth}{path}{query}{frag}")
    };
    if has_scheme {
        let (s, a, p, qy, f) = split_url(&r)?;
        let path = if p.is_empty() {
            "/".to_string()
        } else {
            remove_dots(p)
        };
        return Some(build(&s, a, &path, qy, f));
    }
    let (bs, ba, bp, bq, _) = split_url(base.trim())?;
    if let Some(net) = r.strip_prefix("//") {
        return resolve_url(base, &format!("{bs}://{net}"));
    }
    let frag_at = r.find('#').unwrap_or(r.len());
    let (before, frag) = r.split_at(frag_at);
    let (path, query) = before.split_at(before.find('?').unwrap_or(before.len()));
    let bp = if bp.is_empty() { "/" } else { bp };
    let out = if path.is_empty() {
        build(&bs, ba, bp, if query.is_empty() { bq } else { query }, frag)
    } else if path.starts_with('/') {
        build(&bs, ba, &remove_dots(path), query, frag)
    } else {
        let dir = &bp[..bp.rfind('/').map_or(0, |p| p + 1)];
        build(&bs, ba, &remove_dots(&format!("{dir}{path}")), query, frag)
    };
    (out.len() <= MAX_URL).then_some(out)
}

// ---------------------------------------------------------------- durations

/// An ISO 8601 duration: hours, and whether it counts days or weeks.
struct Duration {
    hours: f64,
    days: bool,
}

fn parse_duration(v: &str) -> Option<Duration> {
    let s = v.trim().to_ascii_uppercase();
    let s = s.strip_prefix('P')?;
    let (date, time) = match s.split_once('T') {
        Some((_, "")) => return None,
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut hours = 0.0;
    let mut days = false;
    let mut any = false;
    for (part, units) in [(date, "YMWD"), (time.unwrap_or(""), "HMS")] {
        let mut rest = part;
        let mut last = 0;
        while !rest.is_empty() {
            let n = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))?;
            if n == 0 || n > 15 {
                return None;
            }
            let num: f64 = rest[..n].replace(',', ".").parse().ok()?;
            let unit = rest[n..].chars().next()?;
            let pos = units.find(unit)? + 1;
            if pos <= last {
                return None;
            }
            last = pos;
            rest = &rest[n + 1..];
            any = true;
            hours += match (units, unit) {
                ("YMWD", 'W') => {
                    days = true;
                    num * 168.0
                }
                ("YMWD", 'D') => {
                    days = true;
                    num * 24.0
                }
                ("YMWD", _) => return None, // years and months vary in length
                (_, 'H') => num,
                (_, 'M') => num / 60.0,
                _ => num / 3600.0,
            };
        }
    }
    (any && hours.is_finite()).then_some(Duration { hours, days })
}

/// Hours in an ISO 8601 duration: `PT22H` → 22, `PT90M` → 1.5,
/// `P2DT4H` → 52, `P1W` → 168. A day is 24 hours and a week 7 days
/// (exact time, as the standard's nominal day); years and months (`P1Y`,
/// `P2M`) vary in length and give `None`, as does anything that is not a
/// duration. Fractions (`PT1.5H`, `PT1,5H`) and lowercase are accepted.
/// (A course's workload in days is ambiguous; the harvest does not keep it:
/// see the module's rules.)
pub fn iso_duration_hours(v: &str) -> Option<f64> {
    parse_duration(v).map(|d| d.hours)
}

/// Whole hours for Faro (rounded; a positive duration under half an hour
/// is 1), `None` beyond 100,000.
fn whole_hours(h: f64) -> Option<i32> {
    if !h.is_finite() || !(0.0..=100_000.0).contains(&h) {
        return None;
    }
    let r = h.round() as i32;
    Some(if r == 0 && h > 0.0 { 1 } else { r })
}

/// A study-time duration (workload, schedule): hours, refusing days/weeks.
fn study_hours(v: Option<&Value>, field: &str, w: &mut Warnings) -> Option<i32> {
    let t = text(v, field, w)?;
    match parse_duration(&t) {
        Some(d) if d.days => {
            w.push(format!(
                "{field} {} counts days or weeks, not hours: not kept",
                q(&t)
            ));
            None
        }
        Some(d) => {
            let h = whole_hours(d.hours);
            if h.is_none() {
                w.push(format!("{field} {}: too long, not kept", q(&t)));
            }
            h
        }
        None => {
            w.push(format!(
                "{field} {} is not an ISO 8601 duration in hours: not kept",
                q(&t)
            ));
            None
        }
    }
}

// -------------------------------------------------------------- run details

/// `YYYY-MM-DD` of a date or date-time.
fn day(v: Option<&Value>, field: &str, w: &mut Warnings) -> Option<String> {
    let t = text(v, field, w)?;
    let d = t.get(..10).filter(|d| {
        parse_day(d).is_some()
            && t[10..]
                .chars()
                .next()
                .is_none_or(|c| matches!(c, 'T' | 't' | ' '))
    });
    if d.is_none() {
        w.push(format!("{field} {} is not a date: not kept", q(&t)));
    }
    d.map(String::from)
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Mode {
    Onsite,
    Radio,
    Tv,
    Online,
    Blended,
}

/// What a page's `courseMode` values say.
#[derive(Default, Clone)]
struct Modes {
    modes: Vec<Mode>,
    self_paced: bool,
    instructor_led: bool,
    written: Vec<String>,
}

fn read_modes(v: Option<&Value>, w: &mut Warnings) -> Option<Modes> {
    let v = v?;
    let mut m = Modes::default();
    for (_, t) in texts(v, "courseMode", SHORT, w) {
        let c = compact(term(&t));
        if c.is_empty() {
            continue;
        }
        m.written.push(t.trim().to_string());
        match c.as_str() {
            "online"
            | "mooc"
            | "distance"
            | "distancelearning"
            | "distanceeducation"
            | "virtual"
            | "elearning"
            | "remote"
            | "adistancia"
            | "enlinea"
            | "ead"
            | "web"
            | "webbased"
            | "onlineeventattendancemode"
            | "onlinecourse"
            | "100online" => m.modes.push(Mode::Online),
            "blended"
            | "hybrid"
            | "hibrido"
            | "hibrida"
            | "semipresencial"
            | "blearning"
            | "blendedlearning"
            | "mixed"
            | "mixto"
            | "misto"
            | "bimodal"
            | "mixedeventattendancemode" => m.modes.push(Mode::Blended),
            "onsite"
            | "inperson"
            | "presencial"
            | "classroom"
            | "facetoface"
            | "onlocation"
            | "campus"
            | "oncampus"
            | "offlineeventattendancemode" => m.modes.push(Mode::Onsite),
            "tv" | "television" | "televisao" | "broadcasttv" => m.modes.push(Mode::Tv),
            "radio" | "broadcastradio" => m.modes.push(Mode::Radio),
            "selfpaced" | "asynchronous" | "asincrono" | "asincronico" | "assincrono"
            | "ondemand" | "aturitmo" | "atupropioritmo" | "autoaprendizaje" | "autoformacion"
            | "autoinstruccional" | "autoinstrucional" | "autodirigido" | "ritmoproprio"
            | "noseupropriorritmo" | "noseuritmo" => m.self_paced = true,
            "synchronous" | "sincrono" | "sincronico" | "instructorled" | "instructorpaced"
            | "live" | "tutored" | "tutorado" | "tutoria" | "contutor" => m.instructor_led = true,
            "fulltime" | "parttime" => {}
            _ => w.push(format!("courseMode {}: not a known mode, not kept", q(&t))),
        }
    }
    Some(m)
}

/// Faro's modality for a run, or why there is none.
fn modality(m: Option<&Modes>, w: &mut Warnings, label: &str) -> Result<&'static str, String> {
    let Some(m) = m.filter(|m| !m.modes.is_empty()) else {
        return Err(format!(
            "{label}: no courseMode says how it is taught: run not kept"
        ));
    };
    let best = m.modes.iter().copied().max().unwrap_or(Mode::Onsite);
    if best == Mode::Onsite {
        return Err(format!(
            "{label}: onsite only (courseMode {}), which Faro does not list: run not kept",
            q(&m.written.join(", "))
        ));
    }
    if best == Mode::Online && m.modes.contains(&Mode::Onsite) {
        w.push(format!(
            "{label}: courseMode onsite besides online: kept as online"
        ));
    }
    Ok(match best {
        Mode::Blended => "blended",
        Mode::Online => "online",
        Mode::Tv => "broadcast_tv",
        _ => "broadcast_radio",
    })
}

/// A price as Faro writes it (`120`, `120.50`), 0 as `"0"`.
fn price_of_number(n: f64) -> Option<String> {
    if !n.is_finite() || !(0.0..1e12).contains(&n) {
        return None;
    }
    let cents = (n * 100.0).round();
    if (n * 100.0 - cents).abs() > 1e-6 {
        return None;
    }
    let cents = cents as u64;
    Some(if cents.is_multiple_of(100) {
        (cents / 100).to_string()
    } else {
        format!("{}.{:02}", cents / 100, cents % 100)
    })
}

/// A price written as text: `120`, `120.50`, `120,50`; thousands
/// separators and anything else are refused.
fn price_of_text(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return Err("is not a number");
    }
    let seps = s.bytes().filter(|&b| b == b'.' || b == b',').count();
    if seps > 1 {
        return Err("is ambiguous (thousands separators?)");
    }
    let (int, frac) = s.split_once(['.', ',']).unwrap_or((s, ""));
    if int.is_empty() || (seps == 1 && frac.is_empty()) {
        return Err("is not a number");
    }
    if frac.len() > 2 {
        return Err("is ambiguous (thousands separator or more than two decimals?)");
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if int.len() > 12 {
        return Err("is too large");
    }
    let frac = format!("{frac:0<2}");
    Ok(if frac == "00" {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    })
}

/// What one offer says.
#[derive(Default, Clone, Debug)]
struct OfferRead {
    free: bool,
    paid: bool,
    /// A usable price above 0 with its currency.
    price: Option<(String, String)>,
}

fn read_offer(m: &Obj, label: &str, w: &mut Warnings) -> OfferRead {
    let mut o = OfferRead::default();
    if let Some(cat) = text(prop(m, "category"), "category", w) {
        match compact(term(&cat)).as_str() {
            "free" | "gratis" | "gratuito" | "gratuita" | "nocost" => o.free = true,
            "paid" | "subscription" | "pago" | "pagado" | "pagamento" | "arancelado" => {
                o.paid = true
            }
            _ => w.push(format!("{label}offer category {}: not kept", q(&cat))),
        }
    }
    let price_v = prop(m, "price").or_else(|| prop(m, "lowPrice"));
    let price = match price_v {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_f64().and_then(price_of_number) {
            Some(p) => Some(p),
            None => {
                w.push(format!("{label}price {n}: not a usable amount, not kept"));
                o.paid = true;
                None
            }
        },
        Some(v) => match text(Some(v), "price", w) {
            Some(t)
                if matches!(
                    compact(&t).as_str(),
                    "free" | "gratis" | "gratuito" | "gratuita"
                ) =>
            {
                o.free = true;
                None
            }
            Some(t) => match price_of_text(&t) {
                Ok(p) => Some(p),
                Err(why) => {
                    w.push(format!("{label}price {} {why}: not kept", q(&t)));
                    o.paid = true;
                    None
                }
            },
            None => None,
        },
    };
    match price {
        Some(p) if p == "0" => o.free = true,
        Some(p) => {
            o.paid = true;
            let cur = text(prop(m, "priceCurrency"), "priceCurrency", w)
                .map(|c| c.trim().to_ascii_uppercase());
            match cur {
                Some(c) if known_currency(&c) => o.price = Some((p, c)),
                Some(c) => w.push(format!("{label}unknown currency {}: price not kept", q(&c))),
                None => w.push(format!("{label}price {p} without priceCurrency: not kept")),
            }
        }
        None => {}
    }
    o
}

fn read_offers(
    v: Option<&Value>,
    index: &Index<'_>,
    label: &str,
    w: &mut Warnings,
) -> Option<Vec<OfferRead>> {
    let v = v?;
    let mut out = Vec::new();
    for x in items(v).iter().take(MAX_LIST) {
        match index.node(x) {
            Some(m) => {
                // An AggregateOffer's own offers.
                if prop(m, "price").is_none()
                    && prop(m, "lowPrice").is_none()
                    && let Some(inner) = prop(m, "offers")
                    && inner.is_array()
                {
                    for y in items(inner).iter().take(MAX_LIST) {
                        if let Some(n) = index.node(y) {
                            out.push(read_offer(n, label, w));
                        }
                    }
                } else {
                    out.push(read_offer(m, label, w));
                }
            }
            None if x.is_null() => {}
            None => w.push(format!(
                "{label}offers: {} is not an offer: ignored",
                kind(x)
            )),
        }
    }
    Some(out)
}

fn read_flag(v: Option<&Value>, w: &mut Warnings) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::Null => None,
        Value::String(s) => match compact(term(short(s).unwrap_or(""))).as_str() {
            "true" | "yes" | "si" | "sim" | "1" => Some(true),
            "false" | "no" | "nao" | "0" => Some(false),
            _ => {
                w.push(format!(
                    "isAccessibleForFree {}: not true or false, not kept",
                    q(s)
                ));
                None
            }
        },
        x => {
            w.push(format!(
                "isAccessibleForFree: {} is not true or false: not kept",
                kind(x)
            ));
            None
        }
    }
}

/// Faro's cost (and price, currency) for a run, or why there is none.
fn cost(
    offers: Option<&[OfferRead]>,
    flag: Option<bool>,
    label: &str,
    w: &mut Warnings,
) -> Result<(&'static str, String, String), String> {
    let offers = offers.unwrap_or(&[]);
    let free_offer = offers.iter().any(|o| o.free);
    let paid_offer = offers.iter().any(|o| o.paid);
    if flag == Some(true) || free_offer {
        if flag == Some(false) {
            w.push(format!(
                "{label}: isAccessibleForFree false, but an offer is free: kept as free"
            ));
        }
        if paid_offer {
            w.push(format!(
                "{label}: paid offers not kept: the course can be followed for free"
            ));
        }
        return Ok(("free", String::new(), String::new()));
    }
    let priced: Vec<&(String, String)> = offers.iter().filter_map(|o| o.price.as_ref()).collect();
    if let Some(first) = priced.first() {
        let currency = &first.1;
        let same: Vec<&&(String, String)> = priced.iter().filter(|p| p.1 == *currency).collect();
        let lowest = same
            .iter()
            .min_by(|a, b| {
                let f = |s: &str| s.parse::<f64>().unwrap_or(f64::MAX);
                f(&a.0).total_cmp(&f(&b.0))
            })
            .map_or(first.0.clone(), |p| p.0.clone());
        if priced.len() > 1 {
            w.push(format!(
                "{label}: {} prices, the lowest in {currency} kept ({lowest})",
                priced.len()
            ));
        }
        return Ok(("paid", lowest, currency.clone()));
    }
    if paid_offer || flag == Some(false) {
        return Err(format!(
            "{label}: paid, but no usable price and currency: run not kept"
        ));
    }
    Err(format!(
        "{label}: no offers or isAccessibleForFree say what it costs: run not kept"
    ))
}

/// Faro's certificate from `educationalCredentialAwarded`.
fn certificate(v: Option<&Value>, index: &Index<'_>, w: &mut Warnings) -> Option<&'static str> {
    let v = v?;
    const RANK: [&str; 4] = ["none", "attendance", "assessed", "official"];
    let mut best: Option<usize> = None;
    for x in items(v).iter().take(MAX_LIST) {
        let mut said = String::new();
        match x {
            Value::String(s) => said.push_str(short(s).unwrap_or("")),
            Value::Object(_) => {
                let Some(m) = index.node(x) else { continue };
                for key in ["name", "credentialCategory", "@value"] {
                    if let Some(v) = prop(m, key) {
                        for y in items(v).iter().take(MAX_LIST) {
                            let t = match index.node(y) {
                                Some(n) if y.is_object() => prop(n, "name")
                                    .or_else(|| prop(n, "termCode"))
                                    .and_then(Value::as_str),
                                _ => y.as_str(),
                            };
                            if let Some(t) = t.and_then(short) {
                                said.push(' ');
                                said.push_str(term(t));
                            }
                        }
                    }
                }
            }
            Value::Null => continue,
            x => {
                w.push(format!(
                    "educationalCredentialAwarded: {} is not a credential: ignored",
                    kind(x)
                ));
                continue;
            }
        }
        let ws = words(&said);
        if ws.is_empty() {
            continue;
        }
        let has = |list: &[&str]| ws.iter().any(|x| list.contains(&x.as_str()));
        let none = matches!(ws.as_slice(), [one] if ["none", "no", "ninguno", "ninguna", "nenhum", "nenhuma"].contains(&one.as_str()))
            || ((has(&["sin", "sem", "without"]) || ws[0] == "no")
                && ws.iter().any(|x| x.starts_with("certif")));
        let rank = if none {
            0
        } else if has(&[
            "attendance",
            "participation",
            "asistencia",
            "participacion",
            "participacao",
            "frequencia",
            "constancia",
        ]) {
            1
        } else if has(&[
            "degree",
            "diploma",
            "official",
            "qualification",
            "titulo",
            "oficial",
            "titulacion",
            "licenciatura",
        ]) {
            3
        } else {
            2
        };
        best = Some(best.map_or(rank, |b| b.max(rank)));
    }
    best.map(|r| RANK[r])
}

/// What a course says once for all its runs.
struct CourseLevel {
    offers: Option<Vec<OfferRead>>,
    free: Option<bool>,
    certificate: Option<&'static str>,
    modes: Option<Modes>,
    hours: Option<i32>,
}

/// Weekly hours (and total, with `repeatCount`) and dates of a
/// `courseSchedule`.
#[derive(Default)]
struct Schedule {
    present: bool,
    week: Option<i32>,
    total: Option<i32>,
    start: Option<String>,
    end: Option<String>,
}

fn schedule(v: Option<&Value>, index: &Index<'_>, label: &str, w: &mut Warnings) -> Schedule {
    let mut s = Schedule::default();
    let Some(v) = v else { return s };
    let Some(m) = items(v).iter().find_map(|x| index.node(x)) else {
        if !v.is_null() {
            w.push(format!(
                "{label}courseSchedule: {} is not a schedule: ignored",
                kind(v)
            ));
        }
        return s;
    };
    s.present = true;
    s.start = day(
        prop(m, "startDate"),
        &format!("{label}courseSchedule startDate"),
        w,
    );
    s.end = day(
        prop(m, "endDate"),
        &format!("{label}courseSchedule endDate"),
        w,
    );
    let Some(hours) = study_hours(
        prop(m, "duration"),
        &format!("{label}courseSchedule duration"),
        w,
    ) else {
        return s;
    };
    let freq = text(prop(m, "repeatFrequency"), "repeatFrequency", w);
    let weekly = freq.as_deref().is_some_and(|f| {
        matches!(
            compact(term(f)).as_str(),
            "weekly" | "p1w" | "p7d" | "semanal" | "week"
        )
    });
    if !weekly {
        w.push(match &freq {
            Some(f) => format!(
                "{label}courseSchedule repeatFrequency {}: hours per week not kept",
                q(f)
            ),
            None => {
                format!("{label}courseSchedule without repeatFrequency: hours per week not kept")
            }
        });
        return s;
    }
    let by_day = prop(m, "byDay").map_or(0, |d| items(d).len());
    if by_day > 1 {
        w.push(format!(
            "{label}courseSchedule duration with {by_day} days a week (per day or per week?): hours per week not kept"
        ));
        return s;
    }
    s.week = Some(hours);
    let count = match prop(m, "repeatCount") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(t)) => t.trim().parse::<u64>().ok(),
        _ => None,
    };
    s.total = count
        .filter(|&c| (1..=1000).contains(&c))
        .and_then(|c| i32::try_from(c).ok())
        .and_then(|c| hours.checked_mul(c))
        .filter(|&t| t <= 100_000);
    s
}

fn seats(v: Option<&Value>, label: &str, w: &mut Warnings) -> Option<i32> {
    let v = v?;
    let (n, said) = match v {
        Value::Number(n) => (n.as_i64(), n.to_string()),
        Value::String(s) => (short(s).and_then(|s| s.trim().parse::<i64>().ok()), q(s)),
        Value::Null => return None,
        x => (None, kind(x).to_string()),
    };
    match n.filter(|&n| n >= 1).and_then(|n| i32::try_from(n).ok()) {
        Some(n) => Some(n),
        None => {
            w.push(format!(
                "{label}maximumAttendeeCapacity {said}: not a number of seats, not kept"
            ));
            None
        }
    }
}

/// One run from a `CourseInstance` (or the course itself), or why not.
fn read_run(
    inst: &Obj,
    course: &CourseLevel,
    own: bool,
    index: &Index<'_>,
    n: usize,
    w: &mut Warnings,
) -> Result<CourseRun, String> {
    let label_n = if own {
        format!("hasCourseInstance {n}")
    } else {
        "the course (as its own run)".to_string()
    };
    let p = format!("{label_n}: ");
    let sched = schedule(prop(inst, "courseSchedule"), index, &p, w);
    let start = day(prop(inst, "startDate"), &format!("{p}startDate"), w).or(sched.start.clone());
    let mut end = day(prop(inst, "endDate"), &format!("{p}endDate"), w).or(sched.end.clone());
    let label = match &start {
        Some(s) => format!("{label_n} ({s})"),
        None => label_n.clone(),
    };
    if let (Some(s), Some(e)) = (&start, &end)
        && e < s
    {
        w.push(format!(
            "{label}: endDate {e} before startDate {s}: end not kept"
        ));
        end = None;
    }
    // The course read as its own instance (`own` false) has only the
    // course-level values, already read.
    let own_modes = if own {
        read_modes(prop(inst, "courseMode"), w)
    } else {
        None
    };
    let modes = own_modes.as_ref().or(course.modes.as_ref());
    let modality = modality(modes, w, &label)?;
    let workload = study_hours(
        prop(inst, "courseWorkload"),
        &format!("{p}courseWorkload"),
        w,
    )
    .or(course.hours);
    let pacing = if modes.is_some_and(|m| m.self_paced && !m.instructor_led) {
        "self_paced"
    } else if modes.is_some_and(|m| m.instructor_led) || start.is_some() || sched.present {
        "instructor_led"
    } else if workload.is_some() || prop(inst, "courseWorkload").is_some() {
        "self_paced"
    } else {
        "instructor_led"
    };
    let own_offers = if own {
        read_offers(prop(inst, "offers"), index, &p, w)
    } else {
        None
    };
    let offers = own_offers.as_deref().or(course.offers.as_deref());
    let free = if own {
        read_flag(prop(inst, "isAccessibleForFree"), w)
    } else {
        None
    }
    .or(course.free);
    let (cost, price, currency) = cost(offers, free, &label, w)?;
    let own_cert = if own {
        certificate(prop(inst, "educationalCredentialAwarded"), index, w)
    } else {
        None
    };
    let certificate = own_cert.or(course.certificate).unwrap_or("none");
    let hours_total = workload.or(sched.total);
    let mut hours_week = sched.week;
    if let (Some(wk), Some(t)) = (hours_week, hours_total)
        && wk > t
    {
        w.push(format!(
            "{label}: {wk} hours a week but {t} in all: hours per week not kept"
        ));
        hours_week = None;
    }
    Ok(CourseRun {
        run_id: String::new(),
        run_start: start.unwrap_or_default(),
        run_end: end.unwrap_or_default(),
        enrolment_start: String::new(),
        enrolment_end: String::new(),
        pacing: pacing.to_string(),
        modality: modality.to_string(),
        hours_total,
        hours_week,
        cost: cost.to_string(),
        price,
        currency,
        certificate: certificate.to_string(),
        seats: seats(prop(inst, "maximumAttendeeCapacity"), &p, w),
    })
}

const LEVELS_BY_WORD: &[(&str, &[&str])] = &[
    (
        "introductory",
        &[
            "beginner",
            "beginners",
            "introductory",
            "introduction",
            "intro",
            "basic",
            "basico",
            "basica",
            "basicos",
            "inicial",
            "iniciante",
            "iniciantes",
            "principiante",
            "principiantes",
            "elementary",
            "elemental",
            "fundamentals",
            "fundamentos",
            "novice",
            "introductorio",
            "introductoria",
            "introdutorio",
            "introducao",
            "introduccion",
        ],
    ),
    (
        "intermediate",
        &[
            "intermediate",
            "intermedio",
            "intermedia",
            "intermediario",
            "intermediaria",
        ],
    ),
    (
        "advanced",
        &[
            "advanced", "avanzado", "avanzada", "avancado", "avancada", "expert", "experts",
            "experto",
        ],
    ),
];

fn level(v: Option<&Value>, index: &Index<'_>, w: &mut Warnings) -> Option<&'static str> {
    let v = v?;
    let mut said: Vec<String> = Vec::new();
    for x in items(v).iter().take(MAX_LIST) {
        match x {
            Value::String(s) => said.extend(short(s).map(String::from)),
            Value::Object(_) => {
                if let Some(m) = index.node(x)
                    && let Some(t) = ["name", "termCode", "@value"]
                        .iter()
                        .find_map(|k| prop(m, k).and_then(Value::as_str).and_then(short))
                {
                    said.push(t.to_string());
                }
            }
            Value::Null => {}
            x => w.push(format!(
                "educationalLevel: {} is not a level: ignored",
                kind(x)
            )),
        }
    }
    let mut found: Vec<&'static str> = Vec::new();
    for s in &said {
        let ws = words(term(s));
        for (lvl, keys) in LEVELS_BY_WORD {
            if ws.iter().any(|x| keys.contains(&x.as_str())) && !found.contains(lvl) {
                found.push(lvl);
            }
        }
    }
    match found.as_slice() {
        [one] => Some(one),
        [] if said.is_empty() => None,
        _ => {
            w.push(format!(
                "educationalLevel {}: matches {} of Faro's levels, not kept",
                q(&said.join(", ")),
                if found.is_empty() {
                    "none"
                } else {
                    "more than one"
                }
            ));
            None
        }
    }
}

/// The fields [`Harvested::supplied`] names, in the history's order
/// (`faro_store::courses::fields`).
const FIELD_ORDER: &[&str] = &[
    "title_es",
    "title_en",
    "title_pt",
    "description_es",
    "description_en",
    "description_pt",
    "original_language",
    "level",
    "languages",
    "url",
    "runs",
];

/// Properties that make a course its own instance when it lists none.
const INSTANCE_PROPS: &[&str] = &[
    "courseMode",
    "courseWorkload",
    "courseSchedule",
    "startDate",
];

/// Reads one course node; `Err` with the reason it was dropped.
fn read_course(
    m: &Obj,
    index: &Index<'_>,
    page_url: &str,
    html_lang: Option<&str>,
    default_lang: usize,
) -> Result<Harvested, (String, Vec<String>)> {
    let mut w = Warnings::default();
    let mut supplied: Vec<&'static str> = Vec::new();
    let mut course = Course::default();

    // Languages, and the language of untagged texts.
    let instances: Vec<&Obj> = prop(m, "hasCourseInstance")
        .map(|v| items(v).iter().filter_map(|x| index.node(x)).collect())
        .unwrap_or_default();
    let mut langs = languages(prop(m, "inLanguage"), index, &mut w);
    if langs.is_empty() {
        for inst in instances.iter().take(MAX_RUNS) {
            for l in languages(prop(inst, "inLanguage"), index, &mut w) {
                if !langs.contains(&l) {
                    langs.push(l);
                }
            }
        }
    }
    let stated = langs
        .iter()
        .find_map(|l| slot_of(l))
        .map(|s| (s, true))
        .or_else(|| html_lang.and_then(slot_of).map(|s| (s, true)));
    let (text_lang, lang_stated) = stated.unwrap_or((default_lang, false));
    if !langs.is_empty() {
        course.languages = langs;
        supplied.push("languages");
    }

    // Names and descriptions.
    let titles = slot_texts(prop(m, "name"), "name", text_lang, false, &mut w);
    if titles.iter().all(String::is_empty) {
        let mut list = w.done();
        let why = match prop(m, "url").and_then(Value::as_str) {
            Some(u) => format!("a Course without a name (url {}): not kept", q(u)),
            None => "a Course without a name: not kept".to_string(),
        };
        list.insert(0, why.clone());
        return Err((why, list));
    }
    let descriptions = slot_texts(
        prop(m, "description"),
        "description",
        text_lang,
        true,
        &mut w,
    );
    let [te, tn, tp] = titles;
    let [de, dn, dp] = descriptions;
    for (i, (slot, value)) in [
        (&mut course.title_es, te),
        (&mut course.title_en, tn),
        (&mut course.title_pt, tp),
    ]
    .into_iter()
    .enumerate()
    {
        let value = match cut(&value, MAX_TITLE) {
            Some(c) => {
                w.push(format!(
                    "name ({}) longer than {MAX_TITLE} characters: cut",
                    SLOTS[i]
                ));
                c
            }
            None => value,
        };
        if !value.is_empty() {
            supplied.push(["title_es", "title_en", "title_pt"][i]);
        }
        *slot = value;
    }
    for (i, (slot, value)) in [
        (&mut course.description_es, de),
        (&mut course.description_en, dn),
        (&mut course.description_pt, dp),
    ]
    .into_iter()
    .enumerate()
    {
        let value = match cut(&value, MAX_DESCRIPTION) {
            Some(c) => {
                w.push(format!(
                    "description ({}) longer than {MAX_DESCRIPTION} characters: cut",
                    SLOTS[i]
                ));
                c
            }
            None => value,
        };
        if !value.is_empty() {
            supplied.push(["description_es", "description_en", "description_pt"][i]);
        }
        *slot = value;
    }
    let have = [&course.title_es, &course.title_en, &course.title_pt];
    let original = if have[text_lang].is_empty() {
        (0..3).find(|&i| !have[i].is_empty()).unwrap_or(text_lang)
    } else {
        text_lang
    };
    course.original_language = SLOTS[original].to_string();
    if lang_stated || original != text_lang {
        supplied.push("original_language");
    }

    // Address.
    let page = resolve_url(page_url, page_url).unwrap_or_default();
    course.url = page.clone();
    if let Some(u) = text(prop(m, "url"), "url", &mut w) {
        match resolve_url(page_url, &u) {
            Some(abs) => {
                course.url = abs;
                supplied.push("url");
            }
            None => w.push(format!("url {}: not an http(s) address, not kept", q(&u))),
        }
    }

    if let Some(l) = level(prop(m, "educationalLevel"), index, &mut w) {
        course.level = l.to_string();
        supplied.push("level");
    }

    // Runs.
    let course_level = CourseLevel {
        offers: read_offers(prop(m, "offers"), index, "", &mut w),
        free: read_flag(prop(m, "isAccessibleForFree"), &mut w),
        certificate: certificate(prop(m, "educationalCredentialAwarded"), index, &mut w),
        modes: read_modes(prop(m, "courseMode"), &mut w),
        hours: prop(m, "timeRequired").and_then(|v| study_hours(Some(v), "timeRequired", &mut w)),
    };
    let listed = prop(m, "hasCourseInstance");
    if let Some(v) = listed {
        let all = items(v);
        let total = match v {
            Value::Array(a) => a.len(),
            _ => 1,
        };
        if total > MAX_RUNS {
            w.push(format!(
                "{total} course instances: only the first {MAX_RUNS} read"
            ));
        }
        for x in all
            .iter()
            .filter(|x| !x.is_null() && index.node(x).is_none())
            .take(5)
        {
            w.push(format!(
                "hasCourseInstance: {} is not a CourseInstance: ignored",
                kind(x)
            ));
        }
    }
    let from_course = listed.is_none() && INSTANCE_PROPS.iter().any(|p| prop(m, p).is_some());
    let runs_from: Vec<&Obj> = if from_course { vec![m] } else { instances };
    if runs_from.is_empty()
        && (course_level.offers.is_some()
            || course_level.free.is_some()
            || course_level.certificate.is_some())
    {
        w.push(
            "offers, isAccessibleForFree or educationalCredentialAwarded without a course instance: not kept (Faro keeps cost and certificate per run)"
                .to_string(),
        );
    }
    for (i, inst) in runs_from.iter().take(MAX_RUNS).enumerate() {
        match read_run(inst, &course_level, !from_course, index, i + 1, &mut w) {
            Ok(mut run) => {
                let base = if run.run_start.is_empty() {
                    "run".to_string()
                } else {
                    run.run_start.clone()
                };
                let mut id = base.clone();
                let mut k = 2;
                while course.runs.iter().any(|r| r.run_id == id) {
                    id = format!("{base}-{k}");
                    k += 1;
                }
                run.run_id = id;
                course.runs.push(run);
            }
            Err(why) => w.push(why),
        }
    }
    if !course.runs.is_empty() {
        supplied.push("runs");
    }
    supplied.sort_by_key(|f| FIELD_ORDER.iter().position(|x| x == f));
    Ok(Harvested {
        course,
        supplied,
        warnings: w.done(),
    })
}

/// Every schema.org Course in the page's JSON-LD blocks. `default_lang` ("es"/"en"/"pt") is used
/// when neither the course's inLanguage nor the page's <html lang> says which language it is in.
pub fn courses_in_html(
    html: &str,
    page_url: &str,
    default_lang: &str,
) -> Result<Vec<Harvested>, PageProblem> {
    let default_lang = slot_of(default_lang).unwrap_or(0);
    let scanned = scan(html);
    if scanned.blocks.is_empty() {
        return Err(PageProblem::NoJsonLd);
    }
    let mut page_w: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut first_bad: Option<(usize, String)> = None;
    for (i, block) in scanned.blocks.iter().enumerate() {
        match parse_block(block) {
            Ok((v, lenient)) => {
                if lenient && page_w.len() < MAX_WARNINGS {
                    page_w.push(format!(
                        "JSON-LD block {} is not strict JSON (comments, trailing commas or line breaks in strings): read leniently",
                        i + 1
                    ));
                }
                values.push(v);
            }
            Err(e) => {
                if page_w.len() < MAX_WARNINGS {
                    page_w.push(format!(
                        "JSON-LD block {} is not valid JSON ({e}): ignored",
                        i + 1
                    ));
                }
                first_bad.get_or_insert((i + 1, e));
            }
        }
    }
    let index = Index::build(&values);
    let mut nodes = find_courses(&values, &index, MAX_COURSES);
    if nodes.len() > MAX_COURSES {
        nodes.truncate(MAX_COURSES);
        page_w.push(format!(
            "more than {MAX_COURSES} courses in the page: only the first {MAX_COURSES} read"
        ));
    }
    let mut out = Vec::new();
    let mut dropped_detail: Vec<String> = Vec::new();
    for m in &nodes {
        match read_course(
            m,
            &index,
            page_url,
            scanned.html_lang.as_deref(),
            default_lang,
        ) {
            Ok(h) => out.push(h),
            Err((why, detail)) => {
                if page_w.len() < MAX_WARNINGS {
                    page_w.push(why);
                }
                if dropped_detail.len() < MAX_WARNINGS {
                    dropped_detail.extend(detail);
                }
            }
        }
    }
    if out.is_empty() {
        if !nodes.is_empty() {
            let mut all = page_w;
            for d in dropped_detail {
                if !all.contains(&d) {
                    all.push(d);
                }
            }
            all.truncate(MAX_WARNINGS);
            return Err(PageProblem::NoUsableCourse { warnings: all });
        }
        if let Some((block, message)) = first_bad {
            return Err(PageProblem::BadJson { block, message });
        }
        return Err(PageProblem::NoCourse);
    }
    // What concerns the page is told with each of its courses.
    for h in &mut out {
        let mut merged = page_w.clone();
        merged.append(&mut h.warnings);
        h.warnings = merged;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BASE: &str = "https://inst.example.org/cursos/a.html";

    fn page(json: &str) -> String {
        format!(
            "<html><head><script type=\"application/ld+json\">{json}</script></head><body></body></html>"
        )
    }

    fn all(json: &str) -> Vec<Harvested> {
        courses_in_html(&page(json), BASE, "es").unwrap()
    }

    fn one(json: &str) -> Harvested {
        let mut v = all(json);
        assert_eq!(v.len(), 1, "{v:?}");
        let h = v.remove(0);
        assert_valid(&h);
        h
    }

    /// A harvested course passes Faro's validation once id and providers
    /// are set.
    fn assert_valid(h: &Harvested) {
        let mut c = h.course.clone();
        c.id = "c".into();
        c.providers = vec!["inst".into()];
        let e = c.validate(faro_domain::observatory::current());
        assert!(e.is_empty(), "{e:?} for {c:#?}");
    }

    /// A course named "C" with the given instance JSON (and course-level
    /// extra properties).
    fn with_instance(instance: &str, extra: &str) -> Harvested {
        one(&format!(
            r#"{{"@type":"Course","name":"C"{extra},"hasCourseInstance":{instance}}}"#
        ))
    }

    fn has_warning(h: &Harvested, part: &str) -> bool {
        h.warnings.iter().any(|w| w.contains(part))
    }

    // ------------------------------------------------------------ fixtures

    /// What extruct_read.py prints for a page: (name, url, starts, prices).
    fn summary(h: &Harvested) -> (String, String, Vec<String>, Vec<String>) {
        let mut starts: Vec<String> = h
            .course
            .runs
            .iter()
            .map(|r| r.run_start.clone())
            .filter(|s| !s.is_empty())
            .collect();
        starts.sort();
        let mut prices: Vec<String> = h
            .course
            .runs
            .iter()
            .map(|r| r.price.clone())
            .filter(|s| !s.is_empty())
            .collect();
        prices.sort();
        prices.dedup();
        (
            h.course.original_title().to_string(),
            h.course.url.clone(),
            starts,
            prices,
        )
    }

    fn fixture(name: &str, html: &str) -> Result<Vec<Harvested>, PageProblem> {
        let r = courses_in_html(html, &format!("http://HOST/{name}"), "es");
        if let Ok(v) = &r {
            v.iter().for_each(assert_valid);
        }
        r
    }

    const GRAPH: &str = include_str!("../../../tests/data/harvest/course-graph.html");
    const CATALOGUE: &str = include_str!("../../../tests/data/harvest/catalogue-runs-offers.html");
    const SELF_PACED: &str = include_str!("../../../tests/data/harvest/course-self-paced.html");
    const PT: &str = include_str!("../../../tests/data/harvest/curso-pt.html");
    const HOSTILE: &str = include_str!("../../../tests/data/harvest/broken-and-hostile.html");
    const NO_COURSE: &str = include_str!("../../../tests/data/harvest/no-course.html");

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn fixtures_read_as_extruct_reads_them() {
        // The values extruct_read.py prints for these files.
        type Expected<'a> = (&'a str, &'a str, &'a [&'a str], &'a [&'a str]);
        let expect: &[(&str, &str, &[Expected])] = &[
            (
                "course-graph.html",
                GRAPH,
                &[(
                    "Curso de prueba: seguridad en el trabajo",
                    "http://HOST/cursos/seguridad-en-el-trabajo/",
                    &["2025-03-10", "2025-08-04"],
                    &[],
                )],
            ),
            (
                "catalogue-runs-offers.html",
                CATALOGUE,
                &[
                    (
                        "Curso de prueba: soldadura básica",
                        "https://campus.example.net/course/view.php?id=101",
                        &["2025-04-07", "2025-09-01"],
                        &["120.50", "135"],
                    ),
                    (
                        "Curso de prueba: electricidad domiciliaria",
                        "http://HOST/course/view.php?id=102",
                        &["2025-05-05"],
                        &["80"],
                    ),
                ],
            ),
            (
                "course-self-paced.html",
                SELF_PACED,
                &[(
                    "Test course: spreadsheets for small workshops",
                    "https://academy.example.com/learn/spreadsheets-for-workshops",
                    &[],
                    &[],
                )],
            ),
            (
                "curso-pt.html",
                PT,
                &[(
                    "Curso de teste: logística e armazém",
                    "http://HOST/curso-pt.html",
                    &["2025-03-17"],
                    &["350"],
                )],
            ),
            (
                "broken-and-hostile.html",
                HOSTILE,
                &[(
                    "Curso de prueba: primeros auxilios",
                    "http://HOST/broken-and-hostile.html",
                    &["2025-06-02"],
                    &[],
                )],
            ),
        ];
        for (file, html, courses) in expect {
            let got: Vec<_> = fixture(file, html).unwrap().iter().map(summary).collect();
            let want: Vec<_> = courses
                .iter()
                .map(|(n, u, st, pr)| (n.to_string(), u.to_string(), s(st), s(pr)))
                .collect();
            assert_eq!(got, want, "{file}");
        }
        assert_eq!(
            fixture("no-course.html", NO_COURSE),
            Err(PageProblem::NoCourse)
        );
    }

    #[test]
    fn graph_fixture_in_detail() {
        let h = fixture("course-graph.html", GRAPH).unwrap().remove(0);
        let c = &h.course;
        assert_eq!(c.original_language, "es");
        assert_eq!(c.languages, ["es"]);
        assert_eq!(c.level, "introductory");
        assert!(
            c.description_es
                .starts_with("Prevención de riesgos laborales")
        );
        assert_eq!(c.runs.len(), 2);
        let r = &c.runs[0];
        assert_eq!(
            (r.run_id.as_str(), r.run_start.as_str(), r.run_end.as_str()),
            ("2025-03-10", "2025-03-10", "2025-04-18")
        );
        assert_eq!(
            (
                r.pacing.as_str(),
                r.modality.as_str(),
                r.cost.as_str(),
                r.certificate.as_str()
            ),
            ("instructor_led", "online", "free", "attendance")
        );
        assert_eq!((r.hours_week, r.hours_total), (Some(4), Some(24)));
        let r = &c.runs[1];
        assert_eq!(
            (r.run_start.as_str(), r.run_end.as_str()),
            ("2025-08-04", "2025-09-12")
        );
        assert_eq!((r.hours_week, r.hours_total), (Some(4), Some(24)));
        assert_eq!(
            h.supplied,
            [
                "title_es",
                "description_es",
                "original_language",
                "level",
                "languages",
                "url",
                "runs"
            ]
        );
        assert!(h.warnings.is_empty(), "{:?}", h.warnings);
    }

    #[test]
    fn catalogue_fixture_in_detail() {
        let v = fixture("catalogue-runs-offers.html", CATALOGUE).unwrap();
        let c = &v[0].course;
        assert_eq!(c.title_es, "Curso de prueba: soldadura básica");
        assert_eq!(c.title_en, "Test course: basic welding");
        assert_eq!(
            c.description_es,
            "Soldadura por arco con electrodo revestido.\n\nPrácticas en taller, con equipo de protección."
        );
        assert_eq!(c.languages, ["es", "en"]);
        assert_eq!(c.level, "introductory");
        let r = &c.runs;
        assert_eq!(
            (
                r[0].cost.as_str(),
                r[0].price.as_str(),
                r[0].currency.as_str()
            ),
            ("paid", "120.50", "USD")
        );
        assert_eq!(
            (r[0].modality.as_str(), r[0].pacing.as_str()),
            ("blended", "instructor_led")
        );
        assert_eq!(r[0].hours_total, Some(60));
        assert_eq!(
            (r[1].price.as_str(), r[1].modality.as_str(), r[1].seats),
            ("135", "blended", Some(20))
        );
        assert!(v[0].supplied.contains(&"title_en"));
        let c = &v[1].course;
        let r = &c.runs[0];
        assert_eq!((r.price.as_str(), r.currency.as_str()), ("80", "UYU"));
        assert_eq!(
            (r.certificate.as_str(), r.pacing.as_str()),
            ("assessed", "instructor_led")
        );
        assert_eq!(c.level, "");
        assert!(!v[1].supplied.contains(&"level"));
    }

    #[test]
    fn self_paced_fixture_in_detail() {
        let h = fixture("course-self-paced.html", SELF_PACED)
            .unwrap()
            .remove(0);
        let c = &h.course;
        assert_eq!(
            (c.original_language.as_str(), c.languages.clone()),
            ("en", s(&["en"]))
        );
        assert_eq!(
            c.description_en,
            "Keep stock, orders and invoices of a small workshop in a spreadsheet. Short videos & quizzes; fictional test data."
        );
        let r = &c.runs[0];
        assert_eq!(r.run_id, "run");
        assert_eq!(
            (
                r.pacing.as_str(),
                r.modality.as_str(),
                r.cost.as_str(),
                r.certificate.as_str()
            ),
            ("self_paced", "online", "free", "assessed")
        );
        // PT12H30M: 12.5 hours, rounded.
        assert_eq!((r.hours_total, r.hours_week), (Some(13), None));
        assert!(r.run_start.is_empty() && r.price.is_empty());
    }

    #[test]
    fn portuguese_fixture_in_detail() {
        let h = fixture("curso-pt.html", PT).unwrap().remove(0);
        let c = &h.course;
        assert_eq!(c.title_pt, "Curso de teste: logística e armazém");
        assert!(c.title_es.is_empty() && c.title_en.is_empty());
        assert_eq!(c.original_language, "pt");
        assert_eq!(c.languages, ["pt-BR"]);
        assert_eq!(c.level, "intermediate");
        assert_eq!(
            c.description_pt,
            "Recebimento, armazenagem e expedição de mercadorias.\nInclui planilhas de controle (dados fictícios)."
        );
        let r = &c.runs[0];
        assert_eq!(
            (
                r.modality.as_str(),
                r.pacing.as_str(),
                r.cost.as_str(),
                r.price.as_str(),
                r.currency.as_str()
            ),
            ("blended", "instructor_led", "paid", "350", "BRL")
        );
        assert_eq!(r.certificate, "attendance");
        assert_eq!((r.hours_week, r.hours_total), (Some(6), Some(66)));
        // The raw line break in a string: read leniently, and said.
        assert!(has_warning(&h, "read leniently"), "{:?}", h.warnings);
    }

    #[test]
    fn hostile_fixture_in_detail() {
        let h = fixture("broken-and-hostile.html", HOSTILE)
            .unwrap()
            .remove(0);
        let c = &h.course;
        assert_eq!(c.title_es, "Curso de prueba: primeros auxilios");
        assert_eq!(
            c.description_es,
            "Atención inicial de heridas & quemaduras.\n\nIncluye práctica con maniquí."
        );
        assert!(!c.title_es.contains('<') && !c.description_es.contains('<'));
        assert_eq!(c.languages, ["es"]);
        assert_eq!(c.level, "");
        let r = &c.runs[0];
        assert_eq!(
            (r.run_start.as_str(), r.run_end.as_str()),
            ("2025-06-02", "")
        );
        assert_eq!((r.cost.as_str(), r.price.as_str()), ("free", ""));
        assert_eq!(r.hours_week, Some(2));
        assert!(has_warning(&h, "JSON-LD block 1 is not valid JSON"));
        assert!(has_warning(&h, "educationalLevel \"Todos los niveles\""));
        assert!(has_warning(
            &h,
            "endDate 2025-05-01 before startDate 2025-06-02"
        ));
        // Neither the script's text nor the commented-out block is read.
        assert!(!h.warnings.iter().any(|w| w.contains("No es un curso")));
    }

    // ------------------------------------------------------------- scanner

    #[test]
    fn blocks_are_found_as_pages_write_them() {
        let c = r#"{"@type":"Course","name":"N"}"#;
        for html in [
            format!("<SCRIPT TYPE=application/ld+json>{c}</SCRIPT>"),
            format!(
                "<script\n  id=\"x\" type = 'application/ld+json' data-a=\"b>c\">{c}</script >"
            ),
            format!("<script type=\"Application/LD+JSON; charset=utf-8\">{c}</script>"),
            format!("<script type=\"application/ld+json\">\n<!--\n{c}\n-->\n</script>"),
            format!("<script type=\"application/ld+json\">//<![CDATA[\n{c}\n//]]></script>"),
            format!("<script type=\"application/ld+json\">/*<![CDATA[*/{c}/*]]>*/</script>"),
            format!("<script type=\"application/ld+json\">\u{feff}{c}</script>"),
            // No end tag: the block runs to the end of the page.
            format!("<p>x</p><script type=\"application/ld+json\">{c}"),
        ] {
            let v = courses_in_html(&html, BASE, "es").unwrap_or_else(|e| panic!("{e}: {html}"));
            assert_eq!(v[0].course.title_es, "N", "{html}");
        }
        for html in [
            format!("<!-- <script type=\"application/ld+json\">{c}</script> -->"),
            format!("<script>var s = '<script type=\"application/ld+json\">{c}';</script>"),
            format!("<scripts type=\"application/ld+json\">{c}</scripts>"),
            format!("<script type=\"application/json\">{c}</script>"),
            format!("<textarea><script type=\"application/ld+json\">{c}</script></textarea>"),
        ] {
            assert_eq!(
                courses_in_html(&html, BASE, "es").unwrap_err(),
                PageProblem::NoJsonLd,
                "{html}"
            );
        }
    }

    #[test]
    fn many_blocks_and_broken_ones() {
        let good =
            r#"<script type="application/ld+json">{"@type":"Course","name":"Bueno"}</script>"#;
        let bad = r#"<script type="application/ld+json">{"@type":"Course","name":</script>"#;
        let other =
            r#"<script type="application/ld+json">{"@type":"Organization","name":"O"}</script>"#;
        let v = courses_in_html(&format!("{bad}{other}{good}{good}"), BASE, "es").unwrap();
        assert_eq!(v.len(), 2);
        assert!(v[0].warnings[0].starts_with("JSON-LD block 1 is not valid JSON"));
        match courses_in_html(&format!("{other}{bad}"), BASE, "es") {
            Err(PageProblem::BadJson { block: 2, message }) => assert!(!message.is_empty()),
            e => panic!("{e:?}"),
        }
        assert_eq!(
            courses_in_html("<p>no</p>", BASE, "es"),
            Err(PageProblem::NoJsonLd)
        );
        assert_eq!(
            courses_in_html(other, BASE, "es"),
            Err(PageProblem::NoCourse)
        );
        let e = PageProblem::BadJson {
            block: 2,
            message: "EOF".into(),
        };
        assert_eq!(e.to_string(), "JSON-LD block 2 is not valid JSON: EOF");
    }

    #[test]
    fn lenient_json() {
        let h = one(
            "{\"@type\":\"Course\", // a comment\n \"name\":\"Línea\nrota\", /* c */ \"inLanguage\":[\"es\",],};",
        );
        assert_eq!(h.course.title_es, "Línea rota");
        assert_eq!(h.course.languages, ["es"]);
        assert!(has_warning(&h, "read leniently"));
        // A URL's // in a string is not a comment.
        let h = one(r#"{"@type":"Course","name":"U","url":"https://x.example/a",}"#);
        assert_eq!(h.course.url, "https://x.example/a");
    }

    // --------------------------------------------------------------- shapes

    #[test]
    fn courses_anywhere_in_the_value() {
        let course = |n: &str| format!(r#"{{"@type":"Course","name":"{n}"}}"#);
        let names = |json: &str| -> Vec<String> {
            all(json).into_iter().map(|h| h.course.title_es).collect()
        };
        assert_eq!(
            names(&format!("[{},{}]", course("A"), course("B"))),
            ["A", "B"]
        );
        assert_eq!(
            names(&format!(
                r#"{{"@context":"https://schema.org","@graph":[{{"@type":"WebSite"}},{}]}}"#,
                course("G")
            )),
            ["G"]
        );
        assert_eq!(
            names(&format!(
                r#"{{"@type":"ItemList","itemListElement":[{{"@type":"ListItem","item":{}}},{{"@type":"ListItem","item":{}}}]}}"#,
                course("I1"),
                course("I2")
            )),
            ["I1", "I2"]
        );
        assert_eq!(
            names(&format!(
                r#"{{"@type":"WebPage","mainEntity":{}}}"#,
                course("M")
            )),
            ["M"]
        );
        for t in [
            r#""Course""#,
            r#"["Thing","Course"]"#,
            r#""schema:Course""#,
            r#""https://schema.org/Course""#,
            r#""http://schema.org/Course""#,
        ] {
            assert_eq!(
                names(&format!(r#"{{"@type":{t},"name":"T"}}"#)),
                ["T"],
                "{t}"
            );
        }
        // Expanded JSON-LD.
        assert_eq!(
            names(
                r#"[{"@type":["http://schema.org/Course"],"http://schema.org/name":[{"@value":"X"}]}]"#
            ),
            ["X"]
        );
        // A prerequisite is not a catalogue entry.
        assert_eq!(
            names(
                r#"{"@type":"Course","name":"P","coursePrerequisites":{"@type":"Course","name":"Q"}}"#
            ),
            ["P"]
        );
        // One course per @id: the reference and the full node are one.
        assert_eq!(
            names(
                r##"{"@graph":[{"@type":"WebPage","mainEntity":{"@type":"Course","@id":"#c"}},{"@type":"Course","@id":"#c","name":"Full"}]}"##
            ),
            ["Full"]
        );
    }

    // ---------------------------------------------------------------- texts

    #[test]
    fn text_values_of_every_shape() {
        let h = one(
            r#"{"@type":"Course","name":[{"@value":"Título","@language":"es"},{"@value":"Title","@language":"en-GB"},{"@value":"Título pt","@language":"pt"},{"@value":"Titre","@language":"fr"}]}"#,
        );
        assert_eq!(
            (
                h.course.title_es.as_str(),
                h.course.title_en.as_str(),
                h.course.title_pt.as_str()
            ),
            ("Título", "Title", "Título pt")
        );
        assert!(has_warning(&h, "name in \"fr\": not kept"));
        let h = one(r#"{"@type":"Course","name":["Primero","Segundo"]}"#);
        assert_eq!(h.course.title_es, "Primero");
        assert!(has_warning(&h, "1 more values without a language"));
        let h = one(r#"{"@type":"Course","name":2024}"#);
        assert_eq!(h.course.title_es, "2024");
        assert!(has_warning(&h, "name given as a number (2024)"));
        let h = one(
            r#"{"@type":"Course","name":"Salud &amp; seguridad &ndash; nivel&nbsp;1 &#8220;A&#x201D; <b>bold</b>  x"}"#,
        );
        assert_eq!(h.course.title_es, "Salud & seguridad – nivel 1 “A” bold x");
        // Markup spelt with entities is removed too; control and bidi
        // characters dropped.
        let h = one(
            r#"{"@type":"Course","name":"A &lt;script&gt;alert(1)&lt;/script&gt;B\u0007\u202eC"}"#,
        );
        assert_eq!(h.course.title_es, "A BC");
        let h = one(r#"{"@type":"Course","name":"x < y, 3<4"}"#);
        assert_eq!(h.course.title_es, "x < y, 3<4");
        // Only English: the original language follows the title.
        let h = one(r#"{"@type":"Course","name":{"@value":"Only English","@language":"en"}}"#);
        assert_eq!(
            (
                h.course.original_language.as_str(),
                h.course.title_es.as_str()
            ),
            ("en", "")
        );
        assert!(h.supplied.contains(&"original_language"));
        // Only French: kept as the text language's title, said.
        let h = one(r#"{"@type":"Course","name":{"@value":"Cours","@language":"fr"}}"#);
        assert_eq!(h.course.title_es, "Cours");
        assert!(has_warning(&h, "name only in \"fr\""));
        let long = "palabra ".repeat(100);
        let h = one(&format!(r#"{{"@type":"Course","name":"{long}"}}"#));
        assert!(h.course.title_es.chars().count() <= MAX_TITLE);
        assert!(h.course.title_es.ends_with("palabra…"));
        assert!(has_warning(&h, "longer than 300 characters"));
    }

    #[test]
    fn a_course_without_a_name_is_dropped() {
        for name in [
            r#""name":{"x":1}"#,
            r#""name":"  <b></b> ""#,
            r#""name":null"#,
            r#""description":"d""#,
        ] {
            match courses_in_html(
                &page(&format!(r#"{{"@type":"Course",{name}}}"#)),
                BASE,
                "es",
            ) {
                Err(PageProblem::NoUsableCourse { warnings }) => {
                    assert!(warnings[0].contains("without a name"), "{warnings:?}")
                }
                r => panic!("{name}: {r:?}"),
            }
        }
        let v = all(r#"[{"@type":"Course"},{"@type":"Course","name":"Ok"}]"#);
        assert_eq!(v.len(), 1);
        assert!(has_warning(&v[0], "a Course without a name: not kept"));
    }

    #[test]
    fn languages_as_pages_write_them() {
        let langs = |v: &str| {
            one(&format!(
                r#"{{"@type":"Course","name":"N","inLanguage":{v}}}"#
            ))
        };
        assert_eq!(langs(r#""es-419""#).course.languages, ["es-419"]);
        assert_eq!(langs(r#""es_mx""#).course.languages, ["es-MX"]);
        assert_eq!(langs(r#""Spanish""#).course.languages, ["es"]);
        assert_eq!(
            langs(r#""Español (Latinoamérica)""#).course.languages,
            ["es"]
        );
        assert_eq!(langs(r#""spa""#).course.languages, ["es"]);
        assert_eq!(
            langs(r#"["pt-br","en","pt-BR"]"#).course.languages,
            ["pt-BR", "en"]
        );
        let h = langs(r#"["pt-br","en"]"#);
        assert_eq!(h.course.original_language, "pt");
        assert_eq!(h.course.title_pt, "N");
        let h = langs(r#"{"@type":"Language","name":"Portuguese","alternateName":"pt"}"#);
        assert_eq!(h.course.languages, ["pt"]);
        let h = langs(r#"["Klingon","en"]"#);
        assert_eq!(h.course.languages, ["en"]);
        assert!(has_warning(
            &h,
            "inLanguage \"Klingon\": not a known language"
        ));
        // No inLanguage: the page's <html lang>, else the default.
        let html = r#"<html lang="pt-PT"><script type="application/ld+json">{"@type":"Course","name":"N"}</script>"#;
        let h = courses_in_html(html, BASE, "es").unwrap().remove(0);
        assert_eq!(
            (
                h.course.original_language.as_str(),
                h.course.title_pt.as_str()
            ),
            ("pt", "N")
        );
        assert!(h.course.languages.is_empty() && h.supplied.contains(&"original_language"));
        let h = courses_in_html(&page(r#"{"@type":"Course","name":"N"}"#), BASE, "en")
            .unwrap()
            .remove(0);
        assert_eq!(
            (
                h.course.original_language.as_str(),
                h.course.title_en.as_str()
            ),
            ("en", "N")
        );
        assert!(!h.supplied.contains(&"original_language"));
    }

    #[test]
    fn urls_are_absolute() {
        let url = |u: &str| one(&format!(r#"{{"@type":"Course","name":"N","url":{u}}}"#));
        for (u, want) in [
            (r#""/c/1""#, "https://inst.example.org/c/1"),
            (
                r#""b.html?x=1#top""#,
                "https://inst.example.org/cursos/b.html?x=1#top",
            ),
            (
                r#""../otros/c d.html""#,
                "https://inst.example.org/otros/c%20d.html",
            ),
            (
                r#""?page=2""#,
                "https://inst.example.org/cursos/a.html?page=2",
            ),
            (r#""//cdn.example.net/x""#, "https://cdn.example.net/x"),
            (
                r#"" HTTP://Other.example.com ""#,
                "http://Other.example.com/",
            ),
            (
                r#"["https://x.example/first","https://x.example/second"]"#,
                "https://x.example/first",
            ),
        ] {
            let h = url(u);
            assert_eq!(h.course.url, want, "{u}");
            assert!(h.supplied.contains(&"url"));
        }
        for u in [
            r#""javascript:alert(1)""#,
            r#""mailto:a@b.c""#,
            r#""https://""#,
            r#""ftp://x.example/""#,
        ] {
            let h = url(u);
            assert_eq!(h.course.url, BASE, "{u}");
            assert!(!h.supplied.contains(&"url"));
            assert!(has_warning(&h, "not an http(s) address"), "{u}");
        }
        assert_eq!(url("null").course.url, BASE);
    }

    #[test]
    fn levels_when_they_clearly_match() {
        let lvl = |v: &str| {
            one(&format!(
                r#"{{"@type":"Course","name":"N","educationalLevel":{v}}}"#
            ))
        };
        for (v, want) in [
            (r#""Beginner""#, "introductory"),
            (r#""Nivel básico""#, "introductory"),
            (r#""Iniciante""#, "introductory"),
            (r#""Intermedio""#, "intermediate"),
            (r#""Avançado""#, "advanced"),
            (r#"{"@type":"DefinedTerm","name":"Advanced"}"#, "advanced"),
            (
                r#""https://example.org/levels/Intermediate""#,
                "intermediate",
            ),
        ] {
            assert_eq!(lvl(v).course.level, want, "{v}");
        }
        for v in [
            r#""Beginner to Advanced""#,
            r#""Todos los niveles""#,
            r#""Secundaria""#,
        ] {
            let h = lvl(v);
            assert_eq!(h.course.level, "", "{v}");
            assert!(has_warning(&h, "educationalLevel"), "{v}");
        }
    }

    // ----------------------------------------------------------------- runs

    const ONLINE_FREE: &str = r#","courseMode":"online","isAccessibleForFree":true"#;

    #[test]
    fn instances_of_every_shape() {
        let h = with_instance(r#"{"startDate":"2025-03-03"}"#, ONLINE_FREE);
        assert_eq!(h.course.runs.len(), 1);
        let h = with_instance(
            r#"[{"startDate":"2025-03-03"},{"startDate":"2025-03-03T10:00:00Z"},{"courseWorkload":"PT5H"},{"courseWorkload":"PT6H"}]"#,
            ONLINE_FREE,
        );
        let ids: Vec<&str> = h.course.runs.iter().map(|r| r.run_id.as_str()).collect();
        assert_eq!(ids, ["2025-03-03", "2025-03-03-2", "run", "run-2"]);
        let h = with_instance("5", ONLINE_FREE);
        assert!(h.course.runs.is_empty() && !h.supplied.contains(&"runs"));
        assert!(has_warning(
            &h,
            "hasCourseInstance: a number is not a CourseInstance"
        ));
        let h = with_instance(r#""nowhere""#, ONLINE_FREE);
        assert!(has_warning(&h, "a string is not a CourseInstance"));
        // By @id.
        let v = all(
            r##"{"@graph":[{"@type":"Course","name":"C","courseMode":"online","isAccessibleForFree":true,"hasCourseInstance":["#r1",{"@id":"#r2"}]},{"@id":"#r1","startDate":"2025-01-01"},{"@id":"#r2","startDate":"2025-02-01"}]}"##,
        );
        let starts: Vec<&str> = v[0]
            .course
            .runs
            .iter()
            .map(|r| r.run_start.as_str())
            .collect();
        assert_eq!(starts, ["2025-01-01", "2025-02-01"]);
    }

    #[test]
    fn dates_as_written() {
        let r = |inst: &str| with_instance(inst, ONLINE_FREE);
        let h = r(r#"{"startDate":"2025-03-03T09:00:00-03:00","endDate":"2025-04-30 18:00"}"#);
        assert_eq!(
            (
                h.course.runs[0].run_start.as_str(),
                h.course.runs[0].run_end.as_str()
            ),
            ("2025-03-03", "2025-04-30")
        );
        for bad in [
            r#""03/03/2025""#,
            r#""2025-02-30""#,
            "20250303",
            r#""2025-03-03x""#,
            r#"{"x":1}"#,
        ] {
            let h = r(&format!(r#"{{"startDate":{bad},"courseWorkload":"PT1H"}}"#));
            assert_eq!(h.course.runs[0].run_start, "", "{bad}");
            assert!(has_warning(&h, "startDate"), "{bad}: {:?}", h.warnings);
        }
        // The schedule's dates stand in.
        let h = r(
            r#"{"courseSchedule":{"startDate":"2025-05-05","endDate":"2025-06-06","duration":"PT3H","repeatFrequency":"Weekly"}}"#,
        );
        assert_eq!(
            (
                h.course.runs[0].run_start.as_str(),
                h.course.runs[0].run_end.as_str()
            ),
            ("2025-05-05", "2025-06-06")
        );
    }

    #[test]
    fn modalities() {
        let m = |mode: &str| {
            with_instance(
                &format!(r#"{{"courseMode":{mode},"startDate":"2025-01-01"}}"#),
                r#","isAccessibleForFree":true"#,
            )
        };
        for (mode, want) in [
            (r#""MOOC""#, "online"),
            (r#""Online""#, "online"),
            (r#""a distancia""#, "online"),
            (
                r#""https://schema.org/OnlineEventAttendanceMode""#,
                "online",
            ),
            (r#""hybrid""#, "blended"),
            (r#""Semipresencial""#, "blended"),
            (r#"["online","blended"]"#, "blended"),
            (r#""radio""#, "broadcast_radio"),
            (r#""TV""#, "broadcast_tv"),
        ] {
            assert_eq!(m(mode).course.runs[0].modality, want, "{mode}");
        }
        let h = m(r#"["online","onsite"]"#);
        assert_eq!(h.course.runs[0].modality, "online");
        assert!(has_warning(&h, "onsite besides online"));
        for mode in [
            r#""onsite""#,
            r#""Presencial""#,
            r#""https://schema.org/OfflineEventAttendanceMode""#,
        ] {
            let h = m(mode);
            assert!(h.course.runs.is_empty(), "{mode}");
            assert!(has_warning(&h, "onsite only"), "{mode}: {:?}", h.warnings);
        }
        let h = m(r#""weird""#);
        assert!(h.course.runs.is_empty());
        assert!(has_warning(&h, "courseMode \"weird\": not a known mode"));
        assert!(has_warning(&h, "no courseMode says how it is taught"));
        // A course-level mode applies to its instances.
        let h = with_instance(
            r#"{"startDate":"2025-01-01"}"#,
            r#","courseMode":"blended","isAccessibleForFree":true"#,
        );
        assert_eq!(h.course.runs[0].modality, "blended");
    }

    #[test]
    fn pacing_rule() {
        let p = |inst: &str| {
            with_instance(inst, ONLINE_FREE).course.runs[0]
                .pacing
                .clone()
        };
        assert_eq!(
            p(r#"{"startDate":"2025-01-01","courseWorkload":"PT10H"}"#),
            "instructor_led"
        );
        assert_eq!(
            p(r#"{"courseSchedule":{"duration":"PT2H","repeatFrequency":"Weekly"}}"#),
            "instructor_led"
        );
        assert_eq!(p(r#"{"courseWorkload":"PT10H"}"#), "self_paced");
        assert_eq!(
            p(r#"{"courseMode":["online","self-paced"],"startDate":"2025-01-01"}"#),
            "self_paced"
        );
        assert_eq!(
            p(r#"{"courseMode":["online","asynchronous"]}"#),
            "self_paced"
        );
        assert_eq!(
            p(r#"{"courseMode":["online","synchronous"],"courseWorkload":"PT10H"}"#),
            "instructor_led"
        );
        // Nothing said: announced, instructor-led, no dates made up.
        let h = with_instance("{}", ONLINE_FREE);
        assert_eq!(
            (
                h.course.runs[0].pacing.as_str(),
                h.course.runs[0].run_start.as_str()
            ),
            ("instructor_led", "")
        );
    }

    #[test]
    fn hours() {
        let r = |inst: &str| with_instance(inst, ONLINE_FREE);
        let run = |inst: &str| r(inst).course.runs[0].clone();
        assert_eq!(run(r#"{"courseWorkload":"PT22H"}"#).hours_total, Some(22));
        assert_eq!(run(r#"{"courseWorkload":"PT90M"}"#).hours_total, Some(2));
        assert_eq!(run(r#"{"courseWorkload":"PT10M"}"#).hours_total, Some(1));
        let h = r(r#"{"courseWorkload":"P2D"}"#);
        assert_eq!(h.course.runs[0].hours_total, None);
        assert!(has_warning(
            &h,
            "courseWorkload \"P2D\" counts days or weeks"
        ));
        let h = r(r#"{"courseWorkload":"22 horas"}"#);
        assert_eq!(h.course.runs[0].hours_total, None);
        assert!(has_warning(&h, "not an ISO 8601 duration"));
        let x = run(
            r#"{"courseSchedule":{"duration":"PT3H","repeatFrequency":"https://schema.org/Weekly","repeatCount":"8"}}"#,
        );
        assert_eq!((x.hours_week, x.hours_total), (Some(3), Some(24)));
        let x = run(
            r#"{"courseWorkload":"PT30H","courseSchedule":{"duration":"PT5H","repeatFrequency":"P1W","repeatCount":3}}"#,
        );
        assert_eq!((x.hours_week, x.hours_total), (Some(5), Some(30)));
        let h = r(
            r#"{"courseSchedule":{"duration":"PT3H","repeatFrequency":"Daily","repeatCount":10}}"#,
        );
        assert_eq!(h.course.runs[0].hours_week, None);
        assert!(has_warning(&h, "repeatFrequency \"Daily\""));
        let h = r(
            r#"{"courseSchedule":{"duration":"PT2H","repeatFrequency":"Weekly","byDay":["Monday","Wednesday"]}}"#,
        );
        assert_eq!(h.course.runs[0].hours_week, None);
        let h = r(
            r#"{"courseWorkload":"PT4H","courseSchedule":{"duration":"PT5H","repeatFrequency":"Weekly"}}"#,
        );
        assert_eq!(
            (h.course.runs[0].hours_week, h.course.runs[0].hours_total),
            (None, Some(4))
        );
        assert!(has_warning(&h, "hours per week not kept"));
        // The course's timeRequired stands in for the workload.
        let h = with_instance(
            "{}",
            r#","courseMode":"online","isAccessibleForFree":true,"timeRequired":"PT8H""#,
        );
        assert_eq!(h.course.runs[0].hours_total, Some(8));
        assert_eq!(h.course.runs[0].pacing, "self_paced");
    }

    #[test]
    fn iso_durations() {
        for (v, want) in [
            ("PT22H", Some(22.0)),
            ("P2DT4H", Some(52.0)),
            ("PT90M", Some(1.5)),
            ("P1W", Some(168.0)),
            ("PT1.5H", Some(1.5)),
            ("PT1,5H", Some(1.5)),
            ("pt2h30m", Some(2.5)),
            ("PT3600S", Some(1.0)),
            (" PT0H ", Some(0.0)),
        ] {
            assert_eq!(iso_duration_hours(v), want, "{v}");
        }
        for v in [
            "", "P", "PT", "P1Y", "P2M", "22", "PT22", "PTH", "P1H", "PT2H3H", "PT5M2H", "-PT1H",
            "PT1.2.3H", "P1DT",
        ] {
            assert_eq!(iso_duration_hours(v), None, "{v}");
        }
    }

    #[test]
    fn offers_and_cost() {
        let run = |offers: &str, extra: &str| {
            with_instance(
                &format!(r#"{{"courseMode":"online","startDate":"2025-01-01"{offers}}}"#),
                extra,
            )
        };
        let cost = |h: &Harvested| {
            h.course
                .runs
                .first()
                .map(|r| (r.cost.clone(), r.price.clone(), r.currency.clone()))
        };
        let paid = |p: &str, c: &str| Some(("paid".to_string(), p.to_string(), c.to_string()));
        let free = Some(("free".to_string(), String::new(), String::new()));
        for (offers, want) in [
            (
                r#","offers":{"price":120.5,"priceCurrency":"USD"}"#,
                paid("120.50", "USD"),
            ),
            (
                r#","offers":{"price":"120","priceCurrency":"usd"}"#,
                paid("120", "USD"),
            ),
            (
                r#","offers":[{"price":"120,50","priceCurrency":"EUR"}]"#,
                paid("120.50", "EUR"),
            ),
            (
                r#","offers":[{"price":"90","priceCurrency":"ARS"},{"price":"80","priceCurrency":"ARS"}]"#,
                paid("80", "ARS"),
            ),
            (
                r#","offers":{"@type":"AggregateOffer","lowPrice":"15","highPrice":"40","priceCurrency":"PEN"}"#,
                paid("15", "PEN"),
            ),
            (r#","offers":{"price":0}"#, free.clone()),
            (
                r#","offers":{"price":"0.00","priceCurrency":"MXN"}"#,
                free.clone(),
            ),
            (r#","offers":{"category":"Free"}"#, free.clone()),
            (r#","offers":{"price":"Gratis"}"#, free.clone()),
            (r#","isAccessibleForFree":"true""#, free.clone()),
            (
                r#","isAccessibleForFree":"True","offers":{"price":"49","priceCurrency":"USD"}"#,
                free.clone(),
            ),
        ] {
            let h = run(offers, "");
            assert_eq!(cost(&h), want, "{offers}: {:?}", h.warnings);
        }
        for (offers, warning) in [
            (
                r#","offers":{"price":"1.234,50","priceCurrency":"USD"}"#,
                "price \"1.234,50\" is ambiguous",
            ),
            (
                r#","offers":{"price":"1,234","priceCurrency":"USD"}"#,
                "price \"1,234\" is ambiguous",
            ),
            (
                r#","offers":{"price":"$120","priceCurrency":"USD"}"#,
                "price \"$120\" is not a number",
            ),
            (
                r#","offers":{"price":"120","priceCurrency":"XYZ"}"#,
                "unknown currency \"XYZ\": price not kept",
            ),
            (
                r#","offers":{"price":"120"}"#,
                "price 120 without priceCurrency",
            ),
            (
                r#","offers":{"price":-5,"priceCurrency":"USD"}"#,
                "price -5: not a usable amount",
            ),
            (
                r#","offers":{"category":"Paid"}"#,
                "paid, but no usable price",
            ),
            (
                r#","isAccessibleForFree":false"#,
                "paid, but no usable price",
            ),
            ("", "no offers or isAccessibleForFree say what it costs"),
        ] {
            let h = run(offers, "");
            assert_eq!(cost(&h), None, "{offers}");
            assert!(has_warning(&h, warning), "{offers}: {:?}", h.warnings);
        }
        // Course-level offers apply to every instance; an instance's own win.
        let h = with_instance(
            r#"[{"courseMode":"online","startDate":"2025-01-01"},{"courseMode":"online","startDate":"2025-06-01","offers":{"price":"10","priceCurrency":"UYU"}}]"#,
            r#","offers":{"price":"99","priceCurrency":"UYU"}"#,
        );
        let prices: Vec<&str> = h.course.runs.iter().map(|r| r.price.as_str()).collect();
        assert_eq!(prices, ["99", "10"]);
        let h = with_instance(
            r#"{"courseMode":"online"}"#,
            r#","isAccessibleForFree":"False","offers":{"price":"0"}"#,
        );
        assert_eq!(h.course.runs[0].cost, "free");
        assert!(has_warning(
            &h,
            "isAccessibleForFree false, but an offer is free"
        ));
        let h = with_instance(
            r#"{"courseMode":"online"}"#,
            r#","isAccessibleForFree":"maybe","offers":{"price":"0"}"#,
        );
        assert!(has_warning(&h, "isAccessibleForFree \"maybe\""));
    }

    #[test]
    fn certificates() {
        let cert = |v: &str| {
            with_instance(
                r#"{"courseMode":"online"}"#,
                &format!(r#","isAccessibleForFree":true,"educationalCredentialAwarded":{v}"#),
            )
            .course
            .runs[0]
                .certificate
                .clone()
        };
        for (v, want) in [
            (r#""Certificate of attendance""#, "attendance"),
            (r#""Constancia de participación""#, "attendance"),
            (r#""Certificado de participação""#, "attendance"),
            (r#""Diploma""#, "official"),
            (r#""Título oficial de técnico""#, "official"),
            (
                r#"{"@type":"EducationalOccupationalCredential","credentialCategory":"degree"}"#,
                "official",
            ),
            (
                r#"{"@type":"EducationalOccupationalCredential","credentialCategory":{"@type":"DefinedTerm","name":"Certificate"}}"#,
                "assessed",
            ),
            (r#""Certificado de aprobación""#, "assessed"),
            (r#""Digital badge""#, "assessed"),
            (r#"["Certificado de asistencia","Diploma"]"#, "official"),
            (r#""Sin certificado""#, "none"),
            (r#""No certificate""#, "none"),
            (r#""None""#, "none"),
            ("null", "none"),
        ] {
            assert_eq!(cert(v), want, "{v}");
        }
        let h = with_instance(
            r#"{"courseMode":"online"}"#,
            r#","isAccessibleForFree":true"#,
        );
        assert_eq!(h.course.runs[0].certificate, "none");
    }

    #[test]
    fn without_instances() {
        // Offers and the like are per run in Faro: said, not kept.
        let h = one(
            r#"{"@type":"Course","name":"C","offers":{"price":"10","priceCurrency":"USD"},"isAccessibleForFree":false}"#,
        );
        assert!(h.course.runs.is_empty());
        assert!(has_warning(&h, "without a course instance: not kept"));
        // A course carrying instance properties is its own run.
        let h = one(
            r#"{"@type":"Course","name":"C","courseMode":"online","courseWorkload":"PT6H","offers":{"price":"10","priceCurrency":"USD"}}"#,
        );
        let r = &h.course.runs[0];
        assert_eq!(
            (
                r.run_id.as_str(),
                r.pacing.as_str(),
                r.cost.as_str(),
                r.price.as_str(),
                r.hours_total
            ),
            ("run", "self_paced", "paid", "10", Some(6))
        );
        assert!(h.supplied.contains(&"runs"));
        let h = one(
            r#"{"@type":"Course","name":"C","courseMode":"onsite","startDate":"2025-01-01","isAccessibleForFree":true}"#,
        );
        assert!(h.course.runs.is_empty());
        assert!(
            has_warning(&h, "the course (as its own run)"),
            "{:?}",
            h.warnings
        );
    }

    #[test]
    fn seats() {
        let h = with_instance(
            r#"{"courseMode":"online","maximumAttendeeCapacity":"25"}"#,
            r#","isAccessibleForFree":true"#,
        );
        assert_eq!(h.course.runs[0].seats, Some(25));
        let h = with_instance(
            r#"{"courseMode":"online","maximumAttendeeCapacity":0}"#,
            r#","isAccessibleForFree":true"#,
        );
        assert_eq!(h.course.runs[0].seats, None);
        assert!(has_warning(&h, "maximumAttendeeCapacity 0"));
    }

    // -------------------------------------------------------------- hostile

    #[test]
    fn wrong_types_everywhere() {
        let h = one(
            r#"{"@type":"Course","name":"N","description":{"x":1},"url":{"a":[]},"inLanguage":5,
            "educationalLevel":true,"offers":"free","isAccessibleForFree":[1],"courseMode":{"y":2},
            "educationalCredentialAwarded":7,"hasCourseInstance":[5,"x",null,{"startDate":5,"endDate":[],
            "courseMode":[[1]],"courseWorkload":{},"courseSchedule":"weekly","offers":[1,{"price":{"p":1},
            "priceCurrency":3}],"maximumAttendeeCapacity":"many"}]}"#,
        );
        assert_eq!(h.course.title_es, "N");
        assert!(h.course.runs.is_empty());
        assert!(h.warnings.len() > 5, "{:?}", h.warnings);
        for bad in [
            "5",
            "\"x\"",
            "null",
            "[]",
            "[[[]]]",
            "true",
            "{\"@graph\":5}",
            "{\"@type\":5}",
            "{\"@type\":[\"Course\"]}",
        ] {
            let r = courses_in_html(&page(bad), BASE, "es");
            assert!(r.is_err(), "{bad}: {r:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_panic() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        match courses_in_html(&page(&deep), BASE, "es") {
            Err(PageProblem::BadJson { block: 1, .. }) => {}
            r => panic!("{r:?}"),
        }
        let deep_html = "<div>".repeat(200_000);
        assert_eq!(
            courses_in_html(&deep_html, BASE, "es"),
            Err(PageProblem::NoJsonLd)
        );
    }

    #[test]
    fn many_courses_are_capped() {
        let one_course = r#"{"@type":"Course","name":"N","courseMode":"online","isAccessibleForFree":true,"hasCourseInstance":{"courseWorkload":"PT1H"}},"#;
        let mut json = String::from("[");
        json.push_str(&one_course.repeat(100_000));
        json.push_str("{}]");
        let v = all(&json);
        assert_eq!(v.len(), MAX_COURSES);
        assert!(has_warning(&v[0], "more than 1000 courses"));
        // Warnings stay capped however many problems a course has.
        let runs =
            r#"{"courseMode":"online","offers":{"price":"1","priceCurrency":"QQQ"}},"#.repeat(5000);
        let h = with_instance(&format!("[{runs}{{}}]"), "");
        assert!(h.warnings.len() <= MAX_WARNINGS + 1);
        assert!(has_warning(
            &h,
            "5001 course instances: only the first 200 read"
        ));
    }

    #[test]
    fn a_shared_node_costs_little_per_reference() {
        // 1000 courses refer to one instance full of 1 MB values: each
        // reference reads a bounded amount (a quadratic reading would
        // go through gigabytes).
        let big = "x".repeat(1_000_000);
        let courses =
            r##"{"@type":"Course","name":"N","hasCourseInstance":{"@id":"#big"}},"##.repeat(1000);
        let json = format!(
            r##"{{"@graph":[{courses}{{"@id":"#big","courseMode":["online","{big}"],"startDate":"{big}","offers":["{big}",{{"price":"{big}","priceCurrency":"{big}"}}],"isAccessibleForFree":"{big}","educationalCredentialAwarded":"{big}","maximumAttendeeCapacity":"{big}","inLanguage":"{big}"}}]}}"##
        );
        let started = std::time::Instant::now();
        let v = all(&json);
        assert_eq!(v.len(), 1000);
        assert!(v[0].course.runs.is_empty());
        assert!(has_warning(
            &v[0],
            "startDate: a value of 1000000 bytes: not read"
        ));
        assert!(v.iter().all(|h| h.warnings.iter().all(|w| w.len() < 400)));
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }

    #[test]
    fn ten_megabytes_of_text() {
        // Markup and text with no JSON-LD.
        let html = "<p class=x>texto &amp; más <b>negrita</b></p><!-- c -->\n".repeat(200_000);
        assert!(html.len() > 10_000_000);
        assert_eq!(
            courses_in_html(&html, BASE, "es"),
            Err(PageProblem::NoJsonLd)
        );
        // One block of 10 MB: a huge description, cut.
        let text = "<p>Una descripción &amp; más.</p>".repeat(320_000);
        let h = one(&format!(
            r#"{{"@type":"Course","name":"N","description":"{text}"}}"#
        ));
        assert!(h.course.description_es.chars().count() <= MAX_DESCRIPTION);
        assert!(has_warning(&h, "description (es) longer than"));
        // Unterminated constructs: comments, tags, quotes.
        for tail in [
            "<!-- never closed",
            "<script type=\"application/ld+json",
            "<a href=\"",
            "<",
        ] {
            let html = format!("{}{tail}", "x".repeat(1_000_000));
            assert_eq!(
                courses_in_html(&html, BASE, "es"),
                Err(PageProblem::NoJsonLd)
            );
        }
    }

    #[test]
    fn plain_text_rules() {
        assert_eq!(plain_text("a<br>b<p>c</p>", true), "a\nb\n\nc");
        assert_eq!(plain_text("a<br>b<p>c</p>", false), "a b c");
        assert_eq!(
            plain_text("x<script>alert(1)</script>y<style>p{}</style>z", false),
            "xyz"
        );
        assert_eq!(plain_text("x<SCRIPT src=a>never closed", false), "x");
        assert_eq!(plain_text("a <img src=x onerror=alert(1)> b", false), "a b");
        assert_eq!(
            plain_text("&unknown; &#0; &#xD800; &amp", false),
            "&unknown; \u{fffd} \u{fffd} &amp"
        );
        assert_eq!(plain_text("a\u{0}b\u{1b}[31mc", false), "ab[31mc");
    }

    fn mutated(base: &'static str) -> impl Strategy<Value = String> {
        let chars: Vec<char> = base.chars().collect();
        let n = chars.len();
        proptest::collection::vec(
            (
                0..n,
                prop_oneof![
                    any::<char>(),
                    Just('"'),
                    Just('{'),
                    Just(']'),
                    Just('<'),
                    Just(','),
                    Just('\\')
                ],
                0usize..3,
            ),
            1..10,
        )
        .prop_map(move |edits| {
            let mut c = chars.clone();
            for (i, ch, op) in edits {
                let i = i.min(c.len().saturating_sub(1));
                match op {
                    0 if !c.is_empty() => c[i] = ch,
                    1 => c.insert(i, ch),
                    _ if !c.is_empty() => {
                        c.remove(i);
                    }
                    _ => {}
                }
            }
            c.into_iter().collect()
        })
    }

    fn check_page(html: &str) {
        if let Ok(v) = courses_in_html(html, "http://HOST/p.html", "pt") {
            for h in &v {
                assert_valid(h);
                assert!(h.warnings.len() <= MAX_WARNINGS * 2 + 1);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 2000, ..ProptestConfig::default() })]

        #[test]
        fn any_page_reads_without_panic(s in any::<String>()) {
            check_page(&s);
            check_page(&page(&s));
        }

        #[test]
        fn mutated_fixtures_read_without_panic(
            html in prop_oneof![mutated(GRAPH), mutated(CATALOGUE), mutated(SELF_PACED), mutated(PT), mutated(HOSTILE)]
        ) {
            check_page(&html);
        }

        #[test]
        fn json_shapes_read_without_panic(
            name in prop_oneof![any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap_or_default()), Just("{\"x\":1}".to_string()), Just("[1,null]".to_string())],
            mode in "(\"online\"|\"onsite\"|\"MOOC\"|5|null|\\[\"blended\"\\])",
            price in "(\"[0-9.,]{0,8}\"|-?[0-9]{1,14}(\\.[0-9]{1,4})?|null)",
            cur in "(\"[A-Za-z]{0,4}\"|null)",
            date in "(\"[0-9T:-]{0,20}\"|null)",
            dur in "(\"P[0-9TDHWMS.]{0,8}\"|null)",
        ) {
            let json = format!(
                r#"{{"@type":"Course","name":{name},"hasCourseInstance":[{{"courseMode":{mode},"startDate":{date},"endDate":{date},"courseWorkload":{dur},"courseSchedule":{{"duration":{dur},"repeatFrequency":"Weekly","repeatCount":3}},"offers":{{"price":{price},"priceCurrency":{cur}}}}}]}}"#
            );
            check_page(&page(&json));
        }
    }
}
