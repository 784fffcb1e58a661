//! Force extract format v1 (docs/extract/): `extract.json` plus crimes,
//! outcomes, suspect activity and ASB CSV files.

use compact_str::CompactString;
use std::hash::{BuildHasher, Hash};
use std::path::{Path, PathBuf};

use hashbrown::hash_table::{self, HashTable};
use rustc_hash::FxBuildHasher;
use serde::Deserialize;

use scrutiny_core::definitions::{AsbType, Definitions, SuspectEvent};
use scrutiny_core::flags::Flags;
use scrutiny_core::records::{AsbIncident, Crime, CrimeStatus, Date, Outcome, SuspectActivity};
use scrutiny_core::{Period, YearMonth};

use crate::reader::{self, csv_reader, map_header, row_text};
use crate::{Diagnostic, Error};

pub const MANIFEST_NAME: &str = "extract.json";
pub const FORMAT_NAME: &str = "scrutiny-force-extract";

/// What `extract.json` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub path: PathBuf,
    pub force: String,
    pub system: String,
    pub extracted_on: Date,
    pub covers: Period,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    format: String,
    version: u32,
    force: String,
    #[serde(default)]
    system: String,
    extracted_on: String,
    covers: RawCovers,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCovers {
    from: String,
    to: String,
}

impl Manifest {
    pub fn read(path: &Path) -> Result<Manifest, Error> {
        let text = std::fs::read_to_string(path).map_err(|error| Error::io(path, error))?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Manifest, Error> {
        let raw: RawManifest = serde_json::from_str(text)
            .map_err(|error| Error::format(path, Some(error.line() as u64), error.to_string()))?;
        if raw.format != FORMAT_NAME {
            return Err(Error::format(path, None, format!("format: '{}' is not '{FORMAT_NAME}'", raw.format)));
        }
        if raw.version != 1 {
            return Err(Error::format(
                path,
                None,
                format!("version: {} is not supported (this Scrutiny reads version 1)", raw.version),
            ));
        }
        if raw.force.trim().is_empty() {
            return Err(Error::format(path, None, "force: empty (name the force, e.g. \"Kent\")"));
        }
        let extracted_on = Date::parse(&raw.extracted_on)
            .map_err(|error| Error::format(path, None, format!("extracted_on: {error}")))?;
        let month = |field: &str, text: &str| {
            text.parse::<YearMonth>().map_err(|error| Error::format(path, None, format!("covers.{field}: {error}")))
        };
        let covers = Period::new(month("from", &raw.covers.from)?, month("to", &raw.covers.to)?)
            .map_err(|error| Error::format(path, None, format!("covers: {error}")))?;
        if covers.to > extracted_on.year_month() {
            return Err(Error::format(
                path,
                None,
                format!("covers.to: {} is after the extract date {extracted_on}", covers.to),
            ));
        }
        Ok(Manifest {
            path: path.to_path_buf(),
            force: raw.force.trim().to_string(),
            system: raw.system,
            extracted_on,
            covers,
        })
    }
}

/// The kinds of file in an extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Crimes,
    Outcomes,
    SuspectActivity,
    Asb,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Crimes => "crimes",
            Self::Outcomes => "outcomes",
            Self::SuspectActivity => "suspect-activity",
            Self::Asb => "asb",
        }
    }

    fn of(path: &Path) -> Option<FileKind> {
        if !reader::is_csv(path) {
            return None;
        }
        let stem = reader::stem(path);
        // Longest prefix first: "suspect-activity" before anything shorter.
        [Self::SuspectActivity, Self::Outcomes, Self::Crimes, Self::Asb]
            .into_iter()
            .find(|kind| stem.starts_with(kind.name()))
    }
}

/// The files of one extract: a manifest and the CSV files it governs.
#[derive(Debug, Clone)]
pub struct ExtractFiles {
    pub manifest: PathBuf,
    /// Sorted: crimes first, so outcomes can find their crimes.
    pub files: Vec<(FileKind, PathBuf)>,
}

/// What a folder holds.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub extracts: Vec<ExtractFiles>,
    /// Files that are not part of any extract, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Finds every extract under `dir`: each CSV file belongs to the nearest
/// `extract.json` in its folder or above (up to `dir`).
pub fn discover(dir: &Path) -> Result<Discovery, Error> {
    if !dir.is_dir() {
        return Err(Error::io(dir, "not a folder"));
    }
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|error| Error::io(dir, error))?;
        if entry.file_type().is_file() {
            paths.push(entry.into_path());
        }
    }
    let manifests: Vec<PathBuf> =
        paths.iter().filter(|path| path.file_name().is_some_and(|name| name == MANIFEST_NAME)).cloned().collect();
    let mut extracts: Vec<ExtractFiles> =
        manifests.iter().map(|manifest| ExtractFiles { manifest: manifest.clone(), files: Vec::new() }).collect();
    let mut skipped = Vec::new();
    for path in paths {
        if path.file_name().is_some_and(|name| name == MANIFEST_NAME) {
            continue;
        }
        // A returns folder (docs/returns.md) is imported by `scrutiny import returns`.
        let in_returns = path
            .ancestors()
            .skip(1)
            .take_while(|folder| folder.starts_with(dir))
            .any(|folder| folder.join(crate::returns::MANIFEST_NAME).is_file());
        if in_returns {
            continue;
        }
        let Some(kind) = FileKind::of(&path) else {
            skipped.push((path, "not an extract file (crimes*, outcomes*, suspect-activity*, asb*.csv)".to_string()));
            continue;
        };
        let owner = path
            .ancestors()
            .skip(1)
            .take_while(|folder| folder.starts_with(dir))
            .find_map(|folder| extracts.iter().position(|extract| extract.manifest.parent() == Some(folder)));
        match owner {
            Some(index) => extracts[index].files.push((kind, path)),
            None => skipped.push((path, format!("no {MANIFEST_NAME} in its folder or above, so its force is unknown"))),
        }
    }
    for extract in &mut extracts {
        extract.files.sort();
    }
    Ok(Discovery { extracts, skipped })
}

