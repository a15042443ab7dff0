//! Plain-R4 and Oracle bookings and cancels: one transaction Bundle (`PUT Slot` busy with
//! `ifMatch` + `POST Appointment` booked; cancel = `PUT Appointment` cancelled + `PUT Slot`
//! free), or `POST Appointment` / `PATCH Appointment` with `If-Match` where transactions are
//! not offered (Oracle). A transaction-response with a failed entry is a conflict.

use fhir_model::urls::{MIME_FHIR_JSON, MIME_JSON_PATCH};
use fhir_model::{Appointment, BookParams, CodeableConcept, Reference, r4};
use reqwest::Method;
use serde_json::{Value, json};

use super::plain_r4::{Flavour, checked, json_body, schedule_actors};
use super::r4_hold::{read_slot, read_slots, release, state};
use super::slots::{self, SlotInfo};
use crate::error::ClientError;
use crate::org::OrgClient;
use crate::outcome::{AppointmentState, BookedAppointment};
use crate::transport::Req;

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
