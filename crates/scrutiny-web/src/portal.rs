//! The public portal: what the Specified Information Order asks the PCC to
//! publish, for anyone, without logging in — the plan and the force's
//! performance against it, meetings with their published questions and
//! responses and their published papers, the actions tracker, decision
//! records and inspection recommendations with the PCC's responses.
//!
//! Every public dataset is made here, once, by a `*_rows` function that
//! decides what is public (published questions only; published, open
//! decisions, and of a confidential one only its reference and the reason it
//! is confidential; an inspection response only once published; no account,
//! name or e-mail address anywhere), and the page, its CSV and JSON
//! downloads and the API all print those rows. Nothing else reads the
//! governance store for the public.

use std::collections::BTreeMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use scrutiny_core::definitions::Plan;
use scrutiny_core::governance::{self, DecisionState, Disclosure, QuestionState};
use scrutiny_store::governance::{ActionFilter, DecisionFilter, InspectionFilter, MeetingFilter, PaperFilter};

use crate::figures::{self, Snapshot};
use crate::pages::today;
use crate::views::Layout;
use crate::{AppError, AppState, Viewer, html_response};

/// Replaces anything that looks like an e-mail address in free text, so
/// that no address typed into a note reaches a public page.
pub(crate) fn scrub(text: &str) -> String {
    if !text.contains('@') {
        return text.to_string();
    }
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            let bare = trimmed.trim_matches(|c: char| !c.is_alphanumeric());
            if bare.contains('@') && bare.split('@').nth(1).is_some_and(|domain| domain.contains('.')) {
                format!("[address removed]{}", &word[trimmed.len()..])
            } else {
                word.to_string()
            }
        })
        .collect()
}

pub(crate) fn date_part(timestamp: &str) -> String {
    timestamp.get(..10).unwrap_or(timestamp).to_string()
}

// ----- the datasets

/// A published question with the force's published response.
#[derive(Debug, Clone, Serialize)]
pub struct PublicQuestion {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting: String,
    pub meeting_date: String,
    pub paper: String,
    pub priority: String,
    pub question: String,
    pub response: String,
    pub published_on: String,
}

pub(crate) async fn question_rows(state: &AppState) -> Result<Vec<PublicQuestion>, AppError> {
    let governance = state.governance();
    let meetings = meeting_titles(state).await?;
    let mut rows = Vec::new();
    for question in governance.questions(None, true).await? {
        // The store's filter, and again here: only a published question with its response.
        let (QuestionState::Published, Some(response)) = (question.state, question.response.as_ref()) else { continue };
        let (meeting, meeting_date) = meetings.get(&question.meeting_id).cloned().unwrap_or_default();
        rows.push(PublicQuestion {
            id: question.id,
            meeting_id: question.meeting_id,
            meeting,
            meeting_date,
            paper: scrub(&question.paper),
            priority: scrub(&question.priority),
            question: scrub(&question.text),
            response: scrub(response),
            published_on: question.published_at.as_deref().map(date_part).unwrap_or_default(),
        });
    }
    Ok(rows)
}

pub(crate) async fn meeting_titles(state: &AppState) -> Result<BTreeMap<i64, (String, String)>, AppError> {
    Ok(state
        .governance()
        .meetings(&MeetingFilter::default())
        .await?
        .into_iter()
        .map(|meeting| (meeting.id, (meeting.title, meeting.date.to_string())))
        .collect())
}

/// A meeting of the board or the panel (both are held in public).
#[derive(Debug, Clone, Serialize)]
pub struct PublicMeeting {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub date: String,
    pub venue: String,
    /// The agenda, item titles in order, separated by " | ".
    pub agenda: String,
    pub published_questions: usize,
    pub actions: usize,
}

pub(crate) async fn meeting_rows(state: &AppState) -> Result<Vec<PublicMeeting>, AppError> {
    let governance = state.governance();
    let questions = question_rows(state).await?;
    let actions = action_rows(state).await?;
    let mut rows = Vec::new();
    for meeting in governance.meetings(&MeetingFilter::default()).await? {
        let agenda = governance.agenda(meeting.id).await?;
        rows.push(PublicMeeting {
            id: meeting.id,
            kind: meeting.kind.label().to_string(),
            title: scrub(&meeting.title),
            date: meeting.date.to_string(),
            venue: scrub(&meeting.venue),
            agenda: agenda.iter().map(|item| scrub(&item.title)).collect::<Vec<_>>().join(" | "),
            published_questions: questions.iter().filter(|question| question.meeting_id == meeting.id).count(),
            actions: actions.iter().filter(|action| action.meeting_id == meeting.id).count(),
        });
    }
    Ok(rows)
}

/// A published meeting paper: what it is, its file's type, size and digest,
/// and where to download it (never who attached it).
#[derive(Debug, Clone, Serialize)]
pub struct PublishedPaper {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting: String,
    pub meeting_date: String,
    pub title: String,
    pub category: String,
    /// "generated" (set by Scrutiny from the force's records) or "uploaded".
    pub source: String,
    pub media_type: String,
    pub format: String,
    pub size_bytes: i64,
    pub size: String,
    pub sha256: String,
    pub url: String,
    pub published_on: String,
    /// The file's text, for search (not in the downloads).
    #[serde(skip)]
    pub text: String,
}

