//! Opening CSV files, plain or xz-compressed, and mapping their headers.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::Error;

/// Opens `path` for reading, decompressing `.xz` files on the fly.
pub fn open(path: &Path) -> Result<Box<dyn Read + Send>, Error> {
    let file = File::open(path).map_err(|error| Error::io(path, error))?;
    let reader = BufReader::with_capacity(1 << 20, file);
    if path.extension().is_some_and(|extension| extension == "xz") {
        Ok(Box::new(xz2::read::XzDecoder::new(reader)))
    } else {
        Ok(Box::new(reader))
    }
}

/// A CSV reader over `path` that keeps line numbers and reads every row as bytes.
pub fn csv_reader(path: &Path) -> Result<csv::Reader<Box<dyn Read + Send>>, Error> {
    Ok(csv::ReaderBuilder::new().has_headers(true).flexible(true).buffer_capacity(1 << 20).from_reader(open(path)?))
}

/// A CSV reader over bytes `from..to` of `path` (to the end without `to`),
/// which must start at a line; `headers` when the part starts with the header.
pub fn csv_part(
    path: &Path,
    from: u64,
    to: Option<u64>,
    headers: bool,
) -> Result<csv::Reader<Box<dyn Read + Send>>, Error> {
    use std::io::{Seek, SeekFrom};
    let mut file = File::open(path).map_err(|error| Error::io(path, error))?;
    file.seek(SeekFrom::Start(from)).map_err(|error| Error::io(path, error))?;
    let reader = BufReader::with_capacity(1 << 20, file);
    let part: Box<dyn Read + Send> = match to {
        Some(to) => Box::new(reader.take(to - from)),
        None => Box::new(reader),
    };
    Ok(csv::ReaderBuilder::new().has_headers(headers).flexible(true).buffer_capacity(1 << 20).from_reader(part))
}

/// The text of the rows of `path` that start on `lines` (as [`row_text`] gives it), read again.
pub fn rows_at(path: &Path, lines: impl Iterator<Item = u64>) -> Result<HashMap<u64, String>, Error> {
    let wanted: HashSet<u64> = lines.collect();
    let mut rows = HashMap::new();
    let mut csv = csv_reader(path)?;
    let mut record = csv::ByteRecord::new();
    while rows.len() < wanted.len() {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => return Err(Error::format(path, None, format!("reading it again: {error}"))),
        }
        let line = record.position().map(|position| position.line()).unwrap_or(0);
        if wanted.contains(&line) {
            rows.insert(line, row_text(&record));
        }
    }
    Ok(rows)
}

/// A little more than the number of rows `path` holds, from the length of its first lines and
/// the size of the file: enough to size tables before reading, never relied on.
/// Compressed files, unreadable files and empty files estimate 0.
pub fn estimated_rows(path: &Path) -> usize {
    const SAMPLE: usize = 1 << 16;
    if path.extension().is_some_and(|extension| extension == "xz") {
        return 0;
    }
    let Ok(mut file) = File::open(path) else {
        return 0;
    };
    let length = file.metadata().map(|metadata| metadata.len()).unwrap_or(0);
    let mut sample = vec![0; SAMPLE];
    let Ok(read) = file.read(&mut sample) else {
        return 0;
    };
    let lines = sample[..read].iter().filter(|&&byte| byte == b'\n').count();
    if lines == 0 {
        return 0;
    }
    // The lines of the sample stand for the rest of the file, with a margin:
    // reserving a little too much costs address space only, while a table
    // that fills up doubles and copies itself. Capped, so that a strange file
    // cannot make the reader reserve gigabytes up front.
    let lines = length as f64 * lines as f64 / read as f64;
    ((lines * 1.1).ceil() as usize + 1024).min(1 << 24)
}

/// The file name without `.csv` / `.csv.xz`, lower-cased.
pub fn stem(path: &Path) -> String {
    let name = path.file_name().map(|name| name.to_string_lossy().to_lowercase()).unwrap_or_default();
    name.trim_end_matches(".xz").trim_end_matches(".csv").to_string()
}

pub fn is_csv(path: &Path) -> bool {
    let name = path.file_name().map(|name| name.to_string_lossy().to_lowercase()).unwrap_or_default();
    name.ends_with(".csv") || name.ends_with(".csv.xz")
}

/// Column positions for the expected names; refuses missing and unknown columns.
pub fn map_header(
    path: &Path,
    header: &csv::StringRecord,
    expected: &[&str],
    optional: &[&str],
) -> Result<Vec<Option<usize>>, Error> {
    let names: Vec<String> = header.iter().map(|name| name.trim().trim_start_matches('\u{feff}').to_string()).collect();
    for (index, name) in names.iter().enumerate() {
        if !expected.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
            return Err(Error::format(
                path,
                Some(1),
                format!("header: unknown column '{name}' (column {}; expected {})", index + 1, expected.join(", ")),
            ));
        }
        if names[..index].contains(name) {
            return Err(Error::format(path, Some(1), format!("header: column '{name}' appears twice")));
        }
    }
    let mut positions = Vec::new();
    for name in expected {
        match names.iter().position(|candidate| candidate == name) {
            Some(position) => positions.push(Some(position)),
            None => {
                return Err(Error::format(path, Some(1), format!("header: required column '{name}' is missing")));
            }
        }
    }
    for name in optional {
        positions.push(names.iter().position(|candidate| candidate == name));
    }
    Ok(positions)
}

/// The row as text, for the rejects file.
pub fn row_text(record: &csv::ByteRecord) -> String {
    let mut writer =
        csv::WriterBuilder::new().has_headers(false).terminator(csv::Terminator::Any(b' ')).from_writer(Vec::new());
    if writer.write_byte_record(record).is_err() {
        return String::new();
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_rows_from_the_first_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crimes.csv");
        let rows: String =
            (0..50_000).map(|n| format!("46/{n:06}/21,2021-09-01,66,Thanet,N,,N,N,N,recorded\n")).collect();
        std::fs::write(&path, format!("crime_reference,recorded_date\n{rows}")).unwrap();
        let estimate = estimated_rows(&path);
        assert!(
            (50_000..=56_500).contains(&estimate),
            "estimate {estimate} for 50,000 rows (never below, at most 13% above)"
        );
        std::fs::write(&path, "").unwrap();
        assert_eq!(estimated_rows(&path), 0, "an empty file");
        assert_eq!(estimated_rows(&dir.path().join("missing.csv")), 0, "a missing file");
        assert_eq!(estimated_rows(&dir.path().join("crimes.csv.xz")), 0, "compressed files are not estimated");
    }
}
