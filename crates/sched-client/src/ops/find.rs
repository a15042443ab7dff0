//! Availability: `Appointment/$find` (proposed appointments) and `Slot/$prefetch` (free slots).

use chrono::{DateTime, Utc};
use fhir_model::urls::MIME_FHIR_JSON;
use fhir_model::{
    Appointment, Bundle, FindParams, OperationOutcome, PrefetchParams, Resource, Slot,
};
use reqwest::Method;

use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::ops::read::bundle;
use crate::org::{FindMethod, OrgClient};
use crate::transport::Req;

/// One proposed appointment from `$find`.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The proposal's id, for `$hold`/`$book` (`appt-id`).
    pub id: Option<String>,
    /// Parsed start (UTC); `None` when the server sent none or an unreadable one.
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub appointment: Appointment,
}

impl Proposal {
    /// Reads the times of a proposed appointment.
    pub fn new(appointment: Appointment) -> Self {
        let time = |t: &Option<String>| {
            t.as_deref()
                .and_then(|s| fhir_model::parse_instant(s).ok())
                .map(|t| t.with_timezone(&Utc))
        };
        Self {
            id: appointment.id.clone(),
            start: time(&appointment.start),
            end: time(&appointment.end),
            appointment,
        }
    }
}

/// A `$find` answer (avail-bundle): the proposals in the server's order, and any
/// OperationOutcomes it sent (e.g. "results outside the requested window").
#[derive(Debug, Clone, Default)]
pub struct Availability {
    pub proposals: Vec<Proposal>,
    pub outcomes: Vec<OperationOutcome>,
    /// `Bundle.total` as sent.
    pub total: Option<u64>,
}

impl Availability {
    /// Reads an avail-bundle.
    pub fn from_bundle(bundle: Bundle) -> Self {
        let mut out = Self {
            total: bundle.total,
            ..Self::default()
        };
        for resource in bundle.entry.into_iter().filter_map(|e| e.resource) {
            match resource {
                Resource::Appointment(a) => out.proposals.push(Proposal::new(a)),
                Resource::OperationOutcome(o) => out.outcomes.push(o),
                _ => {}
            }
        }
        out
    }

    /// Reads an avail-bundle from JSON bytes.
    pub fn from_json(body: &[u8]) -> Result<Self, ClientError> {
        let value: serde_json::Value = serde_json::from_slice(body)
            .map_err(|e| ClientError::malformed("$find", format!("body is not JSON: {e}")))?;
        match Resource::from_json_value(value)
            .map_err(|e| ClientError::malformed("$find", e.to_string()))?
        {
            Resource::Bundle(b) => Ok(Self::from_bundle(b)),
            other => Err(ClientError::malformed(
                "$find",
                format!("expected a Bundle, got {}", other.resource_type()),
            )),
        }
    }
}

/// A `$prefetch` answer (slot-bundle).
#[derive(Debug, Clone, Default)]
pub struct SlotAvailability {
    pub slots: Vec<Slot>,
    pub outcomes: Vec<OperationOutcome>,
}

impl OrgClient {
    /// `GET [base]/Appointment/$find?start=..&end=..&...&_count=n`, or
    /// `POST [base]/Appointment/$find?_count=n` with a Parameters body (valueDateTime start/end,
    /// valueString `system|code` tokens, valueUri references, `resource` for patient-resource and
    /// coverage). POST when a resource input forces it or the client is configured so.
    /// A read: retried with backoff.
    /// Spec: <http://fhir.org/guides/argonaut-scheduling/OperationDefinition/appointment-find>.
    pub async fn find_appointments(
        &self,
        params: &FindParams,
    ) -> Result<Availability, ClientError> {
        if params.start.is_none() || params.end.is_none() {
            return Err(ClientError::InvalidInput(
                "$find needs a start and an end".to_owned(),
            ));
        }
        self.require(Interaction::FindAppointments).await?;
        let url = self.url("Appointment/$find")?;
        let post = !params.fits_get() || self.inner.find_method == FindMethod::Post;
        let req = if post {
            let count = params
                .count
                .iter()
                .map(|n| ("_count".to_owned(), n.to_string()))
                .collect();
            Req::new(Method::POST, url)
                .query(count)
                .json(MIME_FHIR_JSON, &params.to_parameters())?
        } else {
            Req::new(Method::GET, url).query(params.to_query()?)
        };
        self.read(&req, |r| bundle(r, "$find").map(Availability::from_bundle))
            .await
    }

    /// `GET [base]/Slot/$prefetch?start=..&end=..&practitioner=..` — free slots (third-party
    /// prefetch use case). A read: retried with backoff.
    /// Spec: <http://fhir.org/guides/argonaut-scheduling/OperationDefinition/slot-prefetch>.
    pub async fn prefetch_slots(
        &self,
        params: &PrefetchParams,
    ) -> Result<SlotAvailability, ClientError> {
        if params.start.is_none() || params.end.is_none() {
            return Err(ClientError::InvalidInput(
                "$prefetch needs a start and an end".to_owned(),
            ));
        }
        self.require(Interaction::PrefetchSlots).await?;
        let req = Req::new(Method::GET, self.url("Slot/$prefetch")?).query(params.to_query());
        self.read(&req, |r| {
            let b = bundle(r, "$prefetch")?;
            let mut out = SlotAvailability::default();
            for resource in b.entry.into_iter().filter_map(|e| e.resource) {
                match resource {
                    Resource::Slot(s) => out.slots.push(s),
                    Resource::OperationOutcome(o) => out.outcomes.push(o),
                    _ => {}
                }
            }
            Ok(out)
        })
        .await
    }
}