pub(crate) async fn paper_rows(state: &AppState) -> Result<Vec<PublishedPaper>, AppError> {
    let titles = meeting_titles(state).await?;
    let papers = state.governance().papers(&PaperFilter { published_only: true, ..Default::default() }).await?;
    Ok(papers
        .into_iter()
        .filter(|paper| paper.is_published())
        .map(|paper| {
            let (meeting, meeting_date) = titles.get(&paper.meeting_id).cloned().unwrap_or_default();
            PublishedPaper {
                id: paper.id,
                meeting_id: paper.meeting_id,
                meeting: scrub(&meeting),
                meeting_date,
                title: scrub(&paper.title),
                category: paper.category.label().to_string(),
                source: paper.source.as_str().to_string(),
                media_type: paper.format.media_type().to_string(),
                format: paper.format.label().to_string(),
                size_bytes: paper.size_bytes,
                size: governance::file_size(paper.size_bytes.max(0) as u64),
                sha256: paper.sha256.clone(),
                url: crate::papers::public_url(&paper),
                published_on: date_part(paper.published_at.as_deref().unwrap_or_default()),
                text: paper.text,
            }
        })
        .collect())
}

/// One action of the tracker: what, who (a role or organisation), when, where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct PublicAction {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting: String,
    pub meeting_date: String,
    pub action: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub overdue: bool,
    pub discharged_how: String,
    pub discharged_where: String,
}

pub(crate) async fn action_rows(state: &AppState) -> Result<Vec<PublicAction>, AppError> {
    let today = today(state);
    let meetings = meeting_titles(state).await?;
    let mut rows = Vec::new();
    for action in state.governance().actions(&ActionFilter::default()).await? {
        let (meeting, meeting_date) = meetings.get(&action.meeting_id).cloned().unwrap_or_default();
        let place = action.discharged_where.map(|place| {
            let reference = action
                .discharged_reference
                .as_deref()
                .map(|reference| format!(" ({})", scrub(reference)))
                .unwrap_or_default();
            format!("{}{reference}", place.label())
        });
        rows.push(PublicAction {
            id: action.id,
            meeting_id: action.meeting_id,
            meeting,
            meeting_date,
            action: scrub(&action.text),
            owner: scrub(&action.owner),
            due: action.due.map(|due| due.to_string()).unwrap_or_default(),
            status: match action.status {
                governance::ActionStatus::Open => "Open".to_string(),
                governance::ActionStatus::Discharged => "Discharged".to_string(),
            },
            overdue: governance::is_overdue(action.status, action.due, today),
            discharged_how: action.discharge_note.as_deref().map(scrub).unwrap_or_default(),
            discharged_where: place.unwrap_or_default(),
        });
    }
    Ok(rows)
}

/// A decision record as published. A confidential decision appears with
/// its reference, the date the PCC signed it and the reason it is
/// confidential only; every other field is empty.
#[derive(Debug, Clone, Serialize)]
pub struct PublicDecision {
    pub id: i64,
    pub reference: String,
    pub revision: i64,
    pub confidential: bool,
    pub confidential_reason: String,
    pub title: String,
    pub originator: String,
    pub executive_summary: String,
    pub recommendation: String,
    pub decision: String,
    /// Plan priorities supported, by title, separated by " | ".
    pub objectives: String,
    pub objectives_statement: String,
    pub equality_impact: String,
    /// "Chief Finance Officer, 2024-07-02: Agreed. | …" (offices, never names).
    pub signed_off: String,
    pub signed_by_pcc_on: String,
    pub published_on: String,
    /// The reference and revision of the record this one corrects.
    pub corrects: String,
}

