//! Helpers: generate a profile into a temporary folder, hash its files, and
//! read an extract back while checking every rule of the format
//! (docs/extract): headers, dates inside `covers`, flags, strands, statuses,
//! references, sort order.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use scrutiny_core::YearMonth;
use scrutiny_synth::{Options, Summary, generate};
use sha2::{Digest, Sha256};

pub struct CrimeRow {
    pub reference: String,
    pub date: String,
    pub code: String,
    pub district: String,
    pub domestic_abuse: bool,
    pub hate_crime: String,
    pub child_protection: bool,
    pub adult_protection: bool,
    pub knife: bool,
    pub recorded: bool,
}

pub struct OutcomeRow {
    pub reference: String,
    pub outcome: u8,
    pub date: String,
}

pub struct EventRow {
    pub reference: String,
    pub event: String,
    pub date: String,
}

pub struct AsbRow {
    pub date: String,
    pub asb_type: String,
}

pub struct Extract {
    pub manifest: serde_json::Value,
    pub covers: (YearMonth, YearMonth),
    pub crimes: Vec<CrimeRow>,
    pub outcomes: Vec<OutcomeRow>,
    pub events: Vec<EventRow>,
    pub asb: Vec<AsbRow>,
}

/// A generated profile, read back, with the hashes of its files.
pub struct Generated {
    pub summary: Summary,
    pub hashes: BTreeMap<String, Vec<u8>>,
    pub extract: Extract,
}

/// Hashes of every file under `folder`, by path relative to it.
pub fn hash_files(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut hashes = BTreeMap::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                let name = path.strip_prefix(folder).unwrap().to_string_lossy().into_owned();
                hashes.insert(name, Sha256::digest(&bytes).to_vec());
            }
        }
    }
    hashes
}

/// seed-2024 with default options, generated once for all tests.
pub fn seed_2024() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        let folder = tempfile::tempdir().unwrap();
        let summary = generate("seed-2024", &Options::default(), folder.path()).unwrap();
        let hashes = hash_files(folder.path());
        let extract = read_extract(folder.path());
        Generated { summary, hashes, extract }
    })
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) =
        (text[..4].parse::<i32>(), text[5..7].parse::<u32>(), text[8..].parse::<u32>())
    else {
        return false;
    };
    let days = match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=days).contains(&day)
}

pub fn month_of(date: &str) -> YearMonth {
    date[..7].parse().unwrap()
}

fn flag(text: &str, place: &str) -> bool {
    match text {
        "Y" => true,
        "N" => false,
        other => panic!("{place}: flag '{other}' is not Y or N"),
    }
}

fn read_csv(path: &Path, header: &[&str]) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), header, "{}: header", path.display());
    reader.records().map(|record| record.unwrap()).collect()
}

/// Asserts rows are sorted by date then reference.
fn assert_sorted<'a>(name: &str, keys: impl Iterator<Item = (&'a str, &'a str)>) {
    let mut previous: Option<(&str, &str)> = None;
    for (line, key) in keys.enumerate() {
        if let Some(previous) = previous {
            assert!(previous <= key, "{name}: row {} ({key:?}) sorts before the row above ({previous:?})", line + 2);
        }
        previous = Some(key);
    }
}

/// Asserts no row repeats another (rows already sorted by date and reference,
/// so equal rows sit in one run of equal date and reference).
fn assert_unique<'a>(name: &str, rows: impl Iterator<Item = (&'a str, &'a str, String)>) {
    let mut run: Vec<String> = Vec::new();
    let mut key: Option<(&str, &str)> = None;
    for (date, reference, rest) in rows {
        if key != Some((date, reference)) {
            run.clear();
            key = Some((date, reference));
        }
        assert!(!run.contains(&rest), "{name}: the row {reference},{rest},{date} twice");
        run.push(rest);
    }
}

