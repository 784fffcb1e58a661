//! The pages of decision records and inspection reports: lists with filters
//! and search, a page each, drafting and editing under versions, sign-offs,
//! publication, new versions, recommendations and their dated updates, and
//! the 56-day clock. Every form goes through [`submit`]: validate, then save
//! or show the form again with the message beside each wrong field.

use std::sync::LazyLock;

use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use scrutiny_core::definitions::Definitions;
use scrutiny_core::governance::{
    DecisionForm, DecisionState, Disclosure, FieldErrors, InspectionForm, Permission, RecommendationForm,
    RecommendationStatus, SignOffForm, Signatory,
};
use scrutiny_store::governance::{
    Actor, Decision, DecisionFilter, Inspection, InspectionFilter, Recommendation, Saved,
};

use crate::pages::{account, today};
use crate::views::{FormView, Layout, Options};
use crate::{AppError, AppState, Viewer};

/// A form as sent: every pair, so that repeated names (checkboxes) survive.
pub(crate) type Pairs = Vec<(String, String)>;

pub(crate) fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or("")
}

pub(crate) fn version(pairs: &Pairs) -> Result<i64, AppError> {
    value(pairs, "version").parse().map_err(|_| AppError::BadRequest("the form has no version: reload the page".into()))
}

pub(crate) fn page(status: StatusCode, template: impl Template) -> Result<Response, AppError> {
    let body = template.render().map_err(|error| AppError::internal(format!("rendering a page: {error}")))?;
    Ok((status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response())
}

/// The one shape of every form handler: a form that fails validation is shown
/// again (422) with what was typed and its errors; a valid one is saved.
pub(crate) async fn submit<T, Fut>(
    validated: Result<T, FieldErrors>,
    show_again: impl FnOnce(&FieldErrors) -> Result<Response, AppError>,
    save: impl FnOnce(T) -> Fut,
) -> Result<Response, AppError>
where
    Fut: std::future::Future<Output = Result<Response, AppError>>,
{
    submit_or_show(validated, |errors| std::future::ready(show_again(&errors)), save).await
}

/// [`submit`] for a form whose page is read again to show it (the meeting
/// page with its agenda, questions and actions): showing it is a future too.
pub(crate) async fn submit_or_show<T, Fut, Show>(
    validated: Result<T, FieldErrors>,
    show_again: impl FnOnce(FieldErrors) -> Show,
    save: impl FnOnce(T) -> Fut,
) -> Result<Response, AppError>
where
    Fut: std::future::Future<Output = Result<Response, AppError>>,
    Show: std::future::Future<Output = Result<Response, AppError>>,
{
    match validated {
        Ok(valid) => save(valid).await,
        Err(errors) => show_again(errors).await,
    }
}

pub(crate) fn see(path: String) -> Response {
    Redirect::to(&path).into_response()
}

/// The priorities of the built-in plans, as (`plan-id/priority-id`, "Plan: Priority").
pub(crate) static OBJECTIVES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    Definitions::builtin()
        .plans
        .iter()
        .flat_map(|plan| {
            plan.priorities.iter().map(move |priority| {
                (format!("{}/{}", plan.id, priority.id), format!("{}: {}", plan.title, priority.title))
            })
        })
        .collect()
});

pub(crate) fn known_objectives() -> Vec<String> {
    OBJECTIVES.iter().map(|(key, _)| key.clone()).collect()
}

pub(crate) fn objective_label(key: &str) -> String {
    OBJECTIVES.iter().find(|(known, _)| known == key).map(|(_, label)| label.clone()).unwrap_or_else(|| key.to_string())
}

