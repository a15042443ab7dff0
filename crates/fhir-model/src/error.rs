//! Errors raised while reading FHIR content or operation parameters.

use thiserror::Error;

/// What was wrong with a resource, a date or an operation's parameters.
///
/// Every message names the offending element so a server can put it into an OperationOutcome
/// and a client can show it next to the organisation's name.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModelError {
    /// The JSON is not a FHIR resource of the expected shape.
    #[error("invalid {resource_type}: {message}")]
    InvalidResource {
        resource_type: String,
        message: String,
    },
    /// `resourceType` is missing or is not the type this place accepts.
    #[error("expected resourceType {expected}, found {found}")]
    WrongResourceType { expected: String, found: String },
    /// A date, dateTime or instant that does not follow the FHIR format.
    #[error("invalid date/time '{value}': {reason}")]
    InvalidDateTime { value: String, reason: String },
    /// An operation parameter the OperationDefinition does not declare.
    #[error("unknown parameter '{0}'")]
    UnknownParameter(String),
    /// A parameter present with the wrong value type or a malformed value.
    #[error("parameter '{name}': {reason}")]
    InvalidParameter { name: String, reason: String },
    /// A required parameter (1..1) is absent.
    #[error("missing required parameter '{0}'")]
    MissingParameter(String),
    /// A parameter given more often than its cardinality allows.
    #[error("parameter '{0}' may appear at most once")]
    RepeatedParameter(String),
}

impl ModelError {
    /// Builds an [`ModelError::InvalidParameter`].
    pub fn param(name: &str, reason: impl Into<String>) -> Self {
        Self::InvalidParameter {
            name: name.to_owned(),
            reason: reason.into(),
        }
    }
}
