//! Returns (docs/returns.md): a folder with `returns.json` naming the force,
//! CSV files of monthly values (month, measure, value, source, owner) and,
//! optionally, CSV files of per-call records (call_id, channel, presented,
//! outcome, seconds_to_answer), which are summed into monthly call handling.
//! Each file's kind is known from its header.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;
use serde::Deserialize;

use scrutiny_core::YearMonth;
use scrutiny_core::definitions::Definitions;
use scrutiny_core::records::Date;
use scrutiny_core::returns::{CallMonth, ReturnValue};

use crate::reader::{self, csv_reader, map_header, row_text};
use crate::{Diagnostic, Error};

pub const MANIFEST_NAME: &str = "returns.json";
pub const FORMAT_NAME: &str = "scrutiny-returns";
pub const VALUE_COLUMNS: [&str; 5] = ["month", "measure", "value", "source", "owner"];
pub const CALL_COLUMNS: [&str; 5] = ["call_id", "channel", "presented", "outcome", "seconds_to_answer"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    format: String,
    version: u32,
    force: String,
}

/// Where a value or a month of calls was read: file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: PathBuf,
    pub line: u64,
}

/// A value read from a return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub measure: String,
    pub month: YearMonth,
    pub value: ReturnValue,
    pub origin: Origin,
}

/// The calls of one channel and month, with the first line they were read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calls {
    pub channel: String,
    pub month: YearMonth,
    pub calls: CallMonth,
    pub origin: Origin,
}

/// What a returns folder holds, read and checked.
#[derive(Debug, Clone, Default)]
pub struct Returns {
    pub dir: PathBuf,
    pub force: String,
    pub files: Vec<PathBuf>,
    /// Values in file order, one per (measure, month).
    pub values: Vec<Value>,
    /// Monthly call handling, by (channel, month).
    pub calls: Vec<Calls>,
    /// Data rows read (values and calls).
    pub rows_read: u64,
    pub rejects: Vec<Diagnostic>,
}

fn diagnostic(path: &Path, line: u64, field: &str, reason: impl Into<String>, row: &csv::ByteRecord) -> Diagnostic {
    Diagnostic { file: path.to_path_buf(), line, field: field.to_string(), reason: reason.into(), row: row_text(row) }
}

fn field(record: &csv::ByteRecord, position: Option<usize>) -> Result<&str, &'static str> {
    let bytes = position.and_then(|position| record.get(position)).unwrap_or(b"");
    std::str::from_utf8(bytes).map(str::trim).map_err(|_| "is not UTF-8 text")
}

/// "2024-04-01T08:15:02" or "2024-04-01 08:15:02": the month it falls in.
fn timestamp_month(text: &str) -> Result<YearMonth, String> {
    let (date, time) = text
        .split_once(['T', ' '])
        .ok_or_else(|| format!("'{text}' is not a timestamp (expected YYYY-MM-DDTHH:MM:SS)"))?;
    let date = Date::parse(date).map_err(|error| error.to_string())?;
    let parts: Vec<&str> = time.split(':').collect();
    let valid = parts.len() == 3
        && parts.iter().all(|part| part.len() == 2 && part.bytes().all(|byte| byte.is_ascii_digit()))
        && parts[0] < "24"
        && parts[1] < "60"
        && parts[2] < "60";
    if !valid {
        return Err(format!("'{text}' is not a timestamp (expected YYYY-MM-DDTHH:MM:SS)"));
    }
    Ok(date.year_month())
}

fn whole_number(text: &str) -> Result<u64, String> {
    if text.is_empty() {
        return Err("is empty (a value not returned is left out, not written as 0 or blank)".to_string());
    }
    if text.starts_with('-') {
        return Err(format!("'{text}' is negative"));
    }
    let digits = text.replace(',', "");
    digits.parse::<u64>().map_err(|_| {
        if digits.parse::<f64>().is_ok() {
            format!("'{text}' is not a whole number")
        } else {
            format!("'{text}' is not a number")
        }
    })
}

