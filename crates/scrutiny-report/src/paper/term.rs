//! The end-of-term report as a document, in the same model as the quarterly
//! paper: a section per plan priority; per measure the calendar-year table of
//! the end-of-term seed paper ("January – December | Recorded Crime | %
//! Change | Number change", each year against the one before, then the
//! "N-year difference" row), a bar chart of the years and the sentences of
//! `scrutiny_core::narrative` written from the same table.

use scrutiny_core::change::PercentChange;
use scrutiny_core::definitions::{Measure, MeasureKind, Plan, ReturnDefinitions};
use scrutiny_core::measure::CountSource;
use scrutiny_core::narrative::{self, thousands};
use scrutiny_core::report::Context;
use scrutiny_core::returns::ReturnValues;
use scrutiny_core::term::{TermTable, YearCoverage};
use scrutiny_core::{Error, Period, YearMonth};

use super::{
    Chart, ChartStyle, Figures, Item, Paper, PaperKind, Section, Table, capitalise, chart, count_cell, narrative_count,
    pct_cell, points_cell, rate_cell, signed_cell,
};

/// The first column's heading, as the seed paper has it.
pub const YEAR_HEADING: &str = "January – December";

/// A year's figure cell: the count, or "not supplied (January – July only)".
fn year_cell(value: Option<u64>, coverage: &YearCoverage) -> String {
    match value {
        Some(value) => thousands(value),
        None if coverage.is_whole() || coverage.supplied.is_empty() => "not supplied".to_string(),
        None => format!("not supplied ({})", coverage.describe()),
    }
}

/// The calendar-year table of a count measure.
pub fn term_count_table(measure: &Measure, figures: &TermTable) -> Table {
    let difference = &figures.difference;
    let mut rows: Vec<Vec<String>> = figures
        .count_rows()
        .iter()
        .map(|row| {
            vec![
                row.year.to_string(),
                year_cell(row.value, &row.coverage),
                pct_cell(row.pct_change),
                signed_cell(row.change),
            ]
        })
        .collect();
    rows.push(vec![
        difference.label.clone(),
        String::new(),
        pct_cell(difference.pct_change.unwrap_or(PercentChange::NotSupplied)),
        signed_cell(difference.change),
    ]);
    Table {
        caption: format!(
            "{}: {} each calendar year, {} to {}, with the change on the year before and the {} ({} against {})",
            measure.title,
            measure.unit.to_lowercase(),
            difference.first_year,
            difference.last_year,
            difference.label,
            difference.last_year,
            difference.first_year
        ),
        header: vec![YEAR_HEADING.into(), measure.unit.clone(), "% Change".into(), "Number change".into()],
        rows,
    }
}

/// The calendar-year table of a rate: numerator, denominator, rate, and the
/// change on the year before in percentage points.
pub fn term_rate_table(measure: &Measure, denominator: &Measure, figures: &TermTable) -> Table {
    let difference = &figures.difference;
    let mut rows: Vec<Vec<String>> = figures
        .rate_rows()
        .iter()
        .map(|row| {
            let not_whole = |value: Option<u64>| {
                if row.coverage.is_whole() { count_cell(value) } else { year_cell(None, &row.coverage) }
            };
            vec![
                row.year.to_string(),
                not_whole(row.numerator),
                not_whole(row.denominator),
                if row.coverage.is_whole() { rate_cell(row.rate_pct) } else { "not supplied".to_string() },
                if row.coverage.is_whole() && row.previous_supplied {
                    points_cell(row.change_pp)
                } else {
                    "not supplied".to_string()
                },
            ]
        })
        .collect();
    rows.push(vec![
        difference.label.clone(),
        String::new(),
        String::new(),
        String::new(),
        points_cell(difference.change_pp),
    ]);
    Table {
        caption: format!(
            "{}: {} of {} each calendar year, {} to {}, with the change on the year before and the {} ({} against {}) in percentage points",
            measure.title,
            measure.noun,
            denominator.unit.to_lowercase(),
            difference.first_year,
            difference.last_year,
            difference.label,
            difference.last_year,
            difference.first_year
        ),
        header: vec![
            YEAR_HEADING.into(),
            capitalise(&measure.noun),
            denominator.unit.clone(),
            "Rate".into(),
            "Change on the year before (percentage points)".into(),
        ],
        rows,
    }
}

