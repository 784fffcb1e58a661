//! Survey definitions as data: the questions of a survey, the CSV columns
//! each is read from, its answer codes, the demographics respondents are
//! grouped by (postcode district → urban/rural/coastal, age bands, ethnicity
//! groups), the breakdowns a report shows and the population margins for
//! weighting. Parsed from TOML and validated here; docs/surveys.md describes
//! the format.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::Error;

/// The postcode-district lookup shipped with Scrutiny (definitions/postcode-areas.toml).
pub const BUILTIN_POSTCODE_AREAS: &str = include_str!("../../../../definitions/postcode-areas.toml");

/// Which kind of area each postcode district is (the OPCC's own definition).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostcodeAreas {
    pub id: String,
    pub version: u32,
    /// Area id (urban, rural, coastal) → its postcode districts.
    pub areas: BTreeMap<String, Vec<String>>,
    #[serde(skip)]
    by_district: BTreeMap<String, String>,
}

impl PostcodeAreas {
    pub fn parse(text: &str) -> Result<Self, Error> {
        let mut lookup: PostcodeAreas =
            toml::from_str(text).map_err(|error| Error::definition(format!("postcode areas: {error}")))?;
        for (area, districts) in &lookup.areas {
            for district in districts {
                let district = normalise_district(district);
                if let Some(other) = lookup.by_district.insert(district.clone(), area.clone()) {
                    return Err(Error::definition(format!(
                        "postcode areas: district {district} is listed under both {other} and {area}"
                    )));
                }
            }
        }
        Ok(lookup)
    }

    pub fn builtin() -> Self {
        Self::parse(BUILTIN_POSTCODE_AREAS).expect("the built-in postcode areas are valid (checked by tests)")
    }

    /// The area of a postcode district ("me14", "ME14 ", "ME14 5XX" → the area of ME14).
    pub fn area_of(&self, district: &str) -> Option<&str> {
        self.by_district.get(&normalise_district(district)).map(String::as_str)
    }
}

/// The outward code of a postcode or district, upper case: "me14 5xx" → "ME14".
pub fn normalise_district(text: &str) -> String {
    text.split_whitespace().next().unwrap_or("").to_ascii_uppercase()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One answer from a list of codes.
    Single,
    /// A whole number on a scale (1 to 10).
    Scale,
    /// Any number of options, up to `max_selections`: one column per option,
    /// or one cell with the options separated by `delimiter`.
    Multi,
    /// Free text.
    FreeText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub label: String,
    /// The code in the CSV (default: the label).
    pub code: Option<String>,
    /// Multi-select with one column per option: the option's column. A
    /// non-empty cell means selected.
    pub column: Option<String>,
}

impl AnswerOption {
    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or(&self.label)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub kind: QuestionKind,
    /// The column of single, scale, free-text and delimited multi-select questions.
    pub column: Option<String>,
    pub min: Option<u32>,
    pub max: Option<u32>,
    #[serde(default)]
    pub options: Vec<AnswerOption>,
    pub delimiter: Option<String>,
    pub max_selections: Option<u32>,
    /// Free text: the scale question whose score bands comments are sampled by.
    pub score_question: Option<String>,
    /// How many of each group to list in the top-N per subgroup (multi-select).
    pub top: Option<usize>,
}

impl Question {
    /// Every CSV column this question reads.
    pub fn columns(&self) -> Vec<&str> {
        let mut columns: Vec<&str> = self.column.iter().map(String::as_str).collect();
        columns.extend(self.options.iter().filter_map(|option| option.column.as_deref()));
        columns
    }

