//! Figures from returns and per-call records: the values a force returned
//! for each month, call handling computed from its calls (not answered,
//! % not answered, average time to answer, % answered under 10 seconds), and
//! the tables a plan shows them in. A month not returned is "not supplied".

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::change::{CountComparison, PercentChange, Tenths, round_ratio};
use crate::definitions::{
    CallRow, Channel, Layout, ReturnDefinitions, ReturnMeasure, ReturnsTable, TableContent, ValueKind,
};
use crate::narrative::thousands;
use crate::{Error, Period, YearMonth};

/// Calls answered in fewer than this many seconds count as "under 10 seconds".
pub const ANSWER_TARGET_SECONDS: u64 = 10;

/// One value of a return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnValue {
    pub value: u64,
    /// Where the figure comes from (a system or report), as the return says.
    pub source: String,
    /// Who in the force is responsible for it.
    pub owner: String,
}

/// The calls of one channel presented in one month, summed from per-call records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallMonth {
    pub received: u64,
    pub answered: u64,
    /// Answered calls whose seconds to answer were under [`ANSWER_TARGET_SECONDS`].
    pub answered_under_10s: u64,
    /// Seconds to answer, summed over the answered calls.
    pub answer_seconds: u64,
}

impl CallMonth {
    /// Adds one call: `seconds_to_answer` is `None` for an abandoned call.
    pub fn add(&mut self, seconds_to_answer: Option<u64>) {
        self.received += 1;
        if let Some(seconds) = seconds_to_answer {
            self.answered += 1;
            self.answer_seconds += seconds;
            if seconds < ANSWER_TARGET_SECONDS {
                self.answered_under_10s += 1;
            }
        }
    }

    pub fn not_answered(&self) -> u64 {
        self.received - self.answered
    }

    /// Calls not answered as a percentage of calls received, in hundredths of a percent.
    pub fn pct_not_answered(&self) -> Option<i64> {
        (self.received > 0)
            .then(|| round_ratio(i128::from(self.not_answered()), i128::from(self.received), 10_000) as i64)
    }

    /// Average seconds to answer an answered call, to the nearest second.
    pub fn average_seconds(&self) -> Option<u64> {
        (self.answered > 0).then(|| round_ratio(i128::from(self.answer_seconds), i128::from(self.answered), 1) as u64)
    }

    /// Calls answered in under 10 seconds as a percentage of calls answered, to 1 dp.
    pub fn pct_under_10s(&self) -> Option<Tenths> {
        (self.answered > 0)
            .then(|| Tenths(round_ratio(i128::from(self.answered_under_10s), i128::from(self.answered), 1000) as i64))
    }
}

/// What a force returned, for the months loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnValues {
    /// (measure id, month) → value.
    pub values: BTreeMap<(String, YearMonth), ReturnValue>,
    /// (channel id, month) → calls.
    pub calls: BTreeMap<(String, YearMonth), CallMonth>,
}

impl ReturnValues {
    pub fn value(&self, measure: &str, month: YearMonth) -> Option<u64> {
        self.values.get(&(measure.to_string(), month)).map(|value| value.value)
    }

    /// A measure over a period: the sum of a count's months, the last month of
    /// a level. `None` ("not supplied") when any month needed is missing.
    pub fn over(&self, measure: &str, kind: ValueKind, period: Period) -> Option<u64> {
        match kind {
            ValueKind::Count => period.months().map(|month| self.value(measure, month)).sum(),
            ValueKind::Level => self.value(measure, period.to),
        }
    }
}

/// One cell of a returns table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    NotSupplied,
    /// A percentage of nothing.
    NotApplicable,
    Count(u64),
    /// A number change, signed.
    Change(i64),
    PercentChange(PercentChange),
    /// A percentage to two decimal places, in hundredths.
    Percent2(i64),
    /// A percentage to one decimal place.
    Percent1(Tenths),
    Seconds(u64),
}

