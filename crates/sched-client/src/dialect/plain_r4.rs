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
//! Spec: hl7.org/fhir/R4/slot.html, hl7.org/fhir/R4/http.html#transaction. 409, 412 and 423
//! answers and a failed transaction mean the time was taken or changed meanwhile.

use std::collections::HashMap;

use fhir_model::urls::{MIME_FHIR_JSON, MIME_JSON_PATCH};
use fhir_model::{
    Appointment, BookParams, CodeableConcept, FindParams, HoldParams, OperationOutcome, Reference,
    r4,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

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

fn conflict(reply: Reply, appointment_id: Option<String>) -> ClientError {
    let outcome = serde_json::from_slice::<OperationOutcome>(&reply.body)
        .ok()
        .map(Box::new);
    ClientError::SlotUnavailable {
        appointment_id,
        outcome,
    }
}

/// A write's answer: 409/412/423 → `SlotUnavailable`, other failures as they are.
fn checked(reply: Reply, id: Option<&str>) -> Result<Reply, ClientError> {
    match reply.status {
        s if s.is_success() => Ok(reply),
        StatusCode::CONFLICT | StatusCode::PRECONDITION_FAILED | StatusCode::LOCKED => {
            Err(conflict(reply, id.map(str::to_owned)))
        }
        _ => Err(reply.into_error()),
    }
}

fn json_body(reply: &Reply, what: &'static str) -> Result<Value, ClientError> {
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
        return Err(ClientError::InvalidInput(
            "this organisation needs a visit type to search its schedule".to_owned(),
        ));
    }
    if flavour == Flavour::Oracle {
        q.retain(|(k, _)| k != "status");
    }
    Ok(q)
}

