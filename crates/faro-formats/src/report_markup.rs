//! The markup of generated reports (issue 16): Markdown (headings,
//! paragraphs, lists, emphasis, links — read by `pulldown-cmark`) plus data
//! blocks from a closed list, each with parameters.
//!
//! ```text
//! # Title of the report
//!
//! Twelve sessions were held ({{sessions.count series=vc2020}}).
//!
//! ::: table sessions series=vc2020
//! The sessions of the series
//! :::
//! ```
//!
//! - A block opens with `::: kind name key=value …` on its own line and
//!   closes with `:::`; the lines between are its caption. Kinds: `figure`,
//!   `table`, `chart`, `links`. Values may be quoted (`key="a b"`).
//! - A figure can also stand inside text: `{{name key=value}}`.
//! - The first `# heading` is the report's title.
//! - Raw HTML is not markup: it is kept as text (and escaped on output).
//!
//! Every problem is reported with its line ([`Problem`]), all at once;
//! [`check_translations`] compares the three languages' structure so a
//! missing translation is named before publishing.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// At most this many characters in one paragraph, heading or list.
pub const MAX_PARAGRAPH: usize = 20_000;
/// At most this many characters of markup in one language.
pub const MAX_SOURCE: usize = 200_000;
/// At most this many data blocks (and inline figures) in one language.
pub const MAX_BLOCKS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Figure,
    Table,
    Chart,
    Links,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Figure => "figure",
            Kind::Table => "table",
            Kind::Chart => "chart",
            Kind::Links => "links",
        }
    }
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "figure" => Kind::Figure,
            "table" => Kind::Table,
            "chart" => Kind::Chart,
            "links" => Kind::Links,
            _ => return None,
        })
    }
}

/// What a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// A record id: lowercase letters, digits, `-`, `_` and `.`.
    Id,
    /// An ISO 3166-1 alpha-2 code of the country table.
    Country,
    /// A codebook category letter (`A`…`Z`).
    Category,
    /// A whole number from 1 to the bound.
    Int(u32),
    /// `true` or `false`.
    Bool,
    /// A name (a figure key): letters, digits, `_`, `-`.
    Name,
    /// A survey question: a name, or `repeat/name` for one in a repeat.
    Question,
}

#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
}

const fn req(name: &'static str, ty: Ty) -> Param {
    Param {
        name,
        ty,
        required: true,
    }
}
const fn opt(name: &'static str, ty: Ty) -> Param {
    Param {
        name,
        ty,
        required: false,
    }
}

/// One entry of the closed list of data blocks.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub kind: Kind,
    pub name: &'static str,
    pub params: &'static [Param],
    /// What it shows, in English (the documentation page lists these).
    pub doc: &'static str,
}

const SERIES: Param = req("series", Ty::Id);
const SURVEY: Param = req("survey", Ty::Id);
const QUESTION: Param = req("question", Ty::Question);

