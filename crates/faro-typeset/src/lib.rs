//! PDF documents made in-process: a flow of text blocks (titles, headings,
//! paragraphs, small print) laid out on pages of a given size, with the
//! fonts the repository ships (DejaVu Sans regular and bold, under
//! `data/fonts/` with their licence; they cover Spanish and Portuguese),
//! embedded as subsets, as a **tagged PDF** (each block an `H1`/`H2`/`P`
//! in the structure tree, the document's language and title set), through
//! the `krilla` crate. Certificates of attendance are its first user; the
//! generated reports (issue 16) can reuse [`Doc`] and [`render`].
//!
//! Why not typst here: see ARCHITECTURE.md ("Decisions"). The API is the
//! seam: a later typst-backed `render` can take the same [`Doc`].
//!
//! Pure: no I/O, no global cache, so memory is what one document needs.

use krilla::Document;
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, ListNumbering, SpanTag, TableHeaderScope, Tag, TagGroup,
    TagTree,
};
use krilla::text::{Font, TextDirection};
use std::num::NonZeroU16;
use std::sync::{Arc, OnceLock};

static REGULAR: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("bad page size")]
    PageSize,
}

/// How a block's lines sit between the margins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

/// A piece of the document's flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The document's title (`H1`), large and bold; in the outline.
    Title(String),
    /// A heading (`H2`), bold; in the outline.
    Heading(String),
    /// A sub-heading (`H3`), bold; in the outline under its heading.
    Subheading(String),
    /// Body text (`P`).
    Paragraph(String),
    /// Body text in a larger size, e.g. the name on a certificate (`P`).
    Emphasis(String),
    /// Small print (`P`), e.g. a verification line.
    Small(String),
    /// A list item (`LI`): a bullet (or its number) and the text indented.
    Item { label: String, text: String },
    /// A table (`Table`/`TR`/`TH`/`TD`): a header row and rows; numeric
    /// columns (`right[i]`) are aligned right. Rows never split over pages.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        right: Vec<bool>,
    },
    /// A horizontal bar chart drawn as vector paths (`Figure` with its
    /// title as alternative text): (label, value, value as shown).
    Bars {
        title: String,
        rows: Vec<(String, f64, String)>,
    },
    /// Vertical space in points.
    Space(f32),
}

/// A document: its language (BCP 47, e.g. `pt`), title, page size in
/// points, margin, alignment, whether a thin frame is drawn, the page
/// footer (`{n}` and `{total}` replaced by the page number and count) and
/// its flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub lang: String,
    pub title: String,
    pub width: f32,
    pub height: f32,
    pub margin: f32,
    pub align: Align,
    pub frame: bool,
    pub footer: Option<String>,
    /// Metadata: a description, authors, and the date (year, month, day).
    pub subject: Option<String>,
    pub authors: Vec<String>,
    pub date: Option<(u16, u8, u8)>,
    pub blocks: Vec<Block>,
}

/// A4 in points.
pub const A4: (f32, f32) = (595.28, 841.89);

impl Doc {
    /// An A4 landscape page, centred, framed (a certificate).
    pub fn landscape(lang: &str, title: &str) -> Doc {
        Doc {
            lang: lang.into(),
            title: title.into(),
            width: A4.1,
            height: A4.0,
            margin: 64.0,
            align: Align::Center,
            frame: true,
            footer: None,
            subject: None,
            authors: Vec::new(),
            date: None,
            blocks: Vec::new(),
        }
    }
    /// An A4 portrait page, left-aligned (a report).
    pub fn portrait(lang: &str, title: &str) -> Doc {
        Doc {
            lang: lang.into(),
            title: title.into(),
            width: A4.0,
            height: A4.1,
            margin: 56.0,
            align: Align::Left,
            frame: false,
            footer: None,
            subject: None,
            authors: Vec::new(),
            date: None,
            blocks: Vec::new(),
        }
    }
    pub fn push(&mut self, b: Block) -> &mut Self {
        self.blocks.push(b);
        self
    }
}

