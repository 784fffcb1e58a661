//! A governance document as Markdown: headings, pipe tables, bold questions
//! with their responses in italics, as in the seeds.

use std::fmt::Write;

use super::{Block, Document};

/// Markdown's special characters in running text, escaped.
fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '#') {
            out.push('\\');
        }
        out.push(character);
    }
    out.replace('\n', "  \n")
}

fn cell(value: &str) -> String {
    text(value).replace("  \n", "<br>")
}

/// The whole document as Markdown.
pub fn render(document: &Document) -> String {
    let mut out = String::new();
    for block in &document.blocks {
        match block {
            Block::Heading(level, heading) => {
                let _ = writeln!(out, "{} {}\n", "#".repeat(usize::from(*level)), text(heading));
            }
            Block::Paragraph(body) => {
                for paragraph in body.split("\n\n").map(str::trim).filter(|paragraph| !paragraph.is_empty()) {
                    let _ = writeln!(out, "{}\n", text(paragraph));
                }
            }
            Block::Fields { caption, rows } => {
                let _ = writeln!(out, "| {} | |\n|---|---|", cell(caption));
                for (label, value) in rows {
                    let _ = writeln!(out, "| **{}** | {} |", cell(label), cell(value));
                }
                out.push('\n');
            }
            Block::Table { caption, header, rows } => {
                let _ = writeln!(out, "Table: {}\n", text(caption));
                let _ =
                    writeln!(out, "| {} |", header.iter().map(|heading| cell(heading)).collect::<Vec<_>>().join(" | "));
                let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
                for row in rows {
                    let _ =
                        writeln!(out, "| {} |", row.iter().map(|value| cell(value)).collect::<Vec<_>>().join(" | "));
                }
                out.push('\n');
            }
            Block::Item { lead, body } => {
                let _ = writeln!(out, "- **{}**\n", text(lead));
                for paragraph in body {
                    let _ = writeln!(out, "  *{}*\n", text(paragraph));
                }
            }
            Block::Bullets(entries) => {
                for (plain, emphasised) in entries {
                    let tail = if emphasised.is_empty() { String::new() } else { format!("*{}*", text(emphasised)) };
                    let _ = writeln!(out, "- {}{tail}", text(plain));
                }
                out.push('\n');
            }
        }
    }
    out
}
