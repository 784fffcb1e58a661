//! The survey commands: `survey report` (read a definition, a respondent
//! export and victim satisfaction returns; print every figure) and the
//! survey-2019 profile of `generate`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use std::io::Write as _;

use anyhow::{Context as _, Result, bail};
use chrono::Datelike;

use scrutiny_core::YearMonth;
use scrutiny_core::survey::definition::{PostcodeAreas, Survey};
use scrutiny_core::survey::victim::{self, PartlyRule, VictimSatisfaction};
use scrutiny_ingest::survey::{read_responses, read_victim_returns};
use scrutiny_report::survey::{SurveyDocument, csv, html, json, markdown, text};

use crate::args::{SurveyFormat, SurveyReportArgs};

/// A survey analysed: the report, victim satisfaction if given, and every
/// answer or row that could not be read.
pub struct Analysed {
    pub report: scrutiny_core::survey::SurveyReport,
    pub victims: Option<scrutiny_core::survey::VictimSatisfactionReport>,
    pub diagnostics: Vec<String>,
}

/// Reads a survey definition, its responses (and last year's), and victim
/// satisfaction returns, and analyses them.
pub fn analyse(
    survey_path: &Path,
    responses_path: &Path,
    previous_path: Option<&Path>,
    victims_path: Option<&Path>,
    to: Option<YearMonth>,
    partly: Option<PartlyRule>,
) -> Result<Analysed> {
    let areas = PostcodeAreas::builtin();
    let definition_text = std::fs::read_to_string(survey_path)
        .with_context(|| format!("while reading the survey definition {}", survey_path.display()))?;
    let survey = Survey::parse(&definition_text, &areas)
        .with_context(|| format!("in the survey definition {}", survey_path.display()))?;
    let responses = read_responses(responses_path, &survey, &areas)
        .with_context(|| format!("while reading the responses {}", responses_path.display()))?;
    let mut diagnostics: Vec<String> = responses.diagnostics.iter().map(ToString::to_string).collect();
    let previous = match previous_path {
        Some(path) => {
            let previous = read_responses(path, &survey, &areas)
                .with_context(|| format!("while reading last year's responses {}", path.display()))?;
            diagnostics.extend(previous.diagnostics.iter().map(ToString::to_string));
            Some(previous)
        }
        None => None,
    };
    let report = scrutiny_core::survey::analyse(
        &survey,
        &responses.respondents,
        previous.as_ref().map(|previous| previous.respondents.as_slice()),
    )
    .with_context(|| format!("while analysing {}", responses_path.display()))?;
    let victim_definition = VictimSatisfaction::builtin();
    let victims = match victims_path {
        Some(path) => {
            let returns = read_victim_returns(path, &victim_definition)
                .with_context(|| format!("while reading the victim satisfaction returns {}", path.display()))?;
            diagnostics.extend(returns.diagnostics.iter().map(ToString::to_string));
            let partly = partly.unwrap_or(victim_definition.partly);
            Some(victim::analyse(&victim_definition, &returns.responses, to, partly, survey.confidence))
        }
        None => None,
    };
    Ok(Analysed { report, victims, diagnostics })
}

pub fn report(args: &SurveyReportArgs) -> Result<ExitCode> {
    let to = args.to.as_deref().map(|text| text.parse::<YearMonth>().with_context(|| "--to")).transpose()?;
    let partly =
        args.partly.as_deref().map(|text| text.parse::<PartlyRule>().with_context(|| "--partly")).transpose()?;
    let Analysed { report: analysis, victims, diagnostics } = analyse(
        &args.survey,
        &args.responses,
        args.previous.as_deref(),
        args.victim_satisfaction.as_deref(),
        to,
        partly,
    )?;
    for diagnostic in diagnostics.iter().take(20) {
        eprintln!("{diagnostic}");
    }
    if diagnostics.len() > 20 {
        eprintln!("… and {} more (all are listed in the report)", diagnostics.len() - 20);
    }
    if args.strict && !diagnostics.is_empty() {
        eprintln!("error: {} answers or rows could not be read (--strict)", diagnostics.len());
        return Ok(ExitCode::FAILURE);
    }
    let document = SurveyDocument { report: &analysis, victims: victims.as_ref(), diagnostics: &diagnostics };
    let bytes = match args.format {
        SurveyFormat::Text => text(&document).into_bytes(),
        SurveyFormat::Json => format!("{}\n", json(&document)).into_bytes(),
        SurveyFormat::Md => markdown(&document).into_bytes(),
        SurveyFormat::Html => html(&document).into_bytes(),
        SurveyFormat::Csv => csv(&document).into_bytes(),
        SurveyFormat::Pdf => {
            if args.out.is_none() {
                bail!("--format pdf writes a file: give --out FILE");
            }
            let today = chrono::Local::now().date_naive();
            scrutiny_pdf::survey(&document, (today.year(), today.month() as u8, today.day() as u8))?
        }
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("while writing {}", path.display()))?;
            println!("wrote {}", path.display());
        }
        None => std::io::stdout().write_all(&bytes).context("while writing the report")?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn generate(out: &Path, seed: Option<u64>) -> Result<ExitCode> {
    let started = Instant::now();
    let summary = scrutiny_synth::survey::generate(out, seed)
        .with_context(|| format!("while generating profile survey-2019 into {}", out.display()))?;
    println!(
        "profile survey-2019: {} respondents, {} victim satisfaction responses",
        summary.respondents, summary.victim_responses
    );
    for file in &summary.files {
        println!("  {} ({} rows)", file.path.display(), file.rows);
    }
    println!("written to {} in {:.1} s", out.display(), started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}