struct Face {
    font: Font,
    /// Parsed once (the font data is static), for advance widths.
    metrics: ttf_parser::Face<'static>,
}

fn faces() -> &'static (Face, Face) {
    static FACES: OnceLock<(Face, Face)> = OnceLock::new();
    FACES.get_or_init(|| {
        let load = |data: &'static [u8]| Face {
            font: Font::new(Arc::new(data.to_vec()).into(), 0).expect("shipped font"),
            metrics: ttf_parser::Face::parse(data, 0).expect("shipped font"),
        };
        (load(REGULAR), load(BOLD))
    })
}

impl Face {
    /// The width of `text` at `size` points (advances, no kerning: for
    /// breaking lines and centring).
    fn width(&self, text: &str, size: f32) -> f32 {
        let face = &self.metrics;
        let upem = face.units_per_em() as f32;
        text.chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .unwrap_or(0) as f32
            })
            .sum::<f32>()
            * size
            / upem
    }
}

/// Breaks `text` into lines no wider than `max` (at spaces; a word longer
/// than a line is cut where it no longer fits).
fn wrap(face: &Face, text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if face.width(&candidate, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line: cut it.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if face.width(&piece, size) > max && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    lines
}

struct Style {
    size: f32,
    bold: bool,
    gap_after: f32,
    heading: Option<u16>,
}

fn style(b: &Block) -> Option<(&str, Style)> {
    let s = |size, bold, gap_after, heading| Style {
        size,
        bold,
        gap_after,
        heading,
    };
    Some(match b {
        Block::Title(t) => (t.as_str(), s(24.0, true, 16.0, Some(1))),
        Block::Heading(t) => (t.as_str(), s(16.0, true, 8.0, Some(2))),
        Block::Subheading(t) => (t.as_str(), s(13.0, true, 6.0, Some(3))),
        Block::Paragraph(t) => (t.as_str(), s(11.0, false, 8.0, None)),
        Block::Emphasis(t) => (t.as_str(), s(22.0, true, 14.0, None)),
        Block::Small(t) => (t.as_str(), s(9.0, false, 6.0, None)),
        Block::Item { text, .. } => (text.as_str(), s(11.0, false, 3.0, None)),
        Block::Table { .. } | Block::Bars { .. } | Block::Space(_) => return None,
    })
}

fn frame(surface: &mut Surface<'_>, doc: &Doc) {
    let inset = 24.0;
    let Some(rect) = Rect::from_xywh(
        inset,
        inset,
        doc.width - 2.0 * inset,
        doc.height - 2.0 * inset,
    ) else {
        return;
    };
    let mut pb = PathBuilder::new();
    pb.push_rect(rect);
    let Some(path) = pb.finish() else { return };
    // Decoration, not content: an artifact for assistive technology.
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Other,
    )));
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: rgb::Color::new(0x1f, 0x4e, 0x79).into(),
        width: 2.0,
        ..Default::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
    surface.end_tagged();
}

/// Where a piece of content sits in the structure tree: its block, and
/// for tables its row and cell (row 0 is the header).
type Slot = (usize, Option<usize>, Option<usize>);

enum Item {
    Text {
        x: f32,
        y: f32,
        text: String,
        size: f32,
        bold: bool,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: (u8, u8, u8),
    },
}

struct Placed {
    page: usize,
    slot: Slot,
    item: Item,
}

struct Layout<'a> {
    doc: &'a Doc,
    placed: Vec<Placed>,
    page: usize,
    y: f32,
    /// (level, text, page, y of the heading's top).
    outline: Vec<(u16, String, usize, f32)>,
}

impl Layout<'_> {
    fn bottom(&self) -> f32 {
        // Room for the footer.
        self.doc.height - self.doc.margin - if self.doc.footer.is_some() { 14.0 } else { 0.0 }
    }
    fn need(&mut self, h: f32) {
        if self.y + h > self.bottom() && self.y > self.doc.margin {
            self.page += 1;
            self.y = self.doc.margin;
        }
    }
    fn text(&mut self, slot: Slot, x: f32, y: f32, text: String, size: f32, bold: bool) {
        self.placed.push(Placed {
            page: self.page,
            slot,
            item: Item::Text {
                x,
                y,
                text,
                size,
                bold,
            },
        });
    }
}

