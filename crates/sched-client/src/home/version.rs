//! Which FHIR version the home speaks, read from its CapabilityStatement (once per client,
//! together with `batch`): an R4 home holds its referral orders as `ServiceRequest`, an STU3
//! home as `ReferralRequest`. The order kind names the resource type, the search parameters
//! and the conversion to the `r4::ServiceRequest` the rest of the desk works with, so nothing
//! above this module branches on the version.

use fhir_model::r4;
use serde_json::Value;

use super::queue::REFERRAL_CATEGORY;

/// How the home holds referral orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKind {
    /// R4 (and anything not declaring 3.x): `ServiceRequest` in the referral category.
    ServiceRequest,
    /// STU3 (`fhirVersion` 3.x): `ReferralRequest`, a referral by its type alone.
    ReferralRequest,
}

impl OrderKind {
    /// The kind a `fhirVersion` declares (absent or unknown: R4, the queue's default).
    pub fn of_version(version: Option<&str>) -> Self {
        match version {
            Some(v) if v.starts_with("3.") => Self::ReferralRequest,
            _ => Self::ServiceRequest,
        }
    }

    /// The resource type of an order.
    pub fn resource_type(self) -> &'static str {
        match self {
            Self::ServiceRequest => "ServiceRequest",
            Self::ReferralRequest => r4::REFERRAL_REQUEST,
        }
    }

    /// The element an order names its coverages in (STU3 has no `insurance`: Coverage
    /// references travel in `supportingInfo`).
    pub(super) fn coverage_pointer(self) -> &'static str {
        match self {
            Self::ServiceRequest => "/insurance",
            Self::ReferralRequest => "/supportingInfo",
        }
    }

    /// The search parameters every order search shares (any status): intent, the referral
    /// category (R4 only: STU3 ReferralRequest has no category), the includes, the page size.
    /// STU3 defines no search parameter over `supportingInfo`, so its coverages are read
    /// afterwards like any coverage the home did not include.
    pub(super) fn params(self, page_size: u32) -> Vec<(String, String)> {
        let mut q = vec![("intent".to_owned(), "order".to_owned())];
        match self {
            Self::ServiceRequest => {
                q.push(("category".to_owned(), REFERRAL_CATEGORY.to_owned()));
                q.extend(self.includes());
            }
            Self::ReferralRequest => q.extend(self.includes()),
        }
        q.push(("_count".to_owned(), page_size.max(1).to_string()));
        q
    }

    /// The `_include`s of an order search or read.
    pub(super) fn includes(self) -> Vec<(String, String)> {
        let inc = |v: &str| ("_include".to_owned(), v.to_owned());
        match self {
            Self::ServiceRequest => vec![
                inc("ServiceRequest:patient"),
                inc("ServiceRequest:insurance"),
            ],
            Self::ReferralRequest => vec![inc("ReferralRequest:patient")],
        }
    }

    /// An order entry as the desk's R4 ServiceRequest.
    pub(super) fn parse(self, value: Value) -> Result<r4::ServiceRequest, String> {
        match self {
            Self::ServiceRequest => serde_json::from_value(value).map_err(|e| e.to_string()),
            Self::ReferralRequest => {
                r4::ServiceRequest::from_referral_request(value).map_err(|e| e.to_string())
            }
        }
    }
}

/// What the desk reads from the home's CapabilityStatement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct HomeCaps {
    pub batch: bool,
    pub kind: OrderKind,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn a_3_x_home_holds_referral_requests_and_others_service_requests() {
        assert_eq!(
            OrderKind::of_version(Some("3.0.2")),
            OrderKind::ReferralRequest
        );
        assert_eq!(
            OrderKind::of_version(Some("3.0.1")),
            OrderKind::ReferralRequest
        );
        assert_eq!(
            OrderKind::of_version(Some("4.0.1")),
            OrderKind::ServiceRequest
        );
        assert_eq!(OrderKind::of_version(None), OrderKind::ServiceRequest);
        let q = OrderKind::ReferralRequest.params(10);
        assert!(q.iter().all(|(k, _)| k != "category"), "{q:?}");
        assert!(q.contains(&("_include".to_owned(), "ReferralRequest:patient".to_owned())));
    }
}
