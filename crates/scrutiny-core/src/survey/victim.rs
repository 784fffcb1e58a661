//! Victim satisfaction returns: the force's surveys of victims (hate crime,
//! domestic abuse, rape) by stage, the answer codes each counts as
//! satisfied, and the counting rule for "Partly" (by default counted as not
//! satisfied, and always stated). The analysis gives, per survey, financial
//! year to date and stage, the share satisfied with its counts and the change
//! in percentage points against the same period last year.

use serde::{Deserialize, Serialize};

use super::stats::{self, ProportionChange};
use crate::{Error, PeriodKind, YearMonth};

/// The built-in definition (definitions/victim-satisfaction.toml).
pub const BUILTIN_VICTIM_SATISFACTION: &str = include_str!("../../../../definitions/victim-satisfaction.toml");

/// How a "Partly" answer is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartlyRule {
    /// In the denominator, not the numerator (the force's convention).
    NotSatisfied,
    Satisfied,
    /// Left out of numerator and denominator.
    Excluded,
}

impl PartlyRule {
    pub fn statement(self) -> &'static str {
        match self {
            Self::NotSatisfied => {
                "\"Partly\" answers are counted as not satisfied (in the total, not among the satisfied)."
            }
            Self::Satisfied => "\"Partly\" answers are counted as satisfied.",
            Self::Excluded => "\"Partly\" answers are left out of both the satisfied and the total.",
        }
    }
}