const INK: (u8, u8, u8) = (0x1a, 0x1a, 0x1a);
const BAR: (u8, u8, u8) = (0x2e, 0x66, 0xa3);
const RULE: (u8, u8, u8) = (0xbb, 0xbb, 0xbb);

fn layout(doc: &Doc) -> Layout<'_> {
    let (regular, bold) = faces();
    let max = doc.width - 2.0 * doc.margin;
    let mut l = Layout {
        doc,
        placed: Vec::new(),
        page: 0,
        y: doc.margin,
        outline: Vec::new(),
    };
    for (i, b) in doc.blocks.iter().enumerate() {
        match b {
            Block::Space(h) => {
                l.y += h;
                continue;
            }
            Block::Table { head, rows, right } => {
                table(&mut l, i, head, rows, right, max);
                continue;
            }
            Block::Bars { title, rows } => {
                bars(&mut l, i, title, rows, max);
                continue;
            }
            _ => {}
        }
        let Some((text, st)) = style(b) else { continue };
        let face = if st.bold { bold } else { regular };
        let leading = st.size * 1.3;
        let indent = if let Block::Item { .. } = b {
            16.0
        } else {
            0.0
        };
        let lines = wrap(face, text, st.size, max - indent);
        if st.heading.is_some() {
            // A heading stays with at least two lines of what follows.
            l.need(leading * lines.len() as f32 + 30.0);
            l.outline
                .push((st.heading.unwrap_or(2), text.to_string(), l.page, l.y));
        }
        for (n, line) in lines.into_iter().enumerate() {
            l.need(leading);
            l.y += leading;
            let w = face.width(&line, st.size);
            let x = match doc.align {
                Align::Left => doc.margin + indent,
                Align::Center => (doc.width - w) / 2.0,
            };
            if n == 0
                && let Block::Item { label, .. } = b
            {
                let y = l.y;
                l.text(
                    (i, Some(0), None),
                    doc.margin,
                    y,
                    label.clone(),
                    st.size,
                    false,
                );
            }
            let y = l.y;
            l.text((i, None, None), x, y, line, st.size, st.bold);
        }
        l.y += st.gap_after;
    }
    l
}

fn table(
    l: &mut Layout<'_>,
    i: usize,
    head: &[String],
    rows: &[Vec<String>],
    right: &[bool],
    max: f32,
) {
    let (regular, bold) = faces();
    let size = 9.5;
    let leading = size * 1.3;
    let cols = head
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    // Column widths from the longest content, at least a share of the width.
    let mut want: Vec<f32> = (0..cols)
        .map(|c| {
            bold.width(head.get(c).map(String::as_str).unwrap_or(""), size)
                .min(max * 0.3)
                + 8.0
        })
        .collect();
    for r in rows {
        for (c, cell) in r.iter().enumerate().take(cols) {
            want[c] = want[c].max(regular.width(cell, size).min(max * 0.6) + 8.0);
        }
    }
    let total: f32 = want.iter().sum();
    let widths: Vec<f32> = if total > max {
        want.iter().map(|w| w / total * max).collect()
    } else {
        want
    };
    let draw_row = |l: &mut Layout<'_>, r: usize, cells: &[String], is_head: bool| {
        let face = if is_head { bold } else { regular };
        let wrapped: Vec<Vec<String>> = (0..cols)
            .map(|c| {
                wrap(
                    face,
                    cells.get(c).map(String::as_str).unwrap_or(""),
                    size,
                    widths[c] - 6.0,
                )
            })
            .collect();
        let h = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading + 4.0;
        l.need(h);
        let top = l.y;
        let mut x = l.doc.margin;
        for (c, lines) in wrapped.into_iter().enumerate() {
            for (n, line) in lines.into_iter().enumerate() {
                let w = face.width(&line, size);
                let lx = if right.get(c).copied().unwrap_or(false) {
                    x + widths[c] - 4.0 - w
                } else {
                    x + 2.0
                };
                l.text(
                    (i, Some(r), Some(c)),
                    lx,
                    top + (n as f32 + 1.0) * leading,
                    line,
                    size,
                    is_head,
                );
            }
            x += widths[c];
        }
        l.y = top + h;
        let p = l.page;
        l.placed.push(Placed {
            page: p,
            slot: (i, None, None),
            item: Item::Rect {
                x: l.doc.margin,
                y: l.y - 1.5,
                w: widths.iter().sum(),
                h: if is_head { 0.8 } else { 0.3 },
                color: if is_head { INK } else { RULE },
            },
        });
    };
    l.need(leading * 3.0);
    draw_row(l, 0, head, true);
    for (r, row) in rows.iter().enumerate() {
        draw_row(l, r + 1, row, false);
    }
    l.y += 10.0;
}

