//! The seed-2024 force's returns (docs/returns.md): `returns.json`, a CSV of
//! monthly values and CSVs of per-call 999 and 101 records whose handling
//! gives the profile's targets (`profiles/seed-2024-returns.toml`) exactly:
//! calls received and answered, the average seconds to answer and the share
//! answered in under 10 seconds.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::Deserialize;

use scrutiny_core::YearMonth;

use crate::calendar::days_in_month;
use crate::random::Random;
use crate::{Error, FileSummary};

const PROFILE: &str = include_str!("../profiles/seed-2024-returns.toml");
const PROFILE_FILE: &str = "profiles/seed-2024-returns.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    measure: Vec<RawMeasure>,
    calls: Vec<RawCalls>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    id: String,
    source: String,
    owner: String,
    values: BTreeMap<String, u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalls {
    channel: String,
    month: String,
    received: u64,
    answered: u64,
    average_seconds: u64,
    under_10s_tenths: u64,
}

fn month(text: &str) -> Result<YearMonth, Error> {
    text.parse().map_err(|error| Error::profile(PROFILE_FILE, format!("month '{text}': {error}")))
}

/// Seconds to answer for `answered` calls: exactly `round(under_10s_tenths ×
/// answered / 1000)` of them under 10 seconds, summing to `average × answered`.
fn answer_seconds(calls: &RawCalls, random: &mut Random) -> Result<Vec<u64>, Error> {
    let answered = calls.answered;
    let under = (calls.under_10s_tenths * answered + 500) / 1000;
    let over = answered - under;
    let total = calls.average_seconds * answered;
    let place = format!("calls {} {}", calls.channel, calls.month);
    // Over-10 calls take at least 10 s and a margin; under-10 calls share the rest.
    let under_budget = total.saturating_sub(over * 14);
    let under_mean = if under == 0 { 0.0 } else { (under_budget as f64 / under as f64).min(4.5) };
    let mut seconds: Vec<u64> =
        (0..under).map(|_| (random.unit() * 2.0 * under_mean).floor().min(9.0) as u64).collect();
    let under_sum: u64 = seconds.iter().sum();
    let over_total =
        total.checked_sub(under_sum).filter(|rest| *rest >= over * 10 && (over > 0 || *rest == 0)).ok_or_else(
            || Error::profile(PROFILE_FILE, format!("{place}: the average and the under-10 share cannot both hold")),
        )?;
    if over > 0 {
        let extra = over_total - over * 10;
        let weights: Vec<f64> = (0..over).map(|_| -(1.0 - random.unit()).ln() + 0.01).collect();
        let weight_sum: f64 = weights.iter().sum();
        let mut given = 0;
        let mut over_seconds: Vec<u64> = weights
            .iter()
            .map(|weight| {
                let share = (extra as f64 * weight / weight_sum).floor() as u64;
                given += share;
                10 + share
            })
            .collect();
        for index in 0..(extra - given) as usize {
            over_seconds[index % over as usize] += 1;
        }
        seconds.extend(over_seconds);
    }
    random.shuffle(&mut seconds);
    Ok(seconds)
}

/// Writes the returns of the seed-2024 force into `folder`.
pub(crate) fn write_seed_returns(force: &str, seed: u64, folder: &Path) -> Result<Vec<FileSummary>, Error> {
    let raw: RawProfile = toml::from_str(PROFILE).map_err(|error| Error::profile(PROFILE_FILE, error.to_string()))?;
    let mut rows = Vec::new();
    for measure in &raw.measure {
        for (text, value) in &measure.values {
            rows.push((month(text)?, measure.id.as_str(), *value, measure.source.as_str(), measure.owner.as_str()));
        }
    }
    write_returns(force, seed, rows, &raw.calls, folder)
}