impl std::str::FromStr for PartlyRule {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        match text {
            "not-satisfied" | "no" => Ok(Self::NotSatisfied),
            "satisfied" | "yes" => Ok(Self::Satisfied),
            "excluded" => Ok(Self::Excluded),
            other => {
                Err(Error::parse(format!("'{other}' is not a rule for Partly (not-satisfied, satisfied or excluded)")))
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Counts {
    Satisfied,
    NotSatisfied,
    Partly,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerCode {
    pub code: String,
    pub counts_as: Counts,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VictimSurvey {
    pub id: String,
    pub label: String,
    pub stages: Vec<Stage>,
    pub answers: Vec<AnswerCode>,
}

/// The victim satisfaction definition.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VictimSatisfaction {
    pub id: String,
    pub version: u32,
    pub partly: PartlyRule,
    pub surveys: Vec<VictimSurvey>,
}

impl VictimSatisfaction {
    pub fn parse(text: &str) -> Result<Self, Error> {
        let definition: Self =
            toml::from_str(text).map_err(|error| Error::definition(format!("victim satisfaction: {error}")))?;
        for survey in &definition.surveys {
            if survey.stages.is_empty() || survey.answers.is_empty() {
                return Err(Error::definition(format!(
                    "victim satisfaction survey {} needs stages and answers",
                    survey.id
                )));
            }
            if !survey.answers.iter().any(|answer| answer.counts_as == Counts::Satisfied) {
                return Err(Error::definition(format!(
                    "victim satisfaction survey {}: no answer counts as satisfied",
                    survey.id
                )));
            }
        }
        Ok(definition)
    }

    pub fn builtin() -> Self {
        Self::parse(BUILTIN_VICTIM_SATISFACTION)
            .expect("the built-in victim satisfaction definition is valid (checked by tests)")
    }

    pub fn survey_index(&self, id: &str) -> Option<usize> {
        self.surveys.iter().position(|survey| survey.id.eq_ignore_ascii_case(id.trim()))
    }
}

impl VictimSurvey {
    pub fn stage_index(&self, text: &str) -> Option<usize> {
        let text = text.trim();
        self.stages
            .iter()
            .position(|stage| stage.id.eq_ignore_ascii_case(text) || stage.label.eq_ignore_ascii_case(text))
    }

    pub fn answer_index(&self, text: &str) -> Option<usize> {
        self.answers.iter().position(|answer| answer.code.eq_ignore_ascii_case(text.trim()))
    }
}

/// One victim's answer at one stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimResponse {
    pub survey: usize,
    pub reference: String,
    pub month: YearMonth,
    pub stage: usize,
    pub answer: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageFigure {
    pub id: String,
    pub label: String,
    pub satisfied: u64,
    pub total: u64,
    /// Answered "Partly" (counted by the stated rule).
    pub partly: u64,
    pub percent: Option<f64>,
    pub ci_low_percent: Option<f64>,
    pub ci_high_percent: Option<f64>,
    /// Against the same period last year, in percentage points.
    pub change: Option<ProportionChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodFigures {
    pub label: String,
    pub from: String,
    pub to: String,
    pub stages: Vec<StageFigure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SurveyFigures {
    pub id: String,
    pub label: String,
    /// Most recent first.
    pub periods: Vec<PeriodFigures>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VictimSatisfactionReport {
    pub partly_rule: PartlyRule,
    pub counting_rule: String,
    pub period_kind: String,
    pub responses: u64,
    /// Responses outside every period reported (January to March when the
    /// period ends in December, for example).
    pub outside_periods: u64,
    pub surveys: Vec<SurveyFigures>,
}

/// Per survey, financial year to `to` (default: the latest month answered)
/// and the same period in each earlier year with answers, per stage.
pub fn analyse(
    definition: &VictimSatisfaction,
    responses: &[VictimResponse],
    to: Option<YearMonth>,
    partly: PartlyRule,
    confidence: f64,
) -> VictimSatisfactionReport {
    let Some(to) = to.or_else(|| responses.iter().map(|response| response.month).max()) else {
        return VictimSatisfactionReport {
            partly_rule: partly,
            counting_rule: partly.statement().to_string(),
            period_kind: "financial year to date".to_string(),
            responses: 0,
            outside_periods: 0,
            surveys: Vec::new(),
        };
    };
    let earliest = responses.iter().map(|response| response.month).min().unwrap_or(to);
    let mut periods = Vec::new();
    let mut end = to;
    loop {
        let period = PeriodKind::Fytd.ending(end);
        if period.to < earliest {
            break;
        }
        periods.push((period, PeriodKind::Fytd.describe(end)));
        end = end.minus(12);
    }
    let in_any = |month: YearMonth| periods.iter().any(|(period, _)| period.contains(month));
    let outside_periods = responses.iter().filter(|response| !in_any(response.month)).count() as u64;
    let mut surveys = Vec::new();
    for (survey_index, survey) in definition.surveys.iter().enumerate() {
        let mut figures: Vec<PeriodFigures> = Vec::new();
        let mut proportions: Vec<Vec<Option<stats::Proportion>>> = Vec::new();
        let mut kept = Vec::new();
        for (period, label) in &periods {
            let mut stages = Vec::new();
            let mut shares = Vec::new();
            let mut any = false;
            for (stage_index, stage) in survey.stages.iter().enumerate() {
                let (mut satisfied, mut total, mut partly_count) = (0u64, 0u64, 0u64);
                for response in responses.iter().filter(|response| {
                    response.survey == survey_index && response.stage == stage_index && period.contains(response.month)
                }) {
                    match survey.answers[response.answer].counts_as {
                        Counts::Satisfied => {
                            satisfied += 1;
                            total += 1;
                        }
                        Counts::NotSatisfied => total += 1,
                        Counts::Partly => {
                            partly_count += 1;
                            match partly {
                                PartlyRule::NotSatisfied => total += 1,
                                PartlyRule::Satisfied => {
                                    satisfied += 1;
                                    total += 1;
                                }
                                PartlyRule::Excluded => {}
                            }
                        }
                    }
                }
                any |= total > 0 || partly_count > 0;
                let proportion = stats::wilson(satisfied, total, confidence);
                shares.push(proportion);
                stages.push(StageFigure {
                    id: stage.id.clone(),
                    label: stage.label.clone(),
                    satisfied,
                    total,
                    partly: partly_count,
                    percent: proportion.map(|proportion| proportion.percent()),
                    ci_low_percent: proportion.map(|proportion| proportion.ci_low * 100.0),
                    ci_high_percent: proportion.map(|proportion| proportion.ci_high * 100.0),
                    change: None,
                });
            }
            if any {
                figures.push(PeriodFigures {
                    label: label.clone(),
                    from: period.from.to_string(),
                    to: period.to.to_string(),
                    stages,
                });
                proportions.push(shares);
                kept.push(*period);
            }
        }
        // Each period against the one a year earlier, when both have answers.
        for index in 0..figures.len() {
            if index + 1 < figures.len() && kept[index + 1] == kept[index].same_period_last_year() {
                let pairs = proportions[index].iter().zip(&proportions[index + 1]);
                for (figure, pair) in figures[index].stages.iter_mut().zip(pairs) {
                    if let (Some(now), Some(then)) = pair {
                        figure.change = Some(stats::two_proportion_z(now, then, confidence));
                    }
                }
            }
        }
        if !figures.is_empty() {
            surveys.push(SurveyFigures { id: survey.id.clone(), label: survey.label.clone(), periods: figures });
        }
    }
    VictimSatisfactionReport {
        partly_rule: partly,
        counting_rule: partly.statement().to_string(),
        period_kind: "financial year to date".to_string(),
        responses: responses.len() as u64,
        outside_periods,
        surveys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn responses(definition: &VictimSatisfaction, rows: &[(&str, &str, &str, &str, usize)]) -> Vec<VictimResponse> {
        let mut out = Vec::new();
        for (survey, month, stage, answer, count) in rows {
            let survey_index = definition.survey_index(survey).unwrap();
            let survey = &definition.surveys[survey_index];
            for number in 0..*count {
                out.push(VictimResponse {
                    survey: survey_index,
                    reference: format!("{number}"),
                    month: month.parse().unwrap(),
                    stage: survey.stage_index(stage).unwrap(),
                    answer: survey.answer_index(answer).unwrap(),
                });
            }
        }
        out
    }

    #[test]
    fn partly_counts_as_not_satisfied_by_default_and_is_stated() {
        let definition = VictimSatisfaction::builtin();
        assert_eq!(definition.partly, PartlyRule::NotSatisfied);
        let rows = responses(
            &definition,
            &[
                ("rape", "2020-06", "treated-fairly", "Yes", 186),
                ("rape", "2020-11", "treated-fairly", "No", 14),
                ("rape", "2020-12", "Treated fairly throughout the case", "Partly", 12),
                ("rape", "2019-05", "treated-fairly", "Yes", 126),
                ("rape", "2019-09", "treated-fairly", "No", 5),
                ("rape", "2019-12", "treated-fairly", "Partly", 5),
                ("rape", "2020-02", "treated-fairly", "Yes", 3),
            ],
        );
        let report = analyse(&definition, &rows, None, definition.partly, 0.95);
        assert!(report.counting_rule.contains("not satisfied"));
        assert_eq!(report.outside_periods, 3, "January to March 2020 is in neither financial year to December");
        let rape = &report.surveys[0];
        assert_eq!(rape.periods[0].label, "financial year to December 2020");
        let fairly = &rape.periods[0].stages[1];
        assert_eq!((fairly.satisfied, fairly.total, fairly.partly), (186, 212, 12));
        assert_eq!(format!("{:.1}", fairly.percent.unwrap()), "87.7");
        let before = &rape.periods[1].stages[1];
        assert_eq!((before.satisfied, before.total), (126, 136));
        let change = fairly.change.unwrap();
        assert_eq!(format!("{:.1}", change.percentage_points), "-4.9");
        assert!(rape.periods[1].stages[1].change.is_none());

        let lenient = analyse(&definition, &rows, None, PartlyRule::Satisfied, 0.95);
        assert_eq!(lenient.surveys[0].periods[0].stages[1].satisfied, 198);
        let excluded = analyse(&definition, &rows, None, PartlyRule::Excluded, 0.95);
        assert_eq!(excluded.surveys[0].periods[0].stages[1].total, 200);
        assert!("sometimes".parse::<PartlyRule>().is_err());
    }
}
