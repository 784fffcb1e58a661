//! The handlers: each reads what the [`guard`](crate::guard) already allowed,
//! validates forms with the core's rules, saves through the store and
//! renders a page. A form with errors is shown again with what was typed and
//! a message by each wrong field; a save of a stale version shows the other
//! person's change and keeps this person's.

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use scrutiny_core::governance::{
    self, ActionForm, ActionStatus, Date, DischargeForm, DischargedWhere, FieldErrors, MeetingForm, MeetingKind,
    Permission, QuestionForm,
};
use scrutiny_store::governance::{Action, ActionFilter, Actor, Meeting, MeetingFilter, PaperFilter, Saved, User};

use crate::auth::{self, LOGIN_COOKIE, SESSION_COOKIE};
use crate::records::{see, submit, submit_or_show};
use crate::views::{
    ActionPage, ActionRow, ActionsPage, AuditPage, AuditRow, FormView, HistoryRow, HomePage, Layout, LoginPage,
    MeetingFormPage, MeetingPage, MeetingRow, MeetingsPage, Options, PaperRow, QuestionRow, agenda_options,
    category_options, kind_options, plan_options,
};
use crate::{AppError, AppState, Viewer, html_response};

pub(crate) type Fields = HashMap<String, String>;

pub(crate) fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).map(String::as_str).unwrap_or("")
}

fn render(template: impl Template) -> Result<Response, AppError> {
    template.render().map(html_response).map_err(|error| AppError::internal(format!("rendering a page: {error}")))
}

pub(crate) fn today(state: &AppState) -> Date {
    Date::from_days_since_epoch(state.now().div_euclid(86_400))
}

/// The account of a viewer the guard let through to a page that needs one.
pub(crate) fn account(viewer: &Viewer) -> Result<&User, AppError> {
    viewer.session.as_ref().map(|session| &session.user).ok_or(AppError::Forbidden)
}

pub(crate) fn version(fields: &Fields) -> Result<i64, AppError> {
    field(fields, "version")
        .parse()
        .map_err(|_| AppError::BadRequest("the form has no version: reload the page".into()))
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// Staff see their start page; everyone else the public portal.
pub async fn home(State(state): State<AppState>, Extension(viewer): Extension<Viewer>) -> Result<Response, AppError> {
    if viewer.session.is_none() {
        return crate::portal::portal_home_page(&state, &viewer).await;
    }
    render(HomePage { layout: Layout::new("Start", &viewer) })
}

// ----- logging in and out

#[derive(serde::Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn login_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    if viewer.session.is_some() {
        return Ok(Redirect::to(auth::safe_next(&query.next)).into_response());
    }
    login_form(&state, String::new(), query.next, None, axum::http::StatusCode::OK)
}

fn login_form(
    state: &AppState,
    email: String,
    next: String,
    message: Option<String>,
    status: axum::http::StatusCode,
) -> Result<Response, AppError> {
    let token = auth::random_token()?;
    let page = LoginPage { layout: Layout::for_session("Log in", None, token.clone()), email, next, message };
    let body = page.render().map_err(|error| AppError::internal(format!("rendering a page: {error}")))?;
    let cookie = auth::set_cookie(state, LOGIN_COOKIE, &token, 60 * 60);
    Ok((status, [(header::SET_COOKIE, cookie), (header::CONTENT_TYPE, "text/html; charset=utf-8".into())], body)
        .into_response())
}

/// The one message for an unknown account and a wrong password.
pub const LOGIN_FAILED: &str = "The email or password is not right.";
pub const LOGIN_THROTTLED: &str = "Too many failed attempts. Wait 15 minutes and try again.";