const TERM_PROFILE: &str = include_str!("../profiles/term-returns.toml");
const TERM_PROFILE_FILE: &str = "profiles/term-returns.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTermProfile {
    measure: Vec<RawTermMeasure>,
    calls: Vec<RawTermCalls>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTermMeasure {
    id: String,
    source: String,
    owner: String,
    monthly: u64,
    spread: f64,
    #[serde(default)]
    growth: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTermCalls {
    channel: String,
    received: u64,
    answered_tenths: u64,
    average_seconds: u64,
    under_10s_tenths: u64,
    spread: f64,
}

/// Writes returns for every month `from` to `to` (the term force's), each
/// varying about the profile's typical month (`profiles/term-returns.toml`).
pub(crate) fn write_term_returns(
    force: &str,
    seed: u64,
    from: YearMonth,
    to: YearMonth,
    folder: &Path,
) -> Result<Vec<FileSummary>, Error> {
    let raw: RawTermProfile =
        toml::from_str(TERM_PROFILE).map_err(|error| Error::profile(TERM_PROFILE_FILE, error.to_string()))?;
    let mut random = Random::new(seed, 900);
    let months: Vec<YearMonth> =
        std::iter::successors(Some(from), |month| Some(month.plus(1))).take_while(|month| *month <= to).collect();
    let mut rows = Vec::new();
    for measure in &raw.measure {
        if !(0.0..1.0).contains(&measure.spread) {
            return Err(Error::profile(TERM_PROFILE_FILE, format!("{}: spread must be in 0..1", measure.id)));
        }
        for (index, month) in months.iter().enumerate() {
            let trend = (1.0 + measure.growth).powf(index as f64 / 12.0);
            let varied = measure.monthly as f64 * trend * (1.0 + measure.spread * random.symmetric());
            let value = random.round(varied.max(0.0));
            rows.push((*month, measure.id.as_str(), value, measure.source.as_str(), measure.owner.as_str()));
        }
    }
    let mut calls = Vec::new();
    for channel in &raw.calls {
        if channel.answered_tenths > 1000 || channel.under_10s_tenths > 1000 || !(0.0..1.0).contains(&channel.spread) {
            return Err(Error::profile(
                TERM_PROFILE_FILE,
                format!("calls {}: shares are tenths of a percent, at most 1000", channel.channel),
            ));
        }
        for month in &months {
            let varied = channel.received as f64 * (1.0 + channel.spread * random.symmetric());
            let received = random.round(varied);
            // The share answered moves by up to half a percentage point, the
            // average wait by up to a tenth, month to month.
            let answered_tenths = (channel.answered_tenths as f64 + 5.0 * random.symmetric()).clamp(0.0, 1000.0);
            let average = channel.average_seconds as f64 * (1.0 + 0.1 * random.symmetric());
            calls.push(RawCalls {
                channel: channel.channel.clone(),
                month: month.to_string(),
                received,
                answered: random.round(received as f64 * answered_tenths / 1000.0).min(received),
                average_seconds: random.round(average).max(1),
                under_10s_tenths: channel.under_10s_tenths,
            });
        }
    }
    write_returns(force, seed, rows, &calls, folder)
}

/// Writes a returns folder: the manifest, the monthly values (month, measure
/// id, value, source, owner) and per-call records meeting each month's targets.
fn write_returns(
    force: &str,
    seed: u64,
    mut rows: Vec<(YearMonth, &str, u64, &str, &str)>,
    calls: &[RawCalls],
    folder: &Path,
) -> Result<Vec<FileSummary>, Error> {
    std::fs::create_dir_all(folder).map_err(|error| Error::io(folder, error))?;
    let mut files = Vec::new();
    let manifest = folder.join("returns.json");
    let text = serde_json::json!({"format": "scrutiny-returns", "version": 1, "force": force});
    std::fs::write(&manifest, format!("{text}\n")).map_err(|error| Error::io(&manifest, error))?;
    files.push(FileSummary { path: manifest, rows: 1 });

    let path = folder.join("returns.csv");
    let mut writer = csv::Writer::from_path(&path).map_err(|error| Error::csv(&path, error))?;
    writer.write_record(["month", "measure", "value", "source", "owner"]).map_err(|error| Error::csv(&path, error))?;
    rows.sort();
    for (month, measure, value, source, owner) in &rows {
        writer
            .write_record([month.to_string().as_str(), *measure, value.to_string().as_str(), *source, *owner])
            .map_err(|error| Error::csv(&path, error))?;
    }
    writer.flush().map_err(|error| Error::io(&path, error))?;
    files.push(FileSummary { path, rows: rows.len() as u64 });

    let mut by_channel: BTreeMap<&str, Vec<&RawCalls>> = BTreeMap::new();
    for calls in calls {
        by_channel.entry(calls.channel.as_str()).or_default().push(calls);
    }
    for (channel, months) in by_channel {
        let path = folder.join(format!("calls-{channel}.csv"));
        let file = File::create(&path).map_err(|error| Error::io(&path, error))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let io = |error: std::io::Error| Error::io(&path, error);
        writeln!(out, "call_id,channel,presented,outcome,seconds_to_answer").map_err(io)?;
        let mut written = 0;
        for (index, calls) in months.iter().enumerate() {
            let month = month(&calls.month)?;
            if calls.answered > calls.received {
                return Err(Error::profile(
                    PROFILE_FILE,
                    format!("calls {channel} {month}: more answered than received"),
                ));
            }
            let stream = 1000 + index as u64 + if channel == "999" { 0 } else { 100 };
            let mut random = Random::new(seed, stream);
            let mut outcomes: Vec<Option<u64>> = answer_seconds(calls, &mut random)?.into_iter().map(Some).collect();
            outcomes.extend((0..calls.received - calls.answered).map(|_| None));
            random.shuffle(&mut outcomes);
            let seconds_in_month = u64::from(days_in_month(month)) * 86_400;
            let mut times: Vec<u64> = (0..calls.received).map(|_| random.next_u64() % seconds_in_month).collect();
            times.sort_unstable();
            for (number, (time, outcome)) in times.iter().zip(&outcomes).enumerate() {
                let (day, rest) = (time / 86_400 + 1, time % 86_400);
                let stamp = format!("{}-{day:02}T{:02}:{:02}:{:02}", month, rest / 3600, rest / 60 % 60, rest % 60);
                match outcome {
                    Some(seconds) => writeln!(
                        out,
                        "{channel}-{}{:02}-{:06},{channel},{stamp},answered,{seconds}",
                        month.year(),
                        month.month(),
                        number + 1
                    ),
                    None => writeln!(
                        out,
                        "{channel}-{}{:02}-{:06},{channel},{stamp},abandoned,",
                        month.year(),
                        month.month(),
                        number + 1
                    ),
                }
                .map_err(io)?;
            }
            written += calls.received;
        }
        out.flush().map_err(io)?;
        files.push(FileSummary { path, rows: written });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_calls_meet_the_targets_exactly() {
        let raw: RawProfile = toml::from_str(PROFILE).unwrap();
        let mut random = Random::new(1, 1);
        for calls in &raw.calls {
            let seconds = answer_seconds(calls, &mut random).unwrap();
            assert_eq!(seconds.len() as u64, calls.answered);
            assert_eq!(seconds.iter().sum::<u64>(), calls.average_seconds * calls.answered, "{}", calls.month);
            let under = seconds.iter().filter(|seconds| **seconds < 10).count() as u64;
            assert_eq!((under * 1000 * 2 + calls.answered) / (2 * calls.answered), calls.under_10s_tenths);
        }
        let impossible = RawCalls {
            channel: "999".into(),
            month: "2024-04".into(),
            received: 100,
            answered: 100,
            average_seconds: 2,
            under_10s_tenths: 500,
        };
        assert!(answer_seconds(&impossible, &mut random).is_err(), "half over 10 s cannot average 2 s");
    }
}
