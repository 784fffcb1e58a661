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

/// Where a record came from: an index into [`Extract::files`] and a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub file: u32,
    pub line: u64,
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
    pub crimes: Vec<(Crime, Origin)>,
    pub outcomes: Vec<(Outcome, Origin)>,
    pub activities: Vec<(SuspectActivity, Origin)>,
    pub asb: Vec<(AsbIncident, Origin)>,
    pub rejects: Vec<Diagnostic>,
    /// Positions in `crimes`, found by reference (see [`Extract::crime_position`]).
    crime_index: HashTable<usize>,
}

impl Extract {
    /// Where the crime `reference` is in [`Extract::crimes`], if this extract has it.
    pub fn crime_position(&self, reference: &str) -> Option<usize> {
        let hash = FxBuildHasher.hash_one(reference);
        self.crime_index.find(hash, |&index| self.crimes[index].0.reference == reference).copied()
    }

    pub fn origin_text(&self, origin: Origin) -> String {
        format!("{}:{}", self.files[origin.file as usize].path.display(), origin.line)
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
        if !partial.crimes.is_empty() {
            // Only the crimes reader reads crimes, so its positions stand.
            assert!(extract.crimes.is_empty(), "crimes come from one reader");
            extract.crimes = partial.crimes;
            extract.crime_index = partial.crime_index;
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
            crimes: Vec::new(),
            outcomes: Vec::new(),
            activities: Vec::new(),
            asb: Vec::new(),
            rejects: Vec::new(),
            crime_index: HashTable::new(),
        }
    }
}

/// The records of one kind read so far, each once, in file order, found
/// again by a key borrowed from the record itself (so no key is copied).
struct Unique<T> {
    records: Vec<(T, Origin)>,
    positions: HashTable<usize>,
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
            |&index| key(&records[index].0) == key(&record),
            |&index| FxBuildHasher.hash_one(key(&records[index].0)),
        ) {
            hash_table::Entry::Occupied(slot) => Err((record, &records[*slot.get()])),
            hash_table::Entry::Vacant(slot) => {
                slot.insert(records.len());
                records.push((record, origin));
                Ok(())
            }
        }
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
    let origin_text = |origin: &Origin| format!("{}:{}", paths[origin.file as usize].display(), origin.line);
    let expected: usize = files.iter().map(|(_, path)| reader::estimated_rows(path)).sum();
    let capacity = |of: FileKind| if of == kind { expected } else { 0 };
    let mut crimes: Unique<Crime> = Unique::with_capacity(capacity(FileKind::Crimes));
    let mut outcomes: Unique<Outcome> = Unique::with_capacity(capacity(FileKind::Outcomes));
    let mut activities: Unique<SuspectActivity> = Unique::with_capacity(capacity(FileKind::SuspectActivity));
    let mut asb: Unique<AsbIncident> = Unique::with_capacity(capacity(FileKind::Asb));
    for (file_number, path) in files {
        let path: &Path = path;
        progress(path);
        let mut summary = FileSummary { path: path.to_path_buf(), kind, rows: 0, rejected: 0, repeated: 0 };
        let mut csv = csv_reader(path)?;
        let header = csv.headers().map_err(|error| Error::format(path, Some(1), error.to_string()))?.clone();
        let columns: &[&str] = match kind {
            FileKind::Crimes => &CRIME_COLUMNS,
            FileKind::Outcomes => &OUTCOME_COLUMNS,
            FileKind::SuspectActivity => &ACTIVITY_COLUMNS,
            FileKind::Asb => &ASB_COLUMNS,
        };
        let positions: Vec<usize> =
            map_header(path, &header, columns, &[])?.into_iter().map(|position| position.expect("required")).collect();
        let mut record = csv::ByteRecord::new();
        loop {
            match csv.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => {
                    let line = error.position().map(|position| position.line()).unwrap_or(0);
                    return Err(Error::format(path, Some(line), format!("the file cannot be read as CSV: {error}")));
                }
            }
            summary.rows += 1;
            let line = record.position().map(|position| position.line()).unwrap_or(0);
            let origin = Origin { file: *file_number, line };
            let row = Row { path, line, record: &record, positions: &positions, columns };
            if record.len() != header.len() {
                summary.rejected += 1;
                extract
                    .rejects
                    .push(row.reject("", format!("has {} fields, the header has {}", record.len(), header.len())));
                continue;
            }
            // Ok(true): new; Ok(false): identical to an earlier row; Err: rejected.
            let outcome = match kind {
                FileKind::Crimes => row.crime(definitions, manifest).and_then(|crime| {
                    match crimes.insert(crime, origin, |crime| crime.reference.as_str()) {
                        Ok(()) => Ok(true),
                        Err((crime, (earlier, _))) if *earlier == crime => Ok(false),
                        Err((crime, (_, first))) => Err(row.reject(
                            "crime_reference",
                            format!(
                                "'{}' appears again with different content (first at {})",
                                crime.reference,
                                origin_text(first)
                            ),
                        )),
                    }
                }),
                FileKind::Outcomes => row
                    .outcome(definitions, manifest)
                    .map(|outcome| outcomes.insert(outcome, origin, |outcome| outcome).is_ok()),
                FileKind::SuspectActivity => row
                    .activity(manifest)
                    .map(|activity| activities.insert(activity, origin, |activity| activity).is_ok()),
                FileKind::Asb => row.asb(manifest).and_then(|incident| {
                    match asb.insert(incident, origin, |incident| incident.reference.as_str()) {
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
                Ok(true) => {}
                Ok(false) => summary.repeated += 1,
                Err(diagnostic) => {
                    summary.rejected += 1;
                    extract.rejects.push(diagnostic);
                }
            }
        }
        extract.files.push(summary);
    }
    extract.crimes = crimes.records;
    extract.crime_index = crimes.positions;
    extract.outcomes = outcomes.records;
    extract.activities = activities.records;
    extract.asb = asb.records;
    Ok(extract)
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
        assert_eq!(extract.crimes.len(), 2);
        assert_eq!(extract.crimes[1].0.flags, Flags::HATE_RACE | Flags::HATE_RELIGION);
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
    fn manifests_are_checked() {
        let path = Path::new("extract.json");
        assert!(Manifest::parse(path, MANIFEST).is_ok());
        let wrong = MANIFEST.replace("\"version\":1", "\"version\":2");
        assert!(Manifest::parse(path, &wrong).unwrap_err().to_string().contains("version: 2 is not supported"));
        let late = MANIFEST.replace("2024-07", "2024-09");
        assert!(Manifest::parse(path, &late).unwrap_err().to_string().contains("after the extract date"));
    }
}
