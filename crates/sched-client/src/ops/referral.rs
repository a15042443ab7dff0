//! `POST [base]/ReferralRequest`: the referral itself, at an organisation whose
//! CapabilityStatement offers it (STU3; R4 calls it ServiceRequest).

use fhir_model::{ReferralRequest, Resource, Token};
use reqwest::Method;

use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::org::OrgClient;
use crate::outcome::Created;
use crate::transport::Req;

use super::write::Write;

impl OrgClient {
    /// `POST [base]/ReferralRequest` — not idempotent: sent once; a lost answer is settled by
    /// searching the request's first identifier.
    /// Spec: <https://hl7.org/fhir/STU3/referralrequest.html>, <https://hl7.org/fhir/STU3/http.html#create>.
    pub async fn create_referral_request(
        &self,
        request: &ReferralRequest,
    ) -> Result<Created<ReferralRequest>, ClientError> {
        self.require(Interaction::CreateReferralRequest).await?;
        let mut body = request.clone();
        body.id = None;
        let req = Req::new(Method::POST, self.url("ReferralRequest")?)
            .header("prefer", "return=representation".to_owned())
            .json(fhir_model::urls::MIME_FHIR_JSON, &body)?;
        let readback = body
            .identifier
            .first()
            .and_then(|i| Some(Token::new(i.system.as_deref()?, i.value.as_deref()?)));
        self.create(
            Write::new(Interaction::CreateReferralRequest, req),
            "ReferralRequest",
            readback,
            |r| match r {
                // Not one of the types fhir-model's `Resource` names: it arrives as `Other`.
                Resource::Other(map) => serde_json::from_value(serde_json::Value::Object(map)).ok(),
                _ => None,
            },
        )
        .await
    }
}
