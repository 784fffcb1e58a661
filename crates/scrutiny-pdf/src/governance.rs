//! The governance documents (questions and responses, meeting notes, a
//! Record of Decision) as Typst markup: the same [`Document`] the HTML and
//! Markdown renderers take, every text a Typst string literal.

use std::fmt::Write;

use scrutiny_report::governance::{Block, Document};

use crate::markup::string;

const PREAMBLE: &str = r#"
#set page(paper: "a4", margin: (x: 20mm, top: 20mm, bottom: 22mm), numbering: "1 of 1", number-align: center)
#set text(font: "Libertinus Serif", size: 11pt, lang: "en", region: "gb")
#set par(justify: false, leading: 0.6em)
#show heading.where(level: 1): set text(size: 18pt)
#show heading.where(level: 2): set text(size: 14pt)
#show heading.where(level: 3): set text(size: 12pt)
#show figure.where(kind: table): set figure.caption(position: top)
#show figure.caption: set text(size: 9.5pt, weight: "bold")
#show figure: set align(left)
#show figure: set block(breakable: true)
#set table(
  stroke: (x, y) => (bottom: if y == 0 { 0.8pt } else { 0.4pt + luma(160) }),
  inset: (x: 5pt, y: 4pt),
)
"#;

fn paragraphs(out: &mut String, body: &str) {
    for paragraph in body.split("\n\n").map(str::trim).filter(|paragraph| !paragraph.is_empty()) {
        let _ = writeln!(out, "#par({})\n", string(paragraph));
    }
}

/// The markup of a governance document.
pub fn governance_markup(document: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "#set document(title: {}, author: \"Scrutiny\")", string(&document.title));
    out.push_str(PREAMBLE);
    for block in &document.blocks {
        match block {
            Block::Heading(level, heading) => {
                let _ = writeln!(out, "#heading(level: {level}, {})\n", string(heading));
            }
            Block::Paragraph(body) => paragraphs(&mut out, body),
            Block::Fields { caption, rows } => {
                let _ = write!(
                    out,
                    "#figure(kind: table, numbering: none, caption: {}, table(columns: (auto, 1fr), align: left, stroke: (bottom: 0.4pt + luma(160)), fill: (x, y) => if x == 0 {{ luma(240) }}, ",
                    string(caption)
                );
                for (label, value) in rows {
                    let _ = write!(out, "strong({}), {}, ", string(label), string(value));
                }
                out.push_str("))\n\n");
            }
            Block::Table { caption, header, rows } => {
                let columns = vec!["auto"; header.len()].join(", ");
                let _ = write!(
                    out,
                    "#figure(kind: table, numbering: none, caption: {}, table(columns: ({columns},), align: left, table.header(",
                    string(caption)
                );
                for heading in header {
                    let _ = write!(out, "strong({}), ", string(heading));
                }
                out.push_str("), ");
                for row in rows {
                    for cell in row {
                        let _ = write!(out, "{}, ", string(cell));
                    }
                }
                out.push_str("))\n\n");
            }
            Block::Item { lead, body } => {
                let _ = write!(out, "#list(block(breakable: true)[#strong({})", string(lead));
                for paragraph in body {
                    let _ = write!(out, " #parbreak() #emph({})", string(paragraph));
                }
                out.push_str("])\n\n");
            }
            Block::Bullets(entries) => {
                out.push_str("#list(");
                for (plain, emphasised) in entries {
                    let _ = write!(out, "[#{} #emph({})], ", string(plain), string(emphasised));
                }
                out.push_str(")\n\n");
            }
        }
    }
    out
}
