//! A governance document as one self-contained HTML file: inline styles, no
//! external assets, tables with captions and `th scope`, printable on A4.

use std::fmt::Write;

use super::{Block, Document};
use crate::paper::html::escape;

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; color: #0b0c0c; background: #fff; line-height: 1.5; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 2rem; margin: 0 0 .75rem; }
h2 { font-size: 1.5rem; margin: 2rem 0 .5rem; border-bottom: 3px solid #0b0c0c; padding-bottom: .25rem; }
h3 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding-bottom: .4rem; }
th, td { border-bottom: 1px solid #b1b4b6; padding: .35rem .75rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #0b0c0c; }
tbody th { width: 14rem; font-weight: 600; background: #f3f2f1; }
ul.items { padding-left: 1.25rem; }
ul.items > li { margin: 0 0 1rem; }
ul.items > li > strong { display: block; }
ul.items em { display: block; margin-top: .4rem; }
a { color: #1d70b8; }
@media print {
  @page { size: A4; margin: 18mm 15mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  table, li { break-inside: avoid; }
}
"#;

fn text(text: &str) -> String {
    escape(text).replace('\n', "<br>")
}

fn paragraphs(out: &mut String, body: &str) {
    for paragraph in body.split("\n\n").map(str::trim).filter(|paragraph| !paragraph.is_empty()) {
        let _ = writeln!(out, "<p>{}</p>", text(paragraph));
    }
}

/// The whole document as one HTML page.
pub fn render(document: &Document) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(&document.title)
    );
    let mut in_items = false;
    for block in &document.blocks {
        let is_item = matches!(block, Block::Item { .. });
        if in_items && !is_item {
            out.push_str("</ul>\n");
        }
        if is_item && !in_items {
            out.push_str("<ul class=\"items\">\n");
        }
        in_items = is_item;
        match block {
            Block::Heading(level, heading) => {
                let _ = writeln!(out, "<h{level}>{}</h{level}>", text(heading));
            }
            Block::Paragraph(body) => paragraphs(&mut out, body),
            Block::Fields { caption, rows } => {
                let _ = write!(out, "<table>\n<caption>{}</caption>\n<tbody>\n", text(caption));
                for (label, value) in rows {
                    let _ = writeln!(out, "<tr><th scope=\"row\">{}</th><td>{}</td></tr>", text(label), text(value));
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Table { caption, header, rows } => {
                let _ = write!(out, "<table>\n<caption>{}</caption>\n<thead><tr>", text(caption));
                for heading in header {
                    let _ = write!(out, "<th scope=\"col\">{}</th>", text(heading));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        let _ = write!(out, "<td>{}</td>", text(cell));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Item { lead, body } => {
                let _ = write!(out, "<li><strong>{}</strong>", text(lead));
                for paragraph in body {
                    let _ = write!(out, "<em>{}</em>", text(paragraph));
                }
                out.push_str("</li>\n");
            }
            Block::Bullets(entries) => {
                out.push_str("<ul>\n");
                for (plain, emphasised) in entries {
                    let tail =
                        if emphasised.is_empty() { String::new() } else { format!("<em>{}</em>", text(emphasised)) };
                    let _ = writeln!(out, "<li>{}{tail}</li>", text(plain));
                }
                out.push_str("</ul>\n");
            }
        }
    }
    if in_items {
        out.push_str("</ul>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
