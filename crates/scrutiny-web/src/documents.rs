//! The documents the workflow writes, served as HTML and PDF: a meeting's
//! "Questions asked by the PCC" and its notes, and a Record of Decision. The
//! records are read from the store into `scrutiny_report::governance`'s
//! plain records; laying them out is the report crate's, typesetting the PDF
//! `scrutiny-pdf`'s (on a blocking thread: Typst is CPU-bound).

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use scrutiny_core::governance::{
    ActionStatus, Date, QuestionState, Signatory, action_status_on, gives_action_update, notes_cutoff,
};
use scrutiny_report::governance::{
    self as documents, ActionRecord, AgendaRecord, DecisionRecord, DischargeRecord, Document, MeetingRecord,
    QuestionRecord, SignOffRecord,
};
use scrutiny_store::governance::{Action, ActionFilter, Meeting, MeetingFilter};

use crate::pages::today;
use crate::records::{objective_label, readable_decision};
use crate::{AppError, AppState, Viewer, html_response};

fn meeting_record(meeting: &Meeting) -> MeetingRecord {
    MeetingRecord {
        title: meeting.title.clone(),
        date: meeting.date,
        venue: meeting.venue.clone(),
        attendees: meeting.attendees.clone(),
    }
}

/// An action as the notes whose cutoff is `cutoff` show it
/// ([`notes_cutoff`]): one discharged later is printed open, without its discharge.
fn action_record(action: &Action, raised_at: Option<&Meeting>, cutoff: Option<Date>) -> ActionRecord {
    let status = action_status_on(action.status, action.discharged_at.as_deref().and_then(date_of), cutoff);
    let discharge = match (&action.discharge_note, action.discharged_where) {
        (Some(note), Some(place)) if status == ActionStatus::Discharged => Some(DischargeRecord {
            note: note.clone(),
            place,
            reference: action.discharged_reference.clone().unwrap_or_default(),
        }),
        _ => None,
    };
    ActionRecord {
        text: action.text.clone(),
        owner: action.owner.clone(),
        due: action.due,
        status,
        progress: action.progress.clone(),
        discharge,
        raised_at: raised_at.map(|meeting| (meeting.title.clone(), meeting.date)),
    }
}

/// The date part of a stored timestamp ("2024-09-12T10:00:00Z").
fn date_of(timestamp: &str) -> Option<Date> {
    timestamp.get(..10).and_then(|date| date.parse().ok())
}

async fn questions_document(state: &AppState, id: i64) -> Result<Document, AppError> {
    let governance = state.governance();
    let meeting = governance.meeting(id).await?;
    let questions: Vec<QuestionRecord> = governance
        .questions(Some(id), false)
        .await?
        .into_iter()
        .map(|question| QuestionRecord {
            paper: question.paper,
            priority: question.priority,
            question: question.text,
            response: question.response,
            published: question.state == QuestionState::Published,
        })
        .collect();
    Ok(documents::questions_document(&meeting_record(&meeting), &questions))
}

