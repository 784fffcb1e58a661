//! The quarterly paper as the public may see it: disclosure control
//! (`scrutiny_core::disclosure`) applied to every figure of the paper, and
//! each figure as open data with its definition.
//!
//! Every count is one cell keyed by its measure (or a rate's numerator) and
//! month, so the same count printed in a table, a chart and a rate's
//! denominator is suppressed everywhere or nowhere. The relations given to
//! the disclosure rules are those a reader can solve from the paper: the
//! months and the total of each year; and every derived figure (the number
//! and percent change of a row, a rate, the change of a rate) is hidden
//! whenever a figure it is computed from is. A suppressed figure prints as
//! "suppressed", is a gap in the chart, and the measure's sentences (which
//! quote figures) are replaced by a note saying why.

use serde::Serialize;

use scrutiny_core::change::PercentChange;
use scrutiny_core::definitions::{MeasureKind, Plan};
use scrutiny_core::disclosure::{Cells, Policy, Suppressed};
use scrutiny_core::report::{MeasureTable, TableRow};
use scrutiny_core::{Error, Period, YearMonth};

use super::{Figures, Paper, chart};

/// What a suppressed cell prints.
pub const SUPPRESSED: &str = "suppressed";

/// A paper with disclosure control applied, and its figures as open data.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicPaper {
    /// The paper with suppressed figures replaced.
    pub paper: Paper,
    pub policy: Policy,
    pub suppressed: Suppressed,
    /// Each measure's figures, in paper order.
    pub measures: Vec<PublicMeasure>,
}

/// One measure's figures for the public, with what is needed to reproduce them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicMeasure {
    pub measure_id: String,
    pub title: String,
    pub priority_id: String,
    pub plan_id: String,
    pub plan_version: String,
    pub unit: String,
    pub kind: &'static str,
    /// "May – July 2024 compared with May – July 2023"
    pub comparison: String,
    /// For a rate: the outcomes counted, the denominator and the basis.
    pub rate_basis: Option<String>,
    pub sensitive: bool,
    pub rows: Vec<PublicRow>,
}

/// One row of a measure's table: a month or the period's total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicRow {
    /// "2024-05", or "total".
    pub label: String,
    pub from: YearMonth,
    pub to: YearMonth,
    pub last_year_from: YearMonth,
    pub last_year_to: YearMonth,
    pub figures: Vec<PublicFigure>,
}

/// One figure: its column, its value, and why there is none when there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicFigure {
    pub column: &'static str,
    /// The number, or `None` with `status` saying why.
    pub value: Option<f64>,
    /// "ok", "not supplied", "n/a" (a zero baseline) or "suppressed".
    pub status: &'static str,
}

fn figure(column: &'static str, value: Option<f64>, missing: &'static str, suppressed: bool) -> PublicFigure {
    match (suppressed, value) {
        (true, _) => PublicFigure { column, value: None, status: SUPPRESSED },
        (false, Some(value)) => PublicFigure { column, value: Some(value), status: "ok" },
        (false, None) => PublicFigure { column, value: None, status: missing },
    }
}

/// The period of a table row: a month, or the table's whole period.
fn row_period(label: &str, period: Period) -> Period {
    match label.parse::<YearMonth>() {
        Ok(month) => Period { from: month, to: month },
        Err(_) => period,
    }
}

fn count_key(series: &str, period: Period) -> String {
    if period.from == period.to {
        format!("{series}/{}", period.from)
    } else {
        format!("{series}/{}..{}", period.from, period.to)
    }
}

/// The keys of one table row's cells, in the table's column order (after the label).
struct RowKeys {
    keys: Vec<String>,
}