    pub fn option_index(&self, code: &str) -> Option<usize> {
        let code = code.trim();
        self.options.iter().position(|option| option.code().eq_ignore_ascii_case(code))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemographicKind {
    /// A postcode district, grouped through the postcode-areas lookup.
    PostcodeDistrict,
    /// Age in whole years, grouped into bands.
    Age,
    /// A code from a list, grouped.
    Category,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub label: String,
    /// Category: the codes in the group.
    #[serde(default)]
    pub codes: Vec<String>,
    /// Age: the band's bounds, inclusive.
    pub min: Option<u32>,
    pub max: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demographic {
    pub id: String,
    pub label: String,
    pub column: String,
    pub kind: DemographicKind,
    pub groups: Vec<Group>,
    /// Category: valid answers in no group ("Prefer not to say").
    #[serde(default)]
    pub other_codes: Vec<String>,
}

/// What a cell of a demographic column means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemographicValue {
    /// The respondent is in this group.
    Group(usize),
    /// A valid answer in no group (a district outside the lookup's areas is
    /// not one: that is an error).
    Ungrouped,
}

impl Demographic {
    /// Reads one cell; `Ok(None)` for a blank cell, `Err(reason)` for an
    /// answer the definition does not know.
    pub fn classify(&self, cell: &str, areas: &PostcodeAreas) -> Result<Option<DemographicValue>, String> {
        let cell = cell.trim();
        if cell.is_empty() {
            return Ok(None);
        }
        match self.kind {
            DemographicKind::PostcodeDistrict => {
                let district = normalise_district(cell);
                let Some(area) = areas.area_of(&district) else {
                    return Err(format!(
                        "postcode district '{cell}' is not in the postcode-areas lookup ({})",
                        areas.id
                    ));
                };
                Ok(Some(
                    self.groups
                        .iter()
                        .position(|group| group.id == area)
                        .map_or(DemographicValue::Ungrouped, DemographicValue::Group),
                ))
            }
            DemographicKind::Age => {
                let age: u32 = cell.parse().map_err(|_| format!("'{cell}' is not an age in whole years"))?;
                if age > 120 {
                    return Err(format!("age {age} is out of range (0 to 120)"));
                }
                Ok(Some(
                    self.groups
                        .iter()
                        .position(|group| {
                            group.min.is_none_or(|min| age >= min) && group.max.is_none_or(|max| age <= max)
                        })
                        .map_or(DemographicValue::Ungrouped, DemographicValue::Group),
                ))
            }
            DemographicKind::Category => {
                if let Some(index) =
                    self.groups.iter().position(|group| group.codes.iter().any(|code| code.eq_ignore_ascii_case(cell)))
                {
                    return Ok(Some(DemographicValue::Group(index)));
                }
                if self.other_codes.iter().any(|code| code.eq_ignore_ascii_case(cell)) {
                    return Ok(Some(DemographicValue::Ungrouped));
                }
                Err(format!("'{cell}' is not an answer code of {}", self.id))
            }
        }
    }
}

/// A subgroup defined by an answer to a question (victims: q2 = Yes).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerGroup {
    pub id: String,
    pub label: String,
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Margin {
    pub demographic: String,
    /// Group id → population share; the shares sum to 1.
    pub targets: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weighting {
    /// Where the population figures come from.
    pub source: String,
    pub margins: Vec<Margin>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentSampling {
    /// How many comments to show per score band.
    pub per_band: usize,
    /// Upper bounds of the score bands, inclusive (e.g. [3, 6, 10]: 1–3, 4–6, 7–10).
    pub bands: Vec<u32>,
}

/// A validated survey definition.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    pub id: String,
    pub title: String,
    pub version: u32,
    /// The population the sample is drawn from (for the margin of error).
    pub population: Option<u64>,
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// The column holding the respondent's id.
    pub respondent_column: String,
    pub questions: Vec<Question>,
    #[serde(default)]
    pub demographics: Vec<Demographic>,
    #[serde(default)]
    pub answer_groups: Vec<AnswerGroup>,
    /// Demographic and answer-group ids, in the order a report breaks results down.
    #[serde(default)]
    pub breakdowns: Vec<String>,
    pub weighting: Option<Weighting>,
    pub comments: Option<CommentSampling>,
}

fn default_confidence() -> f64 {
    0.95
}

impl Survey {
    /// Parses and validates a definition; errors name the question or field at fault.
    pub fn parse(text: &str, areas: &PostcodeAreas) -> Result<Survey, Error> {
        let survey: Survey = toml::from_str(text).map_err(|error| Error::definition(error.to_string()))?;
        survey.validate(areas)?;
        Ok(survey)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|question| question.id == id)
    }

    pub fn demographic(&self, id: &str) -> Option<&Demographic> {
        self.demographics.iter().find(|demographic| demographic.id == id)
    }

    /// Every column the definition reads, in definition order.
    pub fn columns(&self) -> Vec<&str> {
        let mut columns = vec![self.respondent_column.as_str()];
        for question in &self.questions {
            columns.extend(question.columns());
        }
        columns.extend(self.demographics.iter().map(|demographic| demographic.column.as_str()));
        columns
    }

    fn validate(&self, areas: &PostcodeAreas) -> Result<(), Error> {
        let fail = |message: String| Err(Error::definition(message));
        if !(0.5..1.0).contains(&self.confidence) {
            return fail(format!("confidence {} is not between 0.5 and 1", self.confidence));
        }
        let mut ids = BTreeSet::new();
        for question in &self.questions {
            let id = &question.id;
            if !ids.insert(id.as_str()) {
                return fail(format!("question id '{id}' is used twice"));
            }
            let mut codes = BTreeSet::new();
            for option in &question.options {
                if !codes.insert(option.code().to_ascii_lowercase()) {
                    return fail(format!("question {id}: answer code '{}' is used twice", option.code()));
                }
            }
            match question.kind {
                QuestionKind::Scale => {
                    let (Some(min), Some(max)) = (question.min, question.max) else {
                        return fail(format!("question {id}: a scale needs min and max"));
                    };
                    if min >= max {
                        return fail(format!("question {id}: scale min {min} is not below max {max}"));
                    }
                    if question.column.is_none() {
                        return fail(format!("question {id}: a scale needs a column"));
                    }
                }
                QuestionKind::Single => {
                    if question.column.is_none() || question.options.is_empty() {
                        return fail(format!("question {id}: a single choice needs a column and options"));
                    }
                }
                QuestionKind::Multi => {
                    let per_column = question.options.iter().all(|option| option.column.is_some());
                    let delimited = question.column.is_some()
                        && question.delimiter.is_some()
                        && question.options.iter().all(|option| option.column.is_none());
                    if question.options.is_empty() || per_column == delimited {
                        return fail(format!(
                            "question {id}: a multi-select needs options, and either a column per option or one column with a delimiter"
                        ));
                    }
                }
                QuestionKind::FreeText => {
                    if question.column.is_none() {
                        return fail(format!("question {id}: free text needs a column"));
                    }
                    if let Some(score) = &question.score_question
                        && self.question(score).is_none_or(|score| score.kind != QuestionKind::Scale)
                    {
                        return fail(format!("question {id}: score_question '{score}' is not a scale question"));
                    }
                }
            }
        }
        let mut columns = BTreeSet::new();
        for column in self.columns() {
            if !columns.insert(column) {
                return fail(format!("column '{column}' is read twice"));
            }
        }
        let mut group_ids = BTreeSet::new();
        for demographic in &self.demographics {
            if !ids.insert(demographic.id.as_str()) {
                return fail(format!("demographic id '{}' is already used", demographic.id));
            }
            for group in &demographic.groups {
                if !group_ids.insert(group.id.as_str()) {
                    return fail(format!("demographic {}: group id '{}' is used twice", demographic.id, group.id));
                }
                if demographic.kind == DemographicKind::PostcodeDistrict && !areas.areas.contains_key(&group.id) {
                    return fail(format!(
                        "demographic {}: group '{}' is not an area of the postcode-areas lookup (areas: {})",
                        demographic.id,
                        group.id,
                        areas.areas.keys().cloned().collect::<Vec<_>>().join(", ")
                    ));
                }
                if demographic.kind == DemographicKind::Age && group.min.is_none() && group.max.is_none() {
                    return fail(format!("demographic {}: age band '{}' needs min or max", demographic.id, group.id));
                }
            }
            if demographic.kind == DemographicKind::Age {
                for age in 0..=120 {
                    let bands = demographic
                        .groups
                        .iter()
                        .filter(|group| {
                            group.min.is_none_or(|min| age >= min) && group.max.is_none_or(|max| age <= max)
                        })
                        .count();
                    if bands > 1 {
                        return fail(format!("demographic {}: age {age} is in more than one band", demographic.id));
                    }
                }
            }
        }
        for group in &self.answer_groups {
            if !group_ids.insert(group.id.as_str()) {
                return fail(format!("answer group id '{}' is already used", group.id));
            }
            let Some(question) = self.question(&group.question) else {
                return fail(format!("answer group {}: no question '{}'", group.id, group.question));
            };
            if question.kind != QuestionKind::Single || question.option_index(&group.answer).is_none() {
                return fail(format!(
                    "answer group {}: '{}' is not an answer of single-choice question {}",
                    group.id, group.answer, group.question
                ));
            }
        }
        for breakdown in &self.breakdowns {
            if self.demographic(breakdown).is_none() && !self.answer_groups.iter().any(|group| &group.id == breakdown) {
                return fail(format!("breakdown '{breakdown}' is neither a demographic nor an answer group"));
            }
        }
        if let Some(weighting) = &self.weighting {
            for margin in &weighting.margins {
                let Some(demographic) = self.demographic(&margin.demographic) else {
                    return fail(format!("weighting: no demographic '{}'", margin.demographic));
                };
                for group in &demographic.groups {
                    if !margin.targets.contains_key(&group.id) {
                        return fail(format!("weighting {}: no target for group '{}'", margin.demographic, group.id));
                    }
                }
                for key in margin.targets.keys() {
                    if !demographic.groups.iter().any(|group| &group.id == key) {
                        return fail(format!("weighting {}: '{key}' is not a group of it", margin.demographic));
                    }
                }
                let total: f64 = margin.targets.values().sum();
                if (total - 1.0).abs() > 1e-6 {
                    return fail(format!("weighting {}: targets sum to {total}, not 1", margin.demographic));
                }
            }
        }
        if let Some(comments) = &self.comments
            && (comments.bands.is_empty() || comments.bands.windows(2).any(|pair| pair[0] >= pair[1]))
        {
            return fail("comments: bands must be increasing upper bounds".to_string());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APS: &str = include_str!("../../../../definitions/surveys/annual-policing-survey-2019.toml");

    #[test]
    fn builtin_definitions_parse() {
        let areas = PostcodeAreas::builtin();
        assert_eq!(areas.area_of("me14 5xx"), Some("urban"));
        assert_eq!(areas.area_of("CT9"), Some("coastal"));
        assert_eq!(areas.area_of("TN27"), Some("rural"));
        assert_eq!(areas.area_of("SW1A"), None);
        let survey = Survey::parse(APS, &areas).unwrap();
        assert_eq!(survey.question("q4").unwrap().options.len(), 17);
        let age = survey.demographic("age").unwrap();
        assert_eq!(age.classify("35", &areas), Ok(Some(DemographicValue::Group(0))));
        assert_eq!(age.classify("36", &areas), Ok(Some(DemographicValue::Group(1))));
        assert_eq!(age.classify("66", &areas), Ok(Some(DemographicValue::Group(2))));
        assert!(age.classify("forty", &areas).is_err());
        let ethnicity = survey.demographic("ethnicity").unwrap();
        assert_eq!(ethnicity.classify("white - irish", &areas), Ok(Some(DemographicValue::Group(0))));
        assert_eq!(ethnicity.classify("Indian", &areas), Ok(Some(DemographicValue::Group(1))));
        assert_eq!(ethnicity.classify("", &areas), Ok(None));
        assert!(ethnicity.classify("Martian", &areas).unwrap_err().contains("'Martian' is not an answer code"));
        assert!(survey.demographic("area").unwrap().classify("SW1A", &areas).is_err());
    }

    #[test]
    fn bad_definitions_name_what_is_wrong() {
        let areas = PostcodeAreas::builtin();
        let cases = [
            (
                APS.replace(
                    "min = 1\nmax = 10\n\n[[questions]]\nid = \"q2\"",
                    "min = 10\nmax = 1\n\n[[questions]]\nid = \"q2\"",
                ),
                "question q1: scale min 10 is not below max 1",
            ),
            (APS.replace("id = \"q8\"", "id = \"q7\""), "question id 'q7' is used twice"),
            (APS.replace("answer = \"Yes\"", "answer = \"Maybe\""), "answer group victims: 'Maybe' is not an answer"),
            (
                APS.replace("{ id = \"coastal\", label = \"Coastal\" }", "{ id = \"seaside\", label = \"Coastal\" }"),
                "group 'seaside' is not an area",
            ),
            (APS.replace("male = 0.487", "male = 0.5"), "weighting sex: targets sum to"),
            (APS.replace("breakdowns = [\"area\"", "breakdowns = [\"region\""), "breakdown 'region'"),
        ];
        for (text, expected) in cases {
            let error = Survey::parse(&text, &areas).unwrap_err();
            assert!(error.message().contains(expected), "{} does not say {expected}", error.message());
        }
        let twice = "id = \"x\"\nversion = 1\n[areas]\nurban = [\"ME1\"]\nrural = [\"me1\"]\n";
        assert!(PostcodeAreas::parse(twice).unwrap_err().message().contains("ME1 is listed under both"));
    }
}