pub(crate) fn options<T: Copy>(
    all: &[T],
    selected: &str,
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Options {
    all.iter().map(|item| (value(*item).to_string(), label(*item).to_string(), value(*item) == selected)).collect()
}

// ----- decisions: views

pub struct SignOffRow {
    pub office: &'static str,
    pub name: String,
    pub comment: String,
    pub date: String,
}

pub struct DecisionRow {
    pub id: i64,
    pub reference: String,
    pub revision: i64,
    pub supersedes_id: Option<i64>,
    pub superseded_by: Option<i64>,
    pub originator: String,
    pub title: String,
    pub executive_summary: String,
    pub recommendation: String,
    pub decision: String,
    pub confidential: bool,
    pub confidential_reason: String,
    pub objectives: Vec<String>,
    pub objectives_statement: String,
    pub equality_impact: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub signoffs: Vec<SignOffRow>,
    pub next_signatory: Option<&'static str>,
    pub next_signatory_label: &'static str,
    pub editable: bool,
    pub publishable: bool,
    pub correctable: bool,
    pub version: i64,
}

impl From<&Decision> for DecisionRow {
    fn from(decision: &Decision) -> DecisionRow {
        let next = Signatory::next(&decision.signed_by()).filter(|_| !decision.state.correctable());
        DecisionRow {
            id: decision.id,
            reference: decision.reference.to_string(),
            revision: decision.revision,
            supersedes_id: decision.supersedes_id,
            superseded_by: decision.superseded_by,
            originator: decision.originator.clone(),
            title: decision.title.clone(),
            executive_summary: decision.executive_summary.clone(),
            recommendation: decision.recommendation.clone(),
            decision: decision.decision.clone(),
            confidential: decision.disclosure == Disclosure::Confidential,
            confidential_reason: decision.confidential_reason.clone(),
            objectives: decision.objectives.iter().map(|key| objective_label(key)).collect(),
            objectives_statement: decision.objectives_statement.clone(),
            equality_impact: decision.equality_impact.clone(),
            state: decision.state.as_str(),
            state_label: decision.state.label(),
            signoffs: decision
                .signoffs
                .iter()
                .map(|signoff| SignOffRow {
                    office: signoff.signatory.label(),
                    name: signoff.name.clone(),
                    comment: signoff.comment.clone(),
                    date: signoff.signed_on.to_string(),
                })
                .collect(),
            next_signatory: next.map(Signatory::as_str),
            next_signatory_label: next.map(Signatory::label).unwrap_or(""),
            editable: decision.state.editable(),
            publishable: decision.state == DecisionState::Signed && decision.disclosure == Disclosure::Open,
            correctable: decision.state.correctable() && decision.superseded_by.is_none(),
            version: decision.version,
        }
    }
}

#[derive(Template)]
#[template(path = "decisions.html")]
pub struct DecisionsPage {
    pub layout: Layout,
    pub decisions: Vec<DecisionRow>,
    pub states: Options,
    pub year: String,
    pub q: String,
    pub problem: Option<String>,
    pub can_edit: bool,
}

#[derive(Template)]
#[template(path = "decision.html")]
pub struct DecisionPage {
    pub layout: Layout,
    pub decision: DecisionRow,
    pub notice: Option<String>,
    pub signoff_form: FormView,
    pub signatories: Options,
    pub can_edit: bool,
    pub can_sign: bool,
    pub can_publish: bool,
}

#[derive(Template)]
#[template(path = "decision_form.html")]
pub struct DecisionFormPage {
    pub layout: Layout,
    pub action: String,
    pub form: FormView,
    pub disclosures: Options,
    /// (key, label, checked).
    pub objectives: Options,
    pub conflict: Option<DecisionRow>,
}

// ----- decisions: handlers

pub async fn decisions(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<Pairs>,
) -> Result<Response, AppError> {
    let mut filter =
        DecisionFilter { include_confidential: viewer.role().may(Permission::ViewConfidential), ..Default::default() };
    let mut problems = Vec::new();
    let selected = value(&query, "state");
    if !selected.is_empty() {
        match selected.parse::<DecisionState>() {
            Ok(decision_state) => filter.state = Some(decision_state),
            Err(error) => problems.push(error.message().to_string()),
        }
    }
    let year = value(&query, "year").trim();
    if !year.is_empty() {
        match year.parse::<i32>() {
            Ok(year) if (1900..=9999).contains(&year) => filter.year = Some(year),
            _ => problems.push(format!("year: '{year}' is not a year like 2020")),
        }
    }
    let q = value(&query, "q").trim().to_string();
    if !q.is_empty() {
        filter.search = Some(q.clone());
    }
    let found = state.governance().decisions(&filter).await?;
    let states = [DecisionState::Draft, DecisionState::Signing, DecisionState::Signed, DecisionState::Published];
    page(
        StatusCode::OK,
        DecisionsPage {
            layout: Layout::new("Decisions", &viewer),
            decisions: found.iter().map(DecisionRow::from).collect(),
            states: options(&states, selected, DecisionState::as_str, DecisionState::label),
            year: year.to_string(),
            q,
            problem: (!problems.is_empty()).then(|| problems.join("; ")),
            can_edit: viewer.role().may(Permission::EditDecisions),
        },
    )
}

fn decision_values(pairs: &Pairs) -> DecisionForm {
    DecisionForm {
        originator: value(pairs, "originator").into(),
        title: value(pairs, "title").into(),
        executive_summary: value(pairs, "executive_summary").into(),
        recommendation: value(pairs, "recommendation").into(),
        decision: value(pairs, "decision").into(),
        disclosure: value(pairs, "disclosure").into(),
        confidential_reason: value(pairs, "confidential_reason").into(),
        objectives: pairs.iter().filter(|(key, _)| key == "objectives").map(|(_, value)| value.clone()).collect(),
        objectives_statement: value(pairs, "objectives_statement").into(),
        equality_impact: value(pairs, "equality_impact").into(),
    }
}

fn decision_form_of(decision: &Decision) -> DecisionForm {
    DecisionForm {
        originator: decision.originator.clone(),
        title: decision.title.clone(),
        executive_summary: decision.executive_summary.clone(),
        recommendation: decision.recommendation.clone(),
        decision: decision.decision.clone(),
        disclosure: decision.disclosure.as_str().into(),
        confidential_reason: decision.confidential_reason.clone(),
        objectives: decision.objectives.clone(),
        objectives_statement: decision.objectives_statement.clone(),
        equality_impact: decision.equality_impact.clone(),
    }
}

#[allow(clippy::too_many_arguments)]
fn decision_form_page(
    viewer: &Viewer,
    title: &str,
    action: String,
    form: &DecisionForm,
    version: Option<i64>,
    errors: Option<&FieldErrors>,
    conflict: Option<&Decision>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let version = version.map(|v| v.to_string()).unwrap_or_default();
    let values = [
        ("originator", form.originator.as_str()),
        ("title", form.title.as_str()),
        ("executive_summary", form.executive_summary.as_str()),
        ("recommendation", form.recommendation.as_str()),
        ("decision", form.decision.as_str()),
        ("confidential_reason", form.confidential_reason.as_str()),
        ("objectives_statement", form.objectives_statement.as_str()),
        ("equality_impact", form.equality_impact.as_str()),
        ("version", version.as_str()),
    ];
    let disclosures = [Disclosure::Open, Disclosure::Confidential];
    page(
        status,
        DecisionFormPage {
            layout: Layout::new(title, viewer),
            action,
            form: FormView::new(&values, errors),
            disclosures: options(&disclosures, &form.disclosure, Disclosure::as_str, Disclosure::label),
            objectives: OBJECTIVES
                .iter()
                .map(|(key, label)| (key.clone(), label.clone(), form.objectives.contains(key)))
                .collect(),
            conflict: conflict.map(DecisionRow::from),
        },
    )
}

pub async fn decision_new(Extension(viewer): Extension<Viewer>) -> Result<Response, AppError> {
    let form = DecisionForm { disclosure: "open".into(), ..Default::default() };
    decision_form_page(&viewer, "Draft a decision", "/decisions".into(), &form, None, None, None, StatusCode::OK)
}

pub async fn decision_create(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    let form = decision_values(&pairs);
    submit(
        form.validate(&known_objectives()),
        |errors| {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            decision_form_page(viewer, "Draft a decision", "/decisions".into(), &form, None, Some(errors), None, status)
        },
        |valid| async move {
            let actor = Actor::user(account(viewer)?);
            let decision = state.governance().create_decision(&actor, &valid, today(state)).await?;
            Ok(see(format!("/decisions/{}", decision.id)))
        },
    )
    .await
}

/// The decision, unless it is confidential and the viewer may not read it.
pub(crate) async fn readable_decision(state: &AppState, viewer: &Viewer, id: i64) -> Result<Decision, AppError> {
    let decision = state.governance().decision(id).await?;
    if decision.disclosure == Disclosure::Confidential && !viewer.role().may(Permission::ViewConfidential) {
        return Err(AppError::NotFound);
    }
    Ok(decision)
}

fn decision_view(
    viewer: &Viewer,
    decision: &Decision,
    notice: Option<String>,
    signoff: Option<(&SignOffForm, Option<&FieldErrors>)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let row = DecisionRow::from(decision);
    let typed = signoff.map(|(form, _)| form.clone()).unwrap_or_default();
    let values = [("name", typed.name.as_str()), ("comment", typed.comment.as_str()), ("date", typed.date.as_str())];
    let selected = if typed.signatory.is_empty() { row.next_signatory.unwrap_or("") } else { typed.signatory.as_str() };
    let role = viewer.role();
    page(
        status,
        DecisionPage {
            layout: Layout::new(&format!("{} {}", row.reference, row.title), viewer),
            signoff_form: FormView::new(&values, signoff.and_then(|(_, errors)| errors)),
            signatories: options(&Signatory::ORDER, selected, Signatory::as_str, Signatory::label),
            decision: row,
            notice,
            can_edit: role.may(Permission::EditDecisions),
            can_sign: role.may(Permission::SignDecision),
            can_publish: role.may(Permission::PublishDecision),
        },
    )
}

pub async fn decision_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let decision = readable_decision(&state, &viewer, id).await?;
    decision_view(&viewer, &decision, None, None, StatusCode::OK)
}