/// Registers a measure table's cells and relations; returns each row's keys.
fn register(cells: &mut Cells, plan: &Plan, table: &MeasureTable, period: Period) -> Result<Vec<RowKeys>, Error> {
    let measure = plan.measure(&table.id)?;
    let mut rows = Vec::new();
    let mut months_now = Vec::new();
    let mut months_then = Vec::new();
    let (mut totals_now, mut totals_then) = (Vec::new(), Vec::new());
    let mut numerators = (Vec::new(), Vec::new());
    let mut numerator_totals = (Vec::new(), Vec::new());
    for row in &table.rows {
        let (label, is_total) = match row {
            TableRow::Count(row) => (row.label.as_str(), row.label.parse::<YearMonth>().is_err()),
            TableRow::Rate(row) => (row.label.as_str(), row.label.parse::<YearMonth>().is_err()),
        };
        let now = row_period(label, period);
        let then = now.same_period_last_year();
        match (row, &measure.kind) {
            (TableRow::Count(row), _) => {
                let sensitive = measure.sensitive;
                let current_key = count_key(&measure.id, now);
                let last_key = count_key(&measure.id, then);
                let current = cells.count(&current_key, row.current, sensitive);
                let last = cells.count(&last_key, row.last_year, sensitive);
                let pct_key = format!("{}/pct/{}", measure.id, count_key("", now));
                let change_key = format!("{}/change/{}", measure.id, count_key("", now));
                cells.derived_from(&pct_key, &[current, last], matches!(row.pct_change, PercentChange::Value(_)));
                cells.derived_from(&change_key, &[current, last], row.change.is_some());
                if is_total {
                    totals_now.push(current);
                    totals_then.push(last);
                } else {
                    months_now.push(current);
                    months_then.push(last);
                }
                rows.push(RowKeys { keys: vec![current_key, last_key, pct_key, change_key] });
            }
            (TableRow::Rate(row), MeasureKind::Rate { denominator, .. }) => {
                let denominator = plan.measure(denominator)?;
                let sensitive = measure.sensitive || denominator.sensitive;
                let numerator_series = format!("{}#numerator", measure.id);
                let keys = [
                    count_key(&numerator_series, now),
                    count_key(&denominator.id, now),
                    format!("{}/rate/{}", measure.id, count_key("", now)),
                    count_key(&numerator_series, then),
                    count_key(&denominator.id, then),
                    format!("{}/rate/{}", measure.id, count_key("", then)),
                    format!("{}/points/{}", measure.id, count_key("", now)),
                ];
                let numerator = cells.count(&keys[0], row.numerator, sensitive);
                let denominator_now = cells.count(&keys[1], row.denominator, denominator.sensitive || sensitive);
                let rate = cells.derived_from(&keys[2], &[numerator, denominator_now], row.current_pct.is_some());
                let last_numerator = cells.count(&keys[3], row.last_year_numerator, sensitive);
                let last_denominator =
                    cells.count(&keys[4], row.last_year_denominator, denominator.sensitive || sensitive);
                let last_rate =
                    cells.derived_from(&keys[5], &[last_numerator, last_denominator], row.last_year_pct.is_some());
                cells.derived_from(&keys[6], &[rate, last_rate], row.change_pp.is_some());
                if is_total {
                    totals_now.push(denominator_now);
                    totals_then.push(last_denominator);
                    numerator_totals.0.push(numerator);
                    numerator_totals.1.push(last_numerator);
                } else {
                    months_now.push(denominator_now);
                    months_then.push(last_denominator);
                    numerators.0.push(numerator);
                    numerators.1.push(last_numerator);
                }
                rows.push(RowKeys { keys: keys.to_vec() });
            }
            (TableRow::Rate(_), MeasureKind::Count(_)) => {
                return Err(Error::definition(format!("measure {} is a count but its table has rates", measure.id)));
            }
        }
    }
    for (months, totals) in [
        (months_now, totals_now),
        (months_then, totals_then),
        (numerators.0, numerator_totals.0),
        (numerators.1, numerator_totals.1),
    ] {
        let members: Vec<usize> = months.into_iter().chain(totals).collect();
        cells.relate(&members);
    }
    Ok(rows)
}