pub(crate) async fn decision_rows(state: &AppState) -> Result<Vec<PublicDecision>, AppError> {
    let filter = DecisionFilter { include_confidential: true, ..Default::default() };
    let decisions = state.governance().decisions(&filter).await?;
    let by_id: BTreeMap<i64, String> = decisions
        .iter()
        .map(|decision| (decision.id, format!("{} version {}", decision.reference, decision.revision)))
        .collect();
    let mut rows = Vec::new();
    for decision in &decisions {
        let pcc_signed = decision
            .signoffs
            .iter()
            .find(|signoff| signoff.signatory == governance::Signatory::Commissioner)
            .map(|signoff| signoff.signed_on.to_string())
            .unwrap_or_default();
        let confidential = match (decision.state, decision.disclosure) {
            _ if decision.is_public() => false,
            (DecisionState::Signed, Disclosure::Confidential) => true,
            _ => continue,
        };
        let mut row = PublicDecision {
            id: decision.id,
            reference: decision.reference.to_string(),
            revision: decision.revision,
            confidential,
            confidential_reason: String::new(),
            title: String::new(),
            originator: String::new(),
            executive_summary: String::new(),
            recommendation: String::new(),
            decision: String::new(),
            objectives: String::new(),
            objectives_statement: String::new(),
            equality_impact: String::new(),
            signed_off: String::new(),
            signed_by_pcc_on: pcc_signed,
            published_on: String::new(),
            corrects: String::new(),
        };
        if confidential {
            row.confidential_reason = scrub(&decision.confidential_reason);
        } else {
            row.title = scrub(&decision.title);
            row.originator = scrub(&decision.originator);
            row.executive_summary = scrub(&decision.executive_summary);
            row.recommendation = scrub(&decision.recommendation);
            row.decision = scrub(&decision.decision);
            row.objectives = decision
                .objectives
                .iter()
                .map(|key| crate::records::objective_label(key))
                .collect::<Vec<_>>()
                .join(" | ");
            row.objectives_statement = scrub(&decision.objectives_statement);
            row.equality_impact = scrub(&decision.equality_impact);
            row.signed_off = decision
                .signoffs
                .iter()
                .map(|signoff| {
                    let comment = scrub(&signoff.comment);
                    let comment = if comment.is_empty() { String::new() } else { format!(": {comment}") };
                    format!("{}, {}{comment}", signoff.signatory.label(), signoff.signed_on)
                })
                .collect::<Vec<_>>()
                .join(" | ");
            row.published_on = decision.published_at.as_deref().map(date_part).unwrap_or_default();
            row.corrects = decision.supersedes_id.and_then(|id| by_id.get(&id).cloned()).unwrap_or_default();
        }
        rows.push(row);
    }
    Ok(rows)
}

/// An inspection recommendation, with its report and the PCC's published response.
#[derive(Debug, Clone, Serialize)]
pub struct PublicRecommendation {
    pub inspection_id: i64,
    pub body: String,
    pub inspection: String,
    pub inspection_published: String,
    /// The last day for the PCC's response (56 days after the report).
    pub response_due: String,
    pub response_published_on: String,
    pub pcc_response: String,
    pub number: i64,
    pub recommendation: String,
    pub force_position: String,
    pub lead: String,
    pub status: String,
}

/// An inspection report with its recommendations, for the page.
pub struct PublicInspection {
    pub id: i64,
    pub body: String,
    pub title: String,
    pub published: String,
    pub response_due: String,
    pub response_state: String,
    pub pcc_response: String,
    pub recommendations: Vec<PublicRecommendation>,
}

pub(crate) async fn inspections(state: &AppState) -> Result<Vec<PublicInspection>, AppError> {
    let today = today(state);
    let mut out = Vec::new();
    for inspection in state.governance().inspections(&InspectionFilter::default()).await? {
        let clock = inspection.clock(today);
        // The response note is the PCC's response only once it is published.
        let (published_on, response) = match inspection.response_published_on {
            Some(on) => (on.to_string(), scrub(&inspection.response_note)),
            None => (String::new(), String::new()),
        };
        let recommendations = inspection
            .recommendations
            .iter()
            .map(|recommendation| PublicRecommendation {
                inspection_id: inspection.id,
                body: scrub(&inspection.body),
                inspection: scrub(&inspection.title),
                inspection_published: inspection.published.to_string(),
                response_due: clock.due.to_string(),
                response_published_on: published_on.clone(),
                pcc_response: response.clone(),
                number: recommendation.position,
                recommendation: scrub(&recommendation.text),
                force_position: scrub(&recommendation.force_position),
                lead: scrub(&recommendation.lead),
                status: recommendation.status.label().to_string(),
            })
            .collect();
        out.push(PublicInspection {
            id: inspection.id,
            body: scrub(&inspection.body),
            title: scrub(&inspection.title),
            published: inspection.published.to_string(),
            response_due: clock.due.to_string(),
            response_state: clock.describe(),
            pcc_response: response,
            recommendations,
        });
    }
    Ok(out)
}

pub(crate) async fn recommendation_rows(state: &AppState) -> Result<Vec<PublicRecommendation>, AppError> {
    Ok(inspections(state).await?.into_iter().flat_map(|inspection| inspection.recommendations).collect())
}

/// One published figure with its definition: everything needed to reproduce it.
#[derive(Debug, Clone, Serialize)]
pub struct FigureRow {
    pub force: String,
    pub plan_id: String,
    pub plan_version: String,
    pub priority_id: String,
    pub measure_id: String,
    pub measure: String,
    pub unit: String,
    pub kind: String,
    /// "2024-05", or "total" for the quarter.
    pub row: String,
    pub period_from: String,
    pub period_to: String,
    pub last_year_from: String,
    pub last_year_to: String,
    pub comparison: String,
    pub column: String,
    /// Empty when there is no figure; `status` says why.
    pub value: Option<f64>,
    /// "ok", "not supplied", "n/a" (zero baseline) or "suppressed".
    pub status: String,
    pub rate_basis: String,
    pub data_extracted_on: String,
}

