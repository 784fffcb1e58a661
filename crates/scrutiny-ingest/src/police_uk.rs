//! data.police.uk monthly street-level (`*-street.csv`) and outcomes
//! (`*-outcomes.csv`) files, as published, plain or xz-compressed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use scrutiny_core::YearMonth;
use scrutiny_core::definitions::Districts;
use scrutiny_core::records::PoliceUkRow;

use crate::reader::{self, csv_reader, map_header, row_text};
use crate::{Diagnostic, Error};

pub const STREET_COLUMNS: [&str; 12] = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
];
pub const OUTCOME_COLUMNS: [&str; 10] = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Outcome type",
];

/// The crime types data.police.uk publishes.
pub const CRIME_TYPES: [&str; 14] = [
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
];

pub const ANTI_SOCIAL_BEHAVIOUR: &str = "Anti-social behaviour";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Street,
    Outcomes,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Street => "street",
            Self::Outcomes => "outcomes",
        }
    }
}

/// The files found under a folder: those to read, and the others with why they were skipped.
pub type Discovery = (Vec<(FileKind, PathBuf)>, Vec<(PathBuf, String)>);

/// Finds the street and outcomes files under `dir`; other files are listed as skipped.
pub fn discover(dir: &Path) -> Result<Discovery, Error> {
    if !dir.is_dir() {
        return Err(Error::io(dir, "not a folder"));
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|error| Error::io(dir, error))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.into_path();
        let stem = reader::stem(&path);
        if reader::is_csv(&path) && stem.ends_with("-street") {
            files.push((FileKind::Street, path));
        } else if reader::is_csv(&path) && stem.ends_with("-outcomes") {
            files.push((FileKind::Outcomes, path));
        } else {
            skipped.push((
                path,
                "not a data.police.uk street or outcomes file (*-street.csv, *-outcomes.csv)".to_string(),
            ));
        }
    }
    Ok((files, skipped))
}

/// The rows of one force and month in one file, with a hash of their content.
#[derive(Debug, Clone)]
pub struct MonthRows {
    pub force: String,
    pub month: YearMonth,
    pub rows: Vec<PoliceUkRow>,
    /// SHA-256 over the rows as read, so a republished file can be told from the same file.
    pub content_hash: String,
}

/// What was read from one file.
#[derive(Debug, Clone)]
pub struct PoliceUkFile {
    pub path: PathBuf,
    pub kind: FileKind,
    pub rows_read: u64,
    pub months: Vec<MonthRows>,
    pub rejects: Vec<Diagnostic>,
}

/// "Kent Police" → "Kent"; "Avon and Somerset Constabulary" → "Avon and Somerset".
pub fn force_name(falls_within: &str) -> String {
    let name = falls_within.trim();
    for suffix in [" Police", " Constabulary"] {
        if let Some(stripped) = name.strip_suffix(suffix) {
            return stripped.to_string();
        }
    }
    name.to_string()
}

/// "Maidstone 012A" → "Maidstone"; the name is returned whole if it has no code.
pub fn district_of(lsoa_name: &str) -> &str {
    let name = lsoa_name.trim();
    match name.rsplit_once(' ') {
        Some((district, code))
            if code.len() == 4
                && code[..3].bytes().all(|byte| byte.is_ascii_digit())
                && code.as_bytes()[3].is_ascii_uppercase() =>
        {
            district
        }
        _ => name,
    }
}

