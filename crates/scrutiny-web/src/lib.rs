//! The governance web application: the only crate that knows HTTP.
//!
//! [`router`] builds the whole application over an [`AppState`]. Every route
//! is listed once in [`ROUTES`] with the [`Permission`] it needs; one
//! middleware ([`guard`]) finds the session, refuses what the viewer's role
//! may not do (deny by default: a route missing from the table is refused),
//! and checks the synchroniser CSRF token of every POST before any handler
//! runs. Handlers render server-side HTML (askama templates in
//! `templates/`), and every failure becomes an [`AppError`] whose page never
//! shows internals.

mod auth;
pub mod cache;
mod documents;
mod error;
mod figures;
mod pages;
mod panel;
mod papers;
mod portal;
mod portal_panel;
mod records;
mod views;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use scrutiny_core::governance::{Permission, Role};
use scrutiny_store::governance::{Governance, Session};

pub use auth::{generate_password, hash_password};
pub use error::AppError;
pub use figures::Records;
pub use papers::{UPLOAD_LIMIT, attach_quarterly_paper};

/// How the application is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (set this when served behind TLS).
    pub secure_cookies: bool,
    /// How long a session lasts from login, in seconds.
    pub session_seconds: i64,
    /// Failed logins allowed per account within [`Config::throttle_window_seconds`].
    pub failures_per_account: usize,
    /// Failed logins allowed per client address within the window.
    pub failures_per_address: usize,
    pub throttle_window_seconds: i64,
    /// The plan the public portal reports against.
    pub plan: String,
    /// Disclosure control of the portal's figures.
    pub disclosure: scrutiny_core::disclosure::Policy,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            session_seconds: 8 * 60 * 60,
            failures_per_account: 5,
            failures_per_address: 20,
            throttle_window_seconds: 15 * 60,
            plan: "making-kent-safer".to_string(),
            disclosure: scrutiny_core::disclosure::Policy::builtin(),
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    governance: Governance,
    config: Config,
    throttle: auth::Throttle,
    /// `None` reads the system clock; `Some` is a clock tests move by hand.
    manual_clock: Option<AtomicI64>,
    /// The records store the portal's figures come from, once set.
    records: std::sync::OnceLock<Records>,
    /// Rendered public responses.
    pages: cache::PageCache,
}

impl AppState {
    pub fn new(governance: Governance, config: Config) -> AppState {
        Self::build(governance, config, None)
    }

    /// A state whose clock stands still at `now` (seconds since 1970) until
    /// [`AppState::advance_clock`] moves it: for tests of expiry and throttling.
    pub fn with_manual_clock(governance: Governance, config: Config, now: i64) -> AppState {
        Self::build(governance, config, Some(AtomicI64::new(now)))
    }

    fn build(governance: Governance, config: Config, manual_clock: Option<AtomicI64>) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                governance,
                config,
                throttle: auth::Throttle::default(),
                manual_clock,
                records: std::sync::OnceLock::new(),
                pages: cache::PageCache::default(),
            }),
        }
    }

    pub fn advance_clock(&self, seconds: i64) {
        if let Some(clock) = &self.inner.manual_clock {
            clock.fetch_add(seconds, Ordering::SeqCst);
        }
    }

    pub fn governance(&self) -> &Governance {
        &self.inner.governance
    }

    /// Gives the portal its records store; the first store given stays.
    pub fn set_records(&self, records: Records) {
        let _ = self.inner.records.set(records);
    }

    fn records(&self) -> Option<&Records> {
        self.inner.records.get()
    }

    fn config(&self) -> &Config {
        &self.inner.config
    }

    /// What every public page is rendered from, as one text: the newest
    /// audit entry, the records store's imports and the day.
    async fn generation(&self) -> Result<String, AppError> {
        let governance = self.governance().generation().await?;
        let records = match self.records() {
            Some(records) => records.generation().await?,
            None => "no records".to_string(),
        };
        Ok(format!("audit {governance}; {records}; day {}", self.now().div_euclid(86_400)))
    }

    /// How many rendered public responses are kept (for tests and diagnostics).
    pub fn cached_pages(&self) -> usize {
        self.inner.pages.len()
    }

    /// How many public responses have been sent as kept.
    pub fn cache_hits(&self) -> u64 {
        self.inner.pages.hits()
    }

    fn now(&self) -> i64 {
        match &self.inner.manual_clock {
            Some(clock) => clock.load(Ordering::SeqCst),
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|elapsed| elapsed.as_secs() as i64)
                .unwrap_or(0),
        }
    }
}

