//! The Police and Crime Panel's pages: questions to the Commissioner (a
//! member submits one for a panel meeting and sees their own; the office
//! records the Commissioner's answer and publishes it), the forward work
//! programme, and their documents as HTML and PDF. The panel officer works
//! as an OPCC administrator or editor. Every form goes through
//! [`submit`]: validate, then save or show the form again with the message
//! beside each wrong field and everything typed kept.

use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use scrutiny_core::governance::{FieldErrors, MeetingKind, Permission, Role};
use scrutiny_core::panel::{
    PanelQuestionForm, PanelQuestionState, WorkProgrammeForm, WorkProgrammeSection, WorkProgrammeStatus, answer_points,
    validate_panel_answer,
};
use scrutiny_report::governance::{
    self as documents, Document, MeetingRecord, PanelQuestionRecord, WorkProgrammeRecord,
};
use scrutiny_store::governance::{
    Actor, Meeting, MeetingFilter, PanelQuestion, PanelQuestionFilter, Saved, WorkProgrammeEntry,
};

use crate::pages::{account, today};
use crate::records::{
    OBJECTIVES, Pairs, known_objectives, objective_label, options, page, see, submit, value, version,
};
use crate::views::{FormView, Layout, Options, moment};
use crate::{AppError, AppState, Viewer};

/// Whether the viewer sees every panel question; others see the published
/// ones and those they submitted themselves.
fn sees_all(viewer: &Viewer) -> bool {
    viewer.role().may(Permission::AnswerPanelQuestion)
}

/// Whether the viewer's account submitted `question`.
fn submitted(viewer: &Viewer, question: &PanelQuestion) -> bool {
    viewer.session.as_ref().is_some_and(|session| session.user.id == question.submitted_by_id)
}

fn visible(viewer: &Viewer, question: &PanelQuestion) -> bool {
    sees_all(viewer) || question.state == PanelQuestionState::Published || submitted(viewer, question)
}

async fn panel_meetings(state: &AppState) -> Result<Vec<Meeting>, AppError> {
    Ok(state.governance().meetings(&MeetingFilter { kind: Some(MeetingKind::Panel), ..Default::default() }).await?)
}

pub struct PanelQuestionRow {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting: String,
    pub member: String,
    pub question: String,
    pub priorities: Vec<String>,
    pub state: &'static str,
    pub state_label: &'static str,
    /// The answer's paragraphs, numbered from 1 on this page.
    pub answer: Vec<String>,
    pub answer_text: String,
    pub submitted_by: String,
    pub submitted_at: String,
    pub answered: String,
    pub published_at: String,
    pub version: i64,
}

impl PanelQuestionRow {
    fn new(question: &PanelQuestion, meetings: &[Meeting]) -> PanelQuestionRow {
        let meeting = meetings
            .iter()
            .find(|meeting| meeting.id == question.meeting_id)
            .map(|meeting| format!("{} ({})", meeting.title, meeting.date))
            .unwrap_or_default();
        PanelQuestionRow {
            id: question.id,
            meeting_id: question.meeting_id,
            meeting,
            member: format!("{} – {}", question.member_name, question.member_authority),
            question: question.question.clone(),
            priorities: question.priorities.iter().map(|key| objective_label(key)).collect(),
            state: question.state.as_str(),
            state_label: question.state.label(),
            answer: question.answer.as_deref().map(answer_points).unwrap_or_default(),
            answer_text: question.answer.clone().unwrap_or_default(),
            submitted_by: question.submitted_by.clone(),
            submitted_at: moment(&question.submitted_at),
            answered: match (&question.answered_by, &question.answered_at) {
                (Some(by), Some(at)) => format!("{by}, {}", moment(at)),
                _ => String::new(),
            },
            published_at: question.published_at.as_deref().map(moment).unwrap_or_default(),
            version: question.version,
        }
    }
}

#[derive(Template)]
#[template(path = "panel.html")]
pub struct PanelPage {
    pub layout: Layout,
    pub questions: Vec<PanelQuestionRow>,
    pub meetings: Options,
    pub filter_meetings: Options,
    pub states: Options,
    pub q: String,
    pub sees_all: bool,
    pub can_submit: bool,
    pub form: FormView,
    pub priorities: Vec<(String, String, bool)>,
    pub panel_meeting_ids: Vec<(i64, String)>,
}

