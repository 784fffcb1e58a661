//! Meeting papers: uploading a PDF or Word document (multipart, checked by
//! its contents, at most [`UPLOAD_LIMIT`] bytes), attaching the generated
//! quarterly Delivery & Performance paper (set from the records store by the
//! paper builder and kept as a snapshot), downloads for staff, publishing,
//! and the public download of a published paper.

use axum::Extension;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use scrutiny_core::definitions::Plan;
use scrutiny_core::governance::{FieldErrors, PaperCategory, PaperFormat, PaperSource};
use scrutiny_core::month::YearMonth;
use scrutiny_store::governance::{Actor, NewPaper, Paper, PaperFile, Saved};

use crate::figures::{self, DEFINITIONS};
use crate::pages::{self, Fields, MeetingExtras, account, field, meeting_view};
use crate::views::FormView;
use crate::{AppError, AppState, Viewer};

/// The largest paper accepted, in bytes (20 MB).
pub const UPLOAD_LIMIT: usize = 20 * 1024 * 1024;

/// The largest upload request read: the file and the form's other fields.
/// A file somewhat over [`UPLOAD_LIMIT`] is still read, so its error is
/// shown beside the field with everything else kept; one far over it is
/// refused outright.
pub(crate) const UPLOAD_BODY_LIMIT: usize = UPLOAD_LIMIT + 2 * 1024 * 1024;

const UNPROCESSABLE: Option<axum::http::StatusCode> = Some(axum::http::StatusCode::UNPROCESSABLE_ENTITY);

/// The file name a paper is downloaded under: its id and the extension of
/// its format (never the uploaded name, which may say anything).
pub(crate) fn download_name(paper: &Paper) -> String {
    format!("paper-{}.{}", paper.id, paper.format.extension())
}

/// The public address of a published paper's file.
pub(crate) fn public_url(paper: &Paper) -> String {
    format!("/public/papers/{}.{}", paper.id, paper.format.extension())
}

fn file_response(file: PaperFile, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, file.format.media_type().to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        file.content,
    )
        .into_response()
}

/// An uploaded file name as kept: its last path part, printable, at most 200 characters.
fn clean_file_name(name: &str, format: PaperFormat) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect();
    if cleaned.trim().is_empty() { format!("paper.{}", format.extension()) } else { cleaned.trim().to_string() }
}

/// The agenda item a form names (empty: none), which must be on this meeting's agenda.
async fn agenda_item(state: &AppState, meeting_id: i64, value: &str, errors: &mut FieldErrors) -> Option<i64> {
    if value.trim().is_empty() {
        return None;
    }
    let agenda = state.governance().agenda(meeting_id).await.unwrap_or_default();
    match value.trim().parse::<i64>().ok().filter(|id| agenda.iter().any(|item| item.id == *id)) {
        Some(id) => Some(id),
        None => {
            errors.add("agenda_item", "choose an item of this meeting's agenda, or none");
            None
        }
    }
}

fn title_error(title: &str, errors: &mut FieldErrors) {
    if title.trim().is_empty() || title.trim().chars().count() > 200 {
        errors.add("title", "the title is required (at most 200 characters)");
    }
}

