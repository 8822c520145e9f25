//! Lists in the database: the one way every area filters, counts facets and
//! paginates its records, in SQL with an index behind each order. An area
//! describes its table, the condition that makes a record public and its
//! facets ([`Area`]); [`run`] answers a page with its total and facet counts,
//! each facet counted with SQL `GROUP BY` without its own filter.
//!
//! Facet counts and totals are kept per *data version* (the newest search
//! outbox id, which every committed write advances): a repeated list costs
//! one page query, and any write makes the next list count again. Value and
//! link tables carry `listed` (the owner passes the area's list condition),
//! so a facet counted without other filters is one index-only scan.

use crate::{Result, Store};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// The most records one page may hold (pages, API).
pub const MAX_PER_PAGE: u64 = 500;

/// SQL text with bound values and the backend's placeholders.
pub struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(backend: DbBackend) -> Self {
        Sql {
            backend,
            text: String::new(),
            values: Vec::new(),
        }
    }

    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Closes an `EXISTS (SELECT …` in a `WHERE`. On SQLite with ` LIMIT 1`:
    /// SQLite 3.51 (the bundled one) turns a plain `EXISTS` into a join
    /// that counts a record once per matching row towards `OFFSET`, so
    /// pages repeat or skip a record that has two matching values (found
    /// by `faro-web/tests/finder.rs`; 3.40 does not). `LIMIT 1` keeps the
    /// correlated probe, which is the plan we want anyway.
    pub fn close_exists(&mut self) -> &mut Self {
        if self.backend == DbBackend::Sqlite {
            self.text.push_str(" LIMIT 1");
        }
        self.text.push(')');
        self
    }

    /// Appends a placeholder bound to `v`.
    pub fn bind(&mut self, v: impl Into<Value>) -> &mut Self {
        self.values.push(v.into());
        match self.backend {
            DbBackend::Postgres => {
                let n = self.values.len();
                self.text.push_str(&format!("${n}"));
            }
            _ => self.text.push('?'),
        }
        self
    }

    /// Appends `(?, ?, …)`; an empty list gives `(NULL)` (matches nothing).
    pub fn bind_list<V: Into<Value>>(&mut self, vs: impl IntoIterator<Item = V>) -> &mut Self {
        self.text.push('(');
        let mut first = true;
        for v in vs {
            if !first {
                self.text.push_str(", ");
            }
            first = false;
            self.bind(v);
        }
        if first {
            self.text.push_str("NULL");
        }
        self.text.push(')');
        self
    }

    /// Appends SQL text whose `{name}` tokens are bound to the values of
    /// `vars` (e.g. `{today}`: conditions relative to a day).
    pub fn push_vars(&mut self, text: &str, vars: &[(&'static str, String)]) -> &mut Self {
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let name = &rest[open + 1..open + close];
            match vars.iter().find(|(k, _)| *k == name) {
                Some((_, v)) => {
                    self.push(&rest[..open]);
                    self.bind(v.clone());
                }
                None => {
                    self.push(&rest[..open + close + 1]);
                }
            }
            rest = &rest[open + close + 1..];
        }
        self.push(rest)
    }

    pub fn statement(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text, self.values)
    }
}

/// Where a facet's values live.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// A text column of the record's table; `none` names the value of NULL
    /// or empty cells.
    Text {
        column: &'static str,
        none: Option<&'static str>,
    },
    /// An integer column (years); NULL is `none`.
    Int {
        column: &'static str,
        none: &'static str,
    },
    /// A value table `(owner, facet, value)`; with `prefix`, a one-letter
    /// wanted value selects every value that starts with it (codebook
    /// categories: `C` selects `C1`…`C6`).
    Values {
        table: &'static str,
        owner: &'static str,
        facet: &'static str,
        prefix: bool,
    },
    /// A link table to other records.
    Link {
        table: &'static str,
        owner: &'static str,
        other: &'static str,
    },
    /// A column of records reached through a link table (the course
    /// finder's country: `course_provider` → `institution.country`); a
    /// record counts once per value however many links lead to it.
    Via {
        link: &'static str,
        owner: &'static str,
        key: &'static str,
        target: &'static str,
        column: &'static str,
    },
    /// Values defined by SQL conditions on `t` (a record may meet several),
    /// whose `{name}` tokens are bound from [`Opts::vars`]: the course
    /// finder's availability, relative to a day. Counted in one query.
    Cases {
        cases: &'static [(&'static str, &'static str)],
    },
}

