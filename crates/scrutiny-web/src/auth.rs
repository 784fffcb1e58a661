//! Passwords (argon2id), session cookies, CSRF tokens and login throttling.
//!
//! A session token is 32 random bytes sent only in an HttpOnly, SameSite=Strict
//! cookie; the database keeps its SHA-256, so a copy of the database cannot be
//! used to log in. Each session has its own CSRF (synchroniser) token, which
//! every form carries. The login form, before any session exists, carries a
//! token that must match a short-lived login cookie.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};

use scrutiny_store::governance::Session;

use crate::{AppError, AppState};

pub const SESSION_COOKIE: &str = "scrutiny_session";
pub const LOGIN_COOKIE: &str = "scrutiny_login";

/// Hashes a password as an argon2id PHC string.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt =
        SaltString::encode_b64(&random_bytes::<16>()?).map_err(|error| AppError::internal(format!("salt: {error}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| AppError::internal(format!("hashing a password: {error}")))
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash to verify against when the account does not exist, so that an
/// unknown email costs as much time as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

/// A password of 20 letters and digits without look-alikes, for demo accounts
/// and `scrutiny user add` when none is given.
pub fn generate_password() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let bytes = random_bytes::<20>()?;
    Ok(bytes.iter().map(|byte| ALPHABET[usize::from(*byte) % ALPHABET.len()] as char).collect())
}

fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| AppError::internal(format!("random numbers: {error}")))?;
    Ok(bytes)
}

pub fn random_token() -> Result<String, AppError> {
    Ok(hex(&random_bytes::<32>()?))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of cookie `name`, if the request sent it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

/// A `Set-Cookie` value with the attributes every Scrutiny cookie has.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) -> String {
    let secure = if state.config().secure_cookies { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// The session the request's cookie names, if it is live.
pub async fn current_session(state: &AppState, headers: &HeaderMap) -> Result<Option<Session>, AppError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else { return Ok(None) };
    Ok(state.governance().session(&token_hash(&token), state.now()).await?)
}

/// Checks an email and password; the same `None` for an unknown account and a wrong password.
pub async fn authenticate(
    state: &AppState,
    email: &str,
    password: &str,
) -> Result<Option<scrutiny_store::governance::User>, AppError> {
    let user = state.governance().user_by_email(email).await?;
    let hash = user.as_ref().map(|user| user.password_hash.clone()).unwrap_or_else(|| dummy_hash().to_string());
    let password = password.to_string();
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|error| AppError::internal(format!("verifying a password: {error}")))?;
    Ok(user.filter(|_| matches))
}

/// Failed logins, per account and per client address, within a sliding window.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<i64>>>,
}

impl Throttle {
    fn keys(email: &str, address: &str) -> [String; 2] {
        [format!("account:{}", email.trim().to_lowercase()), format!("address:{address}")]
    }

    /// Whether another attempt is refused now; attempts refused here are not checked at all.
    pub fn blocked(&self, state: &AppState, email: &str, address: &str) -> bool {
        let now = state.now();
        let window = state.config().throttle_window_seconds;
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let [account, address] = Self::keys(email, address);
        let mut count = |key: &str| {
            let entry = failures.entry(key.to_string()).or_default();
            entry.retain(|at| now - at < window);
            entry.len()
        };
        count(&account) >= state.config().failures_per_account || count(&address) >= state.config().failures_per_address
    }

    pub fn record_failure(&self, state: &AppState, email: &str, address: &str) {
        let now = state.now();
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for key in Self::keys(email, address) {
            failures.entry(key).or_default().push(now);
        }
    }

    pub fn record_success(&self, email: &str, address: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let [account, _] = Self::keys(email, address);
        failures.remove(&account);
    }
}

/// Percent-encodes a path for a query string.
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// Only a local path is followed after login, never another site.
pub fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') { next } else { "/meetings" }
}
