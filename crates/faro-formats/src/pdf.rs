//! Text of PDF files, for search. PDF parsers can fail (or panic) on odd
//! files: any failure gives `None`, never an error for the upload.

/// At most this much text is kept per file.
pub const MAX_CHARS: usize = 200_000;

pub fn text(bytes: &[u8]) -> Option<String> {
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

#[cfg(test)]
mod tests {
    #[test]
    fn extracts_text_and_survives_garbage() {
        let t = super::text(&super::minimal_pdf("Programa de capacitacion virtual")).unwrap();
        assert_eq!(t, "Programa de capacitacion virtual");
        assert_eq!(super::text(b"%PDF-1.4 garbage"), None);
        assert_eq!(super::text(b""), None);
    }
}
