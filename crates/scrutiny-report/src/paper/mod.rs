//! The quarterly Delivery & Performance paper as a document: a section per
//! plan priority, and for each measure its table in the paper's form, a
//! chart of 25 months against the same months a year earlier, and sentences
//! written from the same figures. The end-of-term report (`term`) is the same
//! document with calendar-year tables and charts. Renderers turn either into
//! Markdown, HTML, CSV and XLSX (and scrutiny-pdf into PDF).

pub mod chart;
pub mod html;
pub mod markdown;
pub mod public;
pub mod survey;
pub mod tables;
pub mod term;

use scrutiny_core::change::{PercentChange, Tenths};
use scrutiny_core::definitions::ReturnDefinitions;
use scrutiny_core::definitions::{Measure, MeasureKind, Plan};
use scrutiny_core::measure::CountSource;
use scrutiny_core::narrative::{self, thousands};
use scrutiny_core::report::{Context, CountRow, MeasureTable, RateRow, TableRow};
use scrutiny_core::returns::{self, ReturnValues};
use scrutiny_core::term::TermTable;
use scrutiny_core::{Error, Period, PeriodKind, YearMonth};

/// How many months a chart shows.
pub const CHART_MONTHS: i32 = 25;

/// A table as printed: a caption, column headings and rows of text cells.
/// The first column holds row headings; the others are figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// How a chart draws its figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartStyle {
    /// Monthly lines: this period against the same months a year earlier.
    MonthlyLines,
    /// A bar per calendar year (`months` holds each year's January, `last_year` is empty).
    YearlyBars,
}

/// A line chart of monthly figures against the same months a year earlier,
/// or a bar chart of calendar years.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub style: ChartStyle,
    pub title: String,
    pub y_label: String,
    pub months: Vec<YearMonth>,
    pub current: Vec<Option<f64>>,
    pub last_year: Vec<Option<f64>>,
    /// A sentence describing the chart for people who cannot see it.
    pub alt: String,
}

/// One measure in the paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// "3.6"
    pub number: String,
    pub measure_id: String,
    pub title: String,
    pub table: Table,
    pub chart: Chart,
    pub sentences: Vec<String>,
    /// Definitions printed under the table (rate basis, outcome set).
    pub notes: Vec<String>,
    /// The figures, for CSV/XLSX and checks.
    pub figures: Figures,
}

/// The figures behind an item's table.
#[derive(Debug, Clone, PartialEq)]
pub enum Figures {
    /// A quarterly table: months against the same months last year.
    Quarter(MeasureTable),
    /// An end-of-term table: calendar years.
    Term(TermTable),
}

/// Which paper a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperKind {
    Quarterly,
    Term,
}

/// A table of the force's returns (figures not in crime records).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnsItem {
    /// "6.2", numbered after the priority's measures.
    pub number: String,
    pub id: String,
    pub title: String,
    pub table: Table,
    pub sentences: Vec<String>,
    /// What each figure means, how it is computed and who returned it.
    pub notes: Vec<String>,
    /// Whether the table's last row is a total.
    pub total_row: bool,
}

/// One plan priority.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub number: usize,
    pub title: String,
    pub items: Vec<Item>,
    /// The priority's tables of returns, after its measures.
    pub returns: Vec<ReturnsItem>,
}

/// The whole paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Paper {
    pub kind: PaperKind,
    pub title: String,
    pub force: String,
    pub plan_id: String,
    pub plan_title: String,
    pub period: Period,
    /// "May – July 2024 compared with May – July 2023"
    pub comparison: String,
    pub introduction: Vec<String>,
    pub provenance: Vec<String>,
    pub sections: Vec<Section>,
}

impl Paper {
    /// What a section with no table says.
    pub fn empty_section_text(&self) -> &'static str {
        match self.kind {
            PaperKind::Quarterly => {
                "No measure of this priority is computed from crime records; its figures come from the force's returns."
            }
            PaperKind::Term => "The plan defines no measure or returns table for this priority.",
        }
    }
}

pub(crate) fn count_cell(value: Option<u64>) -> String {
    value.map(thousands).unwrap_or_else(|| "not supplied".to_string())
}

pub(crate) fn signed_cell(value: Option<i64>) -> String {
    match value {
        Some(value) if value < 0 => format!("-{}", thousands(value.unsigned_abs())),
        Some(value) => thousands(value as u64),
        None => "not supplied".to_string(),
    }
}