pub async fn decision_edit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let decision = readable_decision(&state, &viewer, id).await?;
    if !decision.state.editable() {
        return Err(AppError::Refused(
            "a decision record cannot be edited once signing has started: draft a new version instead".into(),
        ));
    }
    let action = format!("/decisions/{id}/edit");
    let form = decision_form_of(&decision);
    decision_form_page(&viewer, "Edit the draft", action, &form, Some(decision.version), None, None, StatusCode::OK)
}

pub async fn decision_update(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    let form = &decision_values(&pairs);
    let version = version(&pairs)?;
    let action = &format!("/decisions/{id}/edit");
    submit(
        form.validate(&known_objectives()),
        |errors| {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            decision_form_page(
                viewer,
                "Edit the draft",
                action.clone(),
                form,
                Some(version),
                Some(errors),
                None,
                status,
            )
        },
        |valid| async move {
            let actor = Actor::user(account(viewer)?);
            match state.governance().update_decision(&actor, id, version, &valid).await? {
                Saved::Done(decision) => Ok(see(format!("/decisions/{}", decision.id))),
                Saved::Stale { current } => decision_form_page(
                    viewer,
                    "Edit the draft",
                    action.clone(),
                    form,
                    Some(current.version),
                    None,
                    Some(&current),
                    StatusCode::CONFLICT,
                ),
            }
        },
    )
    .await
}