fn bars(l: &mut Layout<'_>, i: usize, title: &str, rows: &[(String, f64, String)], max: f32) {
    let (regular, bold) = faces();
    let size = 9.0;
    let row_h = 15.0;
    let label_w = (max * 0.38).min(
        rows.iter()
            .map(|r| regular.width(&r.0, size))
            .fold(40.0, f32::max)
            + 8.0,
    );
    let bar_w = max - label_w - 50.0;
    let top_value = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1.0);
    l.need(row_h * 2.0 + 14.0);
    l.y += 13.0;
    let y = l.y;
    l.text(
        (i, Some(0), None),
        l.doc.margin,
        y,
        title.to_string(),
        10.5,
        true,
    );
    l.y += 4.0;
    for (label, v, shown) in rows {
        l.need(row_h);
        let top = l.y;
        let mut label = label.clone();
        while regular.width(&label, size) > label_w - 6.0 && label.chars().count() > 4 {
            label.pop();
            label.pop();
            label.push('…');
        }
        let lw = regular.width(&label, size);
        l.text(
            (i, Some(1), None),
            l.doc.margin + label_w - 6.0 - lw,
            top + 11.0,
            label,
            size,
            false,
        );
        let w = ((*v / top_value) as f32 * bar_w).max(0.0);
        let p = l.page;
        l.placed.push(Placed {
            page: p,
            slot: (i, Some(1), None),
            item: Item::Rect {
                x: l.doc.margin + label_w,
                y: top + 2.0,
                w: w.max(0.5),
                h: row_h - 4.0,
                color: BAR,
            },
        });
        l.text(
            (i, Some(1), None),
            l.doc.margin + label_w + w + 4.0,
            top + 11.0,
            shown.clone(),
            size,
            false,
        );
        l.y += row_h;
    }
    l.y += 10.0;
    let _ = bold;
}

