//! The port through which the core talks to one organisation's FHIR scheduling server.
//!
//! Why a trait: the workflows (journal, recovery, reschedule saga) are the core's business and
//! must not change when the HTTP client does; the production implementation adapts
//! `sched-client` ([`sched`]), and the workflows only see the interactions the IG defines plus
//! errors as data ([`RemoteError`]).

mod error;
pub mod sched;

pub(crate) use sched::home_error;

use std::fmt::Debug;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use fhir_model::{
    Appointment, BookParams, Coverage, FindParams, Location, Patient, Practitioner,
    PractitionerRole, ReferralRequest,
};
use futures::future::BoxFuture;
use referral_store::Organisation;
use sched_client::home::{Desk, HomeClient};

pub use error::{RemoteError, RemoteErrorKind};

/// Result of one remote interaction.
pub type RemoteResult<T> = Result<T, RemoteError>;

/// What an organisation's `/metadata` says it supports, reduced to what the workflows branch on.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Capabilities {
    /// `fhirVersion` of the CapabilityStatement.
    pub fhir_version: Option<String>,
    /// Operations offered, by name without `$` (`find`, `hold`, `book`, `match`, ...).
    pub operations: Vec<String>,
    /// Patch formats declared for cancel / release.
    pub patch_formats: Vec<String>,
    /// The organisation offers `POST ReferralRequest` (STU3).
    #[serde(default)]
    pub referral_requests: bool,
    /// The scheduling dialect it is spoken to in (`argonaut`, `ihe-iti`, `plain-r4`, `epic`,
    /// `oracle`); `None` from remotes that do not say.
    #[serde(default)]
    pub dialect: Option<String>,
    /// Why that dialect: one plain sentence for the capability report.
    #[serde(default)]
    pub dialect_reason: Option<String>,
}

impl Capabilities {
    /// Whether the organisation offers `$hold`.
    pub fn supports(&self, operation: &str) -> bool {
        self.operations.iter().any(|o| o == operation)
    }
}

/// A held appointment and when the hold runs out (from the `Expires` header, if sent).
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    /// The appointment as the organisation returned it (may carry a new id).
    pub appointment: Appointment,
    /// The `Expires` header, parsed; `None` when the organisation did not send one.
    pub expires: Option<DateTime<Utc>>,
}

/// A patient found at an organisation, with the `$match` score when there was one.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientHit {
    /// The patient resource.
    pub patient: Patient,
    /// Score between 0 and 1 from `$match`.
    pub score: Option<f64>,
    /// The `$match` grade (certain, probable, possible, certainly-not) when the server sent one.
    pub grade: Option<String>,
}

/// What `POST Patient` left at the organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatedPatient {
    /// The patient as the organisation returned it, with its id there.
    pub patient: Patient,
    /// True when the organisation answered with a patient it already had (200) instead of
    /// creating one (201): the IG asks servers to de-duplicate registrations this way.
    pub existing: bool,
}

/// US Core Patient search criteria; at least one is set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatientQuery {
    /// `identifier` (`system|value` or a bare value).
    pub identifier: Option<String>,
    /// `family`.
    pub family: Option<String>,
    /// `given`.
    pub given: Option<String>,
    /// `birthdate`.
    pub birth_date: Option<NaiveDate>,
}

/// Appointment search (`GET Appointment?_id=&patient=&practitioner=&status=&date=&_count=`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppointmentQuery {
    /// `_id` values (OR): these appointments.
    pub ids: Vec<String>,
    /// `_count`: the page size asked of the organisation (`None`: the adapter's default).
    pub page_size: Option<u32>,
    /// `patient` (a Patient id at this organisation).
    pub patient: Option<String>,
    /// `practitioner` (a Practitioner id or reference at this organisation).
    pub practitioner: Option<String>,
    /// `status` values (OR).
    pub status: Vec<String>,
    /// `date=ge…`.
    pub from: Option<DateTime<Utc>>,
    /// `date=lt…`.
    pub to: Option<DateTime<Utc>>,
}

/// An organisation's own directory as it answered: practitioners, their roles (specialty and
/// locations; empty when the organisation offers no PractitionerRole search) and locations
/// (empty when it offers no Location search).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DirectoryListing {
    /// `GET Practitioner`.
    pub practitioners: Vec<Practitioner>,
    /// `GET PractitionerRole`.
    pub roles: Vec<PractitionerRole>,
    /// `GET Location`.
    pub locations: Vec<Location>,
}