#[derive(Debug, Clone, Copy)]
pub struct Facet {
    pub name: &'static str,
    pub source: Source,
}

/// How an area's records are listed.
#[derive(Debug)]
pub struct Area {
    pub table: &'static str,
    /// SQL condition on `t` that makes a record listed (e.g. not deleted).
    pub base: &'static str,
    pub facets: &'static [Facet],
    /// `ORDER BY` of the list, on `t`, ending with a unique key.
    pub order: &'static str,
}

/// Per facet, (value, count) pairs, most frequent first.
pub type FacetCounts = BTreeMap<&'static str, Vec<(String, u64)>>;

/// One page of ids, the total and the facet counts.
#[derive(Debug, Clone)]
pub struct Listed {
    pub ids: Vec<String>,
    pub total: u64,
    pub facets: FacetCounts,
}

/// A page request: 1-based page and its size (capped at [`MAX_PER_PAGE`]).
#[derive(Debug, Clone, Copy)]
pub struct PageReq {
    pub page: u64,
    pub per_page: u64,
}

impl PageReq {
    pub fn new(page: u64, per_page: u64) -> Self {
        PageReq {
            page: page.max(1),
            per_page: per_page.clamp(1, MAX_PER_PAGE),
        }
    }
    pub fn offset(&self) -> u64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
    pub fn limit(&self) -> u64 {
        self.per_page
    }
}

