//! Writes one force's records as a force extract (format v1, docs/extract):
//! extract.json, crimes.csv, outcomes.csv, suspect-activity.csv and asb.csv,
//! rows sorted by date then reference so that the bytes are stable.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use scrutiny_core::flags::Flags;

use crate::engine::{self, ForceRecords};
use crate::profile::ForceSpec;
use crate::realism::Realism;
use crate::{Error, FileSummary};

const BUFFER: usize = 1 << 20;

#[derive(Serialize)]
struct Manifest<'a> {
    format: &'a str,
    version: u32,
    force: &'a str,
    system: &'a str,
    extracted_on: &'a str,
    covers: Covers,
}

#[derive(Serialize)]
struct Covers {
    from: String,
    to: String,
}

/// Appends `value` zero-padded to `width` digits.
fn push_number(buffer: &mut Vec<u8>, value: u32, width: usize) {
    let mut digits = [0u8; 10];
    let mut length = 0;
    let mut rest = value;
    loop {
        digits[length] = b'0' + (rest % 10) as u8;
        length += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for _ in length..width {
        buffer.push(b'0');
    }
    buffer.extend(digits[..length].iter().rev());
}

/// References of one force: `46/012345/24` for crimes, `ASB-46-24-0001234` for ASB.
struct References<'a> {
    prefix: &'a [u8],
    digits: usize,
}

impl References<'_> {
    fn crime(&self, buffer: &mut Vec<u8>, number: u32, year: i32) {
        buffer.clear();
        buffer.extend_from_slice(self.prefix);
        buffer.push(b'/');
        push_number(buffer, number, self.digits);
        buffer.push(b'/');
        push_number(buffer, year.rem_euclid(100) as u32, 2);
    }

    fn asb(&self, buffer: &mut Vec<u8>, number: u32, year: i32) {
        buffer.clear();
        buffer.extend_from_slice(b"ASB-");
        buffer.extend_from_slice(self.prefix);
        buffer.push(b'-');
        push_number(buffer, year.rem_euclid(100) as u32, 2);
        buffer.push(b'-');
        push_number(buffer, number, 7);
    }
}

/// A CSV file being written, with its path for errors and its row count.
struct CsvFile {
    path: PathBuf,
    writer: csv::Writer<BufWriter<File>>,
    rows: u64,
}

impl CsvFile {
    fn create(folder: &Path, name: &str, header: &[&str]) -> Result<Self, Error> {
        let path = folder.join(name);
        let file = File::create(&path).map_err(|error| Error::io(&path, error))?;
        let mut writer = csv::WriterBuilder::new().from_writer(BufWriter::with_capacity(BUFFER, file));
        writer.write_record(header).map_err(|error| Error::csv(&path, error))?;
        Ok(Self { path, writer, rows: 0 })
    }

    fn row<const N: usize>(&mut self, fields: [&[u8]; N]) -> Result<(), Error> {
        self.rows += 1;
        self.writer.write_record(fields).map_err(|error| Error::csv(&self.path, error))
    }

    fn finish(self) -> Result<FileSummary, Error> {
        let Self { path, writer, rows } = self;
        let mut inner = writer.into_inner().map_err(|error| Error::io(&path, error.into_error()))?;
        inner.flush().map_err(|error| Error::io(&path, error))?;
        Ok(FileSummary { path, rows })
    }
}

fn flag(flags: Flags, which: Flags) -> &'static [u8] {
    if flags.contains(which) { b"Y" } else { b"N" }
}

