//! `$hold` and `$book`: not idempotent, sent exactly once. A refusal may come as HTTP 200 with
//! the Appointment `cancelled`; the Appointment returned may carry a new id.

use fhir_model::urls::MIME_FHIR_JSON;
use fhir_model::{
    Appointment, BookParams, HoldParams, OperationOutcome, Resource, appointment_status as st,
    split_reference,
};
use reqwest::Method;

use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::ops::write::{Plan, Window, Write};
use crate::org::{OrgClient, local_id};
use crate::outcome::{AppointmentState, BookedAppointment, HeldAppointment};
use crate::retry::parse_http_date;
use crate::transport::{Reply, Req};

impl OrgClient {
    /// `POST [base]/Appointment/[id]/$hold` with Parameters{appt-id} (instance level), or
    /// `POST [base]/Appointment/$hold` with Parameters{appt-resource} when only a client-built
    /// appointment is given. Accepted = `pending`; the `Expires` header gives the hold's end.
    /// Never retried: a lost answer is read back (`ClientError::Ambiguous`).
    /// Spec: <http://fhir.org/guides/argonaut-scheduling/OperationDefinition/appointment-hold>.
    /// Other dialects hold their own way (see `dialect`); Epic has no hold (`Unsupported`).
    pub async fn hold_appointment(
        &self,
        params: &HoldParams,
    ) -> Result<HeldAppointment, ClientError> {
        let choice = self.dialect().await?;
        crate::dialect::hold(self, choice.dialect, params).await
    }

    /// The Argonaut `$hold` (see [`OrgClient::hold_appointment`]).
    pub(crate) async fn argonaut_hold(
        &self,
        params: &HoldParams,
    ) -> Result<HeldAppointment, ClientError> {
        self.require(Interaction::HoldAppointment).await?;
        let (url, body, plan) = self.operation_target(
            "$hold",
            params.appt_id.as_deref(),
            params.appt_resource.is_some(),
        )?;
        let mut params = params.clone();
        params.appt_id = body;
        let req = Req::new(Method::POST, url).json(MIME_FHIR_JSON, &params.to_parameters())?;
        let plan = plan.map_or(
            Plan::Unknown("a type-level $hold has no id to read back"),
            |id| Plan::Hold { id },
        );
        let requested = params.appt_id.clone();
        self.write(
            Write::new(Interaction::HoldAppointment, req),
            plan,
            |reply| {
                let expires = reply.header("expires").and_then(parse_http_date);
                let state = answer(reply, "$hold", requested.as_deref(), st::PENDING)?;
                Ok(HeldAppointment { state, expires })
            },
        )
        .await
    }

    /// `POST [base]/Appointment/[id]/$book` with Parameters{appt-id, cancelled-appt-id?,
    /// patient-id*, comment?} (or type level with appt-resource). Accepted = `booked`.
    /// `window` (the proposal's start/end) lets a lost answer be read back by searching the
    /// patient's appointments. Never retried.
    /// Spec: <http://fhir.org/guides/argonaut-scheduling/OperationDefinition/appointment-book>.
    /// Other dialects book their own way (see `dialect`).
    pub async fn book_appointment(
        &self,
        params: &BookParams,
        window: Option<&Window>,
    ) -> Result<BookedAppointment, ClientError> {
        let choice = self.dialect().await?;
        crate::dialect::book(self, choice.dialect, params, window).await
    }

    /// The Argonaut `$book` (see [`OrgClient::book_appointment`]).
    pub(crate) async fn argonaut_book(
        &self,
        params: &BookParams,
        window: Option<&Window>,
    ) -> Result<BookedAppointment, ClientError> {
        self.require(Interaction::BookAppointment).await?;
        let (url, body, id) = self.operation_target(
            "$book",
            params.appt_id.as_deref(),
            params.appt_resource.is_some(),
        )?;
        let mut params = params.clone();
        params.appt_id = body;
        params.patient_id = params
            .patient_id
            .iter()
            .map(|p| local_id("Patient", p).map(|id| format!("Patient/{id}")))
            .collect::<Result<_, _>>()?;
        if let Some(c) = &params.cancelled_appt_id {
            params.cancelled_appt_id = Some(format!("Appointment/{}", local_id("Appointment", c)?));
        }
        let req = Req::new(Method::POST, url).json(MIME_FHIR_JSON, &params.to_parameters())?;
        let plan = match id {
            Some(id) => Plan::Book {
                id,
                patient: params.patient_id.first().cloned(),
                window: window.cloned(),
            },
            None => Plan::Unknown("a type-level $book has no id to read back"),
        };
        let requested = params.appt_id.clone();
        self.write(
            Write::new(Interaction::BookAppointment, req),
            plan,
            |reply| {
                Ok(BookedAppointment {
                    state: answer(reply, "$book", requested.as_deref(), st::BOOKED)?,
                })
            },
        )
        .await
    }

