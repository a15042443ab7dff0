//! OperationOutcome: how a FHIR server says what went wrong (or, informationally, what it did).

use serde::{Deserialize, Serialize};

use super::resource_tag;
use crate::datatypes::is_empty;
use crate::{CodeableConcept, JsonMap, Meta};

resource_tag!(OperationOutcomeType, "OperationOutcome");

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OperationOutcome {
    #[serde(rename = "resourceType")]
    pub resource_type: OperationOutcomeType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(default)]
    pub issue: Vec<OutcomeIssue>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OutcomeIssue {
    /// fatal | error | warning | information.
    pub severity: String,
    /// An IssueType code such as `invalid`, `not-found`, `conflict`, `security`.
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<CodeableConcept>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub location: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub expression: Vec<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl OperationOutcome {
    /// An outcome with one issue whose human text is `text`.
    pub fn single(severity: &str, code: &str, text: &str) -> Self {
        Self {
            issue: vec![OutcomeIssue {
                severity: severity.to_owned(),
                code: code.to_owned(),
                details: Some(CodeableConcept::text(text)),
                ..OutcomeIssue::default()
            }],
            ..Self::default()
        }
    }

    /// An error outcome.
    pub fn error(code: &str, text: &str) -> Self {
        Self::single("error", code, text)
    }

    /// An informational outcome.
    pub fn information(text: &str) -> Self {
        Self::single("information", "informational", text)
    }

    /// Whether any issue is an error or fatal.
    pub fn has_errors(&self) -> bool {
        self.issue
            .iter()
            .any(|i| matches!(i.severity.as_str(), "error" | "fatal"))
    }

    /// All human-readable issue texts joined by "; " (details.text, else diagnostics, else code).
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self
            .issue
            .iter()
            .map(|i| {
                i.details
                    .as_ref()
                    .and_then(CodeableConcept::label)
                    .or(i.diagnostics.as_deref())
                    .unwrap_or(i.code.as_str())
            })
            .collect();
        texts.join("; ")
    }

    /// The code of the first error issue, if any.
    pub fn first_error_code(&self) -> Option<&str> {
        self.issue
            .iter()
            .find(|i| matches!(i.severity.as_str(), "error" | "fatal"))
            .map(|i| i.code.as_str())
    }
}