/// What a list's SQL may depend on besides the filters: `{name}` values
/// (such as the day) and another order than the area's.
#[derive(Debug, Clone, Default)]
pub struct Opts {
    pub vars: Vec<(&'static str, String)>,
    /// `ORDER BY` on `t` ending with a unique key; `{name}` tokens allowed.
    pub order: Option<&'static str>,
    /// Count the total and every facet in one statement ([`count_one_pass`])
    /// instead of one statement per facet.
    pub one_pass: bool,
    /// The filter is selective (a few institutions' related records): on
    /// SQLite, order with `+column` so the planner drives from the filter's
    /// index and sorts the few rows, instead of walking the whole table in
    /// the list's order (without statistics it prefers the order's index).
    pub filter_first: bool,
}

fn condition(
    sql: &mut Sql,
    area: &Area,
    wanted: &[(String, String)],
    except: Option<&str>,
    opts: &Opts,
) {
    sql.push(" WHERE ").push_vars(area.base, &opts.vars);
    // With a filter on a column of `t` (an institution), its index drives
    // and value filters stay probes; without one, value and link filters
    // become sets the plan can start from.
    let sets = opts.filter_first
        && !area.facets.iter().any(|f| {
            Some(f.name) != except
                && matches!(f.source, Source::Text { .. } | Source::Int { .. })
                && !wanted_of(wanted, f).is_empty()
        });
    for f in area.facets {
        if Some(f.name) == except {
            continue;
        }
        let want = wanted_of(wanted, f);
        if want.is_empty() {
            continue;
        }
        sql.push(" AND ");
        // A selective filter: `t.id IN (SELECT …)` lets the planner start
        // from the value or link table's index (a few rows) instead of
        // probing every record.
        if sets
            && matches!(
                f.source,
                Source::Values { .. } | Source::Link { .. } | Source::Via { .. }
            )
        {
            facet_condition_set(sql, f, &want, opts);
        } else {
            facet_condition(sql, f, &want, opts);
        }
    }
}

fn wanted_of<'a>(wanted: &'a [(String, String)], f: &Facet) -> Vec<&'a str> {
    wanted
        .iter()
        .filter(|(k, _)| k == f.name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The condition on `t` of one facet's wanted values.
fn facet_condition(sql: &mut Sql, f: &Facet, want: &[&str], opts: &Opts) {
    {
        match f.source {
            Source::Text { column, none } => {
                let (nulls, vals): (Vec<&str>, Vec<&str>) =
                    want.iter().partition(|w| Some(**w) == none);
                sql.push("(t.").push(column).push(" IN ");
                sql.bind_list(vals.iter().map(|v| v.to_string()));
                if !nulls.is_empty() {
                    sql.push(" OR t.")
                        .push(column)
                        .push(" IS NULL OR t.")
                        .push(column)
                        .push(" = ''");
                }
                sql.push(")");
            }
            Source::Int { column, none } => {
                let nums: Vec<i32> = want.iter().filter_map(|w| w.parse().ok()).collect();
                sql.push("(t.").push(column).push(" IN ");
                sql.bind_list(nums);
                if want.contains(&none) {
                    sql.push(" OR t.").push(column).push(" IS NULL");
                }
                sql.push(")");
            }
            Source::Values {
                table,
                owner,
                facet,
                prefix,
            } => {
                sql.push("EXISTS (SELECT 1 FROM ")
                    .push(table)
                    .push(" v WHERE v.")
                    .push(owner)
                    .push(" = t.id AND v.facet = ")
                    .bind(facet)
                    .push(" AND (v.value IN ");
                sql.bind_list(want.iter().map(|v| v.to_string()));
                if prefix {
                    for w in want.iter().filter(|w| w.len() == 1) {
                        sql.push(" OR v.value LIKE ").bind(format!("{w}%"));
                    }
                }
                sql.push(")").close_exists();
            }
            Source::Cases { cases } => {
                sql.push("(1 = 0");
                for (name, cond) in cases {
                    if want.contains(name) {
                        sql.push(" OR (").push_vars(cond, &opts.vars).push(")");
                    }
                }
                sql.push(")");
            }
            Source::Link {
                table,
                owner,
                other,
            } => {
                sql.push("EXISTS (SELECT 1 FROM ")
                    .push(table)
                    .push(" v WHERE v.")
                    .push(owner)
                    .push(" = t.id AND v.")
                    .push(other)
                    .push(" IN ");
                sql.bind_list(want.iter().map(|v| v.to_string()));
                sql.close_exists();
            }
            Source::Via {
                link,
                owner,
                key,
                target,
                column,
            } => {
                sql.push("EXISTS (SELECT 1 FROM ")
                    .push(link)
                    .push(" v JOIN ")
                    .push(target)
                    .push(" i ON i.id = v.")
                    .push(key)
                    .push(" WHERE v.")
                    .push(owner)
                    .push(" = t.id AND i.")
                    .push(column)
                    .push(" IN ");
                sql.bind_list(want.iter().map(|v| v.to_string()));
                sql.close_exists();
            }
        }
    }
}

/// [`facet_condition`] as `t.id IN (…)` over the value or link table (one
/// uncorrelated set per statement rather than a probe per record), for
/// the one-pass count that tests every listed record.
fn facet_condition_set(sql: &mut Sql, f: &Facet, want: &[&str], opts: &Opts) {
    match f.source {
        Source::Values {
            table,
            owner,
            facet,
            prefix,
        } => {
            // `listed` (the owner passes the list's condition, which `t`
            // checks anyway) lets the `(facet, listed, value, owner)` index
            // serve the wanted values.
            sql.push("t.id IN (SELECT v.")
                .push(owner)
                .push(" FROM ")
                .push(table)
                .push(" v WHERE v.facet = ")
                .bind(facet)
                .push(" AND v.listed = TRUE AND (v.value IN ");
            sql.bind_list(want.iter().map(|v| v.to_string()));
            if prefix {
                for w in want.iter().filter(|w| w.len() == 1) {
                    sql.push(" OR v.value LIKE ").bind(format!("{w}%"));
                }
            }
            sql.push("))");
        }
        Source::Link {
            table,
            owner,
            other,
        } => {
            sql.push("t.id IN (SELECT v.")
                .push(owner)
                .push(" FROM ")
                .push(table)
                .push(" v WHERE v.")
                .push(other)
                .push(" IN ");
            sql.bind_list(want.iter().map(|v| v.to_string()));
            sql.push(")");
        }
        Source::Via {
            link,
            owner,
            key,
            target,
            column,
        } => {
            sql.push("t.id IN (SELECT v.")
                .push(owner)
                .push(" FROM ")
                .push(link)
                .push(" v JOIN ")
                .push(target)
                .push(" i ON i.id = v.")
                .push(key)
                .push(" WHERE i.")
                .push(column)
                .push(" IN ");
            sql.bind_list(want.iter().map(|v| v.to_string()));
            sql.push(")");
        }
        _ => facet_condition(sql, f, want, opts),
    }
}

async fn count_facet<C: ConnectionTrait>(
    db: &C,
    area: &Area,
    f: &Facet,
    wanted: &[(String, String)],
    opts: &Opts,
) -> Result<Vec<(String, u64)>> {
    let mut sql = Sql::new(db.get_database_backend());
    if let Source::Cases { cases } = f.source {
        sql.push("SELECT ");
        for (i, (_, cond)) in cases.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("SUM(CASE WHEN (")
                .push_vars(cond, &opts.vars)
                .push(&format!(") THEN 1 ELSE 0 END) AS n{i}"));
        }
        sql.push(" FROM ").push(area.table).push(" t");
        condition(&mut sql, area, wanted, Some(f.name), opts);
        let row = db.query_one_raw(sql.statement()).await?;
        let mut v = Vec::new();
        if let Some(row) = row {
            for (i, (name, _)) in cases.iter().enumerate() {
                let n: Option<i64> = row.try_get("", &format!("n{i}"))?;
                if let Some(n) = n.filter(|n| *n > 0) {
                    v.push((name.to_string(), n as u64));
                }
            }
        }
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        return Ok(v);
    }
    // No other filter: a value or link table's `listed` rows are the list's
    // records, so the count is one index-only scan with no join.
    let alone = wanted.iter().all(|(k, _)| k == f.name);
    match f.source {
        Source::Values { table, facet, .. } if alone => {
            sql.push("SELECT v.value AS value, COUNT(*) AS n FROM ")
                .push(table)
                .push(" v WHERE v.facet = ")
                .bind(facet)
                .push(" AND v.listed = TRUE GROUP BY v.value");
        }
        Source::Link { table, other, .. } if alone => {
            sql.push("SELECT v.")
                .push(other)
                .push(" AS value, COUNT(*) AS n FROM ")
                .push(table)
                .push(" v WHERE v.listed = TRUE GROUP BY v.")
                .push(other);
        }
        Source::Via {
            link,
            owner,
            key,
            target,
            column,
        } => {
            sql.push("SELECT i.")
                .push(column)
                .push(" AS value, COUNT(DISTINCT v.")
                .push(owner)
                .push(") AS n FROM ")
                .push(link)
                .push(" v JOIN ")
                .push(target)
                .push(" i ON i.id = v.")
                .push(key);
            if alone {
                sql.push(" WHERE v.listed = TRUE");
            } else {
                sql.push(" JOIN ")
                    .push(area.table)
                    .push(" t ON t.id = v.")
                    .push(owner);
                condition(&mut sql, area, wanted, Some(f.name), opts);
            }
            sql.push(" AND i.")
                .push(column)
                .push(" IS NOT NULL GROUP BY i.")
                .push(column);
        }
        Source::Text { column, .. } | Source::Int { column, .. } => {
            sql.push("SELECT t.")
                .push(column)
                .push(" AS value, COUNT(*) AS n FROM ")
                .push(area.table)
                .push(" t");
            condition(&mut sql, area, wanted, Some(f.name), opts);
            sql.push(" GROUP BY t.").push(column);
        }
        Source::Values {
            table,
            owner,
            facet,
            ..
        } => {
            sql.push("SELECT v.value AS value, COUNT(*) AS n FROM ")
                .push(table)
                .push(" v JOIN ")
                .push(area.table)
                .push(" t ON t.id = v.")
                .push(owner);
            condition(&mut sql, area, wanted, Some(f.name), opts);
            sql.push(" AND v.facet = ").bind(facet);
            sql.push(" GROUP BY v.value");
        }
        Source::Link {
            table,
            owner,
            other,
        } => {
            sql.push("SELECT v.")
                .push(other)
                .push(" AS value, COUNT(*) AS n FROM ")
                .push(table)
                .push(" v JOIN ")
                .push(area.table)
                .push(" t ON t.id = v.")
                .push(owner);
            condition(&mut sql, area, wanted, Some(f.name), opts);
            sql.push(" GROUP BY v.").push(other);
        }
        Source::Cases { .. } => unreachable!("counted above"),
    }
    let rows = db.query_all_raw(sql.statement()).await?;
    let mut merged: HashMap<String, u64> = HashMap::new();
    for row in rows {
        let n: i64 = row.try_get("", "n")?;
        let value = match f.source {
            Source::Int { none, .. } => row
                .try_get::<Option<i32>>("", "value")?
                .map(|y| y.to_string())
                .unwrap_or_else(|| none.to_string()),
            Source::Text { none, .. } => {
                let v: Option<String> = row.try_get("", "value")?;
                match (v, none) {
                    (Some(v), _) if !v.is_empty() => v,
                    (_, Some(none)) => none.to_string(),
                    (v, None) => v.unwrap_or_default(),
                }
            }
            _ => row.try_get::<String>("", "value")?,
        };
        *merged.entry(value).or_default() += n as u64;
    }
    let mut v: Vec<(String, u64)> = merged.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(v)
}