/// One route of the application and the permission it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    /// The path as axum matches it (`{id}` for a parameter).
    pub path: &'static str,
    pub permission: Permission,
}

const fn route(method: &'static str, path: &'static str, permission: Permission) -> Route {
    Route { method, path, permission }
}

/// Every route, the one table [`guard`] enforces and the authorisation matrix test iterates.
pub const ROUTES: &[Route] = &[
    route("GET", "/", Permission::ViewPublished),
    route("GET", "/login", Permission::ViewPublished),
    route("POST", "/login", Permission::ViewPublished),
    route("POST", "/logout", Permission::ViewPublished),
    route("GET", "/meetings", Permission::ViewDrafts),
    route("GET", "/meetings/new", Permission::EditMeetings),
    route("POST", "/meetings", Permission::EditMeetings),
    route("GET", "/meetings/{id}", Permission::ViewDrafts),
    route("GET", "/meetings/{id}/edit", Permission::EditMeetings),
    route("GET", "/meetings/{id}/questions.html", Permission::ViewDrafts),
    route("GET", "/meetings/{id}/questions.pdf", Permission::ViewDrafts),
    route("GET", "/meetings/{id}/notes.html", Permission::ViewDrafts),
    route("GET", "/meetings/{id}/notes.pdf", Permission::ViewDrafts),
    route("POST", "/meetings/{id}/edit", Permission::EditMeetings),
    route("POST", "/meetings/{id}/agenda", Permission::EditMeetings),
    route("POST", "/meetings/{id}/papers", Permission::EditMeetings),
    route("POST", "/meetings/{id}/papers/generated", Permission::EditMeetings),
    route("GET", "/papers/{id}/file", Permission::ViewDrafts),
    route("GET", "/papers/{id}/paper.html", Permission::ViewDrafts),
    route("POST", "/papers/{id}/publish", Permission::EditMeetings),
    route("POST", "/meetings/{id}/questions", Permission::AskQuestion),
    route("POST", "/questions/{id}/respond", Permission::RespondToQuestion),
    route("POST", "/questions/{id}/publish", Permission::PublishQuestion),
    route("POST", "/meetings/{id}/actions", Permission::RaiseAction),
    route("GET", "/actions", Permission::ViewDrafts),
    route("GET", "/actions/{id}", Permission::ViewDrafts),
    route("POST", "/actions/{id}/progress", Permission::UpdateActionProgress),
    route("POST", "/actions/{id}/discharge", Permission::DischargeAction),
    route("GET", "/audit", Permission::ViewAuditLog),
    route("GET", "/decisions", Permission::ViewDrafts),
    route("GET", "/decisions/new", Permission::EditDecisions),
    route("POST", "/decisions", Permission::EditDecisions),
    route("GET", "/decisions/{id}", Permission::ViewDrafts),
    route("GET", "/decisions/{id}/edit", Permission::EditDecisions),
    route("GET", "/decisions/{id}/record.html", Permission::ViewDrafts),
    route("GET", "/decisions/{id}/record.pdf", Permission::ViewDrafts),
    route("POST", "/decisions/{id}/edit", Permission::EditDecisions),
    route("POST", "/decisions/{id}/sign", Permission::SignDecision),
    route("POST", "/decisions/{id}/publish", Permission::PublishDecision),
    route("POST", "/decisions/{id}/new-version", Permission::EditDecisions),
    route("GET", "/inspections", Permission::ViewDrafts),
    route("GET", "/inspections/new", Permission::EditInspections),
    route("POST", "/inspections", Permission::EditInspections),
    route("GET", "/inspections/{id}", Permission::ViewDrafts),
    route("POST", "/inspections/{id}/recommendations", Permission::EditInspections),
    route("POST", "/inspections/{id}/response", Permission::EditInspections),
    route("POST", "/recommendations/{id}/update", Permission::UpdateRecommendation),
    route("GET", "/panel", Permission::ViewDrafts),
    route("POST", "/panel/questions", Permission::SubmitPanelQuestion),
    route("GET", "/panel/questions/{id}", Permission::ViewDrafts),
    route("POST", "/panel/questions/{id}/edit", Permission::SubmitPanelQuestion),
    route("POST", "/panel/questions/{id}/answer", Permission::AnswerPanelQuestion),
    route("POST", "/panel/questions/{id}/publish", Permission::AnswerPanelQuestion),
    route("GET", "/panel/meetings/{id}/questions.html", Permission::ViewDrafts),
    route("GET", "/panel/meetings/{id}/questions.pdf", Permission::ViewDrafts),
    route("GET", "/panel/work-programme", Permission::ViewDrafts),
    route("POST", "/panel/work-programme", Permission::EditWorkProgramme),
    route("POST", "/panel/work-programme/{id}/edit", Permission::EditWorkProgramme),
    route("GET", "/panel/work-programme.html", Permission::ViewDrafts),
    route("GET", "/panel/work-programme.pdf", Permission::ViewDrafts),
    route("GET", "/public", Permission::ViewPublished),
    route("GET", "/public/priorities/{id}", Permission::ViewPublished),
    route("GET", "/public/priorities/{id}/figures.csv", Permission::ViewPublished),
    route("GET", "/public/priorities/{id}/figures.json", Permission::ViewPublished),
    route("GET", "/public/figures.csv", Permission::ViewPublished),
    route("GET", "/public/figures.json", Permission::ViewPublished),
    route("GET", "/public/questions", Permission::ViewPublished),
    route("GET", "/public/questions.csv", Permission::ViewPublished),
    route("GET", "/public/questions.json", Permission::ViewPublished),
    route("GET", "/public/meetings", Permission::ViewPublished),
    route("GET", "/public/meetings.csv", Permission::ViewPublished),
    route("GET", "/public/meetings.json", Permission::ViewPublished),
    route("GET", "/public/meetings/{id}", Permission::ViewPublished),
    route("GET", "/public/papers", Permission::ViewPublished),
    route("GET", "/public/papers.json", Permission::ViewPublished),
    route("GET", "/public/papers/{id}", Permission::ViewPublished),
    route("GET", "/public/actions", Permission::ViewPublished),
    route("GET", "/public/actions.csv", Permission::ViewPublished),
    route("GET", "/public/actions.json", Permission::ViewPublished),
    route("GET", "/public/decisions", Permission::ViewPublished),
    route("GET", "/public/decisions.csv", Permission::ViewPublished),
    route("GET", "/public/decisions.json", Permission::ViewPublished),
    route("GET", "/public/decisions/{id}", Permission::ViewPublished),
    route("GET", "/public/inspections", Permission::ViewPublished),
    route("GET", "/public/inspections.csv", Permission::ViewPublished),
    route("GET", "/public/inspections.json", Permission::ViewPublished),
    route("GET", "/public/panel", Permission::ViewPublished),
    route("GET", "/public/panel/questions.csv", Permission::ViewPublished),
    route("GET", "/public/panel/questions.json", Permission::ViewPublished),
    route("GET", "/public/panel/questions.atom", Permission::ViewPublished),
    route("GET", "/public/panel/work-programme.csv", Permission::ViewPublished),
    route("GET", "/public/panel/work-programme.json", Permission::ViewPublished),
    route("GET", "/public/search", Permission::ViewPublished),
    route("GET", "/public/questions.atom", Permission::ViewPublished),
    route("GET", "/public/decisions.atom", Permission::ViewPublished),
    route("GET", "/public/papers.atom", Permission::ViewPublished),
    route("GET", "/api/v1/openapi.json", Permission::ViewPublished),
    route("GET", "/api/v1/plan", Permission::ViewPublished),
    route("GET", "/api/v1/figures", Permission::ViewPublished),
    route("GET", "/api/v1/priorities/{id}/figures", Permission::ViewPublished),
    route("GET", "/api/v1/questions", Permission::ViewPublished),
    route("GET", "/api/v1/meetings", Permission::ViewPublished),
    route("GET", "/api/v1/papers", Permission::ViewPublished),
    route("GET", "/api/v1/actions", Permission::ViewPublished),
    route("GET", "/api/v1/decisions", Permission::ViewPublished),
    route("GET", "/api/v1/inspections", Permission::ViewPublished),
    route("GET", "/api/v1/panel/questions", Permission::ViewPublished),
    route("GET", "/api/v1/panel/work-programme", Permission::ViewPublished),
];

