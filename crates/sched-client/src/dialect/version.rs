//! The FHIR version a generic REST request travels in. The desk's operations build STU3 bodies
//! and read STU3 answers; for an organisation whose dialect is R4, a request marked
//! [`Wire::R4`] has its body converted STU3 → R4 as it is sent and its answer read as R4 and
//! converted back, so `ops/` stays version-blind. Dialect modules that write R4 themselves leave
//! their requests at [`Wire::Stu3`] (as-is).

use fhir_model::{CapabilityStatement, Resource, r4};
use serde::de::DeserializeOwned;

use crate::error::ClientError;
use crate::org::OrgClient;

/// How a request's body and answer are encoded on the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Wire {
    /// Sent and read as they are (STU3, or a dialect's own R4 bodies).
    #[default]
    Stu3,
    /// STU3 bodies converted to R4 when sent; R4 answers converted to STU3 when read.
    R4,
}

impl OrgClient {
    /// The wire the generic REST operations use with this organisation: R4 when its dialect is.
    pub(crate) async fn wire(&self) -> Result<Wire, ClientError> {
        Ok(if self.dialect().await?.dialect.is_r4() {
            Wire::R4
        } else {
            Wire::Stu3
        })
    }
}

/// The body bytes to send: unchanged on the STU3 wire, else the STU3 resource in its R4 form.
pub(crate) fn outgoing(wire: Wire, body: &[u8]) -> Result<Vec<u8>, ClientError> {
    if wire == Wire::Stu3 {
        return Ok(body.to_vec());
    }
    let bad = |e: String| ClientError::InvalidInput(format!("body could not be encoded: {e}"));
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| bad(e.to_string()))?;
    let stu3 = Resource::from_json_value(value).map_err(|e| bad(e.to_string()))?;
    serde_json::to_vec(&r4::Resource::from_stu3(&stu3)).map_err(|e| bad(e.to_string()))
}

/// Reads an answer body as an STU3 resource, converting from R4 on the R4 wire.
pub(crate) fn incoming(
    wire: Wire,
    body: &[u8],
    what: &'static str,
) -> Result<Resource, ClientError> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ClientError::malformed(what, format!("body is not JSON: {e}")))?;
    let malformed = |e: fhir_model::ModelError| ClientError::malformed(what, e.to_string());
    match wire {
        Wire::Stu3 => Resource::from_json_value(value).map_err(malformed),
        Wire::R4 => r4::Resource::from_json(value)
            .and_then(|r| r.to_stu3())
            .map_err(malformed),
    }
}

/// Reads an answer body as `T` (an STU3 type, or JSON), converting from R4 on the R4 wire.
pub(crate) fn incoming_as<T: DeserializeOwned>(
    wire: Wire,
    body: &[u8],
    what: &'static str,
) -> Result<T, ClientError> {
    let parsed = match wire {
        Wire::Stu3 => serde_json::from_slice(body),
        Wire::R4 => {
            let resource = incoming(wire, body, what)?;
            serde_json::to_value(resource).and_then(serde_json::from_value)
        }
    };
    parsed.map_err(|e| ClientError::malformed(what, e.to_string()))
}

/// An R4 server's CapabilityStatement in its STU3 form (`fhirVersion` kept, so detection still
/// sees R4), or `None` when the statement does not declare R4 or is not R4-shaped.
pub(crate) fn r4_statement(value: &serde_json::Value) -> Option<CapabilityStatement> {
    let version = value.get("fhirVersion")?.as_str()?;
    if !version.starts_with('4') {
        return None;
    }
    match r4::Resource::from_json(value.clone())
        .ok()?
        .to_stu3()
        .ok()?
    {
        Resource::CapabilityStatement(c) => Some(c),
        _ => None,
    }
}
