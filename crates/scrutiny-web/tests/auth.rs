//! Logging in and out: sessions and their cookies, no user enumeration,
//! throttling per account and per address, CSRF on every form.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};

use scrutiny_core::governance::Role;
use scrutiny_web::Config;

use crate::util::{App, Client, PASSWORD, app, app_with, email, encode, login, send, try_login};

#[tokio::test]
async fn a_login_sets_a_strict_http_only_cookie_and_logout_ends_the_session() {
    let app = app().await;
    let (reply, client) = try_login(&app, &email(Role::Editor), PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), "/meetings");
    let session = reply.cookies().into_iter().find(|c| c.starts_with("scrutiny_session=")).unwrap();
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"), "{session}");
    assert!(!session.contains("Secure"), "not Secure unless configured");
    assert_eq!(client.get(&app, "/meetings").await.status, StatusCode::OK);

    let out = client.post(&app, "/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = client.get(&app, "/meetings").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "the old cookie no longer opens anything");
    assert!(after.location().starts_with("/login"));
}

#[tokio::test]
async fn cookies_are_secure_when_configured() {
    let app = app_with(Config { secure_cookies: true, ..Config::default() }).await;
    let (reply, _) = try_login(&app, &email(Role::Editor), PASSWORD).await;
    assert!(reply.cookies().iter().all(|cookie| cookie.contains("; Secure")), "{:?}", reply.cookies());
}

#[tokio::test]
async fn sessions_expire() {
    let app = app().await;
    let client = login(&app, Role::Editor).await;
    app.state.advance_clock(Config::default().session_seconds - 1);
    assert_eq!(client.get(&app, "/meetings").await.status, StatusCode::OK);
    app.state.advance_clock(1);
    let expired = client.get(&app, "/meetings").await;
    assert_eq!(expired.status, StatusCode::SEE_OTHER);
    assert!(expired.location().starts_with("/login?next=/meetings"));
}

#[tokio::test]
async fn an_unknown_account_and_a_wrong_password_read_the_same() {
    let app = app().await;
    let (unknown, unknown_client) = try_login(&app, "nobody@example.org", PASSWORD).await;
    let (wrong, wrong_client) = try_login(&app, &email(Role::Editor), "not the password").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, unknown.status);
    assert!(unknown_client.cookie.is_none() && wrong_client.cookie.is_none());
    let message = "The email or password is not right.";
    assert!(unknown.body.contains(message) && wrong.body.contains(message));
    let strip = |body: &str, typed: &str| {
        let token = crate::util::csrf_of(body);
        body.replace(&token, "TOKEN").replace(typed, "EMAIL")
    };
    assert_eq!(strip(&unknown.body, "nobody@example.org"), strip(&wrong.body, &email(Role::Editor)));
    assert!(wrong.body.contains(&format!("value=\"{}\"", email(Role::Editor))), "the typed email is kept");
}

#[tokio::test]
async fn logins_are_throttled_per_account() {
    let app = app().await;
    let editor = email(Role::Editor);
    for _ in 0..Config::default().failures_per_account {
        assert_eq!(try_login(&app, &editor, "wrong").await.0.status, StatusCode::UNAUTHORIZED);
    }
    let (blocked, client) = try_login(&app, &editor, PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(client.cookie.is_none());
    assert!(blocked.body.contains("Too many failed attempts"));
    assert_eq!(
        try_login(&app, &email(Role::PanelMember), PASSWORD).await.0.status,
        StatusCode::SEE_OTHER,
        "other accounts are unaffected"
    );
    app.state.advance_clock(Config::default().throttle_window_seconds);
    assert_eq!(try_login(&app, &editor, PASSWORD).await.0.status, StatusCode::SEE_OTHER, "the window passes");
}

async fn login_from(app: &App, address: &str, user: &str, password: &str) -> StatusCode {
    let page = Client::default().get(app, "/login").await;
    let cookie = page.cookies()[0].split(';').next().unwrap().to_string();
    let body = encode(&[("email", user), ("password", password), ("csrf_token", &crate::util::csrf_of(&page.body))]);
    let mut request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    request.extensions_mut().insert(ConnectInfo(address.parse::<SocketAddr>().unwrap()));
    send(&app.router, request).await.status
}

#[tokio::test]
async fn logins_are_throttled_per_address() {
    let app = app_with(Config { failures_per_address: 3, ..Config::default() }).await;
    for n in 0..3 {
        let status = login_from(&app, "192.0.2.7:5000", &format!("guess{n}@example.org"), "x").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login_from(&app, "192.0.2.7:5001", &email(Role::Editor), PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(login_from(&app, "198.51.100.1:5000", &email(Role::Editor), PASSWORD).await, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_form_without_the_sessions_csrf_token_is_refused_and_changes_nothing() {
    let app = app().await;
    let editor = login(&app, Role::Editor).await;
    let other = login(&app, Role::Administrator).await;
    let meeting = [("kind", "board"), ("title", "Board"), ("date", "2024-09-12"), ("venue", ""), ("attendees", "")];
    let missing = editor.post_raw(&app, "/meetings", &encode(&meeting)).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("The form has expired"));
    let mut wrong = meeting.to_vec();
    wrong.push(("csrf_token", &other.csrf));
    assert_eq!(editor.post(&app, "/meetings", &wrong).await.status, StatusCode::FORBIDDEN, "another session's token");
    assert!(app.state.governance().meetings(&Default::default()).await.unwrap().is_empty());
    assert_eq!(editor.post(&app, "/meetings", &meeting).await.status, StatusCode::SEE_OTHER, "with the token it saves");

    let login_page = Client::default().get(&app, "/login").await;
    let forged = Client::default()
        .post(
            &app,
            "/login",
            &[
                ("email", &email(Role::Editor)),
                ("password", PASSWORD),
                ("csrf_token", &crate::util::csrf_of(&login_page.body)),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "the login form's token must match its cookie");
}

#[tokio::test]
async fn login_only_follows_local_next_paths() {
    let app = app().await;
    let page = Client::default().get(&app, "/login?next=/actions").await;
    let cookie = page.cookies()[0].split(';').next().unwrap().to_string();
    let client = Client { cookie: Some(cookie), csrf: crate::util::csrf_of(&page.body) };
    let reply = client
        .post(&app, "/login", &[("email", &email(Role::Editor)), ("password", PASSWORD), ("next", "//evil.example/")])
        .await;
    assert_eq!(reply.location(), "/meetings");
}
