//! Survey files: the respondent CSV a survey platform exports (one row per
//! respondent, columns named by the survey definition) and the force's
//! victim satisfaction returns (one row per victim and stage).
//!
//! A cell that cannot be read (an unknown answer code, a score out of range,
//! an age that is not a number, too many options chosen) becomes a
//! [`Diagnostic`] and that answer is counted as not given; a row that cannot
//! be read at all (wrong number of fields, no respondent id, a repeated id)
//! is rejected with a diagnostic. An unknown or missing column makes the
//! whole file an [`Error`]. Nothing is dropped without a diagnostic.

use std::collections::HashSet;
use std::path::Path;

use scrutiny_core::YearMonth;
use scrutiny_core::survey::definition::{PostcodeAreas, QuestionKind, Survey};
use scrutiny_core::survey::victim::{VictimResponse, VictimSatisfaction};
use scrutiny_core::survey::{Answer, Respondent};

use crate::reader::{csv_reader, map_header};
use crate::{Diagnostic, Error};

/// What a respondent file held.
#[derive(Debug, Clone)]
pub struct SurveyResponses {
    pub respondents: Vec<Respondent>,
    /// Rows read, header excluded.
    pub rows: u64,
    /// Rows rejected whole.
    pub rejected_rows: u64,
    pub diagnostics: Vec<Diagnostic>,
}

fn row_text(record: &csv::StringRecord) -> String {
    record.iter().collect::<Vec<_>>().join(",")
}

