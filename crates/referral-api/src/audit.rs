//! The audit trail as FHIR R4 AuditEvent resources (NDJSON), shaped after IHE Basic Audit Log
//! Patterns: agents are the user (with the workstation), the app and the remote organisation;
//! entities are the referral's patient, the organisation and the FHIR interaction.

use chrono::{DateTime, Utc};
use referral_model::{Actor, Event, EventKind, EventOutcome, Organisation, Referral};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// `refdesk audit export` input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditExportRequest {
    /// Only events recorded at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only the events of this referral.
    pub referral_id: Option<String>,
}

/// The export: one AuditEvent JSON per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditExport {
    pub ndjson: String,
    pub count: usize,
}

const APP_NAME: &str = "Referral Desk";
const DCM: &str = "http://dicom.nema.org/resources/ontology/DCM";
const EVENT_TYPE: &str = "http://terminology.hl7.org/CodeSystem/audit-event-type";
const INTERACTION: &str = "http://hl7.org/fhir/restful-interaction";
const ENTITY_TYPE: &str = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
const OBJECT_ROLE: &str = "http://terminology.hl7.org/CodeSystem/object-role";
const PARTICIPATION: &str = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

/// What an event was, as a FHIR interaction: (restful-interaction code, AuditEvent.action).
/// `None` for the desk's own activity (status changes, exports), which reached no server.
fn interaction(kind: EventKind) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        EventKind::Find | EventKind::MatchPatient | EventKind::Hold | EventKind::Book => {
            ("operation", "E")
        }
        EventKind::ReleaseHold | EventKind::Cancel | EventKind::Reschedule => ("patch", "U"),
        EventKind::CreatePatient | EventKind::CreateCoverage => ("create", "C"),
        EventKind::ReadBack | EventKind::Reconcile => ("read", "R"),
        EventKind::Capability => ("capabilities", "R"),
        _ => return None,
    })
}

fn outcome(o: EventOutcome) -> (&'static str, &'static str) {
    match o {
        EventOutcome::Succeeded => ("0", "succeeded"),
        EventOutcome::Refused => ("4", "refused by the organisation"),
        EventOutcome::Failed => ("8", "failed"),
        _ => ("4", "outcome unknown: to be reconciled"),
    }
}

fn coding(system: &str, code: &str, display: &str) -> Value {
    json!({"system": system, "code": code, "display": display})
}

/// The agents: the person at the workstation, and the app acting for them.
fn agents(actor: &Actor) -> Vec<Value> {
    vec![
        json!({
            "type": {"coding": [coding(PARTICIPATION, "IRCP", "information recipient")]},
            "who": {"identifier": {"system": "urn:referral-desk:os-user", "value": actor.user},
                    "display": actor.user},
            "altId": actor.user,
            "requestor": true,
            "network": {"address": actor.workstation, "type": "1"}
        }),
        json!({
            "type": {"coding": [coding(DCM, "110153", "Source Role ID")]},
            "who": {"display": APP_NAME},
            "requestor": false,
            "network": {"address": actor.workstation, "type": "1"}
        }),
    ]
}

/// Builds one AuditEvent.
pub fn audit_event(
    event: &Event,
    referral: Option<&Referral>,
    organisation: Option<&Organisation>,
) -> Value {
    let unknown = Actor {
        user: "unknown".to_owned(),
        workstation: "unknown".to_owned(),
    };
    let actor = event.actor.as_ref().unwrap_or(&unknown);
    let (ty, subtype, action) = match interaction(event.kind) {
        Some((code, action)) => (
            coding(EVENT_TYPE, "rest", "RESTful Operation"),
            Some(coding(INTERACTION, code, code)),
            action,
        ),
        None if event.kind == EventKind::AuditExport => {
            (coding(DCM, "110106", "Export"), None, "R")
        }
        None => (coding(DCM, "110100", "Application Activity"), None, "E"),
    };
    let (code, desc) = outcome(event.outcome);
    let mut agent = agents(actor);
    let mut entity = Vec::new();
    if let Some(r) = referral {
        entity.push(patient_entity(r));
    }
    if let Some(o) = organisation {
        agent.push(json!({
            "type": {"coding": [coding(DCM, "110152", "Destination Role ID")]},
            "who": {"identifier": {"system": "urn:ietf:rfc:3986", "value": o.fhir_base_url},
                    "display": o.display_name},
            "requestor": false,
            "network": {"address": host(&o.fhir_base_url), "type": "1"}
        }));
        entity.push(json!({
            "what": {"identifier": {"system": "urn:ietf:rfc:3986", "value": o.fhir_base_url},
                     "display": o.display_name},
            "type": coding(ENTITY_TYPE, "3", "Organization"),
            "name": o.display_name
        }));
    }
    entity.push(json!({
        "what": {"display": event.request},
        "type": coding(ENTITY_TYPE, "2", "System Object"),
        "role": coding(OBJECT_ROLE, "4", "Domain Resource"),
        "description": event.request
    }));
    let mut out = json!({
        "resourceType": "AuditEvent",
        "id": format!("refdesk-event-{}", event.id.0),
        "type": ty,
        "action": action,
        "recorded": event.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "outcome": code,
        "outcomeDesc": desc,
        "agent": agent,
        "source": {
            "site": actor.workstation,
            "observer": {"display": format!("{APP_NAME} on {}", actor.workstation)},
            "type": [coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")]
        },
        "entity": entity
    });
    if let Some(s) = subtype {
        out["subtype"] = json!([s]);
    }
    out
}

fn patient_entity(r: &Referral) -> Value {
    let mut what = json!({"display": r.patient.display_name});
    if let Some(mrn) = &r.patient.home_mrn {
        what["identifier"] = json!({"type": {"text": "MRN"}, "value": mrn});
    }
    json!({
        "what": what,
        "type": coding(ENTITY_TYPE, "1", "Person"),
        "role": coding(OBJECT_ROLE, "1", "Patient"),
        "detail": [{"type": "referral", "valueString": r.id.to_string()}]
    })
}

/// The host of a base URL, for `agent.network.address`.
fn host(url: &str) -> String {
    url.split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .unwrap_or(url)
        .to_owned()
}