/// The closed list of data blocks.
pub const CATALOGUE: &[Spec] = &[
    Spec {
        kind: Kind::Figure,
        name: "sessions.count",
        params: &[SERIES],
        doc: "sessions of a series (not cancelled)",
    },
    Spec {
        kind: Kind::Figure,
        name: "sessions.first",
        params: &[SERIES],
        doc: "date of a series' first session",
    },
    Spec {
        kind: Kind::Figure,
        name: "sessions.last",
        params: &[SERIES],
        doc: "date of a series' last session",
    },
    Spec {
        kind: Kind::Figure,
        name: "series.reported",
        params: &[SERIES, req("key", Ty::Name)],
        doc: "a figure the series reported, as reported",
    },
    Spec {
        kind: Kind::Figure,
        name: "presenters.count",
        params: &[SERIES],
        doc: "organisations and people presenting in a series",
    },
    Spec {
        kind: Kind::Figure,
        name: "attendance.unique_people",
        params: &[SERIES],
        doc: "people who attended a series (measured; fewer than 5 shown as such)",
    },
    Spec {
        kind: Kind::Figure,
        name: "attendance.countries",
        params: &[SERIES],
        doc: "countries of the attendees of a series (measured)",
    },
    Spec {
        kind: Kind::Figure,
        name: "institutions.count",
        params: &[opt("member", Ty::Bool), opt("country", Ty::Country)],
        doc: "institutions of the directory",
    },
    Spec {
        kind: Kind::Figure,
        name: "institutions.countries",
        params: &[opt("member", Ty::Bool)],
        doc: "countries of the directory's institutions",
    },
    Spec {
        kind: Kind::Figure,
        name: "measures.count",
        params: &[opt("country", Ty::Country), opt("category", Ty::Category)],
        doc: "published measures of the observatory",
    },
    Spec {
        kind: Kind::Figure,
        name: "measures.countries",
        params: &[opt("category", Ty::Category)],
        doc: "countries with published measures",
    },
    Spec {
        kind: Kind::Figure,
        name: "measures.changed_since_release",
        params: &[],
        doc: "measures changed since the latest data release",
    },
    Spec {
        kind: Kind::Figure,
        name: "releases.latest",
        params: &[],
        doc: "the name of the latest data release",
    },
    Spec {
        kind: Kind::Figure,
        name: "survey.responses",
        params: &[SURVEY],
        doc: "submitted responses of a survey",
    },
    Spec {
        kind: Kind::Table,
        name: "sessions",
        params: &[SERIES],
        doc: "sessions of a series: number, date, topic",
    },
    Spec {
        kind: Kind::Table,
        name: "presenters",
        params: &[SERIES],
        doc: "presenting organisations of a series, with their country",
    },
    Spec {
        kind: Kind::Table,
        name: "presenters.by_country",
        params: &[SERIES],
        doc: "presenting organisations of a series per country",
    },
    Spec {
        kind: Kind::Table,
        name: "series.reported",
        params: &[SERIES],
        doc: "the figures a series reported, with their source",
    },
    Spec {
        kind: Kind::Table,
        name: "institutions",
        params: &[opt("member", Ty::Bool), opt("country", Ty::Country)],
        doc: "institutions of the directory: acronym, name, country",
    },
    Spec {
        kind: Kind::Table,
        name: "measures.by_category",
        params: &[opt("country", Ty::Country)],
        doc: "published measures per codebook category",
    },
    Spec {
        kind: Kind::Table,
        name: "measures.by_country",
        params: &[opt("category", Ty::Category)],
        doc: "published measures per country",
    },
    Spec {
        kind: Kind::Table,
        name: "survey.question",
        params: &[SURVEY, QUESTION],
        doc: "results of a survey question (counts below 5 suppressed)",
    },
    Spec {
        kind: Kind::Chart,
        name: "measures.by_category",
        params: &[opt("country", Ty::Country)],
        doc: "bars: measures per category",
    },
    Spec {
        kind: Kind::Chart,
        name: "measures.by_country",
        params: &[opt("category", Ty::Category)],
        doc: "bars: measures per country",
    },
    Spec {
        kind: Kind::Chart,
        name: "measures.by_month",
        params: &[opt("country", Ty::Country), opt("category", Ty::Category)],
        doc: "bars: measures by month of start",
    },
    Spec {
        kind: Kind::Chart,
        name: "attendance.per_session",
        params: &[SERIES],
        doc: "bars: people who attended each session (measured)",
    },
    Spec {
        kind: Kind::Chart,
        name: "survey.question",
        params: &[SURVEY, QUESTION],
        doc: "bars: results of a survey question",
    },
    Spec {
        kind: Kind::Links,
        name: "measures",
        params: &[
            opt("country", Ty::Country),
            opt("category", Ty::Category),
            opt("limit", Ty::Int(50)),
        ],
        doc: "links to published measures",
    },
    Spec {
        kind: Kind::Links,
        name: "sessions",
        params: &[SERIES],
        doc: "links to the sessions of a series",
    },
    Spec {
        kind: Kind::Links,
        name: "releases",
        params: &[opt("limit", Ty::Int(20))],
        doc: "links to the data releases",
    },
];