/// Where a record came from: an index into [`Extract::files`] and a line,
/// packed into eight bytes (every record read carries one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin(u64);

impl Origin {
    /// Bits of the line number: lines up to about 1.1 × 10¹², files up to 16.7 million.
    const LINE_BITS: u32 = 40;

    /// The origin `line` of file `file`; `None` past the limits above.
    pub fn new(file: u32, line: u64) -> Option<Origin> {
        (file < 1 << (64 - Self::LINE_BITS) && line < 1 << Self::LINE_BITS)
            .then(|| Origin(u64::from(file) << Self::LINE_BITS | line))
    }

    /// The file, as an index into [`Extract::files`].
    pub fn file(self) -> usize {
        (self.0 >> Self::LINE_BITS) as usize
    }

    pub fn line(self) -> u64 {
        self.0 & ((1 << Self::LINE_BITS) - 1)
    }
}

/// What was read from one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    pub path: PathBuf,
    pub kind: FileKind,
    pub rows: u64,
    pub rejected: u64,
    /// Rows identical to an earlier row of this extract, counted once.
    pub repeated: u64,
}

/// Everything read from one extract.
#[derive(Debug, Clone)]
pub struct Extract {
    pub manifest: Manifest,
    pub files: Vec<FileSummary>,
    /// The crimes (see [`Extract::crimes`]).
    crimes: CrimeTable,
    pub outcomes: Vec<(Outcome, Origin)>,
    pub activities: Vec<(SuspectActivity, Origin)>,
    pub asb: Vec<(AsbIncident, Origin)>,
    pub rejects: Vec<Diagnostic>,
}

impl Extract {
    /// The crime `reference`, if this extract has it.
    pub fn crime(&self, reference: &str) -> Option<&Crime> {
        self.crimes.get(reference).map(|(crime, _)| crime)
    }

    /// Every crime read, each once, in file order, with where it was read.
    pub fn crimes(&self) -> impl Iterator<Item = &(Crime, Origin)> {
        self.crimes.runs.iter().flatten()
    }

    /// The crimes as they were read, in consecutive runs (a large file is
    /// read in two halves side by side): [`Extract::crimes`] is these in order.
    pub fn crime_chunks(&self) -> impl Iterator<Item = &[(Crime, Origin)]> {
        self.crimes.runs.iter().filter(|run| !run.is_empty()).map(Vec::as_slice)
    }

    pub fn crime_count(&self) -> usize {
        self.crimes.len()
    }

    pub fn origin_text(&self, origin: Origin) -> String {
        format!("{}:{}", self.files[origin.file()].path.display(), origin.line())
    }

    /// Which sources the extract supplies (a missing file means that source is not supplied).
    pub fn kinds(&self) -> Vec<FileKind> {
        let mut kinds: Vec<FileKind> = self.files.iter().map(|file| file.kind).collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }
}

const CRIME_COLUMNS: [&str; 10] = [
    "crime_reference",
    "recorded_date",
    "offence_code",
    "district",
    "domestic_abuse",
    "hate_crime",
    "child_protection",
    "adult_protection",
    "knife_or_sharp_instrument",
    "status",
];
const OUTCOME_COLUMNS: [&str; 3] = ["crime_reference", "outcome_type", "outcome_date"];
const ACTIVITY_COLUMNS: [&str; 3] = ["crime_reference", "event", "event_date"];
const ASB_COLUMNS: [&str; 4] = ["incident_reference", "incident_date", "asb_type", "district"];

/// The columns of each file, with the page of docs/extract/ that documents them.
pub fn columns() -> [(&'static str, &'static [&'static str]); 4] {
    [
        ("crimes.md", &CRIME_COLUMNS),
        ("outcomes.md", &OUTCOME_COLUMNS),
        ("suspect-activity.md", &ACTIVITY_COLUMNS),
        ("asb.md", &ASB_COLUMNS),
    ]
}

/// Reads one extract. Rows that cannot be read exactly are rejected with a diagnostic.
pub fn read(files: &ExtractFiles, definitions: &Definitions) -> Result<Extract, Error> {
    read_with_progress(files, definitions, &|_| {})
}

/// Like [`read`], calling `progress` with each file as it starts. Files of
/// different kinds are read in parallel; each kind's files in order.
pub fn read_with_progress(
    files: &ExtractFiles,
    definitions: &Definitions,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<Extract, Error> {
    let manifest = Manifest::read(&files.manifest)?;
    let paths: Vec<PathBuf> = files.files.iter().map(|(_, path)| path.clone()).collect();
    let kinds = [FileKind::Crimes, FileKind::Outcomes, FileKind::SuspectActivity, FileKind::Asb];
    let partials: Vec<Result<Extract, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = kinds
            .iter()
            .map(|kind| {
                let numbered: Vec<(u32, &PathBuf)> = files
                    .files
                    .iter()
                    .enumerate()
                    .filter(|(_, (file_kind, _))| file_kind == kind)
                    .map(|(number, (_, path))| (number as u32, path))
                    .collect();
                let (manifest, paths) = (&manifest, &paths);
                scope.spawn(move || read_kind(*kind, &numbered, paths, definitions, manifest, progress))
            })
            .collect();
        handles.into_iter().map(|handle| handle.join().expect("a reader thread panicked")).collect()
    });
    let mut extract = Extract::empty(manifest);
    let mut summaries: Vec<Option<FileSummary>> = vec![None; paths.len()];
    for partial in partials {
        let partial = partial?;
        for summary in partial.files {
            let number = paths.iter().position(|path| *path == summary.path).expect("a file of this extract");
            summaries[number] = Some(summary);
        }
        if partial.crimes.len() > 0 {
            assert!(extract.crimes.len() == 0, "crimes come from one reader");
            extract.crimes = partial.crimes;
        }
        // Each kind comes from one reader: its records are moved, not copied.
        append(&mut extract.outcomes, partial.outcomes);
        append(&mut extract.activities, partial.activities);
        append(&mut extract.asb, partial.asb);
        append(&mut extract.rejects, partial.rejects);
    }
    extract.files = summaries.into_iter().map(|summary| summary.expect("every file was read")).collect();
    extract.rejects.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    Ok(extract)
}

/// Adds `more` to the end of `all`, moving the whole vector when `all` is empty.
fn append<T>(all: &mut Vec<T>, mut more: Vec<T>) {
    if all.is_empty() {
        *all = more;
    } else {
        all.append(&mut more);
    }
}

impl Extract {
    fn empty(manifest: Manifest) -> Extract {
        Extract {
            manifest,
            files: Vec::new(),
            crimes: CrimeTable::default(),
            outcomes: Vec::new(),
            activities: Vec::new(),
            asb: Vec::new(),
            rejects: Vec::new(),
        }
    }
}

/// The records of one kind read so far, each once, in file order, found
/// again by a key borrowed from the record itself (so no key is copied).
#[derive(Debug, Clone)]
struct Unique<T> {
    records: Vec<(T, Origin)>,
    /// Positions in `records` (four bytes each: one extract holds fewer than 2³² records of a kind).
    positions: HashTable<u32>,
}

/// The crimes read so far, each once, in file order: in runs (a large
/// file's second half is read side by side into a run of its own), with one
/// index by reference over them all.
#[derive(Debug, Clone, Default)]
struct CrimeTable {
    runs: Vec<Vec<(Crime, Origin)>>,
    /// The position of each run's first crime.
    starts: Vec<usize>,
    /// Positions over all runs (four bytes each: an extract holds fewer than 2³² crimes).
    index: HashTable<u32>,
}

/// The crime at `position` of `runs` starting at `starts`.
fn crime_at<'a>(runs: &'a [Vec<(Crime, Origin)>], starts: &[usize], position: u32) -> &'a (Crime, Origin) {
    let position = position as usize;
    let run = starts.partition_point(|&start| start <= position) - 1;
    &runs[run][position - starts[run]]
}

