//! The portal's Police and Crime Panel datasets: published questions to the
//! Commissioner with their answers, and the forward work programme (its
//! withdrawn entries left out). As the rest of the portal, one `*_rows`
//! function each decides what is public, and the page, CSV, JSON, API and
//! Atom feed print those rows. A member's name and council are public as the
//! panel's minutes print them; the account that submitted the question, its
//! e-mail and who recorded the answer never are.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use scrutiny_core::panel::{PanelQuestionState, answer_points};
use scrutiny_store::governance::PanelQuestionFilter;

use crate::portal::{Entry, atom, atom_time, csv_response, dataset, date_part, meeting_titles, render, scrub, short};
use crate::records::objective_label;
use crate::views::Layout;
use crate::{AppError, AppState, Viewer};

/// A published question to the Commissioner with his answer.
#[derive(Debug, Clone, Serialize)]
pub struct PublicPanelQuestion {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting: String,
    pub meeting_date: String,
    pub member_name: String,
    pub member_authority: String,
    pub question: String,
    /// The plan priorities referred to, separated by "; ".
    pub priorities: String,
    /// The answer's paragraphs, separated by a blank line.
    pub answer: String,
    pub published_on: String,
}

pub(crate) async fn panel_question_rows(state: &AppState) -> Result<Vec<PublicPanelQuestion>, AppError> {
    let meetings = meeting_titles(state).await?;
    let filter = PanelQuestionFilter { state: Some(PanelQuestionState::Published), ..Default::default() };
    let mut rows = Vec::new();
    for question in state.governance().panel_questions(&filter).await? {
        // The store's filter, and again here: only a published question with its answer.
        let (PanelQuestionState::Published, Some(answer)) = (question.state, question.answer.as_ref()) else {
            continue;
        };
        let (meeting, meeting_date) = meetings.get(&question.meeting_id).cloned().unwrap_or_default();
        rows.push(PublicPanelQuestion {
            id: question.id,
            meeting_id: question.meeting_id,
            meeting,
            meeting_date,
            member_name: scrub(&question.member_name),
            member_authority: scrub(&question.member_authority),
            question: scrub(&question.question),
            priorities: question.priorities.iter().map(|key| objective_label(key)).collect::<Vec<_>>().join("; "),
            answer: answer_points(&scrub(answer)).join("\n\n"),
            published_on: question.published_at.as_deref().map(date_part).unwrap_or_default(),
        });
    }
    Ok(rows)
}

/// An entry of the panel's forward work programme.
#[derive(Debug, Clone, Serialize)]
pub struct PublicWorkProgrammeEntry {
    pub id: i64,
    /// Empty for an item at each meeting.
    pub meeting_date: String,
    pub section: String,
    pub section_label: String,
    pub title: String,
    pub notes: String,
    pub status: String,
}

pub(crate) async fn work_programme_rows(state: &AppState) -> Result<Vec<PublicWorkProgrammeEntry>, AppError> {
    Ok(state
        .governance()
        .work_programme(false)
        .await?
        .into_iter()
        .map(|entry| PublicWorkProgrammeEntry {
            id: entry.id,
            meeting_date: entry.meeting_date.map(|date| date.to_string()).unwrap_or_default(),
            section: entry.section.as_str().to_string(),
            section_label: entry.section.label().to_string(),
            title: scrub(&entry.title),
            notes: scrub(&entry.notes),
            status: entry.status.as_str().to_string(),
        })
        .collect())
}

const PANEL_QUESTIONS: &str = "Questions members of the Police and Crime Panel put to the Commissioner, with the Commissioner's answers, as published.";
const WORK_PROGRAMME: &str = "The Police and Crime Panel's forward work programme: meeting dates, items planned, standard items at each meeting, and items to consider or note when available.";
const PANEL_QUESTION_COLUMNS: &[&str] = &[
    "id",
    "meeting_id",
    "meeting",
    "meeting_date",
    "member_name",
    "member_authority",
    "question",
    "priorities",
    "answer",
    "published_on",
];
const WORK_PROGRAMME_COLUMNS: &[&str] = &["id", "meeting_date", "section", "section_label", "title", "notes", "status"];

pub async fn panel_questions_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    csv_response("panel-questions", &panel_question_rows(&state).await?, PANEL_QUESTION_COLUMNS)
}

pub async fn panel_questions_json(State(state): State<AppState>) -> Result<Response, AppError> {
    dataset("panel-questions", PANEL_QUESTIONS, &panel_question_rows(&state).await?)
}

pub async fn work_programme_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    csv_response("work-programme", &work_programme_rows(&state).await?, WORK_PROGRAMME_COLUMNS)
}

pub async fn work_programme_json(State(state): State<AppState>) -> Result<Response, AppError> {
    dataset("work-programme", WORK_PROGRAMME, &work_programme_rows(&state).await?)
}

/// Answered questions to the Commissioner, as published.
pub async fn panel_questions_atom(State(state): State<AppState>) -> Result<Response, AppError> {
    let entries = panel_question_rows(&state)
        .await?
        .into_iter()
        .map(|question| Entry {
            id: format!("urn:scrutiny:panel-question:{}", question.id),
            title: format!("{} ({}): {}", question.member_name, question.member_authority, short(&question.question)),
            link: format!("/public/panel#panel-question-{}", question.id),
            updated: atom_time(&question.published_on),
            content: format!("Question: {}\n\nAnswer: {}", question.question, question.answer),
        })
        .collect();
    Ok(atom("panel/questions", "Questions to the Commissioner, answered", "/public/panel", entries))
}

pub struct PublicPanelQuestionView {
    pub row: PublicPanelQuestion,
    pub number: usize,
    pub points: Vec<(usize, String)>,
}

pub struct PublicSection {
    pub label: String,
    pub entries: Vec<PublicWorkProgrammeEntry>,
}

#[derive(Template)]
#[template(path = "public_panel.html")]
pub struct PanelPortalPage {
    pub layout: Layout,
    pub questions: Vec<PublicPanelQuestionView>,
    pub sections: Vec<PublicSection>,
}

pub async fn panel_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, AppError> {
    // Numbered as the minutes number them: questions and answer paragraphs on through each meeting.
    let mut questions = Vec::new();
    let (mut meeting, mut number, mut paragraph) = (None, 0, 0);
    for row in panel_question_rows(&state).await? {
        if meeting != Some(row.meeting_id) {
            (meeting, number, paragraph) = (Some(row.meeting_id), 0, 0);
        }
        number += 1;
        let points = row
            .answer
            .split("\n\n")
            .map(|point| {
                paragraph += 1;
                (paragraph, point.to_string())
            })
            .collect();
        questions.push(PublicPanelQuestionView { row, number, points });
    }
    let entries = work_programme_rows(&state).await?;
    let sections = scrutiny_core::panel::WorkProgrammeSection::ALL
        .into_iter()
        .map(|section| PublicSection {
            label: section.label().to_string(),
            entries: entries.iter().filter(|entry| entry.section == section.as_str()).cloned().collect(),
        })
        .filter(|section| !section.entries.is_empty())
        .collect();
    render(PanelPortalPage { layout: Layout::new("Police and Crime Panel", &viewer), questions, sections })
}