pub fn spec(kind: Kind, name: &str) -> Option<&'static Spec> {
    CATALOGUE.iter().find(|s| s.kind == kind && s.name == name)
}

/// A problem of the markup, at its line (1-based). `code` is stable (the
/// pages say it in the reader's language); `detail` names what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub line: usize,
    pub code: &'static str,
    pub detail: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {} {}", self.line, self.code, self.detail)
    }
}

/// A data block (or an inline figure) with its parameters as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct DataRef {
    pub kind: Kind,
    pub name: String,
    /// In the order of the catalogue's parameters.
    pub params: Vec<(String, String)>,
    pub line: usize,
}

impl DataRef {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// `table sessions series=vc2020`: the block without its caption and
    /// line, the same in every language (what translations are compared on
    /// and figures are keyed by).
    pub fn key(&self) -> String {
        let mut s = format!("{} {}", self.kind.code(), self.name);
        for (k, v) in &self.params {
            s.push(' ');
            s.push_str(k);
            s.push('=');
            s.push_str(v);
        }
        s
    }
}

/// A run of text with its style, or an inline figure.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Span {
    Text {
        text: String,
        strong: bool,
        em: bool,
        code: bool,
        href: Option<String>,
    },
    Data(DataRef),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Node {
    Heading {
        level: u8,
        spans: Vec<Span>,
        line: usize,
    },
    Paragraph {
        spans: Vec<Span>,
        line: usize,
    },
    List {
        ordered: bool,
        items: Vec<Vec<Span>>,
        line: usize,
    },
    Block {
        data: DataRef,
        caption: String,
    },
}

impl Node {
    pub fn line(&self) -> usize {
        match self {
            Node::Heading { line, .. } | Node::Paragraph { line, .. } | Node::List { line, .. } => {
                *line
            }
            Node::Block { data, .. } => data.line,
        }
    }
    /// The node's shape, compared across languages.
    fn shape(&self) -> String {
        match self {
            Node::Heading { level, spans, .. } => format!("h{level}{}", figures_of(spans)),
            Node::Paragraph { spans, .. } => format!("p{}", figures_of(spans)),
            Node::List { items, .. } => format!(
                "list{}{}",
                items.len(),
                items.iter().map(|i| figures_of(i)).collect::<String>()
            ),
            Node::Block { data, .. } => data.key(),
        }
    }
}

fn figures_of(spans: &[Span]) -> String {
    spans
        .iter()
        .filter_map(|s| match s {
            Span::Data(d) => Some(format!(" [{}]", d.key())),
            _ => None,
        })
        .collect()
}

/// The text of spans, figures as their names (for titles and outlines
/// before data are resolved).
pub fn plain_text(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text { text, .. } => text.clone(),
            Span::Data(d) => format!("{{{{{}}}}}", d.name),
        })
        .collect()
}

/// A parsed report text.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Doc {
    pub title: String,
    pub nodes: Vec<Node>,
}

impl Doc {
    /// Every data reference, blocks and inline figures, in order.
    pub fn data(&self) -> Vec<&DataRef> {
        let mut out = Vec::new();
        for n in &self.nodes {
            match n {
                Node::Heading { spans, .. } | Node::Paragraph { spans, .. } => {
                    out.extend(spans.iter().filter_map(data_of))
                }
                Node::List { items, .. } => {
                    for i in items {
                        out.extend(i.iter().filter_map(data_of))
                    }
                }
                Node::Block { data, .. } => out.push(data),
            }
        }
        out
    }
}

fn data_of(s: &Span) -> Option<&DataRef> {
    match s {
        Span::Data(d) => Some(d),
        _ => None,
    }
}