pub async fn decision_sign(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    let version = version(&pairs)?;
    let form = &SignOffForm {
        signatory: value(&pairs, "signatory").into(),
        name: value(&pairs, "name").into(),
        comment: value(&pairs, "comment").into(),
        date: value(&pairs, "date").into(),
    };
    let decision = readable_decision(state, viewer, id).await?;
    submit(
        form.validate(),
        |errors| {
            decision_view(viewer, &decision, None, Some((form, Some(errors))), StatusCode::UNPROCESSABLE_ENTITY)
        },
        |valid| async move {
            let actor = Actor::user(account(viewer)?);
            match state.governance().sign_decision(&actor, id, version, &valid).await? {
                Saved::Done(_) => Ok(see(format!("/decisions/{id}"))),
                Saved::Stale { current } => {
                    let notice = "The record changed since you loaded the page (someone else signed or edited it); nothing was saved. Check it below and sign again.";
                    decision_view(viewer, &current, Some(notice.into()), Some((form, None)), StatusCode::CONFLICT)
                }
            }
        },
    )
    .await
}

pub async fn decision_publish(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let version = version(&pairs)?;
    readable_decision(&state, &viewer, id).await?;
    match state.governance().publish_decision(&Actor::user(account(&viewer)?), id, version).await? {
        Saved::Done(_) => Ok(see(format!("/decisions/{id}"))),
        Saved::Stale { current } => {
            let notice = "The record changed since you loaded the page; nothing was published. Check it below and publish again.";
            decision_view(&viewer, &current, Some(notice.into()), None, StatusCode::CONFLICT)
        }
    }
}

