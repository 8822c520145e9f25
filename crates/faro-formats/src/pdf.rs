//! Text of PDF files, for search. PDF parsers can fail (or panic) on odd
//! files: any failure gives `None`, never an error for the upload.
//!
//! Decompression bombs: a small PDF can inflate to gigabytes. [`text`]
//! first counts what the file's compressed streams inflate to (stopping
//! at [`MAX_INFLATED`]) and gives up past it; the binary also runs the
//! extraction in a child process with limits on memory and time
//! ([`set_extractor`]), so any parser blow-up ends there.

use std::io::Read;

/// At most this much text is kept per file.
pub const MAX_CHARS: usize = 200_000;

/// At most this many bytes, all compressed streams of one file together,
/// are inflated for text extraction; a file that inflates to more gives no
/// text.
pub const MAX_INFLATED: u64 = 128 << 20;

type Extractor = fn(&[u8]) -> Option<String>;
static EXTRACTOR: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();

/// Where [`text`] sends the parsing (the `faro` binary: a child process
/// with resource limits). Without one it parses in this process.
pub fn set_extractor(f: Extractor) {
    let _ = EXTRACTOR.set(f);
}

/// The text of a PDF for search, within [`MAX_INFLATED`] and, when an
/// extractor is set, within its limits; `None` when there is none or when
/// the file asks for more.
pub fn text(bytes: &[u8]) -> Option<String> {
    if inflated_size(bytes, MAX_INFLATED) > MAX_INFLATED {
        return None;
    }
    match EXTRACTOR.get() {
        Some(f) => f(bytes),
        None => text_in_process(bytes),
    }
}

/// The parsing itself, with no limit of its own (what the child runs).
pub fn text_in_process(bytes: &[u8]) -> Option<String> {
    let result = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    match result {
        Ok(Ok(t)) => {
            let t: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
            let t: String = t.chars().take(MAX_CHARS).collect();
            (!t.is_empty()).then_some(t)
        }
        _ => None,
    }
}

/// What the compressed (zlib/Flate) streams of a PDF inflate to, all
/// together, counted without keeping the output; stops soon after
/// `budget`. Streams compressed twice over (`/Filter [/FlateDecode
/// /FlateDecode]`) are counted through every layer. Every `stream`
/// keyword is tried, whatever its dictionary says, so the count cannot be
/// dodged by a misleading dictionary.
pub fn inflated_size(bytes: &[u8], budget: u64) -> u64 {
    let mut total = 0u64;
    let mut at = 0usize;
    while let Some(p) = find(&bytes[at..], b"stream") {
        let kw = at + p;
        at = kw + 6;
        if kw >= 3 && &bytes[kw - 3..kw] == b"end" {
            continue;
        }
        let mut data = at;
        if bytes.get(data) == Some(&b'\r') {
            data += 1;
        }
        if bytes.get(data) == Some(&b'\n') {
            data += 1;
        }
        let left = budget.saturating_sub(total);
        total += inflate_count(Box::new(&bytes[data.min(bytes.len())..]), left, 0);
        if total > budget {
            return total;
        }
    }
    total
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Bytes a zlib stream gives (through nested zlib layers, at most four),
/// stopping once past `budget`; 0 when it is not zlib.
fn inflate_count(src: Box<dyn Read + '_>, budget: u64, depth: u32) -> u64 {
    let mut d = flate2::read::ZlibDecoder::new(src);
    let mut head = [0u8; 2];
    let mut got = 0;
    while got < 2 {
        match d.read(&mut head[got..]) {
            Ok(0) | Err(_) => return got as u64,
            Ok(n) => got += n,
        }
    }
    let rest = std::io::Cursor::new(head).chain(d);
    // 0x78 then a check byte: a zlib header (RFC 1950).
    if depth < 4 && head[0] == 0x78 && (u16::from(head[0]) << 8 | u16::from(head[1])) % 31 == 0 {
        return inflate_count(Box::new(rest), budget, depth + 1).max(2);
    }
    let mut rest = rest;
    let mut n = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match rest.read(&mut buf) {
            Ok(0) | Err(_) => return n,
            Ok(k) => {
                n += k as u64;
                if n > budget {
                    return n;
                }
            }
        }
    }
}

/// A one-page PDF with `line` as its text (for tests and examples).
pub fn minimal_pdf(line: &str) -> Vec<u8> {
    let content = format!(
        "BT /F1 12 Tf 72 712 Td ({}) Tj ET",
        line.replace(['(', ')', '\\'], " ")
    );
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{}\nendstream", content.len(), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A one-page PDF whose page content is Flate-compressed: `line` as its
/// text, then `padding` bytes of spaces (a large `padding` makes a
/// decompression bomb: spaces compress about 1000 to 1). For tests.
pub fn flate_pdf(line: &str, padding: usize) -> Vec<u8> {
    use std::io::Write;
    let text = format!(
        "BT /F1 12 Tf 72 712 Td ({}) Tj ET\n",
        line.replace(['(', ')', '\\'], " ")
    );
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = z.write_all(text.as_bytes());
    let spaces = vec![b' '; 1 << 20];
    let mut left = padding;
    while left > 0 {
        let n = left.min(spaces.len());
        let _ = z.write_all(&spaces[..n]);
        left -= n;
    }
    let content = z.finish().unwrap_or_default();
    let mut objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
    ];
    let mut stream = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        content.len()
    )
    .into_bytes();
    stream.extend(&content);
    stream.extend(b"\nendstream");
    objs.push(stream);
    objs.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec());
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
fn double_flate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let once = |d: &[u8]| {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = z.write_all(d);
        z.finish().unwrap_or_default()
    };
    once(&once(data))
}

#[cfg(test)]
mod tests {
    #[test]
    fn extracts_text_and_survives_garbage() {
        let t = super::text(&super::minimal_pdf("Programa de capacitacion virtual")).unwrap();
        assert_eq!(t, "Programa de capacitacion virtual");
        assert_eq!(super::text(b"%PDF-1.4 garbage"), None);
        assert_eq!(super::text(b""), None);
    }

    #[test]
    fn compressed_pages_are_read_and_bombs_refused_quickly() {
        let t = super::text(&super::flate_pdf("Formacion profesional comprimida", 0)).unwrap();
        assert_eq!(t, "Formacion profesional comprimida");
        // 300 MB of page content in a few hundred KB.
        let bomb = super::flate_pdf("bomb", 300 << 20);
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        let started = std::time::Instant::now();
        assert!(super::inflated_size(&bomb, super::MAX_INFLATED) > super::MAX_INFLATED);
        assert_eq!(super::text(&bomb), None);
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        // Twice compressed: counted through both layers.
        let double = super::double_flate(&vec![b' '; 200 << 20]);
        assert!(double.len() < 64 * 1024, "{}", double.len());
        let mut pdf =
            b"%PDF-1.4\n1 0 obj << /Filter [/FlateDecode /FlateDecode] >>\nstream\n".to_vec();
        pdf.extend(&double);
        pdf.extend(b"\nendstream\nendobj\n%%EOF\n");
        assert!(super::inflated_size(&pdf, super::MAX_INFLATED) > super::MAX_INFLATED);
        assert_eq!(super::inflated_size(b"%PDF-1.4 stream endstream", 100), 0);
    }
}
