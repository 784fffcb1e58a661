//! The survey report laid out as the PCC's Annual Policing Survey summary
//! lays it out — per question "Response Percent / Response Total /
//! answered", means by subgroup, top choices per subgroup, sampled comments —
//! followed by victim satisfaction by survey, period and stage. Rendered as
//! text, Markdown, HTML (one self-contained file), CSV and JSON. Every figure
//! comes from `scrutiny_core::survey`; nothing is computed here but rounding.

use scrutiny_core::survey::analysis::{OptionFigure, QuestionReport, SurveyReport};
use scrutiny_core::survey::definition::QuestionKind;
use scrutiny_core::survey::victim::VictimSatisfactionReport;

use crate::paper::html::escape;

/// Everything one `survey report` run prints.
pub struct SurveyDocument<'a> {
    pub report: &'a SurveyReport,
    pub victims: Option<&'a VictimSatisfactionReport>,
    /// What the import could not read, one line each ("file:line: field: reason").
    pub diagnostics: &'a [String],
}

/// A piece of the laid-out report, which every format renders in order
/// (the PDF crate too, so every format says the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Level (1 the title) and text.
    Heading(u8, String),
    Paragraph(String),
    /// Items, and whether they are numbered.
    List(Vec<String>, bool),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

fn percent(value: Option<f64>, places: usize) -> String {
    value.map_or_else(|| "n/a".to_string(), |value| format!("{value:.places$}%"))
}