/// Who is asking: their session, or nobody (the public).
#[derive(Debug, Clone)]
pub(crate) struct Viewer {
    pub session: Option<Session>,
    /// The client's address, for login throttling ("unknown" without connect info).
    pub address: String,
}

impl Viewer {
    pub fn role(&self) -> Role {
        self.session.as_ref().map(|session| session.user.role).unwrap_or(Role::Public)
    }
}

/// The largest form body accepted.
const FORM_LIMIT: usize = 256 * 1024;

/// The application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_page).post(pages::login_submit))
        .route("/logout", post(pages::logout))
        .route("/meetings", get(pages::meetings).post(pages::meeting_create))
        .route("/meetings/new", get(pages::meeting_new))
        .route("/meetings/{id}", get(pages::meeting_page))
        .route("/meetings/{id}/edit", get(pages::meeting_edit).post(pages::meeting_update))
        .route("/meetings/{id}/questions.html", get(documents::questions_html))
        .route("/meetings/{id}/questions.pdf", get(documents::questions_pdf))
        .route("/meetings/{id}/notes.html", get(documents::notes_html))
        .route("/meetings/{id}/notes.pdf", get(documents::notes_pdf))
        .route("/meetings/{id}/agenda", post(pages::agenda_add))
        .route(
            "/meetings/{id}/papers",
            post(papers::paper_upload).layer(DefaultBodyLimit::max(papers::UPLOAD_BODY_LIMIT)),
        )
        .route("/meetings/{id}/papers/generated", post(papers::paper_generate))
        .route("/papers/{id}/file", get(papers::paper_file))
        .route("/papers/{id}/paper.html", get(papers::paper_html))
        .route("/papers/{id}/publish", post(papers::paper_publish))
        .route("/meetings/{id}/questions", post(pages::question_ask))
        .route("/questions/{id}/respond", post(pages::question_respond))
        .route("/questions/{id}/publish", post(pages::question_publish))
        .route("/meetings/{id}/actions", post(pages::action_raise))
        .route("/actions", get(pages::actions))
        .route("/actions/{id}", get(pages::action_page))
        .route("/actions/{id}/progress", post(pages::action_progress))
        .route("/actions/{id}/discharge", post(pages::action_discharge))
        .route("/audit", get(pages::audit))
        .route("/decisions", get(records::decisions).post(records::decision_create))
        .route("/decisions/new", get(records::decision_new))
        .route("/decisions/{id}", get(records::decision_page))
        .route("/decisions/{id}/edit", get(records::decision_edit).post(records::decision_update))
        .route("/decisions/{id}/record.html", get(documents::decision_html))
        .route("/decisions/{id}/record.pdf", get(documents::decision_pdf))
        .route("/decisions/{id}/sign", post(records::decision_sign))
        .route("/decisions/{id}/publish", post(records::decision_publish))
        .route("/decisions/{id}/new-version", post(records::decision_new_version))
        .route("/inspections", get(records::inspections).post(records::inspection_create))
        .route("/inspections/new", get(records::inspection_new))
        .route("/inspections/{id}", get(records::inspection_page))
        .route("/inspections/{id}/recommendations", post(records::recommendation_add))
        .route("/inspections/{id}/response", post(records::inspection_response))
        .route("/recommendations/{id}/update", post(records::recommendation_update))
        .route("/panel", get(panel::panel_questions))
        .route("/panel/questions", post(panel::panel_question_submit))
        .route("/panel/questions/{id}", get(panel::panel_question_page))
        .route("/panel/questions/{id}/edit", post(panel::panel_question_edit))
        .route("/panel/questions/{id}/answer", post(panel::panel_question_answer))
        .route("/panel/questions/{id}/publish", post(panel::panel_question_publish))
        .route("/panel/meetings/{id}/questions.html", get(panel::questions_html))
        .route("/panel/meetings/{id}/questions.pdf", get(panel::questions_pdf))
        .route("/panel/work-programme", get(panel::work_programme).post(panel::work_programme_add))
        .route("/panel/work-programme/{id}/edit", post(panel::work_programme_edit))
        .route("/panel/work-programme.html", get(panel::work_programme_html))
        .route("/panel/work-programme.pdf", get(panel::work_programme_pdf))
        .route("/public", get(portal::portal_home))
        .route("/public/priorities/{id}", get(portal::priority_page))
        .route("/public/priorities/{id}/figures.csv", get(portal::priority_figures_csv))
        .route("/public/priorities/{id}/figures.json", get(portal::priority_figures_json))
        .route("/public/figures.csv", get(portal::figures_csv))
        .route("/public/figures.json", get(portal::figures_json))
        .route("/public/questions", get(portal::questions))
        .route("/public/questions.csv", get(portal::questions_csv))
        .route("/public/questions.json", get(portal::questions_json))
        .route("/public/meetings", get(portal::meetings))
        .route("/public/meetings.csv", get(portal::meetings_csv))
        .route("/public/meetings.json", get(portal::meetings_json))
        .route("/public/meetings/{id}", get(portal::meeting_page))
        .route("/public/papers", get(portal::papers))
        .route("/public/papers.json", get(portal::papers_json))
        .route("/public/papers/{id}", get(papers::public_paper_file))
        .route("/public/actions", get(portal::actions))
        .route("/public/actions.csv", get(portal::actions_csv))
        .route("/public/actions.json", get(portal::actions_json))
        .route("/public/decisions", get(portal::decisions))
        .route("/public/decisions.csv", get(portal::decisions_csv))
        .route("/public/decisions.json", get(portal::decisions_json))
        .route("/public/decisions/{id}", get(portal::decision_page))
        .route("/public/inspections", get(portal::inspections_page))
        .route("/public/inspections.csv", get(portal::inspections_csv))
        .route("/public/inspections.json", get(portal::inspections_json))
        .route("/public/panel", get(portal_panel::panel_page))
        .route("/public/panel/questions.csv", get(portal_panel::panel_questions_csv))
        .route("/public/panel/questions.json", get(portal_panel::panel_questions_json))
        .route("/public/panel/questions.atom", get(portal_panel::panel_questions_atom))
        .route("/public/panel/work-programme.csv", get(portal_panel::work_programme_csv))
        .route("/public/panel/work-programme.json", get(portal_panel::work_programme_json))
        .route("/public/search", get(portal::search))
        .route("/public/questions.atom", get(portal::questions_atom))
        .route("/public/decisions.atom", get(portal::decisions_atom))
        .route("/public/papers.atom", get(portal::papers_atom))
        .route("/api/v1/openapi.json", get(portal::openapi))
        .route("/api/v1/plan", get(portal::plan_json))
        .route("/api/v1/figures", get(portal::figures_json))
        .route("/api/v1/priorities/{id}/figures", get(portal::priority_figures_json))
        .route("/api/v1/questions", get(portal::questions_json))
        .route("/api/v1/meetings", get(portal::meetings_json))
        .route("/api/v1/papers", get(portal::papers_json))
        .route("/api/v1/actions", get(portal::actions_json))
        .route("/api/v1/decisions", get(portal::decisions_json))
        .route("/api/v1/inspections", get(portal::inspections_json))
        .route("/api/v1/panel/questions", get(portal_panel::panel_questions_json))
        .route("/api/v1/panel/work-programme", get(portal_panel::work_programme_json))
        .route_layer(middleware::from_fn_with_state(state.clone(), guard))
        .fallback(pages::not_found)
        .with_state(state)
}