/// Applies `policy` to `paper` (a quarterly paper of `plan`).
pub fn protect(paper: &Paper, plan: &Plan, policy: &Policy) -> Result<PublicPaper, Error> {
    let mut cells = Cells::default();
    let mut keys = Vec::new();
    for section in &paper.sections {
        for item in &section.items {
            let Figures::Quarter(table) = &item.figures else {
                return Err(Error::definition("only the quarterly paper is published on the portal"));
            };
            keys.push(register(&mut cells, plan, table, paper.period)?);
        }
    }
    // The charts: every point is the count (or rate) of one month, the same
    // cell as in a table where the month is in one. Counts first, so that a
    // rate's point can be tied to its denominator's count of the same month.
    let items: Vec<&super::Item> = paper.sections.iter().flat_map(|section| section.items.iter()).collect();
    let mut chart_keys = vec![Vec::new(); items.len()];
    for rates in [false, true] {
        for (item, points) in items.iter().zip(chart_keys.iter_mut()) {
            let measure = plan.measure(&item.measure_id)?;
            if measure.is_rate() != rates {
                continue;
            }
            for (index, month) in item.chart.months.iter().enumerate() {
                for (value, month) in
                    [(item.chart.current[index], *month), (item.chart.last_year[index], month.minus(12))]
                {
                    let single = Period { from: month, to: month };
                    let key = match &measure.kind {
                        MeasureKind::Count(_) => {
                            let key = count_key(&measure.id, single);
                            cells.count(&key, value.map(|value| value.round() as u64), measure.sensitive);
                            key
                        }
                        MeasureKind::Rate { denominator, .. } => {
                            let denominator = plan.measure(denominator)?;
                            let key = format!("{}/rate/{}", measure.id, count_key("", single));
                            if measure.sensitive || denominator.sensitive {
                                let count = cells.count(&count_key(&denominator.id, single), None, true);
                                cells.derived_from(&key, &[count], value.is_some());
                            } else {
                                cells.derived(&key, value.is_some());
                            }
                            key
                        }
                    };
                    points.push(key);
                }
            }
        }
    }
    let suppressed = cells.suppress(policy);
    let mut public = paper.clone();
    let mut measures = Vec::new();
    let note = format!(
        "Some figures of this measure are not published: counts of a sensitive category from 1 to {} are suppressed, with the figures that would reveal them.",
        policy.threshold - 1
    );
    let items = public.sections.iter_mut().flat_map(|section| section.items.iter_mut());
    for ((item, row_keys), points) in items.zip(&keys).zip(&chart_keys) {
        let measure = plan.measure(&item.measure_id)?;
        let mut touched = false;
        for (row, row_keys) in item.table.rows.iter_mut().zip(row_keys) {
            for (cell, key) in row.iter_mut().skip(1).zip(&row_keys.keys) {
                if suppressed.contains(key) {
                    *cell = SUPPRESSED.to_string();
                    touched = true;
                }
            }
        }
        for (index, key) in points.iter().enumerate() {
            if suppressed.contains(key) {
                let value = if index % 2 == 0 {
                    &mut item.chart.current[index / 2]
                } else {
                    &mut item.chart.last_year[index / 2]
                };
                *value = None;
                touched = true;
            }
        }
        if touched {
            item.chart.alt = chart::describe(&item.chart);
            item.sentences = vec![note.clone()];
            item.notes.push(note.clone());
        }
        let Figures::Quarter(table) = &item.figures else { continue };
        let sensitive = measure.sensitive
            || matches!(&measure.kind, MeasureKind::Rate { denominator, .. } if plan.measure(denominator).is_ok_and(|d| d.sensitive));
        measures.push(PublicMeasure {
            measure_id: measure.id.clone(),
            title: measure.title.clone(),
            priority_id: measure.priority.clone(),
            plan_id: plan.id.clone(),
            plan_version: plan.version.clone(),
            unit: measure.unit.clone(),
            kind: if measure.is_rate() { "rate" } else { "count" },
            comparison: paper.comparison.clone(),
            rate_basis: table
                .rate_basis
                .as_ref()
                .map(|basis| format!("{} ÷ {}; {}", basis.outcomes, basis.denominator.to_lowercase(), basis.basis)),
            sensitive,
            rows: table
                .rows
                .iter()
                .zip(row_keys)
                .map(|(row, keys)| public_row(row, keys, paper.period, &suppressed))
                .collect(),
        });
    }
    Ok(PublicPaper { paper: public, policy: *policy, suppressed, measures })
}