pub async fn decision_new_version(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    readable_decision(&state, &viewer, id).await?;
    let correction = state.governance().new_decision_version(&Actor::user(account(&viewer)?), id).await?;
    Ok(see(format!("/decisions/{}/edit", correction.id)))
}

// ----- inspections: views

pub struct UpdateRow {
    pub at: String,
    pub actor: String,
    pub status: &'static str,
    pub force_position: String,
    pub note: String,
}

pub struct RecommendationRow {
    pub id: i64,
    pub position: i64,
    pub text: String,
    pub force_position: String,
    pub lead: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub updates: Vec<UpdateRow>,
    pub version: i64,
    pub statuses: Options,
    /// A message for this recommendation's form (a validation error or a conflict).
    pub error: Option<String>,
}

impl From<&Recommendation> for RecommendationRow {
    fn from(recommendation: &Recommendation) -> RecommendationRow {
        RecommendationRow {
            id: recommendation.id,
            position: recommendation.position,
            text: recommendation.text.clone(),
            force_position: recommendation.force_position.clone(),
            lead: recommendation.lead.clone(),
            status: recommendation.status.as_str(),
            status_label: recommendation.status.label(),
            updates: recommendation
                .updates
                .iter()
                .map(|update| UpdateRow {
                    at: update.at.clone(),
                    actor: update.actor.clone(),
                    status: update.status.label(),
                    force_position: update.force_position.clone(),
                    note: update.note.clone(),
                })
                .collect(),
            version: recommendation.version,
            statuses: status_options(recommendation.status.as_str()),
            error: None,
        }
    }
}

fn status_options(selected: &str) -> Options {
    options(&RecommendationStatus::ALL, selected, RecommendationStatus::as_str, RecommendationStatus::label)
}

pub struct InspectionRow {
    pub id: i64,
    pub body: String,
    pub title: String,
    pub published: String,
    pub due: String,
    pub clock: String,
    pub overdue: bool,
    pub late: bool,
    pub response_note: String,
    pub recommendations: Vec<RecommendationRow>,
    pub complete: usize,
    pub version: i64,
}

impl InspectionRow {
    fn new(inspection: &Inspection, today: scrutiny_core::governance::Date) -> InspectionRow {
        let clock = inspection.clock(today);
        InspectionRow {
            id: inspection.id,
            body: inspection.body.clone(),
            title: inspection.title.clone(),
            published: inspection.published.to_string(),
            due: clock.due.to_string(),
            clock: clock.describe(),
            overdue: clock.overdue(),
            late: clock.late(),
            response_note: inspection.response_note.clone(),
            recommendations: inspection.recommendations.iter().map(RecommendationRow::from).collect(),
            complete: inspection.recommendations.iter().filter(|r| r.status == RecommendationStatus::Complete).count(),
            version: inspection.version,
        }
    }
}

