//! The paper model written as Typst markup. Every text from the paper goes in
//! as a Typst string literal, so nothing in it can be read as markup.

use std::collections::HashMap;
use std::fmt::Write;

use scrutiny_report::paper::{Paper, Table, chart, markdown};

/// A Typst string literal.
pub(crate) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

const PREAMBLE: &str = r#"
#set page(paper: "a4", margin: (x: 18mm, top: 20mm, bottom: 22mm), numbering: "1 of 1", number-align: center)
#set text(font: "Libertinus Serif", size: 10.5pt, lang: "en", region: "gb")
#set par(justify: false, leading: 0.6em)
#set heading(numbering: none)
#show heading.where(level: 1): set text(size: 20pt)
#show heading.where(level: 2): it => { pagebreak(weak: true); block(below: 1em, text(size: 15pt, it)) }
#show heading.where(level: 3): set text(size: 12.5pt)
#show figure.where(kind: table): set figure.caption(position: top)
#show figure.caption: set text(size: 9.5pt)
#set table(
  stroke: (x, y) => (bottom: if y == 0 { 0.8pt } else { 0.4pt + luma(160) }),
  inset: (x: 5pt, y: 4pt),
)
"#;

/// A table figure captioned "Table 1.1: …" (numbered as in every format, so
/// Typst's own figure numbering is off), its last row in bold when it is a total.
fn table(out: &mut String, table: &Table, number: &str, bold_last: bool) {
    let columns = table.header.len();
    let align: Vec<&str> = (0..columns).map(|column| if column == 0 { "left" } else { "right" }).collect();
    let _ = write!(
        out,
        "#figure(kind: table, numbering: none, caption: {}, table(columns: {columns}, align: ({},), table.header(",
        string(&format!("Table {number}: {}", table.caption)),
        align.join(", ")
    );
    for heading in &table.header {
        let heading = if heading.is_empty() { "Period" } else { heading.as_str() };
        let _ = write!(out, "strong({}), ", string(heading));
    }
    out.push_str("), ");
    for (index, row) in table.rows.iter().enumerate() {
        let last = bold_last && index + 1 == table.rows.len();
        for cell in row {
            if last {
                let _ = write!(out, "strong({}), ", string(cell));
            } else {
                let _ = write!(out, "{}, ", string(cell));
            }
        }
    }
    out.push_str("))\n\n");
}

/// The markup and the files it refers to.
pub fn quarterly_markup(paper: &Paper) -> (String, HashMap<String, Vec<u8>>) {
    let mut out = String::new();
    let mut files = HashMap::new();
    let _ = writeln!(
        out,
        "#set document(title: {}, author: \"Scrutiny\")",
        string(&format!("{} — {}", paper.title, paper.force))
    );
    out.push_str(PREAMBLE);
    let _ = writeln!(out, "#heading(level: 1, {})\n", string(&paper.title));
    let _ = writeln!(
        out,
        "#text(size: 12pt, strong({})) #text(size: 12pt, {})\n",
        string(&paper.force),
        string(&format!("— {}", paper.comparison))
    );
    for paragraph in &paper.introduction {
        let _ = writeln!(out, "#{}\n", string(paragraph));
    }
    out.push_str("#outline(title: \"Contents\", depth: 2)\n\n");
    for section in &paper.sections {
        let _ = writeln!(out, "#heading(level: 2, {})\n", string(&format!("{}. {}", section.number, section.title)));
        if section.items.is_empty() && section.returns.is_empty() {
            let _ = writeln!(out, "#{}\n", string(paper.empty_section_text()));
        }
        for item in &section.items {
            let _ = writeln!(
                out,
                "#block(breakable: true)[\n#heading(level: 3, {})\n",
                string(&format!("{} {}", item.number, item.title))
            );
            table(&mut out, &item.table, &item.number, true);
            for note in &item.notes {
                let _ = writeln!(out, "#text(size: 9pt, emph({}))\n", string(note));
            }
            let _ = writeln!(out, "#{}\n", string(&item.sentences.join(" ")));
            let path = markdown::paper_chart_path(paper, &item.measure_id);
            files.insert(path.clone(), chart::svg_with_font(&item.chart, "Libertinus Serif").into_bytes());
            let _ = writeln!(
                out,
                "#figure(image({}, width: 100%, alt: {}), numbering: none, caption: {})\n]\n",
                string(&path),
                string(&item.chart.alt),
                string(&format!("Figure {}: {}", item.number, item.chart.title))
            );
        }
        for item in &section.returns {
            let _ = writeln!(
                out,
                "#block(breakable: true)[\n#heading(level: 3, {})\n",
                string(&format!("{} {}", item.number, item.title))
            );
            table(&mut out, &item.table, &item.number, item.total_row);
            if !item.sentences.is_empty() {
                let _ = writeln!(out, "#{}\n", string(&item.sentences.join(" ")));
            }
            for note in &item.notes {
                let _ = writeln!(out, "#text(size: 9pt, emph({}))\n", string(note));
            }
            out.push_str("]\n\n");
        }
    }
    if !paper.provenance.is_empty() {
        let _ = writeln!(out, "#heading(level: 2, \"About these figures\")\n");
        for line in &paper.provenance {
            let _ = writeln!(out, "- #{}", string(line));
        }
    }
    (out, files)
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_cannot_break_out() {
        assert_eq!(super::string("a \"quoted\" \\ #thing"), "\"a \\\"quoted\\\" \\\\ #thing\"");
    }
}
