//! The seed paper reproduced from records: the generator's seed-2024 force,
//! imported and reported through the CLI, must give every table of the
//! quarterly paper (../shared/golden/seed004*.json) and the figures the force
//! gave the PCC (../shared/golden/seed001.json).

use serde_json::Value;

use crate::util::{json, path, run, seed_quarterly_json, seed_store_data, shared, stdout};

/// The golden section titles and the plan's measure ids.
const MEASURE_IDS: [(&str, &str, &str); 17] = [
    ("All Crime", "Recorded Crime", "all-crime"),
    ("Victim Based Crime", "Recorded Crime", "victim-based-crime"),
    ("Anti-Social Behaviour (ASB)", "Recorded Incidents", "asb"),
    ("Burglary Business and Community", "Recorded Crime", "burglary-business-community"),
    ("Shoplifting and Retail Crime", "Suspects Interviewed", "shoplifting-suspects-interviewed"),
    ("Shoplifting and Retail Crime", "Charges", "shoplifting-charges"),
    ("Burglary Residential", "Recorded Crime", "burglary-residential"),
    ("Violent Crime", "Recorded Crime", "violent-crime"),
    ("Robbery", "Recorded Crime", "robbery"),
    ("Hate Crime", "Recorded Crime", "hate-crime"),
    ("Rape Offences", "Recorded Crime", "rape"),
    ("Sexual Offences", "Recorded Crime", "sexual-offences"),
    ("Domestic Abuse (DA).", "Recorded Crime", "domestic-abuse"),
    ("Adult Protection", "Recorded Crime", "adult-protection"),
    ("Violence Against the Person (VAP)", "Recorded Crime", "vap"),
    ("Fraud", "Recorded Crime", "fraud"),
    ("Child Protection", "Recorded Crime", "child-protection"),
];

fn golden(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(shared().join("golden").join(name)).unwrap()).unwrap()
}

fn row<'a>(table: &'a Value, label: &str) -> &'a Value {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["label"] == label)
        .unwrap_or_else(|| panic!("no row {label} in {}", table["id"]))
}

/// "May 2024" → "2024-05"; "3 Month total" → "total".
fn label(golden: &str) -> String {
    if golden == "3 Month total" {
        return "total".to_string();
    }
    let (month, year) = golden.split_once(' ').unwrap();
    let number = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    .iter()
    .position(|name| *name == month)
    .unwrap()
        + 1;
    format!("{year}-{number:02}")
}

#[test]
fn every_table_of_the_quarterly_paper() {
    let report = seed_quarterly_json();
    assert_eq!(
        (report["plan"].as_str(), report["from"].as_str(), report["to"].as_str()),
        (Some("making-kent-safer"), Some("2024-05"), Some("2024-07"))
    );
    let measures = report["measures"].as_array().unwrap();
    let tables = golden("seed004-tables.json");
    let tables = tables.as_array().unwrap();
    assert_eq!(tables.len(), MEASURE_IDS.len());
    for table in tables {
        let id = MEASURE_IDS
            .iter()
            .find(|(title, unit, _)| table["title"] == *title && table["measure"] == *unit)
            .map(|(_, _, id)| *id)
            .unwrap_or_else(|| panic!("unmapped golden table {}", table["title"]));
        let ours = measures.iter().find(|measure| measure["id"] == id).unwrap();
        assert_eq!(ours["kind"], "count");
        assert_eq!(ours["unit"], table["measure"], "{id}: the table heading");
        for golden_row in table["rows"].as_array().unwrap() {
            let our_row = row(ours, &label(golden_row["label"].as_str().unwrap()));
            let context = format!("{id} {}", golden_row["label"]);
            assert_eq!(our_row["current"], golden_row["current"], "{context}");
            assert_eq!(our_row["last_year"], golden_row["last_year"], "{context}");
            assert_eq!(our_row["change"], golden_row["number_change"], "{context}");
            let printed: f64 = golden_row["pct_change"].as_str().unwrap().trim_end_matches('%').parse().unwrap();
            assert_eq!(our_row["pct_change"].as_f64(), Some(printed), "{context}");
        }
    }
}