pub(crate) fn pct_cell(value: PercentChange) -> String {
    value.to_string()
}

pub(crate) fn rate_cell(value: Option<Tenths>) -> String {
    value.map(|value| format!("{value}%")).unwrap_or_else(|| "n/a".to_string())
}

pub(crate) fn points_cell(value: Option<Tenths>) -> String {
    match value {
        Some(value) if value.0 > 0 => format!("+{value}"),
        Some(value) => value.to_string(),
        None => "n/a".to_string(),
    }
}

fn row_label(label: &str, months: usize) -> String {
    match label.parse::<YearMonth>() {
        Ok(month) => month.long_name(),
        Err(_) => format!("{months} Month total"),
    }
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
}

/// The table of a count measure, in the paper's columns.
pub fn count_table(measure: &Measure, figures: &MeasureTable) -> Table {
    let rows: Vec<&CountRow> =
        figures.rows.iter().filter_map(|row| if let TableRow::Count(row) = row { Some(row) } else { None }).collect();
    let months = rows.len().saturating_sub(1);
    Table {
        caption: format!(
            "{}: {} each month and over the {months} months, against the same period last year",
            measure.title,
            measure.unit.to_lowercase()
        ),
        header: vec![
            String::new(),
            measure.unit.clone(),
            "Last year".into(),
            "% Change".into(),
            "Number change".into(),
        ],
        rows: rows
            .iter()
            .map(|row| {
                vec![
                    row_label(&row.label, months),
                    count_cell(row.current),
                    count_cell(row.last_year),
                    pct_cell(row.pct_change),
                    signed_cell(row.change),
                ]
            })
            .collect(),
    }
}

/// The table of a rate: numerator, denominator and rate this year and last,
/// and the change in percentage points.
pub fn rate_table(measure: &Measure, denominator: &Measure, figures: &MeasureTable) -> Table {
    let rows: Vec<&RateRow> =
        figures.rows.iter().filter_map(|row| if let TableRow::Rate(row) = row { Some(row) } else { None }).collect();
    let months = rows.len().saturating_sub(1);
    let numerator = capitalise(&measure.noun);
    let denominator_unit = denominator.unit.clone();
    Table {
        caption: format!(
            "{}: {} of {} each month and over the {months} months, against the same period last year",
            measure.title,
            measure.noun,
            denominator_unit.to_lowercase()
        ),
        header: vec![
            String::new(),
            numerator.clone(),
            denominator_unit.clone(),
            "Rate".into(),
            format!("Last year: {}", numerator.to_lowercase()),
            format!("Last year: {}", denominator_unit.to_lowercase()),
            "Last year: rate".into(),
            "Change (percentage points)".into(),
        ],
        rows: rows
            .iter()
            .map(|row| {
                vec![
                    row_label(&row.label, months),
                    count_cell(row.numerator),
                    count_cell(row.denominator),
                    rate_cell(row.current_pct),
                    count_cell(row.last_year_numerator),
                    count_cell(row.last_year_denominator),
                    rate_cell(row.last_year_pct),
                    points_cell(row.change_pp),
                ]
            })
            .collect(),
    }
}

pub(crate) fn percent(pair: (Option<u64>, Option<u64>)) -> Option<f64> {
    match pair {
        (Some(numerator), Some(denominator)) if denominator > 0 => Some(numerator as f64 * 100.0 / denominator as f64),
        _ => None,
    }
}

/// The months a paper needs counts for: charts reach back 25 months, and
/// compare with the year before that.
pub fn months_needed(to: YearMonth) -> Period {
    Period { from: to.minus(CHART_MONTHS - 1 + 12), to }
}

/// The months a paper needs returns for: a year before the longest table period.
pub fn return_months_needed(to: YearMonth) -> Period {
    Period { from: to.minus(23), to }
}

/// The table of a plan's returns table, as printed.
pub fn returns_item(number: String, figures: returns::ReturnsFigures) -> ReturnsItem {
    let mut header = figures.header;
    let caption = match header.len() {
        0 | 1 => figures.title.clone(),
        _ => format!("{}: {}", figures.title, figures.period.describe()),
    };
    if let Some(first) = header.first_mut() {
        first.clone_from(&figures.title);
    }
    ReturnsItem {
        number,
        id: figures.id,
        title: figures.title,
        table: Table {
            caption,
            header,
            rows: figures
                .rows
                .into_iter()
                .map(|(label, cells)| std::iter::once(label).chain(cells.iter().map(ToString::to_string)).collect())
                .collect(),
        },
        sentences: figures.sentences,
        notes: figures.notes,
        total_row: figures.total_row,
    }
}

