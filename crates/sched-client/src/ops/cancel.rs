//! Cancelling an appointment or releasing a hold: PATCH status → cancelled, with the IG's
//! status-reason extension, in the patch format the organisation declares.

use fhir_model::{
    Appointment, CodeableConcept, Extension, Parameter, Parameters, Resource,
    appointment_status as st,
    urls::{self, MIME_FHIR_JSON, MIME_JSON_PATCH},
};
use reqwest::Method;
use serde_json::{Value, json};

use crate::capabilities::{Interaction, PatchFormat};
use crate::error::ClientError;
use crate::ops::write::{Plan, Write};
use crate::org::{OrgClient, local_id};
use crate::outcome::AppointmentState;
use crate::transport::{Reply, Req};

impl OrgClient {
    /// `PATCH [base]/Appointment/[id]` setting `status` to `cancelled` (cancel a booking, or
    /// release a hold), adding the status-reason extension when a reason is given. JSON Patch
    /// (`application/json-patch+json`) when the server declares it, else FHIRPath Patch (a
    /// Parameters body as `application/fhir+json`). `If-Match: W/"v"` when `current` carries a
    /// version. Never retried: a lost answer is read back.
    /// Spec: <http://fhir.org/guides/argonaut/scheduling/patient-scheduling.html#cancel-appointment>,
    /// <https://hl7.org/fhir/STU3/http.html#patch>,
    /// <http://fhir.org/guides/argonaut-scheduling/StructureDefinition/extension-status-reason>.
    /// Other dialects cancel their own way (see `dialect`).
    pub async fn cancel_appointment(
        &self,
        current: &Appointment,
        reason: Option<&CodeableConcept>,
    ) -> Result<AppointmentState, ClientError> {
        let choice = self.dialect().await?;
        crate::dialect::cancel(self, choice.dialect, current, reason).await
    }

    /// The Argonaut PATCH cancel (see [`OrgClient::cancel_appointment`]).
    pub(crate) async fn argonaut_cancel(
        &self,
        current: &Appointment,
        reason: Option<&CodeableConcept>,
    ) -> Result<AppointmentState, ClientError> {
        let caps = self.require(Interaction::CancelAppointment).await?;
        let id = current.id.as_deref().ok_or_else(|| {
            ClientError::InvalidInput("the appointment to cancel has no id".to_owned())
        })?;
        let id = local_id("Appointment", id)?.to_owned();
        let url = self.url(&format!("Appointment/{id}"))?;
        let mut req = match caps.patch_format() {
            Some(PatchFormat::JsonPatch) => {
                Req::new(Method::PATCH, url).json(MIME_JSON_PATCH, &json_patch(current, reason))?
            }
            Some(PatchFormat::FhirPathPatch) => Req::new(Method::PATCH, url)
                .json(MIME_FHIR_JSON, &fhirpath_patch(current, reason))?,
            None => {
                let interaction = Interaction::CancelAppointment;
                return Err(ClientError::Unsupported { interaction });
            }
        };
        if let Some(v) = current.version_id() {
            req = req.header("if-match", format!("W/\"{v}\""));
        }
        let write = Write::new(Interaction::CancelAppointment, req);
        let answer = self
            .write(write, Plan::Cancel { id: id.clone() }, cancel_answer)
            .await?;
        let (appointment, etag) = match answer {
            Some(found) => found,
            // No body (or only an outcome): read the result.
            None => (self.get_appointment(&id).await?, None),
        };
        Ok(AppointmentState {
            id: appointment.id.clone().unwrap_or(id),
            version: appointment.version_id().map(str::to_owned).or(etag),
            status: appointment.status.clone(),
            start: appointment.start.clone(),
            end: appointment.end.clone(),
            appointment,
            outcomes: Vec::new(),
        })
    }
}

