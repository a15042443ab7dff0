//! Availability: `Appointment/$find` (proposed appointments) and `Slot/$prefetch` (free slots).

use fhir_model::urls::MIME_FHIR_JSON;
use fhir_model::{FindParams, OperationOutcome, PrefetchParams, Resource, Slot};
use reqwest::Method;

use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::ops::avail::Availability;
use crate::ops::read::bundle;
use crate::org::{FindMethod, OrgClient};
use crate::transport::Req;

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
    /// Other dialects send their own request (see `dialect`), answering the same way.
    pub async fn find_appointments(
        &self,
        params: &FindParams,
    ) -> Result<Availability, ClientError> {
        let choice = self.dialect().await?;
        crate::dialect::find(self, choice.dialect, params).await
    }

    /// The Argonaut `$find` (see [`OrgClient::find_appointments`]).
    pub(crate) async fn argonaut_find(
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
        self.read(&req, |r| Availability::from_json(&r.body)).await
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
