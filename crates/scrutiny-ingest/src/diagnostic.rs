//! Diagnostics for rejected rows, and the error type for unreadable files.

use std::fmt;
use std::path::{Path, PathBuf};

/// Why one row was not stored: file, line, field and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line of the row in the file (the header is line 1).
    pub line: u64,
    /// The column at fault; empty when the row as a whole is at fault.
    pub field: String,
    pub reason: String,
    /// The row as read, fields joined with commas, for the rejects file.
    pub row: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file.display(), self.line)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.reason)
    }
}

/// A file that could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|line| format!(":{line}")).unwrap_or_default())]
pub struct Error {
    pub kind: ErrorKind,
    pub path: PathBuf,
    pub line: Option<u64>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be opened or read.
    Io,
    /// The file is not in the expected format (header, manifest).
    Format,
}

impl Error {
    pub fn io(path: &Path, error: impl fmt::Display) -> Self {
        Self { kind: ErrorKind::Io, path: path.to_path_buf(), line: None, message: error.to_string() }
    }

    pub fn format(path: &Path, line: Option<u64>, message: impl Into<String>) -> Self {
        Self { kind: ErrorKind::Format, path: path.to_path_buf(), line, message: message.into() }
    }
}