fn public_row(row: &TableRow, keys: &RowKeys, period: Period, suppressed: &Suppressed) -> PublicRow {
    let hidden = |index: usize| suppressed.contains(&keys.keys[index]);
    let count = |value: Option<u64>| value.map(|value| value as f64);
    let tenths = |value: Option<scrutiny_core::change::Tenths>| value.map(|value| value.as_f64());
    let (label, figures) = match row {
        TableRow::Count(row) => {
            let (pct, pct_missing) = match row.pct_change {
                PercentChange::Value(value) => (Some(value.as_f64()), "ok"),
                PercentChange::NotApplicable => (None, "n/a"),
                PercentChange::NotSupplied => (None, "not supplied"),
            };
            (
                row.label.clone(),
                vec![
                    figure("current", count(row.current), "not supplied", hidden(0)),
                    figure("last_year", count(row.last_year), "not supplied", hidden(1)),
                    figure("percent_change", pct, pct_missing, hidden(2)),
                    figure("number_change", row.change.map(|value| value as f64), "not supplied", hidden(3)),
                ],
            )
        }
        TableRow::Rate(row) => {
            let rate_missing = |numerator: Option<u64>, denominator: Option<u64>| match (numerator, denominator) {
                (Some(_), Some(_)) => "n/a",
                _ => "not supplied",
            };
            (
                row.label.clone(),
                vec![
                    figure("numerator", count(row.numerator), "not supplied", hidden(0)),
                    figure("denominator", count(row.denominator), "not supplied", hidden(1)),
                    figure(
                        "rate_percent",
                        tenths(row.current_pct),
                        rate_missing(row.numerator, row.denominator),
                        hidden(2),
                    ),
                    figure("last_year_numerator", count(row.last_year_numerator), "not supplied", hidden(3)),
                    figure("last_year_denominator", count(row.last_year_denominator), "not supplied", hidden(4)),
                    figure(
                        "last_year_rate_percent",
                        tenths(row.last_year_pct),
                        rate_missing(row.last_year_numerator, row.last_year_denominator),
                        hidden(5),
                    ),
                    figure("change_percentage_points", tenths(row.change_pp), "n/a", hidden(6)),
                ],
            )
        }
    };
    let now = row_period(&label, period);
    let then = now.same_period_last_year();
    PublicRow { label, from: now.from, to: now.to, last_year_from: then.from, last_year_to: then.to, figures }
}

#[cfg(test)]
mod tests {
    use scrutiny_core::definitions::{Definitions, Source};
    use scrutiny_core::measure::{CountSource, Selector};
    use scrutiny_core::report::Context;
    use scrutiny_core::returns::ReturnValues;

    use super::*;

    /// Every month: 25 rapes (3 in July 2024), 500 burglaries, 10 rape charges.
    struct Counts;

    impl CountSource for Counts {
        fn monthly_counts(&self, selector: &Selector, period: Period) -> Result<Vec<Option<u64>>, Error> {
            let july: YearMonth = "2024-07".parse().unwrap();
            Ok(period
                .months()
                .map(|month| {
                    let cell = |code, detail| scrutiny_core::measure::CellKey {
                        code,
                        flags: scrutiny_core::flags::Flags::default(),
                        detail,
                    };
                    let rape = if month == july { 3 } else { 25 };
                    let count = match selector.source {
                        Source::Crimes => {
                            u64::from(selector.matches(month, cell("19C", 0))) * rape
                                + u64::from(selector.matches(month, cell("28E", 0))) * 500
                        }
                        Source::Outcomes => u64::from(selector.matches(month, cell("19C", 1))) * 10,
                        _ => 0,
                    };
                    Some(count)
                })
                .collect())
        }
    }