fn reference_hash(reference: &str) -> u64 {
    FxBuildHasher.hash_one(reference)
}

impl CrimeTable {
    /// Room for `capacity` crimes in the first run.
    fn with_capacity(capacity: usize) -> Self {
        Self { runs: vec![Vec::with_capacity(capacity)], starts: vec![0], index: HashTable::with_capacity(capacity) }
    }

    fn len(&self) -> usize {
        self.starts.last().zip(self.runs.last()).map(|(start, run)| start + run.len()).unwrap_or(0)
    }

    /// The crime `reference`, with where it was read.
    fn get(&self, reference: &str) -> Option<&(Crime, Origin)> {
        let Self { runs, starts, index } = self;
        index
            .find(reference_hash(reference), |&position| crime_at(runs, starts, position).0.reference == reference)
            .map(|&position| crime_at(runs, starts, position))
    }

    /// Adds `crime` to the last run unless one with its reference is there
    /// already: then gives `crime` back with the earlier one.
    fn insert(&mut self, crime: Crime, origin: Origin) -> Result<(), (Crime, &(Crime, Origin))> {
        let position = self.len() as u32;
        let Self { runs, starts, index } = self;
        let hash = reference_hash(&crime.reference);
        match index.entry(
            hash,
            |&at| crime_at(runs, starts, at).0.reference == crime.reference,
            |&at| reference_hash(&crime_at(runs, starts, at).0.reference),
        ) {
            hash_table::Entry::Occupied(slot) => Err((crime, crime_at(runs, starts, *slot.get()))),
            hash_table::Entry::Vacant(slot) => {
                // read_rows stops before the 2³²nd crime.
                slot.insert(position);
                runs.last_mut().expect("a table has a run").push((crime, origin));
                Ok(())
            }
        }
    }

    /// Adds `run` (unique within itself) as the next run, indexing it in the
    /// same pass that finds the crimes the table held already: those are
    /// left out and returned, each with the crime held first.
    fn append(&mut self, run: Vec<(Crime, Origin)>) -> Vec<(Crime, Origin, (Crime, Origin))> {
        let start = self.len();
        self.runs.push(run);
        self.starts.push(start);
        let mut repeated: Vec<u32> = Vec::new();
        {
            let Self { runs, starts, index } = &mut *self;
            let run = runs.last().expect("just pushed");
            for (offset, (crime, _)) in run.iter().enumerate() {
                let position = (start + offset) as u32;
                match index.entry(
                    reference_hash(&crime.reference),
                    |&at| crime_at(runs, starts, at).0.reference == crime.reference,
                    |&at| reference_hash(&crime_at(runs, starts, at).0.reference),
                ) {
                    hash_table::Entry::Occupied(_) => repeated.push(position),
                    hash_table::Entry::Vacant(slot) => {
                        slot.insert(position);
                    }
                }
            }
        }
        if repeated.is_empty() {
            return Vec::new();
        }
        // Rare: take the repeats out of the run and index the table afresh.
        let run = self.runs.pop().expect("just pushed");
        self.starts.pop();
        let mut kept = Vec::with_capacity(run.len() - repeated.len());
        let mut repeats = Vec::with_capacity(repeated.len());
        let mut next = repeated.iter().peekable();
        for (offset, record) in run.into_iter().enumerate() {
            if next.peek().is_some_and(|&&position| position as usize == start + offset) {
                next.next();
                repeats.push(record);
            } else {
                kept.push(record);
            }
        }
        self.runs.push(kept);
        self.starts.push(start);
        let Self { runs, starts, index } = &mut *self;
        index.clear();
        for position in 0..(start + runs.last().map_or(0, Vec::len)) as u32 {
            let hash = reference_hash(&crime_at(runs, starts, position).0.reference);
            index.insert_unique(hash, position, |&at| reference_hash(&crime_at(runs, starts, at).0.reference));
        }
        repeats
            .into_iter()
            .map(|(crime, origin)| {
                let first = self.get(&crime.reference).expect("a repeat of a crime held").clone();
                (crime, origin, first)
            })
            .collect()
    }
}

