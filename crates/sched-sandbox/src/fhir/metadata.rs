//! `GET [base]/metadata`: a CapabilityStatement saying exactly what this organisation's server
//! does — resources and interactions, search parameters, the Argonaut operations (with `$hold`
//! left out when the "hold not supported" knob is on), the patch formats it really accepts, and
//! the SMART token endpoint in the oauth-uris security extension.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use fhir_model::{
    CapabilityInteraction, CapabilityOperation, CapabilityResource, CapabilityRest,
    CapabilitySearchParam, CapabilitySecurity, CapabilityStatement, CodeableConcept, Extension,
    JsonMap, Reference, urls,
};
use http::StatusCode;
use serde_json::json;

use super::response::fhir_json;
use crate::org::Organisation;

/// FHIRPath Patch is a Parameters resource sent as FHIR JSON (the IG's
/// `application/fhirpath-patch+fhirpath` is not a real media type).
pub const PATCH_FORMATS: [&str; 2] = [urls::MIME_JSON_PATCH, "application/fhir+json"];
const OPDEF_MATCH: &str = "http://hl7.org/fhir/OperationDefinition/Patient-match";

pub async fn capability_statement(State(org): State<Arc<Organisation>>) -> Response {
    fhir_json(StatusCode::OK, &statement(&org))
}

fn resource(
    ty: &str,
    interactions: &[&str],
    params: &[(&str, &str)],
    profile: Option<&str>,
) -> CapabilityResource {
    let mut extra = JsonMap::new();
    if let Some(p) = profile {
        extra.insert("profile".to_owned(), json!({ "reference": p }));
    }
    CapabilityResource {
        type_: ty.to_owned(),
        interaction: interactions
            .iter()
            .map(|c| CapabilityInteraction {
                code: (*c).to_owned(),
                extra: JsonMap::new(),
            })
            .collect(),
        search_param: params
            .iter()
            .map(|(n, t)| CapabilitySearchParam {
                name: (*n).to_owned(),
                type_: (*t).to_owned(),
                extra: JsonMap::new(),
            })
            .collect(),
        extra,
        ..CapabilityResource::default()
    }
}

fn operation(name: &str, definition: &str) -> CapabilityOperation {
    CapabilityOperation {
        name: name.to_owned(),
        definition: Reference::to(definition),
        extra: JsonMap::new(),
    }
}

fn security(org: &Organisation) -> CapabilitySecurity {
    let token = Extension {
        url: "token".to_owned(),
        extension: Vec::new(),
        value: json!({ "valueUri": org.auth.token_endpoint() })
            .as_object()
            .cloned()
            .unwrap_or_default(),
    };
    let mut extra = JsonMap::new();
    let service = CodeableConcept::coded(
        "http://hl7.org/fhir/restful-security-service",
        "SMART-on-FHIR",
        "SMART-on-FHIR",
    );
    extra.insert("service".to_owned(), json!([service]));
    extra.insert("description".to_owned(), json!("SMART Backend Services: client_credentials with a private_key_jwt assertion (RS384 or ES384); see .well-known/smart-configuration"));
    CapabilitySecurity {
        extension: vec![Extension {
            url: urls::EXT_OAUTH_URIS.to_owned(),
            extension: vec![token],
            value: JsonMap::new(),
        }],
        cors: Some(false),
        extra,
    }
}

