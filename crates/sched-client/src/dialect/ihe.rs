//! IHE ITI Scheduling (R4): ITI-115 `$find` (POST only), ITI-116 `$hold`, ITI-117 `$book`
//! (also cancel: the appointment resource with status `cancelled`). Requests carry R4 parameter
//! types as IHE's OperationDefinitions declare them (appointment-find/hold/book 1.0.0): codes as
//! `system|code` strings, actors as `valueReference`, `referral-identifier` as `valueIdentifier`,
//! `timing` as `valueTiming`. Answers are R4 and are turned into the desk's STU3 types here.

use fhir_model::urls::MIME_FHIR_JSON;
use fhir_model::{
    Appointment, BookParams, CodeableConcept, FindParams, HoldParams, Resource,
    appointment_status as st,
};
use reqwest::Method;
use serde_json::{Value, json};

use super::r4_wire::{appointment_to_r4, patient_to_r4, to_stu3_body};
use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::ops::avail::Availability;
use crate::ops::hold_book::answer;
use crate::ops::write::{Plan, Window, Write};
use crate::org::{OrgClient, local_id};
use crate::outcome::{AppointmentState, BookedAppointment, HeldAppointment};
use crate::retry::parse_http_date;
use crate::transport::{Reply, Req};

/// One `Parameters.parameter` with a typed value.
fn param(name: &str, key: &str, value: Value) -> Value {
    json!({ "name": name, key: value })
}

fn reference(r: &str) -> Value {
    json!({ "reference": r })
}

/// The ITI-115 Parameters body for `params`.
pub(crate) fn find_body(params: &FindParams) -> Value {
    let mut ps = Vec::new();
    ps.extend(
        params
            .start
            .iter()
            .map(|v| param("start", "valueDateTime", json!(v))),
    );
    ps.extend(
        params
            .end
            .iter()
            .map(|v| param("end", "valueDateTime", json!(v))),
    );
    for (name, tokens) in [
        ("specialty", &params.specialty),
        ("visit-type", &params.visit_type),
        ("reason", &params.reason),
    ] {
        ps.extend(
            tokens
                .iter()
                .map(|t| param(name, "valueString", json!(t.to_string()))),
        );
    }
    for (name, refs) in [
        ("practitioner", &params.practitioner),
        ("organization", &params.organization),
        ("location-reference", &params.location_reference),
        ("patient-reference", &params.patient_reference),
    ] {
        ps.extend(
            refs.iter()
                .map(|r| param(name, "valueReference", reference(r))),
        );
    }
    ps.extend(
        params
            .location_string
            .iter()
            .map(|s| param("location-string", "valueString", json!(s))),
    );
    ps.extend(
        params
            .patient_resource
            .iter()
            .map(|p| param("patient-resource", "resource", patient_to_r4(p))),
    );
    // IHE takes no Coverage resource, only one `insurance-reference`: the coverage's id when
    // it has one, else a logical reference by its identifier.
    if let Some(c) = params.coverage.first() {
        let r = match &c.id {
            Some(id) => reference(&format!("Coverage/{id}")),
            None => json!({
                "type": "Coverage",
                "identifier": c.identifier.first(),
                "display": c.payor.first().and_then(|p| p.display.clone()),
            }),
        };
        ps.push(param(
            "insurance-reference",
            "valueReference",
            strip_nulls(r),
        ));
    }
    if let Some(i) = &params.referral_identifier {
        ps.push(param("referral-identifier", "valueIdentifier", json!(i)));
    }
    if let Some(t) = &params.timing {
        ps.push(param("timing", "valueTiming", t.clone()));
    }
    if let Some(n) = params.count {
        ps.push(param("_count", "valueInteger", json!(n)));
    }
    json!({ "resourceType": "Parameters", "parameter": ps })
}

fn strip_nulls(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.retain(|_, x| !x.is_null());
    }
    v
}

/// The reply with its R4 body rewritten as STU3, so the shared answer readers apply.
fn stu3(mut reply: Reply, what: &'static str) -> Result<Reply, ClientError> {
    reply.body = to_stu3_body(&reply.body, what)?;
    Ok(reply)
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
    let req = Req::new(Method::POST, client.url("Appointment/$find")?)
        .json(MIME_FHIR_JSON, &find_body(params))?;
    client
        .read(&req, |r| {
            let r = stu3(r, "$find")?;
            Availability::from_json(&r.body)
        })
        .await
}

/// `Appointment/id` of a proposal, and its bare id.
fn appointment_ref(appt_id: &str) -> Result<(String, String), ClientError> {
    let id = local_id("Appointment", appt_id)?.to_owned();
    Ok((format!("Appointment/{id}"), id))
}

pub(crate) async fn hold(
    client: &OrgClient,
    params: &HoldParams,
) -> Result<HeldAppointment, ClientError> {
    client.require(Interaction::HoldAppointment).await?;
    let Some(appt_id) = params.appt_id.as_deref() else {
        return Err(ClientError::InvalidInput(
            "an IHE $hold needs the appointment offered by $find".to_owned(),
        ));
    };
    let (r, id) = appointment_ref(appt_id)?;
    let body = json!({ "resourceType": "Parameters", "parameter": [
        param("appointment-reference", "valueReference", reference(&r)),
    ]});
    let req =
        Req::new(Method::POST, client.url("Appointment/$hold")?).json(MIME_FHIR_JSON, &body)?;
    let requested = Some(r);
    client
        .write(
            Write::new(Interaction::HoldAppointment, req),
            Plan::Hold { id },
            |reply| {
                let expires = reply.header("expires").and_then(parse_http_date);
                let reply = stu3(reply, "$hold")?;
                let state = answer(reply, "$hold", requested.as_deref(), st::PENDING)?;
                Ok(HeldAppointment { state, expires })
            },
        )
        .await
}