/// One organisation's scheduling server. Every method is one interaction; non-idempotent ones
/// (`hold`, `book`, `cancel`, `create_*`) are never retried by implementations.
pub trait Remote: Send + Sync + Debug {
    /// `GET [base]/metadata`, reduced to [`Capabilities`].
    fn capabilities(&self) -> BoxFuture<'_, RemoteResult<Capabilities>>;
    /// Reads `.well-known/smart-configuration` (or the CapabilityStatement's oauth-uris) and
    /// returns the token endpoint.
    fn discover(&self) -> BoxFuture<'_, RemoteResult<String>>;
    /// Obtains an access token now (used by `check` to report the token step on its own).
    fn authenticate(&self) -> BoxFuture<'_, RemoteResult<()>>;
    /// `$find`: proposed appointments, in the server's order.
    fn find(&self, params: FindParams) -> BoxFuture<'_, RemoteResult<Vec<Appointment>>>;
    /// `POST [base]/Appointment/[id]/$hold`.
    fn hold(&self, appointment_id: String) -> BoxFuture<'_, RemoteResult<Held>>;
    /// `POST [base]/Appointment/[id]/$book`.
    fn book(&self, params: BookParams) -> BoxFuture<'_, RemoteResult<Appointment>>;
    /// `GET [base]/Appointment/[id]`.
    fn read_appointment(&self, id: String) -> BoxFuture<'_, RemoteResult<Appointment>>;
    /// `PATCH [base]/Appointment/[id]` to `cancelled`, with an IG status-reason code.
    fn cancel(
        &self,
        id: String,
        reason_code: Option<String>,
        version: Option<String>,
    ) -> BoxFuture<'_, RemoteResult<Appointment>>;
    /// `GET [base]/Appointment?…`, all pages up to a limit.
    fn search_appointments(
        &self,
        query: AppointmentQuery,
    ) -> BoxFuture<'_, RemoteResult<Vec<Appointment>>>;
    /// `GET [base]/Patient?…`.
    fn search_patients(&self, query: PatientQuery) -> BoxFuture<'_, RemoteResult<Vec<PatientHit>>>;
    /// `POST [base]/Patient/$match`.
    fn match_patient(&self, patient: Patient) -> BoxFuture<'_, RemoteResult<Vec<PatientHit>>>;
    /// `POST [base]/Patient` (no `If-None-Exist`; the server may return an existing patient).
    fn create_patient(&self, patient: Patient) -> BoxFuture<'_, RemoteResult<CreatedPatient>>;
    /// `POST [base]/Coverage`.
    fn create_coverage(&self, coverage: Coverage) -> BoxFuture<'_, RemoteResult<Coverage>>;
    /// `PUT [base]/Coverage/[id]` (idempotent: the same body twice leaves the same coverage).
    fn update_coverage(&self, coverage: Coverage) -> BoxFuture<'_, RemoteResult<Coverage>>;
    /// `POST [base]/ReferralRequest`; the created request (with its id).
    fn create_referral_request(
        &self,
        request: ReferralRequest,
    ) -> BoxFuture<'_, RemoteResult<ReferralRequest>>;
    /// `GET [base]/Practitioner`, `PractitionerRole`, `Location`: the organisation's directory
    /// (read once per connection; the directory changes far less often than a session lasts).
    fn directory(&self) -> BoxFuture<'_, RemoteResult<DirectoryListing>>;
}

/// Builds the [`Remote`] for an organisation row (client, token cache, key). The app asks once
/// per organisation and caches the result until the row changes.
pub trait Connector: Send + Sync + Debug {
    /// The remote for `org`, signing with `key`.
    fn connect(
        &self,
        org: &Organisation,
        key: Arc<smart_auth::SigningKey>,
    ) -> Result<Arc<dyn Remote>, RemoteError>;

    /// The home organisation's queue client for `org`, signing with `key`, claiming as `desk`.
    /// Connectors that cannot reach a home (test doubles) keep this default refusal.
    fn connect_home(
        &self,
        org: &Organisation,
        key: Arc<smart_auth::SigningKey>,
        desk: Desk,
    ) -> Result<HomeClient, RemoteError> {
        let _ = (org, key, desk);
        Err(RemoteError::new(
            RemoteErrorKind::Unsupported,
            "connect to the home organisation",
        ))
    }
}
