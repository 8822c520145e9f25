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
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag, Tag, TagGroup, TagTree};
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
    /// The document's title (`H1`), large and bold.
    Title(String),
    /// A heading (`H2`), bold.
    Heading(String),
    /// Body text (`P`).
    Paragraph(String),
    /// Body text in a larger size, e.g. the name on a certificate (`P`).
    Emphasis(String),
    /// Small print (`P`), e.g. a verification line.
    Small(String),
    /// Vertical space in points.
    Space(f32),
}

/// A document: its language (BCP 47, e.g. `pt`), title, page size in
/// points, margin, alignment, whether a thin frame is drawn, and its flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub lang: String,
    pub title: String,
    pub width: f32,
    pub height: f32,
    pub margin: f32,
    pub align: Align,
    pub frame: bool,
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
    data: &'static [u8],
}

fn faces() -> &'static (Face, Face) {
    static FACES: OnceLock<(Face, Face)> = OnceLock::new();
    FACES.get_or_init(|| {
        let load = |data: &'static [u8]| Face {
            font: Font::new(Arc::new(data.to_vec()).into(), 0).expect("shipped font"),
            data,
        };
        (load(REGULAR), load(BOLD))
    })
}

impl Face {
    /// The width of `text` at `size` points (advances, no kerning: for
    /// breaking lines and centring).
    fn width(&self, text: &str, size: f32) -> f32 {
        let face = ttf_parser::Face::parse(self.data, 0).expect("shipped font");
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
/// than a line stands alone).
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
            if !line.is_empty() && face.width(&candidate, size) > max {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            } else {
                line = candidate;
            }
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
        Block::Title(t) => (t.as_str(), s(26.0, true, 18.0, Some(1))),
        Block::Heading(t) => (t.as_str(), s(16.0, true, 10.0, Some(2))),
        Block::Paragraph(t) => (t.as_str(), s(12.0, false, 10.0, None)),
        Block::Emphasis(t) => (t.as_str(), s(22.0, true, 14.0, None)),
        Block::Small(t) => (t.as_str(), s(9.0, false, 6.0, None)),
        Block::Space(_) => return None,
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

/// Lays out and writes the document; every line of every block is drawn
/// (new pages as needed).
pub fn render(doc: &Doc) -> Result<Vec<u8>, Error> {
    let (regular, bold) = faces();
    let settings = krilla::SerializeSettings {
        enable_tagging: true,
        ..Default::default()
    };
    let mut document = Document::new_with(settings);
    let mut tree = TagTree::new();
    let page_settings = PageSettings::from_wh(doc.width, doc.height).ok_or(Error::PageSize)?;
    let max = doc.width - 2.0 * doc.margin;

    // Lines of each block, positioned page by page.
    struct Placed {
        page: usize,
        y: f32,
        x: f32,
        text: String,
        size: f32,
        bold: bool,
        block: usize,
    }
    let mut placed: Vec<Placed> = Vec::new();
    let mut page = 0;
    let mut y = doc.margin;
    for (i, b) in doc.blocks.iter().enumerate() {
        if let Block::Space(h) = b {
            y += h;
            continue;
        }
        let Some((text, st)) = style(b) else { continue };
        let face = if st.bold { bold } else { regular };
        let leading = st.size * 1.3;
        for line in wrap(face, text, st.size, max) {
            if y + leading > doc.height - doc.margin {
                page += 1;
                y = doc.margin;
            }
            y += leading;
            let w = face.width(&line, st.size);
            let x = match doc.align {
                Align::Left => doc.margin,
                Align::Center => (doc.width - w) / 2.0,
            };
            placed.push(Placed {
                page,
                y,
                x,
                text: line,
                size: st.size,
                bold: st.bold,
                block: i,
            });
        }
        y += st.gap_after;
    }

    let mut groups: Vec<Option<TagGroup>> = doc
        .blocks
        .iter()
        .map(|b| {
            style(b).map(|(_, st)| {
                TagGroup::new(match st.heading {
                    Some(level) => {
                        let tag: krilla::tagging::TagKind =
                            Tag::Hn(NonZeroU16::new(level).expect("level"), Some(b_text(b))).into();
                        tag
                    }
                    None => Tag::P.into(),
                })
            })
        })
        .collect();
    let pages = placed.last().map(|p| p.page + 1).unwrap_or(1);
    let ink = Fill {
        paint: rgb::Color::new(0x1a, 0x1a, 0x1a).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    };
    for p in 0..pages {
        let mut pg = document.start_page_with(page_settings.clone());
        let mut surface = pg.surface();
        if doc.frame {
            frame(&mut surface, doc);
        }
        surface.set_fill(Some(ink.clone()));
        for line in placed.iter().filter(|l| l.page == p) {
            let face = if line.bold { bold } else { regular };
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            surface.draw_text(
                Point::from_xy(line.x, line.y),
                face.font.clone(),
                line.size,
                &line.text,
                false,
                TextDirection::Auto,
            );
            surface.end_tagged();
            if let Some(Some(g)) = groups.get_mut(line.block) {
                g.push(id);
            }
        }
        surface.finish();
        pg.finish();
    }
    for g in groups.into_iter().flatten() {
        tree.push(g);
    }
    document.set_tag_tree(tree);
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(doc.title.clone())
            .language(doc.lang.clone())
            .creator("Faro".into()),
    );
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
}
