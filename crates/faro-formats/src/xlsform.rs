//! XLSForm questionnaires (`.xlsx` with the sheets `survey`, `choices` and
//! `settings`), as KoboToolbox, ODK and SurveyCTO write them.
//!
//! [`read`] returns the form or **every** problem at once, each with its
//! sheet, row and column: unsupported types, unknown references, unknown
//! lists, duplicate names, unbalanced groups, circular calculations,
//! expressions that do not parse ([`crate::xlsform_expr`]) and labels
//! missing in a declared language (naming the language and the row; pyxform
//! silently writes `-` there, the complaint users make most).
//!
//! Languages: a column `label::Español (es)` declares the language `es`
//! (named `Español (es)`); a plain `label` column is the form's *default*
//! text (key `""`), used when a language has none. `default_language` in
//! the settings names the language shown when the reader's is missing.

use crate::xlsform_expr::{self, Expr};
use calamine::{Data, Reader, Xlsx};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Cursor;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Integer,
    Decimal,
    Date,
    SelectOne,
    SelectMultiple,
    Note,
    Calculate,
    Acknowledge,
    Group,
    Repeat,
}

impl Kind {
    pub fn is_container(self) -> bool {
        matches!(self, Kind::Group | Kind::Repeat)
    }
    /// Whether a person answers it (a value is stored from a form field).
    pub fn is_input(self) -> bool {
        !matches!(
            self,
            Kind::Note | Kind::Calculate | Kind::Group | Kind::Repeat
        )
    }
    pub fn is_select(self) -> bool {
        matches!(self, Kind::SelectOne | Kind::SelectMultiple)
    }
}

/// Texts of one cell per language key (`""` = the default column).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Texts(pub BTreeMap<String, String>);

impl Texts {
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|v| v.is_empty())
    }
    /// The text in `lang`, else in `fallback` (the form's default
    /// language), else the default column, else any.
    pub fn get(&self, lang: &str, fallback: &str) -> &str {
        for k in [lang, fallback, ""] {
            if let Some(v) = self.0.get(k).filter(|v| !v.is_empty()) {
                return v;
            }
        }
        self.0
            .values()
            .find(|v| !v.is_empty())
            .map(String::as_str)
            .unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// The row of the `survey` sheet (1 = the header).
    pub row: usize,
    pub kind: Kind,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub or_other: bool,
    pub label: Texts,
    #[serde(skip_serializing_if = "Texts::is_empty")]
    pub hint: Texts,
    pub required: bool,
    #[serde(skip_serializing_if = "Texts::is_empty")]
    pub required_message: Texts,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_expr")]
    pub relevant: Option<Expr>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_expr")]
    pub constraint: Option<Expr>,
    #[serde(skip_serializing_if = "Texts::is_empty")]
    pub constraint_message: Texts,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_expr")]
    pub calculation: Option<Expr>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_expr")]
    pub choice_filter: Option<Expr>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub default: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub appearance: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Item>,
}

fn ser_expr<S: serde::Serializer>(e: &Option<Expr>, s: S) -> Result<S::Ok, S::Error> {
    match e {
        Some(e) => s.serialize_str(&e.to_text()),
        None => s.serialize_none(),
    }
}

