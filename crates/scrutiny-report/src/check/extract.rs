//! The text of a paper file: plain text as is; a .docx's word/document.xml
//! with one line per paragraph and one tab-separated line per table row; a
//! PDF's text layer with one line per line of text and a tab where a wide gap
//! separates two pieces of text on a line (table cells).

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// A meeting paper's format, told by its contents (never its name), and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperText {
    pub format: scrutiny_core::governance::PaperFormat,
    pub text: String,
}

/// Reads an uploaded paper: a PDF (`%PDF-` and a text layer that can be
/// read) or a Word document (a zip with `word/document.xml`); anything else
/// is refused with a sentence saying why.
pub fn paper_text(bytes: &[u8]) -> Result<PaperText, String> {
    use scrutiny_core::governance::PaperFormat;
    if bytes.starts_with(b"%PDF-") {
        let text = pdf(bytes).map_err(|_| "the file starts like a PDF but cannot be read as one".to_string())?;
        return Ok(PaperText { format: PaperFormat::Pdf, text });
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let text = docx(bytes).map_err(|_| "the file is a zip archive but not a Word document (.docx)".to_string())?;
        return Ok(PaperText { format: PaperFormat::Docx, text });
    }
    Err("the file is neither a PDF nor a Word document (.docx)".to_string())
}

