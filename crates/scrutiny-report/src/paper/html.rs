//! The paper as one self-contained HTML file: styles inline, charts as inline
//! SVG, no external assets. Tables have captions and header cells with scope;
//! charts have a title and description; the page prints well on A4.

use std::fmt::Write;

use super::{Paper, Table, chart, slug};

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; color: #0b0c0c; background: #fff; line-height: 1.5; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 2rem; margin: 0 0 .25rem; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 .5rem; border-bottom: 3px solid #0b0c0c; padding-bottom: .25rem; }
h3 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
.meta { font-size: 1.1rem; color: #0b0c0c; margin: 0 0 1rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; min-width: 60%; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: .4rem; }
th, td { border-bottom: 1px solid #b1b4b6; padding: .35rem .75rem; }
thead th { border-bottom: 2px solid #0b0c0c; text-align: right; vertical-align: bottom; }
thead th:first-child, tbody th { text-align: left; font-weight: 600; white-space: nowrap; }
td { text-align: right; }
tbody tr:last-child th, tbody tr:last-child td { font-weight: 700; border-bottom: 2px solid #0b0c0c; }
figure { margin: 1rem 0 2rem; }
figure svg { max-width: 100%; height: auto; border: 1px solid #b1b4b6; }
figcaption { font-size: .95rem; color: #0b0c0c; }
.note { font-size: .95rem; color: #383f43; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fd0; padding: .5rem; }
nav ol { padding-left: 1.25rem; }
a { color: #1d70b8; }
a:focus { outline: 3px solid #fd0; background: #fd0; color: #0b0c0c; }
.scroll { overflow-x: auto; }
.scroll:focus { outline: 3px solid #1d4f91; outline-offset: 1px; }
@media print {
  @page { size: A4; margin: 18mm 15mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav, .skip { display: none; }
  h2 { break-before: page; }
  section.item, table, figure { break-inside: avoid; }
  a { color: #0b0c0c; text-decoration: none; }
}
"#;

/// A table with a caption ("Table 1.1: …", numbered as in every format), column headers and row headers.
pub fn table(out: &mut String, table: &Table, number: &str, id: &str) {
    let _ = write!(
        out,
        // The box scrolls sideways on a narrow screen, so it takes keyboard focus (WCAG 2.1.1).
        "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table {number}\"><table id=\"{}\"><caption>Table {number}: {}</caption><thead><tr>",
        escape(id),
        escape(&table.caption),
        number = escape(number),
    );
    for (column, heading) in table.header.iter().enumerate() {
        let text = if column == 0 && heading.is_empty() { "Period" } else { heading.as_str() };
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(text));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        out.push_str("<tr>");
        for (column, cell) in row.iter().enumerate() {
            if column == 0 {
                let _ = write!(out, "<th scope=\"row\">{}</th>", escape(cell));
            } else {
                let _ = write!(out, "<td>{}</td>", escape(cell));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>\n");
}

/// The measures and returns tables of one section, each headed at level
/// `heading` (3 in the paper, 2 on a page of its own such as the portal's).
pub fn section_items(out: &mut String, paper: &Paper, section: &super::Section, heading: u8) {
    if section.items.is_empty() && section.returns.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(paper.empty_section_text()));
    }
    for item in &section.items {
        let id = slug(&item.measure_id);
        let _ = writeln!(
            out,
            "<section class=\"item\" aria-labelledby=\"{id}\"><h{heading} id=\"{id}\">{} {}</h{heading}>",
            escape(&item.number),
            escape(&item.title)
        );
        table(out, &item.table, &item.number, &format!("table-{id}"));
        for note in &item.notes {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
        }
        let _ = writeln!(out, "<p>{}</p>", escape(&item.sentences.join(" ")));
        let _ = writeln!(
            out,
            "<figure>{}<figcaption>Figure {}: {}</figcaption></figure></section>",
            chart::svg(&item.chart),
            escape(&item.number),
            escape(&item.chart.alt)
        );
    }
    for item in &section.returns {
        let id = format!("returns-{}", slug(&item.id));
        let _ = writeln!(
            out,
            "<section class=\"item\" aria-labelledby=\"{id}\"><h{heading} id=\"{id}\">{} {}</h{heading}>",
            escape(&item.number),
            escape(&item.title)
        );
        table(out, &item.table, &item.number, &format!("table-{id}"));
        if !item.sentences.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", escape(&item.sentences.join(" ")));
        }
        for note in &item.notes {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
        }
        out.push_str("</section>\n");
    }
}

/// The whole paper as one HTML document.
pub fn render(paper: &Paper) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#content\">Skip to the figures</a>\n<main id=\"content\">\n",
        escape(&paper.title),
        escape(&paper.force)
    );
    let _ = writeln!(
        out,
        "<h1>{}</h1>\n<p class=\"meta\"><strong>{}</strong> — {}</p>",
        escape(&paper.title),
        escape(&paper.force),
        escape(&paper.comparison)
    );
    for paragraph in &paper.introduction {
        let _ = writeln!(out, "<p>{}</p>", escape(paragraph));
    }
    out.push_str("<nav aria-label=\"Contents\"><h2 style=\"break-before:auto\">Contents</h2><ol>");
    for section in &paper.sections {
        let _ = write!(out, "<li><a href=\"#priority-{}\">{}</a></li>", section.number, escape(&section.title));
    }
    out.push_str("</ol></nav>\n");
    for section in &paper.sections {
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"priority-{0}\"><h2 id=\"priority-{0}\">{0}. {1}</h2>",
            section.number,
            escape(&section.title)
        );
        section_items(&mut out, paper, section, 3);
        out.push_str("</section>\n");
    }
    if !paper.provenance.is_empty() {
        out.push_str("<h2 style=\"break-before:auto\">About these figures</h2><ul>");
        for line in &paper.provenance {
            let _ = write!(out, "<li>{}</li>", escape(line));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