/// Finds the session, enforces [`ROUTES`] and checks the CSRF token of every POST.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match guarded(state, request, next).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn guarded(state: AppState, request: Request, next: Next) -> Result<Response, AppError> {
    let path =
        request.extensions().get::<MatchedPath>().map(|matched| matched.as_str().to_string()).unwrap_or_default();
    let method = request.method().clone();
    let route = ROUTES
        .iter()
        // HEAD is GET without the body (axum answers it from the GET route):
        // link checkers ask it of every download.
        .find(|route| {
            route.path == path && (route.method == method.as_str() || (method == Method::HEAD && route.method == "GET"))
        })
        .ok_or_else(|| AppError::internal(format!("route {method} {path} is not in the permission table")))?;
    let session = auth::current_session(&state, request.headers()).await?;
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string());
    let viewer = Viewer { session, address };
    let role = viewer.role();
    if !role.may(route.permission) {
        if role == Role::Public {
            let next = request.uri().path().to_string();
            return Ok(Redirect::to(&format!("/login?next={}", auth::url_encode(&next))).into_response());
        }
        return Err(AppError::Forbidden);
    }
    // What the public reads is the same for every anonymous visitor, so it
    // may be kept by browsers and shared caches and revalidated by its ETag;
    // anything a signed-in viewer sees is theirs alone.
    let shared = (method == Method::GET || method == Method::HEAD)
        && role == Role::Public
        && route.permission == Permission::ViewPublished;
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    // A shared response rendered under the current generation is sent as kept.
    let url = request.uri().to_string();
    let generation = if shared { Some(state.generation().await?) } else { None };
    if let Some(generation) = &generation
        && let Some(cached) = state.inner.pages.get(generation, &url, state.now())
    {
        return Ok(answer(cached.status, cached.headers, cached.body, if_none_match.as_ref()));
    }
    let request = if method == Method::POST { check_csrf(&viewer, route, request).await? } else { request };
    let mut request = request;
    request.extensions_mut().insert(viewer);
    let response = next.run(request).await;
    // A response that sets a cookie (the login form's) is never shared.
    let Some(generation) = generation else { return Ok(response) };
    if response.status() != axum::http::StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let body =
        to_bytes(body, usize::MAX).await.map_err(|error| AppError::internal(format!("reading a page: {error}")))?;
    let headers = shared_headers(parts.headers, &body)?;
    let cached = cache::Cached { status: parts.status, headers, body, at: state.now() };
    // A HEAD response has no body to keep (the server never sends one for HEAD).
    if method == Method::GET {
        state.inner.pages.put(&generation, &url, cached.clone());
    }
    Ok(answer(cached.status, cached.headers, cached.body, if_none_match.as_ref()))
}

