//! Helpers: an application over a fresh SQLite governance database with one
//! account per role, and a client that keeps its cookie and CSRF token.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use scrutiny_core::governance::Role;
use scrutiny_store::governance::{Actor, Governance};
use scrutiny_web::{AppState, Config};

pub const PASSWORD: &str = "correct horse battery staple";
pub const START: i64 = 1_726_000_000; // 2024-09-10

pub struct App {
    pub state: AppState,
    pub router: Router,
    _dir: tempfile::TempDir,
}

pub fn email(role: Role) -> String {
    format!("{}@example.org", role.as_str())
}

pub async fn app_with(config: Config) -> App {
    let dir = tempfile::tempdir().unwrap();
    let governance = Governance::open(dir.path(), None).await.unwrap();
    let hash = scrutiny_web::hash_password(PASSWORD).unwrap();
    for role in Role::ACCOUNTS {
        governance.create_user(&Actor::system("test"), &email(role), role.label(), role, &hash).await.unwrap();
    }
    let state = AppState::with_manual_clock(governance, config, START);
    App { router: scrutiny_web::router(state.clone()), state, _dir: dir }
}

pub async fn app() -> App {
    app_with(Config::default()).await
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|value| value.to_str().ok()).unwrap_or("")
    }

    pub fn cookies(&self) -> Vec<String> {
        self.headers.get_all(header::SET_COOKIE).iter().map(|value| value.to_str().unwrap().to_string()).collect()
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

/// The value of the first hidden `csrf_token` field of a page.
pub fn csrf_of(body: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = body.find(marker).map(|at| at + marker.len()).expect("the page has a CSRF field");
    body[start..start + body[start..].find('"').unwrap()].to_string()
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

/// A browser: its cookie and the CSRF token of its session.
#[derive(Clone, Default)]
pub struct Client {
    pub cookie: Option<String>,
    pub csrf: String,
}

impl Client {
    pub async fn get(&self, app: &App, path: &str) -> Reply {
        let mut request = Request::get(path);
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        send(&app.router, request.body(Body::empty()).unwrap()).await
    }

    /// A form post carrying this client's CSRF token (unless the fields give one).
    pub async fn post(&self, app: &App, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if !fields.iter().any(|(name, _)| *name == "csrf_token") {
            all.push(("csrf_token", &self.csrf));
        }
        self.post_raw(app, path, &encode(&all)).await
    }

    pub async fn post_raw(&self, app: &App, path: &str, body: &str) -> Reply {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        send(&app.router, request.body(Body::from(body.to_string())).unwrap()).await
    }
}

/// Fetches the login form and posts it; returns the reply and the client as it stands after.
pub async fn try_login(app: &App, email: &str, password: &str) -> (Reply, Client) {
    let page = Client::default().get(app, "/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let login_cookie = cookie_value(&page.cookies()[0]);
    let client = Client { cookie: Some(login_cookie), csrf: csrf_of(&page.body) };
    let reply = client.post(app, "/login", &[("email", email), ("password", password), ("next", "")]).await;
    let session = reply
        .cookies()
        .into_iter()
        .find(|cookie| cookie.starts_with("scrutiny_session=") && !cookie.starts_with("scrutiny_session=;"));
    let mut client = Client { cookie: session.map(|cookie| cookie_value(&cookie)), csrf: String::new() };
    if client.cookie.is_some() {
        let page = client.get(app, "/").await;
        client.csrf = csrf_of(&page.body);
    }
    (reply, client)
}

pub async fn login(app: &App, role: Role) -> Client {
    if role == Role::Public {
        return Client::default();
    }
    let (reply, client) = try_login(app, &email(role), PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(client.cookie.is_some());
    client
}
