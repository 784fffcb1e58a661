//! Plain-text tables in the layout of the seed paper: one table per measure,
//! a row per month ("May 2024") and the "3 Month total", with "% Change" and
//! "Number change"; rates with percentage-point changes.

use std::fmt::Write;

use scrutiny_core::change::{PercentChange, Tenths};
use scrutiny_core::definitions::Plan;
use scrutiny_core::report::{CountRow, MeasureFigure, MeasureTable, QuarterlyReport, RateRow, TableRow};
use scrutiny_core::{Period, YearMonth};

const NOT_SUPPLIED: &str = "not supplied";

fn count(value: Option<u64>) -> String {
    value.map(|value| value.to_string()).unwrap_or_else(|| NOT_SUPPLIED.to_string())
}

fn signed(value: Option<i64>) -> String {
    value.map(|value| value.to_string()).unwrap_or_else(|| NOT_SUPPLIED.to_string())
}

fn percent(value: Option<Tenths>) -> String {
    value.map(|value| format!("{value}%")).unwrap_or_else(|| "n/a".to_string())
}

fn points(value: Option<Tenths>) -> String {
    value.map(|value| format!("{}{value} pp", if value.0 > 0 { "+" } else { "" })).unwrap_or_else(|| "n/a".to_string())
}

/// "May 2024", or "3 Month total" for the total of a quarter.
fn row_label(label: &str, months: usize) -> String {
    match label.parse::<YearMonth>() {
        Ok(month) => month.long_name(),
        Err(_) if months == 3 => "3 Month total".to_string(),
        Err(_) => format!("{months} Month total"),
    }
}

fn layout(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    let columns = header.len();
    let widths: Vec<usize> = (0..columns)
        .map(|column| {
            rows.iter()
                .chain(std::iter::once(&header.to_vec()))
                .map(|row| row[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header.to_vec()).chain(rows) {
        let mut line = String::new();
        for (column, value) in row.iter().enumerate() {
            let pad = widths[column] - value.chars().count();
            if column == 0 {
                line.push_str(value);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(value);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

fn count_rows(rows: &[&CountRow], months: usize) -> Vec<Vec<String>> {
    rows.iter()
        .map(|row| {
            let pct = match row.pct_change {
                PercentChange::NotSupplied => NOT_SUPPLIED.to_string(),
                other => other.to_string(),
            };
            vec![row_label(&row.label, months), count(row.current), count(row.last_year), pct, signed(row.change)]
        })
        .collect()
}

fn rate_rows(rows: &[&RateRow], months: usize) -> Vec<Vec<String>> {
    rows.iter()
        .map(|row| {
            let supplied = |numerator: Option<u64>, denominator: Option<u64>, pct: Option<Tenths>| match (
                numerator,
                denominator,
            ) {
                (Some(numerator), Some(denominator)) => {
                    format!("{} ({numerator}/{denominator})", percent(pct))
                }
                _ => NOT_SUPPLIED.to_string(),
            };
            vec![
                row_label(&row.label, months),
                supplied(row.numerator, row.denominator, row.current_pct),
                supplied(row.last_year_numerator, row.last_year_denominator, row.last_year_pct),
                points(row.change_pp),
            ]
        })
        .collect()
}

/// One measure's table as text.
pub fn table(out: &mut String, table: &MeasureTable) {
    let months = table.rows.len().saturating_sub(1);
    let counts: Vec<&CountRow> =
        table.rows.iter().filter_map(|row| if let TableRow::Count(row) = row { Some(row) } else { None }).collect();
    let rates: Vec<&RateRow> =
        table.rows.iter().filter_map(|row| if let TableRow::Rate(row) = row { Some(row) } else { None }).collect();
    if !counts.is_empty() {
        let header: Vec<String> =
            ["", &table.unit, "Last year", "% Change", "Number change"].iter().map(|text| text.to_string()).collect();
        layout(out, &header, &count_rows(&counts, months));
    }
    if !rates.is_empty() {
        let header: Vec<String> = ["", "Rate", "Last year", "Change"].iter().map(|text| text.to_string()).collect();
        layout(out, &header, &rate_rows(&rates, months));
        if let Some(basis) = &table.rate_basis {
            let _ = writeln!(
                out,
                "Rate: {} ÷ {}; {}. Change in percentage points (pp).",
                basis.outcomes,
                basis.denominator.to_lowercase(),
                basis.basis
            );
        }
    }
}

/// The whole quarterly report, grouped by the plan's priorities in plan order.
pub fn quarterly(report: &QuarterlyReport, plan: &Plan) -> String {
    let mut out = String::new();
    let period = Period { from: report.from, to: report.to };
    let _ = writeln!(out, "{} — {}", report.plan_title, report.force);
    let _ = writeln!(out, "{} compared with {}", period.describe(), period.same_period_last_year().describe());
    for (number, priority) in plan.priorities.iter().enumerate() {
        let tables: Vec<&MeasureTable> = report.measures.iter().filter(|table| table.priority == priority.id).collect();
        let _ = writeln!(out, "\n{}. {}", number + 1, priority.title);
        if tables.is_empty() {
            let _ = writeln!(out, "\n(no measure of this priority is computed from records)");
        }
        for measure in tables {
            let _ = writeln!(out, "\n{}", measure.title);
            table(&mut out, measure);
        }
    }
    out
}

/// One figure over a named period.
pub fn measure(figure: &MeasureFigure) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {} ({} plan)", figure.title, figure.force, figure.plan);
    let _ = writeln!(
        out,
        "{} ({} to {}) compared with {} ({} to {})",
        figure.period.description,
        figure.period.from,
        figure.period.to,
        figure.last_year.description,
        figure.last_year.from,
        figure.last_year.to
    );
    match &figure.figure {
        TableRow::Count(row) => {
            let _ = writeln!(out, "This period: {}", count(row.current));
            let _ = writeln!(out, "Last year:   {}", count(row.last_year));
            let pct = match row.pct_change {
                PercentChange::NotSupplied => NOT_SUPPLIED.to_string(),
                other => other.to_string(),
            };
            let _ = writeln!(out, "Change:      {} ({})", signed(row.change), pct);
        }
        TableRow::Rate(row) => {
            let line = |numerator: Option<u64>, denominator: Option<u64>, pct: Option<Tenths>| match (
                numerator,
                denominator,
            ) {
                (Some(numerator), Some(denominator)) => {
                    format!("{} ({numerator} of {denominator})", percent(pct))
                }
                _ => NOT_SUPPLIED.to_string(),
            };
            let _ = writeln!(out, "This period: {}", line(row.numerator, row.denominator, row.current_pct));
            let _ = writeln!(
                out,
                "Last year:   {}",
                line(row.last_year_numerator, row.last_year_denominator, row.last_year_pct)
            );
            let _ = writeln!(out, "Change:      {}", points(row.change_pp));
            if let Some(basis) = &figure.rate_basis {
                let _ =
                    writeln!(out, "Rate: {} ÷ {}; {}.", basis.outcomes, basis.denominator.to_lowercase(), basis.basis);
            }
        }
    }
    out
}
