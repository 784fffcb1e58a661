//! The Police and Crime Panel's side as pure rules: questions to the
//! Commissioner (submitted by a member, answered by the office, published)
//! and the panel's forward work programme, with the checks of their forms.
//!
//! Seed 003 is the model: a member's written question is printed with the
//! member's name and council in brackets, the Commissioner's answer as
//! numbered paragraphs (numbered on through the item), and the work
//! programme in the seed's sections.

use std::fmt;
use std::str::FromStr;

use crate::Error;
use crate::governance::{Date, FieldErrors, LONG, SHORT};

/// Where a panel question is: a member submits it, the office records the
/// Commissioner's answer (revisable until publication), the office publishes
/// question and answer together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelQuestionState {
    Submitted,
    Answered,
    Published,
}

impl PanelQuestionState {
    pub const ALL: [PanelQuestionState; 3] =
        [PanelQuestionState::Submitted, PanelQuestionState::Answered, PanelQuestionState::Published];

    pub fn as_str(self) -> &'static str {
        match self {
            PanelQuestionState::Submitted => "submitted",
            PanelQuestionState::Answered => "answered",
            PanelQuestionState::Published => "published",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PanelQuestionState::Submitted => "Submitted",
            PanelQuestionState::Answered => "Answered",
            PanelQuestionState::Published => "Published",
        }
    }

    /// The state after the Commissioner's answer is recorded.
    pub fn answer(self) -> Result<PanelQuestionState, Error> {
        match self {
            PanelQuestionState::Submitted | PanelQuestionState::Answered => Ok(PanelQuestionState::Answered),
            PanelQuestionState::Published => Err(transition("a published panel question", "answered again")),
        }
    }

    /// The state after publication; only an answered question can be published.
    pub fn publish(self) -> Result<PanelQuestionState, Error> {
        match self {
            PanelQuestionState::Answered => Ok(PanelQuestionState::Published),
            PanelQuestionState::Submitted => Err(transition("a panel question without an answer", "published")),
            PanelQuestionState::Published => Err(transition("a published panel question", "published again")),
        }
    }

    /// Whether the question's own text may still be changed.
    pub fn question_editable(self) -> bool {
        self == PanelQuestionState::Submitted
    }
}

impl fmt::Display for PanelQuestionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PanelQuestionState {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        PanelQuestionState::ALL
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| Error::parse(format!("'{text}' is not a panel question state")))
    }
}

fn transition(what: &str, verb: &str) -> Error {
    Error::new(crate::ErrorKind::Transition, format!("{what} cannot be {verb}"))
}

/// A panel question as typed into the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PanelQuestionForm {
    /// The member's name as it is to be printed ("Ashley Clark").
    pub member_name: String,
    /// The member's authority as it is to be printed ("Canterbury City Council").
    pub member_authority: String,
    pub question: String,
    /// Plan priorities the question refers to, as `plan-id/priority-id`.
    pub priorities: Vec<String>,
}

/// A panel question that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelQuestionFields {
    pub member_name: String,
    pub member_authority: String,
    pub question: String,
    pub priorities: Vec<String>,
}

impl PanelQuestionForm {
    /// Checks the form; `known_priorities` are the `plan-id/priority-id` keys of the plans.
    pub fn validate(&self, known_priorities: &[String]) -> Result<PanelQuestionFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        errors.required("member_name", &self.member_name, "the member's name", SHORT);
        errors.required("member_authority", &self.member_authority, "the member's council or authority", SHORT);
        errors.required("question", &self.question, "the question", LONG);
        let mut priorities: Vec<String> = Vec::new();
        for priority in &self.priorities {
            let priority = priority.trim();
            if priority.is_empty() || priorities.iter().any(|known| known == priority) {
                continue;
            }
            if !known_priorities.iter().any(|known| known == priority) {
                errors.add("priorities", format!("'{priority}' is not a priority of a plan"));
            }
            priorities.push(priority.to_string());
        }
        errors.into_result(PanelQuestionFields {
            member_name: self.member_name.trim().to_string(),
            member_authority: self.member_authority.trim().to_string(),
            question: self.question.trim().to_string(),
            priorities,
        })
    }
}

/// The Commissioner's answer as typed; numbered points are allowed.
pub fn validate_panel_answer(answer: &str) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::default();
    errors.required("answer", answer, "the Commissioner's answer", LONG);
    if errors.is_empty() && answer_points(answer).is_empty() {
        errors.add("answer", "the Commissioner's answer has no text, only numbers");
    }
    errors.into_result(answer.trim().to_string())
}

/// The paragraphs of an answer, without the numbers typed before them: a
/// paragraph is a line that starts with a number ("1." or "2)") or a block
/// of lines after a blank line. The documents number them on through the item.
pub fn answer_points(answer: &str) -> Vec<String> {
    let mut points: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let flush = |current: &mut Vec<&str>, points: &mut Vec<String>| {
        let text = current.join(" ");
        let text = text.trim();
        if !text.is_empty() {
            points.push(text.to_string());
        }
        current.clear();
    };
    for line in answer.lines() {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut current, &mut points);
            continue;
        }
        if let Some(rest) = strip_number(line) {
            flush(&mut current, &mut points);
            current.push(rest);
        } else {
            current.push(line);
        }
    }
    flush(&mut current, &mut points);
    points
}