impl Figure {
    fn count(value: Option<u64>) -> Figure {
        value.map_or(Figure::NotSupplied, Figure::Count)
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotSupplied => f.write_str("not supplied"),
            Self::NotApplicable => f.write_str("n/a"),
            Self::Count(value) => f.write_str(&thousands(*value)),
            Self::Change(value) if *value < 0 => write!(f, "-{}", thousands(value.unsigned_abs())),
            Self::Change(value) => f.write_str(&thousands(*value as u64)),
            Self::PercentChange(change) => write!(f, "{change}"),
            Self::Percent2(hundredths) => {
                let sign = if *hundredths < 0 { "-" } else { "" };
                write!(f, "{sign}{}.{:02}%", hundredths.abs() / 100, hundredths.abs() % 100)
            }
            Self::Percent1(tenths) => write!(f, "{tenths}%"),
            Self::Seconds(seconds) => write!(f, "{seconds} sec"),
        }
    }
}

/// A returns table with its figures, in the layout the plan gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnsFigures {
    pub id: String,
    pub title: String,
    pub period: Period,
    /// Column headings; the first heads the row labels.
    pub header: Vec<String>,
    pub rows: Vec<(String, Vec<Figure>)>,
    /// What the figures mean and who returned them.
    pub notes: Vec<String>,
    /// Sentences written from the figures (comparison tables).
    pub sentences: Vec<String>,
    /// Whether the last row is a total.
    pub total_row: bool,
}

fn calls_cell(calls: Option<&CallMonth>, row: CallRow) -> Figure {
    let Some(calls) = calls else { return Figure::NotSupplied };
    let or_na = |value: Option<Figure>| value.unwrap_or(Figure::NotApplicable);
    match row {
        CallRow::Received => Figure::Count(calls.received),
        CallRow::Answered => Figure::Count(calls.answered),
        CallRow::NotAnswered => Figure::Count(calls.not_answered()),
        CallRow::PctNotAnswered => or_na(calls.pct_not_answered().map(Figure::Percent2)),
        CallRow::AverageSeconds => or_na(calls.average_seconds().map(Figure::Seconds)),
        CallRow::PctUnder10s => or_na(calls.pct_under_10s().map(Figure::Percent1)),
    }
}

fn sum_cells(cells: &[Figure]) -> Figure {
    let mut total = 0;
    for cell in cells {
        match cell {
            Figure::Count(value) => total += value,
            _ => return Figure::NotSupplied,
        }
    }
    Figure::Count(total)
}

/// The sentence of a comparison row: "There were 10 road deaths in May – July
/// 2024, a 28.6% decrease (4 fewer) on May – July 2023."
fn comparison_sentence(noun: &str, period: Period, comparison: CountComparison) -> Option<String> {
    let current = comparison.current?;
    comparison.last_year?;
    let (this, that) = (period.describe(), period.same_period_last_year().describe());
    let change = comparison.number_change()?;
    let verb = if current == 1 { "was" } else { "were" };
    let head = format!("There {verb} {} {noun} in {this}", thousands(current));
    Some(match comparison.percent_change() {
        PercentChange::Value(pct) if change < 0 => {
            format!("{head}, a {}% decrease ({} fewer) on {that}.", pct.abs(), thousands(change.unsigned_abs()))
        }
        PercentChange::Value(pct) if change > 0 => {
            format!("{head}, a {pct}% increase ({} more) on {that}.", thousands(change as u64))
        }
        PercentChange::Value(_) => format!("{head}, the same as in {that}."),
        PercentChange::NotApplicable => format!("{head}, against none in {that}."),
        PercentChange::NotSupplied => return None,
    })
}

/// How the call handling figures are computed, as the tables' notes say.
const CALL_FIGURES: &str = "not answered = received − answered; % not answered = not answered ÷ received (2 dp); average time to answer = seconds to answer summed over answered calls ÷ calls answered (nearest second); % answered under 10 seconds = answered in under 10 seconds ÷ calls answered (1 dp).";