fn problem(line: usize, code: &'static str, detail: impl Into<String>) -> Problem {
    Problem {
        line,
        code,
        detail: detail.into(),
    }
}

/// Splits `key=value key="a b"` into pairs (or the problem).
fn words(s: &str, line: usize) -> Result<Vec<String>, Problem> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => cur.push(c),
        }
    }
    if quoted {
        return Err(problem(line, "report-unclosed-quote", s.to_string()));
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

fn check_value(ty: Ty, v: &str) -> bool {
    match ty {
        Ty::Id => {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
                })
        }
        Ty::Country => v.len() == 2 && faro_domain::country::by_code(v).is_some(),
        Ty::Category => v.len() == 1 && v.bytes().all(|b| b.is_ascii_uppercase()),
        Ty::Int(max) => v.parse::<u32>().is_ok_and(|n| n >= 1 && n <= max),
        Ty::Bool => v == "true" || v == "false",
        Ty::Name => {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        Ty::Question => {
            let mut parts = v.split('/');
            let ok = |p: &str| check_value(Ty::Name, p);
            match (parts.next(), parts.next(), parts.next()) {
                (Some(a), None, _) => ok(a),
                (Some(a), Some(b), None) => ok(a) && ok(b),
                _ => false,
            }
        }
    }
}