async fn notes_document(state: &AppState, id: i64) -> Result<Document, AppError> {
    let governance = state.governance();
    let meeting = governance.meeting(id).await?;
    let agenda: Vec<AgendaRecord> = governance
        .agenda(id)
        .await?
        .into_iter()
        .map(|item| AgendaRecord { position: item.position, title: item.title, paper: item.paper })
        .collect();
    let questions = governance.questions(Some(id), false).await?.len();
    // Earlier meetings of the same kind: the one just before, and where each carried action was raised.
    let meetings = governance.meetings(&MeetingFilter { kind: Some(meeting.kind), ..MeetingFilter::default() }).await?;
    let previous = meetings
        .iter()
        .filter(|other| other.id != meeting.id && other.date < meeting.date)
        .map(|other| other.date)
        .max();
    let next = meetings
        .iter()
        .filter(|other| other.id != meeting.id && other.date > meeting.date)
        .map(|other| other.date)
        .min();
    // What these notes show, and where the window of the notes before them ended.
    let cutoff = notes_cutoff(meeting.date, next);
    let previous_cutoff = previous.and_then(|previous| notes_cutoff(previous, Some(meeting.date)));
    let actions = governance.actions(&ActionFilter::default()).await?;
    let raised: Vec<ActionRecord> = actions
        .iter()
        .filter(|action| action.meeting_id == id)
        .map(|action| action_record(action, None, cutoff))
        .collect();
    let carried: Vec<ActionRecord> = actions
        .iter()
        .filter(|action| action.meeting_id != id)
        .filter_map(|action| {
            let raised_at = meetings.iter().find(|other| other.id == action.meeting_id)?;
            let discharged_on = action.discharged_at.as_deref().and_then(date_of);
            let status = action_status_on(action.status, discharged_on, cutoff);
            gives_action_update(status, discharged_on, raised_at.date, meeting.date, previous_cutoff)
                .then(|| action_record(action, Some(raised_at), cutoff))
        })
        .collect();
    let mut carried = carried;
    // Open ones first, as the action log reads; each group in the order raised.
    carried.sort_by_key(|action| action.status != ActionStatus::Open);
    Ok(documents::notes_document(&meeting_record(&meeting), &agenda, questions, &carried, &raised))
}

async fn decision_document(state: &AppState, viewer: &Viewer, id: i64) -> Result<Document, AppError> {
    let decision = readable_decision(state, viewer, id).await?;
    let signoffs = Signatory::ORDER
        .into_iter()
        .map(|signatory| SignOffRecord {
            office: signatory.label().to_string(),
            signed: decision
                .signoffs
                .iter()
                .find(|signoff| signoff.signatory == signatory)
                .map(|signoff| (signoff.name.clone(), signoff.comment.clone(), signoff.signed_on)),
        })
        .collect();
    let record = DecisionRecord {
        reference: decision.reference.to_string(),
        revision: decision.revision,
        state: decision.state.label().to_string(),
        originator: decision.originator.clone(),
        title: decision.title.clone(),
        executive_summary: decision.executive_summary.clone(),
        recommendation: decision.recommendation.clone(),
        decision: decision.decision.clone(),
        confidential: decision.disclosure == scrutiny_core::governance::Disclosure::Confidential,
        confidential_reason: decision.confidential_reason.clone(),
        signoffs,
        objectives: decision.objectives.iter().map(|key| objective_label(key)).collect(),
        objectives_statement: decision.objectives_statement.clone(),
        equality_impact: decision.equality_impact.clone(),
    };
    Ok(documents::decision_document(&record))
}

pub(crate) fn html(document: &Document) -> Response {
    html_response(documents::html::render(document))
}

pub(crate) async fn pdf(state: &AppState, document: Document, file_name: String) -> Result<Response, AppError> {
    let today = today(state).to_string();
    let (year, month, day) =
        (today[..4].parse().unwrap_or(1970), today[5..7].parse().unwrap_or(1), today[8..10].parse().unwrap_or(1));
    let bytes = tokio::task::spawn_blocking(move || scrutiny_pdf::governance(&document, (year, month, day)))
        .await
        .map_err(|error| AppError::internal(format!("typesetting a document: {error}")))?
        .map_err(|error| AppError::internal(error.to_string()))?;
    let disposition = format!("inline; filename=\"{file_name}\"");
    Ok(([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

pub async fn questions_html(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    Ok(html(&questions_document(&state, id).await?))
}

pub async fn questions_pdf(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let document = questions_document(&state, id).await?;
    pdf(&state, document, format!("meeting-{id}-questions.pdf")).await
}

pub async fn notes_html(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    Ok(html(&notes_document(&state, id).await?))
}

pub async fn notes_pdf(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let document = notes_document(&state, id).await?;
    pdf(&state, document, format!("meeting-{id}-notes.pdf")).await
}

pub async fn decision_html(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    Ok(html(&decision_document(&state, &viewer, id).await?))
}

pub async fn decision_pdf(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let document = decision_document(&state, &viewer, id).await?;
    pdf(&state, document, format!("decision-{id}.pdf")).await
}