struct PanelExtras {
    form: FormView,
    meeting: String,
    chosen: Vec<String>,
}

/// What the list page shows, read before any form is checked so that
/// showing the form again needs no further reading.
struct PanelData {
    meetings: Vec<Meeting>,
    questions: Vec<PanelQuestion>,
    meeting_filter: Option<i64>,
    state_filter: Option<PanelQuestionState>,
    q: String,
}

async fn panel_data(state: &AppState, viewer: &Viewer, query: &Pairs) -> Result<PanelData, AppError> {
    let meetings = panel_meetings(state).await?;
    let meeting_filter = value(query, "meeting").parse::<i64>().ok();
    let state_filter = value(query, "state").parse::<PanelQuestionState>().ok();
    let q = value(query, "q").trim().to_string();
    let mut filter = PanelQuestionFilter {
        meeting_id: meeting_filter,
        state: state_filter,
        search: Some(q.clone()).filter(|q| !q.is_empty()),
        ..Default::default()
    };
    if !sees_all(viewer) {
        filter.published_or_submitted_by = Some(account(viewer)?.id);
    }
    let questions = state.governance().panel_questions(&filter).await?;
    Ok(PanelData { meetings, questions, meeting_filter, state_filter, q })
}

fn panel_page(
    viewer: &Viewer,
    data: &PanelData,
    extras: PanelExtras,
    status: StatusCode,
) -> Result<Response, AppError> {
    let meeting_options = |selected: &str| -> Options {
        data.meetings
            .iter()
            .map(|meeting| {
                let id = meeting.id.to_string();
                let chosen = id == selected;
                (id, format!("{} ({})", meeting.title, meeting.date), chosen)
            })
            .collect()
    };
    let filter_selected = data.meeting_filter.map(|id| id.to_string()).unwrap_or_default();
    page(
        status,
        PanelPage {
            layout: Layout::new("Questions to the Commissioner", viewer),
            questions: data.questions.iter().map(|question| PanelQuestionRow::new(question, &data.meetings)).collect(),
            meetings: meeting_options(&extras.meeting),
            filter_meetings: meeting_options(&filter_selected),
            states: options(
                &PanelQuestionState::ALL,
                data.state_filter.map(PanelQuestionState::as_str).unwrap_or(""),
                PanelQuestionState::as_str,
                PanelQuestionState::label,
            ),
            q: data.q.clone(),
            sees_all: sees_all(viewer),
            can_submit: viewer.role().may(Permission::SubmitPanelQuestion),
            form: extras.form,
            priorities: OBJECTIVES
                .iter()
                .map(|(key, label)| (key.clone(), label.clone(), extras.chosen.contains(key)))
                .collect(),
            panel_meeting_ids: data.meetings.iter().map(|meeting| (meeting.id, meeting.title.clone())).collect(),
        },
    )
}

/// A panel member's form starts with their own name, which they may change
/// to the name as it is to be printed.
fn blank_form(viewer: &Viewer) -> PanelExtras {
    let name = match &viewer.session {
        Some(session) if session.user.role == Role::PanelMember => session.user.display_name.clone(),
        _ => String::new(),
    };
    PanelExtras { form: FormView::new(&[("member_name", &name)], None), meeting: String::new(), chosen: Vec::new() }
}

pub async fn panel_questions(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<Pairs>,
) -> Result<Response, AppError> {
    let data = panel_data(&state, &viewer, &query).await?;
    panel_page(&viewer, &data, blank_form(&viewer), StatusCode::OK)
}

fn question_values(pairs: &Pairs) -> PanelQuestionForm {
    PanelQuestionForm {
        member_name: value(pairs, "member_name").into(),
        member_authority: value(pairs, "member_authority").into(),
        question: value(pairs, "question").into(),
        priorities: pairs.iter().filter(|(key, _)| key == "priorities").map(|(_, value)| value.clone()).collect(),
    }
}