#[derive(Template)]
#[template(path = "inspections.html")]
pub struct InspectionsPage {
    pub layout: Layout,
    pub inspections: Vec<InspectionRow>,
    pub overdue_only: bool,
    pub q: String,
    pub can_edit: bool,
}

#[derive(Template)]
#[template(path = "inspection.html")]
pub struct InspectionPage {
    pub layout: Layout,
    pub inspection: InspectionRow,
    pub notice: Option<String>,
    pub recommendation_form: FormView,
    pub new_statuses: Options,
    pub response_form: FormView,
    pub can_edit: bool,
    pub can_update: bool,
}

#[derive(Template)]
#[template(path = "inspection_form.html")]
pub struct InspectionFormPage {
    pub layout: Layout,
    pub form: FormView,
}

// ----- inspections: handlers

pub async fn inspections(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<Pairs>,
) -> Result<Response, AppError> {
    let today = today(&state);
    let overdue_only = value(&query, "overdue") == "1";
    let q = value(&query, "q").trim().to_string();
    let filter = InspectionFilter {
        overdue_on: overdue_only.then_some(today),
        search: Some(q.clone()).filter(|q| !q.is_empty()),
    };
    let found = state.governance().inspections(&filter).await?;
    page(
        StatusCode::OK,
        InspectionsPage {
            layout: Layout::new("Inspections", &viewer),
            inspections: found.iter().map(|inspection| InspectionRow::new(inspection, today)).collect(),
            overdue_only,
            q,
            can_edit: viewer.role().may(Permission::EditInspections),
        },
    )
}

fn inspection_form_page(
    viewer: &Viewer,
    form: &InspectionForm,
    errors: Option<&FieldErrors>,
) -> Result<Response, AppError> {
    let values = [("body", form.body.as_str()), ("title", form.title.as_str()), ("published", form.published.as_str())];
    let status = if errors.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    page(
        status,
        InspectionFormPage {
            layout: Layout::new("Add an inspection report", viewer),
            form: FormView::new(&values, errors),
        },
    )
}

pub async fn inspection_new(Extension(viewer): Extension<Viewer>) -> Result<Response, AppError> {
    inspection_form_page(&viewer, &InspectionForm { body: "HMICFRS".into(), ..Default::default() }, None)
}

pub async fn inspection_create(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    let form = InspectionForm {
        body: value(&pairs, "body").into(),
        title: value(&pairs, "title").into(),
        published: value(&pairs, "published").into(),
    };
    submit(
        form.validate(),
        |errors| inspection_form_page(viewer, &form, Some(errors)),
        |valid| async move {
            let inspection = state.governance().create_inspection(&Actor::user(account(viewer)?), &valid).await?;
            Ok(see(format!("/inspections/{}", inspection.id)))
        },
    )
    .await
}

/// What an inspection page shows besides the stored data.
#[derive(Default)]
struct InspectionExtras {
    notice: Option<String>,
    recommendation_form: FormView,
    response_form: FormView,
    /// A recommendation's update being corrected: id, typed form, message.
    update: Option<(i64, RecommendationForm, String)>,
}

async fn inspection_view(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    extras: InspectionExtras,
    status: StatusCode,
) -> Result<Response, AppError> {
    let inspection = state.governance().inspection(id).await?;
    let mut row = InspectionRow::new(&inspection, today(state));
    if let Some((recommendation_id, form, message)) = extras.update
        && let Some(recommendation) = row.recommendations.iter_mut().find(|r| r.id == recommendation_id)
    {
        recommendation.force_position = form.force_position;
        recommendation.lead = form.lead;
        recommendation.statuses = status_options(&form.status);
        recommendation.error = Some(message);
    }
    let role = viewer.role();
    page(
        status,
        InspectionPage {
            layout: Layout::new(&inspection.title, viewer),
            inspection: row,
            notice: extras.notice,
            recommendation_form: extras.recommendation_form,
            new_statuses: status_options("awaiting-review"),
            response_form: extras.response_form,
            can_edit: role.may(Permission::EditInspections),
            can_update: role.may(Permission::UpdateRecommendation),
        },
    )
}