/// The total and every facet's counts in one statement: each listed record
/// is read once with, per filtered facet, whether it passes that facet's
/// filter (`k0`, `k1`, …) and, per case of a `Cases` facet, whether it
/// meets it; a record counts towards a facet when it passes every filter
/// or fails only that facet's own (each facet counted without its own
/// filter, as [`count_facet`] does). The records failing two or more
/// filters are dropped before any value row is read.
async fn count_one_pass<C: ConnectionTrait>(
    db: &C,
    area: &Area,
    wanted: &[(String, String)],
    opts: &Opts,
) -> Result<(u64, FacetCounts)> {
    let active: Vec<(&Facet, Vec<&str>)> = area
        .facets
        .iter()
        .map(|f| (f, wanted_of(wanted, f)))
        .filter(|(_, w)| !w.is_empty())
        .collect();
    let mut sql = Sql::new(db.get_database_backend());
    // SQLite: read `m` first and each record's value rows by their key
    // (`CROSS JOIN` fixes the order) instead of scanning a whole facet's
    // value index against an automatic index on `m` (about 3× slower at
    // 50,000 courses). PostgreSQL plans the join itself.
    let join = match db.get_database_backend() {
        DbBackend::Sqlite => " CROSS JOIN ",
        _ => " JOIN ",
    };
    sql.push("WITH b AS (SELECT t.id AS id");
    for (i, f) in area.facets.iter().enumerate() {
        match f.source {
            Source::Text { column, .. } | Source::Int { column, .. } => {
                sql.push(&format!(", t.{column} AS c{i}"));
            }
            Source::Cases { cases } => {
                for (j, (_, cond)) in cases.iter().enumerate() {
                    sql.push(", CASE WHEN (")
                        .push_vars(cond, &opts.vars)
                        .push(&format!(") THEN 1 ELSE 0 END AS a{i}_{j}"));
                }
            }
            _ => {}
        }
    }
    for (k, (f, want)) in active.iter().enumerate() {
        sql.push(", CASE WHEN ");
        facet_condition_set(&mut sql, f, want, opts);
        sql.push(&format!(" THEN 0 ELSE 1 END AS k{k}"));
    }
    sql.push(" FROM ")
        .push(area.table)
        .push(" t WHERE ")
        .push_vars(area.base, &opts.vars)
        .push("), m AS (SELECT b.*, 0");
    for k in 0..active.len() {
        sql.push(&format!(" + k{k}"));
    }
    sql.push(" AS miss, ");
    if active.is_empty() {
        sql.push("''");
    } else {
        sql.push("CASE");
        for (k, (f, _)) in active.iter().enumerate() {
            sql.push(&format!(" WHEN k{k} = 1 THEN "))
                .bind(f.name.to_string());
        }
        sql.push(" ELSE '' END");
    }
    sql.push(" AS missed FROM b WHERE 0");
    for k in 0..active.len() {
        sql.push(&format!(" + k{k}"));
    }
    sql.push(" <= 1) SELECT '' AS facet, '' AS value, COUNT(*) AS n FROM m WHERE miss = 0");
    let counted = |sql: &mut Sql, name: &str| {
        sql.push(" (m.miss = 0 OR m.missed = ")
            .bind(name.to_string())
            .push(")");
    };
    for (i, f) in area.facets.iter().enumerate() {
        sql.push(" UNION ALL ");
        match f.source {
            Source::Text { .. } | Source::Int { .. } => {
                sql.push("SELECT ")
                    .bind(f.name.to_string())
                    .push(&format!(", CAST(m.c{i} AS TEXT), COUNT(*) FROM m WHERE"));
                counted(&mut sql, f.name);
                sql.push(&format!(" GROUP BY m.c{i}"));
            }
            Source::Cases { cases } => {
                for (j, (case, _)) in cases.iter().enumerate() {
                    if j > 0 {
                        sql.push(" UNION ALL ");
                    }
                    sql.push("SELECT ")
                        .bind(f.name.to_string())
                        .push(", ")
                        .bind(case.to_string())
                        .push(&format!(", COALESCE(SUM(m.a{i}_{j}), 0) FROM m WHERE"));
                    counted(&mut sql, f.name);
                }
            }
            Source::Values { facet, .. } if facet == f.name => {
                // Counted with the other facets of its table below.
                sql.push("SELECT '', '', 0 WHERE 1 = 0");
            }
            Source::Via {
                link,
                owner,
                key,
                target,
                column,
            } => {
                sql.push("SELECT ")
                    .bind(f.name.to_string())
                    .push(", i.")
                    .push(column)
                    .push(", COUNT(DISTINCT m.id) FROM m")
                    .push(join)
                    .push(link)
                    .push(" v ON v.")
                    .push(owner)
                    .push(" = m.id JOIN ")
                    .push(target)
                    .push(" i ON i.id = v.")
                    .push(key)
                    .push(" WHERE i.")
                    .push(column)
                    .push(" IS NOT NULL AND");
                counted(&mut sql, f.name);
                sql.push(" GROUP BY i.").push(column);
            }
            Source::Values {
                table,
                owner,
                facet,
                ..
            } => {
                sql.push("SELECT ")
                    .bind(f.name.to_string())
                    .push(", v.value, COUNT(*) FROM m JOIN ")
                    .push(table)
                    .push(" v ON v.")
                    .push(owner)
                    .push(" = m.id AND v.facet = ")
                    .bind(facet)
                    .push(" WHERE");
                counted(&mut sql, f.name);
                sql.push(" GROUP BY v.value");
            }
            Source::Link {
                table,
                owner,
                other,
            } => {
                sql.push("SELECT ")
                    .bind(f.name.to_string())
                    .push(", v.")
                    .push(other)
                    .push(", COUNT(*) FROM m")
                    .push(join)
                    .push(table)
                    .push(" v ON v.")
                    .push(owner)
                    .push(" = m.id WHERE");
                counted(&mut sql, f.name);
                sql.push(" GROUP BY v.").push(other);
            }
        }
    }
    // Value-table facets stored under their own name: one arm per table,
    // each record's value rows read once.
    let mut tables: Vec<(&str, &str)> = Vec::new();
    for f in area.facets {
        if let Source::Values {
            table,
            owner,
            facet,
            ..
        } = f.source
            && facet == f.name
            && !tables.contains(&(table, owner))
        {
            tables.push((table, owner));
        }
    }
    for (table, owner) in tables {
        let names: Vec<String> = area
            .facets
            .iter()
            .filter(|f| {
                matches!(f.source, Source::Values { table: t, facet, .. } if t == table && facet == f.name)
            })
            .map(|f| f.name.to_string())
            .collect();
        sql.push(" UNION ALL SELECT v.facet, v.value, COUNT(*) FROM m")
            .push(join)
            .push(table)
            .push(" v ON v.")
            .push(owner)
            .push(" = m.id WHERE v.facet IN ")
            .bind_list(names)
            .push(" AND (m.miss = 0 OR m.missed = v.facet) GROUP BY v.facet, v.value");
    }
    let mut total = 0;
    let mut merged: BTreeMap<&'static str, HashMap<String, u64>> = area
        .facets
        .iter()
        .map(|f| (f.name, HashMap::new()))
        .collect();
    for row in db.query_all_raw(sql.statement()).await? {
        let facet: String = row.try_get("", "facet")?;
        let value: Option<String> = row.try_get("", "value")?;
        let n: i64 = row.try_get("", "n")?;
        let Some(f) = area.facets.iter().find(|f| f.name == facet) else {
            total = n as u64;
            continue;
        };
        if n <= 0 {
            continue;
        }
        let value = match (f.source, value) {
            (Source::Int { none, .. }, None) => none.to_string(),
            (
                Source::Text {
                    none: Some(none), ..
                },
                v,
            ) if v.as_deref().unwrap_or("").is_empty() => none.to_string(),
            (_, v) => v.unwrap_or_default(),
        };
        if let Some(m) = merged.get_mut(f.name) {
            *m.entry(value).or_default() += n as u64;
        }
    }
    let facets = merged
        .into_iter()
        .map(|(name, m)| {
            let mut v: Vec<(String, u64)> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            (name, v)
        })
        .collect();
    Ok((total, facets))
}