pub async fn panel_question_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    let form = question_values(&pairs);
    let meeting = value(&pairs, "meeting_id").to_string();
    let data = panel_data(state, viewer, &Pairs::new()).await?;
    let meeting_id = meeting.parse::<i64>().ok().filter(|id| data.meetings.iter().any(|meeting| meeting.id == *id));
    let validated = match (form.validate(&known_objectives()), meeting_id) {
        (Ok(valid), Some(meeting_id)) => Ok((meeting_id, valid)),
        (result, _) => {
            let mut errors = result.err().unwrap_or_default();
            if meeting_id.is_none() {
                errors.errors.insert(0, ("meeting_id", "choose the panel meeting the question is for".to_string()));
            }
            Err(errors)
        }
    };
    submit(
        validated,
        |errors| {
            let values = [
                ("member_name", form.member_name.as_str()),
                ("member_authority", form.member_authority.as_str()),
                ("question", form.question.as_str()),
            ];
            let extras = PanelExtras {
                form: FormView::new(&values, Some(errors)),
                meeting: meeting.clone(),
                chosen: form.priorities.clone(),
            };
            panel_page(viewer, &data, extras, StatusCode::UNPROCESSABLE_ENTITY)
        },
        |(meeting_id, valid)| async move {
            let question = state.governance().submit_panel_question(account(viewer)?, meeting_id, &valid).await?;
            Ok(see(format!("/panel/questions/{}", question.id)))
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "panel_question.html")]
pub struct PanelQuestionPage {
    pub layout: Layout,
    pub question: PanelQuestionRow,
    pub can_answer: bool,
    pub answer_form: FormView,
    pub notice: Option<String>,
    /// The submitter (or a panel officer) may change a question until it is answered.
    pub can_edit: bool,
    pub edit_form: FormView,
    pub edit_priorities: Vec<(String, String, bool)>,
}

/// The question form being corrected on the question's page: what was typed and its errors.
#[derive(Default)]
struct EditExtras {
    form: Option<(PanelQuestionForm, Option<FieldErrors>)>,
}

fn may_edit(viewer: &Viewer, question: &PanelQuestion) -> bool {
    question.state.question_editable()
        && viewer.role().may(Permission::SubmitPanelQuestion)
        && (sees_all(viewer) || submitted(viewer, question))
}

fn question_page(
    viewer: &Viewer,
    question: &PanelQuestion,
    meetings: &[Meeting],
    answer_form: Option<FormView>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    question_page_with(viewer, question, meetings, answer_form, notice, EditExtras::default(), status)
}

fn question_page_with(
    viewer: &Viewer,
    question: &PanelQuestion,
    meetings: &[Meeting],
    answer_form: Option<FormView>,
    notice: Option<String>,
    edit: EditExtras,
    status: StatusCode,
) -> Result<Response, AppError> {
    let row = PanelQuestionRow::new(question, meetings);
    let answer_form = answer_form.unwrap_or_else(|| FormView::new(&[("answer", row.answer_text.as_str())], None));
    let (typed, errors) = edit.form.unwrap_or_else(|| {
        let stored = PanelQuestionForm {
            member_name: question.member_name.clone(),
            member_authority: question.member_authority.clone(),
            question: question.question.clone(),
            priorities: question.priorities.clone(),
        };
        (stored, None)
    });
    let values = [
        ("member_name", typed.member_name.as_str()),
        ("member_authority", typed.member_authority.as_str()),
        ("question", typed.question.as_str()),
    ];
    page(
        status,
        PanelQuestionPage {
            layout: Layout::new("Question to the Commissioner", viewer),
            question: row,
            can_answer: viewer.role().may(Permission::AnswerPanelQuestion),
            answer_form,
            notice,
            can_edit: may_edit(viewer, question),
            edit_form: FormView::new(&values, errors.as_ref()),
            edit_priorities: OBJECTIVES
                .iter()
                .map(|(key, label)| (key.clone(), label.clone(), typed.priorities.contains(key)))
                .collect(),
        },
    )
}

async fn readable_question(state: &AppState, viewer: &Viewer, id: i64) -> Result<PanelQuestion, AppError> {
    let question = state.governance().panel_question(id).await?;
    if !visible(viewer, &question) {
        return Err(AppError::NotFound);
    }
    Ok(question)
}

pub async fn panel_question_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let question = readable_question(&state, &viewer, id).await?;
    let meetings = panel_meetings(&state).await?;
    question_page(&viewer, &question, &meetings, None, None, StatusCode::OK)
}

