//! Scrutiny's outputs. Every figure printed here was computed by
//! `scrutiny_core::report`; this crate only lays figures out (text tables in
//! the papers' form, JSON, CSV) and never computes or types one.

pub mod check;
pub mod paper;
pub mod survey;
pub mod text;

use scrutiny_core::report::{MeasureFigure, QuarterlyReport, TableRow};

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