/// How long a shared cache may keep a public page before revalidating it.
pub const PUBLIC_MAX_AGE_SECONDS: u32 = 60;

/// A public response's headers with its ETag (a digest of its body) and caching headers.
fn shared_headers(mut headers: header::HeaderMap, body: &[u8]) -> Result<header::HeaderMap, AppError> {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(body);
    let tag = format!("\"{}\"", digest[..16].iter().map(|byte| format!("{byte:02x}")).collect::<String>());
    let tag_value = header::HeaderValue::from_str(&tag).map_err(|error| AppError::internal(error.to_string()))?;
    let cache = header::HeaderValue::from_str(&format!("public, max-age={PUBLIC_MAX_AGE_SECONDS}"))
        .map_err(|error| AppError::internal(error.to_string()))?;
    headers.insert(header::ETAG, tag_value);
    headers.insert(header::CACHE_CONTROL, cache);
    // A signed-in viewer of the same URL sees their own header: caches key on the cookie.
    headers.insert(header::VARY, header::HeaderValue::from_static("Cookie"));
    Ok(headers)
}

/// The public response, or `304 Not Modified` when the visitor holds that version.
fn answer(
    status: axum::http::StatusCode,
    mut headers: header::HeaderMap,
    body: axum::body::Bytes,
    if_none_match: Option<&header::HeaderValue>,
) -> Response {
    let tag = headers.get(header::ETAG).and_then(|tag| tag.to_str().ok()).unwrap_or_default().to_string();
    let held = if_none_match
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').map(str::trim).any(|candidate| candidate == tag || candidate == "*"));
    let mut response = if held {
        headers.remove(header::CONTENT_LENGTH);
        let mut response = Response::new(Body::empty());
        *response.status_mut() = axum::http::StatusCode::NOT_MODIFIED;
        response
    } else {
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = status;
        response
    };
    *response.headers_mut() = headers;
    response
}