pub async fn panel_question_answer(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    let question = state.governance().panel_question(id).await?;
    let meetings = panel_meetings(state).await?;
    let version = version(&pairs)?;
    let typed = value(&pairs, "answer");
    let form = |errors: Option<&FieldErrors>| FormView::new(&[("answer", typed)], errors);
    let (question, meetings) = (&question, &meetings);
    submit(
        validate_panel_answer(typed),
        |errors| question_page(viewer, question, meetings, Some(form(Some(errors))), None, StatusCode::UNPROCESSABLE_ENTITY),
        |answer| async move {
            match state.governance().answer_panel_question(account(viewer)?, id, version, &answer).await {
                Ok(Saved::Done(_)) => Ok(see(format!("/panel/questions/{id}"))),
                Ok(Saved::Stale { current }) => {
                    let notice = "Someone else saved this question while you were editing; nothing of yours was saved. Their version is shown above and your text is kept below: save again if it still applies.".to_string();
                    question_page(viewer, &current, meetings, Some(form(None)), Some(notice), StatusCode::CONFLICT)
                }
                Err(error) if error.kind == scrutiny_store::ErrorKind::Transition => {
                    let notice = capitalised(error.message());
                    question_page(viewer, question, meetings, Some(form(None)), Some(notice), StatusCode::CONFLICT)
                }
                Err(error) => Err(error.into()),
            }
        },
    )
    .await
}

/// The submitter (or a panel officer) changes a question not yet answered.
pub async fn panel_question_edit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    let question = readable_question(state, viewer, id).await?;
    if !sees_all(viewer) && !submitted(viewer, &question) {
        return Err(AppError::NotFound);
    }
    let meetings = panel_meetings(state).await?;
    let version = version(&pairs)?;
    let form = question_values(&pairs);
    let (question, meetings, form) = (&question, &meetings, &form);
    submit(
        form.validate(&known_objectives()),
        |errors| {
            let edit = EditExtras { form: Some((form.clone(), Some(errors.clone()))) };
            question_page_with(viewer, question, meetings, None, None, edit, StatusCode::UNPROCESSABLE_ENTITY)
        },
        |valid| async move {
            let edit = EditExtras { form: Some((form.clone(), None)) };
            match state.governance().edit_panel_question(account(viewer)?, id, version, &valid).await {
                Ok(Saved::Done(_)) => Ok(see(format!("/panel/questions/{id}"))),
                Ok(Saved::Stale { current }) => {
                    let notice = "Someone else changed this question while you were editing; nothing of yours was saved. It now reads as shown above; your text is kept in the form: save again if it still applies.".to_string();
                    question_page_with(viewer, &current, meetings, None, Some(notice), edit, StatusCode::CONFLICT)
                }
                Err(error) if error.kind == scrutiny_store::ErrorKind::Transition => {
                    let current = state.governance().panel_question(id).await?;
                    let notice = capitalised(error.message());
                    question_page_with(viewer, &current, meetings, None, Some(notice), edit, StatusCode::CONFLICT)
                }
                Err(error) => Err(error.into()),
            }
        },
    )
    .await
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| format!("{}{}.", first.to_uppercase(), chars.as_str())).unwrap_or_default()
}

pub async fn panel_question_publish(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let version = version(&pairs)?;
    let meetings = panel_meetings(&state).await?;
    match state.governance().publish_panel_question(account(&viewer)?, id, version).await {
        Ok(Saved::Done(_)) => Ok(see(format!("/panel/questions/{id}"))),
        Ok(Saved::Stale { current }) => {
            let notice =
                "Someone else changed this question since you opened it; check the answer below and publish again."
                    .to_string();
            question_page(&viewer, &current, &meetings, None, Some(notice), StatusCode::CONFLICT)
        }
        Err(error) if error.kind == scrutiny_store::ErrorKind::Transition => {
            let current = state.governance().panel_question(id).await?;
            question_page(&viewer, &current, &meetings, None, Some(capitalised(error.message())), StatusCode::CONFLICT)
        }
        Err(error) => Err(error.into()),
    }
}

// ----- the forward work programme

pub struct EntryRow {
    pub id: i64,
    pub date: String,
    pub title: String,
    pub notes: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub version: i64,
    /// The edit form: the entry's values, or what was typed and its errors.
    pub form: FormView,
    pub sections: Options,
    pub statuses: Options,
    pub notice: Option<String>,
}