fn defined_measures<'a>(
    measures: &[String],
    definitions: &'a ReturnDefinitions,
) -> Result<Vec<&'a ReturnMeasure>, Error> {
    measures
        .iter()
        .map(|id| definitions.measure(id).ok_or_else(|| Error::definition(format!("unknown return measure '{id}'"))))
        .collect()
}

fn call_channel<'a>(id: &str, definitions: &'a ReturnDefinitions) -> Result<&'a Channel, Error> {
    definitions.channel(id).ok_or_else(|| Error::definition(format!("unknown call channel '{id}'")))
}

/// The total row of a table: each of its `columns` summed over the rows.
fn column_totals(rows: &[(String, Vec<Figure>)], columns: usize) -> Vec<Figure> {
    (0..columns)
        .map(|column| sum_cells(&rows.iter().map(|(_, cells)| cells[column]).collect::<Vec<Figure>>()))
        .collect()
}

/// "Returned by: …" for the values of `measures` in `months`, if any were returned.
fn returned_by(values: &ReturnValues, measures: &[&ReturnMeasure], months: &[YearMonth]) -> Option<String> {
    let mut returned_by = BTreeSet::new();
    for measure in measures {
        for month in months {
            if let Some(value) = values.values.get(&(measure.id.clone(), *month)) {
                returned_by.insert(format!("{} ({})", value.owner, value.source));
            }
        }
    }
    (!returned_by.is_empty())
        .then(|| format!("Returned by: {}.", returned_by.into_iter().collect::<Vec<_>>().join("; ")))
}

/// The figures of `table` for the months of its period ending `to`.
pub fn figures(
    table: &ReturnsTable,
    definitions: &ReturnDefinitions,
    values: &ReturnValues,
    to: YearMonth,
) -> Result<ReturnsFigures, Error> {
    let period = table.months.ending(to.minus(table.lag as i32));
    let months: Vec<YearMonth> = period.months().collect();
    // Twelve columns of "September 2023" do not fit a page: long tables say "Sep 2023".
    let month_names: Vec<String> = months
        .iter()
        .map(|month| {
            if months.len() > 6 { format!("{} {}", &month.month_name()[..3], month.year()) } else { month.long_name() }
        })
        .collect();
    let mut notes = Vec::new();
    let mut sentences = Vec::new();
    let mut header = vec![String::new()];
    let mut rows: Vec<(String, Vec<Figure>)> = Vec::new();
    match &table.content {
        TableContent::Calls { channel, rows: call_rows } => {
            let channel = call_channel(channel, definitions)?;
            header.extend(month_names);
            for row in call_rows {
                let cells = months
                    .iter()
                    .map(|month| calls_cell(values.calls.get(&(channel.id.clone(), *month)), *row))
                    .collect();
                rows.push((row.title().to_string(), cells));
            }
            notes.push(format!(
                "{} Computed from the force's per-call records, by the month a call was presented: {CALL_FIGURES}",
                channel.means
            ));
        }
        TableContent::Values { measures, total } => {
            let defined = defined_measures(measures, definitions)?;
            match table.layout {
                Layout::MonthsAsColumns => {
                    header.extend(month_names);
                    for measure in &defined {
                        let cells =
                            months.iter().map(|month| Figure::count(values.value(&measure.id, *month))).collect();
                        rows.push((measure.title.clone(), cells));
                    }
                    if let Some(label) = total {
                        rows.push((label.clone(), column_totals(&rows, months.len())));
                    }
                }
                Layout::MonthsAsRows => {
                    header.extend(defined.iter().map(|measure| measure.title.clone()));
                    for month in &months {
                        let cells =
                            defined.iter().map(|measure| Figure::count(values.value(&measure.id, *month))).collect();
                        rows.push((month.long_name(), cells));
                    }
                    if let Some(label) = total {
                        rows.push((label.clone(), column_totals(&rows, defined.len())));
                    }
                }
                Layout::Comparison => {
                    header.extend([
                        period.describe(),
                        period.same_period_last_year().describe(),
                        "% Change".to_string(),
                        "Number change".to_string(),
                    ]);
                    for measure in &defined {
                        let comparison = CountComparison::new(
                            values.over(&measure.id, measure.kind, period),
                            values.over(&measure.id, measure.kind, period.same_period_last_year()),
                        );
                        rows.push((
                            measure.title.clone(),
                            vec![
                                Figure::count(comparison.current),
                                Figure::count(comparison.last_year),
                                Figure::PercentChange(comparison.percent_change()),
                                comparison.number_change().map_or(Figure::NotSupplied, Figure::Change),
                            ],
                        ));
                        sentences.extend(comparison_sentence(&measure.noun, period, comparison));
                    }
                }
            }
            for measure in &defined {
                notes.push(format!("{}: {}", measure.title, measure.means));
            }
            let shown = match table.layout {
                Layout::Comparison => {
                    let last = period.same_period_last_year();
                    months.iter().copied().chain(last.months()).collect::<Vec<_>>()
                }
                _ => months.clone(),
            };
            notes.extend(returned_by(values, &defined, &shown));
        }
    }
    let total_row = matches!(&table.content, TableContent::Values { total: Some(_), .. });
    Ok(ReturnsFigures {
        id: table.id.clone(),
        title: table.title.clone(),
        period,
        header,
        rows,
        notes,
        sentences,
        total_row,
    })
}

