//! The police-uk plan on real data.police.uk files (Kent, 13 months), checked
//! against counts computed here, independently, from the raw CSV.

use std::collections::BTreeMap;
use std::io::Read;

use crate::util::{json, path, run, shared, stderr, stdout};

/// Counts rows by (month, crime type) straight from the compressed files.
fn raw_counts(folder: &std::path::Path) -> BTreeMap<(String, String), u64> {
    let mut counts = BTreeMap::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let mut text = String::new();
        xz2::read::XzDecoder::new(std::fs::File::open(&path).unwrap()).read_to_string(&mut text).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let month = headers.iter().position(|name| name == "Month").unwrap();
        let kind = headers.iter().position(|name| name == "Crime type").unwrap();
        for record in reader.records() {
            let record = record.unwrap();
            *counts.entry((record[month].to_string(), record[kind].to_string())).or_default() += 1;
        }
    }
    counts
}

fn kebab(name: &str) -> String {
    name.to_lowercase().replace(' ', "-")
}

#[test]
fn kent_quarterly_report_matches_the_raw_files() {
    let kent = shared().join("data/police-uk/kent");
    let store = tempfile::tempdir().unwrap();
    let imported = run(&["import", "police-uk", path(&kent), "--data", path(store.path())], true);
    let summary = stdout(&imported);
    let raw = raw_counts(&kent);
    let total_rows: u64 = raw.values().sum();
    assert!(summary.contains(&format!("{total_rows} rows read, {total_rows} stored")), "{summary}");
    assert!(summary.contains("0 rejected"), "{summary}");

    let report = json(&run(
        &[
            "report",
            "quarterly",
            "--plan",
            "police-uk",
            "--to",
            "2023-01",
            "--data",
            path(store.path()),
            "--format",
            "json",
        ],
        true,
    ));
    assert_eq!(report["force"], "Kent");
    assert_eq!((report["from"].as_str(), report["to"].as_str()), (Some("2022-11"), Some("2023-01")));
    let measures = report["measures"].as_array().unwrap();
    let types: Vec<String> =
        raw.keys().map(|(_, kind)| kind.clone()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    assert_eq!(types.len(), 14, "every published crime type appears in the raw files");
    for kind in &types {
        let table = measures
            .iter()
            .find(|measure| measure["id"] == kebab(kind).as_str())
            .unwrap_or_else(|| panic!("no measure for {kind}"));
        let rows = table["rows"].as_array().unwrap();
        for (index, month) in ["2022-11", "2022-12", "2023-01"].iter().enumerate() {
            let expected = raw.get(&(month.to_string(), kind.clone())).copied().unwrap_or(0);
            assert_eq!(rows[index]["label"], *month);
            assert_eq!(rows[index]["current"].as_u64(), Some(expected), "{kind} {month}");
        }
        // Only January 2022 of last year's quarter is in the files: the other months are not supplied.
        assert!(rows[0]["last_year"].is_null(), "{kind}: November 2021 is not supplied");
        assert!(rows[3]["last_year"].is_null(), "{kind}: a total with a month not supplied is not supplied");
        assert!(rows[3]["pct_change"].is_null());
        let january = raw.get(&("2023-01".to_string(), kind.clone())).copied().unwrap_or(0) as f64;
        let last_january = raw.get(&("2022-01".to_string(), kind.clone())).copied().unwrap_or(0) as f64;
        assert_eq!(rows[2]["last_year"].as_f64(), Some(last_january));
        assert_eq!(rows[2]["change"].as_f64(), Some(january - last_january));
        let expected_pct = ((january - last_january) / last_january * 1000.0).round() / 10.0;
        assert!(
            (rows[2]["pct_change"].as_f64().unwrap() - expected_pct).abs() < 1e-9,
            "{kind}: {} vs {expected_pct}",
            rows[2]["pct_change"]
        );
    }
    let all_crime = measures.iter().find(|measure| measure["id"] == "all-crime").unwrap();
    let expected_all: u64 = raw
        .iter()
        .filter(|((month, kind), _)| month == "2022-12" && kind != "Anti-social behaviour")
        .map(|(_, n)| n)
        .sum();
    assert_eq!(all_crime["rows"][1]["current"].as_u64(), Some(expected_all));

    // Importing the same files again changes nothing.
    let again = stdout(&run(&["import", "police-uk", path(&kent), "--data", path(store.path())], true));
    assert!(again.contains(&format!("0 stored, {total_rows} already stored (unchanged)")), "{again}");
    let report_again = json(&run(
        &[
            "report",
            "quarterly",
            "--plan",
            "police-uk",
            "--to",
            "2023-01",
            "--data",
            path(store.path()),
            "--format",
            "json",
        ],
        true,
    ));
    assert_eq!(report, report_again);
}

#[test]
fn several_forces_need_a_force_named() {
    let data = shared().join("data/police-uk");
    let store = tempfile::tempdir().unwrap();
    run(&["import", "police-uk", path(&data), "--data", path(store.path())], true);
    let refused =
        run(&["report", "quarterly", "--plan", "police-uk", "--to", "2023-01", "--data", path(store.path())], false);
    assert!(
        stderr(&refused)
            .contains("the store holds 5 forces: choose one with --force (Essex, Hampshire, Kent, Surrey, Sussex)"),
        "{}",
        stderr(&refused)
    );
    let surrey = json(&run(
        &[
            "report",
            "quarterly",
            "--plan",
            "police-uk",
            "--to",
            "2023-01",
            "--force",
            "surrey",
            "--data",
            path(store.path()),
            "--format",
            "json",
        ],
        true,
    ));
    assert_eq!(surrey["force"], "Surrey");
    let raw = raw_counts(&data.join("surrey"));
    let drugs = surrey["measures"].as_array().unwrap().iter().find(|measure| measure["id"] == "drugs").unwrap();
    assert_eq!(drugs["rows"][2]["current"].as_u64(), raw.get(&("2023-01".to_string(), "Drugs".to_string())).copied());
    assert!(drugs["rows"][1]["current"].is_null(), "December 2022 is not supplied for Surrey");
}
