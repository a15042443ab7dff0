//! Errors of the sandbox: configuration, storage, startup, and the FHIR error answered to a
//! client (an HTTP status with an OperationOutcome).

use std::path::PathBuf;

use fhir_model::{ModelError, OperationOutcome};
use http::StatusCode;
use thiserror::Error;

/// A configuration file or value that cannot be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid TOML: {0}")]
    Parse(String),
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// The SQLite store failed or holds something it cannot read.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored JSON unreadable: {0}")]
    Json(#[from] serde_json::Error),
    #[error("stored resource unreadable: {0}")]
    Model(#[from] ModelError),
}

/// Why the sandbox could not start or be driven.
#[derive(Debug, Error)]
pub enum SandboxError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("cannot import seed {path}: {message}")]
    Import { path: PathBuf, message: String },
    #[error("no organisation named '{0}'")]
    UnknownOrganisation(String),
}

impl SandboxError {
    /// Whether the error is the caller's configuration (not the machine).
    pub fn is_config(&self) -> bool {
        matches!(
            self,
            Self::Config(_) | Self::UnknownOrganisation(_) | Self::Import { .. }
        )
    }
}

/// A FHIR error response: HTTP status plus the OperationOutcome body.
#[derive(Debug, Clone, Error)]
#[error("{status}: {}", outcome.text())]
pub struct FhirError {
    pub status: StatusCode,
    pub outcome: Box<OperationOutcome>,
    /// Extra headers (e.g. `Retry-After`, `WWW-Authenticate`).
    pub headers: Vec<(http::HeaderName, String)>,
}

impl FhirError {
    /// An error with one issue of IssueType `code`.
    pub fn new(status: StatusCode, code: &str, text: impl AsRef<str>) -> Self {
        Self {
            status,
            outcome: Box::new(OperationOutcome::error(code, text.as_ref())),
            headers: Vec::new(),
        }
    }

    /// 400 with IssueType `invalid`.
    pub fn bad_request(text: impl AsRef<str>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid", text)
    }

    /// 404 with IssueType `not-found`.
    pub fn not_found(text: impl AsRef<str>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", text)
    }

    /// 409 with IssueType `conflict`.
    pub fn conflict(text: impl AsRef<str>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", text)
    }

    /// 422 with IssueType `business-rule`.
    pub fn unprocessable(text: impl AsRef<str>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "business-rule", text)
    }

    /// 403 with IssueType `forbidden`.
    pub fn forbidden(text: impl AsRef<str>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", text)
    }

    /// 500 that says nothing about internals (details go to the log, never to the client).
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "exception",
            "internal error; nothing was changed",
        )
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: http::HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Whether this is a client error (4xx).
    pub fn is_client_error(&self) -> bool {
        self.status.is_client_error()
    }
}

impl From<ModelError> for FhirError {
    fn from(e: ModelError) -> Self {
        match e {
            ModelError::UnknownParameter(_) => {
                Self::new(StatusCode::BAD_REQUEST, "not-supported", e.to_string())
            }
            ModelError::WrongResourceType { .. } | ModelError::InvalidResource { .. } => {
                Self::new(StatusCode::BAD_REQUEST, "structure", e.to_string())
            }
            _ => Self::bad_request(e.to_string()),
        }
    }
}

impl From<StoreError> for FhirError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "store failure");
        if let StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) = &e
            && f.code == rusqlite::ErrorCode::DatabaseBusy
        {
            return Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "transient",
                "busy; try again",
            );
        }
        Self::internal()
    }
}