/// The line without a leading "12." or "12)", if it has one.
fn strip_number(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = &line[digits..];
    let rest = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')'))?;
    (rest.is_empty() || rest.starts_with(' ')).then(|| rest.trim_start())
}

/// Where an entry of the forward work programme sits, as the seed's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WorkProgrammeSection {
    /// A meeting date with its note ("Budget and Precept meeting").
    MeetingDate,
    /// "Items provisionally planned for future consideration".
    ProvisionallyPlanned,
    /// "Standard items at each meeting".
    StandardItem,
    /// "Items to consider at each meeting when available".
    ToConsider,
    /// "Items to note at each meeting when available".
    ToNote,
}

impl WorkProgrammeSection {
    pub const ALL: [WorkProgrammeSection; 5] = [
        WorkProgrammeSection::MeetingDate,
        WorkProgrammeSection::ProvisionallyPlanned,
        WorkProgrammeSection::StandardItem,
        WorkProgrammeSection::ToConsider,
        WorkProgrammeSection::ToNote,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkProgrammeSection::MeetingDate => "meeting-date",
            WorkProgrammeSection::ProvisionallyPlanned => "provisionally-planned",
            WorkProgrammeSection::StandardItem => "standard-item",
            WorkProgrammeSection::ToConsider => "to-consider",
            WorkProgrammeSection::ToNote => "to-note",
        }
    }

    /// The heading the seed gives the section.
    pub fn label(self) -> &'static str {
        match self {
            WorkProgrammeSection::MeetingDate => "Meeting dates",
            WorkProgrammeSection::ProvisionallyPlanned => "Items provisionally planned for future consideration",
            WorkProgrammeSection::StandardItem => "Standard items at each meeting",
            WorkProgrammeSection::ToConsider => "Items to consider at each meeting when available",
            WorkProgrammeSection::ToNote => "Items to note at each meeting when available",
        }
    }

    /// Whether an entry of the section is at every meeting (so has no date).
    pub fn each_meeting(self) -> bool {
        matches!(
            self,
            WorkProgrammeSection::StandardItem | WorkProgrammeSection::ToConsider | WorkProgrammeSection::ToNote
        )
    }
}

impl FromStr for WorkProgrammeSection {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        WorkProgrammeSection::ALL
            .into_iter()
            .find(|section| section.as_str() == text)
            .ok_or_else(|| Error::parse(format!("'{text}' is not a section of the work programme")))
    }
}

/// What became of a work programme entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkProgrammeStatus {
    Planned,
    Considered,
    Withdrawn,
}

impl WorkProgrammeStatus {
    pub const ALL: [WorkProgrammeStatus; 3] =
        [WorkProgrammeStatus::Planned, WorkProgrammeStatus::Considered, WorkProgrammeStatus::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkProgrammeStatus::Planned => "planned",
            WorkProgrammeStatus::Considered => "considered",
            WorkProgrammeStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkProgrammeStatus::Planned => "Planned",
            WorkProgrammeStatus::Considered => "Considered",
            WorkProgrammeStatus::Withdrawn => "Withdrawn",
        }
    }
}

impl FromStr for WorkProgrammeStatus {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        WorkProgrammeStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
            .ok_or_else(|| Error::parse(format!("'{text}' is not a status (planned, considered or withdrawn)")))
    }
}

/// A work programme entry as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkProgrammeForm {
    /// The panel meeting's date, or empty for "each meeting".
    pub meeting_date: String,
    pub section: String,
    pub title: String,
    pub notes: String,
    pub status: String,
}

/// A work programme entry that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkProgrammeFields {
    /// `None` is "each meeting" (or, for an item provisionally planned, not yet given a meeting).
    pub meeting_date: Option<Date>,
    pub section: WorkProgrammeSection,
    pub title: String,
    pub notes: String,
    pub status: WorkProgrammeStatus,
}

