//! The figures check behind `scrutiny check-paper`: reads a board paper
//! (Markdown or plain text, .docx, or a PDF's text layer) and reports
//! arithmetic and wording inconsistencies — a table whose changes, totals or
//! rates do not add up, a sentence whose change, direction, size or month
//! disagrees with the table above it, and a change between two percentages
//! given as "%" where it is percentage points. Anything consistent, and any
//! figure that cannot be tied to a table or to the figures beside it in the
//! same sentence, produces nothing.

mod arithmetic;
mod claims;
mod extract;
mod number;
mod sentences;
mod table;

pub use extract::{PaperText, paper_text};

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// One inconsistency: where it is, what is wrong, the figure as printed and
/// the figure the paper's own numbers give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub file: String,
    /// 1-based line (for a .docx, the paragraph or table row; for a PDF,
    /// the line of its text layer).
    pub line: usize,
    pub message: String,
    pub printed: String,
    pub expected: String,
}

/// A paper that could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct Error {
    pub kind: ErrorKind,
    pub path: PathBuf,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be opened or read.
    Io,
    /// The file's type is not one the check reads.
    Unsupported,
    /// The file is damaged or not what its extension says.
    Format,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Io => "cannot read",
            ErrorKind::Unsupported => "unsupported file type",
            ErrorKind::Format => "cannot read its text",
        })
    }
}

impl Error {
    fn new(kind: ErrorKind, path: &Path, message: impl Into<String>) -> Self {
        Self { kind, path: path.to_path_buf(), message: message.into() }
    }
}

/// Checks a paper given as Markdown or plain text.
pub fn check_text(file_name: &str, text: &str) -> Vec<Finding> {
    let lines: Vec<String> = text.lines().map(|line| line.trim_end_matches('\r').to_string()).collect();
    let tables = table::find_tables(&lines);
    let mut findings = Vec::new();
    let mut in_table = vec![false; lines.len()];
    for table in &tables {
        for flag in &mut in_table[table.first_line - 1..table.last_line] {
            *flag = true;
        }
    }
    let paragraphs = sentences::paragraphs(&lines, &in_table);
    for (index, table) in tables.iter().enumerate() {
        let (table_findings, facts) = arithmetic::check(file_name, table);
        findings.extend(table_findings);
        let next_table = tables.get(index + 1).map_or(lines.len() + 1, |next| next.first_line);
        let scope: Vec<&sentences::Paragraph> = paragraphs
            .iter()
            .filter(|paragraph| paragraph.first_line() > table.last_line && paragraph.first_line() < next_table)
            .take_while(|paragraph| !paragraph.heading)
            .collect();
        findings.extend(sentences::check_against_table(file_name, &facts, &scope));
    }
    for paragraph in paragraphs.iter().filter(|paragraph| !paragraph.heading) {
        findings.extend(sentences::check_on_their_own(file_name, paragraph));
    }
    findings.sort_by(|a, b| a.line.cmp(&b.line).then_with(|| a.message.cmp(&b.message)));
    findings.dedup();
    findings
}

/// Checks a paper file: .md or .txt (UTF-8; other bytes are replaced), .docx
/// (the text of word/document.xml, a table row to a line) or .pdf (its text
/// layer, a line of text to a line).
pub fn check_file(path: &Path) -> Result<Vec<Finding>, Error> {
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let extension = path.extension().map(|extension| extension.to_string_lossy().to_lowercase()).unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|error| Error::new(ErrorKind::Io, path, error.to_string()))?;
    let text = match extension.as_str() {
        "md" | "markdown" | "txt" | "text" => extract::plain(&bytes),
        "docx" => extract::docx(&bytes).map_err(|message| Error::new(ErrorKind::Format, path, message))?,
        "pdf" => extract::pdf(&bytes).map_err(|message| Error::new(ErrorKind::Format, path, message))?,
        other => {
            return Err(Error::new(
                ErrorKind::Unsupported,
                path,
                format!("cannot check a .{other} file: give a .md, .txt, .docx or .pdf paper"),
            ));
        }
    };
    Ok(check_text(&name, &text))
}