/// POST /meetings/{id}/papers: a PDF or Word document uploaded as multipart form data.
pub async fn paper_upload(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    state.governance().meeting(id).await?;
    let mut fields = Fields::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_large = false;
    while let Some(mut part) =
        multipart.next_field().await.map_err(|error| AppError::BadRequest(format!("the upload: {error}")))?
    {
        let name = part.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = part.file_name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) =
                part.chunk().await.map_err(|_| AppError::BadRequest("the upload is too large".into()))?
            {
                if bytes.len() + chunk.len() > UPLOAD_LIMIT {
                    too_large = true;
                    continue;
                }
                bytes.extend_from_slice(&chunk);
            }
            file = Some((file_name, bytes));
        } else {
            let text = part.text().await.map_err(|error| AppError::BadRequest(format!("the upload: {error}")))?;
            fields.insert(name, text);
        }
    }
    let title = field(&fields, "title").to_string();
    let category_text = field(&fields, "category").to_string();
    let item_text = field(&fields, "agenda_item").to_string();
    let mut errors = FieldErrors::default();
    title_error(&title, &mut errors);
    let category = category_text.parse::<PaperCategory>().ok();
    if category.is_none() {
        errors.add("category", "choose what the paper is about");
    }
    let agenda_item_id = agenda_item(&state, id, &item_text, &mut errors).await;
    let mut read = None;
    match file {
        _ if too_large => errors.add(
            "file",
            format!(
                "the file is larger than {}: attach a smaller one",
                scrutiny_core::governance::file_size(UPLOAD_LIMIT as u64)
            ),
        ),
        None => errors.add("file", "choose a PDF or Word document (.docx) to upload"),
        Some((_, ref bytes)) if bytes.is_empty() => errors.add("file", "the file is empty"),
        Some((name, bytes)) => {
            // Reading a PDF's text layer is CPU work: off the async threads.
            let checked = tokio::task::spawn_blocking(move || {
                scrutiny_report::check::paper_text(&bytes).map(|text| (name, bytes, text))
            })
            .await
            .map_err(|error| AppError::internal(format!("reading an uploaded paper: {error}")))?;
            match checked {
                Ok(ok) => read = Some(ok),
                Err(message) => errors.add("file", message),
            }
        }
    }
    let (Some(category), Some((name, bytes, text)), true) = (category, read, errors.errors.is_empty()) else {
        let values =
            [("title", title.as_str()), ("category", category_text.as_str()), ("agenda_item", item_text.as_str())];
        let extras = MeetingExtras {
            paper_form: FormView::new(&values, Some(&errors)),
            status: UNPROCESSABLE,
            ..Default::default()
        };
        return meeting_view(&state, &viewer, id, extras).await;
    };
    let paper = NewPaper {
        meeting_id: id,
        agenda_item_id,
        title: title.trim().to_string(),
        category,
        source: PaperSource::Uploaded,
        format: text.format,
        file_name: clean_file_name(&name, text.format),
        content: bytes,
        html: None,
        text: text.text,
    };
    let stored = state.governance().attach_paper(&Actor::user(account(&viewer)?), &paper).await?;
    Ok(Redirect::to(&format!("/meetings/{id}#paper-{}", stored.id)).into_response())
}

/// POST /meetings/{id}/papers/generated: the quarterly Delivery & Performance
/// paper of a plan to a month, set now from the records store and kept.
pub async fn paper_generate(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    state.governance().meeting(id).await?;
    let plan_id = field(&fields, "plan").to_string();
    let month_text = field(&fields, "month").trim().to_string();
    let title_text = field(&fields, "title").trim().to_string();
    let item_text = field(&fields, "agenda_item").to_string();
    let mut errors = FieldErrors::default();
    let plan = DEFINITIONS.plan(&plan_id).ok();
    if plan.is_none() {
        errors.add("plan", "choose a plan");
    }
    let month = month_text.parse::<YearMonth>().ok();
    if month.is_none() {
        errors.add("month", "give the quarter's last month as YYYY-MM, for example 2024-07");
    }
    if title_text.chars().count() > 200 {
        errors.add("title", "the title is at most 200 characters");
    }
    let agenda_item_id = agenda_item(&state, id, &item_text, &mut errors).await;
    let mut built = None;
    if let (Some(plan), Some(month), true) = (plan, month, errors.errors.is_empty()) {
        match quarterly_paper(&state, plan, month).await? {
            Ok(paper) => built = Some((plan, month, paper)),
            Err(message) => errors.add("month", message),
        }
    }
    let Some((plan, month, generated)) = built else {
        let values = [
            ("plan", plan_id.as_str()),
            ("month", month_text.as_str()),
            ("title", title_text.as_str()),
            ("agenda_item", item_text.as_str()),
        ];
        let extras = MeetingExtras {
            generate_form: FormView::new(&values, Some(&errors)),
            status: UNPROCESSABLE,
            ..Default::default()
        };
        return meeting_view(&state, &viewer, id, extras).await;
    };
    let title = Some(title_text).filter(|title| !title.is_empty());
    let paper = generated.into_new_paper(id, agenda_item_id, plan, month, title);
    let stored = state.governance().attach_paper(&Actor::user(account(&viewer)?), &paper).await?;
    Ok(Redirect::to(&format!("/meetings/{id}#paper-{}", stored.id)).into_response())
}

/// The quarterly paper as set now: its PDF, HTML and the PDF's text.
struct GeneratedPaper {
    pdf: Vec<u8>,
    html: String,
    text: String,
}

impl GeneratedPaper {
    fn into_new_paper(
        self,
        meeting_id: i64,
        agenda_item_id: Option<i64>,
        plan: &Plan,
        month: YearMonth,
        title: Option<String>,
    ) -> NewPaper {
        NewPaper {
            meeting_id,
            agenda_item_id,
            title: title
                .unwrap_or_else(|| format!("Delivery & Performance: {}, quarter to {}", plan.title, month.long_name())),
            category: PaperCategory::Performance,
            source: PaperSource::Generated,
            format: PaperFormat::Pdf,
            file_name: format!("{}-{month}.pdf", plan.id),
            content: self.pdf,
            html: Some(self.html),
            text: self.text,
        }
    }
}