pub struct SectionRow {
    pub label: &'static str,
    pub entries: Vec<EntryRow>,
}

#[derive(Template)]
#[template(path = "work_programme.html")]
pub struct WorkProgrammePage {
    pub layout: Layout,
    pub sections: Vec<SectionRow>,
    pub can_edit: bool,
    pub form: FormView,
    pub new_sections: Options,
    pub new_statuses: Options,
}

fn section_options(selected: &str) -> Options {
    options(&WorkProgrammeSection::ALL, selected, WorkProgrammeSection::as_str, WorkProgrammeSection::label)
}

fn status_options(selected: &str) -> Options {
    options(&WorkProgrammeStatus::ALL, selected, WorkProgrammeStatus::as_str, WorkProgrammeStatus::label)
}

fn entry_form_of(entry: &WorkProgrammeEntry) -> WorkProgrammeForm {
    WorkProgrammeForm {
        meeting_date: entry.meeting_date.map(|date| date.to_string()).unwrap_or_default(),
        section: entry.section.as_str().to_string(),
        title: entry.title.clone(),
        notes: entry.notes.clone(),
        status: entry.status.as_str().to_string(),
    }
}

fn entry_values(pairs: &Pairs) -> WorkProgrammeForm {
    WorkProgrammeForm {
        meeting_date: value(pairs, "meeting_date").into(),
        section: value(pairs, "section").into(),
        title: value(pairs, "title").into(),
        notes: value(pairs, "notes").into(),
        status: value(pairs, "status").into(),
    }
}

fn form_view(form: &WorkProgrammeForm, errors: Option<&FieldErrors>) -> FormView {
    let values =
        [("meeting_date", form.meeting_date.as_str()), ("title", form.title.as_str()), ("notes", form.notes.as_str())];
    FormView::new(&values, errors)
}

/// An entry being corrected: its id, what was typed, the errors and a notice.
type Editing = (i64, WorkProgrammeForm, Option<FieldErrors>, Option<String>);

fn work_programme_page(
    viewer: &Viewer,
    entries: &[WorkProgrammeEntry],
    new_entry: Option<(&WorkProgrammeForm, &FieldErrors)>,
    editing: Option<Editing>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let sections = WorkProgrammeSection::ALL
        .into_iter()
        .map(|section| SectionRow {
            label: section.label(),
            entries: entries
                .iter()
                .filter(|entry| entry.section == section)
                .map(|entry| {
                    let (form, errors, notice) = match &editing {
                        Some((id, typed, errors, notice)) if *id == entry.id => {
                            (typed.clone(), errors.clone(), notice.clone())
                        }
                        _ => (entry_form_of(entry), None, None),
                    };
                    EntryRow {
                        id: entry.id,
                        date: match entry.meeting_date {
                            Some(date) => documents::weekday_date(date),
                            None => "Each meeting".to_string(),
                        },
                        title: entry.title.clone(),
                        notes: entry.notes.clone(),
                        status: entry.status.as_str(),
                        status_label: entry.status.label(),
                        version: entry.version,
                        form: form_view(&form, errors.as_ref()),
                        sections: section_options(&form.section),
                        statuses: status_options(&form.status),
                        notice,
                    }
                })
                .collect(),
        })
        .collect();
    let blank = WorkProgrammeForm { status: "planned".into(), ..Default::default() };
    let (typed, errors) = new_entry.map(|(form, errors)| (form, Some(errors))).unwrap_or((&blank, None));
    page(
        status,
        WorkProgrammePage {
            layout: Layout::new("Forward work programme", viewer),
            sections,
            can_edit: viewer.role().may(Permission::EditWorkProgramme),
            form: form_view(typed, errors),
            new_sections: section_options(&typed.section),
            new_statuses: status_options(&typed.status),
        },
    )
}

