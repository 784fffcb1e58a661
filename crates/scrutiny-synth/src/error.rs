//! Typed errors of the generator: what went wrong and where.

use std::path::Path;

/// What went wrong, in words a user can act on.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// The class of a generator error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No profile has the name asked for.
    UnknownProfile,
    /// The options do not apply to the profile or are out of range.
    InvalidOptions,
    /// A profile data file is malformed or its figures contradict each other.
    Profile,
    /// A file or folder could not be written.
    Io,
    /// The generator broke one of its own rules; a bug.
    Internal,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), source: None }
    }

    pub(crate) fn unknown_profile(name: &str, known: &[&str]) -> Self {
        Self::new(ErrorKind::UnknownProfile, format!("no profile '{name}' (profiles: {})", known.join(", ")))
    }

    pub(crate) fn invalid_options(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidOptions, message)
    }

    pub(crate) fn profile(file: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Profile, format!("{file}: {}", message.into()))
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, format!("internal error: {} (this is a bug, please report it)", message.into()))
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self {
            kind: ErrorKind::Io,
            message: format!("cannot write {}: {source}", path.display()),
            source: Some(Box::new(source)),
        }
    }

    pub(crate) fn csv(path: &Path, source: csv::Error) -> Self {
        Self {
            kind: ErrorKind::Io,
            message: format!("cannot write {}: {source}", path.display()),
            source: Some(Box::new(source)),
        }
    }

    pub(crate) fn json(path: &Path, source: serde_json::Error) -> Self {
        Self {
            kind: ErrorKind::Io,
            message: format!("cannot write {}: {source}", path.display()),
            source: Some(Box::new(source)),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}