fn figure_rows(snapshot: &Snapshot, priority: Option<&str>) -> Vec<FigureRow> {
    let mut rows = Vec::new();
    for measure in &snapshot.public.measures {
        if priority.is_some_and(|priority| priority != measure.priority_id) {
            continue;
        }
        for row in &measure.rows {
            for figure in &row.figures {
                rows.push(FigureRow {
                    force: snapshot.force.clone(),
                    plan_id: measure.plan_id.clone(),
                    plan_version: measure.plan_version.clone(),
                    priority_id: measure.priority_id.clone(),
                    measure_id: measure.measure_id.clone(),
                    measure: measure.title.clone(),
                    unit: measure.unit.clone(),
                    kind: measure.kind.to_string(),
                    row: row.label.clone(),
                    period_from: row.from.to_string(),
                    period_to: row.to.to_string(),
                    last_year_from: row.last_year_from.to_string(),
                    last_year_to: row.last_year_to.to_string(),
                    comparison: measure.comparison.clone(),
                    column: figure.column.to_string(),
                    value: figure.value,
                    status: figure.status.to_string(),
                    rate_basis: measure.rate_basis.clone().unwrap_or_default(),
                    data_extracted_on: snapshot.extracted_on.clone().unwrap_or_default(),
                });
            }
        }
    }
    rows
}

// ----- downloads

pub(crate) fn csv_response<T: Serialize>(name: &str, rows: &[T], empty_header: &[&str]) -> Result<Response, AppError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    if rows.is_empty() {
        writer.write_record(empty_header).map_err(|error| AppError::internal(format!("csv: {error}")))?;
    }
    for row in rows {
        writer.serialize(row).map_err(|error| AppError::internal(format!("csv: {error}")))?;
    }
    let bytes = writer.into_inner().map_err(|error| AppError::internal(format!("csv: {error}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")),
        ],
        bytes,
    )
        .into_response())
}

fn json_response(value: &impl Serialize) -> Result<Response, AppError> {
    let body = serde_json::to_string_pretty(value).map_err(|error| AppError::internal(format!("json: {error}")))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body + "\n").into_response())
}

#[derive(Serialize)]
struct Dataset<'a, T> {
    dataset: &'a str,
    description: &'a str,
    items: &'a [T],
}

pub(crate) fn dataset<T: Serialize>(name: &str, description: &str, items: &[T]) -> Result<Response, AppError> {
    json_response(&Dataset { dataset: name, description, items })
}

const QUESTIONS: &str =
    "Questions the Police and Crime Commissioner asked the force, with the force's responses, as published.";
const MEETINGS: &str =
    "Meetings of the Performance and Delivery Board and the Police and Crime Panel, with their agendas.";
const ACTIONS: &str = "Actions from the board's meetings: owner, due date, status and how each was discharged.";
const DECISIONS: &str = "Published decision records; a confidential decision shows only its reference, the date the PCC signed it and why it is confidential.";
const RECOMMENDATIONS: &str =
    "Inspection recommendations with the force's position and status, and the PCC's published response to each report.";
const PAPERS: &str = "Published papers of the board's and the panel's meetings: title, subject, file type, size, SHA-256 and where to download each.";
const FIGURES: &str = "The force's performance against the Police and Crime Plan for the latest quarter, each figure with its definition. Figures not supplied have no value and status 'not supplied', never 0; suppressed figures have status 'suppressed'.";

const QUESTION_COLUMNS: &[&str] =
    &["id", "meeting_id", "meeting", "meeting_date", "paper", "priority", "question", "response", "published_on"];
const MEETING_COLUMNS: &[&str] = &["id", "kind", "title", "date", "venue", "agenda", "published_questions", "actions"];
const ACTION_COLUMNS: &[&str] = &[
    "id",
    "meeting_id",
    "meeting",
    "meeting_date",
    "action",
    "owner",
    "due",
    "status",
    "overdue",
    "discharged_how",
    "discharged_where",
];
const DECISION_COLUMNS: &[&str] = &[
    "id",
    "reference",
    "revision",
    "confidential",
    "confidential_reason",
    "title",
    "originator",
    "executive_summary",
    "recommendation",
    "decision",
    "objectives",
    "objectives_statement",
    "equality_impact",
    "signed_off",
    "signed_by_pcc_on",
    "published_on",
    "corrects",
];
const RECOMMENDATION_COLUMNS: &[&str] = &[
    "inspection_id",
    "body",
    "inspection",
    "inspection_published",
    "response_due",
    "response_published_on",
    "pcc_response",
    "number",
    "recommendation",
    "force_position",
    "lead",
    "status",
];
const FIGURE_COLUMNS: &[&str] = &[
    "force",
    "plan_id",
    "plan_version",
    "priority_id",
    "measure_id",
    "measure",
    "unit",
    "kind",
    "row",
    "period_from",
    "period_to",
    "last_year_from",
    "last_year_to",
    "comparison",
    "column",
    "value",
    "status",
    "rate_basis",
    "data_extracted_on",
];

pub async fn questions_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    csv_response("questions", &question_rows(&state).await?, QUESTION_COLUMNS)
}

pub async fn questions_json(State(state): State<AppState>) -> Result<Response, AppError> {
    dataset("questions", QUESTIONS, &question_rows(&state).await?)
}

pub async fn meetings_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    csv_response("meetings", &meeting_rows(&state).await?, MEETING_COLUMNS)
}

