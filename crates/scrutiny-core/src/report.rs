//! The figures of a paper, computed from counts: the quarterly table of every
//! measure of a plan (each month against the same month last year, and the
//! three-month total), and one measure over any named period.
//!
//! The JSON form of these structs is a published contract (docs/cli.md).

use serde::Serialize;

use crate::change::{CountComparison, PercentChange, Rate, RateComparison, Tenths};
use crate::definitions::{Classification, Measure, MeasureKind, OutcomeFramework, Plan};
use crate::measure::{CountSource, Selector};
use crate::{Error, Period, PeriodKind, YearMonth};

/// One row of a count table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountRow {
    /// "YYYY-MM" for a month, "total" for the period.
    pub label: String,
    pub current: Option<u64>,
    pub last_year: Option<u64>,
    pub change: Option<i64>,
    pub pct_change: PercentChange,
}

impl CountRow {
    pub fn new(label: String, current: Option<u64>, last_year: Option<u64>) -> Self {
        let comparison = CountComparison::new(current, last_year);
        Self { label, current, last_year, change: comparison.number_change(), pct_change: comparison.percent_change() }
    }

    pub fn comparison(&self) -> CountComparison {
        CountComparison::new(self.current, self.last_year)
    }
}

/// One row of a rate table. Percentages are to one decimal place; the change
/// is in percentage points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateRow {
    pub label: String,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    pub current_pct: Option<Tenths>,
    pub last_year_numerator: Option<u64>,
    pub last_year_denominator: Option<u64>,
    pub last_year_pct: Option<Tenths>,
    pub change_pp: Option<Tenths>,
}

impl RateRow {
    pub fn new(label: String, current: (Option<u64>, Option<u64>), last_year: (Option<u64>, Option<u64>)) -> Self {
        let rate = |(numerator, denominator): (Option<u64>, Option<u64>)| {
            Some(Rate { numerator: numerator?, denominator: denominator? })
        };
        let comparison = RateComparison { current: rate(current), last_year: rate(last_year) };
        Self {
            label,
            numerator: current.0,
            denominator: current.1,
            current_pct: comparison.current.and_then(|rate| rate.percent()),
            last_year_numerator: last_year.0,
            last_year_denominator: last_year.1,
            last_year_pct: comparison.last_year.and_then(|rate| rate.percent()),
            change_pp: comparison.change_points(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum TableRow {
    Count(CountRow),
    Rate(RateRow),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Count,
    Rate,
}

/// What a rate divides, in words, printed beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateBasis {
    /// The outcome set counted, with its members ("solved: 1, 2, 3, 4, 6, 7, 8").
    pub outcomes: String,
    pub denominator: String,
    pub basis: String,
}

/// A measure's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureTable {
    pub id: String,
    pub title: String,
    pub priority: String,
    pub unit: String,
    pub kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_basis: Option<RateBasis>,
    pub rows: Vec<TableRow>,
}

/// Every measure of a plan for three months against the same months last year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarterlyReport {
    pub plan: String,
    pub plan_title: String,
    pub force: String,
    pub from: YearMonth,
    pub to: YearMonth,
    pub measures: Vec<MeasureTable>,
}

/// The definitions a report is computed under.
pub struct Context<'a> {
    pub plan: &'a Plan,
    pub classification: &'a Classification,
    pub outcomes: &'a OutcomeFramework,
}

/// A month's (numerator, denominator): for a count the denominator is `None`.
pub type Pair = (Option<u64>, Option<u64>);

pub const OUTCOMES_BASIS: &str = "outcomes assigned in the period, divided by crimes recorded in the same period";