    fn paper() -> (Paper, Definitions) {
        let definitions = Definitions::builtin();
        let plan = definitions.plan("making-kent-safer").unwrap();
        let context = Context { plan, classification: &definitions.classification, outcomes: &definitions.outcomes };
        let paper = super::super::quarterly(
            &context,
            &Counts,
            &definitions.returns,
            &ReturnValues::default(),
            "Kent",
            "2024-07".parse().unwrap(),
            Vec::new(),
        )
        .unwrap();
        (paper, definitions.clone())
    }

    fn item<'a>(paper: &'a Paper, id: &str) -> &'a super::super::Item {
        paper.sections.iter().flat_map(|section| section.items.iter()).find(|item| item.measure_id == id).unwrap()
    }

    #[test]
    fn a_small_sensitive_month_is_suppressed_everywhere_it_appears_and_cannot_be_recovered() {
        let (paper, definitions) = paper();
        let plan = definitions.plan("making-kent-safer").unwrap();
        let public = protect(&paper, plan, &Policy { threshold: 10 }).unwrap();
        let rape = item(&public.paper, "rape");
        // Rows: May, June, July, total; columns: label, count, last year, % change, number change.
        assert_eq!(rape.table.rows[2][1], SUPPRESSED, "3 is below 10");
        assert_eq!(rape.table.rows[2][3], SUPPRESSED, "the % change against 25 would give it");
        assert_eq!(rape.table.rows[2][4], SUPPRESSED, "the number change against 25 would give it");
        assert_eq!(rape.table.rows[0][1], SUPPRESSED, "May protects July in the total (53 = 25 + 25 + 3)");
        assert_eq!(rape.table.rows[1][1], "25", "one other month is enough");
        assert_eq!(rape.table.rows[3][1], "53", "the total stays");
        assert_eq!(rape.chart.current.last(), Some(&None), "July is a gap in the chart");
        assert_eq!(rape.chart.current[rape.chart.current.len() - 3], None, "May too");
        assert!(rape.sentences[0].starts_with("Some figures of this measure are not published"));
        assert!(!rape.sentences.iter().any(|sentence| sentence.contains("53")));
        let rate = item(&public.paper, "rape-charge-rate");
        // Columns: label, charges, rape offences, rate, ...
        assert_eq!(rate.table.rows[2][2], SUPPRESSED, "the denominator is the same count");
        assert_eq!(rate.table.rows[2][3], SUPPRESSED, "10 charges at a known rate would give it");
        assert_eq!(rate.table.rows[2][1], "10");
        let burglary = item(&public.paper, "burglary-residential");
        assert_eq!(burglary.table, item(&paper, "burglary-residential").table, "other measures are untouched");
        let figures = public.measures.iter().find(|measure| measure.measure_id == "rape").unwrap();
        assert!(figures.sensitive);
        assert_eq!(figures.rows[2].figures[0], PublicFigure { column: "current", value: None, status: SUPPRESSED });
        assert_eq!(figures.rows[3].figures[0].value, Some(53.0));
        assert_eq!(public.suppressed.primary, 1);
    }

    #[test]
    fn nothing_is_suppressed_below_a_threshold_no_count_reaches() {
        let (paper, definitions) = paper();
        let plan = definitions.plan("making-kent-safer").unwrap();
        let public = protect(&paper, plan, &Policy { threshold: 3 }).unwrap();
        assert!(public.suppressed.is_empty());
        assert_eq!(public.paper, paper);
    }
}
