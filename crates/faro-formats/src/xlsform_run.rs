//! Running a questionnaire read by [`crate::xlsform`]: its pages, which
//! questions are relevant, calculated values, and the checks of one page's
//! answers (types, `required`, `constraint`, with the form's own messages).
//!
//! Pages: a group with the appearance `field-list` is one page; any other
//! group lends its `relevant` to its questions and each of them is a page;
//! a repeat is one page listing its instances; a calculate is never shown.
//! A page none of whose questions is relevant is skipped.
//!
//! Answers are texts keyed by question name (`select_multiple`: the
//! choices' names separated by spaces, as in an XForm instance); a repeat's
//! answers are a list of such maps. [`settle`] clears every answer that is
//! not relevant and fills every calculation, until nothing changes.

use crate::xlsform::{Form, Item, Kind};
use crate::xlsform_expr::{self, Env, Expr};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub repeats: BTreeMap<String, Vec<BTreeMap<String, String>>>,
}

/// One question with what encloses it.
#[derive(Debug, Clone)]
pub struct Q<'a> {
    pub item: &'a Item,
    /// Enclosing groups (outermost first), not counting the repeat.
    pub groups: Vec<&'a Item>,
    pub repeat: Option<&'a Item>,
}

#[derive(Debug, Clone)]
pub struct Page<'a> {
    /// A field-list group or a repeat shown as a whole, if any.
    pub container: Option<&'a Item>,
    pub questions: Vec<Q<'a>>,
}

/// Why an answer was refused: the form's own message, or a Faro message
/// code (`survey-err-…` in the Fluent files) with an argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Form(String),
    Code(&'static str),
}

/// The field key of a question: `name`, or `repeat.N.name` in a repeat's
/// instance N (0-based).
pub fn key(q: &Q, instance: Option<usize>) -> String {
    match (q.repeat, instance) {
        (Some(r), Some(i)) => format!("{}.{i}.{}", r.name, q.item.name),
        _ => q.item.name.clone(),
    }
}

struct Ctx<'a> {
    answers: &'a Answers,
    repeat: Option<(&'a str, usize)>,
    current: String,
    today: &'a str,
    choice: Option<&'a BTreeMap<String, String>>,
}

impl Env for Ctx<'_> {
    fn answer(&self, name: &str) -> String {
        if let Some((r, i)) = self.repeat
            && let Some(v) = self
                .answers
                .repeats
                .get(r)
                .and_then(|rows| rows.get(i))
                .and_then(|row| row.get(name))
        {
            return v.clone();
        }
        if let Some(v) = self.answers.values.get(name) {
            return v.clone();
        }
        // A question of a repeat named from outside it: its answers
        // separated by spaces (enough for selected() and count-selected()).
        for rows in self.answers.repeats.values() {
            let vals: Vec<&str> = rows
                .iter()
                .filter_map(|row| row.get(name).map(String::as_str))
                .filter(|v| !v.is_empty())
                .collect();
            if !vals.is_empty() {
                return vals.join(" ");
            }
        }
        String::new()
    }
    fn current(&self) -> String {
        self.current.clone()
    }
    fn column(&self, name: &str) -> String {
        self.choice
            .and_then(|c| c.get(name).cloned())
            .unwrap_or_default()
    }
    fn today(&self) -> String {
        self.today.to_string()
    }
}

fn truth(e: &Option<Expr>, cx: &Ctx) -> bool {
    e.as_ref()
        .map(|e| xlsform_expr::eval(e, cx).as_bool())
        .unwrap_or(true)
}