    /// The URL, the `appt-id` value and the bare id of an instance- or type-level operation.
    #[allow(
        clippy::type_complexity,
        reason = "private helper returning three parts"
    )]
    fn operation_target(
        &self,
        op: &str,
        appt_id: Option<&str>,
        has_resource: bool,
    ) -> Result<(url::Url, Option<String>, Option<String>), ClientError> {
        match appt_id {
            Some(reference) => {
                let id = local_id("Appointment", reference)?;
                let url = self.url(&format!("Appointment/{id}/{op}"))?;
                Ok((url, Some(format!("Appointment/{id}")), Some(id.to_owned())))
            }
            None if has_resource => Ok((self.url(&format!("Appointment/{op}"))?, None, None)),
            None => Err(ClientError::InvalidInput(format!(
                "{op} needs appt-id or appt-resource"
            ))),
        }
    }
}

/// What a `$hold`/`$book` body holds: the (first) Appointment with its entry's fullUrl, and
/// any OperationOutcomes.
type Parts = (Option<Appointment>, Option<String>, Vec<OperationOutcome>);

fn parts(resource: Resource, what: &'static str) -> Result<Parts, ClientError> {
    match resource {
        Resource::Bundle(b) => {
            let mut appt = None;
            let mut outcomes = Vec::new();
            for e in b.entry {
                match e.resource {
                    Some(Resource::Appointment(a)) if appt.is_none() => {
                        appt = Some((a, e.full_url))
                    }
                    Some(Resource::OperationOutcome(o)) => outcomes.push(o),
                    _ => {}
                }
            }
            let (a, url) = appt.unzip();
            Ok((a, url.flatten(), outcomes))
        }
        Resource::Appointment(a) => Ok((Some(a), None, Vec::new())),
        Resource::OperationOutcome(o) => Ok((None, None, vec![o])),
        other => Err(ClientError::malformed(
            what,
            format!("unexpected {}", other.resource_type()),
        )),
    }
}

/// The outcome to report with a refusal: the first one with errors, else the first.
fn refusal_outcome(outcomes: &[OperationOutcome]) -> Option<Box<OperationOutcome>> {
    outcomes
        .iter()
        .find(|o| o.has_errors())
        .or(outcomes.first())
        .cloned()
        .map(Box::new)
}

/// Reads a `$hold`/`$book` answer: an avail-bundle (or a bare Appointment, or only an
/// OperationOutcome). `cancelled` — or an error outcome without an appointment — is a refusal.
pub(crate) fn answer(
    reply: Reply,
    what: &'static str,
    requested: Option<&str>,
    accepted: &str,
) -> Result<AppointmentState, ClientError> {
    let location = reply.header("location").map(str::to_owned);
    let etag = reply.etag_version();
    let (appointment, full_url, outcomes) = parts(reply.resource(what)?, what)?;
    let Some(appointment) = appointment else {
        if outcomes.iter().any(OperationOutcome::has_errors) {
            let outcome = refusal_outcome(&outcomes);
            return Err(ClientError::SlotUnavailable {
                appointment_id: requested.map(str::to_owned),
                outcome,
            });
        }
        return Err(ClientError::malformed(what, "no Appointment in the answer"));
    };
    if appointment.status == st::CANCELLED {
        return Err(ClientError::SlotUnavailable {
            appointment_id: appointment.id.clone().or(requested.map(str::to_owned)),
            outcome: refusal_outcome(&outcomes),
        });
    }
    if appointment.status != accepted {
        let found = &appointment.status;
        return Err(ClientError::malformed(
            what,
            format!("expected status {accepted}, got {found}"),
        ));
    }
    // The id to use from now on: the resource's, else its entry's fullUrl, else Location.
    let tail = |url: &Option<String>| {
        let (ty, id) = split_reference(url.as_deref()?)?;
        (ty == "Appointment").then(|| id.to_owned())
    };
    let id = appointment
        .id
        .clone()
        .or_else(|| tail(&full_url))
        .or_else(|| tail(&location))
        .ok_or_else(|| ClientError::malformed(what, "the Appointment has no id"))?;
    Ok(AppointmentState {
        id,
        version: appointment.version_id().map(str::to_owned).or(etag),
        status: appointment.status.clone(),
        start: appointment.start.clone(),
        end: appointment.end.clone(),
        appointment,
        outcomes,
    })
}