/// Reads and checks the returns folder `dir`.
pub fn read(dir: &Path, definitions: &Definitions) -> Result<Returns, Error> {
    let manifest = dir.join(MANIFEST_NAME);
    let text = std::fs::read_to_string(&manifest).map_err(|error| Error::io(&manifest, error))?;
    let raw: RawManifest = serde_json::from_str(&text)
        .map_err(|error| Error::format(&manifest, Some(error.line() as u64), error.to_string()))?;
    if raw.format != FORMAT_NAME {
        return Err(Error::format(&manifest, None, format!("format: '{}' is not '{FORMAT_NAME}'", raw.format)));
    }
    if raw.version != 1 {
        return Err(Error::format(
            &manifest,
            None,
            format!("version: {} is not supported (this Scrutiny reads version 1)", raw.version),
        ));
    }
    if raw.force.trim().is_empty() {
        return Err(Error::format(&manifest, None, "force: empty (name the force, e.g. \"Kent\")"));
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|error| Error::io(dir, error))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file() && reader::is_csv(path))
        .collect();
    files.sort();
    let mut returns = Returns { dir: dir.to_path_buf(), force: raw.force.trim().to_string(), ..Returns::default() };
    let mut values: BTreeMap<(String, YearMonth), Value> = BTreeMap::new();
    let mut conflicted: FxHashSet<(String, YearMonth)> = FxHashSet::default();
    let mut calls: BTreeMap<(String, YearMonth), Calls> = BTreeMap::new();
    let mut call_ids: FxHashSet<(String, String)> = FxHashSet::default();
    for path in &files {
        let mut csv = csv_reader(path)?;
        let header = csv.headers().map_err(|error| Error::format(path, Some(1), error.to_string()))?.clone();
        let first = header.get(0).unwrap_or("").trim().trim_start_matches('\u{feff}');
        let is_calls = first == CALL_COLUMNS[0];
        let columns: &[&str] = if is_calls { &CALL_COLUMNS } else { &VALUE_COLUMNS };
        let positions = map_header(path, &header, columns, &[])?;
        returns.files.push(path.clone());
        let mut record = csv::ByteRecord::new();
        loop {
            match csv.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => return Err(Error::format(path, record.position().map(|p| p.line()), error.to_string())),
            }
            let line = record.position().map_or(0, |position| position.line());
            returns.rows_read += 1;
            let mut fields = Vec::with_capacity(5);
            let mut bad = None;
            for (index, position) in positions.iter().enumerate() {
                match field(&record, *position) {
                    Ok(text) => fields.push(text),
                    Err(reason) => {
                        bad = Some((columns[index], reason));
                        break;
                    }
                }
            }
            if let Some((name, reason)) = bad {
                returns.rejects.push(diagnostic(path, line, name, reason, &record));
                continue;
            }
            if is_calls {
                let [call_id, channel, presented, outcome, seconds] =
                    [fields[0], fields[1], fields[2], fields[3], fields[4]];
                let reject = |name: &str, reason: String| diagnostic(path, line, name, reason, &record);
                if call_id.is_empty() {
                    returns.rejects.push(reject("call_id", "is empty".to_string()));
                    continue;
                }
                if definitions.returns.channel(channel).is_none() {
                    let known: Vec<&str> =
                        definitions.returns.channels.iter().map(|channel| channel.id.as_str()).collect();
                    returns.rejects.push(reject(
                        "channel",
                        format!("'{channel}' is not a channel (expected {})", known.join(" or ")),
                    ));
                    continue;
                }
                let month = match timestamp_month(presented) {
                    Ok(month) => month,
                    Err(reason) => {
                        returns.rejects.push(reject("presented", reason));
                        continue;
                    }
                };
                let seconds_to_answer = match (outcome, seconds) {
                    ("answered", text) => match whole_number(text) {
                        Ok(seconds) => Some(seconds),
                        Err(reason) => {
                            returns.rejects.push(reject(
                                "seconds_to_answer",
                                format!("{reason} (an answered call needs its whole seconds to answer)"),
                            ));
                            continue;
                        }
                    },
                    ("abandoned", "") => None,
                    ("abandoned", text) => {
                        returns.rejects.push(reject(
                            "seconds_to_answer",
                            format!("'{text}' given for an abandoned call (leave it empty)"),
                        ));
                        continue;
                    }
                    (other, _) => {
                        returns.rejects.push(reject(
                            "outcome",
                            format!("'{other}' is not an outcome (expected answered or abandoned)"),
                        ));
                        continue;
                    }
                };
                if !call_ids.insert((channel.to_string(), call_id.to_string())) {
                    returns.rejects.push(reject("call_id", format!("'{call_id}' appears twice for channel {channel}")));
                    continue;
                }
                calls
                    .entry((channel.to_string(), month))
                    .or_insert_with(|| Calls {
                        channel: channel.to_string(),
                        month,
                        calls: CallMonth::default(),
                        origin: Origin { file: path.clone(), line },
                    })
                    .calls
                    .add(seconds_to_answer);
            } else {
                let [month, measure, value, source, owner] = [fields[0], fields[1], fields[2], fields[3], fields[4]];
                let reject = |name: &str, reason: String| diagnostic(path, line, name, reason, &record);
                let month = match month.parse::<YearMonth>() {
                    Ok(month) => month,
                    Err(error) => {
                        returns.rejects.push(reject("month", format!("'{month}': {error} (expected YYYY-MM)")));
                        continue;
                    }
                };
                if definitions.returns.measure(measure).is_none() {
                    let reason = if definitions.returns.channel(measure.split('-').nth(1).unwrap_or("")).is_some()
                        || measure.starts_with("calls")
                    {
                        format!(
                            "'{measure}' is not a return measure: call handling is computed from per-call records (docs/returns.md)"
                        )
                    } else {
                        format!("'{measure}' is not a return measure (see definitions/returns.toml)")
                    };
                    returns.rejects.push(reject("measure", reason));
                    continue;
                }
                let number = match whole_number(value) {
                    Ok(number) => number,
                    Err(reason) => {
                        returns.rejects.push(reject("value", reason));
                        continue;
                    }
                };
                for (name, text) in [("source", source), ("owner", owner)] {
                    if text.is_empty() {
                        returns.rejects.push(reject(name, format!("is empty (say who supplies {measure})")));
                    }
                }
                if source.is_empty() || owner.is_empty() {
                    continue;
                }
                let key = (measure.to_string(), month);
                if conflicted.contains(&key) {
                    returns.rejects.push(reject(
                        "value",
                        format!("{measure} for {month} is given more than once with different values"),
                    ));
                    continue;
                }
                let origin = Origin { file: path.clone(), line };
                let incoming = ReturnValue { value: number, source: source.to_string(), owner: owner.to_string() };
                match values.entry(key.clone()) {
                    Entry::Vacant(slot) => {
                        slot.insert(Value { measure: measure.to_string(), month, value: incoming, origin });
                    }
                    Entry::Occupied(slot) if slot.get().value.value == incoming.value => {}
                    Entry::Occupied(slot) => {
                        let earlier = slot.remove();
                        conflicted.insert(key);
                        returns.rejects.push(reject(
                            "value",
                            format!(
                                "{measure} for {month} is {number} here but {} at {}:{}; neither is stored",
                                earlier.value.value,
                                earlier.origin.file.display(),
                                earlier.origin.line
                            ),
                        ));
                        returns.rejects.push(Diagnostic {
                            file: earlier.origin.file.clone(),
                            line: earlier.origin.line,
                            field: "value".to_string(),
                            reason: format!(
                                "{measure} for {month} is {} here but {number} at {}:{line}; neither is stored",
                                earlier.value.value,
                                path.display()
                            ),
                            row: format!(
                                "{month},{measure},{},{},{}",
                                earlier.value.value, earlier.value.source, earlier.value.owner
                            ),
                        });
                    }
                }
            }
        }
    }
    if returns.files.is_empty() {
        return Err(Error::format(dir, None, "no CSV files beside returns.json (see docs/returns.md)"));
    }
    let mut values: Vec<Value> = values.into_values().collect();
    values.sort_by(|a, b| (&a.origin.file, a.origin.line).cmp(&(&b.origin.file, b.origin.line)));
    returns.values = values;
    returns.calls = calls.into_values().collect();
    returns.rejects.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    Ok(returns)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(MANIFEST_NAME),
            r#"{"format": "scrutiny-returns", "version": 1, "force": "Kent"}"#,
        )
        .unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    fn reasons(returns: &Returns) -> Vec<String> {
        returns
            .rejects
            .iter()
            .map(|reject| {
                format!(
                    "{}:{}: {}: {}",
                    reject.file.file_name().unwrap().to_string_lossy(),
                    reject.line,
                    reject.field,
                    reject.reason
                )
            })
            .collect()
    }

    #[test]
    fn bad_rows_are_diagnosed_with_file_line_field_and_reason() {
        let dir = folder(&[(
            "soc.csv",
            "month,measure,value,source,owner\n\
             2024-05,ocg-live,41,SOC tracker,SCD\n\
             2024-13,ocg-live,41,SOC tracker,SCD\n\
             2024-06,ocg-alive,41,SOC tracker,SCD\n\
             2024-06,ocg-live,forty,SOC tracker,SCD\n\
             2024-06,ocg-live,4.5,SOC tracker,SCD\n\
             2024-06,calls-999-received,41,BT,Control room\n\
             2024-07,ocg-disruptions,40,SOC tracker,SCD\n\
             2024-07,ocg-disruptions,41,SOC tracker,SCD\n\
             2024-05,ocg-live,41,SOC tracker,SCD\n",
        )]);
        let returns = read(dir.path(), &Definitions::builtin()).unwrap();
        let reasons = reasons(&returns);
        assert_eq!(returns.force, "Kent");
        assert_eq!(returns.rows_read, 9);
        assert_eq!(returns.values.len(), 1, "{reasons:?}");
        assert_eq!((returns.values[0].measure.as_str(), returns.values[0].value.value), ("ocg-live", 41));
        assert!(reasons[0].starts_with("soc.csv:3: month: '2024-13'"), "{reasons:?}");
        assert!(reasons[1].contains("soc.csv:4: measure: 'ocg-alive' is not a return measure"), "{reasons:?}");
        assert!(reasons[2].contains("soc.csv:5: value: 'forty' is not a number"), "{reasons:?}");
        assert!(reasons[3].contains("soc.csv:6: value: '4.5' is not a whole number"), "{reasons:?}");
        assert!(
            reasons[4].contains(
                "soc.csv:7: measure: 'calls-999-received' is not a return measure: call handling is computed"
            ),
            "{reasons:?}"
        );
        assert!(
            reasons[5].contains("soc.csv:8: value: ocg-disruptions for 2024-07 is 40 here but 41 at"),
            "{reasons:?}"
        );
        assert!(
            reasons[6].contains("soc.csv:9: value: ocg-disruptions for 2024-07 is 41 here but 40 at"),
            "{reasons:?}"
        );
        assert_eq!(reasons.len(), 7, "the identical repeat on line 10 is not an error: {reasons:?}");
    }

    #[test]
    fn calls_are_summed_by_channel_and_month() {
        let dir = folder(&[(
            "calls-2024-04.csv",
            "call_id,channel,presented,outcome,seconds_to_answer\n\
             C1,999,2024-04-01T00:00:03,answered,2\n\
             C2,999,2024-04-30T23:59:59,answered,12\n\
             C3,999,2024-05-01T00:00:00,abandoned,\n\
             C4,101,2024-04-02 10:00:00,answered,45\n\
             C1,999,2024-04-03T10:00:00,answered,1\n\
             C5,112,2024-04-03T10:00:00,answered,1\n\
             C6,999,2024-04-31T10:00:00,answered,1\n\
             C7,999,2024-04-03T10:00:00,answered,\n\
             C8,999,2024-04-03T10:00:00,abandoned,4\n\
             C9,999,2024-04-03T10:00:00,hung-up,\n",
        )]);
        let returns = read(dir.path(), &Definitions::builtin()).unwrap();
        let reasons = reasons(&returns);
        assert_eq!(reasons.len(), 6, "{reasons:?}");
        assert!(reasons[0].contains(":6: call_id: 'C1' appears twice"), "{reasons:?}");
        assert!(reasons[1].contains(":7: channel: '112' is not a channel"), "{reasons:?}");
        assert!(reasons[2].contains(":8: presented:"), "{reasons:?}");
        assert!(reasons[3].contains(":9: seconds_to_answer: is empty"), "{reasons:?}");
        assert!(reasons[4].contains(":10: seconds_to_answer: '4' given for an abandoned call"), "{reasons:?}");
        assert!(reasons[5].contains(":11: outcome: 'hung-up'"), "{reasons:?}");
        let april: Vec<_> = returns.calls.iter().filter(|calls| calls.month.to_string() == "2024-04").collect();
        assert_eq!(april.len(), 2);
        let nines = april.iter().find(|calls| calls.channel == "999").unwrap();
        assert_eq!(nines.calls, CallMonth { received: 2, answered: 2, answered_under_10s: 1, answer_seconds: 14 });
        assert_eq!(returns.calls.iter().find(|calls| calls.month.to_string() == "2024-05").unwrap().calls.received, 1);
    }

    #[test]
    fn unreadable_folders_are_errors() {
        let dir = folder(&[("x.csv", "month,measure,value,source\n")]);
        let error = read(dir.path(), &Definitions::builtin()).unwrap_err();
        assert!(error.to_string().contains("required column 'owner' is missing"), "{error}");
        let empty = tempfile::tempdir().unwrap();
        assert!(read(empty.path(), &Definitions::builtin()).unwrap_err().to_string().contains("returns.json"));
    }
}
