//! The survey section of the quarterly paper: the Annual Policing Survey's
//! scale questions and the victim satisfaction surveys' latest period against
//! the same period a year earlier, from the same analysis as the survey
//! report (`scrutiny survey report`), laid out as the paper's tables.

use scrutiny_core::narrative::thousands;
use scrutiny_core::survey::analysis::SurveyReport;
use scrutiny_core::survey::definition::QuestionKind;
use scrutiny_core::survey::victim::{StageFigure, VictimSatisfactionReport};

use super::{ReturnsItem, Section, Table};

/// The section's title.
pub const TITLE: &str = "Public confidence and victim satisfaction";

/// A share to one decimal place, in tenths of a percent, as printed.
fn tenths(percent: f64) -> i64 {
    (percent * 10.0).round() as i64
}

fn percent_text(tenths: i64) -> String {
    format!("{}.{}%", tenths / 10, tenths.abs() % 10)
}

/// "Financial year to December 2020" as a column heading.
fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map_or_else(String::new, |first| first.to_uppercase().chain(characters).collect())
}

fn satisfied_text(stage: &StageFigure) -> String {
    format!("{} out of {}", thousands(stage.satisfied), thousands(stage.total))
}

/// The change between two printed shares, in percentage points, as a cell.
fn points_cell(current: i64, previous: i64) -> String {
    let change = current - previous;
    let sign = if change > 0 {
        "+"
    } else if change < 0 {
        "-"
    } else {
        ""
    };
    format!("{sign}{}.{} pp", change.abs() / 10, change.abs() % 10)
}

/// The sentence of one stage: "Treated fairly: 87.7% satisfied (186 out of
/// 212) in the financial year to December 2020, 4.9 percentage points lower
/// than in the financial year to December 2019 (92.6%, 126 out of 136)."
fn stage_sentence(stage: &StageFigure, period: &str, previous: Option<(&StageFigure, &str)>) -> Option<String> {
    let current = tenths(stage.percent?);
    let head =
        format!("{}: {} satisfied ({}) in the {period}", stage.label, percent_text(current), satisfied_text(stage));
    let Some((last, last_period)) = previous else {
        return Some(format!("{head}."));
    };
    let Some(last_percent) = last.percent else {
        return Some(format!("{head}."));
    };
    let before = tenths(last_percent);
    let change = current - before;
    let against = format!("the {last_period} ({}, {})", percent_text(before), satisfied_text(last));
    Some(match change.signum() {
        0 => format!("{head}, the same share as in {against}."),
        sign => {
            let points = if change.abs() == 10 { "percentage point" } else { "percentage points" };
            let direction = if sign > 0 { "higher" } else { "lower" };
            format!("{head}, {}.{} {points} {direction} than in {against}.", change.abs() / 10, change.abs() % 10)
        }
    })
}

/// The section numbered `number`: a table of the survey's scale questions
/// (mean score with its 95% interval) and, per victim satisfaction survey,
/// its stages in the latest period against the same period a year earlier.
pub fn section(number: usize, report: &SurveyReport, victims: Option<&VictimSatisfactionReport>) -> Section {
    let mut returns = Vec::new();
    let scales: Vec<_> = report
        .questions
        .iter()
        .filter(|question| question.kind == QuestionKind::Scale)
        .filter_map(|question| question.mean.as_ref().map(|mean| (question, mean)))
        .collect();
    if !scales.is_empty() {
        let rows = scales
            .iter()
            .map(|(question, mean)| {
                let interval = match (mean.ci_low, mean.ci_high) {
                    (Some(low), Some(high)) => format!("{low:.2} to {high:.2}"),
                    _ => "n/a".to_string(),
                };
                vec![question.text.clone(), thousands(question.answered), format!("{:.2}", mean.mean), interval]
            })
            .collect();
        let mut sentences: Vec<String> = scales
            .iter()
            .map(|(question, mean)| {
                format!(
                    "Asked \"{}\", the {} respondents who answered gave a mean score of {:.2}.",
                    question.text.trim_end_matches('?'),
                    thousands(question.answered),
                    mean.mean
                )
            })
            .collect();
        if let Some(margin) = &report.margin_of_error {
            sentences.push(margin.statement.clone());
        }
        let title = format!("{}: scale questions", report.survey.title);
        returns.push(ReturnsItem {
            number: format!("{number}.{}", returns.len() + 1),
            id: format!("survey-{}", report.survey.id),
            title: title.clone(),
            table: Table {
                caption: format!("{title} ({} responses)", thousands(report.responses)),
                header: vec!["Question".into(), "Answered".into(), "Mean score".into(), "95% interval".into()],
                rows,
            },
            sentences,
            notes: report.counting_rules.clone(),
            total_row: false,
        });
    }
    if let Some(victims) = victims {
        for survey in &victims.surveys {
            let Some(latest) = survey.periods.first() else { continue };
            let previous = survey.periods.get(1);
            let mut header = vec!["Stage".to_string(), capitalised(&latest.label), "Satisfied".to_string()];
            if let Some(previous) = previous {
                header.extend([capitalised(&previous.label), "Satisfied".to_string(), "Change".to_string()]);
            }
            let mut rows = Vec::new();
            let mut sentences = Vec::new();
            for stage in &latest.stages {
                let last = previous.and_then(|previous| previous.stages.iter().find(|last| last.id == stage.id));
                let shown = |stage: Option<&StageFigure>| {
                    stage
                        .and_then(|stage| stage.percent)
                        .map_or("not supplied".to_string(), |p| percent_text(tenths(p)))
                };
                let mut row = vec![stage.label.clone(), shown(Some(stage)), satisfied_text(stage)];
                if previous.is_some() {
                    row.push(shown(last));
                    row.push(last.map_or("not supplied".to_string(), satisfied_text));
                    row.push(match (stage.percent, last.and_then(|last| last.percent)) {
                        (Some(now), Some(before)) => points_cell(tenths(now), tenths(before)),
                        _ => "not supplied".to_string(),
                    });
                }
                rows.push(row);
                sentences.extend(stage_sentence(
                    stage,
                    &latest.label,
                    last.zip(previous).map(|(last, previous)| (last, previous.label.as_str())),
                ));
            }
            let title = format!("{} victim satisfaction", survey.label);
            returns.push(ReturnsItem {
                number: format!("{number}.{}", returns.len() + 1),
                id: format!("victim-satisfaction-{}", survey.id),
                title: title.clone(),
                table: Table { caption: title, header, rows },
                sentences,
                notes: vec![format!(
                    "{} Changes are in percentage points (pp), between the shares as printed.",
                    victims.counting_rule
                )],
                total_row: false,
            });
        }
    }
    Section { number, title: TITLE.to_string(), items: Vec::new(), returns }
}