pub async fn meetings_json(State(state): State<AppState>) -> Result<Response, AppError> {
    dataset("meetings", MEETINGS, &meeting_rows(&state).await?)
}

pub async fn papers_json(State(state): State<AppState>) -> Result<Response, AppError> {
    dataset("papers", PAPERS, &paper_rows(&state).await?)
}

pub async fn actions_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    csv_response("actions", &action_rows(&state).await?, ACTION_COLUMNS)
}

pub async fn actions_json(State(state): State<AppState>) -> Result<Response, AppError> {
    dataset("actions", ACTIONS, &action_rows(&state).await?)
}

pub async fn decisions_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    csv_response("decisions", &decision_rows(&state).await?, DECISION_COLUMNS)
}

pub async fn decisions_json(State(state): State<AppState>) -> Result<Response, AppError> {
    dataset("decisions", DECISIONS, &decision_rows(&state).await?)
}

pub async fn inspections_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    csv_response("inspections", &recommendation_rows(&state).await?, RECOMMENDATION_COLUMNS)
}

pub async fn inspections_json(State(state): State<AppState>) -> Result<Response, AppError> {
    dataset("inspections", RECOMMENDATIONS, &recommendation_rows(&state).await?)
}

async fn current_figures(state: &AppState) -> Result<Option<std::sync::Arc<Snapshot>>, AppError> {
    let plan = figures::plan(&state.config().plan)?;
    match state.records() {
        Some(records) => figures::snapshot(records, plan, &state.config().disclosure).await,
        None => Ok(None),
    }
}

pub async fn figures_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let rows = current_figures(&state).await?.map(|snapshot| figure_rows(&snapshot, None)).unwrap_or_default();
    csv_response("figures", &rows, FIGURE_COLUMNS)
}

pub async fn figures_json(State(state): State<AppState>) -> Result<Response, AppError> {
    let rows = current_figures(&state).await?.map(|snapshot| figure_rows(&snapshot, None)).unwrap_or_default();
    dataset("figures", FIGURES, &rows)
}

fn priority_of<'a>(plan: &'a Plan, id: &str) -> Result<(usize, &'a scrutiny_core::definitions::Priority), AppError> {
    plan.priorities.iter().enumerate().find(|(_, priority)| priority.id == id).ok_or(AppError::NotFound)
}

pub async fn priority_figures_csv(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    priority_of(figures::plan(&state.config().plan)?, &id)?;
    let rows = current_figures(&state).await?.map(|snapshot| figure_rows(&snapshot, Some(&id))).unwrap_or_default();
    csv_response(&format!("figures-{id}"), &rows, FIGURE_COLUMNS)
}

pub async fn priority_figures_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    priority_of(figures::plan(&state.config().plan)?, &id)?;
    let rows = current_figures(&state).await?.map(|snapshot| figure_rows(&snapshot, Some(&id))).unwrap_or_default();
    dataset("figures", FIGURES, &rows)
}

#[derive(Serialize)]
struct PlanJson<'a> {
    id: &'a str,
    title: &'a str,
    version: &'a str,
    owner: &'a str,
    priorities: Vec<PriorityJson<'a>>,
}

#[derive(Serialize)]
struct PriorityJson<'a> {
    id: &'a str,
    title: &'a str,
    measures: Vec<MeasureJson<'a>>,
}

#[derive(Serialize)]
struct MeasureJson<'a> {
    id: &'a str,
    title: &'a str,
    unit: &'a str,
    kind: &'static str,
    sensitive: bool,
}

