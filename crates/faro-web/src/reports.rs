//! Reports generated from the data (issue 16): a report's markup
//! (`faro_formats::report_markup`) with its data blocks resolved against the
//! store, rendered as an HTML fragment (the preview and the edition page),
//! a standalone HTML document (what an edition freezes), a typeset PDF
//! (`faro-typeset`) and one CSV per block; the figures of the blocks (what
//! the diff between editions compares).
//!
//! Numbers and dates are localised here (`1.234,5` in es/pt, `1,234.5` in
//! en; "26 de marzo de 2020"); counts of people go through the public rule
//! (below 5 is "fewer than 5"). Every text is escaped in HTML; the PDF
//! draws text as text.

use crate::i18n::{self, FluentArg};
use crate::toolkit::escape;
use faro_domain::Lang;
use faro_formats::report_markup::{self as markup, DataRef, Kind, Node, Problem, Span};
use faro_store::{Store, StoreError};
use std::collections::BTreeMap;
use std::fmt::Write;

pub const LANGS: [Lang; 3] = [Lang::Es, Lang::En, Lang::Pt];

/// A value as resolved, formatted per language on output.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Int(i64),
    /// A count of people: below 5 is shown as "fewer than 5".
    People(i64),
    Date(chrono::NaiveDate),
    Text(String),
}

impl Val {
    /// The canonical form (CSV cells, figures of the diff).
    pub fn raw(&self) -> String {
        match self {
            Val::Int(n) => n.to_string(),
            Val::People(n) if *n < 5 => "<5".into(),
            Val::People(n) => n.to_string(),
            Val::Date(d) => d.format("%Y-%m-%d").to_string(),
            Val::Text(t) => t.clone(),
        }
    }
    pub fn show(&self, lang: Lang) -> String {
        match self {
            Val::Int(n) => int(lang, *n),
            Val::People(n) => crate::pages::attendance::public_count(lang, *n),
            Val::Date(d) => date(lang, *d),
            Val::Text(t) => t.clone(),
        }
    }
    fn num(&self) -> f64 {
        match self {
            Val::Int(n) | Val::People(n) => *n as f64,
            _ => 0.0,
        }
    }
    fn numeric(&self) -> bool {
        matches!(self, Val::Int(_) | Val::People(_))
    }
}

/// `1234` → `1.234` (es, pt) or `1,234` (en).
pub fn int(lang: Lang, n: i64) -> String {
    let sep = if lang == Lang::En { ',' } else { '.' };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// `1234.5` → `1.234,5` (es, pt) or `1,234.5` (en), `places` decimals.
pub fn decimal(lang: Lang, x: f64, places: usize) -> String {
    let s = format!("{:.*}", places, x.abs());
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let whole = int(lang, whole.parse().unwrap_or(0));
    let sign = if x < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        return format!("{sign}{whole}");
    }
    let point = if lang == Lang::En { '.' } else { ',' };
    format!("{sign}{whole}{point}{frac}")
}

/// "26 de marzo de 2020", "26 March 2020", "26 de março de 2020".
pub fn date(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    i18n::t_args(
        lang,
        "report-date",
        &[
            ("day", FluentArg::Num(d.day() as i64)),
            (
                "month",
                FluentArg::Str(i18n::t(lang, &format!("report-month-{}", d.month()))),
            ),
            ("year", FluentArg::Str(d.year().to_string())),
        ],
    )
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<Val>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Figure(Val),
    Table(Table),
    /// (label, value).
    Chart(Vec<(String, Val)>),
    /// (text, href).
    Links(Vec<(String, String)>),
}

/// Why a block has no data: a problem of the markup (an unknown series at
/// its line), or the store failing.
#[derive(Debug)]
pub enum Failure {
    Problems(Vec<(Lang, Problem)>),
    Store(StoreError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

/// Why one block has no data.
#[derive(Debug)]
pub enum Miss {
    Problem(Problem),
    Store(StoreError),
}

impl From<StoreError> for Miss {
    fn from(e: StoreError) -> Self {
        Miss::Store(e)
    }
}

fn unknown(d: &DataRef, param: &str) -> Problem {
    Problem {
        line: d.line,
        code: "report-unknown-record",
        detail: format!("{param}={}", d.param(param).unwrap_or("")),
    }
}

fn country_name(lang: Lang, code: &str) -> String {
    faro_domain::country::by_code(code)
        .map(|c| c.name(lang).to_string())
        .unwrap_or_else(|| {
            if code.is_empty() || code == "none" {
                i18n::t(lang, "report-no-country")
            } else {
                code.to_string()
            }
        })
}

fn category_label(lang: Lang, letter: &str) -> String {
    faro_domain::observatory::current()
        .categories()
        .find(|c| c.code == letter)
        .map(|c| format!("{letter} · {}", c.label(lang)))
        .unwrap_or_else(|| letter.to_string())
}

fn session_date(s: &faro_domain::events::Session) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(&s.date, "%Y-%m-%d").ok()
}

/// One resolution per report build: the store reads a block needs, shared
/// by blocks that need the same (a series' sessions, the chart counts).
pub struct Resolver<'a> {
    pub store: &'a Store,
    sessions: BTreeMap<String, Vec<faro_domain::events::Session>>,
    counts: Option<faro_store::observatory::ChartCounts>,
}

