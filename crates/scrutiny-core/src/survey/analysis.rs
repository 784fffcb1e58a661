//! The analysis of one survey's responses under its definition: per
//! question the number who answered, means with confidence intervals,
//! shares with Wilson intervals, multi-select "response percent / total /
//! answered", every breakdown subgroup (top-N for multi-selects), the
//! weighted estimate after raking, year-on-year change with its test, and
//! sampled, redacted comments per score band. Figures only; layout is the
//! report crate's.

use serde::Serialize;

use super::definition::{DemographicValue, QuestionKind, Survey};
use super::redact::redact;
use super::stats::{self, MeanEstimate, ProportionChange, SampleSummary, TestResult};
use crate::Error;

/// One respondent's answer to one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Not answered (blank), or an answer that could not be read (listed as a diagnostic).
    Missing,
    Scale(u32),
    /// Index into the question's options.
    Choice(usize),
    /// Indices into the question's options, in option order, at least one.
    Multi(Vec<usize>),
    Text(String),
}

/// One row of a survey export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respondent {
    pub id: String,
    /// The row's line in its file.
    pub line: u64,
    /// One per question of the definition, in its order.
    pub answers: Vec<Answer>,
    /// One per demographic of the definition, in its order; `None` when not given.
    pub demographics: Vec<Option<DemographicValue>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SurveyReport {
    pub survey: SurveyInfo,
    pub responses: u64,
    /// The widest margin of error of a share over the whole sample.
    pub margin_of_error: Option<MarginOfError>,
    pub weighting: Option<WeightingSummary>,
    pub counting_rules: Vec<String>,
    pub questions: Vec<QuestionReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SurveyInfo {
    pub id: String,
    pub title: String,
    pub definition_version: u32,
    pub confidence: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MarginOfError {
    pub sample: u64,
    pub population: Option<u64>,
    pub confidence: f64,
    /// ± this many percentage points, for a share near 50%.
    pub percentage_points: f64,
    pub statement: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeightingSummary {
    pub source: String,
    pub dimensions: Vec<String>,
    /// Respondents who gave every weighting demographic; weighted figures are over them.
    pub respondents_weighted: u64,
    /// Kish's effective sample size.
    pub effective_sample_size: f64,
    pub design_effect: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionFigure {
    pub code: String,
    pub label: String,
    pub count: u64,
    /// Of those who answered the question.
    pub percent: Option<f64>,
    pub ci_low_percent: Option<f64>,
    pub ci_high_percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoreCount {
    pub score: u32,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubgroupFigure {
    pub breakdown: String,
    pub id: String,
    pub label: String,
    pub answered: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<MeanEstimate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<OptionFigure>>,
    /// Multi-select: the options chosen most, most first (ties in definition order).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top: Option<Vec<OptionFigure>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeightedFigure {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// Single choice: weighted percent per option, in option order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percents: Option<Vec<f64>>,
    pub respondents: u64,
    pub effective_sample_size: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeanChange {
    pub previous: MeanEstimate,
    pub difference: f64,
    /// Welch's t-test.
    pub test: Option<TestResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionChange {
    pub code: String,
    pub previous_count: u64,
    pub previous_answered: u64,
    pub previous_percent: Option<f64>,
    /// Change in percentage points with the two-proportion z-test.
    pub change: Option<ProportionChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    /// The score band, "1–3".
    pub band: String,
    pub score: Option<u32>,
    pub respondent: String,
    /// The comment with personal details replaced by [name], [phone], [email], [postcode], [address].
    pub text: String,
    pub redactions: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionReport {
    pub id: String,
    pub kind: QuestionKind,
    pub text: String,
    pub answered: u64,
    pub not_answered: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<MeanEstimate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Vec<ScoreCount>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<OptionFigure>>,
    /// Multi-select: how many selections were made in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selections: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subgroups: Vec<SubgroupFigure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted: Option<WeightedFigure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_change: Option<MeanChange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option_changes: Option<Vec<OptionChange>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<Vec<Comment>>,
}

/// A subgroup: who is in it.
struct Subgroup {
    breakdown: String,
    id: String,
    label: String,
    members: Vec<bool>,
}

fn subgroups(survey: &Survey, respondents: &[Respondent]) -> Vec<Subgroup> {
    let mut groups = Vec::new();
    for breakdown in &survey.breakdowns {
        if let Some(index) = survey.demographics.iter().position(|demographic| &demographic.id == breakdown) {
            for (group_index, group) in survey.demographics[index].groups.iter().enumerate() {
                groups.push(Subgroup {
                    breakdown: breakdown.clone(),
                    id: group.id.clone(),
                    label: group.label.clone(),
                    members: respondents
                        .iter()
                        .map(|respondent| respondent.demographics[index] == Some(DemographicValue::Group(group_index)))
                        .collect(),
                });
            }
        } else if let Some(group) = survey.answer_groups.iter().find(|group| &group.id == breakdown) {
            let question =
                survey.questions.iter().position(|question| question.id == group.question).expect("validated");
            let answer = survey.questions[question].option_index(&group.answer).expect("validated");
            groups.push(Subgroup {
                breakdown: breakdown.clone(),
                id: group.id.clone(),
                label: group.label.clone(),
                members: respondents
                    .iter()
                    .map(|respondent| respondent.answers[question] == Answer::Choice(answer))
                    .collect(),
            });
        }
    }
    groups
}

fn percent(count: u64, of: u64) -> Option<f64> {
    (of > 0).then(|| count as f64 / of as f64 * 100.0)
}

fn option_figures(labels: &[(String, String)], counts: &[u64], answered: u64, confidence: f64) -> Vec<OptionFigure> {
    labels
        .iter()
        .zip(counts)
        .map(|((code, label), count)| {
            let interval = stats::wilson(*count, answered, confidence);
            OptionFigure {
                code: code.clone(),
                label: label.clone(),
                count: *count,
                percent: percent(*count, answered),
                ci_low_percent: interval.map(|interval| interval.ci_low * 100.0),
                ci_high_percent: interval.map(|interval| interval.ci_high * 100.0),
            }
        })
        .collect()
}

/// Scale values, option counts and answered count of one question over the respondents selected.
struct Tally {
    answered: u64,
    values: Vec<f64>,
    counts: Vec<u64>,
    selections: u64,
}

fn tally(question: usize, options: usize, respondents: &[Respondent], select: impl Fn(usize) -> bool) -> Tally {
    let mut tally = Tally { answered: 0, values: Vec::new(), counts: vec![0; options], selections: 0 };
    for (index, respondent) in respondents.iter().enumerate() {
        if !select(index) {
            continue;
        }
        match &respondent.answers[question] {
            Answer::Missing => {}
            Answer::Scale(score) => {
                tally.answered += 1;
                tally.values.push(f64::from(*score));
            }
            Answer::Choice(option) => {
                tally.answered += 1;
                tally.counts[*option] += 1;
            }
            Answer::Multi(chosen) => {
                tally.answered += 1;
                for option in chosen {
                    tally.counts[*option] += 1;
                    tally.selections += 1;
                }
            }
            Answer::Text(text) => {
                if !text.trim().is_empty() {
                    tally.answered += 1;
                }
            }
        }
    }
    tally
}

/// Raked weights per respondent (`None` for respondents missing a weighting demographic).
fn weights(survey: &Survey, respondents: &[Respondent]) -> Result<Option<(Vec<Option<f64>>, WeightingSummary)>, Error> {
    let Some(weighting) = &survey.weighting else { return Ok(None) };
    let mut dimensions = Vec::new();
    let mut targets = Vec::new();
    for margin in &weighting.margins {
        let index =
            survey.demographics.iter().position(|demographic| demographic.id == margin.demographic).expect("validated");
        dimensions.push(index);
        targets.push(
            survey.demographics[index].groups.iter().map(|group| margin.targets[&group.id]).collect::<Vec<f64>>(),
        );
    }
    let mut rows = Vec::new();
    let mut who = Vec::new();
    for (respondent_index, respondent) in respondents.iter().enumerate() {
        let row: Option<Vec<usize>> = dimensions
            .iter()
            .map(|dimension| match respondent.demographics[*dimension] {
                Some(DemographicValue::Group(group)) => Some(group),
                _ => None,
            })
            .collect();
        if let Some(row) = row {
            rows.push(row);
            who.push(respondent_index);
        }
    }
    if rows.is_empty() {
        return Ok(None);
    }
    let raked = stats::rake(&rows, &targets, 500, 1e-10)
        .map_err(|error| Error::parse(format!("weighting {}: {error}", survey.id)))?;
    let effective = stats::kish_effective_n(&raked);
    let mut per_respondent = vec![None; respondents.len()];
    for (index, weight) in who.iter().zip(&raked) {
        per_respondent[*index] = Some(*weight);
    }
    let summary = WeightingSummary {
        source: weighting.source.clone(),
        dimensions: weighting.margins.iter().map(|margin| margin.demographic.clone()).collect(),
        respondents_weighted: raked.len() as u64,
        effective_sample_size: effective,
        design_effect: raked.len() as f64 / effective,
    };
    Ok(Some((per_respondent, summary)))
}

/// A deterministic pseudo-random order key (FNV-1a) so that sampled comments
/// do not depend on row order and are the same on every run.
fn sample_key(respondent: &str, question: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in respondent.bytes().chain([0u8]).chain(question.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Analyses `respondents` under `survey`; `previous` (last year's
/// respondents under the same definition) adds year-on-year changes.
pub fn analyse(
    survey: &Survey,
    respondents: &[Respondent],
    previous: Option<&[Respondent]>,
) -> Result<SurveyReport, Error> {
    let confidence = survey.confidence;
    let groups = subgroups(survey, respondents);
    let weighting = weights(survey, respondents)?;
    let mut questions = Vec::new();
    for (question_index, question) in survey.questions.iter().enumerate() {
        let labels: Vec<(String, String)> =
            question.options.iter().map(|option| (option.code().to_string(), option.label.clone())).collect();
        let all = tally(question_index, labels.len(), respondents, |_| true);
        let mut report = QuestionReport {
            id: question.id.clone(),
            kind: question.kind,
            text: question.text.clone(),
            answered: all.answered,
            not_answered: respondents.len() as u64 - all.answered,
            mean: None,
            distribution: None,
            options: None,
            selections: None,
            subgroups: Vec::new(),
            weighted: None,
            mean_change: None,
            option_changes: None,
            comments: None,
        };
        let previous_tally = previous.map(|previous| tally(question_index, labels.len(), previous, |_| true));
        match question.kind {
            QuestionKind::Scale => {
                report.mean = stats::mean_with_ci(&all.values, confidence);
                let (min, max) = (question.min.expect("validated"), question.max.expect("validated"));
                report.distribution = Some(
                    (min..=max)
                        .map(|score| ScoreCount {
                            score,
                            count: all.values.iter().filter(|value| **value == f64::from(score)).count() as u64,
                        })
                        .collect(),
                );
            }
            QuestionKind::Single | QuestionKind::Multi => {
                report.options = Some(option_figures(&labels, &all.counts, all.answered, confidence));
                if question.kind == QuestionKind::Multi {
                    report.selections = Some(all.selections);
                }
            }
            QuestionKind::FreeText => {}
        }
        if question.kind != QuestionKind::FreeText {
            for group in &groups {
                let part = tally(question_index, labels.len(), respondents, |index| group.members[index]);
                let mut figure = SubgroupFigure {
                    breakdown: group.breakdown.clone(),
                    id: group.id.clone(),
                    label: group.label.clone(),
                    answered: part.answered,
                    mean: None,
                    options: None,
                    top: None,
                };
                match question.kind {
                    QuestionKind::Scale => figure.mean = stats::mean_with_ci(&part.values, confidence),
                    QuestionKind::Single => {
                        figure.options = Some(option_figures(&labels, &part.counts, part.answered, confidence))
                    }
                    QuestionKind::Multi => {
                        let figures = option_figures(&labels, &part.counts, part.answered, confidence);
                        let counted: Vec<(usize, u64)> = part.counts.iter().copied().enumerate().collect();
                        let top = stats::top_n(&counted, question.top.unwrap_or(5));
                        figure.top = Some(top.iter().map(|(index, _)| figures[*index].clone()).collect());
                        figure.options = Some(figures);
                    }
                    QuestionKind::FreeText => {}
                }
                report.subgroups.push(figure);
            }
        }
        if let Some((weights, summary)) = &weighting {
            let mut values = Vec::new();
            let mut value_weights = Vec::new();
            let mut option_weights = vec![0.0; labels.len()];
            for (respondent, weight) in respondents.iter().zip(weights) {
                let Some(weight) = weight else { continue };
                match &respondent.answers[question_index] {
                    Answer::Scale(score) => {
                        values.push(f64::from(*score));
                        value_weights.push(*weight);
                    }
                    Answer::Choice(option) => {
                        option_weights[*option] += weight;
                        value_weights.push(*weight);
                    }
                    _ => {}
                }
            }
            let total: f64 = value_weights.iter().sum();
            report.weighted = match question.kind {
                QuestionKind::Scale if !values.is_empty() => Some(WeightedFigure {
                    mean: stats::weighted_mean(&values, &value_weights),
                    percents: None,
                    respondents: values.len() as u64,
                    effective_sample_size: stats::kish_effective_n(&value_weights),
                }),
                QuestionKind::Single if total > 0.0 => Some(WeightedFigure {
                    mean: None,
                    percents: Some(option_weights.iter().map(|weight| weight / total * 100.0).collect()),
                    respondents: value_weights.len() as u64,
                    effective_sample_size: stats::kish_effective_n(&value_weights),
                }),
                _ => None,
            };
            let _ = summary;
        }
        if let Some(before) = &previous_tally {
            match question.kind {
                QuestionKind::Scale => {
                    if let (Some(now), Some(then)) = (&report.mean, stats::mean_with_ci(&before.values, confidence)) {
                        report.mean_change = Some(MeanChange {
                            previous: then,
                            difference: now.mean - then.mean,
                            test: stats::welch_t(SampleSummary::from(now), SampleSummary::from(&then), confidence),
                        });
                    }
                }
                QuestionKind::Single | QuestionKind::Multi => {
                    report.option_changes = Some(
                        labels
                            .iter()
                            .enumerate()
                            .map(|(index, (code, _))| {
                                let now = stats::wilson(all.counts[index], all.answered, confidence);
                                let then = stats::wilson(before.counts[index], before.answered, confidence);
                                OptionChange {
                                    code: code.clone(),
                                    previous_count: before.counts[index],
                                    previous_answered: before.answered,
                                    previous_percent: percent(before.counts[index], before.answered),
                                    change: now
                                        .zip(then)
                                        .map(|(now, then)| stats::two_proportion_z(&now, &then, confidence)),
                                }
                            })
                            .collect(),
                    );
                }
                QuestionKind::FreeText => {}
            }
        }
        if question.kind == QuestionKind::FreeText {
            report.comments = Some(sample_comments(survey, question_index, respondents));
        }
        questions.push(report);
    }
    let responses = respondents.len() as u64;
    let margin_of_error = stats::margin_of_error(responses, survey.population, confidence).map(|margin| {
        let points = margin * 100.0;
        MarginOfError {
            sample: responses,
            population: survey.population,
            confidence,
            percentage_points: points,
            statement: format!(
                "With {} responses{}, a share near 50% is estimated within ±{points:.1} percentage points at the {:.0}% confidence level, if the respondents were a random sample; they chose to respond, so this is a lower bound on the uncertainty.",
                crate::narrative::thousands(responses),
                survey
                    .population
                    .map(|population| format!(" from a population of {}", crate::narrative::thousands(population)))
                    .unwrap_or_default(),
                confidence * 100.0
            ),
        }
    });
    let mut counting_rules = vec![
        "Percentages are of the respondents who answered the question; blank answers are not counted.".to_string(),
        "Multi-select questions: response percent = respondents who chose the option ÷ respondents who chose at least one option (answered).".to_string(),
        format!(
            "Intervals are {:.0}% intervals: t-based for means, Wilson score for shares.",
            confidence * 100.0
        ),
    ];
    if survey.weighting.is_some() {
        counting_rules.push("Weighted figures rake respondents who gave every weighting demographic to the population margins; all other figures are unweighted.".to_string());
    }
    Ok(SurveyReport {
        survey: SurveyInfo {
            id: survey.id.clone(),
            title: survey.title.clone(),
            definition_version: survey.version,
            confidence,
        },
        responses,
        margin_of_error,
        weighting: weighting.map(|(_, summary)| summary),
        counting_rules,
        questions,
    })
}

fn sample_comments(survey: &Survey, question_index: usize, respondents: &[Respondent]) -> Vec<Comment> {
    let question = &survey.questions[question_index];
    let per_band = survey.comments.as_ref().map_or(2, |comments| comments.per_band);
    let score_index = question
        .score_question
        .as_ref()
        .and_then(|score| survey.questions.iter().position(|question| &question.id == score));
    let bands: Vec<(u32, u32)> = match (score_index, &survey.comments) {
        (Some(index), sampling) => {
            let min = survey.questions[index].min.expect("validated");
            let max = survey.questions[index].max.expect("validated");
            let uppers = sampling.as_ref().map_or(vec![max], |sampling| sampling.bands.clone());
            let mut low = min;
            let mut bands = Vec::new();
            for upper in uppers {
                bands.push((low, upper.min(max)));
                low = upper + 1;
            }
            bands
        }
        (None, _) => Vec::new(),
    };
    let mut candidates: Vec<(Option<usize>, u64, &Respondent, &str, Option<u32>)> = Vec::new();
    for respondent in respondents {
        let Answer::Text(text) = &respondent.answers[question_index] else { continue };
        if text.trim().is_empty() {
            continue;
        }
        let score = score_index.and_then(|index| match respondent.answers[index] {
            Answer::Scale(score) => Some(score),
            _ => None,
        });
        let band = match score {
            Some(score) => bands.iter().position(|(low, high)| score >= *low && score <= *high),
            None if score_index.is_some() => continue,
            None => None,
        };
        candidates.push((band, sample_key(&respondent.id, &question.id), respondent, text, score));
    }
    candidates.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.id.cmp(&b.2.id)));
    let mut comments = Vec::new();
    let mut taken = vec![0usize; bands.len().max(1)];
    for (band, _, respondent, text, score) in candidates {
        let slot = band.unwrap_or(0);
        if taken[slot] >= per_band {
            continue;
        }
        taken[slot] += 1;
        let redacted = redact(text);
        comments.push(Comment {
            band: band.map_or("all".to_string(), |band| {
                let (low, high) = bands[band];
                if low == high { low.to_string() } else { format!("{low}–{high}") }
            }),
            score,
            respondent: respondent.id.clone(),
            text: redacted.text,
            redactions: redacted.redactions,
        });
    }
    comments
}
