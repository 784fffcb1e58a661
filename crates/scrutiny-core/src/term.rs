//! The end-of-term report's figures: each measure of a plan as a series of
//! calendar years, each year against the year before, and the N-year
//! difference from the first year shown to the last.
//!
//! The partial-year rule: a calendar year counts only when every one of its
//! twelve months is supplied. A year with some months missing is "not
//! supplied", with the months it does hold named ("January – July only"), and
//! every change to or from it is "not supplied" too — a part of a year is
//! never compared with a whole one. The first year is compared with the year
//! before the term when that year is whole in the store.
//!
//! "N-year difference" compares the last year with the first; N counts the
//! calendar years shown (2017 to 2020 is the "4-year" period), as the
//! end-of-term seed paper labels it.
//!
//! The JSON form of these structs is a published contract (docs/cli.md).

use serde::Serialize;

use crate::change::{CountComparison, PercentChange, Rate, RateComparison, Tenths};
use crate::definitions::{Measure, MeasureKind};
use crate::measure::CountSource;
use crate::report::{Context, Kind, Pair, RateBasis};
use crate::{Error, Period, YearMonth};

/// Which months of a calendar year the store holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearCoverage {
    /// The months supplied, in order (all twelve for a whole year).
    pub supplied: Vec<YearMonth>,
    /// The months not supplied, in order.
    pub missing: Vec<YearMonth>,
}

impl YearCoverage {
    pub fn is_whole(&self) -> bool {
        self.missing.is_empty()
    }

    /// "" for a whole year; "January – July only"; "no months" when none is supplied.
    pub fn describe(&self) -> String {
        if self.is_whole() {
            return String::new();
        }
        runs(&self.supplied).map_or_else(|| "no months".to_string(), |runs| format!("{runs} only"))
    }

    /// The months missing, as runs: "August – December".
    pub fn describe_missing(&self) -> String {
        runs(&self.missing).unwrap_or_default()
    }
}

/// Consecutive months as runs of month names: "January – March and June".
fn runs(months: &[YearMonth]) -> Option<String> {
    let mut runs: Vec<(YearMonth, YearMonth)> = Vec::new();
    for &month in months {
        match runs.last_mut() {
            Some((_, last)) if last.plus(1) == month => *last = month,
            _ => runs.push((month, month)),
        }
    }
    let names: Vec<String> = runs
        .iter()
        .map(|(first, last)| {
            if first == last {
                first.month_name().to_string()
            } else {
                format!("{} – {}", first.month_name(), last.month_name())
            }
        })
        .collect();
    match names.as_slice() {
        [] => None,
        [only] => Some(only.clone()),
        [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
    }
}

/// One year of a count measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermCountRow {
    pub year: i32,
    /// The year's total; `None` unless all twelve months are supplied.
    pub value: Option<u64>,
    pub coverage: YearCoverage,
    /// The year before's total (the first year's is the year before the term).
    pub previous: Option<u64>,
    pub change: Option<i64>,
    pub pct_change: PercentChange,
}

/// One year of a rate measure. Percentages are to one decimal place; the
/// change on the year before is in percentage points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermRateRow {
    pub year: i32,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    pub rate_pct: Option<Tenths>,
    pub coverage: YearCoverage,
    /// Whether the year before is whole in the store.
    pub previous_supplied: bool,
    pub previous_pct: Option<Tenths>,
    pub change_pp: Option<Tenths>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum TermRow {
    Count(TermCountRow),
    Rate(TermRateRow),
}

impl TermRow {
    pub fn year(&self) -> i32 {
        match self {
            Self::Count(row) => row.year,
            Self::Rate(row) => row.year,
        }
    }

    pub fn coverage(&self) -> &YearCoverage {
        match self {
            Self::Count(row) => &row.coverage,
            Self::Rate(row) => &row.coverage,
        }
    }
}

/// The last year against the first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermDifference {
    /// "4-year difference"
    pub label: String,
    /// How many calendar years the term shows.
    pub years: i32,
    pub first_year: i32,
    pub last_year: i32,
    /// Counts: the number and percent change from the first year to the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pct_change: Option<PercentChange>,
    /// Rates: the change in percentage points between the two printed rates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_pp: Option<Tenths>,
}

/// A measure's calendar-year table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermTable {
    pub id: String,
    pub title: String,
    pub priority: String,
    pub unit: String,
    pub kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_basis: Option<RateBasis>,
    pub rows: Vec<TermRow>,
    pub difference: TermDifference,
}

