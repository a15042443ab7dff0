//! The directory's records: the receiving organisations and how to reach them.
//!
//! Only a key *reference* (a name in the key store) is kept, never key material.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::OrganisationId;

/// What the admin enters to add an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewOrganisation {
    /// Slug chosen by the admin.
    pub id: OrganisationId,
    /// Name shown to users.
    pub display_name: String,
    /// FHIR base URL (`http(s)://…`, no trailing slash needed).
    pub fhir_base_url: String,
    /// SMART Backend Services client id registered with the organisation.
    pub client_id: String,
    /// Name of the signing key in the key store; never the key itself.
    pub key_ref: String,
    /// Scopes to ask for, e.g. `system/Appointment.*`.
    pub scopes: Vec<String>,
    /// Token endpoint, when known without discovery.
    pub token_endpoint: Option<String>,
    /// Whether searches include this organisation.
    pub enabled: bool,
    /// A built-in sandbox organisation rather than a real one.
    pub is_sandbox: bool,
}

/// The last capability report read from the organisation's `/metadata`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapabilityReport {
    /// The report as JSON.
    pub json: serde_json::Value,
    /// When it was read.
    pub read_at: DateTime<Utc>,
}

/// An organisation as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    /// Slug.
    pub id: OrganisationId,
    /// Name shown to users.
    pub display_name: String,
    /// FHIR base URL without trailing slash.
    pub fhir_base_url: String,
    /// SMART client id.
    pub client_id: String,
    /// Key store name of the signing key.
    pub key_ref: String,
    /// Scopes to ask for.
    pub scopes: Vec<String>,
    /// Token endpoint, when known.
    pub token_endpoint: Option<String>,
    /// Last capability report, if one was read.
    pub capability: Option<CapabilityReport>,
    /// Whether searches include it.
    pub enabled: bool,
    /// Built-in sandbox organisation.
    pub is_sandbox: bool,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The scheduling dialect set by an admin (`argonaut`, `ihe-iti`, `plain-r4`, `epic`,
    /// `oracle`); `None` detects it from the CapabilityStatement.
    #[serde(default)]
    pub dialect: Option<String>,
}

/// A partial change to an organisation; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrganisationUpdate {
    /// New display name.
    pub display_name: Option<String>,
    /// New FHIR base URL.
    pub fhir_base_url: Option<String>,
    /// New client id.
    pub client_id: Option<String>,
    /// New key reference.
    pub key_ref: Option<String>,
    /// New scopes.
    pub scopes: Option<Vec<String>>,
    /// New token endpoint (`Some(None)` forgets it).
    pub token_endpoint: Option<Option<String>>,
    /// Enable or disable.
    pub enabled: Option<bool>,
    /// Mark as sandbox or not.
    pub is_sandbox: Option<bool>,
    /// Set the dialect override (`Some(None)` goes back to detection).
    #[serde(default)]
    pub dialect: Option<Option<String>>,
}
