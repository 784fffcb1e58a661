//! Readers for what Scrutiny imports: a force's record-level extract
//! (format v1, docs/extract/), data.police.uk street-level files, returns
//! (docs/returns.md), and survey exports with victim satisfaction returns
//! (docs/surveys.md).
//!
//! A reader returns what it could read plus a [`Diagnostic`] for every row it
//! could not: bad data is not a bug. Problems that make a whole file
//! unreadable (a missing column, an unreadable file) are an [`Error`].

pub mod diagnostic;
pub mod extract;
pub mod police_uk;
mod reader;
pub mod returns;
pub mod survey;

pub use diagnostic::{Diagnostic, Error, ErrorKind};