impl<T> Unique<T> {
    /// Room for `capacity` records, so that reading a file does not grow the tables.
    fn with_capacity(capacity: usize) -> Self {
        Self { records: Vec::with_capacity(capacity), positions: HashTable::with_capacity(capacity) }
    }

    /// Adds `record` unless one with the same `key` is there already: then
    /// gives `record` back with the earlier one and its origin.
    fn insert<K: Hash + Eq + ?Sized>(
        &mut self,
        record: T,
        origin: Origin,
        key: impl Fn(&T) -> &K,
    ) -> Result<(), (T, &(T, Origin))> {
        let Self { records, positions } = self;
        let hash = FxBuildHasher.hash_one(key(&record));
        match positions.entry(
            hash,
            |&index| key(&records[index as usize].0) == key(&record),
            |&index| FxBuildHasher.hash_one(key(&records[index as usize].0)),
        ) {
            hash_table::Entry::Occupied(slot) => Err((record, &records[*slot.get() as usize])),
            hash_table::Entry::Vacant(slot) => {
                // read_kind stops before a kind's 2³²nd row.
                slot.insert(records.len() as u32);
                records.push((record, origin));
                Ok(())
            }
        }
    }
}

/// The records of one kind read so far, and the rows rejected.
struct Records {
    crimes: CrimeTable,
    outcomes: Unique<Outcome>,
    activities: Unique<SuspectActivity>,
    asb: Unique<AsbIncident>,
    rejects: Vec<Diagnostic>,
}

impl Records {
    fn with_capacity(kind: FileKind, expected: usize) -> Self {
        let capacity = |of: FileKind| if of == kind { expected } else { 0 };
        Records {
            crimes: CrimeTable::with_capacity(capacity(FileKind::Crimes)),
            outcomes: Unique::with_capacity(capacity(FileKind::Outcomes)),
            activities: Unique::with_capacity(capacity(FileKind::SuspectActivity)),
            asb: Unique::with_capacity(capacity(FileKind::Asb)),
            rejects: Vec::new(),
        }
    }
}

/// The rows of one file (or part of one) by what became of them.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    rows: u64,
    rejected: u64,
    repeated: u64,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.rows += other.rows;
        self.rejected += other.rejected;
        self.repeated += other.repeated;
    }
}

/// One file being read: what every row of it shares.
struct FileRead<'a> {
    kind: FileKind,
    path: &'a Path,
    number: u32,
    header_len: usize,
    positions: &'a [usize],
    columns: &'a [&'a str],
    definitions: &'a Definitions,
    manifest: &'a Manifest,
    paths: &'a [PathBuf],
}

/// Crimes files at least this large are read in two halves side by side.
const SPLIT_AT_LEAST: u64 = 4 << 20;

/// Where a crimes file can be cut in two for reading side by side: the byte
/// after the line end nearest past the middle, and the number of lines before
/// it. Only where no quote character comes before the cut (so the cut cannot
/// fall inside a quoted field); compressed and small files are not cut.
fn split_point(path: &Path) -> Result<Option<(u64, u64)>, Error> {
    use std::io::Read;
    if path.extension().is_some_and(|extension| extension == "xz") {
        return Ok(None);
    }
    let mut file = std::fs::File::open(path).map_err(|error| Error::io(path, error))?;
    let length = file.metadata().map_err(|error| Error::io(path, error))?.len();
    if length < SPLIT_AT_LEAST {
        return Ok(None);
    }
    let middle = length / 2;
    let (mut block, mut read, mut lines) = (vec![0u8; 1 << 20], 0u64, 0u64);
    loop {
        let filled = file.read(&mut block).map_err(|error| Error::io(path, error))?;
        if filled == 0 {
            return Ok(None);
        }
        let block = &block[..filled];
        if memchr::memchr(b'"', block).is_some() {
            return Ok(None);
        }
        // Past the middle, the cut is after the first line end.
        let from = middle.saturating_sub(read).min(filled as u64) as usize;
        if let Some(end) = memchr::memchr(b'\n', &block[from..]) {
            let cut = from + end + 1;
            lines += memchr::memchr_iter(b'\n', &block[..cut]).count() as u64;
            return Ok(Some((read + cut as u64, lines)));
        }
        lines += memchr::memchr_iter(b'\n', block).count() as u64;
        read += filled as u64;
    }
}

