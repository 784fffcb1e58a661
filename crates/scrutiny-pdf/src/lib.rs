//! Scrutiny's papers as PDF, typeset in-process by Typst: the document is
//! written as Typst markup from the paper model, charts are embedded as SVG,
//! and the fonts are Typst's own embedded fonts, so no browser, LaTeX or
//! system font is needed at run time and nothing is downloaded.

mod governance;
mod markup;

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use scrutiny_report::governance::Document as GovernanceDocument;
use scrutiny_report::paper::Paper;

pub use governance::governance_markup;
pub use markup::quarterly_markup;

/// Typesetting failed.
#[derive(Debug, thiserror::Error)]
#[error("typesetting the PDF: {message} (this is a bug in Scrutiny: please report it)")]
pub struct Error {
    message: String,
}

/// The fonts every document is set in (Typst's embedded fonts).
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn fonts() -> &'static Fonts {
    static FONTS: std::sync::OnceLock<Fonts> = std::sync::OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
        Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: std::sync::OnceLock<LazyHash<Library>> = std::sync::OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// One document: its main source and the files it refers to (charts).
struct Document {
    main: Source,
    files: HashMap<String, Bytes>,
    today: (i32, u8, u8),
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid virtual path")).intern()
}

impl World for Document {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::NotSource) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = id.get().vpath().get_without_slash();
        self.files.get(path).cloned().ok_or_else(|| FileError::NotFound(path.into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(self.today.0, self.today.1, self.today.2)
    }
}

/// Typesets Typst `markup` with the given files (path → bytes) into a PDF.
pub fn typeset(markup: String, files: HashMap<String, Vec<u8>>, today: (i32, u8, u8)) -> Result<Vec<u8>, Error> {
    let document = Document {
        main: Source::new(file_id("main.typ"), markup),
        files: files.into_iter().map(|(path, bytes)| (path, Bytes::new(bytes))).collect(),
        today,
    };
    let compiled: PagedDocument = typst::compile(&document).output.map_err(|errors| Error {
        message: errors.iter().map(|error| error.message.to_string()).collect::<Vec<_>>().join("; "),
    })?;
    typst_pdf::pdf(&compiled, &typst_pdf::PdfOptions::default()).map_err(|errors| Error {
        message: errors.iter().map(|error| error.message.to_string()).collect::<Vec<_>>().join("; "),
    })
}

/// A paper as PDF: the quarterly paper and the end-of-term report share the
/// document model and its markup (the term report's tables are calendar years).
pub fn paper(paper: &Paper, today: (i32, u8, u8)) -> Result<Vec<u8>, Error> {
    let (markup, files) = quarterly_markup(paper);
    typeset(markup, files, today)
}

/// A governance document (questions and responses, meeting notes, a Record of
/// Decision) as PDF, in the same fonts as the papers.
pub fn governance(document: &GovernanceDocument, today: (i32, u8, u8)) -> Result<Vec<u8>, Error> {
    typeset(governance_markup(document), HashMap::new(), today)
}

/// A survey report (`scrutiny survey report --format pdf`): its blocks in
/// the governance documents' model and markup, so the two read alike.
pub fn survey(document: &scrutiny_report::survey::SurveyDocument, today: (i32, u8, u8)) -> Result<Vec<u8>, Error> {
    typeset(governance_markup(&scrutiny_report::survey::document(document)), HashMap::new(), today)
}