impl Item {
    pub fn has_appearance(&self, a: &str) -> bool {
        self.appearance.split_whitespace().any(|x| x == a)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub name: String,
    pub label: Texts,
    /// Other columns (used by `choice_filter`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Language {
    /// `es` for `Español (es)`; the name itself when it has no code.
    pub key: String,
    /// As written in the column header.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Form {
    pub title: String,
    pub form_id: String,
    pub version: String,
    /// The key of the default language (`""`: the default columns).
    pub default_language: String,
    pub languages: Vec<Language>,
    pub items: Vec<Item>,
    pub lists: BTreeMap<String, Vec<Choice>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub sheet: String,
    /// Spreadsheet row (1 = header); 0 when the problem is the whole sheet.
    pub row: usize,
    /// The column's header (`relevant`, `label::Español (es)`), or empty.
    pub column: String,
    /// The cell, e.g. `E7`, when one is meant.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cell: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.sheet)?;
        if self.row > 0 {
            write!(f, ", row {}", self.row)?;
        }
        if !self.column.is_empty() {
            write!(f, ", column {}", self.column)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Types of XLSForm that Faro knows but does not collect.
const UNSUPPORTED: &[&str] = &[
    "geopoint",
    "geotrace",
    "geoshape",
    "image",
    "audio",
    "video",
    "file",
    "barcode",
    "time",
    "datetime",
    "range",
    "rank",
    "hidden",
    "start",
    "end",
    "deviceid",
    "phonenumber",
    "username",
    "email",
    "audit",
    "background-audio",
    "xml-external",
    "csv-external",
    "select_one_from_file",
    "select_multiple_from_file",
    "trigger",
    "start-geopoint",
];

struct Sheet {
    name: String,
    headers: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Sheet {
    fn col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
    fn cell_name(&self, col: usize, row: usize) -> String {
        format!("{}{row}", col_letter(col))
    }
}

fn col_letter(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push((b'A' + (c % 26) as u8) as char);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.iter().rev().collect()
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Bool(b) => b.to_string(),
        other => other.to_string().trim().to_string(),
    }
}

/// One sheet by name; a panic inside calamine (a damaged workbook) is an
/// error about that sheet, never a crash.
fn read_sheet(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Option<Result<Sheet, String>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_sheet_unguarded(wb, name)
    }))
    .unwrap_or_else(|_| Some(Err("the sheet is damaged and cannot be read".to_string())))
}

fn read_sheet_unguarded(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Option<Result<Sheet, String>> {
    let real = wb
        .sheet_names()
        .into_iter()
        .find(|s| s.trim().eq_ignore_ascii_case(name))?;
    let range = match wb.worksheet_range(&real) {
        Ok(r) => r,
        Err(e) => return Some(Err(format!("cannot read the sheet: {e}"))),
    };
    let start_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let start_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut rows = range.rows().enumerate();
    let mut headers: Vec<String> = Vec::new();
    let mut header_row = 0;
    for (i, row) in rows.by_ref() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if cells.iter().any(|c| !c.is_empty()) {
            headers = std::iter::repeat_n(String::new(), start_col)
                .chain(cells.into_iter().map(|h| normalize_header(&h)))
                .collect();
            header_row = start_row + i + 1;
            break;
        }
    }
    let mut out = Vec::new();
    for (i, row) in rows {
        let cells: Vec<String> = std::iter::repeat_n(String::new(), start_col)
            .chain(row.iter().map(cell_text))
            .collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        out.push((start_row + i + 1, cells));
    }
    let _ = header_row;
    Some(Ok(Sheet {
        name: name.to_string(),
        headers,
        rows: out,
    }))
}

/// `Label::English (en)` → `label::English (en)`; `label` stays; spaces
/// around `::` dropped.
fn normalize_header(h: &str) -> String {
    let h = h.trim();
    match h.split_once("::") {
        Some((base, lang)) => format!("{}::{}", base.trim().to_lowercase(), lang.trim()),
        None => h.to_lowercase(),
    }
}

/// The language key of a column suffix: `Español (es)` → `es`.
fn lang_key(name: &str) -> String {
    let n = name.trim();
    if let (Some(open), true) = (n.rfind('('), n.ends_with(')')) {
        let code = n[open + 1..n.len() - 1].trim();
        if !code.is_empty() {
            return code.to_string();
        }
    }
    n.to_string()
}

struct Ctx {
    problems: Vec<Problem>,
}

impl Ctx {
    fn add(&mut self, sheet: &Sheet, row: usize, col: Option<usize>, msg: impl Into<String>) {
        self.problems.push(Problem {
            sheet: sheet.name.clone(),
            row,
            column: col.map(|c| sheet.headers[c].clone()).unwrap_or_default(),
            cell: col.map(|c| sheet.cell_name(c, row)).unwrap_or_default(),
            message: msg.into(),
        });
    }
}

fn truthy(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "" | "no" | "false" | "false()" | "0" => Some(false),
        "yes" | "true" | "true()" | "1" => Some(true),
        _ => None,
    }
}

