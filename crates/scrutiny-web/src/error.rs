//! The one error type at the web edge: a page in plain words, never internals.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use scrutiny_store::ErrorKind;

use crate::views;

/// Everything a handler can fail with. Internal errors are logged to standard
/// error with their detail; the page only says something went wrong.
#[derive(Debug)]
pub enum AppError {
    NotFound,
    Forbidden,
    /// A form without the session's CSRF token.
    Csrf,
    BadRequest(String),
    /// A move the workflow does not allow (for example publishing an unanswered question).
    Refused(String),
    Internal(String),
}

impl AppError {
    pub fn internal(message: impl Into<String>) -> AppError {
        AppError::Internal(message.into())
    }
}

impl From<scrutiny_store::Error> for AppError {
    fn from(error: scrutiny_store::Error) -> AppError {
        match error.kind {
            ErrorKind::NotFound => AppError::NotFound,
            ErrorKind::Transition | ErrorKind::Conflict | ErrorKind::Invalid => {
                AppError::Refused(error.message().to_string())
            }
            _ => AppError::Internal(error.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, message) = match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, "Not found", "There is no such page.".to_string()),
            AppError::Forbidden => {
                (StatusCode::FORBIDDEN, "Not allowed", "Your account's role does not allow this.".to_string())
            }
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "The form has expired",
                "The form was not sent from this site or your session changed. Go back, reload the page and try again."
                    .to_string(),
            ),
            AppError::BadRequest(message) => (StatusCode::BAD_REQUEST, "Bad request", message),
            AppError::Refused(message) => (StatusCode::CONFLICT, "Not possible", capitalise(&message)),
            AppError::Internal(detail) => {
                eprintln!("scrutiny-web: internal error: {detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "Scrutiny could not do this. The error has been logged; please tell your administrator."
                        .to_string(),
                )
            }
        };
        let body = views::error_page(title, &message);
        (status, [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}
