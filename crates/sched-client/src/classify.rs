//! The one classification of a failed interaction: from the HTTP status, the OperationOutcome's
//! `issue.code` and which interaction it was, to what happened in the caller's terms. Every
//! consumer (the core's `RemoteErrorKind`, and through it the UI's codes and the CLI's exit
//! codes) branches on [`FailureKind`], never on status numbers or text.

use crate::auth::AuthorizerError;
use crate::capabilities::Interaction;
use crate::error::ClientError;

/// What a failed interaction means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureKind {
    /// No connection could be made (refused, DNS): nothing reached the organisation.
    Unreachable,
    /// Sent, but no answer in time or the connection broke: the outcome is unknown.
    Timeout,
    /// The organisation refused the app's credentials (401/403, `security`/`login`/`forbidden`,
    /// or the token request was refused).
    Unauthorized,
    /// `$hold`/`$book` refused: the time was taken (or the appointment came back `cancelled`).
    SlotTaken,
    /// The hold ran out before booking (`expired`).
    HoldExpired,
    /// POST Patient or `$match` refused.
    PatientRefused,
    /// POST/PUT Coverage refused.
    CoverageRefused,
    /// The version sent in `If-Match` is no longer current (412).
    VersionConflict,
    /// Any other interaction refused as conflicting with the organisation's state (409/422).
    Refused,
    /// Any other interaction rejected as invalid (400, `invalid`/`required`/`value`).
    Rejected,
    /// The resource does not exist there (404/410, `not-found`).
    NotFound,
    /// The organisation does not offer the interaction (CapabilityStatement, 405/501,
    /// `not-supported`).
    Unsupported,
    /// The organisation failed: 5xx, 429, `transient`/`throttled`/`too-costly`, or an answer
    /// that is not what the interaction promises.
    ServerError,
    /// Nothing was sent because of the caller's side: bad input, insecure URL, client setup,
    /// no key.
    Local,
    /// Nothing was sent: the organisation searches only for a named visit type and none was
    /// given (the user can fix it by choosing one).
    VisitTypeRequired,
}

impl FailureKind {
    /// Whether the organisation answered and said no, so nothing changed there.
    pub fn is_refusal(self) -> bool {
        matches!(
            self,
            Self::SlotTaken
                | Self::HoldExpired
                | Self::PatientRefused
                | Self::CoverageRefused
                | Self::VersionConflict
                | Self::Refused
                | Self::Rejected
                | Self::NotFound
        )
    }
}

impl ClientError {
    /// What this error means for `during` (the interaction that failed). The one place where
    /// statuses and outcome codes are read.
    pub fn kind(&self, during: Interaction) -> FailureKind {
        use FailureKind as K;
        match self {
            Self::Status { status, .. } => status_kind(*status, self.outcome_code(), during),
            Self::SlotUnavailable { .. } => match self.outcome_code() {
                Some("expired") => K::HoldExpired,
                _ => K::SlotTaken,
            },
            Self::Unsupported { .. } => K::Unsupported,
            Self::Timeout(_) => K::Timeout,
            Self::Unreachable { sent: false, .. } => K::Unreachable,
            Self::Unreachable { .. } => K::Timeout,
            Self::Malformed { .. } => K::ServerError,
            Self::TokenRejected { .. } => K::Unauthorized,
            Self::Auth(AuthorizerError::Unavailable(_)) => K::Unreachable,
            Self::Auth(AuthorizerError::Rejected { .. }) => K::Unauthorized,
            Self::Auth(AuthorizerError::Failed(_)) => K::Local,
            // Read back and not applied: nothing happened, as if never sent.
            Self::Ambiguous {
                readback: crate::outcome::Readback::NotApplied,
                ..
            } => K::Unreachable,
            Self::Ambiguous { .. } => K::Timeout,
            Self::InvalidInput(_)
            | Self::InvalidParameters(_)
            | Self::InsecureUrl(_)
            | Self::Setup(_) => K::Local,
            Self::VisitTypeRequired => K::VisitTypeRequired,
        }
    }

