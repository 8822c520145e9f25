//! Sitemaps (sitemaps.org 0.9) for the course harvest: a `urlset` lists a
//! site's pages, a `sitemapindex` its child sitemaps. Pure: bytes in, URLs
//! out.
//!
//! - UTF-8 (a BOM is skipped), or gzip of it (`sitemap.xml.gz`), at most
//!   [`MAX_BYTES`] once uncompressed (the protocol's limit).
//! - Namespaced or not: the root's local name decides (`urlset` or
//!   `sitemapindex`, any prefix); `url`/`sitemap` entries and their `loc`
//!   must be in the root's namespace, so extensions' `<image:loc>` and the
//!   like are not taken for pages.
//! - A DOCTYPE is ignored and never expanded: only the five predefined
//!   entities and character references are decoded; any other entity
//!   reference is an error (no entity expansion, billion laughs included).
//! - `loc` values are trimmed; only absolute http(s) URLs are kept, once
//!   each, in document order, at most `max` (reading stops there). Other
//!   values are skipped; a sitemap whose every `loc` is skipped is an error.
//! - Linear in the input: the namespace bindings that matter (root, entry,
//!   `loc`) are resolved here, not by a resolver that scans every binding in
//!   scope for each element.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::PrefixDeclaration;
use quick_xml::reader::Reader;
use std::collections::{HashMap, HashSet};
use std::io::Read;

/// The largest sitemap read, uncompressed (sitemaps.org: 50 MB).
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

/// What a sitemap lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// A `urlset`: page URLs.
    Urls(Vec<String>),
    /// A `sitemapindex`: child sitemap URLs.
    Index(Vec<String>),
}

