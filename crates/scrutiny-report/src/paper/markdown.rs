//! The paper as Markdown: pipe tables with right-aligned figures, charts as
//! images in `charts/` beside the file, sentences as paragraphs.

use std::fmt::Write;

use super::{Paper, PaperKind, Table, slug};

/// Writes a pipe table.
pub fn table(out: &mut String, table: &Table) {
    let cells = |row: &[String]| {
        format!("| {} |", row.iter().map(|cell| cell.replace('|', "\\|")).collect::<Vec<_>>().join(" | "))
    };
    let _ = writeln!(out, "{}", cells(&table.header));
    let alignment: Vec<&str> = (0..table.header.len()).map(|column| if column == 0 { "---" } else { "---:" }).collect();
    let _ = writeln!(out, "|{}|", alignment.join("|"));
    for row in &table.rows {
        let _ = writeln!(out, "{}", cells(row));
    }
}

/// The chart file name of a measure, relative to the paper.
pub fn chart_path(measure_id: &str) -> String {
    format!("charts/{}.svg", slug(measure_id))
}

/// The chart file of a measure in `paper`, relative to it: the end-of-term
/// report's are `charts/term-<measure>.svg`, so both papers can share a folder.
pub fn paper_chart_path(paper: &Paper, measure_id: &str) -> String {
    match paper.kind {
        PaperKind::Quarterly => chart_path(measure_id),
        PaperKind::Term => format!("charts/term-{}.svg", slug(measure_id)),
    }
}

/// The whole paper. Charts are referenced as `charts/<measure>.svg`.
pub fn render(paper: &Paper) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", paper.title);
    let _ = writeln!(out, "**{}** — {}\n", paper.force, paper.comparison);
    for paragraph in &paper.introduction {
        let _ = writeln!(out, "{paragraph}\n");
    }
    for section in &paper.sections {
        let _ = writeln!(out, "## {}. {}\n", section.number, section.title);
        if section.items.is_empty() && section.returns.is_empty() {
            let _ = writeln!(out, "{}\n", paper.empty_section_text());
        }
        for item in &section.items {
            let _ = writeln!(out, "### {} {}\n", item.number, item.title);
            let _ = writeln!(out, "Table {}: {}\n", item.number, item.table.caption);
            table(&mut out, &item.table);
            out.push('\n');
            for note in &item.notes {
                let _ = writeln!(out, "*{note}*\n");
            }
            let _ = writeln!(out, "{}\n", item.sentences.join(" "));
            let _ = writeln!(
                out,
                "![{}]({})\n",
                item.chart.alt.replace(['[', ']'], ""),
                paper_chart_path(paper, &item.measure_id)
            );
        }
        for item in &section.returns {
            let _ = writeln!(out, "### {} {}\n", item.number, item.title);
            let _ = writeln!(out, "Table {}: {}\n", item.number, item.table.caption);
            table(&mut out, &item.table);
            out.push('\n');
            if !item.sentences.is_empty() {
                let _ = writeln!(out, "{}\n", item.sentences.join(" "));
            }
            for note in &item.notes {
                let _ = writeln!(out, "*{note}*\n");
            }
        }
    }
    if !paper.provenance.is_empty() {
        let _ = writeln!(out, "## About these figures\n");
        for line in &paper.provenance {
            let _ = writeln!(out, "- {line}");
        }
    }
    out
}