/// Slots and the actors of their schedules from a searchset.
fn read_searchset(
    body: &Value,
) -> Result<(Vec<SlotInfo>, HashMap<String, Vec<Reference>>), ClientError> {
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
    for mut a in slots::proposals(&found, &actors, 1, limit) {
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

async fn schedule_actors(client: &OrgClient, id: &str) -> Result<Vec<Reference>, ClientError> {
    let req = Req::new(Method::GET, client.url(&format!("Schedule/{id}"))?);
    let body = client.read(&req, |r| json_body(&r, "schedule")).await?;
    let s: r4::Schedule = serde_json::from_value(body)
        .map_err(|e| ClientError::malformed("schedule", e.to_string()))?;
    Ok(s.actor)
}

/// One slot as it stands, with its version for `If-Match`.
async fn read_slot(
    client: &OrgClient,
    id: &str,
) -> Result<(SlotInfo, Option<String>), ClientError> {
    let req = Req::new(Method::GET, client.url(&format!("Slot/{id}"))?);
    client
        .read(&req, |r| {
            let etag = r.etag_version();
            let slot: r4::Slot = serde_json::from_slice(&r.body)
                .map_err(|e| ClientError::malformed("read slot", e.to_string()))?;
            let version = etag.or_else(|| slot.meta.as_ref().and_then(|m| m.version_id.clone()));
            Ok((slots::slot_info(slot)?, version))
        })
        .await
}

/// The slots a synthetic id names, read now.
async fn read_slots(
    client: &OrgClient,
    id: &str,
) -> Result<Vec<(SlotInfo, Option<String>)>, ClientError> {
    let ids = slots::slot_ids(id).ok_or_else(|| {
        ClientError::InvalidInput(format!("'{id}' is not a time offered by this organisation"))
    })?;
    let mut out = Vec::new();
    for s in ids {
        out.push(read_slot(client, &s).await?);
    }
    Ok(out)
}

async fn patch_slot(
    client: &OrgClient,
    id: &str,
    version: Option<&str>,
    status: &str,
) -> Result<(), ClientError> {
    let ops = json!([{"op": "replace", "path": "/status", "value": status}]);
    let mut req =
        Req::new(Method::PATCH, client.url(&format!("Slot/{id}"))?).json(MIME_JSON_PATCH, &ops)?;
    if let Some(v) = version {
        req = req.header("if-match", format!("W/\"{v}\""));
    }
    checked(client.send(&req).await?, None).map(|_| ())
}

fn state(a: Appointment, version: Option<String>) -> AppointmentState {
    AppointmentState {
        id: a.id.clone().unwrap_or_default(),
        version,
        status: a.status.clone(),
        start: a.start.clone(),
        end: a.end.clone(),
        appointment: a,
        outcomes: Vec::new(),
    }
}

pub(crate) async fn hold_as(
    client: &OrgClient,
    params: &HoldParams,
) -> Result<HeldAppointment, ClientError> {
    let id = params
        .appt_id
        .as_deref()
        .ok_or_else(|| ClientError::InvalidInput("a hold needs the proposal's id".to_owned()))?;
    let found = read_slots(client, id).await?;
    let mut held: Vec<String> = Vec::new();
    for (slot, version) in &found {
        let outcome = if slot.status == "free" {
            patch_slot(client, &slot.id, version.as_deref(), "busy-tentative").await
        } else {
            Err(ClientError::SlotUnavailable {
                appointment_id: Some(id.to_owned()),
                outcome: None,
            })
        };
        if let Err(e) = outcome {
            for h in &held {
                // Best effort: a hold left behind lapses with the organisation's hold TTL.
                if let Ok((_, v)) = read_slot(client, h).await {
                    let _ = patch_slot(client, h, v.as_deref(), "free").await;
                }
            }
            return Err(e);
        }
        held.push(slot.id.clone());
    }
    let infos: Vec<SlotInfo> = found.into_iter().map(|(s, _)| s).collect();
    let actors = schedule_actors(client, &infos[0].schedule).await?;
    let a = slots::appointment(&infos, &actors, "pending");
    Ok(HeldAppointment {
        state: state(a, None),
        expires: None,
    })
}

/// Whether the organisation declares transaction Bundles.
async fn offers_transactions(client: &OrgClient) -> Result<bool, ClientError> {
    let caps = client.capabilities().await?;
    Ok(caps.statement.rest.iter().any(|r| {
        r.extra
            .get("interaction")
            .and_then(Value::as_array)
            .is_some_and(|l| {
                l.iter()
                    .any(|i| i.get("code").and_then(Value::as_str) == Some("transaction"))
            })
    }))
}

fn entry(method: &str, url: &str, if_match: Option<&str>, resource: Value) -> Value {
    let mut request = json!({"method": method, "url": url});
    if let Some(v) = if_match {
        request["ifMatch"] = json!(format!("W/\"{v}\""));
    }
    json!({"resource": resource, "request": request})
}

/// Posts a transaction; a failed entry (an error status, or a response entry not 2xx) is a
/// conflict, and the answer's entries come back in order.
async fn transaction(
    client: &OrgClient,
    entries: Vec<Value>,
    id: Option<&str>,
) -> Result<Vec<Value>, ClientError> {
    let bundle = json!({"resourceType": "Bundle", "type": "transaction", "entry": entries});
    // `POST [base]`: the base itself, without the trailing slash kept for joining paths.
    let mut url = client.base_url().clone();
    if url.path().len() > 1 {
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&path);
    }
    let req = Req::new(Method::POST, url).json(MIME_FHIR_JSON, &bundle)?;
    let reply = checked(client.send(&req).await?, id)?;
    let body = json_body(&reply, "transaction")?;
    let out = body
        .get("entry")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let failed = out.iter().any(|e| {
        let s = e
            .pointer("/response/status")
            .and_then(Value::as_str)
            .unwrap_or("");
        !s.starts_with('2')
    });
    if failed || body.get("type").and_then(Value::as_str) != Some("transaction-response") {
        return Err(ClientError::SlotUnavailable {
            appointment_id: id.map(str::to_owned),
            outcome: None,
        });
    }
    Ok(out)
}

fn r4_appointment(v: &Value, what: &'static str) -> Result<Appointment, ClientError> {
    let a: r4::Appointment = serde_json::from_value(v.clone())
        .map_err(|e| ClientError::malformed(what, e.to_string()))?;
    a.to_stu3()
        .map_err(|e| ClientError::malformed(what, e.to_string()))
}

pub(crate) async fn book_as(
    client: &OrgClient,
    params: &BookParams,
    flavour: Flavour,
) -> Result<BookedAppointment, ClientError> {
    let id = params
        .appt_id
        .as_deref()
        .ok_or_else(|| ClientError::InvalidInput("a booking needs the proposal's id".to_owned()))?;
    let found = read_slots(client, id).await?;
    if found
        .iter()
        .any(|(s, _)| !matches!(s.status.as_str(), "free" | "busy-tentative"))
    {
        return Err(ClientError::SlotUnavailable {
            appointment_id: Some(id.to_owned()),
            outcome: None,
        });
    }
    if flavour == Flavour::Oracle && found.len() != 1 {
        return Err(ClientError::InvalidInput(
            "this organisation books one slot at a time".to_owned(),
        ));
    }
    let infos: Vec<SlotInfo> = found.iter().map(|(s, _)| s.clone()).collect();
    let actors = schedule_actors(client, &infos[0].schedule).await?;
    let mut a = slots::appointment(&infos, &actors, "booked");
    a.id = None;
    for p in &params.patient_id {
        let reference = if p.contains('/') {
            p.clone()
        } else {
            format!("Patient/{p}")
        };
        a.participant.push(fhir_model::AppointmentParticipant::new(
            Reference::to(&reference),
            "accepted",
        ));
    }
    if let Some(content) = &params.appt_resource {
        a.reason = content.reason.clone();
        a.incoming_referral = content.incoming_referral.clone();
    }
    a.comment = params.comment.clone();
    let body = serde_json::to_value(r4::Appointment::from_stu3(&a))
        .map_err(|e| ClientError::InvalidInput(e.to_string()))?;
    let booked = if flavour == Flavour::Plain && offers_transactions(client).await? {
        let mut entries = Vec::new();
        for (slot, version) in &found {
            let mut busy = serde_json::to_value(&slot.slot)
                .map_err(|e| ClientError::InvalidInput(e.to_string()))?;
            busy["status"] = json!("busy");
            entries.push(entry(
                "PUT",
                &format!("Slot/{}", slot.id),
                version.as_deref(),
                busy,
            ));
        }
        entries.push(entry("POST", "Appointment", None, body));
        let out = transaction(client, entries, Some(id)).await?;
        let last = out
            .last()
            .and_then(|e| e.get("resource"))
            .cloned()
            .unwrap_or(Value::Null);
        r4_appointment(&last, "book")?
    } else {
        let req = Req::new(Method::POST, client.url("Appointment")?).json(MIME_FHIR_JSON, &body)?;
        let reply = checked(client.send(&req).await?, Some(id))?;
        r4_appointment(&json_body(&reply, "book")?, "book")?
    };
    if booked.status != "booked" {
        return Err(ClientError::SlotUnavailable {
            appointment_id: Some(id.to_owned()),
            outcome: None,
        });
    }
    let version = booked.version_id().map(str::to_owned);
    Ok(BookedAppointment {
        state: state(booked, version),
    })
}

/// An appointment as the server holds it now (R4 JSON) and its version.
async fn read_r4_appointment(
    client: &OrgClient,
    id: &str,
) -> Result<(Value, Option<String>), ClientError> {
    let req = Req::new(Method::GET, client.url(&format!("Appointment/{id}"))?);
    client
        .read(&req, |r| {
            let etag = r.etag_version();
            let v = json_body(&r, "read appointment")?;
            let version = etag.or_else(|| {
                v.pointer("/meta/versionId")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
            Ok((v, version))
        })
        .await
}

pub(crate) async fn cancel_as(
    client: &OrgClient,
    current: &Appointment,
    reason: Option<&CodeableConcept>,
    flavour: Flavour,
) -> Result<AppointmentState, ClientError> {
    let id = current.id.as_deref().ok_or_else(|| {
        ClientError::InvalidInput("the appointment to cancel has no id".to_owned())
    })?;
    if slots::slot_ids(id).is_some() {
        return release(client, id).await;
    }
    let id = crate::org::local_id("Appointment", id)?.to_owned();
    let (mut now, version) = read_r4_appointment(client, &id).await?;
    let reason = reason
        .cloned()
        .unwrap_or_else(|| CodeableConcept::text("Cancelled by the referring organisation"));
    let reason_json =
        serde_json::to_value(&reason).map_err(|e| ClientError::InvalidInput(e.to_string()))?;
    let answer = if flavour == Flavour::Plain && offers_transactions(client).await? {
        now["status"] = json!("cancelled");
        now["cancelationReason"] = reason_json;
        let mut entries = vec![entry(
            "PUT",
            &format!("Appointment/{id}"),
            version.as_deref(),
            now.clone(),
        )];
        let slot_refs: Vec<String> = current
            .slot
            .iter()
            .filter_map(Reference::local)
            .map(|(_, s)| s.to_owned())
            .collect();
        for s in slot_refs {
            let (slot, v) = read_slot(client, &s).await?;
            if slot.status == "busy" {
                let mut free = serde_json::to_value(&slot.slot)
                    .map_err(|e| ClientError::InvalidInput(e.to_string()))?;
                free["status"] = json!("free");
                entries.push(entry("PUT", &format!("Slot/{s}"), v.as_deref(), free));
            }
        }
        let out = transaction(client, entries, Some(&id)).await?;
        out.first()
            .and_then(|e| e.get("resource"))
            .cloned()
            .unwrap_or(Value::Null)
    } else {
        let ops = json!([{"op": "replace", "path": "/status", "value": "cancelled"},
            {"op": "add", "path": "/cancelationReason", "value": reason_json}]);
        let mut req = Req::new(Method::PATCH, client.url(&format!("Appointment/{id}"))?)
            .json(MIME_JSON_PATCH, &ops)?;
        if let Some(v) = &version {
            req = req.header("if-match", format!("W/\"{v}\""));
        }
        json_body(&checked(client.send(&req).await?, Some(&id))?, "cancel")?
    };
    let a = r4_appointment(&answer, "cancel")?;
    let version = a.version_id().map(str::to_owned);
    Ok(state(a, version))
}

/// Releases a hold: the held slots back to `free`.
async fn release(client: &OrgClient, id: &str) -> Result<AppointmentState, ClientError> {
    let found = read_slots(client, id).await?;
    for (slot, version) in &found {
        if slot.status == "busy-tentative" {
            patch_slot(client, &slot.id, version.as_deref(), "free").await?;
        }
    }
    let infos: Vec<SlotInfo> = found.into_iter().map(|(s, _)| s).collect();
    let actors = schedule_actors(client, &infos[0].schedule).await?;
    Ok(state(
        slots::appointment(&infos, &actors, "cancelled"),
        None,
    ))
}

/// A synthetic id read back from its slots: `busy-tentative` → pending, `free` → cancelled
/// (the hold is gone), busy → not found (booked as a real appointment, or taken).
pub(crate) async fn read_synthetic(
    client: &OrgClient,
    id: &str,
) -> Result<Appointment, ClientError> {
    let found = read_slots(client, id).await?;
    let status = if found.iter().all(|(s, _)| s.status == "busy-tentative") {
        "pending"
    } else if found.iter().all(|(s, _)| s.status == "free") {
        "cancelled"
    } else {
        return Err(ClientError::Status {
            status: 404,
            outcome: None,
            retry_after: None,
        });
    };
    let infos: Vec<SlotInfo> = found.into_iter().map(|(s, _)| s).collect();
    let actors = schedule_actors(client, &infos[0].schedule).await?;
    Ok(slots::appointment(&infos, &actors, status))
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