impl Form {
    /// Every question (not groups or repeats) with its enclosing groups.
    pub fn flat(&self) -> Vec<Q<'_>> {
        fn go<'a>(
            items: &'a [Item],
            groups: &mut Vec<&'a Item>,
            rep: Option<&'a Item>,
            out: &mut Vec<Q<'a>>,
        ) {
            for it in items {
                match it.kind {
                    Kind::Group => {
                        groups.push(it);
                        go(&it.children, groups, rep, out);
                        groups.pop();
                    }
                    Kind::Repeat => {
                        // The repeat's relevant applies through `groups`.
                        groups.push(it);
                        go(&it.children, groups, Some(it), out);
                        groups.pop();
                    }
                    _ => out.push(Q {
                        item: it,
                        groups: groups.clone(),
                        repeat: rep,
                    }),
                }
            }
        }
        let mut out = Vec::new();
        go(&self.items, &mut Vec::new(), None, &mut out);
        out
    }

    /// The pages, in order.
    pub fn pages(&self) -> Vec<Page<'_>> {
        let flat = self.flat();
        let mut pages: Vec<Page> = Vec::new();
        let mut open: Option<(&Item, Vec<Q>)> = None;
        for q in flat {
            if q.item.kind == Kind::Calculate {
                continue;
            }
            // The outermost field-list group, or the repeat, holds the page.
            let holder = q
                .groups
                .iter()
                .find(|g| g.kind == Kind::Repeat || g.has_appearance("field-list"))
                .copied();
            match holder {
                Some(h) => {
                    if let Some((cur, qs)) = &mut open
                        && std::ptr::eq(*cur, h)
                    {
                        qs.push(q);
                        continue;
                    }
                    if let Some((c, qs)) = open.take() {
                        pages.push(Page {
                            container: Some(c),
                            questions: qs,
                        });
                    }
                    open = Some((h, vec![q]));
                }
                None => {
                    if let Some((c, qs)) = open.take() {
                        pages.push(Page {
                            container: Some(c),
                            questions: qs,
                        });
                    }
                    pages.push(Page {
                        container: None,
                        questions: vec![q],
                    });
                }
            }
        }
        if let Some((c, qs)) = open.take() {
            pages.push(Page {
                container: Some(c),
                questions: qs,
            });
        }
        pages
    }

    /// Whether a question (in a repeat's instance) is relevant: its own
    /// `relevant` and every enclosing group's.
    pub fn is_relevant(
        &self,
        q: &Q,
        answers: &Answers,
        instance: Option<usize>,
        today: &str,
    ) -> bool {
        let cx = Ctx {
            answers,
            repeat: q.repeat.map(|r| r.name.as_str()).zip(instance),
            current: String::new(),
            today,
            choice: None,
        };
        q.groups.iter().all(|g| truth(&g.relevant, &cx)) && truth(&q.item.relevant, &cx)
    }

    /// Whether any question of a page is relevant (else the page is skipped).
    pub fn page_shown(&self, page: &Page, answers: &Answers, today: &str) -> bool {
        page.questions.iter().any(|q| match q.repeat {
            // A repeat's page is shown when the repeat itself is relevant.
            Some(r) => {
                let cx = Ctx {
                    answers,
                    repeat: None,
                    current: String::new(),
                    today,
                    choice: None,
                };
                q.groups
                    .iter()
                    .take_while(|g| !std::ptr::eq(**g, r))
                    .all(|g| truth(&g.relevant, &cx))
                    && truth(&r.relevant, &cx)
            }
            None => self.is_relevant(q, answers, None, today),
        })
    }

    /// Clears irrelevant answers and fills calculations (and defaults of
    /// questions never answered are left to the page), until stable.
    pub fn settle(&self, answers: &mut Answers, today: &str) {
        let flat = self.flat();
        for _ in 0..=flat.len().min(50) {
            let before = answers.clone();
            for q in &flat {
                match q.repeat {
                    None => self.settle_one(q, answers, None, today),
                    Some(r) => {
                        let n = answers.repeats.get(&r.name).map(Vec::len).unwrap_or(0);
                        for i in 0..n {
                            self.settle_one(q, answers, Some(i), today);
                        }
                    }
                }
            }
            if *answers == before {
                break;
            }
        }
    }

    fn settle_one(&self, q: &Q, answers: &mut Answers, instance: Option<usize>, today: &str) {
        let relevant = self.is_relevant(q, answers, instance, today);
        let value = if !relevant {
            None
        } else if let Some(calc) = &q.item.calculation {
            let cx = Ctx {
                answers,
                repeat: q.repeat.map(|r| r.name.as_str()).zip(instance),
                current: String::new(),
                today,
                choice: None,
            };
            let v = xlsform_expr::eval(calc, &cx).as_text();
            Some(if v == "NaN" { String::new() } else { v })
        } else {
            return;
        };
        let slot = match (q.repeat, instance) {
            (Some(r), Some(i)) => match answers
                .repeats
                .get_mut(&r.name)
                .and_then(|rows| rows.get_mut(i))
            {
                Some(row) => row,
                None => return,
            },
            _ => &mut answers.values,
        };
        match value {
            Some(v) if !v.is_empty() => {
                slot.insert(q.item.name.clone(), v);
            }
            _ => {
                slot.remove(&q.item.name);
                if q.item.or_other {
                    slot.remove(&format!("{}_other", q.item.name));
                }
            }
        }
    }

    /// The choices of a select question that its `choice_filter` keeps.
    pub fn choices_for<'a>(
        &'a self,
        q: &Q,
        answers: &Answers,
        instance: Option<usize>,
        today: &str,
    ) -> Vec<&'a crate::xlsform::Choice> {
        let Some(list) = q.item.list.as_ref().and_then(|l| self.lists.get(l)) else {
            return Vec::new();
        };
        list.iter()
            .filter(|c| match &q.item.choice_filter {
                None => true,
                Some(f) => {
                    let cx = Ctx {
                        answers,
                        repeat: q.repeat.map(|r| r.name.as_str()).zip(instance),
                        current: String::new(),
                        today,
                        choice: Some(&c.columns),
                    };
                    xlsform_expr::eval(f, &cx).as_bool()
                }
            })
            .collect()
    }

    /// Checks one answer: its type, `required` and `constraint`. `value` is
    /// the stored text (empty = unanswered).
    pub fn check(
        &self,
        q: &Q,
        value: &str,
        answers: &Answers,
        instance: Option<usize>,
        lang: &str,
        today: &str,
    ) -> Option<Refusal> {
        let it = q.item;
        if !it.kind.is_input() || it.read_only {
            return None;
        }
        let lk = self.lang_for(lang);
        if value.trim().is_empty() {
            if it.required {
                let m = it.required_message.get(&lk, &self.default_language);
                return Some(if m.is_empty() {
                    Refusal::Code("survey-err-required")
                } else {
                    Refusal::Form(m.to_string())
                });
            }
            return None;
        }
        let bad_type = match it.kind {
            Kind::Integer => value
                .trim()
                .parse::<i64>()
                .is_err()
                .then_some("survey-err-integer"),
            Kind::Decimal => value
                .trim()
                .parse::<f64>()
                .map(|f| !f.is_finite())
                .unwrap_or(true)
                .then_some("survey-err-decimal"),
            Kind::Date => chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
                .is_err()
                .then_some("survey-err-date"),
            Kind::SelectOne | Kind::SelectMultiple => {
                let allowed = self.choices_for(q, answers, instance, today);
                let ok = value
                    .split_whitespace()
                    .all(|v| allowed.iter().any(|c| c.name == v) || (it.or_other && v == "other"))
                    && (it.kind == Kind::SelectMultiple || value.split_whitespace().count() == 1);
                (!ok).then_some("survey-err-choice")
            }
            Kind::Acknowledge => (value != "OK").then_some("survey-err-choice"),
            _ => None,
        };
        if let Some(code) = bad_type {
            return Some(Refusal::Code(code));
        }
        if let Some(c) = &it.constraint {
            let cx = Ctx {
                answers,
                repeat: q.repeat.map(|r| r.name.as_str()).zip(instance),
                current: value.to_string(),
                today,
                choice: None,
            };
            if !xlsform_expr::eval(c, &cx).as_bool() {
                let m = it.constraint_message.get(&lk, &self.default_language);
                return Some(if m.is_empty() {
                    Refusal::Code("survey-err-constraint")
                } else {
                    Refusal::Form(m.to_string())
                });
            }
        }
        None
    }

    /// Every relevant input question with its instance, for progress and
    /// the final check.
    pub fn relevant_inputs<'a>(
        &'a self,
        answers: &Answers,
        today: &str,
    ) -> Vec<(Q<'a>, Option<usize>)> {
        let mut out = Vec::new();
        for q in self.flat() {
            if !q.item.kind.is_input() || q.item.read_only {
                continue;
            }
            match q.repeat {
                None => {
                    if self.is_relevant(&q, answers, None, today) {
                        out.push((q, None));
                    }
                }
                Some(r) => {
                    let n = answers.repeats.get(&r.name).map(Vec::len).unwrap_or(0);
                    for i in 0..n {
                        if self.is_relevant(&q, answers, Some(i), today) {
                            out.push((q.clone(), Some(i)));
                        }
                    }
                }
            }
        }
        out
    }
}

/// The stored text of a question (in a repeat's instance).
pub fn value_of(answers: &Answers, q: &Q, instance: Option<usize>) -> String {
    match (q.repeat, instance) {
        (Some(r), Some(i)) => answers
            .repeats
            .get(&r.name)
            .and_then(|rows| rows.get(i))
            .and_then(|row| row.get(&q.item.name))
            .cloned()
            .unwrap_or_default(),
        _ => answers
            .values
            .get(&q.item.name)
            .cloned()
            .unwrap_or_default(),
    }
}

/// Sets (or clears, when empty) a stored text.
pub fn set_value(answers: &mut Answers, q: &Q, instance: Option<usize>, v: String) {
    let slot = match (q.repeat, instance) {
        (Some(r), Some(i)) => {
            let rows = answers.repeats.entry(r.name.clone()).or_default();
            while rows.len() <= i {
                rows.push(BTreeMap::new());
            }
            &mut rows[i]
        }
        _ => &mut answers.values,
    };
    if v.trim().is_empty() {
        slot.remove(&q.item.name);
    } else {
        slot.insert(q.item.name.clone(), v.trim().to_string());
    }
}