/// Reads one file. Rows that cannot be read exactly are rejected with a diagnostic.
pub fn read(path: &Path, kind: FileKind, districts: &Districts) -> Result<PoliceUkFile, Error> {
    let mut csv = csv_reader(path)?;
    let header = csv.headers().map_err(|error| Error::format(path, Some(1), error.to_string()))?.clone();
    let expected: &[&str] = match kind {
        FileKind::Street => &STREET_COLUMNS,
        FileKind::Outcomes => &OUTCOME_COLUMNS,
    };
    let positions: Vec<usize> =
        map_header(path, &header, expected, &[])?.into_iter().map(|position| position.expect("required")).collect();
    let mut file =
        PoliceUkFile { path: path.to_path_buf(), kind, rows_read: 0, months: Vec::new(), rejects: Vec::new() };
    let mut groups: BTreeMap<(String, YearMonth), (Vec<PoliceUkRow>, Sha256)> = BTreeMap::new();
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
        file.rows_read += 1;
        let line = record.position().map(|position| position.line()).unwrap_or(0);
        let reject = |field: &str, reason: String| Diagnostic {
            file: path.to_path_buf(),
            line,
            field: field.to_string(),
            reason,
            row: row_text(&record),
        };
        if record.len() != header.len() {
            file.rejects.push(reject("", format!("has {} fields, the header has {}", record.len(), header.len())));
            continue;
        }
        let mut fields: [&str; 12] = [""; 12];
        let mut bad_utf8 = None;
        for (slot, position) in positions.iter().enumerate() {
            match std::str::from_utf8(&record[*position]) {
                Ok(text) => fields[slot] = text.trim(),
                Err(_) => bad_utf8 = Some(expected[slot]),
            }
        }
        if let Some(field) = bad_utf8 {
            file.rejects.push(reject(field, "is not valid UTF-8".to_string()));
            continue;
        }
        let month = match fields[1].parse::<YearMonth>() {
            Ok(month) => month,
            Err(error) => {
                file.rejects.push(reject("Month", error.to_string()));
                continue;
            }
        };
        if fields[3].is_empty() {
            file.rejects.push(reject("Falls within", "is empty".to_string()));
            continue;
        }
        let force = force_name(fields[3]);
        let (crime_type, last_outcome) = match kind {
            FileKind::Street => {
                let Some(crime_type) = CRIME_TYPES.iter().find(|known| **known == fields[9]) else {
                    file.rejects
                        .push(reject("Crime type", format!("'{}' is not a data.police.uk crime type", fields[9])));
                    continue;
                };
                (crime_type.to_string(), fields[10].to_string())
            }
            FileKind::Outcomes => {
                if fields[9].is_empty() {
                    file.rejects.push(reject("Outcome type", "is empty".to_string()));
                    continue;
                }
                if fields[0].is_empty() {
                    file.rejects.push(reject("Crime ID", "is empty (an outcome needs its crime)".to_string()));
                    continue;
                }
                (fields[9].to_string(), String::new())
            }
        };
        let district = if fields[8].is_empty() {
            districts.no_location.clone()
        } else {
            districts.canonical(&force, district_of(fields[8])).to_string()
        };
        let (rows, hasher) = groups.entry((force, month)).or_insert_with(|| (Vec::new(), Sha256::new()));
        for field in &fields[..expected.len()] {
            hasher.update(field.as_bytes());
            hasher.update([0x1f]);
        }
        hasher.update([0x1e]);
        rows.push(PoliceUkRow { crime_id: fields[0].to_string(), month, crime_type, district, last_outcome });
    }
    file.months = groups
        .into_iter()
        .map(|((force, month), (rows, hasher))| MonthRows {
            force,
            month,
            rows,
            content_hash: hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect(),
        })
        .collect();
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn districts_and_forces_are_named_consistently() {
        assert_eq!(district_of("Maidstone 012A"), "Maidstone");
        assert_eq!(district_of("Tunbridge Wells 001B"), "Tunbridge Wells");
        assert_eq!(district_of("Somewhere"), "Somewhere");
        assert_eq!(force_name("Kent Police"), "Kent");
        assert_eq!(force_name("Avon and Somerset Constabulary"), "Avon and Somerset");
        assert_eq!(force_name("Metropolitan Police Service"), "Metropolitan Police Service");
    }

    #[test]
    fn reads_rows_and_rejects_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2023-01-kent-street.csv");
        let header = STREET_COLUMNS.join(",");
        std::fs::write(
            &path,
            format!(
                "{header}\n\
             abc,2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01,Shepway 001A,Burglary,Under investigation,\n\
             ,2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01,Maidstone 002B,Anti-social behaviour,,\n\
             ,2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01,Maidstone 002B,Anti-social behaviour,,\n\
             def,2023-01,Kent Police,Kent Police,,,No Location,,,Drugs,Under investigation,\n\
             ghi,2023-01,Kent Police,Kent Police,0.1,51.4,On or near Y,E09,Bexley 010C,Robbery,Under investigation,\n\
             jkl,2023-13,Kent Police,Kent Police,0.5,51.2,On or near X,E01,Maidstone 002B,Burglary,,\n\
             mno,2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01,Maidstone 002B,Arson,,\n"
            ),
        )
        .unwrap();
        let districts = scrutiny_core::definitions::Definitions::builtin().districts;
        let file = read(&path, FileKind::Street, &districts).unwrap();
        assert_eq!(file.rows_read, 7);
        assert_eq!(file.months.len(), 1);
        let rows = &file.months[0].rows;
        assert_eq!(file.months[0].force, "Kent");
        assert_eq!(rows.len(), 5, "duplicate ASB rows are separate incidents");
        assert_eq!(rows[0].district, "Folkestone and Hythe");
        assert_eq!(rows[3].district, "No location");
        assert_eq!(rows[4].district, "Outside force area");
        let messages: Vec<String> = file.rejects.iter().map(|diagnostic| diagnostic.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].ends_with(":7: Month: '2023-13' is not a month (expected YYYY-MM)"), "{}", messages[0]);
        assert!(messages[1].ends_with(":8: Crime type: 'Arson' is not a data.police.uk crime type"), "{}", messages[1]);
    }
}
