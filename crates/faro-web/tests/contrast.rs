//! Colour contrast of the served stylesheet (issue 11 item 17), computed
//! with WCAG 2.x relative luminance: the focus ring must stand out 3:1
//! against what it is drawn on — the page, and the header's accent colour
//! (where it was 1.78:1) — and text must reach 4.5:1.

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use std::collections::HashMap;
use tower::ServiceExt;

fn luminance(hex: &str) -> f64 {
    let h = hex.trim_start_matches('#');
    let h: String = if h.len() == 3 {
        h.chars().flat_map(|c| [c, c]).collect()
    } else {
        h.to_string()
    };
    let ch = |i: usize| {
        let v = u8::from_str_radix(&h[i..i + 2], 16).unwrap() as f64 / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(0) + 0.7152 * ch(2) + 0.0722 * ch(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The declarations of the first rule whose selector list starts with `selector`.
fn rule<'a>(css: &'a str, selector: &str) -> &'a str {
    let at = css
        .find(&format!("{selector}{{"))
        .or_else(|| css.find(&format!("{selector},")))
        .unwrap_or_else(|| panic!("no rule for {selector}"));
    let rest = &css[at..];
    let open = rest.find('{').unwrap();
    let close = rest.find('}').unwrap();
    &rest[open + 1..close]
}

fn value<'a>(decls: &'a str, prop: &str) -> &'a str {
    decls
        .split(';')
        .find_map(|d| d.trim().strip_prefix(&format!("{prop}:")))
        .unwrap_or_else(|| panic!("no {prop} in {decls}"))
        .trim()
}

#[test]
fn the_contrast_ratio_helper_agrees_with_wcag() {
    assert!((contrast("#000", "#fff") - 21.0).abs() < 0.01);
    assert!((contrast("#777777", "#ffffff") - 4.48).abs() < 0.01);
    // The header's old focus ring.
    assert!((contrast("#b35c00", "#0b4f8a") - 1.78).abs() < 0.02);
}

#[tokio::test]
async fn focus_rings_and_text_meet_their_contrast_on_every_background() {
    let store = faro_store::testing::sqlite().await.store;
    let app = faro_web::router(faro_web::AppState::new(store));
    let res = app
        .oneshot(
            Request::builder()
                .uri("/static/faro.css")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let css =
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let vars: HashMap<String, String> = rule(&css, ":root")
        .split(';')
        .filter_map(|d| d.trim().split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let colour = |v: &str| -> String {
        match v.strip_prefix("var(").and_then(|x| x.strip_suffix(')')) {
            Some(name) => vars[name].clone(),
            None => v.to_string(),
        }
    };
    let page = colour(&vars["--bg"]);
    let ring = rule(&css, "a:focus-visible");
    let ring = colour(value(ring, "outline").split_whitespace().last().unwrap());
    assert!(
        contrast(&ring, &page) >= 3.0,
        "focus ring {ring} on the page {page}"
    );
    let header = rule(&css, "header.site");
    let header_bg = colour(value(header, "background"));
    let header_ring = colour(value(
        rule(&css, "header.site a:focus-visible"),
        "outline-color",
    ));
    let r = contrast(&header_ring, &header_bg);
    assert!(
        r >= 3.0,
        "focus ring {header_ring} on the header {header_bg}: {r:.2}:1"
    );
    let header_text = colour(value(header, "color"));
    assert!(contrast(&header_text, &header_bg) >= 4.5);
    assert!(contrast(&colour(&vars["--fg"]), &page) >= 4.5);
    assert!(contrast(&colour(&vars["--muted"]), &page) >= 4.5);
    assert!(contrast(&colour(&vars["--accent"]), &page) >= 4.5, "links");
}
