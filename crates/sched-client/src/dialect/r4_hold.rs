//! Plain-R4 and Oracle holds: `PATCH [base]/Slot/{id}` (JSON Patch `replace /status`) to
//! `busy-tentative` with `If-Match`, released by patching back to `free`; a synthetic id read
//! back from its slots' state.

use fhir_model::urls::MIME_JSON_PATCH;
use fhir_model::{Appointment, HoldParams, r4};
use reqwest::Method;
use serde_json::json;

use super::plain_r4::{checked, schedule_actors};
use super::slots::{self, SlotInfo};
use crate::error::ClientError;
use crate::org::OrgClient;
use crate::outcome::{AppointmentState, HeldAppointment};
use crate::transport::Req;

/// One slot as it stands, with its version for `If-Match`.
pub(crate) async fn read_slot(
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
pub(crate) async fn read_slots(
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

pub(crate) async fn patch_slot(
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

pub(crate) fn state(a: Appointment, version: Option<String>) -> AppointmentState {
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

/// Releases a hold: the held slots back to `free`.
pub(crate) async fn release(client: &OrgClient, id: &str) -> Result<AppointmentState, ClientError> {
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