/// Reads `name key=value …` against the catalogue for `kind`.
fn data_ref(kind: Kind, text: &str, line: usize) -> Result<DataRef, Vec<Problem>> {
    let w = words(text, line).map_err(|p| vec![p])?;
    let Some(name) = w.first() else {
        return Err(vec![problem(
            line,
            "report-block-name-missing",
            kind.code(),
        )]);
    };
    let Some(spec) = spec(kind, name) else {
        return Err(vec![problem(
            line,
            "report-unknown-block",
            format!("{} {name}", kind.code()),
        )]);
    };
    let mut given: Vec<(String, String)> = Vec::new();
    let mut problems = Vec::new();
    for word in &w[1..] {
        let Some((k, v)) = word.split_once('=') else {
            problems.push(problem(line, "report-bad-parameter", word.clone()));
            continue;
        };
        let Some(p) = spec.params.iter().find(|p| p.name == k) else {
            problems.push(problem(
                line,
                "report-unknown-parameter",
                format!("{k} ({} {name})", kind.code()),
            ));
            continue;
        };
        if given.iter().any(|(g, _)| g == k) {
            problems.push(problem(line, "report-repeated-parameter", k.to_string()));
            continue;
        }
        if !check_value(p.ty, v) {
            problems.push(problem(line, "report-bad-value", format!("{k}={v}")));
            continue;
        }
        given.push((k.to_string(), v.to_string()));
    }
    for p in spec.params.iter().filter(|p| p.required) {
        if !given.iter().any(|(g, _)| g == p.name)
            && !problems
                .iter()
                .any(|x| x.detail.starts_with(&format!("{}=", p.name)))
        {
            problems.push(problem(
                line,
                "report-missing-parameter",
                format!("{} ({} {name})", p.name, kind.code()),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let params = spec
        .params
        .iter()
        .filter_map(|p| {
            given
                .iter()
                .find(|(g, _)| g == p.name)
                .map(|(_, v)| (p.name.to_string(), v.clone()))
        })
        .collect();
    Ok(DataRef {
        kind,
        name: name.clone(),
        params,
        line,
    })
}

/// Parses one language's markup: the document, or every problem.
pub fn parse(src: &str) -> Result<Doc, Vec<Problem>> {
    let mut problems = Vec::new();
    if src.chars().count() > MAX_SOURCE {
        let line = src
            .char_indices()
            .nth(MAX_SOURCE)
            .map(|(i, _)| src[..i].matches('\n').count() + 1)
            .unwrap_or(1);
        return Err(vec![problem(
            line,
            "report-too-long",
            format!("{MAX_SOURCE}"),
        )]);
    }
    let mut nodes = Vec::new();
    // Markdown between blocks: (first line, text).
    let mut chunk = String::new();
    let mut chunk_line = 1;
    // (kind — None when unknown, skipped to its end —, head, line, caption)
    let mut open: Option<(Option<Kind>, String, usize, String)> = None;
    for (i, raw) in src.split('\n').enumerate() {
        let line_no = i + 1;
        let line = raw.trim_end_matches('\r');
        let t = line.trim();
        if let Some(rest) = t.strip_prefix(":::") {
            let rest = rest.trim();
            match open.take() {
                Some((kind, head, at, caption)) => {
                    if !rest.is_empty() {
                        // A block opened inside a block: the first is unclosed.
                        let k = kind.map(Kind::code).unwrap_or_default();
                        problems.push(problem(at, "report-unclosed-block", format!("{k} {head}")));
                        open = Some((kind, head, at, caption));
                        continue;
                    }
                    if let Some(kind) = kind {
                        match data_ref(kind, &head, at) {
                            Ok(data) => nodes.push(Node::Block {
                                data,
                                caption: caption.trim().to_string(),
                            }),
                            Err(p) => problems.extend(p),
                        }
                    }
                    chunk_line = line_no + 1;
                }
                None => {
                    if rest.is_empty() {
                        problems.push(problem(line_no, "report-stray-close", ":::"));
                        continue;
                    }
                    markdown(&chunk, chunk_line, &mut nodes, &mut problems);
                    chunk.clear();
                    let (kind, head) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                    let k = Kind::parse(kind);
                    if k.is_none() {
                        problems.push(problem(line_no, "report-unknown-block", kind.to_string()));
                    }
                    open = Some((k, head.trim().to_string(), line_no, String::new()));
                }
            }
            continue;
        }
        match &mut open {
            Some((_, _, _, caption)) => {
                caption.push_str(line);
                caption.push('\n');
            }
            None => {
                if chunk.is_empty() {
                    chunk_line = line_no;
                }
                chunk.push_str(line);
                chunk.push('\n');
            }
        }
    }
    if let Some((kind, head, at, _)) = open {
        let kind = kind.map(Kind::code).unwrap_or_default();
        problems.push(problem(
            at,
            "report-unclosed-block",
            format!("{kind} {head}"),
        ));
    } else {
        markdown(&chunk, chunk_line, &mut nodes, &mut problems);
    }
    let title = nodes
        .iter()
        .find_map(|n| match n {
            Node::Heading {
                level: 1, spans, ..
            } => Some(plain_text(spans)),
            _ => None,
        })
        .unwrap_or_default();
    if title.trim().is_empty() && problems.is_empty() {
        problems.push(problem(1, "report-title-missing", "#"));
    }
    let count = Doc {
        title: String::new(),
        nodes: nodes.clone(),
    }
    .data()
    .len();
    if count > MAX_BLOCKS {
        problems.push(problem(
            1,
            "report-too-many-blocks",
            format!("{count} > {MAX_BLOCKS}"),
        ));
    }
    problems.sort_by_key(|p| p.line);
    if problems.is_empty() {
        Ok(Doc { title, nodes })
    } else {
        Err(problems)
    }
}

/// strong, em, code, link.
type Style = (bool, bool, bool, Option<String>);

/// Text spans of one inline run with `{{…}}` figures split out.
fn push_text(
    out: &mut Vec<Span>,
    text: &str,
    style: Style,
    line: usize,
    problems: &mut Vec<Problem>,
) {
    let mut rest = text;
    while let Some(at) = rest.find("{{") {
        let (before, after) = rest.split_at(at);
        push_plain(out, before, &style);
        let Some(end) = after.find("}}") else {
            problems.push(problem(
                line,
                "report-unclosed-figure",
                after.chars().take(40).collect::<String>(),
            ));
            return;
        };
        match data_ref(Kind::Figure, after[2..end].trim(), line) {
            Ok(d) => out.push(Span::Data(d)),
            Err(p) => problems.extend(p),
        }
        rest = &after[end + 2..];
    }
    push_plain(out, rest, &style);
}

fn push_plain(out: &mut Vec<Span>, text: &str, style: &Style) {
    if text.is_empty() {
        return;
    }
    if let Some(Span::Text {
        text: t,
        strong,
        em,
        code,
        href,
    }) = out.last_mut()
        && (*strong, *em, *code, href.clone()) == *style
    {
        t.push_str(text);
        return;
    }
    out.push(Span::Text {
        text: text.to_string(),
        strong: style.0,
        em: style.1,
        code: style.2,
        href: style.3.clone(),
    });
}

/// Links: only http(s), mailto and site paths; others become text.
fn safe_href(dest: &str) -> Option<String> {
    let d = dest.trim();
    let lower = d.to_ascii_lowercase();
    (lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (d.starts_with('/') && !d.starts_with("//")))
    .then(|| d.to_string())
}

fn markdown(src: &str, first_line: usize, nodes: &mut Vec<Node>, problems: &mut Vec<Problem>) {
    if src.trim().is_empty() {
        return;
    }
    let line_at = |off: usize| first_line + src[..off.min(src.len())].matches('\n').count();
    // Inline state.
    let mut raw_text: Vec<(String, Style)> = Vec::new();
    let (mut strong, mut em) = (0, 0);
    let mut href: Vec<Option<String>> = Vec::new();
    let mut start_line = first_line;
    let mut heading: Option<u8> = None;
    let mut list: Option<(bool, Vec<Vec<Span>>, usize)> = None;
    let mut depth_item = 0;
    let flush =
        |raw: &mut Vec<(String, Style)>, line: usize, problems: &mut Vec<Problem>| -> Vec<Span> {
            let mut out = Vec::new();
            // Join runs of the same style first so `{{` split by the parser is whole.
            let mut joined: Vec<(String, Style)> = Vec::new();
            for (t, s) in raw.drain(..) {
                match joined.last_mut() {
                    Some((jt, js)) if *js == s => jt.push_str(&t),
                    _ => joined.push((t, s)),
                }
            }
            for (t, s) in joined {
                if s.2 {
                    push_plain(&mut out, &t, &s);
                } else {
                    push_text(&mut out, &t, s, line, problems);
                }
            }
            let len: usize = out
                .iter()
                .map(|s| match s {
                    Span::Text { text, .. } => text.chars().count(),
                    _ => 0,
                })
                .sum();
            if len > MAX_PARAGRAPH {
                problems.push(problem(
                    line,
                    "report-paragraph-too-long",
                    format!("{len} > {MAX_PARAGRAPH}"),
                ));
                out.clear();
            }
            out
        };
    let style = |strong: i32, em: i32, code: bool, href: &Vec<Option<String>>| {
        (strong > 0, em > 0, code, href.last().cloned().flatten())
    };
    for (ev, range) in Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                });
                start_line = line_at(range.start);
            }
            Event::End(TagEnd::Heading(_)) => {
                let s = flush(&mut raw_text, start_line, problems);
                nodes.push(Node::Heading {
                    level: heading.take().unwrap_or(2),
                    spans: s,
                    line: start_line,
                });
            }
            Event::Start(Tag::Paragraph) if list.is_none() => {
                start_line = line_at(range.start);
            }
            Event::End(TagEnd::Paragraph) => {
                if list.is_none() {
                    let s = flush(&mut raw_text, start_line, problems);
                    if !s.is_empty() {
                        nodes.push(Node::Paragraph {
                            spans: s,
                            line: start_line,
                        });
                    }
                } else {
                    raw_text.push((" ".into(), style(strong, em, false, &href)));
                }
            }
            Event::Start(Tag::List(first)) if list.is_none() => {
                list = Some((first.is_some(), Vec::new(), line_at(range.start)));
            }
            Event::End(TagEnd::List(_)) => {
                if depth_item == 0
                    && let Some((ordered, items, line)) = list.take()
                {
                    nodes.push(Node::List {
                        ordered,
                        items,
                        line,
                    });
                }
            }
            Event::Start(Tag::Item) => {
                if depth_item > 0 {
                    // A nested item: its own line in the outer item's list.
                    let s = flush(&mut raw_text, line_at(range.start), problems);
                    if let Some((_, items, _)) = &mut list
                        && !s.is_empty()
                    {
                        items.push(s);
                    }
                }
                depth_item += 1;
                start_line = line_at(range.start);
            }
            Event::End(TagEnd::Item) => {
                depth_item -= 1;
                let s = flush(&mut raw_text, start_line, problems);
                if let Some((_, items, _)) = &mut list
                    && !s.is_empty()
                {
                    items.push(s);
                }
            }
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong -= 1,
            Event::Start(Tag::Emphasis) => em += 1,
            Event::End(TagEnd::Emphasis) => em -= 1,
            Event::Start(Tag::Link { dest_url, .. }) => href.push(safe_href(&dest_url)),
            Event::End(TagEnd::Link) => {
                href.pop();
            }
            Event::Start(Tag::CodeBlock(_)) | Event::Start(Tag::BlockQuote(_))
                if list.is_none() && heading.is_none() =>
            {
                start_line = line_at(range.start);
            }
            Event::End(TagEnd::CodeBlock)
            | Event::End(TagEnd::BlockQuote(_))
            | Event::End(TagEnd::HtmlBlock)
                if list.is_none() =>
            {
                let s = flush(&mut raw_text, start_line, problems);
                if !s.is_empty() {
                    nodes.push(Node::Paragraph {
                        spans: s,
                        line: start_line,
                    });
                }
            }
            Event::Text(t) => raw_text.push((t.to_string(), style(strong, em, false, &href))),
            Event::Code(t) => raw_text.push((t.to_string(), style(strong, em, true, &href))),
            // Raw HTML is text, escaped on output.
            Event::Html(t) | Event::InlineHtml(t) => {
                if raw_text.is_empty() && list.is_none() && heading.is_none() {
                    start_line = line_at(range.start);
                }
                raw_text.push((t.to_string(), style(strong, em, false, &href)))
            }
            Event::SoftBreak | Event::HardBreak => {
                raw_text.push((" ".into(), style(strong, em, false, &href)))
            }
            _ => {}
        }
    }
    let s = flush(&mut raw_text, start_line, problems);
    if !s.is_empty() {
        nodes.push(Node::Paragraph {
            spans: s,
            line: start_line,
        });
    }
}