/// Writes the extract of one force into `folder` (created if missing).
pub(crate) fn write_force(
    spec: &ForceSpec,
    realism: &Realism,
    records: &mut ForceRecords,
    folder: &Path,
) -> Result<Vec<FileSummary>, Error> {
    std::fs::create_dir_all(folder).map_err(|error| Error::io(folder, error))?;
    let calendar = &records.calendar;
    let references = References { prefix: spec.reference_prefix.as_bytes(), digits: spec.reference_digits };
    let mut files = Vec::new();

    let manifest_path = folder.join("extract.json");
    let manifest = Manifest {
        format: "scrutiny-force-extract",
        version: 1,
        force: &spec.name,
        system: &spec.system,
        extracted_on: &spec.extracted_on,
        covers: Covers { from: spec.from.to_string(), to: spec.to.to_string() },
    };
    let mut text = serde_json::to_string_pretty(&manifest).map_err(|error| Error::json(&manifest_path, error))?;
    text.push('\n');
    std::fs::write(&manifest_path, text).map_err(|error| Error::io(&manifest_path, error))?;
    files.push(FileSummary { path: manifest_path, rows: 1 });

    // Texts made once: codes, districts, hate strands, outcome types.
    let codes: Vec<&[u8]> = realism.codes.iter().map(|code| code.code.as_bytes()).collect();
    let districts: Vec<&[u8]> = spec.districts.iter().map(|district| district.0.as_bytes()).collect();
    let strand_texts: Vec<Vec<u8>> = (0u16..32)
        .map(|bits| {
            let names: Vec<&str> = Flags::HATE_STRANDS
                .iter()
                .enumerate()
                .filter(|(index, _)| bits & (1 << index) != 0)
                .map(|(_, (name, _))| *name)
                .collect();
            names.join(";").into_bytes()
        })
        .collect();
    let strand_shift = Flags::HATE_RACE.0.trailing_zeros();
    let mut reference = Vec::with_capacity(32);

    let mut crimes = CsvFile::create(
        folder,
        "crimes.csv",
        &[
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
        ],
    )?;
    for crime in &records.crimes {
        let day = u32::from(crime.day);
        references.crime(&mut reference, crime.number, calendar.year_of_day(day));
        let strands = usize::from((crime.flags.0 & Flags::HATE_CRIME.0) >> strand_shift);
        let status: &[u8] = match crime.status {
            engine::RECORDED => b"recorded",
            engine::CANCELLED => b"cancelled",
            _ => b"transferred",
        };
        crimes.row([
            &reference,
            calendar.text(day),
            codes[usize::from(crime.code)],
            districts[usize::from(crime.district)],
            flag(crime.flags, Flags::DOMESTIC_ABUSE),
            &strand_texts[strands],
            flag(crime.flags, Flags::CHILD_PROTECTION),
            flag(crime.flags, Flags::ADULT_PROTECTION),
            flag(crime.flags, Flags::KNIFE),
            status,
        ])?;
    }
    files.push(crimes.finish()?);

    // Outcomes and suspect activity, sorted by date then crime reference:
    // references of one force differ only in number, then year.
    let crime_key = |crime: u32| {
        let crime = &records.crimes[crime as usize];
        (u64::from(crime.number) << 13) | ((calendar.year_of_day(u32::from(crime.day)).rem_euclid(100) as u64) << 6)
    };
    let outcome_texts: Vec<String> = (0..=22).map(|outcome: u8| outcome.to_string()).collect();
    let mut sorted = std::mem::take(&mut records.outcomes);
    sorted.sort_by_cached_key(|outcome| {
        (u64::from(outcome.day) << 48) | crime_key(outcome.crime) | u64::from(outcome.outcome)
    });
    let mut outcomes = CsvFile::create(folder, "outcomes.csv", &["crime_reference", "outcome_type", "outcome_date"])?;
    for outcome in &sorted {
        let crime = &records.crimes[outcome.crime as usize];
        references.crime(&mut reference, crime.number, calendar.year_of_day(u32::from(crime.day)));
        outcomes.row([
            &reference,
            outcome_texts[usize::from(outcome.outcome)].as_bytes(),
            calendar.text(u32::from(outcome.day)),
        ])?;
    }
    files.push(outcomes.finish()?);
    records.outcomes = sorted;

    let mut sorted = std::mem::take(&mut records.events);
    sorted.sort_by_cached_key(|event| (u64::from(event.day) << 48) | crime_key(event.crime) | u64::from(event.event));
    let mut activity = CsvFile::create(folder, "suspect-activity.csv", &["crime_reference", "event", "event_date"])?;
    for event in &sorted {
        let crime = &records.crimes[event.crime as usize];
        references.crime(&mut reference, crime.number, calendar.year_of_day(u32::from(crime.day)));
        let name: &[u8] = match event.event {
            engine::ARREST => b"arrest",
            engine::VOLUNTARY_INTERVIEW => b"voluntary-interview",
            _ => b"interview",
        };
        activity.row([&reference, name, calendar.text(u32::from(event.day))])?;
    }
    files.push(activity.finish()?);
    records.events = sorted;

    let mut asb = CsvFile::create(folder, "asb.csv", &["incident_reference", "incident_date", "asb_type", "district"])?;
    for incident in &records.asb {
        let day = u32::from(incident.day);
        references.asb(&mut reference, incident.number, calendar.year_of_day(day));
        let kind: &[u8] = match incident.kind {
            0 => b"personal",
            1 => b"nuisance",
            _ => b"environmental",
        };
        asb.row([&reference, calendar.text(day), kind, districts[usize::from(incident.district)]])?;
    }
    files.push(asb.finish()?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_zero_padded() {
        let references = References { prefix: b"46", digits: 6 };
        let mut buffer = Vec::new();
        references.crime(&mut buffer, 123, 2024);
        assert_eq!(buffer, b"46/000123/24");
        references.asb(&mut buffer, 9, 2023);
        assert_eq!(buffer, b"ASB-46-23-0000009");
        push_number(&mut buffer, 1234567, 3);
        assert!(buffer.ends_with(b"1234567"));
    }
}