/// Plain text: UTF-8 (a byte-order mark is dropped; bytes that are not UTF-8
/// are replaced, so a Windows-1252 export still has its figures).
pub fn plain(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// The text of a .docx file.
pub fn docx(bytes: &[u8]) -> Result<String, String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|error| format!("not a .docx (zip) file: {error}"))?;
    let mut entry = archive
        .by_name("word/document.xml")
        .map_err(|_| "not a Word document: it has no word/document.xml".to_string())?;
    let mut xml = String::new();
    entry.read_to_string(&mut xml).map_err(|error| format!("cannot read word/document.xml: {error}"))?;
    Ok(document_text(&xml))
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(position) = rest.find('&') {
        out.push_str(&rest[..position]);
        let after = &rest[position..];
        let Some(end) = after.find(';').filter(|end| *end <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let entity = &after[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|decimal| decimal.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(character) => {
                out.push(character);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// word/document.xml to lines: paragraphs, and table rows as tab-separated cells.
fn document_text(xml: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut paragraph = String::new();
    let mut in_text = false;
    let mut depth = 0usize;
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        if in_text {
            paragraph.push_str(&decode_entities(&rest[..open]));
        }
        let Some(close) = rest[open..].find('>') else { break };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let closing = tag.starts_with('/');
        let self_closing = tag.ends_with('/');
        let name = tag.trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        match (name, closing) {
            ("w:t", false) => in_text = !self_closing,
            ("w:t", true) => in_text = false,
            ("w:tab", false) => paragraph.push('\t'),
            ("w:br" | "w:cr", false) => paragraph.push(' '),
            ("w:p", true) => {
                if depth > 0 {
                    if !cell.is_empty() && !paragraph.is_empty() {
                        cell.push(' ');
                    }
                    cell.push_str(&paragraph.replace('\t', " "));
                } else {
                    lines.push(std::mem::take(&mut paragraph));
                }
                paragraph.clear();
            }
            ("w:tbl", false) => depth += 1,
            ("w:tbl", true) => depth = depth.saturating_sub(1),
            ("w:tr", false) if depth == 1 => row.clear(),
            ("w:tc", false) if depth == 1 => cell.clear(),
            ("w:tc", true) if depth == 1 => row.push(std::mem::take(&mut cell).trim().to_string()),
            ("w:tr", true) if depth == 1 => lines.push(std::mem::take(&mut row).join("\t")),
            _ => {}
        }
    }
    if !paragraph.is_empty() {
        lines.push(paragraph);
    }
    lines.join("\n")
}

/// A piece of text placed on a page.
struct Piece {
    x: f32,
    y: f32,
    size: f32,
    text: String,
}

fn operand(operation: &lopdf::content::Operation, index: usize) -> f32 {
    operation.operands.get(index).and_then(|object| object.as_float().ok()).unwrap_or(0.0)
}

/// The text layer of a PDF.
pub fn pdf(bytes: &[u8]) -> Result<String, String> {
    let mut document =
        lopdf::Document::load_mem(bytes).map_err(|error| format!("not a PDF that can be read: {error}"))?;
    simplify_to_unicode_maps(&mut document);
    let mut lines: Vec<String> = Vec::new();
    for (_, page) in document.get_pages() {
        let fonts = document.get_page_fonts(page).map_err(|error| format!("cannot read the page's fonts: {error}"))?;
        let encodings: BTreeMap<Vec<u8>, lopdf::Encoding> = fonts
            .into_iter()
            .filter_map(|(name, font)| font.get_font_encoding(&document).ok().map(|encoding| (name, encoding)))
            .collect();
        let content = document.get_page_content(page).map_err(|error| format!("cannot read a page: {error}"))?;
        let content =
            lopdf::content::Content::decode(&content).map_err(|error| format!("cannot read a page's text: {error}"))?;
        let mut pieces: Vec<Piece> = Vec::new();
        let (mut x, mut y, mut line_x, mut line_y) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
        let (mut size, mut scale, mut leading) = (12.0f32, 1.0f32, 0.0f32);
        let mut encoding: Option<&lopdf::Encoding> = None;
        for operation in &content.operations {
            let mut show: Vec<&lopdf::Object> = Vec::new();
            match operation.operator.as_str() {
                "BT" => (x, y, line_x, line_y, scale) = (0.0, 0.0, 0.0, 0.0, 1.0),
                "Tf" => {
                    encoding = operation
                        .operands
                        .first()
                        .and_then(|name| name.as_name().ok())
                        .and_then(|name| encodings.get(name));
                    size = operand(operation, 1);
                }
                "TL" => leading = operand(operation, 0),
                "Td" | "TD" => {
                    if operation.operator == "TD" {
                        leading = -operand(operation, 1);
                    }
                    line_x += operand(operation, 0) * scale;
                    line_y += operand(operation, 1) * scale;
                    (x, y) = (line_x, line_y);
                }
                "Tm" => {
                    scale = operand(operation, 3).abs().max(f32::EPSILON);
                    line_x = operand(operation, 4);
                    line_y = operand(operation, 5);
                    (x, y) = (line_x, line_y);
                }
                "T*" => {
                    line_y -= leading * scale;
                    (x, y) = (line_x, line_y);
                }
                "Tj" | "TJ" => show.extend(operation.operands.iter()),
                "'" | "\"" => {
                    line_y -= leading * scale;
                    (x, y) = (line_x, line_y);
                    show.extend(operation.operands.last());
                }
                _ => {}
            }
            if show.is_empty() {
                continue;
            }
            let Some(encoding) = encoding else { continue };
            let mut text = String::new();
            for object in show {
                match object {
                    lopdf::Object::String(bytes, _) => {
                        text.push_str(&lopdf::Document::decode_text(encoding, bytes).unwrap_or_default());
                    }
                    lopdf::Object::Array(items) => {
                        for item in items {
                            match item {
                                lopdf::Object::String(bytes, _) => {
                                    text.push_str(&lopdf::Document::decode_text(encoding, bytes).unwrap_or_default());
                                }
                                other => {
                                    if other.as_float().is_ok_and(|adjust| adjust < -200.0) {
                                        text.push(' ');
                                    }
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            let width = text.chars().count() as f32 * size * scale * 0.5;
            pieces.push(Piece { x, y, size: size * scale, text });
            x += width;
        }
        lines.extend(layout(pieces));
    }
    Ok(lines.join("\n"))
}

/// Drops the `/CMapVersion` and `/WMode` entries of every ToUnicode CMap:
/// lopdf's CMap parser accepts only `/CIDSystemInfo`, `/CMapName` and
/// `/CMapType` before the mappings, and Typst (so Scrutiny's own PDFs) writes
/// both. Neither changes what a code means as text.
fn simplify_to_unicode_maps(document: &mut lopdf::Document) {
    for object in document.objects.values_mut() {
        let Ok(stream) = object.as_stream_mut() else { continue };
        let Ok(content) = stream.decompressed_content() else { continue };
        if !content.windows(9).any(|window| window == b"begincmap") {
            continue;
        }
        let text = String::from_utf8_lossy(&content);
        let kept: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("/CMapVersion") && !line.trim_start().starts_with("/WMode"))
            .map(|line| format!("{line}\n"))
            .collect();
        stream.set_plain_content(kept.into_bytes());
    }
}

/// Pieces into lines: top to bottom, left to right, a tab across a wide gap.
fn layout(mut pieces: Vec<Piece>) -> Vec<String> {
    pieces.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<Piece>> = Vec::new();
    for piece in pieces {
        match lines.last_mut() {
            Some(line) if (line[0].y - piece.y).abs() <= line[0].size.max(1.0) * 0.3 => line.push(piece),
            _ => lines.push(vec![piece]),
        }
    }
    let mut out = Vec::new();
    let mut previous_y: Option<(f32, f32)> = None;
    for mut line in lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
        let y = line[0].y;
        let size = line[0].size.max(1.0);
        // A gap of more than two lines is a blank line (a new paragraph or table row group).
        if let Some((before, before_size)) = previous_y
            && before - y > before_size.max(size) * 2.0
        {
            out.push(String::new());
        }
        previous_y = Some((y, size));
        let mut text = String::new();
        let mut end = f32::MIN;
        for piece in &line {
            if !text.is_empty() {
                let gap = piece.x - end;
                if gap > piece.size * 2.0 {
                    text.push('\t');
                } else if gap > piece.size * 0.15 && !text.ends_with(' ') && !piece.text.starts_with(' ') {
                    text.push(' ');
                }
            }
            text.push_str(&piece.text);
            end = piece.x + piece.text.chars().count() as f32 * piece.size * 0.5;
        }
        out.push(text.trim_end().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_xml_to_lines() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>3.6 Burglary</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>Recorded Crime</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>May 2024</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t xml:space="preserve">2,850 </w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>Fewer &amp; fewer</w:t><w:tab/><w:t>x</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(document_text(xml), "3.6 Burglary\n\tRecorded Crime\nMay 2024\t2,850\nFewer & fewer\tx");
        assert_eq!(decode_entities("a &lt;b&gt; &#37; &#x25; &bogus; &"), "a <b> % % &bogus; &");
    }
}