/// Compares the structure of the three languages' documents (headings,
/// paragraphs, lists, blocks and figures in order): a language whose
/// structure differs from the fullest one, or that is empty, is a missing
/// translation at the first line where it differs. `(language, problem)`.
pub fn check_translations(docs: &[(&str, &Doc)]) -> Vec<(String, Problem)> {
    let shapes: Vec<Vec<String>> = docs
        .iter()
        .map(|(_, d)| d.nodes.iter().map(Node::shape).collect())
        .collect();
    let Some(reference) = (0..docs.len()).max_by_key(|&i| (shapes[i].len(), usize::MAX - i)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, (lang, doc)) in docs.iter().enumerate() {
        if i == reference {
            continue;
        }
        let (a, b) = (&shapes[i], &shapes[reference]);
        if a == b {
            continue;
        }
        let at = a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
        let line = doc
            .nodes
            .get(at)
            .map(Node::line)
            .or_else(|| doc.nodes.last().map(Node::line))
            .unwrap_or(1);
        let ref_line = docs[reference].1.nodes.get(at).map(Node::line).unwrap_or(1);
        out.push((
            lang.to_string(),
            problem(
                line,
                "report-missing-translation",
                format!("{} {ref_line}", docs[reference].0),
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_markdown_blocks_and_figures() {
        let d = parse(
            "# Título\n\nSe realizaron {{sessions.count series=vc2020}} sesiones, **entre** otras.\n\n- uno\n- dos\n\n::: table sessions series=vc2020\nLas sesiones\n:::\n",
        )
        .unwrap();
        assert_eq!(d.title, "Título");
        assert_eq!(d.nodes.len(), 4);
        let data = d.data();
        assert_eq!(data.len(), 2);
        assert_eq!(data[0].key(), "figure sessions.count series=vc2020");
        assert_eq!(data[1].line, 8);
        match &d.nodes[3] {
            Node::Block { caption, .. } => assert_eq!(caption, "Las sesiones"),
            n => panic!("{n:?}"),
        }
    }

    #[test]
    fn problems_are_located() {
        let e = parse("# T\n\n::: table nope\n:::\n").unwrap_err();
        assert_eq!((e[0].line, e[0].code), (3, "report-unknown-block"));
        let e = parse("# T\n\n::: table sessions series=vc2020 colour=red\n:::\n").unwrap_err();
        assert_eq!((e[0].line, e[0].code), (3, "report-unknown-parameter"));
        let e = parse("# T\n\n::: table sessions\n:::\n").unwrap_err();
        assert_eq!((e[0].line, e[0].code), (3, "report-missing-parameter"));
        let e = parse("# T\n\ntext\n\n::: table sessions series=vc2020\ncaption\n").unwrap_err();
        assert_eq!((e[0].line, e[0].code), (5, "report-unclosed-block"));
        let e = parse("# T\n\n::: poem x\n:::\n").unwrap_err();
        assert_eq!((e[0].line, e[0].code), (3, "report-unknown-block"));
        let e = parse("# T\n\nA {{measures.count country=XX}}.\n").unwrap_err();
        assert_eq!((e[0].line, e[0].code), (3, "report-bad-value"));
        let e = parse("# T\n\nA {{measures.count\n").unwrap_err();
        assert_eq!((e[0].line, e[0].code), (3, "report-unclosed-figure"));
        let big = format!("# T\n\nintro\n\n{}\n", "palabra ".repeat(3000));
        let e = parse(&big).unwrap_err();
        assert_eq!((e[0].line, e[0].code), (5, "report-paragraph-too-long"));
        let huge = format!("# T\n\n{}\n", "x".repeat(1_000_000));
        let e = parse(&huge).unwrap_err();
        assert_eq!(e[0].code, "report-too-long");
        assert_eq!(e[0].line, 3);
    }

    #[test]
    fn html_is_text() {
        let d = parse("# T\n\n<script>alert(1)</script>\n\nHi <b onclick=x>b</b>\n").unwrap();
        let all: String = d
            .nodes
            .iter()
            .map(|n| match n {
                Node::Paragraph { spans, .. } => plain_text(spans),
                _ => String::new(),
            })
            .collect();
        assert!(all.contains("<script>"), "{all}");
        assert!(all.contains("<b onclick=x>"), "{all}");
    }

    #[test]
    fn javascript_links_are_text() {
        let d = parse("# T\n\n[x](javascript:alert(1)) [y](https://example.org)\n").unwrap();
        let Node::Paragraph { spans, .. } = &d.nodes[1] else {
            panic!()
        };
        let hrefs: Vec<_> = spans
            .iter()
            .filter_map(|s| match s {
                Span::Text { href, .. } => href.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(hrefs, vec!["https://example.org".to_string()]);
    }

    #[test]
    fn translations_compared() {
        let es = parse("# A\n\nuno\n\n::: table sessions series=s\n:::\n").unwrap();
        let en = parse("# A\n\none\n").unwrap();
        let pt = parse("# A\n\num\n\n::: table sessions series=s\n:::\n").unwrap();
        let p = check_translations(&[("es", &es), ("en", &en), ("pt", &pt)]);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, "en");
        assert_eq!(p[0].1.code, "report-missing-translation");
    }
}