pub async fn login_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let email = field(&fields, "email").trim().to_string();
    let next = field(&fields, "next").to_string();
    let throttle = &state.inner.throttle;
    if throttle.blocked(&state, &email, &viewer.address) {
        return login_form(
            &state,
            email,
            next,
            Some(LOGIN_THROTTLED.into()),
            axum::http::StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let Some(user) = auth::authenticate(&state, &email, field(&fields, "password")).await? else {
        throttle.record_failure(&state, &email, &viewer.address);
        return login_form(&state, email, next, Some(LOGIN_FAILED.into()), axum::http::StatusCode::UNAUTHORIZED);
    };
    throttle.record_success(&email, &viewer.address);
    let token = auth::random_token()?;
    let now = state.now();
    let seconds = state.config().session_seconds;
    state.governance().delete_expired_sessions(now).await?;
    state
        .governance()
        .create_session(&auth::token_hash(&token), user.id, &auth::random_token()?, now, now + seconds)
        .await?;
    let cookie = auth::set_cookie(&state, SESSION_COOKIE, &token, seconds);
    let clear_login = auth::set_cookie(&state, LOGIN_COOKIE, "", 0);
    let mut response = Redirect::to(auth::safe_next(&next)).into_response();
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, cookie.parse().map_err(|_| AppError::internal("cookie header"))?);
    headers.append(header::SET_COOKIE, clear_login.parse().map_err(|_| AppError::internal("cookie header"))?);
    Ok(response)
}