/// Reads one force's extract, asserting every rule of the format.
pub fn read_extract(folder: &Path) -> Extract {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("extract.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "scrutiny-force-extract");
    assert_eq!(manifest["version"], 1);
    assert!(is_date(manifest["extracted_on"].as_str().unwrap()));
    let covers: (YearMonth, YearMonth) = (
        manifest["covers"]["from"].as_str().unwrap().parse().unwrap(),
        manifest["covers"]["to"].as_str().unwrap().parse().unwrap(),
    );
    assert!(covers.1 < month_of(manifest["extracted_on"].as_str().unwrap()));
    let inside = |date: &str, place: &str| {
        assert!(is_date(date), "{place}: '{date}' is not a date");
        let month = month_of(date);
        assert!(covers.0 <= month && month <= covers.1, "{place}: {date} is outside covers");
    };
    let classification = &scrutiny_core::definitions::Definitions::builtin().classification;
    let strands: HashSet<&str> = ["race", "religion", "sexual-orientation", "disability", "transgender"].into();

    let mut crimes = Vec::new();
    let mut references = HashSet::new();
    for (line, record) in read_csv(
        &folder.join("crimes.csv"),
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
    )
    .iter()
    .enumerate()
    {
        let place = format!("crimes.csv:{}", line + 2);
        let reference = record[0].to_string();
        assert!(!reference.is_empty() && reference.len() <= 64, "{place}: reference");
        assert!(references.insert(reference.clone()), "{place}: reference {reference} twice");
        inside(&record[1], &place);
        assert!(
            classification.classify(&record[2], month_of(&record[1])).is_some(),
            "{place}: unknown code {}",
            &record[2]
        );
        assert!(!record[3].is_empty(), "{place}: district");
        let hate = record[5].to_string();
        if !hate.is_empty() {
            let listed: Vec<&str> = hate.split(';').collect();
            assert!(listed.iter().all(|strand| strands.contains(strand)), "{place}: strands '{hate}'");
            assert_eq!(listed.iter().collect::<HashSet<_>>().len(), listed.len(), "{place}: strand twice");
        }
        let recorded = match &record[9] {
            "recorded" => true,
            "cancelled" | "transferred" => false,
            other => panic!("{place}: status '{other}'"),
        };
        crimes.push(CrimeRow {
            reference,
            date: record[1].to_string(),
            code: record[2].to_string(),
            district: record[3].to_string(),
            domestic_abuse: flag(&record[4], &place),
            hate_crime: hate,
            child_protection: flag(&record[6], &place),
            adult_protection: flag(&record[7], &place),
            knife: flag(&record[8], &place),
            recorded,
        });
    }
    assert_sorted("crimes.csv", crimes.iter().map(|crime| (crime.date.as_str(), crime.reference.as_str())));
    let by_reference: HashMap<&str, &CrimeRow> = crimes.iter().map(|crime| (crime.reference.as_str(), crime)).collect();

    let mut outcomes = Vec::new();
    for (line, record) in
        read_csv(&folder.join("outcomes.csv"), &["crime_reference", "outcome_type", "outcome_date"]).iter().enumerate()
    {
        let place = format!("outcomes.csv:{}", line + 2);
        let crime = by_reference.get(&record[0]).unwrap_or_else(|| panic!("{place}: no crime {}", &record[0]));
        assert!(crime.recorded, "{place}: outcome of a cancelled or transferred crime");
        let outcome: u8 = record[1].parse().unwrap();
        assert!((1..=22).contains(&outcome), "{place}: outcome type {outcome}");
        inside(&record[2], &place);
        assert!(record[2] >= *crime.date, "{place}: outcome before the crime was recorded");
        outcomes.push(OutcomeRow { reference: record[0].to_string(), outcome, date: record[2].to_string() });
    }
    assert_sorted("outcomes.csv", outcomes.iter().map(|row| (row.date.as_str(), row.reference.as_str())));
    assert_unique(
        "outcomes.csv",
        outcomes.iter().map(|row| (row.date.as_str(), row.reference.as_str(), row.outcome.to_string())),
    );

    let mut events = Vec::new();
    for (line, record) in
        read_csv(&folder.join("suspect-activity.csv"), &["crime_reference", "event", "event_date"]).iter().enumerate()
    {
        let place = format!("suspect-activity.csv:{}", line + 2);
        let crime = by_reference.get(&record[0]).unwrap_or_else(|| panic!("{place}: no crime {}", &record[0]));
        assert!(crime.recorded, "{place}: activity on a cancelled or transferred crime");
        assert!(
            ["arrest", "voluntary-interview", "interview"].contains(&&record[1]),
            "{place}: event '{}'",
            &record[1]
        );
        inside(&record[2], &place);
        assert!(record[2] >= *crime.date, "{place}: event before the crime was recorded");
        events.push(EventRow {
            reference: record[0].to_string(),
            event: record[1].to_string(),
            date: record[2].to_string(),
        });
    }
    assert_sorted("suspect-activity.csv", events.iter().map(|row| (row.date.as_str(), row.reference.as_str())));
    assert_unique(
        "suspect-activity.csv",
        events.iter().map(|row| (row.date.as_str(), row.reference.as_str(), row.event.clone())),
    );

    let mut asb = Vec::new();
    let mut asb_references = Vec::new();
    let mut unique = HashSet::new();
    for (line, record) in
        read_csv(&folder.join("asb.csv"), &["incident_reference", "incident_date", "asb_type", "district"])
            .iter()
            .enumerate()
    {
        let place = format!("asb.csv:{}", line + 2);
        assert!(unique.insert(record[0].to_string()), "{place}: reference twice");
        inside(&record[1], &place);
        assert!(["personal", "nuisance", "environmental"].contains(&&record[2]), "{place}: asb_type '{}'", &record[2]);
        asb_references.push(record[0].to_string());
        assert!(!record[3].is_empty(), "{place}: district");
        asb.push(AsbRow { date: record[1].to_string(), asb_type: record[2].to_string() });
    }
    assert_sorted(
        "asb.csv",
        asb.iter().zip(&asb_references).map(|(row, reference)| (row.date.as_str(), reference.as_str())),
    );

    Extract { manifest, covers, crimes, outcomes, events, asb }
}
