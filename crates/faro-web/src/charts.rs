//! Server-rendered SVG charts for the observatory: no script, presentation
//! attributes only (the CSP forbids inline styles), and every chart comes
//! with the data table it draws.

use crate::toolkit::escape;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Sequential palette (light to dark blue), readable on white.
const BINS: [&str; 6] = [
    "#e8eef5", "#c6d8ea", "#93b7d8", "#5b8fc2", "#2e66a3", "#0b3f73",
];

pub fn bin_color(count: u64, max: u64) -> &'static str {
    if count == 0 || max == 0 {
        return BINS[0];
    }
    let idx = 1 + ((count - 1) * 4 / max.max(1)).min(4) as usize;
    BINS[idx]
}

/// Category letters each measure counts for (once per letter).
pub use faro_store::observatory::ChartCounts;

/// country → category letter → measures.
pub fn country_category(c: &ChartCounts) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut out: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (country, _, letter, n) in &c.cells {
        *out.entry(country.clone())
            .or_default()
            .entry(letter.clone())
            .or_default() += n;
    }
    out
}

/// country → number of measures.
pub fn per_country(c: &ChartCounts) -> BTreeMap<String, u64> {
    c.per_country.clone()
}

/// YYYY-MM → category letter → measures started that month; and how many
/// measures have no known start month.
pub fn per_month(c: &ChartCounts) -> (BTreeMap<String, BTreeMap<String, u64>>, u64) {
    let mut out: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (_, month, letter, n) in &c.cells {
        if let Some(month) = month {
            *out.entry(month.clone())
                .or_default()
                .entry(letter.clone())
                .or_default() += n;
        }
    }
    (out, c.undated)
}

/// A grid of countries (rows) × categories (columns), darker = more.
pub fn matrix_svg(
    data: &BTreeMap<String, BTreeMap<String, u64>>,
    rows: &[(String, String)],
    cols: &[String],
    title_id: &str,
) -> String {
    let cell = 34;
    let left = 170;
    let top = 28;
    let w = left + cell * cols.len() + 10;
    let h = top + cell * rows.len() + 10;
    let max = data
        .values()
        .flat_map(|r| r.values())
        .copied()
        .max()
        .unwrap_or(0);
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{title_id}" class="chart">"#
    );
    for (j, c) in cols.iter().enumerate() {
        let _ = write!(
            s,
            r##"<text x="{}" y="20" text-anchor="middle" font-size="13" fill="#1b1b1b">{}</text>"##,
            left + j * cell + cell / 2,
            escape(c)
        );
    }
    for (i, (code, name)) in rows.iter().enumerate() {
        let y = top + i * cell;
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1b1b1b">{}</text>"##,
            left - 8,
            y + cell / 2 + 4,
            escape(name)
        );
        for (j, c) in cols.iter().enumerate() {
            let n = data.get(code).and_then(|r| r.get(c)).copied().unwrap_or(0);
            let fill = bin_color(n, max);
            let _ = write!(
                s,
                r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="#ffffff"><title>{}: {c} = {n}</title></rect>"##,
                left + j * cell,
                y,
                cell,
                cell,
                escape(name)
            );
            if n > 0 {
                let text_fill = if fill == BINS[4] || fill == BINS[5] || fill == BINS[3] {
                    "#ffffff"
                } else {
                    "#1b1b1b"
                };
                let _ = write!(
                    s,
                    r#"<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{text_fill}">{n}</text>"#,
                    left + j * cell + cell / 2,
                    y + cell / 2 + 4
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// A choropleth of the member countries (geometry from Natural Earth,
/// `data/geo/countries.json`).
pub fn map_svg(
    counts: &BTreeMap<String, u64>,
    names: &dyn Fn(&str) -> String,
    title_id: &str,
) -> String {
    #[derive(serde::Deserialize)]
    struct Geo {
        #[serde(rename = "viewBox")]
        view_box: String,
        countries: BTreeMap<String, String>,
    }
    static GEO: std::sync::OnceLock<Option<Geo>> = std::sync::OnceLock::new();
    let Some(geo) = GEO
        .get_or_init(|| serde_json::from_str(include_str!("../../../data/geo/countries.json")).ok())
        .as_ref()
    else {
        return String::new();
    };
    let max = counts
        .iter()
        .filter(|(k, _)| k.as_str() != "none")
        .map(|(_, v)| *v)
        .max()
        .unwrap_or(0);
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="{}" role="img" aria-labelledby="{title_id}" class="chart map">"#,
        geo.view_box
    );
    s.push_str(r##"<rect x="0" y="0" width="100%" height="100%" fill="#f7fbff"/>"##);
    for (code, path) in &geo.countries {
        let n = counts.get(code).copied().unwrap_or(0);
        let fill = if n == 0 { "#dddddd" } else { bin_color(n, max) };
        let _ = write!(
            s,
            r##"<path d="{path}" fill="{fill}" stroke="#7a7a7a" stroke-width="0.6"><title>{}: {n}</title></path>"##,
            escape(&names(code))
        );
    }
    // Legend.
    for (i, c) in BINS.iter().enumerate().skip(1) {
        let _ = write!(
            s,
            r##"<rect x="{}" y="620" width="28" height="14" fill="{c}" stroke="#7a7a7a" stroke-width="0.5"/>"##,
            20 + (i - 1) * 30
        );
    }
    let _ = write!(
        s,
        r##"<text x="20" y="652" font-size="13" fill="#1b1b1b">1</text><text x="168" y="652" font-size="13" fill="#1b1b1b" text-anchor="end">{max}</text>"##
    );
    s.push_str("</svg>");
    s
}

/// Stacked bars of measures started per month by category.
pub fn timeline_svg(
    data: &BTreeMap<String, BTreeMap<String, u64>>,
    cols: &[String],
    title_id: &str,
) -> String {
    if data.is_empty() {
        return String::new();
    }
    let bar = 36;
    let left = 40;
    let h = 220;
    let w = left + bar * data.len() + 20;
    let max: u64 = data
        .values()
        .map(|r| r.values().sum::<u64>())
        .max()
        .unwrap_or(1)
        .max(1);
    let palette = [
        "#0b4f8a", "#b35c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f", "#5d4037", "#455a64",
        "#ad1457",
    ];
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {}" role="img" aria-labelledby="{title_id}" class="chart">"#,
        h + 40
    );
    for (i, (month, by_cat)) in data.iter().enumerate() {
        let mut y = h;
        for (j, c) in cols.iter().enumerate() {
            let n = by_cat.get(c).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let height = (n as usize * (h - 10)) / max as usize;
            y -= height;
            let _ = write!(
                s,
                r#"<rect x="{}" y="{y}" width="{}" height="{height}" fill="{}"><title>{month} {c}: {n}</title></rect>"#,
                left + i * bar + 4,
                bar - 8,
                palette[j % palette.len()]
            );
        }
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#1b1b1b">{}</text>"##,
            left + i * bar + bar / 2,
            h + 16,
            escape(month)
        );
    }
    s.push_str("</svg>");
    s
}