impl<'a> Resolver<'a> {
    pub fn new(store: &'a Store) -> Self {
        Resolver {
            store,
            sessions: BTreeMap::new(),
            counts: None,
        }
    }

    async fn series(&self, d: &DataRef) -> Result<faro_domain::events::Series, Miss> {
        match faro_store::events::get_series(self.store, d.param("series").unwrap_or("")).await {
            Ok(s) => Ok(s),
            Err(StoreError::NotFound) => Err(Miss::Problem(unknown(d, "series"))),
            Err(e) => Err(Miss::Store(e)),
        }
    }

    async fn sessions(
        &mut self,
        series: &str,
    ) -> Result<Vec<faro_domain::events::Session>, StoreError> {
        if let Some(s) = self.sessions.get(series) {
            return Ok(s.clone());
        }
        let mut s: Vec<_> = faro_store::events::for_series(self.store, series)
            .await?
            .into_iter()
            .filter(|s| s.status != "cancelled")
            .collect();
        s.sort_by(|a, b| a.date.cmp(&b.date).then(a.number.cmp(&b.number)));
        self.sessions.insert(series.to_string(), s.clone());
        Ok(s)
    }

    async fn counts(&mut self) -> Result<faro_store::observatory::ChartCounts, StoreError> {
        if self.counts.is_none() {
            self.counts = Some(faro_store::observatory::chart_counts(self.store).await?);
        }
        Ok(self.counts.clone().unwrap_or_default())
    }

    async fn institutions(
        &self,
        member: Option<bool>,
        country: Option<&str>,
    ) -> Result<(Vec<faro_domain::institutions::Institution>, u64), StoreError> {
        let filter = faro_store::institutions::Filter {
            country: country.map(String::from),
            member,
            ..Default::default()
        };
        let mut all = Vec::new();
        let mut total = 0;
        // Pages of 100; a report's table is bounded (at most 1,000 rows).
        for page in 1..=10 {
            let (items, t) = faro_store::institutions::list(self.store, &filter, page, 100).await?;
            total = t;
            let n = items.len();
            all.extend(items);
            if n < 100 || all.len() as u64 >= t {
                break;
            }
        }
        Ok((all, total))
    }

