//! XLSForm expressions (`relevant`, `constraint`, `calculation`,
//! `choice_filter`): a tokenizer and a recursive-descent parser into an
//! [`Expr`] tree, and an evaluator over answers. The grammar is the XPath 1.0
//! subset XLSForm authors use:
//!
//! ```text
//! or    := and ('or' and)*
//! and   := eq ('and' eq)*
//! eq    := rel (('=' | '!=') rel)*
//! rel   := add (('<' | '<=' | '>' | '>=') add)*
//! add   := mul (('+' | '-') mul)*
//! mul   := unary (('*' | 'div' | 'mod') unary)*
//! unary := '-' unary | primary
//! primary := number | string | '${' name '}' | '.' | '(' or ')'
//!          | function '(' [or (',' or)*] ')' | name   (a choice column, in choice_filter)
//! ```
//!
//! `and`, `or`, `div` and `mod` are operators only where an operator may
//! stand, as in XPath. Functions are checked by name and number of
//! arguments at parse time, so a form with `selectd(...)` is refused at
//! upload with the column that holds it.

use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(String),
    Str(String),
    /// `${name}`
    Ref(String),
    /// `.`: the value of the question the expression belongs to.
    Current,
    /// A bare name: a column of the choices sheet (only in `choice_filter`).
    Name(String),
    Neg(Box<Expr>),
    Paren(Box<Expr>),
    Bin(Box<Expr>, Op, Box<Expr>),
    Call(String, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl Op {
    pub fn text(self) -> &'static str {
        match self {
            Op::Or => "or",
            Op::And => "and",
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "div",
            Op::Mod => "mod",
        }
    }
}

/// The functions Faro evaluates, with their least and greatest number of
/// arguments (`usize::MAX`: any number).
pub const FUNCTIONS: &[(&str, usize, usize)] = &[
    ("not", 1, 1),
    ("selected", 2, 2),
    ("count-selected", 1, 1),
    ("string-length", 1, 1),
    ("regex", 2, 2),
    ("if", 3, 3),
    ("coalesce", 2, 2),
    ("concat", 1, usize::MAX),
    ("today", 0, 0),
    ("number", 1, 1),
    ("int", 1, 1),
    ("true", 0, 0),
    ("false", 0, 0),
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(String),
    Str(String),
    Ref(String),
    Dot,
    Name(String),
    LParen,
    RParen,
    Comma,
    Sym(&'static str),
}

fn tokenize(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1
            }
            '=' => {
                out.push(Tok::Sym("="));
                i += 1
            }
            '+' => {
                out.push(Tok::Sym("+"));
                i += 1
            }
            '-' => {
                out.push(Tok::Sym("-"));
                i += 1
            }
            '*' => {
                out.push(Tok::Sym("*"));
                i += 1
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                out.push(Tok::Sym("!="));
                i += 2
            }
            '<' | '>' => {
                let eq = chars.get(i + 1) == Some(&'=');
                out.push(Tok::Sym(match (c, eq) {
                    ('<', true) => "<=",
                    ('<', false) => "<",
                    (_, true) => ">=",
                    _ => ">",
                }));
                i += if eq { 2 } else { 1 };
            }
            '\'' | '"' => {
                let end = chars[i + 1..].iter().position(|&d| d == c).ok_or_else(|| {
                    format!(
                        "a text opened with {c} at character {} is never closed",
                        i + 1
                    )
                })?;
                out.push(Tok::Str(chars[i + 1..i + 1 + end].iter().collect()));
                i += end + 2;
            }
            '$' => {
                if chars.get(i + 1) != Some(&'{') {
                    return Err(format!(
                        "`$` at character {} must start a reference like ${{name}}",
                        i + 1
                    ));
                }
                let end = chars[i + 2..]
                    .iter()
                    .position(|&d| d == '}')
                    .ok_or_else(|| {
                        format!(
                            "the reference at character {} is never closed with }}",
                            i + 1
                        )
                    })?;
                let name: String = chars[i + 2..i + 2 + end].iter().collect();
                if !is_name(&name) {
                    return Err(format!("${{{name}}} is not a valid reference"));
                }
                out.push(Tok::Ref(name));
                i += end + 3;
            }
            '.' if !chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()) => {
                if chars.get(i + 1) == Some(&'.') {
                    return Err("`..` paths are not supported; use ${name}".into());
                }
                out.push(Tok::Dot);
                i += 1;
            }
            d if d.is_ascii_digit() || d == '.' => {
                let start = i;
                let mut dot = false;
                while i < chars.len() && (chars[i].is_ascii_digit() || (chars[i] == '.' && !dot)) {
                    dot |= chars[i] == '.';
                    i += 1;
                }
                out.push(Tok::Num(chars[start..i].iter().collect()));
            }
            a if a.is_alphabetic() || a == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '-' | '.' | ':'))
                {
                    i += 1;
                }
                // A trailing `-` belongs to the operator: `a -1`.
                while i > start + 1 && chars[i - 1] == '-' {
                    i -= 1;
                }
                out.push(Tok::Name(chars[start..i].iter().collect()));
            }
            other => {
                return Err(format!(
                    "unexpected character `{other}` at character {}",
                    i + 1
                ));
            }
        }
    }
    Ok(out)
}