fn number(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn interval(low: Option<f64>, high: Option<f64>, suffix: &str) -> String {
    match (low, high) {
        (Some(low), Some(high)) => format!("{low:.2}{suffix} to {high:.2}{suffix}"),
        _ => "n/a".to_string(),
    }
}

fn option_table(options: &[OptionFigure], answered: u64) -> Block {
    let mut rows: Vec<Vec<String>> = options
        .iter()
        .map(|option| {
            vec![
                option.label.clone(),
                percent(option.percent, 2),
                number(option.count),
                interval(option.ci_low_percent, option.ci_high_percent, "%"),
            ]
        })
        .collect();
    rows.push(vec![String::new(), "answered".to_string(), number(answered), String::new()]);
    Block::Table {
        header: vec![String::new(), "Response Percent".into(), "Response Total".into(), "95% interval".into()],
        rows,
    }
}

fn question_blocks(question: &QuestionReport, blocks: &mut Vec<Block>) {
    blocks.push(Block::Heading(3, format!("{}) {}", question.id.to_uppercase(), question.text)));
    match question.kind {
        QuestionKind::Scale => {
            if let Some(mean) = &question.mean {
                blocks.push(Block::Paragraph(format!(
                    "The mean of all {} responses was a score of {:.2} (95% interval {}; standard deviation {:.2}).",
                    number(question.answered),
                    mean.mean,
                    interval(mean.ci_low, mean.ci_high, ""),
                    mean.sd
                )));
            } else {
                blocks.push(Block::Paragraph("No responses.".to_string()));
            }
            if let Some(weighted) = &question.weighted
                && let Some(mean) = weighted.mean
            {
                blocks.push(Block::Paragraph(format!(
                    "Weighted to the population by age and sex: {mean:.2} (over {} respondents; effective sample size {:.0}).",
                    number(weighted.respondents),
                    weighted.effective_sample_size
                )));
            }
            if let Some(change) = &question.mean_change {
                let significance = match &change.test {
                    Some(test) if test.significant => {
                        format!("a statistically significant change (Welch's t-test, p = {:.3})", test.p_value)
                    }
                    Some(test) => {
                        format!("not a statistically significant change (Welch's t-test, p = {:.3})", test.p_value)
                    }
                    None => "too few responses to test".to_string(),
                };
                blocks.push(Block::Paragraph(format!(
                    "Last year: {:.2} ({} responses); a difference of {:+.2}, {significance}.",
                    change.previous.mean,
                    number(change.previous.n),
                    change.difference
                )));
            }
            let rows: Vec<Vec<String>> = question
                .subgroups
                .iter()
                .map(|group| {
                    vec![
                        group.label.clone(),
                        number(group.answered),
                        group.mean.map_or("n/a".to_string(), |mean| format!("{:.2}", mean.mean)),
                        group.mean.map_or("n/a".to_string(), |mean| interval(mean.ci_low, mean.ci_high, "")),
                    ]
                })
                .collect();
            if !rows.is_empty() {
                blocks.push(Block::Table {
                    header: vec!["Sub-group".into(), "Responses".into(), "Mean score".into(), "95% interval".into()],
                    rows,
                });
            }
        }
        QuestionKind::Single | QuestionKind::Multi => {
            if question.kind == QuestionKind::Multi {
                blocks.push(Block::Paragraph(format!(
                    "{} people selected at least one option ({} selections).",
                    number(question.answered),
                    number(question.selections.unwrap_or(0))
                )));
            }
            if let Some(options) = &question.options {
                blocks.push(option_table(options, question.answered));
            }
            if let Some(changes) = &question.option_changes {
                let items = changes
                    .iter()
                    .map(|change| {
                        let now = question
                            .options
                            .as_ref()
                            .and_then(|options| options.iter().find(|option| option.code == change.code));
                        let shift = change.change.as_ref().map_or("n/a".to_string(), |shift| {
                            let test = shift.test.as_ref().map_or("not testable".to_string(), |test| {
                                format!(
                                    "{} (two-proportion z-test, p = {:.3})",
                                    if test.significant { "significant" } else { "not significant" },
                                    test.p_value
                                )
                            });
                            format!("{:+.1} percentage points, {test}", shift.percentage_points)
                        });
                        format!(
                            "{}: {} this year against {} last year: {shift}",
                            change.code,
                            percent(now.and_then(|option| option.percent), 1),
                            percent(change.previous_percent, 1)
                        )
                    })
                    .collect();
                blocks.push(Block::List(items, false));
            }
            if question.kind == QuestionKind::Single {
                let items: Vec<String> = question
                    .subgroups
                    .iter()
                    .map(|group| {
                        let options = group.options.as_deref().unwrap_or_default();
                        let first = options.first();
                        let counts: Vec<String> = options
                            .iter()
                            .map(|option| format!("{} {}", number(option.count), option.label.to_lowercase()))
                            .collect();
                        format!(
                            "{}: {} ({})",
                            group.label,
                            percent(first.and_then(|option| option.percent), 1),
                            counts.join("; ")
                        )
                    })
                    .collect();
                if !items.is_empty() {
                    blocks.push(Block::List(items, false));
                }
            } else {
                for group in &question.subgroups {
                    let Some(top) = &group.top else { continue };
                    blocks.push(Block::Paragraph(format!(
                        "Top choices among {} ({} answered):",
                        group.label.to_lowercase(),
                        number(group.answered)
                    )));
                    blocks.push(Block::List(
                        top.iter().map(|option| format!("{} ({})", option.label, percent(option.percent, 1))).collect(),
                        true,
                    ));
                }
            }
        }
        QuestionKind::FreeText => {
            blocks.push(Block::Paragraph(format!(
                "{} people answered. Sampled comments, personal details redacted:",
                number(question.answered)
            )));
            let comments = question.comments.as_deref().unwrap_or_default();
            if !comments.is_empty() {
                blocks.push(Block::Table {
                    header: vec!["Score".into(), "Comment".into()],
                    rows: comments
                        .iter()
                        .map(|comment| vec![comment.band.clone(), format!("\"{}\"", comment.text)])
                        .collect(),
                });
            }
        }
    }
}

/// The report laid out as blocks.
pub fn blocks(document: &SurveyDocument) -> Vec<Block> {
    let report = document.report;
    let mut blocks = vec![Block::Heading(1, report.survey.title.clone())];
    blocks.push(Block::Paragraph(format!(
        "{} responses (definition {} version {}).",
        number(report.responses),
        report.survey.id,
        report.survey.definition_version
    )));
    if let Some(margin) = &report.margin_of_error {
        blocks.push(Block::Paragraph(margin.statement.clone()));
    }
    if let Some(weighting) = &report.weighting {
        blocks.push(Block::Paragraph(format!(
            "Weighting: {} respondents who gave {} are raked to {}; Kish effective sample size {:.0} (design effect {:.2}).",
            number(weighting.respondents_weighted),
            weighting.dimensions.join(" and "),
            weighting.source,
            weighting.effective_sample_size,
            weighting.design_effect
        )));
    }
    blocks.push(Block::List(report.counting_rules.clone(), false));
    if !document.diagnostics.is_empty() {
        blocks.push(Block::Paragraph(format!(
            "{} answers or rows could not be read and are not counted:",
            number(document.diagnostics.len() as u64)
        )));
        blocks.push(Block::List(document.diagnostics.to_vec(), false));
    }
    blocks.push(Block::Heading(2, "Results".to_string()));
    for question in &report.questions {
        question_blocks(question, &mut blocks);
    }
    if let Some(victims) = document.victims {
        blocks.push(Block::Heading(2, "Victim satisfaction".to_string()));
        blocks.push(Block::Paragraph(format!("{} Periods are financial years to date.", victims.counting_rule)));
        if victims.outside_periods > 0 {
            blocks.push(Block::Paragraph(format!(
                "{} responses fall outside every period shown.",
                number(victims.outside_periods)
            )));
        }
        for survey in &victims.surveys {
            blocks.push(Block::Heading(3, format!("{} satisfaction", survey.label)));
            let mut rows = Vec::new();
            for period in &survey.periods {
                for stage in &period.stages {
                    rows.push(vec![
                        period.label.clone(),
                        stage.label.clone(),
                        percent(stage.percent, 1),
                        format!("{} out of {}", number(stage.satisfied), number(stage.total)),
                        number(stage.partly),
                        stage.change.as_ref().map_or("n/a".to_string(), |change| {
                            let test = change.test.as_ref().map_or(String::new(), |test| {
                                format!(" ({})", if test.significant { "significant" } else { "not significant" })
                            });
                            format!("{:+.1} percentage points{test}", change.percentage_points)
                        }),
                    ]);
                }
            }
            blocks.push(Block::Table {
                header: vec![
                    "Period".into(),
                    "Stage".into(),
                    "Satisfied".into(),
                    "Count".into(),
                    "Partly".into(),
                    "Change on same period last year".into(),
                ],
                rows,
            });
        }
    }
    blocks
}

/// The report in the document model the governance documents use, so that
/// its PDF is typeset by the same markup (`scrutiny_pdf::survey`): a table's
/// caption is the heading it stands under; numbered lists keep their numbers.
pub fn document(document: &SurveyDocument) -> crate::governance::Document {
    use crate::governance::Block as Out;
    let mut heading = document.report.survey.title.clone();
    let mut out = Vec::new();
    for block in blocks(document) {
        out.push(match block {
            Block::Heading(level, text) => {
                heading.clone_from(&text);
                Out::Heading(level, text)
            }
            Block::Paragraph(text) => Out::Paragraph(text),
            Block::List(items, ordered) => Out::Bullets(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(index, item)| (if ordered { format!("{}. {item}", index + 1) } else { item }, String::new()))
                    .collect(),
            ),
            Block::Table { header, rows } => Out::Table { caption: heading.clone(), header, rows },
        });
    }
    crate::governance::Document { title: document.report.survey.title.clone(), blocks: out }
}

fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The report as Markdown (pipe tables).
pub fn markdown(document: &SurveyDocument) -> String {
    let mut out = String::new();
    for block in blocks(document) {
        match block {
            Block::Heading(level, text) => out.push_str(&format!("{} {}\n\n", "#".repeat(level as usize), text)),
            Block::Paragraph(text) => out.push_str(&format!("{text}\n\n")),
            Block::List(items, ordered) => {
                for (index, item) in items.iter().enumerate() {
                    if ordered {
                        out.push_str(&format!("{}. {item}\n", index + 1));
                    } else {
                        out.push_str(&format!("- {item}\n"));
                    }
                }
                out.push('\n');
            }
            Block::Table { header, rows } => {
                out.push_str(&format!(
                    "| {} |\n",
                    header.iter().map(|cell| markdown_cell(cell)).collect::<Vec<_>>().join(" | ")
                ));
                out.push_str(&format!("|{}\n", " --- |".repeat(header.len())));
                for row in rows {
                    out.push_str(&format!(
                        "| {} |\n",
                        row.iter().map(|cell| markdown_cell(cell)).collect::<Vec<_>>().join(" | ")
                    ));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// The report as plain text with aligned tables.
pub fn text(document: &SurveyDocument) -> String {
    let mut out = String::new();
    for block in blocks(document) {
        match block {
            Block::Heading(level, text) => {
                let underline = if level == 1 { '=' } else { '-' };
                out.push_str(&format!("{text}\n{}\n\n", underline.to_string().repeat(text.chars().count().min(78))));
            }
            Block::Paragraph(text) => out.push_str(&format!("{text}\n\n")),
            Block::List(items, ordered) => {
                for (index, item) in items.iter().enumerate() {
                    if ordered {
                        out.push_str(&format!("  {}. {item}\n", index + 1));
                    } else {
                        out.push_str(&format!("  - {item}\n"));
                    }
                }
                out.push('\n');
            }
            Block::Table { header, rows } => {
                let mut widths: Vec<usize> = header.iter().map(|cell| cell.chars().count()).collect();
                for row in &rows {
                    for (width, cell) in widths.iter_mut().zip(row) {
                        *width = (*width).max(cell.chars().count());
                    }
                }
                let line = |cells: &[String]| {
                    let padded: Vec<String> = cells
                        .iter()
                        .zip(&widths)
                        .enumerate()
                        .map(
                            |(index, (cell, width))| {
                                if index == 0 { format!("{cell:<width$}") } else { format!("{cell:>width$}") }
                            },
                        )
                        .collect();
                    format!("{}\n", padded.join("  ").trim_end())
                };
                out.push_str(&line(&header));
                for row in &rows {
                    out.push_str(&line(row));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// The report as one self-contained HTML file.
pub fn html(document: &SurveyDocument) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&document.report.survey.title)));
    out.push_str("<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.25rem .5rem}td:not(:first-child){text-align:right}th{background:#eee}@media print{body{margin:0}}</style>\n</head>\n<body>\n");
    for block in blocks(document) {
        match block {
            Block::Heading(level, text) => out.push_str(&format!("<h{level}>{}</h{level}>\n", escape(&text))),
            Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>\n", escape(&text))),
            Block::List(items, ordered) => {
                let tag = if ordered { "ol" } else { "ul" };
                out.push_str(&format!("<{tag}>\n"));
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", escape(&item)));
                }
                out.push_str(&format!("</{tag}>\n"));
            }
            Block::Table { header, rows } => {
                out.push_str("<table>\n<thead><tr>");
                for cell in header {
                    out.push_str(&format!("<th scope=\"col\">{}</th>", escape(&cell)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        out.push_str(&format!("<td>{}</td>", escape(&cell)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Every figure as one CSV: section, question, subgroup, option, count,
/// answered, percent, mean and interval; unrounded.
pub fn csv(document: &SurveyDocument) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header =
        ["section", "question", "subgroup", "option", "count", "answered", "percent", "mean", "ci_low", "ci_high"];
    writer.write_record(header).expect("writing to memory");
    let cell = |value: Option<f64>| value.map_or(String::new(), |value| value.to_string());
    for question in &document.report.questions {
        let mut groups: Vec<(
            String,
            u64,
            Option<&scrutiny_core::survey::stats::MeanEstimate>,
            Option<&Vec<OptionFigure>>,
        )> = vec![("all".to_string(), question.answered, question.mean.as_ref(), question.options.as_ref())];
        for group in &question.subgroups {
            groups.push((group.id.clone(), group.answered, group.mean.as_ref(), group.options.as_ref()));
        }
        for (group, answered, mean, options) in groups {
            if let Some(mean) = mean {
                writer
                    .write_record([
                        "survey".to_string(),
                        question.id.clone(),
                        group.clone(),
                        String::new(),
                        String::new(),
                        answered.to_string(),
                        String::new(),
                        mean.mean.to_string(),
                        cell(mean.ci_low),
                        cell(mean.ci_high),
                    ])
                    .expect("writing to memory");
            }
            for option in options.into_iter().flatten() {
                writer
                    .write_record([
                        "survey".to_string(),
                        question.id.clone(),
                        group.clone(),
                        option.label.clone(),
                        option.count.to_string(),
                        answered.to_string(),
                        cell(option.percent),
                        String::new(),
                        cell(option.ci_low_percent),
                        cell(option.ci_high_percent),
                    ])
                    .expect("writing to memory");
            }
            if mean.is_none() && options.is_none() && group == "all" {
                writer
                    .write_record(["survey", &question.id, "all", "", "", &answered.to_string(), "", "", "", ""])
                    .expect("writing to memory");
            }
        }
    }
    if let Some(victims) = document.victims {
        for survey in &victims.surveys {
            for period in &survey.periods {
                for stage in &period.stages {
                    writer
                        .write_record([
                            "victim_satisfaction".to_string(),
                            survey.id.clone(),
                            period.label.clone(),
                            stage.id.clone(),
                            stage.satisfied.to_string(),
                            stage.total.to_string(),
                            cell(stage.percent),
                            String::new(),
                            cell(stage.ci_low_percent),
                            cell(stage.ci_high_percent),
                        ])
                        .expect("writing to memory");
                }
            }
        }
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

/// Every figure as JSON (docs/surveys.md): the survey report, then
/// `victim_satisfaction` and `diagnostics`.
pub fn json(document: &SurveyDocument) -> String {
    let mut value = serde_json::to_value(document.report).expect("reports serialise");
    if let serde_json::Value::Object(map) = &mut value {
        map.insert(
            "victim_satisfaction".to_string(),
            document
                .victims
                .map_or(serde_json::Value::Null, |victims| serde_json::to_value(victims).expect("reports serialise")),
        );
        map.insert("diagnostics".to_string(), serde_json::to_value(document.diagnostics).expect("strings serialise"));
    }
    serde_json::to_string_pretty(&value).expect("values serialise")
}
