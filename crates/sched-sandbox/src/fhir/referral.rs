//! `POST [base]/ReferralRequest` and `GET [base]/ReferralRequest/[id]` (STU3): the referral a
//! desk sends before booking, kept as sent (plus id and meta) so it reads back unchanged, and
//! linked from the booked Appointment's `incomingReferral`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use fhir_model::ReferralRequest;
use http::StatusCode;

use super::body::JsonBody;
use super::response::{fhir_json, with_etag, with_location};
use crate::auth::{Access, Grant};
use crate::error::{FhirError, StoreError};
use crate::org::Organisation;
use crate::org::patients::stamp;
use crate::store::{Store, put_resource};

/// The elements this organisation needs to act on a referral (STU3 requires status, intent and
/// subject; the subject must be a patient registered here).
fn validate(org: &Organisation, r: &ReferralRequest) -> Result<(), FhirError> {
    if r.intent.trim().is_empty() || r.status.trim().is_empty() {
        return Err(FhirError::unprocessable(
            "a ReferralRequest needs status and intent",
        ));
    }
    let subject = r.subject.reference.as_deref().unwrap_or("");
    let Some(id) = subject.strip_prefix("Patient/") else {
        return Err(FhirError::unprocessable(
            "ReferralRequest.subject must reference a Patient of this organisation",
        ));
    };
    let known = org
        .store
        .read(|c| crate::store::get_resource(c, &org.name, "Patient", id))?
        .is_some();
    if !known {
        return Err(FhirError::unprocessable(format!(
            "{subject} is not a patient of this organisation"
        )));
    }
    Ok(())
}

pub async fn create(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    body: JsonBody,
) -> Result<Response, FhirError> {
    grant.require("ReferralRequest", Access::Create)?;
    let mut r: ReferralRequest = body.typed("ReferralRequest")?;
    validate(&org, &r)?;
    let id = org.store.write(|tx| {
        let id = format!("rr-{}", Store::next_id(tx, &org.name, "referral-request")?);
        r.id = Some(id.clone());
        stamp(&mut r.meta, 1, org.now());
        let json = serde_json::to_string(&r).map_err(StoreError::from)?;
        put_resource(tx, &org.name, "ReferralRequest", &id, 1, &json)?;
        Ok::<_, StoreError>(id)
    })?;
    Ok(with_etag(
        with_location(
            fhir_json(StatusCode::CREATED, &r),
            &format!("{}/_history/1", org.full_url("ReferralRequest", &id)),
        ),
        1,
    ))
}

pub async fn read(
    State(org): State<Arc<Organisation>>,
    grant: Grant,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    grant.require("ReferralRequest", Access::Read)?;
    super::directory::read_stored(&org, "ReferralRequest", &id)
}