pub async fn plan_json(State(state): State<AppState>) -> Result<Response, AppError> {
    let plan = figures::plan(&state.config().plan)?;
    json_response(&PlanJson {
        id: &plan.id,
        title: &plan.title,
        version: &plan.version,
        owner: &plan.owner,
        priorities: plan
            .priorities
            .iter()
            .map(|priority| PriorityJson {
                id: &priority.id,
                title: &priority.title,
                measures: plan
                    .measures
                    .iter()
                    .filter(|measure| measure.priority == priority.id)
                    .map(|measure| MeasureJson {
                        id: &measure.id,
                        title: &measure.title,
                        unit: &measure.unit,
                        kind: if measure.is_rate() { "rate" } else { "count" },
                        sensitive: measure.sensitive,
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// The OpenAPI 3 description of the read-only API (a file in the crate,
/// checked against the routes by a test).
pub const OPENAPI: &str = include_str!("../openapi.json");

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

// ----- pages

pub(crate) fn render(template: impl Template) -> Result<Response, AppError> {
    template.render().map(html_response).map_err(|error| AppError::internal(format!("rendering a page: {error}")))
}

pub struct PriorityLink {
    pub id: String,
    pub title: String,
    pub measures: usize,
}

#[derive(Template)]
#[template(path = "public_home.html")]
pub struct PortalHome {
    pub layout: Layout,
    pub plan_title: String,
    pub plan_owner: String,
    pub priorities: Vec<PriorityLink>,
    /// "May – July 2024 compared with May – July 2023", when there are figures.
    pub comparison: Option<String>,
    pub force: String,
    pub questions: usize,
    pub decisions: usize,
    pub open_actions: usize,
}

pub(crate) async fn portal_home_page(state: &AppState, viewer: &Viewer) -> Result<Response, AppError> {
    let plan = figures::plan(&state.config().plan)?;
    let snapshot = current_figures(state).await?;
    let priorities = plan
        .priorities
        .iter()
        .map(|priority| PriorityLink {
            id: priority.id.clone(),
            title: priority.title.clone(),
            measures: plan.measures.iter().filter(|measure| measure.priority == priority.id).count()
                + plan.returns_tables.iter().filter(|table| table.priority == priority.id).count(),
        })
        .collect();
    render(PortalHome {
        layout: Layout::new("Holding the force to account", viewer),
        plan_title: plan.title.clone(),
        plan_owner: plan.owner.clone(),
        priorities,
        comparison: snapshot.as_ref().map(|snapshot| snapshot.public.paper.comparison.clone()),
        force: snapshot.as_ref().map(|snapshot| snapshot.force.clone()).unwrap_or_default(),
        questions: question_rows(state).await?.len(),
        decisions: decision_rows(state).await?.iter().filter(|decision| !decision.confidential).count(),
        open_actions: action_rows(state).await?.iter().filter(|action| action.status == "Open").count(),
    })
}

pub async fn portal_home(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, AppError> {
    portal_home_page(&state, &viewer).await
}

#[derive(Template)]
#[template(path = "public_priority.html")]
pub struct PriorityPage {
    pub layout: Layout,
    pub number: usize,
    pub id: String,
    pub title: String,
    pub plan_title: String,
    pub comparison: Option<String>,
    pub force: String,
    /// The measures' tables, charts and sentences, rendered by the paper's HTML code.
    pub body: String,
    pub provenance: Vec<String>,
    pub previous: Option<(String, String)>,
    pub next: Option<(String, String)>,
}

pub async fn priority_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let plan = figures::plan(&state.config().plan)?;
    let (index, priority) = priority_of(plan, &id)?;
    let snapshot = current_figures(&state).await?;
    let mut body = String::new();
    if let Some(snapshot) = &snapshot {
        let paper = &snapshot.public.paper;
        if let Some(section) = paper.sections.get(index) {
            scrutiny_report::paper::html::section_items(&mut body, paper, section, 2);
        }
    }
    let link = |at: Option<usize>| {
        at.and_then(|at| plan.priorities.get(at)).map(|priority| (priority.id.clone(), priority.title.clone()))
    };
    render(PriorityPage {
        layout: Layout::new(&priority.title, &viewer),
        number: index + 1,
        id: priority.id.clone(),
        title: priority.title.clone(),
        plan_title: plan.title.clone(),
        comparison: snapshot.as_ref().map(|snapshot| snapshot.public.paper.comparison.clone()),
        force: snapshot.as_ref().map(|snapshot| snapshot.force.clone()).unwrap_or_default(),
        body,
        provenance: snapshot.as_ref().map(|snapshot| snapshot.public.paper.provenance.clone()).unwrap_or_default(),
        previous: link(index.checked_sub(1)),
        next: link(Some(index + 1)),
    })
}

#[derive(Template)]
#[template(path = "public_questions.html")]
pub struct QuestionsPage {
    pub layout: Layout,
    pub questions: Vec<PublicQuestion>,
}

pub async fn questions(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, AppError> {
    render(QuestionsPage {
        layout: Layout::new("Questions and responses", &viewer),
        questions: question_rows(&state).await?,
    })
}

#[derive(Template)]
#[template(path = "public_decisions.html")]
pub struct DecisionsPage {
    pub layout: Layout,
    pub decisions: Vec<PublicDecision>,
}

pub async fn decisions(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, AppError> {
    render(DecisionsPage { layout: Layout::new("Decisions", &viewer), decisions: decision_rows(&state).await? })
}

#[derive(Template)]
#[template(path = "public_decision.html")]
pub struct DecisionPage {
    pub layout: Layout,
    pub decision: PublicDecision,
}

pub async fn decision_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let decision =
        decision_rows(&state).await?.into_iter().find(|decision| decision.id == id).ok_or(AppError::NotFound)?;
    let title = format!("Record of Decision {}", decision.reference);
    render(DecisionPage { layout: Layout::new(&title, &viewer), decision })
}

#[derive(Template)]
#[template(path = "public_actions.html")]
pub struct ActionsPage {
    pub layout: Layout,
    pub actions: Vec<PublicAction>,
}

pub async fn actions(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, AppError> {
    render(ActionsPage { layout: Layout::new("Actions", &viewer), actions: action_rows(&state).await? })
}

#[derive(Template)]
#[template(path = "public_inspections.html")]
pub struct InspectionsPage {
    pub layout: Layout,
    pub inspections: Vec<PublicInspection>,
}

pub async fn inspections_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, AppError> {
    render(InspectionsPage { layout: Layout::new("Inspections", &viewer), inspections: inspections(&state).await? })
}

#[derive(Template)]
#[template(path = "public_meetings.html")]
pub struct MeetingsPage {
    pub layout: Layout,
    pub meetings: Vec<PublicMeeting>,
}

pub async fn meetings(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, AppError> {
    render(MeetingsPage { layout: Layout::new("Meetings", &viewer), meetings: meeting_rows(&state).await? })
}

#[derive(Template)]
#[template(path = "public_meeting.html")]
pub struct MeetingPage {
    pub layout: Layout,
    pub meeting: PublicMeeting,
    pub agenda: Vec<(String, String)>,
    pub questions: Vec<PublicQuestion>,
    pub actions: Vec<PublicAction>,
    pub papers: Vec<PublishedPaper>,
    /// A panel meeting's published questions to the Commissioner.
    pub panel_questions: Vec<crate::portal_panel::PublicPanelQuestion>,
}

pub async fn meeting_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let meeting = meeting_rows(&state).await?.into_iter().find(|meeting| meeting.id == id).ok_or(AppError::NotFound)?;
    let agenda =
        state.governance().agenda(id).await?.iter().map(|item| (scrub(&item.title), scrub(&item.paper))).collect();
    let questions = question_rows(&state).await?.into_iter().filter(|question| question.meeting_id == id).collect();
    let actions = action_rows(&state).await?.into_iter().filter(|action| action.meeting_id == id).collect();
    let papers = paper_rows(&state).await?.into_iter().filter(|paper| paper.meeting_id == id).collect();
    let panel_questions = crate::portal_panel::panel_question_rows(&state)
        .await?
        .into_iter()
        .filter(|question| question.meeting_id == id)
        .collect();
    let title = format!("{} ({})", meeting.title, meeting.date);
    let layout = Layout::new(&title, &viewer);
    render(MeetingPage { layout, meeting, agenda, questions, actions, papers, panel_questions })
}

#[derive(Template)]
#[template(path = "public_papers.html")]
pub struct PapersPage {
    pub layout: Layout,
    pub papers: Vec<PublishedPaper>,
}

pub async fn papers(State(state): State<AppState>, Extension(viewer): Extension<Viewer>) -> Result<Response, AppError> {
    let mut papers = paper_rows(&state).await?;
    papers.sort_by(|a, b| b.meeting_date.cmp(&a.meeting_date).then_with(|| a.id.cmp(&b.id)));
    render(PapersPage { layout: Layout::new("Papers", &viewer), papers })
}

// ----- Atom feeds

pub(crate) struct Entry {
    pub id: String,
    pub title: String,
    pub link: String,
    pub updated: String,
    pub content: String,
}

pub(crate) fn atom_time(date: &str) -> String {
    if date.len() == 10 { format!("{date}T00:00:00Z") } else { "1970-01-01T00:00:00Z".to_string() }
}

pub(crate) fn atom(feed: &str, title: &str, link: &str, mut entries: Vec<Entry>) -> Response {
    use scrutiny_report::paper::html::escape;
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    let updated = entries.first().map(|entry| entry.updated.clone()).unwrap_or_else(|| atom_time(""));
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>urn:scrutiny:feed:{feed}</id>\n<title>{}</title>\n<link href=\"{}\"/>\n<link rel=\"self\" href=\"/public/{feed}.atom\"/>\n<updated>{updated}</updated>\n<author><name>Office of the Police and Crime Commissioner</name></author>\n",
        escape(title),
        escape(link)
    );
    for entry in entries {
        out.push_str(&format!(
            "<entry>\n<id>{}</id>\n<title>{}</title>\n<link href=\"{}\"/>\n<updated>{}</updated>\n<content type=\"text\">{}</content>\n</entry>\n",
            escape(&entry.id),
            escape(&entry.title),
            escape(&entry.link),
            entry.updated,
            escape(&entry.content)
        ));
    }
    out.push_str("</feed>\n");
    ([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], out).into_response()
}

pub(crate) fn short(text: &str) -> String {
    let mut words = String::new();
    for word in text.split_whitespace() {
        if words.chars().count() + word.chars().count() > 90 {
            words.push_str(" …");
            break;
        }
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(word);
    }
    words
}

/// Answered questions: each published question with the force's response.
pub async fn questions_atom(State(state): State<AppState>) -> Result<Response, AppError> {
    let entries = question_rows(&state)
        .await?
        .into_iter()
        .map(|question| Entry {
            id: format!("urn:scrutiny:question:{}", question.id),
            title: short(&question.question),
            link: format!("/public/questions#question-{}", question.id),
            updated: atom_time(&question.published_on),
            content: format!("Question: {}\n\nResponse: {}", question.question, question.response),
        })
        .collect();
    Ok(atom("questions", "Answered questions", "/public/questions", entries))
}

/// Published decision records (confidential ones are not announced).
pub async fn decisions_atom(State(state): State<AppState>) -> Result<Response, AppError> {
    let entries = decision_rows(&state)
        .await?
        .into_iter()
        .filter(|decision| !decision.confidential)
        .map(|decision| Entry {
            id: format!("urn:scrutiny:decision:{}:{}", decision.reference, decision.revision),
            title: format!("{}: {}", decision.reference, decision.title),
            link: format!("/public/decisions/{}", decision.id),
            updated: atom_time(&decision.published_on),
            content: format!("{}\n\nDecision: {}", decision.executive_summary, decision.decision),
        })
        .collect();
    Ok(atom("decisions", "Decisions", "/public/decisions", entries))
}

/// Published meeting papers, newest first.
pub async fn papers_atom(State(state): State<AppState>) -> Result<Response, AppError> {
    let entries = paper_rows(&state)
        .await?
        .into_iter()
        .map(|paper| Entry {
            id: format!("urn:scrutiny:paper:{}", paper.id),
            title: format!("{} – {}", paper.title, paper.meeting),
            link: paper.url.clone(),
            updated: atom_time(&paper.published_on),
            content: format!(
                "{} paper for {} ({}): {}, {}.",
                paper.category, paper.meeting, paper.meeting_date, paper.format, paper.size
            ),
        })
        .collect();
    Ok(atom("papers", "Board papers", "/public/papers", entries))
}

// ----- search

pub struct SearchHit {
    pub kind: &'static str,
    pub title: String,
    pub link: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "public_search.html")]
pub struct SearchPage {
    pub layout: Layout,
    pub q: String,
    pub hits: Vec<SearchHit>,
}

pub(crate) fn matches_all(words: &[String], fields: &[&str]) -> bool {
    let text = fields.join(" ").to_lowercase();
    words.iter().all(|word| text.contains(word.as_str()))
}

/// Search across the published questions, actions, decisions, papers (by title and text) and meetings.
pub async fn search(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let q = query.get("q").map(|q| q.trim().to_string()).unwrap_or_default();
    let words: Vec<String> = q.to_lowercase().split_whitespace().take(10).map(str::to_string).collect();
    let mut hits = Vec::new();
    if !words.is_empty() {
        for question in question_rows(&state).await? {
            if matches_all(&words, &[&question.paper, &question.priority, &question.question, &question.response]) {
                hits.push(SearchHit {
                    kind: "Question",
                    title: short(&question.question),
                    link: format!("/public/questions#question-{}", question.id),
                    text: short(&question.response),
                });
            }
        }
        for question in crate::portal_panel::panel_question_rows(&state).await? {
            let fields = [
                question.member_name.as_str(),
                &question.member_authority,
                &question.question,
                &question.priorities,
                &question.answer,
            ];
            if matches_all(&words, &fields) {
                hits.push(SearchHit {
                    kind: "Panel question",
                    title: short(&question.question),
                    link: format!("/public/panel#panel-question-{}", question.id),
                    text: format!(
                        "{} – {}: {}",
                        question.member_name,
                        question.member_authority,
                        short(&question.answer)
                    ),
                });
            }
        }
        for action in action_rows(&state).await? {
            if matches_all(&words, &[&action.action, &action.owner, &action.discharged_how]) {
                hits.push(SearchHit {
                    kind: "Action",
                    title: short(&action.action),
                    link: format!("/public/meetings/{}", action.meeting_id),
                    text: format!("{} · {}", action.owner, action.status),
                });
            }
        }
        for decision in decision_rows(&state).await? {
            let fields = [
                decision.reference.as_str(),
                &decision.title,
                &decision.executive_summary,
                &decision.recommendation,
                &decision.decision,
                &decision.confidential_reason,
            ];
            if matches_all(&words, &fields) {
                hits.push(SearchHit {
                    kind: "Decision",
                    title: if decision.confidential {
                        format!("{} (confidential)", decision.reference)
                    } else {
                        format!("{}: {}", decision.reference, decision.title)
                    },
                    link: if decision.confidential {
                        "/public/decisions".to_string()
                    } else {
                        format!("/public/decisions/{}", decision.id)
                    },
                    text: short(if decision.confidential {
                        &decision.confidential_reason
                    } else {
                        &decision.executive_summary
                    }),
                });
            }
        }
        for paper in paper_rows(&state).await? {
            if matches_all(&words, &[&paper.title, &paper.category, &paper.meeting, &paper.text]) {
                hits.push(SearchHit {
                    kind: "Paper",
                    title: paper.title.clone(),
                    link: paper.url.clone(),
                    text: format!(
                        "{} · {} ({}) · {}, {}",
                        paper.category, paper.meeting, paper.meeting_date, paper.format, paper.size
                    ),
                });
            }
        }
        for meeting in meeting_rows(&state).await? {
            if matches_all(&words, &[&meeting.title, &meeting.venue, &meeting.agenda, &meeting.date]) {
                hits.push(SearchHit {
                    kind: "Meeting",
                    title: format!("{} ({})", meeting.title, meeting.date),
                    link: format!("/public/meetings/{}", meeting.id),
                    text: short(&meeting.agenda),
                });
            }
        }
    }
    render(SearchPage { layout: Layout::new("Search", &viewer), q, hits })
}

#[cfg(test)]
mod tests {
    use super::scrub;

    #[test]
    fn addresses_are_removed_from_free_text() {
        assert_eq!(scrub("Ask pat@panel.example, then file it."), "Ask [address removed] then file it.");
        assert_eq!(scrub("Owner: DCC"), "Owner: DCC");
        assert_eq!(scrub("meet @ 10"), "meet @ 10");
    }
}
