//! `GET [fhir-base]/.well-known/smart-configuration`: the SMART discovery document, JSON
//! whatever the Accept header says (SMART App Launch 2.x, "Using .well-known").

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::AuthState;

/// Scope examples advertised in `scopes_supported` (the server accepts any `system/` scope
/// within a client's registration; see `docs/sandbox-auth.md`).
const SCOPES_SUPPORTED: [&str; 11] = [
    "system/*.rs",
    "system/*.read",
    "system/Appointment.rs",
    "system/Appointment.cu",
    "system/Patient.rs",
    "system/Patient.c",
    "system/Coverage.cu",
    "system/Slot.rs",
    "system/Schedule.rs",
    "system/Subscription.cd",
    "system/*.write",
];

/// The discovery document of this organisation.
pub(crate) async fn smart_configuration(State(state): State<AuthState>) -> Json<Value> {
    Json(discovery_document(&state))
}

/// The discovery document as JSON (also used by the CapabilityStatement's oauth-uris).
pub(crate) fn discovery_document(state: &AuthState) -> Value {
    json!({
        "token_endpoint": state.token_endpoint(),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["ES384", "RS384"],
        "scopes_supported": SCOPES_SUPPORTED,
        "capabilities": ["client-confidential-asymmetric", "permission-v1", "permission-v2"],
        "code_challenge_methods_supported": ["S256"],
    })
}
