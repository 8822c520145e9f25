//! A word diff people can read: what a change removed and added in a long
//! text, with the unchanged stretches between them shortened. Used by the
//! history pages and the review of a correction (`<del>` / `<ins>`).

/// One piece of a diff, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    /// Only in the old text.
    pub del: bool,
    /// Only in the new text.
    pub ins: bool,
    /// Unchanged words left out here (the part's text is " … ").
    pub gap: bool,
}

impl Part {
    fn same(text: String) -> Part {
        Part {
            text,
            del: false,
            ins: false,
            gap: false,
        }
    }
}

/// Words kept on each side of a change when an unchanged stretch is long.
const CONTEXT: usize = 6;

/// Above this many tokens on both sides the middle is shown as one removal
/// and one addition (the table would be too big to be worth it).
const MAX_TOKENS: usize = 4000;

/// Words and the spaces between them, as separate tokens (so a diff never
/// loses or invents white space).
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut space: Option<bool> = None;
    for (i, c) in s.char_indices() {
        let w = c.is_whitespace();
        if space.is_some_and(|prev| prev != w) {
            out.push(&s[start..i]);
            start = i;
        }
        space = Some(w);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// The word diff from `old` to `new`: unchanged text, removals and
/// additions in order; unchanged stretches longer than twice [`CONTEXT`]
/// words keep their ends and show a gap between.
pub fn words(old: &str, new: &str) -> Vec<Part> {
    let a = tokens(old);
    let b = tokens(new);
    // The common head and tail need no table.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    // (kind, token): 0 same, 1 removed, 2 added.
    let mut ops: Vec<(u8, &str)> = a[..head].iter().map(|t| (0, *t)).collect();
    if am.len() > MAX_TOKENS || bm.len() > MAX_TOKENS {
        ops.extend(am.iter().map(|t| (1, *t)));
        ops.extend(bm.iter().map(|t| (2, *t)));
    } else {
        // Longest common subsequence, filled from the end; on a tie the
        // removal comes first.
        let w = bm.len() + 1;
        let mut lcs = vec![0u16; (am.len() + 1) * w];
        for i in (0..am.len()).rev() {
            for j in (0..bm.len()).rev() {
                lcs[i * w + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < am.len() || j < bm.len() {
            if i < am.len() && j < bm.len() && am[i] == bm[j] {
                ops.push((0, am[i]));
                i += 1;
                j += 1;
            } else if j < bm.len() && (i == am.len() || lcs[i * w + j + 1] > lcs[(i + 1) * w + j]) {
                ops.push((2, bm[j]));
                j += 1;
            } else {
                ops.push((1, am[i]));
                i += 1;
            }
        }
    }
    ops.extend(a[a.len() - tail..].iter().map(|t| (0, *t)));
    // A space alone between two changes of the same kind joins them.
    for k in 1..ops.len().saturating_sub(1) {
        if ops[k].0 == 0
            && ops[k].1.trim().is_empty()
            && ops[k - 1].0 != 0
            && ops[k - 1].0 == ops[k + 1].0
        {
            ops[k].0 = ops[k - 1].0;
        }
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, parts: &mut Vec<Part>, first: bool, last: bool| {
        if run.is_empty() {
            return;
        }
        let words = run.iter().filter(|t| !t.trim().is_empty()).count();
        let keep_before = if first { 0 } else { CONTEXT };
        let keep_after = if last { 0 } else { CONTEXT };
        if words > keep_before + keep_after + 2 {
            // Keep `keep_before` words after the previous change and
            // `keep_after` before the next one.
            let cut = |n: usize, from_end: bool| -> usize {
                let mut seen = 0;
                let idx: Box<dyn Iterator<Item = usize>> = if from_end {
                    Box::new((0..run.len()).rev())
                } else {
                    Box::new(0..run.len())
                };
                for i in idx {
                    if seen == n {
                        return i;
                    }
                    if !run[i].trim().is_empty() {
                        seen += 1;
                    }
                }
                if from_end { 0 } else { run.len() }
            };
            let start_end = cut(keep_before, false);
            let end_start = if keep_after == 0 {
                run.len()
            } else {
                cut(keep_after, true) + 1
            };
            if start_end > 0 {
                parts.push(Part::same(run[..start_end].concat()));
            }
            parts.push(Part {
                text: " … ".into(),
                del: false,
                ins: false,
                gap: true,
            });
            if end_start < run.len() {
                parts.push(Part::same(run[end_start..].concat()));
            }
        } else {
            parts.push(Part::same(run.concat()));
        }
        run.clear();
    };
    let mut k = 0;
    let mut first = true;
    while k < ops.len() {
        let kind = ops[k].0;
        let mut text = String::new();
        while k < ops.len() && ops[k].0 == kind {
            if kind == 0 {
                run.push(ops[k].1);
            } else {
                text.push_str(ops[k].1);
            }
            k += 1;
        }
        if kind == 0 {
            let last = k == ops.len();
            flush(&mut run, &mut parts, first, last);
        } else {
            parts.push(Part {
                text,
                del: kind == 1,
                ins: kind == 2,
                gap: false,
            });
        }
        first = false;
    }
    parts
}

/// Whether two values deserve a word diff rather than "before → after":
/// both are long texts that share some words.
pub fn worth_it(old: &str, new: &str) -> bool {
    old.chars().count() > 80 && new.chars().count() > 80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(parts: &[Part]) -> String {
        parts
            .iter()
            .map(|p| {
                if p.del {
                    format!("[-{}-]", p.text)
                } else if p.ins {
                    format!("{{+{}+}}", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn one_word_changed() {
        let d = words("SENAI made masks", "SENAI made gowns");
        assert_eq!(show(&d), "SENAI made [-masks-]{+gowns+}");
    }

    #[test]
    fn both_texts_read_back_from_the_diff() {
        for (a, b) in [
            ("a b c", "a  x b"),
            (
                "The notes say masks.",
                "The notes say masks and gowns, 2020.",
            ),
            ("uno dos tres cuatro", "cero uno tres cinco cuatro"),
            ("línea uno\nlínea dos", "línea uno\nlínea tres\n"),
        ] {
            let d = words(a, b);
            assert!(d.iter().all(|p| !p.gap), "short texts keep every word");
            let old: String = d
                .iter()
                .filter(|p| !p.ins)
                .map(|p| p.text.as_str())
                .collect();
            let new: String = d
                .iter()
                .filter(|p| !p.del)
                .map(|p| p.text.as_str())
                .collect();
            assert_eq!((old.as_str(), new.as_str()), (a, b), "{}", show(&d));
        }
        assert_eq!(
            show(&words("uno dos tres cuatro", "uno tres cinco cuatro")),
            "uno [-dos -]tres{+ cinco+} cuatro"
        );
    }

    #[test]
    fn identical_and_empty() {
        assert_eq!(show(&words("same text", "same text")), "same text");
        assert_eq!(show(&words("", "new")), "{+new+}");
        assert_eq!(show(&words("old", "")), "[-old-]");
        assert!(words("", "").is_empty());
    }

    #[test]
    fn long_unchanged_stretches_are_shortened() {
        let common: Vec<String> = (0..60).map(|n| format!("w{n}")).collect();
        let old = format!("start {} end", common.join(" "));
        let new = format!("begin {} finish", common.join(" "));
        let d = words(&old, &new);
        let s = show(&d);
        assert!(s.starts_with("[-start-]{+begin+} w0 w1 w2 w3 w4 w5"), "{s}");
        assert!(s.contains(" … "), "{s}");
        assert!(
            s.ends_with("w54 w55 w56 w57 w58 w59 [-end-]{+finish+}"),
            "{s}"
        );
        assert!(!s.contains("w30"), "{s}");
        assert_eq!(d.iter().filter(|p| p.gap).count(), 1);
    }

    #[test]
    fn huge_texts_fall_back_to_remove_and_add() {
        let old: String = (0..5000).map(|n| format!("a{n} ")).collect();
        let new: String = (0..5000).map(|n| format!("b{n} ")).collect();
        let d = words(&old, &new);
        assert!(d.iter().any(|p| p.del) && d.iter().any(|p| p.ins));
    }
}