/// Reads a respondent export under `survey`.
pub fn read_responses(path: &Path, survey: &Survey, areas: &PostcodeAreas) -> Result<SurveyResponses, Error> {
    let mut reader = csv_reader(path)?;
    let header = reader.headers().map_err(|error| Error::format(path, Some(1), format!("header: {error}")))?.clone();
    let columns = survey.columns();
    let positions = map_header(path, &header, &columns, &[])?;
    let position =
        |column: &str| positions[columns.iter().position(|name| *name == column).expect("a column of the definition")];
    let width = header.len();
    let mut result = SurveyResponses { respondents: Vec::new(), rows: 0, rejected_rows: 0, diagnostics: Vec::new() };
    let mut seen = HashSet::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                result.rows += 1;
                result.rejected_rows += 1;
                let line = error.position().map_or(line, |position| position.line());
                result.diagnostics.push(Diagnostic {
                    file: path.to_path_buf(),
                    line,
                    field: String::new(),
                    reason: format!("the row could not be read ({error}); the row is not counted"),
                    row: String::new(),
                });
                if matches!(error.kind(), csv::ErrorKind::Io(_)) {
                    return Err(Error::io(path, error));
                }
                continue;
            }
        }
        result.rows += 1;
        let line = record.position().map_or(line, |position| position.line());
        let diagnostic = |field: &str, reason: String| Diagnostic {
            file: path.to_path_buf(),
            line,
            field: field.to_string(),
            reason,
            row: row_text(&record),
        };
        if record.len() != width {
            result.rejected_rows += 1;
            result.diagnostics.push(diagnostic(
                "",
                format!("the row has {} fields where the header has {width}; the row is not counted", record.len()),
            ));
            continue;
        }
        let cell = |column: &str| position(column).and_then(|index| record.get(index)).unwrap_or("").trim();
        let id = cell(&survey.respondent_column).to_string();
        if id.is_empty() {
            result.rejected_rows += 1;
            result
                .diagnostics
                .push(diagnostic(&survey.respondent_column, "no respondent id; the row is not counted".to_string()));
            continue;
        }
        if !seen.insert(id.clone()) {
            result.rejected_rows += 1;
            result.diagnostics.push(diagnostic(
                &survey.respondent_column,
                format!("respondent '{id}' appears twice; this row is not counted"),
            ));
            continue;
        }
        let mut problems = Vec::new();
        let mut answers = Vec::with_capacity(survey.questions.len());
        for question in &survey.questions {
            let answer = match question.kind {
                QuestionKind::Scale => {
                    let column = question.column.as_deref().expect("validated");
                    let text = cell(column);
                    let (min, max) = (question.min.expect("validated"), question.max.expect("validated"));
                    if text.is_empty() {
                        Answer::Missing
                    } else {
                        match text.parse::<u32>() {
                            Ok(score) if (min..=max).contains(&score) => Answer::Scale(score),
                            Ok(score) => {
                                problems.push((
                                    column.to_string(),
                                    format!("score {score} is out of range ({min} to {max}); not counted"),
                                ));
                                Answer::Missing
                            }
                            Err(_) => {
                                problems.push((
                                    column.to_string(),
                                    format!("'{text}' is not a whole-number score ({min} to {max}); not counted"),
                                ));
                                Answer::Missing
                            }
                        }
                    }
                }
                QuestionKind::Single => {
                    let column = question.column.as_deref().expect("validated");
                    let text = cell(column);
                    if text.is_empty() {
                        Answer::Missing
                    } else if let Some(option) = question.option_index(text) {
                        Answer::Choice(option)
                    } else {
                        let codes: Vec<&str> = question.options.iter().map(|option| option.code()).collect();
                        problems.push((
                            column.to_string(),
                            format!("unknown answer code '{text}' (expected {}); not counted", codes.join(", ")),
                        ));
                        Answer::Missing
                    }
                }
                QuestionKind::Multi => {
                    let mut chosen = Vec::new();
                    let mut bad = None;
                    if let Some(delimiter) = &question.delimiter {
                        let column = question.column.as_deref().expect("validated");
                        for part in
                            cell(column).split(delimiter.as_str()).map(str::trim).filter(|part| !part.is_empty())
                        {
                            match question.option_index(part) {
                                Some(option) if !chosen.contains(&option) => chosen.push(option),
                                Some(_) => {}
                                None => {
                                    bad = Some((
                                        column.to_string(),
                                        format!("unknown answer code '{part}'; the answer is not counted"),
                                    ))
                                }
                            }
                        }
                    } else {
                        for (index, option) in question.options.iter().enumerate() {
                            let column = option.column.as_deref().expect("validated");
                            let text = cell(column);
                            if text.is_empty() {
                                continue;
                            }
                            if text == "1"
                                || text.eq_ignore_ascii_case(option.code())
                                || text.eq_ignore_ascii_case(&option.label)
                            {
                                chosen.push(index);
                            } else {
                                bad = Some((
                                    column.to_string(),
                                    format!("'{text}' is neither the option's text nor 1; the answer is not counted"),
                                ));
                            }
                        }
                    }
                    chosen.sort_unstable();
                    let limit = question.max_selections.map_or(usize::MAX, |limit| limit as usize);
                    if let Some(problem) = bad {
                        problems.push(problem);
                        Answer::Missing
                    } else if chosen.len() > limit {
                        let field = question.column.clone().unwrap_or_else(|| question.id.clone());
                        problems.push((
                            field,
                            format!(
                                "{} options chosen where at most {limit} may be; the answer is not counted",
                                chosen.len()
                            ),
                        ));
                        Answer::Missing
                    } else if chosen.is_empty() {
                        Answer::Missing
                    } else {
                        Answer::Multi(chosen)
                    }
                }
                QuestionKind::FreeText => {
                    let text = cell(question.column.as_deref().expect("validated"));
                    if text.is_empty() { Answer::Missing } else { Answer::Text(text.to_string()) }
                }
            };
            answers.push(answer);
        }
        let mut demographics = Vec::with_capacity(survey.demographics.len());
        for demographic in &survey.demographics {
            match demographic.classify(cell(&demographic.column), areas) {
                Ok(value) => demographics.push(value),
                Err(reason) => {
                    problems.push((demographic.column.clone(), format!("{reason}; counted as not given")));
                    demographics.push(None);
                }
            }
        }
        for (field, reason) in problems {
            result.diagnostics.push(diagnostic(&field, reason));
        }
        result.respondents.push(Respondent { id, line, answers, demographics });
    }
    Ok(result)
}

/// The columns of a victim satisfaction returns file.
pub const VICTIM_COLUMNS: [&str; 5] = ["survey", "reference", "date", "stage", "response"];

#[derive(Debug, Clone)]
pub struct VictimReturns {
    pub responses: Vec<VictimResponse>,
    pub rows: u64,
    pub diagnostics: Vec<Diagnostic>,
}

/// A calendar date as YYYY-MM-DD; the month it falls in.
fn parse_date(text: &str) -> Option<YearMonth> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let (year, month, day): (i32, u32, u32) = (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days {
        return None;
    }
    YearMonth::new(year, month).ok()
}