pub async fn inspection_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    inspection_view(&state, &viewer, id, InspectionExtras::default(), StatusCode::OK).await
}

fn recommendation_values(pairs: &Pairs) -> RecommendationForm {
    RecommendationForm {
        text: value(pairs, "text").into(),
        force_position: value(pairs, "force_position").into(),
        lead: value(pairs, "lead").into(),
        status: value(pairs, "status").into(),
        note: value(pairs, "note").into(),
    }
}

pub async fn recommendation_add(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let form = recommendation_values(&pairs);
    let validated = form.validate(true);
    if let Err(errors) = &validated {
        let values = [
            ("text", form.text.as_str()),
            ("force_position", form.force_position.as_str()),
            ("lead", form.lead.as_str()),
        ];
        let extras =
            InspectionExtras { recommendation_form: FormView::new(&values, Some(errors)), ..Default::default() };
        return inspection_view(&state, &viewer, id, extras, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let valid = validated.map_err(|_| AppError::internal("validated twice"))?;
    state.governance().add_recommendation(&Actor::user(account(&viewer)?), id, &valid).await?;
    Ok(see(format!("/inspections/{id}")))
}

pub async fn recommendation_update(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let version = version(&pairs)?;
    let form = recommendation_values(&pairs);
    let recommendation = state.governance().recommendation(id).await?;
    let inspection_id = recommendation.inspection_id;
    let validated = form.validate(false);
    let valid = match validated {
        Ok(valid) => valid,
        Err(errors) => {
            let message = errors.errors.iter().map(|(_, message)| message.clone()).collect::<Vec<_>>().join("; ");
            let extras = InspectionExtras { update: Some((id, form, message)), ..Default::default() };
            return inspection_view(&state, &viewer, inspection_id, extras, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match state.governance().update_recommendation(&Actor::user(account(&viewer)?), id, version, &valid).await? {
        Saved::Done(_) => Ok(see(format!("/inspections/{inspection_id}#recommendation-{id}"))),
        Saved::Stale { current } => {
            let message = format!(
                "Someone else updated this recommendation while you were editing; nothing of yours was saved. It now reads: status {}, position \"{}\". Your text is kept here; save again if it still applies.",
                current.status.label(),
                current.force_position
            );
            let extras = InspectionExtras { update: Some((id, form, message)), ..Default::default() };
            inspection_view(&state, &viewer, inspection_id, extras, StatusCode::CONFLICT).await
        }
    }
}

pub async fn inspection_response(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let version = version(&pairs)?;
    let published = value(&pairs, "published_on");
    let note = value(&pairs, "note");
    let parsed = published.parse::<scrutiny_core::governance::Date>();
    let show = |message: String, status: StatusCode| {
        let mut errors = FieldErrors::default();
        errors.add("published_on", message);
        let values = [("published_on", published), ("note", note)];
        let extras = InspectionExtras { response_form: FormView::new(&values, Some(&errors)), ..Default::default() };
        inspection_view(&state, &viewer, id, extras, status)
    };
    let published_on = match parsed {
        Ok(date) => date,
        Err(error) => return show(error.message().to_string(), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let actor = Actor::user(account(&viewer)?);
    match state.governance().record_inspection_response(&actor, id, version, published_on, note).await {
        Ok(Saved::Done(_)) => Ok(see(format!("/inspections/{id}"))),
        Ok(Saved::Stale { .. }) => {
            show("someone else changed this report; check it and save again".into(), StatusCode::CONFLICT).await
        }
        Err(error) if error.kind == scrutiny_store::ErrorKind::Invalid => {
            show(error.message().to_string(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => Err(error.into()),
    }
}