/// Reads the files of one kind (numbered as in the whole extract).
fn read_kind(
    kind: FileKind,
    files: &[(u32, &PathBuf)],
    paths: &[PathBuf],
    definitions: &Definitions,
    manifest: &Manifest,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<Extract, Error> {
    let mut extract = Extract::empty(manifest.clone());
    let expected: usize = files.iter().map(|(_, path)| reader::estimated_rows(path)).sum();
    let mut records = Records::with_capacity(kind, expected);
    for (file_number, path) in files {
        let path: &Path = path;
        progress(path);
        let columns: &[&str] = match kind {
            FileKind::Crimes => &CRIME_COLUMNS,
            FileKind::Outcomes => &OUTCOME_COLUMNS,
            FileKind::SuspectActivity => &ACTIVITY_COLUMNS,
            FileKind::Asb => &ASB_COLUMNS,
        };
        let split = if kind == FileKind::Crimes { split_point(path)? } else { None };
        let mut csv = match split {
            Some((cut, _)) => reader::csv_part(path, 0, Some(cut), true)?,
            None => csv_reader(path)?,
        };
        let header = csv.headers().map_err(|error| Error::format(path, Some(1), error.to_string()))?.clone();
        let positions: Vec<usize> =
            map_header(path, &header, columns, &[])?.into_iter().map(|position| position.expect("required")).collect();
        let file = FileRead {
            kind,
            path,
            number: *file_number,
            header_len: header.len(),
            positions: &positions,
            columns,
            definitions,
            manifest,
            paths,
        };
        let tally = match split {
            None => read_rows(&file, &mut csv, 0, &mut records)?,
            Some((cut, lines_before)) => {
                // The second half goes into a chunk of its own on another
                // thread, then is checked against the chunks before it.
                let (mut tally, (second, second_tally)) = std::thread::scope(|scope| {
                    let second = scope.spawn(|| {
                        let mut second = Records::with_capacity(kind, expected / 2);
                        let mut csv = reader::csv_part(path, cut, None, false)?;
                        let tally = read_rows(&file, &mut csv, lines_before, &mut second)?;
                        Ok::<_, Error>((second, tally))
                    });
                    let first = read_rows(&file, &mut csv, 0, &mut records);
                    let second = second.join().expect("a reader thread panicked");
                    Ok::<_, Error>((first?, second?))
                })?;
                tally.add(second_tally);
                let Records { crimes, rejects, .. } = second;
                records.rejects.extend(rejects);
                let run = crimes.runs.into_iter().next().expect("one run");
                let again = absorb(&mut records.crimes, run, &file)?;
                tally.rejected += again.rejected;
                tally.repeated += again.repeated;
                records.rejects.extend(again.rejects);
                tally
            }
        };
        extract.files.push(FileSummary {
            path: path.to_path_buf(),
            kind,
            rows: tally.rows,
            rejected: tally.rejected,
            repeated: tally.repeated,
        });
    }
    extract.crimes = records.crimes;
    extract.outcomes = records.outcomes.records;
    extract.activities = records.activities.records;
    extract.asb = records.asb.records;
    extract.rejects = records.rejects;
    Ok(extract)
}

/// What checking a chunk against the chunks before it removed.
struct Again {
    rejected: u64,
    repeated: u64,
    rejects: Vec<Diagnostic>,
}

/// Adds `run` (crimes read side by side with those of `table`, unique among
/// themselves) to `table`, as if its rows had been read after the table's:
/// a crime there already with the same content is a repeated row; with
/// different content, a rejected one.
fn absorb(table: &mut CrimeTable, run: Vec<(Crime, Origin)>, file: &FileRead) -> Result<Again, Error> {
    let mut again = Again { rejected: 0, repeated: 0, rejects: Vec::new() };
    let repeats = table.append(run);
    if repeats.is_empty() {
        return Ok(again);
    }
    let mut conflicts = Vec::new();
    for (crime, origin, first) in &repeats {
        if crime == &first.0 {
            again.repeated += 1;
        } else {
            again.rejected += 1;
            let reason = format!(
                "'{}' appears again with different content (first at {}:{})",
                crime.reference,
                file.paths[first.1.file()].display(),
                first.1.line()
            );
            conflicts.push((origin.line(), reason));
        }
    }
    if !conflicts.is_empty() {
        // The rejects file shows each rejected row as written: read those lines again.
        let mut rows = reader::rows_at(file.path, conflicts.iter().map(|(line, _)| *line))?;
        for (line, reason) in conflicts {
            let row = rows.remove(&line).unwrap_or_default();
            let field = "crime_reference".to_string();
            again.rejects.push(Diagnostic { file: file.path.to_path_buf(), line, field, reason, row });
        }
    }
    Ok(again)
}

/// Reads the data rows of `csv` (the whole of `file.path` or part of it,
/// after `lines_before` lines) into `into`.
fn read_rows<R: std::io::Read>(
    file: &FileRead,
    csv: &mut csv::Reader<R>,
    lines_before: u64,
    into: &mut Records,
) -> Result<Tally, Error> {
    let FileRead { kind, path, .. } = *file;
    let origin_text = |origin: &Origin| format!("{}:{}", file.paths[origin.file()].display(), origin.line());
    let mut tally = Tally::default();
    let mut record = csv::ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                let line = error.position().map(|position| position.line() + lines_before).unwrap_or(0);
                return Err(Error::format(path, Some(line), format!("the file cannot be read as CSV: {error}")));
            }
        }
        tally.rows += 1;
        let line = record.position().map(|position| position.line()).unwrap_or(0) + lines_before;
        let origin = Origin::new(file.number, line).ok_or_else(|| {
            Error::format(path, Some(line), format!("line {line} of file {}: too many to number", file.number))
        })?;
        let positions = file.positions;
        let row = Row { path, line, record: &record, positions, columns: file.columns };
        if record.len() != file.header_len {
            tally.rejected += 1;
            into.rejects
                .push(row.reject("", format!("has {} fields, the header has {}", record.len(), file.header_len)));
            continue;
        }
        let (definitions, manifest) = (file.definitions, file.manifest);
        // Ok(true): new; Ok(false): identical to an earlier row; Err: rejected.
        let outcome = match kind {
            FileKind::Crimes => row.crime(definitions, manifest).and_then(|crime| {
                let conflict = |reference: &str, first: Origin| {
                    row.reject(
                        "crime_reference",
                        format!(
                            "'{reference}' appears again with different content (first at {})",
                            origin_text(&first)
                        ),
                    )
                };
                match into.crimes.insert(crime, origin) {
                    Ok(()) => Ok(true),
                    Err((crime, (earlier, _))) if *earlier == crime => Ok(false),
                    Err((crime, (_, first))) => Err(conflict(&crime.reference, *first)),
                }
            }),
            FileKind::Outcomes => row
                .outcome(definitions, manifest)
                .map(|outcome| into.outcomes.insert(outcome, origin, |outcome| outcome).is_ok()),
            FileKind::SuspectActivity => row
                .activity(manifest)
                .map(|activity| into.activities.insert(activity, origin, |activity| activity).is_ok()),
            FileKind::Asb => row.asb(manifest).and_then(|incident| {
                match into.asb.insert(incident, origin, |incident| incident.reference.as_str()) {
                    Ok(()) => Ok(true),
                    Err((incident, (earlier, _))) if *earlier == incident => Ok(false),
                    Err((incident, (_, first))) => Err(row.reject(
                        "incident_reference",
                        format!(
                            "'{}' appears again with different content (first at {})",
                            incident.reference,
                            origin_text(first)
                        ),
                    )),
                }
            }),
        };
        match outcome {
            Ok(true) => {
                let held = into.crimes.len() + into.outcomes.records.len();
                let held = held + into.activities.records.len() + into.asb.records.len();
                if held > u32::MAX as usize {
                    return Err(Error::format(
                        path,
                        Some(line),
                        format!("more than {} {} records in one extract: split it into several", u32::MAX, kind.name()),
                    ));
                }
            }
            Ok(false) => tally.repeated += 1,
            Err(diagnostic) => {
                tally.rejected += 1;
                into.rejects.push(diagnostic);
            }
        }
    }
    Ok(tally)
}

