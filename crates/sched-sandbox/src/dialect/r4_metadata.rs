//! `GET [base]/metadata` of a plain-R4 or Oracle organisation: an R4 (4.0.1)
//! CapabilityStatement declaring Slot search and update, Appointment create/update/patch and
//! transactions, no scheduling operations; Oracle's names Oracle Health Millennium as its
//! software (how a desk recognises that variant).

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use fhir_model::urls;
use http::StatusCode;
use serde_json::{Value, json};

use crate::config::SandboxDialect;
use crate::fhir::response::fhir_json;
use crate::org::Organisation;

fn resource(ty: &str, interactions: &[&str], params: &[(&str, &str)]) -> Value {
    json!({
        "type": ty,
        "interaction": interactions.iter().map(|c| json!({"code": c})).collect::<Vec<_>>(),
        "searchParam": params.iter().map(|(n, t)| json!({"name": n, "type": t})).collect::<Vec<_>>(),
    })
}

fn resources() -> Vec<Value> {
    let directory = ["read", "search-type"];
    vec![
        resource(
            "Slot",
            &["read", "search-type", "update", "patch"],
            &[
                ("_id", "token"),
                ("schedule", "reference"),
                ("schedule.actor", "reference"),
                ("service-type", "token"),
                ("start", "date"),
                ("status", "token"),
            ],
        ),
        resource(
            "Appointment",
            &["read", "search-type", "create", "update", "patch"],
            &[
                ("_id", "token"),
                ("patient", "reference"),
                ("status", "token"),
            ],
        ),
        resource(
            "Patient",
            &["read", "search-type", "create"],
            &[
                ("identifier", "token"),
                ("family", "string"),
                ("given", "string"),
                ("birthdate", "date"),
            ],
        ),
        resource("Coverage", &["read", "create", "update"], &[]),
        resource(
            "Schedule",
            &directory,
            &[("_id", "token"), ("actor", "reference")],
        ),
        resource(
            "Practitioner",
            &directory,
            &[("_id", "token"), ("name", "string")],
        ),
        resource(
            "Location",
            &directory,
            &[("_id", "token"), ("name", "string")],
        ),
        resource(
            "Organization",
            &directory,
            &[("_id", "token"), ("name", "string")],
        ),
        resource(
            "HealthcareService",
            &directory,
            &[("_id", "token"), ("type", "token")],
        ),
        resource(
            "PractitionerRole",
            &directory,
            &[("_id", "token"), ("practitioner", "reference")],
        ),
    ]
}

/// The statement for one organisation.
pub fn statement(org: &Organisation) -> Value {
    let oracle = org.dialect == SandboxDialect::Oracle;
    let (software, publisher) = if oracle {
        (
            "Oracle Health Millennium",
            "Oracle Health (sandbox emulation by Referral Desk)",
        )
    } else {
        ("sched-sandbox", "Referral Desk sandbox organisations")
    };
    json!({
        "resourceType": "CapabilityStatement",
        "id": format!("{}-server", org.name),
        "status": "active",
        "date": fhir_model::datetime::format_instant(&org.now()),
        "publisher": publisher,
        "kind": "instance",
        "software": {"name": software, "version": env!("CARGO_PKG_VERSION")},
        "implementation": {"description": org.display, "url": org.base},
        "fhirVersion": "4.0.1",
        "format": ["json", "application/fhir+json"],
        "patchFormat": [urls::MIME_JSON_PATCH],
        "rest": [{
            "mode": "server",
            "security": {
                "extension": [{
                    "url": urls::EXT_OAUTH_URIS,
                    "extension": [{"url": "token", "valueUri": org.auth.token_endpoint()}],
                }],
                "service": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/restful-security-service", "code": "SMART-on-FHIR"}]}],
            },
            "resource": resources(),
            "interaction": [{"code": "transaction"}],
        }],
    })
}

pub async fn capability_statement(State(org): State<Arc<Organisation>>) -> Response {
    fhir_json(StatusCode::OK, &statement(&org))
}
