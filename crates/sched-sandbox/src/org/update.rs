//! Reading and patching appointments: only the status (to `cancelled`), the status-reason
//! extension and the comment may change; the transition must be one the IG diagram allows.

use fhir_model::Appointment;
use serde_json::Value;

use super::Organisation;
use super::proposal::is_proposal;
use crate::error::FhirError;
use crate::store::{
    StoredAppointment, expire_holds, get_appointment, put_appointment, release_slots,
};

/// Elements a PATCH may change.
const PATCHABLE: [&str; 4] = ["status", "extension", "comment", "meta"];

/// Whether `from → to` is a client transition the IG allows.
pub fn transition_allowed(from: &str, to: &str) -> Result<(), FhirError> {
    match (from, to) {
        (a, b) if a == b && a != "cancelled" => Ok(()),
        ("pending" | "booked", "cancelled") => Ok(()),
        ("cancelled" | "fulfilled" | "noshow" | "entered-in-error", _) => Err(FhirError::conflict(
            format!("the appointment is {from}; that is final"),
        )),
        _ if !fhir_model::appointment_status::ALL.contains(&to) => Err(FhirError::unprocessable(
            format!("'{to}' is not an Appointment status"),
        )),
        _ => Err(FhirError::unprocessable(format!(
            "{from} → {to} is not allowed here; a client may only cancel (status cancelled)"
        ))),
    }
}

/// `W/"3"` (or `"3"`) → 3.
pub fn parse_etag(text: &str) -> Option<i64> {
    text.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .ok()
}

fn without_patchable(a: &Appointment) -> Result<Value, FhirError> {
    let mut v = serde_json::to_value(a).map_err(|_| FhirError::internal())?;
    if let Value::Object(m) = &mut v {
        PATCHABLE.iter().for_each(|k| {
            m.remove(*k);
        });
    }
    Ok(v)
}

impl Organisation {
    /// An appointment by id: stored ones with their version, proposals as last returned.
    pub fn read_appointment(&self, id: &str) -> Result<(Appointment, Option<i64>), FhirError> {
        self.expire_holds()?;
        if is_proposal(id) {
            let found = self.store.read(|c| self.proposal(c, id))?;
            return found
                .map(|(a, _)| (a, None))
                .ok_or_else(|| FhirError::not_found(format!("Appointment/{id} not found")));
        }
        let s = self.store.read(|c| get_appointment(c, &self.name, id))?;
        s.map(|s| (s.resource, Some(s.version)))
            .ok_or_else(|| FhirError::not_found(format!("Appointment/{id} not found")))
    }

    /// Applies `patch` to the stored JSON and saves the result if only patchable elements
    /// changed along an allowed transition. Cancelling frees the slots in the same transaction.
    pub fn patch_appointment(
        &self,
        id: &str,
        if_match: Option<&str>,
        patch: impl FnOnce(Value) -> Result<Value, FhirError>,
    ) -> Result<StoredAppointment, FhirError> {
        if is_proposal(id) {
            return Err(FhirError::unprocessable(format!(
                "Appointment/{id} is a proposal; it is not stored and needs no cancelling"
            )));
        }
        let now = self.now();
        self.store.write(|tx| {
            expire_holds(tx, &self.name, now)?;
            let mut stored = get_appointment(tx, &self.name, id)?
                .ok_or_else(|| FhirError::not_found(format!("Appointment/{id} not found")))?;
            if let Some(tag) = if_match {
                let wanted = parse_etag(tag).ok_or_else(|| {
                    FhirError::bad_request(format!("If-Match '{tag}' is not an ETag like W/\"1\""))
                })?;
                if wanted != stored.version {
                    return Err(FhirError::new(
                        http::StatusCode::PRECONDITION_FAILED,
                        "conflict",
                        format!("version {wanted} is not current (now {})", stored.version),
                    ));
                }
            }
            let before = stored.resource.clone();
            let json = serde_json::to_value(&before).map_err(|_| FhirError::internal())?;
            let patched = patch(json)?;
            let after: Appointment = serde_json::from_value(patched).map_err(|e| {
                FhirError::unprocessable(format!("the patched Appointment is invalid: {e}"))
            })?;
            if without_patchable(&before)? != without_patchable(&after)? {
                return Err(FhirError::unprocessable(
                    "only status, the status-reason extension and comment may be patched",
                ));
            }
            transition_allowed(&before.status, &after.status)?;
            let cancelling = after.status == "cancelled" && before.status != "cancelled";
            stored.resource = Appointment {
                meta: before.meta,
                ..after
            };
            if cancelling {
                stored.hold_expires = None;
                release_slots(tx, &self.name, id)?;
            }
            stored.touch(now);
            put_appointment(tx, &self.name, &stored)?;
            Ok(stored)
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn only_cancelling_is_a_client_transition_and_cancelled_is_final() {
        assert!(transition_allowed("pending", "cancelled").is_ok());
        assert!(transition_allowed("booked", "cancelled").is_ok());
        assert!(transition_allowed("booked", "booked").is_ok());
        assert_eq!(
            transition_allowed("booked", "arrived").unwrap_err().status,
            422
        );
        assert_eq!(
            transition_allowed("cancelled", "booked")
                .unwrap_err()
                .status,
            409
        );
        assert_eq!(
            transition_allowed("cancelled", "cancelled")
                .unwrap_err()
                .status,
            409
        );
        assert_eq!(
            transition_allowed("booked", "checked-in")
                .unwrap_err()
                .status,
            422
        );
    }

    #[test]
    fn etags_parse_weak_and_strong() {
        assert_eq!(parse_etag("W/\"3\""), Some(3));
        assert_eq!(parse_etag("\"12\""), Some(12));
        assert_eq!(parse_etag("abc"), None);
    }
}