/// Whether `s` is a valid XLSForm name (an XML name without `:`).
pub fn is_name(s: &str) -> bool {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) if c.is_alphabetic() || c == '_' => {}
        _ => return false,
    }
    cs.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    /// An operator at the current position: a symbol, or one of the
    /// operator words where an operator may stand.
    fn op(&self, ops: &[(&str, Op)]) -> Option<Op> {
        let text = match self.peek()? {
            Tok::Sym(s) => *s,
            Tok::Name(n) => n.as_str(),
            _ => return None,
        };
        ops.iter().find(|(t, _)| *t == text).map(|(_, o)| *o)
    }
    fn level(&mut self, n: usize) -> Result<Expr, String> {
        const LEVELS: &[&[(&str, Op)]] = &[
            &[("or", Op::Or)],
            &[("and", Op::And)],
            &[("=", Op::Eq), ("!=", Op::Ne)],
            &[("<", Op::Lt), ("<=", Op::Le), (">", Op::Gt), (">=", Op::Ge)],
            &[("+", Op::Add), ("-", Op::Sub)],
            &[("*", Op::Mul), ("div", Op::Div), ("mod", Op::Mod)],
        ];
        if n == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.level(n + 1)?;
        while let Some(op) = self.op(LEVELS[n]) {
            self.pos += 1;
            let right = self.level(n + 1)?;
            left = Expr::Bin(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }
    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek() == Some(&Tok::Sym("-")) {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.primary()
    }
    fn primary(&mut self) -> Result<Expr, String> {
        match self.next() {
            Some(Tok::Num(n)) => Ok(Expr::Num(n)),
            Some(Tok::Str(s)) => Ok(Expr::Str(s)),
            Some(Tok::Ref(r)) => Ok(Expr::Ref(r)),
            Some(Tok::Dot) => Ok(Expr::Current),
            Some(Tok::LParen) => {
                let e = self.level(0)?;
                match self.next() {
                    Some(Tok::RParen) => Ok(Expr::Paren(Box::new(e))),
                    _ => Err("a `(` is not closed".into()),
                }
            }
            Some(Tok::Name(name)) if self.peek() == Some(&Tok::LParen) => {
                self.pos += 1;
                let mut args = Vec::new();
                if self.peek() == Some(&Tok::RParen) {
                    self.pos += 1;
                } else {
                    loop {
                        args.push(self.level(0)?);
                        match self.next() {
                            Some(Tok::Comma) => continue,
                            Some(Tok::RParen) => break,
                            _ => {
                                return Err(format!(
                                    "the arguments of {name}() are not closed with `)`"
                                ));
                            }
                        }
                    }
                }
                let Some(&(_, min, max)) = FUNCTIONS.iter().find(|(f, _, _)| *f == name) else {
                    return Err(format!("unknown function {name}()"));
                };
                if args.len() < min || args.len() > max {
                    return Err(format!(
                        "{name}() takes {} argument(s), not {}",
                        if min == max {
                            min.to_string()
                        } else {
                            format!("at least {min}")
                        },
                        args.len()
                    ));
                }
                Ok(Expr::Call(name, args))
            }
            Some(Tok::Name(name)) => Ok(Expr::Name(name)),
            Some(Tok::RParen) => Err("unexpected `)`".into()),
            Some(Tok::Comma) => Err("unexpected `,`".into()),
            Some(Tok::Sym(s)) => Err(format!("unexpected `{s}`: a value is missing")),
            None => Err("the expression ends where a value is expected".into()),
        }
    }
}

/// Parses an expression; the error says what is wrong in words.
pub fn parse(src: &str) -> Result<Expr, String> {
    let toks = tokenize(src)?;
    if toks.is_empty() {
        return Err("the expression is empty".into());
    }
    let mut p = Parser { toks, pos: 0 };
    let e = p.level(0)?;
    if let Some(t) = p.peek() {
        return Err(format!(
            "unexpected {} after a complete expression",
            describe(t)
        ));
    }
    Ok(e)
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(n) => format!("number {n}"),
        Tok::Str(s) => format!("text '{s}'"),
        Tok::Ref(r) => format!("${{{r}}}"),
        Tok::Dot => "`.`".into(),
        Tok::Name(n) => format!("`{n}`"),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Sym(s) => format!("`{s}`"),
    }
}