impl Sitemap {
    pub fn urls(&self) -> &[String] {
        match self {
            Sitemap::Urls(u) | Sitemap::Index(u) => u,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Root {
    Urlset,
    Index,
}

/// An element's namespace: `None` for none, `?prefix` for an undeclared
/// prefix.
type Ns = Option<String>;

/// Namespace declarations of one element.
#[derive(Default)]
struct Scope {
    default: Option<String>,
    prefixes: HashMap<String, String>,
}

impl Scope {
    fn of(e: &BytesStart<'_>) -> Result<Scope, String> {
        let mut s = Scope::default();
        for a in e.attributes() {
            let a = a.map_err(|err| format!("not well-formed XML: {err}"))?;
            match a.key.as_namespace_binding() {
                Some(PrefixDeclaration::Default) => s.default = Some(a.value.into_owned()),
                Some(PrefixDeclaration::Named(p)) => {
                    s.prefixes.insert(p.to_string(), a.value.into_owned());
                }
                None => {}
            }
        }
        Ok(s)
    }

    fn lookup(&self, prefix: Option<&str>) -> Option<&str> {
        match prefix {
            None => self.default.as_deref(),
            Some(p) => self.prefixes.get(p).map(String::as_str),
        }
    }
}

/// The namespace of an element's name, innermost scope first.
fn resolve(e: &BytesStart<'_>, scopes: &[&Scope]) -> Ns {
    let name = e.name();
    let prefix = name.prefix().map(|p| p.into_inner());
    for s in scopes {
        if let Some(ns) = s.lookup(prefix) {
            return (!ns.is_empty()).then(|| ns.to_string());
        }
    }
    prefix.map(|p| format!("?{p}"))
}

/// An absolute http(s) URL with a host, no spaces or control characters.
fn absolute_http(u: &str) -> bool {
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &u[8..]
    } else if lower.starts_with("http://") {
        &u[7..]
    } else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    !host.is_empty()
        && !host.starts_with([':', '@'])
        && !u.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// The input as UTF-8 text: gunzipped if gzip, without a BOM.
fn text_of(xml: &[u8]) -> Result<std::borrow::Cow<'_, str>, String> {
    let too_big = || {
        format!(
            "the sitemap is larger than {} MB",
            MAX_BYTES / (1024 * 1024)
        )
    };
    if xml.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(xml)
            .take(MAX_BYTES as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("the sitemap is not readable gzip: {e}"))?;
        if out.len() > MAX_BYTES {
            return Err(too_big());
        }
        if out.starts_with(&[0x1f, 0x8b]) {
            return Err("the sitemap is compressed twice".to_string());
        }
        return text_of(&out).map(|t| std::borrow::Cow::Owned(t.into_owned()));
    }
    if xml.len() > MAX_BYTES {
        return Err(too_big());
    }
    if xml.starts_with(&[0xff, 0xfe]) || xml.starts_with(&[0xfe, 0xff]) {
        return Err("the sitemap is UTF-16; only UTF-8 is read".to_string());
    }
    let xml = xml.strip_prefix(b"\xef\xbb\xbf").unwrap_or(xml);
    std::str::from_utf8(xml)
        .map(std::borrow::Cow::Borrowed)
        .map_err(|e| format!("the sitemap is not UTF-8 (at byte {})", e.valid_up_to()))
}

/// A sitemaps.org `urlset` (page URLs) or `sitemapindex` (child sitemap URLs); at most `max` URLs
/// kept; only absolute http(s) `<loc>` values (trimmed, entities decoded); anything else is an Err with an English message.
pub fn parse(xml: &[u8], max: usize) -> Result<Sitemap, String> {
    let text = text_of(xml)?;
    let mut r = Reader::from_str(&text);
    let bad = |r: &Reader<&[u8]>, e: &dyn std::fmt::Display| {
        format!(
            "not well-formed XML (near byte {}): {e}",
            r.error_position()
        )
    };
    let mut root: Option<(Root, Ns, Scope)> = None;
    // Depth of the open elements; the entry (depth 1) and loc (depth 2)
    // being read, if any.
    let mut depth = 0usize;
    let mut entry: Option<Scope> = None;
    let mut loc: Option<String> = None;
    let mut urls: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut skipped = 0usize;
    let mut first_skipped = String::new();
    let done = |root: Root, urls: Vec<String>| match root {
        Root::Urlset => Sitemap::Urls(urls),
        Root::Index => Sitemap::Index(urls),
    };
    loop {
        let ev = r.read_event().map_err(|e| bad(&r, &e))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let local = e.local_name().into_inner();
                match (&root, depth) {
                    (None, 0) => {
                        let kind = match local {
                            "urlset" => Root::Urlset,
                            "sitemapindex" => Root::Index,
                            other => {
                                return Err(format!(
                                    "<{}> is not a sitemap: <urlset> or <sitemapindex> expected",
                                    other.chars().take(60).collect::<String>()
                                ));
                            }
                        };
                        let scope = Scope::of(e)?;
                        let ns = resolve(e, &[&scope]);
                        if empty {
                            return Ok(done(kind, urls));
                        }
                        root = Some((kind, ns, scope));
                    }
                    (Some(_), 0) => return Err("more than one root element".to_string()),
                    (Some((kind, ns, scope)), 1) => {
                        let want = if *kind == Root::Urlset {
                            "url"
                        } else {
                            "sitemap"
                        };
                        if local == want && !empty {
                            let own = Scope::of(e)?;
                            if resolve(e, &[&own, scope]) == *ns {
                                entry = Some(own);
                            }
                        }
                    }
                    (Some((_, ns, scope)), 2) => {
                        if let Some(es) = &entry
                            && local == "loc"
                            && !empty
                        {
                            let own = Scope::of(e)?;
                            if resolve(e, &[&own, es, scope]) == *ns {
                                loc = Some(String::new());
                            }
                        }
                    }
                    _ => {}
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                match depth {
                    0 => {
                        let Some((kind, _, _)) = root else {
                            return Err("an end tag without a start".to_string());
                        };
                        if urls.is_empty() && skipped > 0 {
                            return Err(format!(
                                "no absolute http(s) <loc> in the sitemap ({skipped} skipped, e.g. {})",
                                first_skipped
                            ));
                        }
                        return Ok(done(kind, urls));
                    }
                    1 => entry = None,
                    2 => {
                        if let Some(u) = loc.take() {
                            let u = u.trim();
                            if absolute_http(u) {
                                if urls.len() >= max {
                                    let kind = root.as_ref().map_or(Root::Urlset, |r| r.0);
                                    return Ok(done(kind, urls));
                                }
                                if seen.insert(u.to_string()) {
                                    urls.push(u.to_string());
                                }
                            } else {
                                if skipped == 0 {
                                    first_skipped =
                                        format!("\"{}\"", u.chars().take(80).collect::<String>());
                                }
                                skipped += 1;
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(l) = loc.as_mut() {
                    l.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(l) = loc.as_mut() {
                    l.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(g) => {
                let c = match g.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => predefined(&g).ok_or_else(|| {
                        format!(
                            "the entity &{};: only &amp; &lt; &gt; &quot; &apos; are read (entities are never expanded)",
                            g.chars().take(40).collect::<String>()
                        )
                    })?,
                    Err(e) => return Err(bad(&r, &e)),
                };
                if let Some(l) = loc.as_mut() {
                    l.push(c);
                }
            }
            Event::Eof => {
                return Err(match root {
                    None => "no root element: not a sitemap".to_string(),
                    Some(_) => "the sitemap ends before its root element closes".to_string(),
                });
            }
            // The declaration, comments, processing instructions, and a
            // DOCTYPE (never expanded).
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    const SITEMAP: &[u8] = include_bytes!("../../../tests/data/harvest/sitemap.xml");
    const INDEX: &[u8] = include_bytes!("../../../tests/data/harvest/sitemap-index.xml");

    fn urls(xml: &str) -> Vec<String> {
        match parse(xml.as_bytes(), 1000) {
            Ok(Sitemap::Urls(u)) => u,
            r => panic!("{r:?} for {xml}"),
        }
    }

    fn err(xml: &[u8]) -> String {
        match parse(xml, 1000) {
            Err(e) => e,
            Ok(s) => panic!("{s:?} for {}", String::from_utf8_lossy(xml)),
        }
    }

    fn gzip(b: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn the_fixtures() {
        let pages = [
            "http://HOST/course-graph.html",
            "http://HOST/catalogue-runs-offers.html",
            "http://HOST/course-self-paced.html",
            "http://HOST/curso-pt.html",
            "http://HOST/broken-and-hostile.html",
            "http://HOST/no-course.html",
        ];
        // The image extension's <image:loc> is not a page.
        assert_eq!(
            parse(SITEMAP, 100),
            Ok(Sitemap::Urls(pages.iter().map(|s| s.to_string()).collect()))
        );
        assert_eq!(
            parse(INDEX, 100),
            Ok(Sitemap::Index(vec!["http://HOST/sitemap.xml".into()]))
        );
        assert_eq!(parse(&gzip(SITEMAP), 100), parse(SITEMAP, 100));
        assert_eq!(parse(SITEMAP, 2).unwrap().urls(), &pages[..2]);
        assert_eq!(parse(SITEMAP, 0), Ok(Sitemap::Urls(vec![])));
    }

    #[test]
    fn namespaced_or_not() {
        let want = vec!["https://a.example/x".to_string()];
        assert_eq!(
            urls("<urlset><url><loc>https://a.example/x</loc></url></urlset>"),
            want
        );
        assert_eq!(
            urls(
                r#"<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:url><sm:loc>https://a.example/x</sm:loc></sm:url></sm:urlset>"#
            ),
            want
        );
        // Another namespace's loc is not the sitemap's.
        assert_eq!(
            urls(
                r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:v="urn:v"><url><loc>https://a.example/x</loc><v:loc>https://a.example/v</v:loc><loc xmlns="urn:o">https://a.example/o</loc></url></urlset>"#
            ),
            want
        );
        // An undeclared prefix, consistently used, is still one namespace.
        assert_eq!(
            urls("<s:urlset><s:url><s:loc>https://a.example/x</s:loc></s:url></s:urlset>"),
            want
        );
        assert_eq!(
            urls(
                "\u{feff}<?xml version=\"1.0\"?>\n<!-- c --><urlset>\n <url><loc><![CDATA[https://a.example/x]]></loc></url>\n</urlset>"
            ),
            want
        );
    }

    #[test]
    fn values_trimmed_decoded_deduplicated() {
        assert_eq!(
            urls(
                "<urlset><url><loc>\n  https://a.example/p?a=1&amp;b=&#x32;&#51;  </loc></url><url><loc>https://a.example/p?a=1&amp;b=23</loc></url><url><loc>HTTPS://B.example</loc></url></urlset>"
            ),
            ["https://a.example/p?a=1&b=23", "HTTPS://B.example"]
        );
        // Not absolute http(s): skipped; nothing else: an error.
        assert_eq!(
            urls(
                "<urlset><url><loc>/relative</loc></url><url><loc>ftp://a.example/</loc></url><url><loc>http://</loc></url><url><loc>http://a b/</loc></url><url><loc>javascript:alert(1)</loc></url><url><loc></loc></url><url><loc/></url><url><loc>https://ok.example/</loc></url></urlset>"
            ),
            ["https://ok.example/"]
        );
        let e = err(b"<urlset><url><loc>/a</loc></url><url><loc>mailto:x@y</loc></url></urlset>");
        assert!(
            e.contains("no absolute http(s) <loc>") && e.contains("2 skipped"),
            "{e}"
        );
        assert_eq!(urls("<urlset/>"), Vec::<String>::new());
        assert_eq!(urls("<urlset></urlset>"), Vec::<String>::new());
    }

    #[test]
    fn no_entity_is_ever_expanded() {
        let laughs = br#"<?xml version="1.0"?>
<!DOCTYPE urlset [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<urlset><url><loc>https://a.example/&lol9;</loc></url></urlset>"#;
        assert!(err(laughs).contains("never expanded"));
        let xxe = String::from_utf8_lossy(laughs).replace("&lol9;", "&xxe;");
        assert!(err(xxe.as_bytes()).contains("&xxe;"));
        // A DOCTYPE alone is ignored.
        assert_eq!(
            urls(
                "<!DOCTYPE urlset [<!ENTITY a \"b\">]><urlset><url><loc>https://a.example/</loc></url></urlset>"
            ),
            ["https://a.example/"]
        );
    }

    #[test]
    fn anything_else_is_an_error() {
        for (xml, part) in [
            (&b"<rss><channel/></rss>"[..], "<rss> is not a sitemap"),
            (b"", "no root element"),
            (b"   ", "no root element"),
            (b"just text", "no root element"),
            (
                b"<urlset><url><loc>https://a.example/</loc></url>",
                "ends before its root element closes",
            ),
            (b"<urlset><url></urlset>", "not well-formed"),
            (
                b"<urlset><url><loc>https://a.example/</url></urlset>",
                "not well-formed",
            ),
            (b"<urlset a='1' a='2'></urlset>", "not well-formed"),
            (b"<urlset>&#0;</urlset>", "not well-formed"),
            (b"\xff\xfe<\x00u\x00", "UTF-16"),
            (b"<urlset>\xc3\x28</urlset>", "not UTF-8"),
            (b"\x1f\x8b\x08\x00garbage", "not readable gzip"),
        ] {
            let e = err(xml);
            assert!(e.contains(part), "{e} for {}", String::from_utf8_lossy(xml));
        }
        assert!(err(&gzip(&gzip(SITEMAP))).contains("compressed twice"));
        // The second root is refused once reached (the first is complete,
        // so reading stops there).
        assert_eq!(
            urls("<urlset></urlset><urlset></urlset>"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn large_and_hostile_inputs_stay_linear() {
        // A gzip bomb: refused past the limit.
        let zeros = vec![b' '; MAX_BYTES + 10];
        assert!(err(&gzip(&zeros)).contains("larger than 50 MB"));
        // Many namespace declarations, many entries.
        let mut xml = String::from("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
        for i in 0..20_000 {
            xml.push_str(&format!(" xmlns:p{i}=\"urn:{i}\""));
        }
        xml.push('>');
        for i in 0..200_000 {
            xml.push_str(&format!("<url><loc>https://a.example/{i}</loc></url>"));
        }
        xml.push_str("</urlset>");
        let got = parse(xml.as_bytes(), 50_000).unwrap();
        assert_eq!(got.urls().len(), 50_000);
        assert_eq!(got.urls()[49_999], "https://a.example/49999");
        // Deep nesting.
        let deep = format!(
            "<urlset>{}{}</urlset>",
            "<a>".repeat(300_000),
            "</a>".repeat(300_000)
        );
        assert_eq!(urls(&deep), Vec::<String>::new());
    }

    fn mutated(base: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec((0..base.len(), any::<u8>(), any::<bool>()), 1..8).prop_map(
            move |edits| {
                let mut b = base.to_vec();
                for (i, v, insert) in edits {
                    let i = i.min(b.len().saturating_sub(1));
                    if insert {
                        b.insert(i, v);
                    } else if !b.is_empty() {
                        b[i] = v;
                    }
                }
                b
            },
        )
    }

    fn check(b: &[u8]) {
        if let Ok(s) = parse(b, 10) {
            assert!(s.urls().len() <= 10);
            assert!(s.urls().iter().all(|u| absolute_http(u)));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 2000, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_parse_without_panic(b in proptest::collection::vec(any::<u8>(), 0..400)) {
            check(&b);
        }

        #[test]
        fn any_text_parses_without_panic(s in any::<String>(), t in "[<>/a-z:=\"&#;!\\[\\] ]{0,80}") {
            check(s.as_bytes());
            check(format!("<urlset><url><loc>{s}</loc></url>{t}</urlset>").as_bytes());
        }

        #[test]
        fn mutated_fixtures_parse_without_panic(b in prop_oneof![mutated(SITEMAP), mutated(INDEX)]) {
            check(&b);
            check(&gzip(&b));
        }
    }
}