#[test]
fn three_month_rates_of_the_quarterly_paper() {
    let report = seed_quarterly_json();
    let measures = report["measures"].as_array().unwrap();
    let ids = [
        ("All crime solved rate", "all-crime-solved-rate"),
        ("Victim based crime solved rate", "victim-based-crime-solved-rate"),
        ("Rape charge rate", "rape-charge-rate"),
        ("Domestic abuse solved rate", "domestic-abuse-solved-rate"),
        ("Domestic abuse charge rate", "domestic-abuse-charge-rate"),
    ];
    let rates = golden("seed004.json");
    for rate in rates["rates_3_month_may_jul_2024"].as_array().unwrap() {
        let id = ids.iter().find(|(title, _)| rate["measure"] == *title).map(|(_, id)| *id).unwrap();
        let ours = measures.iter().find(|measure| measure["id"] == id).unwrap();
        assert_eq!(ours["kind"], "rate");
        let total = row(ours, "total");
        assert_eq!(total["current_pct"], rate["current_pct"], "{id}");
        for (golden_key, our_key) in [
            ("last_year_pct", "last_year_pct"),
            ("change_pp", "change_pp"),
            ("current_charges", "numerator"),
            ("last_year_charges", "last_year_numerator"),
            ("current_crimes", "denominator"),
            ("last_year_crimes", "last_year_denominator"),
        ] {
            if !rate[golden_key].is_null() {
                assert_eq!(total[our_key], rate[golden_key], "{id} {golden_key}");
            }
        }
        assert!(ours["rate_basis"]["basis"].as_str().unwrap().contains("outcomes assigned in the period"));
    }
}

#[test]
fn the_forces_answers_to_the_pcc() {
    let answers = golden("seed001.json");
    let cases = [
        ("rape charges and charge rate", "rape-charge-rate"),
        ("domestic abuse charges and charge rate", "domestic-abuse-charge-rate"),
    ];
    let mut checked = 0;
    for answer in answers["answers"].as_array().unwrap() {
        let Some((_, id)) = cases.iter().find(|(name, _)| answer["measure"] == *name) else {
            continue;
        };
        let period =
            if answer["period"].as_str().unwrap().starts_with("financial year") { "fytd" } else { "rolling-year" };
        let figure = json(&run(
            &[
                "measure",
                id,
                "--plan",
                "making-kent-safer",
                "--period",
                period,
                "--to",
                "2022-08",
                "--data",
                path(&seed_store_data()),
                "--format",
                "json",
            ],
            true,
        ));
        assert_eq!(figure["figure"]["numerator"], answer["charges"], "{id} {period}");
        assert_eq!(figure["figure"]["current_pct"], answer["rate_pct"], "{id} {period}");
        let expected_from = if period == "fytd" { "2022-04" } else { "2021-09" };
        assert_eq!(figure["period"]["from"], expected_from);
        checked += 1;
    }
    assert_eq!(checked, 4);
    let text = stdout(&run(
        &[
            "measure",
            "rape-charge-rate",
            "--plan",
            "making-kent-safer",
            "--period",
            "fytd",
            "--to",
            "2022-08",
            "--data",
            path(&seed_store_data()),
        ],
        true,
    ));
    assert!(text.contains("financial year to August 2022"), "{text}");
    assert!(text.contains("4.2% (41 of "), "{text}");
    assert!(text.contains("Last year:   not supplied"), "the extract starts in September 2021: {text}");
}

#[test]
fn the_text_report_is_laid_out_like_the_paper() {
    let text = stdout(&run(
        &["report", "quarterly", "--plan", "making-kent-safer", "--to", "2024-07", "--data", path(&seed_store_data())],
        true,
    ));
    assert!(text.contains("May – July 2024 compared with May – July 2023"), "{text}");
    assert!(
        text.contains("1. Work with residents, communities and businesses to prevent crime and anti-social behaviour")
    );
    let burglary = text.split("\nBurglary residential\n").nth(1).unwrap();
    let lines: Vec<&str> = burglary.lines().take(5).collect();
    assert!(
        lines[0].contains("Recorded Crime")
            && lines[0].contains("Last year")
            && lines[0].contains("% Change")
            && lines[0].contains("Number change")
    );
    assert!(
        lines[4].starts_with("3 Month total") && lines[4].contains("-14.0%") && lines[4].ends_with("-107"),
        "{lines:?}"
    );
    assert!(text.contains("pp"), "rate changes are in percentage points");
}