    /// The data of one block in one language.
    pub async fn resolve(&mut self, lang: Lang, d: &DataRef) -> Result<Data, Miss> {
        let t = |k: &str| i18n::t(lang, k);
        let member = d.param("member").map(|v| v == "true");
        let country = d.param("country");
        let category = d.param("category");
        Ok(match (d.kind, d.name.as_str()) {
            (Kind::Figure, "sessions.count") => {
                let s = self.series(d).await?;
                Data::Figure(Val::Int(self.sessions(&s.id).await?.len() as i64))
            }
            (Kind::Figure, "sessions.first") | (Kind::Figure, "sessions.last") => {
                let s = self.series(d).await?;
                let list = self.sessions(&s.id).await?;
                let pick = if d.name == "sessions.first" {
                    list.iter().filter_map(session_date).min()
                } else {
                    list.iter().filter_map(session_date).max()
                };
                Data::Figure(pick.map(Val::Date).unwrap_or(Val::Text("—".into())))
            }
            (Kind::Figure, "series.reported") => {
                let s = self.series(d).await?;
                let key = d.param("key").unwrap_or("");
                match s.figures.iter().find(|f| f.key == key) {
                    Some(f) => Data::Figure(Val::Text(f.value.clone())),
                    None => return Err(Miss::Problem(unknown(d, "key"))),
                }
            }
            (Kind::Figure, "presenters.count") => {
                let s = self.series(d).await?;
                let p = faro_store::events::presenters(self.store, &s.id).await?;
                Data::Figure(Val::Int(p.len() as i64))
            }
            (Kind::Figure, "attendance.unique_people") | (Kind::Figure, "attendance.countries") => {
                let s = self.series(d).await?;
                let st = faro_store::audience::series_stats(self.store, &s.id).await?;
                if st.sessions.is_empty() {
                    Data::Figure(Val::Text(t("report-not-measured")))
                } else if d.name == "attendance.unique_people" {
                    Data::Figure(Val::People(st.unique_people))
                } else {
                    Data::Figure(Val::People(st.countries))
                }
            }
            (Kind::Figure, "institutions.count") => {
                let filter = faro_store::institutions::Filter {
                    country: country.map(String::from),
                    member,
                    ..Default::default()
                };
                let (_, total) = faro_store::institutions::list(self.store, &filter, 1, 1).await?;
                Data::Figure(Val::Int(total as i64))
            }
            (Kind::Figure, "institutions.countries") => {
                let filter = faro_store::institutions::Filter {
                    member,
                    ..Default::default()
                };
                let f = faro_store::institutions::facets(self.store, &filter).await?;
                Data::Figure(Val::Int(
                    f.country.iter().filter(|c| c.value.is_some()).count() as i64,
                ))
            }
            (Kind::Figure, "measures.count") => {
                let c = self.counts().await?;
                let n: u64 = match category {
                    None => c
                        .per_country
                        .iter()
                        .filter(|(k, _)| country.is_none_or(|x| x == k.as_str()))
                        .map(|(_, n)| n)
                        .sum(),
                    Some(cat) => c
                        .cells
                        .iter()
                        .filter(|x| x.2 == cat && country.is_none_or(|k| k == x.0))
                        .map(|x| x.3)
                        .sum(),
                };
                Data::Figure(Val::Int(n as i64))
            }
            (Kind::Figure, "measures.countries") => {
                let c = self.counts().await?;
                let n = match category {
                    None => c
                        .per_country
                        .keys()
                        .filter(|k| k.as_str() != "none")
                        .count(),
                    Some(cat) => c
                        .cells
                        .iter()
                        .filter(|x| x.2 == cat && x.0 != "none")
                        .map(|x| x.0.clone())
                        .collect::<std::collections::BTreeSet<_>>()
                        .len(),
                };
                Data::Figure(Val::Int(n as i64))
            }
            (Kind::Figure, "measures.changed_since_release") => {
                let releases = faro_store::releases::list(self.store).await?;
                match releases.first() {
                    None => Data::Figure(Val::Text(t("report-no-release"))),
                    Some((_, at)) => Data::Figure(Val::Int(
                        faro_store::reports::changed_since(self.store, "measure", *at).await?,
                    )),
                }
            }
            (Kind::Figure, "releases.latest") => {
                let releases = faro_store::releases::list(self.store).await?;
                Data::Figure(Val::Text(
                    releases
                        .first()
                        .map(|r| r.0.clone())
                        .unwrap_or_else(|| t("report-no-release")),
                ))
            }
            (Kind::Figure, "survey.responses") => {
                let id = self.survey(d).await?;
                let n = faro_store::surveys::submitted_count(self.store, &id, &Default::default())
                    .await?;
                Data::Figure(Val::People(n))
            }
            (Kind::Table, "sessions") => {
                let s = self.series(d).await?;
                let list = self.sessions(&s.id).await?;
                Data::Table(Table {
                    head: vec![
                        t("report-col-number"),
                        t("report-col-date"),
                        t("report-col-topic"),
                    ],
                    rows: list
                        .iter()
                        .map(|x| {
                            vec![
                                Val::Int(x.number as i64),
                                session_date(x)
                                    .map(Val::Date)
                                    .unwrap_or(Val::Text(x.date.clone())),
                                Val::Text(x.title(lang).to_string()),
                            ]
                        })
                        .collect(),
                })
            }
            (Kind::Table, "presenters") | (Kind::Table, "presenters.by_country") => {
                let s = self.series(d).await?;
                let p = faro_store::events::presenters(self.store, &s.id).await?;
                let ids: Vec<String> = p
                    .iter()
                    .filter(|x| !x.institution.is_empty())
                    .map(|x| x.institution.clone())
                    .collect();
                let mut rows: Vec<(String, String)> = Vec::new();
                for id in &ids {
                    if let Ok(i) = faro_store::institutions::get(self.store, id).await {
                        rows.push((i.acronym.clone(), i.country.clone().unwrap_or_default()));
                    }
                }
                for x in p.iter().filter(|x| x.institution.is_empty()) {
                    rows.push((x.name.clone(), String::new()));
                }
                if d.name == "presenters" {
                    Data::Table(Table {
                        head: vec![t("report-col-organisation"), t("report-col-country")],
                        rows: rows
                            .into_iter()
                            .map(|(a, c)| vec![Val::Text(a), Val::Text(country_name(lang, &c))])
                            .collect(),
                    })
                } else {
                    let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
                    for (a, c) in rows {
                        by.entry(country_name(lang, &c)).or_default().push(a);
                    }
                    Data::Table(Table {
                        head: vec![
                            t("report-col-country"),
                            t("report-col-count"),
                            t("report-col-organisations"),
                        ],
                        rows: by
                            .into_iter()
                            .map(|(c, a)| {
                                vec![
                                    Val::Text(c),
                                    Val::Int(a.len() as i64),
                                    Val::Text(a.join(", ")),
                                ]
                            })
                            .collect(),
                    })
                }
            }
            (Kind::Table, "series.reported") => {
                let s = self.series(d).await?;
                Data::Table(Table {
                    head: vec![t("series-figure"), t("series-value"), t("series-source")],
                    rows: s
                        .figures
                        .iter()
                        .map(|f| {
                            vec![
                                Val::Text(i18n::t(
                                    lang,
                                    &format!("figure-{}", f.key.replace('_', "-")),
                                )),
                                Val::Text(f.value.clone()),
                                Val::Text(f.source.clone()),
                            ]
                        })
                        .collect(),
                })
            }
            (Kind::Table, "institutions") => {
                let (list, _) = self.institutions(member, country).await?;
                Data::Table(Table {
                    head: vec![
                        t("report-col-acronym"),
                        t("report-col-name"),
                        t("report-col-country"),
                    ],
                    rows: list
                        .iter()
                        .map(|i| {
                            vec![
                                Val::Text(i.acronym.clone()),
                                Val::Text(i.display_name(lang).to_string()),
                                Val::Text(
                                    i.country
                                        .as_deref()
                                        .map(|c| country_name(lang, c))
                                        .unwrap_or_default(),
                                ),
                            ]
                        })
                        .collect(),
                })
            }
            (_, "measures.by_category") => {
                let c = self.counts().await?;
                let mut by: BTreeMap<String, u64> = BTreeMap::new();
                for x in c.cells.iter().filter(|x| country.is_none_or(|k| k == x.0)) {
                    *by.entry(x.2.clone()).or_default() += x.3;
                }
                let rows: Vec<(String, Val)> = by
                    .into_iter()
                    .map(|(k, n)| (category_label(lang, &k), Val::Int(n as i64)))
                    .collect();
                self.shaped(d.kind, lang, t("report-col-category"), rows)
            }
            (_, "measures.by_country") => {
                let c = self.counts().await?;
                let mut by: BTreeMap<String, u64> = BTreeMap::new();
                match category {
                    None => by.extend(c.per_country.iter().map(|(k, v)| (k.clone(), *v))),
                    Some(cat) => {
                        for x in c.cells.iter().filter(|x| x.2 == cat) {
                            *by.entry(x.0.clone()).or_default() += x.3;
                        }
                    }
                }
                let mut rows: Vec<(String, Val)> = by
                    .into_iter()
                    .map(|(k, n)| (country_name(lang, &k), Val::Int(n as i64)))
                    .collect();
                rows.sort_by(|a, b| b.1.num().total_cmp(&a.1.num()).then(a.0.cmp(&b.0)));
                self.shaped(d.kind, lang, t("report-col-country"), rows)
            }
            (Kind::Chart, "measures.by_month") => {
                let c = self.counts().await?;
                let mut by: BTreeMap<String, u64> = BTreeMap::new();
                if category.is_none() && country.is_none() {
                    // Every measure once: the per-country totals by month are
                    // not kept, so count over categories only when filtered.
                }
                for x in c.cells.iter().filter(|x| {
                    category.is_none_or(|k| k == x.2) && country.is_none_or(|k| k == x.0)
                }) {
                    if let Some(m) = &x.1 {
                        *by.entry(m.clone()).or_default() += x.3;
                    }
                }
                Data::Chart(
                    by.into_iter()
                        .map(|(m, n)| (m, Val::Int(n as i64)))
                        .collect(),
                )
            }
            (Kind::Chart, "attendance.per_session") => {
                let s = self.series(d).await?;
                let st = faro_store::audience::series_stats(self.store, &s.id).await?;
                let list = self.sessions(&s.id).await?;
                Data::Chart(
                    st.sessions
                        .iter()
                        .map(|(sid, num, n)| {
                            let label = list
                                .iter()
                                .find(|x| &x.id == sid)
                                .map(|x| format!("{num} · {}", x.title(lang)))
                                .unwrap_or_else(|| sid.clone());
                            (label, Val::People(*n))
                        })
                        .collect(),
                )
            }
            (_, "survey.question") => {
                let id = self.survey(d).await?;
                let q = d.param("question").unwrap_or("");
                let s = faro_store::surveys::get(self.store.read(), &id).await?;
                let form = faro_store::surveys::form(self.store, &id, s.current_version).await?;
                // `name`, or `repeat/name` for a question in a repeat.
                let Some(item) = form
                    .questions()
                    .into_iter()
                    .find(|(i, rep)| match rep {
                        Some(r) => q.split_once('/') == Some((&r.name, &i.name)),
                        None => i.name == q,
                    })
                    .map(|(i, _)| i)
                    .filter(|i| i.kind.is_select())
                else {
                    return Err(Miss::Problem(unknown(d, "question")));
                };
                let lk = form.lang_for(lang.code());
                let dl = form.default_language.clone();
                let counts =
                    faro_store::surveys::value_counts(self.store, &id, q, &Default::default(), 500)
                        .await?;
                let mut by: BTreeMap<String, i64> = BTreeMap::new();
                for (v, n) in counts {
                    for choice in v.split_whitespace() {
                        *by.entry(choice.to_string()).or_default() += n;
                    }
                }
                let choices = form
                    .lists
                    .get(item.list.as_deref().unwrap_or(""))
                    .cloned()
                    .unwrap_or_default();
                let rows: Vec<(String, Val)> = choices
                    .iter()
                    .map(|c| {
                        (
                            c.label.get(&lk, &dl).to_string(),
                            Val::People(by.get(&c.name).copied().unwrap_or(0)),
                        )
                    })
                    .collect();
                let label = item.label.get(&lk, &dl).to_string();
                self.shaped(d.kind, lang, label, rows)
            }
            (Kind::Links, "measures") => {
                let limit = d
                    .param("limit")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(10u64);
                let mut f = faro_store::observatory::Filter::default();
                if let Some(c) = country {
                    f.country = vec![c.to_string()];
                }
                if let Some(c) = category {
                    f.category = vec![c.to_string()];
                }
                let (items, _) = faro_store::observatory::related(
                    self.store,
                    &f,
                    faro_store::list::PageReq {
                        page: 1,
                        per_page: limit,
                    },
                )
                .await?;
                Data::Links(
                    items
                        .iter()
                        .map(|m| {
                            (
                                m.title(lang).to_string(),
                                format!("/{}/observatory/measures/{}", lang.code(), m.id),
                            )
                        })
                        .collect(),
                )
            }
            (Kind::Links, "sessions") => {
                let s = self.series(d).await?;
                let list = self.sessions(&s.id).await?;
                Data::Links(
                    list.iter()
                        .map(|x| {
                            (
                                format!("{} · {}", x.number, x.title(lang)),
                                format!("/{}/events/{}", lang.code(), x.id),
                            )
                        })
                        .collect(),
                )
            }
            (Kind::Links, "releases") => {
                let limit = d
                    .param("limit")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(5usize);
                let releases = faro_store::releases::list(self.store).await?;
                Data::Links(
                    releases
                        .iter()
                        .take(limit)
                        .map(|(name, at)| {
                            (
                                format!("{name} ({})", date(lang, at.date_naive())),
                                format!("/data/releases/{name}/"),
                            )
                        })
                        .collect(),
                )
            }
            _ => {
                return Err(Miss::Problem(Problem {
                    line: d.line,
                    code: "report-unknown-block",
                    detail: format!("{} {}", d.kind.code(), d.name),
                }));
            }
        })
    }