pub async fn work_programme(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, AppError> {
    let entries = state.governance().work_programme(true).await?;
    work_programme_page(&viewer, &entries, None, None, StatusCode::OK)
}

pub async fn work_programme_add(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    let form = entry_values(&pairs);
    let entries = state.governance().work_programme(true).await?;
    submit(
        form.validate(),
        |errors| work_programme_page(viewer, &entries, Some((&form, errors)), None, StatusCode::UNPROCESSABLE_ENTITY),
        |valid| async move {
            let entry = state.governance().add_work_programme_entry(&Actor::user(account(viewer)?), &valid).await?;
            Ok(see(format!("/panel/work-programme#entry-{}", entry.id)))
        },
    )
    .await
}

pub async fn work_programme_edit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    state.governance().work_programme_entry(id).await?;
    let version = version(&pairs)?;
    let form = entry_values(&pairs);
    let entries = state.governance().work_programme(true).await?;
    let (entries, form) = (&entries, &form);
    submit(
        form.validate(),
        |errors| {
            let editing = Some((id, form.clone(), Some(errors.clone()), None));
            work_programme_page(viewer, entries, None, editing, StatusCode::UNPROCESSABLE_ENTITY)
        },
        |valid| async move {
            let actor = Actor::user(account(viewer)?);
            match state.governance().update_work_programme_entry(&actor, id, version, &valid).await? {
                Saved::Done(_) => Ok(see(format!("/panel/work-programme#entry-{id}"))),
                Saved::Stale { current } => {
                    let notice = format!(
                        "Someone else saved this entry while you were editing; nothing of yours was saved. It now reads \"{}\" ({}). Your text is kept here: save again if it still applies.",
                        current.title,
                        current.status.label()
                    );
                    let entries = state.governance().work_programme(true).await?;
                    let editing = Some((id, form.clone(), None, Some(notice)));
                    work_programme_page(viewer, &entries, None, editing, StatusCode::CONFLICT)
                }
            }
        },
    )
    .await
}

// ----- documents

fn meeting_record(meeting: &Meeting) -> MeetingRecord {
    MeetingRecord {
        title: meeting.title.clone(),
        date: meeting.date,
        venue: meeting.venue.clone(),
        attendees: meeting.attendees.clone(),
    }
}

/// The question's record for a document: as the viewer may see it.
pub(crate) fn question_record(question: &PanelQuestion) -> PanelQuestionRecord {
    PanelQuestionRecord {
        member_name: question.member_name.clone(),
        member_authority: question.member_authority.clone(),
        question: question.question.clone(),
        priorities: question.priorities.iter().map(|key| objective_label(key)).collect(),
        answer: question.answer.clone(),
        published: question.state == PanelQuestionState::Published,
    }
}

async fn questions_document(state: &AppState, viewer: &Viewer, id: i64) -> Result<Document, AppError> {
    let meeting = state.governance().meeting(id).await?;
    if meeting.kind != MeetingKind::Panel {
        return Err(AppError::NotFound);
    }
    let mut filter = PanelQuestionFilter { meeting_id: Some(id), ..Default::default() };
    if !sees_all(viewer) {
        // Members and the force see the published paper (and a member their own questions' state elsewhere).
        filter.state = Some(PanelQuestionState::Published);
    }
    let questions = state.governance().panel_questions(&filter).await?;
    let records: Vec<PanelQuestionRecord> = questions.iter().map(question_record).collect();
    Ok(documents::panel_questions_document(&meeting_record(&meeting), &records))
}

pub(crate) fn work_programme_records(entries: &[WorkProgrammeEntry]) -> Vec<WorkProgrammeRecord> {
    entries
        .iter()
        .map(|entry| WorkProgrammeRecord {
            meeting_date: entry.meeting_date,
            section: entry.section,
            title: entry.title.clone(),
            notes: entry.notes.clone(),
            status: entry.status,
        })
        .collect()
}

async fn work_programme_document(state: &AppState) -> Result<Document, AppError> {
    let entries = state.governance().work_programme(false).await?;
    Ok(documents::work_programme_document(&work_programme_records(&entries), today(state)))
}

pub async fn questions_html(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    Ok(crate::documents::html(&questions_document(&state, &viewer, id).await?))
}

pub async fn questions_pdf(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let document = questions_document(&state, &viewer, id).await?;
    crate::documents::pdf(&state, document, format!("panel-{id}-questions-to-the-commissioner.pdf")).await
}

pub async fn work_programme_html(State(state): State<AppState>) -> Result<Response, AppError> {
    Ok(crate::documents::html(&work_programme_document(&state).await?))
}

pub async fn work_programme_pdf(State(state): State<AppState>) -> Result<Response, AppError> {
    let document = work_programme_document(&state).await?;
    crate::documents::pdf(&state, document, "forward-work-programme.pdf".to_string()).await
}