/// Builds the quarterly paper of `plan` for the three months ending `to`.
/// `source` must hold the months of [`months_needed`], `returns` those of
/// [`return_months_needed`].
pub fn quarterly(
    context: &Context<'_>,
    source: &dyn CountSource,
    returns_definitions: &ReturnDefinitions,
    returns: &ReturnValues,
    force: &str,
    to: YearMonth,
    provenance: Vec<String>,
) -> Result<Paper, Error> {
    let plan: &Plan = context.plan;
    let period = PeriodKind::Quarter.ending(to);
    let chart_period = Period { from: to.minus(CHART_MONTHS - 1), to };
    let mut sections = Vec::new();
    for (index, priority) in plan.priorities.iter().enumerate() {
        let number = index + 1;
        let mut items = Vec::new();
        for measure in plan.measures.iter().filter(|measure| measure.priority == priority.id) {
            let figures = context.table(measure, source, period)?;
            let (table, notes, y_label, values): (
                Table,
                Vec<String>,
                String,
                fn((Option<u64>, Option<u64>)) -> Option<f64>,
            ) = match &measure.kind {
                MeasureKind::Count(_) => (count_table(measure, &figures), Vec::new(), measure.unit.clone(), |pair| {
                    pair.0.map(|count| count as f64)
                }),
                MeasureKind::Rate { denominator, .. } => {
                    let denominator = plan.measure(denominator)?;
                    let basis = figures.rate_basis.as_ref().expect("a rate has a basis");
                    let notes = vec![format!(
                        "Rate = {} ÷ {}; {}. Changes in the rate are in percentage points.",
                        basis.outcomes,
                        basis.denominator.to_lowercase(),
                        basis.basis
                    )];
                    (rate_table(measure, denominator, &figures), notes, "Rate (%)".to_string(), percent)
                }
            };
            let current = context.monthly(measure, source, chart_period)?;
            let last_year = context.monthly(measure, source, chart_period.same_period_last_year())?;
            let chart = Chart {
                style: ChartStyle::MonthlyLines,
                title: format!(
                    "{}: {} to {}",
                    measure.title,
                    chart_period.from.long_name(),
                    chart_period.to.long_name()
                ),
                y_label,
                months: chart_period.months().collect(),
                current: current.into_iter().map(values).collect(),
                last_year: last_year.into_iter().map(values).collect(),
                alt: String::new(),
            };
            let chart = Chart { alt: chart::describe(&chart), ..chart };
            items.push(Item {
                number: format!("{number}.{}", items.len() + 1),
                measure_id: measure.id.clone(),
                title: measure.title.clone(),
                table,
                chart,
                sentences: narrative::sentences(measure, &figures),
                notes,
                figures: Figures::Quarter(figures),
            });
        }
        let mut returns_items = Vec::new();
        for table in plan.returns_tables.iter().filter(|table| table.priority == priority.id) {
            let figures = returns::figures(table, returns_definitions, returns, to)?;
            returns_items.push(returns_item(format!("{number}.{}", items.len() + returns_items.len() + 1), figures));
        }
        sections.push(Section { number, title: priority.title.clone(), items, returns: returns_items });
    }
    let comparison = format!("{} compared with {}", period.describe(), period.same_period_last_year().describe());
    Ok(Paper {
        kind: PaperKind::Quarterly,
        title: format!("{} – Delivery & Performance", plan.title),
        force: force.to_string(),
        plan_id: plan.id.clone(),
        plan_title: plan.title.clone(),
        period,
        introduction: vec![format!(
            "This paper reports {force}'s performance against the {} priorities of the {}, for {}. Every figure is computed by Scrutiny from the force's records under the published definitions of plan {} (version {}); percentage changes are to one decimal place, and changes in rates are in percentage points.",
            narrative_count(plan.priorities.len()),
            plan.title,
            comparison,
            plan.id,
            plan.version
        )],
        comparison,
        provenance,
        sections,
    })
}

pub(crate) fn narrative_count(count: usize) -> String {
    const WORDS: [&str; 11] = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    WORDS.get(count).map_or_else(|| count.to_string(), |word| word.to_string())
}

/// A file-name-safe slug.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for character in text.chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_string()
}
