//! The organisation's own directory, for the desk's pick-lists: who practises there
//! (Practitioner), in which specialty and where (PractitionerRole), and its places (Location).

use fhir_model::{Location, Practitioner, PractitionerRole, Resource};
use futures::TryStreamExt;
use reqwest::Method;

use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::org::OrgClient;
use crate::transport::Req;

impl OrgClient {
    /// `GET [base]/Practitioner` — every practitioner, at most `limit` (pages followed).
    /// Spec: <https://hl7.org/fhir/STU3/practitioner.html#search>.
    pub async fn search_practitioners(
        &self,
        limit: usize,
    ) -> Result<Vec<Practitioner>, ClientError> {
        let first = Req::new(Method::GET, self.url("Practitioner")?);
        self.paged(
            Interaction::SearchPractitioners,
            Ok(first),
            limit,
            |r| match r {
                Resource::Practitioner(p) => Some(p),
                _ => None,
            },
        )
        .try_collect()
        .await
    }

    /// `GET [base]/PractitionerRole` — every role, at most `limit` (pages followed).
    /// Spec: <https://hl7.org/fhir/STU3/practitionerrole.html#search>.
    pub async fn search_practitioner_roles(
        &self,
        limit: usize,
    ) -> Result<Vec<PractitionerRole>, ClientError> {
        let first = Req::new(Method::GET, self.url("PractitionerRole")?);
        self.paged(
            Interaction::SearchPractitionerRoles,
            Ok(first),
            limit,
            |r| match r {
                Resource::PractitionerRole(p) => Some(p),
                _ => None,
            },
        )
        .try_collect()
        .await
    }

    /// `GET [base]/Location` — every location, at most `limit` (pages followed).
    /// Spec: <https://hl7.org/fhir/STU3/location.html#search>.
    pub async fn search_locations(&self, limit: usize) -> Result<Vec<Location>, ClientError> {
        let first = Req::new(Method::GET, self.url("Location")?);
        self.paged(
            Interaction::SearchLocations,
            Ok(first),
            limit,
            |r| match r {
                Resource::Location(l) => Some(l),
                _ => None,
            },
        )
        .try_collect()
        .await
    }

    /// Whether the organisation declares `what` (so an optional directory part can be skipped).
    pub async fn offers(&self, what: Interaction) -> Result<bool, ClientError> {
        Ok(self.capabilities().await?.offers(what))
    }
}