pub async fn logout(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Result<Response, AppError> {
    if let Some(token) = auth::cookie(&headers, SESSION_COOKIE) {
        state.governance().delete_session(&auth::token_hash(&token)).await?;
    }
    let clear = auth::set_cookie(&state, SESSION_COOKIE, "", 0);
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/")).into_response())
}

// ----- meetings

pub async fn meetings(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<Fields>,
) -> Result<Response, AppError> {
    let mut filter = MeetingFilter::default();
    let mut problems = Vec::new();
    let kind = field(&query, "kind");
    if !kind.is_empty() {
        match kind.parse::<MeetingKind>() {
            Ok(kind) => filter.kind = Some(kind),
            Err(error) => problems.push(error.message().to_string()),
        }
    }
    for (name, slot) in [("from", &mut filter.from), ("to", &mut filter.to)] {
        let value = field(&query, name);
        if !value.is_empty() {
            match value.parse::<Date>() {
                Ok(date) => *slot = Some(date),
                Err(error) => problems.push(format!("{name}: {}", error.message())),
            }
        }
    }
    let q = field(&query, "q").trim().to_string();
    if !q.is_empty() {
        filter.search = Some(q.clone());
    }
    let found = state.governance().meetings(&filter).await?;
    render(MeetingsPage {
        layout: Layout::new("Meetings", &viewer),
        meetings: found.iter().map(MeetingRow::from).collect(),
        kinds: kind_options(kind, true),
        from: field(&query, "from").to_string(),
        to: field(&query, "to").to_string(),
        q,
        problem: (!problems.is_empty()).then(|| problems.join("; ")),
        can_edit: viewer.role().may(Permission::EditMeetings),
    })
}

fn meeting_values(fields: &Fields) -> MeetingForm {
    MeetingForm {
        kind: field(fields, "kind").to_string(),
        title: field(fields, "title").to_string(),
        date: field(fields, "date").to_string(),
        venue: field(fields, "venue").to_string(),
        attendees: field(fields, "attendees").to_string(),
    }
}

fn meeting_form_page(
    viewer: &Viewer,
    title: &str,
    action: String,
    form: &MeetingForm,
    version: Option<i64>,
    errors: Option<&FieldErrors>,
    conflict: Option<&Meeting>,
) -> Result<Response, AppError> {
    let version = version.map(|v| v.to_string()).unwrap_or_default();
    let values = [
        ("title", form.title.as_str()),
        ("date", form.date.as_str()),
        ("venue", form.venue.as_str()),
        ("attendees", form.attendees.as_str()),
        ("version", version.as_str()),
    ];
    let status = if errors.is_some() || conflict.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = MeetingFormPage {
        layout: Layout::new(title, viewer),
        action,
        form: FormView::new(&values, errors),
        kinds: kind_options(&form.kind, false),
        conflict: conflict.map(MeetingRow::from),
    };
    let body = page.render().map_err(|error| AppError::internal(format!("rendering a page: {error}")))?;
    Ok((status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response())
}

pub async fn meeting_new(Extension(viewer): Extension<Viewer>) -> Result<Response, AppError> {
    let form = MeetingForm { kind: "board".into(), ..Default::default() };
    meeting_form_page(&viewer, "Add a meeting", "/meetings".into(), &form, None, None, None)
}

pub async fn meeting_create(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    let form = meeting_values(&fields);
    submit(
        form.validate(),
        |errors| meeting_form_page(viewer, "Add a meeting", "/meetings".into(), &form, None, Some(errors), None),
        |valid| async move {
            let meeting = state.governance().create_meeting(&Actor::user(account(viewer)?), &valid).await?;
            Ok(Redirect::to(&format!("/meetings/{}", meeting.id)).into_response())
        },
    )
    .await
}

pub async fn meeting_edit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let meeting = state.governance().meeting(id).await?;
    let form = MeetingForm {
        kind: meeting.kind.as_str().into(),
        title: meeting.title.clone(),
        date: meeting.date.to_string(),
        venue: meeting.venue.clone(),
        attendees: meeting.attendees.clone(),
    };
    meeting_form_page(
        &viewer,
        "Edit the meeting",
        format!("/meetings/{id}/edit"),
        &form,
        Some(meeting.version),
        None,
        None,
    )
}

pub async fn meeting_update(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    let form = meeting_values(&fields);
    let version = version(&fields)?;
    let action = format!("/meetings/{id}/edit");
    let (form, action) = (&form, &action);
    submit(
        form.validate(),
        |errors| meeting_form_page(viewer, "Edit the meeting", action.clone(), form, Some(version), Some(errors), None),
        |valid| async move {
            match state.governance().update_meeting(&Actor::user(account(viewer)?), id, version, &valid).await? {
                Saved::Done(meeting) => Ok(Redirect::to(&format!("/meetings/{}", meeting.id)).into_response()),
                Saved::Stale { current } => meeting_form_page(
                    viewer,
                    "Edit the meeting",
                    action.clone(),
                    form,
                    Some(current.version),
                    None,
                    Some(&current),
                ),
            }
        },
    )
    .await
}

/// What a meeting page shows besides the stored data: a form being corrected, a notice.
#[derive(Default)]
pub(crate) struct MeetingExtras {
    pub notice: Option<String>,
    pub agenda_form: FormView,
    pub question_form: FormView,
    pub action_form: FormView,
    /// The upload form being corrected.
    pub paper_form: FormView,
    /// The generated paper's form being corrected.
    pub generate_form: FormView,
    /// A response being corrected: question id, draft, message.
    pub response: Option<(i64, String, String)>,
    pub status: Option<axum::http::StatusCode>,
}

/// The changes of `records` (entity, id) from the audit log, newest first.
async fn history(state: &AppState, records: &[(&str, i64)]) -> Result<Vec<HistoryRow>, AppError> {
    let entries = state.governance().history(records, false, HISTORY_LIMIT).await?;
    // The log names an account by its e-mail; a page names people as the application does.
    let users = state.governance().users().await?;
    let name = |actor: &str| {
        users.iter().find(|user| user.email == actor).map(|user| user.display_name.clone()).unwrap_or(actor.to_string())
    };
    Ok(entries.iter().map(|entry| HistoryRow::new(entry, name(&entry.actor))).collect())
}

/// The most changes a page lists (the audit log has them all).
const HISTORY_LIMIT: i64 = 200;

pub(crate) async fn meeting_view(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    extras: MeetingExtras,
) -> Result<Response, AppError> {
    let governance = state.governance();
    let meeting = governance.meeting(id).await?;
    let agenda = governance.agenda(id).await?;
    let questions = governance.questions(Some(id), false).await?;
    let today = today(state);
    let actions = governance.actions(&ActionFilter { meeting_id: Some(id), ..Default::default() }).await?;
    let papers = governance.papers(&PaperFilter { meeting_id: Some(id), ..Default::default() }).await?;
    let [can_edit, can_ask, can_respond, can_publish, can_raise] = MeetingPage::permissions(viewer.role());
    let mut records = vec![("meeting", id)];
    records.extend(agenda.iter().map(|item| ("agenda_item", item.id)));
    records.extend(questions.iter().map(|question| ("question", question.id)));
    records.extend(papers.iter().map(|paper| ("paper", paper.id)));
    let history = history(state, &records).await?;
    let mut question_rows: Vec<QuestionRow> = questions.iter().map(QuestionRow::from).collect();
    if let Some((question_id, draft, message)) = extras.response
        && let Some(row) = question_rows.iter_mut().find(|row| row.id == question_id)
    {
        row.draft = draft;
        row.error = Some(message);
    }
    let page = MeetingPage {
        layout: Layout::new(&meeting.title, viewer),
        meeting: MeetingRow::from(&meeting),
        agenda: agenda.clone(),
        questions: question_rows,
        actions: actions.iter().map(|action| ActionRow::new(action, today)).collect(),
        notice: extras.notice,
        agenda_form: extras.agenda_form,
        question_form: extras.question_form,
        action_form: extras.action_form,
        papers: papers.iter().map(|paper| PaperRow::new(paper, &agenda)).collect(),
        history,
        category_options: category_options(extras.paper_form.value("category")),
        plan_options: plan_options(extras.generate_form.value("plan")),
        paper_item_options: agenda_options(&agenda, extras.paper_form.value("agenda_item")),
        generate_item_options: agenda_options(&agenda, extras.generate_form.value("agenda_item")),
        paper_form: extras.paper_form,
        generate_form: extras.generate_form,
        can_edit,
        can_ask,
        can_respond,
        can_publish,
        can_raise,
    };
    let body = page.render().map_err(|error| AppError::internal(format!("rendering a page: {error}")))?;
    let status = extras.status.unwrap_or(axum::http::StatusCode::OK);
    Ok((status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response())
}

pub async fn meeting_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    meeting_view(&state, &viewer, id, MeetingExtras::default()).await
}

const INVALID: Option<axum::http::StatusCode> = Some(axum::http::StatusCode::UNPROCESSABLE_ENTITY);

pub async fn agenda_add(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    let title = field(&fields, "title");
    let paper = field(&fields, "paper");
    let validated = if title.trim().is_empty() || title.chars().count() > 200 || paper.chars().count() > 200 {
        let mut errors = FieldErrors::default();
        errors.add("title", "the title is required (at most 200 characters)");
        Err(errors)
    } else {
        Ok((title, paper))
    };
    submit_or_show(
        validated,
        |errors| {
            let agenda_form = FormView::new(&[("title", title), ("paper", paper)], Some(&errors));
            meeting_view(state, viewer, id, MeetingExtras { agenda_form, status: INVALID, ..Default::default() })
        },
        |(title, paper)| async move {
            state.governance().add_agenda_item(&Actor::user(account(viewer)?), id, title, paper).await?;
            Ok(Redirect::to(&format!("/meetings/{id}")).into_response())
        },
    )
    .await
}

// ----- questions

pub async fn question_ask(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let form = QuestionForm {
        paper: field(&fields, "paper").into(),
        priority: field(&fields, "priority").into(),
        text: field(&fields, "text").into(),
    };
    let (state, viewer, form) = (&state, &viewer, &form);
    submit_or_show(
        form.validate(),
        |errors| {
            let values =
                [("paper", form.paper.as_str()), ("priority", form.priority.as_str()), ("text", form.text.as_str())];
            let question_form = FormView::new(&values, Some(&errors));
            meeting_view(state, viewer, id, MeetingExtras { question_form, status: INVALID, ..Default::default() })
        },
        |valid| async move {
            let question = state.governance().ask_question(account(viewer)?, id, &valid).await?;
            Ok(Redirect::to(&format!("/meetings/{id}#question-{}", question.id)).into_response())
        },
    )
    .await
}

pub async fn question_respond(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let (state, viewer) = (&state, &viewer);
    let question = state.governance().question(id).await?;
    let draft = field(&fields, "response").to_string();
    let version = version(&fields)?;
    let draft = &draft;
    submit_or_show(
        governance::validate_response(draft),
        |errors| {
            let message = errors.get("response").unwrap_or("the response is not valid").to_string();
            let extras =
                MeetingExtras { response: Some((id, draft.clone(), message)), status: INVALID, ..Default::default() };
            meeting_view(state, viewer, question.meeting_id, extras)
        },
        |response| async move {
            match state.governance().respond(account(viewer)?, id, version, &response).await? {
                Saved::Done(_) => {
                    Ok(Redirect::to(&format!("/meetings/{}#question-{id}", question.meeting_id)).into_response())
                }
                Saved::Stale { current } => {
                    let message = format!(
                        "Someone else saved a response while you were writing. Theirs is shown above: \"{}\". Your text is kept here; submit again to replace it.",
                        current.response.unwrap_or_default()
                    );
                    let extras = MeetingExtras {
                        response: Some((id, draft.clone(), message)),
                        status: Some(axum::http::StatusCode::CONFLICT),
                        ..Default::default()
                    };
                    meeting_view(state, viewer, current.meeting_id, extras).await
                }
            }
        },
    )
    .await
}

pub async fn question_publish(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let version = version(&fields)?;
    match state.governance().publish_question(account(&viewer)?, id, version).await? {
        Saved::Done(question) => {
            Ok(Redirect::to(&format!("/meetings/{}#question-{id}", question.meeting_id)).into_response())
        }
        Saved::Stale { current } => {
            let notice = "The response changed since you loaded the page; nothing was published. Read the response below and publish again.";
            let extras = MeetingExtras {
                notice: Some(notice.into()),
                status: Some(axum::http::StatusCode::CONFLICT),
                ..Default::default()
            };
            meeting_view(&state, &viewer, current.meeting_id, extras).await
        }
    }
}

// ----- actions

pub async fn action_raise(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let form = ActionForm {
        text: field(&fields, "text").into(),
        owner: field(&fields, "owner").into(),
        due: field(&fields, "due").into(),
    };
    let (state, viewer, form) = (&state, &viewer, &form);
    submit_or_show(
        form.validate(),
        |errors| {
            let values = [("text", form.text.as_str()), ("owner", form.owner.as_str()), ("due", form.due.as_str())];
            let action_form = FormView::new(&values, Some(&errors));
            meeting_view(state, viewer, id, MeetingExtras { action_form, status: INVALID, ..Default::default() })
        },
        |valid| async move {
            let action = state.governance().raise_action(&Actor::user(account(viewer)?), id, &valid).await?;
            Ok(Redirect::to(&format!("/actions/{}", action.id)).into_response())
        },
    )
    .await
}

fn status_options(selected: &str) -> Options {
    [("", "Any"), ("open", "Open"), ("overdue", "Overdue"), ("discharged", "Discharged")]
        .iter()
        .map(|(value, label)| (value.to_string(), label.to_string(), *value == selected))
        .collect()
}

pub async fn actions(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<Fields>,
) -> Result<Response, AppError> {
    let today = today(&state);
    let status = field(&query, "status");
    let mut filter = ActionFilter::default();
    match status {
        "open" => filter.status = Some(ActionStatus::Open),
        "discharged" => filter.status = Some(ActionStatus::Discharged),
        "overdue" => filter.overdue_on = Some(today),
        _ => {}
    }
    if let Ok(meeting_id) = field(&query, "meeting").parse() {
        filter.meeting_id = Some(meeting_id);
    }
    let q = field(&query, "q").trim().to_string();
    if !q.is_empty() {
        filter.search = Some(q.clone());
    }
    let found = state.governance().actions(&filter).await?;
    let rows: Vec<ActionRow> = found.iter().map(|action| ActionRow::new(action, today)).collect();
    let overdue_count = rows.iter().filter(|row| row.overdue).count();
    render(ActionsPage {
        layout: Layout::new("Actions", &viewer),
        actions: rows,
        statuses: status_options(status),
        q,
        overdue_count,
    })
}

fn place_options(selected: &str) -> Options {
    DischargedWhere::ALL
        .iter()
        .map(|place| (place.as_str().to_string(), place.label().to_string(), place.as_str() == selected))
        .collect()
}

struct ActionExtras {
    notice: Option<String>,
    progress_draft: Option<String>,
    discharge: Option<(DischargeForm, Option<FieldErrors>)>,
    status: axum::http::StatusCode,
}

async fn action_view(
    state: &AppState,
    viewer: &Viewer,
    action: &Action,
    extras: ActionExtras,
) -> Result<Response, AppError> {
    let meeting = state.governance().meeting(action.meeting_id).await?;
    let (discharge, errors) = extras.discharge.unwrap_or_default();
    let values = [("note", discharge.note.as_str()), ("reference", discharge.reference.as_str())];
    let page = ActionPage {
        layout: Layout::new(&format!("Action {}", action.id), viewer),
        action: ActionRow::new(action, today(state)),
        meeting_title: format!("{} ({})", meeting.title, meeting.date),
        notice: extras.notice,
        progress_draft: extras.progress_draft.unwrap_or_else(|| action.progress.clone()),
        discharge_form: FormView::new(&values, errors.as_ref()),
        places: place_options(&discharge.place),
        can_progress: viewer.role().may(Permission::UpdateActionProgress),
        can_discharge: viewer.role().may(Permission::DischargeAction),
        history: history(state, &[("action", action.id)]).await?,
    };
    let body = page.render().map_err(|error| AppError::internal(format!("rendering a page: {error}")))?;
    Ok((extras.status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response())
}

pub async fn action_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let action = state.governance().action(id).await?;
    let extras =
        ActionExtras { notice: None, progress_draft: None, discharge: None, status: axum::http::StatusCode::OK };
    action_view(&state, &viewer, &action, extras).await
}

fn stale_action_notice(current: &Action) -> String {
    format!(
        "Someone else changed this action while you were editing; nothing of yours was saved. It now reads: owner {}, progress \"{}\", status {}. Your text is kept below; submit again if it still applies.",
        current.owner,
        current.progress,
        current.status.as_str()
    )
}

pub async fn action_progress(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let version = version(&fields)?;
    let progress = field(&fields, "progress").to_string();
    let validated = if progress.chars().count() > 20_000 {
        let mut errors = FieldErrors::default();
        errors.errors.push(("progress", "The progress update is longer than 20000 characters.".to_string()));
        Err(errors)
    } else {
        Ok(progress.clone())
    };
    let (state, viewer) = (&state, &viewer);
    let shown = |notice: String, status| ActionExtras {
        notice: Some(notice),
        progress_draft: Some(progress.clone()),
        discharge: None,
        status,
    };
    submit_or_show(
        validated,
        |errors| async move {
            let action = state.governance().action(id).await?;
            let notice = errors.errors.iter().map(|(_, message)| message.as_str()).collect::<Vec<_>>().join(" ");
            action_view(state, viewer, &action, shown(notice, axum::http::StatusCode::UNPROCESSABLE_ENTITY)).await
        },
        |progress| async move {
            match state
                .governance()
                .update_action_progress(&Actor::user(account(viewer)?), id, version, &progress)
                .await?
            {
                Saved::Done(_) => Ok(see(format!("/actions/{id}"))),
                Saved::Stale { current } => {
                    let extras = shown(stale_action_notice(&current), axum::http::StatusCode::CONFLICT);
                    action_view(state, viewer, &current, extras).await
                }
            }
        },
    )
    .await
}

pub async fn action_discharge(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let version = version(&fields)?;
    let form = DischargeForm {
        note: field(&fields, "note").into(),
        place: field(&fields, "place").into(),
        reference: field(&fields, "reference").into(),
    };
    let (state, viewer, typed) = (&state, &viewer, form.clone());
    submit_or_show(
        form.validate(),
        |errors| async move {
            let action = state.governance().action(id).await?;
            let extras = ActionExtras {
                notice: None,
                progress_draft: None,
                discharge: Some((typed, Some(errors))),
                status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            };
            action_view(state, viewer, &action, extras).await
        },
        |valid| async move {
            match state.governance().discharge_action(&Actor::user(account(viewer)?), id, version, &valid).await? {
                Saved::Done(_) => Ok(see(format!("/actions/{id}"))),
                Saved::Stale { current } => {
                    let extras = ActionExtras {
                        notice: Some(stale_action_notice(&current)),
                        progress_draft: None,
                        discharge: Some((form, None)),
                        status: axum::http::StatusCode::CONFLICT,
                    };
                    action_view(state, viewer, &current, extras).await
                }
            }
        },
    )
    .await
}

// ----- the audit log

pub async fn audit(State(state): State<AppState>, Extension(viewer): Extension<Viewer>) -> Result<Response, AppError> {
    let entries = state.governance().audit_log(None, 500).await?;
    render(AuditPage {
        layout: Layout::new("Audit log", &viewer),
        entries: entries.iter().map(AuditRow::from).collect(),
    })
}