    /// Whether the server refused because of a conflicting state (slot taken, version changed,
    /// a business rule about the current state): the same answer [`Self::kind`] gives for an
    /// interaction with no refusal of its own.
    pub fn is_conflict(&self) -> bool {
        match self {
            Self::SlotUnavailable { .. } => true,
            Self::Status { status, .. } => matches!(
                status_kind(*status, self.outcome_code(), Interaction::ReadAppointment),
                FailureKind::VersionConflict | FailureKind::Refused
            ),
            _ => false,
        }
    }

    /// The `issue.code` of the organisation's first error issue, when it sent an OperationOutcome.
    pub fn outcome_code(&self) -> Option<&str> {
        self.outcome().and_then(|o| o.first_error_code())
    }

    /// The OAuth `error` (e.g. `invalid_client`) when the token request was refused.
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            Self::TokenRejected { error, .. }
            | Self::Auth(AuthorizerError::Rejected { error, .. }) => Some(error),
            _ => None,
        }
    }

    /// What the organisation itself wrote for people: its OperationOutcome's `details.text`
    /// (or coding display) / `diagnostics`, or the OAuth `error_description`. `None` when it
    /// wrote nothing: a bare issue code or our own transport detail is never returned.
    pub fn organisation_text(&self) -> Option<String> {
        if let Self::TokenRejected { description, .. }
        | Self::Auth(AuthorizerError::Rejected { description, .. }) = self
        {
            return description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned);
        }
        let outcome = self.outcome()?;
        let texts: Vec<&str> = outcome
            .issue
            .iter()
            .filter_map(|i| {
                let details = i.details.as_ref().and_then(|d| {
                    d.text
                        .as_deref()
                        .or_else(|| d.coding.iter().find_map(|c| c.display.as_deref()))
                });
                details.or(i.diagnostics.as_deref())
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        Some(texts.join("; ")).filter(|t| !t.is_empty())
    }
}

/// A non-2xx answer: the status decides first where it is unambiguous, then the issue code,
/// then the interaction says whose refusal a 4xx is.
fn status_kind(status: u16, code: Option<&str>, during: Interaction) -> FailureKind {
    use FailureKind as K;
    match (status, code) {
        (412, _) => return K::VersionConflict,
        (401 | 403, _) | (_, Some("security" | "login" | "forbidden" | "suppressed")) => {
            return K::Unauthorized;
        }
        (404 | 410, _) | (_, Some("not-found" | "deleted")) => return K::NotFound,
        (405 | 501, _) | (_, Some("not-supported")) => return K::Unsupported,
        (429 | 500..=599, _) | (_, Some("transient" | "timeout" | "throttled" | "too-costly")) => {
            return K::ServerError;
        }
        (_, Some("expired")) if is_booking(during) => return K::HoldExpired,
        _ => {}
    }
    match during {
        Interaction::CreatePatient | Interaction::MatchPatient => K::PatientRefused,
        Interaction::CreateCoverage | Interaction::UpdateCoverage => K::CoverageRefused,
        Interaction::HoldAppointment | Interaction::BookAppointment => K::SlotTaken,
        _ if status == 400
            || matches!(code, Some("invalid" | "required" | "value" | "structure")) =>
        {
            K::Rejected
        }
        _ if status < 500 => K::Refused,
        _ => K::ServerError,
    }
}

fn is_booking(during: Interaction) -> bool {
    matches!(
        during,
        Interaction::HoldAppointment | Interaction::BookAppointment
    )
}

#[cfg(test)]
mod tests {
    use fhir_model::OperationOutcome;

    use super::*;

    fn status(status: u16, code: Option<&str>, text: Option<&str>) -> ClientError {
        let outcome = code.map(|c| {
            let mut o = OperationOutcome::error(c, text.unwrap_or_default());
            if text.is_none() {
                o.issue[0].diagnostics = None;
                o.issue[0].details = None;
            }
            Box::new(o)
        });
        ClientError::Status {
            status,
            outcome,
            retry_after: None,
        }
    }