/// Sets the quarterly paper of `plan` to `month` from the records store
/// (the portal's figures, [`figures::public_paper`]), typeset on a blocking
/// thread; `Ok(Err(why))` when there is nothing to set it from.
async fn quarterly_paper(
    state: &AppState,
    plan: &Plan,
    month: YearMonth,
) -> Result<Result<GeneratedPaper, &'static str>, AppError> {
    let Some(records) = state.records() else {
        return Ok(Err("there is no records store to set the paper from (serve with --data)"));
    };
    let Some((_, _, public)) = figures::public_paper(records, plan, &state.config().disclosure, month).await? else {
        return Ok(Err("the records store holds no force"));
    };
    let paper = public.paper;
    let today = pages::today(state);
    let html = scrutiny_report::paper::html::render(&paper);
    let (pdf, text) = tokio::task::spawn_blocking(move || {
        let pdf = scrutiny_pdf::paper(&paper, (today.year(), today.month() as u8, today.day() as u8))
            .map_err(|error| error.to_string())?;
        let text = scrutiny_report::check::paper_text(&pdf)?;
        Ok::<_, String>((pdf, text.text))
    })
    .await
    .map_err(|error| AppError::internal(format!("typesetting the quarterly paper: {error}")))?
    .map_err(|error| AppError::internal(format!("typesetting the quarterly paper: {error}")))?;
    Ok(Ok(GeneratedPaper { pdf, html, text }))
}

/// Attaches the quarterly Delivery & Performance paper of `plan_id` to
/// `month` to a meeting, as an editor does from the meeting's page (for
/// `scrutiny demo`). Refused when the state has no records store.
pub async fn attach_quarterly_paper(
    state: &AppState,
    actor: &Actor,
    meeting_id: i64,
    agenda_item_id: Option<i64>,
    plan_id: &str,
    month: YearMonth,
) -> Result<Paper, AppError> {
    let plan = figures::plan(plan_id)?;
    let generated = quarterly_paper(state, plan, month).await?.map_err(|why| AppError::Refused(why.to_string()))?;
    let paper = generated.into_new_paper(meeting_id, agenda_item_id, plan, month, None);
    Ok(state.governance().attach_paper(actor, &paper).await?)
}

/// GET /papers/{id}/file: the file, for staff (published or not).
pub async fn paper_file(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let paper = state.governance().paper(id).await?;
    let file = state.governance().paper_file(id).await?;
    Ok(file_response(file, &download_name(&paper)))
}

/// GET /papers/{id}/paper.html: the generated paper's HTML, kept beside its PDF.
pub async fn paper_html(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let html = state.governance().paper_html(id).await?.ok_or(AppError::NotFound)?;
    Ok(crate::html_response(html))
}

/// POST /papers/{id}/publish: the portal shows the paper from now on.
pub async fn paper_publish(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let version = pages::version(&fields)?;
    match state.governance().publish_paper(&Actor::user(account(&viewer)?), id, version).await? {
        Saved::Done(paper) => Ok(Redirect::to(&format!("/meetings/{}#paper-{id}", paper.meeting_id)).into_response()),
        Saved::Stale { current } => {
            let notice =
                "The paper changed since you loaded the page; nothing was published. Check it below and publish again.";
            let extras = MeetingExtras {
                notice: Some(notice.into()),
                status: Some(axum::http::StatusCode::CONFLICT),
                ..Default::default()
            };
            meeting_view(&state, &viewer, current.meeting_id, extras).await
        }
    }
}

/// GET /public/papers/{id}.pdf|.docx: a published paper's file; anything
/// unpublished is not found, exactly as if it did not exist.
pub async fn public_paper_file(State(state): State<AppState>, Path(name): Path<String>) -> Result<Response, AppError> {
    let (id, extension) = name.split_once('.').ok_or(AppError::NotFound)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let paper = match state.governance().paper(id).await {
        Ok(paper) if paper.is_published() && paper.format.extension() == extension => paper,
        Ok(_) => return Err(AppError::NotFound),
        Err(error) => return Err(error.into()),
    };
    let file = state.governance().paper_file(id).await?;
    Ok(file_response(file, &download_name(&paper)))
}