    async fn survey(&self, d: &DataRef) -> Result<String, Miss> {
        let id = d.param("survey").unwrap_or("");
        match faro_store::surveys::get(self.store.read(), id).await {
            Ok(s) => Ok(s.id),
            Err(StoreError::NotFound) => Err(Miss::Problem(unknown(d, "survey"))),
            Err(e) => Err(Miss::Store(e)),
        }
    }

    fn shaped(&self, kind: Kind, lang: Lang, label: String, rows: Vec<(String, Val)>) -> Data {
        match kind {
            Kind::Chart => Data::Chart(rows),
            _ => Data::Table(Table {
                head: vec![label, i18n::t(lang, "report-col-count")],
                rows: rows
                    .into_iter()
                    .map(|(l, v)| vec![Val::Text(l), v])
                    .collect(),
            }),
        }
    }
}

/// A report's three texts parsed, or every problem (with its language).
pub fn parse_all(sources: &[String; 3]) -> Result<[markup::Doc; 3], Vec<(Lang, Problem)>> {
    let mut problems = Vec::new();
    let mut docs: Vec<markup::Doc> = Vec::new();
    for (i, lang) in LANGS.iter().enumerate() {
        if sources[i].trim().is_empty() {
            problems.push((
                *lang,
                Problem {
                    line: 1,
                    code: "report-missing-translation",
                    detail: String::new(),
                },
            ));
            docs.push(markup::Doc::default());
            continue;
        }
        match markup::parse(&sources[i]) {
            Ok(d) => docs.push(d),
            Err(p) => {
                problems.extend(p.into_iter().map(|p| (*lang, p)));
                docs.push(markup::Doc::default());
            }
        }
    }
    if problems.is_empty() {
        let pairs: Vec<(&str, &markup::Doc)> =
            LANGS.iter().map(|l| l.code()).zip(docs.iter()).collect();
        for (lang, p) in markup::check_translations(&pairs) {
            problems.push((Lang::from_code(&lang).unwrap_or(Lang::En), p));
        }
    }
    if problems.is_empty() {
        let [a, b, c]: [markup::Doc; 3] = docs.try_into().expect("three");
        Ok([a, b, c])
    } else {
        Err(problems)
    }
}