    #[test]
    fn a_4xx_refusal_is_named_by_the_interaction_that_was_refused() {
        let refused = status(422, Some("business-rule"), Some("payor unknown"));
        let cases = [
            (Interaction::CreateCoverage, FailureKind::CoverageRefused),
            (Interaction::UpdateCoverage, FailureKind::CoverageRefused),
            (Interaction::CreatePatient, FailureKind::PatientRefused),
            (Interaction::MatchPatient, FailureKind::PatientRefused),
            (Interaction::HoldAppointment, FailureKind::SlotTaken),
            (Interaction::BookAppointment, FailureKind::SlotTaken),
            (Interaction::CancelAppointment, FailureKind::Refused),
        ];
        for (during, kind) in cases {
            assert_eq!(refused.kind(during), kind, "{during:?}");
        }
        assert_eq!(
            status(400, Some("invalid"), None).kind(Interaction::FindAppointments),
            FailureKind::Rejected
        );
    }

    #[test]
    fn status_and_issue_code_win_over_the_interaction_where_they_are_unambiguous() {
        let book = Interaction::BookAppointment;
        assert_eq!(
            status(412, Some("conflict"), None).kind(book),
            FailureKind::VersionConflict
        );
        assert_eq!(
            status(409, Some("expired"), None).kind(book),
            FailureKind::HoldExpired
        );
        assert_eq!(
            status(403, None, None).kind(book),
            FailureKind::Unauthorized
        );
        assert_eq!(
            status(422, Some("login"), None).kind(book),
            FailureKind::Unauthorized
        );
        assert_eq!(status(404, None, None).kind(book), FailureKind::NotFound);
        assert_eq!(status(503, None, None).kind(book), FailureKind::ServerError);
        assert_eq!(
            status(422, Some("throttled"), None).kind(book),
            FailureKind::ServerError
        );
        assert_eq!(status(501, None, None).kind(book), FailureKind::Unsupported);
        assert_eq!(
            status(412, None, None).kind(Interaction::UpdateCoverage),
            FailureKind::VersionConflict,
            "a stale If-Match is a version conflict whatever was updated"
        );
    }

    #[test]
    fn a_conflict_predicate_agrees_with_the_classification() {
        for (code, during) in [
            (409, Interaction::HoldAppointment),
            (412, Interaction::CancelAppointment),
            (422, Interaction::BookAppointment),
        ] {
            let e = status(code, None, None);
            assert!(e.is_conflict(), "{code} during {during:?}");
            assert!(e.kind(during).is_refusal());
        }
    }

    #[test]
    fn only_text_the_organisation_wrote_is_offered_for_quoting() {
        let bare = status(422, Some("required"), None);
        assert_eq!(
            bare.organisation_text(),
            None,
            "a bare issue code is not text"
        );
        assert_eq!(bare.outcome_code(), Some("required"));
        let said = status(422, Some("required"), Some("Coverage.payor is required"));
        assert_eq!(
            said.organisation_text().as_deref(),
            Some("Coverage.payor is required")
        );
        let transport = ClientError::Unreachable {
            reason: "error sending request for url (http://127.0.0.1:9/fhir)".into(),
            sent: false,
        };
        assert_eq!(transport.organisation_text(), None);
        assert_eq!(
            transport.kind(Interaction::FindAppointments),
            FailureKind::Unreachable
        );
        let token = ClientError::TokenRejected {
            error: "invalid_client".into(),
            description: Some("unknown key".into()),
        };
        assert_eq!(token.oauth_error(), Some("invalid_client"));
        assert_eq!(token.organisation_text().as_deref(), Some("unknown key"));
        assert_eq!(
            token.kind(Interaction::FindAppointments),
            FailureKind::Unauthorized
        );
    }
}