/// The rows of the paper's CSV table whose file name ends with `suffix`, by row heading.
fn paper_csv(dir: &std::path::Path, suffix: &str) -> Vec<(String, Vec<String>)> {
    let tables = dir.join("tables");
    let file = std::fs::read_dir(&tables)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.to_string_lossy().ends_with(suffix))
        .unwrap_or_else(|| panic!("no table *{suffix} in {}", tables.display()));
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let mut rows = vec![(header[0].clone(), header[1..].to_vec())];
    for record in reader.records() {
        let record = record.unwrap();
        rows.push((record[0].to_string(), record.iter().skip(1).map(str::to_string).collect()));
    }
    rows
}

fn numbers(row: &[String]) -> Vec<f64> {
    row.iter().map(|cell| cell.parse().unwrap_or_else(|_| panic!("'{cell}' is not a number"))).collect()
}

fn golden_numbers(value: &Value) -> Vec<f64> {
    value.as_array().unwrap().iter().map(|number| number.as_f64().unwrap()).collect()
}

/// 999, 101 and digital contact, April–July 2024: computed from the
/// generated per-call records and returns, imported and printed by the CLI.
#[test]
fn contact_tables_of_the_quarterly_paper() {
    let dir = tempfile::tempdir().unwrap();
    let store = seed_store_data();
    run(
        &[
            "paper",
            "quarterly",
            "--plan",
            "making-kent-safer",
            "--to",
            "2024-07",
            "--data",
            path(&store),
            "--out",
            path(dir.path()),
            "--format",
            "csv",
        ],
        true,
    );
    let golden = golden("seed004.json");
    let contact = &golden["contact_monthly_2024"];
    let months = ["April 2024", "May 2024", "June 2024", "July 2024"];
    for (channel, rows) in [
        (
            "999",
            vec![
                ("Calls Received", "received"),
                ("Calls Answered", "answered"),
                ("Calls Not Answered", "not_answered"),
                ("% Not Answered", "pct_not_answered"),
                ("Average Time To Answer", "avg_seconds_to_answer"),
                ("% Answered Under 10 Seconds", "pct_answered_under_10s"),
            ],
        ),
        (
            "101",
            vec![
                ("Calls Received", "received"),
                ("Calls Answered", "answered"),
                ("Calls Not Answered", "not_answered"),
                ("% Not Answered", "pct_not_answered"),
                ("Average Time To Answer", "avg_seconds_to_answer"),
            ],
        ),
    ] {
        let table = paper_csv(dir.path(), &format!("returns-contact-{channel}.csv"));
        assert_eq!(table[0].0, format!("{channel} Contact"));
        assert_eq!(table[0].1, months, "{channel}: months as columns");
        assert_eq!(table.len(), rows.len() + 1, "{channel}: {table:?}");
        for ((heading, key), (label, cells)) in rows.iter().zip(&table[1..]) {
            assert_eq!(label, heading);
            let mut expected = golden_numbers(&contact[channel][*key]);
            if (channel, *key) == ("999", "answered") {
                // The paper printed 34,358 answered in July, yet 129 not answered
                // of 34,667 received: its own column does not add up. Figures
                // computed from records do; the consistent figure is 34,538.
                assert_eq!(expected[3], 34358.0);
                let (received, not_answered) = (&contact["999"]["received"][3], &contact["999"]["not_answered"][3]);
                expected[3] = received.as_f64().unwrap() - not_answered.as_f64().unwrap();
                assert_eq!(expected[3], 34538.0);
            }
            assert_eq!(numbers(cells), expected, "{channel} {heading}");
        }
    }
    let digital = paper_csv(dir.path(), "returns-contact-digital.csv");
    assert_eq!(digital[0].1, months);
    for ((heading, key), (label, cells)) in [
        ("Online Crime Reports", "online_crime_reports"),
        ("Live Chat", "live_chat"),
        ("Other Digital Contact", "other_digital"),
        ("Total", "total"),
    ]
    .iter()
    .zip(&digital[1..])
    {
        assert_eq!(label, heading);
        assert_eq!(numbers(cells), golden_numbers(&contact["digital"][*key]), "digital {heading}");
    }
}