fn resources() -> Vec<CapabilityResource> {
    let directory = ["read", "search-type"];
    vec![
        resource(
            "Appointment",
            &["read", "search-type", "patch"],
            &[
                ("_id", "token"),
                ("patient", "reference"),
                ("status", "token"),
                ("date", "date"),
                ("practitioner", "reference"),
            ],
            Some(urls::PROFILE_ARGO_APPT),
        ),
        resource(
            "Patient",
            &["read", "search-type", "create"],
            &[
                ("_id", "token"),
                ("identifier", "token"),
                ("family", "string"),
                ("given", "string"),
                ("name", "string"),
                ("birthdate", "date"),
                ("gender", "token"),
            ],
            None,
        ),
        {
            let mut c = resource(
                "Coverage",
                &["read", "create", "update"],
                &[],
                Some(urls::PROFILE_ARGO_COVERAGE),
            );
            c.update_create = Some(true);
            c
        },
        resource("ReferralRequest", &["read", "create"], &[], None),
        resource(
            "Slot",
            &directory,
            &[
                ("_id", "token"),
                ("schedule", "reference"),
                ("start", "date"),
                ("status", "token"),
            ],
            Some(urls::PROFILE_PREFETCH_SLOT),
        ),
        resource(
            "Schedule",
            &directory,
            &[("_id", "token"), ("actor", "reference")],
            None,
        ),
        resource(
            "Practitioner",
            &directory,
            &[
                ("_id", "token"),
                ("identifier", "token"),
                ("name", "string"),
                ("family", "string"),
                ("given", "string"),
            ],
            None,
        ),
        resource(
            "PractitionerRole",
            &directory,
            &[
                ("_id", "token"),
                ("practitioner", "reference"),
                ("organization", "reference"),
                ("location", "reference"),
                ("specialty", "token"),
            ],
            None,
        ),
        resource(
            "Location",
            &directory,
            &[
                ("_id", "token"),
                ("name", "string"),
                ("address", "string"),
                ("address-city", "string"),
                ("address-state", "string"),
                ("address-postalcode", "string"),
                ("organization", "reference"),
            ],
            None,
        ),
        resource(
            "Organization",
            &directory,
            &[
                ("_id", "token"),
                ("name", "string"),
                ("identifier", "token"),
                ("type", "token"),
            ],
            None,
        ),
        resource(
            "HealthcareService",
            &directory,
            &[
                ("_id", "token"),
                ("name", "string"),
                ("type", "token"),
                ("specialty", "token"),
                ("organization", "reference"),
                ("location", "reference"),
            ],
            None,
        ),
        resource("Subscription", &["read", "create", "delete"], &[], None),
    ]
}

/// The statement for one organisation, reflecting its current fault knobs.
pub fn statement(org: &Organisation) -> CapabilityStatement {
    let mut operations = vec![operation("find", urls::OPDEF_FIND)];
    if !org.faults.hold_disabled() {
        operations.push(operation("hold", urls::OPDEF_HOLD));
    }
    operations.push(operation("book", urls::OPDEF_BOOK));
    operations.push(operation("prefetch", urls::OPDEF_PREFETCH));
    operations.push(operation("match", OPDEF_MATCH));
    let mut extra = JsonMap::new();
    extra.insert("name".to_owned(), json!(format!("{} sandbox", org.display)));
    extra.insert(
        "publisher".to_owned(),
        json!("Referral Desk sandbox organisations"),
    );
    extra.insert("acceptUnknown".to_owned(), json!("no"));
    extra.insert(
        "software".to_owned(),
        json!({ "name": "sched-sandbox", "version": env!("CARGO_PKG_VERSION") }),
    );
    extra.insert(
        "implementation".to_owned(),
        json!({ "description": org.display, "url": org.base }),
    );
    CapabilityStatement {
        id: Some(format!("{}-server", org.name)),
        status: Some("active".to_owned()),
        date: Some(fhir_model::datetime::format_instant(&org.now())),
        kind: Some("instance".to_owned()),
        fhir_version: Some("3.0.1".to_owned()),
        format: vec!["json".to_owned(), "application/fhir+json".to_owned()],
        patch_format: PATCH_FORMATS.iter().map(|s| (*s).to_owned()).collect(),
        implementation_guide: vec![urls::ARGO_BASE.to_owned()],
        rest: vec![CapabilityRest {
            mode: "server".to_owned(),
            security: Some(security(org)),
            resource: resources(),
            operation: operations,
            extra: JsonMap::new(),
        }],
        extra,
        ..CapabilityStatement::default()
    }
}