/// One language's report with its data: the HTML fragment, the PDF's
/// blocks and, per block, its data (for CSV and figures).
#[derive(Clone)]
pub struct Built {
    pub lang: Lang,
    pub title: String,
    pub html: String,
    pub pdf: Vec<faro_typeset::Block>,
    /// (block key, data) in order.
    pub data: Vec<(DataRef, Data)>,
}

fn spans_html(lang: Lang, spans: &[Span], values: &BTreeMap<String, Data>) -> String {
    let mut s = String::new();
    for sp in spans {
        match sp {
            Span::Text {
                text,
                strong,
                em,
                code,
                href,
            } => {
                let mut t = escape(text);
                if *code {
                    t = format!("<code>{t}</code>");
                }
                if *em {
                    t = format!("<em>{t}</em>");
                }
                if *strong {
                    t = format!("<strong>{t}</strong>");
                }
                if let Some(h) = href {
                    t = format!("<a href=\"{}\">{t}</a>", escape(h));
                }
                s.push_str(&t);
            }
            Span::Data(d) => {
                let v = match values.get(&d.key()) {
                    Some(Data::Figure(v)) => v.show(lang),
                    _ => "—".into(),
                };
                let _ = write!(
                    s,
                    "<data class=\"figure\" value=\"{}\">{}</data>",
                    escape(&raw_of(values.get(&d.key()))),
                    escape(&v)
                );
            }
        }
    }
    s
}

fn spans_text(lang: Lang, spans: &[Span], values: &BTreeMap<String, Data>) -> String {
    let mut s = String::new();
    for sp in spans {
        match sp {
            Span::Text { text, href, .. } => {
                s.push_str(text);
                if let Some(h) = href
                    && h != text
                    && !h.starts_with('/')
                {
                    let _ = write!(s, " ({h})");
                }
            }
            Span::Data(d) => s.push_str(&match values.get(&d.key()) {
                Some(Data::Figure(v)) => v.show(lang),
                _ => "—".into(),
            }),
        }
    }
    s
}

