//! Plain FHIR R4 (and, with its stricter rules, Oracle Health Millennium):
//! - find: `GET [base]/Slot?schedule.actor=…&service-type=…&status=free&start=ge…&start=lt…&_include=Slot:schedule`,
//!   proposals built from consecutive free Slots (`slots.rs`)
//! - hold: `PATCH [base]/Slot/{id}` (JSON Patch, status `busy-tentative`) with `If-Match`;
//!   released by patching back to `free`
//! - book: one transaction Bundle (`PUT Slot` busy with `ifMatch` + `POST Appointment` booked),
//!   or `POST Appointment` alone where transactions are not offered (Oracle)
//! - cancel: the Appointment to `cancelled` with `cancelationReason` (`PUT` in a transaction
//!   that also frees the Slots, or `PATCH` with `If-Match` where transactions are not offered)
//!
//! Holds are in `r4_hold.rs`, bookings and cancels in `r4_book.rs`.
//!
//! Spec: hl7.org/fhir/R4/slot.html, hl7.org/fhir/R4/http.html#transaction. 409, 412 and 423
//! answers and a failed transaction mean the time was taken or changed meanwhile.

use std::collections::HashMap;

use fhir_model::{
    Appointment, BookParams, CodeableConcept, FindParams, HoldParams, OperationOutcome, Reference,
    r4,
};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::r4_book::{book_as, cancel_as};
use super::r4_hold::hold_as;
use super::slots::{self, SlotInfo};
use crate::error::ClientError;
use crate::ops::avail::{Availability, Proposal};
use crate::ops::write::Window;
use crate::org::OrgClient;
use crate::outcome::{AppointmentState, BookedAppointment, HeldAppointment};
use crate::transport::{Reply, Req};

/// The rules of the flavour spoken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    Plain,
    Oracle,
}

/// Slots read per search (enough for the proposals asked for).
const SLOT_PAGE: u32 = 100;

pub(crate) fn json_body(reply: &Reply, what: &'static str) -> Result<Value, ClientError> {
    serde_json::from_slice(&reply.body)
        .map_err(|e| ClientError::malformed(what, format!("body is not JSON: {e}")))
}

fn token(t: &fhir_model::Token) -> String {
    match &t.system {
        Some(s) => format!("{s}|{}", t.code),
        None => t.code.clone(),
    }
}

/// The Slot search a plain-R4 desk sends for `params`.
fn slot_query(params: &FindParams, flavour: Flavour) -> Result<Vec<(String, String)>, ClientError> {
    let (Some(start), Some(end)) = (&params.start, &params.end) else {
        return Err(ClientError::InvalidInput(
            "a slot search needs a start and an end".to_owned(),
        ));
    };
    let mut q = vec![
        ("status".to_owned(), "free".to_owned()),
        ("start".to_owned(), format!("ge{start}")),
        ("start".to_owned(), format!("lt{end}")),
        ("_include".to_owned(), "Slot:schedule".to_owned()),
        ("_count".to_owned(), SLOT_PAGE.to_string()),
    ];
    let actors: Vec<&str> = params
        .practitioner
        .iter()
        .chain(&params.location_reference)
        .map(String::as_str)
        .collect();
    if !actors.is_empty() {
        q.push(("schedule.actor".to_owned(), actors.join(",")));
    }
    let types: Vec<String> = params.visit_type.iter().map(token).collect();
    if !types.is_empty() {
        q.push(("service-type".to_owned(), types.join(",")));
    } else if flavour == Flavour::Oracle {
        return Err(ClientError::VisitTypeRequired);
    }
    if flavour == Flavour::Oracle {
        q.retain(|(k, _)| k != "status");
    }
    Ok(q)
}

/// The actors of each schedule, by schedule id.
type Actors = HashMap<String, Vec<Reference>>;

