//! Finding where a `$book` ended up when its answer was lost: servers may give the booked
//! appointment a new id, so a read-back by id is followed by a search of the patient's booked
//! appointments at the traced start time.

use fhir_model::{Appointment, appointment_status as status};
use referral_store::{Operation, ReferralId, ResolutionKind};
use serde_json::Value;

use crate::app::App;
use crate::appt;
use crate::remote::{AppointmentQuery, Remote, RemoteError, RemoteErrorKind};
use crate::workflow::find::OptionTrace;

impl App {
    /// The booked appointment a `$book` (described by its journal request) produced; `Ok(None)`
    /// when nothing was booked; an error when the organisation cannot tell right now.
    pub(crate) async fn find_booking(
        &self,
        remote: &dyn Remote,
        request: &Value,
    ) -> Result<Option<Appointment>, RemoteError> {
        if let Some(id) = request.get("appointment_id").and_then(Value::as_str) {
            match remote.read_appointment(id.to_owned()).await {
                Ok(a) if a.status == status::BOOKED => return Ok(Some(a)),
                Ok(_) => {}
                Err(e) if e.kind == RemoteErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        let trace = request
            .get("trace")
            .and_then(|t| serde_json::from_value::<OptionTrace>(t.clone()).ok());
        let patient = request
            .get("patient_id")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(Value::as_str)
            .map(|p| p.trim_start_matches("Patient/").to_owned());
        let (Some(trace), Some(patient)) = (trace, patient) else {
            return Ok(None);
        };
        let query = AppointmentQuery {
            patient: Some(patient.clone()),
            status: vec![status::BOOKED.to_owned()],
            from: Some(trace.start),
            to: Some(trace.end),
            ..AppointmentQuery::default()
        };
        let found = remote.search_appointments(query).await?;
        Ok(found.into_iter().find(|a| {
            a.status == status::BOOKED
                && appt::start_of(a) == Some(trace.start)
                && appt::patient_ids(a).contains(&patient)
        }))
    }

    /// The trace (start, end, practitioner) of the slot the referral holds, from the journal of
    /// its last successful hold.
    pub(crate) async fn held_trace(&self, id: ReferralId) -> Option<OptionTrace> {
        let entries = self.db(move |s| s.journal().for_referral(id)).await.ok()?;
        entries
            .iter()
            .rev()
            .filter(|e| e.intent.operation == Operation::Hold)
            .find(|e| {
                e.resolved.as_ref().is_some_and(|r| {
                    matches!(
                        r.resolution.kind,
                        ResolutionKind::Succeeded | ResolutionKind::UnknownReconciled
                    )
                })
            })
            .and_then(|e| serde_json::from_value(e.intent.request.get("trace")?.clone()).ok())
    }

    /// Recovery of a `$book` journal entry: record the booking if it happened, else put the
    /// referral back to what is true. `Ok(false)` when the organisation cannot tell yet.
    pub(crate) async fn reconcile_book(
        &self,
        entry: &referral_store::JournalEntry,
        referral: &referral_store::Referral,
        remote: &dyn Remote,
        appointment_id: &str,
    ) -> crate::error::CoreResult<bool> {
        let org_id = &referral.organisation_id;
        let detail = match self.find_booking(remote, &entry.intent.request).await {
            Err(_) => return Ok(false),
            Ok(Some(a)) => {
                let comment = entry
                    .intent
                    .request
                    .get("comment")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                self.record_booked(referral, &a, comment, entry.intent.operation)
                    .await?;
                let id = a.id.clone().unwrap_or_default();
                self.note(
                    referral.id,
                    org_id,
                    &format!("the booking (appointment {id}) had gone through; recorded"),
                )
                .await?;
                serde_json::json!({ "booked": true, "appointment_id": id })
            }
            Ok(None) => {
                let now = remote
                    .read_appointment(appointment_id.to_owned())
                    .await
                    .map(|a| a.status)
                    .unwrap_or_else(|_| "none".to_owned());
                self.note(referral.id, org_id, &format!("the booking of appointment {appointment_id} had not gone through (it is {now})")).await?;
                self.after_lost_book(referral.id, &now).await?;
                serde_json::json!({ "booked": false, "status": now })
            }
        };
        self.resolve(entry.id, ResolutionKind::UnknownReconciled, detail)
            .await?;
        Ok(true)
    }
}