async fn total<C: ConnectionTrait>(
    db: &C,
    area: &Area,
    wanted: &[(String, String)],
    opts: &Opts,
) -> Result<u64> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS n FROM ")
        .push(area.table)
        .push(" t");
    condition(&mut sql, area, wanted, None, opts);
    let row = db.query_one_raw(sql.statement()).await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0) as u64)
}

/// The ids of one page, in the area's order.
async fn page_ids<C: ConnectionTrait>(
    db: &C,
    area: &Area,
    wanted: &[(String, String)],
    page: PageReq,
    opts: &Opts,
) -> Result<Vec<String>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT t.id AS id FROM ")
        .push(area.table)
        .push(" t");
    condition(&mut sql, area, wanted, None, opts);
    let order = opts.order.unwrap_or(area.order);
    let order = if opts.filter_first && db.get_database_backend() == DbBackend::Sqlite {
        order
            .split(',')
            .map(|t| format!("+{}", t.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        order.to_string()
    };
    sql.push(" ORDER BY ")
        .push_vars(&order, &opts.vars)
        .push(" LIMIT ")
        .bind(page.per_page as i64)
        .push(" OFFSET ")
        .bind(page.offset() as i64);
    db.query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "id").map_err(Into::into))
        .collect()
}

/// Ids of `table` rows matching `base` (SQL on `t`), by id, from `offset`:
/// the slices of a sitemap.
pub async fn id_slice(
    store: &Store,
    table: &str,
    base: &str,
    offset: u64,
    limit: u64,
) -> Result<(Vec<String>, u64)> {
    let db = store.read();
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS n FROM ")
        .push(table)
        .push(" t WHERE ")
        .push(base);
    let total = db
        .query_one_raw(sql.statement())
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0) as u64;
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT t.id AS id FROM ")
        .push(table)
        .push(" t WHERE ")
        .push(base)
        .push(" ORDER BY t.id LIMIT ")
        .bind(limit as i64)
        .push(" OFFSET ")
        .bind(offset as i64);
    let ids = db
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "id").map_err(Into::into))
        .collect::<Result<Vec<String>>>()?;
    Ok((ids, total))
}