/// Reads a texts column family (`label`, `label::X`) of one row.
fn texts(sheet: &Sheet, cells: &[String], base: &str) -> Texts {
    let mut t = BTreeMap::new();
    for (i, h) in sheet.headers.iter().enumerate() {
        let key = if h == base {
            Some(String::new())
        } else {
            h.strip_prefix(base)
                .and_then(|r| r.strip_prefix("::"))
                .map(lang_key)
        };
        if let Some(k) = key {
            let v = cells.get(i).cloned().unwrap_or_default();
            if !v.is_empty() {
                t.insert(k, v);
            }
        }
    }
    Texts(t)
}

fn declared_languages(sheets: &[&Sheet]) -> Vec<Language> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for s in sheets {
        for h in &s.headers {
            if let Some((base, lang)) = h.split_once("::")
                && matches!(
                    base,
                    "label" | "hint" | "constraint_message" | "required_message"
                )
                && seen.insert(lang_key(lang))
            {
                out.push(Language {
                    key: lang_key(lang),
                    name: lang.to_string(),
                });
            }
        }
    }
    out
}

struct Open {
    kind: Kind,
    row: usize,
    item: Item,
}

/// Reads an XLSForm workbook. `fallback_id` (the file's name) is the
/// form id when the settings give none, as pyxform does.
pub fn read(bytes: &[u8], fallback_id: &str) -> Result<Form, Vec<Problem>> {
    let whole = |sheet: &str, msg: String| {
        vec![Problem {
            sheet: sheet.into(),
            row: 0,
            column: String::new(),
            cell: String::new(),
            message: msg,
        }]
    };
    let mut wb: Xlsx<_> = crate::xlsx::guarded(|| {
        Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not a readable XLSX file: {e}"))
    })
    .map_err(|e| whole("", e))?;
    let survey = match read_sheet(&mut wb, "survey") {
        Some(Ok(s)) => s,
        Some(Err(e)) => return Err(whole("survey", e)),
        None => {
            return Err(whole(
                "survey",
                "the workbook has no sheet named survey".into(),
            ));
        }
    };
    let choices = match read_sheet(&mut wb, "choices") {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return Err(whole("choices", e)),
        None => None,
    };
    let settings = match read_sheet(&mut wb, "settings") {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return Err(whole("settings", e)),
        None => None,
    };
    let mut cx = Ctx {
        problems: Vec::new(),
    };

    // Settings: one row under the header.
    let mut setting = HashMap::new();
    if let Some(s) = &settings
        && let Some((_, cells)) = s.rows.first()
    {
        for (i, h) in s.headers.iter().enumerate() {
            setting.insert(h.clone(), cells.get(i).cloned().unwrap_or_default());
        }
    }
    let get_setting = |k: &str| setting.get(k).cloned().unwrap_or_default();

    let mut sheets: Vec<&Sheet> = vec![&survey];
    if let Some(c) = &choices {
        sheets.push(c);
    }
    let languages = declared_languages(&sheets);
    let default_language = {
        let d = get_setting("default_language");
        if d.is_empty() {
            String::new()
        } else {
            let k = lang_key(&d);
            if !languages.iter().any(|l| l.key == k)
                && !languages.is_empty()
                && let Some(s) = &settings
            {
                {
                    let col = s.col("default_language");
                    cx.add(
                        s,
                        2,
                        col,
                        format!(
                            "default_language {d:?} is not one of the form's languages ({})",
                            languages
                                .iter()
                                .map(|l| l.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
            k
        }
    };

    // Choices.
    let mut lists: BTreeMap<String, Vec<Choice>> = BTreeMap::new();
    let mut list_rows: HashMap<(String, String), usize> = HashMap::new();
    if let Some(cs) = &choices {
        let (ln, nm) = (
            cs.col("list_name").or_else(|| cs.col("list name")),
            cs.col("name").or_else(|| cs.col("value")),
        );
        if let (Some(ln), Some(nm)) = (ln, nm) {
            for (row, cells) in &cs.rows {
                let get = |i: usize| cells.get(i).cloned().unwrap_or_default();
                let (list, name) = (get(ln), get(nm));
                if list.is_empty() {
                    cx.add(cs, *row, Some(ln), "the choice has no list_name");
                    continue;
                }
                if name.is_empty() {
                    cx.add(
                        cs,
                        *row,
                        Some(nm),
                        format!("a choice of the list {list} has no name"),
                    );
                    continue;
                }
                if let Some(first) = list_rows.insert((list.clone(), name.clone()), *row) {
                    cx.add(
                        cs,
                        *row,
                        Some(nm),
                        format!("the list {list} already has a choice named {name} (row {first})"),
                    );
                }
                let label = texts(cs, cells, "label");
                if label.is_empty() {
                    cx.add(
                        cs,
                        *row,
                        cs.col("label")
                            .or_else(|| cs.headers.iter().position(|h| h.starts_with("label::"))),
                        format!("the choice {name} of the list {list} has no label"),
                    );
                } else {
                    missing_languages(&mut cx, cs, *row, &label, &languages, "label");
                }
                let mut columns = BTreeMap::new();
                for (i, h) in cs.headers.iter().enumerate() {
                    if i != ln
                        && i != nm
                        && !h.is_empty()
                        && !h.starts_with("label")
                        && !h.starts_with("media")
                    {
                        let v = get(i);
                        if !v.is_empty() {
                            columns.insert(h.clone(), v);
                        }
                    }
                }
                lists.entry(list).or_default().push(Choice {
                    name,
                    label,
                    columns,
                });
            }
        } else {
            cx.add(
                cs,
                1,
                None,
                "the choices sheet needs the columns list_name and name",
            );
        }
    }

    // Survey rows.
    let (Some(tc), Some(nc)) = (survey.col("type"), survey.col("name")) else {
        return Err(whole(
            "survey",
            "the survey sheet needs the columns type and name".into(),
        ));
    };
    let col = |n: &str| survey.col(n);
    let mut stack: Vec<Open> = Vec::new();
    let mut top: Vec<Item> = Vec::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    // (row, column index, expression) to check references later.
    let mut exprs: Vec<(usize, usize, Expr, String)> = Vec::new();
    for (row, cells) in &survey.rows {
        let row = *row;
        let get = |n: &str| {
            col(n)
                .and_then(|i| cells.get(i).cloned())
                .unwrap_or_default()
        };
        let raw_type = get("type");
        let name = get("name");
        if raw_type.is_empty() {
            if !name.is_empty() {
                cx.add(
                    &survey,
                    row,
                    Some(tc),
                    format!("the row named {name} has no type"),
                );
            }
            continue;
        }
        let words: Vec<String> = raw_type.split_whitespace().map(|w| w.to_string()).collect();
        let first = words[0].to_lowercase();
        let joined = words.join(" ").to_lowercase();
        let (kind, list, or_other, close) = match (first.as_str(), joined.as_str()) {
            (_, "begin group" | "begin_group") => (Some(Kind::Group), None, false, None),
            (_, "begin repeat" | "begin_repeat") => (Some(Kind::Repeat), None, false, None),
            (_, "end group" | "end_group") => (None, None, false, Some(Kind::Group)),
            (_, "end repeat" | "end_repeat") => (None, None, false, Some(Kind::Repeat)),
            ("select_one" | "select_multiple", _) => {
                let k = if first == "select_one" {
                    Kind::SelectOne
                } else {
                    Kind::SelectMultiple
                };
                let (l, other) = match words.len() {
                    2 => (Some(words[1].clone()), false),
                    3 if words[2] == "or_other" => (Some(words[1].clone()), true),
                    _ => (None, false),
                };
                match l {
                    Some(l) => {
                        if !lists.contains_key(&l) {
                            cx.add(
                                &survey,
                                row,
                                Some(tc),
                                format!("the list {l} is not in the choices sheet"),
                            );
                        }
                        (Some(k), Some(l), other, None)
                    }
                    None => {
                        cx.add(
                            &survey,
                            row,
                            Some(tc),
                            format!("{raw_type:?} must be {first} followed by a list name (and optionally or_other)"),
                        );
                        continue;
                    }
                }
            }
            ("text", "text") => (Some(Kind::Text), None, false, None),
            ("integer", "integer") | ("int", "int") => (Some(Kind::Integer), None, false, None),
            ("decimal", "decimal") => (Some(Kind::Decimal), None, false, None),
            ("date", "date") => (Some(Kind::Date), None, false, None),
            ("note", "note") => (Some(Kind::Note), None, false, None),
            ("calculate", "calculate") => (Some(Kind::Calculate), None, false, None),
            ("acknowledge", "acknowledge") => (Some(Kind::Acknowledge), None, false, None),
            _ => {
                let msg = if UNSUPPORTED.contains(&first.as_str()) {
                    format!(
                        "the type {first} is not supported by Faro (supported: text, integer, decimal, date, select_one, select_multiple, note, calculate, acknowledge, groups and repeats)"
                    )
                } else {
                    format!("unknown type {raw_type:?}")
                };
                cx.add(&survey, row, Some(tc), msg);
                continue;
            }
        };
        if let Some(closing) = close {
            match stack.pop() {
                Some(open) if open.kind == closing => {
                    let mut item = open.item;
                    item.children = std::mem::take(&mut item.children);
                    match stack.last_mut() {
                        Some(parent) => parent.item.children.push(item),
                        None => top.push(item),
                    }
                }
                Some(open) => {
                    cx.add(
                        &survey,
                        row,
                        Some(tc),
                        format!(
                            "{raw_type} closes the {} opened at row {}",
                            if open.kind == Kind::Group {
                                "group"
                            } else {
                                "repeat"
                            },
                            open.row
                        ),
                    );
                    // Keep going as if it closed: later rows still get checked.
                    match stack.last_mut() {
                        Some(parent) => parent.item.children.push(open.item),
                        None => top.push(open.item),
                    }
                }
                None => cx.add(
                    &survey,
                    row,
                    Some(tc),
                    format!("{raw_type} without a matching begin"),
                ),
            }
            continue;
        }
        let kind = kind.expect("a type");
        if name.is_empty() {
            cx.add(&survey, row, Some(nc), "the question has no name");
        } else if !xlsform_expr::is_name(&name) {
            cx.add(
                &survey,
                row,
                Some(nc),
                format!("{name:?} is not a valid name (letters, digits, _, - and ., starting with a letter or _)"),
            );
        } else if let Some(first) = names.insert(name.clone(), row) {
            cx.add(
                &survey,
                row,
                Some(nc),
                format!("the name {name} is already used at row {first}"),
            );
        }
        if or_other {
            names.entry(format!("{name}_other")).or_insert(row);
        }
        let label = texts(&survey, cells, "label");
        let hint = texts(&survey, cells, "hint");
        let label_col =
            col("label").or_else(|| survey.headers.iter().position(|h| h.starts_with("label::")));
        if label.is_empty() && hint.is_empty() && kind.is_input() {
            cx.add(
                &survey,
                row,
                label_col,
                format!("the question {name} has no label"),
            );
        }
        if kind == Kind::Note && label.is_empty() && hint.is_empty() {
            cx.add(
                &survey,
                row,
                label_col,
                format!("the note {name} has no label"),
            );
        }
        missing_languages(&mut cx, &survey, row, &label, &languages, "label");
        missing_languages(&mut cx, &survey, row, &hint, &languages, "hint");
        let mut expr = |n: &str| -> Option<Expr> {
            let src = get(n);
            if src.is_empty() {
                return None;
            }
            let c = col(n).expect("column exists when it has a value");
            match xlsform_expr::parse(&src) {
                Ok(e) => {
                    exprs.push((row, c, e.clone(), n.to_string()));
                    Some(e)
                }
                Err(msg) => {
                    cx.add(
                        &survey,
                        row,
                        Some(c),
                        format!("the expression {src:?} does not parse: {msg}"),
                    );
                    None
                }
            }
        };
        let relevant = expr("relevant");
        let constraint = expr("constraint");
        let calculation = expr("calculation");
        let choice_filter = expr("choice_filter");
        let required_raw = get("required");
        let required = match truthy(&required_raw) {
            Some(b) => b,
            None => {
                cx.add(
                    &survey,
                    row,
                    col("required"),
                    format!("required must be yes or no, not {required_raw:?}"),
                );
                false
            }
        };
        let ro_raw = get("read_only");
        let read_only = match truthy(&ro_raw) {
            Some(b) => b,
            None => {
                cx.add(
                    &survey,
                    row,
                    col("read_only"),
                    format!("read_only must be yes or no, not {ro_raw:?}"),
                );
                false
            }
        };
        if kind == Kind::Calculate && calculation.is_none() && get("calculation").is_empty() {
            cx.add(
                &survey,
                row,
                col("calculation").or(Some(tc)),
                format!("the calculate {name} has no calculation"),
            );
        }
        if choice_filter.is_some() && !kind.is_select() {
            cx.add(
                &survey,
                row,
                col("choice_filter"),
                "choice_filter only applies to select questions",
            );
        }
        let required_message = texts(&survey, cells, "required_message");
        let constraint_message = texts(&survey, cells, "constraint_message");
        let item = Item {
            row,
            kind,
            name,
            list,
            or_other,
            label,
            hint,
            required,
            required_message,
            relevant,
            constraint,
            constraint_message,
            calculation,
            choice_filter,
            default: get("default"),
            appearance: get("appearance"),
            read_only,
            children: Vec::new(),
        };
        if kind.is_container() {
            stack.push(Open { kind, row, item });
        } else {
            match stack.last_mut() {
                Some(parent) => parent.item.children.push(item),
                None => top.push(item),
            }
        }
    }
    while let Some(open) = stack.pop() {
        cx.add(
            &survey,
            open.row,
            Some(tc),
            format!(
                "the {} {} opened here is never closed (end_{})",
                if open.kind == Kind::Group {
                    "group"
                } else {
                    "repeat"
                },
                open.item.name,
                if open.kind == Kind::Group {
                    "group"
                } else {
                    "repeat"
                },
            ),
        );
        match stack.last_mut() {
            Some(parent) => parent.item.children.push(open.item),
            None => top.push(open.item),
        }
    }

    // References, and bare names outside choice_filter.
    for (row, c, e, column) in &exprs {
        let mut refs = BTreeSet::new();
        e.refs(&mut refs);
        for r in refs {
            if !names.contains_key(&r) {
                cx.add(
                    &survey,
                    *row,
                    Some(*c),
                    format!("${{{r}}} names no question of the form"),
                );
            }
        }
        let mut bare = BTreeSet::new();
        e.names(&mut bare);
        if column != "choice_filter" {
            for b in bare {
                cx.add(
                    &survey,
                    *row,
                    Some(*c),
                    format!("`{b}` is not a value here: write ${{{b}}} to name a question, or quote a text"),
                );
            }
        }
    }

    // Circular calculations.
    let mut deps: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    walk(&top, &mut |it: &Item| {
        if let Some(c) = &it.calculation {
            let mut r = BTreeSet::new();
            c.refs(&mut r);
            deps.insert(it.name.clone(), (it.row, r));
        }
    });
    let calc_col = col("calculation");
    let mut reported = BTreeSet::new();
    for start in deps.keys() {
        if let Some(cycle) = find_cycle(start, &deps)
            && reported.insert(cycle.iter().cloned().collect::<BTreeSet<_>>())
        {
            let row = deps[&cycle[0]].0;
            let path = cycle
                .iter()
                .map(|n| format!("${{{n}}} (row {})", deps[n].0))
                .collect::<Vec<_>>()
                .join(" → ");
            cx.add(
                &survey,
                row,
                calc_col,
                format!("circular calculation: {path} → ${{{}}}", cycle[0]),
            );
        }
    }

    if top.is_empty() && cx.problems.is_empty() {
        cx.add(&survey, 0, None, "the survey sheet has no questions");
    }
    if !cx.problems.is_empty() {
        cx.problems.sort_by_key(|a| (sheet_order(&a.sheet), a.row));
        return Err(cx.problems);
    }
    let form_id = {
        let f = get_setting("form_id");
        if f.is_empty() {
            fallback_id.to_string()
        } else {
            f
        }
    };
    let title = {
        let t = get_setting("form_title");
        if t.is_empty() { form_id.clone() } else { t }
    };
    Ok(Form {
        title,
        form_id,
        version: get_setting("version"),
        default_language,
        languages,
        items: top,
        lists,
    })
}

fn sheet_order(s: &str) -> u8 {
    match s {
        "survey" => 0,
        "choices" => 1,
        _ => 2,
    }
}

fn find_cycle(
    start: &str,
    deps: &BTreeMap<String, (usize, BTreeSet<String>)>,
) -> Option<Vec<String>> {
    fn dfs(
        n: &str,
        start: &str,
        deps: &BTreeMap<String, (usize, BTreeSet<String>)>,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let Some((_, next)) = deps.get(n) else {
            return false;
        };
        for m in next {
            if m == start {
                return true;
            }
            if seen.insert(m.clone()) {
                path.push(m.clone());
                if dfs(m, start, deps, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    let mut seen = BTreeSet::new();
    dfs(start, start, deps, &mut path, &mut seen).then_some(path)
}

fn missing_languages(
    cx: &mut Ctx,
    sheet: &Sheet,
    row: usize,
    t: &Texts,
    languages: &[Language],
    base: &str,
) {
    if t.is_empty() {
        return;
    }
    for l in languages {
        let has_column = sheet.headers.iter().any(|h| {
            h.strip_prefix(base)
                .and_then(|r| r.strip_prefix("::"))
                .map(lang_key)
                .as_deref()
                == Some(l.key.as_str())
        });
        if !t.0.contains_key(&l.key) {
            let c = sheet.headers.iter().position(|h| {
                h.strip_prefix(base)
                    .and_then(|r| r.strip_prefix("::"))
                    .map(lang_key)
                    .as_deref()
                    == Some(l.key.as_str())
            });
            let what = if has_column {
                format!("the {base} in {} is missing", l.name)
            } else {
                format!(
                    "the {base} in {} is missing: the sheet has no column {base}::{}",
                    l.name, l.name
                )
            };
            // A missing column is one problem for the sheet, not one per row.
            if !has_column {
                if !cx
                    .problems
                    .iter()
                    .any(|p| p.sheet == sheet.name && p.message == what)
                {
                    cx.add(sheet, 1, None, what);
                }
                continue;
            }
            cx.add(sheet, row, c, what);
        }
    }
}

/// Every item, depth first, in the order of the sheet.
pub fn walk<'a>(items: &'a [Item], f: &mut impl FnMut(&'a Item)) {
    for it in items {
        f(it);
        walk(&it.children, f);
    }
}

impl Form {
    /// Every question (not groups), depth first, with the repeat it is in.
    pub fn questions(&self) -> Vec<(&Item, Option<&Item>)> {
        fn go<'a>(
            items: &'a [Item],
            rep: Option<&'a Item>,
            out: &mut Vec<(&'a Item, Option<&'a Item>)>,
        ) {
            for it in items {
                match it.kind {
                    Kind::Group => go(&it.children, rep, out),
                    Kind::Repeat => go(&it.children, Some(it), out),
                    _ => out.push((it, rep)),
                }
            }
        }
        let mut out = Vec::new();
        go(&self.items, None, &mut out);
        out
    }

    pub fn find(&self, name: &str) -> Option<&Item> {
        let mut found = None;
        walk(&self.items, &mut |it| {
            if it.name == name && found.is_none() {
                found = Some(it);
            }
        });
        found
    }

    /// The language key to show to a reader of `lang` (`es`/`en`/`pt`):
    /// the language if the form has it, else the default language.
    pub fn lang_for(&self, lang: &str) -> String {
        if self.languages.iter().any(|l| l.key == lang) {
            lang.to_string()
        } else {
            self.default_language.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn col_letters() {
        assert_eq!(col_letter(0), "A");
        assert_eq!(col_letter(25), "Z");
        assert_eq!(col_letter(26), "AA");
        assert_eq!(lang_key("Español (es)"), "es");
        assert_eq!(lang_key("French"), "French");
        assert_eq!(
            normalize_header(" Label :: English (en) "),
            "label::English (en)"
        );
    }
}