impl WorkProgrammeForm {
    pub fn validate(&self) -> Result<WorkProgrammeFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        let section = match self.section.parse::<WorkProgrammeSection>() {
            Ok(section) => Some(section),
            Err(_) => {
                errors.add("section", "choose the section of the work programme");
                None
            }
        };
        let meeting_date = match section {
            Some(WorkProgrammeSection::MeetingDate) => errors.date("meeting_date", &self.meeting_date, true),
            Some(section) if section.each_meeting() => {
                if !self.meeting_date.trim().is_empty() {
                    errors.add("meeting_date", "an item at each meeting has no date: leave the date empty");
                }
                None
            }
            _ => errors.date("meeting_date", &self.meeting_date, false),
        };
        errors.required("title", &self.title, "the title", SHORT);
        errors.optional("notes", &self.notes, "the notes", LONG);
        let status = if self.status.trim().is_empty() {
            Some(WorkProgrammeStatus::Planned)
        } else {
            match self.status.parse::<WorkProgrammeStatus>() {
                Ok(status) => Some(status),
                Err(error) => {
                    errors.add("status", error.message().to_string());
                    None
                }
            }
        };
        let (Some(section), Some(status)) = (section, status) else { return Err(errors) };
        errors.into_result(WorkProgrammeFields {
            meeting_date,
            section,
            title: self.title.trim().to_string(),
            notes: self.notes.trim().to_string(),
            status,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panel_question_goes_submitted_answered_published() {
        let answered = PanelQuestionState::Submitted.answer().unwrap();
        assert_eq!(answered, PanelQuestionState::Answered);
        assert_eq!(answered.answer().unwrap(), PanelQuestionState::Answered, "an answer may be revised");
        assert_eq!(answered.publish().unwrap(), PanelQuestionState::Published);
        let error = PanelQuestionState::Submitted.publish().unwrap_err();
        assert_eq!(error.message(), "a panel question without an answer cannot be published");
        assert!(PanelQuestionState::Published.answer().is_err());
        assert!(PanelQuestionState::Published.publish().is_err());
        assert!(PanelQuestionState::Submitted.question_editable());
        assert!(!PanelQuestionState::Answered.question_editable());
        for state in PanelQuestionState::ALL {
            assert_eq!(state.as_str().parse::<PanelQuestionState>().unwrap(), state);
        }
    }

    #[test]
    fn a_panel_question_form_says_what_is_missing_field_by_field() {
        let errors = PanelQuestionForm { priorities: vec!["no/such".into()], ..Default::default() }
            .validate(&["plan/p2".to_string()])
            .unwrap_err();
        assert_eq!(errors.get("member_name"), Some("the member's name is required"));
        assert_eq!(errors.get("member_authority"), Some("the member's council or authority is required"));
        assert_eq!(errors.get("question"), Some("the question is required"));
        assert_eq!(errors.get("priorities"), Some("'no/such' is not a priority of a plan"));
        let fields = PanelQuestionForm {
            member_name: " Ashley Clark ".into(),
            member_authority: "Canterbury City Council".into(),
            question: "Can the Commissioner explain?".into(),
            priorities: vec!["plan/p2".into(), "plan/p2".into(), String::new()],
        }
        .validate(&["plan/p2".to_string()])
        .unwrap();
        assert_eq!(fields.member_name, "Ashley Clark");
        assert_eq!(fields.priorities, vec!["plan/p2".to_string()]);
    }

    #[test]
    fn an_answer_is_read_as_numbered_points() {
        let typed = "1. The Commissioner explained\nthat he did not set targets.\n2) He reassured the Panel.\n\nA last paragraph.";
        assert_eq!(
            answer_points(typed),
            vec![
                "The Commissioner explained that he did not set targets.".to_string(),
                "He reassured the Panel.".to_string(),
                "A last paragraph.".to_string(),
            ]
        );
        assert_eq!(answer_points("2024 was a year."), vec!["2024 was a year.".to_string()], "a year is not a number");
        assert_eq!(
            validate_panel_answer("  ").unwrap_err().get("answer"),
            Some("the Commissioner's answer is required")
        );
        assert!(validate_panel_answer("1.").is_err());
    }

    #[test]
    fn a_work_programme_entry_is_dated_unless_it_is_at_each_meeting() {
        let meeting = WorkProgrammeForm {
            section: "meeting-date".into(),
            title: "Budget and Precept meeting".into(),
            ..Default::default()
        };
        assert_eq!(meeting.validate().unwrap_err().get("meeting_date"), Some("a date is required (YYYY-MM-DD)"));
        let standard = WorkProgrammeForm {
            section: "standard-item".into(),
            meeting_date: "2020-06-18".into(),
            title: "Questions to the Commissioner".into(),
            ..Default::default()
        };
        assert_eq!(
            standard.validate().unwrap_err().get("meeting_date"),
            Some("an item at each meeting has no date: leave the date empty")
        );
        let planned = WorkProgrammeForm {
            section: "provisionally-planned".into(),
            title: "Hate Crime Victim Satisfaction".into(),
            ..Default::default()
        };
        let fields = planned.validate().unwrap();
        assert_eq!((fields.meeting_date, fields.status), (None, WorkProgrammeStatus::Planned));
        let errors = WorkProgrammeForm { section: "x".into(), status: "done".into(), ..Default::default() }
            .validate()
            .unwrap_err();
        assert_eq!(errors.get("section"), Some("choose the section of the work programme"));
        assert_eq!(errors.get("title"), Some("the title is required"));
        assert_eq!(errors.get("status"), Some("'done' is not a status (planned, considered or withdrawn)"));
    }
}