fn raw_of(d: Option<&Data>) -> String {
    match d {
        Some(Data::Figure(v)) => v.raw(),
        _ => String::new(),
    }
}

/// Resolves every block of `doc` in `lang` and renders it.
pub async fn build(r: &mut Resolver<'_>, lang: Lang, doc: &markup::Doc) -> Result<Built, Failure> {
    let mut values: BTreeMap<String, Data> = BTreeMap::new();
    let mut data = Vec::new();
    let mut problems = Vec::new();
    for d in doc.data() {
        if values.contains_key(&d.key()) {
            continue;
        }
        match r.resolve(lang, d).await {
            Ok(v) => {
                values.insert(d.key(), v.clone());
                data.push((d.clone(), v));
            }
            Err(Miss::Problem(p)) => problems.push((lang, p)),
            Err(Miss::Store(e)) => return Err(Failure::Store(e)),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Problems(problems));
    }
    let mut html = String::new();
    let mut pdf = Vec::new();
    let mut heading_ids = 0;
    let mut block_no = 0;
    for n in &doc.nodes {
        match n {
            Node::Heading { level, spans, .. } => {
                heading_ids += 1;
                let level = (*level).clamp(1, 4);
                let _ = write!(
                    html,
                    "<h{level} id=\"s{heading_ids}\">{}</h{level}>",
                    spans_html(lang, spans, &values)
                );
                let text = spans_text(lang, spans, &values);
                pdf.push(match level {
                    1 => faro_typeset::Block::Title(text),
                    2 => faro_typeset::Block::Heading(text),
                    _ => faro_typeset::Block::Subheading(text),
                });
            }
            Node::Paragraph { spans, .. } => {
                let _ = write!(html, "<p>{}</p>", spans_html(lang, spans, &values));
                pdf.push(faro_typeset::Block::Paragraph(spans_text(
                    lang, spans, &values,
                )));
            }
            Node::List { ordered, items, .. } => {
                let tag = if *ordered { "ol" } else { "ul" };
                let _ = write!(html, "<{tag}>");
                for (i, it) in items.iter().enumerate() {
                    let _ = write!(html, "<li>{}</li>", spans_html(lang, it, &values));
                    pdf.push(faro_typeset::Block::Item {
                        label: if *ordered {
                            format!("{}.", i + 1)
                        } else {
                            "•".into()
                        },
                        text: spans_text(lang, it, &values),
                    });
                }
                let _ = write!(html, "</{tag}>");
                pdf.push(faro_typeset::Block::Space(5.0));
            }
            Node::Block { data: d, caption } => {
                block_no += 1;
                let Some(v) = values.get(&d.key()) else {
                    continue;
                };
                let id = format!("b{block_no}");
                let csv_link = format!(
                    "<a class=\"block-csv\" href=\"data/{}.csv\">{}</a>",
                    block_file(d),
                    escape(&i18n::t(lang, "report-block-csv"))
                );
                match v {
                    Data::Figure(val) => {
                        let _ = write!(
                            html,
                            "<p class=\"report-figure\" id=\"{id}\"><data class=\"figure\" value=\"{}\">{}</data> <span>{}</span></p>",
                            escape(&val.raw()),
                            escape(&val.show(lang)),
                            escape(caption)
                        );
                        pdf.push(faro_typeset::Block::Emphasis(val.show(lang)));
                        if !caption.is_empty() {
                            pdf.push(faro_typeset::Block::Paragraph(caption.clone()));
                        }
                    }
                    Data::Table(tb) => {
                        let _ = write!(html, "<figure class=\"report-table\" id=\"{id}\"><table>");
                        if !caption.is_empty() {
                            let _ = write!(html, "<caption>{}</caption>", escape(caption));
                        }
                        html.push_str("<thead><tr>");
                        for h in &tb.head {
                            let _ = write!(html, "<th scope=\"col\">{}</th>", escape(h));
                        }
                        html.push_str("</tr></thead><tbody>");
                        for row in &tb.rows {
                            html.push_str("<tr>");
                            for c in row {
                                let class = if c.numeric() { " class=\"num\"" } else { "" };
                                let _ = write!(html, "<td{class}>{}</td>", escape(&c.show(lang)));
                            }
                            html.push_str("</tr>");
                        }
                        let _ = write!(
                            html,
                            "</tbody></table><figcaption>{csv_link}</figcaption></figure>"
                        );
                        if !caption.is_empty() {
                            pdf.push(faro_typeset::Block::Subheading(caption.clone()));
                        }
                        let right = tb
                            .rows
                            .first()
                            .map(|r| r.iter().map(Val::numeric).collect())
                            .unwrap_or_default();
                        pdf.push(faro_typeset::Block::Table {
                            head: tb.head.clone(),
                            rows: tb
                                .rows
                                .iter()
                                .map(|r| r.iter().map(|c| c.show(lang)).collect())
                                .collect(),
                            right,
                        });
                    }
                    Data::Chart(rows) => {
                        let title = if caption.is_empty() {
                            d.name.clone()
                        } else {
                            caption.clone()
                        };
                        let bars: Vec<(String, i64)> = rows
                            .iter()
                            .map(|(l, v)| (l.clone(), v.num() as i64))
                            .collect();
                        let svg = crate::pages::attendance::bars_svg(&title, &bars);
                        let _ = write!(
                            html,
                            "<figure class=\"report-chart\" id=\"{id}\">{svg}<figcaption>{} {csv_link}</figcaption>",
                            escape(&title)
                        );
                        html.push_str("<details><summary>");
                        html.push_str(&escape(&i18n::t(lang, "report-chart-data")));
                        html.push_str("</summary><table><tbody>");
                        for (l, v) in rows {
                            let _ = write!(
                                html,
                                "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td></tr>",
                                escape(l),
                                escape(&v.show(lang))
                            );
                        }
                        html.push_str("</tbody></table></details></figure>");
                        pdf.push(faro_typeset::Block::Bars {
                            title,
                            rows: rows
                                .iter()
                                .map(|(l, v)| (l.clone(), v.num(), v.show(lang)))
                                .collect(),
                        });
                    }
                    Data::Links(items) => {
                        let _ = write!(
                            html,
                            "<nav class=\"report-links\" id=\"{id}\" aria-label=\"{}\">",
                            escape(if caption.is_empty() { &d.name } else { caption })
                        );
                        if !caption.is_empty() {
                            let _ = write!(html, "<p>{}</p>", escape(caption));
                            pdf.push(faro_typeset::Block::Paragraph(caption.clone()));
                        }
                        html.push_str("<ul>");
                        for (t, h) in items {
                            let _ = write!(
                                html,
                                "<li><a href=\"{}\">{}</a></li>",
                                escape(h),
                                escape(t)
                            );
                            pdf.push(faro_typeset::Block::Item {
                                label: "•".into(),
                                text: t.clone(),
                            });
                        }
                        html.push_str("</ul></nav>");
                        pdf.push(faro_typeset::Block::Space(5.0));
                    }
                }
            }
        }
    }
    Ok(Built {
        lang,
        title: doc.title.clone(),
        html,
        pdf,
        data,
    })
}