fn fill(c: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// Lays out and writes the document; every line of every block is drawn
/// (new pages as needed), headings go into the outline, the footer (page
/// numbers) on every page as an artifact.
pub fn render(doc: &Doc) -> Result<Vec<u8>, Error> {
    let (regular, bold) = faces();
    let settings = krilla::SerializeSettings {
        enable_tagging: true,
        ..Default::default()
    };
    let mut document = Document::new_with(settings);
    let page_settings = PageSettings::from_wh(doc.width, doc.height).ok_or(Error::PageSize)?;
    let l = layout(doc);
    let pages = l.placed.iter().map(|p| p.page + 1).max().unwrap_or(1);
    let mut ids: std::collections::HashMap<Slot, Vec<krilla::tagging::Identifier>> =
        std::collections::HashMap::new();
    for p in 0..pages {
        let mut pg = document.start_page_with(page_settings.clone());
        let mut surface = pg.surface();
        if doc.frame {
            frame(&mut surface, doc);
        }
        for placed in l.placed.iter().filter(|x| x.page == p) {
            match &placed.item {
                Item::Text {
                    x,
                    y,
                    text,
                    size,
                    bold: b,
                } => {
                    let face = if *b { bold } else { regular };
                    surface.set_fill(Some(fill(INK)));
                    let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        face.font.clone(),
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                    surface.end_tagged();
                    ids.entry(placed.slot).or_default().push(id);
                }
                Item::Rect { x, y, w, h, color } => {
                    let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                        continue;
                    };
                    let mut pb = PathBuilder::new();
                    pb.push_rect(rect);
                    let Some(path) = pb.finish() else { continue };
                    surface.set_fill(Some(fill(*color)));
                    let tag = if matches!(doc.blocks.get(placed.slot.0), Some(Block::Bars { .. })) {
                        ContentTag::Other
                    } else {
                        ContentTag::Artifact(Artifact::with_kind(ArtifactType::Other))
                    };
                    let artifact = matches!(tag, ContentTag::Artifact(_));
                    let id = surface.start_tagged(tag);
                    surface.draw_path(&path);
                    surface.end_tagged();
                    if !artifact {
                        ids.entry(placed.slot).or_default().push(id);
                    }
                }
            }
        }
        if let Some(footer) = &doc.footer {
            let text = footer
                .replace("{n}", &(p + 1).to_string())
                .replace("{total}", &pages.to_string());
            let size = 8.5;
            let w = regular.width(&text, size);
            surface.set_fill(Some(fill(INK)));
            surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                ArtifactType::PageNumber,
            )));
            surface.draw_text(
                Point::from_xy((doc.width - w) / 2.0, doc.height - doc.margin / 2.0),
                regular.font.clone(),
                size,
                &text,
                false,
                TextDirection::Auto,
            );
            surface.end_tagged();
        }
        surface.finish();
        pg.finish();
    }
    // The structure tree, block by block in reading order.
    let mut tree = TagTree::new();
    let mut take = |slot: Slot| ids.remove(&slot).unwrap_or_default();
    for (i, b) in doc.blocks.iter().enumerate() {
        match b {
            Block::Space(_) => {}
            Block::Table { head, rows, .. } => {
                let mut t = TagGroup::new(Tag::Table);
                let cols = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
                for r in 0..=rows.len() {
                    let mut tr = TagGroup::new(Tag::TR);
                    for c in 0..cols {
                        let mut cell = if r == 0 {
                            TagGroup::new(Tag::TH(TableHeaderScope::Column))
                        } else {
                            TagGroup::new(Tag::TD)
                        };
                        for id in take((i, Some(r), Some(c))) {
                            cell.push(id);
                        }
                        tr.push(cell);
                    }
                    t.push(tr);
                }
                // The rules under the rows are artifacts: nothing to add.
                tree.push(t);
            }
            Block::Bars { title, .. } => {
                let mut cap = TagGroup::new(Tag::Caption);
                for id in take((i, Some(0), None)) {
                    cap.push(id);
                }
                let mut fig = TagGroup::new(Tag::Figure(Some(title.clone())));
                for id in take((i, Some(1), None)) {
                    fig.push(id);
                }
                let mut div = TagGroup::new(Tag::Div);
                div.push(cap);
                div.push(fig);
                tree.push(div);
            }
            Block::Item { .. } => {
                let mut li = TagGroup::new(Tag::LI);
                let mut lbl = TagGroup::new(Tag::Lbl);
                for id in take((i, Some(0), None)) {
                    lbl.push(id);
                }
                let mut body = TagGroup::new(Tag::LBody);
                for id in take((i, None, None)) {
                    body.push(id);
                }
                li.push(lbl);
                li.push(body);
                let mut list = TagGroup::new(Tag::L(ListNumbering::None));
                list.push(li);
                tree.push(list);
            }
            _ => {
                let Some((_, st)) = style(b) else { continue };
                let kind: krilla::tagging::TagKind = match st.heading {
                    Some(level) => {
                        Tag::Hn(NonZeroU16::new(level).expect("level"), Some(b_text(b))).into()
                    }
                    None => Tag::P.into(),
                };
                let mut g = TagGroup::new(kind);
                for id in take((i, None, None)) {
                    g.push(id);
                }
                tree.push(g);
            }
        }
    }
    document.set_tag_tree(tree);
    // The outline: level-1 and level-2 headings at the top, level 3 under
    // the heading before it.
    let mut outline = Outline::new();
    let mut open: Option<OutlineNode> = None;
    for (level, text, page, y) in &l.outline {
        let node = OutlineNode::new(
            text.clone(),
            XyzDestination::new(*page, Point::from_xy(doc.margin, *y)),
        );
        if *level >= 3
            && let Some(parent) = open.as_mut()
        {
            parent.push_child(node);
            continue;
        }
        if let Some(prev) = open.take() {
            outline.push_child(prev);
        }
        open = Some(node);
    }
    if let Some(prev) = open.take() {
        outline.push_child(prev);
    }
    document.set_outline(outline);
    let mut meta = krilla::metadata::Metadata::new()
        .title(doc.title.clone())
        .language(doc.lang.clone())
        .creator("Faro".into());
    if let Some(s) = &doc.subject {
        meta = meta.description(s.clone());
    }
    if !doc.authors.is_empty() {
        meta = meta.authors(doc.authors.clone());
    }
    if let Some((y, m, d)) = doc.date {
        meta = meta.creation_date(krilla::metadata::DateTime::new(y).month(m).day(d));
    }
    document.set_metadata(meta);
    document.finish().map_err(|e| Error::Pdf(format!("{e:?}")))
}