/// The data version: the newest outbox id, advanced by every committed
/// write of any area.
pub async fn data_version<C: ConnectionTrait>(db: &C) -> Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT MAX(id) AS v FROM search_outbox",
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<Option<i64>>("", "v"))
        .transpose()?
        .flatten()
        .unwrap_or(0))
}

const CACHE_MAX: usize = 4096;

type Counts = (u64, FacetCounts);
type Slot = std::sync::Arc<tokio::sync::OnceCell<Counts>>;

/// Totals and facet counts per (area, filter) at the current data version.
/// Single-flight: concurrent requests for the same uncached list wait for
/// one computation instead of each running it (no stampede under load).
/// A new data version empties the cache.
#[derive(Debug, Default)]
pub struct CountCache {
    inner: Mutex<(i64, HashMap<String, Slot>)>,
}

impl CountCache {
    fn cell(&self, key: String, version: i64) -> Slot {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if g.0 != version || g.1.len() >= CACHE_MAX {
            g.0 = version;
            g.1.clear();
        }
        g.1.entry(key).or_default().clone()
    }
}

fn cache_key(area: &Area, wanted: &[(String, String)], opts: &Opts) -> String {
    let mut w: Vec<&(String, String)> = wanted.iter().collect();
    w.sort();
    let mut key = area.table.to_string();
    for (k, v) in &opts.vars {
        key.push('\u{1e}');
        key.push_str(k);
        key.push('=');
        key.push_str(v);
    }
    for (k, v) in w {
        key.push('\u{1f}');
        key.push_str(k);
        key.push('=');
        key.push_str(v);
    }
    key
}