/// A block's CSV file name: its kind and name, and its parameters' values.
pub fn block_file(d: &DataRef) -> String {
    let mut s = format!("{}-{}", d.kind.code(), d.name.replace('.', "-"));
    for (_, v) in &d.params {
        s.push('-');
        s.push_str(&v.to_ascii_lowercase());
    }
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(60)
        .collect()
}

/// A block's data as CSV (canonical values; formula cells neutralised).
pub fn csv(data: &Data) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let cell = |s: String| faro_formats::table::neutralise(&s).into_owned();
    let _ = match data {
        Data::Figure(v) => w
            .write_record(["value"])
            .and_then(|_| w.write_record([cell(v.raw())])),
        Data::Table(t) => w
            .write_record(t.head.iter().map(|h| cell(h.clone())))
            .and_then(|_| {
                for r in &t.rows {
                    w.write_record(r.iter().map(|c| cell(c.raw())))?;
                }
                Ok(())
            }),
        Data::Chart(rows) => w.write_record(["label", "value"]).and_then(|_| {
            for (l, v) in rows {
                w.write_record([cell(l.clone()), cell(v.raw())])?;
            }
            Ok(())
        }),
        Data::Links(items) => w.write_record(["text", "href"]).and_then(|_| {
            for (t, h) in items {
                w.write_record([cell(t.clone()), cell(h.clone())])?;
            }
            Ok(())
        }),
    };
    w.into_inner().unwrap_or_default()
}