/// A 2xx PATCH answer: the cancelled Appointment (with the ETag version), or nothing to read.
pub(crate) fn cancel_answer(
    reply: Reply,
) -> Result<Option<(Appointment, Option<String>)>, ClientError> {
    let etag = reply.etag_version();
    if reply.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    match reply.resource("cancel")? {
        Resource::Appointment(a) if a.status == st::CANCELLED => Ok(Some((a, etag))),
        Resource::Appointment(a) => {
            let status = a.status;
            Err(ClientError::malformed(
                "cancel",
                format!("the appointment is still {status}"),
            ))
        }
        // Some servers answer an OperationOutcome on success.
        Resource::OperationOutcome(_) => Ok(None),
        other => {
            let ty = other.resource_type().to_owned();
            Err(ClientError::malformed("cancel", format!("unexpected {ty}")))
        }
    }
}

/// RFC 6902 operations: replace `/status`; set the status-reason extension, adding the
/// `extension` array when the appointment has none (JSON Patch cannot append to a missing array).
pub fn json_patch(current: &Appointment, reason: Option<&CodeableConcept>) -> Value {
    let mut ops = vec![json!({"op": "replace", "path": "/status", "value": st::CANCELLED})];
    if let Some(reason) = reason {
        let ext =
            serde_json::to_value(Extension::codeable_concept(urls::EXT_STATUS_REASON, reason))
                .unwrap_or(Value::Null);
        let existing = current
            .extension
            .iter()
            .position(|e| e.url == urls::EXT_STATUS_REASON);
        ops.push(match existing {
            Some(i) => json!({"op": "replace", "path": format!("/extension/{i}"), "value": ext}),
            None if current.extension.is_empty() => {
                json!({"op": "add", "path": "/extension", "value": [ext]})
            }
            None => json!({"op": "add", "path": "/extension/-", "value": ext}),
        });
    }
    Value::Array(ops)
}

/// A parameter made only of parts (FHIRPath Patch `operation`, or a complex `value`).
fn parts(name: &str, part: Vec<Parameter>) -> Parameter {
    Parameter {
        name: name.to_owned(),
        part,
        ..Parameter::default()
    }
}

/// FHIRPath Patch: a Parameters resource of `operation`s.
pub fn fhirpath_patch(current: &Appointment, reason: Option<&CodeableConcept>) -> Parameters {
    let mut ops = vec![parts(
        "operation",
        vec![
            Parameter::code("type", "replace"),
            Parameter::string("path", "Appointment.status"),
            Parameter::code("value", st::CANCELLED),
        ],
    )];
    if let Some(reason) = reason {
        let mut value = parts("value", Vec::new());
        let concept = serde_json::to_value(reason).unwrap_or(Value::Null);
        value
            .extra
            .insert("valueCodeableConcept".to_owned(), concept);
        let exists = current
            .extension
            .iter()
            .any(|e| e.url == urls::EXT_STATUS_REASON);
        let operation = if exists {
            let path = format!(
                "Appointment.extension.where(url='{}').value",
                urls::EXT_STATUS_REASON
            );
            vec![
                Parameter::code("type", "replace"),
                Parameter::string("path", &path),
                value,
            ]
        } else {
            let extension = parts(
                "value",
                vec![Parameter::uri("url", urls::EXT_STATUS_REASON), value],
            );
            vec![
                Parameter::code("type", "add"),
                Parameter::string("path", "Appointment"),
                Parameter::string("name", "extension"),
                extension,
            ]
        };
        ops.push(parts("operation", operation));
    }
    Parameters::new(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_patch_appends_to_or_replaces_existing_extensions() {
        let reason = CodeableConcept::coded(urls::CS_STATUS_REASON, "weather", "");
        let mut appt = Appointment::default();
        appt.extension
            .push(Extension::codeable_concept("http://other", &reason));
        assert_eq!(json_patch(&appt, Some(&reason))[1]["path"], "/extension/-");
        appt.extension.push(Extension::codeable_concept(
            urls::EXT_STATUS_REASON,
            &reason,
        ));
        let ops = json_patch(&appt, Some(&reason));
        assert_eq!(ops[1]["op"], "replace");
        assert_eq!(ops[1]["path"], "/extension/1");
        assert_eq!(json_patch(&appt, None).as_array().unwrap().len(), 1);
    }
}