/// A page of an area's list with its total and every facet's counts.
pub async fn run(
    store: &Store,
    area: &Area,
    wanted: &[(String, String)],
    page: PageReq,
) -> Result<Listed> {
    run_with(store, area, wanted, page, &Opts::default()).await
}

/// [`run`] with `{name}` values (e.g. the day availability is computed at;
/// part of the cache key) and another order.
pub async fn run_with(
    store: &Store,
    area: &Area,
    wanted: &[(String, String)],
    page: PageReq,
    opts: &Opts,
) -> Result<Listed> {
    let db = store.read();
    let version = data_version(db).await?;
    let key = cache_key(area, wanted, opts);
    let cell = store.counts.cell(key, version);
    let (total, facets) = cell
        .get_or_try_init(|| async {
            if opts.one_pass {
                return count_one_pass(db, area, wanted, opts).await;
            }
            let total = total(db, area, wanted, opts).await?;
            let mut facets = FacetCounts::new();
            for f in area.facets {
                facets.insert(f.name, count_facet(db, area, f, wanted, opts).await?);
            }
            Ok::<_, crate::StoreError>((total, facets))
        })
        .await?
        .clone();
    let ids = if total == 0 {
        Vec::new()
    } else {
        page_ids(db, area, wanted, page, opts).await?
    };
    Ok(Listed { ids, total, facets })
}