/// The figures of a build for the diff: block key → canonical value (a
/// table or chart as its rows, so any changed cell shows).
pub fn figures(b: &Built) -> BTreeMap<String, String> {
    b.data
        .iter()
        .map(|(d, v)| {
            let shown = match v {
                Data::Figure(v) => v.raw(),
                Data::Table(t) => format!(
                    "{} rows: {}",
                    t.rows.len(),
                    t.rows
                        .iter()
                        .map(|r| r.iter().map(Val::raw).collect::<Vec<_>>().join(" | "))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                Data::Chart(rows) => rows
                    .iter()
                    .map(|(l, v)| format!("{l}: {}", v.raw()))
                    .collect::<Vec<_>>()
                    .join("; "),
                Data::Links(items) => format!("{} links", items.len()),
            };
            (d.key(), shown)
        })
        .collect()
}

/// What an edition says about itself (page header, citation, metadata).
#[derive(Clone)]
pub struct EditionInfo {
    pub report_id: String,
    pub number: i32,
    pub date: chrono::NaiveDate,
    pub base_url: String,
}

impl EditionInfo {
    pub fn url(&self, lang: Lang) -> String {
        format!(
            "{}/{}/reports/{}/{}",
            self.base_url,
            lang.code(),
            self.report_id,
            self.number
        )
    }
    pub fn citation(&self, lang: Lang, title: &str) -> String {
        i18n::t_args(
            lang,
            "report-citation",
            &[
                ("title", FluentArg::Str(title.to_string())),
                ("edition", FluentArg::Num(self.number as i64)),
                ("date", FluentArg::Str(date(lang, self.date))),
                ("url", FluentArg::Str(self.url(lang))),
            ],
        )
    }
}

/// The standalone HTML document an edition freezes (or a preview shows).
pub fn html_document(b: &Built, info: &EditionInfo) -> String {
    let lang = b.lang;
    let t = |k: &str| i18n::t(lang, k);
    let ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Report",
        "@id": info.url(lang),
        "name": b.title,
        "inLanguage": lang.code(),
        "datePublished": info.date.format("%Y-%m-%d").to_string(),
        "version": info.number.to_string(),
        "url": info.url(lang),
        "encoding": {"@type": "MediaObject", "encodingFormat": "application/pdf", "contentUrl": format!("{}.pdf", info.url(lang))},
        "publisher": {"@type": "Organization", "name": "ILO/Cinterfor"},
        "workTranslation": LANGS.iter().filter(|l| **l != lang).map(|l| serde_json::json!({"@id": info.url(*l), "inLanguage": l.code()})).collect::<Vec<_>>(),
    });
    let mut s = String::with_capacity(b.html.len() + 2048);
    let _ = write!(
        s,
        "<!doctype html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" href=\"/static/faro.css\">",
        code = lang.code(),
        title = escape(&b.title)
    );
    for l in LANGS {
        let _ = write!(
            s,
            "<link rel=\"alternate\" hreflang=\"{}\" href=\"{}\">",
            l.code(),
            escape(&info.url(l))
        );
    }
    let _ = write!(
        s,
        "<link rel=\"alternate\" type=\"application/pdf\" href=\"{n}.pdf\"><script type=\"application/ld+json\">{ld}</script></head><body class=\"report\"><header class=\"report-head\"><nav aria-label=\"{nav}\"><a href=\"/{code}/reports/{id}\">{all}</a> · <a href=\"{n}.pdf\">{pdf}</a>",
        n = info.number,
        ld = crate::toolkit::ld_json(&ld),
        nav = escape(&t("report-nav")),
        code = lang.code(),
        id = escape(&info.report_id),
        all = escape(&t("report-editions")),
        pdf = escape(&t("report-pdf")),
    );
    for l in LANGS.iter().filter(|l| **l != lang) {
        let _ = write!(
            s,
            " · <a href=\"/{c}/reports/{id}/{n}\" hreflang=\"{c}\" lang=\"{c}\">{name}</a>",
            c = l.code(),
            id = escape(&info.report_id),
            n = info.number,
            name = escape(&i18n::t(*l, &format!("lang-{}", l.code())))
        );
    }
    let _ = writeln!(
        s,
        "</nav><p class=\"report-edition\">{}</p></header><main><article>{}</article></main><footer class=\"report-cite\"><p>{}</p></footer></body></html>",
        escape(&i18n::t_args(
            lang,
            "report-edition-line",
            &[
                ("edition", FluentArg::Num(info.number as i64)),
                ("date", FluentArg::Str(date(lang, info.date)))
            ]
        )),
        b.html,
        escape(&info.citation(lang, &b.title)),
    );
    s
}

/// The edition's PDF: A4, outline, page numbers, language and title.
pub fn pdf(b: &Built, info: &EditionInfo) -> Result<Vec<u8>, faro_typeset::Error> {
    use chrono::Datelike;
    let lang = b.lang;
    let mut doc = faro_typeset::Doc::portrait(lang.code(), &b.title);
    doc.footer = Some(i18n::t_args(
        lang,
        "report-page-footer",
        &[
            ("n", FluentArg::Str("{n}".into())),
            ("total", FluentArg::Str("{total}".into())),
        ],
    ));
    doc.subject = Some(i18n::t_args(
        lang,
        "report-edition-line",
        &[
            ("edition", FluentArg::Num(info.number as i64)),
            ("date", FluentArg::Str(date(lang, info.date))),
        ],
    ));
    doc.authors = vec!["ILO/Cinterfor".into()];
    doc.date = Some((
        info.date.year() as u16,
        info.date.month() as u8,
        info.date.day() as u8,
    ));
    doc.blocks = b.pdf.clone();
    // The edition line under the title, the citation at the end.
    let at = doc
        .blocks
        .iter()
        .position(|x| matches!(x, faro_typeset::Block::Title(_)))
        .map(|i| i + 1)
        .unwrap_or(0);
    doc.blocks.insert(
        at,
        faro_typeset::Block::Small(doc.subject.clone().unwrap_or_default()),
    );
    doc.blocks.push(faro_typeset::Block::Space(12.0));
    doc.blocks
        .push(faro_typeset::Block::Small(info.citation(lang, &b.title)));
    faro_typeset::render(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_localised() {
        assert_eq!(decimal(Lang::Es, 1234.5, 1), "1.234,5");
        assert_eq!(decimal(Lang::Pt, 1234.5, 1), "1.234,5");
        assert_eq!(decimal(Lang::En, 1234.5, 1), "1,234.5");
        assert_eq!(int(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(int(Lang::Es, 12), "12");
        assert_eq!(int(Lang::Pt, -2200), "-2.200");
        let d = chrono::NaiveDate::from_ymd_opt(2020, 3, 26).unwrap();
        assert_eq!(date(Lang::Es, d), "26 de marzo de 2020");
        assert_eq!(date(Lang::En, d), "26 March 2020");
        assert_eq!(date(Lang::Pt, d), "26 de março de 2020");
    }
}