impl Context<'_> {
    fn selector(&self, spec: &crate::definitions::CountSpec) -> Selector {
        Selector::compile(spec, self.classification)
    }

    pub(crate) fn rate_basis(&self, measure: &Measure) -> Option<RateBasis> {
        let MeasureKind::Rate { numerator, denominator } = &measure.kind else {
            return None;
        };
        let types: Vec<String> = numerator.filter.outcome_types.iter().map(u8::to_string).collect();
        let outcomes = match &numerator.filter.outcome_set {
            Some(set) => format!("{set} (outcome types {})", types.join(", ")),
            None => format!("outcome types {}", types.join(", ")),
        };
        let denominator = self.plan.measure(denominator).map(|measure| measure.title.clone()).unwrap_or_default();
        Some(RateBasis { outcomes, denominator, basis: OUTCOMES_BASIS.to_string() })
    }

    /// Monthly (numerator, denominator) counts; for a count the denominator is `None`.
    pub fn monthly(&self, measure: &Measure, source: &dyn CountSource, period: Period) -> Result<Vec<Pair>, Error> {
        match &measure.kind {
            MeasureKind::Count(spec) => Ok(source
                .monthly_counts(&self.selector(spec), period)?
                .into_iter()
                .map(|count| (count, None))
                .collect()),
            MeasureKind::Rate { numerator, .. } => {
                let denominator = self.plan.denominator_of(measure).expect("validated when the plan was parsed");
                let numerators = source.monthly_counts(&self.selector(numerator), period)?;
                let denominators = source.monthly_counts(&self.selector(denominator), period)?;
                Ok(numerators.into_iter().zip(denominators).collect())
            }
        }
    }

    /// One measure's table: each month of `period`, then the total.
    pub fn table(&self, measure: &Measure, source: &dyn CountSource, period: Period) -> Result<MeasureTable, Error> {
        let current = self.monthly(measure, source, period)?;
        let last_year = self.monthly(measure, source, period.same_period_last_year())?;
        let total = |values: &[Pair]| {
            let sum = |pick: fn(&Pair) -> Option<u64>| {
                values.iter().try_fold(0u64, |total, value| pick(value).map(|count| total + count))
            };
            (sum(|value| value.0), sum(|value| value.1))
        };
        let labels = period.months().map(|month| month.to_string()).chain(std::iter::once("total".to_string()));
        let current_rows = current.iter().copied().chain(std::iter::once(total(&current)));
        let last_year_rows = last_year.iter().copied().chain(std::iter::once(total(&last_year)));
        let rows = labels
            .zip(current_rows.zip(last_year_rows))
            .map(|(label, (now, then))| match measure.kind {
                MeasureKind::Count(_) => TableRow::Count(CountRow::new(label, now.0, then.0)),
                MeasureKind::Rate { .. } => TableRow::Rate(RateRow::new(label, now, then)),
            })
            .collect();
        Ok(MeasureTable {
            id: measure.id.clone(),
            title: measure.title.clone(),
            priority: measure.priority.clone(),
            unit: measure.unit.clone(),
            kind: if measure.is_rate() { Kind::Rate } else { Kind::Count },
            rate_basis: self.rate_basis(measure),
            rows,
        })
    }

    /// The quarterly report: every measure of the plan, in plan order, for the
    /// three months ending `to`.
    pub fn quarterly(&self, source: &dyn CountSource, force: &str, to: YearMonth) -> Result<QuarterlyReport, Error> {
        let period = PeriodKind::Quarter.ending(to);
        let measures =
            self.plan.measures.iter().map(|measure| self.table(measure, source, period)).collect::<Result<_, _>>()?;
        Ok(QuarterlyReport {
            plan: self.plan.id.clone(),
            plan_title: self.plan.title.clone(),
            force: force.to_string(),
            from: period.from,
            to: period.to,
            measures,
        })
    }

    /// One measure over a named period, against the same period last year.
    pub fn measure(
        &self,
        measure: &Measure,
        source: &dyn CountSource,
        force: &str,
        kind: PeriodKind,
        to: YearMonth,
    ) -> Result<MeasureFigure, Error> {
        let period = kind.ending(to);
        let table = self.table(measure, source, period)?;
        let total = table.rows.last().cloned().expect("a table has a total row");
        Ok(MeasureFigure {
            plan: self.plan.id.clone(),
            force: force.to_string(),
            measure: measure.id.clone(),
            title: measure.title.clone(),
            kind: table.kind,
            period: PeriodDescription { kind, from: period.from, to: period.to, description: kind.describe(to) },
            last_year: PeriodDescription {
                kind,
                from: period.same_period_last_year().from,
                to: period.same_period_last_year().to,
                description: kind.describe(to.same_month_last_year()),
            },
            rate_basis: table.rate_basis,
            figure: total,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodDescription {
    pub kind: PeriodKind,
    pub from: YearMonth,
    pub to: YearMonth,
    pub description: String,
}

/// One measure for one period (the answer to "what was the rape charge rate,
/// financial year to August 2022?").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureFigure {
    pub plan: String,
    pub force: String,
    pub measure: String,
    pub title: String,
    pub kind: Kind,
    pub period: PeriodDescription,
    pub last_year: PeriodDescription,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_basis: Option<RateBasis>,
    pub figure: TableRow,
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::definitions::Definitions;
    use crate::flags::Flags;
    use crate::measure::CellKey;

    /// A count source over an in-memory list of cells: (month, source, code, flags, detail, count).
    struct Cells(Vec<(YearMonth, crate::definitions::Source, &'static str, Flags, u16, u64)>, Vec<YearMonth>);

    impl CountSource for Cells {
        fn monthly_counts(&self, selector: &Selector, period: Period) -> Result<Vec<Option<u64>>, Error> {
            let mut totals: HashMap<YearMonth, u64> = HashMap::new();
            for (month, source, code, flags, detail, count) in &self.0 {
                if *source == selector.source
                    && selector.matches(*month, CellKey { code, flags: *flags, detail: *detail })
                {
                    *totals.entry(*month).or_default() += count;
                }
            }
            Ok(period
                .months()
                .map(|month| self.1.contains(&month).then(|| totals.get(&month).copied().unwrap_or(0)))
                .collect())
        }
    }

    #[test]
    fn quarterly_tables_compare_with_last_year_and_say_not_supplied() {
        use crate::definitions::Source::*;
        let definitions = Definitions::builtin();
        let plan = definitions.plan("making-kent-safer").unwrap();
        let context = Context { plan, classification: &definitions.classification, outcomes: &definitions.outcomes };
        let m = |text: &str| text.parse::<YearMonth>().unwrap();
        let covered: Vec<YearMonth> =
            ["2023-06", "2023-07", "2024-05", "2024-06", "2024-07"].iter().map(|t| m(t)).collect();
        let cells = Cells(
            vec![
                (m("2024-05"), Crimes, "19C", Flags::default(), 0, 5),
                (m("2024-06"), Crimes, "19C", Flags::default(), 0, 5),
                (m("2024-06"), Crimes, "28E", Flags::default(), 0, 7),
                (m("2023-06"), Crimes, "19C", Flags::default(), 0, 4),
                (m("2024-06"), Outcomes, "19C", Flags::default(), 1, 2),
                (m("2023-06"), Outcomes, "19C", Flags::default(), 1, 1),
                (m("2023-06"), Outcomes, "19C", Flags::default(), 18, 3),
            ],
            covered,
        );
        let report = context.quarterly(&cells, "Kent", m("2024-07")).unwrap();
        let rape = report.measures.iter().find(|table| table.id == "rape").unwrap();
        let rows: Vec<&CountRow> = rape
            .rows
            .iter()
            .map(|row| match row {
                TableRow::Count(row) => row,
                _ => panic!(),
            })
            .collect();
        assert_eq!(rows[0].last_year, None, "May 2023 is not covered");
        assert_eq!(rows[0].pct_change, PercentChange::NotSupplied);
        assert_eq!((rows[1].current, rows[1].last_year, rows[1].change), (Some(5), Some(4), Some(1)));
        assert_eq!(rows[1].pct_change.to_string(), "25.0%");
        assert_eq!(rows[2].pct_change, PercentChange::NotApplicable, "July 2023 is covered and zero");
        assert_eq!(rows[3].label, "total");
        assert_eq!(rows[3].last_year, None, "a total with a missing month is not supplied");
        let rate = context
            .measure(plan.measure("rape-charge-rate").unwrap(), &cells, "Kent", PeriodKind::Month, m("2024-06"))
            .unwrap();
        let TableRow::Rate(row) = rate.figure else { panic!() };
        assert_eq!((row.numerator, row.denominator), (Some(2), Some(5)));
        assert_eq!(row.current_pct.unwrap().to_string(), "40.0");
        assert_eq!(row.last_year_pct.unwrap().to_string(), "25.0");
        assert_eq!(row.change_pp.unwrap().to_string(), "15.0");
    }
}