/// The ITI-117 Parameters body: the appointment by reference (a proposal or hold) or as a
/// resource, the patient as a resource naming the organisation's Patient, and the comment.
fn book_body(params: &BookParams, target: Option<&str>) -> Result<Value, ClientError> {
    let mut ps = Vec::new();
    match (target, &params.appt_resource) {
        (Some(r), _) => ps.push(param(
            "appointment-reference",
            "valueReference",
            reference(r),
        )),
        (None, Some(a)) => ps.push(param(
            "appointment-resource",
            "resource",
            appointment_to_r4(a),
        )),
        (None, None) => {
            return Err(ClientError::InvalidInput(
                "$book needs the appointment to book".to_owned(),
            ));
        }
    }
    for p in &params.patient_id {
        let id = local_id("Patient", p)?;
        let patient = json!({ "resourceType": "Patient", "id": id });
        ps.push(param("patient-resource", "resource", patient));
    }
    if let Some(c) = &params.comment {
        ps.push(param("comment", "valueString", json!(c)));
    }
    Ok(json!({ "resourceType": "Parameters", "parameter": ps }))
}

pub(crate) async fn book(
    client: &OrgClient,
    params: &BookParams,
    window: Option<&Window>,
) -> Result<BookedAppointment, ClientError> {
    client.require(Interaction::BookAppointment).await?;
    let target = params.appt_id.as_deref().map(appointment_ref).transpose()?;
    let body = book_body(params, target.as_ref().map(|(r, _)| r.as_str()))?;
    let req =
        Req::new(Method::POST, client.url("Appointment/$book")?).json(MIME_FHIR_JSON, &body)?;
    let plan = match &target {
        Some((_, id)) => Plan::Book {
            id: id.clone(),
            patient: params
                .patient_id
                .first()
                .map(|p| local_id("Patient", p).map(|id| format!("Patient/{id}")))
                .transpose()?,
            window: window.cloned(),
        },
        None => Plan::Unknown("a $book of a resource has no id to read back"),
    };
    let requested = target.map(|(r, _)| r);
    client
        .write(
            Write::new(Interaction::BookAppointment, req),
            plan,
            |reply| {
                let reply = stu3(reply, "$book")?;
                let state = answer(reply, "$book", requested.as_deref(), st::BOOKED)?;
                Ok(BookedAppointment { state })
            },
        )
        .await
}

/// ITI-117 cancel: `$book` with the appointment resource in status `cancelled` (R4
/// `cancelationReason` for the reason).
pub(crate) async fn cancel(
    client: &OrgClient,
    current: &Appointment,
    reason: Option<&CodeableConcept>,
) -> Result<AppointmentState, ClientError> {
    client.require(Interaction::BookAppointment).await?;
    let id = current.id.as_deref().ok_or_else(|| {
        ClientError::InvalidInput("the appointment to cancel has no id".to_owned())
    })?;
    let id = local_id("Appointment", id)?.to_owned();
    let mut r4 = appointment_to_r4(current);
    r4["status"] = json!(st::CANCELLED);
    if let Some(reason) = reason {
        r4["cancelationReason"] = json!(reason);
    }
    let body = json!({ "resourceType": "Parameters", "parameter": [
        param("appointment-resource", "resource", r4),
    ]});
    let req =
        Req::new(Method::POST, client.url("Appointment/$book")?).json(MIME_FHIR_JSON, &body)?;
    client
        .write(
            Write::new(Interaction::CancelAppointment, req),
            Plan::Cancel { id: id.clone() },
            |reply| cancel_answer(stu3(reply, "cancel")?, &id),
        )
        .await
}

/// A cancel answer: the Appointment (alone or in a Bundle) in status `cancelled`; a Bundle
/// with only an error OperationOutcome is a refusal.
fn cancel_answer(reply: Reply, id: &str) -> Result<AppointmentState, ClientError> {
    let etag = reply.etag_version();
    let mut outcomes = Vec::new();
    let mut found = None;
    match reply.resource("cancel")? {
        Resource::Appointment(a) => found = Some(a),
        Resource::Bundle(b) => {
            for r in b.entry.into_iter().filter_map(|e| e.resource) {
                match r {
                    Resource::Appointment(a) if found.is_none() => found = Some(a),
                    Resource::OperationOutcome(o) => outcomes.push(o),
                    _ => {}
                }
            }
        }
        Resource::OperationOutcome(o) => outcomes.push(o),
        other => {
            let ty = other.resource_type().to_owned();
            return Err(ClientError::malformed("cancel", format!("unexpected {ty}")));
        }
    }
    let Some(appointment) = found else {
        let outcome = outcomes.into_iter().next().map(Box::new);
        return Err(ClientError::Status {
            status: 409,
            outcome,
            retry_after: None,
        });
    };
    if appointment.status != st::CANCELLED {
        let status = &appointment.status;
        return Err(ClientError::malformed(
            "cancel",
            format!("the appointment is still {status}"),
        ));
    }
    Ok(AppointmentState {
        id: appointment.id.clone().unwrap_or_else(|| id.to_owned()),
        version: appointment.version_id().map(str::to_owned).or(etag),
        status: appointment.status.clone(),
        start: appointment.start.clone(),
        end: appointment.end.clone(),
        appointment,
        outcomes,
    })
}

/// Whether the statement declares the IHE ITI Scheduling `$find` (by its canonical).
pub(crate) fn declares_ihe(caps: &crate::capabilities::Capabilities) -> bool {
    caps.has_operation_definition_containing("profiles.ihe.net/ITI/Scheduling")
}