/// Slots and the actors of their schedules from a searchset.
fn read_searchset(body: &Value) -> Result<(Vec<SlotInfo>, Actors), ClientError> {
    let mut found = Vec::new();
    let mut actors = HashMap::new();
    let entries = body
        .get("entry")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for e in entries {
        let Some(res) = e.get("resource") else {
            continue;
        };
        match res.get("resourceType").and_then(Value::as_str) {
            Some("Slot") => {
                let slot: r4::Slot = serde_json::from_value(res.clone())
                    .map_err(|x| ClientError::malformed("slot search", x.to_string()))?;
                found.push(slots::slot_info(slot)?);
            }
            Some("Schedule") => {
                let s: r4::Schedule = serde_json::from_value(res.clone())
                    .map_err(|x| ClientError::malformed("slot search", x.to_string()))?;
                if let Some(id) = s.id.clone() {
                    actors.insert(id, s.actor);
                }
            }
            _ => {}
        }
    }
    Ok((found, actors))
}

pub(crate) async fn find_as(
    client: &OrgClient,
    params: &FindParams,
    flavour: Flavour,
) -> Result<Availability, ClientError> {
    let q = slot_query(params, flavour)?;
    let req = Req::new(Method::GET, client.url("Slot")?).query(q);
    let body = client.read(&req, |r| json_body(&r, "slot search")).await?;
    let (found, mut actors) = read_searchset(&body)?;
    for s in &found {
        if !actors.contains_key(&s.schedule) {
            let who = schedule_actors(client, &s.schedule).await?;
            actors.insert(s.schedule.clone(), who);
        }
    }
    let limit = params.count.map_or(20, |c| c as usize);
    let mut out = Availability::default();
    // The visit's length comes from its type: a 30-minute new-patient visit needs two
    // consecutive 15-minute slots of one schedule. Oracle publishes slots of the visit's own
    // length and books exactly one, so there a slot is a proposal.
    let visit = params.visit_type.first().map(|t| t.code.as_str());
    let minutes = match flavour {
        Flavour::Oracle => 0,
        Flavour::Plain => fhir_model::terminology::visit_minutes(visit),
    };
    for mut a in slots::proposals(&found, &actors, minutes, limit) {
        for p in &params.patient_reference {
            a.participant.push(fhir_model::AppointmentParticipant::new(
                Reference::to(p),
                "needs-action",
            ));
        }
        out.proposals.push(Proposal::new(&a)?);
    }
    out.total = Some(out.proposals.len() as u64);
    Ok(out)
}

pub(crate) async fn schedule_actors(
    client: &OrgClient,
    id: &str,
) -> Result<Vec<Reference>, ClientError> {
    let req = Req::new(Method::GET, client.url(&format!("Schedule/{id}"))?);
    let body = client.read(&req, |r| json_body(&r, "schedule")).await?;
    let s: r4::Schedule = serde_json::from_value(body)
        .map_err(|e| ClientError::malformed("schedule", e.to_string()))?;
    Ok(s.actor)
}

pub(crate) fn conflict(reply: Reply, appointment_id: Option<String>) -> ClientError {
    let outcome = serde_json::from_slice::<OperationOutcome>(&reply.body)
        .ok()
        .map(Box::new);
    ClientError::SlotUnavailable {
        appointment_id,
        outcome,
    }
}

/// A write's answer: 409/412/423 → `SlotUnavailable`, other failures as they are.
pub(crate) fn checked(reply: Reply, id: Option<&str>) -> Result<Reply, ClientError> {
    match reply.status {
        s if s.is_success() => Ok(reply),
        StatusCode::CONFLICT | StatusCode::PRECONDITION_FAILED | StatusCode::LOCKED => {
            Err(conflict(reply, id.map(str::to_owned)))
        }
        _ => Err(reply.into_error()),
    }
}

pub(crate) async fn find(
    client: &OrgClient,
    params: &FindParams,
) -> Result<Availability, ClientError> {
    find_as(client, params, Flavour::Plain).await
}

pub(crate) async fn hold(
    client: &OrgClient,
    params: &HoldParams,
) -> Result<HeldAppointment, ClientError> {
    hold_as(client, params).await
}

pub(crate) async fn book(
    client: &OrgClient,
    params: &BookParams,
    _window: Option<&Window>,
) -> Result<BookedAppointment, ClientError> {
    book_as(client, params, Flavour::Plain).await
}

pub(crate) async fn cancel(
    client: &OrgClient,
    current: &Appointment,
    reason: Option<&CodeableConcept>,
) -> Result<AppointmentState, ClientError> {
    cancel_as(client, current, reason, Flavour::Plain).await
}