fn b_text(b: &Block) -> String {
    style(b).map(|(t, _)| t.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_within_the_width() {
        let (regular, _) = faces();
        let text =
            "Certificado de participação na sessão sobre formação a distância e continuidade";
        let lines = wrap(regular, text, 12.0, 200.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| regular.width(l, 12.0) <= 200.0));
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn renders_a_pdf() {
        let mut d = Doc::landscape("pt", "Certificado");
        d.push(Block::Title("Certificado".into()))
            .push(Block::Emphasis("Inês Conceição".into()))
            .push(Block::Small("ABCD".into()));
        let pdf = render(&d).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        if let Ok(p) = std::env::var("FARO_TYPESET_SAMPLE") {
            std::fs::write(p, &pdf).unwrap();
        }
        // A subset, not the whole 700 kB font.
        assert!(pdf.len() < 100_000, "{}", pdf.len());
    }

    #[test]
    fn renders_a_report_with_tables_bars_outline() {
        let mut d = Doc::portrait("es", "Informe");
        d.footer = Some("Página {n} de {total}".into());
        d.date = Some((2026, 1, 2));
        d.push(Block::Title("Informe".into()))
            .push(Block::Heading("Las sesiones".into()))
            .push(Block::Subheading("Detalle".into()))
            .push(Block::Item {
                label: "•".into(),
                text: "uno".into(),
            })
            .push(Block::Table {
                head: vec!["N.º".into(), "Fecha".into(), "Tema".into()],
                rows: (1..=60)
                    .map(|i| {
                        vec![
                            i.to_string(),
                            "26/03/2020".into(),
                            "Formación ".repeat(i % 7 + 1),
                        ]
                    })
                    .collect(),
                right: vec![true, false, false],
            })
            .push(Block::Bars {
                title: "Por sesión".into(),
                rows: vec![
                    ("Sesión 1".into(), 150.0, "150".into()),
                    ("Sesión 2".into(), 1234.5, "1.234,5".into()),
                ],
            });
        let pdf = render(&d).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        if let Ok(p) = std::env::var("FARO_TYPESET_REPORT_SAMPLE") {
            std::fs::write(p, &pdf).unwrap();
        }
    }

    #[test]
    fn long_words_are_cut() {
        let (regular, _) = faces();
        let lines = wrap(regular, &"x".repeat(2000), 11.0, 300.0);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| regular.width(l, 11.0) <= 300.0));
    }
}
