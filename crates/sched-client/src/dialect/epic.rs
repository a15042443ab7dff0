//! Epic's STU3 scheduling variant: `POST Appointment/$find` with `startTime`/`endTime`
//! (valueDateTime) and `service-type`/`specialty` (valueCodeableConcept), `POST
//! Appointment/$book` with `patient` and `appointment` (valueIdentifier holding the FHIR id) and
//! `appointmentNote`; no hold; cancel as Argonaut (see `dialect::cancel`). Answers are the
//! Argonaut avail-bundle shapes.

use fhir_model::urls::MIME_FHIR_JSON;
use fhir_model::{BookParams, FindParams, Token, appointment_status as st};
use reqwest::Method;
use serde_json::{Value, json};

use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::ops::avail::Availability;
use crate::ops::hold_book::answer;
use crate::ops::write::{Plan, Window, Write};
use crate::org::{OrgClient, local_id};
use crate::outcome::BookedAppointment;
use crate::transport::Req;

fn param(name: &str, key: &str, value: Value) -> Value {
    json!({ "name": name, key: value })
}

fn concept(t: &Token) -> Value {
    match t.system.as_deref().filter(|s| !s.is_empty()) {
        Some(system) => json!({ "coding": [{ "system": system, "code": t.code }] }),
        None => json!({ "coding": [{ "code": t.code }] }),
    }
}

/// An Epic identifier parameter value: the FHIR id in `value`.
fn fhir_id(id: &str) -> Value {
    json!({ "value": id })
}

/// The Epic `$find` Parameters body.
pub(crate) fn find_body(params: &FindParams) -> Result<Value, ClientError> {
    let mut ps = Vec::new();
    ps.extend(
        params
            .start
            .iter()
            .map(|v| param("startTime", "valueDateTime", json!(v))),
    );
    ps.extend(
        params
            .end
            .iter()
            .map(|v| param("endTime", "valueDateTime", json!(v))),
    );
    ps.extend(
        params
            .visit_type
            .iter()
            .map(|t| param("service-type", "valueCodeableConcept", concept(t))),
    );
    ps.extend(
        params
            .specialty
            .iter()
            .map(|t| param("specialty", "valueCodeableConcept", concept(t))),
    );
    ps.extend(
        params
            .reason
            .iter()
            .map(|t| param("indications", "valueCodeableConcept", concept(t))),
    );
    for r in &params.location_reference {
        ps.push(param(
            "location-reference",
            "valueReference",
            json!({ "reference": r }),
        ));
    }
    for p in &params.patient_reference {
        ps.push(param(
            "patient",
            "valueIdentifier",
            fhir_id(local_id("Patient", p)?),
        ));
    }
    for p in &params.patient_resource {
        ps.push(param("patient", "resource", json!(p)));
    }
    Ok(json!({ "resourceType": "Parameters", "parameter": ps }))
}

pub(crate) async fn find(
    client: &OrgClient,
    params: &FindParams,
) -> Result<Availability, ClientError> {
    if params.start.is_none() || params.end.is_none() {
        return Err(ClientError::InvalidInput(
            "$find needs a start and an end".to_owned(),
        ));
    }
    client.require(Interaction::FindAppointments).await?;
    let count = params
        .count
        .iter()
        .map(|n| ("_count".to_owned(), n.to_string()))
        .collect();
    let req = Req::new(Method::POST, client.url("Appointment/$find")?)
        .query(count)
        .json(MIME_FHIR_JSON, &find_body(params)?)?;
    client
        .read(&req, |r| Availability::from_json(&r.body))
        .await
}

/// The Epic `$book` Parameters body: `appointment` (the id `$find` offered), `patient` (the
/// organisation's Patient id), `appointmentNote`.
pub(crate) fn book_body(params: &BookParams, appt_id: &str) -> Result<Value, ClientError> {
    let mut ps = vec![param("appointment", "valueIdentifier", fhir_id(appt_id))];
    for p in &params.patient_id {
        ps.push(param(
            "patient",
            "valueIdentifier",
            fhir_id(local_id("Patient", p)?),
        ));
    }
    if let Some(c) = &params.comment {
        ps.push(param("appointmentNote", "valueString", json!(c)));
    }
    Ok(json!({ "resourceType": "Parameters", "parameter": ps }))
}

pub(crate) async fn book(
    client: &OrgClient,
    params: &BookParams,
    window: Option<&Window>,
) -> Result<BookedAppointment, ClientError> {
    client.require(Interaction::BookAppointment).await?;
    let Some(appt_id) = params.appt_id.as_deref() else {
        return Err(ClientError::InvalidInput(
            "an Epic $book needs the appointment offered by $find".to_owned(),
        ));
    };
    let id = local_id("Appointment", appt_id)?.to_owned();
    let req = Req::new(Method::POST, client.url("Appointment/$book")?)
        .json(MIME_FHIR_JSON, &book_body(params, &id)?)?;
    let patient = params
        .patient_id
        .first()
        .map(|p| local_id("Patient", p).map(|id| format!("Patient/{id}")))
        .transpose()?;
    let plan = Plan::Book {
        id: id.clone(),
        patient,
        window: window.cloned(),
    };
    let requested = format!("Appointment/{id}");
    client
        .write(
            Write::new(Interaction::BookAppointment, req),
            plan,
            |reply| {
                let state = answer(reply, "$book", Some(&requested), st::BOOKED)?;
                Ok(BookedAppointment { state })
            },
        )
        .await
}
