//! Scrutiny's outputs. Every figure printed here was computed by
//! `scrutiny_core::report` or `scrutiny_core::term`; this crate only lays
//! figures out (text tables in the papers' form, JSON, CSV) and never
//! computes or types one.

pub mod check;
pub mod governance;
pub mod paper;
pub mod survey;
pub mod text;

use scrutiny_core::change::PercentChange;
use scrutiny_core::report::{Kind, MeasureFigure, QuarterlyReport, TableRow};
use scrutiny_core::term::{TermReport, TermRow};

/// The quarterly report as pretty JSON (the published contract, docs/cli.md).
pub fn quarterly_json(report: &QuarterlyReport) -> String {
    serde_json::to_string_pretty(report).expect("reports serialise")
}

pub fn measure_json(figure: &MeasureFigure) -> String {
    serde_json::to_string_pretty(figure).expect("figures serialise")
}

const CSV_HEADER: [&str; 17] = [
    "plan",
    "force",
    "measure",
    "kind",
    "label",
    "current",
    "last_year",
    "change",
    "pct_change",
    "numerator",
    "denominator",
    "current_pct",
    "last_year_numerator",
    "last_year_denominator",
    "last_year_pct",
    "change_pp",
    "priority",
];

fn cell<T: ToString>(value: Option<T>) -> String {
    value.map(|value| value.to_string()).unwrap_or_default()
}

/// The quarterly report as CSV, one line per table row. An empty cell is a
/// figure not supplied (never zero); a percent change on a zero baseline is "n/a".
pub fn quarterly_csv(report: &QuarterlyReport) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER).expect("writing to memory");
    for table in &report.measures {
        for row in &table.rows {
            let mut record = vec![report.plan.clone(), report.force.clone(), table.id.clone()];
            match row {
                TableRow::Count(row) => {
                    let pct = match row.pct_change {
                        scrutiny_core::change::PercentChange::Value(tenths) => tenths.to_string(),
                        scrutiny_core::change::PercentChange::NotApplicable => "n/a".to_string(),
                        scrutiny_core::change::PercentChange::NotSupplied => String::new(),
                    };
                    record.extend([
                        "count".to_string(),
                        row.label.clone(),
                        cell(row.current),
                        cell(row.last_year),
                        cell(row.change),
                        pct,
                    ]);
                    record.extend(std::iter::repeat_n(String::new(), 7));
                }
                TableRow::Rate(row) => {
                    record.extend(["rate".to_string(), row.label.clone()]);
                    record.extend(std::iter::repeat_n(String::new(), 4));
                    record.extend([
                        cell(row.numerator),
                        cell(row.denominator),
                        cell(row.current_pct),
                        cell(row.last_year_numerator),
                        cell(row.last_year_denominator),
                        cell(row.last_year_pct),
                        cell(row.change_pp),
                    ]);
                }
            }
            record.push(table.priority.clone());
            writer.write_record(&record).expect("writing to memory");
        }
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

/// The end-of-term report as pretty JSON (the published contract, docs/cli.md).
pub fn term_json(report: &TermReport) -> String {
    serde_json::to_string_pretty(report).expect("reports serialise")
}

const TERM_CSV_HEADER: [&str; 14] = [
    "plan",
    "force",
    "measure",
    "kind",
    "label",
    "compared_with",
    "months_supplied",
    "value",
    "change",
    "pct_change",
    "numerator",
    "denominator",
    "rate_pct",
    "change_pp",
];

fn pct_text(pct: PercentChange) -> String {
    match pct {
        PercentChange::Value(tenths) => tenths.to_string(),
        PercentChange::NotApplicable => "n/a".to_string(),
        PercentChange::NotSupplied => String::new(),
    }
}

/// The end-of-term report as CSV: a line per measure and calendar year
/// (`label` the year, `compared_with` the year before), then the measure's
/// N-year difference (`label` "4-year difference", `compared_with` the first
/// year). An empty cell is a figure not supplied (never zero): a year with
/// fewer than 12 `months_supplied` has no figure and no change.
pub fn term_csv(report: &TermReport) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(TERM_CSV_HEADER).expect("writing to memory");
    for table in &report.measures {
        let start = [report.plan.clone(), report.force.clone(), table.id.clone()];
        for row in &table.rows {
            let mut record = start.to_vec();
            match row {
                TermRow::Count(row) => record.extend([
                    "count".to_string(),
                    row.year.to_string(),
                    (row.year - 1).to_string(),
                    row.coverage.supplied.len().to_string(),
                    cell(row.value),
                    cell(row.change),
                    pct_text(row.pct_change),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]),
                TermRow::Rate(row) => record.extend([
                    "rate".to_string(),
                    row.year.to_string(),
                    (row.year - 1).to_string(),
                    row.coverage.supplied.len().to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    cell(row.numerator),
                    cell(row.denominator),
                    cell(row.rate_pct),
                    cell(row.change_pp),
                ]),
            }
            writer.write_record(&record).expect("writing to memory");
        }
        let difference = &table.difference;
        let mut record = start.to_vec();
        record.extend([
            match table.kind {
                Kind::Count => "count".to_string(),
                Kind::Rate => "rate".to_string(),
            },
            difference.label.clone(),
            difference.first_year.to_string(),
            String::new(),
            String::new(),
            cell(difference.change),
            difference.pct_change.map(pct_text).unwrap_or_default(),
            String::new(),
            String::new(),
            String::new(),
            cell(difference.change_pp),
        ]);
        writer.write_record(&record).expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}