/// Reads victim satisfaction returns: every row a response, or a diagnostic.
pub fn read_victim_returns(path: &Path, definition: &VictimSatisfaction) -> Result<VictimReturns, Error> {
    let mut reader = csv_reader(path)?;
    let header = reader.headers().map_err(|error| Error::format(path, Some(1), format!("header: {error}")))?.clone();
    let positions: Vec<usize> = map_header(path, &header, &VICTIM_COLUMNS, &[])?.into_iter().flatten().collect();
    let mut result = VictimReturns { responses: Vec::new(), rows: 0, diagnostics: Vec::new() };
    let mut seen = HashSet::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                if matches!(error.kind(), csv::ErrorKind::Io(_)) {
                    return Err(Error::io(path, error));
                }
                result.rows += 1;
                result.diagnostics.push(Diagnostic {
                    file: path.to_path_buf(),
                    line: error.position().map_or(line, |position| position.line()),
                    field: String::new(),
                    reason: format!("the row could not be read ({error})"),
                    row: String::new(),
                });
                continue;
            }
        }
        result.rows += 1;
        let line = record.position().map_or(line, |position| position.line());
        let reject = |field: &str, reason: String| Diagnostic {
            file: path.to_path_buf(),
            line,
            field: field.to_string(),
            reason,
            row: row_text(&record),
        };
        if record.len() != header.len() {
            result
                .diagnostics
                .push(reject("", format!("the row has {} fields where the header has {}", record.len(), header.len())));
            continue;
        }
        let cell = |index: usize| record.get(positions[index]).unwrap_or("").trim();
        let Some(survey_index) = definition.survey_index(cell(0)) else {
            let known: Vec<&str> = definition.surveys.iter().map(|survey| survey.id.as_str()).collect();
            result
                .diagnostics
                .push(reject("survey", format!("unknown survey '{}' (expected {})", cell(0), known.join(", "))));
            continue;
        };
        let survey = &definition.surveys[survey_index];
        let reference = cell(1).to_string();
        if reference.is_empty() {
            result.diagnostics.push(reject("reference", "no reference".to_string()));
            continue;
        }
        let Some(month) = parse_date(cell(2)) else {
            result.diagnostics.push(reject("date", format!("'{}' is not a date (YYYY-MM-DD)", cell(2))));
            continue;
        };
        let Some(stage) = survey.stage_index(cell(3)) else {
            let known: Vec<&str> = survey.stages.iter().map(|stage| stage.id.as_str()).collect();
            result.diagnostics.push(reject(
                "stage",
                format!("unknown stage '{}' of survey {} (expected {})", cell(3), survey.id, known.join(", ")),
            ));
            continue;
        };
        let Some(answer) = survey.answer_index(cell(4)) else {
            let known: Vec<&str> = survey.answers.iter().map(|answer| answer.code.as_str()).collect();
            result.diagnostics.push(reject(
                "response",
                format!("unknown answer code '{}' of survey {} (expected {})", cell(4), survey.id, known.join(", ")),
            ));
            continue;
        };
        if !seen.insert((survey_index, reference.clone(), stage)) {
            result.diagnostics.push(reject(
                "reference",
                format!(
                    "{} {reference} answered stage {} twice; this row is not counted",
                    survey.id, survey.stages[stage].id
                ),
            ));
            continue;
        }
        result.responses.push(VictimResponse { survey: survey_index, reference, month, stage, answer });
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    const APS: &str = include_str!("../../../definitions/surveys/annual-policing-survey-2019.toml");

    fn header(survey: &Survey) -> String {
        survey.columns().iter().map(|column| format!("\"{column}\"")).collect::<Vec<_>>().join(",")
    }

    #[test]
    fn respondent_rows_and_their_diagnostics() {
        let areas = PostcodeAreas::builtin();
        let survey = Survey::parse(APS, &areas).unwrap();
        let columns = survey.columns();
        let row = |values: &[(&str, &str)]| {
            columns
                .iter()
                .map(|column| {
                    let value = values.iter().find(|(name, _)| name == column).map_or("", |(_, value)| *value);
                    format!("\"{value}\"")
                })
                .collect::<Vec<_>>()
                .join(",")
        };
        let q1 = survey.question("q1").unwrap().column.clone().unwrap();
        let q2 = survey.question("q2").unwrap().column.clone().unwrap();
        let q5 = survey.question("q5").unwrap().column.clone().unwrap();
        let asb = survey.question("q4").unwrap().options[0].column.clone().unwrap();
        let text = [
            header(&survey),
            row(&[("Respondent ID", "1"), (&q1, "7"), (&q2, "Yes"), (&asb, "Anti-social behaviour"), (&q5, "Investigating crime; Neighbourhood policing"), ("Postcode district", "ME14"), ("Age", "40"), ("Ethnicity", "Indian")]),
            row(&[("Respondent ID", "2"), (&q1, "11"), (&q2, "Perhaps"), ("Postcode district", "SW1A"), ("Age", "old")]),
            row(&[("Respondent ID", "3"), (&q5, "Investigating crime;Reducing reoffending;Neighbourhood policing;Targeting gangs and organised crime")]),
            row(&[("Respondent ID", "1")]),
            row(&[("Respondent ID", "")]),
            "\"4\",\"5\"".to_string(),
        ]
        .join("\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("responses.csv");
        std::fs::write(&path, text).unwrap();
        let read = read_responses(&path, &survey, &areas).unwrap();
        assert_eq!(read.rows, 6);
        assert_eq!(read.respondents.len(), 3);
        assert_eq!(read.rejected_rows, 3);
        let first = &read.respondents[0];
        assert_eq!(first.answers[0], Answer::Scale(7));
        assert_eq!(first.answers[1], Answer::Choice(0));
        assert_eq!(first.answers[4], Answer::Multi(vec![0]));
        assert_eq!(first.answers[5], Answer::Multi(vec![1, 2]));
        let reasons: Vec<String> = read.diagnostics.iter().map(ToString::to_string).collect();
        let expect = |line: u64, field: &str, words: &str| {
            assert!(
                read.diagnostics.iter().any(|d| d.line == line && d.field == field && d.reason.contains(words)),
                "no diagnostic at line {line} in {field} saying {words}: {reasons:#?}"
            );
        };
        expect(3, &q1, "score 11 is out of range (1 to 10)");
        expect(3, &q2, "unknown answer code 'Perhaps'");
        expect(3, "Postcode district", "'SW1A' is not in the postcode-areas lookup");
        expect(3, "Age", "'old' is not an age");
        expect(4, &q5, "4 options chosen where at most 3");
        expect(5, "Respondent ID", "respondent '1' appears twice");
        expect(6, "Respondent ID", "no respondent id");
        expect(7, "", "the row has 2 fields");
        assert!(reasons[0].starts_with(&format!("{}:3: ", path.display())));
        assert_eq!(read.respondents[1].answers[0], Answer::Missing);
    }

    #[test]
    fn unknown_and_missing_columns_refuse_the_file() {
        let areas = PostcodeAreas::builtin();
        let survey = Survey::parse(APS, &areas).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("responses.csv");
        std::fs::write(&path, format!("{},\"Favourite colour\"\n", header(&survey))).unwrap();
        let error = read_responses(&path, &survey, &areas).unwrap_err();
        assert!(error.to_string().contains("unknown column 'Favourite colour'"), "{error}");
        std::fs::write(&path, "\"Respondent ID\"\n").unwrap();
        let error = read_responses(&path, &survey, &areas).unwrap_err();
        assert!(error.to_string().contains("required column"), "{error}");
    }

    #[test]
    fn victim_returns_and_their_diagnostics() {
        let definition = VictimSatisfaction::builtin();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("returns.csv");
        std::fs::write(
            &path,
            "survey,reference,date,stage,response\n\
             rape,R1,2020-06-01,treated-fairly,Partly\n\
             rape,R2,2020-02-30,treated-fairly,Yes\n\
             burglary,B1,2020-06-01,overall,Yes\n\
             rape,R3,2020-06-01,speed,Yes\n\
             hate-crime,H1,2020-06-01,overall,Maybe\n\
             rape,R1,2020-07-01,treated-fairly,Yes\n\
             hate-crime,H2,2020-06-01,Kept informed,Very satisfied\n",
        )
        .unwrap();
        let read = read_victim_returns(&path, &definition).unwrap();
        assert_eq!(read.rows, 7);
        assert_eq!(read.responses.len(), 2);
        let fields: Vec<(u64, &str)> = read.diagnostics.iter().map(|d| (d.line, d.field.as_str())).collect();
        assert_eq!(fields, vec![(3, "date"), (4, "survey"), (5, "stage"), (6, "response"), (7, "reference")]);
        assert!(read.diagnostics[0].reason.contains("'2020-02-30' is not a date"));
        assert_eq!(read.responses[1].month, "2020-06".parse().unwrap());
    }
}