impl Expr {
    /// Every `${name}` the expression names.
    pub fn refs(&self, out: &mut BTreeSet<String>) {
        match self {
            Expr::Ref(r) => {
                out.insert(r.clone());
            }
            Expr::Neg(e) | Expr::Paren(e) => e.refs(out),
            Expr::Bin(a, _, b) => {
                a.refs(out);
                b.refs(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.refs(out)),
            _ => {}
        }
    }

    /// Bare names (choice columns).
    pub fn names(&self, out: &mut BTreeSet<String>) {
        match self {
            Expr::Name(r) => {
                out.insert(r.clone());
            }
            Expr::Neg(e) | Expr::Paren(e) => e.names(out),
            Expr::Bin(a, _, b) => {
                a.names(out);
                b.names(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.names(out)),
            _ => {}
        }
    }

    /// The expression written back in XLSForm syntax (parentheses as
    /// written; one space around operators).
    pub fn to_text(&self) -> String {
        match self {
            Expr::Num(n) => n.clone(),
            Expr::Str(s) if s.contains('\'') => format!("\"{s}\""),
            Expr::Str(s) => format!("'{s}'"),
            Expr::Ref(r) => format!("${{{r}}}"),
            Expr::Current => ".".into(),
            Expr::Name(n) => n.clone(),
            Expr::Neg(e) => format!("-{}", e.to_text()),
            Expr::Paren(e) => format!("({})", e.to_text()),
            Expr::Bin(a, op, b) => format!("{} {} {}", a.to_text(), op.text(), b.to_text()),
            Expr::Call(f, args) => format!(
                "{f}({})",
                args.iter()
                    .map(|a| a.to_text())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// A value during evaluation. Answers are texts, as in an XForm instance.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Num(f64),
    Bool(bool),
}

impl Value {
    pub fn as_bool(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Str(s) => !s.is_empty(),
        }
    }
    pub fn as_num(&self) -> f64 {
        match self {
            Value::Num(n) => *n,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Str(s) => {
                let t = s.trim();
                if t.is_empty() {
                    f64::NAN
                } else {
                    t.parse().unwrap_or(f64::NAN)
                }
            }
        }
    }
    pub fn as_text(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Bool(b) => if *b { "true" } else { "false" }.into(),
            Value::Num(n) => num_text(*n),
        }
    }
}

/// A number as XPath writes it: integers without a decimal point, NaN as
/// `NaN`.
pub fn num_text(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// What an expression can look up while it is evaluated.
pub trait Env {
    /// The answer to `${name}` (empty when unanswered or irrelevant).
    fn answer(&self, name: &str) -> String;
    /// The value of `.`.
    fn current(&self) -> String;
    /// A choice column (in `choice_filter`).
    fn column(&self, _name: &str) -> String {
        String::new()
    }
    /// Today's date as `YYYY-MM-DD`.
    fn today(&self) -> String;
}

fn compare(a: &Value, op: Op, b: &Value) -> bool {
    use Value::*;
    match (op, a, b) {
        (Op::Eq | Op::Ne, Bool(_), _) | (Op::Eq | Op::Ne, _, Bool(_)) => {
            (a.as_bool() == b.as_bool()) == (op == Op::Eq)
        }
        (Op::Eq | Op::Ne, Num(_), _) | (Op::Eq | Op::Ne, _, Num(_)) => {
            (a.as_num() == b.as_num()) == (op == Op::Eq)
        }
        (Op::Eq, _, _) => a.as_text() == b.as_text(),
        (Op::Ne, _, _) => a.as_text() != b.as_text(),
        _ => {
            // Dates (YYYY-MM-DD) compare as texts, as ODK compares them.
            let (x, y) = (a.as_num(), b.as_num());
            if x.is_nan() && y.is_nan() {
                let (s, t) = (a.as_text(), b.as_text());
                if is_date(&s) && is_date(&t) {
                    return match op {
                        Op::Lt => s < t,
                        Op::Le => s <= t,
                        Op::Gt => s > t,
                        _ => s >= t,
                    };
                }
            }
            match op {
                Op::Lt => x < y,
                Op::Le => x <= y,
                Op::Gt => x > y,
                _ => x >= y,
            }
        }
    }
}

fn is_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

/// Evaluates an expression. Errors (a bad pattern in `regex()`) count as
/// false where a truth value is wanted.
pub fn eval(e: &Expr, env: &dyn Env) -> Value {
    match e {
        Expr::Num(n) => Value::Num(n.parse().unwrap_or(f64::NAN)),
        Expr::Str(s) => Value::Str(s.clone()),
        Expr::Ref(r) => Value::Str(env.answer(r)),
        Expr::Current => Value::Str(env.current()),
        Expr::Name(n) => Value::Str(env.column(n)),
        Expr::Neg(x) => Value::Num(-eval(x, env).as_num()),
        Expr::Paren(x) => eval(x, env),
        Expr::Bin(a, op, b) => match op {
            Op::Or => Value::Bool(eval(a, env).as_bool() || eval(b, env).as_bool()),
            Op::And => Value::Bool(eval(a, env).as_bool() && eval(b, env).as_bool()),
            Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                Value::Bool(compare(&eval(a, env), *op, &eval(b, env)))
            }
            _ => {
                let (x, y) = (eval(a, env).as_num(), eval(b, env).as_num());
                Value::Num(match op {
                    Op::Add => x + y,
                    Op::Sub => x - y,
                    Op::Mul => x * y,
                    Op::Div => x / y,
                    _ => x % y,
                })
            }
        },
        Expr::Call(f, args) => call(f, args, env),
    }
}

fn call(f: &str, args: &[Expr], env: &dyn Env) -> Value {
    let arg = |i: usize| eval(&args[i], env);
    match f {
        "not" => Value::Bool(!arg(0).as_bool()),
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "selected" => {
            let chosen = arg(0).as_text();
            let want = arg(1).as_text();
            Value::Bool(chosen.split_whitespace().any(|c| c == want.trim()))
        }
        "count-selected" => Value::Num(arg(0).as_text().split_whitespace().count() as f64),
        "string-length" => Value::Num(arg(0).as_text().chars().count() as f64),
        "regex" => {
            let text = arg(0).as_text();
            Value::Bool(
                regex::Regex::new(&arg(1).as_text())
                    .map(|re| re.is_match(&text))
                    .unwrap_or(false),
            )
        }
        "if" => {
            if arg(0).as_bool() {
                arg(1)
            } else {
                arg(2)
            }
        }
        "coalesce" => {
            let a = arg(0);
            if a.as_text().is_empty() { arg(1) } else { a }
        }
        "concat" => Value::Str((0..args.len()).map(|i| arg(i).as_text()).collect()),
        "today" => Value::Str(env.today()),
        "number" => Value::Num(arg(0).as_num()),
        "int" => Value::Num(arg(0).as_num().trunc()),
        _ => Value::Str(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct E(Vec<(&'static str, &'static str)>, &'static str);
    impl Env for E {
        fn answer(&self, name: &str) -> String {
            self.0
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        }
        fn current(&self) -> String {
            self.1.into()
        }
        fn today(&self) -> String {
            "2020-06-01".into()
        }
    }

    fn ev(src: &str, env: &E) -> Value {
        eval(&parse(src).unwrap(), env)
    }

    #[test]
    fn precedence_and_words() {
        let e = parse("1 + 2 * 3 = 7 and not(${a} = 'x') or . > 2").unwrap();
        assert_eq!(e.to_text(), "1 + 2 * 3 = 7 and not(${a} = 'x') or . > 2");
        match e {
            Expr::Bin(_, Op::Or, _) => {}
            other => panic!("or must bind loosest: {other:?}"),
        }
        let env = E(vec![("a", "y")], "1");
        assert!(ev("1 + 2 * 3 = 7 and not(${a} = 'x') or . > 2", &env).as_bool());
        assert_eq!(ev("7 div 2", &env).as_num(), 3.5);
        assert_eq!(ev("7 mod 4", &env).as_num(), 3.0);
        assert_eq!(ev("-(2 - 5)", &env).as_num(), 3.0);
        // `div` is a name where a value stands.
        assert_eq!(parse("div").unwrap(), Expr::Name("div".into()));
    }

    #[test]
    fn functions() {
        let env = E(vec![("m", "a c"), ("t", "abc"), ("d", "2020-05-01")], "12");
        assert!(ev("selected(${m}, 'c')", &env).as_bool());
        assert!(!ev("selected(${m}, 'b')", &env).as_bool());
        assert_eq!(ev("count-selected(${m})", &env).as_num(), 2.0);
        assert_eq!(ev("string-length(${t})", &env).as_num(), 3.0);
        assert!(ev("regex(${t}, '^[a-z]+$')", &env).as_bool());
        assert!(!ev("regex(., '^[a-z]+$')", &env).as_bool());
        assert_eq!(ev("if(. > 10, 'big', 'small')", &env).as_text(), "big");
        assert_eq!(ev("coalesce(${none}, 'x')", &env).as_text(), "x");
        assert_eq!(ev("concat(${t}, '-', .)", &env).as_text(), "abc-12");
        assert!(ev("${d} < today()", &env).as_bool());
        assert_eq!(ev("int(number('7.9'))", &env).as_num(), 7.0);
        assert!(ev("${empty} = ''", &env).as_bool());
        assert!(!ev("${empty} > 3", &env).as_bool());
    }

    #[test]
    fn errors_say_what() {
        assert!(
            parse("selectd(${a}, 'x')")
                .unwrap_err()
                .contains("unknown function selectd")
        );
        assert!(parse("if(1, 2)").unwrap_err().contains("if() takes 3"));
        assert!(parse("(1 + 2").unwrap_err().contains("not closed"));
        assert!(parse("1 +").unwrap_err().contains("ends"));
        assert!(parse("'abc").unwrap_err().contains("never closed"));
        assert!(parse("${a").unwrap_err().contains("never closed"));
        assert!(parse("1 2").unwrap_err().contains("after a complete"));
        assert!(parse("").is_err());
    }

    #[test]
    fn refs_collected() {
        let mut r = BTreeSet::new();
        parse("${a} + if(${b}, ${c}, 1)").unwrap().refs(&mut r);
        assert_eq!(r.into_iter().collect::<Vec<_>>(), ["a", "b", "c"]);
    }
}