/// The calls of one channel over a whole calendar year: `None` when any of
/// its twelve months is not supplied.
fn calls_in_year(values: &ReturnValues, channel: &str, year: i32) -> Option<CallMonth> {
    let mut total = CallMonth::default();
    for month in 1..=12 {
        let month = YearMonth::new(year, month).ok()?;
        let calls = values.calls.get(&(channel.to_string(), month))?;
        total.received += calls.received;
        total.answered += calls.answered;
        total.answered_under_10s += calls.answered_under_10s;
        total.answer_seconds += calls.answer_seconds;
    }
    Some(total)
}

fn year_period(year: i32) -> Result<Period, Error> {
    Period::new(YearMonth::new(year, 1)?, YearMonth::new(year, 12)?)
}

/// "rose" / "fell" for a signed change that is not zero.
fn moved(change: i64) -> &'static str {
    if change > 0 { "rose" } else { "fell" }
}

/// A percentage in hundredths as printed: "1.43%".
fn percent2(hundredths: i64) -> String {
    Figure::Percent2(hundredths).to_string()
}

/// The figures of `table` by calendar year, `from` to `to`, for the
/// end-of-term report: a column per year; counts summed over the year, levels
/// as returned for December, call handling computed from the year's calls. A
/// year with any month not returned is "not supplied", never a part-year sum.
pub fn term_figures(
    table: &ReturnsTable,
    definitions: &ReturnDefinitions,
    values: &ReturnValues,
    from: i32,
    to: i32,
) -> Result<ReturnsFigures, Error> {
    if from > to {
        return Err(Error::definition(format!("a term from {from} to {to} runs backwards")));
    }
    let years: Vec<i32> = (from..=to).collect();
    let period = Period::new(YearMonth::new(from, 1)?, YearMonth::new(to, 12)?)?;
    let mut header = vec![String::new()];
    header.extend(years.iter().map(ToString::to_string));
    let mut rows: Vec<(String, Vec<Figure>)> = Vec::new();
    let mut notes = Vec::new();
    let mut sentences = Vec::new();
    let (first, last) = (from.to_string(), to.to_string());
    match &table.content {
        TableContent::Calls { channel, rows: call_rows } => {
            let channel = call_channel(channel, definitions)?;
            let by_year: Vec<Option<CallMonth>> =
                years.iter().map(|year| calls_in_year(values, &channel.id, *year)).collect();
            for row in call_rows {
                let cells = by_year.iter().map(|calls| calls_cell(calls.as_ref(), *row)).collect();
                rows.push((row.title().to_string(), cells));
            }
            if let (Some(Some(start)), Some(Some(end))) = (by_year.first(), by_year.last())
                && from < to
            {
                let comparison = CountComparison::new(Some(end.received), Some(start.received));
                if let (Some(change), PercentChange::Value(pct)) =
                    (comparison.number_change(), comparison.percent_change())
                {
                    sentences.push(if change == 0 {
                        format!(
                            "{} calls received were {} in both {first} and {last}.",
                            channel.title,
                            thousands(end.received)
                        )
                    } else {
                        format!(
                            "{} calls received {} {}%, from {} in {first} to {} in {last}.",
                            channel.title,
                            moved(change),
                            pct.abs(),
                            thousands(start.received),
                            thousands(end.received)
                        )
                    });
                }
                if let (Some(start_pct), Some(end_pct)) = (start.pct_not_answered(), end.pct_not_answered()) {
                    let change = end_pct - start_pct;
                    let points = if change.abs() == 100 { "percentage point" } else { "percentage points" };
                    sentences.push(if change == 0 {
                        format!(
                            "The percentage of {} calls not answered was {} in both {first} and {last}.",
                            channel.title,
                            percent2(end_pct)
                        )
                    } else {
                        format!(
                            "The percentage of {} calls not answered {} {} {points}, from {} in {first} to {} in {last}.",
                            channel.title,
                            moved(change),
                            percent2(change.abs()).trim_end_matches('%'),
                            percent2(start_pct),
                            percent2(end_pct)
                        )
                    });
                }
            }
            notes.push(format!(
                "{} Computed from the force's per-call records over each calendar year, by the month a call was presented: {CALL_FIGURES} A year with any month not supplied is not supplied.",
                channel.means
            ));
        }
        TableContent::Values { measures, total } => {
            let defined = defined_measures(measures, definitions)?;
            for measure in &defined {
                let cells: Vec<Option<u64>> = years
                    .iter()
                    .map(|year| Ok(values.over(&measure.id, measure.kind, year_period(*year)?)))
                    .collect::<Result<_, Error>>()?;
                if let (Some(Some(start)), Some(Some(end))) = (cells.first(), cells.last())
                    && from < to
                {
                    let comparison = CountComparison::new(Some(*end), Some(*start));
                    let sentence = match (comparison.number_change(), comparison.percent_change()) {
                        (Some(change), PercentChange::Value(pct)) if change < 0 => format!(
                            "{}: {} in {last}, against {} in {first}, a {}% decrease ({} fewer).",
                            measure.title,
                            thousands(*end),
                            thousands(*start),
                            pct.abs(),
                            thousands(change.unsigned_abs())
                        ),
                        (Some(change), PercentChange::Value(pct)) if change > 0 => format!(
                            "{}: {} in {last}, against {} in {first}, a {pct}% increase ({} more).",
                            measure.title,
                            thousands(*end),
                            thousands(*start),
                            thousands(change as u64)
                        ),
                        (_, PercentChange::NotApplicable) => {
                            format!("{}: {} in {last}, against none in {first}.", measure.title, thousands(*end))
                        }
                        _ => format!("{}: {} in {last}, the same as in {first}.", measure.title, thousands(*end)),
                    };
                    sentences.push(sentence);
                }
                rows.push((measure.title.clone(), cells.into_iter().map(Figure::count).collect()));
            }
            if let Some(label) = total {
                rows.push((label.clone(), column_totals(&rows, years.len())));
            }
            for measure in &defined {
                let how = match measure.kind {
                    ValueKind::Count => "the twelve months of each year summed",
                    ValueKind::Level => "as returned for December of each year",
                };
                notes.push(format!("{}: {}; {how}.", measure.title, measure.means.trim_end_matches('.')));
            }
            notes.push("A year with any month not returned is not supplied, never a part-year figure.".to_string());
            notes.extend(returned_by(values, &defined, &period.months().collect::<Vec<_>>()));
        }
    }
    let total_row = matches!(&table.content, TableContent::Values { total: Some(_), .. });
    Ok(ReturnsFigures {
        id: table.id.clone(),
        title: table.title.clone(),
        period,
        header,
        rows,
        notes,
        sentences,
        total_row,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definitions::Definitions;

    fn month(text: &str) -> YearMonth {
        text.parse().unwrap()
    }

    #[test]
    fn call_handling_is_computed_from_the_calls() {
        let mut calls = CallMonth::default();
        for seconds in [Some(2), Some(9), Some(10), Some(31), None] {
            calls.add(seconds);
        }
        assert_eq!((calls.received, calls.answered, calls.not_answered()), (5, 4, 1));
        assert_eq!(calls.pct_not_answered(), Some(2000));
        assert_eq!(calls.average_seconds(), Some(13), "52 / 4 = 13");
        assert_eq!(calls.pct_under_10s(), Some(Tenths(500)), "9 s is under 10, 10 s is not");
        assert_eq!(Figure::Percent2(36).to_string(), "0.36%");
        assert_eq!(CallMonth::default().pct_not_answered(), None);
    }

    #[test]
    fn tables_follow_the_plan_and_missing_months_are_not_supplied() {
        let definitions = Definitions::builtin();
        let plan = definitions.plan("making-kent-safer").unwrap();
        let mut values = ReturnValues::default();
        let value = |value| ReturnValue { value, source: "SOC tracker".into(), owner: "SCD".into() };
        for (index, n) in [39, 27, 34, 23, 33, 28, 44, 22, 27, 49, 48, 40].into_iter().enumerate() {
            values.values.insert(("ocg-disruptions".into(), month("2023-07").plus(index as i32)), value(n));
        }
        let ocg = plan.returns_tables.iter().find(|table| table.id == "ocg").unwrap();
        let shown = figures(ocg, &definitions.returns, &values, month("2024-07")).unwrap();
        assert_eq!(shown.header[1], "Jul 2023", "the OCG return arrives a month late");
        assert_eq!(shown.rows[1].1[1], Figure::Count(27));
        assert_eq!(shown.rows[1].1[11], Figure::Count(40));
        assert_eq!(shown.rows[0].1[3], Figure::NotSupplied, "no live OCG figure was returned");

        for (index, n) in [3, 5, 6, 4, 2, 4].into_iter().enumerate() {
            values.values.insert(
                ("road-deaths".into(), month("2023-05").plus(if index < 3 { index } else { index + 9 } as i32)),
                value(n),
            );
        }
        let deaths = plan.returns_tables.iter().find(|table| table.id == "road-deaths").unwrap();
        let shown = figures(deaths, &definitions.returns, &values, month("2024-07")).unwrap();
        assert_eq!(
            shown.rows[0].1,
            vec![
                Figure::Count(10),
                Figure::Count(14),
                Figure::PercentChange(PercentChange::Value(Tenths(-286))),
                Figure::Change(-4)
            ]
        );
        assert_eq!(
            shown.sentences,
            vec!["There were 10 road deaths in May – July 2024, a 28.6% decrease (4 fewer) on May – July 2023."]
        );
        assert!(shown.notes.iter().any(|note| note.contains("SCD (SOC tracker)")));

        let fatal = plan.returns_tables.iter().find(|table| table.id == "fatal-4").unwrap();
        values.values.insert(("fatal4-speed".into(), month("2024-05")), value(4449));
        values.values.insert(("fatal4-speed".into(), month("2024-06")), value(3205));
        values.values.insert(("fatal4-speed".into(), month("2024-07")), value(4124));
        let shown = figures(fatal, &definitions.returns, &values, month("2024-07")).unwrap();
        assert_eq!(
            shown.rows[3],
            (
                "TOTAL".to_string(),
                vec![Figure::Count(11778), Figure::NotSupplied, Figure::NotSupplied, Figure::NotSupplied]
            )
        );
    }

    #[test]
    fn term_tables_are_by_calendar_year_and_a_part_year_is_not_supplied() {
        let definitions = Definitions::builtin();
        let plan = definitions.plan("making-kent-safer").unwrap();
        let mut values = ReturnValues::default();
        let value = |value| ReturnValue { value, source: "Collision log".into(), owner: "Roads policing".into() };
        // Road deaths: every month of 2022 (1 each) and 2023 (2 each); 2024 only to July.
        for (year, months, n) in [(2022, 12, 1), (2023, 12, 2), (2024, 7, 5)] {
            for m in 1..=months {
                values.values.insert(("road-deaths".into(), YearMonth::new(year, m).unwrap()), value(n));
            }
        }
        let deaths = plan.returns_tables.iter().find(|table| table.id == "road-deaths").unwrap();
        let shown = term_figures(deaths, &definitions.returns, &values, 2022, 2023).unwrap();
        assert_eq!(shown.header, vec!["", "2022", "2023"]);
        assert_eq!(shown.rows[0].1, vec![Figure::Count(12), Figure::Count(24)]);
        assert!(shown.sentences[0].contains("24 in 2023, against 12 in 2022, a 100.0% increase (12 more)"));
        let with_part_year = term_figures(deaths, &definitions.returns, &values, 2023, 2024).unwrap();
        assert_eq!(
            with_part_year.rows[0].1,
            vec![Figure::Count(24), Figure::NotSupplied],
            "2024 is January – July only"
        );
        assert!(with_part_year.sentences.is_empty(), "a year not supplied is not compared");

        // Calls: a year's handling is computed from its calls, not averaged from months.
        let calls = plan
            .returns_tables
            .iter()
            .find(|table| matches!(&table.content, TableContent::Calls { channel, .. } if channel == "999"))
            .unwrap();
        let TableContent::Calls { channel, rows } = &calls.content else { unreachable!() };
        for (year, received, answered, seconds) in [(2022, 100, 98, 98 * 5), (2023, 120, 119, 119 * 7)] {
            for m in 1..=12 {
                let month = YearMonth::new(year, m).unwrap();
                let mut calls = CallMonth { received, answered, answered_under_10s: answered, answer_seconds: seconds };
                if m == 12 {
                    // December: one long wait changes the year's average.
                    calls.answer_seconds += 12 * 60;
                    calls.answered_under_10s -= 1;
                }
                values.calls.insert((channel.clone(), month), calls);
            }
        }
        let shown = term_figures(calls, &definitions.returns, &values, 2022, 2023).unwrap();
        let row = |title: &str| &shown.rows[rows.iter().position(|row| row.title() == title).unwrap()].1;
        assert_eq!(row(CallRow::Received.title()), &vec![Figure::Count(1200), Figure::Count(1440)]);
        assert_eq!(row(CallRow::NotAnswered.title()), &vec![Figure::Count(24), Figure::Count(12)]);
        assert_eq!(row(CallRow::PctNotAnswered.title()), &vec![Figure::Percent2(200), Figure::Percent2(83)]);
        // 2022: (1176 × 5 + 720) ÷ 1176 = 5.61 → 6 s.
        assert_eq!(row(CallRow::AverageSeconds.title())[0], Figure::Seconds(6));
        assert_eq!(
            shown.sentences,
            vec![
                format!(
                    "{} calls received rose 20.0%, from 1,200 in 2022 to 1,440 in 2023.",
                    definitions.returns.channel(channel).unwrap().title
                ),
                format!(
                    "The percentage of {} calls not answered fell 1.17 percentage points, from 2.00% in 2022 to 0.83% in 2023.",
                    definitions.returns.channel(channel).unwrap().title
                ),
            ]
        );
        assert!(term_figures(calls, &definitions.returns, &values, 2023, 2022).is_err());
    }
}