/// A page of an area's list and its total, without facet counts: the
/// related records a page shows (a course's measures and resources), one
/// `COUNT` and one page query, whatever the filter.
pub async fn page_only(
    store: &Store,
    area: &Area,
    wanted: &[(String, String)],
    page: PageReq,
    filter_first: bool,
) -> Result<(Vec<String>, u64)> {
    let db = store.read();
    let opts = Opts {
        filter_first,
        ..Default::default()
    };
    let total = total(db, area, wanted, &opts).await?;
    let ids = if total == 0 {
        Vec::new()
    } else {
        page_ids(db, area, wanted, page, &opts).await?
    };
    Ok((ids, total))
}

/// Multi-valued fields of many records at once: `owner id → (key, value)`
/// in their stored order, from a value table (`facet, value`) or a link
/// table (`key` is the link's name).
pub async fn values_of<C: ConnectionTrait>(
    db: &C,
    table: &str,
    owner: &str,
    value_col: &str,
    facet_col: Option<&str>,
    ids: &[String],
) -> Result<HashMap<String, Vec<(String, String)>>> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("SELECT ")
            .push(owner)
            .push(" AS owner, ")
            .push(facet_col.unwrap_or("''"))
            .push(" AS k, ")
            .push(value_col)
            .push(" AS v FROM ")
            .push(table)
            .push(" WHERE ")
            .push(owner)
            .push(" IN ");
        sql.bind_list(chunk.iter().cloned());
        sql.push(" ORDER BY ").push(owner).push(", pos");
        for row in db.query_all_raw(sql.statement()).await? {
            let o: String = row.try_get("", "owner")?;
            let k: String = row.try_get("", "k")?;
            let v: String = row.try_get("", "v")?;
            out.entry(o).or_default().push((k, v));
        }
    }
    Ok(out)
}

/// Inserts rows in batches (statements of about 4,000 bound values, under
/// the limits of SQLite and PostgreSQL).
pub async fn insert_rows<C: ConnectionTrait>(
    db: &C,
    table: &str,
    cols: &[&str],
    rows: &[Vec<Value>],
) -> Result<()> {
    let per = (4000 / cols.len().max(1)).max(1);
    for chunk in rows.chunks(per) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("INSERT INTO ")
            .push(table)
            .push(" (")
            .push(&cols.join(", "))
            .push(") VALUES ");
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_list(row.iter().cloned());
        }
        db.execute_raw(sql.statement()).await?;
    }
    Ok(())
}

/// Inserts new records (all set on the same columns) with [`insert_rows`]:
/// about 4,000 bound values a statement, none of SeaORM's per-row building.
pub async fn insert_models<C, A>(db: &C, rows: Vec<A>) -> Result<()>
where
    C: ConnectionTrait,
    A: sea_orm::ActiveModelTrait,
{
    use sea_orm::{EntityName, EntityTrait, IdenStatic, Iterable};
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let cols: Vec<<A::Entity as EntityTrait>::Column> = <A::Entity as EntityTrait>::Column::iter()
        .filter(|c| first.get(*c).is_set())
        .collect();
    let names: Vec<&str> = cols.iter().map(|c| c.as_str()).collect();
    let values: Vec<Vec<Value>> = rows
        .iter()
        .map(|am| {
            cols.iter()
                .map(|c| am.get(*c).into_value().unwrap_or(Value::String(None)))
                .collect()
        })
        .collect();
    let table = A::Entity::default().table_name().to_string();
    insert_rows(db, &table, &names, &values).await
}

/// Deletes the rows of `table` owned by `ids`.
pub async fn delete_owned<C: ConnectionTrait>(
    db: &C,
    table: &str,
    owner: &str,
    ids: &[String],
) -> Result<()> {
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("DELETE FROM ")
            .push(table)
            .push(" WHERE ")
            .push(owner)
            .push(" IN ");
        sql.bind_list(chunk.iter().cloned());
        db.execute_raw(sql.statement()).await?;
    }
    Ok(())
}

/// Which of `ids` exist in `table` and are live (`deleted_at IS NULL` where
/// the table has that column): references to deleted records are refused.
pub async fn live_ids<C: ConnectionTrait>(
    db: &C,
    table: &str,
    soft_delete: bool,
    ids: &[String],
) -> Result<std::collections::HashSet<String>> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("SELECT id FROM ")
            .push(table)
            .push(" WHERE id IN ");
        sql.bind_list(chunk.iter().cloned());
        if soft_delete {
            sql.push(" AND deleted_at IS NULL");
        }
        for row in db.query_all_raw(sql.statement()).await? {
            out.insert(row.try_get::<String>("", "id")?);
        }
    }
    Ok(out)
}