impl TermTable {
    /// The rows of a count measure (empty for a rate).
    pub fn count_rows(&self) -> Vec<&TermCountRow> {
        self.rows.iter().filter_map(|row| if let TermRow::Count(row) = row { Some(row) } else { None }).collect()
    }

    /// The rows of a rate measure (empty for a count).
    pub fn rate_rows(&self) -> Vec<&TermRateRow> {
        self.rows.iter().filter_map(|row| if let TermRow::Rate(row) = row { Some(row) } else { None }).collect()
    }

    /// The years shown that are not whole, with what they hold.
    pub fn partial_years(&self) -> Vec<(i32, &YearCoverage)> {
        self.rows.iter().filter(|row| !row.coverage().is_whole()).map(|row| (row.year(), row.coverage())).collect()
    }
}

/// Every measure of a plan over calendar years `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermReport {
    pub plan: String,
    pub plan_title: String,
    pub force: String,
    pub from: i32,
    pub to: i32,
    pub measures: Vec<TermTable>,
}

/// "4-year difference" for a term of `years` calendar years.
pub fn difference_label(years: i32) -> String {
    format!("{years}-year difference")
}

/// The months a term report reads: January of the year before `from` (the
/// first year's baseline) to December of `to`.
pub fn months_needed(from: i32, to: i32) -> Result<Period, Error> {
    check_years(from, to)?;
    let first = YearMonth::new(from - 1, 1)?;
    let last = YearMonth::new(to, 12)?;
    Period::new(first, last)
}

fn check_years(from: i32, to: i32) -> Result<(), Error> {
    if !(1900..2200).contains(&from) || !(1900..2200).contains(&to) {
        return Err(Error::parse(format!("years {from} to {to}: give calendar years such as 2019")));
    }
    if to <= from {
        return Err(Error::parse(format!(
            "a term report compares at least two calendar years: --from {from} must be before --to {to}"
        )));
    }
    Ok(())
}

/// A year's (numerator, denominator) totals when whole, and its coverage.
fn year_totals(monthly: &[Pair], months: &[YearMonth], rate: bool) -> (Pair, YearCoverage) {
    let mut supplied = Vec::new();
    let mut missing = Vec::new();
    for (pair, month) in monthly.iter().zip(months) {
        let present = pair.0.is_some() && (!rate || pair.1.is_some());
        if present { supplied.push(*month) } else { missing.push(*month) }
    }
    let coverage = YearCoverage { supplied, missing };
    if !coverage.is_whole() {
        return ((None, None), coverage);
    }
    let numerator = monthly.iter().filter_map(|pair| pair.0).sum();
    let denominator = rate.then(|| monthly.iter().filter_map(|pair| pair.1).sum());
    ((Some(numerator), denominator), coverage)
}

fn rate_of(pair: Pair) -> Option<Rate> {
    Some(Rate { numerator: pair.0?, denominator: pair.1? })
}