/// Reads the form, compares its `csrf_token` with the session's (or, for the
/// login form, with the login cookie's) and hands the form on unchanged.
async fn check_csrf(viewer: &Viewer, route: &Route, request: Request) -> Result<Request, AppError> {
    let (parts, body) = request.into_parts();
    let content_type =
        parts.headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default().to_string();
    let multipart = content_type.starts_with("multipart/form-data");
    let limit = if multipart { papers::UPLOAD_BODY_LIMIT } else { FORM_LIMIT };
    let too_large = if multipart {
        format!(
            "the upload is larger than {}: attach a smaller file",
            scrutiny_core::governance::file_size(papers::UPLOAD_LIMIT as u64)
        )
    } else {
        "the form is too large".to_string()
    };
    let bytes = to_bytes(body, limit).await.map_err(|_| AppError::BadRequest(too_large))?;
    let sent = if multipart {
        // The token is the form's first field: its first 64 KB hold it, and the
        // file after it is not parsed twice.
        let head = bytes.slice(..bytes.len().min(64 * 1024));
        multipart_value(&content_type, head, "csrf_token").await.unwrap_or_default()
    } else {
        form_urlencoded_value(&bytes, "csrf_token").unwrap_or_default()
    };
    let expected = match (&viewer.session, route.path) {
        (Some(session), _) => Some(session.csrf_token.clone()),
        (None, "/login") => auth::cookie(&parts.headers, auth::LOGIN_COOKIE),
        (None, _) => None,
    };
    match expected {
        Some(expected) if !sent.is_empty() && auth::constant_time_eq(sent.as_bytes(), expected.as_bytes()) => {}
        _ => return Err(AppError::Csrf),
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// The value of the text field `name` of (the start of) a multipart form.
async fn multipart_value(content_type: &str, body: axum::body::Bytes, name: &str) -> Option<String> {
    use axum::extract::FromRequest as _;
    let request =
        axum::http::Request::post("/").header(header::CONTENT_TYPE, content_type).body(Body::from(body)).ok()?;
    let mut form = axum::extract::Multipart::from_request(request, &()).await.ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

fn form_urlencoded_value(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    pairs.into_iter().find(|(key, _)| key == name).map(|(_, value)| value)
}

/// Serves the application on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>()).await
}

pub(crate) fn html_response(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// One file of the static export: its path under the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedFile {
    /// The URL path it was served at ("/public/questions").
    pub url: String,
    /// Where it goes under the output folder ("public/questions/index.html").
    pub file: String,
    pub bytes: Vec<u8>,
}

/// The whole public portal as static files, for `scrutiny publish`: every
/// page, CSV and JSON download reachable from the home page as an anonymous
/// visitor, rendered by the same handlers as the served portal. A page is
/// written as `<path>/index.html`, a download under its own name; links stay
/// absolute, so the folder is served at the root of a site.
pub async fn export_public(state: AppState) -> Result<Vec<ExportedFile>, AppError> {
    export_public_at(state, "").await
}

/// A path a static export can be served under: empty (the site's root) or
/// `/a/b` — segments of letters, digits, `-`, `_` and `.`, no trailing slash.
pub fn check_base_path(base: &str) -> Result<(), String> {
    if base.is_empty() {
        return Ok(());
    }
    let Some(rest) = base.strip_prefix('/') else {
        return Err(format!("'{base}' does not start with '/' (for example /transparency/scrutiny)"));
    };
    let good = |segment: &str| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if rest.split('/').all(good) {
        Ok(())
    } else {
        Err(format!("'{base}' is not a path of plain segments (letters, digits, '-', '_', '.'; no trailing '/')"))
    }
}

/// Like [`export_public`], for a site that serves the folder under `base`
/// (see [`check_base_path`]): every link, form and image of the pages and
/// feeds that begins at the site's root begins at `base` instead. The CSV
/// and JSON downloads are data and stay as rendered (their paths are the
/// portal's own, from its root).
pub async fn export_public_at(state: AppState, base: &str) -> Result<Vec<ExportedFile>, AppError> {
    check_base_path(base).map_err(AppError::internal)?;
    let mut files = export_files(state).await?;
    if !base.is_empty() {
        for file in &mut files {
            if file.file.ends_with(".html") || file.file.ends_with(".atom") {
                file.bytes = rebase(&String::from_utf8_lossy(&file.bytes), base).into_bytes();
            }
        }
    }
    Ok(files)
}

/// `text` with each `href`, `src` and `action` that begins at the site's root
/// (`"/…"`, not a protocol-relative `"//…"`) beginning at `base`.
fn rebase(text: &str, base: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 20);
    let mut rest = text;
    while let Some(at) = rest.find("=\"/") {
        let (before, from) = rest.split_at(at + 2);
        out.push_str(before);
        let attribute = ["href", "src", "action"].iter().any(|name| before[..at].ends_with(name));
        if attribute && !from.starts_with("//") {
            out.push_str(base);
        }
        rest = from;
    }
    out.push_str(rest);
    out
}

async fn export_files(state: AppState) -> Result<Vec<ExportedFile>, AppError> {
    use tower::ServiceExt as _;
    let app = router(state);
    let mut queue: std::collections::VecDeque<String> =
        ["/", "/public", "/api/v1/openapi.json"].iter().map(|path| path.to_string()).collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut files = Vec::new();
    while let Some(url) = queue.pop_front() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let request = axum::http::Request::get(&url)
            .body(Body::empty())
            .map_err(|error| AppError::internal(format!("export: {url}: {error}")))?;
        let Ok(response) = app.clone().oneshot(request).await;
        if response.status() != axum::http::StatusCode::OK {
            return Err(AppError::internal(format!("export: {url} answered {}", response.status())));
        }
        let html = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"));
        let bytes = to_bytes(response.into_body(), usize::MAX)
            .await
            .map_err(|error| AppError::internal(format!("export: {url}: {error}")))?
            .to_vec();
        if html {
            let text = String::from_utf8_lossy(&bytes);
            let mut rest: &str = &text;
            while let Some(at) = rest.find("href=\"/") {
                rest = &rest[at + 6..];
                let end = rest.find('"').unwrap_or(rest.len());
                let link = rest[..end].split('#').next().unwrap_or_default();
                if link == "/" || link.starts_with("/public") || link == "/api/v1/openapi.json" {
                    queue.push_back(link.to_string());
                }
                rest = &rest[end..];
            }
        }
        let relative = url.trim_start_matches('/');
        let file = if html {
            if relative.is_empty() { "index.html".to_string() } else { format!("{relative}/index.html") }
        } else {
            relative.to_string()
        };
        files.push(ExportedFile { url, file, bytes });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_from_the_root_begin_at_the_base() {
        let page = r#"<a href="/">Home</a> <a href="/public/questions#q-1">Q</a> <form action="/public/search"> <img src="/logo.svg"> <a href="//cdn.example/x">CDN</a> <a href="https://example.org/">out</a> <p data-x="/keep">"/keep"</p>"#;
        assert_eq!(
            super::rebase(page, "/scrutiny"),
            r#"<a href="/scrutiny/">Home</a> <a href="/scrutiny/public/questions#q-1">Q</a> <form action="/scrutiny/public/search"> <img src="/scrutiny/logo.svg"> <a href="//cdn.example/x">CDN</a> <a href="https://example.org/">out</a> <p data-x="/keep">"/keep"</p>"#
        );
        assert!(super::check_base_path("").is_ok() && super::check_base_path("/a/b-c_d.e").is_ok());
        for bad in ["scrutiny", "/a/", "/a//b", "/a b", "/a\"b", "/..", "/a/./b"] {
            assert!(super::check_base_path(bad).is_err(), "{bad}");
        }
    }
}
