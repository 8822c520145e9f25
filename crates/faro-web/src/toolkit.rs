//! What pages repeat: HTML/XML escaping, query strings, facet links and
//! groups, pagination links, JSON-LD for a script data block.

/// Escapes text for HTML or XML (element content and quoted attributes).
pub use faro_formats::xml::escape;

/// `?k=v&…` (form-encoded), or `""` when there are no pairs.
pub fn query_string<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    match serde_urlencoded::to_string(&pairs) {
        Ok(s) if !s.is_empty() => format!("?{s}"),
        _ => String::new(),
    }
}

/// JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&`
/// escaped so the data can never close the element.
pub fn ld_json(v: &serde_json::Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// One facet value as a link that adds (or, when active, removes) it.
pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub active: bool,
}

/// One facet with its value links.
pub struct FacetGroup {
    /// The facet's parameter name.
    pub name: String,
    pub label: String,
    pub links: Vec<FacetLink>,
}

/// Values a facet shows before "more" (the rest in a `<details>`, which
/// needs no script).
pub const FACET_SHOWN: usize = 10;

impl FacetGroup {
    pub fn first(&self) -> &[FacetLink] {
        &self.links[..self.links.len().min(FACET_SHOWN)]
    }
    pub fn rest(&self) -> &[FacetLink] {
        &self.links[self.links.len().min(FACET_SHOWN)..]
    }
    pub fn rest_count(&self) -> u64 {
        self.rest().len() as u64
    }
    /// An active value among the rest: the block opens on it.
    pub fn rest_active(&self) -> bool {
        self.rest().iter().any(|l| l.active)
    }
}

/// Whether `(facet, value)` is among `wanted` (values compared ignoring
/// ASCII case).
pub fn is_wanted(wanted: &[(String, String)], facet: &str, value: &str) -> bool {
    wanted
        .iter()
        .any(|(k, x)| k == facet && x.eq_ignore_ascii_case(value))
}

/// The link for `base` with `kept` plus `(facet, value)`, or without it
/// when `active`.
pub fn toggle_href(
    base: &str,
    kept: &[(String, String)],
    facet: &str,
    value: &str,
    active: bool,
) -> String {
    let mut next = kept.to_vec();
    if active {
        next.retain(|(k, x)| !(k == facet && x.eq_ignore_ascii_case(value)));
    } else {
        next.push((facet.to_string(), value.to_string()));
    }
    format!("{base}{}", query_string(&next))
}

/// Facet groups for a list page: for each facet its shown `(value, count)`
/// pairs as links on `base` that keep the `wanted` parameters and toggle
/// the value. `group_label(facet)` and `value_label(facet, value)` give the
/// texts.
pub fn facet_groups<'a>(
    counts: impl IntoIterator<Item = (&'a str, Vec<&'a (String, u64)>)>,
    wanted: &[(String, String)],
    group_label: impl Fn(&str) -> String,
    value_label: impl Fn(&str, &str) -> String,
    base: &str,
) -> Vec<FacetGroup> {
    counts
        .into_iter()
        .map(|(facet, values)| FacetGroup {
            name: facet.to_string(),
            label: group_label(facet),
            links: values
                .into_iter()
                .map(|(v, c)| {
                    let active = is_wanted(wanted, facet, v);
                    FacetLink {
                        label: value_label(facet, v),
                        count: *c,
                        href: toggle_href(base, wanted, facet, v, active),
                        active,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The link to page `n` of `base` with `kept` (page 1 has no `page`).
pub fn page_href<N: Copy + PartialOrd + From<u8> + std::fmt::Display>(
    base: &str,
    kept: &[(String, String)],
    n: N,
) -> String {
    let mut v = kept.to_vec();
    if n > N::from(1) {
        v.push(("page".into(), n.to_string()));
    }
    format!("{base}{}", query_string(&v))
}

/// The previous and next page links around `page` of `pages`.
pub fn prev_next<N>(
    page: N,
    pages: N,
    href: impl Fn(N) -> String,
) -> (Option<String>, Option<String>)
where
    N: Copy + PartialOrd + From<u8> + std::ops::Add<Output = N> + std::ops::Sub<Output = N>,
{
    let one = N::from(1);
    (
        (page > one).then(|| href(page - one)),
        (page < pages).then(|| href(page + one)),
    )
}

/// A cell for a CSV a person opens in a spreadsheet: text that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a
/// leading apostrophe (`faro_formats::table::neutralise`, reversible).
pub fn csv_safe(v: &str) -> String {
    faro_formats::table::neutralise(v).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_query_strings() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(query_string::<&str, &str>(&[]), "");
        assert_eq!(
            query_string(&[("q", "a b&c"), ("country", "CO")]),
            "?q=a+b%26c&country=CO"
        );
        assert_eq!(
            ld_json(&serde_json::json!({"n": "</script>&"})),
            r#"{"n":"\u003c/script\u003e\u0026"}"#
        );
    }

    #[test]
    fn facets_and_pages() {
        let counts = [("type".to_string(), 3u64), ("video".to_string(), 1)];
        let wanted = vec![("type".to_string(), "Report".to_string())];
        let groups = facet_groups(
            [("type", counts.iter().collect())],
            &wanted,
            |f| format!("F:{f}"),
            |_, v| v.to_uppercase(),
            "/en/resources",
        );
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].label, "F:type");
        assert_eq!(
            groups[0].links[0].href,
            "/en/resources?type=Report&type=type"
        );
        let kept = vec![("type".to_string(), "video".to_string())];
        let g = facet_groups(
            [("type", counts.iter().collect())],
            &kept,
            |f| f.into(),
            |_, v| v.into(),
            "/b",
        );
        assert!(g[0].links[1].active);
        assert_eq!(g[0].links[1].href, "/b");
        assert_eq!(page_href("/b", &kept, 1u64), "/b?type=video");
        assert_eq!(page_href("/b", &kept, 3u64), "/b?type=video&page=3");
        assert_eq!(
            prev_next(2u64, 3, |n| n.to_string()),
            (Some("1".into()), Some("3".into()))
        );
        assert_eq!(prev_next(1usize, 1, |n| n.to_string()), (None, None));
    }
}