impl Context<'_> {
    /// One measure's calendar-year table for `from` to `to`.
    pub fn term_table(
        &self,
        measure: &Measure,
        source: &dyn CountSource,
        from: i32,
        to: i32,
    ) -> Result<TermTable, Error> {
        let period = months_needed(from, to)?;
        let monthly = self.monthly(measure, source, period)?;
        let months: Vec<YearMonth> = period.months().collect();
        let rate = measure.is_rate();
        // Years from the baseline year to the last, each as twelve months.
        let years: Vec<(i32, Pair, YearCoverage)> = months
            .chunks(12)
            .zip(monthly.chunks(12))
            .map(|(months, monthly)| {
                let (totals, coverage) = year_totals(monthly, months, rate);
                (months[0].year(), totals, coverage)
            })
            .collect();
        let mut rows = Vec::new();
        for pair in years.windows(2) {
            let (_, before, before_coverage) = &pair[0];
            let (year, now, coverage) = &pair[1];
            rows.push(match measure.kind {
                MeasureKind::Count(_) => {
                    let comparison = CountComparison::new(now.0, before.0);
                    TermRow::Count(TermCountRow {
                        year: *year,
                        value: now.0,
                        coverage: coverage.clone(),
                        previous: before.0,
                        change: comparison.number_change(),
                        pct_change: comparison.percent_change(),
                    })
                }
                MeasureKind::Rate { .. } => {
                    let comparison = RateComparison { current: rate_of(*now), last_year: rate_of(*before) };
                    TermRow::Rate(TermRateRow {
                        year: *year,
                        numerator: now.0,
                        denominator: now.1,
                        rate_pct: comparison.current.and_then(|rate| rate.percent()),
                        coverage: coverage.clone(),
                        previous_supplied: before_coverage.is_whole(),
                        previous_pct: comparison.last_year.and_then(|rate| rate.percent()),
                        change_pp: comparison.change_points(),
                    })
                }
            });
        }
        let (first, last) = (&years[1], &years[years.len() - 1]);
        let shown = to - from + 1;
        let mut difference = TermDifference {
            label: difference_label(shown),
            years: shown,
            first_year: from,
            last_year: to,
            change: None,
            pct_change: None,
            change_pp: None,
        };
        if rate {
            difference.change_pp =
                RateComparison { current: rate_of(last.1), last_year: rate_of(first.1) }.change_points();
        } else {
            let comparison = CountComparison::new(last.1.0, first.1.0);
            difference.change = comparison.number_change();
            difference.pct_change = Some(comparison.percent_change());
        }
        Ok(TermTable {
            id: measure.id.clone(),
            title: measure.title.clone(),
            priority: measure.priority.clone(),
            unit: measure.unit.clone(),
            kind: if rate { Kind::Rate } else { Kind::Count },
            rate_basis: self.rate_basis(measure),
            rows,
            difference,
        })
    }

    /// The end-of-term report: every measure of the plan, in plan order, for
    /// calendar years `from` to `to`. `source` must hold [`months_needed`].
    pub fn term(&self, source: &dyn CountSource, force: &str, from: i32, to: i32) -> Result<TermReport, Error> {
        check_years(from, to)?;
        let measures = self
            .plan
            .measures
            .iter()
            .map(|measure| self.term_table(measure, source, from, to))
            .collect::<Result<_, _>>()?;
        Ok(TermReport {
            plan: self.plan.id.clone(),
            plan_title: self.plan.title.clone(),
            force: force.to_string(),
            from,
            to,
            measures,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definitions::{Definitions, Source};
    use crate::flags::Flags;
    use crate::measure::{CellKey, Selector};

    /// Cells per month of one offence code, and the months covered.
    struct Cells {
        cells: Vec<(YearMonth, Source, &'static str, u16, u64)>,
        covered: Vec<YearMonth>,
    }

    impl CountSource for Cells {
        fn monthly_counts(&self, selector: &Selector, period: Period) -> Result<Vec<Option<u64>>, Error> {
            Ok(period
                .months()
                .map(|month| {
                    self.covered.contains(&month).then(|| {
                        self.cells
                            .iter()
                            .filter(|(at, source, code, detail, _)| {
                                *at == month
                                    && *source == selector.source
                                    && selector
                                        .matches(month, CellKey { code, flags: Flags::default(), detail: *detail })
                            })
                            .map(|cell| cell.4)
                            .sum()
                    })
                })
                .collect())
        }
    }

    fn month(text: &str) -> YearMonth {
        text.parse().unwrap()
    }

    fn months(from: &str, to: &str) -> Vec<YearMonth> {
        Period::new(month(from), month(to)).unwrap().months().collect()
    }

    /// Rape (19C) crimes each month of a year, and charges (outcome type 1).
    fn year_of(year: i32, crimes: u64, charges: u64) -> Vec<(YearMonth, Source, &'static str, u16, u64)> {
        (1..=12)
            .flat_map(|m| {
                let at = YearMonth::new(year, m).unwrap();
                [(at, Source::Crimes, "19C", 0, crimes), (at, Source::Outcomes, "19C", 1, charges)]
            })
            .collect()
    }

    #[test]
    fn calendar_years_compare_with_the_year_before_and_give_the_n_year_difference() {
        let definitions = Definitions::builtin();
        let plan = definitions.plan("making-kent-safer").unwrap();
        let context = Context { plan, classification: &definitions.classification, outcomes: &definitions.outcomes };
        let mut cells = Vec::new();
        for (year, crimes, charges) in [(2019, 10, 1), (2020, 12, 1), (2021, 9, 2), (2022, 9, 3)] {
            cells.extend(year_of(year, crimes, charges));
        }
        // 2018 is not held at all; 2023 only January – July.
        let mut covered = months("2019-01", "2022-12");
        covered.extend(months("2023-01", "2023-07"));
        cells.extend((1..=7).map(|m| (YearMonth::new(2023, m).unwrap(), Source::Crimes, "19C", 0, 50)));
        let source = Cells { cells, covered };

        let table = context.term_table(plan.measure("rape").unwrap(), &source, 2019, 2022).unwrap();
        let rows = table.count_rows();
        assert_eq!(rows.iter().map(|row| row.value).collect::<Vec<_>>(), [Some(120), Some(144), Some(108), Some(108)]);
        assert_eq!(rows[0].pct_change, PercentChange::NotSupplied, "2018 is not held");
        assert_eq!((rows[1].change, rows[1].pct_change.to_string()), (Some(24), "20.0%".to_string()));
        assert_eq!((rows[2].change, rows[2].pct_change.to_string()), (Some(-36), "-25.0%".to_string()));
        assert_eq!(rows[3].pct_change.to_string(), "0.0%");
        assert_eq!(table.difference.label, "4-year difference");
        assert_eq!(table.difference.change, Some(-12));
        assert_eq!(table.difference.pct_change.unwrap().to_string(), "-10.0%");

        // A partial year is not supplied, never compared, and says what it holds.
        let table = context.term_table(plan.measure("rape").unwrap(), &source, 2020, 2023).unwrap();
        let last = table.count_rows()[3].clone();
        assert_eq!((last.value, last.change, last.pct_change), (None, None, PercentChange::NotSupplied));
        assert_eq!(last.coverage.describe(), "January – July only");
        assert_eq!(last.coverage.describe_missing(), "August – December");
        assert_eq!(table.difference.change, None);
        assert_eq!(table.difference.pct_change, Some(PercentChange::NotSupplied));
        assert_eq!(table.partial_years().len(), 1);
        assert_eq!(table.count_rows()[0].change, Some(24), "2020 against the whole year 2019 before the term");

        // Rates: per year, changes in percentage points.
        let table = context.term_table(plan.measure("rape-charge-rate").unwrap(), &source, 2019, 2022).unwrap();
        let rows = table.rate_rows();
        assert_eq!(rows[0].rate_pct.unwrap().to_string(), "10.0");
        assert_eq!(rows[1].rate_pct.unwrap().to_string(), "8.3");
        assert_eq!(rows[1].change_pp.unwrap().to_string(), "-1.7");
        assert_eq!(rows[3].rate_pct.unwrap().to_string(), "33.3");
        assert_eq!(table.difference.change_pp.unwrap().to_string(), "23.3");
        assert_eq!(table.difference.change, None);
    }

    #[test]
    fn zero_baselines_and_bad_years() {
        let definitions = Definitions::builtin();
        let plan = definitions.plan("making-kent-safer").unwrap();
        let context = Context { plan, classification: &definitions.classification, outcomes: &definitions.outcomes };
        let mut cells = year_of(2021, 0, 0);
        cells.extend(year_of(2022, 2, 0));
        let source = Cells { cells, covered: months("2020-01", "2022-12") };
        let table = context.term_table(plan.measure("rape").unwrap(), &source, 2021, 2022).unwrap();
        let rows = table.count_rows();
        assert_eq!(rows[0].value, Some(0), "a supplied year of no crimes is zero");
        assert_eq!(rows[0].pct_change, PercentChange::NotApplicable, "2020 held and zero");
        assert_eq!(rows[1].pct_change, PercentChange::NotApplicable);
        assert_eq!(table.difference.pct_change, Some(PercentChange::NotApplicable));
        assert_eq!(table.difference.change, Some(24));
        assert!(context.term(&source, "Kent", 2022, 2022).is_err());
        assert!(context.term(&source, "Kent", 2023, 2022).unwrap_err().message().contains("at least two"));
        assert_eq!(
            YearCoverage { supplied: Vec::new(), missing: months("2024-01", "2024-12") }.describe(),
            "no months"
        );
        let coverage = YearCoverage {
            supplied: [months("2024-01", "2024-03"), months("2024-06", "2024-06")].concat(),
            missing: Vec::new(),
        };
        assert_eq!(runs(&coverage.supplied).unwrap(), "January – March and June");
    }

    fn context_and_source(years: &[(i32, u64, u64)], covered: Vec<YearMonth>) -> (&'static Definitions, Cells) {
        let definitions: &'static Definitions = Box::leak(Box::new(Definitions::builtin()));
        let cells = years.iter().flat_map(|(year, crimes, charges)| year_of(*year, *crimes, *charges)).collect();
        (definitions, Cells { cells, covered })
    }

    fn sentences_for(
        measure: &str,
        years: &[(i32, u64, u64)],
        covered: Vec<YearMonth>,
        from: i32,
        to: i32,
    ) -> Vec<String> {
        let (definitions, source) = context_and_source(years, covered);
        let plan = definitions.plan("making-kent-safer").unwrap();
        let context = Context { plan, classification: &definitions.classification, outcomes: &definitions.outcomes };
        let measure = plan.measure(measure).unwrap();
        let table = context.term_table(measure, &source, from, to).unwrap();
        crate::narrative::term_sentences(measure, &table)
    }

    #[test]
    fn narrative_says_the_n_year_difference_the_years_and_the_current_year() {
        // Falls every year: 1,200 → 1,080 → 960 → 840 a month × 12.
        let years = [(2020, 110, 5), (2021, 100, 6), (2022, 90, 9), (2023, 80, 12)];
        let sentences = sentences_for("rape", &years, months("2020-01", "2023-12"), 2021, 2023);
        assert_eq!(
            sentences,
            [
                "Rape offences have seen a 20.0% decrease, with 240 fewer offences over the 3-year period from 2021 to 2023.",
                "They fell in each year from 2021 to 2023, the largest fall in 2023 (11.1%, 120 fewer offences than 2022).",
                "The current year, 2023, has seen an 11.1% decrease on 2022, with 120 fewer offences.",
            ]
        );
        // Mixed years; the first year's baseline (2019) is not held.
        let years = [(2020, 100, 5), (2021, 120, 6), (2022, 90, 9), (2023, 95, 12)];
        let sentences = sentences_for("rape", &years, months("2020-01", "2023-12"), 2020, 2023);
        assert_eq!(
            sentences[1],
            "They fell in 2022 and rose in 2021 and 2023; the largest year-on-year change was in 2022 (25.0%, 360 fewer offences than 2021). 2020 is not compared with 2019, which is not supplied."
        );
        assert_eq!(
            sentences[0],
            "Rape offences have seen a 5.0% decrease, with 60 fewer offences over the 4-year period from 2020 to 2023. A change of this size is within normal year-to-year variation."
        );
        // Rates in percentage points.
        let sentences = sentences_for("rape-charge-rate", &years, months("2020-01", "2023-12"), 2020, 2023);
        assert_eq!(
            sentences,
            [
                "Between 2020 and 2023 the rape charge rate rose 7.6 percentage points, from 5.0% to 12.6% (144 charges of 1,140 in 2023, against 60 of 1,200 in 2020).",
                "Year on year it rose in 2022 and 2023 and did not change in 2021; the largest change was in 2022 (up 5.0 percentage points, from 5.0% to 10.0%).",
            ]
        );
    }

    #[test]
    fn narrative_for_partial_years_tiny_counts_and_zero_baselines() {
        let years = [(2021, 100, 5), (2022, 90, 9), (2023, 80, 12)];
        let mut covered = months("2021-01", "2022-12");
        covered.extend(months("2023-01", "2023-07"));
        let sentences = sentences_for("rape", &years, covered.clone(), 2021, 2023);
        assert_eq!(
            sentences[0],
            "Rape offences: the 3-year difference cannot be given, because 2023 is not supplied (January – July only)."
        );
        assert_eq!(
            sentences[1..],
            ["The latest year that can be compared, 2022, has seen a 10.0% decrease on 2021, with 120 fewer offences."],
            "one comparison left is no pattern"
        );
        let rate = sentences_for("rape-charge-rate", &years, covered, 2021, 2023);
        assert_eq!(
            rate[0],
            "The rape charge rate cannot be compared between 2021 and 2023, because 2023 is not supplied (January – July only)."
        );
        let tiny = sentences_for("rape", &[(2021, 0, 0), (2022, 1, 0)], months("2021-01", "2022-12"), 2021, 2022);
        assert_eq!(
            tiny,
            [
                "Rape offences: 0 offences in 2021 and 12 in 2022. Numbers this small vary by chance from year to year, so no trend should be read into them."
            ]
        );
        let zero = sentences_for("rape", &[(2021, 0, 0), (2022, 3, 0)], months("2021-01", "2022-12"), 2021, 2022);
        assert_eq!(
            zero[0],
            "Rape offences: 36 offences in 2022, against none in 2021, so no percentage change can be given over the 2-year period."
        );
        assert_eq!(
            zero[1],
            "The current year, 2022, had 36 offences against none in 2021, so no percentage change can be given."
        );
    }
}