/// One CSV row being read, for field access and diagnostics. Fields are
/// borrowed from the record; only the text a record keeps is copied.
struct Row<'a> {
    path: &'a Path,
    line: u64,
    record: &'a csv::ByteRecord,
    positions: &'a [usize],
    columns: &'a [&'a str],
}

/// The spellings a flag column accepts (any case).
const YES: [&str; 4] = ["y", "yes", "true", "1"];
const NO: [&str; 4] = ["n", "no", "false", "0"];

impl<'a> Row<'a> {
    fn reject(&self, field: &str, reason: String) -> Diagnostic {
        Diagnostic {
            file: self.path.to_path_buf(),
            line: self.line,
            field: field.to_string(),
            reason,
            row: row_text(self.record),
        }
    }

    /// The trimmed text of column `index` (in the expected-column order).
    fn text(&self, index: usize) -> Result<&'a str, Diagnostic> {
        let bytes = &self.record[self.positions[index]];
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.trim()),
            Err(_) => Err(self.reject(self.columns[index], "is not valid UTF-8".to_string())),
        }
    }

    fn required(&self, index: usize) -> Result<&'a str, Diagnostic> {
        let text = self.text(index)?;
        if text.is_empty() {
            return Err(self.reject(self.columns[index], "is empty".to_string()));
        }
        Ok(text)
    }

    fn reference(&self, index: usize) -> Result<&'a str, Diagnostic> {
        let text = self.required(index)?;
        // A UTF-8 character is at least one byte, so 64 bytes or fewer is 64 characters or fewer.
        if text.len() > 64 && text.chars().count() > 64 {
            return Err(self.reject(
                self.columns[index],
                format!("'{}…' is longer than 64 characters", text.chars().take(20).collect::<String>()),
            ));
        }
        Ok(text)
    }

    fn date(&self, index: usize, manifest: &Manifest) -> Result<Date, Diagnostic> {
        let text = self.required(index)?;
        let field = self.columns[index];
        let date = Date::parse(text).map_err(|error| self.reject(field, error.to_string()))?;
        if !manifest.covers.contains(date.year_month()) {
            return Err(self.reject(
                field,
                format!(
                    "{date} is outside the months the extract covers ({} to {}, {})",
                    manifest.covers.from, manifest.covers.to, MANIFEST_NAME
                ),
            ));
        }
        if date > manifest.extracted_on {
            return Err(self.reject(field, format!("{date} is after the extract date {}", manifest.extracted_on)));
        }
        Ok(date)
    }

    fn flag(&self, index: usize) -> Result<bool, Diagnostic> {
        let text = self.text(index)?;
        if YES.iter().any(|yes| text.eq_ignore_ascii_case(yes)) {
            Ok(true)
        } else if NO.iter().any(|no| text.eq_ignore_ascii_case(no)) {
            Ok(false)
        } else {
            let shown = if text.is_empty() {
                "empty".to_string()
            } else {
                format!("'{}' is not a flag", text.to_ascii_lowercase())
            };
            Err(self.reject(self.columns[index], format!("{shown} (expected Y or N)")))
        }
    }

    fn crime(&self, definitions: &Definitions, manifest: &Manifest) -> Result<Crime, Diagnostic> {
        let reference = self.reference(0)?;
        let recorded = self.date(1, manifest)?;
        let offence_code = self.required(2)?;
        let version = definitions.classification.version_at(recorded.year_month());
        if version.offence(offence_code).is_none() {
            return Err(self.reject(
                "offence_code",
                format!(
                    "'{offence_code}' is not a Home Office offence code in {} version {} (in force {})",
                    definitions.classification.id,
                    version.id,
                    recorded.year_month()
                ),
            ));
        }
        let district = self.required(3)?;
        let mut flags = Flags::default();
        if self.flag(4)? {
            flags |= Flags::DOMESTIC_ABUSE;
        }
        for strand in self.text(5)?.split(';').map(str::trim).filter(|strand| !strand.is_empty()) {
            match Flags::hate_strand(&strand.to_ascii_lowercase()) {
                Some(bit) => flags |= bit,
                None => {
                    return Err(self.reject("hate_crime", format!(
                        "'{strand}' is not a hate crime strand (race, religion, sexual-orientation, disability, transgender)"
                    )));
                }
            }
        }
        if self.flag(6)? {
            flags |= Flags::CHILD_PROTECTION;
        }
        if self.flag(7)? {
            flags |= Flags::ADULT_PROTECTION;
        }
        if self.flag(8)? {
            flags |= Flags::KNIFE;
        }
        let status = CrimeStatus::parse(self.required(9)?).map_err(|error| self.reject("status", error.to_string()))?;
        Ok(Crime {
            reference: CompactString::new(reference),
            recorded,
            offence_code: CompactString::new(offence_code),
            district: CompactString::new(district),
            flags,
            status,
        })
    }

    fn outcome(&self, definitions: &Definitions, manifest: &Manifest) -> Result<Outcome, Diagnostic> {
        let crime_reference = self.reference(0)?;
        let text = self.required(1)?;
        let outcome_type = match text.parse::<u8>() {
            Ok(code) if definitions.outcomes.outcome_type(code).is_some() => code,
            _ => {
                return Err(
                    self.reject("outcome_type", format!("'{text}' is not an outcome type (a whole number 1–22)"))
                );
            }
        };
        let date = self.date(2, manifest)?;
        Ok(Outcome { crime_reference: CompactString::new(crime_reference), outcome_type, date })
    }

    fn activity(&self, manifest: &Manifest) -> Result<SuspectActivity, Diagnostic> {
        let crime_reference = self.reference(0)?;
        let text = self.required(1)?;
        // Written as documented (the usual case), or in another case or with underscores.
        let event: SuspectEvent = text
            .parse()
            .or_else(|_| text.to_ascii_lowercase().replace('_', "-").parse())
            .map_err(|error: scrutiny_core::Error| self.reject("event", error.to_string()))?;
        let date = self.date(2, manifest)?;
        Ok(SuspectActivity { crime_reference: CompactString::new(crime_reference), event, date })
    }

    fn asb(&self, manifest: &Manifest) -> Result<AsbIncident, Diagnostic> {
        let reference = self.reference(0)?;
        let date = self.date(1, manifest)?;
        let text = self.required(2)?;
        let asb_type: AsbType = text
            .parse()
            .or_else(|_| text.to_ascii_lowercase().parse())
            .map_err(|error: scrutiny_core::Error| self.reject("asb_type", error.to_string()))?;
        let district = self.required(3)?;
        Ok(AsbIncident {
            reference: CompactString::new(reference),
            date,
            asb_type,
            district: CompactString::new(district),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"{"format":"scrutiny-force-extract","version":1,"force":"Kent","extracted_on":"2024-08-05","covers":{"from":"2024-01","to":"2024-07"}}"#;
    const CRIME_HEADER: &str = "crime_reference,recorded_date,offence_code,district,domestic_abuse,hate_crime,child_protection,adult_protection,knife_or_sharp_instrument,status\n";

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    fn read_dir(dir: &Path) -> Result<Extract, Error> {
        let discovery = discover(dir).unwrap();
        read(&discovery.extracts[0], &Definitions::builtin())
    }

    /// A crimes file over [`SPLIT_AT_LEAST`] with a repeated row, a
    /// conflicting one and a bad one in its second half, each repeating a
    /// row of the first half; `quote_first` quotes a field of the first row
    /// (same values, but the file can no longer be cut).
    fn large_crimes(quote_first: bool) -> (String, usize) {
        let mut text = CRIME_HEADER.to_string();
        let rows = 80_000;
        for n in 0..rows {
            let district = if n == 0 && quote_first { "\"Maidstone\"" } else { "Maidstone" };
            text.push_str(&format!("46/{n:07}/24,2024-05-03,8N,{district},N,,N,N,N,recorded\n"));
        }
        text.push_str("46/0000001/24,2024-05-03,8N,Maidstone,N,,N,N,N,recorded\n");
        text.push_str("46/0000002/24,2024-05-04,8N,Maidstone,N,,N,N,N,recorded\n");
        text.push_str("46/9999999/24,2024-05-04,8Z,Maidstone,N,,N,N,N,recorded\n");
        (text, rows)
    }

    #[test]
    fn a_large_crimes_file_read_in_two_halves_reads_as_in_one_go() {
        let read_large = |quote_first: bool| {
            let dir = tempfile::tempdir().unwrap();
            write(dir.path(), MANIFEST_NAME, MANIFEST);
            let (text, rows) = large_crimes(quote_first);
            assert!(text.len() as u64 > SPLIT_AT_LEAST);
            write(dir.path(), "crimes.csv", &text);
            let cut = split_point(&dir.path().join("crimes.csv")).unwrap();
            (read_dir(dir.path()).unwrap(), cut, rows)
        };
        let (halves, cut, rows) = read_large(false);
        let (cut, lines_before) = cut.expect("an unquoted large file is cut");
        let (text, _) = large_crimes(false);
        assert_eq!(&text.as_bytes()[..cut as usize].last(), &Some(&b'\n'), "cut after a line end");
        assert_eq!(text[..cut as usize].matches('\n').count() as u64, lines_before);
        assert_eq!(halves.crime_chunks().count(), 2, "read in two halves");
        let (whole, cut, _) = read_large(true);
        assert_eq!(cut, None, "a quote before the middle: not cut");
        assert_eq!(whole.crime_chunks().count(), 1);

        // The same records, with the same lines, and the same rejects.
        assert_eq!(halves.crime_count(), rows);
        assert!(halves.crimes().eq(whole.crimes()), "the same crimes in the same order with the same lines");
        let last = halves.crimes().last().unwrap();
        assert_eq!((last.0.reference.as_str(), last.1.line()), ("46/0079999/24", rows as u64 + 1));
        let reasons = |extract: &Extract| -> Vec<(u64, String, String)> {
            let dir = extract.files[0].path.parent().unwrap().display().to_string();
            let reason = |reject: &Diagnostic| reject.reason.replace(&dir, "DIR");
            extract.rejects.iter().map(|reject| (reject.line, reason(reject), reject.row.clone())).collect()
        };
        assert_eq!(reasons(&halves), reasons(&whole));
        let rejects = reasons(&halves);
        assert_eq!(rejects.len(), 2, "{rejects:?}");
        assert_eq!(rejects[0].0, rows as u64 + 3, "the conflicting repeat, by its line");
        assert!(rejects[0].1.contains("appears again with different content (first at"), "{}", rejects[0].1);
        assert!(
            rejects[0].1.ends_with("crimes.csv:4)"),
            "the first row of 46/0000002/24 is on line 4: {}",
            rejects[0].1
        );
        assert!(rejects[0].2.starts_with("46/0000002/24,2024-05-04,8N"), "the row as written: {}", rejects[0].2);
        assert_eq!(rejects[1].0, rows as u64 + 4);
        assert!(rejects[1].1.contains("'8Z' is not a Home Office offence code"));
        let summary = |extract: &Extract| {
            let file = &extract.files[0];
            (file.rows, file.rejected, file.repeated)
        };
        assert_eq!(summary(&halves), (rows as u64 + 3, 2, 1));
        assert_eq!(summary(&halves), summary(&whole));
        for (crime, _) in halves.crimes().step_by(997) {
            assert_eq!(halves.crime(&crime.reference), Some(crime), "found by reference in either half");
        }
        assert_eq!(halves.crime("46/9999999/24"), None);

        // A later file's rows are checked against both halves.
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), MANIFEST_NAME, MANIFEST);
        write(dir.path(), "crimes-1.csv", &large_crimes(false).0);
        write(
            dir.path(),
            "crimes-2.csv",
            &format!(
                "{CRIME_HEADER}46/0000003/24,2024-05-03,8N,Maidstone,N,,N,N,N,recorded\n\
                 46/0079998/24,2024-05-03,8N,Maidstone,N,,N,N,N,recorded\n\
                 46/0079997/24,2024-05-05,8N,Maidstone,N,,N,N,N,recorded\n\
                 46/0000004/24,2024-05-05,8N,Maidstone,N,,N,N,N,recorded\n\
                 N1,2024-05-05,8N,Maidstone,N,,N,N,N,recorded\n"
            ),
        );
        let two = read_dir(dir.path()).unwrap();
        assert_eq!(two.crime_count(), rows + 1, "only N1 is new");
        assert_eq!((two.files[1].rows, two.files[1].rejected, two.files[1].repeated), (5, 2, 2));
        let later: Vec<&Diagnostic> =
            two.rejects.iter().filter(|reject| reject.file.ends_with("crimes-2.csv")).collect();
        assert_eq!(later.iter().map(|reject| reject.line).collect::<Vec<_>>(), [4, 5]);
        assert!(later[0].reason.ends_with("crimes-1.csv:79999)"), "{}", later[0].reason);
        assert!(later[1].reason.ends_with("crimes-1.csv:6)"), "{}", later[1].reason);
        assert!(two.crime("N1").is_some());
    }

    #[test]
    fn reads_good_rows_and_names_every_bad_one() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), MANIFEST_NAME, MANIFEST);
        write(
            dir.path(),
            "crimes.csv",
            &format!(
                "{CRIME_HEADER}A1,2024-05-03,8N,Maidstone,Y,,N,N,N,recorded\n\
             A2,2024-13-01,8N,Maidstone,N,,N,N,N,recorded\n\
             A3,2024-05-03,8Z,Maidstone,N,,N,N,N,recorded\n\
             A4,2024-05-03,105B,Thanet,N,race;religion,N,N,N,recorded\n\
             A5,2024-05-03,105B,Thanet,maybe,,N,N,N,recorded\n\
             A1,2024-05-03,8N,Maidstone,Y,,N,N,N,recorded\n\
             A1,2024-05-04,8N,Maidstone,Y,,N,N,N,recorded\n\
             A6,2023-05-03,8N,Maidstone,N,,N,N,N,recorded\n\
             A7,2024-05-03,8N,Maidstone,N,,N,N\n"
            ),
        );
        write(
            dir.path(),
            "outcomes.csv",
            "crime_reference,outcome_type,outcome_date\nA1,1,2024-06-01\nA1,1,2024-06-01\nA1,23,2024-06-01\n",
        );
        write(dir.path(), "notes.txt", "hello");
        let discovery = discover(dir.path()).unwrap();
        assert_eq!(discovery.skipped.len(), 1, "notes.txt is listed as skipped");
        let extract = read_dir(dir.path()).unwrap();
        assert_eq!(extract.crime_count(), 2);
        assert_eq!(extract.crimes().nth(1).unwrap().0.flags, Flags::HATE_RACE | Flags::HATE_RELIGION);
        assert_eq!(extract.outcomes.len(), 1);
        let messages: Vec<String> = extract.rejects.iter().map(|diagnostic| diagnostic.to_string()).collect();
        let expect = |needle: &str| {
            assert!(messages.iter().any(|message| message.contains(needle)), "no '{needle}' in {messages:#?}")
        };
        expect("crimes.csv:3: recorded_date: '2024-13-01' is not a date");
        expect("crimes.csv:4: offence_code: '8Z' is not a Home Office offence code");
        expect("crimes.csv:6: domestic_abuse: 'maybe' is not a flag (expected Y or N)");
        expect("crimes.csv:8: crime_reference: 'A1' appears again with different content (first at ");
        expect("crimes.csv:9: recorded_date: 2023-05-03 is outside the months the extract covers");
        expect("crimes.csv:10: has 8 fields, the header has 10");
        expect("outcomes.csv:4: outcome_type: '23' is not an outcome type");
        assert_eq!(extract.files[0].repeated, 1, "an identical row counts once");
        assert_eq!(extract.files[1].repeated, 1);
        assert_eq!(extract.rejects.len(), 7);
    }

    #[test]
    fn a_changed_header_stops_the_file() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), MANIFEST_NAME, MANIFEST);
        write(dir.path(), "asb.csv", "incident_reference,incident_date,asb_type,district,officer\n");
        let error = read_dir(dir.path()).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{}:1: header: unknown column 'officer' (column 5; expected incident_reference, incident_date, asb_type, district)",
                dir.path().join("asb.csv").display()
            )
        );
        write(dir.path(), "asb.csv", "incident_reference,incident_date,district\n");
        assert!(
            read_dir(dir.path()).unwrap_err().to_string().ends_with("header: required column 'asb_type' is missing")
        );
    }

    #[test]
    fn origins_pack_file_and_line_into_eight_bytes() {
        assert_eq!(std::mem::size_of::<Origin>(), 8);
        let origin = Origin::new(7, 1_234_567_890).unwrap();
        assert_eq!((origin.file(), origin.line()), (7, 1_234_567_890));
        let last = Origin::new((1 << 24) - 1, (1 << 40) - 1).unwrap();
        assert_eq!((last.file(), last.line()), ((1 << 24) - 1, (1 << 40) - 1));
        assert_eq!(Origin::new(1 << 24, 1), None, "too many files");
        assert_eq!(Origin::new(0, 1 << 40), None, "too many lines");
    }

    #[test]
    fn manifests_are_checked() {
        let path = Path::new("extract.json");
        assert!(Manifest::parse(path, MANIFEST).is_ok());
        let wrong = MANIFEST.replace("\"version\":1", "\"version\":2");
        assert!(Manifest::parse(path, &wrong).unwrap_err().to_string().contains("version: 2 is not supported"));
        let late = MANIFEST.replace("2024-07", "2024-09");
        assert!(Manifest::parse(path, &late).unwrap_err().to_string().contains("after the extract date"));
    }
}