/// The bar chart of a measure's years; years not supplied are left empty.
fn term_chart(measure: &Measure, figures: &TermTable) -> Result<Chart, Error> {
    let (values, y_label): (Vec<Option<f64>>, String) = match &measure.kind {
        MeasureKind::Count(_) => {
            (figures.count_rows().iter().map(|row| row.value.map(|value| value as f64)).collect(), measure.unit.clone())
        }
        MeasureKind::Rate { .. } => (
            figures.rate_rows().iter().map(|row| row.rate_pct.map(|pct| pct.as_f64())).collect(),
            "Rate (%)".to_string(),
        ),
    };
    let months = figures.rows.iter().map(|row| YearMonth::new(row.year(), 1)).collect::<Result<Vec<_>, _>>()?;
    let chart = Chart {
        style: ChartStyle::YearlyBars,
        title: format!(
            "{}: calendar years {} to {}",
            measure.title, figures.difference.first_year, figures.difference.last_year
        ),
        y_label,
        months,
        current: values,
        last_year: Vec::new(),
        alt: String::new(),
    };
    Ok(Chart { alt: chart::describe(&chart), ..chart })
}

/// Builds the end-of-term report of `plan` for calendar years `from` to
/// `to`. `source` must hold [`scrutiny_core::term::months_needed`].
pub fn term(
    context: &Context<'_>,
    source: &dyn CountSource,
    returns: (&ReturnDefinitions, &ReturnValues),
    force: &str,
    from: i32,
    to: i32,
    provenance: Vec<String>,
) -> Result<Paper, Error> {
    let plan: &Plan = context.plan;
    let report = context.term(source, force, from, to)?;
    let mut sections = Vec::new();
    for (index, priority) in plan.priorities.iter().enumerate() {
        let number = index + 1;
        let mut items = Vec::new();
        for measure in plan.measures.iter().filter(|measure| measure.priority == priority.id) {
            let figures =
                report.measures.iter().find(|table| table.id == measure.id).cloned().expect("a table per measure");
            let mut notes = narrative::term_notes(&figures);
            let table = match &measure.kind {
                MeasureKind::Count(_) => term_count_table(measure, &figures),
                MeasureKind::Rate { denominator, .. } => {
                    let denominator = plan.measure(denominator)?;
                    let basis = figures.rate_basis.as_ref().expect("a rate has a basis");
                    notes.insert(
                        0,
                        format!(
                            "Rate = {} ÷ {}; {}, over each calendar year. Changes in the rate are in percentage points.",
                            basis.outcomes,
                            basis.denominator.to_lowercase(),
                            basis.basis
                        ),
                    );
                    term_rate_table(measure, denominator, &figures)
                }
            };
            items.push(Item {
                number: format!("{number}.{}", items.len() + 1),
                measure_id: measure.id.clone(),
                title: measure.title.clone(),
                table,
                chart: term_chart(measure, &figures)?,
                sentences: narrative::term_sentences(measure, &figures),
                notes,
                figures: Figures::Term(figures),
            });
        }
        let mut returns_items = Vec::new();
        for table in plan.returns_tables.iter().filter(|table| table.priority == priority.id) {
            let figures = scrutiny_core::returns::term_figures(table, returns.0, returns.1, from, to)?;
            returns_items
                .push(super::returns_item(format!("{number}.{}", items.len() + returns_items.len() + 1), figures));
        }
        sections.push(Section { number, title: priority.title.clone(), items, returns: returns_items });
    }
    let period = Period::new(YearMonth::new(from, 1)?, YearMonth::new(to, 12)?)?;
    let comparison = format!("calendar years {from} to {to}, each against the year before");
    Ok(Paper {
        kind: PaperKind::Term,
        title: format!("{} – End of Term Report", plan.title),
        force: force.to_string(),
        plan_id: plan.id.clone(),
        plan_title: plan.title.clone(),
        period,
        introduction: vec![
            format!(
                "This report sets out {force}'s performance against the {} priorities of the {} over the term, calendar years {from} to {to} (January – December). For each measure it gives every year's figure, the change on the year before, and the {} from {from} to {to}. Every figure is computed by Scrutiny from the force's records under the published definitions of plan {} (version {}); percentage changes are to one decimal place, and changes in rates are in percentage points.",
                narrative_count(plan.priorities.len()),
                plan.title,
                scrutiny_core::term::difference_label(to - from + 1),
                plan.id,
                plan.version
            ),
            "A year is counted only when all twelve of its months are supplied; a year with months missing is shown as not supplied, with the months it holds, and is never compared with a whole year.".to_string(),
        ],
        comparison,
        provenance,
        sections,
    })
}
